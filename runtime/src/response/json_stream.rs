//! A body of JSON values one after another (newline-delimited JSON, or
//! values simply concatenated), decoded as each one arrives.
//!
//! [`JsonSplitter`] finds where each value ends without parsing it: it
//! looks at every byte once, keeping only the nesting depth and whether it
//! is inside a string, so a value that arrives in many chunks costs no more
//! than one that arrives whole. A value longer than the limit is an error
//! instead of a growing buffer. Whitespace (line ends included) separates
//! values and is otherwise ignored.

use std::collections::VecDeque;
use std::fmt;
use std::marker::PhantomData;
use std::pin::Pin;
use std::task::{Context, Poll};

use futures_core::Stream;
use serde::de::DeserializeOwned;

use crate::error::{DecodeError, Error, Failure, TooLargeError};
use crate::response::body::{decode_json, BodyStream};

/// One value found in the stream: its bytes, its number (from 0) and the
/// offset of its first byte in the body.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Framed {
    /// The value's text.
    pub bytes: Vec<u8>,
    /// Its number in the body, from 0.
    pub index: u64,
    /// The offset of its first byte in the body.
    pub offset: u64,
}

/// What went wrong in the framing itself; the stream ends after either.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum FramingError {
    /// A value outgrew the limit.
    TooLarge,
    /// The body ended inside a value.
    Truncated {
        /// The number of the unfinished value.
        index: u64,
        /// Where it starts.
        offset: u64,
    },
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum State {
    /// Between values.
    Between,
    /// Inside an object or array.
    Nested {
        depth: u32,
        in_string: bool,
        escaped: bool,
    },
    /// Inside a string at the top level.
    String { escaped: bool },
    /// Inside a number, `true`, `false`, `null` or anything else that is
    /// not a bracket or a string: it ends at whitespace or at the start of
    /// another value.
    Bare,
}

/// Splits chunks of a body into its JSON values. Public (hidden) for the
/// benchmark and the tests; generated code goes through [`JsonStream`].
#[derive(Debug)]
pub struct JsonSplitter {
    limit: usize,
    /// Bytes not yet dropped; `buffer[0]` is at `dropped` in the body.
    buffer: Vec<u8>,
    dropped: u64,
    /// Where the value being read starts in `buffer`.
    value_start: usize,
    state: State,
    values: u64,
    ready: VecDeque<Framed>,
}

impl JsonSplitter {
    /// A splitter refusing values longer than `limit` bytes.
    pub fn new(limit: usize) -> Self {
        JsonSplitter {
            limit,
            buffer: Vec::new(),
            dropped: 0,
            value_start: 0,
            state: State::Between,
            values: 0,
            ready: VecDeque::new(),
        }
    }

    /// The longest value it accepts.
    pub fn limit(&self) -> usize {
        self.limit
    }

    /// Reads `chunk`, queueing every value it completes.
    pub fn push(&mut self, chunk: &[u8]) -> Result<(), FramingError> {
        let scanned = self.buffer.len();
        self.buffer.extend_from_slice(chunk);
        for at in scanned..self.buffer.len() {
            self.step(at);
        }
        if self.state != State::Between && self.buffer.len() - self.value_start > self.limit {
            return Err(FramingError::TooLarge);
        }
        self.compact();
        Ok(())
    }

    /// Ends the body: a bare value still being read is complete; a string,
    /// object or array is not.
    pub fn finish(&mut self) -> Result<(), FramingError> {
        match self.state {
            State::Between => Ok(()),
            State::Bare => {
                self.complete(self.buffer.len());
                Ok(())
            }
            State::Nested { .. } | State::String { .. } => Err(FramingError::Truncated {
                index: self.values,
                offset: self.dropped + self.value_start as u64,
            }),
        }
    }

    /// The next complete value, in order.
    pub fn next_value(&mut self) -> Option<Framed> {
        self.ready.pop_front()
    }

