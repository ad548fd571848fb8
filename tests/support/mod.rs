//! Shared by the contract tests: a Prism mock server, a relay that keeps
//! what Prism said about each request, minimal valid arguments for any
//! operation of an OpenAPI document, and the documents as the generator
//! reads them (`document`, also used alone by tests/response_instances.rs).
//! `normalized.rs`, the comparison of round-tripped values, is included by
//! path by the round-trip tests (spec_examples, response_instances).

pub mod document;
pub mod minimal;
pub mod prism;
pub mod relay;
