//! The API key never shows in what the generated clients print (issue #5,
//! point 5): not in the Debug of a builder or client, nor in the Display,
//! Debug or sources of any error a call returns. The runtime's own tests
//! (runtime/tests/secrets.rs) cover the transport; these go through the
//! generated `elevenlabs` and `tavus` clients.

use std::time::Duration;

use api_clients::{elevenlabs, tavus};
use wiremock::matchers::method;
use wiremock::{Mock, MockServer, ResponseTemplate};

const ELEVENLABS_KEY: &str = "sk_el_secret_7c1f0e9a2b";
const TAVUS_KEY: &str = "tv_secret_9d8e7f6a5b";

#[track_caller]
fn assert_hidden(text: &str) {
    assert!(
        !text.contains(ELEVENLABS_KEY) && !text.contains(TAVUS_KEY),
        "a key leaked into: {text}"
    );
}

/// The Display and Debug (plain and pretty) of an error and its sources.
#[track_caller]
fn assert_error_hides_keys(error: &(dyn std::error::Error + 'static)) {
    let mut current = Some(error);
    while let Some(error) = current {
        assert_hidden(&format!("{error}"));
        assert_hidden(&format!("{error:?}"));
        assert_hidden(&format!("{error:#?}"));
        current = error.source();
    }
}

fn elevenlabs_client(base_url: &str) -> elevenlabs::Client {
    elevenlabs::Client::builder()
        .api_key(ELEVENLABS_KEY)
        .base_url(base_url)
        .no_retries()
        .read_timeout(Duration::from_millis(300))
        .build()
        .unwrap()
}

fn tavus_client(base_url: &str) -> tavus::Client {
    tavus::Client::builder()
        .api_key(TAVUS_KEY)
        .base_url(base_url)
        .no_retries()
        .read_timeout(Duration::from_millis(300))
        .build()
        .unwrap()
}

#[test]
fn generated_builders_and_clients_redact_the_key() {
    let builder = elevenlabs::Client::builder().api_key(ELEVENLABS_KEY);
    assert_hidden(&format!("{builder:?}"));
    assert_hidden(&format!("{builder:#?}"));

    let client = elevenlabs::Client::new(ELEVENLABS_KEY).unwrap();
    let debug = format!("{client:?}");
    assert_hidden(&debug);
    assert!(debug.contains("<redacted>"), "{debug}");
    assert_hidden(&format!("{client:#?}"));
    assert_hidden(&format!("{:?}", client.transport()));
    assert_hidden(&format!("{:?}", client.clone()));

    let client = tavus::Client::new(TAVUS_KEY).unwrap();
    let debug = format!("{client:#?}");
    assert_hidden(&debug);
    assert!(debug.contains("<redacted>"), "{debug}");
}

#[test]
fn an_unusable_key_is_refused_without_being_quoted() {
    let error = elevenlabs::Client::new(format!("{ELEVENLABS_KEY}\n")).unwrap_err();
    assert_error_hides_keys(&error);
    let error = tavus::Client::builder()
        .api_key(format!("{TAVUS_KEY}\u{7f}"))
        .build()
        .unwrap_err();
    assert_error_hides_keys(&error);
}

#[tokio::test]
async fn status_decode_transport_and_timeout_errors_of_calls_hide_the_key() {
    // 401, 422 with a typed body, and an undecodable 200.
    for (status, body) in [
        (401, r#"{"detail": {"status": "invalid_api_key"}}"#),
        (
            422,
            r#"{"detail": [{"loc": ["body"], "msg": "bad", "type": "x"}]}"#,
        ),
        (200, r#"{"status": null}"#),
    ] {
        let server = MockServer::start().await;
        Mock::given(method("DELETE"))
            .respond_with(ResponseTemplate::new(status).set_body_string(body))
            .mount(&server)
            .await;
        let error = elevenlabs_client(&server.uri())
            .history()
            .delete("item1")
            .await
            .unwrap_err();
        assert_eq!(error.status(), Some(status));
        assert_error_hides_keys(&error);
    }

    // Nothing listens on a just-freed port.
    let unused = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
    let address = unused.local_addr().unwrap();
    drop(unused);
    let error = tavus_client(&format!("http://{address}"))
        .replicas()
        .list()
        .await
        .unwrap_err();
    assert!(matches!(error, tavus::Error::Transport(_)), "{error:?}");
    assert_error_hides_keys(&error);

    let server = MockServer::start().await;
    Mock::given(method("GET"))
        .respond_with(ResponseTemplate::new(200).set_delay(Duration::from_secs(5)))
        .mount(&server)
        .await;
    let error = tavus_client(&server.uri())
        .replicas()
        .list()
        .await
        .unwrap_err();
    assert!(error.is_timeout(), "{error:?}");
    assert_error_hides_keys(&error);
}

#[tokio::test]
async fn a_redirect_to_another_host_neither_sends_nor_prints_the_key() {
    let elsewhere = MockServer::start().await;
    Mock::given(method("GET"))
        .respond_with(ResponseTemplate::new(200).set_body_string("{}"))
        .mount(&elsewhere)
        .await;
    let api = MockServer::start().await;
    Mock::given(method("GET"))
        .respond_with(
            ResponseTemplate::new(302).insert_header("location", format!("{}/x", elsewhere.uri())),
        )
        .mount(&api)
        .await;
    let error = tavus_client(&api.uri())
        .replicas()
        .list()
        .await
        .unwrap_err();
    assert_eq!(error.status(), Some(302));
    assert_error_hides_keys(&error);
    assert!(elsewhere.received_requests().await.unwrap().is_empty());
}
