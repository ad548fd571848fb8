//! The `generator` command line: exit status, coverage summary and error
//! messages that name the file and the place.

use std::process::{Command, Output};

use tempfile::TempDir;

/// Writes `document` as `file` in a fresh directory and runs
/// `generator generate --spec file --out out` there.
fn generate(file: &str, document: &str, out: &str) -> (TempDir, Output) {
    let dir = tempfile::tempdir().unwrap();
    std::fs::write(dir.path().join(file), document).unwrap();
    let output = Command::new(env!("CARGO_BIN_EXE_generator"))
        .args(["generate", "--spec", file, "--out", out])
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
