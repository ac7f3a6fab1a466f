//! Finding IaC files under the given paths and telling their formats apart.

use std::collections::{BTreeSet, HashMap};
use std::path::{Path, PathBuf};
use yagura_model::iac::ParseIssue;

/// Folders never descended into: VCS data, downloaded modules (read through
/// their callers), dependency caches and build output.
const SKIP_DIRS: &[&str] = &[
    ".git",
    ".hg",
    ".svn",
    ".terraform",
    "node_modules",
    ".venv",
    "venv",
    "__pycache__",
    "target",
    ".tox",
    ".idea",
    ".vscode",
];

/// Deeper trees than this are reported, not followed (symlink loops).
const MAX_DEPTH: usize = 64;

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum FileKind {
    TerraformHcl,
    TerraformPlan,
    CloudFormation,
    Kubernetes,
    Dockerfile,
    /// A YAML/JSON file that may be a template or a manifest; sniffed on read.
    Candidate,
}

#[derive(Debug, Default)]
pub struct Found {
    pub files: Vec<(PathBuf, FileKind)>,
    /// Folders holding `.tf` files, each loaded as one module.
    pub terraform_dirs: BTreeSet<PathBuf>,
    /// `.tf` files named directly on the command line: loaded alone, not with
    /// their whole folder.
    pub single_files: HashMap<PathBuf, Vec<PathBuf>>,
    pub issues: Vec<ParseIssue>,
    /// Paths deliberately not parsed, and why (Helm templates are not YAML yet).
    pub not_assessed: Vec<(String, String)>,
    walked_tf_dirs: BTreeSet<PathBuf>,
}

fn is_dockerfile_name(name: &str) -> bool {
    name == "Dockerfile"
        || name == "Containerfile"
        || name.ends_with(".Dockerfile")
        || name.ends_with(".dockerfile")
        || name.starts_with("Dockerfile.")
}

/// The format a file name suggests, if any.
pub fn classify(path: &Path) -> Option<FileKind> {
    let name = path.file_name()?.to_str()?;
    if name.ends_with(".tf") || name.ends_with(".tf.json") {
        return Some(FileKind::TerraformHcl);
    }
    if name.ends_with(".tfplan.json") {
        return Some(FileKind::TerraformPlan);
    }
    if is_dockerfile_name(name) {
        return Some(FileKind::Dockerfile);
    }
    let lower = name.to_ascii_lowercase();
    if lower.ends_with(".yaml")
        || lower.ends_with(".yml")
        || lower.ends_with(".json")
        || lower.ends_with(".template")
    {
        return Some(FileKind::Candidate);
    }
    None
}

/// Decides a candidate's format from its content; `None` means "not IaC".
pub fn refine(kind: FileKind, label: &str, text: &str) -> Option<FileKind> {
    match kind {
        FileKind::Candidate => sniff(label, text).filter(|k| *k != FileKind::Dockerfile),
        other => Some(other),
    }
}

/// Content-based detection, for candidates and stdin.
pub fn sniff(label: &str, text: &str) -> Option<FileKind> {
    let head = text.trim_start();
    if head.starts_with('{') && yagura_terraform::is_plan_json(text) {
        return Some(FileKind::TerraformPlan);
    }
    if yagura_cloudformation::is_template(text) {
        return Some(FileKind::CloudFormation);
    }
    if yagura_kubernetes::looks_like_kubernetes(text) {
        return Some(FileKind::Kubernetes);
    }
    if yagura_dockerfile::looks_like_dockerfile(label, text) {
        return Some(FileKind::Dockerfile);
    }
    None
}

/// Paths the user excluded (`exclude_paths` in yagura.yaml), matched against the
/// path relative to the folder being scanned.
#[derive(Debug, Clone, Default)]
pub struct Exclude(Option<globset::GlobSet>);

impl Exclude {
    pub fn new(patterns: &[String]) -> Result<Self, globset::Error> {
        if patterns.is_empty() {
            return Ok(Exclude(None));
        }
        let mut b = globset::GlobSetBuilder::new();
        for p in patterns {
            b.add(globset::Glob::new(p)?);
            // `dir` and `dir/` also exclude everything below.
            let trimmed = p.trim_end_matches('/');
            if !trimmed.ends_with("**") {
                b.add(globset::Glob::new(&format!("{trimmed}/**"))?);
            }
        }
        Ok(Exclude(Some(b.build()?)))
    }

    /// Whether `path` (below `root`) is excluded.
    pub fn matches(&self, root: &Path, path: &Path) -> bool {
        let Some(set) = &self.0 else { return false };
        let rel = path.strip_prefix(root).unwrap_or(path);
        let rel = rel.strip_prefix(".").unwrap_or(rel);
        set.is_match(rel)
    }
}

