//! Bytes in Rust, base64 text on the wire: for `#[serde(with = ...)]` on
//! a `Vec<u8>` or [`Bytes`](crate::Bytes) field, and
//! [`option`] on an `Option` of either.
//!
//! ```
//! #[derive(serde::Serialize, serde::Deserialize)]
//! struct AudioChunk {
//!     #[serde(with = "api_runtime::realtime::base64_bytes")]
//!     audio: Vec<u8>,
//!     #[serde(default, with = "api_runtime::realtime::base64_bytes::option")]
//!     extra: Option<api_runtime::Bytes>,
//! }
//! ```
//!
//! Writing uses the standard alphabet with padding; reading accepts the
//! standard alphabet with or without padding, and non-zero bits after the
//! last byte (as most decoders do: the bytes are the same).

use std::fmt;

use base64::alphabet::STANDARD;
use base64::engine::{DecodePaddingMode, GeneralPurpose, GeneralPurposeConfig};
use base64::Engine;
use serde::de::{self, Deserializer, Visitor};
use serde::Serializer;

/// The standard alphabet, padded when written, padding optional and
/// trailing bits ignored when read.
const ENGINE: GeneralPurpose = GeneralPurpose::new(
    &STANDARD,
    GeneralPurposeConfig::new()
        .with_decode_padding_mode(DecodePaddingMode::Indifferent)
        .with_decode_allow_trailing_bits(true),
);

/// Writes `bytes` as one base64 string.
pub fn serialize<T: AsRef<[u8]>, S: Serializer>(
    bytes: &T,
    serializer: S,
) -> Result<S::Ok, S::Error> {
    serializer.serialize_str(&ENGINE.encode(bytes.as_ref()))
}

/// Reads one base64 string into bytes.
pub fn deserialize<'de, T: From<Vec<u8>>, D: Deserializer<'de>>(
    deserializer: D,
) -> Result<T, D::Error> {
    deserializer.deserialize_str(Base64Text).map(T::from)
}

/// The same for `Option<Vec<u8>>` and `Option<Bytes>`: `None` is `null`,
/// and `null` reads as `None` (add `#[serde(default)]` for a field that
/// may be missing).
pub mod option {
    use serde::{Deserializer, Serializer};

    use super::{Base64Text, ENGINE};
    use base64::Engine;

    /// Writes `None` as `null` and bytes as one base64 string.
    pub fn serialize<T: AsRef<[u8]>, S: Serializer>(
        bytes: &Option<T>,
        serializer: S,
    ) -> Result<S::Ok, S::Error> {
        match bytes {
            Some(bytes) => serializer.serialize_str(&ENGINE.encode(bytes.as_ref())),
            None => serializer.serialize_none(),
        }
    }

    /// Reads `null` as `None` and a base64 string as bytes.
    pub fn deserialize<'de, T: From<Vec<u8>>, D: Deserializer<'de>>(
        deserializer: D,
    ) -> Result<Option<T>, D::Error> {
        deserializer
            .deserialize_option(MaybeBase64Text)
            .map(|bytes| bytes.map(T::from))
    }

    struct MaybeBase64Text;

    impl<'de> serde::de::Visitor<'de> for MaybeBase64Text {
        type Value = Option<Vec<u8>>;

        fn expecting(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
            f.write_str("null or a base64 string")
        }

        fn visit_none<E: serde::de::Error>(self) -> Result<Self::Value, E> {
            Ok(None)
        }

        fn visit_unit<E: serde::de::Error>(self) -> Result<Self::Value, E> {
            Ok(None)
        }

        fn visit_some<D: Deserializer<'de>>(
            self,
            deserializer: D,
        ) -> Result<Self::Value, D::Error> {
            deserializer.deserialize_str(Base64Text).map(Some)
        }
    }
}

/// Bytes written as one base64 string, for code that hands a serializer
/// field values one by one (the generated structs' `Serialize`):
/// `ser::field("audio", &Encoded(&self.audio))`.
#[derive(Debug, Clone, Copy)]
pub struct Encoded<'a>(pub &'a [u8]);

impl serde::Serialize for Encoded<'_> {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        serialize(&self.0, serializer)
    }
}

/// One base64 string read into bytes, for code that reads field values
/// one by one (the generated structs' `Deserialize`).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Decoded(pub Vec<u8>);

impl<'de> serde::Deserialize<'de> for Decoded {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        deserialize(deserializer).map(Decoded)
    }
}

/// Decodes a base64 string.
struct Base64Text;

impl Visitor<'_> for Base64Text {
    type Value = Vec<u8>;

    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("a base64 string")
    }

    fn visit_str<E: de::Error>(self, text: &str) -> Result<Self::Value, E> {
        ENGINE
            .decode(text)
            .map_err(|error| E::custom(format_args!("invalid base64: {error}")))
    }
}

#[cfg(test)]
mod tests {
    use bytes::Bytes;
    use serde::{Deserialize, Serialize};
    use serde_json::json;

    #[derive(Debug, PartialEq, Serialize, Deserialize)]
    struct Chunk {
        #[serde(with = "super")]
        audio: Vec<u8>,
        #[serde(with = "super")]
        shared: Bytes,
        #[serde(default, with = "super::option")]
        extra: Option<Vec<u8>>,
    }

    #[test]
    fn bytes_round_trip_as_padded_base64() {
        let chunk = Chunk {
            audio: b"ab".to_vec(),
            shared: Bytes::from_static(b"\x00\xff"),
            extra: Some(b"x".to_vec()),
        };
        let value = serde_json::to_value(&chunk).unwrap();
        assert_eq!(
            value,
            json!({"audio": "YWI=", "shared": "AP8=", "extra": "eA=="})
        );
        assert_eq!(serde_json::from_value::<Chunk>(value).unwrap(), chunk);
    }

    #[test]
    fn padding_is_optional_and_null_or_missing_is_none() {
        let chunk: Chunk = serde_json::from_value(json!({"audio": "YWI", "shared": ""})).unwrap();
        assert_eq!(chunk.audio, b"ab");
        assert!(chunk.shared.is_empty());
        assert_eq!(chunk.extra, None);
        let chunk: Chunk =
            serde_json::from_value(json!({"audio": "", "shared": "", "extra": null})).unwrap();
        assert_eq!(chunk.extra, None);
        assert_eq!(serde_json::to_value(&chunk).unwrap()["extra"], json!(null));
    }

    #[test]
    fn trailing_bits_are_ignored_and_written_back_canonically() {
        // `YR==` has bits after its one byte that `YQ==` leaves zero.
        let chunk: Chunk = serde_json::from_value(json!({"audio": "YR==", "shared": ""})).unwrap();
        assert_eq!(chunk.audio, b"a");
        assert_eq!(
            serde_json::to_value(&chunk).unwrap()["audio"],
            json!("YQ==")
        );
    }

    #[test]
    fn text_that_is_not_base64_is_an_error() {
        let error = serde_json::from_value::<Chunk>(json!({"audio": "!!", "shared": ""}))
            .unwrap_err()
            .to_string();
        assert!(error.contains("invalid base64"), "{error}");
    }
}
