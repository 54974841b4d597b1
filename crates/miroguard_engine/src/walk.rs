//! Finding the files to scan: the walk, excludes, generated files, hidden
//! files, files named on the command line.

use ignore::gitignore::{Gitignore, GitignoreBuilder};
use ignore::{DirEntry, WalkBuilder, WalkState};
use miroguard_core::{Config, Notification, NotificationKind, Severity};
use std::path::{Path, PathBuf};
use std::sync::{Arc, Mutex};

/// Files larger than this are skipped unless `--max-file-size` says otherwise.
pub const DEFAULT_MAX_FILE_SIZE: u64 = 2 * 1024 * 1024;

/// Directories of build output and installed dependencies, skipped unless
/// `--include-generated`: findings there are copies of findings in sources.
#[rustfmt::skip]
const GENERATED_DIRS: &[&str] = &[
    "node_modules", "target", "dist", "build", ".next", ".nuxt", ".svelte-kit", ".output", ".turbo", ".vercel",
    ".parcel-cache", "bower_components", "coverage",
];

/// Minified bundles and source maps, skipped unless `--include-generated`.
#[rustfmt::skip]
const GENERATED_SUFFIXES: &[&str] = &[
    ".min.js", ".min.mjs", ".min.cjs", ".min.css", ".js.map", ".mjs.map", ".css.map",
];

/// What to scan and how.
#[derive(Clone, Debug)]
pub struct ScanOptions {
    /// Files and directories to scan; empty means the root.
    pub paths: Vec<PathBuf>,
    /// The absolute directory paths are reported relative to (the current directory).
    pub root: PathBuf,
    /// Gitignore-style globs from the command line, relative to the root.
    pub excludes: Vec<String>,
    /// Apply excludes to files named on the command line too (pre-commit passes file names).
    pub force_exclude: bool,
    /// Do not read `.gitignore`, `.ignore` and git's excludes.
    pub no_ignore: bool,
    /// Scan build output and dependencies (`dist/`, `node_modules/`, `*.min.js`…).
    pub include_generated: bool,
    /// Files larger than this many bytes are skipped with a notification.
    pub max_file_size: u64,
    /// Worker threads; 0 picks one per core.
    pub threads: usize,
}

impl ScanOptions {
    /// Options that scan `root` with the defaults.
    pub fn new(root: PathBuf) -> ScanOptions {
        ScanOptions {
            paths: Vec::new(),
            root,
            excludes: Vec::new(),
            force_exclude: false,
            no_ignore: false,
            include_generated: false,
            max_file_size: DEFAULT_MAX_FILE_SIZE,
            threads: 0,
        }
    }
}

/// Why a scan could not start.
#[derive(Debug, thiserror::Error)]
pub enum ScanError {
    /// An `--exclude` glob is invalid.
    #[error("invalid --exclude glob `{glob}`: {message}")]
    BadExclude {
        /// The glob.
        glob: String,
        /// What is wrong.
        message: String,
    },
}

/// Decides which paths are skipped: hidden, generated, excluded.
struct PathFilter {
    config_excludes: Option<Gitignore>,
    cli_excludes: Option<Gitignore>,
    include_generated: bool,
}

impl PathFilter {
    fn excluded(&self, path: &Path, is_dir: bool) -> bool {
        let matched = |gi: &Option<Gitignore>| {
            gi.as_ref().is_some_and(|gi| {
                // Paths outside the matcher's base cannot match it.
                path.strip_prefix(gi.path()).is_ok() && gi.matched_path_or_any_parents(path, is_dir).is_ignore()
            })
        };
        matched(&self.config_excludes) || matched(&self.cli_excludes)
    }

    fn generated(&self, name: &str, is_dir: bool) -> bool {
        !self.include_generated
            && if is_dir {
                GENERATED_DIRS.contains(&name)
            } else {
                GENERATED_SUFFIXES.iter().any(|s| name.ends_with(s))
            }
    }

    /// Whether a file named on the command line is kept under `--force-exclude`:
    /// the same decision a walk from `root` would have made for it.
    fn keep_explicit(&self, path: &Path, root: &Path) -> bool {
        let relative = path.strip_prefix(root).unwrap_or(path);
        let components: Vec<String> = relative
            .components()
            .map(|c| c.as_os_str().to_string_lossy().into_owned())
            .collect();
        let Some((file, dirs)) = components.split_last() else {
            return true;
        };
        let hidden_dir = dirs.iter().any(|d| d.starts_with('.') && d != "." && d != "..");
        let hidden_file = file.starts_with('.') && !is_dotfile_with_secrets(file);
        let generated = dirs.iter().any(|d| self.generated(d, true)) || self.generated(file, false);
        !(hidden_dir || hidden_file || generated || self.excluded(path, false))
    }

