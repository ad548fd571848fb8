//! Contract test with raw HTTP: every operation of the ElevenLabs and Tavus
//! documents is called with minimal valid arguments against Prism, a mock
//! server that validates each request against the document. An operation
//! passes when Prism answers 2xx (the request was valid) with a body that
//! parses as the content type it declares.
//!
//! Needs the tools installed: `npm ci --prefix tools`. Run with
//! `cargo test --test contract_raw -- --nocapture` to see the table.

mod support;

use std::path::Path;
use std::time::{Duration, Instant};

use futures_util::stream::{self, StreamExt};
use percent_encoding::{utf8_percent_encode, AsciiSet, NON_ALPHANUMERIC};
use reqwest::multipart::{Form, Part};
use reqwest::{Client, Method, RequestBuilder};
use serde_json::Value;
use support::minimal::{minimal_args, MinimalArgs};
use support::prism::PrismServer;

/// Requests in flight at once: Prism is single-threaded and the machine has
/// two cores.
const CONCURRENCY: usize = 4;
const METHODS: &[&str] = &[
    "get", "put", "post", "delete", "options", "head", "patch", "trace",
];
/// Sent as the API key: Prism checks that the header is present, not its value.
const API_KEY: &str = "contract-test-key";
/// Everything but RFC 3986 unreserved characters is escaped in a path segment.
const PATH_SEGMENT: &AsciiSet = &NON_ALPHANUMERIC
    .remove(b'-')
    .remove(b'.')
    .remove(b'_')
    .remove(b'~');

struct Api {
    spec: &'static str,
    key_header: &'static str,
    operations: usize,
    known_failures: &'static [KnownFailure],
}

/// An operation that cannot pass, with the text its failure must show (so it
/// cannot start failing for another reason unnoticed) and why. The test also
/// fails when one of these starts passing, so the list stays true.
struct KnownFailure {
    operation: &'static str,
    shows: &'static str,
    why: &'static str,
}

/// Prism validates the request first (an invalid one would get 422), then
/// cannot build the 200: the media type has neither schema nor example, and
/// Prism 5.16 only serialises an absent body for JSON, XML and text types.
const NO_BINARY_BODY: &str = "200 declares a binary media type with no schema and no example: \
     Prism 5.16 accepts the request, then fails to serialise an empty mock body (500)";
/// Prism keeps one string per multipart field (the last part wins) and
/// coerces scalars only, never a string into an array.
const MULTIPART_ARRAY: &str = "required array of files in multipart/form-data: Prism 5.16 reads \
     each multipart field as a single string and does not coerce it to an array";

const ELEVENLABS: Api = Api {
    spec: "elevenlabs.yaml",
    key_header: "xi-api-key",
    operations: 387,
    known_failures: &[
        KnownFailure {
            operation: "POST /v1/audio-isolation",
            shows: "Cannot find serializer for audio/mpeg",
            why: NO_BINARY_BODY,
        },
        KnownFailure {
            operation: "POST /v1/audio-isolation/stream",
            shows: "Cannot find serializer for audio/mpeg",
            why: NO_BINARY_BODY,
        },
        KnownFailure {
            operation: "GET /v1/voices/{voice_id}/samples/{sample_id}/audio",
            shows: "Cannot find serializer for audio/*",
            why: NO_BINARY_BODY,
        },
        KnownFailure {
            operation: "GET /v1/convai/conversations/{conversation_id}/audio",
            shows: "Cannot find serializer for audio/mpeg",
            why: NO_BINARY_BODY,
        },
        KnownFailure {
            operation: "POST /v1/voices/add",
            shows: "body.files: Request body property files must be array",
            why: MULTIPART_ARRAY,
        },
        KnownFailure {
            operation: "POST /v1/music/video-to-music",
            shows: "body.videos: Request body property videos must be array",
            why: MULTIPART_ARRAY,
        },
        KnownFailure {
            operation: "POST /v1/voices/pvc/{voice_id}/samples",
            shows: "body.files: Request body property files must be array",
            why: MULTIPART_ARRAY,
        },
        KnownFailure {
            operation: "POST /v1/voices/pvc/{voice_id}/verification",
            shows: "body.files: Request body property files must be array",
            why: MULTIPART_ARRAY,
        },
    ],
};

