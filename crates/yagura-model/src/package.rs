//! Software inventory: the packages found in a folder, a root file system, a
//! running host, a container image or an SBOM document.
//!
//! Every package reader (OS package databases, installed language metadata,
//! lockfiles, SBOM documents) produces [`Package`]s; the vulnerability matcher
//! and the SBOM writers consume them. Ecosystem names follow OSV so that a
//! package can be matched against OSV advisories without translation.

use serde::{Deserialize, Serialize};

/// Which kind of reader found a package.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum PackageSource {
    /// `/var/lib/dpkg/status` or `status.d/*`.
    Dpkg,
    /// `/lib/apk/db/installed`.
    Apk,
    /// An rpm database (SQLite, BerkeleyDB or NDB).
    Rpm,
    /// Python `*.dist-info/METADATA` or `*.egg-info/PKG-INFO`.
    PythonMetadata,
    /// `node_modules/**/package.json`.
    NodeModules,
    /// A Ruby `*.gemspec` under `specifications/`.
    Gemspec,
    /// A Java archive (manifest or `pom.properties`), nested archives included.
    JavaArchive,
    /// The build information embedded in a Go binary.
    GoBinary,
    /// The dependency list cargo-auditable embeds in a Rust binary.
    RustBinary,
    /// A lockfile or manifest (`Cargo.lock`, `package-lock.json`, …).
    Lockfile,
    /// A CycloneDX or SPDX document made by another tool.
    Sbom,
}

impl PackageSource {
    /// Operating-system package managers; their packages take the
    /// distribution's ecosystem.
    pub fn is_os(self) -> bool {
        matches!(
            self,
            PackageSource::Dpkg | PackageSource::Apk | PackageSource::Rpm
        )
    }

    pub fn as_str(self) -> &'static str {
        match self {
            PackageSource::Dpkg => "dpkg",
            PackageSource::Apk => "apk",
            PackageSource::Rpm => "rpm",
            PackageSource::PythonMetadata => "python-metadata",
            PackageSource::NodeModules => "node-modules",
            PackageSource::Gemspec => "gemspec",
            PackageSource::JavaArchive => "java-archive",
            PackageSource::GoBinary => "go-binary",
            PackageSource::RustBinary => "rust-binary",
            PackageSource::Lockfile => "lockfile",
            PackageSource::Sbom => "sbom",
        }
    }
}

/// The container image layer a file came from.
#[derive(Debug, Clone, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub struct LayerRef {
    /// 0-based position in the image's layer list.
    pub index: usize,
    /// The layer's diff ID (`sha256:` of the uncompressed tar) when known,
    /// otherwise its blob digest.
    pub digest: String,
    /// The history entry that made the layer (`RUN apt-get install …`), if the
    /// image config records it.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub created_by: Option<String>,
}

/// The source package a binary distribution package was built from. Debian,
/// Ubuntu and Alpine advisories name source packages.
#[derive(Debug, Clone, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub struct SourcePackage {
    pub name: String,
    pub version: String,
}

/// One installed or declared package.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Package {
    /// OSV ecosystem: `Debian:12`, `Alpine:v3.20`, `PyPI`, `npm`, `crates.io`,
    /// `Go`, `Maven`, `RubyGems`, `NuGet`, `Packagist`. Empty for an OS package
    /// whose distribution is unknown (no os-release); such a package is listed
    /// but cannot be matched.
    pub ecosystem: String,
    /// Name as the ecosystem spells it. Maven: `group:artifact`.
    pub name: String,
    /// Version as installed. dpkg: `[epoch:]upstream[-revision]`; rpm:
    /// `[epoch:]version-release`.
    pub version: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub source_package: Option<SourcePackage>,
    pub found_by: PackageSource,
    /// The file that records the package (database, metadata file, binary,
    /// lockfile), relative to the scanned root, `/`-separated.
    pub path: String,
    /// 1-based line in `path`, where the format makes it cheap to know.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub line: Option<u32>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub layer: Option<LayerRef>,
    /// SPDX license expressions where the declared license could be
    /// normalised; otherwise `LicenseRef-…` with the text as declared.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub licenses: Vec<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub arch: Option<String>,
    /// Marked as development-only by its lockfile.
    #[serde(default, skip_serializing_if = "std::ops::Not::not")]
    pub dev: bool,
    /// A package URL given by the source (an SBOM); otherwise computed by
    /// [`Package::purl`].
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub purl: Option<String>,
}

