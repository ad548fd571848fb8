//! Overlays (Overlay Specification 1.0.0): loading and checking overlay
//! documents, applying their actions to small inline documents, and the
//! project's own overlays applied to the vendored ElevenLabs and Tavus
//! documents.

use std::path::{Path, PathBuf};

use generator::load::overlay::{apply_all, load_overlay, parse_overlay, Overlay};
use generator::support::error::{Error, Location};
use serde_json::{json, Value};

// ---------------------------------------------------------------------------
// Helpers
// ---------------------------------------------------------------------------

const OVERLAY_FILE: &str = "specs/overlays/test.yaml";

/// Parses an overlay written inline; `actions` is the YAML of the action list,
/// indented by two spaces.
fn overlay(actions: &str) -> Overlay {
    let text = with_header(actions);
    parse_overlay(Path::new(OVERLAY_FILE), text.as_bytes())
        .unwrap_or_else(|e| panic!("the overlay does not load: {e}"))
}

fn with_header(actions: &str) -> String {
    format!("overlay: 1.0.0\ninfo:\n  title: Test\n  version: '1'\nactions:\n{actions}")
}

/// The error from parsing `text` as an overlay.
fn parse_error(text: &str) -> Error {
    match parse_overlay(Path::new(OVERLAY_FILE), text.as_bytes()) {
        Ok(_) => panic!("the overlay loaded, but should not have:\n{text}"),
        Err(e) => e,
    }
}

/// Applies the overlay's actions to `document` and returns the result.
fn applied(actions: &str, mut document: Value) -> Value {
    overlay(actions)
        .apply(&mut document)
        .unwrap_or_else(|e| panic!("the overlay does not apply: {e}"));
    document
}

/// The error from applying the overlay's actions, and checks that the
/// document was left as it was.
fn apply_error(actions: &str, document: Value) -> Error {
    let mut after = document.clone();
    let error = match overlay(actions).apply(&mut after) {
        Ok(()) => panic!("the overlay applied, but should not have: {after:#}"),
        Err(e) => e,
    };
    assert_eq!(
        after, document,
        "a failed overlay must not change the document"
    );
    error
}

/// The pointer and message of an `Error::Invalid` about the test overlay.
fn pointer_and_message(error: &Error) -> (String, String) {
    match error {
        Error::Invalid {
            file,
            location: Location::Pointer(pointer),
            message,
        } => {
            assert_eq!(file, Path::new(OVERLAY_FILE), "{error}");
            (pointer.clone(), message.clone())
        }
        other => panic!("expected an error at a JSON pointer, got: {other}"),
    }
}

fn pet_store() -> Value {
    json!({
        "openapi": "3.1.0",
        "info": {"title": "Pets", "version": "1"},
        "paths": {
            "/pets": {
                "get": {
                    "summary": "List pets",
                    "tags": ["pets"],
                    "parameters": [
                        {"name": "limit", "in": "query"},
                        {"name": "dummy", "in": "query"},
                        {"name": "cursor", "in": "query"},
                        {"name": "dummy", "in": "header"},
                        {"name": "sort", "in": "query"}
                    ],
                    "responses": {"200": {"description": "OK"}}
                }
            }
        },
        "components": {"schemas": {"Pet": {"type": "object"}}}
    })
}

// ---------------------------------------------------------------------------
// Applying actions
// ---------------------------------------------------------------------------

