//! SemVer 2.0 ordering and its relatives: NuGet (up to four numeric parts,
//! case-insensitive pre-release) and Go modules (`v` prefix,
//! `+incompatible`, pseudo-versions).
//!
//! Go pseudo-versions (`v0.0.0-20191109021931-daa7c04131f5`,
//! `v1.2.4-0.20191109021931-daa7c04131f5`, `v1.2.3-pre.0.2019...`) are
//! ordinary SemVer pre-releases by construction, so plain SemVer precedence
//! already orders them the way the Go toolchain does.

use std::cmp::Ordering;

use crate::num::{all_digits, cmp_digits};

#[derive(Debug, Clone)]
enum Ident {
    Num(String),
    Alpha(String),
}

pub(crate) struct Version {
    release: Vec<String>,
    pre: Vec<Ident>,
    /// NuGet compares pre-release labels ignoring case.
    fold_case: bool,
}

struct Rules {
    /// Fewest and most numeric release components accepted.
    min_parts: usize,
    max_parts: usize,
    fold_case: bool,
    /// SemVer 2.0 forbids leading zeros in numeric components and numeric
    /// pre-release identifiers (node-semver and Go reject them); NuGet
    /// accepts and ignores them.
    reject_leading_zeros: bool,
}

/// Strict three-part SemVer, except that a leading `v`/`=` is tolerated and
/// shortened forms (`1`, `1.2`) are read as `1.0.0` / `1.2.0`: OSV ranges
/// use `"introduced": "0"`.
pub(crate) fn parse_semver(s: &str) -> Result<Version, &'static str> {
    let s = s.trim();
    let s = s.strip_prefix('=').unwrap_or(s);
    let s = s.strip_prefix(['v', 'V']).unwrap_or(s);
    parse_with(
        s,
        &Rules {
            min_parts: 1,
            max_parts: 3,
            fold_case: false,
            reject_leading_zeros: true,
        },
    )
}

/// Go: the `v` is canonical but OSV stores Go versions without it, so both
/// are accepted; `v1` / `v1.2` shorthands mean `v1.0.0` / `v1.2.0` as in
/// golang.org/x/mod/semver.
pub(crate) fn parse_go(s: &str) -> Result<Version, &'static str> {
    let s = s.trim();
    let s = s.strip_prefix('v').unwrap_or(s);
    let v = parse_with(
        s,
        &Rules {
            min_parts: 1,
            max_parts: 3,
            fold_case: false,
            reject_leading_zeros: true,
        },
    )?;
    // x/mod/semver only allows the `v1` / `v1.2` shorthands bare.
    if v.release.len() < 3 && (!v.pre.is_empty() || s.contains('+')) {
        return Err("shortened Go version with pre-release or build suffix");
    }
    Ok(v)
}

/// NuGet: one to four numeric parts (legacy `1.2.3.4`), missing parts are
/// zero, labels compare case-insensitively.
pub(crate) fn parse_nuget(s: &str) -> Result<Version, &'static str> {
    let s = s.trim();
    let s = s.strip_prefix(['v', 'V']).unwrap_or(s);
    parse_with(
        s,
        &Rules {
            min_parts: 1,
            max_parts: 4,
            fold_case: true,
            reject_leading_zeros: false,
        },
    )
}

fn valid_ident(id: &str) -> bool {
    !id.is_empty() && id.bytes().all(|b| b.is_ascii_alphanumeric() || b == b'-')
}

fn parse_with(s: &str, rules: &Rules) -> Result<Version, &'static str> {
    if s.is_empty() {
        return Err("empty version");
    }
    // Build metadata (including Go's `+incompatible`) carries no precedence.
    let (s, build) = match s.split_once('+') {
        Some((v, b)) => (v, Some(b)),
        None => (s, None),
    };
    if let Some(b) = build {
        if !b.split('.').all(valid_ident) {
            return Err("invalid build metadata");
        }
    }
    let (core, pre) = match s.split_once('-') {
        Some((c, p)) => (c, Some(p)),
        None => (s, None),
    };
    let release: Vec<String> = core.split('.').map(str::to_string).collect();
    if release.len() < rules.min_parts || release.len() > rules.max_parts {
        return Err("wrong number of numeric components");
    }
    if !release.iter().all(|p| all_digits(p)) {
        return Err("numeric component expected");
    }
    let leading_zero = |id: &str| id.len() > 1 && id.starts_with('0') && all_digits(id);
    if rules.reject_leading_zeros && release.iter().any(|p| leading_zero(p)) {
        return Err("leading zero in a numeric component");
    }
    let pre = match pre {
        None => Vec::new(),
        Some(p) => {
            let mut ids = Vec::new();
            for id in p.split('.') {
                if !valid_ident(id) {
                    return Err("invalid pre-release identifier");
                }
                if rules.reject_leading_zeros && leading_zero(id) {
                    return Err("leading zero in a numeric pre-release identifier");
                }
                ids.push(if all_digits(id) {
                    Ident::Num(id.to_string())
                } else {
                    Ident::Alpha(id.to_string())
                });
            }
            ids
        }
    };
    Ok(Version {
        release,
        pre,
        fold_case: rules.fold_case,
    })
}

fn cmp_ident(a: &Ident, b: &Ident, fold_case: bool) -> Ordering {
    match (a, b) {
        (Ident::Num(x), Ident::Num(y)) => cmp_digits(x, y),
        (Ident::Num(_), Ident::Alpha(_)) => Ordering::Less,
        (Ident::Alpha(_), Ident::Num(_)) => Ordering::Greater,
        (Ident::Alpha(x), Ident::Alpha(y)) => {
            if fold_case {
                x.to_ascii_lowercase().cmp(&y.to_ascii_lowercase())
            } else {
                x.cmp(y)
            }
        }
    }
}

pub(crate) fn cmp(a: &Version, b: &Version) -> Ordering {
    let n = a.release.len().max(b.release.len());
    for i in 0..n {
        let x = a.release.get(i).map_or("0", String::as_str);
        let y = b.release.get(i).map_or("0", String::as_str);
        let ord = cmp_digits(x, y);
        if ord != Ordering::Equal {
            return ord;
        }
    }
    // A release without pre-release labels is newer than any with them.
    match (a.pre.is_empty(), b.pre.is_empty()) {
        (true, true) => return Ordering::Equal,
        (true, false) => return Ordering::Greater,
        (false, true) => return Ordering::Less,
        (false, false) => {}
    }
    let fold = a.fold_case || b.fold_case;
    for (x, y) in a.pre.iter().zip(&b.pre) {
        let ord = cmp_ident(x, y, fold);
        if ord != Ordering::Equal {
            return ord;
        }
    }
    a.pre.len().cmp(&b.pre.len())
}
