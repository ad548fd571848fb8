//! Shared pieces of the runtime's integration tests: a client type like the
//! generated ones, a typed error body, and a multipart body parser.

#![allow(dead_code)]

use std::time::Duration;

use api_runtime::{ApiConfig, ClientBuilder, ErrorBody, FromTransport, RetryPolicy, Transport};
use serde::Deserialize;

/// A key that must never show up in any printed value.
pub const API_KEY: &str = "sk_test_4f1c2b9e7d";

pub const USER_AGENT: &str = "api-runtime-tests/1.0";

/// A client as the generator would emit it.
#[derive(Debug, Clone)]
pub struct TestClient {
    pub transport: Transport,
}

impl FromTransport for TestClient {
    const CONFIG: &'static ApiConfig = &ApiConfig {
        name: "test",
        default_base_url: "http://127.0.0.1:9",
        api_key_header: Some("xi-api-key"),
        api_key_env: Some("API_RUNTIME_TEST_KEY_NEVER_SET"),
        user_agent: USER_AGENT,
    };

    fn from_transport(transport: Transport) -> Self {
        TestClient { transport }
    }
}

/// Retries fast enough for tests, with waits that are easy to reason about.
pub fn fast_retries() -> RetryPolicy {
    RetryPolicy {
        max_retries: 2,
        initial_backoff: Duration::from_millis(10),
        max_backoff: Duration::from_millis(50),
        jitter: false,
        max_retry_after: Duration::from_secs(5),
        retry_non_idempotent: false,
    }
}

/// A builder aimed at `base_url`, with the test key and fast retries.
pub fn builder(base_url: &str) -> ClientBuilder<TestClient> {
    ClientBuilder::<TestClient>::new()
        .api_key(API_KEY)
        .base_url(base_url)
        .retry(fast_retries())
}

/// A client aimed at `base_url`, with the test key and fast retries.
pub fn client(base_url: &str) -> TestClient {
    builder(base_url)
        .build()
        .expect("a valid test configuration")
}

/// The typed error body the test API declares for 422.
#[derive(Debug, Deserialize, PartialEq)]
pub struct ApiError {
    pub detail: String,
}

impl ErrorBody for ApiError {
    fn decode(status: u16, body: &[u8]) -> Option<Self> {
        match status {
            422 => serde_json::from_slice(body).ok(),
            _ => None,
        }
    }
}

/// One part of a multipart body.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord)]
pub struct Part {
    pub name: String,
    pub file_name: Option<String>,
    pub content_type: Option<String>,
    pub data: Vec<u8>,
}

impl Part {
    pub fn text(name: &str, data: &str) -> Part {
        Part {
            name: name.to_owned(),
            file_name: None,
            content_type: None,
            data: data.as_bytes().to_vec(),
        }
    }
}

/// Splits a `multipart/form-data` body into its parts.
pub fn parse_multipart(content_type: &str, body: &[u8]) -> Vec<Part> {
    let boundary = content_type
        .split("boundary=")
        .nth(1)
        .expect("a boundary in the content type")
        .trim_matches('"');
    let delimiter = format!("--{boundary}");
    let mut parts = Vec::new();
    for section in split_bytes(body, delimiter.as_bytes()).into_iter().skip(1) {
        if section.starts_with(b"--") {
            break;
        }
        let section = section
            .strip_prefix(b"\r\n")
            .expect("CRLF after a boundary");
        let section = section
            .strip_suffix(b"\r\n")
            .expect("CRLF before a boundary");
        let split = find(section, b"\r\n\r\n").expect("a blank line after part headers");
        let head = std::str::from_utf8(&section[..split]).expect("ASCII part headers");
        parts.push(Part {
            name: disposition_value(head, "name").expect("a part name"),
            file_name: disposition_value(head, "filename"),
            content_type: head
                .lines()
                .find_map(|line| line.strip_prefix("content-type: "))
                .or_else(|| {
                    head.lines()
                        .find_map(|line| line.strip_prefix("Content-Type: "))
                })
                .map(str::to_owned),
            data: section[split + 4..].to_vec(),
        });
    }
    parts
}

fn disposition_value(head: &str, key: &str) -> Option<String> {
    let marker = format!("; {key}=\"");
    let start = head.find(&marker)? + marker.len();
    let end = head[start..].find('"')? + start;
    Some(head[start..end].to_owned())
}

fn split_bytes<'a>(haystack: &'a [u8], needle: &[u8]) -> Vec<&'a [u8]> {
    let mut pieces = Vec::new();
    let mut rest = haystack;
    while let Some(at) = find(rest, needle) {
        pieces.push(&rest[..at]);
        rest = &rest[at + needle.len()..];
    }
    pieces.push(rest);
    pieces
}

fn find(haystack: &[u8], needle: &[u8]) -> Option<usize> {
    haystack
        .windows(needle.len())
        .position(|window| window == needle)
}
