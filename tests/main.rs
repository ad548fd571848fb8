//! The end-to-end tests of the whole workflow, as one test binary.
//!
//! Each file here is a module rather than a binary of its own: every test
//! binary links the generated crate again (a couple of seconds each), and
//! the harness runs the tests of one binary side by side, so the slow ones
//! (Prism, nested `cargo` runs) overlap instead of running one after
//! another. `cargo test --test end_to_end contract` runs one module.

mod support;

mod calls;
mod client_elevenlabs;
mod client_tavus;
mod contract;
mod conversions;
mod hostile_responses;
mod json_streams;
mod pagination;
mod path_parameters;
mod realtime_channels;
mod response_instances;
mod secrets;
mod spec_examples;
mod type_names;
mod union_decoding;
mod upstream_changes;
mod webhooks;
mod workflow;
