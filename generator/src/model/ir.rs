//! Stage 2: the intermediate model. Named types and what they are made of,
//! independent of the parsing crate: emitting never looks at raw OpenAPI.

use serde_json::Value;

/// Index of a [`TypeDef`] in [`ApiModel::types`].
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct TypeId(pub usize);

#[derive(Debug, Clone, Default)]
pub struct ApiModel {
    pub title: String,
    pub version: String,
    pub description: Option<String>,
    pub types: Vec<TypeDef>,
    pub operations: Vec<Operation>,
    /// Base URLs the document lists, with their descriptions.
    pub servers: Vec<ServerDef>,
    /// The header that carries the API key, from the security schemes.
    pub api_key_header: Option<String>,
    /// Struct types sent as `multipart/form-data` bodies.
    pub multipart_bodies: Vec<MultipartBody>,
    /// Distinct string `const` values, each emitted once as a one-value enum.
    pub consts: Vec<String>,
    /// Schemas that carry `example`/`examples`, with the type that holds them.
    pub example_sites: Vec<ExampleSite>,
    /// The JSON response bodies the client decodes (each operation's success
    /// body and its error bodies), with their types.
    pub response_sites: Vec<ExampleSite>,
    pub fallbacks: Vec<Fallback>,
    /// List-like operations the paging pass could not classify.
    pub unclassified_lists: Vec<UnclassifiedList>,
    pub counts: DocumentCounts,
    /// The webhooks the API signs, when the document says how.
    pub webhooks: Option<WebhookDef>,
    /// The WebSocket channels of the API's AsyncAPI documents (see
    /// [`Channel`]), in manifest and document order.
    pub channels: Vec<Channel>,
    /// The AsyncAPI documents the channels come from.
    pub channel_documents: Vec<ChannelDocument>,
}

/// How an API signs its webhooks, and what they carry.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct WebhookDef {
    /// The header carrying the signature (`ElevenLabs-Signature`).
    pub signature_header: String,
    /// The type of a verified event.
    pub event: TypeId,
    /// The client group under whose feature the webhook module is compiled.
    pub group: Option<String>,
}

/// What the document declares, for the coverage report.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct DocumentCounts {
    pub operations: usize,
    pub component_schemas: usize,
}

#[derive(Debug, Clone)]
pub struct TypeDef {
    /// Name segments from where the schema stands, e.g. `["Voice", "settings"]`.
    pub name_hint: Vec<String>,
    /// The component schema this type belongs to (itself for components);
    /// types are emitted in the file of their component.
    pub home: TypeId,
    /// The component schema's own name, for components.
    pub component_name: Option<String>,
    pub pointer: String,
    pub docs: Docs,
    pub kind: TypeKind,
}

#[derive(Debug, Clone, Default, PartialEq)]
pub struct Docs {
    pub title: Option<String>,
    pub description: Option<String>,
    pub deprecated: bool,
    pub default: Option<Value>,
}

#[derive(Debug, Clone)]
pub enum TypeKind {
    Struct(StructDef),
    /// A string enum; unknown values are kept by a catch-all variant.
    StringEnum(Vec<String>),
    Union(UnionDef),
    /// Another type under this name (`pub type`).
    Alias(TypeRef),
}

#[derive(Debug, Clone, Default)]
pub struct StructDef {
    pub fields: Vec<FieldDef>,
    /// Type of undeclared properties, when the schema keeps them.
    pub additional: Option<TypeRef>,
    /// `additionalProperties: false`: undeclared keys are read past, but a
    /// union trying its members strictly takes them as a sign that the
    /// value is another member's.
    pub closed: bool,
}

#[derive(Debug, Clone)]
pub struct FieldDef {
    pub wire_name: String,
    /// The field's type without its nullability.
    pub ty: TypeRef,
    pub required: bool,
    pub nullable: bool,
    /// Set by the recursion pass where the field would make its type infinite.
    pub boxed: bool,
    pub docs: Docs,
    /// A string of base64 text that is bytes in Rust (`Vec<u8>`): a
    /// realtime message's string field whose description says it holds
    /// base64 (the audio chunks).
    pub base64: bool,
}

impl FieldDef {
    /// A string constant that cannot be `null`: its one value is always
    /// written and an absent field takes it, so it is never an input. A
    /// nullable constant is an ordinary optional value (`Option`,
    /// `Nullable`), so `null` and absence survive.
    pub fn is_fixed_const(&self) -> bool {
        matches!(self.ty, TypeRef::Const(_)) && !self.nullable
    }

    /// A field the struct's `new` takes (and a flattened call): required
    /// and not a fixed constant.
    pub fn is_constructor_argument(&self) -> bool {
        self.required && !self.is_fixed_const()
    }
}

