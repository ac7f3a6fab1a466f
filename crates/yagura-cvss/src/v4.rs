//! CVSS v4.0 (FIRST specification document, section 8 "CVSS v4.0 Scoring").
//!
//! Scoring maps the vector to a macrovector (equivalence classes EQ1–EQ6), looks up the
//! score of that macrovector's highest-severity vectors, then subtracts the mean proportional
//! distance of the vector from those highest vectors towards the next lower macrovectors.
//! The floating-point operations follow the reference calculator's order so results agree to
//! the last bit before the final rounding.

use crate::parse::{base, optional, parse_fields, MetricSpec, Parsed};
use crate::v4_lookup::MACROVECTOR_SCORES;
use crate::{from_tenths, Error, Nomenclature, Rating, Score, Version};

const IMPACT: &[&str] = &["H", "L", "N"];
const REQUIREMENT: &[&str] = &["X", "H", "M", "L"];
const MODIFIED_IMPACT: &[&str] = &["X", "H", "L", "N"];
const MODIFIED_SUBSEQUENT_IMPACT: &[&str] = &["X", "S", "H", "L", "N"];

/// Metric order follows the specification's vector order; the first eleven are Base.
static SPECS: [MetricSpec; 32] = [
    base("AV", &["N", "A", "L", "P"]),
    base("AC", &["L", "H"]),
    base("AT", &["N", "P"]),
    base("PR", &["N", "L", "H"]),
    base("UI", &["N", "P", "A"]),
    base("VC", IMPACT),
    base("VI", IMPACT),
    base("VA", IMPACT),
    base("SC", IMPACT),
    base("SI", IMPACT),
    base("SA", IMPACT),
    // Threat
    optional("E", &["X", "A", "P", "U"]),
    // Environmental
    optional("CR", REQUIREMENT),
    optional("IR", REQUIREMENT),
    optional("AR", REQUIREMENT),
    optional("MAV", &["X", "N", "A", "L", "P"]),
    optional("MAC", &["X", "L", "H"]),
    optional("MAT", &["X", "N", "P"]),
    optional("MPR", &["X", "N", "L", "H"]),
    optional("MUI", &["X", "N", "P", "A"]),
    optional("MVC", MODIFIED_IMPACT),
    optional("MVI", MODIFIED_IMPACT),
    optional("MVA", MODIFIED_IMPACT),
    optional("MSC", MODIFIED_IMPACT),
    optional("MSI", MODIFIED_SUBSEQUENT_IMPACT),
    optional("MSA", MODIFIED_SUBSEQUENT_IMPACT),
    // Supplemental: parsed and validated, never scored.
    optional("S", &["X", "N", "P"]),
    optional("AU", &["X", "N", "Y"]),
    optional("R", &["X", "A", "U", "I"]),
    optional("V", &["X", "D", "C"]),
    optional("RE", &["X", "L", "M", "H"]),
    optional("U", &["X", "Clear", "Green", "Amber", "Red"]),
];

const E: usize = 11;
const CR: usize = 12;
const IR: usize = 13;
const AR: usize = 14;
const FIRST_MODIFIED: usize = 15;
const LAST_MODIFIED: usize = 25;

/// Effective values of the metrics that drive scoring, after applying the spec's defaults
/// (E:X → A, CR/IR/AR:X → H) and letting modified base metrics override base metrics.
#[derive(Clone, Copy)]
struct Effective<'a> {
    av: &'a str,
    ac: &'a str,
    at: &'a str,
    pr: &'a str,
    ui: &'a str,
    vc: &'a str,
    vi: &'a str,
    va: &'a str,
    sc: &'a str,
    si: &'a str,
    sa: &'a str,
    e: &'a str,
    cr: &'a str,
    ir: &'a str,
    ar: &'a str,
}

impl<'a> Effective<'a> {
    fn from_parsed(parsed: &Parsed<'a>) -> Self {
        let defined = |index: usize| parsed.get(index).filter(|value| *value != "X");
        // Modified metric i (FIRST_MODIFIED..=LAST_MODIFIED) overrides base metric i - 15.
        let pick = |base_index: usize| {
            defined(base_index + FIRST_MODIFIED)
                .or_else(|| parsed.get(base_index))
                .unwrap_or("X")
        };
        Effective {
            av: pick(0),
            ac: pick(1),
            at: pick(2),
            pr: pick(3),
            ui: pick(4),
            vc: pick(5),
            vi: pick(6),
            va: pick(7),
            sc: pick(8),
            si: pick(9),
            sa: pick(10),
            e: defined(E).unwrap_or("A"),
            cr: defined(CR).unwrap_or("H"),
            ir: defined(IR).unwrap_or("H"),
            ar: defined(AR).unwrap_or("H"),
        }
    }

