//! Checks that a JSON value survives decoding into a generated type and
//! encoding back, naming the JSON path of the first field that fails.

use serde::de::DeserializeOwned;
use serde::Serialize;
use serde_json::Value;

/// Decodes `value` as `T` and encodes it again.
///
/// The error names the path of the failing field, e.g.
/// `voice_settings.stability: invalid type: string "x", expected f64`.
pub fn round_trip<T: DeserializeOwned + Serialize>(value: Value) -> Result<Value, String> {
    let typed: T = serde_path_to_error::deserialize(value).map_err(|e| {
        let path = e.path().to_string();
        format!("{path}: {}", e.into_inner())
    })?;
    serde_json::to_value(&typed).map_err(|e| e.to_string())
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde::Deserialize;
    use serde_json::json;

    #[derive(Serialize, Deserialize)]
    struct Settings {
        stability: f64,
    }

    #[test]
    fn names_the_failing_field() {
        let err = round_trip::<Vec<Settings>>(json!([{"stability": 1.0}, {"stability": "x"}]))
            .unwrap_err();
        assert!(err.starts_with("[1].stability: invalid type"), "{err}");
    }

    #[test]
    fn returns_the_encoded_value() {
        assert_eq!(
            round_trip::<Settings>(json!({"stability": 0.5})).unwrap(),
            json!({"stability": 0.5})
        );
    }
}
