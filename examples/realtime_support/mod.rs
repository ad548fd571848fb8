//! What the realtime examples share: the client (the key from
//! `ELEVENLABS_API_KEY`, `--base-url` if given), standard input as a channel
//! of lines, and how errors end the program.

use std::process::ExitCode;

use api_clients::elevenlabs::Client;
use tokio::sync::mpsc;

/// Lines of standard input, as [`stdin_lines`] delivers them.
pub type Lines = mpsc::Receiver<std::io::Result<String>>;

/// The client, on `base_url` when given.
pub fn client(base_url: Option<&str>) -> Result<Client, Box<dyn std::error::Error>> {
    let mut builder = Client::builder().api_key_from_env();
    if let Some(base_url) = base_url {
        builder = builder.base_url(base_url);
    }
    Ok(builder.build()?)
}

/// Success, or the error and its causes on standard error and a failure.
pub fn exit_code(result: Result<(), Box<dyn std::error::Error>>) -> ExitCode {
    match result {
        Ok(()) => ExitCode::SUCCESS,
        Err(error) => {
            report(&*error);
            ExitCode::FAILURE
        }
    }
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
fn report(error: &dyn std::error::Error) {
    let mut line = format!("error: {error}");
    let mut cause = error.source();
    while let Some(error) = cause {
        line.push_str(&format!(": {error}"));
        cause = error.source();
    }
    eprintln!("{line}");
}
