//! Every call is one `tracing` span with an event per attempt and per
//! retry, and shows no secret; hooks see and change every attempt.

mod common;

use std::io::Write;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::{Arc, Mutex, OnceLock};

use api_runtime::reqwest::{self, Method};
use api_runtime::{Hook, Request};
use common::{builder, ApiError, API_KEY};
use tracing_subscriber::fmt::format::FmtSpan;
use tracing_subscriber::fmt::MakeWriter;
use wiremock::matchers::{header, method};
use wiremock::{Mock, MockServer, ResponseTemplate};

/// Everything the subscriber writes, kept for the test to read.
#[derive(Clone, Default)]
struct Captured(Arc<Mutex<Vec<u8>>>);

impl Captured {
    fn text(&self) -> String {
        String::from_utf8(self.0.lock().unwrap().clone()).unwrap()
    }
}

impl Write for Captured {
    fn write(&mut self, bytes: &[u8]) -> std::io::Result<usize> {
        self.0.lock().unwrap().extend_from_slice(bytes);
        Ok(bytes.len())
    }

    fn flush(&mut self) -> std::io::Result<()> {
        Ok(())
    }
}

impl<'a> MakeWriter<'a> for Captured {
    type Writer = Captured;

    fn make_writer(&'a self) -> Self::Writer {
        self.clone()
    }
}

/// A server that answers 503 once, then 200.
async fn unavailable_once() -> MockServer {
    let server = MockServer::start().await;
    Mock::given(method("GET"))
        .respond_with(ResponseTemplate::new(503))
        .up_to_n_times(1)
        .with_priority(1)
        .mount(&server)
        .await;
    Mock::given(method("GET"))
        .respond_with(ResponseTemplate::new(200).set_body_string("{}"))
        .mount(&server)
        .await;
    server
}

fn voice_request() -> Request {
    Request::new(Method::GET, "/v1/voices/{voice_id}")
        .operation("voices.get")
        .path_param("voice_id", "private-voice-42")
}

fn hooked_request() -> Request {
    Request::new(Method::GET, "/v1/hooked")
}

/// What the process's subscriber wrote. It is global: a subscriber set per
/// thread can miss events while other tests' threads reach the same
/// callsites first.
fn captured() -> &'static Captured {
    static CAPTURED: OnceLock<Captured> = OnceLock::new();
    CAPTURED.get_or_init(|| {
        let captured = Captured::default();
        let subscriber = tracing_subscriber::fmt()
            .with_writer(captured.clone())
            .with_max_level(tracing::Level::DEBUG)
            .with_span_events(FmtSpan::CLOSE)
            .with_ansi(false)
            .finish();
        tracing::subscriber::set_global_default(subscriber).expect("the only subscriber");
        captured
    })
}

#[tokio::test]
async fn a_call_is_one_span_with_its_attempts_and_no_secret() {
    let captured = captured();
    let server = unavailable_once().await;

    builder(&server.uri())
        .build()
        .unwrap()
        .transport
        .send::<ApiError>(voice_request())
        .await
        .expect("the retry succeeds");

    // Only this test's calls have this path.
    let text: String = captured
        .text()
        .lines()
        .filter(|line| line.contains("path=/v1/voices/{voice_id}"))
        .map(|line| format!("{line}\n"))
        .collect();
    let closed: Vec<&str> = text
        .lines()
        .filter(|line| line.contains(" close "))
        .collect();
    assert_eq!(closed.len(), 1, "{text}");
    for field in [
        "api_call",
        "api=\"test\"",
        "operation=\"voices.get\"",
        "method=GET",
        "path=/v1/voices/{voice_id}",
        "status=200",
        "attempts=2",
    ] {
        assert!(closed[0].contains(field), "{field} in {}", closed[0]);
    }
    let attempts = text
        .lines()
        .filter(|line| line.contains("attempt answered"))
        .count();
    assert_eq!(attempts, 2, "{text}");
    assert!(
        text.lines()
            .any(|l| l.contains("retrying") && l.contains("reason=503")),
        "{text}"
    );
    for secret in [API_KEY, "private-voice-42"] {
        assert!(!text.contains(secret), "{secret} in {text}");
    }
}

/// Adds a header to every attempt and counts the answers.
struct Tagging {
    answers: Arc<AtomicUsize>,
}

impl Hook for Tagging {
    fn on_request(&self, request: &mut reqwest::Request) {
        let value = reqwest::header::HeaderValue::from_static("blue");
        request.headers_mut().insert("x-team", value);
    }

    fn on_response(&self, _response: &reqwest::Response) {
        self.answers.fetch_add(1, Ordering::SeqCst);
    }
}

#[tokio::test]
async fn hooks_see_and_change_every_attempt() {
    let server = MockServer::start().await;
    Mock::given(method("GET"))
        .and(header("x-team", "blue"))
        .and(header("xi-api-key", API_KEY))
        .respond_with(ResponseTemplate::new(503))
        .expect(3)
        .mount(&server)
        .await;
    let answers = Arc::new(AtomicUsize::new(0));
    let client = builder(&server.uri())
        .hook(Tagging {
            answers: answers.clone(),
        })
        .build()
        .unwrap();

    let error = client
        .transport
        .send::<ApiError>(hooked_request())
        .await
        .unwrap_err();

    assert_eq!(error.status(), Some(503));
    assert_eq!(answers.load(Ordering::SeqCst), 3);
}