    fn step(&mut self, at: usize) {
        let byte = self.buffer[at];
        self.state = match self.state {
            State::Between => self.start_value(at, byte),
            State::Nested {
                depth,
                in_string: true,
                escaped,
            } => State::Nested {
                depth,
                in_string: escaped || byte != b'"',
                escaped: !escaped && byte == b'\\',
            },
            State::Nested { depth, .. } => match byte {
                b'"' => State::Nested {
                    depth,
                    in_string: true,
                    escaped: false,
                },
                b'{' | b'[' => State::Nested {
                    depth: depth.saturating_add(1),
                    in_string: false,
                    escaped: false,
                },
                b'}' | b']' if depth == 1 => {
                    self.complete(at + 1);
                    State::Between
                }
                b'}' | b']' => State::Nested {
                    depth: depth - 1,
                    in_string: false,
                    escaped: false,
                },
                _ => self.state,
            },
            State::String { escaped: false } if byte == b'"' => {
                self.complete(at + 1);
                State::Between
            }
            State::String { escaped } => State::String {
                escaped: !escaped && byte == b'\\',
            },
            State::Bare if byte.is_ascii_whitespace() => {
                self.complete(at);
                State::Between
            }
            State::Bare if matches!(byte, b'{' | b'[' | b'"') => {
                self.complete(at);
                self.start_value(at, byte)
            }
            State::Bare => State::Bare,
        };
    }

    fn start_value(&mut self, at: usize, byte: u8) -> State {
        if byte.is_ascii_whitespace() {
            return State::Between;
        }
        self.value_start = at;
        match byte {
            b'{' | b'[' => State::Nested {
                depth: 1,
                in_string: false,
                escaped: false,
            },
            b'"' => State::String { escaped: false },
            _ => State::Bare,
        }
    }

    /// The value from `value_start` to `end` is complete.
    fn complete(&mut self, end: usize) {
        self.ready.push_back(Framed {
            bytes: self.buffer[self.value_start..end].to_vec(),
            index: self.values,
            offset: self.dropped + self.value_start as u64,
        });
        self.values += 1;
        self.value_start = end;
    }

    /// Drops what no value needs any more, once that is at least half the
    /// buffer: each byte is moved a bounded number of times, so the cost
    /// stays linear however the body is cut into chunks.
    fn compact(&mut self) {
        let unneeded = match self.state {
            State::Between => self.buffer.len(),
            _ => self.value_start,
        };
        if unneeded > 0 && unneeded * 2 >= self.buffer.len() {
            self.buffer.drain(..unneeded);
            self.dropped += unneeded as u64;
            self.value_start -= unneeded.min(self.value_start);
        }
    }
}

/// A body of JSON values one after another (newline-delimited JSON, or
/// values concatenated), each decoded as `T` as soon as it is complete,
/// before the body ends.
///
/// A value that does not decode as `T` gives [`Error::Decode`], whose
/// message names the value's number and byte offset and whose path is the
/// place inside it; the stream then goes on with the next value, since the
/// framing is intact. The stream ends after any other error: the
/// connection failing, a value longer than
/// [`ClientBuilder::max_response_size`](crate::ClientBuilder::max_response_size)
/// ([`Error::TooLarge`]), or the body ending inside a value.
pub struct JsonStream<T, E> {
    status: u16,
    splitter: JsonSplitter,
    chunks: BodyStream,
    body_ended: bool,
    finished: bool,
    item: PhantomData<fn() -> (T, E)>,
}

impl<T, E> JsonStream<T, E> {
    pub(crate) fn new(status: u16, limit: usize, chunks: BodyStream) -> Self {
        JsonStream {
            status,
            splitter: JsonSplitter::new(limit),
            chunks,
            body_ended: false,
            finished: false,
            item: PhantomData,
        }
    }

    /// The next complete value, reading chunks until there is one.
    fn poll_value(&mut self, cx: &mut Context<'_>) -> Poll<Option<Result<Framed, Failure>>> {
        loop {
            if let Some(value) = self.splitter.next_value() {
                return Poll::Ready(Some(Ok(value)));
            }
            if self.body_ended {
                return Poll::Ready(None);
            }
            let framed = match std::task::ready!(self.chunks.as_mut().poll_next(cx)) {
                Some(Ok(chunk)) => self.splitter.push(&chunk),
                Some(Err(error)) => return Poll::Ready(Some(Err(Failure::from_body(error)))),
                None => {
                    self.body_ended = true;
                    self.splitter.finish()
                }
            };
            if let Err(error) = framed {
                return Poll::Ready(Some(Err(self.framing_failure(error))));
            }
        }
    }

