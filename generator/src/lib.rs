//! OpenAPI 3.0/3.1 to Rust.
//!
//! The pipeline, one module per stage:
//!
//! 1. [`load`]: parse YAML/JSON, check the version, build the typed view
//!    ([`spec`]).
//! 2. [`lower`]: build the intermediate model ([`ir`]) of named types;
//!    [`recursion`] boxes what would be infinitely sized.
//! 3. [`naming`]: Rust identifiers for types, fields, variants and files.
//! 4. [`emit`]: token streams per file.
//! 5. [`write`](mod@write): format with prettyplease and swap the files in at once.
//!
//! [`generate_from_manifest`] runs them all for the manifest's crate;
//! [`generate_crate`] with [`standalone_input`] for a single document.

pub mod check;
pub mod coverage;
pub mod diff;
pub mod emit;
pub mod error;
pub mod ir;
pub mod load;
pub mod lower;
pub mod manifest;
pub mod naming;
pub mod overlay;
pub mod parallel;
pub mod recursion;
pub mod spec;
pub mod update;
pub mod write;

use std::path::{Path, PathBuf};

pub use coverage::Coverage;
pub use error::{Error, Result};
use manifest::Manifest;
use write::FileSet;

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
}

/// A generated crate in memory, with its coverage report per API.
#[derive(Debug, Clone)]
pub struct GeneratedCrate {
    pub files: FileSet,
    pub coverage: Vec<Coverage>,
    /// False when rustfmt was not installed and only prettyplease ran.
    pub rustfmt_applied: bool,
}

/// Generates the crate a manifest describes, without writing it.
pub fn generate_from_manifest(manifest: &Manifest) -> Result<GeneratedCrate> {
    generate_crate(&crate_input(manifest))
}

pub fn crate_input(manifest: &Manifest) -> CrateInput {
    CrateInput {
        package: manifest.krate.name.clone(),
        description: manifest.krate.description.clone(),
        runtime_path: manifest.krate.runtime.clone(),
        standalone: false,
        apis: manifest
            .apis
            .iter()
            .map(|api| ApiInput {
                name: api.name.clone(),
                module: api.module.clone(),
                spec: manifest.resolve(&api.spec),
                display_path: display_relative_to_workspace(manifest, &api.spec),
                overlays: api
                    .overlays
                    .iter()
                    .map(|o| {
                        (
                            manifest.resolve(o),
                            display_relative_to_workspace(manifest, o),
                        )
                    })
                    .collect(),
            })
            .collect(),
    }
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
        apis: vec![ApiInput {
            name: package,
            module,
            spec: spec.to_path_buf(),
            display_path: spec
                .file_name()
                .map(|f| f.to_string_lossy().into_owned())
                .unwrap_or_default(),
            overlays: Vec::new(),
        }],
    }
}

/// Runs the whole pipeline for every API of a crate, in memory. The APIs
/// are generated side by side and each goes through rustfmt as soon as it
/// is ready, so a small API is done while a large one is still loading.
pub fn generate_crate(input: &CrateInput) -> Result<GeneratedCrate> {
    let parts: Vec<Option<&ApiInput>> = input.apis.iter().map(Some).chain([None]).collect();
    let parts = parallel::map(parts, |api| match api {
        Some(api) => api_part(api),
        None => root_part(input),
    });
    let mut generated = GeneratedCrate {
        files: FileSet::new(),
        coverage: Vec::new(),
        rustfmt_applied: true,
    };
    for part in parts {
        let part = part?;
        generated.files.extend(part.files);
        generated.coverage.extend(part.coverage);
        generated.rustfmt_applied &= part.rustfmt_applied;
    }
    Ok(generated)
}

/// One API's module of the crate, through rustfmt.
fn api_part(api: &ApiInput) -> Result<GeneratedCrate> {
    let (api_files, coverage) = generate_api(api)?;
    let mut files: FileSet = api_files
        .into_iter()
        .map(|(path, content)| (Path::new("src").join(&api.module).join(path), content))
        .collect();
    let rustfmt_applied = write::rustfmt_crate(&mut files)?;
    Ok(GeneratedCrate {
        files,
        coverage: vec![coverage],
        rustfmt_applied,
    })
}

