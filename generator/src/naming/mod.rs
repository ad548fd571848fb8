//! Stage 3: naming. Turns name hints and wire names into valid, idiomatic
//! Rust identifiers, resolving collisions deterministically: component
//! schemas claim names before inline types, in document order, and a
//! colliding name gets the smallest free numeric suffix.
//!
//! In: the model. Out: [`Names`]. Then [`features`], which needs the names
//! (a group's feature is named after its module), so it runs after naming
//! and before emit.

mod bodies;
pub mod features;
mod places;

pub use places::{is_document_named, MAX_TYPE_NAME};

use std::collections::{BTreeMap, HashSet};

use heck::{ToShoutySnakeCase, ToSnakeCase};

use crate::model::ir::{
    ApiModel, Channel, MessageDecoding, Operation, TypeId, TypeKind, TypeRef, CHANNELS_HOME,
    OPERATIONS_HOME,
};
use crate::support::ident::{type_ident, variant_ident};

/// Names every part of a model needs in Rust.
#[derive(Debug, Clone)]
pub struct Names {
    /// Type name per [`TypeId`].
    pub types: Vec<String>,
    /// Module (file) name per component home, by home [`TypeId`].
    pub modules: BTreeMap<TypeId, String>,
    /// Rust name of each const type, by value.
    pub consts: BTreeMap<String, String>,
    /// Field identifiers per struct type.
    pub fields: BTreeMap<TypeId, Vec<String>>,
    /// Variant identifiers per enum or union type (the catch-all last).
    pub variants: BTreeMap<TypeId, Vec<String>>,
    /// Per operation, in model order.
    pub operations: Vec<OperationNames>,
    /// Struct name per group path (snake segments); the first segment is
    /// also the group's module.
    pub groups: BTreeMap<Vec<String>, String>,
    /// Constant name per server, in model order (`PRODUCTION`).
    pub servers: Vec<String>,
    /// The struct of each operation's flattened body, by operation index:
    /// its required fields are the call's arguments, its optional ones the
    /// builder's setters.
    pub flattened: BTreeMap<usize, TypeId>,
    /// Per channel, in model order.
    pub channels: Vec<ChannelNames>,
}

/// A channel's connect call: named after the operations', on the group
/// the channel belongs to, after them (an HTTP call never yields its name).
#[derive(Debug, Clone)]
pub struct ChannelNames {
    /// The group path as Rust identifiers: the channel's, or the longest
    /// part of it the client has (empty: the client itself).
    pub group: Vec<String>,
    pub method: String,
    /// The connect builder's type.
    pub builder: String,
    /// Identifier per parameter, in model order.
    pub params: Vec<String>,
}

#[derive(Debug, Clone)]
pub struct OperationNames {
    /// The group path as Rust identifiers (empty: the client itself).
    pub group: Vec<String>,
    pub method: String,
    /// The request builder's type, for operations with optional inputs.
    pub builder: Option<String>,
    /// Identifier per parameter, in model order.
    pub params: Vec<String>,
}

impl Names {
    /// The identifiers of operation `index`'s positional arguments, in
    /// order: its positional parameters, then the flattened body's
    /// constructor fields, or `body` for a required body passed whole.
    pub fn call_arguments(&self, model: &ApiModel, index: usize) -> Vec<String> {
        let op = &model.operations[index];
        let params = &self.operations[index].params;
        let mut args: Vec<String> = op
            .positional_params()
            .into_iter()
            .map(|param| params[param].clone())
            .collect();
        match self.flattened.get(&index) {
            Some(id) => {
                if let TypeKind::Struct(def) = &model.types[id.0].kind {
                    let idents = &self.fields[id];
                    args.extend(
                        def.fields
                            .iter()
                            .zip(idents)
                            .filter(|(field, _)| field.is_constructor_argument())
                            .map(|(_, ident)| ident.clone()),
                    );
                }
            }
            None if op.body.as_ref().is_some_and(|b| b.required) => args.push("body".to_owned()),
            None => {}
        }
        args
    }

