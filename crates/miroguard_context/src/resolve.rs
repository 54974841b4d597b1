//! Import specifiers to files of the scanned tree: relative paths with the
//! extensions and `index` files bundlers try, TypeScript's `./x.js` naming
//! `./x.ts`, `tsconfig`/`jsconfig` `paths` and `baseUrl`, and packages of the
//! same repository imported by name.

use crate::manifest::{PackageSignals, TsConfig};
use crate::paths::{self, SCRIPT_EXTENSIONS, ancestors, dir_of, file_name, is_script, join};
use crate::signals::package_name;
use std::collections::{BTreeMap, HashMap, HashSet};
use std::fmt::Write as _;

/// How deep `extends` chains are followed (they can loop).
const MAX_EXTENDS: usize = 8;

/// One `paths` pattern, its substitutions already made scan-relative.
#[derive(Debug)]
struct AliasRule {
    prefix: String,
    /// Empty when the pattern has no `*` (then it must match exactly).
    suffix: String,
    wildcard: bool,
    targets: Vec<String>,
}

impl AliasRule {
    /// What `*` stands for when `spec` matches.
    fn capture<'s>(&self, spec: &'s str) -> Option<&'s str> {
        if !self.wildcard {
            return (spec == self.prefix).then_some("");
        }
        let rest = spec.strip_prefix(self.prefix.as_str())?;
        rest.strip_suffix(self.suffix.as_str())
    }
}

/// The aliases in force in one directory (the merged configs found there).
#[derive(Debug, Default)]
struct Aliases {
    base_url: Option<String>,
    rules: Vec<AliasRule>,
}

/// A package of this tree that others import by name (a workspace package).
#[derive(Debug)]
struct LocalPackage<'a> {
    dir: &'a str,
    main: &'a [Box<str>],
}

/// Resolves specifiers against the registered files.
pub(crate) struct Resolver<'a> {
    files: &'a HashMap<&'a str, usize>,
    /// Directories holding a `tsconfig*.json` / `jsconfig*.json`.
    config_dirs: HashSet<&'a str>,
    aliases: HashMap<&'a str, Aliases>,
    packages: HashMap<&'a str, LocalPackage<'a>>,
}

