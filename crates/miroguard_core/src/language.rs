//! What kind of file a path is, as far as the rules care.

use serde::Serialize;
use std::path::Path;

/// The language a file is analysed as.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Language {
    /// Rust (`.rs`), parsed with syn.
    Rust,
    /// JavaScript, including JSX (`.js .mjs .cjs .jsx`).
    JavaScript,
    /// TypeScript without JSX (`.ts .mts .cts`).
    TypeScript,
    /// TypeScript with JSX (`.tsx`).
    Tsx,
    /// Any other text file: scanned lexically.
    Text,
}

impl Language {
    /// The language of `path`, from its extension.
    pub fn from_path(path: &Path) -> Language {
        let ext = path.extension().and_then(|e| e.to_str()).unwrap_or("");
        match ext {
            "rs" => Language::Rust,
            "js" | "mjs" | "cjs" | "jsx" => Language::JavaScript,
            "ts" | "mts" | "cts" => Language::TypeScript,
            "tsx" => Language::Tsx,
            _ => Language::Text,
        }
    }

    /// Whether the file is JavaScript or TypeScript of any flavour.
    pub fn is_js_family(self) -> bool {
        matches!(self, Language::JavaScript | Language::TypeScript | Language::Tsx)
    }

    /// Whether the file is source code that a front end parses.
    pub fn is_source(self) -> bool {
        self != Language::Text
    }

    /// The short name used in outputs and rule metadata.
    pub fn as_str(self) -> &'static str {
        match self {
            Language::Rust => "rust",
            Language::JavaScript => "javascript",
            Language::TypeScript => "typescript",
            Language::Tsx => "tsx",
            Language::Text => "text",
        }
    }
}

/// What the engine knows about a file before any rule looks at it.
#[derive(Clone, Debug)]
pub struct FileContext {
    /// The path as displayed and reported (relative to the scan root where possible, `/`-separated).
    pub display_path: String,
    /// The language the file is analysed as.
    pub language: Language,
    /// Whether the file is test code (by path); findings of most detectors drop one level there.
    pub is_test: bool,
    /// Where the file's code runs, when it is known before the file is checked
    /// (an editor with a classified workspace). The CLI classifies after
    /// reading the tree and resolves class-dependent findings then.
    pub class: Option<crate::runtime::FileClass>,
    /// Why the file has `class` (`loaded by index.html`), for the findings that depend on it.
    pub class_reason: Option<String>,
    /// Whether a `.gitignore` rule excludes the file (only computed for files
    /// where a rule asks, such as `.env` files scanned with `--no-ignore`).
    pub git_ignored: bool,
    /// The library versions of the package the file belongs to (its nearest
    /// `package.json` or `Cargo.toml`, and their lockfile), when known.
    pub dependencies: Option<std::sync::Arc<crate::Dependencies>>,
}

impl FileContext {
    /// Context for `display_path`, classifying language and test code from the path alone.
    pub fn from_display_path(display_path: impl Into<String>) -> FileContext {
        let display_path = display_path.into();
        let path = Path::new(&display_path);
        FileContext {
            language: Language::from_path(path),
            is_test: is_test_path(&display_path),
            class: None,
            class_reason: None,
            git_ignored: false,
            dependencies: None,
            display_path,
        }
    }

    /// Whether the file is a TypeScript declaration file (`*.d.ts`, `*.d.mts`,
    /// `*.d.cts`): types only, no code that runs.
    pub fn is_type_declarations(&self) -> bool {
        [".d.ts", ".d.mts", ".d.cts"]
            .iter()
            .any(|suffix| self.display_path.ends_with(suffix))
    }
}

/// Whether a `/`-separated path names test code: a `test/`, `tests/`,
/// `__tests__/`, `spec/`, `__mocks__/`, `e2e/` or `benches/` directory, or a `*.test.*` / `*.spec.*` /
/// `*_test.rs` file.
pub fn is_test_path(path: &str) -> bool {
    let path = path.replace('\\', "/");
    let mut components = path.split('/').peekable();
    while let Some(component) = components.next() {
        let is_file = components.peek().is_none();
        if is_file {
            let stem_parts: Vec<&str> = component.split('.').collect();
            if stem_parts.len() >= 3
                && stem_parts[1..stem_parts.len() - 1]
                    .iter()
                    .any(|p| *p == "test" || *p == "spec")
            {
                return true;
            }
            if component.ends_with("_test.rs") || component.ends_with("_tests.rs") {
                return true;
            }
        } else if matches!(
            component,
            "test" | "tests" | "__tests__" | "spec" | "__mocks__" | "e2e" | "benches"
        ) {
            return true;
        }
    }
    false
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn languages_come_from_extensions() {
        assert_eq!(Language::from_path(Path::new("a/b.rs")), Language::Rust);
        assert_eq!(Language::from_path(Path::new("x.mjs")), Language::JavaScript);
        assert_eq!(Language::from_path(Path::new("x.d.ts")), Language::TypeScript);
        assert_eq!(Language::from_path(Path::new("x.tsx")), Language::Tsx);
        assert_eq!(Language::from_path(Path::new(".env")), Language::Text);
        assert_eq!(Language::from_path(Path::new("Dockerfile")), Language::Text);
    }

    #[test]
    fn test_paths() {
        for p in [
            "tests/a.rs",
            "src/__tests__/x.ts",
            "benches/jwt.rs",
            "a/b.test.ts",
            "c.spec.js",
            "src/foo_test.rs",
            "test/x.js",
        ] {
            assert!(is_test_path(p), "{p}");
        }
        for p in [
            "src/attest.rs",
            "src/testing.js",
            "src/latest.ts",
            "contest/a.js",
            "spec.js",
            "test.js",
        ] {
            assert!(!is_test_path(p), "{p}");
        }
    }
}
