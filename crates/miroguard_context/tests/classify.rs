//! Whole-tree scenarios, built in memory: every file goes through `extract`
//! and `add_file` the way a scan sends it.

use miroguard_context::{Classifier, ContextMap, extract};
use miroguard_core::FileClass::{self, *};

/// Classifies `files` (path, text) with `overrides` (path prefix, class).
fn classify_with(files: &[(&str, &str)], overrides: &[(&str, FileClass)]) -> ContextMap {
    let mut classifier = Classifier::new();
    for (path, text) in files {
        classifier.add_file(path);
        if let Some(signals) = extract(path, text) {
            classifier.add_signals(path, signals);
        }
    }
    classifier.classify(|path| {
        overrides
            .iter()
            .find(|(prefix, _)| path.starts_with(prefix))
            .map(|(_, class)| *class)
    })
}

fn classify(files: &[(&str, &str)]) -> ContextMap {
    classify_with(files, &[])
}

#[track_caller]
fn assert_class(map: &ContextMap, path: &str, class: FileClass, first_reason: &str) {
    let got = map.get(path).unwrap_or_else(|| panic!("{path} is not classified"));
    assert_eq!(got.class, class, "{path}: {:?}", got.reasons);
    assert_eq!(
        got.reasons.first().map(String::as_str),
        Some(first_reason),
        "{path}: {:?}",
        got.reasons
    );
}

#[track_caller]
fn assert_reasons(map: &ContextMap, path: &str, reasons: &[&str]) {
    assert_eq!(
        map.get(path).map(|c| c.reasons.clone()).unwrap_or_default(),
        reasons,
        "{path}"
    );
}

// ---------------------------------------------------------------- signals

#[test]
fn directives_decide() {
    let map = classify(&[
        ("src/Button.tsx", "'use client';\nexport function Button() {}"),
        ("src/actions.ts", "\"use server\";\nexport async function save() {}"),
    ]);
    assert_class(&map, "src/Button.tsx", Browser, "\"use client\" directive");
    assert_class(&map, "src/actions.ts", Server, "\"use server\" directive");
}

#[test]
fn browser_globals_unless_guarded() {
    let map = classify(&[
        ("a.ts", "export const w = window.innerWidth;"),
        ("b.ts", "export const d = document.cookie;"),
        ("c.ts", "localStorage.setItem('k', v);"),
        ("d.ts", "sessionStorage.clear();"),
        ("e.ts", "navigator.clipboard.writeText(x);"),
        ("f.ts", "customElements.define('x-y', Y);"),
        (
            "g.ts",
            "export const w = typeof window !== 'undefined' ? window.innerWidth : 0;",
        ),
        (
            "h.ts",
            "if (typeof document === 'undefined') return; document.title = 'x';",
        ),
    ]);
    assert_class(&map, "a.ts", Browser, "uses window with no typeof window guard");
    assert_class(&map, "b.ts", Browser, "uses document with no typeof window guard");
    assert_class(&map, "c.ts", Browser, "uses localStorage with no typeof window guard");
    assert_class(&map, "d.ts", Browser, "uses sessionStorage with no typeof window guard");
    assert_class(&map, "e.ts", Browser, "uses navigator with no typeof window guard");
    assert_class(&map, "f.ts", Browser, "uses customElements with no typeof window guard");
    assert_class(&map, "g.ts", Unknown, "nothing says where it runs");
    assert_class(&map, "h.ts", Unknown, "nothing says where it runs");
}

#[test]
fn miro_web_sdk() {
    let map = classify(&[
        (
            "src/board.ts",
            "export async function add() { await miro.board.createStickyNote({}) }",
        ),
        (
            "src/types.ts",
            "import type { Item } from '@mirohq/websdk-types';\nexport type X = Item;",
        ),
    ]);
    assert_class(&map, "src/board.ts", Browser, "uses the Miro Web SDK (miro.board)");
    assert_class(
        &map,
        "src/types.ts",
        Browser,
        "imports @mirohq/websdk-types (Miro Web SDK)",
    );
}

#[test]
fn public_env_reads() {
    let map = classify(&[
        ("a.ts", "fetch(import.meta.env.VITE_API_URL)"),
        ("b.js", "const id = process.env.NEXT_PUBLIC_CLIENT_ID"),
        ("c.js", "process.env.REACT_APP_KEY"),
        ("d.js", "process.env.VUE_APP_KEY"),
        ("e.ts", "process.env.EXPO_PUBLIC_KEY"),
        ("f.ts", "import { PUBLIC_URL } from '$env/static/public';"),
        ("g.ts", "const port = process.env.PORT;"),
    ]);
    assert_class(
        &map,
        "a.ts",
        Browser,
        "reads public env var import.meta.env.VITE_API_URL",
    );
    assert_class(
        &map,
        "b.js",
        Browser,
        "reads public env var process.env.NEXT_PUBLIC_CLIENT_ID",
    );
    assert_class(&map, "c.js", Browser, "reads public env var process.env.REACT_APP_KEY");
    assert_class(&map, "d.js", Browser, "reads public env var process.env.VUE_APP_KEY");
    assert_class(
        &map,
        "e.ts",
        Browser,
        "reads public env var process.env.EXPO_PUBLIC_KEY",
    );
    assert_class(&map, "f.ts", Browser, "imports $env/static/public (public env)");
    assert_class(&map, "g.ts", Unknown, "nothing says where it runs");
}

