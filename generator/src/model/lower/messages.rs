//! Stage 2 (building), a channel's messages: each message's payload
//! lowered as any schema (a `$ref` to a component schema is that
//! component's type), and one type per side of the channel: the payload
//! itself for one message kind, else a union of the payloads, tagged when
//! every payload has a distinct constant `type` property, decoded by shape
//! otherwise ([`MessageDecoding`]).

use std::collections::HashSet;

use super::schemas::{Lowerer, Site};
use crate::load::asyncapi::spec;
use crate::load::asyncapi::ResolvedMessage;
use crate::model::ir::*;
use crate::support::error::{push_pointer, Result};
use crate::support::ident::type_ident;

/// The property whose constant value tells message kinds apart.
const TAG_PROPERTY: &str = "type";

impl Lowerer<'_> {
    /// The messages of one side; `site` is the operation's `message` with
    /// the name hint of the side's union.
    pub(super) fn message_set(
        &mut self,
        messages: &[ResolvedMessage],
        operation: Option<&spec::Operation>,
        site: &Site,
    ) -> Result<Option<MessageSet>> {
        if messages.is_empty() {
            return Ok(None);
        }
        let defs = messages
            .iter()
            .map(|message| self.message_def(message, site))
            .collect::<Result<Vec<_>>>()?;
        let summary = operation.and_then(|op| op.summary.clone());
        let description = operation.and_then(|op| op.description.clone());
        let (ty, decoding) = match defs.as_slice() {
            [single] => (single.payload.clone(), MessageDecoding::Single),
            _ => {
                let decoding = decoding_of(&defs);
                let docs = Docs {
                    description: description.clone().or_else(|| summary.clone()),
                    ..Docs::default()
                };
                let id = self.message_union(&defs, &decoding, site, docs);
                (TypeRef::Named(id), decoding)
            }
        };
        Ok(Some(MessageSet {
            ty,
            decoding,
            messages: defs,
            summary,
            description,
        }))
    }

    fn message_def(&mut self, resolved: &ResolvedMessage, site: &Site) -> Result<MessageDef> {
        let message = &resolved.message;
        let id = resolved.id();
        let payload = message
            .payload
            .as_ref()
            .expect("the loader refuses messages without a payload");
        let payload_site = Site {
            pointer: push_pointer(&resolved.pointer, "payload"),
            hint: vec![site.hint[0].clone(), type_ident(std::slice::from_ref(&id))],
        };
        let payload = self.type_ref(payload, &payload_site)?;
        Ok(MessageDef {
            tag: self.constant_property(&payload, TAG_PROPERTY),
            id,
            pointer: resolved.pointer.clone(),
            message_id: message.message_id.clone(),
            name: message.name.clone(),
            title: message.title.clone(),
            summary: message.summary.clone(),
            description: message.description.clone(),
            payload,
            examples: message
                .examples
                .iter()
                .filter_map(|example| example.payload.clone())
                .collect(),
        })
    }

    /// The one string value `property` may take in objects of `ty`: a
    /// `const`, or an enum of one value.
    fn constant_property(&self, ty: &TypeRef, property: &str) -> Option<String> {
        let TypeRef::Named(id) = self.through_aliases(ty) else {
            return None;
        };
        let TypeKind::Struct(def) = &self.type_def(*id).kind else {
            return None;
        };
        let field = def.fields.iter().find(|f| f.wire_name == property)?;
        match self.through_aliases(&field.ty) {
            TypeRef::Const(value) => Some(value.clone()),
            TypeRef::Named(enum_id) => match &self.type_def(*enum_id).kind {
                TypeKind::StringEnum(values) if values.len() == 1 => Some(values[0].clone()),
                _ => None,
            },
            _ => None,
        }
    }

    /// The union of a side's payloads, one variant per message in order.
    fn message_union(
        &mut self,
        defs: &[MessageDef],
        decoding: &MessageDecoding,
        site: &Site,
        docs: Docs,
    ) -> TypeId {
        let tagged = matches!(decoding, MessageDecoding::Tagged { .. });
        let variants = defs
            .iter()
            .map(|def| VariantDef {
                ty: def.payload.clone(),
                tags: def.tag.iter().filter(|_| tagged).cloned().collect(),
                boxed: false,
                docs: Docs {
                    title: def.name.clone().or_else(|| def.title.clone()),
                    description: def.description.clone().or_else(|| def.summary.clone()),
                    ..Docs::default()
                },
            })
            .collect();
        let discriminator = match decoding {
            MessageDecoding::Tagged { property } => Some(property.clone()),
            _ => None,
        };
        let id = TypeId(self.types.len());
        self.types.push(Some(TypeDef {
            name_hint: site.hint.clone(),
            home: self.home,
            component_name: None,
            pointer: site.pointer.clone(),
            docs,
            kind: TypeKind::Union(UnionDef {
                variants,
                discriminator,
            }),
        }));
        id
    }
}

/// Tagged when every message has a tag and no two share one.
fn decoding_of(defs: &[MessageDef]) -> MessageDecoding {
    let mut seen = HashSet::new();
    let distinct_tags = defs
        .iter()
        .all(|def| def.tag.as_ref().is_some_and(|tag| seen.insert(tag.clone())));
    if distinct_tags {
        MessageDecoding::Tagged {
            property: TAG_PROPERTY.to_owned(),
        }
    } else {
        MessageDecoding::ByShape
    }
}
