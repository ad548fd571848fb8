//! A Prism mock server (`@stoplight/prism-cli`, pinned in `tools/package.json`)
//! running on 127.0.0.1 for the lifetime of a [`PrismServer`].
//!
//! Flags, chosen deliberately:
//! - static responses (no `--dynamic`): answers come from the document's
//!   examples, or from a schema sample built without randomness, so runs are
//!   deterministic;
//! - the document as given (the contract test passes the vendored document
//!   with the project's overlays applied, as JSON): Prism 5.16 reads the
//!   ElevenLabs 3.1 and Tavus 3.0 documents without conversion;
//! - no `--errors`: Prism validates every request either way (an invalid one
//!   gets 422, or 401 for a missing security header, with the violations in
//!   the `sl-violations` response header, or in the body when the document
//!   declares no 422 of its own). `--errors` only adds that a
//!   *response* violating its own schema (a mistake in the document's
//!   examples) becomes a 500, which says nothing about the request; those
//!   violations still arrive in `sl-violations`, so the test reports them;
//! - `--verboseLevel warn`: the per-route and per-request info lines cost CPU
//!   on a small machine and the test reads everything it needs from HTTP.

use std::fs::File;
use std::net::{TcpListener, TcpStream};
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

/// How long Prism may take to load a document (the ElevenLabs one takes
/// about 12 s on an idle 2-core machine).
const STARTUP_DEADLINE: Duration = Duration::from_secs(180);

pub struct PrismServer {
    child: Child,
    port: u16,
    log: PathBuf,
    started_in: Duration,
    _log_dir: tempfile::TempDir,
}

impl PrismServer {
    /// Starts `prism mock` on `spec` and waits until it accepts connections.
    pub fn start(spec: &Path) -> PrismServer {
        let prism = prism_binary();
        let port = free_port();
        let log_dir = tempfile::tempdir().expect("a temp dir for Prism's log");
        let log = log_dir.path().join("prism.log");
        let log_file = File::create(&log).expect("Prism's log file");
        let started = Instant::now();
        let child = Command::new(&prism)
            .args(["mock", "--host", "127.0.0.1", "--port", &port.to_string()])
            .args(["--verboseLevel", "warn"])
            .arg(spec)
            .stdin(Stdio::null())
            .stdout(log_file.try_clone().expect("clone of the log file"))
            .stderr(log_file)
            .spawn()
            .unwrap_or_else(|e| panic!("cannot start {}: {e}", prism.display()));
        let mut server = PrismServer {
            child,
            port,
            log,
            started_in: Duration::ZERO,
            _log_dir: log_dir,
        };
        server.wait_until_ready(spec);
        server.started_in = started.elapsed();
        server
    }

    pub fn port(&self) -> u16 {
        self.port
    }

    pub fn base_url(&self) -> String {
        format!("http://127.0.0.1:{}", self.port)
    }

    /// How long Prism took from spawn to accepting connections.
    pub fn started_in(&self) -> Duration {
        self.started_in
    }

    fn wait_until_ready(&mut self, spec: &Path) {
        let deadline = Instant::now() + STARTUP_DEADLINE;
        loop {
            if TcpStream::connect(("127.0.0.1", self.port)).is_ok() {
                return;
            }
            if let Ok(Some(status)) = self.child.try_wait() {
                panic!(
                    "Prism exited ({status}) while loading {}:\n{}",
                    spec.display(),
                    self.log_tail()
                );
            }
            if Instant::now() > deadline {
                panic!(
                    "Prism did not listen on port {} within {STARTUP_DEADLINE:?} for {}:\n{}",
                    self.port,
                    spec.display(),
                    self.log_tail()
                );
            }
            std::thread::sleep(Duration::from_millis(200));
        }
    }

    fn log_tail(&self) -> String {
        let text = std::fs::read_to_string(&self.log).unwrap_or_default();
        let start = text.len().saturating_sub(4000);
        let start = (start..text.len())
            .find(|&i| text.is_char_boundary(i))
            .unwrap_or(text.len());
        text[start..].to_string()
    }
}

/// `.bin/prism` is a `#!/usr/bin/env node` script, so the child is the one
/// node process that serves everything (without `--multiprocess` Prism forks
/// nothing): killing it ends Prism. It stays in the test's process group, so
/// an interrupted test run (Ctrl-C) ends it too.
impl Drop for PrismServer {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

fn prism_binary() -> PathBuf {
    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    let prism = root.join("tools/node_modules/.bin/prism");
    assert!(
        prism.exists(),
        "{} not found: install the test tools with `npm ci --prefix tools` (Node 20+)",
        prism.display()
    );
    prism
}

/// A port nobody listens on right now; the tiny race until Prism binds it is
/// acceptable for a test.
fn free_port() -> u16 {
    TcpListener::bind(("127.0.0.1", 0))
        .and_then(|listener| listener.local_addr())
        .expect("a free port on 127.0.0.1")
        .port()
}
