//! AsyncAPI documents through the loader and the model stage: small
//! documents written here, and the vendored ElevenLabs documents (read
//! from ../shared/specs, never copied).

use std::path::Path;

use generator::load::asyncapi::{load_bytes, load_file};
use generator::model::ir::{
    ApiModel, Direction, MessageDecoding, ParamLocation, TypeKind, TypeRef,
};
use generator::model::lower::{add_channels, build_model, lower_channels};

const OPENAPI: &str = "openapi: 3.1.0\ninfo: {title: t, version: '1'}\npaths:\n  /v1/speech/{id}:\n    get:\n      x-fern-sdk-group-name: [speech]\n      parameters: [{name: id, in: path, required: true, schema: {type: string}}]\n      responses: {'200': {description: ok}}\n";

const CHANNEL: &str = r#"asyncapi: 2.6.0
info: {title: rt, version: '1'}
servers:
  main: {url: 'wss://example.test', protocol: wss}
channels:
  /v1/speech/{id}/live:
    parameters:
      id: {description: The id., schema: {type: string}}
    bindings:
      ws:
        query:
          type: object
          required: [model]
          properties:
            model: {description: Which model., schema: {type: string}}
            rate: {type: integer, minimum: 8000, default: 16000}
    publish:
      message:
        oneOf:
          - $ref: '#/components/messages/Hello'
          - $ref: '#/components/messages/Audio'
    subscribe:
      message:
        oneOf:
          - $ref: '#/components/messages/Done'
          - $ref: '#/components/messages/Chunk'
    x-fern-examples:
      - query-parameters: {model: m}
        messages:
          - {type: publish, messageId: Hello, value: {type: hello}}
          - {type: subscribe, messageId: Done, value: {type: done, ok: true}}
components:
  messages:
    Hello: {name: Hello, payload: {$ref: '#/components/schemas/Hello'}, examples: [{payload: {type: hello}}]}
    Audio: {payload: {type: object, properties: {chunk: {type: string}}}}
    Done: {payload: {$ref: '#/components/schemas/Done'}}
    Chunk: {payload: {$ref: '#/components/schemas/Chunk'}}
  schemas:
    Hello:
      type: object
      properties:
        type: {x-fern-type: 'literal<"hello">'}
    Done:
      type: object
      required: [type]
      properties:
        type: {type: string, const: done}
        ok: {type: boolean}
        extra: {type: object}
    Chunk:
      type: object
      properties:
        type: {type: string, enum: [chunk]}
        times: {x-fern-type: 'list<integer>'}
"#;

fn model_with(asyncapi: &[(&str, &str)]) -> ApiModel {
    let openapi = generator::load::load_bytes(Path::new("api.yaml"), OPENAPI.as_bytes()).unwrap();
    let mut model = build_model(&openapi).unwrap();
    let lowered = asyncapi
        .iter()
        .map(|(name, text)| {
            let document = load_bytes(Path::new(name), text.as_bytes()).unwrap();
            lower_channels(&document, name, &model).unwrap()
        })
        .collect();
    add_channels(&mut model, lowered);
    model
}

#[test]
fn the_loader_resolves_parameters_and_messages() {
    let loaded = load_bytes(Path::new("rt.yaml"), CHANNEL.as_bytes()).unwrap();
    let [channel] = loaded.channels.as_slice() else {
        panic!("one channel")
    };
    assert_eq!(channel.pointer, "/channels/~1v1~1speech~1{id}~1live");
    assert_eq!(channel.parameters[0].name, "id");
    let ids: Vec<String> = channel.client_messages.iter().map(|m| m.id()).collect();
    assert_eq!(ids, ["Hello", "Audio"]);
    assert_eq!(
        channel.server_messages[1].pointer,
        "/components/messages/Chunk"
    );
    assert_eq!(channel.channel.examples[0].messages.len(), 2);
    assert_eq!(loaded.document.servers["main"].url, "wss://example.test");
}

#[test]
fn a_channel_lowers_to_parameters_servers_and_message_unions() {
    let model = model_with(&[("rt.yaml", CHANNEL)]);
    let [channel] = model.channels.as_slice() else {
        panic!("one channel")
    };
    assert_eq!(channel.group, ["speech"], "the operations under /v1/speech");
    assert_eq!(channel.name, "live");
    assert_eq!(channel.servers[0].url, "wss://example.test");
    let params: Vec<(&str, ParamLocation, bool)> = channel
        .params
        .iter()
        .map(|p| (p.wire_name.as_str(), p.location, p.required))
        .collect();
    assert_eq!(
        params,
        [
            ("id", ParamLocation::Path, true),
            ("model", ParamLocation::Query, true),
            ("rate", ParamLocation::Query, false)
        ]
    );
    assert_eq!(
        channel.params[1].docs.description.as_deref(),
        Some("Which model.")
    );
    assert_eq!(
        channel.params[2].ty,
        TypeRef::Integer(generator::model::ir::IntFormat::I64)
    );
    assert_eq!(channel.params[2].minimum, Some(8000));

    let client = channel.client_messages.as_ref().unwrap();
    assert_eq!(
        client.decoding,
        MessageDecoding::ByShape,
        "Audio has no tag"
    );
    let server = channel.server_messages.as_ref().unwrap();
    assert_eq!(
        server.decoding,
        MessageDecoding::Tagged {
            property: "type".to_owned()
        }
    );
    let tags: Vec<Option<&str>> = server.messages.iter().map(|m| m.tag.as_deref()).collect();
    assert_eq!(tags, [Some("done"), Some("chunk")]);
    let TypeRef::Named(union) = &server.ty else {
        panic!("a union")
    };
    let TypeKind::Union(def) = &model.types[union.0].kind else {
        panic!("a union")
    };
    assert_eq!(def.discriminator.as_deref(), Some("type"));
    assert_eq!(def.variants[1].tags, ["chunk"]);
    assert_eq!(
        client.messages[0].tag.as_deref(),
        Some("hello"),
        "from x-fern-type"
    );
    assert_eq!(
        client.messages[0].examples,
        [serde_json::json!({"type": "hello"})]
    );
    assert_eq!(
        channel.examples[0].messages[1].direction,
        Direction::ServerToClient
    );
    assert_eq!(channel.examples[0].query_parameters[0].0, "model");
}

