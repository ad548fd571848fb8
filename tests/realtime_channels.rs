//! The generated realtime channels against a local WebSocket server on
//! 127.0.0.1: the `x-fern-examples` exchanges of both AsyncAPI documents run
//! end to end through the generated connect calls (read from the vendored
//! documents at test time, never copied), the conversation answers the
//! server's `ping` by itself, a message of an unknown kind is kept, and
//! every example message decodes into its channel's type and round-trips.

use std::collections::BTreeMap;
use std::fmt::Debug;
use std::future::Future;
use std::path::{Path, PathBuf};
use std::time::Duration;

use api_clients::elevenlabs::types::{
    ConversationalConversationClientMessage as ConversationOut,
    ConversationalConversationServerMessage as ConversationIn,
    TextToSpeechMultiInputClientMessage as MultiOut,
    TextToSpeechMultiInputServerMessage as MultiIn, TextToSpeechStreamInputClientMessage as TtsOut,
    TextToSpeechStreamInputServerMessage as TtsIn,
};
use api_clients::elevenlabs::Client;
use api_clients::runtime::realtime::base64_bytes::{Decoded, Encoded};
use futures_util::{SinkExt, StreamExt};
use generator::manifest::Manifest;
use serde::de::DeserializeOwned;
use serde::Serialize;
use serde_json::{json, Value};
use tokio::net::TcpListener;
use tokio::sync::oneshot;
use tokio::task::JoinHandle;
use tokio_tungstenite::tungstenite::handshake::server::{Request as Upgrade, Response};
use tokio_tungstenite::tungstenite::protocol::frame::coding::CloseCode;
use tokio_tungstenite::tungstenite::protocol::CloseFrame;
use tokio_tungstenite::tungstenite::Message;
use tokio_tungstenite::WebSocketStream;

const TTS_DOCUMENT: &str = "elevenlabs-tts.asyncapi.yaml";
const CONVAI_DOCUMENT: &str = "elevenlabs-convai.asyncapi.yaml";
const STREAM_INPUT: &str = "/v1/text-to-speech/{voice_id}/stream-input";
const MULTI_STREAM_INPUT: &str = "/v1/text-to-speech/{voice_id}/multi-stream-input";
const CONVERSATION: &str = "/v1/convai/conversation";

/// Where an example disagrees with its own document's schema: a key the
/// schema does not declare (spelled otherwise there, or missing), which the
/// generated type (an open struct, keeping the schema's names) skips when
/// it decodes, so the round trip loses exactly that key.
const KEYS_NOT_IN_SCHEMA: &[(&str, &str, &str, &str)] = &[
    (
        STREAM_INPUT,
        "InitializeConnection",
        "xi_api_key",
        "the schema's property is `xi-api-key`",
    ),
    (
        STREAM_INPUT,
        "AudioOutput",
        "isFinal",
        "the AudioOutput schema declares no `isFinal` (FinalOutput does)",
    ),
    (
        MULTI_STREAM_INPUT,
        "AudioOutputMulti",
        "is_final",
        "the schema's property is `isFinal`",
    ),
];

/// Audio placeholders that are not canonical base64 (their last digit
/// has bits past the last byte): the bytes decode, and are written back
/// canonically. By JSON pointer inside the message.
const NOT_CANONICAL_BASE64: &[(&str, &str, &str)] = &[
    (CONVERSATION, "UserAudioChunk", "/user_audio_chunk"),
    (CONVERSATION, "AudioResponse", "/audio_event/audio_base_64"),
];

/// Examples that decode as another kind than their `messageId`, and why.
/// They still round-trip unchanged.
const DECODED_AS_ANOTHER_KIND: &[(&str, &str, &str, &str)] = &[
    (
        STREAM_INPUT,
        "CloseConnection",
        "SendText",
        "`{text: \"\"}` is a valid SendText too, which the document lists first: \
         these messages carry no tag, so the first member that fits wins",
    ),
    (
        MULTI_STREAM_INPUT,
        "FlushContextClient",
        "SendTextMulti",
        "`{context_id, text, flush}` is a valid SendTextMulti too, listed first",
    ),
    (
        MULTI_STREAM_INPUT,
        "KeepContextAlive",
        "InitialiseContext",
        "`{text: \"\", context_id}` is a valid InitialiseContext too, listed first",
    ),
    (
        MULTI_STREAM_INPUT,
        "SendTextMulti",
        "InitialiseContext",
        "`{text, context_id}` is a valid InitialiseContext too, listed first",
    ),
    (
        MULTI_STREAM_INPUT,
        "FinalOutputMulti",
        "Unknown",
        "it spells the required `isFinal` as `is_final`, so no member takes it \
         and the catch-all keeps it whole",
    ),
];

