//! What goes on the wire: method, path, query, headers and bodies.

mod common;

use api_runtime::reqwest::Method;
use api_runtime::{Error, File, Form, Nullable, Request};
use common::{client, parse_multipart, ApiError, Part, API_KEY, USER_AGENT};
use serde::Serialize;
use wiremock::matchers::{header, method, path};
use wiremock::{Mock, MockServer, ResponseTemplate};

async fn only_request(server: &MockServer) -> wiremock::Request {
    let mut requests = server.received_requests().await.expect("recording is on");
    assert_eq!(requests.len(), 1, "exactly one request");
    requests.remove(0)
}

#[tokio::test]
async fn sends_the_method_the_encoded_path_and_the_default_headers() {
    let server = MockServer::start().await;
    Mock::given(method("DELETE"))
        .and(path("/v1/voices/a%20b%2Fc"))
        .and(header("xi-api-key", API_KEY))
        .and(header("user-agent", USER_AGENT))
        .and(header("accept", "application/json"))
        .respond_with(ResponseTemplate::new(200).set_body_string("{}"))
        .expect(1)
        .mount(&server)
        .await;

    let request =
        Request::new(Method::DELETE, "/v1/voices/{voice_id}").path_param("voice_id", "a b/c");
    let response = client(&server.uri())
        .transport
        .send::<ApiError>(request)
        .await
        .expect("the mock matches");
    assert_eq!(response.status(), 200);
    let received = only_request(&server).await;
    assert_eq!(received.url.path(), "/v1/voices/a%20b%2Fc");
}

#[tokio::test]
async fn query_parameters_repeat_arrays_spell_booleans_and_omit_none() {
    let server = MockServer::start().await;
    Mock::given(method("GET"))
        .respond_with(ResponseTemplate::new(200))
        .mount(&server)
        .await;

    let request = Request::new(Method::GET, "/v1/history")
        .query("voice_id", &["v1", "v 2"])
        .query("include_legacy", &true)
        .query("search", &None::<String>)
        .query("page_size", &Some(10))
        .query("speed", &1.5)
        .query_joined("fields", &["a", "b"], ",");
    client(&server.uri())
        .transport
        .send::<ApiError>(request)
        .await
        .unwrap();

    let received = only_request(&server).await;
    assert_eq!(
        received.url.query(),
        Some("voice_id=v1&voice_id=v+2&include_legacy=true&page_size=10&speed=1.5&fields=a%2Cb")
    );
}

#[tokio::test]
async fn request_headers_and_accept_are_sent() {
    let server = MockServer::start().await;
    Mock::given(method("GET"))
        .respond_with(ResponseTemplate::new(200))
        .mount(&server)
        .await;

    let request = Request::new(Method::GET, "/v1/audio")
        .header("X-Tags", &["a", "b"])
        .header("x-absent", &None::<String>)
        .header("x-count", &3)
        .accept("audio/mpeg");
    client(&server.uri())
        .transport
        .send::<ApiError>(request)
        .await
        .unwrap();

    let received = only_request(&server).await;
    let header = |name: &str| {
        received
            .headers
            .get(name)
            .map(|value| value.to_str().unwrap().to_owned())
    };
    assert_eq!(header("x-tags").as_deref(), Some("a,b"));
    assert_eq!(header("x-count").as_deref(), Some("3"));
    assert_eq!(header("x-absent"), None);
    assert_eq!(header("accept").as_deref(), Some("audio/mpeg"));
    assert_eq!(header("xi-api-key").as_deref(), Some(API_KEY));
}

#[derive(Serialize)]
struct UpdateVoice {
    name: String,
    #[serde(skip_serializing_if = "Option::is_none")]
    labels: Option<Vec<String>>,
    #[serde(skip_serializing_if = "Nullable::is_absent")]
    description: Nullable<String>,
    #[serde(skip_serializing_if = "Nullable::is_absent")]
    category: Nullable<String>,
}

#[tokio::test]
async fn json_bodies_omit_unset_fields_and_keep_explicit_nulls() {
    let server = MockServer::start().await;
    Mock::given(method("POST"))
        .and(path("/v1/voices/v1/edit"))
        .and(header("content-type", "application/json"))
        .respond_with(ResponseTemplate::new(200))
        .expect(1)
        .mount(&server)
        .await;

    let body = UpdateVoice {
        name: "Rachel".to_owned(),
        labels: None,
        description: Nullable::Null,
        category: Nullable::Absent,
    };
    let request = Request::new(Method::POST, "/v1/voices/v1/edit").json(&body);
    client(&server.uri())
        .transport
        .send::<ApiError>(request)
        .await
        .unwrap();

    let received = only_request(&server).await;
    assert_eq!(
        String::from_utf8(received.body).unwrap(),
        r#"{"name":"Rachel","description":null}"#
    );
}

