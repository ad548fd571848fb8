//! The Rust names of two generations compared: a type the caller writes
//! under another name, or a call that takes other positional arguments,
//! breaks code that compiled, even when the document did not change there
//! (a new type that takes a name from an older one, a body that stops
//! being flattened into its call). The model diff cannot see these, since
//! names are given after it ([`crate::naming`]); [`rust_name_changes`] adds
//! them to its changelog.
//!
//! Types are matched as the model diff matches them: a component by its
//! name, an inline type by the first place the walk below reaches it from
//! (a component's field, an operation's parameter, body or response), so a
//! type keeps its identity while the types around it come and go.

use std::collections::BTreeMap;

use super::changelog::{Change, ChangeKind, Changelog, OperationChange, SchemaChange};
use super::compare::Place;
use super::operations::{call_site, operation_key};
use super::schemas::{component_index, member_keys};
use crate::model::ir::*;

/// What one generation called things in Rust, by model position; `None`
/// where it is not known (a record written before names were kept).
#[derive(Debug, Clone, Default)]
pub struct RustNames {
    /// Each type's name, by [`TypeId`].
    pub types: Vec<Option<String>>,
    /// Each union's variant names, by [`TypeId`] (`None` for other types).
    pub variants: Vec<Option<Vec<String>>>,
    /// Each operation's call, by operation index.
    pub calls: Vec<Option<CallShape>>,
}

/// How a call takes its inputs in Rust.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CallShape {
    /// The positional arguments.
    pub args: Vec<String>,
    /// Whether the body's fields are the call's inputs (the optional ones
    /// setters) rather than one body value.
    pub flat: bool,
}

/// Adds to `changelog` every type renamed in Rust and every call whose
/// positional arguments changed between `old` and `new`.
pub fn rust_name_changes(
    old: (&ApiModel, &RustNames),
    new: (&ApiModel, &RustNames),
    changelog: &mut Changelog,
) {
    renamed_types(old, new, changelog);
    changed_calls(old, new, changelog);
}

/// Who a place belongs to: a component schema, or an operation by index.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord)]
enum Owner {
    Schema(String),
    Operation(usize),
}

/// A type's identity across generations.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord)]
enum Identity {
    Component(String),
    /// The owner (an operation by its `path, method` key) and the label of
    /// the place.
    Inline(String, String),
}

fn renamed_types(
    (old, old_names): (&ApiModel, &RustNames),
    (new, new_names): (&ApiModel, &RustNames),
    changelog: &mut Changelog,
) {
    let new_ids: BTreeMap<Identity, (TypeId, Owner, Place)> = identities(new)
        .into_iter()
        .map(|(identity, id, owner, place)| (identity, (id, owner, place)))
        .collect();
    for (identity, old_id, _, _) in identities(old) {
        let Some((new_id, owner, place)) = new_ids.get(&identity) else {
            continue;
        };
        let mut changes = Vec::new();
        if let (Some(Some(before)), Some(Some(after))) =
            (old_names.types.get(old_id.0), new_names.types.get(new_id.0))
        {
            if before != after {
                changes.push(type_renamed(place, before, after));
            }
        }
        let variants = |model: &ApiModel, names: &RustNames, id: TypeId| {
            let TypeKind::Union(def) = &model.types[id.0].kind else {
                return None;
            };
            let names = names.variants.get(id.0)?.as_ref()?;
            let keys = member_keys(model, def).into_iter().map(|(key, _)| key);
            Some(keys.zip(names.iter().cloned()).collect::<BTreeMap<_, _>>())
        };
        if let (Some(before), Some(after)) = (
            variants(old, old_names, old_id),
            variants(new, new_names, *new_id),
        ) {
            for (key, old_variant) in &before {
                match after.get(key) {
                    Some(new_variant) if new_variant != old_variant => {
                        changes.push(variant_renamed(place, key, old_variant, new_variant));
                    }
                    _ => {}
                }
            }
        }
        for change in changes {
            push(changelog, new, owner, change);
        }
    }
}

