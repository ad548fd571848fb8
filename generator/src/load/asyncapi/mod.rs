//! Stage 1 for AsyncAPI 2.x documents (the WebSocket channels of an API).
//! In: a document's bytes. Out: [`LoadedAsyncApi`], the JSON tree, its
//! typed view ([`spec::AsyncApiDocument`]) and each channel with its
//! parameters and messages resolved ([`ResolvedChannel`]).
//!
//! - bytes to tree through the OpenAPI loader's [`parse`](super::parse)
//!   (YAML or JSON, bounded depth, line:column errors);
//! - [`fern`]: Fern's `x-fern-type` expressions written out as JSON Schema;
//! - here: the version check, the typed view, and the resolution of
//!   message and parameter `$ref`s, failures named by file and JSON
//!   pointer;
//! - [`spec`]: the serde structs of the typed view.

pub mod fern;
pub mod spec;

use std::path::{Path, PathBuf};

use serde_json::Value;

use super::parse::{hex_sha256, parse_tree};
use super::{resolve_local, typed_at};
use crate::support::error::{push_pointer, Error, Result};
use spec::{AsyncApiDocument, Channel, Message, Parameter};

/// How many `$ref`s may chain from a message or parameter to its object.
const MAX_REFERENCE_CHAIN: usize = 32;

const MESSAGES_PREFIX: &str = "/components/messages/";

/// A parsed AsyncAPI document with its channels resolved.
#[derive(Debug, Clone)]
pub struct LoadedAsyncApi {
    /// The path the document was read from, as given.
    pub path: PathBuf,
    /// Lowercase hex sha256 of the file's bytes.
    pub sha256: String,
    /// The document as a JSON tree, Fern type expressions translated.
    pub raw: Value,
    pub document: AsyncApiDocument,
    /// The channels in document order.
    pub channels: Vec<ResolvedChannel>,
}

/// A channel with its `$ref`s followed.
#[derive(Debug, Clone)]
pub struct ResolvedChannel {
    /// The address template, e.g. `/v1/text-to-speech/{voice_id}/stream-input`.
    pub address: String,
    /// JSON pointer of the Channel Item Object.
    pub pointer: String,
    pub channel: Channel,
    pub parameters: Vec<ResolvedParameter>,
    /// What the client sends (`publish`), in the order listed.
    pub client_messages: Vec<ResolvedMessage>,
    /// What the client receives (`subscribe`), in the order listed.
    pub server_messages: Vec<ResolvedMessage>,
}

#[derive(Debug, Clone)]
pub struct ResolvedParameter {
    pub name: String,
    /// Where the Parameter Object stands (after `$ref`s).
    pub pointer: String,
    pub parameter: Parameter,
}

#[derive(Debug, Clone)]
pub struct ResolvedMessage {
    /// The message's key in `components.messages`; `None` when written
    /// inline in the operation.
    pub key: Option<String>,
    /// Where the Message Object stands (after `$ref`s).
    pub pointer: String,
    pub message: Message,
}

impl ResolvedMessage {
    /// The key, else the `messageId`, else `name`: how examples and
    /// reports refer to the message.
    pub fn id(&self) -> String {
        self.key
            .clone()
            .or_else(|| self.message.message_id.clone())
            .or_else(|| self.message.name.clone())
            .unwrap_or_else(|| self.pointer.clone())
    }
}

pub fn load_file(path: &Path) -> Result<LoadedAsyncApi> {
    let bytes = std::fs::read(path).map_err(|e| Error::io(path, e))?;
    load_bytes(path, &bytes)
}

/// Parses an AsyncAPI document from bytes; `path` is used for messages
/// and to pick JSON or YAML.
pub fn load_bytes(path: &Path, bytes: &[u8]) -> Result<LoadedAsyncApi> {
    let mut raw = parse_tree(path, bytes)?;
    check_version(path, &raw)?;
    fern::translate_fern_types(&mut raw);
    let document: AsyncApiDocument = typed_at(path, "", &raw)?;
    let resolver = Resolver {
        file: path,
        raw: &raw,
    };
    let channels = document
        .channels
        .iter()
        .map(|(address, channel)| resolver.channel(address, channel))
        .collect::<Result<Vec<_>>>()?;
    check_channel_servers(path, &document, &channels)?;
    Ok(LoadedAsyncApi {
        path: path.to_path_buf(),
        sha256: hex_sha256(bytes),
        raw,
        document,
        channels,
    })
}

/// AsyncAPI 2.0 to 2.6 share the channel layout read here; 3.0 moved
/// operations out of channels and is refused.
fn check_version(path: &Path, raw: &Value) -> Result<()> {
    match raw.get("asyncapi") {
        Some(Value::String(version)) if is_supported_version(version) => Ok(()),
        Some(Value::String(version)) => Err(Error::at_pointer(
            path,
            "/asyncapi",
            format!("unsupported AsyncAPI version {version:?}; supported: 2.0.0 to 2.6.x"),
        )),
        Some(_) => Err(Error::at_pointer(
            path,
            "/asyncapi",
            "`asyncapi` must be a string such as \"2.6.0\"",
        )),
        None => Err(Error::at_pointer(
            path,
            "",
            "missing `asyncapi` field: this is not an AsyncAPI document",
        )),
    }
}

