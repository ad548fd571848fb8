//! Support for discriminated unions (`oneOf`/`anyOf` with a `discriminator`).
//!
//! Generated unions read the discriminator property first and then decode the
//! whole object, tag included, into the member type. The member types keep
//! their tag field, so they serialize correctly both inside and outside the
//! union, and tags the generator has never seen are kept as raw JSON instead
//! of failing.

use serde::de::Error as _;
use serde::{Deserialize, Deserializer};
use serde_json::Value;

/// Reads a JSON object and its discriminator value.
///
/// Returns the tag (or `None` when the property is missing or not a string)
/// together with the whole object, so that it can be decoded into the member
/// type that the tag selects.
pub fn read_tagged<'de, D: Deserializer<'de>>(
    deserializer: D,
    property: &str,
) -> Result<(Option<String>, Value), D::Error> {
    let value = Value::deserialize(deserializer)?;
    let tag = value
        .get(property)
        .and_then(Value::as_str)
        .map(str::to_owned);
    Ok((tag, value))
}

/// Decodes a union member from the object that [`read_tagged`] returned,
/// converting the error into the outer deserializer's error type.
pub fn decode_member<'de, T, D>(value: Value) -> Result<T, D::Error>
where
    T: serde::de::DeserializeOwned,
    D: Deserializer<'de>,
{
    serde_json::from_value(value).map_err(D::Error::custom)
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde::Serialize;
    use serde_json::json;

    #[derive(Debug, PartialEq, Serialize, Deserialize)]
    struct Push {
        r#type: String,
        target: String,
    }

    #[derive(Debug, PartialEq, Serialize)]
    #[serde(untagged)]
    enum Op {
        Push(Push),
        Unknown(Value),
    }

    impl<'de> Deserialize<'de> for Op {
        fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
            let (tag, value) = read_tagged(deserializer, "type")?;
            match tag.as_deref() {
                Some("push") => decode_member::<_, D>(value).map(Op::Push),
                _ => Ok(Op::Unknown(value)),
            }
        }
    }

    #[test]
    fn selects_the_member_by_tag_and_keeps_the_tag_field() {
        let body = json!({"type": "push", "target": "a"});
        let op: Op = serde_json::from_value(body.clone()).unwrap();
        assert_eq!(
            op,
            Op::Push(Push {
                r#type: "push".into(),
                target: "a".into()
            })
        );
        assert_eq!(serde_json::to_value(&op).unwrap(), body);
    }

    #[test]
    fn keeps_unknown_tags_as_raw_json() {
        let body = json!({"type": "teleport", "x": 1});
        let op: Op = serde_json::from_value(body.clone()).unwrap();
        assert_eq!(op, Op::Unknown(body.clone()));
        assert_eq!(serde_json::to_value(&op).unwrap(), body);
    }

    #[test]
    fn reports_a_member_that_does_not_match_its_tag() {
        let err = serde_json::from_value::<Op>(json!({"type": "push"})).unwrap_err();
        assert!(err.to_string().contains("target"), "{err}");
    }
}
