//! The database file: schema, key normalisation and the read side.

use std::collections::{HashMap, HashSet};
use std::fs::File;
use std::io::Read;
use std::path::{Path, PathBuf};

use rusqlite::{params, Connection, OpenFlags, OptionalExtension};
use yagura_osv::{normalize_pypi_name, Osv};

use crate::error::{sql_err, Error};

/// Bumped whenever tables, keys or body encoding change incompatibly; an
/// older or newer file is reported as needing a rebuild rather than misread.
pub const SCHEMA_VERSION: u32 = 1;

/// `PRAGMA application_id` of our files ("YVDB"), so a foreign SQLite file
/// is recognised before any table is touched.
pub(crate) const APPLICATION_ID: i64 = 0x5956_4442;

/// Tables are created without secondary indexes; those are added after the
/// bulk insert ([`INDEXES`]), which is several times faster.
pub(crate) const SCHEMA: &str = "
CREATE TABLE meta(key TEXT PRIMARY KEY, value TEXT NOT NULL);
CREATE TABLE sources(
    name TEXT PRIMARY KEY,
    kind TEXT NOT NULL,
    location TEXT NOT NULL,
    fetched_at TEXT,
    imported_at TEXT NOT NULL,
    sha256 TEXT,
    etag TEXT,
    record_count INTEGER NOT NULL
);
CREATE TABLE records(
    rid INTEGER PRIMARY KEY,
    id TEXT NOT NULL,
    source TEXT NOT NULL,
    ecosystem TEXT NOT NULL,
    modified TEXT,
    withdrawn TEXT,
    body BLOB NOT NULL
);
CREATE TABLE affected(
    base TEXT NOT NULL,
    release TEXT,
    name_key TEXT NOT NULL,
    ecosystem TEXT NOT NULL,
    rid INTEGER NOT NULL
);
CREATE TABLE aliases(alias TEXT NOT NULL, rid INTEGER NOT NULL);
CREATE TABLE ecosystems(ecosystem TEXT PRIMARY KEY, records INTEGER NOT NULL);
";

pub(crate) const INDEXES: &str = "
CREATE INDEX affected_key ON affected(base, name_key, release, rid);
CREATE UNIQUE INDEX records_source_id ON records(source, id);
CREATE INDEX records_id ON records(id);
CREATE INDEX aliases_alias ON aliases(alias);
";

/// No DISTINCT: a record listed under several releases of the queried
/// family comes back once per release and is deduplicated while reading,
/// which lets the body be read in the same pass.
const CANDIDATES_SQL: &str = "
SELECT r.rid, r.id, r.modified, r.body
FROM affected a JOIN records r ON r.rid = a.rid
WHERE a.base = ?1 AND a.name_key = ?2
  AND (?3 IS NULL OR a.release IS NULL OR a.release = ?3)
  AND r.withdrawn IS NULL";

const BODY_SQL: &str = "SELECT body FROM records WHERE rid = ?1";

const GET_SQL: &str = "
SELECT rid, modified FROM records WHERE id = ?1
UNION
SELECT r.rid, r.modified FROM aliases a JOIN records r ON r.rid = a.rid WHERE a.alias = ?1";

/// Splits an OSV ecosystem into its lowercased family and its release, with
/// the same rules as `yagura_osv::ecosystem_matches` (`Debian:12` →
/// (`debian`, `12`); `Ubuntu:22.04:LTS` → (`ubuntu`, `22.04:LTS`)).
pub(crate) fn split_ecosystem(eco: &str) -> (String, Option<String>) {
    match eco.split_once(':') {
        Some((base, rel)) => {
            let rel = rel.trim();
            (
                base.trim().to_ascii_lowercase(),
                (!rel.is_empty()).then(|| rel.to_string()),
            )
        }
        None => (eco.trim().to_ascii_lowercase(), None),
    }
}

