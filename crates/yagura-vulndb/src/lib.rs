//! yagura's local advisory database: one SQLite file holding OSV records
//! indexed by ecosystem and normalised package name, so a scan asks for the
//! handful of records that may affect each package instead of parsing whole
//! advisory exports. It is separate from the findings store: it is rebuilt
//! wholesale (into a temp file renamed into place) and opened read-only.
//!
//! * [`import`] builds the database from OSV export zips, OSV record folders
//!   and the RustSec advisory repository ([`detect_source`] picks the kind).
//! * [`update`] downloads OSV's per-ecosystem `all.zip` exports (resumable,
//!   integrity-checked, conditional) and imports them.
//! * [`VulnDb`] answers [`VulnDb::candidates`] queries for matching with
//!   `yagura_osv::affected`.

mod db;
mod error;
mod import;
mod rustsec;
mod update;

pub use db::{EcosystemCount, SourceInfo, Status, VulnDb, SCHEMA_VERSION};
pub use error::Error;
pub use import::{detect_source, import, ImportIssue, ImportReport, ImportSource, SourceReport};
pub use rustsec::parse_advisory as parse_rustsec_advisory;
pub use update::{
    source_name, update, EcosystemUpdate, UpdateOptions, UpdateOutcome, UpdateProgress,
    UpdateReport, DEFAULT_BASE_URL,
};
