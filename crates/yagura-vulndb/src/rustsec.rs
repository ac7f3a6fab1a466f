//! RustSec advisory-db native format → OSV. Each advisory is
//! `crates/<name>/RUSTSEC-YYYY-NNNN.md`: TOML front matter in a ```` ```toml ````
//! block, then a Markdown title and description.
//!
//! Affected ranges follow the rule RustSec's own OSV export uses: a version
//! is affected unless a `patched` or `unaffected` requirement matches it.
//! Requirements are turned into version intervals (Cargo's comparator
//! semantics), unioned, and the complement is written as SEMVER events.

use std::cmp::Ordering;
use std::fs;
use std::path::{Path, PathBuf};

use semver::{Comparator, Op, Prerelease, Version, VersionReq};
use serde::Deserialize;
use serde_json::{json, Map, Value};
use yagura_osv::{Affected, Event, Osv, Package, Range, RangeType, Reference, Severity};

use crate::error::Error;
use crate::import::{ImportIssue, OnRecord};

#[derive(Deserialize)]
struct FrontMatter {
    advisory: Advisory,
    #[serde(default)]
    versions: Versions,
    #[serde(default)]
    affected: Option<AffectedToml>,
}

#[derive(Deserialize)]
struct Advisory {
    id: String,
    package: String,
    #[serde(default)]
    date: Option<toml::Value>,
    #[serde(default)]
    aliases: Vec<String>,
    #[serde(default)]
    related: Vec<String>,
    #[serde(default)]
    cvss: Option<String>,
    #[serde(default)]
    withdrawn: Option<toml::Value>,
    #[serde(default)]
    informational: Option<String>,
    #[serde(default)]
    url: Option<String>,
    #[serde(default)]
    references: Vec<String>,
    #[serde(default)]
    keywords: Vec<String>,
    #[serde(default)]
    categories: Vec<String>,
    #[serde(default)]
    license: Option<String>,
}

#[derive(Deserialize, Default)]
struct Versions {
    #[serde(default)]
    patched: Vec<String>,
    #[serde(default)]
    unaffected: Vec<String>,
}

#[derive(Deserialize, Default)]
struct AffectedToml {
    #[serde(default)]
    arch: Vec<String>,
    #[serde(default)]
    os: Vec<String>,
    #[serde(default)]
    functions: Option<toml::Table>,
}

/// Whether `dir` looks like a RustSec checkout: `crates/*/RUSTSEC-*.md`.
pub(crate) fn looks_like_rustsec(dir: &Path) -> bool {
    let Ok(rd) = fs::read_dir(dir.join("crates")) else {
        return false;
    };
    rd.filter_map(Result::ok).take(50).any(|krate| {
        fs::read_dir(krate.path()).is_ok_and(|mut files| {
            files.any(|f| {
                f.ok().is_some_and(|f| {
                    let n = f.file_name();
                    let n = n.to_string_lossy();
                    n.starts_with("RUSTSEC-") && n.ends_with(".md")
                })
            })
        })
    })
}

/// Reads every `crates/*/*.md` advisory under `repo`, in path order.
/// (`rust/` advisories concern the toolchain, not crates, and are left out.)
pub(crate) fn read_repo(source: &str, repo: &Path, on: &mut OnRecord<'_>) -> Result<(), Error> {
    let crates = repo.join("crates");
    let list = |dir: &Path| -> std::io::Result<Vec<PathBuf>> {
        let mut v: Vec<PathBuf> = fs::read_dir(dir)?
            .filter_map(|e| e.ok().map(|e| e.path()))
            .collect();
        v.sort();
        Ok(v)
    };
    let krates = list(&crates).map_err(|e| Error::Source {
        path: crates.clone(),
        message: format!("not a RustSec advisory-db checkout: {e}"),
    })?;
    for krate in krates.iter().filter(|p| p.is_dir()) {
        let files = match list(krate) {
            Ok(f) => f,
            Err(e) => {
                on(
                    Err(issue(
                        source,
                        krate,
                        format!("cannot read folder: {e}"),
                        true,
                    )),
                    Vec::new(),
                )?;
                continue;
            }
        };
        for file in files
            .iter()
            .filter(|f| f.extension().is_some_and(|e| e == "md"))
        {
            let result = match fs::read(file) {
                Ok(bytes) => match std::str::from_utf8(&bytes) {
                    Ok(text) => parse_advisory(text).map_err(|m| issue(source, file, m, true)),
                    Err(e) => Err(issue(source, file, format!("not UTF-8: {e}"), true)),
                },
                Err(e) => Err(issue(source, file, format!("cannot read: {e}"), true)),
            };
            match result {
                Ok((rec, notes)) => {
                    let lossy = notes
                        .into_iter()
                        .map(|m| issue(source, file, m, false))
                        .collect();
                    on(Ok(rec), lossy)?;
                }
                Err(i) => on(Err(i), Vec::new())?,
            }
        }
    }
    Ok(())
}

