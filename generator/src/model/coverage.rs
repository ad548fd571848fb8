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
    /// How many AsyncAPI documents the channels come from.
    pub channel_documents: usize,
    /// The WebSocket channels, in order.
    pub channels: Vec<ChannelCount>,
    /// Where a channel document's schema became `serde_json::Value`: the
    /// document's path and the fallback.
    pub channel_fallbacks: Vec<(String, Fallback)>,
}

/// One channel's message kinds, for the report.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ChannelCount {
    pub address: String,
    pub client_messages: usize,
    pub server_messages: usize,
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
        // The channel documents' types follow the HTTP types and are not
        // emitted yet.
        let http_types = model
            .channel_documents
            .first()
            .map_or(model.types.len(), |document| document.types.start);
        Coverage {
            api: api.to_owned(),
            operations_in_document: model.counts.operations,
            operations_emitted: model.operations.len(),
            schemas_in_document: model.counts.component_schemas,
            schemas_emitted: model.types[..http_types]
                .iter()
                .filter(|t| t.component_name.is_some())
                .count(),
            types_emitted: http_types,
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
            channel_documents: model.channel_documents.len(),
            channels: model
                .channels
                .iter()
                .map(|channel| ChannelCount {
                    address: channel.address.clone(),
                    client_messages: channel.client_message_count(),
                    server_messages: channel.server_message_count(),
                })
                .collect(),
            channel_fallbacks: model
                .channel_documents
                .iter()
                .flat_map(|document| {
                    let path = &document.path;
                    document
                        .fallbacks
                        .iter()
                        .map(move |fallback| (path.clone(), fallback.clone()))
                })
                .collect(),
        }
    }

    /// Message kinds over all channels: client to server, server to client.
    pub fn message_kinds(&self) -> (usize, usize) {
        self.channels.iter().fold((0, 0), |(client, server), c| {
            (client + c.client_messages, server + c.server_messages)
        })
    }

    fn channel_lines(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let (client, server) = self.message_kinds();
        writeln!(
            f,
            "  channels: {} from {} AsyncAPI documents; message kinds: {client} client->server, {server} server->client",
            self.channels.len(),
            self.channel_documents,
        )?;
        for channel in &self.channels {
            writeln!(
                f,
                "    {}: {} client, {} server",
                channel.address, channel.client_messages, channel.server_messages
            )?;
        }
        writeln!(
            f,
            "  untyped in channels (serde_json::Value) at {} places:",
            self.channel_fallbacks.len()
        )?;
        for (path, fallback) in &self.channel_fallbacks {
            writeln!(f, "    {path}#{}: {}", fallback.pointer, fallback.reason)?;
        }
        Ok(())
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
        if self.channel_documents > 0 {
            self.channel_lines(f)?;
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
