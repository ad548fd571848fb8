//! Stage 4: emit. Turns the named model into Rust token streams, one file
//! per component schema (its inline types beside it), plus the module files
//! that tie them together. Only what differs per API is emitted; shared
//! behaviour comes from the `api-runtime` crate.
//!
//! In: the model, its names and features. Out: [`EmittedFile`]s of token
//! streams, formatted later by `write`. Here: the module files, the
//! constants and the schema index; `types.rs`: the types of one file;
//! `operations/`: the client, its groups and calls, and the operation
//! index.

use std::collections::BTreeSet;

use proc_macro2::TokenStream;
use quote::{format_ident, quote};

use crate::model::ir::*;
use crate::naming::features::Features;
use crate::naming::Names;

mod conversions;
mod docs;
mod fields;
mod operations;
mod tokens;
mod types;
mod webhook;

pub use docs::doc_lines;
pub use operations::{operation_index_file, OperationFile};
use tokens::cfg_attr;
pub use tokens::{type_path, ApiIdentity, EmittedFile, SerdeImpls};
use types::FileEmitter;

/// Emits every file of one API's module.
pub fn emit_api(
    model: &ApiModel,
    names: &Names,
    features: &Features,
    api: &ApiIdentity,
) -> Vec<EmittedFile> {
    ApiEmitter::new(model, names, features, api).emit_all(ApiEmitter::files)
}

/// The test-support files of one API, for the crate beside the generated one
/// (`testing/`): every schema with examples and every operation by method and
/// path. They reach the API through the generated crate's public paths.
pub fn emit_indexes(
    model: &ApiModel,
    names: &Names,
    features: &Features,
    api: &ApiIdentity,
) -> Vec<EmittedFile> {
    ApiEmitter::new(model, names, features, api).emit_all(ApiEmitter::index_files)
}

/// One file of an API's module (or of its test support), before it is
/// emitted. The files do not depend on each other, so they can be emitted in
/// any order or at once.
#[derive(Debug, Clone, Copy)]
pub enum ApiFile<'a> {
    /// `mod.rs`.
    Module,
    Operations(OperationFile<'a>),
    /// `types/mod.rs`.
    Types,
    /// `types/consts.rs`.
    Consts,
    /// `types/<module>.rs`: a component schema and the types it holds.
    Home(TypeId, &'a str),
    /// `schema_index.rs`, in the test-support crate.
    SchemaIndex,
    /// `operation_index.rs`, in the test-support crate.
    OperationIndex,
    /// `webhook.rs`, for an API that signs its webhooks.
    Webhook(&'a WebhookDef),
}

/// What [`emit_api`] needs, to emit its files one at a time.
pub struct ApiEmitter<'a> {
    pub model: &'a ApiModel,
    pub names: &'a Names,
    pub features: &'a Features,
    pub api: &'a ApiIdentity<'a>,
}

impl<'a> ApiEmitter<'a> {
    pub fn new(
        model: &'a ApiModel,
        names: &'a Names,
        features: &'a Features,
        api: &'a ApiIdentity<'a>,
    ) -> Self {
        ApiEmitter {
            model,
            names,
            features,
            api,
        }
    }

    /// Emits the files `plan` picks, one after the other.
    fn emit_all(&self, plan: impl Fn(&Self) -> Vec<ApiFile<'a>>) -> Vec<EmittedFile> {
        plan(self).into_iter().map(|file| self.emit(file)).collect()
    }

    /// Every file of the API's module. The ones that are usually largest
    /// (the operations) come first, so that threads taking files in this
    /// order finish at about the same time.
    pub fn files(&self) -> Vec<ApiFile<'a>> {
        let mut files: Vec<ApiFile<'a>> = operations::operation_files(self.names)
            .into_iter()
            .map(ApiFile::Operations)
            .collect();
        files.extend([ApiFile::Types, ApiFile::Consts, ApiFile::Module]);
        files.extend(self.model.webhooks.as_ref().map(ApiFile::Webhook));
        files.extend(
            self.names
                .modules
                .iter()
                .map(|(home, module)| ApiFile::Home(*home, module.as_str())),
        );
        files
    }

    /// The API's files in the test-support crate.
    pub fn index_files(&self) -> Vec<ApiFile<'a>> {
        vec![ApiFile::OperationIndex, ApiFile::SchemaIndex]
    }

    pub fn emit(&self, file: ApiFile) -> EmittedFile {
        let (model, names, features) = (self.model, self.names, self.features);
        match file {
            ApiFile::Module => api_module_file(model, features),
            ApiFile::Operations(file) => {
                operations::operation_file(model, names, features, self.api, file)
            }
            ApiFile::Types => types_module_file(model, names, features),
            ApiFile::Consts => consts_file(model, names),
            ApiFile::Home(home, module) => {
                let mut emitter = FileEmitter::new(model, names, Some(features), home);
                emitter.serde_impls = self.api.serde_impls;
                EmittedFile {
                    path: format!("types/{module}.rs"),
                    tokens: emitter.home_file(),
                    inner_doc: Vec::new(),
                }
            }
            ApiFile::SchemaIndex => schema_index_file(model, names, self.api),
            ApiFile::OperationIndex => operation_index_file(model, names, self.api),
            ApiFile::Webhook(webhooks) => webhook::webhook_file(webhooks, names),
        }
    }
}

