//! When a listing goes on, and where: the decision after each page, for
//! cursors (cursor, after-item and page-token listings) and for counted
//! listings (page numbers and offsets). Pure, so every rule is tested here.

use std::collections::HashSet;

/// Where the next page starts, as the request builder takes it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Position {
    /// A cursor, page token or item id sent back as it came.
    Cursor(String),
    /// A page number or an offset.
    Count(i64),
}

impl Position {
    /// The cursor, for builders of cursor listings.
    pub fn cursor(self) -> Option<String> {
        match self {
            Position::Cursor(cursor) => Some(cursor),
            Position::Count(_) => None,
        }
    }

    /// The page number or offset, for builders of counted listings.
    pub fn count(self) -> Option<i64> {
        match self {
            Position::Count(count) => Some(count),
            Position::Cursor(_) => None,
        }
    }
}

/// What one page says about the next, read by the generated glue.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct PageInfo<'p> {
    /// The next cursor, token or last item id; `None` or empty: none.
    pub next: Option<&'p str>,
    /// The page's `has_more`, when it has one.
    pub has_more: Option<bool>,
    /// The total number of items, when the page says.
    pub total: Option<u64>,
    /// How many items this page holds, when it has one list.
    pub len: Option<usize>,
}

/// After a page: the listing is over, goes on from a position, or cannot
/// go on (the reason ends the stream with [`Error::Paging`](crate::Error::Paging)).
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) enum Step {
    Done,
    Next(Position),
    Stop(String),
}

#[derive(Debug)]
pub(crate) enum Strategy {
    /// Every cursor sent so far, so a repeated one stops the listing.
    Cursor { seen: HashSet<String> },
    /// The page number or offset of the last request, and the items seen.
    Counted {
        at: i64,
        by_offset: bool,
        seen_items: u64,
    },
}

impl Strategy {
    pub(crate) fn by_cursor(start: Option<&str>) -> Self {
        Strategy::Cursor {
            seen: start.map(str::to_owned).into_iter().collect(),
        }
    }

    pub(crate) fn by_number(first: i64) -> Self {
        Strategy::Counted {
            at: first,
            by_offset: false,
            seen_items: 0,
        }
    }

    pub(crate) fn by_offset(first: i64) -> Self {
        Strategy::Counted {
            at: first,
            by_offset: true,
            seen_items: 0,
        }
    }

    pub(crate) fn is_counted(&self) -> bool {
        matches!(self, Strategy::Counted { .. })
    }

    /// Decides from a page (and the page size the request asked for).
    pub(crate) fn after(&mut self, info: &PageInfo<'_>, page_size: Option<u64>) -> Step {
        if info.has_more == Some(false) {
            return Step::Done;
        }
        match self {
            Strategy::Cursor { seen } => after_cursor(seen, info),
            Strategy::Counted {
                at,
                by_offset,
                seen_items,
            } => after_count(at, *by_offset, seen_items, info, page_size),
        }
    }
}

fn after_cursor(seen: &mut HashSet<String>, info: &PageInfo<'_>) -> Step {
    match info.next.filter(|next| !next.is_empty()) {
        None if info.has_more == Some(true) => {
            Step::Stop("the server said there is more but sent no cursor".to_owned())
        }
        None => Step::Done,
        Some(next) if !seen.insert(next.to_owned()) => {
            Step::Stop("the server sent a cursor it had sent before".to_owned())
        }
        Some(next) => Step::Next(Position::Cursor(next.to_owned())),
    }
}

