//! `generator diff`: one small pair of documents per classification rule,
//! the renderers and the command line, then the real published ElevenLabs
//! history in `../shared/specs/history/` (read at test time, never copied).

use std::collections::BTreeSet;
use std::path::{Path, PathBuf};
use std::process::Command;
use std::sync::OnceLock;

use generator::model::ir::ApiModel;
use generator::workflows::diff::render::{self, Format};
use generator::workflows::diff::{diff, Change, ChangeKind, Changelog};
use generator::workflows::sides::{diff_models, diff_with_names, Overlays};

// ---------------------------------------------------------------------------
// Helpers
// ---------------------------------------------------------------------------

/// A 3.1 document with `paths` and `schemas` (each indented by two and
/// four spaces in the fragment; either may be empty).
fn doc(paths: &str, schemas: &str) -> String {
    let paths = if paths.is_empty() { " {}\n" } else { "\n" }.to_owned() + paths;
    let schemas = if schemas.is_empty() {
        " {}\n".to_owned()
    } else {
        format!("\n{schemas}")
    };
    format!(
        "openapi: 3.1.0\ninfo:\n  title: Demo\n  version: \"1\"\npaths:{paths}components:\n  schemas:{schemas}"
    )
}

fn model(name: &str, text: &str) -> ApiModel {
    let loaded = generator::load::load_bytes(Path::new(name), text.as_bytes())
        .unwrap_or_else(|e| panic!("{name} does not load: {e}\n{text}"));
    generator::model::lower::build_model(&loaded)
        .unwrap_or_else(|e| panic!("{name}: no model: {e}"))
}

fn changelog(old: &str, new: &str) -> Changelog {
    diff(&model("old.yaml", old), &model("new.yaml", new))
}

/// Every change, operation or schema, with what it belongs to.
fn all_changes(log: &Changelog) -> Vec<(String, &Change)> {
    let ops = log
        .operations
        .changed
        .iter()
        .map(|c| (format!("{} {}", c.method, c.path), &c.change));
    let schemas = log
        .schemas
        .changed
        .iter()
        .map(|c| (c.schema.clone(), &c.change));
    ops.chain(schemas).collect()
}

/// The one change of `kind` on `owner` at `location`; fails when there is
/// none or more than one.
fn the_change<'a>(log: &'a Changelog, owner: &str, location: &str, kind: ChangeKind) -> &'a Change {
    let found: Vec<&Change> = all_changes(log)
        .into_iter()
        .filter(|(o, c)| o == owner && c.location == location && c.kind == kind)
        .map(|(_, c)| c)
        .collect();
    assert_eq!(
        found.len(),
        1,
        "expected one {kind:?} on {owner} at {location:?}; all changes:\n{}",
        render::text(log, false)
    );
    found[0]
}

fn kinds(log: &Changelog) -> Vec<ChangeKind> {
    all_changes(log).into_iter().map(|(_, c)| c.kind).collect()
}

fn op(method: &str, path: &str, body: &str) -> String {
    let mut out = format!("  {path}:\n    {method}:\n");
    for line in body.lines() {
        out.push_str("      ");
        out.push_str(line);
        out.push('\n');
    }
    out
}

const OK_EMPTY: &str = "responses: {'204': {description: done}}";

// ---------------------------------------------------------------------------
// Operations
// ---------------------------------------------------------------------------

#[test]
fn removed_operations_are_breaking_and_added_ones_are_not() {
    let old = doc(
        &(op("get", "/a", OK_EMPTY) + &op("delete", "/b", OK_EMPTY)),
        "",
    );
    let new = doc(
        &(op("get", "/a", OK_EMPTY) + &op("post", "/c", OK_EMPTY)),
        "",
    );
    let log = changelog(&old, &new);
    assert_eq!(log.operations.removed.len(), 1);
    let removed = &log.operations.removed[0];
    assert_eq!(
        (removed.method.as_str(), removed.path.as_str()),
        ("DELETE", "/b")
    );
    assert!(removed.breaking, "{}", removed.reason);
    assert_eq!(log.operations.added.len(), 1);
    let added = &log.operations.added[0];
    assert_eq!((added.method.as_str(), added.path.as_str()), ("POST", "/c"));
    assert!(!added.breaking, "{}", added.reason);
    assert!(log.operations.changed.is_empty());
    assert!(log.has_breaking());
}

#[test]
fn identical_documents_have_no_changes_whatever_their_spelling() {
    // JSON 3.0 with `nullable: true` against YAML 3.1 with `anyOf [.., null]`.
    let old_json = r##"{"openapi": "3.0.3", "info": {"title": "Demo", "version": "1"},
      "paths": {"/v": {"get": {"responses": {"200": {"description": "ok",
        "content": {"application/json": {"schema": {"$ref": "#/components/schemas/V"}}}}}}}},
      "components": {"schemas": {"V": {"type": "object", "required": ["id"],
        "properties": {"id": {"type": "string"}, "note": {"type": "string", "nullable": true}}}}}}"##;
    let new_yaml = doc(
        &op(
            "get",
            "/v",
            "responses:\n  '200':\n    description: ok\n    content:\n      application/json:\n        schema: {$ref: '#/components/schemas/V'}",
        ),
        "    V:\n      type: object\n      required: [id]\n      properties:\n        id: {type: string}\n        note:\n          anyOf: [{type: string}, {type: 'null'}]\n",
    );
    let log = diff(&model("old.json", old_json), &model("new.yaml", &new_yaml));
    assert!(log.is_empty(), "{}", render::text(&log, false));
}

#[test]
fn types_are_compared_by_name_not_by_position_in_the_document() {
    // A new schema first shifts every type's index; only the addition shows.
    let schemas = "    Voice:\n      type: object\n      properties:\n        settings: {$ref: '#/components/schemas/Settings'}\n        tags: {type: array, items: {$ref: '#/components/schemas/Tag'}}\n    Settings:\n      type: object\n      properties:\n        speed: {type: number}\n    Tag:\n      type: string\n      enum: [a, b]\n";
    let old = doc("", schemas);
    let new = doc(
        "",
        &format!("    Aaa:\n      type: object\n      properties:\n        x: {{type: string}}\n{schemas}"),
    );
    let log = changelog(&old, &new);
    assert!(
        log.schemas.changed.is_empty(),
        "{}",
        render::text(&log, false)
    );
    assert_eq!(log.schemas.added.len(), 1);
    assert_eq!(log.schemas.added[0].name, "Aaa");
    assert!(!log.schemas.added[0].breaking);
}