#[tokio::test]
async fn byte_bodies_are_sent_as_is_with_their_media_type() {
    let server = MockServer::start().await;
    Mock::given(method("PUT"))
        .and(header("content-type", "audio/wav"))
        .respond_with(ResponseTemplate::new(200))
        .expect(1)
        .mount(&server)
        .await;

    let audio = vec![0u8, 1, 2, 255, 254];
    let request = Request::new(Method::PUT, "/v1/upload").bytes(audio.clone(), "audio/wav");
    client(&server.uri())
        .transport
        .send::<ApiError>(request)
        .await
        .unwrap();

    assert_eq!(only_request(&server).await.body, audio);
}

#[tokio::test]
async fn multipart_bodies_carry_every_field_and_file() {
    let server = MockServer::start().await;
    Mock::given(method("POST"))
        .respond_with(ResponseTemplate::new(200))
        .mount(&server)
        .await;
    let on_disk =
        std::env::temp_dir().join(format!("api-runtime-{}-voice.mp3", std::process::id()));
    std::fs::write(&on_disk, b"ID3 from disk").unwrap();

    let mut form = Form::new();
    form.text("name", "My voice");
    form.text("remove_background_noise", &true);
    form.text("description", &None::<String>);
    form.text("labels", &["calm", "warm"]);
    form.json("settings", &serde_json::json!({"stability": 0.5}));
    form.file(
        "files",
        &File::from_bytes(b"RIFF in memory".to_vec())
            .with_file_name("a.wav")
            .with_content_type("audio/wav"),
    );
    form.files("files", &[File::from_path(&on_disk)]);
    form.file("anonymous", &File::from_bytes(vec![7u8]));
    form.file(
        "streamed",
        &File::from_stream(futures_util::stream::iter(vec![
            Ok(api_runtime::Bytes::from_static(b"chunk one, ")),
            Ok(api_runtime::Bytes::from_static(b"chunk two")),
        ]))
        .with_file_name("s.txt"),
    );
    let request = Request::new(Method::POST, "/v1/voices/add").multipart(form);
    client(&server.uri())
        .transport
        .send::<ApiError>(request)
        .await
        .unwrap();
    std::fs::remove_file(&on_disk).unwrap();

    let received = only_request(&server).await;
    let content_type = received.headers["content-type"].to_str().unwrap();
    assert!(
        content_type.starts_with("multipart/form-data; boundary="),
        "{content_type}"
    );
    let file_part = |name: &str, file_name: &str, content_type: &str, data: &[u8]| Part {
        name: name.to_owned(),
        file_name: Some(file_name.to_owned()),
        content_type: Some(content_type.to_owned()),
        data: data.to_vec(),
    };
    let disk_name = on_disk.file_name().unwrap().to_str().unwrap();
    assert_eq!(
        parse_multipart(content_type, &received.body),
        vec![
            Part::text("name", "My voice"),
            Part::text("remove_background_noise", "true"),
            Part::text("labels", "calm"),
            Part::text("labels", "warm"),
            Part {
                content_type: Some("application/json".to_owned()),
                ..Part::text("settings", r#"{"stability":0.5}"#)
            },
            file_part("files", "a.wav", "audio/wav", b"RIFF in memory"),
            file_part("files", disk_name, "audio/mpeg", b"ID3 from disk"),
            file_part("anonymous", "anonymous", "application/octet-stream", &[7]),
            // A named file without a media type takes its extension's.
            file_part("streamed", "s.txt", "text/plain", b"chunk one, chunk two"),
        ]
    );
}

#[tokio::test]
async fn a_base_url_path_prefix_is_kept() {
    let server = MockServer::start().await;
    Mock::given(path("/prefix/v1/models"))
        .respond_with(ResponseTemplate::new(200))
        .expect(1)
        .mount(&server)
        .await;

    let client = client(&format!("{}/prefix/", server.uri()));
    assert_eq!(
        client.transport.base_url(),
        format!("{}/prefix", server.uri())
    );
    client
        .transport
        .send::<ApiError>(Request::new(Method::GET, "/v1/models"))
        .await
        .expect("the prefixed path matches");
}

#[tokio::test]
async fn a_body_that_does_not_serialize_fails_before_sending() {
    let server = MockServer::start().await;
    let mut not_json = std::collections::HashMap::new();
    not_json.insert(vec![1u8], "keys must be strings");

    let request = Request::new(Method::POST, "/v1/anything").json(&not_json);
    let error = client(&server.uri())
        .transport
        .send::<ApiError>(request)
        .await
        .unwrap_err();

    assert!(matches!(error, Error::Request(_)), "{error:?}");
    assert!(error.to_string().contains("JSON body"), "{error}");
    assert!(std::error::Error::source(&error).is_some());
    assert!(server.received_requests().await.unwrap().is_empty());
}

#[tokio::test]
async fn a_missing_upload_file_fails_before_sending() {
    let server = MockServer::start().await;
    let mut form = Form::new();
    form.file("file", &File::from_path("/no/such/dir/voice.mp3"));

    let error = client(&server.uri())
        .transport
        .send::<ApiError>(Request::new(Method::POST, "/v1/x").multipart(form))
        .await
        .unwrap_err();

    assert!(matches!(error, Error::Request(_)), "{error:?}");
    assert!(
        error.to_string().contains("/no/such/dir/voice.mp3"),
        "{error}"
    );
    assert!(server.received_requests().await.unwrap().is_empty());
}