/// `src/lib.rs` and `Cargo.toml`.
fn root_part(input: &CrateInput) -> Result<GeneratedCrate> {
    let mut files = FileSet::new();
    files.insert(PathBuf::from("src/lib.rs"), lib_rs(input)?);
    files.insert(PathBuf::from("Cargo.toml"), cargo_toml(input));
    let rustfmt_applied = write::rustfmt_crate(&mut files)?;
    Ok(GeneratedCrate {
        files,
        coverage: Vec::new(),
        rustfmt_applied,
    })
}

/// Load -> model -> names -> emit -> format for one API.
pub fn generate_api(api: &ApiInput) -> Result<(FileSet, Coverage)> {
    let overlays = api
        .overlays
        .iter()
        .map(|(path, _)| overlay::load_overlay(path))
        .collect::<Result<Vec<_>>>()?;
    let loaded = load::load_with_overlays(&api.spec, &overlays)?;
    let model = lower::build_model(&loaded)?;
    let names = naming::assign_names(&model);
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
    };
    let emitter = emit::ApiEmitter {
        model: &model,
        names: &names,
        api: &identity,
        with_schema_index: true,
    };
    // Each file is emitted and formatted on whichever thread is free: token
    // streams cannot cross threads, so both happen where the file is taken.
    let files = parallel::map(emitter.files(), |file| {
        let file = emitter.emit(file);
        let path = PathBuf::from(&file.path);
        write::format_file(file, &header).map(|content| (path, content))
    })
    .into_iter()
    .collect::<Result<FileSet>>()?;
    let coverage = Coverage::of(&api.name, &model);
    // Freeing the document's trees takes ~40 ms that nothing waits for.
    let _ = std::thread::Builder::new().spawn(move || drop((loaded, model, names)));
    Ok((files, coverage))
}

fn lib_rs(input: &CrateInput) -> Result<String> {
    let modules = input.apis.iter().map(|api| {
        let module = quote::format_ident!("{}", api.module);
        let doc = format!(" The {} API, from `{}`.", api.name, api.display_path);
        quote::quote! {
            #[doc = #doc]
            pub mod #module;
        }
    });
    let tokens = quote::quote! {
        #![allow(rustdoc::bare_urls, rustdoc::broken_intra_doc_links, rustdoc::invalid_html_tags, rustdoc::invalid_rust_codeblocks)]
        #![allow(clippy::large_enum_variant)]
        pub use api_runtime as runtime;
        #(#modules)*
    };
    let file = emit::EmittedFile {
        path: "lib.rs".to_owned(),
        tokens,
        inner_doc: emit::doc_lines(&input.description),
    };
    write::format_file(
        file,
        "// @generated by `generator`. Do not edit by hand.\n\n",
    )
}

fn cargo_toml(input: &CrateInput) -> String {
    let workspace = if input.standalone {
        "\n[workspace]\n"
    } else {
        ""
    };
    format!(
        r#"# @generated by `generator`. Do not edit by hand.
[package]
name = "{package}"
description = "{description}"
version = "0.1.0"
edition = "2021"
license = "MIT OR Apache-2.0"
publish = false

[lib]
# Doc comments come from upstream descriptions; they are prose, not tests.
doctest = false

[features]
# Exposes `<api>::schema_index`, which tests use to check the spec's examples.
schema-index = []
# Exposes `<api>::operation_index`, which contract tests use to call every
# operation with JSON arguments.
operation-index = []

[dependencies]
api-runtime = {{ path = "{runtime}" }}
serde = {{ version = "1", features = ["derive"] }}
serde_json = "1"
{workspace}"#,
        package = input.package,
        description = input.description.replace('"', "'"),
        runtime = input.runtime_path,
    )
}
