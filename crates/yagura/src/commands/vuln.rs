//! `yagura scan vuln|image|host`, `yagura sbom` and `yagura db`: package
//! inventory, advisory matching and the advisory database.

use crate::cli::{CommonScanArgs, DbCmd, SbomCmd, VulnArgs};
use crate::pipeline::Collected;
use crate::progress;
use anyhow::{bail, Context, Result};
use std::path::{Path, PathBuf};
use std::process::ExitCode;
use yagura_inventory::{Inventory, Target};
use yagura_model::package::VulnMatch;
use yagura_model::NotAssessedTarget;

/// The default advisory database: beside the findings store, never inside it,
/// so rebuilding one never touches the other.
pub fn vuln_db_path(explicit: Option<&Path>) -> PathBuf {
    explicit.map(Path::to_path_buf).unwrap_or_else(|| {
        dirs::data_dir()
            .unwrap_or_else(|| PathBuf::from("."))
            .join("yagura")
            .join("advisories.db")
    })
}

/// A vulnerability scan's results before evaluation: the findings (in
/// `collected`) and what SBOM outputs need besides.
pub struct VulnScan {
    pub collected: Collected,
    pub inventories: Vec<Inventory>,
    pub matches: Vec<VulnMatch>,
}

/// Targets named on the command line (`host` means the running host).
pub fn targets(paths: &[PathBuf]) -> Result<Vec<Target>> {
    paths
        .iter()
        .map(|p| {
            if p == Path::new("host") && !p.exists() {
                return Ok(Target::Host);
            }
            Target::detect(p).with_context(|| format!("{}", p.display()))
        })
        .collect()
}

fn exclude_fn(
    config: Option<&Path>,
    host_skip: Option<PathBuf>,
    verify_digests: bool,
) -> Result<yagura_inventory::Options> {
    let cfg = crate::pipeline::load_config(config)?;
    let ex = yagura_iac::discover::Exclude::new(&cfg.exclude_paths)
        .context("yagura.yaml: exclude_paths")?;
    let skip = host_skip.map(|p| p.display().to_string().trim_start_matches('/').to_string());
    Ok(yagura_inventory::Options {
        exclude: Some(std::sync::Arc::new(move |rel: &str| {
            if let Some(s) = &skip {
                if rel == s || rel.starts_with(&format!("{s}/")) {
                    return true;
                }
            }
            ex.matches(Path::new(""), Path::new(rel))
        })),
        verify_digests,
    })
}

/// Inventories every target; a target that cannot be read at all is an
/// error in the report, and the others are still scanned.
pub fn inventories(
    targets: &[Target],
    config: Option<&Path>,
    host_skip: Option<PathBuf>,
    verify_digests: bool,
    errors: &mut Vec<String>,
) -> Result<Vec<Inventory>> {
    let mut out = Vec::new();
    for t in targets {
        let opts = match t {
            // The project's exclusions are relative to the project folder;
            // on the host only the folder scanned separately is left out.
            Target::Host => exclude_fn(None, host_skip.clone(), verify_digests)?,
            _ => exclude_fn(config, None, verify_digests)?,
        };
        let pb = progress::spinner(&format!("reading packages of {}", t.label()));
        let started = std::time::Instant::now();
        let inv = yagura_inventory::collect(t, &opts);
        pb.finish_and_clear();
        match inv {
            Ok(inv) => {
                let by_source: Vec<String> = yagura_inventory::summary(&inv)
                    .iter()
                    .map(|(k, n)| format!("{} {n}", k.as_str()))
                    .collect();
                eprintln!(
                    "{}: {} package(s){}{} in {:.2} s, {} file(s) read, {} problem(s)",
                    inv.target,
                    inv.packages.len(),
                    if by_source.is_empty() {
                        String::new()
                    } else {
                        format!(" ({})", by_source.join(", "))
                    },
                    inv.distro
                        .as_ref()
                        .map(|d| format!(
                            ", {}",
                            d.pretty_name
                                .clone()
                                .unwrap_or_else(|| format!("{} {}", d.id, d.version_id))
                        ))
                        .unwrap_or_default(),
                    started.elapsed().as_secs_f64(),
                    inv.files_read,
                    inv.issues.len()
                );
                out.push(inv);
            }
            Err(e) => {
                tracing::error!("{}: {e}", t.label());
                errors.push(format!("{}: {e}", t.label()));
            }
        }
    }
    Ok(out)
}

