//! The operation index of the test-support crate: every operation callable
//! by method and path with JSON arguments.

use super::call::body_type;
use proc_macro2::TokenStream;
use quote::{format_ident, quote};

use super::call::Call;
use crate::emit::tokens::{type_path, ApiIdentity, EmittedFile};
use crate::model::ir::*;
use crate::naming::Names;

/// `operation_index.rs`: every operation callable by `"METHOD /path"` with
/// its required arguments as JSON, for contract tests (feature
/// `operation-index`).
pub fn operation_index_file(model: &ApiModel, names: &Names, api: &ApiIdentity) -> EmittedFile {
    let krate = format_ident!("{}", api.krate);
    let module = format_ident!("{}", api.module);
    let arms = (0..model.operations.len()).map(|index| index_arm(&Call::new(model, index, names)));
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
    for index in call.op.positional_params() {
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
    if let Some(flat) = call.flat.as_ref().filter(|flat| flat.optional) {
        let ty = flat.type_tokens();
        bindings.push(quote!(let body: Option<#ty> = contract::body(args)?;));
        set_body = Some(quote! {
            if let Some(body) = body {
                request = request.body(body);
            }
        });
    } else if let Some(flat) = &call.flat {
        let ty = flat.type_tokens();
        bindings.push(quote!(let body: #ty = contract::required_body(args)?;));
        arguments.extend(flat.arguments_from_value());
        set_body = Some(quote!(request = request.body(body);));
    } else if let Some(body) = &call.op.body {
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
        ResponseDef::JsonStream(_) => {
            quote!(contract::drain_json_stream(output.map_err(|e| e.to_string())?).await)
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
