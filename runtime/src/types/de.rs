//! Decoding of generated structs, written once.
//!
//! `#[derive(Deserialize)]` writes a field enum, three key visitors, a
//! sequence visitor and a map visitor for every struct: about half of all
//! the code rustc checks in a large generated crate. Generated structs
//! instead call [`object`] with one closure that stores each known field in
//! its slot. The map walking, key reading and skipping of unknown fields
//! live here, and field values go through a type-erased deserializer
//! ([`erased_serde`]), so the per-struct code is one small non-generic
//! match. Values are read as they stream in (nothing is buffered), and
//! `serde_path_to_error` still sees every nested field.
//!
//! ```ignore
//! impl<'de> Deserialize<'de> for Voice {
//!     fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
//!         let mut voice_id_ = None;
//!         let mut name_ = None;
//!         let object = api_runtime::de::object(deserializer, "Voice", &["voice_id"], &mut |key, field| {
//!             match key {
//!                 "voice_id" => field.read(&mut voice_id_),
//!                 "name" => field.read(&mut name_),
//!                 _ => field.skip(),
//!             }
//!         })?;
//!         let Some(voice_id_) = voice_id_ else {
//!             return Err(object.incomplete());
//!         };
//!         Ok(Voice {
//!             voice_id: voice_id_,
//!             name: name_.unwrap_or_default(),
//!         })
//!     }
//! }
//! ```

use std::borrow::Cow;
use std::fmt;
use std::marker::PhantomData;

use serde::de::{self, DeserializeSeed, Deserializer, IgnoredAny, MapAccess, Visitor};
use serde::Deserialize;

use crate::types::union::{catch_all, Fit};

/// The error a field's decoding fails with; converted into the outer
/// deserializer's error by [`object`].
pub type FieldError = erased_serde::Error;

/// Called once per key of the object, with the key and its value.
pub type FieldVisitor<'f, 'de> = dyn FnMut(&str, Field<'_, 'de>) -> Result<(), FieldError> + 'f;

/// One value of the object being decoded, not read yet.
pub struct Field<'a, 'de> {
    key: &'a str,
    value: &'a mut dyn erased_serde::Deserializer<'de>,
}

impl<'de> Field<'_, 'de> {
    /// Decodes the value into `slot`; a key seen twice is an error, as with
    /// derived implementations.
    pub fn read<T: Deserialize<'de>>(self, slot: &mut Option<T>) -> Result<(), FieldError> {
        if slot.is_some() {
            return Err(duplicate(self.key));
        }
        *slot = Some(erased_serde::deserialize(self.value)?);
        Ok(())
    }

    /// Decodes the value of an optional field that holds any JSON value
    /// (`Option<serde_json::Value>`): a present `null` is a value,
    /// `Some(Value::Null)`, written back as `null`, where [`Field::read`]
    /// would make it `None`, the field absent.
    pub fn read_json(self, slot: &mut Option<Option<serde_json::Value>>) -> Result<(), FieldError> {
        if slot.is_some() {
            return Err(duplicate(self.key));
        }
        *slot = Some(Some(erased_serde::deserialize(self.value)?));
        Ok(())
    }

    /// Reads past a value the struct has no field for; an error while a
    /// union looks for a member that holds the whole value
    /// ([`crate::types::union::first_fit`]).
    pub fn skip(self) -> Result<(), FieldError> {
        self.skip_unless(Fit::Exact)
    }

    /// A key that a closed struct (`additionalProperties: false`) does not
    /// declare: read past, but an error already while a union looks for a
    /// valid member.
    pub fn undeclared(self) -> Result<(), FieldError> {
        self.skip_unless(Fit::Valid)
    }

    fn skip_unless(self, refused_from: Fit) -> Result<(), FieldError> {
        catch_all(refused_from, format_args!("unknown field `{}`", self.key))?;
        IgnoredAny::deserialize(self.value).map(drop)
    }
}

fn duplicate(key: &str) -> FieldError {
    de::Error::custom(format_args!("duplicate field `{key}`"))
}

/// `deserialize_with` for an optional any-JSON field of a struct that
/// derives `Deserialize` (with `default`): like [`Field::read_json`], a
/// present `null` is `Some(Value::Null)`.
pub fn json_or_null<'de, D: Deserializer<'de>>(
    deserializer: D,
) -> Result<Option<serde_json::Value>, D::Error> {
    serde_json::Value::deserialize(deserializer).map(Some)
}

impl fmt::Debug for Field<'_, '_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Field").field("key", &self.key).finish()
    }
}

/// What [`object`] returns once every key is read. Every required key was
/// present (a missing one is reported with the input's position), so the
/// slots of required fields are filled; [`Object::incomplete`] is the error
/// for a struct whose slots disagree with its list of required keys.
pub struct Object<E> {
    name: &'static str,
    error: PhantomData<E>,
}

