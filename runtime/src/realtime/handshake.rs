//! Opening a connection: TCP, TLS for `wss`, and the HTTP/1.1 upgrade
//! request, written and read here rather than by tungstenite.
//!
//! Doing the upgrade by hand keeps the API key out of every log (the key
//! header only ever exists as bytes written to the socket; tungstenite's
//! client handshake logs the whole request at `log` trace level), and
//! gives a refused upgrade's status, headers and body as a typed error.

use std::io;
use std::net::IpAddr;
use std::sync::{Arc, OnceLock};
use std::time::Instant;

use base64::engine::general_purpose::STANDARD;
use base64::Engine;
use bytes::Bytes;
use reqwest::header::{HeaderMap, HeaderName, HeaderValue};
use reqwest::Url;
use tokio::io::{AsyncRead, AsyncReadExt, AsyncWrite, AsyncWriteExt};
use tokio::net::TcpStream;
use tokio_rustls::rustls::pki_types::ServerName;
use tokio_rustls::rustls::{ClientConfig, RootCertStore};
use tokio_rustls::TlsConnector;
use url::{Host, Position};

use crate::error::realtime::{HandshakeError, RealtimeError};
use crate::error::{Failure, TimeoutError};
use crate::response::body::ERROR_BODY_LIMIT;

/// The most bytes of an upgrade answer's status line and headers read.
const HEAD_LIMIT: usize = 64 * 1024;
/// The most headers an upgrade answer may have.
const MAX_HEADERS: usize = 64;
/// RFC 6455's constant for `sec-websocket-accept`.
const ACCEPT_GUID: &str = "258EAFA5-E914-47DA-95CA-C5AB0DC85B11";

/// A connection, plain or TLS.
pub(crate) trait Io: AsyncRead + AsyncWrite + Send + Unpin {}

impl<T: AsyncRead + AsyncWrite + Send + Unpin> Io for T {}

/// The socket a WebSocket runs over.
pub(crate) type Socket = Box<dyn Io>;

/// An upgraded connection and the bytes read past the answer's head (the
/// start of the first frames).
pub(crate) struct Upgraded {
    pub(crate) socket: Socket,
    pub(crate) leftover: Vec<u8>,
}

/// The status line and headers of the upgrade answer.
struct Head {
    status: u16,
    headers: HeaderMap,
    length: usize,
}

/// Connects to `url` (`ws` or `wss`) and upgrades the connection, all
/// before `deadline` (the client's connect timeout).
pub(crate) async fn upgrade(
    url: &Url,
    headers: &HeaderMap,
    deadline: Option<Instant>,
) -> Result<Upgraded, Failure> {
    let mut socket = within(deadline, connect_socket(url)).await??;
    let key = new_key()?;
    let request = upgrade_request(url, headers, &key);
    within(deadline, socket.write_all(&request))
        .await?
        .map_err(RealtimeError::Connect)?;
    drop(request);
    let (head, leftover) = within(deadline, read_head(&mut socket)).await??;
    if head.status != 101 {
        let (body, truncated) = read_refused_body(&mut socket, &head, leftover, deadline).await;
        let error = HandshakeError::new(head.status, head.headers, body, truncated);
        return Err(RealtimeError::Handshake(Box::new(error)).into());
    }
    check_upgrade(&head, &key)?;
    Ok(Upgraded { socket, leftover })
}

/// Runs `future` until `deadline`; past it, the connect timeout has run
/// out.
async fn within<F: std::future::Future>(
    deadline: Option<Instant>,
    future: F,
) -> Result<F::Output, Failure> {
    match deadline {
        None => Ok(future.await),
        Some(deadline) => tokio::time::timeout_at(deadline.into(), future)
            .await
            .map_err(|_| Failure::Timeout(TimeoutError::connect())),
    }
}

