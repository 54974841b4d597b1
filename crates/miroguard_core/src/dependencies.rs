//! The versions of the libraries a project uses, read from its manifest and
//! lockfile: a library's defaults change between versions (helmet's HSTS
//! max-age, tower-sessions' `Secure`), and a rule that knows the version
//! reports only what is weak in the version the project runs.
//!
//! Read: `package-lock.json` / `npm-shrinkwrap.json` (v1–v3), `yarn.lock`
//! (classic and berry), `pnpm-lock.yaml`, `Cargo.lock`; else the ranges in
//! `package.json` / `Cargo.toml`, whose lowest version stands for the range.

use std::collections::BTreeMap;
use std::fmt;

/// A `major.minor.patch` version (pre-release and build parts dropped).
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct Version {
    /// Major.
    pub major: u64,
    /// Minor.
    pub minor: u64,
    /// Patch.
    pub patch: u64,
}

impl Version {
    /// A version.
    pub const fn new(major: u64, minor: u64, patch: u64) -> Version {
        Version { major, minor, patch }
    }

    /// The version at the start of `text` (`7.1.0`, `v2`, `0.12.3-beta.1`),
    /// after any range operators (`^`, `~`, `>=`, `=`).
    pub fn parse(text: &str) -> Option<Version> {
        let text = text.trim().trim_start_matches(['^', '~', '>', '=', 'v', ' ']);
        let end = text
            .find(|c: char| !(c.is_ascii_digit() || c == '.'))
            .unwrap_or(text.len());
        let mut parts = text[..end].split('.').map(|p| p.parse::<u64>());
        let major = parts.next()?.ok()?;
        let minor = parts.next().and_then(Result::ok).unwrap_or(0);
        let patch = parts.next().and_then(Result::ok).unwrap_or(0);
        Some(Version::new(major, minor, patch))
    }
}

impl fmt::Display for Version {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}.{}.{}", self.major, self.minor, self.patch)
    }
}

/// A library's version and where it was read.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Resolved {
    /// The version (for a range from a manifest, its lowest version).
    pub version: Version,
    /// The file it came from (`package-lock.json`, `package.json`).
    pub source: String,
    /// Whether it is the installed version (from a lockfile), not a range.
    pub locked: bool,
}

/// The library versions of one package (an npm package or a Cargo crate).
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Dependencies {
    versions: BTreeMap<String, Resolved>,
}

impl Dependencies {
    /// The version of `library`, if the project declares it.
    pub fn get(&self, library: &str) -> Option<&Resolved> {
        self.versions.get(library)
    }

    /// Whether nothing is known.
    pub fn is_empty(&self) -> bool {
        self.versions.is_empty()
    }

    /// An npm package's libraries: the manifest's declared ranges, replaced
    /// by the lockfile's installed versions where it has them.
    pub fn npm(manifest: Option<&str>, lockfile: Option<(&str, &str)>) -> Dependencies {
        let mut deps = Dependencies::default();
        if let Some(text) = manifest {
            deps.add_ranges(package_json_ranges(text), "package.json");
        }
        if let Some((name, text)) = lockfile {
            let locked = match name {
                "package-lock.json" | "npm-shrinkwrap.json" => package_lock_versions(text),
                "yarn.lock" => yarn_lock_versions(text),
                "pnpm-lock.yaml" => pnpm_lock_versions(text),
                _ => Vec::new(),
            };
            deps.add_locked(locked, name);
        }
        deps
    }

    /// A Cargo package's libraries: `Cargo.toml`'s requirements, replaced by
    /// `Cargo.lock`'s versions where it has them.
    pub fn cargo(manifest: Option<&str>, lockfile: Option<&str>) -> Dependencies {
        let mut deps = Dependencies::default();
        if let Some(text) = manifest {
            deps.add_ranges(cargo_toml_requirements(text), "Cargo.toml");
        }
        if let Some(text) = lockfile {
            deps.add_locked(cargo_lock_versions(text), "Cargo.lock");
        }
        deps
    }

