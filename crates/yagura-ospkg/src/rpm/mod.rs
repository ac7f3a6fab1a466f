//! rpm databases. All three storage backends hold the same thing: one rpm
//! header blob per installed package, keyed by an instance number. The
//! backend readers yield `(instance, blob)` records; the header reader
//! turns a blob into a [`Package`].

mod bdb;
mod header;
mod ndb;
mod sqlite;

use crate::license::normalise_license;
use header::{
    Header, TAG_ARCH, TAG_EPOCH, TAG_LICENSE, TAG_NAME, TAG_RELEASE, TAG_SOURCERPM, TAG_VERSION,
};
use yagura_model::package::{FileInventory, InventoryIssue, Package, PackageSource, SourcePackage};

/// One stored value of a backend: the instance number (for messages) and
/// the header blob, or why the blob could not be read.
pub(crate) struct RawRecord {
    pub instance: u32,
    pub blob: Result<Vec<u8>, String>,
}

/// What a backend read: records plus damage that did not stop it.
#[derive(Default)]
pub(crate) struct BackendOutput {
    pub records: Vec<RawRecord>,
    pub problems: Vec<(Option<String>, String)>,
}

const SQLITE_MAGIC: &[u8] = b"SQLite format 3\0";
const NDB_MAGIC: &[u8] = b"RpmP";

/// Which storage format the bytes are, by magic number.
fn sniff(bytes: &[u8]) -> Option<&'static str> {
    if bytes.starts_with(SQLITE_MAGIC) {
        Some("sqlite")
    } else if bytes.starts_with(NDB_MAGIC) {
        Some("ndb")
    } else if bdb::looks_like_bdb(bytes) {
        Some("bdb")
    } else {
        None
    }
}

pub(crate) fn parse_rpmdb(path: &str, bytes: &[u8]) -> FileInventory {
    let output = match sniff(bytes) {
        Some("sqlite") => sqlite::read(bytes),
        Some("ndb") => ndb::read(bytes),
        Some("bdb") => bdb::read(bytes),
        _ => {
            return FileInventory::issue(
                path,
                None,
                "not an rpm database: no SQLite, NDB or BerkeleyDB magic number",
            )
        }
    };
    let mut inventory = FileInventory::default();
    for (entry, message) in output.problems {
        inventory.issues.push(InventoryIssue {
            path: path.to_string(),
            entry,
            message,
        });
    }
    for record in output.records {
        let entry = Some(format!("record {}", record.instance));
        let blob = match record.blob {
            Ok(blob) => blob,
            Err(message) => {
                inventory.issues.push(InventoryIssue {
                    path: path.to_string(),
                    entry,
                    message,
                });
                continue;
            }
        };
        match package_from_blob(path, &blob) {
            Ok(Some(package)) => inventory.packages.push(package),
            Ok(None) => {}
            Err(message) => inventory.issues.push(InventoryIssue {
                path: path.to_string(),
                entry,
                message: format!("bad rpm header: {message}"),
            }),
        }
    }
    inventory
}

/// A package from one header blob; `None` for rpm's pseudo-packages
/// (`gpg-pubkey` entries hold imported signing keys, not software).
fn package_from_blob(path: &str, blob: &[u8]) -> Result<Option<Package>, String> {
    let header = Header::parse(blob)?;
    let name = header.string(TAG_NAME)?.ok_or("no NAME tag")?;
    if name == "gpg-pubkey" {
        return Ok(None);
    }
    let version = header
        .string(TAG_VERSION)?
        .ok_or_else(|| format!("{name}: no VERSION tag"))?;
    let release = header.string(TAG_RELEASE)?;
    let epoch = header.int32(TAG_EPOCH)?.filter(|e| *e != 0);
    let mut full = String::new();
    if let Some(epoch) = epoch {
        full.push_str(&format!("{epoch}:"));
    }
    full.push_str(&version);
    if let Some(release) = release.as_deref().filter(|r| !r.is_empty()) {
        full.push('-');
        full.push_str(release);
    }
    let mut package = Package::new("", &name, full, PackageSource::Rpm, path);
    package.arch = header.string(TAG_ARCH)?.filter(|a| !a.is_empty());
    if let Some(license) = header
        .string(TAG_LICENSE)?
        .as_deref()
        .and_then(normalise_license)
    {
        package.licenses.push(license);
    }
    package.source_package = header
        .string(TAG_SOURCERPM)?
        .as_deref()
        .and_then(parse_source_rpm);
    Ok(Some(package))
}

/// `bash-5.1.8-6.el9.src.rpm` → `bash`, `5.1.8-6.el9`.
fn parse_source_rpm(file_name: &str) -> Option<SourcePackage> {
    let stem = file_name
        .strip_suffix(".src.rpm")
        .or_else(|| file_name.strip_suffix(".nosrc.rpm"))?;
    let (rest, release) = stem.rsplit_once('-')?;
    let (name, version) = rest.rsplit_once('-')?;
    if name.is_empty() || version.is_empty() || release.is_empty() {
        return None;
    }
    Some(SourcePackage {
        name: name.to_string(),
        version: format!("{version}-{release}"),
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn source_rpm_names() {
        assert_eq!(
            parse_source_rpm("bash-5.1.8-6.el9.src.rpm"),
            Some(SourcePackage {
                name: "bash".into(),
                version: "5.1.8-6.el9".into()
            })
        );
        assert_eq!(
            parse_source_rpm("python3-dnf-plugins-core-4.3.0-13.el9.nosrc.rpm"),
            Some(SourcePackage {
                name: "python3-dnf-plugins-core".into(),
                version: "4.3.0-13.el9".into()
            })
        );
        assert_eq!(parse_source_rpm("(none)"), None);
        assert_eq!(parse_source_rpm("x.src.rpm"), None);
    }

    #[test]
    fn garbage_is_an_issue() {
        let inv = parse_rpmdb(
            "var/lib/rpm/Packages",
            b"hello world, definitely not a database",
        );
        assert!(inv.packages.is_empty());
        assert_eq!(inv.issues.len(), 1);
        assert_eq!(inv.issues[0].path, "var/lib/rpm/Packages");
    }
}
