//! Peak memory of calls answered with a 500 MiB body (issue #13): run under
//! `/usr/bin/time -v cargo run --release -p api-runtime --example large_body -- KIND`
//! and read "Maximum resident set size". KIND is
//! - `json`: a 200 whose 500 MiB JSON body has no `content-length`
//!   (chunked), so the size cap must stop it while reading;
//! - `error`: a 500 with a 500 MiB HTML page, to a `GET` (retried twice).
//!
//! The server is on 127.0.0.1 in the same process and sends the body in
//! 64 KiB chunks from one buffer, so it adds almost nothing to the peak.

use std::time::Instant;

use api_runtime::reqwest::Method;
use api_runtime::{ApiConfig, ClientBuilder, FromTransport, NoErrorBody, Request, Transport};
use tokio::io::{AsyncReadExt, AsyncWriteExt};
use tokio::net::{TcpListener, TcpStream};

const BODY: usize = 500 * 1024 * 1024;
const CHUNK: usize = 64 * 1024;

struct Demo {
    transport: Transport,
}

impl FromTransport for Demo {
    const CONFIG: &'static ApiConfig = &ApiConfig {
        name: "demo",
        default_base_url: "http://127.0.0.1:9",
        api_key_header: Some("x-api-key"),
        api_key_env: None,
        user_agent: "large-body/1",
    };

    fn from_transport(transport: Transport) -> Self {
        Demo { transport }
    }
}

async fn serve(listener: TcpListener, status: &'static str) {
    while let Ok((socket, _)) = listener.accept().await {
        tokio::spawn(answer(socket, status));
    }
}

/// Answers one request with `status` and a chunked 500 MiB body.
async fn answer(mut socket: TcpStream, status: &'static str) {
    let mut request = vec![0u8; 16 * 1024];
    let _ = socket.read(&mut request).await;
    let head = format!(
        "HTTP/1.1 {status}\r\ncontent-type: text/html\r\ntransfer-encoding: chunked\r\n\r\n"
    );
    if socket.write_all(head.as_bytes()).await.is_err() {
        return;
    }
    let chunk = [
        format!("{CHUNK:x}\r\n").into_bytes(),
        vec![b'['; CHUNK],
        b"\r\n".to_vec(),
    ]
    .concat();
    for _ in 0..BODY / CHUNK {
        if socket.write_all(&chunk).await.is_err() {
            return;
        }
    }
    let _ = socket.write_all(b"0\r\n\r\n").await;
}

#[tokio::main(flavor = "current_thread")]
async fn main() {
    let kind = std::env::args().nth(1).unwrap_or_else(|| "json".to_owned());
    let status = if kind == "error" {
        "500 Internal Server Error"
    } else {
        "200 OK"
    };
    let listener = TcpListener::bind("127.0.0.1:0").await.unwrap();
    let base_url = format!("http://{}", listener.local_addr().unwrap());
    tokio::spawn(serve(listener, status));
    let client = ClientBuilder::<Demo>::new()
        .api_key("k")
        .base_url(base_url)
        .build()
        .unwrap();

    let started = Instant::now();
    let result = client
        .transport
        .call_json::<serde_json::Value, NoErrorBody>(Request::new(Method::GET, "/v1/big"))
        .await;
    let outcome = match &result {
        Ok(_) => "decoded".to_owned(),
        Err(error) => error.to_string().chars().take(120).collect(),
    };
    println!("{kind}: {outcome} after {:?}", started.elapsed());
}
