//! [`Decode`] for the containers generated fields hold structs in: boxes,
//! options, [`Nullable`], lists and maps of text keys.

use std::collections::BTreeMap;

use super::{Decode, FieldError, Input};
use crate::types::nullable::Nullable;

impl<T: Decode> Decode for Box<T> {
    fn decode(input: Input<'_, '_>) -> Result<Self, FieldError> {
        T::decode(input).map(Box::new)
    }
}

impl<T: Decode> Decode for Option<T> {
    fn decode(input: Input<'_, '_>) -> Result<Self, FieldError> {
        let mut value = None;
        input.value.option(&mut |inner| {
            value = Some(T::decode(inner)?);
            Ok(())
        })?;
        Ok(value)
    }
}

impl<T: Decode> Decode for Nullable<T> {
    fn decode(input: Input<'_, '_>) -> Result<Self, FieldError> {
        Option::<T>::decode(input).map(Nullable::from)
    }
}

impl<T: Decode> Decode for Vec<T> {
    fn decode(input: Input<'_, '_>) -> Result<Self, FieldError> {
        let mut items = Vec::new();
        input.value.seq(&mut |item| {
            items.push(T::decode(item)?);
            Ok(())
        })?;
        Ok(items)
    }
}

impl<T: Decode> Decode for BTreeMap<String, T> {
    fn decode(input: Input<'_, '_>) -> Result<Self, FieldError> {
        let mut entries = BTreeMap::new();
        input.value.map(&mut |key, value| {
            entries.insert(key, T::decode(value)?);
            Ok(())
        })?;
        Ok(entries)
    }
}
