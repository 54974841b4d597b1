//! Dispatch to the front ends, turning their failures into notifications.

use miroguard_core::{FileContext, Language, LineIndex, Notification, NotificationKind, Severity, Span};
use miroguard_ir::Facts;
use std::panic::{AssertUnwindSafe, catch_unwind};
use std::sync::Arc;

pub(crate) struct Parsed {
    /// The Facts, unless the file could not be parsed.
    pub facts: Option<Arc<Facts>>,
    /// Whether rules should fall back to their lexical checks.
    pub failed: bool,
    pub notifications: Vec<Notification>,
    /// The JS/TS syntax tree, for reparsing the next version incrementally.
    pub tree: Option<miroguard_js::SyntaxTree>,
}

fn notify(
    context: &FileContext,
    text: &str,
    kind: NotificationKind,
    at: Option<Span>,
    message: String,
) -> Notification {
    let mut notification = Notification::new(kind, Severity::Warning, &context.display_path, message);
    if let Some(span) = at {
        notification.position = Some(LineIndex::new(text).position(text, span.start));
    }
    notification
}

/// Parses `text` with the front end for the file's language. With
/// `keep_tree` (an editor, which checks the file again after each change),
/// a JS/TS file's tree is returned, and `previous` is the last version's.
///
/// The front ends promise not to panic; a panic would still be a bug in
/// them, so it is caught here and turned into a notification: one bad file
/// never stops a scan or an editor session.
pub(crate) fn parse(
    context: &FileContext,
    text: &str,
    previous: Option<miroguard_js::SyntaxTree>,
    keep_tree: bool,
) -> Parsed {
    let mut notifications = Vec::new();
    let mut tree = None;
    let (facts, failed) = match context.language {
        Language::Rust => match catch_unwind(AssertUnwindSafe(|| miroguard_rust::lower(text))) {
            Ok(Ok(facts)) => (Some(Arc::new(facts)), false),
            Ok(Err(miroguard_rust::ParseFailure::Syntax { span, message })) => {
                notifications.push(notify(
                    context,
                    text,
                    NotificationKind::SyntaxError,
                    Some(span),
                    format!("syntax error: {message}; the file was scanned lexically"),
                ));
                (None, true)
            }
            Ok(Err(miroguard_rust::ParseFailure::TooDeep { span })) => {
                notifications.push(notify(
                    context,
                    text,
                    NotificationKind::TooDeep,
                    Some(span),
                    "code nests too deeply to parse safely; the file was scanned lexically".to_string(),
                ));
                (None, true)
            }
            Err(_) => {
                notifications.push(notify(
                    context,
                    text,
                    NotificationKind::SyntaxError,
                    None,
                    "internal error in the Rust front end; the file was scanned lexically".to_string(),
                ));
                (None, true)
            }
        },
        language if language.is_js_family() => {
            match catch_unwind(AssertUnwindSafe(|| {
                if keep_tree {
                    miroguard_js::lower_reusing(text, language, previous)
                } else {
                    (Arc::new(miroguard_js::lower(text, language)), None)
                }
            })) {
                Ok((facts, parsed)) => {
                    tree = parsed;
                    (Some(facts), false)
                }
                Err(_) => {
                    notifications.push(notify(
                        context,
                        text,
                        NotificationKind::SyntaxError,
                        None,
                        "internal error in the JavaScript front end; the file was scanned lexically".to_string(),
                    ));
                    (None, true)
                }
            }
        }
        _ => (None, false),
    };
    if let Some(facts) = &facts {
        if let Some(first) = facts.syntax_errors.first() {
            let more = match facts.syntax_errors.len() {
                1 => String::new(),
                n => format!(" (and {} more)", n - 1),
            };
            notifications.push(notify(
                context,
                text,
                NotificationKind::SyntaxError,
                Some(first.span),
                format!(
                    "syntax error: {}{more}; the rest of the file was analysed",
                    first.message
                ),
            ));
        }
        if let Some(span) = facts.depth_limit_hit {
            notifications.push(notify(
                context,
                text,
                NotificationKind::TooDeep,
                Some(span),
                "code nests too deeply; what is nested deeper was not analysed".to_string(),
            ));
        }
    }
    Parsed {
        facts,
        failed,
        notifications,
        tree,
    }
}
