//! The classification itself: roots from signals and entries, propagation
//! along resolved imports, and the final class of every file.
//!
//! Browser roots are files with a browser signal and the entries of HTML
//! pages, bundler configurations, `package.json` `"browser"` fields and
//! Next.js pages; server roots are files with a server signal and Next.js
//! server entries. Next.js pages and layouts are roots of both sides: they
//! render on the server and hydrate in the browser. Each side spreads
//! breadth-first along real (not type-only) imports, remembering the first
//! importer as the reason. The browser side never enters a module that
//! imports `server-only` (that is a [`Conflict`]) nor a `"use server"`
//! module (the bundler replaces those with calls to the server); the server
//! side never enters a `"use client"` module (server components only refer to
//! client components, whose code goes to the client bundle).

use crate::bundler::Bundler;
use crate::html::HtmlSignals;
use crate::manifest::{CargoSignals, PackageSignals, TsConfig, WebDep};
use crate::paths::{
    self, ancestors, build_config_tool, child, dir_of, file_name, is_html, is_next_config, is_rust, is_script, join,
    strip_dir,
};
use crate::resolve::Resolver;
use crate::signals::{Directive, PackageRole, ScriptSignals, package_role};
use crate::{Classification, Conflict, ContextMap, SignalKind, Signals};
use miroguard_core::FileClass;
use std::collections::{BTreeMap, BTreeSet, HashMap, HashSet, VecDeque};

/// The reason given to files the user classified.
const OVERRIDE_REASON: &str = "configured in .miroguard.toml [context]";

/// Reason priorities, most decisive first: what the code declares, then the
/// entries that load it, then what it uses.
const DECLARED: u8 = 1;
const ENTRY: u8 = 2;
const SDK: u8 = 3;
const IMPORTS: u8 = 4;
const USES: u8 = 5;
/// Public env vars are readable on the server too: a hint that a file is
/// bundled, which a framework's own word overrides.
const PUBLIC_ENV: u8 = 6;

/// Directory names that break ties when nothing else decides.
const BROWSER_DIRS: [&str; 7] = ["public", "static", "client", "frontend", "web", "components", "pages"];
const SERVER_DIRS: [&str; 5] = ["server", "api", "backend", "functions", "lambda"];

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Reach {
    Root,
    From(usize),
}

#[derive(Clone, Copy, PartialEq, Eq)]
enum Side {
    Browser,
    Server,
}

/// Everything known about one registered file during classification.
#[derive(Default)]
struct Node {
    /// Reasons it runs in the browser, with their priority.
    browser: Vec<(u8, String)>,
    server: Vec<(u8, String)>,
    /// Reasons it runs on both sides (Next.js pages).
    both: Vec<(u8, String)>,
    server_only: bool,
    use_server: bool,
    use_client: bool,
    forced: Option<FileClass>,
    build_config: Option<&'static str>,
    /// Resolved, non-type-only imports, by file index.
    edges: Vec<usize>,
    browser_reach: Option<Reach>,
    server_reach: Option<Reach>,
}

impl Node {
    fn reach(&self, side: Side) -> Option<Reach> {
        match side {
            Side::Browser => self.browser_reach,
            Side::Server => self.server_reach,
        }
    }

    fn set_reach(&mut self, side: Side, reach: Reach) {
        match side {
            Side::Browser => self.browser_reach = Some(reach),
            Side::Server => self.server_reach = Some(reach),
        }
    }

    /// Whether propagation of `side` stops before this module.
    fn stops(&self, side: Side) -> bool {
        if self.build_config.is_some() {
            return true;
        }
        match (side, self.forced) {
            (Side::Browser, Some(class)) => !class.reaches_browser(),
            (Side::Server, Some(class)) => !matches!(class, FileClass::Server | FileClass::Isomorphic),
            (Side::Browser, None) => self.server_only || self.use_server,
            (Side::Server, None) => self.use_client,
        }
    }
}

/// The signals of the tree, sorted by kind.
struct Inputs<'a> {
    scripts: Vec<(usize, &'a ScriptSignals)>,
    htmls: Vec<(&'a str, &'a HtmlSignals)>,
    packages: BTreeMap<&'a str, &'a PackageSignals>,
    tsconfigs: BTreeMap<&'a str, &'a TsConfig>,
    /// By the manifest's directory.
    cargos: HashMap<&'a str, &'a CargoSignals>,
}

