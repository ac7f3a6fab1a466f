//! Declared license text → SPDX, where a small table makes it obvious.
//!
//! Anything not in the table becomes `LicenseRef-<sanitised text>` so the
//! declared value survives into SBOMs without pretending to be SPDX.

/// SPDX ids recognised as such (case-insensitively) and written canonically.
const SPDX_IDS: &[&str] = &[
    "0BSD",
    "AFL-3.0",
    "AGPL-3.0",
    "AGPL-3.0-only",
    "AGPL-3.0-or-later",
    "Apache-1.1",
    "Apache-2.0",
    "Artistic-2.0",
    "BlueOak-1.0.0",
    "BSD-1-Clause",
    "BSD-2-Clause",
    "BSD-3-Clause",
    "BSD-4-Clause",
    "BSL-1.0",
    "CC-BY-3.0",
    "CC-BY-4.0",
    "CC0-1.0",
    "CDDL-1.0",
    "CDDL-1.1",
    "EPL-1.0",
    "EPL-2.0",
    "GPL-2.0",
    "GPL-2.0-only",
    "GPL-2.0-or-later",
    "GPL-3.0",
    "GPL-3.0-only",
    "GPL-3.0-or-later",
    "HPND",
    "ISC",
    "LGPL-2.1",
    "LGPL-2.1-only",
    "LGPL-2.1-or-later",
    "LGPL-3.0",
    "LGPL-3.0-only",
    "LGPL-3.0-or-later",
    "MIT",
    "MIT-0",
    "MPL-1.1",
    "MPL-2.0",
    "PSF-2.0",
    "Python-2.0",
    "Ruby",
    "Unicode-3.0",
    "Unicode-DFS-2016",
    "Unlicense",
    "UPL-1.0",
    "WTFPL",
    "Zlib",
];

/// Common spellings of license names (lower case, trimmed) and the SPDX id
/// they unambiguously mean. Ambiguous names ("BSD", "GPL") are left out.
const ALIASES: &[(&str, &str)] = &[
    ("mit license", "MIT"),
    ("the mit license", "MIT"),
    ("mit/x11", "MIT"),
    ("expat", "MIT"),
    ("apache 2.0", "Apache-2.0"),
    ("apache 2", "Apache-2.0"),
    ("apache2", "Apache-2.0"),
    ("apache-2", "Apache-2.0"),
    ("apache license 2.0", "Apache-2.0"),
    ("apache license, version 2.0", "Apache-2.0"),
    ("apache license version 2.0", "Apache-2.0"),
    ("apache software license 2.0", "Apache-2.0"),
    ("the apache software license, version 2.0", "Apache-2.0"),
    ("the apache license, version 2.0", "Apache-2.0"),
    ("asl 2.0", "Apache-2.0"),
    ("https://www.apache.org/licenses/license-2.0", "Apache-2.0"),
    (
        "https://www.apache.org/licenses/license-2.0.txt",
        "Apache-2.0",
    ),
    (
        "https://www.apache.org/licenses/license-2.0.html",
        "Apache-2.0",
    ),
    ("http://www.apache.org/licenses/license-2.0", "Apache-2.0"),
    (
        "http://www.apache.org/licenses/license-2.0.txt",
        "Apache-2.0",
    ),
    (
        "http://www.apache.org/licenses/license-2.0.html",
        "Apache-2.0",
    ),
    ("https://opensource.org/licenses/mit", "MIT"),
    ("http://opensource.org/licenses/mit", "MIT"),
    ("https://www.eclipse.org/legal/epl-2.0", "EPL-2.0"),
    ("http://www.eclipse.org/legal/epl-2.0", "EPL-2.0"),
    ("https://www.eclipse.org/legal/epl-v20.html", "EPL-2.0"),
    ("eclipse public license 2.0", "EPL-2.0"),
    ("eclipse public license - v 2.0", "EPL-2.0"),
    ("eclipse public license 1.0", "EPL-1.0"),
    ("eclipse public license - v 1.0", "EPL-1.0"),
    ("bsd 3-clause", "BSD-3-Clause"),
    ("bsd-3", "BSD-3-Clause"),
    ("new bsd license", "BSD-3-Clause"),
    ("modified bsd license", "BSD-3-Clause"),
    ("bsd 2-clause", "BSD-2-Clause"),
    ("simplified bsd license", "BSD-2-Clause"),
    ("isc license", "ISC"),
    ("isc license (iscl)", "ISC"),
    ("mozilla public license 2.0 (mpl 2.0)", "MPL-2.0"),
    ("mpl 2.0", "MPL-2.0"),
    ("mpl-2", "MPL-2.0"),
    ("python software foundation license", "PSF-2.0"),
    ("psf", "PSF-2.0"),
    ("psf license", "PSF-2.0"),
    ("the unlicense", "Unlicense"),
    ("the unlicense (unlicense)", "Unlicense"),
    (
        "cc0 1.0 universal (cc0 1.0) public domain dedication",
        "CC0-1.0",
    ),
    ("cc0", "CC0-1.0"),
    ("zlib license", "Zlib"),
    ("zlib/libpng license", "Zlib"),
    ("boost software license 1.0 (bsl-1.0)", "BSL-1.0"),
    ("gplv2", "GPL-2.0-only"),
    ("gplv2+", "GPL-2.0-or-later"),
    ("gplv3", "GPL-3.0-only"),
    ("gplv3+", "GPL-3.0-or-later"),
    ("gnu general public license v2 (gplv2)", "GPL-2.0-only"),
    (
        "gnu general public license v2 or later (gplv2+)",
        "GPL-2.0-or-later",
    ),
    ("gnu general public license v3 (gplv3)", "GPL-3.0-only"),
    (
        "gnu general public license v3 or later (gplv3+)",
        "GPL-3.0-or-later",
    ),
    ("lgplv2.1", "LGPL-2.1-only"),
    ("lgplv3", "LGPL-3.0-only"),
    (
        "gnu lesser general public license v3 (lgplv3)",
        "LGPL-3.0-only",
    ),
    (
        "gnu lesser general public license v2 or later (lgplv2+)",
        "LGPL-2.1-or-later",
    ),
    ("gnu affero general public license v3", "AGPL-3.0-only"),
    ("universal permissive license (upl)", "UPL-1.0"),
    ("academic free license (afl)", "AFL-3.0"),
];

