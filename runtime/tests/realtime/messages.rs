//! An open channel: messages both ways, decode errors, closes, limits,
//! automatic pongs, split halves and timeouts.

use std::time::Duration;

use api_runtime::realtime::{self, ConnectOptions, Connection, RealtimeError};
use api_runtime::{Error, StreamExt, TimeoutKind};
use futures_util::SinkExt;
use serde_json::json;
use tokio::sync::oneshot;
use tokio_tungstenite::tungstenite::Message;

use crate::common::{builder, client, ApiError, API_KEY, USER_AGENT};
use crate::support::*;

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