    fn add_ranges(&mut self, ranges: Vec<(String, String)>, source: &str) {
        for (name, range) in ranges {
            if let Some(version) = Version::parse(&range) {
                self.versions.insert(
                    name,
                    Resolved {
                        version,
                        source: source.to_string(),
                        locked: false,
                    },
                );
            }
        }
    }

    fn add_locked(&mut self, locked: Vec<(String, Version)>, source: &str) {
        for (name, version) in locked {
            // The first entry is the top-level install; nested copies come later.
            let entry = self.versions.get(&name);
            if entry.is_none_or(|e| !e.locked) {
                self.versions.insert(
                    name,
                    Resolved {
                        version,
                        source: source.to_string(),
                        locked: true,
                    },
                );
            }
        }
    }
}

/// `dependencies`, `devDependencies`, `peerDependencies`, `optionalDependencies` of a `package.json`.
fn package_json_ranges(text: &str) -> Vec<(String, String)> {
    let Ok(json) = serde_json::from_str::<serde_json::Value>(text) else {
        return Vec::new();
    };
    [
        "dependencies",
        "devDependencies",
        "optionalDependencies",
        "peerDependencies",
    ]
    .iter()
    .filter_map(|key| json.get(key)?.as_object())
    .flatten()
    .filter_map(|(name, range)| Some((name.clone(), range.as_str()?.to_string())))
    .collect()
}

/// npm's lockfile: `packages["node_modules/x"].version` (v2, v3), or
/// `dependencies.x.version` (v1). Only top-level installs.
fn package_lock_versions(text: &str) -> Vec<(String, Version)> {
    let Ok(json) = serde_json::from_str::<serde_json::Value>(text) else {
        return Vec::new();
    };
    let mut out = Vec::new();
    if let Some(packages) = json.get("packages").and_then(|p| p.as_object()) {
        for (path, package) in packages {
            let Some(name) = path.strip_prefix("node_modules/") else {
                continue;
            };
            if name.contains("/node_modules/") {
                continue; // a nested copy, not what the app imports
            }
            if let Some(version) = package.get("version").and_then(|v| v.as_str()).and_then(Version::parse) {
                out.push((name.to_string(), version));
            }
        }
    } else if let Some(dependencies) = json.get("dependencies").and_then(|d| d.as_object()) {
        for (name, package) in dependencies {
            if let Some(version) = package.get("version").and_then(|v| v.as_str()).and_then(Version::parse) {
                out.push((name.clone(), version));
            }
        }
    }
    out
}

/// yarn.lock, classic (`"x@^1.0.0", x@^1.1.0:` then `  version "1.2.0"`) and
/// berry (`"x@npm:^1.0.0":` then `  version: 1.2.0`).
fn yarn_lock_versions(text: &str) -> Vec<(String, Version)> {
    let mut out = Vec::new();
    let mut current: Option<String> = None;
    for line in text.lines() {
        if !line.starts_with(' ') && line.trim_end().ends_with(':') {
            let first = line.split(',').next().unwrap_or("").trim().trim_matches('"');
            // `@scope/name@range`: the name ends at the last `@` after the first character.
            current = first
                .get(1..)
                .and_then(|rest| rest.find('@'))
                .map(|at| first[..at + 1].to_string());
        } else if let Some(name) = &current
            && let Some(value) = line.trim_start().strip_prefix("version")
        {
            let value = value.trim_start_matches(':').trim().trim_matches('"');
            if let Some(version) = Version::parse(value) {
                out.push((name.clone(), version));
            }
            current = None;
        }
    }
    out
}

