//! The generated Tavus client against a local HTTP server, including the
//! `POST /v2/deployments` operation that the project's overlay adds.

use api_clients::runtime::{Nullable, Timestamp};
use api_clients::tavus::types::{CreateDeploymentRequest, DeploymentChannel, DeploymentStatus};
use api_clients::tavus::Client;
use serde_json::json;
use wiremock::matchers::{method, path};
use wiremock::{Mock, MockServer, Request, ResponseTemplate};

const KEY: &str = "tavus-test-key";

fn client(server: &MockServer) -> Client {
    Client::builder()
        .api_key(KEY)
        .base_url(server.uri())
        .no_retries()
        .build()
        .expect("client builds")
}

async fn only_request(server: &MockServer) -> Request {
    let mut requests = server.received_requests().await.expect("recording is on");
    assert_eq!(requests.len(), 1, "expected exactly one request");
    requests.remove(0)
}

fn deployment_json() -> serde_json::Value {
    json!({
        "deployment_id": "d1234567890abcdef",
        "pal_id": "pcb7a34da5fe",
        "channel": "landing-page",
        "status": "active",
        "name": "Lobby",
        "has_password": true,
        "customization": {"theme": "dark"},
        "replica_thumbnail_video_url": null,
        "thumbnail_video_url": "https://cdn.example/v.mp4",
        "thumbnail_image_url": null,
        "limits": {"max_duration": 600},
        "allowed_origins": ["https://example.com"],
        "usage_total": 123,
        "usage_today": 4,
        "created_at": "2023-11-07T05:31:56Z",
        "updated_at": "2023-11-07T05:31:56Z"
    })
}

#[tokio::test]
#[allow(deprecated)]
async fn seed_call_creates_a_deployment() {
    let server = MockServer::start().await;
    Mock::given(method("POST"))
        .and(path("/v2/deployments"))
        .respond_with(ResponseTemplate::new(200).set_body_json(deployment_json()))
        .mount(&server)
        .await;
    let mut request = CreateDeploymentRequest::new("pcb7a34da5fe", DeploymentChannel::LandingPage);
    request.name = Some("Lobby".to_owned());
    request.password = Nullable::Null;
    request.allowed_origins = Some(vec!["https://example.com".to_owned()]);

    let deployment = client(&server)
        .deployments()
        .create(&request)
        .await
        .unwrap();

    let sent = only_request(&server).await;
    assert_eq!(sent.method.as_str(), "POST");
    assert_eq!(sent.url.path(), "/v2/deployments");
    assert_eq!(sent.headers.get("x-api-key").unwrap(), KEY);
    assert_eq!(
        sent.headers.get("content-type").unwrap(),
        "application/json"
    );
    assert_eq!(
        serde_json::from_slice::<serde_json::Value>(&sent.body).unwrap(),
        json!({
            "pal_id": "pcb7a34da5fe",
            "channel": "landing-page",
            "name": "Lobby",
            "password": null,
            "allowed_origins": ["https://example.com"]
        }),
        "unset optional fields are omitted, an explicit null is sent"
    );
    assert_eq!(
        deployment.deployment_id.as_deref(),
        Some("d1234567890abcdef")
    );
    assert_eq!(deployment.channel, Some(DeploymentChannel::LandingPage));
    assert_eq!(deployment.status, Some(DeploymentStatus::Active));
    assert_eq!(deployment.replica_thumbnail_video_url, Nullable::Null);
    assert_eq!(
        deployment.thumbnail_video_url,
        Nullable::Value("https://cdn.example/v.mp4".to_owned())
    );
    assert_eq!(deployment.usage_total, Some(123));
    assert_eq!(
        deployment.created_at,
        Timestamp::parse("2023-11-07T05:31:56Z")
    );
}

#[tokio::test]
async fn unknown_enum_values_in_a_response_are_kept() {
    let server = MockServer::start().await;
    let mut body = deployment_json();
    body["status"] = json!("archived");
    Mock::given(method("POST"))
        .and(path("/v2/deployments"))
        .respond_with(ResponseTemplate::new(200).set_body_json(body))
        .mount(&server)
        .await;
    let request = CreateDeploymentRequest::new("p", DeploymentChannel::Widget);

    let deployment = client(&server)
        .deployments()
        .create(&request)
        .await
        .unwrap();

    let status = deployment.status.unwrap();
    assert_eq!(status.as_str(), "archived");
}

#[tokio::test]
async fn an_empty_response_body_is_unit() {
    let server = MockServer::start().await;
    Mock::given(method("DELETE"))
        .and(path("/v2/conversations/c123"))
        .respond_with(ResponseTemplate::new(204))
        .mount(&server)
        .await;

    client(&server)
        .conversations()
        .delete("c123")
        .await
        .unwrap();

    let sent = only_request(&server).await;
    assert_eq!(sent.method.as_str(), "DELETE");
    assert!(sent.body.is_empty());
}

#[tokio::test]
async fn optional_query_parameters_go_through_the_builder() {
    let server = MockServer::start().await;
    Mock::given(method("GET"))
        .and(path("/v2/conversations/c1"))
        .respond_with(ResponseTemplate::new(200).set_body_json(json!({"conversation_id": "c1"})))
        .mount(&server)
        .await;
    let client = client(&server);

    client
        .conversations()
        .get("c1")
        .verbose(true)
        .await
        .unwrap();
    client.conversations().get("c1").await.unwrap();

    let requests = server.received_requests().await.unwrap();
    assert_eq!(requests[0].url.query(), Some("verbose=true"));
    assert_eq!(requests[1].url.query(), None);
}
