//! Vulnerability matching: an inventory of [`Package`]s and, per package, the
//! candidate advisories an advisory database returned, in; one [`VulnMatch`]
//! per vulnerability per package out.
//!
//! Pure: the advisory database lookup happens before (see [`query_key`]), so
//! this crate can be tested on hand-made records and reused over any store.
//!
//! Invariants:
//! - a version that cannot be compared is never "not vulnerable": the
//!   package gets a [`VulnState::NotAssessed`] match naming the advisory;
//! - advisories that describe the same vulnerability (linked by IDs and
//!   aliases) become one match listing every ID;
//! - withdrawn advisories never match.

use std::collections::{BTreeMap, BTreeSet};

use yagura_model::package::{CvssScore, Package, VulnMatch, VulnState};
use yagura_model::Severity;
use yagura_osv::Osv;

mod finding;
pub use finding::{finding_for, finding_id};

#[cfg(test)]
mod tests;

/// The advisory-database key of a package: ecosystem, name and version as the
/// advisories spell them. Distributions whose advisories name source packages
/// (Debian, Ubuntu, Alpine) are looked up by the source package. `None` when
/// the package cannot be matched at all (no ecosystem, e.g. an OS package
/// without os-release).
pub fn query_key(p: &Package) -> Option<(&str, &str, &str)> {
    if p.ecosystem.is_empty() || p.name.is_empty() {
        return None;
    }
    let by_source = matches!(p.ecosystem_base(), "Debian" | "Ubuntu" | "Alpine");
    match (&p.source_package, by_source) {
        (Some(src), true) if !src.name.is_empty() => {
            let version = if src.version.is_empty() {
                &p.version
            } else {
                &src.version
            };
            Some((&p.ecosystem, &src.name, version))
        }
        _ => Some((&p.ecosystem, &p.name, &p.version)),
    }
}

/// Options that change which matches are kept.
#[derive(Debug, Clone, Copy, Default)]
pub struct MatchOptions {
    /// Drop vulnerabilities that no released version fixes yet.
    pub ignore_unfixed: bool,
}

/// Matches one package against its candidate advisories.
pub fn match_package(pkg: &Package, candidates: &[Osv], opts: MatchOptions) -> Vec<VulnMatch> {
    let Some((eco, name, version)) = query_key(pkg) else {
        return Vec::new();
    };
    // Each hit: the record, its fixed versions, or the reason it could not be
    // evaluated.
    let mut hits: Vec<(&Osv, Result<Vec<String>, String>)> = Vec::new();
    for record in candidates {
        match yagura_osv::affected(record, eco, name, version) {
            Ok(Some(m)) => hits.push((record, Ok(m.fixed))),
            Ok(None) => {}
            Err(e) => hits.push((record, Err(e.to_string()))),
        }
    }
    let mut out = Vec::new();
    for group in group_by_alias(&hits) {
        let records: Vec<&Osv> = group.iter().map(|&i| hits[i].0).collect();
        let mut fixed = Vec::new();
        let mut affected = false;
        let mut errors = Vec::new();
        for &i in &group {
            match &hits[i].1 {
                Ok(f) => {
                    affected = true;
                    for v in f {
                        if !fixed.contains(v) {
                            fixed.push(v.clone());
                        }
                    }
                }
                Err(e) => errors.push(e.clone()),
            }
        }
        if affected && fixed.is_empty() && opts.ignore_unfixed {
            continue;
        }
        let state = if affected {
            VulnState::Affected
        } else {
            VulnState::NotAssessed {
                reason: format!(
                    "version {version:?} of {name} could not be compared with the advisory: {}",
                    errors.join("; ")
                ),
            }
        };
        out.push(merge(pkg, &records, fixed, state));
    }
    out.sort_by(|a, b| a.id.cmp(&b.id));
    out
}

/// Matches every package; `candidates[i]` are the advisories for `packages[i]`.
pub fn match_all(
    packages: &[Package],
    candidates: &[Vec<Osv>],
    opts: MatchOptions,
) -> Vec<VulnMatch> {
    packages
        .iter()
        .zip(candidates)
        .flat_map(|(p, c)| match_package(p, c, opts))
        .collect()
}

/// Groups hits whose records share an ID or alias (transitively).
fn group_by_alias(hits: &[(&Osv, Result<Vec<String>, String>)]) -> Vec<Vec<usize>> {
    let mut parent: Vec<usize> = (0..hits.len()).collect();
    fn find(parent: &mut [usize], mut i: usize) -> usize {
        while parent[i] != i {
            parent[i] = parent[parent[i]];
            i = parent[i];
        }
        i
    }
    let mut owner: BTreeMap<&str, usize> = BTreeMap::new();
    for (i, (rec, _)) in hits.iter().enumerate() {
        for id in std::iter::once(&rec.id).chain(&rec.aliases) {
            match owner.get(id.as_str()) {
                Some(&j) => {
                    let (a, b) = (find(&mut parent, i), find(&mut parent, j));
                    if a != b {
                        parent[a] = b;
                    }
                }
                None => {
                    owner.insert(id.as_str(), i);
                }
            }
        }
    }
    let mut groups: BTreeMap<usize, Vec<usize>> = BTreeMap::new();
    for i in 0..hits.len() {
        let root = find(&mut parent, i);
        groups.entry(root).or_default().push(i);
    }
    groups.into_values().collect()
}

/// Preference for the ID a merged vulnerability is shown under: the CVE is
/// what scanners, VEX documents and ticket systems share.
fn id_rank(id: &str) -> u8 {
    if id.starts_with("CVE-") {
        0
    } else if id.starts_with("GHSA-") {
        1
    } else {
        2
    }
}