const TAVUS: Api = Api {
    spec: "tavus.yaml",
    key_header: "x-api-key",
    operations: 37,
    known_failures: &[],
};

#[test]
fn every_elevenlabs_operation_is_accepted_by_prism() {
    check_api(&ELEVENLABS);
}

#[test]
fn every_tavus_operation_is_accepted_by_prism() {
    check_api(&TAVUS);
}

struct Operation {
    method: String,
    path: String,
}

impl Operation {
    fn label(&self) -> String {
        format!("{} {}", self.method.to_uppercase(), self.path)
    }
}

struct Outcome {
    operation: String,
    status: Option<u16>,
    passed: bool,
    /// Why it failed, or what was received when it passed.
    detail: String,
    /// Prism's complaints about its own response (the document's examples
    /// against its schemas): reported, never failing the test.
    response_violations: String,
    /// The minimal arguments, shown for failures.
    sent: Value,
}

fn check_api(api: &Api) {
    let spec = Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("../shared/specs")
        .join(api.spec);
    let doc = load(&spec);
    let operations = operations(&doc);
    assert_eq!(
        operations.len(),
        api.operations,
        "operations in {}",
        api.spec
    );
    let prism = PrismServer::start(&spec);
    let client = Client::builder()
        .no_proxy()
        .timeout(Duration::from_secs(60))
        // Prism (node) closes idle keep-alive connections after 5 s; reusing
        // one just as it closes fails the request.
        .pool_idle_timeout(Duration::from_secs(2))
        .build()
        .expect("an HTTP client");
    let runtime = tokio::runtime::Runtime::new().expect("a tokio runtime");
    let base = prism.base_url();
    runtime.block_on(assert_prism_rejects_invalid_requests(
        &client,
        &doc,
        &base,
        api,
        &operations,
    ));
    let started = Instant::now();
    let outcomes = runtime.block_on(call_all(&client, &doc, &base, api, &operations));
    print_report(api, &outcomes, prism.started_in(), started.elapsed());
    assert_only_known_failures(api, &outcomes);
}

fn load(spec: &Path) -> Value {
    let text = std::fs::read_to_string(spec)
        .unwrap_or_else(|e| panic!("cannot read {}: {e}", spec.display()));
    serde_yaml_ng::from_str(&text).expect("the vendored document parses")
}

fn operations(doc: &Value) -> Vec<Operation> {
    let paths = doc["paths"].as_object().expect("the document has paths");
    paths
        .iter()
        .flat_map(|(path, item)| {
            let methods = item.as_object().into_iter().flat_map(|m| m.keys());
            methods
                .filter(|method| METHODS.contains(&method.as_str()))
                .map(move |method| Operation {
                    method: method.clone(),
                    path: path.clone(),
                })
        })
        .collect()
}

/// Without this, a Prism that stopped validating would make every operation
/// pass: a body lacking its required properties must get 422 with the
/// violations, and where the document requires an API key, a request
/// without one must get 401.
async fn assert_prism_rejects_invalid_requests(
    client: &Client,
    doc: &Value,
    base: &str,
    api: &Api,
    operations: &[Operation],
) {
    let (operation, args) = operations
        .iter()
        .map(|operation| {
            (
                operation,
                minimal_args(doc, &operation.path, &operation.method),
            )
        })
        .find(|(_, args)| {
            args.content_type.as_deref() == Some("application/json")
                && args.body.as_object().is_some_and(|body| !body.is_empty())
        })
        .expect("an operation with a JSON body");
    let empty_body = MinimalArgs {
        body: serde_json::json!({}),
        ..args.clone()
    };
    let request = build_request(client, base, operation, &empty_body).expect("a request");
    let response = request.header(api.key_header, API_KEY).send().await;
    let response = response.expect("Prism answers");
    let status = response.status().as_u16();
    let header = header_text(&response, "sl-violations");
    let body = response.bytes().await.expect("Prism's answer");
    let (request_violations, _) = violations(&header, &body);
    assert!(
        status == 422 && !request_violations.is_empty(),
        "{} with an empty JSON body must be rejected with violations, got {status}: {}",
        operation.label(),
        String::from_utf8_lossy(&body)
    );
    println!(
        "{}: Prism rejects {} with an empty body: {request_violations}",
        api.spec,
        operation.label()
    );
    if doc.get("security").is_some() {
        let request = build_request(client, base, operation, &args).expect("a request");
        let status = request.send().await.expect("Prism answers").status();
        assert_eq!(
            status.as_u16(),
            401,
            "{} without {}",
            operation.label(),
            api.key_header
        );
        println!(
            "{}: Prism rejects {} without {} (401)",
            api.spec,
            operation.label(),
            api.key_header
        );
    }
}

