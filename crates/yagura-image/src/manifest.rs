//! docker-archive `manifest.json`, OCI index/manifest and image config JSON,
//! resolved into the image's metadata and its ordered list of layer blobs.

use std::collections::BTreeMap;

use serde::Deserialize;
use sha2::{Digest, Sha256};
use yagura_model::package::LayerRef;

use crate::source::Source;
use crate::{Error, ImageInfo, OpenOptions, Platform};

/// Manifests, indexes and configs are small; anything bigger is not one.
const JSON_LIMIT: u64 = 64 * 1024 * 1024;
/// Nested indexes deeper than this are refused (a loop or a hostile layout).
const MAX_INDEX_DEPTH: usize = 4;

/// One layer as stored: the member that holds it and the digests to check it against.
#[derive(Debug, Clone)]
pub(crate) struct LayerBlob {
    pub member: String,
    /// `sha256:<hex>` of the stored (possibly compressed) bytes, when known.
    pub blob_digest: Option<String>,
    /// `sha256:<hex>` of the uncompressed tar, from the config.
    pub diff_id: Option<String>,
}

#[derive(Deserialize)]
#[serde(rename_all = "PascalCase")]
struct DockerEntry {
    config: String,
    #[serde(default)]
    repo_tags: Option<Vec<String>>,
    layers: Vec<String>,
}

#[derive(Deserialize, Clone)]
#[serde(rename_all = "camelCase")]
struct Descriptor {
    digest: String,
    #[serde(default)]
    platform: Option<PlatformJson>,
    #[serde(default)]
    annotations: Option<BTreeMap<String, String>>,
}

#[derive(Deserialize, Clone)]
struct PlatformJson {
    #[serde(default)]
    os: String,
    #[serde(default)]
    architecture: String,
    #[serde(default)]
    variant: Option<String>,
}

/// An index or a manifest: told apart by which fields are present, since
/// media types are optional in older layouts.
#[derive(Deserialize)]
struct AnyManifest {
    #[serde(default)]
    manifests: Option<Vec<Descriptor>>,
    #[serde(default)]
    config: Option<Descriptor>,
    #[serde(default)]
    layers: Option<Vec<Descriptor>>,
}

#[derive(Deserialize, Default)]
struct ImageConfig {
    #[serde(default)]
    os: Option<String>,
    #[serde(default)]
    architecture: Option<String>,
    #[serde(default)]
    variant: Option<String>,
    #[serde(default)]
    config: Option<ContainerConfig>,
    #[serde(default)]
    rootfs: Option<RootFs>,
    #[serde(default)]
    history: Option<Vec<History>>,
}

#[derive(Deserialize, Default)]
struct ContainerConfig {
    #[serde(default, rename = "Env")]
    env: Option<Vec<String>>,
    #[serde(default, rename = "Labels")]
    labels: Option<BTreeMap<String, String>>,
    #[serde(default, rename = "User")]
    user: Option<String>,
}

#[derive(Deserialize)]
struct RootFs {
    #[serde(default)]
    diff_ids: Vec<String>,
}

#[derive(Deserialize)]
struct History {
    #[serde(default)]
    created_by: Option<String>,
    #[serde(default)]
    empty_layer: Option<bool>,
}

pub(crate) struct Resolved {
    pub info: ImageInfo,
    pub layers: Vec<LayerBlob>,
}

pub(crate) fn sha256_digest(data: &[u8]) -> String {
    format!("sha256:{}", hex::encode(Sha256::digest(data)))
}

