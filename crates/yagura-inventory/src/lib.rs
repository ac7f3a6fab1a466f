//! Package inventory of a target: which packages a folder, a root file
//! system, the running host, a container image or an SBOM document holds.
//!
//! This crate does the file access; the readers it dispatches to
//! (`yagura-ospkg`, `yagura-langpkg`, `yagura-lockfiles`, `yagura-sbom`) are
//! pure. Every target goes through the same [`Collector`], so a package found
//! in a layer of an image and the same package in an unpacked root file
//! system come out identical except for their layer.

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

use yagura_image::Image;
use yagura_model::package::{Distro, InventoryIssue, LayerRef, Package, PackageSource};

mod collect;
mod walk;

pub use collect::{classify, Collector, FileKind};

/// What to inventory.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Target {
    /// A project folder or an unpacked root file system.
    Dir(PathBuf),
    /// The running host: `/`, without pseudo file systems.
    Host,
    /// A docker-archive tarball or an OCI image layout (folder or tar).
    Image(PathBuf),
    /// A CycloneDX or SPDX JSON document made by another tool.
    Sbom(PathBuf),
    /// One lockfile or metadata file named on the command line.
    File(PathBuf),
}

impl Target {
    /// Works out what a path names: an image, an SBOM, a single file or a
    /// folder. Only the first bytes of a file are read.
    pub fn detect(path: &Path) -> Result<Target, Error> {
        let meta = std::fs::metadata(path).map_err(|e| Error::Io(path.display().to_string(), e))?;
        if meta.is_dir() {
            if path.join("oci-layout").is_file()
                || path.join("index.json").is_file() && path.join("blobs").is_dir()
            {
                return Ok(Target::Image(path.to_path_buf()));
            }
            return Ok(Target::Dir(path.to_path_buf()));
        }
        let mut head = vec![0u8; 4096];
        let n = {
            use std::io::Read;
            let mut f =
                std::fs::File::open(path).map_err(|e| Error::Io(path.display().to_string(), e))?;
            f.read(&mut head)
                .map_err(|e| Error::Io(path.display().to_string(), e))?
        };
        head.truncate(n);
        let text = String::from_utf8_lossy(&head);
        let trimmed = text.trim_start();
        if trimmed.starts_with('{')
            && (text.contains("\"bomFormat\"")
                || text.contains("\"spdxVersion\"")
                || text.contains("\"SPDXID\""))
        {
            return Ok(Target::Sbom(path.to_path_buf()));
        }
        // ustar magic at offset 257 marks a tar archive; gzip-compressed
        // archives (`docker save | gzip`) are images too.
        let is_tar = head.get(257..262) == Some(b"ustar".as_slice());
        let is_gzip = head.starts_with(&[0x1f, 0x8b]);
        if is_tar || is_gzip {
            return Ok(Target::Image(path.to_path_buf()));
        }
        Ok(Target::File(path.to_path_buf()))
    }

    pub fn label(&self) -> String {
        match self {
            Target::Dir(p) | Target::Image(p) | Target::Sbom(p) | Target::File(p) => {
                p.display().to_string()
            }
            Target::Host => "host".into(),
        }
    }
}

