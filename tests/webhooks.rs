//! ElevenLabs webhooks through the generated `webhook` module: signatures
//! made here with another HMAC implementation (the `hmac` and `sha2`
//! crates) verify, anything else is refused with its own error, and a
//! verified body decodes as the typed event.

use std::time::{Duration, SystemTime, UNIX_EPOCH};

use api_clients::elevenlabs::types::{GetConversationResponseModelStatus, WebhookEvent};
use api_clients::elevenlabs::webhook::{self, WebhookError, DEFAULT_TOLERANCE, SIGNATURE_HEADER};
use hmac::{Hmac, Mac};
use serde_json::json;
use sha2::Sha256;

const SECRET: &str = "wsec_8f2d1c0b9a7e6f5d4c3b2a1908f7e6d5";
const SIGNED_AT: u64 = 1_764_633_600;

/// The header value for `body` signed at `timestamp` with `secret`.
fn sign(secret: &str, timestamp: u64, body: &[u8]) -> String {
    let mut mac = Hmac::<Sha256>::new_from_slice(secret.as_bytes()).unwrap();
    mac.update(format!("{timestamp}.").as_bytes());
    mac.update(body);
    format!(
        "t={timestamp},v0={}",
        hex::encode(mac.finalize().into_bytes())
    )
}

fn at(seconds: u64) -> SystemTime {
    UNIX_EPOCH + Duration::from_secs(seconds)
}

fn transcription_body() -> Vec<u8> {
    json!({
        "type": "post_call_transcription",
        "event_timestamp": SIGNED_AT,
        "data": {
            "agent_id": "agent_test_1",
            "conversation_id": "conv_test_1",
            "status": "done",
            "metadata": {"start_time_unix_secs": 1_764_633_000, "call_duration_secs": 42},
            "has_audio": true,
            "has_user_audio": true,
            "has_response_audio": true,
            "has_auxiliary_audio": false,
            "transcript": [
                {"role": "user", "message": "Where is my order?", "time_in_call_secs": 3}
            ]
        }
    })
    .to_string()
    .into_bytes()
}

fn construct(body: &[u8], signature: &str, now: SystemTime) -> Result<WebhookEvent, WebhookError> {
    webhook::verifier(SECRET).construct_event_at(body, signature, now)
}

#[test]
fn the_header_is_the_one_elevenlabs_sends() {
    assert_eq!(SIGNATURE_HEADER, "ElevenLabs-Signature");
}

#[test]
fn a_verified_transcription_decodes_as_the_conversation() {
    let body = transcription_body();
    let event = construct(&body, &sign(SECRET, SIGNED_AT, &body), at(SIGNED_AT + 5)).unwrap();
    let WebhookEvent::PostCallTranscriptionWebhook(event) = event else {
        panic!("a transcription event: {event:?}");
    };
    assert_eq!(event.event_timestamp, SIGNED_AT as i64);
    assert_eq!(event.data.conversation_id, "conv_test_1");
    assert_eq!(event.data.status, GetConversationResponseModelStatus::Done);
    assert_eq!(event.data.transcript.len(), 1);
}

#[test]
fn construct_event_checks_against_the_clock() {
    let body = transcription_body();
    let now = SystemTime::now()
        .duration_since(UNIX_EPOCH)
        .unwrap()
        .as_secs();
    let fresh = webhook::construct_event(&body, &sign(SECRET, now, &body), SECRET);
    assert!(fresh.is_ok(), "{fresh:?}");
    let stale = webhook::construct_event(&body, &sign(SECRET, SIGNED_AT, &body), SECRET);
    assert!(
        matches!(stale, Err(WebhookError::Expired { .. })),
        "{stale:?}"
    );
}

#[test]
fn audio_and_failure_data_stay_json_and_other_types_are_kept_whole() {
    let audio = json!({
        "type": "post_call_audio",
        "event_timestamp": SIGNED_AT,
        "data": {"agent_id": "agent_test_1", "conversation_id": "conv_test_1", "full_audio": "UklGRg=="}
    })
    .to_string();
    let event = construct(
        audio.as_bytes(),
        &sign(SECRET, SIGNED_AT, audio.as_bytes()),
        at(SIGNED_AT),
    );
    let Ok(WebhookEvent::PostCallAudioWebhook(event)) = event else {
        panic!("an audio event: {event:?}");
    };
    assert_eq!(event.data["full_audio"], "UklGRg==");

    let other = json!({"type": "voice_removal_notice", "event_timestamp": SIGNED_AT, "data": {"voice_id": "v1"}});
    let text = other.to_string();
    let event = construct(
        text.as_bytes(),
        &sign(SECRET, SIGNED_AT, text.as_bytes()),
        at(SIGNED_AT),
    );
    assert_eq!(event, Ok(WebhookEvent::Unknown(other)));
}

#[test]
fn a_tampered_body_or_another_secret_does_not_verify() {
    let body = transcription_body();
    let signature = sign(SECRET, SIGNED_AT, &body);
    let mut tampered = body.clone();
    let position = tampered.iter().position(|&b| b == b'3').unwrap();
    tampered[position] = b'4';
    assert_eq!(
        construct(&tampered, &signature, at(SIGNED_AT)),
        Err(WebhookError::SignatureMismatch)
    );
    let wrong_secret = sign("wsec_another", SIGNED_AT, &body);
    assert_eq!(
        construct(&body, &wrong_secret, at(SIGNED_AT)),
        Err(WebhookError::SignatureMismatch)
    );
}

#[test]
fn the_default_tolerance_is_thirty_minutes_either_way() {
    let body = transcription_body();
    let signature = sign(SECRET, SIGNED_AT, &body);
    let limit = DEFAULT_TOLERANCE.as_secs();
    assert_eq!(limit, 30 * 60);
    assert!(construct(&body, &signature, at(SIGNED_AT + limit)).is_ok());
    assert!(construct(&body, &signature, at(SIGNED_AT - limit)).is_ok());
    assert!(matches!(
        construct(&body, &signature, at(SIGNED_AT + limit + 1)),
        Err(WebhookError::Expired { .. })
    ));
    assert!(matches!(
        construct(&body, &signature, at(SIGNED_AT - limit - 1)),
        Err(WebhookError::FromTheFuture { .. })
    ));
}

#[test]
fn a_verified_body_that_does_not_decode_names_the_place() {
    let mut event: serde_json::Value = serde_json::from_slice(&transcription_body()).unwrap();
    event["data"]["has_audio"] = json!("yes");
    let body = event.to_string().into_bytes();
    let error = construct(&body, &sign(SECRET, SIGNED_AT, &body), at(SIGNED_AT)).unwrap_err();
    let WebhookError::Decode { path, message } = error else {
        panic!("a decode error: {error:?}");
    };
    assert_eq!(path, "data.has_audio", "{message}");
}