/// `sha256:<hex>` → `blobs/sha256/<hex>`, refusing anything that could name a
/// path outside `blobs/`.
fn blob_path(digest: &str, file: &str) -> Result<String, Error> {
    let bad = || Error::InvalidManifest {
        file: file.to_string(),
        reason: format!("invalid digest `{digest}`"),
    };
    let (alg, encoded) = digest.split_once(':').ok_or_else(bad)?;
    let alg_ok = !alg.is_empty()
        && alg
            .bytes()
            .all(|b| b.is_ascii_lowercase() || b.is_ascii_digit() || b"+._-".contains(&b));
    let enc_ok = !encoded.is_empty()
        && encoded
            .bytes()
            .all(|b| b.is_ascii_alphanumeric() || b"=_-".contains(&b));
    if !alg_ok || !enc_ok {
        return Err(bad());
    }
    Ok(format!("blobs/{alg}/{encoded}"))
}

fn read_json<T: for<'de> Deserialize<'de>>(
    source: &Source,
    image: &str,
    name: &str,
    what: &'static str,
    expected_digest: Option<&str>,
) -> Result<(T, String), Error> {
    let data = source
        .read_small(name, JSON_LIMIT)?
        .ok_or_else(|| Error::Missing {
            image: image.to_string(),
            what,
            name: name.to_string(),
            note: source
                .problem()
                .map(|p| format!(" ({p})"))
                .unwrap_or_default(),
        })?;
    let digest = sha256_digest(&data);
    if let Some(expected) = expected_digest.filter(|d| d.starts_with("sha256:")) {
        if expected != digest {
            return Err(Error::DigestMismatch {
                what: format!("{what} `{name}`"),
                expected: expected.to_string(),
                actual: digest,
            });
        }
    }
    let value = serde_json::from_slice(&data).map_err(|source| Error::Json {
        file: name.to_string(),
        source,
    })?;
    Ok((value, digest))
}

pub(crate) fn resolve(source: &Source, image: &str, opts: &OpenOptions) -> Result<Resolved, Error> {
    if source.exists("manifest.json") {
        resolve_docker(source, image, opts)
    } else if source.exists("index.json") {
        resolve_oci(source, image, opts)
    } else {
        let reason = match source.problem() {
            Some(p) => format!("no manifest.json or index.json; {p}"),
            None => "no manifest.json (docker-archive) or index.json (OCI layout)".to_string(),
        };
        Err(Error::NotAnImage {
            path: image.to_string(),
            reason,
        })
    }
}

fn resolve_docker(source: &Source, image: &str, opts: &OpenOptions) -> Result<Resolved, Error> {
    let (entries, _): (Vec<DockerEntry>, _) =
        read_json(source, image, "manifest.json", "manifest", None)?;
    let entry = match &opts.reference {
        Some(wanted) => entries
            .iter()
            .find(|e| e.repo_tags.iter().flatten().any(|t| t == wanted))
            .ok_or_else(|| Error::ReferenceNotFound {
                image: image.to_string(),
                wanted: wanted.clone(),
                available: entries
                    .iter()
                    .flat_map(|e| e.repo_tags.iter().flatten().cloned())
                    .collect::<Vec<_>>()
                    .join(", "),
            })?,
        None => entries.first().ok_or_else(|| Error::InvalidManifest {
            file: "manifest.json".into(),
            reason: "lists no image".into(),
        })?,
    };
    let config_digest_from_name = digest_in_name(&entry.config);
    let (config, config_digest): (ImageConfig, _) = read_json(
        source,
        image,
        &entry.config,
        "config",
        config_digest_from_name.as_deref(),
    )?;
    let blobs = entry
        .layers
        .iter()
        .map(|l| LayerBlob {
            member: l.clone(),
            blob_digest: digest_in_name(l),
            diff_id: None,
        })
        .collect();
    let reference = entry
        .repo_tags
        .as_ref()
        .and_then(|t| t.first().cloned())
        .unwrap_or_else(|| image.to_string());
    finish(config, config_digest, &entry.config, reference, blobs)
}

/// `blobs/sha256/<hex>` and `<hex>.json` name their content's digest.
fn digest_in_name(name: &str) -> Option<String> {
    let hex_ok = |h: &str| h.len() == 64 && h.bytes().all(|b| b.is_ascii_hexdigit());
    let name = crate::tar::normalize(name);
    if let Some(h) = name.strip_prefix("blobs/sha256/") {
        return hex_ok(h).then(|| format!("sha256:{h}"));
    }
    let h = name.strip_suffix(".json")?;
    hex_ok(h).then(|| format!("sha256:{h}"))
}

