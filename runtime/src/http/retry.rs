//! When and how long to wait before sending a request again.

use std::time::{Duration, SystemTime};

use backon::{BackoffBuilder, ExponentialBuilder};
use reqwest::header::{HeaderMap, RETRY_AFTER};
use reqwest::Method;

use crate::response::body::FOREVER;

/// How the transport retries a failed request.
///
/// Most of these APIs charge for the work a request starts (speech
/// synthesis, video generation), so a request is only sent again when the
/// server cannot have done that work, or when doing it twice changes
/// nothing (an idempotent method: `GET`, `HEAD`, `PUT`, `DELETE`,
/// `OPTIONS`, `TRACE`):
///
/// | what happened | `GET`, `PUT`, `DELETE`, … | `POST`, `PATCH` |
/// |---|---|---|
/// | the connection could not be made | retried | retried |
/// | 408, 429, 503 (with or without `Retry-After`) | retried | retried |
/// | 500, 502, 504 | retried | only with `retry_non_idempotent` |
/// | the connection closed or broke before any answer (such as a keep-alive connection the server had just closed) | retried | only with `retry_non_idempotent` |
/// | a timeout | not retried | not retried |
/// | any other status (400, 401, 404, 422, 501, 505, …) | not retried | not retried |
///
/// 408, 429 and 503 say the request was refused or not processed; other
/// 5xx codes than 500, 502 and 504 describe something a retry cannot fix.
/// After a timeout the server may still be working, so the call fails.
/// A request whose multipart form holds a [`File::from_stream`] is not sent
/// again either, since the stream is used up by the first attempt; the
/// first failure is returned instead.
///
/// The wait before retry `n` (from 1) is `initial_backoff * 2^(n-1)`, plus
/// up to as much again when `jitter` is on, never more than `max_backoff`.
/// A `Retry-After` header (seconds or an HTTP date) makes the wait at least
/// that long; one longer than `max_retry_after` is not waited for and the
/// error is returned at once.
///
/// [`File::from_stream`]: crate::File::from_stream
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct RetryPolicy {
    /// How many times a request may be sent again after the first attempt.
    pub max_retries: u32,
    /// The wait before the first retry.
    pub initial_backoff: Duration,
    /// The longest wait between two attempts, jitter included (a
    /// `Retry-After` may ask for longer).
    pub max_backoff: Duration,
    /// Whether to add a random part to each wait, so that many clients that
    /// failed together do not retry together.
    pub jitter: bool,
    /// The longest `Retry-After` that is waited for.
    pub max_retry_after: Duration,
    /// Whether `POST` and `PATCH` requests are sent again after a 500, 502
    /// or 504, or a connection lost before the answer, when the server may
    /// have acted on them already. Off by default: turn it on only for
    /// operations that are safe to repeat.
    pub retry_non_idempotent: bool,
}

impl Default for RetryPolicy {
    fn default() -> Self {
        RetryPolicy {
            max_retries: 2,
            initial_backoff: Duration::from_millis(500),
            max_backoff: Duration::from_secs(8),
            jitter: true,
            max_retry_after: Duration::from_secs(60),
            retry_non_idempotent: false,
        }
    }
}

impl RetryPolicy {
    /// A policy that never retries.
    pub fn none() -> Self {
        RetryPolicy {
            max_retries: 0,
            ..RetryPolicy::default()
        }
    }

    /// The waits before each retry, one per allowed retry.
    pub(crate) fn backoffs(&self) -> impl Iterator<Item = Duration> + Send {
        // Long durations are cut so that jitter (a multiplication) cannot
        // overflow.
        let mut builder = ExponentialBuilder::new()
            .with_factor(2.0)
            .with_min_delay(self.initial_backoff.min(FOREVER))
            .with_max_delay(self.max_backoff.min(FOREVER))
            .with_max_times(usize::try_from(self.max_retries).unwrap_or(usize::MAX));
        if self.jitter {
            builder = builder.with_jitter();
        }
        let cap = self.max_backoff.min(FOREVER);
        builder.build().map(move |delay| delay.min(cap))
    }

    /// True when a failure of `replay`'s kind may be sent again with
    /// `method`.
    pub(crate) fn allows(&self, replay: Replay, method: &Method) -> bool {
        match replay {
            Replay::Always => true,
            Replay::IfIdempotent => self.retry_non_idempotent || is_idempotent(method),
            Replay::Never => false,
        }
    }

    /// How long to wait before the next attempt, given what the server asked
    /// for, or `None` when the request should not be retried: no retries
    /// left, or a `Retry-After` longer than `max_retry_after`.
    pub(crate) fn next_wait(
        &self,
        backoffs: &mut impl Iterator<Item = Duration>,
        retry_after: Option<Duration>,
    ) -> Option<Duration> {
        if retry_after.is_some_and(|asked| asked > self.max_retry_after) {
            return None;
        }
        let backoff = backoffs.next()?;
        Some(retry_after.map_or(backoff, |asked| asked.max(backoff)))
    }
}

/// When a failure may be sent again (see [`RetryPolicy`]).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Replay {
    /// The server cannot have acted on the request.
    Always,
    /// It may have: only a method that is idempotent (or the user's opt-in).
    IfIdempotent,
    Never,
}

/// How an answer with `status` may be retried (see [`RetryPolicy`]).
pub(crate) fn status_replay(status: u16) -> Replay {
    match status {
        408 | 429 | 503 => Replay::Always,
        500 | 502 | 504 => Replay::IfIdempotent,
        _ => Replay::Never,
    }
}

/// RFC 9110's idempotent methods: sending one twice has the effect of
/// sending it once.
fn is_idempotent(method: &Method) -> bool {
    [
        Method::GET,
        Method::HEAD,
        Method::PUT,
        Method::DELETE,
        Method::OPTIONS,
        Method::TRACE,
    ]
    .contains(method)
}