/// pnpm-lock.yaml: the keys of `packages:` (`/x@1.2.0:`, `x@1.2.0:`, `/@s/x@1.2.0(peer):`).
fn pnpm_lock_versions(text: &str) -> Vec<(String, Version)> {
    let mut out = Vec::new();
    let mut in_packages = false;
    for line in text.lines().filter(|line| !line.trim().is_empty()) {
        if !line.starts_with(' ') {
            in_packages = line.trim_end() == "packages:";
            continue;
        }
        if !in_packages || line.starts_with("    ") {
            continue;
        }
        let key = line.trim().trim_end_matches(':').trim_matches(['\'', '"']);
        let key = key.strip_prefix('/').unwrap_or(key);
        let Some(at) = key.get(1..).and_then(|rest| rest.find('@')).map(|at| at + 1) else {
            continue;
        };
        if let Some(version) = Version::parse(&key[at + 1..]) {
            out.push((key[..at].to_string(), version));
        }
    }
    out
}

/// `[dependencies]`, `[dev-dependencies]` and `[build-dependencies]` of a Cargo.toml
/// (with `version = "…"` tables and workspace-inherited entries skipped).
fn cargo_toml_requirements(text: &str) -> Vec<(String, String)> {
    let Ok(toml) = text.parse::<toml::Table>() else {
        return Vec::new();
    };
    let mut out = Vec::new();
    for key in ["dependencies", "dev-dependencies", "build-dependencies"] {
        let Some(table) = toml.get(key).and_then(|t| t.as_table()) else {
            continue;
        };
        for (name, spec) in table {
            let requirement = match spec {
                toml::Value::String(version) => Some(version.as_str()),
                toml::Value::Table(table) => table.get("version").and_then(|v| v.as_str()),
                _ => None,
            };
            if let Some(requirement) = requirement {
                out.push((name.clone(), requirement.to_string()));
            }
        }
    }
    out
}

