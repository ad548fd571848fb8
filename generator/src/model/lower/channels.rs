//! Stage 2 (building), channels: the WebSocket channels of one AsyncAPI
//! document, with its component schemas lowered by the same [`Lowerer`] as
//! OpenAPI's, in a type space of the document's own (ids from 0).
//! [`super::add_channels`] moves them into the API's model.
//!
//! A channel's parameters are typed as operations' are: the address's
//! path parameters, then the `ws` binding's query parameters and headers.
//! Its messages (`messages.rs`) become one type per side.

use std::collections::BTreeSet;

use heck::ToSnakeCase;
use serde_json::Value;

use super::operations::strip_nullable;
use super::schemas::{docs_of, Lowerer, Site};
use crate::load;
use crate::load::asyncapi::spec::{self as async_spec, ExampleDirection};
use crate::load::asyncapi::{LoadedAsyncApi, ResolvedChannel};
use crate::load::spec::Schema;
use crate::model::ir::template_names;
use crate::model::ir::*;
use crate::support::error::{push_pointer, Error, Result};
use crate::support::ident::type_ident;

/// The channels of one AsyncAPI document and the types they use, ids
/// counted from 0 in [`LoweredChannels::types`].
#[derive(Debug, Clone)]
pub struct LoweredChannels {
    pub document: ChannelDocument,
    pub types: Vec<TypeDef>,
    pub channels: Vec<Channel>,
    pub consts: BTreeSet<String>,
}

/// Lowers one AsyncAPI document. `http` is the API's model from its
/// OpenAPI document, whose operations suggest the channels' client groups
/// and whose API key header is not a channel parameter.
pub fn lower_channels(
    loaded: &LoadedAsyncApi,
    display_path: &str,
    http: &ApiModel,
) -> Result<LoweredChannels> {
    let doc = &loaded.document;
    let mut lowerer = Lowerer::new(&loaded.path, &loaded.raw, &doc.components.schemas);
    lowerer.lower_components()?;
    lowerer.home = CHANNELS_HOME;
    let context = ChannelContext {
        servers: document_servers(&loaded.document),
        http,
        tag: match doc.tags.as_slice() {
            [tag] => Some(tag.name.as_str()),
            _ => None,
        },
    };
    let channels = loaded
        .channels
        .iter()
        .map(|channel| lowerer.channel(channel, &context))
        .collect::<Result<Vec<_>>>()?;
    let mut types: Vec<TypeDef> = lowerer
        .types
        .into_iter()
        .map(|t| t.expect("every reserved type is filled"))
        .collect();
    crate::model::recursion::box_recursive_fields(&mut types, &loaded.path)?;
    mark_base64_fields(&mut types);
    Ok(LoweredChannels {
        document: ChannelDocument {
            path: display_path.to_owned(),
            sha256: loaded.sha256.clone(),
            title: doc.info.title.clone(),
            version: doc.info.version.clone(),
            types: 0..types.len(),
            fallbacks: lowerer.fallbacks,
        },
        types,
        channels,
        consts: lowerer.consts,
    })
}

/// A string field (neither nullable nor boxed) whose description says it
/// holds base64 (`Base64-encoded audio data`, `MP3 ... as a base64
/// string`) is bytes in Rust: messages carry audio this way.
fn mark_base64_fields(types: &mut [TypeDef]) {
    for def in types {
        if let TypeKind::Struct(object) = &mut def.kind {
            for field in &mut object.fields {
                let says_base64 = field
                    .docs
                    .description
                    .as_deref()
                    .is_some_and(|text| text.to_ascii_lowercase().contains("base64"));
                field.base64 =
                    says_base64 && field.ty == TypeRef::String && !field.nullable && !field.boxed;
            }
        }
    }
}

struct ChannelContext<'m> {
    servers: Vec<ChannelServer>,
    http: &'m ApiModel,
    /// The document's only tag, when it has exactly one.
    tag: Option<&'m str>,
}

