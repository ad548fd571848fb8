//! The crate's version and changelog, from the changes against the
//! previous generation. In: the generated files, each API's surface
//! ([`surface::ApiSurface`], made by the pipeline from the model the diff
//! compares) and the crate directory as committed. Out: `Cargo.toml` with
//! the version set, `CHANGELOG.md` and `api-surface.json`, added to the
//! files so that they are written in the same all-or-nothing step as the
//! code.
//!
//! The previous generation is what `api-surface.json` records: its
//! version, each API's surface with the Rust names of its types, union
//! variants and calls, and checksums of the changelog, of the code and of
//! the public item names. The new surfaces are diffed against the recorded
//! ones ([`crate::workflows::diff`], the model and then the Rust names),
//! and the version moves by the most serious change ([`version::Bump`]):
//!
//! - a breaking change (a type or call named anew counts), or public item
//!   names that changed while no API's surface did (a field or function
//!   the generator names differently): incompatible;
//! - other changes of a surface (additions, deprecations): compatible;
//! - a change of the code alone (documentation, formatting, a document's
//!   checksum, the generator): patch;
//! - nothing: the version, the changelog and the record stay as they are,
//!   so generating twice writes the same bytes.
//!
//! A new version gets a section in front of the changelog, dated the day
//! it is made. A changelog that does not match the checksum the record
//! keeps was edited by hand, and generation stops.

pub mod changelog_file;
pub mod channel_record;
pub mod record;
pub mod surface;
pub mod terms;
pub mod version;

use std::path::{Path, PathBuf};

use crate::model::ir::ApiModel;
use crate::support::error::{Error, Location, Result};
use crate::workflows::diff::{self, Changelog, VersionInfo};
use crate::write::{FileSet, CHANGELOG_FILE, SURFACE_FILE};
use changelog_file::ApiChanges;
use record::Record;
use surface::{ApiSurface, DocumentRecord};
use version::{Bump, Version};

/// Where the previous generation is and what the crate is called.
#[derive(Debug, Clone)]
pub struct ReleaseInput<'a> {
    pub package: &'a str,
    /// The crate directory as committed.
    pub previous: &'a Path,
    /// The date a new section is given (`YYYY-MM-DD`).
    pub date: String,
}

/// What the release step decided.
#[derive(Debug, Clone)]
pub struct Release {
    pub version: Version,
    /// How the version moved; `None` when it did not (nothing changed, or
    /// this is the first generation that records its surface).
    pub bump: Option<Bump>,
    /// The first generation with a record: the changelog was started.
    pub initial: bool,
    /// Each API's changes against the record.
    pub changelogs: Vec<(String, Changelog)>,
}

/// What the committed crate says about its last generation.
struct Previous {
    record: Option<Record>,
    changelog: String,
    /// `Cargo.toml`'s version, the start of a crate without a record.
    cargo_version: Option<Version>,
}

/// Sets the version in `files["Cargo.toml"]` and adds the changelog and
/// the record.
pub fn add_release_files(
    files: &mut FileSet,
    surfaces: &[ApiSurface],
    input: &ReleaseInput,
) -> Result<Release> {
    let code = CodeDigests {
        code_sha256: record::code_digest(files),
        public_items_sha256: record::public_items_digest(files),
        root_items: record::root_items(files),
    };
    let previous = read_previous(input.previous)?;
    let (release, changelog) = match &previous.record {
        None => initial(&previous, surfaces, input),
        Some(record) => {
            let changes = Changes::between(record, surfaces, &code)?;
            changes.release(record, &previous.changelog, surfaces, input)?
        }
    };
    let cargo = PathBuf::from("Cargo.toml");
    if let Some(text) = files.get_mut(&cargo) {
        *text = set_package_version(text, release.version);
    }
    let record = Record {
        version: release.version.to_string(),
        changelog_sha256: record::sha256(&changelog),
        code_sha256: code.code_sha256,
        public_items_sha256: code.public_items_sha256,
        root_items: code.root_items,
        apis: surfaces.to_vec(),
    };
    files.insert(PathBuf::from(SURFACE_FILE), record.text());
    files.insert(PathBuf::from(CHANGELOG_FILE), changelog);
    Ok(release)
}

fn invalid(path: &Path, message: impl Into<String>) -> Error {
    Error::invalid(path, Location::Document, message)
}

