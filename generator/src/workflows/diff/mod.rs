//! `generator diff OLD NEW`: a semantic changelog between two versions of an
//! API description, computed on the intermediate model ([`crate::model::ir`]), not
//! on the raw documents, so that JSON/YAML, 3.0/3.1 and the spellings of
//! nullability make no difference.
//!
//! [`diff`] is pure: two [`ApiModel`]s in, a [`Changelog`] out.
//! [`render`] turns the changelog into text, Markdown or JSON.
//!
//! # Identity
//!
//! Operations are keyed by `METHOD path`, component schemas by name, fields
//! by wire name, parameters by location and wire name. Types are described
//! by what they are (`string`, `array of Voice`, `Voice | null`): a named
//! type by its component name, an inline one by its structure, never by
//! [`TypeId`], which differs between versions. Inline object, enum and
//! union types (an inline request body, a property's inline enum) are
//! compared structurally, their changes reported with a dotted path
//! (`field settings.stability`, `response field items[].voice_id`).
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
//! unions keep unknown values in a catch-all variant. Like any additive
//! change to a Rust API, new fields and new variants assume user code
//! builds values with `new`/`Default` (not struct literals) and matches
//! enums with a catch-all arm; under that convention they break nothing.
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
//! | optional field added | no | `new`/`Default` leave it unset |
//! | required field added, request type | yes | `new(...)` takes a new argument; requests must send it |
//! | required field added, response-only type | no | a new field to read |
//! | required or nullable changed so the field's Rust type changes (`T`, `Option<T>`, `Nullable<T>`) | yes, either side | code reading or setting the field stops compiling |
//! | required changed, Rust type stays `Option<T>` (optional <-> required + nullable), request type | yes | `new(...)` gains or loses the argument |
//! | the same, response-only type | no | the field's type is unchanged |
//! | enum value added (request or response) | no | a new variant; our enums keep unknown values (`Unknown`) |
//! | enum value removed | yes | the variant is gone |
//! | union member added / removed | no / yes | a new variant / a variant is gone |
//! | union tag (discriminator) added / removed / renamed | no / yes / no | the `Unknown` catch-all variant appears / is gone / the decoder follows |
//! | `additionalProperties` added / removed | no / yes | an `additional_properties` map appears / is gone |
//! | `new(...)` arguments reordered (request type) | yes | calls stop compiling or swap values |

pub mod render;

use std::collections::{BTreeMap, HashMap};

use serde::Serialize;

use crate::model::ir::*;

/// What changed between two versions of an API description.
#[derive(Debug, Clone, Default, Serialize)]
pub struct Changelog {
    pub old: VersionInfo,
    pub new: VersionInfo,
    pub operations: Section<OperationEntry, OperationChange>,
    pub schemas: Section<SchemaEntry, SchemaChange>,
}

/// One side of the comparison.
#[derive(Debug, Clone, Default, Serialize)]
pub struct VersionInfo {
    /// `info.title`.
    pub title: String,
    /// `info.version`.
    pub version: String,
    /// Where it was read from (a path or a manifest API name); set by the
    /// caller, empty when unknown.
    #[serde(skip_serializing_if = "String::is_empty")]
    pub source: String,
}

#[derive(Debug, Clone, Serialize)]
pub struct Section<A, C> {
    pub added: Vec<A>,
    pub removed: Vec<A>,
    pub changed: Vec<C>,
}

impl<A, C> Default for Section<A, C> {
    fn default() -> Self {
        Section {
            added: Vec::new(),
            removed: Vec::new(),
            changed: Vec::new(),
        }
    }
}

/// An operation that was added or removed.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct OperationEntry {
    pub method: String,
    pub path: String,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub operation_id: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub summary: Option<String>,
    pub breaking: bool,
    pub reason: String,
}

/// One change inside an operation that both versions have.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct OperationChange {
    pub method: String,
    pub path: String,
    #[serde(flatten)]
    pub change: Change,
}

/// A component schema that was added or removed.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct SchemaEntry {
    pub name: String,
    /// `struct`, `enum`, `union` or `alias`.
    pub kind: String,
    pub breaking: bool,
    pub reason: String,
}

/// One change inside a component schema that both versions have.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct SchemaChange {
    pub schema: String,
    #[serde(flatten)]
    pub change: Change,
}

/// One atomic change.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Change {
    /// What it concerns: `field settings.stability`, `query parameter
    /// page_size`, `request body field name`, `response`; empty for the
    /// operation or schema as a whole.
    pub location: String,
    pub kind: ChangeKind,
    /// One line for people: `field name added (optional, string)`.
    pub summary: String,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub old: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub new: Option<String>,
    pub breaking: bool,
    pub reason: String,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum ChangeKind {
    ParameterAdded,
    ParameterRemoved,
    ParameterRequired,
    ParameterOptional,
    ArgumentsReordered,
    BodyAdded,
    BodyRemoved,
    BodyRequired,
    BodyOptional,
    BodyEncodingChanged,
    ResponseKindChanged,
    CallSiteChanged,
    Deprecated,
    Undeprecated,
    KindChanged,
    TypeChanged,
    FieldAdded,
    FieldRemoved,
    FieldRequired,
    FieldOptional,
    FieldNullable,
    FieldNotNullable,
    ConstructorReordered,
    EnumValueAdded,
    EnumValueRemoved,
    UnionMemberAdded,
    UnionMemberRemoved,
    DiscriminatorChanged,
    AdditionalPropertiesAdded,
    AdditionalPropertiesRemoved,
}

