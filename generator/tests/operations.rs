//! How operations map to client methods: one small inline document per
//! case, checking the model, the names or the emitted Rust text.

use std::path::{Path, PathBuf};

use generator::model::ir::{ApiModel, BodyEncoding, ParamLocation, ResponseDef, TypeRef};
use generator::naming::{assign_names, Names};
use generator::support::error::Error;

fn document(paths: &str, components: &str) -> String {
    format!(
        "openapi: 3.1.0\ninfo: {{title: Demo, version: '1'}}\npaths:\n{paths}components:\n  securitySchemes:\n    Key: {{type: apiKey, in: header, name: x-key}}\n  schemas:\n    Thing:\n      type: object\n      properties:\n        id: {{type: string}}\n{components}"
    )
}

fn try_model(yaml: &str) -> Result<(ApiModel, Names), Error> {
    let loaded = generator::load::load_bytes(Path::new("demo.yaml"), yaml.as_bytes())?;
    let model = generator::model::lower::build_model(&loaded)?;
    let names = assign_names(&model);
    Ok((model, names))
}

fn model(yaml: &str) -> (ApiModel, Names) {
    try_model(yaml).unwrap_or_else(|e| panic!("no model: {e}"))
}

/// Generates the stand-alone crate and returns one file's text.
fn generated_file(yaml: &str, file: &str) -> String {
    let dir = tempfile::tempdir().expect("temporary directory");
    let spec: PathBuf = dir.path().join("demo.yaml");
    std::fs::write(&spec, yaml).expect("write the document");
    let generated = generator::generate_crate(&generator::standalone_input(&spec, Some("demo")))
        .unwrap_or_else(|e| panic!("generation fails: {e}"));
    let path = PathBuf::from("src/demo").join(file);
    generated
        .files
        .get(&path)
        .unwrap_or_else(|| panic!("no {}", path.display()))
        .clone()
}

#[test]
fn fern_hints_place_the_method_and_tags_are_the_fallback() {
    let paths = "  /v1/agents/{agent_id}/deployments:\n    post:\n      operationId: create_agent_deployment_route\n      tags: [Agents Platform]\n      x-fern-sdk-group-name: [conversational_ai, agents, deployments]\n      x-fern-sdk-method-name: create\n      parameters:\n        - {name: agent_id, in: path, required: true, schema: {type: string}}\n      responses: {'200': {description: ok}}\n  /v2/conversations:\n    get:\n      operationId: listConversations\n      tags: [Conversations]\n      responses: {'200': {description: ok}}\n  /v2/memories/{id}:\n    delete:\n      operationId: deleteMemory\n      tags: [Memories]\n      parameters:\n        - {name: id, in: path, required: true, schema: {type: string}}\n      responses: {'200': {description: ok}}\n  /docs:\n    get:\n      operationId: redirect_to_docs\n      responses: {'200': {description: ok}}\n";
    let (model, names) = model(&document(paths, ""));
    let places: Vec<(Vec<String>, String)> = names
        .operations
        .iter()
        .map(|n| (n.group.clone(), n.method.clone()))
        .collect();
    assert_eq!(
        places,
        [
            (
                vec![
                    "conversational_ai".into(),
                    "agents".into(),
                    "deployments".into()
                ],
                "create".into()
            ),
            (vec!["conversations".into()], "list".into()),
            (vec!["memories".into()], "delete".into()),
            (vec![], "redirect_to_docs".into()),
        ]
    );
    assert_eq!(model.operations[0].method, "POST");
    assert_eq!(
        names.groups[&vec!["conversational_ai".to_owned()]],
        "ConversationalAi"
    );
}

#[test]
fn the_api_key_header_is_the_clients_and_not_a_parameter() {
    let paths = "  /things:\n    get:\n      parameters:\n        - {name: X-Key, in: header, schema: {type: string}}\n        - {name: trace-id, in: header, schema: {type: string}}\n      responses: {'200': {description: ok}}\n";
    let (model, names) = model(&document(paths, ""));
    assert_eq!(model.api_key_header.as_deref(), Some("x-key"));
    let params: Vec<&str> = model.operations[0]
        .params
        .iter()
        .map(|p| p.wire_name.as_str())
        .collect();
    assert_eq!(params, ["trace-id"]);
    assert_eq!(names.operations[0].params, ["trace_id"]);
}

#[test]
fn path_level_parameters_are_shared_and_refs_resolve() {
    let paths = "  /things/{id}:\n    parameters:\n      - $ref: '#/components/parameters/Id'\n    get:\n      parameters:\n        - {name: limit, in: query, schema: {type: integer}}\n      responses: {'200': {description: ok}}\n";
    let components =
        "  parameters:\n    Id: {name: id, in: path, required: true, schema: {type: string}}\n";
    let yaml = document(paths, "").replace("  schemas:\n", &format!("{components}  schemas:\n"));
    let (model, _) = model(&yaml);
    let op = &model.operations[0];
    assert_eq!(op.params.len(), 2);
    assert_eq!(op.params[0].wire_name, "id");
    assert_eq!(op.params[0].location, ParamLocation::Path);
    assert!(op.params[0].required);
    assert_eq!(op.params[1].location, ParamLocation::Query);
    assert!(!op.params[1].required);
}

