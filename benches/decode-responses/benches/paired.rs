//! The same comparison as `decode`, measured in paired rounds
//! (`runtime/benches/support/paired_rounds.rs`): prints the median of the
//! rounds' ratios (ours / derive) and its quartiles as key=value lines.

use std::hint::black_box;

use decode_responses::{assert_same_reading, instance, RESPONSES};
use serde::de::DeserializeOwned;
use serde::Serialize;

use derived::elevenlabs_derived::types as twin;
use ours::elevenlabs::types as generated;

#[path = "../../../runtime/benches/support/paired_rounds.rs"]
mod paired_rounds;

fn decoder<T: DeserializeOwned>(bytes: &[u8]) -> impl FnMut() + '_ {
    move || {
        black_box(serde_json::from_slice::<T>(black_box(bytes)).expect("decodes"));
    }
}

fn paired<Ours, Derived>(name: &str)
where
    Ours: DeserializeOwned + Serialize,
    Derived: DeserializeOwned + Serialize,
{
    let bytes = instance(name);
    assert_same_reading::<Ours, Derived>(name, &bytes);
    paired_rounds::measure(decoder::<Derived>(&bytes), decoder::<Ours>(&bytes)).print(name);
}

fn main() {
    if !paired_rounds::benchmarking() {
        return;
    }
    let [agent, conversation, voices] = RESPONSES;
    paired::<generated::GetAgentResponseModel, twin::GetAgentResponseModel>(agent);
    paired::<generated::GetConversationResponseModel, twin::GetConversationResponseModel>(
        conversation,
    );
    paired::<generated::GetVoicesV2ResponseModel, twin::GetVoicesV2ResponseModel>(voices);
}