#[derive(Debug, Clone)]
pub struct UnionDef {
    pub variants: Vec<VariantDef>,
    /// The discriminator property, for tagged unions.
    pub discriminator: Option<String>,
}

#[derive(Debug, Clone)]
pub struct VariantDef {
    pub ty: TypeRef,
    /// Discriminator values that select this member.
    pub tags: Vec<String>,
    pub boxed: bool,
    pub docs: Docs,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum IntFormat {
    I32,
    I64,
    U32,
    U64,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum NumFormat {
    F32,
    F64,
}

/// A type as used in a position (field, item, member).
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub enum TypeRef {
    Named(TypeId),
    /// A string that must equal this value.
    Const(String),
    String,
    Integer(IntFormat),
    Number(NumFormat),
    Boolean,
    DateTime,
    Binary,
    /// Any JSON value.
    Json,
    Array(Box<TypeRef>),
    Map(Box<TypeRef>),
    /// The type or `null`.
    Nullable(Box<TypeRef>),
}

impl TypeRef {
    pub fn nullable(inner: TypeRef) -> TypeRef {
        match inner {
            already @ TypeRef::Nullable(_) => already,
            inner => TypeRef::Nullable(Box::new(inner)),
        }
    }

    /// Splits off one level of nullability.
    pub fn split_nullable(self) -> (TypeRef, bool) {
        match self {
            TypeRef::Nullable(inner) => (*inner, true),
            other => (other, false),
        }
    }

    /// Named types this position holds by value (not behind a `Vec` or map).
    pub fn by_value_targets(&self, out: &mut Vec<TypeId>) {
        match self {
            TypeRef::Named(id) => out.push(*id),
            TypeRef::Nullable(inner) => inner.by_value_targets(out),
            _ => {}
        }
    }

    /// All named types this position mentions.
    pub fn mentioned(&self, out: &mut Vec<TypeId>) {
        match self {
            TypeRef::Named(id) => out.push(*id),
            TypeRef::Array(inner) | TypeRef::Map(inner) | TypeRef::Nullable(inner) => {
                inner.mentioned(out)
            }
            _ => {}
        }
    }
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ServerDef {
    pub url: String,
    pub description: Option<String>,
}

/// The home of inline types that belong to operations (parameters, bodies
/// and responses written in place), which have no component schema.
pub const OPERATIONS_HOME: TypeId = TypeId(usize::MAX - 1);

/// A struct sent as `multipart/form-data`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct MultipartBody {
    pub ty: TypeId,
    /// Fields whose `encoding` declares `application/json`: sent as one
    /// JSON part each.
    pub json_fields: Vec<String>,
}

/// One HTTP operation.
#[derive(Debug, Clone)]
pub struct Operation {
    /// JSON pointer of the Operation Object.
    pub pointer: String,
    /// Upper-case HTTP method.
    pub method: String,
    /// The path template, e.g. `/v1/voices/{voice_id}`.
    pub path: String,
    pub operation_id: Option<String>,
    /// Where the call lives on the client, outermost first
    /// (`["conversational_ai", "agents", "deployments"]`); empty for the
    /// client itself.
    pub group: Vec<String>,
    /// The method's name as the document suggests it (`create`).
    pub name: String,
    pub summary: Option<String>,
    pub description: Option<String>,
    pub deprecated: bool,
    pub params: Vec<ParamDef>,
    pub body: Option<BodyDef>,
    pub response: ResponseDef,
    /// Declared error bodies by status (`422`, `4XX`, `default`).
    pub errors: Vec<(String, TypeRef)>,
    /// How the operation pages through a list, when it does (set by
    /// [`crate::model::paging`]).
    pub paging: Option<Paging>,
}

impl Operation {
    /// The parameters the method takes as positional arguments, by index:
    /// the path's, in the order the template names them, then the other
    /// required ones as declared.
    pub fn positional_params(&self) -> Vec<usize> {
        let mut positional: Vec<usize> = template_names(&self.path)
            .into_iter()
            .filter_map(|name| {
                self.params
                    .iter()
                    .position(|p| p.location == ParamLocation::Path && p.wire_name == name)
            })
            .collect();
        positional.extend(
            self.params
                .iter()
                .enumerate()
                .filter(|(_, p)| p.required && p.location != ParamLocation::Path)
                .map(|(index, _)| index),
        );
        positional
    }
}

/// The `{name}`s of a path template, in order.
pub fn template_names(path: &str) -> Vec<&str> {
    path.split('{')
        .skip(1)
        .filter_map(|rest| rest.split_once('}').map(|(name, _)| name))
        .collect()
}

/// How a list operation pages, found from its query parameters and the
/// fields of its JSON response.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Paging {
    pub kind: PagingKind,
    /// The optional query parameter that says where the page starts
    /// (`cursor`, `start_after_history_item_id`, `page`, `offset`).
    pub param: String,
    /// The response field that holds the next position, for the cursor
    /// kinds (`next_cursor`, `last_history_item_id`, `next_page_token`).
    pub next_field: Option<String>,
    /// The response's `has_more` flag, when it has one.
    pub has_more_field: Option<String>,
    /// The response's total count, when it has one.
    pub total_field: Option<String>,
    /// The query parameter setting the page size, when there is one, and
    /// the size the document declares as its default.
    pub size_param: Option<(String, Option<i64>)>,
    /// The response field listing the page's items, when it has exactly
    /// one list.
    pub items_field: Option<String>,
    /// The first page (or offset) when the caller sets none: the
    /// parameter's declared default or minimum, else 1 for pages and 0 for
    /// offsets.
    pub first: i64,
    /// Whether `first` was assumed rather than declared.
    pub first_assumed: bool,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub enum PagingKind {
    /// `cursor` in, `next_cursor` out (or `last_doc` / `next_doc`).
    Cursor,
    /// `start_after_<item>` in, `last_<item>` out.
    AfterItem,
    /// The same page-token field in and out (`next_page_token`).
    Token,
    /// An integer `page`.
    Number,
    /// An integer `offset`.
    Offset,
}

impl PagingKind {
    pub fn describe(self) -> &'static str {
        match self {
            PagingKind::Cursor => "cursor",
            PagingKind::AfterItem => "after item",
            PagingKind::Token => "page token",
            PagingKind::Number => "page number",
            PagingKind::Offset => "offset",
        }
    }
}

/// A list-like operation (its response says `has_more`, or it takes a
/// paging parameter) whose paging could not be classified, and why.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct UnclassifiedList {
    pub method: String,
    pub path: String,
    pub reason: String,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ParamLocation {
    Path,
    Query,
    Header,
}

#[derive(Debug, Clone)]
pub struct ParamDef {
    pub wire_name: String,
    pub location: ParamLocation,
    /// The type without nullability (an unset parameter is not sent).
    pub ty: TypeRef,
    pub required: bool,
    /// Arrays as repeated keys (`explode`, the default for queries) or
    /// comma-joined.
    pub explode: bool,
    pub docs: Docs,
    /// The schema's integer `minimum`, when it declares one.
    pub minimum: Option<i64>,
}

#[derive(Debug, Clone)]
pub struct BodyDef {
    pub encoding: BodyEncoding,
    pub ty: TypeRef,
    pub required: bool,
    pub description: Option<String>,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub enum BodyEncoding {
    Json,
    Multipart,
    /// Raw bytes with this media type.
    Binary(String),
}

#[derive(Debug, Clone, PartialEq)]
pub enum ResponseDef {
    /// No body (204, or a 2xx without content).
    Empty,
    Json(TypeRef),
    /// `text/*` with a string schema.
    Text(String),
    /// Any other media type: bytes, streamed. The media types offered.
    Binary(Vec<String>),
    /// `text/event-stream`: events whose data decode as this type.
    EventStream(TypeRef),
    /// JSON marked as streamed (`x-fern-streaming`): JSON values one after
    /// another, each of this type.
    JsonStream(TypeRef),
}

/// A schema (one with examples, or a response body), and the type its values
/// must decode into.
#[derive(Debug, Clone)]
pub struct ExampleSite {
    pub pointer: String,
    pub ty: TypeRef,
}

/// A place where a schema became `serde_json::Value`, and why.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Fallback {
    pub pointer: String,
    pub reason: String,
}

/// The home of inline types that belong to channels (query parameters,
/// inline payloads, the message sets' unions).
pub const CHANNELS_HOME: TypeId = TypeId(usize::MAX - 2);

/// One AsyncAPI document of the API.
///
/// Its component schemas are types of their own, in
/// [`ApiModel::types`] at [`ChannelDocument::types`]: they keep their
/// component names but are never merged with an OpenAPI component of the
/// same name (nor with another AsyncAPI document's), since the documents
/// are published and versioned apart and a schema of the same name may
/// differ. Telling same-named types apart is for naming.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ChannelDocument {
    /// How reports name the file (`../shared/specs/asyncapi/x.yaml`).
    pub path: String,
    pub sha256: String,
    pub title: String,
    pub version: String,
    /// The indices of the document's types in [`ApiModel::types`].
    pub types: std::ops::Range<usize>,
    /// Where the document's schemas became `serde_json::Value`, and why
    /// (pointers into this document).
    pub fallbacks: Vec<Fallback>,
}

