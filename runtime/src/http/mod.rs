//! Sending over HTTP: the client's configuration and builder, the one path
//! every call takes (API key, default headers, hooks, retries, deadline,
//! trace), and the future a generated operation returns.
//!
//! In: a [`Request`](crate::Request) built by a generated operation. Out: a
//! [`Response`](crate::Response) or an [`Error`](crate::Error).

pub(crate) mod call;
pub(crate) mod client;
pub(crate) mod hook;
pub mod pages;
pub(crate) mod retry;
pub(crate) mod trace;
pub(crate) mod transport;
