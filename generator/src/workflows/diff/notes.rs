//! A [`Changelog`] as the changes of a release (a section of the generated
//! crate's `CHANGELOG.md`): grouped breaking / added / changed /
//! deprecated, each line with its reason, in the Markdown of
//! `generator diff --format markdown` (long lists folded in `<details>`).

use super::render::{code, escape, list};
use super::{Change, ChangeKind, Changelog};

/// The groups of a release's changes, in the order they are listed.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Group {
    Breaking,
    Added,
    Changed,
    Deprecated,
}

const GROUPS: [(Group, &str); 4] = [
    (Group::Breaking, "Breaking"),
    (Group::Added, "Added"),
    (Group::Changed, "Changed"),
    (Group::Deprecated, "Deprecated"),
];

fn group_of(change: &Change) -> Group {
    use ChangeKind::*;
    match change.kind {
        _ if change.breaking => Group::Breaking,
        Deprecated | Undeprecated => Group::Deprecated,
        ParameterAdded
        | BodyAdded
        | PagingAdded
        | FieldAdded
        | EnumValueAdded
        | UnionMemberAdded
        | AdditionalPropertiesAdded => Group::Added,
        _ => Group::Changed,
    }
}

/// Every entry of the changelog as (group, Markdown list item).
fn items(changelog: &Changelog) -> Vec<(Group, String)> {
    let mut items = Vec::new();
    let ops = &changelog.operations;
    for (op, word) in ops
        .removed
        .iter()
        .map(|op| (op, "removed"))
        .chain(ops.added.iter().map(|op| (op, "added")))
    {
        let group = if op.breaking {
            Group::Breaking
        } else {
            Group::Added
        };
        let summary = op
            .summary
            .as_deref()
            .map(|s| format!(" ({})", escape(s)))
            .unwrap_or_default();
        let name = code(&format!("{} {}", op.method, op.path));
        let line = format!("- {name} {word}{summary}: {}", escape(&op.reason));
        items.push((group, line));
    }
    for change in &ops.changed {
        let name = code(&format!("{} {}", change.method, change.path));
        items.push(change_item(&name, &change.change));
    }
    let schemas = &changelog.schemas;
    for (schema, word) in schemas
        .removed
        .iter()
        .map(|s| (s, "removed"))
        .chain(schemas.added.iter().map(|s| (s, "added")))
    {
        let group = if schema.breaking {
            Group::Breaking
        } else {
            Group::Added
        };
        let line = format!(
            "- {} ({}) {word}: {}",
            code(&schema.name),
            schema.kind,
            escape(&schema.reason)
        );
        items.push((group, line));
    }
    for change in &schemas.changed {
        items.push(change_item(&code(&change.schema), &change.change));
    }
    items
}

fn change_item(name: &str, change: &Change) -> (Group, String) {
    let line = format!(
        "- {name}: {}: {}",
        escape(&change.summary),
        escape(&change.reason)
    );
    (group_of(change), line)
}

/// The changes grouped, one `####` list (or `<details>`) per group that
/// has any; empty when the changelog is.
pub fn release_notes(changelog: &Changelog) -> String {
    let items = items(changelog);
    let mut out = String::new();
    for (group, title) in GROUPS {
        let lines = items
            .iter()
            .filter(|(g, _)| *g == group)
            .map(|(_, line)| line.clone())
            .collect();
        list(&mut out, title, lines);
    }
    out
}
