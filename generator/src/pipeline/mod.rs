//! The driver: runs the stages for a crate. In: a [`CrateInput`] (from the
//! manifest, or one document on its own). Out: the generated crate in
//! memory ([`GeneratedCrate`]), which `write` swaps in and the workflows
//! compare.
//!
//! Per API ([`generate_api`]): load (overlays applied) -> model (identical
//! pairs unified) -> names -> features -> emit -> format. Then the files
//! around the APIs (`crate_files.rs`: both manifests and both `lib.rs`).
//! `inputs.rs` builds the [`CrateInput`].

mod crate_files;
mod inputs;

use std::path::{Path, PathBuf};

pub use crate::emit::SerdeImpls;
pub use inputs::{crate_input, standalone_input, ApiInput, CrateInput};

use crate::emit;
use crate::load::{self, overlay};
use crate::manifest::Manifest;
use crate::model::coverage::Coverage;
use crate::model::{lower, unify};
use crate::naming::{self, features};
use crate::support::error::Result;
use crate::support::{parallel, stack};
use crate::workflows::release::surface::{ApiSurface, DocumentRecord, OverlayRecord};
use crate::workflows::release::{add_release_files, changelog_file, Release, ReleaseInput};
use crate::write::{self, FileSet, TESTING_DIR};
use crate_files::root_files;

/// A generated crate in memory, with its coverage report per API.
#[derive(Debug, Clone)]
pub struct GeneratedCrate {
    pub files: FileSet,
    pub coverage: Vec<Coverage>,
    /// False when rustfmt was not installed and only prettyplease ran.
    pub rustfmt_applied: bool,
    /// Each API's public surface, as the diff sees it.
    pub surfaces: Vec<ApiSurface>,
    /// The version and changelog, for the manifest's crate
    /// ([`generate_release`]); `None` for a stand-alone crate.
    pub release: Option<Release>,
}

/// Generates the crate a manifest describes, without writing it, with its
/// version and changelog from the changes against the committed crate.
pub fn generate_from_manifest(manifest: &Manifest) -> Result<GeneratedCrate> {
    generate_release(&crate_input(manifest), &manifest.output_dir())
}

/// [`generate_crate`], then the version, changelog and surface record
/// from the changes against the crate committed in `previous`
/// ([`release`](crate::workflows::release)).
pub fn generate_release(input: &CrateInput, previous: &Path) -> Result<GeneratedCrate> {
    let mut generated = generate_crate(input)?;
    let release_input = ReleaseInput {
        package: &input.package,
        previous,
        date: changelog_file::today(),
    };
    let release = add_release_files(&mut generated.files, &generated.surfaces, &release_input)?;
    generated.release = Some(release);
    Ok(generated)
}

/// Runs the whole pipeline for every API of a crate, in memory. The APIs
/// are generated side by side and each goes through rustfmt as soon as it
/// is ready, so a small API is done while a large one is still loading.
pub fn generate_crate(input: &CrateInput) -> Result<GeneratedCrate> {
    let krate = input.crate_ident();
    let apis: Vec<&ApiInput> = input.apis.iter().collect();
    let parts = parallel::map(apis, |api| {
        api_part(api, &krate, input.format_cache(&api.module).as_deref())
    });
    let mut generated = GeneratedCrate {
        files: FileSet::new(),
        coverage: Vec::new(),
        rustfmt_applied: true,
        surfaces: Vec::new(),
        release: None,
    };
    let mut features = Vec::new();
    for part in parts {
        let part = part?;
        generated.files.extend(part.files);
        generated.coverage.push(part.coverage);
        generated.rustfmt_applied &= part.rustfmt_applied;
        generated.surfaces.push(part.surface);
        features.push(part.features);
    }
    let mut root = root_files(input, &features)?;
    // `crate` is no API's module (it is a keyword), so it names the cache
    // of the files around them.
    let cache = input.format_cache("crate");
    generated.rustfmt_applied &= write::rustfmt_crate(&mut root, cache.as_deref())?;
    generated.files.extend(root);
    Ok(generated)
}

/// One API's files in the crate and in its test-support crate, through
/// rustfmt, with the API's features.
struct ApiPart {
    files: FileSet,
    coverage: Coverage,
    features: features::Features,
    surface: ApiSurface,
    rustfmt_applied: bool,
}