fn is_supported_version(version: &str) -> bool {
    let mut parts = version.split('.');
    let major = parts.next();
    let minor = parts.next().and_then(|m| m.parse::<u32>().ok());
    major == Some("2") && minor.is_some_and(|m| m <= 6)
}

/// Follows `$ref`s in one document, naming the place of each failure.
struct Resolver<'a> {
    file: &'a Path,
    raw: &'a Value,
}

impl Resolver<'_> {
    fn channel(&self, address: &str, channel: &Channel) -> Result<ResolvedChannel> {
        let pointer = push_pointer("/channels", address);
        let parameters = channel
            .parameters
            .iter()
            .map(|(name, raw)| {
                let at = push_pointer(&push_pointer(&pointer, "parameters"), name);
                let (parameter, pointer) = self.object::<Parameter>(raw, &at)?;
                Ok(ResolvedParameter {
                    name: name.clone(),
                    pointer,
                    parameter,
                })
            })
            .collect::<Result<Vec<_>>>()?;
        let messages = |key: &str, operation: &Option<spec::Operation>| match operation {
            Some(spec::Operation {
                message: Some(message),
                ..
            }) => self.messages(
                message,
                &push_pointer(&push_pointer(&pointer, key), "message"),
            ),
            _ => Ok(Vec::new()),
        };
        Ok(ResolvedChannel {
            address: address.to_owned(),
            client_messages: messages("publish", &channel.publish)?,
            server_messages: messages("subscribe", &channel.subscribe)?,
            pointer,
            channel: channel.clone(),
            parameters,
        })
    }

    /// An operation's `message`: one (inline or `$ref`) or `oneOf` several.
    fn messages(&self, raw: &Value, pointer: &str) -> Result<Vec<ResolvedMessage>> {
        match raw.get("oneOf") {
            Some(Value::Array(members)) => members
                .iter()
                .enumerate()
                .map(|(index, member)| self.message(member, &format!("{pointer}/oneOf/{index}")))
                .collect(),
            Some(_) => Err(Error::at_pointer(
                self.file,
                &push_pointer(pointer, "oneOf"),
                "`oneOf` must be a list of messages",
            )),
            None => Ok(vec![self.message(raw, pointer)?]),
        }
    }

    fn message(&self, raw: &Value, pointer: &str) -> Result<ResolvedMessage> {
        let (message, pointer) = self.object::<Message>(raw, pointer)?;
        if message.payload.is_none() {
            return Err(Error::at_pointer(
                self.file,
                &pointer,
                "the message has no `payload`: without one its type is unknown",
            ));
        }
        let key = pointer
            .strip_prefix(MESSAGES_PREFIX)
            .filter(|key| !key.contains('/'))
            .map(|key| key.replace("~1", "/").replace("~0", "~"));
        Ok(ResolvedMessage {
            key,
            pointer,
            message,
        })
    }

    /// Follows `$ref`s from `value` (at `pointer`) and reads the object
    /// found, returning it with its own pointer.
    fn object<T: for<'de> serde::Deserialize<'de>>(
        &self,
        value: &Value,
        pointer: &str,
    ) -> Result<(T, String)> {
        let mut current = value;
        let mut current_pointer = pointer.to_owned();
        for _ in 0..MAX_REFERENCE_CHAIN {
            let Some(reference) = current.get("$ref") else {
                let typed = typed_at(self.file, &current_pointer, current)?;
                return Ok((typed, current_pointer));
            };
            let ref_pointer = push_pointer(&current_pointer, "$ref");
            current = self.target(reference, &ref_pointer)?;
            current_pointer = reference
                .as_str()
                .unwrap_or_default()
                .trim_start_matches('#')
                .to_owned();
        }
        Err(Error::at_pointer(
            self.file,
            pointer,
            format!("references chain more than {MAX_REFERENCE_CHAIN} times (a cycle?)"),
        ))
    }

    fn target(&self, reference: &Value, ref_pointer: &str) -> Result<&Value> {
        let Some(reference) = reference.as_str() else {
            return Err(Error::at_pointer(
                self.file,
                ref_pointer,
                "`$ref` must be a string",
            ));
        };
        if !reference.starts_with('#') {
            return Err(Error::at_pointer(
                self.file,
                ref_pointer,
                format!("reference {reference:?} points into another document; only local references (#/...) are supported"),
            ));
        }
        resolve_local(self.raw, reference).ok_or_else(|| {
            Error::at_pointer(
                self.file,
                ref_pointer,
                format!("reference {reference:?} does not resolve to anything in this document"),
            )
        })
    }
}

/// A channel's `servers` must name servers the document declares.
fn check_channel_servers(
    path: &Path,
    document: &AsyncApiDocument,
    channels: &[ResolvedChannel],
) -> Result<()> {
    for channel in channels {
        let names = channel.channel.servers.iter().flatten().enumerate();
        for (index, name) in names {
            if !document.servers.contains_key(name) {
                return Err(Error::at_pointer(
                    path,
                    &format!("{}/servers/{index}", channel.pointer),
                    format!("the channel names server {name:?}, which the document does not declare under `servers`"),
                ));
            }
        }
    }
    Ok(())
}
