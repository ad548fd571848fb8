//! The generator's tests, as one test binary.
//!
//! Each file here is a module rather than a binary of its own, so the
//! generator and its dependencies are linked once, and the slow tests (the
//! ElevenLabs history, the ten-thousand-level documents, nested `cargo`
//! runs) overlap instead of running one binary after another.
//! `cargo test -p generator --test integration fuzz` runs one module.

mod bad_documents;
mod channel_emit;
mod channels;
mod cli;
mod diff;
mod features;
mod fuzz;
mod layout;
mod operations;
mod overlay;
mod releases;
mod type_mapping;
