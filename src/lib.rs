//! Workspace root package. It exists to own `build.rs`, which regenerates
//! `generated/` from `specs/apis.toml`, and the end-to-end tests in `tests/`.
//! Users depend on the `api-clients` crate in `generated/` instead.
