//! Decoding of generated structs, written once.
//!
//! `#[derive(Deserialize)]` writes a field enum, three key visitors, a
//! sequence visitor and a map visitor for every struct: about half of all
//! the code rustc checks in a large generated crate. Generated structs
//! instead implement [`Decode`]: one function, not generic over the
//! deserializer, that hands [`Input::object`] a closure storing each known
//! field in its slot. The map walking, key reading and skipping of unknown
//! fields live here. Values are read as they stream in (nothing is
//! buffered), and `serde_path_to_error` still sees every nested field.
//!
//! The deserializer's type is kept behind a small object-safe trait
//! (`PendingValue`), whose implementation for each deserializer is written
//! once here. Through it, the values most fields hold (text, numbers,
//! flags, lists of text, any JSON), skipped values, and nested generated
//! structs and string enums with lists, maps and options of them
//! ([`Field::decode`]) are read with the map's own deserializer. Only
//! unions and the structs that derive `Deserialize` go through an erased
//! deserializer ([`erased_serde`], [`Field::read`]). An error keeps its
//! kind and position: the value's own deserializer's error is handed back
//! as it was at each level.
//!
//! ```ignore
//! impl<'de> Deserialize<'de> for Voice {
//!     fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
//!         api_runtime::de::deserialize(deserializer)
//!     }
//! }
//!
//! impl api_runtime::de::Decode for Voice {
//!     fn decode(input: Input<'_, '_>) -> Result<Self, FieldError> {
//!         let mut voice_id_ = None;
//!         let mut settings_ = None;
//!         let object = input.object("Voice", &["voice_id"], &mut |key, field| {
//!             match key {
//!                 "voice_id" => field.read(&mut voice_id_),
//!                 "settings" => field.decode(&mut settings_),
//!                 _ => field.skip(),
//!             }
//!         })?;
//!         let Some(voice_id_) = voice_id_ else {
//!             return Err(object.incomplete());
//!         };
//!         Ok(Voice {
//!             voice_id: voice_id_,
//!             settings: settings_.unwrap_or_default(),
//!         })
//!     }
//! }
//! ```

use std::any::{Any, TypeId};
use std::borrow::Cow;
use std::fmt;
use std::marker::PhantomData;

use serde::de::{self, DeserializeSeed, Deserializer, IgnoredAny, MapAccess, SeqAccess, Visitor};
use serde::Deserialize;

use crate::types::nullable::Nullable;
use crate::types::union::{catch_all, Fit};

mod containers;

/// The error a field's decoding fails with; converted back into the
/// outer deserializer's error at each level, where an error that
/// deserializer raised itself is handed back as it was.
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

    /// Decodes a generated struct (or a list, map, option or box of them)
    /// into `slot` with the map's own deserializer, where [`Field::read`]
    /// would erase it: its keys and values are then read as the top
    /// level's are.
    pub fn decode<T: Decode>(self, slot: &mut Option<T>) -> Result<(), FieldError> {
        if slot.is_some() {
            return Err(duplicate(self.key));
        }
        *slot = Some(T::decode(Input { value: self.value })?);
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

    /// Reads the value as a string.
    fn string(&mut self) -> Result<String, FieldError>;

    /// Hands the value to `read` as a type-erased deserializer.
    fn read_erased(
        &mut self,
        read: &mut dyn FnMut(&mut dyn erased_serde::Deserializer<'de>) -> Result<(), FieldError>,
    ) -> Result<(), FieldError>;

    /// Reads the value as an object, as [`object`] does.
    fn object(
        &mut self,
        name: &'static str,
        required: &'static [&'static str],
        fields: &mut FieldVisitor<'_, 'de>,
    ) -> Result<(), FieldError>;

    /// Reads `null` as nothing, and hands any other value to `some`.
    fn option(&mut self, some: &mut Each<'_, 'de>) -> Result<(), FieldError>;

    /// Hands each item of a list to `item`.
    fn seq(&mut self, item: &mut Each<'_, 'de>) -> Result<(), FieldError>;

    /// Hands each key and value of an object to `entry`.
    fn map(&mut self, entry: &mut Entry<'_, 'de>) -> Result<(), FieldError>;
}

