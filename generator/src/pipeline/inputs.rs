//! What the pipeline is given: a crate of one or more APIs
//! ([`CrateInput`]), from the manifest ([`crate_input`]) or for a single
//! document ([`standalone_input`]).

use std::path::{Path, PathBuf};

use crate::emit::SerdeImpls;
use crate::manifest::Manifest;
use crate::write::format_cache;

/// One API to generate.
#[derive(Debug, Clone)]
pub struct ApiInput {
    pub name: String,
    pub module: String,
    /// Where to read the document.
    pub spec: PathBuf,
    /// How the header names the document (stable across machines).
    pub display_path: String,
    /// Overlays applied in order, with how the header names each.
    pub overlays: Vec<(PathBuf, String)>,
    /// AsyncAPI documents of the API's channels, with how reports name each.
    pub asyncapi: Vec<(PathBuf, String)>,
    /// How the API's structs implement `Serialize` and `Deserialize`.
    pub serde_impls: SerdeImpls,
}

/// The crate around one or more APIs.
#[derive(Debug, Clone)]
pub struct CrateInput {
    pub package: String,
    pub description: String,
    /// The `path` of the `api-runtime` dependency, as written in Cargo.toml.
    pub runtime_path: String,
    /// A stand-alone crate declares an empty `[workspace]` of its own.
    pub standalone: bool,
    pub apis: Vec<ApiInput>,
    /// The build directory that keeps rustfmt's cache, if any.
    pub build_dir: Option<PathBuf>,
}

impl CrateInput {
    /// The rustfmt cache file of `part` (an API's module, or `crate`), when
    /// there is a build directory to keep it in.
    pub(super) fn format_cache(&self, part: &str) -> Option<PathBuf> {
        let dir = self.build_dir.as_deref()?;
        Some(format_cache::cache_path(dir, part))
    }

    /// The package name as Rust code names the crate.
    pub fn crate_ident(&self) -> String {
        self.package.replace('-', "_")
    }
}

pub fn crate_input(manifest: &Manifest) -> CrateInput {
    CrateInput {
        package: manifest.krate.name.clone(),
        description: manifest.krate.description.clone(),
        runtime_path: manifest.krate.runtime.clone(),
        standalone: false,
        build_dir: Some(manifest.build_dir()),
        apis: manifest
            .apis
            .iter()
            .map(|api| ApiInput {
                name: api.name.clone(),
                module: api.module.clone(),
                spec: manifest.resolve(&api.spec),
                display_path: display_relative_to_workspace(manifest, &api.spec),
                overlays: resolved_with_display(manifest, &api.overlays),
                asyncapi: resolved_with_display(manifest, &api.asyncapi),
                serde_impls: SerdeImpls::Runtime,
            })
            .collect(),
    }
}

/// Each manifest path resolved, with how headers and reports name it.
fn resolved_with_display(manifest: &Manifest, paths: &[PathBuf]) -> Vec<(PathBuf, String)> {
    paths
        .iter()
        .map(|path| {
            (
                manifest.resolve(path),
                display_relative_to_workspace(manifest, path),
            )
        })
        .collect()
}

/// Spec paths in headers are written relative to the directory that holds
/// `specs/`, the workspace root, with forward slashes.
fn display_relative_to_workspace(manifest: &Manifest, spec: &Path) -> String {
    let from_root = if manifest.base_dir.file_name().is_some_and(|n| n == "specs") {
        Path::new("specs").join(spec)
    } else {
        spec.to_path_buf()
    };
    let mut parts: Vec<String> = Vec::new();
    for component in from_root.components() {
        match component {
            std::path::Component::ParentDir if parts.last().is_some_and(|p| p != "..") => {
                parts.pop();
            }
            std::path::Component::CurDir => {}
            other => parts.push(other.as_os_str().to_string_lossy().into_owned()),
        }
    }
    parts.join("/")
}

/// A stand-alone crate for one document.
pub fn standalone_input(spec: &Path, name: Option<&str>) -> CrateInput {
    let stem = spec
        .file_stem()
        .map(|s| s.to_string_lossy().into_owned())
        .unwrap_or_else(|| "api".to_owned());
    let package = name
        .map(str::to_owned)
        .unwrap_or_else(|| heck::ToKebabCase::to_kebab_case(stem.as_str()));
    let module = heck::ToSnakeCase::to_snake_case(package.as_str());
    let runtime = Path::new(env!("CARGO_MANIFEST_DIR")).join("../runtime");
    let runtime = runtime.canonicalize().unwrap_or(runtime);
    CrateInput {
        package: package.clone(),
        description: format!("Typed Rust models generated from {}.", spec.display()),
        runtime_path: runtime.to_string_lossy().into_owned(),
        standalone: true,
        build_dir: None,
        apis: vec![ApiInput {
            name: package,
            module,
            spec: spec.to_path_buf(),
            display_path: spec
                .file_name()
                .map(|f| f.to_string_lossy().into_owned())
                .unwrap_or_default(),
            overlays: Vec::new(),
            asyncapi: Vec::new(),
            serde_impls: SerdeImpls::Runtime,
        }],
    }
}