pub(crate) fn classify(
    files: BTreeSet<String>,
    signals: BTreeMap<String, Signals>,
    override_class: &dyn Fn(&str) -> Option<FileClass>,
) -> ContextMap {
    let paths: Vec<String> = files.into_iter().collect();
    let index: HashMap<&str, usize> = paths.iter().enumerate().map(|(i, path)| (path.as_str(), i)).collect();
    let mut inputs = Inputs {
        scripts: Vec::new(),
        htmls: Vec::new(),
        packages: BTreeMap::new(),
        tsconfigs: BTreeMap::new(),
        cargos: HashMap::new(),
    };
    for (path, signals) in &signals {
        let Some(&i) = index.get(path.as_str()) else { continue };
        match &signals.kind {
            SignalKind::Script(script) => inputs.scripts.push((i, script)),
            SignalKind::Html(html) => inputs.htmls.push((&paths[i], html)),
            SignalKind::Package(package) => {
                inputs.packages.insert(&paths[i], package);
            }
            SignalKind::TsConfig(config) => {
                inputs.tsconfigs.insert(&paths[i], config);
            }
            SignalKind::Cargo(cargo) => {
                inputs.cargos.insert(dir_of(&paths[i]), cargo);
            }
        }
    }
    let dirs_holding = |name: &str| -> HashSet<&str> {
        paths
            .iter()
            .filter(|path| file_name(path) == name)
            .map(|path| dir_of(path))
            .collect()
    };
    let package_dirs = dirs_holding("package.json");
    let cargo_dirs = dirs_holding("Cargo.toml");
    let next_roots: HashSet<&str> = inputs
        .packages
        .iter()
        .filter(|(_, package)| package.next)
        .map(|(path, _)| dir_of(path))
        .chain(
            paths
                .iter()
                .filter(|path| is_next_config(file_name(path)))
                .map(|path| dir_of(path)),
        )
        .collect();
    let resolver = Resolver::new(&index, &paths, &inputs.tsconfigs, &inputs.packages);
    let mut buf = String::new();

    let mut nodes: Vec<Node> = paths.iter().map(|_| Node::default()).collect();
    for (path, node) in paths.iter().zip(nodes.iter_mut()) {
        if is_script(path) || is_rust(path) {
            node.forced = override_class(path);
        }
        if is_script(path) {
            node.build_config = build_config_tool(path);
        }
    }

    // What each module says about itself, and its imports.
    for &(i, script) in &inputs.scripts {
        if nodes[i].build_config.is_some() {
            continue;
        }
        own_reasons(&mut nodes[i], script);
        let mut edges: Vec<usize> = script
            .imports
            .iter()
            .filter(|import| !import.type_only)
            .filter_map(|import| resolver.resolve(&paths[i], &import.spec, &mut buf))
            .filter(|&j| j != i)
            .collect();
        edges.sort_unstable();
        edges.dedup();
        nodes[i].edges = edges;
    }

    // Entries named by bundler configurations; Vite's pages are noted for the HTML pass.
    let mut vite_pages: BTreeMap<String, &str> = BTreeMap::new();
    for &(i, script) in &inputs.scripts {
        let Some(config) = &script.bundler else { continue };
        let config_path = paths[i].as_str();
        let dir = dir_of(config_path);
        if config.bundler == Bundler::Vite {
            let default_page = child(dir, "index.html");
            if index.contains_key(default_page.as_str()) {
                vite_pages.entry(default_page).or_insert(config_path);
            }
        }
        for input in &config.inputs {
            let Some(target) = join(dir, input.trim_start_matches('/')) else {
                continue;
            };
            if config.bundler == Bundler::Vite && is_html(&target) {
                if index.contains_key(target.as_str()) {
                    vite_pages.entry(target).or_insert(config_path);
                }
                continue;
            }
            let Some(j) = resolver.module(&target, &mut buf) else {
                continue;
            };
            match (config.bundler, config.node_target) {
                (Bundler::Vite, _) => nodes[j]
                    .browser
                    .push((ENTRY, format!("Vite build input in {config_path}"))),
                (Bundler::Webpack, false) => nodes[j]
                    .browser
                    .push((ENTRY, format!("webpack entry in {config_path}"))),
                (Bundler::Webpack, true) => {
                    nodes[j]
                        .server
                        .push((ENTRY, format!("webpack entry in {config_path} (target node)")));
                }
            }
        }
    }

    // Pages the Miro Web SDK opens as panels and modals, by the first module that opens them.
    let project_root = |dir: &'_ str| -> String {
        ancestors(dir)
            .find(|d| package_dirs.contains(d))
            .unwrap_or(dir)
            .to_string()
    };
    let mut panel_pages: BTreeMap<String, &str> = BTreeMap::new();
    for &(i, script) in &inputs.scripts {
        let root = project_root(dir_of(&paths[i]));
        for url in &script.panels {
            let url = url.trim_start_matches('/');
            let page = [join(&root, url), join(&root, &format!("public/{url}"))]
                .into_iter()
                .flatten()
                .find(|candidate| index.contains_key(candidate.as_str()));
            if let Some(page) = page {
                panel_pages.entry(page).or_insert(&paths[i]);
            }
        }
    }

    // Scripts of HTML pages.
    for &(page, html) in &inputs.htmls {
        let dir = dir_of(page);
        let root = project_root(dir);
        let reason = if let Some(opener) = panel_pages.get(page) {
            format!("loaded by {page}, opened as a Miro panel by {opener}")
        } else if html.miro_sdk {
            format!("loaded by {page}, a Miro app page (it loads the Miro Web SDK)")
        } else if let Some(config) = vite_pages.get(page) {
            format!("loaded by {page}, the Vite entry of {config}")
        } else {
            format!("loaded by {page}")
        };
        for src in &html.scripts {
            let target = match src.strip_prefix('/') {
                Some(from_root) => join(&root, from_root),
                None => join(dir, src),
            };
            if let Some(j) = target.and_then(|target| resolver.module(&target, &mut buf)) {
                nodes[j].browser.push((ENTRY, reason.clone()));
            }
        }
    }

    // `"browser"` fields of package.json.
    for (&manifest, package) in &inputs.packages {
        for entry in &package.browser {
            if let Some(j) = join(dir_of(manifest), entry).and_then(|target| resolver.module(&target, &mut buf)) {
                nodes[j]
                    .browser
                    .push((ENTRY, format!("listed in the \"browser\" field of {manifest}")));
            }
        }
    }

    // Next.js entries by path.
    if !next_roots.is_empty() {
        for (path, node) in paths.iter().zip(nodes.iter_mut()) {
            if !is_script(path) {
                continue;
            }
            let Some(root) = ancestors(dir_of(path)).find(|dir| next_roots.contains(dir)) else {
                continue;
            };
            // A `"use client"` file is browser code whatever its place in the tree says.
            if node.use_client {
                continue;
            }
            match strip_dir(path, root).and_then(next_entry) {
                Some((true, reason)) => {
                    node.browser.retain(|(rank, _)| *rank != PUBLIC_ENV);
                    node.server.push((ENTRY, reason));
                }
                Some((false, reason)) => node.both.push((ENTRY, reason)),
                None => {}
            }
        }
    }

    // Propagation. Browser roots with browser evidence of their own go first,
    // and only their chains are conflicts: a Next.js page that imports a
    // server-only module does so from server code the framework keeps out of
    // the bundle (server components, getServerSideProps).
    let is_root = |node: &Node, side: Side| match node.forced {
        Some(class) => match side {
            Side::Browser => class.reaches_browser(),
            Side::Server => matches!(class, FileClass::Server | FileClass::Isomorphic),
        },
        None if node.build_config.is_some() => false,
        None => match side {
            Side::Browser => !node.browser.is_empty() || !node.both.is_empty(),
            Side::Server => !node.server.is_empty() || !node.both.is_empty(),
        },
    };
    let strict = |node: &Node| node.forced.is_some() || !node.browser.is_empty();
    let (strict_roots, loose_roots): (Vec<usize>, Vec<usize>) = (0..nodes.len())
        .filter(|&i| is_root(&nodes[i], Side::Browser))
        .partition(|&i| strict(&nodes[i]));
    let server_roots: Vec<usize> = (0..nodes.len()).filter(|&i| is_root(&nodes[i], Side::Server)).collect();

    let mut conflicts: BTreeMap<(usize, usize), Vec<usize>> = BTreeMap::new();
    for &root in &strict_roots {
        if nodes[root].server_only && nodes[root].forced.is_none() {
            conflicts.insert((root, root), vec![root]);
        }
    }
    spread(&mut nodes, &strict_roots, Side::Browser, Some(&mut conflicts));
    spread(&mut nodes, &loose_roots, Side::Browser, None);
    spread(&mut nodes, &server_roots, Side::Server, None);

    // Final classes.
    let mut rust_crates: HashMap<&str, Classification> = HashMap::new();
    let mut classes = BTreeMap::new();
    for (i, path) in paths.iter().enumerate() {
        let node = &nodes[i];
        let classification = if let Some(class) = node.forced {
            Classification {
                class,
                reasons: vec![OVERRIDE_REASON.to_string()],
            }
        } else if is_rust(path) {
            rust_class(path, &cargo_dirs, &inputs.cargos, &mut rust_crates)
        } else if !is_script(path) {
            continue;
        } else if let Some(tool) = node.build_config {
            Classification {
                class: FileClass::BuildConfig,
                reasons: vec![format!("{tool} configuration, run at build time")],
            }
        } else {
            script_class(path, node, &paths)
        };
        classes.insert(path.clone(), classification);
    }
    let conflicts = conflicts
        .into_values()
        .map(|chain| Conflict {
            browser_file: paths[chain[0]].clone(),
            server_only_file: paths[chain[chain.len() - 1]].clone(),
            chain: chain.iter().map(|&i| paths[i].clone()).collect(),
        })
        .collect();
    ContextMap::new(classes, conflicts)
}