#[test]
fn server_signals() {
    let map = classify(&[
        ("a.ts", "import 'server-only';\nexport const key = 1;"),
        ("b.js", "const express = require('express');"),
        ("c.ts", "import Fastify from 'fastify'"),
        ("d.mjs", "import Koa from 'koa'"),
        ("e.ts", "import Hapi from '@hapi/hapi'"),
        ("f.ts", "import { readFile } from 'node:fs/promises'"),
        ("g.cjs", "const { exec } = require('child_process')"),
        ("h.ts", "import net from 'net'"),
        ("i.ts", "import { Pool } from 'pg'"),
        ("j.ts", "import { PrismaClient } from '@prisma/client'"),
        ("k.ts", "import { drizzle } from 'drizzle-orm/node-postgres'"),
        ("l.ts", "import { Miro } from '@mirohq/miro-api'"),
        (
            "m.ts",
            "import http from 'node:http';\nhttp.createServer(handler).listen(3000);",
        ),
        ("n.js", "const https = require('https');\nhttps.get(url, cb);"),
        (
            "o.ts",
            "import type { Request } from 'express';\nexport type R = Request;",
        ),
        ("p.ts", "import mongoose from 'mongoose'; import Redis from 'ioredis'"),
    ]);
    assert_class(&map, "a.ts", Server, "imports server-only");
    assert_class(&map, "b.js", Server, "imports express");
    assert_class(&map, "c.ts", Server, "imports fastify");
    assert_class(&map, "d.mjs", Server, "imports koa");
    assert_class(&map, "e.ts", Server, "imports @hapi/hapi");
    assert_class(&map, "f.ts", Server, "imports node:fs/promises");
    assert_class(&map, "g.cjs", Server, "imports child_process");
    assert_class(&map, "h.ts", Server, "imports net");
    assert_class(&map, "i.ts", Server, "imports pg");
    assert_class(&map, "j.ts", Server, "imports @prisma/client");
    assert_class(&map, "k.ts", Server, "imports drizzle-orm/node-postgres");
    assert_class(&map, "l.ts", Server, "imports @mirohq/miro-api");
    assert_class(&map, "m.ts", Server, "imports node:http and calls createServer");
    assert_class(&map, "n.js", Unknown, "nothing says where it runs");
    assert_class(&map, "o.ts", Server, "imports express");
    assert_reasons(&map, "p.ts", &["imports ioredis", "imports mongoose"]);
}

#[test]
fn comments_do_not_count() {
    let map = classify(&[(
        "a.ts",
        "// import express from 'express';\n/*\n * window.location = x\n */\nexport const a = 1;",
    )]);
    assert_class(&map, "a.ts", Unknown, "nothing says where it runs");
}

// ---------------------------------------------------------------- entries

#[test]
fn html_scripts_are_browser_entries() {
    let map = classify(&[
        ("app/package.json", "{}"),
        (
            "app/index.html",
            r#"<script type="module" src="/src/main.tsx"></script><script src="legacy/x.js"></script>"#,
        ),
        ("app/src/main.tsx", "import { render } from './render';"),
        ("app/src/render.tsx", "export const render = 1;"),
        ("app/legacy/x.js", "var a = 1;"),
        ("app/src/unused.ts", "export const b = 2;"),
    ]);
    assert_class(&map, "app/src/main.tsx", Browser, "loaded by app/index.html");
    assert_class(&map, "app/legacy/x.js", Browser, "loaded by app/index.html");
    assert_reasons(&map, "app/src/render.tsx", &["imported by app/src/main.tsx (browser)"]);
    assert_class(&map, "app/src/unused.ts", Unknown, "nothing says where it runs");
}

