//! Runtime support shared by every generated client.
//!
//! The generator emits only what differs between APIs (types, operations);
//! everything that is the same for all of them lives here as ordinary,
//! tested Rust.

#![forbid(unsafe_code)]
#![warn(missing_docs)]

pub mod examples;
mod file;
mod nullable;
mod timestamp;
pub mod union;

pub use file::File;
pub use nullable::Nullable;
pub use timestamp::Timestamp;
