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
/// marked as `text` so rustdoc never compiles them, and lines indented by
/// four spaces or more outside a fence moved to the margin, since Markdown
/// would make them an indented code block, which rustdoc compiles as Rust.
pub fn doc_lines(text: &str) -> Vec<String> {
    let mut in_fence = false;
    let mut lines: Vec<String> = text
        .trim()
        .lines()
        .map(|line| {
            let line = line.trim_end();
            let indent = line.len() - line.trim_start().len();
            match line.trim_start().strip_prefix("```") {
                Some(lang) => {
                    in_fence = !in_fence;
                    if in_fence && lang.chars().all(|c| c.is_alphanumeric()) {
                        format!("{}```text", &line[..indent])
                    } else {
                        line.to_owned()
                    }
                }
                None if !in_fence && indent >= 4 => line.trim_start().to_owned(),
                None => line.to_owned(),
            }
        })
        .collect();
    lines.dedup_by(|a, b| a.is_empty() && b.is_empty());
    lines
}

#[cfg(test)]
mod tests {
    use super::doc_lines;

    #[test]
    fn no_description_text_becomes_a_rust_doctest() {
        let text = "Messages:\n\n    1. { type: \"a\" }\n```\nplain\n```\n```python\nx = 1\n```";
        assert_eq!(
            doc_lines(text),
            [
                "Messages:",
                "",
                "1. { type: \"a\" }",
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
