//! The text forms that path, query, header and multipart parameters take.
//!
//! Every parameter goes through `serde_json::Value` so that one set of rules
//! covers strings, numbers, booleans, enums (their serde string) and
//! timestamps alike.

use serde::Serialize;
use serde_json::Value;

/// Serializes a parameter value.
pub(crate) fn to_value<T: Serialize + ?Sized>(value: &T) -> Result<Value, serde_json::Error> {
    serde_json::to_value(value)
}

/// The text of one value: `None` for `null`; strings raw; numbers and
/// booleans as JSON writes them; arrays and objects as JSON text.
pub(crate) fn scalar_text(value: &Value) -> Option<String> {
    match value {
        Value::Null => None,
        Value::String(text) => Some(text.clone()),
        Value::Bool(flag) => Some(flag.to_string()),
        Value::Number(number) => Some(number.to_string()),
        Value::Array(_) | Value::Object(_) => Some(value.to_string()),
    }
}

/// The texts of an exploded parameter: one per array element (`null`
/// elements skipped), or the single text of a non-array value.
pub(crate) fn exploded_texts(value: &Value) -> Vec<String> {
    match value {
        Value::Array(items) => items.iter().filter_map(scalar_text).collect(),
        other => scalar_text(other).into_iter().collect(),
    }
}

/// The elements of an array joined by `separator`, or the single text of a
/// non-array value; `None` when nothing is left to send.
pub(crate) fn joined_text(value: &Value, separator: &str) -> Option<String> {
    match value {
        Value::Null => None,
        Value::Array(_) => Some(exploded_texts(value).join(separator)),
        other => scalar_text(other),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn scalars_become_plain_text() {
        assert_eq!(scalar_text(&json!("a b")), Some("a b".to_owned()));
        assert_eq!(scalar_text(&json!(true)), Some("true".to_owned()));
        assert_eq!(scalar_text(&json!(1.5)), Some("1.5".to_owned()));
        assert_eq!(scalar_text(&json!(-3)), Some("-3".to_owned()));
        assert_eq!(scalar_text(&json!(null)), None);
    }

    #[test]
    fn objects_become_json_text() {
        assert_eq!(scalar_text(&json!({"a": 1})), Some(r#"{"a":1}"#.to_owned()));
    }

    #[test]
    fn arrays_explode_and_skip_nulls() {
        assert_eq!(exploded_texts(&json!(["a", null, 2])), vec!["a", "2"]);
        assert_eq!(exploded_texts(&json!(null)), Vec::<String>::new());
        assert_eq!(exploded_texts(&json!(false)), vec!["false"]);
    }

    #[test]
    fn arrays_join_with_the_separator() {
        assert_eq!(
            joined_text(&json!(["a", "b", 3]), ","),
            Some("a,b,3".to_owned())
        );
        assert_eq!(joined_text(&json!("x"), ","), Some("x".to_owned()));
        assert_eq!(joined_text(&json!(null), ","), None);
    }
}
