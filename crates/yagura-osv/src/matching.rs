//! OSV affected-version evaluation, following the schema's evaluation
//! algorithm: per range, events are sorted by version and walked in order;
//! `introduced` opens, `fixed` (exclusive) and `last_affected` (inclusive)
//! close, and `limit` bounds the whole range from above.

use std::cmp::Ordering;

use yagura_version::{compare, Ecosystem, VersionError};

use crate::schema::{Affected, Event, Osv, RangeType};

/// A positive match of one record against one installed package version.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Match {
    /// Record id.
    pub id: String,
    /// The record's aliases (CVE, GHSA, ...), for merging duplicates.
    pub aliases: Vec<String>,
    /// Versions that fix the vulnerability, nearest above the installed one
    /// first per matching range; empty when no fix is known.
    pub fixed: Vec<String>,
    /// Indexes into `record.affected` of the entries that matched, so callers
    /// can read per-package severity or database-specific data.
    pub affected_indexes: Vec<usize>,
}

/// Why a record could not be evaluated. Returned instead of "not affected"
/// so an unassessable package is never silently reported clean.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum MatchError {
    #[error("{id}: no version ordering known for ecosystem {ecosystem:?}")]
    UnknownEcosystem { id: String, ecosystem: String },
    #[error("{id}: {source}")]
    Version {
        id: String,
        #[source]
        source: VersionError,
    },
    #[error("{id}: invalid range: {reason}")]
    InvalidRange { id: String, reason: &'static str },
}

/// Evaluates whether `package` at `version` in `ecosystem` is affected by
/// `record`.
///
/// * Withdrawn records never match.
/// * Ecosystems match on their family (`Debian` matches `Debian:12`); when
///   both sides name a release, the releases must be equal too.
/// * Package names follow the ecosystem's rules (PEP 503 for PyPI,
///   case-insensitive for NuGet and Packagist, exact elsewhere).
/// * `GIT` ranges are skipped: they order commits, not versions.
///
/// A positive answer from any range or `versions` list wins. If nothing
/// matched but some range could not be evaluated, the error is returned.
pub fn affected(
    record: &Osv,
    ecosystem: &str,
    package: &str,
    version: &str,
) -> Result<Option<Match>, MatchError> {
    if record.withdrawn.is_some() {
        return Ok(None);
    }
    let mut fixed: Vec<String> = Vec::new();
    let mut indexes = Vec::new();
    let mut first_error = None;
    for (i, aff) in record.affected.iter().enumerate() {
        let Some(pkg) = &aff.package else { continue };
        if !ecosystem_matches(&pkg.ecosystem, ecosystem)
            || !package_matches(&pkg.ecosystem, &pkg.name, package)
        {
            continue;
        }
        match evaluate_affected(record, aff, &pkg.ecosystem, version) {
            Ok(Some(fixes)) => {
                indexes.push(i);
                for f in fixes {
                    if !fixed.contains(&f) {
                        fixed.push(f);
                    }
                }
            }
            Ok(None) => {}
            Err(e) => {
                first_error.get_or_insert(e);
            }
        }
    }
    if !indexes.is_empty() {
        return Ok(Some(Match {
            id: record.id.clone(),
            aliases: record.aliases.clone(),
            fixed,
            affected_indexes: indexes,
        }));
    }
    match first_error {
        Some(e) => Err(e),
        None => Ok(None),
    }
}

/// Evaluates one `affected` entry; `Some(fixes)` when the version is in it.
fn evaluate_affected(
    record: &Osv,
    aff: &Affected,
    eco_name: &str,
    version: &str,
) -> Result<Option<Vec<String>>, MatchError> {
    let eco = Ecosystem::from_osv(eco_name);
    let mut hit = false;
    if aff.versions.iter().any(|v| {
        v == version || eco.is_some_and(|e| matches!(compare(e, v, version), Ok(Ordering::Equal)))
    }) {
        hit = true;
    }
    let mut fixes = Vec::new();
    let mut first_error = None;
    for range in &aff.ranges {
        let (scheme, query) = match &range.kind {
            RangeType::Git | RangeType::Other(_) => continue,
            RangeType::Semver => (Ecosystem::SemVer, strip_v(version)),
            RangeType::Ecosystem => match eco {
                Some(e) => (e, version),
                None => {
                    first_error.get_or_insert(MatchError::UnknownEcosystem {
                        id: record.id.clone(),
                        ecosystem: eco_name.to_string(),
                    });
                    continue;
                }
            },
        };
        match in_range(scheme, &range.events, query) {
            Ok(Some(fix)) => {
                hit = true;
                fixes.extend(fix);
            }
            Ok(None) => {}
            Err(RangeError::Version(source)) => {
                first_error.get_or_insert(MatchError::Version {
                    id: record.id.clone(),
                    source,
                });
            }
            Err(RangeError::Invalid(reason)) => {
                first_error.get_or_insert(MatchError::InvalidRange {
                    id: record.id.clone(),
                    reason,
                });
            }
        }
    }
    if hit {
        return Ok(Some(fixes));
    }
    match first_error {
        Some(e) => Err(e),
        None => Ok(None),
    }
}

/// OSV `SEMVER` ranges carry bare versions, while Go module versions (the
/// main SEMVER user) are written with a `v` prefix.
fn strip_v(v: &str) -> &str {
    match v.strip_prefix('v') {
        Some(rest) if rest.starts_with(|c: char| c.is_ascii_digit()) => rest,
        _ => v,
    }
}