type Ws = WebSocketStream<tokio::net::TcpStream>;

/// One AsyncAPI document of the ElevenLabs API, by file name, as the
/// manifest lists it.
fn document(file: &str) -> Value {
    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    let manifest = Manifest::load(&root.join("specs/apis.toml")).expect("the manifest loads");
    let api = manifest
        .api("elevenlabs")
        .expect("elevenlabs is in the manifest");
    let path: PathBuf = api
        .asyncapi
        .iter()
        .map(|path| manifest.resolve(path))
        .find(|path| path.ends_with(file))
        .expect("the manifest lists the document");
    let text = std::fs::read_to_string(&path).expect("the vendored document reads");
    serde_yaml_ng::from_str(&text).expect("the document is YAML")
}

/// One step of an `x-fern-examples` exchange.
#[derive(Debug, Clone)]
struct Step {
    client_sends: bool,
    message_id: String,
    value: Value,
}

struct Exchange {
    query: BTreeMap<String, Value>,
    steps: Vec<Step>,
}

fn exchanges(document: &Value, address: &str) -> Vec<Exchange> {
    let examples = document["channels"][address]["x-fern-examples"]
        .as_array()
        .expect("the channel has x-fern-examples");
    examples
        .iter()
        .map(|example| Exchange {
            query: example["query-parameters"]
                .as_object()
                .map(|query| query.clone().into_iter().collect())
                .unwrap_or_default(),
            steps: example["messages"]
                .as_array()
                .expect("an example lists messages")
                .iter()
                .map(|message| Step {
                    client_sends: message["type"] == "publish",
                    message_id: message["messageId"].as_str().unwrap().to_owned(),
                    value: message["value"].clone(),
                })
                .collect(),
        })
        .collect()
}

/// The name of the schema a message's payload refers to: the variant its
/// channel's type decodes it into.
fn payload_schema(document: &Value, message_id: &str) -> String {
    let reference = document["components"]["messages"][message_id]["payload"]["$ref"]
        .as_str()
        .expect("the message's payload is a component schema");
    reference.rsplit('/').next().unwrap().to_owned()
}

/// The example as the generated type keeps it: without the keys it spells
/// otherwise than the schema (asserting that it does spell them so).
fn expected_after_round_trip(address: &str, step: &Step) -> Value {
    let mut expected = step.value.clone();
    for (channel, message_id, pointer) in NOT_CANONICAL_BASE64 {
        if *channel == address && *message_id == step.message_id {
            let text = expected
                .pointer_mut(pointer)
                .expect("the example has its audio");
            let bytes: Decoded = serde_json::from_value(text.clone()).unwrap();
            let canonical = serde_json::to_value(Encoded(&bytes.0)).unwrap();
            assert_ne!(
                *text, canonical,
                "{message_id}: update NOT_CANONICAL_BASE64"
            );
            *text = canonical;
        }
    }
    for (channel, message_id, key, _why) in KEYS_NOT_IN_SCHEMA {
        if *channel == address && *message_id == step.message_id {
            let removed = expected.as_object_mut().and_then(|o| o.remove(*key));
            assert!(
                removed.is_some(),
                "{message_id} of {address} no longer has `{key}`: update KEYS_NOT_IN_SCHEMA"
            );
        }
    }
    expected
}

/// The variant name of a decoded message, from its `Debug` form.
fn variant_name(message: &impl Debug) -> String {
    let text = format!("{message:?}");
    text.split('(').next().unwrap().to_owned()
}

/// Decodes `value` as `T`, and encodes it again.
fn round_trip<T: DeserializeOwned + Serialize + Debug>(value: &Value) -> (String, Value) {
    let decoded: T = serde_json::from_value(value.clone())
        .unwrap_or_else(|error| panic!("{value} does not decode: {error}"));
    (
        variant_name(&decoded),
        serde_json::to_value(&decoded).unwrap(),
    )
}

/// How one side of a channel round-trips.
type RoundTrip = fn(&Value) -> (String, Value);

