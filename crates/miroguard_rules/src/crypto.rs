//! What the crypto rules share: how an API's algorithm argument is read,
//! where a module name comes from, and which names a value comes from or
//! goes to that say it is sensitive.

use crate::syntax::{floor_char_boundary, is_ident_byte};
use aho_corasick::{AhoCorasick, AhoCorasickKind};
use miroguard_ir::flow::{Destination, Flow, OriginKind};
use miroguard_ir::sensitive::{Sensitive, SensitiveKind, sensitivity};
use miroguard_ir::{BindingKind, Facts, ScopeId, Span, Value};

/// The module a local name is imported from (`md5` in `import md5 from "md5"`,
/// `crypto-js` in `const CryptoJS = require("crypto-js")`, `md5` in `use md5::Md5`).
pub(crate) fn imported_from<'f>(facts: &'f Facts, local: &str) -> Option<&'f str> {
    facts.imports.iter().find_map(|import| {
        let named = import.names.iter().any(|n| n.local == local);
        let whole_crate = import.source == local || import.source.rsplit("::").next() == Some(local);
        (named || whole_crate).then_some(import.source.as_str())
    })
}

/// The one string literal `value` resolves to, with its span.
pub(crate) fn literal_of(flow: &Flow<'_>, value: &Value, scope: ScopeId, at: usize) -> Option<(String, Span)> {
    let facts = flow.facts();
    let mut found = None;
    for origin in flow.origins(value, scope, at) {
        match origin.kind {
            OriginKind::Literal(id) if found.is_none() => {
                let lit = facts.string(id);
                found = Some((lit.value.clone(), lit.span));
            }
            // Alternatives or a template: not one known literal.
            _ => return None,
        }
    }
    found
}

/// The number `value` resolves to.
pub(crate) fn number_of(flow: &Flow<'_>, value: &Value, scope: ScopeId, at: usize) -> Option<u64> {
    let origins = flow.origins(value, scope, at);
    let [origin] = origins.as_slice() else {
        return None;
    };
    match origin.kind {
        OriginKind::Number(text) => parse_number(text),
        _ => None,
    }
}

/// A number literal as written in JS or Rust: `600_000`, `1e5`, `0x10`, `1000u32`.
pub(crate) fn parse_number(text: &str) -> Option<u64> {
    let clean: String = text.chars().filter(|c| *c != '_').collect();
    const SUFFIXES: &[&str] = &[
        "usize", "isize", "u128", "i128", "u64", "i64", "u32", "i32", "u16", "i16", "u8", "i8", "n",
    ];
    let digits = SUFFIXES
        .iter()
        .find_map(|suffix| clean.strip_suffix(suffix))
        .unwrap_or(&clean);
    if let Some(hex) = digits.strip_prefix("0x").or_else(|| digits.strip_prefix("0X")) {
        return u64::from_str_radix(hex, 16).ok();
    }
    if let Ok(n) = digits.parse::<u64>() {
        return Some(n);
    }
    digits
        .parse::<f64>()
        .ok()
        .filter(|f| f.is_finite() && *f >= 0.0 && *f < 1e19)
        .map(|f| f as u64)
}

/// Lowercase without separators: `SHA-1`, `sha1`, `Sha1` and `SHA_1` are all `sha1`.
pub(crate) fn normalize(name: &str) -> String {
    name.chars()
        .filter(|c| c.is_ascii_alphanumeric())
        .map(|c| c.to_ascii_lowercase())
        .collect()
}

/// A name that says a value is sensitive, and where that name is.
#[derive(Clone, Debug)]
pub(crate) struct SensitiveName {
    /// The name as written.
    pub(crate) name: String,
    /// What it says.
    pub(crate) sensitive: Sensitive,
    /// Where it is written (for the line in messages).
    pub(crate) at: usize,
}

impl SensitiveName {
    fn of(name: &str, at: usize) -> Option<SensitiveName> {
        sensitivity(name).map(|sensitive| SensitiveName {
            name: name.to_string(),
            sensitive,
            at,
        })
    }
}

