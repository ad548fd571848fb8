//! A stalled server fails with `Error::Timeout` instead of hanging.

mod common;

use std::time::{Duration, Instant};

use api_runtime::reqwest::Method;
use api_runtime::{Error, Request};
use common::{builder, ApiError};
use futures_util::StreamExt;
use tokio::io::{AsyncReadExt, AsyncWriteExt};
use tokio::net::TcpListener;
use tokio::sync::oneshot;
use wiremock::matchers::method;
use wiremock::{Mock, MockServer, ResponseTemplate};

const SHORT: Duration = Duration::from_millis(300);

async fn stalled_server() -> MockServer {
    let server = MockServer::start().await;
    Mock::given(method("GET"))
        .respond_with(ResponseTemplate::new(200).set_delay(Duration::from_secs(10)))
        .mount(&server)
        .await;
    server
}

#[tokio::test]
async fn the_read_timeout_fires_while_waiting_for_the_answer() {
    let server = stalled_server().await;
    let client = builder(&server.uri()).read_timeout(SHORT).build().unwrap();

    let started = Instant::now();
    let error = client
        .transport
        .send::<ApiError>(Request::new(Method::GET, "/v1/slow"))
        .await
        .unwrap_err();

    assert!(matches!(error, Error::Timeout(_)), "{error:?}");
    assert!(error.is_timeout());
    assert!(
        started.elapsed() < Duration::from_secs(5),
        "{:?}",
        started.elapsed()
    );
    let requests = server.received_requests().await.unwrap();
    assert_eq!(requests.len(), 1, "a timed-out request is not retried");
}

#[tokio::test]
async fn the_total_timeout_fires() {
    let server = stalled_server().await;
    let client = builder(&server.uri()).timeout(SHORT).build().unwrap();

    let started = Instant::now();
    let error = client
        .transport
        .send::<ApiError>(Request::new(Method::GET, "/v1/slow"))
        .await
        .unwrap_err();

    assert!(matches!(error, Error::Timeout(_)), "{error:?}");
    assert!(
        started.elapsed() < Duration::from_secs(5),
        "{:?}",
        started.elapsed()
    );
}

#[tokio::test]
async fn the_total_timeout_applies_to_a_user_supplied_client() {
    let server = stalled_server().await;
    let client = builder(&server.uri())
        .http_client(api_runtime::reqwest::Client::builder())
        .timeout(SHORT)
        .build()
        .unwrap();

    let error = client
        .transport
        .send::<ApiError>(Request::new(Method::GET, "/v1/slow"))
        .await
        .unwrap_err();

    assert!(matches!(error, Error::Timeout(_)), "{error:?}");
}

#[tokio::test]
async fn the_read_timeout_fires_when_a_body_stalls() {
    let listener = TcpListener::bind("127.0.0.1:0").await.unwrap();
    let address = listener.local_addr().unwrap();
    let (done, wait_for_done) = oneshot::channel::<()>();
    let server = tokio::spawn(async move {
        let (mut socket, _) = listener.accept().await.unwrap();
        let mut buffer = [0u8; 4096];
        let _ = socket.read(&mut buffer).await.unwrap();
        socket
            .write_all(
                b"HTTP/1.1 200 OK\r\ncontent-type: audio/mpeg\r\ntransfer-encoding: chunked\r\n\r\n4\r\nsome\r\n",
            )
            .await
            .unwrap();
        // Keep the connection open, silent, until the test is over.
        let _ = wait_for_done.await;
    });
    let client = builder(&format!("http://{address}"))
        .read_timeout(SHORT)
        .build()
        .unwrap();

    let mut stream = client
        .transport
        .send::<ApiError>(Request::new(Method::GET, "/v1/stream"))
        .await
        .unwrap()
        .byte_stream::<ApiError>();
    let first = stream.next().await.unwrap().unwrap();
    assert_eq!(first.as_ref(), b"some");
    let started = Instant::now();
    let next = tokio::time::timeout(Duration::from_secs(5), stream.next())
        .await
        .expect("the read timeout fires before this one");

    assert!(matches!(next, Some(Err(Error::Timeout(_)))), "{next:?}");
    assert!(
        started.elapsed() >= Duration::from_millis(250),
        "{:?}",
        started.elapsed()
    );
    assert!(
        stream.next().await.is_none(),
        "the stream ends after an error"
    );
    done.send(()).unwrap();
    server.await.unwrap();
}

#[tokio::test]
async fn the_total_timeout_covers_retries_and_their_waits() {
    let server = MockServer::start().await;
    Mock::given(method("GET"))
        .respond_with(ResponseTemplate::new(503))
        .mount(&server)
        .await;
    let policy = api_runtime::RetryPolicy {
        max_retries: 10,
        initial_backoff: Duration::from_millis(200),
        max_backoff: Duration::from_secs(1),
        jitter: false,
        ..api_runtime::RetryPolicy::default()
    };
    let client = builder(&server.uri())
        .retry(policy)
        .timeout(Duration::from_millis(500))
        .build()
        .unwrap();

    let started = Instant::now();
    let error = client
        .transport
        .send::<ApiError>(Request::new(Method::GET, "/v1/busy"))
        .await
        .unwrap_err();

    assert_eq!(error.status(), Some(503), "the last failure is returned");
    assert!(
        started.elapsed() < Duration::from_secs(1),
        "{:?}",
        started.elapsed()
    );
    let attempts = server.received_requests().await.unwrap().len();
    assert_eq!(
        attempts, 2,
        "attempts at 0 ms and 200 ms; the next, at 600 ms, would start too late"
    );
}