/// What a vulnerability scan covers and how strict it is.
pub struct Request<'a> {
    /// The scan command (`vuln`, `host`, `image`), the prefix of the scope.
    pub kind: &'a str,
    pub targets: &'a [Target],
    pub args: &'a VulnArgs,
    pub vuln_db: Option<&'a Path>,
    /// Project configuration (exclusions) for non-host targets.
    pub config: Option<&'a Path>,
    /// Whether a missing advisory database is an error (explicit scans) or
    /// a not-assessed note (a bare `yagura scan`).
    pub required: bool,
    /// A folder the host walk leaves out because it is scanned on its own.
    pub host_skip: Option<PathBuf>,
}

/// Inventories, matches against the advisory database and makes findings.
/// Without a database the inventory is still reported; `required` decides
/// whether that is an error (an explicit vulnerability scan) or a note (a
/// bare `yagura scan`).
pub fn collect(req: Request<'_>) -> Result<VulnScan> {
    let Request {
        kind,
        targets,
        args,
        vuln_db,
        config,
        required,
        host_skip,
    } = req;
    let vex = read_vex(&args.vex)?;
    let scope = format!(
        "{kind}:{}",
        targets
            .iter()
            .map(|t| match t {
                Target::Host => format!("host:{}", hostname()),
                other => std::fs::canonicalize(other.label())
                    .map(|p| p.display().to_string())
                    .unwrap_or_else(|_| other.label()),
            })
            .collect::<Vec<_>>()
            .join(",")
    );
    let mut c = Collected::new(kind, scope);
    c.targets = targets.iter().map(Target::label).collect();
    let invs = inventories(
        targets,
        config,
        host_skip,
        args.verify_layers,
        &mut c.errors,
    )?;
    for inv in &invs {
        c.errors.extend(inv.issues.iter().map(|i| i.to_string()));
        c.not_assessed
            .extend(inv.notes.iter().map(|n| NotAssessedTarget {
                target: inv.target.clone(),
                reason: n.clone(),
            }));
    }
    let db_path = vuln_db_path(vuln_db);
    let db = match yagura_vulndb::VulnDb::open(&db_path) {
        Ok(db) => Some(db),
        Err(e) => {
            let msg = format!("vulnerabilities not checked: {e}");
            eprintln!("{msg}");
            if required {
                c.errors.push(msg);
            } else {
                c.not_assessed.push(NotAssessedTarget {
                    target: db_path.display().to_string(),
                    reason: msg,
                });
            }
            None
        }
    };
    let mut matches = Vec::new();
    if let Some(db) = db {
        let started = std::time::Instant::now();
        let opts = yagura_vuln::MatchOptions {
            ignore_unfixed: args.ignore_unfixed,
        };
        for inv in &invs {
            let keys: Vec<(usize, (&str, &str, &str))> = inv
                .packages
                .iter()
                .enumerate()
                .filter_map(|(i, p)| yagura_vuln::query_key(p).map(|k| (i, k)))
                .collect();
            let mut found = match_in_parallel(&db, &db_path, &inv.packages, &keys, opts)?;
            yagura_sbom::apply_vex(&vex, &mut found, inv.distro.as_ref());
            let target_scope = inv.target.clone();
            c.findings.extend(
                found
                    .iter()
                    .map(|m| yagura_vuln::finding_for(m, &target_scope)),
            );
            matches.extend(found);
        }
        tracing::info!("matched in {:.3} s", started.elapsed().as_secs_f64());
        let not_assessed = matches
            .iter()
            .filter(|m| {
                matches!(
                    m.state,
                    yagura_model::package::VulnState::NotAssessed { .. }
                )
            })
            .count();
        eprintln!(
            "vulnerabilities: {} in {} package(s){}",
            matches.len(),
            {
                let mut pk: Vec<_> = matches
                    .iter()
                    .map(|m| (&m.package.path, &m.package.name, &m.package.version))
                    .collect();
                pk.sort();
                pk.dedup();
                pk.len()
            },
            if not_assessed > 0 {
                format!(", {not_assessed} not assessed (version not comparable)")
            } else {
                String::new()
            }
        );
    }
    Ok(VulnScan {
        collected: c,
        inventories: invs,
        matches,
    })
}