/// Called with each value of a list, or the value of an option.
type Each<'f, 'de> = dyn FnMut(Input<'_, 'de>) -> Result<(), FieldError> + 'f;

/// Called with each key and value of a map.
type Entry<'f, 'de> = dyn FnMut(String, Input<'_, 'de>) -> Result<(), FieldError> + 'f;

/// Whether a slot of this type id holds a `T`.
fn holds<T: 'static>(id: TypeId) -> bool {
    id == TypeId::of::<Option<T>>()
}

/// A value's own deserializer, until something reads it, and the error it
/// failed with: handed back unchanged by [`with_input`], so an error keeps
/// its kind and position however deep it arose.
struct Pending<'de, D: Deserializer<'de>> {
    deserializer: Option<D>,
    error: Option<D::Error>,
    input: PhantomData<&'de ()>,
}

impl<'de, D: Deserializer<'de>> Pending<'de, D> {
    fn take(&mut self) -> Result<D, FieldError> {
        self.deserializer
            .take()
            .ok_or_else(|| de::Error::custom("a field's value was read twice"))
    }

    /// Hands the deserializer to `read`. Its error is kept for
    /// [`with_input`]; the layers between get its message.
    fn read_with<R>(
        &mut self,
        read: impl FnOnce(D) -> Result<R, D::Error>,
    ) -> Result<R, FieldError> {
        read(self.take()?).map_err(|error| {
            let message = de::Error::custom(&error);
            self.error = Some(error);
            message
        })
    }

    /// Decodes into `slot` if it is an `Option<T>`.
    fn read_as<T: Deserialize<'de> + 'static>(
        &mut self,
        slot: &mut dyn Any,
    ) -> Option<Result<(), FieldError>> {
        let slot = slot.downcast_mut::<Option<T>>()?;
        Some(
            self.read_with(T::deserialize)
                .map(|value| *slot = Some(value)),
        )
    }
}

impl<'de, D: Deserializer<'de>> PendingValue<'de> for Pending<'de, D> {
    fn skip(&mut self) -> Result<(), FieldError> {
        self.read_with(|deserializer| IgnoredAny::deserialize(deserializer).map(drop))
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

    fn string(&mut self) -> Result<String, FieldError> {
        self.read_with(String::deserialize)
    }

    fn read_erased(
        &mut self,
        read: &mut dyn FnMut(&mut dyn erased_serde::Deserializer<'de>) -> Result<(), FieldError>,
    ) -> Result<(), FieldError> {
        let mut erased = <dyn erased_serde::Deserializer>::erase(self.take()?);
        read(&mut erased)
    }

    fn object(
        &mut self,
        name: &'static str,
        required: &'static [&'static str],
        fields: &mut FieldVisitor<'_, 'de>,
    ) -> Result<(), FieldError> {
        self.read_with(|deserializer| object(deserializer, name, required, fields).map(drop))
    }

    fn option(&mut self, some: &mut Each<'_, 'de>) -> Result<(), FieldError> {
        self.read_with(|deserializer| deserializer.deserialize_option(OptionVisitor(some)))
    }

    fn seq(&mut self, item: &mut Each<'_, 'de>) -> Result<(), FieldError> {
        self.read_with(|deserializer| deserializer.deserialize_seq(SeqVisitor(item)))
    }

    fn map(&mut self, entry: &mut Entry<'_, 'de>) -> Result<(), FieldError> {
        self.read_with(|deserializer| deserializer.deserialize_map(MapVisitor(entry)))
    }
}

/// Runs `read` on `deserializer`'s value; an error the value's own
/// deserializer raised comes back as it was, any other as a message.
fn with_input<'de, D: Deserializer<'de>, R>(
    deserializer: D,
    read: impl FnOnce(Input<'_, 'de>) -> Result<R, FieldError>,
) -> Result<R, D::Error> {
    let mut pending = Pending {
        deserializer: Some(deserializer),
        error: None,
        input: PhantomData,
    };
    read(Input {
        value: &mut pending,
    })
    .map_err(|error| {
        pending
            .error
            .take()
            .unwrap_or_else(|| de::Error::custom(error))
    })
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

impl<E> Object<E> {
    fn new(name: &'static str) -> Self {
        Object {
            name,
            error: PhantomData,
        }
    }
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
    Ok(Object::new(name))
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
        with_input(deserializer, |input| {
            let field = Field {
                key: self.key,
                value: input.value,
            };
            (self.fields)(self.key, field)
        })
    }
}

/// A generated struct's decoding, written against [`Input`] rather than a
/// `Deserializer`: one non-generic function per struct, and nested
/// structs (and lists, maps, options and boxes of them) read with the
/// outer value's own deserializer instead of an erased one. The struct's
/// `Deserialize` calls [`deserialize`].
pub trait Decode: Sized {
    /// Reads the value.
    fn decode(input: Input<'_, '_>) -> Result<Self, FieldError>;
}

/// `Deserialize::deserialize` of a type that implements [`Decode`].
pub fn deserialize<'de, T: Decode, D: Deserializer<'de>>(deserializer: D) -> Result<T, D::Error> {
    with_input(deserializer, T::decode)
}

/// A value not read yet, as [`Decode::decode`] gets it.
pub struct Input<'a, 'de> {
    value: &'a mut dyn PendingValue<'de>,
}

impl<'de> Input<'_, 'de> {
    /// Reads a JSON object, as [`object`] does.
    pub fn object(
        self,
        name: &'static str,
        required: &'static [&'static str],
        fields: &mut FieldVisitor<'_, 'de>,
    ) -> Result<Object<FieldError>, FieldError> {
        self.value.object(name, required, fields)?;
        Ok(Object::new(name))
    }

    /// Reads a string: what a generated string enum decodes from, read
    /// with the value's own deserializer rather than an erased one.
    pub fn string(self) -> Result<String, FieldError> {
        self.value.string()
    }
}