fn issue(source: &str, path: &Path, message: String, skipped: bool) -> ImportIssue {
    ImportIssue {
        source: source.to_string(),
        path: path.to_path_buf(),
        entry: None,
        message,
        skipped,
    }
}

/// Converts one RustSec advisory (the whole `.md` file) to an OSV record.
/// Returns the record and notes on anything converted lossily; an `Err`
/// means the advisory cannot be used at all.
pub fn parse_advisory(text: &str) -> Result<(Osv, Vec<String>), String> {
    let (toml_text, markdown) = split_front_matter(text)?;
    let front: FrontMatter =
        toml::from_str(toml_text).map_err(|e| format!("invalid TOML front matter: {e}"))?;
    let adv = front.advisory;
    if adv.id.trim().is_empty() || adv.package.trim().is_empty() {
        return Err("advisory id or package is empty".into());
    }
    let mut notes = Vec::new();
    let (title, description) = split_title(markdown);

    let timestamp = |v: &Option<toml::Value>| -> Option<String> {
        let s = match v.as_ref()? {
            toml::Value::String(s) => s.trim().to_string(),
            other => other.to_string(),
        };
        Some(if s.len() == 10 {
            format!("{s}T12:00:00Z")
        } else {
            s
        })
    };
    let date = timestamp(&adv.date);

    let mut unaffected = Vec::new();
    for (field, reqs) in [
        ("patched", &front.versions.patched),
        ("unaffected", &front.versions.unaffected),
    ] {
        for req in reqs {
            match requirement_interval(req) {
                Ok(Some(iv)) => unaffected.push(iv),
                Ok(None) => {}
                Err(e) => notes.push(format!(
                    "{field} requirement {req:?} not understood ({e}); ignored, so the advisory may over-report"
                )),
            }
        }
    }
    let ranges = affected_ranges(unaffected);

    let mut severity = Vec::new();
    if let Some(cvss) = adv.cvss.as_deref().map(str::trim) {
        let kind = if cvss.starts_with("CVSS:3.") {
            Some("CVSS_V3")
        } else if cvss.starts_with("CVSS:4.") {
            Some("CVSS_V4")
        } else {
            None
        };
        match kind {
            Some(k) => severity.push(Severity {
                kind: k.into(),
                score: cvss.into(),
            }),
            None => notes.push(format!("unrecognised cvss vector {cvss:?}; dropped")),
        }
    }

    let mut eco_specific = Map::new();
    if let Some(aff) = &front.affected {
        let mut affects = Map::new();
        affects.insert("arch".into(), json!(aff.arch));
        affects.insert("os".into(), json!(aff.os));
        let functions: Vec<String> = aff
            .functions
            .as_ref()
            .map(|t| t.keys().cloned().collect())
            .unwrap_or_default();
        affects.insert("functions".into(), json!(functions));
        eco_specific.insert("affects".into(), Value::Object(affects));
    }
    let mut aff_db = Map::new();
    aff_db.insert("categories".into(), json!(adv.categories));
    if let Some(c) = &adv.cvss {
        aff_db.insert("cvss".into(), json!(c));
    }
    if let Some(i) = &adv.informational {
        aff_db.insert("informational".into(), json!(i.trim()));
    }

    let name = adv.package.trim().to_string();
    let mut references = vec![Reference {
        kind: "PACKAGE".into(),
        url: format!("https://crates.io/crates/{name}"),
    }];
    references.push(Reference {
        kind: "ADVISORY".into(),
        url: format!("https://rustsec.org/advisories/{}.html", adv.id.trim()),
    });
    for url in adv.url.iter().chain(adv.references.iter()) {
        references.push(Reference {
            kind: "WEB".into(),
            url: url.clone(),
        });
    }

    let mut db = Map::new();
    db.insert("source".into(), json!("rustsec"));
    if let Some(i) = &adv.informational {
        // Read by the matcher: unmaintained/unsound/notice advisories are
        // reported as informational, not as vulnerabilities.
        db.insert("informational".into(), json!(i.trim()));
    }
    if !adv.keywords.is_empty() {
        db.insert("keywords".into(), json!(adv.keywords));
    }
    if let Some(l) = &adv.license {
        db.insert("license".into(), json!(l));
    }

    let rec = Osv {
        schema_version: Some("1.6.0".into()),
        id: adv.id.trim().to_string(),
        modified: date.clone(),
        published: date,
        withdrawn: timestamp(&adv.withdrawn),
        aliases: adv.aliases,
        related: adv.related,
        upstream: Vec::new(),
        summary: title,
        details: description,
        severity,
        affected: vec![Affected {
            package: Some(Package {
                ecosystem: "crates.io".into(),
                purl: Some(format!("pkg:cargo/{name}")),
                name,
            }),
            severity: Vec::new(),
            ranges,
            versions: Vec::new(),
            ecosystem_specific: (!eco_specific.is_empty()).then_some(Value::Object(eco_specific)),
            database_specific: Some(Value::Object(aff_db)),
        }],
        references,
        database_specific: Some(Value::Object(db)),
    };
    Ok((rec, notes))
}

