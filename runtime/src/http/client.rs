//! The client's configuration and its builder: base URL, key, timeouts,
//! retries, redirects, size caps and hooks.

use std::fmt;
use std::marker::PhantomData;
use std::net::IpAddr;
use std::sync::Arc;
use std::time::Duration;

use reqwest::header::{HeaderMap, HeaderName, HeaderValue, USER_AGENT};
use reqwest::{redirect, Url};

use crate::error::ConfigError;
use crate::http::hook::Hook;
use crate::http::retry::RetryPolicy;
use crate::http::transport::{Settings, Transport};
use crate::response::body::{DEFAULT_MAX_RESPONSE_SIZE, FOREVER};

/// A boxed future that can move between threads; generated operations
/// return these.
pub type BoxFuture<'a, T> = std::pin::Pin<Box<dyn std::future::Future<Output = T> + Send + 'a>>;

const DEFAULT_CONNECT_TIMEOUT: Duration = Duration::from_secs(10);
const DEFAULT_READ_TIMEOUT: Duration = Duration::from_secs(60);
/// As the official ElevenLabs SDKs.
const DEFAULT_TOTAL_TIMEOUT: Duration = Duration::from_secs(240);
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
/// key, with
/// - a 10 s connect timeout;
/// - a 60 s read timeout: the longest wait for the next piece of the
///   answer, so a stalled server fails while a long audio stream that keeps
///   coming does not;
/// - a 240 s total timeout for calls that read their whole answer (JSON,
///   text, no body); streamed answers are bounded by the read timeout once
///   they have started;
/// - at most 32 MiB of answer read into memory
///   ([`max_response_size`](Self::max_response_size));
/// - the default [`RetryPolicy`], which only sends a request again when
///   that cannot make the server do the work twice.
///
/// Every duration may be as long as `Duration::MAX` (meaning no limit): none
/// overflows.
///
/// The API key goes only to the base URL's origin: redirects are followed
/// within that origin (same scheme, host and port) and never elsewhere, and
/// the base URL must be `https` unless it is a loopback address or
/// [`allow_insecure_http`](Self::allow_insecure_http) says otherwise.
pub struct ClientBuilder<C> {
    api_key: ApiKey,
    base_url: String,
    total_timeout: Duration,
    connect_timeout: Duration,
    read_timeout: Duration,
    max_response_size: usize,
    allow_insecure_http: bool,
    http_client: Option<reqwest::ClientBuilder>,
    user_agent: String,
    retry: RetryPolicy,
    hooks: Vec<Arc<dyn Hook>>,
    client: PhantomData<fn() -> C>,
}

