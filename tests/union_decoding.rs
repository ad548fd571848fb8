//! Decoding through the generated ElevenLabs types of the values issue #13
//! (point 7) found decoding wrongly: each is decoded and written back.

use api_clients::elevenlabs::types::{
    ArrayJsonSchemaPropertyOutputItems, ConversationHistoryOutputToolResultsItem,
    DirectPublishingReadResponseModel, FieldConflict, SpeechToTextConvertResponse,
};
use api_clients::runtime::Nullable;
use serde::de::DeserializeOwned;
use serde::Serialize;
use serde_json::{json, Value};

/// Decodes `value` as `T` and encodes it again.
fn round_trip<T: DeserializeOwned + Serialize>(value: &Value) -> (T, Value) {
    let typed: T = serde_json::from_value(value.clone()).expect("the value decodes");
    let encoded = serde_json::to_value(&typed).expect("the value encodes");
    (typed, encoded)
}

/// `type: "workflow"` is an unknown value of the first member's open enum:
/// the workflow member, which knows it, must win and keep `result`.
#[test]
fn a_workflow_tool_result_decodes_as_the_workflow_member() {
    let result = json!({
        "request_id": "r1", "tool_name": "route", "result_value": "ok",
        "is_error": false, "tool_has_been_called": true,
        "type": "workflow", "result": null,
    });
    let (decoded, encoded) = round_trip::<ConversationHistoryOutputToolResultsItem>(&result);
    assert!(
        matches!(
            decoded,
            ConversationHistoryOutputToolResultsItem::ConversationHistoryTranscriptWorkflowToolsResultCommonModelOutput(_)
        ),
        "{decoded:?}"
    );
    assert_eq!(encoded, result);
}

/// An object property is not a literal one whose `type` is an unknown
/// value: it keeps its `properties`.
#[test]
fn an_object_schema_property_is_not_taken_for_a_literal_one() {
    let property = json!({
        "type": "object",
        "properties": {"name": {"type": "string", "description": "a name"}},
    });
    let (decoded, encoded) = round_trip::<ArrayJsonSchemaPropertyOutputItems>(&property);
    assert!(
        !matches!(
            decoded,
            ArrayJsonSchemaPropertyOutputItems::LiteralJsonSchemaProperty(_)
        ),
        "{decoded:?}"
    );
    assert_eq!(encoded["properties"], property["properties"]);
}

fn direct_publishing(currency: Option<Value>) -> Value {
    let mut read = json!({
        "read_id": "r", "created_at_unix": 1, "updated_at_unix": 2,
        "word_count": 3, "char_count": 4, "chapters": [],
    });
    if let Some(currency) = currency {
        read["currency"] = currency;
    }
    read
}

/// `currency: anyOf [const "usd", null]`, optional: null, absent and the
/// value each survive.
#[test]
fn a_nullable_constant_keeps_null_and_absence() {
    for (currency, expected) in [
        (None, Nullable::Absent),
        (Some(json!(null)), Nullable::Null),
        (Some(json!("usd")), Nullable::Value(Default::default())),
    ] {
        let read = direct_publishing(currency);
        let (decoded, encoded) = round_trip::<DirectPublishingReadResponseModel>(&read);
        assert_eq!(decoded.currency, expected);
        assert_eq!(encoded, read);
    }
}

/// `base_value` has no schema at all, so `null` is one of its values.
#[test]
fn null_in_an_untyped_optional_property_is_kept() {
    let conflict = json!({"path": "a.b", "section": "conversation_config", "base_value": null});
    let (decoded, encoded) = round_trip::<FieldConflict>(&conflict);
    assert_eq!(decoded.base_value, Some(Value::Null));
    assert_eq!(decoded.source_value, None);
    assert_eq!(encoded, conflict);
}

/// With `webhook=true` the speech-to-text call answers with an
/// acknowledgement, a member of the response's `anyOf` but not its `oneOf`.
#[test]
fn the_speech_to_text_response_holds_the_webhook_acknowledgement() {
    let acknowledgement =
        json!({"message": "queued", "request_id": "q1", "transcription_id": "t1"});
    let (decoded, encoded) = round_trip::<SpeechToTextConvertResponse>(&acknowledgement);
    assert!(
        matches!(
            decoded,
            SpeechToTextConvertResponse::SpeechToTextWebhookResponseModel(_)
        ),
        "{decoded:?}"
    );
    assert_eq!(encoded, acknowledgement);
    let transcript =
        json!({"language_code": "en", "language_probability": 0.9, "text": "hi", "words": []});
    let (decoded, _) = round_trip::<SpeechToTextConvertResponse>(&transcript);
    assert!(
        matches!(
            decoded,
            SpeechToTextConvertResponse::SpeechToTextChunkResponseModel(_)
        ),
        "{decoded:?}"
    );
}
