//! Inputs for miroguard's benchmarks, made only from what the repository
//! holds, so that `cargo bench` measures the same thing on a clean clone
//! without network:
//!
//! - [`Source::Fixtures`]: the rule fixtures (`fixtures/`), read file by
//!   file and repeated until they make about [`TARGET_BYTES`] per language;
//! - [`Source::Generated`]: a [`DOCUMENT_LINES`]-line file of a Miro app's
//!   server ([`typescript_document`], [`rust_document`]), the size the editor
//!   latency bench types into;
//! - [`Source::Corpus`], only when `MIROGUARD_BENCH_CORPUS` names a
//!   directory (the shared benchmark corpus, with its `rust/` and `js/`
//!   halves): a fixed sample of real files, about [`TARGET_BYTES`] per half.
//!
//! Files stay separate (a list of [`SourceFile`]s) because that is how the
//! scan sees them: the prefilter, the gates and the front ends run once per
//! file, and concatenated fixtures would not even be valid Rust.

#![deny(missing_docs)]

use miroguard_core::Language;
use std::fmt;
use std::path::{Path, PathBuf};

/// About how many bytes of fixtures or corpus files an input holds.
pub const TARGET_BYTES: usize = 1_000_000;

/// How many lines the generated documents have.
pub const DOCUMENT_LINES: usize = 5_000;

/// The environment variable naming a corpus directory to sample.
pub const CORPUS_VAR: &str = "MIROGUARD_BENCH_CORPUS";

/// Corpus files larger than this are left out of the sample: one minified
/// bundle would otherwise be most of it.
const CORPUS_MAX_FILE: u64 = 256 * 1024;

/// One file of an input.
#[derive(Clone, Debug)]
pub struct SourceFile {
    /// Its path, `/`-separated, relative to the fixtures or corpus root (or
    /// a made-up `server/routes.*` for generated documents). Rules read it
    /// (test code, built output), so it is kept as the scan would see it.
    pub path: String,
    /// Its language, from the extension.
    pub language: Language,
    /// Its text.
    pub text: String,
}

/// Which files an input takes.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Family {
    /// Rust files.
    Rust,
    /// JavaScript and TypeScript files of every flavour.
    JsTs,
    /// Rust and JS/TS files: what the source-only steps see.
    Source,
    /// Every UTF-8 file, text files included: what the secret detectors see.
    All,
}

impl Family {
    fn takes(self, language: Language) -> bool {
        match self {
            Family::Rust => language == Language::Rust,
            Family::JsTs => language.is_js_family(),
            Family::Source => language == Language::Rust || language.is_js_family(),
            Family::All => true,
        }
    }
}

/// Where an input comes from; the name divan shows for each argument.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Source {
    /// The rule fixtures, repeated to about [`TARGET_BYTES`].
    Fixtures,
    /// The generated [`DOCUMENT_LINES`]-line documents.
    Generated,
    /// A sample of the corpus that `MIROGUARD_BENCH_CORPUS` names.
    Corpus,
}

impl fmt::Display for Source {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(match self {
            Source::Fixtures => "fixtures",
            Source::Generated => "generated",
            Source::Corpus => "corpus",
        })
    }
}

impl Source {
    /// The sources to bench: the fixtures and the generated documents
    /// always, the corpus when `MIROGUARD_BENCH_CORPUS` names a directory.
    pub fn available() -> Vec<Source> {
        let mut sources = vec![Source::Fixtures, Source::Generated];
        if corpus_root().is_some() {
            sources.push(Source::Corpus);
        }
        sources
    }
}

/// The files of `family` from `source`.
///
/// # Panics
/// When the repository's fixtures cannot be read: a bench that measured an
/// empty input would report a meaningless speed.
pub fn files(family: Family, source: Source) -> Vec<SourceFile> {
    match source {
        Source::Fixtures => repeated(fixtures(family), TARGET_BYTES),
        Source::Generated => generated(family),
        Source::Corpus => corpus_sample(family),
    }
}

