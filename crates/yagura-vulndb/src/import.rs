//! Building a database file from advisory sources.

use std::collections::HashSet;
use std::fmt;
use std::fs::{self, File};
use std::io::Read;
use std::path::{Path, PathBuf};

use rusqlite::{params, Connection, Statement};
use sha2::{Digest, Sha256};
use yagura_osv::{parse_json, parse_yaml, Osv, MAX_RECORD_BYTES};

use crate::db::{
    name_key, split_ecosystem, BodyEncoding, VulnDb, APPLICATION_ID, INDEXES, SCHEMA,
    SCHEMA_VERSION,
};
use crate::error::{io_err, sql_err, Error};
use crate::rustsec;

/// Bodies are stored LZ4-compressed. Measured on the PyPA export (2,661
/// records, 664 package queries): LZ4 4.5 MB / 42 ms, deflate 3.3 MB /
/// 105 ms, plain JSON 7.0 MB / 50 ms. Inflating cost more than parsing.
pub(crate) const BODY_ENCODING: BodyEncoding = BodyEncoding::Lz4Json;

/// A place to import advisories from.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum ImportSource {
    /// An OSV export zip (`all.zip`), one JSON record per entry.
    OsvZip(PathBuf),
    /// A folder of OSV `.json`/`.yaml`/`.yml` records (searched recursively),
    /// or a single such file.
    OsvDir(PathBuf),
    /// A checkout of the RustSec advisory database (`crates/*/RUSTSEC-*.md`).
    RustSec(PathBuf),
}

impl ImportSource {
    pub fn path(&self) -> &Path {
        match self {
            ImportSource::OsvZip(p) | ImportSource::OsvDir(p) | ImportSource::RustSec(p) => p,
        }
    }

    fn kind(&self) -> &'static str {
        match self {
            ImportSource::OsvZip(_) => "osv-zip",
            ImportSource::OsvDir(p) if p.is_file() => "osv-file",
            ImportSource::OsvDir(_) => "osv-dir",
            ImportSource::RustSec(_) => "rustsec",
        }
    }
}

/// Guesses the kind of source at `path`: a zip file → OSV zip; a folder with
/// `crates/*/RUSTSEC-*.md` → RustSec; a `.json`/`.yaml` file or any other
/// folder → OSV records.
pub fn detect_source(path: &Path) -> Result<ImportSource, Error> {
    let meta = fs::metadata(path).map_err(|e| Error::Source {
        path: path.to_path_buf(),
        message: format!("cannot read: {e}"),
    })?;
    if meta.is_dir() {
        if rustsec::looks_like_rustsec(path) {
            return Ok(ImportSource::RustSec(path.to_path_buf()));
        }
        return Ok(ImportSource::OsvDir(path.to_path_buf()));
    }
    let mut magic = [0u8; 4];
    let n = File::open(path)
        .and_then(|mut f| f.read(&mut magic))
        .map_err(|e| Error::Source {
            path: path.to_path_buf(),
            message: format!("cannot read: {e}"),
        })?;
    if n == 4 && (&magic == b"PK\x03\x04" || &magic == b"PK\x05\x06") {
        return Ok(ImportSource::OsvZip(path.to_path_buf()));
    }
    let ext = path
        .extension()
        .and_then(|e| e.to_str())
        .map(str::to_ascii_lowercase);
    match ext.as_deref() {
        Some("json" | "yaml" | "yml") => Ok(ImportSource::OsvDir(path.to_path_buf())),
        _ => Err(Error::Source {
            path: path.to_path_buf(),
            message: "not a zip, an OSV .json/.yaml record, or a folder".into(),
        }),
    }
}

/// A record that was skipped or imported imperfectly.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ImportIssue {
    pub source: String,
    /// The file (zip, record, advisory) concerned.
    pub path: PathBuf,
    /// The zip entry, when inside a zip.
    pub entry: Option<String>,
    pub message: String,
    /// True when the record was left out; false when it was imported with a
    /// lossy conversion (e.g. an unparseable RustSec version requirement).
    pub skipped: bool,
}

impl fmt::Display for ImportIssue {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "[{}] {}", self.source, self.path.display())?;
        if let Some(e) = &self.entry {
            write!(f, "!{e}")?;
        }
        let what = if self.skipped { "skipped" } else { "lossy" };
        write!(f, ": {what}: {}", self.message)
    }
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SourceReport {
    pub name: String,
    pub kind: String,
    pub records: u64,
    pub skipped: u64,
}

