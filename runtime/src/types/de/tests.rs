use std::collections::BTreeMap;

use super::*;
use serde_json::json;

#[derive(Debug, PartialEq)]
struct Voice {
    voice_id: String,
    name: Option<String>,
    labels: Vec<String>,
    description: Nullable<String>,
    inner: Option<Box<Voice>>,
    extra: Option<serde_json::Value>,
    others: Nullable<Vec<Voice>>,
    named: Option<BTreeMap<String, Voice>>,
}

impl<'de> Deserialize<'de> for Voice {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        super::deserialize(deserializer)
    }
}

impl Decode for Voice {
    fn decode(input: Input<'_, '_>) -> Result<Self, FieldError> {
        let mut voice_id_ = None;
        let mut name_ = None;
        let mut labels_ = None;
        let mut description_ = None;
        let mut inner_ = None;
        let mut extra_ = None;
        let mut others_ = None;
        let mut named_ = None;
        let object = input.object("Voice", &["voice_id"], &mut |key, field| match key {
            "voice_id" => field.read(&mut voice_id_),
            "name" => field.read(&mut name_),
            "labels" => field.read(&mut labels_),
            "description" => field.read(&mut description_),
            "inner" => field.decode(&mut inner_),
            "any" => field.read_json(&mut extra_),
            "others" => field.decode(&mut others_),
            "named" => field.decode(&mut named_),
            _ => field.skip(),
        })?;
        let Some(voice_id_) = voice_id_ else {
            return Err(object.incomplete());
        };
        Ok(Voice {
            voice_id: voice_id_,
            name: name_.unwrap_or_default(),
            labels: labels_.unwrap_or_default(),
            description: description_.unwrap_or_default(),
            inner: inner_.unwrap_or_default(),
            extra: extra_.unwrap_or_default(),
            others: others_.unwrap_or_default(),
            named: named_.unwrap_or_default(),
        })
    }
}

fn voice(id: &str) -> Voice {
    Voice {
        voice_id: id.to_owned(),
        name: None,
        labels: Vec::new(),
        description: Nullable::Absent,
        inner: None,
        extra: None,
        others: Nullable::Absent,
        named: None,
    }
}

fn decode(text: &str) -> Result<Voice, String> {
    let mut deserializer = serde_json::Deserializer::from_str(text);
    serde_path_to_error::deserialize(&mut deserializer)
        .map_err(|error| format!("{}: {}", error.path(), error.inner()))
}

#[test]
fn reads_fields_defaults_and_skips_unknown_keys() {
    let text = r#"{"extra": {"deep": [1, {"x": null}]}, "voice_id": "v1",
        "labels": ["a"], "description": null, "name": "N\u00e9"}"#;
    let decoded = decode(text).unwrap();
    assert_eq!(
        decoded,
        Voice {
            name: Some("Né".to_owned()),
            labels: vec!["a".to_owned()],
            description: Nullable::Null,
            ..voice("v1")
        }
    );
}

#[test]
fn an_absent_nullable_field_stays_absent() {
    let decoded: Voice = serde_json::from_value(json!({"voice_id": "v1"})).unwrap();
    assert_eq!(decoded, voice("v1"));
}