#[test]
fn a_new_required_parameter_is_breaking_and_an_optional_one_is_not() {
    let old = doc(&op("get", "/items", OK_EMPTY), "");
    let new = doc(
        &op(
            "get",
            "/items",
            &format!("parameters:\n- {{name: region, in: query, required: true, schema: {{type: string}}}}\n- {{name: limit, in: query, schema: {{type: integer}}}}\n{OK_EMPTY}"),
        ),
        "",
    );
    let log = changelog(&old, &new);
    let required = the_change(
        &log,
        "GET /items",
        "query parameter region",
        ChangeKind::ParameterAdded,
    );
    assert!(required.breaking, "{}", required.reason);
    assert!(
        required.reason.contains("positional argument"),
        "{}",
        required.reason
    );
    let optional = the_change(
        &log,
        "GET /items",
        "query parameter limit",
        ChangeKind::ParameterAdded,
    );
    assert!(!optional.breaking, "{}", optional.reason);
    assert_eq!(optional.new.as_deref(), Some("integer"));
}

#[test]
fn parameter_removal_requiredness_and_type_changes_are_breaking() {
    let old = doc(
        &op(
            "get",
            "/items",
            &format!("parameters:\n- {{name: a, in: query, schema: {{type: string}}}}\n- {{name: b, in: query, required: true, schema: {{type: string}}}}\n- {{name: c, in: query, schema: {{type: integer}}}}\n- {{name: gone, in: header, schema: {{type: string}}}}\n{OK_EMPTY}"),
        ),
        "",
    );
    let new = doc(
        &op(
            "get",
            "/items",
            &format!("parameters:\n- {{name: a, in: query, required: true, schema: {{type: string}}}}\n- {{name: b, in: query, schema: {{type: string}}}}\n- {{name: c, in: query, schema: {{type: string}}}}\n{OK_EMPTY}"),
        ),
        "",
    );
    let log = changelog(&old, &new);
    let owner = "GET /items";
    let removed = the_change(
        &log,
        owner,
        "header parameter gone",
        ChangeKind::ParameterRemoved,
    );
    assert!(removed.breaking);
    let required = the_change(
        &log,
        owner,
        "query parameter a",
        ChangeKind::ParameterRequired,
    );
    assert!(
        required.breaking
            && required
                .reason
                .contains("setter becomes a positional argument")
    );
    let optional = the_change(
        &log,
        owner,
        "query parameter b",
        ChangeKind::ParameterOptional,
    );
    assert!(optional.breaking && optional.reason.contains("becomes a builder setter"));
    let retyped = the_change(&log, owner, "query parameter c", ChangeKind::TypeChanged);
    assert!(retyped.breaking);
    assert_eq!(
        (retyped.old.as_deref(), retyped.new.as_deref()),
        (Some("integer"), Some("string"))
    );
}

#[test]
fn reordered_required_arguments_are_breaking() {
    let params = |first: &str, second: &str| {
        format!("parameters:\n- {{name: {first}, in: query, required: true, schema: {{type: string}}}}\n- {{name: {second}, in: query, required: true, schema: {{type: string}}}}\n{OK_EMPTY}")
    };
    let old = doc(&op("get", "/x", &params("from", "to")), "");
    let new = doc(&op("get", "/x", &params("to", "from")), "");
    let log = changelog(&old, &new);
    let change = the_change(&log, "GET /x", "", ChangeKind::ArgumentsReordered);
    assert!(change.breaking, "{}", change.reason);
    assert_eq!(kinds(&log), vec![ChangeKind::ArgumentsReordered]);
}

#[test]
fn request_bodies_added_removed_and_made_optional() {
    let body = |required: bool| {
        format!("requestBody:\n  required: {required}\n  content:\n    application/json:\n      schema:\n        type: object\n        required: [name]\n        properties:\n          name: {{type: string}}\n{OK_EMPTY}")
    };
    let none = doc(
        &(op("post", "/required", OK_EMPTY) + &op("post", "/optional", OK_EMPTY)),
        "",
    );
    let some = doc(
        &(op("post", "/required", &body(true)) + &op("post", "/optional", &body(false))),
        "",
    );
    let added = changelog(&none, &some);
    assert!(
        the_change(
            &added,
            "POST /required",
            "request body",
            ChangeKind::BodyAdded
        )
        .breaking
    );
    assert!(
        !the_change(
            &added,
            "POST /optional",
            "request body",
            ChangeKind::BodyAdded
        )
        .breaking
    );
    let removed = changelog(&some, &none);
    assert!(
        the_change(
            &removed,
            "POST /optional",
            "request body",
            ChangeKind::BodyRemoved
        )
        .breaking
    );
    let relaxed = changelog(
        &doc(&op("post", "/required", &body(true)), ""),
        &doc(&op("post", "/required", &body(false)), ""),
    );
    let change = the_change(
        &relaxed,
        "POST /required",
        "request body",
        ChangeKind::BodyOptional,
    );
    assert!(
        change.breaking && change.reason.contains("builder setter"),
        "{}",
        change.reason
    );
}

#[test]
fn fields_of_an_inline_request_body_are_compared_structurally() {
    let body = |properties: &str, required: &str| {
        format!("requestBody:\n  required: true\n  content:\n    application/json:\n      schema:\n        type: object\n        required: [{required}]\n        properties:\n{properties}{OK_EMPTY}")
    };
    let old = doc(
        &op(
            "post",
            "/voices",
            &body("          name: {type: string}\n", "name"),
        ),
        "",
    );
    let new = doc(
        &op(
            "post",
            "/voices",
            &body(
                "          name: {type: string}\n          labels: {type: object, properties: {accent: {type: string}}}\n          owner: {type: string}\n",
                "name, owner",
            ),
        ),
        "",
    );
    let log = changelog(&old, &new);
    let owner = the_change(
        &log,
        "POST /voices",
        "request body field owner",
        ChangeKind::FieldAdded,
    );
    assert!(owner.breaking, "{}", owner.reason);
    assert!(
        owner.reason.contains("`new(...)` takes a new argument"),
        "{}",
        owner.reason
    );
    let labels = the_change(
        &log,
        "POST /voices",
        "request body field labels",
        ChangeKind::FieldAdded,
    );
    assert!(!labels.breaking, "{}", labels.reason);
    assert!(
        labels.reason.contains("`#[non_exhaustive]`"),
        "non-breaking by construction: {}",
        labels.reason
    );
    assert_eq!(labels.new.as_deref(), Some("object {accent}"));
    // Not a type change of the body: the inline types are matched by place.
    assert!(!kinds(&log).contains(&ChangeKind::TypeChanged));
}