/// The package-name key under which records are indexed, following
/// `yagura_osv::package_matches`: PEP 503 for PyPI, case-folded for NuGet
/// and Packagist (whose registries ignore case), verbatim elsewhere (npm,
/// crates.io, Go, Maven `group:artifact`, distro packages).
pub(crate) fn name_key(base_lower: &str, name: &str) -> String {
    match base_lower {
        "pypi" => normalize_pypi_name(name),
        "nuget" | "packagist" => name.trim().to_lowercase(),
        _ => name.trim().to_string(),
    }
}

/// How record bodies are stored (`meta.body_encoding`). All are readable;
/// new files use `import::BODY_ENCODING`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum BodyEncoding {
    Json,
    DeflateJson,
    Lz4Json,
}

impl BodyEncoding {
    pub(crate) fn name(self) -> &'static str {
        match self {
            BodyEncoding::Json => "json",
            BodyEncoding::DeflateJson => "deflate-json",
            BodyEncoding::Lz4Json => "lz4-json",
        }
    }

    fn parse(s: &str) -> Option<Self> {
        match s {
            "json" => Some(BodyEncoding::Json),
            "deflate-json" => Some(BodyEncoding::DeflateJson),
            "lz4-json" => Some(BodyEncoding::Lz4Json),
            _ => None,
        }
    }

    pub(crate) fn encode(self, json: Vec<u8>) -> Vec<u8> {
        match self {
            BodyEncoding::Json => json,
            BodyEncoding::DeflateJson => {
                use std::io::Write;
                let mut enc = flate2::write::DeflateEncoder::new(
                    Vec::with_capacity(json.len() / 3),
                    flate2::Compression::fast(),
                );
                // Writing into a Vec cannot fail.
                match enc.write_all(&json).and_then(|()| enc.finish()) {
                    Ok(v) => v,
                    Err(_) => json,
                }
            }
            BodyEncoding::Lz4Json => lz4_flex::block::compress_prepend_size(&json),
        }
    }

    fn decode(self, body: &[u8], inflater: &mut Inflater) -> Result<Osv, String> {
        match self {
            BodyEncoding::Json => serde_json::from_slice(body).map_err(|e| e.to_string()),
            BodyEncoding::DeflateJson => {
                let json = inflater.inflate(body)?;
                serde_json::from_slice(json).map_err(|e| e.to_string())
            }
            BodyEncoding::Lz4Json => {
                // The prepended size is untrusted: cap it before allocating.
                let size = body
                    .get(..4)
                    .and_then(|b| <[u8; 4]>::try_from(b).ok())
                    .map(u32::from_le_bytes)
                    .ok_or("body too short")?;
                if u64::from(size) > yagura_osv::MAX_RECORD_BYTES {
                    return Err(format!("declared size {size} exceeds the record limit"));
                }
                let json = lz4_flex::block::decompress_size_prepended(body)
                    .map_err(|e| format!("cannot decompress: {e}"))?;
                serde_json::from_slice(&json).map_err(|e| e.to_string())
            }
        }
    }
}

/// A raw-deflate decompressor and output buffer reused across records:
/// setting up a fresh decoder per record cost more than inflating it.
pub(crate) struct Inflater {
    state: flate2::Decompress,
    buf: Vec<u8>,
}

impl Inflater {
    pub(crate) fn new() -> Self {
        Inflater {
            state: flate2::Decompress::new(false),
            buf: Vec::with_capacity(64 * 1024),
        }
    }

    fn inflate(&mut self, body: &[u8]) -> Result<&[u8], String> {
        self.state.reset(false);
        self.buf.clear();
        let mut input = body;
        loop {
            if self.buf.len() == self.buf.capacity() {
                if self.buf.len() as u64 > yagura_osv::MAX_RECORD_BYTES {
                    return Err("inflates past the record size limit".into());
                }
                self.buf.reserve(self.buf.capacity().max(4096));
            }
            let before_in = self.state.total_in();
            let status = self
                .state
                .decompress_vec(input, &mut self.buf, flate2::FlushDecompress::Finish)
                .map_err(|e| format!("cannot inflate: {e}"))?;
            let consumed = usize::try_from(self.state.total_in() - before_in).unwrap_or(usize::MAX);
            input = input.get(consumed..).unwrap_or_default();
            match status {
                flate2::Status::StreamEnd => return Ok(&self.buf),
                flate2::Status::Ok | flate2::Status::BufError => {
                    if input.is_empty() && self.buf.len() < self.buf.capacity() {
                        return Err("truncated deflate stream".into());
                    }
                }
            }
        }
    }
}

