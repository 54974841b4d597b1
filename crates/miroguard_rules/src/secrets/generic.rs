//! The generic detector: a secret-looking value given a secret-like name.
//!
//! In source files it reads the Facts (bindings whose value is a string
//! literal, and `name = value` pairs in comments); in text files, and in
//! source files that do not parse, it reads `name = value` pairs lexically.
//! Both paths share the name and value checks of [`super::names`] and
//! [`super::values`].

use super::names::{NAME_KEYWORDS, NameStrength, secret_name_strength};
use super::pairs::{Pair, find_pairs};
use super::values::{MAX_LEN, MIN_LEN_STRONG, is_value_char, secret_in_value};
use crate::syntax::comment_line_prefix;
use miroguard_core::Span;
use miroguard_ir::{BindingKind, Facts, Value};

/// Where a generic match was found.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum GenericSource {
    /// A string literal given to a name in code.
    Binding(BindingKind),
    /// A `name = value` pair in a text file (or a source file no front end could parse).
    TextPair,
    /// A `name = value` pair in the part of a parsed source file its syntax errors cover.
    UnparsedCode,
    /// A `name = value` pair in a comment.
    Comment,
}

/// A secret-looking value under a secret-like name.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct GenericMatch {
    /// Where the secret is.
    pub span: Span,
    /// The secret.
    pub secret: String,
    /// The name it is given.
    pub name: String,
    /// How strongly the name says it is a secret.
    pub strength: NameStrength,
    /// Where it was found.
    pub source: GenericSource,
}

fn is_auth_header(name: &str) -> bool {
    ["authorization", "proxy-authorization", "proxy_authorization"]
        .iter()
        .any(|h| name.eq_ignore_ascii_case(h))
}

/// `AUTHORIZATION`, `API_KEY_HEADER`: an upper-case constant's name.
fn is_constant_name(name: &str) -> bool {
    name.len() > 2
        && name
            .bytes()
            .all(|b| b.is_ascii_uppercase() || b.is_ascii_digit() || b == b'_')
}

/// Generic matches in parsed source.
pub fn in_facts(facts: &Facts, text: &str, out: &mut Vec<GenericMatch>) {
    for binding in &facts.bindings {
        let Some(strength) = secret_name_strength(&binding.name) else {
            continue;
        };
        let header = is_auth_header(&binding.name);
        for literal in facts.literal_values(&binding.value) {
            // Escapes change the text; the generic check needs the value as written.
            if !literal.verbatim {
                continue;
            }
            if let Some(range) = secret_in_value(&literal.value, strength, header) {
                if mirrors_name(&binding.name, &literal.value[range.clone()]) {
                    continue;
                }
                let span = literal.span_of(range.clone());
                out.push(GenericMatch {
                    span,
                    secret: literal.value[range].to_string(),
                    name: binding.name.clone(),
                    strength,
                    source: GenericSource::Binding(binding.kind),
                });
            }
        }
    }
    // `headers.insert(AUTHORIZATION, "Bearer …")`: a call argument keyed by a
    // constant (Rust's `http::header::AUTHORIZATION`, a `const API_KEY_HEADER`)
    // rather than by a string, which the front ends already turn into bindings.
    for call in &facts.calls {
        for pair in call.args.windows(2) {
            let name = match &pair[0] {
                Value::Ident(name) => name.as_str(),
                Value::Member(path) => path.last().map_or("", String::as_str),
                _ => continue,
            };
            if !is_constant_name(name) {
                continue;
            }
            let Some(strength) = secret_name_strength(name) else {
                continue;
            };
            for literal in facts.literal_values(&pair[1]) {
                if !literal.verbatim {
                    continue;
                }
                if let Some(range) = secret_in_value(&literal.value, strength, is_auth_header(name)) {
                    out.push(GenericMatch {
                        span: literal.span_of(range.clone()),
                        secret: literal.value[range].to_string(),
                        name: name.to_string(),
                        strength,
                        source: GenericSource::Binding(BindingKind::Argument),
                    });
                }
            }
        }
    }
    for comment in &facts.comments {
        let Some(comment_text) = text.get(comment.span.start..comment.span.end) else {
            continue;
        };
        in_pairs(comment_text, comment.span.start, GenericSource::Comment, out);
    }
}

