//! The `generator` command line: exit status, coverage summary and error
//! messages that name the file and the place.

use std::path::Path;
use std::process::{Command, Output};

use tempfile::TempDir;

/// Writes `document` as `file` in a fresh directory and runs
/// `generator generate --spec file --out out` there.
fn generate(file: &str, document: &str, out: &str) -> (TempDir, Output) {
    generate_with(file, document, out, &[])
}

/// [`generate`] with more arguments.
fn generate_with(file: &str, document: &str, out: &str, more: &[&str]) -> (TempDir, Output) {
    let dir = tempfile::tempdir().unwrap();
    std::fs::write(dir.path().join(file), document).unwrap();
    let output = Command::new(env!("CARGO_BIN_EXE_generator"))
        .args(["generate", "--spec", file, "--out", out])
        .args(more)
        .current_dir(dir.path())
        .output()
        .expect("the generator binary runs");
    (dir, output)
}

/// Asserts a failure with exit status 1 and returns stderr.
fn failure(output: &Output) -> String {
    let stderr = String::from_utf8_lossy(&output.stderr).into_owned();
    assert_eq!(output.status.code(), Some(1), "{stderr}");
    stderr
}

#[test]
fn generates_a_standalone_crate_and_prints_coverage() {
    let (dir, output) = generate(
        "pets.yaml",
        "openapi: 3.0.3\ninfo: {title: Pets, version: '1'}\npaths:\n  /pets:\n    get: {responses: {'200': {description: ok}}}\ncomponents:\n  schemas:\n    Pet:\n      type: object\n      properties:\n        extra: {type: object}\n",
        "pets-client",
    );
    let stdout = String::from_utf8_lossy(&output.stdout);
    assert!(
        output.status.success(),
        "{stdout}\n{}",
        String::from_utf8_lossy(&output.stderr)
    );
    assert!(
        stdout.contains("pets: component schemas 1/1 emitted"),
        "{stdout}"
    );
    assert!(stdout.contains("operations 1/1 emitted"), "{stdout}");
    assert!(
        stdout.contains("#/components/schemas/Pet/properties/extra: free-form object"),
        "{stdout}"
    );
    assert!(dir
        .path()
        .join("pets-client/src/pets/types/pet.rs")
        .is_file());
}

#[test]
fn derive_serde_makes_every_struct_derive_serde_instead_of_the_runtime_decoder() {
    let document = "openapi: 3.1.0\ninfo: {title: Pets, version: '1'}\npaths: {}\ncomponents:\n  schemas:\n    Owner:\n      type: object\n      required: [pet]\n      properties:\n        pet: {$ref: '#/components/schemas/Pet'}\n    Pet:\n      type: object\n      properties:\n        name: {type: string}\n";
    // The file of `Pet` in the crate generated with `more` arguments.
    let pet_file = |more: &[&str]| {
        let (dir, output) = generate_with("pets.yaml", document, "pets", more);
        let stderr = String::from_utf8_lossy(&output.stderr);
        assert!(output.status.success(), "{stderr}");
        std::fs::read_to_string(dir.path().join("pets/src/pets/types/pet.rs")).unwrap()
    };
    let plain = pet_file(&[]);
    assert!(
        plain.contains("impl api_runtime::de::Decode for Pet"),
        "{plain}"
    );
    assert!(!plain.contains("Serialize, Deserialize)]"), "{plain}");

    let derived = pet_file(&["--derive-serde"]);
    assert!(
        derived.contains("#[derive(Debug, Clone, PartialEq, Default, Serialize, Deserialize)]"),
        "{derived}"
    );
    assert!(!derived.contains("api_runtime::de::Decode"), "{derived}");
    assert!(
        !derived.contains("impl<'de> Deserialize<'de> for Pet"),
        "{derived}"
    );
}

#[test]
fn a_syntax_error_names_the_file_line_and_column_and_fails() {
    let (dir, output) = generate(
        "bad.yaml",
        "openapi: 3.1.0\ninfo:\n  title: [unclosed\n",
        "out",
    );
    let stderr = failure(&output);
    assert!(stderr.starts_with("error: bad.yaml:"), "{stderr}");
    assert!(stderr.contains("invalid YAML"), "{stderr}");
    assert!(
        !dir.path().join("out").exists(),
        "nothing is written on failure"
    );
}

