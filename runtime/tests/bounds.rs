//! Memory and time stay bounded whatever the server sends and however the
//! client is configured: size caps on buffered bodies, error bodies and
//! event-stream lines; inflated bodies counted once inflated; a total
//! timeout by default; the builder's timeouts on a user-supplied client;
//! and no configuration that panics.

mod common;

use std::io::Write;
use std::time::Duration;

use api_runtime::reqwest::Method;
use api_runtime::{ClientBuilder, Error, Request, RetryPolicy, TimeoutKind, ERROR_BODY_LIMIT};
use common::{builder, ApiError, TestClient};
use futures_util::StreamExt;
use proptest::prelude::*;
use tokio::io::{AsyncReadExt, AsyncWriteExt};
use tokio::net::{TcpListener, TcpStream};
use wiremock::matchers::any as any_request;
use wiremock::{Mock, MockServer, ResponseTemplate};

const MIB: usize = 1024 * 1024;

/// Fails the test instead of hanging when `future` does not end in 20 s.
async fn bounded<F: std::future::Future>(future: F) -> F::Output {
    tokio::time::timeout(Duration::from_secs(20), future)
        .await
        .expect("the call ended instead of hanging")
}

async fn answering(template: ResponseTemplate) -> MockServer {
    let server = MockServer::start().await;
    Mock::given(any_request())
        .respond_with(template)
        .mount(&server)
        .await;
    server
}

fn get() -> Request {
    Request::new(Method::GET, "/v1/history")
}

/// The error of a `GET` through a client built by `builder`.
async fn get_error(builder: ClientBuilder<TestClient>) -> Error<ApiError> {
    let client = builder.build().unwrap();
    bounded(client.transport.send::<ApiError>(get()))
        .await
        .unwrap_err()
}

/// The error of reading `server`'s answer as JSON with at most `limit`
/// bytes in memory.
async fn json_error(server: &MockServer, limit: usize) -> Error<ApiError> {
    let client = builder(&server.uri())
        .max_response_size(limit)
        .build()
        .unwrap();
    let response = client.transport.send::<ApiError>(get()).await.unwrap();
    bounded(response.json::<serde_json::Value, ApiError>())
        .await
        .unwrap_err()
}

#[tokio::test]
async fn a_json_body_over_the_limit_fails_without_being_buffered() {
    let server = answering(ResponseTemplate::new(200).set_body_bytes(vec![b' '; 3 * MIB])).await;
    let error = json_error(&server, MIB).await;

    let Error::TooLarge(too_large) = &error else {
        panic!("{error:?}");
    };
    assert_eq!(too_large.limit, MIB);
    assert!(error.to_string().contains("1048576 bytes"), "{error}");
}

/// A server on 127.0.0.1 that reads one request and leaves the connection
/// to `answer`.
async fn one_connection<F, A>(answer: F) -> String
where
    F: FnOnce(TcpStream) -> A + Send + 'static,
    A: std::future::Future<Output = ()> + Send,
{
    let listener = TcpListener::bind("127.0.0.1:0").await.unwrap();
    let address = listener.local_addr().unwrap();
    tokio::spawn(async move {
        let (mut socket, _) = listener.accept().await.unwrap();
        let mut buffer = [0u8; 4096];
        let _ = socket.read(&mut buffer).await;
        answer(socket).await;
    });
    format!("http://{address}")
}

/// Answers with a `content-length` of 500 MiB and sends a few bytes of it.
async fn announcing_a_huge_body() -> String {
    one_connection(|mut socket| async move {
        let head = format!("HTTP/1.1 200 OK\r\ncontent-length: {}\r\n\r\n[", 500 * MIB);
        let _ = socket.write_all(head.as_bytes()).await;
        tokio::time::sleep(Duration::from_secs(30)).await;
    })
    .await
}

#[tokio::test]
async fn a_declared_length_over_the_limit_fails_before_reading() {
    let client = builder(&announcing_a_huge_body().await).build().unwrap();

    let response = client.transport.send::<ApiError>(get()).await.unwrap();
    let error = bounded(response.text::<ApiError>()).await.unwrap_err();

    assert!(matches!(error, Error::TooLarge(_)), "{error:?}");
}

