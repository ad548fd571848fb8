//! Verifying signed webhooks.
//!
//! An API that signs its webhooks sends a header like
//! `t=1733140800,v0=5257a869…`: `t` is the Unix time of signing and `v0`
//! the hex HMAC-SHA256, keyed with the webhook's secret, of `"{t}.{body}"`
//! over the raw body bytes (ElevenLabs' `ElevenLabs-Signature`). A
//! [`WebhookVerifier`] checks the signature in constant time
//! (`ring::hmac::verify`) and the timestamp against a tolerance, and only
//! then decodes the body.
//!
//! ```
//! # use api_runtime::webhook::{WebhookVerifier, WebhookError};
//! # fn handle(body: &[u8], signature: &str) -> Result<(), WebhookError> {
//! let verifier = WebhookVerifier::new("wsec_…");
//! let event: serde_json::Value = verifier.construct_event(body, signature)?;
//! # Ok(()) }
//! ```

use std::fmt;
use std::time::{Duration, SystemTime, UNIX_EPOCH};

use ring::hmac;

use crate::types::union::join_member_path;
use serde::de::DeserializeOwned;

/// How far the signing time may be from now, either way, by default: 30
/// minutes, as the official ElevenLabs SDKs.
pub const DEFAULT_TOLERANCE: Duration = Duration::from_secs(30 * 60);

/// The signature scheme this module verifies.
const SCHEME: &str = "v0";

/// Checks webhook signatures made with one secret.
#[derive(Clone)]
pub struct WebhookVerifier {
    key: hmac::Key,
    tolerance: Duration,
}

impl WebhookVerifier {
    /// A verifier for `secret`, the webhook's signing secret as the API
    /// shows it, with the [`DEFAULT_TOLERANCE`].
    pub fn new(secret: impl AsRef<[u8]>) -> Self {
        WebhookVerifier {
            key: hmac::Key::new(hmac::HMAC_SHA256, secret.as_ref()),
            tolerance: DEFAULT_TOLERANCE,
        }
    }

    /// Accepts signing times up to `tolerance` before or after now.
    pub fn tolerance(mut self, tolerance: Duration) -> Self {
        self.tolerance = tolerance;
        self
    }

    /// Checks that `signature` (the header's value) signs `body` (the raw
    /// bytes as received, before any parsing) and was made within the
    /// tolerance of now.
    pub fn verify(&self, body: &[u8], signature: &str) -> Result<(), WebhookError> {
        self.verify_at(body, signature, SystemTime::now())
    }

    /// [`verify`](Self::verify) as if it were `now`.
    pub fn verify_at(
        &self,
        body: &[u8],
        signature: &str,
        now: SystemTime,
    ) -> Result<(), WebhookError> {
        let header = SignatureHeader::parse(signature)?;
        self.check_time(header.timestamp, now)?;
        let message = signed_message(header.timestamp, body);
        let matches = header
            .signatures
            .iter()
            .any(|tag| hmac::verify(&self.key, &message, tag).is_ok());
        if matches {
            Ok(())
        } else {
            Err(WebhookError::SignatureMismatch)
        }
    }

    /// Verifies `body` and decodes it as `T`, typically the API's webhook
    /// event type.
    pub fn construct_event<T: DeserializeOwned>(
        &self,
        body: &[u8],
        signature: &str,
    ) -> Result<T, WebhookError> {
        self.construct_event_at(body, signature, SystemTime::now())
    }

    /// [`construct_event`](Self::construct_event) as if it were `now`.
    pub fn construct_event_at<T: DeserializeOwned>(
        &self,
        body: &[u8],
        signature: &str,
        now: SystemTime,
    ) -> Result<T, WebhookError> {
        self.verify_at(body, signature, now)?;
        let mut deserializer = serde_json::Deserializer::from_slice(body);
        serde_path_to_error::deserialize(&mut deserializer)
            .map_err(|error| {
                let (path, message) =
                    join_member_path(error.path().to_string(), error.inner().to_string());
                WebhookError::Decode { path, message }
            })
            .and_then(|event| {
                deserializer
                    .end()
                    .map(|()| event)
                    .map_err(|error| WebhookError::Decode {
                        path: ".".to_owned(),
                        message: error.to_string(),
                    })
            })
    }

    fn check_time(&self, timestamp: u64, now: SystemTime) -> Result<(), WebhookError> {
        let now = now.duration_since(UNIX_EPOCH).unwrap_or_default().as_secs();
        let tolerance = self.tolerance.as_secs();
        if timestamp.saturating_add(tolerance) < now {
            return Err(WebhookError::Expired {
                timestamp,
                age: Duration::from_secs(now - timestamp),
            });
        }
        if timestamp > now.saturating_add(tolerance) {
            return Err(WebhookError::FromTheFuture {
                timestamp,
                ahead: Duration::from_secs(timestamp - now),
            });
        }
        Ok(())
    }
}

impl fmt::Debug for WebhookVerifier {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("WebhookVerifier")
            .field("secret", &"<redacted>")
            .field("tolerance", &self.tolerance)
            .finish()
    }
}