/// TCP, then TLS for `wss`.
async fn connect_socket(url: &Url) -> Result<Socket, RealtimeError> {
    let port = url.port_or_known_default().unwrap_or(443);
    let host = url
        .host()
        .ok_or_else(|| invalid_input("the URL has no host"))?;
    let tcp = match &host {
        Host::Domain(name) => TcpStream::connect((*name, port)).await,
        Host::Ipv4(address) => TcpStream::connect((*address, port)).await,
        Host::Ipv6(address) => TcpStream::connect((*address, port)).await,
    }
    .map_err(RealtimeError::Connect)?;
    // Small messages (a pong, a text chunk) should not wait for more.
    tcp.set_nodelay(true).map_err(RealtimeError::Connect)?;
    if url.scheme() == "ws" {
        return Ok(Box::new(tcp));
    }
    let tls = TlsConnector::from(tls_config())
        .connect(server_name(&host)?, tcp)
        .await
        .map_err(RealtimeError::Connect)?;
    Ok(Box::new(tls))
}

fn server_name(host: &Host<&str>) -> Result<ServerName<'static>, RealtimeError> {
    match host {
        Host::Domain(name) => ServerName::try_from(name.to_string())
            .map_err(|_| invalid_input("the host is not a valid TLS server name")),
        Host::Ipv4(address) => Ok(ServerName::from(IpAddr::V4(*address))),
        Host::Ipv6(address) => Ok(ServerName::from(IpAddr::V6(*address))),
    }
}

fn invalid_input(message: &'static str) -> RealtimeError {
    RealtimeError::Connect(io::Error::new(io::ErrorKind::InvalidInput, message))
}

/// rustls with ring and the webpki roots, as reqwest's `rustls-tls`:
/// one TLS stack for HTTP and WebSocket, no system OpenSSL.
fn tls_config() -> Arc<ClientConfig> {
    static CONFIG: OnceLock<Arc<ClientConfig>> = OnceLock::new();
    CONFIG
        .get_or_init(|| {
            let roots = RootCertStore {
                roots: webpki_roots::TLS_SERVER_ROOTS.to_vec(),
            };
            let provider = tokio_rustls::rustls::crypto::ring::default_provider();
            let mut config = ClientConfig::builder_with_provider(Arc::new(provider))
                .with_safe_default_protocol_versions()
                .expect("ring supports TLS 1.2 and 1.3")
                .with_root_certificates(roots)
                .with_no_client_auth();
            config.alpn_protocols = vec![b"http/1.1".to_vec()];
            Arc::new(config)
        })
        .clone()
}

/// A fresh `sec-websocket-key`: 16 random bytes in base64.
fn new_key() -> Result<String, RealtimeError> {
    use ring::rand::SecureRandom;
    let mut bytes = [0u8; 16];
    ring::rand::SystemRandom::new()
        .fill(&mut bytes)
        .map_err(|_| RealtimeError::Connect(io::Error::other("no random numbers")))?;
    Ok(STANDARD.encode(bytes))
}

/// The `sec-websocket-accept` a server must answer `key` with.
fn accept_key(key: &str) -> String {
    let input = format!("{key}{ACCEPT_GUID}");
    let digest = ring::digest::digest(&ring::digest::SHA1_FOR_LEGACY_USE_ONLY, input.as_bytes());
    STANDARD.encode(digest.as_ref())
}

/// The upgrade request's bytes. `headers` (key, user agent) are valid
/// header values and the URL is parsed, so nothing here can add a line.
fn upgrade_request(url: &Url, headers: &HeaderMap, key: &str) -> Vec<u8> {
    let target = &url[Position::BeforePath..Position::AfterQuery];
    let host = &url[Position::BeforeHost..Position::AfterPort];
    let mut request = format!(
        "GET {target} HTTP/1.1\r\nhost: {host}\r\nconnection: Upgrade\r\nupgrade: websocket\r\n\
         sec-websocket-version: 13\r\nsec-websocket-key: {key}\r\n"
    )
    .into_bytes();
    for (name, value) in headers {
        request.extend_from_slice(name.as_str().as_bytes());
        request.extend_from_slice(b": ");
        request.extend_from_slice(value.as_bytes());
        request.extend_from_slice(b"\r\n");
    }
    request.extend_from_slice(b"\r\n");
    request
}

