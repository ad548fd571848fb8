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

use super::{cfg_attr, doc_attrs, doc_lines, push_paragraph, scalar_tokens, EmittedFile};
use crate::model::ir::*;
use crate::naming::features::Features;
use crate::naming::{dedupe, union_variant_name, Names, OperationNames};

/// What the emitted code needs to know about the API beside its model.
pub struct ApiIdentity<'a> {
    /// The API's name in the manifest (`elevenlabs`).
    pub name: &'a str,
    /// Its module in the generated crate.
    pub module: &'a str,
    /// The generated crate's name as Rust spells it (`api_clients`), for the
    /// test-support files outside it.
    pub krate: &'a str,
}

impl ApiIdentity<'_> {
    /// The API's types module, as the test-support crate names it.
    pub fn types_path(&self) -> TokenStream {
        let krate = format_ident!("{}", self.krate);
        let module = format_ident!("{}", self.module);
        quote!(#krate::#module::types)
    }
}

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

            /// A call on its way: `.await` it for the decoded answer.
            pub type Call<'a, T> = api_runtime::Call<'a, T, ErrorBody>;

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
        for (op, names) in self.model.operations.iter().zip(&self.names.operations) {
            if names.group != path {
                continue;
            }
            let call = Call::new(op, names, self.names);
            match &names.builder {
                Some(builder) => {
                    let owner = self.names.groups.get(path).map_or("Client", String::as_str);
                    let (method, builder) = call.builder_method(builder, owner, path.is_empty());
                    methods.push(method);
                    builders.push(builder);
                }
                None => methods.push(call.call_method(path.is_empty())),
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
        EmittedFile {
            path: format!("operations/{top}.rs"),
            tokens: quote! {
                #[allow(unused_imports)]
                use #api::{types, ByteStream, Call, Client, Error, ErrorBody, EventStream};
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

/// One operation's pieces of code.
struct Call<'a> {
    op: &'a Operation,
    names: &'a OperationNames,
    all_names: &'a Names,
}

impl<'a> Call<'a> {
    fn new(op: &'a Operation, names: &'a OperationNames, all_names: &'a Names) -> Self {
        Call {
            op,
            names,
            all_names,
        }
    }

    fn param_ident(&self, index: usize) -> proc_macro2::Ident {
        format_ident!("{}", self.names.params[index])
    }

    /// The required parameters, in path-template order for path
    /// parameters, then the others as declared.
    fn required_params(&self) -> Vec<usize> {
        let path_order = crate::model::lower::template_names(&self.op.path);
        let mut required: Vec<usize> = path_order
            .iter()
            .filter_map(|name| {
                self.op
                    .params
                    .iter()
                    .position(|p| p.location == ParamLocation::Path && p.wire_name == *name)
            })
            .collect();
        for (index, param) in self.op.params.iter().enumerate() {
            if param.required && param.location != ParamLocation::Path {
                required.push(index);
            }
        }
        required
    }

    fn optional_params(&self) -> Vec<usize> {
        (0..self.op.params.len())
            .filter(|i| !self.op.params[*i].required)
            .collect()
    }

    fn method_docs(&self) -> TokenStream {
        let mut lines = Vec::new();
        if let Some(summary) = &self.op.summary {
            lines.extend(doc_lines(summary));
        }
        if let Some(description) = &self.op.description {
            if self.op.summary.as_deref() != Some(description.trim()) {
                if !lines.is_empty() {
                    lines.push(String::new());
                }
                lines.extend(doc_lines(description));
            }
        }
        push_paragraph(&mut lines, format!("`{} {}`", self.op.method, self.op.path));
        let docs = Docs {
            title: None,
            description: Some(lines.join("\n")),
            deprecated: self.op.deprecated,
            default: None,
        };
        doc_attrs(&docs, None)
    }

    fn output_type(&self) -> TokenStream {
        match &self.op.response {
            ResponseDef::Empty => quote!(()),
            ResponseDef::Json(ty) => type_path(ty, self.all_names),
            ResponseDef::Text(_) => quote!(String),
            ResponseDef::Binary(_) => quote!(ByteStream),
            ResponseDef::EventStream(ty) => {
                let ty = type_path(ty, self.all_names);
                quote!(EventStream<#ty>)
            }
        }
    }

    /// `(ident: Type)` arguments of the method: required parameters, then
    /// a required body.
    fn arguments(&self, lifetime: Option<&TokenStream>) -> Vec<TokenStream> {
        let mut args: Vec<TokenStream> = self
            .required_params()
            .into_iter()
            .map(|index| {
                let ident = self.param_ident(index);
                let ty = argument_type(&self.op.params[index].ty, self.all_names, lifetime);
                quote!(#ident: #ty)
            })
            .collect();
        if let Some(body) = self.op.body.as_ref().filter(|b| b.required) {
            let ty = body_type(body, self.all_names);
            args.push(quote!(body: &#lifetime #ty));
        }
        args
    }

    fn call_method(&self, on_client: bool) -> TokenStream {
        let docs = self.method_docs();
        let method = format_ident!("{}", self.names.method);
        let args = self.arguments(None);
        let output = self.output_type();
        // Groups are `Copy` and taken by value, so the future holds the
        // client's lifetime rather than a borrow of a temporary group.
        let (client, receiver, lifetime) = if on_client {
            (quote!(self), quote!(&self), quote!('_))
        } else {
            (quote!(self.client), quote!(self), quote!('a))
        };
        let send = self.send_body();
        // `#[inline]` on every sending function: their machine code, and that
        // of the (de)serializers they use, is generated in the crate that
        // calls them, so a service compiles code for the calls it makes only.
        quote! {
            #docs
            #[inline]
            pub fn #method(#receiver, #(#args),*) -> Call<#lifetime, #output> {
                let client = #client;
                #send
            }
        }
    }

    /// The method returning the builder, and the builder itself.
    fn builder_method(
        &self,
        builder: &str,
        owner: &str,
        on_client: bool,
    ) -> (TokenStream, TokenStream) {
        let lifetime = quote!('a);
        let docs = self.method_docs();
        let method = format_ident!("{}", self.names.method);
        let builder_ident = format_ident!("{}", builder);
        let args = self.arguments(Some(&lifetime));
        let client = if on_client {
            quote!(self)
        } else {
            quote!(self.client)
        };
        let required: Vec<proc_macro2::Ident> = self
            .required_params()
            .into_iter()
            .map(|i| self.param_ident(i))
            .collect();
        let optional: Vec<proc_macro2::Ident> = self
            .optional_params()
            .into_iter()
            .map(|i| self.param_ident(i))
            .collect();
        let body_init = self.op.body.as_ref().map(|b| {
            if b.required {
                quote!(body,)
            } else {
                quote!(body: None,)
            }
        });
        let (signature_lifetime, self_ref) = if on_client {
            (quote!(<'a>), quote!(&'a self))
        } else {
            (quote!(), quote!(self))
        };
        let how = " Set optional inputs on the returned builder, then `.await` it.";
        let method_tokens = quote! {
            #docs
            #[doc = ""]
            #[doc = #how]
            pub fn #method #signature_lifetime (#self_ref, #(#args),*) -> #builder_ident<'a> {
                #builder_ident {
                    client: #client,
                    #(#required,)*
                    #(#optional: None,)*
                    #body_init
                }
            }
        };
        (method_tokens, self.builder_struct(&builder_ident, owner))
    }

    fn builder_struct(&self, ident: &proc_macro2::Ident, owner: &str) -> TokenStream {
        let lifetime = quote!('a);
        let mut fields = Vec::new();
        for index in self.required_params() {
            let name = self.param_ident(index);
            let ty = argument_type(&self.op.params[index].ty, self.all_names, Some(&lifetime));
            fields.push(quote!(#name: #ty,));
        }
        let mut setters = Vec::new();
        for index in self.optional_params() {
            let param = &self.op.params[index];
            let name = self.param_ident(index);
            let ty = type_path(&param.ty, self.all_names);
            fields.push(quote!(#name: Option<#ty>,));
            setters.push(setter(&name, param, self.all_names));
        }
        if let Some(body) = &self.op.body {
            let ty = body_type(body, self.all_names);
            if body.required {
                fields.push(quote!(body: &'a #ty,));
            } else {
                fields.push(quote!(body: Option<&'a #ty>,));
                let doc = body
                    .description
                    .clone()
                    .unwrap_or_else(|| "The request body.".to_owned());
                let docs = doc_attrs(
                    &Docs {
                        description: Some(doc),
                        ..Docs::default()
                    },
                    None,
                );
                setters.push(quote! {
                    #docs
                    pub fn body(mut self, body: &'a #ty) -> Self {
                        self.body = Some(body);
                        self
                    }
                });
            }
        }
        let method = &self.names.method;
        let doc = format!(
            " Request builder for [`{owner}::{method}`]: set optional inputs, then `.await` it (or call [`send`](Self::send))."
        );
        let output = self.output_type();
        let send = self.send_body();
        let mut destructured: Vec<proc_macro2::Ident> = self
            .required_params()
            .into_iter()
            .chain(self.optional_params())
            .map(|i| self.param_ident(i))
            .collect();
        if self.op.body.is_some() {
            destructured.push(format_ident!("body"));
        }
        quote! {
            #[doc = #doc]
            #[derive(Debug, Clone)]
            #[must_use = "a request does nothing until it is awaited"]
            pub struct #ident<'a> {
                client: &'a Client,
                #(#fields)*
            }

            impl<'a> #ident<'a> {
                #(#setters)*

                /// Sends the request.
                #[inline]
                pub fn send(self) -> Call<'a, #output> {
                    let Self { client, #(#destructured),* } = self;
                    #send
                }
            }

            impl<'a> std::future::IntoFuture for #ident<'a> {
                type Output = Result<#output, Error>;
                type IntoFuture = Call<'a, #output>;

                #[inline]
                fn into_future(self) -> Self::IntoFuture {
                    self.send()
                }
            }
        }
    }

    /// Builds the request from the bindings in scope (`client`, each
    /// parameter by its identifier, `body`), sends it and decodes the answer.
    fn send_body(&self) -> TokenStream {
        let method = format_ident!("{}", self.op.method);
        let path = &self.op.path;
        let path_params = self.path_params();
        let params = self
            .op
            .params
            .iter()
            .enumerate()
            .filter(|(_, p)| p.location != ParamLocation::Path)
            .map(|(index, param)| {
                let ident = self.param_ident(index);
                let wire = &param.wire_name;
                let value = quote!(&#ident);
                match param.location {
                    ParamLocation::Query if !param.explode && is_array(&param.ty) => {
                        quote!(.query_joined(#wire, #value, ","))
                    }
                    ParamLocation::Query => quote!(.query(#wire, #value)),
                    _ => quote!(.header(#wire, #value)),
                }
            });
        let accept = self.accept();
        let body = self.body_call();
        let call = match &self.op.response {
            ResponseDef::Empty => quote!(call_empty),
            ResponseDef::Json(_) => quote!(call_json),
            ResponseDef::Text(_) => quote!(call_text),
            ResponseDef::Binary(_) => quote!(call_bytes),
            ResponseDef::EventStream(_) => quote!(call_events),
        };
        quote! {
            let request = api_runtime::Request::new(api_runtime::reqwest::Method::#method, #path)
                #(#path_params)*
                #(#params)*
                #accept;
            #body
            client.transport().#call(request)
        }
    }

    /// `.path_param(name, value)` for each `{name}` of the path, in the
    /// order the path names them: the runtime fills the template and refuses
    /// values that would leave their segment.
    fn path_params(&self) -> Vec<TokenStream> {
        let mut seen = std::collections::BTreeSet::new();
        crate::model::lower::template_names(&self.op.path)
            .into_iter()
            .filter(|name| seen.insert(*name))
            .map(|name| {
                let index = self
                    .op
                    .params
                    .iter()
                    .position(|p| p.location == ParamLocation::Path && p.wire_name == name)
                    .expect("the model checked every template name");
                let ident = self.param_ident(index);
                quote!(.path_param(#name, &#ident))
            })
            .collect()
    }

    fn accept(&self) -> Option<TokenStream> {
        let media_types = match &self.op.response {
            ResponseDef::Binary(types) => types.join(", "),
            ResponseDef::Text(media_type) => media_type.clone(),
            ResponseDef::EventStream(_) => "text/event-stream".to_owned(),
            ResponseDef::Empty | ResponseDef::Json(_) => return None,
        };
        Some(quote!(.accept(#media_types)))
    }

    fn body_call(&self) -> Option<TokenStream> {
        let body = self.op.body.as_ref()?;
        let attach = match &body.encoding {
            BodyEncoding::Json => quote!(request.json(body)),
            BodyEncoding::Multipart => quote!(request.multipart(body.to_form())),
            BodyEncoding::Binary(media_type) => quote!(request.bytes(body.clone(), #media_type)),
        };
        Some(if body.required {
            quote!(let request = #attach;)
        } else {
            quote! {
                let request = match body {
                    Some(body) => #attach,
                    None => request,
                };
            }
        })
    }
}

fn setter(name: &proc_macro2::Ident, param: &ParamDef, names: &Names) -> TokenStream {
    let docs = doc_attrs(&param.docs, None);
    match &param.ty {
        TypeRef::String => quote! {
            #docs
            pub fn #name(mut self, value: impl Into<String>) -> Self {
                self.#name = Some(value.into());
                self
            }
        },
        TypeRef::Array(item) if **item == TypeRef::String => quote! {
            #docs
            pub fn #name(mut self, values: impl IntoIterator<Item = impl Into<String>>) -> Self {
                self.#name = Some(values.into_iter().map(Into::into).collect());
                self
            }
        },
        TypeRef::Array(item) => {
            let item = type_path(item, names);
            quote! {
                #docs
                pub fn #name(mut self, values: impl IntoIterator<Item = #item>) -> Self {
                    self.#name = Some(values.into_iter().collect());
                    self
                }
            }
        }
        ty => {
            let ty = type_path(ty, names);
            quote! {
                #docs
                pub fn #name(mut self, value: #ty) -> Self {
                    self.#name = Some(value);
                    self
                }
            }
        }
    }
}

fn is_array(ty: &TypeRef) -> bool {
    matches!(ty, TypeRef::Array(_))
}

fn body_type(body: &BodyDef, names: &Names) -> TokenStream {
    match body.encoding {
        BodyEncoding::Binary(_) => quote!(api_runtime::Bytes),
        _ => type_path(&body.ty, names),
    }
}

/// How a required parameter is taken: strings and slices borrowed,
/// numbers and booleans by value, other types by reference.
fn argument_type(ty: &TypeRef, names: &Names, lifetime: Option<&TokenStream>) -> TokenStream {
    match ty {
        TypeRef::String => quote!(&#lifetime str),
        TypeRef::Integer(_) | TypeRef::Number(_) | TypeRef::Boolean => type_path(ty, names),
        TypeRef::Array(item) => {
            let item = type_path(item, names);
            quote!(&#lifetime [#item])
        }
        other => {
            let ty = type_path(other, names);
            quote!(&#lifetime #ty)
        }
    }
}

/// A type written with full paths, for files outside `types/`.
pub fn type_path(ty: &TypeRef, names: &Names) -> TokenStream {
    match ty {
        TypeRef::Named(id) => {
            let ident = format_ident!("{}", names.types[id.0]);
            quote!(types::#ident)
        }
        TypeRef::Const(value) => {
            let ident = format_ident!("{}", names.consts[value]);
            quote!(types::consts::#ident)
        }
        TypeRef::String | TypeRef::Integer(_) | TypeRef::Number(_) | TypeRef::Boolean => {
            scalar_tokens(ty)
        }
        TypeRef::DateTime => quote!(api_runtime::Timestamp),
        TypeRef::Binary => quote!(api_runtime::File),
        TypeRef::Json => quote!(serde_json::Value),
        TypeRef::Array(inner) => {
            let inner = type_path(inner, names);
            quote!(Vec<#inner>)
        }
        TypeRef::Map(inner) => {
            let inner = type_path(inner, names);
            quote!(std::collections::BTreeMap<String, #inner>)
        }
        TypeRef::Nullable(inner) => {
            let inner = type_path(inner, names);
            quote!(Option<#inner>)
        }
    }
}

/// `operation_index.rs`: every operation callable by `"METHOD /path"` with
/// its required arguments as JSON, for contract tests (feature
/// `operation-index`).
pub fn operation_index_file(model: &ApiModel, names: &Names, api: &ApiIdentity) -> EmittedFile {
    let krate = format_ident!("{}", api.krate);
    let module = format_ident!("{}", api.module);
    let arms = model
        .operations
        .iter()
        .zip(&names.operations)
        .map(|(op, op_names)| index_arm(&Call::new(op, op_names, names)));
    let keys = model
        .operations
        .iter()
        .map(|op| format!("{} {}", op.method, op.path));
    EmittedFile {
        path: "operation_index.rs".to_owned(),
        tokens: quote! {
            use api_runtime::contract;
            use #krate::#module::{types, Client};

            /// Every operation as `"METHOD /path"`, in document order.
            pub const OPERATIONS: &[&str] = &[#(#keys),*];

            /// Calls the operation `"METHOD /path"` with its required
            /// arguments decoded from `args` (`path`, `query`, `header`,
            /// `body`) and reads the whole answer. `None` for an unknown
            /// operation.
            pub fn call<'a>(
                client: &'a Client,
                operation: &str,
                args: &'a serde_json::Value,
            ) -> Option<api_runtime::BoxFuture<'a, Result<(), String>>> {
                Some(match operation {
                    #(#arms)*
                    _ => return None,
                })
            }
        },
        inner_doc: vec![
            "Every operation by method and path, with JSON arguments: the contract tests' way in."
                .to_owned(),
        ],
    }
}

fn index_arm(call: &Call) -> TokenStream {
    let key = format!("{} {}", call.op.method, call.op.path);
    let mut bindings = Vec::new();
    let mut arguments = Vec::new();
    for index in call.required_params() {
        let param = &call.op.params[index];
        let ident = call.param_ident(index);
        let ty = type_path(&param.ty, call.all_names);
        let location = match param.location {
            ParamLocation::Path => "path",
            ParamLocation::Query => "query",
            ParamLocation::Header => "header",
        };
        let wire = &param.wire_name;
        bindings.push(quote!(let #ident: #ty = contract::arg(args, #location, #wire)?;));
        arguments.push(match param.ty {
            TypeRef::Integer(_) | TypeRef::Number(_) | TypeRef::Boolean => quote!(#ident),
            _ => quote!(&#ident),
        });
    }
    let mut set_body = None;
    if let Some(body) = &call.op.body {
        let ty = body_type(body, call.all_names);
        if body.required {
            bindings.push(quote!(let body: #ty = contract::required_body(args)?;));
            arguments.push(quote!(&body));
        } else {
            bindings.push(quote!(let body: Option<#ty> = contract::body(args)?;));
            set_body = Some(quote! {
                if let Some(body) = &body {
                    request = request.body(body);
                }
            });
        }
    }
    let group = call.names.group.iter().map(|g| format_ident!("{}", g));
    let method = format_ident!("{}", call.names.method);
    let invoke = quote!(client #(.#group())* .#method(#(#arguments),*));
    let send = match (&call.names.builder, set_body) {
        (Some(_), Some(set_body)) => quote! {
            let mut request = #invoke;
            #set_body
            let output = request.await;
        },
        _ => quote!(let output = #invoke.await;),
    };
    let finish = match &call.op.response {
        ResponseDef::Binary(_) => {
            quote!(contract::drain_bytes(output.map_err(|e| e.to_string())?).await)
        }
        ResponseDef::EventStream(_) => {
            quote!(contract::drain_events(output.map_err(|e| e.to_string())?).await)
        }
        _ => quote!(output.map(drop).map_err(|e| e.to_string())),
    };
    quote! {
        #key => Box::pin(async move {
            #(#bindings)*
            #send
            #finish
        }),
    }
}