fn sides(address: &str) -> (RoundTrip, RoundTrip) {
    match address {
        STREAM_INPUT => (round_trip::<TtsOut>, round_trip::<TtsIn>),
        MULTI_STREAM_INPUT => (round_trip::<MultiOut>, round_trip::<MultiIn>),
        CONVERSATION => (round_trip::<ConversationOut>, round_trip::<ConversationIn>),
        other => panic!("no generated channel for {other}"),
    }
}

#[test]
fn every_example_message_decodes_into_its_type_and_round_trips() {
    let mut checked = 0;
    let mut other_kinds = Vec::new();
    for file in [TTS_DOCUMENT, CONVAI_DOCUMENT] {
        let document = document(file);
        let channels = document["channels"].as_object().unwrap();
        for address in channels.keys() {
            let (client, server) = sides(address);
            for exchange in exchanges(&document, address) {
                for step in &exchange.steps {
                    let side = if step.client_sends { client } else { server };
                    let (variant, encoded) = side(&step.value);
                    if variant != payload_schema(&document, &step.message_id) {
                        other_kinds.push((address.clone(), step.message_id.clone(), variant));
                    }
                    assert_eq!(
                        encoded,
                        expected_after_round_trip(address, step),
                        "{file} {address}: {} does not round-trip",
                        step.message_id
                    );
                    checked += 1;
                }
            }
        }
    }
    // 4 + 13 + 13 today: each channel's exchanges, message by message.
    assert_eq!(checked, 30, "the documents' example messages changed");
    other_kinds.sort();
    other_kinds.dedup();
    let mut listed: Vec<(String, String, String)> = DECODED_AS_ANOTHER_KIND
        .iter()
        .map(|(channel, id, kind, _why)| (channel.to_string(), id.to_string(), kind.to_string()))
        .collect();
    listed.sort();
    assert_eq!(
        other_kinds, listed,
        "the examples that decode as another kind than their messageId"
    );
}

/// The longest any test may take.
async fn bounded<F: Future>(test: F) -> F::Output {
    tokio::time::timeout(Duration::from_secs(30), test)
        .await
        .expect("the test hung")
}

/// A server for one connection: the upgrade's target and API key, then
/// `handler` on the socket.
async fn serve<F, Fut>(handler: F) -> (u16, oneshot::Receiver<(String, String)>, JoinHandle<()>)
where
    F: FnOnce(Ws) -> Fut + Send + 'static,
    Fut: Future<Output = ()> + Send,
{
    let listener = TcpListener::bind("127.0.0.1:0").await.unwrap();
    let port = listener.local_addr().unwrap().port();
    let (seen, seen_by_test) = oneshot::channel();
    let task = tokio::spawn(async move {
        let (stream, _) = listener.accept().await.unwrap();
        #[allow(clippy::result_large_err)]
        let record = |request: &Upgrade, response: Response| {
            let key = request
                .headers()
                .get("xi-api-key")
                .map(|v| v.to_str().unwrap().to_owned())
                .unwrap_or_default();
            let _ = seen.send((request.uri().to_string(), key));
            Ok(response)
        };
        let ws = tokio_tungstenite::accept_hdr_async(stream, record)
            .await
            .unwrap();
        handler(ws).await;
    });
    (port, seen_by_test, task)
}

fn client(port: u16) -> Client {
    Client::builder()
        .api_key("test-key")
        .base_url(format!("http://127.0.0.1:{port}"))
        .no_retries()
        .build()
        .unwrap()
}

async fn receive_json(ws: &mut Ws) -> Value {
    loop {
        match ws.next().await.expect("a message").expect("a frame") {
            Message::Text(text) => return serde_json::from_str(&text).unwrap(),
            Message::Ping(_) | Message::Pong(_) => {}
            other => panic!("expected a text message, got {other:?}"),
        }
    }
}

/// Closes with 1000 and reads the client's answer.
async fn close_normally(ws: &mut Ws) {
    let frame = CloseFrame {
        code: CloseCode::Normal,
        reason: "".into(),
    };
    ws.close(Some(frame)).await.unwrap();
    while let Some(Ok(_)) = ws.next().await {}
}

async fn send_json(ws: &mut Ws, value: &Value) {
    ws.send(Message::text(value.to_string())).await.unwrap();
}

