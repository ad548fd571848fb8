//! The record of an API's public surface: exactly the parts of the
//! intermediate model ([`crate::model::ir`]) that [`crate::workflows::diff`]
//! compares, so that the model of the previous generation can be rebuilt
//! from what is committed ([`ApiSurface::to_model`]) and diffed against the
//! new one. Types keep their positions ([`TypeId`]s are indexes), type
//! references are short strings (`#12`, `[]string`, `?i64`), and nothing
//! that the diff does not read is kept (descriptions, examples, servers).

use serde::{Deserialize, Serialize};

use super::channel_record::{channel, channel_record, ChannelRecord};
use super::terms::{deprecated_docs, is_false, param_def, param_record};
pub use super::terms::{parse_type, type_text, BadRecord, ParamRecord, Parsed};
use crate::model::ir::*;
use crate::naming::Names;
use crate::workflows::diff::{CallShape, RustNames};

/// One API's document and the parts of its model the diff reads.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ApiSurface {
    /// The API's name in the manifest.
    pub api: String,
    /// The document as the generator read it.
    pub document: DocumentRecord,
    pub types: Vec<TypeRecord>,
    pub operations: Vec<OperationRecord>,
    /// The channels of its AsyncAPI documents; `None` in a record written
    /// before channels were kept (they are then taken as unchanged).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub channels: Option<Vec<ChannelRecord>>,
}

