//! Realtime (WebSocket) channels: [`connect`] opens one as a typed
//! [`Connection`], and [`base64_bytes`] keeps audio chunks as bytes in
//! Rust and base64 text on the wire.
//!
//! # How a generated channel uses this module
//!
//! ```ignore
//! let request = Request::new(Method::GET, "/v1/text-to-speech/{voice_id}/stream-input")
//!     .operation("text_to_speech.stream_input")
//!     .path_param("voice_id", &self.voice_id)
//!     .query("model_id", &self.model_id);
//! api_runtime::realtime::connect::<ClientMessage, ServerMessage, ErrorBody>(
//!     self.client.transport(), request, self.options,
//! ).await
//! ```
//!
//! The generated code names the message types, the path and the query
//! parameters; the URL, the key, the limits, the timeouts, the errors and
//! the automatic answers are this module's.
//!
//! # Design
//!
//! - Frames are `tokio-tungstenite`'s, without its client handshake: the
//!   runtime writes the upgrade request and reads the answer itself
//!   ([`httparse`]), over `tokio-rustls` with ring and the webpki roots,
//!   the TLS stack reqwest already brings (no OpenSSL, no second
//!   provider). So the API key exists only as bytes written to the socket,
//!   never in a value tungstenite could log, and a refused upgrade keeps
//!   its status, headers and body.
//! - The URL is the HTTP one ([`Transport`](crate::Transport) builds it:
//!   path parameters are percent-encoded single segments, so none can
//!   change the host or the path) with `https` as `wss` and `http` as
//!   `ws`; the client accepts `http` only for loopback or with
//!   [`allow_insecure_http`](crate::ClientBuilder::allow_insecure_http).
//! - The bounds are the client's: the connect timeout for TCP, TLS and the
//!   upgrade; the read timeout as the longest wait for a frame (see
//!   [`ConnectOptions::idle_timeout`]); `max_response_size` for one
//!   message or frame; [`ERROR_BODY_LIMIT`](crate::ERROR_BODY_LIMIT) and
//!   64 KiB of headers for a refused upgrade.
//! - Errors are [`Error::Realtime`](crate::Error::Realtime) with a
//!   [`RealtimeError`], or the HTTP ones where they mean the same:
//!   [`Error::Timeout`](crate::Error::Timeout) and
//!   [`Error::Request`](crate::Error::Request).
//! - Traces get one `realtime_connect` span (API, operation, path
//!   template, duration, failure kind), never a URL, header or message.
//! - Client hooks ([`Hook`](crate::Hook)) and a custom `reqwest` client
//!   (proxies, extra roots) apply to HTTP only.

mod connect;
mod connection;
mod frames;
mod handshake;
mod reply;

pub mod base64_bytes;

pub use crate::error::realtime::{HandshakeError, MessageDecodeError, RealtimeError};
pub use connect::{connect, ConnectOptions};
pub use connection::{Connection, Receiver, Sender};
pub use reply::AutoReply;
