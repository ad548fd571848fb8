//! The generated clients against hostile answers (issue #5, point 4): each
//! one yields a value or a clear error, never a panic or a hang. Well-formed
//! HTTP answers come from wiremock; broken connections (truncated bodies,
//! stalls, resets) from a small raw TCP server in this file. Every call is
//! bounded by [`bounded`], so a hang fails the test instead of blocking it.
//!
//! The behaviours and the decisions behind them are listed in
//! docs/ROBUSTNESS.md.

use std::future::IntoFuture;
use std::time::Duration;

use api_clients::elevenlabs;
use api_clients::tavus;
use api_clients::tavus::types::{CreateDeploymentRequest, DeploymentChannel, DeploymentStatus};
use futures_util::StreamExt;
use serde_json::json;
use tokio::io::{AsyncReadExt, AsyncWriteExt};
use tokio::net::{TcpListener, TcpStream};
use wiremock::matchers::{method, path};
use wiremock::{Mock, MockServer, ResponseTemplate};

const KEY: &str = "hostile-test-key";

/// Fails the test instead of hanging when `call` does not finish in 10 s.
async fn bounded<F: IntoFuture>(call: F) -> F::Output {
    tokio::time::timeout(Duration::from_secs(10), call.into_future())
        .await
        .expect("the call finished instead of hanging")
}

fn tavus_client(base_url: &str) -> tavus::Client {
    tavus::Client::builder()
        .api_key(KEY)
        .base_url(base_url)
        .no_retries()
        .read_timeout(Duration::from_millis(500))
        .build()
        .expect("client builds")
}

fn elevenlabs_client(base_url: &str) -> elevenlabs::Client {
    elevenlabs::Client::builder()
        .api_key(KEY)
        .base_url(base_url)
        .no_retries()
        .read_timeout(Duration::from_millis(500))
        .build()
        .expect("client builds")
}

fn deployment_request() -> CreateDeploymentRequest {
    CreateDeploymentRequest::new("pcb7a34da5fe", DeploymentChannel::LandingPage)
}

/// `POST /v2/deployments` answered with `status` and a raw `body`.
async fn create_deployment(
    status: u16,
    body: &str,
    content_type: &str,
) -> Result<tavus::types::Deployment, tavus::Error> {
    let server = MockServer::start().await;
    Mock::given(method("POST"))
        .and(path("/v2/deployments"))
        .respond_with(ResponseTemplate::new(status).set_body_raw(body.to_owned(), content_type))
        .mount(&server)
        .await;
    bounded(
        tavus_client(&server.uri())
            .deployments()
            .create(&deployment_request()),
    )
    .await
}

/// `DELETE /v1/history/{id}` (a response with one required string field,
/// `status`) answered with `status` and a raw `body`.
async fn delete_history_item(
    status: u16,
    body: &str,
    content_type: &str,
) -> Result<elevenlabs::types::DeleteHistoryItemResponse, elevenlabs::Error> {
    let server = MockServer::start().await;
    Mock::given(method("DELETE"))
        .and(path("/v1/history/item1"))
        .respond_with(ResponseTemplate::new(status).set_body_raw(body.to_owned(), content_type))
        .mount(&server)
        .await;
    bounded(elevenlabs_client(&server.uri()).history().delete("item1")).await
}

/// The decode error's path and message, or a failure naming what came instead.
#[track_caller]
fn decode_error<E: std::fmt::Debug>(error: api_clients::runtime::Error<E>) -> (String, String) {
    match error {
        api_clients::runtime::Error::Decode(decode) => {
            println!("{decode}");
            (decode.path.clone(), decode.message.clone())
        }
        other => panic!("expected a decode error, got {other:?}"),
    }
}

// --- decoding ----------------------------------------------------------------

