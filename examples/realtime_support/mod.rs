//! What the realtime examples share: standard input as a channel of lines,
//! the one error a channel goes on after, and how errors are printed.

use api_clients::elevenlabs::Error;
use api_clients::runtime::realtime::RealtimeError;
use tokio::sync::mpsc;

/// Lines of standard input, as [`stdin_lines`] delivers them.
pub type Lines = mpsc::Receiver<std::io::Result<String>>;

/// A server message that did not decode; the channel goes on.
pub fn is_decode_error(error: &Error) -> bool {
    matches!(error, Error::Realtime(error) if matches!(**error, RealtimeError::Decode(_)))
}

/// The lines of standard input, read on a thread of their own: a blocking
/// read cannot be cancelled, and on the runtime's blocking pool (as
/// `tokio::io::stdin` does it) it would keep the program from ending until
/// the next line or the end of the input.
pub fn stdin_lines() -> Lines {
    let (lines, receiver) = mpsc::channel(16);
    std::thread::spawn(move || {
        for line in std::io::stdin().lines() {
            let failed = line.is_err();
            if lines.blocking_send(line).is_err() || failed {
                break;
            }
        }
    });
    receiver
}

/// Prints `error` and its causes on one line.
pub fn report(error: &dyn std::error::Error) {
    let mut line = format!("error: {error}");
    let mut cause = error.source();
    while let Some(error) = cause {
        line.push_str(&format!(": {error}"));
        cause = error.source();
    }
    eprintln!("{line}");
}
