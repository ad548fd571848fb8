//! A TCP relay between the client under test and Prism that keeps what
//! Prism said about each request: its `sl-violations` header and, for
//! Prism's own error answers, the problem+json body listing the request's
//! violations. The client's errors only quote the start of the body, and
//! no headers.
//!
//! Requests are told apart by their `user-agent`. The client must open a
//! connection per request (`pool_max_idle_per_host(0)`), so that each
//! connection carries one request and its answer.

use std::collections::HashMap;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use tokio::io::{AsyncRead, AsyncReadExt, AsyncWrite, AsyncWriteExt};
use tokio::net::{TcpListener, TcpStream};

/// How much of each direction is kept: the head and a problem body.
const KEEP: usize = 64 * 1024;

/// What Prism answered to one request, as far as the test cares.
#[derive(Clone, Debug, Default)]
pub struct Answer {
    /// The `sl-violations` header: a JSON array, or empty.
    pub violations: String,
    /// The body when it is Prism's own `application/problem+json`.
    pub problem: Vec<u8>,
}

#[derive(Default)]
struct Shared {
    answers: Mutex<HashMap<String, Answer>>,
    open: AtomicUsize,
}

pub struct Relay {
    port: u16,
    shared: Arc<Shared>,
}

impl Relay {
    /// Listens on a free port of 127.0.0.1 and relays every connection to
    /// `upstream_port` there. Must run inside a tokio runtime, which owns
    /// the relay's tasks.
    pub async fn start(upstream_port: u16) -> Relay {
        let listener = TcpListener::bind(("127.0.0.1", 0))
            .await
            .expect("a port for the relay");
        let port = listener.local_addr().expect("the relay's address").port();
        let shared = Arc::new(Shared::default());
        let accepting = Arc::clone(&shared);
        tokio::spawn(async move {
            while let Ok((client, _)) = listener.accept().await {
                accepting.open.fetch_add(1, Ordering::SeqCst);
                tokio::spawn(relay(client, upstream_port, Arc::clone(&accepting)));
            }
        });
        Relay { port, shared }
    }

    pub fn base_url(&self) -> String {
        format!("http://127.0.0.1:{}", self.port)
    }

    /// Waits until every connection is closed and recorded.
    pub async fn wait_idle(&self) {
        let deadline = Instant::now() + Duration::from_secs(30);
        while self.shared.open.load(Ordering::SeqCst) > 0 && Instant::now() < deadline {
            tokio::time::sleep(Duration::from_millis(50)).await;
        }
    }

    /// The answer to the request sent with this `user-agent`.
    pub fn answer(&self, user_agent: &str) -> Answer {
        let answers = self.shared.answers.lock().expect("the answers");
        answers.get(user_agent).cloned().unwrap_or_default()
    }
}

async fn relay(client: TcpStream, upstream_port: u16, shared: Arc<Shared>) {
    if let Ok(upstream) = TcpStream::connect(("127.0.0.1", upstream_port)).await {
        let (client_read, client_write) = client.into_split();
        let (upstream_read, upstream_write) = upstream.into_split();
        let (request, response) = tokio::join!(
            pipe(client_read, upstream_write),
            pipe(upstream_read, client_write)
        );
        if let Some(agent) = head_field(&request, "user-agent") {
            let answer = Answer {
                violations: head_field(&response, "sl-violations").unwrap_or_default(),
                problem: problem_body(&response),
            };
            let mut answers = shared.answers.lock().expect("the answers");
            answers.insert(agent, answer);
        }
    }
    shared.open.fetch_sub(1, Ordering::SeqCst);
}

/// Copies `from` to `to` until either side closes; returns the first
/// [`KEEP`] bytes.
async fn pipe(mut from: impl AsyncRead + Unpin, mut to: impl AsyncWrite + Unpin) -> Vec<u8> {
    let mut kept = Vec::new();
    let mut buffer = vec![0; 16 * 1024];
    while let Ok(read @ 1..) = from.read(&mut buffer).await {
        let room = KEEP.saturating_sub(kept.len()).min(read);
        kept.extend_from_slice(&buffer[..room]);
        if to.write_all(&buffer[..read]).await.is_err() {
            break;
        }
    }
    let _ = to.shutdown().await;
    kept
}

/// The value of the header `name` in the head of an HTTP/1.1 message.
fn head_field(message: &[u8], name: &str) -> Option<String> {
    let end = message.windows(4).position(|w| w == b"\r\n\r\n")?;
    let head = String::from_utf8_lossy(&message[..end]);
    head.split("\r\n").skip(1).find_map(|line| {
        let (field, value) = line.split_once(':')?;
        field
            .trim()
            .eq_ignore_ascii_case(name)
            .then(|| value.trim().to_string())
    })
}

fn problem_body(response: &[u8]) -> Vec<u8> {
    let is_problem = head_field(response, "content-type")
        .is_some_and(|content_type| content_type.contains("problem+json"));
    let start = response.windows(4).position(|w| w == b"\r\n\r\n");
    match (is_problem, start) {
        (true, Some(start)) => response[start + 4..].to_vec(),
        _ => Vec::new(),
    }
}