struct Candidate {
    manifest: Descriptor,
    platform: Option<PlatformJson>,
    reference: Option<String>,
}

fn ref_name(d: &Descriptor) -> Option<String> {
    let a = d.annotations.as_ref()?;
    a.get("io.containerd.image.name")
        .or_else(|| a.get("org.opencontainers.image.ref.name"))
        .cloned()
}

fn is_attestation(d: &Descriptor) -> bool {
    let annotated = d
        .annotations
        .as_ref()
        .and_then(|a| a.get("vnd.docker.reference.type"))
        .is_some_and(|t| t == "attestation-manifest");
    let unknown = d
        .platform
        .as_ref()
        .is_some_and(|p| p.os == "unknown" && p.architecture == "unknown");
    annotated || unknown
}

fn collect_candidates(
    source: &Source,
    image: &str,
    descriptors: &[Descriptor],
    reference: Option<String>,
    depth: usize,
    out: &mut Vec<(Candidate, AnyManifest)>,
) -> Result<(), Error> {
    for d in descriptors.iter().filter(|d| !is_attestation(d)) {
        let name = blob_path(&d.digest, "index.json")?;
        let (m, _): (AnyManifest, _) =
            read_json(source, image, &name, "manifest", Some(&d.digest))?;
        let reference = ref_name(d).or_else(|| reference.clone());
        if let Some(children) = &m.manifests {
            if depth >= MAX_INDEX_DEPTH {
                return Err(Error::InvalidManifest {
                    file: name,
                    reason: "image indexes nested too deep".into(),
                });
            }
            collect_candidates(source, image, children, reference, depth + 1, out)?;
        } else {
            let candidate = Candidate {
                manifest: d.clone(),
                platform: d.platform.clone(),
                reference,
            };
            out.push((candidate, m));
        }
    }
    Ok(())
}

fn platform_text(p: &PlatformJson) -> String {
    match &p.variant {
        Some(v) if !v.is_empty() => format!("{}/{}/{}", p.os, p.architecture, v),
        _ => format!("{}/{}", p.os, p.architecture),
    }
}

fn matches(p: &PlatformJson, wanted: &Platform) -> bool {
    p.os == wanted.os
        && p.architecture == wanted.architecture
        && wanted
            .variant
            .as_ref()
            .is_none_or(|v| p.variant.as_ref() == Some(v))
}