#[tokio::test]
async fn an_error_body_keeps_only_its_start_and_is_read_once_per_attempt() {
    let body = vec![b'<'; 8 * MIB];
    let server = answering(ResponseTemplate::new(500).set_body_bytes(body)).await;
    let client = builder(&server.uri()).build().unwrap();

    let error = bounded(client.transport.send::<ApiError>(get()))
        .await
        .unwrap_err();

    let status = error.status_error().expect("a status error");
    assert_eq!(status.raw_body.len(), ERROR_BODY_LIMIT);
    assert!(status.truncated);
    assert_eq!(server.received_requests().await.unwrap().len(), 3);
}

#[tokio::test]
async fn a_short_error_body_is_kept_whole() {
    let server = answering(ResponseTemplate::new(404).set_body_string("not found")).await;
    let error = builder(&server.uri())
        .build()
        .unwrap()
        .transport
        .send::<ApiError>(get())
        .await
        .unwrap_err();
    let status = error.status_error().unwrap();
    assert_eq!(&status.raw_body[..], b"not found");
    assert!(!status.truncated);
}

/// 64 MiB of zeros, gzip-compressed to about 64 KiB.
fn gzip_bomb() -> Vec<u8> {
    let mut encoder = flate2::write::GzEncoder::new(Vec::new(), flate2::Compression::best());
    let zeros = vec![0u8; MIB];
    for _ in 0..64 {
        encoder.write_all(&zeros).unwrap();
    }
    encoder.finish().unwrap()
}

/// The dev-dependencies turn on reqwest's `gzip`, as an application's own
/// dependency on reqwest may: the client then inflates bodies itself.
#[tokio::test]
async fn an_inflated_body_counts_against_the_limit() {
    let bomb = gzip_bomb();
    assert!(bomb.len() < MIB, "{}", bomb.len());
    let server = answering(
        ResponseTemplate::new(200)
            .insert_header("content-encoding", "gzip")
            .insert_header("content-type", "application/json")
            .set_body_bytes(bomb),
    )
    .await;
    let error = json_error(&server, 4 * MIB).await;

    assert!(matches!(error, Error::TooLarge(_)), "{error:?}");
}

#[tokio::test]
async fn an_event_line_over_the_limit_ends_the_stream_with_an_error() {
    let mut body = b"data: {\"n\":1}\n\n".to_vec();
    body.extend_from_slice(b"data: ");
    body.extend(std::iter::repeat_n(b'x', 2 * MIB));
    body.extend_from_slice(b"\n\n");
    let server = answering(
        ResponseTemplate::new(200)
            .insert_header("content-type", "text/event-stream")
            .set_body_bytes(body),
    )
    .await;
    let client = builder(&server.uri())
        .max_response_size(MIB)
        .build()
        .unwrap();

    let response = client.transport.send::<ApiError>(get()).await.unwrap();
    let mut events = response.event_stream::<serde_json::Value, ApiError>();

    let first = bounded(events.next()).await.unwrap().unwrap();
    assert_eq!(first, serde_json::json!({"n": 1}));
    let second = bounded(events.next()).await.unwrap();
    assert!(matches!(second, Err(Error::TooLarge(_))), "{second:?}");
    assert!(events.next().await.is_none());
}

#[tokio::test]
async fn a_long_event_under_the_limit_is_decoded_whole() {
    let text = "y".repeat(4 * MIB);
    let body = format!("data: \"{text}\"\n\n");
    let server = answering(
        ResponseTemplate::new(200)
            .insert_header("content-type", "text/event-stream")
            .set_body_string(body),
    )
    .await;
    let client = builder(&server.uri()).build().unwrap();

    let response = client.transport.send::<ApiError>(get()).await.unwrap();
    let mut events = response.event_stream::<String, ApiError>();

    let event = bounded(events.next()).await.unwrap().unwrap();
    assert_eq!(event.len(), text.len() + 2);
}