#[test]
fn response_types_changed_or_given_a_body() {
    let json = |schema: &str| {
        format!("responses:\n  '200':\n    description: ok\n    content:\n      application/json:\n        schema: {schema}")
    };
    let schemas = "    A:\n      type: object\n      properties:\n        id: {type: string}\n    B:\n      type: object\n      properties:\n        id: {type: string}\n";
    let log = changelog(
        &doc(
            &(op("get", "/typed", &json("{$ref: '#/components/schemas/A'}"))
                + &op("get", "/empty", OK_EMPTY)
                + &op(
                    "get",
                    "/list",
                    &json("{type: array, items: {$ref: '#/components/schemas/A'}}"),
                )),
            schemas,
        ),
        &doc(
            &(op("get", "/typed", &json("{$ref: '#/components/schemas/B'}"))
                + &op("get", "/empty", &json("{$ref: '#/components/schemas/A'}"))
                + &op(
                    "get",
                    "/list",
                    &json("{type: array, items: {$ref: '#/components/schemas/A'}}"),
                )),
            schemas,
        ),
    );
    let typed = the_change(&log, "GET /typed", "response", ChangeKind::TypeChanged);
    assert!(typed.breaking);
    assert_eq!(
        (typed.old.as_deref(), typed.new.as_deref()),
        (Some("A"), Some("B"))
    );
    let empty = the_change(
        &log,
        "GET /empty",
        "response",
        ChangeKind::ResponseKindChanged,
    );
    assert!(!empty.breaking, "{}", empty.reason);
    assert_eq!(log.operations.changed.len(), 2, "GET /list is unchanged");
}

/// Every distinct error type of the API is a variant of its exhaustive
/// `ErrorBody` enum (cargo-semver-checks: `enum_variant_added` on
/// `ErrorBody` between 2026-07-18 and the current document).
#[test]
fn an_error_body_new_to_the_api_or_gone_from_it_is_breaking() {
    let errors = |entries: &[(&str, &str)]| {
        let mut out = String::from("responses:\n  '204': {description: done}\n");
        for (status, schema) in entries {
            out.push_str(&format!(
                "  '{status}':\n    description: failed\n    content:\n      application/json:\n        schema: {{$ref: '#/components/schemas/{schema}'}}\n"
            ));
        }
        out
    };
    let schemas = "    Invalid:\n      type: object\n      properties:\n        detail: {type: string}\n    Busy:\n      type: object\n      properties:\n        retry: {type: integer}\n    Gone:\n      type: object\n      properties:\n        since: {type: string}\n";
    let old = doc(
        &(op("get", "/a", &errors(&[("422", "Invalid"), ("410", "Gone")]))
            + &op("get", "/b", &errors(&[]))),
        schemas,
    );
    // `/b` now declares `Invalid` (already a variant: no change) and `Busy`
    // (new to the API); `Gone` is declared nowhere any more.
    let new = doc(
        &(op("get", "/a", &errors(&[("422", "Invalid")]))
            + &op("get", "/b", &errors(&[("422", "Invalid"), ("503", "Busy")]))),
        schemas,
    );
    let log = changelog(&old, &new);
    let added = the_change(
        &log,
        "GET /b",
        "error response 503",
        ChangeKind::ErrorBodyAdded,
    );
    assert!(added.breaking, "{}", added.reason);
    assert!(added.reason.contains("`ErrorBody`"), "{}", added.reason);
    assert_eq!(added.new.as_deref(), Some("Busy"));
    let removed = the_change(
        &log,
        "GET /a",
        "error response 410",
        ChangeKind::ErrorBodyRemoved,
    );
    assert!(removed.breaking, "{}", removed.reason);
    assert_eq!(
        kinds(&log),
        [ChangeKind::ErrorBodyRemoved, ChangeKind::ErrorBodyAdded],
        "in operation order, and nothing for `Invalid` on `/b`"
    );
    // The same error types, declared by other operations: nothing changes.
    let moved = doc(
        &(op("get", "/a", &errors(&[]))
            + &op("get", "/b", &errors(&[("422", "Invalid"), ("410", "Gone")]))),
        schemas,
    );
    assert!(changelog(&old, &moved).is_empty());
}

#[test]
fn deprecation_is_not_breaking_but_a_moved_method_is() {
    let old = doc(
        &op(
            "get",
            "/v1/voices",
            &format!("x-fern-sdk-group-name: voices\nx-fern-sdk-method-name: list\n{OK_EMPTY}"),
        ),
        "",
    );
    let new = doc(
        &op(
            "get",
            "/v1/voices",
            &format!("deprecated: true\nx-fern-sdk-group-name: voices\nx-fern-sdk-method-name: get_all\n{OK_EMPTY}"),
        ),
        "",
    );
    let log = changelog(&old, &new);
    let deprecated = the_change(&log, "GET /v1/voices", "", ChangeKind::Deprecated);
    assert!(!deprecated.breaking);
    let moved = the_change(&log, "GET /v1/voices", "", ChangeKind::CallSiteChanged);
    assert!(moved.breaking);
    assert_eq!(
        (moved.old.as_deref(), moved.new.as_deref()),
        (Some("voices.list"), Some("voices.get_all"))
    );
}

// ---------------------------------------------------------------------------
// Schemas
// ---------------------------------------------------------------------------

/// `GET /agents` answering a page with `next_cursor` and `has_more`;
/// with `paging`, it takes the `cursor` that pages through it.
fn agents(paging: bool) -> String {
    let cursor = if paging {
        "parameters:\n- {name: cursor, in: query, schema: {type: string}}\n"
    } else {
        ""
    };
    let page = "{type: object, required: [agents, has_more], properties: {agents: {type: array, items: {type: string}}, next_cursor: {type: string}, has_more: {type: boolean}}}";
    let responses =
        format!("responses: {{'200': {{description: ok, content: {{application/json: {{schema: {page}}}}}}}}}");
    doc(&op("get", "/agents", &format!("{cursor}{responses}")), "")
}

#[test]
fn an_operation_that_starts_paging_is_an_addition_and_one_that_stops_is_breaking() {
    let log = changelog(&agents(false), &agents(true));
    let starts = the_change(&log, "GET /agents", "", ChangeKind::PagingAdded);
    assert!(!starts.breaking, "{}", starts.reason);
    assert!(
        starts.reason.contains("gains `.pages()`"),
        "{}",
        starts.reason
    );
    assert_eq!(starts.new.as_deref(), Some("by cursor (`cursor`)"));
    assert!(!log.has_breaking(), "{}", render::text(&log, false));

    let log = changelog(&agents(true), &agents(false));
    let stops = the_change(&log, "GET /agents", "", ChangeKind::PagingRemoved);
    assert!(stops.breaking, "{}", stops.reason);
    assert!(stops.reason.contains("`.pages()`"), "{}", stops.reason);
    assert_eq!(stops.old.as_deref(), Some("by cursor (`cursor`)"));
    assert!(
        render::text(&log, false).contains("Stops paging"),
        "{}",
        render::text(&log, false)
    );

    let same = changelog(&agents(true), &agents(true));
    assert!(!kinds(&same).contains(&ChangeKind::PagingAdded));
    assert!(same.is_empty());
}

