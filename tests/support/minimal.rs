//! Minimal valid arguments for one operation of an OpenAPI 3.0 or 3.1
//! document: every path parameter, the required query and header parameters
//! and a request body holding only required properties.
//!
//! Values come from the schema's own `const`, `example`, `examples`,
//! `default` or `enum` when one of them conforms to the schema, and are
//! otherwise built from the schema's constraints.

use regex_syntax::hir::{Class, Hir, HirKind};
use serde_json::{json, Map, Value};

/// Header parameters the caller sets itself: the API keys.
const CALLER_HEADERS: &[&str] = &["xi-api-key", "x-api-key"];
/// What a string without any constraint becomes.
const PLAIN_STRING: &str = "string";
/// What a path parameter without an example becomes: safe in a URL.
const PLAIN_PATH_VALUE: &str = "id123";
/// Deeper than this, schemas are treated as cyclic.
const MAX_DEPTH: usize = 48;

#[derive(Debug, Default, Clone)]
pub struct MinimalArgs {
    pub path: Map<String, Value>,
    pub query: Map<String, Value>,
    pub header: Map<String, Value>,
    /// `Value::Null` when the operation has no request body. An optional body
    /// is still filled in, so that its encoding gets exercised.
    pub body: Value,
    pub content_type: Option<String>,
    /// The body's top-level properties that are files (binary strings or
    /// arrays of them): multipart parts with a filename.
    pub files: Vec<String>,
}

/// The minimal arguments of the operation `method` (lower case) on the path
/// template `path` of `doc`.
pub fn minimal_args(doc: &Value, path: &str, method: &str) -> MinimalArgs {
    let item = resolve(doc, &doc["paths"][path]);
    let operation = &item[method];
    assert!(operation.is_object(), "no operation {method} {path}");
    let mut sampler = Sampler { doc, depth: 0 };
    let mut args = MinimalArgs::default();
    for param in parameters(doc, item, operation) {
        let name = param["name"].as_str().unwrap_or_default().to_string();
        let required = param["required"] == true;
        match param["in"].as_str() {
            Some("path") => {
                let value = sampler.param_value(param);
                let value = match value.as_str() {
                    Some(PLAIN_STRING) => json!(PLAIN_PATH_VALUE),
                    _ => value,
                };
                args.path.insert(name, value);
            }
            Some("query") if required => {
                let value = sampler.param_value(param);
                let value = sampler.one_item_if_empty(param_schema(param), value);
                args.query.insert(name, value);
            }
            Some("header") if required && !is_caller_header(&name) => {
                args.header.insert(name, sampler.param_value(param));
            }
            _ => {}
        }
    }
    let body = resolve(doc, &operation["requestBody"]);
    if let Some((content_type, media)) = pick_media(body) {
        let schema = &media["schema"];
        args.body = media_example(doc, media).unwrap_or_else(|| sampler.sample(schema));
        if content_type == "multipart/form-data" {
            sampler.fill_empty_arrays(schema, &mut args.body);
        }
        args.files = file_properties(doc, schema);
        args.content_type = Some(content_type.clone());
    }
    args
}

fn is_caller_header(name: &str) -> bool {
    CALLER_HEADERS.iter().any(|h| h.eq_ignore_ascii_case(name))
}

/// Path-level parameters overridden by the operation's (same name and `in`).
fn parameters<'a>(doc: &'a Value, item: &'a Value, operation: &'a Value) -> Vec<&'a Value> {
    let mut all: Vec<&Value> = Vec::new();
    let declared = [&item["parameters"], &operation["parameters"]];
    for param in declared.into_iter().filter_map(Value::as_array).flatten() {
        let param = resolve(doc, param);
        all.retain(|p| p["name"] != param["name"] || p["in"] != param["in"]);
        all.push(param);
    }
    all
}

/// JSON first, then multipart, then whatever comes first.
fn pick_media(body: &Value) -> Option<(&String, &Value)> {
    let content = body["content"].as_object()?;
    let preferred = ["application/json", "multipart/form-data"];
    preferred
        .iter()
        .find_map(|wanted| content.get_key_value(*wanted))
        .or_else(|| content.iter().next())
}

