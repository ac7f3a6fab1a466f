//! RPM ordering: `[epoch:]version[-release]`, each part compared with the
//! rpmvercmp segment algorithm (including `~` pre-release and `^` snapshot
//! markers).

use std::cmp::Ordering;

use crate::num::{all_digits, cmp_digits};

pub(crate) struct Version<'a> {
    epoch: &'a str,
    version: &'a str,
    release: &'a str,
}

pub(crate) fn parse(s: &str) -> Result<Version<'_>, &'static str> {
    let s = s.trim();
    if s.is_empty() {
        return Err("empty version");
    }
    if s.chars().any(|c| c.is_whitespace() || c.is_control()) {
        return Err("whitespace or control character in version");
    }
    let (epoch, rest) = match s.split_once(':') {
        Some((e, r)) if all_digits(e) => (e, r),
        Some(("", r)) => ("0", r),
        Some(_) => return Err("epoch is not a number"),
        None => ("0", s),
    };
    let (version, release) = match rest.rsplit_once('-') {
        Some((v, r)) => (v, r),
        None => (rest, ""),
    };
    if version.is_empty() {
        return Err("empty version part");
    }
    if !version.chars().any(|c| c.is_ascii_alphanumeric()) {
        return Err("version has no alphanumeric segment");
    }
    Ok(Version {
        epoch,
        version,
        release,
    })
}

pub(crate) fn cmp(a: &Version<'_>, b: &Version<'_>) -> Ordering {
    cmp_digits(a.epoch, b.epoch)
        .then_with(|| rpmvercmp(a.version, b.version))
        .then_with(|| rpmvercmp(a.release, b.release))
}

fn is_sep(c: u8) -> bool {
    !c.is_ascii_alphanumeric() && c != b'~' && c != b'^'
}

/// Splits both strings into alternating numeric / alphabetic segments,
/// ignoring separators. Numeric segments beat alphabetic ones; `~` sorts
/// before anything (even the end), `^` after the end but before anything
/// else.
fn rpmvercmp(a: &str, b: &str) -> Ordering {
    if a == b {
        return Ordering::Equal;
    }
    let (a, b) = (a.as_bytes(), b.as_bytes());
    let (mut i, mut j) = (0, 0);
    loop {
        while i < a.len() && is_sep(a[i]) {
            i += 1;
        }
        while j < b.len() && is_sep(b[j]) {
            j += 1;
        }
        let (ca, cb) = (a.get(i).copied(), b.get(j).copied());
        if ca == Some(b'~') || cb == Some(b'~') {
            if ca != Some(b'~') {
                return Ordering::Greater;
            }
            if cb != Some(b'~') {
                return Ordering::Less;
            }
            i += 1;
            j += 1;
            continue;
        }
        if ca == Some(b'^') || cb == Some(b'^') {
            match (ca, cb) {
                (None, _) => return Ordering::Less,
                (_, None) => return Ordering::Greater,
                (Some(x), _) if x != b'^' => return Ordering::Greater,
                (_, Some(y)) if y != b'^' => return Ordering::Less,
                _ => {}
            }
            i += 1;
            j += 1;
            continue;
        }
        let (Some(ca), Some(_)) = (ca, cb) else {
            break;
        };
        let numeric = ca.is_ascii_digit();
        let class = |c: u8| {
            if numeric {
                c.is_ascii_digit()
            } else {
                c.is_ascii_alphabetic()
            }
        };
        let si = i;
        while i < a.len() && class(a[i]) {
            i += 1;
        }
        let sj = j;
        while j < b.len() && class(b[j]) {
            j += 1;
        }
        if sj == j {
            // Segment types differ: the numeric one is newer.
            return if numeric {
                Ordering::Greater
            } else {
                Ordering::Less
            };
        }
        let sa = std::str::from_utf8(&a[si..i]).unwrap_or("");
        let sb = std::str::from_utf8(&b[sj..j]).unwrap_or("");
        let ord = if numeric {
            cmp_digits(sa, sb)
        } else {
            sa.cmp(sb)
        };
        if ord != Ordering::Equal {
            return ord;
        }
    }
    match (i < a.len(), j < b.len()) {
        (false, false) => Ordering::Equal,
        (true, _) => Ordering::Greater,
        (false, true) => Ordering::Less,
    }
}
