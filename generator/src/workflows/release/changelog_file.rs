//! `CHANGELOG.md`: a fixed header, then one section per version, newest
//! first. A section is written once, when its version is made, with the
//! day it was made; later generations keep the older sections as they are.

use std::fmt::Write as _;

use super::surface::DocumentRecord;
use super::version::{Bump, Version};
use crate::workflows::diff::notes::release_notes;
use crate::workflows::diff::render::markdown_source;
use crate::workflows::diff::Changelog;

/// What comes before the first section.
pub fn header(package: &str) -> String {
    format!(
        "# Changelog of `{package}`\n\n\
         Written by `generator` with the code (see docs/DESIGN.md, \"Versions and the changelog\"): \
         one section per version, newest first. Do not edit by hand.\n"
    )
}

/// The sections of a changelog (everything from the first `## `), empty
/// for a changelog without any.
pub fn sections(changelog: &str) -> &str {
    if changelog.starts_with("## ") {
        return changelog;
    }
    match changelog.find("\n## ") {
        Some(at) => &changelog[at + 1..],
        None => "",
    }
}

/// How many sections a changelog has.
pub fn section_count(changelog: &str) -> usize {
    sections(changelog)
        .lines()
        .filter(|line| line.starts_with("## "))
        .count()
}

/// The changelog with `section` in front of the older ones.
pub fn prepend(package: &str, old: &str, section: &str) -> String {
    let older = sections(old);
    let mut out = header(package);
    out.push('\n');
    out.push_str(section.trim_end());
    out.push('\n');
    if !older.is_empty() {
        out.push('\n');
        out.push_str(older);
    }
    out
}

fn documents(out: &mut String, documents: &[(&str, &DocumentRecord)]) {
    out.push_str("Upstream documents:\n\n");
    for (api, document) in documents {
        let _ = writeln!(
            out,
            "- {api}: {} `{}` from `{}` (sha256 `{}`)",
            document.title, document.version, document.path, document.sha256
        );
        for overlay in &document.overlays {
            let _ = writeln!(
                out,
                "  - with overlay `{}` (sha256 `{}`)",
                overlay.path, overlay.sha256
            );
        }
    }
    out.push('\n');
}

/// The section of the first version the generator records.
pub fn initial_section(version: Version, date: &str, apis: &[(&str, &DocumentRecord)]) -> String {
    let mut out = format!("## {version} — {date}\n\n");
    out.push_str(
        "Initial generation: the public surface of every API is recorded in \
         `api-surface.json`, and later versions are bumped from the changes against it.\n\n",
    );
    documents(&mut out, apis);
    out
}

/// What one API contributes to a section.
pub struct ApiChanges<'a> {
    pub api: &'a str,
    pub document: &'a DocumentRecord,
    pub changelog: &'a Changelog,
}

/// A new version's section: the documents, why the version moved, then
/// each API's changes; `notes` are lines about the generator itself.
pub fn section(
    version: Version,
    bump: Bump,
    date: &str,
    apis: &[ApiChanges],
    notes: &[String],
) -> String {
    let mut out = format!("## {version} — {date}\n\n");
    let listed: Vec<(&str, &DocumentRecord)> = apis.iter().map(|a| (a.api, a.document)).collect();
    documents(&mut out, &listed);
    let _ = writeln!(out, "Version bump: {}.\n", bump.describe());
    for note in notes {
        let _ = writeln!(out, "- {note}");
    }
    if !notes.is_empty() {
        out.push('\n');
    }
    for api in apis.iter().filter(|a| !a.changelog.is_empty()) {
        let changelog = api.changelog;
        let _ = writeln!(
            out,
            "### {}\n\nFrom {} to {}: {} changes, {} breaking.\n",
            api.api,
            markdown_source(&changelog.old),
            markdown_source(&changelog.new),
            changelog.total_count(),
            changelog.breaking_count()
        );
        out.push_str(&release_notes(changelog));
    }
    out
}

/// Today's date (UTC) as `YYYY-MM-DD`; `SOURCE_DATE_EPOCH` (seconds)
/// stands for the clock when it is set, for reproducible builds.
pub fn today() -> String {
    let seconds = std::env::var("SOURCE_DATE_EPOCH")
        .ok()
        .and_then(|s| s.trim().parse::<u64>().ok())
        .unwrap_or_else(|| {
            std::time::SystemTime::now()
                .duration_since(std::time::UNIX_EPOCH)
                .map(|d| d.as_secs())
                .unwrap_or(0)
        });
    civil_date(seconds / 86_400)
}

/// The proleptic Gregorian date `days` after 1970-01-01 (Howard
/// Hinnant's `civil_from_days`).
pub fn civil_date(days: u64) -> String {
    let z = days as i64 + 719_468;
    let era = z.div_euclid(146_097);
    let doe = z.rem_euclid(146_097);
    let yoe = (doe - doe / 1460 + doe / 36_524 - doe / 146_096) / 365;
    let doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    let mp = (5 * doy + 2) / 153;
    let day = doy - (153 * mp + 2) / 5 + 1;
    let month = if mp < 10 { mp + 3 } else { mp - 9 };
    let year = yoe + era * 400 + i64::from(month <= 2);
    format!("{year:04}-{month:02}-{day:02}")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn dates_are_counted_from_1970() {
        assert_eq!(civil_date(0), "1970-01-01");
        assert_eq!(civil_date(59), "1970-03-01");
        assert_eq!(civil_date(11_016), "2000-02-29");
        assert_eq!(civil_date(20_790), "2026-12-03");
    }

    #[test]
    fn a_new_section_goes_in_front_of_the_older_ones() {
        let first = prepend("pets", "", "## 0.1.0 — 2026-01-01\n\nfirst\n");
        let second = prepend("pets", &first, "## 0.2.0 — 2026-02-01\n\nsecond\n");
        assert_eq!(section_count(&first), 1);
        assert_eq!(section_count(&second), 2);
        assert!(second.starts_with(&header("pets")), "{second}");
        let newer = second.find("## 0.2.0").unwrap();
        let older = second.find("## 0.1.0").unwrap();
        assert!(newer < older, "{second}");
        assert!(second.ends_with("first\n"), "{second}");
    }
}
