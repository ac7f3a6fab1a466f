//! Scores must equal those of the reference implementation (PyPI `cvss`, RedHat) for every
//! fixture row; see tests/fixtures/regen.sh for how the fixtures were produced.

use yagura_cvss::{score, Version};

struct Row<'a> {
    line: usize,
    vector: &'a str,
    base: f64,
    temporal: Option<f64>,
    environmental: Option<f64>,
}

fn parse_score(text: &str, line: usize) -> Option<f64> {
    if text.is_empty() {
        return None;
    }
    Some(
        text.parse()
            .unwrap_or_else(|e| panic!("fixture line {line}: bad score {text:?}: {e}")),
    )
}

fn rows(csv: &str) -> Vec<Row<'_>> {
    csv.lines()
        .enumerate()
        .skip(1)
        .map(|(index, text)| {
            let line = index + 1;
            let cols: Vec<&str> = text.split(',').collect();
            assert_eq!(cols.len(), 4, "fixture line {line}: {text}");
            Row {
                line,
                vector: cols[0],
                base: parse_score(cols[1], line).expect("base score present"),
                temporal: parse_score(cols[2], line),
                environmental: parse_score(cols[3], line),
            }
        })
        .collect()
}

/// Compares every row; `subscores` also checks temporal/environmental where we report them.
fn check(csv: &str, version: Version, min_rows: usize, subscores: bool) {
    let rows = rows(csv);
    assert!(rows.len() >= min_rows, "only {} fixture rows", rows.len());
    let mut failures = Vec::new();
    for row in &rows {
        let got = match score(row.vector) {
            Ok(got) => got,
            Err(e) => {
                failures.push(format!("line {} {}: error {e}", row.line, row.vector));
                continue;
            }
        };
        assert_eq!(got.version, version, "{}", row.vector);
        if got.base_score != row.base {
            failures.push(format!(
                "line {} {}: base {} != expected {}",
                row.line, row.vector, got.base_score, row.base
            ));
        }
        if !subscores {
            continue;
        }
        // The reference reports v3 temporal/environmental even when no such metric is given
        // (they then equal the base score); we report them only when the vector defines one.
        if let Some(temporal) = got.temporal_score {
            if Some(temporal) != row.temporal {
                failures.push(format!(
                    "line {} {}: temporal {temporal} != expected {:?}",
                    row.line, row.vector, row.temporal
                ));
            }
        } else if version == Version::V2 && row.temporal.is_some() {
            failures.push(format!(
                "line {} {}: temporal missing",
                row.line, row.vector
            ));
        } else if version != Version::V2 && row.temporal != Some(row.base) {
            // With no temporal metric the v3 temporal score must collapse to the base score.
            failures.push(format!(
                "line {} {}: temporal not reported but reference {:?} != base",
                row.line, row.vector, row.temporal
            ));
        }
        if let Some(environmental) = got.environmental_score {
            if Some(environmental) != row.environmental {
                failures.push(format!(
                    "line {} {}: environmental {environmental} != expected {:?}",
                    row.line, row.vector, row.environmental
                ));
            }
        } else if version == Version::V2 && row.environmental.is_some() {
            failures.push(format!(
                "line {} {}: environmental missing",
                row.line, row.vector
            ));
        }
    }
    assert!(
        failures.is_empty(),
        "{} of {} rows differ:\n{}",
        failures.len(),
        rows.len(),
        failures
            .iter()
            .take(40)
            .cloned()
            .collect::<Vec<_>>()
            .join("\n")
    );
}

#[test]
fn v2_matches_reference() {
    check(include_str!("fixtures/v2.csv"), Version::V2, 3000, true);
}

#[test]
fn v3_0_matches_reference() {
    check(include_str!("fixtures/v30.csv"), Version::V3_0, 5000, true);
}

#[test]
fn v3_1_matches_reference() {
    check(include_str!("fixtures/v31.csv"), Version::V3_1, 5000, true);
}

#[test]
fn v4_0_matches_reference() {
    check(include_str!("fixtures/v40.csv"), Version::V4_0, 2500, false);
}

/// Every CVSS v4.0 base vector, in the generator's enumeration order (metrics in spec order,
/// values as listed below, last metric varying fastest).
#[test]
fn v4_0_all_base_vectors_match_reference() {
    const METRICS: [(&str, &[&str]); 11] = [
        ("AV", &["N", "A", "L", "P"]),
        ("AC", &["L", "H"]),
        ("AT", &["N", "P"]),
        ("PR", &["N", "L", "H"]),
        ("UI", &["N", "P", "A"]),
        ("VC", &["H", "L", "N"]),
        ("VI", &["H", "L", "N"]),
        ("VA", &["H", "L", "N"]),
        ("SC", &["H", "L", "N"]),
        ("SI", &["H", "L", "N"]),
        ("SA", &["H", "L", "N"]),
    ];
    let expected: Vec<i64> = include_str!("fixtures/v40_base_exhaustive.txt")
        .split_whitespace()
        .map(|tenths| tenths.parse().expect("integer tenths"))
        .collect();
    let total: usize = METRICS.iter().map(|(_, values)| values.len()).product();
    assert_eq!(expected.len(), total);

    let mut failures = Vec::new();
    for (ordinal, want) in expected.iter().enumerate() {
        let mut rest = ordinal;
        let mut picks = [""; 11];
        for (slot, (_, values)) in picks.iter_mut().zip(METRICS.iter()).rev() {
            *slot = values[rest % values.len()];
            rest /= values.len();
        }
        let vector = format!(
            "CVSS:4.0/{}",
            METRICS
                .iter()
                .zip(picks)
                .map(|((metric, _), value)| format!("{metric}:{value}"))
                .collect::<Vec<_>>()
                .join("/")
        );
        let got = score(&vector).unwrap_or_else(|e| panic!("{vector}: {e}"));
        if (got.base_score * 10.0).round() as i64 != *want {
            failures.push(format!(
                "{vector}: {} != {}",
                got.base_score,
                *want as f64 / 10.0
            ));
        }
    }
    assert!(
        failures.is_empty(),
        "{} of {total} differ:\n{}",
        failures.len(),
        failures
            .iter()
            .take(40)
            .cloned()
            .collect::<Vec<_>>()
            .join("\n")
    );
}
