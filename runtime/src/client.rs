use std::fmt;
use std::marker::PhantomData;
use std::sync::Arc;
use std::time::{Duration, Instant, SystemTime};

use reqwest::header::{HeaderMap, HeaderName, HeaderValue, ACCEPT, CONTENT_TYPE, USER_AGENT};
use reqwest::{redirect, Url};

use crate::error::{ConfigError, Error, ErrorBody, Failure, RawStatus, RequestError, StatusError};
use crate::request::{Body, Request};
use crate::response::Response;
use crate::retry::{is_retryable_status, retry_after, RetryPolicy};

/// A boxed future that can move between threads; generated operations
/// return these.
pub type BoxFuture<'a, T> = std::pin::Pin<Box<dyn std::future::Future<Output = T> + Send + 'a>>;

const DEFAULT_CONNECT_TIMEOUT: Duration = Duration::from_secs(10);
const DEFAULT_READ_TIMEOUT: Duration = Duration::from_secs(60);
const MAX_REDIRECTS: usize = 10;

/// Per-API constants emitted by the generator.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct ApiConfig {
    /// A short name for messages, like `elevenlabs`.
    pub name: &'static str,
    /// The URL requests go to unless [`ClientBuilder::base_url`] says
    /// otherwise, like `https://api.elevenlabs.io`.
    pub default_base_url: &'static str,
    /// The header the API key is sent in, like `xi-api-key`.
    pub api_key_header: Option<&'static str>,
    /// The environment variable [`ClientBuilder::api_key_from_env`] reads,
    /// like `ELEVENLABS_API_KEY`.
    pub api_key_env: Option<&'static str>,
    /// The default `user-agent`, like `api-clients/0.1.0`.
    pub user_agent: &'static str,
}

/// Implemented by each generated `Client` so [`ClientBuilder`] can
/// construct it.
pub trait FromTransport: Sized {
    /// The API's constants.
    const CONFIG: &'static ApiConfig;

    /// Wraps a configured transport.
    fn from_transport(transport: Transport) -> Self;
}

/// Where the API key comes from.
#[derive(Clone)]
enum ApiKey {
    None,
    Given(String),
    FromEnv,
}

/// Configures and builds a client of type `C`.
///
/// By default requests go to the API's default base URL without an API
/// key, with a 10 s connect timeout, a 60 s read timeout (the longest wait
/// for the next piece of the answer, so a stalled server fails while a long
/// audio stream that keeps coming does not), no total timeout, and the
/// default [`RetryPolicy`].
pub struct ClientBuilder<C> {
    api_key: ApiKey,
    base_url: String,
    total_timeout: Option<Duration>,
    connect_timeout: Duration,
    read_timeout: Duration,
    http_client: Option<reqwest::Client>,
    user_agent: String,
    retry: RetryPolicy,
    client: PhantomData<fn() -> C>,
}

impl<C: FromTransport> ClientBuilder<C> {
    /// A builder with the defaults of `C`'s API.
    pub fn new() -> Self {
        ClientBuilder {
            api_key: ApiKey::None,
            base_url: C::CONFIG.default_base_url.to_owned(),
            total_timeout: None,
            connect_timeout: DEFAULT_CONNECT_TIMEOUT,
            read_timeout: DEFAULT_READ_TIMEOUT,
            http_client: None,
            user_agent: C::CONFIG.user_agent.to_owned(),
            retry: RetryPolicy::default(),
            client: PhantomData,
        }
    }

    /// Sends `key` in the API's key header with every request.
    pub fn api_key(mut self, key: impl Into<String>) -> Self {
        self.api_key = ApiKey::Given(key.into());
        self
    }

    /// Reads the API key from the API's environment variable (like
    /// `ELEVENLABS_API_KEY`) when [`build`](Self::build) runs; an unset or
    /// empty variable makes `build` fail with an error naming it.
    pub fn api_key_from_env(mut self) -> Self {
        self.api_key = ApiKey::FromEnv;
        self
    }

    /// Sends requests to `url` instead of the API's default. A trailing
    /// slash is ignored and a path is kept: with `http://127.0.0.1:9/prefix`
    /// a request for `/v1/x` goes to `http://127.0.0.1:9/prefix/v1/x`.
    /// Checked by [`build`](Self::build).
    pub fn base_url(mut self, url: impl Into<String>) -> Self {
        self.base_url = url.into();
        self
    }

