//! Server messages the connection answers by itself.

/// A server message the connection answers by itself, like ElevenLabs'
/// conversation `ping`, answered by a `pong` with the same `event_id`.
///
/// Every channel's server message type implements it; most with the
/// default, which answers nothing:
///
/// ```
/// # #[derive(serde::Deserialize)] struct ServerMessage;
/// # #[derive(serde::Serialize)] struct ClientMessage;
/// impl api_runtime::realtime::AutoReply<ClientMessage> for ServerMessage {}
/// ```
///
/// When a message has a reply, the connection sends it before it yields
/// the message, unless [`ConnectOptions::auto_reply`](crate::realtime::ConnectOptions::auto_reply) switched that off.
pub trait AutoReply<Out> {
    /// The message to send back, if any.
    fn auto_reply(&self) -> Option<Out> {
        None
    }
}

/// Untyped server messages answer nothing.
impl<Out> AutoReply<Out> for serde_json::Value {}
