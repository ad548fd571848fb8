//! rustfmt's output for sources it has formatted before, kept between runs.
//!
//! rustfmt is most of the generator's CPU time, and after a spec update most
//! files come out of prettyplease exactly as last time. The cache maps the
//! prettyplease text of a file (with rustfmt's version and options) to what
//! rustfmt made of it, so only new or changed files are formatted again.
//!
//! It lives in one file per API under the build directory (`target/`),
//! never in the repository. It cannot hide drift: `check` compares what the
//! cache gives with the files on disk like any other output, and an entry is
//! only ever rustfmt's own answer for exactly that input. A cache file that
//! is missing, damaged or from another rustfmt is ignored and rewritten.

use std::collections::HashMap;
use std::fs;
use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicUsize, Ordering};

use sha2::{Digest, Sha256};

const MAGIC: &str = "generator rustfmt cache v1";

/// Formatted sources by the hash of their unformatted text.
#[derive(Debug)]
pub struct FormatCache {
    path: PathBuf,
    /// rustfmt's version and options: part of every key.
    stamp: String,
    entries: HashMap<String, String>,
}

impl FormatCache {
    /// Reads the cache at `path`; anything unreadable gives an empty cache.
    pub fn open(path: PathBuf, stamp: String) -> FormatCache {
        let entries = fs::read_to_string(&path)
            .ok()
            .and_then(|text| parse(&text, &stamp))
            .unwrap_or_default();
        FormatCache {
            path,
            stamp,
            entries,
        }
    }

    /// The key of an unformatted text.
    pub fn key(&self, text: &str) -> String {
        let mut hasher = Sha256::new();
        hasher.update(self.stamp.as_bytes());
        hasher.update([0]);
        hasher.update(text.as_bytes());
        hasher
            .finalize()
            .iter()
            .map(|byte| format!("{byte:02x}"))
            .collect()
    }

    /// What rustfmt made of the text with this key last time.
    pub fn get(&self, key: &str) -> Option<&str> {
        self.entries.get(key).map(String::as_str)
    }

    /// Replaces the cache with this run's entries (so it never grows beyond
    /// one crate's files) and writes it; a failure to write only costs the
    /// next run its speed, so it is not an error.
    pub fn store(mut self, entries: HashMap<String, String>) {
        self.entries = entries;
        let _ = self.write();
    }

    fn write(&self) -> std::io::Result<()> {
        let mut keys: Vec<&String> = self.entries.keys().collect();
        keys.sort();
        let mut text = format!("{MAGIC}\n{}\n", self.stamp.replace('\n', " "));
        for key in keys {
            let formatted = &self.entries[key];
            text.push_str(&format!("{key} {}\n", formatted.len()));
            text.push_str(formatted);
        }
        if let Some(dir) = self.path.parent() {
            fs::create_dir_all(dir)?;
        }
        // Other generators (or threads) may read or write it too: each
        // writes a file of its own, then renames it over the cache.
        static WRITES: AtomicUsize = AtomicUsize::new(0);
        let partial = self.path.with_extension(format!(
            "partial-{}-{}",
            std::process::id(),
            WRITES.fetch_add(1, Ordering::Relaxed)
        ));
        fs::write(&partial, text)?;
        fs::rename(&partial, &self.path)
    }
}

/// The entries of a cache file written for `stamp`, or `None`.
fn parse(text: &str, stamp: &str) -> Option<HashMap<String, String>> {
    let rest = text.strip_prefix(MAGIC)?.strip_prefix('\n')?;
    let (file_stamp, mut rest) = rest.split_once('\n')?;
    if file_stamp != stamp.replace('\n', " ") {
        return None;
    }
    let mut entries = HashMap::new();
    while !rest.is_empty() {
        let (line, after) = rest.split_once('\n')?;
        let (key, len) = line.split_once(' ')?;
        let len: usize = len.parse().ok()?;
        let formatted = after.get(..len)?;
        entries.insert(key.to_owned(), formatted.to_owned());
        rest = &after[len..];
    }
    Some(entries)
}

/// Where the cache of `api` lives for a workspace whose build directory is
/// `target`.
pub fn cache_path(target: &Path, api: &str) -> PathBuf {
    target
        .join("generator")
        .join(format!("{api}.rustfmt-cache"))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn cache(dir: &Path, stamp: &str) -> FormatCache {
        FormatCache::open(dir.join("api.rustfmt-cache"), stamp.to_owned())
    }

    /// Stores one entry, `text` formatted as `formatted`; returns its key.
    fn store_one(dir: &Path, stamp: &str, text: &str, formatted: &str) -> String {
        let cache = cache(dir, stamp);
        let key = cache.key(text);
        cache.store(HashMap::from([(key.clone(), formatted.to_owned())]));
        key
    }

    #[test]
    fn stored_entries_come_back_in_the_next_run() {
        let dir = tempfile::tempdir().unwrap();
        let first = cache(dir.path(), "rustfmt 1.0\n--edition 2021");
        let key = first.key("fn  a(){}");
        let other = first.key("fn b() {}\n");
        first.store(HashMap::from([
            (key.clone(), "fn a() {}\n".to_owned()),
            (other.clone(), "fn b() {}\n\n// ünïcode\n".to_owned()),
        ]));

        let second = cache(dir.path(), "rustfmt 1.0\n--edition 2021");
        assert_eq!(second.get(&key), Some("fn a() {}\n"));
        assert_eq!(second.get(&other), Some("fn b() {}\n\n// ünïcode\n"));
    }

    #[test]
    fn another_rustfmt_or_other_options_start_empty() {
        let dir = tempfile::tempdir().unwrap();
        let key = store_one(dir.path(), "rustfmt 1.0", "x", "y");

        let newer = cache(dir.path(), "rustfmt 1.1");
        assert_eq!(newer.get(&key), None);
        assert_ne!(newer.key("x"), key, "the stamp is part of the key");
    }

    #[test]
    fn a_damaged_cache_file_is_ignored() {
        let dir = tempfile::tempdir().unwrap();
        let key = store_one(dir.path(), "s", "x", "formatted");
        let path = dir.path().join("api.rustfmt-cache");
        let text = fs::read_to_string(&path).unwrap();
        fs::write(&path, &text[..text.len() - 3]).unwrap();

        assert_eq!(cache(dir.path(), "s").get(&key), None);
    }
}
