//! Generation speed: loading each vendored document with its overlays,
//! generating each API in memory (load, model, names, emit, prettyplease),
//! and the whole crate end to end as `generator check` does it (both APIs,
//! rustfmt, and the comparison with the committed `generated/`). Run with
//! `cargo bench -p generator --bench generate`.
//!
//! The documents are read from `../shared/specs` (through
//! `specs/apis.toml`) at run time; without them the benchmark says so and
//! measures nothing.

use std::hint::black_box;
use std::path::{Path, PathBuf};
use std::time::Duration;

use criterion::{criterion_group, criterion_main, Criterion};
use generator::manifest::Manifest;
use generator::{ApiInput, CrateInput};

fn workspace() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("..")
}

fn input() -> Option<(Manifest, CrateInput)> {
    let manifest = Manifest::load(&workspace().join("specs/apis.toml")).ok()?;
    let input = generator::crate_input(&manifest);
    if !input.apis.iter().all(|api| api.spec.is_file()) {
        return None;
    }
    Some((manifest, input))
}

/// Stage 1 alone: the overlays and the document, as `generate_api` loads
/// them.
fn load(api: &ApiInput) -> generator::load::LoadedDocument {
    let overlays = api
        .overlays
        .iter()
        .map(|(path, _)| generator::load::overlay::load_overlay(path))
        .collect::<generator::Result<Vec<_>>>()
        .unwrap_or_else(|e| panic!("{e}"));
    generator::load::load_with_overlays(&api.spec, &overlays).unwrap_or_else(|e| panic!("{e}"))
}

fn bench(c: &mut Criterion) {
    let Some((manifest, input)) = input() else {
        eprintln!("../shared/specs is missing: nothing to measure");
        return;
    };

    let mut group = c.benchmark_group("load (document + overlays)");
    group.sample_size(10);
    group.warm_up_time(Duration::from_secs(1));
    group.measurement_time(Duration::from_secs(3));
    for api in &input.apis {
        group.bench_function(&api.name, |b| b.iter(|| load(black_box(api))));
    }
    group.finish();

    let mut group = c.benchmark_group("generate_api (load to prettyplease, in memory)");
    group.sample_size(10);
    group.warm_up_time(Duration::from_secs(1));
    group.measurement_time(Duration::from_secs(5));
    for api in &input.apis {
        group.bench_function(&api.name, |b| {
            b.iter(|| {
                generator::generate_api(black_box(api), "api_clients")
                    .unwrap_or_else(|e| panic!("{e}"))
            })
        });
    }
    group.finish();

    let output = manifest.output_dir();
    let mut group = c.benchmark_group("both APIs end to end");
    group.sample_size(10);
    group.warm_up_time(Duration::from_secs(1));
    group.measurement_time(Duration::from_secs(10));
    group.bench_function("generate_crate + compare with generated/", |b| {
        b.iter(|| {
            let generated =
                generator::generate_crate(black_box(&input)).unwrap_or_else(|e| panic!("{e}"));
            generator::workflows::check::drift_of(&output, &generated.files)
                .unwrap_or_else(|e| panic!("{e}"))
        })
    });
    group.finish();
}

criterion_group!(benches, bench);
criterion_main!(benches);
