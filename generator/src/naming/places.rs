//! Names for the types the document leaves unnamed (inline schemas) or
//! names by machine (FastAPI's `Body_*` request schemas): each is named
//! after where it is used, the operation's client path and method or the
//! component it sits in, then the parameter or field.
//!
//! Every type gets a ladder of candidates, most telling first
//! (`ConversationalAiAgentsDeploymentsCreateRequest`,
//! `AgentsDeploymentsCreateRequest`, `DeploymentsCreateRequest`, ...);
//! names of at most [`MAX_TYPE_NAME`] characters come before longer ones.
//! [`assign`] gives each type the first rung no other type also wants, so a
//! name depends on the types it could be confused with, never on document
//! order or a counter.

use std::collections::{BTreeMap, HashMap, HashSet};
use std::ops::Range;

use heck::ToSnakeCase;

use crate::model::ir::{ApiModel, TypeDef, TypeId, TypeRef, OPERATIONS_HOME};
use crate::support::ident::type_ident;

/// The longest type name the generator chooses itself.
pub const MAX_TYPE_NAME: usize = 40;

/// FastAPI names a request body schema `Body_<function>_<path>_<method>`.
const FASTAPI_BODY_PREFIX: &str = "Body_";

const COMPONENT_POINTER: &str = "/components/schemas/";

/// Words of a component name that say nothing about what it holds.
const NOISE_WORDS: &[&str] = &["model", "common"];

/// Where an unnamed type is used: the owner's words and its own (the field
/// or parameter path below the owner).
#[derive(Debug, Clone, PartialEq)]
struct Place {
    owner: Owner,
    leaf: Vec<String>,
}

#[derive(Debug, Clone, PartialEq)]
enum Owner {
    /// An operation: its client groups, outermost first, and its method.
    Operation {
        groups: Vec<Vec<String>>,
        method: Vec<String>,
    },
    /// A component schema.
    Component(Vec<String>),
    /// Several operations or bodies: named after what it holds, else after
    /// its first use.
    Shared {
        first_use: (Vec<Vec<String>>, Vec<String>),
    },
}

/// Whether the document spelled this type's name (a component other than a
/// FastAPI body): such a name is kept whatever its length.
pub fn is_document_named(def: &TypeDef) -> bool {
    def.component_name
        .as_deref()
        .is_some_and(|name| !name.starts_with(FASTAPI_BODY_PREFIX))
}

/// The candidate names of every type in `range` the document did not
/// name, by index. Components are looked up among the range's types only:
/// an AsyncAPI document's components are not the OpenAPI document's.
pub fn unnamed_candidates(model: &ApiModel, range: Range<usize>) -> BTreeMap<usize, Vec<String>> {
    let owners = Owners::of(model, range.clone());
    model
        .types
        .iter()
        .enumerate()
        .skip(range.start)
        .take(range.len())
        .filter(|(_, def)| !is_document_named(def))
        .map(|(index, def)| (index, owners.place_of(TypeId(index), def).candidates()))
        .collect()
}

/// The operation (or component) that owns each type, found by pointer.
struct Owners {
    /// Operation pointer -> its owner.
    operations: HashMap<String, Owner>,
    /// FastAPI body component -> the one operation it is the body of.
    bodies: HashMap<TypeId, Owner>,
    /// Component name -> id.
    components: HashMap<String, TypeId>,
    /// Inline types used from more than one operation or component (the
    /// shared enums of `model::lower::shared`).
    shared: HashSet<TypeId>,
}

impl Owners {
    fn of(model: &ApiModel, range: Range<usize>) -> Self {
        let mut operations = HashMap::new();
        let mut body_uses: HashMap<TypeId, Vec<Owner>> = HashMap::new();
        for op in &model.operations {
            let owner = Owner::Operation {
                groups: op.group.iter().map(|g| words(g)).collect(),
                method: words(&op.name),
            };
            if let Some(TypeRef::Named(id)) = op.body.as_ref().map(|b| &b.ty) {
                body_uses.entry(*id).or_default().push(owner.clone());
            }
            operations.insert(op.pointer.clone(), owner);
        }
        let bodies = body_uses
            .into_iter()
            .filter(|(id, uses)| uses.len() == 1 && is_fastapi_body(&model.types[id.0]))
            .map(|(id, mut uses)| (id, uses.remove(0)))
            .collect();
        let components = model
            .types
            .iter()
            .enumerate()
            .skip(range.start)
            .take(range.len())
            .filter_map(|(index, def)| Some((def.component_name.clone()?, TypeId(index))))
            .collect();
        Owners {
            operations,
            bodies,
            components,
            shared: shared_types(model),
        }
    }

