//! Which request bodies are flattened into their call: a JSON or multipart
//! body whose struct is that operation's alone (an inline schema or a
//! FastAPI `Body_*` schema) gives its required fields as the call's
//! arguments and its optional ones as setters on the request builder, as
//! the official SDKs take them as keyword arguments.

use std::collections::{BTreeMap, HashSet};

use crate::model::ir::{ApiModel, BodyEncoding, Operation, TypeId, TypeKind, TypeRef};

use super::places::is_document_named;

/// The struct of each flattened body, by operation index. `params` are
/// each operation's parameter identifiers, `reserved` the builder's own
/// members.
pub fn flattened_bodies(
    model: &ApiModel,
    fields: &BTreeMap<TypeId, Vec<String>>,
    params: &[Vec<String>],
    reserved: &[&str],
) -> BTreeMap<usize, TypeId> {
    let mut bodies_of: BTreeMap<TypeId, usize> = BTreeMap::new();
    for op in &model.operations {
        if let Some(TypeRef::Named(id)) = op.body.as_ref().map(|b| &b.ty) {
            *bodies_of.entry(*id).or_default() += 1;
        }
    }
    model
        .operations
        .iter()
        .enumerate()
        .filter_map(|(index, op)| {
            let id = flattenable_struct(model, op)?;
            let own = bodies_of.get(&id) == Some(&1);
            let idents = fields.get(&id)?;
            (own && !collides(&params[index], idents, reserved)).then_some((index, id))
        })
        .collect()
}

/// The body's struct, when the body is a JSON or multipart value of a
/// struct without additional properties that the document did not name
/// itself; an optional body only when all its fields are optional (the
/// first setter starts from the empty body).
fn flattenable_struct(model: &ApiModel, op: &Operation) -> Option<TypeId> {
    let body = op.body.as_ref()?;
    if !matches!(body.encoding, BodyEncoding::Json | BodyEncoding::Multipart) {
        return None;
    }
    let TypeRef::Named(id) = body.ty else {
        return None;
    };
    let def = &model.types[id.0];
    match &def.kind {
        TypeKind::Struct(s) if s.additional.is_none() && !is_document_named(def) => {
            let all_optional = s.fields.iter().all(|f| !f.required || f.is_fixed_const());
            (body.required || all_optional).then_some(id)
        }
        _ => None,
    }
}

/// Whether a field's identifier (or its `_null` setter) would clash with a
/// parameter or a member the builder has anyway.
fn collides(params: &[String], idents: &[String], reserved: &[&str]) -> bool {
    let mut taken: HashSet<String> = reserved.iter().map(|s| s.to_string()).collect();
    taken.extend(params.iter().cloned());
    idents.iter().any(|ident| {
        let bare = ident.trim_start_matches("r#").trim_end_matches('_');
        taken.contains(ident) || taken.contains(&format!("{bare}_null"))
    })
}
