//! The node kinds and fields the lowering looks at, as small enums.
//!
//! tree-sitter names kinds and fields with strings and numbers that differ
//! between the JavaScript, TypeScript and TSX grammars. Each grammar gets one
//! table, built once, from its numeric ids to these enums, so the walk matches
//! on a byte instead of comparing strings at every node.

use miroguard_core::Language;
use std::sync::OnceLock;

/// A node kind the lowering treats specially; everything else is [`K::Other`]
/// (walked generically) or [`K::Token`] (punctuation and keywords).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum K {
    Other,
    Token,
    Error,

    // Structure and scopes.
    Program,
    Comment,
    StatementBlock,
    ClassBody,
    FunctionDeclaration,
    FunctionExpression,
    GeneratorFunction,
    GeneratorFunctionDeclaration,
    ArrowFunction,
    MethodDefinition,
    FormalParameters,
    ReturnStatement,

    // Bindings.
    VariableDeclarator,
    AssignmentExpression,
    AugmentedAssignmentExpression,
    Object,
    Pair,
    ShorthandPropertyIdentifier,
    ComputedPropertyName,
    ObjectPattern,
    ArrayPattern,
    AssignmentPattern,
    ObjectAssignmentPattern,
    PairPattern,
    ShorthandPropertyIdentifierPattern,
    RequiredParameter,
    OptionalParameter,
    FieldDefinition,
    EnumAssignment,
    JsxAttribute,
    JsxExpression,

    // Calls and imports.
    CallExpression,
    NewExpression,
    Arguments,
    Import,
    ImportStatement,
    ImportClause,
    NamedImports,
    ImportSpecifier,
    NamespaceImport,
    ImportRequireClause,
    ExportStatement,
    ExportClause,
    ExportSpecifier,
    NamespaceExport,

    // Values.
    String,
    TemplateString,
    TemplateSubstitution,
    Number,
    True,
    False,
    Null,
    Undefined,
    Identifier,
    This,
    Super,
    PropertyIdentifier,
    PrivatePropertyIdentifier,
    MemberExpression,
    SubscriptExpression,
    MetaProperty,
    ParenthesizedExpression,
    AsExpression,
    SatisfiesExpression,
    NonNullExpression,
    TypeAssertion,
    TypeArguments,
    AwaitExpression,
    BinaryExpression,
    TernaryExpression,
    SequenceExpression,
    Array,
    SpreadElement,

    // Anonymous tokens that change a meaning.
    OrOr,
    Nullish,
    Plus,
    LogicalAssign,
    Default,
    Star,
}

impl K {
    /// The kind a named node called `name` maps to.
    fn named(name: &str) -> K {
        match name {
            "program" => K::Program,
            "comment" | "html_comment" => K::Comment,
            "statement_block" => K::StatementBlock,
            "class_body" => K::ClassBody,
            "function_declaration" => K::FunctionDeclaration,
            // `function` is the pre-0.24 name of `function_expression`.
            "function_expression" | "function" => K::FunctionExpression,
            "generator_function" => K::GeneratorFunction,
            "generator_function_declaration" => K::GeneratorFunctionDeclaration,
            "arrow_function" => K::ArrowFunction,
            "method_definition" => K::MethodDefinition,
            "formal_parameters" => K::FormalParameters,
            "return_statement" => K::ReturnStatement,
            "variable_declarator" => K::VariableDeclarator,
            "assignment_expression" => K::AssignmentExpression,
            "augmented_assignment_expression" => K::AugmentedAssignmentExpression,
            "object" => K::Object,
            "pair" => K::Pair,
            "shorthand_property_identifier" => K::ShorthandPropertyIdentifier,
            "computed_property_name" => K::ComputedPropertyName,
            "object_pattern" => K::ObjectPattern,
            "array_pattern" => K::ArrayPattern,
            "assignment_pattern" => K::AssignmentPattern,
            "object_assignment_pattern" => K::ObjectAssignmentPattern,
            "pair_pattern" => K::PairPattern,
            "shorthand_property_identifier_pattern" => K::ShorthandPropertyIdentifierPattern,
            "required_parameter" => K::RequiredParameter,
            "optional_parameter" => K::OptionalParameter,
            "field_definition" | "public_field_definition" => K::FieldDefinition,
            "enum_assignment" => K::EnumAssignment,
            "jsx_attribute" => K::JsxAttribute,
            "jsx_expression" => K::JsxExpression,
            "call_expression" => K::CallExpression,
            "new_expression" => K::NewExpression,
            "arguments" => K::Arguments,
            "import" => K::Import,
            "import_statement" => K::ImportStatement,
            "import_clause" => K::ImportClause,
            "named_imports" => K::NamedImports,
            "import_specifier" => K::ImportSpecifier,
            "namespace_import" => K::NamespaceImport,
            "import_require_clause" => K::ImportRequireClause,
            "export_statement" => K::ExportStatement,
            "export_clause" => K::ExportClause,
            "export_specifier" => K::ExportSpecifier,
            "namespace_export" => K::NamespaceExport,
            "string" => K::String,
            "template_string" => K::TemplateString,
            "template_substitution" => K::TemplateSubstitution,
            "number" => K::Number,
            "true" => K::True,
            "false" => K::False,
            "null" => K::Null,
            "undefined" => K::Undefined,
            "identifier" => K::Identifier,
            "this" => K::This,
            "super" => K::Super,
            "property_identifier" => K::PropertyIdentifier,
            "private_property_identifier" => K::PrivatePropertyIdentifier,
            "member_expression" => K::MemberExpression,
            "subscript_expression" => K::SubscriptExpression,
            "meta_property" => K::MetaProperty,
            "parenthesized_expression" => K::ParenthesizedExpression,
            "as_expression" => K::AsExpression,
            "satisfies_expression" => K::SatisfiesExpression,
            "non_null_expression" => K::NonNullExpression,
            "type_assertion" => K::TypeAssertion,
            "type_arguments" => K::TypeArguments,
            "await_expression" => K::AwaitExpression,
            "binary_expression" => K::BinaryExpression,
            "ternary_expression" => K::TernaryExpression,
            "sequence_expression" => K::SequenceExpression,
            "array" => K::Array,
            "spread_element" => K::SpreadElement,
            _ => K::Other,
        }
    }

