//! Realistic calls in the generated clients' shape, across both APIs: each
//! test makes one call the way an SDK user would write it and checks the
//! exact request that reaches a local server (method, path, query, auth
//! header, JSON body or multipart parts).

use api_clients::elevenlabs::types::{
    AgentConfigApiModelInput, AgentDeploymentPercentageStrategy, AgentDeploymentRequest,
    AgentDeploymentRequestItem, ClientToolConfigInput, ConversationalConfigApiModelInput,
    ExportOptions, LiteralJsonSchemaProperty, ObjectJsonSchemaPropertyInput,
    PromptAgentApiModelInput, PronunciationDictionaryAliasRuleRequestModel,
    PronunciationDictionaryPhonemeRuleRequestModel, SpeechToTextConvertResponse, SrtExportOptions,
    ToolRequestModel, TtsConversationalConfigInput, TxtExportOptions, VoiceSettingsResponseModel,
};
use api_clients::runtime::File;
use api_clients::tavus::types::{
    ConversationProperties, CreateConversationRequest, CreateDeploymentRequest,
    CreatePersonaRequest, JsonPatchOperation, LlmLayer, PersonaLayers, RenameReplicaRequest,
    TtsLayer, UpdateDocumentRequest,
};
use api_clients::{elevenlabs, tavus};
use serde_json::{json, Value};
use wiremock::matchers::{method, path};
use wiremock::{Mock, MockServer, Request, ResponseTemplate};

use crate::support::wire;
use wire::header;

const XI_KEY: &str = "xi-test-key-0123456789";
const TAVUS_KEY: &str = "tavus-test-key";
const XI: (&str, &str) = ("xi-api-key", XI_KEY);
const TAVUS: (&str, &str) = ("x-api-key", TAVUS_KEY);

/// A server answering `verb path` with `response`, and a client for each API.
async fn server(verb: &str, route: &str, response: ResponseTemplate) -> MockServer {
    let server = MockServer::start().await;
    Mock::given(method(verb))
        .and(path(route))
        .respond_with(response)
        .mount(&server)
        .await;
    server
}

fn ok(body: Value) -> ResponseTemplate {
    ResponseTemplate::new(200).set_body_json(body)
}

fn eleven(server: &MockServer) -> elevenlabs::Client {
    elevenlabs::Client::builder()
        .api_key(XI_KEY)
        .base_url(server.uri())
        .no_retries()
        .build()
        .expect("client builds")
}

fn tavus(server: &MockServer) -> tavus::Client {
    tavus::Client::builder()
        .api_key(TAVUS_KEY)
        .base_url(server.uri())
        .no_retries()
        .build()
        .expect("client builds")
}

/// The one request the server received, checked for method, path, query
/// and the API's auth header (`XI` or `TAVUS`).
async fn sent(
    server: &MockServer,
    auth: (&str, &str),
    verb: &str,
    route: &str,
    query: Option<&str>,
) -> Request {
    let mut requests = server.received_requests().await.expect("recording is on");
    assert_eq!(requests.len(), 1, "expected exactly one request");
    let request = requests.remove(0);
    assert_eq!(request.method.as_str(), verb);
    assert_eq!(request.url.path(), route);
    assert_eq!(request.url.query(), query);
    assert_eq!(header(&request, auth.0), auth.1);
    request
}

fn body_json(request: &Request) -> Value {
    assert_eq!(header(request, "content-type"), "application/json");
    serde_json::from_slice(&request.body).expect("JSON body")
}

/// The parts of a multipart body, in order: (name, headers, content).
fn multipart_parts(request: &Request) -> Vec<(String, String, Vec<u8>)> {
    wire::multipart_parts(request)
        .into_iter()
        .map(|(headers, content)| {
            let name = headers
                .split("name=\"")
                .nth(1)
                .and_then(|rest| rest.split('"').next())
                .unwrap()
                .to_owned();
            (name, headers, content)
        })
        .collect()
}

/// The multipart parts as (name, content) text pairs, file parts included.
fn text_parts(parts: &[(String, String, Vec<u8>)]) -> Vec<(&str, String)> {
    parts
        .iter()
        .map(|(name, _, content)| (name.as_str(), String::from_utf8_lossy(content).into_owned()))
        .collect()
}

