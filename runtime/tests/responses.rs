//! Reading answers: JSON, text, bytes, events, empty bodies and errors.

mod common;

use api_runtime::reqwest::Method;
use api_runtime::{Error, EventStream, NoErrorBody, Request, Response};
use common::{client, ApiError};
use futures_util::StreamExt;
use serde::Deserialize;
use wiremock::matchers::method;
use wiremock::{Mock, MockServer, ResponseTemplate};

async fn serve(template: ResponseTemplate) -> MockServer {
    let server = MockServer::start().await;
    Mock::given(method("GET"))
        .respond_with(template)
        .mount(&server)
        .await;
    server
}

async fn get(server: &MockServer) -> Response {
    client(&server.uri())
        .transport
        .send::<ApiError>(Request::new(Method::GET, "/v1/thing"))
        .await
        .expect("a 2xx answer")
}

#[derive(Debug, Deserialize, PartialEq)]
struct Page {
    items: Vec<Item>,
    has_more: bool,
}

#[derive(Debug, Deserialize, PartialEq)]
struct Item {
    id: String,
}

#[tokio::test]
async fn json_bodies_decode_into_their_type() {
    let server = serve(ResponseTemplate::new(200).set_body_raw(
        r#"{"items":[{"id":"a"},{"id":"b"}],"has_more":false}"#,
        "application/json",
    ))
    .await;

    let page: Page = get(&server).await.json::<Page, ApiError>().await.unwrap();

    assert_eq!(
        page,
        Page {
            items: vec![Item { id: "a".into() }, Item { id: "b".into() }],
            has_more: false,
        }
    );
}

#[tokio::test]
async fn a_decode_error_names_the_failing_field() {
    let body = r#"{"items":[{"id":"a"},{"id":7}],"has_more":false}"#;
    let server = serve(ResponseTemplate::new(200).set_body_raw(body, "application/json")).await;

    let error = get(&server)
        .await
        .json::<Page, ApiError>()
        .await
        .unwrap_err();

    let Error::Decode(decode) = &error else {
        panic!("expected a decode error, got {error:?}");
    };
    assert_eq!(decode.path, "items[1].id");
    assert!(
        decode.message.contains("invalid type: integer `7`"),
        "{}",
        decode.message
    );
    assert_eq!(decode.status, 200);
    assert_eq!(decode.excerpt, body);
    assert!(error.to_string().contains("`items[1].id`"), "{error}");
    assert_eq!(error.status(), Some(200));
}

#[tokio::test]
async fn text_bodies_are_read_as_text() {
    let server = serve(ResponseTemplate::new(200).set_body_string("héllo")).await;
    let text = get(&server).await.text::<ApiError>().await.unwrap();
    assert_eq!(text, "héllo");
}

#[tokio::test]
async fn binary_bodies_are_read_as_bytes_with_their_media_type() {
    let audio: Vec<u8> = (0..=255).collect();
    let server = serve(ResponseTemplate::new(200).set_body_raw(audio.clone(), "audio/mpeg")).await;

    let stream = get(&server).await.byte_stream::<ApiError>();
    assert_eq!(stream.content_type(), Some("audio/mpeg"));
    assert_eq!(stream.bytes().await.unwrap(), audio);
}

#[tokio::test]
async fn byte_streams_yield_the_whole_body() {
    let audio = vec![9u8; 100_000];
    let server = serve(ResponseTemplate::new(200).set_body_raw(audio.clone(), "audio/mpeg")).await;

    let mut stream = get(&server).await.byte_stream::<ApiError>();
    let mut received = Vec::new();
    while let Some(chunk) = stream.next().await {
        received.extend_from_slice(&chunk.unwrap());
    }
    assert_eq!(received, audio);
}

#[tokio::test]
async fn an_empty_204_is_accepted() {
    let server = serve(ResponseTemplate::new(204)).await;
    let response = get(&server).await;
    assert_eq!(response.status(), 204);
    response.empty::<ApiError>().await.unwrap();
}

#[derive(Debug, Deserialize, PartialEq)]
struct Chunk {
    text: String,
    index: u32,
}

const EVENTS: &str = concat!(
    ": keep-alive comment\n\n",
    "event: chunk\n",
    "data: {\"text\":\"Hel\",\"index\":0}\n\n",
    "data: {\"text\":\"lo\",\n",
    "data: \"index\":1}\n\n",
);

#[tokio::test]
async fn server_sent_events_decode_into_their_type() {
    let server = serve(ResponseTemplate::new(200).set_body_raw(EVENTS, "text/event-stream")).await;

    let events: EventStream<Chunk, ApiError> = get(&server).await.event_stream();
    let chunks: Vec<Chunk> = events.map(Result::unwrap).collect().await;

    assert_eq!(
        chunks,
        vec![
            Chunk {
                text: "Hel".into(),
                index: 0
            },
            Chunk {
                text: "lo".into(),
                index: 1
            },
        ]
    );
}

