//! One operation's code: its method on the group struct, or its request
//! builder with a setter per optional input, and the types of its
//! arguments.

use proc_macro2::TokenStream;
use quote::{format_ident, quote};

use crate::emit::docs::{doc_attrs, doc_lines, push_paragraph};
use crate::emit::tokens::type_path;
use crate::model::ir::*;
use crate::naming::{Names, OperationNames};

use super::flat::FlatBody;

/// One operation's pieces of code.
pub(super) struct Call<'a> {
    pub(super) op: &'a Operation,
    pub(super) names: &'a OperationNames,
    pub(super) all_names: &'a Names,
    /// The body's struct when its fields are the call's inputs.
    pub(super) flat: Option<FlatBody<'a>>,
}

impl<'a> Call<'a> {
    /// The call of operation number `index` of `model`.
    pub(super) fn new(model: &'a ApiModel, index: usize, all_names: &'a Names) -> Self {
        let flat = all_names
            .flattened
            .get(&index)
            .zip(model.operations[index].body.as_ref())
            .and_then(|(id, body)| FlatBody::of(*id, body, &model.types, all_names));
        Call {
            op: &model.operations[index],
            names: &all_names.operations[index],
            all_names,
            flat,
        }
    }

    pub(super) fn param_ident(&self, index: usize) -> proc_macro2::Ident {
        format_ident!("{}", self.names.params[index])
    }

    pub(super) fn optional_params(&self) -> Vec<usize> {
        (0..self.op.params.len())
            .filter(|i| !self.op.params[*i].required)
            .collect()
    }

    pub(super) fn method_docs(&self) -> TokenStream {
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

    pub(super) fn output_type(&self) -> TokenStream {
        match &self.op.response {
            ResponseDef::Empty => quote!(()),
            ResponseDef::Json(ty) => type_path(ty, self.all_names),
            ResponseDef::Text(_) => quote!(String),
            ResponseDef::Binary(_) => quote!(ByteStream),
            ResponseDef::EventStream(ty) => {
                let ty = type_path(ty, self.all_names);
                quote!(EventStream<#ty>)
            }
            ResponseDef::JsonStream(ty) => {
                let ty = type_path(ty, self.all_names);
                quote!(JsonStream<#ty>)
            }
        }
    }

    /// `(ident: Type)` arguments of the method: required parameters, then
    /// a required body.
    pub(super) fn arguments(&self, lifetime: Option<&TokenStream>) -> Vec<TokenStream> {
        let mut args: Vec<TokenStream> = self
            .op
            .positional_params()
            .into_iter()
            .map(|index| {
                let ident = self.param_ident(index);
                let ty = argument_type(&self.op.params[index].ty, self.all_names, lifetime);
                quote!(#ident: #ty)
            })
            .collect();
        if let Some(flat) = &self.flat {
            args.extend(flat.arguments());
        } else if let Some(body) = self.op.body.as_ref().filter(|b| b.required) {
            let ty = body_type(body, self.all_names);
            args.push(quote!(body: &#lifetime #ty));
        }
        args
    }

    pub(super) fn call_method(&self, on_client: bool) -> TokenStream {
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
    pub(super) fn builder_method(
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
            .op
            .positional_params()
            .into_iter()
            .map(|i| self.param_ident(i))
            .collect();
        let optional: Vec<proc_macro2::Ident> = self
            .optional_params()
            .into_iter()
            .map(|i| self.param_ident(i))
            .collect();
        let body_init = self.op.body.as_ref().map(|b| {
            if let Some(flat) = &self.flat {
                let construct = flat.construct();
                quote!(body: #construct,)
            } else if b.required {
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

    pub(super) fn builder_struct(&self, ident: &proc_macro2::Ident, owner: &str) -> TokenStream {
        let lifetime = quote!('a);
        let mut fields = Vec::new();
        for index in self.op.positional_params() {
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
        if let Some(flat) = &self.flat {
            let ty = flat.field_type();
            fields.push(quote!(body: #ty,));
            setters.push(flat.setters());
        } else if let Some(body) = &self.op.body {
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
            .op
            .positional_params()
            .into_iter()
            .chain(self.optional_params())
            .map(|i| self.param_ident(i))
            .collect();
        if self.op.body.is_some() {
            destructured.push(format_ident!("body"));
        }
        let borrow_body = self.flat.as_ref().map(FlatBody::borrow);
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
                    #borrow_body
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
    pub(super) fn send_body(&self) -> TokenStream {
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
            ResponseDef::JsonStream(_) => quote!(call_json_stream),
        };
        let operation = operation_label(&self.names.group, &self.names.method);
        quote! {
            let request = api_runtime::Request::new(api_runtime::reqwest::Method::#method, #path)
                .operation(#operation)
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
    pub(super) fn path_params(&self) -> Vec<TokenStream> {
        let mut seen = std::collections::BTreeSet::new();
        template_names(&self.op.path)
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

    pub(super) fn accept(&self) -> Option<TokenStream> {
        let media_types = match &self.op.response {
            ResponseDef::Binary(types) => types.join(", "),
            ResponseDef::Text(media_type) => media_type.clone(),
            ResponseDef::EventStream(_) => "text/event-stream".to_owned(),
            ResponseDef::Empty | ResponseDef::Json(_) | ResponseDef::JsonStream(_) => return None,
        };
        Some(quote!(.accept(#media_types)))
    }

    pub(super) fn body_call(&self) -> Option<TokenStream> {
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

pub(super) fn setter(name: &proc_macro2::Ident, param: &ParamDef, names: &Names) -> TokenStream {
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
                pub fn #name(mut self, value: impl Into<#ty>) -> Self {
                    self.#name = Some(value.into());
                    self
                }
            }
        }
    }
}

pub(super) fn is_array(ty: &TypeRef) -> bool {
    matches!(ty, TypeRef::Array(_))
}

pub(super) fn body_type(body: &BodyDef, names: &Names) -> TokenStream {
    match body.encoding {
        BodyEncoding::Binary(_) => quote!(api_runtime::Bytes),
        _ => type_path(&body.ty, names),
    }
}

/// How a required parameter is taken: strings and slices borrowed,
/// numbers and booleans by value, other types by reference.
pub(super) fn argument_type(
    ty: &TypeRef,
    names: &Names,
    lifetime: Option<&TokenStream>,
) -> TokenStream {
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

/// The call's name in traces and errors: its group path and method,
/// `conversational_ai.agents.create`.
pub(super) fn operation_label(group: &[String], method: &str) -> String {
    group
        .iter()
        .map(String::as_str)
        .chain([method])
        .map(|part| part.trim_start_matches("r#"))
        .collect::<Vec<_>>()
        .join(".")
}
