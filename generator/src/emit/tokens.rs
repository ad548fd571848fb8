//! What every emitting file shares: the emitted file itself, the API's
//! identity, feature gates as attributes, and how a type reference is
//! spelled.

use proc_macro2::TokenStream;
use quote::{format_ident, quote};

use crate::model::ir::*;
use crate::naming::features::Gate;
use crate::naming::Names;

/// A file to write: its path relative to the API module directory and its
/// tokens (formatting happens in the next stage).
pub struct EmittedFile {
    pub path: String,
    pub tokens: TokenStream,
    pub inner_doc: Vec<String>,
}

/// What the emitted code needs to know about the API beside its model.
pub struct ApiIdentity<'a> {
    /// The API's name in the manifest (`elevenlabs`).
    pub name: &'a str,
    /// Its module in the generated crate.
    pub module: &'a str,
    /// The generated crate's name as Rust spells it (`api_clients`), for the
    /// test-support files outside it.
    pub krate: &'a str,
    /// How its structs implement serde's traits.
    pub serde_impls: SerdeImpls,
}

/// How generated structs implement serde's traits.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum SerdeImpls {
    /// Through the runtime's shared object writer and reader
    /// (`api_runtime::ser`, `api_runtime::de::Decode`); structs with a
    /// flattened map of undeclared properties derive both. What the
    /// committed crate uses: about a third less to compile.
    #[default]
    Runtime,
    /// Every struct derives both, as serde users write them by hand. Only
    /// for comparisons: the twin `scripts/bench-decode-responses.sh`
    /// decodes the same responses into.
    Derived,
}

impl ApiIdentity<'_> {
    /// The API's types module, as the test-support crate names it.
    pub fn types_path(&self) -> TokenStream {
        let krate = format_ident!("{}", self.krate);
        let module = format_ident!("{}", self.module);
        quote!(#krate::#module::types)
    }
}

/// `#[cfg(...)]` for a gate; nothing for [`Gate::Always`].
pub(crate) fn cfg_attr(gate: &Gate) -> TokenStream {
    match gate {
        Gate::Always => TokenStream::new(),
        Gate::Any(list) if list.len() == 1 => {
            let feature = &list[0];
            quote!(#[cfg(feature = #feature)])
        }
        Gate::Any(list) => quote!(#[cfg(any(#(feature = #list),*))]),
    }
}

/// Puts `cfg` on every item of `tokens`.
pub(crate) fn gate_items(tokens: TokenStream, cfg: &TokenStream) -> TokenStream {
    let file: syn::File = syn::parse2(tokens).expect("emitted items parse as a file");
    let items = file.items.into_iter().map(|mut item| {
        if let Some(attrs) = item_attrs(&mut item) {
            attrs.insert(0, syn::parse_quote!(#cfg));
        }
        item
    });
    quote! { #(#items)* }
}

fn item_attrs(item: &mut syn::Item) -> Option<&mut Vec<syn::Attribute>> {
    match item {
        syn::Item::Struct(i) => Some(&mut i.attrs),
        syn::Item::Enum(i) => Some(&mut i.attrs),
        syn::Item::Impl(i) => Some(&mut i.attrs),
        syn::Item::Type(i) => Some(&mut i.attrs),
        syn::Item::Fn(i) => Some(&mut i.attrs),
        syn::Item::Const(i) => Some(&mut i.attrs),
        syn::Item::Use(i) => Some(&mut i.attrs),
        syn::Item::Mod(i) => Some(&mut i.attrs),
        syn::Item::Macro(i) => Some(&mut i.attrs),
        _ => None,
    }
}

/// The Rust spelling of a scalar type, the same in every file.
pub(crate) fn scalar_tokens(ty: &TypeRef) -> TokenStream {
    match ty {
        TypeRef::String => quote!(String),
        TypeRef::Integer(IntFormat::I32) => quote!(i32),
        TypeRef::Integer(IntFormat::I64) => quote!(i64),
        TypeRef::Integer(IntFormat::U32) => quote!(u32),
        TypeRef::Integer(IntFormat::U64) => quote!(u64),
        TypeRef::Number(NumFormat::F32) => quote!(f32),
        TypeRef::Number(NumFormat::F64) => quote!(f64),
        TypeRef::Boolean => quote!(bool),
        other => unreachable!("{other:?} is not a scalar"),
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
