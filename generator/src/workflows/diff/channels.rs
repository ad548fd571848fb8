//! WebSocket channels compared (from the AsyncAPI documents): reported in
//! the operations' section as `WS address`, since a channel is a call of
//! the client (its connect method) like an operation. A channel's call
//! site and parameters are compared as an operation's; each side's message
//! kinds by id, their payloads as types are (client messages as request
//! types, server messages as response types).

use std::collections::BTreeMap;

use super::changelog::{ChangeKind, OperationChange, OperationEntry, Section};
use super::compare::{Differ, Place, Sink, Usage, REQUEST, RESPONSE};
use super::describe::describe_type;
use crate::model::ir::*;

/// How channels show as operations: `WS /v1/convai/conversation`.
pub(super) const CHANNEL_METHOD: &str = "WS";

impl Differ<'_> {
    pub(super) fn channels(&self, section: &mut Section<OperationEntry, OperationChange>) {
        let old = channel_index(self.old);
        let new = channel_index(self.new);
        for (address, channel) in &old {
            if !new.contains_key(address) {
                section.removed.push(entry(channel, true, {
                    format!(
                        "the connect method `{}` is gone from the client; calls to it stop compiling",
                        connect_site(channel)
                    )
                }));
            }
        }
        for (address, channel) in &new {
            let Some(before) = old.get(address) else {
                let reason = format!("a new connect method `{}`", connect_site(channel));
                section.added.push(entry(channel, false, reason));
                continue;
            };
            let mut sink = Sink {
                changes: Vec::new(),
            };
            self.operation(&as_operation(before), &as_operation(channel), &mut sink);
            let sides = [
                (
                    "client",
                    &before.client_messages,
                    &channel.client_messages,
                    REQUEST,
                ),
                (
                    "server",
                    &before.server_messages,
                    &channel.server_messages,
                    RESPONSE,
                ),
            ];
            for (side, old_set, new_set, usage) in sides {
                self.messages(side, old_set.as_ref(), new_set.as_ref(), usage, &mut sink);
            }
            section
                .changed
                .extend(sink.changes.into_iter().map(|change| OperationChange {
                    method: CHANNEL_METHOD.to_owned(),
                    path: (*address).to_owned(),
                    change,
                }));
        }
    }

    fn messages(
        &self,
        side: &str,
        old: Option<&MessageSet>,
        new: Option<&MessageSet>,
        usage: Usage,
        sink: &mut Sink,
    ) {
        let place = Place::root(format!("{side} messages"));
        let (old, new) = match (old, new) {
            (None, None) => return,
            (Some(old), Some(new)) if is_single(old) == is_single(new) => (old, new),
            (old, new) => {
                let shape = |set: Option<&MessageSet>| match set {
                    None => "none".to_owned(),
                    Some(set) if is_single(set) => "one kind".to_owned(),
                    Some(set) => format!("{} kinds", set.messages.len()),
                };
                sink.push(
                    &place,
                    ChangeKind::MessagesReshaped,
                    format!("go from {} to {}", shape(old), shape(new)),
                    Some(shape(old)),
                    Some(shape(new)),
                    true,
                    "the connection's message type is another Rust type (one payload type or an \
                     enum of them)",
                );
                return;
            }
        };
        if is_single(old) {
            self.compare_ty(&old.ty, &new.ty, &place, usage, sink);
            return;
        }
        let by_id = |set: &'_ MessageSet| -> BTreeMap<String, TypeRef> {
            set.messages
                .iter()
                .map(|m| (m.id.clone(), m.payload.clone()))
                .collect()
        };
        let (before, after) = (by_id(old), by_id(new));
        for (id, payload) in &before {
            if !after.contains_key(id) {
                sink.push(
                    &place,
                    ChangeKind::MessageRemoved,
                    format!("lose `{id}`"),
                    Some(describe_type(self.old, payload)),
                    None,
                    true,
                    "the message enum's variant is gone; code building or matching it stops \
                     compiling",
                );
            }
        }
        for (id, payload) in &after {
            match before.get(id) {
                None => sink.push(
                    &place,
                    ChangeKind::MessageAdded,
                    format!("gain `{id}`"),
                    None,
                    Some(describe_type(self.new, payload)),
                    false,
                    "a new variant of a `#[non_exhaustive]` message enum; frames of it were the \
                     catch-all before",
                ),
                Some(old_payload) => {
                    let at = Place::root(format!("{side} message {id}"));
                    self.compare_ty(old_payload, payload, &at, usage, sink);
                }
            }
        }
    }
}

fn is_single(set: &MessageSet) -> bool {
    set.decoding == MessageDecoding::Single
}

fn channel_index(model: &ApiModel) -> BTreeMap<&str, &Channel> {
    model
        .channels
        .iter()
        .map(|channel| (channel.address.as_str(), channel))
        .collect()
}

fn connect_site(channel: &Channel) -> String {
    let mut parts = channel.group.clone();
    parts.push(channel.name.clone());
    parts.join(".")
}

fn entry(channel: &Channel, breaking: bool, reason: String) -> OperationEntry {
    OperationEntry {
        method: CHANNEL_METHOD.to_owned(),
        path: channel.address.clone(),
        operation_id: None,
        summary: channel
            .description
            .as_deref()
            .and_then(|d| d.lines().next())
            .map(str::to_owned),
        breaking,
        reason,
    }
}

/// The channel's connect call as an operation without a body or response,
/// so that its call site and parameters compare as an operation's.
fn as_operation(channel: &Channel) -> Operation {
    Operation {
        pointer: channel.pointer.clone(),
        method: CHANNEL_METHOD.to_owned(),
        path: channel.address.clone(),
        operation_id: None,
        group: channel.group.clone(),
        name: channel.name.clone(),
        summary: None,
        description: None,
        deprecated: false,
        params: channel.params.clone(),
        body: None,
        response: ResponseDef::Empty,
        errors: Vec::new(),
        paging: None,
    }
}
