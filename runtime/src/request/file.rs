//! Files to upload: from a path, bytes or a stream, with a name and a
//! content type.

use std::fmt;
use std::io;
use std::path::{Path, PathBuf};
use std::pin::Pin;
use std::sync::{Arc, Mutex};

use bytes::Bytes;
use futures_core::Stream;
use reqwest::multipart::Part;
use serde::ser::Error as _;
use serde::{Deserialize, Deserializer, Serialize, Serializer};

use crate::error::RequestError;

/// The media type of a file part that has none of its own.
const DEFAULT_CONTENT_TYPE: &str = "application/octet-stream";

type BoxByteStream = Pin<Box<dyn Stream<Item = Result<Bytes, io::Error>> + Send>>;

/// Binary content (`type: string, format: binary`): a file to upload in a
/// multipart body, with its name and media type.
///
/// The content comes from memory ([`File::from_bytes`]), from a file on
/// disk ([`File::from_path`], opened and streamed when the request is sent,
/// again on every retry) or from a stream ([`File::from_stream`], which can
/// be sent once only). A file with a name and no media type of its own is
/// sent with the type the name's extension implies.
///
/// JSON has no binary type, so inside a JSON document an in-memory `File` is
/// written as the list of its byte values; the HTTP layer sends it as raw
/// bytes. A file from a path or a stream cannot be written as JSON.
///
/// Two files are equal when their names, media types and content sources
/// are: bytes compare by value, paths by path, streams by identity (a clone
/// of a stream file equals the original).
#[derive(Clone, PartialEq, Eq, Default)]
pub struct File {
    content: Content,
    /// The file name sent with the content, if any.
    pub file_name: Option<String>,
    /// The media type sent with the content, if any.
    pub content_type: Option<String>,
}

#[derive(Clone)]
enum Content {
    Bytes(Bytes),
    Path(PathBuf),
    Stream(SharedStream),
}

/// A stream that the first request to send it takes out.
#[derive(Clone)]
struct SharedStream(Arc<Mutex<Option<BoxByteStream>>>);

impl SharedStream {
    fn take(&self) -> Option<BoxByteStream> {
        // A panic while the lock was held cannot leave the Option half-written.
        let mut slot = self
            .0
            .lock()
            .unwrap_or_else(|poisoned| poisoned.into_inner());
        slot.take()
    }
}

impl Default for Content {
    fn default() -> Self {
        Content::Bytes(Bytes::new())
    }
}

impl PartialEq for Content {
    fn eq(&self, other: &Self) -> bool {
        match (self, other) {
            (Content::Bytes(a), Content::Bytes(b)) => a == b,
            (Content::Path(a), Content::Path(b)) => a == b,
            (Content::Stream(a), Content::Stream(b)) => Arc::ptr_eq(&a.0, &b.0),
            _ => false,
        }
    }
}

impl Eq for Content {}

impl File {
    /// A file from bytes, without a name or media type.
    pub fn from_bytes(data: impl Into<Vec<u8>>) -> Self {
        File {
            content: Content::Bytes(Bytes::from(data.into())),
            ..File::default()
        }
    }

    /// A file read from `path` when the request is sent (on every attempt,
    /// streamed rather than read whole). Its name is the path's file name
    /// and its media type is guessed from the extension, when known.
    pub fn from_path(path: impl Into<PathBuf>) -> Self {
        let path = path.into();
        let file_name = path
            .file_name()
            .map(|name| name.to_string_lossy().into_owned());
        let content_type = mime_guess::from_path(&path).first_raw().map(str::to_owned);
        File {
            content: Content::Path(path),
            file_name,
            content_type,
        }
    }

