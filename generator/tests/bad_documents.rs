//! Robustness of `generator generate` against bad documents (issue #5): each
//! bad input ends with exit status 1 (never a panic, which exits 101, nor a
//! stack overflow, which aborts) and an `error: ` line naming the file and
//! the JSON pointer or line:column. Inputs that are valid but awkward
//! (colliding names, duplicate operationIds, deep nesting) generate a crate
//! instead, and one combined document is checked with `cargo check`.
//!
//! Every document is written at test time into a temporary directory; the
//! messages observed are listed in docs/ROBUSTNESS.md.

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};
use std::process::{Command, Output};

use tempfile::TempDir;

/// Runs `generator generate --spec <file> --out <out> --name demo` in `dir`.
fn run_generate(dir: &Path, file: &str, out: &str) -> Output {
    generate_command(dir, file, out)
        .output()
        .expect("the generator binary runs")
}

fn generate_command(dir: &Path, file: &str, out: &str) -> Command {
    let mut command = Command::new(env!("CARGO_BIN_EXE_generator"));
    command
        .args(["generate", "--spec", file, "--out", out, "--name", "demo"])
        .current_dir(dir);
    command
}

/// Writes `bytes` as `file` in a fresh directory and generates from it.
fn generate(file: &str, bytes: impl AsRef<[u8]>) -> (TempDir, Output) {
    let dir = tempfile::tempdir().unwrap();
    std::fs::write(dir.path().join(file), bytes).unwrap();
    let output = run_generate(dir.path(), file, "out");
    (dir, output)
}

/// Like [`generate`] without rustfmt (prettyplease's layout only): for
/// documents of thousands of types, where rustfmt alone takes a minute.
fn generate_unformatted(file: &str, bytes: impl AsRef<[u8]>) -> (TempDir, Output) {
    let dir = tempfile::tempdir().unwrap();
    std::fs::write(dir.path().join(file), bytes).unwrap();
    let output = generate_command(dir.path(), file, "out")
        .env("RUSTFMT", dir.path().join("no-rustfmt-here"))
        .output()
        .expect("the generator binary runs");
    (dir, output)
}

/// Asserts a clean failure (exit status 1, one `error: ` message, nothing
/// written) and returns the message without the `error: ` prefix.
#[track_caller]
fn failure((dir, output): &(TempDir, Output)) -> String {
    let stderr = String::from_utf8_lossy(&output.stderr).into_owned();
    assert!(
        !stderr.contains("panicked") && !stderr.contains("overflow"),
        "{stderr}"
    );
    assert_eq!(output.status.code(), Some(1), "{stderr}");
    assert!(!dir.path().join("out").exists(), "nothing is written");
    let message = stderr
        .strip_prefix("error: ")
        .unwrap_or_else(|| panic!("no `error: ` prefix: {stderr}"));
    println!("{message}");
    message.trim_end().to_owned()
}

/// Asserts success and returns the generated crate's directory.
#[track_caller]
fn success((dir, output): &(TempDir, Output)) -> PathBuf {
    assert!(
        output.status.success(),
        "{}\n{}",
        String::from_utf8_lossy(&output.stdout),
        String::from_utf8_lossy(&output.stderr)
    );
    dir.path().join("out")
}

const HEAD: &str = "openapi: 3.1.0\ninfo: {title: t, version: '1'}\n";

// --- syntax ----------------------------------------------------------------

#[test]
fn invalid_yaml_syntax_names_line_and_column() {
    let message = failure(&generate(
        "bad.yaml",
        "openapi: 3.1.0\ninfo:\n  title: [unclosed\n  version: '1'\npaths: {}\n",
    ));
    assert!(message.starts_with("bad.yaml:"), "{message}");
    assert!(message.contains("invalid YAML"), "{message}");
    assert_line_column(&message, "bad.yaml");
}

#[test]
fn invalid_yaml_indentation_names_line_and_column() {
    let message = failure(&generate(
        "indent.yaml",
        "openapi: 3.1.0\ninfo:\n  title: t\n version: '1'\npaths: {}\n",
    ));
    assert!(message.starts_with("indent.yaml:4:"), "{message}");
    assert!(message.contains("invalid YAML"), "{message}");
}

#[test]
fn invalid_json_syntax_names_line_and_column() {
    let message = failure(&generate(
        "bad.json",
        "{\n  \"openapi\": \"3.1.0\",\n  \"info\": {\"title\": \"t\",, \"version\": \"1\"},\n  \"paths\": {}\n}\n",
    ));
    assert!(message.starts_with("bad.json:3:"), "{message}");
    assert!(message.contains("invalid JSON"), "{message}");
}

#[test]
fn a_truncated_json_document_names_where_it_ends() {
    let full = "{\n  \"openapi\": \"3.1.0\",\n  \"info\": {\"title\": \"t\", \"version\": \"1\"},\n  \"paths\": {\"/a\": {\"get\": {\"responses\": {\"200\": {\"description\": \"ok\"}}}}}\n}\n";
    let message = failure(&generate("cut.json", &full[..full.len() / 2 + 7]));
    assert!(message.starts_with("cut.json:"), "{message}");
    assert!(message.contains("EOF while parsing"), "{message}");
    assert_line_column(&message, "cut.json");
}

#[test]
fn a_truncated_yaml_document_names_where_it_ends() {
    // Cut inside a flow mapping: YAML cannot tell a cut at a line end from
    // a shorter document, so the cut is mid-construct.
    let message = failure(&generate(
        "cut.yaml",
        "openapi: 3.1.0\ninfo: {title: t, version: '1'}\npaths:\n  /a:\n    get: {responses: {'200': {descr",
    ));
    assert_eq!(
        message,
        "cut.yaml:6:1: invalid YAML: did not find expected ',' or '}' at line 6 column 1, while parsing a flow mapping at line 5 column 30"
    );
}

