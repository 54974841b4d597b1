//! What an HTML page loads: the local scripts of its `<script src>` tags, the
//! local modules its inline module scripts import, and whether it loads the
//! Miro Web SDK (which makes it a page of a Miro app, run in a board's iframe).

use crate::signals;
use aho_corasick::{AhoCorasick, Input, MatchKind};
use std::sync::LazyLock;

/// The signals of one HTML page.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub(crate) struct HtmlSignals {
    /// Local scripts and inline-imported modules, as written, in page order.
    pub(crate) scripts: Vec<Box<str>>,
    /// Loads `https://miro.com/app/static/sdk/v2/miro.js`.
    pub(crate) miro_sdk: bool,
}

static TAGS: LazyLock<AhoCorasick> = LazyLock::new(|| {
    AhoCorasick::builder()
        .ascii_case_insensitive(true)
        .match_kind(MatchKind::LeftmostFirst)
        .build(["<!--", "<script"])
        .expect("the tag patterns are valid")
});

static SCRIPT_END: LazyLock<AhoCorasick> = LazyLock::new(|| {
    AhoCorasick::builder()
        .ascii_case_insensitive(true)
        .build(["</script"])
        .expect("the tag pattern is valid")
});

/// The longest start tag read.
const MAX_TAG: usize = 4096;

/// Reads the scripts of the page `text`.
pub(crate) fn extract(text: &str) -> Option<HtmlSignals> {
    let bytes = text.as_bytes();
    let mut signals = HtmlSignals::default();
    let mut pos = 0;
    while let Some(hit) = TAGS.find(Input::new(bytes).span(pos..bytes.len())) {
        if hit.pattern().as_usize() == 0 {
            // Skip the comment: a commented-out script loads nothing.
            pos = memchr::memmem::find(&bytes[hit.end()..], b"-->").map_or(bytes.len(), |n| hit.end() + n + 3);
            continue;
        }
        pos = hit.end();
        if !matches!(bytes.get(pos), Some(b' ' | b'\t' | b'\n' | b'\r' | b'>' | b'/')) {
            continue; // <scripts>, <script-x>
        }
        let (src, tag_end) = src_attribute(text, pos);
        let close = SCRIPT_END
            .find(Input::new(bytes).span(tag_end.min(bytes.len())..bytes.len()))
            .map_or(bytes.len(), |m| m.start());
        match src {
            Some(src) => note_src(&mut signals, src.trim()),
            None => {
                // An inline module script: its relative imports are entries too.
                let body = text.get(tag_end..close).unwrap_or("");
                for import in signals::imports_of(body) {
                    if is_local(&import.spec) {
                        push_unique(&mut signals.scripts, &import.spec);
                    }
                }
            }
        }
        pos = close.max(pos);
    }
    (!signals.scripts.is_empty() || signals.miro_sdk).then_some(signals)
}

fn note_src(signals: &mut HtmlSignals, src: &str) {
    let lower = src.to_ascii_lowercase();
    if lower.starts_with("http://") || lower.starts_with("https://") || lower.starts_with("//") {
        if lower.contains("miro.com/app/static/sdk") {
            signals.miro_sdk = true;
        }
        return;
    }
    // Template placeholders (`%PUBLIC_URL%`, `{{ url }}`, `<%= … %>`) and data URLs name no file here.
    if src.is_empty() || lower.starts_with("data:") || src.contains(['%', '{', '<', '$']) {
        return;
    }
    let path = src.split(['?', '#']).next().unwrap_or(src);
    if !path.is_empty() {
        push_unique(&mut signals.scripts, path);
    }
}

fn is_local(spec: &str) -> bool {
    spec.starts_with("./") || spec.starts_with("../") || spec.starts_with('/')
}

fn push_unique(list: &mut Vec<Box<str>>, item: &str) {
    if !list.iter().any(|known| &**known == item) {
        list.push(item.into());
    }
}

/// The `src` attribute of the start tag whose attributes begin at `pos`,
/// and the index after the tag's `>`.
fn src_attribute(text: &str, mut pos: usize) -> (Option<&str>, usize) {
    let bytes = text.as_bytes();
    let end = pos.saturating_add(MAX_TAG).min(bytes.len());
    let mut src = None;
    while pos < end {
        match bytes[pos] {
            b'>' => return (src, pos + 1),
            b if b.is_ascii_whitespace() || b == b'/' => pos += 1,
            _ => {
                let name_start = pos;
                while pos < end && !matches!(bytes[pos], b'=' | b'>' | b'/') && !bytes[pos].is_ascii_whitespace() {
                    pos += 1;
                }
                let name = &bytes[name_start..pos];
                while pos < end && bytes[pos].is_ascii_whitespace() {
                    pos += 1;
                }
                if bytes.get(pos) != Some(&b'=') {
                    continue;
                }
                pos += 1;
                while pos < end && bytes[pos].is_ascii_whitespace() {
                    pos += 1;
                }
                let value = match bytes.get(pos) {
                    Some(&quote @ (b'"' | b'\'')) if pos < end => {
                        let start = pos + 1;
                        let close = memchr::memchr(quote, &bytes[start..end]).map_or(end, |n| start + n);
                        pos = (close + 1).min(end);
                        text.get(start..close)
                    }
                    _ => {
                        let start = pos;
                        while pos < end && !bytes[pos].is_ascii_whitespace() && bytes[pos] != b'>' {
                            pos += 1;
                        }
                        text.get(start..pos)
                    }
                };
                if name.eq_ignore_ascii_case(b"src") && src.is_none() {
                    src = value;
                }
            }
        }
    }
    (src, end)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn scripts_of_a_page() {
        let page = r#"<!doctype html>
<html>
  <head>
    <script src="https://miro.com/app/static/sdk/v2/miro.js"></script>
    <!-- <script src="/old.js"></script> -->
    <SCRIPT type="module" SRC='/src/main.tsx?v=2'></SCRIPT>
    <script src=./classic.js defer></script>
    <script src="%PUBLIC_URL%/x.js"></script>
    <script>console.log("<script src='/inline-string.js'>")</script>
    <script type="module">
      import './inline-entry.ts';
      import { a } from "../shared/a.js";
      import React from 'react';
    </script>
    <scripts src="/not-a-script.js"></scripts>
  </head>
</html>"#;
        let signals = extract(page).unwrap();
        assert!(signals.miro_sdk);
        assert_eq!(
            signals.scripts,
            ["/src/main.tsx", "./classic.js", "../shared/a.js", "./inline-entry.ts"].map(Box::from)
        );
    }

    #[test]
    fn pages_without_scripts_say_nothing() {
        assert_eq!(extract("<html><body>hi</body></html>"), None);
        assert_eq!(extract("<script"), None);
        assert_eq!(
            extract("<script src=\"unclosed"),
            Some(HtmlSignals {
                scripts: vec!["unclosed".into()],
                miro_sdk: false
            })
        );
    }
}
