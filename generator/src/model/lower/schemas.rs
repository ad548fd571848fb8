//! Schemas into types: the lowering state shared by the whole document
//! ([`Lowerer`]), where a schema stands ([`Site`]), and the rules for
//! objects, enums, unions, `allOf`, references and their limits.

use std::borrow::Cow;
use std::collections::{BTreeSet, HashMap, HashSet};
use std::path::Path;

use indexmap::IndexMap;
use serde_json::Value;

use crate::load;
use crate::load::spec::{AdditionalProperties, Schema};
use crate::model::ir::*;
use crate::support::error::{push_pointer, Error, Result};

use super::member_hints::member_hint;
use super::shared::{self, SharedEnums};

/// How many schemas an `allOf` may pull in through nested references
/// (real documents use a handful).
const MAX_ALL_OF_DEPTH: usize = 64;

/// How many schemas may nest inside one another in one component schema
/// (or one parameter, body or response) before the rest is kept as
/// `serde_json::Value`, recorded as a fallback. A deeper Rust type would
/// not compile: rustc stops at 128 levels when it lays out, drops or
/// derives traits for nested types (a level can cost two, `Option` and the
/// type), and the generated clients' JSON decoder refuses values nested
/// deeper than 128 anyway. Real documents nest fewer than ten. References
/// to component schemas do not count: each component starts anew.
const MAX_SCHEMA_NESTING: usize = 32;

const COMPONENT_PREFIX: &str = "#/components/schemas/";

pub(super) struct Lowerer<'a> {
    pub(super) file: &'a Path,
    pub(super) raw: &'a Value,
    pub(super) schemas: &'a IndexMap<String, Schema>,
    pub(super) component_ids: HashMap<&'a str, TypeId>,
    pub(super) types: Vec<Option<TypeDef>>,
    pub(super) consts: BTreeSet<String>,
    pub(super) example_sites: Vec<ExampleSite>,
    pub(super) response_sites: Vec<ExampleSite>,
    pub(super) fallbacks: Vec<Fallback>,
    /// Lowered non-component local references, by pointer.
    pub(super) foreign_refs: HashMap<String, TypeRef>,
    pub(super) foreign_in_progress: HashSet<String>,
    /// Pointers of the inline types being lowered, outermost first: one
    /// that recurs would expand without end.
    pub(super) inline_in_progress: Vec<String>,
    /// Schemas nested around the one being lowered ([`MAX_SCHEMA_NESTING`]).
    pub(super) nesting: usize,
    /// The component whose types are being lowered (their file).
    pub(super) home: TypeId,
    pub(super) multipart_bodies: Vec<MultipartBody>,
    pub(super) shared_enums: SharedEnums,
}

/// Where a schema stands: its pointer and the name hint for inline types.
#[derive(Clone)]
pub(super) struct Site {
    pub(super) pointer: String,
    pub(super) hint: Vec<String>,
}

impl Site {
    fn child(&self, pointer_token: &str, hint: Option<&str>) -> Site {
        let mut next_hint = self.hint.clone();
        if let Some(hint) = hint {
            next_hint.push(hint.to_owned());
        }
        Site {
            pointer: push_pointer(&self.pointer, pointer_token),
            hint: next_hint,
        }
    }

    fn index(&self, key: &str, index: usize, hint: Option<&str>) -> Site {
        let site = self.child(key, hint);
        Site {
            pointer: format!("{}/{index}", site.pointer),
            hint: site.hint,
        }
    }
}

impl<'a> Lowerer<'a> {
    pub(super) fn new(
        file: &'a Path,
        raw: &'a Value,
        schemas: &'a IndexMap<String, Schema>,
    ) -> Self {
        let component_ids: HashMap<&str, TypeId> = schemas
            .keys()
            .enumerate()
            .map(|(i, name)| (name.as_str(), TypeId(i)))
            .collect();
        let shared_enums = SharedEnums::new(raw, &component_ids);
        Lowerer {
            file,
            raw,
            schemas,
            component_ids,
            types: vec![None; schemas.len()],
            consts: BTreeSet::new(),
            example_sites: Vec::new(),
            response_sites: Vec::new(),
            fallbacks: Vec::new(),
            foreign_refs: HashMap::new(),
            foreign_in_progress: HashSet::new(),
            inline_in_progress: Vec::new(),
            nesting: 0,
            home: TypeId(0),
            multipart_bodies: Vec::new(),
            shared_enums,
        }
    }