#[test]
fn a_yaml_document_cut_mid_line_is_reported_by_what_it_lacks() {
    // Block YAML cut in the middle of a key is still YAML: the typed view
    // or the model names the first place that no longer makes sense.
    let message = failure(&generate(
        "cut-key.yaml",
        "openapi: 3.1.0\ninfo: {title: t, version: '1'}\npaths:\n  /a/{id}:\n    get:\n      respon",
    ));
    assert_eq!(
        message,
        "cut-key.yaml:#/paths/~1a~1{id}/get: invalid type: string \"respon\", expected struct Operation"
    );
    let message = failure(&generate(
        "cut-type.yaml",
        "openapi: 3.1.0\ninfo: {title: t, version: '1'}\ncomponents:\n  schemas:\n    A:\n      type: object\n      properties:\n        b:\n          type: str",
    ));
    assert_eq!(
        message,
        "cut-type.yaml:#/components/schemas/A/properties/b/type: unknown schema type \"str\""
    );
    let message = failure(&generate(
        "cut-responses.yaml",
        "openapi: 3.1.0\ninfo: {title: t, version: '1'}\npaths:\n  /a/{id}:\n    get:\n      responses:\n        '200':\n",
    ));
    assert_eq!(
        message,
        "cut-responses.yaml:#/paths/~1a~1{id}/get: the path names {id} but the operation declares no path parameter \"id\""
    );
}

#[test]
fn a_yaml_document_cut_at_a_line_end_can_be_a_smaller_valid_document() {
    // Documented in docs/ROBUSTNESS.md: `get:` with nothing after it is
    // `get: null`, which the generator reads as "no GET operation", so this
    // cut goes unnoticed. Nothing can tell it from a document written so.
    let result = generate(
        "cut-line.yaml",
        "openapi: 3.1.0\ninfo: {title: t, version: '1'}\npaths:\n  /a/{id}:\n    get:\n",
    );
    success(&result);
    let stdout = String::from_utf8_lossy(&result.1.stdout);
    assert!(stdout.contains("operations 0/0 emitted"), "{stdout}");
}

#[test]
fn an_empty_file_is_refused() {
    let message = failure(&generate("empty.yaml", ""));
    assert_eq!(message, "empty.yaml: the file is empty");
    let message = failure(&generate("blank.json", " \n\n\t\n"));
    assert_eq!(message, "blank.json: the file is empty");
}

#[test]
fn a_non_utf8_file_names_the_first_bad_byte() {
    let mut bytes = b"openapi: 3.1.0\ninfo:\n  title: caf".to_vec();
    bytes.push(0xE9); // Latin-1 e-acute
    bytes.extend_from_slice(b"\n  version: '1'\npaths: {}\n");
    let message = failure(&generate("latin1.yaml", bytes));
    assert_eq!(message, "latin1.yaml:3:13: the file is not valid UTF-8");
}

#[test]
fn a_utf16_file_is_refused_as_not_utf8() {
    let text = "openapi: 3.1.0\n";
    let mut bytes = vec![0xFF, 0xFE];
    for unit in text.encode_utf16() {
        bytes.extend_from_slice(&unit.to_le_bytes());
    }
    let message = failure(&generate("utf16.yaml", bytes));
    assert_eq!(message, "utf16.yaml:1:1: the file is not valid UTF-8");
}

#[test]
fn a_document_that_is_not_an_object_is_refused() {
    let message = failure(&generate("list.yaml", "- openapi: 3.1.0\n"));
    assert_eq!(
        message,
        "list.yaml:#: an OpenAPI document must be an object at the top level"
    );
}

// --- shape -----------------------------------------------------------------

#[test]
fn wrong_types_for_known_fields_name_the_json_pointer() {
    let message = failure(&generate("types.yaml", format!("{HEAD}paths: []\n")));
    assert!(
        message.starts_with("types.yaml:#/paths: invalid type: sequence"),
        "{message}"
    );

    let message = failure(&generate(
        "title.yaml",
        "openapi: 3.1.0\ninfo: {title: {text: t}, version: '1'}\npaths: {}\n",
    ));
    assert!(
        message.starts_with("title.yaml:#/info/title: invalid type: map"),
        "{message}"
    );

    let message = failure(&generate(
        "props.yaml",
        format!("{HEAD}paths: {{}}\ncomponents:\n  schemas:\n    A:\n      type: object\n      properties: [name]\n"),
    ));
    assert!(
        message.starts_with("props.yaml:#/components/schemas/A/properties: invalid type: sequence"),
        "{message}"
    );

    let message = failure(&generate(
        "op.yaml",
        format!("{HEAD}paths:\n  /a:\n    get:\n      parameters: {{name: x}}\n      responses: {{'200': {{description: ok}}}}\n"),
    ));
    assert!(
        message.starts_with("op.yaml:#/paths/~1a/get/parameters: invalid type: map"),
        "{message}"
    );

    let message = failure(&generate(
        "schema-type.yaml",
        format!("{HEAD}paths: {{}}\ncomponents:\n  schemas:\n    A: {{type: strng}}\n"),
    ));
    assert_eq!(
        message,
        "schema-type.yaml:#/components/schemas/A/type: unknown schema type \"strng\""
    );
}

#[test]
fn swagger_2_is_refused_by_version() {
    let message = failure(&generate(
        "swagger.yaml",
        "swagger: '2.0'\ninfo: {title: t, version: '1'}\npaths: {}\n",
    ));
    assert_eq!(
        message,
        "swagger.yaml:#/swagger: Swagger 2.0 is not supported; convert the document to OpenAPI 3.0 or 3.1"
    );
}