#[test]
fn update_merges_recursively_into_an_object() {
    let result = applied(
        "  - target: $.paths['/pets'].get\n    update:\n      summary: All pets\n      x-safe: true\n      responses:\n        '200':\n          content: {}\n        '404':\n          description: Gone\n",
        pet_store(),
    );
    let get = &result["paths"]["/pets"]["get"];
    // A primitive replaces a primitive; new properties are added.
    assert_eq!(get["summary"], "All pets");
    assert_eq!(get["x-safe"], true);
    // Objects merge: what only the document has stays.
    assert_eq!(get["responses"]["200"]["description"], "OK");
    assert_eq!(get["responses"]["200"]["content"], json!({}));
    assert_eq!(get["responses"]["404"]["description"], "Gone");
    assert_eq!(get["parameters"].as_array().unwrap().len(), 5);
    // Properties keep their order; new ones come last.
    let keys: Vec<&str> = get
        .as_object()
        .unwrap()
        .keys()
        .map(String::as_str)
        .collect();
    assert_eq!(
        keys,
        ["summary", "tags", "parameters", "responses", "x-safe"]
    );
}

#[test]
fn update_of_a_selected_array_appends_the_update_as_one_entry() {
    let result = applied(
        "  - target: $.paths['/pets'].get.parameters\n    update:\n      name: page\n      in: query\n  - target: $.paths['/pets'].get.tags\n    update: [a, b]\n",
        pet_store(),
    );
    let parameters = result["paths"]["/pets"]["get"]["parameters"]
        .as_array()
        .unwrap();
    assert_eq!(parameters.len(), 6);
    assert_eq!(parameters[5], json!({"name": "page", "in": "query"}));
    // 1.0.0: "the value of this field MUST be an entry to append", so an
    // array is one entry.
    assert_eq!(
        result["paths"]["/pets"]["get"]["tags"],
        json!(["pets", ["a", "b"]])
    );
}

#[test]
fn same_named_arrays_concatenate_inside_a_merge() {
    let result = applied(
        "  - target: $.paths['/pets'].get\n    update:\n      tags: [animals]\n",
        pet_store(),
    );
    assert_eq!(
        result["paths"]["/pets"]["get"]["tags"],
        json!(["pets", "animals"])
    );
}

#[test]
fn update_replaces_a_selected_primitive() {
    let result = applied(
        "  - target: $.info.title\n    update: Pet Store\n  - target: $.paths.*.get.tags[0]\n    update: 7\n",
        pet_store(),
    );
    assert_eq!(
        result["info"],
        json!({"title": "Pet Store", "version": "1"})
    );
    assert_eq!(result["paths"]["/pets"]["get"]["tags"], json!([7]));
}

#[test]
fn remove_deletes_an_object_property_and_keeps_the_order_of_the_rest() {
    let result = applied(
        "  - target: $.paths['/pets'].get.tags\n    remove: true\n",
        pet_store(),
    );
    let keys: Vec<&str> = result["paths"]["/pets"]["get"]
        .as_object()
        .unwrap()
        .keys()
        .map(String::as_str)
        .collect();
    assert_eq!(keys, ["summary", "parameters", "responses"]);
}

#[test]
fn remove_deletes_several_array_elements_whatever_their_order_in_the_query() {
    // Indexes 1 and 3 by filter, and 4, 0 by explicit index in descending
    // order: all must go, none other.
    let result = applied(
        "  - target: $.paths.*.get.parameters[?@.name == 'dummy']\n    remove: true\n",
        pet_store(),
    );
    let names: Vec<&str> = result["paths"]["/pets"]["get"]["parameters"]
        .as_array()
        .unwrap()
        .iter()
        .map(|p| p["name"].as_str().unwrap())
        .collect();
    assert_eq!(names, ["limit", "cursor", "sort"]);

    let result = applied(
        "  - target: $.paths.*.get.parameters[1, 4, 0, 1]\n    remove: true\n",
        pet_store(),
    );
    let names: Vec<&str> = result["paths"]["/pets"]["get"]["parameters"]
        .as_array()
        .unwrap()
        .iter()
        .map(|p| p["name"].as_str().unwrap())
        .collect();
    assert_eq!(names, ["cursor", "dummy"]);
}

