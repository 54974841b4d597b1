//! Finding the files to scan, and scanning them in parallel.

use crate::Engine;
use ignore::gitignore::{Gitignore, GitignoreBuilder};
use ignore::{DirEntry, WalkBuilder, WalkState};
use miroguard_core::{FileContext, Finding, Notification, NotificationKind, ScanReport, ScanStats, Severity};
use std::panic::{AssertUnwindSafe, catch_unwind};
use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::{Arc, Mutex};
use std::time::Instant;

/// Files larger than this are skipped unless `--max-file-size` says otherwise.
pub const DEFAULT_MAX_FILE_SIZE: u64 = 2 * 1024 * 1024;

/// How many leading bytes are searched for a NUL to call a file binary.
const BINARY_PROBE: usize = 8 * 1024;

/// Worker threads parse deeply nested code; the front ends bound their own
/// recursion, and this bounds what a parser library might still need.
const WORKER_STACK: usize = 64 * 1024 * 1024;

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

/// Lockfiles hold integrity hashes that look like secrets to every detector;
/// no rule reads them.
#[rustfmt::skip]
const LOCKFILES: &[&str] = &[
    "package-lock.json", "npm-shrinkwrap.json", "yarn.lock", "pnpm-lock.yaml", "bun.lock", "bun.lockb", "deno.lock",
    "Cargo.lock", "Gemfile.lock", "composer.lock", "poetry.lock", "Pipfile.lock", "uv.lock", "go.sum",
    "gradle.lockfile", "flake.lock", "packages.lock.json", "pubspec.lock", "mix.lock", "Podfile.lock",
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

/// Hidden files that are read although hidden files are skipped.
fn is_dotfile_with_secrets(name: &str) -> bool {
    name == ".env" || name.starts_with(".env.") || name == ".npmrc"
}

fn gitignore(base: &Path, globs: &[String]) -> Result<Option<Gitignore>, (String, String)> {
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

/// A file to scan, with how it was found.
struct Candidate {
    path: PathBuf,
    display: String,
    explicit: bool,
}

/// What scanning one file produced.
#[derive(Default)]
struct Outcome {
    findings: Vec<Finding>,
    notifications: Vec<Notification>,
    scanned: bool,
    skipped: bool,
    parsed: bool,
    bytes: u64,
}

impl Outcome {
    fn internal_error(candidate: &Candidate) -> Outcome {
        Outcome {
            skipped: true,
            notifications: vec![Notification::new(
                NotificationKind::Unreadable,
                Severity::Error,
                &candidate.display,
                "internal error while checking this file; please report it",
            )],
            ..Outcome::default()
        }
    }
}

impl Engine {
    /// Scans `options.paths`, calling nothing back but bumping `progress`
    /// once per file done (for a progress indicator).
    pub fn scan(&self, options: &ScanOptions, progress: &AtomicUsize) -> Result<ScanReport, ScanError> {
        let started = Instant::now();
        let root = options.root.clone();
        let config_base = self
            .config
            .base_dir()
            .map(Path::to_path_buf)
            .unwrap_or_else(|| root.clone());
        let config_excludes = gitignore(&config_base, &self.config.exclude)
            .map_err(|(glob, message)| ScanError::BadExclude { glob, message })?;
        let cli_excludes =
            gitignore(&root, &options.excludes).map_err(|(glob, message)| ScanError::BadExclude { glob, message })?;
        let filter = Arc::new(PathFilter {
            config_excludes,
            cli_excludes,
            include_generated: options.include_generated,
        });
        let threads = match options.threads {
            0 => std::thread::available_parallelism().map(|n| n.get()).unwrap_or(1),
            n => n,
        };

        let mut notifications = Vec::new();
        let mut candidates = Vec::new();
        let paths = if options.paths.is_empty() {
            vec![root.clone()]
        } else {
            options.paths.clone()
        };
        for path in &paths {
            let absolute = if path.is_absolute() {
                path.clone()
            } else {
                root.join(path)
            };
            match std::fs::symlink_metadata(&absolute) {
                Err(error) => notifications.push(Notification::new(
                    NotificationKind::Unreadable,
                    Severity::Error,
                    display_path(&root, &absolute),
                    format!("cannot read {}: {error}", path.display()),
                )),
                Ok(meta) if meta.is_dir() => self.walk_dir(
                    &absolute,
                    &root,
                    options,
                    threads,
                    &filter,
                    &mut candidates,
                    &mut notifications,
                ),
                Ok(_) => {
                    if options.force_exclude && !filter.keep_explicit(&absolute, &root) {
                        continue;
                    }
                    candidates.push(Candidate {
                        display: display_path(&root, &absolute),
                        path: absolute,
                        explicit: true,
                    });
                }
            }
        }
        candidates.sort_by(|a, b| a.display.cmp(&b.display));
        candidates.dedup_by(|a, b| a.display == b.display);

        let next = AtomicUsize::new(0);
        let work = || {
            let mut done = Vec::new();
            while let Some(candidate) = candidates.get(next.fetch_add(1, Ordering::Relaxed)) {
                // A panic in a rule is a bug; it must cost one file, not the scan.
                let outcome = catch_unwind(AssertUnwindSafe(|| self.scan_file(candidate, options.max_file_size)))
                    .unwrap_or_else(|_| Outcome::internal_error(candidate));
                done.push(outcome);
                progress.fetch_add(1, Ordering::Relaxed);
            }
            done
        };
        let mut outcomes: Vec<Outcome> = Vec::with_capacity(candidates.len());
        std::thread::scope(|scope| {
            let handles: Vec<_> = (0..threads.min(candidates.len()).max(1))
                .map_while(|_| {
                    std::thread::Builder::new()
                        .stack_size(WORKER_STACK)
                        .spawn_scoped(scope, work)
                        .ok()
                })
                .collect();
            if handles.is_empty() {
                outcomes.extend(work());
            }
            for handle in handles {
                outcomes.extend(handle.join().unwrap_or_default());
            }
        });

        let mut stats = ScanStats::default();
        let mut findings = Vec::new();
        for outcome in outcomes {
            stats.files_scanned += u64::from(outcome.scanned);
            stats.files_skipped += u64::from(outcome.skipped);
            stats.files_parsed += u64::from(outcome.parsed);
            stats.bytes_scanned += outcome.bytes;
            findings.extend(outcome.findings);
            notifications.extend(outcome.notifications);
        }
        findings.sort_by(|a, b| a.sort_key().cmp(&b.sort_key()));
        notifications.sort_by(|a, b| a.sort_key().cmp(&b.sort_key()));
        stats.elapsed = started.elapsed();
        Ok(ScanReport {
            findings,
            notifications,
            rules: self.enabled_rules(),
            stats,
            root,
        })
    }

    #[allow(clippy::too_many_arguments)]
    fn walk_dir(
        &self,
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

    fn scan_file(&self, candidate: &Candidate, max_file_size: u64) -> Outcome {
        let name = candidate
            .path
            .file_name()
            .map(|n| n.to_string_lossy())
            .unwrap_or_default();
        let mut outcome = Outcome::default();
        if LOCKFILES.contains(&name.as_ref()) {
            return outcome;
        }
        let note = |kind, level, message: String| Notification::new(kind, level, &candidate.display, message);
        let unreadable_level = if candidate.explicit {
            Severity::Error
        } else {
            Severity::Warning
        };
        match std::fs::metadata(&candidate.path) {
            Ok(meta) if meta.len() > max_file_size => {
                outcome.skipped = true;
                outcome.notifications.push(note(
                    NotificationKind::TooLarge,
                    Severity::Note,
                    format!(
                        "skipped: {} is larger than --max-file-size ({})",
                        human_size(meta.len()),
                        human_size(max_file_size)
                    ),
                ));
                return outcome;
            }
            Ok(_) => {}
            Err(error) => {
                outcome.skipped = true;
                outcome.notifications.push(note(
                    NotificationKind::Unreadable,
                    unreadable_level,
                    format!("cannot read: {error}"),
                ));
                return outcome;
            }
        }
        let bytes = match std::fs::read(&candidate.path) {
            Ok(bytes) => bytes,
            Err(error) => {
                outcome.skipped = true;
                outcome.notifications.push(note(
                    NotificationKind::Unreadable,
                    unreadable_level,
                    format!("cannot read: {error}"),
                ));
                return outcome;
            }
        };
        if memchr::memchr(0, &bytes[..bytes.len().min(BINARY_PROBE)]).is_some() {
            outcome.skipped = true;
            outcome.notifications.push(note(
                NotificationKind::Binary,
                Severity::Note,
                "skipped: binary file".to_string(),
            ));
            return outcome;
        }
        outcome.bytes = bytes.len() as u64;
        let text = match String::from_utf8(bytes) {
            Ok(text) => text,
            Err(error) => {
                outcome.notifications.push(note(
                    NotificationKind::InvalidUtf8,
                    Severity::Note,
                    "not valid UTF-8; scanned with invalid bytes replaced".to_string(),
                ));
                String::from_utf8_lossy(error.as_bytes()).into_owned()
            }
        };
        let context = FileContext::from_display_path(candidate.display.clone());
        let report = self.check_text(&context, &text);
        outcome.scanned = true;
        outcome.parsed = report.parsed;
        outcome.findings = report.findings;
        outcome.notifications.extend(report.notifications);
        outcome
    }
}

/// `path` as shown to users: relative to `root` when inside it, `/`-separated.
fn display_path(root: &Path, path: &Path) -> String {
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

fn human_size(bytes: u64) -> String {
    match bytes {
        b if b >= 1 << 20 => format!("{:.1} MiB", b as f64 / f64::from(1 << 20)),
        b if b >= 1 << 10 => format!("{:.1} KiB", b as f64 / 1024.0),
        b => format!("{b} bytes"),
    }
}