    /// The kind an anonymous node (a token) called `name` maps to.
    fn anonymous(name: &str) -> K {
        match name {
            "||" => K::OrOr,
            "??" => K::Nullish,
            "+" => K::Plus,
            "||=" | "??=" | "&&=" => K::LogicalAssign,
            "default" => K::Default,
            "*" => K::Star,
            _ => K::Token,
        }
    }

    /// Whether nodes of this kind are named (not punctuation or keywords).
    pub(crate) fn is_named(self) -> bool {
        !matches!(
            self,
            K::Token | K::OrOr | K::Nullish | K::Plus | K::LogicalAssign | K::Default | K::Star
        )
    }
}

/// A field (the role of a child in its parent) the lowering looks at.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum Fd {
    None,
    Name,
    Value,
    Left,
    Right,
    Operator,
    Object,
    Property,
    Index,
    Function,
    Arguments,
    Constructor,
    Key,
    Body,
    Parameters,
    Parameter,
    Pattern,
    Source,
    Alias,
    Condition,
    Consequence,
    Alternative,
    Type,
    TypeArguments,
}

impl Fd {
    /// The number of variants.
    const COUNT: usize = Fd::TypeArguments as usize + 1;

    fn from_name(name: &str) -> Fd {
        match name {
            "name" => Fd::Name,
            "value" => Fd::Value,
            "left" => Fd::Left,
            "right" => Fd::Right,
            "operator" => Fd::Operator,
            "object" => Fd::Object,
            // Class fields name their key `property` in JavaScript and `name` in TypeScript.
            "property" => Fd::Property,
            "index" => Fd::Index,
            "function" => Fd::Function,
            "arguments" => Fd::Arguments,
            "constructor" => Fd::Constructor,
            "key" => Fd::Key,
            "body" => Fd::Body,
            "parameters" => Fd::Parameters,
            "parameter" => Fd::Parameter,
            "pattern" => Fd::Pattern,
            "source" => Fd::Source,
            "alias" => Fd::Alias,
            "condition" => Fd::Condition,
            "consequence" => Fd::Consequence,
            "alternative" => Fd::Alternative,
            "type" => Fd::Type,
            "type_arguments" => Fd::TypeArguments,
            _ => Fd::None,
        }
    }
}

/// One grammar and its id tables.
pub(crate) struct Grammar {
    /// The tree-sitter language.
    pub(crate) language: tree_sitter::Language,
    kinds: Vec<K>,
    fields: Vec<Fd>,
    /// The numeric id of each [`Fd`], for `child_by_field_id` (0 when the grammar lacks it).
    field_ids: [u16; Fd::COUNT],
}

impl Grammar {
    fn new(language: tree_sitter::Language) -> Grammar {
        let count = u16::try_from(language.node_kind_count()).unwrap_or(u16::MAX);
        let kinds = (0..count)
            .map(|id| match language.node_kind_for_id(id) {
                Some(name) if language.node_kind_is_named(id) => K::named(name),
                Some(name) => K::anonymous(name),
                None => K::Other,
            })
            .collect();
        let field_count = u16::try_from(language.field_count()).unwrap_or(u16::MAX);
        // Field ids start at 1; index 0 stands for "no field".
        let fields: Vec<Fd> = (0..=field_count)
            .map(|id| language.field_name_for_id(id).map_or(Fd::None, Fd::from_name))
            .collect();
        let mut field_ids = [0; Fd::COUNT];
        for (id, field) in fields.iter().enumerate() {
            if let (Some(slot), Ok(id)) = (field_ids.get_mut(*field as usize), u16::try_from(id)) {
                if *field != Fd::None && *slot == 0 {
                    *slot = id;
                }
            }
        }
        Grammar {
            language,
            kinds,
            fields,
            field_ids,
        }
    }

