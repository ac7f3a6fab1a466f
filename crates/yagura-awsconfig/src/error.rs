use std::path::PathBuf;

/// A problem with one input file or one configuration item in it. Every variant
/// names the file, so the message can go straight into a scan report.
#[derive(Debug, thiserror::Error)]
pub enum SnapshotError {
    /// The file or folder could not be opened or read.
    #[error("{}: cannot read: {source}", path.display())]
    Io {
        path: PathBuf,
        #[source]
        source: std::io::Error,
    },

    /// A folder inside the scanned tree could not be listed.
    #[error("{}: cannot list folder: {source}", path.display())]
    Walk {
        path: PathBuf,
        #[source]
        source: std::io::Error,
    },

    /// The gzip stream is corrupt or cut short. Items decoded before the damage are kept.
    #[error(
        "{}: gzip data is corrupt or truncated ({message}); kept {items_kept} configuration item(s) read before the damage",
        path.display()
    )]
    Gzip {
        path: PathBuf,
        message: String,
        items_kept: usize,
    },

    /// The JSON is malformed or truncated. Items before the error are kept.
    #[error(
        "{}: invalid JSON at line {line}, column {column}{}: {message}; kept {items_kept} configuration item(s) read before it",
        path.display(),
        item.map(|i| format!(" (in configurationItems[{i}])")).unwrap_or_default()
    )]
    Json {
        path: PathBuf,
        line: usize,
        column: usize,
        /// Index of the configuration item being read when the error occurred.
        item: Option<usize>,
        message: String,
        items_kept: usize,
    },

    /// A file named `*.json` / `*.json.gz` whose content is not JSON at all.
    #[error("{}: named as JSON but its content is not JSON{}", path.display(), if *empty { " (the file is empty)" } else { "" })]
    NotJson { path: PathBuf, empty: bool },

    /// Valid JSON that is not an AWS Config snapshot, history or notification document.
    #[error("{}: valid JSON but not an AWS Config snapshot or history file (no `configurationItems`)", path.display())]
    NotConfigFile { path: PathBuf },

    /// One configuration item could not be used as it is.
    #[error(
        "{}: configurationItems[{index}] ({resource_type} {resource_id}): {message}",
        path.display()
    )]
    Item {
        path: PathBuf,
        index: usize,
        resource_type: String,
        resource_id: String,
        message: String,
    },
}

impl SnapshotError {
    /// The file (or folder) the error is about.
    pub fn path(&self) -> &std::path::Path {
        match self {
            SnapshotError::Io { path, .. }
            | SnapshotError::Walk { path, .. }
            | SnapshotError::Gzip { path, .. }
            | SnapshotError::Json { path, .. }
            | SnapshotError::NotJson { path, .. }
            | SnapshotError::NotConfigFile { path }
            | SnapshotError::Item { path, .. } => path,
        }
    }
}