impl Changelog {
    /// Every classified item: added and removed entries and changes.
    fn verdicts(&self) -> impl Iterator<Item = bool> + '_ {
        let ops = &self.operations;
        let schemas = &self.schemas;
        ops.added
            .iter()
            .chain(&ops.removed)
            .map(|e| e.breaking)
            .chain(ops.changed.iter().map(|c| c.change.breaking))
            .chain(
                schemas
                    .added
                    .iter()
                    .chain(&schemas.removed)
                    .map(|e| e.breaking),
            )
            .chain(schemas.changed.iter().map(|c| c.change.breaking))
    }

    pub fn breaking_count(&self) -> usize {
        self.verdicts().filter(|b| *b).count()
    }

    pub fn total_count(&self) -> usize {
        self.verdicts().count()
    }

    pub fn has_breaking(&self) -> bool {
        self.verdicts().any(|b| b)
    }

    pub fn is_empty(&self) -> bool {
        self.total_count() == 0
    }
}

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
        operations: differ.operations(),
        schemas: differ.schemas(),
    }
}

// ---------------------------------------------------------------------------
// Where a type is used
// ---------------------------------------------------------------------------

/// Whether a type is reached from requests, responses, both or neither.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
struct Usage {
    request: bool,
    response: bool,
}

const REQUEST: Usage = Usage {
    request: true,
    response: false,
};
const RESPONSE: Usage = Usage {
    request: false,
    response: true,
};

impl Usage {
    fn union(self, other: Usage) -> Usage {
        Usage {
            request: self.request || other.request,
            response: self.response || other.response,
        }
    }

    /// User code may build values of it: request types, and types no
    /// operation uses.
    fn built(self) -> bool {
        self.request || !self.response
    }

    fn response_only(self) -> bool {
        self.response && !self.request
    }

    fn describe(self) -> &'static str {
        match (self.request, self.response) {
            (true, true) => "a type used in requests and responses",
            (true, false) => "a request type",
            (false, true) => "a response-only type",
            (false, false) => "a type no operation uses (judged like a request type)",
        }
    }
}

fn usages(model: &ApiModel) -> Vec<Usage> {
    let mut usage = vec![Usage::default(); model.types.len()];
    let mut stack: Vec<(TypeId, Usage)> = Vec::new();
    let seed = |ty: &TypeRef, side: Usage, stack: &mut Vec<(TypeId, Usage)>| {
        let mut ids = Vec::new();
        ty.mentioned(&mut ids);
        stack.extend(ids.into_iter().map(|id| (id, side)));
    };
    for op in &model.operations {
        for param in &op.params {
            seed(&param.ty, REQUEST, &mut stack);
        }
        if let Some(body) = &op.body {
            seed(&body.ty, REQUEST, &mut stack);
        }
        if let ResponseDef::Json(ty) | ResponseDef::EventStream(ty) = &op.response {
            seed(ty, RESPONSE, &mut stack);
        }
        for (_, ty) in &op.errors {
            seed(ty, RESPONSE, &mut stack);
        }
    }
    while let Some((id, side)) = stack.pop() {
        let Some(current) = usage.get_mut(id.0) else {
            continue;
        };
        let merged = current.union(side);
        if merged == *current {
            continue;
        }
        *current = merged;
        let mut ids = Vec::new();
        match &model.types[id.0].kind {
            TypeKind::Struct(def) => {
                for field in &def.fields {
                    field.ty.mentioned(&mut ids);
                }
                if let Some(additional) = &def.additional {
                    additional.mentioned(&mut ids);
                }
            }
            TypeKind::Union(def) => {
                for variant in &def.variants {
                    variant.ty.mentioned(&mut ids);
                }
            }
            TypeKind::Alias(ty) => ty.mentioned(&mut ids),
            TypeKind::StringEnum(_) => {}
        }
        stack.extend(ids.into_iter().map(|id| (id, side)));
    }
    usage
}

// ---------------------------------------------------------------------------
// Describing types
// ---------------------------------------------------------------------------

/// How many fields, values or members a description lists before `…`.
const LIST_LIMIT: usize = 4;

/// A human description of a type in a model: `string`, `array of Voice`,
/// `Voice | null`, `enum ("a", "b")`, `object {id, name}`.
pub fn describe_type(model: &ApiModel, ty: &TypeRef) -> String {
    signature(model, ty, Some(LIST_LIMIT), false)
}