// ---------------------------------------------------------------- ElevenLabs

#[tokio::test]
async fn seed_deploys_agent_branches() {
    let server = server(
        "POST",
        "/v1/convai/agents/agent_3701/deployments",
        ok(json!({"traffic_percentage_branch_id_map": {"main": 80.0, "beta": 20.0}})),
    )
    .await;
    let client = eleven(&server);

    client
        .conversational_ai()
        .agents()
        .deployments()
        .create(
            "agent_3701",
            AgentDeploymentRequest::new([
                AgentDeploymentRequestItem::new(
                    "main",
                    AgentDeploymentPercentageStrategy::new(80.0),
                ),
                AgentDeploymentRequestItem::new(
                    "beta",
                    AgentDeploymentPercentageStrategy::new(20.0),
                ),
            ]),
        )
        .await
        .unwrap();

    let request = sent(
        &server,
        XI,
        "POST",
        "/v1/convai/agents/agent_3701/deployments",
        None,
    )
    .await;
    assert_eq!(
        body_json(&request),
        json!({"deployment_request": {"requests": [
            {"branch_id": "main", "deployment_strategy": {"type": "percentage", "traffic_percentage": 80.0}},
            {"branch_id": "beta", "deployment_strategy": {"type": "percentage", "traffic_percentage": 20.0}},
        ]}})
    );
}

#[tokio::test]
async fn creates_an_agent_with_a_nested_conversation_config() {
    let server = server(
        "POST",
        "/v1/convai/agents/create",
        ok(json!({"agent_id": "agent_3701"})),
    )
    .await;
    let client = eleven(&server);

    let agent = client
        .conversational_ai()
        .agents()
        .create(
            ConversationalConfigApiModelInput::default()
                .agent(
                    AgentConfigApiModelInput::default()
                        .first_message("Hi, this is Alex from support. How can I help?")
                        .language("en")
                        .prompt(
                            PromptAgentApiModelInput::default()
                                .prompt("You are a friendly support agent for Acme.")
                                .llm("gpt-4o-mini")
                                .temperature(0.3),
                        ),
                )
                .tts(
                    TtsConversationalConfigInput::default()
                        .model_id("eleven_flash_v2")
                        .voice_id("21m00Tcm4TlvDq8ikWAM"),
                ),
        )
        .name("Support agent")
        .tags(["support", "en"])
        .await
        .unwrap();

    assert_eq!(agent.agent_id, "agent_3701");
    let request = sent(&server, XI, "POST", "/v1/convai/agents/create", None).await;
    assert_eq!(
        body_json(&request),
        json!({
            "conversation_config": {
                "agent": {
                    "first_message": "Hi, this is Alex from support. How can I help?",
                    "language": "en",
                    "prompt": {
                        "prompt": "You are a friendly support agent for Acme.",
                        "llm": "gpt-4o-mini",
                        "temperature": 0.3
                    }
                },
                "tts": {"model_id": "eleven_flash_v2", "voice_id": "21m00Tcm4TlvDq8ikWAM"}
            },
            "name": "Support agent",
            "tags": ["support", "en"]
        })
    );
}

#[tokio::test]
async fn patches_an_agent_with_an_explicit_null() {
    let server = server(
        "PATCH",
        "/v1/convai/agents/agent_3701",
        ok(json!({
            "agent_id": "agent_3701",
            "name": "Support agent v2",
            "conversation_config": {},
            "metadata": {"created_at_unix_secs": 1700000000, "updated_at_unix_secs": 1700000600}
        })),
    )
    .await;
    let client = eleven(&server);

    let agent = client
        .conversational_ai()
        .agents()
        .update("agent_3701")
        .name("Support agent v2")
        .tags_null()
        .await
        .unwrap();

    assert_eq!(agent.name, "Support agent v2");
    let request = sent(&server, XI, "PATCH", "/v1/convai/agents/agent_3701", None).await;
    assert_eq!(
        body_json(&request),
        json!({"name": "Support agent v2", "tags": null})
    );
}

