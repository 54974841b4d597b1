//! `miroguard lsp`: the language server editors run to show miroguard's
//! findings as you type, with quick fixes.
//!
//! ```text
//! stdin ─► transport ─► main loop (documents, workspaces, settings) ─► worker threads (engine checks)
//!                                   ▲                                          │
//!                                   └────────── results by document version ◄─┘
//! ```
//!
//! State changes only on the main loop, in the order the client sent them.
//! A check runs on a worker over a copy of the text and carries the version
//! it saw; a result for a version the document has moved past is dropped.
//! Changes are debounced (150 ms by default); opening and saving check at
//! once. Built on `lsp-server`'s synchronous channels: no async runtime.

#![deny(missing_docs)]
// Documents are keyed by `Uri` (as LSP's own `WorkspaceEdit` does): clippy
// sees interior mutability in `fluent_uri`'s type, but its hash and equality
// are those of the URI's text, which never changes.
#![allow(clippy::mutable_key_type)]

mod actions;
mod diagnostics;
mod document;
mod server;
mod transport;
mod workspace;

pub use server::{ServerError, ServerOptions, serve};
pub use transport::{Transport, read_messages, stdio};

/// Serves one editor over stdin and stdout until it says `exit`.
pub fn run_stdio(options: ServerOptions) -> Result<(), ServerError> {
    let (connection, transport) = stdio()?;
    let result = serve(connection, options);
    // Everything the server sent is written before the process ends.
    transport.join();
    result
}
