//! Errors that name the file and the place in it.

use std::fmt;
use std::path::{Path, PathBuf};

/// Where in a document something went wrong.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Location {
    /// A 1-based line and column in the source text.
    LineColumn { line: usize, column: usize },
    /// A JSON pointer (RFC 6901) into the parsed document.
    Pointer(String),
    /// The document as a whole.
    Document,
}

impl fmt::Display for Location {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Location::LineColumn { line, column } => write!(f, "{line}:{column}"),
            Location::Pointer(pointer) if pointer.is_empty() => f.write_str("#"),
            Location::Pointer(pointer) => write!(f, "#{pointer}"),
            Location::Document => Ok(()),
        }
    }
}

#[derive(Debug, thiserror::Error)]
pub enum Error {
    /// The document (or manifest, or overlay) is wrong at a known place.
    #[error("{}{}: {message}", file.display(), location_suffix(location))]
    Invalid {
        file: PathBuf,
        location: Location,
        message: String,
    },
    #[error("{}: {source}", path.display())]
    Io {
        path: PathBuf,
        #[source]
        source: std::io::Error,
    },
    #[error("generated code for {what} does not parse as Rust: {message}")]
    Emit { what: String, message: String },
    #[error("could not download {url}: {message}")]
    Fetch { url: String, message: String },
    /// The command line asked for something the manifest does not have.
    #[error("{0}")]
    Usage(String),
}

fn location_suffix(location: &Location) -> String {
    match location {
        Location::Document => String::new(),
        other => format!(":{other}"),
    }
}

impl Error {
    pub fn invalid(file: &Path, location: Location, message: impl Into<String>) -> Self {
        Error::Invalid {
            file: file.to_path_buf(),
            location,
            message: message.into(),
        }
    }

    pub fn at_pointer(file: &Path, pointer: &str, message: impl Into<String>) -> Self {
        Error::invalid(file, Location::Pointer(pointer.to_owned()), message)
    }

    pub fn io(path: &Path, source: std::io::Error) -> Self {
        Error::Io {
            path: path.to_path_buf(),
            source,
        }
    }
}

pub type Result<T, E = Error> = std::result::Result<T, E>;

/// Appends one reference token to a JSON pointer, escaping `~` and `/`.
pub fn push_pointer(pointer: &str, token: &str) -> String {
    let escaped = token.replace('~', "~0").replace('/', "~1");
    format!("{pointer}/{escaped}")
}
