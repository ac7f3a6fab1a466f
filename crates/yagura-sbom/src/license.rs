//! Declared license strings → SPDX license expressions.
//!
//! Package metadata says `MIT License`, `Apache 2.0`, `GPLv2+` or
//! `MIT/Apache-2.0`; SBOMs and policies need SPDX ids. Valid SPDX
//! expressions pass through with ids case-corrected; well-known spellings are
//! mapped; anything else becomes `LicenseRef-<text>` so that nothing declared
//! is lost and the output is still a valid expression.

use crate::license_ids::{EXCEPTION_IDS, LICENSE_IDS};

pub use crate::license_ids::LICENSE_LIST_VERSION;

fn lookup(table: &'static [&'static str], id: &str) -> Option<&'static str> {
    let lower = id.to_ascii_lowercase();
    table
        .binary_search_by(|probe| probe.to_ascii_lowercase().as_str().cmp(lower.as_str()))
        .ok()
        .and_then(|i| table.get(i).copied())
}

/// Whether `id` is on the SPDX license list (any case), exceptions excluded.
pub fn is_license_id(id: &str) -> bool {
    lookup(LICENSE_IDS, id).is_some()
}

/// The current id for a deprecated GNU id (`GPL-2.0+` → `GPL-2.0-or-later`).
fn undeprecate(id: &str) -> String {
    let gnu = ["GPL-", "LGPL-", "AGPL-", "GFDL-"];
    if gnu.iter().any(|p| id.starts_with(p)) && !id.ends_with("-only") && !id.ends_with("-or-later")
    {
        let (base, later) = match id.strip_suffix('+') {
            Some(b) => (b, true),
            None => (id, false),
        };
        let candidate = format!("{base}-{}", if later { "or-later" } else { "only" });
        if let Some(canon) = lookup(LICENSE_IDS, &candidate) {
            return canon.to_string();
        }
    }
    id.to_string()
}

#[derive(Debug, Clone, PartialEq)]
enum Token {
    Open,
    Close,
    And,
    Or,
    With,
    Word(String),
}

fn tokenize(s: &str) -> Vec<Token> {
    let mut out = Vec::new();
    let spaced = s.replace('(', " ( ").replace(')', " ) ");
    for w in spaced.split_whitespace() {
        out.push(match w {
            "(" => Token::Open,
            ")" => Token::Close,
            _ if w.eq_ignore_ascii_case("and") => Token::And,
            _ if w.eq_ignore_ascii_case("or") => Token::Or,
            _ if w.eq_ignore_ascii_case("with") => Token::With,
            _ => Token::Word(w.to_string()),
        });
    }
    out
}

fn is_ref_char(c: char) -> bool {
    c.is_ascii_alphanumeric() || c == '.' || c == '-'
}

/// A license id of an expression, canonical, or `None` when not valid.
fn canonical_license(word: &str) -> Option<String> {
    if let Some(rest) = word
        .strip_prefix("LicenseRef-")
        .or_else(|| word.strip_prefix("licenseref-"))
    {
        return (!rest.is_empty() && rest.chars().all(is_ref_char))
            .then(|| format!("LicenseRef-{rest}"));
    }
    if let Some(canon) = lookup(LICENSE_IDS, word) {
        return Some(undeprecate(canon));
    }
    let base = word.strip_suffix('+')?;
    let canon = lookup(LICENSE_IDS, base)?;
    Some(undeprecate(&format!("{canon}+")))
}