    /// The variant identifiers of a union, through aliases (an `-Output`
    /// union unified with its `-Input` twin has the twin's); `None` for
    /// other types.
    pub fn union_variants(&self, model: &ApiModel, id: TypeId) -> Option<&[String]> {
        let mut id = id;
        for _ in 0..model.types.len() {
            match &model.types[id.0].kind {
                TypeKind::Alias(TypeRef::Named(target)) => id = *target,
                TypeKind::Union(_) => return self.variants.get(&id).map(Vec::as_slice),
                _ => return None,
            }
        }
        None
    }

    /// [`Names::call_arguments`] of every operation, in model order.
    pub fn all_call_arguments(&self, model: &ApiModel) -> Vec<Vec<String>> {
        (0..model.operations.len())
            .map(|index| self.call_arguments(model, index))
            .collect()
    }
}

/// Methods of the generated `Client` that operations must not take.
const CLIENT_METHODS: &[&str] = &["new", "builder", "from_env", "transport", "clone", "fmt"];

/// Builder fields and methods beside the parameters.
const BUILDER_MEMBERS: &[&str] = &["client", "body", "send", "into_future"];

/// The methods a paging operation's builder has beside those.
const PAGING_MEMBERS: &[&str] = &["pages", "items"];

/// Names that generated files use for imported items; a type may not
/// take them.
const RESERVED_TYPE_NAMES: &[&str] = &[
    "Self",
    "Option",
    "Some",
    "None",
    "Result",
    "Ok",
    "Err",
    "String",
    "Vec",
    "Box",
    "Value",
    "Nullable",
    "BTreeMap",
    "Serialize",
    "Deserialize",
    "Deserializer",
    "Default",
    "Clone",
    "Debug",
    "PartialEq",
    "Timestamp",
    "File",
];

/// Module names the generator itself uses beside the type files.
const RESERVED_MODULE_NAMES: &[&str] = &[
    "mod",
    "consts",
    "schema_index",
    "types",
    "lib",
    OPERATION_TYPES_MODULE,
    CHANNEL_TYPES_MODULE,
];

/// The file of inline types that belong to operations.
pub const OPERATION_TYPES_MODULE: &str = "operation_types";

/// The file of inline types that belong to channels (their messages'
/// enums, inline payloads and query parameter types).
pub const CHANNEL_TYPES_MODULE: &str = "channel_types";

const KEYWORDS: &[&str] = &[
    "as", "break", "const", "continue", "crate", "else", "enum", "extern", "false", "fn", "for",
    "if", "impl", "in", "let", "loop", "match", "mod", "move", "mut", "pub", "ref", "return",
    "self", "Self", "static", "struct", "super", "trait", "true", "type", "unsafe", "use", "where",
    "while", "async", "await", "dyn", "abstract", "become", "box", "do", "final", "macro",
    "override", "priv", "typeof", "unsized", "virtual", "yield", "try", "gen", "union",
];

