//! Name hints for the members of a union that the document does not name:
//! a member is called after what it is (`Keyword` for a string enum,
//! `Object`, `ToolIdentifierList` for a list of tool identifiers), never
//! after its position, so a member added upstream renames no other.

use heck::ToSnakeCase;

use crate::load::spec::Schema;
use crate::support::ident::type_ident;

const COMPONENT_PREFIX: &str = "#/components/schemas/";

/// The hint for an inline (or referenced) member of a union.
pub(super) fn member_hint(member: &Schema) -> String {
    if let Some(title) = member.title.as_deref().filter(|t| !t.trim().is_empty()) {
        return title.to_owned();
    }
    if let Some(name) = reference_name(member) {
        return name.to_owned();
    }
    if let Some(items) = member.items.as_deref() {
        return format!("{}List", item_hint(items));
    }
    shape_hint(member).to_owned()
}

/// What a member is, by its shape.
fn shape_hint(member: &Schema) -> &'static str {
    let declares = |name: &str| member.types.contains(name);
    if member.enum_values.is_some() || member.const_value.is_some() {
        "Keyword"
    } else if declares("object") || !member.properties.is_empty() {
        "Object"
    } else if declares("string") {
        "String"
    } else if declares("integer") {
        "Integer"
    } else if declares("number") {
        "Number"
    } else if declares("boolean") {
        "Boolean"
    } else {
        "OneOf"
    }
}

/// The hint for a list's items: the component it refers to, the words the
/// members of an item union share (`DependentAvailableToolIdentifier` and
/// `DependentUnknownToolIdentifier` -> `ToolIdentifier`), else its shape.
fn item_hint(items: &Schema) -> String {
    if let Some(title) = items.title.as_deref().filter(|t| !t.trim().is_empty()) {
        return title.to_owned();
    }
    if let Some(name) = reference_name(items) {
        return name.to_owned();
    }
    let names: Vec<&str> = items
        .one_of
        .iter()
        .chain(&items.any_of)
        .filter_map(reference_name)
        .collect();
    match common_trailing_words(&names) {
        Some(common) => common,
        None => shape_hint(items).to_owned(),
    }
}

fn reference_name(schema: &Schema) -> Option<&str> {
    schema.reference.as_deref()?.strip_prefix(COMPONENT_PREFIX)
}

/// The words every name ends with, in UpperCamelCase; `None` when
/// they share none or there are fewer than two names.
fn common_trailing_words(names: &[&str]) -> Option<String> {
    let split: Vec<Vec<String>> = names
        .iter()
        .map(|name| name.to_snake_case().split('_').map(str::to_owned).collect())
        .collect();
    let (first, rest) = split.split_first()?;
    if rest.is_empty() {
        return None;
    }
    let shared = (1..=first.len())
        .take_while(|&n| {
            rest.iter()
                .all(|words| words.len() >= n && words[words.len() - n] == first[first.len() - n])
        })
        .last()?;
    Some(type_ident(&first[first.len() - shared..]))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn schema(json: serde_json::Value) -> Schema {
        serde_json::from_value(json).expect("a schema")
    }

    #[test]
    fn members_are_named_after_what_they_are() {
        let keyword = schema(serde_json::json!({"type": "string", "enum": ["low", "high"]}));
        assert_eq!(member_hint(&keyword), "Keyword");
        let object = schema(serde_json::json!({"type": "object", "properties": {"a": {}}}));
        assert_eq!(member_hint(&object), "Object");
        let pair = schema(serde_json::json!({"type": "array", "items": {"type": "string"}}));
        assert_eq!(member_hint(&pair), "StringList");
        let titled = schema(serde_json::json!({"title": "Custom", "type": "object"}));
        assert_eq!(member_hint(&titled), "Custom");
    }

    #[test]
    fn a_list_of_a_union_of_references_takes_their_shared_words() {
        let list = schema(serde_json::json!({"type": "array", "items": {"oneOf": [
            {"$ref": "#/components/schemas/DependentAvailableToolIdentifier"},
            {"$ref": "#/components/schemas/DependentUnknownToolIdentifier"}
        ]}}));
        assert_eq!(member_hint(&list), "ToolIdentifierList");
        let unrelated = schema(serde_json::json!({"type": "array", "items": {"oneOf": [
            {"$ref": "#/components/schemas/Alpha"},
            {"$ref": "#/components/schemas/Beta"}
        ]}}));
        assert_eq!(member_hint(&unrelated), "OneOfList");
    }
}
