"""Drives `miroguard lsp` with pytest-lsp, a real LSP client (pygls), as an
editor would. tests/lsp.rs runs this suite with MIROGUARD_BIN naming the
binary under test."""

from __future__ import annotations

import asyncio
import os
import pathlib
import time

import pytest
import pytest_lsp
from lsprotocol import types
from pygls.protocol import default_converter
from pytest_lsp import ClientServerConfig, LanguageClient, client_capabilities
from pytest_lsp.client import DEFAULT_CLIENT_FEATURES, register_lsp_features

MIROGUARD = os.environ.get("MIROGUARD_BIN", "miroguard")

# A client secret the hardcoded-secret rule reports (a made-up value).
SECRET = "zymMlopiWfqUyHRSIf8NFmAUNLnY5Yx0"


def make_client() -> LanguageClient:
    """pytest-lsp's client, also keeping every publishDiagnostics in order
    (its own keeps only the latest per document, without the version)."""
    client = LanguageClient(converter_factory=default_converter)
    client.published = []
    client.registrations = []
    default = DEFAULT_CLIENT_FEATURES[types.TEXT_DOCUMENT_PUBLISH_DIAGNOSTICS]

    def publish_diagnostics(client: LanguageClient, params: types.PublishDiagnosticsParams):
        params.diagnostics = list(params.diagnostics)
        client.published.append(params)
        default(client, params)

    # Editors accept dynamic registrations (for watched files); pytest-lsp's client does not.
    def register_capability(client: LanguageClient, params: types.RegistrationParams):
        client.registrations.extend(params.registrations)

    features = dict(DEFAULT_CLIENT_FEATURES)
    features[types.TEXT_DOCUMENT_PUBLISH_DIAGNOSTICS] = publish_diagnostics
    features[types.CLIENT_REGISTER_CAPABILITY] = register_capability
    register_lsp_features(client, features)
    return client


def server(*args: str) -> ClientServerConfig:
    return ClientServerConfig(server_command=[MIROGUARD, "lsp", *args], client_factory=make_client)


@pytest_lsp.fixture(config=server("--debounce", "50"))
async def client(lsp_client: LanguageClient):
    yield
    await lsp_client.shutdown_session()


@pytest_lsp.fixture(config=server("--debounce", "400"))
async def slow_client(lsp_client: LanguageClient):
    yield
    await lsp_client.shutdown_session()


def uri(path: pathlib.Path) -> str:
    return path.resolve().as_uri()


async def initialize(
    client: LanguageClient,
    *roots: pathlib.Path,
    spec: str = "visual-studio-code",
    encodings: list[str] | None = None,
    options: dict | None = None,
) -> types.InitializeResult:
    capabilities = client_capabilities(spec)
    if encodings is not None:
        capabilities.general = types.GeneralClientCapabilities(position_encodings=encodings)
    params = types.InitializeParams(
        capabilities=capabilities,
        workspace_folders=[types.WorkspaceFolder(uri=uri(root), name=root.name) for root in roots],
        initialization_options=options,
    )
    return await client.initialize_session(params)


def write(root: pathlib.Path, relative: str, text: str) -> pathlib.Path:
    path = root / relative
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(text)
    return path


def open_file(client: LanguageClient, path: pathlib.Path, text: str | None = None, version: int = 1) -> str:
    language = {
        ".js": "javascript",
        ".ts": "typescript",
        ".tsx": "typescriptreact",
        ".rs": "rust",
    }.get(path.suffix, "plaintext")
    document = uri(path)
    client.text_document_did_open(
        types.DidOpenTextDocumentParams(
            text_document=types.TextDocumentItem(
                uri=document,
                language_id=language,
                version=version,
                text=path.read_text() if text is None else text,
            )
        )
    )
    return document


def change(client: LanguageClient, document: str, version: int, text: str, range: types.Range | None = None):
    if range is None:
        event = types.TextDocumentContentChangeWholeDocument(text=text)
    else:
        event = types.TextDocumentContentChangePartial(range=range, text=text)
    client.text_document_did_change(
        types.DidChangeTextDocumentParams(
            text_document=types.VersionedTextDocumentIdentifier(uri=document, version=version),
            content_changes=[event],
        )
    )


def span(line: int, start: int, end_line: int, end: int) -> types.Range:
    return types.Range(start=types.Position(line=line, character=start), end=types.Position(line=end_line, character=end))


async def published(
    client: LanguageClient,
    document: str,
    *,
    version: int | None = None,
    where=lambda params: True,
    since: int = 0,
    timeout: float = 15.0,
) -> types.PublishDiagnosticsParams:
    """The first publishDiagnostics for `document` (at `version`) that `where`
    accepts, among those after the first `since` the client received."""
    deadline = time.monotonic() + timeout
    seen = since
    while time.monotonic() < deadline:
        for params in client.published[seen:]:
            seen += 1
            if params.uri == document and (version is None or params.version == version) and where(params):
                return params
        await asyncio.sleep(0.01)
    raise AssertionError(f"no matching diagnostics for {document} (version {version}) in {timeout} s: {client.published}")


def publishes(client: LanguageClient, document: str) -> list[types.PublishDiagnosticsParams]:
    return [params for params in client.published if params.uri == document]
