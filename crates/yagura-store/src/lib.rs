//! The embedded store: one SQLite file (WAL mode) holding every scan, its
//! resources and findings, each finding's first/last-seen history per scope, and
//! every remediation applied.
//!
//! Invariants: a scan is written in one IMMEDIATE transaction, so concurrent
//! writers serialise on SQLite's lock (with a generous busy timeout) instead of
//! interleaving; a failed write leaves the previous state untouched.

use chrono::{DateTime, Utc};
use rusqlite::{params, Connection, OptionalExtension, TransactionBehavior};
use serde::{Deserialize, Serialize};
use std::collections::HashSet;
use std::path::{Path, PathBuf};
use std::time::Duration;
use yagura_model::{Finding, Resource, ScanReport, Status};

const SCHEMA_VERSION: i64 = 1;

#[derive(Debug, thiserror::Error)]
pub enum StoreError {
    #[error("store {path}: {source}")]
    Sqlite {
        path: String,
        #[source]
        source: rusqlite::Error,
    },
    #[error("store {path}: cannot create folder: {source}")]
    Io {
        path: String,
        #[source]
        source: std::io::Error,
    },
    #[error("store {path}: corrupt record {what}: {message}")]
    Corrupt {
        path: String,
        what: String,
        message: String,
    },
    #[error("store {path}: no scan `{id}`")]
    NoSuchScan { path: String, id: String },
    #[error("store {path}: written by a newer yagura (schema {found}, this build knows {SCHEMA_VERSION})")]
    TooNew { path: String, found: i64 },
}

pub struct Store {
    conn: Connection,
    path: String,
}

/// A scan without its findings, for listings.
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct ScanSummary {
    pub id: String,
    pub scope: String,
    pub kind: String,
    pub started: DateTime<Utc>,
    pub finished: DateTime<Utc>,
    pub resource_count: usize,
    pub fail: usize,
    pub pass: usize,
    pub muted: usize,
    pub not_assessed: usize,
}

/// Findings compared between two scans of the same scope. Only non-passing
/// findings count: "new" fails now and did not before, "resolved" failed before
/// and does not now.
#[derive(Debug, Clone, Default, Serialize, Deserialize)]
pub struct Diff {
    pub from: String,
    pub to: String,
    pub new: Vec<Finding>,
    pub resolved: Vec<Finding>,
    pub unchanged: Vec<Finding>,
}

/// One remediation, applied or planned (`dry_run`).
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct RemediationRecord {
    pub time: DateTime<Utc>,
    pub check: String,
    pub resource_id: String,
    pub account: Option<String>,
    pub region: Option<String>,
    pub dry_run: bool,
    /// The exact API calls, as JSON.
    pub calls: serde_json::Value,
    pub before: serde_json::Value,
    pub after: serde_json::Value,
    /// `applied`, `planned` or `failed`.
    pub status: String,
    pub error: Option<String>,
}

fn ts(t: &DateTime<Utc>) -> String {
    t.to_rfc3339_opts(chrono::SecondsFormat::Millis, true)
}

impl Store {
    /// `$XDG_DATA_HOME/yagura/yagura.db` (or the platform's data folder).
    pub fn default_path() -> PathBuf {
        dirs::data_dir()
            .unwrap_or_else(|| PathBuf::from("."))
            .join("yagura")
            .join("yagura.db")
    }

    pub fn open(path: &Path) -> Result<Store, StoreError> {
        let p = path.display().to_string();
        if let Some(dir) = path.parent().filter(|d| !d.as_os_str().is_empty()) {
            std::fs::create_dir_all(dir).map_err(|source| StoreError::Io {
                path: p.clone(),
                source,
            })?;
        }
        let sql = |source| StoreError::Sqlite {
            path: p.clone(),
            source,
        };
        let conn = Connection::open(path).map_err(sql)?;
        conn.busy_timeout(Duration::from_secs(60)).map_err(sql)?;
        conn.pragma_update(None, "journal_mode", "WAL")
            .map_err(sql)?;
        conn.pragma_update(None, "synchronous", "NORMAL")
            .map_err(sql)?;
        conn.pragma_update(None, "foreign_keys", "ON")
            .map_err(sql)?;
        let mut store = Store { conn, path: p };
        store.migrate()?;
        Ok(store)
    }

