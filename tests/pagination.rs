//! Listings as streams (`.pages()`, `.items()`) against a local server:
//! which requests they send, when they stop, how errors and misbehaving
//! servers end them; and the paging counts of the coverage report.

use api_clients::elevenlabs::Client;
use api_clients::runtime::{Error, StreamExt};
use serde_json::{json, Value};
use wiremock::matchers::{method, path, query_param, query_param_is_missing};
use wiremock::{Mock, MockServer, Request, ResponseTemplate};

fn client(server: &MockServer) -> Client {
    Client::builder()
        .api_key("test-key-0123456789")
        .base_url(server.uri())
        .no_retries()
        .build()
        .expect("client builds")
}

fn agent(id: &str) -> Value {
    json!({
        "agent_id": id,
        "name": format!("agent {id}"),
        "tags": [],
        "created_at_unix_secs": 1,
        "access_info": {
            "is_creator": true,
            "creator_name": "me",
            "creator_email": "me@example.com",
            "role": "admin"
        }
    })
}

fn agents_page(ids: &[&str], next_cursor: Option<&str>, has_more: bool) -> ResponseTemplate {
    let agents: Vec<Value> = ids.iter().map(|id| agent(id)).collect();
    ResponseTemplate::new(200).set_body_json(json!({
        "agents": agents,
        "next_cursor": next_cursor,
        "has_more": has_more,
    }))
}

/// Answers `GET /v1/convai/agents` by its `cursor` query parameter.
async fn mount_agents(server: &MockServer, cursor: Option<&str>, page: ResponseTemplate) {
    let mock = Mock::given(method("GET")).and(path("/v1/convai/agents"));
    let mock = match cursor {
        Some(cursor) => mock.and(query_param("cursor", cursor)),
        None => mock.and(query_param_is_missing("cursor")),
    };
    mock.respond_with(page).mount(server).await;
}

fn query(request: &Request) -> Vec<(String, String)> {
    let mut pairs: Vec<(String, String)> = request
        .url
        .query_pairs()
        .map(|(k, v)| (k.into_owned(), v.into_owned()))
        .collect();
    pairs.sort();
    pairs
}

fn pairs(list: &[(&str, &str)]) -> Vec<(String, String)> {
    list.iter()
        .map(|(k, v)| (k.to_string(), v.to_string()))
        .collect()
}

async fn requests(server: &MockServer) -> Vec<Request> {
    server.received_requests().await.expect("recording is on")
}

#[tokio::test]
async fn a_cursor_listing_follows_next_cursor_and_keeps_every_other_input() {
    let server = MockServer::start().await;
    mount_agents(&server, None, agents_page(&["a", "b"], Some("c1"), true)).await;
    mount_agents(
        &server,
        Some("c1"),
        agents_page(&["c", "d"], Some("c2"), true),
    )
    .await;
    mount_agents(&server, Some("c2"), agents_page(&["e"], None, false)).await;
    let client = client(&server);

    let mut pages = client
        .conversational_ai()
        .agents()
        .list()
        .page_size(2)
        .search("bot")
        .pages();
    let mut sizes = Vec::new();
    while let Some(page) = pages.next().await {
        sizes.push(page.expect("a page").agents.len());
    }

    assert_eq!(sizes, [2, 2, 1]);
    let sent: Vec<_> = requests(&server).await.iter().map(query).collect();
    assert_eq!(
        sent,
        [
            pairs(&[("page_size", "2"), ("search", "bot")]),
            pairs(&[("cursor", "c1"), ("page_size", "2"), ("search", "bot")]),
            pairs(&[("cursor", "c2"), ("page_size", "2"), ("search", "bot")]),
        ]
    );
}

#[tokio::test]
async fn items_yields_the_agents_of_every_page_in_order() {
    let server = MockServer::start().await;
    mount_agents(&server, None, agents_page(&["a", "b"], Some("c1"), true)).await;
    mount_agents(
        &server,
        Some("c1"),
        agents_page(&["c"], Some("ignored"), false),
    )
    .await;
    let client = client(&server);

    let mut agents = client.conversational_ai().agents().list().items();
    let mut ids = Vec::new();
    while let Some(agent) = agents.next().await {
        ids.push(agent.expect("an agent").agent_id);
    }

    assert_eq!(ids, ["a", "b", "c"]);
    assert_eq!(requests(&server).await.len(), 2, "has_more false ends it");
}