/// Plays the server's side of `steps`: checks what the client sends
/// (as its type keeps it), sends what the server sends, then `extra`,
/// then closes normally.
async fn play_server(mut ws: Ws, address: &'static str, steps: Vec<Step>, extra: Vec<Value>) {
    for step in &steps {
        if step.client_sends {
            let received = receive_json(&mut ws).await;
            assert_eq!(
                received,
                expected_after_round_trip(address, step),
                "the client sent {} otherwise",
                step.message_id
            );
        } else {
            send_json(&mut ws, &step.value).await;
        }
    }
    for value in &extra {
        send_json(&mut ws, value).await;
    }
    close_normally(&mut ws).await;
}

#[tokio::test]
async fn the_stream_input_example_runs_end_to_end() {
    bounded(async {
        let document = document(TTS_DOCUMENT);
        let exchange = exchanges(&document, STREAM_INPUT).remove(0);
        let model_id = exchange.query["model_id"].as_str().unwrap().to_owned();
        // After the example's audio, the end of the generation: the
        // `FinalOutput` shape, `isFinal: true`.
        let final_output = json!({"isFinal": true});
        let steps = exchange.steps.clone();
        let extra = vec![final_output.clone()];
        let (port, seen, server) =
            serve(move |ws| play_server(ws, STREAM_INPUT, steps, extra)).await;
        let client = client(port);
        let connection = client
            .text_to_speech()
            .stream_input("voice 1")
            .model_id(model_id.as_str())
            .connect()
            .await
            .expect("the channel opens");
        let (target, key) = seen.await.unwrap();
        assert_eq!(
            target,
            format!("/v1/text-to-speech/voice%201/stream-input?model_id={model_id}")
        );
        assert_eq!(key, "test-key", "the client's API key is the header");
        let (sender, mut receiver) = connection.split();
        let mut expected_server = Vec::new();
        for step in &exchange.steps {
            if step.client_sends {
                let message: TtsOut = serde_json::from_value(step.value.clone()).unwrap();
                sender.send(message).await.expect("the message is sent");
            } else {
                expected_server.push(expected_after_round_trip(STREAM_INPUT, step));
            }
        }
        expected_server.push(final_output);
        let mut last = None;
        for expected in expected_server {
            let message = receiver
                .next()
                .await
                .expect("a message")
                .expect("it decodes");
            assert_eq!(serde_json::to_value(&message).unwrap(), expected);
            last = Some(message);
        }
        assert!(matches!(last, Some(TtsIn::FinalOutput(_))), "{last:?}");
        assert!(
            receiver.next().await.is_none(),
            "a normal close ends the stream"
        );
        server.await.unwrap();
    })
    .await;
}

#[tokio::test]
async fn the_conversation_example_runs_end_to_end() {
    bounded(async {
        let document = document(CONVAI_DOCUMENT);
        let exchange = exchanges(&document, CONVERSATION).remove(0);
        let steps = exchange.steps.clone();
        let (port, seen, server) =
            serve(move |ws| play_server(ws, CONVERSATION, steps, Vec::new())).await;
        let client = client(port);
        // The example answers its `ping` itself, so the connection must not.
        let mut connection = client
            .conversational_ai()
            .conversation("agent 7")
            .auto_reply(false)
            .connect()
            .await
            .expect("the channel opens");
        let (target, key) = seen.await.unwrap();
        assert_eq!(target, "/v1/convai/conversation?agent_id=agent+7");
        assert_eq!(key, "test-key");
        for step in &exchange.steps {
            if step.client_sends {
                let message: ConversationOut = serde_json::from_value(step.value.clone()).unwrap();
                connection.send(message).await.expect("the message is sent");
            } else {
                let message = connection
                    .next()
                    .await
                    .expect("a message")
                    .expect("it decodes");
                assert_eq!(
                    variant_name(&message),
                    payload_schema(&document, &step.message_id)
                );
                assert_eq!(
                    serde_json::to_value(&message).unwrap(),
                    expected_after_round_trip(CONVERSATION, step)
                );
            }
        }
        assert!(
            connection.next().await.is_none(),
            "a normal close ends the stream"
        );
        server.await.unwrap();
    })
    .await;
}

/// The example's `ping`, from the document.
fn example_ping(document: &Value) -> Value {
    exchanges(document, CONVERSATION)
        .into_iter()
        .flat_map(|exchange| exchange.steps)
        .find(|step| !step.client_sends && step.value["type"] == "ping")
        .expect("the example has a ping")
        .value
}

