//! Errors of building a client and of sending a request.
//!
//! No error here ever holds the API key: the key only lives in a header
//! value marked sensitive inside the transport.

#[cfg(feature = "realtime")]
pub(crate) mod realtime;
mod text;

pub(crate) use text::excerpt;

use std::error::Error as StdError;
use std::fmt;

use bytes::Bytes;
use reqwest::header::HeaderMap;

/// Decodes the typed error body of a non-2xx answer; generated per API.
pub trait ErrorBody: Sized + Send + fmt::Debug + 'static {
    /// The typed body for `status`, or `None` when the API declares none for
    /// that status or the body does not match it (the raw bytes are kept
    /// either way in [`StatusError::raw_body`]).
    fn decode(status: u16, body: &[u8]) -> Option<Self>;
}

/// The error body type of APIs that declare no error bodies.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum NoErrorBody {}

impl ErrorBody for NoErrorBody {
    fn decode(_status: u16, _body: &[u8]) -> Option<Self> {
        None
    }
}

/// Everything that can go wrong when sending a request and reading its
/// answer. `E` is the API's typed error body (see [`ErrorBody`]).
#[derive(Debug)]
#[non_exhaustive]
pub enum Error<E> {
    /// Building the request failed: a body or parameter did not serialize,
    /// a file to upload could not be opened, a stream was already used, or
    /// the URL is invalid. Nothing was sent.
    Request(RequestError),
    /// The connection failed: refused, reset, DNS, TLS and the like.
    Transport(reqwest::Error),
    /// A time limit ran out: the call's total timeout, the read timeout
    /// (nothing arrived for that long) or the connect timeout.
    Timeout(TimeoutError),
    /// The server answered with a status other than 2xx.
    Status(Box<StatusError<E>>),
    /// A 2xx body did not decode into the expected type.
    Decode(Box<DecodeError>),
    /// The body broke off while it was being read.
    Body(reqwest::Error),
    /// A 2xx body (or one line of a stream) was larger than the client
    /// reads into memory (see
    /// [`ClientBuilder::max_response_size`](crate::ClientBuilder::max_response_size)).
    TooLarge(TooLargeError),
    /// A listing could not go on: the server sent a cursor it had sent
    /// before, said there was more without saying where, or sent the same
    /// page again. The stream of pages ends here rather than looping.
    Paging(PagingError),
    /// A realtime (WebSocket) channel failed: the upgrade was refused, the
    /// server broke the protocol or closed the connection, or a message
    /// did not decode (see [`RealtimeError`](crate::realtime::RealtimeError)).
    #[cfg(feature = "realtime")]
    Realtime(Box<realtime::RealtimeError>),
}

impl<E> Error<E> {
    /// The HTTP status of the answer, when one was received (for
    /// [`Error::Status`], [`Error::Decode`] and a refused WebSocket
    /// upgrade).
    pub fn status(&self) -> Option<u16> {
        match self {
            Error::Status(error) => Some(error.status),
            Error::Decode(error) => Some(error.status),
            #[cfg(feature = "realtime")]
            Error::Realtime(error) => error.status(),
            _ => None,
        }
    }

    /// The typed error body, when the answer had one that `E` decoded.
    pub fn error_body(&self) -> Option<&E> {
        self.status_error().and_then(|error| error.body.as_ref())
    }

    /// The details of a non-2xx answer.
    pub fn status_error(&self) -> Option<&StatusError<E>> {
        match self {
            Error::Status(error) => Some(error),
            _ => None,
        }
    }

    /// True when a timeout fired.
    pub fn is_timeout(&self) -> bool {
        matches!(self, Error::Timeout(_))
    }

    /// What went wrong on a realtime channel, for [`Error::Realtime`].
    #[cfg(feature = "realtime")]
    pub fn realtime(&self) -> Option<&realtime::RealtimeError> {
        match self {
            Error::Realtime(error) => Some(error),
            _ => None,
        }
    }
}