pub fn assign_names(model: &ApiModel) -> Names {
    let types = type_names(model);
    let modules = module_names(model, &types);
    let consts = const_names(&model.consts, &types);
    let mut fields = BTreeMap::new();
    let mut variants = BTreeMap::new();
    for (index, def) in model.types.iter().enumerate() {
        let id = TypeId(index);
        match &def.kind {
            TypeKind::Struct(s) => {
                let mut names = s
                    .fields
                    .iter()
                    .map(|f| field_ident(&f.wire_name))
                    .collect::<Vec<_>>();
                if s.additional.is_some() {
                    names.push("additional_properties".to_owned());
                }
                fields.insert(id, dedupe(names, numbered_snake));
            }
            TypeKind::StringEnum(values) => {
                let mut names: Vec<String> = values.iter().map(|v| variant_ident(v)).collect();
                names = dedupe(names, |name, n| format!("{name}{n}"));
                names.push(catch_all_name(&names));
                variants.insert(id, names);
            }
            TypeKind::Union(u) => {
                let mut names: Vec<String> = u
                    .variants
                    .iter()
                    .map(|v| strip_prefix_word(&union_variant_name(&v.ty, &types), &types[index]))
                    .collect();
                names = dedupe(names, |name, n| format!("{name}{n}"));
                if u.discriminator.is_some() {
                    names.push(catch_all_name(&names));
                }
                variants.insert(id, names);
            }
            TypeKind::Alias(_) => {}
        }
    }
    let mut reserved: Vec<&str> = BUILDER_MEMBERS.to_vec();
    reserved.extend(PAGING_MEMBERS);
    let params: Vec<Vec<String>> = model
        .operations
        .iter()
        .map(|op| {
            op.params
                .iter()
                .map(|p| field_ident(&p.wire_name))
                .collect()
        })
        .collect();
    let flattened = bodies::flattened_bodies(model, &fields, &params, &reserved);
    // A channel side decoded by shape keeps frames of a kind added
    // upstream too: its union gets a catch-all, named last.
    for set in model.channels.iter().flat_map(Channel::message_sets) {
        if let (MessageDecoding::ByShape, TypeRef::Named(id)) = (&set.decoding, &set.ty) {
            if let Some(names) = variants.get_mut(id) {
                let catch_all = catch_all_name(names);
                names.push(catch_all);
            }
        }
    }
    let (operations, groups, channels) = operation_names(model, &flattened);
    Names {
        flattened,
        types,
        modules,
        consts,
        fields,
        variants,
        operations,
        groups,
        servers: server_names(model),
        channels,
    }
}

/// From the server's description, else its host:
/// `https://api.us.example.com/v1` -> `API_US_EXAMPLE_COM`.
fn server_names(model: &ApiModel) -> Vec<String> {
    let bases = model
        .servers
        .iter()
        .enumerate()
        .map(|(index, server)| {
            server
                .description
                .as_deref()
                .map(|d| d.to_shouty_snake_case())
                .filter(|n| n.starts_with(|c: char| c.is_ascii_alphabetic()))
                .unwrap_or_else(|| host_const_name(&server.url, index))
        })
        .collect();
    dedupe(bases, |name, n| format!("{name}_{n}"))
}

fn host_const_name(url: &str, index: usize) -> String {
    let host = url
        .split("://")
        .nth(1)
        .unwrap_or(url)
        .split(['/', ':'])
        .next()
        .unwrap_or_default()
        .to_shouty_snake_case();
    if host.starts_with(|c: char| c.is_ascii_alphabetic()) {
        host
    } else {
        format!("SERVER_{}", index + 1)
    }
}

/// A connect builder's members beside the parameters.
const CONNECT_MEMBERS: &[&str] = &["client", "options", "auto_reply", "connect"];

type CallNames = (
    Vec<OperationNames>,
    BTreeMap<Vec<String>, String>,
    Vec<ChannelNames>,
);