    pub(super) fn lower_components(&mut self) -> Result<()> {
        for (index, (name, schema)) in self.schemas.iter().enumerate() {
            let id = TypeId(index);
            self.home = id;
            let site = Site {
                pointer: push_pointer("/components/schemas", name),
                hint: vec![name.clone()],
            };
            self.record_examples(schema, &site, TypeRef::Named(id));
            let kind = self.named_kind(schema, &site)?;
            self.types[index] = Some(TypeDef {
                name_hint: site.hint.clone(),
                home: id,
                component_name: Some(name.clone()),
                pointer: site.pointer,
                docs: docs_of(schema),
                kind,
            });
        }
        Ok(())
    }

    /// The kind of a schema that gets a name of its own.
    fn named_kind(&mut self, schema: &Schema, site: &Site) -> Result<TypeKind> {
        if needs_own_type(schema) && single_all_of_reference(schema).is_none() {
            self.own_type_kind(schema, site)
        } else {
            Ok(TypeKind::Alias(self.type_ref_inner(schema, site)?))
        }
    }

    /// The kind of a schema that [`needs_own_type`].
    fn own_type_kind(&mut self, schema: &Schema, site: &Site) -> Result<TypeKind> {
        if let Some(values) = string_enum_values(schema) {
            return Ok(TypeKind::StringEnum(values));
        }
        let members = non_null_members(schema);
        if !schema.all_of.is_empty() || is_object_with_properties(schema) {
            return Ok(TypeKind::Struct(self.struct_def(schema, site)?));
        }
        if members.len() >= 2 {
            return Ok(TypeKind::Union(self.union_def(schema, site)?));
        }
        unreachable!("needs_own_type admitted a schema that is no struct, enum or union")
    }

    /// The enum already lowered for the same values under the same name
    /// stem, if this place shares enums ([`SharedEnums`]).
    fn shared_enum(&mut self, schema: &Schema, site: &Site) -> Option<TypeId> {
        let values = string_enum_values(schema)?;
        if !self.shared_enums.shares_in(self.home) {
            return None;
        }
        let id = self
            .shared_enums
            .get(&SharedEnums::key(&site.hint, &values))?;
        let shared = self.types[id.0].as_mut().expect("shared enums are lowered");
        shared::join(shared, self.home, &docs_of(schema));
        Some(id)
    }

    fn share_enum(&mut self, schema: &Schema, site: &Site, id: TypeId) {
        if let Some(values) = string_enum_values(schema) {
            if self.shared_enums.shares_in(self.home) {
                let key = SharedEnums::key(&site.hint, &values);
                self.shared_enums.insert(key, id);
            }
        }
    }

    fn reserve_inline(&mut self, site: &Site, docs: Docs) -> TypeId {
        let id = TypeId(self.types.len());
        self.types.push(Some(TypeDef {
            name_hint: site.hint.clone(),
            home: self.home,
            component_name: None,
            pointer: site.pointer.clone(),
            docs,
            kind: TypeKind::Alias(TypeRef::Json),
        }));
        id
    }

    /// Lowers a schema in a position, recording its examples; past
    /// [`MAX_SCHEMA_NESTING`] it is `serde_json::Value`.
    pub(super) fn type_ref(&mut self, schema: &Schema, site: &Site) -> Result<TypeRef> {
        if self.nesting >= MAX_SCHEMA_NESTING && schema.reference.is_none() {
            return Ok(self.too_deep(site));
        }
        self.nesting += 1;
        let ty = self.type_ref_inner(schema, site);
        self.nesting -= 1;
        let ty = ty?;
        self.record_examples(schema, site, ty.clone());
        Ok(ty)
    }

