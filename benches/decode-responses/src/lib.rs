//! The responses the benchmark decodes, and a check that both crates read
//! them alike.

use std::path::{Path, PathBuf};

use serde::de::DeserializeOwned;
use serde::Serialize;

/// The three responses of issue #17's decoding target, by the name the
/// script gives each instance's file (`agent.json`) and each benchmark
/// group: an agent's configuration (`GET /v1/convai/agents/{agent_id}`), a
/// conversation with its transcript
/// (`GET /v1/convai/conversations/{conversation_id}`) and a page of voices
/// (`GET /v2/voices`).
pub const RESPONSES: [&str; 3] = ["agent", "conversation", "voices"];

/// What a benchmark does with one response: its name, its bytes, and its
/// type in both crates.
pub trait Comparison {
    fn compare<Ours, Derived>(&mut self, name: &str, bytes: &[u8])
    where
        Ours: DeserializeOwned + Serialize,
        Derived: DeserializeOwned + Serialize;
}

/// Runs `comparison` on each of [`RESPONSES`], once both crates are seen
/// to read its instance alike.
pub fn each_response(comparison: &mut impl Comparison) {
    use derived::elevenlabs_derived::types as twin;
    use ours::elevenlabs::types as generated;
    let [agent, conversation, voices] = RESPONSES;
    compare::<generated::GetAgentResponseModel, twin::GetAgentResponseModel>(comparison, agent);
    compare::<generated::GetConversationResponseModel, twin::GetConversationResponseModel>(
        comparison,
        conversation,
    );
    compare::<generated::GetVoicesV2ResponseModel, twin::GetVoicesV2ResponseModel>(
        comparison, voices,
    );
}

fn compare<Ours, Derived>(comparison: &mut impl Comparison, name: &str)
where
    Ours: DeserializeOwned + Serialize,
    Derived: DeserializeOwned + Serialize,
{
    let bytes = instance(name);
    assert_same_reading::<Ours, Derived>(name, &bytes);
    comparison.compare::<Ours, Derived>(name, &bytes);
}

/// Where the script wrote the instances.
fn instances_dir() -> PathBuf {
    std::env::var_os("DECODE_RESPONSES_DIR")
        .map(PathBuf::from)
        .unwrap_or_else(|| {
            Path::new(env!("CARGO_MANIFEST_DIR"))
                .join("../../target/bench-decode-responses/instances")
        })
}

/// The bytes of one instance; panics with the path when it is missing.
fn instance(name: &str) -> Vec<u8> {
    let path = instances_dir().join(format!("{name}.json"));
    std::fs::read(&path).unwrap_or_else(|e| {
        panic!(
            "{}: {e} (run scripts/bench-decode-responses.sh)",
            path.display()
        )
    })
}

/// Decodes `bytes` into both types and panics unless both succeed and
/// write back the same JSON: the benchmark compares equal work.
fn assert_same_reading<Ours, Derived>(label: &str, bytes: &[u8])
where
    Ours: DeserializeOwned + Serialize,
    Derived: DeserializeOwned + Serialize,
{
    let ours: Ours = serde_json::from_slice(bytes).unwrap_or_else(|e| panic!("{label}: ours: {e}"));
    let derived: Derived =
        serde_json::from_slice(bytes).unwrap_or_else(|e| panic!("{label}: derived: {e}"));
    let (ours, derived) = (
        serde_json::to_value(ours).expect("ours writes back"),
        serde_json::to_value(derived).expect("the twin writes back"),
    );
    assert_eq!(
        ours, derived,
        "{label}: the two crates read the instance differently"
    );
}
