//! The generated ElevenLabs client against a local HTTP server: each test
//! checks the exact request an operation sends (method, path, query,
//! headers, body) and what the call returns.

use std::time::Duration;

use api_clients::elevenlabs::operations::speech_to_text::SpeechToTextConvert;
use api_clients::elevenlabs::types::{
    AgentDeploymentPercentageStrategy, AgentDeploymentRequest, AgentDeploymentRequestItem,
    DubbingListDubbingStatusesItem, DubbingListOrderDirection, ExportOptions,
    SpeechToTextConvertModelId, SpeechToTextConvertRequest, SrtExportOptions,
    StudioCreatePodcastMode, StudioCreatePodcastSource, TextToSpeechConvertOutputFormat,
    TxtExportOptions,
};
use api_clients::elevenlabs::{Client, Error, ErrorBody};
use api_clients::runtime::{File, RetryPolicy};
use futures_util::StreamExt;
use serde_json::json;
use wiremock::matchers::{method, path};
use wiremock::{Mock, MockServer, Request, ResponseTemplate};

use crate::support::wire;
use wire::{header, multipart_parts};

const KEY: &str = "test-key-0123456789";

fn client(server: &MockServer) -> Client {
    Client::builder()
        .api_key(KEY)
        .base_url(server.uri())
        .no_retries()
        .build()
        .expect("client builds")
}

fn fast_retries(server: &MockServer) -> Client {
    Client::builder()
        .api_key(KEY)
        .base_url(server.uri())
        .retry(RetryPolicy {
            max_retries: 2,
            initial_backoff: Duration::from_millis(10),
            max_backoff: Duration::from_millis(50),
            ..RetryPolicy::default()
        })
        .build()
        .expect("client builds")
}

async fn only_request(server: &MockServer) -> Request {
    let mut requests = server.received_requests().await.expect("recording is on");
    assert_eq!(requests.len(), 1, "expected exactly one request");
    requests.remove(0)
}

fn body_json(request: &Request) -> serde_json::Value {
    serde_json::from_slice(&request.body).expect("JSON body")
}

#[tokio::test]
async fn seed_call_deploys_agent_branches_with_traffic_percentages() {
    let server = MockServer::start().await;
    Mock::given(method("POST"))
        .and(path("/v1/convai/agents/agent_3701/deployments"))
        .respond_with(ResponseTemplate::new(200).set_body_json(
            json!({"traffic_percentage_branch_id_map": {"main": 80.0, "beta": 20.0}}),
        ))
        .mount(&server)
        .await;
    let deployments = AgentDeploymentRequest::new(vec![
        AgentDeploymentRequestItem::new("main", AgentDeploymentPercentageStrategy::new(80.0)),
        AgentDeploymentRequestItem::new("beta", AgentDeploymentPercentageStrategy::new(20.0)),
    ]);

    let deployed = client(&server)
        .conversational_ai()
        .agents()
        .deployments()
        .create("agent_3701", deployments)
        .await
        .unwrap();

    let request = only_request(&server).await;
    assert_eq!(request.method.as_str(), "POST");
    assert_eq!(header(&request, "xi-api-key"), KEY);
    assert_eq!(header(&request, "content-type"), "application/json");
    assert_eq!(header(&request, "accept"), "application/json");
    assert!(header(&request, "user-agent").starts_with("api-clients/"));
    assert_eq!(
        body_json(&request),
        json!({"deployment_request": {"requests": [
            {"branch_id": "main", "deployment_strategy": {"type": "percentage", "traffic_percentage": 80.0}},
            {"branch_id": "beta", "deployment_strategy": {"type": "percentage", "traffic_percentage": 20.0}},
        ]}})
    );
    let map = deployed.traffic_percentage_branch_id_map.unwrap();
    assert_eq!(map["main"], 80.0);
    assert_eq!(map["beta"], 20.0);
}

