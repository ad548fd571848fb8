//! Operations compared: added and removed, then parameters, request
//! bodies and responses of those in both versions.

use std::collections::BTreeMap;

use super::changelog::{ChangeKind, OperationChange, OperationEntry, Section};
use super::compare::{deprecation, location_name, Differ, Place, Sink, REQUEST, RESPONSE};
use super::describe::{describe_type, presence};
use crate::model::ir::*;

impl Differ<'_> {
    // --- operations -------------------------------------------------------

    pub(super) fn operations(&self) -> Section<OperationEntry, OperationChange> {
        let old = operation_index(self.old);
        let new = operation_index(self.new);
        let mut section = Section::default();
        for (key, op) in &old {
            if !new.contains_key(key) {
                section.removed.push(OperationEntry {
                    method: op.method.clone(),
                    path: op.path.clone(),
                    operation_id: op.operation_id.clone(),
                    summary: op.summary.clone(),
                    breaking: true,
                    reason: format!(
                        "the method `{}` is gone from the client; calls to it stop compiling",
                        call_site(op)
                    ),
                });
            }
        }
        for (key, op) in &new {
            match old.get(key) {
                None => section.added.push(OperationEntry {
                    method: op.method.clone(),
                    path: op.path.clone(),
                    operation_id: op.operation_id.clone(),
                    summary: op.summary.clone(),
                    breaking: false,
                    reason: format!("a new method `{}` on the client", call_site(op)),
                }),
                Some(before) => {
                    let mut sink = Sink {
                        changes: Vec::new(),
                    };
                    self.operation(before, op, &mut sink);
                    section
                        .changed
                        .extend(sink.changes.into_iter().map(|change| OperationChange {
                            method: op.method.clone(),
                            path: op.path.clone(),
                            change,
                        }));
                }
            }
        }
        self.error_bodies(&mut section);
        section
    }

    pub(super) fn operation(&self, old: &Operation, new: &Operation, sink: &mut Sink) {
        let whole = Place::root("");
        let (before, after) = (call_site(old), call_site(new));
        if before != after {
            sink.push(
                &whole,
                ChangeKind::CallSiteChanged,
                format!("the client method moves from `{before}` to `{after}`"),
                Some(before),
                Some(after),
                true,
                "the method has another name or group on the client; calls stop compiling",
            );
        }
        deprecation(
            sink,
            &whole,
            old.deprecated,
            new.deprecated,
            "calls compile, with a deprecation warning",
        );
        self.parameters(old, new, sink);
        let (old_args, new_args) = (arguments(old), arguments(new));
        if old_args != new_args {
            let mut sorted_old = old_args.clone();
            let mut sorted_new = new_args.clone();
            sorted_old.sort();
            sorted_new.sort();
            if sorted_old == sorted_new {
                sink.push(
                    &whole,
                    ChangeKind::ArgumentsReordered,
                    "the method's arguments change order".to_owned(),
                    Some(old_args.join(", ")),
                    Some(new_args.join(", ")),
                    true,
                    "positional arguments change places: calls stop compiling or pass values to the wrong parameter",
                );
            }
        }
        self.body(old, new, sink);
        self.response(&old.response, &new.response, sink);
        paging(old.paging.as_ref(), new.paging.as_ref(), sink);
    }

    pub(super) fn parameters(&self, old: &Operation, new: &Operation, sink: &mut Sink) {
        fn find<'p>(params: &'p [ParamDef], p: &ParamDef) -> Option<&'p ParamDef> {
            params
                .iter()
                .find(|q| q.wire_name == p.wire_name && q.location == p.location)
        }
        for param in &old.params {
            if find(&new.params, param).is_none() {
                let place = Place::parameter(param);
                let reason = if param.required {
                    "a positional argument of the method is gone; calls stop compiling"
                } else {
                    "its setter on the request builder is gone; calls that set it stop compiling"
                };
                sink.push(
                    &place,
                    ChangeKind::ParameterRemoved,
                    "removed".to_owned(),
                    Some(describe_type(self.old, &param.ty)),
                    None,
                    true,
                    reason,
                );
            }
        }
        let had_builder = has_optional_inputs(old);
        for param in &new.params {
            let place = Place::parameter(param);
            let Some(before) = find(&old.params, param) else {
                let ty = describe_type(self.new, &param.ty);
                let (breaking, reason) = if param.required {
                    (
                        true,
                        "a new positional argument of the method; calls stop compiling".to_owned(),
                    )
                } else if had_builder {
                    (
                        false,
                        "a new setter on the request builder; calls are unchanged".to_owned(),
                    )
                } else {
                    (
                        false,
                        "a new optional input: the method now returns a request builder, which `.await`s as before".to_owned(),
                    )
                };
                sink.push(
                    &place,
                    ChangeKind::ParameterAdded,
                    format!("added ({}, {ty})", presence(param.required, false)),
                    None,
                    Some(ty),
                    breaking,
                    reason,
                );
                continue;
            };
            deprecation(
                sink,
                &place,
                before.docs.deprecated,
                param.docs.deprecated,
                "calls compile, with the parameter documented as deprecated",
            );
            if before.required != param.required {
                let (kind, rest, reason) = if param.required {
                    (
                        ChangeKind::ParameterRequired,
                        "became required",
                        "the builder setter becomes a positional argument; calls stop compiling",
                    )
                } else {
                    (
                        ChangeKind::ParameterOptional,
                        "became optional",
                        "the positional argument becomes a builder setter; calls stop compiling",
                    )
                };
                sink.push(
                    &place,
                    kind,
                    rest.to_owned(),
                    Some(presence(before.required, false)),
                    Some(presence(param.required, false)),
                    true,
                    reason,
                );
            }
            self.compare_ty(&before.ty, &param.ty, &place, REQUEST, sink);
        }
    }

    pub(super) fn body(&self, old: &Operation, new: &Operation, sink: &mut Sink) {
        let place = Place::root("request body");
        match (&old.body, &new.body) {
            (None, None) => {}
            (Some(body), None) => sink.push(
                &place,
                ChangeKind::BodyRemoved,
                "removed".to_owned(),
                Some(describe_body(self.old, body)),
                None,
                true,
                if body.required {
                    "the body argument is gone; calls stop compiling"
                } else {
                    "the builder's `body` setter is gone; calls that set it stop compiling"
                },
            ),
            (None, Some(body)) => {
                let (breaking, reason) = if body.required {
                    (
                        true,
                        "a new body argument of the method; calls stop compiling",
                    )
                } else {
                    (
                        false,
                        "a new `body` setter on the request builder; calls are unchanged",
                    )
                };
                sink.push(
                    &place,
                    ChangeKind::BodyAdded,
                    format!(
                        "added ({}, {})",
                        presence(body.required, false),
                        describe_body(self.new, body)
                    ),
                    None,
                    Some(describe_body(self.new, body)),
                    breaking,
                    reason,
                );
            }
            (Some(before), Some(after)) => {
                if before.required != after.required {
                    let (kind, rest, reason) = if after.required {
                        (
                            ChangeKind::BodyRequired,
                            "became required",
                            "the builder's `body` setter becomes a positional argument; calls stop compiling",
                        )
                    } else {
                        (
                            ChangeKind::BodyOptional,
                            "became optional",
                            "the body argument becomes a builder setter; calls stop compiling",
                        )
                    };
                    sink.push(
                        &place,
                        kind,
                        rest.to_owned(),
                        Some(presence(before.required, false)),
                        Some(presence(after.required, false)),
                        true,
                        reason,
                    );
                }
                if before.encoding != after.encoding {
                    let both_structured = !matches!(before.encoding, BodyEncoding::Binary(_))
                        && !matches!(after.encoding, BodyEncoding::Binary(_));
                    let (breaking, reason) = if both_structured
                        || before.ty == TypeRef::Binary && after.ty == TypeRef::Binary
                    {
                        (
                            false,
                            "the client sends the same Rust type with the new encoding",
                        )
                    } else {
                        (true, "the body changes between raw bytes and a typed value")
                    };
                    sink.push(
                        &place,
                        ChangeKind::BodyEncodingChanged,
                        format!(
                            "encoding changed from {} to {}",
                            encoding_name(&before.encoding),
                            encoding_name(&after.encoding)
                        ),
                        Some(encoding_name(&before.encoding)),
                        Some(encoding_name(&after.encoding)),
                        breaking,
                        reason,
                    );
                }
                self.compare_ty(&before.ty, &after.ty, &place, REQUEST, sink);
            }
        }
    }

    pub(super) fn response(&self, old: &ResponseDef, new: &ResponseDef, sink: &mut Sink) {
        let place = Place::root("response");
        let change = |sink: &mut Sink, breaking: bool, reason: &str| {
            let (before, after) = (
                describe_response(self.old, old),
                describe_response(self.new, new),
            );
            sink.push(
                &place,
                ChangeKind::ResponseKindChanged,
                format!("changed from {before} to {after}"),
                Some(before),
                Some(after),
                breaking,
                reason.to_owned(),
            );
        };
        match (old, new) {
            (ResponseDef::Json(a), ResponseDef::Json(b)) => {
                self.compare_ty(a, b, &place, RESPONSE, sink)
            }
            (ResponseDef::EventStream(a), ResponseDef::EventStream(b)) => {
                self.compare_ty(a, b, &Place::root("response events"), RESPONSE, sink)
            }
            (ResponseDef::JsonStream(a), ResponseDef::JsonStream(b)) => {
                self.compare_ty(a, b, &Place::root("response items"), RESPONSE, sink)
            }
            (ResponseDef::Empty, ResponseDef::Empty) => {}
            (ResponseDef::Binary(a), ResponseDef::Binary(b)) => {
                if a != b {
                    change(sink, false, "the method still returns a `ByteStream`");
                }
            }
            (ResponseDef::Text(a), ResponseDef::Text(b)) => {
                if a != b {
                    change(sink, false, "the method still returns a `String`");
                }
            }
            (ResponseDef::Empty, _) => change(
                sink,
                false,
                "the method returned `()`, which callers could only discard; now it returns a value they may ignore",
            ),
            _ => change(
                sink,
                true,
                "the method returns another Rust type; code using the result stops compiling",
            ),
        }
    }
}