    /// A file whose content comes from `stream`, without a name or media
    /// type.
    ///
    /// A stream can be sent once only: a request carrying it is not retried
    /// (its first failure is returned), and sending a clone of this file
    /// after the stream was used fails with [`Error::Request`].
    ///
    /// [`Error::Request`]: crate::Error::Request
    pub fn from_stream<S>(stream: S) -> Self
    where
        S: Stream<Item = Result<Bytes, io::Error>> + Send + 'static,
    {
        File {
            content: Content::Stream(SharedStream(Arc::new(Mutex::new(Some(Box::pin(stream)))))),
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

    /// The content, for a file made from bytes.
    pub fn bytes(&self) -> Option<&[u8]> {
        match &self.content {
            Content::Bytes(bytes) => Some(bytes),
            _ => None,
        }
    }

    /// The path, for a file made from a path.
    pub fn path(&self) -> Option<&Path> {
        match &self.content {
            Content::Path(path) => Some(path),
            _ => None,
        }
    }

    /// True for a file made from a stream.
    pub fn is_stream(&self) -> bool {
        matches!(self.content, Content::Stream(_))
    }

    /// The media type the file is sent with: its own, else the one its
    /// file name's extension implies (`voice.mp3` is `audio/mpeg`, as the
    /// official SDKs send it), else `application/octet-stream`.
    fn part_content_type(&self) -> &str {
        self.content_type
            .as_deref()
            .or_else(|| {
                let name = self.file_name.as_deref()?;
                mime_guess::from_path(name).first_raw()
            })
            .unwrap_or(DEFAULT_CONTENT_TYPE)
    }

    /// A multipart part with this file's content, opened now. A part
    /// without a file name is sent under `field`, since many servers only
    /// take a part with a file name as a file.
    pub(crate) async fn to_part(&self, field: &str) -> Result<Part, RequestError> {
        let part = match &self.content {
            Content::Bytes(bytes) => {
                Part::stream_with_length(reqwest::Body::from(bytes.clone()), bytes.len() as u64)
            }
            Content::Path(path) => path_part(path).await?,
            Content::Stream(stream) => {
                let stream = stream.take().ok_or_else(|| {
                    RequestError::new(format!(
                        "the stream of the file for `{field}` was already sent once"
                    ))
                })?;
                Part::stream(reqwest::Body::wrap_stream(stream))
            }
        };
        let file_name = self.file_name.clone().unwrap_or_else(|| field.to_owned());
        let content_type = self.part_content_type();
        part.file_name(file_name)
            .mime_str(content_type)
            .map_err(|error| {
                RequestError::caused_by(
                    format!("invalid media type `{content_type}` for `{field}`"),
                    error,
                )
            })
    }
}

/// A part streaming the file at `path`, with its length known up front.
async fn path_part(path: &Path) -> Result<Part, RequestError> {
    let could_not_read =
        |error| RequestError::caused_by(format!("could not read `{}`", path.display()), error);
    let file = tokio::fs::File::open(path).await.map_err(could_not_read)?;
    let length = file.metadata().await.map_err(could_not_read)?.len();
    let stream = tokio_util::io::ReaderStream::new(file);
    Ok(Part::stream_with_length(
        reqwest::Body::wrap_stream(stream),
        length,
    ))
}

impl fmt::Debug for File {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let mut debug = f.debug_struct("File");
        match &self.content {
            Content::Bytes(bytes) => debug.field("len", &bytes.len()),
            Content::Path(path) => debug.field("path", path),
            Content::Stream(_) => debug.field("stream", &true),
        };
        debug
            .field("file_name", &self.file_name)
            .field("content_type", &self.content_type)
            .finish()
    }
}

impl Serialize for File {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        match &self.content {
            Content::Bytes(bytes) => serializer.serialize_bytes(bytes),
            Content::Path(_) | Content::Stream(_) => Err(S::Error::custom(
                "a file from a path or stream cannot be written as JSON",
            )),
        }
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

    fn empty_stream() -> impl Stream<Item = Result<Bytes, io::Error>> + Send + 'static {
        futures_util::stream::empty()
    }

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

    #[test]
    fn a_path_names_the_file_and_guesses_its_type() {
        let file = File::from_path("/tmp/voices/sample.mp3");
        assert_eq!(file.file_name.as_deref(), Some("sample.mp3"));
        assert_eq!(file.content_type.as_deref(), Some("audio/mpeg"));
        assert_eq!(file.path(), Some(Path::new("/tmp/voices/sample.mp3")));
        assert_eq!(
            File::from_path("notes.txt").content_type.as_deref(),
            Some("text/plain")
        );
        assert_eq!(
            File::from_path("clip.mp4").content_type.as_deref(),
            Some("video/mp4")
        );
        assert_eq!(File::from_path("README").content_type, None);
    }

    #[test]
    fn a_named_file_without_a_type_is_sent_with_the_type_its_name_implies() {
        let named = |name: &str| File::from_bytes(*b"x").with_file_name(name);
        assert_eq!(named("voice.mp3").part_content_type(), "audio/mpeg");
        assert_eq!(named("take.WAV").part_content_type(), "audio/wav");
        assert_eq!(named("notes").part_content_type(), DEFAULT_CONTENT_TYPE);
        assert_eq!(
            File::from_bytes(*b"x").part_content_type(),
            DEFAULT_CONTENT_TYPE
        );
        assert_eq!(
            named("voice.mp3")
                .with_content_type("audio/ogg")
                .part_content_type(),
            "audio/ogg"
        );
    }

    #[test]
    fn path_and_stream_files_refuse_to_become_json() {
        for file in [File::from_path("a.wav"), File::from_stream(empty_stream())] {
            let error = serde_json::to_string(&file).unwrap_err();
            assert_eq!(
                error.to_string(),
                "a file from a path or stream cannot be written as JSON"
            );
        }
    }

    #[test]
    fn streams_compare_by_identity() {
        let stream = File::from_stream(empty_stream());
        assert_eq!(stream.clone(), stream);
        assert_ne!(File::from_stream(empty_stream()), stream);
        assert!(stream.is_stream());
        assert_eq!(
            format!("{stream:?}"),
            "File { stream: true, file_name: None, content_type: None }"
        );
    }

    #[tokio::test]
    async fn a_stream_can_be_turned_into_a_part_once() {
        let file = File::from_stream(empty_stream());
        assert!(file.to_part("audio").await.is_ok());
        let error = file.clone().to_part("audio").await.unwrap_err();
        assert!(error.to_string().contains("already sent once"), "{error}");
    }

    #[tokio::test]
    async fn a_missing_path_is_a_request_error_naming_it() {
        let error = File::from_path("/definitely/not/here.mp3")
            .to_part("file")
            .await
            .unwrap_err();
        assert!(
            error.to_string().contains("/definitely/not/here.mp3"),
            "{error}"
        );
    }
}
