//! Stage 3b: Cargo features. One feature per API and one per top-level
//! group of its client; each type is compiled only under the features whose
//! operations reach it, so a service that uses one group compiles that
//! group's types and no others.
//!
//! In: the model and its [`Names`]. Out:
//! [`Features`]. It belongs after naming because the features are named
//! after the API's module and the groups' module names.

use std::collections::{BTreeMap, BTreeSet};

use heck::ToKebabCase;

use crate::model::ir::{
    ApiModel, Channel, Operation, ResponseDef, TypeDef, TypeId, TypeKind, TypeRef, WebhookDef,
};
use crate::naming::{field_ident, Names};

/// Under which features an item is compiled, inside its API's module (which
/// itself exists under any of the API's features).
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord)]
pub enum Gate {
    /// Whenever the API's module is compiled.
    Always,
    /// Under any of these features (sorted, never empty).
    Any(Vec<String>),
}

/// The features of one API and the gate of every type.
#[derive(Debug, Clone)]
pub struct Features {
    /// The whole API: every group and every schema (`elevenlabs`).
    pub api: String,
    /// Feature per top-level group module (`text_to_speech` ->
    /// `elevenlabs-text-to-speech`), in module order.
    pub groups: BTreeMap<String, String>,
    /// Gate per [`TypeId`].
    pub types: Vec<Gate>,
}

impl Features {
    /// Every feature that turns this API's module on, the API's first.
    pub fn all(&self) -> Vec<&str> {
        std::iter::once(self.api.as_str())
            .chain(self.groups.values().map(String::as_str))
            .collect()
    }

    /// The gate of a top-level group's module.
    pub fn group_gate(&self, module: &str) -> Gate {
        Gate::Any(vec![self.groups[module].clone()])
    }

    /// The gate of a file holding these types: the union of theirs.
    pub fn union_of(&self, ids: impl IntoIterator<Item = TypeId>) -> Gate {
        let mut features = BTreeSet::new();
        for id in ids {
            match &self.types[id.0] {
                Gate::Always => return Gate::Always,
                Gate::Any(list) => features.extend(list.iter().cloned()),
            }
        }
        self.simplify(features)
    }

    /// Whether `inner` holds wherever `outer` does: every feature of `outer`
    /// turns `inner` on (the API's own feature turns every group on).
    pub fn covers(&self, inner: &Gate, outer: &Gate) -> bool {
        match (inner, outer) {
            (Gate::Always, _) => true,
            (Gate::Any(_), Gate::Always) => false,
            (Gate::Any(inner), Gate::Any(outer)) => outer
                .iter()
                .all(|feature| *feature == self.api || inner.contains(feature)),
        }
    }

    /// A set that names every group is the same as the module's own gate.
    fn simplify(&self, features: BTreeSet<String>) -> Gate {
        let covers_all_groups =
            !self.groups.is_empty() && self.groups.values().all(|group| features.contains(group));
        if covers_all_groups {
            Gate::Always
        } else {
            Gate::Any(features.into_iter().collect())
        }
    }
}

/// Assigns features to the groups of `names` and gates to the types of
/// `model`. `api_module` is the API's module (`elevenlabs`).
pub fn assign_features(model: &ApiModel, names: &Names, api_module: &str) -> Features {
    let api = api_module.to_kebab_case();
    let groups: BTreeMap<String, String> = names
        .groups
        .keys()
        .filter(|path| path.len() == 1)
        .map(|path| {
            let feature = format!("{api}-{}", path[0].to_kebab_case());
            (path[0].clone(), feature)
        })
        .collect();
    let mut reached_by: Vec<BTreeSet<String>> = vec![BTreeSet::new(); model.types.len()];
    let mut always = vec![false; model.types.len()];
    let client_roots: Vec<TypeId> = model
        .operations
        .iter()
        .flat_map(|op| op.errors.iter().map(|(_, ty)| ty))
        .flat_map(mentioned)
        .collect();
    mark_reachable(model, client_roots, &mut |id| always[id.0] = true);
    for (op, op_names) in model.operations.iter().zip(&names.operations) {
        let roots = operation_roots(op);
        match op_names.group.first() {
            None => mark_reachable(model, roots, &mut |id| always[id.0] = true),
            Some(top) => {
                let feature = &groups[top];
                mark_reachable(model, roots, &mut |id| {
                    reached_by[id.0].insert(feature.clone());
                });
            }
        }
    }
    // Webhook events are reached by their group's feature; without one they
    // are compiled under the API's own feature, as unused schemas are.
    if let Some(webhooks) = &model.webhooks {
        if let Some(feature) = webhook_feature(webhooks, &groups) {
            mark_reachable(model, vec![webhooks.event], &mut |id| {
                reached_by[id.0].insert(feature.clone());
            });
        }
    }
    // A channel's types (parameters and messages) are reached by the
    // feature of the group its connect call is on.
    for channel in &model.channels {
        if let Some(feature) = channel_feature(channel, &groups) {
            mark_reachable(model, channel_roots(channel), &mut |id| {
                reached_by[id.0].insert(feature.clone());
            });
        }
    }
    let mut features = Features {
        api,
        groups,
        types: Vec::new(),
    };
    features.types = reached_by
        .into_iter()
        .zip(always)
        .map(|(set, always)| match (always, set.is_empty()) {
            (true, _) => Gate::Always,
            (false, true) => Gate::Any(vec![features.api.clone()]),
            (false, false) => features.simplify(set),
        })
        .collect();
    features
}