#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct ImportReport {
    pub sources: Vec<SourceReport>,
    pub issues: Vec<ImportIssue>,
    /// Records carried over from the previous database (other sources).
    pub kept_records: u64,
    /// Set when the previous database could not be read and was replaced
    /// without carrying its other sources over.
    pub previous_discarded: Option<String>,
    /// Total records in the new database.
    pub total_records: u64,
}

/// Provenance recorded for a source besides its path.
#[derive(Debug, Clone, Default)]
pub(crate) struct Provenance {
    pub location: Option<String>,
    pub fetched_at: Option<String>,
    pub sha256: Option<String>,
    pub etag: Option<String>,
}

pub(crate) struct SourceSpec {
    pub name: String,
    pub source: ImportSource,
    pub provenance: Provenance,
}

/// Builds a new database at `dest`: the records of `dest` (when it exists)
/// from sources not named in `sources`, plus every record of `sources`. The
/// file is written beside `dest` and renamed over it only when complete and
/// synced, so a failure (including an unreadable source) leaves `dest` as it
/// was. Bad records become [`ImportIssue`]s and do not stop the import.
/// `progress` receives the number of records read so far.
pub fn import(
    dest: &Path,
    sources: &[(String, ImportSource)],
    progress: &dyn Fn(u64),
) -> Result<ImportReport, Error> {
    let specs: Vec<SourceSpec> = sources
        .iter()
        .map(|(name, source)| SourceSpec {
            name: name.clone(),
            source: source.clone(),
            provenance: Provenance::default(),
        })
        .collect();
    import_specs(dest, &specs, progress)
}

pub(crate) fn import_specs(
    dest: &Path,
    sources: &[SourceSpec],
    progress: &dyn Fn(u64),
) -> Result<ImportReport, Error> {
    let mut seen = HashSet::new();
    for s in sources {
        if s.name.is_empty() || !seen.insert(s.name.as_str()) {
            return Err(Error::InvalidInput(format!(
                "source names must be non-empty and distinct: {:?}",
                s.name
            )));
        }
    }
    let dir = match dest.parent() {
        Some(p) if !p.as_os_str().is_empty() => p.to_path_buf(),
        _ => PathBuf::from("."),
    };
    fs::create_dir_all(&dir).map_err(io_err(&dir))?;
    let file_name = dest
        .file_name()
        .and_then(|n| n.to_str())
        .unwrap_or("vulndb");
    let tmp = tempfile::Builder::new()
        .prefix(&format!(".{file_name}."))
        .suffix(".building")
        .tempfile_in(&dir)
        .map_err(io_err(&dir))?;
    let tmp_path = tmp.path().to_path_buf();
    let report = {
        let mut conn = Connection::open(&tmp_path).map_err(sql_err(&tmp_path))?;
        let report = build(&mut conn, &tmp_path, dest, sources, progress)?;
        conn.close().map_err(|(_, e)| Error::Sqlite {
            path: tmp_path.clone(),
            source: e,
        })?;
        report
    };
    tmp.as_file().sync_all().map_err(io_err(&tmp_path))?;
    tmp.persist(dest).map_err(|e| Error::Io {
        path: dest.to_path_buf(),
        source: e.error,
    })?;
    // Make the rename itself durable.
    if let Ok(d) = File::open(&dir) {
        let _ = d.sync_all();
    }
    Ok(report)
}

