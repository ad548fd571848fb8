//! The one sending path every generated operation goes through.
//!
//! Generated operations build their [`Request`] in a plain function and hand
//! it to one of the [`Transport`] methods here, which return a [`Call`]. The
//! asynchronous work (sending, retrying, reading, decoding) lives in this
//! crate, written once per way of reading an answer, so the generated crate
//! holds no `async` bodies: those cost rustc far more to check than the
//! request building around them.

use std::fmt;
use std::future::Future;
use std::pin::Pin;
use std::task::{Context, Poll};

use serde::de::DeserializeOwned;

use crate::error::{Error, ErrorBody};
use crate::http::client::BoxFuture;
use crate::http::transport::Transport;
use crate::request::Request;
use crate::response::{ByteStream, EventStream, JsonStream};

/// A request on its way: `.await` it for the decoded answer.
///
/// The request is built when the operation is called; nothing is sent until
/// the `Call` is first polled.
#[must_use = "a request does nothing until it is awaited"]
pub struct Call<'a, T, E> {
    future: BoxFuture<'a, Result<T, Error<E>>>,
}

impl<'a, T, E> Call<'a, T, E> {
    fn new(future: impl Future<Output = Result<T, Error<E>>> + Send + 'a) -> Self {
        Call {
            future: Box::pin(future),
        }
    }
}

impl<T, E> Future for Call<'_, T, E> {
    type Output = Result<T, Error<E>>;

    fn poll(mut self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<Self::Output> {
        self.future.as_mut().poll(cx)
    }
}

impl<T, E> fmt::Debug for Call<'_, T, E> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Call").finish_non_exhaustive()
    }
}

impl Transport {
    /// Sends `request` and decodes a JSON answer as `T` (see
    /// [`Response::json`](crate::Response::json)).
    pub fn call_json<T, E>(&self, request: Request) -> Call<'_, T, E>
    where
        T: DeserializeOwned + Send + 'static,
        E: ErrorBody,
    {
        Call::new(async move { self.send::<E>(request).await?.json().await })
    }

    /// Sends `request` and discards the answer's body.
    pub fn call_empty<E: ErrorBody>(&self, request: Request) -> Call<'_, (), E> {
        Call::new(async move { self.send::<E>(request).await?.empty().await })
    }

    /// Sends `request` and reads the answer as text.
    pub fn call_text<E: ErrorBody>(&self, request: Request) -> Call<'_, String, E> {
        Call::new(async move { self.send::<E>(request).await?.text().await })
    }

    /// Sends `request` and streams the answer's body as it arrives.
    pub fn call_bytes<E: ErrorBody>(&self, request: Request) -> Call<'_, ByteStream<E>, E> {
        Call::new(async move { Ok(self.send::<E>(request).await?.byte_stream()) })
    }

    /// Sends `request` and reads the answer as server-sent events, each
    /// event's data decoded as `T`.
    pub fn call_events<T, E>(&self, request: Request) -> Call<'_, EventStream<T, E>, E>
    where
        T: DeserializeOwned + Send + 'static,
        E: ErrorBody,
    {
        Call::new(async move { Ok(self.send::<E>(request).await?.event_stream()) })
    }

    /// Sends `request` and reads the answer as a stream of JSON values,
    /// each decoded as `T` as it arrives.
    pub fn call_json_stream<T, E>(&self, request: Request) -> Call<'_, JsonStream<T, E>, E>
    where
        T: DeserializeOwned + Send + 'static,
        E: ErrorBody,
    {
        Call::new(async move { Ok(self.send::<E>(request).await?.json_stream()) })
    }
}
