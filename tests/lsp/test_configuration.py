"""`.miroguard.toml`, editor settings, and several workspace folders."""

from __future__ import annotations

import asyncio

from conftest import SECRET, initialize, open_file, published, uri, write
from lsprotocol import types

SECRET_JS = f'const miroClientSecret = "{SECRET}";\n'


def watched(client, path, kind=types.FileChangeType.Changed):
    client.workspace_did_change_watched_files(
        types.DidChangeWatchedFilesParams(changes=[types.FileEvent(uri=uri(path), type=kind)])
    )


async def test_config_file_changes_recheck_open_documents(client, tmp_path):
    await initialize(client, tmp_path)
    # The server asks to hear about configuration files.
    document = open_file(client, write(tmp_path, "server/app.js", SECRET_JS))
    await published(client, document)
    [registration] = client.registrations
    assert registration.method == "workspace/didChangeWatchedFiles"
    assert registration.register_options["watchers"][0]["globPattern"] == "**/.miroguard.toml"
    assert len(client.diagnostics[document]) == 1

    config = write(tmp_path, ".miroguard.toml", '[rules]\nhardcoded-secret = "off"\n')
    watched(client, config, types.FileChangeType.Created)
    await published(client, document, where=lambda p: p.diagnostics == [])

    # A broken file keeps the last configuration that worked, and says where it is broken.
    config.write_text('[rules]\nhardcoded-secret = "loud"\n')
    mark = len(client.published)
    watched(client, config)
    config_diagnostics = await published(client, uri(config), where=lambda p: p.diagnostics, since=mark)
    [error] = config_diagnostics.diagnostics
    assert error.range.start.line == 1
    assert "loud" in error.message or "variant" in error.message
    assert any(".miroguard.toml" in m.message for m in client.messages)
    # The document is checked again, with the last good configuration: still quiet.
    await asyncio.sleep(0.5)
    assert all(not p.diagnostics for p in client.published[mark:] if p.uri == document)

    config.write_text('[rules]\nhardcoded-secret = "warning"\n')
    mark = len(client.published)
    watched(client, config)
    await published(client, uri(config), where=lambda p: p.diagnostics == [], since=mark)
    params = await published(client, document, since=mark)
    assert params.diagnostics[0].severity == types.DiagnosticSeverity.Warning


async def test_settings_pushed_by_the_client_set_rule_levels(client, tmp_path):
    await initialize(client, tmp_path)
    document = open_file(client, write(tmp_path, "server/app.js", SECRET_JS))
    assert (await published(client, document)).diagnostics[0].severity == types.DiagnosticSeverity.Error
    client.workspace_did_change_configuration(
        types.DidChangeConfigurationParams(settings={"miroguard": {"rules": {"hardcoded-secret": "note", "no-such-rule": "off"}}})
    )
    params = await published(
        client, document, where=lambda p: p.diagnostics and p.diagnostics[0].severity == types.DiagnosticSeverity.Information
    )
    assert params.diagnostics[0].code == "hardcoded-secret"
    assert any("no-such-rule" in m.message for m in client.messages)


async def test_settings_are_pulled_when_the_client_sends_none(client, tmp_path):
    client.set_configuration({"rules": {"hardcoded-secret": "off"}}, section="miroguard")
    await initialize(client, tmp_path)
    document = open_file(client, write(tmp_path, "server/app.js", SECRET_JS))
    # Pulled after `initialized`: the document ends up with no findings.
    await published(client, document, where=lambda p: p.diagnostics == [])
    client.set_configuration({"rules": {"hardcoded-secret": "warning"}}, section="miroguard")
    mark = len(client.published)
    client.workspace_did_change_configuration(types.DidChangeConfigurationParams(settings=None))
    params = await published(client, document, where=lambda p: p.diagnostics, since=mark)
    assert params.diagnostics[0].severity == types.DiagnosticSeverity.Warning


async def test_initialization_options_are_settings_too(client, tmp_path):
    await initialize(client, tmp_path, options={"rules": {"hardcoded-secret": "warning"}})
    document = open_file(client, write(tmp_path, "server/app.js", SECRET_JS))
    params = await published(client, document, where=lambda p: p.diagnostics)
    assert params.diagnostics[0].severity == types.DiagnosticSeverity.Warning


async def test_each_workspace_folder_has_its_own_configuration(client, tmp_path):
    quiet = tmp_path / "quiet"
    loud = tmp_path / "loud"
    write(quiet, ".miroguard.toml", '[rules]\nhardcoded-secret = "off"\n')
    write(loud, ".miroguard.toml", '[rules]\nhardcoded-secret = "error"\n')
    await initialize(client, quiet, loud)
    in_quiet = open_file(client, write(quiet, "app.js", SECRET_JS))
    in_loud = open_file(client, write(loud, "app.js", SECRET_JS))
    assert (await published(client, in_quiet)).diagnostics == []
    assert len((await published(client, in_loud)).diagnostics) == 1

    added = tmp_path / "added"
    write(added, ".miroguard.toml", '[rules]\nhardcoded-secret = "note"\n')
    client.workspace_did_change_workspace_folders(
        types.DidChangeWorkspaceFoldersParams(
            event=types.WorkspaceFoldersChangeEvent(
                added=[types.WorkspaceFolder(uri=uri(added), name="added")], removed=[]
            )
        )
    )
    in_added = open_file(client, write(added, "app.js", SECRET_JS))
    params = await published(client, in_added)
    assert params.diagnostics[0].severity == types.DiagnosticSeverity.Information