fn split_front_matter(text: &str) -> Result<(&str, &str), String> {
    let start = text
        .find("```toml")
        .ok_or("no ```toml front matter block")?;
    let after = &text[start + "```toml".len()..];
    let body_start = after.find('\n').map_or(after.len(), |i| i + 1);
    let after = &after[body_start..];
    let end = after.find("\n```").ok_or("```toml block is not closed")?;
    let toml_text = &after[..end];
    let rest = &after[end + 4..];
    let rest = rest.find('\n').map_or("", |i| &rest[i + 1..]);
    Ok((toml_text, rest))
}

/// The first `# ` heading is the title; what follows is the description.
fn split_title(markdown: &str) -> (Option<String>, Option<String>) {
    let mut title = None;
    let mut rest = markdown;
    let mut offset = 0;
    for line in markdown.split_inclusive('\n') {
        offset += line.len();
        let l = line.trim();
        if let Some(t) = l.strip_prefix("# ") {
            title = Some(t.trim().to_string());
            rest = &markdown[offset..];
            break;
        }
        if !l.is_empty() {
            break;
        }
    }
    let desc = rest.trim();
    (title, (!desc.is_empty()).then(|| desc.to_string()))
}

#[derive(Debug, Clone, PartialEq, Eq)]
enum Lo {
    Min,
    Incl(Version),
    Excl(Version),
}

#[derive(Debug, Clone, PartialEq, Eq)]
enum Hi {
    Max,
    Excl(Version),
    Incl(Version),
}

#[derive(Debug, Clone, PartialEq, Eq)]
struct Interval {
    lo: Lo,
    hi: Hi,
}

fn cmp_lo(a: &Lo, b: &Lo) -> Ordering {
    match (a, b) {
        (Lo::Min, Lo::Min) => Ordering::Equal,
        (Lo::Min, _) => Ordering::Less,
        (_, Lo::Min) => Ordering::Greater,
        (Lo::Incl(x) | Lo::Excl(x), Lo::Incl(y) | Lo::Excl(y)) => x.cmp_precedence(y).then(
            // At the same version an inclusive bound starts earlier.
            matches!(a, Lo::Excl(_)).cmp(&matches!(b, Lo::Excl(_))),
        ),
    }
}

fn cmp_hi(a: &Hi, b: &Hi) -> Ordering {
    match (a, b) {
        (Hi::Max, Hi::Max) => Ordering::Equal,
        (Hi::Max, _) => Ordering::Greater,
        (_, Hi::Max) => Ordering::Less,
        (Hi::Incl(x) | Hi::Excl(x), Hi::Incl(y) | Hi::Excl(y)) => x
            .cmp_precedence(y)
            .then(matches!(a, Hi::Incl(_)).cmp(&matches!(b, Hi::Incl(_)))),
    }
}