/// `label: ` before a sentence, or nothing for the whole schema.
fn prefix(place: &Place) -> String {
    let label = place.label(true);
    if label.is_empty() {
        label
    } else {
        format!("{label}: ")
    }
}

fn type_renamed(place: &Place, before: &str, after: &str) -> Change {
    Change {
        location: place.label(false),
        kind: ChangeKind::TypeRenamed,
        summary: format!("{}Rust type `{before}` is now `{after}`", prefix(place)),
        old: Some(before.to_owned()),
        new: Some(after.to_owned()),
        breaking: true,
        reason: format!(
            "the generator names the type anew; code naming `{before}` stops compiling"
        ),
    }
}

fn variant_renamed(place: &Place, key: &str, before: &str, after: &str) -> Change {
    Change {
        location: place.label(false),
        kind: ChangeKind::VariantRenamed,
        summary: format!(
            "{}member {key}: Rust variant `{before}` is now `{after}`",
            prefix(place)
        ),
        old: Some(before.to_owned()),
        new: Some(after.to_owned()),
        breaking: true,
        reason: format!(
            "the generator names the variant anew; code building or matching `{before}` stops \
             compiling"
        ),
    }
}

fn changed_calls(
    (old, old_names): (&ApiModel, &RustNames),
    (new, new_names): (&ApiModel, &RustNames),
    changelog: &mut Changelog,
) {
    let old_index: BTreeMap<_, usize> = (0..old.operations.len())
        .map(|index| (operation_key(&old.operations[index]), index))
        .collect();
    for (index, op) in new.operations.iter().enumerate() {
        let Some(&old_index) = old_index.get(&operation_key(op)) else {
            continue;
        };
        let (Some(Some(before)), Some(Some(after))) =
            (old_names.calls.get(old_index), new_names.calls.get(index))
        else {
            continue;
        };
        if before != after {
            let change = call_changed(&call_site(op), before, after);
            push(changelog, new, &Owner::Operation(index), change);
        }
    }
}

fn call_changed(call: &str, before: &CallShape, after: &CallShape) -> Change {
    let shape = |shape: &CallShape| {
        let inputs = if shape.flat {
            "the body's fields as inputs"
        } else {
            "one body value"
        };
        format!("({}), {inputs}", shape.args.join(", "))
    };
    let reason = if before.args == after.args {
        "the body's optional fields move between the call's setters and the body value given \
         to `.body(..)`; calls using the old ones stop compiling"
    } else {
        "the call's positional arguments changed; calls written for the old ones stop compiling \
         or pass values to other inputs"
    };
    Change {
        location: String::new(),
        kind: ChangeKind::CallArgumentsChanged,
        summary: format!("`{call}` takes {}, took {}", shape(after), shape(before)),
        old: Some(shape(before)),
        new: Some(shape(after)),
        breaking: true,
        reason: reason.to_owned(),
    }
}

fn push(changelog: &mut Changelog, model: &ApiModel, owner: &Owner, change: Change) {
    match owner {
        Owner::Schema(schema) => changelog.schemas.changed.push(SchemaChange {
            schema: schema.clone(),
            change,
        }),
        Owner::Operation(index) => {
            let op = &model.operations[*index];
            changelog.operations.changed.push(OperationChange {
                method: op.method.clone(),
                path: op.path.clone(),
                change,
            });
        }
    }
}

