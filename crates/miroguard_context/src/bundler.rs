//! Entry points named by a Vite or webpack configuration: the string values
//! of Vite's `build.rollupOptions.input` and of webpack's `entry`, read
//! lexically (configurations are code, and their entries are almost always
//! literals, arrays or objects of literals, or `resolve(__dirname, '…')`).

use crate::lex::{is_word, skip_string, skip_trivia, string_at};
use memchr::memmem;

/// Which bundler a configuration configures.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum Bundler {
    /// `vite.config.*`: its default entry is `index.html` beside it.
    Vite,
    /// `webpack.config.*` / `webpack.*.js`.
    Webpack,
}

/// What a bundler configuration says about entries.
#[derive(Clone, Debug, PartialEq, Eq)]
pub(crate) struct BundlerConfig {
    pub(crate) bundler: Bundler,
    /// Entry paths as written, relative to the configuration's directory.
    pub(crate) inputs: Vec<Box<str>>,
    /// webpack `target: 'node'` (or `async-node`, `electron-main`): the bundle runs in Node.
    pub(crate) node_target: bool,
}

/// How far a key may be from the object it belongs to, and how long a value may run.
const WINDOW: usize = 8192;

/// Reads the configuration of `tool` (`"vite"` or `"webpack"`).
pub(crate) fn extract(tool: &str, text: &str) -> Option<BundlerConfig> {
    let bytes = text.as_bytes();
    match tool {
        "vite" => {
            let inputs = memmem::find_iter(bytes, b"rollupOptions")
                .find(|&at| is_word(bytes, at, at + 13, true))
                .and_then(|at| key_value(bytes, b"input", at + 13, at + 13 + WINDOW))
                .map(|value| value_strings(text, value))
                .unwrap_or_default();
            Some(BundlerConfig {
                bundler: Bundler::Vite,
                inputs,
                node_target: false,
            })
        }
        "webpack" => {
            let inputs = key_value(bytes, b"entry", 0, bytes.len())
                .map(|value| value_strings(text, value))
                .unwrap_or_default();
            let node_target = key_value(bytes, b"target", 0, bytes.len())
                .and_then(|value| string_at(bytes, value, 64))
                .and_then(|(start, end, _)| text.get(start..end))
                .is_some_and(|target| {
                    target.starts_with("node") || target.starts_with("async-node") || target == "electron-main"
                });
            Some(BundlerConfig {
                bundler: Bundler::Webpack,
                inputs,
                node_target,
            })
        }
        _ => None,
    }
}

/// The start of the value of the first `key:` property between `from` and `to`.
fn key_value(bytes: &[u8], key: &[u8], from: usize, to: usize) -> Option<usize> {
    let to = to.min(bytes.len());
    let from = from.min(to);
    memmem::find_iter(&bytes[from..to], key)
        .map(|n| from + n)
        .find_map(|at| {
            if !is_word(bytes, at, at + key.len(), false) {
                return None;
            }
            let colon = skip_trivia(bytes, at + key.len(), at + key.len() + 64);
            (bytes.get(colon) == Some(&b':')).then(|| skip_trivia(bytes, colon + 1, colon + 256))
        })
}