/// Sends the headers at once and then one byte of the body every
/// `interval`, forever.
async fn trickling(interval: Duration) -> String {
    one_connection(move |mut socket| async move {
        let head = b"HTTP/1.1 200 OK\r\ncontent-type: application/json\r\ntransfer-encoding: chunked\r\n\r\n";
        if socket.write_all(head).await.is_err() {
            return;
        }
        loop {
            tokio::time::sleep(interval).await;
            if socket.write_all(b"1\r\n \r\n").await.is_err() {
                return;
            }
        }
    })
    .await
}

/// The clock is paused: tokio moves it on whenever every task waits, so the
/// 240 s default passes in moments while the server trickles a byte a
/// second.
#[tokio::test(start_paused = true)]
async fn a_body_that_trickles_in_ends_at_the_default_total_timeout() {
    let base_url = trickling(Duration::from_secs(1)).await;
    let client = builder(&base_url).build().unwrap();
    let started = tokio::time::Instant::now();

    let result = client
        .transport
        .call_json::<serde_json::Value, ApiError>(get())
        .await;

    let Err(Error::Timeout(timeout)) = &result else {
        panic!("{result:?}");
    };
    assert_eq!(timeout.kind(), TimeoutKind::Total);
    let waited = started.elapsed();
    assert!(
        waited >= Duration::from_secs(240) && waited < Duration::from_secs(250),
        "{waited:?}"
    );
}

#[tokio::test]
async fn a_user_supplied_client_gets_the_builders_read_timeout() {
    let server = answering(ResponseTemplate::new(200).set_delay(Duration::from_secs(30))).await;
    let error = get_error(
        builder(&server.uri())
            .http_client(api_runtime::reqwest::Client::builder())
            .read_timeout(Duration::from_millis(300)),
    )
    .await;

    let Error::Timeout(timeout) = &error else {
        panic!("{error:?}");
    };
    assert_eq!(timeout.kind(), TimeoutKind::Read);
}

#[tokio::test]
async fn the_longest_durations_do_not_panic_when_a_call_retries() {
    let server = answering(ResponseTemplate::new(429).insert_header("retry-after", "100000")).await;
    let policy = RetryPolicy {
        max_retry_after: Duration::MAX,
        max_backoff: Duration::MAX,
        initial_backoff: Duration::MAX,
        ..RetryPolicy::default()
    };
    let retried = builder(&server.uri())
        .retry(policy)
        .timeout(Duration::from_millis(200));
    assert_eq!(get_error(retried).await.status(), Some(429));

    let unlimited = builder(&server.uri())
        .timeout(Duration::MAX)
        .read_timeout(Duration::MAX)
        .connect_timeout(Duration::MAX)
        .no_retries();
    assert_eq!(get_error(unlimited).await.status(), Some(429));
}

fn any_duration() -> impl Strategy<Value = Duration> {
    prop_oneof![
        Just(Duration::ZERO),
        Just(Duration::MAX),
        (0u64..=u64::MAX, 0u32..1_000_000_000).prop_map(|(s, n)| Duration::new(s, n)),
        (0u64..10_000).prop_map(Duration::from_millis),
    ]
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 64, ..ProptestConfig::default() })]

    /// Any durations build a client, and a call refused at once (nothing
    /// listens) ends without a panic: the refused connection is retried
    /// with waits that saturate, bounded here by a short total timeout.
    #[test]
    fn no_configuration_panics(
        connect in any_duration(),
        read in any_duration(),
        initial_backoff in any_duration(),
        max_backoff in any_duration(),
        max_retry_after in any_duration(),
        jitter in any::<bool>(),
        max_retries in 0u32..=u32::MAX,
    ) {
        let runtime = tokio::runtime::Builder::new_current_thread().enable_all().build().unwrap();
        runtime.block_on(async {
            let policy = RetryPolicy {
                max_retries,
                initial_backoff,
                max_backoff,
                jitter,
                max_retry_after,
                retry_non_idempotent: false,
            };
            let client = builder("http://127.0.0.1:9")
                .connect_timeout(connect)
                .read_timeout(read)
                .timeout(Duration::from_millis(50))
                .retry(policy)
                .build()
                .unwrap();
            let result = bounded(client.transport.send::<ApiError>(get())).await;
            prop_assert!(result.is_err());
            Ok(())
        })?;
    }
}
