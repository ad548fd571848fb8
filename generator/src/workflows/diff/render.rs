//! A [`Changelog`] as text (for a terminal, coloured on request), Markdown
//! (for a pull-request description) or JSON (for tools).

use std::fmt::Write as _;

use super::{Change, Changelog, OperationEntry, SchemaEntry, Section};

/// The output formats of `generator diff`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Format {
    Text,
    Markdown,
    Json,
}

/// Renders in a format; `color` only affects text.
pub fn render(changelog: &Changelog, format: Format, color: bool) -> String {
    match format {
        Format::Text => text(changelog, color),
        Format::Markdown => markdown(changelog),
        Format::Json => json(changelog),
    }
}

/// Pretty-printed JSON: `{old, new, breaking, operations: {added, removed,
/// changed}, schemas: {added, removed, changed}}`.
pub fn json(changelog: &Changelog) -> String {
    #[derive(serde::Serialize)]
    struct Document<'a> {
        old: &'a super::VersionInfo,
        new: &'a super::VersionInfo,
        /// How many entries are breaking, of how many.
        breaking: usize,
        total: usize,
        operations: &'a Section<OperationEntry, super::OperationChange>,
        schemas: &'a Section<SchemaEntry, super::SchemaChange>,
    }
    let document = Document {
        old: &changelog.old,
        new: &changelog.new,
        breaking: changelog.breaking_count(),
        total: changelog.total_count(),
        operations: &changelog.operations,
        schemas: &changelog.schemas,
    };
    let mut out = serde_json::to_string_pretty(&document).expect("a changelog serializes");
    out.push('\n');
    out
}

fn version(info: &super::VersionInfo) -> String {
    let mut out = format!("{} {}", info.title, info.version);
    if !info.source.is_empty() {
        let _ = write!(out, " ({})", info.source);
    }
    out
}

/// One side of a changelog as a Markdown code span: `Title 1.0 (source)`.
pub fn markdown_source(info: &super::VersionInfo) -> String {
    code(&version(info))
}

