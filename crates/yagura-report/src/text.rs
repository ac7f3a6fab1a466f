//! Small text helpers shared by the renderers.

use chrono::{DateTime, SecondsFormat, Utc};
use yagura_model::{Finding, Severity, Status};

/// RFC 3339 in UTC with milliseconds, as ASFF and SARIF want it.
pub fn rfc3339(t: DateTime<Utc>) -> String {
    t.to_rfc3339_opts(SecondsFormat::Millis, true)
}

/// `1h 02m`, `3m 07s`, `4.2s`, `850ms`; negative spans (clock skew) show as 0ms.
pub fn duration(start: DateTime<Utc>, end: DateTime<Utc>) -> String {
    let ms = (end - start).num_milliseconds().max(0);
    let secs = ms / 1000;
    if ms < 1000 {
        format!("{ms}ms")
    } else if secs < 60 {
        format!("{}.{}s", secs, (ms % 1000) / 100)
    } else if secs < 3600 {
        format!("{}m {:02}s", secs / 60, secs % 60)
    } else {
        format!("{}h {:02}m", secs / 3600, (secs % 3600) / 60)
    }
}

/// At most `max` characters, cut on a character boundary, with `…` when cut.
pub fn truncate(s: &str, max: usize) -> String {
    if s.chars().count() <= max {
        return s.to_string();
    }
    if max == 0 {
        return String::new();
    }
    let mut out: String = s.chars().take(max - 1).collect();
    out.push('…');
    out
}

/// One line of plain text for a terminal: control characters (ESC, newlines, …)
/// become spaces, so data can neither break the layout nor inject escape codes.
pub fn one_line(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    let mut last_space = false;
    for c in s.chars() {
        let c = if c.is_control() { ' ' } else { c };
        if c == ' ' && last_space {
            continue;
        }
        last_space = c == ' ';
        out.push(c);
    }
    out.trim().to_string()
}

/// The OCSF / ASFF caption of a severity.
pub fn severity_caption(s: Severity) -> &'static str {
    match s {
        Severity::Info => "Informational",
        Severity::Low => "Low",
        Severity::Medium => "Medium",
        Severity::High => "High",
        Severity::Critical => "Critical",
    }
}

/// A finding reference `framework-id:control-id`, split.
pub fn split_requirement(r: &str) -> Option<(&str, &str)> {
    let (fw, control) = r.split_once(':')?;
    let (fw, control) = (fw.trim(), control.trim());
    if fw.is_empty() || control.is_empty() {
        None
    } else {
        Some((fw, control))
    }
}

/// The human name of a framework id (`CIS AWS Foundations Benchmark 3.0.0`), or
/// the id itself for frameworks yagura does not ship (custom Rego policies).
pub fn standard_name(framework_id: &str) -> String {
    match yagura_checks::framework(framework_id) {
        Some(f) => format!("{} {}", f.name, f.version),
        None => framework_id.to_string(),
    }
}

/// The distinct standards a finding maps to, in first-seen order.
pub fn standards_of(f: &Finding) -> Vec<String> {
    let mut out: Vec<String> = Vec::new();
    for r in &f.frameworks {
        if let Some((fw, _)) = split_requirement(r) {
            let name = standard_name(fw);
            if !out.contains(&name) {
                out.push(name);
            }
        }
    }
    out
}

/// Whether the finding counts as muted (a suppressed non-pass), as in the
/// model's `display_status`.
pub fn is_muted(f: &Finding) -> bool {
    f.muted.is_some() && f.status != Status::Pass
}

/// The AWS partition from an ARN (`arn:aws-cn:…`), `aws` otherwise.
pub fn partition(resource_id: &str) -> &str {
    let mut parts = resource_id.splitn(3, ':');
    match (parts.next(), parts.next()) {
        (Some("arn"), Some(p)) if !p.is_empty() => p,
        _ => "aws",
    }
}

/// A display name for a finding's resource: its name, else its id.
pub fn resource_label(f: &Finding) -> &str {
    if f.resource.name.trim().is_empty() {
        &f.resource.id
    } else {
        &f.resource.name
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use chrono::TimeZone;

    #[test]
    fn durations_read_naturally() {
        let t0 = Utc.with_ymd_and_hms(2024, 1, 1, 0, 0, 0).unwrap();
        let ms = chrono::Duration::milliseconds;
        assert_eq!(duration(t0, t0 + ms(850)), "850ms");
        assert_eq!(duration(t0, t0 + ms(4_250)), "4.2s");
        assert_eq!(duration(t0, t0 + ms(187_000)), "3m 07s");
        assert_eq!(duration(t0, t0 + ms(3_720_000)), "1h 02m");
        assert_eq!(duration(t0 + ms(5), t0), "0ms");
    }

    #[test]
    fn truncate_respects_char_boundaries() {
        assert_eq!(truncate("héllo", 10), "héllo");
        assert_eq!(truncate("héllo", 3), "hé…");
        assert_eq!(truncate("abc", 0), "");
    }

    #[test]
    fn one_line_strips_controls() {
        assert_eq!(one_line("a\nb\x1b[31mc\t\td "), "a b [31mc d");
    }

    #[test]
    fn requirements_and_partitions() {
        assert_eq!(
            split_requirement("cis-aws-3.0:1.4"),
            Some(("cis-aws-3.0", "1.4"))
        );
        assert_eq!(split_requirement("nope"), None);
        assert_eq!(split_requirement("x:"), None);
        assert_eq!(partition("arn:aws-cn:s3:::b"), "aws-cn");
        assert_eq!(partition("sg-123"), "aws");
        assert_eq!(
            standard_name("cis-aws-3.0"),
            "CIS AWS Foundations Benchmark 3.0.0"
        );
        assert_eq!(standard_name("custom-fw"), "custom-fw");
    }
}