impl fmt::Debug for Input<'_, '_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("Input")
    }
}

struct OptionVisitor<'f, 'g, 'de>(&'f mut Each<'g, 'de>);

impl<'de> Visitor<'de> for OptionVisitor<'_, '_, 'de> {
    type Value = ();

    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("option")
    }

    fn visit_none<E: de::Error>(self) -> Result<(), E> {
        Ok(())
    }

    fn visit_unit<E: de::Error>(self) -> Result<(), E> {
        Ok(())
    }

    fn visit_some<D: Deserializer<'de>>(self, deserializer: D) -> Result<(), D::Error> {
        with_input(deserializer, self.0)
    }
}

struct SeqVisitor<'f, 'g, 'de>(&'f mut Each<'g, 'de>);

impl<'de> Visitor<'de> for SeqVisitor<'_, '_, 'de> {
    type Value = ();

    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("a sequence")
    }

    fn visit_seq<A: SeqAccess<'de>>(self, mut seq: A) -> Result<(), A::Error> {
        while seq.next_element_seed(ItemSeed(&mut *self.0))?.is_some() {}
        Ok(())
    }
}

struct ItemSeed<'f, 'g, 'de>(&'f mut Each<'g, 'de>);

impl<'de> DeserializeSeed<'de> for ItemSeed<'_, '_, 'de> {
    type Value = ();

    fn deserialize<D: Deserializer<'de>>(self, deserializer: D) -> Result<(), D::Error> {
        with_input(deserializer, self.0)
    }
}

struct MapVisitor<'f, 'g, 'de>(&'f mut Entry<'g, 'de>);

impl<'de> Visitor<'de> for MapVisitor<'_, '_, 'de> {
    type Value = ();

    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("a map")
    }

    fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<(), A::Error> {
        let mut next = None;
        while map.next_key_seed(KeySeed(&mut next))?.is_some() {
            let Some(key) = next.take() else { break };
            map.next_value_seed(EntrySeed {
                key: key.into_owned(),
                entry: &mut *self.0,
            })?;
        }
        Ok(())
    }
}

struct EntrySeed<'f, 'g, 'de> {
    key: String,
    entry: &'f mut Entry<'g, 'de>,
}

impl<'de> DeserializeSeed<'de> for EntrySeed<'_, '_, 'de> {
    type Value = ();

    fn deserialize<D: Deserializer<'de>>(self, deserializer: D) -> Result<(), D::Error> {
        let Self { key, entry } = self;
        with_input(deserializer, |input| entry(key, input))
    }
}

#[cfg(test)]
mod tests;
