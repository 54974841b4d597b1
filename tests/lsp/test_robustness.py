"""Whatever an editor (or a person at a terminal) sends, the server answers
with an error or ignores it, and keeps serving."""

from __future__ import annotations

import json
import queue
import subprocess
import threading

import pytest
from conftest import MIROGUARD, SECRET, change, initialize, open_file, published, span, write
from lsprotocol import types
from pygls.exceptions import JsonRpcMethodNotFound


class RawServer:
    """`miroguard lsp` on raw pipes, to send what no client library would."""

    def __init__(self):
        self.process = subprocess.Popen(
            [MIROGUARD, "lsp", "--debounce", "10"], stdin=subprocess.PIPE, stdout=subprocess.PIPE
        )
        self.messages: queue.Queue = queue.Queue()
        self.seen: list[dict] = []
        threading.Thread(target=self._read, daemon=True).start()

    def _read(self):
        stream = self.process.stdout
        while True:
            length = None
            while True:
                line = stream.readline()
                if not line:
                    return
                if line in (b"\r\n", b"\n"):
                    break
                name, _, value = line.decode().partition(":")
                if name.lower() == "content-length":
                    length = int(value)
            message = json.loads(stream.read(length))
            self.seen.append(message)
            self.messages.put(message)

    def raw(self, data: bytes):
        self.process.stdin.write(data)
        self.process.stdin.flush()

    def send(self, message: dict | str):
        body = (message if isinstance(message, str) else json.dumps({"jsonrpc": "2.0", **message})).encode()
        self.raw(b"Content-Length: %d\r\n\r\n%s" % (len(body), body))

    def next(self, where=lambda m: True, timeout=15.0) -> dict:
        while True:
            message = self.messages.get(timeout=timeout)
            if where(message):
                return message

    def response(self, id) -> dict:
        return self.next(lambda m: m.get("id") == id and "method" not in m)


@pytest.fixture
def raw_server():
    server = RawServer()
    yield server
    if server.process.poll() is None:
        server.process.kill()
        server.process.wait()


def test_malformed_messages_get_errors_and_the_session_goes_on(raw_server, tmp_path):
    server = raw_server
    server.raw(b"Content-Length: 9\r\n\r\n{not json")
    server.raw(b"Content-Length: lots\r\n\r\n")
    server.raw(b"X-Nonsense: 1\r\n\r\n")
    server.send('{"jsonrpc": "2.0", "id": 41, "method": 7}')
    assert server.response(41)["error"]["code"] == -32600
    server.send({"id": 1, "method": "textDocument/codeAction", "params": {}})
    assert server.response(1)["error"]["code"] == -32002  # not initialized yet
    server.send({"id": 2, "method": "initialize", "params": {"capabilities": {}, "rootUri": tmp_path.as_uri()}})
    assert server.response(2)["result"]["serverInfo"]["name"] == "miroguard"
    server.send({"method": "initialized", "params": {}})
    server.send({"id": 3, "method": "initialize", "params": {"capabilities": {}}})
    assert server.response(3)["error"]["code"] == -32600
    server.send({"id": 4, "method": "miroguard/unknown", "params": None})
    assert server.response(4)["error"]["code"] == -32601
    server.send({"id": 5, "method": "textDocument/codeAction", "params": {"bogus": True}})
    assert server.response(5)["error"]["code"] == -32602
    server.send({"method": "textDocument/didOpen", "params": {"textDocument": 12}})
    server.send({"method": "some/notification", "params": [1, 2]})
    server.send({"method": "textDocument/didChange", "params": {"textDocument": {"uri": "file:///nowhere.js", "version": 2}, "contentChanges": [{"text": "x"}]}})

    document = (tmp_path / "app.js").as_uri()
    server.send({"method": "textDocument/didOpen", "params": {"textDocument": {"uri": document, "languageId": "javascript", "version": 1, "text": "const a = 1;\n"}}})
    # Edits past the end of the text, and with their ends swapped, are clamped.
    server.send({"method": "textDocument/didChange", "params": {"textDocument": {"uri": document, "version": 2}, "contentChanges": [
        {"range": {"start": {"line": 40, "character": 0}, "end": {"line": 99, "character": 99}}, "text": f'const miroClientSecret = "{SECRET}";\n'},
        {"range": {"start": {"line": 0, "character": 500}, "end": {"line": 0, "character": 3}}, "text": "st"},
    ]}})
    published = server.next(lambda m: m.get("method") == "textDocument/publishDiagnostics" and m["params"].get("version") == 2)
    assert [d["code"] for d in published["params"]["diagnostics"]] == ["hardcoded-secret"]

    logged = [m["params"]["message"] for m in server.seen if m.get("method") == "window/logMessage"]
    assert any("not JSON" in m for m in logged), logged
    assert any("Content-Length" in m for m in logged), logged

    server.send({"id": 6, "method": "shutdown"})
    assert server.response(6)["result"] is None
    server.send({"id": 7, "method": "textDocument/codeAction", "params": {}})
    assert server.response(7)["error"]["code"] == -32600  # shutting down
    server.send({"method": "exit"})
    assert server.process.wait(timeout=15) == 0


def test_exit_without_shutdown_is_exit_code_1(raw_server):
    raw_server.send({"id": 1, "method": "initialize", "params": {"capabilities": {}}})
    raw_server.response(1)
    raw_server.send({"method": "exit"})
    assert raw_server.process.wait(timeout=15) == 1


def test_a_closed_stdin_ends_the_server(raw_server):
    raw_server.process.stdin.close()
    assert raw_server.process.wait(timeout=15) != 0


async def test_unknown_requests_are_method_not_found(client, tmp_path):
    await initialize(client, tmp_path)
    with pytest.raises(JsonRpcMethodNotFound):
        await client.protocol.send_request_async("miroguard/unknown", {})


async def test_half_typed_code_is_checked_without_trouble(client, tmp_path):
    await initialize(client, tmp_path)
    text = f'function connect( {{\n  const miroClientSecret = "{SECRET}"\n  if (\n'
    document = open_file(client, write(tmp_path, "server/app.ts", text))
    params = await published(client, document)
    assert [d.code for d in params.diagnostics] == ["hardcoded-secret"]
    # Typing on, character by character, through states no parser accepts.
    version = 1
    for character in "x) { return `${":
        version += 1
        change(client, document, version, character, span(2, 5 + version - 2, 2, 5 + version - 2))
    params = await published(client, document, version=version)
    assert [d.code for d in params.diagnostics] == ["hardcoded-secret"]