/// Every type the walk reaches, with its identity, owner and place:
/// components by name first, then what operations reach, in key order.
fn identities(model: &ApiModel) -> Vec<(Identity, TypeId, Owner, Place)> {
    let mut walk = Walk {
        model,
        places: vec![None; model.types.len()],
    };
    let components = component_index(model);
    for (name, id) in &components {
        let owner = Owner::Schema((*name).to_owned());
        walk.kind(&model.types[id.0].kind, &owner, &Place::root(""));
    }
    let mut operations: Vec<usize> = (0..model.operations.len()).collect();
    operations.sort_by_key(|&index| operation_key(&model.operations[index]));
    for index in operations {
        walk.operation(index);
    }
    let mut found: Vec<(Identity, TypeId, Owner, Place)> = components
        .iter()
        .map(|(name, id)| {
            let identity = Identity::Component((*name).to_owned());
            (
                identity,
                *id,
                Owner::Schema((*name).to_owned()),
                Place::root(""),
            )
        })
        .collect();
    for (index, place) in walk.places.into_iter().enumerate() {
        if let Some((owner, place)) = place {
            let key = match &owner {
                Owner::Schema(name) => name.clone(),
                Owner::Operation(op) => {
                    let op = &model.operations[*op];
                    format!("{} {}", op.method, op.path)
                }
            };
            let identity = Identity::Inline(key, place.label(false));
            found.push((identity, TypeId(index), owner, place));
        }
    }
    found
}

/// The first place each inline type is reached from.
struct Walk<'m> {
    model: &'m ApiModel,
    places: Vec<Option<(Owner, Place)>>,
}

