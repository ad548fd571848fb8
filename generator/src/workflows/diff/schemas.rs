//! Component schemas compared: added and removed, then kinds, fields,
//! union members and enum values of those in both versions, inline types
//! structurally.

use std::collections::{BTreeMap, HashMap};

use super::changelog::{ChangeKind, SchemaChange, SchemaEntry, Section};
use super::compare::{deprecation, Differ, Place, Sink, Usage};
use super::describe::{describe_type, kind_name, presence, signature, wrapper};
use crate::model::ir::*;

impl Differ<'_> {
    // --- schemas ----------------------------------------------------------

    pub(super) fn schemas(&self) -> Section<SchemaEntry, SchemaChange> {
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

    pub(super) fn schema(&self, old: &TypeDef, new: &TypeDef, usage: Usage, sink: &mut Sink) {
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
    pub(super) fn compare_kinds(
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

    pub(super) fn compare_struct(
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
                    .filter(|f| f.is_constructor_argument())
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

    pub(super) fn field_added(&self, field: &FieldDef, at: &Place, usage: Usage, sink: &mut Sink) {
        let ty = describe_type(self.new, &field.ty);
        let (breaking, reason) = if field.is_fixed_const() {
            (
                false,
                "a constant field: `new(...)` and `Default` fill it in".to_owned(),
            )
        } else if !field.required {
            (
                false,
                "a new optional field: the struct is `#[non_exhaustive]`, so values are built with `new(...)`/`Default` and setters, which leave it unset".to_owned(),
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

    pub(super) fn compare_field(
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

    pub(super) fn compare_union(
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
                    "a new variant of the union: it is `#[non_exhaustive]`, so every match already has a catch-all arm",
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
                "the union is decoded by its tag and gains an `Unknown` variant for unknown tags; it is `#[non_exhaustive]`, so matches already have a catch-all arm",
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
    pub(super) fn compare_ty(
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

pub(super) fn component_index(model: &ApiModel) -> BTreeMap<&str, TypeId> {
    model
        .types
        .iter()
        .enumerate()
        .filter_map(|(i, t)| t.component_name.as_deref().map(|n| (n, TypeId(i))))
        .collect()
}

pub(super) fn compare_enum(
    old: &[String],
    new: &[String],
    place: &Place,
    usage: Usage,
    sink: &mut Sink,
) {
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
                (false, true) => "a new variant in a response; the enum is `#[non_exhaustive]` and keeps unknown values (`Unknown`), so code built on the old enum already handled it",
                (true, false) => "a new variant that requests may send; the enum is `#[non_exhaustive]`, so existing values and matches are unchanged",
                _ => "a new variant; the enum is `#[non_exhaustive]` and keeps unknown values (`Unknown`), so existing values and matches are unaffected",
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
pub(super) fn member_keys<'m>(
    model: &ApiModel,
    def: &'m UnionDef,
) -> Vec<(String, &'m VariantDef)> {
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
