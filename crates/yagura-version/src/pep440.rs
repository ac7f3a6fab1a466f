//! PEP 440 ordering, after normalising the alternative spellings the PEP
//! allows (`1.0RC1`, `1.0-post1`, `1.0.dev`, `v1.0`, `1.0-1`, ...).

use std::cmp::Ordering;

use crate::num::cmp_digits;

#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
enum PreKind {
    Alpha,
    Beta,
    Rc,
}

#[derive(Debug, Clone, PartialEq, Eq)]
enum LocalSeg {
    Num(String),
    Alpha(String),
}

pub(crate) struct Version {
    epoch: String,
    release: Vec<String>,
    pre: Option<(PreKind, String)>,
    post: Option<String>,
    dev: Option<String>,
    local: Vec<LocalSeg>,
}

/// A small cursor over the lower-cased version string.
struct Cursor<'a> {
    s: &'a str,
}

impl<'a> Cursor<'a> {
    fn digits(&mut self) -> Option<&'a str> {
        let n = self.s.bytes().take_while(u8::is_ascii_digit).count();
        if n == 0 {
            return None;
        }
        let (d, r) = self.s.split_at(n);
        self.s = r;
        Some(d)
    }

    /// Consumes an optional `.`, `-` or `_` separator followed by one of
    /// `words`; returns the matched word. Leaves the cursor untouched when
    /// nothing matches.
    fn sep_word(&mut self, words: &[&'static str]) -> Option<&'static str> {
        let body = self.s.strip_prefix(['.', '-', '_']).unwrap_or(self.s);
        // Longest first, so "preview" wins over "pre".
        let mut best: Option<&'static str> = None;
        for w in words {
            if body.starts_with(w) && best.is_none_or(|b| w.len() > b.len()) {
                best = Some(w);
            }
        }
        let w = best?;
        self.s = &body[w.len()..];
        Some(w)
    }

    /// Optional separator and number after a pre/post/dev word; a missing
    /// number means 0. A separator without a number is still consumed
    /// (`1.0a.` is `1.0a0`): the next part's own separator is optional, so
    /// this never rejects what the PEP's grammar accepts.
    fn opt_number(&mut self) -> String {
        self.s = self.s.strip_prefix(['.', '-', '_']).unwrap_or(self.s);
        self.digits()
            .map_or_else(|| "0".to_string(), str::to_string)
    }
}

pub(crate) fn parse(s: &str) -> Result<Version, &'static str> {
    let lower = s.trim().to_ascii_lowercase();
    if lower.is_empty() {
        return Err("empty version");
    }
    let (public, local) = match lower.split_once('+') {
        Some((p, l)) => (p, Some(l)),
        None => (lower.as_str(), None),
    };
    let mut c = Cursor {
        s: public.strip_prefix('v').unwrap_or(public),
    };
    let first = c.digits().ok_or("release must start with a number")?;
    let (epoch, mut release) = if let Some(r) = c.s.strip_prefix('!') {
        c.s = r;
        let d = c.digits().ok_or("release must follow the epoch")?;
        (first.to_string(), vec![d.to_string()])
    } else {
        ("0".to_string(), vec![first.to_string()])
    };
    while let Some(r) = c.s.strip_prefix('.') {
        let save = c.s;
        c.s = r;
        match c.digits() {
            Some(d) => release.push(d.to_string()),
            None => {
                // `.dev1`, `.post1` and friends start here.
                c.s = save;
                break;
            }
        }
    }
    let pre = c
        .sep_word(&["a", "alpha", "b", "beta", "c", "rc", "pre", "preview"])
        .map(|w| {
            let kind = match w {
                "a" | "alpha" => PreKind::Alpha,
                "b" | "beta" => PreKind::Beta,
                _ => PreKind::Rc,
            };
            (kind, c.opt_number())
        });
    let post = if let Some(r) =
        c.s.strip_prefix('-')
            .filter(|r| r.starts_with(|ch: char| ch.is_ascii_digit()))
    {
        // Implicit post release: `1.0-1`.
        c.s = r;
        c.digits().map(str::to_string)
    } else {
        c.sep_word(&["post", "rev", "r"]).map(|_| c.opt_number())
    };
    let dev = c.sep_word(&["dev"]).map(|_| c.opt_number());
    if !c.s.is_empty() {
        return Err("not a PEP 440 version");
    }
    let local = match local {
        None => Vec::new(),
        Some(l) => {
            let mut segs = Vec::new();
            for seg in l.split(['.', '-', '_']) {
                if seg.is_empty() || !seg.bytes().all(|b| b.is_ascii_alphanumeric()) {
                    return Err("invalid local version label");
                }
                segs.push(if seg.bytes().all(|b| b.is_ascii_digit()) {
                    LocalSeg::Num(seg.to_string())
                } else {
                    LocalSeg::Alpha(seg.to_string())
                });
            }
            segs
        }
    };
    Ok(Version {
        epoch,
        release,
        pre,
        post,
        dev,
        local,
    })
}