    fn err(&self) -> impl Fn(rusqlite::Error) -> StoreError + '_ {
        move |source| StoreError::Sqlite {
            path: self.path.clone(),
            source,
        }
    }

    fn migrate(&mut self) -> Result<(), StoreError> {
        let path = self.path.clone();
        let sql = |source| StoreError::Sqlite {
            path: path.clone(),
            source,
        };
        let tx = self
            .conn
            .transaction_with_behavior(TransactionBehavior::Immediate)
            .map_err(sql)?;
        tx.execute_batch(
            "CREATE TABLE IF NOT EXISTS meta (key TEXT PRIMARY KEY, value TEXT NOT NULL);
             CREATE TABLE IF NOT EXISTS scans (
                 id TEXT PRIMARY KEY, scope TEXT NOT NULL, kind TEXT NOT NULL,
                 started TEXT NOT NULL, finished TEXT NOT NULL, tool_version TEXT NOT NULL,
                 resource_count INTEGER NOT NULL, extra TEXT NOT NULL);
             CREATE INDEX IF NOT EXISTS scans_scope ON scans (scope, finished);
             CREATE TABLE IF NOT EXISTS resources (
                 scan_id TEXT NOT NULL REFERENCES scans(id) ON DELETE CASCADE,
                 id TEXT NOT NULL, kind TEXT NOT NULL, account TEXT, region TEXT, doc TEXT NOT NULL,
                 PRIMARY KEY (scan_id, id));
             CREATE TABLE IF NOT EXISTS findings (
                 scan_id TEXT NOT NULL REFERENCES scans(id) ON DELETE CASCADE,
                 finding_id TEXT NOT NULL, check_code TEXT NOT NULL, status TEXT NOT NULL,
                 severity TEXT NOT NULL, resource_id TEXT NOT NULL, muted INTEGER NOT NULL,
                 doc TEXT NOT NULL, PRIMARY KEY (scan_id, finding_id));
             CREATE INDEX IF NOT EXISTS findings_check ON findings (check_code, status);
             CREATE TABLE IF NOT EXISTS finding_history (
                 scope TEXT NOT NULL, finding_id TEXT NOT NULL, first_seen TEXT NOT NULL,
                 last_seen TEXT NOT NULL, last_status TEXT NOT NULL, PRIMARY KEY (scope, finding_id));
             CREATE TABLE IF NOT EXISTS remediations (
                 id INTEGER PRIMARY KEY AUTOINCREMENT, time TEXT NOT NULL, check_code TEXT NOT NULL,
                 resource_id TEXT NOT NULL, account TEXT, region TEXT, dry_run INTEGER NOT NULL,
                 calls TEXT NOT NULL, before TEXT NOT NULL, after TEXT NOT NULL, status TEXT NOT NULL,
                 error TEXT);",
        )
        .map_err(sql)?;
        let found: Option<i64> = tx
            .query_row(
                "SELECT value FROM meta WHERE key = 'schema_version'",
                [],
                |r| r.get::<_, String>(0),
            )
            .optional()
            .map_err(sql)?
            .and_then(|v| v.parse().ok());
        match found {
            Some(v) if v > SCHEMA_VERSION => return Err(StoreError::TooNew { path, found: v }),
            Some(_) => {}
            None => {
                tx.execute(
                    "INSERT INTO meta (key, value) VALUES ('schema_version', ?1)",
                    params![SCHEMA_VERSION.to_string()],
                )
                .map_err(sql)?;
            }
        }
        tx.commit().map_err(sql)
    }

    /// Saves a scan with its resources and findings, and fills each finding's
    /// `first_seen`/`last_seen` from the scope's history.
    pub fn save_scan(
        &mut self,
        report: &mut ScanReport,
        resources: &[Resource],
    ) -> Result<(), StoreError> {
        let path = self.path.clone();
        let sql = |source| StoreError::Sqlite {
            path: path.clone(),
            source,
        };
        let json = |what: &str, e: serde_json::Error| StoreError::Corrupt {
            path: path.clone(),
            what: what.to_string(),
            message: e.to_string(),
        };
        let tx = self
            .conn
            .transaction_with_behavior(TransactionBehavior::Immediate)
            .map_err(sql)?;
        let seen = ts(&report.finished);
        {
            let mut get = tx
                .prepare_cached(
                    "SELECT first_seen FROM finding_history WHERE scope = ?1 AND finding_id = ?2",
                )
                .map_err(sql)?;
            let mut put = tx
                .prepare_cached(
                    "INSERT INTO finding_history (scope, finding_id, first_seen, last_seen, last_status)
                     VALUES (?1, ?2, ?3, ?3, ?4)
                     ON CONFLICT (scope, finding_id) DO UPDATE SET last_seen = ?3, last_status = ?4",
                )
                .map_err(sql)?;
            for f in report.findings.iter_mut() {
                let first: Option<String> = get
                    .query_row(params![report.scope, f.id], |r| r.get(0))
                    .optional()
                    .map_err(sql)?;
                f.first_seen = Some(
                    first
                        .and_then(|s| DateTime::parse_from_rfc3339(&s).ok())
                        .map(|d| d.with_timezone(&Utc))
                        .unwrap_or(report.finished),
                );
                f.last_seen = Some(report.finished);
                put.execute(params![report.scope, f.id, seen, f.status.as_str()])
                    .map_err(sql)?;
            }
        }
        let extra = serde_json::json!({
            "targets": report.targets,
            "not_assessed": report.not_assessed,
            "errors": report.errors,
            "notices": report.notices,
        });
        tx.execute(
            "INSERT INTO scans (id, scope, kind, started, finished, tool_version, resource_count, extra)
             VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8)",
            params![
                report.id,
                report.scope,
                report.kind,
                ts(&report.started),
                seen,
                report.tool_version,
                report.resource_count as i64,
                extra.to_string()
            ],
        )
        .map_err(sql)?;
        {
            let mut ins = tx
                .prepare_cached(
                    "INSERT OR REPLACE INTO resources (scan_id, id, kind, account, region, doc) VALUES (?1, ?2, ?3, ?4, ?5, ?6)",
                )
                .map_err(sql)?;
            for r in resources {
                let doc = serde_json::to_string(r).map_err(|e| json(&r.id, e))?;
                ins.execute(params![report.id, r.id, r.kind, r.account, r.region, doc])
                    .map_err(sql)?;
            }
            let mut ins = tx
                .prepare_cached(
                    "INSERT OR REPLACE INTO findings (scan_id, finding_id, check_code, status, severity, resource_id, muted, doc)
                     VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8)",
                )
                .map_err(sql)?;
            for f in &report.findings {
                let doc = serde_json::to_string(f).map_err(|e| json(&f.id, e))?;
                ins.execute(params![
                    report.id,
                    f.id,
                    f.check,
                    f.status.as_str(),
                    f.severity.as_str(),
                    f.resource.id,
                    f.muted.is_some() as i64,
                    doc
                ])
                .map_err(sql)?;
            }
        }
        tx.commit().map_err(sql)
    }

    /// Scans, newest first, optionally of one scope.
    pub fn list_scans(
        &self,
        scope: Option<&str>,
        limit: usize,
    ) -> Result<Vec<ScanSummary>, StoreError> {
        let mut stmt = self
            .conn
            .prepare(
                "SELECT s.id, s.scope, s.kind, s.started, s.finished, s.resource_count,
                        SUM(f.status = 'FAIL' AND f.muted = 0), SUM(f.status = 'PASS'),
                        SUM(f.status != 'PASS' AND f.muted = 1), SUM(f.status = 'NOT_ASSESSED' AND f.muted = 0)
                 FROM scans s LEFT JOIN findings f ON f.scan_id = s.id
                 WHERE ?1 IS NULL OR s.scope = ?1
                 GROUP BY s.id ORDER BY s.finished DESC, s.rowid DESC LIMIT ?2",
            )
            .map_err(self.err())?;
        let rows = stmt
            .query_map(params![scope, limit as i64], |r| {
                Ok((
                    r.get::<_, String>(0)?,
                    r.get::<_, String>(1)?,
                    r.get::<_, String>(2)?,
                    r.get::<_, String>(3)?,
                    r.get::<_, String>(4)?,
                    r.get::<_, i64>(5)?,
                    [
                        r.get::<_, Option<i64>>(6)?,
                        r.get::<_, Option<i64>>(7)?,
                        r.get::<_, Option<i64>>(8)?,
                        r.get::<_, Option<i64>>(9)?,
                    ],
                ))
            })
            .map_err(self.err())?;
        let mut out = Vec::new();
        for row in rows {
            let (id, scope, kind, started, finished, count, n) = row.map_err(self.err())?;
            let n = n.map(|x| x.unwrap_or(0) as usize);
            out.push(ScanSummary {
                started: self.parse_time(&id, &started)?,
                finished: self.parse_time(&id, &finished)?,
                id,
                scope,
                kind,
                resource_count: count as usize,
                fail: n[0],
                pass: n[1],
                muted: n[2],
                not_assessed: n[3],
            });
        }
        Ok(out)
    }

    fn parse_time(&self, what: &str, s: &str) -> Result<DateTime<Utc>, StoreError> {
        DateTime::parse_from_rfc3339(s)
            .map(|d| d.with_timezone(&Utc))
            .map_err(|e| StoreError::Corrupt {
                path: self.path.clone(),
                what: what.to_string(),
                message: e.to_string(),
            })
    }

    /// The whole stored report of a scan. `id` may be a unique prefix.
    pub fn load_scan(&self, id: &str) -> Result<ScanReport, StoreError> {
        let full = self.resolve_id(id)?;
        let row = self
            .conn
            .query_row(
                "SELECT scope, kind, started, finished, tool_version, resource_count, extra FROM scans WHERE id = ?1",
                params![full],
                |r| {
                    Ok((
                        r.get::<_, String>(0)?,
                        r.get::<_, String>(1)?,
                        r.get::<_, String>(2)?,
                        r.get::<_, String>(3)?,
                        r.get::<_, String>(4)?,
                        r.get::<_, i64>(5)?,
                        r.get::<_, String>(6)?,
                    ))
                },
            )
            .map_err(self.err())?;
        let corrupt = |message: String| StoreError::Corrupt {
            path: self.path.clone(),
            what: format!("scan {full}"),
            message,
        };
        let extra: serde_json::Value =
            serde_json::from_str(&row.6).map_err(|e| corrupt(e.to_string()))?;
        let field = |k: &str| {
            extra
                .get(k)
                .cloned()
                .unwrap_or(serde_json::Value::Array(vec![]))
        };
        Ok(ScanReport {
            id: full.clone(),
            scope: row.0,
            kind: row.1,
            started: self.parse_time(&full, &row.2)?,
            finished: self.parse_time(&full, &row.3)?,
            tool_version: row.4,
            resource_count: row.5 as usize,
            targets: serde_json::from_value(field("targets"))
                .map_err(|e| corrupt(e.to_string()))?,
            not_assessed: serde_json::from_value(field("not_assessed"))
                .map_err(|e| corrupt(e.to_string()))?,
            errors: serde_json::from_value(field("errors")).map_err(|e| corrupt(e.to_string()))?,
            notices: serde_json::from_value(field("notices"))
                .map_err(|e| corrupt(e.to_string()))?,
            findings: self.findings_of(&full)?,
        })
    }

    fn findings_of(&self, scan: &str) -> Result<Vec<Finding>, StoreError> {
        let mut stmt = self
            .conn
            .prepare("SELECT finding_id, doc FROM findings WHERE scan_id = ?1 ORDER BY rowid")
            .map_err(self.err())?;
        let rows = stmt
            .query_map(params![scan], |r| {
                Ok((r.get::<_, String>(0)?, r.get::<_, String>(1)?))
            })
            .map_err(self.err())?;
        let mut out = Vec::new();
        for row in rows {
            let (id, doc) = row.map_err(self.err())?;
            out.push(serde_json::from_str(&doc).map_err(|e| StoreError::Corrupt {
                path: self.path.clone(),
                what: format!("finding {id} of scan {scan}"),
                message: e.to_string(),
            })?);
        }
        Ok(out)
    }

    /// The resources stored with a scan.
    pub fn resources_of(&self, scan: &str) -> Result<Vec<Resource>, StoreError> {
        let full = self.resolve_id(scan)?;
        let mut stmt = self
            .conn
            .prepare("SELECT id, doc FROM resources WHERE scan_id = ?1 ORDER BY rowid")
            .map_err(self.err())?;
        let rows = stmt
            .query_map(params![full], |r| {
                Ok((r.get::<_, String>(0)?, r.get::<_, String>(1)?))
            })
            .map_err(self.err())?;
        let mut out = Vec::new();
        for row in rows {
            let (id, doc) = row.map_err(self.err())?;
            out.push(serde_json::from_str(&doc).map_err(|e| StoreError::Corrupt {
                path: self.path.clone(),
                what: format!("resource {id}"),
                message: e.to_string(),
            })?);
        }
        Ok(out)
    }

    fn resolve_id(&self, id: &str) -> Result<String, StoreError> {
        let mut stmt = self
            .conn
            .prepare("SELECT id FROM scans WHERE id = ?1 OR id LIKE ?2 || '%' LIMIT 2")
            .map_err(self.err())?;
        let ids: Vec<String> = stmt
            .query_map(params![id, id.replace(['%', '_'], "")], |r| r.get(0))
            .map_err(self.err())?
            .collect::<Result<_, _>>()
            .map_err(self.err())?;
        if ids.iter().any(|x| x == id) {
            return Ok(id.to_string());
        }
        match ids.as_slice() {
            [one] => Ok(one.clone()),
            _ => Err(StoreError::NoSuchScan {
                path: self.path.clone(),
                id: id.to_string(),
            }),
        }
    }

    /// Compares two stored scans (ids or unique prefixes).
    pub fn diff(&self, from: &str, to: &str) -> Result<Diff, StoreError> {
        Ok(diff_reports(&self.load_scan(from)?, &self.load_scan(to)?))
    }

    pub fn record_remediation(&mut self, rec: &RemediationRecord) -> Result<i64, StoreError> {
        self.conn
            .execute(
                "INSERT INTO remediations (time, check_code, resource_id, account, region, dry_run, calls, before, after, status, error)
                 VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11)",
                params![
                    ts(&rec.time),
                    rec.check,
                    rec.resource_id,
                    rec.account,
                    rec.region,
                    rec.dry_run as i64,
                    rec.calls.to_string(),
                    rec.before.to_string(),
                    rec.after.to_string(),
                    rec.status,
                    rec.error
                ],
            )
            .map_err(self.err())?;
        Ok(self.conn.last_insert_rowid())
    }

    pub fn remediations(&self, limit: usize) -> Result<Vec<RemediationRecord>, StoreError> {
        let mut stmt = self
            .conn
            .prepare(
                "SELECT time, check_code, resource_id, account, region, dry_run, calls, before, after, status, error
                 FROM remediations ORDER BY id DESC LIMIT ?1",
            )
            .map_err(self.err())?;
        let rows = stmt
            .query_map(params![limit as i64], |r| {
                Ok((
                    r.get::<_, String>(0)?,
                    r.get::<_, String>(1)?,
                    r.get::<_, String>(2)?,
                    r.get::<_, Option<String>>(3)?,
                    r.get::<_, Option<String>>(4)?,
                    r.get::<_, i64>(5)?,
                    [
                        r.get::<_, String>(6)?,
                        r.get::<_, String>(7)?,
                        r.get::<_, String>(8)?,
                    ],
                    r.get::<_, String>(9)?,
                    r.get::<_, Option<String>>(10)?,
                ))
            })
            .map_err(self.err())?;
        let mut out = Vec::new();
        for row in rows {
            let (time, check, resource_id, account, region, dry, docs, status, error) =
                row.map_err(self.err())?;
            let parse = |s: &str| {
                serde_json::from_str(s).unwrap_or(serde_json::Value::String(s.to_string()))
            };
            out.push(RemediationRecord {
                time: self.parse_time("remediation", &time)?,
                check,
                resource_id,
                account,
                region,
                dry_run: dry != 0,
                calls: parse(&docs[0]),
                before: parse(&docs[1]),
                after: parse(&docs[2]),
                status,
                error,
            });
        }
        Ok(out)
    }

    pub fn path(&self) -> &str {
        &self.path
    }
}

/// Compares two scans already in memory: failures new in `b`, resolved since `a`,
/// and unchanged.
pub fn diff_reports(a: &ScanReport, b: &ScanReport) -> Diff {
    let failing = |r: &ScanReport| -> HashSet<String> {
        r.findings
            .iter()
            .filter(|f| f.status == Status::Fail)
            .map(|f| f.id.clone())
            .collect()
    };
    let (before, after) = (failing(a), failing(b));
    let mut d = Diff {
        from: a.id.clone(),
        to: b.id.clone(),
        ..Diff::default()
    };
    for f in b.findings.iter().filter(|f| f.status == Status::Fail) {
        if before.contains(&f.id) {
            d.unchanged.push(f.clone());
        } else {
            d.new.push(f.clone());
        }
    }
    d.resolved = a
        .findings
        .iter()
        .filter(|f| f.status == Status::Fail && !after.contains(&f.id))
        .cloned()
        .collect();
    d
}

#[cfg(test)]
mod tests;