#[tokio::test]
async fn lists_agents_with_query_parameters() {
    let server = server(
        "GET",
        "/v1/convai/agents",
        ok(json!({"agents": [], "next_cursor": null, "has_more": false})),
    )
    .await;
    let client = eleven(&server);

    let page = client
        .conversational_ai()
        .agents()
        .list()
        .page_size(10)
        .search("support")
        .sort_by("created_at")
        .sort_direction("desc")
        .await
        .unwrap();

    assert!(!page.has_more);
    let request = sent(
        &server,
        XI,
        "GET",
        "/v1/convai/agents",
        Some("page_size=10&search=support&sort_direction=desc&sort_by=created_at"),
    )
    .await;
    assert!(request.body.is_empty());
}

#[tokio::test]
async fn creates_a_client_tool_with_a_json_schema() {
    let server = server(
        "POST",
        "/v1/convai/tools",
        ok(json!({
            "id": "tool_1",
            "tool_config": {
                "type": "client",
                "name": "get_order_status",
                "description": "Looks up the status of an order"
            },
            "access_info": {
                "is_creator": true,
                "creator_name": "Ada",
                "creator_email": "ada@example.com",
                "role": "admin"
            },
            "usage_stats": {"avg_latency_secs": 0.0}
        })),
    )
    .await;
    let client = eleven(&server);

    let tool = client
        .conversational_ai()
        .tools()
        .create(&ToolRequestModel::new(
            ClientToolConfigInput::new("get_order_status", "Looks up the status of an order")
                .parameters(
                    ObjectJsonSchemaPropertyInput::default()
                        .required(["order_id"])
                        .properties([
                            (
                                "order_id",
                                LiteralJsonSchemaProperty::new("string")
                                    .description("The order number, e.g. A-1001")
                                    .into(),
                            ),
                            (
                                "include_items",
                                LiteralJsonSchemaProperty::new("boolean").into(),
                            ),
                        ]),
                )
                .expects_response(true),
        ))
        .await
        .unwrap();

    assert_eq!(tool.id, "tool_1");
    let request = sent(&server, XI, "POST", "/v1/convai/tools", None).await;
    assert_eq!(
        body_json(&request),
        json!({"tool_config": {
            "type": "client",
            "name": "get_order_status",
            "description": "Looks up the status of an order",
            "parameters": {
                "type": "object",
                "required": ["order_id"],
                "properties": {
                    "include_items": {"type": "boolean"},
                    "order_id": {"type": "string", "description": "The order number, e.g. A-1001"}
                }
            },
            "expects_response": true
        }})
    );
}

#[tokio::test]
async fn converts_text_to_speech_with_voice_settings() {
    let audio = vec![0xFF, 0xFB, 0x90, 0x00];
    let server = server(
        "POST",
        "/v1/text-to-speech/JBFqnCBsd6RMkjVDRZzb",
        ResponseTemplate::new(200).set_body_raw(audio.clone(), "audio/mpeg"),
    )
    .await;
    let client = eleven(&server);

    let speech = client
        .text_to_speech()
        .convert(
            "JBFqnCBsd6RMkjVDRZzb",
            "The first move is what sets everything in motion.",
        )
        .model_id("eleven_multilingual_v2")
        .voice_settings(
            VoiceSettingsResponseModel::default()
                .stability(0.5)
                .similarity_boost(0.75),
        )
        .output_format("mp3_44100_128")
        .await
        .unwrap();

    assert_eq!(speech.bytes().await.unwrap().as_ref(), audio.as_slice());
    let request = sent(
        &server,
        XI,
        "POST",
        "/v1/text-to-speech/JBFqnCBsd6RMkjVDRZzb",
        Some("output_format=mp3_44100_128"),
    )
    .await;
    assert_eq!(header(&request, "accept"), "audio/mpeg");
    assert_eq!(
        body_json(&request),
        json!({
            "text": "The first move is what sets everything in motion.",
            "model_id": "eleven_multilingual_v2",
            "voice_settings": {"stability": 0.5, "similarity_boost": 0.75}
        })
    );
}