/// The expression canonicalised if it is a valid SPDX license expression.
fn canonical_expression(s: &str) -> Option<String> {
    let tokens = tokenize(s);
    if tokens.is_empty() {
        return None;
    }
    // Grammar check: operands and operators alternate, parentheses balance,
    // an exception follows WITH.
    let mut depth = 0usize;
    let mut expect_operand = true;
    let mut out: Vec<String> = Vec::new();
    let mut iter = tokens.iter().peekable();
    while let Some(t) = iter.next() {
        match t {
            Token::Open if expect_operand => {
                depth += 1;
                out.push("(".into());
            }
            Token::Close if !expect_operand && depth > 0 => {
                depth -= 1;
                out.push(")".into());
            }
            Token::And | Token::Or if !expect_operand => {
                out.push(if *t == Token::And {
                    "AND".into()
                } else {
                    "OR".into()
                });
                expect_operand = true;
            }
            Token::Word(w) if expect_operand => {
                out.push(canonical_license(w)?);
                expect_operand = false;
                if iter.peek() == Some(&&Token::With) {
                    iter.next();
                    match iter.next() {
                        Some(Token::Word(e)) => {
                            let exc = lookup(EXCEPTION_IDS, e)?;
                            out.push("WITH".into());
                            out.push(exc.to_string());
                        }
                        _ => return None,
                    }
                }
            }
            _ => return None,
        }
    }
    if depth != 0 || expect_operand {
        return None;
    }
    let joined = out.join(" ").replace("( ", "(").replace(" )", ")");
    Some(joined)
}

/// Well-known spellings, matched on the lowercased text with runs of spaces,
/// `-`, `_`, `,` collapsed to one space.
fn alias(key: &str) -> Option<&'static str> {
    Some(match key {
        "mit" | "mit license" | "the mit license" | "mit licence" | "expat" | "expat license"
        | "mit expat" | "mit/expat" | "mit x11" => "MIT",
        "apache"
        | "apache 2"
        | "apache 2.0"
        | "apache2"
        | "apache2.0"
        | "apache license 2.0"
        | "apache license 2"
        | "apache license version 2.0"
        | "apache license v2.0"
        | "apache license v2"
        | "apache software license"
        | "apache software license 2.0"
        | "apache software license version 2.0"
        | "asl 2.0"
        | "asl2.0"
        | "asl 2"
        | "apache license (2.0)"
        | "the apache software license version 2.0"
        | "the apache license version 2.0"
        | "apache public license 2.0"
        | "apache v2" => "Apache-2.0",
        "apache 1.1" | "apache license 1.1" | "asl 1.1" => "Apache-1.1",
        "bsd"
        | "bsd license"
        | "new bsd"
        | "new bsd license"
        | "modified bsd"
        | "modified bsd license"
        | "revised bsd"
        | "bsd 3 clause"
        | "3 clause bsd"
        | "bsd 3"
        | "bsd3"
        | "3 clause bsd license"
        | "bsd 3 clause license"
        | "the 3 clause bsd license"
        | "bsd new" => "BSD-3-Clause",
        "bsd 2 clause"
        | "2 clause bsd"
        | "simplified bsd"
        | "simplified bsd license"
        | "freebsd"
        | "bsd 2"
        | "bsd2"
        | "2 clause bsd license"
        | "bsd 2 clause license" => "BSD-2-Clause",
        "isc" | "isc license" | "isc license (iscl)" | "iscl" => "ISC",
        "psf"
        | "psfl"
        | "psf license"
        | "python software foundation license"
        | "psf 2.0"
        | "python software foundation" => "PSF-2.0",
        "python" | "python 2.0" | "python license" => "Python-2.0",
        "mpl 2.0"
        | "mpl2"
        | "mpl 2"
        | "mpl2.0"
        | "mozilla public license 2.0"
        | "mozilla public license 2.0 (mpl 2.0)"
        | "mozilla public license version 2.0" => "MPL-2.0",
        "mpl 1.1" | "mozilla public license 1.1" | "mozilla public license 1.1 (mpl 1.1)" => {
            "MPL-1.1"
        }
        "epl 1.0" | "eclipse public license 1.0" | "eclipse public license v1.0" => "EPL-1.0",
        "epl 2.0"
        | "eclipse public license 2.0"
        | "eclipse public license v2.0"
        | "eclipse public license v. 2.0" => "EPL-2.0",
        "cddl" | "cddl 1.0" | "common development and distribution license 1.0" => "CDDL-1.0",
        "cddl 1.1" | "common development and distribution license 1.1" => "CDDL-1.1",
        "unlicense" | "the unlicense" | "the unlicense (unlicense)" => "Unlicense",
        "cc0"
        | "cc0 1.0"
        | "cc0 1.0 universal"
        | "cc0 1.0 universal (cc0 1.0) public domain dedication" => "CC0-1.0",
        "zlib" | "zlib license" | "zlib/libpng" => "Zlib",
        "boost" | "boost software license" | "boost software license 1.0" | "bsl 1.0" => "BSL-1.0",
        "wtfpl" => "WTFPL",
        "artistic" | "perl" | "artistic license" => "Artistic-1.0-Perl",
        "artistic 2.0" | "artistic license 2.0" => "Artistic-2.0",
        "openssl" | "openssl license" => "OpenSSL",
        "ruby" | "ruby license" => "Ruby",
        "postgresql" | "postgresql license" => "PostgreSQL",
        "public domain" | "publicdomain" | "pd" => "LicenseRef-Public-Domain",
        _ => return None,
    })
}