/// Generic matches in a text file (or in unparsed source), from `name = value` pairs.
pub fn in_text(text: &str, out: &mut Vec<GenericMatch>) {
    in_pairs(text, 0, GenericSource::TextPair, out);
}

/// [`in_text`] over the parts of a parsed file the parser could not make
/// sense of (its syntax errors' spans): a half-typed line above a secret
/// must not hide the secret's `name = "value"` from the check.
pub fn in_unparsed(text: &str, regions: &[Span], out: &mut Vec<GenericMatch>) {
    for region in regions {
        if let Some(part) = text.get(region.start..region.end).filter(|part| !part.is_empty()) {
            in_pairs(part, region.start, GenericSource::UnparsedCode, out);
        }
    }
}

fn in_pairs(text: &str, offset: usize, source: GenericSource, out: &mut Vec<GenericMatch>) {
    find_pairs(
        text,
        |name| secret_name_strength(name).is_some(),
        |pair| {
            if let Some((strength, range)) = check_pair(&pair) {
                let start = offset + pair.value_span.start + range.start;
                out.push(GenericMatch {
                    span: Span::new(start, start + range.len()),
                    secret: pair.value[range].to_string(),
                    name: pair.name.to_string(),
                    strength,
                    source,
                });
            }
            true
        },
    );
}

fn check_pair(pair: &Pair<'_>) -> Option<(NameStrength, std::ops::Range<usize>)> {
    let strength = secret_name_strength(pair.name)?;
    let range = secret_in_value(pair.value, strength, is_auth_header(pair.name))?;
    (!mirrors_name(pair.name, &pair.value[range.clone()])).then_some((strength, range))
}

/// `currentStencilZPass = stencilZPass`, `API_KEY = "api-key"`: a value that
/// repeats its name (ignoring case and separators) names something; it is not a secret.
fn mirrors_name(name: &str, value: &str) -> bool {
    let normalize = |s: &str| {
        s.chars()
            .filter(char::is_ascii_alphanumeric)
            .map(|c| c.to_ascii_lowercase())
            .collect::<String>()
    };
    let (name, value) = (normalize(name), normalize(value));
    !value.is_empty() && (name.contains(&value) || value.contains(&name))
}

/// How far before a quoted value the gate looks for a secret-like name: the
/// name of a binding is on the value's line or a few lines above it (a
/// multi-line declaration, a keyed argument on its own line).
const NAME_WINDOW_LINES: usize = 4;
/// The most bytes the gate looks back for a name.
const NAME_WINDOW_BYTES: usize = 400;

/// The lexical gate: whether [`in_facts`] could find anything in this source
/// text. Cheap, and meant never to be wrong in the "no" direction: every
/// verbatim single-line string literal is the text between some quote and the
/// next same quote on its line, so checking all of those with the most
/// permissive value check, and looking for a name keyword shortly before
/// each, covers every binding; comments are substrings of the text, so a pair
/// in a comment is a pair in the text. `tests/fixtures.rs` runs the fixtures
/// both ways, and `miroguard scan --parse-all` lets a corpus be compared.
pub fn could_match_in_source(text: &str) -> bool {
    gate_reason(text).is_some()
}

/// What let a file through the gate.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum GateReason {
    /// A quoted value that could be a secret under a strong name.
    Quoted(String),
    /// A `name = value` pair that passes the generic checks.
    Pair(String),
}

/// Why [`could_match_in_source`] says yes, or `None` when it says no.
pub fn gate_reason(text: &str) -> Option<GateReason> {
    if let Some(value) = quoted_candidate(text) {
        return Some(GateReason::Quoted(value.to_string()));
    }
    let mut found = None;
    find_pairs(
        text,
        |name| secret_name_strength(name).is_some(),
        |pair| {
            if check_pair(&pair).is_some() {
                found = Some(GateReason::Pair(format!("{}={}", pair.name, pair.value)));
            }
            found.is_none()
        },
    );
    found
}