impl Walk<'_> {
    fn operation(&mut self, index: usize) {
        let op = &self.model.operations[index];
        let owner = Owner::Operation(index);
        for param in &op.params {
            self.ty(&param.ty, &owner, &Place::parameter(param));
        }
        if let Some(body) = &op.body {
            self.ty(&body.ty, &owner, &Place::root("request body"));
        }
        match &op.response {
            ResponseDef::Json(ty) => self.ty(ty, &owner, &Place::root("response")),
            ResponseDef::EventStream(ty) => self.ty(ty, &owner, &Place::root("response events")),
            ResponseDef::JsonStream(ty) => self.ty(ty, &owner, &Place::root("response items")),
            ResponseDef::Empty | ResponseDef::Text(_) | ResponseDef::Binary(_) => {}
        }
        for (status, ty) in &op.errors {
            self.ty(ty, &owner, &Place::root(format!("error {status}")));
        }
    }

    fn ty(&mut self, ty: &TypeRef, owner: &Owner, place: &Place) {
        match ty {
            TypeRef::Named(id) => {
                let def = &self.model.types[id.0];
                if def.component_name.is_some() || self.places[id.0].is_some() {
                    return;
                }
                self.places[id.0] = Some((owner.clone(), place.clone()));
                self.kind(&def.kind, owner, place);
            }
            TypeRef::Array(inner) => self.ty(inner, owner, &place.suffix("[]")),
            TypeRef::Map(inner) => self.ty(inner, owner, &place.suffix("{}")),
            TypeRef::Nullable(inner) => self.ty(inner, owner, place),
            _ => {}
        }
    }

    fn kind(&mut self, kind: &TypeKind, owner: &Owner, place: &Place) {
        match kind {
            TypeKind::Struct(def) => {
                for field in &def.fields {
                    self.ty(&field.ty, owner, &place.field(&field.wire_name));
                }
                if let Some(additional) = &def.additional {
                    let suffix = if place.path.is_empty() { "*" } else { ".*" };
                    self.ty(additional, owner, &place.suffix(suffix));
                }
            }
            TypeKind::Union(def) => {
                for (key, variant) in member_keys(self.model, def) {
                    self.ty(&variant.ty, owner, &place.suffix(&format!("<{key}>")));
                }
            }
            TypeKind::Alias(target) => self.ty(target, owner, place),
            TypeKind::StringEnum(_) => {}
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn field(name: &str, ty: TypeRef) -> FieldDef {
        FieldDef {
            wire_name: name.to_owned(),
            ty,
            required: true,
            nullable: false,
            boxed: false,
            docs: Docs::default(),
            base64: false,
        }
    }

    /// `Voice { settings: <inline enum> }`.
    fn model() -> ApiModel {
        let mut model = ApiModel::default();
        let def = |component_name: Option<&str>, kind| TypeDef {
            name_hint: Vec::new(),
            home: TypeId(0),
            component_name: component_name.map(str::to_owned),
            pointer: String::new(),
            docs: Docs::default(),
            kind,
        };
        let settings = field("settings", TypeRef::Named(TypeId(1)));
        model.types.push(def(
            Some("Voice"),
            TypeKind::Struct(StructDef {
                fields: vec![settings],
                ..StructDef::default()
            }),
        ));
        model
            .types
            .push(def(None, TypeKind::StringEnum(vec!["a".to_owned()])));
        model
    }

    fn names(types: &[&str]) -> RustNames {
        RustNames {
            types: types.iter().map(|t| Some((*t).to_owned())).collect(),
            ..RustNames::default()
        }
    }

    #[test]
    fn an_inline_type_named_anew_is_a_breaking_change_of_its_component() {
        let (old, new) = (model(), model());
        let mut changelog = Changelog::default();
        rust_name_changes(
            (&old, &names(&["Voice", "Settings"])),
            (&new, &names(&["Voice", "VoiceSettings"])),
            &mut changelog,
        );
        let [change] = changelog.schemas.changed.as_slice() else {
            panic!("one change expected: {changelog:?}");
        };
        assert_eq!(change.schema, "Voice");
        assert_eq!(change.change.kind, ChangeKind::TypeRenamed);
        assert_eq!(change.change.location, "field settings");
        assert!(change.change.breaking);
        assert_eq!(
            change.change.summary,
            "field `settings`: Rust type `Settings` is now `VoiceSettings`"
        );
    }

    #[test]
    fn the_same_names_or_unknown_names_change_nothing() {
        let (old, new) = (model(), model());
        let mut changelog = Changelog::default();
        let same = names(&["Voice", "Settings"]);
        rust_name_changes((&old, &same), (&new, &same), &mut changelog);
        rust_name_changes((&old, &RustNames::default()), (&new, &same), &mut changelog);
        assert!(changelog.is_empty(), "{changelog:?}");
    }

    fn with_call(flat: bool, args: &[&str]) -> RustNames {
        RustNames {
            calls: vec![Some(CallShape {
                args: args.iter().map(|a| (*a).to_owned()).collect(),
                flat,
            })],
            ..RustNames::default()
        }
    }

    fn one_operation() -> ApiModel {
        let mut model = ApiModel::default();
        model.operations.push(Operation {
            pointer: String::new(),
            method: "POST".to_owned(),
            path: "/v1/speech".to_owned(),
            operation_id: None,
            group: vec!["speech".to_owned()],
            name: "create".to_owned(),
            summary: None,
            description: None,
            deprecated: false,
            params: Vec::new(),
            body: None,
            response: ResponseDef::Empty,
            errors: Vec::new(),
            paging: None,
        });
        model
    }

    #[test]
    fn a_body_no_longer_flattened_is_a_breaking_change_of_its_call() {
        let (old, new) = (one_operation(), one_operation());
        let cases = [
            (
                with_call(true, &["text"]),
                with_call(false, &["body"]),
                true,
            ),
            (with_call(true, &[]), with_call(false, &[]), true),
            (
                with_call(true, &["text"]),
                with_call(true, &["text"]),
                false,
            ),
        ];
        for (before, after, changed) in cases {
            let mut changelog = Changelog::default();
            rust_name_changes((&old, &before), (&new, &after), &mut changelog);
            assert_eq!(changelog.has_breaking(), changed, "{changelog:?}");
            if changed {
                let change = &changelog.operations.changed[0].change;
                assert_eq!(change.kind, ChangeKind::CallArgumentsChanged);
                assert!(
                    change.summary.starts_with("`speech.create` takes ("),
                    "{change:?}"
                );
            }
        }
    }
}
