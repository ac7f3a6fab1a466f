use std::path::PathBuf;

/// Everything that can go wrong with the advisory database. Messages name
/// the file (or URL) involved so the CLI can print them as they are.
#[derive(Debug, thiserror::Error)]
pub enum Error {
    /// No database file yet: the user has to build one first.
    #[error("no advisory database at {}; run `yagura db update` or `yagura db import`", path.display())]
    Missing { path: PathBuf },
    /// The file exists but is not a usable database of this schema.
    #[error("advisory database {} is unusable: {reason}; rebuild it with `yagura db update` or `yagura db import`", path.display())]
    Corrupt { path: PathBuf, reason: String },
    /// An import source could not be read at all (not a single record of it).
    #[error("cannot import {}: {message}", path.display())]
    Source { path: PathBuf, message: String },
    #[error("{}: {source}", path.display())]
    Io {
        path: PathBuf,
        #[source]
        source: std::io::Error,
    },
    #[error("SQLite error on {}: {source}", path.display())]
    Sqlite {
        path: PathBuf,
        #[source]
        source: rusqlite::Error,
    },
    /// A download failed (network, HTTP status, ...). The cached partial
    /// file is kept so the next attempt resumes.
    #[error("download of {url} failed: {message}")]
    Download { url: String, message: String },
    /// A download completed but its content is wrong; the partial file was
    /// discarded and the database left untouched.
    #[error("integrity check of {url} failed: {message}")]
    Integrity { url: String, message: String },
    #[error("invalid option: {0}")]
    InvalidInput(String),
}

pub(crate) fn io_err(path: impl Into<PathBuf>) -> impl FnOnce(std::io::Error) -> Error {
    let path = path.into();
    move |source| Error::Io { path, source }
}

pub(crate) fn sql_err(path: impl Into<PathBuf>) -> impl FnOnce(rusqlite::Error) -> Error {
    let path = path.into();
    move |source| Error::Sqlite { path, source }
}