/// `limit`: how many parts of an inline type to list (`None`: all, fully
/// described, for comparing). `through_aliases`: describe what component
/// aliases stand for instead of naming them.
fn signature(
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

fn inline_signature(
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

fn list(parts: &[String], limit: Option<usize>) -> String {
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

fn kind_name(kind: &TypeKind) -> &'static str {
    match kind {
        TypeKind::Struct(_) => "struct",
        TypeKind::StringEnum(_) => "enum",
        TypeKind::Union(_) => "union",
        TypeKind::Alias(_) => "alias",
    }
}

/// The Rust shape of a field: `T`, `Option<T>` or `Nullable<T>`.
fn wrapper(required: bool, nullable: bool) -> &'static str {
    match (required, nullable) {
        (true, false) => "T",
        (true, true) | (false, false) => "Option<T>",
        (false, true) => "Nullable<T>",
    }
}

fn presence(required: bool, nullable: bool) -> String {
    let mut words = vec![if required { "required" } else { "optional" }];
    if nullable {
        words.push("nullable");
    }
    words.join(", ")
}

// ---------------------------------------------------------------------------
// Places: where in an operation or schema a change is
// ---------------------------------------------------------------------------

#[derive(Debug, Clone)]
struct Place {
    /// `request body`, `response`, or empty for a component schema or an
    /// operation as a whole.
    base: String,
    /// A parameter's location and name, instead of `base`.
    parameter: Option<(&'static str, String)>,
    /// Field names joined by `.`, `[]` for array items, `{}` for map
    /// values, `*` for additional properties, `<Member>` for union members.
    path: String,
    /// Whether `path` names a field.
    has_field: bool,
}

impl Place {
    fn root(base: impl Into<String>) -> Place {
        Place {
            base: base.into(),
            parameter: None,
            path: String::new(),
            has_field: false,
        }
    }

    fn parameter(param: &ParamDef) -> Place {
        Place {
            base: String::new(),
            parameter: Some((location_name(param.location), param.wire_name.clone())),
            path: String::new(),
            has_field: false,
        }
    }

    fn field(&self, name: &str) -> Place {
        let path = if self.path.is_empty() {
            name.to_owned()
        } else {
            format!("{}.{name}", self.path)
        };
        Place {
            path,
            has_field: true,
            ..self.clone()
        }
    }

    fn suffix(&self, suffix: &str) -> Place {
        Place {
            path: format!("{}{suffix}", self.path),
            ..self.clone()
        }
    }

    /// `field settings.stability`, `request body field name`, `response
    /// element []`; names in backticks for summaries (`ticks`).
    fn label(&self, ticks: bool) -> String {
        let tick = if ticks { "`" } else { "" };
        let base = match &self.parameter {
            Some((location, name)) => format!("{location} parameter {tick}{name}{tick}"),
            None => self.base.clone(),
        };
        if self.path.is_empty() {
            return base;
        }
        let what = if self.has_field {
            "field"
        } else if self.path.starts_with('<') {
            "member"
        } else {
            "element"
        };
        let path = format!("{tick}{}{tick}", self.path);
        if base.is_empty() {
            format!("{what} {path}")
        } else {
            format!("{base} {what} {path}")
        }
    }
}

/// `label rest`, or `rest` alone for the whole schema.
fn sentence(label: &str, rest: &str) -> String {
    if label.is_empty() {
        let mut chars = rest.chars();
        match chars.next() {
            Some(first) => first.to_uppercase().chain(chars).collect(),
            None => String::new(),
        }
    } else {
        format!("{label} {rest}")
    }
}

// ---------------------------------------------------------------------------
// The comparison
// ---------------------------------------------------------------------------

struct Differ<'a> {
    old: &'a ApiModel,
    new: &'a ApiModel,
    old_usage: Vec<Usage>,
    new_usage: Vec<Usage>,
}

fn component_index(model: &ApiModel) -> BTreeMap<&str, TypeId> {
    model
        .types
        .iter()
        .enumerate()
        .filter_map(|(i, t)| t.component_name.as_deref().map(|n| (n, TypeId(i))))
        .collect()
}

const METHOD_ORDER: [&str; 8] = [
    "GET", "PUT", "POST", "DELETE", "OPTIONS", "HEAD", "PATCH", "TRACE",
];

fn operation_key(op: &Operation) -> (String, usize, String) {
    let rank = METHOD_ORDER
        .iter()
        .position(|m| *m == op.method)
        .unwrap_or(METHOD_ORDER.len());
    (op.path.clone(), rank, op.method.clone())
}

fn operation_index(model: &ApiModel) -> BTreeMap<(String, usize, String), &Operation> {
    model
        .operations
        .iter()
        .map(|op| (operation_key(op), op))
        .collect()
}

fn location_name(location: ParamLocation) -> &'static str {
    match location {
        ParamLocation::Path => "path",
        ParamLocation::Query => "query",
        ParamLocation::Header => "header",
    }
}

fn param_label(param: &ParamDef) -> String {
    format!(
        "{} parameter {}",
        location_name(param.location),
        param.wire_name
    )
}

/// The positional arguments of an operation's method, in order.
fn arguments(op: &Operation) -> Vec<String> {
    let mut args: Vec<String> = crate::model::lower::template_names(&op.path)
        .into_iter()
        .filter_map(|name| {
            op.params
                .iter()
                .find(|p| p.location == ParamLocation::Path && p.wire_name == name)
                .map(param_label)
        })
        .collect();
    args.extend(
        op.params
            .iter()
            .filter(|p| p.required && p.location != ParamLocation::Path)
            .map(param_label),
    );
    if op.body.as_ref().is_some_and(|b| b.required) {
        args.push("body".to_owned());
    }
    args
}

fn call_site(op: &Operation) -> String {
    let mut parts = op.group.clone();
    parts.push(op.name.clone());
    parts.join(".")
}

/// Collects the changes of one operation or schema.
struct Sink {
    changes: Vec<Change>,
}

impl Sink {
    #[allow(clippy::too_many_arguments)]
    fn push(
        &mut self,
        place: &Place,
        kind: ChangeKind,
        rest: String,
        old: Option<String>,
        new: Option<String>,
        breaking: bool,
        reason: impl Into<String>,
    ) {
        let location = place.label(false);
        self.changes.push(Change {
            summary: sentence(&place.label(true), &rest),
            location,
            kind,
            old,
            new,
            breaking,
            reason: reason.into(),
        });
    }
}

