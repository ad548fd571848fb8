//! The two sides of a comparison, read alike. A side is a document file or
//! the name of an API in the manifest (its vendored document with its
//! overlays). When one side names an API and the other is a file, the file
//! is read with that API's overlays too, so that a change the overlays make
//! (the API key header turned into the client's key, say) is not reported
//! as a change of the API.

use std::path::Path;

use crate::load::{self, overlay};
use crate::manifest::{ApiEntry, Manifest};
use crate::model::ir::ApiModel;
use crate::model::{lower, unify};
use crate::naming;
use crate::support::error::Result;
use crate::workflows::diff::{self, Changelog, RustNames};
use crate::workflows::release::surface;

/// Whether a file side takes the overlays of the API on the other side.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum Overlays {
    /// A file compared with an API is read with that API's overlays.
    #[default]
    LikeTheApi,
    /// Files are read as they are.
    None,
}

/// The changelog from `old` to `new` (models read from the files named),
/// with what their Rust names add to the model diff: types the generator
/// names anew and calls whose positional arguments change.
pub fn diff_with_names(
    (old, old_file): (&ApiModel, &Path),
    (new, new_file): (&ApiModel, &Path),
) -> Result<Changelog> {
    let mut changelog = diff::diff(old, new);
    diff::rust_name_changes(
        (old, &rust_names(old, old_file)?),
        (new, &rust_names(new, new_file)?),
        &mut changelog,
    );
    Ok(changelog)
}

/// The names a generation from `model` gives its types and calls.
pub fn rust_names(model: &ApiModel, file: &Path) -> Result<RustNames> {
    let mut unified = model.clone();
    unify::alias_identical_pairs(&mut unified, file)?;
    let names = naming::assign_names(&unified);
    Ok(surface::rust_names(&unified, &names))
}

/// The model of `spec` read with the overlays of `entry`.
pub fn api_model(manifest: &Manifest, entry: &ApiEntry, spec: &Path) -> Result<ApiModel> {
    let overlays = entry
        .overlays
        .iter()
        .map(|path| overlay::load_overlay(&manifest.resolve(path)))
        .collect::<Result<Vec<_>>>()?;
    lower::build_model(&load::load_with_overlays(spec, &overlays)?)
}

/// One side as given on the command line.
enum Side<'a> {
    File(&'a Path),
    Api(&'a ApiEntry),
}

/// The models of `old` and `new`, each a file or an API name of the
/// manifest at `manifest_path` (read only when a side is not a file).
pub fn diff_models(
    old: &str,
    new: &str,
    manifest_path: &Path,
    overlays: Overlays,
) -> std::result::Result<(ApiModel, ApiModel), String> {
    let manifest = lazy_manifest(manifest_path);
    let old_side = side(old, &manifest, manifest_path)?;
    let new_side = side(new, &manifest, manifest_path)?;
    let shared_api = match (&old_side, &new_side, overlays) {
        (_, _, Overlays::None) => None,
        (Side::Api(api), Side::File(_), _) | (Side::File(_), Side::Api(api), _) => Some(*api),
        _ => None,
    };
    let read = |side: &Side| -> std::result::Result<ApiModel, String> {
        let manifest = manifest.as_ref().map_err(Clone::clone);
        match (side, shared_api) {
            (Side::Api(api), _) => {
                let manifest = manifest?;
                api_model(manifest, api, &manifest.resolve(&api.spec))
            }
            (Side::File(path), Some(api)) => api_model(manifest?, api, path),
            (Side::File(path), None) => {
                load::load_file(path).and_then(|loaded| lower::build_model(&loaded))
            }
        }
        .map_err(|e| e.to_string())
    };
    Ok((read(&old_side)?, read(&new_side)?))
}

fn lazy_manifest(path: &Path) -> std::result::Result<Manifest, String> {
    Manifest::load(path).map_err(|e| e.to_string())
}

fn side<'a>(
    arg: &'a str,
    manifest: &'a std::result::Result<Manifest, String>,
    manifest_path: &Path,
) -> std::result::Result<Side<'a>, String> {
    let path = Path::new(arg);
    if path.is_file() {
        return Ok(Side::File(path));
    }
    let manifest = manifest.as_ref().map_err(|e| {
        format!("{arg} is not a file, and it cannot be looked up as an API name: {e}")
    })?;
    manifest.api(arg).map(Side::Api).ok_or_else(|| {
        let names: Vec<&str> = manifest.apis.iter().map(|a| a.name.as_str()).collect();
        format!(
            "{arg} is neither a file nor an API in {} (APIs: {})",
            manifest_path.display(),
            names.join(", ")
        )
    })
}
