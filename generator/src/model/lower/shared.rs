//! One type per value set: an inline string enum that repeats across
//! operations and request bodies, with the same values under the same name
//! stem (`output_format` on twenty operations), is lowered once and used
//! everywhere it appears.
//!
//! Only the inline enums of operations (parameters, inline bodies) and of
//! components used nowhere but as a request body (FastAPI's `Body_*`
//! schemas) are shared: an enum inside a response model stays that model's
//! own type, so a change to one model never renames another's.

use std::collections::{HashMap, HashSet};

use serde_json::Value;

use crate::model::ir::{Docs, TypeDef, TypeId, OPERATIONS_HOME};

const COMPONENT_PREFIX: &str = "#/components/schemas/";

/// The shared enums found so far, by name stem and values, and where they
/// may be shared.
pub(super) struct SharedEnums {
    by_stem_and_values: HashMap<(String, Vec<String>), TypeId>,
    body_only: HashSet<TypeId>,
}

impl SharedEnums {
    pub(super) fn new(raw: &Value, component_ids: &HashMap<&str, TypeId>) -> Self {
        SharedEnums {
            by_stem_and_values: HashMap::new(),
            body_only: body_only_components(raw, component_ids),
        }
    }

    /// Whether enums lowered in `home` are shared.
    pub(super) fn shares_in(&self, home: TypeId) -> bool {
        home == OPERATIONS_HOME || self.body_only.contains(&home)
    }

    /// The key of an enum at a place with this name hint: its stem and its
    /// values as a set (the first use decides the variants' order).
    pub(super) fn key(hint: &[String], values: &[String]) -> (String, Vec<String>) {
        let mut set = values.to_vec();
        set.sort();
        set.dedup();
        (stem(hint), set)
    }

    pub(super) fn get(&self, key: &(String, Vec<String>)) -> Option<TypeId> {
        self.by_stem_and_values.get(key).copied()
    }

    pub(super) fn insert(&mut self, key: (String, Vec<String>), id: TypeId) {
        self.by_stem_and_values.insert(key, id);
    }
}

/// The enum `shared` is used again, from `home` with `docs`: it moves to
/// the operations' file when its uses span files, and keeps only the docs
/// every use agrees on.
pub(super) fn join(shared: &mut TypeDef, home: TypeId, docs: &Docs) {
    if shared.home != home {
        shared.home = OPERATIONS_HOME;
    }
    if shared.docs.default != docs.default {
        shared.docs.default = None;
    }
    if shared.docs.description != docs.description || shared.docs.title != docs.title {
        shared.docs.title = None;
        let stem = stem(&shared.name_hint);
        shared.docs.description = Some(format!("The values of `{stem}`."));
    }
    shared.docs.deprecated &= docs.deprecated;
}

/// The wire name an enum stands for: the last segment of its name hint, with
/// the property before it for list items and map values
/// (`exclude_statuses` `Item`).
fn stem(hint: &[String]) -> String {
    let structural = |segment: &str| matches!(segment, "Item" | "Value" | "Keyword" | "Object");
    let start = hint
        .iter()
        .rposition(|segment| !structural(segment))
        .unwrap_or(0);
    hint[start..].join(" ")
}

/// Components referred to only from request bodies.
fn body_only_components(raw: &Value, component_ids: &HashMap<&str, TypeId>) -> HashSet<TypeId> {
    let mut from_bodies = HashSet::new();
    let mut elsewhere = HashSet::new();
    let mut pointer = Vec::new();
    collect_references(raw, &mut pointer, &mut |target, at| {
        let in_body =
            at.first().is_some_and(|s| s == "paths") && at.iter().any(|s| s == "requestBody");
        if in_body {
            from_bodies.insert(target.to_owned());
        } else {
            elsewhere.insert(target.to_owned());
        }
    });
    from_bodies
        .difference(&elsewhere)
        .filter_map(|name| component_ids.get(name.as_str()).copied())
        .collect()
}

/// Calls `found(component, pointer)` for every `$ref` to a component schema.
fn collect_references(
    value: &Value,
    pointer: &mut Vec<String>,
    found: &mut impl FnMut(&str, &[String]),
) {
    match value {
        Value::Object(map) => {
            for (key, child) in map {
                if let (true, Value::String(target)) = (key == "$ref", child) {
                    if let Some(name) = target.strip_prefix(COMPONENT_PREFIX) {
                        found(name, pointer);
                    }
                    continue;
                }
                pointer.push(key.clone());
                collect_references(child, pointer, found);
                pointer.pop();
            }
        }
        Value::Array(items) => {
            for (index, child) in items.iter().enumerate() {
                pointer.push(index.to_string());
                collect_references(child, pointer, found);
                pointer.pop();
            }
        }
        _ => {}
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_stem_is_the_property_for_items_and_values() {
        let hint = |s: &[&str]| s.iter().map(|s| s.to_string()).collect::<Vec<_>>();
        assert_eq!(
            stem(&hint(&["TextToSpeechConvert", "output_format"])),
            "output_format"
        );
        assert_eq!(
            stem(&hint(&["Body", "exclude_statuses", "Item"])),
            "exclude_statuses Item"
        );
    }

    #[test]
    fn components_referred_to_outside_bodies_are_not_body_only() {
        let raw = serde_json::json!({
            "paths": {"/a": {"post": {
                "requestBody": {"content": {"application/json": {"schema": {"$ref": "#/components/schemas/Body_a"}}}},
                "responses": {"200": {"content": {"application/json": {"schema": {"$ref": "#/components/schemas/Shared"}}}}}
            }, "put": {
                "requestBody": {"content": {"application/json": {"schema": {"$ref": "#/components/schemas/Shared"}}}}
            }}}
        });
        let ids = HashMap::from([("Body_a", TypeId(0)), ("Shared", TypeId(1))]);
        assert_eq!(body_only_components(&raw, &ids), HashSet::from([TypeId(0)]));
    }
}