#[tokio::test]
async fn path_parameters_are_percent_encoded() {
    let server = MockServer::start().await;
    Mock::given(method("DELETE"))
        .respond_with(ResponseTemplate::new(200).set_body_json(json!({"status": "ok"})))
        .mount(&server)
        .await;

    client(&server).history().delete("a b/c?d").await.unwrap();

    let request = only_request(&server).await;
    assert_eq!(request.url.path(), "/v1/history/a%20b%2Fc%3Fd");
    assert_eq!(request.url.query(), None);
}

#[tokio::test]
async fn query_parameters_send_scalars_enums_and_repeated_arrays_and_omit_unset_ones() {
    let server = MockServer::start().await;
    Mock::given(method("GET"))
        .and(path("/v1/dubbing"))
        .respond_with(
            ResponseTemplate::new(200)
                .set_body_json(json!({"dubs": [], "has_more": false, "next_cursor": null})),
        )
        .mount(&server)
        .await;

    let page = client(&server)
        .dubbing()
        .list()
        .cursor("c 1")
        .page_size(5)
        .dubbing_statuses([
            DubbingListDubbingStatusesItem::Dubbed,
            DubbingListDubbingStatusesItem::Failed,
        ])
        .order_direction(DubbingListOrderDirection::Ascending)
        .await
        .unwrap();

    let request = only_request(&server).await;
    assert_eq!(
        request.url.query(),
        Some("cursor=c+1&page_size=5&dubbing_statuses=dubbed&dubbing_statuses=failed&order_direction=ASCENDING")
    );
    assert!(page.dubs.is_empty());
}

#[tokio::test]
async fn boolean_query_parameters_are_true_or_false() {
    let server = MockServer::start().await;
    Mock::given(method("GET"))
        .and(path("/v1/shared-voices"))
        .respond_with(
            ResponseTemplate::new(200).set_body_json(json!({"voices": [], "has_more": false})),
        )
        .mount(&server)
        .await;

    client(&server)
        .voices()
        .get_shared()
        .featured(true)
        .use_cases(["audiobook", "news"])
        .await
        .unwrap();

    let request = only_request(&server).await;
    assert_eq!(
        request.url.query(),
        Some("use_cases=audiobook&use_cases=news&featured=true")
    );
}

#[tokio::test]
async fn header_parameters_are_sent_and_the_api_key_is_not_a_method_argument() {
    let server = MockServer::start().await;
    Mock::given(method("POST"))
        .and(path("/v1/studio/podcasts"))
        .respond_with(ResponseTemplate::new(500))
        .mount(&server)
        .await;
    let mode: StudioCreatePodcastMode =
        serde_json::from_value(json!({"type": "bulletin", "bulletin": {"host_voice_id": "v1"}}))
            .expect("a valid podcast mode");
    let source: StudioCreatePodcastSource =
        serde_json::from_value(json!({"type": "text", "text": "hello"}))
            .expect("a valid podcast source");

    let error = client(&server)
        .studio()
        .create_podcast("eleven_v3", mode, source)
        .safety_identifier("user-42")
        .await
        .unwrap_err();

    assert_eq!(error.status(), Some(500));
    let request = only_request(&server).await;
    assert_eq!(header(&request, "safety-identifier"), "user-42");
    assert_eq!(header(&request, "xi-api-key"), KEY);
}

#[tokio::test]
async fn binary_response_as_bytes_with_query_and_accept() {
    let server = MockServer::start().await;
    let audio = vec![0xFF, 0xFB, 0x90, 0x00, 1, 2, 3];
    Mock::given(method("POST"))
        .and(path("/v1/text-to-speech/voice1"))
        .respond_with(ResponseTemplate::new(200).set_body_raw(audio.clone(), "audio/mpeg"))
        .mount(&server)
        .await;
    let stream = client(&server)
        .text_to_speech()
        .convert("voice1", "Hello there")
        .output_format(TextToSpeechConvertOutputFormat::Mp3_44100_128)
        .await
        .unwrap();

    assert_eq!(stream.content_type(), Some("audio/mpeg"));
    assert_eq!(stream.bytes().await.unwrap().as_ref(), audio.as_slice());
    let request = only_request(&server).await;
    assert_eq!(request.url.query(), Some("output_format=mp3_44100_128"));
    assert_eq!(header(&request, "accept"), "audio/mpeg");
    assert_eq!(body_json(&request), json!({"text": "Hello there"}));
}