#[test]
fn other_unsupported_versions_are_refused() {
    let message = failure(&generate(
        "v4.yaml",
        "openapi: 4.0.0\ninfo: {title: t, version: '1'}\npaths: {}\n",
    ));
    assert_eq!(
        message,
        "v4.yaml:#/openapi: unsupported OpenAPI version \"4.0.0\"; supported: 3.0.x and 3.1.x"
    );
    let message = failure(&generate(
        "number.yaml",
        "openapi: 3.1\ninfo: {title: t, version: '1'}\npaths: {}\n",
    ));
    assert_eq!(
        message,
        "number.yaml:#/openapi: `openapi` must be a string such as \"3.1.0\""
    );
    let message = failure(&generate("none.yaml", "info: {title: t, version: '1'}\n"));
    assert_eq!(
        message,
        "none.yaml:#: missing `openapi` field: this is not an OpenAPI 3 document"
    );
}

// --- references ------------------------------------------------------------

#[test]
fn a_dangling_ref_names_its_pointer() {
    let message = failure(&generate(
        "dangling.yaml",
        format!("{HEAD}paths: {{}}\ncomponents:\n  schemas:\n    A:\n      type: object\n      properties:\n        b: {{$ref: '#/components/schemas/Missing'}}\n"),
    ));
    assert_eq!(
        message,
        "dangling.yaml:#/components/schemas/A/properties/b/$ref: reference \"#/components/schemas/Missing\" does not resolve to anything in this document"
    );
}

#[test]
fn a_dangling_parameter_ref_names_its_pointer() {
    let message = failure(&generate(
        "param.yaml",
        format!("{HEAD}paths:\n  /a:\n    get:\n      parameters: [{{$ref: '#/components/parameters/Nope'}}]\n      responses: {{'200': {{description: ok}}}}\n"),
    ));
    assert_eq!(
        message,
        "param.yaml:#/paths/~1a/get/parameters/0/$ref: reference \"#/components/parameters/Nope\" does not resolve to anything in this document"
    );
}

#[test]
fn a_webhook_event_that_is_no_component_names_its_pointer() {
    let message = failure(&generate(
        "hooks.yaml",
        format!("{HEAD}paths: {{}}\nx-webhooks:\n  signature-header: X-Signature\n  event: '#/components/schemas/Missing'\n"),
    ));
    assert_eq!(
        message,
        "hooks.yaml:#/x-webhooks/event: `#/components/schemas/Missing` is not a component schema: give `#/components/schemas/<name>`"
    );
}

#[test]
fn a_webhook_signature_header_must_be_a_header_name() {
    let message = failure(&generate(
        "header.yaml",
        format!("{HEAD}paths: {{}}\ncomponents:\n  schemas:\n    Event: {{type: object}}\nx-webhooks:\n  signature-header: 'not a header'\n  event: '#/components/schemas/Event'\n"),
    ));
    assert_eq!(
        message,
        "header.yaml:#/x-webhooks/signature-header: `not a header` is not a header name (letters, digits and `-`)"
    );
}

#[test]
fn a_ref_to_another_file_is_refused_clearly() {
    let (dir, _) = generate("unused.yaml", "");
    std::fs::write(
        dir.path().join("common.yaml"),
        "components:\n  schemas:\n    Pet: {type: object, properties: {name: {type: string}}}\n",
    )
    .unwrap();
    std::fs::write(
        dir.path().join("external.yaml"),
        format!("{HEAD}paths: {{}}\ncomponents:\n  schemas:\n    A:\n      type: object\n      properties:\n        pet: {{$ref: 'common.yaml#/components/schemas/Pet'}}\n"),
    )
    .unwrap();
    let output = run_generate(dir.path(), "external.yaml", "out");
    let message = failure(&(dir, output));
    assert_eq!(
        message,
        "external.yaml:#/components/schemas/A/properties/pet/$ref: reference \"common.yaml#/components/schemas/Pet\" points into another document; only local references (#/...) are supported"
    );
}

#[test]
fn a_ref_to_another_file_in_a_response_is_refused_clearly() {
    let message = failure(&generate(
        "remote.yaml",
        format!("{HEAD}paths:\n  /a:\n    get:\n      responses:\n        '200': {{$ref: 'https://example.com/responses.yaml#/Ok'}}\n"),
    ));
    assert_eq!(
        message,
        "remote.yaml:#/paths/~1a/get/responses/200/$ref: reference \"https://example.com/responses.yaml#/Ok\" points into another document; only local references (#/...) are supported"
    );
}

#[test]
fn a_cyclic_all_of_names_the_cycle() {
    let message = failure(&generate(
        "cycle.yaml",
        format!("{HEAD}paths: {{}}\ncomponents:\n  schemas:\n    A: {{allOf: [{{$ref: '#/components/schemas/B'}}, {{type: object, properties: {{a: {{type: string}}}}}}]}}\n    B: {{allOf: [{{$ref: '#/components/schemas/A'}}, {{type: object, properties: {{b: {{type: string}}}}}}]}}\n"),
    ));
    assert_eq!(
        message,
        "cycle.yaml:#/components/schemas/A/allOf/0/$ref: allOf cycle: #/components/schemas/B -> #/components/schemas/A -> #/components/schemas/B"
    );
}

#[test]
fn a_cycle_of_single_reference_all_ofs_is_an_alias_cycle() {
    // `allOf: [$ref]` alone is that type, so this is A = B = A.
    let message = failure(&generate(
        "cycle1.yaml",
        format!("{HEAD}paths: {{}}\ncomponents:\n  schemas:\n    A: {{allOf: [{{$ref: '#/components/schemas/B'}}]}}\n    B: {{allOf: [{{$ref: '#/components/schemas/A'}}]}}\n"),
    ));
    assert_eq!(
        message,
        "cycle1.yaml:#/components/schemas/A: reference cycle made only of aliases: the schemas refer to each other with nothing in between"
    );
}

