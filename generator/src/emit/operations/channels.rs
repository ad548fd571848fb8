//! Stage 4 (emit), channels: per WebSocket channel a method on its group
//! returning a connect builder (a setter per optional query parameter or
//! header, `auto_reply`, then `connect`), and the message types'
//! [`AutoReply`](api_runtime::realtime::AutoReply) impl. The URL, the key,
//! the frames and the answers are `api-runtime`'s; what is emitted here only
//! states the address, the parameters and the message types.
//!
//! The automatic answer is derived from the document, never from a name
//! list of one API: when the server's messages are tagged and one is
//! tagged `ping` with an integer `event_id` (its own, or in one of its
//! object fields), and the client's messages include one tagged `pong`
//! whose payload has an integer `event_id` and no other input it needs,
//! the `ping` is answered by that `pong` with the same `event_id`. Every
//! other server message answers nothing.

use proc_macro2::TokenStream;
use quote::{format_ident, quote};

use super::call::{argument_type, setter};
use crate::emit::docs::{doc_attrs, doc_lines, push_paragraph};
use crate::emit::tokens::type_path;
use crate::model::ir::*;
use crate::naming::{ChannelNames, Names};

/// One channel's pieces of code.
pub(super) struct ChannelCall<'a> {
    pub(super) channel: &'a Channel,
    pub(super) names: &'a ChannelNames,
    pub(super) all_names: &'a Names,
    pub(super) model: &'a ApiModel,
}