fn document_servers(doc: &async_spec::AsyncApiDocument) -> Vec<ChannelServer> {
    doc.servers
        .iter()
        .map(|(name, server)| ChannelServer {
            name: name.clone(),
            url: server.url.clone(),
            protocol: server.protocol.clone(),
            description: server.description.clone(),
        })
        .collect()
}

impl Lowerer<'_> {
    fn channel(&mut self, resolved: &ResolvedChannel, context: &ChannelContext) -> Result<Channel> {
        let spec = &resolved.channel;
        let group = channel_group(spec, &resolved.address, context);
        let name = spec
            .sdk_method_name
            .clone()
            .unwrap_or_else(|| last_literal_segment(&resolved.address).to_snake_case());
        let mut hint_words = group.clone();
        hint_words.push(name.clone());
        let hint = type_ident(&hint_words);
        let mut params = self.path_parameters(resolved, &hint)?;
        let api_key = context.http.api_key_header.as_deref();
        if let Some(ws) = &spec.bindings.ws {
            let binding_pointer = push_pointer(&resolved.pointer, "bindings/ws");
            let sides = [
                (&ws.query, "query", ParamLocation::Query),
                (&ws.headers, "headers", ParamLocation::Header),
            ];
            for (schema, key, location) in sides {
                if let Some(schema) = schema {
                    let pointer = format!("{binding_pointer}/{key}");
                    let binding = self.binding_parameters(schema, &pointer, location, &hint)?;
                    params.extend(binding.into_iter().filter(|p| !is_api_key(p, api_key)));
                }
            }
        }
        let client_messages = self.message_set(
            &resolved.client_messages,
            spec.publish.as_ref(),
            &message_site(resolved, "publish", &hint, "ClientMessage"),
        )?;
        let server_messages = self.message_set(
            &resolved.server_messages,
            spec.subscribe.as_ref(),
            &message_site(resolved, "subscribe", &hint, "ServerMessage"),
        )?;
        Ok(Channel {
            document: 0,
            pointer: resolved.pointer.clone(),
            address: resolved.address.clone(),
            group,
            name,
            description: spec.description.clone(),
            params,
            servers: channel_servers(spec, &context.servers),
            client_messages,
            server_messages,
            examples: spec.examples.iter().map(channel_example).collect(),
        })
    }

    /// The address's parameters: each declared one must appear in the
    /// address, and each `{name}` of the address must be declared.
    fn path_parameters(&mut self, resolved: &ResolvedChannel, hint: &str) -> Result<Vec<ParamDef>> {
        let in_address = template_names(&resolved.address);
        let declared_at = push_pointer(&resolved.pointer, "parameters");
        let mut params = Vec::new();
        for parameter in &resolved.parameters {
            if !in_address.contains(&parameter.name.as_str()) {
                return Err(Error::at_pointer(
                    self.file,
                    &push_pointer(&declared_at, &parameter.name),
                    format!(
                        "the channel declares parameter {:?}, which its address {:?} does not name",
                        parameter.name, resolved.address
                    ),
                ));
            }
            let site = Site {
                pointer: push_pointer(&parameter.pointer, "schema"),
                hint: vec![hint.to_owned(), parameter.name.clone()],
            };
            let any = Schema::default();
            let schema = parameter.parameter.schema.as_ref();
            let ty = match schema {
                Some(schema) => strip_nullable(self.type_ref(schema, &site)?),
                None => TypeRef::String,
            };
            let docs = parameter_docs(
                parameter.parameter.description.clone(),
                schema.unwrap_or(&any),
            );
            params.push(ParamDef {
                wire_name: parameter.name.clone(),
                location: ParamLocation::Path,
                ty,
                required: true,
                explode: false,
                docs,
                minimum: None,
            });
        }
        for name in in_address {
            if !params.iter().any(|p| p.wire_name == name) {
                return Err(Error::at_pointer(
                    self.file,
                    &resolved.pointer,
                    format!("the address names {{{name}}} but the channel declares no parameter {name:?}"),
                ));
            }
        }
        Ok(params)
    }

    /// The properties of a `ws` binding's `query` or `headers` object
    /// schema, as parameters. A property may be a schema, or (as the
    /// ElevenLabs conversation channel writes it) `{description, schema}`.
    fn binding_parameters(
        &mut self,
        raw: &Value,
        pointer: &str,
        location: ParamLocation,
        hint: &str,
    ) -> Result<Vec<ParamDef>> {
        let (object, pointer) = match raw.get("$ref").and_then(Value::as_str) {
            Some(reference) => (
                self.resolve_ref(reference, &push_pointer(pointer, "$ref"))?,
                reference.trim_start_matches('#').to_owned(),
            ),
            None => (raw, pointer.to_owned()),
        };
        let binding: BindingObject = load::typed_at(self.file, &pointer, object)?;
        let mut params = Vec::new();
        for (name, property) in &binding.properties {
            let property_pointer = push_pointer(&push_pointer(&pointer, "properties"), name);
            let (schema, schema_pointer, description) = wrapped_schema(property, &property_pointer);
            let schema: Schema = load::typed_at(self.file, &schema_pointer, schema)?;
            let site = Site {
                pointer: schema_pointer,
                hint: vec![hint.to_owned(), name.clone()],
            };
            let ty = strip_nullable(self.type_ref(&schema, &site)?);
            params.push(ParamDef {
                wire_name: name.clone(),
                location,
                ty,
                required: binding.required.contains(name),
                explode: true,
                docs: parameter_docs(description, &schema),
                minimum: schema.minimum.as_ref().and_then(Value::as_i64),
            });
        }
        Ok(params)
    }
}

