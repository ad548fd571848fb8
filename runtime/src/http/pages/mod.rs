//! Listings as streams: [`Pages`] sends a paging operation's request again
//! and again, each time from where the last page said the next one starts,
//! and [`Items`] yields the items of those pages one by one.
//!
//! The next page is fetched only when the caller polls for more; every
//! other input of the request is sent unchanged (the request builder is
//! cloned and only its position is set). The stream ends when the server
//! says there is no more (`has_more` false, no next cursor, a short or
//! empty page, the total reached), after an error (yielded as an item, after
//! the pages already received), and with [`Error::Paging`] when the server
//! would make it loop: a cursor sent twice, `has_more` without a cursor, the
//! same page again.
//!
//! A generated request builder implements [`Paged`] (how to send it, read
//! a page and set the position) and, when its page has one list of items,
//! [`Listed`].

use std::fmt;
use std::future::Future;
use std::pin::Pin;
use std::task::{ready, Context, Poll};

use futures_core::Stream;

use crate::error::{Error, ErrorBody, PagingError};
use crate::http::call::Call;

mod fields;
mod strategy;

pub use fields::{CountField, CursorField, FlagField, ListField};
pub use strategy::{PageInfo, Position};
use strategy::{Step, Strategy};

/// A request builder whose operation answers one page of a listing.
pub trait Paged<'a>: Clone + Send + 'a {
    /// The decoded page.
    type Page: Clone + PartialEq + Send + 'static;
    /// The API's typed error body.
    type Body: ErrorBody;

    /// Sends the request for one page.
    fn fetch(self) -> Call<'a, Self::Page, Self::Body>;

    /// What the page says about the next one.
    fn info(page: &Self::Page) -> PageInfo<'_>;

    /// Makes the request ask for the page at `position`.
    fn seek(&mut self, position: Position);

    /// The page size the request asks for (the caller's, else the
    /// declared default), so a short page can end a counted listing.
    fn page_size(&self) -> Option<u64> {
        None
    }
}

/// A [`Paged`] request whose page holds one list of items.
pub trait Listed<'a>: Paged<'a> {
    /// One item of the list.
    type Item: Send;

    /// The page's items.
    fn items(page: Self::Page) -> Vec<Self::Item>;
}

impl<'p> PageInfo<'p> {
    /// Sets the next cursor from its field.
    pub fn next(mut self, field: &'p impl CursorField) -> Self {
        self.next = field.cursor();
        self
    }

    /// Sets `has_more` from its field.
    pub fn has_more(mut self, field: &impl FlagField) -> Self {
        self.has_more = field.flag();
        self
    }

    /// Sets the total from its field.
    pub fn total(mut self, field: &impl CountField) -> Self {
        self.total = field.count();
        self
    }

    /// Sets the number of items from the list.
    pub fn list(mut self, field: &impl ListField) -> Self {
        self.len = Some(field.len());
        self
    }
}

/// The pages of a listing, fetched one at a time as they are polled.
#[must_use = "streams do nothing unless polled"]
pub struct Pages<'a, R: Paged<'a>> {
    /// The request for the next page; `None` once the listing is over.
    request: Option<R>,
    call: Option<Call<'a, R::Page, R::Body>>,
    strategy: Strategy,
    /// The last page of a counted listing, to notice the same page again.
    previous: Option<R::Page>,
    /// An error to yield after the page that caused it.
    pending: Option<Error<R::Body>>,
    received: usize,
}

// No field is ever pinned: the call is boxed.
impl<'a, R: Paged<'a>> Unpin for Pages<'a, R> {}