impl Package {
    /// A package with the required fields and everything else empty.
    pub fn new(
        ecosystem: impl Into<String>,
        name: impl Into<String>,
        version: impl Into<String>,
        found_by: PackageSource,
        path: impl Into<String>,
    ) -> Self {
        Package {
            ecosystem: ecosystem.into(),
            name: name.into(),
            version: version.into(),
            source_package: None,
            found_by,
            path: path.into(),
            line: None,
            layer: None,
            licenses: Vec::new(),
            arch: None,
            dev: false,
            purl: None,
        }
    }

    /// The ecosystem without its release suffix: `Debian:12` → `Debian`.
    pub fn ecosystem_base(&self) -> &str {
        self.ecosystem.split(':').next().unwrap_or("")
    }
}

/// The operating system of a root file system, from `os-release`.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct Distro {
    /// `ID`: `debian`, `ubuntu`, `alpine`, `rhel`, `rocky`, …
    pub id: String,
    /// `VERSION_ID`: `12`, `22.04`, `3.20.1`, …
    #[serde(default)]
    pub version_id: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub version_codename: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub pretty_name: Option<String>,
    /// The OSV ecosystem for this release (`Debian:12`, `Alpine:v3.20`), or
    /// `None` when OSV has no advisories for the distribution.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub osv_ecosystem: Option<String>,
    /// The file it was read from, relative to the scanned root.
    #[serde(default)]
    pub path: String,
}

/// Something a package reader could not read. The scan goes on; the issue is
/// reported so the user knows what was not seen.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct InventoryIssue {
    /// The file, relative to the scanned root (or the archive and the member).
    pub path: String,
    /// The entry inside the file: a package name, a database record number, a
    /// line.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub entry: Option<String>,
    pub message: String,
}

impl std::fmt::Display for InventoryIssue {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match &self.entry {
            Some(e) => write!(f, "{} ({}): {}", self.path, e, self.message),
            None => write!(f, "{}: {}", self.path, self.message),
        }
    }
}

/// What a package reader found in one file.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct FileInventory {
    pub packages: Vec<Package>,
    pub issues: Vec<InventoryIssue>,
}

impl FileInventory {
    pub fn issue(path: &str, entry: Option<String>, message: impl Into<String>) -> Self {
        FileInventory {
            packages: Vec::new(),
            issues: vec![InventoryIssue {
                path: path.to_string(),
                entry,
                message: message.into(),
            }],
        }
    }
}

/// One CVSS vector of an advisory and the base score computed from it.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct CvssScore {
    /// `3.0`, `3.1` or `4.0`.
    pub version: String,
    pub vector: String,
    pub base_score: f64,
}

/// Whether a matched vulnerability applies, after version comparison and VEX.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(tag = "state", rename_all = "snake_case")]
pub enum VulnState {
    /// The installed version is in an affected range.
    Affected,
    /// The version could not be compared (an unknown version string); never
    /// silently treated as not vulnerable.
    NotAssessed { reason: String },
    /// A VEX statement says the product is not affected.
    NotAffected {
        justification: Option<String>,
        statement: Option<String>,
    },
    /// A VEX statement says it is fixed.
    Fixed { statement: Option<String> },
}

/// One vulnerability of one package: every advisory that describes it merged
/// into one (aliases), as findings and SBOM vulnerability sections show it.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct VulnMatch {
    /// The preferred ID: the CVE when there is one, otherwise the first
    /// advisory's ID.
    pub id: String,
    /// Every other ID of the same vulnerability (GHSA, PYSEC, RUSTSEC, DSA…).
    #[serde(default)]
    pub aliases: Vec<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub summary: Option<String>,
    pub package: Package,
    /// Versions that fix it, per the advisories; empty when none is known.
    #[serde(default)]
    pub fixed_versions: Vec<String>,
    pub severity: crate::Severity,
    /// Where the severity came from: `CVSS:3.1 9.8`, `advisory: HIGH`, or
    /// `unknown` (reported as medium).
    pub severity_source: String,
    #[serde(default)]
    pub cvss: Vec<CvssScore>,
    #[serde(default)]
    pub references: Vec<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub published: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub modified: Option<String>,
    pub state: VulnState,
}
