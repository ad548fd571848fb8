//! A typed view of the parts of an OpenAPI 3.0 / 3.1 document the generator
//! reads. Both versions deserialize into the same structs: `type` may be a
//! string or a list, `nullable` (3.0) and `type: 'null'` (3.1) both survive,
//! and unknown keys are ignored so that vendor extensions never break a load.

use indexmap::IndexMap;
use serde::{Deserialize, Deserializer};
use serde_json::Value;

#[derive(Debug, Clone, Default, Deserialize)]
#[serde(default)]
pub struct Document {
    pub openapi: String,
    pub info: Info,
    pub servers: Vec<Server>,
    pub paths: IndexMap<String, PathItem>,
    pub components: Components,
    /// Security requirements that apply to every operation.
    pub security: Vec<IndexMap<String, Vec<String>>>,
    /// `x-webhooks`: the webhooks the API signs (this project's extension,
    /// which the overlays add where an API documents its signing scheme).
    #[serde(rename = "x-webhooks")]
    pub webhooks: Option<WebhooksExtension>,
}

/// The webhooks an API signs: with which header, and the schema of the
/// events (a union selected by their `type`).
#[derive(Debug, Clone, Deserialize)]
#[serde(rename_all = "kebab-case", deny_unknown_fields)]
pub struct WebhooksExtension {
    pub signature_header: String,
    /// `#/components/schemas/<name>`.
    pub event: String,
    /// The client group whose Cargo feature compiles the webhook module.
    #[serde(rename = "x-fern-sdk-group-name")]
    pub sdk_group_name: Option<String>,
}

#[derive(Debug, Clone, Default, Deserialize)]
#[serde(default)]
pub struct Info {
    pub title: String,
    pub version: String,
    pub description: Option<String>,
}

#[derive(Debug, Clone, Default, Deserialize)]
#[serde(default)]
pub struct Server {
    pub url: String,
    pub description: Option<String>,
}

#[derive(Debug, Clone, Default, Deserialize)]
#[serde(default, rename_all = "camelCase")]
pub struct Components {
    pub schemas: IndexMap<String, Schema>,
    pub security_schemes: IndexMap<String, SecurityScheme>,
}

#[derive(Debug, Clone, Default, Deserialize)]
#[serde(default)]
pub struct SecurityScheme {
    #[serde(rename = "type")]
    pub kind: String,
    #[serde(rename = "in")]
    pub location: Option<String>,
    pub name: Option<String>,
}

/// The HTTP methods OpenAPI allows in a path item, in the order they are read.
pub const METHODS: [&str; 8] = [
    "get", "put", "post", "delete", "options", "head", "patch", "trace",
];

#[derive(Debug, Clone, Default, Deserialize)]
#[serde(default)]
pub struct PathItem {
    /// Parameters shared by every operation of the path (raw: each may be
    /// a `$ref`).
    pub parameters: Vec<Value>,
    pub get: Option<Value>,
    pub put: Option<Value>,
    pub post: Option<Value>,
    pub delete: Option<Value>,
    pub options: Option<Value>,
    pub head: Option<Value>,
    pub patch: Option<Value>,
    pub trace: Option<Value>,
}

impl PathItem {
    pub fn operations(&self) -> impl Iterator<Item = (&'static str, &Value)> {
        let slots = [
            &self.get,
            &self.put,
            &self.post,
            &self.delete,
            &self.options,
            &self.head,
            &self.patch,
            &self.trace,
        ];
        METHODS
            .into_iter()
            .zip(slots)
            .filter_map(|(method, op)| op.as_ref().map(|op| (method, op)))
    }
}

/// A Schema Object (or a Reference Object: `$ref` is just one more field,
/// since 3.1 allows siblings next to it).
#[derive(Debug, Clone, Default, Deserialize)]
#[serde(default, rename_all = "camelCase")]
pub struct Schema {
    #[serde(rename = "$ref")]
    pub reference: Option<String>,
    #[serde(rename = "type")]
    pub types: SchemaTypes,
    pub format: Option<String>,
    pub title: Option<String>,
    pub description: Option<String>,
    pub properties: IndexMap<String, Schema>,
    pub required: Vec<String>,
    pub additional_properties: Option<AdditionalProperties>,
    pub items: Option<Box<Schema>>,
    pub all_of: Vec<Schema>,
    pub any_of: Vec<Schema>,
    pub one_of: Vec<Schema>,
    pub discriminator: Option<Discriminator>,
    #[serde(rename = "enum")]
    pub enum_values: Option<Vec<Value>>,
    #[serde(rename = "const", deserialize_with = "present_value")]
    pub const_value: Option<Value>,
    pub nullable: bool,
    pub deprecated: bool,
    #[serde(deserialize_with = "present_value")]
    pub default: Option<Value>,
    pub minimum: Option<Value>,
    #[serde(deserialize_with = "present_value")]
    pub example: Option<Value>,
    pub examples: Option<Value>,
    pub read_only: bool,
    pub write_only: bool,
    pub not: Option<Box<Schema>>,
}

/// Keeps an explicit `null` as `Some(Value::Null)` (`const: null`,
/// `default: null`), which plain `Option<Value>` would turn into `None`.
fn present_value<'de, D: Deserializer<'de>>(deserializer: D) -> Result<Option<Value>, D::Error> {
    Value::deserialize(deserializer).map(Some)
}

#[derive(Debug, Clone)]
pub enum AdditionalProperties {
    Allowed(bool),
    Schema(Box<Schema>),
}

