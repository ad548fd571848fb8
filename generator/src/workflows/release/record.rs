//! `api-surface.json`: what a generation leaves for the next one to compare
//! with. The crate's version, checksums of the changelog, of the generated
//! code and of its public item names, and each API's surface
//! ([`ApiSurface`]). Written one type and one operation a line, in the
//! model's order, so the file is byte-for-byte the same for the same model
//! and a change to the API shows as a readable `git diff`.

use std::collections::BTreeSet;
use std::fmt::Write as _;
use std::path::Path;

use serde::{Deserialize, Serialize};
use sha2::{Digest, Sha256};

use super::surface::ApiSurface;
use crate::write::{FileSet, CHANGELOG_FILE, SURFACE_FILE};

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Record {
    /// The crate's version (`Cargo.toml` is written from it).
    pub version: String,
    /// sha256 of `CHANGELOG.md` as the generator wrote it.
    pub changelog_sha256: String,
    /// sha256 of the generated files (see [`code_digest`]).
    pub code_sha256: String,
    /// sha256 of the names of the public items of the types' and
    /// operations' files (see [`public_items_digest`]).
    pub public_items_sha256: String,
    /// The public items of every other file (the crate root, each API's
    /// module, client and webhooks), by name: few enough to keep, so that
    /// an item added there is told from one removed (see [`root_items`]).
    #[serde(default)]
    pub root_items: Vec<String>,
    pub apis: Vec<ApiSurface>,
}

fn line<T: Serialize>(value: &T) -> String {
    serde_json::to_string(value).expect("a record serializes")
}

/// Lines of `items`, each indented, comma-separated, as a JSON array.
fn array<T: Serialize>(out: &mut String, key: &str, items: &[T], last: bool) {
    let _ = write!(out, "      {}: [", line(&key));
    for (index, item) in items.iter().enumerate() {
        let comma = if index + 1 < items.len() { "," } else { "" };
        let _ = write!(out, "\n        {}{comma}", line(item));
    }
    let close = if items.is_empty() { "" } else { "\n      " };
    let _ = writeln!(out, "{close}]{}", if last { "" } else { "," });
}

impl Record {
    /// The file's text: pretty at the top, one type or operation a line.
    pub fn text(&self) -> String {
        let mut out = String::from("{\n");
        for (key, value) in [
            ("version", &self.version),
            ("changelog_sha256", &self.changelog_sha256),
            ("code_sha256", &self.code_sha256),
            ("public_items_sha256", &self.public_items_sha256),
        ] {
            let _ = writeln!(out, "  {}: {},", line(&key), line(value));
        }
        out.push_str("  \"root_items\": [");
        for (index, item) in self.root_items.iter().enumerate() {
            let comma = if index + 1 < self.root_items.len() {
                ","
            } else {
                ""
            };
            let _ = write!(out, "\n    {}{comma}", line(item));
        }
        out.push_str(if self.root_items.is_empty() {
            "],\n"
        } else {
            "\n  ],\n"
        });
        out.push_str("  \"apis\": [");
        for (index, api) in self.apis.iter().enumerate() {
            let _ = writeln!(out, "\n    {{\n      \"api\": {},", line(&api.api));
            let _ = writeln!(out, "      \"document\": {},", line(&api.document));
            array(&mut out, "types", &api.types, false);
            match &api.channels {
                Some(channels) => {
                    array(&mut out, "operations", &api.operations, false);
                    array(&mut out, "channels", channels, true);
                }
                None => array(&mut out, "operations", &api.operations, true),
            }
            out.push_str("    }");
            if index + 1 < self.apis.len() {
                out.push(',');
            }
        }
        out.push_str(if self.apis.is_empty() {
            "]\n}\n"
        } else {
            "\n  ]\n}\n"
        });
        out
    }

    pub fn parse(text: &str) -> std::result::Result<Record, String> {
        serde_json::from_str(text).map_err(|e| e.to_string())
    }

    pub fn api(&self, name: &str) -> Option<&ApiSurface> {
        self.apis.iter().find(|api| api.api == name)
    }
}

pub fn sha256(text: &str) -> String {
    Sha256::digest(text.as_bytes())
        .iter()
        .map(|b| format!("{b:02x}"))
        .collect()
}

fn is_release_file(path: &Path) -> bool {
    path == Path::new(CHANGELOG_FILE) || path == Path::new(SURFACE_FILE)
}

/// sha256 over every generated file's path and text, the changelog and
/// the record aside (call it before the version is set in `Cargo.toml`).
pub fn code_digest(files: &FileSet) -> String {
    let mut hasher = Sha256::new();
    for (path, text) in files.iter().filter(|(path, _)| !is_release_file(path)) {
        hasher.update(path.to_string_lossy().as_bytes());
        hasher.update([0]);
        hasher.update(text.as_bytes());
        hasher.update([0]);
    }
    hasher
        .finalize()
        .iter()
        .map(|b| format!("{b:02x}"))
        .collect()
}