/// `Req` is sent (a request body), `Res` received (a response), `Free`
/// used by no operation; each holds `fields`.
fn sided(req: &str, res: &str, free: &str) -> String {
    let paths = op(
        "post",
        "/things",
        "requestBody:\n  required: true\n  content:\n    application/json:\n      schema: {$ref: '#/components/schemas/Req'}\nresponses:\n  '200':\n    description: ok\n    content:\n      application/json:\n        schema: {$ref: '#/components/schemas/Res'}",
    );
    doc(
        &paths,
        &format!("    Req:\n{req}    Res:\n{res}    Free:\n{free}"),
    )
}

fn object(required: &[&str], properties: &str) -> String {
    format!(
        "      type: object\n      required: [{}]\n      properties:\n{properties}",
        required.join(", ")
    )
}

#[test]
fn removed_schemas_are_breaking_and_added_ones_are_not() {
    let one = "    A:\n      type: string\n      enum: [x]\n";
    let two = "    B:\n      type: object\n      properties:\n        id: {type: string}\n";
    let log = changelog(&doc("", one), &doc("", two));
    assert_eq!(log.schemas.removed.len(), 1);
    assert_eq!(
        (
            log.schemas.removed[0].name.as_str(),
            log.schemas.removed[0].kind.as_str()
        ),
        ("A", "enum")
    );
    assert!(log.schemas.removed[0].breaking);
    assert_eq!(log.schemas.added[0].name, "B");
    assert!(!log.schemas.added[0].breaking);
}

#[test]
fn a_new_required_field_breaks_request_types_only() {
    let id = "        id: {type: string}\n";
    let with_code =
        "        id: {type: string}\n        code: {type: string}\n        note: {type: string}\n";
    let old = sided(
        &object(&["id"], id),
        &object(&["id"], id),
        &object(&["id"], id),
    );
    let new = sided(
        &object(&["id", "code"], with_code),
        &object(&["id", "code"], with_code),
        &object(&["id", "code"], with_code),
    );
    let log = changelog(&old, &new);
    let request = the_change(&log, "Req", "field code", ChangeKind::FieldAdded);
    assert!(request.breaking, "{}", request.reason);
    assert!(
        request.reason.contains("a request type"),
        "{}",
        request.reason
    );
    let response = the_change(&log, "Res", "field code", ChangeKind::FieldAdded);
    assert!(!response.breaking, "{}", response.reason);
    assert!(
        response.reason.contains("response-only"),
        "{}",
        response.reason
    );
    let free = the_change(&log, "Free", "field code", ChangeKind::FieldAdded);
    assert!(
        free.breaking,
        "unused types are judged like request types: {}",
        free.reason
    );
    for owner in ["Req", "Res", "Free"] {
        let note = the_change(&log, owner, "field note", ChangeKind::FieldAdded);
        assert!(
            !note.breaking,
            "{owner}: a new optional field: {}",
            note.reason
        );
    }
}

#[test]
fn a_field_that_becomes_required_breaks_by_its_rust_type() {
    // `a`: optional -> required: `Option<T>` -> `T` everywhere.
    // `b`: optional -> required + nullable: stays `Option<T>`; only the
    //      constructor of request types changes.
    let before = "        a: {type: string}\n        b: {type: string}\n";
    let after = "        a: {type: string}\n        b: {anyOf: [{type: string}, {type: 'null'}]}\n";
    let old = sided(
        &object(&[], before),
        &object(&[], before),
        &object(&[], before),
    );
    let new = sided(
        &object(&["a", "b"], after),
        &object(&["a", "b"], after),
        &object(&["a", "b"], after),
    );
    let log = changelog(&old, &new);
    let req_a = the_change(&log, "Req", "field a", ChangeKind::FieldRequired);
    assert!(req_a.breaking);
    assert!(
        req_a.reason.contains("from `Option<T>` to `T`"),
        "{}",
        req_a.reason
    );
    assert!(
        req_a.reason.contains("requests must send it"),
        "{}",
        req_a.reason
    );
    let res_a = the_change(&log, "Res", "field a", ChangeKind::FieldRequired);
    assert!(res_a.breaking, "the field is `T` now: {}", res_a.reason);
    assert!(
        res_a.reason.contains("the server now always sends it"),
        "{}",
        res_a.reason
    );
    let req_b = the_change(&log, "Req", "field b", ChangeKind::FieldRequired);
    assert!(req_b.breaking);
    assert!(
        req_b.reason.contains("`new(...)` takes the field"),
        "{}",
        req_b.reason
    );
    let res_b = the_change(&log, "Res", "field b", ChangeKind::FieldRequired);
    assert!(!res_b.breaking, "still `Option<T>`: {}", res_b.reason);
    assert_eq!(res_b.new.as_deref(), Some("required, nullable"));
}

#[test]
fn a_required_field_that_becomes_optional_is_breaking() {
    let field = "        a: {type: string}\n";
    let log = changelog(
        &sided(
            &object(&["a"], field),
            &object(&["a"], field),
            &object(&[], field),
        ),
        &sided(
            &object(&[], field),
            &object(&[], field),
            &object(&[], field),
        ),
    );
    for owner in ["Req", "Res"] {
        let change = the_change(&log, owner, "field a", ChangeKind::FieldOptional);
        assert!(change.breaking, "{owner}: {}", change.reason);
        assert!(
            change.reason.contains("from `T` to `Option<T>`"),
            "{}",
            change.reason
        );
    }
}

#[test]
fn nullability_changes_the_rust_type() {
    let plain = "        a: {type: string}\n        b: {type: integer}\n";
    let nullable = "        a: {type: [string, 'null']}\n        b: {type: integer}\n";
    let log = changelog(
        &sided(
            &object(&["a"], plain),
            &object(&["a"], plain),
            &object(&[], plain),
        ),
        &sided(
            &object(&["a"], nullable),
            &object(&["a"], nullable),
            &object(&[], plain),
        ),
    );
    let response = the_change(&log, "Res", "field a", ChangeKind::FieldNullable);
    assert!(response.breaking, "{}", response.reason);
    assert!(
        response.reason.contains("from `T` to `Option<T>`"),
        "{}",
        response.reason
    );
    assert!(the_change(&log, "Req", "field a", ChangeKind::FieldNullable).breaking);
    let back = changelog(
        &sided(
            &object(&["a"], nullable),
            &object(&["a"], nullable),
            &object(&[], plain),
        ),
        &sided(
            &object(&["a"], plain),
            &object(&["a"], plain),
            &object(&[], plain),
        ),
    );
    let change = the_change(&back, "Res", "field a", ChangeKind::FieldNotNullable);
    assert!(change.breaking, "{}", change.reason);
}

