//! What every stage shares: the error type with its locations ([`error`]),
//! the identifier cases of type and variant names ([`ident`]), running work
//! on every core ([`parallel`]) and the large stack deeply nested documents
//! need ([`stack`]). Nothing here knows a stage; every stage may use it.

pub mod error;
pub mod ident;
pub mod parallel;
pub mod stack;
