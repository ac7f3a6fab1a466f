//! The terminal summary. Every data string goes through `one_line` first: a
//! resource name with an escape sequence must not be able to repaint the screen.

use crate::summary::{framework_summary, FrameworkSummary, StatusCounts};
use crate::text::{duration, is_muted, one_line, resource_label, truncate};
use crate::RenderOptions;
use std::collections::BTreeMap;
use std::io::{self, Write};
use yagura_model::{Finding, ScanReport, Severity, Status};

/// How many failing findings are listed before pointing at a machine format.
pub const MAX_LISTED: usize = 50;
/// How many failing checks the "top" section shows.
const TOP_CHECKS: usize = 10;
/// Not-assessed targets and errors listed before summarising the rest.
const MAX_NOTES: usize = 20;

const RESOURCE_WIDTH: usize = 48;
const MESSAGE_WIDTH: usize = 80;
const TITLE_WIDTH: usize = 60;

struct Style {
    color: bool,
}

impl Style {
    fn paint(&self, s: &str, code: &str) -> String {
        if self.color && !s.is_empty() {
            format!("\x1b[{code}m{s}\x1b[0m")
        } else {
            s.to_string()
        }
    }

    fn bold(&self, s: &str) -> String {
        self.paint(s, "1")
    }

    fn dim(&self, s: &str) -> String {
        self.paint(s, "2")
    }

    fn severity(&self, sev: Severity, s: &str) -> String {
        let code = match sev {
            Severity::Critical => "1;31",
            Severity::High => "31",
            Severity::Medium => "33",
            Severity::Low => "36",
            Severity::Info => "2",
        };
        self.paint(s, code)
    }

    fn status(&self, status: &str, s: &str) -> String {
        let code = match status {
            "PASS" => "32",
            "FAIL" => "31",
            "MUTED" => "35",
            _ => "33",
        };
        self.paint(s, code)
    }

    fn rate(&self, rate: Option<f64>, s: &str) -> String {
        match rate {
            Some(r) if r >= 0.9 => self.paint(s, "32"),
            Some(r) if r >= 0.7 => self.paint(s, "33"),
            Some(_) => self.paint(s, "31"),
            None => self.dim(s),
        }
    }
}

/// Left-aligned to `width` visible characters.
fn pad(s: &str, width: usize) -> String {
    let n = s.chars().count();
    let mut out = s.to_string();
    out.extend(std::iter::repeat_n(' ', width.saturating_sub(n)));
    out
}

/// Right-aligned to `width` visible characters.
fn rpad(s: &str, width: usize) -> String {
    let n = s.chars().count();
    let mut out: String = std::iter::repeat_n(' ', width.saturating_sub(n)).collect();
    out.push_str(s);
    out
}

fn width_of<'a>(header: &str, cells: impl Iterator<Item = &'a str>) -> usize {
    cells
        .map(|c| c.chars().count())
        .chain(std::iter::once(header.chars().count()))
        .max()
        .unwrap_or(0)
}

pub fn percent(rate: Option<f64>) -> String {
    match rate {
        Some(r) => format!("{:.1}%", r * 100.0),
        None => "n/a".to_string(),
    }
}

fn bar(rate: Option<f64>, width: usize) -> String {
    match rate {
        Some(r) => {
            let filled = ((r.clamp(0.0, 1.0) * width as f64).round() as usize).min(width);
            let mut s = "█".repeat(filled);
            s.push_str(&"░".repeat(width - filled));
            s
        }
        None => "·".repeat(width),
    }
}

fn status_rank(f: &Finding) -> u8 {
    match f.display_status() {
        "FAIL" => 0,
        "MUTED" => 1,
        "NOT_ASSESSED" => 2,
        _ => 3,
    }
}