async fn call_all(
    client: &Client,
    doc: &Value,
    base: &str,
    api: &Api,
    operations: &[Operation],
) -> Vec<Outcome> {
    stream::iter(operations)
        .map(|operation| call(client, doc, base, api.key_header, operation))
        .buffered(CONCURRENCY)
        .collect()
        .await
}

async fn call(
    client: &Client,
    doc: &Value,
    base: &str,
    key_header: &str,
    operation: &Operation,
) -> Outcome {
    let args = minimal_args(doc, &operation.path, &operation.method);
    let outcome = |status, passed, detail: String, response_violations| Outcome {
        operation: operation.label(),
        status,
        passed,
        detail,
        response_violations,
        sent: args.to_json(),
    };
    let request = match build_request(client, base, operation, &args) {
        Ok(request) => request.header(key_header, API_KEY),
        Err(reason) => return outcome(None, false, reason, String::new()),
    };
    let response = match request.send().await {
        Ok(response) => response,
        Err(e) => return outcome(None, false, error_chain(&e), String::new()),
    };
    let status = response.status().as_u16();
    let header = header_text(&response, "sl-violations");
    let content_type = header_text(&response, "content-type");
    let body = match response.bytes().await {
        Ok(body) => body,
        Err(e) => return outcome(Some(status), false, format!("body: {e}"), String::new()),
    };
    let success = (200..300).contains(&status);
    let problem = if success { &[][..] } else { &body[..] };
    let (request_violations, response_violations) = violations(&header, problem);
    let verdict = if success {
        let declared = declared_content_types(doc, operation, status);
        check_body(&declared, &content_type, &body)
    } else if request_violations.is_empty() {
        Err(format!(
            "{status}: {}",
            excerpt(&String::from_utf8_lossy(&body))
        ))
    } else {
        Err(request_violations)
    };
    match verdict {
        Ok(received) => outcome(Some(status), true, received, response_violations),
        Err(reason) => outcome(Some(status), false, reason, response_violations),
    }
}

fn build_request(
    client: &Client,
    base: &str,
    operation: &Operation,
    args: &MinimalArgs,
) -> Result<RequestBuilder, String> {
    let method = Method::from_bytes(operation.method.to_uppercase().as_bytes())
        .map_err(|e| format!("method: {e}"))?;
    let url = format!("{base}{}", fill_path(&operation.path, args));
    let mut request = client.request(method, url).query(&query_pairs(args));
    for (name, value) in &args.header {
        request = request.header(name, plain_text(value));
    }
    Ok(match args.content_type.as_deref() {
        None => request,
        Some(json) if json.contains("json") => request
            .header("content-type", json)
            .body(serde_json::to_vec(&args.body).expect("JSON encodes")),
        Some("multipart/form-data") => request.multipart(multipart_form(args)),
        Some(other) => return Err(format!("request content type {other} not supported")),
    })
}

fn fill_path(template: &str, args: &MinimalArgs) -> String {
    args.path
        .iter()
        .fold(template.to_string(), |path, (name, value)| {
            let segment = utf8_percent_encode(&plain_text(value), PATH_SEGMENT).to_string();
            path.replace(&format!("{{{name}}}"), &segment)
        })
}