    fn too_deep(&mut self, site: &Site) -> TypeRef {
        self.fallback(
            site,
            format!("nested more than {MAX_SCHEMA_NESTING} schemas deep in one type; the rest is kept as JSON"),
        )
    }

    fn type_ref_inner(&mut self, schema: &Schema, site: &Site) -> Result<TypeRef> {
        if let Some(reference) = &schema.reference {
            let target = self.reference(reference, site)?;
            return Ok(wrap_nullable(target, schema.nullable));
        }
        if let Some(reference) = single_all_of_reference(schema) {
            let member_site = site.index("allOf", 0, None);
            let target = self.reference(reference, &member_site)?;
            return Ok(wrap_nullable(target, schema.admits_null_itself()));
        }
        let nullable = schema.admits_null_itself() || has_null_member(schema);
        let members = non_null_members(schema);
        if schema.all_of.is_empty() && members.len() == 1 && !is_object_with_properties(schema) {
            let (index, key, member) = members[0];
            let inner = self.type_ref(member, &site.index(key, index, None))?;
            return Ok(wrap_nullable(inner, nullable));
        }
        if needs_own_type(schema) {
            if self.inline_in_progress.contains(&site.pointer) {
                return Err(Error::at_pointer(
                    self.file,
                    &site.pointer,
                    "this schema contains itself through `allOf` with no named schema in between, so its type would be infinite; make the repeated part a component schema and refer to it",
                ));
            }
            if let Some(id) = self.shared_enum(schema, site) {
                return Ok(wrap_nullable(TypeRef::Named(id), nullable));
            }
            self.inline_in_progress.push(site.pointer.clone());
            let id = self.reserve_inline(site, docs_of(schema));
            self.share_enum(schema, site, id);
            let kind = self.own_type_kind(schema, site);
            self.inline_in_progress.pop();
            self.types[id.0].as_mut().expect("reserved").kind = kind?;
            return Ok(wrap_nullable(TypeRef::Named(id), nullable));
        }
        let base = self.plain_type(schema, site)?;
        Ok(wrap_nullable(base, nullable))
    }

    /// Scalars, arrays, maps, constants and free-form values.
    fn plain_type(&mut self, schema: &Schema, site: &Site) -> Result<TypeRef> {
        if let Some(Value::String(value)) = &schema.const_value {
            self.consts.insert(value.clone());
            return Ok(TypeRef::Const(value.clone()));
        }
        let declared: Vec<&str> = schema.types.non_null().collect();
        let kind = match declared.as_slice() {
            [single] => *single,
            [] => return Ok(self.untyped(schema, site)),
            _ => {
                return Ok(self.fallback(
                    site,
                    format!("several types ({}) in one schema", declared.join(", ")),
                ))
            }
        };
        Ok(match kind {
            "string" => match schema.format.as_deref() {
                Some("date-time") => TypeRef::DateTime,
                Some("binary") => TypeRef::Binary,
                _ => TypeRef::String,
            },
            "integer" => TypeRef::Integer(int_format(schema.format.as_deref())),
            "number" => TypeRef::Number(match schema.format.as_deref() {
                Some("float") => NumFormat::F32,
                _ => NumFormat::F64,
            }),
            "boolean" => TypeRef::Boolean,
            "array" => self.array_type(schema, site)?,
            "object" => self.map_type(schema, site)?,
            other => {
                return Err(Error::at_pointer(
                    self.file,
                    &push_pointer(&site.pointer, "type"),
                    format!("unknown schema type {other:?}"),
                ))
            }
        })
    }

    fn array_type(&mut self, schema: &Schema, site: &Site) -> Result<TypeRef> {
        match &schema.items {
            Some(items) => Ok(TypeRef::Array(Box::new(
                self.type_ref(items, &site.child("items", Some("Item")))?,
            ))),
            None => Ok(TypeRef::Array(Box::new(
                self.fallback(site, "array without `items`".to_owned()),
            ))),
        }
    }

