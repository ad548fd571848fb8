//! Schema-valid instances of every JSON response body of both documents
//! decode into the generated type and write back equal (issue #13).
//!
//! `tools/response-instances.js` (json-schema-faker to draw, Ajv to keep
//! only instances valid against the schema; installed by `scripts/test.sh`
//! with `npm ci --prefix tools`) draws up to `PER_SCHEMA` instances of each
//! distinct response schema of the document as the generator reads it
//! (overlays applied), from a fixed seed. Each instance is decoded as the
//! type the client decodes that response into
//! (`schema_index::round_trip_response`) and encoded again. The result must
//! equal the instance, with two normalizations only:
//! - numbers compare by value (`1` equals `1.0`; `f32` fields to 1e-6);
//! - `date-time` strings compare as instants (`Timestamp` writes RFC 3339
//!   with `Z`).
//!
//! Constants are always written by the generated types; the script makes
//! them required before drawing, so instances carry them and no key is
//! added by encoding. Run with `-- --nocapture` for the figures
//! (docs/ROBUSTNESS.md, "Response instances").

use crate::support::document;
use crate::support::normalized;

use std::io::Write;
use std::path::Path;
use std::process::{Command, Stdio};
use std::time::Instant;

use api_clients_testing::{elevenlabs, tavus};
use serde::Deserialize;
use serde_json::Value;

const SEED: &str = "13";
const PER_SCHEMA: &str = "20";

type RoundTrip = fn(&str, Value) -> Option<Result<Value, String>>;

struct Api {
    name: &'static str,
    round_trip: RoundTrip,
}

const APIS: [Api; 2] = [
    Api {
        name: "elevenlabs",
        round_trip: elevenlabs::schema_index::round_trip_response,
    },
    Api {
        name: "tavus",
        round_trip: tavus::schema_index::round_trip_response,
    },
];

/// One line of the script's output: a distinct response schema.
#[derive(Deserialize)]
struct Drawn {
    pointers: Vec<String>,
    instances: Vec<Value>,
    drawn: usize,
}

/// Counts for one API. Each instance is checked at every response pointer
/// whose schema it was drawn for (`checks`).
#[derive(Default)]
struct Tally {
    schemas: usize,
    pointers: usize,
    drawn: usize,
    instances: usize,
    checks: usize,
    decoded: usize,
    round_tripped: usize,
    failures: Vec<String>,
}

#[test]
fn every_response_schema_instance_decodes_and_writes_back_equal() {
    let mut failures = Vec::new();
    for api in &APIS {
        let started = Instant::now();
        let tally = check_api(api);
        println!(
            "{}: {} response bodies ({} distinct schemas), {} drawn, {} valid instances, \
             {} checks, {} decoded, {} written back equal ({:.1} s)",
            api.name,
            tally.pointers,
            tally.schemas,
            tally.drawn,
            tally.instances,
            tally.checks,
            tally.decoded,
            tally.round_tripped,
            started.elapsed().as_secs_f64()
        );
        assert!(
            tally.instances >= tally.schemas,
            "{}: only {} instances for {} schemas; did the script draw nothing?",
            api.name,
            tally.instances,
            tally.schemas
        );
        failures.extend(tally.failures);
    }
    assert!(
        failures.is_empty(),
        "{} instances failed:\n{}",
        failures.len(),
        failures.join("\n")
    );
}

fn check_api(api: &Api) -> Tally {
    let mut tally = Tally::default();
    for drawn in draw_instances(api.name) {
        tally.schemas += 1;
        tally.pointers += drawn.pointers.len();
        tally.drawn += drawn.drawn;
        tally.instances += drawn.instances.len();
        for pointer in &drawn.pointers {
            for instance in &drawn.instances {
                tally.checks += 1;
                check_instance(api, pointer, instance, &mut tally);
            }
        }
    }
    tally
}

fn check_instance(api: &Api, pointer: &str, instance: &Value, tally: &mut Tally) {
    let failure = match (api.round_trip)(pointer, instance.clone()) {
        None => "not in the response index".to_owned(),
        Some(Err(error)) => format!("does not decode: {error}"),
        Some(Ok(encoded)) => {
            tally.decoded += 1;
            match same(instance, &encoded, "") {
                Ok(()) => {
                    tally.round_tripped += 1;
                    return;
                }
                Err(difference) => format!("written back differently: {difference}"),
            }
        }
    };
    tally.failures.push(format!(
        "{} {pointer}: {failure}\n  instance: {instance}",
        api.name
    ));
}

/// Runs tools/response-instances.js on the overlaid document.
fn draw_instances(name: &str) -> Vec<Drawn> {
    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    let faker = root.join("tools/node_modules/json-schema-faker");
    assert!(
        faker.exists(),
        "{} not found: install the test tools with `npm ci --prefix tools` (scripts/test.sh does)",
        faker.display()
    );
    let mut file = tempfile::NamedTempFile::new().expect("a temporary file");
    let doc = document::overlaid_document(name);
    serde_json::to_writer(&mut file, &doc).expect("the document is written");
    file.flush().expect("the document is flushed");
    let output = Command::new("node")
        .arg(root.join("tools/response-instances.js"))
        .arg(file.path())
        .args([SEED, PER_SCHEMA])
        .stdin(Stdio::null())
        .stderr(Stdio::inherit())
        .output()
        .expect("node runs (Node 20+ is needed for the test tools)");
    assert!(
        output.status.success(),
        "the script failed: {}",
        output.status
    );
    let text = String::from_utf8(output.stdout).expect("the script prints UTF-8");
    text.lines()
        .map(|line| serde_json::from_str(line).expect("a line of the script is JSON"))
        .collect()
}

/// Equality up to the normalizations in the module docs
/// (`support/normalized.rs`); the error names
/// the JSON pointer of the first difference.
fn same(original: &Value, encoded: &Value, at: &str) -> Result<(), String> {
    if let Some(result) = normalized::compare_scalars(original, encoded, at) {
        return result;
    }
    match (original, encoded) {
        (Value::Array(a), Value::Array(b)) if a.len() == b.len() => a
            .iter()
            .zip(b)
            .enumerate()
            .try_for_each(|(i, (x, y))| same(x, y, &format!("{at}/{i}"))),
        (Value::Object(a), Value::Object(b)) => {
            if let Some(key) = a.keys().find(|key| !b.contains_key(*key)) {
                return Err(format!("at {at:?}: {key:?} was dropped"));
            }
            if let Some(key) = b.keys().find(|key| !a.contains_key(*key)) {
                return Err(format!("at {at:?}: {key:?} was added = {}", b[key]));
            }
            a.iter()
                .try_for_each(|(key, value)| same(value, &b[key], &format!("{at}/{key}")))
        }
        (a, b) if a == b => Ok(()),
        (a, b) => Err(format!("at {at:?}: {a} became {b}")),
    }
}
