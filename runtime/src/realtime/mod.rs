//! Support for realtime (WebSocket) channels.
//!
//! So far: [`base64_bytes`], the serde helper that keeps audio chunks as
//! bytes in Rust and base64 text on the wire.

pub mod base64_bytes;