/// A media type's own `example`, or the first of its `examples` (3.0 style).
fn media_example(doc: &Value, media: &Value) -> Option<Value> {
    let first_named = media["examples"]
        .as_object()
        .and_then(|named| named.values().next())
        .map(|example| &resolve(doc, example)["value"]);
    [media.get("example"), first_named]
        .into_iter()
        .flatten()
        .find(|v| !v.is_null() && conforms(doc, &media["schema"], v, 0))
        .cloned()
}

fn file_properties(doc: &Value, schema: &Value) -> Vec<String> {
    let merged = merge_all_of(doc, schema, 0);
    let Some(properties) = merged["properties"].as_object() else {
        return Vec::new();
    };
    properties
        .iter()
        .filter(|(_, property)| is_file(doc, property, 0))
        .map(|(name, _)| name.clone())
        .collect()
}

/// A binary string (3.0 `format: binary`, 3.1 `contentMediaType`), an array
/// of them, or a choice with such a member (3.1 optional files).
fn is_file(doc: &Value, schema: &Value, depth: usize) -> bool {
    let schema = resolve(doc, schema);
    if depth > MAX_DEPTH {
        return false;
    }
    let binary = schema["format"] == "binary"
        || schema.get("contentMediaType").is_some()
        || schema.get("contentEncoding").is_some_and(|e| e != "base64");
    let in_items = schema
        .get("items")
        .is_some_and(|items| is_file(doc, items, depth + 1));
    let in_choice = choice_members(schema)
        .iter()
        .any(|member| is_file(doc, member, depth + 1));
    binary || in_items || in_choice
}

/// Follows local `$ref`s (`#/...`) until a non-reference value.
fn resolve<'a>(doc: &'a Value, mut value: &'a Value) -> &'a Value {
    for _ in 0..MAX_DEPTH {
        let Some(reference) = value.get("$ref").and_then(Value::as_str) else {
            return value;
        };
        let pointer = reference
            .strip_prefix('#')
            .unwrap_or_else(|| panic!("only local references are supported, found {reference}"));
        value = doc
            .pointer(pointer)
            .unwrap_or_else(|| panic!("dangling reference {reference}"));
    }
    panic!("reference chain too long at {value}")
}

struct Sampler<'a> {
    doc: &'a Value,
    depth: usize,
}

