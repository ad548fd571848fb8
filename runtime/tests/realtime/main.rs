//! Realtime channels against a local WebSocket server the test starts on
//! 127.0.0.1: typed messages both ways, the key as a header and nowhere
//! else, refused upgrades, decode errors, closes, limits, automatic pongs,
//! split halves and timeouts. Each test is bounded as a whole, so a bug
//! fails rather than hangs.

#![cfg(feature = "realtime")]

#[path = "../common/mod.rs"]
mod common;
mod messages;
mod opening;
mod secrets;
mod support;