impl<E> fmt::Display for Error<E> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Error::Request(error) => write!(f, "could not build the request: {error}"),
            Error::Transport(_) => f.write_str("could not reach the API"),
            Error::Timeout(error) => write!(f, "the request timed out: {error}"),
            Error::Status(error) => fmt::Display::fmt(error, f),
            Error::Decode(error) => fmt::Display::fmt(error, f),
            Error::Body(_) => f.write_str("the response body broke off"),
            Error::TooLarge(error) => fmt::Display::fmt(error, f),
            Error::Paging(error) => fmt::Display::fmt(error, f),
            #[cfg(feature = "realtime")]
            Error::Realtime(error) => fmt::Display::fmt(error, f),
        }
    }
}

impl<E: fmt::Debug> StdError for Error<E> {
    fn source(&self) -> Option<&(dyn StdError + 'static)> {
        match self {
            Error::Request(error) => error.source(),
            Error::Transport(error) | Error::Body(error) => Some(error),
            Error::Timeout(error) => error.source(),
            Error::Status(_) | Error::Decode(_) | Error::TooLarge(_) | Error::Paging(_) => None,
            #[cfg(feature = "realtime")]
            Error::Realtime(error) => error.source(),
        }
    }
}

/// Why a request could not be built.
#[derive(Debug)]
pub struct RequestError {
    message: String,
    source: Option<Box<dyn StdError + Send + Sync>>,
}

impl RequestError {
    /// An error with a message and no underlying cause.
    pub(crate) fn new(message: impl Into<String>) -> Self {
        RequestError {
            message: message.into(),
            source: None,
        }
    }

    /// An error caused by `source`.
    pub(crate) fn caused_by(
        message: impl Into<String>,
        source: impl Into<Box<dyn StdError + Send + Sync>>,
    ) -> Self {
        RequestError {
            message: message.into(),
            source: Some(source.into()),
        }
    }

    /// What went wrong, without the underlying cause.
    pub fn message(&self) -> &str {
        &self.message
    }
}

impl fmt::Display for RequestError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.message)
    }
}

impl StdError for RequestError {
    fn source(&self) -> Option<&(dyn StdError + 'static)> {
        self.source.as_deref().map(|source| source as _)
    }
}

/// Which time limit ran out.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
#[non_exhaustive]
pub enum TimeoutKind {
    /// The call's total timeout
    /// ([`ClientBuilder::timeout`](crate::ClientBuilder::timeout)).
    Total,
    /// Nothing arrived for longer than the read timeout
    /// ([`ClientBuilder::read_timeout`](crate::ClientBuilder::read_timeout)).
    Read,
    /// The connection was not established within the connect timeout.
    Connect,
    /// A realtime message could not be written within the read timeout:
    /// the server stopped taking what is sent.
    Write,
}

/// A time limit ran out.
#[derive(Debug)]
pub struct TimeoutError {
    kind: TimeoutKind,
    source: Option<reqwest::Error>,
}

impl TimeoutError {
    pub(crate) fn total() -> Self {
        TimeoutError {
            kind: TimeoutKind::Total,
            source: None,
        }
    }

    /// The connect timeout of a connection made without reqwest.
    #[cfg(feature = "realtime")]
    pub(crate) fn connect() -> Self {
        TimeoutError {
            kind: TimeoutKind::Connect,
            source: None,
        }
    }

    /// The read timeout of a connection made without reqwest.
    #[cfg(feature = "realtime")]
    pub(crate) fn read() -> Self {
        TimeoutError {
            kind: TimeoutKind::Read,
            source: None,
        }
    }

    /// A write to a realtime connection that did not finish in time.
    #[cfg(feature = "realtime")]
    pub(crate) fn write() -> Self {
        TimeoutError {
            kind: TimeoutKind::Write,
            source: None,
        }
    }

    pub(crate) fn from_reqwest(error: reqwest::Error) -> Self {
        let kind = if error.is_connect() {
            TimeoutKind::Connect
        } else {
            TimeoutKind::Read
        };
        TimeoutError {
            kind,
            source: Some(error),
        }
    }

    /// Which limit ran out.
    pub fn kind(&self) -> TimeoutKind {
        self.kind
    }
}

