//! What every call tells `tracing`: one `api_call` span per call, with an
//! event per attempt and per retry. Fields are the API, the operation (as
//! the client spells the call, `text_to_speech.convert`), the method, the
//! path template (never the filled path: ids can be personal data), the
//! attempt, the status or the kind of failure, durations and waits;
//! never a header, a body or an error message.

use std::time::{Duration, Instant};

use tracing::field::Empty;
use tracing::Span;

use crate::request::Request;

/// How an attempt or a call failed, as traces show it.
#[derive(Debug, Clone, Copy)]
pub(crate) enum FailureKind {
    Status(u16),
    Other(&'static str),
}

/// The span of one call; `status`, `failure`, `attempts` and
/// `duration_ms` are recorded when it ends.
pub(crate) fn call_span(api: &'static str, request: &Request) -> Span {
    tracing::info_span!(
        "api_call",
        api,
        operation = request.operation,
        method = %request.method,
        path = %request.template,
        status = Empty,
        failure = Empty,
        attempts = Empty,
        duration_ms = Empty,
    )
}

/// One attempt's outcome.
pub(crate) fn attempt(
    attempt: u32,
    started: Instant,
    outcome: Result<&reqwest::Response, FailureKind>,
) {
    let duration_ms = millis(started.elapsed());
    match outcome {
        Ok(response) => {
            let status = response.status().as_u16();
            tracing::debug!(attempt, status, duration_ms, "attempt answered");
        }
        Err(FailureKind::Status(status)) => {
            tracing::debug!(attempt, status, duration_ms, "attempt answered");
        }
        Err(FailureKind::Other(failure)) => {
            tracing::debug!(attempt, failure, duration_ms, "attempt failed");
        }
    }
    Span::current().record("attempts", attempt);
}

/// A retry about to wait `wait` after `attempt` failed with `reason`.
pub(crate) fn retry(attempt: u32, reason: FailureKind, wait: Duration) {
    let wait_ms = millis(wait);
    match reason {
        FailureKind::Status(status) => {
            tracing::info!(attempt, reason = status, wait_ms, "retrying");
        }
        FailureKind::Other(failure) => {
            tracing::info!(attempt, reason = failure, wait_ms, "retrying");
        }
    }
}

/// Records how the call ended on its span.
pub(crate) fn finish(
    span: &Span,
    started: Instant,
    outcome: Result<&reqwest::Response, FailureKind>,
) {
    span.record("duration_ms", millis(started.elapsed()));
    match outcome {
        Ok(response) => span.record("status", response.status().as_u16()),
        Err(FailureKind::Status(status)) => span.record("status", status),
        Err(FailureKind::Other(failure)) => span.record("failure", failure),
    };
}

fn millis(duration: Duration) -> u64 {
    u64::try_from(duration.as_millis()).unwrap_or(u64::MAX)
}
