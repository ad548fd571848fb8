//! Opening a channel: the `ws(s)` URL from the client's base URL and the
//! request, the upgrade within the connect timeout, and the limits the
//! connection keeps.

use std::sync::Arc;
use std::time::{Duration, Instant};

use futures_util::StreamExt;
use reqwest::Url;
use serde::de::DeserializeOwned;
use serde::Serialize;
use tokio_tungstenite::tungstenite::protocol::{Role, WebSocketConfig};
use tokio_tungstenite::WebSocketStream;
use tracing::Instrument;

use crate::error::{Error, Failure, RequestError};
use crate::http::transport::Transport;
use crate::realtime::connection::{Connection, Parts};
use crate::realtime::frames::{Frames, Reader, Writer};
use crate::realtime::handshake;
use crate::realtime::reply::AutoReply;
use crate::request::Request;
use crate::response::body::deadline_after;

/// How a channel is opened; the defaults come from the client.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct ConnectOptions {
    auto_reply: bool,
    max_message_size: Option<usize>,
    idle_timeout: Option<Duration>,
}

impl Default for ConnectOptions {
    fn default() -> Self {
        ConnectOptions {
            auto_reply: true,
            max_message_size: None,
            idle_timeout: None,
        }
    }
}

impl ConnectOptions {
    /// Whether server messages that call for an answer (see
    /// [`AutoReply`]) are answered by the connection itself before they
    /// are handed on (default: yes).
    pub fn auto_reply(mut self, on: bool) -> Self {
        self.auto_reply = on;
        self
    }

    /// The largest server message (and frame) accepted, in bytes; a larger
    /// one ends the connection with
    /// [`RealtimeError::TooLarge`](crate::realtime::RealtimeError::TooLarge).
    /// Default: the client's
    /// [`max_response_size`](crate::ClientBuilder::max_response_size).
    pub fn max_message_size(mut self, bytes: usize) -> Self {
        self.max_message_size = Some(bytes);
        self
    }

    /// The longest wait for the next server frame before the stream fails
    /// with a read [`Error::Timeout`](crate::Error::Timeout), and for one
    /// send to be written (a server that stops reading fails it with a
    /// write timeout, after which the connection is best dropped: part of
    /// the message may have gone out); `Duration::MAX` for none. Default:
    /// the client's [`read_timeout`](crate::ClientBuilder::read_timeout).
    pub fn idle_timeout(mut self, timeout: Duration) -> Self {
        self.idle_timeout = Some(timeout);
        self
    }
}

/// Opens the channel `request` names (its path, path parameters, query
/// and headers; the method and body are not used) on the client's base
/// URL with `https` as `wss` (and `http`, which the client only accepts
/// for a loopback address or with
/// [`allow_insecure_http`](crate::ClientBuilder::allow_insecure_http), as
/// `ws`), sending the API key and user agent in the upgrade request.
///
/// The connection, TLS and upgrade must finish within the client's
/// connect timeout. A refused upgrade is
/// [`RealtimeError::Handshake`](crate::realtime::RealtimeError::Handshake)
/// with its status and body.
pub async fn connect<Out, In, E>(
    transport: &Transport,
    request: Request,
    options: ConnectOptions,
) -> Result<Connection<Out, In, E>, Error<E>>
where
    Out: Serialize + Send + 'static,
    In: DeserializeOwned + AutoReply<Out> + Send + 'static,
    E: Send + 'static,
{
    Ok(Connection::new(open(transport, request, options).await?))
}

/// The work of [`connect`], free of the message types.
async fn open(
    transport: &Transport,
    mut request: Request,
    options: ConnectOptions,
) -> Result<Parts, Failure> {
    if let Some(error) = request.take_error() {
        return Err(error.into());
    }
    let settings = transport.settings();
    let url = websocket_url(transport, &request)?;
    let headers = transport.key_and_request_headers(&request);
    let limit = options
        .max_message_size
        .unwrap_or(settings.max_response_size);
    let span = tracing::info_span!(
        "realtime_connect",
        api = settings.api,
        operation = request.operation,
        path = %request.template,
    );
    let started = Instant::now();
    let deadline = deadline_after(started, settings.connect_timeout);
    let upgraded = handshake::upgrade(&url, &headers, deadline)
        .instrument(span.clone())
        .await;
    drop(headers);
    let duration_ms = u64::try_from(started.elapsed().as_millis()).unwrap_or(u64::MAX);
    let upgraded = match upgraded {
        Ok(upgraded) => upgraded,
        Err(failure) => {
            let failure_kind = failure.kind();
            span.in_scope(|| tracing::debug!(failure = failure_kind, duration_ms, "not opened"));
            return Err(failure);
        }
    };
    span.in_scope(|| tracing::debug!(duration_ms, "opened"));
    let config = WebSocketConfig::default()
        .max_message_size(Some(limit))
        .max_frame_size(Some(limit));
    let frames: Frames = WebSocketStream::from_partially_read(
        upgraded.socket,
        upgraded.leftover,
        Role::Client,
        Some(config),
    )
    .await;
    let (sink, stream) = frames.split();
    let idle_timeout = options.idle_timeout.unwrap_or(settings.read_timeout);
    let writer = Arc::new(Writer::new(sink, idle_timeout));
    let reader = Reader::new(
        stream,
        Arc::clone(&writer),
        options.auto_reply,
        idle_timeout,
        limit,
    );
    Ok(Parts {
        writer,
        reader,
        path: request.template,
        close_timeout: settings.connect_timeout,
    })
}

/// The request's URL (see [`Transport`]: the base URL, the path with its
/// percent-encoded segments, the query) with the WebSocket scheme.
fn websocket_url(transport: &Transport, request: &Request) -> Result<Url, RequestError> {
    let mut url = transport.url_for(request)?;
    let scheme = match url.scheme() {
        "https" => "wss",
        "http" => "ws",
        _ => return Err(RequestError::new("the base URL is not http or https")),
    };
    url.set_scheme(scheme)
        .map_err(|()| RequestError::new("the base URL cannot carry a WebSocket scheme"))?;
    Ok(url)
}
