//! Which library versions each source file's package uses: the nearest
//! `package.json` (JS/TS) or `Cargo.toml` (Rust) above the file, with the
//! nearest lockfile at or above that (a monorepo keeps one at its top).
//! Each directory is looked up once per scan, each manifest read once.

use miroguard_core::{Dependencies, Language};
use std::collections::HashMap;
use std::path::{Path, PathBuf};
use std::sync::{Arc, Mutex};

const NPM_LOCKFILES: &[&str] = &[
    "package-lock.json",
    "npm-shrinkwrap.json",
    "pnpm-lock.yaml",
    "yarn.lock",
];

/// Larger manifests and lockfiles are not read: no real one is near this,
/// and a scan must not stall on a generated monster.
const MAX_READ: u64 = 32 * 1024 * 1024;

#[derive(Clone, Copy, PartialEq, Eq, Hash)]
enum Ecosystem {
    Npm,
    Cargo,
}

/// A directory's package, by ecosystem (`None`: no manifest above it).
type PackageByDir = HashMap<(PathBuf, Ecosystem), Option<Arc<Dependencies>>>;

/// Library versions by package, for the files of one tree.
#[derive(Default)]
pub struct DependencyIndex {
    by_dir: Mutex<PackageByDir>,
}

impl DependencyIndex {
    /// An empty index.
    pub fn new() -> DependencyIndex {
        DependencyIndex::default()
    }

    /// The library versions of the package the source file at `path`
    /// (absolute) belongs to; `None` for other files, or without a manifest.
    pub fn for_file(&self, path: &Path, language: Language) -> Option<Arc<Dependencies>> {
        let ecosystem = match language {
            Language::Rust => Ecosystem::Cargo,
            language if language.is_js_family() => Ecosystem::Npm,
            _ => return None,
        };
        self.for_dir(path.parent()?, ecosystem)
    }

    fn for_dir(&self, dir: &Path, ecosystem: Ecosystem) -> Option<Arc<Dependencies>> {
        let key = (dir.to_path_buf(), ecosystem);
        if let Ok(cache) = self.by_dir.lock()
            && let Some(found) = cache.get(&key)
        {
            return found.clone();
        }
        let manifest = match ecosystem {
            Ecosystem::Npm => "package.json",
            Ecosystem::Cargo => "Cargo.toml",
        };
        let found = if dir.join(manifest).is_file() {
            Some(Arc::new(read_package(dir, ecosystem)))
        } else if is_repository_top(dir) {
            None
        } else {
            dir.parent().and_then(|parent| self.for_dir(parent, ecosystem))
        };
        if let Ok(mut cache) = self.by_dir.lock() {
            cache.insert(key, found.clone());
        }
        found
    }
}

/// The project the file at `path` (absolute) belongs to, for project notes:
/// the nearest directory above it with a `package.json` or a `Cargo.toml`,
/// up to the top of its repository. Asked only for the few files that hold
/// or resolve a project note, so it is not cached.
pub(crate) fn project_dir(path: &Path) -> Option<PathBuf> {
    for dir in path.ancestors().skip(1) {
        if dir.join("package.json").is_file() || dir.join("Cargo.toml").is_file() {
            return Some(dir.to_path_buf());
        }
        if is_repository_top(dir) {
            break;
        }
    }
    None
}

/// A package stops at the top of its git repository.
fn is_repository_top(dir: &Path) -> bool {
    dir.join(".git").exists()
}

fn read_package(dir: &Path, ecosystem: Ecosystem) -> Dependencies {
    match ecosystem {
        Ecosystem::Npm => {
            let manifest = read(&dir.join("package.json"));
            let lockfile = find_up(dir, NPM_LOCKFILES);
            let lockfile = lockfile.as_ref().and_then(|(name, path)| Some((*name, read(path)?)));
            Dependencies::npm(
                manifest.as_deref(),
                lockfile.as_ref().map(|(name, text)| (*name, text.as_str())),
            )
        }
        Ecosystem::Cargo => {
            let manifest = read(&dir.join("Cargo.toml"));
            let lockfile = find_up(dir, &["Cargo.lock"]).and_then(|(_, path)| read(&path));
            Dependencies::cargo(manifest.as_deref(), lockfile.as_deref())
        }
    }
}

/// The first of `names` in `dir` or the directories above it, up to the repository top.
fn find_up(dir: &Path, names: &[&'static str]) -> Option<(&'static str, PathBuf)> {
    for ancestor in dir.ancestors() {
        for name in names {
            let candidate = ancestor.join(name);
            if candidate.is_file() {
                return Some((name, candidate));
            }
        }
        if is_repository_top(ancestor) {
            break;
        }
    }
    None
}

fn read(path: &Path) -> Option<String> {
    let size = std::fs::metadata(path).ok()?.len();
    (size <= MAX_READ).then(|| std::fs::read_to_string(path).ok()).flatten()
}

#[cfg(test)]
mod tests {
    use super::*;
    use miroguard_core::Version;

    #[test]
    fn files_get_their_nearest_package_and_its_lockfile() {
        let dir = tempfile::tempdir().expect("a temporary directory");
        let root = dir.path();
        std::fs::create_dir_all(root.join(".git")).expect("mkdir");
        std::fs::create_dir_all(root.join("apps/api/src/routes")).expect("mkdir");
        std::fs::create_dir_all(root.join("crates/server/src")).expect("mkdir");
        std::fs::write(
            root.join("package-lock.json"),
            r#"{"packages": {"node_modules/helmet": {"version": "6.2.0"}}}"#,
        )
        .expect("write");
        std::fs::write(
            root.join("apps/api/package.json"),
            r#"{"dependencies": {"helmet": "^6.0.0", "express": "^4.19.0"}}"#,
        )
        .expect("write");
        std::fs::write(
            root.join("crates/server/Cargo.toml"),
            "[dependencies]\ntower-sessions = \"0.7\"\n",
        )
        .expect("write");
        let index = DependencyIndex::new();
        let js = index
            .for_file(&root.join("apps/api/src/routes/a.ts"), Language::TypeScript)
            .expect("the api package");
        assert_eq!(
            js.get("helmet").map(|r| (r.version, r.locked)),
            Some((Version::new(6, 2, 0), true))
        );
        assert_eq!(js.get("express").map(|r| r.version), Some(Version::new(4, 19, 0)));
        let rust = index
            .for_file(&root.join("crates/server/src/main.rs"), Language::Rust)
            .expect("the server crate");
        assert_eq!(
            rust.get("tower-sessions").map(|r| r.version),
            Some(Version::new(0, 7, 0))
        );
        assert!(
            index
                .for_file(&root.join("crates/server/src/x.js"), Language::JavaScript)
                .is_none()
        );
        assert!(index.for_file(&root.join("README.md"), Language::Text).is_none());
    }
}
