//! `dotenv-file-committed` (R-DATA-2): a secrets file — `.env`, `.npmrc`, a
//! private key, a service-account key — that holds real values and that git
//! does not ignore.
//!
//! The file's name decides whether it is a secrets file and of which kind
//! (tables in `rules/dotenv-file-committed.toml`); its values decide whether
//! it is worth reporting. Secret-looking values are what the shared
//! [`SecretScanner`] of `hardcoded-secret` finds; in environment and `.npmrc`
//! files any non-placeholder value of a secret-like name or credential key
//! counts too, because whatever such a file holds is used as the secret. One
//! finding per file, at the first real value.

use crate::secrets::names::{NameStrength, secret_name_strength};
use crate::secrets::scanner::{SecretMatch, SecretScanner};
use crate::secrets::values::is_placeholder;
use crate::{FileInput, Rule};
use miroguard_core::{Finding, Language, RuleMeta, Span};
use regex::Regex;
use serde::Deserialize;
use std::sync::Arc;

/// The rule's id.
pub const ID: &str = "dotenv-file-committed";

/// The rule's TOML file.
pub const TOML: &str = include_str!(concat!(
    env!("CARGO_MANIFEST_DIR"),
    "/../../rules/dotenv-file-committed.toml"
));

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RuleFile {
    rule: RuleMeta,
    env: EnvFiles,
    npmrc: NpmrcFiles,
    private_key: DetectedFiles,
    service_account: DetectedFiles,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct EnvFiles {
    names: Vec<String>,
    example_markers: Vec<String>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct NpmrcFiles {
    names: Vec<String>,
    credential_keys: Vec<String>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct DetectedFiles {
    names: Vec<String>,
    detectors: Vec<String>,
}

/// What a secrets file is.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum SecretsFile {
    /// `.env`, `.env.production`, `app.env`.
    Env,
    /// `.env.example` and its kin: committed on purpose, with placeholders.
    EnvExample,
    /// `.npmrc`.
    Npmrc,
    /// `*.pem`, `*.key`, `id_rsa`.
    PrivateKey,
    /// Google service-account JSON (any `*.json`, decided by its content).
    ServiceAccount,
}

/// The rule.
pub struct DotenvFileCommitted {
    meta: RuleMeta,
    scanner: Arc<SecretScanner>,
    env_names: Vec<String>,
    example_markers: Vec<String>,
    npmrc_names: Vec<String>,
    credential_keys: Vec<String>,
    private_key_names: Vec<String>,
    /// Indices of the scanner's detectors that find private keys.
    private_key_detectors: Vec<usize>,
    service_account_names: Vec<String>,
    /// Indices of the scanner's detectors that find service-account keys.
    service_account_detectors: Vec<usize>,
    allowlist: Vec<Regex>,
}

fn lowercase(names: Vec<String>) -> Vec<String> {
    names.into_iter().map(|n| n.to_ascii_lowercase()).collect()
}

impl DotenvFileCommitted {
    /// The rule, recognising secrets with `scanner` (shared with
    /// `hardcoded-secret`); values matching one of `allowlist` (the user's
    /// whole-value regexes) are not real.
    pub fn new(scanner: Arc<SecretScanner>, allowlist: &[Regex]) -> Result<DotenvFileCommitted, String> {
        let file: RuleFile = toml::from_str(TOML).map_err(|e| e.to_string())?;
        let detector_indices = |ids: &[String]| -> Result<Vec<usize>, String> {
            ids.iter()
                .map(|id| {
                    scanner
                        .detectors()
                        .iter()
                        .position(|d| d.id == *id)
                        .ok_or_else(|| format!("no `hardcoded-secret` detector `{id}`"))
                })
                .collect()
        };
        let private_key_detectors = detector_indices(&file.private_key.detectors)?;
        let service_account_detectors = detector_indices(&file.service_account.detectors)?;
        Ok(DotenvFileCommitted {
            meta: file.rule,
            env_names: lowercase(file.env.names),
            example_markers: lowercase(file.env.example_markers),
            npmrc_names: lowercase(file.npmrc.names),
            credential_keys: file.npmrc.credential_keys,
            private_key_names: lowercase(file.private_key.names),
            private_key_detectors,
            service_account_names: lowercase(file.service_account.names),
            service_account_detectors,
            scanner,
            allowlist: allowlist.to_vec(),
        })
    }

    /// What kind of secrets file a file named `name` (its last path component) is, if any.
    pub fn kind_of(&self, name: &str) -> Option<SecretsFile> {
        let name = name.to_ascii_lowercase();
        let any = |patterns: &[String]| patterns.iter().any(|p| glob_match(p, &name));
        if any(&self.env_names) {
            let example = name
                .split('.')
                .any(|part| self.example_markers.iter().any(|m| m == part));
            Some(if example {
                SecretsFile::EnvExample
            } else {
                SecretsFile::Env
            })
        } else if any(&self.npmrc_names) {
            Some(SecretsFile::Npmrc)
        } else if any(&self.private_key_names) {
            Some(SecretsFile::PrivateKey)
        } else if any(&self.service_account_names) {
            Some(SecretsFile::ServiceAccount)
        } else {
            None
        }
    }

    fn allowed(&self, value: &str) -> bool {
        self.allowlist.iter().any(|re| re.is_match(value))
    }

    /// The real values of a file of `kind`, as (span, value), in no particular order.
    fn real_values(&self, kind: SecretsFile, input: &FileInput<'_>) -> Vec<(Span, String)> {
        let text = input.text;
        let wanted_detectors: Option<&[usize]> = match kind {
            SecretsFile::Env | SecretsFile::EnvExample | SecretsFile::Npmrc => None,
            SecretsFile::PrivateKey if text.contains("PRIVATE KEY") => Some(&self.private_key_detectors),
            SecretsFile::ServiceAccount if is_service_account(text) => Some(&self.service_account_detectors),
            SecretsFile::PrivateKey | SecretsFile::ServiceAccount => return Vec::new(),
        };
        let mut values: Vec<(Span, String)> = self
            .scanner
            .scan(input)
            .iter()
            .filter_map(|found| match found {
                SecretMatch::Provider { detector, found } => wanted_detectors
                    .is_none_or(|wanted| wanted.contains(detector))
                    .then(|| (found.span, found.secret.clone())),
                SecretMatch::Generic(m) => wanted_detectors.is_none().then(|| (m.span, m.secret.clone())),
            })
            .collect();
        let own = match kind {
            SecretsFile::Env => env_assignments(text)
                .into_iter()
                .filter(|a| secret_name_strength(a.name) == Some(NameStrength::Strong) && is_real(a.value))
                .map(|a| (a.value_span, a.value.to_string()))
                .collect(),
            SecretsFile::Npmrc => npmrc_credentials(text, &self.credential_keys),
            _ => Vec::new(),
        };
        values.extend(own.into_iter().filter(|(_, value)| !self.allowed(value)));
        // Values encrypted to be committed (dotenvx) are not the secret.
        values.retain(|(_, value)| !value.starts_with("encrypted:"));
        values
    }
}

/// `"type": "service_account"`, spaced any way.
fn is_service_account(text: &str) -> bool {
    text.match_indices("\"type\"").any(|(at, key)| {
        let rest = text[at + key.len()..].trim_start();
        rest.strip_prefix(':')
            .is_some_and(|rest| rest.trim_start().starts_with("\"service_account\""))
    })
}

/// Whether `name` matches `pattern`, in which `*` stands for any characters.
fn glob_match(pattern: &str, name: &str) -> bool {
    match pattern.split_once('*') {
        None => pattern == name,
        Some((prefix, rest)) => {
            let Some(tail) = name.strip_prefix(prefix) else {
                return false;
            };
            rest.is_empty()
                || (0..=tail.len())
                    .filter(|&i| tail.is_char_boundary(i))
                    .any(|i| glob_match(rest, &tail[i..]))
        }
    }
}

/// Whether a value given to a secret-like name is a real one: not empty,
/// not a placeholder or reference, not a path or URL pointing elsewhere, not
/// a bare number or flag, and not encrypted for committing (dotenvx writes
/// `encrypted:…`).
fn is_real(value: &str) -> bool {
    let value = value.trim();
    !value.is_empty()
        && value.bytes().any(|b| b.is_ascii_alphabetic())
        && !value.starts_with("encrypted:")
        && !is_placeholder(value)
        && !points_elsewhere(value)
}

/// A file path or a URL without credentials: where a secret is, not the secret.
/// (URLs with a password in them are the scanner's `url-credentials`.)
fn points_elsewhere(value: &str) -> bool {
    const KEY_FILE_EXTENSIONS: &[&str] = &[
        ".pem", ".key", ".json", ".crt", ".cer", ".p12", ".pfx", ".p8", ".txt", ".der", ".jks",
    ];
    let lower = value.to_ascii_lowercase();
    ["/", "./", "../", "~/"].iter().any(|p| value.starts_with(p))
        || value.get(1..3) == Some(":\\")
        || value.contains("://")
        || (!value.contains(char::is_whitespace) && KEY_FILE_EXTENSIONS.iter().any(|ext| lower.ends_with(ext)))
}

/// One `NAME=value` line of an environment file.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
struct Assignment<'a> {
    name: &'a str,
    value: &'a str,
    value_span: Span,
}

/// The assignments of a dotenv file: `NAME=value`, `export NAME="value"`,
/// `NAME: value`, with `#` comment lines and trailing ` # comments`, and
/// quoted values that may run over several lines.
fn env_assignments(text: &str) -> Vec<Assignment<'_>> {
    let bytes = text.as_bytes();
    let mut out = Vec::new();
    let mut pos = 0;
    while pos < bytes.len() {
        let line_end = memchr::memchr(b'\n', &bytes[pos..]).map_or(bytes.len(), |i| pos + i);
        let mut next = line_end + 1;
        let line = &text[pos..line_end];
        let mut at = pos + (line.len() - line.trim_start().len());
        if let Some(rest) = text[at..line_end].strip_prefix("export") {
            if rest.starts_with([' ', '\t']) {
                at = line_end - rest.trim_start().len();
            }
        }
        let name_len = bytes[at..line_end]
            .iter()
            .position(|&b| !(b.is_ascii_alphanumeric() || matches!(b, b'_' | b'.' | b'-')))
            .unwrap_or(line_end - at);
        let name = &text[at..at + name_len];
        let mut i = at + name_len;
        while i < line_end && matches!(bytes[i], b' ' | b'\t') {
            i += 1;
        }
        if name.is_empty() || name.starts_with('#') || i >= line_end || !matches!(bytes[i], b'=' | b':') {
            pos = next;
            continue;
        }
        i += 1;
        while i < line_end && matches!(bytes[i], b' ' | b'\t') {
            i += 1;
        }
        let (start, end) = match bytes.get(i) {
            Some(&quote @ (b'"' | b'\'' | b'`')) if i < line_end => {
                let open = i + 1;
                let mut j = open;
                while j < bytes.len() && bytes[j] != quote {
                    j += if quote == b'"' && bytes[j] == b'\\' { 2 } else { 1 };
                }
                if j < bytes.len() {
                    // The value may span lines; the next assignment starts after its closing quote's line.
                    next = memchr::memchr(b'\n', &bytes[j..]).map_or(bytes.len(), |k| j + k + 1);
                    (open, j)
                } else {
                    (open, line_end)
                }
            }
            _ => {
                let value = &text[i..line_end];
                let comment = value
                    .match_indices('#')
                    .find(|(k, _)| *k > 0 && value[..*k].ends_with([' ', '\t']))
                    .map_or(value.len(), |(k, _)| k);
                (i, i + value[..comment].trim_end().len())
            }
        };
        if let Some(value) = text.get(start..end) {
            out.push(Assignment {
                name,
                value,
                value_span: Span::new(start, end),
            });
        }
        pos = next;
    }
    out
}

