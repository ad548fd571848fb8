//! `date-time` values: RFC 3339 in UTC, and the offset-less forms real
//! servers send.

use std::fmt;

use chrono::{DateTime, NaiveDateTime, SecondsFormat, Utc};
use serde::{Deserialize, Deserializer, Serialize, Serializer};

/// A `format: date-time` value: an instant in UTC.
///
/// Reads RFC 3339 (`2025-07-15T14:49:41Z`, any offset) and, because real
/// servers send them, timestamps without an offset
/// (`2025-07-15T14:49:41.149000`), which are taken as UTC. Writes RFC 3339
/// in UTC with `Z`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct Timestamp(pub DateTime<Utc>);

impl Timestamp {
    /// Parses the accepted forms (see the type's docs).
    pub fn parse(text: &str) -> Option<Timestamp> {
        if let Ok(instant) = DateTime::parse_from_rfc3339(text) {
            return Some(Timestamp(instant.with_timezone(&Utc)));
        }
        ["%Y-%m-%dT%H:%M:%S%.f", "%Y-%m-%d %H:%M:%S%.f"]
            .iter()
            .find_map(|format| NaiveDateTime::parse_from_str(text, format).ok())
            .map(|naive| Timestamp(naive.and_utc()))
    }
}

impl From<DateTime<Utc>> for Timestamp {
    fn from(instant: DateTime<Utc>) -> Self {
        Timestamp(instant)
    }
}

impl From<Timestamp> for DateTime<Utc> {
    fn from(timestamp: Timestamp) -> Self {
        timestamp.0
    }
}

impl std::ops::Deref for Timestamp {
    type Target = DateTime<Utc>;

    fn deref(&self) -> &DateTime<Utc> {
        &self.0
    }
}

impl fmt::Display for Timestamp {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0.to_rfc3339_opts(SecondsFormat::AutoSi, true))
    }
}

impl Serialize for Timestamp {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        serializer.collect_str(self)
    }
}

impl<'de> Deserialize<'de> for Timestamp {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        let text = <std::borrow::Cow<'de, str>>::deserialize(deserializer)?;
        Timestamp::parse(&text).ok_or_else(|| {
            serde::de::Error::custom(format!("invalid date-time {text:?}: expected RFC 3339"))
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn reads_offsets_and_writes_utc() {
        let t: Timestamp = serde_json::from_str("\"2023-11-07T07:31:56+02:00\"").unwrap();
        assert_eq!(
            serde_json::to_string(&t).unwrap(),
            "\"2023-11-07T05:31:56Z\""
        );
    }

    #[test]
    fn takes_a_timestamp_without_offset_as_utc() {
        let t: Timestamp = serde_json::from_str("\"2025-07-15T14:49:41.149000\"").unwrap();
        assert_eq!(t.to_string(), "2025-07-15T14:49:41.149Z");
    }

    #[test]
    fn rejects_text_that_is_no_timestamp() {
        let err = serde_json::from_str::<Timestamp>("\"yesterday\"").unwrap_err();
        assert!(
            err.to_string().contains("invalid date-time \"yesterday\""),
            "{err}"
        );
    }
}
