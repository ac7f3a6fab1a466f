//! SBOMs in and out: CycloneDX 1.6 and SPDX 2.3 writers, a reader for the
//! CycloneDX and SPDX documents other tools make, package URLs, SPDX license
//! normalisation and VEX (OpenVEX, CycloneDX VEX).
//!
//! Invariant: nothing here does I/O. Callers pass bytes and a label (the file
//! name or URL shown in errors) and get values back, so every function can be
//! tested on literals and the same input always gives the same output.

mod cyclonedx;
mod license;
mod license_ids;
mod purl;
mod read;
mod spdx;
mod vex;

pub use cyclonedx::cyclonedx_json;
pub use license::{is_license_id, normalize_license, LICENSE_LIST_VERSION};
pub use purl::{osv_distro_ecosystem, parse_purl, purl, Purl};
pub use read::{read, ReadSbom, SbomFormat};
pub use spdx::spdx_json;
pub use vex::{apply_vex, read_vex, VexStatement, VexStatus};

use yagura_model::package::{Distro, Package, VulnMatch};

/// Why a document or a package URL could not be read.
#[derive(Debug, thiserror::Error)]
pub enum Error {
    /// The document as a whole is unusable: not JSON, not an SBOM, truncated.
    #[error("{label}: {message}")]
    Document { label: String, message: String },
    #[error("invalid package URL `{purl}`: {message}")]
    Purl { purl: String, message: String },
}

impl Error {
    pub(crate) fn document(label: &str, message: impl Into<String>) -> Self {
        Error::Document {
            label: label.to_string(),
            message: message.into(),
        }
    }
}

/// What an SBOM writer describes: one scanned target and its inventory.
#[derive(Debug, Clone, Copy)]
pub struct SbomInput<'a> {
    /// The scanned target (image reference, folder, host name).
    pub name: &'a str,
    pub distro: Option<&'a Distro>,
    pub packages: &'a [Package],
    pub vulnerabilities: &'a [VulnMatch],
    pub tool_version: &'a str,
    /// RFC 3339; given by the caller so that output is reproducible.
    pub timestamp: &'a str,
}

/// A stable digest of the input, for the document's serial number and
/// namespace: the same input always yields the same document.
pub(crate) fn content_digest(input: &SbomInput) -> [u8; 32] {
    use sha2::{Digest, Sha256};
    let mut h = Sha256::new();
    let mut field = |s: &str| {
        h.update((s.len() as u64).to_le_bytes());
        h.update(s.as_bytes());
    };
    field(input.name);
    field(input.tool_version);
    field(input.timestamp);
    if let Some(d) = input.distro {
        field(&d.id);
        field(&d.version_id);
    }
    for p in input.packages {
        field(&p.ecosystem);
        field(&p.name);
        field(&p.version);
        field(&p.path);
        field(p.purl.as_deref().unwrap_or(""));
        for l in &p.licenses {
            field(l);
        }
    }
    for v in input.vulnerabilities {
        field(&v.id);
        field(&v.package.name);
        field(&v.package.version);
        field(&format!("{:?}", v.state));
    }
    h.finalize().into()
}

/// A version-4-shaped UUID made from a digest (RFC 9562 §5.4 bit layout), so
/// that deterministic serial numbers still look like the UUIDs readers expect.
pub(crate) fn uuid_from_digest(d: &[u8; 32]) -> String {
    let mut b = [0u8; 16];
    b.copy_from_slice(&d[..16]);
    b[6] = (b[6] & 0x0f) | 0x40;
    b[8] = (b[8] & 0x3f) | 0x80;
    let h = hex::encode(b);
    format!(
        "{}-{}-{}-{}-{}",
        &h[0..8],
        &h[8..12],
        &h[12..16],
        &h[16..20],
        &h[20..32]
    )
}
