//! What the comparison of two models carries along: where a type is used
//! (requests, responses), where a change is ([`Place`]) and the changes
//! found so far ([`Sink`]). The comparison itself is in `operations.rs` and
//! `schemas.rs`.

use super::changelog::{Change, ChangeKind};
use crate::model::ir::*;

// ---------------------------------------------------------------------------
// Where a type is used
// ---------------------------------------------------------------------------

/// Whether a type is reached from requests, responses, both or neither.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub(super) struct Usage {
    pub(super) request: bool,
    pub(super) response: bool,
}

pub(super) const REQUEST: Usage = Usage {
    request: true,
    response: false,
};
pub(super) const RESPONSE: Usage = Usage {
    request: false,
    response: true,
};

impl Usage {
    pub(super) fn union(self, other: Usage) -> Usage {
        Usage {
            request: self.request || other.request,
            response: self.response || other.response,
        }
    }

    /// User code may build values of it: request types, and types no
    /// operation uses.
    pub(super) fn built(self) -> bool {
        self.request || !self.response
    }

    pub(super) fn response_only(self) -> bool {
        self.response && !self.request
    }

    pub(super) fn describe(self) -> &'static str {
        match (self.request, self.response) {
            (true, true) => "a type used in requests and responses",
            (true, false) => "a request type",
            (false, true) => "a response-only type",
            (false, false) => "a type no operation uses (judged like a request type)",
        }
    }
}

pub(super) fn usages(model: &ApiModel) -> Vec<Usage> {
    let mut usage = vec![Usage::default(); model.types.len()];
    let mut stack: Vec<(TypeId, Usage)> = Vec::new();
    let seed = |ty: &TypeRef, side: Usage, stack: &mut Vec<(TypeId, Usage)>| {
        let mut ids = Vec::new();
        ty.mentioned(&mut ids);
        stack.extend(ids.into_iter().map(|id| (id, side)));
    };
    for op in &model.operations {
        for param in &op.params {
            seed(&param.ty, REQUEST, &mut stack);
        }
        if let Some(body) = &op.body {
            seed(&body.ty, REQUEST, &mut stack);
        }
        if let ResponseDef::Json(ty) | ResponseDef::EventStream(ty) | ResponseDef::JsonStream(ty) =
            &op.response
        {
            seed(ty, RESPONSE, &mut stack);
        }
        for (_, ty) in &op.errors {
            seed(ty, RESPONSE, &mut stack);
        }
    }
    for channel in &model.channels {
        for param in &channel.params {
            seed(&param.ty, REQUEST, &mut stack);
        }
        if let Some(set) = &channel.client_messages {
            seed(&set.ty, REQUEST, &mut stack);
        }
        if let Some(set) = &channel.server_messages {
            seed(&set.ty, RESPONSE, &mut stack);
        }
    }
    while let Some((id, side)) = stack.pop() {
        let Some(current) = usage.get_mut(id.0) else {
            continue;
        };
        let merged = current.union(side);
        if merged == *current {
            continue;
        }
        *current = merged;
        let mut ids = Vec::new();
        match &model.types[id.0].kind {
            TypeKind::Struct(def) => {
                for field in &def.fields {
                    field.ty.mentioned(&mut ids);
                }
                if let Some(additional) = &def.additional {
                    additional.mentioned(&mut ids);
                }
            }
            TypeKind::Union(def) => {
                for variant in &def.variants {
                    variant.ty.mentioned(&mut ids);
                }
            }
            TypeKind::Alias(ty) => ty.mentioned(&mut ids),
            TypeKind::StringEnum(_) => {}
        }
        stack.extend(ids.into_iter().map(|id| (id, side)));
    }
    usage
}

// ---------------------------------------------------------------------------
// Places: where in an operation or schema a change is
// ---------------------------------------------------------------------------

#[derive(Debug, Clone)]
pub(super) struct Place {
    /// `request body`, `response`, or empty for a component schema or an
    /// operation as a whole.
    pub(super) base: String,
    /// A parameter's location and name, instead of `base`.
    pub(super) parameter: Option<(&'static str, String)>,
    /// Field names joined by `.`, `[]` for array items, `{}` for map
    /// values, `*` for additional properties, `<Member>` for union members.
    pub(super) path: String,
    /// Whether `path` names a field.
    pub(super) has_field: bool,
}

impl Place {
    pub(super) fn root(base: impl Into<String>) -> Place {
        Place {
            base: base.into(),
            parameter: None,
            path: String::new(),
            has_field: false,
        }
    }

