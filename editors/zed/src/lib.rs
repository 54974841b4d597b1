//! A Zed extension that runs `miroguard lsp` from the PATH.

use zed_extension_api::{self as zed, LanguageServerId, Result, Worktree};

struct Miroguard;

impl zed::Extension for Miroguard {
    fn new() -> Self {
        Miroguard
    }

    fn language_server_command(&mut self, _id: &LanguageServerId, worktree: &Worktree) -> Result<zed::Command> {
        let command = worktree
            .which("miroguard")
            .ok_or_else(|| "miroguard is not on the PATH: `cargo install --path crates/miroguard`".to_string())?;
        Ok(zed::Command {
            command,
            args: vec!["lsp".into()],
            env: Vec::new(),
        })
    }

    fn language_server_initialization_options(
        &mut self,
        id: &LanguageServerId,
        worktree: &Worktree,
    ) -> Result<Option<zed::serde_json::Value>> {
        // `"lsp": { "miroguard": { "initialization_options": { "rules": { … } } } }` in Zed's settings.
        let settings = zed::settings::LspSettings::for_worktree(id.as_ref(), worktree)?;
        Ok(settings.initialization_options)
    }
}

zed::register_extension!(Miroguard);