/// Reads up to the end of the answer's head; returns it and the bytes
/// read after it.
async fn read_head(socket: &mut Socket) -> Result<(Head, Vec<u8>), RealtimeError> {
    let mut buffer = Vec::with_capacity(4096);
    let mut chunk = [0u8; 4096];
    loop {
        let read = socket.read(&mut chunk).await.map_err(RealtimeError::Io)?;
        if read == 0 {
            return Err(protocol(
                "the server closed the connection before answering",
            ));
        }
        buffer.extend_from_slice(&chunk[..read]);
        if let Some(head) = parse_head(&buffer)? {
            let leftover = buffer.split_off(head.length);
            return Ok((head, leftover));
        }
        if buffer.len() > HEAD_LIMIT {
            return Err(protocol("the upgrade answer's headers are over 64 KiB"));
        }
    }
}

fn parse_head(buffer: &[u8]) -> Result<Option<Head>, RealtimeError> {
    let mut slots = [httparse::EMPTY_HEADER; MAX_HEADERS];
    let mut response = httparse::Response::new(&mut slots);
    let length = match response.parse(buffer) {
        Ok(httparse::Status::Partial) => return Ok(None),
        Ok(httparse::Status::Complete(length)) => length,
        Err(error) => {
            return Err(protocol(&format!(
                "the upgrade answer is not valid HTTP: {error}"
            )))
        }
    };
    let mut headers = HeaderMap::new();
    for header in response.headers.iter() {
        let name = HeaderName::from_bytes(header.name.as_bytes());
        let value = HeaderValue::from_bytes(header.value);
        if let (Ok(name), Ok(value)) = (name, value) {
            headers.append(name, value);
        }
    }
    Ok(Some(Head {
        status: response.code.unwrap_or_default(),
        headers,
        length,
    }))
}

/// A `101` must say it switched to WebSocket and prove it read our key.
fn check_upgrade(head: &Head, key: &str) -> Result<(), RealtimeError> {
    let header = |name: &str| {
        head.headers
            .get(name)
            .and_then(|value| value.to_str().ok())
            .unwrap_or_default()
    };
    if !header("upgrade").eq_ignore_ascii_case("websocket") {
        return Err(protocol("the 101 answer lacks `upgrade: websocket`"));
    }
    let upgrade_token = |token: &str| token.trim().eq_ignore_ascii_case("upgrade");
    if !header("connection").split(',').any(upgrade_token) {
        return Err(protocol("the 101 answer lacks `connection: upgrade`"));
    }
    if header("sec-websocket-accept") != accept_key(key) {
        return Err(protocol(
            "the 101 answer's `sec-websocket-accept` does not match the key sent",
        ));
    }
    Ok(())
}

fn protocol(message: &str) -> RealtimeError {
    RealtimeError::Protocol(message.to_owned())
}

/// How the body of a refused upgrade is delimited.
enum Framing {
    Length(usize),
    Chunked,
    UntilClose,
}

impl Framing {
    fn of(headers: &HeaderMap) -> Framing {
        let chunked = headers
            .get_all("transfer-encoding")
            .iter()
            .any(|value| value.to_str().is_ok_and(|v| v.contains("chunked")));
        let length = headers
            .get("content-length")
            .and_then(|value| value.to_str().ok()?.trim().parse().ok());
        match (chunked, length) {
            (true, _) => Framing::Chunked,
            (false, Some(length)) => Framing::Length(length),
            (false, None) => Framing::UntilClose,
        }
    }

    /// The body so far and whether it is complete.
    fn content(&self, raw: &[u8], at_end: bool) -> (Vec<u8>, bool) {
        match self {
            Framing::Length(length) => {
                let complete = raw.len() >= *length;
                (raw[..raw.len().min(*length)].to_vec(), complete)
            }
            Framing::Chunked => dechunk(raw),
            Framing::UntilClose => (raw.to_vec(), at_end),
        }
    }
}