fn alias_key(s: &str) -> String {
    let lower = s.trim().trim_end_matches('.').to_ascii_lowercase();
    let mut out = String::new();
    let mut space = false;
    for c in lower.chars() {
        if c.is_whitespace() || matches!(c, '-' | '_' | ',') {
            space = true;
        } else {
            if space && !out.is_empty() {
                out.push(' ');
            }
            space = false;
            out.push(c);
        }
    }
    out
}

/// GNU licenses in their many spellings: `GPLv2+`, `GPL-2+`, `LGPLv2.1`,
/// `GNU Lesser General Public License v3 or later (LGPLv3+)`, `GPL2`.
fn gnu(key: &str) -> Option<String> {
    // Prefer the parenthesised short form of PyPI classifiers.
    let key = match (key.rfind('('), key.rfind(')')) {
        (Some(a), Some(b)) if b > a + 1 && key.contains("general public") => &key[a + 1..b],
        _ => key,
    };
    // A list of licenses is not one GNU license.
    let or_later_free = key.replace(" or later", "");
    if key.contains(" and ") || key.contains('/') || or_later_free.contains(" or ") {
        return None;
    }
    let family = if key.contains("affero") || key.starts_with("agpl") {
        "AGPL"
    } else if key.contains("lesser") || key.contains("library general") || key.starts_with("lgpl") {
        "LGPL"
    } else if key.contains("general public license")
        || key.starts_with("gpl")
        || key.starts_with("gnu gpl")
    {
        "GPL"
    } else {
        return None;
    };
    let later = key.ends_with('+')
        || key.contains("or later")
        || key.contains("or-later")
        || key.contains("+ ");
    let digits: String = key
        .chars()
        .skip_while(|c| !c.is_ascii_digit())
        .take_while(|c| c.is_ascii_digit() || *c == '.')
        .collect();
    let version = match (family, digits.trim_end_matches('.')) {
        (_, "1" | "1.0") => "1.0",
        ("LGPL", "2.1") => "2.1",
        (_, "2" | "2.0") => "2.0",
        (_, "3" | "3.0") => "3.0",
        _ => return None,
    };
    let id = format!(
        "{family}-{version}-{}",
        if later { "or-later" } else { "only" }
    );
    lookup(LICENSE_IDS, &id).map(str::to_string)
}

