//! The coverage report: what a document declares against what was emitted,
//! and every place a schema fell back to `serde_json::Value`.

use std::fmt;

use crate::model::ir::{ApiModel, Fallback};

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
        Ok(())
    }
}