/// The feature of the group the webhooks belong to; `None` when they name
/// no group of the client.
pub fn webhook_feature(webhooks: &WebhookDef, groups: &BTreeMap<String, String>) -> Option<String> {
    let group = field_ident(webhooks.group.as_deref()?);
    groups.get(&group).cloned()
}

/// The feature of the top-level group a channel's connect call is on;
/// `None` when the client has no such group.
pub fn channel_feature(channel: &Channel, groups: &BTreeMap<String, String>) -> Option<String> {
    let top = field_ident(channel.group.first()?);
    groups.get(&top).cloned()
}

/// The named types a channel's parameters and messages mention directly.
fn channel_roots(channel: &Channel) -> Vec<TypeId> {
    let mut refs: Vec<&TypeRef> = channel.params.iter().map(|p| &p.ty).collect();
    for set in [&channel.client_messages, &channel.server_messages]
        .into_iter()
        .flatten()
    {
        refs.push(&set.ty);
    }
    refs.into_iter().flat_map(mentioned).collect()
}

/// The named types an operation's inputs and outputs mention directly.
fn operation_roots(op: &Operation) -> Vec<TypeId> {
    let mut refs: Vec<&TypeRef> = op.params.iter().map(|p| &p.ty).collect();
    refs.extend(op.body.iter().map(|b| &b.ty));
    match &op.response {
        ResponseDef::Json(ty) | ResponseDef::EventStream(ty) | ResponseDef::JsonStream(ty) => {
            refs.push(ty)
        }
        ResponseDef::Empty | ResponseDef::Text(_) | ResponseDef::Binary(_) => {}
    }
    refs.into_iter().flat_map(mentioned).collect()
}

fn mentioned(ty: &TypeRef) -> Vec<TypeId> {
    let mut out = Vec::new();
    ty.mentioned(&mut out);
    out
}

/// Calls `mark` once for every type reachable from `roots` (roots included).
fn mark_reachable(model: &ApiModel, roots: Vec<TypeId>, mark: &mut dyn FnMut(TypeId)) {
    let mut seen = BTreeSet::new();
    let mut stack = roots;
    while let Some(id) = stack.pop() {
        if !seen.insert(id) {
            continue;
        }
        mark(id);
        stack.extend(type_targets(&model.types[id.0]));
    }
}

/// The named types a type definition mentions.
fn type_targets(def: &TypeDef) -> Vec<TypeId> {
    let mut out = Vec::new();
    match &def.kind {
        TypeKind::Struct(s) => {
            for field in &s.fields {
                field.ty.mentioned(&mut out);
            }
            if let Some(additional) = &s.additional {
                additional.mentioned(&mut out);
            }
        }
        TypeKind::Union(u) => {
            for variant in &u.variants {
                variant.ty.mentioned(&mut out);
            }
        }
        TypeKind::Alias(target) => target.mentioned(&mut out),
        TypeKind::StringEnum(_) => {}
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    fn features(groups: &[&str]) -> Features {
        Features {
            api: "api".to_owned(),
            groups: groups
                .iter()
                .map(|g| (g.to_string(), format!("api-{g}")))
                .collect(),
            types: vec![
                Gate::Any(vec!["api-a".to_owned()]),
                Gate::Any(vec!["api-b".to_owned()]),
                Gate::Always,
            ],
        }
    }

    #[test]
    fn a_file_is_gated_by_the_union_of_its_types() {
        let f = features(&["a", "b", "c"]);
        assert_eq!(
            f.union_of([TypeId(0), TypeId(1)]),
            Gate::Any(vec!["api-a".to_owned(), "api-b".to_owned()])
        );
        assert_eq!(f.union_of([TypeId(0), TypeId(2)]), Gate::Always);
    }

    #[test]
    fn the_api_feature_turns_every_group_on() {
        let f = features(&["a", "b", "c"]);
        let a = Gate::Any(vec!["api-a".to_owned()]);
        let api = Gate::Any(vec!["api".to_owned()]);
        assert!(f.covers(&a, &api));
        assert!(!f.covers(&api, &a));
        assert!(f.covers(&a, &a));
        assert!(!f.covers(&a, &Gate::Always));
        assert!(f.covers(&Gate::Always, &a));
    }

    #[test]
    fn a_union_naming_every_group_needs_no_gate() {
        let f = features(&["a", "b"]);
        assert_eq!(f.union_of([TypeId(0), TypeId(1)]), Gate::Always);
    }
}