fn single(text: &str) -> Option<String> {
    let t = text.trim().trim_matches(|c| c == '"' || c == '\'').trim();
    // PyPI trove classifiers: `License :: OSI Approved :: MIT License`.
    let t = t.rsplit(" :: ").next().unwrap_or(t).trim();
    if t.is_empty() {
        return None;
    }
    if let Some(e) = canonical_expression(t) {
        return Some(e);
    }
    let key = alias_key(t);
    if let Some(id) = alias(&key) {
        return Some(id.to_string());
    }
    // `Apache License, Version 2.0` and friends after the key folding.
    let stripped = key
        .trim_start_matches("the ")
        .replace(" version ", " ")
        .replace("licence", "license");
    if let Some(id) = alias(&stripped) {
        return Some(id.to_string());
    }
    if let Some(id) = gnu(&key) {
        return Some(id);
    }
    // `MIT-0`-style ids with stray case or spaces: try the key with dashes.
    let dashed = key.replace(' ', "-");
    canonical_expression(&dashed)
}

/// Wraps a compound expression in parentheses for use as an operand.
fn operand(e: &str) -> String {
    if e.contains(' ') && !(e.starts_with('(') && e.ends_with(')')) {
        format!("({e})")
    } else {
        e.to_string()
    }
}

/// `LicenseRef-` with the text reduced to the characters SPDX allows.
fn license_ref(text: &str) -> String {
    let mut out = String::new();
    for c in text.trim().chars() {
        if is_ref_char(c) {
            out.push(c);
        } else if !out.ends_with('-') {
            out.push('-');
        }
    }
    let cleaned: String = out.trim_matches('-').chars().take(64).collect();
    let cleaned = cleaned.trim_end_matches('-');
    if cleaned.is_empty() {
        "LicenseRef-unknown".to_string()
    } else {
        format!("LicenseRef-{cleaned}")
    }
}

/// The SPDX license expression for a declared license string. Empty input
/// gives an empty string (nothing declared).
pub fn normalize_license(raw: &str) -> String {
    let t = raw.trim();
    if t.is_empty() {
        return String::new();
    }
    if let Some(e) = single(t) {
        return e;
    }
    // Lists of alternatives or conjunctions in free text: `MIT/Apache-2.0`,
    // `MIT or Apache 2.0`, `GPLv2 and BSD`.
    for (sep, op) in [
        (" or ", " OR "),
        ("/", " OR "),
        (" | ", " OR "),
        (" and ", " AND "),
        (" & ", " AND "),
    ] {
        let lower = t.to_ascii_lowercase();
        if lower.contains(sep) {
            let mut parts = Vec::new();
            let mut rest = t;
            let mut lower_rest = lower.as_str();
            while let Some(i) = lower_rest.find(sep) {
                parts.push(&rest[..i]);
                rest = &rest[i + sep.len()..];
                lower_rest = &lower_rest[i + sep.len()..];
            }
            parts.push(rest);
            let mapped: Option<Vec<String>> = parts.iter().map(|p| single(p)).collect();
            if let Some(m) = mapped {
                if m.len() > 1 {
                    return m.iter().map(|e| operand(e)).collect::<Vec<_>>().join(op);
                }
            }
        }
    }
    license_ref(t)
}

/// Joins several license expressions of one package with AND.
pub(crate) fn conjunction(licenses: &[String]) -> Option<String> {
    let mut exprs: Vec<String> = Vec::new();
    for l in licenses {
        let e = normalize_license(l);
        if !e.is_empty() && !exprs.contains(&e) {
            exprs.push(e);
        }
    }
    match exprs.len() {
        0 => None,
        1 => exprs.pop(),
        _ => Some(
            exprs
                .iter()
                .map(|e| operand(e))
                .collect::<Vec<_>>()
                .join(" AND "),
        ),
    }
}

/// Every `LicenseRef-…` id used in an expression.
pub(crate) fn license_refs(expression: &str) -> Vec<String> {
    tokenize(expression)
        .into_iter()
        .filter_map(|t| match t {
            Token::Word(w) if w.starts_with("LicenseRef-") => Some(w),
            _ => None,
        })
        .collect()
}

/// Whether an expression is a single license id on the SPDX list.
pub(crate) fn is_single_listed_id(expression: &str) -> bool {
    !expression.contains(' ') && !expression.contains('(') && is_license_id(expression)
}
