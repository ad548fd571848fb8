//! Drift detection: compares a fresh generation with the files on disk.

use std::fmt::Write as _;
use std::path::{Path, PathBuf};

use similar::TextDiff;

use crate::support::error::Result;
use crate::write::{read_existing, FileSet, CHANGELOG_FILE, SURFACE_FILE};

/// Compares the crate in `dir` with a fresh generation of it.
pub fn drift_of(dir: &Path, fresh: &FileSet) -> Result<Drift> {
    Ok(compare(&read_existing(dir)?, fresh))
}

/// How the files on disk differ from a fresh generation.
#[derive(Debug, Default, PartialEq, Eq)]
pub struct Drift {
    /// Files whose content differs.
    pub changed: Vec<PathBuf>,
    /// Files the generator makes that are missing on disk.
    pub missing: Vec<PathBuf>,
    /// Files on disk the generator no longer makes.
    pub extra: Vec<PathBuf>,
    /// Lines added or removed over all changed files.
    pub changed_lines: usize,
    /// Unified diff of the first differences (capped).
    pub diff: String,
}

impl Drift {
    pub fn is_clean(&self) -> bool {
        self.changed.is_empty() && self.missing.is_empty() && self.extra.is_empty()
    }

    /// Whether the version, the changelog or the surface record differ.
    pub fn release_differs(&self) -> bool {
        let release = [
            Path::new("Cargo.toml"),
            Path::new(CHANGELOG_FILE),
            Path::new(SURFACE_FILE),
        ];
        self.changed
            .iter()
            .chain(&self.missing)
            .chain(&self.extra)
            .any(|path| release.contains(&path.as_path()))
    }
}

/// Why the version or changelog may differ, shown with the drift.
const RELEASE_NOTE: &str =
    "The crate's version (Cargo.toml), CHANGELOG.md and api-surface.json are \
written by the generator from the changes against the previous generation (docs/DESIGN.md, \
\"Versions and the changelog\"): a version or changelog edited by hand does not match what a \
fresh generation writes.";

/// Lines of unified diff shown at most; the counts always cover everything.
const DIFF_LINES_SHOWN: usize = 120;

pub fn compare(on_disk: &FileSet, fresh: &FileSet) -> Drift {
    let mut drift = Drift::default();
    for (path, expected) in fresh {
        match on_disk.get(path) {
            None => drift.missing.push(path.clone()),
            Some(actual) if actual != expected => {
                let diff = TextDiff::from_lines(actual.as_str(), expected.as_str());
                drift.changed_lines += diff
                    .iter_all_changes()
                    .filter(|c| c.tag() != similar::ChangeTag::Equal)
                    .count();
                if drift.diff.lines().count() < DIFF_LINES_SHOWN {
                    let name = path.display().to_string();
                    let text = diff
                        .unified_diff()
                        .context_radius(2)
                        .header(
                            &format!("a/{name} (on disk)"),
                            &format!("b/{name} (generated)"),
                        )
                        .to_string();
                    for line in text
                        .lines()
                        .take(DIFF_LINES_SHOWN - drift.diff.lines().count())
                    {
                        let _ = writeln!(drift.diff, "{line}");
                    }
                }
                drift.changed.push(path.clone());
            }
            Some(_) => {}
        }
    }
    drift.extra = on_disk
        .keys()
        .filter(|p| !fresh.contains_key(*p))
        .cloned()
        .collect();
    drift
}

impl std::fmt::Display for Drift {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        for path in &self.changed {
            writeln!(f, "changed: {}", path.display())?;
        }
        for path in &self.missing {
            writeln!(f, "missing: {}", path.display())?;
        }
        for path in &self.extra {
            writeln!(f, "not generated any more: {}", path.display())?;
        }
        writeln!(
            f,
            "{} files differ, {} lines changed",
            self.changed.len() + self.missing.len() + self.extra.len(),
            self.changed_lines
        )?;
        if self.release_differs() {
            writeln!(f, "{RELEASE_NOTE}")?;
        }
        f.write_str(&self.diff)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn set(files: &[(&str, &str)]) -> FileSet {
        files
            .iter()
            .map(|(p, c)| (PathBuf::from(p), c.to_string()))
            .collect()
    }

    #[test]
    fn identical_sets_are_clean() {
        let files = set(&[("src/lib.rs", "a\n")]);
        assert!(compare(&files, &files).is_clean());
    }

    #[test]
    fn names_changed_missing_and_extra_files_and_counts_lines() {
        let disk = set(&[("src/a.rs", "one\ntwo\n"), ("src/old.rs", "x\n")]);
        let fresh = set(&[("src/a.rs", "one\nthree\n"), ("src/new.rs", "y\n")]);
        let drift = compare(&disk, &fresh);
        assert_eq!(drift.changed, [PathBuf::from("src/a.rs")]);
        assert_eq!(drift.missing, [PathBuf::from("src/new.rs")]);
        assert_eq!(drift.extra, [PathBuf::from("src/old.rs")]);
        assert_eq!(drift.changed_lines, 2);
        assert!(drift.diff.contains("-two\n+three\n"), "{}", drift.diff);
    }
}
