//! The rule docs (`docs/rules/<id>.md`) and the README's rule table are
//! generated from `rules/*.toml`; this test fails when they are stale.
//! Regenerate with `MIROGUARD_UPDATE_DOCS=1 cargo test --test docs`.

use miroguard_rules::{Registry, Rule};
use std::path::{Path, PathBuf};

const TABLE_BEGIN: &str = "<!-- rules:begin (generated from rules/*.toml by tests/docs.rs) -->";
const TABLE_END: &str = "<!-- rules:end -->";

fn repo() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("../..")
        .canonicalize()
        .expect("repository root")
}

fn rule_doc(rule: &dyn Rule) -> String {
    let meta = rule.meta();
    let mut doc = format!(
        "<!-- Generated from rules/{id}.toml by tests/docs.rs: edit that file, then run `MIROGUARD_UPDATE_DOCS=1 cargo test --test docs`. -->\n\n# {title} (`{id}`)\n\n{description}\n\n| | |\n|---|---|\n| Default severity | {severity} |\n| Guideline | {guideline} |\n| CWE | {cwe} |\n| Precision | {precision} |\n| Languages | {languages} |\n\n{help}\n",
        id = meta.id,
        title = meta.title,
        description = meta.description,
        severity = meta.severity,
        guideline = meta.guideline.as_deref().unwrap_or("—"),
        cwe = if meta.cwe.is_empty() {
            "—".to_string()
        } else {
            meta.cwe.join(", ")
        },
        precision = meta.precision.as_str(),
        languages = meta.languages.join(", "),
        help = meta.help.trim(),
    );
    if let Some(extra) = rule.extra_docs() {
        doc.push('\n');
        doc.push_str(extra.trim_end());
        doc.push('\n');
    }
    doc
}

fn readme_table(registry: &Registry) -> String {
    let mut table = String::from("| Rule | Default severity | Guideline | Finds |\n|---|---|---|---|\n");
    for rule in registry.rules() {
        let meta = rule.meta();
        table.push_str(&format!(
            "| [`{id}`](docs/rules/{id}.md) | {severity} | {guideline} | {title} |\n",
            id = meta.id,
            severity = meta.severity,
            guideline = meta.guideline.as_deref().unwrap_or("—"),
            title = meta.title,
        ));
    }
    table
}

/// Compares `path` with `expected`, or writes it when updating.
fn check(path: &Path, expected: &str, stale: &mut Vec<String>) {
    let current = std::fs::read_to_string(path).unwrap_or_default();
    if current == expected {
        return;
    }
    if std::env::var("MIROGUARD_UPDATE_DOCS").as_deref() == Ok("1") {
        std::fs::create_dir_all(path.parent().expect("has a parent")).expect("create docs dir");
        std::fs::write(path, expected).expect("write generated doc");
    } else {
        stale.push(path.display().to_string());
    }
}

#[test]
fn generated_docs_are_up_to_date() {
    let registry = Registry::builtin().expect("rules load");
    let repo = repo();
    let mut stale = Vec::new();
    for rule in registry.rules() {
        check(
            &repo.join("docs/rules").join(format!("{}.md", rule.id())),
            &rule_doc(rule.as_ref()),
            &mut stale,
        );
    }
    let readme_path = repo.join("README.md");
    let readme = std::fs::read_to_string(&readme_path).expect("README.md");
    let (Some(begin), Some(end)) = (readme.find(TABLE_BEGIN), readme.find(TABLE_END)) else {
        panic!("README.md lacks the rule table markers `{TABLE_BEGIN}` … `{TABLE_END}`");
    };
    let expected = format!(
        "{}{TABLE_BEGIN}\n\n{}\n{}",
        &readme[..begin],
        readme_table(&registry),
        &readme[end..]
    );
    check(&readme_path, &expected, &mut stale);
    assert!(
        stale.is_empty(),
        "stale generated docs: {}\nrun `MIROGUARD_UPDATE_DOCS=1 cargo test --test docs`",
        stale.join(", ")
    );
}

#[test]
fn no_stray_rule_docs() {
    let registry = Registry::builtin().expect("rules load");
    for entry in std::fs::read_dir(repo().join("docs/rules"))
        .expect("docs/rules")
        .flatten()
    {
        let name = entry.file_name().to_string_lossy().into_owned();
        let id = name.strip_suffix(".md").unwrap_or(&name);
        assert!(registry.get(id).is_some(), "docs/rules/{name} documents no rule");
    }
}