    /// Whether a walked entry is kept (the walk does not descend into skipped directories).
    fn keep_entry(&self, entry: &DirEntry) -> bool {
        if entry.depth() == 0 {
            return true;
        }
        let is_dir = entry.file_type().is_some_and(|t| t.is_dir());
        let name = entry.file_name().to_string_lossy();
        let hidden = name.starts_with('.') && (is_dir || !is_dotfile_with_secrets(&name));
        if hidden {
            return false;
        }
        let absolute = entry.path();
        !self.generated(&name, is_dir) && !self.excluded(absolute, is_dir)
    }
}

/// Whether a scan of `root` would leave out the file at `path` (absolute):
/// hidden, generated, a lockfile, or excluded by `config`. The language
/// server asks this for each document an editor opens, so a file the CLI
/// never reports is not reported in the editor either.
pub fn leaves_out(config: &Config, root: &Path, path: &Path) -> bool {
    let name = path.file_name().and_then(|n| n.to_str()).unwrap_or("");
    if crate::scan::LOCKFILES.contains(&name) {
        return true;
    }
    let config_base = config
        .base_dir()
        .map(Path::to_path_buf)
        .unwrap_or_else(|| root.to_path_buf());
    let filter = PathFilter {
        // The configuration was validated when it was loaded; a glob the
        // matcher still rejects excludes nothing, as in no scan at all.
        config_excludes: gitignore(&config_base, &config.exclude).ok().flatten(),
        cli_excludes: None,
        include_generated: false,
    };
    !filter.keep_explicit(path, root)
}

/// Hidden files that are read although hidden files are skipped.
fn is_dotfile_with_secrets(name: &str) -> bool {
    name == ".env" || name.starts_with(".env.") || name == ".npmrc"
}

/// A file to scan, with how it was found.
pub(crate) struct Candidate {
    /// Where it is.
    pub(crate) path: PathBuf,
    /// How it is shown: relative to the root, `/`-separated.
    pub(crate) display: String,
    /// Whether it was named on the command line (not found by the walk).
    pub(crate) explicit: bool,
    /// The directory whose walk found it (`None` when named on the command line).
    pub(crate) walked_from: Option<PathBuf>,
}

/// The files to scan, sorted by display path, and what went wrong finding them.
pub(crate) struct Discovered {
    pub(crate) candidates: Vec<Candidate>,
    pub(crate) notifications: Vec<Notification>,
}

/// Builds a gitignore-style matcher of `globs` relative to `base`.
pub(crate) fn gitignore(base: &Path, globs: &[String]) -> Result<Option<Gitignore>, (String, String)> {
    if globs.is_empty() {
        return Ok(None);
    }
    let mut builder = GitignoreBuilder::new(base);
    for glob in globs {
        builder
            .add_line(None, glob)
            .map_err(|e| (glob.clone(), e.to_string()))?;
    }
    builder.build().map(Some).map_err(|e| (globs.join(", "), e.to_string()))
}

/// The number of worker threads `options` asks for.
pub(crate) fn thread_count(options: &ScanOptions) -> usize {
    match options.threads {
        0 => std::thread::available_parallelism().map(|n| n.get()).unwrap_or(1),
        n => n,
    }
}

/// Finds the files `options` names: walks directories (in parallel), keeps
/// files named on the command line (applying excludes only with
/// `--force-exclude`), and reports paths that cannot be read.
pub(crate) fn discover(config: &Config, options: &ScanOptions) -> Result<Discovered, ScanError> {
    let root = &options.root;
    let config_base = config.base_dir().map(Path::to_path_buf).unwrap_or_else(|| root.clone());
    let config_excludes =
        gitignore(&config_base, &config.exclude).map_err(|(glob, message)| ScanError::BadExclude { glob, message })?;
    let cli_excludes =
        gitignore(root, &options.excludes).map_err(|(glob, message)| ScanError::BadExclude { glob, message })?;
    let filter = Arc::new(PathFilter {
        config_excludes,
        cli_excludes,
        include_generated: options.include_generated,
    });
    let threads = thread_count(options);

    let mut notifications = Vec::new();
    let mut candidates = Vec::new();
    let paths = if options.paths.is_empty() {
        vec![root.clone()]
    } else {
        options.paths.clone()
    };
    for path in &paths {
        let absolute = normalize(&if path.is_absolute() {
            path.clone()
        } else {
            root.join(path)
        });
        match std::fs::symlink_metadata(&absolute) {
            Err(error) => notifications.push(Notification::new(
                NotificationKind::Unreadable,
                Severity::Error,
                display_path(root, &absolute),
                format!("cannot read {}: {error}", path.display()),
            )),
            Ok(meta) if meta.is_dir() => walk_dir(
                &absolute,
                root,
                options,
                threads,
                &filter,
                &mut candidates,
                &mut notifications,
            ),
            Ok(_) => {
                if options.force_exclude && !filter.keep_explicit(&absolute, root) {
                    continue;
                }
                candidates.push(Candidate {
                    display: display_path(root, &absolute),
                    path: absolute,
                    explicit: true,
                    walked_from: None,
                });
            }
        }
    }
    candidates.sort_by(|a, b| a.display.cmp(&b.display));
    candidates.dedup_by(|a, b| a.display == b.display);
    Ok(Discovered {
        candidates,
        notifications,
    })
}

