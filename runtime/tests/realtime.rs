//! Realtime channels against a local WebSocket server the test starts on
//! 127.0.0.1: typed messages both ways, the key as a header and nowhere
//! else, refused upgrades, decode errors, closes, limits, automatic pongs,
//! split halves and timeouts. Each test is bounded as a whole, so a bug
//! fails rather than hangs.

#![cfg(feature = "realtime")]

mod common;

use std::future::Future;
use std::io::Write;
use std::sync::{Arc, Mutex, OnceLock};
use std::time::Duration;

use api_runtime::realtime::{self, AutoReply, ConnectOptions, Connection, RealtimeError};
use api_runtime::reqwest::Method;
use api_runtime::{Error, Request, StreamExt, TimeoutKind};
use common::{builder, client, ApiError, API_KEY, USER_AGENT};
use futures_util::SinkExt;
use serde::{Deserialize, Serialize};
use serde_json::json;
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
use tracing_subscriber::fmt::MakeWriter;

/// What a client sends, shaped like ElevenLabs' conversation messages.
#[derive(Debug, Clone, PartialEq, Serialize)]
#[serde(tag = "type", rename_all = "snake_case")]
enum ClientMessage {
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
enum ServerMessage {
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
struct PingEvent {
    event_id: u64,
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
struct Nested {
    alignment: Alignment,
}

#[derive(Debug, Deserialize)]
struct Alignment {
    #[allow(dead_code)]
    chars: Vec<String>,
}

impl AutoReply<ClientMessage> for Nested {}

type Conversation = Connection<ClientMessage, ServerMessage, ApiError>;
type Ws = WebSocketStream<TcpStream>;

/// The longest any test may take.
async fn bounded<F: Future>(test: F) -> F::Output {
    tokio::time::timeout(Duration::from_secs(30), test)
        .await
        .expect("the test hung")
}

/// What the server saw of the upgrade request.
#[derive(Debug)]
struct Seen {
    target: String,
    headers: HeaderMap,
}

/// A server for one connection, running `handler` once upgraded; the
/// task's panics are the test's when it is awaited.
async fn serve<F, Fut>(handler: F) -> (String, oneshot::Receiver<Seen>, JoinHandle<()>)
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

fn conversation_request() -> Request {
    Request::new(Method::GET, "/v1/convai/conversation/{agent_id}")
        .operation("conversational_ai.conversation")
        .path_param("agent_id", "agent 1/x")
        .query("model_id", "m1")
}

async fn open(base_url: &str, options: ConnectOptions) -> Result<Conversation, Error<ApiError>> {
    realtime::connect(&client(base_url).transport, conversation_request(), options).await
}

async fn send_json(ws: &mut Ws, value: serde_json::Value) {
    ws.send(Message::text(value.to_string())).await.unwrap();
}

/// The next text message the server receives, as JSON.
async fn receive_json(ws: &mut Ws) -> serde_json::Value {
    loop {
        match ws.next().await.expect("a message").expect("a frame") {
            Message::Text(text) => return serde_json::from_str(&text).unwrap(),
            Message::Ping(_) | Message::Pong(_) => {}
            other => panic!("expected a text message, got {other:?}"),
        }
    }
}

async fn close_with(ws: &mut Ws, code: u16, reason: &str) {
    let frame = CloseFrame {
        code: CloseCode::from(code),
        reason: reason.into(),
    };
    ws.close(Some(frame)).await.unwrap();
}

#[tokio::test]
async fn typed_messages_and_audio_bytes_round_trip() {
    bounded(async {
        let (base_url, seen, server) = serve(|mut ws| async move {
            let message = receive_json(&mut ws).await;
            assert_eq!(message, json!({"type": "user_message", "text": "hello"}));
            send_json(&mut ws, json!({"type": "agent", "text": "hi there"})).await;
            let audio = receive_json(&mut ws).await;
            assert_eq!(
                audio,
                json!({"type": "user_audio_chunk", "chunk": "AAEC/w=="})
            );
            send_json(&mut ws, json!({"type": "audio", "audio": audio["chunk"]})).await;
            close_with(&mut ws, 1000, "done").await;
        })
        .await;

        let mut connection = open(&base_url, ConnectOptions::default()).await.unwrap();
        let seen = seen.await.unwrap();
        assert_eq!(
            seen.target,
            "/prefix/v1/convai/conversation/agent%201%2Fx?model_id=m1"
        );
        assert_eq!(seen.headers["xi-api-key"], API_KEY);
        assert_eq!(seen.headers["user-agent"], USER_AGENT);

        connection
            .send(ClientMessage::UserMessage {
                text: "hello".into(),
            })
            .await
            .unwrap();
        let reply = connection.next().await.unwrap().unwrap();
        assert_eq!(
            reply,
            ServerMessage::Agent {
                text: "hi there".into()
            }
        );
        connection
            .send(ClientMessage::UserAudioChunk {
                chunk: vec![0, 1, 2, 255],
            })
            .await
            .unwrap();
        let audio = connection.next().await.unwrap().unwrap();
        assert_eq!(
            audio,
            ServerMessage::Audio {
                audio: vec![0, 1, 2, 255]
            }
        );
        assert!(connection.next().await.is_none(), "a normal close ends it");
        server.await.unwrap();
    })
    .await;
}

/// A server that answers the upgrade by hand: `accept` computes the
/// `sec-websocket-accept` from the request's key, and `then` follows the
/// head in the same write.
async fn answer_by_hand(
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

fn right_accept(key: &str) -> String {
    tokio_tungstenite::tungstenite::handshake::derive_accept_key(key.as_bytes())
}

#[tokio::test]
async fn frames_that_arrive_with_the_upgrade_answer_are_read() {
    bounded(async {
        const FRAME: &[u8] = b"\x81\x1f{\"type\":\"agent\",\"text\":\"early\"}";
        let (base_url, server) = answer_by_hand(right_accept, FRAME).await;
        let mut connection = open(&base_url, ConnectOptions::default()).await.unwrap();
        let message = connection.next().await.unwrap().unwrap();
        assert_eq!(
            message,
            ServerMessage::Agent {
                text: "early".into()
            }
        );
        server.abort();
    })
    .await;
}

#[tokio::test]
async fn an_upgrade_answer_with_the_wrong_accept_key_is_a_protocol_error() {
    bounded(async {
        let (base_url, server) = answer_by_hand(|_| "d3Jvbmc=".to_owned(), b"").await;
        let error = open(&base_url, ConnectOptions::default())
            .await
            .unwrap_err();
        let Error::Realtime(realtime) = &error else {
            panic!("a realtime error: {error:?}");
        };
        assert!(
            matches!(realtime.as_ref(), RealtimeError::Protocol(_)),
            "{realtime:?}"
        );
        assert!(
            error.to_string().contains("sec-websocket-accept"),
            "{error}"
        );
        server.abort();
    })
    .await;
}

#[tokio::test]
async fn a_refused_upgrade_is_a_handshake_error_with_status_and_body() {
    bounded(async {
        let listener = TcpListener::bind("127.0.0.1:0").await.unwrap();
        let base_url = format!("http://{}", listener.local_addr().unwrap());
        let server = tokio::spawn(async move {
            let (mut stream, _) = listener.accept().await.unwrap();
            let body = r#"{"detail":{"status":"invalid_api_key"}}"#;
            let answer = format!(
                "HTTP/1.1 401 Unauthorized\r\ncontent-type: application/json\r\n\
                 content-length: {}\r\n\r\n{body}",
                body.len()
            );
            stream.write_all(answer.as_bytes()).await.unwrap();
            // Kept open: the body's length, not the end of the
            // connection, must end the read.
            tokio::time::sleep(Duration::from_secs(20)).await;
        });

        let error = open(&base_url, ConnectOptions::default())
            .await
            .unwrap_err();
        assert_eq!(error.status(), Some(401));
        let Error::Realtime(realtime) = &error else {
            panic!("a realtime error: {error:?}");
        };
        let RealtimeError::Handshake(handshake) = realtime.as_ref() else {
            panic!("a handshake error: {realtime:?}");
        };
        assert_eq!(
            handshake.body_text(),
            r#"{"detail":{"status":"invalid_api_key"}}"#
        );
        assert!(!handshake.truncated);
        assert_eq!(handshake.headers["content-type"], "application/json");
        assert!(error.to_string().contains("HTTP 401"), "{error}");
        assert!(error.to_string().contains("invalid_api_key"), "{error}");
        assert!(!format!("{error} {error:?}").contains(API_KEY));
        server.abort();
    })
    .await;
}

#[tokio::test]
async fn a_message_that_does_not_decode_names_the_path_and_the_stream_goes_on() {
    bounded(async {
        let (base_url, _seen, server) = serve(|mut ws| async move {
            send_json(&mut ws, json!({"alignment": {"chars": ["a", 5]}})).await;
            ws.send(Message::binary(b"\xff not json".to_vec()))
                .await
                .unwrap();
            send_json(&mut ws, json!({"alignment": {"chars": ["a", "b"]}})).await;
            close_with(&mut ws, 1000, "").await;
        })
        .await;
        let mut connection: Connection<ClientMessage, Nested, ApiError> = realtime::connect(
            &client(&base_url).transport,
            conversation_request(),
            ConnectOptions::default(),
        )
        .await
        .unwrap();

        let error = connection.next().await.unwrap().unwrap_err();
        let Error::Realtime(realtime) = &error else {
            panic!("a realtime error: {error:?}");
        };
        let RealtimeError::Decode(decode) = realtime.as_ref() else {
            panic!("a decode error: {realtime:?}");
        };
        assert_eq!(decode.path, "alignment.chars[1]");
        assert!(error.to_string().contains("alignment.chars[1]"), "{error}");

        let binary = connection.next().await.unwrap().unwrap_err();
        assert!(binary.to_string().contains("decode"), "{binary}");

        let good = connection.next().await.unwrap().unwrap();
        assert_eq!(good.alignment.chars, ["a", "b"]);
        assert!(connection.next().await.is_none());
        server.await.unwrap();
    })
    .await;
}

#[tokio::test]
async fn a_close_by_the_server_gives_its_code_and_reason_then_the_end() {
    bounded(async {
        let (base_url, _seen, server) = serve(|mut ws| async move {
            close_with(&mut ws, 1008, "invalid agent").await;
            while let Some(Ok(_)) = ws.next().await {}
        })
        .await;
        let mut connection = open(&base_url, ConnectOptions::default()).await.unwrap();

        let error = connection.next().await.unwrap().unwrap_err();
        let Error::Realtime(realtime) = &error else {
            panic!("a realtime error: {error:?}");
        };
        assert_eq!(realtime.close(), Some((1008, "invalid agent")));
        assert!(error.to_string().contains("1008"), "{error}");
        assert!(connection.next().await.is_none());
        let sent = connection
            .send(ClientMessage::UserMessage { text: "x".into() })
            .await;
        assert!(sent.is_err(), "nothing can be sent once closed");
        server.await.unwrap();
    })
    .await;
}

#[tokio::test]
async fn a_message_over_the_limit_is_refused() {
    bounded(async {
        let (base_url, _seen, server) = serve(|mut ws| async move {
            let text = "x".repeat(4096);
            send_json(&mut ws, json!({"type": "agent", "text": text})).await;
            while let Some(Ok(_)) = ws.next().await {}
        })
        .await;
        let options = ConnectOptions::default().max_message_size(1024);
        let mut connection = open(&base_url, options).await.unwrap();

        let error = connection.next().await.unwrap().unwrap_err();
        let Error::Realtime(realtime) = &error else {
            panic!("a realtime error: {error:?}");
        };
        assert!(
            matches!(realtime.as_ref(), RealtimeError::TooLarge { limit: 1024 }),
            "{realtime:?}"
        );
        assert!(connection.next().await.is_none());
        drop(connection);
        server.await.unwrap();
    })
    .await;
}

/// The server pings, then reports the first message it gets back.
async fn ping_then_first_answer(options: ConnectOptions) -> serde_json::Value {
    let (first, first_by_test) = oneshot::channel();
    let (base_url, _seen, server) = serve(|mut ws| async move {
        let ping = json!({"type": "ping", "ping_event": {"event_id": 7, "ping_ms": 50}});
        send_json(&mut ws, ping).await;
        let _ = first.send(receive_json(&mut ws).await);
        close_with(&mut ws, 1000, "").await;
    })
    .await;
    let mut connection = open(&base_url, options).await.unwrap();
    let ping = connection.next().await.unwrap().unwrap();
    assert_eq!(
        ping,
        ServerMessage::Ping {
            ping_event: PingEvent { event_id: 7 }
        }
    );
    // Sent after the ping was handed on: an automatic pong comes first.
    connection
        .send(ClientMessage::UserMessage {
            text: "after".into(),
        })
        .await
        .unwrap();
    let first = first_by_test.await.unwrap();
    assert!(connection.next().await.is_none());
    server.await.unwrap();
    first
}

#[tokio::test]
async fn a_ping_is_answered_with_a_pong_before_it_is_handed_on() {
    bounded(async {
        let first = ping_then_first_answer(ConnectOptions::default()).await;
        assert_eq!(first, json!({"type": "pong", "event_id": 7}));
    })
    .await;
}

#[tokio::test]
async fn automatic_pongs_can_be_switched_off() {
    bounded(async {
        let first = ping_then_first_answer(ConnectOptions::default().auto_reply(false)).await;
        assert_eq!(first, json!({"type": "user_message", "text": "after"}));
    })
    .await;
}

#[tokio::test]
async fn split_halves_send_and_receive_at_the_same_time() {
    const COUNT: usize = 50;
    bounded(async {
        let (base_url, _seen, server) = serve(|mut ws| async move {
            while let Some(Ok(message)) = ws.next().await {
                // Anything else is read on: that answers a close.
                if let Message::Text(text) = message {
                    let value: serde_json::Value = serde_json::from_str(&text).unwrap();
                    send_json(&mut ws, json!({"type": "agent", "text": value["text"]})).await;
                }
            }
        })
        .await;
        let connection = open(&base_url, ConnectOptions::default()).await.unwrap();
        let (sender, mut receiver) = connection.split();

        let sending = tokio::spawn(async move {
            for n in 0..COUNT {
                let text = n.to_string();
                sender
                    .send(ClientMessage::UserMessage { text })
                    .await
                    .unwrap();
            }
            sender
        });
        let mut texts = Vec::new();
        while texts.len() < COUNT {
            match receiver.next().await.unwrap().unwrap() {
                ServerMessage::Agent { text } => texts.push(text),
                other => panic!("unexpected {other:?}"),
            }
        }
        let expected: Vec<String> = (0..COUNT).map(|n| n.to_string()).collect();
        assert_eq!(texts, expected);

        let sender = sending.await.unwrap();
        sender.close().await.unwrap();
        assert!(
            receiver.next().await.is_none(),
            "ends at the server's close"
        );
        server.await.unwrap();
    })
    .await;
}

#[tokio::test]
async fn close_sends_a_normal_close_and_waits_for_the_servers() {
    bounded(async {
        let (code, code_by_test) = oneshot::channel();
        let (base_url, _seen, server) = serve(|mut ws| async move {
            send_json(&mut ws, json!({"type": "agent", "text": "unread"})).await;
            let mut code = Some(code);
            while let Some(Ok(message)) = ws.next().await {
                if let (Message::Close(frame), Some(code)) = (message, code.take()) {
                    let _ = code.send(frame.map(|frame| u16::from(frame.code)));
                }
            }
        })
        .await;
        let connection = open(&base_url, ConnectOptions::default()).await.unwrap();
        connection.close().await.unwrap();
        assert_eq!(code_by_test.await.unwrap(), Some(1000));
        server.await.unwrap();
    })
    .await;
}

#[tokio::test]
async fn close_gives_up_on_a_server_that_never_answers_it() {
    bounded(async {
        let (base_url, _seen, server) = serve(|ws| async move {
            // Neither reads nor answers, until the client is gone.
            tokio::time::sleep(Duration::from_secs(20)).await;
            drop(ws);
        })
        .await;
        let client = builder(&base_url)
            .connect_timeout(Duration::from_millis(300))
            .build()
            .unwrap();
        let connection: Conversation = realtime::connect(
            &client.transport,
            conversation_request(),
            ConnectOptions::default(),
        )
        .await
        .unwrap();
        let error = connection.close().await.unwrap_err();
        assert!(
            matches!(&error, Error::Timeout(timeout) if timeout.kind() == TimeoutKind::Read),
            "{error:?}"
        );
        server.abort();
    })
    .await;
}

#[tokio::test]
async fn the_upgrade_must_finish_within_the_connect_timeout() {
    bounded(async {
        // Bound but never accepted: TCP connects, the upgrade gets no answer.
        let listener = TcpListener::bind("127.0.0.1:0").await.unwrap();
        let base_url = format!("http://{}", listener.local_addr().unwrap());
        let client = builder(&base_url)
            .connect_timeout(Duration::from_millis(200))
            .build()
            .unwrap();
        let error = realtime::connect::<ClientMessage, ServerMessage, ApiError>(
            &client.transport,
            conversation_request(),
            ConnectOptions::default(),
        )
        .await
        .unwrap_err();
        let Error::Timeout(timeout) = &error else {
            panic!("a timeout: {error:?}");
        };
        assert_eq!(timeout.kind(), TimeoutKind::Connect);
        drop(listener);
    })
    .await;
}

#[tokio::test]
async fn a_silent_server_fails_the_stream_after_the_idle_timeout() {
    bounded(async {
        let (base_url, _seen, server) = serve(|mut ws| async move {
            // Silent until the client goes away.
            while let Some(Ok(_)) = ws.next().await {}
        })
        .await;
        let options = ConnectOptions::default().idle_timeout(Duration::from_millis(200));
        let mut connection = open(&base_url, options).await.unwrap();
        let error = connection.next().await.unwrap().unwrap_err();
        assert!(
            matches!(&error, Error::Timeout(timeout) if timeout.kind() == TimeoutKind::Read),
            "{error:?}"
        );
        assert!(connection.next().await.is_none());
        drop(connection);
        server.await.unwrap();
    })
    .await;
}

#[tokio::test]
async fn a_send_to_a_server_that_stops_reading_fails_after_the_timeout() {
    bounded(async {
        let (base_url, _seen, server) = serve(|ws| async move {
            // Takes nothing, until the client is gone.
            tokio::time::sleep(Duration::from_secs(20)).await;
            drop(ws);
        })
        .await;
        let options = ConnectOptions::default().idle_timeout(Duration::from_millis(300));
        let connection = open(&base_url, options).await.unwrap();
        let text = "x".repeat(1 << 20);
        // Far more than the socket buffers hold: some send must block.
        let mut outcome = Ok(());
        for _ in 0..256 {
            let message = ClientMessage::UserMessage { text: text.clone() };
            outcome = connection.send(message).await;
            if outcome.is_err() {
                break;
            }
        }
        let error = outcome.unwrap_err();
        assert!(
            matches!(&error, Error::Timeout(timeout) if timeout.kind() == TimeoutKind::Write),
            "{error:?}"
        );
        server.abort();
    })
    .await;
}

#[tokio::test]
async fn a_path_parameter_that_would_leave_its_segment_sends_nothing() {
    bounded(async {
        let request =
            Request::new(Method::GET, "/v1/convai/{agent_id}").path_param("agent_id", "..");
        let error = realtime::connect::<ClientMessage, ServerMessage, ApiError>(
            &client("http://127.0.0.1:9").transport,
            request,
            ConnectOptions::default(),
        )
        .await
        .unwrap_err();
        assert!(matches!(error, Error::Request(_)), "{error:?}");
    })
    .await;
}

#[tokio::test]
async fn an_https_base_url_speaks_tls() {
    bounded(async {
        let listener = TcpListener::bind("127.0.0.1:0").await.unwrap();
        let base_url = format!("https://{}", listener.local_addr().unwrap());
        let server = tokio::spawn(async move {
            let (mut stream, _) = listener.accept().await.unwrap();
            // Plain HTTP where a TLS server hello belongs.
            let _ = stream.write_all(b"HTTP/1.1 400 Bad Request\r\n\r\n").await;
        });
        let error = open(&base_url, ConnectOptions::default())
            .await
            .unwrap_err();
        let Error::Realtime(realtime) = &error else {
            panic!("a realtime error: {error:?}");
        };
        assert!(
            matches!(realtime.as_ref(), RealtimeError::Connect(_)),
            "{realtime:?}"
        );
        server.await.unwrap();
    })
    .await;
}

/// Everything `tracing` (at TRACE) and `log` (every level) write.
#[derive(Clone, Default)]
struct Captured(Arc<Mutex<Vec<u8>>>);

impl Captured {
    fn text(&self) -> String {
        String::from_utf8_lossy(&self.0.lock().unwrap()).into_owned()
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

impl log::Log for Captured {
    fn enabled(&self, _: &log::Metadata<'_>) -> bool {
        true
    }

    fn log(&self, record: &log::Record<'_>) {
        let line = format!(
            "{} {}: {}\n",
            record.level(),
            record.target(),
            record.args()
        );
        self.clone().write_all(line.as_bytes()).unwrap();
    }

    fn flush(&self) {}
}

fn captured() -> &'static Captured {
    static CAPTURED: OnceLock<Captured> = OnceLock::new();
    CAPTURED.get_or_init(|| {
        let captured = Captured::default();
        let subscriber = tracing_subscriber::fmt()
            .with_writer(captured.clone())
            .with_max_level(tracing::Level::TRACE)
            .with_ansi(false)
            .finish();
        tracing::subscriber::set_global_default(subscriber).expect("the only subscriber");
        log::set_boxed_logger(Box::new(captured.clone())).expect("the only logger");
        log::set_max_level(log::LevelFilter::Trace);
        captured
    })
}

#[tokio::test]
async fn the_key_is_never_printed_or_logged() {
    bounded(async {
        let captured = captured();
        let (base_url, _seen, server) = serve(|mut ws| async move {
            let ping = json!({"type": "ping", "ping_event": {"event_id": 1}});
            send_json(&mut ws, ping).await;
            receive_json(&mut ws).await;
            close_with(&mut ws, 4001, "bad key").await;
            while let Some(Ok(_)) = ws.next().await {}
        })
        .await;
        let mut connection = open(&base_url, ConnectOptions::default()).await.unwrap();
        let mut printed = format!("{connection:?} {connection:#?}");
        connection.next().await.unwrap().unwrap();
        let error = connection.next().await.unwrap().unwrap_err();
        printed.push_str(&format!("{error} {error:?}"));
        let (sender, receiver) = connection.split();
        printed.push_str(&format!("{sender:?} {receiver:?}"));
        server.await.unwrap();

        let logged = captured.text();
        assert!(logged.contains("realtime_connect"), "{logged}");
        assert!(
            logged.contains("tokio_tungstenite"),
            "log records are captured"
        );
        for text in [&printed, &logged] {
            assert!(!text.contains(API_KEY), "the key leaked into: {text}");
            assert!(
                !text.contains("agent%201"),
                "the filled path leaked: {text}"
            );
        }
    })
    .await;
}
