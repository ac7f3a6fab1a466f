//! Alerts as findings of the common model, for the store and its reports.
//!
//! Alerts are events; a finding is a judgement about a workload. One finding
//! stands for every alert of the same rule on the same workload (container, or
//! the host) and program, with the count and the first and last time seen.

use std::collections::BTreeMap;

use chrono::{DateTime, Utc};
use sha2::{Digest, Sha256};
use yagura_model::{Finding, FindingSource, ResourceRef, Severity, Status};

use crate::alert::Alert;

/// At most this many distinct findings are kept per run; further ones are
/// counted in `overflow`.
pub const MAX_FINDINGS: usize = 10_000;

#[derive(Debug, Clone)]
struct Entry {
    first: Alert,
    last_time: String,
    count: u64,
}

#[derive(Debug, Clone, Default)]
pub struct FindingAggregator {
    entries: BTreeMap<String, Entry>,
    pub overflow: u64,
}

/// Falco priority → finding severity.
pub fn severity(priority: &str) -> Severity {
    match priority.to_ascii_lowercase().as_str() {
        "emergency" | "alert" | "critical" => Severity::Critical,
        "error" => Severity::High,
        "warning" => Severity::Medium,
        "notice" => Severity::Low,
        _ => Severity::Info,
    }
}

fn field<'a>(a: &'a Alert, name: &str) -> &'a str {
    a.output_fields
        .get(name)
        .map(String::as_str)
        .filter(|v| *v != "<NA>")
        .unwrap_or("")
}

fn workload(a: &Alert) -> (String, String) {
    let container = field(a, "container.id");
    if !container.is_empty() && container != "host" {
        (format!("container:{container}"), "runtime.container".into())
    } else {
        (format!("host:{}", a.hostname), "runtime.host".into())
    }
}

fn key(a: &Alert) -> String {
    let (res, _) = workload(a);
    let program = match field(a, "proc.exepath") {
        "" => field(a, "proc.name"),
        p => p,
    };
    let mut h = Sha256::new();
    for part in [a.rule.as_str(), res.as_str(), program] {
        h.update(part.as_bytes());
        h.update([0]);
    }
    hex::encode(&h.finalize()[..16])
}

impl FindingAggregator {
    pub fn add(&mut self, a: &Alert) {
        let k = key(a);
        if let Some(e) = self.entries.get_mut(&k) {
            e.count += 1;
            e.last_time = a.time.clone();
            return;
        }
        if self.entries.len() >= MAX_FINDINGS {
            self.overflow += 1;
            return;
        }
        self.entries.insert(
            k,
            Entry {
                first: a.clone(),
                last_time: a.time.clone(),
                count: 1,
            },
        );
    }

    pub fn len(&self) -> usize {
        self.entries.len()
    }

    pub fn is_empty(&self) -> bool {
        self.entries.is_empty()
    }

    pub fn findings(&self) -> Vec<Finding> {
        self.entries
            .iter()
            .map(|(id, e)| {
                let a = &e.first;
                let (res_id, kind) = workload(a);
                let mut tags = BTreeMap::new();
                for f in [
                    "container.name",
                    "container.image",
                    "k8s.ns.name",
                    "k8s.pod.name",
                    "proc.name",
                    "proc.exepath",
                ] {
                    let v = field(a, f);
                    if !v.is_empty() {
                        tags.insert(f.to_string(), v.to_string());
                    }
                }
                let name = match field(a, "container.name") {
                    "" => res_id.clone(),
                    n => n.to_string(),
                };
                let parse = |t: &str| {
                    DateTime::parse_from_rfc3339(t)
                        .ok()
                        .map(|d| d.with_timezone(&Utc))
                };
                let times = if e.count == 1 {
                    String::new()
                } else {
                    format!(" ({} alerts, last {})", e.count, e.last_time)
                };
                Finding {
                    id: id.clone(),
                    check: a.rule.clone(),
                    title: a.rule.clone(),
                    severity: severity(&a.priority),
                    status: Status::Fail,
                    message: format!("{}{times}", a.output),
                    resource: ResourceRef {
                        id: res_id,
                        kind,
                        name,
                        account: None,
                        region: None,
                        tags,
                        location: None,
                    },
                    frameworks: a
                        .tags
                        .iter()
                        .filter(|t| t.starts_with("mitre_") || t.starts_with('T'))
                        .map(|t| format!("MITRE ATT&CK:{t}"))
                        .collect(),
                    remediation: String::new(),
                    source: FindingSource::Builtin,
                    muted: None,
                    first_seen: parse(&a.time),
                    last_seen: parse(&e.last_time),
                    vulnerability: None,
                    malware: None,
                }
            })
            .collect()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn alert(rule: &str, container: &str, time: &str) -> Alert {
        let mut f = BTreeMap::new();
        f.insert("container.id".to_string(), container.to_string());
        f.insert("proc.exepath".to_string(), "/bin/sh".to_string());
        Alert {
            time: time.into(),
            rule: rule.into(),
            priority: "Warning".into(),
            output: "o".into(),
            output_fields: f,
            tags: vec!["mitre_execution".into(), "T1059".into(), "container".into()],
            source: "syscall".into(),
            hostname: "h".into(),
            evt_num: 1,
            evt_type: "execve".into(),
            response: None,
        }
    }

    #[test]
    fn same_rule_workload_and_program_make_one_finding() {
        let mut agg = FindingAggregator::default();
        agg.add(&alert(
            "Shell",
            "abc123abc123",
            "2026-11-28T00:00:00.000000000Z",
        ));
        agg.add(&alert(
            "Shell",
            "abc123abc123",
            "2026-11-28T00:00:05.000000000Z",
        ));
        agg.add(&alert("Shell", "host", "2026-11-28T00:00:06.000000000Z"));
        let f = agg.findings();
        assert_eq!(f.len(), 2);
        let c = f
            .iter()
            .find(|f| f.resource.id == "container:abc123abc123")
            .unwrap();
        assert!(c.message.contains("2 alerts"), "{}", c.message);
        assert_eq!(c.severity, Severity::Medium);
        assert_eq!(
            c.frameworks,
            ["MITRE ATT&CK:mitre_execution", "MITRE ATT&CK:T1059"]
        );
        assert!(c.last_seen > c.first_seen);
        let h = f.iter().find(|f| f.resource.id == "host:h").unwrap();
        assert_eq!(h.resource.kind, "runtime.host");
    }
}
