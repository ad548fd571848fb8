//! Stage 1: load. In: a document's bytes (and the manifest's overlays).
//! Out: [`LoadedDocument`], the JSON tree (kept for `$ref` look-ups) and
//! the typed view of it ([`spec::Document`]).
//!
//! - [`parse`]: YAML or JSON -> JSON tree, with line:column errors and a
//!   bounded depth; the checksum of the bytes;
//! - [`overlay`]: Overlay 1.0 documents, applied in order to the tree;
//! - here: the OpenAPI version check and the typed view, with failures
//!   named by file and JSON pointer;
//! - [`spec`]: the serde structs of the typed view.
//!
//! All of this is OpenAPI 3.0/3.1. AsyncAPI 2.x documents (an API's
//! WebSocket channels) have a loader of their own, [`asyncapi`], which
//! reuses [`parse`] and the `$ref` and typed-view helpers here.

pub mod asyncapi;
pub mod overlay;
pub mod parse;
pub mod spec;

use std::path::{Path, PathBuf};

use serde::Deserialize;
use serde_json::Value;

use crate::support::error::{Error, Result};
use overlay::Overlay;
use parse::{hex_sha256, parse_tree};
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