    fn macrovector(&self) -> [u8; 6] {
        let eq1 = if self.av == "N" && self.pr == "N" && self.ui == "N" {
            0
        } else if (self.av == "N" || self.pr == "N" || self.ui == "N") && self.av != "P" {
            1
        } else {
            2
        };
        let eq2 = if self.ac == "L" && self.at == "N" {
            0
        } else {
            1
        };
        let eq3 = if self.vc == "H" && self.vi == "H" {
            0
        } else if self.vc == "H" || self.vi == "H" || self.va == "H" {
            1
        } else {
            2
        };
        let eq4 = if self.si == "S" || self.sa == "S" {
            0
        } else if self.sc == "H" || self.si == "H" || self.sa == "H" {
            1
        } else {
            2
        };
        let eq5 = match self.e {
            "P" => 1,
            "U" => 2,
            _ => 0,
        };
        let eq6 = if (self.cr == "H" && self.vc == "H")
            || (self.ir == "H" && self.vi == "H")
            || (self.ar == "H" && self.va == "H")
        {
            0
        } else {
            1
        };
        [eq1, eq2, eq3, eq4, eq5, eq6]
    }
}

/// Severity level of a value within its metric, in tenths as the reference uses them.
fn level(metric: Metric, value: &str) -> f64 {
    match (metric, value) {
        (Metric::Av, "N") => 0.0,
        (Metric::Av, "A") => 0.1,
        (Metric::Av, "L") => 0.2,
        (Metric::Av, "P") => 0.3,
        (Metric::Pr, "N") => 0.0,
        (Metric::Pr, "L") => 0.1,
        (Metric::Pr, "H") => 0.2,
        (Metric::Ui, "N") => 0.0,
        (Metric::Ui, "P") => 0.1,
        (Metric::Ui, "A") => 0.2,
        (Metric::Ac, "L") | (Metric::At, "N") => 0.0,
        (Metric::Ac, "H") | (Metric::At, "P") => 0.1,
        (Metric::Vuln, "H") => 0.0,
        (Metric::Vuln, "L") => 0.1,
        (Metric::Vuln, "N") => 0.2,
        (Metric::Sub, "S") => 0.0,
        (Metric::Sub, "H") => 0.1,
        (Metric::Sub, "L") => 0.2,
        (Metric::Sub, "N") => 0.3,
        (Metric::Req, "H") => 0.0,
        (Metric::Req, "M") => 0.1,
        (Metric::Req, "L") => 0.2,
        // Unreachable after validation; a neutral level keeps scoring total.
        _ => 0.0,
    }
}

#[derive(Clone, Copy)]
enum Metric {
    Av,
    Pr,
    Ui,
    Ac,
    At,
    /// VC, VI, VA
    Vuln,
    /// SC, SI, SA
    Sub,
    /// CR, IR, AR
    Req,
}

/// Highest-severity vectors of each EQ level (specification data, "max_composed").
/// Values are (AV, PR, UI).
fn eq1_maxes(level: u8) -> &'static [[&'static str; 3]] {
    match level {
        0 => &[["N", "N", "N"]],
        1 => &[["A", "N", "N"], ["N", "L", "N"], ["N", "N", "P"]],
        _ => &[["P", "N", "N"], ["A", "L", "P"]],
    }
}

/// Values are (AC, AT).
fn eq2_maxes(level: u8) -> &'static [[&'static str; 2]] {
    match level {
        0 => &[["L", "N"]],
        _ => &[["H", "N"], ["L", "P"]],
    }
}

/// Joint EQ3/EQ6 maxima. Values are (VC, VI, VA, CR, IR, AR).
fn eq3_eq6_maxes(eq3: u8, eq6: u8) -> &'static [[&'static str; 6]] {
    match (eq3, eq6) {
        (0, 0) => &[["H", "H", "H", "H", "H", "H"]],
        (0, _) => &[
            ["H", "H", "L", "M", "M", "H"],
            ["H", "H", "H", "M", "M", "M"],
        ],
        (1, 0) => &[
            ["L", "H", "H", "H", "H", "H"],
            ["H", "L", "H", "H", "H", "H"],
        ],
        (1, _) => &[
            ["L", "H", "L", "H", "M", "H"],
            ["L", "H", "H", "H", "M", "M"],
            ["H", "L", "H", "M", "H", "M"],
            ["H", "L", "L", "M", "H", "H"],
            ["L", "L", "H", "H", "H", "M"],
        ],
        _ => &[["L", "L", "L", "H", "H", "H"]],
    }
}