/// Sensitive names among the ones `value` comes from: the variables and
/// parameters it passes through, member names (`req.body.password`), and the
/// functions whose results it is made from (`getPassword()`).
pub(crate) fn sensitive_origins(flow: &Flow<'_>, value: &Value, scope: ScopeId, at: usize) -> Vec<SensitiveName> {
    let facts = flow.facts();
    let mut out = Vec::new();
    for origin in flow.origins(value, scope, at) {
        for id in &origin.via {
            if let Some(binding) = facts.bindings.get(*id as usize) {
                out.extend(SensitiveName::of(&binding.name, binding.name_span.start));
            }
        }
        match &origin.kind {
            OriginKind::Member(path) => {
                if let Some(last) = path.last() {
                    out.extend(SensitiveName::of(last, at));
                }
            }
            OriginKind::Name(name) => out.extend(SensitiveName::of(name, at)),
            OriginKind::Call(id) => {
                let call = facts.call(*id);
                if let Some(last) = call.callee.last() {
                    out.extend(SensitiveName::of(last, call.span.start));
                }
            }
            _ => {}
        }
    }
    out
}

/// Sensitive names among the places a value made at `site` goes: the
/// variables, fields and keyed arguments it is given to, and the functions
/// that return it. Outside tests, what tests do with a value says nothing
/// about what it is for (`static KEY` used by a test named `signing_key_…`).
pub(crate) fn sensitive_destinations(flow: &Flow<'_>, destinations: &[Destination], site: Span) -> Vec<SensitiveName> {
    let facts = flow.facts();
    let site_in_test = facts.in_test_region(site);
    let mut out = Vec::new();
    for destination in destinations {
        let at = match destination {
            Destination::Binding(id) => facts.bindings.get(*id as usize).map(|b| b.span),
            Destination::Return { ret, .. } => facts.returns.get(*ret as usize).map(|r| r.span),
            _ => None,
        };
        if !site_in_test && at.is_some_and(|at| facts.in_test_region(at)) {
            continue;
        }
        match destination {
            Destination::Binding(id) => {
                if let Some(binding) = facts.bindings.get(*id as usize) {
                    if binding.kind != BindingKind::Parameter {
                        out.extend(SensitiveName::of(&binding.name, binding.name_span.start));
                    }
                }
            }
            Destination::Return { ret, function } => {
                let name = facts.scopes.get(*function as usize).and_then(|s| s.name.as_deref());
                let at = facts.returns.get(*ret as usize).map_or(0, |r| r.span.start);
                if let Some(name) = name {
                    out.extend(SensitiveName::of(name, at));
                }
            }
            Destination::Argument { .. } | Destination::Receiver(_) => {}
        }
    }
    out
}

/// The most telling of several sensitive names: strong before weak, then
/// by kind (passwords first), then the first written.
pub(crate) fn most_sensitive(names: &[SensitiveName]) -> Option<&SensitiveName> {
    names
        .iter()
        .min_by_key(|n| (n.sensitive.weak, n.sensitive.kind as u8, n.at))
}

/// Words whose occurrence makes a crypto rule look around it for a
/// sensitive name: the rules' lexical tier. A hash or generator whose
/// surroundings name nothing sensitive cannot make a finding, so its file is
/// not parsed for it. The windows are wide enough for the statement, the
/// function header above it and the few lines after where its result is kept.
pub(crate) struct Needles {
    automaton: AhoCorasick,
    /// The group each pattern belongs to, by pattern id.
    groups: Vec<usize>,
    group_count: usize,
    /// Whether a needle counts only at the start of an identifier.
    word_start: bool,
}

impl Needles {
    /// Needles in groups (matched ignoring ASCII case).
    pub(crate) fn new(groups: &[&[&str]]) -> Result<Needles, String> {
        let mut patterns = Vec::new();
        let mut ids = Vec::new();
        for (group, words) in groups.iter().enumerate() {
            for word in *words {
                patterns.push(*word);
                ids.push(group);
            }
        }
        // A DFA: the needles are few, and it runs over whole files.
        let automaton = AhoCorasick::builder()
            .ascii_case_insensitive(true)
            .kind(Some(AhoCorasickKind::DFA))
            .build(&patterns)
            .map_err(|e| e.to_string())?;
        Ok(Needles {
            automaton,
            groups: ids,
            group_count: groups.len(),
            word_start: false,
        })
    }

    /// These needles, counting only where one starts an identifier or a
    /// path segment (`StdRng::from_seed`, not `ED25519_keypair_from_seed`
    /// in C bindings): for rules whose checks match whole segments.
    pub(crate) fn at_word_start(self) -> Needles {
        Needles {
            word_start: true,
            ..self
        }
    }

    /// Whether a needle of `group` occurs in `text` at the start of a word
    /// (`pbkdf2_hmac(`, not `PKCS5_PBKDF2_HMAC(` in C bindings).
    pub(crate) fn occurs(&self, text: &str, group: usize) -> bool {
        let bytes = text.as_bytes();
        self.automaton.find_iter(text).any(|found| {
            self.groups.get(found.pattern().as_usize()) == Some(&group)
                && (found.start() == 0 || !is_ident_byte(bytes[found.start() - 1]))
        })
    }

