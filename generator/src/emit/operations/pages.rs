//! The glue of a paging operation: `api_runtime::Paged` (and `Listed`,
//! when its page has one list) for its request builder, saying how to read
//! a page's position fields and set the next position, and the builder's
//! `.pages()` and `.items()`. The streams themselves are the runtime's.

use proc_macro2::{Ident, TokenStream};
use quote::{format_ident, quote};

use crate::emit::tokens::type_path;
use crate::model::ir::*;
use crate::naming::{Names, OperationNames};

pub(super) struct PagingGlue<'a> {
    pub(super) op: &'a Operation,
    pub(super) paging: &'a Paging,
    pub(super) names: &'a OperationNames,
    pub(super) all_names: &'a Names,
    pub(super) types: &'a [TypeDef],
}

impl PagingGlue<'_> {
    /// The impls for the builder `builder`, whose send returns `page`.
    pub(super) fn tokens(&self, builder: &str, page: &TokenStream) -> TokenStream {
        let builder = format_ident!("{}", builder);
        let param = self.param_ident(&self.paging.param);
        let info = self.info();
        let counted = matches!(self.paging.kind, PagingKind::Number | PagingKind::Offset);
        let (seek, start) = if counted {
            let first = self.paging.first;
            let start = if self.paging.kind == PagingKind::Number {
                quote!(api_runtime::Pages::by_number(self, first))
            } else {
                quote!(api_runtime::Pages::by_offset(self, first))
            };
            (
                quote!(position.count()),
                quote! {
                    let first = self.#param.unwrap_or(#first);
                    #start
                },
            )
        } else {
            (
                quote!(position.cursor()),
                quote! {
                    let start = self.#param.clone();
                    api_runtime::Pages::by_cursor(self, start.as_deref())
                },
            )
        };
        let page_size = counted.then(|| self.page_size()).flatten();
        let (listed, items) = self.listed(&builder).unzip();
        let pages_doc = self.pages_doc();
        quote! {
            impl<'a> api_runtime::Paged<'a> for #builder<'a> {
                type Page = #page;
                type Body = ErrorBody;

                #[inline]
                fn fetch(self) -> Call<'a, Self::Page> {
                    self.send()
                }

                #[inline]
                fn info(page: &Self::Page) -> api_runtime::PageInfo<'_> {
                    api_runtime::PageInfo::default() #info
                }

                #[inline]
                fn seek(&mut self, position: api_runtime::Position) {
                    self.#param = #seek;
                }

                #page_size
            }

            #listed

            impl<'a> #builder<'a> {
                #[doc = #pages_doc]
                #[inline]
                pub fn pages(self) -> api_runtime::Pages<'a, Self> {
                    #start
                }

                #items
            }
        }
    }

    fn param_ident(&self, wire_name: &str) -> Ident {
        let index = self
            .op
            .params
            .iter()
            .position(|p| p.location == ParamLocation::Query && p.wire_name == wire_name)
            .expect("the paging pass names a query parameter");
        format_ident!("{}", self.names.params[index])
    }

    /// The page's struct and its fields.
    fn page_struct(&self) -> (TypeId, &[FieldDef]) {
        let ResponseDef::Json(mut ty) = self.op.response.clone() else {
            unreachable!("paging operations answer JSON")
        };
        loop {
            let TypeRef::Named(id) = ty else {
                unreachable!("paging operations answer a struct")
            };
            match &self.types[id.0].kind {
                TypeKind::Struct(def) => return (id, &def.fields),
                TypeKind::Alias(target) => ty = target.clone(),
                _ => unreachable!("paging operations answer a struct"),
            }
        }
    }

    /// `page.<field>` for a field of the page by its wire name.
    fn field(&self, wire_name: &str) -> (Ident, &FieldDef) {
        let (id, fields) = self.page_struct();
        let index = fields
            .iter()
            .position(|f| f.wire_name == wire_name)
            .expect("the paging pass names a field of the page");
        let ident = format_ident!("{}", self.all_names.fields[&id][index]);
        (ident, &fields[index])
    }

    fn info(&self) -> TokenStream {
        let paging = self.paging;
        let setters = [
            (&paging.next_field, quote!(next)),
            (&paging.has_more_field, quote!(has_more)),
            (&paging.total_field, quote!(total)),
            (&paging.items_field, quote!(list)),
        ];
        let calls = setters.into_iter().filter_map(|(field, setter)| {
            let (ident, _) = self.field(field.as_deref()?);
            Some(quote!(.#setter(&page.#ident)))
        });
        quote!(#(#calls)*)
    }

    fn page_size(&self) -> Option<TokenStream> {
        let (wire_name, default) = self.paging.size_param.as_ref()?;
        let ident = self.param_ident(wire_name);
        let value = match default {
            Some(default) => quote!(self.#ident.or(Some(#default))),
            None => quote!(self.#ident),
        };
        Some(quote! {
            #[inline]
            fn page_size(&self) -> Option<u64> {
                #value.and_then(|size| u64::try_from(size).ok())
            }
        })
    }

    /// `Listed` and `.items()`, when the page has one list.
    fn listed(&self, builder: &Ident) -> Option<(TokenStream, TokenStream)> {
        let (ident, field) = self.field(self.paging.items_field.as_deref()?);
        let TypeRef::Array(item) = &field.ty else {
            unreachable!("the paging pass takes lists only")
        };
        let item = type_path(item, self.all_names);
        let listed = quote! {
            impl<'a> api_runtime::Listed<'a> for #builder<'a> {
                type Item = #item;

                #[inline]
                fn items(page: Self::Page) -> Vec<Self::Item> {
                    api_runtime::ListField::into_items(page.#ident)
                }
            }
        };
        let doc = format!(
            " The `{}` of every page, one by one (see [`pages`](Self::pages)).",
            field.wire_name
        );
        let items = quote! {
            #[doc = #doc]
            #[inline]
            pub fn items(self) -> api_runtime::Items<'a, Self> {
                api_runtime::Items::new(self.pages())
            }
        };
        Some((listed, items))
    }

    fn pages_doc(&self) -> String {
        let paging = self.paging;
        let how = match (&paging.next_field, paging.kind) {
            (Some(next), _) => format!("`{}` set to each page's `{next}`", paging.param),
            (None, PagingKind::Offset) => {
                format!("`{}` advanced by each page's items", paging.param)
            }
            (None, _) => format!("`{}` counted up by one", paging.param),
        };
        let mut doc = format!(
            " Every page of this listing, fetched as the stream is polled: the request is sent again with {how}, everything else unchanged, until the server says there is no more. An error ends the stream."
        );
        if paging.first_assumed {
            doc.push_str(&format!(
                " The document declares no first `{}`; {} is assumed unless you set one.",
                paging.param, paging.first
            ));
        }
        doc
    }
}
