//! Composer (Packagist) ordering. Versions are normalised the way
//! Composer's `VersionParser::normalize` does — up to four numeric parts
//! (or a date version such as `2020-10-01`), optional `v`, a stability
//! suffix (`alpha`/`a`, `beta`/`b`, `RC`, `stable`, `patch`/`pl`/`p`) with
//! optional numbers, and an optional `-dev` — then compared piece by piece
//! like PHP's `version_compare`: dev < alpha < beta < RC < number < patch.

use std::cmp::Ordering;

use crate::num::cmp_digits;

/// Stand-in for `x` wildcards in branch versions (`1.x-dev`), as Composer
/// itself uses.
const BRANCH_MAX: &str = "9999999";

#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
enum Stability {
    /// `STABLE` or `Stable`: Composer only recognises the exact lowercase
    /// word as a no-op; any other spelling survives normalisation as
    /// `-stable`, which PHP's `version_compare` ranks below even `dev`.
    MiscasedStable,
    Dev,
    Alpha,
    Beta,
    Rc,
    Stable,
    Patch,
}

pub(crate) struct Version {
    parts: Vec<String>,
    stability: Stability,
    stability_nums: Vec<String>,
    /// `-dev` after a stability suffix (`1.0-beta2-dev`) sorts before the
    /// same version without it.
    dev_suffix: bool,
}

fn digits_prefix(s: &str) -> (&str, &str) {
    let n = s.bytes().take_while(u8::is_ascii_digit).count();
    s.split_at(n)
}

pub(crate) fn parse(s: &str) -> Result<Version, &'static str> {
    let original = s.trim();
    let lower = original.to_ascii_lowercase();
    if lower.is_empty() {
        return Err("empty version");
    }
    if lower.chars().any(char::is_whitespace) {
        return Err("whitespace inside a Composer version");
    }
    // Build metadata does not take part in ordering, but must not be empty.
    let v = match lower.split_once('+') {
        Some((_, "")) => return Err("empty build metadata"),
        Some((v, _)) => v,
        None => lower.as_str(),
    };
    if let Some(branch) = v.strip_prefix("dev-") {
        // Only the default branches have a place in the order (newest);
        // feature branches are unordered.
        return match branch {
            "master" | "main" | "trunk" | "default" => Ok(Version {
                parts: vec![BRANCH_MAX.to_string(); 4],
                stability: Stability::Dev,
                stability_nums: Vec::new(),
                dev_suffix: false,
            }),
            _ => Err("feature-branch versions have no order"),
        };
    }
    let body = v.strip_prefix('v').unwrap_or(v);
    // Lower-casing keeps byte offsets, so the original spelling of `body`
    // sits at the same position.
    let original_body = original.get(v.len() - body.len()..).unwrap_or("");
    if let Some(version) = parse_classical(body, original_body) {
        return version;
    }
    parse_date(body, original_body).ok_or("not a Composer version")
}

/// `major[.minor[.patch[.build]]]` (major at most five digits) plus a
/// modifier, or a `1.x-dev` style branch.
fn parse_classical(body: &str, original: &str) -> Option<Result<Version, &'static str>> {
    let mut rest = body;
    let mut parts: Vec<String> = Vec::new();
    let mut wildcard = false;
    loop {
        let (d, r) = digits_prefix(rest);
        if !d.is_empty() {
            parts.push(d.to_string());
            rest = r;
        } else if !parts.is_empty() && (rest.starts_with('x') || rest.starts_with('*')) {
            parts.push(BRANCH_MAX.to_string());
            wildcard = true;
            rest = &rest[1..];
        } else {
            return None;
        }
        if parts.len() == 4 {
            break;
        }
        match rest.strip_prefix('.') {
            Some(r) if r.starts_with(|c: char| c.is_ascii_digit() || c == 'x' || c == '*') => {
                rest = r;
            }
            _ => break,
        }
    }
    if !wildcard && parts.first().is_some_and(|m| m.len() > 5) {
        // Longer majors are date versions to Composer.
        return None;
    }
    let fill = if wildcard { BRANCH_MAX } else { "0" };
    while parts.len() < 4 {
        parts.push(fill.to_string());
    }
    let m = parse_modifier(rest, original.get(body.len() - rest.len()..).unwrap_or(""))?;
    if wildcard && m.stability != Stability::Dev {
        return Some(Err("wildcard versions must be -dev branches"));
    }
    Some(Ok(Version {
        parts,
        stability: m.stability,
        stability_nums: m.stability_nums,
        dev_suffix: m.dev_suffix,
    }))
}