fn merge(
    pkg: &Package,
    records: &[&Osv],
    fixed_versions: Vec<String>,
    state: VulnState,
) -> VulnMatch {
    let mut ids: BTreeSet<&str> = BTreeSet::new();
    for r in records {
        ids.insert(&r.id);
        for a in &r.aliases {
            ids.insert(a);
        }
    }
    let id = ids
        .iter()
        .min_by_key(|i| (id_rank(i), **i))
        .map(|s| s.to_string())
        .unwrap_or_default();
    let aliases: Vec<String> = ids
        .iter()
        .filter(|i| **i != id)
        .map(|s| s.to_string())
        .collect();
    let summary = records
        .iter()
        .find_map(|r| r.summary.clone().filter(|s| !s.trim().is_empty()))
        .or_else(|| {
            records.iter().find_map(|r| {
                r.details
                    .as_ref()
                    .map(|d| d.lines().next().unwrap_or("").trim().to_string())
                    .filter(|s| !s.is_empty())
            })
        });
    let mut cvss = Vec::new();
    let mut own = Vec::new();
    for r in records {
        let affected_entries = r.affected.iter().filter(|a| {
            a.package.as_ref().is_some_and(|p| {
                yagura_osv::package_matches(
                    &p.ecosystem,
                    &p.name,
                    query_key(pkg).map(|k| k.1).unwrap_or(""),
                )
            })
        });
        let severities = r
            .severity
            .iter()
            .chain(affected_entries.clone().flat_map(|a| a.severity.iter()));
        for s in severities {
            if let Ok(score) = yagura_cvss::score(&s.score) {
                let version = score.version.as_str().to_string();
                if !cvss.iter().any(|c: &CvssScore| c.vector == s.score) {
                    cvss.push(CvssScore {
                        version,
                        vector: s.score.clone(),
                        base_score: score.base_score,
                    });
                }
            }
        }
        if let Some(sev) = record_severity(r, affected_entries) {
            own.push(sev);
        }
    }
    let (severity, severity_source) = pick_severity(&cvss, &own);
    let mut references: Vec<String> = Vec::new();
    for r in records {
        for rf in &r.references {
            if !references.contains(&rf.url) {
                references.push(rf.url.clone());
            }
        }
    }
    let published = records.iter().filter_map(|r| r.published.clone()).min();
    let modified = records.iter().filter_map(|r| r.modified.clone()).max();
    VulnMatch {
        id,
        aliases,
        summary,
        package: pkg.clone(),
        fixed_versions,
        severity,
        severity_source,
        cvss,
        references,
        published,
        modified,
        state,
    }
}

/// Severity from CVSS when a vector is known (the newest CVSS version wins,
/// then the highest score), otherwise the advisory's own rating.
fn pick_severity(cvss: &[CvssScore], own: &[(Severity, String)]) -> (Severity, String) {
    let best = cvss.iter().max_by(|a, b| {
        version_rank(&a.version)
            .cmp(&version_rank(&b.version))
            .then(a.base_score.total_cmp(&b.base_score))
    });
    if let Some(c) = best {
        return (
            severity_from_score(c.base_score),
            format!("CVSS:{} {:.1}", c.version, c.base_score),
        );
    }
    if let Some((s, raw)) = own.iter().max_by_key(|(s, _)| *s) {
        return (*s, format!("advisory: {raw}"));
    }
    (Severity::Medium, "unknown (reported as medium)".to_string())
}

fn version_rank(v: &str) -> u8 {
    match v {
        "4.0" => 3,
        "3.1" => 2,
        "3.0" => 1,
        _ => 0,
    }
}

/// The CVSS qualitative scale (the same bands for v3 and v4).
pub fn severity_from_score(score: f64) -> Severity {
    if score >= 9.0 {
        Severity::Critical
    } else if score >= 7.0 {
        Severity::High
    } else if score >= 4.0 {
        Severity::Medium
    } else if score > 0.0 {
        Severity::Low
    } else {
        Severity::Info
    }
}

/// The advisory's own rating: GitHub's `database_specific.severity`, Debian's
/// `urgency`, Ubuntu's priority, or RustSec's informational kind.
fn record_severity<'a>(
    r: &Osv,
    affected: impl Iterator<Item = &'a yagura_osv::Affected>,
) -> Option<(Severity, String)> {
    let mut texts: Vec<String> = Vec::new();
    if let Some(db) = &r.database_specific {
        if let Some(s) = db.get("severity").and_then(|v| v.as_str()) {
            texts.push(s.to_string());
        }
        if let Some(s) = db.get("informational").and_then(|v| v.as_str()) {
            return Some((Severity::Info, format!("informational ({s})")));
        }
    }
    for a in affected {
        for v in [&a.ecosystem_specific, &a.database_specific]
            .into_iter()
            .flatten()
        {
            for key in ["severity", "urgency", "priority"] {
                if let Some(s) = v.get(key).and_then(|v| v.as_str()) {
                    texts.push(s.to_string());
                }
            }
            if let Some(s) = v.get("informational").and_then(|v| v.as_str()) {
                return Some((Severity::Info, format!("informational ({s})")));
            }
        }
    }
    texts
        .iter()
        .filter_map(|t| rating(t).map(|s| (s, t.clone())))
        .max_by_key(|(s, _)| *s)
}

fn rating(text: &str) -> Option<Severity> {
    let t = text.trim().to_ascii_lowercase();
    let t = t.trim_end_matches('*');
    Some(match t {
        "critical" => Severity::Critical,
        "high" | "important" => Severity::High,
        "moderate" | "medium" => Severity::Medium,
        "low" | "negligible" => Severity::Low,
        "unimportant" | "not yet assigned" | "end-of-life" => Severity::Info,
        _ => return None,
    })
}
