//! A typed view of the parts of an AsyncAPI 2.x document the generator
//! reads: servers, channels (parameters, WebSocket bindings, `publish` and
//! `subscribe`), messages and component schemas. Schemas are the OpenAPI
//! loader's [`Schema`]: AsyncAPI 2 payloads are JSON Schema the same way.
//! What may be a `$ref` (messages, parameters) stays raw here and is
//! resolved by [`super::resolve`], so that errors name the exact place.

use indexmap::IndexMap;
use serde::{Deserialize, Deserializer};
use serde_json::Value;

use crate::load::spec::{Info, OneOrMany, Schema};

#[derive(Debug, Clone, Default, Deserialize)]
#[serde(default)]
pub struct AsyncApiDocument {
    pub asyncapi: String,
    pub info: Info,
    /// Servers by name (`Production`, `Production-EU`).
    pub servers: IndexMap<String, Server>,
    /// Channels by address (`/v1/text-to-speech/{voice_id}/stream-input`).
    pub channels: IndexMap<String, Channel>,
    pub components: Components,
    /// The document's tags (`textToSpeech`), by name.
    pub tags: Vec<Tag>,
}

#[derive(Debug, Clone, Default, Deserialize)]
#[serde(default)]
pub struct Tag {
    pub name: String,
}

#[derive(Debug, Clone, Default, Deserialize)]
#[serde(default)]
pub struct Server {
    pub url: String,
    pub protocol: Option<String>,
    pub description: Option<String>,
}

#[derive(Debug, Clone, Default, Deserialize)]
#[serde(default)]
pub struct Components {
    pub schemas: IndexMap<String, Schema>,
    /// Message objects (raw: each may be a `$ref`).
    pub messages: IndexMap<String, Value>,
    /// Parameter objects (raw: each may be a `$ref`).
    pub parameters: IndexMap<String, Value>,
}

/// A Channel Item Object.
#[derive(Debug, Clone, Default, Deserialize)]
#[serde(default)]
pub struct Channel {
    pub description: Option<String>,
    /// Names of the servers the channel is available on; all when absent.
    pub servers: Option<Vec<String>>,
    /// Parameters of the address by name (raw: each may be a `$ref`).
    pub parameters: IndexMap<String, Value>,
    pub bindings: ChannelBindings,
    /// What the client sends.
    pub publish: Option<Operation>,
    /// What the client receives.
    pub subscribe: Option<Operation>,
    /// Fern's SDK grouping hint, as on OpenAPI operations.
    #[serde(rename = "x-fern-sdk-group-name")]
    pub sdk_group_name: Option<OneOrMany>,
    #[serde(rename = "x-fern-sdk-method-name")]
    pub sdk_method_name: Option<String>,
    /// Fern's examples: whole conversations, message by message.
    #[serde(rename = "x-fern-examples")]
    pub examples: Vec<FernExample>,
}

#[derive(Debug, Clone, Default, Deserialize)]
#[serde(default)]
pub struct ChannelBindings {
    pub ws: Option<WebSocketBinding>,
}

/// The `ws` channel binding: the handshake's query and headers, each an
/// object schema whose properties are the parameters (raw: a property may
/// be a schema or, as some documents write it, `{description, schema}`).
#[derive(Debug, Clone, Default, Deserialize)]
#[serde(default)]
pub struct WebSocketBinding {
    pub method: Option<String>,
    pub query: Option<Value>,
    pub headers: Option<Value>,
}

/// A `publish` or `subscribe` Operation Object.
#[derive(Debug, Clone, Default, Deserialize)]
#[serde(default, rename_all = "camelCase")]
pub struct Operation {
    pub operation_id: Option<String>,
    pub summary: Option<String>,
    pub description: Option<String>,
    /// One message, a `$ref` to one, or `oneOf` several (raw).
    pub message: Option<Value>,
}

/// A Message Object.
#[derive(Debug, Clone, Default, Deserialize)]
#[serde(default, rename_all = "camelCase")]
pub struct Message {
    pub message_id: Option<String>,
    pub name: Option<String>,
    pub title: Option<String>,
    pub summary: Option<String>,
    pub description: Option<String>,
    pub content_type: Option<String>,
    pub payload: Option<Schema>,
    pub examples: Vec<MessageExample>,
}

#[derive(Debug, Clone, Default, Deserialize)]
#[serde(default)]
pub struct MessageExample {
    pub name: Option<String>,
    pub summary: Option<String>,
    #[serde(deserialize_with = "present_value")]
    pub payload: Option<Value>,
}

/// A Parameter Object of a channel address.
#[derive(Debug, Clone, Default, Deserialize)]
#[serde(default)]
pub struct Parameter {
    pub description: Option<String>,
    pub schema: Option<Schema>,
    pub location: Option<String>,
}

/// One `x-fern-examples` entry: the handshake's parameters and the
/// messages exchanged, in order.
#[derive(Debug, Clone, Default, Deserialize)]
#[serde(default)]
pub struct FernExample {
    pub name: Option<String>,
    pub description: Option<String>,
    #[serde(rename = "query-parameters")]
    pub query_parameters: IndexMap<String, Value>,
    #[serde(rename = "path-parameters")]
    pub path_parameters: IndexMap<String, Value>,
    pub headers: IndexMap<String, Value>,
    pub messages: Vec<FernExampleMessage>,
}

#[derive(Debug, Clone, Deserialize)]
pub struct FernExampleMessage {
    /// `publish` (the client sends it) or `subscribe` (it receives it).
    #[serde(rename = "type")]
    pub direction: ExampleDirection,
    /// The message's key in `components.messages`.
    #[serde(rename = "messageId")]
    pub message_id: String,
    pub value: Value,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum ExampleDirection {
    Publish,
    Subscribe,
}

/// Keeps an explicit `null` as `Some(Value::Null)`.
fn present_value<'de, D: Deserializer<'de>>(deserializer: D) -> Result<Option<Value>, D::Error> {
    Value::deserialize(deserializer).map(Some)
}
