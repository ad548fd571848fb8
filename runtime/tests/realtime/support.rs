//! What the realtime tests share: message types like ElevenLabs'
//! conversation's, a bound on each test, and local servers.

use std::future::Future;
use std::time::Duration;

use api_runtime::realtime::{self, AutoReply, ConnectOptions, Connection};
use api_runtime::reqwest::Method;
use api_runtime::{Error, Request, StreamExt};
use futures_util::SinkExt;
use serde::{Deserialize, Serialize};
use tokio::io::AsyncWriteExt;
use tokio::net::{TcpListener, TcpStream};
use tokio::sync::oneshot;
use tokio::task::JoinHandle;
use tokio_tungstenite::tungstenite::handshake::server::{Request as Upgrade, Response};
use tokio_tungstenite::tungstenite::http::HeaderMap;
use tokio_tungstenite::tungstenite::protocol::frame::coding::CloseCode;
use tokio_tungstenite::tungstenite::protocol::CloseFrame;
use tokio_tungstenite::tungstenite::Message;
use tokio_tungstenite::WebSocketStream;

use crate::common::{client, ApiError};

/// What a client sends, shaped like ElevenLabs' conversation messages.
#[derive(Debug, Clone, PartialEq, Serialize)]
#[serde(tag = "type", rename_all = "snake_case")]
pub(crate) enum ClientMessage {
    UserMessage {
        text: String,
    },
    Pong {
        event_id: u64,
    },
    UserAudioChunk {
        #[serde(with = "api_runtime::realtime::base64_bytes")]
        chunk: Vec<u8>,
    },
}

/// What the server sends.
#[derive(Debug, Clone, PartialEq, Deserialize)]
#[serde(tag = "type", rename_all = "snake_case")]
pub(crate) enum ServerMessage {
    Agent {
        text: String,
    },
    Ping {
        ping_event: PingEvent,
    },
    Audio {
        #[serde(with = "api_runtime::realtime::base64_bytes")]
        audio: Vec<u8>,
    },
}

#[derive(Debug, Clone, PartialEq, Deserialize)]
pub(crate) struct PingEvent {
    pub(crate) event_id: u64,
}

impl AutoReply<ClientMessage> for ServerMessage {
    fn auto_reply(&self) -> Option<ClientMessage> {
        match self {
            ServerMessage::Ping { ping_event } => Some(ClientMessage::Pong {
                event_id: ping_event.event_id,
            }),
            _ => None,
        }
    }
}

/// A message type whose fields nest, for decode paths.
#[derive(Debug, Deserialize)]
pub(crate) struct Nested {
    pub(crate) alignment: Alignment,
}

#[derive(Debug, Deserialize)]
pub(crate) struct Alignment {
    #[allow(dead_code)]
    pub(crate) chars: Vec<String>,
}

impl AutoReply<ClientMessage> for Nested {}

pub(crate) type Conversation = Connection<ClientMessage, ServerMessage, ApiError>;
pub(crate) type Ws = WebSocketStream<TcpStream>;

/// The longest any test may take.
pub(crate) async fn bounded<F: Future>(test: F) -> F::Output {
    tokio::time::timeout(Duration::from_secs(30), test)
        .await
        .expect("the test hung")
}

/// What the server saw of the upgrade request.
#[derive(Debug)]
pub(crate) struct Seen {
    pub(crate) target: String,
    pub(crate) headers: HeaderMap,
}

/// A server for one connection, running `handler` once upgraded; the
/// task's panics are the test's when it is awaited.
pub(crate) async fn serve<F, Fut>(handler: F) -> (String, oneshot::Receiver<Seen>, JoinHandle<()>)
where
    F: FnOnce(Ws) -> Fut + Send + 'static,
    Fut: Future<Output = ()> + Send,
{
    let listener = TcpListener::bind("127.0.0.1:0").await.unwrap();
    let base_url = format!("http://{}/prefix", listener.local_addr().unwrap());
    let (seen, seen_by_test) = oneshot::channel();
    let task = tokio::spawn(async move {
        let (stream, _) = listener.accept().await.unwrap();
        // The closure's type is tungstenite's, large error and all.
        #[allow(clippy::result_large_err)]
        let record = |request: &Upgrade, response: Response| {
            let _ = seen.send(Seen {
                target: request.uri().to_string(),
                headers: request.headers().clone(),
            });
            Ok(response)
        };
        let ws = tokio_tungstenite::accept_hdr_async(stream, record)
            .await
            .unwrap();
        handler(ws).await;
    });
    (base_url, seen_by_test, task)
}

pub(crate) fn conversation_request() -> Request {
    Request::new(Method::GET, "/v1/convai/conversation/{agent_id}")
        .operation("conversational_ai.conversation")
        .path_param("agent_id", "agent 1/x")
        .query("model_id", "m1")
}

pub(crate) async fn open(
    base_url: &str,
    options: ConnectOptions,
) -> Result<Conversation, Error<ApiError>> {
    realtime::connect(&client(base_url).transport, conversation_request(), options).await
}

pub(crate) async fn send_json(ws: &mut Ws, value: serde_json::Value) {
    ws.send(Message::text(value.to_string())).await.unwrap();
}

/// The next text message the server receives, as JSON.
pub(crate) async fn receive_json(ws: &mut Ws) -> serde_json::Value {
    loop {
        match ws.next().await.expect("a message").expect("a frame") {
            Message::Text(text) => return serde_json::from_str(&text).unwrap(),
            Message::Ping(_) | Message::Pong(_) => {}
            other => panic!("expected a text message, got {other:?}"),
        }
    }
}

pub(crate) async fn close_with(ws: &mut Ws, code: u16, reason: &str) {
    let frame = CloseFrame {
        code: CloseCode::from(code),
        reason: reason.into(),
    };
    ws.close(Some(frame)).await.unwrap();
}

/// A server that answers the upgrade by hand: `accept` computes the
/// `sec-websocket-accept` from the request's key, and `then` follows the
/// head in the same write.
pub(crate) async fn answer_by_hand(
    accept: fn(&str) -> String,
    then: &'static [u8],
) -> (String, JoinHandle<()>) {
    let listener = TcpListener::bind("127.0.0.1:0").await.unwrap();
    let base_url = format!("http://{}", listener.local_addr().unwrap());
    let server = tokio::spawn(async move {
        let (mut stream, _) = listener.accept().await.unwrap();
        let mut request = Vec::new();
        while !request.ends_with(b"\r\n\r\n") {
            let mut byte = [0u8];
            tokio::io::AsyncReadExt::read_exact(&mut stream, &mut byte)
                .await
                .unwrap();
            request.push(byte[0]);
        }
        let request = String::from_utf8(request).unwrap();
        let key = request
            .lines()
            .find_map(|line| line.strip_prefix("sec-websocket-key: "))
            .expect("a key");
        let mut answer = format!(
            "HTTP/1.1 101 Switching Protocols\r\nUpgrade: websocket\r\n\
             Connection: Upgrade\r\nSec-WebSocket-Accept: {}\r\n\r\n",
            accept(key)
        )
        .into_bytes();
        answer.extend_from_slice(then);
        stream.write_all(&answer).await.unwrap();
        tokio::time::sleep(Duration::from_secs(20)).await;
    });
    (base_url, server)
}

pub(crate) fn right_accept(key: &str) -> String {
    tokio_tungstenite::tungstenite::handshake::derive_accept_key(key.as_bytes())
}
