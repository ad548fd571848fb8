//! Stage 2 (pass): which operations page through a list, and how, read
//! from their optional query parameters and the fields of their JSON
//! response (no list of operations by hand):
//!
//! | kind | parameter | response |
//! |---|---|---|
//! | cursor | string `P` or `last_X` | string `next_P` / `next_X` |
//! | after item | string `start_after_X` | string `last_X` |
//! | page token | string `P` | string `P` |
//! | page number | integer `page` | a list, `has_more` or a total |
//! | offset | integer `offset` or `skip` | a list, `has_more` or a total |
//!
//! Alongside: `has_more`, a total (`total`, `total_count`), the page size
//! parameter (`page_size`, `limit`, `per_page`) and the one list of items.
//! Operations that look like lists (their response says `has_more`, or
//! they take a paging parameter) but match no row are reported.

use crate::model::ir::*;

const SIZE_PARAMS: [&str; 3] = ["page_size", "limit", "per_page"];
const TOTAL_FIELDS: [&str; 2] = ["total", "total_count"];
const NUMBER_PARAMS: [&str; 1] = ["page"];
const OFFSET_PARAMS: [&str; 2] = ["offset", "skip"];
const HAS_MORE: &str = "has_more";

/// Sets [`Operation::paging`] on every operation that pages and lists the
/// list-like ones that could not be classified.
pub fn detect_paging(model: &mut ApiModel) {
    let mut unclassified = Vec::new();
    for op in &mut model.operations {
        let fields = response_fields(&model.types, &op.response);
        match classify(op, fields) {
            Ok(paging) => op.paging = paging,
            Err(reason) => unclassified.push(UnclassifiedList {
                method: op.method.clone(),
                path: op.path.clone(),
                reason,
            }),
        }
    }
    model.unclassified_lists = unclassified;
}

/// The fields of a JSON response that is a struct (through aliases).
fn response_fields<'m>(types: &'m [TypeDef], response: &ResponseDef) -> &'m [FieldDef] {
    let ResponseDef::Json(mut ty) = response.clone() else {
        return &[];
    };
    for _ in 0..types.len() {
        let TypeRef::Named(id) = ty else {
            return &[];
        };
        match &types[id.0].kind {
            TypeKind::Struct(def) => return &def.fields,
            TypeKind::Alias(target) => ty = target.clone(),
            _ => return &[],
        }
    }
    &[]
}

/// `Ok(None)`: not a list; `Err`: a list whose paging is not understood.
fn classify(op: &Operation, fields: &[FieldDef]) -> Result<Option<Paging>, String> {
    let page = Page { op, fields };
    let found = page.cursor().or_else(|| page.counted());
    let Some((kind, param, next_field)) = found else {
        return match page.list_like() {
            Some(reason) => Err(reason),
            None => Ok(None),
        };
    };
    if param.required {
        return Err(format!(
            "`{}` pages, but its parameter is required",
            param.wire_name
        ));
    }
    let has_more_field = page.field(HAS_MORE, |t| *t == TypeRef::Boolean);
    let total_field = TOTAL_FIELDS
        .iter()
        .find_map(|name| page.field(name, |t| matches!(t, TypeRef::Integer(_))));
    let items_field = page.items();
    let counted = matches!(kind, PagingKind::Number | PagingKind::Offset);
    if counted && items_field.is_none() && has_more_field.is_none() {
        return Err(format!(
            "`{}` pages, but neither one list nor `has_more` tells the last page",
            param.wire_name
        ));
    }
    let (first, first_assumed) = first_position(kind, param);
    Ok(Some(Paging {
        kind,
        param: param.wire_name.clone(),
        next_field,
        has_more_field,
        total_field,
        size_param: page.size_param(),
        items_field,
        first,
        first_assumed,
    }))
}