#[test]
fn field_removal_and_type_changes_are_breaking() {
    let old = doc(
        "",
        &format!("    A:\n{}", object(&[], "        x: {type: string}\n        y: {type: integer, format: int32}\n        z: {type: array, items: {type: string}}\n")),
    );
    let new = doc(
        "",
        &format!("    A:\n{}", object(&[], "        y: {type: integer, format: int64}\n        z: {type: array, items: {type: integer}}\n")),
    );
    let log = changelog(&old, &new);
    assert!(the_change(&log, "A", "field x", ChangeKind::FieldRemoved).breaking);
    let y = the_change(&log, "A", "field y", ChangeKind::TypeChanged);
    assert!(y.breaking);
    assert_eq!(
        (y.old.as_deref(), y.new.as_deref()),
        (Some("integer (int32)"), Some("integer"))
    );
    let z = the_change(&log, "A", "field z[]", ChangeKind::TypeChanged);
    assert!(z.breaking);
    assert_eq!(
        (z.old.as_deref(), z.new.as_deref()),
        (Some("string"), Some("integer"))
    );
}

#[test]
fn a_type_alias_for_the_same_type_is_not_a_change_of_rust_type() {
    let old = doc(
        "",
        &format!(
            "    Id:\n      type: string\n    A:\n{}",
            object(&[], "        id: {type: string}\n")
        ),
    );
    let new = doc(
        "",
        &format!(
            "    Id:\n      type: string\n    A:\n{}",
            object(&[], "        id: {$ref: '#/components/schemas/Id'}\n")
        ),
    );
    let log = changelog(&old, &new);
    let change = the_change(&log, "A", "field id", ChangeKind::TypeChanged);
    assert!(!change.breaking, "{}", change.reason);
    assert_eq!(
        (change.old.as_deref(), change.new.as_deref()),
        (Some("string"), Some("Id"))
    );
}

#[test]
fn enum_values_added_are_not_breaking_on_either_side_but_removed_ones_are() {
    let status = |values: &str| format!("        status: {{type: string, enum: [{values}]}}\n");
    let old = sided(
        &object(&[], &status("a, b")),
        &object(&[], &status("a, b")),
        &object(&[], "        x: {type: string}\n"),
    );
    let new = sided(
        &object(&[], &status("a, c")),
        &object(&[], &status("a, b, c")),
        &object(&[], "        x: {type: string}\n"),
    );
    let log = changelog(&old, &new);
    let response = the_change(&log, "Res", "field status", ChangeKind::EnumValueAdded);
    assert!(!response.breaking);
    assert!(
        response
            .reason
            .contains("`#[non_exhaustive]` and keeps unknown values"),
        "{}",
        response.reason
    );
    assert_eq!(response.new.as_deref(), Some("c"));
    let request = the_change(&log, "Req", "field status", ChangeKind::EnumValueAdded);
    assert!(!request.breaking, "{}", request.reason);
    assert!(
        request.reason.contains("the enum is `#[non_exhaustive]`"),
        "non-breaking by construction, not by convention: {}",
        request.reason
    );
    let removed = the_change(&log, "Req", "field status", ChangeKind::EnumValueRemoved);
    assert!(removed.breaking);
    assert_eq!(removed.old.as_deref(), Some("b"));
}

#[test]
fn union_members_and_kinds() {
    let old = doc(
        "",
        "    A: {type: object, properties: {a: {type: string}}}\n    B: {type: object, properties: {b: {type: string}}}\n    C: {type: object, properties: {c: {type: string}}}\n    U:\n      oneOf: [{$ref: '#/components/schemas/A'}, {$ref: '#/components/schemas/B'}]\n    K: {type: string, enum: [x]}\n",
    );
    let new = doc(
        "",
        "    A: {type: object, properties: {a: {type: string}}}\n    B: {type: object, properties: {b: {type: string}}}\n    C: {type: object, properties: {c: {type: string}}}\n    U:\n      oneOf: [{$ref: '#/components/schemas/A'}, {$ref: '#/components/schemas/C'}]\n    K: {type: object, properties: {x: {type: string}}}\n",
    );
    let log = changelog(&old, &new);
    let removed = the_change(&log, "U", "", ChangeKind::UnionMemberRemoved);
    assert!(removed.breaking);
    assert_eq!(removed.old.as_deref(), Some("B"));
    let added = the_change(&log, "U", "", ChangeKind::UnionMemberAdded);
    assert!(!added.breaking);
    assert!(
        added
            .reason
            .contains("`#[non_exhaustive]`, so every match already has a catch-all arm"),
        "{}",
        added.reason
    );
    assert_eq!(added.new.as_deref(), Some("C"));
    let kind = the_change(&log, "K", "", ChangeKind::KindChanged);
    assert!(kind.breaking);
    assert_eq!(
        (kind.old.as_deref(), kind.new.as_deref()),
        (Some("enum"), Some("struct"))
    );
}

#[test]
fn reordered_constructor_arguments_break_request_types() {
    let ab = "        a: {type: string}\n        b: {type: string}\n";
    let ba = "        b: {type: string}\n        a: {type: string}\n";
    let log = changelog(
        &sided(
            &object(&["a", "b"], ab),
            &object(&["a", "b"], ab),
            &object(&[], ab),
        ),
        &sided(
            &object(&["a", "b"], ba),
            &object(&["a", "b"], ba),
            &object(&[], ba),
        ),
    );
    let change = the_change(&log, "Req", "", ChangeKind::ConstructorReordered);
    assert!(change.breaking);
    assert_eq!(
        (change.old.as_deref(), change.new.as_deref()),
        (Some("a, b"), Some("b, a"))
    );
    assert!(
        all_changes(&log).iter().all(|(owner, _)| owner == "Req"),
        "response types are not built by users: {}",
        render::text(&log, false)
    );
}

#[test]
fn nested_inline_objects_report_a_dotted_path() {
    let settings = |extra: &str| {
        format!("    Voice:\n      type: object\n      properties:\n        settings:\n          type: object\n          properties:\n            speed: {{type: number}}\n{extra}")
    };
    let log = changelog(
        &doc("", &settings("")),
        &doc(
            "",
            &settings("            mode: {type: string, enum: [fast]}\n"),
        ),
    );
    let change = the_change(&log, "Voice", "field settings.mode", ChangeKind::FieldAdded);
    assert!(!change.breaking);
    assert_eq!(change.new.as_deref(), Some("enum (\"fast\")"));
    assert_eq!(
        change.summary,
        "field `settings.mode` added (optional, enum (\"fast\"))"
    );
}

// ---------------------------------------------------------------------------
// Rendering and the command line
// ---------------------------------------------------------------------------

