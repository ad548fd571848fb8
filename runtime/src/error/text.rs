//! Bodies quoted in error messages.

/// How many characters of a body an error message quotes.
pub(crate) const EXCERPT_CHARS: usize = 200;

/// The start of a body as text, for error messages.
pub(crate) fn excerpt(body: &[u8]) -> String {
    let text = String::from_utf8_lossy(body);
    match text.char_indices().nth(EXCERPT_CHARS) {
        Some((cut, _)) => format!("{}…", &text[..cut]),
        None => text.into_owned(),
    }
}