    /// Limits a whole call to `total`: every attempt and the waits between
    /// them, from sending to the last byte of the body. A retry that could
    /// not start before the limit is not made; the last failure is
    /// returned. Off by default so long audio streams are not cut; applies
    /// to a client from [`http_client`](Self::http_client) too.
    pub fn timeout(mut self, total: Duration) -> Self {
        self.total_timeout = Some(total);
        self
    }

    /// Limits the time to establish a connection (default 10 s).
    pub fn connect_timeout(mut self, timeout: Duration) -> Self {
        self.connect_timeout = timeout;
        self
    }

    /// Limits the wait for each read of the answer, headers and body
    /// (default 60 s), so a stalled server fails with
    /// [`Error::Timeout`].
    pub fn read_timeout(mut self, timeout: Duration) -> Self {
        self.read_timeout = timeout;
        self
    }

    /// Sends through `client` instead of a client built here. The connect
    /// and read timeouts, redirect policy, proxies and TLS settings are then
    /// `client`'s own, and [`connect_timeout`](Self::connect_timeout) and
    /// [`read_timeout`](Self::read_timeout) are ignored; the API key, user
    /// agent, [`timeout`](Self::timeout) and retries still apply.
    pub fn http_client(mut self, client: reqwest::Client) -> Self {
        self.http_client = Some(client);
        self
    }

    /// Replaces the API's default `user-agent`.
    pub fn user_agent(mut self, user_agent: impl Into<String>) -> Self {
        self.user_agent = user_agent.into();
        self
    }

    /// Sets how failed requests are retried.
    pub fn retry(mut self, policy: RetryPolicy) -> Self {
        self.retry = policy;
        self
    }

    /// Sets how many times a failed request may be sent again.
    pub fn max_retries(mut self, retries: u32) -> Self {
        self.retry.max_retries = retries;
        self
    }

    /// Never sends a request again.
    pub fn no_retries(mut self) -> Self {
        self.retry.max_retries = 0;
        self
    }

    /// Checks the configuration and builds the client.
    pub fn build(self) -> Result<C, ConfigError> {
        let config = C::CONFIG;
        let base_url = checked_base_url(&self.base_url)?;
        let mut default_headers = HeaderMap::new();
        if let Some((name, value)) = self.api_key_header(config)? {
            default_headers.insert(name, value);
        }
        let user_agent =
            HeaderValue::from_str(&self.user_agent).map_err(|_| ConfigError::InvalidUserAgent)?;
        default_headers.insert(USER_AGENT, user_agent);
        let http = match self.http_client {
            Some(client) => client,
            None => default_http_client(self.connect_timeout, self.read_timeout)?,
        };
        Ok(C::from_transport(Transport {
            shared: Arc::new(Shared {
                api: config.name,
                http,
                base_url,
                default_headers,
                key_header: key_header_name(config)?,
                total_timeout: self.total_timeout,
                retry: self.retry,
            }),
        }))
    }

    /// The key header with the key marked sensitive, if a key was given.
    fn api_key_header(
        &self,
        config: &'static ApiConfig,
    ) -> Result<Option<(HeaderName, HeaderValue)>, ConfigError> {
        let key = match &self.api_key {
            ApiKey::None => return Ok(None),
            ApiKey::Given(key) => key.clone(),
            ApiKey::FromEnv => key_from_env(config)?,
        };
        let name =
            key_header_name(config)?.ok_or(ConfigError::NoApiKeyHeader { api: config.name })?;
        if key.is_empty() {
            return Err(ConfigError::InvalidApiKey);
        }
        let mut value = HeaderValue::from_str(&key).map_err(|_| ConfigError::InvalidApiKey)?;
        value.set_sensitive(true);
        Ok(Some((name, value)))
    }
}

impl<C: FromTransport> Default for ClientBuilder<C> {
    fn default() -> Self {
        ClientBuilder::new()
    }
}

