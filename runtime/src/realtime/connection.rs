//! An open channel: [`Connection`], and the [`Sender`] and [`Receiver`]
//! halves it splits into.

use std::borrow::Cow;
use std::fmt;
use std::marker::PhantomData;
use std::pin::Pin;
use std::sync::Arc;
use std::task::{Context, Poll};
use std::time::Duration;

use futures_core::Stream;
use futures_util::StreamExt;
use serde::de::DeserializeOwned;
use serde::Serialize;

use crate::error::realtime::RealtimeError;
use crate::error::{Error, Failure, NoErrorBody, TimeoutError};
use crate::realtime::frames::{encode, Reader, Writer};
use crate::realtime::reply::AutoReply;
use crate::response::body::deadline_after;

/// The server messages, decoded, as a boxed stream.
type Items<In, E> = Pin<Box<dyn Stream<Item = Result<In, Error<E>>> + Send>>;

/// An open realtime channel: [`send`](Self::send) client messages of type
/// `Out`, read server messages of type `In` as a [`Stream`] (with
/// [`StreamExt::next`](crate::StreamExt::next)), [`split`](Self::split)
/// it to do both from different tasks, and [`close`](Self::close) it.
///
/// The stream yields `Err` for a message that did not decode (and goes
/// on), and ends after a normal close by the server (code 1000); any other
/// close, a broken connection, an oversize message or the idle timeout
/// is its last item, an `Err`. `E` is the API's error body type, as in
/// [`Error`].
pub struct Connection<Out, In, E = NoErrorBody> {
    sender: Sender<Out, E>,
    receiver: Receiver<In, E>,
}

/// The sending half of a [`Connection`]; clones send on the same
/// connection.
pub struct Sender<Out, E = NoErrorBody> {
    writer: Arc<Writer>,
    path: Cow<'static, str>,
    messages: PhantomData<fn(Out) -> E>,
}

/// The receiving half of a [`Connection`]: a [`Stream`] of server
/// messages, answering those that call for it (see
/// [`AutoReply`]) unless that was switched off.
pub struct Receiver<In, E = NoErrorBody> {
    items: Items<In, E>,
    path: Cow<'static, str>,
    /// How long [`Connection::close`] waits for the server's close frame.
    close_timeout: Duration,
}

/// What [`Connection::new`] puts together.
pub(crate) struct Parts {
    pub(crate) writer: Arc<Writer>,
    pub(crate) reader: Reader,
    pub(crate) path: Cow<'static, str>,
    pub(crate) close_timeout: Duration,
}

impl<Out, In, E> Connection<Out, In, E>
where
    Out: Serialize + Send + 'static,
    In: DeserializeOwned + AutoReply<Out> + Send + 'static,
    E: Send + 'static,
{
    pub(crate) fn new(parts: Parts) -> Self {
        let items = futures_util::stream::unfold(parts.reader, |mut reader| async move {
            let item = reader.next::<Out, In>().await?;
            Some((item.map_err(Error::from), reader))
        });
        Connection {
            sender: Sender {
                writer: parts.writer,
                path: parts.path.clone(),
                messages: PhantomData,
            },
            receiver: Receiver {
                items: Box::pin(items),
                path: parts.path,
                close_timeout: parts.close_timeout,
            },
        }
    }
}

impl<Out: Serialize, In, E> Connection<Out, In, E> {
    /// Sends `message` as one JSON text frame.
    pub async fn send(&self, message: Out) -> Result<(), Error<E>> {
        self.sender.send(message).await
    }

    /// The sender and the receiver, to use from different tasks.
    pub fn split(self) -> (Sender<Out, E>, Receiver<In, E>) {
        (self.sender, self.receiver)
    }

    /// Sends a close frame (code 1000) and waits for the server's, at most
    /// the client's connect timeout (then it fails with a read
    /// [`Error::Timeout`]); server messages still arriving are dropped. A
    /// connection the server has already closed closes without error; a
    /// close by the server with another code than 1000 is
    /// [`RealtimeError::Closed`](crate::realtime::RealtimeError::Closed).
    pub async fn close(self) -> Result<(), Error<E>> {
        match self.sender.close().await {
            Ok(()) => {}
            Err(Error::Realtime(error)) if matches!(*error, RealtimeError::AlreadyClosed) => {
                return Ok(())
            }
            Err(error) => return Err(error),
        }
        self.receiver.drain().await
    }
}

impl<Out: Serialize, E> Sender<Out, E> {
    /// Sends `message` as one JSON text frame.
    pub async fn send(&self, message: Out) -> Result<(), Error<E>> {
        let text = encode(&message)?;
        Ok(self.writer.send_text(text).await?)
    }

    /// Sends a close frame (code 1000). The [`Receiver`] then ends when
    /// the server answers with its own.
    pub async fn close(&self) -> Result<(), Error<E>> {
        Ok(self.writer.close().await?)
    }
}

impl<In, E> Receiver<In, E> {
    /// Reads and drops messages until the stream ends, within the close
    /// timeout.
    async fn drain(mut self) -> Result<(), Error<E>> {
        let draining = async {
            while let Some(item) = self.items.next().await {
                if let Err(Error::Realtime(error)) = item {
                    if matches!(*error, RealtimeError::Closed { .. }) {
                        return Err(Error::Realtime(error));
                    }
                }
            }
            Ok(())
        };
        match deadline_after(std::time::Instant::now(), self.close_timeout) {
            None => draining.await,
            Some(deadline) => tokio::time::timeout_at(deadline.into(), draining)
                .await
                .unwrap_or_else(|_| Err(Failure::Timeout(TimeoutError::read()).into())),
        }
    }
}

impl<Out, In, E> Stream for Connection<Out, In, E> {
    type Item = Result<In, Error<E>>;

    fn poll_next(mut self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<Option<Self::Item>> {
        Pin::new(&mut self.receiver).poll_next(cx)
    }
}

impl<In, E> Stream for Receiver<In, E> {
    type Item = Result<In, Error<E>>;

    fn poll_next(mut self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<Option<Self::Item>> {
        self.items.as_mut().poll_next(cx)
    }
}

impl<Out, E> Clone for Sender<Out, E> {
    fn clone(&self) -> Self {
        Sender {
            writer: Arc::clone(&self.writer),
            path: self.path.clone(),
            messages: PhantomData,
        }
    }
}

// Only the path template: the filled path and the query can carry ids or
// a signed token, and the key is never kept at all.
impl<Out, In, E> fmt::Debug for Connection<Out, In, E> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Connection")
            .field("path", &self.sender.path)
            .finish_non_exhaustive()
    }
}

impl<Out, E> fmt::Debug for Sender<Out, E> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Sender")
            .field("path", &self.path)
            .finish_non_exhaustive()
    }
}

impl<In, E> fmt::Debug for Receiver<In, E> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Receiver")
            .field("path", &self.path)
            .finish_non_exhaustive()
    }
}
