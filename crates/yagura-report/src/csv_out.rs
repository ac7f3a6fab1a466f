//! One CSV row per finding, for spreadsheets.

use crate::text::rfc3339;
use crate::ReportError;
use std::io::Write;
use yagura_model::ScanReport;

pub const HEADER: [&str; 16] = [
    "status",
    "severity",
    "check",
    "title",
    "account",
    "region",
    "service",
    "resource_kind",
    "resource_id",
    "resource_name",
    "message",
    "frameworks",
    "muted_reason",
    "muted_expires",
    "first_seen",
    "last_seen",
];

/// Spreadsheet applications run a cell that starts with `=`, `+`, `-`, `@` (or a
/// tab / carriage return before one) as a formula. Resource names and tags are
/// chosen by whoever owns the cloud account, so such cells get a leading `'`,
/// which spreadsheets hide and treat as "this is text".
pub fn neutralise(s: &str) -> String {
    if s.starts_with(['=', '+', '-', '@', '\t', '\r']) {
        format!("'{s}")
    } else {
        s.to_string()
    }
}

pub fn render(report: &ScanReport, out: &mut dyn Write) -> Result<(), ReportError> {
    let mut w = csv::WriterBuilder::new().from_writer(out);
    w.write_record(HEADER)?;
    for f in &report.findings {
        let muted = f.muted.as_ref().filter(|_| crate::text::is_muted(f));
        let record = [
            f.display_status().to_string(),
            f.severity.as_str().to_string(),
            neutralise(&f.check),
            neutralise(&f.title),
            neutralise(f.resource.account.as_deref().unwrap_or("")),
            neutralise(f.resource.region.as_deref().unwrap_or("")),
            neutralise(f.resource.service()),
            neutralise(&f.resource.kind),
            neutralise(&f.resource.id),
            neutralise(&f.resource.name),
            neutralise(&f.message),
            neutralise(&f.frameworks.join(";")),
            neutralise(muted.map(|m| m.reason.as_str()).unwrap_or("")),
            muted
                .and_then(|m| m.expires)
                .map(|d| d.to_string())
                .unwrap_or_default(),
            f.first_seen.map(rfc3339).unwrap_or_default(),
            f.last_seen.map(rfc3339).unwrap_or_default(),
        ];
        w.write_record(&record)?;
    }
    w.flush()?;
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn formulas_are_neutralised() {
        assert_eq!(neutralise("=HYPERLINK(\"x\")"), "'=HYPERLINK(\"x\")");
        assert_eq!(neutralise("@SUM(A1)"), "'@SUM(A1)");
        assert_eq!(neutralise("bucket-1"), "bucket-1");
        assert_eq!(neutralise(""), "");
    }
}