/// Values are (SC, SI, SA).
fn eq4_maxes(level: u8) -> &'static [[&'static str; 3]] {
    match level {
        0 => &[["H", "S", "S"]],
        1 => &[["H", "H", "H"]],
        _ => &[["L", "L", "L"]],
    }
}

/// Depth of each EQ level, in severity steps (specification data, "max_severity").
fn eq1_depth(level: u8) -> f64 {
    match level {
        0 => 1.0,
        1 => 4.0,
        _ => 5.0,
    }
}

fn eq2_depth(level: u8) -> f64 {
    match level {
        0 => 1.0,
        _ => 2.0,
    }
}

fn eq3_eq6_depth(eq3: u8, eq6: u8) -> f64 {
    match (eq3, eq6) {
        (0, 0) => 7.0,
        (0, _) => 6.0,
        (1, _) => 8.0,
        _ => 10.0,
    }
}

fn eq4_depth(level: u8) -> f64 {
    match level {
        0 => 6.0,
        1 => 5.0,
        _ => 4.0,
    }
}

fn lookup(macrovector: [u8; 6]) -> Option<f64> {
    let key = macrovector
        .iter()
        .fold(0_u32, |key, &digit| key * 10 + u32::from(digit));
    MACROVECTOR_SCORES
        .binary_search_by_key(&key, |&(k, _)| k)
        .ok()
        .and_then(|index| MACROVECTOR_SCORES.get(index))
        .map(|&(_, score)| score)
}

fn bumped(macrovector: [u8; 6], positions: &[usize]) -> [u8; 6] {
    let mut next = macrovector;
    for &position in positions {
        if let Some(digit) = next.get_mut(position) {
            *digit += 1;
        }
    }
    next
}

/// Per-metric severity distances of the scored vector from one highest-severity vector.
struct Distances {
    eq1: [f64; 3],
    eq2: [f64; 2],
    eq3_eq6: [f64; 6],
    eq4: [f64; 3],
}

impl Distances {
    fn any_negative(&self) -> bool {
        self.eq1
            .iter()
            .chain(&self.eq2)
            .chain(&self.eq3_eq6)
            .chain(&self.eq4)
            .any(|distance| *distance < 0.0)
    }
}

fn distances(
    effective: &Effective<'_>,
    max1: &[&str; 3],
    max2: &[&str; 2],
    max36: &[&str; 6],
    max4: &[&str; 3],
) -> Distances {
    let d = |metric, own, max| level(metric, own) - level(metric, max);
    Distances {
        eq1: [
            d(Metric::Av, effective.av, max1[0]),
            d(Metric::Pr, effective.pr, max1[1]),
            d(Metric::Ui, effective.ui, max1[2]),
        ],
        eq2: [
            d(Metric::Ac, effective.ac, max2[0]),
            d(Metric::At, effective.at, max2[1]),
        ],
        eq3_eq6: [
            d(Metric::Vuln, effective.vc, max36[0]),
            d(Metric::Vuln, effective.vi, max36[1]),
            d(Metric::Vuln, effective.va, max36[2]),
            d(Metric::Req, effective.cr, max36[3]),
            d(Metric::Req, effective.ir, max36[4]),
            d(Metric::Req, effective.ar, max36[5]),
        ],
        eq4: [
            d(Metric::Sub, effective.sc, max4[0]),
            d(Metric::Sub, effective.si, max4[1]),
            d(Metric::Sub, effective.sa, max4[2]),
        ],
    }
}

/// Finds the first highest-severity vector (in the reference's enumeration order) that the
/// scored vector does not exceed on any metric.
fn distances_to_max(effective: &Effective<'_>, macrovector: [u8; 6]) -> Distances {
    let [eq1, eq2, eq3, eq4, _, eq6] = macrovector;
    let mut last = None;
    for max1 in eq1_maxes(eq1) {
        for max2 in eq2_maxes(eq2) {
            for max36 in eq3_eq6_maxes(eq3, eq6) {
                for max4 in eq4_maxes(eq4) {
                    let candidate = distances(effective, max1, max2, max36, max4);
                    if !candidate.any_negative() {
                        return candidate;
                    }
                    last = Some(candidate);
                }
            }
        }
    }
    // Every macrovector has a max the vector fits under; should that ever fail, the reference
    // keeps the last candidate, and so do we.
    last.unwrap_or(Distances {
        eq1: [0.0; 3],
        eq2: [0.0; 2],
        eq3_eq6: [0.0; 6],
        eq4: [0.0; 3],
    })
}

