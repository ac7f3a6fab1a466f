//! CVSS v2 (FIRST "A Complete Guide to the Common Vulnerability Scoring System Version 2.0").

use crate::parse::{base, optional, parse_fields, MetricSpec, Parsed};
use crate::{round_half_up_tenths_exact, Error, Rating, Score, Version};

const AV: usize = 0;
const AC: usize = 1;
const AU: usize = 2;
const C: usize = 3;
const I: usize = 4;
const A: usize = 5;
const E: usize = 6;
const RL: usize = 7;
const RC: usize = 8;
const CDP: usize = 9;
const TD: usize = 10;
const CR: usize = 11;
const IR: usize = 12;
const AR: usize = 13;

const REQUIREMENT: &[&str] = &["L", "M", "H", "ND"];
const CIA: &[&str] = &["N", "P", "C"];

static SPECS: [MetricSpec; 14] = [
    base("AV", &["L", "A", "N"]),
    base("AC", &["H", "M", "L"]),
    base("Au", &["M", "S", "N"]),
    base("C", CIA),
    base("I", CIA),
    base("A", CIA),
    optional("E", &["U", "POC", "F", "H", "ND"]),
    optional("RL", &["OF", "TF", "W", "U", "ND"]),
    optional("RC", &["UC", "UR", "C", "ND"]),
    optional("CDP", &["N", "L", "LM", "MH", "H", "ND"]),
    optional("TD", &["N", "L", "M", "H", "ND"]),
    optional("CR", REQUIREMENT),
    optional("IR", REQUIREMENT),
    optional("AR", REQUIREMENT),
];

/// Numeric weight of a metric value; absent metrics count as "ND" (Not Defined).
fn weight(parsed: &Parsed<'_>, index: usize) -> f64 {
    let value = parsed.get(index).unwrap_or("ND");
    match (index, value) {
        (AV, "L") => 0.395,
        (AV, "A") => 0.646,
        (AV, "N") => 1.0,
        (AC, "H") => 0.35,
        (AC, "M") => 0.61,
        (AC, "L") => 0.71,
        (AU, "M") => 0.45,
        (AU, "S") => 0.56,
        (AU, "N") => 0.704,
        (C | I | A, "N") => 0.0,
        (C | I | A, "P") => 0.275,
        (C | I | A, "C") => 0.660,
        (E, "U") => 0.85,
        (E, "POC") => 0.9,
        (E, "F") => 0.95,
        (RL, "OF") => 0.87,
        (RL, "TF") => 0.90,
        (RL, "W") => 0.95,
        (RC, "UC") => 0.90,
        (RC, "UR") => 0.95,
        (CDP, "N" | "ND") => 0.0,
        (CDP, "L") => 0.1,
        (CDP, "LM") => 0.3,
        (CDP, "MH") => 0.4,
        (CDP, "H") => 0.5,
        (TD, "N") => 0.0,
        (TD, "L") => 0.25,
        (TD, "M") => 0.75,
        (CR | IR | AR, "L") => 0.5,
        (CR | IR | AR, "H") => 1.51,
        // E:H, RL:U, RC:C, TD:H, requirements M, and every ND are neutral.
        _ => 1.0,
    }
}

fn is_defined(parsed: &Parsed<'_>, index: usize) -> bool {
    matches!(parsed.get(index), Some(value) if value != "ND")
}

pub(crate) fn score(body: &str) -> Result<Score, Error> {
    let parsed = parse_fields(body, Version::V2, &SPECS)?;
    let w = |index| weight(&parsed, index);

    let impact = 10.41 * (1.0 - (1.0 - w(C)) * (1.0 - w(I)) * (1.0 - w(A)));
    let base_score = base_equation(&parsed, impact);

    let temporal_factor = |score: f64| round_half_up_tenths_exact(score * w(E) * w(RL) * w(RC));
    let temporal_score = [E, RL, RC]
        .iter()
        .any(|&index| is_defined(&parsed, index))
        .then(|| temporal_factor(base_score).max(0.0));

    let environmental_score = [CDP, TD, CR, IR, AR]
        .iter()
        .any(|&index| is_defined(&parsed, index))
        .then(|| {
            let adjusted_impact = (10.41
                * (1.0 - (1.0 - w(C) * w(CR)) * (1.0 - w(I) * w(IR)) * (1.0 - w(A) * w(AR))))
            .min(10.0);
            let adjusted_temporal = temporal_factor(base_equation(&parsed, adjusted_impact));
            round_half_up_tenths_exact(
                (adjusted_temporal + (10.0 - adjusted_temporal) * w(CDP)) * w(TD),
            )
            .max(0.0)
        });

    Ok(Score {
        version: Version::V2,
        base_score,
        severity: Rating::from_score(Version::V2, base_score),
        temporal_score,
        environmental_score,
        v4_nomenclature: None,
    })
}

/// BaseScore equation, parameterised on the impact so it also yields the AdjustedBase.
fn base_equation(parsed: &Parsed<'_>, impact: f64) -> f64 {
    let exploitability = 20.0 * weight(parsed, AV) * weight(parsed, AC) * weight(parsed, AU);
    let f_impact = if impact == 0.0 { 0.0 } else { 1.176 };
    round_half_up_tenths_exact(((0.6 * impact) + (0.4 * exploitability) - 1.5) * f_impact).max(0.0)
}