#[test]
fn a_null_in_an_optional_any_json_field_is_kept_as_a_value() {
    let null: Voice = serde_json::from_value(json!({"voice_id": "v1", "any": null})).unwrap();
    assert_eq!(null.extra, Some(serde_json::Value::Null));
    let absent: Voice = serde_json::from_value(json!({"voice_id": "v1"})).unwrap();
    assert_eq!(absent.extra, None);
    let error = decode(r#"{"voice_id": "v", "any": 1, "any": 2}"#).unwrap_err();
    assert!(error.contains("duplicate field `any`"), "{error}");
}

#[test]
fn json_or_null_keeps_a_present_null() {
    #[derive(Deserialize)]
    struct Derived {
        #[serde(default, deserialize_with = "json_or_null")]
        any: Option<serde_json::Value>,
    }
    let null: Derived = serde_json::from_value(json!({"any": null})).unwrap();
    assert_eq!(null.any, Some(serde_json::Value::Null));
    let absent: Derived = serde_json::from_value(json!({})).unwrap();
    assert_eq!(absent.any, None);
}

#[test]
fn reports_a_missing_required_field_by_name_and_position() {
    let error = decode(r#"{"name": "x"}"#).unwrap_err();
    assert_eq!(error, ".: missing field `voice_id` at line 1 column 13");
}

#[test]
fn reports_a_duplicate_field() {
    let error = decode(r#"{"voice_id": "a", "voice_id": "b"}"#).unwrap_err();
    assert!(error.contains("duplicate field `voice_id`"), "{error}");
}

#[test]
fn names_the_path_of_a_nested_failure() {
    let text = r#"{"voice_id": "a", "inner": {"voice_id": "b", "labels": ["x", 7]}}"#;
    let error = decode(text).unwrap_err();
    assert!(error.starts_with("inner.labels[1]: "), "{error}");
    assert_eq!(error.matches(" at line ").count(), 1, "{error}");
    assert!(error.contains("invalid type: integer `7`"), "{error}");
}

/// Text at the top is read with the map's own deserializer, text one
/// level down through the erased one: the same value gives the same
/// error either way.
#[test]
fn common_values_fail_alike_at_the_top_and_nested() {
    let top = decode(r#"{"voice_id": "a", "name": 7}"#).unwrap_err();
    let nested = decode(r#"{"voice_id": "a", "inner": {"voice_id": "b", "name": 7}}"#).unwrap_err();
    assert_eq!(
        top,
        "name: invalid type: integer `7`, expected a string at line 1 column 27"
    );
    assert_eq!(
        nested,
        "inner.name: invalid type: integer `7`, expected a string at line 1 column 54"
    );
    let nested_json = decode(r#"{"voice_id": "a", "inner": {"voice_id": "b", "any": null}}"#);
    assert_eq!(
        nested_json.unwrap().inner.unwrap().extra,
        Some(serde_json::Value::Null)
    );
}

#[test]
fn decodes_lists_maps_and_nulls_of_structs_with_the_outer_deserializer() {
    let text = r#"{"voice_id": "a", "inner": null, "others": [{"voice_id": "b"},
        {"voice_id": "c", "inner": {"voice_id": "d"}}], "named": {"x": {"voice_id": "e"}}}"#;
    let decoded = decode(text).unwrap();
    assert_eq!(decoded.inner, None);
    let Nullable::Value(others) = &decoded.others else {
        panic!("{:?}", decoded.others)
    };
    assert_eq!(others[0], voice("b"));
    assert_eq!(others[1].inner.as_deref(), Some(&voice("d")));
    assert_eq!(decoded.named.unwrap()["x"], voice("e"));
    let null = decode(r#"{"voice_id": "a", "others": null}"#).unwrap();
    assert_eq!(null.others, Nullable::Null);
    let from_value: Voice = serde_json::from_value(json!({
        "voice_id": "a", "others": [{"voice_id": "b"}], "named": {}
    }))
    .unwrap();
    assert_eq!(from_value.others, Nullable::Value(vec![voice("b")]));
    assert_eq!(from_value.named, Some(BTreeMap::new()));
}

/// However deep it arises, an error keeps the path to it and one
/// position, and serde_json still knows its kind and line.
#[test]
fn a_deep_error_keeps_its_path_position_and_kind() {
    let text = r#"{"voice_id": "a", "others": [{"voice_id": "b"}, {"voice_id": "c",
        "named": {"k": {"name": 1}}}]}"#;
    let error = decode(text).unwrap_err();
    assert_eq!(
        error,
        "others[1].named.k.name: invalid type: integer `1`, expected a string at line 2 column 33"
    );
    let missing = decode(r#"{"voice_id": "a", "others": [{"name": "x"}]}"#).unwrap_err();
    assert_eq!(
        missing,
        "others[0]: missing field `voice_id` at line 1 column 42"
    );
    let untracked = serde_json::from_str::<Voice>(text).unwrap_err();
    assert_eq!((untracked.line(), untracked.column()), (2, 33));
    assert!(untracked.is_data(), "{untracked}");
    let wrong_list = decode(r#"{"voice_id": "a", "others": {"voice_id": "b"}}"#).unwrap_err();
    assert!(
        wrong_list.starts_with("others: invalid type: map, expected a sequence"),
        "{wrong_list}"
    );
}

#[test]
fn rejects_a_non_object_naming_the_struct() {
    let error = decode(r#"["a"]"#).unwrap_err();
    assert!(error.contains("expected struct Voice"), "{error}");
}

#[test]
fn reads_from_a_value_too() {
    let value = json!({"voice_id": "a", "inner": {"voice_id": "b"}});
    let decoded: Voice = serde_json::from_value(value).unwrap();
    assert_eq!(decoded.inner.unwrap().voice_id, "b");
}

/// A struct whose required slot is not among the keys it declares
/// required gets an error naming it, not a panic.
#[test]
fn a_slot_left_empty_is_an_error_naming_the_struct() {
    struct Mismatched;
    impl<'de> Deserialize<'de> for Mismatched {
        fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
            let mut id_: Option<String> = None;
            let object = object(
                deserializer,
                "Mismatched",
                &[],
                &mut |key, field| match key {
                    "id" => field.read(&mut id_),
                    _ => field.skip(),
                },
            )?;
            let Some(_) = id_ else {
                return Err(object.incomplete());
            };
            Ok(Mismatched)
        }
    }
    let error = serde_json::from_str::<Mismatched>("{}").err().unwrap();
    assert!(
        error
            .to_string()
            .starts_with("struct Mismatched: a required field was not stored"),
        "{error}"
    );
    assert!(serde_json::from_str::<Mismatched>(r#"{"id": "x"}"#).is_ok());
}

#[derive(Debug, PartialEq)]
enum Codec {
    Mp3,
    Unknown(String),
}

impl Decode for Codec {
    fn decode(input: Input<'_, '_>) -> Result<Self, FieldError> {
        Ok(match input.string()?.as_str() {
            "mp3" => Codec::Mp3,
            other => Codec::Unknown(other.to_owned()),
        })
    }
}

#[derive(Debug, PartialEq)]
struct Output {
    codec: Option<Codec>,
    fallbacks: Vec<Codec>,
}

impl<'de> Deserialize<'de> for Output {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        super::deserialize(deserializer)
    }
}

impl Decode for Output {
    fn decode(input: Input<'_, '_>) -> Result<Self, FieldError> {
        let (mut codec_, mut fallbacks_) = (None, None);
        input.object("Output", &[], &mut |key, field| match key {
            "codec" => field.decode(&mut codec_),
            "fallbacks" => field.decode(&mut fallbacks_),
            _ => field.skip(),
        })?;
        Ok(Output {
            codec: codec_.unwrap_or_default(),
            fallbacks: fallbacks_.unwrap_or_default(),
        })
    }
}

/// String enums read their text with the outer deserializer: known and
/// unknown values alike, and a value that is not text fails with its path,
/// position and kind.
#[test]
fn string_enums_decode_through_input_string() {
    let decoded: Output =
        serde_json::from_str(r#"{"codec": "mp3", "fallbacks": ["opus", "mp3"]}"#).unwrap();
    assert_eq!(decoded.codec, Some(Codec::Mp3));
    assert_eq!(
        decoded.fallbacks,
        [Codec::Unknown("opus".into()), Codec::Mp3]
    );
    let text = r#"{"codec": null, "fallbacks": ["mp3", 7]}"#;
    let mut deserializer = serde_json::Deserializer::from_str(text);
    let error = serde_path_to_error::deserialize::<_, Output>(&mut deserializer).unwrap_err();
    assert_eq!(
        format!("{}: {}", error.path(), error.inner()),
        "fallbacks[1]: invalid type: integer `7`, expected a string at line 1 column 38"
    );
    let untracked = serde_json::from_str::<Output>(text).unwrap_err();
    assert!(untracked.is_data(), "{untracked}");
}
