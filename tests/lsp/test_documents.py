"""Opening, editing and closing documents: diagnostics, versions, debounce, encodings."""

from __future__ import annotations

import asyncio
import time

from conftest import SECRET, change, initialize, open_file, published, publishes, span, uri, write
from lsprotocol import types


async def test_initialize_announces_incremental_sync_quick_fixes_and_utf16(client, tmp_path):
    result = await initialize(client, tmp_path)
    capabilities = result.capabilities
    assert result.server_info.name == "miroguard"
    assert capabilities.position_encoding == types.PositionEncodingKind.Utf16
    assert capabilities.text_document_sync.change == types.TextDocumentSyncKind.Incremental
    assert capabilities.text_document_sync.open_close
    assert list(capabilities.code_action_provider.code_action_kinds) == [types.CodeActionKind.QuickFix]
    assert capabilities.workspace.workspace_folders.supported


async def test_open_publishes_findings_with_rule_docs_and_no_secret(client, tmp_path):
    await initialize(client, tmp_path)
    path = write(tmp_path, "server/app.js", f'const miroClientSecret = "{SECRET}";\n')
    document = open_file(client, path, version=3)
    params = await published(client, document, version=3)
    [diagnostic] = params.diagnostics
    assert diagnostic.code == "hardcoded-secret"
    assert diagnostic.source == "miroguard"
    assert diagnostic.severity == types.DiagnosticSeverity.Error
    assert diagnostic.code_description.href.endswith("/docs/rules/hardcoded-secret.md")
    assert diagnostic.range == span(0, 26, 0, 58)
    assert "miroClientSecret" in diagnostic.message
    # Redacted everywhere: the secret is nowhere in what the server sent.
    assert SECRET not in repr(client.published)
    assert all(SECRET not in message.message for message in client.log_messages + client.messages)


async def test_changes_are_incremental_debounced_and_versioned(slow_client, tmp_path):
    client = slow_client
    await initialize(client, tmp_path)
    path = write(tmp_path, "server/app.js", "const greeting = 'hi';\n")
    document = open_file(client, path)
    assert (await published(client, document, version=1)).diagnostics == []
    started = time.monotonic()
    # Type the secret in three quick keystrokes; only the last version is checked.
    change(client, document, 2, "\nconst miroClientSecret = ", span(0, 23, 0, 23))
    change(client, document, 3, f'"{SECRET[:10]}', span(1, 25, 1, 25))
    change(client, document, 4, f'{SECRET[10:]}";', span(1, 36, 1, 36))
    params = await published(client, document, version=4)
    waited = time.monotonic() - started
    assert waited >= 0.35, f"published {waited:.3f} s after the first change: not debounced"
    assert [d.code for d in params.diagnostics] == ["hardcoded-secret"]
    assert params.diagnostics[0].range == span(1, 26, 1, 58)
    versions = [p.version for p in publishes(client, document)]
    assert versions == [1, 4], versions


async def test_save_checks_at_once_and_close_clears(slow_client, tmp_path):
    client = slow_client
    await initialize(client, tmp_path)
    path = write(tmp_path, "server/app.js", f'const miroClientSecret = "{SECRET}";\n')
    document = open_file(client, path)
    assert len((await published(client, document, version=1)).diagnostics) == 1
    change(client, document, 2, "const miroClientSecret = process.env.MIRO_CLIENT_SECRET;\n")
    started = time.monotonic()
    client.text_document_did_save(types.DidSaveTextDocumentParams(text_document=types.TextDocumentIdentifier(uri=document)))
    params = await published(client, document, version=2)
    assert params.diagnostics == []
    assert time.monotonic() - started < 0.35, "a save waits for the debounce"
    client.text_document_did_close(types.DidCloseTextDocumentParams(text_document=types.TextDocumentIdentifier(uri=document)))
    cleared = await published(client, document, where=lambda p: p.version is None)
    assert cleared.diagnostics == []


async def test_columns_count_utf16_units_by_default(client, tmp_path):
    await initialize(client, tmp_path)
    # The emoji is two UTF-16 units and four bytes.
    path = write(tmp_path, "server/app.js", f'const note = "😀"; const miroClientSecret = "{SECRET}";\n')
    document = open_file(client, path)
    [diagnostic] = (await published(client, document)).diagnostics
    assert diagnostic.range == span(0, 45, 0, 77)