    fn map_type(&mut self, schema: &Schema, site: &Site) -> Result<TypeRef> {
        match &schema.additional_properties {
            Some(AdditionalProperties::Schema(values)) if !is_empty_schema(values) => {
                Ok(TypeRef::Map(Box::new(self.type_ref(
                    values,
                    &site.child("additionalProperties", Some("Value")),
                )?)))
            }
            _ => Ok(self.fallback(site, "free-form object (no properties declared)".to_owned())),
        }
    }

    fn untyped(&mut self, schema: &Schema, site: &Site) -> TypeRef {
        if let Some(values) = &schema.enum_values {
            if values.iter().all(|v| v.is_i64() || v.is_u64()) && !values.is_empty() {
                return TypeRef::Integer(IntFormat::I64);
            }
        }
        if schema.additional_properties.is_some() {
            return self.map_type(schema, site).unwrap_or(TypeRef::Json);
        }
        if schema.items.is_some() {
            return self.array_type(schema, site).unwrap_or(TypeRef::Json);
        }
        self.fallback(site, "schema declares no type (any JSON value)".to_owned())
    }

    fn fallback(&mut self, site: &Site, reason: String) -> TypeRef {
        self.fallbacks.push(Fallback {
            pointer: site.pointer.clone(),
            reason,
        });
        TypeRef::Json
    }

