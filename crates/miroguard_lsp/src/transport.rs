//! JSON-RPC over stdio that survives what editors (and people typing into a
//! terminal) send: a malformed header, a body that is not JSON, a message of
//! no known shape. `lsp-server`'s own stdio transport ends the connection on
//! the first such message; a language server that exits mid-session loses
//! every open document's state, so this one reports the problem and reads on.

use crossbeam_channel::{Receiver, Sender, unbounded};
use lsp_server::{Connection, ErrorCode, Message, Notification, RequestId, Response};
use lsp_types::notification::{LogMessage, Notification as _};
use lsp_types::{LogMessageParams, MessageType};
use std::io::{self, BufRead, Read, Write};
use std::thread::JoinHandle;

/// Bodies larger than this are skipped rather than buffered: no real LSP
/// message is near it, and a garbled `Content-Length` must not exhaust memory.
const MAX_BODY: usize = 256 * 1024 * 1024;

/// The threads that move messages between stdio and the connection.
pub struct Transport {
    writer: JoinHandle<()>,
    stop: Sender<()>,
}

impl Transport {
    /// Writes every message the server has sent, then stops the writer.
    pub fn join(self) {
        let _ = self.stop.send(());
        // A writer that panicked lost its pipe; there is nobody left to tell.
        let _ = self.writer.join();
    }
}

/// A connection over this process's stdin and stdout.
pub fn stdio() -> io::Result<(Connection, Transport)> {
    let (to_client, outgoing) = unbounded::<Message>();
    let (incoming, from_client) = unbounded::<Message>();
    let (stop, stopped) = unbounded::<()>();
    let writer = std::thread::Builder::new()
        .name("miroguard-lsp-writer".into())
        .spawn(move || write_all(&outgoing, &stopped, io::stdout().lock()))?;
    let replies = to_client.clone();
    // The reader is never joined: it blocks on stdin until the client closes
    // it, which may be after the server has answered `exit`.
    std::thread::Builder::new()
        .name("miroguard-lsp-reader".into())
        .spawn(move || read_messages(io::stdin().lock(), &incoming, &replies))?;
    Ok((
        Connection {
            sender: to_client,
            receiver: from_client,
        },
        Transport { writer, stop },
    ))
}

/// Writes messages until told to stop, then writes what is still queued.
/// (The reader keeps a sender to answer malformed input, so the queue
/// itself never closes while stdin is open.)
fn write_all(outgoing: &Receiver<Message>, stop: &Receiver<()>, mut out: impl Write) {
    let mut write = |message: Message| message.write(&mut out).and_then(|()| out.flush()).is_ok();
    loop {
        crossbeam_channel::select! {
            recv(outgoing) -> message => match message {
                Ok(message) => if !write(message) {
                    return; // the client went away
                },
                Err(_) => return,
            },
            recv(stop) -> _ => {
                for message in outgoing.try_iter() {
                    if !write(message) {
                        return;
                    }
                }
                return;
            }
        }
    }
}

/// Reads framed messages from `input` until it ends, passing good ones to
/// `incoming` and answering bad ones through `replies`.
pub fn read_messages(mut input: impl BufRead, incoming: &Sender<Message>, replies: &Sender<Message>) {
    loop {
        match read_frame(&mut input) {
            Ok(Frame::End) => return,
            Ok(Frame::Body(body)) => match parse(&body) {
                Ok(message) => {
                    let exit = matches!(&message, Message::Notification(n) if n.method == "exit");
                    if incoming.send(message).is_err() || exit {
                        return;
                    }
                }
                Err(reply) => {
                    let _ = replies.send(reply);
                }
            },
            Ok(Frame::Malformed(problem)) => {
                let _ = replies.send(log_error(format!("ignored a malformed message: {problem}")));
            }
            Err(_) => return,
        }
    }
}

enum Frame {
    Body(Vec<u8>),
    Malformed(String),
    End,
}

