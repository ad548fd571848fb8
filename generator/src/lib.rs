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
//! The stages recurse once per level of nesting: documents nested
//! thousands of levels deep need [`stack::on_large_stack`], which the
//! command line always uses.

pub mod emit;
pub mod load;
pub mod manifest;
pub mod model;
pub mod naming;
pub mod support;
pub mod workflows;
pub mod write;

use std::path::{Path, PathBuf};

use load::overlay;
use manifest::Manifest;
pub use model::coverage::Coverage;
use model::{lower, unify};
use naming::features;
pub use support::error::{Error, Result};
use support::{parallel, stack};
use write::{format_cache, FileSet};

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
    /// The build directory that keeps rustfmt's cache, if any.
    pub build_dir: Option<PathBuf>,
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
        build_dir: Some(manifest.build_dir()),
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
        }],
    }
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
    };
    let mut features = Vec::new();
    for part in parts {
        let part = part?;
        generated.files.extend(part.files);
        generated.coverage.push(part.coverage);
        generated.rustfmt_applied &= part.rustfmt_applied;
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
        rustfmt_applied,
    })
}

/// The manifests and `lib.rs` of the crate and of its test-support crate,
/// which list every API's features.
fn root_files(input: &CrateInput, features: &[features::Features]) -> Result<FileSet> {
    let mut files = FileSet::new();
    files.insert(PathBuf::from("src/lib.rs"), lib_rs(input, features)?);
    files.insert(PathBuf::from("Cargo.toml"), cargo_toml(input, features));
    let testing = Path::new(TESTING_DIR);
    files.insert(testing.join("src/lib.rs"), testing_lib_rs(input)?);
    files.insert(testing.join("Cargo.toml"), testing_cargo_toml(input));
    Ok(files)
}

/// The test-support crate's directory inside the generated one.
pub const TESTING_DIR: &str = "testing";

impl CrateInput {
    /// The rustfmt cache file of `part` (an API's module, or `crate`), when
    /// there is a build directory to keep it in.
    fn format_cache(&self, part: &str) -> Option<PathBuf> {
        let dir = self.build_dir.as_deref()?;
        Some(format_cache::cache_path(dir, part))
    }

    /// The package name as Rust code names the crate.
    pub fn crate_ident(&self) -> String {
        self.package.replace('-', "_")
    }
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
    unify::alias_identical_pairs(&mut model, &loaded.path)?;
    let names = naming::assign_names(&model);
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
    })
}

/// The header of the files that belong to no one API (`lib.rs`).
const ROOT_FILE_HEADER: &str = "// @generated by `generator`. Do not edit by hand.\n\n";

fn lib_rs(input: &CrateInput, features: &[features::Features]) -> Result<String> {
    let modules = input.apis.iter().zip(features).map(|(api, features)| {
        let module = quote::format_ident!("{}", api.module);
        let doc = format!(" The {} API, from `{}`.", api.name, api.display_path);
        let all = features.all();
        quote::quote! {
            #[doc = #doc]
            #[cfg(any(#(feature = #all),*))]
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
    write::format_file(file, ROOT_FILE_HEADER)
}

fn cargo_toml(input: &CrateInput, features: &[features::Features]) -> String {
    let workspace = workspace_table(input);
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

{features}
[dependencies]
api-runtime = {{ path = "{runtime}" }}
serde = {{ version = "1", features = ["derive"] }}
serde_json = "1"
{workspace}"#,
        package = input.package,
        description = input.description.replace('"', "'"),
        runtime = input.runtime_path,
        features = features_section(input, features),
    )
}

/// A stand-alone crate is a workspace of its own.
fn workspace_table(input: &CrateInput) -> &'static str {
    if input.standalone {
        "\n[workspace]\n"
    } else {
        ""
    }
}

/// `[features]`: every API by default; one feature per API and per
/// top-level group, so a service compiles only the groups it calls.
fn features_section(input: &CrateInput, features: &[features::Features]) -> String {
    let quoted = |list: &[&str]| {
        list.iter()
            .map(|f| format!("\"{f}\""))
            .collect::<Vec<_>>()
            .join(", ")
    };
    let apis: Vec<&str> = features.iter().map(|f| f.api.as_str()).collect();
    let mut out = String::from("[features]\n");
    out.push_str("# Every API. Turn the default off and name features to compile less.\n");
    out.push_str(&format!("default = [{}]\n", quoted(&apis)));
    for (api, features) in input.apis.iter().zip(features) {
        let groups: Vec<&str> = features.groups.values().map(String::as_str).collect();
        out.push_str(&format!(
            "\n# The `{}` API: every group of operations and every schema.\n",
            api.name
        ));
        out.push_str(&format!("{} = [", features.api));
        for group in &groups {
            out.push_str(&format!("\n    \"{group}\","));
        }
        out.push_str(if groups.is_empty() { "]\n" } else { "\n]\n" });
        for (module, feature) in &features.groups {
            out.push_str(&format!(
                "# `{module}()` on the `{}` client, and the types its operations use.\n{feature} = []\n",
                api.name
            ));
        }
    }
    out
}

/// The test-support crate's `lib.rs`: one module per API holding its
/// indexes.
fn testing_lib_rs(input: &CrateInput) -> Result<String> {
    let modules = input.apis.iter().map(|api| {
        let module = quote::format_ident!("{}", api.module);
        let doc = format!(" Indexes of the {} API.", api.name);
        quote::quote! {
            #[doc = #doc]
            pub mod #module {
                #[allow(deprecated)]
                pub mod schema_index;
                #[allow(deprecated, unused_imports, unused_variables, unreachable_code)]
                pub mod operation_index;
            }
        }
    });
    let file = emit::EmittedFile {
        path: "lib.rs".to_owned(),
        tokens: quote::quote! { #(#modules)* },
        inner_doc: vec![
            format!(
                "For tests of `{}`: the generated type of every schema with examples, and",
                input.package
            ),
            "every operation callable by method and path with JSON arguments.".to_owned(),
        ],
    };
    write::format_file(file, ROOT_FILE_HEADER)
}

fn testing_cargo_toml(input: &CrateInput) -> String {
    let workspace = workspace_table(input);
    let runtime = if Path::new(&input.runtime_path).is_absolute() {
        input.runtime_path.clone()
    } else {
        format!("../{}", input.runtime_path)
    };
    format!(
        r#"# @generated by `generator`. Do not edit by hand.
[package]
name = "{package}-testing"
description = "Test support for {package}: schema examples and every operation by method and path."
version = "0.1.0"
edition = "2021"
license = "MIT OR Apache-2.0"
publish = false

[lib]
doctest = false

[dependencies]
{package} = {{ path = ".." }}
api-runtime = {{ path = "{runtime}" }}
serde_json = "1"
{workspace}"#,
        package = input.package,
    )
}
