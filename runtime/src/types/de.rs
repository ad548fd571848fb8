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
//! Erasure costs time at run time: every call crosses a virtual layer, and
//! a value wider than two words (a `String`, a `Vec`) is boxed on its way
//! back. So the values most fields hold (text, numbers, flags, lists of
//! text, any JSON) and the values skipped are read with the map's own
//! deserializer (`Pending`), and keys are stored into a slot rather than
//! returned; generated types, and lists and maps of them, go through the
//! erased one.
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

use std::any::{Any, TypeId};
use std::borrow::Cow;
use std::fmt;
use std::marker::PhantomData;

use serde::de::{self, DeserializeSeed, Deserializer, IgnoredAny, MapAccess, Visitor};
use serde::Deserialize;

use crate::types::nullable::Nullable;
use crate::types::union::{catch_all, Fit};

/// The error a field's decoding fails with; converted into the outer
/// deserializer's error by [`object`].
pub type FieldError = erased_serde::Error;

/// Called once per key of the object, with the key and its value.
pub type FieldVisitor<'f, 'de> = dyn FnMut(&str, Field<'_, 'de>) -> Result<(), FieldError> + 'f;

/// One value of the object being decoded, not read yet.
pub struct Field<'a, 'de> {
    key: &'a str,
    value: &'a mut dyn PendingValue<'de>,
}

impl<'de> Field<'_, 'de> {
    /// Decodes the value into `slot`; a key seen twice is an error, as with
    /// derived implementations.
    pub fn read<T: Deserialize<'de> + 'static>(
        self,
        slot: &mut Option<T>,
    ) -> Result<(), FieldError> {
        if slot.is_some() {
            return Err(duplicate(self.key));
        }
        if self.value.read_common(slot)? {
            return Ok(());
        }
        self.value.read_erased(&mut |value| {
            *slot = Some(erased_serde::deserialize(value)?);
            Ok(())
        })
    }

    /// Decodes the value of an optional field that holds any JSON value
    /// (`Option<serde_json::Value>`): a present `null` is a value,
    /// `Some(Value::Null)`, written back as `null`, where [`Field::read`]
    /// would make it `None`, the field absent.
    pub fn read_json(self, slot: &mut Option<Option<serde_json::Value>>) -> Result<(), FieldError> {
        if slot.is_some() {
            return Err(duplicate(self.key));
        }
        let mut value: Option<serde_json::Value> = None;
        self.read(&mut value)?;
        *slot = Some(value);
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
        self.value.skip()
    }
}

/// The value of one key, as the map handed it over; object-safe, so that
/// [`Field`] and the per-struct closure stay non-generic.
trait PendingValue<'de> {
    /// Reads past the value.
    fn skip(&mut self) -> Result<(), FieldError>;

    /// Decodes the value into `slot` when its type is one of
    /// [`Pending::read_common`]'s; `false` (the value left unread) for any
    /// other.
    fn read_common(&mut self, slot: &mut dyn Any) -> Result<bool, FieldError>;

    /// Hands the value to `read` as a type-erased deserializer.
    fn read_erased(
        &mut self,
        read: &mut dyn FnMut(&mut dyn erased_serde::Deserializer<'de>) -> Result<(), FieldError>,
    ) -> Result<(), FieldError>;
}

/// Whether a slot of this type id holds a `T`.
fn holds<T: 'static>(id: TypeId) -> bool {
    id == TypeId::of::<Option<T>>()
}

/// A value's own deserializer, until something reads it.
struct Pending<D>(Option<D>);

impl<'de, D: Deserializer<'de>> Pending<D> {
    fn take(&mut self) -> Result<D, FieldError> {
        self.0
            .take()
            .ok_or_else(|| de::Error::custom("a field's value was read twice"))
    }

    /// Decodes into `slot` if it is an `Option<T>`.
    fn read_as<T: Deserialize<'de> + 'static>(
        &mut self,
        slot: &mut dyn Any,
    ) -> Option<Result<(), FieldError>> {
        let slot = slot.downcast_mut::<Option<T>>()?;
        Some(self.take().and_then(|deserializer| {
            *slot = Some(T::deserialize(deserializer).map_err(de::Error::custom)?);
            Ok(())
        }))
    }
}