/// Tokens allowed in an SPDX expression besides license ids.
const OPERATORS: &[&str] = &["OR", "AND", "WITH"];

fn canonical_id(token: &str) -> Option<&'static str> {
    let token = token.strip_suffix('+').unwrap_or(token);
    SPDX_IDS
        .iter()
        .copied()
        .find(|id| id.eq_ignore_ascii_case(token))
}

/// Normalises one declared license: an SPDX id or expression, a known
/// alias, or else `LicenseRef-…`. `None` for blank or "UNKNOWN" values.
pub(crate) fn normalize(declared: &str) -> Option<String> {
    let text = declared.trim().trim_matches('"').trim();
    if text.is_empty()
        || text.eq_ignore_ascii_case("unknown")
        || text.eq_ignore_ascii_case("none")
        || text.eq_ignore_ascii_case("UNLICENSED")
    {
        return None;
    }
    if let Some(id) = canonical_id(text) {
        return Some(id.to_string());
    }
    let lower = text.to_ascii_lowercase();
    let lower_no_slash = lower.trim_end_matches('/');
    if let Some((_, id)) = ALIASES.iter().find(|(alias, _)| *alias == lower_no_slash) {
        return Some((*id).to_string());
    }
    if let Some(expr) = spdx_expression(text) {
        return Some(expr);
    }
    Some(license_ref(text))
}

/// `MIT OR Apache-2.0`, `(MIT AND Zlib)`: kept when every operand is a known id
/// (exceptions after `WITH` are accepted as written).
fn spdx_expression(text: &str) -> Option<String> {
    let spaced = text.replace('(', " ( ").replace(')', " ) ");
    let tokens: Vec<&str> = spaced.split_whitespace().collect();
    if tokens.len() < 3 {
        return None;
    }
    let mut out = Vec::with_capacity(tokens.len());
    let mut after_with = false;
    for token in tokens {
        let upper = token.to_ascii_uppercase();
        if OPERATORS.contains(&upper.as_str()) {
            after_with = upper == "WITH";
            out.push(upper);
        } else if token == "(" || token == ")" {
            out.push(token.to_string());
        } else if after_with {
            after_with = false;
            out.push(token.to_string());
        } else {
            let id = canonical_id(token)?;
            let plus = if token.ends_with('+') { "+" } else { "" };
            out.push(format!("{id}{plus}"));
        }
    }
    let joined = out.join(" ").replace("( ", "(").replace(" )", ")");
    let trimmed = match joined.strip_prefix('(').and_then(|s| s.strip_suffix(')')) {
        Some(inner) if !inner.contains('(') => inner.to_string(),
        _ => joined,
    };
    Some(trimmed)
}

/// `LicenseRef-` followed by the text with characters SPDX forbids replaced.
fn license_ref(text: &str) -> String {
    let mut out = String::from("LicenseRef-");
    let mut last_dash = true;
    for c in text.chars().take(80) {
        if c.is_ascii_alphanumeric() || c == '.' {
            out.push(c);
            last_dash = false;
        } else if !last_dash {
            out.push('-');
            last_dash = true;
        }
    }
    while out.ends_with('-') && out.len() > "LicenseRef-".len() {
        out.pop();
    }
    out
}

/// Adds `license` to `licenses` unless already there.
pub(crate) fn push_unique(licenses: &mut Vec<String>, license: Option<String>) {
    if let Some(l) = license {
        if !licenses.contains(&l) {
            licenses.push(l);
        }
    }
}

#[cfg(test)]
mod tests {
    use super::normalize;

    #[test]
    fn table_and_fallbacks() {
        assert_eq!(normalize("mit").as_deref(), Some("MIT"));
        assert_eq!(
            normalize("Apache License, Version 2.0").as_deref(),
            Some("Apache-2.0")
        );
        assert_eq!(
            normalize("https://www.apache.org/licenses/LICENSE-2.0.txt").as_deref(),
            Some("Apache-2.0")
        );
        assert_eq!(
            normalize("(MIT OR apache-2.0)").as_deref(),
            Some("MIT OR Apache-2.0")
        );
        assert_eq!(
            normalize("Apache-2.0 WITH LLVM-exception").as_deref(),
            Some("Apache-2.0 WITH LLVM-exception")
        );
        assert_eq!(
            normalize("BSD License").as_deref(),
            Some("LicenseRef-BSD-License")
        );
        assert_eq!(
            normalize("Foo & Bar, v2 ").as_deref(),
            Some("LicenseRef-Foo-Bar-v2")
        );
        assert_eq!(normalize("UNKNOWN"), None);
        assert_eq!(normalize("  "), None);
    }
}