fn is_empty(iv: &Interval) -> bool {
    match (&iv.lo, &iv.hi) {
        (Lo::Min, _) | (_, Hi::Max) => false,
        (Lo::Incl(a), Hi::Incl(b)) => a.cmp_precedence(b) == Ordering::Greater,
        (Lo::Incl(a) | Lo::Excl(a), Hi::Excl(b)) | (Lo::Excl(a), Hi::Incl(b)) => {
            a.cmp_precedence(b) != Ordering::Less
        }
    }
}

fn v(major: u64, minor: u64, patch: u64) -> Version {
    Version::new(major, minor, patch)
}

/// One Cargo comparator as an interval of versions.
fn comparator_interval(c: &Comparator) -> Interval {
    let (ma, mi, pa) = (c.major, c.minor, c.patch);
    let full = |pre: &Prerelease| {
        let mut x = v(ma, mi.unwrap_or(0), pa.unwrap_or(0));
        x.pre = pre.clone();
        x
    };
    let lower = full(&c.pre);
    // The version just above the requirement's precision (1.2 → 1.3.0).
    let next = match (mi, pa) {
        (None, _) => v(ma + 1, 0, 0),
        (Some(m), None) => v(ma, m + 1, 0),
        (Some(m), Some(p)) => v(ma, m, p + 1),
    };
    let exact = mi.is_some() && pa.is_some();
    match c.op {
        Op::Exact | Op::Wildcard => {
            if exact && c.op == Op::Exact {
                Interval {
                    lo: Lo::Incl(lower.clone()),
                    hi: Hi::Incl(lower),
                }
            } else {
                Interval {
                    lo: Lo::Incl(lower),
                    hi: Hi::Excl(next),
                }
            }
        }
        Op::Greater => Interval {
            lo: if exact {
                Lo::Excl(lower)
            } else {
                Lo::Incl(next)
            },
            hi: Hi::Max,
        },
        Op::GreaterEq => Interval {
            lo: Lo::Incl(lower),
            hi: Hi::Max,
        },
        Op::Less => Interval {
            lo: Lo::Min,
            hi: Hi::Excl(lower),
        },
        Op::LessEq => Interval {
            lo: Lo::Min,
            hi: if exact {
                Hi::Incl(lower)
            } else {
                Hi::Excl(next)
            },
        },
        Op::Tilde => Interval {
            lo: Lo::Incl(lower),
            hi: Hi::Excl(match mi {
                None => v(ma + 1, 0, 0),
                Some(m) => v(ma, m + 1, 0),
            }),
        },
        // Caret, and any operator added to `semver` later (Cargo's default).
        _ => Interval {
            lo: Lo::Incl(lower),
            hi: Hi::Excl(match (ma, mi, pa) {
                (0, None, _) => v(1, 0, 0),
                (0, Some(0), None) => v(0, 1, 0),
                (0, Some(0), Some(p)) => v(0, 0, p + 1),
                (0, Some(m), _) => v(0, m + 1, 0),
                (m, _, _) => v(m + 1, 0, 0),
            }),
        },
    }
}

/// A requirement (comma-separated comparators, all of which must hold) as
/// one interval; `None` when it matches nothing.
fn requirement_interval(req: &str) -> Result<Option<Interval>, String> {
    let parsed = VersionReq::parse(req.trim()).map_err(|e| e.to_string())?;
    let mut iv = Interval {
        lo: Lo::Min,
        hi: Hi::Max,
    };
    for c in &parsed.comparators {
        let ci = comparator_interval(c);
        if cmp_lo(&ci.lo, &iv.lo) == Ordering::Greater {
            iv.lo = ci.lo;
        }
        if cmp_hi(&ci.hi, &iv.hi) == Ordering::Less {
            iv.hi = ci.hi;
        }
    }
    Ok((!is_empty(&iv)).then_some(iv))
}

/// The smallest SemVer version above `x`: `1.2.3` → `1.2.4-0`,
/// `1.2.3-alpha` → `1.2.3-alpha.0`. Lets an exclusive lower bound be an
/// OSV `introduced` (which is inclusive) without loss.
fn successor(x: &Version) -> Version {
    let mut n = x.clone();
    n.build = semver::BuildMetadata::EMPTY;
    if x.pre.is_empty() {
        n.patch += 1;
        n.pre = Prerelease::new("0").unwrap_or(Prerelease::EMPTY);
    } else {
        n.pre = Prerelease::new(&format!("{}.0", x.pre)).unwrap_or_else(|_| x.pre.clone());
    }
    n
}