#[test]
fn remove_of_a_node_and_its_descendants_removes_the_node() {
    let document = json!({"a": {"x": 1, "b": {"x": 2, "keep": true}}, "c": [{"x": 3}, {"y": 4}]});
    let result = applied("  - target: $..x\n    remove: true\n", document.clone());
    assert_eq!(
        result,
        json!({"a": {"b": {"keep": true}}, "c": [{}, {"y": 4}]})
    );

    let result = applied("  - target: $..[?@.x]\n    remove: true\n", document);
    // `a` holds `x`, so it goes with `a.b` inside it; so does `c[0]`.
    assert_eq!(result, json!({"c": [{"y": 4}]}));
}

#[test]
fn update_at_the_root_adds_top_level_fields_paths_and_schemas() {
    let result = applied(
        r#"  - target: $
    update:
      servers:
        - url: https://api.example.com
      security:
        - ApiKeyAuth: []
      paths:
        /owners:
          get:
            operationId: listOwners
      components:
        schemas:
          Owner:
            type: object
        securitySchemes:
          ApiKeyAuth:
            type: apiKey
            in: header
            name: x-key
"#,
        pet_store(),
    );
    assert_eq!(
        result["servers"],
        json!([{"url": "https://api.example.com"}])
    );
    assert_eq!(result["security"], json!([{"ApiKeyAuth": []}]));
    assert_eq!(
        result["paths"]["/owners"]["get"]["operationId"],
        "listOwners"
    );
    assert_eq!(result["paths"]["/pets"], pet_store()["paths"]["/pets"]);
    let schemas: Vec<&str> = result["components"]["schemas"]
        .as_object()
        .unwrap()
        .keys()
        .map(String::as_str)
        .collect();
    assert_eq!(schemas, ["Pet", "Owner"]);
    assert_eq!(
        result["components"]["securitySchemes"]["ApiKeyAuth"]["name"],
        "x-key"
    );
}

#[test]
fn actions_apply_in_order_each_to_the_result_of_the_previous() {
    let remove_then_add = "  - target: $.components.schemas.Pet\n    remove: true\n  - target: $.components.schemas\n    update:\n      Pet:\n        type: string\n";
    let add_then_remove = "  - target: $.components.schemas\n    update:\n      Pet:\n        type: string\n  - target: $.components.schemas.Pet\n    remove: true\n";
    assert_eq!(
        applied(remove_then_add, pet_store())["components"]["schemas"],
        json!({"Pet": {"type": "string"}})
    );
    assert_eq!(
        applied(add_then_remove, pet_store())["components"]["schemas"],
        json!({})
    );
    // A later action sees what an earlier one added.
    let result = applied(
        "  - target: $\n    update:\n      tags: []\n  - target: $.tags\n    update:\n      name: pets\n",
        pet_store(),
    );
    assert_eq!(result["tags"], json!([{"name": "pets"}]));
}

#[test]
fn apply_all_applies_the_overlays_in_order() {
    let first = overlay("  - target: $.info\n    update:\n      title: First\n      x-first: 1\n");
    let second = overlay("  - target: $.info\n    update:\n      title: Second\n");
    let mut document = pet_store();
    apply_all(&mut document, &[first.clone(), second.clone()]).unwrap();
    assert_eq!(
        document["info"],
        json!({"title": "Second", "version": "1", "x-first": 1})
    );
    let mut document = pet_store();
    apply_all(&mut document, &[second, first]).unwrap();
    assert_eq!(document["info"]["title"], "First");
}

#[test]
fn apply_all_changes_nothing_when_a_later_overlay_fails() {
    let good = overlay("  - target: $.info\n    update:\n      title: Changed\n");
    let bad = overlay("  - target: $.nowhere\n    update:\n      x: 1\n");
    let mut document = pet_store();
    let error = apply_all(&mut document, &[good, bad]).unwrap_err();
    assert!(error.to_string().contains("$.nowhere"), "{error}");
    assert_eq!(document, pet_store());
}

// ---------------------------------------------------------------------------
// Errors while applying
// ---------------------------------------------------------------------------