/// The registry credentials of an `.npmrc`: values of `credential_keys`,
/// alone or after a registry (`//registry.npmjs.org/:_authToken=…`), that are
/// not empty and not placeholders or `${VAR}` references.
fn npmrc_credentials(text: &str, credential_keys: &[String]) -> Vec<(Span, String)> {
    let mut out = Vec::new();
    let mut offset = 0;
    for line in text.split_inclusive('\n') {
        let line_start = offset;
        offset += line.len();
        let trimmed = line.trim_start();
        if trimmed.starts_with(['#', ';']) {
            continue;
        }
        let Some((key, value)) = line.split_once('=') else {
            continue;
        };
        let key = key.trim();
        let key = key.rsplit_once(':').map_or(key, |(_, k)| k);
        if !credential_keys.iter().any(|k| k.eq_ignore_ascii_case(key)) {
            continue;
        }
        let value_at = line_start + line.find('=').map_or(0, |i| i + 1);
        // As npm's ini parser does, an unquoted `;` or `#` starts a comment.
        let raw = value.trim_end_matches(['\n', '\r']);
        let raw = match raw.trim_start().starts_with(['"', '\'']) {
            true => raw,
            false => raw.find([';', '#']).map_or(raw, |i| &raw[..i]),
        };
        let lead = raw.len() - raw.trim_start().len();
        let mut value = raw.trim();
        let mut start = value_at + lead;
        if value.len() >= 2
            && (value.starts_with('"') && value.ends_with('"') || value.starts_with('\'') && value.ends_with('\''))
        {
            value = &value[1..value.len() - 1];
            start += 1;
        }
        if !value.is_empty() && !is_placeholder(value) {
            out.push((Span::new(start, start + value.len()), value.to_string()));
        }
    }
    out
}