#[tokio::test]
async fn transcribes_speech_with_additional_formats() {
    let server = server(
        "POST",
        "/v1/speech-to-text",
        ok(json!({"language_code": "en", "language_probability": 0.98, "text": "hi", "words": []})),
    )
    .await;
    let client = eleven(&server);

    let transcript = client
        .speech_to_text()
        .convert("scribe_v1")
        .file(File::from_bytes(b"ID3-meeting".to_vec()).with_file_name("meeting.mp3"))
        .language_code("en")
        .diarize(true)
        .additional_formats([
            ExportOptions::from(SrtExportOptions::default().max_characters_per_line(42)),
            ExportOptions::from(TxtExportOptions::default()),
        ])
        .await
        .unwrap();

    let SpeechToTextConvertResponse::SpeechToTextChunkResponseModel(transcript) = transcript else {
        panic!("expected a single-channel transcript, got {transcript:?}");
    };
    assert_eq!(transcript.text, "hi");
    let request = sent(&server, XI, "POST", "/v1/speech-to-text", None).await;
    let parts = multipart_parts(&request);
    let names: Vec<&str> = parts.iter().map(|(name, _, _)| name.as_str()).collect();
    assert_eq!(
        names,
        [
            "model_id",
            "file",
            "language_code",
            "diarize",
            "additional_formats"
        ]
    );
    let texts = text_parts(&parts);
    assert_eq!(texts[0].1, "scribe_v1");
    assert_eq!(texts[1].1, "ID3-meeting");
    assert!(
        parts[1].1.contains("filename=\"meeting.mp3\""),
        "{}",
        parts[1].1
    );
    assert_eq!(texts[2].1, "en");
    assert_eq!(texts[3].1, "true");
    assert!(parts[4]
        .1
        .to_ascii_lowercase()
        .contains("content-type: application/json"));
    assert_eq!(
        serde_json::from_slice::<Value>(&parts[4].2).unwrap(),
        json!([{"format": "srt", "max_characters_per_line": 42}, {"format": "txt"}])
    );
}

#[tokio::test]
async fn adds_a_voice_from_two_files() {
    let server = server(
        "POST",
        "/v1/voices/add",
        ok(json!({"voice_id": "v9", "requires_verification": false})),
    )
    .await;
    let client = eleven(&server);

    let voice = client
        .voices()
        .ivc()
        .create(
            "Narrator",
            [
                File::from_bytes(b"take-one".to_vec()).with_file_name("take1.mp3"),
                File::from_bytes(b"take-two".to_vec()).with_file_name("take2.mp3"),
            ],
        )
        .description("Warm, calm narration voice")
        .remove_background_noise(true)
        .await
        .unwrap();

    assert_eq!(voice.voice_id, "v9");
    let request = sent(&server, XI, "POST", "/v1/voices/add", None).await;
    let parts = multipart_parts(&request);
    let mut texts = text_parts(&parts);
    texts.sort();
    assert_eq!(
        texts,
        [
            ("description", "Warm, calm narration voice".to_owned()),
            ("files", "take-one".to_owned()),
            ("files", "take-two".to_owned()),
            ("name", "Narrator".to_owned()),
            ("remove_background_noise", "true".to_owned()),
        ]
    );
    let files: Vec<&String> = parts
        .iter()
        .filter(|(name, _, _)| name == "files")
        .map(|(_, headers, _)| headers)
        .collect();
    assert!(files[0].contains("filename=\"take1.mp3\""), "{}", files[0]);
    assert!(files[1].contains("filename=\"take2.mp3\""), "{}", files[1]);
}

#[tokio::test]
async fn edits_voice_settings_with_an_explicit_null() {
    let server = server(
        "POST",
        "/v1/voices/v9/settings/edit",
        ok(json!({"status": "ok"})),
    )
    .await;
    let client = eleven(&server);

    let edited = client
        .voices()
        .settings()
        .update(
            "v9",
            &VoiceSettingsResponseModel::default()
                .stability(0.4)
                .speed(1.1)
                .style_null(),
        )
        .await
        .unwrap();

    assert_eq!(edited.status, "ok");
    let request = sent(&server, XI, "POST", "/v1/voices/v9/settings/edit", None).await;
    assert_eq!(
        body_json(&request),
        json!({"stability": 0.4, "speed": 1.1, "style": null})
    );
}

