//! apk-tools ordering:
//! `digits{.digits}[letter]{_suffix[digits]}[~hash][-rN]`, as compared by
//! current apk-tools (the token-state comparator of 2.14 / 3.x, which
//! treats leading zeros as a byte-wise comparison and orders commit hashes).

use std::cmp::Ordering;

use crate::num::cmp_digits;

/// Token kinds in the order apk-tools ranks them when two versions diverge
/// in shape: the side that has moved on to a later kind is the older one
/// (so `1.2` < `1.2.1` and `1.2a` < `1.2.1`), except pre-release suffixes.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
enum Kind {
    Digit,
    Letter,
    Suffix,
    SuffixNo,
    Hash,
    Revision,
    End,
}

#[derive(Debug, Clone)]
enum Token<'a> {
    /// The first numeric component: always compared by value.
    Initial(&'a str),
    /// A later numeric component. Compared by value, unless either side
    /// has a leading zero: then apk-tools compares the digit strings
    /// byte-wise, like decimal fractions (`1.01` < `1.1`, `1.05` > `1.010`,
    /// `1.0` < `1.00`).
    Digit(&'a str),
    Letter(u8),
    /// Suffix rank: below `PRE_RELEASE_LIMIT` means pre-release.
    Suffix(u8),
    SuffixNo(&'a str),
    /// `~<commit hash>`, compared as a string.
    Hash(&'a str),
    Revision(&'a str),
}

const PRE_RELEASE_LIMIT: u8 = 4;
const SUFFIXES: [&str; 9] = ["alpha", "beta", "pre", "rc", "cvs", "svn", "git", "hg", "p"];

impl Token<'_> {
    fn kind(&self) -> Kind {
        match self {
            Token::Initial(_) | Token::Digit(_) => Kind::Digit,
            Token::Letter(_) => Kind::Letter,
            Token::Suffix(_) => Kind::Suffix,
            Token::SuffixNo(_) => Kind::SuffixNo,
            Token::Hash(_) => Kind::Hash,
            Token::Revision(_) => Kind::Revision,
        }
    }
}

pub(crate) struct Version<'a> {
    tokens: Vec<Token<'a>>,
}

fn take_digits(s: &str) -> (&str, &str) {
    let n = s.bytes().take_while(u8::is_ascii_digit).count();
    s.split_at(n)
}

pub(crate) fn parse(s: &str) -> Result<Version<'_>, &'static str> {
    let mut rest = s.trim();
    if rest.is_empty() {
        return Err("empty version");
    }
    let mut tokens = Vec::new();
    let (d, r) = take_digits(rest);
    if d.is_empty() {
        return Err("version must start with a digit");
    }
    tokens.push(Token::Initial(d));
    rest = r;
    while let Some(r) = rest.strip_prefix('.') {
        let (d, r) = take_digits(r);
        if d.is_empty() {
            return Err("expected digits after '.'");
        }
        tokens.push(Token::Digit(d));
        rest = r;
    }
    if let Some(&c) = rest.as_bytes().first() {
        if c.is_ascii_lowercase() {
            tokens.push(Token::Letter(c));
            rest = &rest[1..];
        }
    }
    while let Some(r) = rest.strip_prefix('_') {
        let name_len = r.bytes().take_while(u8::is_ascii_lowercase).count();
        let (name, r) = r.split_at(name_len);
        let rank = SUFFIXES.iter().position(|s| *s == name).ok_or(
            "unknown suffix (expected _alpha, _beta, _pre, _rc, _cvs, _svn, _git, _hg or _p)",
        )?;
        // The position is below 9, so it fits in a u8.
        tokens.push(Token::Suffix(rank as u8));
        let (d, r) = take_digits(r);
        if !d.is_empty() {
            tokens.push(Token::SuffixNo(d));
        }
        rest = r;
    }
    if let Some(r) = rest.strip_prefix('~') {
        let n = r.bytes().take_while(u8::is_ascii_hexdigit).count();
        if n == 0 {
            return Err("expected hex commit hash after '~'");
        }
        tokens.push(Token::Hash(&r[..n]));
        rest = &r[n..];
    }
    if let Some(r) = rest.strip_prefix("-r") {
        let (d, r) = take_digits(r);
        if d.is_empty() {
            return Err("expected digits after '-r'");
        }
        tokens.push(Token::Revision(d));
        rest = r;
    }
    if !rest.is_empty() {
        return Err("unexpected trailing characters");
    }
    Ok(Version { tokens })
}

fn cmp_token(a: &Token<'_>, b: &Token<'_>) -> Ordering {
    match (a, b) {
        (Token::Digit(x), Token::Digit(y)) if x.starts_with('0') || y.starts_with('0') => x.cmp(y),
        (Token::Initial(x), Token::Initial(y))
        | (Token::Digit(x), Token::Digit(y))
        | (Token::SuffixNo(x), Token::SuffixNo(y))
        | (Token::Revision(x), Token::Revision(y)) => cmp_digits(x, y),
        (Token::Letter(x), Token::Letter(y)) | (Token::Suffix(x), Token::Suffix(y)) => x.cmp(y),
        (Token::Hash(x), Token::Hash(y)) => x.cmp(y),
        _ => a.kind().cmp(&b.kind()),
    }
}

pub(crate) fn cmp(a: &Version<'_>, b: &Version<'_>) -> Ordering {
    let mut ia = a.tokens.iter();
    let mut ib = b.tokens.iter();
    loop {
        match (ia.next(), ib.next()) {
            (None, None) => return Ordering::Equal,
            (Some(x), Some(y)) if x.kind() == y.kind() => {
                let ord = cmp_token(x, y);
                if ord != Ordering::Equal {
                    return ord;
                }
            }
            (x, y) => {
                // Shapes diverge. A pre-release suffix makes its side older;
                // otherwise the side further along in token kinds is older.
                if let Some(Token::Suffix(r)) = x {
                    if *r < PRE_RELEASE_LIMIT {
                        return Ordering::Less;
                    }
                }
                if let Some(Token::Suffix(r)) = y {
                    if *r < PRE_RELEASE_LIMIT {
                        return Ordering::Greater;
                    }
                }
                let kx = x.map_or(Kind::End, Token::kind);
                let ky = y.map_or(Kind::End, Token::kind);
                return ky.cmp(&kx);
            }
        }
    }
}