/// Why a target could not be inventoried at all. Problems with single files
/// are [`InventoryIssue`]s instead, and the rest of the target is still read.
#[derive(Debug, thiserror::Error)]
pub enum Error {
    #[error("{0}: {1}")]
    Io(String, #[source] std::io::Error),
    #[error("{0}")]
    Image(#[from] yagura_image::Error),
    #[error("{0}")]
    Sbom(#[from] yagura_sbom::Error),
}

/// Everything found in one target.
#[derive(Debug, Clone, Default)]
pub struct Inventory {
    pub target: String,
    pub distro: Option<Distro>,
    pub packages: Vec<Package>,
    /// Files or entries that could not be read; the scan went on without them.
    pub issues: Vec<InventoryIssue>,
    /// Limits that are not errors: packages that cannot be matched because
    /// OSV has no advisories for their distribution, and the like.
    pub notes: Vec<String>,
    /// Image metadata when the target is an image.
    pub image: Option<yagura_image::ImageInfo>,
    /// How many files were read and handed to a package reader.
    pub files_read: usize,
    /// The SBOM format, when the target was an SBOM document.
    pub sbom_format: Option<String>,
}

/// Decides whether a path (relative to the target root) is left out.
pub type ExcludeFn = std::sync::Arc<dyn Fn(&str) -> bool + Send + Sync>;

/// Options for a collection run.
#[derive(Clone, Default)]
pub struct Options {
    /// Paths (relative to the target root, `/`-separated) to leave out.
    pub exclude: Option<ExcludeFn>,
    /// Check every image layer's digests while reading. Off by default: an
    /// uncompressed layer can then be read by seeking past the content no
    /// package reader wants, instead of hashing every byte.
    pub verify_digests: bool,
}

impl std::fmt::Debug for Options {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Options")
            .field("exclude", &self.exclude.is_some())
            .field("verify_digests", &self.verify_digests)
            .finish()
    }
}

/// Inventories one target.
pub fn collect(target: &Target, opts: &Options) -> Result<Inventory, Error> {
    match target {
        Target::Dir(root) => Ok(walk::dir(root, &target.label(), opts, false)),
        Target::Host => Ok(walk::dir(Path::new("/"), "host", opts, true)),
        Target::File(path) => Ok(walk::single_file(path)),
        Target::Sbom(path) => {
            let bytes =
                std::fs::read(path).map_err(|e| Error::Io(path.display().to_string(), e))?;
            let read = yagura_sbom::read(&bytes, &path.display().to_string())?;
            Ok(Inventory {
                target: target.label(),
                distro: read.distro,
                packages: read.packages,
                issues: read.issues,
                notes: Vec::new(),
                image: None,
                files_read: 1,
                sbom_format: Some(format!("{:?}", read.format)),
            })
        }
        Target::Image(path) => image(path, opts),
    }
}

/// Inventories an image: streams every layer once, reads only the files a
/// package reader wants, then keeps what the final image still shows and
/// attributes each package to the layer that added it.
fn image(path: &Path, opts: &Options) -> Result<Inventory, Error> {
    let img = Image::open_with(
        path,
        &yagura_image::OpenOptions {
            verify_digests: opts.verify_digests,
            ..Default::default()
        },
    )?;
    let info = img.info().clone();
    let mut collector = Collector::default();
    // Per path, the results of every layer that wrote it, in layer order.
    let mut per_path: BTreeMap<String, Vec<(usize, collect::Analysis)>> = BTreeMap::new();
    let mut read_errors: Vec<InventoryIssue> = Vec::new();
    let overlay = img.walk(
        |p, meta| {
            if opts.exclude.as_ref().is_some_and(|ex| ex(p)) {
                return false;
            }
            classify(p, meta.executable).is_some()
        },
        |layer, p, meta, reader| -> Result<(), std::convert::Infallible> {
            let Some(kind) = classify(p, meta.executable) else {
                return Ok(());
            };
            let mut bytes = Vec::with_capacity(meta.size.min(64 << 20) as usize);
            if let Err(e) = reader.read_to_end(&mut bytes) {
                read_errors.push(InventoryIssue {
                    path: p.to_string(),
                    entry: Some(format!("layer {layer}")),
                    message: format!("cannot read: {e}"),
                });
                return Ok(());
            }
            let analysis = collector.analyze(kind, p, &bytes);
            per_path
                .entry(p.to_string())
                .or_default()
                .push((layer, analysis));
            Ok(())
        },
    )?;
    let mut inv = Inventory {
        target: info.reference.clone(),
        image: Some(info.clone()),
        files_read: collector.files_read,
        ..Default::default()
    };
    inv.issues.extend(read_errors);
    for e in &overlay.errors {
        inv.issues.push(InventoryIssue {
            path: path.display().to_string(),
            entry: None,
            message: e.to_string(),
        });
    }
    let layer_ref = |i: usize| -> Option<LayerRef> { info.layers.get(i).cloned() };
    let mut finals: Vec<(String, collect::Analysis)> = Vec::new();
    for (p, versions) in per_path {
        let Some(&(final_layer, _)) = versions.last() else {
            continue;
        };
        if !overlay.visible(&p, final_layer) {
            continue;
        }
        let mut versions = versions;
        let Some((_, mut last)) = versions.pop() else {
            continue;
        };
        for pkg in &mut last.packages {
            // A package database is rewritten by every layer that installs
            // anything; the package belongs to the earliest layer of the
            // unbroken run of layers whose copy lists it at this version.
            let mut added_in = final_layer;
            for (layer, earlier) in versions.iter().rev() {
                if earlier
                    .packages
                    .iter()
                    .any(|q| q.name == pkg.name && q.version == pkg.version)
                {
                    added_in = *layer;
                } else {
                    break;
                }
            }
            pkg.layer = layer_ref(added_in);
        }
        finals.push((p, last));
    }
    collector.finish(&mut inv, finals);
    Ok(inv)
}

/// Packages from readers that report the same package more than once (a
/// package listed in both a lockfile and installed metadata stays twice:
/// they are different evidence in different places).
pub fn summary(inv: &Inventory) -> BTreeMap<PackageSource, usize> {
    let mut m = BTreeMap::new();
    for p in &inv.packages {
        *m.entry(p.found_by).or_insert(0) += 1;
    }
    m
}
