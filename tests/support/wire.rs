//! Reading what a client sent to a wiremock server: headers and multipart
//! parts.

use wiremock::Request;

/// A header the request must have, as text.
pub fn header<'a>(request: &'a Request, name: &str) -> &'a str {
    request
        .headers
        .get(name)
        .unwrap_or_else(|| panic!("no {name} header"))
        .to_str()
        .unwrap()
}

/// The parts of a `multipart/form-data` body, in order: each part's
/// headers as text and its content.
pub fn multipart_parts(request: &Request) -> Vec<(String, Vec<u8>)> {
    let content_type = header(request, "content-type");
    assert!(
        content_type.starts_with("multipart/form-data; boundary="),
        "{content_type}"
    );
    let boundary = content_type
        .split("boundary=")
        .nth(1)
        .expect("multipart boundary")
        .trim_matches('"');
    let delimiter = format!("--{boundary}");
    let body = &request.body;
    let positions: Vec<usize> = body
        .windows(delimiter.len())
        .enumerate()
        .filter(|(_, w)| *w == delimiter.as_bytes())
        .map(|(i, _)| i)
        .collect();
    positions
        .windows(2)
        .map(|pair| {
            let part = &body[pair[0] + delimiter.len() + 2..pair[1] - 2];
            let split = part
                .windows(4)
                .position(|w| w == b"\r\n\r\n")
                .expect("part headers end");
            let headers = String::from_utf8_lossy(&part[..split]).into_owned();
            (headers, part[split + 4..].to_vec())
        })
        .collect()
}
