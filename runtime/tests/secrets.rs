//! The API key is sent, but never printed: not by the builder, the client,
//! the transport, nor any error.

mod common;

use std::time::Duration;

use api_runtime::reqwest::Method;
use api_runtime::{ClientBuilder, ConfigError, Error, Request};
use common::{builder, client, ApiError, TestClient, API_KEY};
use wiremock::matchers::method;
use wiremock::{Mock, MockServer, ResponseTemplate};

#[track_caller]
fn assert_no_key(text: &str) {
    assert!(!text.contains(API_KEY), "the key leaked into: {text}");
}

/// Checks the Debug and Display of an error and of every cause below it.
#[track_caller]
fn assert_error_hides_key(error: &(dyn std::error::Error + 'static)) {
    let mut current = Some(error);
    while let Some(error) = current {
        assert_no_key(&format!("{error}"));
        assert_no_key(&format!("{error:?}"));
        current = error.source();
    }
}

#[test]
fn the_builder_client_and_transport_redact_the_key() {
    let builder = builder("http://127.0.0.1:9");
    let debug = format!("{builder:?}");
    assert_no_key(&debug);
    assert!(debug.contains("<redacted>"), "{debug}");

    let client = builder.build().unwrap();
    let debug = format!("{client:?}");
    assert_no_key(&debug);
    assert!(debug.contains("api_key: \"<redacted>\""), "{debug}");
    assert_no_key(&format!("{:?}", client.transport));
    assert_no_key(&format!("{:#?}", client.transport));
}

#[test]
fn a_client_without_a_key_says_so() {
    let client = ClientBuilder::<TestClient>::new().build().unwrap();
    let debug = format!("{client:?}");
    assert!(debug.contains("api_key: \"none\""), "{debug}");
}

#[tokio::test]
async fn status_errors_hide_the_key() {
    let server = MockServer::start().await;
    Mock::given(method("GET"))
        .respond_with(ResponseTemplate::new(401).set_body_string("invalid api key"))
        .mount(&server)
        .await;

    let error = client(&server.uri())
        .transport
        .send::<ApiError>(Request::new(Method::GET, "/v1/user"))
        .await
        .unwrap_err();

    assert_eq!(error.status(), Some(401));
    assert_error_hides_key(&error);
}

#[tokio::test]
async fn connection_and_timeout_errors_hide_the_key() {
    let unused = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
    let address = unused.local_addr().unwrap();
    drop(unused);
    let refused = builder(&format!("http://{address}"))
        .no_retries()
        .build()
        .unwrap()
        .transport
        .send::<ApiError>(Request::new(Method::GET, "/v1/user"))
        .await
        .unwrap_err();
    assert!(matches!(refused, Error::Transport(_)), "{refused:?}");
    assert_error_hides_key(&refused);

    let server = MockServer::start().await;
    Mock::given(method("GET"))
        .respond_with(ResponseTemplate::new(200).set_delay(Duration::from_secs(10)))
        .mount(&server)
        .await;
    let timed_out = builder(&server.uri())
        .timeout(Duration::from_millis(200))
        .build()
        .unwrap()
        .transport
        .send::<ApiError>(Request::new(Method::GET, "/v1/user"))
        .await
        .unwrap_err();
    assert!(timed_out.is_timeout(), "{timed_out:?}");
    assert_error_hides_key(&timed_out);
}

#[tokio::test]
async fn a_key_given_as_a_header_parameter_is_not_quoted_in_errors() {
    let error = client("http://127.0.0.1:9")
        .transport
        .send::<ApiError>(
            Request::new(Method::GET, "/v1/user").header("xi-api-key", &format!("{API_KEY}\n")),
        )
        .await
        .unwrap_err();

    assert!(matches!(error, Error::Request(_)), "{error:?}");
    assert_error_hides_key(&error);
}

#[test]
fn an_invalid_key_is_refused_without_being_quoted() {
    let error = ClientBuilder::<TestClient>::new()
        .api_key(format!("{API_KEY}\r\n"))
        .build()
        .unwrap_err();

    assert!(matches!(error, ConfigError::InvalidApiKey), "{error:?}");
    assert_error_hides_key(&error);
}

#[tokio::test]
async fn redirects_within_the_api_are_followed_with_the_key() {
    let server = MockServer::start().await;
    Mock::given(wiremock::matchers::path("/old"))
        .respond_with(ResponseTemplate::new(307).insert_header("location", "/new"))
        .mount(&server)
        .await;
    Mock::given(wiremock::matchers::path("/new"))
        .and(wiremock::matchers::header("xi-api-key", API_KEY))
        .respond_with(ResponseTemplate::new(200))
        .expect(1)
        .mount(&server)
        .await;

    client(&server.uri())
        .transport
        .send::<ApiError>(Request::new(Method::GET, "/old"))
        .await
        .expect("the redirect is followed");
}

#[tokio::test]
async fn the_key_does_not_follow_a_redirect_to_another_host() {
    let elsewhere = MockServer::start().await;
    Mock::given(method("GET"))
        .respond_with(ResponseTemplate::new(200))
        .mount(&elsewhere)
        .await;
    let api = MockServer::start().await;
    Mock::given(method("GET"))
        .respond_with(
            ResponseTemplate::new(302)
                .insert_header("location", format!("{}/steal", elsewhere.uri())),
        )
        .mount(&api)
        .await;

    let error = client(&api.uri())
        .transport
        .send::<ApiError>(Request::new(Method::GET, "/v1/user"))
        .await
        .unwrap_err();

    assert_eq!(error.status(), Some(302));
    assert!(elsewhere.received_requests().await.unwrap().is_empty());
}

#[tokio::test]
async fn the_key_does_not_follow_a_redirect_to_another_origin_with_a_user_supplied_client() {
    for status in [302, 307] {
        let elsewhere = MockServer::start().await;
        Mock::given(wiremock::matchers::any())
            .respond_with(ResponseTemplate::new(200))
            .mount(&elsewhere)
            .await;
        let api = MockServer::start().await;
        Mock::given(wiremock::matchers::any())
            .respond_with(
                ResponseTemplate::new(status)
                    .insert_header("location", format!("{}/steal", elsewhere.uri())),
            )
            .mount(&api)
            .await;
        // The user's builder would follow any redirect on its own.
        let http = api_runtime::reqwest::Client::builder()
            .redirect(api_runtime::reqwest::redirect::Policy::limited(10));
        let client = common::builder(&api.uri())
            .http_client(http)
            .build()
            .unwrap();

        let request = Request::new(Method::POST, "/v2/deployments").json(&"{}");
        let error = client
            .transport
            .send::<ApiError>(request)
            .await
            .unwrap_err();

        assert_eq!(error.status(), Some(status));
        let stolen = elsewhere.received_requests().await.unwrap();
        assert!(stolen.is_empty(), "{status}: {stolen:?}");
    }
}