/// The path-like string literals of the value starting at `start`: object
/// keys are skipped, and literals passed together to one call
/// (`resolve(__dirname, 'src', 'main.ts')`) are joined with `/`.
fn value_strings(text: &str, start: usize) -> Vec<Box<str>> {
    let bytes = text.as_bytes();
    let end = start.saturating_add(WINDOW).min(bytes.len());
    let mut out: Vec<String> = Vec::new();
    let mut nesting: Vec<u8> = Vec::new();
    // The previous token was a literal inside a call, then a comma.
    let mut last_was_literal = false;
    let mut join_next = false;
    let mut i = start;
    while i < end {
        match bytes[i] {
            open @ (b'(' | b'[' | b'{') => {
                nesting.push(open);
                (last_was_literal, join_next) = (false, false);
                i += 1;
            }
            b')' | b']' | b'}' => {
                if nesting.pop().is_none() {
                    break;
                }
                (last_was_literal, join_next) = (false, false);
                i += 1;
                if nesting.is_empty() && !matches!(bytes.get(skip_trivia(bytes, i, end)), Some(b'.' | b'(')) {
                    break;
                }
            }
            b',' | b';' if nesting.is_empty() => break,
            b',' => {
                join_next = last_was_literal && nesting.last() == Some(&b'(');
                last_was_literal = false;
                i += 1;
            }
            b'/' if matches!(bytes.get(i + 1), Some(b'/' | b'*')) => i = skip_trivia(bytes, i, end).max(i + 1),
            b'\'' | b'"' | b'`' => match string_at(bytes, i, 1024) {
                Some((from, to, after)) => {
                    let is_key = bytes.get(skip_trivia(bytes, after, after + 64)) == Some(&b':');
                    if let (false, Some(literal)) = (is_key, text.get(from..to)) {
                        match out.last_mut() {
                            Some(previous) if join_next => {
                                previous.push('/');
                                previous.push_str(literal);
                            }
                            _ => out.push(literal.to_string()),
                        }
                        last_was_literal = true;
                    } else {
                        last_was_literal = false;
                    }
                    join_next = false;
                    i = after;
                    if nesting.is_empty() && !is_key {
                        break;
                    }
                }
                None => {
                    (last_was_literal, join_next) = (false, false);
                    i = skip_string(bytes, i, end).max(i + 1);
                }
            },
            b if b.is_ascii_whitespace() => i += 1,
            _ => {
                (last_was_literal, join_next) = (false, false);
                i += 1;
            }
        }
    }
    let mut seen = std::collections::BTreeSet::new();
    out.into_iter()
        .filter(|s| seen.insert(s.clone()))
        .map(String::into_boxed_str)
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn inputs(tool: &str, text: &str) -> Vec<String> {
        extract(tool, text)
            .unwrap()
            .inputs
            .iter()
            .map(|s| s.to_string())
            .collect()
    }

    #[test]
    fn vite_inputs() {
        let text = r#"
import { resolve } from 'path'
export default defineConfig({
  plugins: [react()],
  build: {
    rollupOptions: {
      // entries
      input: {
        main: resolve(__dirname, 'index.html'),
        'panel': resolve(__dirname, 'src', 'panel.html'),
        worker: './src/worker.ts',
        app: fileURLToPath(new URL('./app.html', import.meta.url)),
      },
      output: { entryFileNames: '[name].js' },
    },
  },
})"#;
        assert_eq!(
            inputs("vite", text),
            ["index.html", "src/panel.html", "./src/worker.ts", "./app.html"]
        );
        assert_eq!(
            inputs("vite", "build: { rollupOptions: { input: 'src/main.ts' } }"),
            ["src/main.ts"]
        );
        assert_eq!(
            inputs("vite", "build: { rollupOptions: { input: ['a.html', \"b.html\"] } }"),
            ["a.html", "b.html"]
        );
        assert_eq!(inputs("vite", "export default { plugins: [] }"), Vec::<String>::new());
        assert_eq!(extract("vite", "").unwrap().bundler, Bundler::Vite);
    }

    #[test]
    fn webpack_entries_and_target() {
        let text = r#"
module.exports = {
  mode: 'production',
  entry: {
    main: './src/index.js',
    vendor: ['./src/a.js', './src/b.js'],
    admin: { import: './src/admin.js', dependOn: 'shared' },
  },
  output: { filename: '[name].js' },
};"#;
        let config = extract("webpack", text).unwrap();
        assert_eq!(
            inputs("webpack", text),
            ["./src/index.js", "./src/a.js", "./src/b.js", "./src/admin.js", "shared"]
        );
        assert!(!config.node_target);
        let node = extract("webpack", "module.exports = { target: 'node', entry: './server.js' }").unwrap();
        assert!(node.node_target);
        assert_eq!(node.inputs, [Box::from("./server.js")]);
        assert_eq!(
            inputs("webpack", "entry: path.join(__dirname, 'src/x.ts'),"),
            ["src/x.ts"]
        );
    }
}