#[tokio::test]
async fn unknown_fields_are_ignored() {
    let deployment = create_deployment(
        200,
        r#"{"deployment_id": "d1", "name": "Lobby", "brand_new": {"nested": [1, 2, {"x": null}]}, "another": 3}"#,
        "application/json",
    )
    .await
    .unwrap();
    assert_eq!(deployment.deployment_id.as_deref(), Some("d1"));
    assert_eq!(deployment.name.as_deref(), Some("Lobby"));

    let deleted = delete_history_item(
        200,
        r#"{"status": "ok", "extra": true}"#,
        "application/json",
    )
    .await
    .unwrap();
    assert_eq!(deleted.status, "ok");
}

#[tokio::test]
async fn unknown_enum_values_are_kept() {
    let deployment = create_deployment(
        200,
        r#"{"status": "paused", "channel": "hologram"}"#,
        "application/json",
    )
    .await
    .unwrap();
    assert_eq!(
        deployment.status,
        Some(DeploymentStatus::Unknown("paused".to_owned()))
    );
    assert_eq!(
        deployment.channel,
        Some(DeploymentChannel::Unknown("hologram".to_owned()))
    );
    // And they go back out as they came.
    assert_eq!(
        serde_json::to_value(&deployment).unwrap(),
        json!({"status": "paused", "channel": "hologram"})
    );
}

#[tokio::test]
async fn missing_optional_fields_are_none() {
    let deployment = create_deployment(200, "{}", "application/json")
        .await
        .unwrap();
    assert_eq!(deployment, tavus::types::Deployment::default());
}

#[tokio::test]
async fn a_missing_required_field_is_a_decode_error() {
    let error = delete_history_item(200, "{}", "application/json")
        .await
        .unwrap_err();
    assert_eq!(error.status(), Some(200));
    let (path, message) = decode_error(error);
    assert_eq!(path, ".");
    assert_eq!(message, "missing field `status` at line 1 column 2");
}

#[tokio::test]
async fn null_in_an_optional_field_the_spec_did_not_mark_nullable_is_none() {
    // `name` is optional and not nullable: null reads as absent.
    let deployment = create_deployment(
        200,
        r#"{"name": null, "usage_total": null, "allowed_origins": null, "status": null}"#,
        "application/json",
    )
    .await
    .unwrap();
    assert_eq!(deployment, tavus::types::Deployment::default());
}

