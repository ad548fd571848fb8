//! Building requests: the path template filled one checked segment at a
//! time, query and header parameters in their text forms, and the body as
//! JSON, a form or multipart parts.
//!
//! In: what a generated operation was given. Out: a [`Request`] that
//! [`Transport`](crate::Transport) sends.

pub(crate) mod file;
pub(crate) mod form;
pub(crate) mod value;

use std::borrow::Cow;
use std::fmt;

use bytes::Bytes;
use percent_encoding::{utf8_percent_encode, AsciiSet, NON_ALPHANUMERIC};
use reqwest::header::{HeaderName, HeaderValue};
use reqwest::Method;
use serde::Serialize;
use serde_json::Value;

use crate::error::RequestError;
use crate::request::form::Form;
use crate::request::value::{exploded_texts, joined_text, to_value};

/// Everything but RFC 3986's unreserved characters is encoded, so a value
/// can never add a path segment or start a query.
const PATH_SEGMENT: &AsciiSet = &NON_ALPHANUMERIC
    .remove(b'-')
    .remove(b'.')
    .remove(b'_')
    .remove(b'~');

/// One API call, as generated code describes it: method, path, parameters
/// and body. [`Transport::send`](crate::Transport::send) turns it into HTTP.
///
/// The builder methods never fail: a parameter or body that does not
/// serialize is kept and returned by `send` as
/// [`Error::Request`](crate::Error::Request), before anything is sent.
pub struct Request {
    pub(crate) method: Method,
    /// The path as the document writes it, `{name}`s included: what logs
    /// and traces show.
    pub(crate) template: Cow<'static, str>,
    /// The operation's name in the client (`text_to_speech.convert`), for
    /// traces.
    pub(crate) operation: &'static str,
    pub(crate) path: String,
    pub(crate) query: Vec<(String, String)>,
    pub(crate) headers: Vec<(HeaderName, HeaderValue)>,
    pub(crate) accept: Option<HeaderValue>,
    pub(crate) body: Body,
    error: Option<RequestError>,
}

/// The content of a request.
pub(crate) enum Body {
    Empty,
    Bytes {
        content: Bytes,
        content_type: HeaderValue,
    },
    Multipart(Form),
}

impl Request {
    /// A request for `path`, appended to the base URL (keeping any path the
    /// base URL has). `path` is a template: each `{name}` in it is filled by
    /// [`path_param`](Self::path_param), and a request whose template still
    /// has one when it is sent fails with
    /// [`Error::Request`](crate::Error::Request).
    pub fn new(method: Method, path: impl Into<Cow<'static, str>>) -> Self {
        let template = path.into();
        Request {
            method,
            path: template.clone().into_owned(),
            template,
            operation: "",
            query: Vec::new(),
            headers: Vec::new(),
            accept: None,
            body: Body::Empty,
            error: None,
        }
    }

    /// The method.
    pub fn method(&self) -> &Method {
        &self.method
    }

    /// The path, with the path parameters given so far filled in.
    pub fn path(&self) -> &str {
        &self.path
    }

    /// The path as given to [`Request::new`], before any parameter.
    pub fn path_template(&self) -> &str {
        &self.template
    }

    /// Fills `{name}` in the path with `value`, percent-encoded as one
    /// segment (see [`encode_path_segment`]).
    ///
    /// A value must stay inside its segment: an empty value (after
    /// serialization), `.` and `..` would make the URL name another
    /// resource (`DELETE /v1/history/..` is `DELETE /v1/`), so they are
    /// refused with [`Error::Request`](crate::Error::Request) naming the
    /// parameter, and nothing is sent.
    pub fn path_param<T: Serialize + ?Sized>(mut self, name: &str, value: &T) -> Self {
        let Some(value) = self.serialize("path parameter", name, value) else {
            return self;
        };
        let segment = encode_path_segment(&value);
        if let Some(problem) = segment_problem(&segment) {
            return self.fail(RequestError::new(format!(
                "path parameter `{name}` {problem}, which would send the request to another path"
            )));
        }
        let placeholder = format!("{{{name}}}");
        if !self.path.contains(&placeholder) {
            let message = format!("the path `{}` has no parameter `{name}`", self.path);
            return self.fail(RequestError::new(message));
        }
        self.path = self.path.replace(&placeholder, &segment);
        self
    }