    fn place_of(&self, id: TypeId, def: &TypeDef) -> Place {
        let hint = bounded(&def.name_hint);
        let leaf: Vec<String> = hint.iter().skip(1).flat_map(|s| words(s)).collect();
        if is_fastapi_body(def) {
            let owner = self
                .bodies
                .get(&id)
                .cloned()
                .unwrap_or_else(|| Owner::Component(fastapi_function_words(def)));
            return Place {
                owner,
                leaf: vec!["request".to_owned()],
            };
        }
        let owner = self
            .owner_by_pointer(&def.pointer, def.home)
            .unwrap_or_else(|| Owner::Component(words(&hint[0])));
        let owner = match owner {
            Owner::Operation { groups, method } if self.shared.contains(&id) => Owner::Shared {
                first_use: (groups, method),
            },
            other => other,
        };
        Place { owner, leaf }
    }

    fn owner_by_pointer(&self, pointer: &str, home: TypeId) -> Option<Owner> {
        if let Some(rest) = pointer.strip_prefix(COMPONENT_POINTER) {
            let name = rest.split('/').next().unwrap_or(rest);
            let id = *self.components.get(&unescape(name))?;
            return Some(
                self.bodies
                    .get(&id)
                    .cloned()
                    .unwrap_or_else(|| Owner::Component(words(&type_ident(&[unescape(name)])))),
            );
        }
        if home != OPERATIONS_HOME && !pointer.starts_with("/paths/") {
            return None;
        }
        self.operations.get(&operation_of(pointer)?).cloned()
    }
}

/// Types of the operations' file mentioned by more than one operation (by
/// a parameter, or by a field of a type that belongs to it).
fn shared_types(model: &ApiModel) -> HashSet<TypeId> {
    let mut users: HashMap<TypeId, HashSet<String>> = HashMap::new();
    let mut note = |ty: &TypeRef, user: &str| {
        let mut mentioned = Vec::new();
        ty.mentioned(&mut mentioned);
        for id in mentioned {
            if model.types[id.0].home == OPERATIONS_HOME {
                users.entry(id).or_default().insert(user.to_owned());
            }
        }
    };
    for op in &model.operations {
        for param in &op.params {
            note(&param.ty, &op.pointer);
        }
    }
    for def in &model.types {
        if let crate::model::ir::TypeKind::Struct(s) = &def.kind {
            let user = operation_of(&def.pointer).unwrap_or_else(|| format!("{:?}", def.home));
            for field in &s.fields {
                note(&field.ty, &user);
            }
        }
    }
    users
        .into_iter()
        .filter(|(_, users)| users.len() > 1)
        .map(|(id, _)| id)
        .collect()
}

/// `/paths/<path>/<method>` of a pointer below an operation.
fn operation_of(pointer: &str) -> Option<String> {
    if !pointer.starts_with("/paths/") {
        return None;
    }
    let tokens: Vec<&str> = pointer.splitn(5, '/').collect();
    Some(tokens.get(..4)?.join("/"))
}

fn is_fastapi_body(def: &TypeDef) -> bool {
    def.component_name
        .as_deref()
        .is_some_and(|name| name.starts_with(FASTAPI_BODY_PREFIX))
}

/// `Body_Create_or_update_deployments_v1_convai_agents__agent_id__deployments_post`
/// -> `create or update deployments`: the function's name, without the
/// path and method FastAPI appends.
fn fastapi_function_words(def: &TypeDef) -> Vec<String> {
    let name = def.component_name.as_deref().unwrap_or_default();
    let all = words(name.strip_prefix(FASTAPI_BODY_PREFIX).unwrap_or(name));
    let is_version = |w: &String| {
        w.len() > 1 && w.starts_with('v') && w[1..].chars().all(|c| c.is_ascii_digit())
    };
    let end = all.iter().position(is_version).filter(|&i| i > 0);
    all[..end.unwrap_or(all.len())].to_vec()
}

impl Place {
    /// The ladder: names of at most [`MAX_TYPE_NAME`] characters first, each
    /// at most once, in the order the rungs give them.
    fn candidates(&self) -> Vec<String> {
        let rungs: Vec<Vec<String>> = match &self.owner {
            Owner::Operation { groups, method } => operation_rungs(groups, method, &self.leaf),
            Owner::Component(owner) => component_rungs(owner, &self.leaf),
            Owner::Shared {
                first_use: (groups, method),
            } => (self.leaf.len() >= 2)
                .then(|| self.leaf.clone())
                .into_iter()
                .chain(operation_rungs(groups, method, &self.leaf))
                .collect(),
        };
        let names: Vec<String> = rungs.iter().map(|words| type_ident(words)).collect();
        let mut seen = HashSet::new();
        let (fitting, long): (Vec<String>, Vec<String>) = names
            .into_iter()
            .filter(|name| seen.insert(name.clone()))
            .partition(|name| name.len() <= MAX_TYPE_NAME);
        fitting.into_iter().chain(long).collect()
    }
}

