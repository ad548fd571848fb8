//! Sending: the one path every call takes from a [`Request`] to a
//! [`Response`], with the API key and default headers, the user's hooks,
//! retries, the call's deadline and its trace.

use std::fmt;
use std::sync::Arc;
use std::time::{Duration, Instant, SystemTime};

use reqwest::header::{HeaderMap, HeaderName, HeaderValue, ACCEPT, CONTENT_TYPE, USER_AGENT};
use reqwest::Url;

use crate::error::{Error, ErrorBody, Failure, RawStatus, RequestError, StatusError};
use crate::http::hook::Hook;
use crate::http::retry::{retry_after, status_replay, Replay, RetryPolicy};
use crate::http::trace;
use crate::request::{Body, Request};
use crate::response::body::{before, deadline_after, read_error_body};
use crate::response::{Limits, Response};
use tracing::Instrument;

/// Sends requests for a generated client: adds the API key, user agent and
/// default `accept`, retries, and turns non-2xx answers into
/// [`Error::Status`]. Cloning is cheap and clones share connections.
#[derive(Clone)]
pub struct Transport {
    shared: Arc<Settings>,
}

/// What [`ClientBuilder`](crate::ClientBuilder) configured.
pub(crate) struct Settings {
    pub(crate) api: &'static str,
    pub(crate) http: reqwest::Client,
    pub(crate) base_url: String,
    /// The API key (marked sensitive) and the user agent.
    pub(crate) default_headers: HeaderMap,
    pub(crate) key_header: Option<HeaderName>,
    pub(crate) total_timeout: Duration,
    /// Also set on `http`; kept for connections made without it (realtime).
    pub(crate) connect_timeout: Duration,
    /// Also set on `http`; kept for connections made without it (realtime).
    pub(crate) read_timeout: Duration,
    pub(crate) max_response_size: usize,
    pub(crate) retry: RetryPolicy,
    pub(crate) hooks: Vec<Arc<dyn Hook>>,
}

/// Why an attempt did not produce a usable answer.
enum SendFailure {
    Status(RawStatus),
    Other(Failure),
}

impl SendFailure {
    /// What went wrong, for traces: a status or the kind of failure, never
    /// a message (messages can quote URLs and bodies).
    fn kind(&self) -> trace::FailureKind {
        match self {
            SendFailure::Status(raw) => trace::FailureKind::Status(raw.status),
            SendFailure::Other(failure) => trace::FailureKind::Other(failure.kind()),
        }
    }
}

impl From<Failure> for SendFailure {
    fn from(failure: Failure) -> Self {
        SendFailure::Other(failure)
    }
}

impl From<RequestError> for SendFailure {
    fn from(error: RequestError) -> Self {
        SendFailure::Other(Failure::Request(error))
    }
}

impl Transport {
    pub(crate) fn new(settings: Settings) -> Self {
        Transport {
            shared: Arc::new(settings),
        }
    }

    /// What the client was configured with, for connections that do not
    /// go through `reqwest` (realtime channels).
    #[cfg(feature = "realtime")]
    pub(crate) fn settings(&self) -> &Settings {
        &self.shared
    }

    /// The base URL requests go to, without a trailing slash.
    pub fn base_url(&self) -> &str {
        &self.shared.base_url
    }

    /// Sends `request`, retrying as the [`RetryPolicy`] says. A 2xx answer
    /// is returned unread; any other becomes [`Error::Status`] with the body
    /// decoded by `E`.
    pub async fn send<E: ErrorBody>(&self, request: Request) -> Result<Response, Error<E>> {
        let limits = Limits {
            max_size: self.shared.max_response_size,
            deadline: deadline_after(Instant::now(), self.shared.total_timeout),
        };
        match self.send_with_retries(request, limits.deadline).await {
            Ok(response) => Ok(Response::new(response, limits)),
            Err(SendFailure::Status(raw)) => Err(Error::Status(Box::new(StatusError::decode(raw)))),
            Err(SendFailure::Other(failure)) => Err(failure.into()),
        }
    }

    /// The real work of [`send`](Self::send), kept free of the error body
    /// type so it is compiled once rather than once per API error type.
    async fn send_with_retries(
        &self,
        mut request: Request,
        deadline: Option<Instant>,
    ) -> Result<reqwest::Response, SendFailure> {
        if let Some(error) = request.take_error() {
            return Err(error.into());
        }
        let url = self.url_for(&request)?;
        let headers = self.headers_for(&request);
        let span = trace::call_span(self.shared.api, &request);
        let started = Instant::now();
        let result = self
            .attempts(&request, &url, &headers, deadline)
            .instrument(span.clone())
            .await;
        trace::finish(&span, started, result.as_ref().map_err(SendFailure::kind));
        result
    }

    /// Attempts until one succeeds, or the failure may not or need not be
    /// retried.
    async fn attempts(
        &self,
        request: &Request,
        url: &Url,
        headers: &HeaderMap,
        deadline: Option<Instant>,
    ) -> Result<reqwest::Response, SendFailure> {
        let policy = &self.shared.retry;
        let mut backoffs = policy.backoffs();
        for attempt in 1.. {
            let started = Instant::now();
            let outcome = self.attempt(request, url, headers, deadline).await;
            trace::attempt(
                attempt,
                started,
                outcome.as_ref().map_err(SendFailure::kind),
            );
            let failure = match outcome {
                Ok(response) => return Ok(response),
                Err(failure) => failure,
            };
            let (replay, retry_after) = replay_of(&failure);
            let wait = if policy.allows(replay, &request.method) && request.is_replayable() {
                policy.next_wait(&mut backoffs, retry_after)
            } else {
                None
            };
            match wait {
                Some(wait) if !outlasts(deadline, wait) => {
                    trace::retry(attempt, failure.kind(), wait);
                    tokio::time::sleep(wait).await;
                }
                _ => return Err(failure),
            }
        }
        unreachable!("the attempts are numbered without end")
    }

