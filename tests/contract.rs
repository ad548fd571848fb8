//! Contract test: every operation of the generated ElevenLabs and Tavus
//! clients is called through `operation_index::call` with minimal valid
//! arguments, against Prism serving the very documents the clients are
//! generated from (the vendored document with the project's overlays).
//! Prism validates each request against the document and answers from it.
//! An operation passes when the typed call succeeds: Prism accepted the
//! request (2xx) and the whole answer decoded into the generated types
//! (binary bodies and event streams read to the end). A relay between the
//! client and Prism (`support::relay`) keeps Prism's violations for the
//! table.
//!
//! Needs the tools installed: `npm ci --prefix tools`. Run with
//! `cargo test --test end_to_end contract -- --nocapture` to see the table; see
//! docs/CONTRACT.md.

use crate::support;

use std::collections::BTreeSet;
use std::time::{Duration, Instant};

use api_clients::runtime::reqwest::{self, Method};
use api_clients::runtime::{BoxFuture, ClientBuilder, FromTransport};
use api_clients::{elevenlabs, tavus};
use api_clients_testing as indexes;
use futures_util::stream::{self, StreamExt};
use serde_json::{json, Value};
use support::document::overlaid_document;
use support::minimal::{client_args, minimal_args};
use support::prism::PrismServer;
use support::relay::Relay;

/// Requests in flight at once: Prism is single-threaded and the machine has
/// two cores.
const CONCURRENCY: usize = 4;
const METHODS: &[&str] = &[
    "get", "put", "post", "delete", "options", "head", "patch", "trace",
];
/// Sent as the API key: Prism checks that the header is present, not its value.
const API_KEY: &str = "contract-test-key";

/// `operation_index::call` of one API.
type Call<C> = for<'a> fn(&'a C, &str, &'a Value) -> Option<BoxFuture<'a, Result<(), String>>>;

struct Api<C: 'static> {
    /// The API's name in specs/apis.toml.
    name: &'static str,
    key_header: &'static str,
    /// `operation_index::OPERATIONS`.
    operations: &'static [&'static str],
    call: Call<C>,
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

/// The document's own examples that contradict their schemas, checked by
/// hand. Prism answers with them (static mode); the typed client rightly
/// refuses them.
const AGENT_EXAMPLE: &str = "the document's `example` of GetAgentResponseModel lacks the \
     required `conversation_config` and `metadata` (Prism 5.16 does not flag it)";
const MERGE_PREVIEW_EXAMPLE: &str = "the document's `example` of MergePreviewResponseModel lacks \
     the required `conversation_config` and `metadata` (Prism 5.16 does not flag it)";
const WEBHOOK_TOOL_EXAMPLE: &str = "the document's `example` of WebhookToolConfig-Output, \
     {\"response_timeout_secs\":20,\"type\":\"webhook\"}, lacks the required `name`, \
     `description` and `api_schema` (Prism builds `tool_config` from it and flags it)";
const COMPILE_EXAMPLE: &str = "the document's `example` of CompileProceduresResponseModel has \
     `workflow` = {\"edges\":[],\"nodes\":[]}: `edges` and `nodes` must be objects (`nodes` \
     with at least one property) and the required `prevent_subagent_loops` is missing \
     (Prism 5.16 does not flag it)";