/// The whole place, then without the outer groups one by one, then the
/// leaf alone when it says enough by itself (two words or more).
fn operation_rungs(groups: &[Vec<String>], method: &[String], leaf: &[String]) -> Vec<Vec<String>> {
    let mut rungs: Vec<Vec<String>> = (0..=groups.len())
        .map(|skip| {
            let mut rung: Vec<String> = groups[skip..].concat();
            rung.extend_from_slice(method);
            rung.extend_from_slice(leaf);
            rung
        })
        .collect();
    if leaf.len() >= 2 {
        rungs.push(leaf.to_vec());
    }
    rungs
}

/// The component and the leaf, then without the component's noise words,
/// then without ever more of its words: for each count, a run of words
/// before its last (which keeps `Input`/`Output` apart) from the end
/// towards the start, then its last words; its first word always stays.
/// Last, the leaf alone.
fn component_rungs(owner: &[String], leaf: &[String]) -> Vec<Vec<String>> {
    let with_leaf = |owner: &[String]| -> Vec<String> { [owner, leaf].concat() };
    let mut rungs = vec![with_leaf(owner)];
    let quiet: Vec<String> = owner
        .iter()
        .filter(|w| !NOISE_WORDS.contains(&w.as_str()))
        .cloned()
        .collect();
    let quiet = if quiet.is_empty() {
        owner.to_vec()
    } else {
        quiet
    };
    rungs.push(with_leaf(&quiet));
    let len = quiet.len();
    for removed in 1..len {
        let inner_starts = (1..len - removed).rev();
        for start in inner_starts.chain(std::iter::once(len - removed)) {
            let kept = [&quiet[..start], &quiet[start + removed..]].concat();
            rungs.push(with_leaf(&kept));
        }
    }
    if leaf.len() >= 2 {
        rungs.push(leaf.to_vec());
    }
    rungs
}

/// Gives each item the first of its candidates that is free and that no
/// other item wants at the same step; items that want the same name all
/// move on, and the name stays unused, so neither takes it by coming first.
/// An item whose ladder runs out takes its first candidate with the
/// smallest free number.
pub fn assign<K: Ord + Clone>(
    items: &BTreeMap<K, Vec<String>>,
    taken: &mut HashSet<String>,
) -> BTreeMap<K, String> {
    let mut assigned = BTreeMap::new();
    let mut step = 0;
    let mut pending: Vec<K> = items.keys().cloned().collect();
    while !pending.is_empty() {
        let mut wanted: BTreeMap<&str, Vec<K>> = BTreeMap::new();
        let mut exhausted = Vec::new();
        for item in &pending {
            match items[item].get(step) {
                Some(name) => wanted.entry(name.as_str()).or_default().push(item.clone()),
                None => exhausted.push(item.clone()),
            }
        }
        let mut contested = Vec::new();
        for (name, wanting) in wanted {
            if wanting.len() == 1 && !taken.contains(name) {
                taken.insert(name.to_owned());
                assigned.insert(wanting[0].clone(), name.to_owned());
            } else if wanting.len() > 1 {
                contested.push(name.to_owned());
            }
        }
        taken.extend(contested);
        for item in exhausted {
            let first = items[&item]
                .first()
                .cloned()
                .unwrap_or_else(|| "Schema".to_owned());
            let name = (2..)
                .map(|n| format!("{first}{n}"))
                .find(|candidate| !taken.contains(candidate))
                .expect("an unbounded range always has a free number");
            taken.insert(name.clone());
            assigned.insert(item, name);
        }
        pending.retain(|item| !assigned.contains_key(item));
        step += 1;
    }
    assigned
}

/// The ladder of a name made of a path of words: the whole path, then
/// without its outer segments one by one, down to `keep` segments (fitting
/// names first, as for types).
pub fn path_candidates(segments: &[Vec<String>], keep: usize) -> Vec<String> {
    let last_skip = segments.len().saturating_sub(keep.max(1));
    let names: Vec<String> = (0..=last_skip)
        .map(|skip| type_ident(&segments[skip..].concat()))
        .collect();
    let (fitting, long): (Vec<String>, Vec<String>) = names
        .into_iter()
        .partition(|name| name.len() <= MAX_TYPE_NAME);
    fitting.into_iter().chain(long).collect()
}

/// Snake-case words of a hint segment or name.
pub fn words(text: &str) -> Vec<String> {
    text.to_snake_case()
        .split('_')
        .filter(|w| !w.is_empty())
        .map(str::to_owned)
        .collect()
}

/// JSON pointer token unescaping (`~1` -> `/`, `~0` -> `~`).
fn unescape(token: &str) -> String {
    token.replace("~1", "/").replace("~0", "~")
}