impl<'a> Resolver<'a> {
    /// `files` maps every registered path to its index; `tsconfigs` holds the
    /// configs that said something, `packages` the `package.json`s that did.
    pub(crate) fn new(
        files: &'a HashMap<&'a str, usize>,
        all_paths: &'a [String],
        tsconfigs: &BTreeMap<&'a str, &'a TsConfig>,
        packages: &BTreeMap<&'a str, &'a PackageSignals>,
    ) -> Resolver<'a> {
        let config_dirs = all_paths
            .iter()
            .filter(|p| is_ts_config_name(file_name(p)))
            .map(|p| dir_of(p))
            .collect();
        let mut by_dir: BTreeMap<&str, Vec<&str>> = BTreeMap::new();
        for path in tsconfigs.keys() {
            by_dir.entry(dir_of(path)).or_default().push(path);
        }
        let mut aliases = HashMap::new();
        for (dir, mut configs) in by_dir {
            // The configs TypeScript reads by default first, then the others
            // (`tsconfig.app.json` of Vite's template) in name order.
            configs.sort_by_key(|path| (!matches!(file_name(path), "tsconfig.json" | "jsconfig.json"), *path));
            let mut merged = Aliases::default();
            for path in configs {
                let (base_url, paths) = effective(path, tsconfigs, 0);
                if merged.base_url.is_none() {
                    merged.base_url.clone_from(&base_url);
                }
                if let Some((paths, paths_dir)) = paths {
                    let base = base_url.as_deref().unwrap_or(paths_dir);
                    for (pattern, targets) in paths {
                        if merged.rules.iter().any(|rule| rule_pattern(rule) == **pattern) {
                            continue;
                        }
                        let (prefix, suffix, wildcard) = match pattern.split_once('*') {
                            Some((prefix, suffix)) => (prefix, suffix, true),
                            None => (&**pattern, "", false),
                        };
                        merged.rules.push(AliasRule {
                            prefix: prefix.to_string(),
                            suffix: suffix.to_string(),
                            wildcard,
                            targets: targets.iter().filter_map(|target| join(base, target)).collect(),
                        });
                    }
                }
            }
            // TypeScript prefers the pattern with the longest prefix; exact patterns first.
            merged
                .rules
                .sort_by_key(|rule| (rule.wildcard, std::cmp::Reverse(rule.prefix.len())));
            aliases.insert(dir, merged);
        }
        let mut local = HashMap::new();
        for (path, package) in packages {
            // Installed packages are not part of the project's own code.
            if path.split('/').any(|segment| segment == "node_modules") {
                continue;
            }
            if let Some(name) = package.name.as_deref() {
                local.entry(name).or_insert(LocalPackage {
                    dir: dir_of(path),
                    main: &package.main,
                });
            }
        }
        Resolver {
            files,
            config_dirs,
            aliases,
            packages: local,
        }
    }

    /// The file `spec`, imported by `importer`, names, if it is a registered
    /// module; `buf` is scratch space reused across calls.
    pub(crate) fn resolve(&self, importer: &str, spec: &str, buf: &mut String) -> Option<usize> {
        // Vite-style queries (`./worker?worker`) do not change the file.
        let spec = spec.split('?').next().unwrap_or(spec);
        if spec.starts_with("./") || spec.starts_with("../") || spec == "." || spec == ".." {
            return self.module(&join(dir_of(importer), spec)?, buf);
        }
        if spec.is_empty() || spec.starts_with('/') || spec.contains(':') {
            return None;
        }
        if let Some(aliases) = self.aliases_for(importer) {
            for rule in &aliases.rules {
                let Some(star) = rule.capture(spec) else { continue };
                for target in &rule.targets {
                    if let Some(found) = self.module(&target.replacen('*', star, 1), buf) {
                        return Some(found);
                    }
                }
            }
            if let Some(found) = aliases.base_url.as_deref().and_then(|base| join(base, spec)) {
                if let Some(found) = self.module(&found, buf) {
                    return Some(found);
                }
            }
        }
        let name = package_name(spec);
        let package = self.packages.get(name)?;
        let subpath = spec[name.len()..].trim_start_matches('/');
        if !subpath.is_empty() {
            return self.module(&join(package.dir, subpath)?, buf);
        }
        package
            .main
            .iter()
            .filter_map(|main| join(package.dir, main))
            .chain(
                ["index", "src/index"]
                    .into_iter()
                    .map(|index| paths::child(package.dir, index)),
            )
            .find_map(|candidate| self.module(&candidate, buf))
    }

    /// The module at `path` (scan-relative, no `..` left): the file itself,
    /// the TypeScript file a `.js` name stands for, the file with an added
    /// extension, or the directory's `index` file.
    pub(crate) fn module(&self, path: &str, buf: &mut String) -> Option<usize> {
        let lookup = |candidate: &str| self.files.get(candidate).copied().filter(|_| is_script(candidate));
        if let Some(found) = lookup(path) {
            return Some(found);
        }
        let swapped: &[&str] = match paths::extension(path) {
            Some("js") => &["ts", "tsx"],
            Some("jsx") => &["tsx"],
            Some("mjs") => &["mts"],
            Some("cjs") => &["cts"],
            _ => &[],
        };
        for ext in swapped {
            buf.clear();
            let stem_end = path.len() - paths::extension(path).map_or(0, str::len);
            buf.push_str(&path[..stem_end]);
            buf.push_str(ext);
            if let Some(found) = lookup(buf) {
                return Some(found);
            }
        }
        for ext in SCRIPT_EXTENSIONS {
            buf.clear();
            let _ = write!(buf, "{path}.{ext}");
            if let Some(found) = lookup(buf) {
                return Some(found);
            }
        }
        for ext in SCRIPT_EXTENSIONS {
            buf.clear();
            if path.is_empty() {
                let _ = write!(buf, "index.{ext}");
            } else {
                let _ = write!(buf, "{path}/index.{ext}");
            }
            if let Some(found) = lookup(buf) {
                return Some(found);
            }
        }
        None
    }

    /// The aliases of the nearest directory above `importer` that holds a
    /// TypeScript or JavaScript project config.
    fn aliases_for(&self, importer: &str) -> Option<&Aliases> {
        let dir = ancestors(dir_of(importer)).find(|dir| self.config_dirs.contains(dir))?;
        self.aliases.get(dir)
    }
}