/// The bytes of all `files`, for throughput.
pub fn total_bytes(files: &[SourceFile]) -> usize {
    files.iter().map(|file| file.text.len()).sum()
}

/// The repository's `fixtures/` directory.
pub fn fixtures_dir() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("../../fixtures")
}

/// Every UTF-8 fixture of `family`, once, in path order.
pub fn fixtures(family: Family) -> Vec<SourceFile> {
    let root = fixtures_dir();
    let mut paths = Vec::new();
    walk(&root, &mut paths);
    assert!(!paths.is_empty(), "no fixtures under {}", root.display());
    paths.sort();
    paths
        .iter()
        .filter_map(|path| read(&root, path))
        .filter(|file| family.takes(file.language))
        .collect()
}

/// `files` over and over, in order, until they hold at least `bytes`.
fn repeated(files: Vec<SourceFile>, bytes: usize) -> Vec<SourceFile> {
    let once = total_bytes(&files);
    assert!(once > 0, "no input files to repeat");
    let rounds = bytes.div_ceil(once);
    let mut out = Vec::with_capacity(files.len() * rounds);
    for _ in 0..rounds {
        out.extend(files.iter().cloned());
    }
    out
}

fn generated(family: Family) -> Vec<SourceFile> {
    let typescript = || SourceFile {
        path: "server/routes.ts".into(),
        language: Language::TypeScript,
        text: typescript_document(),
    };
    let rust = || SourceFile {
        path: "server/routes.rs".into(),
        language: Language::Rust,
        text: rust_document(),
    };
    match family {
        Family::Rust => vec![rust()],
        Family::JsTs => vec![typescript()],
        Family::Source | Family::All => vec![typescript(), rust()],
    }
}

/// Every regular file under `dir`, recursively; symbolic links are not
/// followed (a corpus may link outside itself), unreadable entries skipped.
fn walk(dir: &Path, out: &mut Vec<PathBuf>) {
    let Ok(entries) = std::fs::read_dir(dir) else { return };
    for entry in entries.flatten() {
        let Ok(kind) = entry.file_type() else { continue };
        if kind.is_dir() {
            walk(&entry.path(), out);
        } else if kind.is_file() {
            out.push(entry.path());
        }
    }
}

/// The file at `path` as a [`SourceFile`], unless it is not UTF-8 (images,
/// binaries: no front end or detector would get them as text here).
fn read(root: &Path, path: &Path) -> Option<SourceFile> {
    let text = std::fs::read_to_string(path).ok()?;
    let relative = path.strip_prefix(root).unwrap_or(path);
    Some(SourceFile {
        path: relative.to_string_lossy().replace('\\', "/"),
        language: Language::from_path(path),
        text,
    })
}

fn corpus_root() -> Option<PathBuf> {
    let root = PathBuf::from(std::env::var_os(CORPUS_VAR)?);
    if root.is_dir() {
        Some(root)
    } else {
        eprintln!("{CORPUS_VAR}={} is not a directory; no corpus input", root.display());
        None
    }
}

/// A fixed sample of the corpus: its files of `family` (Rust from `rust/`,
/// JS/TS from `js/`, from both otherwise) in an order that scatters them
/// across packages but is the same on every run, taken until they hold
/// about [`TARGET_BYTES`] per half.
fn corpus_sample(family: Family) -> Vec<SourceFile> {
    let Some(root) = corpus_root() else {
        return Vec::new();
    };
    let halves: &[&str] = match family {
        Family::Rust => &["rust"],
        Family::JsTs => &["js"],
        Family::Source | Family::All => &["rust", "js"],
    };
    let mut sample = Vec::new();
    for half in halves {
        let mut paths = Vec::new();
        walk(&root.join(half), &mut paths);
        paths.retain(|path| {
            family.takes(Language::from_path(path))
                && std::fs::metadata(path).is_ok_and(|meta| meta.len() <= CORPUS_MAX_FILE)
        });
        paths.sort_by_cached_key(|path| (fnv1a(path.as_os_str().as_encoded_bytes()), path.clone()));
        let mut bytes = 0;
        for path in &paths {
            if bytes >= TARGET_BYTES {
                break;
            }
            if let Some(file) = read(&root, path) {
                bytes += file.text.len();
                sample.push(file);
            }
        }
    }
    sample
}