#[tokio::test]
async fn null_in_a_required_field_the_spec_did_not_mark_nullable_is_a_decode_error() {
    let error = delete_history_item(200, r#"{"status": null}"#, "application/json")
        .await
        .unwrap_err();
    let (path, message) = decode_error(error);
    assert_eq!(path, "status");
    assert_eq!(
        message,
        "invalid type: null, expected a string at line 1 column 15"
    );
}

#[tokio::test]
async fn null_inside_a_list_of_strings_is_a_decode_error_naming_the_index() {
    let error = create_deployment(
        200,
        r#"{"allowed_origins": ["https://a.example", null]}"#,
        "application/json",
    )
    .await
    .unwrap_err();
    let (path, message) = decode_error(error);
    assert_eq!(path, "allowed_origins[1]");
    assert_eq!(
        message,
        "invalid type: null, expected a string at line 1 column 46"
    );
}

#[tokio::test]
async fn an_integer_too_large_for_i64_is_a_decode_error_naming_the_field() {
    let error = create_deployment(
        200,
        r#"{"usage_total": 99999999999999999999}"#,
        "application/json",
    )
    .await
    .unwrap_err();
    let (path, message) = decode_error(error);
    assert_eq!(path, "usage_total");
    assert!(
        message.starts_with("invalid type: floating point"),
        "{message}"
    );
}

#[tokio::test]
async fn a_number_beyond_f64_is_a_decode_error_naming_the_field() {
    let error = create_deployment(200, r#"{"usage_total": 1e400}"#, "application/json")
        .await
        .unwrap_err();
    let (path, message) = decode_error(error);
    assert_eq!(path, "usage_total");
    assert!(message.starts_with("number out of range"), "{message}");
}

#[tokio::test]
async fn a_fractional_number_for_an_integer_is_a_decode_error() {
    let error = create_deployment(200, r#"{"usage_today": 4.5}"#, "application/json")
        .await
        .unwrap_err();
    let (path, message) = decode_error(error);
    assert_eq!(path, "usage_today");
    assert!(
        message.starts_with("invalid type: floating point `4.5`"),
        "{message}"
    );
}

#[tokio::test]
async fn a_body_cut_inside_the_json_is_a_decode_error() {
    let error = create_deployment(
        200,
        r#"{"deployment_id": "d1", "name": "Lob"#,
        "application/json",
    )
    .await
    .unwrap_err();
    let (path, message) = decode_error(error);
    assert_eq!(path, "name");
    assert!(
        message.starts_with("EOF while parsing a string"),
        "{message}"
    );
}

#[tokio::test]
async fn an_empty_body_where_json_is_expected_is_a_decode_error() {
    let error = create_deployment(200, "", "application/json")
        .await
        .unwrap_err();
    let (path, message) = decode_error(error);
    assert_eq!(path, ".");
    assert!(
        message.starts_with("EOF while parsing a value"),
        "{message}"
    );
}

#[tokio::test]
async fn trailing_garbage_after_the_json_is_a_decode_error() {
    let error = create_deployment(200, r#"{"name": "a"} {"name": "b"}"#, "application/json")
        .await
        .unwrap_err();
    let (path, message) = decode_error(error);
    assert_eq!(path, ".");
    assert!(message.starts_with("trailing characters"), "{message}");
}

#[tokio::test]
async fn json_under_a_wrong_content_type_is_decoded_anyway() {
    let deployment = create_deployment(200, r#"{"name": "Lobby"}"#, "application/xml")
        .await
        .unwrap();
    assert_eq!(deployment.name.as_deref(), Some("Lobby"));
}

#[tokio::test]
async fn html_with_status_200_is_a_decode_error_quoting_the_body() {
    let error = delete_history_item(200, "<html><body>Welcome</body></html>", "text/html")
        .await
        .unwrap_err();
    let text = error.to_string();
    let (path, message) = decode_error(error);
    assert_eq!(path, ".");
    assert!(message.starts_with("expected value"), "{message}");
    assert!(text.contains("<html><body>Welcome"), "{text}");
}

#[tokio::test]
async fn an_html_error_page_with_status_502_keeps_status_and_raw_body() {
    let page = "<html><head><title>502 Bad Gateway</title></head><body><center><h1>502 Bad Gateway</h1></center><hr><center>nginx</center></body></html>";
    let error = create_deployment(502, page, "text/html").await.unwrap_err();
    let text = error.to_string();
    let tavus::Error::Status(status) = error else {
        panic!("expected a status error, got {error:?}");
    };
    assert_eq!(status.status, 502);
    assert_eq!(status.body_text(), page);
    assert!(status.body.is_none());
    assert!(
        text.starts_with("the API answered HTTP 502 Bad Gateway: <html>"),
        "{text}"
    );

    // An API with typed error bodies keeps the raw page too.
    let error = delete_history_item(502, page, "text/html")
        .await
        .unwrap_err();
    assert_eq!(error.status(), Some(502));
    assert!(error.error_body().is_none());
    assert_eq!(error.status_error().unwrap().body_text(), page);
}

#[tokio::test]
async fn a_typed_error_body_that_does_not_match_its_schema_keeps_the_raw_body() {
    let error = delete_history_item(422, r#"{"detail": 42}"#, "application/json")
        .await
        .unwrap_err();
    assert_eq!(error.status(), Some(422));
    assert!(error.error_body().is_none(), "{error:?}");
    assert_eq!(
        error.status_error().unwrap().body_text(),
        r#"{"detail": 42}"#
    );
}

// --- broken connections --------------------------------------------------------

/// What the raw server does after reading the request head.
#[derive(Clone, Copy)]
enum Behaviour {
    /// Writes these bytes, then closes the connection normally.
    Close(&'static [u8]),
    /// Writes these bytes, then keeps the connection open without a word.
    Stall(&'static [u8]),
    /// Writes these bytes, then resets the connection (RST, not FIN).
    Reset(&'static [u8]),
}

/// A one-purpose HTTP/1.1 server: serves every connection as `behaviour`
/// says. Returns its base URL.
async fn raw_server(behaviour: Behaviour) -> String {
    let listener = TcpListener::bind("127.0.0.1:0").await.unwrap();
    let address = listener.local_addr().unwrap();
    tokio::spawn(async move {
        loop {
            let Ok((stream, _)) = listener.accept().await else {
                return;
            };
            tokio::spawn(serve(stream, behaviour));
        }
    });
    format!("http://{address}")
}

async fn serve(mut stream: TcpStream, behaviour: Behaviour) {
    let mut request = Vec::new();
    let mut buffer = [0u8; 4096];
    while !request.windows(4).any(|w| w == b"\r\n\r\n") {
        match stream.read(&mut buffer).await {
            Ok(0) | Err(_) => return,
            Ok(n) => request.extend_from_slice(&buffer[..n]),
        }
    }
    match behaviour {
        Behaviour::Close(bytes) => {
            let _ = stream.write_all(bytes).await;
            let _ = stream.shutdown().await;
        }
        Behaviour::Stall(bytes) => {
            let _ = stream.write_all(bytes).await;
            let _ = stream.flush().await;
            tokio::time::sleep(Duration::from_secs(30)).await;
        }
        Behaviour::Reset(bytes) => {
            let _ = stream.write_all(bytes).await;
            let _ = stream.flush().await;
            // Let the client read what was written before the reset.
            tokio::time::sleep(Duration::from_millis(50)).await;
            // A zero linger makes the close a reset; it does not block.
            #[allow(deprecated)]
            let _ = stream.set_linger(Some(Duration::ZERO));
            drop(stream);
        }
    }
}

async fn create_deployment_at(base_url: &str) -> Result<tavus::types::Deployment, tavus::Error> {
    bounded(
        tavus_client(base_url)
            .deployments()
            .create(&deployment_request()),
    )
    .await
}

#[track_caller]
fn assert_body_error(error: &tavus::Error) {
    assert!(
        matches!(error, tavus::Error::Body(_)),
        "expected a body error, got {error:?}"
    );
    assert_eq!(error.to_string(), "the response body broke off");
}

#[tokio::test]
async fn a_body_shorter_than_its_content_length_is_a_body_error() {
    let url = raw_server(Behaviour::Close(
        b"HTTP/1.1 200 OK\r\ncontent-type: application/json\r\ncontent-length: 100\r\n\r\n{\"name\": \"Lob",
    ))
    .await;
    let error = create_deployment_at(&url).await.unwrap_err();
    println!("{error:?}");
    assert_body_error(&error);
}

#[tokio::test]
async fn a_chunked_body_that_ends_without_its_last_chunk_is_a_body_error() {
    let url = raw_server(Behaviour::Close(
        b"HTTP/1.1 200 OK\r\ncontent-type: application/json\r\ntransfer-encoding: chunked\r\n\r\nd\r\n{\"name\": \"Lob\r\n",
    ))
    .await;
    let error = create_deployment_at(&url).await.unwrap_err();
    println!("{error:?}");
    assert_body_error(&error);
}

#[tokio::test]
async fn a_connection_closed_before_any_answer_is_a_transport_error() {
    let url = raw_server(Behaviour::Close(b"")).await;
    let error = create_deployment_at(&url).await.unwrap_err();
    println!("{error:?}");
    assert!(matches!(error, tavus::Error::Transport(_)), "{error:?}");
    assert_eq!(error.to_string(), "could not reach the API");
}

#[tokio::test]
async fn garbage_instead_of_http_is_a_transport_error() {
    let url = raw_server(Behaviour::Close(b"SSH-2.0-OpenSSH_9.6\r\n\r\n")).await;
    let error = create_deployment_at(&url).await.unwrap_err();
    println!("{error:?}");
    assert!(matches!(error, tavus::Error::Transport(_)), "{error:?}");
}

#[tokio::test]
async fn a_server_that_stalls_before_answering_times_out() {
    let url = raw_server(Behaviour::Stall(b"")).await;
    let started = std::time::Instant::now();
    let error = create_deployment_at(&url).await.unwrap_err();
    println!("{error:?} after {:?}", started.elapsed());
    assert!(error.is_timeout(), "{error:?}");
    assert_eq!(
        error.to_string(),
        "the request timed out: the server sent nothing for longer than the read timeout"
    );
}

#[tokio::test]
async fn a_server_that_stalls_in_the_middle_of_the_body_times_out() {
    let url = raw_server(Behaviour::Stall(
        b"HTTP/1.1 200 OK\r\ncontent-type: application/json\r\ncontent-length: 100\r\n\r\n{\"name\": \"Lob",
    ))
    .await;
    let error = create_deployment_at(&url).await.unwrap_err();
    println!("{error:?}");
    assert!(error.is_timeout(), "{error:?}");
}

#[tokio::test]
async fn the_total_timeout_fires_on_a_stalled_server_too() {
    let url = raw_server(Behaviour::Stall(b"")).await;
    let client = tavus::Client::builder()
        .api_key(KEY)
        .base_url(&url)
        .no_retries()
        .timeout(Duration::from_millis(300))
        .build()
        .unwrap();
    let error = bounded(client.deployments().create(&deployment_request()))
        .await
        .unwrap_err();
    assert!(error.is_timeout(), "{error:?}");
}

#[tokio::test]
async fn a_connection_reset_before_the_answer_is_a_transport_error() {
    let url = raw_server(Behaviour::Reset(b"")).await;
    let error = create_deployment_at(&url).await.unwrap_err();
    println!("{error:?}");
    assert!(matches!(error, tavus::Error::Transport(_)), "{error:?}");
}

#[tokio::test]
async fn a_connection_reset_in_the_middle_of_a_json_body_is_a_body_error() {
    let url = raw_server(Behaviour::Reset(
        b"HTTP/1.1 200 OK\r\ncontent-type: application/json\r\ncontent-length: 100\r\n\r\n{\"name\": \"Lob",
    ))
    .await;
    let error = create_deployment_at(&url).await.unwrap_err();
    println!("{error:?}");
    assert_body_error(&error);
}

const AUDIO_HEAD_THEN_SOME: &[u8] = b"HTTP/1.1 200 OK\r\ncontent-type: audio/mpeg\r\ncontent-length: 100000\r\n\r\n\xFF\xFB\x90\x00audio-bytes";

#[tokio::test]
async fn a_connection_reset_in_the_middle_of_an_audio_stream_ends_the_stream_with_an_error() {
    let url = raw_server(Behaviour::Reset(AUDIO_HEAD_THEN_SOME)).await;
    let client = elevenlabs_client(&url);
    let mut stream = bounded(client.text_to_speech().stream("voice1", "Hello"))
        .await
        .expect("the head arrived");
    let mut received = Vec::new();
    let mut failure = None;
    while let Some(chunk) = bounded(stream.next()).await {
        match chunk {
            Ok(bytes) => received.extend_from_slice(&bytes),
            Err(error) => failure = Some(error),
        }
    }
    assert_eq!(received, b"\xFF\xFB\x90\x00audio-bytes");
    let error = failure.expect("the stream ended with an error");
    println!("{error:?}");
    assert!(matches!(error, elevenlabs::Error::Body(_)), "{error:?}");
    assert!(
        bounded(stream.next()).await.is_none(),
        "nothing after the error"
    );
}

#[tokio::test]
async fn an_audio_stream_that_stalls_times_out_between_chunks() {
    let url = raw_server(Behaviour::Stall(AUDIO_HEAD_THEN_SOME)).await;
    let client = elevenlabs_client(&url);
    let stream = bounded(client.text_to_speech().stream("voice1", "Hello"))
        .await
        .expect("the head arrived");
    let error = bounded(stream.bytes()).await.unwrap_err();
    println!("{error:?}");
    assert!(error.is_timeout(), "{error:?}");
}
