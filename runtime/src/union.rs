//! Support for unions (`oneOf`/`anyOf`).
//!
//! Unions with a `discriminator` read the discriminator property first and
//! then decode the whole object, tag included, into the member type. The
//! member types keep their tag field, so they serialize correctly both inside
//! and outside the union, and tags the generator has never seen are kept as
//! raw JSON instead of failing.
//!
//! Unions without one buffer the value and try their members in order
//! ([`try_member`]), as serde's `untagged` derive does.

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

/// Decodes `value` as `T` if it fits. Unions without a discriminator try
/// their members in order, the first that fits wins.
pub fn try_member<T: serde::de::DeserializeOwned>(value: &Value) -> Option<T> {
    T::deserialize(value).ok()
}

/// The error of a union without a discriminator that none of its members
/// fit (the message serde's `untagged` derive gives).
pub fn no_match<E: serde::de::Error>(union: &str) -> E {
    E::custom(format_args!(
        "data did not match any variant of untagged enum {union}"
    ))
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

    #[derive(Debug, PartialEq)]
    enum Either {
        Number(f64),
        Push(Push),
    }

    impl<'de> Deserialize<'de> for Either {
        fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
            let value = Value::deserialize(deserializer)?;
            if let Some(member) = try_member(&value) {
                return Ok(Either::Number(member));
            }
            if let Some(member) = try_member(&value) {
                return Ok(Either::Push(member));
            }
            Err(no_match("Either"))
        }
    }

    #[test]
    fn an_untagged_union_takes_the_first_member_that_fits() {
        let number: Either = serde_json::from_value(json!(2)).unwrap();
        assert_eq!(number, Either::Number(2.0));
        let push: Either = serde_json::from_value(json!({"type": "p", "target": "t"})).unwrap();
        assert_eq!(
            push,
            Either::Push(Push {
                r#type: "p".into(),
                target: "t".into()
            })
        );
        let error = serde_json::from_value::<Either>(json!("text")).unwrap_err();
        assert_eq!(
            error.to_string(),
            "data did not match any variant of untagged enum Either"
        );
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