#[tokio::test]
async fn adds_a_pronunciation_dictionary_from_rules() {
    let server = server(
        "POST",
        "/v1/pronunciation-dictionaries/add-from-rules",
        ok(json!({
            "id": "pd_1",
            "name": "Brand names",
            "created_by": "user_1",
            "creation_time_unix": 1700000000,
            "version_id": "ver_1",
            "version_rules_num": 2,
            "description": "How we say our product names"
        })),
    )
    .await;
    let client = eleven(&server);

    let dictionary = client
        .pronunciation_dictionaries()
        .create_from_rules(
            [
                PronunciationDictionaryAliasRuleRequestModel::new("Acme", "Ack-mee").into(),
                PronunciationDictionaryPhonemeRuleRequestModel::new("tomato", "/təˈmeɪtoʊ/", "ipa")
                    .into(),
            ],
            "Brand names",
        )
        .description("How we say our product names")
        .workspace_access("viewer")
        .await
        .unwrap();

    assert_eq!(dictionary.version_rules_num, 2);
    let request = sent(
        &server,
        XI,
        "POST",
        "/v1/pronunciation-dictionaries/add-from-rules",
        None,
    )
    .await;
    assert_eq!(
        body_json(&request),
        json!({
            "rules": [
                {"type": "alias", "string_to_replace": "Acme", "alias": "Ack-mee"},
                {"type": "phoneme", "string_to_replace": "tomato", "phoneme": "/təˈmeɪtoʊ/", "alphabet": "ipa"}
            ],
            "name": "Brand names",
            "description": "How we say our product names",
            "workspace_access": "viewer"
        })
    );
}

#[tokio::test]
async fn lists_history_with_filters() {
    let server = server(
        "GET",
        "/v1/history",
        ok(json!({"history": [], "last_history_item_id": null, "has_more": false, "scanned_until": null})),
    )
    .await;
    let client = eleven(&server);

    let history = client
        .history()
        .list()
        .page_size(20)
        .voice_id("JBFqnCBsd6RMkjVDRZzb")
        .date_after_unix(1700000000)
        .sort_direction("desc")
        .source("TTS")
        .await
        .unwrap();

    assert!(history.history.is_empty());
    let request = sent(&server, XI,
        "GET",
        "/v1/history",
        Some("page_size=20&voice_id=JBFqnCBsd6RMkjVDRZzb&date_after_unix=1700000000&sort_direction=desc&source=TTS"),
    )
    .await;
    assert!(request.body.is_empty());
}

#[tokio::test]
async fn dubs_a_video_from_a_url() {
    let server = server(
        "POST",
        "/v1/dubbing",
        ok(json!({"dubbing_id": "dub_1", "expected_duration_sec": 12.5})),
    )
    .await;
    let client = eleven(&server);

    let dubbing = client
        .dubbing()
        .create()
        .source_url("https://example.com/launch.mp4")
        .source_lang("en")
        .target_lang("es")
        .num_speakers(2)
        .watermark(true)
        .await
        .unwrap();

    assert_eq!(dubbing.dubbing_id, "dub_1");
    let request = sent(&server, XI, "POST", "/v1/dubbing", None).await;
    let parts = multipart_parts(&request);
    let mut texts = text_parts(&parts);
    texts.sort();
    assert_eq!(
        texts,
        [
            ("num_speakers", "2".to_owned()),
            ("source_lang", "en".to_owned()),
            ("source_url", "https://example.com/launch.mp4".to_owned()),
            ("target_lang", "es".to_owned()),
            ("watermark", "true".to_owned()),
        ]
    );
}

