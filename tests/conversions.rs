//! Callers pass plain values: string enums convert from text, unions from
//! their members, and setters and constructors take `impl Into<T>`, so no
//! call below wraps a value in `Some`, `Nullable::Value` or `.to_string()`.
//! Checked on real generated types of both APIs, by the JSON they write.

use std::collections::BTreeMap;

use api_clients::elevenlabs::types::{
    ArrayJsonSchemaPropertyInput, ArrayJsonSchemaPropertyInputItems, HistoryListSortDirection,
    LiteralJsonSchemaProperty, LiteralJsonSchemaPropertyType,
    LiteralJsonSchemaPropertyTypeKeyword as LiteralKind,
    TextToVoiceCreateRequest as VoiceFromPreview, ValidationError, ValidationErrorLocItem,
    WorkflowEdgeModelInputForwardCondition, WorkflowUnconditionalModelInput,
};
use api_clients::tavus::types::{CreateDeploymentRequest, DeploymentChannel};
use api_clients::{elevenlabs, runtime::Nullable};
use serde_json::{json, Value};
use wiremock::matchers::{method, path, query_param};
use wiremock::{Mock, MockServer, ResponseTemplate};

fn to_json(value: &impl serde::Serialize) -> Value {
    serde_json::to_value(value).expect("generated types serialize")
}

#[test]
fn a_string_enum_converts_from_text_and_back() {
    assert_eq!(DeploymentChannel::from("embed"), DeploymentChannel::Embed);
    assert_eq!(
        DeploymentChannel::from("landing-page".to_owned()),
        DeploymentChannel::LandingPage
    );
    assert_eq!(
        "widget".parse::<DeploymentChannel>(),
        Ok(DeploymentChannel::Widget)
    );
    assert_eq!(DeploymentChannel::LandingPage.to_string(), "landing-page");
    assert_eq!(HistoryListSortDirection::from("asc").to_string(), "asc");
}

#[test]
fn unknown_text_becomes_the_catch_all_and_displays_as_it_came() {
    let kiosk = DeploymentChannel::from("kiosk");
    assert_eq!(kiosk, DeploymentChannel::Unknown("kiosk".to_owned()));
    assert_eq!(kiosk.to_string(), "kiosk");
    assert_eq!(to_json(&kiosk), json!("kiosk"));
    let parsed: LiteralKind = "date".parse().expect("parsing text never fails");
    assert_eq!(parsed, LiteralKind::Unknown("date".to_owned()));
    assert_eq!(parsed.to_string(), "date");
}

#[test]
fn a_union_converts_from_each_member_with_a_type_of_its_own() {
    assert_eq!(
        ValidationErrorLocItem::from("body"),
        ValidationErrorLocItem::String("body".to_owned())
    );
    assert_eq!(
        ValidationErrorLocItem::from(2),
        ValidationErrorLocItem::Integer(2)
    );
    let kind = LiteralJsonSchemaPropertyType::from(LiteralKind::String);
    assert_eq!(to_json(&kind), json!("string"));
    let list = LiteralJsonSchemaPropertyType::from(vec!["string".to_owned(), "null".to_owned()]);
    assert_eq!(to_json(&list), json!(["string", "null"]));
    let tagged = WorkflowEdgeModelInputForwardCondition::from(
        WorkflowUnconditionalModelInput::default().label("always"),
    );
    assert_eq!(
        to_json(&tagged),
        json!({"label": "always", "type": "unconditional"})
    );
}

#[test]
fn a_boxed_union_member_converts_without_boxing() {
    let nested = ArrayJsonSchemaPropertyInput::default().description("rows");
    assert_eq!(
        ArrayJsonSchemaPropertyInputItems::from(nested.clone()),
        ArrayJsonSchemaPropertyInputItems::ArrayJsonSchemaPropertyInput(Box::new(nested))
    );
    let literal = LiteralJsonSchemaProperty::new(LiteralKind::Integer).description("a count");
    let items = ArrayJsonSchemaPropertyInputItems::from(literal);
    assert_eq!(
        to_json(&items),
        json!({"type": "integer", "description": "a count"})
    );
}

#[test]
fn constructors_and_setters_take_plain_values() {
    let request = CreateDeploymentRequest::new("pal_1", "embed")
        .name("Lobby")
        .password(String::from("secret"))
        .allowed_origins(["https://a.example", "https://b.example"]);
    assert_eq!(
        to_json(&request),
        json!({
            "pal_id": "pal_1",
            "channel": "embed",
            "name": "Lobby",
            "password": "secret",
            "allowed_origins": ["https://a.example", "https://b.example"]
        })
    );
    let error = ValidationError::new(["body".into(), 0.into()], "field required", "missing");
    assert_eq!(
        to_json(&error),
        json!({"loc": ["body", 0], "msg": "field required", "type": "missing"})
    );
}

#[test]
fn an_explicit_null_is_still_sent_as_null() {
    let request = CreateDeploymentRequest::new("pal_1", DeploymentChannel::Widget).password_null();
    assert_eq!(request.password, Nullable::Null);
    assert_eq!(
        to_json(&request),
        json!({"pal_id": "pal_1", "channel": "widget", "password": null})
    );
    let unset = CreateDeploymentRequest::new("pal_1", DeploymentChannel::Widget);
    assert_eq!(unset.password, Nullable::Absent);
    assert!(to_json(&unset).get("password").is_none());
}

#[test]
fn maps_are_built_from_arrays_of_pairs() {
    let body = VoiceFromPreview::new("Ann", "a calm voice", "gen_1")
        .labels([("accent", "british"), ("age", "young")])
        .played_not_selected_voice_ids(["gen_2"]);
    assert_eq!(
        to_json(&body),
        json!({
            "voice_name": "Ann",
            "voice_description": "a calm voice",
            "generated_voice_id": "gen_1",
            "labels": {"accent": "british", "age": "young"},
            "played_not_selected_voice_ids": ["gen_2"]
        })
    );
    let owned: BTreeMap<String, String> = [("accent".to_owned(), "irish".to_owned())].into();
    let cleared = VoiceFromPreview::new("Ann", "a calm voice", "gen_1")
        .labels(owned)
        .labels_null();
    assert_eq!(to_json(&cleared)["labels"], Value::Null);
}

#[tokio::test]
async fn builder_setters_take_text_for_enums_and_numbers_by_conversion() {
    let server = MockServer::start().await;
    Mock::given(method("GET"))
        .and(path("/v1/history"))
        .and(query_param("sort_direction", "asc"))
        .and(query_param("page_size", "5"))
        .respond_with(
            ResponseTemplate::new(200)
                .set_body_json(json!({"history": [], "has_more": false, "scanned_until": null})),
        )
        .expect(1)
        .mount(&server)
        .await;
    let client = elevenlabs::Client::builder()
        .api_key("test-key")
        .base_url(server.uri())
        .no_retries()
        .build()
        .expect("client builds");
    let page = client
        .history()
        .list()
        .sort_direction("asc")
        .page_size(5)
        .await
        .expect("the mock answers");
    assert!(!page.has_more);
}
