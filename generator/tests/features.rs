//! Cargo features: one per API and per top-level group, and every type
//! compiled under exactly the features whose operations reach it.

use std::path::{Path, PathBuf};

use generator::model::ir::ApiModel;
use generator::naming::features::{assign_features, Features, Gate};
use generator::naming::{assign_names, Names};

/// Two groups (`voices`, `speech`) sharing `Voice`; `Settings` reached from
/// `speech` only through `Request`; `Problem` an error body; `Unused` reached
/// by nothing; `Ping` an operation on the client itself.
const DOCUMENT: &str = "openapi: 3.1.0
info: {title: Demo, version: '1'}
paths:
  /voices:
    get:
      operationId: listVoices
      tags: [Voices]
      responses:
        '200': {description: ok, content: {application/json: {schema: {type: array, items: {$ref: '#/components/schemas/Voice'}}}}}
        '422': {description: bad, content: {application/json: {schema: {$ref: '#/components/schemas/Problem'}}}}
  /speech:
    post:
      operationId: createSpeech
      tags: [Speech]
      requestBody:
        required: true
        content: {application/json: {schema: {$ref: '#/components/schemas/Request'}}}
      responses:
        '200': {description: ok, content: {application/json: {schema: {$ref: '#/components/schemas/Voice'}}}}
  /ping:
    get:
      operationId: ping
      responses:
        '200': {description: ok, content: {application/json: {schema: {$ref: '#/components/schemas/Pong'}}}}
components:
  schemas:
    Voice: {type: object, properties: {id: {type: string}}}
    Request:
      type: object
      properties:
        settings: {$ref: '#/components/schemas/Settings'}
        mode: {type: object, properties: {fast: {type: boolean}}}
    Settings: {type: object, properties: {speed: {type: number}}}
    Problem: {type: object, properties: {detail: {type: string}}}
    Pong: {type: object, properties: {ok: {type: boolean}}}
    Unused: {type: object, properties: {x: {type: string}}}
";

fn features_of(yaml: &str) -> (ApiModel, Names, Features) {
    let loaded = generator::load::load_bytes(Path::new("demo.yaml"), yaml.as_bytes())
        .unwrap_or_else(|e| panic!("{e}"));
    let model = generator::model::lower::build_model(&loaded).unwrap_or_else(|e| panic!("{e}"));
    let names = assign_names(&model);
    let features = assign_features(&model, &names, "demo");
    (model, names, features)
}

fn gate_of(model: &ApiModel, names: &Names, features: &Features, type_name: &str) -> Gate {
    let index = names
        .types
        .iter()
        .position(|name| name == type_name)
        .unwrap_or_else(|| panic!("no type {type_name}"));
    assert!(index < model.types.len());
    features.types[index].clone()
}

fn any(list: &[&str]) -> Gate {
    Gate::Any(list.iter().map(|s| s.to_string()).collect())
}

#[test]
fn each_top_level_group_gets_a_feature_named_after_the_api() {
    let (_, _, features) = features_of(DOCUMENT);
    assert_eq!(features.api, "demo");
    let groups: Vec<(&str, &str)> = features
        .groups
        .iter()
        .map(|(m, f)| (m.as_str(), f.as_str()))
        .collect();
    assert_eq!(
        groups,
        [("speech", "demo-speech"), ("voices", "demo-voices")]
    );
}

#[test]
fn types_are_gated_by_the_groups_that_reach_them() {
    let (model, names, features) = features_of(DOCUMENT);
    let gate = |name| gate_of(&model, &names, &features, name);
    // Reached by both groups: no gate beyond the API module's.
    assert_eq!(gate("Voice"), Gate::Always);
    // Through the request body, transitively, and inline types with it.
    assert_eq!(gate("Request"), any(&["demo-speech"]));
    assert_eq!(gate("Settings"), any(&["demo-speech"]));
    assert_eq!(gate("RequestMode"), any(&["demo-speech"]));
    // Error bodies and the client's own operations are always there.
    assert_eq!(gate("Problem"), Gate::Always);
    assert_eq!(gate("Pong"), Gate::Always);
    // Reached by no operation: only with the whole API.
    assert_eq!(gate("Unused"), any(&["demo"]));
}

/// Generates the stand-alone crate for `DOCUMENT`.
fn generated_files() -> std::collections::BTreeMap<PathBuf, String> {
    let dir = tempfile::tempdir().expect("temporary directory");
    let spec = dir.path().join("demo.yaml");
    std::fs::write(&spec, DOCUMENT).expect("write the document");
    generator::generate_crate(&generator::standalone_input(&spec, Some("demo")))
        .unwrap_or_else(|e| panic!("generation fails: {e}"))
        .files
}

#[test]
fn the_manifest_declares_the_features_and_turns_every_api_on_by_default() {
    let files = generated_files();
    let manifest = &files[Path::new("Cargo.toml")];
    assert!(manifest.contains("default = [\"demo\"]\n"), "{manifest}");
    assert!(
        manifest.contains("demo = [\n    \"demo-speech\",\n    \"demo-voices\",\n]\n"),
        "{manifest}"
    );
    assert!(manifest.contains("\ndemo-speech = []\n"), "{manifest}");
    assert!(manifest.contains("\ndemo-voices = []\n"), "{manifest}");
    let lib = &files[Path::new("src/lib.rs")];
    assert!(
        lib.contains("#[cfg(any(feature = \"demo\", feature = \"demo-speech\", feature = \"demo-voices\"))]\npub mod demo;"),
        "{lib}"
    );
}

#[test]
fn group_modules_accessors_and_type_files_carry_their_cfg() {
    let files = generated_files();
    let text = |path: &str| files[Path::new(path)].clone();
    let operations = text("src/demo/operations/mod.rs");
    assert!(operations.contains("#[cfg(feature = \"demo-speech\")]\npub mod speech;"));
    let client = text("src/demo/client.rs");
    assert!(
        client.contains("#[cfg(feature = \"demo-voices\")]\n    /// The `voices` operations.\n    pub fn voices(&self)"),
        "{client}"
    );
    let types = text("src/demo/types/mod.rs").replace("\n\n", "\n");
    assert!(types.contains("#[cfg(feature = \"demo-speech\")]\nmod settings;\n#[cfg(feature = \"demo-speech\")]\npub use settings::Settings;"), "{types}");
    assert!(
        types.contains("\nmod voice;\npub use voice::Voice;"),
        "{types}"
    );
    assert!(
        types.contains("#[cfg(feature = \"demo\")]\nmod unused;"),
        "{types}"
    );
}