impl<'de, D: Deserializer<'de>> PendingValue<'de> for Pending<D> {
    fn skip(&mut self) -> Result<(), FieldError> {
        IgnoredAny::deserialize(self.take()?)
            .map(drop)
            .map_err(de::Error::custom)
    }

    fn read_common(&mut self, slot: &mut dyn Any) -> Result<bool, FieldError> {
        // One virtual `type_id` call, where a chain of `downcast_mut`s would
        // make one per type tried.
        let id = (*slot).type_id();
        let read = match () {
            _ if holds::<String>(id) => self.read_as::<String>(slot),
            _ if holds::<Option<String>>(id) => self.read_as::<Option<String>>(slot),
            _ if holds::<Nullable<String>>(id) => self.read_as::<Nullable<String>>(slot),
            _ if holds::<Option<bool>>(id) => self.read_as::<Option<bool>>(slot),
            _ if holds::<Option<i64>>(id) => self.read_as::<Option<i64>>(slot),
            _ if holds::<Option<f64>>(id) => self.read_as::<Option<f64>>(slot),
            _ if holds::<Nullable<i64>>(id) => self.read_as::<Nullable<i64>>(slot),
            _ if holds::<Nullable<f64>>(id) => self.read_as::<Nullable<f64>>(slot),
            _ if holds::<bool>(id) => self.read_as::<bool>(slot),
            _ if holds::<i64>(id) => self.read_as::<i64>(slot),
            _ if holds::<f64>(id) => self.read_as::<f64>(slot),
            _ if holds::<Vec<String>>(id) => self.read_as::<Vec<String>>(slot),
            _ if holds::<Option<Vec<String>>>(id) => self.read_as::<Option<Vec<String>>>(slot),
            _ if holds::<serde_json::Value>(id) => self.read_as::<serde_json::Value>(slot),
            _ if holds::<Option<serde_json::Value>>(id) => {
                self.read_as::<Option<serde_json::Value>>(slot)
            }
            _ => None,
        };
        read.transpose().map(|read| read.is_some())
    }

    fn read_erased(
        &mut self,
        read: &mut dyn FnMut(&mut dyn erased_serde::Deserializer<'de>) -> Result<(), FieldError>,
    ) -> Result<(), FieldError> {
        let mut erased = <dyn erased_serde::Deserializer>::erase(self.take()?);
        read(&mut erased)
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
        let mut next = None;
        while map.next_key_seed(KeySeed(&mut next))?.is_some() {
            let Some(key) = next.take() else { break };
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

/// Reads a key into its slot, borrowed from the input when it has no
/// escapes. Stored rather than returned: through an erased map, a returned
/// key would be boxed on its way back.
struct KeySeed<'s, 'de>(&'s mut Option<Cow<'de, str>>);

impl<'de> DeserializeSeed<'de> for KeySeed<'_, 'de> {
    type Value = ();

    fn deserialize<D: Deserializer<'de>>(self, deserializer: D) -> Result<(), D::Error> {
        deserializer.deserialize_str(self)
    }
}

impl<'de> Visitor<'de> for KeySeed<'_, 'de> {
    type Value = ();

    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("a field name")
    }

    fn visit_borrowed_str<E: de::Error>(self, key: &'de str) -> Result<(), E> {
        *self.0 = Some(Cow::Borrowed(key));
        Ok(())
    }

    fn visit_str<E: de::Error>(self, key: &str) -> Result<(), E> {
        *self.0 = Some(Cow::Owned(key.to_owned()));
        Ok(())
    }

    fn visit_string<E: de::Error>(self, key: String) -> Result<(), E> {
        *self.0 = Some(Cow::Owned(key));
        Ok(())
    }
}

struct ValueSeed<'a, 'f, 'g, 'de> {
    key: &'a str,
    fields: &'f mut FieldVisitor<'g, 'de>,
}

impl<'de> DeserializeSeed<'de> for ValueSeed<'_, '_, '_, 'de> {
    type Value = ();

    fn deserialize<D: Deserializer<'de>>(self, deserializer: D) -> Result<(), D::Error> {
        let mut value = Pending(Some(deserializer));
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

    /// Text at the top is read with the map's own deserializer, text one
    /// level down through the erased one: the same value gives the same
    /// error either way.
    #[test]
    fn common_values_fail_alike_at_the_top_and_nested() {
        let top = decode(r#"{"voice_id": "a", "name": 7}"#).unwrap_err();
        let nested =
            decode(r#"{"voice_id": "a", "inner": {"voice_id": "b", "name": 7}}"#).unwrap_err();
        assert_eq!(
            top,
            "name: invalid type: integer `7`, expected a string at line 1 column 27"
        );
        assert_eq!(
            nested,
            "inner.name: invalid type: integer `7`, expected a string at line 1 column 54"
        );
        let nested_json = decode(r#"{"voice_id": "a", "inner": {"voice_id": "b", "any": null}}"#);
        assert_eq!(
            nested_json.unwrap().inner.unwrap().extra,
            Some(serde_json::Value::Null)
        );
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