impl Sampler<'_> {
    fn param_value(&mut self, param: &Value) -> Value {
        let named_example = param["examples"]
            .as_object()
            .and_then(|named| named.values().next())
            .map(|example| resolve(self.doc, example)["value"].clone());
        if let Some(example) = param.get("example").cloned().or(named_example) {
            return example;
        }
        self.sample(param_schema(param))
    }

    /// An empty array cannot travel as form fields (query or multipart): it
    /// would be no field at all, so a required one would be missing.
    fn one_item_if_empty(&mut self, schema: &Value, value: Value) -> Value {
        match value {
            Value::Array(items) if items.is_empty() => {
                let item = self.sample(array_items(self.doc, schema));
                Value::Array(vec![item])
            }
            other => other,
        }
    }

    fn fill_empty_arrays(&mut self, schema: &Value, body: &mut Value) {
        let merged = merge_all_of(self.doc, schema, 0);
        for (name, value) in body.as_object_mut().into_iter().flatten() {
            let property = &merged["properties"][name.as_str()];
            *value = self.one_item_if_empty(property, value.take());
        }
    }

    fn sample(&mut self, schema: &Value) -> Value {
        if self.depth > MAX_DEPTH {
            // A cycle through required properties: nothing finite is valid.
            return Value::Null;
        }
        self.depth += 1;
        let value = self.sample_unguarded(schema);
        self.depth -= 1;
        value
    }

    fn sample_unguarded(&mut self, schema: &Value) -> Value {
        // A 3.1 `$ref` may have siblings such as `default` or `examples`.
        if let Some(value) = self.known_value(schema) {
            return value;
        }
        let doc = self.doc;
        let schema = resolve(doc, schema);
        if let Some(value) = self.known_value(schema) {
            return value;
        }
        if schema.get("allOf").is_some() {
            return self.sample(&merge_all_of(doc, schema, 0));
        }
        if let Some(value) = self.sample_choice(schema) {
            return value;
        }
        match primary_type(schema) {
            Some("object") => self.sample_object(schema),
            Some("array") => self.sample_array(schema),
            Some("integer") => sample_number(schema, true),
            Some("number") => sample_number(schema, false),
            Some("boolean") => json!(false),
            Some("null") => Value::Null,
            _ => sample_string(schema),
        }
    }

    /// The first of `const`, `example`, `examples`, `default`, `enum` that is
    /// not null and conforms to the schema.
    fn known_value(&self, schema: &Value) -> Option<Value> {
        let listed = |key: &str| schema[key].as_array().into_iter().flatten();
        [schema.get("const"), schema.get("example")]
            .into_iter()
            .flatten()
            .chain(listed("examples"))
            .chain(schema.get("default"))
            .chain(listed("enum"))
            .find(|v| !v.is_null() && conforms(self.doc, schema, v, 0))
            .cloned()
    }

    /// `oneOf`/`anyOf`: the first member that is not `null`, with the
    /// discriminator's tag set to that member's mapping value.
    fn sample_choice(&mut self, schema: &Value) -> Option<Value> {
        let members = choice_members(schema);
        let member = members
            .iter()
            .find(|m| primary_type(resolve(self.doc, m)) != Some("null"))?;
        let mut value = self.sample(member);
        let tag_name = schema["discriminator"]["propertyName"].as_str();
        if let (Some(tag_name), Some(object)) = (tag_name, value.as_object_mut()) {
            object.insert(
                tag_name.to_string(),
                json!(discriminator_tag(schema, member)),
            );
        }
        Some(value)
    }

    fn sample_object(&mut self, schema: &Value) -> Value {
        let mut object = Map::new();
        let required = schema["required"].as_array().into_iter().flatten();
        for name in required.filter_map(Value::as_str) {
            let property = match schema["properties"].get(name) {
                Some(property) => property,
                None => additional_schema(schema),
            };
            object.insert(name.to_string(), self.sample(property));
        }
        let min_properties = schema["minProperties"].as_u64().unwrap_or(0) as usize;
        let optional = schema["properties"].as_object().into_iter().flatten();
        for (name, property) in optional {
            if object.len() >= min_properties {
                break;
            }
            if !object.contains_key(name) {
                let value = self.sample(property);
                object.insert(name.clone(), value);
            }
        }
        while object.len() < min_properties {
            let value = self.sample(additional_schema(schema));
            object.insert(format!("key{}", object.len() + 1), value);
        }
        Value::Object(object)
    }

    fn sample_array(&mut self, schema: &Value) -> Value {
        let count = schema["minItems"].as_u64().unwrap_or(0) as usize;
        let prefix = schema["prefixItems"].as_array();
        let items: Vec<Value> = (0..count)
            .map(|i| {
                let item_schema = prefix.and_then(|p| p.get(i)).unwrap_or(&schema["items"]);
                let item = self.sample(item_schema);
                match item.as_str() {
                    // Keeps `uniqueItems` satisfied for plain strings.
                    Some(text) if i > 0 && schema["uniqueItems"] == true => {
                        json!(format!("{text}{i}"))
                    }
                    _ => item,
                }
            })
            .collect();
        Value::Array(items)
    }
}

fn param_schema(param: &Value) -> &Value {
    match param.get("schema") {
        Some(schema) => schema,
        None => param["content"]
            .as_object()
            .and_then(|content| content.values().next())
            .map_or(&Value::Null, |media| &media["schema"]),
    }
}

/// The item schema of an array schema, or of the first array member of a
/// choice (`anyOf: [array, null]`).
fn array_items<'a>(doc: &'a Value, schema: &'a Value) -> &'a Value {
    let schema = resolve(doc, schema);
    match schema.get("items") {
        Some(items) => items,
        None => choice_members(schema)
            .iter()
            .map(|member| resolve(doc, member))
            .find_map(|member| member.get("items"))
            .unwrap_or(&Value::Null),
    }
}

fn choice_members(schema: &Value) -> &[Value] {
    schema
        .get("oneOf")
        .or_else(|| schema.get("anyOf"))
        .and_then(Value::as_array)
        .map_or(&[], Vec::as_slice)
}