/// Name hints longer than this (inline types nested inside each other)
/// keep their first segment, `Level{N}` and their last
/// [`KEPT_HINT_SEGMENTS`]: `DeepLevel31ChildChildChildChild` rather than a
/// name that grows with every level.
const MAX_HINT_SEGMENTS: usize = 8;
const KEPT_HINT_SEGMENTS: usize = 4;

fn bounded(hint: &[String]) -> Vec<String> {
    if hint.len() <= MAX_HINT_SEGMENTS {
        return hint.to_vec();
    }
    let mut bounded = vec![hint[0].clone(), format!("Level{}", hint.len() - 1)];
    bounded.extend_from_slice(&hint[hint.len() - KEPT_HINT_SEGMENTS..]);
    bounded
}

#[cfg(test)]
mod tests {
    use super::*;

    fn strings(words: &[&str]) -> Vec<String> {
        words.iter().map(|w| w.to_string()).collect()
    }

    #[test]
    fn long_name_hints_keep_their_ends_and_count_the_levels() {
        let hint = |n: usize| {
            std::iter::once("Deep".to_owned())
                .chain(std::iter::repeat_n("child".to_owned(), n))
                .collect::<Vec<_>>()
        };
        assert_eq!(
            type_ident(&bounded(&hint(7))),
            "DeepChildChildChildChildChildChildChild"
        );
        assert_eq!(
            type_ident(&bounded(&hint(8))),
            "DeepLevel8ChildChildChildChild"
        );
        assert_eq!(
            type_ident(&bounded(&hint(31))),
            "DeepLevel31ChildChildChildChild"
        );
    }

    #[test]
    fn an_operation_type_drops_outer_groups_until_it_fits() {
        let place = Place {
            owner: Owner::Operation {
                groups: vec![
                    strings(&["conversational", "ai"]),
                    strings(&["agents"]),
                    strings(&["deployments"]),
                ],
                method: strings(&["create"]),
            },
            leaf: strings(&["request"]),
        };
        let candidates = place.candidates();
        assert_eq!(candidates[0], "AgentsDeploymentsCreateRequest");
        assert_eq!(candidates[1], "DeploymentsCreateRequest");
        assert_eq!(
            candidates.last().unwrap(),
            "ConversationalAiAgentsDeploymentsCreateRequest"
        );
    }

    #[test]
    fn a_type_several_operations_share_is_named_after_what_it_holds() {
        let shared = |leaf: &[&str]| Place {
            owner: Owner::Shared {
                first_use: (vec![strings(&["audio", "isolation"])], strings(&["stream"])),
            },
            leaf: strings(leaf),
        };
        assert_eq!(shared(&["file", "format"]).candidates()[0], "FileFormat");
        assert_eq!(
            shared(&["status"]).candidates()[0],
            "AudioIsolationStreamStatus"
        );
    }

    #[test]
    fn a_component_type_keeps_its_input_or_output_word() {
        let owner =
            words("ConversationHistoryTranscriptApiIntegrationWebhookToolsResultCommonModelInput");
        let place = Place {
            owner: Owner::Component(owner),
            leaf: strings(&["role"]),
        };
        let first = &place.candidates()[0];
        assert!(first.len() <= MAX_TYPE_NAME, "{first}");
        assert!(first.ends_with("InputRole"), "{first}");
    }

    #[test]
    fn fastapi_bodies_are_named_after_their_function() {
        let def = TypeDef {
            name_hint: vec![],
            home: TypeId(0),
            component_name: Some(
                "Body_Create_or_update_deployments_v1_convai_agents__agent_id__deployments_post"
                    .to_owned(),
            ),
            pointer: String::new(),
            docs: Default::default(),
            kind: crate::model::ir::TypeKind::StringEnum(vec![]),
        };
        assert_eq!(
            fastapi_function_words(&def),
            strings(&["create", "or", "update", "deployments"])
        );
    }

    #[test]
    fn items_that_want_the_same_name_both_move_on() {
        let items = BTreeMap::from([
            (0, strings(&["Mode", "ListMode", "A"])),
            (1, strings(&["Mode", "GetMode", "B"])),
            (2, strings(&["Other"])),
        ]);
        let names = assign(&items, &mut HashSet::new());
        assert_eq!(names[&0], "ListMode");
        assert_eq!(names[&1], "GetMode");
        assert_eq!(names[&2], "Other");
    }

    #[test]
    fn an_item_whose_ladder_runs_out_takes_a_number() {
        let items = BTreeMap::from([(0, strings(&["Same"])), (1, strings(&["Same"]))]);
        let mut taken = HashSet::new();
        let names = assign(&items, &mut taken);
        assert_eq!(names[&0], "Same2");
        assert_eq!(names[&1], "Same3");
    }
}
