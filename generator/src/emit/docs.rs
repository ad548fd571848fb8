//! Doc comments from the document's descriptions, titles, defaults and
//! pointers: the same rules for types, fields, operations and setters.

use proc_macro2::{Literal, TokenStream};
use quote::quote;
use serde_json::Value;

use crate::model::ir::Docs;

/// `#[doc]` attributes from a schema's description (or title), its default
/// and, for named types, the JSON pointer it was generated from; plus
/// `#[deprecated]`.
pub(crate) fn doc_attrs(docs: &Docs, pointer: Option<&str>) -> TokenStream {
    let mut lines = Vec::new();
    if let Some(text) = docs.description.as_deref().or(docs.title.as_deref()) {
        lines.extend(doc_lines(text));
    }
    if let Some(default) = &docs.default {
        if !default.is_null() {
            push_paragraph(
                &mut lines,
                format!("Defaults to `{}`.", compact_json(default)),
            );
        }
    }
    if let Some(pointer) = pointer {
        push_paragraph(&mut lines, format!("Schema: `#{pointer}`"));
    }
    let attrs = lines.iter().map(|line| {
        let text = if line.is_empty() {
            String::new()
        } else {
            format!(" {line}")
        };
        let literal = Literal::string(&text);
        quote!(#[doc = #literal])
    });
    let deprecated = docs.deprecated.then(|| quote!(#[deprecated]));
    quote! {
        #(#attrs)*
        #deprecated
    }
}

/// True when a title only repeats the type name (`AgentTransferOp`,
/// `Agent Transfer Op`).
pub(crate) fn same_words(title: &str, name: &str) -> bool {
    let letters = |s: &str| {
        s.chars()
            .filter(|c| c.is_alphanumeric())
            .flat_map(char::to_lowercase)
            .collect::<String>()
    };
    letters(title) == letters(name)
}

pub(crate) fn push_paragraph(lines: &mut Vec<String>, text: String) {
    if !lines.is_empty() {
        lines.push(String::new());
    }
    lines.push(text);
}

fn compact_json(value: &Value) -> String {
    let text = value.to_string();
    if text.len() > 120 {
        format!("{}…", text.chars().take(117).collect::<String>())
    } else {
        text
    }
}

/// Description text as doc lines: trailing spaces trimmed, code fences
/// marked as `text` so rustdoc never compiles them, and runs of lines
/// indented by four spaces or more (which Markdown may read as an indented
/// code block, and rustdoc would then compile as Rust) put in a `text`
/// fence of their own.
pub fn doc_lines(text: &str) -> Vec<String> {
    let source: Vec<&str> = text.trim().lines().map(str::trim_end).collect();
    let mut lines = Vec::new();
    let mut in_fence = false;
    let mut run_indent: Option<usize> = None;
    for (index, line) in source.iter().enumerate() {
        let indent = line.len() - line.trim_start().len();
        if let Some(base) = run_indent {
            let continues = if line.is_empty() {
                next_is_indented(&source[index + 1..])
            } else {
                indent >= INDENTED_CODE
            };
            if continues {
                lines.push(line.get(base.min(indent)..).unwrap_or_default().to_owned());
                continue;
            }
            lines.push("```".to_owned());
            run_indent = None;
        }
        match line.trim_start().strip_prefix("```") {
            Some(lang) => {
                in_fence = !in_fence;
                if in_fence && lang.chars().all(|c| c.is_alphanumeric()) {
                    lines.push(format!("{}```text", &line[..indent]));
                } else {
                    lines.push((*line).to_owned());
                }
            }
            None if !in_fence && indent >= INDENTED_CODE => {
                lines.push("```text".to_owned());
                lines.push(line.trim_start().to_owned());
                run_indent = Some(indent);
            }
            None => lines.push((*line).to_owned()),
        }
    }
    if run_indent.is_some() {
        lines.push("```".to_owned());
    }
    lines.dedup_by(|a, b| a.is_empty() && b.is_empty());
    lines
}

/// Markdown's indentation of an indented code block.
const INDENTED_CODE: usize = 4;

/// Whether the next non-blank line is indented as code.
fn next_is_indented(rest: &[&str]) -> bool {
    rest.iter()
        .find(|line| !line.is_empty())
        .is_some_and(|line| line.len() - line.trim_start().len() >= INDENTED_CODE)
}

#[cfg(test)]
mod tests {
    use super::doc_lines;

    #[test]
    fn no_description_text_becomes_a_rust_doctest() {
        let text = "Messages:\n    1. {\n      a: 1\n    }\n\n    2. b\nEnd.\n```\nplain\n```\n```python\nx = 1\n```";
        assert_eq!(
            doc_lines(text),
            [
                "Messages:",
                "```text",
                "1. {",
                "  a: 1",
                "}",
                "",
                "2. b",
                "```",
                "End.",
                "```text",
                "plain",
                "```",
                "```text",
                "x = 1",
                "```"
            ]
        );
    }
}