#[tokio::test]
async fn binary_response_as_a_stream_of_chunks() {
    let server = MockServer::start().await;
    let audio: Vec<u8> = (0..=255u8).cycle().take(200_000).collect();
    Mock::given(method("POST"))
        .and(path("/v1/text-to-speech/voice1/stream"))
        .respond_with(ResponseTemplate::new(200).set_body_raw(audio.clone(), "audio/mpeg"))
        .mount(&server)
        .await;
    let mut stream = client(&server)
        .text_to_speech()
        .stream("voice1", "A longer text")
        .await
        .unwrap();
    let mut received = Vec::new();
    let mut chunks = 0;
    while let Some(chunk) = stream.next().await {
        received.extend_from_slice(&chunk.unwrap());
        chunks += 1;
    }

    assert_eq!(received, audio);
    assert!(chunks >= 1);
}

#[tokio::test]
async fn text_response_is_a_string() {
    let server = MockServer::start().await;
    let html = "<h1>Refunds</h1><p>Within 30 days.</p>";
    Mock::given(method("GET"))
        .and(path("/v1/convai/knowledge-base/doc1/content"))
        .respond_with(ResponseTemplate::new(200).set_body_raw(html, "text/html"))
        .mount(&server)
        .await;

    let client = client(&server);
    // A call can be kept and awaited later: it borrows the client, not the
    // temporary groups on the way to it.
    let call = client
        .conversational_ai()
        .knowledge_base()
        .documents()
        .get_content("doc1");
    let text = call.await.unwrap();

    assert_eq!(text, html);
    let request = only_request(&server).await;
    assert_eq!(header(&request, "accept"), "text/html");
}

#[tokio::test]
async fn event_stream_response_yields_each_event() {
    let server = MockServer::start().await;
    let events =
        "data: {\"type\":\"chunk\",\"n\":1}\n\n: keep-alive\n\ndata: {\"type\":\"done\"}\n\n";
    Mock::given(method("POST"))
        .and(path("/v1/music/detailed/stream"))
        .respond_with(ResponseTemplate::new(200).set_body_raw(events, "text/event-stream"))
        .mount(&server)
        .await;

    let client = client(&server);
    let call = client.music().compose_detailed_stream();
    let stream = call.await.unwrap();
    let received: Vec<String> = stream.map(|event| event.unwrap()).collect().await;

    assert_eq!(
        received,
        [r#"{"type":"chunk","n":1}"#, r#"{"type":"done"}"#]
    );
    let request = only_request(&server).await;
    assert_eq!(header(&request, "accept"), "text/event-stream");
    assert!(request.body.is_empty(), "no body was set");
}

/// Speech-to-text of a WAV file with diarization and two speakers, the
/// body's fields given as the call's argument and setters.
fn transcribe(client: &Client) -> SpeechToTextConvert<'_> {
    client
        .speech_to_text()
        .convert(SpeechToTextConvertModelId::ScribeV1)
        .file(wav_clip())
        .diarize(true)
        .num_speakers(2)
}

fn wav_clip() -> File {
    File::from_bytes(b"RIFF-audio-bytes".to_vec())
        .with_file_name("clip.wav")
        .with_content_type("audio/wav")
}

/// The same body built as a value.
fn speech_to_text_body() -> SpeechToTextConvertRequest {
    SpeechToTextConvertRequest::new(SpeechToTextConvertModelId::ScribeV1)
        .file(wav_clip())
        .diarize(true)
        .num_speakers(2)
}

