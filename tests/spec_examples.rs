//! Every schema-level `example`/`examples` value in the vendored ElevenLabs
//! document decodes into its generated type and encodes back to equal JSON.
//!
//! The document is read from `../shared/specs` at test time (it is never
//! copied into the repository). Equality is modulo these normalizations:
//! - numbers compare by value (`1` equals `1.0`; `f32` fields to 1e-6);
//! - `date-time` strings compare as instants (`Z` equals `+00:00`, and an
//!   offset-less timestamp is UTC);
//! - properties the schema does not declare are dropped by the struct, so
//!   keys missing from the re-encoded object are allowed when the example
//!   had them (they are counted and printed);
//! - a `const` property the example left out is written back with its
//!   value, and a required nullable one as `null`, so extra keys holding a
//!   string or `null` are allowed;
//! - `date-time` values without an offset are read as UTC.
//!
//! Examples that contradict their own schema are listed in
//! `CONTRADICTING` with the reason, and the test checks that they still do.

use crate::support::normalized;

use std::collections::BTreeMap;
use std::path::Path;

use api_clients_testing::elevenlabs::schema_index::round_trip_example;
use serde_json::Value;

/// Examples that do not match the schema they stand in, by pointer, with
/// what is wrong with them.
const CONTRADICTING: &[(&str, &str)] = &[
    (
        "/components/schemas/Body_Add_a_pronunciation_dictionary_v1_pronunciation_dictionaries_add_from_rules_post/properties/rules",
        "a string holding Python-literal text where the schema declares an array of rules",
    ),
    (
        "/components/schemas/Body_Add_rules_to_the_pronunciation_dictionary_v1_pronunciation_dictionaries__pronunciation_dictionary_id__add_rules_post/properties/rules",
        "a string holding Python-literal text where the schema declares an array of rules",
    ),
    (
        "/components/schemas/Body_Create_PVC_voice_v1_voices_pvc_post/properties/labels",
        "a JSON-encoded string where the schema declares an object of labels",
    ),
    (
        "/components/schemas/Body_Create_Pronunciation_Dictionaries_v1_studio_projects__project_id__pronunciation_dictionaries_post/properties/pronunciation_dictionary_locators",
        "items are JSON-encoded strings where the schema declares locator objects",
    ),
    (
        "/components/schemas/Body_Create_Studio_project_v1_studio_projects_post/properties/callback_url",
        "an array where the schema declares a string",
    ),
    (
        "/components/schemas/Body_Create_podcast_v1_studio_podcasts_post/properties/callback_url",
        "an array where the schema declares a string",
    ),
    (
        "/components/schemas/Body_Edit_PVC_voice_v1_voices_pvc__voice_id__post/properties/labels",
        "a JSON-encoded string where the schema declares an object of labels",
    ),
    (
        "/components/schemas/Body_Invite_multiple_users_v1_workspace_invites_add_bulk_post/properties/emails",
        "a single string where the schema declares an array",
    ),
    (
        "/components/schemas/Body_Remove_rules_from_the_pronunciation_dictionary_v1_pronunciation_dictionaries__pronunciation_dictionary_id__remove_rules_post/properties/rule_strings",
        "a string holding a Python list where the schema declares an array",
    ),
    (
        "/components/schemas/Body_Set_rules_on_the_pronunciation_dictionary_v1_pronunciation_dictionaries__pronunciation_dictionary_id__set_rules_post/properties/rules",
        "a string holding Python-literal text where the schema declares an array of rules",
    ),
    (
        "/components/schemas/Body_Text_to_dialogue__multi_voice__streaming_v1_text_to_dialogue_stream_post/properties/apply_text_normalization",
        "the boolean `true` where the schema declares the string enum auto/on/off",
    ),
    (
        "/components/schemas/Body_Text_to_dialogue__multi_voice__v1_text_to_dialogue_post/properties/apply_text_normalization",
        "the boolean `true` where the schema declares the string enum auto/on/off",
    ),
    (
        "/components/schemas/Body_Update_PVC_voice_sample_v1_voices_pvc__voice_id__samples__sample_id__post/properties/selected_speaker_ids",
        "a single string where the schema declares an array",
    ),
    (
        "/components/schemas/Body_text_to_dialogue_full_with_timestamps/properties/apply_text_normalization",
        "the boolean `true` where the schema declares the string enum auto/on/off",
    ),
    (
        "/components/schemas/Body_text_to_dialogue_stream_with_timestamps/properties/apply_text_normalization",
        "the boolean `true` where the schema declares the string enum auto/on/off",
    ),
    (
        "/components/schemas/Body_text_to_speech_full/properties/apply_text_normalization",
        "the boolean `true` where the schema declares the string enum auto/on/off",
    ),
    (
        "/components/schemas/Body_text_to_speech_full_with_timestamps/properties/apply_text_normalization",
        "the boolean `true` where the schema declares the string enum auto/on/off",
    ),
    (
        "/components/schemas/Body_text_to_speech_stream/properties/apply_text_normalization",
        "the boolean `true` where the schema declares the string enum auto/on/off",
    ),
    (
        "/components/schemas/Body_text_to_speech_stream_with_timestamps/properties/apply_text_normalization",
        "the boolean `true` where the schema declares the string enum auto/on/off",
    ),
    (
        "/components/schemas/ClientToolConfig-Input",
        "omits `name`, which the schema lists as required",
    ),
    (
        "/components/schemas/ClientToolConfig-Output",
        "omits `name`, which the schema lists as required",
    ),
    (
        "/components/schemas/CompileProceduresResponseModel",
        "`workflow.edges` is an array where the schema declares an object keyed by edge id",
    ),
    (
        "/components/schemas/GetAgentResponseModel",
        "omits `conversation_config`, which the schema lists as required",
    ),
    (
        "/components/schemas/MergePreviewResponseModel",
        "omits `conversation_config`, which the schema lists as required",
    ),
    (
        "/components/schemas/MultipartMusicResponse",
        "`audio` is placeholder text where the schema declares binary content",
    ),
    (
        "/components/schemas/RagConfig-Input/properties/max_documents_length",
        "the string `50000` where the schema declares an integer",
    ),
    (
        "/components/schemas/RagConfig-Output/properties/max_documents_length",
        "the string `50000` where the schema declares an integer",
    ),
    (
        "/components/schemas/RagConfigWorkflowOverride-Input/properties/max_documents_length",
        "the string `50000` where the schema declares an integer",
    ),
    (
        "/components/schemas/RagConfigWorkflowOverride-Output/properties/max_documents_length",
        "the string `50000` where the schema declares an integer",
    ),
    (
        "/components/schemas/WebhookToolApiSchemaConfig-Input",
        "`query_params_schema` omits `properties`, which QueryParamsJsonSchema requires",
    ),
    (
        "/components/schemas/WebhookToolApiSchemaConfig-Output",
        "`query_params_schema` omits `properties`, which QueryParamsJsonSchema requires",
    ),
    (
        "/components/schemas/WebhookToolConfig-Input",
        "omits `name`, which the schema lists as required",
    ),
    (
        "/components/schemas/WebhookToolConfig-Output",
        "omits `name`, which the schema lists as required",
    ),
];

