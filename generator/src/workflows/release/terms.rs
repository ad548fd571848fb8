//! How the record spells what types and channels share: type references
//! (`#12`, `[]string`, `?i64`, `=const`) and parameters, both ways, and the
//! error of a record that does not describe a model.

use serde::{Deserialize, Serialize};

use crate::model::ir::*;

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ParamRecord {
    /// `path`, `query` or `header`.
    #[serde(rename = "in")]
    pub location: String,
    pub name: String,
    pub ty: String,
    #[serde(default, skip_serializing_if = "is_false")]
    pub required: bool,
    #[serde(default, skip_serializing_if = "is_false")]
    pub deprecated: bool,
}

pub(super) fn is_false(value: &bool) -> bool {
    !*value
}

/// A record that does not describe a model (a type index out of range, an
/// unknown spelling): the committed file was edited or is from another
/// generator.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct BadRecord(pub String);

pub type Parsed<T> = std::result::Result<T, BadRecord>;

pub(super) fn param_record(param: &ParamDef) -> ParamRecord {
    ParamRecord {
        location: match param.location {
            ParamLocation::Path => "path",
            ParamLocation::Query => "query",
            ParamLocation::Header => "header",
        }
        .to_owned(),
        name: param.wire_name.clone(),
        ty: type_text(&param.ty),
        required: param.required,
        deprecated: param.docs.deprecated,
    }
}

/// The words of [`TypeRef`]s without an inner type.
const SCALARS: [(&str, TypeRef); 11] = [
    ("string", TypeRef::String),
    ("i32", TypeRef::Integer(IntFormat::I32)),
    ("i64", TypeRef::Integer(IntFormat::I64)),
    ("u32", TypeRef::Integer(IntFormat::U32)),
    ("u64", TypeRef::Integer(IntFormat::U64)),
    ("f32", TypeRef::Number(NumFormat::F32)),
    ("f64", TypeRef::Number(NumFormat::F64)),
    ("bool", TypeRef::Boolean),
    ("date-time", TypeRef::DateTime),
    ("binary", TypeRef::Binary),
    ("json", TypeRef::Json),
];

/// `#3` (type 3), `=value` (a constant), `[]T`, `{}T` (map), `?T`
/// (nullable), or a scalar's word.
pub fn type_text(ty: &TypeRef) -> String {
    match ty {
        TypeRef::Named(id) => format!("#{}", id.0),
        TypeRef::Const(value) => format!("={value}"),
        TypeRef::Array(inner) => format!("[]{}", type_text(inner)),
        TypeRef::Map(inner) => format!("{{}}{}", type_text(inner)),
        TypeRef::Nullable(inner) => format!("?{}", type_text(inner)),
        scalar => SCALARS
            .iter()
            .find(|(_, s)| s == scalar)
            .map(|(word, _)| (*word).to_owned())
            .expect("every scalar has a word"),
    }
}

/// Reads [`type_text`] back; `types` is how many types the record has.
pub fn parse_type(text: &str, types: usize) -> Parsed<TypeRef> {
    let bad = || BadRecord(format!("{text:?} is not a type of the record"));
    if let Some(index) = text.strip_prefix('#') {
        let index: usize = index.parse().map_err(|_| bad())?;
        return (index < types)
            .then_some(TypeRef::Named(TypeId(index)))
            .ok_or_else(bad);
    }
    if let Some(value) = text.strip_prefix('=') {
        return Ok(TypeRef::Const(value.to_owned()));
    }
    let wrapped = [("[]", TypeRef::Array as fn(_) -> _), ("{}", TypeRef::Map)];
    for (prefix, wrap) in wrapped {
        if let Some(inner) = text.strip_prefix(prefix) {
            return Ok(wrap(Box::new(parse_type(inner, types)?)));
        }
    }
    if let Some(inner) = text.strip_prefix('?') {
        return Ok(TypeRef::Nullable(Box::new(parse_type(inner, types)?)));
    }
    SCALARS
        .iter()
        .find(|(word, _)| *word == text)
        .map(|(_, ty)| ty.clone())
        .ok_or_else(bad)
}

pub(super) fn deprecated_docs(deprecated: bool) -> Docs {
    Docs {
        deprecated,
        ..Docs::default()
    }
}

pub(super) fn param_def(record: &ParamRecord, count: usize) -> Parsed<ParamDef> {
    let location = match record.location.as_str() {
        "path" => ParamLocation::Path,
        "query" => ParamLocation::Query,
        "header" => ParamLocation::Header,
        other => return Err(BadRecord(format!("{other:?} is no parameter location"))),
    };
    Ok(ParamDef {
        wire_name: record.name.clone(),
        location,
        ty: parse_type(&record.ty, count)?,
        required: record.required,
        explode: true,
        docs: deprecated_docs(record.deprecated),
        minimum: None,
    })
}
