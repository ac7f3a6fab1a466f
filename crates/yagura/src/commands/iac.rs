//! `yagura scan iac` and `yagura scan secrets`: code before deploy.

use crate::cli::{IacArgs, SecretsArgs};
use crate::pipeline::Collected;
use crate::progress;
use anyhow::{bail, Context, Result};
use std::io::Read;
use std::path::{Path, PathBuf};
use yagura_model::NotAssessedTarget;

/// stdin is read whole; a render bigger than this is refused rather than
/// exhausting memory.
const MAX_STDIN_BYTES: u64 = 256 * 1024 * 1024;

fn pairs(flag: &str, values: &[String]) -> Result<Vec<(String, String)>> {
    values
        .iter()
        .map(|v| match v.split_once('=') {
            Some((k, val)) if !k.trim().is_empty() => Ok((k.trim().to_string(), val.to_string())),
            _ => bail!("{flag} {v}: expected NAME=VALUE"),
        })
        .collect()
}

fn is_stdin(paths: &[PathBuf]) -> bool {
    paths.len() == 1 && paths[0] == Path::new("-")
}

fn read_stdin() -> Result<String> {
    let mut buf = Vec::new();
    std::io::stdin()
        .take(MAX_STDIN_BYTES + 1)
        .read_to_end(&mut buf)
        .context("reading stdin")?;
    if buf.len() as u64 > MAX_STDIN_BYTES {
        bail!("stdin is larger than {} MiB", MAX_STDIN_BYTES / 1024 / 1024);
    }
    String::from_utf8(buf).context("stdin is not UTF-8 text")
}

fn scope(kind: &str, paths: &[PathBuf]) -> String {
    let shown: Vec<String> = paths
        .iter()
        .map(|p| {
            std::fs::canonicalize(p)
                .unwrap_or_else(|_| p.clone())
                .display()
                .to_string()
        })
        .collect();
    format!("{kind}:{}", shown.join(","))
}

pub fn collect_iac(
    paths: &[PathBuf],
    args: &IacArgs,
    secrets: Option<&SecretsArgs>,
    config: Option<&Path>,
) -> Result<Collected> {
    let exclude = exclusions(config)?;
    let opts = yagura_iac::Options {
        exclude: exclude.clone(),
        terraform: yagura_iac::TerraformOptions {
            vars: pairs("--var", &args.vars)?,
            var_files: args.var_files.clone(),
        },
        cfn_parameters: pairs("--cfn-parameter", &args.cfn_parameters)?,
    };
    for f in &args.var_files {
        if !f.is_file() {
            bail!("--var-file {}: no such file", f.display());
        }
    }
    let stdin_text = if is_stdin(paths) {
        Some(read_stdin()?)
    } else {
        None
    };
    let pb = progress::spinner("reading infrastructure code");
    let scan = match &stdin_text {
        Some(text) => yagura_iac::scan_text("<stdin>", text, &opts),
        None => yagura_iac::scan_paths(paths, &opts),
    };
    pb.finish_and_clear();
    let counts: Vec<String> = scan
        .file_counts()
        .iter()
        .map(|(k, n)| format!("{k} {n}"))
        .collect();
    eprintln!(
        "read {} IaC file(s){}: {} resource(s), {} problem(s)",
        scan.files.len(),
        if counts.is_empty() {
            String::new()
        } else {
            format!(" ({})", counts.join(", "))
        },
        scan.resources
            .iter()
            .filter(|r| r.kind != "yagura.suppression")
            .count(),
        scan.issues.len()
    );
    let mut c = Collected::new("iac", scope("iac", paths));
    c.targets = paths.iter().map(|p| p.display().to_string()).collect();
    c.errors = scan.issues.iter().map(|i| i.to_string()).collect();
    for e in &c.errors {
        tracing::error!("{e}");
    }
    c.not_assessed = scan
        .not_assessed
        .iter()
        .map(|(target, reason)| NotAssessedTarget {
            target: target.clone(),
            reason: reason.clone(),
        })
        .collect();
    c.resources = scan.resources;
    c.inline_suppressions = scan.suppressions;
    if let Some(s) = secrets {
        let found = match &stdin_text {
            Some(text) => scan_secrets_text(text, s)?,
            None => collect_secrets(paths, s, config)?,
        };
        c.findings.extend(found.findings);
        c.errors.extend(found.errors);
        c.not_assessed.extend(found.not_assessed);
    }
    Ok(c)
}

fn scanner(args: &SecretsArgs) -> Result<yagura_secrets::Scanner> {
    match &args.secrets_config {
        Some(p) => {
            let what = || format!("--secrets-config {}", p.display());
            let cfg = yagura_secrets::Config::from_gitleaks_toml(p).with_context(what)?;
            yagura_secrets::Scanner::new(cfg).with_context(what)
        }
        None => Ok(yagura_secrets::Scanner::new(
            yagura_secrets::Config::builtin(),
        )?),
    }
}

fn scan_secrets_text(text: &str, args: &SecretsArgs) -> Result<Collected> {
    let s = scanner(args)?;
    let found = s.scan_bytes("<stdin>", text.as_bytes());
    let mut c = Collected::new("secrets", "secrets:<stdin>".into());
    c.findings = found.iter().map(yagura_iac::secrets::to_finding).collect();
    Ok(c)
}

/// `exclude_paths` of the project configuration (`--config`, else ./yagura.yaml),
/// shared by code and secret scans.
fn exclusions(config: Option<&Path>) -> Result<yagura_iac::discover::Exclude> {
    let config = crate::pipeline::load_config(config)?;
    yagura_iac::discover::Exclude::new(&config.exclude_paths).context("yagura.yaml: exclude_paths")
}

