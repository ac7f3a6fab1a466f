//! Infrastructure-as-code scanning: finds the files under the given paths, hands
//! each to its parser (Terraform HCL and plan JSON, CloudFormation, Kubernetes,
//! Dockerfile), maps provider resources onto normalized resources, and collects
//! inline suppressions. Evaluation happens elsewhere, on the same checks as the
//! cloud: a Terraform bucket and a live bucket meet the same `AWS-S3-*` checks.
//!
//! Invariant: a file that cannot be read or parsed becomes a [`ParseIssue`]
//! naming it; everything else is still scanned.

pub use yagura_terraform::Options as TerraformOptions;

pub mod discover;
pub mod secrets;
pub mod suppress;

use discover::{FileKind, Found};
use std::collections::HashMap;
use std::path::{Path, PathBuf};
use yagura_model::iac::{ParseIssue, RawResource};
use yagura_model::Resource;

pub use suppress::InlineSuppression;

#[derive(Debug, Clone, Default)]
pub struct Options {
    pub terraform: yagura_terraform::Options,
    /// CloudFormation parameter overrides (`Name=Value`).
    pub cfn_parameters: Vec<(String, String)>,
    /// Paths not to scan.
    pub exclude: discover::Exclude,
}

/// What an IaC scan produced, before evaluation.
#[derive(Debug, Default)]
pub struct IacScan {
    pub resources: Vec<Resource>,
    pub issues: Vec<ParseIssue>,
    /// Files read, by format: `("terraform", path)`.
    pub files: Vec<(&'static str, String)>,
    pub suppressions: Vec<InlineSuppression>,
    /// Paths deliberately not parsed, and why.
    pub not_assessed: Vec<(String, String)>,
}

impl IacScan {
    fn absorb(&mut self, other: IacScan) {
        self.not_assessed.extend(other.not_assessed);
        self.resources.extend(other.resources);
        self.issues.extend(other.issues);
        self.files.extend(other.files);
        self.suppressions.extend(other.suppressions);
    }

    /// How many files of each format were read.
    pub fn file_counts(&self) -> std::collections::BTreeMap<&'static str, usize> {
        let mut m = std::collections::BTreeMap::new();
        for (f, _) in &self.files {
            *m.entry(*f).or_insert(0) += 1;
        }
        m
    }
}

fn adapt_terraform(raw: &[RawResource]) -> Vec<Resource> {
    let mut out = yagura_terraform_aws::adapt(raw);
    out.extend(yagura_terraform_azure_gcp::adapt(raw));
    out
}

/// Makes IaC ids unique across files and folders: two root modules may both
/// declare `aws_s3_bucket.logs`.
fn qualify_ids(resources: &mut [Resource], scope: &str) {
    for r in resources {
        if !r.id.starts_with(scope) {
            r.id = format!("{scope}#{}", r.id);
        }
    }
}

fn split_lines(text: &str) -> Vec<String> {
    text.lines().map(str::to_string).collect()
}

/// Scans files and folders.
pub fn scan_paths(paths: &[PathBuf], opts: &Options) -> IacScan {
    let found = discover::walk(paths, &opts.exclude);
    let mut scan = IacScan {
        issues: found.issues.clone(),
        not_assessed: found.not_assessed.clone(),
        ..Default::default()
    };
    scan.absorb(scan_terraform_dirs(&found, opts));
    for (path, kind) in &found.files {
        if *kind == FileKind::TerraformHcl {
            continue;
        }
        scan.absorb(scan_file(path, *kind, opts));
    }
    finish(scan)
}

/// Scans text read from stdin (`-`): a Helm render, a template, a manifest, a
/// Dockerfile or a plan; the format is detected from the content.
pub fn scan_text(label: &str, text: &str, opts: &Options) -> IacScan {
    if text.trim().is_empty() {
        return IacScan {
            not_assessed: vec![(label.to_string(), "empty input: nothing to scan".into())],
            ..Default::default()
        };
    }
    let kind = discover::sniff(label, text);
    let mut scan = match kind {
        Some(k) => scan_content(label, text, k, opts),
        None => IacScan {
            issues: vec![ParseIssue {
                file: label.to_string(),
                line: None,
                message: "not a Kubernetes manifest, CloudFormation template, Terraform plan or Dockerfile".into(),
            }],
            ..Default::default()
        },
    };
    let lines = HashMap::from([(label.to_string(), split_lines(text))]);
    scan.suppressions
        .extend(suppress::from_comments(&scan.resources, &lines));
    finish(scan)
}

fn finish(mut scan: IacScan) -> IacScan {
    scan.suppressions
        .extend(suppress::from_annotations(&scan.resources));
    let extra: Vec<Resource> = scan
        .suppressions
        .iter()
        .map(InlineSuppression::as_resource)
        .collect();
    scan.resources.extend(extra);
    scan
}

