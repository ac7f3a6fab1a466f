//! `yagura.yaml`, the project configuration file: suppressions (mute a finding
//! with a mandatory reason and an optional expiry), the remediation allowlist and
//! policy folders.
//!
//! ```yaml
//! suppressions:
//!   - check: AWS-S3-001              # a code or a glob (AWS-S3-*)
//!     resource: "arn:aws:s3:::site-*"  # glob over the resource id or name
//!     account: "123456789012"
//!     region: us-east-1
//!     tags: {env: dev}               # every tag must match (values are globs)
//!     reason: public website bucket  # mandatory
//!     expires: 2027-01-31            # optional; after it the findings re-open
//! fix:
//!   allow: [AWS-S3-001]
//! policy_dirs: [policies]
//! ```

use chrono::NaiveDate;
use globset::{Glob, GlobMatcher};
use serde::Deserialize;
use std::collections::BTreeMap;
use std::path::{Path, PathBuf};
use yagura_model::{Finding, Mute, Status};

pub const FILE_NAME: &str = "yagura.yaml";

#[derive(Debug, thiserror::Error)]
pub enum ConfigError {
    #[error("{file}: cannot read: {source}")]
    Read {
        file: PathBuf,
        #[source]
        source: std::io::Error,
    },
    #[error("{file}:{line}:{column}: {message}")]
    Parse {
        file: PathBuf,
        line: usize,
        column: usize,
        message: String,
    },
    #[error("{file}: suppression #{index}: {message}")]
    Suppression {
        file: PathBuf,
        index: usize,
        message: String,
    },
}

#[derive(Debug, Default, Deserialize)]
#[serde(deny_unknown_fields)]
struct RawConfig {
    #[serde(default)]
    suppressions: Vec<RawSuppression>,
    #[serde(default)]
    fix: RawFix,
    #[serde(default)]
    policy_dirs: Vec<PathBuf>,
    #[serde(default)]
    exclude_paths: Vec<String>,
}

#[derive(Debug, Default, Deserialize)]
#[serde(deny_unknown_fields)]
struct RawFix {
    #[serde(default)]
    allow: Vec<String>,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct RawSuppression {
    check: Option<String>,
    resource: Option<String>,
    account: Option<String>,
    region: Option<String>,
    #[serde(default)]
    tags: BTreeMap<String, String>,
    reason: Option<String>,
    expires: Option<NaiveDate>,
}

/// One suppression rule.
#[derive(Debug, Clone)]
pub struct Suppression {
    /// `yagura.yaml#3`, for reports.
    pub name: String,
    pub check: Option<GlobMatcher>,
    pub resource: Option<GlobMatcher>,
    pub account: Option<String>,
    pub region: Option<GlobMatcher>,
    pub tags: Vec<(String, GlobMatcher)>,
    pub reason: String,
    pub expires: Option<NaiveDate>,
}

#[derive(Debug, Clone, Default)]
pub struct Config {
    pub file: Option<PathBuf>,
    pub suppressions: Vec<Suppression>,
    pub fix_allow: Vec<String>,
    /// Relative paths are resolved against the config file's folder.
    pub policy_dirs: Vec<PathBuf>,
    /// Globs over paths relative to the scanned folder (`tests/fixtures/**`) that
    /// code and secret scans skip; validated when the file is read.
    pub exclude_paths: Vec<String>,
}

fn glob(file: &Path, index: usize, what: &str, pattern: &str) -> Result<GlobMatcher, ConfigError> {
    Glob::new(pattern)
        .map(|g| g.compile_matcher())
        .map_err(|e| ConfigError::Suppression {
            file: file.to_path_buf(),
            index,
            message: format!("bad {what} pattern `{pattern}`: {e}"),
        })
}

impl Config {
    /// Loads `path`.
    pub fn load(path: &Path) -> Result<Config, ConfigError> {
        let text = std::fs::read_to_string(path).map_err(|source| ConfigError::Read {
            file: path.to_path_buf(),
            source,
        })?;
        Self::parse(&text, path)
    }

    /// Loads `./yagura.yaml` when it exists, else the empty config.
    pub fn discover(dir: &Path) -> Result<Config, ConfigError> {
        let p = dir.join(FILE_NAME);
        if p.is_file() {
            Self::load(&p)
        } else {
            Ok(Config::default())
        }
    }

