//! Streamed JSON answers (`x-fern-streaming` on a JSON response): text to
//! speech with timestamps yields each chunk as it arrives, before the body
//! ends; a chunk that does not decode is an error item naming its place,
//! and the stream goes on.

use std::time::Duration;

use api_clients::elevenlabs::types::StreamingAudioChunkWithTimestampsResponseModel;
use api_clients::elevenlabs::{Client, Error};
use futures_util::StreamExt;
use tokio::io::{AsyncReadExt, AsyncWriteExt};
use tokio::net::{TcpListener, TcpStream};
use tokio::sync::oneshot;

fn client(port: u16) -> Client {
    Client::builder()
        .api_key("test-key")
        .base_url(format!("http://127.0.0.1:{port}"))
        .no_retries()
        .build()
        .unwrap()
}

fn chunk(audio: &str) -> String {
    format!(
        r#"{{"audio_base64":"{audio}","alignment":{{"characters":["H"],"character_start_times_seconds":[0.0],"character_end_times_seconds":[0.1]}}}}"#
    )
}

/// Reads one request: its headers, then as many body bytes as they declare.
async fn read_request(socket: &mut TcpStream) -> String {
    let mut received = Vec::new();
    let mut buffer = [0u8; 4096];
    let header_end = loop {
        let read = socket.read(&mut buffer).await.unwrap();
        assert!(read > 0, "the client closed before sending its request");
        received.extend_from_slice(&buffer[..read]);
        if let Some(end) = received.windows(4).position(|w| w == b"\r\n\r\n") {
            break end + 4;
        }
    };
    let head = String::from_utf8_lossy(&received[..header_end]).to_ascii_lowercase();
    let length: usize = head
        .lines()
        .find_map(|line| line.strip_prefix("content-length:"))
        .map_or(0, |value| value.trim().parse().unwrap());
    while received.len() < header_end + length {
        let read = socket.read(&mut buffer).await.unwrap();
        received.extend_from_slice(&buffer[..read]);
    }
    head
}

async fn send_chunk(socket: &mut TcpStream, text: &str) {
    let framed = format!("{:x}\r\n{text}\r\n", text.len());
    socket.write_all(framed.as_bytes()).await.unwrap();
    socket.flush().await.unwrap();
}

/// A server that sends `first`, waits for `go`, then sends `rest` and ends
/// the body.
async fn staged_server(
    first: String,
    rest: String,
) -> (u16, oneshot::Sender<()>, tokio::task::JoinHandle<String>) {
    let listener = TcpListener::bind("127.0.0.1:0").await.unwrap();
    let port = listener.local_addr().unwrap().port();
    let (go, wait) = oneshot::channel::<()>();
    let server = tokio::spawn(async move {
        let (mut socket, _) = listener.accept().await.unwrap();
        let head = read_request(&mut socket).await;
        let status = "HTTP/1.1 200 OK\r\ncontent-type: application/json\r\ntransfer-encoding: chunked\r\n\r\n";
        socket.write_all(status.as_bytes()).await.unwrap();
        send_chunk(&mut socket, &first).await;
        let _ = wait.await;
        send_chunk(&mut socket, &rest).await;
        socket.write_all(b"0\r\n\r\n").await.unwrap();
        socket.flush().await.unwrap();
        head
    });
    (port, go, server)
}

#[tokio::test]
async fn each_chunk_arrives_before_the_body_ends() {
    let first = format!("{}\n{}", chunk("AAA"), &chunk("BBB")[..20]);
    let rest = format!("{}\n", &chunk("BBB")[20..]);
    let (port, go, server) = staged_server(first, rest).await;
    let client = client(port);

    let mut chunks = client
        .text_to_speech()
        .stream_with_timestamps("voice-1", "Hi")
        .await
        .unwrap();
    let one = tokio::time::timeout(Duration::from_secs(10), chunks.next())
        .await
        .expect("the first chunk before the server sends the rest")
        .unwrap()
        .unwrap();
    assert_eq!(one.audio_base64, "AAA");
    go.send(()).unwrap();
    let two = chunks.next().await.unwrap().unwrap();
    assert_eq!(two.audio_base64, "BBB");
    assert!(chunks.next().await.is_none());

    let head = server.await.unwrap();
    assert!(
        head.starts_with("post /v1/text-to-speech/voice-1/stream/with-timestamps "),
        "{head}"
    );
}

/// Every item of a stream whose whole body is `text`, sent at once.
async fn every_item(
    text: String,
) -> Vec<Result<StreamingAudioChunkWithTimestampsResponseModel, Error>> {
    let (port, go, server) = staged_server(text, String::new()).await;
    go.send(()).unwrap();
    let items = client(port)
        .text_to_speech()
        .stream_with_timestamps("voice-1", "Hi")
        .await
        .unwrap()
        .collect()
        .await;
    server.await.unwrap();
    items
}

#[tokio::test]
async fn a_chunk_that_does_not_decode_names_its_place_and_the_stream_goes_on() {
    let bad = r#"{"audio_base64": 7}"#;
    let items = every_item(format!("{}\n{bad}\n{}", chunk("AAA"), chunk("CCC"))).await;

    assert_eq!(items.len(), 3);
    assert_eq!(items[0].as_ref().unwrap().audio_base64, "AAA");
    let Err(Error::Decode(error)) = &items[1] else {
        panic!("a decode error: {:?}", items[1]);
    };
    assert_eq!(error.path, "audio_base64");
    let offset = chunk("AAA").len() + 1;
    assert!(
        error
            .message
            .starts_with(&format!("item 1 (from byte {offset}): invalid type")),
        "{}",
        error.message
    );
    assert_eq!(items[2].as_ref().unwrap().audio_base64, "CCC");
}

#[tokio::test]
async fn a_body_cut_inside_a_chunk_ends_with_an_error() {
    let items = every_item(format!("{}\n{{\"audio_base64\":\"DD", chunk("AAA"))).await;

    assert_eq!(items.len(), 2);
    assert!(items[0].is_ok());
    let Err(Error::Decode(error)) = &items[1] else {
        panic!("a decode error: {:?}", items[1]);
    };
    assert!(
        error.message.contains("ended inside item 1"),
        "{}",
        error.message
    );
}