fn operation_names(model: &ApiModel, flattened: &BTreeMap<usize, TypeId>) -> CallNames {
    let paths: Vec<Vec<String>> = model
        .operations
        .iter()
        .map(|op| op.group.iter().map(|g| field_ident(g)).collect())
        .collect();
    let groups = group_struct_names(&paths);
    // What each group struct (or the client, at []) already offers.
    let mut members: BTreeMap<Vec<String>, HashSet<String>> = BTreeMap::new();
    members.insert(
        Vec::new(),
        CLIENT_METHODS.iter().map(|s| s.to_string()).collect(),
    );
    for path in groups.keys() {
        let (last, parent) = path.split_last().expect("group paths are not empty");
        members
            .entry(parent.to_vec())
            .or_default()
            .insert(last.clone());
    }
    // Type names per file: the group structs of a top-level group, or the
    // client's file for operations on the client itself.
    let mut types_in_file: BTreeMap<String, HashSet<String>> = BTreeMap::new();
    for (path, name) in &groups {
        types_in_file
            .entry(path[0].clone())
            .or_default()
            .insert(name.clone());
    }
    types_in_file.entry(String::new()).or_default().extend(
        [
            "Client",
            "ErrorBody",
            "Error",
            "ByteStream",
            "EventStream",
            "JsonStream",
        ]
        .map(String::from),
    );
    let mut builders = builder_names(model, &paths, flattened, &mut types_in_file);
    let mut operations = Vec::with_capacity(model.operations.len());
    for (index, (op, group)) in model.operations.iter().zip(paths).enumerate() {
        let taken = members.entry(group.clone()).or_default();
        let method = claim(taken, field_ident(&op.name), numbered_snake);
        let builder = builders.remove(&index);
        let mut taken: HashSet<String> = BUILDER_MEMBERS.iter().map(|s| s.to_string()).collect();
        if op.paging.is_some() {
            taken.extend(PAGING_MEMBERS.iter().map(|s| s.to_string()));
        }
        let params = op
            .params
            .iter()
            .map(|p| claim(&mut taken, field_ident(&p.wire_name), numbered_snake))
            .collect();
        operations.push(OperationNames {
            group,
            method,
            builder,
            params,
        });
    }
    let channels = model
        .channels
        .iter()
        .map(|channel| {
            let mut group: Vec<String> = channel.group.iter().map(|g| field_ident(g)).collect();
            while !group.is_empty() && !groups.contains_key(&group) {
                group.pop();
            }
            let method = claim(
                members.entry(group.clone()).or_default(),
                field_ident(&channel.name),
                numbered_snake,
            );
            let mut segments: Vec<Vec<String>> = group.iter().map(|s| places::words(s)).collect();
            segments.push(places::words(&channel.name));
            let file = group.first().cloned().unwrap_or_default();
            let taken = types_in_file.entry(file).or_default();
            let candidates = BTreeMap::from([(0, places::path_candidates(&segments, 2))]);
            let builder = places::assign(&candidates, taken)
                .remove(&0)
                .unwrap_or_default();
            let mut taken: HashSet<String> =
                CONNECT_MEMBERS.iter().map(|s| s.to_string()).collect();
            let params = channel
                .params
                .iter()
                .map(|p| claim(&mut taken, field_ident(&p.wire_name), numbered_snake))
                .collect();
            ChannelNames {
                group,
                method,
                builder,
                params,
            }
        })
        .collect();
    (operations, groups, channels)
}

/// The struct of each group path: a top-level group is named after itself,
/// a nested one after its path, shortened within its file (the top-level
/// group's) as types are.
fn group_struct_names(paths: &[Vec<String>]) -> BTreeMap<Vec<String>, String> {
    let mut groups = BTreeMap::new();
    let mut nested: BTreeMap<String, BTreeMap<Vec<String>, Vec<String>>> = BTreeMap::new();
    for path in paths {
        for depth in 1..=path.len() {
            let prefix = path[..depth].to_vec();
            if depth == 1 {
                groups.insert(prefix.clone(), type_ident(&prefix));
            } else {
                let segments: Vec<Vec<String>> = prefix.iter().map(|s| places::words(s)).collect();
                nested
                    .entry(path[0].clone())
                    .or_default()
                    .insert(prefix, places::path_candidates(&segments, 2));
            }
        }
    }
    for (file, candidates) in nested {
        let mut taken: HashSet<String> = groups.values().cloned().collect();
        taken.insert(type_ident(&[file]));
        groups.extend(places::assign(&candidates, &mut taken));
    }
    groups
}

