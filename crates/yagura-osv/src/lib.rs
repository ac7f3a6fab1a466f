//! OSV (Open Source Vulnerability) advisory records: the schema types,
//! loading from OSV export zips and record folders, and the evaluation of
//! whether a package version is affected.
//!
//! Version ordering comes from `yagura-version`, per ecosystem.
//!
//! ```
//! let record = yagura_osv::parse_json(br#"{
//!     "id": "EXAMPLE-1",
//!     "affected": [{
//!         "package": {"ecosystem": "PyPI", "name": "Example_Pkg"},
//!         "ranges": [{"type": "ECOSYSTEM",
//!                     "events": [{"introduced": "0"}, {"fixed": "2.0"}]}]
//!     }]
//! }"#).unwrap();
//! let hit = yagura_osv::affected(&record, "PyPI", "example-pkg", "1.9").unwrap();
//! assert_eq!(hit.unwrap().fixed, ["2.0"]);
//! assert!(yagura_osv::affected(&record, "PyPI", "example-pkg", "2.0").unwrap().is_none());
//! ```

mod load;
mod matching;
mod schema;

#[cfg(test)]
mod tests;

pub use load::{load_dir, load_zip, parse_json, parse_yaml, LoadIssue, MAX_RECORD_BYTES};
pub use matching::{
    affected, ecosystem_matches, normalize_pypi_name, package_matches, Match, MatchError,
};
pub use schema::{Affected, Event, Osv, Package, Range, RangeType, Reference, Severity};
