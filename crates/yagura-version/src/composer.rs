//! Composer (Packagist) ordering. Versions are normalised the way Composer
//! does — up to four numeric parts, optional `v`, a stability suffix
//! (`alpha`/`a`, `beta`/`b`, `RC`, `stable`, `patch`/`pl`/`p`) with
//! optional numbers, and an optional `-dev` — then compared with
//! dev < alpha < beta < RC < stable < patch.

use std::cmp::Ordering;

use crate::num::cmp_digits;

/// Stand-in for `x` wildcards in branch versions (`1.x-dev`), as Composer
/// itself uses.
const BRANCH_MAX: &str = "9999999";

#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
enum Stability {
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
    let lower = s.trim().to_ascii_lowercase();
    if lower.is_empty() {
        return Err("empty version");
    }
    // Build metadata does not take part in ordering.
    let v = lower.split_once('+').map_or(lower.as_str(), |(v, _)| v);
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
    let mut rest = v.strip_prefix('v').unwrap_or(v);
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
            return Err("numeric version component expected");
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
    let fill = if wildcard { BRANCH_MAX } else { "0" };
    while parts.len() < 4 {
        parts.push(fill.to_string());
    }

    // Optional stability modifier, introduced by an optional separator.
    let mut stability = Stability::Stable;
    let mut stability_nums = Vec::new();
    let body = rest.strip_prefix(['.', '_', '-']).unwrap_or(rest);
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
    if let Some((w, st)) = WORDS.iter().find(|(w, _)| body.starts_with(w)) {
        stability = *st;
        rest = &body[w.len()..];
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
    let mut dev_suffix = false;
    let tail = rest.strip_prefix(['.', '-']).unwrap_or(rest);
    if tail == "dev" {
        if stability == Stability::Stable && stability_nums.is_empty() {
            stability = Stability::Dev;
        } else {
            dev_suffix = true;
        }
        rest = "";
    }
    if !rest.is_empty() {
        return Err("not a Composer version");
    }
    if wildcard && stability != Stability::Dev {
        return Err("wildcard versions must be -dev branches");
    }
    Ok(Version {
        parts,
        stability,
        stability_nums,
        dev_suffix,
    })
}

fn cmp_num_lists(a: &[String], b: &[String]) -> Ordering {
    for (x, y) in a.iter().zip(b) {
        let ord = cmp_digits(x, y);
        if ord != Ordering::Equal {
            return ord;
        }
    }
    a.len().cmp(&b.len())
}

pub(crate) fn cmp(a: &Version, b: &Version) -> Ordering {
    cmp_num_lists(&a.parts, &b.parts)
        .then_with(|| a.stability.cmp(&b.stability))
        .then_with(|| cmp_num_lists(&a.stability_nums, &b.stability_nums))
        .then_with(|| b.dev_suffix.cmp(&a.dev_suffix))
}