/// Which document a generation read: `info`, checksums of the vendored
/// file and of each overlay.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct DocumentRecord {
    pub title: String,
    /// `info.version`.
    pub version: String,
    pub path: String,
    pub sha256: String,
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub overlays: Vec<OverlayRecord>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct OverlayRecord {
    pub path: String,
    pub sha256: String,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct TypeRecord {
    /// The component schema's name; none for inline types.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub name: Option<String>,
    /// An inline type's last name hint (how union members are recognised).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub hint: Option<String>,
    #[serde(default, skip_serializing_if = "is_false")]
    pub deprecated: bool,
    /// The type's Rust name.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub rust: Option<String>,
    /// A union's Rust variant names.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub variants: Option<Vec<String>>,
    #[serde(flatten)]
    pub kind: KindRecord,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum KindRecord {
    Struct {
        fields: Vec<FieldRecord>,
        #[serde(default, skip_serializing_if = "Option::is_none")]
        additional: Option<String>,
    },
    Enum(Vec<String>),
    Union {
        members: Vec<String>,
        #[serde(default, skip_serializing_if = "Option::is_none")]
        tag: Option<String>,
    },
    Alias(String),
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct FieldRecord {
    pub name: String,
    pub ty: String,
    #[serde(default, skip_serializing_if = "is_false")]
    pub required: bool,
    #[serde(default, skip_serializing_if = "is_false")]
    pub nullable: bool,
    #[serde(default, skip_serializing_if = "is_false")]
    pub deprecated: bool,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct OperationRecord {
    pub method: String,
    pub path: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub id: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub summary: Option<String>,
    /// The client method: its groups, then its name.
    pub call: Vec<String>,
    /// The method's positional arguments, as Rust names them.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub args: Option<Vec<String>>,
    /// Whether the body's fields are the call's inputs.
    #[serde(default, skip_serializing_if = "is_false")]
    pub flat: bool,
    #[serde(default, skip_serializing_if = "is_false")]
    pub deprecated: bool,
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub params: Vec<ParamRecord>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub body: Option<BodyRecord>,
    pub response: ResponseRecord,
    /// Error bodies by status.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub errors: Vec<(String, String)>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub paging: Option<PagingRecord>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct BodyRecord {
    /// `json`, `multipart`, or the media type of raw bytes.
    pub encoding: String,
    pub ty: String,
    #[serde(default, skip_serializing_if = "is_false")]
    pub required: bool,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum ResponseRecord {
    Empty,
    Json(String),
    Text(String),
    Binary(Vec<String>),
    Events(String),
    JsonStream(String),
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct PagingRecord {
    pub kind: String,
    pub param: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub items: Option<String>,
}

// ---------------------------------------------------------------------------
// Model -> record
// ---------------------------------------------------------------------------

impl ApiSurface {
    /// The surface of `model` as generated from `document`.
    pub fn of(api: &str, model: &ApiModel, document: DocumentRecord) -> ApiSurface {
        ApiSurface {
            api: api.to_owned(),
            document,
            types: model.types.iter().map(type_record).collect(),
            operations: model.operations.iter().map(operation_record).collect(),
            channels: Some(model.channels.iter().map(channel_record).collect()),
        }
    }
}

impl ApiSurface {
    /// Adds the Rust names `names` gives `model` (the model of
    /// [`ApiSurface::of`] after unification, which keeps every position).
    pub fn add_rust_names(&mut self, model: &ApiModel, names: &Names) {
        let rust = rust_names(model, names);
        let types = rust.types.into_iter().zip(rust.variants);
        for (record, (name, variants)) in self.types.iter_mut().zip(types) {
            record.rust = name;
            record.variants = variants;
        }
        for (record, call) in self.operations.iter_mut().zip(rust.calls) {
            record.args = call.as_ref().map(|c| c.args.clone());
            record.flat = call.is_some_and(|c| c.flat);
        }
    }

    /// The Rust names the record keeps, for
    /// [`crate::workflows::diff::rust_name_changes`].
    pub fn rust_names(&self) -> RustNames {
        RustNames {
            types: self.types.iter().map(|t| t.rust.clone()).collect(),
            variants: self.types.iter().map(|t| t.variants.clone()).collect(),
            calls: self
                .operations
                .iter()
                .map(|o| o.args.clone().map(|args| CallShape { args, flat: o.flat }))
                .collect(),
        }
    }
}

/// What `names` calls the types, union variants and calls of `model` (a
/// model after unification).
pub fn rust_names(model: &ApiModel, names: &Names) -> RustNames {
    let variants = (0..model.types.len())
        .map(|index| {
            names
                .union_variants(model, TypeId(index))
                .map(<[String]>::to_vec)
        })
        .collect();
    let calls = names
        .all_call_arguments(model)
        .into_iter()
        .enumerate()
        .map(|(index, args)| {
            Some(CallShape {
                args,
                flat: names.flattened.contains_key(&index),
            })
        })
        .collect();
    RustNames {
        types: names.types.iter().cloned().map(Some).collect(),
        variants,
        calls,
    }
}

fn type_record(def: &TypeDef) -> TypeRecord {
    let hint = match def.component_name {
        Some(_) => None,
        None => def.name_hint.last().cloned(),
    };
    TypeRecord {
        name: def.component_name.clone(),
        hint,
        deprecated: def.docs.deprecated,
        rust: None,
        variants: None,
        kind: kind_record(&def.kind),
    }
}

fn kind_record(kind: &TypeKind) -> KindRecord {
    match kind {
        TypeKind::Struct(def) => KindRecord::Struct {
            fields: def
                .fields
                .iter()
                .map(|field| FieldRecord {
                    name: field.wire_name.clone(),
                    ty: type_text(&field.ty),
                    required: field.required,
                    nullable: field.nullable,
                    deprecated: field.docs.deprecated,
                })
                .collect(),
            additional: def.additional.as_ref().map(type_text),
        },
        TypeKind::StringEnum(values) => KindRecord::Enum(values.clone()),
        TypeKind::Union(def) => KindRecord::Union {
            members: def.variants.iter().map(|v| type_text(&v.ty)).collect(),
            tag: def.discriminator.clone(),
        },
        TypeKind::Alias(target) => KindRecord::Alias(type_text(target)),
    }
}

fn operation_record(op: &Operation) -> OperationRecord {
    let mut call = op.group.clone();
    call.push(op.name.clone());
    OperationRecord {
        method: op.method.clone(),
        path: op.path.clone(),
        id: op.operation_id.clone(),
        summary: op.summary.clone(),
        call,
        args: None,
        flat: false,
        deprecated: op.deprecated,
        params: op.params.iter().map(param_record).collect(),
        body: op.body.as_ref().map(|body| BodyRecord {
            encoding: match &body.encoding {
                BodyEncoding::Json => "json".to_owned(),
                BodyEncoding::Multipart => "multipart".to_owned(),
                BodyEncoding::Binary(media) => media.clone(),
            },
            ty: type_text(&body.ty),
            required: body.required,
        }),
        response: response_record(&op.response),
        errors: op
            .errors
            .iter()
            .map(|(status, ty)| (status.clone(), type_text(ty)))
            .collect(),
        paging: op.paging.as_ref().map(|paging| PagingRecord {
            kind: paging_kind_name(paging.kind).to_owned(),
            param: paging.param.clone(),
            items: paging.items_field.clone(),
        }),
    }
}

fn response_record(response: &ResponseDef) -> ResponseRecord {
    match response {
        ResponseDef::Empty => ResponseRecord::Empty,
        ResponseDef::Json(ty) => ResponseRecord::Json(type_text(ty)),
        ResponseDef::Text(media) => ResponseRecord::Text(media.clone()),
        ResponseDef::Binary(media) => ResponseRecord::Binary(media.clone()),
        ResponseDef::EventStream(ty) => ResponseRecord::Events(type_text(ty)),
        ResponseDef::JsonStream(ty) => ResponseRecord::JsonStream(type_text(ty)),
    }
}

const PAGING_KINDS: [(PagingKind, &str); 5] = [
    (PagingKind::Cursor, "cursor"),
    (PagingKind::AfterItem, "after_item"),
    (PagingKind::Token, "token"),
    (PagingKind::Number, "number"),
    (PagingKind::Offset, "offset"),
];

fn paging_kind_name(kind: PagingKind) -> &'static str {
    PAGING_KINDS
        .iter()
        .find(|(k, _)| *k == kind)
        .map(|(_, name)| *name)
        .expect("every paging kind has a name")
}

// ---------------------------------------------------------------------------
// Record -> model
// ---------------------------------------------------------------------------

impl ApiSurface {
    /// A model the diff reads exactly as it read the one this record was
    /// made of; what the diff does not read is left empty.
    pub fn to_model(&self) -> Parsed<ApiModel> {
        let count = self.types.len();
        let types = self
            .types
            .iter()
            .enumerate()
            .map(|(index, record)| type_def(index, record, count))
            .collect::<Parsed<Vec<_>>>()?;
        let operations = self
            .operations
            .iter()
            .map(|record| operation(record, count))
            .collect::<Parsed<Vec<_>>>()?;
        let channels = self
            .channels
            .iter()
            .flatten()
            .map(|record| channel(record, count))
            .collect::<Parsed<Vec<_>>>()?;
        Ok(ApiModel {
            title: self.document.title.clone(),
            version: self.document.version.clone(),
            types,
            operations,
            channels,
            ..ApiModel::default()
        })
    }
}

fn type_def(index: usize, record: &TypeRecord, count: usize) -> Parsed<TypeDef> {
    Ok(TypeDef {
        name_hint: record.hint.iter().cloned().collect(),
        home: TypeId(index),
        component_name: record.name.clone(),
        pointer: String::new(),
        docs: deprecated_docs(record.deprecated),
        kind: type_kind(&record.kind, count)?,
    })
}

fn type_kind(record: &KindRecord, count: usize) -> Parsed<TypeKind> {
    Ok(match record {
        KindRecord::Struct { fields, additional } => TypeKind::Struct(StructDef {
            fields: fields
                .iter()
                .map(|field| {
                    Ok(FieldDef {
                        wire_name: field.name.clone(),
                        ty: parse_type(&field.ty, count)?,
                        required: field.required,
                        nullable: field.nullable,
                        boxed: false,
                        docs: deprecated_docs(field.deprecated),
                        base64: false,
                    })
                })
                .collect::<Parsed<_>>()?,
            additional: additional
                .as_deref()
                .map(|ty| parse_type(ty, count))
                .transpose()?,
            closed: false,
        }),
        KindRecord::Enum(values) => TypeKind::StringEnum(values.clone()),
        KindRecord::Union { members, tag } => TypeKind::Union(UnionDef {
            variants: members
                .iter()
                .map(|ty| {
                    Ok(VariantDef {
                        ty: parse_type(ty, count)?,
                        tags: Vec::new(),
                        boxed: false,
                        docs: Docs::default(),
                    })
                })
                .collect::<Parsed<_>>()?,
            discriminator: tag.clone(),
        }),
        KindRecord::Alias(ty) => TypeKind::Alias(parse_type(ty, count)?),
    })
}

fn operation(record: &OperationRecord, count: usize) -> Parsed<Operation> {
    let (name, group) = record
        .call
        .split_last()
        .ok_or_else(|| BadRecord(format!("{} {} has no call", record.method, record.path)))?;
    Ok(Operation {
        pointer: String::new(),
        method: record.method.clone(),
        path: record.path.clone(),
        operation_id: record.id.clone(),
        group: group.to_vec(),
        name: name.clone(),
        summary: record.summary.clone(),
        description: None,
        deprecated: record.deprecated,
        params: record
            .params
            .iter()
            .map(|param| param_def(param, count))
            .collect::<Parsed<_>>()?,
        body: record
            .body
            .as_ref()
            .map(|body| body_def(body, count))
            .transpose()?,
        response: response_def(&record.response, count)?,
        errors: record
            .errors
            .iter()
            .map(|(status, ty)| Ok((status.clone(), parse_type(ty, count)?)))
            .collect::<Parsed<_>>()?,
        paging: record.paging.as_ref().map(paging).transpose()?,
    })
}

fn body_def(record: &BodyRecord, count: usize) -> Parsed<BodyDef> {
    let encoding = match record.encoding.as_str() {
        "json" => BodyEncoding::Json,
        "multipart" => BodyEncoding::Multipart,
        media => BodyEncoding::Binary(media.to_owned()),
    };
    Ok(BodyDef {
        encoding,
        ty: parse_type(&record.ty, count)?,
        required: record.required,
        description: None,
    })
}

fn response_def(record: &ResponseRecord, count: usize) -> Parsed<ResponseDef> {
    Ok(match record {
        ResponseRecord::Empty => ResponseDef::Empty,
        ResponseRecord::Json(ty) => ResponseDef::Json(parse_type(ty, count)?),
        ResponseRecord::Text(media) => ResponseDef::Text(media.clone()),
        ResponseRecord::Binary(media) => ResponseDef::Binary(media.clone()),
        ResponseRecord::Events(ty) => ResponseDef::EventStream(parse_type(ty, count)?),
        ResponseRecord::JsonStream(ty) => ResponseDef::JsonStream(parse_type(ty, count)?),
    })
}

fn paging(record: &PagingRecord) -> Parsed<Paging> {
    let kind = PAGING_KINDS
        .iter()
        .find(|(_, name)| *name == record.kind)
        .map(|(kind, _)| *kind)
        .ok_or_else(|| BadRecord(format!("{:?} is no paging kind", record.kind)))?;
    Ok(Paging {
        kind,
        param: record.param.clone(),
        next_field: None,
        has_more_field: None,
        total_field: None,
        size_param: None,
        items_field: record.items.clone(),
        first: 0,
        first_assumed: false,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn type_texts_read_back() {
        let types = [
            TypeRef::Named(TypeId(2)),
            TypeRef::Const("a[]?#".to_owned()),
            TypeRef::Array(Box::new(TypeRef::Nullable(Box::new(TypeRef::Integer(
                IntFormat::U32,
            ))))),
            TypeRef::Map(Box::new(TypeRef::Array(Box::new(TypeRef::Json)))),
            TypeRef::Nullable(Box::new(TypeRef::Named(TypeId(0)))),
            TypeRef::DateTime,
        ];
        for ty in types {
            assert_eq!(parse_type(&type_text(&ty), 3), Ok(ty.clone()), "{ty:?}");
        }
    }

    #[test]
    fn a_type_outside_the_record_is_refused() {
        assert!(parse_type("#3", 3).is_err());
        assert!(parse_type("[]integer", 3).is_err());
    }
}
