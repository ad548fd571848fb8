//! Property-based fuzzing of the whole pipeline: random OpenAPI documents
//! (random names, nesting, references that may dangle or loop, unions,
//! `allOf`, parameters, bodies and responses) go through load -> model ->
//! naming -> emit -> format. Every document must give code or an error;
//! a panic fails the test and proptest shrinks it to a small document.
//!
//! The suite runs 256 cases; a long run is
//! `FUZZ_CASES=20000 cargo test --release -p generator --test integration fuzz -- --nocapture`
//! (docs/ROBUSTNESS.md has the figures). A stack overflow aborts the process
//! before proptest can shrink, so `FUZZ_DUMP=file` writes each document
//! before it runs: after an abort, the file holds the culprit.

use std::cell::Cell;
use std::path::Path;
use std::time::Instant;

use proptest::prelude::*;
use proptest::test_runner::{Config, TestRunner};
use serde_json::{json, Map, Value};

/// Names chosen to collide once converted to Rust, to be keywords, to
/// start with digits, or to be empty or non-ASCII.
const NAMES: &[&str] = &[
    "Voice",
    "voice",
    "VOICE",
    "a-b",
    "a_b",
    "A B",
    "type",
    "Self",
    "self",
    "crate",
    "123",
    "1a",
    "",
    "Ünïcode",
    "x.y",
    "Option",
    "String",
    "Result",
    "mod",
    "Client",
    "Error",
    "ErrorBody",
    "types",
    "Unknown",
    "_",
    "__",
    "$ref",
    "a/b",
    "~0",
];

fn name() -> impl Strategy<Value = String> {
    prop::sample::select(NAMES).prop_map(str::to_owned)
}

fn leaf_schema() -> impl Strategy<Value = Value> {
    prop_oneof![
        prop::sample::select(
            &["string", "integer", "number", "boolean", "null", "object", "array"][..]
        )
        .prop_map(|t| json!({"type": t})),
        prop::sample::select(&["date-time", "binary", "int32", "uint64", "float", "weird"][..])
            .prop_map(|f| json!({"type": "string", "format": f})),
        prop::collection::vec(name(), 0..4)
            .prop_map(|values| json!({"type": "string", "enum": values})),
        name().prop_map(|value| json!({"const": value})),
        name().prop_map(|target| json!({"$ref": format!("#/components/schemas/{target}")})),
        Just(json!({})),
        Just(json!({"type": ["string", "null"]})),
        Just(json!({"enum": [1, 2, 3]})),
    ]
}

fn schema() -> impl Strategy<Value = Value> {
    leaf_schema().prop_recursive(4, 48, 6, |inner| {
        prop_oneof![
            (
                prop::collection::btree_map(name(), inner.clone(), 0..5),
                prop::collection::vec(name(), 0..3)
            )
                .prop_map(|(properties, required)| {
                    json!({"type": "object", "properties": properties, "required": required})
                }),
            inner
                .clone()
                .prop_map(|items| json!({"type": "array", "items": items})),
            prop::collection::vec(inner.clone(), 1..4)
                .prop_map(|members| json!({"anyOf": members})),
            prop::collection::vec(inner.clone(), 1..4)
                .prop_map(|members| json!({"oneOf": members})),
            prop::collection::vec(inner.clone(), 1..3)
                .prop_map(|members| json!({"allOf": members})),
            inner
                .clone()
                .prop_map(|values| json!({"type": "object", "additionalProperties": values})),
            (inner.clone(), any::<bool>()).prop_map(|(mut schema, nullable)| {
                if let Some(object) = schema.as_object_mut() {
                    object.insert("nullable".into(), json!(nullable));
                }
                schema
            }),
            (prop::collection::vec(name(), 1..3), name()).prop_map(|(targets, property)| {
                let members: Vec<Value> = targets
                    .iter()
                    .map(|t| json!({"$ref": format!("#/components/schemas/{t}")}))
                    .collect();
                json!({"oneOf": members, "discriminator": {"propertyName": property}})
            }),
        ]
    })
}

fn parameter() -> impl Strategy<Value = Value> {
    (name(), prop::sample::select(&["path", "query", "header", "cookie"][..]), any::<bool>(), schema())
        .prop_map(|(name, location, required, schema)| {
            json!({"name": name, "in": location, "required": required, "schema": schema})
        })
}

fn content() -> impl Strategy<Value = Value> {
    (
        prop::sample::select(
            &[
                "application/json",
                "multipart/form-data",
                "audio/mpeg",
                "text/plain",
                "text/event-stream",
                "application/octet-stream",
            ][..],
        ),
        schema(),
    )
        .prop_map(|(media_type, schema)| json!({ media_type: {"schema": schema} }))
}