/// By hand rather than `#[serde(untagged)]`, which buffers the whole value
/// before trying each variant: nested `additionalProperties` were copied
/// once per level, in time and memory quadratic in the depth.
impl<'de> Deserialize<'de> for AdditionalProperties {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        struct Visitor;
        impl<'de> serde::de::Visitor<'de> for Visitor {
            type Value = AdditionalProperties;

            fn expecting(&self, f: &mut std::fmt::Formatter) -> std::fmt::Result {
                f.write_str("a boolean or a schema")
            }

            fn visit_bool<E: serde::de::Error>(self, allowed: bool) -> Result<Self::Value, E> {
                Ok(AdditionalProperties::Allowed(allowed))
            }

            fn visit_map<A: serde::de::MapAccess<'de>>(
                self,
                map: A,
            ) -> Result<Self::Value, A::Error> {
                let schema =
                    Schema::deserialize(serde::de::value::MapAccessDeserializer::new(map))?;
                Ok(AdditionalProperties::Schema(Box::new(schema)))
            }
        }
        deserializer.deserialize_any(Visitor)
    }
}

#[derive(Debug, Clone, Default, Deserialize)]
#[serde(default, rename_all = "camelCase")]
pub struct Discriminator {
    pub property_name: String,
    pub mapping: IndexMap<String, String>,
}

/// `type` as written: absent, one name, or (3.1) a list of names.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct SchemaTypes(pub Vec<String>);

impl SchemaTypes {
    pub fn contains(&self, name: &str) -> bool {
        self.0.iter().any(|t| t == name)
    }

    /// The declared types other than `null`.
    pub fn non_null(&self) -> impl Iterator<Item = &str> {
        self.0.iter().map(String::as_str).filter(|t| *t != "null")
    }
}

impl<'de> Deserialize<'de> for SchemaTypes {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        #[derive(Deserialize)]
        #[serde(untagged, expecting = "a type name or a list of type names")]
        enum OneOrMany {
            One(String),
            Many(Vec<String>),
        }
        Ok(match OneOrMany::deserialize(deserializer)? {
            OneOrMany::One(name) => SchemaTypes(vec![name]),
            OneOrMany::Many(names) => SchemaTypes(names),
        })
    }
}

impl Schema {
    /// True when this schema admits `null`, in either spelling: 3.0
    /// `nullable: true`, 3.1 `type: [.., 'null']`, or `type: 'null'` alone.
    pub fn admits_null_itself(&self) -> bool {
        self.nullable || self.types.contains("null")
    }

    /// True for the 3.1 null schema `{type: 'null'}`.
    pub fn is_null_type(&self) -> bool {
        !self.types.0.is_empty() && self.types.non_null().next().is_none()
    }
}

/// An Operation Object. Parameters, the request body and responses stay raw
/// here because each may be a `$ref`; the model stage resolves them one by
/// one so that errors point at the exact place.
#[derive(Debug, Clone, Default, Deserialize)]
#[serde(default, rename_all = "camelCase")]
pub struct Operation {
    pub operation_id: Option<String>,
    pub summary: Option<String>,
    pub description: Option<String>,
    pub tags: Vec<String>,
    pub deprecated: bool,
    pub parameters: Vec<Value>,
    pub request_body: Option<Value>,
    pub responses: IndexMap<String, Value>,
    /// Fern's SDK grouping hint: one name or a path of names.
    #[serde(rename = "x-fern-sdk-group-name")]
    pub sdk_group_name: Option<OneOrMany>,
    #[serde(rename = "x-fern-sdk-method-name")]
    pub sdk_method_name: Option<String>,
    /// Fern's `x-fern-streaming`: `true`, or an object saying how (its
    /// `format`); the answer arrives in parts.
    #[serde(rename = "x-fern-streaming")]
    pub streaming: Option<serde_json::Value>,
}

/// A string or a list of strings.
#[derive(Debug, Clone, PartialEq, Eq, Deserialize)]
#[serde(untagged, expecting = "a string or a list of strings")]
pub enum OneOrMany {
    One(String),
    Many(Vec<String>),
}

impl OneOrMany {
    pub fn into_vec(self) -> Vec<String> {
        match self {
            OneOrMany::One(one) => vec![one],
            OneOrMany::Many(many) => many,
        }
    }
}

#[derive(Debug, Clone, Default, Deserialize)]
#[serde(default)]
pub struct Parameter {
    pub name: String,
    #[serde(rename = "in")]
    pub location: String,
    pub description: Option<String>,
    pub required: bool,
    pub deprecated: bool,
    pub schema: Option<Schema>,
    pub style: Option<String>,
    pub explode: Option<bool>,
}

#[derive(Debug, Clone, Default, Deserialize)]
#[serde(default)]
pub struct RequestBody {
    pub description: Option<String>,
    pub required: bool,
    pub content: IndexMap<String, MediaType>,
}

#[derive(Debug, Clone, Default, Deserialize)]
#[serde(default)]
pub struct MediaType {
    pub schema: Option<Schema>,
    pub encoding: IndexMap<String, Encoding>,
}

#[derive(Debug, Clone, Default, Deserialize)]
#[serde(default, rename_all = "camelCase")]
pub struct Encoding {
    pub content_type: Option<String>,
}

#[derive(Debug, Clone, Default, Deserialize)]
#[serde(default)]
pub struct Response {
    pub description: Option<String>,
    /// `None` when absent; some documents write `content: null`.
    pub content: Option<IndexMap<String, MediaType>>,
}
