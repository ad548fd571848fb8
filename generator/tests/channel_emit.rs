//! What the generator emits for a channel, from small documents written
//! here: the connect call on the channel's group, the message enums'
//! catch-alls, and the `ping`/`pong` answer only where the document's
//! shapes allow it (never by the API's name).

use std::path::Path;

use generator::pipeline::{generate_api, ApiInput, SerdeImpls};

const OPENAPI: &str = "openapi: 3.1.0\ninfo: {title: t, version: '1'}\ncomponents:\n  securitySchemes:\n    key: {type: apiKey, in: header, name: x-key}\nsecurity: [{key: []}]\npaths:\n  /v1/speech/{id}:\n    get:\n      x-fern-sdk-group-name: [speech]\n      parameters: [{name: id, in: path, required: true, schema: {type: string}}]\n      responses: {'200': {description: ok}}\n";

/// A channel whose server pings (`event_id` in a nested object) and whose
/// client may answer `pong` with an `event_id`: the answer is generated.
const PINGING: &str = r#"asyncapi: 2.6.0
info: {title: rt, version: '1'}
channels:
  /v1/speech/{id}/live:
    parameters:
      id: {schema: {type: string}}
    bindings:
      ws:
        query:
          type: object
          properties:
            model: {description: Which model., type: string}
    publish:
      message:
        oneOf:
          - $ref: '#/components/messages/Pong'
          - $ref: '#/components/messages/Text'
    subscribe:
      message:
        oneOf:
          - $ref: '#/components/messages/Ping'
          - $ref: '#/components/messages/Said'
components:
  messages:
    Pong: {payload: {$ref: '#/components/schemas/Pong'}}
    Text: {payload: {$ref: '#/components/schemas/Text'}}
    Ping: {payload: {$ref: '#/components/schemas/Ping'}}
    Said: {payload: {$ref: '#/components/schemas/Said'}}
  schemas:
    Pong:
      type: object
      required: [type]
      properties:
        type: {x-fern-type: 'literal<"pong">'}
        event_id: {type: integer}
    Text:
      type: object
      properties:
        text: {type: string}
    Ping:
      type: object
      required: [type]
      properties:
        type: {x-fern-type: 'literal<"ping">'}
        ping_event:
          type: object
          properties:
            event_id: {type: integer}
    Said:
      type: object
      required: [type]
      properties:
        type: {x-fern-type: 'literal<"said">'}
        text: {type: string}
"#;

fn generate(asyncapi: &str) -> String {
    let dir = tempfile::tempdir().unwrap();
    let spec = dir.path().join("api.yaml");
    let channels = dir.path().join("rt.asyncapi.yaml");
    std::fs::write(&spec, OPENAPI).unwrap();
    std::fs::write(&channels, asyncapi).unwrap();
    let input = ApiInput {
        name: "api".to_owned(),
        module: "api".to_owned(),
        spec,
        display_path: "api.yaml".to_owned(),
        overlays: Vec::new(),
        asyncapi: vec![(channels, "rt.asyncapi.yaml".to_owned())],
        serde_impls: SerdeImpls::Runtime,
    };
    let generated = generate_api(&input, "api_clients").unwrap();
    let group = &generated.files[Path::new("operations/speech.rs")];
    let types = &generated.files[Path::new("types/channel_types.rs")];
    format!("{group}\n{types}")
}

#[test]
fn a_channel_is_a_connect_builder_on_its_group() {
    let code = generate(PINGING);
    assert!(
        code.contains("pub fn live(self, id: &'a str) -> SpeechLive<'a>"),
        "{code}"
    );
    assert!(code.contains("pub fn model(mut self, value: impl Into<String>) -> Self"));
    assert!(code.contains(".path_param(\"id\", &self.id)"));
    assert!(code.contains(".query(\"model\", &self.model)"));
    assert!(code.contains(
        "api_runtime::realtime::connect(self.client.transport(), request, self.options)"
    ));
}

#[test]
fn both_message_enums_keep_unknown_kinds() {
    let code = generate(PINGING);
    // The client's side has an untagged member: decoded by shape, with a
    // catch-all; the server's is tagged, with the tagged unions' one.
    assert!(
        code.contains(
            "first_fit_keeping_keys(&value, &members)\n                .unwrap_or_else(|| Self::Unknown(value)),"
        ),
        "{code}"
    );
    assert!(
        code.contains("_ => unknown_tag(value, \"type\").map(Self::Unknown)"),
        "{code}"
    );
}

#[test]
fn ping_is_answered_with_pong_where_the_shapes_allow() {
    let code = generate(PINGING);
    assert!(
        code.contains("let event_id = ping.ping_event.as_ref()?.event_id?;"),
        "{code}"
    );
    assert!(code.contains("event_id: Some(event_id),"), "{code}");
}

#[test]
fn without_a_pong_event_id_nothing_is_answered() {
    let without = PINGING.replace("        event_id: {type: integer}\n    Text:", "    Text:");
    assert_ne!(without, PINGING);
    let code = generate(&without);
    assert!(!code.contains("fn auto_reply(&self)"), "{code}");
    assert!(
        code.contains("impl api_runtime::realtime::AutoReply<"),
        "{code}"
    );
}
