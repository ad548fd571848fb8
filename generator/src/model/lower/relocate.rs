//! Moves the types of one AsyncAPI document ([`LoweredChannels`], ids from
//! 0) to the end of the API's model, shifting every id that points into
//! them. Ids past the document's own (the [`CHANNELS_HOME`] sentinel) stay.

use super::channels::LoweredChannels;
use crate::model::ir::*;

/// Appends one document's channels and types to the model.
pub(super) fn append(model: &mut ApiModel, lowered: LoweredChannels) {
    let offset = model.types.len();
    let count = lowered.types.len();
    let shift = |id: &mut TypeId| {
        if id.0 < count {
            id.0 += offset;
        }
    };
    for mut def in lowered.types {
        shift(&mut def.home);
        shift_kind(&mut def.kind, &shift);
        model.types.push(def);
    }
    let document = model.channel_documents.len();
    let mut document_def = lowered.document;
    document_def.types = offset..offset + count;
    model.channel_documents.push(document_def);
    for mut channel in lowered.channels {
        channel.document = document;
        for param in &mut channel.params {
            shift_ref(&mut param.ty, &shift);
        }
        for set in [&mut channel.client_messages, &mut channel.server_messages]
            .into_iter()
            .flatten()
        {
            shift_ref(&mut set.ty, &shift);
            for message in &mut set.messages {
                shift_ref(&mut message.payload, &shift);
            }
        }
        model.channels.push(channel);
    }
    let mut consts: std::collections::BTreeSet<String> = model.consts.drain(..).collect();
    consts.extend(lowered.consts);
    model.consts = consts.into_iter().collect();
}

fn shift_kind(kind: &mut TypeKind, shift: &impl Fn(&mut TypeId)) {
    match kind {
        TypeKind::Struct(def) => {
            for field in &mut def.fields {
                shift_ref(&mut field.ty, shift);
            }
            if let Some(additional) = &mut def.additional {
                shift_ref(additional, shift);
            }
        }
        TypeKind::Union(def) => {
            for variant in &mut def.variants {
                shift_ref(&mut variant.ty, shift);
            }
        }
        TypeKind::Alias(target) => shift_ref(target, shift),
        TypeKind::StringEnum(_) => {}
    }
}

fn shift_ref(ty: &mut TypeRef, shift: &impl Fn(&mut TypeId)) {
    match ty {
        TypeRef::Named(id) => shift(id),
        TypeRef::Array(inner) | TypeRef::Map(inner) | TypeRef::Nullable(inner) => {
            shift_ref(inner, shift)
        }
        _ => {}
    }
}
