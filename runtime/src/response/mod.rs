//! Reading answers: a successful body as JSON, text, bytes, a byte stream,
//! server-sent events or a stream of JSON values, always within the size
//! cap and the deadline.

pub(crate) mod body;
#[doc(hidden)]
pub mod json_stream;
#[doc(hidden)]
pub mod sse;

use std::any::Any;
use std::fmt;
use std::marker::PhantomData;
use std::pin::Pin;
use std::task::{Context, Poll};
use std::time::Instant;

use bytes::{Bytes, BytesMut};
use futures_core::Stream;
use futures_util::StreamExt;
use reqwest::header::{HeaderMap, CONTENT_TYPE};
use serde::de::DeserializeOwned;

use crate::error::{DecodeError, Error, Failure, TooLargeError};
use crate::response::body::{append_limited, before, decode_json, read_limited, BodyStream};
pub use crate::response::json_stream::JsonStream;
use crate::response::sse::{SseError, SseParser};

/// How much of an answer may be buffered, and until when a non-streaming
/// call may read it.
#[derive(Debug, Clone, Copy)]
pub(crate) struct Limits {
    pub(crate) max_size: usize,
    pub(crate) deadline: Option<Instant>,
}

/// A successful (2xx) answer whose body has not been read yet.
///
/// The body is read by exactly one of the consuming methods, chosen by
/// generated code from the operation's declared response. Whatever is read
/// into memory is capped by
/// [`ClientBuilder::max_response_size`](crate::ClientBuilder::max_response_size);
/// [`json`](Self::json), [`text`](Self::text) and [`empty`](Self::empty)
/// also stop at the call's total timeout.
pub struct Response {
    inner: reqwest::Response,
    limits: Limits,
}

impl Response {
    pub(crate) fn new(inner: reqwest::Response, limits: Limits) -> Self {
        Response { inner, limits }
    }

    /// The HTTP status code.
    pub fn status(&self) -> u16 {
        self.inner.status().as_u16()
    }

    /// The response headers.
    pub fn headers(&self) -> &HeaderMap {
        self.inner.headers()
    }

    /// The underlying `reqwest` response, for anything this type does not
    /// cover.
    pub fn into_inner(self) -> reqwest::Response {
        self.inner
    }

    /// Reads the body and decodes it as JSON. A decode error names the JSON
    /// path of the failing field, like `items[1].id`.
    ///
    /// Some operations offer JSON or plain text (a transcript as a JSON
    /// model or as SRT). When the server picks `text/*`, the text is decoded
    /// as a JSON string, so a schema that admits a string still gets it.
    pub async fn json<T: DeserializeOwned, E>(self) -> Result<T, Error<E>> {
        let status = self.status();
        let is_text = self
            .headers()
            .get(reqwest::header::CONTENT_TYPE)
            .and_then(|value| value.to_str().ok())
            .is_some_and(|value| value.trim_start().starts_with("text/"));
        let body = self.read_body().await?;
        match decode_json(status, &body) {
            Err(error) if is_text => decode_text_as_json_string(status, &body).ok_or(error),
            decoded => decoded,
        }
        .map_err(Error::Decode)
    }

    /// Reads and discards the body.
    pub async fn empty<E>(self) -> Result<(), Error<E>> {
        Ok(self.drain().await?)
    }

    /// Reads the body as UTF-8 text.
    pub async fn text<E>(self) -> Result<String, Error<E>> {
        let status = self.status();
        let body = self.read_body().await?;
        String::from_utf8(body.to_vec()).map_err(|error| {
            Error::Decode(DecodeError::new(
                status,
                ".".to_owned(),
                error.to_string(),
                &body,
            ))
        })
    }

    /// The body as a stream of chunks, yielded as they arrive.
    /// The stream has no total timeout (long audio keeps coming); the read
    /// timeout bounds each wait for the next chunk.
    pub fn byte_stream<E>(self) -> ByteStream<E> {
        let headers = self.inner.headers().clone();
        ByteStream {
            status: self.status(),
            max_size: self.limits.max_size,
            chunks: Box::pin(self.inner.bytes_stream()),
            headers,
            finished: false,
            error_body: PhantomData,
        }
    }