/// What `yagura db status` shows.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Status {
    pub path: PathBuf,
    pub schema_version: u32,
    /// RFC 3339 time the file was built.
    pub built_at: String,
    /// Records stored, withdrawn ones included.
    pub records: u64,
    pub withdrawn: u64,
    /// Distinct records per ecosystem as the records name it (`Debian:12`).
    pub ecosystems: Vec<EcosystemCount>,
    pub sources: Vec<SourceInfo>,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct EcosystemCount {
    pub ecosystem: String,
    pub records: u64,
}

/// Where one source's records came from, for provenance and for `update`
/// to skip unchanged downloads.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SourceInfo {
    pub name: String,
    /// `osv-zip`, `osv-dir`, `osv-file` or `rustsec`.
    pub kind: String,
    /// URL for downloads, path for local imports.
    pub location: String,
    /// When the download was fetched (downloads only).
    pub fetched_at: Option<String>,
    pub imported_at: String,
    /// SHA-256 of the imported zip (zips only).
    pub sha256: Option<String>,
    pub etag: Option<String>,
    pub record_count: u64,
}

/// A read-only handle on an advisory database.
pub struct VulnDb {
    conn: Connection,
    path: PathBuf,
    encoding: BodyEncoding,
}

impl std::fmt::Debug for VulnDb {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("VulnDb").field("path", &self.path).finish()
    }
}

impl VulnDb {
    /// Opens read-only. A missing file is [`Error::Missing`]; anything that
    /// is not an intact database of [`SCHEMA_VERSION`] is [`Error::Corrupt`].
    ///
    /// Checks are the cheap ones (header, truncation, application id,
    /// schema version, tables): a full `PRAGMA quick_check` reads the whole
    /// file, see [`VulnDb::verify`].
    pub fn open(path: &Path) -> Result<VulnDb, Error> {
        let corrupt = |reason: String| Error::Corrupt {
            path: path.to_path_buf(),
            reason,
        };
        let meta = match std::fs::metadata(path) {
            Ok(m) => m,
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => {
                return Err(Error::Missing {
                    path: path.to_path_buf(),
                })
            }
            Err(e) => return Err(corrupt(format!("cannot read: {e}"))),
        };
        if !meta.is_file() {
            return Err(corrupt("not a regular file".into()));
        }
        check_header(path, meta.len()).map_err(corrupt)?;
        let conn = Connection::open_with_flags(
            path,
            OpenFlags::SQLITE_OPEN_READ_ONLY | OpenFlags::SQLITE_OPEN_NO_MUTEX,
        )
        .map_err(|e| corrupt(format!("cannot open as SQLite: {e}")))?;
        let app_id: i64 = conn
            .query_row("PRAGMA application_id", [], |r| r.get(0))
            .map_err(|e| corrupt(format!("cannot read header: {e}")))?;
        if app_id != APPLICATION_ID {
            return Err(corrupt(format!(
                "a SQLite file of another application (application_id {app_id:#x}), not a yagura advisory database"
            )));
        }
        let meta_value = |key: &str| -> Result<Option<String>, Error> {
            conn.query_row("SELECT value FROM meta WHERE key = ?1", [key], |r| r.get(0))
                .optional()
                .map_err(|e| corrupt(format!("cannot read meta table: {e}")))
        };
        let version = meta_value("schema_version")?
            .ok_or_else(|| corrupt("meta table has no schema_version".into()))?;
        if version != SCHEMA_VERSION.to_string() {
            return Err(corrupt(format!(
                "schema version {version}, this yagura reads version {SCHEMA_VERSION}"
            )));
        }
        let encoding = meta_value("body_encoding")?
            .and_then(|e| BodyEncoding::parse(&e))
            .ok_or_else(|| corrupt("meta table has no known body_encoding".into()))?;
        if meta_value("built_at")?.is_none() {
            return Err(corrupt(
                "meta table has no built_at (incomplete build?)".into(),
            ));
        }
        // Preparing the queries checks that every table and column exists.
        for sql in [CANDIDATES_SQL, BODY_SQL, GET_SQL] {
            conn.prepare_cached(sql)
                .map_err(|e| corrupt(format!("unexpected tables: {e}")))?;
        }
        Ok(VulnDb {
            conn,
            path: path.to_path_buf(),
            encoding,
        })
    }

