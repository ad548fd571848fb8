//! `generator diff` on two full ElevenLabs versions (2026-07-18 against the
//! current vendored document): the model comparison alone, and load + lower
//! + diff end to end. Run with `cargo bench -p generator --bench diff`.
//!
//! The documents are read from `../shared/specs` at run time; without them
//! the benchmark says so and measures nothing.

use std::hint::black_box;
use std::path::{Path, PathBuf};

use criterion::{criterion_group, criterion_main, Criterion};

fn spec(name: &str) -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("../../shared/specs")
        .join(name)
}

fn model(path: &Path) -> generator::model::ir::ApiModel {
    let loaded =
        generator::load::load_file(path).unwrap_or_else(|e| panic!("{}: {e}", path.display()));
    generator::model::lower::build_model(&loaded).unwrap_or_else(|e| panic!("{e}"))
}

fn bench(c: &mut Criterion) {
    let old_path = spec("history/elevenlabs-2026-07-18.json");
    let new_path = spec("elevenlabs.yaml");
    if !old_path.is_file() || !new_path.is_file() {
        eprintln!("../shared/specs is missing: nothing to measure");
        return;
    }
    let (old, new) = (model(&old_path), model(&new_path));

    let mut group = c.benchmark_group("elevenlabs 2026-07-18 -> current");
    group.sample_size(20);
    group.bench_function("diff of the models", |b| {
        b.iter(|| generator::workflows::diff::diff(black_box(&old), black_box(&new)))
    });
    group.bench_function("diff + render text", |b| {
        b.iter(|| {
            let log = generator::workflows::diff::diff(black_box(&old), black_box(&new));
            generator::workflows::diff::render::text(&log, false)
        })
    });
    group.bench_function("load + lower + diff (end to end)", |b| {
        b.iter(|| {
            let old = model(black_box(&old_path));
            let new = model(black_box(&new_path));
            generator::workflows::diff::diff(&old, &new)
        })
    });
    group.finish();
}

criterion_group!(benches, bench);
criterion_main!(benches);
