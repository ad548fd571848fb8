//! The generated crate's type names: one type per value set.

#[path = "support/document.rs"]
mod document;

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

/// The types the generated operations take for `output_format`.
fn generated_output_format_types() -> BTreeSet<String> {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("generated/src/elevenlabs/operations");
    let pattern = regex::Regex::new(r"output_format: Option<types::(\w+)>").unwrap();
    let mut types = BTreeSet::new();
    for entry in std::fs::read_dir(dir).unwrap() {
        let text = std::fs::read_to_string(entry.unwrap().path()).unwrap();
        types.extend(pattern.captures_iter(&text).map(|c| c[1].to_owned()));
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
