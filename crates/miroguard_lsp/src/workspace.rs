//! Workspace folders: each with its `.miroguard.toml`, the user's editor
//! settings on top, the engine built from both, and the browser/server
//! classification of its files once the background pass has made it.

use miroguard_core::{Config, ConfigError, FileClass, Level};
use miroguard_engine::{ContextMap, DependencyIndex, Engine, EngineError};
use serde::Deserialize;
use std::collections::BTreeMap;
use std::path::{Path, PathBuf};
use std::sync::Arc;

/// The `miroguard` section of the editor's settings.
#[derive(Clone, Debug, Default, PartialEq, Eq, Deserialize)]
#[serde(rename_all = "camelCase", default, deny_unknown_fields)]
pub struct Settings {
    /// Rule levels that override the configuration file's (`{"weak-hash": "off"}`).
    pub rules: BTreeMap<String, Level>,
    /// How long after the last keystroke a document is checked.
    pub debounce_ms: Option<u64>,
}

impl Settings {
    /// Reads settings from `value`; rule ids `engine` does not know are
    /// dropped and returned, so one typo does not discard the rest.
    pub fn parse(value: &serde_json::Value, engine: &Engine) -> Result<(Settings, Vec<String>), String> {
        let mut settings: Settings = serde_json::from_value(value.clone()).map_err(|e| e.to_string())?;
        let registry = engine.registry();
        let unknown: Vec<String> = settings
            .rules
            .keys()
            .filter(|id| registry.get(id).is_none())
            .cloned()
            .collect();
        settings.rules.retain(|id, _| registry.get(id).is_some());
        Ok((settings, unknown))
    }
}

/// Whether a workspace is a folder the editor opened, or the directory of a
/// file opened outside every folder (which is not classified: there is no
/// telling how far its project reaches).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum WorkspaceKind {
    /// A workspace folder.
    Folder,
    /// The directory of a lone file's nearest configuration (or its own).
    Loose,
}

/// One workspace root and how its files are checked.
pub struct Workspace {
    /// The root directory.
    pub root: PathBuf,
    /// Folder or loose.
    pub kind: WorkspaceKind,
    /// The configuration from the file (before the editor's settings).
    pub file_config: Config,
    /// Why the configuration file could not be used, if it could not.
    pub config_error: Option<ConfigError>,
    /// The engine for this workspace's documents.
    pub engine: Arc<Engine>,
    /// The classification, once made.
    pub context: Option<Arc<ContextMap>>,
    /// Bumped on every reload, so a classification of an older
    /// configuration is not taken for the current one.
    pub generation: u64,
    /// Library versions by package (read again on every reload).
    pub dependencies: DependencyIndex,
}

impl Workspace {
    /// Loads `root`'s configuration with `settings` on top. A broken file
    /// keeps the last configuration that worked (or the defaults) and
    /// records the error: a typo must not turn every rule back on.
    pub fn load(
        root: PathBuf,
        kind: WorkspaceKind,
        settings: &Settings,
        previous: Option<&Workspace>,
        fallback: &Arc<Engine>,
    ) -> Workspace {
        let generation = previous.map_or(0, |p| p.generation + 1);
        let last_good = || previous.map(|p| p.file_config.clone()).unwrap_or_default();
        let (file_config, mut config_error) = match Config::discover(&root) {
            Some(path) => match Config::load(&path) {
                Ok(config) => (config, None),
                Err(error) => (last_good(), Some(error)),
            },
            None => (Config::default(), None),
        };
        let (file_config, engine) = match build(&file_config, settings) {
            Ok(engine) => (file_config, engine),
            Err(EngineError::Config(error)) => {
                config_error = Some(error);
                let config = last_good();
                match build(&config, settings) {
                    Ok(engine) => (config, engine),
                    Err(_) => (Config::default(), fallback_engine(fallback, settings)),
                }
            }
            Err(EngineError::Internal(_)) => (Config::default(), fallback_engine(fallback, settings)),
        };
        Workspace {
            root,
            kind,
            file_config,
            config_error,
            engine,
            context: None,
            generation,
            dependencies: DependencyIndex::new(),
        }
    }

    /// `path` as the CLI would display it from this root: relative, `/`-separated.
    pub fn display(&self, path: &Path) -> String {
        match path.strip_prefix(&self.root) {
            Ok(relative) => relative
                .components()
                .map(|c| c.as_os_str().to_string_lossy())
                .collect::<Vec<_>>()
                .join("/"),
            Err(_) => path.to_string_lossy().replace('\\', "/"),
        }
    }

    /// Whether git ignores `path` (for the rules about committed secrets files).
    pub fn git_ignores(&self, path: &Path) -> bool {
        miroguard_engine::is_git_ignored(&self.root, path)
    }

    /// Whether a scan of this workspace would leave `path` out.
    pub fn leaves_out(&self, path: &Path) -> bool {
        miroguard_engine::leaves_out(self.engine.config(), &self.root, path)
    }

    /// The class of the file displayed as `display`, and why, once classified.
    pub fn class_of(&self, display: &str) -> Option<(FileClass, Option<String>)> {
        let classification = self.context.as_ref()?.get(display)?;
        Some((classification.class, classification.reasons.first().cloned()))
    }
}

fn build(config: &Config, settings: &Settings) -> Result<Arc<Engine>, EngineError> {
    let mut config = config.clone();
    for (id, level) in &settings.rules {
        // Settings carry no place in the file; their ids were checked already.
        config.rules.insert(id.clone(), (*level, 0..0));
    }
    let mut engine = Engine::new(config)?;
    // The lexical gates save a scan from parsing files no rule needs parsed;
    // an editor reparses incrementally, which costs less than the gates.
    // (The fixture tests prove both tiers find the same.)
    engine.force_parse(true);
    // One document is checked at a time while the user waits: use a second core.
    engine.parallel_rules(true);
    Ok(Arc::new(engine))
}

/// The default configuration with `settings`, or the fallback engine itself
/// when even that cannot be built (it can: the settings' ids were checked).
fn fallback_engine(fallback: &Arc<Engine>, settings: &Settings) -> Arc<Engine> {
    build(&Config::default(), settings).unwrap_or_else(|_| fallback.clone())
}
