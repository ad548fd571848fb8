//! What decoding through `api_runtime::de::Decode` costs at run time,
//! against serde's derive for the same struct: a list of 200 voice-like
//! objects, each with strings, optional and nullable fields, a nested
//! struct, a list and unknown keys to skip.

use api_runtime::de::{Decode, FieldError, Input};
use api_runtime::Nullable;
use criterion::{criterion_group, Criterion};
use serde::{Deserialize, Deserializer};
use std::hint::black_box;

#[derive(Deserialize)]
#[allow(dead_code)]
struct DerivedSettings {
    stability: f64,
    #[serde(default)]
    speed: Option<f64>,
}

#[derive(Deserialize)]
#[allow(dead_code)]
struct DerivedVoice {
    voice_id: String,
    name: String,
    #[serde(default)]
    category: Option<String>,
    #[serde(default)]
    description: Nullable<String>,
    #[serde(default)]
    labels: Option<Vec<String>>,
    settings: DerivedSettings,
}

#[allow(dead_code)]
struct Settings {
    stability: f64,
    speed: Option<f64>,
}

impl<'de> Deserialize<'de> for Settings {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        api_runtime::de::deserialize(deserializer)
    }
}

impl Decode for Settings {
    fn decode(input: Input<'_, '_>) -> Result<Self, FieldError> {
        let mut stability_ = None;
        let mut speed_ = None;
        let object = input.object("Settings", &["stability"], &mut |key, field| match key {
            "stability" => field.read(&mut stability_),
            "speed" => field.read(&mut speed_),
            _ => field.skip(),
        })?;
        let Some(stability_) = stability_ else {
            return Err(object.incomplete());
        };
        Ok(Self {
            stability: stability_,
            speed: speed_.unwrap_or_default(),
        })
    }
}

#[allow(dead_code)]
struct Voice {
    voice_id: String,
    name: String,
    category: Option<String>,
    description: Nullable<String>,
    labels: Option<Vec<String>>,
    settings: Settings,
}

impl<'de> Deserialize<'de> for Voice {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        api_runtime::de::deserialize(deserializer)
    }
}

impl Decode for Voice {
    fn decode(input: Input<'_, '_>) -> Result<Self, FieldError> {
        let mut voice_id_ = None;
        let mut name_ = None;
        let mut category_ = None;
        let mut description_ = None;
        let mut labels_ = None;
        let mut settings_ = None;
        let object = input.object(
            "Voice",
            &["voice_id", "name", "settings"],
            &mut |key, field| match key {
                "voice_id" => field.read(&mut voice_id_),
                "name" => field.read(&mut name_),
                "category" => field.read(&mut category_),
                "description" => field.read(&mut description_),
                "labels" => field.read(&mut labels_),
                "settings" => field.decode(&mut settings_),
                _ => field.skip(),
            },
        )?;
        let (Some(voice_id_), Some(name_), Some(settings_)) = (voice_id_, name_, settings_) else {
            return Err(object.incomplete());
        };
        Ok(Self {
            voice_id: voice_id_,
            name: name_,
            category: category_.unwrap_or_default(),
            description: description_.unwrap_or_default(),
            labels: labels_.unwrap_or_default(),
            settings: settings_,
        })
    }
}

fn voices_json() -> Vec<u8> {
    let voices: Vec<serde_json::Value> = (0..200)
        .map(|i| {
            serde_json::json!({
                "voice_id": format!("voice-{i}"),
                "name": format!("Voice number {i}"),
                "category": "premade",
                "description": if i % 2 == 0 { serde_json::Value::Null } else { "calm".into() },
                "labels": ["en", "calm", "narration"],
                "settings": {"stability": 0.5, "speed": 1.0, "style": 0.1},
                "preview_url": "https://example.com/preview.mp3",
                "fine_tuning": {"state": {"eleven_v2": "fine_tuned"}, "files": [1, 2, 3]}
            })
        })
        .collect();
    serde_json::to_vec(&voices).expect("serializes")
}

fn decode(c: &mut Criterion) {
    let body = voices_json();
    let mut group = c.benchmark_group("decode 200 voices");
    group.bench_function("serde derive", |b| {
        b.iter(|| serde_json::from_slice::<Vec<DerivedVoice>>(black_box(&body)).unwrap())
    });
    group.bench_function("api_runtime::de::Decode", |b| {
        b.iter(|| serde_json::from_slice::<Vec<Voice>>(black_box(&body)).unwrap())
    });
    // What the client paid per response before it decoded untracked first.
    group.bench_function("api_runtime::de::Decode, path tracked", |b| {
        b.iter(|| {
            let mut deserializer = serde_json::Deserializer::from_slice(black_box(&body));
            serde_path_to_error::deserialize::<_, Vec<Voice>>(&mut deserializer).unwrap()
        })
    });
    group.finish();
}

#[path = "support/paired_rounds.rs"]
mod paired_rounds;

/// The derive and the runtime on the same 200 voices in paired rounds
/// (`benches/support/paired_rounds.rs`): the ratio a noisy machine moves least.
fn paired() {
    let body = voices_json();
    let derive = || {
        black_box(serde_json::from_slice::<Vec<DerivedVoice>>(black_box(&body)).unwrap());
    };
    let runtime = || {
        black_box(serde_json::from_slice::<Vec<Voice>>(black_box(&body)).unwrap());
    };
    paired_rounds::measure(derive, runtime).print("decode_200_voices");
}

criterion_group!(benches, decode);

fn main() {
    benches();
    Criterion::default().configure_from_args().final_summary();
    if paired_rounds::benchmarking() {
        paired();
    }
}
