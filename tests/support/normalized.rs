//! The normalizations under which a value decoded into a generated type and
//! encoded again still equals the original: numbers compare by value (`1`
//! equals `1.0`; `f32` fields to 1e-6) and `date-time` strings as instants
//! (`Z` equals `+00:00`, an offset-less timestamp is UTC).

use api_clients::runtime::Timestamp;
use serde_json::Value;

/// Compares two numbers or two strings up to the normalizations, naming
/// `at` in the error; `None` for any other pair, which the caller compares.
pub fn compare_scalars(original: &Value, encoded: &Value, at: &str) -> Option<Result<(), String>> {
    match (original, encoded) {
        (Value::Number(a), Value::Number(b)) => {
            let (a, b) = (
                a.as_f64().unwrap_or(f64::NAN),
                b.as_f64().unwrap_or(f64::NAN),
            );
            let close = a == b || (a - b).abs() <= 1e-6 * a.abs().max(b.abs());
            Some(
                close
                    .then_some(())
                    .ok_or_else(|| format!("at {at:?}: {a} became {b}")),
            )
        }
        (Value::String(a), Value::String(b)) => {
            let same =
                a == b || Timestamp::parse(a).is_some_and(|x| Timestamp::parse(b) == Some(x));
            Some(
                same.then_some(())
                    .ok_or_else(|| format!("at {at:?}: {a:?} became {b:?}")),
            )
        }
        _ => None,
    }
}
