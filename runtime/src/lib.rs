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
//!
//! Realtime (WebSocket) channels go through [`realtime::connect`] (feature
//! `realtime`, on by default), which takes the same [`Request`] and gives a
//! typed [`realtime::Connection`].

#![forbid(unsafe_code)]
#![warn(missing_docs)]

#[doc(hidden)]
pub mod contract;
mod error;
pub mod examples;
mod http;
#[cfg(feature = "realtime")]
pub mod realtime;
mod request;
mod response;
mod types;
pub mod webhook;

#[doc(hidden)]
pub use response::{json_stream, sse};
pub use types::{de, ser, strings, union};

pub use bytes::Bytes;
/// `next()` and the other stream adapters, for [`Pages`], [`Items`] and the
/// other streams, without a `futures` dependency of your own.
pub use futures_util::StreamExt;
pub use reqwest;

pub use error::{
    ConfigError, DecodeError, Error, ErrorBody, NoErrorBody, PagingError, RequestError,
    StatusError, TimeoutError, TimeoutKind, TooLargeError,
};
pub use http::call::Call;
pub use http::client::{ApiConfig, BoxFuture, ClientBuilder, FromTransport};
pub use http::hook::Hook;
pub use http::pages::{
    CountField, CursorField, FlagField, Items, ListField, Listed, PageInfo, Paged, Pages, Position,
};
pub use http::retry::RetryPolicy;
pub use http::transport::Transport;
pub use request::file::File;
pub use request::form::Form;
pub use request::{encode_path_segment, Request};
pub use response::body::ERROR_BODY_LIMIT;
pub use response::{ByteStream, EventStream, JsonStream, Response};
pub use types::nullable::Nullable;
pub use types::timestamp::Timestamp;
