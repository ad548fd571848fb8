//! `generator diff OLD NEW`: a semantic changelog between two versions of an
//! API description, computed on the intermediate model ([`crate::model::ir`]), not
//! on the raw documents, so that JSON/YAML, 3.0/3.1 and the spellings of
//! nullability make no difference.
//!
//! [`diff`] is pure: two [`ApiModel`]s in, a [`Changelog`] out.
//! [`render`] turns the changelog into text, Markdown or JSON; [`notes`]
//! into the changes of a release, grouped breaking / added / changed /
//! deprecated.
//!
//! # Identity
//!
//! Operations are keyed by `METHOD path`, channels by `WS address`,
//! component schemas by name, fields
//! by wire name, parameters by location and wire name. Types are described
//! by what they are (`string`, `array of Voice`, `Voice | null`): a named
//! type by its component name, an inline one by its structure, never by
//! [`TypeId`](crate::model::ir::TypeId), which differs between versions.
//! Inline object, enum and union types (an inline request body, a
//! property's inline enum) are compared structurally, their changes
//! reported with a dotted path (`field settings.stability`, `response
//! field items[].voice_id`).
//!
//! # Breaking or not
//!
//! A change is *breaking* when code written against the crate generated
//! from OLD stops compiling, or silently changes meaning, with the crate
//! generated from NEW. What that means follows from how the generator maps
//! types (docs/DESIGN.md): a required field is `T`, an optional one
//! `Option<T>`, required + nullable `Option<T>`, optional + nullable
//! `Nullable<T>`; structs with required fields have `new(required...)`;
//! required parameters (and a required body) are positional arguments of
//! the method, optional ones builder setters; string enums and tagged
//! unions keep unknown values in a catch-all variant. Every generated
//! struct and enum is `#[non_exhaustive]`: user code builds values with
//! `new(required...)`/`Default` and chained setters (struct literals do not
//! compile outside the crate) and matches enums with a catch-all arm (the
//! compiler requires one), so new optional fields and new variants break
//! nothing by construction. A new required field in a type that user code
//! builds stays breaking: `new` gains an argument.
//!
//! Whether a schema is a *request* or a *response* type is found by walking
//! what the operations reach, in both versions: parameters and request
//! bodies reach request types, success and error responses response types.
//! A schema reached from both counts as both; one reached from neither is
//! judged like a request type (user code may build it).
//!
//! | change | breaking? | why |
//! |---|---|---|
//! | operation removed | yes | the method is gone |
//! | operation added | no | a new method |
//! | operation's client group or method name changed | yes | the method moves |
//! | operation (or parameter, schema, field) deprecated or undeprecated | no | a warning at most |
//! | required parameter added | yes | a new positional argument |
//! | optional parameter added | no | a new builder setter |
//! | parameter removed | yes | its argument or setter is gone |
//! | parameter optional -> required, or required -> optional | yes | a setter becomes an argument, or back |
//! | required arguments reordered | yes | calls stop compiling or pass values to the wrong parameter |
//! | request body added (required / optional) | yes / no | a new argument / a new `body` setter |
//! | request body removed, or required changed | yes | its argument or setter changes |
//! | request body encoding JSON <-> multipart | no | the same type is sent the new way (to or from raw bytes: yes) |
//! | response type changed | yes | the method returns another type |
//! | response was empty, now has a body | no | callers could only discard `()` |
//! | byte-stream or text response with other media types | no | still `ByteStream` / `String` |
//! | schema removed | yes | the type is gone |
//! | schema added | no | a new type |
//! | schema kind changed (struct, enum, union, alias) | yes | another kind of Rust item |
//! | type changed (field, parameter, body, alias, items) | yes | another Rust type; no if only a type alias differs |
//! | field removed | yes | code using the field stops compiling |
//! | optional field added | no | the struct is `#[non_exhaustive]`: `new`/`Default` and setters leave it unset |
//! | required field added, request type | yes | `new(...)` takes a new argument; requests must send it |
//! | required field added, response-only type | no | a new field to read |
//! | required or nullable changed so the field's Rust type changes (`T`, `Option<T>`, `Nullable<T>`) | yes, either side | code reading or setting the field stops compiling |
//! | required changed, Rust type stays `Option<T>` (optional <-> required + nullable), request type | yes | `new(...)` gains or loses the argument |
//! | the same, response-only type | no | the field's type is unchanged |
//! | enum value added (request or response) | no | a new variant of a `#[non_exhaustive]` enum, which keeps unknown values (`Unknown`) |
//! | enum value removed | yes | the variant is gone |
//! | union member added / removed | no / yes | a new variant of a `#[non_exhaustive]` enum / a variant is gone |
//! | union tag (discriminator) added / removed / renamed | no / yes / no | the `Unknown` catch-all variant appears / is gone / the decoder follows |
//! | `additionalProperties` added / removed | no / yes | an `additional_properties` map appears / is gone |
//! | `new(...)` arguments reordered (request type) | yes | calls stop compiling or swap values |
//! | error body type new to the API / no longer declared by any operation | yes / yes | a variant of the exhaustive `ErrorBody` enum appears / is gone |
//! | channel (AsyncAPI) removed / added, reported as `WS address` | yes / no | its connect method is gone / new |
//! | a channel's connect method moved, or a parameter added, removed or made required | as for an operation | the connect builder is an operation's |
//! | message kind removed / added | yes / no | a variant of the `#[non_exhaustive]` message enum is gone / new (its frames were the catch-all) |
//! | a side of a channel goes from one message kind to several, or back | yes | the connection's message type is another Rust type |
//! | a message's payload changed | as for a type | client messages as request types, server messages as response types |
//! | a type or union variant named anew in Rust, its schema unchanged ([`rust_name_changes`]) | yes | code naming the old name stops compiling |
//! | a call's positional arguments, or whether its body's fields are its inputs, changed in Rust alone | yes | calls written for the old shape stop compiling |

mod changelog;
mod channels;
mod compare;
mod describe;
mod errors;
pub mod notes;
mod operations;
pub mod render;
mod rust_names;
mod schemas;

pub use changelog::{
    Change, ChangeKind, Changelog, OperationChange, OperationEntry, SchemaChange, SchemaEntry,
    Section, VersionInfo,
};
pub use describe::describe_type;
pub use rust_names::{rust_name_changes, CallShape, RustNames};

use crate::model::ir::ApiModel;
use compare::Differ;

/// Compares two models.
pub fn diff(old: &ApiModel, new: &ApiModel) -> Changelog {
    let differ = Differ::new(old, new);
    Changelog {
        old: VersionInfo {
            title: old.title.clone(),
            version: old.version.clone(),
            source: String::new(),
        },
        new: VersionInfo {
            title: new.title.clone(),
            version: new.version.clone(),
            source: String::new(),
        },
        operations: {
            let mut operations = differ.operations();
            differ.channels(&mut operations);
            operations
        },
        schemas: differ.schemas(),
    }
}
