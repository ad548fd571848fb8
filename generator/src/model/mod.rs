//! Stage 2: the model. In: the typed view of a loaded document
//! ([`crate::load::LoadedDocument`]). Out: [`ir::ApiModel`], the API's named
//! types, fields, unions and operations, with no OpenAPI left in it.
//!
//! - [`lower`] builds the model from the typed view;
//! - [`recursion`] boxes the fields that would make a type infinitely sized;
//! - [`paging`] finds the operations that page through a list, and how;
//! - [`unify`] turns identical `-Input`/`-Output` pairs into one type (for
//!   generation only: `diff` compares the models as declared);
//! - [`coverage`] reports what the model could not type.

pub mod coverage;
pub mod ir;
pub mod lower;
pub mod paging;
pub mod recursion;
pub mod unify;
