//! Shared by the end-to-end tests: a Prism mock server and a relay that
//! keeps what Prism said about each request (the contract tests), minimal
//! valid arguments for any operation of an OpenAPI document, the documents
//! as the generator reads them, the comparison of round-tripped values
//! (spec_examples, response_instances) and readers of recorded requests.

pub mod document;
pub mod minimal;
pub mod normalized;
pub mod prism;
pub mod relay;
pub mod wire;