fn api_module_file(model: &ApiModel, features: &Features) -> EmittedFile {
    let mut inner_doc = vec![format!("{} (version {})", model.title, model.version)];
    if let Some(description) = &model.description {
        inner_doc.push(String::new());
        inner_doc.extend(doc_lines(description));
    }
    let webhook = model.webhooks.as_ref().map(|webhooks| {
        let cfg = cfg_attr(&features.union_of([webhooks.event]));
        let module = format_ident!("{}", webhook::WEBHOOK_MODULE);
        quote! {
            #cfg
            pub mod #module;
        }
    });
    let connection = (!model.channels.is_empty()).then(|| quote!(Connection, Receiver, Sender,));
    EmittedFile {
        path: "mod.rs".to_owned(),
        tokens: quote! {
            #[allow(deprecated)]
            pub mod types;
            #[allow(deprecated)]
            pub mod operations;
            #[allow(deprecated)]
            mod client;
            pub use client::{servers, ByteStream, Call, Client, #connection Error, ErrorBody, EventStream, JsonStream};
            #webhook
        },
        inner_doc,
    }
}

fn types_module_file(model: &ApiModel, names: &Names, features: &Features) -> EmittedFile {
    let mut items = vec![quote! { pub mod consts; }];
    for (home, module) in &names.modules {
        let module_ident = format_ident!("{}", module);
        let in_home: Vec<TypeId> = (0..model.types.len())
            .map(TypeId)
            .filter(|id| model.types[id.0].home == *home)
            .collect();
        let file_gate = features.union_of(in_home.iter().copied());
        let cfg = cfg_attr(&file_gate);
        let (whole_file, own_gate): (Vec<TypeId>, Vec<TypeId>) = in_home
            .iter()
            .partition(|id| features.covers(&features.types[id.0], &file_gate));
        let exported: Vec<_> = whole_file
            .iter()
            .map(|id| format_ident!("{}", names.types[id.0]))
            .collect();
        let whole_file_exports = (!exported.is_empty()).then(|| {
            quote! {
                #cfg
                pub use #module_ident::{#(#exported),*};
            }
        });
        let gated_exports = own_gate.iter().map(|id| {
            let cfg = cfg_attr(&features.types[id.0]);
            let name = format_ident!("{}", names.types[id.0]);
            quote! {
                #cfg
                pub use #module_ident::#name;
            }
        });
        items.push(quote! {
            #cfg
            mod #module_ident;
            #whole_file_exports
            #(#gated_exports)*
        });
    }
    EmittedFile {
        path: "types/mod.rs".to_owned(),
        tokens: quote! { #(#items)* },
        inner_doc: vec![
            "Every schema of the API as a Rust type: one file per component schema, with the"
                .to_owned(),
            "types of its inline schemas beside it. Each file is compiled under the Cargo"
                .to_owned(),
            "features whose operations use its types.".to_owned(),
        ],
    }
}

fn consts_file(model: &ApiModel, names: &Names) -> EmittedFile {
    let items = model.consts.iter().map(|value| {
        let name = format_ident!("{}", names.consts[value]);
        let doc = format!(" Always `{value:?}`.");
        quote! {
            #[doc = #doc]
            #[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Default)]
            pub enum #name {
                #[default]
                #[doc = #doc]
                #name,
            }

            impl #name {
                /// The value as it is sent on the wire.
                #[inline]
                pub fn as_str(&self) -> &'static str {
                    #value
                }
            }

            impl Serialize for #name {
                fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
                    serializer.serialize_str(#value)
                }
            }

            impl<'de> Deserialize<'de> for #name {
                fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
                    api_runtime::strings::deserialize_const(deserializer, #value).map(|()| Self::#name)
                }
            }
        }
    });
    let imports = (!model.consts.is_empty()).then(|| {
        quote!(
            use serde::{Deserialize, Deserializer, Serialize, Serializer};
        )
    });
    EmittedFile {
        path: "types/consts.rs".to_owned(),
        tokens: quote! {
            #imports
            #(#items)*
        },
        inner_doc: vec![
            "One-value types for the spec's string `const`s. Each has a single variant and"
                .to_owned(),
            "`Default`, so a request never needs to spell the constant out.".to_owned(),
        ],
    }
}