impl<C> fmt::Debug for ClientBuilder<C> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let api_key = match &self.api_key {
            ApiKey::None => "none",
            ApiKey::Given(_) => "<redacted>",
            ApiKey::FromEnv => "from the environment",
        };
        f.debug_struct("ClientBuilder")
            .field("api_key", &api_key)
            .field("base_url", &self.base_url)
            .field("timeout", &self.total_timeout)
            .field("connect_timeout", &self.connect_timeout)
            .field("read_timeout", &self.read_timeout)
            .field("custom_http_client", &self.http_client.is_some())
            .field("user_agent", &self.user_agent)
            .field("retry", &self.retry)
            .finish()
    }
}

fn key_from_env(config: &'static ApiConfig) -> Result<String, ConfigError> {
    let variable = config
        .api_key_env
        .ok_or(ConfigError::NoApiKeyEnv { api: config.name })?;
    match std::env::var(variable) {
        Ok(key) if !key.trim().is_empty() => Ok(key.trim().to_owned()),
        _ => Err(ConfigError::MissingApiKeyEnv { variable }),
    }
}

fn key_header_name(config: &'static ApiConfig) -> Result<Option<HeaderName>, ConfigError> {
    config
        .api_key_header
        .map(|name| {
            HeaderName::from_bytes(name.as_bytes())
                .map_err(|_| ConfigError::InvalidHeaderName { name })
        })
        .transpose()
}

/// The base URL without its trailing slashes, once it is known to be an
/// absolute `http(s)` URL that a path can be appended to.
fn checked_base_url(url: &str) -> Result<String, ConfigError> {
    let invalid = |reason: &str| ConfigError::InvalidBaseUrl {
        url: url.to_owned(),
        reason: reason.to_owned(),
    };
    let trimmed = url.trim().trim_end_matches('/');
    let parsed = Url::parse(trimmed).map_err(|error| invalid(&error.to_string()))?;
    if !matches!(parsed.scheme(), "http" | "https") {
        return Err(invalid("the scheme must be http or https"));
    }
    if parsed.host_str().is_none_or(str::is_empty) {
        return Err(invalid("it has no host"));
    }
    if parsed.query().is_some() || parsed.fragment().is_some() {
        return Err(invalid("it must not have a query or fragment"));
    }
    Ok(trimmed.to_owned())
}

fn default_http_client(
    connect_timeout: Duration,
    read_timeout: Duration,
) -> Result<reqwest::Client, ConfigError> {
    reqwest::Client::builder()
        .connect_timeout(connect_timeout)
        .read_timeout(read_timeout)
        .redirect(same_origin_redirects())
        .build()
        .map_err(ConfigError::HttpClient)
}

/// Follows redirects within the original origin only: the API key travels
/// in a custom header that `reqwest` would not strip when a redirect leaves
/// for another host.
fn same_origin_redirects() -> redirect::Policy {
    redirect::Policy::custom(|attempt| {
        let same_origin = attempt
            .previous()
            .first()
            .is_some_and(|first| first.origin() == attempt.url().origin());
        if !same_origin || attempt.previous().len() > MAX_REDIRECTS {
            attempt.stop()
        } else {
            attempt.follow()
        }
    })
}

/// Sends requests for a generated client: adds the API key, user agent and
/// default `accept`, retries, and turns non-2xx answers into
/// [`Error::Status`]. Cloning is cheap and clones share connections.
#[derive(Clone)]
pub struct Transport {
    shared: Arc<Shared>,
}

struct Shared {
    api: &'static str,
    http: reqwest::Client,
    base_url: String,
    /// The API key (marked sensitive) and the user agent.
    default_headers: HeaderMap,
    key_header: Option<HeaderName>,
    total_timeout: Option<Duration>,
    retry: RetryPolicy,
}

/// Why an attempt did not produce a usable answer.
enum SendFailure {
    Status(RawStatus),
    Other(Failure),
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
    /// The base URL requests go to, without a trailing slash.
    pub fn base_url(&self) -> &str {
        &self.shared.base_url
    }

    /// Sends `request`, retrying as the [`RetryPolicy`] says. A 2xx answer
    /// is returned unread; any other becomes [`Error::Status`] with the body
    /// decoded by `E`.
    pub async fn send<E: ErrorBody>(&self, request: Request) -> Result<Response, Error<E>> {
        match self.send_with_retries(request).await {
            Ok(response) => Ok(Response::new(response)),
            Err(SendFailure::Status(raw)) => Err(Error::Status(Box::new(StatusError::decode(raw)))),
            Err(SendFailure::Other(failure)) => Err(failure.into()),
        }
    }

