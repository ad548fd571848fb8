//! The vendored documents as the generator reads them.

use std::path::Path;

use generator::load::load_with_overlays;
use generator::load::overlay::load_overlay;
use generator::manifest::Manifest;
use serde_json::Value;

/// The vendored document of the API `name` with the project's overlays
/// applied, exactly as the generator reads it.
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