    /// The node a `$ref` written at `ref_pointer` points to; only local
    /// references (`#/...`) are followed.
    pub(super) fn resolve_ref(&self, reference: &str, ref_pointer: &str) -> Result<&'a Value> {
        if !reference.starts_with('#') {
            return Err(Error::at_pointer(
                self.file,
                ref_pointer,
                format!("reference {reference:?} points into another document; only local references (#/...) are supported"),
            ));
        }
        load::resolve_local(self.raw, reference).ok_or_else(|| {
            Error::at_pointer(
                self.file,
                ref_pointer,
                format!("reference {reference:?} does not resolve to anything in this document"),
            )
        })
    }

    fn reference(&mut self, reference: &str, site: &Site) -> Result<TypeRef> {
        let ref_pointer = push_pointer(&site.pointer, "$ref");
        if let Some(name) = reference.strip_prefix(COMPONENT_PREFIX) {
            if let Some(id) = self.component_ids.get(name) {
                return Ok(TypeRef::Named(*id));
            }
        }
        self.foreign_reference(reference, &ref_pointer)
    }

    /// A local reference to something other than a whole component schema.
    fn foreign_reference(&mut self, reference: &str, ref_pointer: &str) -> Result<TypeRef> {
        if let Some(done) = self.foreign_refs.get(reference) {
            return Ok(done.clone());
        }
        let target = self.resolve_ref(reference, ref_pointer)?;
        if !self.foreign_in_progress.insert(reference.to_owned()) {
            return Err(Error::at_pointer(
                self.file,
                ref_pointer,
                format!("reference {reference:?} refers to itself"),
            ));
        }
        let target_pointer = reference.trim_start_matches('#').to_owned();
        let schema: Schema = load::typed_at(self.file, &target_pointer, target)?;
        let hint = target_pointer
            .rsplit('/')
            .find(|token| {
                !token.is_empty() && token.parse::<usize>().is_err() && *token != "properties"
            })
            .unwrap_or("Schema")
            .to_owned();
        let site = Site {
            pointer: target_pointer,
            hint: vec![hint],
        };
        let ty = self.type_ref(&schema, &site)?;
        self.foreign_in_progress.remove(reference);
        self.foreign_refs.insert(reference.to_owned(), ty.clone());
        Ok(ty)
    }

    fn struct_def(&mut self, schema: &Schema, site: &Site) -> Result<StructDef> {
        let mut merged = MergedObject::default();
        self.merge_object(schema, site, &mut merged, &mut Vec::new())?;
        let mut fields = Vec::with_capacity(merged.properties.len());
        for (wire_name, (property, property_site)) in merged.properties {
            let required = merged.required.contains(&wire_name);
            fields.push(self.field(wire_name, &property, &property_site, required)?);
        }
        Ok(StructDef {
            fields,
            closed: merged.closed && merged.additional.is_none(),
            additional: merged.additional,
        })
    }

    fn field(
        &mut self,
        wire_name: String,
        property: &Schema,
        site: &Site,
        required: bool,
    ) -> Result<FieldDef> {
        let (ty, nullable) = self.type_ref(property, site)?.split_nullable();
        Ok(FieldDef {
            wire_name,
            ty,
            required,
            nullable,
            boxed: false,
            docs: Docs {
                title: None,
                ..docs_of(property)
            },
            base64: false,
        })
    }

    /// Collects the properties of an object schema and its `allOf` members.
    fn merge_object<'s>(
        &mut self,
        schema: &'s Schema,
        site: &Site,
        merged: &mut MergedObject<'s>,
        visiting: &mut Vec<String>,
    ) -> Result<()>
    where
        'a: 's,
    {
        if let Some(reference) = &schema.reference {
            return self.merge_reference(reference, site, merged, visiting);
        }
        for (index, member) in schema.all_of.iter().enumerate() {
            let member_site = site.index("allOf", index, None);
            if self.nesting >= MAX_SCHEMA_NESTING && member.reference.is_none() {
                // Its properties are not typed: keep them as extra ones.
                merged.additional = Some(self.too_deep(&member_site));
                continue;
            }
            self.nesting += 1;
            let member = self.merge_object(member, &member_site, merged, visiting);
            self.nesting -= 1;
            member?;
        }
        for (name, property) in &schema.properties {
            let property_site = site.child("properties", None).child(name, Some(name));
            merged
                .properties
                .insert(name.clone(), (Cow::Borrowed(property), property_site));
        }
        merged.required.extend(schema.required.iter().cloned());
        match &schema.additional_properties {
            Some(AdditionalProperties::Schema(values)) if !is_empty_schema(values) => {
                let values_site = site.child("additionalProperties", Some("Value"));
                merged.additional = Some(self.type_ref(values, &values_site)?);
            }
            Some(AdditionalProperties::Schema(_)) | Some(AdditionalProperties::Allowed(true)) => {
                merged.additional = Some(TypeRef::Json);
            }
            Some(AdditionalProperties::Allowed(false)) => merged.closed = true,
            None => {}
        }
        if !schema.one_of.is_empty() || !schema.any_of.is_empty() {
            self.fallbacks.push(Fallback {
                pointer: site.pointer.clone(),
                reason:
                    "oneOf/anyOf beside properties or allOf: only the common properties are typed"
                        .to_owned(),
            });
        }
        Ok(())
    }

    /// Merges the schema an `allOf` member refers to: a component schema is
    /// read where it stands, anything else is read from the tree and its
    /// properties copied.
    fn merge_reference<'s>(
        &mut self,
        reference: &str,
        site: &Site,
        merged: &mut MergedObject<'s>,
        visiting: &mut Vec<String>,
    ) -> Result<()>
    where
        'a: 's,
    {
        let ref_pointer = push_pointer(&site.pointer, "$ref");
        if visiting.iter().any(|seen| seen == reference) {
            return Err(Error::at_pointer(
                self.file,
                &ref_pointer,
                format!("allOf cycle: {} -> {reference}", visiting.join(" -> ")),
            ));
        }
        if visiting.len() >= MAX_ALL_OF_DEPTH {
            return Err(Error::at_pointer(
                self.file,
                &ref_pointer,
                format!("allOf references chain more than {MAX_ALL_OF_DEPTH} schemas deep; the generator stops here rather than exhaust its stack"),
            ));
        }
        let target = self.resolve_ref(reference, &ref_pointer)?;
        let target_pointer = reference.trim_start_matches('#').to_owned();
        let component = reference
            .strip_prefix(COMPONENT_PREFIX)
            .and_then(|name| self.schemas.get(name));
        visiting.push(reference.to_owned());
        let target_site = Site {
            pointer: target_pointer,
            hint: site.hint.clone(),
        };
        if let Some(schema) = component {
            self.merge_object(schema, &target_site, merged, visiting)?;
        } else {
            let schema: Schema = load::typed_at(self.file, &target_site.pointer, target)?;
            let mut copied = MergedObject::default();
            self.merge_object(&schema, &target_site, &mut copied, visiting)?;
            for (name, (property, property_site)) in copied.properties {
                let property = Cow::Owned(property.into_owned());
                merged.properties.insert(name, (property, property_site));
            }
            merged.required.extend(copied.required);
            merged.closed |= copied.closed;
            if copied.additional.is_some() {
                merged.additional = copied.additional;
            }
        }
        visiting.pop();
        Ok(())
    }

    fn union_def(&mut self, schema: &Schema, site: &Site) -> Result<UnionDef> {
        let tags_by_target = discriminator_tags(schema);
        let mut variants = Vec::new();
        let mut hints = HashSet::new();
        for (index, key, member) in non_null_members(schema) {
            let hint = distinct_hint(&mut hints, member_hint(member));
            let member_site = site.index(key, index, Some(&hint));
            let ty = self.type_ref(member, &member_site)?;
            let tags = match (&schema.discriminator, &member.reference) {
                (Some(discriminator), Some(reference)) => {
                    self.member_tags(reference, &discriminator.property_name, &tags_by_target)
                }
                _ => Vec::new(),
            };
            variants.push(VariantDef {
                ty,
                tags,
                boxed: false,
                docs: docs_of(member),
            });
        }
        let discriminator = schema
            .discriminator
            .as_ref()
            .filter(|_| variants.iter().all(|v| !v.tags.is_empty()))
            .map(|d| d.property_name.clone());
        Ok(UnionDef {
            variants,
            discriminator,
        })
    }

    /// The discriminator values of a member: from the mapping, else the
    /// member's `const`/single `enum` on the property, else its name.
    fn member_tags(
        &self,
        reference: &str,
        property: &str,
        mapping: &HashMap<String, Vec<String>>,
    ) -> Vec<String> {
        if let Some(tags) = mapping.get(reference) {
            return tags.clone();
        }
        let name = reference
            .strip_prefix(COMPONENT_PREFIX)
            .unwrap_or(reference);
        let from_property = self
            .schemas
            .get(name)
            .and_then(|member| member.properties.get(property))
            .and_then(single_string_value);
        vec![from_property.unwrap_or_else(|| name.to_owned())]
    }

    fn record_examples(&mut self, schema: &Schema, site: &Site, ty: TypeRef) {
        if schema.example.is_some() || schema.examples.is_some() {
            self.example_sites.push(ExampleSite {
                pointer: site.pointer.clone(),
                ty,
            });
        }
    }
}

