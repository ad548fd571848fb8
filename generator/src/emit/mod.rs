//! Stage 4: emit. Turns the named model into Rust token streams, one file
//! per component schema (its inline types beside it), plus the module files
//! that tie them together. Only what differs per API is emitted; shared
//! behaviour comes from the `api-runtime` crate.

use std::collections::{BTreeMap, BTreeSet};

use proc_macro2::{Ident, Literal, TokenStream};
use quote::{format_ident, quote};
use serde_json::Value;

use crate::model::ir::*;
use crate::naming::features::{Features, Gate};
use crate::naming::Names;

mod operations;

pub use operations::{operation_index_file, type_path, ApiIdentity, OperationFile};

/// A file to write: its path relative to the API module directory and its
/// tokens (formatting happens in the next stage).
pub struct EmittedFile {
    pub path: String,
    pub tokens: TokenStream,
    pub inner_doc: Vec<String>,
}

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
            ApiFile::Module => api_module_file(model),
            ApiFile::Operations(file) => {
                operations::operation_file(model, names, features, self.api, file)
            }
            ApiFile::Types => types_module_file(model, names, features),
            ApiFile::Consts => consts_file(model, names),
            ApiFile::Home(home, module) => EmittedFile {
                path: format!("types/{module}.rs"),
                tokens: FileEmitter::new(model, names, Some(features), home).home_file(),
                inner_doc: Vec::new(),
            },
            ApiFile::SchemaIndex => schema_index_file(model, names, self.api),
            ApiFile::OperationIndex => operation_index_file(model, names, self.api),
        }
    }
}