pub fn render(report: &ScanReport, opts: &RenderOptions, out: &mut dyn Write) -> io::Result<()> {
    let st = Style { color: opts.color };
    let findings = &report.findings;

    // Header.
    writeln!(
        out,
        "{} {}  {} {}",
        st.bold("yagura scan"),
        st.bold(&one_line(&report.id)),
        st.dim("scope"),
        one_line(&report.scope)
    )?;
    writeln!(
        out,
        "{} {}  {} {}  {} {}  {} {}  {} {}",
        st.dim("kind"),
        one_line(&report.kind),
        st.dim("started"),
        report.started.format("%Y-%m-%d %H:%M:%S UTC"),
        st.dim("duration"),
        duration(report.started, report.finished),
        st.dim("resources"),
        report.resource_count,
        st.dim("findings"),
        findings.len()
    )?;
    writeln!(out)?;

    // Counts by status and by severity of open failures.
    let counts = StatusCounts::of(findings);
    let status_cells = [
        ("PASS", counts.pass),
        ("FAIL", counts.fail),
        ("MUTED", counts.muted),
        ("NOT_ASSESSED", counts.not_assessed),
    ];
    let mut line = pad("Status", 10);
    for (label, n) in status_cells {
        line.push_str(&st.status(label, &format!("{label} {n}")));
        line.push_str("   ");
    }
    writeln!(out, "{}", line.trim_end())?;

    let open: Vec<&Finding> = findings.iter().filter(|f| f.is_open_failure()).collect();
    let mut line = pad("Failures", 10);
    for sev in Severity::ALL {
        let n = open.iter().filter(|f| f.severity == sev).count();
        line.push_str(&st.severity(sev, &format!("{} {n}", sev.as_str())));
        line.push_str("   ");
    }
    writeln!(out, "{}", line.trim_end())?;
    writeln!(out)?;

    by_service(out, &st, findings)?;
    top_checks(out, &st, &open)?;
    findings_list(out, &st, findings, opts.show_passed)?;
    notes(out, &st, report)?;
    compliance(out, &st, findings)?;
    Ok(())
}

fn by_service(out: &mut dyn Write, st: &Style, findings: &[Finding]) -> io::Result<()> {
    if findings.is_empty() {
        return Ok(());
    }
    let mut services: BTreeMap<String, StatusCounts> = BTreeMap::new();
    for f in findings {
        let svc = one_line(f.resource.service());
        let svc = if svc.is_empty() {
            one_line(&f.resource.kind)
        } else {
            svc
        };
        let svc = if svc.is_empty() {
            "(unknown)".to_string()
        } else {
            svc
        };
        services.entry(svc).or_default().add(f);
    }
    let mut rows: Vec<(String, StatusCounts)> = services.into_iter().collect();
    rows.sort_by(|a, b| b.1.fail.cmp(&a.1.fail).then_with(|| a.0.cmp(&b.0)));
    let w = width_of("SERVICE", rows.iter().map(|r| r.0.as_str()));
    writeln!(out, "{}", st.bold("By service"))?;
    writeln!(
        out,
        "  {}  {}  {}  {}  {}",
        st.dim(&pad("SERVICE", w)),
        st.dim(&rpad("PASS", 6)),
        st.dim(&rpad("FAIL", 6)),
        st.dim(&rpad("MUTED", 6)),
        st.dim(&rpad("NOT_ASSESSED", 12))
    )?;
    for (svc, c) in &rows {
        let fail = rpad(&c.fail.to_string(), 6);
        let fail = if c.fail > 0 {
            st.status("FAIL", &fail)
        } else {
            fail
        };
        writeln!(
            out,
            "  {}  {}  {}  {}  {}",
            pad(svc, w),
            rpad(&c.pass.to_string(), 6),
            fail,
            rpad(&c.muted.to_string(), 6),
            rpad(&c.not_assessed.to_string(), 12)
        )?;
    }
    writeln!(out)
}