/// Query parameters in the default style (`form`, exploded): an array
/// repeats its name.
fn query_pairs(args: &MinimalArgs) -> Vec<(String, String)> {
    args.query
        .iter()
        .flat_map(|(name, value)| {
            let values = match value {
                Value::Array(items) => items.clone(),
                single => vec![single.clone()],
            };
            values
                .into_iter()
                .map(move |v| (name.clone(), plain_text(&v)))
        })
        .collect()
}

/// One part per property (one per item for arrays); files are small byte
/// parts with a filename, objects are sent as JSON text.
fn multipart_form(args: &MinimalArgs) -> Form {
    let mut form = Form::new();
    for (name, value) in args.body.as_object().into_iter().flatten() {
        let values = match value {
            Value::Array(items) => items.clone(),
            Value::Null => Vec::new(),
            single => vec![single.clone()],
        };
        for value in values {
            form = if args.files.contains(name) {
                form.part(name.clone(), file_part())
            } else {
                form.text(name.clone(), plain_text(&value))
            };
        }
    }
    form
}

fn file_part() -> Part {
    Part::bytes(b"contract test file".to_vec())
        .file_name("sample.mp3")
        .mime_str("application/octet-stream")
        .expect("a valid MIME type")
}

fn error_chain(error: &dyn std::error::Error) -> String {
    let mut text = format!("request failed: {error}");
    let mut source = error.source();
    while let Some(cause) = source {
        text.push_str(&format!(": {cause}"));
        source = cause.source();
    }
    text
}

fn plain_text(value: &Value) -> String {
    match value {
        Value::String(text) => text.clone(),
        other => other.to_string(),
    }
}

fn header_text(response: &reqwest::Response, name: &str) -> String {
    response
        .headers()
        .get(name)
        .map(|v| String::from_utf8_lossy(v.as_bytes()).into_owned())
        .unwrap_or_default()
}

/// Prism's validation findings as (request, response) descriptions, each
/// `location: message; ...`. They come in the `sl-violations` header, whose
/// locations start with `request` or `response`; when the document declares
/// no 422, Prism answers its own problem+json listing the request's in
/// `validation` instead: pass that error body as `problem`.
fn violations(header: &str, problem: &[u8]) -> (String, String) {
    let list = |value: Value| value.as_array().cloned().unwrap_or_default();
    let mut findings: Vec<(String, String)> = serde_json::from_str(header)
        .map(list)
        .unwrap_or_default()
        .iter()
        .map(|v| (plain_text(&v["location"][0]), describe_violation(v, 1)))
        .collect();
    if let Ok(problem) = serde_json::from_slice::<Value>(problem) {
        let listed = list(problem["validation"].clone());
        let described = listed.iter().map(|v| describe_violation(v, 0));
        findings.extend(described.map(|text| ("request".to_string(), text)));
    }
    let on = |side: &str| {
        let texts: Vec<&str> = findings
            .iter()
            .filter(|(s, _)| s == side)
            .map(|(_, text)| text.as_str())
            .collect();
        texts.join("; ")
    };
    (on("request"), on("response"))
}

fn describe_violation(violation: &Value, skip: usize) -> String {
    let location: Vec<String> = violation["location"]
        .as_array()
        .into_iter()
        .flatten()
        .skip(skip)
        .map(plain_text)
        .collect();
    format!(
        "{}: {}",
        location.join("."),
        plain_text(&violation["message"])
    )
}

/// The media types the document declares for this status of the operation.
fn declared_content_types(doc: &Value, operation: &Operation, status: u16) -> Vec<String> {
    let responses = &doc["paths"][&operation.path][&operation.method]["responses"];
    let response = [status.to_string(), "2XX".to_string(), "default".to_string()]
        .iter()
        .find_map(|code| responses.get(code))
        .map(|r| support::minimal::resolve(doc, r));
    response
        .and_then(|r| r["content"].as_object())
        .map(|content| content.keys().cloned().collect())
        .unwrap_or_default()
}

