use serde::{Deserialize, Serialize};
use serde_json::Value;
use std::collections::{BTreeMap, HashMap};

/// Where a resource was read from. The same bucket read from the API, a Config
/// snapshot or Terraform has the same `kind` and attribute schema; only this differs.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum SourceKind {
    AwsApi,
    AwsConfig,
    Terraform,
    CloudFormation,
    Kubernetes,
    Dockerfile,
    /// A plain file (or a file in a commit) read by the secret scanner.
    SourceFile,
    Fixture,
}

/// A place in a file, for resources read from code or snapshots.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Location {
    pub file: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub start_line: Option<u32>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub end_line: Option<u32>,
    /// 1-based columns, when the source knows them (secrets, SARIF regions).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub start_column: Option<u32>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub end_column: Option<u32>,
}

impl Location {
    pub fn lines(file: impl Into<String>, start_line: u32, end_line: u32) -> Self {
        Location {
            file: file.into(),
            start_line: Some(start_line),
            end_line: Some(end_line),
            start_column: None,
            end_column: None,
        }
    }
}

/// One normalized resource.
///
/// Convention for `attributes`: a key that is **absent** was not observed (the
/// collector could not see it) and makes any check that needs it NOT_ASSESSED;
/// a key that is `null` was observed to be unset.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Resource {
    /// Dotted kind, `provider.service.type`, e.g. `aws.s3.bucket`.
    pub kind: String,
    /// Globally unique id: the ARN for AWS resources.
    pub id: String,
    pub name: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub account: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub region: Option<String>,
    #[serde(default, skip_serializing_if = "BTreeMap::is_empty")]
    pub tags: BTreeMap<String, String>,
    pub source: SourceKind,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub location: Option<Location>,
    pub attributes: Value,
}

impl Resource {
    pub fn new(kind: impl Into<String>, id: impl Into<String>, name: impl Into<String>) -> Self {
        Resource {
            kind: kind.into(),
            id: id.into(),
            name: name.into(),
            account: None,
            region: None,
            tags: BTreeMap::new(),
            source: SourceKind::AwsApi,
            location: None,
            attributes: Value::Object(Default::default()),
        }
    }

    pub fn provider(&self) -> &str {
        self.kind.split('.').next().unwrap_or("")
    }

    /// The service part of the kind (`s3` for `aws.s3.bucket`).
    pub fn service(&self) -> &str {
        self.kind.split('.').nth(1).unwrap_or("")
    }

    /// Typed access to an attribute by a dotted path (`encryption.enabled`).
    pub fn attr<'a>(&'a self, path: &'a str) -> Attr<'a> {
        Attr::lookup(&self.attributes, path)
    }

    pub fn set(&mut self, key: &str, value: Value) {
        if let Value::Object(map) = &mut self.attributes {
            map.insert(key.to_string(), value);
        }
    }
}

/// The result of looking an attribute up: `Err(Missing)` when it was not observed.
#[derive(Debug, Clone, Copy)]
pub struct Attr<'a> {
    path: &'a str,
    value: Option<&'a Value>,
}

/// An attribute that was not observed; its text names the attribute. Values
/// unknown until apply (see [`crate::iac::unknown`]) are missing too, and say so.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Missing {
    pub path: String,
    /// The expression whose value is unknown until apply, when that is the cause.
    pub unknown: Option<String>,
}

impl Missing {
    pub fn new(path: impl Into<String>) -> Self {
        Missing {
            path: path.into(),
            unknown: None,
        }
    }
}

impl std::fmt::Display for Missing {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match &self.unknown {
            Some(expr) => write!(
                f,
                "attribute `{}` is unknown until apply (`{expr}`)",
                self.path
            ),
            None => write!(f, "attribute `{}` was not observed", self.path),
        }
    }
}

impl std::error::Error for Missing {}

impl<'a> Attr<'a> {
    fn lookup(root: &'a Value, path: &'a str) -> Self {
        let mut cur = Some(root);
        for part in path.split('.') {
            cur = match cur {
                Some(v) if crate::iac::is_unknown(v) => break,
                Some(Value::Object(m)) => m.get(part),
                _ => None,
            };
        }
        Attr { path, value: cur }
    }

    fn missing(&self) -> Missing {
        Missing {
            path: self.path.to_string(),
            unknown: self
                .value
                .and_then(crate::iac::unknown_reason)
                .map(str::to_string),
        }
    }