fn schema_index_file(model: &ApiModel, names: &Names, api: &ApiIdentity) -> EmittedFile {
    let mut emitter = FileEmitter::new(model, names, None, TypeId(usize::MAX));
    emitter.types_path = api.types_path();
    emitter.uses.insert("Value");
    let examples = round_trip_fn(
        &mut emitter,
        &model.example_sites,
        quote!(round_trip_example),
        "has no examples",
    );
    let responses = round_trip_fn(
        &mut emitter,
        &model.response_sites,
        quote!(round_trip_response),
        "is not a response body the client decodes",
    );
    let imports = emitter.imports();
    let some_sites = !model.example_sites.is_empty() || !model.response_sites.is_empty();
    let runtime_import = some_sites.then(|| {
        quote!(
            use api_runtime::examples::round_trip;
        )
    });
    EmittedFile {
        path: "schema_index.rs".to_owned(),
        tokens: quote! {
            #imports
            #runtime_import
            #examples
            #responses
        },
        inner_doc: vec![
            "For tests: the generated type of every schema that carries `example` or".to_owned(),
            "`examples`, and of every JSON response body, by the schema's JSON pointer.".to_owned(),
        ],
    }
}

/// `pub fn NAME(pointer, value)`: decodes `value` as the type of the site
/// at `pointer` and encodes it again; `None` for any other pointer.
fn round_trip_fn(
    emitter: &mut FileEmitter,
    sites: &[ExampleSite],
    name: TokenStream,
    other_pointers: &str,
) -> TokenStream {
    let mut seen = BTreeSet::new();
    let arms: Vec<TokenStream> = sites
        .iter()
        .filter(|site| seen.insert(site.pointer.clone()))
        .map(|site| {
            let pointer = &site.pointer;
            let ty = emitter.type_tokens(&site.ty);
            quote! { #pointer => round_trip::<#ty>, }
        })
        .collect();
    let body = if arms.is_empty() {
        quote! {
            let _ = (pointer, value);
            None
        }
    } else {
        quote! {
            let round_trip_as: fn(Value) -> Result<Value, String> = match pointer {
                #(#arms)*
                _ => return None,
            };
            Some(round_trip_as(value))
        }
    };
    let doc = format!(
        " Decodes `value` as the type generated for the schema at `pointer` and encodes it again; `None` for a pointer that {other_pointers}."
    );
    quote! {
        #[doc = #doc]
        pub fn #name(pointer: &str, value: Value) -> Option<Result<Value, String>> {
            #body
        }
    }
}
