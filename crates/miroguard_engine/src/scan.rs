//! Scanning a tree: read each file once, check it, extract what the
//! classification needs from it, then classify the tree and resolve the
//! findings that depend on where their file runs.

use crate::dependencies::DependencyIndex;
use crate::gitignored::{GitIgnoreOracle, wants_ignore_status};
use crate::laps::Laps;
use crate::walk::{Candidate, ScanError, ScanOptions, discover, gitignore, normalize, thread_count};
use crate::{Engine, memory, resolve};
use ignore::gitignore::Gitignore;
use miroguard_context::{Classifier, ContextMap, Signals};
use miroguard_core::{
    FileClass, FileContext, FileTimes, Finding, Notification, NotificationKind, ScanReport, ScanStats, Severity,
};
use std::collections::HashMap;
use std::panic::{AssertUnwindSafe, catch_unwind};
use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicUsize, Ordering};

/// How many leading bytes are searched for a NUL to call a file binary.
const BINARY_PROBE: usize = 8 * 1024;

/// Worker threads parse deeply nested code; the front ends bound their own
/// recursion, and this bounds what a parser library might still need.
pub(crate) const WORKER_STACK: usize = 64 * 1024 * 1024;

/// Lockfiles hold integrity hashes that look like secrets to every detector;
/// no rule reads them.
#[rustfmt::skip]
pub(crate) const LOCKFILES: &[&str] = &[
    "package-lock.json", "npm-shrinkwrap.json", "yarn.lock", "pnpm-lock.yaml", "bun.lock", "bun.lockb", "deno.lock",
    "Cargo.lock", "Gemfile.lock", "composer.lock", "poetry.lock", "Pipfile.lock", "uv.lock", "go.sum",
    "gradle.lockfile", "flake.lock", "packages.lock.json", "pubspec.lock", "mix.lock", "Podfile.lock",
];