    /// Full structural check of the file (`PRAGMA quick_check`); reads every
    /// page, so it is for `yagura db status --verify`, not every scan.
    pub fn verify(&self) -> Result<(), Error> {
        let mut stmt = self
            .conn
            .prepare("PRAGMA quick_check")
            .map_err(sql_err(&self.path))?;
        let rows: Vec<String> = stmt
            .query_map([], |r| r.get(0))
            .and_then(|rows| rows.collect())
            .map_err(|e| self.corrupt(format!("quick_check failed: {e}")))?;
        if rows.len() == 1 && rows[0] == "ok" {
            Ok(())
        } else {
            Err(self.corrupt(format!("quick_check: {}", rows.join("; "))))
        }
    }

    pub fn path(&self) -> &Path {
        &self.path
    }

    fn corrupt(&self, reason: String) -> Error {
        Error::Corrupt {
            path: self.path.clone(),
            reason,
        }
    }

    /// Records that may affect package `name` of `ecosystem`: same family,
    /// same release when both name one, same normalised name; withdrawn
    /// records excluded. Versions are not looked at: pass each record to
    /// `yagura_osv::affected`. Sorted by id.
    pub fn candidates(&self, ecosystem: &str, name: &str) -> Result<Vec<Osv>, Error> {
        let mut out = self.candidates_many(&[(ecosystem, name)])?;
        Ok(out.pop().unwrap_or_default())
    }

