//! Building a client: defaults, validation and overrides.

mod common;

use std::time::Duration;

use api_runtime::reqwest::Method;
use api_runtime::{ApiConfig, ClientBuilder, ConfigError, FromTransport, Request, Transport};
use common::{builder, ApiError, TestClient};
use wiremock::matchers::{header, method};
use wiremock::{Mock, MockServer, ResponseTemplate};

/// An API that takes no key.
#[derive(Debug)]
struct KeylessClient(Transport);

impl FromTransport for KeylessClient {
    const CONFIG: &'static ApiConfig = &ApiConfig {
        name: "keyless",
        default_base_url: "https://keyless.example/api/",
        api_key_header: None,
        api_key_env: None,
        user_agent: "keyless/1",
    };

    fn from_transport(transport: Transport) -> Self {
        KeylessClient(transport)
    }
}

#[test]
fn the_default_base_url_comes_from_the_config() {
    let client = ClientBuilder::<KeylessClient>::default().build().unwrap();
    assert_eq!(client.0.base_url(), "https://keyless.example/api");
}

#[test]
fn an_invalid_base_url_is_refused() {
    for url in ["not a url", "ftp://example.com", "https://example.com/?x=1"] {
        let error = ClientBuilder::<TestClient>::new()
            .base_url(url)
            .build()
            .unwrap_err();
        assert!(
            matches!(&error, ConfigError::InvalidBaseUrl { url: given, .. } if given == url),
            "{url}: {error:?}"
        );
    }
}

#[test]
fn a_key_for_an_api_without_a_key_header_is_refused() {
    let error = ClientBuilder::<KeylessClient>::new()
        .api_key("key")
        .build()
        .unwrap_err();
    assert!(
        matches!(error, ConfigError::NoApiKeyHeader { api: "keyless" }),
        "{error:?}"
    );
}

#[test]
fn an_api_without_a_key_variable_cannot_read_one() {
    let error = ClientBuilder::<KeylessClient>::new()
        .api_key_from_env()
        .build()
        .unwrap_err();
    assert!(
        matches!(error, ConfigError::NoApiKeyEnv { api: "keyless" }),
        "{error:?}"
    );
}

#[test]
fn a_missing_key_variable_is_named() {
    let error = ClientBuilder::<TestClient>::new()
        .api_key_from_env()
        .build()
        .unwrap_err();
    assert!(
        matches!(
            error,
            ConfigError::MissingApiKeyEnv {
                variable: "API_RUNTIME_TEST_KEY_NEVER_SET"
            }
        ),
        "{error:?}"
    );
    assert!(
        error.to_string().contains("API_RUNTIME_TEST_KEY_NEVER_SET"),
        "{error}"
    );
}

#[test]
fn an_empty_key_is_refused() {
    let error = ClientBuilder::<TestClient>::new()
        .api_key("")
        .build()
        .unwrap_err();
    assert!(matches!(error, ConfigError::InvalidApiKey), "{error:?}");
}

#[tokio::test]
async fn the_user_agent_can_be_replaced_and_a_keyless_client_sends_no_key() {
    let server = MockServer::start().await;
    Mock::given(method("GET"))
        .and(header("user-agent", "my-app/2.0"))
        .respond_with(ResponseTemplate::new(200))
        .expect(1)
        .mount(&server)
        .await;

    let client = ClientBuilder::<KeylessClient>::new()
        .base_url(server.uri())
        .user_agent("my-app/2.0")
        .build()
        .unwrap();
    client
        .0
        .send::<ApiError>(Request::new(Method::GET, "/v1/x"))
        .await
        .expect("the user agent matches");

    let requests = server.received_requests().await.unwrap();
    assert!(requests[0].headers.get("xi-api-key").is_none());
}

#[tokio::test]
async fn a_user_supplied_http_client_is_used_with_the_key() {
    let server = MockServer::start().await;
    Mock::given(method("GET"))
        .and(header("xi-api-key", common::API_KEY))
        .and(header("x-from-custom-client", "yes"))
        .respond_with(ResponseTemplate::new(200))
        .expect(1)
        .mount(&server)
        .await;
    let mut defaults = api_runtime::reqwest::header::HeaderMap::new();
    defaults.insert("x-from-custom-client", "yes".parse().unwrap());
    let http = api_runtime::reqwest::Client::builder()
        .default_headers(defaults)
        .connect_timeout(Duration::from_secs(1));

    let client = builder(&server.uri()).http_client(http).build().unwrap();
    client
        .transport
        .send::<ApiError>(Request::new(Method::GET, "/v1/x"))
        .await
        .expect("the custom client's default header matches");
}

#[tokio::test]
async fn a_base_url_with_credentials_is_refused_and_nothing_is_sent() {
    let server = MockServer::start().await;
    let address = server.address();
    let with_credentials = format!("http://user:pa55word@{address}");

    let error = builder(&with_credentials).build().unwrap_err();

    assert!(
        matches!(error, ConfigError::InvalidBaseUrl { .. }),
        "{error:?}"
    );
    assert!(
        !format!("{error} {error:?}").contains("pa55word"),
        "{error:?}"
    );
    assert!(server.received_requests().await.unwrap().is_empty());
}

#[test]
fn plain_http_to_a_remote_host_needs_an_explicit_opt_in() {
    let error = builder("http://api.elevenlabs.io").build().unwrap_err();
    assert!(error.to_string().contains("unencrypted"), "{error}");

    let client = builder("http://api.elevenlabs.io")
        .allow_insecure_http()
        .build()
        .expect("allowed when asked for");
    assert_eq!(client.transport.base_url(), "http://api.elevenlabs.io");
}
