//! Decoding three real responses of the ElevenLabs document (instances of
//! their schemas, drawn by tools/response-instances.js) into the generated
//! types, which decode through `api_runtime::de::Decode`, and into a twin
//! generated with `--derive-serde`, whose structs derive `Deserialize`.
//! Same bytes, same run: the ratio of `runtime` to `derive` in each group
//! is issue #17's decoding target.

use std::hint::black_box;

use criterion::{criterion_group, criterion_main, Criterion, Throughput};
use decode_responses::{each_response, Comparison};
use serde::de::DeserializeOwned;
use serde::Serialize;

struct Groups<'c>(&'c mut Criterion);

impl Comparison for Groups<'_> {
    fn compare<Ours, Derived>(&mut self, name: &str, bytes: &[u8])
    where
        Ours: DeserializeOwned + Serialize,
        Derived: DeserializeOwned + Serialize,
    {
        let mut group = self.0.benchmark_group(name);
        group.throughput(Throughput::Bytes(bytes.len() as u64));
        group.bench_function("derive", |b| {
            b.iter(|| serde_json::from_slice::<Derived>(black_box(bytes)).expect("decodes"))
        });
        group.bench_function("runtime", |b| {
            b.iter(|| serde_json::from_slice::<Ours>(black_box(bytes)).expect("decodes"))
        });
        group.finish();
    }
}

fn responses(c: &mut Criterion) {
    each_response(&mut Groups(c));
}

criterion_group!(benches, responses);
criterion_main!(benches);
