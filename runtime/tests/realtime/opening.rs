//! Opening a channel: the upgrade, its refusals and its timeout, TLS,
//! and requests that are refused before anything is sent.

use std::time::Duration;

use api_runtime::realtime::{self, ConnectOptions, RealtimeError};
use api_runtime::reqwest::Method;
use api_runtime::{Error, Request, StreamExt, TimeoutKind};
use tokio::io::AsyncWriteExt;
use tokio::net::TcpListener;

use crate::common::{builder, client, ApiError, API_KEY};
use crate::support::*;

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