fn sample() -> (String, String) {
    let old = sided(
        &object(&["id"], "        id: {type: string}\n"),
        &object(&[], "        kind: {type: string, enum: [a]}\n"),
        &object(&[], "        x: {type: string}\n"),
    );
    let new = sided(
        &object(
            &["id", "code"],
            "        id: {type: string}\n        code: {type: string}\n",
        ),
        &object(&[], "        kind: {type: string, enum: [a, b]}\n"),
        &object(&[], "        x: {type: string}\n"),
    );
    (old, new)
}

#[test]
fn json_has_operations_and_schemas_with_added_removed_and_changed() {
    let (old, new) = sample();
    let log = changelog(&old, &new);
    let value: serde_json::Value = serde_json::from_str(&render::json(&log)).unwrap();
    for section in ["operations", "schemas"] {
        for list in ["added", "removed", "changed"] {
            assert!(value[section][list].is_array(), "{section}.{list}: {value}");
        }
    }
    let changed = value["schemas"]["changed"].as_array().unwrap();
    assert_eq!(changed.len(), 2, "{value}");
    for entry in changed {
        assert!(entry["breaking"].is_boolean(), "{entry}");
        assert!(
            entry["reason"].as_str().is_some_and(|r| !r.is_empty()),
            "{entry}"
        );
    }
    let code = changed.iter().find(|e| e["schema"] == "Req").unwrap();
    assert_eq!(code["kind"], "field_added");
    assert_eq!(code["location"], "field code");
    assert_eq!(code["breaking"], true);
    let value_added = changed.iter().find(|e| e["schema"] == "Res").unwrap();
    assert_eq!(value_added["kind"], "enum_value_added");
    assert_eq!(value_added["breaking"], false);
    assert_eq!(value["breaking"], 1);
}

#[test]
fn text_and_markdown_say_breaking_and_why() {
    let (old, new) = sample();
    let log = changelog(&old, &new);
    let plain = render::render(&log, Format::Text, false);
    assert!(!plain.contains('\u{1b}'), "no colour unless asked: {plain}");
    assert!(
        plain.contains("BREAKING: field `code` added (required, string) — a new required field in a request type"),
        "{plain}"
    );
    assert!(
        plain.contains("the enum is `#[non_exhaustive]` and keeps unknown values"),
        "{plain}"
    );
    assert!(
        plain.contains("1 breaking, 1 non-breaking change"),
        "{plain}"
    );
    let coloured = render::render(&log, Format::Text, true);
    assert!(
        coloured.contains("\u{1b}[1;31mBREAKING\u{1b}[0m"),
        "{coloured}"
    );
    let markdown = render::render(&log, Format::Markdown, false);
    assert!(markdown.starts_with("## API changes"), "{markdown}");
    assert!(
        markdown.contains("**1 breaking change** (of 2)"),
        "{markdown}"
    );
    assert!(
        markdown.contains("- `Req`\n  - **breaking** field `code` added"),
        "{markdown}"
    );
}

#[test]
fn the_order_is_deterministic() {
    let (old, new) = sample();
    let first = render::json(&changelog(&old, &new));
    assert_eq!(first, render::json(&changelog(&old, &new)));
}

fn generator(dir: &Path, args: &[&str]) -> std::process::Output {
    Command::new(env!("CARGO_BIN_EXE_generator"))
        .args(args)
        .current_dir(dir)
        .output()
        .expect("the generator binary runs")
}

#[test]
fn the_cli_exits_1_on_breaking_changes_only_when_asked() {
    let dir = tempfile::tempdir().unwrap();
    let (old, new) = sample();
    std::fs::write(dir.path().join("old.yaml"), &old).unwrap();
    std::fs::write(dir.path().join("new.yaml"), &new).unwrap();

    let plain = generator(dir.path(), &["diff", "old.yaml", "new.yaml"]);
    assert_eq!(plain.status.code(), Some(0), "{plain:?}");
    let stdout = String::from_utf8_lossy(&plain.stdout);
    assert!(
        stdout.contains("API changes from Demo 1 (old.yaml) to Demo 1 (new.yaml)"),
        "{stdout}"
    );
    assert!(!stdout.contains('\u{1b}'), "not a terminal: no colour");

    let failing = generator(
        dir.path(),
        &[
            "diff",
            "old.yaml",
            "new.yaml",
            "--format",
            "json",
            "--fail-on",
            "breaking",
        ],
    );
    assert_eq!(failing.status.code(), Some(1), "{failing:?}");
    let value: serde_json::Value = serde_json::from_slice(&failing.stdout).unwrap();
    assert_eq!(value["breaking"], 1);

    let same = generator(
        dir.path(),
        &["diff", "old.yaml", "old.yaml", "--fail-on", "breaking"],
    );
    assert_eq!(same.status.code(), Some(0), "{same:?}");
    let markdown = generator(
        dir.path(),
        &["diff", "old.yaml", "new.yaml", "--format", "markdown"],
    );
    assert!(String::from_utf8_lossy(&markdown.stdout).starts_with("## API changes"));
}

#[test]
fn the_cli_reads_manifest_apis_and_explains_unknown_names() {
    let dir = tempfile::tempdir().unwrap();
    let (old, new) = sample();
    std::fs::create_dir_all(dir.path().join("specs/overlays")).unwrap();
    std::fs::write(dir.path().join("old.yaml"), &old).unwrap();
    std::fs::write(dir.path().join("vendored.yaml"), &new).unwrap();
    // The overlay renames the new field, so the API's model differs from
    // the bare document.
    std::fs::write(
        dir.path().join("specs/overlays/demo.yaml"),
        "overlay: 1.0.0\ninfo: {title: t, version: '1'}\nactions:\n- target: $.components.schemas.Free.properties\n  update: {extra: {type: boolean}}\n",
    )
    .unwrap();
    std::fs::write(
        dir.path().join("specs/apis.toml"),
        "[crate]\nname = \"c\"\noutput = \"../out\"\nruntime = \"../runtime\"\ndescription = \"d\"\n\n[[api]]\nname = \"demo\"\nmodule = \"demo\"\nspec = \"../vendored.yaml\"\nupstream = \"https://example.invalid\"\noverlays = [\"overlays/demo.yaml\"]\n",
    )
    .unwrap();
    let overlay_change = |args: &[&str]| {
        let output = generator(dir.path(), args);
        assert_eq!(output.status.code(), Some(0), "{output:?}");
        let value: serde_json::Value = serde_json::from_slice(&output.stdout).unwrap();
        assert_eq!(value["new"]["source"], "demo");
        let changed = value["schemas"]["changed"].as_array().unwrap().clone();
        changed
            .iter()
            .any(|e| e["schema"] == "Free" && e["location"] == "field extra")
    };
    // The file side takes the API's overlay too, so the overlay's field is
    // on both sides; with --raw the file is read as it is.
    assert!(!overlay_change(&[
        "diff", "old.yaml", "demo", "--format", "json"
    ]));
    assert!(overlay_change(&[
        "diff", "--raw", "old.yaml", "demo", "--format", "json"
    ]));

    let unknown = generator(dir.path(), &["diff", "old.yaml", "nope"]);
    assert_eq!(unknown.status.code(), Some(2), "{unknown:?}");
    let stderr = String::from_utf8_lossy(&unknown.stderr);
    assert!(
        stderr.contains("nope is neither a file nor an API in specs/apis.toml (APIs: demo)"),
        "{stderr}"
    );
    let no_manifest = generator(
        dir.path(),
        &["diff", "old.yaml", "nope", "--manifest", "missing.toml"],
    );
    assert_eq!(no_manifest.status.code(), Some(2), "{no_manifest:?}");
    assert!(String::from_utf8_lossy(&no_manifest.stderr).contains("nope is not a file"));
}

