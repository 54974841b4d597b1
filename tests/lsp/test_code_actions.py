"""Quick fixes: applied as an editor would, then checked again."""

from __future__ import annotations

from conftest import SECRET, change, initialize, open_file, published, span, write
from lsprotocol import types


def apply(text: str, edits: list[types.TextEdit]) -> str:
    """Applies `edits` (UTF-16 positions, ASCII text here) from the last to the first."""
    lines = text.split("\n")
    offsets = [0]
    for line in lines:
        offsets.append(offsets[-1] + len(line) + 1)

    def offset(position: types.Position) -> int:
        return offsets[position.line] + position.character

    for edit in sorted(edits, key=lambda e: offset(e.range.start), reverse=True):
        text = text[: offset(edit.range.start)] + edit.new_text + text[offset(edit.range.end) :]
    return text


async def actions_for(client, document: str, diagnostic: types.Diagnostic) -> list[types.CodeAction]:
    return await client.text_document_code_action_async(
        types.CodeActionParams(
            text_document=types.TextDocumentIdentifier(uri=document),
            range=diagnostic.range,
            context=types.CodeActionContext(diagnostics=[diagnostic]),
        )
    )


async def test_ignore_on_this_line_inserts_a_suppression_that_works(client, tmp_path):
    await initialize(client, tmp_path)
    text = f'function connect() {{\n    const miroClientSecret = "{SECRET}";\n}}\n'
    path = write(tmp_path, "server/app.js", text)
    document = open_file(client, path)
    [diagnostic] = (await published(client, document)).diagnostics
    actions = await actions_for(client, document, diagnostic)
    ignore = next(a for a in actions if a.title == "Ignore `hardcoded-secret` on this line")
    assert ignore.kind == types.CodeActionKind.QuickFix
    assert ignore.diagnostics[0].code == "hardcoded-secret"
    [edit] = ignore.edit.changes[document]
    assert edit.new_text == "    // miroguard-ignore[hardcoded-secret]: <reason>\n"
    fixed = apply(text, [edit])
    change(client, document, 2, fixed)
    params = await published(client, document, version=2)
    assert params.diagnostics == []


async def test_move_to_an_environment_variable_replaces_the_literal(client, tmp_path):
    await initialize(client, tmp_path)
    text = f'const miroClientSecret = "{SECRET}";\nmodule.exports = {{ miroClientSecret }};\n'
    path = write(tmp_path, "server/app.js", text)
    document = open_file(client, path)
    [diagnostic] = (await published(client, document)).diagnostics
    actions = await actions_for(client, document, diagnostic)
    move = actions[0]
    assert move.title == "Move the secret to the environment variable `MIRO_CLIENT_SECRET`"
    assert move.is_preferred
    fixed = apply(text, move.edit.changes[document])
    assert fixed.startswith("const miroClientSecret = process.env.MIRO_CLIENT_SECRET;\n")
    change(client, document, 2, fixed)
    assert (await published(client, document, version=2)).diagnostics == []


async def test_rust_secrets_move_to_std_env_var(client, tmp_path):
    await initialize(client, tmp_path)
    text = f'fn client() -> anyhow::Result<String> {{\n    let client_secret = "{SECRET}";\n    Ok(client_secret.to_string())\n}}\n'
    path = write(tmp_path, "src/main.rs", text)
    document = open_file(client, path)
    [diagnostic] = (await published(client, document)).diagnostics
    actions = await actions_for(client, document, diagnostic)
    [edit] = actions[0].edit.changes[document]
    assert edit.new_text == 'std::env::var("CLIENT_SECRET")?'
    assert edit.range == span(1, 24, 1, 58)


async def test_no_fixes_for_a_stale_version(slow_client, tmp_path):
    client = slow_client
    await initialize(client, tmp_path)
    text = f'const miroClientSecret = "{SECRET}";\n'
    path = write(tmp_path, "server/app.js", text)
    document = open_file(client, path)
    [diagnostic] = (await published(client, document)).diagnostics
    change(client, document, 2, "\n" + text)
    # The findings were for version 1: their positions no longer hold.
    assert not await actions_for(client, document, diagnostic)
    [moved] = (await published(client, document, version=2)).diagnostics
    assert moved.range.start.line == 1
    assert len(await actions_for(client, document, moved)) == 2