fn top_checks(out: &mut dyn Write, st: &Style, open: &[&Finding]) -> io::Result<()> {
    if open.is_empty() {
        return Ok(());
    }
    let mut by_check: BTreeMap<&str, (usize, &str, Severity)> = BTreeMap::new();
    for f in open {
        let e = by_check
            .entry(&f.check)
            .or_insert((0, &f.title, f.severity));
        e.0 += 1;
    }
    let mut rows: Vec<(&str, (usize, &str, Severity))> = by_check.into_iter().collect();
    rows.sort_by(|a, b| {
        b.1 .0
            .cmp(&a.1 .0)
            .then(b.1 .2.cmp(&a.1 .2))
            .then_with(|| a.0.cmp(b.0))
    });
    let rows: Vec<(String, usize, String, Severity)> = rows
        .into_iter()
        .take(TOP_CHECKS)
        .map(|(code, (n, title, sev))| {
            (
                one_line(code),
                n,
                truncate(&one_line(title), TITLE_WIDTH),
                sev,
            )
        })
        .collect();
    let w = width_of("CHECK", rows.iter().map(|r| r.0.as_str()));
    let heading = format!(
        "Top failing checks ({} of {})",
        rows.len(),
        plural(count_checks(open), "check", "checks")
    );
    writeln!(out, "{}", st.bold(&heading))?;
    writeln!(
        out,
        "  {}  {}  {}",
        st.dim(&pad("CHECK", w)),
        st.dim(&rpad("COUNT", 5)),
        st.dim("TITLE")
    )?;
    for (code, n, title, sev) in rows {
        writeln!(
            out,
            "  {}  {}  {}",
            st.severity(sev, &pad(&code, w)),
            rpad(&n.to_string(), 5),
            title
        )?;
    }
    writeln!(out)
}

fn count_checks(open: &[&Finding]) -> usize {
    let mut codes: Vec<&str> = open.iter().map(|f| f.check.as_str()).collect();
    codes.sort_unstable();
    codes.dedup();
    codes.len()
}

