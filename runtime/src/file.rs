use serde::{Deserialize, Deserializer, Serialize, Serializer};

/// Binary content (`type: string, format: binary`): a file to upload in a
/// multipart body, with its name and media type.
///
/// JSON has no binary type, so inside a JSON document a `File` is written as
/// the list of its byte values; the HTTP layer sends it as raw bytes.
#[derive(Clone, PartialEq, Eq, Default)]
pub struct File {
    /// The content.
    pub data: Vec<u8>,
    /// The file name sent with the content, if any.
    pub file_name: Option<String>,
    /// The media type sent with the content, if any.
    pub content_type: Option<String>,
}

impl File {
    /// A file from bytes, without a name or media type.
    pub fn from_bytes(data: impl Into<Vec<u8>>) -> Self {
        File {
            data: data.into(),
            ..File::default()
        }
    }

    /// Sets the file name.
    pub fn with_file_name(mut self, name: impl Into<String>) -> Self {
        self.file_name = Some(name.into());
        self
    }

    /// Sets the media type.
    pub fn with_content_type(mut self, content_type: impl Into<String>) -> Self {
        self.content_type = Some(content_type.into());
        self
    }
}

impl std::fmt::Debug for File {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("File")
            .field("len", &self.data.len())
            .field("file_name", &self.file_name)
            .field("content_type", &self.content_type)
            .finish()
    }
}

impl Serialize for File {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        serializer.serialize_bytes(&self.data)
    }
}

impl<'de> Deserialize<'de> for File {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        Vec::<u8>::deserialize(deserializer).map(File::from_bytes)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn debug_shows_the_size_not_the_content() {
        let file = File::from_bytes(vec![1, 2, 3]).with_file_name("a.mp3");
        assert_eq!(
            format!("{file:?}"),
            r#"File { len: 3, file_name: Some("a.mp3"), content_type: None }"#
        );
    }

    #[test]
    fn bytes_round_trip_through_json() {
        let file = File::from_bytes(vec![0, 255]);
        let json = serde_json::to_string(&file).unwrap();
        assert_eq!(json, "[0,255]");
        assert_eq!(serde_json::from_str::<File>(&json).unwrap(), file);
    }
}
