//! Regenerates `generated/` from `specs/apis.toml` when the manifest, a
//! vendored document, an overlay or the generator changes. Cargo reruns this
//! script only for those changes, so a no-op `cargo build` never runs the
//! generator. Under `CI=true` it checks instead of writing: a commit whose
//! generated code is stale fails the build rather than being quietly fixed.

use std::path::Path;

use generator::manifest::Manifest;
use generator::workflows::check::drift_of;
use generator::write::{write_crate, WriteOutcome};

fn main() {
    let root = std::env::var("CARGO_MANIFEST_DIR").expect("cargo sets CARGO_MANIFEST_DIR");
    let root = Path::new(&root);
    let manifest_path = root.join("specs/apis.toml");
    println!("cargo:rerun-if-changed=specs");
    println!("cargo:rerun-if-changed=generator/src");
    println!("cargo:rerun-if-env-changed=CI");
    let manifest = Manifest::load(&manifest_path).unwrap_or_else(|e| fail(&e.to_string()));
    let inputs = manifest.inputs();
    for input in &inputs {
        println!("cargo:rerun-if-changed={}", input.display());
    }
    if let Some(missing) = inputs.iter().find(|input| !input.exists()) {
        println!(
            "cargo:warning={} not found; keeping the committed generated/ code",
            missing.display()
        );
        return;
    }
    let generated =
        generator::generate_from_manifest(&manifest).unwrap_or_else(|e| fail(&e.to_string()));
    let output = manifest.output_dir();
    if std::env::var("CI").is_ok_and(|v| v == "true") {
        let drift = drift_of(&output, &generated.files).unwrap_or_else(|e| fail(&e.to_string()));
        if !drift.is_clean() {
            fail(&format!("{drift}generated/ is out of date with the specs or the generator: run `cargo run -p generator -- generate` and commit the result"));
        }
        return;
    }
    match write_crate(&output, &generated.files) {
        Ok(WriteOutcome::Replaced) => println!("cargo:warning=regenerated {}", output.display()),
        Ok(WriteOutcome::Unchanged) => {}
        Err(e) => fail(&e.to_string()),
    }
}

fn fail(message: &str) -> ! {
    eprintln!("error: {message}");
    std::process::exit(1);
}
