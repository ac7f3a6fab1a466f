//! dpkg ordering: `[epoch:]upstream[-revision]`, compared per deb-version(7).

use std::cmp::Ordering;

use crate::num::{all_digits, cmp_digits};

pub(crate) struct Version<'a> {
    epoch: &'a str,
    upstream: &'a str,
    revision: &'a str,
}

pub(crate) fn parse(s: &str) -> Result<Version<'_>, &'static str> {
    let s = s.trim();
    if s.is_empty() {
        return Err("empty version");
    }
    let (epoch, rest) = match s.split_once(':') {
        Some((e, r)) => {
            if !all_digits(e) {
                return Err("epoch is not a number");
            }
            (e, r)
        }
        None => ("0", s),
    };
    // The revision starts after the last hyphen; a missing revision compares
    // like an empty one.
    let (upstream, revision) = match rest.rsplit_once('-') {
        Some((u, r)) => {
            if r.is_empty() {
                return Err("empty revision");
            }
            (u, r)
        }
        None => (rest, ""),
    };
    if upstream.is_empty() {
        return Err("empty upstream version");
    }
    let ok = |c: char| c.is_ascii_alphanumeric() || matches!(c, '.' | '+' | '~' | '-' | ':');
    if !upstream.chars().all(ok) || !revision.chars().all(|c| ok(c) && c != ':') {
        return Err("character not allowed in a Debian version");
    }
    Ok(Version {
        epoch,
        upstream,
        revision,
    })
}

pub(crate) fn cmp(a: &Version<'_>, b: &Version<'_>) -> Ordering {
    cmp_digits(a.epoch, b.epoch)
        .then_with(|| verrevcmp(a.upstream, b.upstream))
        .then_with(|| verrevcmp(a.revision, b.revision))
}

/// Weight of a character in the non-digit part: `~` sorts before the end of
/// the string, the end before letters, letters before other symbols.
fn weight(c: Option<u8>) -> i32 {
    match c {
        None => 0,
        Some(b'~') => -1,
        Some(c) if c.is_ascii_digit() => 0,
        Some(c) if c.is_ascii_alphabetic() => i32::from(c),
        Some(c) => i32::from(c) + 256,
    }
}

/// Alternates between non-digit runs (compared by `weight`) and digit runs
/// (compared numerically) until one side differs.
fn verrevcmp(a: &str, b: &str) -> Ordering {
    let (a, b) = (a.as_bytes(), b.as_bytes());
    let (mut i, mut j) = (0, 0);
    while i < a.len() || j < b.len() {
        while (i < a.len() && !a[i].is_ascii_digit()) || (j < b.len() && !b[j].is_ascii_digit()) {
            let wa = weight(a.get(i).copied());
            let wb = weight(b.get(j).copied());
            if wa != wb {
                return wa.cmp(&wb);
            }
            i = (i + 1).min(a.len());
            j = (j + 1).min(b.len());
        }
        let si = i;
        while i < a.len() && a[i].is_ascii_digit() {
            i += 1;
        }
        let sj = j;
        while j < b.len() && b[j].is_ascii_digit() {
            j += 1;
        }
        // Slices are ASCII digits, so the conversion cannot fail.
        let da = std::str::from_utf8(&a[si..i]).unwrap_or("");
        let db = std::str::from_utf8(&b[sj..j]).unwrap_or("");
        let ord = cmp_digits(da, db);
        if ord != Ordering::Equal {
            return ord;
        }
    }
    Ordering::Equal
}