#[test]
fn a_path_naming_an_undeclared_parameter_is_an_error_with_its_pointer() {
    let paths = "  /things/{id}:\n    get:\n      responses: {'200': {description: ok}}\n";
    let error = try_model(&document(paths, "")).unwrap_err().to_string();
    assert!(
        error.starts_with("demo.yaml:#/paths/~1things~1{id}/get: the path names {id}"),
        "{error}"
    );
}

#[test]
fn response_kinds_follow_the_media_type() {
    let paths = "  /json:\n    get:\n      responses:\n        '200': {description: ok, content: {application/json: {schema: {$ref: '#/components/schemas/Thing'}}}}\n  /audio:\n    get:\n      responses:\n        '200': {description: ok, content: {audio/mpeg: {schema: {type: string, format: binary}}}}\n  /text:\n    get:\n      responses:\n        '200': {description: ok, content: {text/plain: {schema: {type: string}}}}\n  /events:\n    get:\n      responses:\n        '200': {description: ok, content: {text/event-stream: {schema: {type: string}}}}\n  /empty:\n    delete:\n      responses:\n        '204': {description: gone}\n";
    let (model, _) = model(&document(paths, ""));
    let kinds: Vec<&ResponseDef> = model.operations.iter().map(|op| &op.response).collect();
    assert!(matches!(kinds[0], ResponseDef::Json(TypeRef::Named(_))));
    assert_eq!(
        kinds[1],
        &ResponseDef::Binary(vec!["audio/mpeg".to_owned()])
    );
    assert_eq!(kinds[2], &ResponseDef::Text("text/plain".to_owned()));
    assert_eq!(kinds[3], &ResponseDef::EventStream(TypeRef::String));
    assert_eq!(kinds[4], &ResponseDef::Empty);
}

#[test]
fn declared_error_bodies_become_one_enum_decoded_by_status() {
    let paths = "  /things:\n    get:\n      responses:\n        '200': {description: ok}\n        '422': {description: bad, content: {application/json: {schema: {$ref: '#/components/schemas/Problem'}}}}\n        '404': {description: missing, content: {application/json: {}}}\n";
    let components =
        "    Problem:\n      type: object\n      properties:\n        detail: {type: string}\n";
    let client = generated_file(&document(paths, components), "client.rs");
    assert!(client.contains("pub enum ErrorBody {"), "{client}");
    assert!(client.contains("Problem(types::Problem)"), "{client}");
    assert!(
        client.contains(
            "422 => None.or_else(|| serde_json::from_slice(body).ok().map(Self::Problem))"
        ),
        "{client}"
    );
    assert!(
        !client.contains("404"),
        "a 404 without a schema stays raw: {client}"
    );
}

#[test]
fn optional_inputs_make_a_request_builder_and_required_ones_are_arguments() {
    let paths = "  /things/{id}:\n    get:\n      tags: [Things]\n      operationId: getThing\n      parameters:\n        - {name: id, in: path, required: true, schema: {type: string}}\n        - {name: verbose, in: query, schema: {type: boolean}}\n      responses: {'200': {description: ok}}\n    delete:\n      tags: [Things]\n      operationId: deleteThing\n      parameters:\n        - {name: id, in: path, required: true, schema: {type: string}}\n      responses: {'200': {description: ok}}\n";
    let text = generated_file(&document(paths, ""), "operations/things.rs");
    assert!(
        text.contains("pub fn get(self, id: &'a str) -> ThingsGet<'a>"),
        "{text}"
    );
    assert!(
        text.contains("pub fn verbose(mut self, value: impl Into<bool>) -> Self"),
        "{text}"
    );
    assert!(
        text.contains("impl<'a> std::future::IntoFuture for ThingsGet<'a>"),
        "{text}"
    );
    assert!(
        text.contains("pub fn delete(self, id: &str) -> Call<'a, ()>"),
        "{text}"
    );
}

#[test]
fn multipart_bodies_send_files_as_file_parts_and_json_encoded_fields_as_json() {
    let paths = "  /upload:\n    post:\n      requestBody:\n        required: true\n        content:\n          multipart/form-data:\n            schema: {$ref: '#/components/schemas/Upload'}\n            encoding:\n              meta: {contentType: application/json}\n      responses: {'200': {description: ok}}\n";
    let components = "    Upload:\n      type: object\n      required: [file]\n      properties:\n        file: {type: string, format: binary}\n        extra: {type: array, items: {type: string, format: binary}}\n        meta: {type: object, properties: {a: {type: string}}}\n        note: {type: string}\n";
    let (model, _) = model(&document(paths, components));
    let body = model.operations[0].body.as_ref().unwrap();
    assert_eq!(body.encoding, BodyEncoding::Multipart);
    assert_eq!(model.multipart_bodies[0].json_fields, ["meta"]);
    let text = generated_file(&document(paths, components), "types/upload.rs");
    assert!(text.contains("form.file(\"file\", &self.file);"), "{text}");
    assert!(text.contains("form.files(\"extra\", value);"), "{text}");
    assert!(text.contains("form.json(\"meta\", &self.meta);"), "{text}");
    assert!(text.contains("form.text(\"note\", &self.note);"), "{text}");
}

#[test]
fn a_multipart_body_that_is_not_an_object_is_refused() {
    let paths = "  /upload:\n    post:\n      requestBody:\n        content:\n          multipart/form-data:\n            schema: {type: string}\n      responses: {'200': {description: ok}}\n";
    let error = try_model(&document(paths, "")).unwrap_err().to_string();
    assert!(
        error.contains("requestBody/content/multipart~1form-data/schema: a multipart/form-data body must be an object"),
        "{error}"
    );
}