// ---------------------------------------------------------------------------
// The real published history
// ---------------------------------------------------------------------------

const VERSIONS: [&str; 4] = [
    "history/elevenlabs-2026-03-17.json",
    "history/elevenlabs-2026-05-01.json",
    "history/elevenlabs-2026-07-18.json",
    "elevenlabs.yaml",
];

fn spec_path(name: &str) -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("../../shared/specs")
        .join(name)
}

/// Each version's model, loaded once for all tests (slow in debug builds).
fn real_model(index: usize) -> &'static ApiModel {
    static MODELS: [OnceLock<ApiModel>; 4] = [
        OnceLock::new(),
        OnceLock::new(),
        OnceLock::new(),
        OnceLock::new(),
    ];
    MODELS[index].get_or_init(|| {
        let path = spec_path(VERSIONS[index]);
        let loaded =
            generator::load::load_file(&path).unwrap_or_else(|e| panic!("{}: {e}", path.display()));
        generator::model::lower::build_model(&loaded).unwrap_or_else(|e| panic!("{e}"))
    })
}

/// `(from, to)`: the changelog between consecutive versions, computed once.
fn real_diff(from: usize) -> &'static Changelog {
    static DIFFS: [OnceLock<Changelog>; 3] = [OnceLock::new(), OnceLock::new(), OnceLock::new()];
    DIFFS[from].get_or_init(|| diff(real_model(from), real_model(from + 1)))
}

/// `METHOD path` of every operation, read independently of the generator:
/// the raw document as a `serde_json::Value`.
fn raw_operations(index: usize) -> &'static BTreeSet<String> {
    static RAW: [OnceLock<BTreeSet<String>>; 4] = [
        OnceLock::new(),
        OnceLock::new(),
        OnceLock::new(),
        OnceLock::new(),
    ];
    RAW[index].get_or_init(|| {
        let path = spec_path(VERSIONS[index]);
        let text = std::fs::read_to_string(&path).unwrap();
        let value: serde_json::Value = if path.extension().is_some_and(|e| e == "json") {
            serde_json::from_str(&text).unwrap()
        } else {
            serde_yaml_ng::from_str(&text).unwrap()
        };
        let methods = [
            "get", "put", "post", "delete", "options", "head", "patch", "trace",
        ];
        let mut out = BTreeSet::new();
        for (path, item) in value["paths"].as_object().unwrap() {
            for method in methods {
                if item.get(method).is_some() {
                    out.insert(format!("{} {path}", method.to_uppercase()));
                }
            }
        }
        out
    })
}

#[test]
fn real_history_operations_added_and_removed_match_an_independent_count() {
    let mut report = Vec::new();
    for from in 0..3 {
        let (old, new) = (raw_operations(from), raw_operations(from + 1));
        let added: BTreeSet<String> = new.difference(old).cloned().collect();
        let removed: BTreeSet<String> = old.difference(new).cloned().collect();
        let log = real_diff(from);
        let listed = |entries: &[generator::workflows::diff::OperationEntry]| -> BTreeSet<String> {
            entries
                .iter()
                .map(|e| format!("{} {}", e.method, e.path))
                .collect()
        };
        assert_eq!(
            listed(&log.operations.added),
            added,
            "added, {}",
            VERSIONS[from + 1]
        );
        assert_eq!(
            listed(&log.operations.removed),
            removed,
            "removed, {}",
            VERSIONS[from + 1]
        );
        assert_eq!(log.operations.added.len(), added.len());
        assert_eq!(log.operations.removed.len(), removed.len());
        assert!(log.operations.added.iter().all(|e| !e.breaking));
        assert!(log.operations.removed.iter().all(|e| e.breaking));
        report.push((VERSIONS[from + 1], added.len(), removed.len()));
    }
    // The counts as of the vendored snapshots (README: 266, 291, 340, 387).
    assert_eq!(
        report,
        vec![
            ("history/elevenlabs-2026-05-01.json", 25, 0),
            ("history/elevenlabs-2026-07-18.json", 50, 1),
            ("elevenlabs.yaml", 47, 0),
        ]
    );
}

#[test]
fn real_history_a_removed_operation_is_breaking() {
    let log = real_diff(1);
    let removed = log
        .operations
        .removed
        .iter()
        .find(|e| e.method == "GET" && e.path == "/v1/convai/api-integrations/docs")
        .expect("GET /v1/convai/api-integrations/docs went away after 2026-05-01");
    assert!(removed.breaking);
    assert!(
        removed.reason.contains("gone from the client"),
        "{}",
        removed.reason
    );
}

#[test]
fn real_history_fields_and_parameters_that_became_required_or_optional() {
    // 2026-03-17 -> 2026-05-01: a phone number's transfer destination was
    // optional and nullable (`Nullable<T>`); now it is required (`T`).
    let log = real_diff(0);
    let field = the_change(
        log,
        "PhoneNumberTransfer",
        "field transfer_destination",
        ChangeKind::FieldRequired,
    );
    assert!(field.breaking);
    assert_eq!(
        field.summary,
        "field `transfer_destination` became required and non-nullable"
    );
    assert!(
        field.reason.contains("from `Nullable<T>` to `T`"),
        "{}",
        field.reason
    );
    // ... and a required query parameter became optional: the argument
    // turns into a builder setter.
    let param = the_change(
        log,
        "GET /v1/convai/test-invocations",
        "query parameter agent_id",
        ChangeKind::ParameterOptional,
    );
    assert!(param.breaking);
    // 2026-05-01 -> 2026-07-18: a PATCH body became optional.
    let body = the_change(
        real_diff(1),
        "PATCH /v1/convai/knowledge-base/{documentation_id}",
        "request body",
        ChangeKind::BodyOptional,
    );
    assert!(body.breaking);
}