/// The reasons a module's own signals give.
fn own_reasons(node: &mut Node, script: &ScriptSignals) {
    match script.directive {
        Some(Directive::UseClient) => {
            node.use_client = true;
            node.browser.push((DECLARED, "\"use client\" directive".into()));
        }
        Some(Directive::UseServer) => {
            node.use_server = true;
            node.server.push((DECLARED, "\"use server\" directive".into()));
        }
        None => {}
    }
    if script.miro_sdk {
        node.browser.push((SDK, "uses the Miro Web SDK (miro.board)".into()));
    }
    if let Some(env) = &script.public_env {
        node.browser.push((PUBLIC_ENV, format!("reads public env var {env}")));
    }
    for import in &script.imports {
        let spec = &*import.spec;
        if spec.starts_with('.') || spec.starts_with('/') {
            continue;
        }
        match package_role(spec) {
            Some(PackageRole::ServerOnly) => {
                node.server_only = true;
                node.server.push((DECLARED, format!("imports {spec}")));
            }
            Some(PackageRole::Server) => node.server.push((IMPORTS, format!("imports {spec}"))),
            Some(PackageRole::NodeHttp) if script.create_server => {
                node.server
                    .push((USES, format!("imports {spec} and calls createServer")));
            }
            Some(PackageRole::Browser(why)) => node.browser.push((IMPORTS, format!("imports {spec} ({why})"))),
            Some(PackageRole::NodeHttp) | None => {}
        }
    }
    if let Some(global) = script.browser_global {
        node.browser
            .push((USES, format!("uses {global} with no typeof window guard")));
    }
}