impl<E: de::Error> Object<E> {
    /// The error for a required slot left empty although its key was
    /// required: a mistake in the struct's `Deserialize`, not in the input.
    pub fn incomplete(&self) -> E {
        E::custom(format_args!(
            "struct {}: a required field was not stored",
            self.name
        ))
    }
}

impl<E> fmt::Debug for Object<E> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("Object")
    }
}

/// Reads a JSON object, handing each key and value to `fields`. `name` is
/// the struct's, for "expected struct …" messages; a key of `required`
/// that does not appear is a "missing field" error, reported at the end of
/// the object as serde's derive does.
pub fn object<'de, D: Deserializer<'de>>(
    deserializer: D,
    name: &'static str,
    required: &'static [&'static str],
    fields: &mut FieldVisitor<'_, 'de>,
) -> Result<Object<D::Error>, D::Error> {
    deserializer.deserialize_map(ObjectVisitor {
        name,
        required,
        fields,
    })?;
    Ok(Object {
        name,
        error: PhantomData,
    })
}

struct ObjectVisitor<'f, 'g, 'de> {
    name: &'static str,
    required: &'static [&'static str],
    fields: &'f mut FieldVisitor<'g, 'de>,
}

impl<'de> Visitor<'de> for ObjectVisitor<'_, '_, 'de> {
    type Value = ();

    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "struct {}", self.name)
    }

    fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<(), A::Error> {
        // On the stack for the usual handful of required fields.
        let (mut inline, mut heap) = ([false; 32], Vec::new());
        let seen: &mut [bool] = match self.required.len() {
            n if n <= inline.len() => &mut inline[..n],
            n => {
                heap.resize(n, false);
                &mut heap
            }
        };
        while let Some(Key(key)) = map.next_key()? {
            if let Some(index) = self.required.iter().position(|name| *name == key) {
                seen[index] = true;
            }
            map.next_value_seed(ValueSeed {
                key: &key,
                fields: &mut *self.fields,
            })?;
        }
        match seen.iter().position(|seen| !seen) {
            Some(index) => Err(de::Error::missing_field(self.required[index])),
            None => Ok(()),
        }
    }
}

/// A key, borrowed from the input when it has no escapes.
struct Key<'de>(Cow<'de, str>);

impl<'de> Deserialize<'de> for Key<'de> {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        deserializer.deserialize_str(KeyVisitor)
    }
}

struct KeyVisitor;

impl<'de> Visitor<'de> for KeyVisitor {
    type Value = Key<'de>;

    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("a field name")
    }

    fn visit_borrowed_str<E: de::Error>(self, key: &'de str) -> Result<Key<'de>, E> {
        Ok(Key(Cow::Borrowed(key)))
    }

    fn visit_str<E: de::Error>(self, key: &str) -> Result<Key<'de>, E> {
        Ok(Key(Cow::Owned(key.to_owned())))
    }

    fn visit_string<E: de::Error>(self, key: String) -> Result<Key<'de>, E> {
        Ok(Key(Cow::Owned(key)))
    }
}

struct ValueSeed<'a, 'f, 'g, 'de> {
    key: &'a str,
    fields: &'f mut FieldVisitor<'g, 'de>,
}

impl<'de> DeserializeSeed<'de> for ValueSeed<'_, '_, '_, 'de> {
    type Value = ();

    fn deserialize<D: Deserializer<'de>>(self, deserializer: D) -> Result<(), D::Error> {
        let mut value = <dyn erased_serde::Deserializer>::erase(deserializer);
        let field = Field {
            key: self.key,
            value: &mut value,
        };
        (self.fields)(self.key, field).map_err(de::Error::custom)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::Nullable;
    use serde_json::json;

    #[derive(Debug, PartialEq)]
    struct Voice {
        voice_id: String,
        name: Option<String>,
        labels: Vec<String>,
        description: Nullable<String>,
        inner: Option<Box<Voice>>,
        extra: Option<serde_json::Value>,
    }