/// `"{timestamp}.{body}"`, the bytes that are signed.
fn signed_message(timestamp: u64, body: &[u8]) -> Vec<u8> {
    let mut message = format!("{timestamp}.").into_bytes();
    message.extend_from_slice(body);
    message
}

/// The parts of a signature header.
#[derive(Debug)]
struct SignatureHeader {
    timestamp: u64,
    /// Every `v0` signature, decoded from hex.
    signatures: Vec<Vec<u8>>,
}

impl SignatureHeader {
    fn parse(header: &str) -> Result<Self, WebhookError> {
        let malformed = |reason: &str| WebhookError::MalformedHeader(reason.to_owned());
        let mut timestamp = None;
        let mut signatures = Vec::new();
        let mut schemes = Vec::new();
        for part in header.split(',').map(str::trim).filter(|p| !p.is_empty()) {
            let (key, value) = part
                .split_once('=')
                .ok_or_else(|| malformed("each part must be `key=value`"))?;
            match key {
                "t" if timestamp.is_some() => return Err(malformed("`t` is given twice")),
                "t" => {
                    let seconds = value
                        .parse::<u64>()
                        .map_err(|_| malformed("`t` must be whole seconds since 1970"))?;
                    timestamp = Some(seconds);
                }
                SCHEME => signatures
                    .push(hex::decode(value).map_err(|_| malformed("`v0` must be hexadecimal"))?),
                other => schemes.push(other.to_owned()),
            }
        }
        let timestamp = timestamp.ok_or_else(|| malformed("no `t=` timestamp"))?;
        if signatures.is_empty() {
            return Err(match schemes.is_empty() {
                true => malformed("no `v0=` signature"),
                false => WebhookError::UnknownScheme(schemes),
            });
        }
        Ok(SignatureHeader {
            timestamp,
            signatures,
        })
    }
}

/// Why a webhook was not accepted. None of them quotes the secret.
#[derive(Debug, Clone, PartialEq, Eq)]
#[non_exhaustive]
pub enum WebhookError {
    /// The header is not `t=<seconds>,v0=<hex>`.
    MalformedHeader(String),
    /// The header carries signatures, but none in a scheme this crate
    /// knows (`v0`).
    UnknownScheme(Vec<String>),
    /// The signing time is older than the tolerance allows.
    Expired {
        /// The header's `t`.
        timestamp: u64,
        /// How long ago that was.
        age: Duration,
    },
    /// The signing time is further ahead than the tolerance allows.
    FromTheFuture {
        /// The header's `t`.
        timestamp: u64,
        /// How far ahead that is.
        ahead: Duration,
    },
    /// No signature in the header matches the body and the secret.
    SignatureMismatch,
    /// The body is verified but does not decode as the event type.
    Decode {
        /// Where decoding failed, like `data.transcript[0].role`.
        path: String,
        /// What was wrong there.
        message: String,
    },
}

impl fmt::Display for WebhookError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            WebhookError::MalformedHeader(reason) => {
                write!(f, "malformed webhook signature header: {reason}")
            }
            WebhookError::UnknownScheme(schemes) => write!(
                f,
                "the webhook signature uses unknown schemes ({}); expected `v0`",
                schemes.join(", ")
            ),
            WebhookError::Expired { age, .. } => write!(
                f,
                "the webhook was signed {} s ago, longer than the tolerance",
                age.as_secs()
            ),
            WebhookError::FromTheFuture { ahead, .. } => write!(
                f,
                "the webhook's signing time is {} s in the future, more than the tolerance",
                ahead.as_secs()
            ),
            WebhookError::SignatureMismatch => {
                f.write_str("the webhook signature does not match its body and the secret")
            }
            WebhookError::Decode { path, message } => {
                write!(f, "could not decode the webhook at `{path}`: {message}")
            }
        }
    }
}

impl std::error::Error for WebhookError {}

#[cfg(test)]
mod tests {
    use super::*;

    const SECRET: &str = "wsec_test_4b1d";
    const BODY: &[u8] = br#"{"type":"post_call_transcription","event_timestamp":1733140800,"data":{"agent_id":"agent_1","conversation_id":"conv_1"}}"#;
    const SIGNED_AT: u64 = 1_733_140_800;
    /// Computed outside Rust: `python3 -c "import hmac, hashlib;
    /// print(hmac.new(b'wsec_test_4b1d', b'1733140800.' + BODY,
    /// hashlib.sha256).hexdigest())"`.
    const SIGNATURE: &str = "7a8c3d208389933d1f1e566b4a37d632f76e3ebf08ba7342b6a5c9757e3beb6d";

    fn at(seconds: u64) -> SystemTime {
        UNIX_EPOCH + Duration::from_secs(seconds)
    }

    fn header() -> String {
        format!("t={SIGNED_AT},v0={SIGNATURE}")
    }