/// The change of `kind` on `owner` whose old or new value is `value`.
fn change_with_value<'a>(
    log: &'a Changelog,
    owner: &str,
    kind: ChangeKind,
    value: &str,
) -> &'a Change {
    all_changes(log)
        .into_iter()
        .find(|(o, c)| {
            o == owner
                && c.kind == kind
                && (c.old.as_deref() == Some(value) || c.new.as_deref() == Some(value))
        })
        .map(|(_, c)| c)
        .unwrap_or_else(|| panic!("no {kind:?} {value:?} on {owner}"))
}

#[test]
fn real_history_enum_values_added_and_removed() {
    // 2026-03-17 -> 2026-05-01: new models in the `LLM` enum (used in
    // requests and responses) and a new permission in a response-only enum.
    let log = real_diff(0);
    let llm = change_with_value(log, "LLM", ChangeKind::EnumValueAdded, "gpt-5.4");
    assert!(!llm.breaking, "{}", llm.reason);
    assert_eq!(llm.summary, "Enum value \"gpt-5.4\" added");
    let permission = change_with_value(
        log,
        "WorkspaceGroupPermission",
        ChangeKind::EnumValueAdded,
        "audit_log_read",
    );
    assert!(!permission.breaking);
    assert!(
        permission.reason.starts_with(
            "a new variant in a response; the enum is `#[non_exhaustive]` and keeps unknown values"
        ),
        "{}",
        permission.reason
    );
    // 2026-07-18 -> current: "middle-aged" was respelled "middle_aged".
    let log = real_diff(2);
    let removed = change_with_value(
        log,
        "CharacterAge",
        ChangeKind::EnumValueRemoved,
        "middle-aged",
    );
    assert!(removed.breaking);
    let added = change_with_value(
        log,
        "CharacterAge",
        ChangeKind::EnumValueAdded,
        "middle_aged",
    );
    assert!(!added.breaking);
}

#[test]
fn real_history_new_response_fields_and_reordered_constructors() {
    // 2026-03-17 -> 2026-05-01: a required field appears in a type only
    // responses use: one more field to read.
    let log = real_diff(0);
    let field = the_change(
        log,
        "ASTLLMNode-Output",
        "field value_schema",
        ChangeKind::FieldAdded,
    );
    assert!(!field.breaking, "{}", field.reason);
    // 2026-07-18 -> current: the properties of a secret were reordered, so
    // `new(id, name, encrypted_value, nonce)` became `new(name,
    // encrypted_value, nonce, id)`: four strings that would be swapped.
    let change = the_change(
        real_diff(2),
        "ConvAIUserSecretDBModel",
        "",
        ChangeKind::ConstructorReordered,
    );
    assert!(change.breaking);
    assert_eq!(
        change.old.as_deref(),
        Some("id, name, encrypted_value, nonce")
    );
    assert_eq!(
        change.new.as_deref(),
        Some("name, encrypted_value, nonce, id")
    );
}

// ---------------------------------------------------------------------------
// Channels (AsyncAPI)
// ---------------------------------------------------------------------------

fn manifest_path() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("../specs/apis.toml")
}

fn vendored_conversation() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("../../shared/specs/asyncapi/elevenlabs-convai.asyncapi.yaml")
}

fn named_changelog(old: &str, new: &str) -> Changelog {
    let (old_model, new_model) =
        diff_models(old, new, &manifest_path(), Overlays::LikeTheApi).unwrap();
    diff_with_names((&old_model, Path::new(old)), (&new_model, Path::new(new))).unwrap()
}

/// The vendored conversation document with one server message kind gone
/// and `UserMessage` changed: `text` required, `priority` new.
fn changed_conversation(dir: &Path) -> PathBuf {
    let text = std::fs::read_to_string(vendored_conversation()).unwrap();
    let vad_score = "          - $ref: '#/components/messages/VadScore'\n";
    let user_message = "          x-fern-type: literal<\"user_message\">\n";
    assert!(text.contains(vad_score) && text.contains(user_message));
    let changed = text.replacen(vad_score, "", 1).replacen(
        "        text:\n          type: string\n          description: Text message content from the user.\n",
        "        text:\n          type: string\n          description: Text message content from the user.\n        priority:\n          type: integer\n",
        1,
    );
    let changed = changed.replacen(
        "      required:\n        - type\n      properties:\n        type:\n          x-fern-type: literal<\"user_message\">",
        "      required:\n        - type\n        - text\n      properties:\n        type:\n          x-fern-type: literal<\"user_message\">",
        1,
    );
    assert_ne!(changed, text);
    let path = dir.join("elevenlabs-convai.asyncapi.yaml");
    std::fs::write(&path, changed).unwrap();
    path
}

#[test]
fn channels_message_kinds_and_payloads_are_compared() {
    let dir = tempfile::tempdir().unwrap();
    let new = changed_conversation(dir.path());
    let old = vendored_conversation();
    let log = named_changelog(old.to_str().unwrap(), new.to_str().unwrap());
    let removed = the_change(
        &log,
        "WS /v1/convai/conversation",
        "server messages",
        ChangeKind::MessageRemoved,
    );
    assert!(removed.breaking);
    assert_eq!(removed.summary, "server messages lose `VadScore`");
    let required = the_change(&log, "UserMessage", "field text", ChangeKind::FieldRequired);
    assert!(required.breaking, "{}", required.reason);
    let added = the_change(
        &log,
        "UserMessage",
        "field priority",
        ChangeKind::FieldAdded,
    );
    assert!(!added.breaking, "{}", added.reason);
    assert_eq!(log.total_count(), 3, "{}", render::text(&log, false));

    // Backwards: the kind is new, which breaks nothing.
    let back = named_changelog(new.to_str().unwrap(), old.to_str().unwrap());
    let gained = the_change(
        &back,
        "WS /v1/convai/conversation",
        "server messages",
        ChangeKind::MessageAdded,
    );
    assert!(!gained.breaking);
}

#[test]
fn an_api_against_its_own_asyncapi_document_or_its_own_spec_has_no_changes() {
    let conversation = vendored_conversation();
    let log = named_changelog(conversation.to_str().unwrap(), "elevenlabs");
    assert!(log.is_empty(), "{}", render::text(&log, false));
    let spec = Path::new(env!("CARGO_MANIFEST_DIR")).join("../../shared/specs/elevenlabs.yaml");
    let log = named_changelog(spec.to_str().unwrap(), "elevenlabs");
    assert!(log.is_empty(), "{}", render::text(&log, false));
}

#[test]
fn an_asyncapi_document_is_not_compared_with_an_openapi_one() {
    let conversation = vendored_conversation();
    let spec = Path::new(env!("CARGO_MANIFEST_DIR")).join("../../shared/specs/elevenlabs.yaml");
    let error = diff_models(
        conversation.to_str().unwrap(),
        spec.to_str().unwrap(),
        &manifest_path(),
        Overlays::LikeTheApi,
    )
    .unwrap_err();
    assert!(error.contains("AsyncAPI"), "{error}");
}
