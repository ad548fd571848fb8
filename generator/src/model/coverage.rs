//! The coverage report: what a document declares against what was emitted,
//! and every place a schema fell back to `serde_json::Value`.

use std::fmt;

use crate::model::ir::{ApiModel, Fallback, PagingKind, UnclassifiedList};

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Coverage {
    pub api: String,
    pub operations_in_document: usize,
    pub operations_emitted: usize,
    pub schemas_in_document: usize,
    pub schemas_emitted: usize,
    /// All named types, inline ones included.
    pub types_emitted: usize,
    pub fallbacks: Vec<Fallback>,
    /// The operations that page, in document order.
    pub paging: Vec<PagedOperation>,
    /// List-like operations whose paging was not understood.
    pub unclassified_lists: Vec<UnclassifiedList>,
}

/// One operation that pages, for the report.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PagedOperation {
    pub method: String,
    pub path: String,
    pub kind: PagingKind,
    /// Whether the builder gets `.items()` (the page has one list).
    pub items: bool,
}

impl Coverage {
    /// How many operations page in this way.
    pub fn paging_count(&self, kind: PagingKind) -> usize {
        self.paging.iter().filter(|p| p.kind == kind).count()
    }

    fn paging_summary(&self) -> String {
        let kinds = [
            PagingKind::Cursor,
            PagingKind::AfterItem,
            PagingKind::Token,
            PagingKind::Number,
            PagingKind::Offset,
        ];
        let by_kind: Vec<String> = kinds
            .iter()
            .map(|kind| format!("{} {}", self.paging_count(*kind), kind.describe()))
            .collect();
        let items = self.paging.iter().filter(|p| p.items).count();
        format!(
            "  paging: {} operations ({}; {} with .items()), {} list-like unclassified:",
            self.paging.len(),
            by_kind.join(", "),
            items,
            self.unclassified_lists.len(),
        )
    }
}

impl Coverage {
    pub fn of(api: &str, model: &ApiModel) -> Coverage {
        Coverage {
            api: api.to_owned(),
            operations_in_document: model.counts.operations,
            operations_emitted: model.operations.len(),
            schemas_in_document: model.counts.component_schemas,
            schemas_emitted: model
                .types
                .iter()
                .filter(|t| t.component_name.is_some())
                .count(),
            types_emitted: model.types.len(),
            fallbacks: model.fallbacks.clone(),
            paging: model
                .operations
                .iter()
                .filter_map(|op| {
                    let paging = op.paging.as_ref()?;
                    Some(PagedOperation {
                        method: op.method.clone(),
                        path: op.path.clone(),
                        kind: paging.kind,
                        items: paging.items_field.is_some(),
                    })
                })
                .collect(),
            unclassified_lists: model.unclassified_lists.clone(),
        }
    }
}

impl fmt::Display for Coverage {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        writeln!(
            f,
            "{}: component schemas {}/{} emitted ({} Rust types in all); operations {}/{} emitted",
            self.api,
            self.schemas_emitted,
            self.schemas_in_document,
            self.types_emitted,
            self.operations_emitted,
            self.operations_in_document,
        )?;
        writeln!(
            f,
            "  untyped (serde_json::Value) at {} places:",
            self.fallbacks.len()
        )?;
        for fallback in &self.fallbacks {
            writeln!(f, "    #{}: {}", fallback.pointer, fallback.reason)?;
        }
        writeln!(f, "{}", self.paging_summary())?;
        for list in &self.unclassified_lists {
            writeln!(f, "    {} {}: {}", list.method, list.path, list.reason)?;
        }
        writeln!(f, "  paging operations:")?;
        for op in &self.paging {
            let items = if op.items { ", .items()" } else { "" };
            writeln!(
                f,
                "    {} {}: {}{}",
                op.method,
                op.path,
                op.kind.describe(),
                items
            )?;
        }
        Ok(())
    }
}