/// Date versions (`2020-10-01`, `20201001.1`): four digits, one to six
/// two-digit groups and an optional short group, each optionally after
/// `.`, `:` or `-`. Composer turns the separators into dots, so the digit
/// runs become the numeric parts. Like the regular expression Composer
/// uses, longer date prefixes are tried first.
fn parse_date(body: &str, original: &str) -> Option<Version> {
    let b = body.as_bytes();
    if b.len() < 4 || !b.iter().take(4).all(u8::is_ascii_digit) {
        return None;
    }
    let mut ends = Vec::new();
    date_groups(b, 4, 0, &mut ends);
    ends.into_iter().find_map(|end| {
        let (prefix, rest) = body.split_at(end);
        let m = parse_modifier(rest, original.get(end..).unwrap_or(""))?;
        let parts = prefix
            .split(|c: char| !c.is_ascii_digit())
            .filter(|p| !p.is_empty())
            .map(str::to_string)
            .collect();
        Some(Version {
            parts,
            stability: m.stability,
            stability_nums: m.stability_nums,
            dev_suffix: m.dev_suffix,
        })
    })
}

/// Collects, in the regular expression's preference order, where the date
/// prefix can end after `groups` two-digit groups starting at `pos`.
fn date_groups(b: &[u8], pos: usize, groups: usize, ends: &mut Vec<usize>) {
    let is_sep = |i: usize| b.get(i).is_some_and(|c| matches!(c, b'.' | b':' | b'-'));
    let digits_at =
        |i: usize, n: usize| i + n <= b.len() && b[i..i + n].iter().all(u8::is_ascii_digit);
    if groups < 6 {
        for start in [pos + 1, pos] {
            if (start == pos || is_sep(pos)) && digits_at(start, 2) {
                date_groups(b, start + 2, groups + 1, ends);
            }
        }
    }
    if groups >= 1 {
        for start in [pos + 1, pos] {
            if start == pos || is_sep(pos) {
                for n in [3, 2, 1] {
                    if digits_at(start, n) {
                        ends.push(start + n);
                    }
                }
            }
        }
        ends.push(pos);
    }
}

struct Modifier {
    stability: Stability,
    stability_nums: Vec<String>,
    dev_suffix: bool,
}

const WORDS: [(&str, Stability); 9] = [
    ("stable", Stability::Stable),
    ("alpha", Stability::Alpha),
    ("beta", Stability::Beta),
    ("patch", Stability::Patch),
    ("rc", Stability::Rc),
    ("pl", Stability::Patch),
    ("a", Stability::Alpha),
    ("b", Stability::Beta),
    ("p", Stability::Patch),
];

/// Composer's modifier, which must run to the end of the string:
/// `[._-]? (word numbers)? ([.-]? dev)?`. The leading separator is
/// optional, so both readings are tried.
fn parse_modifier(rest: &str, original: &str) -> Option<Modifier> {
    if let Some(r) = rest.strip_prefix(['.', '_', '-']) {
        if let Some(m) = parse_modifier_body(r, original.get(1..).unwrap_or("")) {
            return Some(m);
        }
    }
    parse_modifier_body(rest, original)
}