#[test]
fn a_target_that_selects_nothing_is_an_error_naming_the_action() {
    let error = apply_error(
        "  - target: $.info\n    update:\n      x-a: 1\n  - target: $.paths['/dinner'].get\n    update:\n      x-b: 2\n",
        pet_store(),
    );
    let (pointer, message) = pointer_and_message(&error);
    assert_eq!(pointer, "/actions/1/target");
    assert!(message.contains("$.paths['/dinner'].get"), "{message}");
    assert!(message.contains("selects nothing"), "{message}");
    assert!(
        error
            .to_string()
            .starts_with("specs/overlays/test.yaml:#/actions/1/target: "),
        "{error}"
    );
}

#[test]
fn an_update_of_the_wrong_shape_is_an_error_at_its_place_in_the_overlay() {
    // An object target needs an object update.
    let error = apply_error("  - target: $.info\n    update: Pets\n", pet_store());
    let (pointer, message) = pointer_and_message(&error);
    assert_eq!(pointer, "/actions/0/update");
    assert!(message.contains("must be an object"), "{message}");

    // A primitive target takes only a primitive.
    let error = apply_error(
        "  - target: $.info.title\n    update: {a: 1}\n",
        pet_store(),
    );
    let (pointer, _) = pointer_and_message(&error);
    assert_eq!(pointer, "/actions/0/update");

    // Inside a merge: an object cannot merge into a string.
    let error = apply_error(
        "  - target: $.paths\n    update:\n      /pets:\n        get:\n          summary:\n            text: x\n",
        pet_store(),
    );
    let (pointer, message) = pointer_and_message(&error);
    assert_eq!(pointer, "/actions/0/update/~1pets/get/summary");
    assert!(message.contains("#/paths/~1pets/get/summary"), "{message}");
}

#[test]
fn removing_the_root_is_an_error() {
    let error = apply_error("  - target: $\n    remove: true\n", pet_store());
    let (pointer, _) = pointer_and_message(&error);
    assert_eq!(pointer, "/actions/0/target");
}

// ---------------------------------------------------------------------------
// Loading and checking overlays
// ---------------------------------------------------------------------------

#[test]
fn an_invalid_jsonpath_is_reported_at_its_target() {
    let error = parse_error(&with_header(
        "  - target: $.info\n    update: {}\n  - target: $.paths[?@.get ==]\n    remove: true\n",
    ));
    let (pointer, message) = pointer_and_message(&error);
    assert_eq!(pointer, "/actions/1/target");
    assert!(message.starts_with("invalid JSONPath"), "{message}");
    assert!(
        error
            .to_string()
            .starts_with("specs/overlays/test.yaml:#/actions/1/target: invalid JSONPath"),
        "{error}"
    );
    // Not RFC 9535: a query starts with `$`.
    let error = parse_error(&with_header("  - target: paths\n    remove: true\n"));
    assert_eq!(pointer_and_message(&error).0, "/actions/0/target");
}

#[test]
fn only_overlay_version_1_0_x_is_accepted() {
    for accepted in ["1.0.0", "1.0.1", "1.0.12", "1.0.0-rc1"] {
        let text = format!("overlay: {accepted}\ninfo: {{title: T, version: '1'}}\nactions:\n  - target: $\n    update: {{}}\n");
        assert!(
            parse_overlay(Path::new(OVERLAY_FILE), text.as_bytes()).is_ok(),
            "{accepted} should be accepted"
        );
    }
    for (version, expected) in [
        (
            "1.1.0",
            "unsupported Overlay Specification version \"1.1.0\"",
        ),
        ("2.0.0", "unsupported"),
        ("1.0", "unsupported"),
        ("1.0.x", "unsupported"),
        ("1.0.0-", "unsupported"),
    ] {
        let text = format!("overlay: '{version}'\ninfo: {{title: T, version: '1'}}\nactions:\n  - target: $\n    update: {{}}\n");
        let (pointer, message) = pointer_and_message(&parse_error(&text));
        assert_eq!(pointer, "/overlay", "{version}");
        assert!(message.contains(expected), "{version}: {message}");
    }
    // Unquoted in YAML, 1.0 is a number.
    let (pointer, message) = pointer_and_message(&parse_error(
        "overlay: 1.0\ninfo: {title: T, version: '1'}\nactions:\n  - target: $\n    update: {}\n",
    ));
    assert_eq!(pointer, "/overlay");
    assert!(message.contains("must be a string"), "{message}");
    // An OpenAPI document given by mistake.
    let (pointer, message) = pointer_and_message(&parse_error(
        "openapi: 3.1.0\ninfo: {title: T, version: '1'}\npaths: {}\n",
    ));
    assert_eq!(pointer, "");
    assert!(
        message.contains("OpenAPI document, not an overlay"),
        "{message}"
    );
}

