//! The types of one file: structs with their serde impls, string enums,
//! unions and aliases, with the imports and feature gates they need.

use std::collections::{BTreeMap, BTreeSet};

use proc_macro2::{Ident, TokenStream};
use quote::{format_ident, quote};

use super::conversions::{self, SetterField};
use super::docs::{doc_attrs, same_words};
use super::fields::*;
use super::tokens::{cfg_attr, gate_items, scalar_tokens, SerdeImpls};
use crate::model::ir::*;
use crate::naming::features::{Features, Gate};
use crate::naming::Names;

/// Emits the types of one file and remembers what they use.
pub(super) struct FileEmitter<'a> {
    pub(super) model: &'a ApiModel,
    pub(super) names: &'a Names,
    /// Gates for a file of the crate; `None` for files that exist only with
    /// every feature on.
    pub(super) features: Option<&'a Features>,
    pub(super) home: TypeId,
    /// The file's own gate, set once its types are known.
    pub(super) file_gate: Gate,
    /// Whether some types of the file have a gate of their own.
    pub(super) some_items_gated: bool,
    /// Where the types this file imports live.
    pub(super) types_path: TokenStream,
    pub(super) imported_types: BTreeMap<String, TypeId>,
    pub(super) uses: BTreeSet<&'static str>,
    pub(super) serde_impls: SerdeImpls,
}

impl<'a> FileEmitter<'a> {
    pub(super) fn new(
        model: &'a ApiModel,
        names: &'a Names,
        features: Option<&'a Features>,
        home: TypeId,
    ) -> Self {
        FileEmitter {
            model,
            names,
            features,
            home,
            file_gate: Gate::Always,
            some_items_gated: false,
            types_path: quote!(super),
            imported_types: BTreeMap::new(),
            uses: BTreeSet::new(),
            serde_impls: SerdeImpls::Runtime,
        }
    }

    pub(super) fn home_file(&mut self) -> TokenStream {
        let model = self.model;
        let home = self.home;
        let in_home: Vec<TypeId> = (0..model.types.len())
            .map(TypeId)
            .filter(|id| model.types[id.0].home == home)
            .collect();
        if let Some(features) = self.features {
            self.file_gate = features.union_of(in_home.iter().copied());
        }
        let items: Vec<TokenStream> = in_home
            .into_iter()
            .map(|id| {
                let tokens = self.type_def(id, &model.types[id.0]);
                match self.own_gate(id) {
                    Some(cfg) => {
                        self.some_items_gated = true;
                        gate_items(tokens, &cfg)
                    }
                    None => tokens,
                }
            })
            .collect();
        let imports = self.imports();
        quote! {
            #imports
            #(#items)*
        }
    }

    /// The `cfg` a type needs beside its file's, if the file may be compiled
    /// without it.
    pub(super) fn own_gate(&self, id: TypeId) -> Option<TokenStream> {
        let features = self.features?;
        let gate = &features.types[id.0];
        (!features.covers(gate, &self.file_gate)).then(|| cfg_attr(gate))
    }

    /// The candidates this file uses, in the order given.
    pub(super) fn used_idents(&self, candidates: &[&str]) -> Vec<Ident> {
        candidates
            .iter()
            .filter(|name| self.uses.contains(*name))
            .map(|name| format_ident!("{}", name))
            .collect()
    }