/// Looks up and matches packages on every core: decoding candidate records
/// is most of the work, and each thread reads through its own connection.
fn match_in_parallel(
    db: &yagura_vulndb::VulnDb,
    db_path: &Path,
    packages: &[yagura_model::package::Package],
    keys: &[(usize, (&str, &str, &str))],
    opts: yagura_vuln::MatchOptions,
) -> Result<Vec<VulnMatch>> {
    let run = |db: &yagura_vulndb::VulnDb,
               part: &[(usize, (&str, &str, &str))]|
     -> Result<Vec<VulnMatch>> {
        // Binary packages of one source (libc6, libc-bin …) share their
        // advisories: each distinct key is looked up and decoded once.
        let mut index: std::collections::HashMap<(&str, &str), usize> = Default::default();
        let mut queries: Vec<(&str, &str)> = Vec::new();
        let slots: Vec<usize> = part
            .iter()
            .map(|(_, (e, n, _))| {
                *index.entry((*e, *n)).or_insert_with(|| {
                    queries.push((*e, *n));
                    queries.len() - 1
                })
            })
            .collect();
        let candidates = db
            .candidates_many(&queries)
            .with_context(|| format!("reading the advisory database {}", db_path.display()))?;
        let mut found = Vec::new();
        for ((i, _), slot) in part.iter().zip(slots) {
            if let (Some(p), Some(cands)) = (packages.get(*i), candidates.get(slot)) {
                found.extend(yagura_vuln::match_package(p, cands, opts));
            }
        }
        Ok(found)
    };
    let threads = std::thread::available_parallelism()
        .map_or(1, |n| n.get())
        .min(8);
    // Small inventories are not worth a thread.
    if threads < 2 || keys.len() < 64 {
        return run(db, keys);
    }
    let chunk = keys.len().div_ceil(threads);
    let mut parts = keys.chunks(chunk);
    let first = parts.next().unwrap_or_default();
    let rest: Vec<_> = parts.collect();
    let parts: Vec<Result<Vec<VulnMatch>>> = std::thread::scope(|scope| {
        let run = &run;
        // A connection is not shareable: other threads open their own, this
        // one keeps the caller's.
        let handles: Vec<_> = rest
            .into_iter()
            .map(|part| {
                scope.spawn(move || -> Result<Vec<VulnMatch>> {
                    let own = yagura_vulndb::VulnDb::open(db_path)?;
                    run(&own, part)
                })
            })
            .collect();
        let mut out = vec![run(db, first)];
        out.extend(handles.into_iter().map(|h| {
            h.join()
                .unwrap_or_else(|_| Err(anyhow::anyhow!("a matching thread panicked")))
        }));
        out
    });
    let mut all = Vec::new();
    for p in parts {
        all.extend(p?);
    }
    Ok(all)
}

fn read_vex(paths: &[PathBuf]) -> Result<Vec<yagura_sbom::VexStatement>> {
    let mut all = Vec::new();
    for p in paths {
        let bytes = std::fs::read(p).with_context(|| format!("--vex {}", p.display()))?;
        let st = yagura_sbom::read_vex(&bytes, &p.display().to_string())
            .with_context(|| format!("--vex {}", p.display()))?;
        all.extend(st);
    }
    Ok(all)
}

fn hostname() -> String {
    std::fs::read_to_string("/proc/sys/kernel/hostname")
        .or_else(|_| std::fs::read_to_string("/etc/hostname"))
        .map(|s| s.trim().to_string())
        .unwrap_or_else(|_| "localhost".into())
}

