//! The generated crate's version and changelog (#19): each generation
//! diffs the new surfaces against `api-surface.json`, moves the version by
//! the most serious change, adds a `CHANGELOG.md` section, and `check`
//! catches a version or changelog edited by hand. The crates are generated
//! in temporary directories and never built.

use std::path::{Path, PathBuf};

use generator::manifest::Manifest;
use generator::workflows::check::drift_of;
use generator::workflows::diff;
use generator::workflows::release::changelog_file::section_count;
use generator::workflows::release::version::{Bump, Version};
use generator::workflows::release::Release;
use generator::workflows::sides::{api_model, diff_with_names};
use generator::workflows::update::update;
use generator::write::{write_crate, WriteOutcome, CHANGELOG_FILE, SURFACE_FILE};
use generator::{generate_from_manifest, GeneratedCrate};
use tempfile::TempDir;

const PETS: &str = "openapi: 3.1.0\ninfo: {title: Pets, version: '1'}\npaths:\n  /pets:\n    get:\n      operationId: listPets\n      tags: [Pets]\n      description: Lists pets.\n      responses:\n        '200':\n          description: ok\n          content:\n            application/json:\n              schema: {$ref: '#/components/schemas/Pet'}\n  /pets/{id}:\n    delete:\n      operationId: deletePet\n      tags: [Pets]\n      parameters: [{name: id, in: path, required: true, schema: {type: string}}]\n      responses: {'204': {description: gone}}\ncomponents:\n  schemas:\n    Pet:\n      type: object\n      required: [name]\n      properties:\n        name: {type: string}\n";

/// A workspace whose manifest names one API, `api`, vendored at
/// `vendor/<file>` with `document`, and optionally overlays.
fn workspace(api: &str, file: &str, document: &[u8], overlays: &[(&str, &[u8])]) -> TempDir {
    let dir = tempfile::tempdir().unwrap();
    for folder in ["specs/overlays", "vendor"] {
        std::fs::create_dir_all(dir.path().join(folder)).unwrap();
    }
    std::fs::write(dir.path().join("vendor").join(file), document).unwrap();
    let mut listed = Vec::new();
    for (name, text) in overlays {
        std::fs::write(dir.path().join("specs/overlays").join(name), text).unwrap();
        listed.push(format!("\"overlays/{name}\""));
    }
    let manifest = format!(
        "[crate]\nname = \"api-clients\"\noutput = \"../generated\"\nruntime = \"../runtime\"\ndescription = \"Clients.\"\n\n[[api]]\nname = \"{api}\"\nmodule = \"{api}\"\nspec = \"../vendor/{file}\"\nupstream = \"https://example.invalid/{file}\"\noverlays = [{}]\n",
        listed.join(", ")
    );
    std::fs::write(dir.path().join("specs/apis.toml"), manifest).unwrap();
    dir
}

fn manifest(dir: &TempDir) -> Manifest {
    Manifest::load(&dir.path().join("specs/apis.toml")).unwrap()
}

fn generated(dir: &TempDir) -> PathBuf {
    dir.path().join("generated")
}

/// `generator generate`: the crate with its release files, written.
fn generate(dir: &TempDir) -> (GeneratedCrate, WriteOutcome) {
    let fresh = generate_from_manifest(&manifest(dir)).expect("generation succeeds");
    let outcome = write_crate(&generated(dir), &fresh.files).unwrap();
    (fresh, outcome)
}

fn release(fresh: &GeneratedCrate) -> &Release {
    fresh
        .release
        .as_ref()
        .expect("the manifest's crate has a release")
}

fn read(dir: &TempDir, name: &str) -> String {
    std::fs::read_to_string(generated(dir).join(name)).unwrap()
}

fn cargo_version(dir: &TempDir) -> String {
    let cargo = read(dir, "Cargo.toml");
    let line = cargo
        .lines()
        .find(|line| line.starts_with("version = "))
        .expect("Cargo.toml has a version");
    line.trim_start_matches("version = ")
        .trim_matches('"')
        .to_owned()
}

/// Replaces the vendored document with `document` and regenerates.
fn generate_from(dir: &TempDir, document: &str) -> GeneratedCrate {
    std::fs::write(dir.path().join("vendor/pets.yaml"), document).unwrap();
    generate(dir).0
}

