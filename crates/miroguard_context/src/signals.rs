//! What a JavaScript or TypeScript module says about where it runs, read
//! lexically: its directive, what it imports, the browser globals and Miro
//! Web SDK calls it makes, the public environment variables it reads.
//!
//! One Aho-Corasick pass finds every keyword; each hit is then checked in a
//! bounded window around it. Nothing here parses: a keyword inside a string
//! counts, a keyword inside a comment is skipped when the comment is cheap
//! to see.

use crate::bundler::{self, BundlerConfig};
use crate::lex::{
    StringTracker, declares_local, in_comment, is_ident, is_word, skip_inline_space, skip_trivia, string_at,
    string_prefix_at, word_at,
};
use aho_corasick::{AhoCorasick, MatchKind};
use std::sync::LazyLock;

/// A directive at the top of a module.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum Directive {
    /// `"use client"`: a React client component, shipped to the browser.
    UseClient,
    /// `"use server"`: server actions, never shipped.
    UseServer,
}

/// One import specifier.
#[derive(Clone, Debug, PartialEq, Eq)]
pub(crate) struct Import {
    /// The specifier as written: `./a`, `express`, `node:fs`.
    pub(crate) spec: Box<str>,
    /// `import type` / `export type … from`: erased at compile time, so it
    /// carries no code from the imported module.
    pub(crate) type_only: bool,
}

/// The signals of one JavaScript or TypeScript module.
#[derive(Clone, Debug, Default)]
pub(crate) struct ScriptSignals {
    pub(crate) directive: Option<Directive>,
    /// Deduplicated, sorted by specifier.
    pub(crate) imports: Vec<Import>,
    /// The first browser-only global used with no `typeof window` guard anywhere in the file.
    pub(crate) browser_global: Option<&'static str>,
    /// Uses the global `miro.board` of the Miro Web SDK.
    pub(crate) miro_sdk: bool,
    /// The first public environment variable read, as written (`import.meta.env.VITE_API`).
    pub(crate) public_env: Option<Box<str>>,
    /// URLs of pages opened with `miro.board.ui.openPanel` / `openModal`.
    pub(crate) panels: Vec<Box<str>>,
    /// Calls something named `createServer`.
    pub(crate) create_server: bool,
    /// Entries named by a Vite or webpack configuration.
    pub(crate) bundler: Option<BundlerConfig>,
}

impl ScriptSignals {
    fn is_empty(&self) -> bool {
        self.directive.is_none()
            && self.imports.is_empty()
            && self.browser_global.is_none()
            && !self.miro_sdk
            && self.public_env.is_none()
            && self.panels.is_empty()
            && !self.create_server
            && self.bundler.is_none()
    }
}