fn score_effective(effective: &Effective<'_>) -> f64 {
    let no_impact = [
        effective.vc,
        effective.vi,
        effective.va,
        effective.sc,
        effective.si,
        effective.sa,
    ]
    .iter()
    .all(|value| *value == "N");
    if no_impact {
        return 0.0;
    }

    let macrovector = effective.macrovector();
    let [eq1, eq2, eq3, eq4, _, eq6] = macrovector;
    let Some(value) = lookup(macrovector) else {
        // All reachable macrovectors are in the table; treat a gap as no score.
        return 0.0;
    };

    // Score of the next lower macrovector along each EQ; None where there is none.
    let lower_eq1 = lookup(bumped(macrovector, &[0]));
    let lower_eq2 = lookup(bumped(macrovector, &[1]));
    let lower_eq3_eq6 = match (eq3, eq6) {
        (0, 0) => {
            // Two ways down; the reference takes the higher-scoring one.
            let via_eq6 = lookup(bumped(macrovector, &[5]));
            let via_eq3 = lookup(bumped(macrovector, &[2]));
            match (via_eq6, via_eq3) {
                (Some(left), Some(right)) if left > right => Some(left),
                (_, right) => right,
            }
        }
        (1, 0) => lookup(bumped(macrovector, &[5])),
        (0 | 1, _) => lookup(bumped(macrovector, &[2])),
        _ => lookup(bumped(macrovector, &[2, 5])),
    };
    let lower_eq4 = lookup(bumped(macrovector, &[3]));
    let lower_eq5 = lookup(bumped(macrovector, &[4]));

    let distances = distances_to_max(effective, macrovector);
    let [av, pr, ui] = distances.eq1;
    let [ac, at] = distances.eq2;
    let [vc, vi, va, cr, ir, ar] = distances.eq3_eq6;
    let [sc, si, sa] = distances.eq4;
    let current_eq1 = av + pr + ui;
    let current_eq2 = ac + at;
    let current_eq3_eq6 = vc + vi + va + cr + ir + ar;
    let current_eq4 = sc + si + sa;

    const STEP: f64 = 0.1;
    let mut existing_lower = 0_u32;
    let mut normalized = |lower: Option<f64>, current: f64, depth: f64| -> f64 {
        match lower {
            Some(lower) => {
                existing_lower += 1;
                (value - lower) * (current / (depth * STEP))
            }
            None => 0.0,
        }
    };
    let normalized_eq1 = normalized(lower_eq1, current_eq1, eq1_depth(eq1));
    let normalized_eq2 = normalized(lower_eq2, current_eq2, eq2_depth(eq2));
    let normalized_eq3_eq6 = normalized(lower_eq3_eq6, current_eq3_eq6, eq3_eq6_depth(eq3, eq6));
    let normalized_eq4 = normalized(lower_eq4, current_eq4, eq4_depth(eq4));
    // EQ5 has no intra-class distance: it contributes 0 but counts towards the mean.
    let normalized_eq5 = normalized(lower_eq5, 0.0, 1.0);

    let mean_distance = if existing_lower == 0 {
        0.0
    } else {
        (normalized_eq1 + normalized_eq2 + normalized_eq3_eq6 + normalized_eq4 + normalized_eq5)
            / f64::from(existing_lower)
    };
    let interpolated = (value - mean_distance).clamp(0.0, 10.0);
    // The reference lifts by 1e-6 before rounding half up, so an interpolation landing one
    // ULP under an x.x5 tie rounds the way exact arithmetic would.
    from_tenths(((interpolated + 1e-6) * 10.0).round() as i64)
}

pub(crate) fn score(body: &str) -> Result<Score, Error> {
    let parsed = parse_fields(body, Version::V4_0, &SPECS)?;
    let effective = Effective::from_parsed(&parsed);
    let base_score = score_effective(&effective);

    let defined = |index: usize| matches!(parsed.get(index), Some(value) if value != "X");
    let threat = defined(E);
    let environmental = (CR..=LAST_MODIFIED).any(defined);
    let nomenclature = match (threat, environmental) {
        (false, false) => Nomenclature::CvssB,
        (true, false) => Nomenclature::CvssBT,
        (false, true) => Nomenclature::CvssBE,
        (true, true) => Nomenclature::CvssBTE,
    };

    Ok(Score {
        version: Version::V4_0,
        base_score,
        severity: Rating::from_score(Version::V4_0, base_score),
        temporal_score: None,
        environmental_score: None,
        v4_nomenclature: Some(nomenclature),
    })
}