#[tokio::test]
async fn string_events_get_the_raw_data() {
    let server = serve(ResponseTemplate::new(200).set_body_raw(EVENTS, "text/event-stream")).await;

    let events: EventStream<String, ApiError> = get(&server).await.event_stream();
    let data: Vec<String> = events.map(Result::unwrap).collect().await;

    assert_eq!(
        data,
        vec![
            r#"{"text":"Hel","index":0}"#.to_owned(),
            "{\"text\":\"lo\",\n\"index\":1}".to_owned(),
        ]
    );
}

#[tokio::test]
async fn an_event_that_does_not_decode_ends_the_stream_with_an_error() {
    let body = "data: {\"text\":\"ok\",\"index\":0}\n\ndata: {\"text\":5}\n\ndata: {\"text\":\"late\",\"index\":2}\n\n";
    let server = serve(ResponseTemplate::new(200).set_body_raw(body, "text/event-stream")).await;

    let events: Vec<Result<Chunk, Error<ApiError>>> =
        get(&server).await.event_stream().collect().await;

    assert_eq!(events.len(), 2, "{events:?}");
    assert!(events[0].is_ok());
    match &events[1] {
        Err(Error::Decode(error)) => assert_eq!(error.path, "text"),
        other => panic!("expected a decode error, got {other:?}"),
    }
}

#[tokio::test]
async fn a_declared_error_body_is_decoded() {
    let server = serve(
        ResponseTemplate::new(422)
            .set_body_raw(r#"{"detail":"text is too long"}"#, "application/json"),
    )
    .await;

    let error = client(&server.uri())
        .transport
        .send::<ApiError>(Request::new(Method::GET, "/v1/thing"))
        .await
        .unwrap_err();

    assert_eq!(error.status(), Some(422));
    assert_eq!(
        error.error_body(),
        Some(&ApiError {
            detail: "text is too long".to_owned()
        })
    );
    let status = error.status_error().unwrap();
    assert_eq!(
        status.raw_body.as_ref(),
        br#"{"detail":"text is too long"}"#
    );
    assert_eq!(status.headers["content-type"], "application/json");
    assert!(error.to_string().contains("422"), "{error}");
    assert!(error.to_string().contains("text is too long"), "{error}");
}

#[tokio::test]
async fn an_undeclared_error_body_is_kept_raw() {
    let server = serve(ResponseTemplate::new(404).set_body_string("no such voice")).await;

    let error = client(&server.uri())
        .transport
        .send::<ApiError>(Request::new(Method::GET, "/v1/thing"))
        .await
        .unwrap_err();

    let Error::Status(status) = &error else {
        panic!("expected a status error, got {error:?}");
    };
    assert_eq!(status.status, 404);
    assert_eq!(status.body, None);
    assert_eq!(status.body_text(), "no such voice");
    assert_eq!(
        error.to_string(),
        "the API answered HTTP 404 Not Found: no such voice"
    );
}

#[tokio::test]
async fn apis_without_error_bodies_use_no_error_body() {
    let server = serve(ResponseTemplate::new(400).set_body_string("bad")).await;

    let error = client(&server.uri())
        .transport
        .send::<NoErrorBody>(Request::new(Method::GET, "/v1/thing"))
        .await
        .unwrap_err();

    assert_eq!(error.status(), Some(400));
    assert!(error.error_body().is_none());
}

#[test]
fn futures_and_streams_can_move_between_threads() {
    fn assert_send<T: Send>(_: &T) {}
    let client = client("http://127.0.0.1:9");
    let send = client
        .transport
        .send::<ApiError>(Request::new(Method::GET, "/"));
    assert_send(&send);
    let boxed: api_runtime::BoxFuture<'_, Result<Response, Error<ApiError>>> = Box::pin(send);
    drop(boxed);

    fn stream_types_are_send(response: Response) {
        assert_send(&response.byte_stream::<ApiError>());
    }
    fn event_streams_are_send(response: Response) {
        assert_send(&response.event_stream::<Chunk, ApiError>());
    }
    fn json_futures_are_send(response: Response) {
        assert_send(&response.json::<Page, ApiError>());
    }
    let _ = (
        stream_types_are_send,
        event_streams_are_send,
        json_futures_are_send,
    );
}

#[derive(Debug, Deserialize, PartialEq)]
#[serde(untagged)]
enum TranscriptOrText {
    Transcript { lines: Vec<String> },
    Text(String),
}

#[tokio::test]
async fn a_text_answer_to_a_json_operation_decodes_as_a_string() {
    let srt = "1\n00:00:01,000 --> 00:00:02,000\nHello\n";
    let server = serve(ResponseTemplate::new(200).set_body_raw(srt, "text/plain")).await;

    let decoded: TranscriptOrText = get(&server).await.json::<_, NoErrorBody>().await.unwrap();

    assert_eq!(decoded, TranscriptOrText::Text(srt.to_owned()));
}

#[tokio::test]
async fn a_text_answer_that_fits_no_string_keeps_the_json_error() {
    let server = serve(ResponseTemplate::new(200).set_body_raw("not json", "text/plain")).await;

    let error = get(&server)
        .await
        .json::<Page, NoErrorBody>()
        .await
        .unwrap_err();

    assert!(matches!(error, Error::Decode(_)), "{error:?}");
}
