//! Stage 4 (emit), operations: the `Client`, one struct per call group
//! (`client.conversational_ai().agents()`), and per operation a method
//! returning an awaitable `Call`, or a request builder when it has optional
//! inputs. Sending, retries, multipart and decoding are `api-runtime`'s;
//! what is emitted here only states the method, path, parameters, body and
//! response kind.

use std::collections::BTreeMap;

use heck::ToShoutySnakeCase;
use proc_macro2::{Literal, TokenStream};
use quote::{format_ident, quote};

mod call;
mod channels;
mod flat;
mod index;
mod pages;

use call::Call;
use channels::ChannelCall;
pub use index::operation_index_file;

use crate::emit::tokens::{cfg_attr, type_path, ApiIdentity, EmittedFile};
use crate::model::ir::*;
use crate::naming::features::Features;
use crate::naming::{dedupe, union_variant_name, Names};

/// One of the operation files.
#[derive(Debug, Clone, Copy)]
pub enum OperationFile<'a> {
    /// `client.rs`.
    Client,
    /// `operations/mod.rs`.
    Module,
    /// `operations/<group>.rs`, for a top-level group.
    Group(&'a str),
}

/// `client.rs`, `operations/mod.rs` and one file per top-level group.
pub fn operation_files(names: &Names) -> Vec<OperationFile<'_>> {
    [OperationFile::Client, OperationFile::Module]
        .into_iter()
        .chain(top_groups(names).map(OperationFile::Group))
        .collect()
}

fn top_groups(names: &Names) -> impl Iterator<Item = &str> {
    names
        .groups
        .keys()
        .filter(|path| path.len() == 1)
        .map(|path| path[0].as_str())
}

/// Emits one of the operation files.
pub fn operation_file(
    model: &ApiModel,
    names: &Names,
    features: &Features,
    api: &ApiIdentity,
    file: OperationFile,
) -> EmittedFile {
    let emitter = OperationEmitter {
        model,
        names,
        features,
        api,
    };
    match file {
        OperationFile::Client => emitter.client_file(),
        OperationFile::Module => {
            let modules = top_groups(names).map(|m| {
                let cfg = cfg_attr(&features.group_gate(m));
                let module = format_ident!("{}", m);
                quote! {
                    #cfg
                    pub mod #module;
                }
            });
            EmittedFile {
                path: "operations/mod.rs".to_owned(),
                tokens: quote! { #(#modules)* },
                inner_doc: vec![
                    "The API's operations, one module per top-level group of the client, each under"
                        .to_owned(),
                    "its own Cargo feature.".to_owned(),
                ],
            }
        }
        OperationFile::Group(top) => emitter.group_file(top),
    }
}

struct OperationEmitter<'a> {
    model: &'a ApiModel,
    names: &'a Names,
    features: &'a Features,
    api: &'a ApiIdentity<'a>,
}