/// Whether a path (relative to a Next.js project root) is a Next.js entry:
/// `(true, reason)` for server-only entries, `(false, reason)` for pages
/// rendered on both sides.
fn next_entry(relative: &str) -> Option<(bool, String)> {
    let relative = relative.strip_prefix("src/").unwrap_or(relative);
    let stem = paths::stem(relative);
    if relative.starts_with("pages/api/") {
        return Some((true, "Next.js API route (pages/api)".into()));
    }
    if relative.starts_with("pages/") {
        return Some(if stem == "_document" {
            (
                true,
                "Next.js custom document (pages/_document), rendered only on the server".into(),
            )
        } else {
            (
                false,
                "Next.js page (pages/), rendered on the server and in the browser".into(),
            )
        });
    }
    if relative.starts_with("app/") {
        return match stem {
            "route" => Some((true, "Next.js route handler (app/…/route)".into())),
            // Without `"use client"` these are server components: their code never reaches the bundle.
            "page" | "layout" | "template" | "loading" | "not-found" | "default" => Some((
                true,
                format!("Next.js app router {stem} (app/…/{stem}), a server component"),
            )),
            // Error boundaries must be client components; one without the directive still renders on both sides.
            "error" | "global-error" => Some((
                false,
                format!("Next.js app router {stem} (app/…/{stem}), rendered on the server and in the browser"),
            )),
            _ => None,
        };
    }
    if !relative.contains('/') {
        return match stem {
            "middleware" => Some((true, "Next.js middleware".into())),
            "proxy" => Some((true, "Next.js proxy (middleware)".into())),
            "instrumentation" => Some((true, "Next.js server instrumentation".into())),
            _ => None,
        };
    }
    None
}

