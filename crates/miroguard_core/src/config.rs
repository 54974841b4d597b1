//! `.miroguard.toml`: rule levels, excludes, secret allowlists and custom detectors.
//!
//! A bad configuration is never silently replaced by defaults: every error
//! names the file, the line and column, and what is wrong.

use crate::secret_spec::DetectorSpec;
use crate::severity::Level;
use crate::span::LineIndex;
use regex::Regex;
use serde::Deserialize;
use serde_spanned::Spanned;
use std::collections::BTreeMap;
use std::fmt;
use std::path::{Path, PathBuf};

/// The name of the configuration file looked up from the scan root upward.
pub const CONFIG_FILE_NAME: &str = ".miroguard.toml";

/// A configuration error, with where it is.
#[derive(Clone, Debug, PartialEq, Eq, thiserror::Error)]
pub struct ConfigError {
    /// The configuration file.
    pub path: PathBuf,
    /// 1-based line, when the error has a place in the file.
    pub line: Option<u32>,
    /// 1-based column (in characters), when known.
    pub column: Option<u32>,
    /// What is wrong.
    pub message: String,
}

impl fmt::Display for ConfigError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}", self.path.display())?;
        if let Some(line) = self.line {
            write!(f, ":{line}")?;
            if let Some(column) = self.column {
                write!(f, ":{column}")?;
            }
        }
        write!(f, ": {}", self.message)
    }
}

impl ConfigError {
    /// An error at byte `span` of the configuration `text` read from `path`.
    pub fn at(
        path: &Path,
        text: &str,
        span: Option<std::ops::Range<usize>>,
        message: impl Into<String>,
    ) -> ConfigError {
        let (line, column) = match span {
            Some(span) => {
                let position = LineIndex::new(text).position(text, span.start);
                (Some(position.line), Some(position.column))
            }
            None => (None, None),
        };
        ConfigError {
            path: path.to_path_buf(),
            line,
            column,
            message: message.into(),
        }
    }
}

/// Rule levels by rule id, with where each was set (to report unknown ids).
pub type RuleLevels = BTreeMap<String, (Level, std::ops::Range<usize>)>;

/// A loaded configuration. `Config::default()` is what a project without a
/// `.miroguard.toml` gets.
#[derive(Clone, Debug, Default)]
pub struct Config {
    /// The file it was read from, if any.
    pub path: Option<PathBuf>,
    /// The file's text, kept to place errors found after parsing (unknown rule ids, bad detectors).
    pub text: String,
    /// Levels set per rule.
    pub rules: RuleLevels,
    /// Globs (gitignore-style, relative to the config file's directory) of paths not to scan.
    pub exclude: Vec<String>,
    /// Secrets matching any of these (whole-value) regexes are not reported.
    pub secret_allowlist: Vec<Regex>,
    /// The user's own secret detectors.
    pub detectors: Vec<DetectorSpec>,
    /// Globs (gitignore-style, relative to the config file's directory) of files
    /// the user declares browser or server code, overriding the classification.
    pub context: ContextOverrides,
}

/// `[context]`: files declared browser or server code.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct ContextOverrides {
    /// Globs of browser code.
    pub browser: Vec<String>,
    /// Globs of server code.
    pub server: Vec<String>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RawConfig {
    #[serde(default)]
    exclude: Vec<Spanned<String>>,
    #[serde(default)]
    rules: BTreeMap<Spanned<String>, Spanned<Level>>,
    #[serde(default)]
    secrets: RawSecrets,
    #[serde(default)]
    context: RawContext,
}

#[derive(Deserialize, Default)]
#[serde(deny_unknown_fields)]
struct RawContext {
    #[serde(default)]
    browser: Vec<Spanned<String>>,
    #[serde(default)]
    server: Vec<Spanned<String>>,
}

#[derive(Deserialize, Default)]
#[serde(deny_unknown_fields)]
struct RawSecrets {
    #[serde(default)]
    allowlist: Vec<Spanned<String>>,
    #[serde(default)]
    detectors: Vec<DetectorSpec>,
}

impl Config {
    /// Parses the configuration `text` read from `path`.
    pub fn parse(text: &str, path: &Path) -> Result<Config, ConfigError> {
        let raw: RawConfig = toml::from_str(text).map_err(|error| {
            let message = error.message().trim().to_string();
            ConfigError::at(path, text, error.span(), message)
        })?;

        let globs = |list: Vec<Spanned<String>>, key: &str| -> Result<Vec<String>, ConfigError> {
            let mut out = Vec::with_capacity(list.len());
            for glob in list {
                if let Err(error) = globset::Glob::new(glob.get_ref()) {
                    let message = format!("invalid glob in `{key}`: {}", error.kind());
                    return Err(ConfigError::at(path, text, Some(glob.span()), message));
                }
                out.push(glob.into_inner());
            }
            Ok(out)
        };
        let exclude = globs(raw.exclude, "exclude")?;
        let context = ContextOverrides {
            browser: globs(raw.context.browser, "context.browser")?,
            server: globs(raw.context.server, "context.server")?,
        };

        let mut secret_allowlist = Vec::with_capacity(raw.secrets.allowlist.len());
        for pattern in raw.secrets.allowlist {
            secret_allowlist.push(compile_whole_value_regex(pattern.get_ref()).map_err(|message| {
                ConfigError::at(
                    path,
                    text,
                    Some(pattern.span()),
                    format!("invalid regex in `secrets.allowlist`: {message}"),
                )
            })?);
        }

        let rules = raw
            .rules
            .into_iter()
            .map(|(id, level)| (id.get_ref().clone(), (*level.get_ref(), id.span())))
            .collect();

        Ok(Config {
            path: Some(path.to_path_buf()),
            text: text.to_string(),
            rules,
            exclude,
            secret_allowlist,
            detectors: raw.secrets.detectors,
            context,
        })
    }

