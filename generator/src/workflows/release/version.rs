//! The crate's version and how a change moves it, by Cargo's rules of
//! compatibility: `1.2.3` is compatible with `1.x.y`, `0.2.3` with `0.2.y`,
//! and `0.0.3` with nothing else.

use std::fmt;

/// What a new generation changed, as far as users of the crate can tell.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub enum Bump {
    /// Something in the output changed (documentation, formatting, a
    /// checksum), the public API did not.
    Patch,
    /// The public API changed, and code written against the previous
    /// version still compiles (additions, deprecations).
    Compatible,
    /// Code written against the previous version may stop compiling.
    Incompatible,
}

impl Bump {
    pub fn describe(self) -> &'static str {
        match self {
            Bump::Patch => "patch: the generated code changed, its public API did not",
            Bump::Compatible => "compatible: the public API changed without breaking changes",
            Bump::Incompatible => "incompatible: the public API has breaking changes",
        }
    }
}

/// `major.minor.patch`, without pre-release or build parts.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub struct Version {
    pub major: u64,
    pub minor: u64,
    pub patch: u64,
}

impl Version {
    pub const INITIAL: Version = Version {
        major: 0,
        minor: 1,
        patch: 0,
    };

    /// Reads `1.2.3`; anything else (`1.2`, `1.2.3-rc.1`) is refused: the
    /// generator only writes plain versions.
    pub fn parse(text: &str) -> Option<Version> {
        let mut parts = text.split('.').map(|part| {
            let plain = !part.is_empty() && part.bytes().all(|b| b.is_ascii_digit());
            let canonical = part == "0" || !part.starts_with('0');
            (plain && canonical)
                .then(|| part.parse::<u64>().ok())
                .flatten()
        });
        let version = Version {
            major: parts.next()??,
            minor: parts.next()??,
            patch: parts.next()??,
        };
        parts.next().is_none().then_some(version)
    }

    /// The next version for a change of this kind. Cargo treats `0.y.z`
    /// as compatible with `0.y.*` only, so under `1.0.0` an incompatible
    /// change moves the minor number and a compatible one the patch; every
    /// `0.0.z` stands alone, so any change moves the patch.
    pub fn next(self, bump: Bump) -> Version {
        let Version {
            major,
            minor,
            patch,
        } = self;
        let (major, minor, patch) = match (major, minor, bump) {
            (0, 0, _) => (0, 0, patch + 1),
            (0, _, Bump::Incompatible) => (0, minor + 1, 0),
            (0, _, _) => (0, minor, patch + 1),
            (_, _, Bump::Incompatible) => (major + 1, 0, 0),
            (_, _, Bump::Compatible) => (major, minor + 1, 0),
            (_, _, Bump::Patch) => (major, minor, patch + 1),
        };
        Version {
            major,
            minor,
            patch,
        }
    }
}

impl fmt::Display for Version {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}.{}.{}", self.major, self.minor, self.patch)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn next(version: &str, bump: Bump) -> String {
        Version::parse(version).unwrap().next(bump).to_string()
    }

    #[test]
    fn from_one_on_breaking_moves_major_additions_minor_the_rest_patch() {
        assert_eq!(next("1.2.3", Bump::Incompatible), "2.0.0");
        assert_eq!(next("1.2.3", Bump::Compatible), "1.3.0");
        assert_eq!(next("1.2.3", Bump::Patch), "1.2.4");
        assert_eq!(next("10.0.9", Bump::Compatible), "10.1.0");
    }

    #[test]
    fn under_one_breaking_moves_minor_and_everything_else_patch() {
        assert_eq!(next("0.1.3", Bump::Incompatible), "0.2.0");
        assert_eq!(next("0.1.3", Bump::Compatible), "0.1.4");
        assert_eq!(next("0.1.3", Bump::Patch), "0.1.4");
        assert_eq!(next("0.9.0", Bump::Incompatible), "0.10.0");
    }

    #[test]
    fn every_zero_zero_version_stands_alone() {
        assert_eq!(next("0.0.3", Bump::Incompatible), "0.0.4");
        assert_eq!(next("0.0.3", Bump::Compatible), "0.0.4");
        assert_eq!(next("0.0.3", Bump::Patch), "0.0.4");
    }

    #[test]
    fn only_plain_versions_are_read() {
        assert_eq!(
            Version::parse("0.12.1"),
            Some(Version {
                major: 0,
                minor: 12,
                patch: 1
            })
        );
        for text in ["1.2", "1.2.3.4", "1.2.3-rc.1", "01.2.3", "a.b.c", ""] {
            assert_eq!(Version::parse(text), None, "{text:?}");
        }
    }
}
