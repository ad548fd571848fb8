//! The API's declared error bodies. The client decodes them into one
//! `ErrorBody` enum per API with a variant for each distinct error type
//! any operation declares, and that enum is exhaustive: a type newly
//! declared as an error body adds a variant (a `match` without a catch-all
//! arm stops compiling), and one that no operation declares any more
//! removes one. Another operation declaring an error type the API already
//! has changes nothing.

use super::changelog::{ChangeKind, OperationChange, OperationEntry, Section};
use super::compare::{Differ, Place, Sink};
use super::describe::{describe_type, signature};
use super::operations::{operation_index, operation_key};
use crate::model::ir::{ApiModel, Operation};

/// One variant of `ErrorBody`: the type's full description (its identity
/// across versions), as shown, and the first operation and status that
/// declare it, in document order.
struct ErrorBody<'a> {
    identity: String,
    shown: String,
    op: &'a Operation,
    status: &'a str,
}

fn error_bodies(model: &ApiModel) -> Vec<ErrorBody<'_>> {
    let mut out: Vec<ErrorBody<'_>> = Vec::new();
    for op in &model.operations {
        for (status, ty) in &op.errors {
            let identity = signature(model, ty, None, false);
            if !out.iter().any(|body| body.identity == identity) {
                out.push(ErrorBody {
                    identity,
                    shown: describe_type(model, ty),
                    op,
                    status,
                });
            }
        }
    }
    out
}

impl Differ<'_> {
    /// Adds the error bodies new to the API (at the first operation of NEW
    /// that declares each) and those gone from it (at the first operation
    /// of OLD that declared each, when NEW still has it; a body declared
    /// only by removed operations goes with their breaking removal).
    pub(super) fn error_bodies(&self, section: &mut Section<OperationEntry, OperationChange>) {
        let old = error_bodies(self.old);
        let new = error_bodies(self.new);
        let known = operation_index(self.new);
        let mut extra = Vec::new();
        for body in &new {
            if old.iter().any(|o| o.identity == body.identity) {
                continue;
            }
            extra.push(change(
                body,
                ChangeKind::ErrorBodyAdded,
                format!("declares `{}`, an error body new to the API", body.shown),
                (None, Some(body.shown.clone())),
                "a new variant of the exhaustive `ErrorBody` enum: a `match` on it without a catch-all arm stops compiling",
            ));
        }
        for body in &old {
            if new.iter().any(|n| n.identity == body.identity)
                || !known.contains_key(&operation_key(body.op))
            {
                continue;
            }
            extra.push(change(
                body,
                ChangeKind::ErrorBodyRemoved,
                format!(
                    "no longer declares `{}`, and no other operation does",
                    body.shown
                ),
                (Some(body.shown.clone()), None),
                "the variant of `ErrorBody` for it is gone; code naming it stops compiling",
            ));
        }
        if extra.is_empty() {
            return;
        }
        section.changed.extend(extra);
        // Stable: each operation's own changes first, in their order.
        section.changed.sort_by_key(|c| {
            known
                .keys()
                .position(|(path, _, method)| *path == c.path && *method == c.method)
        });
    }
}

fn change(
    body: &ErrorBody<'_>,
    kind: ChangeKind,
    rest: String,
    (old, new): (Option<String>, Option<String>),
    reason: &str,
) -> OperationChange {
    let mut sink = Sink {
        changes: Vec::new(),
    };
    sink.push(
        &Place::root(format!("error response {}", body.status)),
        kind,
        rest,
        old,
        new,
        true,
        reason,
    );
    OperationChange {
        method: body.op.method.clone(),
        path: body.op.path.clone(),
        change: sink.changes.remove(0),
    }
}
