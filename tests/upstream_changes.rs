//! The upstream-change workflow end to end, on a temporary copy of the
//! workspace's manifest, overlays, generated crate and vendored documents:
//! `generator update` from a loopback HTTP server (changelog, replaced
//! document, regenerated crate; a bad document changes nothing), and
//! `generator check` catching a stale or hand-edited crate.

use std::collections::BTreeMap;
use std::fs;
use std::io::{Read, Write};
use std::net::TcpListener;
use std::path::{Path, PathBuf};

use generator::generate_from_manifest;
use generator::manifest::Manifest;
use generator::workflows::check::drift_of;
use generator::workflows::update::update;
use generator::write::{write_crate, WriteOutcome};
use serde_json::{json, Value};

fn root() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
}

/// `<tmp>/ws/{specs,generated}` and `<tmp>/shared/specs`, laid out like the
/// real checkout so the manifest's relative paths hold.
fn workspace_copy() -> tempfile::TempDir {
    let tmp = tempfile::tempdir().expect("temporary directory");
    copy_dir(&root().join("specs"), &tmp.path().join("ws/specs"));
    copy_dir(&root().join("generated"), &tmp.path().join("ws/generated"));
    let shared = tmp.path().join("shared/specs");
    fs::create_dir_all(&shared).unwrap();
    for name in ["elevenlabs.yaml", "tavus.yaml"] {
        fs::copy(root().join("../shared/specs").join(name), shared.join(name)).unwrap();
    }
    copy_dir(
        &root().join("../shared/specs/asyncapi"),
        &shared.join("asyncapi"),
    );
    tmp
}

/// The generated crate's version as committed.
fn committed_version() -> String {
    let cargo_toml = fs::read_to_string(root().join("generated/Cargo.toml")).unwrap();
    let line = cargo_toml
        .lines()
        .find(|line| line.starts_with("version = "))
        .expect("the crate has a version");
    line.trim_start_matches("version = ")
        .trim_matches('"')
        .to_owned()
}

/// Cargo's next incompatible version of a `0.y.z` version: `0.(y+1).0`.
fn next_incompatible(version: &str) -> String {
    let parts: Vec<u64> = version.split('.').map(|p| p.parse().unwrap()).collect();
    assert_eq!(parts[0], 0, "the crate is before 1.0: {version}");
    format!("0.{}.0", parts[1] + 1)
}

fn copy_dir(from: &Path, to: &Path) {
    fs::create_dir_all(to).unwrap();
    for entry in fs::read_dir(from).unwrap() {
        let entry = entry.unwrap();
        let target = to.join(entry.file_name());
        if entry.file_type().unwrap().is_dir() {
            copy_dir(&entry.path(), &target);
        } else {
            fs::copy(entry.path(), &target).unwrap();
        }
    }
}

/// Every file under `dir` with its content.
fn snapshot(dir: &Path) -> BTreeMap<PathBuf, Vec<u8>> {
    let mut files = BTreeMap::new();
    let mut pending = vec![dir.to_path_buf()];
    while let Some(current) = pending.pop() {
        for entry in fs::read_dir(&current).unwrap() {
            let path = entry.unwrap().path();
            if path.is_dir() {
                pending.push(path);
            } else {
                files.insert(
                    path.strip_prefix(dir).unwrap().to_path_buf(),
                    fs::read(&path).unwrap(),
                );
            }
        }
    }
    files
}

/// Serves `body` once on 127.0.0.1 and returns its URL.
fn serve_once(body: Vec<u8>) -> String {
    let listener = TcpListener::bind("127.0.0.1:0").unwrap();
    let url = format!("http://{}/openapi.json", listener.local_addr().unwrap());
    std::thread::spawn(move || {
        let (mut stream, _) = listener.accept().unwrap();
        let mut request = [0u8; 4096];
        let _ = stream.read(&mut request);
        let head = format!(
            "HTTP/1.1 200 OK\r\ncontent-type: application/json\r\ncontent-length: {}\r\nconnection: close\r\n\r\n",
            body.len()
        );
        stream.write_all(head.as_bytes()).unwrap();
        stream.write_all(&body).unwrap();
    });
    url
}

/// The vendored Tavus document with one operation removed and a required
/// request field added.
fn newer_tavus(workspace: &Path) -> Value {
    let text = fs::read_to_string(workspace.join("shared/specs/tavus.yaml")).unwrap();
    let mut doc: Value = serde_yaml_ng::from_str(&text).unwrap();
    doc["paths"]
        .as_object_mut()
        .unwrap()
        .remove("/v2/memories/{memory_store}/{memory_id}")
        .expect("the vendored document has the memories operation");
    let rename = &mut doc["components"]["schemas"]["RenameReplicaRequest"];
    rename["properties"]["reason"] = json!({"type": "string"});
    rename["required"]
        .as_array_mut()
        .unwrap()
        .push(json!("reason"));
    doc
}