impl ChannelCall<'_> {
    fn param_ident(&self, index: usize) -> proc_macro2::Ident {
        format_ident!("{}", self.names.params[index])
    }

    /// The client's message type, or any JSON value for a channel the
    /// client only listens on.
    fn client_type(&self) -> TokenStream {
        message_type(self.channel.client_messages.as_ref(), self.all_names)
    }

    fn server_type(&self) -> TokenStream {
        message_type(self.channel.server_messages.as_ref(), self.all_names)
    }

    /// The method on the group: required parameters as arguments.
    pub(super) fn method(&self, on_client: bool) -> TokenStream {
        let method = format_ident!("{}", self.names.method);
        let builder = format_ident!("{}", self.names.builder);
        let lifetime = quote!('a);
        let (receiver, client) = if on_client {
            (quote!(&'a self), quote!(self))
        } else {
            (quote!(self), quote!(self.client))
        };
        let mut args = Vec::new();
        let mut inits = Vec::new();
        for (index, param) in self.channel.params.iter().enumerate() {
            let ident = self.param_ident(index);
            if param.required {
                let ty = argument_type(&param.ty, self.all_names, Some(&lifetime));
                args.push(quote!(#ident: #ty));
                inits.push(quote!(#ident,));
            } else {
                inits.push(quote!(#ident: None,));
            }
        }
        let mut lines = Vec::new();
        if let Some(description) = &self.channel.description {
            lines.extend(doc_lines(description));
        }
        push_paragraph(&mut lines, format!("WebSocket `{}`", self.channel.address));
        let next = if self.channel.params.iter().any(|p| !p.required) {
            "Set optional inputs on the returned builder, then call `.connect().await`."
        } else {
            "Call `.connect().await` on the returned builder."
        };
        push_paragraph(&mut lines, next.to_owned());
        let docs = doc_attrs(
            &Docs {
                description: Some(lines.join("\n")),
                ..Docs::default()
            },
            None,
        );
        let signature_lifetime = on_client.then(|| quote!(<'a>));
        quote! {
            #docs
            pub fn #method #signature_lifetime (#receiver, #(#args),*) -> #builder<'a> {
                #builder {
                    client: #client,
                    #(#inits)*
                    options: api_runtime::realtime::ConnectOptions::default(),
                }
            }
        }
    }

    /// The connect builder and the message types' automatic answers.
    pub(super) fn builder(&self, owner: &str) -> TokenStream {
        let builder = format_ident!("{}", self.names.builder);
        let method = &self.names.method;
        let doc = format!(
            " Connect builder for [`{owner}::{method}`]: set optional inputs, then [`connect`](Self::connect)."
        );
        let mut fields = Vec::new();
        let mut setters = Vec::new();
        let lifetime = quote!('a);
        for (index, param) in self.channel.params.iter().enumerate() {
            let ident = self.param_ident(index);
            if param.required {
                let ty = argument_type(&param.ty, self.all_names, Some(&lifetime));
                fields.push(quote!(#ident: #ty,));
            } else {
                let ty = type_path(&param.ty, self.all_names);
                fields.push(quote!(#ident: Option<#ty>,));
                setters.push(setter(&ident, param, self.all_names));
            }
        }
        let connect = self.connect();
        quote! {
            #[doc = #doc]
            #[derive(Debug, Clone)]
            #[must_use = "a channel is not opened until `connect` is awaited"]
            pub struct #builder<'a> {
                client: &'a Client,
                #(#fields)*
                options: api_runtime::realtime::ConnectOptions,
            }

            impl<'a> #builder<'a> {
                #(#setters)*

                /// Whether server messages that call for an answer are
                /// answered by the connection itself (default: yes).
                pub fn auto_reply(mut self, on: bool) -> Self {
                    self.options = self.options.auto_reply(on);
                    self
                }

                /// How the channel is opened: message size limit, idle
                /// timeout and automatic answers.
                pub fn options(mut self, options: api_runtime::realtime::ConnectOptions) -> Self {
                    self.options = options;
                    self
                }

                #connect
            }
        }
    }

    fn connect(&self) -> TokenStream {
        let address = &self.channel.address;
        let operation = super::call::operation_label(&self.names.group, &self.names.method);
        let mut path_params = Vec::new();
        let mut params = Vec::new();
        for (index, param) in self.channel.params.iter().enumerate() {
            let ident = self.param_ident(index);
            let wire = &param.wire_name;
            match param.location {
                ParamLocation::Path => path_params.push(quote!(.path_param(#wire, &self.#ident))),
                ParamLocation::Query => params.push(quote!(.query(#wire, &self.#ident))),
                _ => params.push(quote!(.header(#wire, &self.#ident))),
            }
        }
        let (client_type, server_type) = (self.client_type(), self.server_type());
        quote! {
            /// Opens the channel on the client's base URL (`https` as
            /// `wss`), with the client's API key.
            pub async fn connect(self) -> Result<Connection<#client_type, #server_type>, Error> {
                let request = api_runtime::Request::new(api_runtime::reqwest::Method::GET, #address)
                    .operation(#operation)
                    #(#path_params)*
                    #(#params)*;
                api_runtime::realtime::connect(self.client.transport(), request, self.options).await
            }
        }
    }

    /// `impl AutoReply<Client> for Server`, answering `ping` with `pong`
    /// when the messages allow it (see the module's docs), else nothing.
    pub(super) fn auto_reply(&self) -> TokenStream {
        let (client_type, server_type) = (self.client_type(), self.server_type());
        match self.ping_pong() {
            Some(body) => quote! {
                impl api_runtime::realtime::AutoReply<#client_type> for #server_type {
                    /// Answers the server's `ping` with a `pong` carrying its `event_id`.
                    fn auto_reply(&self) -> Option<#client_type> {
                        #body
                    }
                }
            },
            None => quote! {
                impl api_runtime::realtime::AutoReply<#client_type> for #server_type {}
            },
        }
    }

    /// The body of the `ping` answer, when both sides have the messages.
    fn ping_pong(&self) -> Option<TokenStream> {
        let server = self.channel.server_messages.as_ref()?;
        let client = self.channel.client_messages.as_ref()?;
        let (MessageDecoding::Tagged { .. }, TypeRef::Named(server_union)) =
            (&server.decoding, &server.ty)
        else {
            return None;
        };
        let TypeRef::Named(client_union) = &client.ty else {
            return None;
        };
        let ping_index = server
            .messages
            .iter()
            .position(|m| m.tag.as_deref() == Some("ping"))?;
        let pong_index = client
            .messages
            .iter()
            .position(|m| m.tag.as_deref() == Some("pong"))?;
        let read = self.event_id_read(&server.messages[ping_index].payload)?;
        let pong = &client.messages[pong_index].payload;
        let (pong_id, pong_def) = self.struct_of(pong)?;
        let (field_index, field) = pong_def
            .fields
            .iter()
            .enumerate()
            .find(|(_, f)| f.wire_name == "event_id")?;
        let others_default = pong_def
            .fields
            .iter()
            .all(|f| f.wire_name == "event_id" || !f.required || f.is_fixed_const());
        if !matches!(field.ty, TypeRef::Integer(_)) || !others_default {
            return None;
        }
        let pong_field = format_ident!("{}", self.all_names.fields[&pong_id][field_index]);
        let value = if field.required {
            quote!(event_id)
        } else {
            quote!(Some(event_id))
        };
        let rest = (pong_def.fields.len() > 1).then(|| quote!(..Default::default()));
        let variant = |union: &TypeId, index: usize| {
            format_ident!("{}", self.all_names.variants[union][index])
        };
        let ping_variant = variant(server_union, ping_index);
        let pong_variant = variant(client_union, pong_index);
        let pong_type = type_path(pong, self.all_names);
        let client_type = self.client_type();
        Some(quote! {
            match self {
                Self::#ping_variant(ping) => {
                    let event_id = #read;
                    Some(#client_type::#pong_variant(#pong_type { #pong_field: #value, #rest }))
                }
                _ => None,
            }
        })
    }

    /// How the `event_id` of a `ping` is read: `ping.event_id`, or
    /// `ping.<field>.event_id` for an object field, `?` past each optional.
    fn event_id_read(&self, payload: &TypeRef) -> Option<TokenStream> {
        let (id, def) = self.struct_of(payload)?;
        let step = |id: TypeId, index: usize, field: &FieldDef| {
            let ident = format_ident!("{}", self.all_names.fields[&id][index]);
            let optional = !field.required || field.nullable;
            (ident, optional)
        };
        if let Some((index, field)) = integer_event_id(def) {
            let (ident, optional) = step(id, index, field);
            let question = optional.then(|| quote!(?));
            return Some(quote!(ping.#ident #question));
        }
        def.fields.iter().enumerate().find_map(|(index, field)| {
            let (inner_id, inner) = self.struct_of(&field.ty)?;
            let (inner_index, inner_field) = integer_event_id(inner)?;
            let (outer, outer_optional) = step(id, index, field);
            let (leaf, leaf_optional) = step(inner_id, inner_index, inner_field);
            let outer = if outer_optional {
                quote!(#outer.as_ref()?)
            } else {
                quote!(#outer)
            };
            let question = leaf_optional.then(|| quote!(?));
            Some(quote!(ping.#outer.#leaf #question))
        })
    }

    fn struct_of(&self, ty: &TypeRef) -> Option<(TypeId, &StructDef)> {
        let mut ty = ty;
        loop {
            let TypeRef::Named(id) = ty else {
                return None;
            };
            match &self.model.types[id.0].kind {
                TypeKind::Struct(def) => return Some((*id, def)),
                TypeKind::Alias(target) => ty = target,
                _ => return None,
            }
        }
    }
}

fn integer_event_id(def: &StructDef) -> Option<(usize, &FieldDef)> {
    def.fields
        .iter()
        .enumerate()
        .find(|(_, f)| f.wire_name == "event_id" && matches!(f.ty, TypeRef::Integer(_)))
}

fn message_type(set: Option<&MessageSet>, names: &Names) -> TokenStream {
    match set {
        Some(set) => type_path(&set.ty, names),
        None => quote!(serde_json::Value),
    }
}