    pub fn parse(text: &str, path: &Path) -> Result<Config, ConfigError> {
        let raw: RawConfig = if text.trim().is_empty() {
            RawConfig::default()
        } else {
            serde_yaml::from_str(text).map_err(|e| {
                let (line, column) = e
                    .location()
                    .map(|l| (l.line(), l.column()))
                    .unwrap_or((0, 0));
                ConfigError::Parse {
                    file: path.to_path_buf(),
                    line,
                    column,
                    message: e.to_string(),
                }
            })?
        };
        let base = path.parent().unwrap_or(Path::new("."));
        let mut suppressions = Vec::new();
        for (i, s) in raw.suppressions.into_iter().enumerate() {
            let index = i + 1;
            let err = |message: &str| ConfigError::Suppression {
                file: path.to_path_buf(),
                index,
                message: message.to_string(),
            };
            let reason = s.reason.as_deref().map(str::trim).unwrap_or("");
            if reason.is_empty() {
                return Err(err("a reason is mandatory"));
            }
            if s.check.is_none()
                && s.resource.is_none()
                && s.account.is_none()
                && s.region.is_none()
                && s.tags.is_empty()
            {
                return Err(err(
                    "needs at least one of check, resource, account, region or tags",
                ));
            }
            let tags = s
                .tags
                .iter()
                .map(|(k, v)| Ok((k.clone(), glob(path, index, "tag", v)?)))
                .collect::<Result<Vec<_>, ConfigError>>()?;
            suppressions.push(Suppression {
                name: format!("{}#{index}", path.display()),
                check: s
                    .check
                    .as_deref()
                    .map(|p| glob(path, index, "check", p))
                    .transpose()?,
                resource: s
                    .resource
                    .as_deref()
                    .map(|p| glob(path, index, "resource", p))
                    .transpose()?,
                account: s.account,
                region: s
                    .region
                    .as_deref()
                    .map(|p| glob(path, index, "region", p))
                    .transpose()?,
                tags,
                reason: reason.to_string(),
                expires: s.expires,
            });
        }
        for (i, pattern) in raw.exclude_paths.iter().enumerate() {
            Glob::new(pattern).map_err(|e| ConfigError::Parse {
                file: path.to_path_buf(),
                line: 0,
                column: 0,
                message: format!("exclude_paths[{}]: bad pattern `{pattern}`: {e}", i + 1),
            })?;
        }
        Ok(Config {
            file: Some(path.to_path_buf()),
            exclude_paths: raw.exclude_paths,
            suppressions,
            fix_allow: raw.fix.allow,
            policy_dirs: raw
                .policy_dirs
                .into_iter()
                .map(|d| if d.is_relative() { base.join(d) } else { d })
                .collect(),
        })
    }
}

impl Suppression {
    pub fn matches(&self, f: &Finding) -> bool {
        let r = &f.resource;
        self.check.as_ref().is_none_or(|g| g.is_match(&f.check))
            && self
                .resource
                .as_ref()
                .is_none_or(|g| g.is_match(&r.id) || g.is_match(&r.name))
            && self
                .account
                .as_ref()
                .is_none_or(|a| r.account.as_deref() == Some(a))
            && self
                .region
                .as_ref()
                .is_none_or(|g| r.region.as_deref().is_some_and(|reg| g.is_match(reg)))
            && self
                .tags
                .iter()
                .all(|(k, g)| r.tags.get(k).is_some_and(|v| g.is_match(v)))
    }

    pub fn is_expired(&self, today: NaiveDate) -> bool {
        self.expires.is_some_and(|e| e < today)
    }
}

/// What applying suppressions did.
#[derive(Debug, Default)]
pub struct SuppressionOutcome {
    pub muted: usize,
    /// One line per expired suppression that matched a finding it would have muted.
    pub expired: Vec<String>,
}

/// Mutes matching non-passing findings. An expired suppression mutes nothing;
/// it is listed so the user sees why findings re-opened.
pub fn apply_suppressions(
    findings: &mut [Finding],
    rules: &[Suppression],
    today: NaiveDate,
) -> SuppressionOutcome {
    let mut out = SuppressionOutcome::default();
    let mut expired_hits: BTreeMap<usize, usize> = BTreeMap::new();
    for f in findings.iter_mut() {
        if f.status == Status::Pass || f.muted.is_some() {
            continue;
        }
        for (i, s) in rules.iter().enumerate() {
            if !s.matches(f) {
                continue;
            }
            if s.is_expired(today) {
                *expired_hits.entry(i).or_default() += 1;
                continue;
            }
            f.muted = Some(Mute {
                reason: s.reason.clone(),
                expires: s.expires,
                rule: s.name.clone(),
            });
            out.muted += 1;
            break;
        }
    }
    for (i, n) in expired_hits {
        let s = &rules[i];
        out.expired.push(format!(
            "suppression {} expired on {} and no longer mutes {n} finding(s) (reason was: {})",
            s.name,
            s.expires.map(|d| d.to_string()).unwrap_or_default(),
            s.reason
        ));
    }
    out
}

#[cfg(test)]
mod tests;
