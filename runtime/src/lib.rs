//! Runtime support shared by every generated client.
//!
//! The generator emits only what differs between APIs (types, operations);
//! everything that is the same for all of them lives here as ordinary,
//! tested Rust: nullable fields, timestamps, files, and the HTTP layer.
//!
//! # How a generated operation uses this crate
//!
//! ```ignore
//! let request = Request::new(Method::GET, "/v1/voices/{voice_id}")
//!     .path_param("voice_id", &voice_id)
//!     .query("show_legacy", &params.show_legacy);
//! let response = self.transport.send::<ErrorBody>(request).await?;
//! response.json().await
//! ```
//!
//! [`Transport::send`] adds the API key, the user agent and a default
//! `accept`, retries what is worth retrying (see [`RetryPolicy`]), and turns
//! a non-2xx answer into [`Error::Status`]. The [`Response`] methods then
//! decode a successful body as JSON, text, bytes, a byte stream or a stream
//! of server-sent events.

#![forbid(unsafe_code)]
#![warn(missing_docs)]

mod body;
mod call;
mod client;
#[doc(hidden)]
pub mod contract;
pub mod de;
mod error;
pub mod examples;
mod file;
mod form;
mod hook;
mod nullable;
mod request;
mod response;
mod retry;
pub mod ser;
#[doc(hidden)]
pub mod sse;
pub mod strings;
mod timestamp;
mod trace;
mod transport;
pub mod union;
mod value;
pub mod webhook;

pub use bytes::Bytes;
pub use reqwest;

pub use body::ERROR_BODY_LIMIT;
pub use call::Call;
pub use client::{ApiConfig, BoxFuture, ClientBuilder, FromTransport};
pub use error::{
    ConfigError, DecodeError, Error, ErrorBody, NoErrorBody, RequestError, StatusError,
    TimeoutError, TimeoutKind, TooLargeError,
};
pub use file::File;
pub use form::Form;
pub use hook::Hook;
pub use nullable::Nullable;
pub use request::{encode_path_segment, Request};
pub use response::{ByteStream, EventStream, Response};
pub use retry::RetryPolicy;
pub use timestamp::Timestamp;
pub use transport::Transport;