fn api_module_file(model: &ApiModel) -> EmittedFile {
    let mut inner_doc = vec![format!("{} (version {})", model.title, model.version)];
    if let Some(description) = &model.description {
        inner_doc.push(String::new());
        inner_doc.extend(doc_lines(description));
    }
    EmittedFile {
        path: "mod.rs".to_owned(),
        tokens: quote! {
            #[allow(deprecated)]
            pub mod types;
            #[allow(deprecated)]
            pub mod operations;
            #[allow(deprecated)]
            mod client;
            pub use client::{servers, ByteStream, Call, Client, Error, ErrorBody, EventStream};
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
        let exported = whole_file
            .iter()
            .map(|id| format_ident!("{}", names.types[id.0]));
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
            #cfg
            pub use #module_ident::{#(#exported),*};
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
fn gate_items(tokens: TokenStream, cfg: &TokenStream) -> TokenStream {
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
        _ => None,
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

/// Emits the types of one file and remembers what they use.
struct FileEmitter<'a> {
    model: &'a ApiModel,
    names: &'a Names,
    /// Gates for a file of the crate; `None` for files that exist only with
    /// every feature on.
    features: Option<&'a Features>,
    home: TypeId,
    /// The file's own gate, set once its types are known.
    file_gate: Gate,
    /// Whether some types of the file have a gate of their own.
    some_items_gated: bool,
    /// Where the types this file imports live.
    types_path: TokenStream,
    imported_types: BTreeMap<String, TypeId>,
    uses: BTreeSet<&'static str>,
}

impl<'a> FileEmitter<'a> {
    fn new(
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
        }
    }

    fn home_file(&mut self) -> TokenStream {
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
    fn own_gate(&self, id: TypeId) -> Option<TokenStream> {
        let features = self.features?;
        let gate = &features.types[id.0];
        (!features.covers(gate, &self.file_gate)).then(|| cfg_attr(gate))
    }

    /// The candidates this file uses, in the order given.
    fn used_idents(&self, candidates: &[&str]) -> Vec<Ident> {
        candidates
            .iter()
            .filter(|name| self.uses.contains(*name))
            .map(|name| format_ident!("{}", name))
            .collect()
    }

    fn imports(&self) -> TokenStream {
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

    fn type_def(&mut self, id: TypeId, def: &TypeDef) -> TokenStream {
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

    fn struct_def(&mut self, id: TypeId, name: &Ident, def: &StructDef) -> TokenStream {
        self.uses.insert("Serialize");
        self.uses.insert("Deserialize");
        let idents = &self.names.fields[&id];
        // Flattened maps need serde's buffering of unknown keys, so those
        // structs derive both impls; the rest encode and decode through the
        // runtime's shared object writer and reader.
        let derived = def.additional.is_some();
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
        let constructor = (!all_optional).then(|| self.constructor(name, def, idents));
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
            pub struct #name {
                #(#fields)*
            }

            #serde_impls
            #constructor
            #form
        }
    }

    /// `Serialize` through `api_runtime::ser::object`: the fields in order,
    /// optional ones left out when unset, as the derive writes them.
    fn struct_serialize(
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
            if omitted_when_unset(field) {
                quote!(api_runtime::ser::optional(#wire, &self.#ident))
            } else {
                quote!(api_runtime::ser::field(#wire, &self.#ident))
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

    /// `Deserialize` through `api_runtime::de::object`: one slot per field,
    /// filled by wire name, then required fields checked and the others
    /// defaulted. A fraction of the code `#[derive(Deserialize)]` writes.
    fn struct_deserialize(
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
        let object = (!required.is_empty()).then(|| quote!(let object =));
        let unwrap_required = unwrap_required_slots(&required_slots);
        quote! {
            impl<'de> Deserialize<'de> for #name {
                fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
                    #(let mut #slots = None;)*
                    #object api_runtime::de::object(deserializer, #title, &[#(#required),*], #visit)?;
                    #unwrap_required
                    Ok(Self { #(#inits),* })
                }
            }
        }
    }

    /// `new` with the required fields as arguments; the optional ones (and
    /// constants) start at their defaults.
    fn constructor(&mut self, name: &Ident, def: &StructDef, idents: &[String]) -> TokenStream {
        let mut args = Vec::new();
        let mut inits = Vec::new();
        for (field, ident) in def.fields.iter().zip(idents) {
            let ident = format_ident!("{}", ident);
            let is_input = field.required && !field.is_fixed_const();
            if !is_input {
                inits.push(match field.nullable {
                    _ if field.is_fixed_const() => quote!(#ident: Default::default()),
                    false => quote!(#ident: None),
                    true => quote!(#ident: Nullable::Absent),
                });
                continue;
            }
            if field.ty == TypeRef::String && !field.nullable {
                args.push(quote!(#ident: impl Into<String>));
                inits.push(quote!(#ident: #ident.into()));
                continue;
            }
            let mut ty = self.type_tokens(&field.ty);
            if field.nullable {
                ty = quote!(Option<#ty>);
            }
            args.push(quote!(#ident: #ty));
            inits.push(if field.boxed && !field.nullable {
                quote!(#ident: Box::new(#ident))
            } else if field.boxed {
                quote!(#ident: #ident.map(Box::new))
            } else {
                quote!(#ident)
            });
        }
        if def.additional.is_some() {
            let ident = format_ident!("{}", idents.last().expect("named additional field"));
            inits.push(quote!(#ident: Default::default()));
        }
        let allow = (args.len() > 7).then(|| quote!(#[allow(clippy::too_many_arguments)]));
        quote! {
            impl #name {
                /// A value with the required fields given and the optional ones unset.
                #allow
                #[inline]
                pub fn new(#(#args),*) -> Self {
                    Self { #(#inits),* }
                }
            }
        }
    }

    /// How a multipart body becomes a form: files as file parts, every
    /// other field as text (the runtime writes objects as JSON).
    fn to_form(
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
    fn field(&mut self, field: &FieldDef, ident: &str, derived: bool) -> TokenStream {
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
    fn field_type(&mut self, field: &FieldDef) -> TokenStream {
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

    fn string_enum(&mut self, id: TypeId, name: &Ident, values: &[String]) -> TokenStream {
        self.uses
            .extend(["Serialize", "Serializer", "Deserialize", "Deserializer"]);
        let idents: Vec<Ident> = self.names.variants[&id]
            .iter()
            .map(|v| format_ident!("{}", v))
            .collect();
        let (known, catch_all) = idents.split_at(values.len());
        let catch_all = &catch_all[0];
        let value_docs = values.iter().map(|value| format!(" `{value:?}`"));
        quote! {
            #[derive(Debug, Clone, PartialEq, Eq, Hash, PartialOrd, Ord)]
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

            impl<'de> Deserialize<'de> for #name {
                fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
                    match Self::from_wire(api_runtime::strings::deserialize_string(deserializer)?) {
                        Self::#catch_all(value) => {
                            api_runtime::strings::unknown_value(value).map(Self::#catch_all)
                        }
                        known => Ok(known),
                    }
                }
            }
        }
    }

    fn union_def(&mut self, id: TypeId, name: &Ident, def: &UnionDef) -> TokenStream {
        let idents: Vec<Ident> = self.names.variants[&id]
            .iter()
            .map(|v| format_ident!("{}", v))
            .collect();
        let variants: Vec<TokenStream> = def
            .variants
            .iter()
            .zip(&idents)
            .map(|(variant, ident)| {
                let docs = doc_attrs(&variant.docs, None);
                let mut ty = self.type_tokens(&variant.ty);
                if variant.boxed {
                    ty = quote!(Box<#ty>);
                }
                quote! { #docs #ident(#ty), }
            })
            .collect();
        self.uses.insert("Serialize");
        match &def.discriminator {
            None => self.untagged_union(name, &idents, &variants),
            Some(property) => self.tagged_union(name, property, def, &idents, &variants),
        }
    }

    /// A union without a discriminator: the first member that fits exactly
    /// wins, else the first that fits at all (as with serde's `untagged`),
    /// tried on the buffered value by the runtime's `first_fit` rather than
    /// through a derive per union.
    fn untagged_union(
        &mut self,
        name: &Ident,
        idents: &[Ident],
        variants: &[TokenStream],
    ) -> TokenStream {
        self.uses.extend(["Deserialize", "Deserializer", "Value"]);
        let title = name.to_string();
        let count = proc_macro2::Literal::usize_unsuffixed(idents.len());
        quote! {
            #[derive(Debug, Clone, PartialEq, Serialize)]
            #[serde(untagged)]
            pub enum #name {
                #(#variants)*
            }

            impl<'de> Deserialize<'de> for #name {
                fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
                    use api_runtime::union::{first_fit, no_match, try_member, Member};
                    let value = Value::deserialize(deserializer)?;
                    let members: [Member<Self>; #count] = [
                        #(|value| try_member(value).map(Self::#idents),)*
                    ];
                    first_fit(&value, &members).ok_or_else(|| no_match(#title))
                }
            }
        }
    }

    fn tagged_union(
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

    fn type_tokens(&mut self, ty: &TypeRef) -> TokenStream {
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

/// Whether an optional field is left out of the encoded object when unset
/// (constants are always written).
fn omitted_when_unset(field: &FieldDef) -> bool {
    !field.required && !field.is_fixed_const()
}

/// The `#[serde(...)]` attribute of a field of a struct that derives its
/// serde impls, if it needs one.
fn serde_field_attrs(field: &FieldDef, ident: &Ident) -> Option<TokenStream> {
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
    (rename.is_some() || default.is_some() || skip.is_some())
        .then(|| quote!(#[serde(#rename #default #any_json #skip)]))
}

/// Takes the values of required fields out of their slots. The runtime has
/// already reported a missing key, so the `else` only guards against slots
/// that disagree with the list of required keys. One pattern for all of
/// them: a `?` per field costs rustc about a tenth of a large group's build.
fn unwrap_required_slots(slots: &[&Ident]) -> Option<TokenStream> {
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
fn keeps_null_as_json(field: &FieldDef) -> bool {
    field.ty == TypeRef::Json && !field.required && !field.nullable && !field.boxed
}

/// Whether a missing field is an error when decoding. Like serde's derive,
/// a missing `Option` field is `None`, and defaulted fields (optional ones,
/// constants) take their default.
fn decodes_as_required(field: &FieldDef) -> bool {
    field.required
        && !field.nullable
        && !matches!(field.ty, TypeRef::Const(_) | TypeRef::Nullable(_))
}

/// The Rust spelling of a scalar type, the same in every file.
fn scalar_tokens(ty: &TypeRef) -> TokenStream {
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

/// `#[doc]` attributes from a schema's description (or title), its default
/// and, for named types, the JSON pointer it was generated from; plus
/// `#[deprecated]`.
fn doc_attrs(docs: &Docs, pointer: Option<&str>) -> TokenStream {
    let mut lines = Vec::new();
    if let Some(text) = docs.description.as_deref().or(docs.title.as_deref()) {
        lines.extend(doc_lines(text));
    }
    if let Some(default) = &docs.default {
        if !default.is_null() {
            push_paragraph(
                &mut lines,
                format!("Defaults to `{}`.", compact_json(default)),
            );
        }
    }
    if let Some(pointer) = pointer {
        push_paragraph(&mut lines, format!("Schema: `#{pointer}`"));
    }
    let attrs = lines.iter().map(|line| {
        let text = if line.is_empty() {
            String::new()
        } else {
            format!(" {line}")
        };
        let literal = Literal::string(&text);
        quote!(#[doc = #literal])
    });
    let deprecated = docs.deprecated.then(|| quote!(#[deprecated]));
    quote! {
        #(#attrs)*
        #deprecated
    }
}

/// True when a title only repeats the type name (`AgentTransferOp`,
/// `Agent Transfer Op`).
fn same_words(title: &str, name: &str) -> bool {
    let letters = |s: &str| {
        s.chars()
            .filter(|c| c.is_alphanumeric())
            .flat_map(char::to_lowercase)
            .collect::<String>()
    };
    letters(title) == letters(name)
}

fn push_paragraph(lines: &mut Vec<String>, text: String) {
    if !lines.is_empty() {
        lines.push(String::new());
    }
    lines.push(text);
}

fn compact_json(value: &Value) -> String {
    let text = value.to_string();
    if text.len() > 120 {
        format!("{}…", text.chars().take(117).collect::<String>())
    } else {
        text
    }
}

/// Description text as doc lines: trailing spaces trimmed, code fences
/// marked as `text` so rustdoc never compiles them.
pub fn doc_lines(text: &str) -> Vec<String> {
    let mut lines: Vec<String> = text
        .trim()
        .lines()
        .map(|line| {
            let line = line.trim_end();
            match line.trim_start().strip_prefix("```") {
                Some(lang) if !lang.is_empty() && lang.chars().all(|c| c.is_alphanumeric()) => {
                    format!("{}```text", &line[..line.len() - line.trim_start().len()])
                }
                _ => line.to_owned(),
            }
        })
        .collect();
    lines.dedup_by(|a, b| a.is_empty() && b.is_empty());
    lines
}