/// What scanning one file produced.
#[derive(Default)]
struct Outcome {
    findings: Vec<Finding>,
    suppressed: Vec<Finding>,
    notifications: Vec<Notification>,
    signals: Option<Signals>,
    scanned: bool,
    skipped: bool,
    parsed: bool,
    /// The rule the file was parsed for (see [`crate::FileReport::parsed_for`]).
    parsed_for: Option<String>,
    bytes: u64,
    /// Project notes of the file, kept only when the walk covered its project.
    pending: Vec<Finding>,
    /// The facts the file provides to its project.
    provides: Vec<&'static str>,
    /// Its project's directory, when it has pending notes or provides facts.
    project: Option<PathBuf>,
    /// How long its stages took.
    times: FileTimes,
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

/// Runs `work` on every candidate on `threads` worker threads (with large
/// stacks), bumping `progress` per file, and folds each result into its
/// worker's `A` as soon as it is made: what a file's check needed is gone
/// before the worker takes the next file, so memory holds only what the
/// folds keep. A panic costs one file, not the scan. Returns the workers'
/// folds and how many threads ran them.
fn run_parallel<'c, T, A: Default + Send>(
    candidates: &'c [Candidate],
    threads: usize,
    progress: &AtomicUsize,
    work: impl Fn(&Candidate) -> T + Sync,
    on_panic: impl Fn(&Candidate) -> T + Sync,
    fold: impl Fn(&mut A, &'c Candidate, T) + Sync,
) -> (Vec<A>, usize) {
    let next = AtomicUsize::new(0);
    let worker = || {
        let mut kept = A::default();
        while let Some(candidate) = candidates.get(next.fetch_add(1, Ordering::Relaxed)) {
            let result = catch_unwind(AssertUnwindSafe(|| work(candidate))).unwrap_or_else(|_| on_panic(candidate));
            fold(&mut kept, candidate, result);
            progress.fetch_add(1, Ordering::Relaxed);
        }
        kept
    };
    std::thread::scope(|scope| {
        let handles: Vec<_> = (0..threads.min(candidates.len()).max(1))
            .map_while(|_| {
                std::thread::Builder::new()
                    .stack_size(WORKER_STACK)
                    .spawn_scoped(scope, worker)
                    .ok()
            })
            .collect();
        if handles.is_empty() {
            return (vec![worker()], 1);
        }
        let spawned = handles.len();
        let folds = handles.into_iter().map(|h| h.join().unwrap_or_default()).collect();
        (folds, spawned)
    })
}

/// What a scan keeps of the files it checked: their findings, and what the
/// tree's classification and the project notes need.
#[derive(Default)]
struct Kept<'c> {
    findings: Vec<Finding>,
    suppressed: Vec<Finding>,
    notifications: Vec<Notification>,
    /// Project notes, with their file's project: a note stands only if no
    /// file of its project provides the fact, known once every file is in.
    pending: Vec<(Finding, Option<PathBuf>)>,
    /// Every fact some file provides, with the directory of that file's project.
    provided: Vec<(&'static str, PathBuf)>,
    /// Every file's display path and signals, for the classification.
    files: Vec<(&'c str, Option<Signals>)>,
    stats: ScanStats,
}

impl<'c> Kept<'c> {
    fn add(&mut self, candidate: &'c Candidate, outcome: Outcome) {
        let Outcome {
            findings,
            suppressed,
            notifications,
            signals,
            scanned,
            skipped,
            parsed,
            parsed_for,
            bytes,
            pending,
            provides,
            project,
            times,
        } = outcome;
        if let Some(project) = &project {
            self.provided
                .extend(provides.iter().map(|fact| (*fact, project.clone())));
        }
        self.pending
            .extend(pending.into_iter().map(|note| (note, project.clone())));
        let stats = &mut self.stats;
        stats.files_scanned += u64::from(scanned);
        stats.files_skipped += u64::from(skipped);
        stats.files_parsed += u64::from(parsed);
        stats.bytes_scanned += bytes;
        stats.stages.thread += times;
        if let Some(rule) = parsed_for {
            stats.add_parsed_for(&rule, 1, bytes);
        }
        self.findings.extend(findings);
        self.suppressed.extend(suppressed);
        self.notifications.extend(notifications);
        self.files.push((&candidate.display, signals));
    }

    /// Puts the workers' folds together.
    fn merge(folds: Vec<Kept<'c>>) -> Kept<'c> {
        let mut all = Kept::default();
        for fold in folds {
            all.findings.extend(fold.findings);
            all.suppressed.extend(fold.suppressed);
            all.notifications.extend(fold.notifications);
            all.pending.extend(fold.pending);
            all.provided.extend(fold.provided);
            all.files.extend(fold.files);
            add_file_stats(&mut all.stats, &fold.stats);
        }
        all
    }
}

/// Adds the per-file counts and stage times of `from` to `into`.
fn add_file_stats(into: &mut ScanStats, from: &ScanStats) {
    into.files_scanned += from.files_scanned;
    into.files_skipped += from.files_skipped;
    into.files_parsed += from.files_parsed;
    into.bytes_scanned += from.bytes_scanned;
    into.stages.thread += from.stages.thread;
    for (rule, parsed) in &from.parsed_for {
        into.add_parsed_for(rule, parsed.files, parsed.bytes);
    }
}

/// A file's text, or why it was not read (as an outcome with its notification).
fn read(candidate: &Candidate, max_file_size: u64) -> Result<(String, Vec<Notification>), Box<Outcome>> {
    let note = |kind, level, message: String| Notification::new(kind, level, &candidate.display, message);
    let skipped = |notification| {
        Box::new(Outcome {
            skipped: true,
            notifications: vec![notification],
            ..Outcome::default()
        })
    };
    let unreadable_level = if candidate.explicit {
        Severity::Error
    } else {
        Severity::Warning
    };
    match std::fs::metadata(&candidate.path) {
        Ok(meta) if meta.len() > max_file_size => {
            let message = format!(
                "skipped: {} is larger than --max-file-size ({})",
                human_size(meta.len()),
                human_size(max_file_size)
            );
            return Err(skipped(note(NotificationKind::TooLarge, Severity::Note, message)));
        }
        Ok(_) => {}
        Err(error) => {
            return Err(skipped(note(
                NotificationKind::Unreadable,
                unreadable_level,
                format!("cannot read: {error}"),
            )));
        }
    }
    let bytes = std::fs::read(&candidate.path).map_err(|error| {
        skipped(note(
            NotificationKind::Unreadable,
            unreadable_level,
            format!("cannot read: {error}"),
        ))
    })?;
    if memchr::memchr(0, &bytes[..bytes.len().min(BINARY_PROBE)]).is_some() {
        return Err(skipped(note(
            NotificationKind::Binary,
            Severity::Note,
            "skipped: binary file".to_string(),
        )));
    }
    match String::from_utf8(bytes) {
        Ok(text) => Ok((text, Vec::new())),
        Err(error) => {
            let message = "not valid UTF-8; scanned with invalid bytes replaced".to_string();
            Ok((
                String::from_utf8_lossy(error.as_bytes()).into_owned(),
                vec![note(NotificationKind::InvalidUtf8, Severity::Note, message)],
            ))
        }
    }
}

fn is_lockfile(candidate: &Candidate) -> bool {
    candidate
        .path
        .file_name()
        .and_then(|n| n.to_str())
        .is_some_and(|name| LOCKFILES.contains(&name))
}

/// The user's `[context]` globs, matched gitignore-style against absolute paths.
struct Overrides {
    browser: Option<Gitignore>,
    server: Option<Gitignore>,
}

impl Overrides {
    fn class_of(&self, path: &Path) -> Option<FileClass> {
        let matches = |gi: &Option<Gitignore>| {
            gi.as_ref().is_some_and(|gi| {
                path.strip_prefix(gi.path()).is_ok() && gi.matched_path_or_any_parents(path, false).is_ignore()
            })
        };
        match (matches(&self.browser), matches(&self.server)) {
            (true, true) => Some(FileClass::Isomorphic),
            (true, false) => Some(FileClass::Browser),
            (false, true) => Some(FileClass::Server),
            (false, false) => None,
        }
    }
}

impl Engine {
    fn overrides(&self, root: &Path) -> Result<Overrides, ScanError> {
        let base = self
            .config
            .base_dir()
            .map(Path::to_path_buf)
            .unwrap_or_else(|| root.to_path_buf());
        let context = &self.config.context;
        let bad = |(glob, message)| ScanError::BadExclude { glob, message };
        Ok(Overrides {
            browser: gitignore(&base, &context.browser).map_err(bad)?,
            server: gitignore(&base, &context.server).map_err(bad)?,
        })
    }

    /// Classifies files (display paths and their signals) with the user's overrides.
    fn classify_outcomes<'a>(
        &self,
        root: &Path,
        files: impl Iterator<Item = (&'a str, Option<Signals>)>,
    ) -> Result<ContextMap, ScanError> {
        let overrides = self.overrides(root)?;
        let files: Vec<(&str, Option<Signals>)> = files.collect();
        // The classifier resolves imports and HTML references by path text, so
        // every path must be written from one directory: files shown as
        // absolute or `../` paths (a scan of a directory outside the current
        // one) are classified relative to their common directory instead.
        let outside = |display: &str| display.starts_with('/') || display == ".." || display.starts_with("../");
        let base = files
            .iter()
            .any(|(display, _)| outside(display))
            .then(|| common_dir(files.iter().map(|(display, _)| normalize(&root.join(display)))))
            .flatten();
        let key_of = |display: &str| -> String {
            match &base {
                Some(base) => {
                    relative_key(&normalize(&root.join(display)), base).unwrap_or_else(|| display.to_string())
                }
                None => display.to_string(),
            }
        };
        let mut classifier = Classifier::new();
        let mut displays: HashMap<String, &str> = HashMap::new();
        for (display, signals) in files {
            let key = key_of(display);
            classifier.add_file(&key);
            if let Some(signals) = signals {
                classifier.add_signals(&key, signals);
            }
            if base.is_some() {
                displays.insert(key, display);
            }
        }
        let from = base.clone().unwrap_or_else(|| root.to_path_buf());
        let map = classifier.classify(|key| overrides.class_of(&from.join(key)));
        Ok(match base {
            Some(_) => map.renamed(|key| displays.get(key).map_or_else(|| key.to_string(), |d| d.to_string())),
            None => map,
        })
    }

    /// Scans `options.paths`, bumping `progress` once per file done (for a
    /// progress indicator).
    pub fn scan(&self, options: &ScanOptions, progress: &AtomicUsize) -> Result<ScanReport, ScanError> {
        self.scan_with_context(options, progress).map(|(report, _)| report)
    }

    /// [`Engine::scan`], also returning the classification of the tree (an
    /// editor keeps it for the files it checks later).
    pub fn scan_with_context(
        &self,
        options: &ScanOptions,
        progress: &AtomicUsize,
    ) -> Result<(ScanReport, ContextMap), ScanError> {
        let mut laps = Laps::start();
        let mut stats = ScanStats::default();
        let root = options.root.clone();
        let discovered = discover(&self.config, options)?;
        let mut notifications = discovered.notifications;
        let oracle = GitIgnoreOracle::new(&root);
        let dependencies = DependencyIndex::new();
        stats.stages.wall.walk = laps.lap();
        let (folds, threads) = run_parallel(
            &discovered.candidates,
            thread_count(options),
            progress,
            |candidate| self.scan_file(candidate, options, &oracle, &dependencies),
            Outcome::internal_error,
            Kept::add,
        );
        stats.stages.wall.files = laps.lap();
        stats.stages.threads = threads as u64;

        let kept = Kept::merge(folds);
        add_file_stats(&mut stats, &kept.stats);
        let (mut findings, mut suppressed) = (kept.findings, kept.suppressed);
        notifications.extend(kept.notifications);
        for (note, project) in kept.pending {
            if is_provided(&note, project.as_deref(), &kept.provided) {
                continue;
            }
            match note.suppression {
                Some(_) => suppressed.push(note),
                None => findings.push(note),
            }
        }
        // The loop above decided the project notes.
        stats.stages.wall.resolve = laps.lap();
        let context = self.classify_outcomes(&root, kept.files.into_iter())?;
        stats.stages.wall.classify = laps.lap();
        resolve::resolve_classes(&mut findings, |path| {
            context
                .get(path)
                .map(|c| (c.class, c.reasons.first().map(String::as_str)))
        });
        resolve::resolve_classes(&mut suppressed, |path| {
            context
                .get(path)
                .map(|c| (c.class, c.reasons.first().map(String::as_str)))
        });
        findings.sort_by(|a, b| a.sort_key().cmp(&b.sort_key()));
        suppressed.sort_by(|a, b| a.sort_key().cmp(&b.sort_key()));
        resolve::apply_supersession(&mut findings, &self.supersedes);
        notifications.extend(conflict_notifications(&context));
        notifications.sort_by(|a, b| a.sort_key().cmp(&b.sort_key()));
        stats.stages.wall.resolve += laps.lap();
        // The laps follow each other without gaps: their sum is the time since
        // the start, and the wall times add up to exactly the elapsed time.
        let wall = &stats.stages.wall;
        stats.elapsed = wall.walk + wall.files + wall.classify + wall.resolve;
        let report = ScanReport {
            findings,
            suppressed,
            notifications,
            rules: self.enabled_rules(),
            stats,
            root,
        };
        Ok((report, context))
    }

    /// Classifies the files `options` names without checking them (`miroguard classify`).
    pub fn classify(
        &self,
        options: &ScanOptions,
        progress: &AtomicUsize,
    ) -> Result<(ContextMap, Vec<Notification>), ScanError> {
        let discovered = discover(&self.config, options)?;
        let mut notifications = discovered.notifications;
        let (folds, _) = run_parallel(
            &discovered.candidates,
            thread_count(options),
            progress,
            |candidate| {
                if is_lockfile(candidate) {
                    return Outcome::default();
                }
                match read(candidate, options.max_file_size) {
                    Ok((text, notes)) => Outcome {
                        signals: miroguard_context::extract(&candidate.display, &text),
                        notifications: notes,
                        ..Outcome::default()
                    },
                    Err(skipped) => *skipped,
                }
            },
            Outcome::internal_error,
            Kept::add,
        );
        let kept = Kept::merge(folds);
        notifications.extend(kept.notifications);
        let context = self.classify_outcomes(&options.root, kept.files.into_iter())?;
        notifications.extend(conflict_notifications(&context));
        notifications.sort_by(|a, b| a.sort_key().cmp(&b.sort_key()));
        Ok((context, notifications))
    }

    fn scan_file(
        &self,
        candidate: &Candidate,
        options: &ScanOptions,
        oracle: &GitIgnoreOracle,
        dependencies: &DependencyIndex,
    ) -> Outcome {
        if is_lockfile(candidate) {
            return Outcome::default();
        }
        let mut laps = Laps::start();
        let mut times = FileTimes::default();
        let read = read(candidate, options.max_file_size);
        times.read = laps.lap();
        let (text, notes) = match read {
            Ok(read) => read,
            Err(mut skipped) => {
                skipped.times = times;
                return *skipped;
            }
        };
        let mut context = FileContext::from_display_path(candidate.display.clone());
        context.dependencies = dependencies.for_file(&candidate.path, context.language);
        times.classify = laps.lap();
        // The walk already dropped git-ignored files unless it was told not to,
        // or the file was named on the command line.
        if options.no_ignore || candidate.explicit {
            let name = candidate.path.file_name().and_then(|n| n.to_str()).unwrap_or("");
            context.git_ignored = wants_ignore_status(name) && oracle.is_ignored(&candidate.path);
        }
        times.walk = laps.lap();
        let mut report = self.check_text(&context, &text);
        // The check timed its own stages; this lap only restarts the clock.
        laps.lap();
        times += report.times;
        let mut notifications = notes;
        notifications.extend(std::mem::take(&mut report.notifications));
        let project = (!report.pending.is_empty() || !report.provides.is_empty())
            .then(|| project_scope(candidate))
            .flatten();
        // A project note needs the whole project: drop it when the scan did
        // not walk the directory the project starts in.
        let whole_project = match (&project, &candidate.walked_from) {
            (Some(project), Some(walked)) => project.starts_with(walked),
            _ => false,
        };
        times.finalize += laps.lap();
        let signals = miroguard_context::extract(&candidate.display, &text);
        times.classify += laps.lap();
        let bytes = text.len() as u64;
        if report.parsed && text.len() > memory::LARGE_PARSED_FILE {
            drop(text);
            memory::release_free_memory();
        }
        Outcome {
            pending: if whole_project { report.pending } else { Vec::new() },
            provides: report.provides,
            project,
            findings: report.findings,
            suppressed: report.suppressed,
            notifications,
            signals,
            scanned: true,
            skipped: false,
            parsed: report.parsed,
            parsed_for: report.parsed_for,
            bytes,
            times,
        }
    }
}

/// The directory a file's project notes and provided facts are about: its
/// nearest `package.json` or `Cargo.toml` directory, else the directory the
/// walk started from (a bare tree without a manifest is one project), else
/// its own directory.
fn project_scope(candidate: &Candidate) -> Option<PathBuf> {
    crate::dependencies::project_dir(&candidate.path)
        .or_else(|| candidate.walked_from.clone())
        .or_else(|| candidate.path.parent().map(Path::to_path_buf))
}

/// Whether a project note in a file of `project` is answered by a provided
/// fact: one from a file of the same project, or of a project that holds it
/// (a hosting config at the top of a monorepo covers the packages below).
fn is_provided(note: &Finding, project: Option<&Path>, provided: &[(&'static str, PathBuf)]) -> bool {
    let (Some(fact), Some(project)) = (note.unless_project_provides.as_deref(), project) else {
        return true;
    };
    provided
        .iter()
        .any(|(provided, scope)| *provided == fact && project.starts_with(scope))
}

/// A browser entry that reaches a `server-only` module: the build would
/// fail, or server code would be shipped.
/// The deepest directory that holds every one of `paths`.
fn common_dir(paths: impl Iterator<Item = PathBuf>) -> Option<PathBuf> {
    let mut common: Option<PathBuf> = None;
    for path in paths {
        let dir = path.parent().map(Path::to_path_buf).unwrap_or_default();
        common = Some(match common {
            None => dir,
            Some(so_far) => so_far
                .components()
                .zip(dir.components())
                .take_while(|(a, b)| a == b)
                .map(|(a, _)| a)
                .collect(),
        });
    }
    common
}

/// `path` below `base`, `/`-separated.
fn relative_key(path: &Path, base: &Path) -> Option<String> {
    let relative = path.strip_prefix(base).ok()?;
    let parts: Vec<String> = relative
        .components()
        .map(|c| c.as_os_str().to_string_lossy().into_owned())
        .collect();
    Some(parts.join("/"))
}

fn conflict_notifications(context: &ContextMap) -> Vec<Notification> {
    context
        .conflicts()
        .iter()
        .map(|conflict| {
            let chain = conflict.chain.join(" → ");
            Notification::new(
                NotificationKind::ClassConflict,
                Severity::Warning,
                &conflict.browser_file,
                format!(
                    "browser code reaches the server-only module {} ({chain})",
                    conflict.server_only_file
                ),
            )
        })
        .collect()
}

fn human_size(bytes: u64) -> String {
    match bytes {
        b if b >= 1 << 20 => format!("{:.1} MiB", b as f64 / f64::from(1 << 20)),
        b if b >= 1 << 10 => format!("{:.1} KiB", b as f64 / 1024.0),
        b => format!("{b} bytes"),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use miroguard_core::Config;

    const SERVER: &str = "const express = require(\"express\");\nconst app = express();\napp.listen(3000);\n";
    const VERCEL: &str = r#"{ "headers": [{ "source": "/(.*)", "headers": [{ "key": "Strict-Transport-Security", "value": "max-age=31536000; includeSubDomains" }] }] }"#;

    fn notes(report: &ScanReport) -> Vec<(&str, bool)> {
        report
            .findings
            .iter()
            .chain(&report.suppressed)
            .filter(|f| f.rule == "hsts-missing-or-short")
            .map(|f| (f.path.as_str(), f.suppression.is_some()))
            .collect()
    }

    #[test]
    fn project_notes_stand_only_where_no_file_of_the_walked_project_sets_hsts() {
        let dir = tempfile::tempdir().expect("a temporary directory");
        let root = dir.path();
        let write = |path: &str, text: &str| {
            let path = root.join(path);
            std::fs::create_dir_all(path.parent().expect("a parent")).expect("mkdir");
            std::fs::write(path, text).expect("write");
        };
        std::fs::create_dir_all(root.join(".git")).expect("mkdir");
        write("bare/package.json", "{}");
        write("bare/server.js", SERVER);
        write("hosted/package.json", "{}");
        write("hosted/api/server.js", SERVER);
        write("hosted/vercel.json", VERCEL);
        write("muted/package.json", "{}");
        write(
            "muted/server.js",
            &SERVER.replace(
                "app.listen(3000);",
                "// miroguard-ignore[hsts-missing-or-short]: the proxy sets it\napp.listen(3000);",
            ),
        );
        let engine = Engine::new(Config::default()).expect("engine builds");
        let progress = AtomicUsize::new(0);

        let whole = engine
            .scan(&ScanOptions::new(root.to_path_buf()), &progress)
            .expect("scan");
        assert_eq!(notes(&whole), [("bare/server.js", false), ("muted/server.js", true)]);

        // A file named on the command line, or a walk below the project's top, cannot see the project.
        let mut explicit = ScanOptions::new(root.to_path_buf());
        explicit.paths = vec![root.join("bare/server.js")];
        assert!(notes(&engine.scan(&explicit, &progress).expect("scan")).is_empty());
        let mut below = ScanOptions::new(root.to_path_buf());
        below.paths = vec![root.join("hosted/api")];
        assert!(notes(&engine.scan(&below, &progress).expect("scan")).is_empty());

        // The editor's single-file check keeps the note apart, unreported.
        let report = engine.check_text(&FileContext::from_display_path("bare/server.js"), SERVER);
        assert!(report.findings.is_empty() && report.pending.len() == 1);
    }
}