    pub(super) fn parameter(param: &ParamDef) -> Place {
        Place {
            base: String::new(),
            parameter: Some((location_name(param.location), param.wire_name.clone())),
            path: String::new(),
            has_field: false,
        }
    }

    pub(super) fn field(&self, name: &str) -> Place {
        let path = if self.path.is_empty() {
            name.to_owned()
        } else {
            format!("{}.{name}", self.path)
        };
        Place {
            path,
            has_field: true,
            ..self.clone()
        }
    }

    pub(super) fn suffix(&self, suffix: &str) -> Place {
        Place {
            path: format!("{}{suffix}", self.path),
            ..self.clone()
        }
    }

    /// `field settings.stability`, `request body field name`, `response
    /// element []`; names in backticks for summaries (`ticks`).
    pub(super) fn label(&self, ticks: bool) -> String {
        let tick = if ticks { "`" } else { "" };
        let base = match &self.parameter {
            Some((location, name)) => format!("{location} parameter {tick}{name}{tick}"),
            None => self.base.clone(),
        };
        if self.path.is_empty() {
            return base;
        }
        let what = if self.has_field {
            "field"
        } else if self.path.starts_with('<') {
            "member"
        } else {
            "element"
        };
        let path = format!("{tick}{}{tick}", self.path);
        if base.is_empty() {
            format!("{what} {path}")
        } else {
            format!("{base} {what} {path}")
        }
    }
}

/// `label rest`, or `rest` alone for the whole schema.
pub(super) fn sentence(label: &str, rest: &str) -> String {
    if label.is_empty() {
        let mut chars = rest.chars();
        match chars.next() {
            Some(first) => first.to_uppercase().chain(chars).collect(),
            None => String::new(),
        }
    } else {
        format!("{label} {rest}")
    }
}

// ---------------------------------------------------------------------------
// The comparison
// ---------------------------------------------------------------------------

pub(super) struct Differ<'a> {
    pub(super) old: &'a ApiModel,
    pub(super) new: &'a ApiModel,
    pub(super) old_usage: Vec<Usage>,
    pub(super) new_usage: Vec<Usage>,
}

pub(super) fn location_name(location: ParamLocation) -> &'static str {
    match location {
        ParamLocation::Path => "path",
        ParamLocation::Query => "query",
        ParamLocation::Header => "header",
    }
}

/// Collects the changes of one operation or schema.
pub(super) struct Sink {
    pub(super) changes: Vec<Change>,
}

impl Sink {
    #[allow(clippy::too_many_arguments)]
    pub(super) fn push(
        &mut self,
        place: &Place,
        kind: ChangeKind,
        rest: String,
        old: Option<String>,
        new: Option<String>,
        breaking: bool,
        reason: impl Into<String>,
    ) {
        let location = place.label(false);
        self.changes.push(Change {
            summary: sentence(&place.label(true), &rest),
            location,
            kind,
            old,
            new,
            breaking,
            reason: reason.into(),
        });
    }
}

impl<'a> Differ<'a> {
    pub(super) fn new(old: &'a ApiModel, new: &'a ApiModel) -> Self {
        Differ {
            old,
            new,
            old_usage: usages(old),
            new_usage: usages(new),
        }
    }
}

pub(super) fn deprecation(sink: &mut Sink, place: &Place, old: bool, new: bool, reason: &str) {
    if old == new {
        return;
    }
    let (kind, rest, reason) = if new {
        (ChangeKind::Deprecated, "deprecated", reason.to_owned())
    } else {
        (
            ChangeKind::Undeprecated,
            "no longer deprecated",
            "the deprecation warning goes away".to_owned(),
        )
    };
    let rest = if place.label(false).is_empty() {
        rest.to_owned()
    } else {
        format!("is {rest}")
    };
    sink.push(place, kind, rest, None, None, false, reason);
}