/// The object schema of a binding's query or headers, its properties raw.
#[derive(serde::Deserialize, Default)]
#[serde(default)]
struct BindingObject {
    properties: indexmap::IndexMap<String, Value>,
    required: Vec<String>,
}

/// A binding property's schema and pointer, unwrapping `{description,
/// schema}` (whose description is the parameter's).
fn wrapped_schema<'v>(property: &'v Value, pointer: &str) -> (&'v Value, String, Option<String>) {
    let is_wrapper = property.get("schema").is_some_and(Value::is_object)
        && property.get("type").is_none()
        && property.get("$ref").is_none();
    if is_wrapper {
        let description = property
            .get("description")
            .and_then(Value::as_str)
            .map(str::to_owned);
        (
            &property["schema"],
            push_pointer(pointer, "schema"),
            description,
        )
    } else {
        (property, pointer.to_owned(), None)
    }
}

fn parameter_docs(description: Option<String>, schema: &Schema) -> Docs {
    let schema_docs = docs_of(schema);
    Docs {
        title: None,
        description: description.or(schema_docs.description),
        deprecated: schema_docs.deprecated,
        default: schema_docs.default,
    }
}

fn is_api_key(param: &ParamDef, api_key_header: Option<&str>) -> bool {
    param.location == ParamLocation::Header
        && api_key_header.is_some_and(|header| header.eq_ignore_ascii_case(&param.wire_name))
}

fn message_site(resolved: &ResolvedChannel, side: &str, hint: &str, suffix: &str) -> Site {
    Site {
        pointer: push_pointer(&push_pointer(&resolved.pointer, side), "message"),
        hint: vec![hint.to_owned(), suffix.to_owned()],
    }
}

/// The servers a channel names, else all the document's.
fn channel_servers(channel: &async_spec::Channel, servers: &[ChannelServer]) -> Vec<ChannelServer> {
    match &channel.servers {
        Some(names) => servers
            .iter()
            .filter(|server| names.contains(&server.name))
            .cloned()
            .collect(),
        None => servers.to_vec(),
    }
}