impl fmt::Display for TimeoutError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(match self.kind {
            TimeoutKind::Total => "the call's total timeout ran out",
            TimeoutKind::Read => "the server sent nothing for longer than the read timeout",
            TimeoutKind::Connect => "the connection was not made within the connect timeout",
            TimeoutKind::Write => "the server took nothing for longer than the read timeout",
        })
    }
}

impl StdError for TimeoutError {
    fn source(&self) -> Option<&(dyn StdError + 'static)> {
        self.source.as_ref().map(|source| source as _)
    }
}

/// A body larger than the client reads into memory.
#[derive(Debug, Clone, PartialEq, Eq)]
#[non_exhaustive]
pub struct TooLargeError {
    /// The HTTP status of the answer.
    pub status: u16,
    /// The limit, in bytes.
    pub limit: usize,
    /// What was too large: `"the response body"`, `"an event"`, ….
    pub what: &'static str,
}

impl fmt::Display for TooLargeError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(
            f,
            "{} is larger than the limit of {} bytes (HTTP {})",
            self.what, self.limit, self.status
        )
    }
}

impl StdError for TooLargeError {}

/// Why a listing stopped before the server said it was done.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PagingError {
    /// The page (counting from 1) whose answer stopped the listing.
    pub page: usize,
    /// What the server did.
    pub reason: String,
}

impl fmt::Display for PagingError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "paging stopped at page {}: {}", self.page, self.reason)
    }
}

impl StdError for PagingError {}

/// A non-2xx answer.
#[non_exhaustive]
pub struct StatusError<E> {
    /// The HTTP status code.
    pub status: u16,
    /// The response headers.
    pub headers: HeaderMap,
    /// The body as received, up to the first
    /// [`ERROR_BODY_LIMIT`](crate::ERROR_BODY_LIMIT) bytes.
    pub raw_body: Bytes,
    /// True when the body was longer than `raw_body` and the rest was not
    /// read.
    pub truncated: bool,
    /// The body decoded by the API's [`ErrorBody`], if it matched.
    pub body: Option<E>,
}

impl<E> StatusError<E> {
    /// The raw body as text, with invalid UTF-8 replaced.
    pub fn body_text(&self) -> std::borrow::Cow<'_, str> {
        String::from_utf8_lossy(&self.raw_body)
    }
}

impl<E: ErrorBody> StatusError<E> {
    pub(crate) fn decode(raw: RawStatus) -> Self {
        let body = E::decode(raw.status, &raw.body);
        StatusError {
            status: raw.status,
            headers: raw.headers,
            raw_body: raw.body,
            truncated: raw.truncated,
            body,
        }
    }
}

impl<E: fmt::Debug> fmt::Debug for StatusError<E> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("StatusError")
            .field("status", &self.status)
            .field("headers", &self.headers)
            .field("body", &self.body)
            .field("raw_body", &excerpt(&self.raw_body))
            .finish()
    }
}

impl<E> fmt::Display for StatusError<E> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "the API answered HTTP {}", self.status)?;
        if let Some(reason) = reqwest::StatusCode::from_u16(self.status)
            .ok()
            .and_then(|status| status.canonical_reason())
        {
            write!(f, " {reason}")?;
        }
        if !self.raw_body.is_empty() {
            write!(f, ": {}", excerpt(&self.raw_body))?;
        }
        Ok(())
    }
}

/// A 2xx body (or one server-sent event) that did not decode.
#[derive(Debug)]
#[non_exhaustive]
pub struct DecodeError {
    /// Where in the JSON document decoding failed, like `items[1].id`
    /// (`.` for the document itself).
    pub path: String,
    /// What was wrong there.
    pub message: String,
    /// The HTTP status of the answer.
    pub status: u16,
    /// The start of the body, for context.
    pub excerpt: String,
}

impl DecodeError {
    pub(crate) fn new(status: u16, path: String, message: String, body: &[u8]) -> Box<Self> {
        Box::new(DecodeError {
            path,
            message,
            status,
            excerpt: excerpt(body),
        })
    }
}