/// SBOM formats are rendered here (they need the whole inventory, not only
/// findings); the rest go through the common report pipeline.
pub fn split_sbom_formats(common: &CommonScanArgs) -> (CommonScanArgs, bool) {
    let mut rest = common.clone();
    let before = rest.format.len();
    rest.format.retain(|f| !f.eq_ignore_ascii_case("cyclonedx"));
    let wants = rest.format.len() != before;
    (rest, wants)
}

fn sbom_input<'a>(
    name: &'a str,
    inv: &'a Inventory,
    packages: &'a [yagura_model::package::Package],
    vulns: &'a [VulnMatch],
    timestamp: &'a str,
) -> yagura_sbom::SbomInput<'a> {
    yagura_sbom::SbomInput {
        name,
        distro: inv.distro.as_ref(),
        packages,
        vulnerabilities: vulns,
        tool_version: env!("CARGO_PKG_VERSION"),
        timestamp,
    }
}

/// One CycloneDX document for all targets of a scan.
pub fn cyclonedx_with_vulns(
    scan_name: &str,
    invs: &[Inventory],
    matches: &[VulnMatch],
) -> serde_json::Value {
    let packages: Vec<_> = invs
        .iter()
        .flat_map(|i| i.packages.iter().cloned())
        .collect();
    let ts = chrono::Utc::now().to_rfc3339_opts(chrono::SecondsFormat::Secs, true);
    let first = invs.first().cloned().unwrap_or_default();
    yagura_sbom::cyclonedx_json(&sbom_input(scan_name, &first, &packages, matches, &ts))
}

pub fn write_output(
    path: Option<&Path>,
    default_name: &str,
    doc: &serde_json::Value,
    several: bool,
) -> Result<()> {
    let text = serde_json::to_string_pretty(doc)?;
    match path {
        None => {
            use std::io::Write;
            let mut out = std::io::stdout().lock();
            out.write_all(text.as_bytes())?;
            out.write_all(b"\n")?;
        }
        Some(p) => {
            let file = if several {
                std::fs::create_dir_all(p).with_context(|| format!("creating {}", p.display()))?;
                p.join(default_name)
            } else {
                p.to_path_buf()
            };
            std::fs::write(&file, text).with_context(|| format!("writing {}", file.display()))?;
            eprintln!("wrote {}", file.display());
        }
    }
    Ok(())
}

pub fn sbom(cmd: SbomCmd) -> Result<ExitCode> {
    let fmt = cmd.format.to_ascii_lowercase();
    if fmt != "cyclonedx" && fmt != "spdx" {
        bail!("unknown SBOM format `{}` (cyclonedx, spdx)", cmd.format);
    }
    let targets = targets(std::slice::from_ref(&cmd.target))?;
    let mut errors = Vec::new();
    let invs = inventories(&targets, cmd.config.as_deref(), None, false, &mut errors)?;
    let Some(inv) = invs.into_iter().next() else {
        bail!("{}", errors.join("; "));
    };
    for i in &inv.issues {
        eprintln!("warning: {i}");
    }
    let ts = chrono::Utc::now().to_rfc3339_opts(chrono::SecondsFormat::Secs, true);
    let input = sbom_input(&inv.target, &inv, &inv.packages, &[], &ts);
    let doc = if fmt == "spdx" {
        yagura_sbom::spdx_json(&input)
    } else {
        yagura_sbom::cyclonedx_json(&input)
    };
    write_output(cmd.output.as_deref(), "sbom.json", &doc, false)?;
    // An SBOM missing what could not be read is still written, but the run
    // did not complete.
    Ok(if inv.issues.is_empty() {
        ExitCode::SUCCESS
    } else {
        ExitCode::from(2)
    })
}