impl<'a> Differ<'a> {
    fn new(old: &'a ApiModel, new: &'a ApiModel) -> Self {
        Differ {
            old,
            new,
            old_usage: usages(old),
            new_usage: usages(new),
        }
    }

    // --- operations -------------------------------------------------------

    fn operations(&self) -> Section<OperationEntry, OperationChange> {
        let old = operation_index(self.old);
        let new = operation_index(self.new);
        let mut section = Section::default();
        for (key, op) in &old {
            if !new.contains_key(key) {
                section.removed.push(OperationEntry {
                    method: op.method.clone(),
                    path: op.path.clone(),
                    operation_id: op.operation_id.clone(),
                    summary: op.summary.clone(),
                    breaking: true,
                    reason: format!(
                        "the method `{}` is gone from the client; calls to it stop compiling",
                        call_site(op)
                    ),
                });
            }
        }
        for (key, op) in &new {
            match old.get(key) {
                None => section.added.push(OperationEntry {
                    method: op.method.clone(),
                    path: op.path.clone(),
                    operation_id: op.operation_id.clone(),
                    summary: op.summary.clone(),
                    breaking: false,
                    reason: format!("a new method `{}` on the client", call_site(op)),
                }),
                Some(before) => {
                    let mut sink = Sink {
                        changes: Vec::new(),
                    };
                    self.operation(before, op, &mut sink);
                    section
                        .changed
                        .extend(sink.changes.into_iter().map(|change| OperationChange {
                            method: op.method.clone(),
                            path: op.path.clone(),
                            change,
                        }));
                }
            }
        }
        section
    }

    fn operation(&self, old: &Operation, new: &Operation, sink: &mut Sink) {
        let whole = Place::root("");
        let (before, after) = (call_site(old), call_site(new));
        if before != after {
            sink.push(
                &whole,
                ChangeKind::CallSiteChanged,
                format!("the client method moves from `{before}` to `{after}`"),
                Some(before),
                Some(after),
                true,
                "the method has another name or group on the client; calls stop compiling",
            );
        }
        deprecation(
            sink,
            &whole,
            old.deprecated,
            new.deprecated,
            "calls compile, with a deprecation warning",
        );
        self.parameters(old, new, sink);
        let (old_args, new_args) = (arguments(old), arguments(new));
        if old_args != new_args {
            let mut sorted_old = old_args.clone();
            let mut sorted_new = new_args.clone();
            sorted_old.sort();
            sorted_new.sort();
            if sorted_old == sorted_new {
                sink.push(
                    &whole,
                    ChangeKind::ArgumentsReordered,
                    "the method's arguments change order".to_owned(),
                    Some(old_args.join(", ")),
                    Some(new_args.join(", ")),
                    true,
                    "positional arguments change places: calls stop compiling or pass values to the wrong parameter",
                );
            }
        }
        self.body(old, new, sink);
        self.response(&old.response, &new.response, sink);
    }

