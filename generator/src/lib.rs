//! OpenAPI 3.0/3.1 to Rust.
//!
//! The pipeline, one folder per stage; each stage uses only the stages
//! before it and [`support`]:
//!
//! 1. [`load`]: parse YAML/JSON, apply the overlays ([`load::overlay`]),
//!    check the version, build the typed view ([`load::spec`]).
//! 2. [`model`]: build the intermediate model ([`model::ir`]) of named
//!    types and operations ([`model::lower`]); [`model::recursion`] boxes
//!    what would be infinitely sized, [`model::unify`] merges identical
//!    `-Input`/`-Output` pairs.
//! 3. [`naming`]: Rust identifiers for types, fields, variants and files;
//!    then the Cargo features ([`naming::features`]), which need the names.
//! 4. [`emit`]: token streams per file.
//! 5. [`write`](mod@write): format with prettyplease and rustfmt, and swap
//!    the files in at once.
//!
//! [`pipeline`] drives them: [`generate_from_manifest`] for the manifest's
//! crate ([`manifest`]), [`generate_crate`] with [`standalone_input`] for a
//! single document. [`workflows`] holds what runs around the pipeline:
//! `check`, `diff`, `update` and `release` (the crate's version and
//! changelog, which [`generate_from_manifest`] adds).
//!
//! The stages recurse once per level of nesting: documents nested
//! thousands of levels deep need [`support::stack::on_large_stack`], which
//! the command line always uses.

pub mod emit;
pub mod load;
pub mod manifest;
pub mod model;
pub mod naming;
pub mod pipeline;
pub mod support;
pub mod workflows;
pub mod write;

pub use model::coverage::Coverage;
pub use pipeline::{
    crate_input, generate_api, generate_crate, generate_from_manifest, generate_release,
    standalone_input, ApiInput, CrateInput, GeneratedApi, GeneratedCrate,
};
pub use support::error::{Error, Result};