fn findings_list(
    out: &mut dyn Write,
    st: &Style,
    findings: &[Finding],
    show_passed: bool,
) -> io::Result<()> {
    let mut rows: Vec<&Finding> = if show_passed {
        findings.iter().collect()
    } else {
        findings.iter().filter(|f| f.is_open_failure()).collect()
    };
    if rows.is_empty() {
        if !findings.is_empty() && !show_passed {
            writeln!(out, "{}\n", st.status("PASS", "No open failures."))?;
        }
        return Ok(());
    }
    rows.sort_by(|a, b| {
        status_rank(a)
            .cmp(&status_rank(b))
            .then(b.severity.cmp(&a.severity))
            .then_with(|| a.check.cmp(&b.check))
            .then_with(|| a.resource.id.cmp(&b.resource.id))
    });
    let total = rows.len();
    let shown = &rows[..total.min(MAX_LISTED)];

    struct Row {
        status: &'static str,
        severity: Severity,
        check: String,
        resource: String,
        region: String,
        message: String,
    }
    // Package vulnerabilities have no region; their third column is the
    // version that fixes them, and the message says where the package is.
    let vulns = shown.iter().filter(|f| f.vulnerability.is_some()).count();
    let place_head = match (vulns, shown.len() - vulns) {
        (0, _) => "REGION",
        (_, 0) => "FIXED IN",
        _ => "REGION/FIXED IN",
    };
    let cells: Vec<Row> = shown
        .iter()
        .map(|f| match &f.vulnerability {
            Some(v) => Row {
                status: f.display_status(),
                severity: f.severity,
                check: one_line(&f.check),
                resource: truncate(&one_line(resource_label(f)), RESOURCE_WIDTH),
                region: if v.fixed_versions.is_empty() {
                    "-".into()
                } else {
                    truncate(&one_line(&v.fixed_versions.join(", ")), 24)
                },
                message: truncate(
                    &one_line(&format!(
                        "{} [{}{}]",
                        f.title,
                        v.package.path,
                        v.package
                            .layer
                            .as_ref()
                            .map(|l| format!(", layer {}", l.index))
                            .unwrap_or_default()
                    )),
                    MESSAGE_WIDTH,
                ),
            },
            None => Row {
                status: f.display_status(),
                severity: f.severity,
                check: one_line(&f.check),
                resource: truncate(&one_line(resource_label(f)), RESOURCE_WIDTH),
                region: f
                    .resource
                    .region
                    .as_deref()
                    .map(one_line)
                    .unwrap_or_else(|| "-".into()),
                message: truncate(&one_line(&f.message), MESSAGE_WIDTH),
            },
        })
        .collect();
    let w_status = width_of("STATUS", cells.iter().map(|r| r.status));
    let w_sev = width_of("SEVERITY", cells.iter().map(|r| r.severity.as_str()));
    let w_check = width_of("CHECK", cells.iter().map(|r| r.check.as_str()));
    let w_res = width_of("RESOURCE", cells.iter().map(|r| r.resource.as_str()));
    let w_reg = width_of(place_head, cells.iter().map(|r| r.region.as_str()));

    let heading = if show_passed {
        format!("Findings ({total})")
    } else {
        format!("Failing findings ({total})")
    };
    writeln!(out, "{}", st.bold(&heading))?;
    let status_head = if show_passed {
        format!("{}  ", st.dim(&pad("STATUS", w_status)))
    } else {
        String::new()
    };
    writeln!(
        out,
        "  {status_head}{}  {}  {}  {}  {}",
        st.dim(&pad("SEVERITY", w_sev)),
        st.dim(&pad("CHECK", w_check)),
        st.dim(&pad("RESOURCE", w_res)),
        st.dim(&pad(place_head, w_reg)),
        st.dim("MESSAGE")
    )?;
    for r in &cells {
        let status = if show_passed {
            format!("{}  ", st.status(r.status, &pad(r.status, w_status)))
        } else {
            String::new()
        };
        writeln!(
            out,
            "  {status}{}  {}  {}  {}  {}",
            st.severity(r.severity, &pad(r.severity.as_str(), w_sev)),
            pad(&r.check, w_check),
            pad(&r.resource, w_res),
            pad(&r.region, w_reg),
            r.message
        )?;
    }
    if total > shown.len() {
        writeln!(
            out,
            "  {}",
            st.dim(&format!(
                "… and {} more, use --format json",
                total - shown.len()
            ))
        )?;
    }
    writeln!(out)
}

fn notes(out: &mut dyn Write, st: &Style, report: &ScanReport) -> io::Result<()> {
    let not_assessed_findings = report
        .findings
        .iter()
        .filter(|f| f.status == Status::NotAssessed && !is_muted(f))
        .count();
    if !report.not_assessed.is_empty() {
        writeln!(
            out,
            "{}",
            st.bold(&format!(
                "Not assessed ({})",
                plural(report.not_assessed.len(), "target", "targets")
            ))
        )?;
        let shown = &report.not_assessed[..report.not_assessed.len().min(MAX_NOTES)];
        let targets: Vec<String> = shown.iter().map(|t| one_line(&t.target)).collect();
        let w = width_of("", targets.iter().map(String::as_str));
        for (t, target) in shown.iter().zip(&targets) {
            writeln!(
                out,
                "  {}  {}",
                st.status("NOT_ASSESSED", &pad(target, w)),
                one_line(&t.reason)
            )?;
        }
        if report.not_assessed.len() > shown.len() {
            let more = report.not_assessed.len() - shown.len();
            writeln!(
                out,
                "  {}",
                st.dim(&format!("… and {more} more, use --format json"))
            )?;
        }
        writeln!(out)?;
    }
    if not_assessed_findings > 0 {
        writeln!(
            out,
            "{}\n",
            st.dim(&format!(
                "{} could not be decided (NOT_ASSESSED); see their messages in --format json",
                plural(not_assessed_findings, "finding", "findings")
            ))
        )?;
    }
    if !report.notices.is_empty() {
        writeln!(
            out,
            "{}",
            st.bold(&format!("Notices ({})", report.notices.len()))
        )?;
        for n in report.notices.iter().take(MAX_NOTES) {
            writeln!(out, "  {}", one_line(n))?;
        }
        if report.notices.len() > MAX_NOTES {
            let more = report.notices.len() - MAX_NOTES;
            writeln!(
                out,
                "  {}",
                st.dim(&format!("… and {more} more, use --format json"))
            )?;
        }
        writeln!(out)?;
    }
    if !report.errors.is_empty() {
        writeln!(
            out,
            "{}",
            st.status("FAIL", &format!("Errors ({})", report.errors.len()))
        )?;
        for e in report.errors.iter().take(MAX_NOTES) {
            writeln!(out, "  {}", one_line(e))?;
        }
        if report.errors.len() > MAX_NOTES {
            let more = report.errors.len() - MAX_NOTES;
            writeln!(
                out,
                "  {}",
                st.dim(&format!("… and {more} more, use --format json"))
            )?;
        }
        writeln!(out)?;
    }
    Ok(())
}

