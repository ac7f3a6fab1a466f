//! One self-contained HTML page: inline CSS and JS, no external asset, a
//! Content-Security-Policy that forbids loading anything. Every data string is
//! escaped with [`esc`]; the script reads the DOM and never builds markup from
//! data, so the page stays safe even when a resource is named `<script>`.
//! Without JavaScript everything is still readable; only the filters are hidden.

use crate::summary::{framework_summary, FrameworkSummary, StatusCounts};
use crate::table::{control_breakdown, percent};
use crate::text::{duration, is_muted, resource_label};
use crate::{RenderOptions, ReportError};
use std::collections::BTreeSet;
use std::fmt::Write as _;
use std::io::Write;
use yagura_model::{Finding, ScanReport, Severity, Status};

/// Escapes text for HTML element content and quoted attribute values.
pub fn esc(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    for c in s.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            '\'' => out.push_str("&#39;"),
            // NUL and other C0 controls are parse errors in HTML; drop them.
            c if c.is_control() && c != '\n' && c != '\t' && c != '\r' => {}
            c => out.push(c),
        }
    }
    out
}

const CSS: &str = r#"
:root{--bg:#fff;--fg:#1d2330;--muted:#5f6b7a;--line:#dfe3ea;--card:#f6f8fb;--pass:#1a7f37;--fail:#cf222e;--warn:#9a6700;--mute:#8250df;--crit:#a40e26;--high:#cf222e;--med:#bc4c00;--low:#0969da;--info:#6e7781;--bar:#e6e9ef}
@media (prefers-color-scheme:dark){:root{--bg:#0d1117;--fg:#e6edf3;--muted:#8b949e;--line:#30363d;--card:#161b22;--pass:#3fb950;--fail:#f85149;--warn:#d29922;--mute:#a371f7;--crit:#ff7b72;--high:#f85149;--med:#db6d28;--low:#58a6ff;--info:#8b949e;--bar:#21262d}}
*{box-sizing:border-box}
body{margin:0;font:14px/1.45 system-ui,-apple-system,"Segoe UI",Roboto,sans-serif;background:var(--bg);color:var(--fg)}
header,main,footer{max-width:1400px;margin:0 auto;padding:0 24px}
header{padding-top:20px}
h1{font-size:22px;margin:0 0 8px}h2{font-size:18px;margin:28px 0 12px;border-bottom:1px solid var(--line);padding-bottom:4px}
dl.meta{display:flex;flex-wrap:wrap;gap:4px 24px;margin:0;color:var(--muted)}
dl.meta div{display:flex;gap:6px}dl.meta dt{font-weight:600}dl.meta dd{margin:0;color:var(--fg);word-break:break-all}
.cards{display:flex;flex-wrap:wrap;gap:12px}
.card{background:var(--card);border:1px solid var(--line);border-radius:8px;padding:10px 16px;min-width:120px}
.card .n{font-size:26px;font-weight:700}.card .l{color:var(--muted);font-size:12px;text-transform:uppercase;letter-spacing:.04em}
table{border-collapse:collapse;width:100%;margin:8px 0}
th,td{border-bottom:1px solid var(--line);padding:5px 8px;text-align:left;vertical-align:top}
th{font-size:12px;color:var(--muted);text-transform:uppercase;letter-spacing:.03em;position:sticky;top:0;background:var(--bg)}
td.num,th.num{text-align:right;font-variant-numeric:tabular-nums}
.sub{color:var(--muted);font-size:12px;word-break:break-all}
.msg{white-space:pre-wrap;word-break:break-word}
code{font-family:ui-monospace,SFMono-Regular,Menlo,Consolas,monospace;font-size:12.5px}
.st,.sev{display:inline-block;border-radius:4px;padding:0 6px;font-size:12px;font-weight:600;white-space:nowrap}
.st-PASS{color:var(--pass)}.st-FAIL{color:var(--fail)}.st-MUTED{color:var(--mute)}.st-NOT_ASSESSED{color:var(--warn)}
.st-no-data,.st-manual{color:var(--muted);font-weight:400}
.sev-critical{color:var(--crit)}.sev-high{color:var(--high)}.sev-medium{color:var(--med)}.sev-low{color:var(--low)}.sev-info{color:var(--info)}
.card.fail .n{color:var(--fail)}.card.pass .n{color:var(--pass)}.card.mute .n{color:var(--mute)}.card.warn .n{color:var(--warn)}
.card.sev-critical .n{color:var(--crit)}.card.sev-high .n{color:var(--high)}.card.sev-medium .n{color:var(--med)}.card.sev-low .n{color:var(--low)}.card.sev-info .n{color:var(--info)}
.rate{display:inline-block;width:160px;height:10px;background:var(--bar);border-radius:5px;overflow:hidden;vertical-align:middle}
.rate span{display:block;height:100%;background:var(--pass)}
.rate.low span{background:var(--fail)}.rate.mid span{background:var(--warn)}
details{margin:10px 0}summary{cursor:pointer;font-weight:600}
svg.chart{max-width:760px;width:100%;display:block;margin:8px 0}
svg.chart text{font-size:11px;fill:var(--fg)}svg.chart .bg{fill:var(--bar)}svg.chart .ok{fill:var(--pass)}svg.chart .mid{fill:var(--warn)}svg.chart .bad{fill:var(--fail)}
.filters{display:flex;flex-wrap:wrap;gap:8px;align-items:center;margin:8px 0}
.filters select,.filters input{font:inherit;padding:3px 6px;background:var(--bg);color:var(--fg);border:1px solid var(--line);border-radius:4px}
.filters input{min-width:240px}
[hidden]{display:none!important}
.note{color:var(--muted)}
footer{color:var(--muted);font-size:12px;padding:24px}
"#;

// ES5 on purpose: it runs in any browser that opens a saved file.
const JS: &str = r#"
(function () {
  var bar = document.getElementById('filters');
  var table = document.getElementById('findings-table');
  if (!bar || !table) { return; }
  bar.hidden = false;
  var rows = Array.prototype.slice.call(table.tBodies[0].rows);
  var texts = rows.map(function (r) { return r.textContent.toLowerCase(); });
  var keys = ['status', 'severity', 'service', 'check'];
  var selects = keys.map(function (k) { return document.getElementById('f-' + k); });
  var text = document.getElementById('f-text');
  var count = document.getElementById('f-count');
  function apply() {
    var needle = text.value.trim().toLowerCase();
    var shown = 0;
    rows.forEach(function (r, i) {
      var ok = true;
      for (var j = 0; j < keys.length && ok; j++) {
        var want = selects[j].value;
        if (want && r.getAttribute('data-' + keys[j]) !== want) { ok = false; }
      }
      if (ok && needle && texts[i].indexOf(needle) < 0) { ok = false; }
      r.hidden = !ok;
      if (ok) { shown++; }
    });
    count.textContent = shown + ' of ' + rows.length + ' shown';
  }
  selects.forEach(function (s) { s.addEventListener('change', apply); });
  text.addEventListener('input', apply);
  apply();
})();
"#;

const STATUSES: [&str; 4] = ["FAIL", "MUTED", "NOT_ASSESSED", "PASS"];

fn status_rank(f: &Finding) -> usize {
    STATUSES
        .iter()
        .position(|s| *s == f.display_status())
        .unwrap_or(STATUSES.len())
}

fn rate_class(rate: Option<f64>) -> &'static str {
    match rate {
        Some(r) if r >= 0.9 => "",
        Some(r) if r >= 0.7 => " mid",
        _ => " low",
    }
}

fn service_of(f: &Finding) -> &str {
    let s = f.resource.service();
    if s.is_empty() {
        &f.resource.kind
    } else {
        s
    }
}

pub fn render(
    report: &ScanReport,
    opts: &RenderOptions,
    out: &mut dyn Write,
) -> Result<(), ReportError> {
    let mut h = String::with_capacity(64 * 1024 + report.findings.len() * 1024);
    page(&mut h, report, opts);
    out.write_all(h.as_bytes())?;
    Ok(())
}

// `write!` into a String cannot fail; the results are discarded on purpose.
fn page(h: &mut String, report: &ScanReport, opts: &RenderOptions) {
    let _ = write!(
        h,
        "<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\">\n\
         <meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n\
         <meta http-equiv=\"Content-Security-Policy\" content=\"default-src 'none'; style-src 'unsafe-inline'; script-src 'unsafe-inline'; img-src data:\">\n\
         <meta name=\"generator\" content=\"yagura {}\">\n<title>yagura report: {}</title>\n<style>{CSS}</style>\n</head>\n<body>\n",
        esc(&report.tool_version),
        esc(&report.scope)
    );
    header(h, report);
    h.push_str("<main>\n");
    summary(h, report);
    compliance(h, report);
    findings(h, report, opts);
    notes(h, report);
    h.push_str("</main>\n");
    let _ = write!(
        h,
        "<footer>Generated by yagura {} from scan {} finished {}.</footer>\n<script>{JS}</script>\n</body>\n</html>\n",
        esc(&report.tool_version),
        esc(&report.id),
        report.finished.format("%Y-%m-%d %H:%M:%S UTC")
    );
}

fn header(h: &mut String, report: &ScanReport) {
    h.push_str("<header>\n<h1>yagura report</h1>\n<dl class=\"meta\">\n");
    let duration = duration(report.started, report.finished);
    let started = report.started.format("%Y-%m-%d %H:%M:%S UTC").to_string();
    let resources = report.resource_count.to_string();
    let findings = report.findings.len().to_string();
    let targets = report.targets.join(", ");
    let items: [(&str, &str); 9] = [
        ("Scope", &report.scope),
        ("Scan", &report.id),
        ("Kind", &report.kind),
        ("Started", &started),
        ("Duration", &duration),
        ("Resources", &resources),
        ("Findings", &findings),
        ("Targets", &targets),
        ("yagura", &report.tool_version),
    ];
    for (k, v) in items {
        if v.is_empty() {
            continue;
        }
        let _ = writeln!(h, "<div><dt>{}</dt><dd>{}</dd></div>", esc(k), esc(v));
    }
    h.push_str("</dl>\n</header>\n");
}

fn card(h: &mut String, class: &str, n: usize, label: &str) {
    let _ = writeln!(
        h,
        "<div class=\"card {class}\"><div class=\"n\">{n}</div><div class=\"l\">{}</div></div>",
        esc(label)
    );
}

fn summary(h: &mut String, report: &ScanReport) {
    let counts = StatusCounts::of(&report.findings);
    let open: Vec<&Finding> = report
        .findings
        .iter()
        .filter(|f| f.is_open_failure())
        .collect();
    h.push_str("<section id=\"summary\">\n<h2>Summary</h2>\n<div class=\"cards\">\n");
    card(h, "fail", open.len(), "Open failures");
    for sev in Severity::ALL {
        let n = open.iter().filter(|f| f.severity == sev).count();
        card(h, &format!("sev-{}", sev.as_str()), n, sev.as_str());
    }
    card(h, "pass", counts.pass, "Passed");
    card(h, "mute", counts.muted, "Muted");
    card(h, "warn", counts.not_assessed, "Not assessed");
    card(h, "", report.resource_count, "Resources");
    h.push_str("</div>\n</section>\n");
}

fn compliance(h: &mut String, report: &ScanReport) {
    let summaries = framework_summary(&report.findings);
    if summaries.is_empty() {
        return;
    }
    h.push_str(
        "<section id=\"compliance\">\n<h2>Compliance</h2>\n\
         <p class=\"note\">Pass rate = PASS / (PASS + FAIL); muted and not-assessed findings and manual controls are left out.</p>\n\
         <table class=\"frameworks\">\n<thead><tr><th>Framework</th><th class=\"num\">Pass rate</th><th></th>\
         <th class=\"num\">PASS</th><th class=\"num\">FAIL</th><th class=\"num\">MUTED</th><th class=\"num\">NOT_ASSESSED</th>\
         <th>Controls</th></tr></thead>\n<tbody>\n",
    );
    for s in &summaries {
        let _ = writeln!(
            h,
            "<tr><td><a href=\"#fw-{}\">{}</a></td><td class=\"num\">{}</td><td>{}</td><td class=\"num\">{}</td>\
             <td class=\"num\">{}</td><td class=\"num\">{}</td><td class=\"num\">{}</td><td>{}</td></tr>",
            esc(&anchor(&s.id)),
            esc(&s.title()),
            percent(s.pass_rate),
            rate_bar(s.pass_rate),
            s.counts.pass,
            s.counts.fail,
            s.counts.muted,
            s.counts.not_assessed,
            esc(&control_breakdown(s))
        );
    }
    h.push_str("</tbody>\n</table>\n");
    for s in &summaries {
        framework_detail(h, s);
    }
    h.push_str("</section>\n");
}

/// An id fragment made of safe characters only.
fn anchor(id: &str) -> String {
    id.chars()
        .map(|c| {
            if c.is_ascii_alphanumeric() || c == '-' || c == '_' {
                c
            } else {
                '-'
            }
        })
        .collect()
}

fn rate_bar(rate: Option<f64>) -> String {
    match rate {
        Some(r) => format!(
            "<span class=\"rate{}\"><span style=\"width:{:.1}%\"></span></span>",
            rate_class(rate),
            r.clamp(0.0, 1.0) * 100.0
        ),
        None => String::new(),
    }
}

fn framework_detail(h: &mut String, s: &FrameworkSummary) {
    let decided = s
        .controls
        .iter()
        .filter(|c| c.automated && c.pass_rate.is_some())
        .count();
    let open = if decided > 0 { " open" } else { "" };
    let _ = writeln!(
        h,
        "<details id=\"fw-{}\"{open}>\n<summary>{}: {}</summary>",
        esc(&anchor(&s.id)),
        esc(&s.title()),
        percent(s.pass_rate)
    );
    chart(h, s);
    h.push_str(
        "<table class=\"controls\">\n<thead><tr><th>Control</th><th>Title</th><th>Status</th>\
         <th class=\"num\">PASS</th><th class=\"num\">FAIL</th><th class=\"num\">MUTED</th><th class=\"num\">NOT_ASSESSED</th>\
         <th class=\"num\">Pass rate</th><th>Checks</th></tr></thead>\n<tbody>\n",
    );
    for c in &s.controls {
        let label = c.status.label();
        let class = label.replace(' ', "-");
        let section = c
            .section
            .as_deref()
            .map(|x| format!("<div class=\"sub\">{}</div>", esc(x)))
            .unwrap_or_default();
        let checks: Vec<String> = c
            .checks
            .iter()
            .map(|x| format!("<code>{}</code>", esc(x)))
            .collect();
        let _ = writeln!(
            h,
            "<tr><td><code>{}</code></td><td>{}{section}</td><td><span class=\"st st-{class}\">{label}</span></td>\
             <td class=\"num\">{}</td><td class=\"num\">{}</td><td class=\"num\">{}</td><td class=\"num\">{}</td>\
             <td class=\"num\">{}</td><td>{}</td></tr>",
            esc(&c.id),
            esc(&c.title),
            c.counts.pass,
            c.counts.fail,
            c.counts.muted,
            c.counts.not_assessed,
            if c.automated { percent(c.pass_rate) } else { "manual".into() },
            checks.join(" ")
        );
    }
    h.push_str("</tbody>\n</table>\n</details>\n");
}

/// A horizontal bar per automated control that has a decided finding.
fn chart(h: &mut String, s: &FrameworkSummary) {
    let rows: Vec<_> = s
        .controls
        .iter()
        .filter(|c| c.automated)
        .filter_map(|c| c.pass_rate.map(|r| (c, r)))
        .collect();
    if rows.is_empty() {
        h.push_str("<p class=\"note\">No automated control of this framework has a passing or failing finding.</p>\n");
        return;
    }
    const ROW: usize = 20;
    const LABEL: usize = 110;
    const BAR: usize = 560;
    let height = rows.len() * ROW + 4;
    let width = LABEL + BAR + 70;
    let _ = writeln!(
        h,
        "<svg class=\"chart\" viewBox=\"0 0 {width} {height}\" role=\"img\" aria-label=\"Pass rate per control of {}\">",
        esc(&s.title())
    );
    for (i, (c, r)) in rows.iter().enumerate() {
        let y = i * ROW + 2;
        let w = (r.clamp(0.0, 1.0) * BAR as f64).round() as usize;
        let class = match rate_class(Some(*r)) {
            "" => "ok",
            " mid" => "mid",
            _ => "bad",
        };
        let _ = writeln!(
            h,
            "<g><title>{} {}: {} pass, {} fail</title>\
             <text x=\"0\" y=\"{}\">{}</text>\
             <rect class=\"bg\" x=\"{LABEL}\" y=\"{}\" width=\"{BAR}\" height=\"{}\" rx=\"3\"></rect>\
             <rect class=\"{class}\" x=\"{LABEL}\" y=\"{}\" width=\"{w}\" height=\"{}\" rx=\"3\"></rect>\
             <text x=\"{}\" y=\"{}\">{}</text></g>",
            esc(&c.id),
            esc(&c.title),
            c.counts.pass,
            c.counts.fail,
            y + 13,
            esc(&crate::text::truncate(&c.id, 16)),
            y + 2,
            ROW - 6,
            y + 2,
            ROW - 6,
            LABEL + BAR + 8,
            y + 13,
            percent(Some(*r))
        );
    }
    h.push_str("</svg>\n");
}

fn options(h: &mut String, id: &str, label: &str, values: &[String]) {
    let _ = write!(
        h,
        "<label>{} <select id=\"f-{id}\"><option value=\"\">all</option>",
        esc(label)
    );
    for v in values {
        let _ = write!(h, "<option value=\"{0}\">{0}</option>", esc(v));
    }
    h.push_str("</select></label>\n");
}

fn findings(h: &mut String, report: &ScanReport, opts: &RenderOptions) {
    let mut rows: Vec<&Finding> = report
        .findings
        .iter()
        .filter(|f| opts.show_passed || f.status != Status::Pass)
        .collect();
    rows.sort_by(|a, b| {
        status_rank(a)
            .cmp(&status_rank(b))
            .then(b.severity.cmp(&a.severity))
            .then_with(|| a.check.cmp(&b.check))
            .then_with(|| a.resource.id.cmp(&b.resource.id))
    });
    let hidden_passes = report.findings.len() - rows.len();

    h.push_str("<section id=\"findings\">\n<h2>Findings</h2>\n");
    if hidden_passes > 0 {
        let _ = writeln!(
            h,
            "<p class=\"note\">{hidden_passes} passing findings are not listed (--show-passed lists them).</p>"
        );
    }
    if rows.is_empty() {
        h.push_str("<p class=\"note\">No findings to list.</p>\n</section>\n");
        return;
    }

    let statuses: Vec<String> = STATUSES
        .iter()
        .filter(|s| rows.iter().any(|f| f.display_status() == **s))
        .map(|s| s.to_string())
        .collect();
    let severities: Vec<String> = Severity::ALL
        .iter()
        .filter(|s| rows.iter().any(|f| f.severity == **s))
        .map(|s| s.as_str().to_string())
        .collect();
    let services: Vec<String> = rows
        .iter()
        .map(|f| service_of(f).to_string())
        .collect::<BTreeSet<_>>()
        .into_iter()
        .collect();
    let checks: Vec<String> = rows
        .iter()
        .map(|f| f.check.clone())
        .collect::<BTreeSet<_>>()
        .into_iter()
        .collect();

    h.push_str("<div id=\"filters\" class=\"filters\" hidden>\n");
    options(h, "status", "Status", &statuses);
    options(h, "severity", "Severity", &severities);
    options(h, "service", "Service", &services);
    options(h, "check", "Check", &checks);
    h.push_str(
        "<input id=\"f-text\" type=\"search\" placeholder=\"Search resource, message, …\" aria-label=\"Search findings\">\n\
         <span id=\"f-count\" class=\"note\"></span>\n</div>\n",
    );

    h.push_str(
        "<table id=\"findings-table\">\n<thead><tr><th>Status</th><th>Severity</th><th>Check</th><th>Resource</th>\
         <th>Account</th><th>Region</th><th>Message</th></tr></thead>\n<tbody>\n",
    );
    for f in rows {
        finding_row(h, f);
    }
    h.push_str("</tbody>\n</table>\n</section>\n");
}

fn finding_row(h: &mut String, f: &Finding) {
    let status = f.display_status();
    let sev = f.severity.as_str();
    let _ = write!(
        h,
        "<tr data-status=\"{status}\" data-severity=\"{sev}\" data-service=\"{}\" data-check=\"{}\">",
        esc(service_of(f)),
        esc(&f.check)
    );
    // Status, with the suppression that explains a MUTED.
    let _ = write!(h, "<td><span class=\"st st-{status}\">{status}</span>");
    if let Some(m) = f.muted.as_ref().filter(|_| is_muted(f)) {
        let until = m.expires.map(|d| format!(" until {d}")).unwrap_or_default();
        let _ = write!(
            h,
            "<div class=\"sub\">{}{}</div>",
            esc(&m.reason),
            esc(&until)
        );
    }
    h.push_str("</td>");
    let _ = write!(h, "<td><span class=\"sev sev-{sev}\">{sev}</span></td>");
    let _ = write!(
        h,
        "<td><code>{}</code><div class=\"sub\">{}</div></td>",
        esc(&f.check),
        esc(&f.title)
    );
    // Resource: name, then id and kind, then the file location for IaC.
    let _ = write!(h, "<td>{}", esc(resource_label(f)));
    if f.resource.id != resource_label(f) {
        let _ = write!(h, "<div class=\"sub\">{}</div>", esc(&f.resource.id));
    }
    let _ = write!(h, "<div class=\"sub\">{}</div>", esc(&f.resource.kind));
    if let Some(loc) = &f.resource.location {
        let line = loc.start_line.map(|l| format!(":{l}")).unwrap_or_default();
        let _ = write!(h, "<div class=\"sub\">{}{}</div>", esc(&loc.file), line);
    }
    h.push_str("</td>");
    let _ = write!(
        h,
        "<td>{}</td><td>{}</td>",
        esc(f.resource.account.as_deref().unwrap_or("")),
        esc(f.resource.region.as_deref().unwrap_or(""))
    );
    let _ = write!(h, "<td><div class=\"msg\">{}</div>", esc(&f.message));
    if !f.remediation.is_empty() || !f.frameworks.is_empty() {
        h.push_str("<details><summary>Details</summary>");
        if !f.remediation.is_empty() {
            let _ = write!(
                h,
                "<p class=\"msg\"><strong>Remediation:</strong> {}</p>",
                esc(&f.remediation)
            );
        }
        if !f.frameworks.is_empty() {
            let refs: Vec<String> = f
                .frameworks
                .iter()
                .map(|r| format!("<code>{}</code>", esc(r)))
                .collect();
            let _ = write!(h, "<p><strong>Frameworks:</strong> {}</p>", refs.join(" "));
        }
        h.push_str("</details>");
    }
    h.push_str("</td></tr>\n");
}

fn notes(h: &mut String, report: &ScanReport) {
    if !report.not_assessed.is_empty() {
        h.push_str(
            "<section id=\"not-assessed\">\n<h2>Not assessed</h2>\n<p class=\"note\">What this scan could not look at, and why.</p>\n\
             <table>\n<thead><tr><th>Target</th><th>Reason</th></tr></thead>\n<tbody>\n",
        );
        for t in &report.not_assessed {
            let _ = writeln!(
                h,
                "<tr><td><code>{}</code></td><td class=\"msg\">{}</td></tr>",
                esc(&t.target),
                esc(&t.reason)
            );
        }
        h.push_str("</tbody>\n</table>\n</section>\n");
    }
    if !report.notices.is_empty() {
        h.push_str("<section id=\"notices\">\n<h2>Notices</h2>\n<ul>\n");
        for n in &report.notices {
            let _ = writeln!(h, "<li class=\"msg\">{}</li>", esc(n));
        }
        h.push_str("</ul>\n</section>\n");
    }
    if !report.errors.is_empty() {
        h.push_str("<section id=\"errors\">\n<h2>Errors</h2>\n<ul>\n");
        for e in &report.errors {
            let _ = writeln!(h, "<li class=\"msg\">{}</li>", esc(e));
        }
        h.push_str("</ul>\n</section>\n");
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn escaping_covers_markup_and_quotes() {
        assert_eq!(
            esc("<script>alert(\"x\")</script> & 'y'"),
            "&lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt; &amp; &#39;y&#39;"
        );
        assert_eq!(esc("a\u{0}b\nc"), "ab\nc");
    }

    #[test]
    fn anchors_are_safe() {
        assert_eq!(anchor("cis-aws-3.0"), "cis-aws-3-0");
        assert_eq!(anchor("x\"><y"), "x---y");
    }
}