impl<C: FromTransport> ClientBuilder<C> {
    /// A builder with the defaults of `C`'s API.
    pub fn new() -> Self {
        ClientBuilder {
            api_key: ApiKey::None,
            base_url: C::CONFIG.default_base_url.to_owned(),
            total_timeout: DEFAULT_TOTAL_TIMEOUT,
            connect_timeout: DEFAULT_CONNECT_TIMEOUT,
            read_timeout: DEFAULT_READ_TIMEOUT,
            max_response_size: DEFAULT_MAX_RESPONSE_SIZE,
            allow_insecure_http: false,
            http_client: None,
            user_agent: C::CONFIG.user_agent.to_owned(),
            retry: RetryPolicy::default(),
            hooks: Vec::new(),
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
    /// Checked by [`build`](Self::build): it must be an absolute `https`
    /// URL (or `http` to a loopback address, or anywhere with
    /// [`allow_insecure_http`](Self::allow_insecure_http)) without
    /// credentials, query or fragment.
    pub fn base_url(mut self, url: impl Into<String>) -> Self {
        self.base_url = url.into();
        self
    }

    /// Accepts a plain `http://` base URL for a host that is not a loopback
    /// address. The API key then travels unencrypted: meant for a proxy on
    /// a trusted network.
    pub fn allow_insecure_http(mut self) -> Self {
        self.allow_insecure_http = true;
        self
    }

    /// Limits a call to `total` (default 240 s): every attempt and the
    /// waits between them, and for answers read whole (JSON, text, no body)
    /// the reading of the body too. A streamed answer (audio bytes, events)
    /// must start within `total`; from then on the
    /// [`read_timeout`](Self::read_timeout) bounds it. A retry that could
    /// not start before the limit is not made; the last failure is
    /// returned. `Duration::MAX` means no limit.
    pub fn timeout(mut self, total: Duration) -> Self {
        self.total_timeout = total;
        self
    }

    /// The most bytes of an answer read into memory (default 32 MiB): a
    /// JSON or text body, [`ByteStream::bytes`](crate::ByteStream::bytes),
    /// one line or event of an event stream. A larger one fails with
    /// [`Error::TooLarge`](crate::Error::TooLarge) as soon as the limit is passed, without reading
    /// the rest; compressed bodies count once inflated. Streams read chunk
    /// by chunk are not limited. Error bodies keep at most
    /// [`ERROR_BODY_LIMIT`](crate::ERROR_BODY_LIMIT) bytes.
    pub fn max_response_size(mut self, bytes: usize) -> Self {
        self.max_response_size = bytes;
        self
    }

    /// Limits the time to establish a connection (default 10 s).
    pub fn connect_timeout(mut self, timeout: Duration) -> Self {
        self.connect_timeout = timeout;
        self
    }

    /// Limits the wait for each read of the answer, headers and body
    /// (default 60 s), so a stalled server fails with
    /// [`Error::Timeout`](crate::Error::Timeout).
    pub fn read_timeout(mut self, timeout: Duration) -> Self {
        self.read_timeout = timeout;
        self
    }

    /// Builds the HTTP client from `builder` instead of a fresh
    /// `reqwest::ClientBuilder`, keeping its proxies, TLS settings, default
    /// headers and pool settings. [`build`](Self::build) then sets on it the
    /// connect and read timeouts of this builder and the redirect policy
    /// that keeps the API key on its origin.
    ///
    /// It takes a builder rather than a built `reqwest::Client` because a
    /// built client's redirect policy can be neither read nor changed: one
    /// that follows a redirect to another host would hand that host the API
    /// key (reqwest strips `authorization`, not an API's own key header).
    pub fn http_client(mut self, builder: reqwest::ClientBuilder) -> Self {
        self.http_client = Some(builder);
        self
    }

    /// Replaces the API's default `user-agent`.
    pub fn user_agent(mut self, user_agent: impl Into<String>) -> Self {
        self.user_agent = user_agent.into();
        self
    }

    /// Adds `hook`, called around every attempt of every call (see
    /// [`Hook`]).
    pub fn hook(mut self, hook: impl Hook) -> Self {
        self.hooks.push(Arc::new(hook));
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
        let base_url = checked_base_url(&self.base_url, self.allow_insecure_http)?;
        let mut default_headers = HeaderMap::new();
        if let Some((name, value)) = self.api_key_header(config)? {
            default_headers.insert(name, value);
        }
        let user_agent =
            HeaderValue::from_str(&self.user_agent).map_err(|_| ConfigError::InvalidUserAgent)?;
        default_headers.insert(USER_AGENT, user_agent);
        let http = self
            .http_client
            .unwrap_or_default()
            .connect_timeout(self.connect_timeout.min(FOREVER))
            .read_timeout(self.read_timeout.min(FOREVER))
            .redirect(same_origin_redirects())
            .build()
            .map_err(ConfigError::HttpClient)?;
        Ok(C::from_transport(Transport::new(Settings {
            api: config.name,
            http,
            base_url,
            default_headers,
            key_header: key_header_name(config)?,
            total_timeout: self.total_timeout,
            connect_timeout: self.connect_timeout,
            read_timeout: self.read_timeout,
            max_response_size: self.max_response_size,
            retry: self.retry,
            hooks: self.hooks,
        })))
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
            .field("max_response_size", &self.max_response_size)
            .field("allow_insecure_http", &self.allow_insecure_http)
            .field("custom_http_client", &self.http_client.is_some())
            .field("user_agent", &self.user_agent)
            .field("retry", &self.retry)
            .field("hooks", &self.hooks.len())
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
/// absolute `http(s)` URL that a path can be appended to, which carries no
/// credentials and is encrypted unless it stays on this machine or
/// `allow_insecure_http`.
fn checked_base_url(url: &str, allow_insecure_http: bool) -> Result<String, ConfigError> {
    // The URL is not repeated when it holds a password.
    let invalid = |shown: &str, reason: &str| ConfigError::InvalidBaseUrl {
        url: shown.to_owned(),
        reason: reason.to_owned(),
    };
    let trimmed = url.trim().trim_end_matches('/');
    let parsed = Url::parse(trimmed).map_err(|error| invalid(url, &error.to_string()))?;
    if !parsed.username().is_empty() || parsed.password().is_some() {
        return Err(invalid(
            "<hidden: it has credentials>",
            "it must not carry a user name or password; the client sends the API key itself",
        ));
    }
    if !matches!(parsed.scheme(), "http" | "https") {
        return Err(invalid(url, "the scheme must be http or https"));
    }
    if parsed.host_str().is_none_or(str::is_empty) {
        return Err(invalid(url, "it has no host"));
    }
    if parsed.query().is_some() || parsed.fragment().is_some() {
        return Err(invalid(url, "it must not have a query or fragment"));
    }
    if parsed.scheme() == "http" && !is_loopback(&parsed) && !allow_insecure_http {
        return Err(invalid(
            url,
            "plain http would send the API key unencrypted; use https, or call \
             `allow_insecure_http()` for a trusted network",
        ));
    }
    Ok(trimmed.to_owned())
}

/// True for `localhost` and loopback addresses (127.0.0.0/8, `[::1]`).
fn is_loopback(url: &Url) -> bool {
    match url.host() {
        Some(url::Host::Domain(name)) => {
            name.eq_ignore_ascii_case("localhost")
                || name.to_ascii_lowercase().ends_with(".localhost")
        }
        Some(url::Host::Ipv4(address)) => IpAddr::V4(address).is_loopback(),
        Some(url::Host::Ipv6(address)) => IpAddr::V6(address).is_loopback(),
        None => false,
    }
}

/// Follows redirects within the original origin only (scheme, host and
/// port): the API key travels in a custom header that `reqwest` would not
/// strip when a redirect leaves for another host, and `https` to `http`
/// would send it in clear text. A redirect elsewhere is not followed and
/// its 3xx answer is returned as [`Error::Status`](crate::Error::Status).
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

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn base_urls_lose_trailing_slashes_and_keep_paths() {
        assert_eq!(
            checked_base_url("https://api.elevenlabs.io/", false).unwrap(),
            "https://api.elevenlabs.io"
        );
        assert_eq!(
            checked_base_url("http://127.0.0.1:9/prefix/", false).unwrap(),
            "http://127.0.0.1:9/prefix"
        );
    }

    #[test]
    fn base_urls_with_credentials_are_refused_without_repeating_them() {
        for url in [
            "https://user:s3cret@host",
            "https://user@host",
            "https://:s3cret@host",
        ] {
            let error = checked_base_url(url, true).unwrap_err();
            let text = error.to_string();
            assert!(text.contains("user name or password"), "{text}");
            assert!(!text.contains("s3cret"), "{text}");
        }
    }

    #[test]
    fn plain_http_is_for_loopback_unless_allowed() {
        for url in [
            "http://127.0.0.1:9",
            "http://127.8.9.1",
            "http://localhost:8080",
            "http://api.localhost",
            "http://[::1]:9",
        ] {
            assert!(checked_base_url(url, false).is_ok(), "{url}");
        }
        for url in [
            "http://api.elevenlabs.io",
            "http://10.0.0.2",
            "http://[2001:db8::1]",
        ] {
            let error = checked_base_url(url, false).unwrap_err();
            assert!(error.to_string().contains("unencrypted"), "{url}: {error}");
            assert!(checked_base_url(url, true).is_ok(), "{url}");
        }
    }

    #[test]
    fn a_redirect_to_http_or_another_host_or_port_leaves_the_origin() {
        let base = Url::parse("https://api.elevenlabs.io/v1/x").unwrap();
        let same = Url::parse("https://api.elevenlabs.io/v1/y").unwrap();
        assert_eq!(base.origin(), same.origin());
        for other in [
            "http://api.elevenlabs.io/v1/x",
            "https://api.elevenlabs.io:8443/v1/x",
            "https://evil.example/v1/x",
        ] {
            assert_ne!(
                base.origin(),
                Url::parse(other).unwrap().origin(),
                "{other}"
            );
        }
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
            let error = checked_base_url(url, false).unwrap_err();
            assert!(
                matches!(error, ConfigError::InvalidBaseUrl { .. }),
                "{url}: {error}"
            );
        }
    }
}
