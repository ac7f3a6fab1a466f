//! Arbitrary input must yield Ok or Err, never a panic, and any Ok score must be in range.

use yagura_cvss::score;

/// Small deterministic xorshift generator, so failures reproduce without a seed file.
struct Rng(u64);

impl Rng {
    fn next(&mut self) -> u64 {
        self.0 ^= self.0 << 13;
        self.0 ^= self.0 >> 7;
        self.0 ^= self.0 << 17;
        self.0
    }
    fn below(&mut self, n: usize) -> usize {
        (self.next() % n as u64) as usize
    }
}

const SEEDS: [&str; 6] = [
    "CVSS:3.1/AV:N/AC:L/PR:N/UI:N/S:U/C:H/I:H/A:H/E:P/RL:O/RC:C/CR:H/MAV:L/MS:C/MC:H",
    "CVSS:3.0/AV:N/AC:L/PR:N/UI:R/S:C/C:L/I:L/A:N",
    "CVSS:4.0/AV:N/AC:L/AT:N/PR:N/UI:N/VC:H/VI:H/VA:H/SC:N/SI:N/SA:N/E:U/CR:L/MSI:S/U:Amber",
    "AV:N/AC:L/Au:N/C:N/I:N/A:C/E:F/RL:OF/RC:C/CDP:H/TD:H/CR:M/IR:M/AR:H",
    "(AV:N/AC:L/Au:N/C:P/I:P/A:P)",
    "CVSS:2.0/AV:N/AC:L/Au:N/C:P/I:P/A:P",
];

const ALPHABET: &[char] = &[
    'A',
    'C',
    'E',
    'H',
    'I',
    'L',
    'M',
    'N',
    'P',
    'R',
    'S',
    'U',
    'V',
    'X',
    'a',
    'u',
    ':',
    '/',
    '(',
    ')',
    '.',
    '0',
    '3',
    '4',
    '1',
    ' ',
    'é',
    '\u{0}',
    '\u{1F600}',
];

fn check(input: &str) {
    if let Ok(s) = score(input) {
        for value in [Some(s.base_score), s.temporal_score, s.environmental_score]
            .into_iter()
            .flatten()
        {
            assert!((0.0..=10.0).contains(&value), "{input:?} -> {value}");
            assert_eq!(
                (value * 10.0).round() / 10.0,
                value,
                "{input:?} not one decimal"
            );
        }
    }
}

#[test]
fn truncations_of_valid_vectors_never_panic() {
    for seed in SEEDS {
        for (end, _) in seed.char_indices() {
            check(&seed[..end]);
            check(&seed[end..]);
        }
    }
}

#[test]
fn mutated_vectors_never_panic() {
    let mut rng = Rng(0x9E37_79B9_7F4A_7C15);
    for _ in 0..20_000 {
        let mut chars: Vec<char> = SEEDS[rng.below(SEEDS.len())].chars().collect();
        for _ in 0..1 + rng.below(4) {
            let at = rng.below(chars.len() + 1);
            match rng.below(4) {
                0 if at < chars.len() => {
                    chars.remove(at);
                }
                1 if at < chars.len() => chars[at] = ALPHABET[rng.below(ALPHABET.len())],
                2 => chars.insert(at, ALPHABET[rng.below(ALPHABET.len())]),
                _ => {
                    // Duplicate a slice, e.g. repeating a whole field.
                    let from = rng.below(chars.len());
                    let len = rng.below(12).min(chars.len() - from);
                    let piece: Vec<char> = chars[from..from + len].to_vec();
                    let at = at.min(chars.len());
                    chars.splice(at..at, piece);
                }
            }
        }
        check(&chars.into_iter().collect::<String>());
    }
}

#[test]
fn random_strings_never_panic() {
    let mut rng = Rng(0xD1B5_4A32_D192_ED03);
    for _ in 0..20_000 {
        let len = rng.below(80);
        let prefix = ["", "CVSS:3.1/", "CVSS:4.0/", "CVSS:3.0/", "CVSS:", "("][rng.below(6)];
        let body: String = (0..len)
            .map(|_| ALPHABET[rng.below(ALPHABET.len())])
            .collect();
        check(&format!("{prefix}{body}"));
    }
    // Pathological sizes.
    check(&"AV:N/".repeat(100_000));
    check(&"/".repeat(10_000));
    check(&":".repeat(10_000));
}

#[test]
fn every_single_metric_value_swap_is_either_scored_or_rejected() {
    // Replacing one value of a valid vector with every token seen anywhere must not panic;
    // when accepted, the score stays in range (checked in `check`).
    let tokens = [
        "N", "A", "L", "P", "H", "R", "U", "C", "X", "S", "M", "F", "O", "T", "W", "D", "I", "Y",
        "POC", "ND", "OF", "TF", "UC", "UR", "LM", "MH", "Clear", "Green", "Amber", "Red", "",
    ];
    for seed in SEEDS {
        let fields: Vec<&str> = seed.split('/').collect();
        for (index, field) in fields.iter().enumerate() {
            let Some((metric, _)) = field.split_once(':') else {
                continue;
            };
            for token in tokens {
                let mut changed: Vec<String> = fields.iter().map(|f| f.to_string()).collect();
                changed[index] = format!("{metric}:{token}");
                check(&changed.join("/"));
            }
        }
    }
}