/// The wait a `Retry-After` header asks for: whole seconds or an HTTP date
/// (a date in the past asks for no wait).
pub(crate) fn retry_after(headers: &HeaderMap, now: SystemTime) -> Option<Duration> {
    let value = headers.get(RETRY_AFTER)?.to_str().ok()?.trim();
    if let Ok(seconds) = value.parse::<u64>() {
        return Some(Duration::from_secs(seconds));
    }
    let date = httpdate::parse_http_date(value).ok()?;
    Some(date.duration_since(now).unwrap_or(Duration::ZERO))
}

#[cfg(test)]
mod tests {
    use super::*;
    use reqwest::header::HeaderValue;

    fn headers_with_retry_after(value: &str) -> HeaderMap {
        let mut headers = HeaderMap::new();
        headers.insert(RETRY_AFTER, HeaderValue::from_str(value).unwrap());
        headers
    }

    #[test]
    fn backoff_doubles_up_to_the_cap_without_jitter() {
        let policy = RetryPolicy {
            max_retries: 6,
            initial_backoff: Duration::from_millis(500),
            max_backoff: Duration::from_secs(4),
            jitter: false,
            ..RetryPolicy::default()
        };
        let waits: Vec<u64> = policy.backoffs().map(|d| d.as_millis() as u64).collect();
        assert_eq!(waits, vec![500, 1000, 2000, 4000, 4000, 4000]);
    }

    #[test]
    fn jitter_stays_between_the_backoff_and_twice_it_under_the_cap() {
        let policy = RetryPolicy {
            max_retries: 5,
            initial_backoff: Duration::from_millis(100),
            max_backoff: Duration::from_millis(1000),
            jitter: true,
            ..RetryPolicy::default()
        };
        for _ in 0..50 {
            let waits: Vec<Duration> = policy.backoffs().collect();
            assert_eq!(waits.len(), 5);
            for (index, wait) in waits.iter().enumerate() {
                let base = Duration::from_millis(100 * (1 << index)).min(policy.max_backoff);
                assert!(*wait >= base, "{wait:?} < {base:?}");
                assert!(*wait <= (base * 2).min(policy.max_backoff), "{wait:?}");
            }
        }
    }

    #[test]
    fn no_retries_means_no_waits() {
        assert_eq!(RetryPolicy::none().backoffs().count(), 0);
    }

    #[test]
    fn retry_after_reads_seconds_and_dates() {
        let now = SystemTime::UNIX_EPOCH + Duration::from_secs(1_700_000_000);
        assert_eq!(
            retry_after(&headers_with_retry_after("7"), now),
            Some(Duration::from_secs(7))
        );
        let later = httpdate::fmt_http_date(now + Duration::from_secs(30));
        assert_eq!(
            retry_after(&headers_with_retry_after(&later), now),
            Some(Duration::from_secs(30))
        );
        let earlier = httpdate::fmt_http_date(now - Duration::from_secs(30));
        assert_eq!(
            retry_after(&headers_with_retry_after(&earlier), now),
            Some(Duration::ZERO)
        );
        assert_eq!(retry_after(&headers_with_retry_after("soon"), now), None);
        assert_eq!(retry_after(&HeaderMap::new(), now), None);
    }

    #[test]
    fn retry_after_sets_a_floor_and_a_long_one_stops_retrying() {
        let policy = RetryPolicy {
            jitter: false,
            ..RetryPolicy::default()
        };
        let mut waits = policy.backoffs();
        assert_eq!(
            policy.next_wait(&mut waits, Some(Duration::from_secs(3))),
            Some(Duration::from_secs(3))
        );
        assert_eq!(
            policy.next_wait(&mut waits, Some(Duration::ZERO)),
            Some(Duration::from_secs(1))
        );
        assert_eq!(policy.next_wait(&mut waits, None), None, "retries used up");

        let mut waits = policy.backoffs();
        assert_eq!(
            policy.next_wait(&mut waits, Some(Duration::from_secs(61))),
            None
        );
    }

    #[test]
    fn statuses_follow_the_table() {
        let policy = RetryPolicy::default();
        for status in [408, 429, 503] {
            assert!(
                policy.allows(status_replay(status), &Method::POST),
                "{status}"
            );
        }
        for status in [500, 502, 504] {
            assert!(
                policy.allows(status_replay(status), &Method::GET),
                "{status}"
            );
            assert!(
                policy.allows(status_replay(status), &Method::DELETE),
                "{status}"
            );
            assert!(
                !policy.allows(status_replay(status), &Method::POST),
                "{status}"
            );
            assert!(
                !policy.allows(status_replay(status), &Method::PATCH),
                "{status}"
            );
        }
        for status in [400, 401, 404, 422, 501, 505] {
            assert!(
                !policy.allows(status_replay(status), &Method::GET),
                "{status}"
            );
        }
        let opted_in = RetryPolicy {
            retry_non_idempotent: true,
            ..RetryPolicy::default()
        };
        assert!(opted_in.allows(status_replay(500), &Method::POST));
        assert!(!opted_in.allows(status_replay(400), &Method::POST));
    }

    #[test]
    fn backoffs_of_any_length_do_not_overflow() {
        for jitter in [false, true] {
            let policy = RetryPolicy {
                max_retries: 100,
                initial_backoff: Duration::MAX,
                max_backoff: Duration::MAX,
                jitter,
                max_retry_after: Duration::MAX,
                retry_non_idempotent: false,
            };
            assert_eq!(policy.backoffs().count(), 100);
            let mut waits = policy.backoffs();
            assert!(policy.next_wait(&mut waits, Some(Duration::MAX)).is_some());
        }
    }
}
