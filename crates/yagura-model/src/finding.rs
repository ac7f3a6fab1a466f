use crate::{Location, Resource, Severity};
use chrono::{DateTime, NaiveDate, Utc};
use serde::{Deserialize, Serialize};
use sha2::{Digest, Sha256};

/// What a check concluded about one resource.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Outcome {
    Pass(String),
    Fail(String),
    /// The check could not decide; the text says why (a missing attribute, an API
    /// that was denied, a value unknown until apply).
    NotAssessed(String),
}

impl Outcome {
    pub fn status(&self) -> Status {
        match self {
            Outcome::Pass(_) => Status::Pass,
            Outcome::Fail(_) => Status::Fail,
            Outcome::NotAssessed(_) => Status::NotAssessed,
        }
    }

    pub fn message(&self) -> &str {
        match self {
            Outcome::Pass(m) | Outcome::Fail(m) | Outcome::NotAssessed(m) => m,
        }
    }
}

impl From<crate::Missing> for Outcome {
    fn from(m: crate::Missing) -> Self {
        Outcome::NotAssessed(m.to_string())
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "SCREAMING_SNAKE_CASE")]
pub enum Status {
    Pass,
    Fail,
    NotAssessed,
}

impl Status {
    pub fn as_str(self) -> &'static str {
        match self {
            Status::Pass => "PASS",
            Status::Fail => "FAIL",
            Status::NotAssessed => "NOT_ASSESSED",
        }
    }

    pub fn parse(s: &str) -> Option<Status> {
        match s {
            "PASS" => Some(Status::Pass),
            "FAIL" => Some(Status::Fail),
            "NOT_ASSESSED" => Some(Status::NotAssessed),
            _ => None,
        }
    }
}

/// A suppression that matched the finding. Muted findings stay in every report.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Mute {
    pub reason: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub expires: Option<NaiveDate>,
    /// Which suppression rule matched (its index or name in the config).
    pub rule: String,
}

/// Who produced a finding.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(tag = "type", rename_all = "lowercase")]
pub enum FindingSource {
    Builtin,
    Rego { file: String },
}

/// The resource a finding is about, as it is shown in reports.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct ResourceRef {
    pub id: String,
    pub kind: String,
    pub name: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub account: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub region: Option<String>,
    #[serde(default, skip_serializing_if = "std::collections::BTreeMap::is_empty")]
    pub tags: std::collections::BTreeMap<String, String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub location: Option<Location>,
}

impl From<&Resource> for ResourceRef {
    fn from(r: &Resource) -> Self {
        ResourceRef {
            id: r.id.clone(),
            kind: r.kind.clone(),
            name: r.name.clone(),
            account: r.account.clone(),
            region: r.region.clone(),
            tags: r.tags.clone(),
            location: r.location.clone(),
        }
    }
}

impl ResourceRef {
    pub fn provider(&self) -> &str {
        self.kind.split('.').next().unwrap_or("")
    }
    pub fn service(&self) -> &str {
        self.kind.split('.').nth(1).unwrap_or("")
    }
}

/// One judgement of one check on one resource.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Finding {
    /// Stable across scans: the same check on the same resource has the same id.
    pub id: String,
    pub check: String,
    pub title: String,
    pub severity: Severity,
    pub status: Status,
    pub message: String,
    pub resource: ResourceRef,
    #[serde(default)]
    pub frameworks: Vec<String>,
    #[serde(default)]
    pub remediation: String,
    pub source: FindingSource,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub muted: Option<Mute>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub first_seen: Option<DateTime<Utc>>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub last_seen: Option<DateTime<Utc>>,
    /// For a vulnerability finding: the package, advisory IDs, fixed versions,
    /// CVSS scores, layer and path.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub vulnerability: Option<Box<crate::package::VulnMatch>>,
    /// For a malware finding: the signature, file, layer and hash.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub malware: Option<Box<crate::malware::MalwareMatch>>,
}

impl Finding {
    /// `FAIL`, `PASS`, `NOT_ASSESSED`, or `MUTED` for a suppressed non-pass.
    pub fn display_status(&self) -> &'static str {
        if self.muted.is_some() && self.status != Status::Pass {
            "MUTED"
        } else {
            self.status.as_str()
        }
    }

    /// A failing finding that no suppression covers.
    pub fn is_open_failure(&self) -> bool {
        self.status == Status::Fail && self.muted.is_none()
    }
}

/// The stable finding id: a hash of the check code and the resource identity.
pub fn fingerprint(
    check: &str,
    resource_id: &str,
    account: Option<&str>,
    region: Option<&str>,
) -> String {
    let mut h = Sha256::new();
    for part in [
        check,
        resource_id,
        account.unwrap_or(""),
        region.unwrap_or(""),
    ] {
        h.update(part.as_bytes());
        h.update([0u8]);
    }
    hex::encode(&h.finalize()[..16])
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn fingerprint_is_stable_and_separates_fields() {
        let a = fingerprint("C1", "r", Some("1"), None);
        assert_eq!(a, fingerprint("C1", "r", Some("1"), None));
        assert_ne!(a, fingerprint("C1", "r1", None, None));
        assert_eq!(a.len(), 32);
    }

    #[test]
    fn severity_orders_and_parses() {
        assert!(Severity::Critical > Severity::High);
        assert_eq!("HIGH".parse::<Severity>().unwrap(), Severity::High);
        assert!("urgent".parse::<Severity>().is_err());
    }
}
