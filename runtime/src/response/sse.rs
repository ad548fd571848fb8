//! A `text/event-stream` parser that is linear in its input and bounded in
//! memory.
//!
//! Each byte is looked at once: a chunk is split at line ends and the pieces
//! are appended to the line being read, so a line that arrives in many
//! chunks costs no more than one that arrives whole (the parser this
//! replaces searched the whole pending buffer again on every chunk, which is
//! quadratic in the line length). A line, and an event's data, longer than
//! the limit is an error instead of a growing buffer.
//!
//! Only `data` is kept, as [`EventStream`](crate::EventStream) exposes it;
//! `event`, `id`, `retry` and comments are read and dropped. The rules are
//! the WHATWG HTML standard's ("Interpreting an event stream"): lines end in
//! CR, LF or CRLF, one leading space of a value is dropped, an empty line
//! dispatches the event, an event without data is not dispatched, and an
//! event not closed by an empty line when the stream ends is discarded.

use std::collections::VecDeque;

const BOM: &[u8] = b"\xEF\xBB\xBF";

/// What went wrong in the stream itself.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum SseError {
    /// A line, or the data of one event, outgrew the limit.
    TooLarge,
    /// An event's data is not UTF-8.
    NotUtf8,
}

/// Turns chunks of an event stream into the data of its events. Public
/// (hidden) for the benchmark; generated code goes through
/// [`EventStream`](crate::EventStream).
#[derive(Debug)]
pub struct SseParser {
    limit: usize,
    line: Vec<u8>,
    data: Vec<u8>,
    has_data: bool,
    /// The last chunk ended in CR: an LF at the start of the next one
    /// belongs to the same line end.
    after_cr: bool,
    /// No line has ended yet: the first may start with a byte order mark.
    at_start: bool,
    events: VecDeque<String>,
}

impl SseParser {
    pub fn new(limit: usize) -> Self {
        SseParser {
            limit,
            line: Vec::new(),
            data: Vec::new(),
            has_data: false,
            after_cr: false,
            at_start: true,
            events: VecDeque::new(),
        }
    }

    /// Reads a chunk; complete events can then be taken with
    /// [`next_event`](Self::next_event).
    pub fn push(&mut self, mut chunk: &[u8]) -> Result<(), SseError> {
        if self.after_cr {
            chunk = chunk.strip_prefix(b"\n").unwrap_or(chunk);
            self.after_cr = false;
        }
        while let Some(end) = chunk.iter().position(|&b| b == b'\n' || b == b'\r') {
            self.extend_line(&chunk[..end])?;
            self.end_line()?;
            let crlf = chunk[end] == b'\r' && chunk.get(end + 1) == Some(&b'\n');
            if chunk[end] == b'\r' && end + 1 == chunk.len() {
                self.after_cr = true;
            }
            chunk = &chunk[end + if crlf { 2 } else { 1 }..];
        }
        self.extend_line(chunk)
    }

    /// The longest line or event data accepted.
    pub fn limit(&self) -> usize {
        self.limit
    }

    /// The data of the next complete event, if one is ready.
    pub fn next_event(&mut self) -> Option<String> {
        self.events.pop_front()
    }

    fn extend_line(&mut self, piece: &[u8]) -> Result<(), SseError> {
        if self.line.len() + piece.len() > self.limit {
            return Err(SseError::TooLarge);
        }
        self.line.extend_from_slice(piece);
        Ok(())
    }

    fn end_line(&mut self) -> Result<(), SseError> {
        let mut line = std::mem::take(&mut self.line);
        if std::mem::take(&mut self.at_start) && line.starts_with(BOM) {
            line.drain(..BOM.len());
        }
        if line.is_empty() {
            return self.dispatch();
        }
        let (field, value) = match line.iter().position(|&b| b == b':') {
            Some(0) => return Ok(()),
            Some(colon) => {
                let value = &line[colon + 1..];
                (&line[..colon], value.strip_prefix(b" ").unwrap_or(value))
            }
            None => (&line[..], &[][..]),
        };
        if field == b"data" {
            if self.data.len() + value.len() + 1 > self.limit {
                return Err(SseError::TooLarge);
            }
            self.data.extend_from_slice(value);
            self.data.push(b'\n');
            self.has_data = true;
        }
        // Reuse the line's allocation for the next one.
        self.line = line;
        self.line.clear();
        Ok(())
    }

    fn dispatch(&mut self) -> Result<(), SseError> {
        if !std::mem::take(&mut self.has_data) {
            return Ok(());
        }
        let mut data = std::mem::take(&mut self.data);
        data.pop();
        let text = String::from_utf8(data).map_err(|_| SseError::NotUtf8)?;
        self.events.push_back(text);
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn events(chunks: &[&[u8]]) -> Result<Vec<String>, SseError> {
        let mut parser = SseParser::new(1024);
        let mut out = Vec::new();
        for chunk in chunks {
            parser.push(chunk)?;
            while let Some(event) = parser.next_event() {
                out.push(event);
            }
        }
        Ok(out)
    }

    #[test]
    fn data_lines_join_and_empty_lines_dispatch() {
        let out = events(&[b"data: a\ndata:b\n\ndata: c\n\n"]).unwrap();
        assert_eq!(out, ["a\nb", "c"]);
    }

    #[test]
    fn every_line_end_and_any_split_give_the_same_events() {
        let text =
            b"\xEF\xBB\xBFdata: one\r\n\r\n: comment\revent: x\rdata: two\r\rid: 3\ndata\n\n";
        let whole = events(&[text]).unwrap();
        assert_eq!(whole, ["one", "two", ""]);
        for cut in 0..text.len() {
            let (first, second) = text.split_at(cut);
            assert_eq!(events(&[first, second]).unwrap(), whole, "cut at {cut}");
        }
        let bytes: Vec<&[u8]> = text.chunks(1).collect();
        assert_eq!(events(&bytes).unwrap(), whole);
    }

    #[test]
    fn events_without_data_or_an_ending_empty_line_are_not_dispatched() {
        assert_eq!(
            events(&[b"event: ping\n\n", b"data: cut"]).unwrap(),
            Vec::<String>::new()
        );
    }

    #[test]
    fn a_line_or_an_event_over_the_limit_is_an_error() {
        let long = vec![b'x'; 1100];
        assert_eq!(events(&[b"data: ", &long]), Err(SseError::TooLarge));
        let line = [b"data: ".as_slice(), &[b'y'; 600], b"\n"].concat();
        assert_eq!(events(&[&line, &line]), Err(SseError::TooLarge));
    }

    #[test]
    fn data_that_is_not_utf8_is_an_error() {
        assert_eq!(events(&[b"data: \xFF\n\n"]), Err(SseError::NotUtf8));
    }
}