#[derive(Clone, Copy)]
enum Keyword {
    Import,
    Export,
    Require,
    Global(&'static str),
    /// A property like `window.x`: the keyword includes the dot.
    GlobalMember(&'static str),
    Guard,
    MiroBoard,
    OpenPage,
    CreateServer,
    /// A public env prefix and the object it must be read from.
    PublicEnv(&'static str),
}

const KEYWORDS: [(&str, Keyword); 29] = [
    ("import", Keyword::Import),
    ("export", Keyword::Export),
    ("require", Keyword::Require),
    // Guards come before the globals they contain: leftmost-first matching
    // then reports `typeof window` rather than `window`. A file that tests
    // for a browser global is written to run outside browsers too.
    ("typeof window", Keyword::Guard),
    ("typeof document", Keyword::Guard),
    ("typeof navigator", Keyword::Guard),
    ("typeof self", Keyword::Guard),
    ("typeof localStorage", Keyword::Guard),
    ("typeof sessionStorage", Keyword::Guard),
    ("typeof customElements", Keyword::Guard),
    ("typeof(window", Keyword::Guard),
    ("typeof(document", Keyword::Guard),
    ("typeof (window", Keyword::Guard),
    ("typeof (document", Keyword::Guard),
    ("window.", Keyword::GlobalMember("window")),
    ("document.", Keyword::GlobalMember("document")),
    ("navigator.", Keyword::GlobalMember("navigator")),
    ("localStorage", Keyword::Global("localStorage")),
    ("sessionStorage", Keyword::Global("sessionStorage")),
    ("customElements", Keyword::Global("customElements")),
    ("miro.board", Keyword::MiroBoard),
    ("openPanel", Keyword::OpenPage),
    ("openModal", Keyword::OpenPage),
    ("createServer", Keyword::CreateServer),
    ("VITE_", Keyword::PublicEnv("import.meta.env.")),
    ("NEXT_PUBLIC_", Keyword::PublicEnv("process.env.")),
    ("REACT_APP_", Keyword::PublicEnv("process.env.")),
    ("VUE_APP_", Keyword::PublicEnv("process.env.")),
    ("EXPO_PUBLIC_", Keyword::PublicEnv("process.env.")),
];

static AUTOMATON: LazyLock<AhoCorasick> = LazyLock::new(|| {
    AhoCorasick::builder()
        .match_kind(MatchKind::LeftmostFirst)
        .build(KEYWORDS.iter().map(|(pattern, _)| pattern))
        .expect("the keyword patterns are valid")
});

/// How far an import statement may run from its keyword to its specifier.
const IMPORT_WINDOW: usize = 2048;
/// The longest specifier or URL read.
const MAX_SPEC: usize = 512;
/// How far after `openPanel` its `url:` may be.
const OPEN_WINDOW: usize = 400;

/// Reads the signals of the module `text`; `tool` is the bundler a build
/// configuration file configures, if it is one.
pub(crate) fn extract(text: &str, tool: Option<&str>) -> Option<ScriptSignals> {
    let bytes = text.as_bytes();
    let mut signals = ScriptSignals {
        directive: directive(bytes),
        ..ScriptSignals::default()
    };
    let mut guarded = false;
    // Browser globals used, in order of first use.
    let mut globals: Vec<&'static str> = Vec::new();
    let mut strings = StringTracker::default();
    for hit in AUTOMATON.find_iter(bytes) {
        let (start, end) = (hit.start(), hit.end());
        match KEYWORDS[hit.pattern().as_usize()].1 {
            Keyword::Import => {
                if is_word(bytes, start, end, false) && !in_comment(bytes, start) {
                    import_at(text, end, &mut signals.imports);
                }
            }
            Keyword::Export => {
                if is_word(bytes, start, end, false) && !in_comment(bytes, start) {
                    export_at(text, end, &mut signals.imports);
                }
            }
            Keyword::Require => {
                if is_word(bytes, start, end, false) && !in_comment(bytes, start) {
                    require_at(text, end, &mut signals.imports);
                }
            }
            Keyword::Guard => {
                if !guarded && is_word(bytes, start, end, false) && !in_comment(bytes, start) {
                    guarded = true;
                }
            }
            Keyword::GlobalMember(name) => {
                if !guarded
                    && !globals.contains(&name)
                    && is_word(bytes, start, start + name.len(), false)
                    && !in_comment(bytes, start)
                    && !strings.inside(bytes, start)
                {
                    globals.push(name);
                }
            }
            Keyword::Global(name) => {
                // `window.localStorage` is found by `window.`; `options.localStorage` is a property.
                if !guarded
                    && !globals.contains(&name)
                    && is_word(bytes, start, end, false)
                    && !in_comment(bytes, start)
                    && !strings.inside(bytes, start)
                {
                    globals.push(name);
                }
            }
            Keyword::MiroBoard => {
                // `window.miro.board` counts as much as `miro.board`.
                if !signals.miro_sdk && is_word(bytes, start, end, true) && !in_comment(bytes, start) {
                    signals.miro_sdk = true;
                }
            }
            Keyword::OpenPage => {
                if is_word(bytes, start, end, true) && !in_comment(bytes, start) {
                    if let Some(url) = opened_url(text, end).filter(|url| !signals.panels.contains(url)) {
                        signals.panels.push(url);
                    }
                }
            }
            Keyword::CreateServer => {
                if !signals.create_server && is_word(bytes, start, end, true) && !in_comment(bytes, start) {
                    signals.create_server = true;
                }
            }
            Keyword::PublicEnv(object) => {
                if signals.public_env.is_none()
                    && bytes[..start].ends_with(object.as_bytes())
                    && !in_comment(bytes, start)
                {
                    let name_end = bytes[start..]
                        .iter()
                        .take(128)
                        .position(|&b| !is_ident(b))
                        .map_or((start + 128).min(bytes.len()), |n| start + n);
                    if let Some(name) = text.get(start..name_end) {
                        signals.public_env = Some(format!("{object}{name}").into());
                    }
                }
            }
        }
    }
    if !guarded {
        // `document` is as often a MongoDB document and `window` a time
        // window: a file that declares the name uses its own binding.
        signals.browser_global = globals.into_iter().find(|name| !declares_local(bytes, name.as_bytes()));
    }
    signals.imports = dedupe(std::mem::take(&mut signals.imports));
    signals.bundler = tool.and_then(|tool| bundler::extract(tool, text));
    (!signals.is_empty()).then_some(signals)
}

/// The import specifiers of `text` only (inline `<script>` bodies of HTML pages).
pub(crate) fn imports_of(text: &str) -> Vec<Import> {
    extract(text, None).map(|signals| signals.imports).unwrap_or_default()
}

/// The directive in the prologue of the module: string statements before any
/// other code, after a byte-order mark, a hashbang and comments.
fn directive(bytes: &[u8]) -> Option<Directive> {
    let mut i = if bytes.starts_with("\u{feff}".as_bytes()) { 3 } else { 0 };
    if bytes[i..].starts_with(b"#!") {
        i = memchr::memchr(b'\n', &bytes[i..]).map_or(bytes.len(), |n| i + n);
    }
    // A prologue longer than a few directives is not one worth reading.
    for _ in 0..8 {
        i = skip_trivia(bytes, i, i + 4096);
        if !matches!(bytes.get(i), Some(b'\'' | b'"')) {
            return None;
        }
        let (start, end, after) = string_at(bytes, i, 64)?;
        let next = skip_inline_space(bytes, after, after + 256);
        // `"use client".length` or `"a" + b` is an expression, not a directive.
        if !matches!(bytes.get(next), None | Some(b';' | b'\n' | b'\r' | b'/')) {
            return None;
        }
        match &bytes[start..end] {
            b"use client" => return Some(Directive::UseClient),
            b"use server" => return Some(Directive::UseServer),
            _ => i = next + usize::from(bytes.get(next) == Some(&b';')),
        }
    }
    None
}

/// A specifier is one token: anything with whitespace in it is not one.
fn push_spec(text: &str, start: usize, end: usize, type_only: bool, imports: &mut Vec<Import>) {
    let Some(spec) = text.get(start..end) else { return };
    if spec.is_empty() || spec.bytes().any(|b| b.is_ascii_whitespace() || b.is_ascii_control()) {
        return;
    }
    imports.push(Import {
        spec: spec.into(),
        type_only,
    });
}

/// After the keyword `import` (ending at `end`).
fn import_at(text: &str, end: usize, imports: &mut Vec<Import>) {
    let bytes = text.as_bytes();
    let at = skip_trivia(bytes, end, end + 256);
    match bytes.get(at) {
        // import('x'), import('x', { with: … })
        Some(b'(') => {
            let quote = skip_trivia(bytes, at + 1, at + 257);
            if let Some((start, stop, after)) = string_at(bytes, quote, MAX_SPEC) {
                let close = skip_trivia(bytes, after, after + 256);
                if matches!(bytes.get(close), Some(b')' | b',')) {
                    push_spec(text, start, stop, false, imports);
                }
            }
        }
        // import 'x' (a quote right after the keyword is the end of a string
        // that merely contains the word, as in "import").
        Some(b'\'' | b'"') if at > end => {
            if let Some((start, stop, _)) = string_at(bytes, at, MAX_SPEC) {
                push_spec(text, start, stop, false, imports);
            }
        }
        // import.meta, or the end of the text
        Some(b'.') | None => {}
        Some(_) => {
            let type_only = word_at(bytes, at, b"type") && {
                // `import type from './x'` imports a default export named `type`.
                let next = skip_trivia(bytes, at + 4, at + 260);
                !(word_at(bytes, next, b"from") && {
                    let quote = skip_trivia(bytes, next + 4, next + 260);
                    matches!(bytes.get(quote), Some(b'\'' | b'"'))
                })
            };
            from_clause(text, at, type_only, imports);
        }
    }
}

/// After the keyword `export`: only re-exports name a module.
fn export_at(text: &str, end: usize, imports: &mut Vec<Import>) {
    let bytes = text.as_bytes();
    let at = skip_trivia(bytes, end, end + 256);
    match bytes.get(at) {
        Some(b'{' | b'*') => from_clause(text, at, false, imports),
        Some(b't') if word_at(bytes, at, b"type") => {
            let next = skip_trivia(bytes, at + 4, at + 260);
            if matches!(bytes.get(next), Some(b'{' | b'*')) {
                from_clause(text, next, true, imports);
            }
        }
        _ => {}
    }
}

/// Reads forward from the bindings of an import or re-export to `from '…'`,
/// giving up at anything a binding list cannot contain.
fn from_clause(text: &str, mut i: usize, type_only: bool, imports: &mut Vec<Import>) {
    let bytes = text.as_bytes();
    let end = i.saturating_add(IMPORT_WINDOW).min(bytes.len());
    while i < end {
        match bytes[i] {
            b'\'' | b'"' => {
                if let Some((start, stop, _)) = string_at(bytes, i, MAX_SPEC).filter(|_| preceded_by_from(bytes, i)) {
                    push_spec(text, start, stop, type_only, imports);
                }
                return;
            }
            // `import x = require('y')` is read by the `require` keyword.
            b'`' | b';' | b'(' | b')' | b'=' => return,
            b'/' if matches!(bytes.get(i + 1), Some(b'/' | b'*')) => i = skip_trivia(bytes, i, end).max(i + 1),
            _ => i += 1,
        }
    }
}

/// Whether the quote at `quote` follows the word `from`.
fn preceded_by_from(bytes: &[u8], quote: usize) -> bool {
    let mut i = quote;
    while i > 0 && bytes[i - 1].is_ascii_whitespace() {
        i -= 1;
    }
    i >= 4 && &bytes[i - 4..i] == b"from" && (i == 4 || !is_ident(bytes[i - 5]))
}

/// After the keyword `require`: `require('x')` with a literal.
fn require_at(text: &str, end: usize, imports: &mut Vec<Import>) {
    let bytes = text.as_bytes();
    let open = skip_trivia(bytes, end, end + 64);
    if bytes.get(open) != Some(&b'(') {
        return;
    }
    let quote = skip_trivia(bytes, open + 1, open + 257);
    if let Some((start, stop, after)) = string_at(bytes, quote, MAX_SPEC) {
        let close = skip_trivia(bytes, after, after + 64);
        if bytes.get(close) == Some(&b')') {
            push_spec(text, start, stop, false, imports);
        }
    }
}

/// The `url` an `openPanel({ url: '…' })` call opens, when it is an HTML page
/// named by a literal (the part before any query, fragment or substitution).
fn opened_url(text: &str, end: usize) -> Option<Box<str>> {
    let bytes = text.as_bytes();
    let stop = end.saturating_add(OPEN_WINDOW).min(bytes.len());
    let window = &bytes[end..stop];
    for n in memchr::memmem::find_iter(window, b"url") {
        let key = end + n;
        if !is_word(bytes, key, key + 3, false) {
            continue;
        }
        let colon = skip_trivia(bytes, key + 3, key + 64);
        if bytes.get(colon) != Some(&b':') {
            continue;
        }
        let quote = skip_trivia(bytes, colon + 1, colon + 64);
        let (start, stop, _) = string_prefix_at(bytes, quote, MAX_SPEC)?;
        let url = text.get(start..stop)?;
        let path = url.split(['?', '#']).next().unwrap_or(url);
        let lower = path.to_ascii_lowercase();
        if (lower.ends_with(".html") || lower.ends_with(".htm")) && !path.contains("://") {
            return Some(path.into());
        }
        return None;
    }
    None
}

/// Sorted by specifier, one entry each; an import that is type-only in one
/// place and real in another is real.
fn dedupe(mut imports: Vec<Import>) -> Vec<Import> {
    imports.sort_by(|a, b| a.spec.cmp(&b.spec).then(a.type_only.cmp(&b.type_only)));
    imports.dedup_by(|later, earlier| later.spec == earlier.spec);
    imports
}

/// What importing a package says about the importer.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum PackageRole {
    /// Only servers use it.
    Server,
    /// `server-only`: a declaration that the module must never reach the browser.
    ServerOnly,
    /// `http` / `https`: server code only together with `createServer`.
    NodeHttp,
    /// Only browsers use it; the text says why.
    Browser(&'static str),
}

const SERVER_PACKAGES: [&str; 22] = [
    "express",
    "fastify",
    "koa",
    "@hapi/hapi",
    "fs",
    "child_process",
    "net",
    "pg",
    "mysql",
    "mysql2",
    "mongodb",
    "mongoose",
    "redis",
    "ioredis",
    "sqlite3",
    "better-sqlite3",
    "@prisma/client",
    "knex",
    "sequelize",
    "typeorm",
    "drizzle-orm",
    "@mirohq/miro-api",
];

/// The role of a bare specifier, by its package name (`node:` prefixes and
/// subpaths such as `fs/promises` ignored).
pub(crate) fn package_role(spec: &str) -> Option<PackageRole> {
    match spec {
        "$env/static/public" | "$env/dynamic/public" => return Some(PackageRole::Browser("public env")),
        _ => {}
    }
    let bare = spec.strip_prefix("node:").unwrap_or(spec);
    let name = package_name(bare);
    match name {
        "server-only" => Some(PackageRole::ServerOnly),
        "http" | "https" => Some(PackageRole::NodeHttp),
        "@mirohq/websdk-types" => Some(PackageRole::Browser("Miro Web SDK")),
        "client-only" => Some(PackageRole::Browser("declares the module client-only")),
        _ if SERVER_PACKAGES.contains(&name) => Some(PackageRole::Server),
        _ => None,
    }
}

/// The package a bare specifier names: `@scope/name` or `name`.
pub(crate) fn package_name(spec: &str) -> &str {
    let mut slashes = spec.match_indices('/').map(|(i, _)| i);
    let cut = if spec.starts_with('@') {
        slashes.nth(1)
    } else {
        slashes.next()
    };
    cut.map_or(spec, |i| &spec[..i])
}

#[cfg(test)]
mod tests {
    use super::*;

    fn specs(text: &str) -> Vec<String> {
        extract(text, None)
            .map(|s| {
                s.imports
                    .iter()
                    .map(|i| format!("{}{}", i.spec, if i.type_only { " (type)" } else { "" }))
                    .collect()
            })
            .unwrap_or_default()
    }

    #[test]
    fn import_forms() {
        let text = r#"
import a from './a';
import { b, c as d } from "./b";
import * as e from './e'
import './side-effect.css';
import f, { g } from '../f.js';
export { h } from './h';
export * from './star';
export * as ns from './ns';
const i = require('./i');
const j = await import('./j');
const k = import(/* webpackChunkName: "k" */ './k');
import l = require('./l');
import type { M } from './types';
export type { N } from './ntypes';
import type from './default-named-type';
import {
  x, // don't stop here
  y,
} from './multi';
import{z}from"./min";
"#;
        assert_eq!(
            specs(text),
            [
                "../f.js",
                "./a",
                "./b",
                "./default-named-type",
                "./e",
                "./h",
                "./i",
                "./j",
                "./k",
                "./l",
                "./min",
                "./multi",
                "./ns",
                "./ntypes (type)",
                "./side-effect.css",
                "./star",
                "./types (type)",
            ]
        );
    }

    #[test]
    fn not_imports() {
        let text = r#"
// import a from './commented';
/* import b from './block' */
 * import c from './jsdoc';
const s = "import";
const t = 'x'.import;
obj.require('./member');
require(name);
require.resolve('./resolved');
import(`./tpl${x}`);
export const u = from('x');
export default function () { return "from 'nope'"; }
exports.v = 1;
const m = import.meta.url;
"#;
        assert_eq!(specs(text), Vec::<String>::new());
    }

    #[test]
    fn real_imports_win_over_type_only() {
        assert_eq!(
            specs("import type { A } from './a';\nimport { b } from './a';"),
            ["./a"]
        );
    }

    #[test]
    fn directives() {
        let get = |text: &str| extract(text, None).and_then(|s| s.directive);
        assert_eq!(get("'use client';\nimport x from 'y'"), Some(Directive::UseClient));
        assert_eq!(
            get("// header\n/* more */\n\"use client\"\nexport default 1"),
            Some(Directive::UseClient)
        );
        assert_eq!(
            get("\u{feff}#!/usr/bin/env node\n'use strict';\n'use server';"),
            Some(Directive::UseServer)
        );
        assert_eq!(get("import x from 'y';\n'use client';"), None);
        assert_eq!(get("'use client'.length"), None);
        assert_eq!(get("const a = 1; 'use client'"), None);
        assert_eq!(get("'use client"), None);
    }

    #[test]
    fn browser_globals_and_guards() {
        let global = |text: &str| extract(text, None).and_then(|s| s.browser_global);
        assert_eq!(global("document.getElementById('app')"), Some("document"));
        assert_eq!(global("const v = localStorage.getItem('k')"), Some("localStorage"));
        assert_eq!(global("customElements.define('x-a', A)"), Some("customElements"));
        assert_eq!(global("if (navigator.clipboard) {}"), Some("navigator"));
        assert_eq!(global("window.addEventListener('load', f)"), Some("window"));
        assert_eq!(global("if (typeof window !== 'undefined') { window.x = 1 }"), None);
        assert_eq!(global("window.x = 1; if (typeof(document) === 'object') {}"), None);
        assert_eq!(
            global("this.window.x; mywindow.y; localStorageKey; e.document.z; o.localStorage"),
            None
        );
        assert_eq!(global("// window.x\nconst a = 1"), None);
        assert_eq!(
            global("if (typeof navigator === 'object' && navigator.product) {}"),
            None
        );
        assert_eq!(
            global("module.exports = typeof self === 'object' ? self.FormData : window.FormData;"),
            None
        );
        assert_eq!(global("throw new Error('needs `window.btoa` or Buffer');"), None);
        assert_eq!(global("for (const document of docs) { document._id = 1 }"), None);
        assert_eq!(
            global("function save(collection, document, options) {\n  return document._id;\n}"),
            None
        );
        assert_eq!(global("docs.map(document => document.id)"), None);
        assert_eq!(global("function f(document: Doc) { return document.x }"), None);
        // A declared `document` does not hide a real `window`.
        assert_eq!(
            global("const document = db.doc(); window.alert(document.id)"),
            Some("window")
        );
        // Passing the global along or testing it is using it.
        assert_eq!(global("$(document).ready(f); document.title = 'x'"), Some("document"));
        assert_eq!(global("if (document) { document.title = 'x' }"), Some("document"));
    }

    #[test]
    fn miro_sdk_and_panels() {
        let text = "await miro.board.ui.openPanel({ url: 'panel.html?x=1' });\n\
                    window.miro.board.ui.openModal({\n  width: 400,\n  url: `/modal.html?id=${id}`,\n});\n\
                    miro.board.ui.openPanel({ url: 'https://example.com/a.html' });\n\
                    miro.board.ui.openPanel({ url: '/route' });";
        let signals = extract(text, None).unwrap();
        assert!(signals.miro_sdk);
        assert_eq!(signals.panels, [Box::from("panel.html"), Box::from("/modal.html")]);
        assert!(!extract("const miro = new Miro(); miro.boards()", None).is_some_and(|s| s.miro_sdk));
    }

    #[test]
    fn public_env() {
        let env = |text: &str| extract(text, None).and_then(|s| s.public_env).map(String::from);
        assert_eq!(
            env("fetch(import.meta.env.VITE_API_URL)").as_deref(),
            Some("import.meta.env.VITE_API_URL")
        );
        assert_eq!(
            env("const id = process.env.NEXT_PUBLIC_ID;").as_deref(),
            Some("process.env.NEXT_PUBLIC_ID")
        );
        assert_eq!(
            env("process.env.REACT_APP_X").as_deref(),
            Some("process.env.REACT_APP_X")
        );
        assert_eq!(env("process.env.VUE_APP_X").as_deref(), Some("process.env.VUE_APP_X"));
        assert_eq!(
            env("process.env.EXPO_PUBLIC_X").as_deref(),
            Some("process.env.EXPO_PUBLIC_X")
        );
        // Vite exposes only import.meta.env; a server reading VITE_ from process.env is still a server.
        assert_eq!(env("process.env.VITE_PORT"), None);
        assert_eq!(env("const NEXT_PUBLIC_X = 1"), None);
    }

    #[test]
    fn create_server() {
        assert!(extract("http.createServer(app).listen(80)", None).is_some_and(|s| s.create_server));
    }

    #[test]
    fn silent_files_give_nothing() {
        assert!(extract("export const a = 1;\nfunction f() { return a + 1 }\n", None).is_none());
        assert!(extract("", None).is_none());
    }

    #[test]
    fn package_roles() {
        assert_eq!(package_role("node:fs/promises"), Some(PackageRole::Server));
        assert_eq!(package_role("fs"), Some(PackageRole::Server));
        assert_eq!(package_role("@prisma/client"), Some(PackageRole::Server));
        assert_eq!(package_role("drizzle-orm/pg-core"), Some(PackageRole::Server));
        assert_eq!(package_role("server-only"), Some(PackageRole::ServerOnly));
        assert_eq!(package_role("node:https"), Some(PackageRole::NodeHttp));
        assert_eq!(
            package_role("$env/static/public"),
            Some(PackageRole::Browser("public env"))
        );
        assert_eq!(package_role("$env/static/private"), None);
        assert!(matches!(
            package_role("@mirohq/websdk-types"),
            Some(PackageRole::Browser(_))
        ));
        assert_eq!(package_role("react"), None);
        assert_eq!(package_role("fsevents"), None);
        assert_eq!(package_name("@scope/pkg/sub/path"), "@scope/pkg");
        assert_eq!(package_name("pkg/sub"), "pkg");
        assert_eq!(package_name("@scope"), "@scope");
    }
}
