//! Streamed bodies reach the caller chunk by chunk, before the body ends.

mod common;

use std::time::Duration;

use api_runtime::reqwest::Method;
use api_runtime::Request;
use common::{client, ApiError};
use futures_util::StreamExt;
use tokio::io::{AsyncReadExt, AsyncWriteExt};
use tokio::net::{TcpListener, TcpStream};
use tokio::sync::oneshot;

/// Reads a request up to the blank line after its headers.
async fn read_request_head(socket: &mut TcpStream) {
    let mut head = Vec::new();
    let mut buffer = [0u8; 1024];
    while !head.windows(4).any(|window| window == b"\r\n\r\n") {
        let read = socket.read(&mut buffer).await.expect("the request arrives");
        assert!(read > 0, "the client closed before sending its request");
        head.extend_from_slice(&buffer[..read]);
    }
}

#[tokio::test]
async fn the_first_chunk_arrives_before_the_body_ends() {
    let listener = TcpListener::bind("127.0.0.1:0").await.unwrap();
    let address = listener.local_addr().unwrap();
    let (first_seen, first_seen_by_server) = oneshot::channel::<()>();
    let server = tokio::spawn(async move {
        let (mut socket, _) = listener.accept().await.unwrap();
        read_request_head(&mut socket).await;
        socket
            .write_all(
                b"HTTP/1.1 200 OK\r\ncontent-type: audio/mpeg\r\ntransfer-encoding: chunked\r\n\r\n5\r\nfirst\r\n",
            )
            .await
            .unwrap();
        // The rest of the body is held back until the client has the first
        // chunk, so a client that buffers the whole body never gets it.
        first_seen_by_server
            .await
            .expect("the client reports the first chunk");
        socket.write_all(b"6\r\nsecond\r\n0\r\n\r\n").await.unwrap();
    });

    let request = Request::new(Method::POST, "/v1/text-to-speech/v1/stream").accept("audio/mpeg");
    let response = client(&format!("http://{address}"))
        .transport
        .send::<ApiError>(request)
        .await
        .unwrap();
    let mut stream = response.byte_stream::<ApiError>();
    assert_eq!(stream.content_type(), Some("audio/mpeg"));

    let first = tokio::time::timeout(Duration::from_secs(5), stream.next())
        .await
        .expect("the first chunk comes while the body is still open")
        .expect("a chunk")
        .expect("no error");
    assert_eq!(first.as_ref(), b"first");
    first_seen.send(()).unwrap();

    let rest = tokio::time::timeout(Duration::from_secs(5), stream.bytes())
        .await
        .expect("the rest arrives")
        .expect("no error");
    assert_eq!(rest.as_ref(), b"second");
    server.await.unwrap();
}
