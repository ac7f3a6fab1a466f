//! Compliance frameworks are data files under `frameworks/`, embedded at build time.

use serde::Deserialize;
use std::sync::OnceLock;

#[derive(Debug, Clone, Deserialize)]
pub struct Framework {
    pub id: String,
    pub name: String,
    pub version: String,
    pub controls: Vec<Control>,
}

#[derive(Debug, Clone, Deserialize)]
pub struct Control {
    pub id: String,
    pub title: String,
    /// Whether the control can be checked by a machine at all; manual controls are
    /// listed in reports but never count towards the pass rate.
    #[serde(default = "yes")]
    pub automated: bool,
    #[serde(default)]
    pub section: Option<String>,
}

fn yes() -> bool {
    true
}

#[derive(Debug, thiserror::Error)]
#[error("framework file {file}: {source}")]
pub struct FrameworkError {
    pub file: &'static str,
    #[source]
    pub source: serde_yaml::Error,
}

const FILES: &[(&str, &str)] = &[
    (
        "cis-aws-3.0.yaml",
        include_str!("../frameworks/cis-aws-3.0.yaml"),
    ),
    (
        "nist-800-53-r5.yaml",
        include_str!("../frameworks/nist-800-53-r5.yaml"),
    ),
    (
        "pci-dss-4.0.yaml",
        include_str!("../frameworks/pci-dss-4.0.yaml"),
    ),
    (
        "cis-kubernetes-1.9.yaml",
        include_str!("../frameworks/cis-kubernetes-1.9.yaml"),
    ),
    ("k8s-pss.yaml", include_str!("../frameworks/k8s-pss.yaml")),
    (
        "nsa-cisa-k8s-1.2.yaml",
        include_str!("../frameworks/nsa-cisa-k8s-1.2.yaml"),
    ),
    (
        "cis-docker-1.6.yaml",
        include_str!("../frameworks/cis-docker-1.6.yaml"),
    ),
    (
        "cis-azure-2.1.yaml",
        include_str!("../frameworks/cis-azure-2.1.yaml"),
    ),
    (
        "cis-gcp-3.0.yaml",
        include_str!("../frameworks/cis-gcp-3.0.yaml"),
    ),
];

fn load() -> Result<Vec<Framework>, FrameworkError> {
    FILES
        .iter()
        .map(|(file, text)| {
            serde_yaml::from_str(text).map_err(|source| FrameworkError { file, source })
        })
        .collect()
}

/// All embedded frameworks. The files are part of the build and a test parses
/// them, so a parse failure here is a build defect; it degrades to an empty list.
pub fn frameworks() -> &'static [Framework] {
    static ALL: OnceLock<Vec<Framework>> = OnceLock::new();
    ALL.get_or_init(|| load().unwrap_or_default())
}

pub fn framework(id: &str) -> Option<&'static Framework> {
    frameworks().iter().find(|f| f.id == id)
}

impl Framework {
    pub fn control(&self, id: &str) -> Option<&Control> {
        self.controls.iter().find(|c| c.id == id)
    }
}

#[cfg(test)]
pub(crate) fn load_strict() -> Result<Vec<Framework>, FrameworkError> {
    load()
}