/// Cargo.lock's `[[package]]` names and versions.
fn cargo_lock_versions(text: &str) -> Vec<(String, Version)> {
    let Ok(toml) = text.parse::<toml::Table>() else {
        return Vec::new();
    };
    toml.get("package")
        .and_then(|p| p.as_array())
        .into_iter()
        .flatten()
        .filter_map(|package| {
            let name = package.get("name")?.as_str()?;
            let version = Version::parse(package.get("version")?.as_str()?)?;
            Some((name.to_string(), version))
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn version_of(deps: &Dependencies, name: &str) -> Option<(String, String, bool)> {
        deps.get(name)
            .map(|r| (r.version.to_string(), r.source.clone(), r.locked))
    }

    #[test]
    fn versions_parse_from_ranges_and_tags() {
        assert_eq!(Version::parse("^7.1.0"), Some(Version::new(7, 1, 0)));
        assert_eq!(Version::parse(">=0.12"), Some(Version::new(0, 12, 0)));
        assert_eq!(Version::parse("v2"), Some(Version::new(2, 0, 0)));
        assert_eq!(Version::parse("8.0.0-beta.1"), Some(Version::new(8, 0, 0)));
        assert_eq!(Version::parse("latest"), None);
        assert_eq!(Version::parse("workspace:*"), None);
        assert!(Version::new(7, 9, 9) < Version::new(8, 0, 0));
    }

    #[test]
    fn npm_lockfiles_override_the_manifest() {
        let manifest =
            r#"{"dependencies": {"helmet": "^7.0.0", "express": "4"}, "devDependencies": {"jest": "~29.1.0"}}"#;
        let lock = r#"{"lockfileVersion": 3, "packages": {
            "": {"name": "app"},
            "node_modules/helmet": {"version": "7.1.0"},
            "node_modules/@fastify/cookie": {"version": "9.3.1"},
            "node_modules/x/node_modules/helmet": {"version": "4.6.0"}}}"#;
        let deps = Dependencies::npm(Some(manifest), Some(("package-lock.json", lock)));
        assert_eq!(
            version_of(&deps, "helmet"),
            Some(("7.1.0".into(), "package-lock.json".into(), true))
        );
        assert_eq!(version_of(&deps, "@fastify/cookie").map(|v| v.0), Some("9.3.1".into()));
        assert_eq!(
            version_of(&deps, "express"),
            Some(("4.0.0".into(), "package.json".into(), false))
        );
        assert_eq!(version_of(&deps, "jest").map(|v| v.0), Some("29.1.0".into()));
        let v1 = r#"{"lockfileVersion": 1, "dependencies": {"helmet": {"version": "3.23.3"}}}"#;
        let deps = Dependencies::npm(None, Some(("package-lock.json", v1)));
        assert_eq!(version_of(&deps, "helmet").map(|v| v.0), Some("3.23.3".into()));
    }

    #[test]
    fn yarn_and_pnpm_lockfiles() {
        let classic = "# yarn lockfile v1\n\n\"@fastify/session@^10.0.0\":\n  version \"10.9.0\"\n  resolved \"…\"\n\nhelmet@^7.0.0, helmet@^7.1.0:\n  version \"7.1.0\"\n";
        let deps = Dependencies::npm(None, Some(("yarn.lock", classic)));
        assert_eq!(version_of(&deps, "helmet").map(|v| v.0), Some("7.1.0".into()));
        assert_eq!(
            version_of(&deps, "@fastify/session").map(|v| v.0),
            Some("10.9.0".into())
        );
        let berry = "__metadata:\n  version: 8\n\n\"helmet@npm:^6.0.0\":\n  version: 6.2.0\n  resolution: \"helmet@npm:6.2.0\"\n";
        let deps = Dependencies::npm(None, Some(("yarn.lock", berry)));
        assert_eq!(version_of(&deps, "helmet").map(|v| v.0), Some("6.2.0".into()));
        let pnpm = "lockfileVersion: '9.0'\n\nimporters:\n  .:\n    dependencies:\n      helmet:\n        specifier: ^7\n        version: 7.1.0\n\npackages:\n\n  helmet@7.1.0:\n    resolution: {integrity: sha512-x}\n\n  '@fastify/cookie@9.3.1':\n    resolution: {}\n  /old@1.2.3(react@18.0.0):\n    resolution: {}\n";
        let deps = Dependencies::npm(None, Some(("pnpm-lock.yaml", pnpm)));
        assert_eq!(version_of(&deps, "helmet").map(|v| v.0), Some("7.1.0".into()));
        assert_eq!(version_of(&deps, "@fastify/cookie").map(|v| v.0), Some("9.3.1".into()));
        assert_eq!(version_of(&deps, "old").map(|v| v.0), Some("1.2.3".into()));
    }

    #[test]
    fn cargo_manifest_and_lockfile() {
        let manifest = "[package]\nname = \"app\"\n\n[dependencies]\ntower-sessions = \"0.7\"\naxum = { version = \"0.7.5\", features = [\"macros\"] }\nlocal = { path = \"../local\" }\nserde.workspace = true\n";
        let lock = "version = 4\n\n[[package]]\nname = \"tower-sessions\"\nversion = \"0.7.2\"\n\n[[package]]\nname = \"axum\"\nversion = \"0.7.9\"\n";
        let deps = Dependencies::cargo(Some(manifest), None);
        assert_eq!(
            version_of(&deps, "tower-sessions"),
            Some(("0.7.0".into(), "Cargo.toml".into(), false))
        );
        assert_eq!(version_of(&deps, "local"), None);
        let deps = Dependencies::cargo(Some(manifest), Some(lock));
        assert_eq!(
            version_of(&deps, "tower-sessions"),
            Some(("0.7.2".into(), "Cargo.lock".into(), true))
        );
        assert_eq!(version_of(&deps, "axum").map(|v| v.0), Some("0.7.9".into()));
    }

    #[test]
    fn broken_files_give_nothing() {
        assert!(Dependencies::npm(Some("{"), Some(("package-lock.json", "not json"))).is_empty());
        assert!(Dependencies::cargo(Some("[dependencies"), Some("[[package]")).is_empty());
        assert!(Dependencies::npm(None, Some(("yarn.lock", "@:\n  version\n"))).is_empty());
    }
}
