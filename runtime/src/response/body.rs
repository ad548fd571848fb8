//! Reading answers within bounds: a size cap on everything buffered, a
//! smaller one on error bodies, and the call's deadline; decoding a
//! whole JSON body with the path of the first failing field.

use std::future::Future;
use std::time::{Duration, Instant};

use std::pin::Pin;

use bytes::{Bytes, BytesMut};
use futures_core::Stream;
use serde::de::DeserializeOwned;

use crate::error::{DecodeError, Failure, TimeoutError, TooLargeError};
use crate::types::union::join_member_path;

/// A response body as reqwest streams it.
pub(crate) type BodyStream = Pin<Box<dyn Stream<Item = reqwest::Result<Bytes>> + Send>>;

/// How much of a non-2xx body is kept in
/// [`StatusError::raw_body`](crate::StatusError::raw_body); the rest is not
/// read.
pub const ERROR_BODY_LIMIT: usize = 64 * 1024;

/// The default of
/// [`ClientBuilder::max_response_size`](crate::ClientBuilder::max_response_size).
pub(crate) const DEFAULT_MAX_RESPONSE_SIZE: usize = 32 * 1024 * 1024;

/// The longest duration the client computes with: longer ones (up to
/// `Duration::MAX`) mean "no limit" and are cut to this, so that adding one
/// to an instant cannot overflow.
pub(crate) const FOREVER: Duration = Duration::from_secs(20 * 365 * 24 * 3600);

/// `now + after`, or `None` when that instant cannot be represented (which
/// means no deadline).
pub(crate) fn deadline_after(now: Instant, after: Duration) -> Option<Instant> {
    now.checked_add(after.min(FOREVER))
}

/// Runs `future` until `deadline`; past it, the call's total timeout has
/// run out.
pub(crate) async fn before<F: Future>(
    deadline: Option<Instant>,
    future: F,
) -> Result<F::Output, Failure> {
    match deadline {
        None => Ok(future.await),
        Some(deadline) => tokio::time::timeout_at(deadline.into(), future)
            .await
            .map_err(|_| Failure::Timeout(TimeoutError::total())),
    }
}

/// Reads a 2xx body whole, failing with [`Failure::TooLarge`] as soon as it
/// is longer than `limit` (a `content-length` over it fails before any
/// byte is read). Compressed bodies count once inflated.
pub(crate) async fn read_limited(
    response: &mut reqwest::Response,
    limit: usize,
) -> Result<Bytes, Failure> {
    let status = response.status().as_u16();
    let declared = response.content_length().unwrap_or(0);
    if declared > limit as u64 {
        return Err(too_large(status, limit));
    }
    let mut body = BytesMut::with_capacity(declared as usize);
    while let Some(chunk) = response.chunk().await.map_err(Failure::from_body)? {
        append_limited(&mut body, &chunk, limit, status)?;
    }
    Ok(body.freeze())
}

/// Appends `chunk` to a body that may hold at most `limit` bytes.
pub(crate) fn append_limited(
    body: &mut BytesMut,
    chunk: &[u8],
    limit: usize,
    status: u16,
) -> Result<(), Failure> {
    if body.len() + chunk.len() > limit {
        return Err(too_large(status, limit));
    }
    body.extend_from_slice(chunk);
    Ok(())
}

fn too_large(status: u16, limit: usize) -> Failure {
    Failure::TooLarge(TooLargeError {
        status,
        limit,
        what: "the response body",
    })
}

/// Reads up to [`ERROR_BODY_LIMIT`] bytes of a non-2xx body, and whether
/// there was more.
pub(crate) async fn read_error_body(
    response: &mut reqwest::Response,
) -> Result<(Bytes, bool), Failure> {
    let mut body = BytesMut::new();
    while let Some(chunk) = response.chunk().await.map_err(Failure::from_body)? {
        let room = ERROR_BODY_LIMIT - body.len();
        if chunk.len() > room {
            body.extend_from_slice(&chunk[..room]);
            return Ok((body.freeze(), true));
        }
        body.extend_from_slice(&chunk);
    }
    Ok((body.freeze(), false))
}

/// Decodes a JSON document, naming the path of the first field that fails.
///
/// Without path tracking first: it copies every key and wraps every value,
/// and is needed only to name what failed. Decoding is deterministic, so
/// the tracked second pass fails where the first did.
pub(crate) fn decode_json<T: DeserializeOwned>(
    status: u16,
    body: &[u8],
) -> Result<T, Box<DecodeError>> {
    serde_json::from_slice(body).or_else(|_| decode_json_tracked(status, body))
}

/// [`decode_json`]'s second pass: decodes again, tracking the path.
fn decode_json_tracked<T: DeserializeOwned>(
    status: u16,
    body: &[u8],
) -> Result<T, Box<DecodeError>> {
    let mut deserializer = serde_json::Deserializer::from_slice(body);
    let value = serde_path_to_error::deserialize(&mut deserializer).map_err(|error| {
        let (path, message) = join_member_path(error.path().to_string(), error.inner().to_string());
        DecodeError::new(status, path, message, body)
    })?;
    deserializer
        .end()
        .map_err(|error| DecodeError::new(status, ".".to_owned(), error.to_string(), body))?;
    Ok(value)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn deadlines_saturate_instead_of_overflowing() {
        let now = Instant::now();
        assert!(deadline_after(now, Duration::MAX).is_some_and(|d| d > now));
        assert_eq!(
            deadline_after(now, Duration::from_secs(1)),
            Some(now + Duration::from_secs(1))
        );
        assert_eq!(deadline_after(now, Duration::ZERO), Some(now));
    }
}
