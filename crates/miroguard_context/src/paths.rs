//! Scan-relative, `/`-separated paths: names, directories, joins, and what a
//! file is by its name alone.

/// Extensions of JavaScript and TypeScript modules, in the order an
/// extensionless import specifier tries them.
pub(crate) const SCRIPT_EXTENSIONS: [&str; 8] = ["ts", "tsx", "js", "jsx", "mjs", "cjs", "mts", "cts"];

/// The last segment of `path`.
pub(crate) fn file_name(path: &str) -> &str {
    path.rsplit('/').next().unwrap_or(path)
}

/// The directory of `path`: `""` for a file at the scan root.
pub(crate) fn dir_of(path: &str) -> &str {
    path.rfind('/').map_or("", |slash| &path[..slash])
}

/// The extension of the file name, without the dot.
pub(crate) fn extension(path: &str) -> Option<&str> {
    let name = file_name(path);
    let dot = name.rfind('.')?;
    // A leading dot names a hidden file, not an extension.
    (dot > 0).then(|| &name[dot + 1..])
}

/// The file name without its extension.
pub(crate) fn stem(path: &str) -> &str {
    let name = file_name(path);
    match name.rfind('.') {
        Some(dot) if dot > 0 => &name[..dot],
        _ => name,
    }
}

/// Whether `path` is a JavaScript or TypeScript module.
pub(crate) fn is_script(path: &str) -> bool {
    extension(path).is_some_and(|ext| SCRIPT_EXTENSIONS.contains(&ext))
}

/// Whether `path` is Rust source.
pub(crate) fn is_rust(path: &str) -> bool {
    extension(path) == Some("rs")
}

/// Whether `path` is an HTML page.
pub(crate) fn is_html(path: &str) -> bool {
    matches!(extension(path), Some("html" | "htm"))
}

/// `dir` joined with `relative`, with `.` and `..` segments folded away.
/// Paths outside the scan's directory keep their form: an absolute `dir`
/// stays absolute (`None` when `..` climbs above `/`), and `..` above the
/// scan root stays a leading `..` (as the engine shows files outside it).
pub(crate) fn join(dir: &str, relative: &str) -> Option<String> {
    let absolute = dir.starts_with('/');
    let mut segments: Vec<&str> = Vec::new();
    for segment in dir.split('/').chain(relative.split('/')) {
        match segment {
            "" | "." => {}
            ".." => match segments.last() {
                Some(&last) if last != ".." => {
                    segments.pop();
                }
                _ if absolute => return None,
                _ => segments.push(".."),
            },
            _ => segments.push(segment),
        }
    }
    let joined = segments.join("/");
    Some(if absolute { format!("/{joined}") } else { joined })
}

/// `dir` and each directory above it, ending with the scan root `""`.
pub(crate) fn ancestors(dir: &str) -> impl Iterator<Item = &str> {
    let mut next = Some(dir);
    std::iter::from_fn(move || {
        let current = next?;
        next = if current.is_empty() {
            None
        } else {
            Some(dir_of(current))
        };
        Some(current)
    })
}

/// `path` relative to the directory `root` (`""` is the scan root).
pub(crate) fn strip_dir<'a>(path: &'a str, root: &str) -> Option<&'a str> {
    if root.is_empty() {
        return Some(path);
    }
    path.strip_prefix(root)?.strip_prefix('/')
}

/// `dir` and `name` as one path.
pub(crate) fn child(dir: &str, name: &str) -> String {
    if dir.is_empty() {
        name.to_string()
    } else {
        format!("{dir}/{name}")
    }
}

/// Tools whose `<tool>.config.<js-ext>` file is build configuration.
const CONFIG_TOOLS: [&str; 16] = [
    "vite", "webpack", "next", "rollup", "svelte", "nuxt", "astro", "tailwind", "postcss", "babel", "jest", "vitest",
    "eslint", "prettier", "tsup", "esbuild",
];

/// The tool a build-configuration file configures, from its name: `vite`
/// for `vite.config.ts`, `webpack` for `webpack.prod.js`.
pub(crate) fn build_config_tool(path: &str) -> Option<&'static str> {
    let name = file_name(path);
    let ext = extension(name)?;
    if !matches!(ext, "js" | "cjs" | "mjs" | "ts" | "mts" | "cts") {
        return None;
    }
    let base = &name[..name.len() - ext.len() - 1];
    if let Some(tool) = base.strip_suffix(".config") {
        return CONFIG_TOOLS.iter().copied().find(|known| *known == tool);
    }
    // webpack.dev.js, webpack.config.prod.js, webpack.common.js …
    if base.starts_with("webpack.") && matches!(ext, "js" | "cjs" | "mjs") {
        return Some("webpack");
    }
    None
}

/// Whether `name` is a Next.js configuration file.
pub(crate) fn is_next_config(name: &str) -> bool {
    build_config_tool(name) == Some("next")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn names_and_dirs() {
        assert_eq!(file_name("src/a/b.ts"), "b.ts");
        assert_eq!(dir_of("src/a/b.ts"), "src/a");
        assert_eq!(dir_of("b.ts"), "");
        assert_eq!(extension("src/.env"), None);
        assert_eq!(extension("a/b.test.tsx"), Some("tsx"));
        assert_eq!(stem("a/page.tsx"), "page");
        assert!(is_script("x.mts") && !is_script("x.d") && is_rust("src/lib.rs") && is_html("a/index.html"));
    }

    #[test]
    fn joins_fold_dots() {
        assert_eq!(join("src/a", "./b").as_deref(), Some("src/a/b"));
        assert_eq!(join("src/a", "../b/./c").as_deref(), Some("src/b/c"));
        assert_eq!(join("", "x//y").as_deref(), Some("x/y"));
        // Outside the scanned directory, paths keep their form.
        assert_eq!(join("src", "../../x").as_deref(), Some("../x"));
        assert_eq!(join("../app", "src/./main.ts").as_deref(), Some("../app/src/main.ts"));
        assert_eq!(join("../app", "../../x").as_deref(), Some("../../x"));
        assert_eq!(join("/tmp/app", "src/main.ts").as_deref(), Some("/tmp/app/src/main.ts"));
        assert_eq!(join("/tmp/app", "../b").as_deref(), Some("/tmp/b"));
        assert_eq!(join("/tmp", "../../x"), None);
    }

    #[test]
    fn ancestors_end_at_the_root() {
        assert_eq!(ancestors("a/b/c").collect::<Vec<_>>(), ["a/b/c", "a/b", "a", ""]);
        assert_eq!(ancestors("").collect::<Vec<_>>(), [""]);
        assert_eq!(strip_dir("a/b/c.ts", "a"), Some("b/c.ts"));
        assert_eq!(strip_dir("ab/c.ts", "a"), None);
    }

    #[test]
    fn build_configs_by_name() {
        assert_eq!(build_config_tool("vite.config.ts"), Some("vite"));
        assert_eq!(build_config_tool("app/next.config.mjs"), Some("next"));
        assert_eq!(build_config_tool("webpack.prod.js"), Some("webpack"));
        assert_eq!(build_config_tool("tailwind.config.cjs"), Some("tailwind"));
        assert_eq!(build_config_tool("vite.config.json"), None);
        assert_eq!(build_config_tool("my.config.ts"), None);
        assert_eq!(build_config_tool("src/config.ts"), None);
    }
}
