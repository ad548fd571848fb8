//! Frames to messages and back: the writing half shared by the sender and
//! the automatic replies, the reading loop with its idle timeout, and the
//! WebSocket library's errors turned into [`RealtimeError`]s.

use std::sync::Arc;
use std::time::Duration;

use futures_util::stream::{SplitSink, SplitStream};
use futures_util::{SinkExt, StreamExt};
use serde::de::DeserializeOwned;
use serde::Serialize;
use tokio::sync::Mutex;
use tokio_tungstenite::tungstenite::error::ProtocolError;
use tokio_tungstenite::tungstenite::protocol::frame::coding::CloseCode;
use tokio_tungstenite::tungstenite::protocol::CloseFrame;
use tokio_tungstenite::tungstenite::{Bytes as FrameBytes, Error as WsError, Message};
use tokio_tungstenite::WebSocketStream;

use crate::error::realtime::{MessageDecodeError, RealtimeError};
use crate::error::{Failure, TimeoutError};
use crate::realtime::handshake::Socket;
use crate::realtime::reply::AutoReply;
use crate::response::body::{deadline_after, decode_json};

/// The close code of a normal closure.
const NORMAL_CLOSURE: u16 = 1000;
/// The code RFC 6455 reports for a connection that ended without a close
/// frame.
const ABNORMAL_CLOSURE: u16 = 1006;

pub(crate) type Frames = WebSocketStream<Socket>;

/// The writing half, behind a lock so the sender and the automatic replies
/// of the reading half can share it.
pub(crate) struct Writer {
    sink: Mutex<SplitSink<Frames, Message>>,
    /// The longest a write (waiting for the lock included) may take.
    timeout: Duration,
}

impl Writer {
    pub(crate) fn new(sink: SplitSink<Frames, Message>, timeout: Duration) -> Self {
        Writer {
            sink: Mutex::new(sink),
            timeout,
        }
    }

    /// Sends one text frame (a message from [`encode`]).
    pub(crate) async fn send_text(&self, text: String) -> Result<(), Failure> {
        self.send(Message::text(text)).await
    }

    /// Sends a close frame with code 1000 (normal closure).
    pub(crate) async fn close(&self) -> Result<(), Failure> {
        let frame = CloseFrame {
            code: CloseCode::Normal,
            reason: "".into(),
        };
        self.send(Message::Close(Some(frame))).await
    }

    /// Writes what the library queued by itself, like its answer to the
    /// server's close frame.
    async fn flush(&self) -> Result<(), Failure> {
        self.bounded(async { self.sink.lock().await.flush().await })
            .await
    }

    async fn send(&self, message: Message) -> Result<(), Failure> {
        self.bounded(async { self.sink.lock().await.send(message).await })
            .await
    }

    /// Runs a write (waiting for the lock included) within the timeout.
    async fn bounded<F>(&self, write: F) -> Result<(), Failure>
    where
        F: std::future::Future<Output = Result<(), WsError>>,
    {
        let written = match deadline_after(std::time::Instant::now(), self.timeout) {
            None => write.await,
            Some(deadline) => tokio::time::timeout_at(deadline.into(), write)
                .await
                .map_err(|_| Failure::Timeout(TimeoutError::write()))?,
        };
        written.map_err(|error| write_error(error).into())
    }
}

/// The reading half: frames in, one decoded message (or error) out.
pub(crate) struct Reader {
    frames: SplitStream<Frames>,
    /// Where automatic replies and the answer to a close go.
    writer: Arc<Writer>,
    auto_reply: bool,
    idle_timeout: Duration,
    limit: usize,
    /// The server sent its close frame: what follows is the end of the
    /// connection (reading on sends our answer to the close and waits
    /// for the server to end the connection).
    closing: bool,
    done: bool,
}

impl Reader {
    pub(crate) fn new(
        frames: SplitStream<Frames>,
        writer: Arc<Writer>,
        auto_reply: bool,
        idle_timeout: Duration,
        limit: usize,
    ) -> Self {
        Reader {
            frames,
            writer,
            auto_reply,
            idle_timeout,
            limit,
            closing: false,
            done: false,
        }
    }

    /// The next server message, decoded, after sending its automatic reply
    /// if it has one; `None` once the connection has ended.
    pub(crate) async fn next<Out, In>(&mut self) -> Option<Result<In, Failure>>
    where
        Out: Serialize,
        In: DeserializeOwned + AutoReply<Out>,
    {
        let payload = match self.next_payload().await? {
            Ok(payload) => payload,
            Err(failure) => return Some(Err(failure)),
        };
        let message = decode::<In>(&payload);
        // The reply is serialized before anything is awaited: neither
        // message type need be `Sync`.
        let reply = match &message {
            Ok(message) if self.auto_reply => message.auto_reply().map(|reply| encode(&reply)),
            _ => None,
        };
        if let Some(reply) = reply {
            let sent = match reply {
                Ok(text) => self.writer.send_text(text).await,
                Err(failure) => Err(failure),
            };
            // A broken connection shows on the next read.
            if let Err(failure) = sent {
                tracing::debug!(failure = failure.kind(), "automatic reply not sent");
            }
        }
        Some(message)
    }