/// The request builder of each operation that needs one, by index: its
/// group path and method, shortened within its file.
fn builder_names(
    model: &ApiModel,
    paths: &[Vec<String>],
    flattened: &BTreeMap<usize, TypeId>,
    types_in_file: &mut BTreeMap<String, HashSet<String>>,
) -> BTreeMap<usize, String> {
    let mut by_file: BTreeMap<String, BTreeMap<usize, Vec<String>>> = BTreeMap::new();
    for (index, (op, group)) in model.operations.iter().zip(paths).enumerate() {
        if !needs_builder(op) && !flattened.contains_key(&index) {
            continue;
        }
        let mut segments: Vec<Vec<String>> = group.iter().map(|s| places::words(s)).collect();
        segments.push(places::words(&op.name));
        let file = group.first().cloned().unwrap_or_default();
        by_file
            .entry(file)
            .or_default()
            .insert(index, places::path_candidates(&segments, 2));
    }
    let mut builders = BTreeMap::new();
    for (file, candidates) in by_file {
        let taken = types_in_file.entry(file).or_default();
        builders.extend(places::assign(&candidates, taken));
    }
    builders
}

/// Operations with optional inputs take them through a builder; the rest
/// are plain async methods.
pub fn needs_builder(op: &Operation) -> bool {
    op.params.iter().any(|p| !p.required) || op.body.as_ref().is_some_and(|b| !b.required)
}

/// The OpenAPI document's types are named first, then the AsyncAPI
/// documents' (which come last in the model): a channel type never moves
/// an HTTP one's name, it takes a number or the next rung instead.
fn type_names(model: &ApiModel) -> Vec<String> {
    let mut taken: HashSet<String> = RESERVED_TYPE_NAMES.iter().map(|s| s.to_string()).collect();
    let mut names = vec![String::new(); model.types.len()];
    let channels_start = model
        .channel_documents
        .first()
        .map_or(model.types.len(), |document| document.types.start);
    for range in [0..channels_start, channels_start..model.types.len()] {
        // The names the document spells first, so no other type takes one.
        for index in range.clone() {
            let def = &model.types[index];
            if places::is_document_named(def) {
                let base = type_ident(&def.name_hint);
                names[index] = claim(&mut taken, base, |name, n| format!("{name}{n}"));
            }
        }
        let candidates = places::unnamed_candidates(model, range);
        for (index, name) in places::assign(&candidates, &mut taken) {
            names[index] = name;
        }
    }
    names
}

fn module_names(model: &ApiModel, types: &[String]) -> BTreeMap<TypeId, String> {
    let mut taken: HashSet<String> = RESERVED_MODULE_NAMES
        .iter()
        .map(|s| s.to_string())
        .collect();
    let mut modules = BTreeMap::new();
    for (index, def) in model.types.iter().enumerate() {
        if def.component_name.is_some() {
            let base = escape_keyword(types[index].to_snake_case());
            let name = claim(&mut taken, base, |name, n| format!("{name}_{n}"));
            modules.insert(TypeId(index), name);
        }
    }
    if model.types.iter().any(|def| def.home == OPERATIONS_HOME) {
        modules.insert(OPERATIONS_HOME, OPERATION_TYPES_MODULE.to_owned());
    }
    if model.types.iter().any(|def| def.home == CHANNELS_HOME) {
        modules.insert(CHANNELS_HOME, CHANNEL_TYPES_MODULE.to_owned());
    }
    modules
}

fn const_names(values: &[String], types: &[String]) -> BTreeMap<String, String> {
    // Const types live in their own module, so they only collide among
    // themselves; type names are avoided anyway to keep imports readable.
    let mut taken: HashSet<String> = RESERVED_TYPE_NAMES.iter().map(|s| s.to_string()).collect();
    taken.extend(types.iter().cloned());
    values
        .iter()
        .map(|value| {
            let base = variant_ident(value);
            (
                value.clone(),
                claim(&mut taken, base, |name, n| format!("{name}{n}")),
            )
        })
        .collect()
}

fn claim(
    taken: &mut HashSet<String>,
    base: String,
    with_suffix: impl Fn(&str, usize) -> String,
) -> String {
    if taken.insert(base.clone()) {
        return base;
    }
    let name = (2..)
        .map(|n| with_suffix(&base, n))
        .find(|candidate| !taken.contains(candidate))
        .expect("an unbounded range always has a free suffix");
    taken.insert(name.clone());
    name
}

