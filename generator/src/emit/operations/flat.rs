//! A flattened body's part of its call (see `naming::bodies`): the body's
//! required fields as the method's arguments, passed on to the body
//! struct's `new`, and its optional fields as setters on the builder that
//! pass their value on to the body's own setters.

use proc_macro2::TokenStream;
use quote::{format_ident, quote};

use crate::emit::conversions::{self, SetterField};
use crate::emit::tokens::type_path;
use crate::model::ir::*;
use crate::naming::Names;

/// The body struct of a flattened call.
pub(super) struct FlatBody<'a> {
    pub(super) id: TypeId,
    pub(super) def: &'a StructDef,
    pub(super) idents: &'a [String],
    pub(super) names: &'a Names,
    /// An optional body: the builder holds `Option<Body>`, unset until a
    /// setter or `body` gives it.
    pub(super) optional: bool,
}

impl<'a> FlatBody<'a> {
    pub(super) fn of(
        id: TypeId,
        body: &BodyDef,
        types: &'a [TypeDef],
        names: &'a Names,
    ) -> Option<Self> {
        let TypeKind::Struct(def) = &types[id.0].kind else {
            return None;
        };
        Some(FlatBody {
            id,
            def,
            idents: names.fields.get(&id)?,
            names,
            optional: !body.required,
        })
    }

    /// `types::TheBody`.
    pub(super) fn type_tokens(&self) -> TokenStream {
        type_path(&TypeRef::Named(self.id), self.names)
    }

    /// The builder field's type: the body, or `Option` of it.
    pub(super) fn field_type(&self) -> TokenStream {
        let ty = self.type_tokens();
        if self.optional {
            quote!(Option<#ty>)
        } else {
            ty
        }
    }

    /// Turns the bound `body` of the builder into what `send` attaches: a
    /// reference, or an `Option` of one.
    pub(super) fn borrow(&self) -> TokenStream {
        if self.optional {
            quote!(let body = body.as_ref();)
        } else {
            quote!(let body = &body;)
        }
    }

    /// The fields `new` takes, in its order.
    pub(super) fn required(&self) -> impl Iterator<Item = (&'a FieldDef, &'a String)> {
        self.def
            .fields
            .iter()
            .zip(self.idents)
            .filter(|(field, _)| field.is_constructor_argument())
    }

    fn optional_fields(&self) -> Vec<SetterField<'a>> {
        self.def
            .fields
            .iter()
            .zip(self.idents)
            .filter(|(field, _)| !field.required && !field.is_fixed_const())
            .map(|(field, ident)| SetterField { field, ident })
            .collect()
    }

    /// `(ident: impl Into<..>)` per required field, as `new` takes them.
    pub(super) fn arguments(&self) -> Vec<TokenStream> {
        self.required()
            .map(|(field, ident)| {
                let ident = format_ident!("{}", ident);
                let ty = if field.nullable {
                    let ty = type_path(&field.ty, self.names);
                    quote!(impl Into<Option<#ty>>)
                } else {
                    let (param, _) =
                        conversions::input(&field.ty, &ident, &mut |ty| type_path(ty, self.names));
                    param
                };
                quote!(#ident: #ty)
            })
            .collect()
    }

    /// `types::TheBody::new(a, b)`, or `None` for an optional body.
    pub(super) fn construct(&self) -> TokenStream {
        if self.optional {
            return quote!(None);
        }
        let ty = self.type_tokens();
        let args = self.required().map(|(_, ident)| format_ident!("{}", ident));
        quote!(#ty::new(#(#args),*))
    }

    /// The builder's setters for the optional fields, and `body` to give
    /// the whole body as a value.
    pub(super) fn setters(&self) -> TokenStream {
        let fields = self.optional_fields();
        let optional = self.optional;
        let assign = |call: TokenStream| {
            if optional {
                quote!(self.body = Some(self.body.take().unwrap_or_default().#call))
            } else {
                quote!(self.body = self.body.#call)
            }
        };
        let forwarding =
            conversions::forwarding_setters(&fields, &mut |ty| type_path(ty, self.names), &assign);
        let ty = self.type_tokens();
        let whole = if optional {
            quote!(Some(body))
        } else {
            quote!(body)
        };
        quote! {
            #forwarding

            /// Replaces the whole body, the arguments and setters given so
            /// far included, with a value built beforehand.
            pub fn body(mut self, body: #ty) -> Self {
                self.body = #whole;
                self
            }
        }
    }

    /// The arguments of the call for a body given as a value `body` (the
    /// contract index): its required fields, as `new` would take them.
    pub(super) fn arguments_from_value(&self) -> Vec<TokenStream> {
        self.required()
            .map(|(field, ident)| {
                let ident = format_ident!("{}", ident);
                let copied = matches!(
                    field.ty,
                    TypeRef::Integer(_) | TypeRef::Number(_) | TypeRef::Boolean
                );
                match (field.boxed, field.nullable) {
                    (true, true) => quote!(body.#ident.clone().map(|value| *value)),
                    (true, false) => quote!(*body.#ident.clone()),
                    (false, false) if copied => quote!(body.#ident),
                    _ => quote!(body.#ident.clone()),
                }
            })
            .collect()
    }
}
