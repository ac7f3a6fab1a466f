//! Compliance roll-up: findings counted per framework and per control.

use crate::text::{is_muted, split_requirement};
use serde::Serialize;
use std::cmp::Ordering;
use std::collections::{BTreeSet, HashMap, HashSet};
use yagura_model::{Finding, Status};

/// Findings by display status. A muted PASS is a PASS; a muted FAIL or
/// NOT_ASSESSED is MUTED (as `Finding::display_status`).
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize)]
pub struct StatusCounts {
    pub pass: usize,
    pub fail: usize,
    pub muted: usize,
    pub not_assessed: usize,
}

impl StatusCounts {
    pub fn add(&mut self, f: &Finding) {
        if is_muted(f) {
            self.muted += 1;
            return;
        }
        match f.status {
            Status::Pass => self.pass += 1,
            Status::Fail => self.fail += 1,
            Status::NotAssessed => self.not_assessed += 1,
        }
    }

    pub fn of<'a>(findings: impl IntoIterator<Item = &'a Finding>) -> Self {
        let mut c = StatusCounts::default();
        for f in findings {
            c.add(f);
        }
        c
    }

    pub fn total(&self) -> usize {
        self.pass + self.fail + self.muted + self.not_assessed
    }

    /// PASS / (PASS + FAIL): muted and not-assessed findings say nothing about
    /// compliance either way. `None` when nothing was decided.
    pub fn pass_rate(&self) -> Option<f64> {
        let decided = self.pass + self.fail;
        (decided > 0).then(|| self.pass as f64 / decided as f64)
    }
}

/// Where a control stands after the scan.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum ControlStatus {
    /// At least one open failure.
    Fail,
    /// Passing findings and no open failure.
    Pass,
    /// Only suppressed findings (possibly with not-assessed ones).
    Muted,
    /// Only findings that could not be decided.
    NotAssessed,
    /// No check maps to this control, or none of its resources exist.
    NoData,
    /// The control needs a human; it never counts towards the pass rate.
    Manual,
}

impl ControlStatus {
    pub fn label(self) -> &'static str {
        match self {
            ControlStatus::Fail => "FAIL",
            ControlStatus::Pass => "PASS",
            ControlStatus::Muted => "MUTED",
            ControlStatus::NotAssessed => "NOT_ASSESSED",
            ControlStatus::NoData => "no data",
            ControlStatus::Manual => "manual",
        }
    }
}

#[derive(Debug, Clone, Serialize)]
pub struct ControlSummary {
    pub id: String,
    /// Empty for controls that findings reference but the framework file lacks.
    pub title: String,
    pub section: Option<String>,
    pub automated: bool,
    pub counts: StatusCounts,
    pub pass_rate: Option<f64>,
    pub status: ControlStatus,
    /// The check codes whose findings map here.
    pub checks: Vec<String>,
}

#[derive(Debug, Clone, Serialize)]
pub struct FrameworkSummary {
    pub id: String,
    pub name: String,
    pub version: String,
    /// `false` for a framework only findings mention (e.g. from a Rego policy).
    pub known: bool,
    pub controls: Vec<ControlSummary>,
    /// Distinct findings mapped to at least one automated control; a finding
    /// mapped to several controls counts once here.
    pub counts: StatusCounts,
    pub pass_rate: Option<f64>,
}

impl FrameworkSummary {
    /// Display name with version, `CIS AWS Foundations Benchmark 3.0.0`.
    pub fn title(&self) -> String {
        if self.version.is_empty() {
            self.name.clone()
        } else {
            format!("{} {}", self.name, self.version)
        }
    }

    /// How many controls are in `status`.
    pub fn controls_with(&self, status: ControlStatus) -> usize {
        self.controls.iter().filter(|c| c.status == status).count()
    }
}

#[derive(Default)]
struct ControlAcc {
    counts: StatusCounts,
    checks: BTreeSet<String>,
}

#[derive(Default)]
struct FrameworkAcc {
    controls: HashMap<String, ControlAcc>,
    counts: StatusCounts,
}

