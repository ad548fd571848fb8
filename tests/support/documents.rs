//! The documents the clients are generated from, and arguments for
//! `operation_index::call` built from them.

use std::path::Path;

use generator::load::load_with_overlays;
use generator::manifest::Manifest;
use generator::overlay::load_overlay;
use serde_json::{json, Value};

use super::minimal::MinimalArgs;

/// The content of every file argument, as `File` deserializes it (bytes).
pub const FILE_BYTES: &[u8] = b"RIFF";

/// The manifest API `name`'s document with the project's overlays applied,
/// as the generator reads it.
pub fn overlaid_document(name: &str) -> Value {
    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    let manifest = Manifest::load(&root.join("specs/apis.toml")).expect("the manifest loads");
    let api = manifest.api(name).expect("the API is in the manifest");
    let overlays: Vec<_> = api
        .overlays
        .iter()
        .map(|path| load_overlay(&manifest.resolve(path)).expect("the overlay loads"))
        .collect();
    let spec = manifest.resolve(&api.spec);
    let loaded = load_with_overlays(&spec, &overlays).expect("the overlaid document loads");
    loaded.raw
}

/// `args` as `operation_index::call` takes them, files as [`FILE_BYTES`].
pub fn client_args(args: &MinimalArgs) -> Value {
    let mut body = args.body.clone();
    let file = || json!(FILE_BYTES);
    for name in &args.files {
        if let Some(value) = body.get_mut(name.as_str()) {
            *value = match value {
                Value::Null => Value::Null,
                Value::Array(items) => items.iter().map(|_| file()).collect(),
                _ => file(),
            };
        }
    }
    json!({"path": args.path, "query": args.query, "header": args.header, "body": body})
}
