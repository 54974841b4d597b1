//! Time from `didChange` to the `publishDiagnostics` for that version, with
//! no debounce, on a 5,000-line TypeScript file and a 5,000-line Rust file:
//! what a user waits for after a keystroke (plus the debounce they chose).
//!
//! `cargo bench -p miroguard_lsp --bench latency [-- --edits N]`
//!
//! The server runs in process over `lsp-server`'s in-memory connection,
//! exactly as over stdio minus the pipe; each edit changes one line (as
//! typing does), alternating between two spellings so each check is real.
//! The documents come from `miroguard_bench_inputs`, which the engine's
//! `check_document` bench checks too.

use lsp_server::{Connection, Message, Notification, Request, RequestId};
use lsp_types::notification::{
    DidChangeTextDocument, DidOpenTextDocument, Exit, Initialized, Notification as _, PublishDiagnostics,
};
use lsp_types::request::{Initialize, Shutdown};
use lsp_types::{
    DidChangeTextDocumentParams, DidOpenTextDocumentParams, InitializeParams, Position, PublishDiagnosticsParams,
    Range, TextDocumentContentChangeEvent, TextDocumentItem, Uri, VersionedTextDocumentIdentifier,
};
use miroguard_bench_inputs::{DOCUMENT_LINES, rust_document, typescript_document};
use miroguard_lsp::{ServerOptions, serve};
use std::str::FromStr;
use std::time::{Duration, Instant};

struct Client {
    connection: Connection,
}

impl Client {
    fn notify<N: lsp_types::notification::Notification>(&self, params: N::Params) {
        let _ = self
            .connection
            .sender
            .send(Message::Notification(Notification::new(N::METHOD.into(), params)));
    }

    fn request<R: lsp_types::request::Request>(&self, id: i32, params: R::Params) {
        let _ = self.connection.sender.send(Message::Request(Request::new(
            RequestId::from(id),
            R::METHOD.into(),
            params,
        )));
        loop {
            match self.connection.receiver.recv_timeout(Duration::from_secs(30)) {
                Ok(Message::Response(response)) if response.id == RequestId::from(id) => return,
                Ok(_) => {}
                Err(error) => panic!("no response to {}: {error}", R::METHOD),
            }
        }
    }

    /// Waits for the diagnostics of `version`; returns how many there were.
    fn diagnostics(&self, version: i32) -> usize {
        loop {
            match self.connection.receiver.recv_timeout(Duration::from_secs(30)) {
                Ok(Message::Notification(n)) if n.method == PublishDiagnostics::METHOD => {
                    let params: PublishDiagnosticsParams =
                        serde_json::from_value(n.params).expect("publishDiagnostics parameters");
                    if params.version == Some(version) {
                        return params.diagnostics.len();
                    }
                }
                Ok(_) => {}
                Err(error) => panic!("no diagnostics for version {version}: {error}"),
            }
        }
    }
}

fn percentile(sorted: &[Duration], p: f64) -> Duration {
    let index = ((sorted.len() as f64 - 1.0) * p).round() as usize;
    sorted[index.min(sorted.len() - 1)]
}

fn measure(name: &str, file: &str, language: &str, text: String, edits: usize) {
    let (server_side, client_side) = Connection::memory();
    let server = std::thread::spawn(move || {
        let options = ServerOptions {
            debounce: Duration::ZERO,
            ..ServerOptions::default()
        };
        serve(server_side, options)
    });
    let client = Client {
        connection: client_side,
    };
    let root = std::env::temp_dir().join("miroguard-lsp-bench");
    let _ = std::fs::create_dir_all(root.join("server"));
    let uri = Uri::from_str(&format!("file://{}/server/{file}", root.display())).expect("a file URI");
    #[allow(deprecated)]
    let init = InitializeParams {
        root_uri: Uri::from_str(&format!("file://{}", root.display())).ok(),
        ..InitializeParams::default()
    };
    client.request::<Initialize>(1, init);
    client.notify::<Initialized>(lsp_types::InitializedParams {});
    let lines = text.lines().count();
    client.notify::<DidOpenTextDocument>(DidOpenTextDocumentParams {
        text_document: TextDocumentItem::new(uri.clone(), language.into(), 1, text),
    });
    let findings = client.diagnostics(1);

    // The line edited, in the middle of the file, typed back and forth: a
    // comment in the TypeScript document, `.http` of a method chain in the
    // Rust one. Either way every version still parses whole (a version that
    // did not would be checked lexically, and look fast).
    let line = (DOCUMENT_LINES / 2) as u32;
    let mut times = Vec::with_capacity(edits);
    for version in 2..(edits as i32 + 2) {
        let text = if version % 2 == 0 { "// x\n" } else { "// y\n" };
        let change = TextDocumentContentChangeEvent {
            range: Some(Range::new(Position::new(line, 0), Position::new(line + 1, 0))),
            range_length: None,
            text: text.into(),
        };
        let started = Instant::now();
        client.notify::<DidChangeTextDocument>(DidChangeTextDocumentParams {
            text_document: VersionedTextDocumentIdentifier::new(uri.clone(), version),
            content_changes: vec![change],
        });
        client.diagnostics(version);
        times.push(started.elapsed());
    }
    client.request::<Shutdown>(2, ());
    client.notify::<Exit>(());
    let _ = server.join();

    times.sort();
    let ms = |d: Duration| d.as_secs_f64() * 1000.0;
    println!(
        "{name:<11} {lines} lines, {findings:>3} findings, {edits} edits: p50 {:6.2} ms  p95 {:6.2} ms  max {:6.2} ms",
        ms(percentile(&times, 0.50)),
        ms(percentile(&times, 0.95)),
        ms(percentile(&times, 1.0)),
    );
}

fn main() {
    let args: Vec<String> = std::env::args().collect();
    // `cargo test --benches` runs this with `--test`-style flags: a short run.
    let quick = args.iter().any(|a| a == "--test");
    let edits = args
        .iter()
        .position(|a| a == "--edits")
        .and_then(|i| args.get(i + 1))
        .and_then(|n| n.parse().ok())
        .unwrap_or(if quick { 5 } else { 300 });
    // The same documents as the engine's `check_document` bench, so the two
    // can be compared: what the server adds to a check.
    let typescript = typescript_document();
    let rust = rust_document();
    // `--only typescript` or `--only rust`, for profiling one of them.
    let only = args.iter().position(|a| a == "--only").and_then(|i| args.get(i + 1));
    if only.is_none_or(|o| o == "typescript") {
        measure("TypeScript", "routes.ts", "typescript", typescript, edits);
    }
    if only.is_none_or(|o| o == "rust") {
        measure("Rust", "routes.rs", "rust", rust, edits);
    }
}
