//! The key is sent in its header and never printed or logged.

use std::io::Write;
use std::sync::{Arc, Mutex, OnceLock};

use api_runtime::realtime::ConnectOptions;
use api_runtime::StreamExt;
use serde_json::json;
use tracing_subscriber::fmt::MakeWriter;

use crate::common::API_KEY;
use crate::support::*;

/// Everything `tracing` (at TRACE) and `log` (every level) write.
#[derive(Clone, Default)]
struct Captured(Arc<Mutex<Vec<u8>>>);

impl Captured {
    fn text(&self) -> String {
        String::from_utf8_lossy(&self.0.lock().unwrap()).into_owned()
    }
}

impl Write for Captured {
    fn write(&mut self, bytes: &[u8]) -> std::io::Result<usize> {
        self.0.lock().unwrap().extend_from_slice(bytes);
        Ok(bytes.len())
    }

    fn flush(&mut self) -> std::io::Result<()> {
        Ok(())
    }
}

impl<'a> MakeWriter<'a> for Captured {
    type Writer = Captured;

    fn make_writer(&'a self) -> Self::Writer {
        self.clone()
    }
}

impl log::Log for Captured {
    fn enabled(&self, _: &log::Metadata<'_>) -> bool {
        true
    }

    fn log(&self, record: &log::Record<'_>) {
        let line = format!(
            "{} {}: {}\n",
            record.level(),
            record.target(),
            record.args()
        );
        self.clone().write_all(line.as_bytes()).unwrap();
    }

    fn flush(&self) {}
}

fn captured() -> &'static Captured {
    static CAPTURED: OnceLock<Captured> = OnceLock::new();
    CAPTURED.get_or_init(|| {
        let captured = Captured::default();
        let subscriber = tracing_subscriber::fmt()
            .with_writer(captured.clone())
            .with_max_level(tracing::Level::TRACE)
            .with_ansi(false)
            .finish();
        tracing::subscriber::set_global_default(subscriber).expect("the only subscriber");
        log::set_boxed_logger(Box::new(captured.clone())).expect("the only logger");
        log::set_max_level(log::LevelFilter::Trace);
        captured
    })
}

#[tokio::test]
async fn the_key_is_never_printed_or_logged() {
    bounded(async {
        let captured = captured();
        let (base_url, _seen, server) = serve(|mut ws| async move {
            let ping = json!({"type": "ping", "ping_event": {"event_id": 1}});
            send_json(&mut ws, ping).await;
            receive_json(&mut ws).await;
            close_with(&mut ws, 4001, "bad key").await;
            while let Some(Ok(_)) = ws.next().await {}
        })
        .await;
        let mut connection = open(&base_url, ConnectOptions::default()).await.unwrap();
        let mut printed = format!("{connection:?} {connection:#?}");
        connection.next().await.unwrap().unwrap();
        let error = connection.next().await.unwrap().unwrap_err();
        printed.push_str(&format!("{error} {error:?}"));
        let (sender, receiver) = connection.split();
        printed.push_str(&format!("{sender:?} {receiver:?}"));
        server.await.unwrap();

        let logged = captured.text();
        assert!(logged.contains("realtime_connect"), "{logged}");
        assert!(
            logged.contains("tokio_tungstenite"),
            "log records are captured"
        );
        for text in [&printed, &logged] {
            assert!(!text.contains(API_KEY), "the key leaked into: {text}");
            assert!(
                !text.contains("agent%201"),
                "the filled path leaked: {text}"
            );
        }
    })
    .await;
}