#[test]
fn a_wrongly_typed_field_names_its_json_pointer() {
    let (_dir, output) = generate(
        "typed.json",
        r#"{"openapi": "3.1.0", "info": {"title": "t", "version": "1"}, "paths": {},
            "components": {"schemas": {"A": {"type": "object", "required": "name"}}}}"#,
        "out",
    );
    let stderr = failure(&output);
    assert!(
        stderr.contains("typed.json:#/components/schemas/A/required: invalid type: string"),
        "{stderr}"
    );
}

const PETS_V1: &str = "openapi: 3.1.0\ninfo: {title: Pets, version: '1'}\npaths:\n  /pets:\n    get:\n      operationId: listPets\n      tags: [Pets]\n      responses: {'200': {description: ok}}\n";

/// A manifest with one API, `pets`, vendored at `vendor/pets.yaml`.
fn workspace_with_pets() -> TempDir {
    let dir = tempfile::tempdir().unwrap();
    std::fs::create_dir_all(dir.path().join("specs")).unwrap();
    std::fs::create_dir_all(dir.path().join("vendor")).unwrap();
    std::fs::write(dir.path().join("vendor/pets.yaml"), PETS_V1).unwrap();
    std::fs::write(
        dir.path().join("specs/apis.toml"),
        "[crate]\nname = \"pets-clients\"\noutput = \"../generated\"\nruntime = \"../runtime\"\ndescription = \"Pets.\"\n\n[[api]]\nname = \"pets\"\nmodule = \"pets\"\nspec = \"../vendor/pets.yaml\"\nupstream = \"https://example.invalid/pets.yaml\"\n",
    )
    .unwrap();
    dir
}

fn run(dir: &TempDir, args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_generator"))
        .args(args)
        .current_dir(dir.path())
        .output()
        .expect("the generator binary runs")
}

#[test]
fn update_from_a_file_prints_the_changelog_replaces_the_document_and_regenerates() {
    let dir = workspace_with_pets();
    let v2 = PETS_V1.replace(
        "paths:\n",
        "paths:\n  /pets/{id}:\n    delete:\n      operationId: deletePet\n      tags: [Pets]\n      parameters: [{name: id, in: path, required: true, schema: {type: string}}]\n      responses: {'204': {description: gone}}\n",
    );
    std::fs::write(dir.path().join("pets-v2.yaml"), &v2).unwrap();

    let output = run(&dir, &["update", "pets", "--from", "pets-v2.yaml"]);

    let stdout = String::from_utf8_lossy(&output.stdout);
    assert!(
        output.status.success(),
        "{stdout}{}",
        String::from_utf8_lossy(&output.stderr)
    );
    assert!(stdout.contains("+ DELETE /pets/{id}"), "{stdout}");
    assert!(stdout.contains("regenerated"), "{stdout}");
    assert_eq!(
        std::fs::read_to_string(dir.path().join("vendor/pets.yaml")).unwrap(),
        v2
    );
    let pets =
        std::fs::read_to_string(dir.path().join("generated/src/pets/operations/pets.rs")).unwrap();
    assert!(
        pets.contains("pub fn delete(self, id: &str) -> Call<'a, ()>"),
        "{pets}"
    );
}

#[test]
fn update_refuses_a_document_that_does_not_load_and_keeps_the_old_one() {
    let dir = workspace_with_pets();
    std::fs::write(dir.path().join("broken.yaml"), "openapi: 3.1.0\ninfo: [\n").unwrap();

    let output = run(&dir, &["update", "pets", "--from", "broken.yaml"]);

    let stderr = failure(&output);
    assert!(stderr.contains("error: broken.yaml:3:"), "{stderr}");
    assert_eq!(
        std::fs::read_to_string(dir.path().join("vendor/pets.yaml")).unwrap(),
        PETS_V1
    );
    assert!(!dir.path().join("generated").exists());
}