/// The mapping key that points at `member`, else the referenced schema's name.
fn discriminator_tag(schema: &Value, member: &Value) -> String {
    let reference = member["$ref"].as_str().unwrap_or_default();
    let mapping = schema["discriminator"]["mapping"].as_object();
    mapping
        .into_iter()
        .flatten()
        .find(|(_, target)| target.as_str() == Some(reference))
        .map(|(tag, _)| tag.clone())
        .unwrap_or_else(|| reference.rsplit('/').next().unwrap_or_default().to_string())
}

/// A schema's type: the first non-null one of a 3.1 type list, else guessed
/// from its keywords.
fn primary_type(schema: &Value) -> Option<&str> {
    match &schema["type"] {
        Value::String(single) => Some(single),
        Value::Array(list) => {
            let names = list.iter().filter_map(Value::as_str);
            let mut names = names.clone().filter(|t| *t != "null").chain(names);
            names.next()
        }
        _ if schema.get("properties").is_some() || schema.get("required").is_some() => {
            Some("object")
        }
        _ if schema.get("items").is_some() || schema.get("prefixItems").is_some() => Some("array"),
        _ => None,
    }
}

fn additional_schema(schema: &Value) -> &Value {
    match schema.get("additionalProperties") {
        Some(additional) if additional.is_object() => additional,
        _ => &Value::Null,
    }
}

/// One schema with the members of `allOf` (resolved, recursively) folded in:
/// properties and required lists united, other keywords kept from the first
/// that has them.
fn merge_all_of(doc: &Value, schema: &Value, depth: usize) -> Value {
    let schema = resolve(doc, schema);
    let mut merged = schema.as_object().cloned().unwrap_or_default();
    let Some(members) = merged.remove("allOf") else {
        return Value::Object(merged);
    };
    if depth > MAX_DEPTH {
        return Value::Object(merged);
    }
    for member in members.as_array().into_iter().flatten() {
        let member = merge_all_of(doc, member, depth + 1);
        for (key, value) in member.as_object().into_iter().flatten() {
            match (key.as_str(), merged.get_mut(key)) {
                ("properties", Some(Value::Object(properties))) => {
                    for (name, property) in value.as_object().into_iter().flatten() {
                        properties.entry(name).or_insert_with(|| property.clone());
                    }
                }
                ("required", Some(Value::Array(required))) => {
                    for name in value.as_array().into_iter().flatten() {
                        if !required.contains(name) {
                            required.push(name.clone());
                        }
                    }
                }
                (_, Some(_)) => {}
                (_, None) => {
                    merged.insert(key.clone(), value.clone());
                }
            }
        }
    }
    Value::Object(merged)
}

fn sample_string(schema: &Value) -> Value {
    let base = match schema["format"].as_str() {
        Some("date-time") => "2024-01-01T00:00:00Z",
        Some("date") => "2024-01-01",
        Some("time") => "12:00:00Z",
        Some("uuid") => "3fa85f64-5717-4562-b3fc-2c963f66afa6",
        Some("email") => "user@example.com",
        Some("uri" | "url" | "uri-reference") => "https://example.com",
        Some("byte") => "ZmlsZQ==",
        _ => PLAIN_STRING,
    };
    if let Some(pattern) = schema["pattern"].as_str() {
        if !matches_pattern(pattern, base) {
            if let Some(text) = example_for_pattern(pattern) {
                return json!(text);
            }
        }
        return json!(base);
    }
    let min = schema["minLength"].as_u64().unwrap_or(0) as usize;
    let max = schema["maxLength"]
        .as_u64()
        .map_or(usize::MAX, |m| m as usize);
    let mut text: String = base.chars().take(max).collect();
    while text.chars().count() < min {
        text.push('a');
    }
    json!(text)
}

