//! Whether a `.gitignore` excludes a file, for files the walk did not filter
//! (named on the command line, or scanned with `--no-ignore`): a secrets file
//! that git ignores will not be committed, one that it does not ignore will.

use ignore::Match;
use ignore::gitignore::Gitignore;
use std::collections::HashMap;
use std::path::{Path, PathBuf};
use std::sync::{Arc, Mutex};

/// Answers "would git ignore this file?" from the `.gitignore` files between
/// the repository top (or the scan root) and the file, caching one matcher per directory.
pub(crate) struct GitIgnoreOracle {
    root: PathBuf,
    matchers: Mutex<HashMap<PathBuf, Option<Arc<Gitignore>>>>,
}

impl GitIgnoreOracle {
    pub(crate) fn new(root: &Path) -> GitIgnoreOracle {
        GitIgnoreOracle {
            root: root.to_path_buf(),
            matchers: Mutex::new(HashMap::new()),
        }
    }

    fn matcher(&self, dir: &Path) -> Option<Arc<Gitignore>> {
        if let Ok(cache) = self.matchers.lock() {
            if let Some(found) = cache.get(dir) {
                return found.clone();
            }
        }
        let file = dir.join(".gitignore");
        let built = file.is_file().then(|| Arc::new(Gitignore::new(&file).0));
        if let Ok(mut cache) = self.matchers.lock() {
            cache.insert(dir.to_path_buf(), built.clone());
        }
        built
    }

    /// Whether a `.gitignore` from the repository top down to `path`'s directory ignores `path`.
    pub(crate) fn is_ignored(&self, path: &Path) -> bool {
        let Some(parent) = path.parent() else { return false };
        // The repository top is the nearest ancestor with `.git`; without one, the scan root.
        let top = parent
            .ancestors()
            .find(|dir| dir.join(".git").exists())
            .unwrap_or(&self.root);
        let mut dirs: Vec<&Path> = parent.ancestors().take_while(|dir| dir.starts_with(top)).collect();
        dirs.reverse();
        let mut ignored = false;
        // Deeper files override shallower ones; within one file the last match wins.
        for dir in dirs {
            if let Some(matcher) = self.matcher(dir) {
                match matcher.matched_path_or_any_parents(path, false) {
                    Match::Ignore(_) => ignored = true,
                    Match::Whitelist(_) => ignored = false,
                    Match::None => {}
                }
            }
        }
        ignored
    }
}

/// Files whose git-ignore status a rule needs: secrets files.
pub(crate) fn wants_ignore_status(name: &str) -> bool {
    name.starts_with(".env")
        || name == ".npmrc"
        || [".pem", ".key", ".p12", ".pfx", ".json"]
            .iter()
            .any(|ext| name.ends_with(ext))
}

/// Whether git would ignore `path` (absolute) in a tree scanned from
/// `root`, for the files whose status a rule reads (secrets files). The
/// language server asks for each document it checks: an editor opens
/// git-ignored `.env` files, which must not be reported as committed.
pub fn is_git_ignored(root: &Path, path: &Path) -> bool {
    let name = path.file_name().and_then(|n| n.to_str()).unwrap_or("");
    wants_ignore_status(name) && GitIgnoreOracle::new(root).is_ignored(path)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn nested_gitignores_and_negations() {
        let dir = tempfile::tempdir().unwrap();
        let root = dir.path();
        std::fs::create_dir_all(root.join(".git")).unwrap();
        std::fs::create_dir_all(root.join("app/config")).unwrap();
        std::fs::write(root.join(".gitignore"), ".env\n*.pem\n").unwrap();
        std::fs::write(root.join("app/.gitignore"), "!.env\n").unwrap();
        let oracle = GitIgnoreOracle::new(root);
        assert!(oracle.is_ignored(&root.join(".env")));
        assert!(!oracle.is_ignored(&root.join("app/.env")), "re-included below");
        assert!(oracle.is_ignored(&root.join("app/config/key.pem")));
        assert!(!oracle.is_ignored(&root.join(".env.local")));
        assert!(wants_ignore_status(".env.production") && !wants_ignore_status("main.rs"));
    }
}