#[tokio::test]
async fn an_error_on_the_second_page_comes_after_the_first_pages_items_and_ends_the_stream() {
    let server = MockServer::start().await;
    mount_agents(&server, None, agents_page(&["a", "b"], Some("c1"), true)).await;
    mount_agents(&server, Some("c1"), ResponseTemplate::new(500)).await;
    let client = client(&server);

    let results: Vec<_> = client
        .conversational_ai()
        .agents()
        .list()
        .items()
        .collect()
        .await;

    assert_eq!(results.len(), 3, "two agents, then the error, then the end");
    assert_eq!(results[0].as_ref().expect("first").agent_id, "a");
    assert_eq!(results[1].as_ref().expect("second").agent_id, "b");
    assert_eq!(results[2].as_ref().err().and_then(Error::status), Some(500));
    assert_eq!(requests(&server).await.len(), 2, "no retry of the listing");
}

#[tokio::test]
async fn a_caller_who_stops_after_the_first_item_sends_one_request() {
    let server = MockServer::start().await;
    mount_agents(&server, None, agents_page(&["a", "b"], Some("c1"), true)).await;
    mount_agents(&server, Some("c1"), agents_page(&["c"], None, false)).await;
    let client = client(&server);

    let mut agents = client.conversational_ai().agents().list().items();
    let first = agents.next().await.expect("an item").expect("an agent");
    drop(agents);

    assert_eq!(first.agent_id, "a");
    assert_eq!(requests(&server).await.len(), 1);
}

#[tokio::test]
async fn a_repeated_cursor_ends_the_stream_with_a_paging_error() {
    let server = MockServer::start().await;
    mount_agents(&server, None, agents_page(&["a"], Some("same"), true)).await;
    mount_agents(
        &server,
        Some("same"),
        agents_page(&["b"], Some("same"), true),
    )
    .await;
    let client = client(&server);

    let results: Vec<_> = client
        .conversational_ai()
        .agents()
        .list()
        .pages()
        .collect()
        .await;

    assert_eq!(results.len(), 3, "two pages, then the error, then the end");
    assert!(results[0].is_ok() && results[1].is_ok());
    match &results[2] {
        Err(Error::Paging(error)) => assert_eq!(error.page, 2),
        other => panic!("expected a paging error, got {other:?}"),
    }
    assert_eq!(requests(&server).await.len(), 2);
}

#[tokio::test]
async fn has_more_without_a_cursor_ends_the_stream_with_a_paging_error() {
    let server = MockServer::start().await;
    mount_agents(&server, None, agents_page(&["a"], None, true)).await;
    let client = client(&server);

    let results: Vec<_> = client
        .conversational_ai()
        .agents()
        .list()
        .items()
        .collect()
        .await;

    assert_eq!(results.len(), 2);
    assert!(matches!(results[1], Err(Error::Paging(_))));
    assert_eq!(requests(&server).await.len(), 1);
}

fn history_item(id: &str) -> Value {
    json!({
        "history_item_id": id,
        "date_unix": 1,
        "character_count_change_from": 0,
        "character_count_change_to": 5,
        "content_type": "audio/mpeg",
        "state": "created"
    })
}

#[tokio::test]
async fn history_pages_start_after_the_last_item_of_the_previous_page() {
    let server = MockServer::start().await;
    let page = |ids: &[&str], last: &str, has_more: bool| {
        let items: Vec<Value> = ids.iter().map(|id| history_item(id)).collect();
        ResponseTemplate::new(200).set_body_json(json!({
            "history": items,
            "last_history_item_id": last,
            "has_more": has_more,
            "scanned_until": null,
        }))
    };
    Mock::given(method("GET"))
        .and(path("/v1/history"))
        .and(query_param_is_missing("start_after_history_item_id"))
        .respond_with(page(&["h1", "h2"], "h2", true))
        .mount(&server)
        .await;
    Mock::given(method("GET"))
        .and(path("/v1/history"))
        .and(query_param("start_after_history_item_id", "h2"))
        .respond_with(page(&["h3"], "h3", false))
        .mount(&server)
        .await;
    let client = client(&server);

    let ids: Vec<String> = client
        .history()
        .list()
        .page_size(2)
        .items()
        .map(|item| item.expect("an item").history_item_id)
        .collect()
        .await;

    assert_eq!(ids, ["h1", "h2", "h3"]);
    let sent: Vec<_> = requests(&server).await.iter().map(query).collect();
    assert_eq!(
        sent,
        [
            pairs(&[("page_size", "2")]),
            pairs(&[("page_size", "2"), ("start_after_history_item_id", "h2")]),
        ]
    );
}

fn isolation_item(id: String) -> Value {
    json!({
        "id": id,
        "title": null,
        "created_at_unix": 1,
        "format": "mp3",
        "duration_seconds": null,
        "download_url": null,
        "icon_url": null,
        "source_video_url": null,
        "supports_video": false,
        "processing": false,
        "video_processing_failed": false,
        "preview_b64": null
    })
}