#[tokio::test]
async fn generates_a_sound_effect() {
    let server = server(
        "POST",
        "/v1/sound-generation",
        ResponseTemplate::new(200).set_body_raw(vec![1, 2, 3], "audio/mpeg"),
    )
    .await;
    let client = eleven(&server);

    let effect = client
        .text_to_sound_effects()
        .convert("Glass shattering on a concrete floor")
        .duration_seconds(2.5)
        .prompt_influence(0.6)
        .await
        .unwrap();

    assert_eq!(effect.bytes().await.unwrap().as_ref(), [1, 2, 3]);
    let request = sent(&server, XI, "POST", "/v1/sound-generation", None).await;
    assert_eq!(
        body_json(&request),
        json!({
            "text": "Glass shattering on a concrete floor",
            "duration_seconds": 2.5,
            "prompt_influence": 0.6
        })
    );
}

#[tokio::test]
async fn searches_voices() {
    let server = server(
        "GET",
        "/v2/voices",
        ok(json!({"voices": [], "has_more": false, "total_count": 0, "next_page_token": null})),
    )
    .await;
    let client = eleven(&server);

    let voices = client
        .voices()
        .search()
        .search("narrator")
        .page_size(10)
        .category("professional")
        .await
        .unwrap();

    assert_eq!(voices.total_count, 0);
    sent(
        &server,
        XI,
        "GET",
        "/v2/voices",
        Some("page_size=10&search=narrator&category=professional"),
    )
    .await;
}

// --------------------------------------------------------------------- Tavus

#[tokio::test]
async fn seed_creates_a_tavus_deployment() {
    let server = server(
        "POST",
        "/v2/deployments",
        ok(json!({"deployment_id": "d1234567890abcdef", "pal_id": "pcb7a34da5fe", "channel": "embed"})),
    )
    .await;
    let client = tavus(&server);

    let deployment = client
        .deployments()
        .create(
            &CreateDeploymentRequest::new("pcb7a34da5fe", "embed")
                .name("Lobby")
                .password_null()
                .limits(json!({"max_duration": 600}))
                .allowed_origins(["https://example.com"]),
        )
        .await
        .unwrap();

    assert_eq!(
        deployment.deployment_id.as_deref(),
        Some("d1234567890abcdef")
    );
    let request = sent(&server, TAVUS, "POST", "/v2/deployments", None).await;
    assert_eq!(
        body_json(&request),
        json!({
            "pal_id": "pcb7a34da5fe",
            "channel": "embed",
            "name": "Lobby",
            "password": null,
            "limits": {"max_duration": 600},
            "allowed_origins": ["https://example.com"]
        })
    );
}

#[tokio::test]
async fn starts_a_tavus_conversation() {
    let server = server(
        "POST",
        "/v2/conversations",
        ok(json!({
            "conversation_id": "c123",
            "conversation_url": "https://tavus.daily.co/c123",
            "status": "active"
        })),
    )
    .await;
    let client = tavus(&server);

    let conversation = client
        .conversations()
        .create(
            &CreateConversationRequest::default()
                .replica_id("r79e1c033f")
                .persona_id("p5317866")
                .custom_greeting("Hi! Thanks for joining.")
                .properties(
                    ConversationProperties::default()
                        .max_call_duration(600)
                        .enable_recording(true)
                        .language("english"),
                ),
        )
        .await
        .unwrap();

    assert_eq!(conversation.conversation_id.as_deref(), Some("c123"));
    let request = sent(&server, TAVUS, "POST", "/v2/conversations", None).await;
    assert_eq!(
        body_json(&request),
        json!({
            "replica_id": "r79e1c033f",
            "persona_id": "p5317866",
            "custom_greeting": "Hi! Thanks for joining.",
            "properties": {"max_call_duration": 600, "enable_recording": true, "language": "english"}
        })
    );
}

#[tokio::test]
async fn gets_a_tavus_conversation_verbosely() {
    let server = server(
        "GET",
        "/v2/conversations/c123",
        ok(json!({"conversation_id": "c123", "status": "ended"})),
    )
    .await;
    let client = tavus(&server);

    let conversation = client
        .conversations()
        .get("c123")
        .verbose(true)
        .await
        .unwrap();

    assert_eq!(conversation.status.as_deref(), Some("ended"));
    let request = sent(
        &server,
        TAVUS,
        "GET",
        "/v2/conversations/c123",
        Some("verbose=true"),
    )
    .await;
    assert!(request.body.is_empty());
}

