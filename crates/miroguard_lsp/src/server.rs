//! The main loop: state changes in message order on one thread; checks run
//! on worker threads over copies of the text; a result whose document has
//! changed since is dropped.

use crate::actions::{self, Target};
use crate::diagnostics::diagnostic;
use crate::document::{Document, Encoding, LineStarts};
use crate::workspace::{Settings, Workspace, WorkspaceKind};
use crossbeam_channel::{Receiver, Sender, select, unbounded};
use lsp_server::{Connection, ErrorCode, Message, Notification, Request, RequestId, Response};
use lsp_types::notification::{self as note, Notification as _};
use lsp_types::request::{self as req, Request as _};
use lsp_types::{
    CodeActionKind, CodeActionOptions, CodeActionParams, CodeActionProviderCapability, ConfigurationItem,
    ConfigurationParams, Diagnostic, DiagnosticSeverity, DidChangeConfigurationParams, DidChangeTextDocumentParams,
    DidChangeWatchedFilesParams, DidChangeWatchedFilesRegistrationOptions, DidChangeWorkspaceFoldersParams,
    DidCloseTextDocumentParams, DidOpenTextDocumentParams, DidSaveTextDocumentParams, FileSystemWatcher, GlobPattern,
    InitializeParams, InitializeResult, MessageType, OneOf, Position, PositionEncodingKind, PublishDiagnosticsParams,
    Range, Registration, RegistrationParams, ServerCapabilities, ServerInfo, ShowMessageParams,
    TextDocumentSyncCapability, TextDocumentSyncKind, TextDocumentSyncOptions, TextDocumentSyncSaveOptions, Uri,
    WorkspaceFoldersServerCapabilities, WorkspaceServerCapabilities,
};
use miroguard_core::{FileClass, FileContext, Finding};
use miroguard_engine::{Engine, SyntaxEdit, SyntaxTree};
use serde::Serialize;
use serde::de::DeserializeOwned;
use std::collections::{HashMap, HashSet};
use std::panic::{AssertUnwindSafe, catch_unwind};
use std::path::{Path, PathBuf};
use std::sync::Arc;
use std::time::{Duration, Instant};

/// Checks parse deeply nested code; the front ends bound their recursion,
/// and this bounds what a parser library might still need (as in the CLI).
const WORKER_STACK: usize = 64 * 1024 * 1024;

/// How the server runs.
#[derive(Clone, Debug)]
pub struct ServerOptions {
    /// How long after the last change a document is checked. Settings
    /// (`debounceMs`) override it.
    pub debounce: Duration,
    /// Worker threads that run checks.
    pub threads: usize,
    /// Whether workspace folders are classified into browser and server code
    /// in the background (off where walking the folder is unwanted: fuzzing).
    pub classify: bool,
}

impl Default for ServerOptions {
    fn default() -> ServerOptions {
        ServerOptions {
            debounce: Duration::from_millis(150),
            threads: std::thread::available_parallelism()
                .map(|n| n.get())
                .unwrap_or(1)
                .clamp(1, 4),
            classify: true,
        }
    }
}

