//! Stage 1: load. Reads a document from disk, parses YAML or JSON into a
//! JSON tree (kept for overlays and `$ref` look-ups), checks the OpenAPI
//! version and builds the typed view, reporting failures with the file and
//! a line:column or JSON pointer.

pub mod overlay;
pub mod spec;

use std::path::{Path, PathBuf};

use serde::Deserialize;
use serde_json::Value;
use sha2::{Digest, Sha256};

use crate::support::error::{Error, Location, Result};
use overlay::Overlay;
use spec::Document;

/// A parsed document with what the later stages need to know about it.
#[derive(Debug, Clone)]
pub struct LoadedDocument {
    /// The path the document was read from, as given.
    pub path: PathBuf,
    /// Lowercase hex sha256 of the file's bytes.
    pub sha256: String,
    /// The document as a JSON tree, after overlays.
    pub raw: Value,
    /// The typed view of `raw`.
    pub document: Document,
}

/// Reads and parses a document from disk.
pub fn load_file(path: &Path) -> Result<LoadedDocument> {
    load_with_overlays(path, &[])
}

/// Reads a document, applies overlays in order, then builds the typed view
/// (the checksum is the vendored file's own).
pub fn load_with_overlays(path: &Path, overlays: &[Overlay]) -> Result<LoadedDocument> {
    let bytes = std::fs::read(path).map_err(|e| Error::io(path, e))?;
    load_bytes_with_overlays(path, &bytes, overlays)
}

/// Parses a document from bytes; `path` is used for messages and to pick
/// JSON or YAML by extension (content sniffing decides otherwise).
pub fn load_bytes(path: &Path, bytes: &[u8]) -> Result<LoadedDocument> {
    load_bytes_with_overlays(path, bytes, &[])
}

fn load_bytes_with_overlays(
    path: &Path,
    bytes: &[u8],
    overlays: &[Overlay],
) -> Result<LoadedDocument> {
    let raw = overlay::applied(parse_tree(path, bytes)?, overlays)?;
    let document = typed_view(path, &raw)?;
    Ok(LoadedDocument {
        path: path.to_path_buf(),
        sha256: hex_sha256(bytes),
        raw,
        document,
    })
}

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

/// Checks the version and builds the typed view, naming the JSON pointer of
/// the first field that has the wrong shape.
pub fn typed_view(path: &Path, raw: &Value) -> Result<Document> {
    check_version(path, raw)?;
    typed_at(path, "", raw)
}

fn check_version(path: &Path, raw: &Value) -> Result<()> {
    if raw.get("swagger").is_some() {
        return Err(Error::at_pointer(
            path,
            "/swagger",
            "Swagger 2.0 is not supported; convert the document to OpenAPI 3.0 or 3.1",
        ));
    }
    match raw.get("openapi") {
        Some(Value::String(version))
            if version.starts_with("3.0.") || version.starts_with("3.1.") =>
        {
            Ok(())
        }
        Some(Value::String(version)) => Err(Error::at_pointer(
            path,
            "/openapi",
            format!("unsupported OpenAPI version {version:?}; supported: 3.0.x and 3.1.x"),
        )),
        Some(_) => Err(Error::at_pointer(
            path,
            "/openapi",
            "`openapi` must be a string such as \"3.1.0\"",
        )),
        None => Err(Error::at_pointer(
            path,
            "",
            "missing `openapi` field: this is not an OpenAPI 3 document",
        )),
    }
}

fn serde_path_to_pointer(path: &serde_path_to_error::Path) -> String {
    use serde_path_to_error::Segment;
    path.iter()
        .fold(String::new(), |pointer, segment| match segment {
            Segment::Seq { index } => format!("{pointer}/{index}"),
            Segment::Map { key } => crate::support::error::push_pointer(&pointer, key),
            Segment::Enum { variant } => crate::support::error::push_pointer(&pointer, variant),
            Segment::Unknown => pointer,
        })
}

/// Resolves a local `$ref` (`#/...`) against the tree.
pub fn resolve_local<'a>(raw: &'a Value, reference: &str) -> Option<&'a Value> {
    let pointer = reference.strip_prefix('#')?;
    let decoded = percent_decode(pointer);
    raw.pointer(&decoded)
}

fn percent_decode(text: &str) -> String {
    let bytes = text.as_bytes();
    let mut out = Vec::with_capacity(bytes.len());
    let mut i = 0;
    while i < bytes.len() {
        if bytes[i] == b'%' && i + 2 < bytes.len() {
            if let Ok(byte) = u8::from_str_radix(&text[i + 1..i + 3], 16) {
                out.push(byte);
                i += 3;
                continue;
            }
        }
        out.push(bytes[i]);
        i += 1;
    }
    String::from_utf8(out).unwrap_or_else(|_| text.to_owned())
}

/// Deserializes a tree into `T`, reporting the pointer of a failure
/// relative to `base`. Tracking the path slows deserializing down by half,
/// so it is done only again after a failure, to name the place.
pub fn typed_at<T: for<'de> Deserialize<'de>>(path: &Path, base: &str, value: &Value) -> Result<T> {
    if let Ok(typed) = T::deserialize(value) {
        return Ok(typed);
    }
    serde_path_to_error::deserialize::<_, T>(value).map_err(|e| {
        let pointer = format!("{base}{}", serde_path_to_pointer(e.path()));
        Error::at_pointer(path, &pointer, e.into_inner().to_string())
    })
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