pub(super) const METHOD_ORDER: [&str; 8] = [
    "GET", "PUT", "POST", "DELETE", "OPTIONS", "HEAD", "PATCH", "TRACE",
];

pub(super) fn operation_key(op: &Operation) -> (String, usize, String) {
    let rank = METHOD_ORDER
        .iter()
        .position(|m| *m == op.method)
        .unwrap_or(METHOD_ORDER.len());
    (op.path.clone(), rank, op.method.clone())
}

pub(super) fn operation_index(model: &ApiModel) -> BTreeMap<(String, usize, String), &Operation> {
    model
        .operations
        .iter()
        .map(|op| (operation_key(op), op))
        .collect()
}

pub(super) fn param_label(param: &ParamDef) -> String {
    format!(
        "{} parameter {}",
        location_name(param.location),
        param.wire_name
    )
}

/// The positional arguments of an operation's method, in order.
pub(super) fn arguments(op: &Operation) -> Vec<String> {
    let mut args: Vec<String> = op
        .positional_params()
        .into_iter()
        .map(|index| param_label(&op.params[index]))
        .collect();
    if op.body.as_ref().is_some_and(|b| b.required) {
        args.push("body".to_owned());
    }
    args
}

pub(super) fn call_site(op: &Operation) -> String {
    let mut parts = op.group.clone();
    parts.push(op.name.clone());
    parts.join(".")
}

