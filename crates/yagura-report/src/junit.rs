//! JUnit XML, for CI systems that show test reports: one test suite per check,
//! one test case per resource. FAIL is a `<failure>`, NOT_ASSESSED and muted
//! failures are `<skipped>` with the reason, PASS is a plain test case.

use crate::text::resource_label;
use std::collections::BTreeMap;
use std::io::Write;
use yagura_model::{Finding, ScanReport, Status};

/// Escapes text for XML attributes and content. Characters XML 1.0 forbids
/// (most C0 controls) are dropped rather than producing an unreadable file.
fn xml(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    for c in s.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            '\'' => out.push_str("&apos;"),
            // As references, so attribute-value normalisation keeps them.
            '\n' => out.push_str("&#10;"),
            '\r' => out.push_str("&#13;"),
            '\t' => out.push_str("&#9;"),
            c if (c as u32) < 0x20 => {}
            c => out.push(c),
        }
    }
    out
}

fn where_(f: &Finding) -> String {
    match &f.resource.location {
        Some(l) => match l.start_line {
            Some(line) => format!("{}:{line}", l.file),
            None => l.file.clone(),
        },
        None => f.resource.id.clone(),
    }
}

pub fn render(report: &ScanReport, out: &mut dyn Write) -> std::io::Result<()> {
    let mut by_check: BTreeMap<&str, Vec<&Finding>> = BTreeMap::new();
    for f in &report.findings {
        by_check.entry(f.check.as_str()).or_default().push(f);
    }
    let count =
        |fs: &[&Finding], pred: &dyn Fn(&Finding) -> bool| fs.iter().filter(|f| pred(f)).count();
    let failed = |f: &Finding| f.is_open_failure();
    let skipped = |f: &Finding| {
        f.status == Status::NotAssessed || (f.muted.is_some() && f.status == Status::Fail)
    };
    let secs = (report.finished - report.started).num_milliseconds().max(0) as f64 / 1000.0;
    let total = report.findings.len();
    let total_failed = report.findings.iter().filter(|f| failed(f)).count();
    let total_skipped = report.findings.iter().filter(|f| skipped(f)).count();
    writeln!(out, r#"<?xml version="1.0" encoding="UTF-8"?>"#)?;
    writeln!(
        out,
        r#"<testsuites name="yagura {}" tests="{total}" failures="{total_failed}" errors="{}" skipped="{total_skipped}" time="{secs:.3}">"#,
        xml(&report.kind),
        report.errors.len()
    )?;
    for (check, findings) in &by_check {
        let title = findings.first().map(|f| f.title.as_str()).unwrap_or("");
        writeln!(
            out,
            r#"  <testsuite name="{}" tests="{}" failures="{}" errors="0" skipped="{}">"#,
            xml(&format!("{check} {title}")),
            findings.len(),
            count(findings, &failed),
            count(findings, &skipped),
        )?;
        for f in findings {
            writeln!(
                out,
                r#"    <testcase name="{}" classname="{}" file="{}">"#,
                xml(&format!("{} ({})", resource_label(f), where_(f))),
                xml(check),
                xml(f
                    .resource
                    .location
                    .as_ref()
                    .map(|l| l.file.as_str())
                    .unwrap_or("")),
            )?;
            if failed(f) {
                writeln!(
                    out,
                    r#"      <failure message="{}" type="{}">{}&#10;{}&#10;Remediation: {}</failure>"#,
                    xml(&f.message),
                    f.severity.as_str(),
                    xml(&where_(f)),
                    xml(&f.message),
                    xml(&f.remediation),
                )?;
            } else if let Some(m) = f.muted.as_ref().filter(|_| f.status == Status::Fail) {
                writeln!(
                    out,
                    r#"      <skipped message="{}"/>"#,
                    xml(&format!("muted: {}", m.reason))
                )?;
            } else if f.status == Status::NotAssessed {
                writeln!(
                    out,
                    r#"      <skipped message="{}"/>"#,
                    xml(&format!("not assessed: {}", f.message))
                )?;
            }
            writeln!(out, "    </testcase>")?;
        }
        writeln!(out, "  </testsuite>")?;
    }
    if !report.errors.is_empty() {
        writeln!(
            out,
            r#"  <testsuite name="scan errors" tests="{n}" failures="0" errors="{n}" skipped="0">"#,
            n = report.errors.len()
        )?;
        for e in &report.errors {
            writeln!(
                out,
                r#"    <testcase name="{}" classname="yagura.errors"><error message="{}"/></testcase>"#,
                xml(e),
                xml(e)
            )?;
        }
        writeln!(out, "  </testsuite>")?;
    }
    writeln!(out, "</testsuites>")
}

#[cfg(test)]
mod tests {
    use super::xml;

    #[test]
    fn escapes_markup_and_drops_forbidden_controls() {
        assert_eq!(xml("a<b>&\"'\u{1}c\n"), "a&lt;b&gt;&amp;&quot;&apos;c&#10;");
    }
}
