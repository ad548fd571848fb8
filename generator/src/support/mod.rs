//! What every stage shares: the error type with its locations ([`error`]),
//! running work on every core ([`parallel`]), the large stack deeply nested
//! documents need ([`stack`]).
//! Nothing here knows a stage; every stage may use it.

pub mod error;
pub mod parallel;
pub mod stack;
