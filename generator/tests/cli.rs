//! The `generator` command line: exit status, coverage summary and error
//! messages that name the file and the place.

use std::path::Path;
use std::process::{Command, Output};

fn run(args: &[&str], dir: &Path) -> Output {
    Command::new(env!("CARGO_BIN_EXE_generator"))
        .args(args)
        .current_dir(dir)
        .output()
        .expect("the generator binary runs")
}

#[test]
fn generates_a_standalone_crate_and_prints_coverage() {
    let dir = tempfile::tempdir().unwrap();
    std::fs::write(
        dir.path().join("pets.yaml"),
        "openapi: 3.0.3\ninfo: {title: Pets, version: '1'}\npaths:\n  /pets:\n    get: {responses: {'200': {description: ok}}}\ncomponents:\n  schemas:\n    Pet:\n      type: object\n      properties:\n        extra: {type: object}\n",
    )
    .unwrap();
    let output = run(
        &["generate", "--spec", "pets.yaml", "--out", "pets-client"],
        dir.path(),
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
    assert!(stdout.contains("operations 0/1 emitted"), "{stdout}");
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
fn a_syntax_error_names_the_file_line_and_column_and_fails() {
    let dir = tempfile::tempdir().unwrap();
    std::fs::write(
        dir.path().join("bad.yaml"),
        "openapi: 3.1.0\ninfo:\n  title: [unclosed\n",
    )
    .unwrap();
    let output = run(
        &["generate", "--spec", "bad.yaml", "--out", "out"],
        dir.path(),
    );
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert_eq!(output.status.code(), Some(1), "{stderr}");
    assert!(stderr.starts_with("error: bad.yaml:"), "{stderr}");
    assert!(stderr.contains("invalid YAML"), "{stderr}");
    assert!(
        !dir.path().join("out").exists(),
        "nothing is written on failure"
    );
}

#[test]
fn a_wrongly_typed_field_names_its_json_pointer() {
    let dir = tempfile::tempdir().unwrap();
    std::fs::write(
        dir.path().join("typed.json"),
        r#"{"openapi": "3.1.0", "info": {"title": "t", "version": "1"}, "paths": {},
            "components": {"schemas": {"A": {"type": "object", "required": "name"}}}}"#,
    )
    .unwrap();
    let output = run(
        &["generate", "--spec", "typed.json", "--out", "out"],
        dir.path(),
    );
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert_eq!(output.status.code(), Some(1), "{stderr}");
    assert!(
        stderr.contains("typed.json:#/components/schemas/A/required: invalid type: string"),
        "{stderr}"
    );
}