fn after_count(
    at: &mut i64,
    by_offset: bool,
    seen_items: &mut u64,
    info: &PageInfo<'_>,
    page_size: Option<u64>,
) -> Step {
    let len = info.len.map(|len| len as u64);
    if len == Some(0) {
        return Step::Done;
    }
    *seen_items += len.unwrap_or(0);
    if info.total.is_some_and(|total| *seen_items >= total) {
        return Step::Done;
    }
    let short = matches!((len, page_size), (Some(len), Some(size)) if len < size);
    if short && info.has_more != Some(true) {
        return Step::Done;
    }
    let step = if by_offset {
        len.or(page_size)
    } else {
        Some(1)
    };
    match step.and_then(|step| i64::try_from(step).ok()) {
        Some(step) => {
            *at = at.saturating_add(step);
            Step::Next(Position::Count(*at))
        }
        None => Step::Done,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn info(next: Option<&str>, has_more: Option<bool>) -> PageInfo<'_> {
        PageInfo {
            next,
            has_more,
            ..PageInfo::default()
        }
    }

    fn counted(len: usize, has_more: Option<bool>, total: Option<u64>) -> PageInfo<'static> {
        PageInfo {
            next: None,
            has_more,
            total,
            len: Some(len),
        }
    }

    #[test]
    fn a_cursor_goes_on_until_has_more_is_false_or_the_cursor_is_missing() {
        let mut strategy = Strategy::by_cursor(None);
        assert_eq!(
            strategy.after(&info(Some("b"), Some(true)), None),
            Step::Next(Position::Cursor("b".into()))
        );
        assert_eq!(
            strategy.after(&info(Some("c"), Some(false)), None),
            Step::Done
        );
        assert_eq!(strategy.after(&info(None, None), None), Step::Done);
        assert_eq!(strategy.after(&info(Some(""), None), None), Step::Done);
    }

    #[test]
    fn a_repeated_cursor_or_more_without_a_cursor_stops_the_listing() {
        let mut strategy = Strategy::by_cursor(Some("a"));
        assert!(matches!(
            strategy.after(&info(Some("a"), Some(true)), None),
            Step::Stop(_)
        ));
        let mut strategy = Strategy::by_cursor(None);
        assert!(matches!(
            strategy.after(&info(Some("b"), None), None),
            Step::Next(_)
        ));
        assert!(matches!(
            strategy.after(&info(Some("b"), None), None),
            Step::Stop(_)
        ));
        assert!(matches!(
            strategy.after(&info(None, Some(true)), None),
            Step::Stop(_)
        ));
    }

    #[test]
    fn page_numbers_count_up_until_a_short_or_empty_page_or_the_total() {
        let mut strategy = Strategy::by_number(1);
        assert_eq!(
            strategy.after(&counted(2, None, None), Some(2)),
            Step::Next(Position::Count(2))
        );
        assert_eq!(strategy.after(&counted(1, None, None), Some(2)), Step::Done);
        let mut strategy = Strategy::by_number(1);
        assert_eq!(
            strategy.after(&counted(3, None, None), None),
            Step::Next(Position::Count(2))
        );
        assert_eq!(
            strategy.after(&counted(0, Some(true), None), None),
            Step::Done
        );
        let mut strategy = Strategy::by_number(0);
        assert_eq!(
            strategy.after(&counted(2, None, Some(4)), None),
            Step::Next(Position::Count(1))
        );
        assert_eq!(strategy.after(&counted(2, None, Some(4)), None), Step::Done);
    }

    #[test]
    fn has_more_outweighs_a_short_page() {
        let mut strategy = Strategy::by_number(1);
        assert_eq!(
            strategy.after(&counted(1, Some(true), None), Some(5)),
            Step::Next(Position::Count(2))
        );
        assert_eq!(
            strategy.after(&counted(5, Some(false), None), Some(5)),
            Step::Done
        );
    }

    #[test]
    fn offsets_advance_by_the_items_received() {
        let mut strategy = Strategy::by_offset(0);
        assert_eq!(
            strategy.after(&counted(3, None, None), Some(3)),
            Step::Next(Position::Count(3))
        );
        assert_eq!(
            strategy.after(&counted(3, None, None), Some(3)),
            Step::Next(Position::Count(6))
        );
        assert_eq!(strategy.after(&counted(2, None, None), Some(3)), Step::Done);
    }

    #[test]
    fn positions_give_their_own_kind_only() {
        assert_eq!(Position::Cursor("a".into()).cursor().as_deref(), Some("a"));
        assert_eq!(Position::Cursor("a".into()).count(), None);
        assert_eq!(Position::Count(3).count(), Some(3));
        assert_eq!(Position::Count(3).cursor(), None);
    }
}
