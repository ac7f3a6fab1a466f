//! Alerts: what a rule match (or a sensor problem) reports.

use std::collections::BTreeMap;

use serde::{Deserialize, Serialize};
use yagura_event::Event;
use yagura_rules::Engine;

/// What was done about a match.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ResponseRecord {
    /// `kill` or `kill-process`.
    pub action: String,
    /// `in-kernel` (SIGKILL at syscall entry) or `user-space`.
    pub mode: String,
    pub pid: u32,
    pub process: String,
    /// False in dry-run mode: shows what would have been done.
    pub done: bool,
    #[serde(default, skip_serializing_if = "String::is_empty")]
    pub error: String,
}

/// One alert, shaped like Falco's JSON output plus yagura's additions.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Alert {
    /// RFC 3339 with nanoseconds, UTC.
    pub time: String,
    pub rule: String,
    pub priority: String,
    pub output: String,
    pub output_fields: BTreeMap<String, String>,
    #[serde(default)]
    pub tags: Vec<String>,
    pub source: String,
    #[serde(default)]
    pub hostname: String,
    /// Event number and type, so an alert can be found in a recording.
    #[serde(default)]
    pub evt_num: u64,
    #[serde(default)]
    pub evt_type: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub response: Option<ResponseRecord>,
}

/// Formats ns since the epoch as RFC 3339 UTC with nanoseconds.
pub fn rfc3339(ns: u64) -> String {
    let secs = (ns / 1_000_000_000) as i64;
    let nanos = (ns % 1_000_000_000) as u32;
    let days = secs.div_euclid(86_400);
    let rem = secs.rem_euclid(86_400);
    // Civil-from-days (proleptic Gregorian), Howard Hinnant's algorithm.
    let z = days + 719_468;
    let era = z.div_euclid(146_097);
    let doe = z.rem_euclid(146_097);
    let yoe = (doe - doe / 1460 + doe / 36_524 - doe / 146_096) / 365;
    let y = yoe + era * 400;
    let doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    let mp = (5 * doy + 2) / 153;
    let d = doy - (153 * mp + 2) / 5 + 1;
    let m = if mp < 10 { mp + 3 } else { mp - 9 };
    let y = if m <= 2 { y + 1 } else { y };
    format!(
        "{y:04}-{m:02}-{d:02}T{:02}:{:02}:{:02}.{nanos:09}Z",
        rem / 3600,
        (rem % 3600) / 60,
        rem % 60
    )
}

pub fn hostname() -> String {
    std::fs::read_to_string("/proc/sys/kernel/hostname")
        .map(|s| s.trim().to_string())
        .unwrap_or_default()
}

/// The alert for rule `i` matching `ev`.
pub fn from_match(engine: &Engine, i: usize, ev: &Event, host: &str) -> Alert {
    let info = engine.rule(i);
    Alert {
        time: rfc3339(ev.ts_ns),
        rule: info.name.clone(),
        priority: info.priority_text.clone(),
        output: format!("{} {}", rfc3339(ev.ts_ns), engine.render_output(i, ev)),
        output_fields: engine.output_fields(i, ev),
        tags: info.tags.clone(),
        source: "syscall".into(),
        hostname: host.to_string(),
        evt_num: ev.num,
        evt_type: ev.kind.name().to_string(),
        response: None,
    }
}

/// An alert the sensor raises about itself (lost events).
pub fn internal(rule: &str, priority: &str, output: String, ts_ns: u64, host: &str) -> Alert {
    Alert {
        time: rfc3339(ts_ns),
        rule: rule.into(),
        priority: priority.into(),
        output,
        output_fields: BTreeMap::new(),
        tags: vec!["yagura_internal".into()],
        source: "internal".into(),
        hostname: host.into(),
        evt_num: 0,
        evt_type: String::new(),
        response: None,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn rfc3339_formats_known_instants() {
        assert_eq!(rfc3339(0), "1970-01-01T00:00:00.000000000Z");
        assert_eq!(
            rfc3339(1_795_824_000_123_456_789),
            "2026-11-28T00:00:00.123456789Z"
        );
        assert_eq!(
            rfc3339(951_782_400_000_000_000),
            "2000-02-29T00:00:00.000000000Z"
        );
    }
}