    fn framing_failure(&self, error: FramingError) -> Failure {
        match error {
            FramingError::TooLarge => Failure::TooLarge(TooLargeError {
                status: self.status,
                limit: self.splitter.limit(),
                what: "a value of the JSON stream",
            }),
            FramingError::Truncated { index, offset } => Failure::Decode(DecodeError::new(
                self.status,
                ".".to_owned(),
                format!("the body ended inside item {index} (from byte {offset})"),
                b"",
            )),
        }
    }
}

/// `value` as `T`, or a decode error that says which value it was.
fn decode_value<T: DeserializeOwned>(status: u16, value: &Framed) -> Result<T, Failure> {
    decode_json(status, &value.bytes).map_err(|mut error| {
        error.message = format!(
            "item {} (from byte {}): {}",
            value.index, value.offset, error.message
        );
        Failure::Decode(error)
    })
}

impl<T: DeserializeOwned, E> Stream for JsonStream<T, E> {
    type Item = Result<T, Error<E>>;

    fn poll_next(mut self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<Option<Self::Item>> {
        if self.finished {
            return Poll::Ready(None);
        }
        let status = self.status;
        let item = match std::task::ready!(self.poll_value(cx)) {
            None => None,
            Some(Ok(value)) => Some(decode_value::<T>(status, &value).map_err(Error::from)),
            Some(Err(failure)) => {
                self.finished = true;
                Some(Err(Error::from(failure)))
            }
        };
        self.finished |= item.is_none();
        Poll::Ready(item)
    }
}

impl<T, E> fmt::Debug for JsonStream<T, E> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("JsonStream")
            .field("status", &self.status)
            .field("finished", &self.finished)
            .finish()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The values of `body` cut into chunks of `size` bytes.
    fn split(body: &[u8], size: usize) -> Result<Vec<(String, u64, u64)>, FramingError> {
        let mut splitter = JsonSplitter::new(1024);
        let mut values = Vec::new();
        let mut take = |splitter: &mut JsonSplitter| {
            while let Some(value) = splitter.next_value() {
                let text = String::from_utf8(value.bytes).unwrap();
                values.push((text, value.index, value.offset));
            }
        };
        for chunk in body.chunks(size) {
            splitter.push(chunk)?;
            take(&mut splitter);
        }
        splitter.finish()?;
        take(&mut splitter);
        Ok(values)
    }

    fn texts(body: &[u8], size: usize) -> Vec<String> {
        split(body, size)
            .unwrap()
            .into_iter()
            .map(|(text, _, _)| text)
            .collect()
    }

    #[test]
    fn lines_and_concatenated_values_split_the_same_at_any_chunk_size() {
        let body = br#"{"a":"}{\"x"} [1,[2]]
"s\"}" 12 true{"b":{}}null"#;
        let expected = [
            r#"{"a":"}{\"x"}"#,
            "[1,[2]]",
            r#""s\"}""#,
            "12",
            "true",
            r#"{"b":{}}"#,
            "null",
        ];
        for size in [1, 2, 3, 7, body.len()] {
            assert_eq!(texts(body, size), expected, "chunks of {size}");
        }
    }

    #[test]
    fn each_value_knows_its_number_and_offset() {
        let values = split(b"{\"a\":1}\n\n  {\"b\":2}\n", 4).unwrap();
        assert_eq!((values[0].1, values[0].2), (0, 0));
        assert_eq!((values[1].1, values[1].2), (1, 11));
    }

    #[test]
    fn a_body_ending_inside_a_value_is_truncated() {
        assert_eq!(
            split(b"{\"a\":1}\n{\"b\":", 5),
            Err(FramingError::Truncated {
                index: 1,
                offset: 8
            })
        );
        assert!(matches!(
            split(b"\"open", 2),
            Err(FramingError::Truncated { .. })
        ));
    }

    #[test]
    fn a_value_longer_than_the_limit_is_refused_while_it_grows() {
        let mut splitter = JsonSplitter::new(16);
        splitter.push(b"{\"short\":1}\n").unwrap();
        splitter.push(b"{\"long\":\"").unwrap();
        assert_eq!(splitter.push(&[b'x'; 16]), Err(FramingError::TooLarge));
    }

    #[test]
    fn many_small_values_in_one_chunk_keep_the_buffer_small() {
        let body = "{\"a\":1}\n".repeat(10_000);
        let mut splitter = JsonSplitter::new(64);
        splitter.push(body.as_bytes()).unwrap();
        assert_eq!(splitter.ready.len(), 10_000);
        assert!(splitter.buffer.is_empty());
    }
}
