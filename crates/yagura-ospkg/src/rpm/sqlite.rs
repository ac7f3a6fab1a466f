//! rpm's SQLite backend (`rpmdb.sqlite`, rpm ≥ 4.16): table
//! `Packages(hnum INTEGER PRIMARY KEY, blob BLOB)`. The bytes are loaded
//! into an in-memory database, so nothing touches the file system.

use super::{BackendOutput, RawRecord};
use rusqlite::{Connection, MAIN_DB};

pub(crate) fn read(bytes: &[u8]) -> BackendOutput {
    let mut out = BackendOutput::default();
    match load(bytes, &mut out) {
        Ok(()) => {}
        Err(e) => out
            .problems
            .push((None, format!("cannot read SQLite rpm database: {e}"))),
    }
    out
}

fn load(bytes: &[u8], out: &mut BackendOutput) -> rusqlite::Result<()> {
    let mut image = bytes.to_vec();
    // rpm runs the database in WAL mode; an in-memory image cannot, so mark
    // it as a rollback-journal database (header bytes 18 and 19). Committed
    // data is in the main file once rpm has checkpointed, which it does on
    // close.
    if let Some(versions) = image.get_mut(18..20) {
        if versions == [2, 2] {
            versions.copy_from_slice(&[1, 1]);
        }
    }
    let mut conn = Connection::open_in_memory()?;
    let len = image.len();
    conn.deserialize_read_exact(MAIN_DB, image.as_slice(), len, true)?;
    let mut statement = conn.prepare("SELECT hnum, blob FROM Packages")?;
    let rows = statement.query_map([], |row| {
        let instance: i64 = row.get(0)?;
        let blob: Option<Vec<u8>> = row.get(1)?;
        Ok((instance, blob))
    })?;
    for row in rows {
        match row {
            Ok((instance, blob)) => out.records.push(RawRecord {
                instance: u32::try_from(instance).unwrap_or(u32::MAX),
                blob: blob.ok_or_else(|| "NULL header blob".to_string()),
            }),
            Err(e) => out.problems.push((None, format!("unreadable row: {e}"))),
        }
    }
    out.records.sort_by_key(|r| r.instance);
    Ok(())
}
