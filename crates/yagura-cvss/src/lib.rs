//! CVSS vector parsing and scoring for v2, v3.0, v3.1 and v4.0.
//!
//! Advisories carry severity as CVSS vector strings, often without a score or with a score
//! computed by a different calculator; scoring the vector ourselves gives one consistent number
//! and rating per finding. Everything here is pure: no I/O, no panics on any input.
//!
//! ```
//! let s = yagura_cvss::score("CVSS:3.1/AV:N/AC:L/PR:N/UI:N/S:U/C:H/I:H/A:H").unwrap();
//! assert_eq!(s.base_score, 9.8);
//! assert_eq!(s.severity, yagura_cvss::Rating::Critical);
//! ```

mod parse;
mod v2;
mod v3;
mod v4;
mod v4_lookup;

use serde::{Deserialize, Serialize};

/// CVSS specification version a vector was written against.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub enum Version {
    V2,
    V3_0,
    V3_1,
    V4_0,
}

impl Version {
    /// Version label as used in vector prefixes ("2.0", "3.0", "3.1", "4.0").
    pub fn as_str(self) -> &'static str {
        match self {
            Version::V2 => "2.0",
            Version::V3_0 => "3.0",
            Version::V3_1 => "3.1",
            Version::V4_0 => "4.0",
        }
    }
}

impl std::fmt::Display for Version {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(self.as_str())
    }
}

/// Qualitative severity rating.
///
/// v3.x and v4.0 use the specifications' scale (None 0.0, Low 0.1–3.9, Medium 4.0–6.9,
/// High 7.0–8.9, Critical 9.0–10.0). CVSS v2 defines no scale of its own, so the NVD one is used
/// (Low 0.0–3.9, Medium 4.0–6.9, High 7.0–10.0), which never yields None or Critical.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
pub enum Rating {
    None,
    Low,
    Medium,
    High,
    Critical,
}

impl Rating {
    /// Rating of a score on the given version's qualitative scale.
    pub fn from_score(version: Version, score: f64) -> Rating {
        let tenths = to_tenths(score);
        match version {
            Version::V2 => match tenths {
                i32::MIN..=39 => Rating::Low,
                40..=69 => Rating::Medium,
                _ => Rating::High,
            },
            Version::V3_0 | Version::V3_1 | Version::V4_0 => match tenths {
                i32::MIN..=0 => Rating::None,
                1..=39 => Rating::Low,
                40..=69 => Rating::Medium,
                70..=89 => Rating::High,
                _ => Rating::Critical,
            },
        }
    }

    pub fn as_str(self) -> &'static str {
        match self {
            Rating::None => "None",
            Rating::Low => "Low",
            Rating::Medium => "Medium",
            Rating::High => "High",
            Rating::Critical => "Critical",
        }
    }
}

impl std::fmt::Display for Rating {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(self.as_str())
    }
}

/// Result of scoring one vector.
///
/// `base_score` is the headline number: for v2/v3 the Base score; for v4.0 the score of all
/// metrics present in the vector (CVSS-B, -BT, -BE or -BTE, see [`Score::v4_nomenclature`]),
/// because v4.0 has a single score that absorbs threat and environmental metrics.
#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize)]
pub struct Score {
    pub version: Version,
    pub base_score: f64,
    pub severity: Rating,
    /// v2/v3 Temporal score; `Some` only when the vector sets a temporal metric to a defined
    /// value. Always `None` for v4.0.
    pub temporal_score: Option<f64>,
    /// v2/v3 Environmental score; `Some` only when the vector sets an environmental metric to a
    /// defined value. Always `None` for v4.0.
    pub environmental_score: Option<f64>,
    /// v4.0 only: which metric groups contributed to the score.
    pub v4_nomenclature: Option<Nomenclature>,
}

/// CVSS v4.0 score nomenclature: the spec requires saying which metric groups a score
/// reflects, since one number absorbs Base, Threat and Environmental metrics.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub enum Nomenclature {
    /// Base metrics only.
    #[serde(rename = "CVSS-B")]
    CvssB,
    /// Base and Threat metrics.
    #[serde(rename = "CVSS-BT")]
    CvssBT,
    /// Base and Environmental metrics.
    #[serde(rename = "CVSS-BE")]
    CvssBE,
    /// Base, Threat and Environmental metrics.
    #[serde(rename = "CVSS-BTE")]
    CvssBTE,
}

impl Nomenclature {
    pub fn as_str(self) -> &'static str {
        match self {
            Nomenclature::CvssB => "CVSS-B",
            Nomenclature::CvssBT => "CVSS-BT",
            Nomenclature::CvssBE => "CVSS-BE",
            Nomenclature::CvssBTE => "CVSS-BTE",
        }
    }
}

impl std::fmt::Display for Nomenclature {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(self.as_str())
    }
}

/// Why a vector was rejected. Every variant names the offending part so callers can report it.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum Error {
    #[error("empty CVSS vector")]
    Empty,
    #[error("unsupported CVSS version prefix {0:?}")]
    UnsupportedVersion(String),
    #[error("malformed CVSS field {field:?}: expected METRIC:VALUE")]
    MalformedField { field: String },
    #[error("unknown CVSS {version} metric {metric:?}")]
    UnknownMetric { version: Version, metric: String },
    #[error("duplicate CVSS {version} metric {metric:?}")]
    DuplicateMetric { version: Version, metric: String },
    #[error("missing mandatory CVSS {version} base metric {metric:?}")]
    MissingMetric {
        version: Version,
        metric: &'static str,
    },
    #[error("invalid value {value:?} for CVSS {version} metric {metric:?}")]
    InvalidValue {
        version: Version,
        metric: String,
        value: String,
    },
}