/// `2 fail, 1 pass, 48 no data`: the non-zero control counts of a framework.
pub fn control_breakdown(s: &FrameworkSummary) -> String {
    use crate::summary::ControlStatus as C;
    let parts = [
        (C::Fail, "fail"),
        (C::Pass, "pass"),
        (C::Muted, "muted"),
        (C::NotAssessed, "not assessed"),
        (C::NoData, "no data"),
        (C::Manual, "manual"),
    ];
    parts
        .iter()
        .map(|(status, label)| (s.controls_with(*status), label))
        .filter(|(n, _)| *n > 0)
        .map(|(n, label)| format!("{n} {label}"))
        .collect::<Vec<_>>()
        .join(", ")
}

fn plural(n: usize, one: &str, many: &str) -> String {
    format!("{n} {}", if n == 1 { one } else { many })
}

fn compliance(out: &mut dyn Write, st: &Style, findings: &[Finding]) -> io::Result<()> {
    // Frameworks the scan produced no evidence for (Kubernetes ones in an AWS
    // scan) are noise in a terminal; the JSON and HTML reports still list them.
    let summaries: Vec<_> = framework_summary(findings)
        .into_iter()
        .filter(|s| s.pass_rate.is_some())
        .collect();
    if summaries.is_empty() {
        return Ok(());
    }
    let names: Vec<String> = summaries.iter().map(|s| one_line(&s.title())).collect();
    let w = width_of("FRAMEWORK", names.iter().map(String::as_str));
    writeln!(
        out,
        "{}",
        st.bold("Compliance (pass rate = PASS / (PASS + FAIL))")
    )?;
    for (s, name) in summaries.iter().zip(&names) {
        let rate = percent(s.pass_rate);
        writeln!(
            out,
            "  {}  {}  {}  {}",
            pad(name, w),
            st.rate(s.pass_rate, &rpad(&rate, 6)),
            st.rate(s.pass_rate, &bar(s.pass_rate, 20)),
            st.dim(&format!("controls: {}", control_breakdown(s)))
        )?;
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn padding_counts_characters_not_bytes() {
        assert_eq!(pad("é", 3), "é  ");
        assert_eq!(rpad("7", 3), "  7");
        assert_eq!(pad("long", 2), "long");
    }

    #[test]
    fn bars_and_percentages() {
        assert_eq!(bar(Some(0.5), 4), "██░░");
        assert_eq!(bar(None, 3), "···");
        assert_eq!(bar(Some(1.5), 2), "██");
        assert_eq!(percent(Some(0.725)), "72.5%");
        assert_eq!(percent(None), "n/a");
    }
}