#[test]
fn a_schema_that_is_its_own_alias_is_refused() {
    let message = failure(&generate(
        "self.yaml",
        format!("{HEAD}paths: {{}}\ncomponents:\n  schemas:\n    A: {{$ref: '#/components/schemas/B'}}\n    B: {{$ref: '#/components/schemas/A'}}\n"),
    ));
    assert!(
        message.starts_with("self.yaml:#/components/schemas/"),
        "{message}"
    );
}

#[test]
fn a_path_template_naming_an_undeclared_parameter_names_the_operation() {
    let message = failure(&generate(
        "template.yaml",
        format!("{HEAD}paths:\n  /pets/{{petId}}:\n    get:\n      parameters: [{{name: id, in: path, required: true, schema: {{type: string}}}}]\n      responses: {{'200': {{description: ok}}}}\n"),
    ));
    assert_eq!(
        message,
        "template.yaml:#/paths/~1pets~1{petId}/get: the path names {petId} but the operation declares no path parameter \"petId\""
    );
}

// --- size and depth --------------------------------------------------------

/// A JSON document whose schema `Deep` is `depth` schemas nested inside
/// each other, each written `open` ... `close` around the next.
fn nested_json(depth: usize, open: &str, close: &str) -> String {
    let mut text = String::from(
        r#"{"openapi":"3.1.0","info":{"title":"t","version":"1"},"paths":{},"components":{"schemas":{"Deep":"#,
    );
    text.push_str(&open.repeat(depth));
    text.push_str(r#"{"type":"object","properties":{"leaf":{"type":"string"}}}"#);
    text.push_str(&close.repeat(depth));
    text.push_str("}}}");
    text
}

const PROPERTIES: (&str, &str) = (r#"{"type":"object","properties":{"child":"#, "}}");
const ITEMS: (&str, &str) = (r#"{"type":"array","items":"#, "}");

/// The schema nested `depth` levels deep in YAML flow style.
fn nested_flow_yaml(depth: usize) -> String {
    let mut text = format!("{HEAD}paths: {{}}\ncomponents:\n  schemas:\n    Deep: ");
    text.push_str(&"{type: object, properties: {child: ".repeat(depth));
    text.push_str("{type: string}");
    text.push_str(&"}}".repeat(depth));
    text.push('\n');
    text
}

/// Rust text without spaces and commas, which the layout adds when it
/// spreads a long type over several lines.
fn compact(text: &str) -> String {
    text.replace(|c: char| c.is_whitespace() || c == ',', "")
}

/// The generated `types/deep.rs` and the coverage report.
#[track_caller]
fn deep_types(result: &(TempDir, Output)) -> (String, String) {
    let out = success(result);
    let types = std::fs::read_to_string(out.join("src/demo/types/deep.rs")).unwrap();
    let stdout = String::from_utf8_lossy(&result.1.stdout).into_owned();
    (types, stdout)
}

#[test]
fn schemas_nested_ten_thousand_levels_deep_in_json_generate_a_crate_that_compiles() {
    // 20,005 levels of brackets. The first 32 schemas below `Deep` become
    // structs with bounded names; the rest is kept as JSON and reported.
    let (open, close) = PROPERTIES;
    let result = generate("deep.json", nested_json(10_000, open, close));
    let (types, stdout) = deep_types(&result);
    assert_eq!(types.matches("pub struct ").count(), 33, "{types}");
    for name in [
        "pub struct Deep {",
        "pub struct DeepChildChildChildChildChildChildChild {",
        "pub struct DeepLevel8ChildChildChildChild {",
        "pub struct DeepLevel32ChildChildChildChild {",
    ] {
        assert!(types.contains(name), "{name} in\n{types}");
    }
    assert!(types.contains("pub child: Option<Value>,"), "{types}");
    let deepest = format!(
        "#/components/schemas/Deep{}: nested more than 32 schemas deep in one type; the rest is kept as JSON",
        "/properties/child".repeat(33)
    );
    assert!(stdout.contains(&deepest), "{stdout}");
    cargo_check(&success(&result));
}

#[test]
fn arrays_maps_and_all_ofs_nested_ten_thousand_levels_deep_generate_a_crate_that_compiles() {
    // Each nesting is a code path of its own: `items` and
    // `additionalProperties` nest Rust types (`Vec<Vec<..>>`, maps) without
    // naming them, `allOf` merges, a lone `anyOf` member is its type.
    let n = 10_000;
    let leaf = r#"{"type":"object","properties":{"leaf":{"type":"string"}}}"#;
    let nest = |open: &str, close: &str| format!("{}{leaf}{}", open.repeat(n), close.repeat(n));
    let text = format!(
        r#"{{"openapi":"3.1.0","info":{{"title":"t","version":"1"}},"paths":{{}},"components":{{"schemas":{{"Deep":{},"Maps":{},"Merged":{},"Members":{}}}}}}}"#,
        nest(ITEMS.0, ITEMS.1),
        nest(r#"{"type":"object","additionalProperties":"#, "}"),
        nest(r#"{"allOf":["#, "]}"),
        nest(r#"{"anyOf":["#, "]}"),
    );
    let result = generate("nestings.json", text);
    let (types, stdout) = deep_types(&result);
    // The component's own array, then one per schema below it (compared
    // without the layout's spaces and trailing commas).
    let vecs = format!("pubtypeDeep={}Value{};", "Vec<".repeat(33), ">".repeat(33));
    assert!(compact(&types).contains(&vecs), "{types}");
    let out = success(&result);
    let maps = std::fs::read_to_string(out.join("src/demo/types/maps.rs")).unwrap();
    assert_eq!(
        compact(&maps).matches("BTreeMap<String").count(),
        33,
        "{maps}"
    );
    let merged = std::fs::read_to_string(out.join("src/demo/types/merged.rs")).unwrap();
    assert!(
        merged.contains("pub additional_properties: BTreeMap<String, Value>"),
        "{merged}"
    );
    assert!(
        stdout.contains("untyped (serde_json::Value) at 4 places"),
        "{stdout}"
    );
    cargo_check(&out);
}

#[test]
fn a_yaml_file_that_holds_json_is_read_as_json_at_any_depth() {
    // Content sniffing: a document that starts with `{` is parsed as JSON
    // whatever its extension, so JSON saved as .yaml nests as deep as JSON.
    let (open, close) = ITEMS;
    let result = generate("deep.yaml", nested_json(10_000, open, close));
    let (types, _) = deep_types(&result);
    assert!(types.contains("pub type Deep = Vec<"), "{types}");
}

#[test]
fn schemas_nested_ten_thousand_levels_deep_in_yaml_flow_style_are_refused_with_the_reason() {
    let message = failure(&generate("deep.yaml", nested_flow_yaml(10_000)));
    assert_eq!(
        message,
        "deep.yaml:6:2208: invalid YAML: recursion limit exceeded at line 6 column 2208 (the YAML reader stops at 128 levels of nesting; write a document this deep as JSON, which may nest 25000)"
    );
}

#[test]
fn schemas_nested_ten_thousand_levels_deep_in_yaml_block_style_are_refused_with_the_reason() {
    // One `items:` per line, each indented one space more: about 50 MB,
    // mostly indentation, which block style cannot avoid.
    let mut text = format!("{HEAD}paths: {{}}\ncomponents:\n  schemas:\n    Deep:\n");
    for level in 0..10_000 {
        text.push_str(&" ".repeat(6 + level));
        text.push_str("items:\n");
    }
    text.push_str(&" ".repeat(6 + 10_000));
    text.push_str("type: string\n");
    let message = failure(&generate("block.yaml", text));
    assert_eq!(
        message,
        "block.yaml:132:132: invalid YAML: recursion limit exceeded at line 132 column 132 (the YAML reader stops at 128 levels of nesting; write a document this deep as JSON, which may nest 25000)"
    );
}

#[test]
fn yaml_nested_within_its_reader_limit_generates() {
    // The YAML reader takes 128 levels: three for the document, two per
    // schema through `properties` and one for the innermost, so 62 schemas.
    let result = generate("nested.yaml", nested_flow_yaml(62));
    let (types, _) = deep_types(&result);
    assert!(
        types.contains("pub struct DeepLevel32ChildChildChildChild {"),
        "{types}"
    );
    let message = failure(&generate("nested.yaml", nested_flow_yaml(63)));
    assert!(message.contains("recursion limit exceeded"), "{message}");
}

#[test]
fn json_nested_to_the_limit_generates_and_one_level_deeper_is_refused() {
    // The document, `components` and `schemas` are three levels, every
    // `items` schema one more, and the leaf three.
    let limit = generator::load::parse::MAX_JSON_NESTING;
    assert_eq!(limit, 25_000, "docs/ROBUSTNESS.md names the limit");
    let (open, close) = ITEMS;
    let text = nested_json(limit - 6, open, close);
    assert_eq!(first_bracket_deeper_than(&text, limit), None);
    deep_types(&generate("limit.json", text));
    let text = nested_json(limit - 5, open, close);
    let column = first_bracket_deeper_than(&text, limit).unwrap() + 1;
    let message = failure(&generate("limit.json", text));
    assert_eq!(
        message,
        format!("limit.json:1:{column}: arrays and objects nest deeper than 25000 levels here; the generator stops rather than exhaust its stack")
    );
}

/// The offset of the first `[` or `{` nested deeper than `limit` (in a
/// document without brackets in strings).
fn first_bracket_deeper_than(text: &str, limit: usize) -> Option<usize> {
    let mut depth = 0;
    for (offset, byte) in text.bytes().enumerate() {
        match byte {
            b'[' | b'{' => depth += 1,
            b']' | b'}' => depth -= 1,
            _ => continue,
        }
        if depth > limit {
            return Some(offset);
        }
    }
    None
}

#[test]
fn json_nested_a_million_levels_is_refused_before_parsing() {
    let mut text = String::from("{\"openapi\": \"3.1.0\",\n\"x-deep\": ");
    text.push_str(&"[".repeat(1_000_000));
    text.push_str(&"]".repeat(1_000_000));
    text.push('}');
    let message = failure(&generate("million.json", text));
    assert_eq!(
        message,
        format!("million.json:2:{}: arrays and objects nest deeper than 25000 levels here; the generator stops rather than exhaust its stack", "\"x-deep\": ".len() + 25_000)
    );
}

#[test]
fn a_chain_of_ten_thousand_all_of_references_is_refused_at_a_depth_limit() {
    // Flat text, deep semantics: S0 = allOf[S1] = allOf[S2] ... each
    // adding one property.
    let mut text = format!("{HEAD}paths: {{}}\ncomponents:\n  schemas:\n");
    let n = 10_000;
    for i in 0..n {
        text.push_str(&format!(
            "    S{i}: {{type: object, properties: {{p{i}: {{type: string}}}}, allOf: [{{$ref: '#/components/schemas/S{}'}}]}}\n",
            i + 1
        ));
    }
    text.push_str(&format!(
        "    S{n}: {{type: object, properties: {{last: {{type: integer}}}}}}\n"
    ));
    let message = failure(&generate("chain.yaml", text));
    assert!(
        message.contains("chain.yaml:#/components/schemas/S64/allOf/0/$ref: allOf references chain more than 64 schemas deep"),
        "{message}"
    );
}

#[test]
fn a_chain_of_ten_thousand_property_references_generates() {
    // S0.next: S1, S1.next: S2, ...: deep only through named types.
    let mut text = format!("{HEAD}paths: {{}}\ncomponents:\n  schemas:\n");
    let n = 10_000;
    for i in 0..n {
        text.push_str(&format!(
            "    S{i}: {{type: object, properties: {{next: {{$ref: '#/components/schemas/S{}'}}}}}}\n",
            i + 1
        ));
    }
    text.push_str(&format!("    S{n}: {{type: string}}\n"));
    let result = generate_unformatted("links.yaml", text);
    let out = success(&result);
    assert!(out.join("src/demo/types/s9999.rs").is_file());
}

#[test]
fn a_chain_of_ten_thousand_aliases_generates() {
    let mut text = format!("{HEAD}paths: {{}}\ncomponents:\n  schemas:\n");
    let n = 10_000;
    for i in 0..n {
        text.push_str(&format!(
            "    S{i}: {{$ref: '#/components/schemas/S{}'}}\n",
            i + 1
        ));
    }
    text.push_str(&format!("    S{n}: {{type: string}}\n"));
    let result = generate_unformatted("aliases.yaml", text);
    let out = success(&result);
    assert!(out.join("src/demo/types/s0.rs").is_file());
}

/// About 50 MB of YAML: a small API plus a large vendor extension.
fn fifty_megabytes(valid: bool) -> String {
    let mut text = format!(
        "{HEAD}paths:\n  /a:\n    get:\n      operationId: getA\n      responses: {{'200': {{description: ok}}}}\nx-padding:\n"
    );
    let line = format!("  - {}\n", "x".repeat(96));
    while text.len() < 50 * 1024 * 1024 {
        text.push_str(&line);
    }
    if !valid {
        text.push_str("  - [unclosed\n");
    }
    text
}

#[test]
fn a_fifty_megabyte_document_generates() {
    let result = generate("big.yaml", fifty_megabytes(true));
    let out = success(&result);
    assert!(out.join("src/demo/operations/mod.rs").is_file());
}

#[test]
fn a_fifty_megabyte_document_with_an_error_at_the_end_names_the_line() {
    let text = fifty_megabytes(false);
    let last_line = text.lines().count();
    let message = failure(&generate("big-bad.yaml", text));
    assert!(
        message.starts_with(&format!("big-bad.yaml:{}:", last_line + 1))
            || message.starts_with(&format!("big-bad.yaml:{last_line}:")),
        "{message}"
    );
}

#[test]
fn a_fifty_megabyte_json_document_with_an_error_at_the_end_names_the_line() {
    let mut text = String::from(
        "{\"openapi\": \"3.1.0\", \"info\": {\"title\": \"t\", \"version\": \"1\"}, \"paths\": {},\n\"x-padding\": [\n",
    );
    let line = format!("\"{}\",\n", "x".repeat(96));
    let mut lines = 2;
    while text.len() < 50 * 1024 * 1024 {
        text.push_str(&line);
        lines += 1;
    }
    text.push_str("]]\n");
    let message = failure(&generate("big-bad.json", text));
    assert!(
        message.starts_with(&format!("big-bad.json:{}:", lines + 1)),
        "{message}"
    );
}

// --- valid but awkward -------------------------------------------------------

/// Colliding names, duplicate operationIds, keywords and reserved names in
/// one document that must generate a crate that compiles.
const AWKWARD: &str = r#"openapi: 3.1.0
info: {title: Awkward, version: '1'}
paths:
  /pets:
    get:
      operationId: listPets
      tags: [pets]
      responses:
        '200':
          description: ok
          content:
            application/json:
              schema: {type: array, items: {$ref: '#/components/schemas/pet_record'}}
    post:
      operationId: listPets
      tags: [pets]
      requestBody:
        required: true
        content:
          application/json:
            schema: {$ref: '#/components/schemas/PetRecord'}
      responses: {'204': {description: created}}
  /pets/{pet-id}:
    get:
      operationId: listPets
      tags: [pets]
      parameters:
        - {name: pet-id, in: path, required: true, schema: {type: string}}
        - {name: pet_id, in: query, schema: {type: string}}
        - {name: type, in: query, schema: {type: string}}
        - {name: Pet-Id, in: header, schema: {type: string}}
      responses:
        '200':
          description: ok
          content:
            application/json:
              schema: {$ref: '#/components/schemas/Pet-Record'}
  /other:
    get:
      operationId: list_pets
      responses: {'200': {description: ok}}
    put:
      operationId: new
      responses: {'200': {description: ok}}
    delete:
      operationId: builder
      responses: {'200': {description: ok}}
components:
  schemas:
    PetRecord:
      type: object
      required: [name, Name]
      properties:
        name: {type: string}
        Name: {type: string}
        NAME: {type: integer}
        fooBar: {type: string}
        foo_bar: {type: string}
        foo-bar: {type: string}
        type: {type: string}
        self: {type: string}
        '123': {type: string}
        '': {type: string}
        additional_properties: {type: string}
        kind:
          type: string
          enum: [a-b, a_b, A B, '', '1', Unknown, unknown]
      additionalProperties: {type: string}
    pet_record:
      type: object
      properties:
        id: {type: integer}
    Pet-Record:
      type: object
      properties:
        id: {type: string}
    pet record:
      type: string
      enum: [x, y]
    Option: {type: object, properties: {a: {type: string}}}
    String: {type: object, properties: {a: {type: string}}}
    Result: {type: string}
    Client: {type: object, properties: {a: {type: string}}}
    Error: {type: object, properties: {a: {type: string}}}
    mod: {type: object, properties: {a: {type: string}}}
    types: {type: object, properties: {a: {type: string}}}
    '1st': {type: object, properties: {a: {type: string}}}
    Union:
      oneOf:
        - {$ref: '#/components/schemas/pet_record'}
        - {$ref: '#/components/schemas/Pet-Record'}
        - {type: string}
        - {type: string, format: date-time}
"#;

#[test]
fn awkward_but_valid_names_generate_a_crate_that_compiles() {
    let result = generate("awkward.yaml", AWKWARD);
    let out = success(&result);
    let types = out.join("src/demo/types");
    let mut files: Vec<String> = std::fs::read_dir(&types)
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .collect();
    files.sort();
    println!("type files: {files:?}");
    for file in [
        "pet_record.rs",
        "pet_record2.rs",
        "pet_record3.rs",
        "pet_record4.rs",
    ] {
        assert!(files.iter().any(|f| f == file), "{files:?}");
    }
    cargo_check(&out);
}

#[test]
fn keyword_properties_beside_their_capitalised_twins_generate_without_warnings() {
    let result = generate(
        "twins.yaml",
        format!("{HEAD}paths:\n  /a: {{post: {{operationId: postA, requestBody: {{required: true, content: {{application/json: {{schema: {{$ref: '#/components/schemas/A'}}}}}}}}, responses: {{'200': {{description: ok}}}}}}}}\ncomponents:\n  schemas:\n    A: {{type: object, properties: {{type: {{type: string}}, Type: {{type: string}}}}}}\n"),
    );
    cargo_check(&success(&result));
}

#[test]
fn a_document_without_operations_generates_without_warnings() {
    let result = generate(
        "no-operations.yaml",
        format!("{HEAD}paths: {{}}\ncomponents:\n  schemas:\n    A: {{type: object, properties: {{a: {{type: string}}}}}}\n"),
    );
    cargo_check(&success(&result));
}

/// `cargo check` of a generated stand-alone crate and of its test-support
/// crate with warnings as errors, as scripts/test.sh builds the committed
/// ones. Resolves against the workspace's lock file, offline, in a target
/// directory shared between runs so that only the generated crates are
/// compiled after the first run.
#[track_caller]
fn cargo_check(out: &Path) {
    check_crate(out);
    check_crate(&out.join("testing"));
}

#[track_caller]
fn check_crate(dir: &Path) {
    let lock = Path::new(env!("CARGO_MANIFEST_DIR")).join("../Cargo.lock");
    std::fs::copy(lock, dir.join("Cargo.lock")).unwrap();
    let target = std::env::temp_dir().join("openapi-sdks-robustness-target");
    let output = Command::new(std::env::var_os("CARGO").unwrap_or_else(|| "cargo".into()))
        .args(["check", "--quiet", "--offline", "--all-features"])
        .env("CARGO_TARGET_DIR", &target)
        .env("RUSTFLAGS", "-D warnings")
        .current_dir(dir)
        .output()
        .expect("cargo runs");
    assert!(
        output.status.success(),
        "{} does not compile:\n{}",
        dir.display(),
        String::from_utf8_lossy(&output.stderr)
    );
}

// --- all or nothing ----------------------------------------------------------

/// Relative path -> sha256 of every file under `dir`.
fn hashes(dir: &Path) -> BTreeMap<PathBuf, String> {
    fn walk(root: &Path, dir: &Path, out: &mut BTreeMap<PathBuf, String>) {
        for entry in std::fs::read_dir(dir).unwrap() {
            let path = entry.unwrap().path();
            if path.is_dir() {
                walk(root, &path, out);
            } else {
                let bytes = std::fs::read(&path).unwrap();
                out.insert(
                    path.strip_prefix(root).unwrap().to_path_buf(),
                    generator::load::parse::hex_sha256(&bytes),
                );
            }
        }
    }
    let mut out = BTreeMap::new();
    walk(dir, dir, &mut out);
    out
}

#[test]
fn every_failure_leaves_the_previous_output_byte_for_byte_and_removes_types_only_on_success() {
    let dir = tempfile::tempdir().unwrap();
    let good = format!("{HEAD}paths: {{}}\ncomponents:\n  schemas:\n    Kept: {{type: object, properties: {{a: {{type: string}}}}}}\n    Dropped: {{type: object, properties: {{b: {{type: string}}}}}}\n");
    std::fs::write(dir.path().join("api.yaml"), &good).unwrap();
    let output = run_generate(dir.path(), "api.yaml", "out");
    assert!(output.status.success(), "{output:?}");
    let out = dir.path().join("out");
    let dropped = out.join("src/demo/types/dropped.rs");
    assert!(dropped.is_file());
    let before = hashes(&out);

    // Each bad version drops `Dropped` as well, so a partial write would show.
    let bad_versions: Vec<Vec<u8>> = vec![
        b"openapi: 3.1.0\ninfo: [\n".to_vec(),
        Vec::new(),
        vec![0xC3, 0x28],
        format!("{HEAD}paths: {{}}\ncomponents:\n  schemas:\n    Kept: {{$ref: '#/components/schemas/Missing'}}\n").into_bytes(),
        format!("{HEAD}paths:\n  /a/{{id}}:\n    get: {{responses: {{'200': {{description: ok}}}}}}\ncomponents:\n  schemas:\n    Kept: {{type: string}}\n").into_bytes(),
        b"swagger: '2.0'\n".to_vec(),
    ];
    for bad in bad_versions {
        std::fs::write(dir.path().join("api.yaml"), &bad).unwrap();
        let output = run_generate(dir.path(), "api.yaml", "out");
        let stderr = String::from_utf8_lossy(&output.stderr);
        assert_eq!(output.status.code(), Some(1), "{stderr}");
        assert!(stderr.starts_with("error: api.yaml"), "{stderr}");
        assert_eq!(hashes(&out), before, "after {stderr}");
    }
    let leftovers: Vec<_> = std::fs::read_dir(dir.path())
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .filter(|name| name.starts_with(".generated-staging"))
        .collect();
    assert!(leftovers.is_empty(), "{leftovers:?}");

    // Success removes the file of the type that disappeared.
    let without = format!("{HEAD}paths: {{}}\ncomponents:\n  schemas:\n    Kept: {{type: object, properties: {{a: {{type: string}}}}}}\n");
    std::fs::write(dir.path().join("api.yaml"), &without).unwrap();
    let output = run_generate(dir.path(), "api.yaml", "out");
    assert!(output.status.success(), "{output:?}");
    assert!(!dropped.exists());
    assert!(out.join("src/demo/types/kept.rs").is_file());
    let mods = std::fs::read_to_string(out.join("src/demo/types/mod.rs")).unwrap();
    assert!(!mods.contains("dropped"), "{mods}");
}

// --- helpers -------------------------------------------------------------------

/// Asserts that the message goes on `file:LINE:COLUMN:` with numbers.
#[track_caller]
fn assert_line_column(message: &str, file: &str) {
    let rest = message
        .strip_prefix(file)
        .unwrap()
        .strip_prefix(':')
        .unwrap();
    let mut parts = rest.splitn(3, ':');
    let line = parts.next().unwrap();
    let column = parts.next().unwrap();
    assert!(
        line.parse::<usize>().is_ok() && column.parse::<usize>().is_ok(),
        "no line:column in {message}"
    );
}

// --- AsyncAPI documents ------------------------------------------------------

/// Generates from a manifest whose one API has a small OpenAPI document and
/// the AsyncAPI document `file` with `text`.
fn generate_with_asyncapi(file: &str, text: &str) -> (TempDir, Output) {
    let dir = tempfile::tempdir().unwrap();
    std::fs::create_dir(dir.path().join("specs")).unwrap();
    std::fs::write(
        dir.path().join("specs/api.yaml"),
        format!("{HEAD}paths: {{}}\n"),
    )
    .unwrap();
    std::fs::write(dir.path().join("specs").join(file), text).unwrap();
    let manifest = format!(
        "[crate]\nname = \"demo\"\noutput = \"../out\"\nruntime = \"../runtime\"\ndescription = \"d\"\n\n[[api]]\nname = \"demo\"\nmodule = \"demo\"\nspec = \"api.yaml\"\nupstream = \"https://example.test\"\nasyncapi = [\"{file}\"]\n"
    );
    std::fs::write(dir.path().join("specs/apis.toml"), manifest).unwrap();
    let output = Command::new(env!("CARGO_BIN_EXE_generator"))
        .args(["generate", "--manifest", "specs/apis.toml"])
        .current_dir(dir.path())
        .env("CARGO_TARGET_DIR", dir.path().join("target"))
        .output()
        .expect("the generator binary runs");
    (dir, output)
}

const ASYNC_HEAD: &str = "asyncapi: 2.6.0\ninfo: {title: t, version: '1'}\n";

#[test]
fn an_asyncapi_message_ref_that_resolves_to_nothing_names_its_pointer() {
    let text = format!("{ASYNC_HEAD}channels:\n  /ws:\n    publish:\n      message:\n        oneOf:\n          - $ref: '#/components/messages/Missing'\n");
    let message = failure(&generate_with_asyncapi("rt.yaml", &text));
    assert_eq!(
        message,
        "specs/rt.yaml:#/channels/~1ws/publish/message/oneOf/0/$ref: reference \"#/components/messages/Missing\" does not resolve to anything in this document"
    );
}

#[test]
fn an_asyncapi_payload_ref_that_resolves_to_nothing_names_its_pointer() {
    let text = format!("{ASYNC_HEAD}channels:\n  /ws:\n    subscribe:\n      message: {{$ref: '#/components/messages/M'}}\ncomponents:\n  messages:\n    M: {{payload: {{$ref: '#/components/schemas/Missing'}}}}\n");
    let message = failure(&generate_with_asyncapi("rt.yaml", &text));
    assert_eq!(
        message,
        "specs/rt.yaml:#/components/messages/M/payload/$ref: reference \"#/components/schemas/Missing\" does not resolve to anything in this document"
    );
}

#[test]
fn an_asyncapi_message_without_a_payload_names_the_message() {
    let text = format!("{ASYNC_HEAD}channels:\n  /ws:\n    subscribe:\n      message: {{$ref: '#/components/messages/M'}}\ncomponents:\n  messages:\n    M: {{name: M}}\n");
    let message = failure(&generate_with_asyncapi("rt.yaml", &text));
    assert_eq!(
        message,
        "specs/rt.yaml:#/components/messages/M: the message has no `payload`: without one its type is unknown"
    );
}

#[test]
fn an_asyncapi_channel_parameter_missing_from_the_address_names_the_parameter() {
    let text = format!("{ASYNC_HEAD}channels:\n  /ws/{{id}}:\n    parameters:\n      id: {{schema: {{type: string}}}}\n      other: {{schema: {{type: string}}}}\n");
    let message = failure(&generate_with_asyncapi("rt.yaml", &text));
    assert_eq!(
        message,
        "specs/rt.yaml:#/channels/~1ws~1{id}/parameters/other: the channel declares parameter \"other\", which its address \"/ws/{id}\" does not name"
    );
}

#[test]
fn an_unsupported_asyncapi_version_is_refused_at_its_pointer() {
    let text = "asyncapi: 3.0.0\ninfo: {title: t, version: '1'}\n";
    let message = failure(&generate_with_asyncapi("rt.yaml", text));
    assert_eq!(
        message,
        "specs/rt.yaml:#/asyncapi: unsupported AsyncAPI version \"3.0.0\"; supported: 2.0.0 to 2.6.x"
    );
}

#[test]
fn malformed_asyncapi_yaml_names_line_and_column() {
    let text = format!("{ASYNC_HEAD}channels:\n  /ws: [unclosed\n");
    let message = failure(&generate_with_asyncapi("rt.yaml", &text));
    assert!(message.starts_with("specs/rt.yaml:5:1: "), "{message}");
    assert!(message.contains("invalid YAML"), "{message}");
}

#[test]
fn an_asyncapi_field_of_the_wrong_type_names_its_pointer() {
    let text = format!("{ASYNC_HEAD}servers:\n  main: {{url: [1]}}\n");
    let message = failure(&generate_with_asyncapi("rt.yaml", &text));
    assert!(
        message.starts_with("specs/rt.yaml:#/servers/main/url: "),
        "{message}"
    );
}