#[tokio::test]
async fn the_conversation_answers_ping_with_pong_by_itself() {
    bounded(async {
        let ping = example_ping(&document(CONVAI_DOCUMENT));
        let event_id = ping["ping_event"]["event_id"].clone();
        let sent = ping.clone();
        let (port, _seen, server) = serve(move |mut ws| async move {
            send_json(&mut ws, &sent).await;
            let answer = receive_json(&mut ws).await;
            assert_eq!(answer, json!({"type": "pong", "event_id": event_id}));
            close_normally(&mut ws).await;
        })
        .await;
        let mut connection = client(port)
            .conversational_ai()
            .conversation("agent")
            .connect()
            .await
            .unwrap();
        let message = connection.next().await.expect("the ping").unwrap();
        assert!(matches!(message, ConversationIn::Ping(_)), "{message:?}");
        assert_eq!(serde_json::to_value(&message).unwrap(), ping);
        assert!(connection.next().await.is_none());
        server.await.unwrap();
    })
    .await;
}

#[tokio::test]
async fn a_message_of_an_unknown_kind_is_kept() {
    bounded(async {
        let unknown = json!({"type": "kind_added_upstream", "detail": {"n": 1}});
        let after = json!({"type": "interruption", "interruption_event": {"event_id": 3}});
        let sent = vec![unknown.clone(), after.clone()];
        let (port, _seen, server) = serve(move |mut ws| async move {
            for value in &sent {
                send_json(&mut ws, value).await;
            }
            close_normally(&mut ws).await;
        })
        .await;
        let mut connection = client(port)
            .conversational_ai()
            .conversation("agent")
            .connect()
            .await
            .unwrap();
        match connection.next().await.expect("a message").unwrap() {
            ConversationIn::Unknown(value) => assert_eq!(value, unknown),
            other => panic!("expected the catch-all, got {other:?}"),
        }
        let next = connection.next().await.expect("the next message").unwrap();
        assert!(matches!(next, ConversationIn::Interruption(_)), "{next:?}");
        assert!(connection.next().await.is_none());
        connection.close().await.ok();
        server.await.unwrap();
    })
    .await;
}

/// Stream-input messages carry no tag, and `FinalOutput`'s one field is
/// optional: an object of a kind the document does not describe is kept
/// whole, not taken as an empty `FinalOutput`.
#[test]
fn an_undescribed_stream_input_message_is_kept_whole() {
    let error =
        json!({"message": "Unusual activity detected", "error": "policy_violation", "code": 1008});
    let decoded: TtsIn = serde_json::from_value(error.clone()).unwrap();
    match decoded {
        TtsIn::Unknown(value) => assert_eq!(value, error),
        other => panic!("expected the catch-all, got {other:?}"),
    }
    let end: TtsIn = serde_json::from_value(json!({"isFinal": true})).unwrap();
    assert!(matches!(end, TtsIn::FinalOutput(_)), "{end:?}");
}

/// The README's two realtime examples, compiled (never run: they need the
/// real API).
#[allow(dead_code)]
mod readme {
    use api_clients::elevenlabs::types::{
        ConversationalConversationServerMessage, InitializeConnection, SendText,
        TextToSpeechStreamInputServerMessage, UserMessage,
    };
    use api_clients::elevenlabs::{Client, Error};
    use api_clients::runtime::StreamExt;

    fn play(_audio: &[u8]) {}

    async fn stream_input(client: &Client, voice_id: &str) -> Result<(), Error> {
        let mut tts = client
            .text_to_speech()
            .stream_input(voice_id)
            .model_id("eleven_flash_v2_5")
            .output_format("pcm_16000")
            .connect()
            .await?;
        tts.send(InitializeConnection::default().into()).await?;
        tts.send(SendText::new("Hello world ").flush(true).into())
            .await?;
        while let Some(TextToSpeechStreamInputServerMessage::AudioOutput(chunk)) =
            tts.next().await.transpose()?
        {
            play(&chunk.audio)
        }
        Ok(())
    }

    async fn conversation(client: &Client, agent_id: &str) -> Result<(), Error> {
        let (sender, mut events) = client
            .conversational_ai()
            .conversation(agent_id)
            .connect()
            .await?
            .split();
        sender
            .send(UserMessage::default().text("Hi!").into())
            .await?;
        while let Some(event) = events.next().await.transpose()? {
            if let ConversationalConversationServerMessage::AgentResponse(reply) = event {
                println!("{reply:?}")
            }
        }
        Ok(())
    }
}