#[test]
fn the_first_generation_starts_the_changelog_and_a_second_changes_nothing() {
    let dir = workspace("pets", "pets.yaml", PETS.as_bytes(), &[]);
    let (first, outcome) = generate(&dir);
    assert_eq!(outcome, WriteOutcome::Replaced);
    assert!(release(&first).initial);
    assert_eq!(release(&first).version.to_string(), "0.1.0");
    let changelog = read(&dir, CHANGELOG_FILE);
    assert_eq!(section_count(&changelog), 1, "{changelog}");
    assert!(changelog.contains("## 0.1.0 — "), "{changelog}");
    assert!(changelog.contains("- pets: Pets `1` from "), "{changelog}");
    let record = read(&dir, SURFACE_FILE);

    let (second, outcome) = generate(&dir);
    assert_eq!(outcome, WriteOutcome::Unchanged);
    assert_eq!(release(&second).bump, None);
    assert!(!release(&second).initial);
    assert_eq!(read(&dir, CHANGELOG_FILE), changelog);
    assert_eq!(read(&dir, SURFACE_FILE), record);
    assert!(drift_of(&generated(&dir), &second.files)
        .unwrap()
        .is_clean());
}

#[test]
fn each_kind_of_change_moves_the_version_its_way() {
    let dir = workspace("pets", "pets.yaml", PETS.as_bytes(), &[]);
    generate(&dir);
    let steps = [
        // Only a description: the code changes, the API does not.
        (
            PETS.replace("Lists pets.", "Lists all pets."),
            Bump::Patch,
            "0.1.1",
        ),
        // A new optional field: compatible, which below 1.0 moves the patch.
        (
            PETS.replace(
                "        name: {type: string}\n",
                "        name: {type: string}\n        age: {type: integer}\n",
            ),
            Bump::Compatible,
            "0.1.2",
        ),
        // The operation `DELETE /pets/{id}` removed (and `age` with it).
        (
            PETS.replace(
                "  /pets/{id}:\n    delete:\n      operationId: deletePet\n      tags: [Pets]\n      parameters: [{name: id, in: path, required: true, schema: {type: string}}]\n      responses: {'204': {description: gone}}\n",
                "",
            ),
            Bump::Incompatible,
            "0.2.0",
        ),
    ];
    for (document, bump, version) in steps {
        let fresh = generate_from(&dir, &document);
        assert_eq!(release(&fresh).bump, Some(bump), "to {version}");
        assert_eq!(cargo_version(&dir), version);
    }
    let changelog = read(&dir, CHANGELOG_FILE);
    assert_eq!(section_count(&changelog), 4, "{changelog}");
    let order: Vec<usize> = ["## 0.2.0", "## 0.1.2", "## 0.1.1", "## 0.1.0"]
        .iter()
        .map(|heading| changelog.find(heading).expect(heading))
        .collect();
    assert!(order.windows(2).all(|w| w[0] < w[1]), "{changelog}");
    assert!(
        changelog.contains("#### Breaking (")
            && changelog.contains("`DELETE /pets/{id}` removed: the method"),
        "{changelog}"
    );
    assert!(
        changelog.contains("#### Added (1)\n\n- `Pet`: field `age` added"),
        "{changelog}"
    );
}

#[test]
fn check_catches_a_version_edited_by_hand() {
    let dir = workspace("pets", "pets.yaml", PETS.as_bytes(), &[]);
    generate(&dir);
    let cargo = generated(&dir).join("Cargo.toml");
    let text = std::fs::read_to_string(&cargo).unwrap();
    std::fs::write(
        &cargo,
        text.replace("version = \"0.1.0\"", "version = \"0.3.0\""),
    )
    .unwrap();

    let fresh = generate_from_manifest(&manifest(&dir)).unwrap();
    let drift = drift_of(&generated(&dir), &fresh.files).unwrap();

    assert_eq!(drift.changed, [PathBuf::from("Cargo.toml")]);
    assert!(drift.release_differs());
    let shown = drift.to_string();
    assert!(
        shown.contains("-version = \"0.3.0\"\n+version = \"0.1.0\""),
        "{shown}"
    );
    assert!(
        shown.contains("a version or changelog edited by hand does not match"),
        "{shown}"
    );
}

#[test]
fn a_changelog_edited_by_hand_stops_generation_and_check() {
    let dir = workspace("pets", "pets.yaml", PETS.as_bytes(), &[]);
    generate(&dir);
    let path = generated(&dir).join(CHANGELOG_FILE);
    let text = std::fs::read_to_string(&path).unwrap();
    std::fs::write(&path, text.replace("Initial generation", "First release")).unwrap();

    let error = generate_from_manifest(&manifest(&dir))
        .map(|_| ())
        .expect_err("the changelog no longer matches the record")
        .to_string();

    assert!(error.contains("CHANGELOG.md"), "{error}");
    assert!(error.contains("edited by hand"), "{error}");
}

