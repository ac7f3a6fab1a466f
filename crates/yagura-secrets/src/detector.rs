//! The static description of a built-in detector and of its self-test sample.

use yagura_model::Severity;

/// A built-in, provider-specific (or generic) secret detector.
///
/// Detectors are plain data; [`crate::Scanner`] compiles them once. Every detector
/// carries a [`Sample`] recipe so the test-suite can assemble a true positive and
/// false positives at run time without any secret-looking literal in the source.
#[derive(Debug, Clone, Copy)]
pub struct Detector {
    /// Stable kebab-case id, e.g. `aws-access-key-id`.
    pub id: &'static str,
    pub title: &'static str,
    pub severity: Severity,
    /// Case-insensitive keywords; the regex only runs near one of them.
    pub keywords: &'static [&'static str],
    /// Rust `regex` syntax, compiled as a byte regex with Unicode disabled.
    pub regex: &'static str,
    /// Capture group holding the secret (0 = whole match).
    pub secret_group: usize,
    /// Minimum Shannon entropy (bits per byte) of the secret.
    pub entropy: Option<f32>,
    pub allowlist: DetectorAllowlist,
    pub description: &'static str,
    /// The match may span lines (PEM blocks): search forward past the keyword's line.
    pub multiline: bool,
    /// Generic detectors yield to provider-specific ones on the same span and get
    /// extra "looks like code, not a secret" filtering.
    pub generic: bool,
    pub sample: Sample,
}

/// Per-detector allowlist (in addition to the configuration's global ones).
#[derive(Debug, Clone, Copy)]
pub struct DetectorAllowlist {
    /// Path globs (`globset` syntax) where this detector never reports.
    pub paths: &'static [&'static str],
    /// Regexes matched against the secret; a hit suppresses the finding.
    pub regexes: &'static [&'static str],
    /// Case-insensitive substrings of the secret that mark it as a placeholder.
    pub stopwords: &'static [&'static str],
}

impl DetectorAllowlist {
    pub const EMPTY: DetectorAllowlist = DetectorAllowlist {
        paths: &[],
        regexes: &[],
        stopwords: &[],
    };

    pub fn is_empty(&self) -> bool {
        self.paths.is_empty() && self.regexes.is_empty() && self.stopwords.is_empty()
    }
}

/// Recipe for a self-test line: `before` + rendered parts + `after`.
#[derive(Debug, Clone, Copy)]
pub struct Sample {
    pub before: &'static str,
    pub parts: &'static [Part],
    pub after: &'static str,
}

/// One piece of a sample secret.
#[derive(Debug, Clone, Copy)]
pub enum Part {
    /// Fixed text (a provider prefix, a separator).
    Lit(&'static str),
    /// `n` random characters drawn from the alphabet.
    Rand(&'static str, usize),
}

/// How a sample is rendered.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum SampleKind {
    /// Random parts filled from their alphabet: must be detected.
    TruePositive,
    /// Random parts replaced by `x`: a placeholder, must not be reported.
    Placeholder,
    /// Random parts cut to a quarter of their length: wrong shape, must not match.
    Truncated,
}

impl Sample {
    /// Renders the whole line and returns it with the byte range of the secret
    /// material (from the first part to the last part).
    pub fn render(&self, kind: SampleKind, seed: u64) -> (String, std::ops::Range<usize>) {
        let mut rng = SplitMix(seed);
        let mut out = String::from(self.before);
        let start = out.len();
        for part in self.parts {
            match *part {
                Part::Lit(s) => out.push_str(s),
                Part::Rand(alphabet, n) => {
                    let chars: Vec<char> = alphabet.chars().collect();
                    let n = match kind {
                        SampleKind::Truncated => (n / 4).max(1),
                        _ => n,
                    };
                    for _ in 0..n {
                        match kind {
                            SampleKind::Placeholder => out.push('x'),
                            _ => {
                                let i = (rng.next() % chars.len().max(1) as u64) as usize;
                                if let Some(c) = chars.get(i) {
                                    out.push(*c);
                                }
                            }
                        }
                    }
                }
            }
        }
        let end = out.len();
        out.push_str(self.after);
        (out, start..end)
    }
}

/// Tiny deterministic PRNG so samples are reproducible without a dependency.
struct SplitMix(u64);

impl SplitMix {
    fn next(&mut self) -> u64 {
        self.0 = self.0.wrapping_add(0x9E37_79B9_7F4A_7C15);
        let mut z = self.0;
        z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
        z ^ (z >> 31)
    }
}