    /// [`VulnDb::candidates`] for many packages, with one prepared statement
    /// and each record decoded once even when it covers several packages.
    pub fn candidates_many(&self, queries: &[(&str, &str)]) -> Result<Vec<Vec<Osv>>, Error> {
        let mut stmt = self
            .conn
            .prepare_cached(CANDIDATES_SQL)
            .map_err(sql_err(&self.path))?;
        let mut decoded: HashMap<i64, Osv> = HashMap::new();
        let mut inflater = Inflater::new();
        let mut uses: HashMap<i64, usize> = HashMap::new();
        let mut per_query: Vec<Vec<i64>> = Vec::with_capacity(queries.len());
        for (ecosystem, name) in queries {
            let (base, release) = split_ecosystem(ecosystem);
            let key = name_key(&base, name);
            // The same id from two sources: keep the most recently modified.
            let mut best: HashMap<String, (i64, Option<String>)> = HashMap::new();
            let mut rows = stmt
                .query(params![base, key, release])
                .map_err(sql_err(&self.path))?;
            while let Some(row) = rows.next().map_err(sql_err(&self.path))? {
                let read =
                    |row: &rusqlite::Row<'_>| -> rusqlite::Result<(i64, String, Option<String>)> {
                        Ok((row.get(0)?, row.get(1)?, row.get(2)?))
                    };
                let (rid, id, modified) = read(row).map_err(sql_err(&self.path))?;
                if let std::collections::hash_map::Entry::Vacant(slot) = decoded.entry(rid) {
                    let body = row
                        .get_ref(3)
                        .and_then(|v| v.as_blob().map_err(rusqlite::Error::from))
                        .map_err(sql_err(&self.path))?;
                    slot.insert(self.encoding.decode(body, &mut inflater).map_err(|e| {
                        self.corrupt(format!("record {id} cannot be decoded: {e}"))
                    })?);
                }
                match best.get(&id) {
                    Some((_, m)) if *m >= modified => {}
                    _ => {
                        best.insert(id, (rid, modified));
                    }
                }
            }
            let mut picked: Vec<(String, i64)> =
                best.into_iter().map(|(id, (rid, _))| (id, rid)).collect();
            picked.sort();
            let rids: Vec<i64> = picked.into_iter().map(|(_, rid)| rid).collect();
            for rid in &rids {
                *uses.entry(*rid).or_default() += 1;
            }
            per_query.push(rids);
        }
        // Hand each decoded record out, moving it on its last use.
        let mut out = Vec::with_capacity(per_query.len());
        for rids in per_query {
            let mut records = Vec::with_capacity(rids.len());
            for rid in rids {
                let left = uses.get_mut(&rid).map(|n| {
                    *n -= 1;
                    *n
                });
                let rec = if left == Some(0) {
                    decoded.remove(&rid)
                } else {
                    decoded.get(&rid).cloned()
                };
                if let Some(r) = rec {
                    records.push(r);
                }
            }
            out.push(records);
        }
        Ok(out)
    }

    /// The record with this id, or failing that the one with this alias
    /// (e.g. a CVE id); withdrawn records included, so callers can explain.
    pub fn get(&self, id: &str) -> Result<Option<Osv>, Error> {
        let mut stmt = self
            .conn
            .prepare_cached(GET_SQL)
            .map_err(sql_err(&self.path))?;
        let rows: Vec<(i64, Option<String>)> = stmt
            .query_map([id], |r| Ok((r.get(0)?, r.get(1)?)))
            .and_then(|rows| rows.collect())
            .map_err(sql_err(&self.path))?;
        let mut records = Vec::with_capacity(rows.len());
        for (rid, modified) in rows {
            records.push((self.load(rid)?, modified));
        }
        // Prefer the record that *is* the id over one that merely aliases it,
        // then the most recently modified.
        records
            .sort_by(|(a, am), (b, bm)| (b.id == id).cmp(&(a.id == id)).then_with(|| bm.cmp(am)));
        Ok(records.into_iter().next().map(|(r, _)| r))
    }

    fn load(&self, rid: i64) -> Result<Osv, Error> {
        let mut stmt = self
            .conn
            .prepare_cached(BODY_SQL)
            .map_err(sql_err(&self.path))?;
        let body: Vec<u8> = stmt
            .query_row([rid], |r| r.get(0))
            .map_err(sql_err(&self.path))?;
        self.encoding
            .decode(&body, &mut Inflater::new())
            .map_err(|e| self.corrupt(format!("record #{rid} cannot be decoded: {e}")))
    }

    pub fn status(&self) -> Result<Status, Error> {
        let err = sql_err(&self.path);
        let q = || -> rusqlite::Result<Status> {
            let built_at: String =
                self.conn
                    .query_row("SELECT value FROM meta WHERE key = 'built_at'", [], |r| {
                        r.get(0)
                    })?;
            let (records, withdrawn): (i64, i64) =
                self.conn
                    .query_row("SELECT COUNT(*), COUNT(withdrawn) FROM records", [], |r| {
                        Ok((r.get(0)?, r.get(1)?))
                    })?;
            let mut stmt = self
                .conn
                .prepare("SELECT ecosystem, records FROM ecosystems ORDER BY ecosystem")?;
            let ecosystems = stmt
                .query_map([], |r| {
                    Ok(EcosystemCount {
                        ecosystem: r.get(0)?,
                        records: r.get::<_, i64>(1)?.max(0) as u64,
                    })
                })?
                .collect::<rusqlite::Result<Vec<_>>>()?;
            let mut stmt = self.conn.prepare(
                "SELECT name, kind, location, fetched_at, imported_at, sha256, etag, record_count
                 FROM sources ORDER BY name",
            )?;
            let sources = stmt
                .query_map([], |r| {
                    Ok(SourceInfo {
                        name: r.get(0)?,
                        kind: r.get(1)?,
                        location: r.get(2)?,
                        fetched_at: r.get(3)?,
                        imported_at: r.get(4)?,
                        sha256: r.get(5)?,
                        etag: r.get(6)?,
                        record_count: r.get::<_, i64>(7)?.max(0) as u64,
                    })
                })?
                .collect::<rusqlite::Result<Vec<_>>>()?;
            Ok(Status {
                path: self.path.clone(),
                schema_version: SCHEMA_VERSION,
                built_at,
                records: records.max(0) as u64,
                withdrawn: withdrawn.max(0) as u64,
                ecosystems,
                sources,
            })
        };
        q().map_err(err)
    }

    /// Ids of all records, for tests and diagnostics.
    pub fn record_ids(&self) -> Result<HashSet<String>, Error> {
        let mut stmt = self
            .conn
            .prepare("SELECT id FROM records")
            .map_err(sql_err(&self.path))?;
        stmt.query_map([], |r| r.get(0))
            .and_then(|rows| rows.collect())
            .map_err(sql_err(&self.path))
    }
}

