//! Container images read from disk — `docker save` archives, OCI image
//! layouts as a folder or a tar — with their layers streamed to scanners.
//!
//! Nothing is extracted and no layer is held in memory: each layer blob is
//! read once, hashed (blob digest), decompressed once (gzip or zstd, sniffed
//! from magic bytes), hashed again (diff ID) and parsed as tar on the fly. The
//! scanner picks the files it wants by path and reads them from the stream;
//! every entry, whiteout and opaque marker is recorded in an [`Overlay`] that
//! afterwards tells which layer's copy of a path the final image shows.
//!
//! Outer tar archives are indexed once (offset and size of each member) and
//! members are then read by offset. Decompression of a layer runs on a helper
//! thread while the caller's thread parses the tar and runs the callbacks;
//! memory stays bounded (a few MiB) whatever the layer size.
//!
//! ```no_run
//! # use std::io::Read;
//! let image = yagura_image::Image::open(std::path::Path::new("app.tar"))?;
//! let mut status = Vec::new(); // (layer, bytes) of every copy
//! let overlay = image.walk(
//!     |path, _| path == "var/lib/dpkg/status",
//!     |layer, _, _, r: &mut dyn Read| -> std::io::Result<()> {
//!         let mut data = Vec::new();
//!         r.read_to_end(&mut data)?;
//!         status.push((layer, data));
//!         Ok(())
//!     },
//! )?;
//! let visible = status.iter().find(|(l, _)| overlay.visible("var/lib/dpkg/status", *l));
//! # let _ = visible;
//! # Ok::<(), yagura_image::Error>(())
//! ```

mod error;
mod layer;
mod manifest;
mod overlay;
mod source;
mod tar;

use std::collections::BTreeMap;
use std::fmt;
use std::io::Read;
use std::path::Path;

use yagura_model::package::LayerRef;

pub use error::Error;
pub use overlay::{EntryKind, LayerError, Overlay};

use layer::{Failure, LayerWalk};
use manifest::LayerBlob;
use source::Source;

/// An image's metadata, from its manifest and config.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ImageInfo {
    /// `RepoTags[0]` of a docker archive, the ref-name annotation of an OCI
    /// layout, otherwise the path it was opened from.
    pub reference: String,
    /// `sha256:` of the config blob (the image ID).
    pub config_digest: String,
    pub os: Option<String>,
    pub architecture: Option<String>,
    /// Layers in order, each with its diff ID and the history entry that made it.
    pub layers: Vec<LayerRef>,
    pub env: Vec<String>,
    pub labels: BTreeMap<String, String>,
    pub user: Option<String>,
}

/// A platform of a multi-platform image: `linux/amd64`, `linux/arm64/v8`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Platform {
    pub os: String,
    pub architecture: String,
    /// Matched only when given.
    pub variant: Option<String>,
}

impl Platform {
    pub fn linux_amd64() -> Self {
        Platform {
            os: "linux".into(),
            architecture: "amd64".into(),
            variant: None,
        }
    }

    /// Parses `os/arch[/variant]`.
    pub fn parse(text: &str) -> Option<Platform> {
        let mut parts = text.split('/');
        let os = parts.next().filter(|s| !s.is_empty())?.to_string();
        let architecture = parts.next().filter(|s| !s.is_empty())?.to_string();
        let variant = parts.next().filter(|s| !s.is_empty()).map(str::to_string);
        if parts.next().is_some() {
            return None;
        }
        Some(Platform {
            os,
            architecture,
            variant,
        })
    }
}

impl fmt::Display for Platform {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}/{}", self.os, self.architecture)?;
        if let Some(v) = &self.variant {
            write!(f, "/{v}")?;
        }
        Ok(())
    }
}