    /// Adds a query parameter (OpenAPI `style: form, explode: true`, the
    /// default). `null`/`None` adds nothing; strings are sent as is;
    /// numbers as written; booleans as `true`/`false`; an array repeats the
    /// key once per element; an object is sent as JSON text.
    pub fn query<T: Serialize + ?Sized>(mut self, name: &str, value: &T) -> Self {
        let Some(value) = self.serialize("query parameter", name, value) else {
            return self;
        };
        for text in exploded_texts(&value) {
            self.query.push((name.to_owned(), text));
        }
        self
    }

    /// Adds a query parameter whose array elements are joined by
    /// `separator` into one value (`explode: false`), like `a,b,c`.
    pub fn query_joined<T: Serialize + ?Sized>(
        mut self,
        name: &str,
        value: &T,
        separator: &str,
    ) -> Self {
        let Some(value) = self.serialize("query parameter", name, value) else {
            return self;
        };
        if let Some(text) = joined_text(&value, separator) {
            self.query.push((name.to_owned(), text));
        }
        self
    }

    /// Adds a header, following the query rules for scalars; `null`/`None`
    /// adds nothing and array elements are joined by commas.
    pub fn header<T: Serialize + ?Sized>(mut self, name: &'static str, value: &T) -> Self {
        let Some(value) = self.serialize("header", name, value) else {
            return self;
        };
        let Some(text) = joined_text(&value, ",") else {
            return self;
        };
        let header_name = match HeaderName::from_bytes(name.as_bytes()) {
            Ok(header_name) => header_name,
            Err(error) => {
                return self.fail(RequestError::caused_by(
                    format!("`{name}` is not a valid header name"),
                    error,
                ))
            }
        };
        match HeaderValue::from_str(&text) {
            Ok(header_value) => self.headers.push((header_name, header_value)),
            // The value is not quoted: a header may carry a credential.
            Err(error) => {
                return self.fail(RequestError::caused_by(
                    format!(
                        "the value of header `{name}` contains characters a header cannot carry"
                    ),
                    error,
                ))
            }
        }
        self
    }

    /// Sets a JSON body, serialized now, with the media type
    /// `application/json`.
    pub fn json<T: Serialize + ?Sized>(mut self, body: &T) -> Self {
        match serde_json::to_vec(body) {
            Ok(content) => {
                self.body = Body::Bytes {
                    content: Bytes::from(content),
                    content_type: HeaderValue::from_static("application/json"),
                };
                self
            }
            Err(error) => self.fail(RequestError::caused_by(
                "could not serialize the JSON body",
                error,
            )),
        }
    }

    /// Sets a `multipart/form-data` body.
    pub fn multipart(mut self, mut form: Form) -> Self {
        if let Some(error) = form.take_error() {
            self = self.fail(error);
        }
        self.body = Body::Multipart(form);
        self
    }

    /// Sets a raw body with its media type.
    pub fn bytes(mut self, body: impl Into<Bytes>, content_type: &str) -> Self {
        match HeaderValue::from_str(content_type) {
            Ok(content_type) => {
                self.body = Body::Bytes {
                    content: body.into(),
                    content_type,
                };
                self
            }
            Err(error) => self.fail(RequestError::caused_by(
                format!("invalid media type `{content_type}`"),
                error,
            )),
        }
    }

    /// Names the operation in traces, as the client spells the call
    /// (`text_to_speech.convert`).
    pub fn operation(mut self, name: &'static str) -> Self {
        self.operation = name;
        self
    }

    /// Sets the `accept` header, replacing the default `application/json`.
    pub fn accept(mut self, media_type: &'static str) -> Self {
        match HeaderValue::from_str(media_type) {
            Ok(value) => {
                self.accept = Some(value);
                self
            }
            Err(error) => self.fail(RequestError::caused_by(
                format!("invalid media type `{media_type}`"),
                error,
            )),
        }
    }