/// A WebSocket channel: where to connect, with which parameters, and the
/// messages each side sends.
#[derive(Debug, Clone)]
pub struct Channel {
    /// Index of its document in [`ApiModel::channel_documents`].
    pub document: usize,
    /// JSON pointer of the Channel Item Object in its document.
    pub pointer: String,
    /// The address template, e.g. `/v1/text-to-speech/{voice_id}/stream-input`.
    pub address: String,
    /// The client group the connect call lives on, outermost first: the
    /// channel's `x-fern-sdk-group-name`, else the groups shared by the
    /// HTTP operations under the same first path segment, else that segment.
    pub group: Vec<String>,
    /// The connect call's name as the document suggests it
    /// (`x-fern-sdk-method-name`, else the address's last segment).
    pub name: String,
    pub description: Option<String>,
    /// Path parameters (from `parameters`), then the handshake's query
    /// parameters and headers (from the `ws` binding), typed as operations'
    /// parameters are. The API key header is the client's business.
    pub params: Vec<ParamDef>,
    /// The servers it is offered on (none when the document lists none:
    /// the client's base URL decides).
    pub servers: Vec<ChannelServer>,
    /// What the client sends (`publish`).
    pub client_messages: Option<MessageSet>,
    /// What the client receives (`subscribe`).
    pub server_messages: Option<MessageSet>,
    /// `x-fern-examples`: whole exchanges, message by message.
    pub examples: Vec<ChannelExample>,
}