/// How to pick an image out of an archive or layout holding several.
#[derive(Debug, Clone)]
pub struct OpenOptions {
    /// For a multi-platform index. `None`: the only image, else linux/amd64.
    pub platform: Option<Platform>,
    /// A tag (`RepoTags` entry, or an OCI ref-name annotation). `None`: the first image.
    pub reference: Option<String>,
    /// Check every layer's blob digest and diff ID while streaming (default true).
    pub verify_digests: bool,
}

impl Default for OpenOptions {
    fn default() -> Self {
        OpenOptions {
            platform: None,
            reference: None,
            verify_digests: true,
        }
    }
}

/// A regular file's header as the layer tar records it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct EntryMeta {
    pub size: u64,
    /// Permission bits (and setuid/setgid/sticky) from the tar header.
    pub mode: u32,
    /// Any execute bit is set.
    pub executable: bool,
}

/// An opened image: manifest and config read and checked, layers not yet read.
pub struct Image {
    source: Source,
    path_text: String,
    info: ImageInfo,
    layers: Vec<LayerBlob>,
    verify: bool,
}

impl fmt::Debug for Image {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Image")
            .field("path", &self.path_text)
            .field("info", &self.info)
            .finish()
    }
}

impl Image {
    /// Opens a docker-archive tar, an OCI layout folder or an OCI layout tar
    /// (a folder with `manifest.json`, as an extracted docker archive, works too).
    pub fn open(path: &Path) -> Result<Image, Error> {
        Self::open_with(path, &OpenOptions::default())
    }

    pub fn open_with(path: &Path, options: &OpenOptions) -> Result<Image, Error> {
        let path_text = source::display(path);
        let source = Source::open(path)?;
        let resolved = manifest::resolve(&source, &path_text, options)?;
        Ok(Image {
            source,
            path_text,
            info: resolved.info,
            layers: resolved.layers,
            verify: options.verify_digests,
        })
    }

    pub fn info(&self) -> &ImageInfo {
        &self.info
    }

    /// Streams every layer in order. For each regular file for which
    /// `want(path, meta)` is true, calls `on_file(layer_index, path, meta, reader)`;
    /// the reader yields exactly the file's bytes and the callback may read
    /// all, part or none of them. Paths are relative, `/`-separated, without
    /// `./`. Whiteouts, directories, links and special files are recorded in the
    /// returned [`Overlay`] but never handed to `on_file`; a hardlink's content
    /// is found through [`Overlay::resolve`].
    ///
    /// Since visibility depends on later layers, callers keep what they read
    /// per layer and filter afterwards with [`Overlay::visible`].
    ///
    /// A layer that is missing, truncated, corrupt or fails its digest check is
    /// reported in [`Overlay::errors`] and the walk goes on with the next layer
    /// (files read before the failure were already handed over). An error
    /// returned by `on_file` stops the walk with [`Error::Callback`].
    pub fn walk<W, F, E>(&self, mut want: W, mut on_file: F) -> Result<Overlay, Error>
    where
        W: FnMut(&str, &EntryMeta) -> bool,
        F: FnMut(usize, &str, &EntryMeta, &mut dyn Read) -> Result<(), E>,
        E: Into<Box<dyn std::error::Error + Send + Sync>>,
    {
        let mut overlay = Overlay::new(self.layers.len());
        for (index, blob) in self.layers.iter().enumerate() {
            let mut walker = LayerWalk {
                source: &self.source,
                image: &self.path_text,
                verify: self.verify,
                want: &mut want,
                on_file: &mut on_file,
                overlay: &mut overlay,
            };
            match walker.walk(index, blob) {
                Ok(()) => {}
                Err(Failure::Layer(error)) => {
                    let digest = self
                        .info
                        .layers
                        .get(index)
                        .map(|l| l.digest.clone())
                        .unwrap_or_else(|| blob.member.clone());
                    overlay.errors.push(LayerError {
                        index,
                        digest,
                        error,
                    });
                }
                Err(Failure::Abort(error)) => return Err(error),
            }
        }
        overlay.finish();
        Ok(overlay)
    }
}
