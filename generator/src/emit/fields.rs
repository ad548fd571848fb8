//! How a struct field is typed, written and read: the rules the struct
//! emitter (`types.rs`) shares, and the base64 fields of realtime messages
//! (bytes in Rust, base64 text on the wire through
//! `api_runtime::realtime::base64_bytes`).

use proc_macro2::{Ident, TokenStream};
use quote::{format_ident, quote};

use crate::model::ir::*;

/// The runtime's base64 helpers.
fn base64_path() -> TokenStream {
    quote!(api_runtime::realtime::base64_bytes)
}

/// The Rust type of a base64 field: `Vec<u8>`, `Option` when optional.
pub(super) fn base64_type(field: &FieldDef) -> Option<TokenStream> {
    field.base64.then(|| {
        if field.required {
            quote!(Vec<u8>)
        } else {
            quote!(Option<Vec<u8>>)
        }
    })
}

/// The value `Serialize` writes for a base64 field.
pub(super) fn base64_written(field: &FieldDef, ident: &Ident) -> Option<TokenStream> {
    let path = base64_path();
    field.base64.then(|| {
        if field.required {
            quote!(&#path::Encoded(&self.#ident))
        } else {
            quote!(&self.#ident.as_deref().map(#path::Encoded))
        }
    })
}

/// The slot `Deserialize` reads a base64 field into.
pub(super) fn base64_slot(field: &FieldDef, slot: &Ident) -> Option<TokenStream> {
    let path = base64_path();
    field.base64.then(|| {
        if field.required {
            quote!(let mut #slot: Option<#path::Decoded> = None;)
        } else {
            quote!(let mut #slot: Option<Option<#path::Decoded>> = None;)
        }
    })
}

/// The field's value from its slot, once read.
pub(super) fn base64_init(field: &FieldDef, ident: &Ident, slot: &Ident) -> Option<TokenStream> {
    field.base64.then(|| {
        if field.required {
            quote!(#ident: #slot.0)
        } else {
            quote!(#ident: #slot.flatten().map(|bytes| bytes.0))
        }
    })
}

/// The setter of an optional base64 field.
pub(super) fn base64_setter(ident: &str) -> TokenStream {
    let doc = format!(" Sets `{ident}`.");
    let ident = format_ident!("{}", ident);
    quote! {
        #[doc = #doc]
        pub fn #ident(mut self, value: impl Into<Vec<u8>>) -> Self {
            self.#ident = Some(value.into());
            self
        }
    }
}

/// Whether an optional field is left out of the encoded object when unset
/// (constants are always written).
pub(super) fn omitted_when_unset(field: &FieldDef) -> bool {
    !field.required && !field.is_fixed_const()
}

/// The `#[serde(...)]` attribute of a field of a struct that derives its
/// serde impls, if it needs one.
pub(super) fn serde_field_attrs(field: &FieldDef, ident: &Ident) -> Option<TokenStream> {
    let rename = (*ident != field.wire_name).then(|| {
        let wire = &field.wire_name;
        quote!(rename = #wire,)
    });
    let default = (!decodes_as_required(field)).then(|| quote!(default,));
    let any_json = keeps_null_as_json(field)
        .then(|| quote!(deserialize_with = "api_runtime::de::json_or_null",));
    let skip = omitted_when_unset(field).then(|| {
        if field.nullable {
            quote!(skip_serializing_if = "Nullable::is_absent",)
        } else {
            quote!(skip_serializing_if = "Option::is_none",)
        }
    });
    let bytes = field.base64.then(|| match field.required {
        true => quote!(with = "api_runtime::realtime::base64_bytes",),
        false => quote!(with = "api_runtime::realtime::base64_bytes::option",),
    });
    (rename.is_some() || default.is_some() || skip.is_some() || bytes.is_some())
        .then(|| quote!(#[serde(#rename #default #any_json #skip #bytes)]))
}

/// A `Deserialize` that hands over to `api_runtime::de::deserialize`, and
/// the `Decode` whose body reads `input`: how structs and string enums
/// decode.
pub(super) fn decode_impls(name: &Ident, body: TokenStream) -> TokenStream {
    quote! {
        impl<'de> Deserialize<'de> for #name {
            fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
                api_runtime::de::deserialize(deserializer)
            }
        }

        impl api_runtime::de::Decode for #name {
            // Left to the crates that decode the type: compiled here,
            // 1,300 of these added 5 s and 350 MB to the crate's build.
            #[inline]
            fn decode(
                input: api_runtime::de::Input<'_, '_>,
            ) -> Result<Self, api_runtime::de::FieldError> {
                #body
            }
        }
    }
}

/// Takes the values of required fields out of their slots. The runtime has
/// already reported a missing key, so the `else` only guards against slots
/// that disagree with the list of required keys. One pattern for all of
/// them: a `?` per field costs rustc about a tenth of a large group's build.
pub(super) fn unwrap_required_slots(slots: &[&Ident]) -> Option<TokenStream> {
    let (pattern, value) = match slots {
        [] => return None,
        [slot] => (quote!(Some(#slot)), quote!(#slot)),
        slots => (quote!((#(Some(#slots)),*)), quote!((#(#slots),*))),
    };
    Some(quote! {
        let #pattern = #value else {
            return Err(object.incomplete());
        };
    })
}

/// An optional field of any JSON value (`Option<Value>`, not nullable),
/// where a present `null` is kept as `Some(Value::Null)` rather than read
/// as absence: the schema admits `null` as one of its values.
pub(super) fn keeps_null_as_json(field: &FieldDef) -> bool {
    field.ty == TypeRef::Json && !field.required && !field.nullable && !field.boxed
}

/// Whether a missing field is an error when decoding. Like serde's derive,
/// a missing `Option` field is `None`, and defaulted fields (optional ones,
/// constants) take their default.
pub(super) fn decodes_as_required(field: &FieldDef) -> bool {
    field.required
        && !field.nullable
        && !matches!(field.ty, TypeRef::Const(_) | TypeRef::Nullable(_))
}