pub fn db(cmd: DbCmd, vuln_db: Option<&Path>) -> Result<ExitCode> {
    let path = vuln_db_path(vuln_db);
    if let Some(dir) = path.parent() {
        std::fs::create_dir_all(dir).with_context(|| format!("creating {}", dir.display()))?;
    }
    match cmd {
        DbCmd::Import { paths } => {
            let mut sources = Vec::new();
            for p in &paths {
                let src =
                    yagura_vulndb::detect_source(p).with_context(|| format!("{}", p.display()))?;
                let name = std::fs::canonicalize(p)
                    .unwrap_or_else(|_| p.clone())
                    .display()
                    .to_string();
                sources.push((name, src));
            }
            let pb = progress::counter("importing advisories");
            let started = std::time::Instant::now();
            let report = yagura_vulndb::import(&path, &sources, &|n| pb.set_position(n))
                .with_context(|| format!("importing into {}", path.display()))?;
            pb.finish_and_clear();
            print_import(&report, started.elapsed().as_secs_f64(), &path);
            // Records converted lossily are imported; only skipped ones make the
            // import partial.
            Ok(if report.issues.iter().any(|i| i.skipped) {
                ExitCode::from(2)
            } else {
                ExitCode::SUCCESS
            })
        }
        DbCmd::Update { ecosystems, url } => {
            let ecosystems = if ecosystems.is_empty() {
                ecosystems_in_use(&path)?
            } else {
                ecosystems
            };
            if ecosystems.is_empty() {
                bail!("no ecosystem in use was found here; name them with --ecosystem (e.g. --ecosystem PyPI,npm,Debian)");
            }
            eprintln!(
                "updating {} from {url}: {}",
                path.display(),
                ecosystems.join(", ")
            );
            let cache_dir = path
                .parent()
                .map(|d| d.join("downloads"))
                .unwrap_or_else(|| PathBuf::from("downloads"));
            let mut opts = yagura_vulndb::UpdateOptions::new(ecosystems, cache_dir);
            opts.base_url = url;
            let pb = progress::counter("downloading advisories");
            let started = std::time::Instant::now();
            let report = yagura_vulndb::update(&path, &opts, &|p| match p {
                yagura_vulndb::UpdateProgress::Downloading {
                    ecosystem, bytes, ..
                } => {
                    pb.set_message(format!("downloading {ecosystem}"));
                    pb.set_position(*bytes);
                }
                yagura_vulndb::UpdateProgress::Importing { records } => {
                    pb.set_message("importing".to_string());
                    pb.set_position(*records);
                }
            })
            .with_context(|| format!("updating {}", path.display()))?;
            pb.finish_and_clear();
            let mut failed = 0;
            for e in &report.ecosystems {
                let what = match &e.outcome {
                    yagura_vulndb::UpdateOutcome::Downloaded {
                        bytes,
                        resumed_from,
                    } => format!(
                        "downloaded {:.1} MB{}",
                        *bytes as f64 / 1e6,
                        if *resumed_from > 0 {
                            format!(" (resumed at {resumed_from} bytes)")
                        } else {
                            String::new()
                        }
                    ),
                    yagura_vulndb::UpdateOutcome::NotModified => "unchanged".into(),
                    yagura_vulndb::UpdateOutcome::Failed(why) => {
                        failed += 1;
                        format!("FAILED: {why}")
                    }
                };
                eprintln!("{:<16} {what}  ({})", e.ecosystem, e.url);
            }
            match &report.import {
                Some(r) => print_import(r, started.elapsed().as_secs_f64(), &path),
                None => eprintln!("nothing changed; {} kept as it was", path.display()),
            }
            Ok(if failed > 0 {
                ExitCode::from(2)
            } else {
                ExitCode::SUCCESS
            })
        }
        DbCmd::Status { format } => {
            let db = yagura_vulndb::VulnDb::open(&path)?;
            let st = db.status()?;
            let age = chrono::DateTime::parse_from_rfc3339(&st.built_at)
                .map(|t| chrono::Utc::now().signed_duration_since(t))
                .ok();
            match format.as_str() {
                "json" => {
                    let doc = serde_json::json!({
                        "path": st.path,
                        "schema_version": st.schema_version,
                        "built_at": st.built_at,
                        "age_hours": age.map(|a| a.num_hours()),
                        "records": st.records,
                        "withdrawn": st.withdrawn,
                        "ecosystems": st.ecosystems.iter().map(|e| (e.ecosystem.clone(), serde_json::json!(e.records))).collect::<serde_json::Map<_, _>>(),
                        "sources": st.sources.iter().map(|s| serde_json::json!({
                            "name": s.name, "kind": s.kind, "location": s.location,
                            "fetched_at": s.fetched_at, "imported_at": s.imported_at,
                            "sha256": s.sha256, "etag": s.etag, "records": s.record_count,
                        })).collect::<Vec<_>>(),
                    });
                    println!("{}", serde_json::to_string_pretty(&doc)?);
                }
                "table" => {
                    println!("database  {}", st.path.display());
                    println!(
                        "built     {}{}",
                        st.built_at,
                        age.map(|a| format!(" ({} ago)", human_age(a)))
                            .unwrap_or_default()
                    );
                    println!("records   {} ({} withdrawn)", st.records, st.withdrawn);
                    println!("\n{:<40} RECORDS", "ECOSYSTEM");
                    for e in &st.ecosystems {
                        println!("{:<40} {}", e.ecosystem, e.records);
                    }
                    println!(
                        "\n{:<10} {:>8}  {:<22} LOCATION",
                        "KIND", "RECORDS", "IMPORTED"
                    );
                    for s in &st.sources {
                        println!(
                            "{:<10} {:>8}  {:<22} {}",
                            s.kind, s.record_count, s.imported_at, s.location
                        );
                    }
                }
                other => bail!("unknown format `{other}` for db status (table, json)"),
            }
            Ok(ExitCode::SUCCESS)
        }
    }
}