/// A 2xx body must be of a declared media type and parse as it: JSON as
/// JSON, text as UTF-8; binary types take any bytes. No declared content
/// means no body.
fn check_body(declared: &[String], content_type: &str, body: &[u8]) -> Result<String, String> {
    let received = format!("{} bytes {content_type}", body.len());
    if declared.is_empty() {
        return match body.is_empty() {
            true => Ok("empty body".to_string()),
            false => Err(format!("no content declared, got {received}")),
        };
    }
    let essence = content_type
        .split(';')
        .next()
        .unwrap_or_default()
        .trim()
        .to_ascii_lowercase();
    if !declared.iter().any(|d| media_type_matches(d, &essence)) {
        return Err(format!("got {received}, declared {}", declared.join(", ")));
    }
    if essence.ends_with("json") {
        serde_json::from_slice::<Value>(body)
            .map_err(|e| format!("{received}: invalid JSON: {e}"))?;
    } else if essence.starts_with("text/") {
        std::str::from_utf8(body).map_err(|e| format!("{received}: not UTF-8: {e}"))?;
    }
    Ok(received)
}

fn media_type_matches(declared: &str, actual: &str) -> bool {
    match declared.strip_suffix("/*") {
        Some(family) => actual.starts_with(&format!("{family}/")),
        None => declared == "*/*" || declared.eq_ignore_ascii_case(actual),
    }
}

fn excerpt(text: &str) -> String {
    let one_line = text.replace('\n', " ");
    match one_line.char_indices().nth(300) {
        Some((end, _)) => format!("{}...", &one_line[..end]),
        None => one_line,
    }
}

fn known_failure<'a>(api: &'a Api, operation: &str) -> Option<&'a KnownFailure> {
    api.known_failures.iter().find(|k| k.operation == operation)
}

fn print_report(api: &Api, outcomes: &[Outcome], startup: Duration, requests: Duration) {
    let width = outcomes
        .iter()
        .map(|o| o.operation.len())
        .max()
        .unwrap_or(0);
    println!(
        "\n{}: {} operations against Prism",
        api.spec,
        outcomes.len()
    );
    println!("{:width$}  status  result  detail", "operation");
    for outcome in outcomes {
        let status = outcome.status.map_or("-".to_string(), |s| s.to_string());
        let result = match (outcome.passed, known_failure(api, &outcome.operation)) {
            (true, _) => "pass",
            (false, Some(_)) => "known",
            (false, None) => "FAIL",
        };
        println!(
            "{:width$}  {status:6}  {result:6}  {}",
            outcome.operation, outcome.detail
        );
        if !outcome.passed {
            println!("{:width$}  sent: {}", "", outcome.sent);
        }
        if let (false, Some(known)) = (outcome.passed, known_failure(api, &outcome.operation)) {
            println!("{:width$}  known: {}", "", known.why);
        }
        if !outcome.response_violations.is_empty() {
            println!(
                "{:width$}  response violates its schema: {}",
                "",
                excerpt(&outcome.response_violations)
            );
        }
    }
    let passed = outcomes.iter().filter(|o| o.passed).count();
    println!(
        "{}: {passed} of {} operations accepted, {} not; Prism started in {:.1?}, requests took {:.1?}",
        api.spec,
        outcomes.len(),
        outcomes.len() - passed,
        startup,
        requests
    );
}

fn assert_only_known_failures(api: &Api, outcomes: &[Outcome]) {
    let expected = |o: &Outcome| {
        known_failure(api, &o.operation).is_some_and(|known| o.detail.contains(known.shows))
    };
    let unexpected: Vec<String> = outcomes
        .iter()
        .filter(|o| !o.passed && !expected(o))
        .map(|o| format!("{}: {}", o.operation, o.detail))
        .collect();
    let stale: Vec<&str> = api
        .known_failures
        .iter()
        .map(|known| known.operation)
        .filter(|known| !outcomes.iter().any(|o| o.operation == *known && !o.passed))
        .collect();
    assert!(
        unexpected.is_empty(),
        "{} operations rejected unexpectedly:\n{}",
        unexpected.len(),
        unexpected.join("\n")
    );
    assert!(
        stale.is_empty(),
        "known failures that no longer fail (remove them): {stale:?}"
    );
}