    /// The kind of `node`.
    #[inline]
    pub(crate) fn kind(&self, node: tree_sitter::Node<'_>) -> K {
        let id = node.kind_id();
        match self.kinds.get(usize::from(id)) {
            Some(kind) => *kind,
            None if node.is_error() => K::Error,
            None => K::Other,
        }
    }

    /// The numeric id of `field` in this grammar (0, which matches no child, when it has none).
    #[inline]
    pub(crate) fn field_id(&self, field: Fd) -> u16 {
        self.field_ids.get(field as usize).copied().unwrap_or(0)
    }

    /// The field with numeric id `id` (0 for none).
    #[inline]
    pub(crate) fn field(&self, id: u16) -> Fd {
        self.fields.get(usize::from(id)).copied().unwrap_or(Fd::None)
    }
}

/// The grammar for `language`, or `None` for languages this crate does not parse.
pub(crate) fn grammar(language: Language) -> Option<&'static Grammar> {
    static JAVASCRIPT: OnceLock<Grammar> = OnceLock::new();
    static TYPESCRIPT: OnceLock<Grammar> = OnceLock::new();
    static TSX: OnceLock<Grammar> = OnceLock::new();
    match language {
        Language::JavaScript => Some(JAVASCRIPT.get_or_init(|| Grammar::new(tree_sitter_javascript::LANGUAGE.into()))),
        Language::TypeScript => {
            Some(TYPESCRIPT.get_or_init(|| Grammar::new(tree_sitter_typescript::LANGUAGE_TYPESCRIPT.into())))
        }
        Language::Tsx => Some(TSX.get_or_init(|| Grammar::new(tree_sitter_typescript::LANGUAGE_TSX.into()))),
        Language::Rust | Language::Text => None,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn grammars_load_with_this_tree_sitter() {
        for language in [Language::JavaScript, Language::TypeScript, Language::Tsx] {
            let grammar = grammar(language).expect("a JS-family grammar");
            let mut parser = tree_sitter::Parser::new();
            parser
                .set_language(&grammar.language)
                .expect("ABI supported by this tree-sitter");
            let tree = parser.parse("const a = 1;", None).expect("a tree");
            assert!(!tree.root_node().has_error(), "{language:?}");
        }
    }

    #[test]
    fn every_special_kind_exists_in_every_grammar() {
        // A kind renamed by a grammar upgrade would silently fall back to the
        // generic walk; this catches it.
        let js_only = ["field_definition"];
        let ts_only = [
            "public_field_definition",
            "required_parameter",
            "optional_parameter",
            "enum_assignment",
            "as_expression",
            "satisfies_expression",
            "non_null_expression",
            "type_arguments",
            "import_require_clause",
        ];
        let jsx = ["jsx_attribute", "jsx_expression"];
        for language in [Language::JavaScript, Language::TypeScript, Language::Tsx] {
            let grammar = grammar(language).expect("a JS-family grammar");
            let named: Vec<&str> = (0..grammar.language.node_kind_count() as u16)
                .filter(|id| grammar.language.node_kind_is_named(*id))
                .filter_map(|id| grammar.language.node_kind_for_id(id))
                .collect();
            for kind in [
                "program",
                "comment",
                "statement_block",
                "class_body",
                "function_declaration",
                "function_expression",
                "arrow_function",
                "method_definition",
                "variable_declarator",
                "assignment_expression",
                "augmented_assignment_expression",
                "object",
                "pair",
                "object_pattern",
                "object_assignment_pattern",
                "pair_pattern",
                "call_expression",
                "new_expression",
                "import",
                "import_statement",
                "export_statement",
                "string",
                "template_string",
                "template_substitution",
                "member_expression",
                "subscript_expression",
                "meta_property",
                "ternary_expression",
                "binary_expression",
                "undefined",
            ]
            .iter()
            .chain(if language == Language::JavaScript {
                &js_only[..]
            } else {
                &ts_only[..]
            })
            .chain(if language == Language::TypeScript {
                &["type_assertion"][..]
            } else {
                &jsx[..]
            }) {
                assert!(named.contains(kind), "{language:?} lacks `{kind}`");
                let id = grammar.language.id_for_node_kind(kind, true);
                assert_ne!(grammar.kinds.get(id as usize), Some(&K::Other), "{language:?} `{kind}`");
            }
        }
    }
}