/// Answers speech-to-text with a minimal transcription.
async fn mount_transcription(server: &MockServer) {
    Mock::given(method("POST"))
        .and(path("/v1/speech-to-text"))
        .respond_with(ResponseTemplate::new(200).set_body_json(json!({
            "language_code": "en", "language_probability": 0.98, "text": "hi", "words": []
        })))
        .mount(server)
        .await;
}

fn part<'a>(parts: &'a [(String, Vec<u8>)], name: &str) -> &'a (String, Vec<u8>) {
    parts
        .iter()
        .find(|(headers, _)| headers.contains(&format!("name=\"{name}\"")))
        .unwrap_or_else(|| panic!("no part {name}"))
}

#[tokio::test]
async fn multipart_body_sends_text_fields_and_the_file_with_name_and_type() {
    let server = MockServer::start().await;
    mount_transcription(&server).await;

    transcribe(&client(&server)).await.unwrap();

    let request = only_request(&server).await;
    assert!(header(&request, "content-type").starts_with("multipart/form-data; boundary="));
    let parts = multipart_parts(&request);
    assert_eq!(part(&parts, "model_id").1, b"scribe_v1");
    assert_eq!(part(&parts, "diarize").1, b"true");
    assert_eq!(part(&parts, "num_speakers").1, b"2");
    let (file_headers, file_bytes) = part(&parts, "file");
    assert!(
        file_headers.contains("filename=\"clip.wav\""),
        "{file_headers}"
    );
    assert!(file_headers
        .to_ascii_lowercase()
        .contains("content-type: audio/wav"));
    assert_eq!(file_bytes, b"RIFF-audio-bytes");
    assert_eq!(parts.len(), 4, "unset optional fields are not sent");
}

#[tokio::test]
async fn an_array_of_objects_is_one_json_part() {
    let server = MockServer::start().await;
    mount_transcription(&server).await;
    transcribe(&client(&server))
        .additional_formats([
            ExportOptions::from(SrtExportOptions::default().max_characters_per_line(42)),
            ExportOptions::from(TxtExportOptions::default()),
        ])
        .await
        .unwrap();

    let request = only_request(&server).await;
    let parts = multipart_parts(&request);
    let formats: Vec<_> = parts
        .iter()
        .filter(|(headers, _)| headers.contains("name=\"additional_formats\""))
        .collect();
    assert_eq!(formats.len(), 1, "one part for the whole array");
    let (headers, content) = formats[0];
    assert!(
        headers
            .to_ascii_lowercase()
            .contains("content-type: application/json"),
        "{headers}"
    );
    let sent: serde_json::Value = serde_json::from_slice(content).unwrap();
    assert_eq!(
        sent,
        json!([
            {"format": "srt", "max_characters_per_line": 42},
            {"format": "txt"}
        ])
    );
}

#[tokio::test]
async fn multipart_repeated_file_fields() {
    let server = MockServer::start().await;
    Mock::given(method("POST"))
        .and(path("/v1/voices/add"))
        .respond_with(
            ResponseTemplate::new(200)
                .set_body_json(json!({"voice_id": "v9", "requires_verification": false})),
        )
        .mount(&server)
        .await;
    let files = [
        File::from_bytes(b"one".to_vec()).with_file_name("1.mp3"),
        File::from_bytes(b"two".to_vec()).with_file_name("2.mp3"),
    ];

    let added = client(&server)
        .voices()
        .ivc()
        .create("Narrator", files)
        .await
        .unwrap();

    assert_eq!(added.voice_id, "v9");
    let request = only_request(&server).await;
    let parts = multipart_parts(&request);
    let files: Vec<&Vec<u8>> = parts
        .iter()
        .filter(|(h, _)| h.contains("name=\"files\""))
        .map(|(_, content)| content)
        .collect();
    assert_eq!(files, [&b"one".to_vec(), &b"two".to_vec()]);
    let file_headers = &part(&parts, "files").0;
    assert!(
        file_headers
            .to_ascii_lowercase()
            .contains("content-type: audio/mpeg"),
        "a named file takes the type its extension implies: {file_headers}"
    );
    assert_eq!(part(&parts, "name").1, b"Narrator");
}

