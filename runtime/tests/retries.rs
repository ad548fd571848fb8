//! Which failures are retried, how long the transport waits, and that a
//! retried request is sent again in full.

mod common;

use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::Arc;
use std::time::{Duration, Instant};

use api_runtime::reqwest::Method;
use api_runtime::{Bytes, Error, File, Form, Request, RetryPolicy};
use common::{builder, client, parse_multipart, ApiError};
use tokio::io::AsyncReadExt;
use tokio::net::TcpListener;
use wiremock::matchers::method;
use wiremock::{Mock, MockServer, ResponseTemplate};

/// A server that answers `first` once, then 200.
async fn failing_once(first: ResponseTemplate) -> MockServer {
    let server = MockServer::start().await;
    Mock::given(method("POST"))
        .respond_with(first)
        .up_to_n_times(1)
        .with_priority(1)
        .mount(&server)
        .await;
    Mock::given(method("POST"))
        .respond_with(ResponseTemplate::new(200).set_body_string("{}"))
        .mount(&server)
        .await;
    server
}

/// A server that always answers `status`.
async fn always(status: u16) -> MockServer {
    let server = MockServer::start().await;
    Mock::given(wiremock::matchers::any())
        .respond_with(ResponseTemplate::new(status))
        .mount(&server)
        .await;
    server
}

async fn request_count(server: &MockServer) -> usize {
    server.received_requests().await.unwrap().len()
}

fn post() -> Request {
    Request::new(Method::POST, "/v1/speech").json(&serde_json::json!({"text": "hi"}))
}

