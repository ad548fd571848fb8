//! The record of a WebSocket channel in `api-surface.json`: what
//! [`crate::workflows::diff`] compares of it (address, connect call,
//! parameters, each side's message kinds and payload types), one channel a
//! line.

use serde::{Deserialize, Serialize};

use super::terms::{
    param_def, param_record, parse_type, type_text, BadRecord, ParamRecord, Parsed,
};
use crate::model::ir::*;

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ChannelRecord {
    pub address: String,
    /// The connect method: its groups, then its name.
    pub call: Vec<String>,
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub params: Vec<ParamRecord>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub client: Option<MessagesRecord>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub server: Option<MessagesRecord>,
}

/// One side's messages: how frames are told apart, the side's type and
/// each message kind's id and payload type.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct MessagesRecord {
    /// `single`, `shape`, or the tag property of tagged messages.
    pub decoding: String,
    pub ty: String,
    pub messages: Vec<(String, String)>,
}

const SINGLE: &str = "single";
const BY_SHAPE: &str = "shape";

pub(super) fn channel_record(channel: &Channel) -> ChannelRecord {
    let mut call = channel.group.clone();
    call.push(channel.name.clone());
    ChannelRecord {
        address: channel.address.clone(),
        call,
        params: channel.params.iter().map(param_record).collect(),
        client: channel.client_messages.as_ref().map(messages_record),
        server: channel.server_messages.as_ref().map(messages_record),
    }
}

fn messages_record(set: &MessageSet) -> MessagesRecord {
    MessagesRecord {
        decoding: match &set.decoding {
            MessageDecoding::Single => SINGLE.to_owned(),
            MessageDecoding::ByShape => BY_SHAPE.to_owned(),
            MessageDecoding::Tagged { property } => property.clone(),
        },
        ty: type_text(&set.ty),
        messages: set
            .messages
            .iter()
            .map(|m| (m.id.clone(), type_text(&m.payload)))
            .collect(),
    }
}

pub(super) fn channel(record: &ChannelRecord, count: usize) -> Parsed<Channel> {
    let (name, group) = record
        .call
        .split_last()
        .ok_or_else(|| BadRecord(format!("channel {} has no call", record.address)))?;
    let messages =
        |set: &Option<MessagesRecord>| set.as_ref().map(|set| message_set(set, count)).transpose();
    Ok(Channel {
        document: 0,
        pointer: String::new(),
        address: record.address.clone(),
        group: group.to_vec(),
        name: name.clone(),
        description: None,
        params: record
            .params
            .iter()
            .map(|param| param_def(param, count))
            .collect::<Parsed<_>>()?,
        servers: Vec::new(),
        client_messages: messages(&record.client)?,
        server_messages: messages(&record.server)?,
        examples: Vec::new(),
    })
}

fn message_set(record: &MessagesRecord, count: usize) -> Parsed<MessageSet> {
    let decoding = match record.decoding.as_str() {
        SINGLE => MessageDecoding::Single,
        BY_SHAPE => MessageDecoding::ByShape,
        property => MessageDecoding::Tagged {
            property: property.to_owned(),
        },
    };
    let messages = record
        .messages
        .iter()
        .map(|(id, payload)| {
            Ok(MessageDef {
                id: id.clone(),
                pointer: String::new(),
                message_id: None,
                name: None,
                title: None,
                summary: None,
                description: None,
                payload: parse_type(payload, count)?,
                tag: None,
                examples: Vec::new(),
            })
        })
        .collect::<Parsed<_>>()?;
    Ok(MessageSet {
        ty: parse_type(&record.ty, count)?,
        decoding,
        messages,
        summary: None,
        description: None,
    })
}