/// One `Content-Length`-framed body. Header lines may end in `\n` alone; a
/// header block without a length is skipped.
fn read_frame(input: &mut impl BufRead) -> io::Result<Frame> {
    let mut length: Option<Result<usize, String>> = None;
    let mut line = String::new();
    let mut saw_header = false;
    loop {
        line.clear();
        if input.read_line(&mut line)? == 0 {
            return Ok(Frame::End);
        }
        let header = line.trim_end_matches(['\r', '\n']);
        if header.is_empty() {
            if !saw_header {
                continue; // stray blank lines between messages
            }
            break;
        }
        saw_header = true;
        if let Some((name, value)) = header.split_once(':')
            && name.trim().eq_ignore_ascii_case("content-length")
        {
            length = Some(
                value
                    .trim()
                    .parse::<usize>()
                    .map_err(|_| format!("bad Content-Length `{}`", value.trim())),
            );
        }
    }
    let length = match length {
        Some(Ok(length)) => length,
        Some(Err(problem)) => return Ok(Frame::Malformed(problem)),
        None => return Ok(Frame::Malformed("a header without Content-Length".into())),
    };
    if length > MAX_BODY {
        io::copy(&mut input.take(length as u64), &mut io::sink())?;
        return Ok(Frame::Malformed(format!(
            "a {length}-byte body, larger than any LSP message"
        )));
    }
    let mut body = vec![0; length];
    input.read_exact(&mut body)?;
    Ok(Frame::Body(body))
}

/// The message in `body`, or what to answer when there is none.
fn parse(body: &[u8]) -> Result<Message, Message> {
    let value: serde_json::Value = match serde_json::from_slice(body) {
        Ok(value) => value,
        Err(error) => return Err(log_error(format!("ignored a message that is not JSON: {error}"))),
    };
    let id = match value.get("id") {
        Some(serde_json::Value::Number(n)) => n.as_i64().and_then(|n| i32::try_from(n).ok()).map(RequestId::from),
        Some(serde_json::Value::String(s)) => Some(RequestId::from(s.clone())),
        _ => None,
    };
    serde_json::from_value::<Message>(value).map_err(|error| match id {
        Some(id) => Message::Response(Response::new_err(
            id,
            ErrorCode::InvalidRequest as i32,
            format!("not a JSON-RPC request: {error}"),
        )),
        None => log_error(format!("ignored a message of no known shape: {error}")),
    })
}

fn log_error(message: String) -> Message {
    Message::Notification(Notification::new(
        LogMessage::METHOD.to_string(),
        LogMessageParams {
            typ: MessageType::ERROR,
            message: format!("miroguard: {message}"),
        },
    ))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn frame(body: &str) -> String {
        format!("Content-Length: {}\r\n\r\n{body}", body.len())
    }

    fn run(input: &str) -> (Vec<Message>, Vec<Message>) {
        let (incoming, received) = unbounded();
        let (replies, replied) = unbounded();
        read_messages(io::Cursor::new(input.as_bytes().to_vec()), &incoming, &replies);
        drop((incoming, replies));
        (received.iter().collect(), replied.iter().collect())
    }

    #[test]
    fn bad_messages_are_answered_and_reading_goes_on() {
        let input = [
            frame("{not json"),
            "Content-Type: x\r\n\r\n".to_string(),
            "Content-Length: many\r\n\r\n".to_string(),
            frame(r#"{"jsonrpc":"2.0","id":7,"method":5}"#),
            frame(r#"{"jsonrpc":"2.0","method":"initialized","params":{}}"#),
        ]
        .concat();
        let (received, replied) = run(&input);
        assert_eq!(received.len(), 1, "{received:?}");
        assert!(matches!(&received[0], Message::Notification(n) if n.method == "initialized"));
        assert_eq!(replied.len(), 4, "{replied:?}");
        let invalid = replied.iter().find_map(|m| match m {
            Message::Response(r) => Some(r),
            _ => None,
        });
        assert!(
            invalid.is_some_and(|r| r.id == RequestId::from(7)
                && r.response_result
                    .as_ref()
                    .is_err_and(|e| e.code == ErrorCode::InvalidRequest as i32)),
            "{replied:?}"
        );
    }

    #[test]
    fn bare_newline_headers_and_a_truncated_body_end_quietly() {
        let input = "Content-Length: 2\n\n{}Content-Length: 50\r\n\r\n{\"jsonrpc\"";
        let (received, replied) = run(input);
        // `{}` has no known shape; the truncated body ends the stream.
        assert!(received.is_empty());
        assert_eq!(replied.len(), 1);
    }

    #[test]
    fn exit_stops_reading() {
        let input = [
            frame(r#"{"jsonrpc":"2.0","method":"exit"}"#),
            frame(r#"{"jsonrpc":"2.0","method":"initialized","params":{}}"#),
        ]
        .concat();
        let (received, _) = run(&input);
        assert_eq!(received.len(), 1);
    }
}