pub(super) fn has_optional_inputs(op: &Operation) -> bool {
    op.params.iter().any(|p| !p.required) || op.body.as_ref().is_some_and(|b| !b.required)
}

pub(super) fn encoding_name(encoding: &BodyEncoding) -> String {
    match encoding {
        BodyEncoding::Json => "JSON".to_owned(),
        BodyEncoding::Multipart => "multipart/form-data".to_owned(),
        BodyEncoding::Binary(media) => format!("raw bytes ({media})"),
    }
}

pub(super) fn describe_body(model: &ApiModel, body: &BodyDef) -> String {
    match &body.encoding {
        BodyEncoding::Binary(media) => format!("raw bytes ({media})"),
        encoding => format!(
            "{} {}",
            encoding_name(encoding),
            describe_type(model, &body.ty)
        ),
    }
}

pub(super) fn describe_response(model: &ApiModel, response: &ResponseDef) -> String {
    match response {
        ResponseDef::Empty => "no body".to_owned(),
        ResponseDef::Json(ty) => format!("JSON {}", describe_type(model, ty)),
        ResponseDef::Text(media) => format!("text ({media})"),
        ResponseDef::Binary(media) => format!("bytes ({})", media.join(", ")),
        ResponseDef::EventStream(ty) => {
            format!("event stream of {}", describe_type(model, ty))
        }
        ResponseDef::JsonStream(ty) => {
            format!("JSON stream of {}", describe_type(model, ty))
        }
    }
}

/// Whether the request builder has `.pages()` (and `.items()`) in each
/// version, and how it pages.
fn paging(old: Option<&Paging>, new: Option<&Paging>, sink: &mut Sink) {
    let whole = Place::root("");
    let describe = |p: &Paging| format!("by {} (`{}`)", p.kind.describe(), p.param);
    match (old, new) {
        (None, Some(new)) => sink.push(
            &whole,
            ChangeKind::PagingAdded,
            format!("starts paging {}", describe(new)),
            None,
            Some(describe(new)),
            false,
            "its request builder gains `.pages()` (and `.items()` when a page has one list)",
        ),
        (Some(old), None) => sink.push(
            &whole,
            ChangeKind::PagingRemoved,
            "stops paging".to_owned(),
            Some(describe(old)),
            None,
            true,
            "`.pages()` and `.items()` are gone from its request builder; calls to them stop compiling",
        ),
        (Some(old), Some(new)) if old.items_field.is_some() && new.items_field.is_none() => sink
            .push(
                &whole,
                ChangeKind::PagingChanged,
                "pages without one list of items".to_owned(),
                old.items_field.clone(),
                None,
                true,
                "`.items()` is gone from its request builder (a page no longer has exactly one list); calls to it stop compiling",
            ),
        (Some(old), Some(new)) if old.kind != new.kind => sink.push(
            &whole,
            ChangeKind::PagingChanged,
            format!("pages {} instead of {}", describe(new), describe(old)),
            Some(describe(old)),
            Some(describe(new)),
            false,
            "`.pages()` follows the new way; calls are unchanged",
        ),
        _ => {}
    }
}