impl Channel {
    /// The client's messages, then the server's.
    pub fn message_sets(&self) -> impl Iterator<Item = &MessageSet> {
        [&self.client_messages, &self.server_messages]
            .into_iter()
            .flatten()
    }

    pub fn client_message_count(&self) -> usize {
        self.client_messages
            .as_ref()
            .map_or(0, |m| m.messages.len())
    }

    pub fn server_message_count(&self) -> usize {
        self.server_messages
            .as_ref()
            .map_or(0, |m| m.messages.len())
    }
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ChannelServer {
    pub name: String,
    /// As written, e.g. `wss://api.elevenlabs.io`.
    pub url: String,
    pub protocol: Option<String>,
    pub description: Option<String>,
}

/// The messages one side of a channel sends, and the type a frame decodes
/// into.
#[derive(Debug, Clone)]
pub struct MessageSet {
    /// One message's payload type, or a union of the payloads
    /// ([`TypeKind::Union`], one variant per message in order).
    pub ty: TypeRef,
    pub decoding: MessageDecoding,
    pub messages: Vec<MessageDef>,
    pub summary: Option<String>,
    pub description: Option<String>,
}

/// How a frame is matched to a message kind. Frames of a kind added
/// upstream are never an error: the union of a tagged set has the tagged
/// unions' catch-all, and emitting a set decoded by shape must give its
/// union a catch-all member (`serde_json::Value`) last.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum MessageDecoding {
    /// One message kind: the payload type itself.
    Single,
    /// Every message's payload has this property with a distinct constant
    /// value (`type: "ping"`); the union's variants carry the values as tags.
    Tagged { property: String },
    /// Some message has no such constant: the first member that fits wins.
    ByShape,
}

/// One message kind of a channel.
#[derive(Debug, Clone)]
pub struct MessageDef {
    /// The key in `components.messages` (how examples name it), else the
    /// `messageId` or `name` of an inline message.
    pub id: String,
    /// JSON pointer of the Message Object in its document.
    pub pointer: String,
    pub message_id: Option<String>,
    pub name: Option<String>,
    pub title: Option<String>,
    pub summary: Option<String>,
    pub description: Option<String>,
    pub payload: TypeRef,
    /// The payload's constant discriminator value, when it has one.
    pub tag: Option<String>,
    /// The message's own `examples` payloads.
    pub examples: Vec<Value>,
}

/// One `x-fern-examples` exchange.
#[derive(Debug, Clone, PartialEq)]
pub struct ChannelExample {
    pub name: Option<String>,
    pub description: Option<String>,
    pub path_parameters: Vec<(String, Value)>,
    pub query_parameters: Vec<(String, Value)>,
    pub messages: Vec<ExampleMessage>,
}

#[derive(Debug, Clone, PartialEq)]
pub struct ExampleMessage {
    pub direction: Direction,
    /// The [`MessageDef::id`] it is an example of.
    pub message: String,
    pub value: Value,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Direction {
    ClientToServer,
    ServerToClient,
}