    #[test]
    fn a_signature_computed_independently_verifies() {
        let verifier = WebhookVerifier::new(SECRET);
        assert_eq!(verifier.verify_at(BODY, &header(), at(SIGNED_AT)), Ok(()));
        let spaced = format!(" t={SIGNED_AT} , v1=abcd, v0={SIGNATURE} ");
        assert_eq!(verifier.verify_at(BODY, &spaced, at(SIGNED_AT + 5)), Ok(()));
        let upper = format!("t={SIGNED_AT},v0={}", SIGNATURE.to_uppercase());
        assert_eq!(verifier.verify_at(BODY, &upper, at(SIGNED_AT)), Ok(()));
    }

    #[test]
    fn a_tampered_body_a_wrong_secret_or_another_time_do_not_verify() {
        let verifier = WebhookVerifier::new(SECRET);
        let mut tampered = BODY.to_vec();
        tampered[10] ^= 1;
        assert_eq!(
            verifier.verify_at(&tampered, &header(), at(SIGNED_AT)),
            Err(WebhookError::SignatureMismatch)
        );
        let with_space = [BODY, b" "].concat();
        assert_eq!(
            verifier.verify_at(&with_space, &header(), at(SIGNED_AT)),
            Err(WebhookError::SignatureMismatch)
        );
        assert_eq!(
            WebhookVerifier::new("wsec_other").verify_at(BODY, &header(), at(SIGNED_AT)),
            Err(WebhookError::SignatureMismatch)
        );
        let moved = format!("t={},v0={SIGNATURE}", SIGNED_AT + 1);
        assert_eq!(
            verifier.verify_at(BODY, &moved, at(SIGNED_AT)),
            Err(WebhookError::SignatureMismatch)
        );
        let short = format!("t={SIGNED_AT},v0={}", &SIGNATURE[..62]);
        assert_eq!(
            verifier.verify_at(BODY, &short, at(SIGNED_AT)),
            Err(WebhookError::SignatureMismatch)
        );
    }

    #[test]
    fn the_tolerance_is_inclusive_at_both_ends() {
        let verifier = WebhookVerifier::new(SECRET);
        let tolerance = DEFAULT_TOLERANCE.as_secs();
        assert_eq!(
            verifier.verify_at(BODY, &header(), at(SIGNED_AT + tolerance)),
            Ok(())
        );
        assert_eq!(
            verifier.verify_at(BODY, &header(), at(SIGNED_AT + tolerance + 1)),
            Err(WebhookError::Expired {
                timestamp: SIGNED_AT,
                age: Duration::from_secs(tolerance + 1)
            })
        );
        assert_eq!(
            verifier.verify_at(BODY, &header(), at(SIGNED_AT - tolerance)),
            Ok(())
        );
        assert_eq!(
            verifier.verify_at(BODY, &header(), at(SIGNED_AT - tolerance - 1)),
            Err(WebhookError::FromTheFuture {
                timestamp: SIGNED_AT,
                ahead: Duration::from_secs(tolerance + 1)
            })
        );
        let strict = verifier.tolerance(Duration::from_secs(10));
        assert!(strict
            .verify_at(BODY, &header(), at(SIGNED_AT + 11))
            .is_err());
    }

    #[test]
    fn malformed_headers_and_unknown_schemes_have_their_own_errors() {
        let verifier = WebhookVerifier::new(SECRET);
        let malformed = [
            "",
            "t=1733140800",
            &format!("v0={SIGNATURE}"),
            &format!("t=soon,v0={SIGNATURE}"),
            &format!("t=-5,v0={SIGNATURE}"),
            "t=1733140800,v0=not-hex",
            &format!("t=1,t=2,v0={SIGNATURE}"),
            &format!("t1733140800,v0={SIGNATURE}"),
        ];
        for header in malformed {
            let error = verifier.verify_at(BODY, header, at(SIGNED_AT)).unwrap_err();
            assert!(
                matches!(error, WebhookError::MalformedHeader(_)),
                "{header}: {error}"
            );
        }
        assert_eq!(
            verifier.verify_at(BODY, "t=1733140800,v1=abcd", at(SIGNED_AT)),
            Err(WebhookError::UnknownScheme(vec!["v1".to_owned()]))
        );
    }

    #[test]
    fn the_event_is_decoded_only_once_verified() {
        #[derive(Debug, serde::Deserialize)]
        struct Event {
            r#type: String,
            data: serde_json::Value,
        }
        let verifier = WebhookVerifier::new(SECRET);
        let event: Event = verifier
            .construct_event_at(BODY, &header(), at(SIGNED_AT))
            .unwrap();
        assert_eq!(event.r#type, "post_call_transcription");
        assert_eq!(event.data["conversation_id"], "conv_1");
        let unsigned =
            verifier.construct_event_at::<Event>(BODY, "t=1733140800,v0=00", at(SIGNED_AT));
        assert_eq!(unsigned.unwrap_err(), WebhookError::SignatureMismatch);
    }

    #[test]
    fn debug_and_errors_do_not_show_the_secret() {
        let verifier = WebhookVerifier::new(SECRET);
        assert!(!format!("{verifier:?}").contains(SECRET));
        let error = verifier.verify_at(BODY, "t=1,v0=00", at(1)).unwrap_err();
        assert!(!format!("{error} {error:?}").contains(SECRET));
    }
}