#[test]
fn a_record_that_does_not_name_its_types_is_refused() {
    let dir = workspace("pets", "pets.yaml", PETS.as_bytes(), &[]);
    generate(&dir);
    let path = generated(&dir).join(SURFACE_FILE);
    let text = std::fs::read_to_string(&path).unwrap();
    std::fs::write(
        &path,
        text.replacen("{\"json\":\"#0\"}", "{\"json\":\"#99\"}", 1),
    )
    .unwrap();

    assert!(std::fs::read_to_string(&path).unwrap().contains("#99"));

    let error = generate_from_manifest(&manifest(&dir))
        .map(|_| ())
        .expect_err("type 99 is not in the record")
        .to_string();

    assert!(
        error.contains("\"#99\" is not a type of the record"),
        "{error}"
    );
}

// ---------------------------------------------------------------------------
// The real ElevenLabs history
// ---------------------------------------------------------------------------

fn shared_specs() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("../../shared/specs")
}

fn expected_bump(changelog: &diff::Changelog) -> Bump {
    if changelog.has_breaking() {
        Bump::Incompatible
    } else if !changelog.is_empty() {
        Bump::Compatible
    } else {
        Bump::Patch
    }
}

/// Updating 2026-03-17 -> 05-01 -> 07-18 -> current gives three versions,
/// each bumped as `generator diff` classifies the change, and three
/// sections after the initial one.
#[test]
fn the_elevenlabs_history_gives_three_versions_bumped_as_the_diff_classifies() {
    let history = shared_specs().join("history");
    let first = std::fs::read(history.join("elevenlabs-2026-03-17.json")).unwrap();
    let overlay = std::fs::read(
        Path::new(env!("CARGO_MANIFEST_DIR")).join("../specs/overlays/elevenlabs.yaml"),
    )
    .unwrap();
    let dir = workspace(
        "elevenlabs",
        "elevenlabs.yaml",
        &first,
        &[("elevenlabs.yaml", &overlay)],
    );
    let (start, _) = generate(&dir);
    let mut version = release(&start).version;
    assert!(release(&start).initial);

    let updates = [
        history.join("elevenlabs-2026-05-01.json"),
        history.join("elevenlabs-2026-07-18.json"),
        shared_specs().join("elevenlabs.yaml"),
    ];
    let mut headings = vec![format!("## {version} — ")];
    for next in &updates {
        let manifest = manifest(&dir);
        let entry = manifest.api("elevenlabs").unwrap();
        let vendored = manifest.resolve(&entry.spec);
        let (old, new) = (
            api_model(&manifest, entry, &vendored).unwrap(),
            api_model(&manifest, entry, next).unwrap(),
        );
        let expected = diff_with_names((&old, &vendored), (&new, next)).unwrap();
        let bump = expected_bump(&expected);

        let report = update(&manifest, "elevenlabs", Some(next.to_str().unwrap())).unwrap();

        let release = report.release.as_ref().unwrap();
        let (_, recorded) = &release.changelogs[0];
        assert_eq!(release.bump, Some(bump), "{}", next.display());
        assert_eq!(
            (recorded.breaking_count(), recorded.total_count()),
            (expected.breaking_count(), expected.total_count()),
            "the record reproduces the diff for {}",
            next.display()
        );
        version = version.next(bump);
        assert_eq!(release.version, version);
        assert_eq!(
            Version::parse(&cargo_version(&dir)),
            Some(version),
            "{}",
            next.display()
        );
        headings.push(format!("## {version} — "));
    }
    let changelog = read(&dir, CHANGELOG_FILE);
    assert_eq!(section_count(&changelog), 1 + updates.len(), "{changelog}");
    let positions: Vec<usize> = headings
        .iter()
        .rev()
        .map(|heading| changelog.find(heading.as_str()).expect(heading))
        .collect();
    assert!(positions.windows(2).all(|w| w[0] < w[1]), "newest first");
    let (again, outcome) = generate(&dir);
    assert_eq!(outcome, WriteOutcome::Unchanged);
    assert_eq!(release(&again).version, version);
}

/// The committed record's channels read back into the model the diff
/// compares and recorded again give the same records.
#[test]
fn the_committed_record_keeps_the_channels_the_diff_compares() {
    use generator::workflows::release::record::Record;
    use generator::workflows::release::surface::ApiSurface;
    let path = Path::new(env!("CARGO_MANIFEST_DIR")).join("../generated/api-surface.json");
    let record = Record::parse(&std::fs::read_to_string(path).unwrap()).unwrap();
    let elevenlabs = record.api("elevenlabs").unwrap();
    let channels = elevenlabs.channels.as_ref().unwrap();
    assert_eq!(channels.len(), 3);
    let model = elevenlabs.to_model().unwrap();
    let again = ApiSurface::of("elevenlabs", &model, elevenlabs.document.clone());
    assert_eq!(again.channels.as_ref(), Some(channels));
    let conversation = &model.channels[2];
    assert_eq!(conversation.address, "/v1/convai/conversation");
    assert_eq!(conversation.server_message_count(), 11);
}
