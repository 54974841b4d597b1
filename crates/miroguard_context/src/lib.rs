//! Where each file of a scanned tree runs: in the browser, on a server, both,
//! or at build time — with the reasons that decided it.
//!
//! Security rules need this: a Miro client secret in server code is a
//! finding to fix, the same secret in browser code is already public. The
//! classification works in two steps that match how a scan runs:
//!
//! 1. [`extract`] reads one file lexically (no parsing: it runs on every file
//!    of a scan) and keeps the few [`Signals`] that bear on where code runs —
//!    directives, import specifiers, browser globals, Miro Web SDK calls,
//!    public environment variables, HTML `<script>` tags, bundler entries,
//!    `package.json`, `tsconfig.json` and `Cargo.toml` facts.
//! 2. A [`Classifier`] collects every file's path and signals, resolves
//!    imports to files, and propagates "browser" and "server" from the files
//!    that declare them (entries, directives, server frameworks) along the
//!    import graph; [`Classifier::classify`] returns the [`ContextMap`].
//!
//! ```
//! use miroguard_context::{Classifier, extract};
//! use miroguard_core::FileClass;
//!
//! let files = [
//!     ("index.html", r#"<script type="module" src="/src/main.ts"></script>"#),
//!     ("src/main.ts", "import { api } from './api';\ndocument.title = api;"),
//!     ("src/api.ts", "export const api = '/api';"),
//!     ("server/index.ts", "import express from 'express';"),
//!     ("package.json", "{}"),
//! ];
//! let mut classifier = Classifier::new();
//! for (path, text) in files {
//!     classifier.add_file(path);
//!     if let Some(signals) = extract(path, text) {
//!         classifier.add_signals(path, signals);
//!     }
//! }
//! let map = classifier.classify(|_| None);
//! let api = map.get("src/api.ts").unwrap();
//! assert_eq!(api.class, FileClass::Browser);
//! assert_eq!(api.reasons, ["imported by src/main.ts (browser)"]);
//! assert_eq!(map.get("server/index.ts").unwrap().class, FileClass::Server);
//! ```

#![deny(missing_docs)]

mod bundler;
mod graph;
mod html;
mod lex;
mod manifest;
mod paths;
mod resolve;
mod signals;

use miroguard_core::FileClass;
use std::collections::{BTreeMap, BTreeSet};
use std::sync::Arc;

/// What classification needs from one file, kept small: no copy of the text.
#[derive(Clone, Debug)]
pub struct Signals {
    kind: SignalKind,
}

#[derive(Clone, Debug)]
enum SignalKind {
    Script(Box<signals::ScriptSignals>),
    Html(html::HtmlSignals),
    Package(manifest::PackageSignals),
    TsConfig(manifest::TsConfig),
    Cargo(manifest::CargoSignals),
}

/// Reads what classification needs from one file, lexically.
///
/// `path` is the file's path relative to the scan root, `/`-separated (such
/// as `src/panel/main.tsx`); it decides what kind of file `text` is. Returns
/// `None` for files that say nothing: a kind that does not matter, or a file
/// of a kind that does with nothing in it that counts (a broken manifest
/// included). Never panics, whatever the text.
pub fn extract(path: &str, text: &str) -> Option<Signals> {
    let name = paths::file_name(path);
    let kind = if paths::is_script(path) {
        let tool = paths::build_config_tool(path).filter(|tool| matches!(*tool, "vite" | "webpack"));
        SignalKind::Script(Box::new(signals::extract(text, tool)?))
    } else if paths::is_html(path) {
        SignalKind::Html(html::extract(text)?)
    } else if name == "package.json" {
        SignalKind::Package(manifest::package_json(text)?)
    } else if resolve::is_ts_config_name(name) {
        SignalKind::TsConfig(manifest::tsconfig(text)?)
    } else if name == "Cargo.toml" {
        SignalKind::Cargo(manifest::cargo_toml(text)?)
    } else {
        return None;
    };
    Some(Signals { kind })
}