/// Makes the names distinct: a repeated one gets the smallest free suffix.
pub fn dedupe(names: Vec<String>, with_suffix: impl Fn(&str, usize) -> String) -> Vec<String> {
    let mut taken = HashSet::new();
    names
        .into_iter()
        .map(|name| claim(&mut taken, name, &with_suffix))
        .collect()
}

/// `name_2`, or `type_2` for an escaped keyword `type_` (not `type__2`,
/// which is not snake case).
fn numbered_snake(name: &str, n: usize) -> String {
    match name.strip_suffix('_') {
        Some(_) => format!("{name}{n}"),
        None => format!("{name}_{n}"),
    }
}

fn catch_all_name(variants: &[String]) -> String {
    ["Unknown", "Other", "UnknownValue"]
        .iter()
        .map(|s| s.to_string())
        .find(|candidate| !variants.contains(candidate))
        .unwrap_or_else(|| format!("Unknown{}", variants.len()))
}

/// A snake_case field identifier for a wire name; keywords get a trailing
/// underscore (`type` -> `type_`).
pub fn field_ident(wire_name: &str) -> String {
    let mut name = wire_name
        .split(|c: char| !c.is_ascii_alphanumeric())
        .filter(|w| !w.is_empty())
        .map(|w| w.to_snake_case())
        .collect::<Vec<_>>()
        .join("_");
    if name.is_empty() {
        name = "field".to_owned();
    }
    if name.starts_with(|c: char| c.is_ascii_digit()) {
        name = format!("n{name}");
    }
    escape_keyword(name)
}

fn escape_keyword(name: String) -> String {
    if KEYWORDS.contains(&name.as_str()) {
        format!("{name}_")
    } else {
        name
    }
}

/// `AgentTransferOpPush` in `AgentTransferOp` -> `Push`.
fn strip_prefix_word(variant: &str, union: &str) -> String {
    match variant.strip_prefix(union) {
        Some(rest) if rest.starts_with(|c: char| c.is_ascii_uppercase()) => rest.to_owned(),
        _ => variant.to_owned(),
    }
}

pub(crate) fn union_variant_name(ty: &TypeRef, types: &[String]) -> String {
    match ty {
        TypeRef::Named(id) => types[id.0].clone(),
        TypeRef::Const(value) => variant_ident(value),
        TypeRef::String => "String".to_owned(),
        TypeRef::Integer(_) => "Integer".to_owned(),
        TypeRef::Number(_) => "Number".to_owned(),
        TypeRef::Boolean => "Boolean".to_owned(),
        TypeRef::DateTime => "DateTime".to_owned(),
        TypeRef::Binary => "Binary".to_owned(),
        TypeRef::Json => "Json".to_owned(),
        TypeRef::Array(inner) => format!("{}List", union_variant_name(inner, types)),
        TypeRef::Map(inner) => format!("{}Map", union_variant_name(inner, types)),
        TypeRef::Nullable(inner) => format!("Optional{}", union_variant_name(inner, types)),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn keywords_and_odd_wire_names_become_snake_identifiers() {
        assert_eq!(field_ident("type"), "type_");
        assert_eq!(field_ident("mimeType"), "mime_type");
        assert_eq!(field_ident("xi-api-key"), "xi_api_key");
        assert_eq!(field_ident("from"), "from");
        assert_eq!(field_ident("loop"), "loop_");
        assert_eq!(field_ident("$schema"), "schema");
        assert_eq!(field_ident("2fa"), "n2fa");
        assert_eq!(field_ident(""), "field");
    }

    #[test]
    fn collisions_get_the_smallest_free_suffix() {
        let names = dedupe(
            vec!["A".into(), "A".into(), "A2".into(), "A".into()],
            |n, i| format!("{n}{i}"),
        );
        assert_eq!(names, ["A", "A2", "A22", "A3"]);
    }
}