const ELEVENLABS: Api<elevenlabs::Client> = Api {
    name: "elevenlabs",
    key_header: "xi-api-key",
    operations: indexes::elevenlabs::operation_index::OPERATIONS,
    call: indexes::elevenlabs::operation_index::call,
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
        KnownFailure {
            operation: "GET /v1/convai/agents/{agent_id}",
            shows: "at `.`: missing field `conversation_config`",
            why: AGENT_EXAMPLE,
        },
        KnownFailure {
            operation: "PATCH /v1/convai/agents/{agent_id}",
            shows: "at `.`: missing field `conversation_config`",
            why: AGENT_EXAMPLE,
        },
        KnownFailure {
            operation: "GET /v1/convai/agents/{agent_id}/branches/{source_branch_id}/merge-preview",
            shows: "at `.`: missing field `conversation_config`",
            why: MERGE_PREVIEW_EXAMPLE,
        },
        KnownFailure {
            operation: "GET /v1/convai/agents/{agent_id}/branches/{branch_id}/rebase-preview",
            shows: "at `.`: missing field `conversation_config`",
            why: MERGE_PREVIEW_EXAMPLE,
        },
        KnownFailure {
            operation: "POST /v1/convai/tools",
            shows: "at `tool_config`: missing field `name`",
            why: WEBHOOK_TOOL_EXAMPLE,
        },
        KnownFailure {
            operation: "GET /v1/convai/tools",
            shows: "at `tools[0].tool_config`: missing field `name`",
            why: WEBHOOK_TOOL_EXAMPLE,
        },
        KnownFailure {
            operation: "GET /v1/convai/tools/{tool_id}",
            shows: "at `tool_config`: missing field `name`",
            why: WEBHOOK_TOOL_EXAMPLE,
        },
        KnownFailure {
            operation: "PATCH /v1/convai/tools/{tool_id}",
            shows: "at `tool_config`: missing field `name`",
            why: WEBHOOK_TOOL_EXAMPLE,
        },
        KnownFailure {
            operation: "POST /v1/convai/agents/{agent_id}/branches/{branch_id}/procedures/compile",
            shows: "at `workflow.edges`: invalid type: sequence, expected a map",
            why: COMPILE_EXAMPLE,
        },
    ],
};

const TAVUS: Api<tavus::Client> = Api {
    name: "tavus",
    key_header: "x-api-key",
    operations: indexes::tavus::operation_index::OPERATIONS,
    call: indexes::tavus::operation_index::call,
    known_failures: &[],
};

#[test]
fn every_elevenlabs_operation_works_against_prism() {
    check_api(&ELEVENLABS);
}

#[test]
fn every_tavus_operation_works_against_prism() {
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
    /// The call's error, if any.
    error: Option<String>,
    /// Prism's findings on the request and on its own answer (the
    /// document's example against its schema), each `location: message; ...`.
    request_violations: String,
    response_violations: String,
    /// The arguments given to `call`.
    sent: Value,
}

impl Outcome {
    fn passed(&self) -> bool {
        self.error.is_none()
    }

    /// Why it failed: the client's error and what Prism found in the request.
    fn reason(&self) -> String {
        let error = self.error.as_deref().unwrap_or_default();
        match self.request_violations.as_str() {
            "" => error.to_string(),
            found => format!("{error} [Prism: {found}]"),
        }
    }
}