fn read_previous(dir: &Path) -> Result<Previous> {
    let read = |name: &str| -> Result<Option<String>> {
        let path = dir.join(name);
        match std::fs::read_to_string(&path) {
            Ok(text) => Ok(Some(text)),
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => Ok(None),
            Err(e) => Err(Error::io(&path, e)),
        }
    };
    let record_path = dir.join(SURFACE_FILE);
    let record = read(SURFACE_FILE)?
        .map(|text| {
            Record::parse(&text)
                .map_err(|e| invalid(&record_path, format!("not a surface record: {e}")))
        })
        .transpose()?;
    let changelog = read(CHANGELOG_FILE)?.unwrap_or_default();
    if let Some(record) = &record {
        if record::sha256(&changelog) != record.changelog_sha256 {
            return Err(invalid(
                &dir.join(CHANGELOG_FILE),
                format!(
                    "the changelog is not the one the generator wrote (its sha256 differs from \
                     `changelog_sha256` in {SURFACE_FILE}): it was edited by hand; restore it \
                     (`git checkout {CHANGELOG_FILE}` in the crate's directory) and change the \
                     specs, overlays or generator instead"
                ),
            ));
        }
    }
    let cargo_version = read("Cargo.toml")?.and_then(|text| package_version(&text));
    Ok(Previous {
        record,
        changelog,
        cargo_version,
    })
}

/// The first generation with a record: the version the crate had, and a
/// changelog that starts with it.
fn initial(
    previous: &Previous,
    surfaces: &[ApiSurface],
    input: &ReleaseInput,
) -> (Release, String) {
    let version = previous.cargo_version.unwrap_or(Version::INITIAL);
    let documents: Vec<(&str, &DocumentRecord)> = surfaces
        .iter()
        .map(|s| (s.api.as_str(), &s.document))
        .collect();
    let section = changelog_file::initial_section(version, &input.date, &documents);
    let changelog = changelog_file::prepend(input.package, "", &section);
    let release = Release {
        version,
        bump: None,
        initial: true,
        changelogs: Vec::new(),
    };
    (release, changelog)
}

/// What differs between the record and this generation.
struct Changes {
    changelogs: Vec<(String, Changelog)>,
    bump: Option<Bump>,
    notes: Vec<String>,
}

/// What this generation's code is, as the record keeps it.
struct CodeDigests {
    code_sha256: String,
    public_items_sha256: String,
    root_items: Vec<String>,
}

impl Changes {
    fn between(record: &Record, surfaces: &[ApiSurface], code: &CodeDigests) -> Result<Changes> {
        let changelogs = api_changelogs(record, surfaces)?;
        let breaking = changelogs.iter().any(|(_, c)| c.has_breaking());
        let surface_changed = changelogs.iter().any(|(_, c)| !c.is_empty());
        // A record from before the root items were kept digested every
        // file's items: no comparison of items with it means anything.
        let items_known = !record.root_items.is_empty();
        let items_changed = items_known && record.public_items_sha256 != code.public_items_sha256;
        let (roots_removed, roots_added) = match items_known {
            true => item_changes(&record.root_items, &code.root_items),
            false => (Vec::new(), Vec::new()),
        };
        let code_changed = record.code_sha256 != code.code_sha256;
        let mut notes = Vec::new();
        let bump = if breaking {
            Some(Bump::Incompatible)
        } else if items_changed && !surface_changed {
            notes.push(
                "The generator changed the names of the crate's public items (types, functions, \
                 fields or modules) while no API's surface changed: counted as breaking, since \
                 code naming the old items may stop compiling."
                    .to_owned(),
            );
            Some(Bump::Incompatible)
        } else if !roots_removed.is_empty() {
            notes.push(format!(
                "Public items gone from the crate's root modules (code naming them stops \
                 compiling): {}.",
                roots_removed.join(", ")
            ));
            Some(Bump::Incompatible)
        } else if surface_changed || !roots_added.is_empty() {
            if !roots_added.is_empty() {
                notes.push(format!(
                    "New public items in the crate's root modules: {}.",
                    roots_added.join(", ")
                ));
            }
            Some(Bump::Compatible)
        } else if code_changed {
            notes.push(
                "The generated code changed (documentation, formatting, a document's checksum or \
                 the generator); the public API did not."
                    .to_owned(),
            );
            Some(Bump::Patch)
        } else {
            None
        };
        Ok(Changes {
            changelogs,
            bump,
            notes,
        })
    }

    fn release(
        self,
        record: &Record,
        old_changelog: &str,
        surfaces: &[ApiSurface],
        input: &ReleaseInput,
    ) -> Result<(Release, String)> {
        let previous = Version::parse(&record.version).ok_or_else(|| {
            invalid(
                &input.previous.join(SURFACE_FILE),
                format!("{:?} is not a version (major.minor.patch)", record.version),
            )
        })?;
        let Some(bump) = self.bump else {
            let release = Release {
                version: previous,
                bump: None,
                initial: false,
                changelogs: self.changelogs,
            };
            return Ok((release, old_changelog.to_owned()));
        };
        let version = previous.next(bump);
        let apis: Vec<ApiChanges> = surfaces
            .iter()
            .zip(&self.changelogs)
            .map(|(surface, (api, changelog))| ApiChanges {
                api,
                document: &surface.document,
                changelog,
            })
            .collect();
        let section = changelog_file::section(version, bump, &input.date, &apis, &self.notes);
        let changelog = changelog_file::prepend(input.package, old_changelog, &section);
        let release = Release {
            version,
            bump: Some(bump),
            initial: false,
            changelogs: self.changelogs,
        };
        Ok((release, changelog))
    }
}