/// Affected = complement of the union of `unaffected`, as SEMVER ranges:
/// one range with all events when every gap ends in a `fixed` (the usual
/// shape, as RustSec's export writes it), else one range per gap, since a
/// range may not mix `fixed` and `last_affected`.
fn affected_ranges(mut unaffected: Vec<Interval>) -> Vec<Range> {
    unaffected.sort_by(|a, b| cmp_lo(&a.lo, &b.lo));
    let mut merged: Vec<Interval> = Vec::new();
    for iv in unaffected {
        if let Some(last) = merged.last_mut() {
            if touches(&last.hi, &iv.lo) {
                if cmp_hi(&iv.hi, &last.hi) == Ordering::Greater {
                    last.hi = iv.hi;
                }
                continue;
            }
        }
        merged.push(iv);
    }
    // Gaps between unaffected intervals: (introduced, end).
    let mut gaps: Vec<(String, Option<Event>)> = Vec::new();
    let mut start = Some("0".to_string());
    for iv in &merged {
        if let Some(s) = start.take() {
            let end = match &iv.lo {
                Lo::Min => None,
                Lo::Incl(a) => Some(Event {
                    fixed: Some(a.to_string()),
                    ..Event::default()
                }),
                Lo::Excl(a) => Some(Event {
                    last_affected: Some(a.to_string()),
                    ..Event::default()
                }),
            };
            if let Some(e) = end {
                // An empty gap: [b, b) after an interval ending just before
                // b, or [0, 0.0.0) when "0" meets an unaffected `>= 0`.
                let empty = e.fixed.as_deref() == Some(s.as_str())
                    || (s == "0" && e.fixed.as_deref() == Some("0.0.0"));
                if !empty {
                    gaps.push((s, Some(e)));
                }
            }
        }
        start = match &iv.hi {
            Hi::Max => None,
            Hi::Excl(b) => Some(b.to_string()),
            Hi::Incl(b) => Some(successor(b).to_string()),
        };
    }
    if let Some(s) = start {
        gaps.push((s, None));
    }
    let intro = |s: String| Event {
        introduced: Some(s),
        ..Event::default()
    };
    let range = |events: Vec<Event>| Range {
        kind: RangeType::Semver,
        repo: None,
        events,
        database_specific: None,
    };
    if gaps.is_empty() {
        return Vec::new();
    }
    if gaps
        .iter()
        .all(|(_, e)| e.as_ref().is_none_or(|e| e.fixed.is_some()))
    {
        let mut events = Vec::new();
        for (s, e) in gaps {
            events.push(intro(s));
            events.extend(e);
        }
        return vec![range(events)];
    }
    gaps.into_iter()
        .map(|(s, e)| range(std::iter::once(intro(s)).chain(e).collect()))
        .collect()
}