    /// The payload of the next text or binary frame. The library answers
    /// WebSocket pings itself; an error ends the reading, and so does the
    /// end of the connection after the server's close frame (yielded as an
    /// error unless it is a normal closure).
    async fn next_payload(&mut self) -> Option<Result<FrameBytes, Failure>> {
        while !self.done {
            let frame = match self.next_frame().await {
                Ok(Some(frame)) => frame,
                Ok(None) => break,
                // Once the server has closed, how the connection ends
                // says nothing more.
                Err(_) if self.closing => break,
                Err(failure) => {
                    self.done = true;
                    return Some(Err(failure));
                }
            };
            match frame {
                Message::Text(text) => return Some(Ok(FrameBytes::from(text))),
                Message::Binary(bytes) => return Some(Ok(bytes)),
                Message::Ping(_) | Message::Pong(_) | Message::Frame(_) => {}
                Message::Close(frame) => {
                    self.closing = true;
                    // Answer the close now, even if nothing reads on.
                    let _ = self.writer.flush().await;
                    if let Some(error) = closed(frame) {
                        return Some(Err(error.into()));
                    }
                }
            }
        }
        self.done = true;
        None
    }

    /// The next frame within the idle timeout.
    async fn next_frame(&mut self) -> Result<Option<Message>, Failure> {
        let next = self.frames.next();
        let frame = match deadline_after(std::time::Instant::now(), self.idle_timeout) {
            None => next.await,
            Some(deadline) => tokio::time::timeout_at(deadline.into(), next)
                .await
                .map_err(|_| Failure::Timeout(TimeoutError::read()))?,
        };
        match frame {
            None => Ok(None),
            Some(Ok(message)) => Ok(Some(message)),
            Some(Err(WsError::ConnectionClosed | WsError::AlreadyClosed)) => Ok(None),
            Some(Err(error)) => Err(read_error(error, self.limit).into()),
        }
    }
}

/// A message to send as JSON text; serialized before anything is awaited,
/// so the message need not be `Sync`.
pub(crate) fn encode<T: Serialize>(message: &T) -> Result<String, Failure> {
    serde_json::to_string(message).map_err(|error| RealtimeError::Encode(error.to_string()).into())
}

/// Decodes one message, naming the JSON path of what did not fit.
fn decode<In: DeserializeOwned>(payload: &[u8]) -> Result<In, Failure> {
    decode_json(101, payload).map_err(|error| {
        let error = MessageDecodeError::new(error.path, error.message, payload);
        RealtimeError::Decode(error).into()
    })
}

/// A close frame: `None` for a normal closure (the stream just ends).
fn closed(frame: Option<CloseFrame>) -> Option<RealtimeError> {
    let frame = frame?;
    let code = u16::from(frame.code);
    (code != NORMAL_CLOSURE).then(|| RealtimeError::Closed {
        code,
        reason: frame.reason.to_string(),
    })
}

/// An error of reading, with `limit` the message size limit.
fn read_error(error: WsError, limit: usize) -> RealtimeError {
    match error {
        WsError::Capacity(_) => RealtimeError::TooLarge { limit },
        WsError::Protocol(ProtocolError::ResetWithoutClosingHandshake) => RealtimeError::Closed {
            code: ABNORMAL_CLOSURE,
            reason: String::new(),
        },
        other => write_error(other),
    }
}

/// An error of writing (or one of reading that is not about size).
fn write_error(error: WsError) -> RealtimeError {
    match error {
        WsError::ConnectionClosed | WsError::AlreadyClosed => RealtimeError::AlreadyClosed,
        WsError::Io(error) => RealtimeError::Io(error),
        WsError::Utf8(_) => RealtimeError::Protocol("a text frame is not valid UTF-8".to_owned()),
        other => RealtimeError::Protocol(other.to_string()),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_normal_close_ends_the_stream_and_others_are_errors() {
        let frame = |code: u16, reason: &str| {
            Some(CloseFrame {
                code: CloseCode::from(code),
                reason: reason.into(),
            })
        };
        assert!(closed(None).is_none());
        assert!(closed(frame(1000, "done")).is_none());
        let error = closed(frame(1008, "invalid key")).expect("an error");
        assert_eq!(error.close(), Some((1008, "invalid key")));
    }

    #[test]
    fn decode_errors_name_the_path() {
        #[derive(Debug, serde::Deserialize)]
        struct Audio {
            #[allow(dead_code)]
            audio: String,
        }
        let Err(Failure::Realtime(error)) = decode::<Audio>(br#"{"audio": 5}"#) else {
            panic!("a decode error");
        };
        let RealtimeError::Decode(error) = *error else {
            panic!("a decode error: {error:?}");
        };
        assert_eq!(error.path, "audio");
    }
}