/// The channel's `x-fern-sdk-group-name`; else the group prefix every HTTP
/// operation under the channel's first path segment shares; else the
/// document's only tag when an HTTP operation's top group has its name
/// (the conversation channel under `/v1/convai`, whose operations spread
/// over several groups, joins `conversational_ai` by the document's
/// `conversationalAI` tag); else that segment.
fn channel_group(
    channel: &async_spec::Channel,
    address: &str,
    context: &ChannelContext,
) -> Vec<String> {
    if let Some(group) = &channel.sdk_group_name {
        return group.clone().into_vec();
    }
    let operations = &context.http.operations;
    let Some((area_path, area)) = first_area(address) else {
        return Vec::new();
    };
    let nested = format!("{area_path}/");
    let groups: Vec<&[String]> = operations
        .iter()
        .filter(|op| op.path == area_path || op.path.starts_with(&nested))
        .map(|op| op.group.as_slice())
        .collect();
    let shared = common_prefix(&groups);
    if !shared.is_empty() {
        return shared.to_vec();
    }
    let tag_group = context.tag.map(ToSnakeCase::to_snake_case).filter(|tag| {
        operations.iter().any(|op| {
            op.group
                .first()
                .is_some_and(|top| top.to_snake_case() == *tag)
        })
    });
    vec![tag_group.unwrap_or_else(|| area.to_snake_case())]
}

/// The path up to the first literal segment that is no version (`v1`),
/// and that segment: `/v1/convai/conversation` -> `(/v1/convai, convai)`.
fn first_area(address: &str) -> Option<(&str, &str)> {
    let mut end = 0;
    for segment in address.split('/') {
        end += segment.len() + 1;
        let is_version = segment
            .strip_prefix('v')
            .is_some_and(|rest| !rest.is_empty() && rest.bytes().all(|b| b.is_ascii_digit()));
        if !segment.is_empty() && !segment.contains('{') && !is_version {
            return Some((&address[..end - 1], segment));
        }
    }
    None
}

fn common_prefix<'g>(groups: &[&'g [String]]) -> &'g [String] {
    let Some((first, rest)) = groups.split_first() else {
        return &[];
    };
    let length = rest.iter().fold(first.len(), |length, group| {
        first
            .iter()
            .zip(group.iter())
            .take(length)
            .take_while(|(a, b)| a == b)
            .count()
    });
    &first[..length]
}

/// `stream-input` of `/v1/text-to-speech/{voice_id}/stream-input`.
fn last_literal_segment(address: &str) -> &str {
    address
        .split('/')
        .rev()
        .find(|segment| !segment.is_empty() && !segment.contains('{'))
        .unwrap_or("connect")
}

fn channel_example(example: &async_spec::FernExample) -> ChannelExample {
    let pairs = |map: &indexmap::IndexMap<String, Value>| {
        map.iter()
            .map(|(key, value)| (key.clone(), value.clone()))
            .collect()
    };
    ChannelExample {
        name: example.name.clone(),
        description: example.description.clone(),
        path_parameters: pairs(&example.path_parameters),
        query_parameters: pairs(&example.query_parameters),
        messages: example
            .messages
            .iter()
            .map(|message| ExampleMessage {
                direction: match message.direction {
                    ExampleDirection::Publish => Direction::ClientToServer,
                    ExampleDirection::Subscribe => Direction::ServerToClient,
                },
                message: message.message_id.clone(),
                value: message.value.clone(),
            })
            .collect(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_area_is_the_first_literal_segment_after_the_version() {
        assert_eq!(
            first_area("/v1/convai/conversation"),
            Some(("/v1/convai", "convai"))
        );
        assert_eq!(
            first_area("/v1/text-to-speech/{voice_id}/stream-input"),
            Some(("/v1/text-to-speech", "text-to-speech"))
        );
        assert_eq!(first_area("/{id}"), None);
        assert_eq!(first_area("realtime"), Some(("realtime", "realtime")));
    }

    #[test]
    fn groups_share_their_common_prefix() {
        let a = vec!["conversational_ai".to_owned(), "agents".to_owned()];
        let b = vec!["conversational_ai".to_owned()];
        let c = vec!["text_to_speech".to_owned()];
        assert_eq!(common_prefix(&[&a, &b]), &b[..]);
        assert!(common_prefix(&[&a, &c]).is_empty());
        assert!(common_prefix(&[]).is_empty());
        assert_eq!(
            last_literal_segment("/v1/x/{id}/multi-stream-input"),
            "multi-stream-input"
        );
    }
}