    /// Sends once, before the deadline; of a non-2xx answer the start of
    /// the body is read into the failure.
    async fn attempt(
        &self,
        request: &Request,
        url: &Url,
        headers: &HeaderMap,
        deadline: Option<Instant>,
    ) -> Result<reqwest::Response, SendFailure> {
        let builder = self
            .shared
            .http
            .request(request.method.clone(), url.clone())
            .headers(headers.clone());
        let builder = match &request.body {
            Body::Empty => builder,
            Body::Bytes { content, .. } => builder.body(content.clone()),
            Body::Multipart(form) => builder.multipart(form.build().await?),
        };
        let mut outgoing = builder.build().map_err(Failure::from_send)?;
        for hook in &self.shared.hooks {
            hook.on_request(&mut outgoing);
        }
        let mut response = before(deadline, self.shared.http.execute(outgoing))
            .await?
            .map_err(Failure::from_send)?;
        for hook in &self.shared.hooks {
            hook.on_response(&response);
        }
        if response.status().is_success() {
            return Ok(response);
        }
        let status = response.status().as_u16();
        let headers = response.headers().clone();
        let (body, truncated) = before(deadline, read_error_body(&mut response)).await??;
        Err(SendFailure::Status(RawStatus {
            status,
            headers,
            body,
            truncated,
        }))
    }

    /// The base URL with the request's path and query.
    pub(crate) fn url_for(&self, request: &Request) -> Result<Url, RequestError> {
        let separator = if request.path.starts_with('/') {
            ""
        } else {
            "/"
        };
        let text = format!("{}{separator}{}", self.shared.base_url, request.path);
        let mut url = Url::parse(&text)
            .map_err(|error| RequestError::caused_by(format!("invalid URL `{text}`"), error))?;
        if !request.query.is_empty() {
            let mut pairs = url.query_pairs_mut();
            for (name, value) in &request.query {
                pairs.append_pair(name, value);
            }
        }
        Ok(url)
    }

    fn headers_for(&self, request: &Request) -> HeaderMap {
        let mut headers = self.shared.default_headers.clone();
        let accept = request
            .accept
            .clone()
            .unwrap_or_else(|| HeaderValue::from_static("application/json"));
        headers.insert(ACCEPT, accept);
        if let Body::Bytes { content_type, .. } = &request.body {
            headers.insert(CONTENT_TYPE, content_type.clone());
        }
        self.add_request_headers(&mut headers, request);
        headers
    }

    /// The API key (marked sensitive), the user agent and the request's own
    /// headers: what a realtime upgrade request carries.
    #[cfg(feature = "realtime")]
    pub(crate) fn key_and_request_headers(&self, request: &Request) -> HeaderMap {
        let mut headers = self.shared.default_headers.clone();
        self.add_request_headers(&mut headers, request);
        headers
    }

    fn add_request_headers(&self, headers: &mut HeaderMap, request: &Request) {
        for (name, value) in &request.headers {
            let mut value = value.clone();
            // A key passed as an operation parameter is as secret as ours.
            if self.shared.key_header.as_ref() == Some(name) {
                value.set_sensitive(true);
            }
            headers.insert(name.clone(), value);
        }
    }
}

/// True when waiting `wait` would reach the deadline, so a retry could not
/// finish in time.
fn outlasts(deadline: Option<Instant>, wait: Duration) -> bool {
    deadline.is_some_and(|deadline| {
        deadline_after(Instant::now(), wait).is_none_or(|end| end >= deadline)
    })
}

/// Whether the failure may be sent again (see [`RetryPolicy`]), with the
/// wait the server asked for, if any.
fn replay_of(failure: &SendFailure) -> (Replay, Option<Duration>) {
    match failure {
        SendFailure::Status(raw) => (
            status_replay(raw.status),
            retry_after(&raw.headers, SystemTime::now()),
        ),
        // The connection was never made, so the server cannot have acted.
        SendFailure::Other(Failure::Transport(error)) if error.is_connect() => {
            (Replay::Always, None)
        }
        // The request went out and no answer came back (a keep-alive
        // connection the server had just closed, a reset): the server may
        // or may not have acted.
        SendFailure::Other(Failure::Transport(_)) => (Replay::IfIdempotent, None),
        SendFailure::Other(_) => (Replay::Never, None),
    }
}

impl fmt::Debug for Transport {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let has_key = self
            .shared
            .key_header
            .as_ref()
            .is_some_and(|name| self.shared.default_headers.contains_key(name));
        f.debug_struct("Transport")
            .field("api", &self.shared.api)
            .field("base_url", &self.shared.base_url)
            .field("api_key", &if has_key { "<redacted>" } else { "none" })
            .field("user_agent", &self.shared.default_headers.get(USER_AGENT))
            .field("timeout", &self.shared.total_timeout)
            .field("connect_timeout", &self.shared.connect_timeout)
            .field("read_timeout", &self.shared.read_timeout)
            .field("max_response_size", &self.shared.max_response_size)
            .field("retry", &self.shared.retry)
            .finish()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn waits_and_deadlines_of_any_length_do_not_overflow() {
        let now = Instant::now();
        assert!(!outlasts(None, Duration::MAX));
        assert!(outlasts(Some(now + Duration::from_secs(1)), Duration::MAX));
        assert!(outlasts(deadline_after(now, Duration::MAX), Duration::MAX));
    }
}