pub fn walk(paths: &[PathBuf], exclude: &Exclude) -> Found {
    let mut found = Found::default();
    for p in paths {
        match std::fs::metadata(p) {
            Ok(m) if m.is_dir() => walk_dir(p, p, exclude, 0, &mut found),
            Ok(_) => match classify(p) {
                Some(FileKind::TerraformHcl) => {
                    let dir = p.parent().map(Path::to_path_buf).unwrap_or_default();
                    found.terraform_dirs.insert(dir.clone());
                    found.single_files.entry(dir).or_default().push(p.clone());
                }
                Some(k) => found.files.push((p.clone(), k)),
                // Named explicitly: try it whatever its name.
                None => found.files.push((p.clone(), FileKind::Candidate)),
            },
            Err(e) => found.issues.push(ParseIssue {
                file: p.display().to_string(),
                line: None,
                message: format!("cannot read: {e}"),
            }),
        }
    }
    // A folder both walked and named file by file is loaded whole.
    let walked = std::mem::take(&mut found.walked_tf_dirs);
    found.single_files.retain(|d, _| !walked.contains(d));
    found
}

fn walk_dir(root: &Path, dir: &Path, exclude: &Exclude, depth: usize, found: &mut Found) {
    if depth > MAX_DEPTH {
        found.issues.push(ParseIssue {
            file: dir.display().to_string(),
            line: None,
            message: format!("not scanned: deeper than {MAX_DEPTH} folders (a symlink loop?)"),
        });
        return;
    }
    let entries = match std::fs::read_dir(dir) {
        Ok(e) => e,
        Err(e) => {
            found.issues.push(ParseIssue {
                file: dir.display().to_string(),
                line: None,
                message: format!("cannot list: {e}"),
            });
            return;
        }
    };
    let mut entries: Vec<_> = entries.flatten().collect();
    entries.sort_by_key(|e| e.file_name());
    let is_chart = entries.iter().any(|e| e.file_name() == "Chart.yaml");
    for e in entries {
        let path = e.path();
        if exclude.matches(root, &path) {
            continue;
        }
        let Ok(ft) = e.file_type() else { continue };
        if ft.is_dir() {
            let name = e.file_name();
            if SKIP_DIRS.iter().any(|s| name == *s) {
                continue;
            }
            if is_chart && name == "templates" {
                found.not_assessed.push((
                    path.display().to_string(),
                    "Helm chart templates are Go templates, not manifests: render them and scan \
                     the output (`helm template CHART | yagura scan iac -`)"
                        .into(),
                ));
                continue;
            }
            walk_dir(root, &path, exclude, depth + 1, found);
        } else if ft.is_file() || ft.is_symlink() {
            match classify(&path) {
                Some(FileKind::TerraformHcl) => {
                    found.terraform_dirs.insert(dir.to_path_buf());
                    found.walked_tf_dirs.insert(dir.to_path_buf());
                }
                Some(k) => found.files.push((path, k)),
                None => {}
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn exclusions_match_relative_paths_and_folders() {
        let ex = Exclude::new(&["tests/fixtures".into(), "**/*.generated.yaml".into()]).unwrap();
        let root = Path::new("./repo");
        assert!(ex.matches(root, Path::new("./repo/tests/fixtures/bad.tf")));
        assert!(ex.matches(root, Path::new("./repo/tests/fixtures")));
        assert!(ex.matches(root, Path::new("./repo/k8s/x.generated.yaml")));
        assert!(!ex.matches(root, Path::new("./repo/tests/unit.tf")));
        let dot = Exclude::new(&["vendor/**".into()]).unwrap();
        assert!(dot.matches(Path::new("."), Path::new("./vendor/a/main.tf")));
        assert!(Exclude::new(&["a/[".into()]).is_err());
    }

    #[test]
    fn names() {
        assert_eq!(
            classify(Path::new("a/main.tf")),
            Some(FileKind::TerraformHcl)
        );
        assert_eq!(
            classify(Path::new("p.tfplan.json")),
            Some(FileKind::TerraformPlan)
        );
        assert_eq!(
            classify(Path::new("x/Dockerfile")),
            Some(FileKind::Dockerfile)
        );
        assert_eq!(
            classify(Path::new("api.Dockerfile")),
            Some(FileKind::Dockerfile)
        );
        assert_eq!(classify(Path::new("k.YAML")), Some(FileKind::Candidate));
        assert_eq!(classify(Path::new("README.md")), None);
    }
}