fn cmp_release(a: &[String], b: &[String]) -> Ordering {
    // Trailing zeros are insignificant: 1.0 == 1.0.0.
    let n = a.len().max(b.len());
    for i in 0..n {
        let x = a.get(i).map_or("0", String::as_str);
        let y = b.get(i).map_or("0", String::as_str);
        let ord = cmp_digits(x, y);
        if ord != Ordering::Equal {
            return ord;
        }
    }
    Ordering::Equal
}

/// Position of the pre-release part: a bare dev release (`1.0.dev1`) sorts
/// before any pre-release of the same release, a final or post release
/// after all of them.
#[derive(PartialEq, Eq, PartialOrd, Ord)]
enum PreKey<'a> {
    DevOnly,
    Pre(PreKind, NumKey<'a>),
    None,
}

/// Wraps a digit string so it orders numerically.
#[derive(PartialEq, Eq)]
struct NumKey<'a>(&'a str);

impl PartialOrd for NumKey<'_> {
    fn partial_cmp(&self, other: &Self) -> Option<Ordering> {
        Some(self.cmp(other))
    }
}

impl Ord for NumKey<'_> {
    fn cmp(&self, other: &Self) -> Ordering {
        cmp_digits(self.0, other.0)
    }
}

fn pre_key(v: &Version) -> PreKey<'_> {
    match &v.pre {
        Some((k, n)) => PreKey::Pre(*k, NumKey(n)),
        None if v.post.is_none() && v.dev.is_some() => PreKey::DevOnly,
        None => PreKey::None,
    }
}

fn cmp_local(a: &[LocalSeg], b: &[LocalSeg]) -> Ordering {
    for (x, y) in a.iter().zip(b) {
        let ord = match (x, y) {
            (LocalSeg::Num(x), LocalSeg::Num(y)) => cmp_digits(x, y),
            (LocalSeg::Alpha(x), LocalSeg::Alpha(y)) => x.cmp(y),
            // Numeric segments sort after alphanumeric ones.
            (LocalSeg::Num(_), LocalSeg::Alpha(_)) => Ordering::Greater,
            (LocalSeg::Alpha(_), LocalSeg::Num(_)) => Ordering::Less,
        };
        if ord != Ordering::Equal {
            return ord;
        }
    }
    a.len().cmp(&b.len())
}

pub(crate) fn cmp(a: &Version, b: &Version) -> Ordering {
    cmp_digits(&a.epoch, &b.epoch)
        .then_with(|| cmp_release(&a.release, &b.release))
        .then_with(|| pre_key(a).cmp(&pre_key(b)))
        // No post release sorts before any post release.
        .then_with(|| {
            a.post
                .as_deref()
                .map(NumKey)
                .cmp(&b.post.as_deref().map(NumKey))
        })
        // A dev release sorts before the same version without one.
        .then_with(|| match (&a.dev, &b.dev) {
            (None, None) => Ordering::Equal,
            (None, Some(_)) => Ordering::Greater,
            (Some(_), None) => Ordering::Less,
            (Some(x), Some(y)) => cmp_digits(x, y),
        })
        // Without a local label sorts before with one.
        .then_with(|| cmp_local(&a.local, &b.local))
}