/// The smallest value allowed by `minimum`/`exclusiveMinimum` (3.1 number
/// or 3.0 boolean form), or 0, pulled below `maximum` when needed.
fn sample_number(schema: &Value, integer: bool) -> Value {
    let (low, low_open) = bound(schema, "minimum", "exclusiveMinimum");
    let (high, high_open) = bound(schema, "maximum", "exclusiveMaximum");
    let step = if integer { 1.0 } else { 0.5 };
    let mut value = match low {
        Some(low) if integer && low_open => low.floor() + 1.0,
        Some(low) if integer => low.ceil(),
        Some(low) if low_open => low + step,
        Some(low) => low,
        None => 0.0,
    };
    if let Some(high) = high {
        let too_high = value > high || (high_open && value >= high);
        if too_high {
            value = match low {
                Some(low) if !integer => (low + high) / 2.0,
                _ if integer && high_open => high.ceil() - 1.0,
                _ if integer => high.floor(),
                _ if high_open => high - step,
                _ => high,
            };
        }
    }
    if integer {
        json!(value as i64)
    } else {
        json!(value)
    }
}

/// A bound and whether it is exclusive, from either numeric form.
fn bound(schema: &Value, inclusive: &str, exclusive: &str) -> (Option<f64>, bool) {
    match (&schema[exclusive], schema[inclusive].as_f64()) {
        (Value::Number(n), _) => (n.as_f64(), true),
        (Value::Bool(open), inclusive) => (inclusive, *open),
        (_, inclusive) => (inclusive, false),
    }
}

fn matches_pattern(pattern: &str, text: &str) -> bool {
    regex::Regex::new(pattern).is_ok_and(|re| re.is_match(text))
}

/// A short string matching `pattern`: each repetition at its minimum, the
/// first branch of each alternation, alphanumerics preferred in classes.
fn example_for_pattern(pattern: &str) -> Option<String> {
    let hir = regex_syntax::Parser::new().parse(pattern).ok()?;
    let mut text = String::new();
    write_example(&hir, &mut text);
    matches_pattern(pattern, &text).then_some(text)
}

fn write_example(hir: &Hir, out: &mut String) {
    match hir.kind() {
        HirKind::Empty | HirKind::Look(_) => {}
        HirKind::Literal(literal) => out.push_str(&String::from_utf8_lossy(&literal.0)),
        HirKind::Class(Class::Unicode(class)) => {
            let ranges: Vec<_> = class.iter().map(|r| (r.start(), r.end())).collect();
            out.extend(pick_char(&ranges));
        }
        HirKind::Class(Class::Bytes(class)) => {
            let ranges: Vec<_> = class
                .iter()
                .map(|r| (char::from(r.start()), char::from(r.end())))
                .collect();
            out.extend(pick_char(&ranges));
        }
        HirKind::Repetition(repetition) => {
            for _ in 0..repetition.min {
                write_example(&repetition.sub, out);
            }
        }
        HirKind::Capture(capture) => write_example(&capture.sub, out),
        HirKind::Concat(parts) => parts.iter().for_each(|part| write_example(part, out)),
        HirKind::Alternation(branches) => write_example(&branches[0], out),
    }
}

fn pick_char(ranges: &[(char, char)]) -> Option<char> {
    let alphanumeric = ranges
        .iter()
        .flat_map(|&(start, end)| (start..=end).take(128))
        .find(char::is_ascii_alphanumeric);
    alphanumeric.or_else(|| ranges.first().map(|&(start, _)| start))
}

/// Whether `value` is valid against `schema`: the JSON Schema keywords the
/// two documents use, enough to reject a wrong `example` or `default`.
fn conforms(doc: &Value, schema: &Value, value: &Value, depth: usize) -> bool {
    if depth > MAX_DEPTH {
        return true;
    }
    let schema = resolve(doc, schema);
    let check = |sub: &Value| conforms(doc, sub, value, depth + 1);
    if value.is_null() && schema["nullable"] == true {
        return true;
    }
    let all_of = schema["allOf"].as_array().into_iter().flatten();
    let any_of = schema["anyOf"].as_array();
    let one_of = schema["oneOf"].as_array();
    schema.get("const").is_none_or(|c| c == value)
        && schema["enum"].as_array().is_none_or(|e| e.contains(value))
        && type_matches(schema, value)
        && all_of.clone().all(check)
        && any_of.is_none_or(|members| members.iter().any(check))
        && one_of.is_none_or(|members| members.iter().filter(|m| check(m)).count() == 1)
        && match value {
            Value::String(text) => string_conforms(schema, text),
            Value::Number(n) => number_conforms(schema, n.as_f64().unwrap_or_default()),
            Value::Array(items) => array_conforms(doc, schema, items, depth),
            Value::Object(object) => object_conforms(doc, schema, object, depth),
            _ => true,
        }
}