/// Per framework, per control: counts by status and the pass rate. Every
/// built-in framework is listed (controls without findings as "no data"), then
/// any framework that only findings mention, by id.
pub fn framework_summary(findings: &[Finding]) -> Vec<FrameworkSummary> {
    let builtin = yagura_checks::frameworks();
    let mut acc: HashMap<String, FrameworkAcc> = HashMap::new();

    for f in findings {
        // A finding may repeat a reference; count it once per control and once
        // per framework.
        let mut seen_controls: HashSet<(&str, &str)> = HashSet::new();
        let mut automated_frameworks: HashSet<&str> = HashSet::new();
        for r in &f.frameworks {
            let Some((fw, control)) = split_requirement(r) else {
                continue;
            };
            if !seen_controls.insert((fw, control)) {
                continue;
            }
            let entry = acc.entry(fw.to_string()).or_default();
            let c = entry.controls.entry(control.to_string()).or_default();
            c.counts.add(f);
            c.checks.insert(f.check.clone());
            let automated = yagura_checks::framework(fw)
                .and_then(|def| def.control(control))
                .is_none_or(|def| def.automated);
            if automated && automated_frameworks.insert(fw) {
                entry.counts.add(f);
            }
        }
    }

    let mut out = Vec::new();
    for def in builtin {
        let mut fw_acc = acc.remove(&def.id).unwrap_or_default();
        let mut controls: Vec<ControlSummary> = def
            .controls
            .iter()
            .map(|c| {
                let a = fw_acc.controls.remove(&c.id).unwrap_or_default();
                control_summary(&c.id, &c.title, c.section.clone(), c.automated, a)
            })
            .collect();
        controls.extend(extra_controls(fw_acc.controls));
        out.push(FrameworkSummary {
            id: def.id.clone(),
            name: def.name.clone(),
            version: def.version.clone(),
            known: true,
            controls,
            counts: fw_acc.counts,
            pass_rate: fw_acc.counts.pass_rate(),
        });
    }

    let mut unknown: Vec<(String, FrameworkAcc)> = acc.into_iter().collect();
    unknown.sort_by(|a, b| a.0.cmp(&b.0));
    for (id, fw_acc) in unknown {
        out.push(FrameworkSummary {
            name: id.clone(),
            id,
            version: String::new(),
            known: false,
            controls: extra_controls(fw_acc.controls),
            counts: fw_acc.counts,
            pass_rate: fw_acc.counts.pass_rate(),
        });
    }
    out
}

/// Controls a framework file does not list, in natural id order.
fn extra_controls(map: HashMap<String, ControlAcc>) -> Vec<ControlSummary> {
    let mut extra: Vec<(String, ControlAcc)> = map.into_iter().collect();
    extra.sort_by(|a, b| natural_cmp(&a.0, &b.0));
    extra
        .into_iter()
        .map(|(id, a)| control_summary(&id, "", None, true, a))
        .collect()
}

fn control_summary(
    id: &str,
    title: &str,
    section: Option<String>,
    automated: bool,
    a: ControlAcc,
) -> ControlSummary {
    let counts = a.counts;
    let status = if !automated {
        ControlStatus::Manual
    } else if counts.fail > 0 {
        ControlStatus::Fail
    } else if counts.pass > 0 {
        ControlStatus::Pass
    } else if counts.muted > 0 {
        ControlStatus::Muted
    } else if counts.not_assessed > 0 {
        ControlStatus::NotAssessed
    } else {
        ControlStatus::NoData
    };
    ControlSummary {
        id: id.to_string(),
        title: title.to_string(),
        section,
        automated,
        counts,
        pass_rate: counts.pass_rate(),
        status,
        checks: a.checks.into_iter().collect(),
    }
}

/// Orders `1.9` before `1.10` and `AC-2` before `AC-10`.
pub(crate) fn natural_cmp(a: &str, b: &str) -> Ordering {
    let (mut x, mut y) = (a, b);
    loop {
        match (x.is_empty(), y.is_empty()) {
            (true, true) => return Ordering::Equal,
            (true, false) => return Ordering::Less,
            (false, true) => return Ordering::Greater,
            _ => {}
        }
        let (cx, rx) = chunk(x);
        let (cy, ry) = chunk(y);
        let ord = match (cx.parse::<u64>(), cy.parse::<u64>()) {
            (Ok(nx), Ok(ny)) => nx.cmp(&ny).then(cx.len().cmp(&cy.len())),
            _ => cx.cmp(cy),
        };
        if ord != Ordering::Equal {
            return ord;
        }
        x = rx;
        y = ry;
    }
}

/// The leading run of digits or of non-digits, and the rest.
fn chunk(s: &str) -> (&str, &str) {
    let digits = s.starts_with(|c: char| c.is_ascii_digit());
    let end = s
        .find(|c: char| c.is_ascii_digit() != digits)
        .unwrap_or(s.len());
    s.split_at(end)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn natural_order_of_control_ids() {
        let mut ids = vec!["1.10", "1.9", "AC-10", "AC-2", "2.1.4", "2.1.10", "AC-2(1)"];
        ids.sort_by(|a, b| natural_cmp(a, b));
        assert_eq!(
            ids,
            vec!["1.9", "1.10", "2.1.4", "2.1.10", "AC-2", "AC-2(1)", "AC-10"]
        );
    }

    #[test]
    fn pass_rate_ignores_undecided() {
        let c = StatusCounts {
            pass: 3,
            fail: 1,
            muted: 10,
            not_assessed: 5,
        };
        assert_eq!(c.pass_rate(), Some(0.75));
        assert_eq!(StatusCounts::default().pass_rate(), None);
        assert_eq!(c.total(), 19);
    }
}
