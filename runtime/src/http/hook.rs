//! The user's own per-request behaviour, without forking the runtime.

/// Called by the transport around every attempt of every call: add a
/// header, sign a request, count answers. Register with
/// [`ClientBuilder::hook`](crate::ClientBuilder::hook); hooks run in the
/// order they were added.
///
/// The request a hook sees carries the API key in its header, as it will
/// be sent: a hook that logs requests must leave that header out.
///
/// ```
/// use api_runtime::{reqwest, Hook};
///
/// struct Tenant(&'static str);
///
/// impl Hook for Tenant {
///     fn on_request(&self, request: &mut reqwest::Request) {
///         let value = reqwest::header::HeaderValue::from_static(self.0);
///         request.headers_mut().insert("x-tenant", value);
///     }
/// }
/// ```
pub trait Hook: Send + Sync + 'static {
    /// Just before an attempt is sent.
    fn on_request(&self, request: &mut reqwest::Request) {
        let _ = request;
    }

    /// When an attempt's answer has arrived, before its body is read
    /// (for every status, also those that are then retried).
    fn on_response(&self, response: &reqwest::Response) {
        let _ = response;
    }
}