#[test]
fn actions_are_required_and_must_not_be_empty() {
    let (pointer, message) = pointer_and_message(&parse_error(
        "overlay: 1.0.0\ninfo: {title: T, version: '1'}\n",
    ));
    assert_eq!(pointer, "");
    assert!(message.contains("missing `actions`"), "{message}");

    let (pointer, message) = pointer_and_message(&parse_error(
        "overlay: 1.0.0\ninfo: {title: T, version: '1'}\nactions: []\n",
    ));
    assert_eq!(pointer, "/actions");
    assert!(message.contains("at least one"), "{message}");

    let (pointer, _) = pointer_and_message(&parse_error(
        "overlay: 1.0.0\ninfo: {title: T, version: '1'}\nactions: {target: $}\n",
    ));
    assert_eq!(pointer, "/actions");
}

#[test]
fn info_needs_a_title_and_a_version() {
    let (pointer, message) = pointer_and_message(&parse_error(
        "overlay: 1.0.0\nactions:\n  - target: $\n    update: {}\n",
    ));
    assert_eq!(pointer, "");
    assert!(message.contains("missing `info`"), "{message}");
    let (pointer, message) = pointer_and_message(&parse_error(
        "overlay: 1.0.0\ninfo: {title: T}\nactions:\n  - target: $\n    update: {}\n",
    ));
    assert_eq!(pointer, "/info");
    assert!(message.contains("info.version"), "{message}");
    let (pointer, _) = pointer_and_message(&parse_error(
        "overlay: 1.0.0\ninfo: {title: 5, version: '1'}\nactions:\n  - target: $\n    update: {}\n",
    ));
    assert_eq!(pointer, "/info/title");
}

#[test]
fn remove_true_beside_update_is_rejected() {
    // The 1.0 schema: if `remove` is true, `update` must not be present.
    let error = parse_error(&with_header(
        "  - target: $.info\n    update: {title: x}\n    remove: true\n",
    ));
    let (pointer, message) = pointer_and_message(&error);
    assert_eq!(pointer, "/actions/0/update");
    assert!(message.contains("remove: true"), "{message}");
    // `remove: false` is the default and leaves `update` in force.
    let result = applied(
        "  - target: $.info\n    update: {title: x}\n    remove: false\n",
        pet_store(),
    );
    assert_eq!(result["info"]["title"], "x");
}

#[test]
fn an_action_must_do_something_and_have_only_known_fields() {
    let (pointer, message) = pointer_and_message(&parse_error(&with_header(
        "  - target: $.info\n    description: nothing\n",
    )));
    assert_eq!(pointer, "/actions/0");
    assert!(
        message.contains("neither `update` nor `remove: true`"),
        "{message}"
    );

    let (pointer, message) = pointer_and_message(&parse_error(&with_header(
        "  - target: $.info\n    updates: {title: x}\n",
    )));
    assert_eq!(pointer, "/actions/0/updates");
    assert!(message.contains("unknown field `updates`"), "{message}");

    let (pointer, _) = pointer_and_message(&parse_error(&with_header(
        "  - target: $.info\n    remove: 'yes'\n",
    )));
    assert_eq!(pointer, "/actions/0/remove");

    let (pointer, _) = pointer_and_message(&parse_error(&with_header("  - remove: true\n")));
    assert_eq!(pointer, "/actions/0");

    // Extensions are allowed everywhere.
    let text = "overlay: 1.0.0\nx-tool: 1\ninfo: {title: T, version: '1', x-by: me}\nactions:\n  - target: $\n    x-why: because\n    update: {}\n";
    assert!(parse_overlay(Path::new(OVERLAY_FILE), text.as_bytes()).is_ok());
}