    /// The raw value; `Ok(&Value::Null)` means observed as unset.
    pub fn value(&self) -> Result<&'a Value, Missing> {
        match self.value {
            Some(v) if !crate::iac::is_unknown(v) => Ok(v),
            _ => Err(self.missing()),
        }
    }

    pub fn is_observed(&self) -> bool {
        self.value.is_some_and(|v| !crate::iac::is_unknown(v))
    }

    /// A boolean; an observed `null` counts as `false` (unset flag).
    pub fn bool(&self) -> Result<bool, Missing> {
        match self.value {
            Some(Value::Bool(b)) => Ok(*b),
            Some(Value::Null) => Ok(false),
            Some(Value::String(s)) if s.eq_ignore_ascii_case("true") => Ok(true),
            Some(Value::String(s)) if s.eq_ignore_ascii_case("false") => Ok(false),
            _ => Err(self.missing()),
        }
    }

    pub fn str(&self) -> Result<Option<&'a str>, Missing> {
        match self.value {
            Some(Value::String(s)) => Ok(Some(s.as_str())),
            Some(Value::Null) => Ok(None),
            _ => Err(self.missing()),
        }
    }

    pub fn i64(&self) -> Result<Option<i64>, Missing> {
        match self.value {
            Some(Value::Number(n)) => Ok(n.as_i64().or_else(|| n.as_f64().map(|f| f as i64))),
            Some(Value::String(s)) => s.parse().map(Some).map_err(|_| self.missing()),
            Some(Value::Null) => Ok(None),
            _ => Err(self.missing()),
        }
    }

    /// An array; observed `null` is an empty list.
    pub fn array(&self) -> Result<&'a [Value], Missing> {
        match self.value {
            Some(Value::Array(a)) => Ok(a.as_slice()),
            Some(Value::Null) => Ok(&[]),
            _ => Err(self.missing()),
        }
    }
}

/// Something a scan could not look at, and why: nothing is silently missing.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct NotAssessedTarget {
    /// What was not seen: `aws:123456789012:eu-west-1:rds`, a file path, …
    pub target: String,
    pub reason: String,
}

/// Everything a scan collected, indexed for checks that need related resources.
#[derive(Debug, Default)]
pub struct Inventory {
    resources: Vec<Resource>,
    by_kind: HashMap<String, Vec<usize>>,
    by_id: HashMap<String, usize>,
}

impl Inventory {
    pub fn new(resources: Vec<Resource>) -> Self {
        let mut inv = Inventory::default();
        for r in resources {
            inv.push(r);
        }
        inv
    }

    pub fn push(&mut self, r: Resource) {
        let idx = self.resources.len();
        self.by_kind.entry(r.kind.clone()).or_default().push(idx);
        self.by_id.insert(r.id.clone(), idx);
        self.resources.push(r);
    }

    pub fn resources(&self) -> &[Resource] {
        &self.resources
    }

    pub fn into_resources(self) -> Vec<Resource> {
        self.resources
    }

    pub fn len(&self) -> usize {
        self.resources.len()
    }

    pub fn is_empty(&self) -> bool {
        self.resources.is_empty()
    }

    pub fn get(&self, id: &str) -> Option<&Resource> {
        self.by_id.get(id).map(|&i| &self.resources[i])
    }

    pub fn of_kind<'a>(&'a self, kind: &str) -> impl Iterator<Item = &'a Resource> + 'a {
        self.by_kind
            .get(kind)
            .into_iter()
            .flat_map(move |v| v.iter().map(move |&i| &self.resources[i]))
    }

    /// Resources of `kind` in the same account as `r` (any region).
    pub fn related<'a>(
        &'a self,
        kind: &str,
        r: &'a Resource,
    ) -> impl Iterator<Item = &'a Resource> + 'a {
        self.of_kind(kind).filter(move |o| o.account == r.account)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn absent_is_missing_null_is_unset() {
        let mut r = Resource::new("aws.s3.bucket", "arn:aws:s3:::b", "b");
        r.attributes = json!({"versioning": {"enabled": null}, "n": 3, "l": null});
        assert_eq!(r.attr("versioning.enabled").bool(), Ok(false));
        assert_eq!(
            r.attr("versioning.mfa_delete").bool(),
            Err(Missing::new("versioning.mfa_delete"))
        );
        assert_eq!(r.attr("n").i64(), Ok(Some(3)));
        assert_eq!(r.attr("l").array().map(|a| a.len()), Ok(0));
        assert!(r.attr("n.x").value().is_err());
    }

    #[test]
    fn inventory_indexes_by_kind_and_account() {
        let mut a = Resource::new("aws.s3.bucket", "a", "a");
        a.account = Some("1".into());
        let mut b = Resource::new("aws.s3.bucket", "b", "b");
        b.account = Some("2".into());
        let acct = {
            let mut r = Resource::new("aws.account", "acct1", "1");
            r.account = Some("1".into());
            r
        };
        let inv = Inventory::new(vec![a, b, acct]);
        let acct = inv.get("acct1").unwrap();
        assert_eq!(inv.related("aws.s3.bucket", acct).count(), 1);
        assert_eq!(inv.of_kind("aws.s3.bucket").count(), 2);
    }
}
