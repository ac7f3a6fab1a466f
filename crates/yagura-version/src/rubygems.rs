//! RubyGems `Gem::Version` ordering: the version splits into numeric and
//! alphabetic segments; any letter makes it a pre-release, which sorts
//! before the release with the same numeric prefix.

use std::cmp::Ordering;

use crate::num::cmp_digits;

#[derive(Debug, Clone, PartialEq, Eq)]
enum Seg {
    Num(String),
    Str(String),
}

pub(crate) struct Version {
    segs: Vec<Seg>,
}

pub(crate) fn parse(s: &str) -> Result<Version, &'static str> {
    let s = s.trim();
    if s.is_empty() {
        return Err("empty version");
    }
    // Gem::Version's grammar: `digits(.alnum+)*` optionally followed by
    // `-` and dot-separated pieces that may themselves contain `-`.
    let (main, pre) = match s.split_once('-') {
        Some((m, p)) => (m, Some(p)),
        None => (s, None),
    };
    let mut pieces = main.split('.');
    if !pieces
        .next()
        .is_some_and(|first| first.bytes().all(|b| b.is_ascii_digit()) && !first.is_empty())
    {
        return Err("version must start with a number");
    }
    if !pieces.all(|p| !p.is_empty() && p.bytes().all(|b| b.is_ascii_alphanumeric())) {
        return Err("empty segment or character not allowed in a gem version");
    }
    if let Some(p) = pre {
        let ok = |piece: &str| {
            !piece.is_empty()
                && piece
                    .bytes()
                    .all(|b| b.is_ascii_alphanumeric() || b == b'-')
        };
        if !p.split('.').all(ok) {
            return Err("empty segment or character not allowed in a gem pre-release");
        }
    }
    // RubyGems reads every `-` as `.pre.`, so `1-beta-2` is
    // `1.pre.beta.pre.2` (older than `1-beta.2`).
    let canonical = s.replace('-', ".pre.");
    let mut segs = Vec::new();
    let bytes = canonical.as_bytes();
    let mut i = 0;
    while i < bytes.len() {
        let start = i;
        if bytes[i].is_ascii_digit() {
            while i < bytes.len() && bytes[i].is_ascii_digit() {
                i += 1;
            }
            segs.push(Seg::Num(canonical[start..i].to_string()));
        } else if bytes[i].is_ascii_alphabetic() {
            while i < bytes.len() && bytes[i].is_ascii_alphabetic() {
                i += 1;
            }
            segs.push(Seg::Str(canonical[start..i].to_string()));
        } else {
            i += 1;
        }
    }
    Ok(Version {
        segs: canonical_segments(segs),
    })
}

fn is_zero(s: &Seg) -> bool {
    matches!(s, Seg::Num(n) if n.bytes().all(|b| b == b'0'))
}

/// Drops trailing zeros from the release part and from the pre-release
/// part separately, so `1.0.a.0` == `1.a`.
fn canonical_segments(segs: Vec<Seg>) -> Vec<Seg> {
    let split = segs
        .iter()
        .position(|s| matches!(s, Seg::Str(_)))
        .unwrap_or(segs.len());
    let (release, pre) = segs.split_at(split);
    let trim = |part: &[Seg]| {
        let end = part.iter().rposition(|s| !is_zero(s)).map_or(0, |p| p + 1);
        part[..end].to_vec()
    };
    let mut out = trim(release);
    out.extend(trim(pre));
    out
}

pub(crate) fn cmp(a: &Version, b: &Version) -> Ordering {
    let zero = Seg::Num("0".to_string());
    let n = a.segs.len().max(b.segs.len());
    for i in 0..n {
        let x = a.segs.get(i).unwrap_or(&zero);
        let y = b.segs.get(i).unwrap_or(&zero);
        let ord = match (x, y) {
            (Seg::Num(x), Seg::Num(y)) => cmp_digits(x, y),
            (Seg::Str(x), Seg::Str(y)) => x.cmp(y),
            (Seg::Str(_), Seg::Num(_)) => Ordering::Less,
            (Seg::Num(_), Seg::Str(_)) => Ordering::Greater,
        };
        if ord != Ordering::Equal {
            return ord;
        }
    }
    Ordering::Equal
}
