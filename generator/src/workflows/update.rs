//! `generator update`: fetch a new version of one API's document, check
//! that it generates, report the changelog against the current one, then
//! replace the vendored file and regenerate.
//!
//! Nothing is replaced unless the whole new crate generated: the download
//! is staged beside the vendored file, the crate is generated from it in
//! memory, and only then is the file renamed over the old one (atomic on
//! one file system) and the crate written (all or nothing, see
//! [`crate::write::write_crate`]).

use std::fs;
use std::path::{Path, PathBuf};

use crate::load;
use crate::manifest::{ApiEntry, Manifest};
use crate::model::lower;
use crate::support::error::{Error, Result};
use crate::workflows::diff::Changelog;
use crate::workflows::sides::{api_model, diff_with_names};
use crate::write::{write_crate, WriteOutcome};
use crate::{crate_input, generate_release, Coverage};

/// Documents larger than this are refused rather than read into memory.
const MAX_DOCUMENT_BYTES: u64 = 64 * 1024 * 1024;

/// What a first update (no vendored document yet) is compared with.
const EMPTY_DOCUMENT: &[u8] = b"openapi: 3.1.0\ninfo: {title: none, version: none}\npaths: {}\n";

/// What an update did.
#[derive(Debug)]
pub struct UpdateReport {
    /// Where the new document came from.
    pub source: String,
    /// The vendored file that now holds it.
    pub document: PathBuf,
    pub changelog: Changelog,
    pub outcome: WriteOutcome,
    pub coverage: Vec<Coverage>,
    /// The crate's new version and how it moved.
    pub release: Option<crate::workflows::release::Release>,
}

/// Updates the API `name` from `from` (a URL or a file), or from the
/// manifest's `upstream` URL.
pub fn update(manifest: &Manifest, name: &str, from: Option<&str>) -> Result<UpdateReport> {
    let entry = manifest
        .api(name)
        .ok_or_else(|| unknown_api(manifest, name))?;
    let source = from.unwrap_or(&entry.upstream).to_owned();
    let bytes = fetch(&source)?;
    let document = manifest.resolve(&entry.spec);
    let staged = staging_path(&document);
    fs::write(&staged, &bytes).map_err(|e| Error::io(&staged, e))?;
    let prepared = prepare(manifest, entry, &document, &staged);
    let (generated, changelog) = match prepared {
        Ok(prepared) => prepared,
        Err(error) => {
            let _ = fs::remove_file(&staged);
            return Err(name_the_source(error, &staged, &source));
        }
    };
    fs::rename(&staged, &document).map_err(|e| Error::io(&document, e))?;
    let outcome = write_crate(&manifest.output_dir(), &generated.files)?;
    Ok(UpdateReport {
        source,
        document,
        changelog,
        outcome,
        coverage: generated.coverage,
        release: generated.release,
    })
}

/// Generates the whole crate with the staged document in place of the
/// vendored one (with its version and changelog section, see
/// [`crate::workflows::release`]), and the changelog between the two.
fn prepare(
    manifest: &Manifest,
    entry: &ApiEntry,
    document: &Path,
    staged: &Path,
) -> Result<(crate::GeneratedCrate, Changelog)> {
    let mut input = crate_input(manifest);
    for api in input.apis.iter_mut().filter(|api| api.name == entry.name) {
        api.spec = staged.to_path_buf();
    }
    let generated = generate_release(&input, &manifest.output_dir())?;
    let new = api_model(manifest, entry, staged)?;
    let old = if document.exists() {
        api_model(manifest, entry, document)?
    } else {
        lower::build_model(&load::load_bytes(document, EMPTY_DOCUMENT)?)?
    };
    let mut changelog = diff_with_names((&old, document), (&new, staged))?;
    changelog.old.source = document.display().to_string();
    changelog.new.source = entry.name.clone();
    Ok((generated, changelog))
}

/// Reads a document from an `http(s)://` URL or a file.
pub fn fetch(source: &str) -> Result<Vec<u8>> {
    if !(source.starts_with("http://") || source.starts_with("https://")) {
        let path = Path::new(source);
        return fs::read(path).map_err(|e| Error::io(path, e));
    }
    let failed = |message: String| Error::Fetch {
        url: source.to_owned(),
        message,
    };
    let mut response = ureq::get(source)
        .call()
        .map_err(|e| failed(e.to_string()))?;
    response
        .body_mut()
        .with_config()
        .limit(MAX_DOCUMENT_BYTES)
        .read_to_vec()
        .map_err(|e| failed(e.to_string()))
}

/// Errors in the staged copy name where the document came from instead.
fn name_the_source(error: Error, staged: &Path, source: &str) -> Error {
    match error {
        Error::Invalid {
            file,
            location,
            message,
        } if file == staged => Error::Invalid {
            file: PathBuf::from(source),
            location,
            message,
        },
        other => other,
    }
}

/// `dir/.name.update`: beside the target, so the final rename stays on one
/// file system.
fn staging_path(document: &Path) -> PathBuf {
    let name = document
        .file_name()
        .map(|n| n.to_string_lossy().into_owned())
        .unwrap_or_else(|| "document".to_owned());
    document.with_file_name(format!(".{name}.update"))
}

fn unknown_api(manifest: &Manifest, name: &str) -> Error {
    let known: Vec<&str> = manifest.apis.iter().map(|a| a.name.as_str()).collect();
    Error::Usage(format!(
        "no API named {name:?} in the manifest (APIs: {})",
        known.join(", ")
    ))
}
