//! The two sides of a comparison, read alike. A side is a document file or
//! the name of an API in the manifest (its vendored document with its
//! overlays). When one side names an API and the other is a file, the file
//! is read with that API's overlays too, so that a change the overlays make
//! (the API key header turned into the client's key, say) is not reported
//! as a change of the API.

use std::collections::BTreeSet;
use std::path::{Path, PathBuf};

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

/// The model of `spec` read with the overlays of `entry`, with the
/// channels of the API's AsyncAPI documents.
pub fn api_model(manifest: &Manifest, entry: &ApiEntry, spec: &Path) -> Result<ApiModel> {
    api_model_with(manifest, entry, spec, &asyncapi_files(manifest, entry))
}

fn api_model_with(
    manifest: &Manifest,
    entry: &ApiEntry,
    spec: &Path,
    asyncapi: &[(PathBuf, String)],
) -> Result<ApiModel> {
    let overlays = entry
        .overlays
        .iter()
        .map(|path| overlay::load_overlay(&manifest.resolve(path)))
        .collect::<Result<Vec<_>>>()?;
    let mut model = lower::build_model(&load::load_with_overlays(spec, &overlays)?)?;
    lower::add_asyncapi_files(&mut model, asyncapi)?;
    Ok(model)
}

fn asyncapi_files(manifest: &Manifest, entry: &ApiEntry) -> Vec<(PathBuf, String)> {
    entry
        .asyncapi
        .iter()
        .map(|path| (manifest.resolve(path), path.display().to_string()))
        .collect()
}

/// One side as given on the command line.
enum Side<'a> {
    /// An OpenAPI document.
    File(&'a Path),
    /// An AsyncAPI document (its first lines name `asyncapi`).
    AsyncApi(&'a Path),
    Api(&'a ApiEntry),
}

/// The models of `old` and `new`, each a file or an API name of the
/// manifest at `manifest_path` (read only when a side is not a file).
///
/// An AsyncAPI document is compared with another one, or with an API: it
/// stands for the API's AsyncAPI document that has a channel of the same
/// address, the rest of the API as it is on the other side, so only its
/// channels can differ.
pub fn diff_models(
    old: &str,
    new: &str,
    manifest_path: &Path,
    overlays: Overlays,
) -> std::result::Result<(ApiModel, ApiModel), String> {
    let manifest = lazy_manifest(manifest_path);
    let old_side = side(old, &manifest, manifest_path)?;
    let new_side = side(new, &manifest, manifest_path)?;
    if matches!(old_side, Side::AsyncApi(_)) || matches!(new_side, Side::AsyncApi(_)) {
        return asyncapi_models(&old_side, &new_side, manifest.as_ref().ok());
    }
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
            (Side::File(path), None) | (Side::AsyncApi(path), _) => {
                load::load_file(path).and_then(|loaded| lower::build_model(&loaded))
            }
        }
        .map_err(|e| e.to_string())
    };
    Ok((read(&old_side)?, read(&new_side)?))
}

/// Both sides when one is an AsyncAPI document.
fn asyncapi_models(
    old: &Side,
    new: &Side,
    manifest: Option<&Manifest>,
) -> std::result::Result<(ApiModel, ApiModel), String> {
    let file = match (old, new) {
        (Side::AsyncApi(path), Side::AsyncApi(_) | Side::Api(_))
        | (Side::Api(_), Side::AsyncApi(path)) => path,
        _ => {
            return Err(
                "an AsyncAPI document is compared with another AsyncAPI document or with \
                        an API of the manifest"
                    .to_owned(),
            )
        }
    };
    let addresses = channel_addresses(file)?;
    let api = match (old, new) {
        (Side::Api(api), _) | (_, Side::Api(api)) => Some(*api),
        _ => manifest.and_then(|m| {
            m.apis
                .iter()
                .find(|api| document_of(m, api, &addresses).is_some())
        }),
    };
    let read = |side: &Side| -> std::result::Result<ApiModel, String> {
        match (side, api, manifest) {
            (Side::AsyncApi(path), Some(api), Some(manifest)) => {
                let files = swapped(manifest, api, &addresses, path)?;
                api_model_with(manifest, api, &manifest.resolve(&api.spec), &files)
            }
            (Side::AsyncApi(path), _, _) => {
                let mut model = ApiModel::default();
                let files = [(path.to_path_buf(), path.display().to_string())];
                lower::add_asyncapi_files(&mut model, &files).map(|()| model)
            }
            (Side::Api(api), _, Some(manifest)) => {
                api_model(manifest, api, &manifest.resolve(&api.spec))
            }
            (Side::Api(api), _, None) => {
                return Err(format!("{}: the manifest could not be read", api.name))
            }
            (Side::File(path), _, _) => {
                return Err(format!("{}: not an AsyncAPI document", path.display()))
            }
        }
        .map_err(|e| e.to_string())
    };
    Ok((read(old)?, read(new)?))
}

fn channel_addresses(path: &Path) -> std::result::Result<BTreeSet<String>, String> {
    load::asyncapi::load_file(path)
        .map(|loaded| loaded.channels.into_iter().map(|c| c.address).collect())
        .map_err(|e| e.to_string())
}

/// The position of the API's AsyncAPI document with a channel at one of
/// `addresses`.
fn document_of(manifest: &Manifest, api: &ApiEntry, addresses: &BTreeSet<String>) -> Option<usize> {
    asyncapi_files(manifest, api).iter().position(|(path, _)| {
        channel_addresses(path).is_ok_and(|theirs| !theirs.is_disjoint(addresses))
    })
}

/// The API's AsyncAPI documents with the one that has a channel at one of
/// `addresses` replaced by `file`.
fn swapped(
    manifest: &Manifest,
    api: &ApiEntry,
    addresses: &BTreeSet<String>,
    file: &Path,
) -> std::result::Result<Vec<(PathBuf, String)>, String> {
    let slot = document_of(manifest, api, addresses).ok_or_else(|| {
        format!(
            "{}: no AsyncAPI document of the API {} has a channel at its addresses",
            file.display(),
            api.name
        )
    })?;
    let mut files = asyncapi_files(manifest, api);
    files[slot].0 = file.to_path_buf();
    Ok(files)
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
        return Ok(match is_asyncapi(path) {
            true => Side::AsyncApi(path),
            false => Side::File(path),
        });
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

/// Whether the file's first lines declare an AsyncAPI document (`asyncapi:`
/// in YAML, `"asyncapi"` in JSON): read before the whole document is.
fn is_asyncapi(path: &Path) -> bool {
    use std::io::Read;
    let mut start = [0u8; 4096];
    let read = std::fs::File::open(path)
        .and_then(|mut file| file.read(&mut start))
        .unwrap_or(0);
    String::from_utf8_lossy(&start[..read]).lines().any(|line| {
        let line = line.trim_start_matches(['{', ' ', '\t']);
        line.starts_with("asyncapi:") || line.starts_with("\"asyncapi\"")
    })
}