    /// The first error met while building, if any; a path parameter that
    /// was never filled in is one.
    pub(crate) fn take_error(&mut self) -> Option<RequestError> {
        self.error.take().or_else(|| self.unfilled_path_error())
    }

    fn unfilled_path_error(&self) -> Option<RequestError> {
        let start = self.path.find('{')?;
        let name = self.path[start + 1..].split('}').next().unwrap_or_default();
        Some(RequestError::new(format!(
            "path parameter `{name}` was not given"
        )))
    }

    /// True when the body can be built again for a retry.
    pub(crate) fn is_replayable(&self) -> bool {
        match &self.body {
            Body::Multipart(form) => form.is_replayable(),
            Body::Empty | Body::Bytes { .. } => true,
        }
    }

    fn serialize<T: Serialize + ?Sized>(
        &mut self,
        what: &str,
        name: &str,
        value: &T,
    ) -> Option<Value> {
        match to_value(value) {
            Ok(value) => Some(value),
            Err(error) => {
                self.error.get_or_insert_with(|| {
                    RequestError::caused_by(format!("could not serialize {what} `{name}`"), error)
                });
                None
            }
        }
    }

    /// Keeps the first error; later ones are usually consequences of it.
    fn fail(mut self, error: RequestError) -> Self {
        self.error.get_or_insert(error);
        self
    }
}

impl fmt::Debug for Request {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let header_names: Vec<&str> = self.headers.iter().map(|(name, _)| name.as_str()).collect();
        f.debug_struct("Request")
            .field("method", &self.method)
            .field("path", &self.path)
            .field("query", &self.query)
            .field("headers", &header_names)
            .field("accept", &self.accept)
            .field("body", &self.body)
            .field("error", &self.error.as_ref().map(RequestError::message))
            .finish()
    }
}

impl fmt::Debug for Body {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Body::Empty => f.write_str("Empty"),
            Body::Bytes {
                content,
                content_type,
            } => write!(
                f,
                "{} ({} bytes)",
                content_type.to_str().unwrap_or("?"),
                content.len()
            ),
            Body::Multipart(form) => fmt::Debug::fmt(form, f),
        }
    }
}

/// One path segment, percent-encoded. The value follows the query rules
/// (strings as is, numbers as written, booleans as `true`/`false`, enums as
/// their serde string); array elements are joined by commas (OpenAPI
/// `style: simple`). Everything but letters, digits and `-._~` is
/// encoded, so `a b/c` becomes `a%20b%2Fc`; `null` gives an empty segment.
pub fn encode_path_segment(value: &Value) -> String {
    let encode = |text: &str| utf8_percent_encode(text, PATH_SEGMENT).to_string();
    match value {
        Value::Array(_) => exploded_texts(value)
            .iter()
            .map(|text| encode(text))
            .collect::<Vec<_>>()
            .join(","),
        other => joined_text(other, ",")
            .map(|text| encode(&text))
            .unwrap_or_default(),
    }
}