    pub(super) fn imports(&self) -> TokenStream {
        let mut out = TokenStream::new();
        // With some items compiled out, what they alone use goes unused.
        let allow = self
            .some_items_gated
            .then(|| quote!(#[allow(unused_imports)]));
        let serde = self.used_idents(&["Deserialize", "Deserializer", "Serialize", "Serializer"]);
        if !serde.is_empty() {
            out.extend(quote! { #allow use serde::{#(#serde),*}; });
        }
        if self.uses.contains("Value") {
            out.extend(quote! { #allow use serde_json::Value; });
        }
        if self.uses.contains("BTreeMap") {
            out.extend(quote! { #allow use std::collections::BTreeMap; });
        }
        let runtime = self.used_idents(&["File", "Nullable", "Timestamp"]);
        if !runtime.is_empty() {
            out.extend(quote! { #allow use api_runtime::{#(#runtime),*}; });
        }
        type Imported<'n> = Vec<(&'n String, &'n TypeId)>;
        let (always, gated): (Imported, Imported) = self
            .imported_types
            .iter()
            .partition(|(_, id)| self.own_gate(**id).is_none());
        let in_module: Vec<Ident> = self
            .uses
            .contains("consts")
            .then(|| format_ident!("consts"))
            .into_iter()
            .chain(always.iter().map(|(name, _)| format_ident!("{}", name)))
            .collect();
        let path = &self.types_path;
        if !in_module.is_empty() {
            out.extend(quote! { #allow use #path::{#(#in_module),*}; });
        }
        for (name, id) in gated {
            let cfg = self.own_gate(*id);
            let name = format_ident!("{}", name);
            out.extend(quote! {
                #cfg
                #[allow(unused_imports)]
                use #path::#name;
            });
        }
        out
    }

    pub(super) fn type_def(&mut self, id: TypeId, def: &TypeDef) -> TokenStream {
        let name = format_ident!("{}", self.names.types[id.0]);
        let mut docs = def.docs.clone();
        if docs
            .title
            .as_deref()
            .is_some_and(|t| same_words(t, &self.names.types[id.0]))
        {
            docs.title = None;
        }
        let docs = doc_attrs(&docs, Some(&def.pointer));
        let body = match &def.kind {
            TypeKind::Struct(s) => self.struct_def(id, &name, s),
            TypeKind::StringEnum(values) => self.string_enum(id, &name, values),
            TypeKind::Union(u) => self.union_def(id, &name, u),
            TypeKind::Alias(target) => {
                let target = self.type_tokens(target);
                quote! { pub type #name = #target; }
            }
        };
        quote! {
            #docs
            #body
        }
    }

    pub(super) fn struct_def(&mut self, id: TypeId, name: &Ident, def: &StructDef) -> TokenStream {
        self.uses.insert("Serialize");
        self.uses.insert("Deserialize");
        let idents = &self.names.fields[&id];
        let derived = self.derives_serde(def);
        let mut fields: Vec<TokenStream> = def
            .fields
            .iter()
            .zip(idents)
            .map(|(field, ident)| self.field(field, ident, derived))
            .collect();
        if let Some(additional) = &def.additional {
            let ident = format_ident!("{}", idents.last().expect("named additional field"));
            self.uses.insert("BTreeMap");
            let value = self.type_tokens(additional);
            fields.push(quote! {
                /// Properties the schema does not declare.
                #[serde(flatten)]
                pub #ident: BTreeMap<String, #value>,
            });
        }
        let all_optional = def.fields.iter().all(|f| !f.required || f.is_fixed_const());
        let default = all_optional.then(|| quote!(Default,));
        let constructor = (!all_optional).then(|| self.constructor(def, idents));
        let setters = self.setters(def, idents);
        let methods = (constructor.is_some() || !setters.is_empty()).then(|| {
            quote! {
                impl #name {
                    #constructor
                    #setters
                }
            }
        });
        let form = self
            .model
            .multipart_bodies
            .iter()
            .find(|body| body.ty == id)
            .map(|body| self.to_form(name, def, idents, &body.json_fields));
        let (derive_serde, serde_impls) = if derived {
            (Some(quote!(Serialize, Deserialize)), None)
        } else {
            let serialize = self.struct_serialize(name, def, idents);
            let deserialize = self.struct_deserialize(name, def, idents);
            (None, Some(quote!(#serialize #deserialize)))
        };
        quote! {
            #[derive(Debug, Clone, PartialEq, #default #derive_serde)]
            #[non_exhaustive]
            pub struct #name {
                #(#fields)*
            }

            #serde_impls
            #methods
            #form
        }
    }

    /// `Serialize` through `api_runtime::ser::object`: the fields in order,
    /// optional ones left out when unset, as the derive writes them.
    pub(super) fn struct_serialize(
        &mut self,
        name: &Ident,
        def: &StructDef,
        idents: &[String],
    ) -> TokenStream {
        self.uses.insert("Serializer");
        let title = name.to_string();
        let fields = def.fields.iter().zip(idents).map(|(field, ident)| {
            let ident = format_ident!("{}", ident);
            let wire = &field.wire_name;
            let value = base64_written(field, &ident).unwrap_or_else(|| quote!(&self.#ident));
            if omitted_when_unset(field) {
                quote!(api_runtime::ser::optional(#wire, #value))
            } else {
                quote!(api_runtime::ser::field(#wire, #value))
            }
        });
        quote! {
            impl Serialize for #name {
                fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
                    api_runtime::ser::object(serializer, #title, &[#(#fields),*])
                }
            }
        }
    }

    /// `Deserialize` through `api_runtime::de::Decode`: one slot per field,
    /// filled by wire name, then required fields checked and the others
    /// defaulted. A fraction of the code `#[derive(Deserialize)]` writes,
    /// in one function that is not generic over the deserializer.
    pub(super) fn struct_deserialize(
        &mut self,
        name: &Ident,
        def: &StructDef,
        idents: &[String],
    ) -> TokenStream {
        self.uses.insert("Deserializer");
        let title = name.to_string();
        let slots: Vec<Ident> = idents
            .iter()
            .take(def.fields.len())
            .map(|ident| format_ident!("{}_", ident.trim_start_matches("r#")))
            .collect();
        let reads = def.fields.iter().zip(&slots).map(|(field, slot)| {
            let wire = &field.wire_name;
            if keeps_null_as_json(field) {
                quote!(#wire => field.read_json(&mut #slot),)
            } else if !field.base64 && self.decodes_directly(&field.ty) {
                quote!(#wire => field.decode(&mut #slot),)
            } else {
                quote!(#wire => field.read(&mut #slot),)
            }
        });
        let (required, required_slots): (Vec<&String>, Vec<&Ident>) = def
            .fields
            .iter()
            .zip(&slots)
            .filter(|(field, _)| decodes_as_required(field))
            .map(|(field, slot)| (&field.wire_name, slot))
            .unzip();
        let inits = def
            .fields
            .iter()
            .zip(idents)
            .zip(&slots)
            .map(|((field, ident), slot)| {
                let ident = format_ident!("{}", ident);
                if let Some(init) = base64_init(field, &ident, slot) {
                    return init;
                }
                if decodes_as_required(field) {
                    quote!(#ident: #slot)
                } else {
                    quote!(#ident: #slot.unwrap_or_default())
                }
            });
        let other = if def.closed {
            quote!(field.undeclared())
        } else {
            quote!(field.skip())
        };
        let visit = if slots.is_empty() {
            quote!(&mut |_, field| #other)
        } else {
            quote! {
                &mut |key, field| match key {
                    #(#reads)*
                    _ => #other,
                }
            }
        };
        let declarations = def.fields.iter().zip(&slots).map(|(field, slot)| {
            base64_slot(field, slot).unwrap_or_else(|| quote!(let mut #slot = None;))
        });
        let object = (!required.is_empty()).then(|| quote!(let object =));
        let unwrap_required = unwrap_required_slots(&required_slots);
        decode_impls(
            name,
            quote! {
                #(#declarations)*
                #object input.object(#title, &[#(#required),*], #visit)?;
                #unwrap_required
                Ok(Self { #(#inits),* })
            },
        )
    }

    /// Whether a struct derives serde's impls. Flattened maps need serde's
    /// buffering of unknown keys, so those structs always do; the rest
    /// encode and decode through the runtime's shared object writer and
    /// reader unless every struct is to derive them.
    fn derives_serde(&self, def: &StructDef) -> bool {
        def.additional.is_some() || self.serde_impls == SerdeImpls::Derived
    }

    /// Whether values of `ty` implement `api_runtime::de::Decode`: string
    /// enums, structs decoded by the runtime (not those deriving
    /// `Deserialize` for a flattened map), and lists, maps and nullable
    /// forms of them.
    fn decodes_directly(&self, ty: &TypeRef) -> bool {
        match ty {
            TypeRef::Named(id) => match &self.model.types[id.0].kind {
                TypeKind::Struct(def) => !self.derives_serde(def),
                TypeKind::Alias(target) => self.decodes_directly(target),
                TypeKind::StringEnum(_) => true,
                TypeKind::Union(_) => false,
            },
            TypeRef::Array(inner) | TypeRef::Map(inner) | TypeRef::Nullable(inner) => {
                self.decodes_directly(inner)
            }
            _ => false,
        }
    }

    /// `new` with the required fields as arguments; the optional ones (and
    /// constants) start at their defaults.
    pub(super) fn constructor(&mut self, def: &StructDef, idents: &[String]) -> TokenStream {
        let mut args = Vec::new();
        let mut inits = Vec::new();
        for (field, ident) in def.fields.iter().zip(idents) {
            let ident = format_ident!("{}", ident);
            let is_input = field.is_constructor_argument();
            if !is_input {
                inits.push(match field.nullable {
                    _ if field.is_fixed_const() => quote!(#ident: Default::default()),
                    false => quote!(#ident: None),
                    true => quote!(#ident: Nullable::Absent),
                });
                continue;
            }
            if field.nullable {
                let ty = self.type_tokens(&field.ty);
                args.push(quote!(#ident: impl Into<Option<#ty>>));
                let boxed = field.boxed.then(|| quote!(.map(Box::new)));
                inits.push(quote!(#ident: #ident.into() #boxed));
                continue;
            }
            let (param, value) = match field.base64 {
                true => (quote!(impl Into<Vec<u8>>), quote!(#ident.into())),
                false => conversions::input(&field.ty, &ident, &mut |ty| self.type_tokens(ty)),
            };
            args.push(quote!(#ident: #param));
            inits.push(if field.boxed {
                quote!(#ident: Box::new(#value))
            } else {
                quote!(#ident: #value)
            });
        }
        if def.additional.is_some() {
            let ident = format_ident!("{}", idents.last().expect("named additional field"));
            inits.push(quote!(#ident: Default::default()));
        }
        let allow = (args.len() > 7).then(|| quote!(#[allow(clippy::too_many_arguments)]));
        quote! {
            /// A value with the required fields given and the optional ones unset.
            #allow
            #[inline]
            pub fn new(#(#args),*) -> Self {
                Self { #(#inits),* }
            }
        }
    }

    /// Chained setters for the optional fields (constants excluded).
    pub(super) fn setters(&mut self, def: &StructDef, idents: &[String]) -> TokenStream {
        let optional: Vec<SetterField> = def
            .fields
            .iter()
            .zip(idents)
            .filter(|(field, _)| omitted_when_unset(field) && !field.base64)
            .map(|(field, ident)| SetterField { field, ident })
            .collect();
        let bytes = def
            .fields
            .iter()
            .zip(idents)
            .filter(|(field, _)| field.base64 && !field.required)
            .map(|(_, ident)| base64_setter(ident));
        let setters = conversions::setters(&optional, &mut |ty| self.type_tokens(ty));
        quote!(#setters #(#bytes)*)
    }

    /// How a multipart body becomes a form: files as file parts, every
    /// other field as text (the runtime writes objects as JSON).
    pub(super) fn to_form(
        &self,
        name: &Ident,
        def: &StructDef,
        idents: &[String],
        json_fields: &[String],
    ) -> TokenStream {
        let parts = def.fields.iter().zip(idents).map(|(field, ident)| {
            let ident = format_ident!("{}", ident);
            let wire = &field.wire_name;
            let call = match &field.ty {
                TypeRef::Binary => quote!(file),
                TypeRef::Array(item) if **item == TypeRef::Binary => quote!(files),
                _ if json_fields.contains(wire) => return quote!(form.json(#wire, &self.#ident);),
                _ => return quote!(form.text(#wire, &self.#ident);),
            };
            match (field.required, field.nullable) {
                (true, false) => quote!(form.#call(#wire, &self.#ident);),
                (false, true) => quote! {
                    if let api_runtime::Nullable::Value(value) = &self.#ident {
                        form.#call(#wire, value);
                    }
                },
                _ => quote! {
                    if let Some(value) = &self.#ident {
                        form.#call(#wire, value);
                    }
                },
            }
        });
        quote! {
            impl #name {
                /// The `multipart/form-data` form this body is sent as.
                #[inline]
                pub fn to_form(&self) -> api_runtime::Form {
                    let mut form = api_runtime::Form::new();
                    #(#parts)*
                    form
                }
            }
        }
    }

    /// A field of a struct. `derived` says whether the struct's serde impls
    /// are serde's derives, which read their instructions from attributes.
    pub(super) fn field(&mut self, field: &FieldDef, ident: &str, derived: bool) -> TokenStream {
        let docs = doc_attrs(&field.docs, None);
        let ident = format_ident!("{}", ident);
        let ty = self.field_type(field);
        let serde = derived.then(|| serde_field_attrs(field, &ident)).flatten();
        quote! {
            #docs
            #serde
            pub #ident: #ty,
        }
    }

    /// The Rust type of a field: optional fields are `Option`, optional
    /// nullable ones `Nullable`, required nullable ones `Option`.
    pub(super) fn field_type(&mut self, field: &FieldDef) -> TokenStream {
        if let Some(bytes) = base64_type(field) {
            return bytes;
        }
        let mut ty = self.type_tokens(&field.ty);
        if field.boxed {
            ty = quote!(Box<#ty>);
        }
        if field.is_fixed_const() {
            return ty;
        }
        match (field.required, field.nullable) {
            (true, false) => ty,
            (true, true) | (false, false) => quote!(Option<#ty>),
            (false, true) => {
                self.uses.insert("Nullable");
                quote!(Nullable<#ty>)
            }
        }
    }

    pub(super) fn string_enum(
        &mut self,
        id: TypeId,
        name: &Ident,
        values: &[String],
    ) -> TokenStream {
        self.uses
            .extend(["Serialize", "Serializer", "Deserialize", "Deserializer"]);
        let idents: Vec<Ident> = self.names.variants[&id]
            .iter()
            .map(|v| format_ident!("{}", v))
            .collect();
        let (known, catch_all) = idents.split_at(values.len());
        let catch_all = &catch_all[0];
        let value_docs = values.iter().map(|value| format!(" `{value:?}`"));
        let conversions = conversions::string_enum_conversions(name);
        let decode = decode_impls(
            name,
            quote! {
                match Self::from_wire(input.string()?) {
                    Self::#catch_all(value) => {
                        api_runtime::strings::unknown_value(value).map(Self::#catch_all)
                    }
                    known => Ok(known),
                }
            },
        );
        quote! {
            #[derive(Debug, Clone, PartialEq, Eq, Hash, PartialOrd, Ord)]
            #[non_exhaustive]
            pub enum #name {
                #(
                    #[doc = #value_docs]
                    #known,
                )*
                /// A value this version of the client does not know yet.
                #catch_all(String),
            }

            impl #name {
                /// The value as it is sent on the wire.
                #[inline]
                pub fn as_str(&self) -> &str {
                    match self {
                        #(Self::#known => #values,)*
                        Self::#catch_all(value) => value,
                    }
                }

                /// The variant for a value from the wire; unknown values are kept.
                #[inline]
                pub fn from_wire(value: String) -> Self {
                    match value.as_str() {
                        #(#values => Self::#known,)*
                        _ => Self::#catch_all(value),
                    }
                }
            }

            impl Serialize for #name {
                fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
                    serializer.serialize_str(self.as_str())
                }
            }

            #decode

            #conversions
        }
    }

    pub(super) fn union_def(&mut self, id: TypeId, name: &Ident, def: &UnionDef) -> TokenStream {
        let idents: Vec<Ident> = self.names.variants[&id]
            .iter()
            .map(|v| format_ident!("{}", v))
            .collect();
        let members: Vec<TokenStream> = def
            .variants
            .iter()
            .map(|v| self.type_tokens(&v.ty))
            .collect();
        let variants: Vec<TokenStream> = def
            .variants
            .iter()
            .zip(&idents)
            .zip(&members)
            .map(|((variant, ident), ty)| {
                let docs = doc_attrs(&variant.docs, None);
                let ty = if variant.boxed {
                    quote!(Box<#ty>)
                } else {
                    ty.clone()
                };
                quote! { #docs #ident(#ty), }
            })
            .collect();
        self.uses.insert("Serialize");
        let union = match &def.discriminator {
            None => self.untagged_union(name, &idents, &variants),
            Some(property) => self.tagged_union(name, property, def, &idents, &variants),
        };
        let conversions =
            conversions::union_conversions(self.model, id, name, def, &idents, &members);
        quote!(#union #conversions)
    }

    /// A union without a discriminator: the first member that fits exactly
    /// wins, else the first that fits at all (as with serde's `untagged`),
    /// tried on the buffered value by the runtime's `first_fit` rather than
    /// through a derive per union. A union named with one variant more than
    /// it has members (a channel's messages decoded by shape) keeps a value
    /// no member takes in that last variant, and there a member that keeps
    /// none of an object's keys does not count (`first_fit_keeping_keys`).
    pub(super) fn untagged_union(
        &mut self,
        name: &Ident,
        idents: &[Ident],
        variants: &[TokenStream],
    ) -> TokenStream {
        self.uses.extend(["Deserialize", "Deserializer", "Value"]);
        let title = name.to_string();
        let (members, catch_all) = idents.split_at(variants.len());
        let count = proc_macro2::Literal::usize_unsuffixed(members.len());
        let (catch_all_variant, decoded) = match catch_all.first() {
            Some(catch_all) => (
                Some(quote! {
                    /// A message of a kind no other variant takes (one added
                    /// upstream, say); kept as it came.
                    #catch_all(Value),
                }),
                quote!(Ok(first_fit_keeping_keys(&value, &members)
                    .unwrap_or_else(|| Self::#catch_all(value)))),
            ),
            None => (
                None,
                quote!(first_fit(&value, &members).ok_or_else(|| no_match(#title))),
            ),
        };
        let imports = if catch_all.is_empty() {
            quote!(
                use api_runtime::union::{first_fit, no_match, try_member, Member};
            )
        } else {
            quote!(
                use api_runtime::union::{first_fit_keeping_keys, try_member, Member};
            )
        };
        quote! {
            #[derive(Debug, Clone, PartialEq, Serialize)]
            #[serde(untagged)]
            #[non_exhaustive]
            pub enum #name {
                #(#variants)*
                #catch_all_variant
            }

            impl<'de> Deserialize<'de> for #name {
                fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
                    #imports
                    let value = Value::deserialize(deserializer)?;
                    let members: [Member<Self>; #count] = [
                        #(|value| try_member(value).map(Self::#members),)*
                    ];
                    #decoded
                }
            }
        }
    }

    pub(super) fn tagged_union(
        &mut self,
        name: &Ident,
        property: &str,
        def: &UnionDef,
        idents: &[Ident],
        variants: &[TokenStream],
    ) -> TokenStream {
        self.uses.insert("Deserialize");
        self.uses.insert("Deserializer");
        self.uses.insert("Value");
        let catch_all = idents.last().expect("tagged unions have a catch-all");
        let arms = def.variants.iter().zip(idents).map(|(variant, ident)| {
            let tags = &variant.tags;
            quote! {
                Some(#(#tags)|*) => decode_member::<_, D>(value).map(Self::#ident),
            }
        });
        let doc =
            format!(" Objects whose `{property}` is none of the known values; kept as they came.");
        quote! {
            #[derive(Debug, Clone, PartialEq, Serialize)]
            #[serde(untagged)]
            #[non_exhaustive]
            pub enum #name {
                #(#variants)*
                #[doc = #doc]
                #catch_all(Value),
            }

            impl<'de> Deserialize<'de> for #name {
                fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
                    use api_runtime::union::{decode_member, read_tagged, unknown_tag};
                    let (tag, value) = read_tagged(deserializer, #property)?;
                    match tag.as_deref() {
                        #(#arms)*
                        _ => unknown_tag(value, #property).map(Self::#catch_all),
                    }
                }
            }
        }
    }

    pub(super) fn type_tokens(&mut self, ty: &TypeRef) -> TokenStream {
        match ty {
            TypeRef::Named(id) => {
                let name = &self.names.types[id.0];
                if self.model.types[id.0].home != self.home {
                    self.imported_types.insert(name.clone(), *id);
                }
                let ident = format_ident!("{}", name);
                quote!(#ident)
            }
            TypeRef::Const(value) => {
                self.uses.insert("consts");
                let ident = format_ident!("{}", self.names.consts[value]);
                quote!(consts::#ident)
            }
            TypeRef::String | TypeRef::Integer(_) | TypeRef::Number(_) | TypeRef::Boolean => {
                scalar_tokens(ty)
            }
            TypeRef::DateTime => {
                self.uses.insert("Timestamp");
                quote!(Timestamp)
            }
            TypeRef::Binary => {
                self.uses.insert("File");
                quote!(File)
            }
            TypeRef::Json => {
                self.uses.insert("Value");
                quote!(Value)
            }
            TypeRef::Array(inner) => {
                let inner = self.type_tokens(inner);
                quote!(Vec<#inner>)
            }
            TypeRef::Map(inner) => {
                self.uses.insert("BTreeMap");
                let inner = self.type_tokens(inner);
                quote!(BTreeMap<String, #inner>)
            }
            TypeRef::Nullable(inner) => {
                let inner = self.type_tokens(inner);
                quote!(Option<#inner>)
            }
        }
    }
}