#[test]
fn update_from_a_loopback_server_reports_the_changelog_and_regenerates() {
    let tmp = workspace_copy();
    let manifest = Manifest::load(&tmp.path().join("ws/specs/apis.toml")).unwrap();
    let body = serde_json::to_vec_pretty(&newer_tavus(tmp.path())).unwrap();
    let url = serve_once(body.clone());

    let report = update(&manifest, "tavus", Some(&url)).expect("the update succeeds");

    let removed: Vec<String> = report
        .changelog
        .operations
        .removed
        .iter()
        .map(|op| format!("{} {} breaking={}", op.method, op.path, op.breaking))
        .collect();
    assert_eq!(
        removed,
        ["DELETE /v2/memories/{memory_store}/{memory_id} breaking=true"]
    );
    assert!(report.changelog.operations.added.is_empty());
    let new_field = report
        .changelog
        .schemas
        .changed
        .iter()
        .find(|c| c.schema == "RenameReplicaRequest")
        .expect("the request schema changed");
    assert!(new_field.change.breaking, "{new_field:?}");
    assert_eq!(report.outcome, WriteOutcome::Replaced);
    // A breaking change: the committed 0.y.z moves to the next incompatible
    // version, 0.(y+1).0.
    let release = report
        .release
        .as_ref()
        .expect("the manifest's crate has a release");
    let next = next_incompatible(&committed_version());
    assert_eq!(release.version.to_string(), next);
    let cargo_toml = fs::read_to_string(tmp.path().join("ws/generated/Cargo.toml")).unwrap();
    assert!(
        cargo_toml.contains(&format!("\nversion = \"{next}\"\n")),
        "{cargo_toml}"
    );
    assert_eq!(
        fs::read(tmp.path().join("shared/specs/tavus.yaml")).unwrap(),
        body
    );
    let tavus = tmp.path().join("ws/generated/src/tavus");
    assert!(
        !tavus.join("operations/memories.rs").exists(),
        "the removed group's file is gone"
    );
    let client = fs::read_to_string(tavus.join("client.rs")).unwrap();
    assert!(
        client.contains(&format!(
            "// sha256 {}",
            generator::load::parse::hex_sha256(&body)
        )),
        "the header names the new document's checksum"
    );
    assert!(!tmp.path().join("shared/specs/.tavus.yaml.update").exists());
}

#[test]
fn a_document_that_does_not_generate_changes_nothing() {
    let tmp = workspace_copy();
    let manifest = Manifest::load(&tmp.path().join("ws/specs/apis.toml")).unwrap();
    let mut broken = newer_tavus(tmp.path());
    broken["paths"]["/v2/replicas/{replica_id}"]["get"]["parameters"] = json!([]);
    let url = serve_once(serde_json::to_vec(&broken).unwrap());
    let generated_before = snapshot(&tmp.path().join("ws/generated"));
    let vendored_before = fs::read(tmp.path().join("shared/specs/tavus.yaml")).unwrap();

    let error = update(&manifest, "tavus", Some(&url))
        .unwrap_err()
        .to_string();

    assert!(
        error.contains("#/paths/~1v2~1replicas~1{replica_id}/get: the path names {replica_id}"),
        "{error}"
    );
    assert_eq!(
        fs::read(tmp.path().join("shared/specs/tavus.yaml")).unwrap(),
        vendored_before
    );
    assert!(snapshot(&tmp.path().join("ws/generated")) == generated_before);
    assert!(!tmp.path().join("shared/specs/.tavus.yaml.update").exists());
}

#[test]
fn an_unknown_api_name_lists_the_known_ones() {
    let manifest = Manifest::load(&root().join("specs/apis.toml")).unwrap();
    let error = update(&manifest, "openai", Some("/nonexistent"))
        .unwrap_err()
        .to_string();
    assert_eq!(
        error,
        "no API named \"openai\" in the manifest (APIs: elevenlabs, tavus)"
    );
}

/// What `generator check` reports for the copy: changed, missing and
/// extra files.
fn stale_files(manifest: &Manifest) -> Vec<PathBuf> {
    let fresh = generate_from_manifest(manifest).expect("generation succeeds");
    let drift = drift_of(&manifest.output_dir(), &fresh.files).unwrap();
    [drift.changed, drift.missing, drift.extra].concat()
}