fn build(
    conn: &mut Connection,
    tmp_path: &Path,
    dest: &Path,
    sources: &[SourceSpec],
    progress: &dyn Fn(u64),
) -> Result<ImportReport, Error> {
    let sql = sql_err(tmp_path);
    // The file is private until renamed, so no journal is needed: a crash
    // leaves a temp file, never a half-written `dest`.
    conn.execute_batch(&format!(
        "PRAGMA journal_mode = OFF;
         PRAGMA synchronous = OFF;
         PRAGMA locking_mode = EXCLUSIVE;
         PRAGMA temp_store = MEMORY;
         PRAGMA cache_size = -65536;
         PRAGMA application_id = {APPLICATION_ID};
         PRAGMA user_version = {SCHEMA_VERSION};
         {SCHEMA}"
    ))
    .map_err(sql_err(tmp_path))?;
    let mut report = ImportReport::default();
    // SQLite refuses ATTACH and DETACH inside a transaction.
    let attached = match VulnDb::open(dest) {
        Ok(old) => {
            drop(old);
            conn.execute(
                "ATTACH DATABASE ?1 AS old",
                [dest.to_string_lossy().as_ref()],
            )
            .map_err(sql_err(dest))?;
            true
        }
        Err(Error::Missing { .. }) => false,
        Err(e) => {
            report.previous_discarded = Some(e.to_string());
            false
        }
    };
    let tx = conn.transaction().map_err(sql_err(tmp_path))?;
    if attached {
        report.kept_records = carry_over(&tx, sources).map_err(sql_err(tmp_path))?;
    }

    let now = chrono::Utc::now().to_rfc3339_opts(chrono::SecondsFormat::Secs, true);
    let mut read_total = 0u64;
    {
        let mut ins = Inserter::new(&tx).map_err(sql_err(tmp_path))?;
        for spec in sources {
            let mut src_report = SourceReport {
                name: spec.name.clone(),
                kind: spec.source.kind().to_string(),
                records: 0,
                skipped: 0,
            };
            let mut ids = HashSet::new();
            let mut on_record = |rec: Result<Osv, ImportIssue>, lossy: Vec<ImportIssue>| {
                read_total += 1;
                if read_total.is_multiple_of(1000) {
                    progress(read_total);
                }
                report.issues.extend(lossy);
                let rec = match rec {
                    Ok(r) => r,
                    Err(issue) => {
                        src_report.skipped += 1;
                        report.issues.push(issue);
                        return Ok(());
                    }
                };
                if !ids.insert(rec.id.clone()) {
                    src_report.skipped += 1;
                    report.issues.push(ImportIssue {
                        source: spec.name.clone(),
                        path: spec.source.path().to_path_buf(),
                        entry: Some(rec.id.clone()),
                        message: format!("duplicate id {}; the first one was kept", rec.id),
                        skipped: true,
                    });
                    return Ok(());
                }
                ins.insert(&spec.name, &rec)?;
                src_report.records += 1;
                Ok(())
            };
            read_source(&spec.name, &spec.source, &mut on_record)?;
            let p = &spec.provenance;
            tx.execute(
                "INSERT INTO sources(name, kind, location, fetched_at, imported_at, sha256, etag, record_count)
                 VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8)",
                params![
                    spec.name,
                    src_report.kind,
                    p.location.clone().unwrap_or_else(|| spec.source.path().display().to_string()),
                    p.fetched_at,
                    now,
                    p.sha256.clone().or_else(|| zip_sha256(&spec.source)),
                    p.etag,
                    src_report.records as i64
                ],
            )
            .map_err(sql_err(tmp_path))?;
            report.sources.push(src_report);
        }
    }
    progress(read_total);
    tx.execute_batch(INDEXES).map_err(sql_err(tmp_path))?;
    tx.execute_batch(
        "INSERT INTO ecosystems(ecosystem, records)
         SELECT ecosystem, COUNT(DISTINCT rid) FROM affected GROUP BY ecosystem;",
    )
    .map_err(sql_err(tmp_path))?;
    report.total_records = tx
        .query_row("SELECT COUNT(*) FROM records", [], |r| r.get::<_, i64>(0))
        .map_err(sql_err(tmp_path))?
        .max(0) as u64;
    for (k, v) in [
        ("schema_version", SCHEMA_VERSION.to_string()),
        ("body_encoding", BODY_ENCODING.name().to_string()),
        ("built_at", now),
    ] {
        tx.execute(
            "INSERT INTO meta(key, value) VALUES (?1, ?2)",
            params![k, v],
        )
        .map_err(sql_err(tmp_path))?;
    }
    tx.commit().map_err(sql)?;
    if attached {
        conn.execute_batch("DETACH DATABASE old;")
            .map_err(sql_err(tmp_path))?;
    }
    Ok(report)
}

/// Copies the previous database's records of sources not being replaced,
/// keeping their row ids so `affected` and `aliases` rows copy verbatim.
fn carry_over(tx: &Connection, sources: &[SourceSpec]) -> rusqlite::Result<u64> {
    tx.execute_batch("CREATE TEMP TABLE replaced(name TEXT PRIMARY KEY);")?;
    for s in sources {
        tx.execute("INSERT INTO temp.replaced(name) VALUES (?1)", [&s.name])?;
    }
    tx.execute_batch(
        "INSERT INTO records SELECT rid, id, source, ecosystem, modified, withdrawn, body
             FROM old.records WHERE source NOT IN (SELECT name FROM temp.replaced);
         INSERT INTO affected SELECT a.base, a.release, a.name_key, a.ecosystem, a.rid
             FROM old.affected a JOIN main.records r ON r.rid = a.rid;
         INSERT INTO aliases SELECT a.alias, a.rid
             FROM old.aliases a JOIN main.records r ON r.rid = a.rid;
         INSERT INTO sources SELECT * FROM old.sources
             WHERE name NOT IN (SELECT name FROM temp.replaced);
         DROP TABLE temp.replaced;",
    )?;
    let kept: i64 = tx.query_row("SELECT COUNT(*) FROM records", [], |r| r.get(0))?;
    Ok(kept.max(0) as u64)
}