fn type_matches(schema: &Value, value: &Value) -> bool {
    let is = |name: &str| match name {
        "null" => value.is_null(),
        "boolean" => value.is_boolean(),
        "string" => value.is_string(),
        "object" => value.is_object(),
        "array" => value.is_array(),
        "number" => value.is_number(),
        "integer" => value.as_f64().is_some_and(|n| n.fract() == 0.0),
        _ => true,
    };
    match &schema["type"] {
        Value::String(name) => is(name),
        Value::Array(names) => names.iter().filter_map(Value::as_str).any(is),
        _ => true,
    }
}

fn string_conforms(schema: &Value, text: &str) -> bool {
    let length = text.chars().count() as u64;
    let format_ok = match schema["format"].as_str() {
        Some("date-time") => matches_pattern(
            r"^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d(\.\d+)?(Z|[+-]\d\d:\d\d)$",
            text,
        ),
        Some("date") => matches_pattern(r"^\d{4}-\d\d-\d\d$", text),
        Some("uuid") => matches_pattern(
            r"^[0-9a-fA-F]{8}(-[0-9a-fA-F]{4}){3}-[0-9a-fA-F]{12}$",
            text,
        ),
        Some("email") => text.contains('@'),
        Some("uri" | "url") => text.contains(':'),
        _ => true,
    };
    format_ok
        && schema["minLength"].as_u64().is_none_or(|min| length >= min)
        && schema["maxLength"].as_u64().is_none_or(|max| length <= max)
        && schema["pattern"]
            .as_str()
            .is_none_or(|p| matches_pattern(p, text))
}

fn number_conforms(schema: &Value, number: f64) -> bool {
    let (low, low_open) = bound(schema, "minimum", "exclusiveMinimum");
    let (high, high_open) = bound(schema, "maximum", "exclusiveMaximum");
    low.is_none_or(|low| number > low || (!low_open && number == low))
        && high.is_none_or(|high| number < high || (!high_open && number == high))
}

fn array_conforms(doc: &Value, schema: &Value, items: &[Value], depth: usize) -> bool {
    let count = items.len() as u64;
    schema["minItems"].as_u64().is_none_or(|min| count >= min)
        && schema["maxItems"].as_u64().is_none_or(|max| count <= max)
        && schema.get("items").is_none_or(|item_schema| {
            items
                .iter()
                .all(|item| conforms(doc, item_schema, item, depth + 1))
        })
}

fn object_conforms(doc: &Value, schema: &Value, object: &Map<String, Value>, depth: usize) -> bool {
    let properties = schema["properties"].as_object();
    let required = schema["required"].as_array().into_iter().flatten();
    let has_required = required
        .filter_map(Value::as_str)
        .all(|name| object.contains_key(name));
    let members_ok = object.iter().all(|(name, value)| {
        match (
            properties.and_then(|p| p.get(name)),
            schema.get("additionalProperties"),
        ) {
            (Some(property), _) => conforms(doc, property, value, depth + 1),
            (None, Some(Value::Bool(allowed))) => *allowed,
            (None, Some(additional)) => conforms(doc, additional, value, depth + 1),
            (None, None) => true,
        }
    });
    has_required && members_ok
}

/// The content of every file argument, as `File` deserializes it (bytes).
pub const FILE_BYTES: &[u8] = b"RIFF";

/// `args` as `operation_index::call` takes them, files as [`FILE_BYTES`].
pub fn client_args(args: &MinimalArgs) -> Value {
    let mut body = args.body.clone();
    let file = || json!(FILE_BYTES);
    for name in &args.files {
        if let Some(value) = body.get_mut(name.as_str()) {
            *value = match value {
                Value::Null => Value::Null,
                Value::Array(items) => items.iter().map(|_| file()).collect(),
                _ => file(),
            };
        }
    }
    json!({"path": args.path, "query": args.query, "header": args.header, "body": body})
}
