//! Readers of operating-system package databases: dpkg, apk and rpm
//! (SQLite, BerkeleyDB and NDB), plus `os-release` and Debian copyright files.
//!
//! Every reader is pure: bytes in, [`FileInventory`] or [`Distro`] out. The
//! caller finds the files (folder, root file system, host, image layer) and
//! assigns each package the distribution's ecosystem, so packages come out
//! with an empty `ecosystem`.

mod apk;
mod dpkg;
mod license;
mod os_release;
mod rpm;

pub use dpkg::parse_debian_copyright;
pub use license::normalise_license;
pub use os_release::parse_os_release;

use yagura_model::package::FileInventory;

/// Why a file could not be read at all. Damage inside a readable file is
/// reported as [`yagura_model::package::InventoryIssue`]s instead, so one bad
/// record does not hide the rest.
#[derive(Debug, thiserror::Error)]
pub enum Error {
    #[error("{path}: not UTF-8 text")]
    NotText { path: String },
    #[error("{path}: no ID field, not an os-release file")]
    NotOsRelease { path: String },
}

/// The kinds of files this crate reads.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum OsFileKind {
    /// `var/lib/dpkg/status`.
    DpkgStatus,
    /// `var/lib/dpkg/status.d/<pkg>`: distroless images keep one stanza per file.
    DpkgStatusD,
    /// `lib/apk/db/installed`.
    ApkInstalled,
    /// `rpmdb.sqlite` (rpm ≥ 4.16, Fedora 33+, RHEL 9).
    RpmSqlite,
    /// `Packages`: BerkeleyDB hash (RHEL ≤ 8, CentOS, Amazon Linux 2).
    RpmBdb,
    /// `Packages.db`: rpm's own NDB format (SUSE).
    RpmNdb,
    /// `etc/os-release` or `usr/lib/os-release`.
    OsRelease,
    /// `usr/share/doc/<pkg>/copyright`.
    DebianCopyright,
}

impl OsFileKind {
    /// Package databases, as opposed to metadata files (`os-release`, copyright).
    pub fn is_package_db(self) -> bool {
        !matches!(self, OsFileKind::OsRelease | OsFileKind::DebianCopyright)
    }
}

/// Recognises a file by its path relative to the root (`/`-separated, no
/// leading slash).
pub fn classify(path: &str) -> Option<OsFileKind> {
    let path = path.trim_start_matches("./").trim_start_matches('/');
    match path {
        "var/lib/dpkg/status" => return Some(OsFileKind::DpkgStatus),
        "lib/apk/db/installed" => return Some(OsFileKind::ApkInstalled),
        "etc/os-release" | "usr/lib/os-release" => return Some(OsFileKind::OsRelease),
        _ => {}
    }
    if let Some(name) = path.strip_prefix("var/lib/dpkg/status.d/") {
        if !name.is_empty()
            && !name.contains('/')
            && !name.ends_with(".md5sums")
            && !name.starts_with('.')
        {
            return Some(OsFileKind::DpkgStatusD);
        }
        return None;
    }
    for dir in ["var/lib/rpm/", "usr/lib/sysimage/rpm/"] {
        if let Some(name) = path.strip_prefix(dir) {
            return match name {
                "Packages" => Some(OsFileKind::RpmBdb),
                "Packages.db" => Some(OsFileKind::RpmNdb),
                "rpmdb.sqlite" => Some(OsFileKind::RpmSqlite),
                _ => None,
            };
        }
    }
    if let Some(rest) = path.strip_prefix("usr/share/doc/") {
        if let Some((pkg, "copyright")) = rest.split_once('/') {
            if !pkg.is_empty() {
                return Some(OsFileKind::DebianCopyright);
            }
        }
    }
    None
}

/// Reads a package database. For the rpm kinds the format is sniffed from
/// the magic bytes, because the file name alone does not decide it (some
/// distributions keep a SQLite db under an old name). Non-database kinds
/// yield an empty inventory with an issue.
pub fn parse(kind: OsFileKind, path: &str, bytes: &[u8]) -> FileInventory {
    match kind {
        OsFileKind::DpkgStatus | OsFileKind::DpkgStatusD => dpkg::parse_status(path, bytes),
        OsFileKind::ApkInstalled => apk::parse_installed(path, bytes),
        OsFileKind::RpmSqlite | OsFileKind::RpmBdb | OsFileKind::RpmNdb => {
            rpm::parse_rpmdb(path, bytes)
        }
        OsFileKind::OsRelease | OsFileKind::DebianCopyright => FileInventory::issue(
            path,
            None,
            "not a package database; use parse_os_release or parse_debian_copyright",
        ),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn classify_paths() {
        assert_eq!(
            classify("var/lib/dpkg/status"),
            Some(OsFileKind::DpkgStatus)
        );
        assert_eq!(
            classify("var/lib/dpkg/status.d/libc6"),
            Some(OsFileKind::DpkgStatusD)
        );
        assert_eq!(classify("var/lib/dpkg/status.d/libc6.md5sums"), None);
        assert_eq!(classify("var/lib/dpkg/status-old"), None);
        assert_eq!(
            classify("lib/apk/db/installed"),
            Some(OsFileKind::ApkInstalled)
        );
        assert_eq!(classify("var/lib/rpm/Packages"), Some(OsFileKind::RpmBdb));
        assert_eq!(
            classify("var/lib/rpm/Packages.db"),
            Some(OsFileKind::RpmNdb)
        );
        assert_eq!(
            classify("usr/lib/sysimage/rpm/rpmdb.sqlite"),
            Some(OsFileKind::RpmSqlite)
        );
        assert_eq!(
            classify("usr/lib/sysimage/rpm/Packages"),
            Some(OsFileKind::RpmBdb)
        );
        assert_eq!(classify("var/lib/rpm/Name"), None);
        assert_eq!(classify("etc/os-release"), Some(OsFileKind::OsRelease));
        assert_eq!(classify("usr/lib/os-release"), Some(OsFileKind::OsRelease));
        assert_eq!(
            classify("usr/share/doc/bash/copyright"),
            Some(OsFileKind::DebianCopyright)
        );
        assert_eq!(classify("usr/share/doc/bash/changelog.gz"), None);
        assert_eq!(classify("usr/share/doc/bash/x/copyright"), None);
        assert_eq!(classify("home/x/var/lib/dpkg/status"), None);
    }
}