fn check_api<C: FromTransport>(api: &Api<C>) {
    let doc = overlaid_document(api.name);
    let operations = operations(&doc);
    assert_covers_the_generated_client(api, &operations);
    let dir = tempfile::tempdir().expect("a temp dir for the document");
    let spec = dir.path().join(format!("{}.json", api.name));
    let json = serde_json::to_vec(&doc).expect("the document encodes");
    std::fs::write(&spec, json).expect("the overlaid document is written");
    let prism = PrismServer::start(&spec);
    let runtime = tokio::runtime::Runtime::new().expect("a tokio runtime");
    let http = http_client().build().expect("an HTTP client");
    runtime.block_on(assert_prism_checks_requests(
        &http,
        &doc,
        &prism.base_url(),
        api.key_header,
        &operations,
    ));
    let started = Instant::now();
    let outcomes = runtime.block_on(call_all(api, &doc, prism.port(), &operations));
    print_report(api, &outcomes, prism.started_in(), started.elapsed());
    assert_only_known_failures(api, &outcomes);
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

/// The document's operations are exactly the generated client's.
fn assert_covers_the_generated_client<C>(api: &Api<C>, operations: &[Operation]) {
    let in_document: BTreeSet<String> = operations.iter().map(Operation::label).collect();
    let generated: BTreeSet<String> = api.operations.iter().map(|o| o.to_string()).collect();
    assert_eq!(in_document.len(), operations.len(), "duplicate operations");
    assert_eq!(
        generated.len(),
        api.operations.len(),
        "duplicate OPERATIONS"
    );
    let missing: Vec<_> = in_document.difference(&generated).collect();
    let extra: Vec<_> = generated.difference(&in_document).collect();
    assert!(
        missing.is_empty() && extra.is_empty(),
        "{}: operations not generated: {missing:?}; generated but not in the document: {extra:?}",
        api.name
    );
}

/// Without this, a Prism that stopped validating would make every operation
/// pass: a body lacking its required properties must get 422 with the
/// violations, and a request without the API key must get 401. Sent with
/// plain reqwest, as this checks Prism, not the client.
async fn assert_prism_checks_requests(
    http: &reqwest::Client,
    doc: &Value,
    base: &str,
    key_header: &str,
    operations: &[Operation],
) {
    let (operation, args) = operations
        .iter()
        .map(|o| (o, minimal_args(doc, &o.path, &o.method)))
        .find(|(_, args)| {
            args.path.is_empty()
                && args.query.is_empty()
                && args.header.is_empty()
                && args.content_type.as_deref() == Some("application/json")
                && args.body.as_object().is_some_and(|body| !body.is_empty())
        })
        .expect("an operation with a JSON body and no parameters");
    let label = operation.label();
    let method = Method::from_bytes(operation.method.to_uppercase().as_bytes()).expect("a method");
    let url = format!("{base}{}", operation.path);
    let send = |body: &Value, key: Option<&str>| {
        let mut request = http
            .request(method.clone(), &url)
            .header("content-type", "application/json")
            .body(serde_json::to_vec(body).expect("JSON encodes"));
        if let Some(key) = key {
            request = request.header(key_header, key);
        }
        request.send()
    };

    let response = send(&json!({}), Some(API_KEY))
        .await
        .expect("Prism answers");
    let status = response.status().as_u16();
    let header = header_text(&response, "sl-violations");
    let body = response.bytes().await.expect("Prism's answer");
    let (found, _) = violations(&header, &body);
    assert!(
        status == 422 && !found.is_empty(),
        "{label} with an empty JSON body must be rejected with violations, got {status}: {}",
        String::from_utf8_lossy(&body)
    );
    println!("Prism rejects {label} with an empty body (422): {found}");

    let response = send(&args.body, None).await.expect("Prism answers");
    let status = response.status().as_u16();
    assert_eq!(status, 401, "{label} without {key_header} must get 401");
    println!("Prism rejects {label} without {key_header} (401)");
}

async fn call_all<C: FromTransport>(
    api: &Api<C>,
    doc: &Value,
    prism_port: u16,
    operations: &[Operation],
) -> Vec<Outcome> {
    let relay = Relay::start(prism_port).await;
    let base = relay.base_url();
    let mut outcomes: Vec<Outcome> = stream::iter(operations)
        .map(|operation| call(api, &base, doc, operation))
        .buffered(CONCURRENCY)
        .collect()
        .await;
    relay.wait_idle().await;
    for outcome in &mut outcomes {
        let answer = relay.answer(&user_agent(&outcome.operation));
        let (request, response) = violations(&answer.violations, &answer.problem);
        outcome.request_violations = request;
        outcome.response_violations = response;
    }
    outcomes
}

/// The HTTP client of every call: one connection per request, so the relay
/// can tell them apart.
fn http_client() -> reqwest::ClientBuilder {
    reqwest::Client::builder()
        .no_proxy()
        .pool_max_idle_per_host(0)
}

async fn call<C: FromTransport>(
    api: &Api<C>,
    base: &str,
    doc: &Value,
    operation: &Operation,
) -> Outcome {
    let label = operation.label();
    let args = client_args(&minimal_args(doc, &operation.path, &operation.method));
    let client = ClientBuilder::<C>::new()
        .api_key(API_KEY)
        .base_url(base)
        .user_agent(user_agent(&label))
        .no_retries()
        .timeout(Duration::from_secs(60))
        .http_client(http_client())
        .build()
        .expect("a client");
    let result = match (api.call)(&client, &label, &args) {
        Some(future) => future.await,
        None => Err("operation_index::call does not know it".to_string()),
    };
    Outcome {
        operation: label,
        error: result.err(),
        request_violations: String::new(),
        response_violations: String::new(),
        sent: args,
    }
}

/// Each request names its operation, for the relay.
fn user_agent(operation: &str) -> String {
    format!("contract-test {operation}")
}

/// The minimal arguments as `call` takes them: files (sampled as strings)
/// become byte arrays.
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

fn plain_text(value: &Value) -> String {
    match value {
        Value::String(text) => text.clone(),
        other => other.to_string(),
    }
}

fn excerpt(text: &str) -> String {
    let one_line = text.replace('\n', " ");
    match one_line.char_indices().nth(400) {
        Some((end, _)) => format!("{}...", &one_line[..end]),
        None => one_line,
    }
}

fn known_failure<'a, C>(api: &'a Api<C>, operation: &str) -> Option<&'a KnownFailure> {
    api.known_failures.iter().find(|k| k.operation == operation)
}

