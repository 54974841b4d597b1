//! Fuzzes the language server with what a client might send: any bytes on
//! its stdin are framed, parsed and handled (initialize, edits at any
//! position, code actions, configuration, unknown methods) without a panic
//! or a hang. Seeded with a whole session from `fuzz/seeds/lsp/`.

#![no_main]

use libfuzzer_sys::fuzz_target;
use lsp_server::Connection;
use miroguard_lsp::{ServerOptions, read_messages, serve};
use std::time::Duration;

fuzz_target!(|data: &[u8]| {
    let (to_server, from_client) = crossbeam_channel::unbounded();
    let (to_client, from_server) = crossbeam_channel::unbounded();
    read_messages(data, &to_server, &to_client);
    // The client hangs up after its last message: the server must then return.
    drop(to_server);
    let options = ServerOptions {
        debounce: Duration::ZERO,
        threads: 1,
        classify: false,
    };
    let _ = serve(
        Connection {
            sender: to_client,
            receiver: from_client,
        },
        options,
    );
    drop(from_server);
});