#[test]
fn every_elevenlabs_schema_example_round_trips() {
    let path = Path::new(env!("CARGO_MANIFEST_DIR")).join("../shared/specs/elevenlabs.yaml");
    let text = std::fs::read_to_string(&path).unwrap_or_else(|e| panic!("{}: {e}", path.display()));
    let document: Value = serde_yaml_ng::from_str(&text).expect("the vendored document parses");
    let mut sites = Vec::new();
    let schemas = document["components"]["schemas"]
        .as_object()
        .expect("components.schemas");
    for (name, schema) in schemas {
        collect_examples(
            schema,
            &format!("/components/schemas/{}", escape(name)),
            &mut sites,
        );
    }

    let mut checked = 0;
    let mut dropped_keys = 0;
    let mut failures = Vec::new();
    let mut contradicting_seen = BTreeMap::new();
    for (pointer, example) in &sites {
        checked += 1;
        let outcome = match round_trip_example(pointer, example.clone()) {
            None => Err("no generated type is registered for this schema".to_owned()),
            Some(Err(e)) => Err(format!("does not decode: {e}")),
            Some(Ok(encoded)) => compare(example, &encoded, "", &mut dropped_keys),
        };
        if let Err(reason) = outcome {
            if let Some((_, why)) = CONTRADICTING.iter().find(|(p, _)| p == pointer) {
                contradicting_seen.insert(pointer.clone(), (*why, reason));
            } else {
                failures.push(format!(
                    "#{pointer}: {reason}\n    example: {}",
                    short(example)
                ));
            }
        }
    }
    println!(
        "checked {checked} example values at {} schemas",
        count_distinct(&sites)
    );
    println!("keys dropped as undeclared: {dropped_keys}");
    println!(
        "examples that contradict their schema ({}):",
        contradicting_seen.len()
    );
    for (pointer, (why, observed)) in &contradicting_seen {
        println!("  #{pointer}: {why} (observed: {observed})");
    }
    let stale: Vec<_> = CONTRADICTING
        .iter()
        .filter(|(p, _)| !contradicting_seen.contains_key(*p))
        .collect();
    assert!(
        stale.is_empty(),
        "listed as contradicting but now round-trip: {stale:?}"
    );
    assert!(
        checked >= 500,
        "expected about 570 example values, found {checked}"
    );
    assert!(
        failures.is_empty(),
        "{} of {checked} examples failed:\n{}",
        failures.len(),
        failures.join("\n")
    );
}