#[tokio::test]
async fn creates_a_tavus_persona_with_layers() {
    let server = server(
        "POST",
        "/v2/personas",
        ok(json!({"persona_id": "p5317866", "persona_name": "Support Pal"})),
    )
    .await;
    let client = tavus(&server);

    let persona = client
        .personas()
        .create(
            &CreatePersonaRequest::default()
                .persona_name("Support Pal")
                .system_prompt("You help customers with billing questions.")
                .pipeline_mode("full")
                .default_replica_id("r79e1c033f")
                .layers(
                    PersonaLayers::default()
                        .llm(LlmLayer::default().model("tavus-gpt-4o"))
                        .tts(TtsLayer::default().tts_engine("cartesia")),
                ),
        )
        .await
        .unwrap();

    assert_eq!(persona.persona_id.as_deref(), Some("p5317866"));
    let request = sent(&server, TAVUS, "POST", "/v2/personas", None).await;
    assert_eq!(
        body_json(&request),
        json!({
            "persona_name": "Support Pal",
            "system_prompt": "You help customers with billing questions.",
            "pipeline_mode": "full",
            "default_replica_id": "r79e1c033f",
            "layers": {"llm": {"model": "tavus-gpt-4o"}, "tts": {"tts_engine": "cartesia"}}
        })
    );
}

#[tokio::test]
async fn patches_a_tavus_persona_with_json_patch() {
    let server = server(
        "PATCH",
        "/v2/personas/p5317866",
        ok(json!({"persona_id": "p5317866", "persona_name": "Billing Pal"})),
    )
    .await;
    let client = tavus(&server);

    client
        .personas()
        .patch(
            "p5317866",
            &vec![
                JsonPatchOperation::new("replace", "/persona_name").value("Billing Pal"),
                JsonPatchOperation::new("remove", "/context"),
            ],
        )
        .await
        .unwrap();

    let request = sent(&server, TAVUS, "PATCH", "/v2/personas/p5317866", None).await;
    assert_eq!(
        body_json(&request),
        json!([
            {"op": "replace", "path": "/persona_name", "value": "Billing Pal"},
            {"op": "remove", "path": "/context"}
        ])
    );
}

#[tokio::test]
async fn lists_tavus_documents_by_tag() {
    let server = server("GET", "/v2/documents", ok(json!({"data": []}))).await;
    let client = tavus(&server);

    client
        .documents()
        .list()
        .page(2)
        .page_size(25)
        .tags("faq")
        .await
        .unwrap();

    let request = sent(
        &server,
        TAVUS,
        "GET",
        "/v2/documents",
        Some("page=2&page_size=25&tags=faq"),
    )
    .await;
    assert!(request.body.is_empty());
}

#[tokio::test]
async fn updates_a_tavus_document() {
    let server = server(
        "PATCH",
        "/v2/documents/doc_1",
        ok(json!({"document_id": "doc_1", "document_name": "Refund policy"})),
    )
    .await;
    let client = tavus(&server);

    let document = client
        .documents()
        .update(
            "doc_1",
            &UpdateDocumentRequest::default()
                .document_name("Refund policy")
                .tags(["faq", "billing"]),
        )
        .await
        .unwrap();

    assert_eq!(document.document_name.as_deref(), Some("Refund policy"));
    let request = sent(&server, TAVUS, "PATCH", "/v2/documents/doc_1", None).await;
    assert_eq!(
        body_json(&request),
        json!({"document_name": "Refund policy", "tags": ["faq", "billing"]})
    );
}

#[tokio::test]
async fn renames_a_tavus_replica() {
    let server = server(
        "PATCH",
        "/v2/replicas/r79e1c033f/name",
        ok(json!({"replica_id": "r79e1c033f", "replica_name": "Anna"})),
    )
    .await;
    let client = tavus(&server);

    client
        .replicas()
        .rename("r79e1c033f", &RenameReplicaRequest::new("Anna"))
        .await
        .unwrap();

    let request = sent(
        &server,
        TAVUS,
        "PATCH",
        "/v2/replicas/r79e1c033f/name",
        None,
    )
    .await;
    assert_eq!(body_json(&request), json!({"replica_name": "Anna"}));
}