    /// The real work of [`send`](Self::send), kept free of the error body
    /// type so it is compiled once rather than once per API error type.
    async fn send_with_retries(
        &self,
        mut request: Request,
    ) -> Result<reqwest::Response, SendFailure> {
        if let Some(error) = request.take_error() {
            return Err(error.into());
        }
        let url = self.url_for(&request)?;
        let headers = self.headers_for(&request);
        let policy = &self.shared.retry;
        let mut backoffs = policy.backoffs();
        let deadline = self
            .shared
            .total_timeout
            .map(|total| Instant::now() + total);
        loop {
            let failure = match self.attempt(&request, &url, &headers, deadline).await {
                Ok(response) => return Ok(response),
                Err(failure) => failure,
            };
            let wait = match retry_hint(&failure) {
                Some(retry_after) if request.is_replayable() => {
                    policy.next_wait(&mut backoffs, retry_after)
                }
                _ => None,
            };
            match wait {
                Some(wait) if !outlasts(deadline, wait) => tokio::time::sleep(wait).await,
                _ => return Err(failure),
            }
        }
    }

    /// Sends once; a non-2xx answer is read whole into the failure.
    async fn attempt(
        &self,
        request: &Request,
        url: &Url,
        headers: &HeaderMap,
        deadline: Option<Instant>,
    ) -> Result<reqwest::Response, SendFailure> {
        let mut builder = self
            .shared
            .http
            .request(request.method.clone(), url.clone())
            .headers(headers.clone());
        if let Some(deadline) = deadline {
            builder = builder.timeout(deadline.saturating_duration_since(Instant::now()));
        }
        builder = match &request.body {
            Body::Empty => builder,
            Body::Bytes { content, .. } => builder.body(content.clone()),
            Body::Multipart(form) => builder.multipart(form.build().await?),
        };
        let response = builder.send().await.map_err(Failure::from_send)?;
        if response.status().is_success() {
            return Ok(response);
        }
        let status = response.status().as_u16();
        let headers = response.headers().clone();
        let body = response.bytes().await.map_err(Failure::from_body)?;
        Err(SendFailure::Status(RawStatus {
            status,
            headers,
            body,
        }))
    }

    fn url_for(&self, request: &Request) -> Result<Url, RequestError> {
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
        for (name, value) in &request.headers {
            let mut value = value.clone();
            // A key passed as an operation parameter is as secret as ours.
            if self.shared.key_header.as_ref() == Some(name) {
                value.set_sensitive(true);
            }
            headers.insert(name.clone(), value);
        }
        headers
    }
}

/// True when waiting `wait` would reach the deadline, so a retry could not
/// finish in time.
fn outlasts(deadline: Option<Instant>, wait: Duration) -> bool {
    deadline.is_some_and(|deadline| Instant::now() + wait >= deadline)
}

/// `Some(retry_after)` when the failure is worth retrying, with the wait
/// the server asked for, if any.
fn retry_hint(failure: &SendFailure) -> Option<Option<Duration>> {
    match failure {
        SendFailure::Status(raw) if is_retryable_status(raw.status) => {
            Some(retry_after(&raw.headers, SystemTime::now()))
        }
        // The connection was never made, so the server cannot have acted.
        SendFailure::Other(Failure::Transport(error)) if error.is_connect() => Some(None),
        _ => None,
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
            .field("retry", &self.shared.retry)
            .finish()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn base_urls_lose_trailing_slashes_and_keep_paths() {
        assert_eq!(
            checked_base_url("https://api.elevenlabs.io/").unwrap(),
            "https://api.elevenlabs.io"
        );
        assert_eq!(
            checked_base_url("http://127.0.0.1:9/prefix/").unwrap(),
            "http://127.0.0.1:9/prefix"
        );
    }

    #[test]
    fn bad_base_urls_are_refused() {
        for url in [
            "",
            "api.elevenlabs.io",
            "ftp://host",
            "https://host/?a=1",
            "https://host/#x",
        ] {
            let error = checked_base_url(url).unwrap_err();
            assert!(
                matches!(error, ConfigError::InvalidBaseUrl { .. }),
                "{url}: {error}"
            );
        }
    }
}
