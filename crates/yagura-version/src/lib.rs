//! Version ordering for the package ecosystems that OSV advisories cover.
//!
//! Each ecosystem has its own notion of "newer": a Debian `1.0~rc1` is older
//! than `1.0`, a Maven `1.0-sp1` is newer, and a PEP 440 `1.0.dev1` sorts
//! before `1.0a1`. Matching installed packages against advisory ranges needs
//! the right rules, so this crate implements them per ecosystem, written from
//! the respective specifications.
//!
//! ```
//! use std::cmp::Ordering;
//! use yagura_version::{compare, Ecosystem};
//!
//! let eco = Ecosystem::from_osv("Debian:12").unwrap();
//! assert_eq!(compare(eco, "1.0~rc1", "1.0").unwrap(), Ordering::Less);
//! ```

use std::cmp::Ordering;
use std::fmt;

mod apk;
mod composer;
mod dpkg;
mod maven;
mod num;
mod pep440;
mod rpm;
mod rubygems;
mod semver;

#[cfg(test)]
mod tests;

/// A version-ordering scheme. Several OSV ecosystems share one scheme
/// (e.g. Debian and Ubuntu both use dpkg ordering).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Ecosystem {
    /// dpkg ordering (Debian, Ubuntu).
    Debian,
    /// rpmvercmp with `epoch:version-release` (Red Hat, Rocky, Alma, SUSE).
    Rpm,
    /// apk-tools ordering (Alpine, Wolfi, Chainguard).
    Alpine,
    /// PEP 440.
    PyPI,
    /// SemVer 2.0 (npm, crates.io, OSV `SEMVER` ranges).
    SemVer,
    /// Maven `ComparableVersion`.
    Maven,
    /// RubyGems `Gem::Version`.
    RubyGems,
    /// NuGet (SemVer 2.0 plus four-part legacy versions).
    NuGet,
    /// Composer (Packagist).
    Packagist,
    /// Go modules (SemVer with `v` prefix, pseudo-versions).
    Go,
}

impl Ecosystem {
    /// All schemes, for iteration in callers and tests.
    pub const ALL: [Ecosystem; 10] = [
        Ecosystem::Debian,
        Ecosystem::Rpm,
        Ecosystem::Alpine,
        Ecosystem::PyPI,
        Ecosystem::SemVer,
        Ecosystem::Maven,
        Ecosystem::RubyGems,
        Ecosystem::NuGet,
        Ecosystem::Packagist,
        Ecosystem::Go,
    ];

    /// Maps an OSV `affected[].package.ecosystem` value to its ordering
    /// scheme. Release suffixes such as `Debian:12` or `Alpine:v3.19` are
    /// accepted because they do not change the ordering rules.
    pub fn from_osv(name: &str) -> Option<Self> {
        let base = name.split(':').next().unwrap_or(name).trim();
        let eco = match base {
            "Debian" | "Ubuntu" => Ecosystem::Debian,
            "Red Hat" | "Rocky Linux" | "AlmaLinux" | "openSUSE" | "SUSE" | "Mageia"
            | "openEuler" => Ecosystem::Rpm,
            "Alpine" | "Wolfi" | "Chainguard" => Ecosystem::Alpine,
            "PyPI" => Ecosystem::PyPI,
            "npm" | "crates.io" => Ecosystem::SemVer,
            "Maven" => Ecosystem::Maven,
            "RubyGems" => Ecosystem::RubyGems,
            "NuGet" => Ecosystem::NuGet,
            "Packagist" => Ecosystem::Packagist,
            "Go" => Ecosystem::Go,
            _ => return None,
        };
        Some(eco)
    }

    /// Short human-readable name of the scheme.
    pub fn name(self) -> &'static str {
        match self {
            Ecosystem::Debian => "Debian",
            Ecosystem::Rpm => "RPM",
            Ecosystem::Alpine => "Alpine",
            Ecosystem::PyPI => "PyPI",
            Ecosystem::SemVer => "SemVer",
            Ecosystem::Maven => "Maven",
            Ecosystem::RubyGems => "RubyGems",
            Ecosystem::NuGet => "NuGet",
            Ecosystem::Packagist => "Packagist",
            Ecosystem::Go => "Go",
        }
    }
}

impl fmt::Display for Ecosystem {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.name())
    }
}

/// A version string that the ecosystem's rules cannot order.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("invalid {ecosystem} version {version:?}: {reason}")]
pub struct VersionError {
    /// Scheme whose rules rejected the string.
    pub ecosystem: Ecosystem,
    /// The offending version string, as given.
    pub version: String,
    /// Why it was rejected.
    pub reason: &'static str,
}

/// Orders two versions under `eco`'s rules. Versions that are equal under the
/// rules but spelled differently (`1.0` vs `1.0.0` in Maven) yield `Equal`.
pub fn compare(eco: Ecosystem, a: &str, b: &str) -> Result<Ordering, VersionError> {
    let err = |version: &str, reason: &'static str| VersionError {
        ecosystem: eco,
        version: version.to_string(),
        reason,
    };
    macro_rules! both {
        ($parse:path, $cmp:path) => {{
            let pa = $parse(a).map_err(|r| err(a, r))?;
            let pb = $parse(b).map_err(|r| err(b, r))?;
            Ok($cmp(&pa, &pb))
        }};
    }
    match eco {
        Ecosystem::Debian => both!(dpkg::parse, dpkg::cmp),
        Ecosystem::Rpm => both!(rpm::parse, rpm::cmp),
        Ecosystem::Alpine => both!(apk::parse, apk::cmp),
        Ecosystem::PyPI => both!(pep440::parse, pep440::cmp),
        Ecosystem::SemVer => both!(semver::parse_semver, semver::cmp),
        Ecosystem::Maven => both!(maven::parse, maven::cmp),
        Ecosystem::RubyGems => both!(rubygems::parse, rubygems::cmp),
        Ecosystem::NuGet => both!(semver::parse_nuget, semver::cmp),
        Ecosystem::Packagist => both!(composer::parse, composer::cmp),
        Ecosystem::Go => both!(semver::parse_go, semver::cmp),
    }
}

/// Checks that `v` is a version the ecosystem's rules can order.
pub fn validate(eco: Ecosystem, v: &str) -> Result<(), VersionError> {
    compare(eco, v, v).map(|_| ())
}