fn rule_pattern(rule: &AliasRule) -> String {
    if rule.wildcard {
        format!("{}*{}", rule.prefix, rule.suffix)
    } else {
        rule.prefix.clone()
    }
}

/// Whether `name` is a TypeScript or JavaScript project config.
pub(crate) fn is_ts_config_name(name: &str) -> bool {
    (name.starts_with("tsconfig") || name.starts_with("jsconfig")) && name.ends_with(".json")
}

type PathsOf<'t> = Option<(&'t [(Box<str>, Vec<Box<str>>)], &'t str)>;

/// The `baseUrl` (scan-relative) and the `paths` (with the directory they are
/// relative to when there is no `baseUrl`) of the config at `path`,
/// inherited through relative `extends` where the config does not set them.
fn effective<'t>(
    path: &'t str,
    configs: &BTreeMap<&'t str, &'t TsConfig>,
    depth: usize,
) -> (Option<String>, PathsOf<'t>) {
    let Some(config) = configs.get(path) else {
        return (None, None);
    };
    let dir = dir_of(path);
    let mut base_url = config.base_url.as_deref().and_then(|base| join(dir, base));
    let mut paths = (!config.paths.is_empty()).then_some((config.paths.as_slice(), dir));
    if depth < MAX_EXTENDS && (base_url.is_none() || paths.is_none()) {
        // With several bases, later ones override earlier ones.
        for parent in config.extends.iter().rev() {
            let Some(target) = join(dir, parent) else { continue };
            let with_json = format!("{target}.json");
            let Some(found) = [target.as_str(), with_json.as_str()]
                .into_iter()
                .find_map(|candidate| configs.get_key_value(candidate).map(|(key, _)| *key))
            else {
                continue;
            };
            let (parent_base, parent_paths) = effective(found, configs, depth + 1);
            base_url = base_url.or(parent_base);
            paths = paths.or(parent_paths);
        }
    }
    (base_url, paths)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::manifest::{package_json, tsconfig};

    struct Tree {
        paths: Vec<String>,
        configs: Vec<(String, TsConfig)>,
        packages: Vec<(String, PackageSignals)>,
    }

    impl Tree {
        fn new(files: &[&str]) -> Tree {
            let mut paths: Vec<String> = files.iter().map(|f| f.to_string()).collect();
            paths.sort();
            Tree {
                paths,
                configs: Vec::new(),
                packages: Vec::new(),
            }
        }

        fn config(mut self, path: &str, text: &str) -> Tree {
            self.paths.push(path.to_string());
            self.paths.sort();
            self.configs.push((path.to_string(), tsconfig(text).unwrap()));
            self
        }

        fn package(mut self, path: &str, text: &str) -> Tree {
            self.paths.push(path.to_string());
            self.paths.sort();
            self.packages.push((path.to_string(), package_json(text).unwrap()));
            self
        }

        fn check(&self, cases: &[(&str, &str, Option<&str>)]) {
            let index: HashMap<&str, usize> = self.paths.iter().enumerate().map(|(i, p)| (p.as_str(), i)).collect();
            let configs = self.configs.iter().map(|(p, c)| (p.as_str(), c)).collect();
            let packages = self.packages.iter().map(|(p, c)| (p.as_str(), c)).collect();
            let resolver = Resolver::new(&index, &self.paths, &configs, &packages);
            let mut buf = String::new();
            for (importer, spec, expected) in cases {
                let got = resolver
                    .resolve(importer, spec, &mut buf)
                    .map(|i| self.paths[i].as_str());
                assert_eq!(got, *expected, "{spec} from {importer}");
            }
        }
    }

    #[test]
    fn relative_specifiers() {
        Tree::new(&[
            "src/main.tsx",
            "src/App.tsx",
            "src/util/index.ts",
            "src/lib/api.ts",
            "src/legacy.js",
            "src/style.css",
            "src/esm.mts",
            "index.js",
        ])
        .check(&[
            ("src/main.tsx", "./App", Some("src/App.tsx")),
            ("src/main.tsx", "./App.tsx", Some("src/App.tsx")),
            ("src/main.tsx", "./util", Some("src/util/index.ts")),
            ("src/lib/api.ts", "../util/index.js", Some("src/util/index.ts")),
            ("src/lib/api.ts", "../legacy.js", Some("src/legacy.js")),
            ("src/lib/api.ts", "..", None),
            ("src/main.tsx", "./lib/api.js", Some("src/lib/api.ts")),
            ("src/main.tsx", "./esm.mjs", Some("src/esm.mts")),
            ("src/main.tsx", "./App?raw", Some("src/App.tsx")),
            ("src/main.tsx", "./style.css", None),
            ("src/main.tsx", "./missing", None),
            ("src/main.tsx", "../../outside", None),
            ("src/main.tsx", "..", Some("index.js")),
            ("src/main.tsx", "react", None),
            ("src/main.tsx", "node:fs", None),
        ]);
    }

    #[test]
    fn tsconfig_paths_and_base_url() {
        Tree::new(&["web/src/components/Button.tsx", "web/src/main.ts", "web/lib/index.ts", "web/src/shared/x.ts", "other/a.ts"])
            .config(
                "web/tsconfig.json",
                r#"{ "compilerOptions": { "paths": { "@/*": ["./src/*"], "~lib": ["lib/index.ts"], "@components/*": ["src/components/*"] } } }"#,
            )
            .config("web/src/shared/tsconfig.json", r#"{ "extends": "../../tsconfig.json", "compilerOptions": { "baseUrl": "." } }"#)
            .check(&[
                ("web/src/main.ts", "@/components/Button", Some("web/src/components/Button.tsx")),
                ("web/src/main.ts", "@components/Button", Some("web/src/components/Button.tsx")),
                ("web/src/main.ts", "~lib", Some("web/lib/index.ts")),
                ("web/src/main.ts", "~lib/x", None),
                // Paths inherited through `extends`, but relative to the new baseUrl.
                ("web/src/shared/x.ts", "@/components/Button", None),
                ("web/src/shared/x.ts", "x", Some("web/src/shared/x.ts")),
                ("other/a.ts", "@/components/Button", None),
            ]);
    }

    #[test]
    fn vite_template_configs_and_base_url() {
        Tree::new(&["src/App.tsx", "src/hooks/useBoard.ts"])
            .config("tsconfig.json", r#"{ "files": [], "references": [{ "path": "./tsconfig.app.json" }], "compilerOptions": {} , "extends": "./none.json" }"#)
            .config("tsconfig.app.json", r#"{ "compilerOptions": { "baseUrl": "src", "paths": { "@/*": ["*"] } } }"#)
            .check(&[
                ("src/App.tsx", "@/hooks/useBoard", Some("src/hooks/useBoard.ts")),
                ("src/App.tsx", "hooks/useBoard", Some("src/hooks/useBoard.ts")),
            ]);
    }

    #[test]
    fn workspace_packages_by_name() {
        Tree::new(&[
            "packages/shared/src/index.ts",
            "packages/shared/src/env.ts",
            "node_modules/lodash/index.js",
            "apps/web/main.ts",
        ])
        .package(
            "packages/shared/package.json",
            r#"{ "name": "@acme/shared", "main": "./dist/index.js" }"#,
        )
        .package(
            "node_modules/lodash/package.json",
            r#"{ "name": "lodash", "main": "index.js" }"#,
        )
        .check(&[
            ("apps/web/main.ts", "@acme/shared", Some("packages/shared/src/index.ts")),
            (
                "apps/web/main.ts",
                "@acme/shared/src/env",
                Some("packages/shared/src/env.ts"),
            ),
            ("apps/web/main.ts", "lodash", None),
        ]);
    }
}