#[tokio::test]
async fn a_503_is_retried_and_the_retry_succeeds() {
    let server = failing_once(ResponseTemplate::new(503)).await;

    let response = client(&server.uri())
        .transport
        .send::<ApiError>(post())
        .await
        .expect("the retry succeeds");

    assert_eq!(response.status(), 200);
    let requests = server.received_requests().await.unwrap();
    assert_eq!(requests.len(), 2);
    assert_eq!(
        requests[0].body, requests[1].body,
        "the JSON body is resent"
    );
    assert_eq!(requests[1].body, br#"{"text":"hi"}"#);
}

#[tokio::test]
async fn retry_after_is_waited_for() {
    let server = failing_once(ResponseTemplate::new(429).insert_header("retry-after", "1")).await;

    let started = Instant::now();
    client(&server.uri())
        .transport
        .send::<ApiError>(post())
        .await
        .expect("the retry succeeds");

    assert!(
        started.elapsed() >= Duration::from_secs(1),
        "{:?}",
        started.elapsed()
    );
    assert_eq!(request_count(&server).await, 2);
}

#[tokio::test]
async fn a_retry_after_longer_than_the_limit_returns_the_error_at_once() {
    let server = failing_once(ResponseTemplate::new(429).insert_header("retry-after", "120")).await;

    let started = Instant::now();
    let error = client(&server.uri())
        .transport
        .send::<ApiError>(post())
        .await
        .unwrap_err();

    assert_eq!(error.status(), Some(429));
    assert!(
        started.elapsed() < Duration::from_secs(5),
        "{:?}",
        started.elapsed()
    );
    assert_eq!(request_count(&server).await, 1);
}

#[tokio::test]
async fn retries_stop_after_max_retries() {
    let server = always(503).await;

    let error = client(&server.uri())
        .transport
        .send::<ApiError>(post())
        .await
        .unwrap_err();

    assert_eq!(error.status(), Some(503));
    assert_eq!(
        request_count(&server).await,
        3,
        "one attempt and two retries"
    );
}

#[tokio::test]
async fn max_retries_sets_the_number_of_retries() {
    let server = always(503).await;
    let client = builder(&server.uri()).max_retries(1).build().unwrap();

    client.transport.send::<ApiError>(post()).await.unwrap_err();

    assert_eq!(request_count(&server).await, 2);
}

#[tokio::test]
async fn no_retries_sends_once() {
    let server = failing_once(ResponseTemplate::new(503)).await;
    let client = builder(&server.uri()).no_retries().build().unwrap();

    let error = client.transport.send::<ApiError>(post()).await.unwrap_err();

    assert_eq!(error.status(), Some(503));
    assert_eq!(request_count(&server).await, 1);
}

#[tokio::test]
async fn client_errors_and_other_server_errors_are_not_retried() {
    assert_a_post_is_sent_once(&[400, 401, 404, 422, 501]).await;
}

/// A `POST` answered with each of `statuses` fails after one attempt.
async fn assert_a_post_is_sent_once(statuses: &[u16]) {
    for &status in statuses {
        let server = always(status).await;
        let error = client(&server.uri())
            .transport
            .send::<ApiError>(post())
            .await
            .unwrap_err();
        assert_eq!(error.status(), Some(status));
        assert_eq!(request_count(&server).await, 1, "status {status}");
    }
}

#[tokio::test]
async fn a_multipart_request_is_resent_in_full() {
    let server = failing_once(ResponseTemplate::new(503)).await;
    let on_disk =
        std::env::temp_dir().join(format!("api-runtime-{}-retry.wav", std::process::id()));
    std::fs::write(&on_disk, b"RIFF on disk").unwrap();
    let mut form = Form::new();
    form.text("model_id", "scribe_v1");
    form.text("tags", &["a", "b"]);
    form.json("options", &serde_json::json!({"diarize": true}));
    form.file(
        "file",
        &File::from_bytes(b"ID3 audio".to_vec()).with_file_name("a.mp3"),
    );
    form.file("reference", &File::from_path(&on_disk));

    client(&server.uri())
        .transport
        .send::<ApiError>(Request::new(Method::POST, "/v1/speech-to-text").multipart(form))
        .await
        .expect("the retry succeeds");
    std::fs::remove_file(&on_disk).unwrap();

    let requests = server.received_requests().await.unwrap();
    assert_eq!(requests.len(), 2);
    let bodies: Vec<_> = requests
        .iter()
        .map(|request| {
            let content_type = request.headers["content-type"].to_str().unwrap();
            parse_multipart(content_type, &request.body)
        })
        .collect();
    let names: Vec<&str> = bodies[0].iter().map(|part| part.name.as_str()).collect();
    assert_eq!(
        names,
        ["model_id", "tags", "tags", "options", "file", "reference"]
    );
    assert_eq!(bodies[0].last().unwrap().data, b"RIFF on disk");
    assert_eq!(
        bodies[0], bodies[1],
        "the retry carries the same fields and files"
    );
}

#[tokio::test]
async fn a_request_with_a_stream_file_is_not_retried() {
    let server = failing_once(ResponseTemplate::new(500)).await;
    let mut form = Form::new();
    form.file(
        "file",
        &File::from_stream(futures_util::stream::iter(vec![Ok(Bytes::from_static(
            b"once",
        ))])),
    );

    let error = client(&server.uri())
        .transport
        .send::<ApiError>(Request::new(Method::POST, "/v1/upload").multipart(form))
        .await
        .unwrap_err();

    assert_eq!(error.status(), Some(500), "the first failure is returned");
    assert_eq!(request_count(&server).await, 1);
}

#[tokio::test]
async fn a_refused_connection_is_retried_with_backoff() {
    let unused = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
    let address = unused.local_addr().unwrap();
    drop(unused);
    let policy = RetryPolicy {
        max_retries: 2,
        initial_backoff: Duration::from_millis(100),
        max_backoff: Duration::from_secs(1),
        jitter: false,
        ..RetryPolicy::default()
    };
    let client = builder(&format!("http://{address}"))
        .retry(policy)
        .build()
        .unwrap();

    let started = Instant::now();
    let error = client.transport.send::<ApiError>(post()).await.unwrap_err();

    assert!(matches!(error, Error::Transport(_)), "{error:?}");
    assert!(
        started.elapsed() >= Duration::from_millis(300),
        "waited 100 ms and 200 ms between three attempts, took {:?}",
        started.elapsed()
    );
}

#[tokio::test]
async fn a_connection_dropped_after_the_request_is_not_retried() {
    let listener = TcpListener::bind("127.0.0.1:0").await.unwrap();
    let address = listener.local_addr().unwrap();
    let accepted = Arc::new(AtomicUsize::new(0));
    let counter = Arc::clone(&accepted);
    tokio::spawn(async move {
        while let Ok((mut socket, _)) = listener.accept().await {
            counter.fetch_add(1, Ordering::SeqCst);
            let mut buffer = [0u8; 4096];
            let _ = socket.read(&mut buffer).await;
            drop(socket);
        }
    });

    let error = client(&format!("http://{address}"))
        .transport
        .send::<ApiError>(post())
        .await
        .unwrap_err();

    assert!(matches!(error, Error::Transport(_)), "{error:?}");
    tokio::time::sleep(Duration::from_millis(100)).await;
    assert_eq!(
        accepted.load(Ordering::SeqCst),
        1,
        "the server may have acted on it"
    );
}

#[tokio::test]
async fn a_post_is_not_replayed_after_an_error_the_server_may_have_acted_on() {
    assert_a_post_is_sent_once(&[500, 502, 504]).await;
}

#[tokio::test]
async fn idempotent_methods_are_retried_after_500_502_and_504() {
    for (verb, status) in [
        (Method::GET, 500),
        (Method::DELETE, 502),
        (Method::PUT, 504),
    ] {
        let server = always(status).await;
        client(&server.uri())
            .transport
            .send::<ApiError>(Request::new(verb.clone(), "/v1/item"))
            .await
            .unwrap_err();
        assert_eq!(request_count(&server).await, 3, "{verb} {status}");
    }
}

#[tokio::test]
async fn a_post_is_replayed_after_a_500_when_the_user_opts_in() {
    let server = always(500).await;
    let policy = RetryPolicy {
        retry_non_idempotent: true,
        ..common::fast_retries()
    };
    let client = builder(&server.uri()).retry(policy).build().unwrap();

    client.transport.send::<ApiError>(post()).await.unwrap_err();

    assert_eq!(request_count(&server).await, 3);
}

/// A server that answers the first request of a connection with 200 and
/// keeps it open, then reads the next request on it and closes the
/// connection without answering, as a server does when its keep-alive
/// timeout ends just as a request arrives. Counts the requests it reads.
async fn closing_idle_connections() -> (String, Arc<AtomicUsize>) {
    let listener = TcpListener::bind("127.0.0.1:0").await.unwrap();
    let address = listener.local_addr().unwrap();
    let requests = Arc::new(AtomicUsize::new(0));
    let counted = requests.clone();
    tokio::spawn(async move {
        for _ in 0..8 {
            let Ok((mut socket, _)) = listener.accept().await else {
                return;
            };
            let counted = counted.clone();
            tokio::spawn(async move {
                use tokio::io::AsyncWriteExt;
                let mut buffer = vec![0u8; 65536];
                if socket.read(&mut buffer).await.unwrap_or(0) == 0 {
                    return;
                }
                counted.fetch_add(1, Ordering::SeqCst);
                let answer = b"HTTP/1.1 200 OK\r\ncontent-length: 2\r\n\r\n{}";
                if socket.write_all(answer).await.is_err() {
                    return;
                }
                if socket.read(&mut buffer).await.unwrap_or(0) > 0 {
                    counted.fetch_add(1, Ordering::SeqCst);
                }
                // Dropped: closed without an answer to the second request.
            });
        }
    });
    (format!("http://{address}"), requests)
}

#[tokio::test]
async fn a_get_lost_to_a_closed_keep_alive_connection_is_sent_again() {
    let (base_url, requests) = closing_idle_connections().await;
    let client = client(&base_url);
    for _ in 0..3 {
        let response = client
            .transport
            .send::<ApiError>(Request::new(Method::GET, "/v1/item"))
            .await
            .expect("a lost GET is sent again on a new connection");
        assert_eq!(response.status(), 200);
    }
    // Each GET after the first is lost once and then sent again.
    assert_eq!(requests.load(Ordering::SeqCst), 5);
}

#[tokio::test]
async fn a_post_lost_to_a_closed_keep_alive_connection_is_not_sent_again() {
    let (base_url, requests) = closing_idle_connections().await;
    let client = client(&base_url);
    client
        .transport
        .send::<ApiError>(post())
        .await
        .expect("the first POST is answered");

    let error = client.transport.send::<ApiError>(post()).await.unwrap_err();

    assert!(matches!(error, Error::Transport(_)), "{error:?}");
    assert_eq!(requests.load(Ordering::SeqCst), 2);
}