enum RangeError {
    Version(VersionError),
    Invalid(&'static str),
}

impl From<VersionError> for RangeError {
    fn from(e: VersionError) -> Self {
        RangeError::Version(e)
    }
}

#[derive(Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
enum Kind {
    // Declaration order is the tie-break at equal versions. `fixed: X` sorts
    // before `introduced: X` so a range re-opened at the version that closed
    // an earlier one (`..., fixed: X, introduced: X, ...`, as real records
    // write it) includes X. `last_affected` and `limit` are indifferent.
    Fixed,
    Introduced,
    LastAffected,
    Limit,
}

/// `"0"` as `introduced` means "from the very first version"; `"*"` as
/// `limit` means "no limit". Neither is a real version of the ecosystem.
enum Point<'a> {
    Min,
    Max,
    At(&'a str),
}

/// Returns `Some(fixes)` when `v` lies in the range, `fixes` being the
/// nearest `fixed` above `v` (if any).
fn in_range(eco: Ecosystem, events: &[Event], v: &str) -> Result<Option<Vec<String>>, RangeError> {
    let mut evs: Vec<(Kind, Point<'_>)> = Vec::with_capacity(events.len());
    for e in events {
        let (kind, raw) = match (&e.introduced, &e.fixed, &e.last_affected, &e.limit) {
            (Some(x), None, None, None) => (Kind::Introduced, x),
            (None, Some(x), None, None) => (Kind::Fixed, x),
            (None, None, Some(x), None) => (Kind::LastAffected, x),
            (None, None, None, Some(x)) => (Kind::Limit, x),
            _ => return Err(RangeError::Invalid("event must have exactly one field")),
        };
        let point = match (kind, raw.as_str()) {
            (Kind::Introduced, "0") => Point::Min,
            (Kind::Limit, "*") => Point::Max,
            (_, s) => Point::At(s),
        };
        evs.push((kind, point));
    }
    if !evs.iter().any(|(k, _)| *k == Kind::Introduced) {
        // The schema requires an `introduced`; treating such a range as
        // "not affected" could hide a vulnerability, so refuse it.
        return Err(RangeError::Invalid("range has no introduced event"));
    }
    // Validate everything up front so sorting can't meet an unorderable pair.
    compare(eco, v, v)?;
    for (_, p) in &evs {
        if let Point::At(s) = p {
            compare(eco, s, s)?;
        }
    }
    let cmp_points = |a: &Point<'_>, b: &Point<'_>| -> Ordering {
        match (a, b) {
            (Point::Min, Point::Min) | (Point::Max, Point::Max) => Ordering::Equal,
            (Point::Min, _) | (_, Point::Max) => Ordering::Less,
            (_, Point::Min) | (Point::Max, _) => Ordering::Greater,
            // Both validated above; Equal is unreachable as a fallback.
            (Point::At(x), Point::At(y)) => compare(eco, x, y).unwrap_or(Ordering::Equal),
        }
    };
    evs.sort_by(|a, b| cmp_points(&a.1, &b.1).then(a.0.cmp(&b.0)));
    let vp = Point::At(v);

    let limits: Vec<&Point<'_>> = evs
        .iter()
        .filter(|(k, _)| *k == Kind::Limit)
        .map(|(_, p)| p)
        .collect();
    if !limits.is_empty() && !limits.iter().any(|l| cmp_points(&vp, l) == Ordering::Less) {
        return Ok(None);
    }

    let mut vulnerable = false;
    for (kind, p) in &evs {
        match kind {
            Kind::Introduced if cmp_points(&vp, p) != Ordering::Less => vulnerable = true,
            Kind::Fixed if cmp_points(&vp, p) != Ordering::Less => vulnerable = false,
            Kind::LastAffected if cmp_points(&vp, p) == Ordering::Greater => vulnerable = false,
            _ => {}
        }
    }
    if !vulnerable {
        return Ok(None);
    }
    let fix = evs.iter().find_map(|(k, p)| match (k, p) {
        (Kind::Fixed, Point::At(s)) if cmp_points(&vp, p) == Ordering::Less => {
            Some((*s).to_string())
        }
        _ => None,
    });
    Ok(Some(fix.into_iter().collect()))
}

/// Splits `Debian:12` into (`Debian`, `Some("12")`).
fn split_ecosystem(name: &str) -> (&str, Option<&str>) {
    match name.split_once(':') {
        Some((base, rel)) => (base.trim(), Some(rel.trim()).filter(|r| !r.is_empty())),
        None => (name.trim(), None),
    }
}

/// Whether a record's ecosystem covers the queried one.
pub fn ecosystem_matches(record_eco: &str, query_eco: &str) -> bool {
    let (rb, rr) = split_ecosystem(record_eco);
    let (qb, qr) = split_ecosystem(query_eco);
    if !rb.eq_ignore_ascii_case(qb) {
        return false;
    }
    match (rr, qr) {
        (Some(a), Some(b)) => a == b,
        _ => true,
    }
}

/// Whether two package names denote the same package in `ecosystem`.
pub fn package_matches(ecosystem: &str, a: &str, b: &str) -> bool {
    let (base, _) = split_ecosystem(ecosystem);
    match base {
        "PyPI" => normalize_pypi_name(a) == normalize_pypi_name(b),
        // Both registries treat names case-insensitively.
        "NuGet" | "Packagist" => a.trim().eq_ignore_ascii_case(b.trim()),
        _ => a.trim() == b.trim(),
    }
}

/// PEP 503 normalisation: lowercase, and every run of `-`, `_`, `.` becomes
/// one `-`.
pub fn normalize_pypi_name(name: &str) -> String {
    let mut out = String::with_capacity(name.len());
    let mut in_sep = false;
    for c in name.trim().chars() {
        if matches!(c, '-' | '_' | '.') {
            if !in_sep {
                out.push('-');
                in_sep = true;
            }
        } else {
            out.extend(c.to_lowercase());
            in_sep = false;
        }
    }
    out
}