/// Parses a CVSS vector of any supported version and computes its scores.
///
/// The version comes from the prefix (`CVSS:3.0/`, `CVSS:3.1/`, `CVSS:4.0/`); a vector without
/// prefix is CVSS v2 (`AV:N/AC:L/Au:N/C:P/I:P/A:P`, optionally wrapped in parentheses or
/// prefixed `CVSS:2.0/` as some feeds do). Surrounding whitespace is ignored; metrics may appear
/// in any order, but unknown, duplicate, missing mandatory or ill-valued metrics are errors.
pub fn score(vector: &str) -> Result<Score, Error> {
    let trimmed = vector.trim();
    if trimmed.is_empty() {
        return Err(Error::Empty);
    }
    if let Some(rest) = trimmed.strip_prefix("CVSS:") {
        let (label, body) = match rest.split_once('/') {
            Some(split) => split,
            None => (rest, ""),
        };
        return match label {
            "2.0" => v2::score(body),
            "3.0" => v3::score(body, Version::V3_0),
            "3.1" => v3::score(body, Version::V3_1),
            "4.0" => v4::score(body),
            other => Err(Error::UnsupportedVersion(parse::clip(other))),
        };
    }
    let body = match trimmed
        .strip_prefix('(')
        .and_then(|inner| inner.strip_suffix(')'))
    {
        Some(inner) => inner,
        None => trimmed,
    };
    v2::score(body)
}

/// Converts a score to whole tenths; scores are always produced as `tenths / 10.0`.
fn to_tenths(score: f64) -> i32 {
    // `as` saturates and maps NaN to 0, so this cannot panic.
    (score * 10.0).round() as i32
}

/// Builds the `f64` nearest to `tenths / 10`, so scores compare equal to decimal literals.
fn from_tenths(tenths: i64) -> f64 {
    tenths as f64 / 10.0
}

/// Tolerance (in tenths) for deciding that an `f64` result "is" an exact decimal boundary:
/// f64 evaluation error of these formulas is ~1e-14, while exact results that miss a boundary
/// miss it by far more (checked against a decimal-arithmetic reference in tests).
const FLOAT_SLACK: f64 = 1e-9;

/// Smallest one-decimal number >= `value`, judged on the mathematically exact value: a result
/// that is a multiple of 0.1 up to f64 error is not bumped to the next tenth.
fn ceil_tenths_exact(value: f64) -> f64 {
    let scaled = value * 10.0;
    let nearest = scaled.round();
    if (scaled - nearest).abs() < FLOAT_SLACK {
        from_tenths(nearest as i64)
    } else {
        from_tenths(scaled.ceil() as i64)
    }
}

/// Round half up to one decimal, judged on the mathematically exact value.
fn round_half_up_tenths_exact(value: f64) -> f64 {
    let scaled = value * 10.0;
    let floor = scaled.floor();
    if (scaled - (floor + 0.5)).abs() < FLOAT_SLACK {
        from_tenths(floor as i64 + 1)
    } else {
        from_tenths(scaled.round() as i64)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn exact_ceil_ignores_float_noise_but_not_real_excess() {
        assert_eq!(ceil_tenths_exact(4.0), 4.0);
        assert_eq!(ceil_tenths_exact(4.000_000_000_000_001), 4.0);
        assert_eq!(ceil_tenths_exact(3.999_999_999_999_999), 4.0);
        assert_eq!(ceil_tenths_exact(4.02), 4.1);
        assert_eq!(ceil_tenths_exact(4.000_01), 4.1);
        assert_eq!(ceil_tenths_exact(0.0), 0.0);
    }

    #[test]
    fn half_up_rounding_of_exact_ties() {
        assert_eq!(round_half_up_tenths_exact(1.45), 1.5);
        assert_eq!(round_half_up_tenths_exact(1.449_999_999_999_999_3), 1.5);
        assert_eq!(round_half_up_tenths_exact(1.44), 1.4);
        assert_eq!(round_half_up_tenths_exact(6.449), 6.4);
    }

    #[test]
    fn ratings_follow_each_versions_scale() {
        assert_eq!(Rating::from_score(Version::V3_1, 0.0), Rating::None);
        assert_eq!(Rating::from_score(Version::V3_1, 0.1), Rating::Low);
        assert_eq!(Rating::from_score(Version::V4_0, 3.9), Rating::Low);
        assert_eq!(Rating::from_score(Version::V4_0, 4.0), Rating::Medium);
        assert_eq!(Rating::from_score(Version::V3_0, 6.9), Rating::Medium);
        assert_eq!(Rating::from_score(Version::V3_0, 7.0), Rating::High);
        assert_eq!(Rating::from_score(Version::V3_1, 8.9), Rating::High);
        assert_eq!(Rating::from_score(Version::V3_1, 9.0), Rating::Critical);
        assert_eq!(Rating::from_score(Version::V2, 0.0), Rating::Low);
        assert_eq!(Rating::from_score(Version::V2, 4.0), Rating::Medium);
        assert_eq!(Rating::from_score(Version::V2, 10.0), Rating::High);
    }
}