fn quoted_candidate(text: &str) -> Option<&str> {
    let bytes = text.as_bytes();
    for open in memchr::memchr3_iter(b'"', b'\'', b'`', bytes) {
        let quote = bytes[open];
        let start = open + 1;
        let window_end = (start + MAX_LEN + 1).min(bytes.len());
        let Some(window) = bytes.get(start..window_end) else {
            continue;
        };
        let Some(close) = memchr::memchr2(quote, b'\n', window) else {
            continue;
        };
        if window[close] != quote || close < MIN_LEN_STRONG || in_comment(text, open) {
            continue;
        }
        let Some(candidate) = text.get(start..start + close) else {
            continue;
        };
        // Spaces are allowed only after an authorization scheme; the cheap
        // character check rejects most code between two quotes.
        let first_word_end = candidate.find(' ').unwrap_or(candidate.len());
        if !candidate[first_word_end..].trim_start().chars().all(is_value_char) {
            continue;
        }
        // Cheapest first: the most permissive value check, then the names
        // before the value, then the value check those names call for.
        if secret_in_value(candidate, NameStrength::Strong, true).is_none() {
            continue;
        }
        let Some((strength, header)) = names_before(text, open) else {
            continue;
        };
        if secret_in_value(candidate, strength, header).is_some() {
            return Some(candidate);
        }
    }
    None
}

/// The strongest secret-like name written in the few lines before byte `at`,
/// and whether an authorization header name is among them. A binding's name
/// is one of these words, so its strength is at most this one.
fn names_before(text: &str, at: usize) -> Option<(NameStrength, bool)> {
    let bytes = text.as_bytes();
    let floor = at.saturating_sub(NAME_WINDOW_BYTES);
    let mut start = at;
    for _ in 0..NAME_WINDOW_LINES {
        match memchr::memrchr(b'\n', &bytes[floor..start]) {
            Some(newline) => start = floor + newline,
            None => {
                start = floor;
                break;
            }
        }
    }
    // A statement that ended before the value (`;` closing its line) holds
    // no name of the value's binding: `#[link_name = "…"]` under
    // `fn free_private_key(…);` is not a key.
    if let Some(end) = last_statement_end(&bytes[start..at]) {
        start += end;
    }
    let window = bytes[start..at].to_ascii_lowercase();
    let is_name_byte = |b: u8| b.is_ascii_alphanumeric() || matches!(b, b'_' | b'-' | b'$');
    let mut best: Option<(NameStrength, bool)> = None;
    for keyword in NAME_KEYWORDS {
        for hit in memchr::memmem::find_iter(&window, keyword.as_bytes()) {
            let (mut name_start, mut name_end) = (start + hit, start + hit + keyword.len());
            while name_start > 0 && is_name_byte(bytes[name_start - 1]) {
                name_start -= 1;
            }
            while name_end < bytes.len() && is_name_byte(bytes[name_end]) {
                name_end += 1;
            }
            let Some(name) = text.get(name_start..name_end).filter(|_| !in_comment(text, name_start)) else {
                continue;
            };
            if let Some(strength) = secret_name_strength(name) {
                let header = is_auth_header(name);
                best = match best {
                    Some((s, h)) => Some((s.max(strength), h || header)),
                    None => Some((strength, header)),
                };
            }
        }
    }
    best
}

/// Whether byte `at` is in a comment that starts its line and has not
/// ended before it. No binding's name or value is there: quoted words in
/// doc comments (`` `@NgModule` ``) are not code. Pairs in comments are the
/// pair scan's. Stricter than
/// [`on_comment_line`](crate::syntax::on_comment_line), as a gate must be: a
/// `*` starts a comment's line only with a blank after it (`*token = "…"`
/// is a Rust deref), and code may follow a closed `/* … */`.
fn in_comment(text: &str, at: usize) -> bool {
    comment_line_prefix(text, at).is_some_and(|line| {
        let continues_block = line.strip_prefix('*').is_none_or(|rest| rest.starts_with([' ', '\t']));
        continues_block && !line.contains("*/")
    })
}