    /// The body as a stream of server-sent events (`text/event-stream`),
    /// each event's data decoded as `T` (see [`EventStream`]).
    pub fn event_stream<T: DeserializeOwned + 'static, E>(self) -> EventStream<T, E> {
        EventStream {
            status: self.status(),
            parser: SseParser::new(self.limits.max_size),
            chunks: Box::pin(self.inner.bytes_stream()),
            finished: false,
            item: PhantomData,
        }
    }

    /// The body as a stream of JSON values (newline-delimited or
    /// concatenated), each decoded as `T` as it arrives (see
    /// [`JsonStream`]).
    pub fn json_stream<T: DeserializeOwned, E>(self) -> JsonStream<T, E> {
        JsonStream::new(
            self.status(),
            self.limits.max_size,
            Box::pin(self.inner.bytes_stream()),
        )
    }

    async fn read_body(mut self) -> Result<Bytes, Failure> {
        let limits = self.limits;
        before(
            limits.deadline,
            read_limited(&mut self.inner, limits.max_size),
        )
        .await?
    }

    async fn drain(mut self) -> Result<(), Failure> {
        let deadline = self.limits.deadline;
        before(deadline, async move {
            while self
                .inner
                .chunk()
                .await
                .map_err(Failure::from_body)?
                .is_some()
            {}
            Ok(())
        })
        .await?
    }
}

impl fmt::Debug for Response {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Response")
            .field("status", &self.status())
            .field("headers", self.headers())
            .finish()
    }
}

fn decode_text_as_json_string<T: DeserializeOwned>(status: u16, body: &[u8]) -> Option<T> {
    let text = std::str::from_utf8(body).ok()?;
    let quoted = serde_json::to_vec(text).ok()?;
    decode_json(status, &quoted).ok()
}

/// A response body as a stream of byte chunks, yielded as they arrive
/// (audio from a streaming endpoint can be played before it ends).
///
/// The stream ends after the first error.
pub struct ByteStream<E> {
    status: u16,
    max_size: usize,
    chunks: BodyStream,
    headers: HeaderMap,
    finished: bool,
    error_body: PhantomData<fn() -> E>,
}

impl<E> ByteStream<E> {
    /// The `content-type` of the body, like `audio/mpeg`.
    pub fn content_type(&self) -> Option<&str> {
        self.headers.get(CONTENT_TYPE)?.to_str().ok()
    }

    /// The response headers.
    pub fn headers(&self) -> &HeaderMap {
        &self.headers
    }

    /// Reads the rest of the body into one buffer, up to
    /// [`ClientBuilder::max_response_size`](crate::ClientBuilder::max_response_size)
    /// ([`Error::TooLarge`] past it).
    pub async fn bytes(self) -> Result<Bytes, Error<E>> {
        Ok(collect(self.chunks, self.status, self.max_size).await?)
    }
}

async fn collect(mut chunks: BodyStream, status: u16, limit: usize) -> Result<Bytes, Failure> {
    let mut body = BytesMut::new();
    while let Some(chunk) = chunks.next().await {
        append_limited(
            &mut body,
            &chunk.map_err(Failure::from_body)?,
            limit,
            status,
        )?;
    }
    Ok(body.freeze())
}

impl<E> Stream for ByteStream<E> {
    type Item = Result<Bytes, Error<E>>;

    fn poll_next(mut self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<Option<Self::Item>> {
        if self.finished {
            return Poll::Ready(None);
        }
        let item = std::task::ready!(self.chunks.as_mut().poll_next(cx));
        let item = item.map(|chunk| chunk.map_err(|error| Failure::from_body(error).into()));
        self.finished = !matches!(item, Some(Ok(_)));
        Poll::Ready(item)
    }
}

impl<E> fmt::Debug for ByteStream<E> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("ByteStream")
            .field("content_type", &self.content_type())
            .field("finished", &self.finished)
            .finish()
    }
}

/// A `text/event-stream` body as a stream of decoded events.
///
/// Each event's `data` (its `data:` lines joined by newlines) is decoded as
/// JSON into `T`, except that `T = String` receives the data as is, without
/// JSON decoding. So generated code can write both
/// `EventStream<types::Foo, ErrorBody>` and `EventStream<String, ErrorBody>`.
/// Event names, ids and comments are not exposed; events without data are
/// skipped, as the SSE standard says.
///
/// Parsing is linear in the body's length, and one line or one event's data
/// longer than
/// [`ClientBuilder::max_response_size`](crate::ClientBuilder::max_response_size)
/// gives [`Error::TooLarge`]. A `data` that does not decode gives
/// [`Error::Decode`]; the stream ends after the first error.
pub struct EventStream<T, E> {
    status: u16,
    parser: SseParser,
    chunks: BodyStream,
    finished: bool,
    item: PhantomData<fn() -> (T, E)>,
}

