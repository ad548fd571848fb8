//! Stage 3: naming. Turns name hints and wire names into valid, idiomatic
//! Rust identifiers, resolving collisions deterministically: component
//! schemas claim names before inline types, in document order, and a
//! colliding name gets the smallest free numeric suffix.

use std::collections::{BTreeMap, HashSet};

use heck::{ToSnakeCase, ToUpperCamelCase};

use crate::ir::{ApiModel, TypeId, TypeKind, TypeRef};

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
}

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
const RESERVED_MODULE_NAMES: &[&str] = &["mod", "consts", "schema_index", "types", "lib"];

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
                fields.insert(id, dedupe(names, |name, n| format!("{name}_{n}")));
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
    Names {
        types,
        modules,
        consts,
        fields,
        variants,
    }
}

fn type_names(model: &ApiModel) -> Vec<String> {
    let mut taken: HashSet<String> = RESERVED_TYPE_NAMES.iter().map(|s| s.to_string()).collect();
    let mut names = vec![String::new(); model.types.len()];
    // Components first, so an inline type never takes a component's name.
    let order = model
        .types
        .iter()
        .enumerate()
        .filter(|(_, t)| t.component_name.is_some())
        .chain(
            model
                .types
                .iter()
                .enumerate()
                .filter(|(_, t)| t.component_name.is_none()),
        );
    for (index, def) in order {
        let base = type_ident(&def.name_hint);
        names[index] = claim(&mut taken, base, |name, n| format!("{name}{n}"));
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

fn dedupe(names: Vec<String>, with_suffix: impl Fn(&str, usize) -> String) -> Vec<String> {
    let mut taken = HashSet::new();
    names
        .into_iter()
        .map(|name| claim(&mut taken, name, &with_suffix))
        .collect()
}

fn catch_all_name(variants: &[String]) -> String {
    ["Unknown", "Other", "UnknownValue"]
        .iter()
        .map(|s| s.to_string())
        .find(|candidate| !variants.contains(candidate))
        .unwrap_or_else(|| format!("Unknown{}", variants.len()))
}

/// `["voice_settings", "stability"]` -> `VoiceSettingsStability`.
pub fn type_ident(hint: &[String]) -> String {
    let joined = hint
        .iter()
        .map(|part| camel_words(part))
        .collect::<String>();
    let name = if joined.is_empty() {
        "Schema".to_owned()
    } else {
        joined
    };
    if name.starts_with(|c: char| c.is_ascii_digit()) {
        format!("T{name}")
    } else {
        name
    }
}

/// An enum variant or const type name for a wire value: `mp3_44100_128`
/// -> `Mp3_44100_128` (digits stay apart), `""` -> `Empty`.
pub fn variant_ident(value: &str) -> String {
    let name = camel_words(value);
    if name.is_empty() {
        return "Empty".to_owned();
    }
    if name.starts_with(|c: char| c.is_ascii_digit()) {
        format!("V{name}")
    } else if name == "Self" {
        "SelfValue".to_owned()
    } else {
        name
    }
}

/// UpperCamelCase of the alphanumeric words in `text`, keeping an
/// underscore between two words that would otherwise run digits together.
fn camel_words(text: &str) -> String {
    let mut out = String::new();
    for word in text
        .split(|c: char| !c.is_ascii_alphanumeric())
        .filter(|w| !w.is_empty())
    {
        let camel = word.to_upper_camel_case();
        let digits_meet = out.ends_with(|c: char| c.is_ascii_digit())
            && camel.starts_with(|c: char| c.is_ascii_digit());
        if digits_meet {
            out.push('_');
        }
        out.push_str(&camel);
    }
    out
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

fn union_variant_name(ty: &TypeRef, types: &[String]) -> String {
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
    fn wire_values_become_camel_variants() {
        assert_eq!(variant_ident("mp3_44100_128"), "Mp3_44100_128");
        assert_eq!(variant_ident("landing-page"), "LandingPage");
        assert_eq!(variant_ident("16000"), "V16000");
        assert_eq!(variant_ident(""), "Empty");
        assert_eq!(type_ident(&["ASTNode-Input".into()]), "AstNodeInput");
        assert_eq!(
            type_ident(&["Voice".into(), "settings".into(), "Item".into()]),
            "VoiceSettingsItem"
        );
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