/// FNV-1a: a stable hash (std's is seeded per process) for the sample order.
fn fnv1a(bytes: &[u8]) -> u64 {
    bytes.iter().fold(0xcbf2_9ce4_8422_2325, |hash, &b| {
        (hash ^ u64::from(b)).wrapping_mul(0x0100_0000_01b3)
    })
}

/// A [`DOCUMENT_LINES`]-line TypeScript file of a Miro app's server: routes,
/// OAuth token refresh, logging, hashing. Every rule has something to look
/// at, as in a real app, so a check parses it and runs the rules in full.
pub fn typescript_document() -> String {
    document(
        "import axios from 'axios';\nimport crypto from 'node:crypto';\nimport { app, logger, miroClient } from './app';\n\n",
        typescript_block,
    )
}

/// [`typescript_document`] in Rust: axum handlers, reqwest, tracing.
pub fn rust_document() -> String {
    document(
        "use axum::{extract::{Path, State}, Json};\nuse serde_json::{json, Value};\nuse sha2::{Digest, Sha256};\n\n",
        rust_block,
    )
}

/// `header`, then as many whole blocks `block(0)`, `block(1)`… as fit in
/// [`DOCUMENT_LINES`] lines, then comment lines up to exactly that many.
/// Whole blocks, because a file cut inside an item does not parse as Rust:
/// syn gives up on the whole file, and the check falls back to the lexical
/// tier, which is not what an editor runs on a real file.
fn document(header: &str, block: fn(usize) -> String) -> String {
    // Every piece ends with a line break, so line counts add up.
    let mut text = String::from(header);
    let mut lines = header.lines().count();
    for i in 0.. {
        let next = block(i);
        let more = next.lines().count();
        if lines + more > DOCUMENT_LINES {
            break;
        }
        text.push_str(&next);
        lines += more;
    }
    for _ in lines..DOCUMENT_LINES {
        text.push_str("//\n");
    }
    text
}

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

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn documents_have_the_promised_lines() {
        for text in [typescript_document(), rust_document()] {
            assert_eq!(text.lines().count(), DOCUMENT_LINES);
        }
    }

    /// `text` with its middle line replaced by a comment, as the editor
    /// latency bench types it.
    fn edited(text: &str) -> String {
        let mut lines: Vec<&str> = text.lines().collect();
        lines[DOCUMENT_LINES / 2] = "// x";
        lines.join("\n") + "\n"
    }

    /// A document that does not parse would be checked lexically only,
    /// and its benches would time a shortcut; so would the latency bench's
    /// edited versions.
    #[test]
    fn documents_parse_whole() {
        for text in [rust_document(), edited(&rust_document())] {
            let rust = miroguard_rust::lower(&text).expect("the Rust document parses");
            assert!(rust.syntax_errors.is_empty() && !rust.calls.is_empty());
        }
        for text in [typescript_document(), edited(&typescript_document())] {
            let typescript = miroguard_js::lower(&text, Language::TypeScript);
            let errors: Vec<_> = typescript.syntax_errors.iter().map(|e| &e.message).collect();
            assert!(errors.is_empty(), "{errors:?}");
            assert!(!typescript.calls.is_empty());
        }
    }

    #[test]
    fn fixtures_repeat_to_the_target_size() {
        for family in [Family::Rust, Family::JsTs, Family::All] {
            let files = files(family, Source::Fixtures);
            let bytes = total_bytes(&files);
            assert!(bytes >= TARGET_BYTES, "{family:?}: {bytes} bytes");
            assert!(files.iter().all(|file| family.takes(file.language)));
        }
    }
}