/// The properties of an object and its `allOf` members, borrowed where
/// they stand in the document (a copy per level would cost time and memory
/// quadratic in the depth of the schema).
#[derive(Default)]
struct MergedObject<'s> {
    properties: IndexMap<String, (Cow<'s, Schema>, Site)>,
    required: BTreeSet<String>,
    additional: Option<TypeRef>,
    /// Some merged schema says `additionalProperties: false`.
    closed: bool,
}

fn discriminator_tags(schema: &Schema) -> HashMap<String, Vec<String>> {
    let mut tags: HashMap<String, Vec<String>> = HashMap::new();
    if let Some(discriminator) = &schema.discriminator {
        for (tag, target) in &discriminator.mapping {
            // A mapping value may be a reference or a bare schema name.
            let reference = if target.starts_with('#') {
                target.clone()
            } else {
                format!("{COMPONENT_PREFIX}{target}")
            };
            tags.entry(reference).or_default().push(tag.clone());
        }
    }
    tags
}

fn single_string_value(schema: &Schema) -> Option<String> {
    if let Some(Value::String(value)) = &schema.const_value {
        return Some(value.clone());
    }
    match schema.enum_values.as_deref() {
        Some([Value::String(value)]) => Some(value.clone()),
        _ => None,
    }
}

fn wrap_nullable(ty: TypeRef, nullable: bool) -> TypeRef {
    if nullable {
        TypeRef::nullable(ty)
    } else {
        ty
    }
}

fn int_format(format: Option<&str>) -> IntFormat {
    match format {
        Some("int32") => IntFormat::I32,
        Some("uint32") => IntFormat::U32,
        Some("uint64") => IntFormat::U64,
        _ => IntFormat::I64,
    }
}

