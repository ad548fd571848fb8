//! The same comparison as `decode`, measured in paired rounds
//! (`runtime/benches/support/paired_rounds.rs`): prints the median of the
//! rounds' ratios (ours / derive) and its quartiles as key=value lines.

use std::hint::black_box;

use decode_responses::{each_response, Comparison};
use serde::de::DeserializeOwned;
use serde::Serialize;

#[path = "../../../runtime/benches/support/paired_rounds.rs"]
mod paired_rounds;

fn decoder<T: DeserializeOwned>(bytes: &[u8]) -> impl FnMut() + '_ {
    move || {
        black_box(serde_json::from_slice::<T>(black_box(bytes)).expect("decodes"));
    }
}

struct Paired;

impl Comparison for Paired {
    fn compare<Ours, Derived>(&mut self, name: &str, bytes: &[u8])
    where
        Ours: DeserializeOwned + Serialize,
        Derived: DeserializeOwned + Serialize,
    {
        paired_rounds::measure(decoder::<Derived>(bytes), decoder::<Ours>(bytes)).print(name);
    }
}

fn main() {
    if paired_rounds::benchmarking() {
        each_response(&mut Paired);
    }
}
