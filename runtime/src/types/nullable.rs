//! Fields that can be absent, `null` or a value.

use serde::{Deserialize, Deserializer, Serialize, Serializer};

/// A field that is both optional and nullable: it can be absent, explicitly
/// `null`, or hold a value.
///
/// `Option<T>` cannot tell "leave unchanged" (absent) from "clear it"
/// (`null`), which PATCH-style request bodies need. With serde's derive such
/// a field is declared as
///
/// ```ignore
/// #[serde(default, skip_serializing_if = "Nullable::is_absent")]
/// pub name: Nullable<String>,
/// ```
///
/// (generated structs get the same from [`crate::types::ser::optional`] and
/// [`crate::types::de::object`]), so an absent field stays absent on the wire, `Null` is sent as `null`,
/// and deserializing distinguishes the three cases.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Default)]
pub enum Nullable<T> {
    /// The field is not present.
    #[default]
    Absent,
    /// The field is present and `null`.
    Null,
    /// The field is present with a value.
    Value(T),
}

impl<T> Nullable<T> {
    /// True when the field is not present; used by `skip_serializing_if`.
    pub fn is_absent(&self) -> bool {
        matches!(self, Nullable::Absent)
    }

    /// True when the field is present and `null`.
    pub fn is_null(&self) -> bool {
        matches!(self, Nullable::Null)
    }

    /// The value, if there is one (absent and `null` both give `None`).
    pub fn value(&self) -> Option<&T> {
        match self {
            Nullable::Value(value) => Some(value),
            Nullable::Absent | Nullable::Null => None,
        }
    }

    /// Converts into an `Option`, folding absent and `null` into `None`.
    pub fn into_option(self) -> Option<T> {
        match self {
            Nullable::Value(value) => Some(value),
            Nullable::Absent | Nullable::Null => None,
        }
    }

    /// Borrows the contents.
    pub fn as_ref(&self) -> Nullable<&T> {
        match self {
            Nullable::Absent => Nullable::Absent,
            Nullable::Null => Nullable::Null,
            Nullable::Value(value) => Nullable::Value(value),
        }
    }

    /// Maps the value, keeping absent and `null` as they are.
    pub fn map<U>(self, f: impl FnOnce(T) -> U) -> Nullable<U> {
        match self {
            Nullable::Absent => Nullable::Absent,
            Nullable::Null => Nullable::Null,
            Nullable::Value(value) => Nullable::Value(f(value)),
        }
    }
}

impl<T> From<T> for Nullable<T> {
    fn from(value: T) -> Self {
        Nullable::Value(value)
    }
}

/// `Some(v)` becomes a value and `None` becomes an explicit `null`.
impl<T> From<Option<T>> for Nullable<T> {
    fn from(value: Option<T>) -> Self {
        value.map_or(Nullable::Null, Nullable::Value)
    }
}

impl<T: Serialize> Serialize for Nullable<T> {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        match self {
            Nullable::Value(value) => serializer.serialize_some(value),
            Nullable::Absent | Nullable::Null => serializer.serialize_none(),
        }
    }
}

impl<'de, T: Deserialize<'de>> Deserialize<'de> for Nullable<T> {
    /// Only called when the field is present (absent fields take the
    /// `#[serde(default)]`), so `null` here means an explicit null.
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        Option::<T>::deserialize(deserializer).map(Nullable::from)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[derive(Debug, PartialEq, Serialize, Deserialize)]
    struct Patch {
        #[serde(default, skip_serializing_if = "Nullable::is_absent")]
        name: Nullable<String>,
    }

    #[test]
    fn distinguishes_absent_null_and_value_when_reading() {
        let absent: Patch = serde_json::from_value(json!({})).unwrap();
        let null: Patch = serde_json::from_value(json!({"name": null})).unwrap();
        let value: Patch = serde_json::from_value(json!({"name": "x"})).unwrap();
        assert_eq!(absent.name, Nullable::Absent);
        assert_eq!(null.name, Nullable::Null);
        assert_eq!(value.name, Nullable::Value("x".to_owned()));
    }

    #[test]
    fn writes_each_state_back_as_it_was() {
        for body in [json!({}), json!({"name": null}), json!({"name": "x"})] {
            let patch: Patch = serde_json::from_value(body.clone()).unwrap();
            assert_eq!(serde_json::to_value(&patch).unwrap(), body);
        }
    }

    #[test]
    fn option_conversion_maps_none_to_explicit_null() {
        assert_eq!(Nullable::<u8>::from(None), Nullable::Null);
        assert_eq!(Nullable::from(Some(3)).into_option(), Some(3));
        assert_eq!(Nullable::<u8>::Absent.into_option(), None);
    }
}