fn file_name(path: &str) -> &str {
    path.rsplit(['/', '\\']).next().unwrap_or(path)
}

impl Rule for DotenvFileCommitted {
    fn meta(&self) -> &RuleMeta {
        &self.meta
    }

    /// The scanner's keywords, so that its keyword hits line up; the rule
    /// itself decides by file name and runs on every file.
    fn keywords(&self) -> &[String] {
        self.scanner.keywords()
    }

    fn needs_facts(&self, _input: &FileInput<'_>) -> bool {
        false
    }

    fn check(&self, input: &FileInput<'_>, findings: &mut Vec<Finding>) {
        if input.context.git_ignored || input.context.language != Language::Text {
            return;
        }
        let name = file_name(&input.context.display_path);
        let Some(kind) = self.kind_of(name) else {
            return;
        };
        let Some((span, secret)) = self
            .real_values(kind, input)
            .into_iter()
            .min_by_key(|(span, _)| (span.start, span.end))
        else {
            return;
        };
        let (message, help) = match kind {
            SecretsFile::Env => (
                format!("`{name}` holds real values and is not git-ignored: it would be committed"),
                "Git-ignore the file (`.env*`, except the example), stop tracking it (`git rm --cached`), commit an example with placeholders, and rotate every secret it held.",
            ),
            SecretsFile::EnvExample => (
                format!(
                    "Example file `{name}` holds real values: it is committed on purpose, so it must hold placeholders only"
                ),
                "Replace the values with placeholders (`MIRO_CLIENT_SECRET=your_client_secret`) and rotate the real ones.",
            ),
            SecretsFile::Npmrc => (
                format!("`{name}` holds a registry credential and is not git-ignored: it would be committed"),
                "Write `//registry.npmjs.org/:_authToken=${NPM_TOKEN}` and set the token in the environment (or keep it in your user-level `~/.npmrc`), and revoke this one.",
            ),
            SecretsFile::PrivateKey => (
                format!("`{name}` holds a private key and is not git-ignored: it would be committed"),
                "Keep keys out of the repository (in a secret store, or a file git ignores), and replace this key and any certificate issued for it.",
            ),
            SecretsFile::ServiceAccount => (
                format!("`{name}` is a Google service-account key and is not git-ignored: it would be committed"),
                "Delete the key in the Google Cloud console (IAM → Service accounts → Keys), git-ignore key files, and use workload identity or a secret manager.",
            ),
        };
        let mut severity = self.meta.severity;
        if input.context.is_test {
            severity = severity.downgraded();
        }
        findings.push(
            Finding::new(ID, severity, span, message)
                .with_help(help)
                .with_secret(secret, span),
        );
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::KeywordHits;
    use crate::rules::hardcoded_secret::HardcodedSecret;
    use miroguard_core::{FileContext, Severity};

    fn rule() -> DotenvFileCommitted {
        let hardcoded = HardcodedSecret::new(&[], &[]).expect("hardcoded-secret loads");
        DotenvFileCommitted::new(hardcoded.scanner(), &[]).expect("rule loads")
    }

    /// Runs the rule on `text` as the file `path`, keywords first: (line, reported text, message).
    fn check_with(
        rule: &DotenvFileCommitted,
        path: &str,
        text: &str,
        git_ignored: bool,
    ) -> Vec<(usize, String, String, Severity)> {
        let lower = text.to_ascii_lowercase();
        let hits: Vec<bool> = rule.keywords().iter().map(|k| lower.contains(k.as_str())).collect();
        let mut context = FileContext::from_display_path(path);
        context.git_ignored = git_ignored;
        let input = FileInput {
            context: &context,
            text,
            keywords: KeywordHits::new(&hits),
            facts: None,
            parse_failed: false,
            memo: &crate::FileMemo::default(),
        };
        assert!(!rule.needs_facts(&input));
        let mut findings = Vec::new();
        rule.check(&input, &mut findings);
        findings
            .into_iter()
            .map(|f| {
                assert_eq!(f.secret.as_deref(), Some(f.span.text(text)));
                let line = text[..f.span.start].matches('\n').count() + 1;
                (line, f.span.text(text).to_string(), f.message, f.severity)
            })
            .collect()
    }

    fn check(path: &str, text: &str) -> Vec<(usize, String, String, Severity)> {
        check_with(&rule(), path, text, false)
    }

    #[test]
    fn file_kinds_by_name() {
        let rule = rule();
        use SecretsFile::*;
        for (name, kind) in [
            (".env", Some(Env)),
            (".env.local", Some(Env)),
            (".env.production", Some(Env)),
            (".env.development.local", Some(Env)),
            ("prod.env", Some(Env)),
            (".ENV", Some(Env)),
            (".env.example", Some(EnvExample)),
            (".env.sample", Some(EnvExample)),
            (".sample.env", Some(EnvExample)),
            (".env.template", Some(EnvExample)),
            (".env.dist", Some(EnvExample)),
            (".env.defaults", Some(EnvExample)),
            (".env.local.example", Some(EnvExample)),
            (".npmrc", Some(Npmrc)),
            ("server.key", Some(PrivateKey)),
            ("tls.pem", Some(PrivateKey)),
            ("id_ed25519", Some(PrivateKey)),
            ("service-account.json", Some(ServiceAccount)),
            ("environment.ts", None),
            ("README.md", None),
            ("id_rsa.pub", None),
            ("envfile", None),
        ] {
            assert_eq!(rule.kind_of(name), kind, "{name}");
        }
    }

    #[test]
    fn a_committed_env_file_is_reported_at_its_first_real_value() {
        let text = "# local settings\nPORT=3000\nMIRO_CLIENT_ID=3458764517517819000\nMIRO_CLIENT_SECRET=\nSESSION_SECRET=keyboardcat # for now\nDB_PASSWORD=Xk9vR2pLmQ7tzW\n";
        let found = check(".env", text);
        assert_eq!(found.len(), 1, "{found:?}");
        assert_eq!((found[0].0, found[0].1.as_str()), (5, "keyboardcat"));
        assert_eq!(
            found[0].2,
            "`.env` holds real values and is not git-ignored: it would be committed"
        );
        assert_eq!(found[0].3, Severity::Error);
    }

    #[test]
    fn placeholders_references_paths_and_plain_settings_are_not_real() {
        let text = "NODE_ENV=production\nPORT=3000\nMIRO_CLIENT_ID=3458764517517819000\nMIRO_CLIENT_SECRET=your_client_secret\nSESSION_SECRET=${SESSION_SECRET}\nAPI_TOKEN=$API_TOKEN\nJWT_PRIVATE_KEY=./keys/jwt.pem\nGOOGLE_CREDENTIALS=/run/secrets/google.json\nDB_PASSWORD=\nTOKEN_SECRET=\"\"\nAUTH_SECRET=changeme\nPASSWORD_ROUNDS=12\nDATABASE_URL=postgres://user:password@localhost:5432/app\n# SESSION_SECRET=old-value-commented-out\n";
        assert!(check(".env", text).is_empty(), "{:?}", check(".env", text));
        assert!(check(".env.production", text).is_empty());
    }

    #[test]
    fn values_encrypted_for_committing_are_not_real() {
        let text = "DOTENV_PUBLIC_KEY=\"034af93e93708b994c10f236c96ef88e47291066946cce2e8d98c9e02c741ced45\"\nSESSION_SECRET=\"encrypted:BDqDBibm4wsYqMpCjTQ6BsDHmMadg9K3dAt+Z9HPMfLEIRVz50hmLXPX\"\n";
        assert!(check(".env", text).is_empty(), "{:?}", check(".env", text));
        let keys = "DOTENV_PRIVATE_KEY=\"81dac4d2c42e67a2c6542d3b943a4674a05c4be5e7e5a40a689be7a3bd49a07e\"\n";
        assert_eq!(check(".env.keys", keys).len(), 1);
    }

    #[test]
    fn provider_credentials_count_under_any_name() {
        let text = "DATABASE_URL=postgres://app:Xk9vR2pLmQ7t@db.prod.acme.internal:5432/app\n"; // miroguard-ignore[hardcoded-secret]: test data
        let found = check(".env.production", text);
        assert_eq!(found.len(), 1);
        assert_eq!(found[0].1, "Xk9vR2pLmQ7t");
    }

    #[test]
    fn quoted_and_exported_values() {
        let text = "export SESSION_SECRET=\"keyboard cat\"\nCOOKIE_SECRET='dev'\n";
        let found = check(".env.local", text);
        assert_eq!(found.len(), 1);
        assert_eq!((found[0].0, found[0].1.as_str()), (1, "keyboard cat"));
        let assignments = env_assignments("A=\"x\ny\"\nB=2 # c\n  export C = 'q'\n#D=1\nE");
        let pairs: Vec<(&str, &str)> = assignments.iter().map(|a| (a.name, a.value)).collect();
        assert_eq!(pairs, [("A", "x\ny"), ("B", "2"), ("C", "q")]);
    }

    #[test]
    fn example_files_need_secret_looking_values() {
        let placeholders = "MIRO_CLIENT_ID=your_client_id\nMIRO_CLIENT_SECRET=your_client_secret\nSESSION_SECRET=keyboardcat\nAWS_ACCESS_KEY_ID=AKIAIOSFODNN7EXAMPLE\nAWS_SECRET_ACCESS_KEY=wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY\nJWT_SECRET=${JWT_SECRET}\n";
        assert!(check(".env.example", placeholders).is_empty());
        let real = "MIRO_CLIENT_ID=your_client_id\nMIRO_CLIENT_SECRET=4vT9kQ2mX7pL0sR5wZ8yB3nC6dF1gH4j\n";
        let found = check(".env.example", real);
        assert_eq!(found.len(), 1);
        assert_eq!(found[0].0, 2);
        assert!(found[0].2.starts_with("Example file `.env.example` holds real values"));
    }

    #[test]
    fn npmrc_credentials_are_real_unless_references() {
        let text = "registry=https://registry.npmjs.org/\n; comment _authToken=abc\n//npm.pkg.github.com/:_authToken=${GITHUB_TOKEN}\n//registry.acme.io/:_password=\"c2VjcmV0cGFzcw==\"\nalways-auth=true\n";
        let found = check(".npmrc", text);
        assert_eq!(found.len(), 1, "{found:?}");
        assert_eq!((found[0].0, found[0].1.as_str()), (4, "c2VjcmV0cGFzcw=="));
        assert!(check(".npmrc", "//registry.npmjs.org/:_authToken=${NPM_TOKEN}\n_auth=\n").is_empty());
        let found = check(".npmrc", "_auth=dXNlcjpwYXNz ; basic auth\n");
        assert_eq!(found[0].1, "dXNlcjpwYXNz");
    }

    #[test]
    fn key_files_need_a_private_key() {
        // miroguard-ignore[hardcoded-secret]: test data
        let key = "-----BEGIN EC PRIVATE KEY-----\n5IOgbbuzz4Ej6IbAgZHV0M0E06+VzOS2rvSxpDoVBwoio1z1GmDVc44MoASgiK4+fUMAdMwRv+6A5YkXqIYQvrx5QM8T2EM8usE0O72m+XV+2GETeumvScQLnaGkMhOZ\n-----END EC PRIVATE KEY-----\n";
        let found = check("certs/server.key", key);
        assert_eq!(found.len(), 1);
        assert!(found[0].1.starts_with("-----BEGIN EC PRIVATE KEY-----"));
        assert!(found[0].2.contains("holds a private key"));
        let certificate = "-----BEGIN CERTIFICATE-----\nMIIBszCCAVmgAwIBAgIUQ2VydGlmaWNhdGVGb3JUZXN0aW5nMAoGCCqGSM49BAMCMCExHzAdBgNVBAMMFmFjbWUtbWlyby1hcHAuZXhhbXBsZQ==\n-----END CERTIFICATE-----\n";
        assert!(check("certs/server.pem", certificate).is_empty());
        assert!(
            check(
                "certs/server.key",
                "-----BEGIN PRIVATE KEY-----\n...\n-----END PRIVATE KEY-----\n"
            )
            .is_empty()
        );
    }

    #[test]
    fn service_account_json() {
        // The fixture's key stays in fixtures/, which the repository's own scan excludes.
        let key = include_str!("../../../../fixtures/dotenv-file-committed/deploy/service-account.json");
        let found = check("deploy/sa.json", key);
        assert_eq!(found.len(), 1);
        assert_eq!(found[0].0, 5);
        assert!(found[0].2.contains("service-account key"));
        assert!(check("package.json", "{\"name\": \"app\", \"private_key\": \"x\"}").is_empty());
        let placeholder = "{\"type\": \"service_account\", \"private_key\": \"<your private key>\"}";
        assert!(check("deploy/sa.json", placeholder).is_empty());
    }

    #[test]
    fn git_ignored_files_and_source_files_are_never_reported() {
        let rule = rule();
        let text = "SESSION_SECRET=keyboardcat\n";
        assert_eq!(check_with(&rule, ".env", text, false).len(), 1);
        assert!(check_with(&rule, ".env", text, true).is_empty());
        assert!(check_with(&rule, ".env.js", "const SESSION_SECRET = 'keyboardcat';\n", false).is_empty());
    }

    #[test]
    fn test_directories_drop_a_level_and_the_allowlist_applies() {
        let found = check("test/fixtures/.env", "SESSION_SECRET=keyboardcat\n");
        assert_eq!(found[0].3, Severity::Warning);
        let hardcoded = HardcodedSecret::new(&[], &[]).expect("loads");
        let allow = miroguard_core::config::compile_whole_value_regex("keyboard.*").expect("valid");
        let rule = DotenvFileCommitted::new(hardcoded.scanner(), &[allow]).expect("loads");
        assert!(check_with(&rule, ".env", "SESSION_SECRET=keyboardcat\n", false).is_empty());
    }

    #[test]
    fn globs() {
        assert!(glob_match(".env.*", ".env.local"));
        assert!(!glob_match(".env.*", ".env"));
        assert!(glob_match("*.env", "app.env"));
        assert!(glob_match("*.pem", "a.b.pem"));
        assert!(!glob_match("*.pem", "pem"));
        assert!(glob_match("id_rsa", "id_rsa"));
        assert!(glob_match("a*b*c", "axxbyyc"));
        assert!(!glob_match("a*b*c", "axxbyy"));
    }
}