#[test]
fn a_closed_standard_output_does_not_stop_generation() {
    let dir = tempfile::tempdir().unwrap();
    std::fs::write(dir.path().join("pets.yaml"), PETS_V1).unwrap();
    let mut child = Command::new(env!("CARGO_BIN_EXE_generator"))
        .args(["generate", "--spec", "pets.yaml", "--out", "out"])
        .current_dir(dir.path())
        .stdout(std::process::Stdio::piped())
        .stderr(std::process::Stdio::piped())
        .spawn()
        .unwrap();
    drop(child.stdout.take()); // like `| head -0`: the reader is gone
    let output = child.wait_with_output().unwrap();

    assert!(
        output.status.success(),
        "{}",
        String::from_utf8_lossy(&output.stderr)
    );
    assert!(dir.path().join("out/src/pets/client.rs").is_file());
}

#[test]
fn a_second_generation_takes_unchanged_files_from_the_rustfmt_cache() {
    let dir = workspace_with_pets();
    let log = dir.path().join("rustfmt.log");
    let wrapper = dir.path().join("rustfmt-logging");
    std::fs::write(
        &wrapper,
        format!(
            "#!/bin/sh\necho \"$1\" >> '{}'\nexec rustfmt \"$@\"\n",
            log.display()
        ),
    )
    .unwrap();
    std::fs::set_permissions(
        &wrapper,
        std::os::unix::fs::PermissionsExt::from_mode(0o755),
    )
    .unwrap();
    let generate = |command: &str| {
        let output = Command::new(env!("CARGO_BIN_EXE_generator"))
            .arg(command)
            .current_dir(dir.path())
            .env("RUSTFMT", &wrapper)
            .env_remove("CARGO_TARGET_DIR")
            .output()
            .expect("the generator binary runs");
        assert!(
            output.status.success(),
            "{}",
            String::from_utf8_lossy(&output.stderr)
        );
    };
    let pets = dir.path().join("generated/src/pets/operations/pets.rs");

    generate("generate");
    let first = std::fs::read_to_string(&pets).unwrap();
    assert!(
        std::fs::read_to_string(&log).unwrap().contains("--edition"),
        "the first run formats"
    );
    assert!(dir
        .path()
        .join("target/generator/pets.rustfmt-cache")
        .is_file());

    std::fs::remove_file(&log).unwrap();
    std::fs::remove_dir_all(dir.path().join("generated")).unwrap();
    generate("generate");
    let calls = std::fs::read_to_string(&log).unwrap();
    assert!(
        calls.lines().all(|call| call == "--version"),
        "the second run only asks rustfmt its version: {calls}"
    );
    assert_eq!(std::fs::read_to_string(&pets).unwrap(), first);
    generate("check");
}

/// `generator diff` on the real history and the current document, as JSON.
fn diff_json(args: &[&str]) -> serde_json::Value {
    let root = Path::new(env!("CARGO_MANIFEST_DIR")).parent().unwrap();
    let output = Command::new(env!("CARGO_BIN_EXE_generator"))
        .current_dir(root)
        .args(["diff", "--format", "json"])
        .args(args)
        .output()
        .unwrap();
    assert!(output.status.success(), "{}", failure(&output));
    serde_json::from_slice(&output.stdout).unwrap()
}

#[test]
fn a_file_diffed_against_an_api_takes_its_overlays_so_no_change_comes_from_them() {
    let history = "../shared/specs/history/elevenlabs-2026-07-18.json";
    let like_with_like = diff_json(&[history, "elevenlabs"]);
    let both_raw = diff_json(&[history, "../shared/specs/elevenlabs.yaml"]);
    assert_eq!(like_with_like["operations"], both_raw["operations"]);
    assert_eq!(like_with_like["schemas"], both_raw["schemas"]);
    assert!(!like_with_like.to_string().contains("xi-api-key"));

    let raw = diff_json(&["--raw", history, "elevenlabs"]);
    let breaking = |report: &serde_json::Value| report["breaking"].as_u64().unwrap();
    assert!(
        breaking(&raw) > breaking(&like_with_like),
        "--raw reads the file without the overlays, so their header change shows"
    );
    assert!(raw.to_string().contains("xi-api-key"));
}