/// The items of `old` that `new` lacks, and those `new` adds, each in
/// backticks.
fn item_changes(old: &[String], new: &[String]) -> (Vec<String>, Vec<String>) {
    let tick = |item: &String| format!("`{item}`");
    let removed = old.iter().filter(|i| !new.contains(i)).map(tick).collect();
    let added = new.iter().filter(|i| !old.contains(i)).map(tick).collect();
    (removed, added)
}

/// Each API's changes against the record, in the order of `surfaces`; an
/// API the record does not have is compared with an empty one.
fn api_changelogs(record: &Record, surfaces: &[ApiSurface]) -> Result<Vec<(String, Changelog)>> {
    let model = |surface: &ApiSurface| {
        surface.to_model().map_err(|bad| {
            invalid(
                Path::new(SURFACE_FILE),
                format!("the record of {}: {}", surface.api, bad.0),
            )
        })
    };
    surfaces
        .iter()
        .map(|surface| {
            let mut new = model(surface)?;
            let (old, old_source) = match record.api(&surface.api) {
                Some(recorded) => {
                    // A record from before channels were kept: they are
                    // taken as unchanged.
                    if recorded.channels.is_none() {
                        new.channels.clear();
                    }
                    (model(recorded)?, source(&recorded.document))
                }
                None => (ApiModel::default(), String::new()),
            };
            let mut changelog = diff::diff(&old, &new);
            if let Some(recorded) = record.api(&surface.api) {
                diff::rust_name_changes(
                    (&old, &recorded.rust_names()),
                    (&new, &surface.rust_names()),
                    &mut changelog,
                );
            }
            changelog.old.source = old_source;
            changelog.new.source = source(&surface.document);
            if record.api(&surface.api).is_none() {
                changelog.old = VersionInfo::default();
            }
            Ok((surface.api.clone(), changelog))
        })
        .collect()
}

/// How a changelog names a document: its checksum's start, since
/// `info.version` often stays the same between versions.
fn source(document: &DocumentRecord) -> String {
    let short = document.sha256.get(..12).unwrap_or(&document.sha256);
    format!("sha256 {short}")
}

/// The `version = "…"` of a `Cargo.toml`'s `[package]`.
pub fn package_version(cargo_toml: &str) -> Option<Version> {
    package_lines(cargo_toml)
        .find_map(|line| line.strip_prefix("version = \""))
        .and_then(|rest| rest.strip_suffix('"'))
        .and_then(Version::parse)
}

fn package_lines(cargo_toml: &str) -> impl Iterator<Item = &str> {
    cargo_toml
        .lines()
        .skip_while(|line| line.trim() != "[package]")
        .skip(1)
        .take_while(|line| !line.starts_with('['))
}

/// `cargo_toml` with its `[package]` version set.
pub fn set_package_version(cargo_toml: &str, version: Version) -> String {
    let mut in_package = false;
    let mut out = String::with_capacity(cargo_toml.len());
    for line in cargo_toml.split_inclusive('\n') {
        if line.starts_with('[') {
            in_package = line.trim() == "[package]";
        }
        if in_package && line.starts_with("version = \"") {
            out.push_str(&format!("version = \"{version}\"\n"));
        } else {
            out.push_str(line);
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn root_items_tell_an_addition_from_a_removal() {
        let items = |list: &[&str]| list.iter().map(|i| (*i).to_owned()).collect::<Vec<_>>();
        let old = items(&["a: pub type Connection", "a: pub use x"]);
        let new = items(&["a: pub type Connection", "a: pub type Sender"]);
        let (removed, added) = item_changes(&old, &new);
        assert_eq!(removed, ["`a: pub use x`"]);
        assert_eq!(added, ["`a: pub type Sender`"]);
    }

    const CARGO: &str =
        "# x\n[package]\nname = \"a\"\nversion = \"0.1.0\"\n\n[dependencies]\nversion = \"1\"\n";

    #[test]
    fn the_package_version_is_read_and_set_and_nothing_else() {
        assert_eq!(package_version(CARGO), Version::parse("0.1.0"));
        let set = set_package_version(CARGO, Version::parse("2.3.4").unwrap());
        assert_eq!(set, CARGO.replace("0.1.0", "2.3.4"));
        assert_eq!(package_version(&set), Version::parse("2.3.4"));
    }
}