/// Changes grouped by what they belong to, in order.
fn grouped<'a, C>(
    changed: &'a [C],
    key: impl Fn(&'a C) -> String,
    change: impl Fn(&'a C) -> &'a Change,
) -> Vec<(String, Vec<&'a Change>)> {
    let mut groups: Vec<(String, Vec<&'a Change>)> = Vec::new();
    for item in changed {
        let k = key(item);
        match groups.last_mut() {
            Some((last, changes)) if *last == k => changes.push(change(item)),
            _ => groups.push((k, vec![change(item)])),
        }
    }
    groups
}

fn counts<A, C>(
    section: &Section<A, C>,
    key: impl Fn(&C) -> String,
    change: impl Fn(&C) -> &Change,
) -> String {
    let changed = grouped(&section.changed, key, change).len();
    format!(
        "{} added, {} removed, {} changed",
        section.added.len(),
        section.removed.len(),
        changed
    )
}

fn operation_key(c: &super::OperationChange) -> String {
    format!("{} {}", c.method, c.path)
}

fn schema_key(c: &super::SchemaChange) -> String {
    c.schema.clone()
}

// ---------------------------------------------------------------------------
// Text
// ---------------------------------------------------------------------------

struct Paint {
    on: bool,
}

impl Paint {
    fn wrap(&self, code: &str, text: &str) -> String {
        if self.on {
            format!("\x1b[{code}m{text}\x1b[0m")
        } else {
            text.to_owned()
        }
    }

    fn verdict(&self, breaking: bool) -> String {
        if breaking {
            self.wrap("1;31", "BREAKING")
        } else {
            self.wrap("32", "non-breaking")
        }
    }
}

/// Plain text, one change a line, each with its verdict and reason;
/// ANSI colours when `color`.
pub fn text(changelog: &Changelog, color: bool) -> String {
    let paint = Paint { on: color };
    let mut out = String::new();
    let _ = writeln!(
        out,
        "{}",
        paint.wrap(
            "1",
            &format!(
                "API changes from {} to {}",
                version(&changelog.old),
                version(&changelog.new)
            )
        )
    );
    let _ = writeln!(
        out,
        "Operations: {}",
        counts(&changelog.operations, operation_key, |c| &c.change)
    );
    let _ = writeln!(
        out,
        "Schemas: {}",
        counts(&changelog.schemas, schema_key, |c| &c.change)
    );
    let breaking = changelog.breaking_count();
    let total = changelog.total_count();
    let verdict = format!(
        "{breaking} breaking, {} non-breaking change{}",
        total - breaking,
        if total - breaking == 1 { "" } else { "s" }
    );
    let _ = writeln!(
        out,
        "{}",
        if breaking > 0 {
            paint.wrap("1;31", &verdict)
        } else {
            paint.wrap("32", &verdict)
        }
    );
    if changelog.is_empty() {
        return out;
    }
    let _ = writeln!(
        out,
        "(breaking: code using the crate generated from the old version stops compiling or changes meaning)"
    );

    let ops = &changelog.operations;
    let entry_line =
        |out: &mut String, sign: &str, code: &str, name: &str, breaking, reason: &str| {
            let _ = writeln!(
                out,
                "  {} {} — {}: {}",
                paint.wrap(code, sign),
                paint.wrap("1", name),
                paint.verdict(breaking),
                reason
            );
        };
    let change_lines = |out: &mut String, name: &str, changes: &[&Change]| {
        let _ = writeln!(out, "  {} {}", paint.wrap("33", "~"), paint.wrap("1", name));
        for change in changes {
            let _ = writeln!(
                out,
                "      {}: {} — {}",
                paint.verdict(change.breaking),
                change.summary,
                change.reason
            );
        }
    };
    if !ops.added.is_empty() || !ops.removed.is_empty() || !ops.changed.is_empty() {
        let _ = writeln!(out, "\n{}", paint.wrap("1", "Operations"));
    }
    for op in &ops.added {
        entry_line(
            &mut out,
            "+",
            "32",
            &format!("{} {}", op.method, op.path),
            op.breaking,
            &op.reason,
        );
    }
    for op in &ops.removed {
        entry_line(
            &mut out,
            "-",
            "31",
            &format!("{} {}", op.method, op.path),
            op.breaking,
            &op.reason,
        );
    }
    for (name, changes) in grouped(&ops.changed, operation_key, |c| &c.change) {
        change_lines(&mut out, &name, &changes);
    }

    let schemas = &changelog.schemas;
    if !schemas.added.is_empty() || !schemas.removed.is_empty() || !schemas.changed.is_empty() {
        let _ = writeln!(out, "\n{}", paint.wrap("1", "Schemas"));
    }
    for schema in &schemas.added {
        entry_line(
            &mut out,
            "+",
            "32",
            &format!("{} ({})", schema.name, schema.kind),
            schema.breaking,
            &schema.reason,
        );
    }
    for schema in &schemas.removed {
        entry_line(
            &mut out,
            "-",
            "31",
            &format!("{} ({})", schema.name, schema.kind),
            schema.breaking,
            &schema.reason,
        );
    }
    for (name, changes) in grouped(&schemas.changed, schema_key, |c| &c.change) {
        change_lines(&mut out, &name, &changes);
    }
    out
}

// ---------------------------------------------------------------------------
// Markdown
// ---------------------------------------------------------------------------

/// Lists longer than this are folded into `<details>`.
const FOLD_AFTER: usize = 20;

/// Markdown for a pull-request description: counts, then the operations
/// and schemas added, removed and changed, every line with its verdict.
pub fn markdown(changelog: &Changelog) -> String {
    let mut out = String::new();
    let _ = writeln!(
        out,
        "## API changes\n\nFrom {} to {}.\n",
        code(&version(&changelog.old)),
        code(&version(&changelog.new))
    );
    let ops = &changelog.operations;
    let schemas = &changelog.schemas;
    let op_groups = grouped(&ops.changed, operation_key, |c| &c.change);
    let schema_groups = grouped(&schemas.changed, schema_key, |c| &c.change);
    let _ = writeln!(out, "| | added | removed | changed |\n|---|---:|---:|---:|");
    let _ = writeln!(
        out,
        "| operations | {} | {} | {} |",
        ops.added.len(),
        ops.removed.len(),
        op_groups.len()
    );
    let _ = writeln!(
        out,
        "| schemas | {} | {} | {} |\n",
        schemas.added.len(),
        schemas.removed.len(),
        schema_groups.len()
    );
    let breaking = changelog.breaking_count();
    let total = changelog.total_count();
    if breaking > 0 {
        let _ = writeln!(
            out,
            "**{breaking} breaking change{}** (of {total}): code using the crate generated from the old version stops compiling or changes meaning. Each line says why.\n",
            if breaking == 1 { "" } else { "s" }
        );
    } else {
        let _ = writeln!(out, "No breaking changes ({total} in all).\n");
    }

    if !ops.added.is_empty() || !ops.removed.is_empty() || !op_groups.is_empty() {
        let _ = writeln!(out, "### Operations\n");
    }
    let op_line = |op: &OperationEntry| {
        let mut line = format!(
            "- {} {}",
            verdict(op.breaking),
            code(&format!("{} {}", op.method, op.path))
        );
        if let Some(summary) = &op.summary {
            let _ = write!(line, " ({})", escape(summary));
        }
        let _ = write!(line, ": {}", escape(&op.reason));
        line
    };
    list(&mut out, "Added", ops.added.iter().map(op_line).collect());
    list(
        &mut out,
        "Removed",
        ops.removed.iter().map(op_line).collect(),
    );
    list(&mut out, "Changed", changed_lines(&op_groups));

    if !schemas.added.is_empty() || !schemas.removed.is_empty() || !schema_groups.is_empty() {
        let _ = writeln!(out, "### Schemas\n");
    }
    let schema_line = |schema: &SchemaEntry| {
        format!(
            "- {} {} ({}): {}",
            verdict(schema.breaking),
            code(&schema.name),
            schema.kind,
            escape(&schema.reason)
        )
    };
    list(
        &mut out,
        "Added",
        schemas.added.iter().map(schema_line).collect(),
    );
    list(
        &mut out,
        "Removed",
        schemas.removed.iter().map(schema_line).collect(),
    );
    list(&mut out, "Changed", changed_lines(&schema_groups));
    out
}

fn verdict(breaking: bool) -> &'static str {
    if breaking {
        "**breaking**"
    } else {
        "non-breaking"
    }
}

fn changed_lines(groups: &[(String, Vec<&Change>)]) -> Vec<String> {
    groups
        .iter()
        .map(|(name, changes)| {
            let mut item = format!("- {}", code(name));
            for change in changes {
                let _ = write!(
                    item,
                    "\n  - {} {}: {}",
                    verdict(change.breaking),
                    escape(&change.summary),
                    escape(&change.reason)
                );
            }
            item
        })
        .collect()
}

/// A titled list; long ones folded.
pub(super) fn list(out: &mut String, title: &str, items: Vec<String>) {
    if items.is_empty() {
        return;
    }
    let heading = format!("{title} ({})", items.len());
    if items.len() > FOLD_AFTER {
        let _ = writeln!(
            out,
            "<details>\n<summary>{heading}</summary>\n\n{}\n\n</details>\n",
            items.join("\n")
        );
    } else {
        let _ = writeln!(out, "#### {heading}\n\n{}\n", items.join("\n"));
    }
}

/// An inline code span that survives backticks in its text.
pub(super) fn code(text: &str) -> String {
    if text.contains('`') {
        format!("`` {text} ``")
    } else {
        format!("`{text}`")
    }
}

/// Escapes Markdown and HTML outside `code spans`, so enum values and
/// descriptions cannot start emphasis or tags.
pub(super) fn escape(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    let mut in_code = false;
    for c in text.chars() {
        if c == '`' {
            in_code = !in_code;
            out.push(c);
            continue;
        }
        if !in_code && matches!(c, '*' | '_' | '<' | '>' | '[' | ']' | '\\' | '|') {
            out.push('\\');
        }
        out.push(c);
    }
    out
}