    fn parameters(&self, old: &Operation, new: &Operation, sink: &mut Sink) {
        fn find<'p>(params: &'p [ParamDef], p: &ParamDef) -> Option<&'p ParamDef> {
            params
                .iter()
                .find(|q| q.wire_name == p.wire_name && q.location == p.location)
        }
        for param in &old.params {
            if find(&new.params, param).is_none() {
                let place = Place::parameter(param);
                let reason = if param.required {
                    "a positional argument of the method is gone; calls stop compiling"
                } else {
                    "its setter on the request builder is gone; calls that set it stop compiling"
                };
                sink.push(
                    &place,
                    ChangeKind::ParameterRemoved,
                    "removed".to_owned(),
                    Some(describe_type(self.old, &param.ty)),
                    None,
                    true,
                    reason,
                );
            }
        }
        let had_builder = has_optional_inputs(old);
        for param in &new.params {
            let place = Place::parameter(param);
            let Some(before) = find(&old.params, param) else {
                let ty = describe_type(self.new, &param.ty);
                let (breaking, reason) = if param.required {
                    (
                        true,
                        "a new positional argument of the method; calls stop compiling".to_owned(),
                    )
                } else if had_builder {
                    (
                        false,
                        "a new setter on the request builder; calls are unchanged".to_owned(),
                    )
                } else {
                    (
                        false,
                        "a new optional input: the method now returns a request builder, which `.await`s as before".to_owned(),
                    )
                };
                sink.push(
                    &place,
                    ChangeKind::ParameterAdded,
                    format!("added ({}, {ty})", presence(param.required, false)),
                    None,
                    Some(ty),
                    breaking,
                    reason,
                );
                continue;
            };
            deprecation(
                sink,
                &place,
                before.docs.deprecated,
                param.docs.deprecated,
                "calls compile, with the parameter documented as deprecated",
            );
            if before.required != param.required {
                let (kind, rest, reason) = if param.required {
                    (
                        ChangeKind::ParameterRequired,
                        "became required",
                        "the builder setter becomes a positional argument; calls stop compiling",
                    )
                } else {
                    (
                        ChangeKind::ParameterOptional,
                        "became optional",
                        "the positional argument becomes a builder setter; calls stop compiling",
                    )
                };
                sink.push(
                    &place,
                    kind,
                    rest.to_owned(),
                    Some(presence(before.required, false)),
                    Some(presence(param.required, false)),
                    true,
                    reason,
                );
            }
            self.compare_ty(&before.ty, &param.ty, &place, REQUEST, sink);
        }
    }

    fn body(&self, old: &Operation, new: &Operation, sink: &mut Sink) {
        let place = Place::root("request body");
        match (&old.body, &new.body) {
            (None, None) => {}
            (Some(body), None) => sink.push(
                &place,
                ChangeKind::BodyRemoved,
                "removed".to_owned(),
                Some(describe_body(self.old, body)),
                None,
                true,
                if body.required {
                    "the body argument is gone; calls stop compiling"
                } else {
                    "the builder's `body` setter is gone; calls that set it stop compiling"
                },
            ),
            (None, Some(body)) => {
                let (breaking, reason) = if body.required {
                    (
                        true,
                        "a new body argument of the method; calls stop compiling",
                    )
                } else {
                    (
                        false,
                        "a new `body` setter on the request builder; calls are unchanged",
                    )
                };
                sink.push(
                    &place,
                    ChangeKind::BodyAdded,
                    format!(
                        "added ({}, {})",
                        presence(body.required, false),
                        describe_body(self.new, body)
                    ),
                    None,
                    Some(describe_body(self.new, body)),
                    breaking,
                    reason,
                );
            }
            (Some(before), Some(after)) => {
                if before.required != after.required {
                    let (kind, rest, reason) = if after.required {
                        (
                            ChangeKind::BodyRequired,
                            "became required",
                            "the builder's `body` setter becomes a positional argument; calls stop compiling",
                        )
                    } else {
                        (
                            ChangeKind::BodyOptional,
                            "became optional",
                            "the body argument becomes a builder setter; calls stop compiling",
                        )
                    };
                    sink.push(
                        &place,
                        kind,
                        rest.to_owned(),
                        Some(presence(before.required, false)),
                        Some(presence(after.required, false)),
                        true,
                        reason,
                    );
                }
                if before.encoding != after.encoding {
                    let both_structured = !matches!(before.encoding, BodyEncoding::Binary(_))
                        && !matches!(after.encoding, BodyEncoding::Binary(_));
                    let (breaking, reason) = if both_structured
                        || before.ty == TypeRef::Binary && after.ty == TypeRef::Binary
                    {
                        (
                            false,
                            "the client sends the same Rust type with the new encoding",
                        )
                    } else {
                        (true, "the body changes between raw bytes and a typed value")
                    };
                    sink.push(
                        &place,
                        ChangeKind::BodyEncodingChanged,
                        format!(
                            "encoding changed from {} to {}",
                            encoding_name(&before.encoding),
                            encoding_name(&after.encoding)
                        ),
                        Some(encoding_name(&before.encoding)),
                        Some(encoding_name(&after.encoding)),
                        breaking,
                        reason,
                    );
                }
                self.compare_ty(&before.ty, &after.ty, &place, REQUEST, sink);
            }
        }
    }

    fn response(&self, old: &ResponseDef, new: &ResponseDef, sink: &mut Sink) {
        let place = Place::root("response");
        let change = |sink: &mut Sink, breaking: bool, reason: &str| {
            let (before, after) = (
                describe_response(self.old, old),
                describe_response(self.new, new),
            );
            sink.push(
                &place,
                ChangeKind::ResponseKindChanged,
                format!("changed from {before} to {after}"),
                Some(before),
                Some(after),
                breaking,
                reason.to_owned(),
            );
        };
        match (old, new) {
            (ResponseDef::Json(a), ResponseDef::Json(b)) => {
                self.compare_ty(a, b, &place, RESPONSE, sink)
            }
            (ResponseDef::EventStream(a), ResponseDef::EventStream(b)) => {
                self.compare_ty(a, b, &Place::root("response events"), RESPONSE, sink)
            }
            (ResponseDef::Empty, ResponseDef::Empty) => {}
            (ResponseDef::Binary(a), ResponseDef::Binary(b)) => {
                if a != b {
                    change(sink, false, "the method still returns a `ByteStream`");
                }
            }
            (ResponseDef::Text(a), ResponseDef::Text(b)) => {
                if a != b {
                    change(sink, false, "the method still returns a `String`");
                }
            }
            (ResponseDef::Empty, _) => change(
                sink,
                false,
                "the method returned `()`, which callers could only discard; now it returns a value they may ignore",
            ),
            _ => change(
                sink,
                true,
                "the method returns another Rust type; code using the result stops compiling",
            ),
        }
    }

    // --- schemas ----------------------------------------------------------

    fn schemas(&self) -> Section<SchemaEntry, SchemaChange> {
        let old = component_index(self.old);
        let new = component_index(self.new);
        let mut section = Section::default();
        for (name, id) in &old {
            if !new.contains_key(name) {
                section.removed.push(SchemaEntry {
                    name: (*name).to_owned(),
                    kind: kind_name(&self.old.types[id.0].kind).to_owned(),
                    breaking: true,
                    reason: "the type is gone; code naming it stops compiling".to_owned(),
                });
            }
        }
        for (name, id) in &new {
            let Some(old_id) = old.get(name) else {
                section.added.push(SchemaEntry {
                    name: (*name).to_owned(),
                    kind: kind_name(&self.new.types[id.0].kind).to_owned(),
                    breaking: false,
                    reason: "a new type".to_owned(),
                });
                continue;
            };
            let usage = self.old_usage[old_id.0].union(self.new_usage[id.0]);
            let mut sink = Sink {
                changes: Vec::new(),
            };
            self.schema(
                &self.old.types[old_id.0],
                &self.new.types[id.0],
                usage,
                &mut sink,
            );
            section
                .changed
                .extend(sink.changes.into_iter().map(|change| SchemaChange {
                    schema: (*name).to_owned(),
                    change,
                }));
        }
        section
    }

    fn schema(&self, old: &TypeDef, new: &TypeDef, usage: Usage, sink: &mut Sink) {
        let whole = Place::root("");
        deprecation(
            sink,
            &whole,
            old.docs.deprecated,
            new.docs.deprecated,
            "code naming the type compiles, with a deprecation warning",
        );
        if kind_name(&old.kind) != kind_name(&new.kind) {
            sink.push(
                &whole,
                ChangeKind::KindChanged,
                format!(
                    "kind changed from {} to {}",
                    kind_name(&old.kind),
                    kind_name(&new.kind)
                ),
                Some(kind_name(&old.kind).to_owned()),
                Some(kind_name(&new.kind).to_owned()),
                true,
                "another kind of Rust item under the same name; code using it stops compiling",
            );
            return;
        }
        self.compare_kinds(&old.kind, &new.kind, &whole, usage, sink);
    }

    /// Two definitions of the same kind, compared part by part.
    fn compare_kinds(
        &self,
        old: &TypeKind,
        new: &TypeKind,
        place: &Place,
        usage: Usage,
        sink: &mut Sink,
    ) {
        match (old, new) {
            (TypeKind::Struct(a), TypeKind::Struct(b)) => {
                self.compare_struct(a, b, place, usage, sink)
            }
            (TypeKind::StringEnum(a), TypeKind::StringEnum(b)) => {
                compare_enum(a, b, place, usage, sink)
            }
            (TypeKind::Union(a), TypeKind::Union(b)) => {
                self.compare_union(a, b, place, usage, sink)
            }
            (TypeKind::Alias(a), TypeKind::Alias(b)) => self.compare_ty(a, b, place, usage, sink),
            _ => unreachable!("compare_kinds is called with kinds of the same name"),
        }
    }

    fn compare_struct(
        &self,
        old: &StructDef,
        new: &StructDef,
        place: &Place,
        usage: Usage,
        sink: &mut Sink,
    ) {
        let old_fields: HashMap<&str, &FieldDef> = old
            .fields
            .iter()
            .map(|f| (f.wire_name.as_str(), f))
            .collect();
        let new_fields: HashMap<&str, &FieldDef> = new
            .fields
            .iter()
            .map(|f| (f.wire_name.as_str(), f))
            .collect();
        for field in &old.fields {
            if !new_fields.contains_key(field.wire_name.as_str()) {
                sink.push(
                    &place.field(&field.wire_name),
                    ChangeKind::FieldRemoved,
                    "removed".to_owned(),
                    Some(describe_type(self.old, &field.ty)),
                    None,
                    true,
                    "code reading or setting the field stops compiling",
                );
            }
        }
        for field in &new.fields {
            let at = place.field(&field.wire_name);
            match old_fields.get(field.wire_name.as_str()) {
                None => self.field_added(field, &at, usage, sink),
                Some(before) => self.compare_field(before, field, &at, usage, sink),
            }
        }
        if usage.built() {
            let constructor = |def: &StructDef| -> Vec<String> {
                def.fields
                    .iter()
                    .filter(|f| f.required && !f.is_fixed_const())
                    .map(|f| f.wire_name.clone())
                    .collect()
            };
            let (before, after) = (constructor(old), constructor(new));
            let mut sorted_before = before.clone();
            let mut sorted_after = after.clone();
            sorted_before.sort();
            sorted_after.sort();
            if before != after && sorted_before == sorted_after {
                sink.push(
                    place,
                    ChangeKind::ConstructorReordered,
                    "the arguments of `new(...)` change order".to_owned(),
                    Some(before.join(", ")),
                    Some(after.join(", ")),
                    true,
                    format!(
                        "in {}: arguments change places, so calls stop compiling or swap values",
                        usage.describe()
                    ),
                );
            }
        }
        let additional = place.suffix(if place.path.is_empty() { "*" } else { ".*" });
        match (&old.additional, &new.additional) {
            (None, None) => {}
            (Some(ty), None) => sink.push(
                &additional,
                ChangeKind::AdditionalPropertiesRemoved,
                "(additional properties) removed".to_owned(),
                Some(describe_type(self.old, ty)),
                None,
                true,
                "the `additional_properties` map is gone; code using it stops compiling",
            ),
            (None, Some(ty)) => sink.push(
                &additional,
                ChangeKind::AdditionalPropertiesAdded,
                "(additional properties) added".to_owned(),
                None,
                Some(describe_type(self.new, ty)),
                false,
                "a new `additional_properties` map, empty by default",
            ),
            (Some(a), Some(b)) => self.compare_ty(a, b, &additional, usage, sink),
        }
    }

    fn field_added(&self, field: &FieldDef, at: &Place, usage: Usage, sink: &mut Sink) {
        let ty = describe_type(self.new, &field.ty);
        let (breaking, reason) = if field.is_fixed_const() {
            (
                false,
                "a constant field: `new(...)` and `Default` fill it in".to_owned(),
            )
        } else if !field.required {
            (
                false,
                "a new optional field, left unset by `new(...)` and `Default`".to_owned(),
            )
        } else if usage.built() {
            (
                true,
                format!(
                    "a new required field in {}: `new(...)` takes a new argument, and requests must send it",
                    usage.describe()
                ),
            )
        } else {
            (
                false,
                "a new field in a response-only type: one more field to read, nothing to change"
                    .to_owned(),
            )
        };
        sink.push(
            at,
            ChangeKind::FieldAdded,
            format!("added ({}, {ty})", presence(field.required, field.nullable)),
            None,
            Some(ty),
            breaking,
            reason,
        );
    }

    fn compare_field(
        &self,
        old: &FieldDef,
        new: &FieldDef,
        at: &Place,
        usage: Usage,
        sink: &mut Sink,
    ) {
        deprecation(
            sink,
            at,
            old.docs.deprecated,
            new.docs.deprecated,
            "code using the field compiles, with a deprecation warning",
        );
        self.compare_ty(&old.ty, &new.ty, at, usage, sink);
        let constant = old.is_fixed_const() && new.is_fixed_const();
        if constant || (old.required == new.required && old.nullable == new.nullable) {
            return;
        }
        let (was, is) = (
            wrapper(old.required, old.nullable),
            wrapper(new.required, new.nullable),
        );
        let kind = if old.required != new.required {
            if new.required {
                ChangeKind::FieldRequired
            } else {
                ChangeKind::FieldOptional
            }
        } else if new.nullable {
            ChangeKind::FieldNullable
        } else {
            ChangeKind::FieldNotNullable
        };
        let mut became = Vec::new();
        if old.required != new.required {
            became.push(if new.required { "required" } else { "optional" });
        }
        if old.nullable != new.nullable {
            became.push(if new.nullable {
                "nullable"
            } else {
                "non-nullable"
            });
        }
        let rest = format!("became {}", became.join(" and "));
        let (breaking, reason) = if was != is {
            let wire = match kind {
                ChangeKind::FieldRequired if usage.built() => ", and requests must send it",
                ChangeKind::FieldRequired => " (the server now always sends it)",
                ChangeKind::FieldNotNullable if usage.response_only() => {
                    " (the server no longer sends null)"
                }
                _ => "",
            };
            (
                true,
                format!(
                    "the field's Rust type changes from `{was}` to `{is}`: code reading or setting it stops compiling{wire}"
                ),
            )
        } else if usage.built() {
            let change = if new.required {
                "takes the field as a new argument"
            } else {
                "no longer takes the field as an argument"
            };
            (
                true,
                format!(
                    "in {}: the field stays `{is}` but `new(...)` {change}",
                    usage.describe()
                ),
            )
        } else {
            (
                false,
                format!("in a response-only type: the field stays `{is}`"),
            )
        };
        sink.push(
            at,
            kind,
            rest,
            Some(presence(old.required, old.nullable)),
            Some(presence(new.required, new.nullable)),
            breaking,
            reason,
        );
    }

    fn compare_union(
        &self,
        old: &UnionDef,
        new: &UnionDef,
        place: &Place,
        usage: Usage,
        sink: &mut Sink,
    ) {
        let old_members = member_keys(self.old, old);
        let new_members = member_keys(self.new, new);
        fn find<'v>(members: &[(String, &'v VariantDef)], key: &str) -> Option<&'v VariantDef> {
            members.iter().find(|(k, _)| k == key).map(|(_, v)| *v)
        }
        for (key, variant) in &old_members {
            if find(&new_members, key).is_none() {
                sink.push(
                    place,
                    ChangeKind::UnionMemberRemoved,
                    format!("member {key} removed"),
                    Some(describe_type(self.old, &variant.ty)),
                    None,
                    true,
                    "the union's variant is gone; code naming it stops compiling",
                );
            }
        }
        for (key, variant) in &new_members {
            match find(&old_members, key) {
                None => sink.push(
                    place,
                    ChangeKind::UnionMemberAdded,
                    format!("member {key} added"),
                    None,
                    Some(describe_type(self.new, &variant.ty)),
                    false,
                    "a new variant of the union; matches with a catch-all arm are unaffected",
                ),
                Some(before) => self.compare_ty(
                    &before.ty,
                    &variant.ty,
                    &place.suffix(&format!("<{key}>")),
                    usage,
                    sink,
                ),
            }
        }
        match (&old.discriminator, &new.discriminator) {
            (Some(a), None) => sink.push(
                place,
                ChangeKind::DiscriminatorChanged,
                format!("is no longer tagged by `{a}`"),
                Some(a.clone()),
                None,
                true,
                "the union is decoded by shape now and loses its `Unknown` catch-all variant",
            ),
            (None, Some(b)) => sink.push(
                place,
                ChangeKind::DiscriminatorChanged,
                format!("is now tagged by `{b}`"),
                None,
                Some(b.clone()),
                false,
                "the union is decoded by its tag and gains an `Unknown` variant for unknown tags",
            ),
            (Some(a), Some(b)) if a != b => sink.push(
                place,
                ChangeKind::DiscriminatorChanged,
                format!("tag changed from `{a}` to `{b}`"),
                Some(a.clone()),
                Some(b.clone()),
                false,
                "the generated decoder reads the new tag; the Rust type is unchanged",
            ),
            _ => {}
        }
    }

    /// Two types in the same position.
    fn compare_ty(
        &self,
        old: &TypeRef,
        new: &TypeRef,
        place: &Place,
        usage: Usage,
        sink: &mut Sink,
    ) {
        match (old, new) {
            (TypeRef::Nullable(a), TypeRef::Nullable(b)) => {
                return self.compare_ty(a, b, place, usage, sink)
            }
            (TypeRef::Array(a), TypeRef::Array(b)) => {
                return self.compare_ty(a, b, &place.suffix("[]"), usage, sink)
            }
            (TypeRef::Map(a), TypeRef::Map(b)) => {
                return self.compare_ty(a, b, &place.suffix("{}"), usage, sink)
            }
            (TypeRef::Named(a), TypeRef::Named(b)) => {
                let (a, b) = (&self.old.types[a.0], &self.new.types[b.0]);
                match (&a.component_name, &b.component_name) {
                    // Compared in the schemas section.
                    (Some(x), Some(y)) if x == y => return,
                    (None, None) if kind_name(&a.kind) == kind_name(&b.kind) => {
                        return self.compare_kinds(&a.kind, &b.kind, place, usage, sink)
                    }
                    _ => {}
                }
            }
            (a, b) if a == b => return,
            _ => {}
        }
        let before = describe_type(self.old, old);
        let after = describe_type(self.new, new);
        let same_rust_type =
            signature(self.old, old, None, true) == signature(self.new, new, None, true);
        let (breaking, reason) = if same_rust_type {
            (false, "the same Rust type through a type alias".to_owned())
        } else {
            (
                true,
                "another Rust type: code using it stops compiling".to_owned(),
            )
        };
        let rest = if before == after {
            // The short descriptions hide the difference: say it in full.
            format!(
                "type changed from {} to {}",
                signature(self.old, old, None, false),
                signature(self.new, new, None, false)
            )
        } else {
            format!("type changed from {before} to {after}")
        };
        sink.push(
            place,
            ChangeKind::TypeChanged,
            rest,
            Some(before),
            Some(after),
            breaking,
            reason,
        );
    }
}