fn operation() -> impl Strategy<Value = Value> {
    (
        prop::option::of(name()),
        prop::collection::vec(name(), 0..2),
        prop::collection::vec(parameter(), 0..3),
        prop::option::of((content(), any::<bool>())),
        prop::collection::btree_map(
            prop::sample::select(&["200", "201", "204", "2XX", "400", "422", "default"][..]),
            prop::option::of(content()),
            1..3,
        ),
        prop::option::of(prop::collection::vec(name(), 1..3)),
    )
        .prop_map(|(operation_id, tags, parameters, body, responses, group)| {
            let mut op = Map::new();
            if let Some(id) = operation_id {
                op.insert("operationId".into(), json!(id));
            }
            op.insert("tags".into(), json!(tags));
            op.insert("parameters".into(), json!(parameters));
            if let Some((content, required)) = body {
                op.insert(
                    "requestBody".into(),
                    json!({"content": content, "required": required}),
                );
            }
            let responses: Map<String, Value> = responses
                .into_iter()
                .map(|(status, content)| {
                    let mut response = json!({"description": "r"});
                    if let Some(content) = content {
                        response["content"] = content;
                    }
                    (status.to_owned(), response)
                })
                .collect();
            op.insert("responses".into(), Value::Object(responses));
            if let Some(group) = group {
                op.insert("x-fern-sdk-group-name".into(), json!(group));
            }
            Value::Object(op)
        })
}

fn document() -> impl Strategy<Value = Value> {
    (
        prop::sample::select(&["3.0.3", "3.1.0"][..]),
        prop::collection::btree_map(name(), schema(), 0..6),
        prop::collection::btree_map(
            (name(), prop::option::of(name())).prop_map(|(a, b)| match b {
                Some(b) => format!("/{a}/{{{b}}}"),
                None => format!("/{a}"),
            }),
            prop::collection::btree_map(
                prop::sample::select(&["get", "post", "delete", "patch"][..]),
                operation(),
                1..3,
            ),
            0..4,
        ),
    )
        .prop_map(|(version, schemas, paths)| {
            json!({
                "openapi": version,
                "info": {"title": "Fuzz", "version": "1"},
                "paths": paths,
                "components": {"schemas": schemas},
            })
        })
}

/// The whole pipeline in memory, without rustfmt (prettyplease still
/// parses every emitted file with syn).
fn run_pipeline(document: &Value) -> Result<usize, generator::Error> {
    let bytes = serde_json::to_vec(document).expect("JSON");
    let loaded = generator::load::load_bytes(Path::new("fuzz.json"), &bytes)?;
    let model = generator::model::lower::build_model(&loaded)?;
    let names = generator::naming::assign_names(&model);
    let features = generator::naming::features::assign_features(&model, &names, "fuzz");
    let identity = generator::emit::ApiIdentity {
        name: "fuzz",
        module: "fuzz",
        krate: "fuzz",
        serde_impls: generator::emit::SerdeImpls::Runtime,
    };
    let mut files = generator::emit::emit_api(&model, &names, &features, &identity);
    files.extend(generator::emit::emit_indexes(
        &model, &names, &features, &identity,
    ));
    let count = files.len();
    for file in files {
        generator::write::format_file(file, "")?;
    }
    Ok(count)
}

#[test]
fn random_documents_give_code_or_an_error_never_a_panic() {
    let cases = std::env::var("FUZZ_CASES")
        .ok()
        .and_then(|n| n.parse().ok())
        .unwrap_or(256);
    let mut runner = TestRunner::new(Config {
        cases,
        failure_persistence: None,
        ..Config::default()
    });
    let started = Instant::now();
    let generated = Cell::new(0usize);
    let refused = Cell::new(0usize);
    runner
        .run(&document(), |document| {
            if let Some(dump) = std::env::var_os("FUZZ_DUMP") {
                std::fs::write(dump, serde_json::to_vec_pretty(&document).unwrap()).unwrap();
            }
            let counter = if run_pipeline(&document).is_ok() {
                &generated
            } else {
                &refused
            };
            counter.set(counter.get() + 1);
            Ok(())
        })
        .unwrap_or_else(|failure| panic!("{failure}"));
    let (generated, refused) = (generated.get(), refused.get());
    println!(
        "fuzz: {} documents in {:.1?}: {generated} generated, {refused} refused with an error, 0 panics",
        generated + refused,
        started.elapsed()
    );
    assert!(
        generated > 0,
        "the generator should accept some random documents"
    );
}
