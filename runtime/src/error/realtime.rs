//! Errors of realtime (WebSocket) channels, kept apart from HTTP's: the
//! WebSocket library's own error type never shows in the public API.
//!
//! Like every error of the crate, none holds the API key: the key only
//! travels in the bytes of the upgrade request, which are never kept.

use std::error::Error as StdError;
use std::fmt;
use std::io;

use bytes::Bytes;
use reqwest::header::HeaderMap;

use super::text::excerpt;

/// What went wrong on a realtime channel: opening it, or while it was
/// open. Carried by [`Error::Realtime`](crate::Error::Realtime).
#[derive(Debug)]
#[non_exhaustive]
pub enum RealtimeError {
    /// The connection could not be made (DNS, TCP, TLS) before the
    /// upgrade request went out.
    Connect(io::Error),
    /// The server answered the upgrade request with a status other than
    /// `101 Switching Protocols`, like 401 for a bad key or 403.
    Handshake(Box<HandshakeError>),
    /// The server broke the WebSocket protocol: a malformed upgrade answer
    /// or frame.
    Protocol(String),
    /// A server message did not decode into the channel's message type.
    /// The connection stays open: the next message may decode.
    Decode(Box<MessageDecodeError>),
    /// A message to send did not serialize; nothing was sent.
    Encode(String),
    /// A server message was larger than the limit; the connection is
    /// closed.
    TooLarge {
        /// The limit, in bytes.
        limit: usize,
    },
    /// The server closed the connection with a code other than 1000
    /// (normal closure), or the connection ended without a close frame
    /// (code 1006, as RFC 6455 reports it).
    Closed {
        /// The close code, like 1008 (policy violation).
        code: u16,
        /// The reason the server gave, possibly empty.
        reason: String,
    },
    /// The connection is already closed: nothing more can be sent.
    AlreadyClosed,
    /// The open connection broke (reset, broken pipe).
    Io(io::Error),
}

impl RealtimeError {
    /// A short name for traces (never the message).
    pub(crate) fn kind(&self) -> &'static str {
        match self {
            RealtimeError::Connect(_) => "connect",
            RealtimeError::Handshake(_) => "handshake",
            RealtimeError::Protocol(_) => "protocol",
            RealtimeError::Decode(_) => "decode",
            RealtimeError::Encode(_) => "encode",
            RealtimeError::TooLarge { .. } => "too large",
            RealtimeError::Closed { .. } => "closed",
            RealtimeError::AlreadyClosed => "already closed",
            RealtimeError::Io(_) => "connection lost",
        }
    }

    /// True for a server message that did not decode: the connection is
    /// still open and the next message may decode, so a reader can go on.
    pub fn is_decode(&self) -> bool {
        matches!(self, RealtimeError::Decode(_))
    }

    /// True when the connection was already closed (by either side) and
    /// nothing more can be sent.
    pub fn is_already_closed(&self) -> bool {
        matches!(self, RealtimeError::AlreadyClosed)
    }

    /// The HTTP status of a refused upgrade.
    pub fn status(&self) -> Option<u16> {
        match self {
            RealtimeError::Handshake(error) => Some(error.status),
            _ => None,
        }
    }

    /// The code and reason of a close by the server.
    pub fn close(&self) -> Option<(u16, &str)> {
        match self {
            RealtimeError::Closed { code, reason } => Some((*code, reason)),
            _ => None,
        }
    }
}

impl fmt::Display for RealtimeError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            RealtimeError::Connect(_) => f.write_str("could not connect to the realtime API"),
            RealtimeError::Handshake(error) => fmt::Display::fmt(error, f),
            RealtimeError::Protocol(message) => {
                write!(f, "the server broke the WebSocket protocol: {message}")
            }
            RealtimeError::Decode(error) => fmt::Display::fmt(error, f),
            RealtimeError::Encode(message) => {
                write!(f, "could not serialize the message to send: {message}")
            }
            RealtimeError::TooLarge { limit } => write!(
                f,
                "a server message is larger than the limit of {limit} bytes"
            ),
            RealtimeError::Closed { code, reason } if reason.is_empty() => {
                write!(f, "the server closed the connection with code {code}")
            }
            RealtimeError::Closed { code, reason } => write!(
                f,
                "the server closed the connection with code {code}: {reason}"
            ),
            RealtimeError::AlreadyClosed => f.write_str("the connection is already closed"),
            RealtimeError::Io(_) => f.write_str("the connection broke"),
        }
    }
}

impl StdError for RealtimeError {
    fn source(&self) -> Option<&(dyn StdError + 'static)> {
        match self {
            RealtimeError::Connect(error) | RealtimeError::Io(error) => Some(error),
            _ => None,
        }
    }
}

/// An upgrade request the server refused.
#[non_exhaustive]
pub struct HandshakeError {
    /// The HTTP status, like 401.
    pub status: u16,
    /// The response headers.
    pub headers: HeaderMap,
    /// The body as received, up to the first
    /// [`ERROR_BODY_LIMIT`](crate::ERROR_BODY_LIMIT) bytes.
    pub body: Bytes,
    /// True when the body was longer than `body`, or did not finish
    /// arriving within the connect timeout.
    pub truncated: bool,
}

impl HandshakeError {
    pub(crate) fn new(status: u16, headers: HeaderMap, body: Bytes, truncated: bool) -> Self {
        HandshakeError {
            status,
            headers,
            body,
            truncated,
        }
    }

    /// The body as text, with invalid UTF-8 replaced.
    pub fn body_text(&self) -> std::borrow::Cow<'_, str> {
        String::from_utf8_lossy(&self.body)
    }
}

impl fmt::Debug for HandshakeError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("HandshakeError")
            .field("status", &self.status)
            .field("headers", &self.headers)
            .field("body", &excerpt(&self.body))
            .field("truncated", &self.truncated)
            .finish()
    }
}

impl fmt::Display for HandshakeError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(
            f,
            "the server refused the WebSocket upgrade with HTTP {}",
            self.status
        )?;
        if !self.body.is_empty() {
            write!(f, ": {}", excerpt(&self.body))?;
        }
        Ok(())
    }
}

/// A server message that did not decode.
#[derive(Debug, Clone, PartialEq, Eq)]
#[non_exhaustive]
pub struct MessageDecodeError {
    /// Where in the JSON message decoding failed, like `audio` or
    /// `alignment.chars[2]` (`.` for the message itself).
    pub path: String,
    /// What was wrong there.
    pub message: String,
    /// The start of the message, for context.
    pub excerpt: String,
}

impl MessageDecodeError {
    pub(crate) fn new(path: String, message: String, text: &[u8]) -> Box<Self> {
        Box::new(MessageDecodeError {
            path,
            message,
            excerpt: excerpt(text),
        })
    }
}

impl fmt::Display for MessageDecodeError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(
            f,
            "could not decode a server message at `{}`: {} (message: {})",
            self.path, self.message, self.excerpt
        )
    }
}

impl StdError for MessageDecodeError {}
