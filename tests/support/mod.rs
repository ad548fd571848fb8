//! Shared by the contract tests: a Prism mock server and minimal valid
//! arguments for any operation of an OpenAPI document.

pub mod minimal;
pub mod prism;