/// Where a counted listing starts when the caller sets nothing: the
/// declared default, else the minimum, else 1 for pages (assumed: one-based
/// is the common reading) and 0 for offsets.
fn first_position(kind: PagingKind, param: &ParamDef) -> (i64, bool) {
    let declared = param
        .docs
        .default
        .as_ref()
        .and_then(|v| v.as_i64())
        .or(param.minimum);
    match (declared, kind) {
        (Some(first), _) => (first, false),
        (None, PagingKind::Number) => (1, true),
        (None, _) => (0, false),
    }
}

struct Page<'a> {
    op: &'a Operation,
    fields: &'a [FieldDef],
}

impl<'a> Page<'a> {
    fn query(&self) -> impl Iterator<Item = &'a ParamDef> {
        self.op
            .params
            .iter()
            .filter(|p| p.location == ParamLocation::Query)
    }

    fn field(&self, name: &str, accepts: impl Fn(&TypeRef) -> bool) -> Option<String> {
        self.fields
            .iter()
            .find(|f| f.wire_name == name && accepts(&f.ty))
            .map(|f| f.wire_name.clone())
    }

    fn string_field(&self, name: &str) -> Option<String> {
        self.field(name, |t| *t == TypeRef::String)
    }

    /// The cursor kinds: a string parameter and the response field that
    /// carries its next value.
    fn cursor(&self) -> Option<(PagingKind, &'a ParamDef, Option<String>)> {
        self.query()
            .filter(|p| p.ty == TypeRef::String)
            .find_map(|param| {
                let name = param.wire_name.as_str();
                let stem = name.strip_prefix("last_").unwrap_or(name);
                if let Some(next) = self.string_field(&format!("next_{stem}")) {
                    return Some((PagingKind::Cursor, param, Some(next)));
                }
                if let Some(item) = name.strip_prefix("start_after_") {
                    if let Some(last) = self.string_field(&format!("last_{item}")) {
                        return Some((PagingKind::AfterItem, param, Some(last)));
                    }
                }
                let token = self.string_field(name).filter(|_| name.contains("token"))?;
                Some((PagingKind::Token, param, Some(token)))
            })
    }

    /// Page numbers and offsets: an integer parameter by its name.
    fn counted(&self) -> Option<(PagingKind, &'a ParamDef, Option<String>)> {
        self.query()
            .filter(|p| p.ty == TypeRef::Integer(IntFormat::I64))
            .find_map(|param| {
                let name = param.wire_name.as_str();
                if NUMBER_PARAMS.contains(&name) {
                    Some((PagingKind::Number, param, None))
                } else if OFFSET_PARAMS.contains(&name) {
                    Some((PagingKind::Offset, param, None))
                } else {
                    None
                }
            })
    }

    fn size_param(&self) -> Option<(String, Option<i64>)> {
        self.query()
            .filter(|p| !p.required && p.ty == TypeRef::Integer(IntFormat::I64))
            .find(|p| SIZE_PARAMS.contains(&p.wire_name.as_str()))
            .map(|p| {
                let default = p.docs.default.as_ref().and_then(|v| v.as_i64());
                (p.wire_name.clone(), default)
            })
    }

    /// The page's one list of items; none when it has several (or none).
    fn items(&self) -> Option<String> {
        let mut lists = self
            .fields
            .iter()
            .filter(|f| matches!(f.ty, TypeRef::Array(_)));
        match (lists.next(), lists.next()) {
            (Some(list), None) => Some(list.wire_name.clone()),
            _ => None,
        }
    }

    /// Why an operation that matched no kind still looks like a list.
    fn list_like(&self) -> Option<String> {
        if self.fields.iter().any(|f| f.wire_name == HAS_MORE) {
            return Some(
                "the response says `has_more`, but no query parameter takes the next position"
                    .to_owned(),
            );
        }
        let paging_names = ["cursor", "page_token", "next_page_token"];
        let param = self.query().find(|p| {
            let name = p.wire_name.as_str();
            paging_names.contains(&name)
                || NUMBER_PARAMS.contains(&name)
                || OFFSET_PARAMS.contains(&name)
        })?;
        Some(format!(
            "it takes `{}`, but the response does not say where the next page starts",
            param.wire_name
        ))
    }
}
