//! The `x-webhooks` extension: which header signs an API's webhooks and
//! which component schema their events have.

use std::collections::HashMap;
use std::path::Path;

use crate::load::spec::Document;
use crate::model::ir::{TypeId, WebhookDef};
use crate::support::error::{Error, Result};

const COMPONENT_PREFIX: &str = "#/components/schemas/";

/// The document's webhook signing, with its event schema resolved to the
/// component's type. An event that names no component is an error at
/// `/x-webhooks/event`.
pub(super) fn webhook_def(
    doc: &Document,
    component_ids: &HashMap<&str, TypeId>,
    file: &Path,
) -> Result<Option<WebhookDef>> {
    let Some(webhooks) = &doc.webhooks else {
        return Ok(None);
    };
    let event = webhooks
        .event
        .strip_prefix(COMPONENT_PREFIX)
        .and_then(|name| component_ids.get(name))
        .ok_or_else(|| {
            Error::at_pointer(
                file,
                "/x-webhooks/event",
                format!(
                    "`{}` is not a component schema: give `{COMPONENT_PREFIX}<name>`",
                    webhooks.event
                ),
            )
        })?;
    let header = &webhooks.signature_header;
    let is_header_name = !header.is_empty()
        && header
            .bytes()
            .all(|b| b.is_ascii_alphanumeric() || b == b'-');
    if !is_header_name {
        return Err(Error::at_pointer(
            file,
            "/x-webhooks/signature-header",
            format!("`{header}` is not a header name (letters, digits and `-`)"),
        ));
    }
    Ok(Some(WebhookDef {
        signature_header: webhooks.signature_header.clone(),
        event: *event,
        group: webhooks.sdk_group_name.clone(),
    }))
}