    impl<'de> Deserialize<'de> for Voice {
        fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
            let mut voice_id_ = None;
            let mut name_ = None;
            let mut labels_ = None;
            let mut description_ = None;
            let mut inner_ = None;
            let mut extra_ = None;
            let object = object(
                deserializer,
                "Voice",
                &["voice_id"],
                &mut |key, field| match key {
                    "voice_id" => field.read(&mut voice_id_),
                    "name" => field.read(&mut name_),
                    "labels" => field.read(&mut labels_),
                    "description" => field.read(&mut description_),
                    "inner" => field.read(&mut inner_),
                    "any" => field.read_json(&mut extra_),
                    _ => field.skip(),
                },
            )?;
            let Some(voice_id_) = voice_id_ else {
                return Err(object.incomplete());
            };
            Ok(Voice {
                voice_id: voice_id_,
                name: name_.unwrap_or_default(),
                labels: labels_.unwrap_or_default(),
                description: description_.unwrap_or_default(),
                inner: inner_.unwrap_or_default(),
                extra: extra_.unwrap_or_default(),
            })
        }
    }

    fn voice(id: &str) -> Voice {
        Voice {
            voice_id: id.to_owned(),
            name: None,
            labels: Vec::new(),
            description: Nullable::Absent,
            inner: None,
            extra: None,
        }
    }

    fn decode(text: &str) -> Result<Voice, String> {
        let mut deserializer = serde_json::Deserializer::from_str(text);
        serde_path_to_error::deserialize(&mut deserializer)
            .map_err(|error| format!("{}: {}", error.path(), error.inner()))
    }

    #[test]
    fn reads_fields_defaults_and_skips_unknown_keys() {
        let text = r#"{"extra": {"deep": [1, {"x": null}]}, "voice_id": "v1",
            "labels": ["a"], "description": null, "name": "N\u00e9"}"#;
        let decoded = decode(text).unwrap();
        assert_eq!(
            decoded,
            Voice {
                name: Some("Né".to_owned()),
                labels: vec!["a".to_owned()],
                description: Nullable::Null,
                ..voice("v1")
            }
        );
    }

    #[test]
    fn an_absent_nullable_field_stays_absent() {
        let decoded: Voice = serde_json::from_value(json!({"voice_id": "v1"})).unwrap();
        assert_eq!(decoded, voice("v1"));
    }

    #[test]
    fn a_null_in_an_optional_any_json_field_is_kept_as_a_value() {
        let null: Voice = serde_json::from_value(json!({"voice_id": "v1", "any": null})).unwrap();
        assert_eq!(null.extra, Some(serde_json::Value::Null));
        let absent: Voice = serde_json::from_value(json!({"voice_id": "v1"})).unwrap();
        assert_eq!(absent.extra, None);
        let error = decode(r#"{"voice_id": "v", "any": 1, "any": 2}"#).unwrap_err();
        assert!(error.contains("duplicate field `any`"), "{error}");
    }

    #[test]
    fn json_or_null_keeps_a_present_null() {
        #[derive(Deserialize)]
        struct Derived {
            #[serde(default, deserialize_with = "json_or_null")]
            any: Option<serde_json::Value>,
        }
        let null: Derived = serde_json::from_value(json!({"any": null})).unwrap();
        assert_eq!(null.any, Some(serde_json::Value::Null));
        let absent: Derived = serde_json::from_value(json!({})).unwrap();
        assert_eq!(absent.any, None);
    }

    #[test]
    fn reports_a_missing_required_field_by_name_and_position() {
        let error = decode(r#"{"name": "x"}"#).unwrap_err();
        assert_eq!(error, ".: missing field `voice_id` at line 1 column 13");
    }

    #[test]
    fn reports_a_duplicate_field() {
        let error = decode(r#"{"voice_id": "a", "voice_id": "b"}"#).unwrap_err();
        assert!(error.contains("duplicate field `voice_id`"), "{error}");
    }

    #[test]
    fn names_the_path_of_a_nested_failure() {
        let text = r#"{"voice_id": "a", "inner": {"voice_id": "b", "labels": ["x", 7]}}"#;
        let error = decode(text).unwrap_err();
        assert!(error.starts_with("inner.labels[1]: "), "{error}");
        assert_eq!(error.matches(" at line ").count(), 1, "{error}");
        assert!(error.contains("invalid type: integer `7`"), "{error}");
    }

    #[test]
    fn rejects_a_non_object_naming_the_struct() {
        let error = decode(r#"["a"]"#).unwrap_err();
        assert!(error.contains("expected struct Voice"), "{error}");
    }

    #[test]
    fn reads_from_a_value_too() {
        let value = json!({"voice_id": "a", "inner": {"voice_id": "b"}});
        let decoded: Voice = serde_json::from_value(value).unwrap();
        assert_eq!(decoded.inner.unwrap().voice_id, "b");
    }

    /// A struct whose required slot is not among the keys it declares
    /// required gets an error naming it, not a panic.
    #[test]
    fn a_slot_left_empty_is_an_error_naming_the_struct() {
        struct Mismatched;
        impl<'de> Deserialize<'de> for Mismatched {
            fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
                let mut id_: Option<String> = None;
                let object = object(
                    deserializer,
                    "Mismatched",
                    &[],
                    &mut |key, field| match key {
                        "id" => field.read(&mut id_),
                        _ => field.skip(),
                    },
                )?;
                let Some(_) = id_ else {
                    return Err(object.incomplete());
                };
                Ok(Mismatched)
            }
        }
        let error = serde_json::from_str::<Mismatched>("{}").err().unwrap();
        assert!(
            error
                .to_string()
                .starts_with("struct Mismatched: a required field was not stored"),
            "{error}"
        );
        assert!(serde_json::from_str::<Mismatched>(r#"{"id": "x"}"#).is_ok());
    }
}