    /// Reads and parses the configuration file at `path`.
    pub fn load(path: &Path) -> Result<Config, ConfigError> {
        let text = std::fs::read_to_string(path).map_err(|error| ConfigError {
            path: path.to_path_buf(),
            line: None,
            column: None,
            message: format!("cannot read the configuration: {error}"),
        })?;
        Config::parse(&text, path)
    }

    /// Finds `.miroguard.toml` in `start` or the nearest directory above it.
    pub fn discover(start: &Path) -> Option<PathBuf> {
        start
            .ancestors()
            .map(|dir| dir.join(CONFIG_FILE_NAME))
            .find(|candidate| candidate.is_file())
    }

    /// The directory relative paths in the configuration are resolved against.
    pub fn base_dir(&self) -> Option<&Path> {
        self.path.as_deref().and_then(Path::parent)
    }

    /// An error at byte `span` of this configuration's file.
    pub fn error_at(&self, span: std::ops::Range<usize>, message: impl Into<String>) -> ConfigError {
        let path = self.path.clone().unwrap_or_else(|| PathBuf::from(CONFIG_FILE_NAME));
        ConfigError::at(&path, &self.text, Some(span), message)
    }

    /// The level the user set for `rule`, if any.
    pub fn level(&self, rule: &str) -> Option<Level> {
        self.rules.get(rule).map(|(level, _)| *level)
    }

    /// Whether `secret` matches one of the user's allowlist regexes.
    pub fn allows_secret(&self, secret: &str) -> bool {
        self.secret_allowlist.iter().any(|re| re.is_match(secret))
    }
}

/// Compiles `pattern` so that it must match a whole value (anchored at both ends).
pub fn compile_whole_value_regex(pattern: &str) -> Result<Regex, String> {
    Regex::new(&format!("^(?:{pattern})$")).map_err(|error| regex_error_message(&error))
}

/// The one line of a regex error that says what is wrong (the `regex` crate's
/// message repeats the pattern with a caret above it).
pub fn regex_error_message(error: &regex::Error) -> String {
    match error {
        regex::Error::Syntax(text) => text.lines().last().unwrap_or("syntax error").trim().to_string(),
        other => other.to_string(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn parse(text: &str) -> Result<Config, ConfigError> {
        Config::parse(text, Path::new("/p/.miroguard.toml"))
    }

    #[test]
    fn parses_a_full_configuration() {
        let config = parse(
            r#"
exclude = ["fixtures/**", "*.snap"]

[rules]
hardcoded-secret = "warning"
unused-suppression = "off"

[secrets]
allowlist = ["sk_test_.*"]

[[secrets.detectors]]
id = "acme-key"
title = "ACME API key"
regex = 'acme_[a-z0-9]{32}'
keywords = ["acme_"]

[context]
browser = ["web/**"]
server = ["api/**", "lambda/*.js"]
"#,
        )
        .unwrap();
        assert_eq!(config.exclude.len(), 2);
        assert_eq!(config.level("hardcoded-secret"), Some(Level::Warning));
        assert_eq!(config.level("unused-suppression"), Some(Level::Off));
        assert!(config.allows_secret("sk_test_abc"));
        assert!(!config.allows_secret("xsk_test_abc"));
        assert_eq!(config.detectors[0].id.get_ref(), "acme-key");
        assert_eq!(config.context.browser, ["web/**"]);
        assert_eq!(config.context.server.len(), 2);
    }

    #[test]
    fn unknown_keys_are_errors_with_a_line() {
        let error = parse("exclude = []\n[rules]\nfoo = \"error\"\n[secret]\nx = 1\n").unwrap_err();
        assert_eq!(error.line, Some(4), "{error}");
        assert!(error.message.contains("unknown field `secret`"), "{error}");
    }

    #[test]
    fn bad_levels_are_errors_with_a_line() {
        let error = parse("[rules]\nhardcoded-secret = \"loud\"\n").unwrap_err();
        assert_eq!((error.line, error.column), (Some(2), Some(20)), "{error}");
        assert!(error.message.contains("loud"), "{error}");
    }

    #[test]
    fn bad_regexes_are_errors_with_a_line() {
        let error = parse("[secrets]\nallowlist = [\n  \"ok\",\n  \"(unclosed\",\n]\n").unwrap_err();
        assert_eq!(error.line, Some(4), "{error}");
        assert!(
            error.to_string().starts_with("/p/.miroguard.toml:4:3: invalid regex"),
            "{error}"
        );
    }

    #[test]
    fn bad_globs_are_errors_with_a_line() {
        let error = parse("exclude = [\"a/{b\"]\n").unwrap_err();
        assert_eq!(error.line, Some(1), "{error}");
    }

    #[test]
    fn bad_context_globs_are_errors_with_a_line() {
        let error = parse("[context]\nbrowser = [\"ok/**\", \"web/{a\"]\n").unwrap_err();
        assert_eq!(error.line, Some(2), "{error}");
        assert!(error.message.contains("context.browser"), "{error}");
    }

    #[test]
    fn syntax_errors_have_a_line() {
        let error = parse("[rules\n").unwrap_err();
        assert_eq!(error.line, Some(1), "{error}");
    }
}