#[tokio::test]
async fn declared_error_body_is_typed_and_undeclared_ones_stay_raw() {
    let server = MockServer::start().await;
    Mock::given(method("DELETE"))
        .and(path("/v1/history/h1"))
        .respond_with(ResponseTemplate::new(422).set_body_json(json!({
            "detail": [{"loc": ["path", "history_item_id"], "msg": "bad id", "type": "value_error"}]
        })))
        .mount(&server)
        .await;
    Mock::given(method("DELETE"))
        .and(path("/v1/history/h2"))
        .respond_with(
            ResponseTemplate::new(502).set_body_raw("<html>Bad gateway</html>", "text/html"),
        )
        .mount(&server)
        .await;
    let client = client(&server);

    let typed = client.history().delete("h1").await.unwrap_err();
    let Some(ErrorBody::HttpValidationError(validation)) = typed.error_body() else {
        panic!("expected a typed 422 body, got {typed:?}");
    };
    assert_eq!(validation.detail.as_ref().unwrap()[0].msg, "bad id");

    let raw = client.history().delete("h2").await.unwrap_err();
    let Error::Status(status) = &raw else {
        panic!("expected a status error, got {raw:?}");
    };
    assert_eq!(status.status, 502);
    assert!(status.body.is_none());
    assert_eq!(status.body_text(), "<html>Bad gateway</html>");
}

#[tokio::test]
async fn decoding_errors_name_the_json_path() {
    let server = MockServer::start().await;
    Mock::given(method("POST"))
        .and(path("/v1/voices/add"))
        .respond_with(ResponseTemplate::new(200).set_body_json(json!({"voice_id": 42})))
        .mount(&server)
        .await;
    let error = client(&server)
        .voices()
        .ivc()
        .create("n", [File::from_bytes(b"x".to_vec())])
        .await
        .unwrap_err();

    let Error::Decode(decode) = &error else {
        panic!("expected a decode error, got {error:?}");
    };
    assert_eq!(decode.path, "voice_id");
    assert!(error.to_string().contains("voice_id"), "{error}");
}

#[tokio::test]
async fn server_errors_are_retried_and_then_succeed() {
    let server = MockServer::start().await;
    Mock::given(method("POST"))
        .and(path("/v1/convai/agents/a1/deployments"))
        .respond_with(ResponseTemplate::new(503))
        .up_to_n_times(1)
        .mount(&server)
        .await;
    Mock::given(method("POST"))
        .and(path("/v1/convai/agents/a1/deployments"))
        .respond_with(ResponseTemplate::new(200).set_body_json(json!({})))
        .mount(&server)
        .await;
    fast_retries(&server)
        .conversational_ai()
        .agents()
        .deployments()
        .create("a1", AgentDeploymentRequest::new(vec![]))
        .await
        .unwrap();

    let requests = server.received_requests().await.unwrap();
    assert_eq!(requests.len(), 2);
    assert_eq!(requests[0].body, requests[1].body);
}

#[tokio::test]
async fn a_retried_multipart_request_resends_the_whole_form() {
    let server = MockServer::start().await;
    Mock::given(method("POST"))
        .and(path("/v1/speech-to-text"))
        .respond_with(ResponseTemplate::new(503))
        .up_to_n_times(1)
        .mount(&server)
        .await;
    mount_transcription(&server).await;

    fast_retries(&server)
        .speech_to_text()
        .convert(SpeechToTextConvertModelId::ScribeV1)
        .body(speech_to_text_body())
        .await
        .unwrap();

    let requests = server.received_requests().await.unwrap();
    assert_eq!(requests.len(), 2);
    let first = multipart_parts(&requests[0]);
    let second = multipart_parts(&requests[1]);
    assert_eq!(first.len(), 4);
    assert_eq!(first, second, "the retry carries every field and the file");
}