/// Why the server stopped other than by `exit` after `shutdown`.
#[derive(Debug, thiserror::Error)]
pub enum ServerError {
    /// The client closed the connection without `exit`.
    #[error("the client closed the connection")]
    Disconnected,
    /// The client sent `exit` before `shutdown` (the protocol's exit code 1).
    #[error("exit without shutdown")]
    ExitWithoutShutdown,
    /// The built-in rules could not be built: a bug in miroguard.
    #[error(transparent)]
    Engine(#[from] miroguard_engine::EngineError),
    /// A thread could not be started.
    #[error("cannot start a thread: {0}")]
    Thread(#[from] std::io::Error),
}

/// What worker and background threads report to the main loop.
enum Event {
    Checked(Checked),
    Classified {
        root: PathBuf,
        generation: u64,
        context: Option<miroguard_engine::ContextMap>,
    },
}

/// A check to run: a copy of the text, and what it is checked with.
struct Job {
    uri: Uri,
    token: u64,
    version: i32,
    text: String,
    display: String,
    git_ignored: bool,
    dependencies: Option<Arc<miroguard_core::Dependencies>>,
    engine: Arc<Engine>,
    class: Option<(FileClass, Option<String>)>,
    skipped: bool,
    encoding: Encoding,
    /// The last version's syntax tree, edited to match this text. The job
    /// holds the only copy, so its facts are updated in place.
    tree: Option<SyntaxTree>,
}

struct Checked {
    uri: Uri,
    token: u64,
    version: i32,
    findings: Vec<Finding>,
    diagnostics: Vec<Diagnostic>,
    tree: Option<SyntaxTree>,
}

/// An open document and where its check stands.
struct Open {
    document: Document,
    path: Option<PathBuf>,
    language_id: String,
    /// When it should next be checked; `None` when it needs no check.
    due: Option<Instant>,
    /// The token of the check running for it, if any.
    running: Option<u64>,
    /// The findings of the last check whose version is the current one, if any.
    findings: Option<(i32, Vec<Finding>)>,
    /// What was last published, so a recheck that changes nothing (after
    /// the classification arrives, say) is not sent again.
    published: Option<(i32, Vec<Diagnostic>)>,
    /// The syntax tree of the last parse, so the next check reparses (and
    /// lowers again) only what changed.
    tree: TreeState,
}

/// Where an open document's last syntax tree is.
enum TreeState {
    /// There is none: not parsed yet, not JS/TS, or the whole text was replaced.
    Gone,
    /// Here, with every change since recorded in it.
    Here(SyntaxTree),
    /// With the running check, which returns the tree of the version it
    /// checks; the changes made since are kept to record in that one.
    Lent(Vec<SyntaxEdit>),
}

#[derive(PartialEq, Eq)]
enum Phase {
    Uninitialized,
    Running,
    ShutDown,
}

/// Outgoing requests whose answers the loop waits for.
enum Pending {
    Configuration,
    Ignored,
}

struct Server {
    sender: Sender<Message>,
    phase: Phase,
    encoding: Encoding,
    options: ServerOptions,
    settings: Settings,
    /// The engine for documents nothing configures, and the rule ids it knows.
    fallback: Arc<Engine>,
    workspaces: Vec<Workspace>,
    documents: HashMap<Uri, Open>,
    /// Configuration files that show an error now.
    config_errors: HashSet<Uri>,
    jobs: Sender<Job>,
    events: Sender<Event>,
    next_token: u64,
    next_request: i32,
    pending: HashMap<RequestId, Pending>,
    client_pulls_configuration: bool,
    client_watches_files: bool,
}

/// Serves one client over `connection` until it sends `exit`.
pub fn serve(connection: Connection, options: ServerOptions) -> Result<(), ServerError> {
    let (jobs, job_queue) = unbounded::<Job>();
    let (events, event_queue) = unbounded::<Event>();
    for i in 0..options.threads.max(1) {
        let queue = job_queue.clone();
        let events = events.clone();
        std::thread::Builder::new()
            .name(format!("miroguard-lsp-check-{i}"))
            .stack_size(WORKER_STACK)
            .spawn(move || {
                for job in queue {
                    let checked = check(job);
                    if events.send(Event::Checked(checked)).is_err() {
                        return;
                    }
                }
            })?;
    }
    let fallback = Arc::new(Engine::new(miroguard_core::Config::default())?);
    let mut server = Server {
        sender: connection.sender.clone(),
        phase: Phase::Uninitialized,
        encoding: Encoding::Utf16,
        settings: Settings::default(),
        options,
        fallback,
        workspaces: Vec::new(),
        documents: HashMap::new(),
        config_errors: HashSet::new(),
        jobs,
        events,
        next_token: 0,
        next_request: 0,
        pending: HashMap::new(),
        client_pulls_configuration: false,
        client_watches_files: false,
    };
    server.run(&connection.receiver, &event_queue)
}

/// Runs a check, converting its findings to diagnostics on this thread so
/// the main loop only publishes. A panic costs this result, not the server.
fn check(job: Job) -> Checked {
    let (findings, tree) = if job.skipped {
        (Vec::new(), None)
    } else {
        catch_unwind(AssertUnwindSafe(|| {
            let mut context = FileContext::from_display_path(job.display.clone());
            context.git_ignored = job.git_ignored;
            context.dependencies = job.dependencies.clone();
            let (class, reason) = job.class.clone().unwrap_or((FileClass::Unknown, None));
            context.class = Some(class);
            context.class_reason = reason;
            let (report, tree) = job.engine.check_text_reusing(&context, &job.text, job.tree);
            (report.findings, tree)
        }))
        .unwrap_or_default()
    };
    let lines = LineStarts::new(&job.text);
    let diagnostics = findings
        .iter()
        .map(|finding| diagnostic(finding, &job.uri, &job.text, &lines, job.encoding))
        .collect();
    Checked {
        uri: job.uri,
        token: job.token,
        version: job.version,
        findings,
        diagnostics,
        tree,
    }
}

impl Server {
    fn run(&mut self, messages: &Receiver<Message>, events: &Receiver<Event>) -> Result<(), ServerError> {
        loop {
            let wait = self.next_due().map(|due| due.saturating_duration_since(Instant::now()));
            let timeout = wait.map_or_else(crossbeam_channel::never, crossbeam_channel::after);
            select! {
                recv(messages) -> message => {
                    let Ok(message) = message else {
                        return Err(ServerError::Disconnected);
                    };
                    if let Message::Notification(n) = &message && n.method == note::Exit::METHOD {
                        return match self.phase {
                            Phase::ShutDown => Ok(()),
                            _ => Err(ServerError::ExitWithoutShutdown),
                        };
                    }
                    self.handle_guarded(message);
                }
                recv(events) -> event => {
                    if let Ok(event) = event {
                        self.on_event(event);
                    }
                }
                recv(timeout) -> _ => {}
            }
            self.dispatch_due();
        }
    }

    /// Handles a message; a bug that panics costs that message, not the session.
    fn handle_guarded(&mut self, message: Message) {
        let id = match &message {
            Message::Request(request) => Some(request.id.clone()),
            _ => None,
        };
        if catch_unwind(AssertUnwindSafe(|| self.handle(message))).is_err() {
            self.log(
                MessageType::ERROR,
                "internal error while handling a message; please report it",
            );
            if let Some(id) = id {
                self.respond_error(id, ErrorCode::InternalError, "internal error".into());
            }
        }
    }

    fn handle(&mut self, message: Message) {
        match message {
            Message::Request(request) => self.on_request(request),
            Message::Notification(notification) => self.on_notification(notification),
            Message::Response(response) => self.on_response(response),
        }
    }

    fn on_request(&mut self, request: Request) {
        let Request { id, method, params } = request;
        match (&self.phase, method.as_str()) {
            (Phase::Uninitialized, req::Initialize::METHOD) => match parse::<InitializeParams>(params) {
                Ok(params) => {
                    let result = self.initialize(params);
                    self.respond(id, result);
                }
                Err(message) => self.respond_error(id, ErrorCode::InvalidParams, message),
            },
            (Phase::Uninitialized, _) => self.respond_error(
                id,
                ErrorCode::ServerNotInitialized,
                "the server is not initialized".into(),
            ),
            (Phase::ShutDown, _) => {
                self.respond_error(id, ErrorCode::InvalidRequest, "the server is shutting down".into())
            }
            (Phase::Running, req::Initialize::METHOD) => self.respond_error(
                id,
                ErrorCode::InvalidRequest,
                "the server is already initialized".into(),
            ),
            (Phase::Running, req::Shutdown::METHOD) => {
                self.phase = Phase::ShutDown;
                self.respond(id, ());
            }
            (Phase::Running, req::CodeActionRequest::METHOD) => match parse::<CodeActionParams>(params) {
                Ok(params) => {
                    let actions = self.code_actions(&params);
                    self.respond(id, actions);
                }
                Err(message) => self.respond_error(id, ErrorCode::InvalidParams, message),
            },
            (Phase::Running, _) => {
                self.respond_error(id, ErrorCode::MethodNotFound, format!("unknown method {method}"))
            }
        }
    }

    fn on_notification(&mut self, notification: Notification) {
        if self.phase != Phase::Running {
            return; // before initialize, and after shutdown, only `exit` counts
        }
        let Notification { method, params } = notification;
        // A notification cannot be answered: one with bad parameters is logged and dropped.
        macro_rules! with {
            ($params:ty, $handler:ident) => {
                match parse::<$params>(params) {
                    Ok(params) => self.$handler(params),
                    Err(message) => self.log(MessageType::WARNING, &format!("ignored {method}: {message}")),
                }
            };
        }
        match method.as_str() {
            note::Initialized::METHOD => self.initialized(),
            note::DidOpenTextDocument::METHOD => with!(DidOpenTextDocumentParams, did_open),
            note::DidChangeTextDocument::METHOD => with!(DidChangeTextDocumentParams, did_change),
            note::DidSaveTextDocument::METHOD => with!(DidSaveTextDocumentParams, did_save),
            note::DidCloseTextDocument::METHOD => with!(DidCloseTextDocumentParams, did_close),
            note::DidChangeConfiguration::METHOD => with!(DidChangeConfigurationParams, did_change_configuration),
            note::DidChangeWatchedFiles::METHOD => with!(DidChangeWatchedFilesParams, did_change_watched_files),
            note::DidChangeWorkspaceFolders::METHOD => with!(DidChangeWorkspaceFoldersParams, did_change_folders),
            _ => {} // `$/cancelRequest`, `$/setTrace` and anything unknown
        }
    }

    fn on_response(&mut self, response: Response) {
        match self.pending.remove(&response.id) {
            Some(Pending::Configuration) => {
                // One item was asked for: the `miroguard` section.
                let section = response
                    .response_result
                    .ok()
                    .and_then(|result| result.as_array().and_then(|items| items.first().cloned()));
                if let Some(section) = section.filter(|s| !s.is_null()) {
                    self.apply_settings(&section);
                }
            }
            Some(Pending::Ignored) | None => {}
        }
    }

    fn initialize(&mut self, params: InitializeParams) -> InitializeResult {
        let capabilities = &params.capabilities;
        let offered = capabilities
            .general
            .as_ref()
            .and_then(|general| general.position_encodings.as_ref());
        if offered.is_some_and(|kinds| kinds.contains(&PositionEncodingKind::UTF8)) {
            self.encoding = Encoding::Utf8;
        }
        let workspace = capabilities.workspace.as_ref();
        self.client_pulls_configuration = workspace.and_then(|w| w.configuration).unwrap_or(false);
        self.client_watches_files = workspace
            .and_then(|w| w.did_change_watched_files.as_ref())
            .and_then(|w| w.dynamic_registration)
            .unwrap_or(false);
        if let Some(options) = &params.initialization_options {
            self.apply_settings(options);
        }
        let mut roots: Vec<PathBuf> = params
            .workspace_folders
            .iter()
            .flatten()
            .filter_map(|folder| uri_path(&folder.uri))
            .collect();
        #[allow(deprecated)] // clients that predate workspace folders send only a root
        if roots.is_empty()
            && let Some(root) = params.root_uri.as_ref().and_then(uri_path)
        {
            roots.push(root);
        }
        for root in roots {
            self.add_workspace(root, WorkspaceKind::Folder);
        }
        self.phase = Phase::Running;
        InitializeResult {
            capabilities: ServerCapabilities {
                position_encoding: Some(match self.encoding {
                    Encoding::Utf8 => PositionEncodingKind::UTF8,
                    Encoding::Utf16 => PositionEncodingKind::UTF16,
                }),
                text_document_sync: Some(TextDocumentSyncCapability::Options(TextDocumentSyncOptions {
                    open_close: Some(true),
                    change: Some(TextDocumentSyncKind::INCREMENTAL),
                    save: Some(TextDocumentSyncSaveOptions::Supported(true)),
                    ..TextDocumentSyncOptions::default()
                })),
                code_action_provider: Some(CodeActionProviderCapability::Options(CodeActionOptions {
                    code_action_kinds: Some(vec![CodeActionKind::QUICKFIX]),
                    ..CodeActionOptions::default()
                })),
                workspace: Some(WorkspaceServerCapabilities {
                    workspace_folders: Some(WorkspaceFoldersServerCapabilities {
                        supported: Some(true),
                        change_notifications: Some(OneOf::Left(true)),
                    }),
                    file_operations: None,
                }),
                ..ServerCapabilities::default()
            },
            server_info: Some(ServerInfo {
                name: miroguard_core::TOOL_NAME.to_string(),
                version: Some(miroguard_core::TOOL_VERSION.to_string()),
            }),
        }
    }

    fn initialized(&mut self) {
        if self.client_watches_files {
            let options = DidChangeWatchedFilesRegistrationOptions {
                watchers: vec![FileSystemWatcher {
                    glob_pattern: GlobPattern::String(format!("**/{}", miroguard_core::config::CONFIG_FILE_NAME)),
                    kind: None,
                }],
            };
            let registration = Registration {
                id: "miroguard-config-files".into(),
                method: note::DidChangeWatchedFiles::METHOD.into(),
                register_options: serde_json::to_value(options).ok(),
            };
            self.request::<req::RegisterCapability>(
                RegistrationParams {
                    registrations: vec![registration],
                },
                Pending::Ignored,
            );
        }
        self.pull_configuration();
        for index in 0..self.workspaces.len() {
            self.classify(index);
        }
    }

    fn pull_configuration(&mut self) {
        if self.client_pulls_configuration {
            let params = ConfigurationParams {
                items: vec![ConfigurationItem {
                    scope_uri: None,
                    section: Some("miroguard".into()),
                }],
            };
            self.request::<req::WorkspaceConfiguration>(params, Pending::Configuration);
        }
    }

    /// Takes the user's settings: `{"miroguard": {...}}` or the section itself.
    fn apply_settings(&mut self, value: &serde_json::Value) {
        let section = value.get("miroguard").unwrap_or(value);
        match Settings::parse(section, &self.fallback) {
            Ok((settings, unknown)) => {
                if !unknown.is_empty() {
                    self.show(
                        MessageType::WARNING,
                        &format!("miroguard settings name unknown rules: {}", unknown.join(", ")),
                    );
                }
                if settings != self.settings {
                    self.settings = settings;
                    self.reload_workspaces();
                }
            }
            Err(message) => self.show(MessageType::WARNING, &format!("ignored miroguard settings: {message}")),
        }
    }

    fn did_change_configuration(&mut self, params: DidChangeConfigurationParams) {
        if params.settings.is_null() || params.settings.as_object().is_some_and(|o| o.is_empty()) {
            // Clients that use the pull model send nothing: ask.
            self.pull_configuration();
        } else {
            self.apply_settings(&params.settings);
        }
    }

    fn did_change_watched_files(&mut self, params: DidChangeWatchedFilesParams) {
        let touches_config = params.changes.iter().any(|change| {
            uri_path(&change.uri).is_some_and(|path| path.ends_with(miroguard_core::config::CONFIG_FILE_NAME))
        });
        if touches_config {
            self.reload_workspaces();
        }
    }

    fn did_change_folders(&mut self, params: DidChangeWorkspaceFoldersParams) {
        for removed in params.event.removed.iter().filter_map(|f| uri_path(&f.uri)) {
            self.workspaces.retain(|w| w.root != removed);
        }
        for added in params.event.added.iter().filter_map(|f| uri_path(&f.uri)) {
            if !self.workspaces.iter().any(|w| w.root == added) {
                let index = self.add_workspace(added, WorkspaceKind::Folder);
                self.classify(index);
            }
        }
        self.recheck_all();
    }

    fn did_open(&mut self, params: DidOpenTextDocumentParams) {
        let item = params.text_document;
        let path = uri_path(&item.uri);
        if let Some(path) = &path {
            self.workspace_for(path);
        }
        self.documents.insert(
            item.uri,
            Open {
                document: Document {
                    text: item.text,
                    version: item.version,
                },
                path,
                language_id: item.language_id,
                due: Some(Instant::now()),
                running: None,
                findings: None,
                published: None,
                tree: TreeState::Gone,
            },
        );
    }

    fn did_change(&mut self, params: DidChangeTextDocumentParams) {
        let encoding = self.encoding;
        let debounce = self.debounce();
        let Some(open) = self.documents.get_mut(&params.text_document.uri) else {
            return; // a change to a document that was never opened
        };
        for change in params.content_changes {
            match (open.document.apply(change, encoding), &mut open.tree) {
                (Some(edit), TreeState::Here(tree)) => tree.edit(&edit),
                (Some(edit), TreeState::Lent(edits)) => edits.push(edit),
                (Some(_), TreeState::Gone) => {}
                (None, _) => open.tree = TreeState::Gone,
            }
        }
        open.document.version = params.text_document.version;
        open.findings = None;
        open.due = Some(Instant::now() + debounce);
    }

    fn did_save(&mut self, params: DidSaveTextDocumentParams) {
        let uri = params.text_document.uri;
        let is_config = uri_path(&uri).is_some_and(|path| path.ends_with(miroguard_core::config::CONFIG_FILE_NAME));
        if let Some(open) = self.documents.get_mut(&uri) {
            if let Some(text) = params.text {
                if text != open.document.text {
                    open.tree = TreeState::Gone;
                }
                open.document.text = text;
            }
            open.due = Some(Instant::now());
        }
        if is_config {
            // Clients that watch no files still tell us when the configuration is saved.
            self.reload_workspaces();
        }
    }

    fn did_close(&mut self, params: DidCloseTextDocumentParams) {
        let uri = params.text_document.uri;
        if self.documents.remove(&uri).is_some() && !self.config_errors.contains(&uri) {
            self.publish(uri, Vec::new(), None);
        }
    }

    fn code_actions(&mut self, params: &CodeActionParams) -> Vec<lsp_types::CodeAction> {
        let uri = &params.text_document.uri;
        let Some(open) = self.documents.get(uri) else {
            return Vec::new();
        };
        // Fixes are edits at positions: only findings of the current text may make them.
        let Some((version, findings)) = &open.findings else {
            return Vec::new();
        };
        if *version != open.document.version {
            return Vec::new();
        }
        let path = open
            .path
            .clone()
            .unwrap_or_else(|| PathBuf::from(untitled_name(&open.language_id)));
        let class = open
            .path
            .as_deref()
            .and_then(|path| self.class_of(path))
            .map(|(class, _)| class);
        let target = Target {
            uri,
            path: &path,
            text: &open.document.text,
            class,
            encoding: self.encoding,
        };
        actions::code_actions(&target, findings, params.range)
    }

    fn on_event(&mut self, event: Event) {
        match event {
            Event::Checked(checked) => {
                let Some(open) = self.documents.get_mut(&checked.uri) else {
                    return; // closed while it was checked
                };
                if open.running != Some(checked.token) {
                    return; // closed and opened again since
                }
                open.running = None;
                open.tree = match (std::mem::replace(&mut open.tree, TreeState::Gone), checked.tree) {
                    (TreeState::Lent(edits), Some(mut tree)) => {
                        for edit in &edits {
                            tree.edit(edit);
                        }
                        TreeState::Here(tree)
                    }
                    _ => TreeState::Gone,
                };
                if checked.version != open.document.version {
                    return; // changed since: the newer text has its own check due
                }
                open.findings = Some((checked.version, checked.findings));
                let published = (checked.version, checked.diagnostics);
                if open.published.as_ref() != Some(&published) {
                    open.published = Some(published.clone());
                    let (version, diagnostics) = published;
                    self.publish(checked.uri, diagnostics, Some(version));
                }
            }
            Event::Classified {
                root,
                generation,
                context,
            } => {
                let Some(workspace) = self
                    .workspaces
                    .iter_mut()
                    .find(|w| w.root == root && w.generation == generation)
                else {
                    return; // reloaded or removed since
                };
                match context {
                    Some(context) => workspace.context = Some(Arc::new(context)),
                    None => self.log(
                        MessageType::WARNING,
                        &format!("could not classify {} into browser and server code", root.display()),
                    ),
                }
                let root = root.clone();
                self.recheck(|path| path.starts_with(&root));
            }
        }
    }

    /// Sends every document whose time has come to a worker.
    fn dispatch_due(&mut self) {
        let now = Instant::now();
        let ready: Vec<Uri> = self
            .documents
            .iter()
            .filter(|(_, open)| open.running.is_none() && open.due.is_some_and(|due| due <= now))
            .map(|(uri, _)| uri.clone())
            .collect();
        for uri in ready {
            self.dispatch(uri);
        }
    }

    fn dispatch(&mut self, uri: Uri) {
        let Some(open) = self.documents.get(&uri) else {
            return;
        };
        if open.path.as_deref().is_some_and(is_config_file) {
            // Its errors are published by `report_config_errors`, not by a check.
            if let Some(open) = self.documents.get_mut(&uri) {
                open.due = None;
            }
            return;
        }
        let path = open.path.clone();
        let language_id = open.language_id.clone();
        let too_large = open.document.text.len() as u64 > miroguard_engine::DEFAULT_MAX_FILE_SIZE;
        let (engine, display, skipped, class, git_ignored, dependencies) = match &path {
            Some(path) => {
                let workspace = self.workspace_for(path);
                let display = workspace.display(path);
                // As in a scan: files a scan would skip, and files larger than
                // a scan reads by default, get no diagnostics.
                let skipped = workspace.leaves_out(path) || too_large;
                let class = workspace.class_of(&display);
                let git_ignored = workspace.git_ignores(path);
                let language = miroguard_core::Language::from_path(path);
                let dependencies = workspace.dependencies.for_file(path, language);
                (
                    workspace.engine.clone(),
                    display,
                    skipped,
                    class,
                    git_ignored,
                    dependencies,
                )
            }
            None => (
                self.fallback.clone(),
                untitled_name(&language_id),
                too_large,
                None,
                false,
                None,
            ),
        };
        self.next_token += 1;
        let token = self.next_token;
        let Some(open) = self.documents.get_mut(&uri) else {
            return;
        };
        open.due = None;
        open.running = Some(token);
        let job = Job {
            uri,
            token,
            version: open.document.version,
            text: open.document.text.clone(),
            display,
            git_ignored,
            dependencies,
            engine,
            class,
            skipped,
            encoding: self.encoding,
            tree: match std::mem::replace(&mut open.tree, TreeState::Lent(Vec::new())) {
                TreeState::Here(tree) => Some(tree),
                TreeState::Gone | TreeState::Lent(_) => None,
            },
        };
        // The workers outlive the loop; a failed send means they are gone.
        let _ = self.jobs.send(job);
    }

    fn next_due(&self) -> Option<Instant> {
        self.documents
            .values()
            .filter(|open| open.running.is_none())
            .filter_map(|open| open.due)
            .min()
    }

    fn debounce(&self) -> Duration {
        self.settings
            .debounce_ms
            .map_or(self.options.debounce, Duration::from_millis)
    }

    fn recheck_all(&mut self) {
        self.recheck(|_| true);
    }

    /// Marks the open documents whose path `matches` for a check now.
    fn recheck(&mut self, matches: impl Fn(&Path) -> bool) {
        let now = Instant::now();
        for open in self.documents.values_mut() {
            if open.path.as_deref().is_none_or(&matches) {
                open.due = Some(now);
            }
        }
    }

    /// Re-reads every workspace's configuration, reclassifies, and rechecks.
    fn reload_workspaces(&mut self) {
        for index in 0..self.workspaces.len() {
            let previous = &self.workspaces[index];
            let reloaded = Workspace::load(
                previous.root.clone(),
                previous.kind,
                &self.settings,
                Some(previous),
                &self.fallback,
            );
            self.workspaces[index] = reloaded;
            if self.workspaces[index].kind == WorkspaceKind::Folder && self.phase == Phase::Running {
                self.classify(index);
            }
        }
        self.report_config_errors();
        self.recheck_all();
    }

    fn add_workspace(&mut self, root: PathBuf, kind: WorkspaceKind) -> usize {
        let workspace = Workspace::load(root, kind, &self.settings, None, &self.fallback);
        self.workspaces.push(workspace);
        self.report_config_errors();
        self.workspaces.len() - 1
    }

    /// The workspace `path` belongs to: the innermost folder that holds it,
    /// else the directory of its nearest `.miroguard.toml` (or its own).
    fn workspace_for(&mut self, path: &Path) -> &Workspace {
        let found = self
            .workspaces
            .iter()
            .enumerate()
            .filter(|(_, w)| path.starts_with(&w.root))
            .max_by_key(|(_, w)| w.root.as_os_str().len())
            .map(|(i, _)| i);
        let index = match found {
            Some(index) => index,
            None => {
                let dir = path.parent().unwrap_or(path);
                let root = miroguard_core::Config::discover(dir)
                    .and_then(|config| config.parent().map(Path::to_path_buf))
                    .unwrap_or_else(|| dir.to_path_buf());
                self.add_workspace(root, WorkspaceKind::Loose)
            }
        };
        &self.workspaces[index]
    }

    fn class_of(&self, path: &Path) -> Option<(FileClass, Option<String>)> {
        self.workspaces
            .iter()
            .filter(|w| path.starts_with(&w.root))
            .max_by_key(|w| w.root.as_os_str().len())
            .and_then(|w| w.class_of(&w.display(path)))
    }

    /// Classifies workspace `index` in the background.
    fn classify(&mut self, index: usize) {
        if !self.options.classify {
            return;
        }
        let workspace = &self.workspaces[index];
        let root = workspace.root.clone();
        let generation = workspace.generation;
        let engine = workspace.engine.clone();
        let events = self.events.clone();
        let spawned = std::thread::Builder::new()
            .name("miroguard-lsp-classify".into())
            .stack_size(WORKER_STACK)
            .spawn(move || {
                let mut options = miroguard_engine::ScanOptions::new(root.clone());
                // In the background: leave the other cores to the checks the user waits for.
                options.threads = 1;
                let progress = std::sync::atomic::AtomicUsize::new(0);
                let context = catch_unwind(AssertUnwindSafe(|| engine.classify(&options, &progress)))
                    .ok()
                    .and_then(Result::ok)
                    .map(|(context, _)| context);
                let _ = events.send(Event::Classified {
                    root,
                    generation,
                    context,
                });
            });
        if spawned.is_err() {
            self.log(MessageType::WARNING, "could not start classifying the workspace");
        }
    }

    /// Publishes each workspace's configuration error on its file (and says
    /// so once), and clears files whose error is gone.
    fn report_config_errors(&mut self) {
        let mut now: HashMap<Uri, (Diagnostic, String)> = HashMap::new();
        for workspace in &self.workspaces {
            let Some(error) = &workspace.config_error else {
                continue;
            };
            let Some(uri) = path_uri(&error.path) else {
                continue;
            };
            let line = error.line.unwrap_or(1).saturating_sub(1);
            let column = error.column.unwrap_or(1).saturating_sub(1);
            let at = Position::new(line, column);
            let diagnostic = Diagnostic {
                range: Range::new(at, Position::new(line, column + 1)),
                severity: Some(DiagnosticSeverity::ERROR),
                source: Some(crate::diagnostics::SOURCE.into()),
                message: error.message.clone(),
                ..Diagnostic::default()
            };
            now.insert(uri, (diagnostic, error.to_string()));
        }
        let gone: Vec<Uri> = self
            .config_errors
            .iter()
            .filter(|u| !now.contains_key(u))
            .cloned()
            .collect();
        for uri in gone {
            self.config_errors.remove(&uri);
            self.publish(uri, Vec::new(), None);
        }
        for (uri, (diagnostic, message)) in now {
            if self.config_errors.insert(uri.clone()) {
                self.show(
                    MessageType::ERROR,
                    &format!("miroguard: {message} (using the last valid configuration)"),
                );
            }
            self.publish(uri, vec![diagnostic], None);
        }
    }

    fn publish(&self, uri: Uri, diagnostics: Vec<Diagnostic>, version: Option<i32>) {
        self.notify::<note::PublishDiagnostics>(PublishDiagnosticsParams {
            uri,
            diagnostics,
            version,
        });
    }

    fn log(&self, typ: MessageType, message: &str) {
        self.notify::<note::LogMessage>(lsp_types::LogMessageParams {
            typ,
            message: format!("miroguard: {message}"),
        });
    }

    fn show(&self, typ: MessageType, message: &str) {
        self.notify::<note::ShowMessage>(ShowMessageParams {
            typ,
            message: message.to_string(),
        });
    }

    fn notify<N: note::Notification>(&self, params: N::Params) {
        let _ = self
            .sender
            .send(Message::Notification(Notification::new(N::METHOD.to_string(), params)));
    }

    fn request<R: req::Request>(&mut self, params: R::Params, pending: Pending) {
        self.next_request += 1;
        let id = RequestId::from(format!("miroguard-{}", self.next_request));
        self.pending.insert(id.clone(), pending);
        let _ = self
            .sender
            .send(Message::Request(Request::new(id, R::METHOD.to_string(), params)));
    }

    fn respond(&self, id: RequestId, result: impl Serialize) {
        let _ = self.sender.send(Message::Response(Response::new_ok(id, result)));
    }

    fn respond_error(&self, id: RequestId, code: ErrorCode, message: String) {
        let _ = self
            .sender
            .send(Message::Response(Response::new_err(id, code as i32, message)));
    }
}

fn parse<P: DeserializeOwned>(params: serde_json::Value) -> Result<P, String> {
    serde_json::from_value(params).map_err(|error| format!("invalid parameters: {error}"))
}

/// The file a `file:` URI names.
pub(crate) fn uri_path(uri: &Uri) -> Option<PathBuf> {
    url::Url::parse(uri.as_str()).ok()?.to_file_path().ok()
}

fn path_uri(path: &Path) -> Option<Uri> {
    let url = url::Url::from_file_path(path).ok()?;
    url.as_str().parse().ok()
}

fn is_config_file(path: &Path) -> bool {
    path.ends_with(miroguard_core::config::CONFIG_FILE_NAME)
}

/// A name for a document that is not a file yet, whose extension picks the
/// language the editor says it is in.
fn untitled_name(language_id: &str) -> String {
    let extension = match language_id {
        "javascript" => "js",
        "javascriptreact" => "jsx",
        "typescript" => "ts",
        "typescriptreact" => "tsx",
        "rust" => "rs",
        "json" => "json",
        "yaml" => "yaml",
        "toml" => "toml",
        "dotenv" => "env",
        _ => "txt",
    };
    format!("untitled.{extension}")
}