/// Breadth-first propagation of `side` from `roots`; with `conflicts`,
/// browser chains that run into a server-only module are recorded there.
fn spread(
    nodes: &mut [Node],
    roots: &[usize],
    side: Side,
    mut conflicts: Option<&mut BTreeMap<(usize, usize), Vec<usize>>>,
) {
    let mut queue = VecDeque::new();
    for &root in roots {
        if nodes[root].reach(side).is_none() {
            nodes[root].set_reach(side, Reach::Root);
            queue.push_back(root);
        }
    }
    while let Some(from) = queue.pop_front() {
        let edges = std::mem::take(&mut nodes[from].edges);
        for &to in &edges {
            if nodes[to].reach(side).is_some() {
                continue;
            }
            if nodes[to].stops(side) {
                if let Some(conflicts) = conflicts.as_deref_mut() {
                    if nodes[to].server_only && nodes[to].forced.is_none() {
                        let mut chain = vec![to, from];
                        let mut at = from;
                        while let Some(Reach::From(previous)) = nodes[at].reach(side) {
                            chain.push(previous);
                            at = previous;
                        }
                        chain.reverse();
                        conflicts.entry((chain[0], to)).or_insert(chain);
                    }
                }
                continue;
            }
            nodes[to].set_reach(side, Reach::From(from));
            queue.push_back(to);
        }
        nodes[from].edges = edges;
    }
}

/// The class of a JS/TS module from its roots and reach.
fn script_class(path: &str, node: &Node, paths: &[String]) -> Classification {
    let mut reasons = Vec::new();
    let add = |reasons: &mut Vec<String>, list: &[(u8, String)]| {
        let mut sorted: Vec<&(u8, String)> = list.iter().collect();
        sorted.sort_by_key(|(priority, _)| *priority);
        for (_, reason) in sorted {
            if !reasons.contains(reason) {
                reasons.push(reason.clone());
            }
        }
    };
    add(&mut reasons, &node.both);
    for (side, own, reach) in [
        ("browser", &node.browser, node.browser_reach),
        ("server", &node.server, node.server_reach),
    ] {
        match reach {
            Some(Reach::Root) => add(&mut reasons, own),
            Some(Reach::From(importer)) => reasons.push(format!("imported by {} ({side})", paths[importer])),
            None => {}
        }
    }
    let class = match (node.browser_reach, node.server_reach) {
        (Some(_), Some(_)) => FileClass::Isomorphic,
        (Some(_), None) => FileClass::Browser,
        (None, Some(_)) => FileClass::Server,
        (None, None) => {
            return directory_hint(path).unwrap_or_else(|| Classification {
                class: FileClass::Unknown,
                reasons: vec!["nothing says where it runs".into()],
            });
        }
    };
    Classification { class, reasons }
}

/// The class the deepest telling directory name gives, when nothing else decides.
fn directory_hint(path: &str) -> Option<Classification> {
    let segments: Vec<&str> = dir_of(path).split('/').collect();
    for (k, segment) in segments.iter().enumerate().rev() {
        let class = if BROWSER_DIRS.contains(segment) {
            FileClass::Browser
        } else if SERVER_DIRS.contains(segment) {
            FileClass::Server
        } else {
            continue;
        };
        let name = if *segment == "functions" && k > 0 && segments[k - 1] == "netlify" {
            "netlify/functions".to_string()
        } else {
            segment.to_string()
        };
        return Some(Classification {
            class,
            reasons: vec![format!("directory \"{name}/\"")],
        });
    }
    None
}

/// Crates that put a crate in the browser, most telling first.
const WEB_CRATE_RANK: [&str; 9] = [
    "yew",
    "leptos",
    "dioxus",
    "dioxus-web",
    "sycamore",
    "gloo",
    "web-sys",
    "js-sys",
    "wasm-bindgen",
];

