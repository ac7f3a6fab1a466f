//! CVSS v3.0 and v3.1 (FIRST specification documents, section 7 / 8 equations).

use crate::parse::{base, optional, parse_fields, MetricSpec, Parsed};
use crate::{ceil_tenths_exact, from_tenths, Error, Rating, Score, Version};

const AV: usize = 0;
const AC: usize = 1;
const PR: usize = 2;
const UI: usize = 3;
const S: usize = 4;
const C: usize = 5;
const I: usize = 6;
const A: usize = 7;
const E: usize = 8;
const RL: usize = 9;
const RC: usize = 10;
const CR: usize = 11;
const IR: usize = 12;
const AR: usize = 13;
const MAV: usize = 14;
const MAC: usize = 15;
const MPR: usize = 16;
const MUI: usize = 17;
const MS: usize = 18;
const MC: usize = 19;
const MI: usize = 20;
const MA: usize = 21;

const CIA: &[&str] = &["H", "L", "N"];
const REQUIREMENT: &[&str] = &["X", "H", "M", "L"];
const MODIFIED_CIA: &[&str] = &["X", "H", "L", "N"];

static SPECS: [MetricSpec; 22] = [
    base("AV", &["N", "A", "L", "P"]),
    base("AC", &["L", "H"]),
    base("PR", &["N", "L", "H"]),
    base("UI", &["N", "R"]),
    base("S", &["U", "C"]),
    base("C", CIA),
    base("I", CIA),
    base("A", CIA),
    optional("E", &["X", "H", "F", "P", "U"]),
    optional("RL", &["X", "U", "W", "T", "O"]),
    optional("RC", &["X", "C", "R", "U"]),
    optional("CR", REQUIREMENT),
    optional("IR", REQUIREMENT),
    optional("AR", REQUIREMENT),
    optional("MAV", &["X", "N", "A", "L", "P"]),
    optional("MAC", &["X", "L", "H"]),
    optional("MPR", &["X", "N", "L", "H"]),
    optional("MUI", &["X", "N", "R"]),
    optional("MS", &["X", "U", "C"]),
    optional("MC", MODIFIED_CIA),
    optional("MI", MODIFIED_CIA),
    optional("MA", MODIFIED_CIA),
];

/// Index of the base metric a modified metric overrides.
fn base_of(modified: usize) -> usize {
    modified - MAV
}

/// Value of a metric, "X" when absent.
fn raw<'a>(parsed: &Parsed<'a>, index: usize) -> &'a str {
    parsed.get(index).unwrap_or("X")
}

/// Value of a modified metric, falling back to its base metric when absent or X.
fn modified<'a>(parsed: &Parsed<'a>, index: usize) -> &'a str {
    match parsed.get(index) {
        Some(value) if value != "X" => value,
        _ => raw(parsed, base_of(index)),
    }
}

/// Numeric weight; `scope_changed` matters only for Privileges Required.
fn weight(kind: usize, value: &str, scope_changed: bool) -> f64 {
    match (kind, value) {
        (AV, "N") => 0.85,
        (AV, "A") => 0.62,
        (AV, "L") => 0.55,
        (AV, "P") => 0.2,
        (AC, "L") => 0.77,
        (AC, "H") => 0.44,
        (PR, "N") => 0.85,
        (PR, "L") if scope_changed => 0.68,
        (PR, "L") => 0.62,
        (PR, "H") if scope_changed => 0.5,
        (PR, "H") => 0.27,
        (UI, "N") => 0.85,
        (UI, "R") => 0.62,
        (C, "H") => 0.56,
        (C, "L") => 0.22,
        (C, "N") => 0.0,
        (E, "F") => 0.97,
        (E, "P") => 0.94,
        (E, "U") => 0.91,
        (RL, "W") => 0.97,
        (RL, "T") => 0.96,
        (RL, "O") => 0.95,
        (RC, "R") => 0.96,
        (RC, "U") => 0.92,
        (CR, "H") => 1.5,
        (CR, "L") => 0.5,
        // X, E:H, RL:U, RC:C and requirement M are neutral.
        _ => 1.0,
    }
}

/// Rounding of the spec version: v3.1 redefined Roundup to be robust to binary floating
/// point (round to 5 decimals as an integer, then ceil to one decimal); v3.0 defines it as a
/// plain ceil to one decimal of the exact value.
fn roundup(value: f64, version: Version) -> f64 {
    if version == Version::V3_1 {
        let int_input = (value * 100_000.0).round() as i64;
        if int_input % 10_000 == 0 {
            int_input as f64 / 100_000.0
        } else {
            from_tenths(int_input.div_euclid(10_000) + 1)
        }
    } else {
        ceil_tenths_exact(value)
    }
}

