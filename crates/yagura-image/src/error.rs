use std::io;

/// Why an image could not be opened or a layer could not be read. Every
/// variant names the file, archive member or layer concerned.
#[derive(Debug, thiserror::Error)]
pub enum Error {
    #[error("{path}: {source}")]
    Io { path: String, source: io::Error },
    #[error("{path}: not a container image: {reason}")]
    NotAnImage { path: String, reason: String },
    #[error("{archive}: {detail}")]
    BadArchive { archive: String, detail: String },
    #[error("{image}: missing {what} `{name}`{note}")]
    Missing {
        image: String,
        what: &'static str,
        name: String,
        note: String,
    },
    #[error("{file}: invalid JSON: {source}")]
    Json {
        file: String,
        source: serde_json::Error,
    },
    #[error("{file}: {reason}")]
    InvalidManifest { file: String, reason: String },
    #[error("{what}: digest mismatch: expected {expected}, computed {actual}")]
    DigestMismatch {
        what: String,
        expected: String,
        actual: String,
    },
    #[error("{image}: no image for platform {wanted} (available: {available})")]
    PlatformNotFound {
        image: String,
        wanted: String,
        available: String,
    },
    #[error("{image}: no image tagged `{wanted}` (available: {available})")]
    ReferenceNotFound {
        image: String,
        wanted: String,
        available: String,
    },
    #[error("{layer}: {reason}")]
    CorruptLayer { layer: String, reason: String },
    #[error("layer {layer}, `{path}`: {source}")]
    Callback {
        layer: usize,
        path: String,
        source: Box<dyn std::error::Error + Send + Sync>,
    },
}