fn api_part(api: &ApiInput, krate: &str, format_cache: Option<&Path>) -> Result<ApiPart> {
    let generated = generate_api(api, krate)?;
    let module_files = generated
        .files
        .into_iter()
        .map(|(path, content)| (Path::new("src").join(&api.module).join(path), content));
    let index_files = generated.index_files.into_iter().map(|(path, content)| {
        let path = Path::new(TESTING_DIR)
            .join("src")
            .join(&api.module)
            .join(path);
        (path, content)
    });
    let mut files: FileSet = module_files.chain(index_files).collect();
    let rustfmt_applied = write::rustfmt_crate(&mut files, format_cache)?;
    Ok(ApiPart {
        files,
        coverage: generated.coverage,
        features: generated.features,
        surface: generated.surface,
        rustfmt_applied,
    })
}

/// One API's module, formatted, with what the crate around it needs.
pub struct GeneratedApi {
    /// Paths relative to the API's module directory.
    pub files: FileSet,
    /// The API's test-support files, relative to its module directory in
    /// the test-support crate.
    pub index_files: FileSet,
    pub coverage: Coverage,
    pub features: features::Features,
    /// The API's public surface, from the model before identical pairs
    /// are unified (the model `generator diff` compares).
    pub surface: ApiSurface,
}

/// Load -> model (identical pairs unified) -> names -> features -> emit ->
/// format for one API.
/// `krate` is the generated crate's name as Rust spells it.
pub fn generate_api(api: &ApiInput, krate: &str) -> Result<GeneratedApi> {
    let overlays = api
        .overlays
        .iter()
        .map(|(path, _)| overlay::load_overlay(path))
        .collect::<Result<Vec<_>>>()?;
    let loaded = load::load_with_overlays(&api.spec, &overlays)?;
    let mut model = lower::build_model(&loaded)?;
    lower::add_asyncapi_files(&mut model, &api.asyncapi)?;
    let mut surface = ApiSurface::of(&api.name, &model, document_record(api, &loaded, &overlays));
    unify::alias_identical_pairs(&mut model, &loaded.path)?;
    let names = naming::assign_names(&model);
    surface.add_rust_names(&model, &names);
    let features = features::assign_features(&model, &names, &api.module);
    let overlay_lines: Vec<(&str, &str)> = api
        .overlays
        .iter()
        .zip(&overlays)
        .map(|((_, display), overlay)| (display.as_str(), overlay.sha256.as_str()))
        .collect();
    let header = write::header(&api.display_path, &loaded.sha256, &overlay_lines);
    let identity = emit::ApiIdentity {
        name: &api.name,
        module: &api.module,
        krate,
        serde_impls: api.serde_impls,
    };
    let emitter = emit::ApiEmitter::new(&model, &names, &features, &identity);
    // Each file is emitted and formatted on whichever thread is free: token
    // streams cannot cross threads, so both happen where the file is taken.
    let emit_all = |files: Vec<emit::ApiFile>| {
        parallel::map(files, |file| {
            let file = emitter.emit(file);
            let path = PathBuf::from(&file.path);
            write::format_file(file, &header).map(|content| (path, content))
        })
        .into_iter()
        .collect::<Result<FileSet>>()
    };
    let files = emit_all(emitter.files())?;
    let index_files = emit_all(emitter.index_files())?;
    let coverage = Coverage::of(&api.name, &model);
    // Freeing the document's trees takes ~40 ms that nothing waits for.
    let _ = std::thread::Builder::new()
        .stack_size(stack::STACK_SIZE)
        .spawn(move || drop((loaded, model, names)));
    Ok(GeneratedApi {
        files,
        index_files,
        coverage,
        features,
        surface,
    })
}

/// Which document (and overlays) an API was generated from.
fn document_record(
    api: &ApiInput,
    loaded: &load::LoadedDocument,
    overlays: &[overlay::Overlay],
) -> DocumentRecord {
    let info = &loaded.document.info;
    DocumentRecord {
        title: info.title.clone(),
        version: info.version.clone(),
        path: api.display_path.clone(),
        sha256: loaded.sha256.clone(),
        overlays: api
            .overlays
            .iter()
            .zip(overlays)
            .map(|((_, display), overlay)| OverlayRecord {
                path: display.clone(),
                sha256: overlay.sha256.clone(),
            })
            .collect(),
    }
}
