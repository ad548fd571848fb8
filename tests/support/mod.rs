//! Shared by the contract tests: a Prism mock server, a relay that keeps
//! what Prism said about each request, and minimal valid arguments for any
//! operation of an OpenAPI document.

pub mod documents;
pub mod minimal;
pub mod prism;
pub mod relay;
