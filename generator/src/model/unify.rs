//! Schemas declared twice. FastAPI documents (ElevenLabs') describe a model
//! used in both directions as `X-Input` and `X-Output`; most such pairs are
//! identical apart from their names. The `-Output` side of an identical
//! pair becomes an alias of the `-Input` side, so a value read from one
//! operation can be sent to another as it is, and the crate compiles one
//! type instead of two.
//!
//! "Identical" is decided on the whole tree: fields, docs, members and the
//! inline types under them, where a reference to `Y-Output` matches one to
//! `Y-Input` if that pair is identical too (assumed while it is compared,
//! so recursive schemas compare in finite time).

use std::collections::{BTreeMap, BTreeSet, HashMap};
use std::path::Path;

use crate::model::ir::{ApiModel, FieldDef, TypeDef, TypeId, TypeKind, TypeRef, VariantDef};
use crate::support::error::Result;

const INPUT: &str = "-Input";
const OUTPUT: &str = "-Output";

/// Turns the `-Output` type of every identical pair into an alias of its
/// `-Input` type, then boxes recursive fields again over the new graph.
pub fn alias_identical_pairs(model: &mut ApiModel, file: &Path) -> Result<()> {
    let aliases = identical_pairs(model);
    if aliases.is_empty() {
        return Ok(());
    }
    for (&output, &input) in &aliases {
        model.types[output.0].kind = TypeKind::Alias(TypeRef::Named(input));
    }
    crate::model::recursion::box_recursive_fields(&mut model.types, file)
}

/// Each `-Output` type (inline ones included) that can be replaced by its
/// `-Input` counterpart, mapped to it.
fn identical_pairs(model: &ApiModel) -> BTreeMap<TypeId, TypeId> {
    let components: HashMap<&str, TypeId> = model
        .types
        .iter()
        .enumerate()
        .filter_map(|(i, t)| t.component_name.as_deref().map(|name| (name, TypeId(i))))
        .collect();
    let excluded: BTreeSet<TypeId> = model.multipart_bodies.iter().map(|b| b.ty).collect();
    let comparison = Comparison {
        types: &model.types,
        excluded: &excluded,
    };
    let mut aliases = BTreeMap::new();
    for (&name, &output) in &components {
        let Some(base) = name.strip_suffix(OUTPUT) else {
            continue;
        };
        let Some(&input) = components.get(format!("{base}{INPUT}").as_str()) else {
            continue;
        };
        let mut assumed = BTreeSet::new();
        if comparison.same_types(input, output, &mut assumed) {
            aliases.extend(assumed.into_iter().map(|(input, output)| (output, input)));
        }
    }
    aliases
}

struct Comparison<'m> {
    types: &'m [TypeDef],
    excluded: &'m BTreeSet<TypeId>,
}

impl Comparison<'_> {
    /// Whether `input` and `output` are the same type, given that the pairs
    /// in `assumed` are; `output` is added to them while it is compared.
    fn same_types(
        &self,
        input: TypeId,
        output: TypeId,
        assumed: &mut BTreeSet<(TypeId, TypeId)>,
    ) -> bool {
        if input == output || assumed.contains(&(input, output)) {
            return true;
        }
        if !self.counterparts(input, output) {
            return false;
        }
        assumed.insert((input, output));
        let (a, b) = (&self.types[input.0], &self.types[output.0]);
        a.docs == b.docs && self.same_kinds(&a.kind, &b.kind, assumed)
    }

    /// `X-Input` and `X-Output`, or inline types at the same place under
    /// two such components.
    fn counterparts(&self, input: TypeId, output: TypeId) -> bool {
        if self.excluded.contains(&input) || self.excluded.contains(&output) {
            return false;
        }
        let (a, b) = (&self.types[input.0], &self.types[output.0]);
        match (&a.component_name, &b.component_name) {
            (Some(a), Some(b)) => a
                .strip_suffix(INPUT)
                .is_some_and(|base| b.strip_suffix(OUTPUT) == Some(base)),
            (None, None) => {
                a.home != input
                    && b.home != output
                    && a.name_hint.get(1..) == b.name_hint.get(1..)
                    && self.counterparts(a.home, b.home)
            }
            _ => false,
        }
    }

    fn same_kinds(
        &self,
        a: &TypeKind,
        b: &TypeKind,
        assumed: &mut BTreeSet<(TypeId, TypeId)>,
    ) -> bool {
        match (a, b) {
            (TypeKind::Struct(a), TypeKind::Struct(b)) => {
                a.closed == b.closed
                    && a.fields.len() == b.fields.len()
                    && a.fields
                        .iter()
                        .zip(&b.fields)
                        .all(|(a, b)| self.same_fields(a, b, assumed))
                    && match (&a.additional, &b.additional) {
                        (Some(a), Some(b)) => self.same_refs(a, b, assumed),
                        (a, b) => a.is_none() && b.is_none(),
                    }
            }
            (TypeKind::StringEnum(a), TypeKind::StringEnum(b)) => a == b,
            (TypeKind::Union(a), TypeKind::Union(b)) => {
                a.discriminator == b.discriminator
                    && a.variants.len() == b.variants.len()
                    && a.variants
                        .iter()
                        .zip(&b.variants)
                        .all(|(a, b)| self.same_variants(a, b, assumed))
            }
            (TypeKind::Alias(a), TypeKind::Alias(b)) => self.same_refs(a, b, assumed),
            _ => false,
        }
    }

    fn same_fields(
        &self,
        a: &FieldDef,
        b: &FieldDef,
        assumed: &mut BTreeSet<(TypeId, TypeId)>,
    ) -> bool {
        // A constant is always written and defaults when absent, so
        // whether it is required changes nothing in Rust.
        let constant = a.is_fixed_const();
        a.wire_name == b.wire_name
            && (a.required == b.required || constant)
            && a.nullable == b.nullable
            && a.docs == b.docs
            && self.same_refs(&a.ty, &b.ty, assumed)
    }

    fn same_variants(
        &self,
        a: &VariantDef,
        b: &VariantDef,
        assumed: &mut BTreeSet<(TypeId, TypeId)>,
    ) -> bool {
        a.tags == b.tags && a.docs == b.docs && self.same_refs(&a.ty, &b.ty, assumed)
    }

    fn same_refs(
        &self,
        a: &TypeRef,
        b: &TypeRef,
        assumed: &mut BTreeSet<(TypeId, TypeId)>,
    ) -> bool {
        match (a, b) {
            (TypeRef::Named(a), TypeRef::Named(b)) => self.same_types(*a, *b, assumed),
            (TypeRef::Array(a), TypeRef::Array(b))
            | (TypeRef::Map(a), TypeRef::Map(b))
            | (TypeRef::Nullable(a), TypeRef::Nullable(b)) => self.same_refs(a, b, assumed),
            (a, b) => a == b,
        }
    }
}