#[test]
fn leading_slash_without_package_json_resolves_from_the_page() {
    let map = classify(&[
        ("site/page.html", r#"<script src="/js/app.js"></script>"#),
        ("site/js/app.js", "var a;"),
    ]);
    assert_class(&map, "site/js/app.js", Browser, "loaded by site/page.html");
}

#[test]
fn miro_app_pages_and_panels() {
    let map = classify(&[
        ("package.json", "{}"),
        (
            "index.html",
            r#"<script src="https://miro.com/app/static/sdk/v2/miro.js"></script><script type="module" src="/src/index.ts"></script>"#,
        ),
        (
            "src/index.ts",
            "export async function init() { await miro.board.ui.openPanel({ url: 'app.html' }); }",
        ),
        ("app.html", r#"<script type="module" src="/src/app.tsx"></script>"#),
        ("src/app.tsx", "import './panel-helpers';"),
        ("src/panel-helpers.ts", "export {}"),
        ("public/modal.html", r#"<script src="modal.js"></script>"#),
        ("public/modal.js", "var m;"),
        ("src/modal-opener.ts", "miro.board.ui.openModal({ url: '/modal.html' })"),
    ]);
    assert_class(
        &map,
        "src/index.ts",
        Browser,
        "loaded by index.html, a Miro app page (it loads the Miro Web SDK)",
    );
    assert_class(
        &map,
        "src/app.tsx",
        Browser,
        "loaded by app.html, opened as a Miro panel by src/index.ts",
    );
    assert_reasons(&map, "src/panel-helpers.ts", &["imported by src/app.tsx (browser)"]);
    assert_class(
        &map,
        "public/modal.js",
        Browser,
        "loaded by public/modal.html, opened as a Miro panel by src/modal-opener.ts",
    );
}

#[test]
fn vite_entries() {
    let map = classify(&[
        ("web/package.json", r#"{"devDependencies": {"vite": "5"}}"#),
        (
            "web/vite.config.ts",
            "import { resolve } from 'path';\nexport default { build: { rollupOptions: { input: { main: resolve(__dirname, 'index.html'), worker: resolve(__dirname, 'src/worker.ts') } } } }",
        ),
        (
            "web/index.html",
            r#"<script type="module" src="/src/main.ts"></script>"#,
        ),
        ("web/src/main.ts", "export {}"),
        ("web/src/worker.ts", "export {}"),
    ]);
    assert_class(
        &map,
        "web/vite.config.ts",
        BuildConfig,
        "vite configuration, run at build time",
    );
    assert_class(
        &map,
        "web/src/main.ts",
        Browser,
        "loaded by web/index.html, the Vite entry of web/vite.config.ts",
    );
    assert_class(
        &map,
        "web/src/worker.ts",
        Browser,
        "Vite build input in web/vite.config.ts",
    );
}

#[test]
fn webpack_entries() {
    let map = classify(&[
        (
            "webpack.config.js",
            "module.exports = { entry: { app: './src/app.js' } };",
        ),
        ("src/app.js", "require('./dep')"),
        ("src/dep.js", ""),
        (
            "server/webpack.server.js",
            "module.exports = { target: 'node', entry: './main.ts' };",
        ),
        ("server/main.ts", "export {}"),
    ]);
    assert_class(
        &map,
        "webpack.config.js",
        BuildConfig,
        "webpack configuration, run at build time",
    );
    assert_class(&map, "src/app.js", Browser, "webpack entry in webpack.config.js");
    assert_reasons(&map, "src/dep.js", &["imported by src/app.js (browser)"]);
    assert_class(
        &map,
        "server/webpack.server.js",
        BuildConfig,
        "webpack configuration, run at build time",
    );
    assert_class(
        &map,
        "server/main.ts",
        Server,
        "webpack entry in server/webpack.server.js (target node)",
    );
}

#[test]
fn build_configs_by_name() {
    let names = [
        "vite.config.ts",
        "webpack.config.js",
        "next.config.mjs",
        "rollup.config.js",
        "svelte.config.js",
        "nuxt.config.ts",
        "astro.config.mjs",
        "tailwind.config.cjs",
        "postcss.config.js",
        "babel.config.js",
        "jest.config.ts",
        "vitest.config.mts",
        "eslint.config.js",
        "prettier.config.cjs",
        "tsup.config.ts",
        "esbuild.config.js",
        "webpack.prod.js",
    ];
    let files: Vec<(&str, &str)> = names
        .iter()
        .map(|name| (*name, "import fs from 'fs'; window.x"))
        .collect();
    let map = classify(&files);
    for name in names {
        assert_eq!(map.get(name).unwrap().class, BuildConfig, "{name}");
    }
}

#[test]
fn package_json_browser_field() {
    let map = classify(&[
        (
            "lib/package.json",
            r#"{"name": "lib", "browser": {"./node.js": "./browser.js", "fs": false}}"#,
        ),
        ("lib/node.js", ""),
        ("lib/browser.js", ""),
        ("other/package.json", r#"{"browser": "dist/umd.js"}"#),
        ("other/dist/umd.js", ""),
    ]);
    assert_class(
        &map,
        "lib/browser.js",
        Browser,
        "listed in the \"browser\" field of lib/package.json",
    );
    assert_class(&map, "lib/node.js", Unknown, "nothing says where it runs");
    assert_class(
        &map,
        "other/dist/umd.js",
        Browser,
        "listed in the \"browser\" field of other/package.json",
    );
}

#[test]
fn next_js_paths() {
    let map = classify(&[
        ("package.json", r#"{"dependencies": {"next": "14", "react": "18"}}"#),
        (
            "pages/index.tsx",
            "import { Card } from '../components/Card';\nexport default function Home() {}",
        ),
        ("pages/_document.tsx", "export default function D() {}"),
        (
            "pages/api/hello.ts",
            "import { db } from '../../lib/db';\nexport default function handler() {}",
        ),
        ("components/Card.tsx", "export function Card() {}"),
        ("lib/db.ts", "export const db = 1;"),
        ("src/app/dashboard/page.tsx", "export default function Page() {}"),
        ("src/app/layout.tsx", "export default function Layout() {}"),
        ("src/app/api/items/route.ts", "export async function GET() {}"),
        ("src/app/dashboard/chart.tsx", "export function Chart() {}"),
        (
            "src/app/settings/page.tsx",
            "'use client';\nexport default function Settings() {}",
        ),
        ("src/app/error.tsx", "export default function Error() {}"),
        ("middleware.ts", "export function middleware() {}"),
    ]);
    let page = "Next.js page (pages/), rendered on the server and in the browser";
    assert_class(&map, "pages/index.tsx", Isomorphic, page);
    assert_reasons(
        &map,
        "components/Card.tsx",
        &[
            "imported by pages/index.tsx (browser)",
            "imported by pages/index.tsx (server)",
        ],
    );
    assert_class(
        &map,
        "components/Card.tsx",
        Isomorphic,
        "imported by pages/index.tsx (browser)",
    );
    assert_class(
        &map,
        "pages/_document.tsx",
        Server,
        "Next.js custom document (pages/_document), rendered only on the server",
    );
    assert_class(&map, "pages/api/hello.ts", Server, "Next.js API route (pages/api)");
    assert_class(&map, "lib/db.ts", Server, "imported by pages/api/hello.ts (server)");
    assert_class(
        &map,
        "src/app/dashboard/page.tsx",
        Server,
        "Next.js app router page (app/…/page), a server component",
    );
    assert_class(
        &map,
        "src/app/layout.tsx",
        Server,
        "Next.js app router layout (app/…/layout), a server component",
    );
    assert_class(
        &map,
        "src/app/api/items/route.ts",
        Server,
        "Next.js route handler (app/…/route)",
    );
    // A client page is browser code, and an error boundary renders on both sides.
    assert_class(&map, "src/app/settings/page.tsx", Browser, "\"use client\" directive");
    assert_class(
        &map,
        "src/app/error.tsx",
        Isomorphic,
        "Next.js app router error (app/…/error), rendered on the server and in the browser",
    );
    assert_class(&map, "middleware.ts", Server, "Next.js middleware");
    // Not an entry, and nothing imports it: the directory name does not help either.
    assert_class(
        &map,
        "src/app/dashboard/chart.tsx",
        Unknown,
        "nothing says where it runs",
    );
}

#[test]
fn next_js_paths_need_a_next_project() {
    let without = classify(&[
        ("package.json", r#"{"dependencies": {"react": "18"}}"#),
        ("pages/api/x.ts", "export {}"),
    ]);
    assert_class(&without, "pages/api/x.ts", Server, "directory \"api/\"");
    let with_config = classify(&[
        ("next.config.js", "module.exports = {}"),
        ("pages/api/x.ts", "export {}"),
    ]);
    assert_class(&with_config, "pages/api/x.ts", Server, "Next.js API route (pages/api)");
    // A Next.js project in a subdirectory applies to its own files only.
    let nested = classify(&[
        ("apps/site/package.json", r#"{"dependencies": {"next": "15"}}"#),
        ("apps/site/src/pages/about.tsx", "export default 1"),
        ("tools/pages/gen.ts", "export {}"),
    ]);
    assert_class(
        &nested,
        "apps/site/src/pages/about.tsx",
        Isomorphic,
        "Next.js page (pages/), rendered on the server and in the browser",
    );
    assert_class(&nested, "tools/pages/gen.ts", Browser, "directory \"pages/\"");
}

// ---------------------------------------------------------------- propagation

#[test]
fn browser_only_propagation_through_chains_and_cycles() {
    let map = classify(&[
        ("src/main.ts", "'use client';\nimport { a } from './a';"),
        ("src/a.ts", "import { b } from './b'; export const a = 1;"),
        ("src/b.ts", "import { a } from './a'; export const b = 2;"),
    ]);
    assert_class(&map, "src/a.ts", Browser, "imported by src/main.ts (browser)");
    assert_class(&map, "src/b.ts", Browser, "imported by src/a.ts (browser)");
}

#[test]
fn server_only_propagation() {
    let map = classify(&[
        (
            "server/index.ts",
            "import express from 'express';\nimport { routes } from './routes';",
        ),
        ("server/routes.ts", "import { query } from '../shared/db';"),
        ("shared/db.ts", "export const query = 1;"),
    ]);
    assert_class(&map, "server/routes.ts", Server, "imported by server/index.ts (server)");
    assert_class(&map, "shared/db.ts", Server, "imported by server/routes.ts (server)");
}

#[test]
fn shared_module_is_isomorphic() {
    let map = classify(&[
        (
            "client/main.ts",
            "document.body; import { format } from '../shared/format';",
        ),
        (
            "server/app.ts",
            "import express from 'express'; import { format } from '../shared/format';",
        ),
        ("shared/format.ts", "export function format() {}"),
    ]);
    assert_class(
        &map,
        "shared/format.ts",
        Isomorphic,
        "imported by client/main.ts (browser)",
    );
    assert_reasons(
        &map,
        "shared/format.ts",
        &[
            "imported by client/main.ts (browser)",
            "imported by server/app.ts (server)",
        ],
    );
    // A file with signals of both sides is both.
    let both = classify(&[("x.ts", "import fs from 'fs';\nwindow.alert(1);")]);
    assert_class(&both, "x.ts", Isomorphic, "uses window with no typeof window guard");
    assert_reasons(
        &both,
        "x.ts",
        &["uses window with no typeof window guard", "imports fs"],
    );
}

#[test]
fn type_only_imports_do_not_propagate() {
    let map = classify(&[
        (
            "client/main.ts",
            "'use client';\nimport type { User } from '../server/models';\nexport type { Db } from '../server/db';",
        ),
        ("server/models.ts", "import 'server-only'; export interface User {}"),
        ("server/db.ts", "import pg from 'pg'; export type Db = 1;"),
    ]);
    assert_class(&map, "server/models.ts", Server, "imports server-only");
    assert_class(&map, "server/db.ts", Server, "imports pg");
    assert!(map.conflicts().is_empty());
}

#[test]
fn server_only_conflict_with_chain() {
    let map = classify(&[
        ("index.html", r#"<script type="module" src="./src/main.ts"></script>"#),
        ("src/main.ts", "import { load } from './data';"),
        (
            "src/data.ts",
            "import { secret } from './secret';\nexport const load = 1;",
        ),
        (
            "src/secret.ts",
            "import 'server-only';\nimport { x } from './after';\nexport const secret = process.env.SECRET;",
        ),
        ("src/after.ts", "export const x = 1;"),
        (
            "server.ts",
            "import express from 'express'; import { secret } from './src/secret';",
        ),
    ]);
    let conflicts = map.conflicts();
    assert_eq!(conflicts.len(), 1, "{conflicts:?}");
    assert_eq!(conflicts[0].browser_file, "src/main.ts");
    assert_eq!(conflicts[0].server_only_file, "src/secret.ts");
    assert_eq!(conflicts[0].chain, ["src/main.ts", "src/data.ts", "src/secret.ts"]);
    // Propagation stops there: the server-only module and its imports stay server code.
    assert_class(&map, "src/secret.ts", Server, "imports server-only");
    assert_class(&map, "src/after.ts", Server, "imported by src/secret.ts (server)");
    assert_class(&map, "src/data.ts", Browser, "imported by src/main.ts (browser)");
}

#[test]
fn next_pages_importing_server_only_are_not_conflicts() {
    // Server components import server-only modules by design; only real browser code conflicts.
    let map = classify(&[
        ("package.json", r#"{"dependencies": {"next": "15"}}"#),
        (
            "app/page.tsx",
            "import { getItems } from '../lib/items';\nimport { List } from './List';",
        ),
        (
            "app/List.tsx",
            "'use client';\nimport { getItems } from '../lib/items';",
        ),
        (
            "lib/items.ts",
            "import 'server-only';\nexport async function getItems() {}",
        ),
    ]);
    assert_eq!(map.conflicts().len(), 1);
    assert_eq!(map.conflicts()[0].chain, ["app/List.tsx", "lib/items.ts"]);
    assert_class(&map, "lib/items.ts", Server, "imports server-only");
    // `"use client"` is the client boundary: server reach stops there, so the component is browser code
    // even though a server component renders it.
    assert_class(&map, "app/List.tsx", Browser, "\"use client\" directive");
}

#[test]
fn use_server_modules_stay_on_the_server() {
    let map = classify(&[
        ("app/form.tsx", "'use client';\nimport { save } from './actions';"),
        (
            "app/actions.ts",
            "'use server';\nimport { db } from './db';\nexport async function save() {}",
        ),
        ("app/db.ts", "export const db = 1;"),
    ]);
    assert_class(&map, "app/actions.ts", Server, "\"use server\" directive");
    assert_class(&map, "app/db.ts", Server, "imported by app/actions.ts (server)");
    assert!(map.conflicts().is_empty());
}

#[test]
fn self_conflict_of_a_server_only_browser_module() {
    let map = classify(&[("a.ts", "'use client';\nimport 'server-only';")]);
    assert_eq!(map.conflicts().len(), 1);
    assert_eq!(map.conflicts()[0].chain, ["a.ts"]);
    assert_eq!(map.get("a.ts").unwrap().class, Isomorphic);
}

// ---------------------------------------------------------------- resolution

#[test]
fn resolution_forms() {
    let map = classify(&[
        (
            "src/main.ts",
            "'use client';\nimport './a';\nimport './dir';\nimport './c.js';\nimport '@/d';\nimport 'pkg-local/e';\nrequire('./f.cjs');\nimport('./g');",
        ),
        ("src/a.tsx", ""),
        ("src/dir/index.ts", ""),
        ("src/c.ts", ""),
        ("src/lib/d.ts", ""),
        (
            "tsconfig.json",
            "{\n  // aliases\n  \"compilerOptions\": { \"paths\": { \"@/*\": [\"./src/lib/*\"], }, },\n}",
        ),
        ("packages/local/package.json", r#"{"name": "pkg-local"}"#),
        ("packages/local/e.ts", ""),
        ("src/f.cjs", ""),
        ("src/g.mjs", ""),
    ]);
    for path in [
        "src/a.tsx",
        "src/dir/index.ts",
        "src/c.ts",
        "src/lib/d.ts",
        "packages/local/e.ts",
        "src/f.cjs",
        "src/g.mjs",
    ] {
        assert_class(&map, path, Browser, "imported by src/main.ts (browser)");
    }
}

#[test]
fn nearest_tsconfig_decides_aliases() {
    let map = classify(&[
        (
            "tsconfig.json",
            r#"{"compilerOptions": {"paths": {"@/*": ["./root/*"]}}}"#,
        ),
        (
            "web/tsconfig.json",
            r#"{"compilerOptions": {"baseUrl": ".", "paths": {"@/*": ["src/*"]}}}"#,
        ),
        ("web/src/main.ts", "'use client'; import '@/x';"),
        ("web/src/x.ts", ""),
        ("root/x.ts", ""),
    ]);
    assert_class(&map, "web/src/x.ts", Browser, "imported by web/src/main.ts (browser)");
    assert_class(&map, "root/x.ts", Unknown, "nothing says where it runs");
}

// ---------------------------------------------------------------- overrides and tie-breaks

#[test]
fn overrides_win_and_propagate() {
    let files = [
        ("tools/run.ts", "import fs from 'fs'; import { h } from './helper';"),
        ("tools/helper.ts", ""),
        ("web/main.ts", "document.title = 'x'; import { s } from '../srv/s';"),
        ("srv/s.ts", ""),
        ("vite.config.ts", ""),
    ];
    let map = classify_with(
        &files,
        &[("tools/run", Browser), ("srv/", Server), ("vite.config", Browser)],
    );
    assert_class(&map, "tools/run.ts", Browser, "configured in .miroguard.toml [context]");
    assert_reasons(&map, "tools/run.ts", &["configured in .miroguard.toml [context]"]);
    assert_class(&map, "tools/helper.ts", Browser, "imported by tools/run.ts (browser)");
    // The user says srv/ is server code: browser propagation does not pass into it.
    assert_class(&map, "srv/s.ts", Server, "configured in .miroguard.toml [context]");
    assert_class(
        &map,
        "vite.config.ts",
        Browser,
        "configured in .miroguard.toml [context]",
    );
}

#[test]
fn directory_names_break_ties() {
    let map = classify(&[
        ("src/components/Button.tsx", ""),
        ("src/server/util.ts", ""),
        ("netlify/functions/hook.js", ""),
        ("public/js/app.js", ""),
        ("server/public/x.js", ""),
        ("lambda/x.ts", ""),
        ("lib/x.ts", ""),
        ("webpage/x.ts", ""),
    ]);
    assert_class(&map, "src/components/Button.tsx", Browser, "directory \"components/\"");
    assert_class(&map, "src/server/util.ts", Server, "directory \"server/\"");
    assert_class(
        &map,
        "netlify/functions/hook.js",
        Server,
        "directory \"netlify/functions/\"",
    );
    assert_class(&map, "public/js/app.js", Browser, "directory \"public/\"");
    assert_class(&map, "server/public/x.js", Browser, "directory \"public/\"");
    assert_class(&map, "lambda/x.ts", Server, "directory \"lambda/\"");
    assert_class(&map, "lib/x.ts", Unknown, "nothing says where it runs");
    assert_class(&map, "webpage/x.ts", Unknown, "nothing says where it runs");
}

// ---------------------------------------------------------------- Rust

#[test]
fn rust_crates() {
    let map = classify(&[
        (
            "Cargo.toml",
            "[workspace]\nmembers = [\"*\"]\n[workspace.dependencies]\nleptos = { version = \"0.6\", features = [\"csr\"] }\n",
        ),
        (
            "yew-app/Cargo.toml",
            "[package]\nname = \"board-ui\"\n[dependencies]\nyew = { version = \"0.21\", features = [\"csr\"] }\nwasm-bindgen = \"0.2\"\n",
        ),
        ("yew-app/src/main.rs", "fn main() {}"),
        ("yew-app/src/components/mod.rs", ""),
        ("yew-app/build.rs", "fn main() {}"),
        (
            "leptos-csr/Cargo.toml",
            "[package]\nname = \"csr\"\n[dependencies]\nleptos = { version = \"0.6\", features = [\"csr\"] }\n",
        ),
        ("leptos-csr/src/lib.rs", ""),
        (
            "leptos-ssr/Cargo.toml",
            "[package]\nname = \"ssr\"\n[dependencies]\nleptos = { version = \"0.6\", features = [\"ssr\"] }\naxum = \"0.7\"\n",
        ),
        ("leptos-ssr/src/main.rs", ""),
        (
            "leptos-full/Cargo.toml",
            "[package]\nname = \"full\"\n[dependencies]\nleptos = \"0.6\"\n[features]\nhydrate = [\"leptos/hydrate\"]\nssr = [\"leptos/ssr\"]\n",
        ),
        ("leptos-full/src/app.rs", ""),
        (
            "leptos-ws/Cargo.toml",
            "[package]\nname = \"ws\"\n[dependencies]\nleptos = { workspace = true }\n",
        ),
        ("leptos-ws/src/lib.rs", ""),
        (
            "api/Cargo.toml",
            "[package]\nname = \"api\"\n[dependencies]\naxum = \"0.7\"\ntokio = { version = \"1\", features = [\"full\"] }\n",
        ),
        ("api/src/main.rs", ""),
        (
            "dx/Cargo.toml",
            "[package]\nname = \"dx\"\n[dependencies]\ndioxus = { version = \"0.6\", features = [\"web\"] }\n",
        ),
        ("dx/src/main.rs", ""),
        (
            "dx-desktop/Cargo.toml",
            "[package]\nname = \"dxd\"\n[dependencies]\ndioxus = { version = \"0.6\", features = [\"desktop\"] }\n",
        ),
        ("dx-desktop/src/main.rs", ""),
        (
            "target-specific/Cargo.toml",
            "[package]\nname = \"ts\"\n[target.'cfg(target_arch = \"wasm32\")'.dependencies]\nweb-sys = \"0.3\"\n",
        ),
        ("target-specific/src/lib.rs", ""),
        ("broken/Cargo.toml", "[package\nname = "),
        ("broken/src/lib.rs", ""),
        ("loose.rs", ""),
    ]);
    assert_class(
        &map,
        "yew-app/src/main.rs",
        Browser,
        "crate `board-ui` targets the browser through `yew`",
    );
    assert_class(
        &map,
        "yew-app/src/components/mod.rs",
        Browser,
        "crate `board-ui` targets the browser through `yew`",
    );
    assert_class(
        &map,
        "yew-app/build.rs",
        BuildConfig,
        "Cargo build script, run at build time",
    );
    assert_class(
        &map,
        "leptos-csr/src/lib.rs",
        Browser,
        "crate `csr` targets the browser through `leptos` (feature `csr`)",
    );
    assert_class(
        &map,
        "leptos-ssr/src/main.rs",
        Server,
        "crate `ssr` uses `leptos` on the server only (feature `ssr`)",
    );
    assert_class(
        &map,
        "leptos-full/src/app.rs",
        Isomorphic,
        "crate `full` targets the browser through `leptos` (feature `hydrate`) and the server (feature `ssr`)",
    );
    assert_class(
        &map,
        "leptos-ws/src/lib.rs",
        Browser,
        "crate `ws` targets the browser through `leptos` (feature `csr`)",
    );
    assert_class(&map, "api/src/main.rs", Server, "Rust crate without browser targets");
    assert_class(
        &map,
        "dx/src/main.rs",
        Browser,
        "crate `dx` targets the browser through `dioxus` (feature `web`)",
    );
    assert_class(
        &map,
        "dx-desktop/src/main.rs",
        Server,
        "Rust crate without browser targets",
    );
    assert_class(
        &map,
        "target-specific/src/lib.rs",
        Browser,
        "crate `ts` targets the browser through `web-sys`",
    );
    assert_class(&map, "broken/src/lib.rs", Server, "Rust crate without browser targets");
    assert_class(&map, "loose.rs", Server, "Rust crate without browser targets");
}

#[test]
fn rust_without_any_manifest() {
    let map = classify(&[("src/lib.rs", "")]);
    assert_class(
        &map,
        "src/lib.rs",
        Server,
        "Rust code outside any crate that targets the browser",
    );
}

// ---------------------------------------------------------------- robustness

/// A small deterministic generator, so the garbage is the same on every run.
struct Lcg(u64);

impl Lcg {
    fn next(&mut self) -> u64 {
        self.0 = self
            .0
            .wrapping_mul(6364136223846793005)
            .wrapping_add(1442695040888963407);
        self.0 >> 33
    }
}

const SAMPLES: [&str; 6] = [
    "'use client';\nimport a from './a';\nexport * from \"./b\";\nconst c = require(`./c`);\nimport('./d');\nwindow.x; miro.board.ui.openPanel({ url: 'p.html' }); import.meta.env.VITE_X; typeof window",
    "<!-- c --><script type=module src=\"/src/main.ts\"></script><SCRIPT>import './x.js'</SCRIPT><script src=https://miro.com/app/static/sdk/v2/miro.js>",
    "{\"name\": \"a\", \"browser\": {\"./a\": \"./b\"}, \"dependencies\": {\"next\": \"1\"}}",
    "{ // c\n \"extends\": \"./b\", \"compilerOptions\": { \"baseUrl\": \".\", \"paths\": { \"@/*\": [\"src/*\",], }, }, }",
    "[package]\nname = \"x\"\n[dependencies]\nleptos = { version = \"1\", features = [\"csr\"] }\n[features]\na = [\"leptos/ssr\"]",
    "export default { build: { rollupOptions: { input: { a: resolve(__dirname, 'a.html', `b`), } } }, entry: ['./x', { import: './y' }], target: 'node' }",
];

const GARBAGE_PATHS: [&str; 9] = [
    "src/a.ts",
    "index.html",
    "package.json",
    "tsconfig.json",
    "Cargo.toml",
    "vite.config.ts",
    "webpack.config.js",
    "src/lib.rs",
    "pages/api/x.ts",
];

#[test]
fn garbage_never_panics() {
    let mut rng = Lcg(0x5eed);
    let alphabet: Vec<char> =
        "'\"`/\\*{}[]()<>=:;,.$!?#@%\n\r\t importexportrequirewindow.miro.board typeof server-only\u{0}\u{feff}é😀"
            .chars()
            .collect();
    let mut classifier = Classifier::new();
    for round in 0..3000 {
        let text: String = match round % 3 {
            // Random characters from an alphabet rich in syntax.
            0 => (0..rng.next() % 300)
                .map(|_| alphabet[(rng.next() as usize) % alphabet.len()])
                .collect(),
            // Real samples cut at a random character.
            1 => {
                let sample = SAMPLES[(rng.next() as usize) % SAMPLES.len()];
                let cut = (rng.next() as usize) % (sample.len() + 1);
                let cut = (0..=cut).rev().find(|&i| sample.is_char_boundary(i)).unwrap_or(0);
                sample[..cut].to_string()
            }
            // Real samples with random bytes overwritten, made valid UTF-8 the way a reader would.
            _ => {
                let mut bytes = SAMPLES[(rng.next() as usize) % SAMPLES.len()].as_bytes().to_vec();
                for _ in 0..1 + rng.next() % 8 {
                    let at = (rng.next() as usize) % bytes.len();
                    bytes[at] = rng.next() as u8;
                }
                String::from_utf8_lossy(&bytes).into_owned()
            }
        };
        let path = format!("r{}/{}", round % 50, GARBAGE_PATHS[round % GARBAGE_PATHS.len()]);
        classifier.add_file(&path);
        if let Some(signals) = extract(&path, &text) {
            classifier.add_signals(&path, signals);
        }
        for weird in ["", "/", "..", "a//b.ts", "../x.ts", ".ts", "é/😀.tsx", "a/.html"] {
            let _ = extract(weird, &text);
        }
    }
    for weird in [
        "",
        "/",
        "..",
        "a//b.ts",
        "../x.ts",
        ".ts",
        "é/😀.tsx",
        "a/.html",
        "/abs.ts",
    ] {
        classifier.add_file(weird);
    }
    let map = classifier.classify(|path| path.ends_with("7/src/a.ts").then_some(Server));
    assert!(map.iter().count() > 0);
}

#[test]
fn huge_minified_lines_stay_cheap() {
    let line = "window.a=1;import('./x');require('./y');document.b;".repeat(20_000);
    let start = std::time::Instant::now();
    let signals = extract("bundle.js", &line);
    assert!(signals.is_some());
    // Generous: a bounded look-back per keyword keeps this linear.
    assert!(start.elapsed().as_secs() < 5);
}

#[test]
fn classification_is_deterministic() {
    let files: Vec<(String, String)> = (0..200)
        .map(|i| {
            let text = match i % 5 {
                0 => format!(
                    "'use client'; import './m{}'; import './m{}';",
                    (i + 1) % 200,
                    (i * 7) % 200
                ),
                1 => format!("import express from 'express'; import './m{}';", (i * 3) % 200),
                2 => format!("import 'server-only'; import './m{}';", (i + 2) % 200),
                _ => format!("import './m{}'; import './m{}';", (i * 11) % 200, (i + 14) % 200),
            };
            (format!("src/m{i}.ts"), text)
        })
        .collect();
    let run = |reverse: bool| {
        let mut classifier = Classifier::new();
        let ordered: Vec<&(String, String)> = if reverse {
            files.iter().rev().collect()
        } else {
            files.iter().collect()
        };
        for (path, text) in ordered {
            classifier.add_file(path);
            if let Some(signals) = extract(path, text) {
                classifier.add_signals(path, signals);
            }
        }
        classifier.classify(|_| None)
    };
    let (a, b) = (run(false), run(true));
    assert_eq!(a, b);
    assert!(!a.conflicts().is_empty());
    let mut sorted = a.conflicts().to_vec();
    sorted.sort();
    assert_eq!(sorted, a.conflicts());
    let paths: Vec<&str> = a.iter().map(|(path, _)| path).collect();
    let mut sorted_paths = paths.clone();
    sorted_paths.sort();
    assert_eq!(paths, sorted_paths);
}

#[test]
fn the_map_is_shareable() {
    fn shareable<T: Clone + Send + Sync>() {}
    shareable::<miroguard_context::ContextMap>();
    shareable::<miroguard_context::Signals>();
    shareable::<miroguard_context::Classification>();
    shareable::<miroguard_context::Conflict>();
}