fn scan_file(path: &Path, kind: FileKind, opts: &Options) -> IacScan {
    let label = path.display().to_string();
    if kind == FileKind::TerraformPlan {
        let out = yagura_terraform::load_plan_json(path);
        let mut resources = adapt_terraform(&out.resources);
        qualify_ids(&mut resources, &label);
        return IacScan {
            resources,
            issues: out.issues,
            files: vec![("terraform-plan", label)],
            ..Default::default()
        };
    }
    let text = match yagura_terraform::read_source(path) {
        Ok(t) => t,
        Err(issue) => {
            return IacScan {
                issues: vec![issue],
                ..Default::default()
            }
        }
    };
    // Files found by extension are sniffed: a YAML file may be neither format.
    let Some(kind) = discover::refine(kind, &label, &text) else {
        return IacScan::default();
    };
    let mut scan = scan_content(&label, &text, kind, opts);
    let lines = HashMap::from([(label, split_lines(&text))]);
    scan.suppressions
        .extend(suppress::from_comments(&scan.resources, &lines));
    scan
}

fn scan_content(label: &str, text: &str, kind: FileKind, opts: &Options) -> IacScan {
    match kind {
        FileKind::CloudFormation => {
            let cfn_opts = yagura_cloudformation::Options {
                parameters: opts.cfn_parameters.clone(),
            };
            let out = yagura_cloudformation::load_template(label, text, &cfn_opts);
            let mut resources = yagura_cloudformation::adapt(&out.resources);
            qualify_ids(&mut resources, label);
            IacScan {
                resources,
                issues: out.issues,
                files: vec![("cloudformation", label.to_string())],
                ..Default::default()
            }
        }
        FileKind::Kubernetes => {
            let out = yagura_kubernetes::load(label, text);
            IacScan {
                resources: out.resources,
                issues: out.issues,
                files: vec![("kubernetes", label.to_string())],
                ..Default::default()
            }
        }
        FileKind::Dockerfile => {
            let out = yagura_dockerfile::load(label, text);
            IacScan {
                resources: out.resources,
                issues: out.issues,
                files: vec![("dockerfile", label.to_string())],
                ..Default::default()
            }
        }
        FileKind::TerraformPlan => {
            // Plans from stdin go through a temporary file: the loader reads paths.
            match tempfile::NamedTempFile::new().and_then(|mut f| {
                std::io::Write::write_all(&mut f, text.as_bytes())?;
                Ok(f)
            }) {
                Ok(f) => {
                    let mut scan = scan_file(f.path(), FileKind::TerraformPlan, opts);
                    for r in &mut scan.resources {
                        if let Some(l) = &mut r.location {
                            l.file = label.to_string();
                        }
                    }
                    scan.files = vec![("terraform-plan", label.to_string())];
                    scan
                }
                Err(e) => IacScan {
                    issues: vec![ParseIssue {
                        file: label.to_string(),
                        line: None,
                        message: format!("cannot buffer the plan: {e}"),
                    }],
                    ..Default::default()
                },
            }
        }
        FileKind::TerraformHcl | FileKind::Candidate => IacScan {
            issues: vec![ParseIssue {
                file: label.to_string(),
                line: None,
                message: "Terraform HCL is read per folder, not from stdin; pass the folder".into(),
            }],
            ..Default::default()
        },
    }
}

/// Terraform: each folder of `.tf` files is a module. A folder that another
/// folder calls as a local module is scanned through its caller only, so its
/// resources are evaluated with real inputs and reported once.
fn scan_terraform_dirs(found: &Found, opts: &Options) -> IacScan {
    let mut dirs: Vec<&PathBuf> = found.terraform_dirs.iter().collect();
    dirs.sort();
    let mut per_dir: Vec<(PathBuf, yagura_terraform::Output)> = Vec::new();
    for dir in dirs {
        let out = match found.single_files.get(dir) {
            Some(files) => yagura_terraform::load_files(files, &opts.terraform),
            None => yagura_terraform::load_module_dir(dir, &opts.terraform),
        };
        per_dir.push((dir.clone(), out));
    }
    // Folders whose files some other folder read as a module.
    let mut called: std::collections::HashSet<PathBuf> = std::collections::HashSet::new();
    for (dir, out) in &per_dir {
        for f in &out.files {
            let parent = f.parent().map(Path::to_path_buf).unwrap_or_default();
            if &parent != dir && !is_same_dir(&parent, dir) {
                called.insert(normalize(&parent));
            }
        }
    }
    let mut scan = IacScan::default();
    let mut lines: HashMap<String, Vec<String>> = HashMap::new();
    for (dir, out) in per_dir {
        if called.contains(&normalize(&dir)) {
            continue;
        }
        let mut resources = adapt_terraform(&out.resources);
        qualify_ids(&mut resources, &dir.display().to_string());
        for f in &out.files {
            let label = f.display().to_string();
            if !lines.contains_key(&label) {
                if let Ok(text) = std::fs::read_to_string(f) {
                    lines.insert(label.clone(), split_lines(&text));
                }
            }
            scan.files.push(("terraform", label));
        }
        scan.suppressions
            .extend(suppress::from_comments(&resources, &lines));
        scan.resources.extend(resources);
        scan.issues.extend(out.issues);
    }
    scan
}

fn normalize(p: &Path) -> PathBuf {
    std::fs::canonicalize(p).unwrap_or_else(|_| p.to_path_buf())
}

fn is_same_dir(a: &Path, b: &Path) -> bool {
    normalize(a) == normalize(b)
}