#[test]
fn duplicate_actions_are_rejected() {
    let (pointer, message) = pointer_and_message(&parse_error(&with_header(
        "  - target: $.info\n    update: {title: x}\n  - target: $.info\n    update: {title: y}\n  - target: $.info\n    update: {title: x}\n",
    )));
    assert_eq!(pointer, "/actions/2");
    assert!(message.contains("#/actions/0"), "{message}");
}

#[test]
fn a_yaml_syntax_error_names_the_file_line_and_column() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("broken.yaml");
    std::fs::write(
        &path,
        "overlay: 1.0.0\ninfo:\n  title: T\n  version: '1'\nactions:\n  - target: $\n    update: {a: 1\n",
    )
    .unwrap();
    let error = load_overlay(&path).unwrap_err();
    match &error {
        Error::Invalid {
            file,
            location: Location::LineColumn { line, .. },
            message,
        } => {
            assert_eq!(file, &path);
            assert!(*line >= 7, "{error}");
            assert!(message.contains("invalid YAML"), "{message}");
        }
        other => panic!("expected a line:column error, got: {other}"),
    }
    assert!(
        error
            .to_string()
            .starts_with(&format!("{}:", path.display())),
        "{error}"
    );
}

#[test]
fn load_overlay_reads_the_file_and_records_its_hash() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("ok.json");
    let text = r#"{"overlay": "1.0.0", "info": {"title": "T", "version": "2"}, "actions": [{"target": "$.info", "update": {"x-a": 1}}]}"#;
    std::fs::write(&path, text).unwrap();
    let loaded = load_overlay(&path).unwrap();
    assert_eq!(loaded.path, path);
    assert_eq!(
        loaded.sha256,
        generator::load::parse::hex_sha256(text.as_bytes())
    );
    assert_eq!(loaded.title, "T");
    assert_eq!(loaded.version, "2");
    assert_eq!(loaded.len(), 1);

    let missing = dir.path().join("missing.yaml");
    assert!(matches!(load_overlay(&missing), Err(Error::Io { .. })));
}

// ---------------------------------------------------------------------------
// The project's overlays on the vendored documents
// ---------------------------------------------------------------------------

fn manifest_dir() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
}

/// Loads a vendored document, applies the project's overlay for it, checks
/// that the typed view still builds, and returns the tree and typed view.
fn overlaid(api: &str) -> (Value, generator::load::spec::Document) {
    let spec = manifest_dir().join(format!("../../shared/specs/{api}.yaml"));
    let bytes = std::fs::read(&spec).unwrap_or_else(|e| panic!("{}: {e}", spec.display()));
    let mut raw = generator::load::parse::parse_tree(&spec, &bytes).unwrap();
    let before = raw.clone();
    let overlay = load_overlay(&manifest_dir().join(format!("../specs/overlays/{api}.yaml")))
        .unwrap_or_else(|e| panic!("{e}"));
    overlay.apply(&mut raw).unwrap_or_else(|e| panic!("{e}"));
    assert_ne!(raw, before);
    let document = generator::load::typed_view(&spec, &raw)
        .unwrap_or_else(|e| panic!("the overlaid document no longer loads: {e}"));
    (raw, document)
}