pub fn collect_secrets(
    paths: &[PathBuf],
    args: &SecretsArgs,
    config: Option<&Path>,
) -> Result<Collected> {
    let s = scanner(args)?;
    let exclude = exclusions(config)?;
    let mut c = Collected::new("secrets", scope("secrets", paths));
    c.targets = paths.iter().map(|p| p.display().to_string()).collect();
    let (mut files, mut bytes) = (0u64, 0u64);
    let started = std::time::Instant::now();
    for p in paths {
        let pb = progress::spinner(&format!("scanning {} for secrets", p.display()));
        let out = if args.git_history {
            match s.scan_git_history(p) {
                Ok(o) => o,
                Err(e) => {
                    pb.finish_and_clear();
                    c.errors.push(format!("{}: git history: {e}", p.display()));
                    continue;
                }
            }
        } else {
            s.scan_path(p)
        };
        pb.finish_and_clear();
        files += out.files_scanned;
        // Files over the size cap were not looked at: say so, with the reason.
        c.not_assessed
            .extend(out.skipped.iter().map(|(path, why)| NotAssessedTarget {
                target: path.clone(),
                reason: format!("secrets not scanned: {why}"),
            }));
        bytes += out.bytes_scanned;
        let kept = out
            .findings
            .iter()
            .filter(|f| !exclude.matches(p, Path::new(&f.file)))
            .map(yagura_iac::secrets::to_finding);
        c.findings.extend(kept);
        c.errors.extend(
            out.errors
                .iter()
                .map(|(path, why)| format!("{path}: {why}")),
        );
    }
    let secs = started.elapsed().as_secs_f64().max(1e-6);
    eprintln!(
        "secrets: scanned {files} file(s), {:.1} MB in {secs:.2} s ({:.0} MB/s): {} finding(s)",
        bytes as f64 / 1e6,
        bytes as f64 / 1e6 / secs,
        c.findings.len()
    );
    Ok(c)
}

/// Folds several collections (a bare `yagura scan`) into one scan.
pub fn merge(kind: &str, parts: Vec<Collected>) -> Collected {
    let scope = parts
        .iter()
        .map(|p| p.scope.as_str())
        .collect::<Vec<_>>()
        .join("+");
    let mut all = Collected::new(kind, scope);
    for p in parts {
        all.targets.extend(p.targets);
        all.resources.extend(p.resources);
        all.not_assessed.extend(p.not_assessed);
        all.errors.extend(p.errors);
        all.findings.extend(p.findings);
        all.inline_suppressions.extend(p.inline_suppressions);
    }
    all
}

/// Files in an image larger than this are not scanned for secrets (the
/// secret scanner's own cap for folders applies the same reasoning).
const IMAGE_SECRET_MAX_FILE: u64 = 10 << 20;

/// Secrets in every layer of an image, deleted files included: a secret
/// removed by a later layer is still in the image for anyone who pulls it.
pub fn collect_image_secrets(image: &Path) -> Result<Collected> {
    let s = scanner(&SecretsArgs::default())?;
    let mut c = Collected::new("secrets", format!("secrets:{}", image.display()));
    let img = match yagura_image::Image::open(image) {
        Ok(i) => i,
        Err(e) => {
            c.errors
                .push(format!("{}: secrets not scanned: {e}", image.display()));
            return Ok(c);
        }
    };
    let pb = progress::spinner("scanning image layers for secrets");
    let started = std::time::Instant::now();
    let (mut files, mut bytes) = (0u64, 0u64);
    let mut findings = Vec::new();
    let label = image.display().to_string();
    let result = img.walk(
        |path, meta| meta.size > 0 && meta.size <= IMAGE_SECRET_MAX_FILE && !secret_noise(path),
        |layer, path, _meta, reader| -> Result<(), std::io::Error> {
            let mut data = Vec::new();
            reader.read_to_end(&mut data)?;
            // Binaries: the detectors are for text.
            if data.iter().take(8192).any(|b| *b == 0) {
                return Ok(());
            }
            files += 1;
            bytes += data.len() as u64;
            let file_label = format!("{label}!/{path} (layer {layer})");
            findings.extend(s.scan_bytes(&file_label, &data));
            Ok(())
        },
    );
    pb.finish_and_clear();
    match result {
        Ok(overlay) => {
            for e in &overlay.errors {
                c.errors.push(format!("{label}: {e}"));
            }
        }
        Err(e) => c.errors.push(format!("{label}: secrets: {e}")),
    }
    eprintln!(
        "secrets: scanned {files} file(s) in the image's layers, {:.1} MB in {:.2} s: {} finding(s)",
        bytes as f64 / 1e6,
        started.elapsed().as_secs_f64(),
        findings.len()
    );
    c.findings = findings
        .iter()
        .map(yagura_iac::secrets::to_finding)
        .collect();
    Ok(c)
}

/// Package-manager data and documentation: large, never hand-written, and
/// full of hashes that look like keys.
fn secret_noise(path: &str) -> bool {
    const PREFIXES: &[&str] = &[
        "usr/share/doc/",
        "usr/share/man/",
        "usr/share/locale/",
        "usr/share/zoneinfo/",
        "usr/share/i18n/",
        "var/lib/dpkg/",
        "var/lib/apt/lists/",
        "var/cache/",
        "usr/include/",
        "etc/ssl/certs/",
        "usr/share/ca-certificates/",
    ];
    PREFIXES.iter().any(|p| path.starts_with(p))
}
