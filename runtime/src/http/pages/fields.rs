//! Reading the paging fields of a page whatever their Rust shape: a
//! required `T`, an optional `Option<T>` or an optional nullable
//! `Nullable<T>`, so the generated glue is the same for all three.

use crate::types::nullable::Nullable;

/// A field holding the next cursor, page token or last item id.
pub trait CursorField {
    /// The cursor, when the page has one.
    fn cursor(&self) -> Option<&str>;
}

/// A field holding a flag such as `has_more`.
pub trait FlagField {
    /// The flag, when the page has it.
    fn flag(&self) -> Option<bool>;
}

/// A field holding a count such as a total.
pub trait CountField {
    /// The count, when the page has one that is not negative.
    fn count(&self) -> Option<u64>;
}

/// A field holding the page's list of items.
pub trait ListField {
    /// The list's item type.
    type Item;
    /// How many items the page holds.
    fn len(&self) -> usize;
    /// Whether the page holds none.
    fn is_empty(&self) -> bool {
        self.len() == 0
    }
    /// The items.
    fn into_items(self) -> Vec<Self::Item>;
}

impl CursorField for String {
    fn cursor(&self) -> Option<&str> {
        Some(self)
    }
}

impl FlagField for bool {
    fn flag(&self) -> Option<bool> {
        Some(*self)
    }
}

impl CountField for i64 {
    fn count(&self) -> Option<u64> {
        u64::try_from(*self).ok()
    }
}

impl CountField for i32 {
    fn count(&self) -> Option<u64> {
        u64::try_from(*self).ok()
    }
}

impl CountField for u32 {
    fn count(&self) -> Option<u64> {
        Some(u64::from(*self))
    }
}

impl CountField for u64 {
    fn count(&self) -> Option<u64> {
        Some(*self)
    }
}

impl<T> ListField for Vec<T> {
    type Item = T;
    fn len(&self) -> usize {
        Vec::len(self)
    }
    fn into_items(self) -> Vec<T> {
        self
    }
}

/// The impls for a wrapper of an optional value: `$get` borrows the value
/// when present, `$take` takes it.
macro_rules! optional_fields {
    ($wrapper:ident, |$s:ident| $get:expr, |$o:ident| $take:expr) => {
        impl<T: CursorField> CursorField for $wrapper<T> {
            fn cursor(&self) -> Option<&str> {
                let $s = self;
                $get?.cursor()
            }
        }

        impl<T: FlagField> FlagField for $wrapper<T> {
            fn flag(&self) -> Option<bool> {
                let $s = self;
                $get?.flag()
            }
        }

        impl<T: CountField> CountField for $wrapper<T> {
            fn count(&self) -> Option<u64> {
                let $s = self;
                $get?.count()
            }
        }

        impl<L: ListField> ListField for $wrapper<L> {
            type Item = L::Item;
            fn len(&self) -> usize {
                let $s = self;
                $get.map_or(0, L::len)
            }
            fn into_items(self) -> Vec<L::Item> {
                let $o = self;
                $take.map(L::into_items).unwrap_or_default()
            }
        }
    };
}

optional_fields!(Option, |s| s.as_ref(), |o| o);
optional_fields!(Nullable, |s| s.value(), |o| o.into_option());

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_shape_of_a_field_reads_the_same() {
        let cursor = String::from("c");
        assert_eq!(cursor.cursor(), Some("c"));
        assert_eq!(Some(cursor.clone()).cursor(), Some("c"));
        assert_eq!(Nullable::Value(cursor).cursor(), Some("c"));
        assert_eq!(Option::<String>::None.cursor(), None);
        assert_eq!(Nullable::<String>::Null.cursor(), None);
        assert_eq!(Some(true).flag(), Some(true));
        assert_eq!(Nullable::<bool>::Absent.flag(), None);
        assert_eq!((-1_i64).count(), None);
        assert_eq!(Some(7_i32).count(), Some(7));
        assert_eq!(Some(vec![1, 2]).len(), 2);
        assert!(Nullable::<Vec<u8>>::Null.is_empty());
        assert_eq!(Nullable::Value(vec![3]).into_items(), vec![3]);
        assert_eq!(Option::<Vec<u8>>::None.into_items(), Vec::<u8>::new());
    }
}