#[test]
fn channel_types_come_after_the_http_types_and_point_into_their_own_range() {
    let http = model_with(&[]);
    let model = model_with(&[("rt.yaml", CHANNEL)]);
    let range = model.channel_documents[0].types.clone();
    assert_eq!(range.start, http.types.len());
    assert_eq!(range.end, model.types.len());
    let mut mentioned = Vec::new();
    for def in &model.types[range.clone()] {
        if let TypeKind::Struct(s) = &def.kind {
            s.fields.iter().for_each(|f| f.ty.mentioned(&mut mentioned));
        }
    }
    let payload = &model.channels[0].server_messages.as_ref().unwrap().messages[0].payload;
    payload.mentioned(&mut mentioned);
    assert!(
        mentioned.iter().all(|id| range.contains(&id.0)),
        "{mentioned:?}"
    );
    let done = &model.types[match payload {
        TypeRef::Named(id) => id.0,
        _ => unreachable!(),
    }];
    assert_eq!(done.component_name.as_deref(), Some("Done"));
    let fallbacks: Vec<&str> = model.channel_documents[0]
        .fallbacks
        .iter()
        .map(|f| f.pointer.as_str())
        .collect();
    assert_eq!(fallbacks, ["/components/schemas/Done/properties/extra"]);
}

#[test]
fn a_single_message_is_its_payload_and_a_fern_group_wins() {
    let text = "asyncapi: 2.6.0\ninfo: {title: rt, version: '1'}\nchannels:\n  /ws:\n    x-fern-sdk-group-name: [realtime]\n    x-fern-sdk-method-name: connect\n    subscribe:\n      message:\n        payload: {type: object, properties: {n: {type: integer}}}\n";
    let model = model_with(&[("one.yaml", text)]);
    let channel = &model.channels[0];
    assert_eq!(
        (channel.group.as_slice(), channel.name.as_str()),
        (&["realtime".to_owned()][..], "connect")
    );
    let server = channel.server_messages.as_ref().unwrap();
    assert_eq!(server.decoding, MessageDecoding::Single);
    assert_eq!(server.ty, server.messages[0].payload);
    assert!(channel.client_messages.is_none());
}

fn real(name: &str) -> std::path::PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("../../shared/specs/asyncapi")
        .join(name)
}

#[test]
fn the_elevenlabs_documents_have_three_channels_typed_throughout() {
    let openapi = generator::load::load_bytes(Path::new("api.yaml"), OPENAPI.as_bytes()).unwrap();
    let mut model = build_model(&openapi).unwrap();
    let mut lowered = Vec::new();
    for name in [
        "elevenlabs-tts.asyncapi.yaml",
        "elevenlabs-convai.asyncapi.yaml",
    ] {
        let path = real(name);
        if !path.exists() {
            eprintln!("{} is not here; skipping", path.display());
            return;
        }
        let document = load_file(&path).unwrap();
        lowered.push(lower_channels(&document, name, &model).unwrap());
    }
    add_channels(&mut model, lowered);
    let counts: Vec<(&str, usize, usize)> = model
        .channels
        .iter()
        .map(|c| {
            (
                c.address.as_str(),
                c.client_message_count(),
                c.server_message_count(),
            )
        })
        .collect();
    assert_eq!(
        counts,
        [
            ("/v1/text-to-speech/{voice_id}/stream-input", 3, 2),
            ("/v1/text-to-speech/{voice_id}/multi-stream-input", 7, 2),
            ("/v1/convai/conversation", 7, 11),
        ]
    );
    let conversation = &model.channels[2];
    assert_eq!(conversation.servers.len(), 4);
    assert!(conversation
        .servers
        .iter()
        .all(|s| s.url.starts_with("wss://")));
    assert_eq!(
        conversation.server_messages.as_ref().unwrap().decoding,
        MessageDecoding::Tagged {
            property: "type".to_owned()
        }
    );
    assert_eq!(conversation.params[0].wire_name, "agent_id");
    assert!(conversation.params[0].required);
    assert_eq!(conversation.params[0].ty, TypeRef::String);
    // Every payload is a type of its own, or its fallbacks are listed.
    let listed: Vec<&str> = model
        .channel_documents
        .iter()
        .flat_map(|d| d.fallbacks.iter().map(|f| f.pointer.as_str()))
        .collect();
    for channel in &model.channels {
        for set in [&channel.client_messages, &channel.server_messages]
            .into_iter()
            .flatten()
        {
            for message in &set.messages {
                let typed = matches!(message.payload, TypeRef::Named(_));
                let payload_pointer = format!("{}/payload", message.pointer);
                assert!(
                    typed || listed.contains(&payload_pointer.as_str()),
                    "{} {}: {:?}",
                    channel.address,
                    message.id,
                    message.payload
                );
            }
        }
    }
    let examples: usize = model.channels.iter().map(|c| c.examples.len()).sum();
    assert_eq!(examples, 3);
}