#[tokio::test]
async fn page_numbers_count_up_from_the_declared_first_page_until_a_short_page() {
    let server = MockServer::start().await;
    let history =
        |n: usize| -> Vec<Value> { (0..n).map(|i| isolation_item(format!("i{i}"))).collect() };
    for (number, count) in [("1", 2), ("2", 1)] {
        Mock::given(method("GET"))
            .and(path("/v1/audio-isolation/history"))
            .and(query_param("page", number))
            .respond_with(ResponseTemplate::new(200).set_body_json(json!({
                "items": history(count),
                "has_more": true,
            })))
            .mount(&server)
            .await;
    }
    let client = client(&server);

    let pages: Vec<_> = client
        .audio_isolation()
        .list()
        .page_size(2)
        .pages()
        .collect()
        .await;

    // The page of one, though it says has_more, is followed: has_more wins
    // over a short page; the third (unmatched, 404) ends the stream.
    assert_eq!(pages.len(), 3);
    assert!(pages[0].is_ok() && pages[1].is_ok());
    assert_eq!(pages[2].as_ref().err().and_then(Error::status), Some(404));
    let numbers: Vec<String> = requests(&server)
        .await
        .iter()
        .map(|r| query(r).into_iter().find(|(k, _)| k == "page").unwrap().1)
        .collect();
    assert_eq!(
        numbers,
        ["1", "2", "3"],
        "the document declares 1 as the default"
    );
}

#[tokio::test]
async fn the_same_page_again_ends_a_page_number_listing_with_a_paging_error() {
    let server = MockServer::start().await;
    // A server that ignores `page` and always says there is more: without
    // the guard the audio-isolation history would loop forever.
    Mock::given(method("GET"))
        .and(path("/v1/audio-isolation/history"))
        .respond_with(ResponseTemplate::new(200).set_body_json(json!({
            "items": [isolation_item("only".to_owned())],
            "has_more": true,
        })))
        .mount(&server)
        .await;
    let client = client(&server);

    let pages: Vec<_> = client.audio_isolation().list().pages().collect().await;

    assert_eq!(pages.len(), 2);
    assert!(pages[0].is_ok());
    assert!(matches!(pages[1], Err(Error::Paging(_))));
    assert_eq!(requests(&server).await.len(), 2);
}

fn coverage(api: &str) -> generator::Coverage {
    let root = std::path::Path::new(env!("CARGO_MANIFEST_DIR"));
    let overlay = root.join(format!("specs/overlays/{api}.yaml"));
    let overlays = [generator::load::overlay::load_overlay(&overlay).expect("overlay loads")];
    let spec = root.join(format!("../shared/specs/{api}.yaml"));
    let loaded = generator::load::load_with_overlays(&spec, &overlays).expect("document loads");
    let model = generator::model::lower::build_model(&loaded).expect("model builds");
    generator::Coverage::of(api, &model)
}

#[test]
fn the_coverage_report_counts_the_paging_operations_of_both_documents() {
    use generator::model::ir::PagingKind::*;
    let elevenlabs = coverage("elevenlabs");
    // The issue counted 34 cursor listings: the 34 GET operations that take
    // `cursor`. Two more page by cursor: POST
    // /v1/convai/knowledge-base/dependent-agents takes `cursor` too, and GET
    // /v1/convai/batch-calling/workspace sends `last_doc` and reads
    // `next_doc`, the same pattern under other names.
    assert_eq!(elevenlabs.paging_count(Cursor), 34 + 1 + 1);
    assert_eq!(elevenlabs.paging_count(AfterItem), 1, "GET /v1/history");
    assert_eq!(elevenlabs.paging_count(Token), 1, "GET /v2/voices");
    // GET /v1/audio-isolation/history and GET /v1/shared-voices.
    assert_eq!(elevenlabs.paging_count(Number), 2);
    assert_eq!(
        elevenlabs.paging_count(Offset),
        1,
        "GET /v1/productions/orders"
    );
    assert_eq!(elevenlabs.paging.len(), 41);
    // The four without `.items()`: the three dependent-agents listings
    // answer two lists (`agents` and `branches`), and the secret
    // dependencies are a union of lists of different item types.
    assert_eq!(elevenlabs.paging.iter().filter(|p| p.items).count(), 37);
    let unclassified: Vec<String> = elevenlabs
        .unclassified_lists
        .iter()
        .map(|list| format!("{} {}", list.method, list.path))
        .collect();
    // It says `has_more` and `last_sort_id`, but takes no position at all.
    assert_eq!(unclassified, ["POST /v1/similar-voices"]);

    // Tavus: only GET /v2/documents declares `page` (and `page_size`); the
    // other lists declare no parameters. Its `page` has no default or
    // minimum, so the first page is assumed to be 1.
    let tavus = coverage("tavus");
    assert_eq!(tavus.paging.len(), 1);
    assert_eq!(tavus.paging[0].path, "/v2/documents");
    assert_eq!(tavus.paging[0].kind, Number);
    assert!(tavus.unclassified_lists.is_empty());
}