    /// Whether a needle of a group `enabled` accepts occurs in `text` with a
    /// sensitive name in the window around it that `nearby` describes.
    pub(crate) fn near_sensitive(&self, text: &str, enabled: impl Fn(usize) -> bool, nearby: &Nearby<'_>) -> bool {
        self.near_sensitive_by_group(text, |group| enabled(group).then_some(nearby))
    }

    /// [`Needles::near_sensitive`] with a window of its own for each group
    /// (`None`: the group's needles do not count), in one pass over `text`.
    pub(crate) fn near_sensitive_by_group<'n>(
        &self,
        text: &str,
        nearby_for: impl Fn(usize) -> Option<&'n Nearby<'n>>,
    ) -> bool {
        let bytes = text.as_bytes();
        // Windows overlap when needles are close: each byte is looked at
        // once per group (groups' windows differ).
        let mut checked_to = vec![0; self.group_count];
        for found in self.automaton.find_iter(text) {
            let Some(&group) = self.groups.get(found.pattern().as_usize()) else {
                continue;
            };
            let Some(nearby) = nearby_for(group) else {
                continue;
            };
            if self.word_start && found.start() > 0 && is_ident_byte(bytes[found.start() - 1]) {
                continue;
            }
            if let Some((byte, within)) = nearby.followed_by {
                let end = (found.end() + within).min(bytes.len());
                if !bytes[found.end()..end].contains(&byte) {
                    continue;
                }
            }
            let start = floor_char_boundary(text, found.start().saturating_sub(nearby.before).max(checked_to[group]));
            let end = floor_char_boundary(text, (found.end() + nearby.after).min(text.len()));
            if start >= end {
                continue;
            }
            checked_to[group] = end;
            if window_names_sensitive(&text[start..end], nearby) {
                return true;
            }
        }
        false
    }
}

/// The window around a needle the lexical tier looks in, and what counts there.
pub(crate) struct Nearby<'s> {
    /// Bytes before the needle.
    pub(crate) before: usize,
    /// Bytes after the needle.
    pub(crate) after: usize,
    /// Lowercase words that count whatever their sensitivity: sinks
    /// (`createCipheriv`), context-dependent names (`state`); dotted ones
    /// (`jwt.sign`) are matched as text.
    pub(crate) also: &'s [&'s str],
    /// How a sensitive name must be used.
    pub(crate) usage: NameUse,
    /// The kinds of sensitive name that count (any when empty). Names that
    /// are weak evidence alone (`state`) never count unless in `also`.
    pub(crate) kinds: &'s [SensitiveKind],
    /// A byte that must follow the needle within so many bytes (`%` after
    /// `randomBytes` for a biased reduction), if any.
    pub(crate) followed_by: Option<(u8, usize)>,
}

/// How a sensitive name must appear near a needle for the lexical tier.
#[derive(Clone, Copy, PartialEq, Eq, Debug)]
pub(crate) enum NameUse {
    /// Anywhere: `update(password)` hashes what the name holds.
    Mentioned,
    /// Given a value: declared or assigned (`const token =`, `let api_key:`),
    /// a key (`state:`), a function's name (`function generateToken`), a
    /// shorthand field (`{ nonce }`) or a quoted cookie name (`"sid",`) — the
    /// places a generated value can flow to.
    Given,
}

/// Whether `window` holds an identifier that names a sensitive value, or one of `also`.
fn window_names_sensitive(window: &str, nearby: &Nearby<'_>) -> bool {
    let Nearby { also, usage, kinds, .. } = *nearby;
    // `jwt.sign` is a path; `genid` must be a whole identifier, not part of one.
    if also.iter().any(|word| word.contains('.')) {
        let lowered = window.to_ascii_lowercase();
        if also.iter().any(|word| word.contains('.') && lowered.contains(word)) {
            return true;
        }
    }
    let bytes = window.as_bytes();
    let mut at = 0;
    while at < bytes.len() {
        if !is_ident_byte(bytes[at]) {
            at += 1;
            continue;
        }
        let start = at;
        while at < bytes.len() && is_ident_byte(bytes[at]) {
            at += 1;
        }
        let word = &window[start..at];
        let named = word.len() >= 2
            && (also.iter().any(|a| a.eq_ignore_ascii_case(word))
                || sensitivity(word).is_some_and(|s| !s.weak && (kinds.is_empty() || kinds.contains(&s.kind))));
        if named && (usage == NameUse::Mentioned || is_given(bytes, start, at)) {
            return true;
        }
    }
    false
}

