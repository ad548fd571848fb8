//! Stage 2 (building): turns the typed document into the intermediate
//! model. Every component schema becomes a named type; inline schemas that
//! need a name (objects, enums, unions) become named types too, with a name
//! hint taken from where they stand.
//!
//! `schemas.rs` lowers schemas (the [`Lowerer`](schemas) and its state);
//! `operations.rs` lowers operations, using it for their parameters, bodies
//! and responses; `shared.rs` keeps one type per repeated enum;
//! `webhooks.rs` reads how the API signs its webhooks.
//!
//! AsyncAPI documents: `channels.rs` lowers one document's channels (and
//! its component schemas, with the same `Lowerer`) in a type space of its
//! own; `messages.rs` their messages; `relocate.rs` appends them to the
//! API's model ([`add_channels`]).

use crate::load::LoadedDocument;
use crate::model::ir::*;
use crate::support::error::Result;

mod channels;
mod member_hints;
mod messages;
mod operations;
mod relocate;
mod schemas;
mod shared;
mod webhooks;

pub use channels::{lower_channels, LoweredChannels};
use schemas::Lowerer;

/// Builds the model of a loaded document.
pub fn build_model(loaded: &LoadedDocument) -> Result<ApiModel> {
    let doc = &loaded.document;
    let mut lowerer = Lowerer::new(&loaded.path, &loaded.raw, &doc.components.schemas);
    lowerer.lower_components()?;
    let operations = lowerer.lower_operations(doc)?;
    let webhooks = webhooks::webhook_def(doc, &lowerer.component_ids, &loaded.path)?;
    let mut types: Vec<TypeDef> = lowerer
        .types
        .into_iter()
        .map(|t| t.expect("every reserved type is filled"))
        .collect();
    crate::model::recursion::box_recursive_fields(&mut types, &loaded.path)?;
    let mut model = ApiModel {
        title: doc.info.title.clone(),
        version: doc.info.version.clone(),
        description: doc.info.description.clone(),
        types,
        operations,
        servers: doc
            .servers
            .iter()
            .map(|s| ServerDef {
                url: s.url.clone(),
                description: s.description.clone(),
            })
            .collect(),
        api_key_header: operations::api_key_header(doc),
        multipart_bodies: lowerer.multipart_bodies,
        consts: lowerer.consts.into_iter().collect(),
        example_sites: lowerer.example_sites,
        response_sites: lowerer.response_sites,
        fallbacks: lowerer.fallbacks,
        unclassified_lists: Vec::new(),
        counts: DocumentCounts {
            operations: doc
                .paths
                .values()
                .map(|item| item.operations().count())
                .sum(),
            component_schemas: doc.components.schemas.len(),
        },
        webhooks,
        channels: Vec::new(),
        channel_documents: Vec::new(),
    };
    crate::model::paging::detect_paging(&mut model);
    Ok(model)
}

/// Reads and lowers the AsyncAPI documents (`path`, how reports name it)
/// and appends them to `model` ([`add_channels`]). The channels' types come
/// after the HTTP ones, which naming names first, so adding a channel
/// never renames an HTTP type.
pub fn add_asyncapi_files<P: AsRef<std::path::Path>>(
    model: &mut ApiModel,
    files: &[(P, String)],
) -> Result<()> {
    let lowered = files
        .iter()
        .map(|(path, display)| {
            let document = crate::load::asyncapi::load_file(path.as_ref())?;
            lower_channels(&document, display, model)
        })
        .collect::<Result<Vec<_>>>()?;
    add_channels(model, lowered);
    Ok(())
}

/// Appends lowered AsyncAPI documents to the model, in order: their types
/// after the model's, their channels on [`ApiModel::channels`].
pub fn add_channels(model: &mut ApiModel, lowered: Vec<LoweredChannels>) {
    for document in lowered {
        relocate::append(model, document);
    }
}