struct Inserter<'c> {
    record: Statement<'c>,
    affected: Statement<'c>,
    alias: Statement<'c>,
}

impl<'c> Inserter<'c> {
    fn new(conn: &'c Connection) -> rusqlite::Result<Self> {
        Ok(Inserter {
            record: conn.prepare(
                "INSERT INTO records(id, source, ecosystem, modified, withdrawn, body)
                 VALUES (?1, ?2, ?3, ?4, ?5, ?6)",
            )?,
            affected: conn.prepare(
                "INSERT INTO affected(base, release, name_key, ecosystem, rid)
                 VALUES (?1, ?2, ?3, ?4, ?5)",
            )?,
            alias: conn.prepare("INSERT INTO aliases(alias, rid) VALUES (?1, ?2)")?,
        })
    }

    fn insert(&mut self, source: &str, rec: &Osv) -> Result<(), Error> {
        let to_err = |e: rusqlite::Error| Error::Sqlite {
            path: PathBuf::from(format!("(record {})", rec.id)),
            source: e,
        };
        let json = serde_json::to_vec(rec).map_err(|e| Error::InvalidInput(e.to_string()))?;
        let body = BODY_ENCODING.encode(json);
        let ecosystem = rec
            .affected
            .iter()
            .find_map(|a| a.package.as_ref().map(|p| p.ecosystem.as_str()))
            .unwrap_or("");
        let rid = self
            .record
            .insert(params![
                rec.id,
                source,
                ecosystem,
                rec.modified,
                rec.withdrawn,
                body
            ])
            .map_err(to_err)?;
        let mut keys = HashSet::new();
        for pkg in rec.affected.iter().filter_map(|a| a.package.as_ref()) {
            let (base, release) = split_ecosystem(&pkg.ecosystem);
            let key = name_key(&base, &pkg.name);
            if keys.insert((base.clone(), release.clone(), key.clone())) {
                self.affected
                    .execute(params![base, release, key, pkg.ecosystem.trim(), rid])
                    .map_err(to_err)?;
            }
        }
        let mut aliases = HashSet::new();
        for a in &rec.aliases {
            if a != &rec.id && aliases.insert(a) {
                self.alias.execute(params![a, rid]).map_err(to_err)?;
            }
        }
        Ok(())
    }
}

fn zip_sha256(source: &ImportSource) -> Option<String> {
    match source {
        ImportSource::OsvZip(p) => sha256_file(p).ok(),
        _ => None,
    }
}

pub(crate) fn sha256_file(path: &Path) -> std::io::Result<String> {
    let mut f = File::open(path)?;
    let mut h = Sha256::new();
    std::io::copy(&mut f, &mut h)?;
    Ok(hex::encode(h.finalize()))
}

/// Callback per record read: the record or why it was skipped, plus lossy
/// conversion notes for an imported record.
pub(crate) type OnRecord<'a> =
    dyn FnMut(Result<Osv, ImportIssue>, Vec<ImportIssue>) -> Result<(), Error> + 'a;

fn read_source(name: &str, source: &ImportSource, on: &mut OnRecord<'_>) -> Result<(), Error> {
    match source {
        ImportSource::OsvZip(p) => read_zip(name, p, on),
        ImportSource::OsvDir(p) => {
            let meta = fs::metadata(p).map_err(|e| Error::Source {
                path: p.clone(),
                message: format!("cannot read: {e}"),
            })?;
            if meta.is_file() {
                let yaml = is_yaml(p);
                return on(read_record_file(name, p, yaml), Vec::new());
            }
            let mut files = Vec::new();
            walk(p, &mut files, true)?;
            for (f, yaml) in files {
                on(read_record_file(name, &f, yaml), Vec::new())?;
            }
            Ok(())
        }
        ImportSource::RustSec(p) => rustsec::read_repo(name, p, on),
    }
}