/// The class of a Rust file: that of the crate of its nearest manifest.
fn rust_class<'a>(
    path: &'a str,
    cargo_dirs: &HashSet<&'a str>,
    cargos: &HashMap<&'a str, &'a CargoSignals>,
    cache: &mut HashMap<&'a str, Classification>,
) -> Classification {
    let dir = dir_of(path);
    if file_name(path) == "build.rs" && cargo_dirs.contains(dir) {
        return Classification {
            class: FileClass::BuildConfig,
            reasons: vec!["Cargo build script, run at build time".into()],
        };
    }
    let Some(manifest_dir) = ancestors(dir).find(|d| cargo_dirs.contains(d)) else {
        return Classification {
            class: FileClass::Server,
            reasons: vec!["Rust code outside any crate that targets the browser".into()],
        };
    };
    cache
        .entry(manifest_dir)
        .or_insert_with(|| crate_class(manifest_dir, cargos))
        .clone()
}

/// The class of the crate whose manifest is in `manifest_dir`.
fn crate_class(manifest_dir: &str, cargos: &HashMap<&str, &CargoSignals>) -> Classification {
    let plain = || Classification {
        class: FileClass::Server,
        reasons: vec!["Rust crate without browser targets".into()],
    };
    let Some(manifest) = cargos.get(manifest_dir) else {
        return plain();
    };
    let workspace = ancestors(manifest_dir).find_map(|d| cargos.get(d).filter(|c| !c.workspace_deps.is_empty()));
    let name = manifest
        .name
        .as_deref()
        .unwrap_or_else(|| paths::file_name(manifest_dir));
    let name = if name.is_empty() { "at the scan root" } else { name };

    let mut browser: Option<(usize, &str, Option<&str>)> = None;
    let mut server: Option<(&str, &str)> = None;
    for dep in &manifest.deps {
        let features = dep_features(dep, manifest, workspace.copied());
        let has = |wanted: &[&str]| features.iter().copied().find(|f| wanted.contains(f));
        let (browser_via, server_via) = match &*dep.name {
            "leptos" => (has(&["csr", "hydrate"]).map(Some), has(&["ssr"])),
            "dioxus" => (has(&["web"]).map(Some), has(&["server"])),
            _ => (Some(None), None),
        };
        if let Some(feature) = browser_via {
            let rank_name = if dep.name.starts_with("gloo") {
                "gloo"
            } else {
                &*dep.name
            };
            let rank = WEB_CRATE_RANK
                .iter()
                .position(|known| *known == rank_name)
                .unwrap_or(WEB_CRATE_RANK.len());
            if browser.is_none_or(|(best, _, _)| rank < best) {
                browser = Some((rank, &dep.name, feature));
            }
        }
        if let (None, Some(feature)) = (server, server_via) {
            server = Some((&dep.name, feature));
        }
    }
    let through = |dep: &str, feature: Option<&str>| match feature {
        Some(feature) => format!("`{dep}` (feature `{feature}`)"),
        None => format!("`{dep}`"),
    };
    match (browser, server) {
        (Some((_, dep, feature)), Some((_, server_feature))) => Classification {
            class: FileClass::Isomorphic,
            reasons: vec![format!(
                "crate `{name}` targets the browser through {} and the server (feature `{server_feature}`)",
                through(dep, feature)
            )],
        },
        (Some((_, dep, feature)), None) => Classification {
            class: FileClass::Browser,
            reasons: vec![format!(
                "crate `{name}` targets the browser through {}",
                through(dep, feature)
            )],
        },
        (None, Some((dep, feature))) => Classification {
            class: FileClass::Server,
            reasons: vec![format!(
                "crate `{name}` uses `{dep}` on the server only (feature `{feature}`)"
            )],
        },
        (None, None) => plain(),
    }
}

/// The features a dependency is built with: its own, those of the workspace
/// dependency it inherits, and those `[features]` entries switch on.
fn dep_features<'a>(dep: &'a WebDep, manifest: &'a CargoSignals, workspace: Option<&'a CargoSignals>) -> Vec<&'a str> {
    let mut features: Vec<&str> = dep.features.iter().map(|f| &**f).collect();
    if dep.inherits {
        if let Some(workspace) = workspace {
            let inherited = workspace.workspace_deps.iter().filter(|w| w.name == dep.name);
            features.extend(inherited.flat_map(|w| w.features.iter().map(|f| &**f)));
        }
    }
    features.extend(
        manifest
            .feature_refs
            .iter()
            .filter(|(d, _)| *d == dep.name)
            .map(|(_, f)| &**f),
    );
    features
}
