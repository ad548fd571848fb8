//! Path parameters stay inside their segment (issue #13): every generated
//! operation with path parameters is called with `..`, `.` and an empty
//! string in each of its parameters in turn, and must refuse the
//! call with `Error::Request` naming the parameter before anything is sent.
//! With ordinary values, each operation's request reaches exactly its own
//! path: the template's segments, and each parameter as one segment that
//! decodes back to the value.

use crate::support::document;
use crate::support::minimal;

use api_clients::runtime::{BoxFuture, ClientBuilder, FromTransport};
use api_clients::{elevenlabs, tavus};
use api_clients_testing as indexes;
use document::overlaid_document;
use minimal::{client_args, minimal_args};
use percent_encoding::percent_decode_str;
use serde_json::Value;
use wiremock::matchers::any;
use wiremock::{Mock, MockServer, ResponseTemplate};

/// Values that URL parsing would turn into another path.
const ESCAPING_VALUES: [&str; 3] = ["..", ".", ""];

type Call<C> = for<'a> fn(&'a C, &str, &'a Value) -> Option<BoxFuture<'a, Result<(), String>>>;

struct Api<C: 'static> {
    name: &'static str,
    operations: &'static [&'static str],
    call: Call<C>,
}

/// What walking one API found.
#[derive(Debug, Default)]
struct Walk {
    operations: usize,
    parameters: usize,
    refused: usize,
}

async fn walk<C: FromTransport>(api: &Api<C>) -> Walk {
    let doc = overlaid_document(api.name);
    let server = MockServer::start().await;
    Mock::given(any())
        .respond_with(ResponseTemplate::new(404))
        .mount(&server)
        .await;
    let client = ClientBuilder::<C>::new()
        .api_key("path-test-key")
        .base_url(server.uri())
        .no_retries()
        .build()
        .expect("a client");
    let mut walk = Walk::default();
    for label in api.operations.iter().filter(|label| label.contains('{')) {
        let (method, path) = label.split_once(' ').expect("METHOD /path");
        let args = minimal_args(&doc, path, &method.to_lowercase());
        walk.operations += 1;
        for name in args.path.keys() {
            walk.parameters += 1;
            for value in ESCAPING_VALUES {
                let mut escaping = args.clone();
                escaping.path.insert(name.clone(), Value::from(value));
                let result = (api.call)(&client, label, &client_args(&escaping))
                    .expect("the index knows the operation")
                    .await;
                let error = result.expect_err(label);
                let expected = format!("path parameter `{name}`");
                assert!(
                    error.contains(&expected),
                    "{label} with {name} = {value:?}: {error}"
                );
                walk.refused += 1;
            }
        }
        let sent = server.received_requests().await.unwrap();
        assert!(sent.is_empty(), "{label}: {:?}", sent[0].url);

        (api.call)(&client, label, &client_args(&args))
            .expect("the index knows the operation")
            .await
            .expect_err("the server answers 404");
        let sent = server.received_requests().await.unwrap();
        assert_eq!(sent.len(), 1, "{label}");
        assert_eq!(sent[0].method.as_str(), method, "{label}");
        assert_path_matches(label, path, sent[0].url.path(), &args.path);
        server.reset().await;
        Mock::given(any())
            .respond_with(ResponseTemplate::new(404))
            .mount(&server)
            .await;
    }
    walk
}

/// `received` has the segments of `template`, each `{name}` one segment
/// that percent-decodes to the parameter's value.
fn assert_path_matches(
    label: &str,
    template: &str,
    received: &str,
    values: &serde_json::Map<String, Value>,
) {
    let expected: Vec<&str> = template.split('/').collect();
    let got: Vec<&str> = received.split('/').collect();
    assert_eq!(got.len(), expected.len(), "{label}: {received}");
    for (want, got) in expected.iter().zip(&got) {
        match want
            .strip_prefix('{')
            .and_then(|rest| rest.strip_suffix('}'))
        {
            Some(name) => {
                let decoded = percent_decode_str(got).decode_utf8().unwrap();
                let value = match &values[name] {
                    Value::String(text) => text.clone(),
                    other => other.to_string(),
                };
                assert_eq!(decoded, value, "{label}: {received}");
            }
            None => assert_eq!(want, got, "{label}: {received}"),
        }
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn no_elevenlabs_path_parameter_leaves_its_segment() {
    let api = Api::<elevenlabs::Client> {
        name: "elevenlabs",
        operations: indexes::elevenlabs::operation_index::OPERATIONS,
        call: indexes::elevenlabs::operation_index::call,
    };
    let walk = walk(&api).await;
    println!("{walk:#?}");
    assert!(walk.operations > 200, "{walk:?}");
    assert_eq!(walk.refused, 3 * walk.parameters, "{walk:?}");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn no_tavus_path_parameter_leaves_its_segment() {
    let api = Api::<tavus::Client> {
        name: "tavus",
        operations: indexes::tavus::operation_index::OPERATIONS,
        call: indexes::tavus::operation_index::call,
    };
    let walk = walk(&api).await;
    println!("{walk:#?}");
    assert_eq!(walk.operations, 23, "{walk:?}");
    assert_eq!(walk.parameters, 24, "{walk:?}");
    assert_eq!(walk.refused, 3 * walk.parameters, "{walk:?}");
}
