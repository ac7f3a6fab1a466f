//! Runs the loader and matcher over the real PyPA advisory export, when the
//! shared data folder is present.

use std::cmp::Ordering;
use std::path::Path;

use yagura_osv::{affected, load_zip, MatchError, Osv, RangeType};
use yagura_version::{compare, Ecosystem};

const ZIP: &str = concat!(
    env!("CARGO_MANIFEST_DIR"),
    "/../../../shared/advisories/pypa-osv.zip"
);

/// A record simple enough that the expected answer is unambiguous: one
/// PyPI package whose only ECOSYSTEM range is `[introduced a, fixed b]`
/// (GIT ranges do not take part in version matching), with `b` not listed as
/// affected. Returns the name, a version inside the range, and `b`.
fn simple_pair(r: &Osv) -> Option<(String, String, String)> {
    if r.withdrawn.is_some() || r.affected.len() != 1 {
        return None;
    }
    let aff = &r.affected[0];
    let pkg = aff.package.as_ref()?;
    if pkg.ecosystem != "PyPI" {
        return None;
    }
    let mut eco_ranges = aff.ranges.iter().filter(|g| g.kind != RangeType::Git);
    let range = eco_ranges.next()?;
    if eco_ranges.next().is_some() || range.kind != RangeType::Ecosystem || range.events.len() != 2
    {
        return None;
    }
    let intro = range.events[0].introduced.clone()?;
    let fixed = range.events[1].fixed.clone()?;
    if aff.versions.contains(&fixed) {
        return None;
    }
    let inside = if intro != "0" {
        intro
    } else {
        // Highest listed affected version below the fix.
        let below = |v: &&String| compare(Ecosystem::PyPI, v, &fixed) == Ok(Ordering::Less);
        aff.versions
            .iter()
            .filter(below)
            .max_by(|a, b| compare(Ecosystem::PyPI, a, b).unwrap_or(Ordering::Equal))?
            .clone()
    };
    Some((pkg.name.clone(), inside, fixed))
}

#[test]
fn pypa_export_loads_and_matches() {
    if !Path::new(ZIP).exists() {
        println!("skipped: {ZIP} not present");
        return;
    }
    let (mut records, issues) = load_zip(ZIP);
    assert!(issues.is_empty(), "{issues:#?}");
    assert_eq!(records.len(), 2661);

    records.sort_by(|a, b| a.id.cmp(&b.id));
    let simple: Vec<_> = records
        .iter()
        .filter_map(|r| simple_pair(r).map(|p| (r, p)))
        .collect();
    // Spread the picks over the whole (id-sorted) export.
    println!("{} simple records", simple.len());
    let step = (simple.len() / 8).max(1);
    let picks: Vec<_> = simple.into_iter().step_by(step).take(8).collect();
    assert!(picks.len() >= 3, "too few simple records: {}", picks.len());
    for (r, (name, inside, fixed)) in picks {
        // Query with a differently spelled name to exercise PEP 503.
        let query = name.to_uppercase().replace('-', "_");
        let m = affected(r, "PyPI", &query, &inside)
            .unwrap_or_else(|e| panic!("{}: {e}", r.id))
            .unwrap_or_else(|| panic!("{}: {inside} should be affected", r.id));
        assert_eq!(m.fixed, vec![fixed.clone()], "{}", r.id);
        assert!(
            affected(r, "PyPI", &name, &fixed).unwrap().is_none(),
            "{}: fixed version {fixed} should not be affected",
            r.id
        );
    }
}

/// PyPA's `versions` lists are enumerated from the ranges, so with the lists
/// removed every listed version must still fall inside an ECOSYSTEM range.
#[test]
fn pypa_ranges_agree_with_listed_versions() {
    if !Path::new(ZIP).exists() {
        println!("skipped: {ZIP} not present");
        return;
    }
    let (records, _) = load_zip(ZIP);
    let (mut checked, mut errors, mut misses) = (0usize, Vec::new(), Vec::new());
    for r in records.iter().filter(|r| r.withdrawn.is_none()) {
        for aff in &r.affected {
            let Some(pkg) = &aff.package else { continue };
            if pkg.ecosystem != "PyPI" || !aff.ranges.iter().any(|g| g.kind == RangeType::Ecosystem)
            {
                continue;
            }
            let mut ranges_only = r.clone();
            ranges_only.affected = vec![aff.clone()];
            ranges_only.affected[0].versions.clear();
            for v in &aff.versions {
                checked += 1;
                match affected(&ranges_only, "PyPI", &pkg.name, v) {
                    Ok(Some(_)) => {}
                    Ok(None) => misses.push(format!("{} {}", r.id, v)),
                    Err(e) => errors.push((v.clone(), e)),
                }
            }
        }
    }
    println!(
        "checked {checked}, errors {}, misses {}",
        errors.len(),
        misses.len()
    );
    assert!(checked > 10_000, "only {checked} listed versions");
    // Legacy pre-PEP 440 release strings do appear in the lists; they must
    // surface as errors about that listed version, never as a clean answer.
    for (v, e) in &errors {
        match e {
            MatchError::Version { source, .. } => assert_eq!(&source.version, v, "{e}"),
            other => panic!("{other}"),
        }
    }
    assert!(errors.len() * 100 < checked, "{errors:?}");
    // A few lists reach slightly outside the ECOSYSTEM ranges (enumerated
    // from GIT ranges, pre-releases of an `introduced` version, overlapping
    // intervals inside one range); the matcher still reports those versions
    // through the list itself.
    assert!(misses.len() * 1000 < checked, "{misses:?}");
}