/// The public item a line of Rust declares, by name only: `pub struct
/// Voice`, `pub fn voice_id`, `pub voice_id` (a field), or the whole of a
/// `pub use` line. `None` for lines that declare nothing public.
pub fn public_item(line: &str) -> Option<&str> {
    let line = line.trim();
    if !line.starts_with("pub ") {
        return None;
    }
    if line.starts_with("pub use ") {
        return Some(line);
    }
    let end = line
        .find(['(', '<', '{', '=', ';', ':'])
        .unwrap_or(line.len());
    Some(line[..end].trim_end())
}

/// sha256 over the public items ([`public_item`]) of the files under a
/// `types/` or `operations/` folder of the crate's `src/`, sorted: it moves
/// when the generator adds, removes or renames a public type, function,
/// field or module there, and not when only documentation, formatting or
/// bodies change.
pub fn public_items_digest(files: &FileSet) -> String {
    let mut all = String::new();
    for item in public_items(files, true) {
        all.push_str(&item);
        all.push('\n');
    }
    sha256(&all)
}

/// The public items of the crate's other files, sorted: `file: item`.
pub fn root_items(files: &FileSet) -> Vec<String> {
    public_items(files, false).into_iter().collect()
}

fn public_items(files: &FileSet, in_folders: bool) -> BTreeSet<String> {
    let mut items = BTreeSet::new();
    for (path, text) in files.iter().filter(|(path, _)| path.starts_with("src")) {
        let folder = path
            .components()
            .any(|part| matches!(part.as_os_str().to_str(), Some("types" | "operations")));
        if folder != in_folders {
            continue;
        }
        let file = path.to_string_lossy();
        for item in text.lines().filter_map(public_item) {
            items.insert(format!("{file}: {item}"));
        }
    }
    items
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::workflows::release::surface::{DocumentRecord, KindRecord, TypeRecord};

    fn record() -> Record {
        Record {
            version: "0.1.0".to_owned(),
            changelog_sha256: "c".to_owned(),
            code_sha256: "d".to_owned(),
            public_items_sha256: "e".to_owned(),
            root_items: vec!["src/lib.rs: pub mod pets".to_owned()],
            apis: vec![ApiSurface {
                api: "pets".to_owned(),
                document: DocumentRecord {
                    title: "Pets".to_owned(),
                    version: "1".to_owned(),
                    path: "specs/pets.yaml".to_owned(),
                    sha256: "f".to_owned(),
                    overlays: Vec::new(),
                },
                types: vec![
                    TypeRecord {
                        name: Some("Kind".to_owned()),
                        hint: None,
                        deprecated: false,
                        rust: Some("Kind".to_owned()),
                        variants: None,
                        kind: KindRecord::Enum(vec!["cat".to_owned()]),
                    },
                    TypeRecord {
                        name: Some("Alias".to_owned()),
                        hint: None,
                        deprecated: true,
                        rust: None,
                        variants: None,
                        kind: KindRecord::Alias("[]#0".to_owned()),
                    },
                ],
                operations: Vec::new(),
                channels: None,
            }],
        }
    }

    #[test]
    fn the_text_reads_back_and_holds_one_type_a_line() {
        let text = record().text();
        assert_eq!(Record::parse(&text), Ok(record()));
        assert!(
            text.contains("\n        {\"name\":\"Kind\",\"rust\":\"Kind\",\"enum\":[\"cat\"]},\n"),
            "{text}"
        );
        assert!(text.contains("\"operations\": []\n"), "{text}");
    }

    #[test]
    fn public_items_are_named_without_their_signatures() {
        assert_eq!(
            public_item("    pub fn voice_id(mut self, value: String) -> Self {"),
            Some("pub fn voice_id")
        );
        assert_eq!(public_item("pub struct Voice {"), Some("pub struct Voice"));
        assert_eq!(public_item("  pub name: String,"), Some("pub name"));
        assert_eq!(
            public_item("pub use super::a::B;"),
            Some("pub use super::a::B;")
        );
        assert_eq!(public_item("pub(crate) fn hidden() {}"), None);
        assert_eq!(public_item("fn private() {}"), None);
    }

    #[test]
    fn the_items_digest_ignores_bodies_and_sees_renames() {
        use std::path::PathBuf;
        let files = |text: &str| -> FileSet {
            [
                (PathBuf::from("src/pets/types/a.rs"), text.to_owned()),
                (PathBuf::from("src/lib.rs"), "pub mod pets;\n".to_owned()),
            ]
            .into()
        };
        let base = public_items_digest(&files("pub fn a(x: u8) {\n    1\n}\n"));
        let body = public_items_digest(&files("/// Doc.\npub fn a(x: u8) {\n    2\n}\n"));
        let renamed = public_items_digest(&files("pub fn b(x: u8) {\n    1\n}\n"));
        assert_eq!(base, body);
        assert_ne!(base, renamed);
        assert_eq!(
            root_items(&files("pub fn a() {}\n")),
            ["src/lib.rs: pub mod pets"]
        );
    }
}