/// Just past the last `;` in `bytes` that ends its line (only blanks after
/// it): the end of a statement. A `;` inside a line (`[u8; 32]`) is not one.
fn last_statement_end(bytes: &[u8]) -> Option<usize> {
    memchr::memrchr_iter(b'\n', bytes).find_map(|newline| {
        let line = bytes[..newline].trim_ascii_end();
        (line.last() == Some(&b';')).then_some(line.len())
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn text_matches(text: &str) -> Vec<(String, String)> {
        let mut out = Vec::new();
        in_text(text, &mut out);
        out.into_iter()
            .map(|m| (m.name, m.span.text(text).to_string()))
            .collect()
    }

    #[test]
    fn text_pairs_with_secret_names_and_values() {
        let env =
            "MIRO_CLIENT_SECRET=4vT9kQ2mX7pL0sR5wZ8yB3nC6dF1gH4j\nMIRO_CLIENT_ID=3458764517517819000\nDEBUG=true\n";
        assert_eq!(
            text_matches(env),
            [(
                "MIRO_CLIENT_SECRET".to_string(),
                "4vT9kQ2mX7pL0sR5wZ8yB3nC6dF1gH4j".to_string()
            )]
        );
        let curl = "curl -H \"Authorization: Bearer cWj5VRW8ovzQPygGcPXbhgpiB8ESJH35\" https://api.miro.com";
        assert_eq!(text_matches(curl)[0].1, "cWj5VRW8ovzQPygGcPXbhgpiB8ESJH35");
        assert!(text_matches("password: your_password_here\napi_key: ${API_KEY}\n").is_empty());
    }

    #[test]
    fn the_gate_sees_quoted_candidates_and_pairs() {
        assert!(could_match_in_source(
            "const apiKey = \"cWj5VRW8ovzQPygGcPXbhgpiB8ESJH35\";"
        ));
        assert!(!could_match_in_source(
            "const k = \"cWj5VRW8ovzQPygGcPXbhgpiB8ESJH35\";"
        ));
        assert!(could_match_in_source("// API_KEY=cWj5VRW8ovzQPygGcPXbhgpiB8ESJH35"));
        assert!(could_match_in_source(
            "h.set('Authorization', 'Bearer cWj5VRW8ovzQPygGcPXbhgpiB8ESJH35')"
        ));
        assert!(!could_match_in_source(
            "const msg = \"Hello world\"; const k = process.env.API_KEY;"
        ));
        assert!(!could_match_in_source("fn main() { println!(\"{}\", x); }"));
    }

    #[test]
    fn the_gate_skips_comment_lines_and_ended_statements() {
        // Quoted words in doc comments are neither names nor values.
        let doc =
            "/**\n * Marks the token as belonging to a particular `@NgModule` or `R3Injector`.\n */\nfunction f() {}\n";
        assert!(!could_match_in_source(doc));
        let rust_doc = "/// The session token, see `TokenStore` in `auth_v2_x9`.\nfn f() {}\n";
        assert!(!could_match_in_source(rust_doc));
        // A name in a statement that ended above the value is not its binding's.
        let ffi = "extern \"C\" {\n    pub fn PKCS8PrivateKeyInfo_bio(key: *mut EVP_PKEY) -> c_int;\n}\nextern \"C\" {\n    #[link_name = \"aws_lc_0_47_0_d2i_X509_fp\"]\n";
        assert!(!could_match_in_source(ffi));
        // Comments above a binding, and `;` inside a line, change nothing.
        let commented = "// the key the app signs with\nconst signingKey =\n  \"cWj5VRW8ovzQPygGcPXbhgpiB8ESJH35\";\n";
        assert!(could_match_in_source(commented));
        let array = "let x = 1;\nconst SECRET_KEY: &[u8; 32] =\n    b\"cWj5VRW8ovzQPygGcPXbhgpiB8ESJH35\";\n";
        assert!(could_match_in_source(array));
        // A value on a comment line after the comment closed is code.
        let after = "/* keys */ const apiKey = \"cWj5VRW8ovzQPygGcPXbhgpiB8ESJH35\";\n";
        assert!(could_match_in_source(after));
        // A `*` without a blank after it is a Rust deref, not a comment's line.
        let deref = "fn set(token: &mut &str) {\n    *token = \"cWj5VRW8ovzQPygGcPXbhgpiB8ESJH35\";\n}\n";
        assert!(could_match_in_source(deref));
    }
}