impl<'a, R: Paged<'a>> Pages<'a, R> {
    /// Pages by cursor (or page token, or last item id), starting from the
    /// request's own cursor, `start`, when it has one.
    pub fn by_cursor(request: R, start: Option<&str>) -> Self {
        Self::new(request, Strategy::by_cursor(start))
    }

    /// Pages by page number, from `first`.
    pub fn by_number(mut request: R, first: i64) -> Self {
        request.seek(Position::Count(first));
        Self::new(request, Strategy::by_number(first))
    }

    /// Pages by offset, from `first`.
    pub fn by_offset(mut request: R, first: i64) -> Self {
        request.seek(Position::Count(first));
        Self::new(request, Strategy::by_offset(first))
    }

    fn new(request: R, strategy: Strategy) -> Self {
        Pages {
            request: Some(request),
            call: None,
            strategy,
            previous: None,
            pending: None,
            received: 0,
        }
    }

    /// Decides what follows a page and passes it (or the error) on.
    fn receive(
        &mut self,
        result: Result<R::Page, Error<R::Body>>,
    ) -> Result<R::Page, Error<R::Body>> {
        self.received += 1;
        let page = result.inspect_err(|_| self.request = None)?;
        if self.strategy.is_counted() {
            if self.previous.as_ref() == Some(&page) {
                self.request = None;
                return Err(self.paging_error("the server sent the same page again"));
            }
            self.previous = Some(page.clone());
        }
        let page_size = self.request.as_ref().and_then(R::page_size);
        match self.strategy.after(&R::info(&page), page_size) {
            Step::Done => self.request = None,
            Step::Next(position) => {
                if let Some(request) = &mut self.request {
                    request.seek(position);
                }
            }
            Step::Stop(reason) => {
                self.request = None;
                self.pending = Some(self.paging_error(&reason));
            }
        }
        Ok(page)
    }

    fn paging_error(&self, reason: &str) -> Error<R::Body> {
        Error::Paging(PagingError {
            page: self.received,
            reason: reason.to_owned(),
        })
    }
}

impl<'a, R: Paged<'a>> Stream for Pages<'a, R> {
    type Item = Result<R::Page, Error<R::Body>>;

    fn poll_next(self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<Option<Self::Item>> {
        let this = self.get_mut();
        loop {
            if let Some(call) = &mut this.call {
                let result = ready!(Pin::new(call).poll(cx));
                this.call = None;
                return Poll::Ready(Some(this.receive(result)));
            }
            if let Some(error) = this.pending.take() {
                return Poll::Ready(Some(Err(error)));
            }
            let Some(request) = &this.request else {
                return Poll::Ready(None);
            };
            this.call = Some(request.clone().fetch());
        }
    }
}

impl<'a, R: Paged<'a>> fmt::Debug for Pages<'a, R> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Pages")
            .field("received", &self.received)
            .field("done", &self.request.is_none())
            .finish_non_exhaustive()
    }
}

/// The items of a listing's pages, one by one.
#[must_use = "streams do nothing unless polled"]
pub struct Items<'a, R: Listed<'a>> {
    pages: Pages<'a, R>,
    buffer: std::vec::IntoIter<R::Item>,
}

impl<'a, R: Listed<'a>> Unpin for Items<'a, R> {}

impl<'a, R: Listed<'a>> Items<'a, R> {
    /// The items of `pages`.
    pub fn new(pages: Pages<'a, R>) -> Self {
        Items {
            pages,
            buffer: Vec::new().into_iter(),
        }
    }
}

impl<'a, R: Listed<'a>> Stream for Items<'a, R> {
    type Item = Result<R::Item, Error<R::Body>>;

    fn poll_next(self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<Option<Self::Item>> {
        let this = self.get_mut();
        loop {
            if let Some(item) = this.buffer.next() {
                return Poll::Ready(Some(Ok(item)));
            }
            match ready!(Pin::new(&mut this.pages).poll_next(cx)) {
                Some(Ok(page)) => this.buffer = R::items(page).into_iter(),
                Some(Err(error)) => return Poll::Ready(Some(Err(error))),
                None => return Poll::Ready(None),
            }
        }
    }
}

impl<'a, R: Listed<'a>> fmt::Debug for Items<'a, R> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Items")
            .field("pages", &self.pages)
            .field("buffered", &self.buffer.len())
            .finish()
    }
}