#[allow(clippy::too_many_arguments)]
fn walk_dir(
    dir: &Path,
    root: &Path,
    options: &ScanOptions,
    threads: usize,
    filter: &Arc<PathFilter>,
    candidates: &mut Vec<Candidate>,
    notifications: &mut Vec<Notification>,
) {
    let ignore = !options.no_ignore;
    let entry_filter = Arc::clone(filter);
    let walker = WalkBuilder::new(dir)
        .hidden(false)
        .ignore(ignore)
        .git_ignore(ignore)
        .git_global(ignore)
        .git_exclude(ignore)
        .parents(ignore)
        .require_git(false)
        .follow_links(false)
        .threads(threads)
        .filter_entry(move |entry| entry_filter.keep_entry(entry))
        .build_parallel();
    let found: Mutex<Vec<Candidate>> = Mutex::new(Vec::new());
    let errors: Mutex<Vec<Notification>> = Mutex::new(Vec::new());
    walker.run(|| {
        Box::new(|entry| {
            match entry {
                Ok(entry) => {
                    let file_type = entry.file_type();
                    if file_type.is_some_and(|t| t.is_file()) {
                        let path = entry.into_path();
                        let candidate = Candidate {
                            display: display_path(root, &path),
                            path,
                            explicit: false,
                            walked_from: Some(dir.to_path_buf()),
                        };
                        if let Ok(mut found) = found.lock() {
                            found.push(candidate);
                        }
                    } else if file_type.is_some_and(|t| t.is_symlink()) {
                        if let Ok(mut errors) = errors.lock() {
                            errors.push(Notification::new(
                                NotificationKind::Symlink,
                                Severity::Note,
                                display_path(root, entry.path()),
                                "skipped: symbolic link (links are not followed; name the target to scan it)",
                            ));
                        }
                    }
                }
                Err(error) => {
                    let path = walk_error_path(&error)
                        .map(|p| display_path(root, p))
                        .unwrap_or_default();
                    if let Ok(mut errors) = errors.lock() {
                        errors.push(Notification::new(
                            NotificationKind::Unreadable,
                            Severity::Warning,
                            path,
                            format!("cannot read: {}", walk_error_message(&error)),
                        ));
                    }
                }
            }
            WalkState::Continue
        })
    });
    candidates.extend(found.into_inner().unwrap_or_default());
    notifications.extend(errors.into_inner().unwrap_or_default());
}

/// `path` without `.` components and with `..` applied, lexically: the
/// gitignore matchers compare path text, so `./src` must become `src`.
pub(crate) fn normalize(path: &Path) -> PathBuf {
    use std::path::Component;
    let mut out = PathBuf::new();
    for component in path.components() {
        match component {
            Component::CurDir => {}
            Component::ParentDir if matches!(out.components().next_back(), Some(Component::Normal(_))) => {
                out.pop();
            }
            other => out.push(other),
        }
    }
    if out.as_os_str().is_empty() {
        PathBuf::from(".")
    } else {
        out
    }
}

/// `path` as shown to users: relative to `root` when inside it, `/`-separated.
pub(crate) fn display_path(root: &Path, path: &Path) -> String {
    let shown = path.strip_prefix(root).unwrap_or(path);
    let text = shown.to_string_lossy().replace('\\', "/");
    if text.is_empty() { ".".to_string() } else { text }
}

fn walk_error_path(error: &ignore::Error) -> Option<&Path> {
    match error {
        ignore::Error::WithPath { path, .. } => Some(path),
        ignore::Error::WithDepth { err, .. } | ignore::Error::WithLineNumber { err, .. } => walk_error_path(err),
        ignore::Error::Loop { child, .. } => Some(child),
        _ => None,
    }
}

fn walk_error_message(error: &ignore::Error) -> String {
    match error {
        ignore::Error::WithPath { err, .. }
        | ignore::Error::WithDepth { err, .. }
        | ignore::Error::WithLineNumber { err, .. } => walk_error_message(err),
        other => other.to_string(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn paths_are_normalized_lexically() {
        assert_eq!(
            normalize(Path::new("/repo/./src/../lib/./a.ts")),
            Path::new("/repo/lib/a.ts")
        );
        assert_eq!(normalize(Path::new("/repo/.")), Path::new("/repo"));
        assert_eq!(normalize(Path::new("../x")), Path::new("../x"));
        assert_eq!(normalize(Path::new(".")), Path::new("."));
    }
}