#[test]
fn check_names_a_hand_edited_file_and_passes_after_generating() {
    let tmp = workspace_copy();
    let manifest = Manifest::load(&tmp.path().join("ws/specs/apis.toml")).unwrap();
    let edited = tmp.path().join("ws/generated/src/tavus/client.rs");
    let mut text = fs::read_to_string(&edited).unwrap();
    text.push_str("// a local tweak\n");
    fs::write(&edited, text).unwrap();

    assert_eq!(
        stale_files(&manifest),
        [PathBuf::from("src/tavus/client.rs")]
    );

    let fresh = generate_from_manifest(&manifest).unwrap();
    write_crate(&manifest.output_dir(), &fresh.files).unwrap();
    assert!(stale_files(&manifest).is_empty());
}

#[test]
fn check_fails_when_a_spec_changed_without_regenerating() {
    let tmp = workspace_copy();
    let manifest = Manifest::load(&tmp.path().join("ws/specs/apis.toml")).unwrap();
    let newer = serde_json::to_vec(&newer_tavus(tmp.path())).unwrap();
    fs::write(tmp.path().join("shared/specs/tavus.yaml"), newer).unwrap();

    let stale = stale_files(&manifest);

    assert!(
        stale.contains(&PathBuf::from("src/tavus/client.rs")),
        "{stale:?}"
    );
    // The new Tavus group also adds a feature to Cargo.toml and lib.rs.
    assert!(
        stale.iter().all(|path| path.starts_with("src/tavus")
            || path.starts_with("testing/src/tavus")
            || path == Path::new("Cargo.toml")
            || path == Path::new("src/lib.rs")
            || path == Path::new("CHANGELOG.md")
            || path == Path::new("api-surface.json")),
        "only the Tavus module, the feature lists and the release files change: {stale:?}"
    );
    // The version moves and the changelog gains a section (#19).
    assert!(stale.contains(&PathBuf::from("CHANGELOG.md")), "{stale:?}");
}

/// The compiled build script of this package, as cargo runs it: the newest
/// `build-script-build` under the target directory's `build/openapi-sdks-*`.
fn build_script() -> PathBuf {
    let exe = std::env::current_exe().unwrap();
    let profile_dir = exe.parent().and_then(Path::parent).unwrap();
    fs::read_dir(profile_dir.join("build"))
        .unwrap()
        .filter_map(|entry| {
            let dir = entry.ok()?.path();
            let name = dir.file_name()?.to_str()?.to_owned();
            let script = dir.join("build-script-build");
            (name.starts_with("openapi-sdks-") && script.is_file()).then_some(script)
        })
        .max_by_key(|script| fs::metadata(script).and_then(|m| m.modified()).unwrap())
        .expect("cargo built this package's build script")
}

fn run_build_script(workspace: &Path, ci: bool) -> std::process::Output {
    let out_dir = tempfile::tempdir().unwrap();
    let mut command = std::process::Command::new(build_script());
    command
        .env("CARGO_MANIFEST_DIR", workspace)
        .env("OUT_DIR", out_dir.path())
        .env_remove("CI");
    if ci {
        command.env("CI", "true");
    }
    command.output().unwrap()
}

#[test]
fn build_rs_regenerates_after_a_spec_change_and_checks_under_ci() {
    let tmp = workspace_copy();
    let workspace = tmp.path().join("ws");
    let manifest = Manifest::load(&workspace.join("specs/apis.toml")).unwrap();
    let newer = serde_json::to_vec(&newer_tavus(tmp.path())).unwrap();
    fs::write(tmp.path().join("shared/specs/tavus.yaml"), newer).unwrap();

    let in_ci = run_build_script(&workspace, true);
    let stderr = String::from_utf8_lossy(&in_ci.stderr);
    assert!(!in_ci.status.success(), "CI=true fails on a stale crate");
    assert!(stderr.contains("src/tavus/client.rs"), "{stderr}");
    assert!(
        !stale_files(&manifest).is_empty(),
        "CI=true leaves the crate as it was"
    );

    let local = run_build_script(&workspace, false);
    let stdout = String::from_utf8_lossy(&local.stdout);
    assert!(
        local.status.success(),
        "{}",
        String::from_utf8_lossy(&local.stderr)
    );
    assert!(stdout.contains("cargo:warning=regenerated"), "{stdout}");
    for input in [
        "specs",
        "generator/src",
        "tavus.yaml",
        "overlays/tavus.yaml",
    ] {
        assert!(
            stdout
                .lines()
                .any(|l| l.starts_with("cargo:rerun-if-changed=") && l.ends_with(input)),
            "no rerun-if-changed for {input}: {stdout}"
        );
    }
    assert!(
        stale_files(&manifest).is_empty(),
        "check passes after the build"
    );
}
