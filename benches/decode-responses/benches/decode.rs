//! Decoding three real responses of the ElevenLabs document (instances of
//! their schemas, drawn by tools/response-instances.js) into the generated
//! types, which decode through `api_runtime::de::Decode`, and into a twin
//! generated with `--derive-serde`, whose structs derive `Deserialize`.
//! Same bytes, same run: the ratio of `runtime` to `derive` in each group
//! is issue #17's decoding target.

use std::hint::black_box;

use criterion::{criterion_group, criterion_main, Criterion, Throughput};
use decode_responses::{assert_same_reading, instance, RESPONSES};
use serde::de::DeserializeOwned;
use serde::Serialize;

use derived::elevenlabs_derived::types as twin;
use ours::elevenlabs::types as generated;

fn compare<Ours, Derived>(c: &mut Criterion, name: &str)
where
    Ours: DeserializeOwned + Serialize,
    Derived: DeserializeOwned + Serialize,
{
    let bytes = instance(name);
    assert_same_reading::<Ours, Derived>(name, &bytes);
    let mut group = c.benchmark_group(name);
    group.throughput(Throughput::Bytes(bytes.len() as u64));
    group.bench_function("derive", |b| {
        b.iter(|| serde_json::from_slice::<Derived>(black_box(&bytes)).expect("decodes"))
    });
    group.bench_function("runtime", |b| {
        b.iter(|| serde_json::from_slice::<Ours>(black_box(&bytes)).expect("decodes"))
    });
    group.finish();
}

fn responses(c: &mut Criterion) {
    let [agent, conversation, voices] = RESPONSES;
    compare::<generated::GetAgentResponseModel, twin::GetAgentResponseModel>(c, agent);
    compare::<generated::GetConversationResponseModel, twin::GetConversationResponseModel>(
        c,
        conversation,
    );
    compare::<generated::GetVoicesV2ResponseModel, twin::GetVoicesV2ResponseModel>(c, voices);
}

criterion_group!(benches, responses);
criterion_main!(benches);