async def test_utf8_is_used_when_the_client_offers_it(client, tmp_path):
    result = await initialize(client, tmp_path, encodings=["utf-8", "utf-16"])
    assert result.capabilities.position_encoding == types.PositionEncodingKind.Utf8
    path = write(tmp_path, "server/app.js", f'const note = "😀"; const miroClientSecret = "{SECRET}";\n')
    document = open_file(client, path)
    [diagnostic] = (await published(client, document)).diagnostics
    assert diagnostic.range == span(0, 47, 0, 79)
    # Edits are read in bytes too: the literal, quotes included, is bytes 46 to 80.
    change(client, document, 2, "process.env.MIRO_CLIENT_SECRET", span(0, 46, 0, 80))
    assert (await published(client, document, version=2)).diagnostics == []


async def test_flows_become_related_information(client, tmp_path):
    await initialize(client, tmp_path)
    text = (
        "const axios = require('axios');\n"
        "async function login(code) {\n"
        "  const response = await axios.post('https://api.miro.com/v1/oauth/token', { code });\n"
        "  const accessToken = response.data.access_token;\n"
        "  console.log('token', accessToken);\n"
        "}\n"
    )
    path = write(tmp_path, "server/auth.js", text)
    document = open_file(client, path)
    params = await published(client, document)
    logged = [d for d in params.diagnostics if d.code == "secret-in-log"]
    assert logged, params.diagnostics
    related = logged[0].related_information
    assert related and related[0].location.uri == document
    assert related[0].location.range.start.line == 3


async def test_browser_code_is_classified_in_the_background(client, tmp_path):
    write(tmp_path, "package.json", '{"name": "panel", "dependencies": {"@mirohq/websdk-types": "^2.0.0"}}\n')
    write(tmp_path, "index.html", '<script type="module" src="/src/main.js"></script>\n')
    path = write(tmp_path, "src/main.js", "const accessToken = await miro.board.getInfo();\nconsole.log(accessToken);\n")
    await initialize(client, tmp_path)
    document = open_file(client, path)
    params = await published(client, document, where=lambda p: any("browser code" in d.message for d in p.diagnostics))
    assert params.diagnostics[0].code == "secret-in-log"
    assert params.diagnostics[0].severity == types.DiagnosticSeverity.Warning


async def test_untitled_documents_are_checked_by_language(client, tmp_path):
    await initialize(client, tmp_path)
    document = "untitled:Untitled-1"
    client.text_document_did_open(
        types.DidOpenTextDocumentParams(
            text_document=types.TextDocumentItem(
                uri=document, language_id="typescript", version=1, text=f'const miroClientSecret = "{SECRET}";\n'
            )
        )
    )
    [diagnostic] = (await published(client, document)).diagnostics
    assert diagnostic.code == "hardcoded-secret"


async def test_excluded_and_generated_files_get_no_diagnostics(client, tmp_path):
    write(tmp_path, ".miroguard.toml", 'exclude = ["vendor/"]\n')
    await initialize(client, tmp_path)
    for relative in ["vendor/lib.js", "dist/bundle.js", "node_modules/x/index.js"]:
        path = write(tmp_path, relative, f'const miroClientSecret = "{SECRET}";\n')
        document = open_file(client, path)
        assert (await published(client, document)).diagnostics == [], relative


async def test_a_git_ignored_env_file_is_not_reported_as_committed(client, tmp_path):
    (tmp_path / ".git").mkdir()
    write(tmp_path, ".gitignore", ".env\n")
    await initialize(client, tmp_path)
    ignored = open_file(client, write(tmp_path, ".env", "MIRO_CLIENT_SECRET=92m5QQkYOqQAVW3ToA33wQzahGImaHt8\n"))
    committed = open_file(client, write(tmp_path, ".env.production", "MIRO_CLIENT_SECRET=92m5QQkYOqQAVW3ToA33wQzahGImaHt8\n"))
    assert "dotenv-file-committed" not in [d.code for d in (await published(client, ignored)).diagnostics]
    assert "dotenv-file-committed" in [d.code for d in (await published(client, committed)).diagnostics]