impl fmt::Display for DecodeError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(
            f,
            "could not decode the response body at `{}`: {} (HTTP {}, body: {})",
            self.path, self.message, self.status, self.excerpt
        )
    }
}

impl StdError for DecodeError {}

/// Why a client could not be built.
#[derive(Debug)]
#[non_exhaustive]
pub enum ConfigError {
    /// The environment variable meant to hold the API key is unset or empty.
    MissingApiKeyEnv {
        /// The variable's name.
        variable: &'static str,
    },
    /// The API names no environment variable for its key.
    NoApiKeyEnv {
        /// The API's name.
        api: &'static str,
    },
    /// An API key was given, but the API names no header to send it in.
    NoApiKeyHeader {
        /// The API's name.
        api: &'static str,
    },
    /// The API key is empty or cannot be sent in a header (the key itself
    /// is not repeated here).
    InvalidApiKey,
    /// The user agent cannot be sent in a header.
    InvalidUserAgent,
    /// A header name from the API's configuration is not valid.
    InvalidHeaderName {
        /// The name.
        name: &'static str,
    },
    /// The base URL is not an absolute `http` or `https` URL.
    InvalidBaseUrl {
        /// The URL as given.
        url: String,
        /// What is wrong with it.
        reason: String,
    },
    /// The HTTP client could not be created.
    HttpClient(reqwest::Error),
}

impl fmt::Display for ConfigError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            ConfigError::MissingApiKeyEnv { variable } => write!(
                f,
                "the environment variable {variable} that should hold the API key is unset or empty"
            ),
            ConfigError::NoApiKeyEnv { api } => write!(
                f,
                "the {api} API has no environment variable for its key; pass the key with `api_key`"
            ),
            ConfigError::NoApiKeyHeader { api } => {
                write!(f, "the {api} API declares no header to send an API key in")
            }
            ConfigError::InvalidApiKey => {
                f.write_str("the API key is empty or contains characters a header cannot carry")
            }
            ConfigError::InvalidUserAgent => {
                f.write_str("the user agent contains characters a header cannot carry")
            }
            ConfigError::InvalidHeaderName { name } => {
                write!(f, "`{name}` is not a valid header name")
            }
            ConfigError::InvalidBaseUrl { url, reason } => {
                write!(f, "invalid base URL `{url}`: {reason}")
            }
            ConfigError::HttpClient(_) => f.write_str("could not create the HTTP client"),
        }
    }
}

impl StdError for ConfigError {
    fn source(&self) -> Option<&(dyn StdError + 'static)> {
        match self {
            ConfigError::HttpClient(error) => Some(error),
            _ => None,
        }
    }
}

/// A failure that does not depend on the API's error body type; the
/// non-generic parts of the crate return this and the generic entry points
/// convert it into [`Error`].
#[derive(Debug)]
pub(crate) enum Failure {
    Request(RequestError),
    Transport(reqwest::Error),
    Timeout(TimeoutError),
    Decode(Box<DecodeError>),
    Body(reqwest::Error),
    TooLarge(TooLargeError),
    #[cfg(feature = "realtime")]
    Realtime(Box<realtime::RealtimeError>),
}

impl Failure {
    /// A short name for traces (never the message, which may quote a URL).
    pub(crate) fn kind(&self) -> &'static str {
        match self {
            Failure::Request(_) => "request",
            Failure::Transport(error) if error.is_connect() => "connect",
            Failure::Transport(_) => "connection lost",
            Failure::Timeout(_) => "timeout",
            Failure::Decode(_) => "decode",
            Failure::Body(_) => "body",
            Failure::TooLarge(_) => "too large",
            #[cfg(feature = "realtime")]
            Failure::Realtime(error) => error.kind(),
        }
    }

    /// Classifies an error of sending a request and waiting for its answer.
    pub(crate) fn from_send(error: reqwest::Error) -> Self {
        if error.is_timeout() {
            Failure::Timeout(TimeoutError::from_reqwest(error))
        } else if error.is_builder() {
            Failure::Request(RequestError::caused_by("invalid request", error))
        } else {
            Failure::Transport(error)
        }
    }

    /// Classifies an error of reading a response body.
    pub(crate) fn from_body(error: reqwest::Error) -> Self {
        if error.is_timeout() {
            Failure::Timeout(TimeoutError::from_reqwest(error))
        } else {
            Failure::Body(error)
        }
    }
}

