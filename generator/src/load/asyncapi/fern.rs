//! Fern's type expressions (`x-fern-type`) as JSON Schema. The ElevenLabs
//! AsyncAPI documents write the tag of every message as
//! `x-fern-type: literal<"pong">` and alignment lists as
//! `x-fern-type: list<integer>`, with no `type` beside them; read as JSON
//! Schema alone such a property is any JSON value. Where a schema has an
//! `x-fern-type` and no `type`, `$ref` or `const` of its own, the
//! expression is written into it as the JSON Schema it stands for, in
//! place (pointers stay valid), before the typed view is built. An
//! expression this module does not know is left alone: the schema then
//! stays untyped and the coverage report lists it.

use serde_json::{json, Map, Value};

const FERN_TYPE: &str = "x-fern-type";

/// Keys whose values are example data, not schemas.
const EXAMPLE_KEYS: [&str; 4] = ["x-fern-examples", "examples", "example", "default"];

/// Translates every `x-fern-type` in the tree (outside examples).
pub fn translate_fern_types(value: &mut Value) {
    match value {
        Value::Object(map) => {
            translate_here(map);
            for (key, child) in map.iter_mut() {
                if !EXAMPLE_KEYS.contains(&key.as_str()) {
                    translate_fern_types(child);
                }
            }
        }
        Value::Array(items) => items.iter_mut().for_each(translate_fern_types),
        _ => {}
    }
}

fn translate_here(map: &mut Map<String, Value>) {
    let Some(Value::String(expression)) = map.get(FERN_TYPE) else {
        return;
    };
    if ["type", "$ref", "const"]
        .iter()
        .any(|k| map.contains_key(*k))
    {
        return;
    }
    if let Some(Value::Object(schema)) = schema_of(expression.trim()) {
        for (key, value) in schema {
            map.entry(key).or_insert(value);
        }
    }
}

/// The JSON Schema of a Fern type expression, if it is one this knows.
fn schema_of(expression: &str) -> Option<Value> {
    if let Some((name, arguments)) = generic(expression) {
        return match (name, arguments.as_slice()) {
            ("literal", [literal]) => literal_schema(literal),
            ("list" | "set", [item]) => Some(json!({"type": "array", "items": schema_of(item)?})),
            ("optional", [inner]) => schema_of(inner),
            ("map", [_, values]) => {
                Some(json!({"type": "object", "additionalProperties": schema_of(values)?}))
            }
            _ => None,
        };
    }
    primitive_schema(expression)
}

fn primitive_schema(name: &str) -> Option<Value> {
    Some(match name {
        "string" | "uuid" | "base64" => json!({"type": "string"}),
        "integer" => json!({"type": "integer", "format": "int32"}),
        "long" => json!({"type": "integer", "format": "int64"}),
        "uint" => json!({"type": "integer", "format": "uint32"}),
        "uint64" => json!({"type": "integer", "format": "uint64"}),
        "double" => json!({"type": "number"}),
        "float" => json!({"type": "number", "format": "float"}),
        "boolean" => json!({"type": "boolean"}),
        "datetime" => json!({"type": "string", "format": "date-time"}),
        "unknown" => json!({}),
        _ => return None,
    })
}

/// `literal<"text">` or `literal<true>`.
fn literal_schema(literal: &str) -> Option<Value> {
    match serde_json::from_str::<Value>(literal).ok()? {
        Value::String(text) => Some(json!({"type": "string", "const": text})),
        Value::Bool(flag) => Some(json!({"type": "boolean", "const": flag})),
        _ => None,
    }
}

/// `name<a, b>` split into the name and its top-level arguments (commas
/// inside nested `<>` or quotes do not split).
fn generic(expression: &str) -> Option<(&str, Vec<&str>)> {
    let (name, rest) = expression.split_once('<')?;
    let inner = rest.strip_suffix('>')?;
    let mut arguments = Vec::new();
    let (mut depth, mut quoted, mut start) = (0usize, false, 0usize);
    for (index, character) in inner.char_indices() {
        match character {
            '"' => quoted = !quoted,
            '<' if !quoted => depth += 1,
            '>' if !quoted => depth = depth.checked_sub(1)?,
            ',' if !quoted && depth == 0 => {
                arguments.push(inner[start..index].trim());
                start = index + 1;
            }
            _ => {}
        }
    }
    arguments.push(inner[start..].trim());
    Some((name.trim(), arguments))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn translated(schema: Value) -> Value {
        let mut tree = json!({"s": schema});
        translate_fern_types(&mut tree);
        tree["s"].take()
    }

    #[test]
    fn literals_become_constants_of_their_type() {
        assert_eq!(
            translated(json!({"x-fern-type": "literal<\"pong\">", "description": "d"})),
            json!({"x-fern-type": "literal<\"pong\">", "description": "d", "type": "string", "const": "pong"})
        );
        assert_eq!(
            translated(json!({"x-fern-type": "literal<true>"}))["const"],
            json!(true)
        );
        assert_eq!(
            translated(json!({"x-fern-type": "literal<\"a, b<c>\">"}))["const"],
            json!("a, b<c>")
        );
    }

    #[test]
    fn containers_nest() {
        assert_eq!(
            translated(json!({"x-fern-type": "list<optional<integer>>"})),
            json!({"x-fern-type": "list<optional<integer>>", "type": "array", "items": {"type": "integer", "format": "int32"}})
        );
        assert_eq!(
            translated(json!({"x-fern-type": "map<string, list<string>>"}))["additionalProperties"],
            json!({"type": "array", "items": {"type": "string"}})
        );
    }

    #[test]
    fn a_declared_type_wins_and_unknown_expressions_and_examples_are_left_alone() {
        let declared = json!({"x-fern-type": "literal<\"a\">", "type": "integer"});
        assert_eq!(translated(declared.clone()), declared);
        let unknown = json!({"x-fern-type": "Vendor.Thing"});
        assert_eq!(translated(unknown.clone()), unknown);
        let mut tree = json!({"examples": [{"x-fern-type": "string"}]});
        let before = tree.clone();
        translate_fern_types(&mut tree);
        assert_eq!(tree, before);
    }
}