/// Whether an interval ending at `hi` and one starting at `lo` (not before
/// it) leave no version between them.
fn touches(hi: &Hi, lo: &Lo) -> bool {
    match (hi, lo) {
        (Hi::Max, _) | (_, Lo::Min) => true,
        (Hi::Incl(b) | Hi::Excl(b), Lo::Incl(a) | Lo::Excl(a)) => {
            match a.cmp_precedence(b) {
                Ordering::Less => true,
                Ordering::Greater => false,
                // Same version: covered unless both bounds exclude it.
                Ordering::Equal => !(matches!(hi, Hi::Excl(_)) && matches!(lo, Lo::Excl(_))),
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn events(reqs: &[&str]) -> Vec<Vec<(String, String)>> {
        let ivs = reqs
            .iter()
            .filter_map(|r| requirement_interval(r).unwrap())
            .collect();
        affected_ranges(ivs)
            .into_iter()
            .map(|r| {
                r.events
                    .into_iter()
                    .map(|e| match (e.introduced, e.fixed, e.last_affected) {
                        (Some(x), _, _) => ("introduced".into(), x),
                        (_, Some(x), _) => ("fixed".into(), x),
                        (_, _, Some(x)) => ("last_affected".into(), x),
                        _ => panic!("empty event"),
                    })
                    .collect()
            })
            .collect()
    }

    fn ev(pairs: &[(&str, &str)]) -> Vec<(String, String)> {
        pairs
            .iter()
            .map(|(a, b)| (a.to_string(), b.to_string()))
            .collect()
    }

    #[test]
    fn tokio_style_ranges() {
        // RUSTSEC-2021-0124 (tokio).
        let got = events(&[">= 1.8.4, < 1.9.0", ">= 1.13.1", "< 0.1.14"]);
        assert_eq!(
            got,
            vec![ev(&[
                ("introduced", "0.1.14"),
                ("fixed", "1.8.4"),
                ("introduced", "1.9.0"),
                ("fixed", "1.13.1"),
            ])]
        );
    }

    #[test]
    fn caret_tilde_and_partial_versions() {
        assert_eq!(
            events(&["^0.9.3", ">= 1.0"]),
            vec![ev(&[
                ("introduced", "0"),
                ("fixed", "0.9.3"),
                ("introduced", "0.10.0"),
                ("fixed", "1.0.0"),
            ])]
        );
        assert_eq!(
            events(&["~1.2", "^0.0.3"]),
            vec![ev(&[
                ("introduced", "0"),
                ("fixed", "0.0.3"),
                ("introduced", "0.0.4"),
                ("fixed", "1.2.0"),
                ("introduced", "1.3.0"),
            ])]
        );
        // Bare version = caret.
        assert_eq!(
            events(&["0.3.1"]),
            vec![ev(&[
                ("introduced", "0"),
                ("fixed", "0.3.1"),
                ("introduced", "0.4.0"),
            ])]
        );
    }

    #[test]
    fn exclusive_bounds_are_exact() {
        // `> 1.2.3` patched: 1.2.3 itself is the last affected version.
        // `<= 0.5.0` unaffected: affected from just above 0.5.0.
        assert_eq!(
            events(&["> 1.2.3", "<= 0.5.0"]),
            vec![ev(&[("introduced", "0.5.1-0"), ("last_affected", "1.2.3")])]
        );
        // `> 1.2` means >= 1.3.0 in Cargo.
        assert_eq!(
            events(&["> 1.2"]),
            vec![ev(&[("introduced", "0"), ("fixed", "1.3.0")])]
        );
    }

    #[test]
    fn no_requirements_means_all_affected_and_star_means_none() {
        assert_eq!(events(&[]), vec![ev(&[("introduced", "0")])]);
        assert!(events(&["*"]).is_empty());
        assert!(events(&["< 1.0", ">= 1.0"]).is_empty());
        assert!(events(&[">= 0"]).is_empty());
    }

    #[test]
    fn parses_advisory_file() {
        let text = "```toml\n[advisory]\nid = \"RUSTSEC-2099-0001\"\npackage = \"demo\"\ndate = \"2099-01-02\"\naliases = [\"CVE-2099-1\"]\ninformational = \"unmaintained\"\ncvss = \"CVSS:3.1/AV:N/AC:L/PR:N/UI:N/S:U/C:H/I:H/A:H\"\nwithdrawn = \"2099-02-01\"\n\n[versions]\npatched = [\">= 1.0.0\", \"not a req\"]\n\n[affected]\nos = [\"windows\"]\n```\n\n# Demo title\n\nSome *details*.\n";
        let (rec, notes) = parse_advisory(text).unwrap();
        assert_eq!(rec.id, "RUSTSEC-2099-0001");
        assert_eq!(rec.summary.as_deref(), Some("Demo title"));
        assert_eq!(rec.details.as_deref(), Some("Some *details*."));
        assert_eq!(rec.withdrawn.as_deref(), Some("2099-02-01T12:00:00Z"));
        assert_eq!(rec.severity[0].kind, "CVSS_V3");
        assert_eq!(
            rec.database_specific.as_ref().unwrap()["informational"],
            "unmaintained"
        );
        assert_eq!(notes.len(), 1, "{notes:?}");
        let pkg = rec.affected[0].package.as_ref().unwrap();
        assert_eq!(
            (pkg.ecosystem.as_str(), pkg.name.as_str()),
            ("crates.io", "demo")
        );
        assert_eq!(
            rec.affected[0].ranges[0].events,
            vec![
                Event {
                    introduced: Some("0".into()),
                    ..Event::default()
                },
                Event {
                    fixed: Some("1.0.0".into()),
                    ..Event::default()
                }
            ]
        );
        assert!(parse_advisory("# no front matter").is_err());
    }
}
