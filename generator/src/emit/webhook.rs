//! `webhook.rs` of an API that signs its webhooks: the signature header's
//! name and `construct_event`, which verifies a webhook with the runtime's
//! verifier and decodes it as the API's event type.

use proc_macro2::TokenStream;
use quote::{format_ident, quote};

use crate::emit::tokens::EmittedFile;
use crate::model::ir::WebhookDef;
use crate::naming::Names;

/// The module's path in the API's module.
pub const WEBHOOK_MODULE: &str = "webhook";

pub fn webhook_file(webhooks: &WebhookDef, names: &Names) -> EmittedFile {
    EmittedFile {
        path: format!("{WEBHOOK_MODULE}.rs"),
        tokens: webhook_items(webhooks, names),
        inner_doc: vec![
            "Verifying the webhooks the API signs: the signature over the raw body is".to_owned(),
            "checked in constant time and its timestamp against a tolerance (30 minutes by"
                .to_owned(),
            "default, as the official SDKs), and only then is the event decoded.".to_owned(),
        ],
    }
}

fn webhook_items(webhooks: &WebhookDef, names: &Names) -> TokenStream {
    let header = &webhooks.signature_header;
    let event = format_ident!("{}", names.types[webhooks.event.0]);
    let header_doc = format!(" The header whose value signs a webhook: `{header}`.");
    quote! {
        pub use api_runtime::webhook::{WebhookError, WebhookVerifier, DEFAULT_TOLERANCE};

        use super::types::#event;

        #[doc = #header_doc]
        pub const SIGNATURE_HEADER: &str = #header;

        /// Checks that `signature`, the value of the [`SIGNATURE_HEADER`]
        /// header, signs `body` (the raw bytes as received) with `secret`
        /// within [`DEFAULT_TOLERANCE`] of now, then decodes the event.
        ///
        /// To verify many webhooks or change the tolerance, keep a
        /// [`verifier`] and call its `construct_event`.
        pub fn construct_event(
            body: &[u8],
            signature: &str,
            secret: &str,
        ) -> Result<#event, WebhookError> {
            verifier(secret).construct_event(body, signature)
        }

        /// A verifier for the webhooks signed with `secret`.
        pub fn verifier(secret: &str) -> WebhookVerifier {
            WebhookVerifier::new(secret)
        }
    }
}
