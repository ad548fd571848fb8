//! Types described in words, the same for every version of a model:
//! `string`, `array of Voice`, `Voice | null`.

use crate::model::ir::*;

// ---------------------------------------------------------------------------
// Describing types
// ---------------------------------------------------------------------------

/// How many fields, values or members a description lists before `…`.
pub(super) const LIST_LIMIT: usize = 4;

/// A human description of a type in a model: `string`, `array of Voice`,
/// `Voice | null`, `enum ("a", "b")`, `object {id, name}`.
pub fn describe_type(model: &ApiModel, ty: &TypeRef) -> String {
    signature(model, ty, Some(LIST_LIMIT), false)
}

/// `limit`: how many parts of an inline type to list (`None`: all, fully
/// described, for comparing). `through_aliases`: describe what component
/// aliases stand for instead of naming them.
pub(super) fn signature(
    model: &ApiModel,
    ty: &TypeRef,
    limit: Option<usize>,
    through_aliases: bool,
) -> String {
    match ty {
        TypeRef::Named(id) => {
            let def = &model.types[id.0];
            match (&def.component_name, &def.kind) {
                (Some(_), TypeKind::Alias(target)) if through_aliases => {
                    signature(model, target, limit, through_aliases)
                }
                (Some(name), _) => name.clone(),
                (None, kind) => inline_signature(model, kind, limit, through_aliases),
            }
        }
        TypeRef::Const(value) => format!("{value:?} (constant)"),
        TypeRef::String => "string".to_owned(),
        TypeRef::Integer(IntFormat::I64) => "integer".to_owned(),
        TypeRef::Integer(IntFormat::I32) => "integer (int32)".to_owned(),
        TypeRef::Integer(IntFormat::U32) => "integer (uint32)".to_owned(),
        TypeRef::Integer(IntFormat::U64) => "integer (uint64)".to_owned(),
        TypeRef::Number(NumFormat::F64) => "number".to_owned(),
        TypeRef::Number(NumFormat::F32) => "number (float)".to_owned(),
        TypeRef::Boolean => "boolean".to_owned(),
        TypeRef::DateTime => "date-time".to_owned(),
        TypeRef::Binary => "binary".to_owned(),
        TypeRef::Json => "any JSON".to_owned(),
        TypeRef::Array(inner) => format!(
            "array of {}",
            signature(model, inner, limit, through_aliases)
        ),
        TypeRef::Map(inner) => {
            format!("map of {}", signature(model, inner, limit, through_aliases))
        }
        TypeRef::Nullable(inner) => {
            format!("{} | null", signature(model, inner, limit, through_aliases))
        }
    }
}

pub(super) fn inline_signature(
    model: &ApiModel,
    kind: &TypeKind,
    limit: Option<usize>,
    through_aliases: bool,
) -> String {
    match kind {
        TypeKind::StringEnum(values) => {
            let parts: Vec<String> = values.iter().map(|v| format!("{v:?}")).collect();
            format!("enum ({})", list(&parts, limit))
        }
        TypeKind::Struct(def) => {
            let parts: Vec<String> = def
                .fields
                .iter()
                .map(|f| match limit {
                    Some(_) => f.wire_name.clone(),
                    None => format!(
                        "{}{}{}: {}",
                        f.wire_name,
                        if f.required { "" } else { "?" },
                        if f.nullable { " (nullable)" } else { "" },
                        signature(model, &f.ty, None, through_aliases)
                    ),
                })
                .collect();
            format!("object {{{}}}", list(&parts, limit))
        }
        TypeKind::Union(def) => {
            let parts: Vec<String> = def
                .variants
                .iter()
                .map(|v| signature(model, &v.ty, limit, through_aliases))
                .collect();
            format!("one of ({})", list(&parts, limit))
        }
        TypeKind::Alias(target) => signature(model, target, limit, through_aliases),
    }
}

pub(super) fn list(parts: &[String], limit: Option<usize>) -> String {
    match limit {
        Some(limit) if parts.len() > limit => {
            format!(
                "{}, … {} more",
                parts[..limit].join(", "),
                parts.len() - limit
            )
        }
        _ => parts.join(", "),
    }
}

pub(super) fn kind_name(kind: &TypeKind) -> &'static str {
    match kind {
        TypeKind::Struct(_) => "struct",
        TypeKind::StringEnum(_) => "enum",
        TypeKind::Union(_) => "union",
        TypeKind::Alias(_) => "alias",
    }
}

/// The Rust shape of a field: `T`, `Option<T>` or `Nullable<T>`.
pub(super) fn wrapper(required: bool, nullable: bool) -> &'static str {
    match (required, nullable) {
        (true, false) => "T",
        (true, true) | (false, false) => "Option<T>",
        (false, true) => "Nullable<T>",
    }
}

pub(super) fn presence(required: bool, nullable: bool) -> String {
    let mut words = vec![if required { "required" } else { "optional" }];
    if nullable {
        words.push("nullable");
    }
    words.join(", ")
}