/// Collects the files of a scanned tree and their signals, then classifies them.
#[derive(Clone, Debug, Default)]
pub struct Classifier {
    files: BTreeSet<String>,
    signals: BTreeMap<String, Signals>,
}

impl Classifier {
    /// An empty classifier.
    pub fn new() -> Classifier {
        Classifier::default()
    }

    /// Registers a file that exists in the scanned tree (every scanned file,
    /// with or without signals), so that import specifiers resolve against
    /// real files and manifests mark project roots.
    pub fn add_file(&mut self, path: &str) {
        if !self.files.contains(path) {
            self.files.insert(path.to_string());
        }
    }

    /// Adds the signals [`extract`] found in the file at `path` (registering
    /// the file too). Adding signals for a path again replaces them.
    pub fn add_signals(&mut self, path: &str, signals: Signals) {
        self.add_file(path);
        self.signals.insert(path.to_string(), signals);
    }

    /// Classifies every registered JS/TS (`.js .mjs .cjs .jsx .ts .mts .cts
    /// .tsx`) and Rust (`.rs`) file. `override_class` is the user's
    /// `[context]` configuration, already matched by the caller: a `Some`
    /// class wins over everything, and propagates to what the file imports.
    pub fn classify(self, override_class: impl Fn(&str) -> Option<FileClass>) -> ContextMap {
        graph::classify(self.files, self.signals, &override_class)
    }
}

/// Where one file runs and why.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Classification {
    /// The class.
    pub class: FileClass,
    /// Short sentences saying why, the deciding one first
    /// (`"use client" directive`, `imported by src/main.tsx (browser)`).
    pub reasons: Vec<String>,
}

/// A browser entry whose imports reach a module that declares itself
/// server-only (`import 'server-only'`): the bundle would break, or worse,
/// ship server code.
#[derive(Clone, Debug, PartialEq, Eq, PartialOrd, Ord)]
pub struct Conflict {
    /// The browser entry the chain starts from.
    pub browser_file: String,
    /// The server-only module it reaches.
    pub server_only_file: String,
    /// The import chain, from `browser_file` to `server_only_file` inclusive.
    pub chain: Vec<String>,
}

/// The classification of a whole tree. Cloning it is cheap (the data is
/// shared), and it can be read from any thread.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct ContextMap {
    inner: Arc<MapData>,
}

#[derive(Debug, Default, PartialEq, Eq)]
struct MapData {
    classes: BTreeMap<String, Classification>,
    conflicts: Vec<Conflict>,
}

impl ContextMap {
    fn new(classes: BTreeMap<String, Classification>, mut conflicts: Vec<Conflict>) -> ContextMap {
        conflicts.sort();
        ContextMap {
            inner: Arc::new(MapData { classes, conflicts }),
        }
    }

    /// The classification of the file at `path` (as registered), if it is a
    /// JS/TS or Rust file of the tree.
    pub fn get(&self, path: &str) -> Option<&Classification> {
        self.inner.classes.get(path)
    }

    /// Every classified file, sorted by path.
    pub fn iter(&self) -> impl Iterator<Item = (&str, &Classification)> {
        self.inner.classes.iter().map(|(path, class)| (path.as_str(), class))
    }

    /// Browser entries that reach server-only modules, sorted.
    pub fn conflicts(&self) -> &[Conflict] {
        &self.inner.conflicts
    }

    /// The same classification with every file renamed by `rename` (the
    /// engine classifies paths relative to the tree's common directory and
    /// shows them as the user named them). Reasons keep the names they were
    /// written with.
    pub fn renamed(&self, rename: impl Fn(&str) -> String) -> ContextMap {
        let classes = self
            .inner
            .classes
            .iter()
            .map(|(path, classification)| (rename(path), classification.clone()))
            .collect();
        let conflicts = self
            .inner
            .conflicts
            .iter()
            .map(|conflict| Conflict {
                browser_file: rename(&conflict.browser_file),
                server_only_file: rename(&conflict.server_only_file),
                chain: conflict.chain.iter().map(|path| rename(path)).collect(),
            })
            .collect();
        ContextMap::new(classes, conflicts)
    }
}
