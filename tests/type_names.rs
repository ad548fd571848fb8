//! The generated crate's type names: one type per value set.

use crate::support::document;

use std::collections::{BTreeMap, BTreeSet};
use std::path::Path;

use document::overlaid_document;
use serde_json::Value;

const METHODS: [&str; 5] = ["get", "put", "post", "delete", "patch"];

/// Each ElevenLabs operation's `output_format` parameter: the component it
/// refers to, or its inline values as a set.
fn output_format_value_sets(document: &Value) -> BTreeMap<String, BTreeSet<String>> {
    let mut sets = BTreeMap::new();
    for (path, item) in document["paths"].as_object().unwrap() {
        for method in METHODS {
            let Some(params) = item[method]["parameters"].as_array() else {
                continue;
            };
            for param in params {
                if param["name"] != "output_format" {
                    continue;
                }
                let schema = &param["schema"];
                let key = match schema["$ref"].as_str() {
                    Some(reference) => BTreeSet::from([reference.to_owned()]),
                    None => enum_values(schema),
                };
                sets.insert(format!("{method} {path}"), key);
            }
        }
    }
    sets
}

fn enum_values(schema: &Value) -> BTreeSet<String> {
    let direct = schema["enum"].as_array().into_iter().flatten();
    let members = ["anyOf", "oneOf"]
        .iter()
        .filter_map(|key| schema[key].as_array())
        .flatten()
        .filter_map(|member| member["enum"].as_array())
        .flatten();
    direct
        .chain(members)
        .filter_map(|v| v.as_str().map(str::to_owned))
        .collect()
}

/// The types the generated HTTP operations take for `output_format` (the
/// realtime channels' connect builders take the AsyncAPI document's own).
fn generated_output_format_types() -> BTreeSet<String> {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("generated/src/elevenlabs/operations");
    let pattern = regex::Regex::new(r"output_format: Option<types::(\w+)>").unwrap();
    let mut types = BTreeSet::new();
    for entry in std::fs::read_dir(dir).unwrap() {
        let text = std::fs::read_to_string(entry.unwrap().path()).unwrap();
        for builder in text.split("#[must_use = ") {
            if builder.starts_with("\"a channel is not opened") {
                continue;
            }
            types.extend(pattern.captures_iter(builder).map(|c| c[1].to_owned()));
        }
    }
    types
}

#[test]
fn output_format_has_one_type_per_distinct_value_set() {
    let sets = output_format_value_sets(&overlaid_document("elevenlabs"));
    let distinct: BTreeSet<_> = sets.values().collect();
    let types = generated_output_format_types();
    assert!(
        sets.len() >= 20,
        "the document has {} operations with output_format",
        sets.len()
    );
    assert_eq!(
        types.len(),
        distinct.len(),
        "{} operations with {} distinct value sets (components counted as one each) got the types {types:?}",
        sets.len(),
        distinct.len()
    );
    // Measured on the vendored document: one component, three inline sets.
    assert_eq!(types.len(), 4, "{types:?}");
}

/// Names the generator chooses itself are at most this long.
const MAX_TYPE_NAME: usize = 40;

/// The text of every Rust file of the generated crate.
fn generated_sources() -> Vec<String> {
    let mut texts = Vec::new();
    let mut pending = vec![Path::new(env!("CARGO_MANIFEST_DIR")).join("generated/src")];
    while let Some(dir) = pending.pop() {
        for entry in std::fs::read_dir(dir).unwrap() {
            let path = entry.unwrap().path();
            if path.is_dir() {
                pending.push(path);
            } else if path.extension().is_some_and(|e| e == "rs") {
                texts.push(std::fs::read_to_string(&path).unwrap());
            }
        }
    }
    texts
}

/// Every `pub struct`, `pub enum` and `pub type` name of the generated crate.
fn public_type_names() -> BTreeSet<String> {
    let pattern = regex::Regex::new(r"(?m)^\s*pub (?:struct|enum|type) (\w+)").unwrap();
    generated_sources()
        .iter()
        .flat_map(|text| {
            pattern
                .captures_iter(text)
                .map(|c| c[1].to_owned())
                .collect::<Vec<_>>()
        })
        .collect()
}

/// A name as letters and digits only, lower case: `Foo-Input` and
/// `FooInput` are the same name.
fn squashed(name: &str) -> String {
    name.chars()
        .filter(char::is_ascii_alphanumeric)
        .map(|c| c.to_ascii_lowercase())
        .collect()
}

/// The component names the documents spell, except FastAPI's `Body_*`.
fn document_spelled_names() -> BTreeSet<String> {
    ["elevenlabs", "tavus"]
        .into_iter()
        .flat_map(|api| {
            let document = overlaid_document(api);
            let schemas = document["components"]["schemas"].as_object().unwrap();
            schemas
                .keys()
                .filter(|name| !name.starts_with("Body_"))
                .map(|name| squashed(name))
                .collect::<Vec<_>>()
        })
        .collect()
}

#[test]
fn no_chosen_type_name_is_longer_than_forty_characters() {
    let names = public_type_names();
    assert!(names.len() > 2000, "{} public type names", names.len());
    let spelled = document_spelled_names();
    let long: Vec<&String> = names
        .iter()
        .filter(|name| name.len() > MAX_TYPE_NAME && !spelled.contains(&squashed(name)))
        .collect();
    assert!(
        long.is_empty(),
        "{} names over {MAX_TYPE_NAME}: {long:?}",
        long.len()
    );
    assert!(
        !names
            .iter()
            .any(|name| name.len() > 4 && name.starts_with("Body")),
        "a FastAPI body name is left"
    );
}

#[test]
fn no_type_or_variant_is_named_after_its_position() {
    let positional = regex::Regex::new(r"\bVariant\d+\b|\w+Variant\d+\b").unwrap();
    let found: Vec<String> = generated_sources()
        .iter()
        .flat_map(|text| {
            positional
                .find_iter(text)
                .map(|m| m.as_str().to_owned())
                .collect::<Vec<_>>()
        })
        .collect();
    assert!(found.is_empty(), "positional names: {found:?}");
}