#[test]
fn the_elevenlabs_overlay_adds_servers_and_api_key_security() {
    let (raw, document) = overlaid("elevenlabs");
    let urls: Vec<&str> = document.servers.iter().map(|s| s.url.as_str()).collect();
    assert_eq!(
        urls,
        [
            "https://api.elevenlabs.io",
            "https://api.us.elevenlabs.io",
            "https://api.eu.residency.elevenlabs.io",
            "https://api.in.residency.elevenlabs.io",
        ]
    );
    assert!(document.servers.iter().all(|s| s.description.is_some()));
    assert_eq!(
        raw["components"]["securitySchemes"]["ApiKeyAuth"],
        json!({"type": "apiKey", "in": "header", "name": "xi-api-key"})
    );
    assert_eq!(raw["security"], json!([{"ApiKeyAuth": []}]));
    // Nothing else was touched.
    assert!(document.components.schemas.len() > 1000);
    assert!(document
        .paths
        .contains_key("/v1/convai/agents/{agent_id}/deployments"));
}

#[test]
fn the_tavus_overlay_adds_create_deployment() {
    let (raw, document) = overlaid("tavus");
    let item = &document.paths["/v2/deployments"];
    let post = item.post.as_ref().expect("POST /v2/deployments");
    assert!(item.get.is_none());
    assert_eq!(post["operationId"], "createDeployment");
    assert_eq!(post["summary"], "Create Deployment");
    assert_eq!(post["tags"], json!(["Deployments"]));
    assert_eq!(post["requestBody"]["required"], true);
    assert_eq!(
        post["requestBody"]["content"]["application/json"]["schema"]["$ref"],
        "#/components/schemas/CreateDeploymentRequest"
    );
    assert_eq!(
        post["responses"]["200"]["content"]["application/json"]["schema"]["$ref"],
        "#/components/schemas/Deployment"
    );
    assert!(
        post.get("security").is_none(),
        "the global security applies"
    );

    let schemas = &raw["components"]["schemas"];
    let request = &schemas["CreateDeploymentRequest"];
    assert_eq!(request["required"], json!(["pal_id", "channel"]));
    assert_eq!(request["properties"]["password"]["nullable"], true);
    assert_eq!(
        request["properties"]["allowed_origins"]["items"]["type"],
        "string"
    );
    assert_eq!(
        schemas["DeploymentChannel"]["enum"],
        json!(["widget", "embed", "landing-page"])
    );
    assert_eq!(
        schemas["DeploymentStatus"]["enum"],
        json!(["draft", "active", "inactive"])
    );
    let deployment = &schemas["Deployment"]["properties"];
    assert_eq!(
        deployment["channel"]["$ref"],
        "#/components/schemas/DeploymentChannel"
    );
    assert_eq!(
        deployment["status"]["$ref"],
        "#/components/schemas/DeploymentStatus"
    );
    assert_eq!(
        deployment["replica_thumbnail_video_url"]["deprecated"],
        true
    );
    assert_eq!(deployment["created_at"]["format"], "date-time");
    assert_eq!(deployment.as_object().unwrap().len(), 16);

    // Every `$ref` the overlay added resolves.
    for pointer in [
        "/paths/~1v2~1deployments/post/requestBody/content/application~1json/schema/$ref",
        "/paths/~1v2~1deployments/post/responses/200/content/application~1json/schema/$ref",
        "/components/schemas/CreateDeploymentRequest/properties/channel/$ref",
        "/components/schemas/Deployment/properties/status/$ref",
    ] {
        let reference = raw.pointer(pointer).and_then(Value::as_str).unwrap();
        assert!(
            generator::load::resolve_local(&raw, reference).is_some(),
            "{reference} does not resolve"
        );
    }
    // The typed view sees the new schemas next to the old ones.
    for name in [
        "CreateDeploymentRequest",
        "Deployment",
        "DeploymentChannel",
        "Conversation",
    ] {
        assert!(document.components.schemas.contains_key(name), "{name}");
    }
}