/// `oneOf`/`anyOf` members other than `{type: 'null'}`, with their index
/// and keyword. A schema with both lists takes the members of both: first
/// `oneOf`'s, then those of `anyOf` that are not a `$ref` already listed.
/// JSON Schema would require a value to fit both lists, but documents write
/// them side by side for answers that fit either (ElevenLabs'
/// speech-to-text: `oneOf` the two transcripts, `anyOf` those and the
/// webhook acknowledgement), and a client must hold whatever is sent.
/// The hint, or with the smallest free number when two members of one union
/// share it (two inline objects: `Object`, `Object2`).
fn distinct_hint(seen: &mut HashSet<String>, hint: String) -> String {
    let free = std::iter::once(hint.clone())
        .chain((2..).map(|n| format!("{hint}{n}")))
        .find(|candidate| !seen.contains(candidate))
        .expect("an unbounded range always has a free number");
    seen.insert(free.clone());
    free
}

fn non_null_members(schema: &Schema) -> Vec<(usize, &'static str, &Schema)> {
    let one_of = schema
        .one_of
        .iter()
        .enumerate()
        .map(|(i, m)| (i, "oneOf", m));
    let any_of = schema
        .any_of
        .iter()
        .enumerate()
        .map(|(i, m)| (i, "anyOf", m));
    let mut members: Vec<(usize, &'static str, &Schema)> = Vec::new();
    for (index, key, member) in one_of.chain(any_of) {
        let listed = member.reference.is_some()
            && members
                .iter()
                .any(|(_, _, seen)| seen.reference == member.reference);
        if !member.is_null_type() && !listed {
            members.push((index, key, member));
        }
    }
    members
}

fn has_null_member(schema: &Schema) -> bool {
    schema
        .one_of
        .iter()
        .chain(&schema.any_of)
        .any(Schema::is_null_type)
}

fn is_object_with_properties(schema: &Schema) -> bool {
    !schema.properties.is_empty()
}

fn is_empty_schema(schema: &Schema) -> bool {
    schema.reference.is_none()
        && schema.types.0.is_empty()
        && schema.properties.is_empty()
        && schema.items.is_none()
        && schema.all_of.is_empty()
        && schema.any_of.is_empty()
        && schema.one_of.is_empty()
        && schema.enum_values.is_none()
        && schema.const_value.is_none()
        && schema.additional_properties.is_none()
}

/// String enums with at least one value (null allowed beside them).
fn string_enum_values(schema: &Schema) -> Option<Vec<String>> {
    let values = schema.enum_values.as_ref()?;
    let strings: Vec<String> = values
        .iter()
        .filter_map(|v| v.as_str().map(str::to_owned))
        .collect();
    let only_strings_and_null = values.iter().all(|v| v.is_string() || v.is_null());
    (only_strings_and_null && !strings.is_empty()).then_some(strings)
}

/// `allOf: [{$ref: X}]` with nothing beside it (the 3.0 way to put a
/// description or `nullable` next to a reference) is the referenced type.
fn single_all_of_reference(schema: &Schema) -> Option<&str> {
    let [member] = schema.all_of.as_slice() else {
        return None;
    };
    let alone = schema.properties.is_empty()
        && schema.one_of.is_empty()
        && schema.any_of.is_empty()
        && schema.additional_properties.is_none()
        && schema.enum_values.is_none();
    member.reference.as_deref().filter(|_| alone)
}

/// Structs, string enums and unions get a named type even when inline.
fn needs_own_type(schema: &Schema) -> bool {
    if schema.reference.is_some() {
        return false;
    }
    string_enum_values(schema).is_some()
        || !schema.all_of.is_empty()
        || is_object_with_properties(schema)
        || non_null_members(schema).len() >= 2
}

pub(super) fn docs_of(schema: &Schema) -> Docs {
    Docs {
        title: schema.title.clone(),
        description: schema.description.clone(),
        deprecated: schema.deprecated,
        default: schema.default.clone(),
    }
}