fn resolve_oci(source: &Source, image: &str, opts: &OpenOptions) -> Result<Resolved, Error> {
    let (index, _): (AnyManifest, _) = read_json(source, image, "index.json", "index", None)?;
    let top = index.manifests.unwrap_or_default();
    let top: Vec<Descriptor> = match &opts.reference {
        Some(wanted) => {
            let chosen: Vec<_> = top
                .iter()
                .filter(|d| ref_name(d).as_ref() == Some(wanted))
                .cloned()
                .collect();
            if chosen.is_empty() {
                return Err(Error::ReferenceNotFound {
                    image: image.to_string(),
                    wanted: wanted.clone(),
                    available: top
                        .iter()
                        .filter_map(ref_name)
                        .collect::<Vec<_>>()
                        .join(", "),
                });
            }
            chosen
        }
        None => top,
    };
    let mut candidates = Vec::new();
    collect_candidates(source, image, &top, None, 0, &mut candidates)?;
    // A descriptor without a platform: the config says which platform it is.
    let must_choose = candidates.len() > 1;
    for (c, m) in candidates.iter_mut() {
        if c.platform.is_none() && must_choose {
            if let Some(cfg) = &m.config {
                let name = blob_path(&cfg.digest, "manifest")?;
                let (config, _): (ImageConfig, _) =
                    read_json(source, image, &name, "config", Some(&cfg.digest))?;
                c.platform = Some(PlatformJson {
                    os: config.os.unwrap_or_default(),
                    architecture: config.architecture.unwrap_or_default(),
                    variant: config.variant,
                });
            }
        }
    }
    let default_platform = Platform::linux_amd64();
    let wanted = opts.platform.as_ref();
    let pick = match wanted {
        Some(w) => candidates
            .iter()
            .position(|(c, _)| c.platform.as_ref().is_some_and(|p| matches(p, w))),
        None if candidates.len() == 1 => Some(0),
        None => candidates.iter().position(|(c, _)| {
            c.platform
                .as_ref()
                .is_some_and(|p| matches(p, &default_platform))
        }),
    };
    let Some(pick) = pick else {
        return Err(Error::PlatformNotFound {
            image: image.to_string(),
            wanted: wanted.unwrap_or(&default_platform).to_string(),
            available: candidates
                .iter()
                .map(|(c, _)| {
                    c.platform
                        .as_ref()
                        .map(platform_text)
                        .unwrap_or_else(|| "unknown".into())
                })
                .collect::<Vec<_>>()
                .join(", "),
        });
    };
    let (candidate, manifest) = candidates.swap_remove(pick);
    let manifest_file = blob_path(&candidate.manifest.digest, "index.json")?;
    let config_desc = manifest.config.ok_or_else(|| Error::InvalidManifest {
        file: manifest_file.clone(),
        reason: "no config descriptor".into(),
    })?;
    let config_name = blob_path(&config_desc.digest, &manifest_file)?;
    let (config, config_digest): (ImageConfig, _) = read_json(
        source,
        image,
        &config_name,
        "config",
        Some(&config_desc.digest),
    )?;
    let mut blobs = Vec::new();
    for l in manifest.layers.unwrap_or_default() {
        blobs.push(LayerBlob {
            member: blob_path(&l.digest, &manifest_file)?,
            blob_digest: Some(l.digest.clone()),
            diff_id: None,
        });
    }
    let reference = candidate.reference.unwrap_or_else(|| image.to_string());
    finish(config, config_digest, &config_name, reference, blobs)
}

fn finish(
    config: ImageConfig,
    config_digest: String,
    config_file: &str,
    reference: String,
    mut blobs: Vec<LayerBlob>,
) -> Result<Resolved, Error> {
    let diff_ids = config.rootfs.map(|r| r.diff_ids).unwrap_or_default();
    if !diff_ids.is_empty() && diff_ids.len() != blobs.len() {
        return Err(Error::InvalidManifest {
            file: config_file.to_string(),
            reason: format!(
                "config lists {} diff IDs but the manifest lists {} layers",
                diff_ids.len(),
                blobs.len()
            ),
        });
    }
    for (blob, diff_id) in blobs.iter_mut().zip(diff_ids) {
        blob.diff_id = Some(diff_id);
    }
    // History entries marked empty_layer made no layer; the others map to layers in order.
    let mut created_by = config
        .history
        .unwrap_or_default()
        .into_iter()
        .filter(|h| !h.empty_layer.unwrap_or(false))
        .map(|h| h.created_by);
    let layers = blobs
        .iter()
        .enumerate()
        .map(|(index, b)| LayerRef {
            index,
            digest: b
                .diff_id
                .clone()
                .or_else(|| b.blob_digest.clone())
                .unwrap_or_else(|| b.member.clone()),
            created_by: created_by.next().flatten(),
        })
        .collect();
    let cc = config.config.unwrap_or_default();
    let info = ImageInfo {
        reference,
        config_digest,
        os: config.os,
        architecture: config.architecture,
        layers,
        env: cc.env.unwrap_or_default(),
        labels: cc.labels.unwrap_or_default(),
        user: cc.user.filter(|u| !u.is_empty()),
    };
    Ok(Resolved {
        info,
        layers: blobs,
    })
}
