//! What generated types are built on: fields that can be absent or null,
//! timestamps, the serde impls of structs, string enums and unions, and
//! their conversions (`convert.rs`), written once here instead of once per
//! type.

mod convert;
pub mod de;
pub(crate) mod nullable;
pub mod ser;
pub mod strings;
pub(crate) mod timestamp;
pub mod union;
