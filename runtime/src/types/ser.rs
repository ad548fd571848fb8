//! Encoding of generated structs, written once.
//!
//! `#[derive(Serialize)]` writes, for every struct, a generic function that
//! rustc checks per struct and compiles again for every serializer it is
//! used with. Generated structs instead list their fields for [`object`]:
//! each value is passed as a type-erased [`erased_serde::Serialize`], so the
//! per-struct code is one small array, and the walk over the fields is
//! compiled once per serializer for the whole crate. The output is the
//! derive's: fields in declaration order, absent optional fields left out.
//!
//! ```ignore
//! impl Serialize for Voice {
//!     fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
//!         api_runtime::ser::object(serializer, "Voice", &[
//!             api_runtime::ser::field("voice_id", &self.voice_id),
//!             api_runtime::ser::optional("name", &self.name),
//!         ])
//!     }
//! }
//! ```

use serde::ser::{SerializeStruct, Serializer};
use serde::Serialize;

use crate::types::nullable::Nullable;

/// One field of a struct being encoded: its wire name, and its value unless
/// the field is left out.
#[derive(Clone, Copy)]
pub struct Field<'a> {
    name: &'static str,
    value: Option<&'a dyn erased_serde::Serialize>,
}

impl std::fmt::Debug for Field<'_> {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Field")
            .field("name", &self.name)
            .field("present", &self.value.is_some())
            .finish()
    }
}

/// A field that is always written (`null` included).
#[inline]
pub fn field<'a, T: Serialize>(name: &'static str, value: &'a T) -> Field<'a> {
    Field {
        name,
        value: Some(value),
    }
}

/// A field that is left out when it holds no value ([`Omittable`]).
#[inline]
pub fn optional<'a, T: Serialize + Omittable>(name: &'static str, value: &'a T) -> Field<'a> {
    Field {
        name,
        value: (!value.is_omitted()).then_some(value as &dyn erased_serde::Serialize),
    }
}

/// Values an optional field leaves out of the encoded object.
pub trait Omittable {
    /// True when the field is not written at all.
    fn is_omitted(&self) -> bool;
}

impl<T> Omittable for Option<T> {
    fn is_omitted(&self) -> bool {
        self.is_none()
    }
}

impl<T> Omittable for Nullable<T> {
    fn is_omitted(&self) -> bool {
        self.is_absent()
    }
}

/// Writes a struct named `name` with the fields given, in their order.
pub fn object<S: Serializer>(
    serializer: S,
    name: &'static str,
    fields: &[Field<'_>],
) -> Result<S::Ok, S::Error> {
    let present = fields.iter().filter(|field| field.value.is_some()).count();
    let mut state = serializer.serialize_struct(name, present)?;
    for field in fields {
        match field.value {
            Some(value) => state.serialize_field(field.name, value)?,
            None => state.skip_field(field.name)?,
        }
    }
    state.end()
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[derive(Debug, Clone, PartialEq, Serialize)]
    struct Derived {
        id: String,
        #[serde(skip_serializing_if = "Option::is_none")]
        name: Option<String>,
        #[serde(rename = "max-count", skip_serializing_if = "Nullable::is_absent")]
        max_count: Nullable<u32>,
        deleted_at: Option<String>,
        inner: Vec<Inner>,
    }

    #[derive(Debug, Clone, PartialEq, Serialize)]
    struct Inner {
        #[serde(skip_serializing_if = "Option::is_none")]
        label: Option<String>,
    }

    /// The same shape as `Derived`, encoded through [`object`].
    struct Listed(Derived);

    struct ListedInner<'a>(&'a Inner);

    impl Serialize for Listed {
        fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
            let inner: Vec<ListedInner> = self.0.inner.iter().map(ListedInner).collect();
            object(
                serializer,
                "Derived",
                &[
                    field("id", &self.0.id),
                    optional("name", &self.0.name),
                    optional("max-count", &self.0.max_count),
                    field("deleted_at", &self.0.deleted_at),
                    field("inner", &inner),
                ],
            )
        }
    }

    impl Serialize for ListedInner<'_> {
        fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
            object(serializer, "Inner", &[optional("label", &self.0.label)])
        }
    }

    fn sample(name: Option<&str>, max_count: Nullable<u32>) -> Derived {
        Derived {
            id: "v1".into(),
            name: name.map(str::to_owned),
            max_count,
            deleted_at: None,
            inner: vec![
                Inner { label: None },
                Inner {
                    label: Some("x".into()),
                },
            ],
        }
    }

    #[test]
    fn absent_optional_fields_are_left_out_and_required_nulls_written() {
        let value = serde_json::to_value(Listed(sample(None, Nullable::Absent))).unwrap();
        assert_eq!(
            value,
            json!({"id": "v1", "deleted_at": null, "inner": [{}, {"label": "x"}]})
        );
    }

    #[test]
    fn present_and_null_optional_fields_are_written() {
        let value = serde_json::to_value(Listed(sample(Some("n"), Nullable::Null))).unwrap();
        assert_eq!(value["name"], json!("n"));
        assert_eq!(value["max-count"], json!(null));
        let value = serde_json::to_value(Listed(sample(None, Nullable::Value(3)))).unwrap();
        assert_eq!(value["max-count"], json!(3));
    }

    #[test]
    fn output_is_byte_identical_to_the_derive() {
        for (name, max_count) in [
            (None, Nullable::Absent),
            (Some("n"), Nullable::Null),
            (Some("é \"q\""), Nullable::Value(7)),
        ] {
            let derived = sample(name, max_count);
            assert_eq!(
                serde_json::to_string(&Listed(derived.clone())).unwrap(),
                serde_json::to_string(&derived).unwrap()
            );
        }
    }
}