/// Reads the body of a refused upgrade, at most [`ERROR_BODY_LIMIT`]
/// bytes of it and only until `deadline`: what arrived by then is kept.
async fn read_refused_body(
    socket: &mut Socket,
    head: &Head,
    mut raw: Vec<u8>,
    deadline: Option<Instant>,
) -> (Bytes, bool) {
    let framing = Framing::of(&head.headers);
    let mut at_end = false;
    let reading = async {
        let mut chunk = [0u8; 4096];
        while !framing.content(&raw, false).1 && raw.len() < ERROR_BODY_LIMIT {
            match socket.read(&mut chunk).await {
                Ok(0) | Err(_) => {
                    at_end = true;
                    break;
                }
                Ok(read) => raw.extend_from_slice(&chunk[..read]),
            }
        }
    };
    let _ = within(deadline, reading).await;
    let (mut body, complete) = framing.content(&raw, at_end);
    let truncated = !complete || body.len() > ERROR_BODY_LIMIT;
    body.truncate(ERROR_BODY_LIMIT);
    (Bytes::from(body), truncated)
}

/// Decodes a `transfer-encoding: chunked` body as far as it arrived; true
/// when it reached the last chunk.
fn dechunk(raw: &[u8]) -> (Vec<u8>, bool) {
    let mut content = Vec::new();
    let mut rest = raw;
    loop {
        let Some(line_end) = rest.windows(2).position(|pair| pair == b"\r\n") else {
            return (content, false);
        };
        let size = std::str::from_utf8(&rest[..line_end])
            .ok()
            .and_then(|line| line.split(';').next())
            .and_then(|size| usize::from_str_radix(size.trim(), 16).ok());
        let Some(size) = size else {
            return (content, false);
        };
        if size == 0 {
            return (content, true);
        }
        let data = &rest[line_end + 2..];
        if data.len() < size {
            content.extend_from_slice(data);
            return (content, false);
        }
        content.extend_from_slice(&data[..size]);
        rest = data.get(size + 2..).unwrap_or_default();
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_accept_key_is_rfc_6455s() {
        // The example of RFC 6455, section 1.3.
        assert_eq!(
            accept_key("dGhlIHNhbXBsZSBub25jZQ=="),
            "s3pPLMBiTxaQ9kYGzzhZRbK+xOo="
        );
    }

    #[test]
    fn chunked_bodies_decode_as_far_as_they_arrived() {
        assert_eq!(
            dechunk(b"4\r\nWiki\r\n5;x=y\r\npedia\r\n0\r\n\r\n"),
            (b"Wikipedia".to_vec(), true)
        );
        assert_eq!(
            dechunk(b"4\r\nWiki\r\n5\r\npe"),
            (b"Wikipe".to_vec(), false)
        );
        assert_eq!(dechunk(b"zz\r\n"), (Vec::new(), false));
    }

    #[test]
    fn the_upgrade_request_targets_the_path_and_query_and_names_the_host() {
        let url = Url::parse("wss://api.example:8443/v1/x%20y/stream?model_id=m1").unwrap();
        let mut headers = HeaderMap::new();
        headers.insert("xi-api-key", HeaderValue::from_static("k"));
        let text = String::from_utf8(upgrade_request(&url, &headers, "KEY")).unwrap();
        assert!(
            text.starts_with("GET /v1/x%20y/stream?model_id=m1 HTTP/1.1\r\n"),
            "{text}"
        );
        assert!(text.contains("\r\nhost: api.example:8443\r\n"), "{text}");
        assert!(text.contains("\r\nsec-websocket-key: KEY\r\n"), "{text}");
        assert!(text.ends_with("\r\nxi-api-key: k\r\n\r\n"), "{text}");
    }

    #[test]
    fn a_101_without_the_right_accept_key_is_refused() {
        let head = |accept: &str| {
            let text = format!(
                "HTTP/1.1 101 Switching Protocols\r\nUpgrade: websocket\r\n\
                 Connection: Upgrade\r\nSec-WebSocket-Accept: {accept}\r\n\r\n"
            );
            parse_head(text.as_bytes()).unwrap().unwrap()
        };
        let key = "dGhlIHNhbXBsZSBub25jZQ==";
        assert!(check_upgrade(&head("s3pPLMBiTxaQ9kYGzzhZRbK+xOo="), key).is_ok());
        let error = check_upgrade(&head("wrong"), key).unwrap_err();
        assert!(
            error.to_string().contains("sec-websocket-accept"),
            "{error}"
        );
    }
}
