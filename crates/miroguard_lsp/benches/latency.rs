//! Time from `didChange` to the `publishDiagnostics` for that version, with
//! no debounce, on a 5,000-line TypeScript file and a 5,000-line Rust file:
//! what a user waits for after a keystroke (plus the debounce they chose).
//!
//! `cargo bench -p miroguard_lsp --bench latency [-- --edits N]`
//!
//! The server runs in process over `lsp-server`'s in-memory connection,
//! exactly as over stdio minus the pipe; each edit changes one line (as
//! typing does), alternating between two spellings so each check is real.

use lsp_server::{Connection, Message, Notification, Request, RequestId};
use lsp_types::notification::{
    DidChangeTextDocument, DidOpenTextDocument, Exit, Initialized, Notification as _, PublishDiagnostics,
};
use lsp_types::request::{Initialize, Shutdown};
use lsp_types::{
    DidChangeTextDocumentParams, DidOpenTextDocumentParams, InitializeParams, Position, PublishDiagnosticsParams,
    Range, TextDocumentContentChangeEvent, TextDocumentItem, Uri, VersionedTextDocumentIdentifier,
};
use miroguard_lsp::{ServerOptions, serve};
use std::str::FromStr;
use std::time::{Duration, Instant};

const LINES: usize = 5_000;

/// A block of a Miro app's server, in TypeScript: routes, OAuth, logging.
fn typescript_block(i: usize) -> String {
    format!(
        r#"// Handlers for board {i}.
export async function refreshToken{i}(req: Request, res: Response): Promise<void> {{
  const refresh = req.cookies['refresh_token'];
  const response = await axios.post('https://api.miro.com/v1/oauth/token', {{
    grant_type: 'refresh_token',
    client_id: process.env.MIRO_CLIENT_ID,
    client_secret: process.env.MIRO_CLIENT_SECRET,
    refresh_token: refresh,
  }});
  const accessToken: string = response.data.access_token;
  logger.info('refreshed token for board {i}', {{ board: req.params.id }});
  res.cookie('session', accessToken, {{ httpOnly: true, secure: true, sameSite: 'none' }});
  res.json({{ ok: true, expiresIn: response.data.expires_in }});
}}

app.get('/boards/{i}/items', async (req, res) => {{
  const items = await miroClient.getBoardItems(req.params.id, {{ limit: 50 }});
  const digest = crypto.createHash('sha256').update(JSON.stringify(items)).digest('hex');
  res.setHeader('ETag', digest);
  res.json(items.map((item: Item) => ({{ id: item.id, type: item.type, title: item.data?.title ?? '' }})));
}});

function nonce{i}(): string {{
  return crypto.randomBytes(16).toString('base64url');
}}

"#
    )
}

/// A block of a Miro app's server, in Rust: axum handlers, reqwest, tracing.
fn rust_block(i: usize) -> String {
    format!(
        r#"/// Handlers for board {i}.
pub async fn refresh_token_{i}(State(state): State<AppState>, jar: CookieJar) -> Result<Json<Value>, AppError> {{
    let refresh = jar.get("refresh_token").map(|c| c.value().to_string()).unwrap_or_default();
    let response = state
        .http
        .post("https://api.miro.com/v1/oauth/token")
        .form(&[("grant_type", "refresh_token"), ("refresh_token", refresh.as_str())])
        .basic_auth(&state.client_id, Some(&state.client_secret))
        .send()
        .await?;
    let token: TokenResponse = response.json().await?;
    tracing::info!(board = {i}, expires_in = token.expires_in, "refreshed token");
    Ok(Json(json!({{ "ok": true, "expires_in": token.expires_in }})))
}}

pub async fn items_{i}(Path(board): Path<String>, State(state): State<AppState>) -> Result<Json<Vec<Item>>, AppError> {{
    let items = state.miro.board_items(&board, 50).await?;
    let digest = Sha256::digest(serde_json::to_vec(&items)?);
    tracing::debug!(?digest, "items of board {{}}", board);
    Ok(Json(items))
}}

fn nonce_{i}() -> String {{
    let mut bytes = [0u8; 16];
    OsRng.fill_bytes(&mut bytes);
    URL_SAFE_NO_PAD.encode(bytes)
}}

"#
    )
}

fn document(header: &str, block: fn(usize) -> String) -> String {
    let mut text = header.to_string();
    let mut i = 0;
    while text.lines().count() < LINES {
        text.push_str(&block(i));
        i += 1;
    }
    text.lines().take(LINES).collect::<Vec<_>>().join("\n") + "\n"
}

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

    // The line edited: a log call in the middle of the file, typed back and forth.
    let line = (LINES / 2) as u32;
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
    let typescript = document(
        "import axios from 'axios';\nimport crypto from 'node:crypto';\nimport { app, logger, miroClient } from './app';\n\n",
        typescript_block,
    );
    let rust = document(
        "use axum::{extract::{Path, State}, Json};\nuse serde_json::{json, Value};\nuse sha2::{Digest, Sha256};\n\n",
        rust_block,
    );
    // `--only typescript` or `--only rust`, for profiling one of them.
    let only = args.iter().position(|a| a == "--only").and_then(|i| args.get(i + 1));
    if only.is_none_or(|o| o == "typescript") {
        measure("TypeScript", "routes.ts", "typescript", typescript, edits);
    }
    if only.is_none_or(|o| o == "rust") {
        measure("Rust", "routes.rs", "rust", rust, edits);
    }
}