/// Whether the identifier at `start..end` of `bytes` is given a value there.
fn is_given(bytes: &[u8], start: usize, end: usize) -> bool {
    let mut after = end;
    while bytes.get(after).is_some_and(|b| *b == b' ' || *b == b'\t') {
        after += 1;
    }
    let next = bytes.get(after).copied();
    let next2 = bytes.get(after + 1).copied();
    let mut before = start;
    while before > 0 && bytes[before - 1].is_ascii_whitespace() {
        before -= 1;
    }
    let previous = before.checked_sub(1).map(|i| bytes[i]);
    let assigned = next == Some(b'=') && !matches!(next2, Some(b'=' | b'>'));
    let keyed = next == Some(b':') && next2 != Some(b':');
    let quoted = matches!(previous, Some(b'"' | b'\'' | b'`')) && next.is_some_and(|b| b == previous.unwrap_or(0));
    let shorthand = matches!(previous, Some(b'{' | b',')) && matches!(next, Some(b',' | b'}'));
    let declared = {
        let head = &bytes[..before];
        let word_start = head.iter().rposition(|b| !is_ident_byte(*b)).map_or(0, |i| i + 1);
        matches!(
            &head[word_start..],
            b"const" | b"let" | b"var" | b"fn" | b"function" | b"static" | b"mut"
        )
    };
    // `data-sid="…"` is an HTML attribute inside a string, not a binding.
    let hyphenated = start > 0 && bytes[start - 1] == b'-';
    !hyphenated && (assigned || keyed || quoted || shorthand || declared)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn numbers_as_written() {
        assert_eq!(parse_number("600_000"), Some(600_000));
        assert_eq!(parse_number("1e5"), Some(100_000));
        assert_eq!(parse_number("0x10"), Some(16));
        assert_eq!(parse_number("1000u32"), Some(1000));
        assert_eq!(parse_number("10n"), Some(10));
        assert_eq!(parse_number("abc"), None);
    }

    #[test]
    fn sensitive_names_near_a_needle() {
        let needles = Needles::new(&[&["md5"], &["sha256"]]).expect("builds");
        let all = |_: usize| true;
        let text = "function hashPassword(p) {\n  return MD5(p);\n}\nconst etag = md5(body);";
        let window = |before, after, also| Nearby {
            before,
            after,
            also,
            usage: NameUse::Mentioned,
            kinds: &[],
            followed_by: None,
        };
        assert!(needles.near_sensitive(text, all, &window(40, 10, &[])));
        assert!(!needles.near_sensitive(text, |g| g == 1, &window(40, 10, &[])));
        let far = "const etag = md5(body);\n\n\n\n\n\n\n\nconst password = 1;";
        assert!(!needles.near_sensitive(far, all, &window(10, 10, &[])));
        assert!(needles.near_sensitive(far, all, &window(10, 10, &["etag"])));
        assert!(!needles.near_sensitive(far, all, &window(10, 10, &["eta"])));
        assert!(needles.near_sensitive("x = md5(jwt.sign(a))", all, &window(10, 10, &["jwt.sign"])));
    }

    #[test]
    fn names_given_a_value() {
        let needles = Needles::new(&[&["math.random"]]).expect("builds");
        let nearby = Nearby {
            before: 60,
            after: 60,
            also: &[],
            usage: NameUse::Given,
            kinds: &[],
            followed_by: None,
        };
        let given = |text: &str| needles.near_sensitive(text, |_| true, &nearby);
        assert!(given("const token = Math.random();"));
        assert!(given("function generateToken() { return Math.random(); }"));
        assert!(given("return { nonce: Math.random() };"));
        assert!(given("const n = Math.random(); return { nonce };"));
        assert!(given("res.cookie('sid', Math.random());"));
        assert!(given("let api_key: u64 = Math.random();"));
        assert!(!given("if (token) { delay(Math.random()); }"));
        assert!(!given("if (token == Math.random()) {}"));
        assert!(!given("log(sid, Math.random());"));
        assert!(!given("html = '<div data-sid=\"' + Math.random();"));
    }

    #[test]
    fn algorithm_names_normalize() {
        assert_eq!(normalize("SHA-1"), "sha1");
        assert_eq!(normalize("Sha3_256"), "sha3256");
        assert_eq!(normalize("RSA-MD5"), "rsamd5");
    }
}