fn escape(token: &str) -> String {
    token.replace('~', "~0").replace('/', "~1")
}

/// Walks schema keywords only, so a property *named* `example` is never
/// mistaken for the keyword.
fn collect_examples(schema: &Value, pointer: &str, out: &mut Vec<(String, Value)>) {
    let Some(object) = schema.as_object() else {
        return;
    };
    if let Some(example) = object.get("example") {
        out.push((pointer.to_owned(), example.clone()));
    }
    match object.get("examples") {
        Some(Value::Array(values)) => {
            out.extend(values.iter().map(|v| (pointer.to_owned(), v.clone())))
        }
        Some(Value::Object(named)) => out.extend(
            named
                .values()
                .map(|v| (pointer.to_owned(), v.get("value").unwrap_or(v).clone())),
        ),
        _ => {}
    }
    if let Some(Value::Object(properties)) = object.get("properties") {
        for (name, property) in properties {
            collect_examples(
                property,
                &format!("{pointer}/properties/{}", escape(name)),
                out,
            );
        }
    }
    for keyword in ["items", "additionalProperties"] {
        if let Some(child) = object.get(keyword) {
            collect_examples(child, &format!("{pointer}/{keyword}"), out);
        }
    }
    for keyword in ["anyOf", "oneOf", "allOf"] {
        if let Some(Value::Array(members)) = object.get(keyword) {
            for (index, member) in members.iter().enumerate() {
                collect_examples(member, &format!("{pointer}/{keyword}/{index}"), out);
            }
        }
    }
}

fn compare(original: &Value, encoded: &Value, at: &str, dropped: &mut usize) -> Result<(), String> {
    if let Some(result) = normalized::compare_scalars(original, encoded, at) {
        return result;
    }
    match (original, encoded) {
        (Value::Array(a), Value::Array(b)) => {
            if a.len() != b.len() {
                return Err(format!("at {at:?}: {} items became {}", a.len(), b.len()));
            }
            a.iter()
                .zip(b)
                .enumerate()
                .try_for_each(|(i, (x, y))| compare(x, y, &format!("{at}/{i}"), dropped))
        }
        (Value::Object(a), Value::Object(b)) => {
            for (key, value) in a {
                match b.get(key) {
                    Some(other) => compare(value, other, &format!("{at}/{key}"), dropped)?,
                    None if value.is_null() => {}
                    None => *dropped += 1,
                }
            }
            let unexpected = |(key, value): &(&String, &Value)| {
                let constant_or_null = value.is_string() || value.is_null();
                !a.contains_key(*key) && !constant_or_null
            };
            match b.iter().find(unexpected) {
                Some((key, value)) => Err(format!("at {at:?}: encoding added {key:?} = {value}")),
                None => Ok(()),
            }
        }
        (a, b) if a == b => Ok(()),
        (a, b) => Err(format!("at {at:?}: {} became {}", short(a), short(b))),
    }
}

fn short(value: &Value) -> String {
    let text = value.to_string();
    if text.len() > 300 {
        format!(
            "{}…",
            &text[..text.char_indices().nth(300).map_or(text.len(), |(i, _)| i)]
        )
    } else {
        text
    }
}

fn count_distinct(sites: &[(String, Value)]) -> usize {
    let mut pointers: Vec<&str> = sites.iter().map(|(p, _)| p.as_str()).collect();
    pointers.dedup();
    pointers.len()
}