fn compare_enum(old: &[String], new: &[String], place: &Place, usage: Usage, sink: &mut Sink) {
    for value in old {
        if !new.contains(value) {
            let reason = if usage.response {
                "the variant is gone: code naming it stops compiling, and the value now decodes as `Unknown`"
            } else {
                "the variant is gone: code naming it stops compiling"
            };
            sink.push(
                place,
                ChangeKind::EnumValueRemoved,
                format!("enum value {value:?} removed"),
                Some(value.clone()),
                None,
                true,
                reason,
            );
        }
    }
    for value in new {
        if !old.contains(value) {
            let reason = match (usage.request, usage.response) {
                (false, true) => "a new variant in a response; our enums keep unknown values (`Unknown`), so code built on the old enum already handled it",
                (true, false) => "a new variant that requests may send; existing values are unchanged (and our enums keep unknown values in `Unknown`)",
                _ => "a new variant; our enums keep unknown values (`Unknown`), so existing values and matches with a catch-all arm are unaffected",
            };
            sink.push(
                place,
                ChangeKind::EnumValueAdded,
                format!("enum value {value:?} added"),
                None,
                Some(value.clone()),
                false,
                reason,
            );
        }
    }
}

/// How a union's members are recognised across versions: a component's
/// name, an inline type's name hint (its title or position), or the
/// member's description; the second member with the same key gets `#2`.
fn member_keys<'m>(model: &ApiModel, def: &'m UnionDef) -> Vec<(String, &'m VariantDef)> {
    let mut seen: HashMap<String, usize> = HashMap::new();
    def.variants
        .iter()
        .map(|variant| {
            let key = match &variant.ty {
                TypeRef::Named(id) => {
                    let target = &model.types[id.0];
                    match (&target.component_name, target.name_hint.last()) {
                        (Some(name), _) => name.clone(),
                        (None, Some(hint)) => hint.clone(),
                        (None, None) => describe_type(model, &variant.ty),
                    }
                }
                other => describe_type(model, other),
            };
            let count = seen.entry(key.clone()).or_insert(0);
            *count += 1;
            let key = if *count == 1 {
                key
            } else {
                format!("{key}#{count}")
            };
            (key, variant)
        })
        .collect()
}

