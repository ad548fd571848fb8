//! Support for string enums and string constants.
//!
//! A generated string enum states its wire values twice, in `as_str` and
//! `from_wire`, and serializes through them; decoding reads one string
//! (`api_runtime::de::Input::string`) and maps it. That is much less code per type than serde's derive, which for an
//! enum with a catch-all variant buffers the input and tries each form in
//! turn, and it keeps the same behaviour: known values become their variant,
//! any other string is kept, anything but a string is an error.

use serde::de::{Error as _, Unexpected};
use serde::{Deserialize, Deserializer};

/// The catch-all of a string enum: keeps a value the enum does not know,
/// unless a union requires a valid fit ([`crate::types::union::first_fit`]).
pub fn unknown_value<E: serde::de::Error>(value: String) -> Result<String, E> {
    use crate::types::union::{catch_all, Fit};
    catch_all(Fit::Valid, format_args!("unknown value {value:?}"))?;
    Ok(value)
}

/// Reads a string that must equal `expected`, the one value of a `const`.
pub fn deserialize_const<'de, D: Deserializer<'de>>(
    deserializer: D,
    expected: &'static str,
) -> Result<(), D::Error> {
    let value = String::deserialize(deserializer)?;
    if value == expected {
        Ok(())
    } else {
        Err(D::Error::invalid_value(
            Unexpected::Str(&value),
            &format!("the string {expected:?}").as_str(),
        ))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[derive(Debug, PartialEq)]
    struct Const;

    impl<'de> Deserialize<'de> for Const {
        fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
            deserialize_const(deserializer, "1K").map(|()| Const)
        }
    }

    #[test]
    fn a_const_accepts_its_value_only() {
        assert_eq!(serde_json::from_str::<Const>("\"1K\"").unwrap(), Const);
        let error = serde_json::from_str::<Const>("\"2K\"").unwrap_err();
        assert!(
            error
                .to_string()
                .contains("invalid value: string \"2K\", expected the string \"1K\""),
            "{error}"
        );
        assert!(serde_json::from_str::<Const>("1").is_err());
    }

    /// What a string enum's `Decode` reads, before `from_wire` maps it.
    struct Text(String);

    impl crate::types::de::Decode for Text {
        fn decode(
            input: crate::types::de::Input<'_, '_>,
        ) -> Result<Self, crate::types::de::FieldError> {
            input.string().map(Text)
        }
    }

    #[test]
    fn an_enum_reads_a_string_and_nothing_else() {
        let read = |json: &str| {
            crate::types::de::deserialize::<Text, _>(&mut serde_json::Deserializer::from_str(json))
                .map(|Text(text)| text)
                .map_err(|e| e.to_string())
        };
        assert_eq!(read("\"pcm_16000\"").unwrap(), "pcm_16000");
        assert!(read("16000").unwrap_err().contains("invalid type: integer"));
    }
}