fn parse_modifier_body(mut rest: &str, original: &str) -> Option<Modifier> {
    let mut stability = Stability::Stable;
    let mut stability_nums = Vec::new();
    let mut word = false;
    if let Some((w, st)) = WORDS.iter().find(|(w, _)| rest.starts_with(w)) {
        word = true;
        stability = *st;
        rest = &rest[w.len()..];
        if *w == "stable" && !original.starts_with("stable") {
            stability = Stability::MiscasedStable;
        }
        loop {
            let r = rest.strip_prefix(['.', '-']).unwrap_or(rest);
            let (d, r) = digits_prefix(r);
            if d.is_empty() {
                break;
            }
            stability_nums.push(d.to_string());
            rest = r;
        }
    }
    let dev = match rest {
        "" => false,
        "dev" | ".dev" | "-dev" => true,
        _ => return None,
    };
    // Composer returns as soon as it sees the exact word `stable`,
    // dropping its numbers and any `-dev`.
    if stability == Stability::Stable && word {
        return Some(Modifier {
            stability,
            stability_nums: Vec::new(),
            dev_suffix: false,
        });
    }
    Some(if word {
        Modifier {
            stability,
            stability_nums,
            dev_suffix: dev,
        }
    } else {
        Modifier {
            stability: if dev {
                Stability::Dev
            } else {
                Stability::Stable
            },
            stability_nums,
            dev_suffix: false,
        }
    })
}

/// One piece of the normalised version string as PHP's `version_compare`
/// sees it: a number, or a word ranked by PHP's special forms.
#[derive(Clone, Copy)]
enum Piece<'a> {
    Num(&'a str),
    Word(i8),
}

/// Rank PHP gives a number when it meets a word (`#` in its table).
const NUMBER_RANK: i8 = 4;

fn word_rank(st: Stability) -> i8 {
    match st {
        Stability::MiscasedStable => -1,
        Stability::Dev => 0,
        Stability::Alpha => 1,
        Stability::Beta => 2,
        Stability::Rc => 3,
        Stability::Stable => NUMBER_RANK,
        Stability::Patch => 5,
    }
}

/// The normalised form `parts[-stability[nums]][-dev]` as pieces.
fn pieces(v: &Version) -> Vec<Piece<'_>> {
    let mut out: Vec<Piece<'_>> = v.parts.iter().map(|p| Piece::Num(p)).collect();
    if v.stability != Stability::Stable {
        out.push(Piece::Word(word_rank(v.stability)));
    }
    out.extend(v.stability_nums.iter().map(|n| Piece::Num(n)));
    if v.dev_suffix {
        out.push(Piece::Word(word_rank(Stability::Dev)));
    }
    out
}

fn rank(p: Piece<'_>) -> i8 {
    match p {
        Piece::Num(_) => NUMBER_RANK,
        Piece::Word(r) => r,
    }
}

/// Composer orders normalised versions with PHP's `version_compare`:
/// piece by piece, numbers numerically, words and numbers by rank; when one
/// side runs out, the other's next piece decides (a number makes it newer,
/// a word counts against a number). So `2020.10-patch1` is newer than
/// `2020.10.12` while `2020.10-beta` is older.
pub(crate) fn cmp(a: &Version, b: &Version) -> Ordering {
    let (pa, pb) = (pieces(a), pieces(b));
    for i in 0..pa.len().max(pb.len()) {
        let ord = match (pa.get(i).copied(), pb.get(i).copied()) {
            (Some(Piece::Num(x)), Some(Piece::Num(y))) => cmp_digits(x, y),
            (Some(x), Some(y)) => rank(x).cmp(&rank(y)),
            (Some(Piece::Num(_)), None) => Ordering::Greater,
            (None, Some(Piece::Num(_))) => Ordering::Less,
            (Some(x), None) => rank(x).cmp(&NUMBER_RANK),
            (None, Some(y)) => NUMBER_RANK.cmp(&rank(y)),
            (None, None) => Ordering::Equal,
        };
        if ord != Ordering::Equal {
            return ord;
        }
    }
    Ordering::Equal
}