fn deprecation(sink: &mut Sink, place: &Place, old: bool, new: bool, reason: &str) {
    if old == new {
        return;
    }
    let (kind, rest, reason) = if new {
        (ChangeKind::Deprecated, "deprecated", reason.to_owned())
    } else {
        (
            ChangeKind::Undeprecated,
            "no longer deprecated",
            "the deprecation warning goes away".to_owned(),
        )
    };
    let rest = if place.label(false).is_empty() {
        rest.to_owned()
    } else {
        format!("is {rest}")
    };
    sink.push(place, kind, rest, None, None, false, reason);
}

fn has_optional_inputs(op: &Operation) -> bool {
    op.params.iter().any(|p| !p.required) || op.body.as_ref().is_some_and(|b| !b.required)
}

fn encoding_name(encoding: &BodyEncoding) -> String {
    match encoding {
        BodyEncoding::Json => "JSON".to_owned(),
        BodyEncoding::Multipart => "multipart/form-data".to_owned(),
        BodyEncoding::Binary(media) => format!("raw bytes ({media})"),
    }
}

fn describe_body(model: &ApiModel, body: &BodyDef) -> String {
    match &body.encoding {
        BodyEncoding::Binary(media) => format!("raw bytes ({media})"),
        encoding => format!(
            "{} {}",
            encoding_name(encoding),
            describe_type(model, &body.ty)
        ),
    }
}

fn describe_response(model: &ApiModel, response: &ResponseDef) -> String {
    match response {
        ResponseDef::Empty => "no body".to_owned(),
        ResponseDef::Json(ty) => format!("JSON {}", describe_type(model, ty)),
        ResponseDef::Text(media) => format!("text ({media})"),
        ResponseDef::Binary(media) => format!("bytes ({})", media.join(", ")),
        ResponseDef::EventStream(ty) => {
            format!("event stream of {}", describe_type(model, ty))
        }
    }
}