/// Cheap structural checks that turn garbage and truncated files into a
/// clear message before SQLite reports a generic one (or none: SQLite
/// opens a truncated file and fails only on the first missing page).
fn check_header(path: &Path, file_len: u64) -> Result<(), String> {
    let mut header = [0u8; 100];
    let mut f = File::open(path).map_err(|e| format!("cannot read: {e}"))?;
    let n = read_up_to(&mut f, &mut header).map_err(|e| format!("cannot read: {e}"))?;
    if n < header.len() || &header[..16] != b"SQLite format 3\0" {
        return Err("not a SQLite database (bad file header)".into());
    }
    let page_size = match u16::from_be_bytes([header[16], header[17]]) {
        1 => 65536u64,
        n => u64::from(n),
    };
    let page_count = u64::from(u32::from_be_bytes([
        header[28], header[29], header[30], header[31],
    ]));
    // The in-header page count is only trustworthy when the two change
    // counters agree (SQLite file format, offset 92).
    let valid = header[24..28] == header[92..96];
    if valid && page_count > 0 && file_len < page_size * page_count {
        return Err(format!(
            "truncated: file is {file_len} bytes, its header says {} ({page_count} pages of {page_size})",
            page_size * page_count
        ));
    }
    Ok(())
}

fn read_up_to(f: &mut File, buf: &mut [u8]) -> std::io::Result<usize> {
    let mut n = 0;
    while n < buf.len() {
        match f.read(&mut buf[n..])? {
            0 => break,
            k => n += k,
        }
    }
    Ok(n)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_body_encoding_round_trips_and_rejects_garbage() {
        let rec = yagura_osv::parse_json(br#"{"id":"X-1","summary":"s"}"#).unwrap();
        let json = serde_json::to_vec(&rec).unwrap();
        let mut inflater = Inflater::new();
        for enc in [
            BodyEncoding::Json,
            BodyEncoding::DeflateJson,
            BodyEncoding::Lz4Json,
        ] {
            let body = enc.encode(json.clone());
            assert_eq!(enc.decode(&body, &mut inflater).unwrap(), rec, "{enc:?}");
            assert_eq!(BodyEncoding::parse(enc.name()), Some(enc));
            assert!(enc
                .decode(&[0xff, 0xff, 0xff, 0x7f, 1, 2], &mut inflater)
                .is_err());
        }
    }

    #[test]
    fn keys_follow_osv_matching_rules() {
        assert_eq!(
            split_ecosystem("Debian:12"),
            ("debian".into(), Some("12".into()))
        );
        assert_eq!(
            split_ecosystem("Ubuntu:22.04:LTS"),
            ("ubuntu".into(), Some("22.04:LTS".into()))
        );
        assert_eq!(split_ecosystem("PyPI"), ("pypi".into(), None));
        assert_eq!(name_key("pypi", "Zope.Interface"), "zope-interface");
        assert_eq!(name_key("nuget", "Newtonsoft.Json"), "newtonsoft.json");
        assert_eq!(name_key("npm", "@Scope/Pkg"), "@Scope/Pkg");
        assert_eq!(name_key("maven", "org.apache:Foo"), "org.apache:Foo");
    }
}