fn is_defined(parsed: &Parsed<'_>, indices: &[usize]) -> bool {
    indices
        .iter()
        .any(|&index| matches!(parsed.get(index), Some(value) if value != "X"))
}

pub(crate) fn score(body: &str, version: Version) -> Result<Score, Error> {
    let parsed = parse_fields(body, version, &SPECS)?;

    let scope_changed = raw(&parsed, S) == "C";
    let cia = |index| weight(C, raw(&parsed, index), false);
    let isc_base = 1.0 - ((1.0 - cia(C)) * (1.0 - cia(I)) * (1.0 - cia(A)));
    let impact = if scope_changed {
        7.52 * (isc_base - 0.029) - 3.25 * (isc_base - 0.02).powi(15)
    } else {
        6.42 * isc_base
    };
    let exploitability = 8.22
        * weight(AV, raw(&parsed, AV), false)
        * weight(AC, raw(&parsed, AC), false)
        * weight(PR, raw(&parsed, PR), scope_changed)
        * weight(UI, raw(&parsed, UI), false);
    let base_score = if impact <= 0.0 {
        0.0
    } else if scope_changed {
        roundup((1.08 * (impact + exploitability)).min(10.0), version)
    } else {
        roundup((impact + exploitability).min(10.0), version)
    };

    let temporal_multiplier = weight(E, raw(&parsed, E), false)
        * weight(RL, raw(&parsed, RL), false)
        * weight(RC, raw(&parsed, RC), false);
    let temporal_score = is_defined(&parsed, &[E, RL, RC])
        .then(|| roundup(base_score * temporal_multiplier, version));

    let environmental_score =
        is_defined(&parsed, &[CR, IR, AR, MAV, MAC, MPR, MUI, MS, MC, MI, MA])
            .then(|| environmental(&parsed, version, temporal_multiplier));

    Ok(Score {
        version,
        base_score,
        severity: Rating::from_score(version, base_score),
        temporal_score,
        environmental_score,
        v4_nomenclature: None,
    })
}

fn environmental(parsed: &Parsed<'_>, version: Version, temporal_multiplier: f64) -> f64 {
    let modified_scope_changed = modified(parsed, MS) == "C";
    let requirement = |index| weight(CR, raw(parsed, index), false);
    let modified_cia = |index| weight(C, modified(parsed, index), false);
    let misc_base = (1.0
        - (1.0 - modified_cia(MC) * requirement(CR))
            * (1.0 - modified_cia(MI) * requirement(IR))
            * (1.0 - modified_cia(MA) * requirement(AR)))
    .min(0.915);
    let modified_impact = if !modified_scope_changed {
        6.42 * misc_base
    } else if version == Version::V3_1 {
        7.52 * (misc_base - 0.029) - 3.25 * (misc_base * 0.9731 - 0.02).powi(13)
    } else {
        7.52 * (misc_base - 0.029) - 3.25 * (misc_base - 0.02).powi(15)
    };
    let modified_exploitability = 8.22
        * weight(AV, modified(parsed, MAV), false)
        * weight(AC, modified(parsed, MAC), false)
        * weight(PR, modified(parsed, MPR), modified_scope_changed)
        * weight(UI, modified(parsed, MUI), false);
    if modified_impact <= 0.0 {
        return 0.0;
    }
    let capped = if modified_scope_changed {
        (1.08 * (modified_impact + modified_exploitability)).min(10.0)
    } else {
        (modified_impact + modified_exploitability).min(10.0)
    };
    roundup(roundup(capped, version) * temporal_multiplier, version)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn v3_1_roundup_matches_the_spec_pseudocode() {
        // Appendix A of the v3.1 specification.
        assert_eq!(roundup(4.000_000_000_000_001, Version::V3_1), 4.0);
        assert_eq!(roundup(4.02, Version::V3_1), 4.1);
        assert_eq!(roundup(4.0, Version::V3_1), 4.0);
        assert_eq!(roundup(4.000_01, Version::V3_1), 4.1);
        // Below the 5-decimal grid, v3.1 treats the excess as noise.
        assert_eq!(roundup(4.000_004, Version::V3_1), 4.0);
        // v3.0 is ceil of the (exact) value.
        assert_eq!(roundup(4.000_004, Version::V3_0), 4.1);
        assert_eq!(roundup(4.000_000_000_000_001, Version::V3_0), 4.0);
    }
}
