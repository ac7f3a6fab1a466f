//! Evaluation: inventory in, findings out. Built-in checks and user Rego policies
//! produce findings of the same model; suppressions then mute what the project
//! chose to accept. Nothing here does I/O.

use chrono::{DateTime, Utc};
use globset::{GlobSet, GlobSetBuilder};
use std::collections::HashMap;
use yagura_checks::{Check, Ctx};
use yagura_config::{apply_suppressions, Suppression};
use yagura_model::{
    fingerprint, Finding, FindingSource, Inventory, Outcome, Resource, ResourceRef, SourceKind,
};
use yagura_policy::{Policy, PolicyError};

/// Which checks run: `--checks` and `--skip-checks` take codes or globs (`AWS-S3-*`).
#[derive(Debug, Default, Clone)]
pub struct Selection {
    include: Option<GlobSet>,
    exclude: Option<GlobSet>,
}

#[derive(Debug, thiserror::Error)]
#[error("bad check pattern `{pattern}`: {message}")]
pub struct SelectionError {
    pub pattern: String,
    pub message: String,
}

fn globset(patterns: &[String]) -> Result<Option<GlobSet>, SelectionError> {
    if patterns.is_empty() {
        return Ok(None);
    }
    let mut b = GlobSetBuilder::new();
    for p in patterns {
        let g = globset::GlobBuilder::new(p)
            .case_insensitive(true)
            .build()
            .map_err(|e| SelectionError {
                pattern: p.clone(),
                message: e.to_string(),
            })?;
        b.add(g);
    }
    b.build().map(Some).map_err(|e| SelectionError {
        pattern: patterns.join(","),
        message: e.to_string(),
    })
}

impl Selection {
    pub fn new(include: &[String], exclude: &[String]) -> Result<Self, SelectionError> {
        Ok(Selection {
            include: globset(include)?,
            exclude: globset(exclude)?,
        })
    }

    pub fn allows(&self, code: &str) -> bool {
        self.include.as_ref().is_none_or(|g| g.is_match(code))
            && !self.exclude.as_ref().is_some_and(|g| g.is_match(code))
    }
}

/// What evaluation produced.
#[derive(Debug, Default)]
pub struct Evaluation {
    pub findings: Vec<Finding>,
    /// Policy load/run errors: reported, never fatal.
    pub errors: Vec<String>,
    /// Expired suppressions and the like.
    pub notices: Vec<String>,
}

pub struct Engine<'a> {
    pub checks: Vec<&'static Check>,
    pub policies: &'a mut [Policy],
    pub suppressions: &'a [Suppression],
    pub now: DateTime<Utc>,
}

fn finding_from_check(c: &Check, r: &Resource, outcome: Outcome) -> Finding {
    Finding {
        id: fingerprint(c.code, &r.id, r.account.as_deref(), r.region.as_deref()),
        check: c.code.to_string(),
        title: c.title.to_string(),
        severity: c.severity,
        status: outcome.status(),
        message: outcome.message().to_string(),
        resource: ResourceRef::from(r),
        frameworks: c.frameworks.iter().map(|s| s.to_string()).collect(),
        remediation: c.remediation.to_string(),
        source: FindingSource::Builtin,
        muted: None,
        first_seen: None,
        last_seen: None,
        vulnerability: None,
        malware: None,
    }
}

fn finding_from_policy(p: &Policy, r: &Resource, outcome: Outcome) -> Finding {
    let m = &p.meta;
    Finding {
        id: fingerprint(&m.code, &r.id, r.account.as_deref(), r.region.as_deref()),
        check: m.code.clone(),
        title: m.title.clone(),
        severity: m.severity,
        status: outcome.status(),
        message: outcome.message().to_string(),
        resource: ResourceRef::from(r),
        frameworks: m.frameworks.clone(),
        remediation: m.remediation.clone(),
        source: FindingSource::Rego {
            file: p.file.clone(),
        },
        muted: None,
        first_seen: None,
        last_seen: None,
        vulnerability: None,
        malware: None,
    }
}

/// Whether a check runs on a resource of this origin. On code, a check runs only
/// on the formats its fixtures prove (`Check::iac_formats`): the others need facts
/// that exist only after deploy (credential ages, delivery times) and would report
/// NOT_ASSESSED on every resource.
fn runs_on(c: &Check, r: &Resource) -> bool {
    let wanted: &[&str] = match r.source {
        SourceKind::Terraform => &["terraform", "terraform-plan"],
        SourceKind::CloudFormation => &["cloudformation"],
        SourceKind::Kubernetes => &["kubernetes"],
        SourceKind::Dockerfile => &["dockerfile"],
        _ => return true,
    };
    c.iac_formats().iter().any(|f| wanted.contains(f))
}

impl Engine<'_> {
    pub fn run(&mut self, inventory: &Inventory) -> Evaluation {
        let mut by_kind: HashMap<&str, Vec<&Check>> = HashMap::new();
        for c in &self.checks {
            by_kind.entry(c.kind).or_default().push(c);
        }
        let ctx = Ctx {
            inventory,
            now: self.now,
        };
        let mut out = Evaluation::default();
        for r in inventory.resources() {
            if let Some(checks) = by_kind.get(r.kind.as_str()) {
                for c in checks.iter().filter(|c| runs_on(c, r)) {
                    out.findings
                        .push(finding_from_check(c, r, c.evaluate(r, &ctx)));
                }
            }
        }
        self.run_policies(inventory, &mut out);
        let applied =
            apply_suppressions(&mut out.findings, self.suppressions, self.now.date_naive());
        out.notices.extend(applied.expired);
        out
    }

    fn run_policies(&mut self, inventory: &Inventory, out: &mut Evaluation) {
        if self.policies.is_empty() {
            return;
        }
        for r in inventory.resources() {
            let mut json: Option<String> = None;
            for p in self.policies.iter_mut() {
                if !p.applies_to(&r.kind) {
                    continue;
                }
                let input = match &json {
                    Some(j) => j,
                    None => match serde_json_string(r) {
                        Ok(j) => json.insert(j),
                        Err(e) => {
                            out.errors
                                .push(format!("{}: cannot serialise for policies: {e}", r.id));
                            break;
                        }
                    },
                };
                match p.evaluate_json(&r.id, input) {
                    Ok(o) => out.findings.push(finding_from_policy(p, r, o)),
                    Err(e) => {
                        let e: PolicyError = e;
                        out.errors.push(e.to_string());
                        out.findings.push(finding_from_policy(
                            p,
                            r,
                            Outcome::NotAssessed(format!("policy failed: {e}")),
                        ));
                    }
                }
            }
        }
    }
}

/// Resources are plain data; serialising can only fail on non-string map keys,
/// which the model never has, but a failure is still reported, not unwrapped.
fn serde_json_string(r: &Resource) -> Result<String, String> {
    serde_json::to_string(r).map_err(|e| e.to_string())
}

#[cfg(test)]
mod tests;
