//! Bytes to a JSON tree: YAML or JSON, with a bounded nesting depth, and
//! the checksum of the bytes. Documents and overlays are both read through
//! here.

use std::path::Path;

use serde::Deserialize;
use serde_json::Value;
use sha2::{Digest, Sha256};

use crate::support::error::{Error, Location, Result};

pub fn hex_sha256(bytes: &[u8]) -> String {
    Sha256::digest(bytes)
        .iter()
        .map(|b| format!("{b:02x}"))
        .collect()
}

/// How deeply arrays and objects may nest in a JSON document: enough for
/// 10,000 schemas nested through `properties` (two levels each) with room
/// to spare. Parsing and every later stage recurse once per level, on the
/// stack that [`crate::support::stack`] sizes for this; deeper documents are refused
/// before parsing.
pub const MAX_JSON_NESTING: usize = 25_000;

/// How deeply serde_yaml_ng lets YAML nest (fixed in that crate).
pub const MAX_YAML_NESTING: usize = 128;

/// Parses text into a JSON tree. JSON is tried first when the file looks
/// like JSON, since it parses several times faster than YAML.
pub fn parse_tree(path: &Path, bytes: &[u8]) -> Result<Value> {
    let text = std::str::from_utf8(bytes).map_err(|e| {
        let (line, column) = line_column(&bytes[..e.valid_up_to()]);
        Error::invalid(
            path,
            Location::LineColumn { line, column },
            "the file is not valid UTF-8",
        )
    })?;
    if text.trim().is_empty() {
        return Err(Error::invalid(
            path,
            Location::Document,
            "the file is empty",
        ));
    }
    let value = if looks_like_json(path, text) {
        check_json_nesting(path, text)?;
        parse_json(text).map_err(|e| {
            Error::invalid(
                path,
                Location::LineColumn {
                    line: e.line(),
                    column: e.column(),
                },
                format!("invalid JSON: {e}"),
            )
        })?
    } else {
        serde_yaml_ng::from_str::<Value>(text).map_err(|e| yaml_error(path, e))?
    };
    if !value.is_object() {
        return Err(Error::invalid(
            path,
            Location::Pointer(String::new()),
            "an OpenAPI document must be an object at the top level",
        ));
    }
    Ok(value)
}

/// serde_json without its limit of 128 levels: [`check_json_nesting`]
/// has bounded the depth already.
fn parse_json(text: &str) -> serde_json::Result<Value> {
    let mut deserializer = serde_json::Deserializer::from_str(text);
    deserializer.disable_recursion_limit();
    let value = Value::deserialize(&mut deserializer)?;
    deserializer.end()?;
    Ok(value)
}

/// Refuses JSON that nests deeper than [`MAX_JSON_NESTING`], naming the
/// bracket that goes too deep.
fn check_json_nesting(path: &Path, text: &str) -> Result<()> {
    let Some(offset) = first_bracket_deeper_than(text.as_bytes(), MAX_JSON_NESTING) else {
        return Ok(());
    };
    let (line, column) = line_column(&text.as_bytes()[..offset]);
    Err(Error::invalid(
        path,
        Location::LineColumn { line, column },
        format!("arrays and objects nest deeper than {MAX_JSON_NESTING} levels here; the generator stops rather than exhaust its stack"),
    ))
}

/// The offset of the first `[` or `{` nested deeper than `limit`, outside
/// strings; one pass over the bytes (malformed JSON is the parser's to
/// report).
fn first_bracket_deeper_than(bytes: &[u8], limit: usize) -> Option<usize> {
    let mut depth = 0usize;
    let mut in_string = false;
    let mut escaped = false;
    for (offset, byte) in bytes.iter().enumerate() {
        if in_string {
            match byte {
                _ if escaped => escaped = false,
                b'\\' => escaped = true,
                b'"' => in_string = false,
                _ => {}
            }
            continue;
        }
        match byte {
            b'"' => in_string = true,
            b'[' | b'{' => {
                depth += 1;
                if depth > limit {
                    return Some(offset);
                }
            }
            b']' | b'}' => depth = depth.saturating_sub(1),
            _ => {}
        }
    }
    None
}

fn looks_like_json(path: &Path, text: &str) -> bool {
    let by_extension = path
        .extension()
        .and_then(|e| e.to_str())
        .is_some_and(|e| e.eq_ignore_ascii_case("json"));
    by_extension || text.trim_start().starts_with('{')
}

fn yaml_error(path: &Path, error: serde_yaml_ng::Error) -> Error {
    let mut message = format!("invalid YAML: {error}");
    if message.contains("recursion limit exceeded") {
        message.push_str(&format!(
            " (the YAML reader stops at {MAX_YAML_NESTING} levels of nesting; write a document this deep as JSON, which may nest {MAX_JSON_NESTING})"
        ));
    }
    match error.location() {
        Some(at) => Error::invalid(
            path,
            Location::LineColumn {
                line: at.line(),
                column: at.column(),
            },
            message,
        ),
        None => Error::invalid(path, Location::Document, message),
    }
}

fn line_column(prefix: &[u8]) -> (usize, usize) {
    let line = prefix.iter().filter(|b| **b == b'\n').count() + 1;
    let column = prefix.iter().rev().take_while(|b| **b != b'\n').count() + 1;
    (line, column)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn nesting_is_counted_outside_strings_only() {
        let deepest = |text: &str, limit| first_bracket_deeper_than(text.as_bytes(), limit);
        assert_eq!(deepest(r#"{"a": [1, {"b": []}]}"#, 4), None);
        assert_eq!(deepest(r#"{"a": [1, {"b": []}]}"#, 2), Some(10));
        assert_eq!(deepest(r#"{"a": "[[{{", "b\\"": "\\\"[["}"#, 1), None);
        assert_eq!(deepest(r#"[]{}[]{"#, 1), None);
        assert_eq!(deepest(r#"]]]][[["#, 2), Some(6));
    }
}
