//! The workflows around the pipeline. In: the manifest and the generated
//! crate in memory ([`crate::generate_crate`]). Out: what changed.
//!
//! - [`check`]: is the committed crate what the generator writes now?
//! - [`diff`]: the changelog between two models of an API;
//! - [`update`]: fetch an API's document, diff it against the vendored one,
//!   regenerate and write both;
//! - [`release`]: the crate's version, changelog and surface record,
//!   from the changes against the previous generation;
//! - [`sides`]: the two sides of a comparison, read with the same overlays.

pub mod check;
pub mod diff;
pub mod release;
pub mod sides;
pub mod update;