impl<E> From<Failure> for Error<E> {
    fn from(failure: Failure) -> Self {
        match failure {
            Failure::Request(error) => Error::Request(error),
            Failure::Transport(error) => Error::Transport(error),
            Failure::Timeout(error) => Error::Timeout(error),
            Failure::Decode(error) => Error::Decode(error),
            Failure::Body(error) => Error::Body(error),
            Failure::TooLarge(error) => Error::TooLarge(error),
            #[cfg(feature = "realtime")]
            Failure::Realtime(error) => Error::Realtime(error),
        }
    }
}

impl From<RequestError> for Failure {
    fn from(error: RequestError) -> Self {
        Failure::Request(error)
    }
}

#[cfg(feature = "realtime")]
impl From<realtime::RealtimeError> for Failure {
    fn from(error: realtime::RealtimeError) -> Self {
        Failure::Realtime(Box::new(error))
    }
}

/// A non-2xx answer before its body is decoded by the API's error type.
#[derive(Debug)]
pub(crate) struct RawStatus {
    pub(crate) status: u16,
    pub(crate) headers: HeaderMap,
    pub(crate) body: Bytes,
    pub(crate) truncated: bool,
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn excerpt_cuts_long_bodies_on_a_character_boundary() {
        let body = "é".repeat(text::EXCERPT_CHARS + 10);
        let quoted = excerpt(body.as_bytes());
        assert_eq!(quoted.chars().count(), text::EXCERPT_CHARS + 1);
        assert!(quoted.ends_with('…'));
        assert_eq!(excerpt(b"short"), "short");
    }

    #[test]
    fn status_error_display_names_the_status_and_quotes_the_body() {
        let error: Error<NoErrorBody> = Error::Status(Box::new(StatusError {
            status: 404,
            headers: HeaderMap::new(),
            raw_body: Bytes::from_static(b"{\"detail\":\"voice not found\"}"),
            truncated: false,
            body: None,
        }));
        assert_eq!(
            error.to_string(),
            r#"the API answered HTTP 404 Not Found: {"detail":"voice not found"}"#
        );
        assert_eq!(error.status(), Some(404));
    }

    #[cfg(feature = "realtime")]
    #[test]
    fn a_realtime_error_tells_a_message_that_did_not_decode_from_a_closed_channel() {
        use realtime::{MessageDecodeError, RealtimeError};
        let undecoded: Error<NoErrorBody> = Error::Realtime(Box::new(RealtimeError::Decode(
            MessageDecodeError::new("audio".into(), "not base64".into(), b"{}"),
        )));
        let closed: Error<NoErrorBody> = Error::Realtime(Box::new(RealtimeError::AlreadyClosed));
        let timeout: Error<NoErrorBody> = Error::Timeout(TimeoutError::total());
        assert!(undecoded.realtime().is_some_and(RealtimeError::is_decode));
        assert!(!undecoded
            .realtime()
            .is_some_and(RealtimeError::is_already_closed));
        assert!(closed
            .realtime()
            .is_some_and(RealtimeError::is_already_closed));
        assert!(!closed.realtime().is_some_and(RealtimeError::is_decode));
        assert!(timeout.realtime().is_none());
    }

    #[test]
    fn decode_error_display_names_the_path() {
        let error = DecodeError::new(200, "items[1].id".into(), "missing".into(), b"{}");
        assert_eq!(
            error.to_string(),
            "could not decode the response body at `items[1].id`: missing (HTTP 200, body: {})"
        );
    }

    #[test]
    fn missing_env_error_names_the_variable() {
        let error = ConfigError::MissingApiKeyEnv {
            variable: "ELEVENLABS_API_KEY",
        };
        assert!(error.to_string().contains("ELEVENLABS_API_KEY"));
    }
}
