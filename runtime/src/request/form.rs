//! Multipart bodies: one part per field, files as file parts.

use std::fmt;

use reqwest::multipart::{self, Part};
use serde::Serialize;
use serde_json::Value;

use crate::error::RequestError;
use crate::request::file::File;
use crate::request::value::{scalar_text, to_value};

/// A `multipart/form-data` body.
///
/// The form keeps its fields, not a built body, so the transport can build
/// it afresh for every attempt: a retry resends every text field and every
/// file (files from a path are reopened).
#[derive(Default)]
pub struct Form {
    fields: Vec<Field>,
    error: Option<RequestError>,
}

struct Field {
    name: String,
    value: FieldValue,
}

enum FieldValue {
    Text(String),
    Json(String),
    File(File),
}

impl Form {
    /// An empty form.
    pub fn new() -> Self {
        Form::default()
    }

    /// Adds a text field. `null`/`None` adds nothing; a string is sent as
    /// is; a number or boolean as its text; an array as one part per
    /// element (scalars as text, objects as JSON); an object as JSON text.
    ///
    /// A value that fails to serialize makes the request fail with
    /// [`Error::Request`](crate::Error::Request) when sent.
    pub fn text<T: Serialize + ?Sized>(&mut self, name: &str, value: &T) {
        let Some(value) = self.serialize(name, value) else {
            return;
        };
        match value {
            Value::Array(items) => {
                for item in &items {
                    self.push_text(name, item);
                }
            }
            other => self.push_text(name, &other),
        }
    }

    /// Adds one part holding `value` as JSON text with the media type
    /// `application/json`, for fields the API encodes as JSON. `None` adds
    /// nothing.
    pub fn json<T: Serialize + ?Sized>(&mut self, name: &str, value: &T) {
        match self.serialize(name, value) {
            None | Some(Value::Null) => {}
            Some(value) => self.push(name, FieldValue::Json(value.to_string())),
        }
    }

    /// Adds a file part.
    pub fn file(&mut self, name: &str, file: &File) {
        self.push(name, FieldValue::File(file.clone()));
    }

    /// Adds one part per file under the same name.
    pub fn files(&mut self, name: &str, files: &[File]) {
        for file in files {
            self.file(name, file);
        }
    }

    /// True when the form can be built again for a retry, which a file
    /// from a stream prevents.
    pub(crate) fn is_replayable(&self) -> bool {
        !self.fields.iter().any(|field| match &field.value {
            FieldValue::File(file) => file.is_stream(),
            FieldValue::Text(_) | FieldValue::Json(_) => false,
        })
    }

    /// The first field that failed to serialize.
    pub(crate) fn take_error(&mut self) -> Option<RequestError> {
        self.error.take()
    }

    /// Builds the body for one attempt, opening files from paths.
    pub(crate) async fn build(&self) -> Result<multipart::Form, RequestError> {
        let mut form = multipart::Form::new();
        for field in &self.fields {
            let part = match &field.value {
                FieldValue::Text(text) => Part::text(text.clone()),
                FieldValue::Json(text) => Part::text(text.clone())
                    .mime_str("application/json")
                    .map_err(|error| RequestError::caused_by("invalid media type", error))?,
                FieldValue::File(file) => file.to_part(&field.name).await?,
            };
            form = form.part(field.name.clone(), part);
        }
        Ok(form)
    }

    fn serialize<T: Serialize + ?Sized>(&mut self, name: &str, value: &T) -> Option<Value> {
        match to_value(value) {
            Ok(value) => Some(value),
            Err(error) => {
                self.error.get_or_insert_with(|| {
                    RequestError::caused_by(
                        format!("could not serialize form field `{name}`"),
                        error,
                    )
                });
                None
            }
        }
    }

    fn push_text(&mut self, name: &str, value: &Value) {
        if let Some(text) = scalar_text(value) {
            self.push(name, FieldValue::Text(text));
        }
    }

    fn push(&mut self, name: &str, value: FieldValue) {
        self.fields.push(Field {
            name: name.to_owned(),
            value,
        });
    }
}

impl fmt::Debug for Form {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Form")
            .field("fields", &self.fields)
            .field("error", &self.error.as_ref().map(RequestError::message))
            .finish()
    }
}

impl fmt::Debug for Field {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match &self.value {
            FieldValue::Text(text) => write!(f, "{}: text ({} bytes)", self.name, text.len()),
            FieldValue::Json(text) => write!(f, "{}: json ({} bytes)", self.name, text.len()),
            FieldValue::File(file) => write!(f, "{}: {file:?}", self.name),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    fn texts(form: &Form) -> Vec<(String, String)> {
        form.fields
            .iter()
            .map(|field| match &field.value {
                FieldValue::Text(text) => (field.name.clone(), text.clone()),
                FieldValue::Json(text) => (field.name.clone(), format!("json:{text}")),
                FieldValue::File(_) => (field.name.clone(), "file".to_owned()),
            })
            .collect()
    }

    fn pairs(items: &[(&str, &str)]) -> Vec<(String, String)> {
        items
            .iter()
            .map(|(name, value)| (name.to_string(), value.to_string()))
            .collect()
    }

    #[test]
    fn text_fields_follow_the_scalar_rules() {
        let mut form = Form::new();
        form.text("model_id", "eleven_v3");
        form.text("stability", &0.5);
        form.text("enabled", &true);
        form.text("missing", &None::<String>);
        form.text("labels", &["a", "b"]);
        form.text("settings", &json!({"speed": 1}));
        form.text("mixed", &json!([{"k": 1}, 2, null]));
        assert_eq!(
            texts(&form),
            pairs(&[
                ("model_id", "eleven_v3"),
                ("stability", "0.5"),
                ("enabled", "true"),
                ("labels", "a"),
                ("labels", "b"),
                ("settings", r#"{"speed":1}"#),
                ("mixed", r#"{"k":1}"#),
                ("mixed", "2"),
            ])
        );
    }

    #[test]
    fn json_fields_are_one_part_and_none_is_skipped() {
        let mut form = Form::new();
        form.json("tags", &["a", "b"]);
        form.json("absent", &None::<u8>);
        assert_eq!(texts(&form), pairs(&[("tags", r#"json:["a","b"]"#)]));
    }

    #[test]
    fn stream_files_make_the_form_single_use() {
        let mut form = Form::new();
        form.files(
            "files",
            &[File::from_bytes(*b"x"), File::from_path("a.mp3")],
        );
        assert!(form.is_replayable());
        form.file(
            "stream",
            &File::from_stream(futures_util::stream::empty::<
                Result<bytes::Bytes, std::io::Error>,
            >()),
        );
        assert!(!form.is_replayable());
    }

    #[test]
    fn debug_shows_names_and_sizes_only() {
        let mut form = Form::new();
        form.text("text", "secret words");
        form.file(
            "file",
            &File::from_bytes(*b"secret bytes").with_file_name("a.wav"),
        );
        let debug = format!("{form:?}");
        assert!(!debug.contains("secret"), "{debug}");
        assert!(debug.contains("text: text (12 bytes)"), "{debug}");
        assert!(debug.contains("len: 12"), "{debug}");
    }

    #[test]
    fn a_value_that_does_not_serialize_is_kept_as_an_error() {
        let mut map = std::collections::BTreeMap::new();
        map.insert((1, 2), 3);
        let mut form = Form::new();
        form.text("bad", &map);
        let error = form.take_error().expect("an error");
        assert!(error.to_string().contains("`bad`"), "{error}");
    }
}