impl<T, E> EventStream<T, E> {
    /// The next event's data, reading chunks until one is complete.
    fn poll_event(&mut self, cx: &mut Context<'_>) -> Poll<Option<Result<String, Failure>>> {
        loop {
            if let Some(event) = self.parser.next_event() {
                return Poll::Ready(Some(Ok(event)));
            }
            let Some(chunk) = std::task::ready!(self.chunks.as_mut().poll_next(cx)) else {
                return Poll::Ready(None);
            };
            let pushed = chunk
                .map_err(Failure::from_body)
                .and_then(|chunk| self.parser.push(&chunk).map_err(|e| self.sse_failure(e)));
            if let Err(failure) = pushed {
                return Poll::Ready(Some(Err(failure)));
            }
        }
    }

    fn sse_failure(&self, error: SseError) -> Failure {
        match error {
            SseError::TooLarge => Failure::TooLarge(TooLargeError {
                status: self.status,
                limit: self.parser.limit(),
                what: "a line or an event of the event stream",
            }),
            SseError::NotUtf8 => Failure::Decode(DecodeError::new(
                self.status,
                ".".to_owned(),
                "the event stream is not valid UTF-8".to_owned(),
                b"",
            )),
        }
    }
}

impl<T: DeserializeOwned + 'static, E> Stream for EventStream<T, E> {
    type Item = Result<T, Error<E>>;

    fn poll_next(mut self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<Option<Self::Item>> {
        if self.finished {
            return Poll::Ready(None);
        }
        let status = self.status;
        let item = std::task::ready!(self.poll_event(cx)).map(|data| {
            data.and_then(|data| decode_event_data::<T>(status, data))
                .map_err(Error::from)
        });
        self.finished = !matches!(item, Some(Ok(_)));
        Poll::Ready(item)
    }
}

impl<T, E> fmt::Debug for EventStream<T, E> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("EventStream")
            .field("status", &self.status)
            .field("finished", &self.finished)
            .finish()
    }
}

/// The data of one event as `T`: as is for `String`, else decoded as JSON.
fn decode_event_data<T: DeserializeOwned + 'static>(
    status: u16,
    data: String,
) -> Result<T, Failure> {
    // `Any` tells whether `T` is `String` without specialization.
    let mut raw = Some(data);
    if let Some(as_t) = (&mut raw as &mut dyn Any).downcast_mut::<Option<T>>() {
        if let Some(text) = as_t.take() {
            return Ok(text);
        }
    }
    let data = raw.unwrap_or_default();
    decode_json(status, data.as_bytes()).map_err(Failure::Decode)
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde::Deserialize;

    #[derive(Debug, Deserialize, PartialEq)]
    struct Item {
        id: u32,
    }

    #[derive(Debug, Deserialize)]
    #[allow(dead_code)]
    struct Page {
        items: Vec<Item>,
    }

    #[test]
    fn decode_errors_name_the_failing_path() {
        let body = br#"{"items":[{"id":1},{"id":"two"}]}"#;
        let error = decode_json::<Page>(200, body).unwrap_err();
        assert_eq!(error.path, "items[1].id");
        assert!(error.message.contains("invalid type"), "{}", error.message);
        assert_eq!(error.status, 200);
        assert_eq!(error.excerpt, String::from_utf8_lossy(body));
    }

    #[test]
    fn trailing_garbage_is_a_decode_error() {
        let error = decode_json::<Item>(200, br#"{"id":1} x"#).unwrap_err();
        assert!(error.message.contains("trailing"), "{}", error.message);
    }

    #[test]
    fn event_data_is_raw_for_strings_and_json_otherwise() {
        let text: String = decode_event_data(200, r#"{"id":1}"#.to_owned()).unwrap();
        assert_eq!(text, r#"{"id":1}"#);
        let item: Item = decode_event_data(200, r#"{"id":1}"#.to_owned()).unwrap();
        assert_eq!(item, Item { id: 1 });
        let value: serde_json::Value = decode_event_data(200, "[1]".to_owned()).unwrap();
        assert_eq!(value, serde_json::json!([1]));
        let quoted: Option<String> = decode_event_data(200, r#""hi""#.to_owned()).unwrap();
        assert_eq!(quoted.as_deref(), Some("hi"));
        assert!(decode_event_data::<Item>(200, "not json".to_owned()).is_err());
    }
}