fn print_report<C>(api: &Api<C>, outcomes: &[Outcome], startup: Duration, requests: Duration) {
    let width = outcomes
        .iter()
        .map(|o| o.operation.len())
        .max()
        .unwrap_or(0);
    println!(
        "\n{}: {} operations against Prism",
        api.name,
        outcomes.len()
    );
    println!("{:width$}  result  detail", "operation");
    for outcome in outcomes {
        let known = known_failure(api, &outcome.operation);
        let result = match (outcome.passed(), known) {
            (true, _) => "pass",
            (false, Some(_)) => "known",
            (false, None) => "FAIL",
        };
        let detail = if outcome.passed() {
            String::new()
        } else {
            excerpt(&outcome.reason())
        };
        println!("{:width$}  {result:6}  {detail}", outcome.operation);
        if !outcome.passed() {
            println!(
                "{:width$}  sent: {}",
                "",
                excerpt(&outcome.sent.to_string())
            );
        }
        if let (false, Some(known)) = (outcome.passed(), known) {
            println!("{:width$}  known: {}", "", known.why);
        }
        if !outcome.response_violations.is_empty() {
            println!(
                "{:width$}  Prism: the answer violates its schema: {}",
                "",
                excerpt(&outcome.response_violations)
            );
        }
    }
    let passed = outcomes.iter().filter(|o| o.passed()).count();
    let known = outcomes
        .iter()
        .filter(|o| !o.passed() && known_failure(api, &o.operation).is_some())
        .count();
    println!(
        "{}: {passed} of {} operations passed, {} failed ({known} of them known exceptions); \
         Prism started in {startup:.1?}, calls took {requests:.1?}",
        api.name,
        outcomes.len(),
        outcomes.len() - passed,
    );
}

fn assert_only_known_failures<C>(api: &Api<C>, outcomes: &[Outcome]) {
    let expected = |o: &Outcome| {
        known_failure(api, &o.operation).is_some_and(|known| o.reason().contains(known.shows))
    };
    let unexpected: Vec<String> = outcomes
        .iter()
        .filter(|o| !o.passed() && !expected(o))
        .map(|o| format!("{}: {}", o.operation, o.reason()))
        .collect();
    let stale: Vec<&str> = api
        .known_failures
        .iter()
        .map(|known| known.operation)
        .filter(|known| {
            !outcomes
                .iter()
                .any(|o| o.operation == *known && !o.passed())
        })
        .collect();
    assert!(
        unexpected.is_empty(),
        "{} operations failed unexpectedly:\n{}",
        unexpected.len(),
        unexpected.join("\n")
    );
    assert!(
        stale.is_empty(),
        "known failures that no longer fail (remove them): {stale:?}"
    );
}