fn is_yaml(p: &Path) -> bool {
    matches!(
        p.extension()
            .and_then(|e| e.to_str())
            .map(str::to_ascii_lowercase)
            .as_deref(),
        Some("yaml" | "yml")
    )
}

/// Collects record files below `dir` in path order; symlinked folders are
/// not followed (loops). Only the top folder must be readable.
fn walk(dir: &Path, out: &mut Vec<(PathBuf, bool)>, top: bool) -> Result<(), Error> {
    let rd = match fs::read_dir(dir) {
        Ok(rd) => rd,
        Err(e) if top => {
            return Err(Error::Source {
                path: dir.to_path_buf(),
                message: format!("cannot read folder: {e}"),
            })
        }
        Err(_) => return Ok(()),
    };
    let mut entries: Vec<PathBuf> = rd.filter_map(|e| e.ok().map(|e| e.path())).collect();
    entries.sort();
    for p in entries {
        let Ok(meta) = fs::symlink_metadata(&p) else {
            continue;
        };
        if meta.is_dir() {
            walk(&p, out, false)?;
            continue;
        }
        let ext = p
            .extension()
            .and_then(|e| e.to_str())
            .map(str::to_ascii_lowercase);
        match ext.as_deref() {
            Some("json") => out.push((p, false)),
            Some("yaml" | "yml") => out.push((p, true)),
            _ => {}
        }
    }
    Ok(())
}

fn read_record_file(source: &str, path: &Path, yaml: bool) -> Result<Osv, ImportIssue> {
    let issue = |message: String| ImportIssue {
        source: source.to_string(),
        path: path.to_path_buf(),
        entry: None,
        message,
        skipped: true,
    };
    let mut buf = Vec::new();
    File::open(path)
        .and_then(|f| f.take(MAX_RECORD_BYTES + 1).read_to_end(&mut buf))
        .map_err(|e| issue(format!("cannot read: {e}")))?;
    if buf.len() as u64 > MAX_RECORD_BYTES {
        return Err(issue(format!(
            "larger than the {MAX_RECORD_BYTES}-byte record limit"
        )));
    }
    let rec = if yaml {
        parse_yaml(&buf).map_err(|e| issue(format!("invalid OSV YAML: {e}")))?
    } else {
        parse_json(&buf).map_err(|e| issue(format!("invalid OSV JSON: {e}")))?
    };
    check_record(rec).map_err(issue)
}

pub(crate) fn check_record(rec: Osv) -> Result<Osv, String> {
    if rec.id.trim().is_empty() {
        return Err("record has an empty id".into());
    }
    Ok(rec)
}

fn read_zip(source: &str, path: &Path, on: &mut OnRecord<'_>) -> Result<(), Error> {
    let file = File::open(path).map_err(|e| Error::Source {
        path: path.to_path_buf(),
        message: format!("cannot open: {e}"),
    })?;
    let mut archive =
        zip::ZipArchive::new(std::io::BufReader::new(file)).map_err(|e| Error::Source {
            path: path.to_path_buf(),
            message: format!("not a readable zip: {e}"),
        })?;
    let issue = |entry: String, message: String| ImportIssue {
        source: source.to_string(),
        path: path.to_path_buf(),
        entry: Some(entry),
        message,
        skipped: true,
    };
    let mut buf = Vec::new();
    for i in 0..archive.len() {
        let rec = {
            let mut file = match archive.by_index(i) {
                Ok(f) => f,
                Err(e) => {
                    on(
                        Err(issue(format!("#{i}"), format!("cannot read entry: {e}"))),
                        Vec::new(),
                    )?;
                    continue;
                }
            };
            let name = file.name().to_string();
            if file.is_dir() || !name.to_ascii_lowercase().ends_with(".json") {
                continue;
            }
            buf.clear();
            match (&mut file).take(MAX_RECORD_BYTES + 1).read_to_end(&mut buf) {
                Err(e) => Err(issue(name, format!("cannot read entry: {e}"))),
                Ok(_) if buf.len() as u64 > MAX_RECORD_BYTES => Err(issue(
                    name,
                    format!("larger than the {MAX_RECORD_BYTES}-byte record limit"),
                )),
                Ok(_) => match parse_json(&buf) {
                    Ok(r) => check_record(r).map_err(|m| issue(name, m)),
                    Err(e) => Err(issue(name, format!("invalid OSV JSON: {e}"))),
                },
            }
        };
        on(rec, Vec::new())?;
    }
    Ok(())
}