impl OperationEmitter<'_> {
    fn api_path(&self) -> TokenStream {
        let module = format_ident!("{}", self.api.module);
        quote!(crate::#module)
    }

    fn client_file(&self) -> EmittedFile {
        let api = self.api_path();
        let config = self.config();
        let servers = self.servers();
        let error_body = self.error_body();
        let constructors = self.constructors();
        let accessors = self.child_accessors(&[], quote!(self));
        let (methods, builders) = self.operations_of(&[]);
        let connection = (!self.model.channels.is_empty()).then(|| {
            quote! {
                /// An open realtime channel: `send` client messages, read
                /// server messages as a `Stream`, `split` it, `close` it.
                pub type Connection<Out, In> = api_runtime::realtime::Connection<Out, In, ErrorBody>;

                /// The sending half of a split [`Connection`].
                pub type Sender<Out> = api_runtime::realtime::Sender<Out, ErrorBody>;

                /// The receiving half of a split [`Connection`]: a `Stream`
                /// of server messages.
                pub type Receiver<In> = api_runtime::realtime::Receiver<In, ErrorBody>;
            }
        });
        let tokens = quote! {
            #[allow(unused_imports)]
            use #api::{operations, types};

            #servers
            #config
            #error_body

            /// Errors of this API's calls.
            pub type Error = api_runtime::Error<ErrorBody>;

            /// A binary response body, as bytes or as a stream of chunks.
            pub type ByteStream = api_runtime::ByteStream<ErrorBody>;

            /// A `text/event-stream` response, as a stream of decoded events.
            pub type EventStream<T> = api_runtime::EventStream<T, ErrorBody>;

            /// A streamed JSON response, as a stream of values decoded as they arrive.
            pub type JsonStream<T> = api_runtime::JsonStream<T, ErrorBody>;

            /// A call on its way: `.await` it for the decoded answer.
            pub type Call<'a, T> = api_runtime::Call<'a, T, ErrorBody>;

            #connection

            /// The client. Cheap to clone; clones share one connection pool.
            #[derive(Debug, Clone)]
            pub struct Client {
                transport: api_runtime::Transport,
            }

            impl api_runtime::FromTransport for Client {
                const CONFIG: &'static api_runtime::ApiConfig = &CONFIG;

                fn from_transport(transport: api_runtime::Transport) -> Self {
                    Client { transport }
                }
            }

            impl Client {
                #constructors

                /// The transport the calls go through.
                pub fn transport(&self) -> &api_runtime::Transport {
                    &self.transport
                }

                #accessors
                #(#methods)*
            }

            #(#builders)*
        };
        EmittedFile {
            path: "client.rs".to_owned(),
            tokens,
            inner_doc: vec![format!(
                "The {} client and its configuration.",
                self.model.title
            )],
        }
    }

    fn config(&self) -> TokenStream {
        let name = self.api.name;
        let base_url = self
            .model
            .servers
            .first()
            .map(|s| s.url.as_str())
            .unwrap_or_default();
        let (header, env) = match &self.model.api_key_header {
            Some(header) => {
                let env = format!("{}_API_KEY", name.to_shouty_snake_case());
                (quote!(Some(#header)), quote!(Some(#env)))
            }
            None => (quote!(None), quote!(None)),
        };
        quote! {
            const CONFIG: api_runtime::ApiConfig = api_runtime::ApiConfig {
                name: #name,
                default_base_url: #base_url,
                api_key_header: #header,
                api_key_env: #env,
                user_agent: concat!(env!("CARGO_PKG_NAME"), "/", env!("CARGO_PKG_VERSION")),
            };
        }
    }

    fn servers(&self) -> TokenStream {
        let consts = self
            .model
            .servers
            .iter()
            .zip(&self.names.servers)
            .enumerate()
            .map(|(index, (server, name))| {
                let ident = format_ident!("{}", name);
                let url = &server.url;
                let doc = server
                    .description
                    .as_deref()
                    .map(|d| format!(" {d}: <{url}>"))
                    .unwrap_or_else(|| format!(" <{url}>"));
                let default_note =
                    (index == 0).then(|| quote!(#[doc = ""] #[doc = " The default."]));
                quote! {
                    #[doc = #doc]
                    #default_note
                    pub const #ident: &str = #url;
                }
            });
        quote! {
            /// The servers the API is served from; pass one to
            /// [`ClientBuilder::base_url`](api_runtime::ClientBuilder::base_url).
            pub mod servers {
                #(#consts)*
            }
        }
    }

    fn constructors(&self) -> TokenStream {
        let builder = quote! {
            /// A builder for every setting: base URL, timeouts, retries,
            /// user agent, or your own `reqwest::Client`.
            pub fn builder() -> api_runtime::ClientBuilder<Self> {
                api_runtime::ClientBuilder::new()
            }
        };
        match &self.model.api_key_header {
            Some(header) => {
                let env = format!("{}_API_KEY", self.api.name.to_shouty_snake_case());
                let new_doc = format!(
                    " A client for the default server that sends `api_key` in the `{header}` header."
                );
                let env_doc = format!(" A client whose API key is read from `{env}`.");
                quote! {
                    #[doc = #new_doc]
                    pub fn new(api_key: impl Into<String>) -> Result<Self, api_runtime::ConfigError> {
                        Self::builder().api_key(api_key).build()
                    }

                    #[doc = #env_doc]
                    pub fn from_env() -> Result<Self, api_runtime::ConfigError> {
                        Self::builder().api_key_from_env().build()
                    }

                    #builder
                }
            }
            None => quote! {
                /// A client for the default server.
                pub fn new() -> Result<Self, api_runtime::ConfigError> {
                    Self::builder().build()
                }

                #builder
            },
        }
    }

    /// The declared error bodies as one enum, decoded by status.
    fn error_body(&self) -> TokenStream {
        let mut variants: Vec<(TypeRef, String)> = Vec::new();
        let mut by_status: BTreeMap<String, Vec<usize>> = BTreeMap::new();
        for op in &self.model.operations {
            for (status, ty) in &op.errors {
                let index = match variants.iter().position(|(t, _)| t == ty) {
                    Some(index) => index,
                    None => {
                        let name = union_variant_name(ty, &self.names.types);
                        variants.push((ty.clone(), name));
                        variants.len() - 1
                    }
                };
                let entry = by_status.entry(status.clone()).or_default();
                if !entry.contains(&index) {
                    entry.push(index);
                }
            }
        }
        if variants.is_empty() {
            return quote! {
                /// The API declares no error bodies; errors keep the raw body.
                pub type ErrorBody = api_runtime::NoErrorBody;
            };
        }
        let deduped = dedupe(
            variants.iter().map(|(_, name)| name.clone()).collect(),
            |name, n| format!("{name}{n}"),
        );
        for ((_, name), unique) in variants.iter_mut().zip(deduped) {
            *name = unique;
        }
        let variant_items = variants.iter().map(|(ty, name)| {
            let ident = format_ident!("{}", name);
            let ty = type_path(ty, self.names);
            let statuses: Vec<&str> = by_status
                .iter()
                .filter(|(_, members)| members.iter().any(|m| variants[*m].1 == *name))
                .map(|(status, _)| status.as_str())
                .collect();
            let doc = format!(" Sent with status {}.", statuses.join(", "));
            quote! {
                #[doc = #doc]
                #ident(#ty),
            }
        });
        let arms = status_arms(&by_status, &variants);
        quote! {
            /// The error bodies the API declares, decoded by status. A body
            /// that matches none stays raw in [`api_runtime::StatusError`].
            #[derive(Debug, Clone, PartialEq)]
            #[allow(clippy::large_enum_variant)]
            pub enum ErrorBody {
                #(#variant_items)*
            }

            impl api_runtime::ErrorBody for ErrorBody {
                fn decode(status: u16, body: &[u8]) -> Option<Self> {
                    match status {
                        #(#arms)*
                    }
                }
            }
        }
    }

    /// Accessors for the groups directly below `path`.
    fn child_accessors(&self, path: &[String], client: TokenStream) -> TokenStream {
        let children = self
            .names
            .groups
            .iter()
            .filter(|(child, _)| child.len() == path.len() + 1 && child.starts_with(path));
        let items = children.map(|(child, struct_name)| {
            let method = format_ident!("{}", child.last().expect("child paths are not empty"));
            let module = format_ident!("{}", child[0]);
            let ty = format_ident!("{}", struct_name);
            // Below the client, a group hands on the client's lifetime, so
            // `client.a().b().call()` does not borrow the temporary `a()`.
            let (ty_path, lifetime, cfg) = if path.is_empty() {
                let cfg = cfg_attr(&self.features.group_gate(&child[0]));
                (quote!(operations::#module::#ty), quote!('_), cfg)
            } else {
                (quote!(#ty), quote!('a), TokenStream::new())
            };
            let doc = format!(" The `{}` operations.", child.join("."));
            quote! {
                #cfg
                #[doc = #doc]
                pub fn #method(&self) -> #ty_path<#lifetime> {
                    #ty_path { client: #client }
                }
            }
        });
        quote! { #(#items)* }
    }

    /// Methods and request builders of the operations at `path`.
    fn operations_of(&self, path: &[String]) -> (Vec<TokenStream>, Vec<TokenStream>) {
        let mut methods = Vec::new();
        let mut builders = Vec::new();
        for (index, (op, names)) in self
            .model
            .operations
            .iter()
            .zip(&self.names.operations)
            .enumerate()
        {
            if names.group != path {
                continue;
            }
            let call = Call::new(self.model, index, self.names);
            match &names.builder {
                Some(builder) => {
                    let owner = self.names.groups.get(path).map_or("Client", String::as_str);
                    let (method, builder_tokens) =
                        call.builder_method(builder, owner, path.is_empty());
                    methods.push(method);
                    builders.push(builder_tokens);
                    if let Some(paging) = &op.paging {
                        let page = call.output_type();
                        let glue = pages::PagingGlue {
                            op,
                            paging,
                            names,
                            all_names: self.names,
                            types: &self.model.types,
                        };
                        builders.push(glue.tokens(builder, &page));
                    }
                }
                None => methods.push(call.call_method(path.is_empty())),
            }
        }
        let owner = self.names.groups.get(path).map_or("Client", String::as_str);
        for (index, (channel, names)) in self
            .model
            .channels
            .iter()
            .zip(&self.names.channels)
            .enumerate()
        {
            if names.group != path {
                continue;
            }
            let call = ChannelCall {
                channel,
                names,
                all_names: self.names,
                model: self.model,
            };
            let cfg = path
                .is_empty()
                .then(|| cfg_attr(&self.features.union_of(channel_types(channel))));
            let method = call.method(path.is_empty());
            methods.push(quote!(#cfg #method));
            let builder = call.builder(owner);
            builders.push(quote!(#cfg #builder));
            // One impl per pair of message types, at its first channel.
            let first = self.model.channels[..index]
                .iter()
                .all(|other| message_types(other) != message_types(channel));
            if first {
                let auto_reply = call.auto_reply();
                builders.push(quote!(#cfg #auto_reply));
            }
        }
        (methods, builders)
    }

    fn group_file(&self, top: &str) -> EmittedFile {
        let api = self.api_path();
        let groups = self
            .names
            .groups
            .iter()
            .filter(|(path, _)| path[0] == top)
            .map(|(path, name)| self.group_struct(path, name));
        let connection = (!self.model.channels.is_empty()).then(|| quote!(Connection,));
        EmittedFile {
            path: format!("operations/{top}.rs"),
            tokens: quote! {
                #[allow(unused_imports)]
                use #api::{types, ByteStream, Call, Client, #connection Error, ErrorBody, EventStream, JsonStream};
                #(#groups)*
            },
            inner_doc: vec![format!("The `{top}` operations.")],
        }
    }

    fn group_struct(&self, path: &[String], name: &str) -> TokenStream {
        let ident = format_ident!("{}", name);
        let accessors = self.child_accessors(path, quote!(self.client));
        let (methods, builders) = self.operations_of(path);
        let doc = format!(" The `{}` operations.", path.join("."));
        quote! {
            #[doc = #doc]
            #[derive(Debug, Clone, Copy)]
            pub struct #ident<'a> {
                pub(crate) client: &'a Client,
            }

            impl<'a> #ident<'a> {
                #accessors
                #(#methods)*
            }

            #(#builders)*
        }
    }
}

/// The types a channel's messages decode into (for its `AutoReply`).
fn message_types(channel: &Channel) -> [Option<&TypeRef>; 2] {
    [&channel.client_messages, &channel.server_messages].map(|set| set.as_ref().map(|s| &s.ty))
}

/// The named types of a channel's parameters and messages.
fn channel_types(channel: &Channel) -> Vec<TypeId> {
    let mut out = Vec::new();
    for param in &channel.params {
        param.ty.mentioned(&mut out);
    }
    for set in channel.message_sets() {
        set.ty.mentioned(&mut out);
    }
    out
}

/// `match status` arms: exact codes, then `4XX`-style ranges, then
/// `default`; each tries its schemas in order.
fn status_arms(
    by_status: &BTreeMap<String, Vec<usize>>,
    variants: &[(TypeRef, String)],
) -> Vec<TokenStream> {
    let decode = |members: &[usize]| {
        let attempts = members.iter().map(|m| {
            let ident = format_ident!("{}", variants[*m].1);
            quote!(serde_json::from_slice(body).ok().map(Self::#ident))
        });
        quote!(None #(.or_else(|| #attempts))*)
    };
    let mut exact = Vec::new();
    let mut ranges = Vec::new();
    let mut default = None;
    for (status, members) in by_status {
        let body = decode(members);
        if let Ok(code) = status.parse::<u16>() {
            let code = Literal::u16_unsuffixed(code);
            exact.push(quote!(#code => #body,));
        } else if let Some(class) = status
            .strip_suffix("XX")
            .or_else(|| status.strip_suffix("xx"))
            .and_then(|d| d.parse::<u16>().ok())
        {
            let low = Literal::u16_unsuffixed(class * 100);
            let high = Literal::u16_unsuffixed(class * 100 + 99);
            ranges.push(quote!(#low..=#high => #body,));
        } else {
            default = Some(body);
        }
    }
    let fallback = default.unwrap_or_else(|| quote!(None));
    exact
        .into_iter()
        .chain(ranges)
        .chain([quote!(_ => #fallback,)])
        .collect()
}