/// Why an encoded segment would not stay a segment of its own: URL parsing
/// drops `.` and resolves `..` against the segment before, and an empty
/// segment makes `/a/{id}/b` into `/a//b` or `/a/{id}` into `/a/`.
/// (`%2E` is not a risk: a `%` in the value is itself encoded.)
fn segment_problem(segment: &str) -> Option<&'static str> {
    match segment {
        "" => Some("is empty"),
        "." => Some("is `.`"),
        ".." => Some("is `..`"),
        _ => None,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde::Serialize;

    #[derive(Serialize)]
    #[serde(rename_all = "snake_case")]
    enum OutputFormat {
        Mp3_44100_128,
    }

    fn segment<T: Serialize + ?Sized>(value: &T) -> String {
        encode_path_segment(&to_value(value).unwrap())
    }

    #[test]
    fn path_params_are_percent_encoded_segments() {
        assert_eq!(segment("a b/c"), "a%20b%2Fc");
        assert_eq!(segment("?#%"), "%3F%23%25");
        assert_eq!(segment("ünï"), "%C3%BCn%C3%AF");
        assert_eq!(segment("safe-._~"), "safe-._~");
        assert_eq!(segment(&42), "42");
        assert_eq!(segment(&false), "false");
        assert_eq!(segment(&OutputFormat::Mp3_44100_128), "mp3_44100_128");
        assert_eq!(segment(&["a,b", "c"]), "a%2Cb,c");
        assert_eq!(segment("%2e%2E"), "%252e%252E");
    }

    #[test]
    fn path_params_fill_the_template() {
        let mut request = Request::new(Method::DELETE, "/v1/voices/{voice_id}/samples/{id}")
            .path_param("voice_id", "V 1")
            .path_param("id", &7);
        assert!(request.take_error().is_none());
        assert_eq!(request.path(), "/v1/voices/V%201/samples/7");
    }

    #[test]
    fn path_params_that_would_leave_their_segment_are_refused() {
        for value in ["", ".", ".."] {
            let mut request = Request::new(Method::DELETE, "/v1/history/{history_item_id}")
                .path_param("history_item_id", value);
            let error = request.take_error().expect("refused");
            assert!(error.to_string().contains("`history_item_id`"), "{error}");
        }
        let mut request = Request::new(Method::GET, "/v1/x/{id}").path_param("id", &None::<u8>);
        assert!(
            request.take_error().is_some(),
            "null gives an empty segment"
        );
        for value in ["...", ".a", "a..", "%2e%2e"] {
            let mut request = Request::new(Method::GET, "/v1/x/{id}").path_param("id", value);
            assert!(request.take_error().is_none(), "{value}");
        }
    }

    #[test]
    fn a_path_parameter_left_unfilled_or_unknown_is_an_error() {
        let mut request = Request::new(Method::GET, "/v1/x/{id}");
        let error = request.take_error().expect("unfilled");
        assert!(error.to_string().contains("`id` was not given"), "{error}");
        let mut request = Request::new(Method::GET, "/v1/x").path_param("id", "a");
        assert!(request.take_error().is_some());
    }

    #[test]
    fn query_parameters_follow_the_form_style() {
        let request = Request::new(Method::GET, "/v1/items")
            .query("ids", &["a", "b"])
            .query("flag", &true)
            .query("none", &None::<u32>)
            .query("page", &Some(2))
            .query_joined("fields", &["x", "y"], ",")
            .query_joined("empty", &None::<Vec<String>>, ",");
        let expected: Vec<(String, String)> = [
            ("ids", "a"),
            ("ids", "b"),
            ("flag", "true"),
            ("page", "2"),
            ("fields", "x,y"),
        ]
        .iter()
        .map(|(name, value)| (name.to_string(), value.to_string()))
        .collect();
        assert_eq!(request.query, expected);
    }

    #[test]
    fn an_invalid_header_value_is_kept_as_an_error_without_the_value() {
        let mut request = Request::new(Method::GET, "/").header("x-token", "bad\nvalue");
        let error = request.take_error().expect("an error");
        assert!(error.to_string().contains("x-token"), "{error}");
        assert!(!error.to_string().contains("bad"), "{error}");
    }

    #[test]
    fn headers_join_arrays_and_skip_none() {
        let request = Request::new(Method::GET, "/")
            .header("X-Tags", &["a", "b"])
            .header("x-none", &None::<String>);
        assert_eq!(request.headers.len(), 1);
        assert_eq!(request.headers[0].0.as_str(), "x-tags");
        assert_eq!(request.headers[0].1, "a,b");
    }

    #[test]
    fn the_first_error_is_kept() {
        let mut request = Request::new(Method::POST, "/")
            .bytes(Bytes::new(), "bad\ntype")
            .header("x", "bad\nvalue");
        let error = request.take_error().expect("an error");
        assert!(error.to_string().contains("media type"), "{error}");
    }

    #[test]
    fn debug_shows_header_names_not_values() {
        let request = Request::new(Method::GET, "/").header("xi-api-key", "sk_secret");
        let debug = format!("{request:?}");
        assert!(debug.contains("xi-api-key"), "{debug}");
        assert!(!debug.contains("sk_secret"), "{debug}");
    }
}