fn human_age(d: chrono::Duration) -> String {
    if d.num_days() >= 1 {
        format!("{} days", d.num_days())
    } else if d.num_hours() >= 1 {
        format!("{} hours", d.num_hours())
    } else {
        format!("{} minutes", d.num_minutes().max(0))
    }
}

fn print_import(report: &yagura_vulndb::ImportReport, secs: f64, path: &Path) {
    for s in &report.sources {
        eprintln!(
            "{:<10} {:>8} record(s), {} skipped  {}",
            s.kind, s.records, s.skipped, s.name
        );
    }
    if report.kept_records > 0 {
        eprintln!("kept {} record(s) of other sources", report.kept_records);
    }
    if let Some(why) = &report.previous_discarded {
        eprintln!("warning: the previous database was unreadable and was replaced: {why}");
    }
    eprintln!("{} record(s) in the database", report.total_records);
    for i in report.issues.iter().take(20) {
        eprintln!("warning: {i}");
    }
    if report.issues.len() > 20 {
        eprintln!("… and {} more problem(s)", report.issues.len() - 20);
    }
    eprintln!("imported into {} in {secs:.1} s", path.display());
}

/// Ecosystems to download when none are named: those the database already
/// has, else those of the packages on this host and in the current folder.
fn ecosystems_in_use(db_path: &Path) -> Result<Vec<String>> {
    if let Ok(db) = yagura_vulndb::VulnDb::open(db_path) {
        let st = db.status()?;
        let mut have: Vec<String> = st
            .ecosystems
            .iter()
            .map(|e| {
                e.ecosystem
                    .split(':')
                    .next()
                    .unwrap_or(&e.ecosystem)
                    .to_string()
            })
            .collect();
        have.sort();
        have.dedup();
        if !have.is_empty() {
            return Ok(have);
        }
    }
    let mut errors = Vec::new();
    let here = std::fs::canonicalize(".").ok();
    let invs = inventories(
        &[Target::Host, Target::Dir(".".into())],
        None,
        here,
        false,
        &mut errors,
    )?;
    let mut ecos: Vec<String> = invs
        .iter()
        .flat_map(|i| i.packages.iter())
        .map(|p| p.ecosystem_base().to_string())
        .filter(|e| !e.is_empty())
        .collect();
    ecos.sort();
    ecos.dedup();
    Ok(ecos)
}
