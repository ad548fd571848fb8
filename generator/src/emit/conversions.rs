//! Conversions of generated types, so that callers never wrap a value: the
//! runtime's macro invocations for string enums and unions, and the setters
//! and constructor arguments that take `impl Into<T>`.
//!
//! Everything here takes what it needs as arguments (type tokens come from
//! the caller's `type_tokens`), so the file depends on nothing of `types.rs`.

use std::collections::BTreeSet;

use proc_macro2::{Ident, TokenStream};
use quote::{format_ident, quote};

use crate::model::ir::*;

/// `From<&str>`, `From<String>`, `FromStr` and `Display`, from the runtime.
pub(super) fn string_enum_conversions(name: &Ident) -> TokenStream {
    quote! { api_runtime::string_enum_conversions!(#name); }
}

/// `From<Member>` for each variant whose member is a Rust type no other
/// variant holds (after following aliases), and which is not the union
/// itself; `None` when no variant qualifies.
pub(super) fn union_conversions(
    model: &ApiModel,
    union: TypeId,
    name: &Ident,
    def: &UnionDef,
    idents: &[Ident],
    member_tokens: &[TokenStream],
) -> Option<TokenStream> {
    let resolved: Vec<&TypeRef> = def
        .variants
        .iter()
        .map(|variant| resolve_alias(model, &variant.ty))
        .collect();
    let (mut plain, mut boxed, mut text) = (Vec::new(), Vec::new(), None);
    let unique = def
        .variants
        .iter()
        .zip(idents)
        .zip(member_tokens)
        .zip(&resolved)
        .filter(|(_, ty)| ***ty != TypeRef::Named(union))
        .filter(|(_, ty)| resolved.iter().filter(|other| *other == *ty).count() == 1);
    for (((variant, ident), tokens), ty) in unique {
        if variant.boxed {
            boxed.push(quote!(#ident(#tokens)));
            continue;
        }
        if **ty == TypeRef::String {
            text = Some(quote! { api_runtime::union_str_conversion!(#name, #ident); });
        }
        plain.push(quote!(#ident(#tokens)));
    }
    if text.is_none() {
        text = enum_text_conversion(model, name, def, idents, &resolved);
    }
    let plain = (!plain.is_empty())
        .then(|| quote! { api_runtime::union_conversions!(#name, #(#plain),*); });
    let boxed = (!boxed.is_empty())
        .then(|| quote! { api_runtime::union_boxed_conversions!(#name, #(#boxed),*); });
    (plain.is_some() || boxed.is_some()).then(|| quote!(#plain #boxed #text))
}

/// `From<&str>`/`From<String>` through the union's one string-enum member,
/// when no member is a plain string and exactly one is a string enum.
fn enum_text_conversion(
    model: &ApiModel,
    name: &Ident,
    def: &UnionDef,
    idents: &[Ident],
    resolved: &[&TypeRef],
) -> Option<TokenStream> {
    let is_string_enum = |ty: &TypeRef| match ty {
        TypeRef::Named(id) => matches!(model.types[id.0].kind, TypeKind::StringEnum(_)),
        _ => false,
    };
    let mut enums = def
        .variants
        .iter()
        .zip(idents)
        .zip(resolved)
        .filter(|((variant, _), ty)| !variant.boxed && is_string_enum(ty));
    let ((_, ident), _) = enums.next()?;
    if enums.next().is_some() || resolved.iter().any(|ty| **ty == TypeRef::String) {
        return None;
    }
    Some(quote! { api_runtime::union_enum_text_conversions!(#name, #ident); })
}

/// The type behind any chain of aliases.
fn resolve_alias<'m>(model: &'m ApiModel, ty: &'m TypeRef) -> &'m TypeRef {
    let mut ty = ty;
    while let TypeRef::Named(id) = ty {
        match &model.types[id.0].kind {
            TypeKind::Alias(target) => ty = target,
            _ => break,
        }
    }
    ty
}

/// How a value of `ty` is taken by a setter or constructor: the parameter
/// type and the expression that turns the argument `value` into the
/// field's type.
/// Strings and the items and values of lists and maps of strings take
/// anything `Into<String>`; lists and maps of other types take their items
/// as they are, so that `[]` and `vec![]` still infer.
pub(super) fn input(
    ty: &TypeRef,
    value: &Ident,
    type_tokens: &mut dyn FnMut(&TypeRef) -> TokenStream,
) -> (TokenStream, TokenStream) {
    match ty {
        TypeRef::Array(item) if **item == TypeRef::String => (
            quote!(impl IntoIterator<Item = impl Into<String>>),
            quote!(#value.into_iter().map(Into::into).collect()),
        ),
        TypeRef::Array(item) => {
            let item = type_tokens(item);
            (
                quote!(impl IntoIterator<Item = #item>),
                quote!(#value.into_iter().collect()),
            )
        }
        TypeRef::Map(item) if **item == TypeRef::String => (
            quote!(impl IntoIterator<Item = (impl Into<String>, impl Into<String>)>),
            quote!(#value.into_iter().map(|(k, v)| (k.into(), v.into())).collect()),
        ),
        TypeRef::Map(item) => {
            let item = type_tokens(item);
            (
                quote!(impl IntoIterator<Item = (impl Into<String>, #item)>),
                quote!(#value.into_iter().map(|(k, v)| (k.into(), v)).collect()),
            )
        }
        other => {
            let ty = type_tokens(other);
            (quote!(impl Into<#ty>), quote!(#value.into()))
        }
    }
}

/// A field a setter is emitted for.
pub(super) struct SetterField<'a> {
    pub(super) field: &'a FieldDef,
    pub(super) ident: &'a str,
}

/// Methods of a struct that a setter must not shadow: its own, and those of
/// the traits it derives (an inherent `default(self, ..)` would hide
/// `Default::default` from `Type::default()`).
const STRUCT_METHODS: [&str; 7] = ["new", "to_form", "clone", "default", "eq", "fmt", "ne"];

/// Chained setters for the optional fields of a struct (`Nullable` is
/// imported by the file wherever a field has that type): `field(value)` sets
/// a value (wrapped in `Some`, `Nullable::Value` and `Box` as the field
/// needs), and `field_null()` an explicit `null` where the field is
/// nullable. A setter whose name is taken (by a method, or a `_null` setter
/// by a field of that name) gets a `set_` prefix.
pub(super) fn setters(
    fields: &[SetterField],
    type_tokens: &mut dyn FnMut(&TypeRef) -> TokenStream,
) -> TokenStream {
    let mut out = TokenStream::new();
    for (SetterField { field, ident }, (name, null)) in fields.iter().zip(setter_names(fields)) {
        let field_ident = format_ident!("{}", ident);
        let (param, mut convert) = input(&field.ty, &format_ident!("value"), type_tokens);
        if field.boxed {
            convert = quote!(Box::new(#convert));
        }
        let doc = format!(" Sets `{}`.", field.wire_name);
        let set = if field.nullable {
            quote!(Nullable::Value(#convert))
        } else {
            quote!(Some(#convert))
        };
        out.extend(quote! {
            #[doc = #doc]
            pub fn #name(mut self, value: #param) -> Self {
                self.#field_ident = #set;
                self
            }
        });
        if let Some(null) = null {
            out.extend(null_setter(
                field,
                &null,
                quote!(self.#field_ident = Nullable::Null),
            ));
        }
    }
    out
}

/// The same setters on a request builder, each passing its value on to
/// the builder's body (a struct with the [`setters`] above): `assign` turns
/// the body's setter call (`name(value)`) into the statement that applies it.
pub(super) fn forwarding_setters(
    fields: &[SetterField],
    type_tokens: &mut dyn FnMut(&TypeRef) -> TokenStream,
    assign: &dyn Fn(TokenStream) -> TokenStream,
) -> TokenStream {
    let mut out = TokenStream::new();
    for (SetterField { field, .. }, (name, null)) in fields.iter().zip(setter_names(fields)) {
        let (param, _) = input(&field.ty, &format_ident!("value"), type_tokens);
        let docs = crate::emit::docs::doc_attrs(&field.docs, None);
        let set = assign(quote!(#name(value)));
        out.extend(quote! {
            #docs
            pub fn #name(mut self, value: #param) -> Self {
                #set;
                self
            }
        });
        if let Some(null) = null {
            out.extend(null_setter(field, &null, assign(quote!(#null()))));
        }
    }
    out
}

/// `field_null()`, which does `assign`.
fn null_setter(field: &FieldDef, name: &Ident, assign: TokenStream) -> TokenStream {
    let doc = format!(" Sets `{}` to an explicit `null`.", field.wire_name);
    quote! {
        #[doc = #doc]
        #[inline]
        pub fn #name(mut self) -> Self {
            #assign;
            self
        }
    }
}

/// Each field's setter name, and its `_null` setter's for a nullable field.
/// A name that is taken (by a method, or a `_null` setter by a field of
/// that name) gets a `set_` prefix.
fn setter_names(fields: &[SetterField]) -> Vec<(Ident, Option<Ident>)> {
    let methods: BTreeSet<String> = STRUCT_METHODS.into_iter().map(str::to_owned).collect();
    let mut taken = methods.clone();
    taken.extend(fields.iter().map(|f| f.ident.to_owned()));
    fields
        .iter()
        .map(|SetterField { field, ident }| {
            let name = method_name(ident, &methods);
            let null = field.nullable.then(|| {
                let bare = ident.trim_start_matches("r#").trim_end_matches('_');
                let null = method_name(&format!("{bare}_null"), &taken);
                taken.insert(null.to_string());
                null
            });
            (name, null)
        })
        .collect()
}

/// `candidate`, or `set_candidate` when `candidate` is taken.
fn method_name(candidate: &str, taken: &BTreeSet<String>) -> Ident {
    if taken.contains(candidate) {
        format_ident!("set_{}", candidate.trim_start_matches("r#"))
    } else {
        format_ident!("{}", candidate)
    }
}
