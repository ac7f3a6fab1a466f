//! Normalises the license names distributions declare (rpm `License:`, apk
//! `L:`, Debian DEP-5 short names) to SPDX identifiers. Only names whose
//! meaning is unambiguous are mapped; anything else becomes a
//! `LicenseRef-…` so it is still shown, never silently rewritten.

/// SPDX identifiers that distributions commonly use verbatim.
const SPDX_IDS: &[&str] = &[
    "0BSD",
    "AFL-2.1",
    "AFL-3.0",
    "AGPL-3.0-only",
    "AGPL-3.0-or-later",
    "Apache-1.1",
    "Apache-2.0",
    "Artistic-1.0",
    "Artistic-1.0-Perl",
    "Artistic-2.0",
    "BSD-1-Clause",
    "BSD-2-Clause",
    "BSD-3-Clause",
    "BSD-4-Clause",
    "BSL-1.0",
    "bzip2-1.0.6",
    "CC-BY-3.0",
    "CC-BY-4.0",
    "CC-BY-SA-3.0",
    "CC-BY-SA-4.0",
    "CC0-1.0",
    "CDDL-1.0",
    "CDDL-1.1",
    "curl",
    "EPL-1.0",
    "EPL-2.0",
    "FTL",
    "GFDL-1.1-or-later",
    "GFDL-1.2-only",
    "GFDL-1.2-or-later",
    "GFDL-1.3-only",
    "GFDL-1.3-or-later",
    "GPL-1.0-only",
    "GPL-1.0-or-later",
    "GPL-2.0-only",
    "GPL-2.0-or-later",
    "GPL-3.0-only",
    "GPL-3.0-or-later",
    "HPND",
    "ICU",
    "IJG",
    "ISC",
    "LGPL-2.0-only",
    "LGPL-2.0-or-later",
    "LGPL-2.1-only",
    "LGPL-2.1-or-later",
    "LGPL-3.0-only",
    "LGPL-3.0-or-later",
    "Libpng",
    "libtiff",
    "MIT",
    "MIT-0",
    "MPL-1.1",
    "MPL-2.0",
    "NCSA",
    "OFL-1.1",
    "OpenSSL",
    "PHP-3.01",
    "PostgreSQL",
    "PSF-2.0",
    "Python-2.0",
    "Ruby",
    "Sleepycat",
    "TCL",
    "Unicode-DFS-2016",
    "BSD-4-Clause-UC",
    "FSFUL",
    "FSFULLR",
    "FSFAP",
    "Latex2e",
    "GPL-2.0-with-classpath-exception",
    "GFDL-1.3-no-invariants-only",
    "GFDL-1.3-no-invariants-or-later",
    "GFDL-1.2-no-invariants-only",
    "GFDL-1.2-no-invariants-or-later",
    "MIT-CMU",
    "BSD-Source-Code",
    "Spencer-94",
    "Beerware",
    "bzip2-1.0.8",
    "Unicode-3.0",
    "Unlicense",
    "Vim",
    "W3C",
    "WTFPL",
    "X11",
    "Zlib",
    "ZPL-2.1",
];

/// Common non-SPDX spellings (Fedora's old short names, Debian's DEP-5
/// names, deprecated SPDX ids), compared case-insensitively.
const ALIASES: &[(&str, &str)] = &[
    ("GPLv1", "GPL-1.0-only"),
    ("GPLv1+", "GPL-1.0-or-later"),
    ("GPL+", "GPL-1.0-or-later"),
    ("GPL-1+", "GPL-1.0-or-later"),
    ("GPL-1", "GPL-1.0-only"),
    ("GPLv2", "GPL-2.0-only"),
    ("GPLv2+", "GPL-2.0-or-later"),
    ("GPL-2", "GPL-2.0-only"),
    ("GPL-2+", "GPL-2.0-or-later"),
    ("GPL-2.0", "GPL-2.0-only"),
    ("GPL-2.0+", "GPL-2.0-or-later"),
    ("GPLv3", "GPL-3.0-only"),
    ("GPLv3+", "GPL-3.0-or-later"),
    ("GPL-3", "GPL-3.0-only"),
    ("GPL-3+", "GPL-3.0-or-later"),
    ("GPL-3.0", "GPL-3.0-only"),
    ("GPL-3.0+", "GPL-3.0-or-later"),
    ("LGPLv2", "LGPL-2.0-only"),
    ("LGPLv2+", "LGPL-2.0-or-later"),
    ("LGPL-2", "LGPL-2.0-only"),
    ("LGPL-2+", "LGPL-2.0-or-later"),
    ("LGPL-2.0", "LGPL-2.0-only"),
    ("LGPL-2.0+", "LGPL-2.0-or-later"),
    ("LGPLv2.1", "LGPL-2.1-only"),
    ("LGPLv2.1+", "LGPL-2.1-or-later"),
    ("LGPL-2.1", "LGPL-2.1-only"),
    ("LGPL-2.1+", "LGPL-2.1-or-later"),
    ("LGPLv3", "LGPL-3.0-only"),
    ("LGPLv3+", "LGPL-3.0-or-later"),
    ("LGPL-3", "LGPL-3.0-only"),
    ("LGPL-3+", "LGPL-3.0-or-later"),
    ("LGPL-3.0", "LGPL-3.0-only"),
    ("LGPL-3.0+", "LGPL-3.0-or-later"),
    ("AGPLv3", "AGPL-3.0-only"),
    ("AGPLv3+", "AGPL-3.0-or-later"),
    ("AGPL-3", "AGPL-3.0-only"),
    ("AGPL-3+", "AGPL-3.0-or-later"),
    ("AGPL-3.0", "AGPL-3.0-only"),
    ("GFDL-1.2", "GFDL-1.2-only"),
    ("GFDL-1.2+", "GFDL-1.2-or-later"),
    ("GFDL-1.3", "GFDL-1.3-only"),
    ("GFDL-1.3+", "GFDL-1.3-or-later"),
    ("GFDL-NIV-1.2", "GFDL-1.2-no-invariants-only"),
    ("GFDL-NIV-1.2+", "GFDL-1.2-no-invariants-or-later"),
    ("GFDL-NIV-1.3", "GFDL-1.3-no-invariants-only"),
    ("GFDL-NIV-1.3+", "GFDL-1.3-no-invariants-or-later"),
    ("BSL-1", "BSL-1.0"),
    ("BSD-4-clause-UC", "BSD-4-Clause-UC"),
    ("Expat", "MIT"),
    ("MIT/X11", "MIT"),
    ("BSD", "LicenseRef-BSD"),
    ("BSD-2-clause", "BSD-2-Clause"),
    ("BSD-3-clause", "BSD-3-Clause"),
    ("BSD-4-clause", "BSD-4-Clause"),
    ("ASL 2.0", "Apache-2.0"),
    ("ASL 1.1", "Apache-1.1"),
    ("Apache-2", "Apache-2.0"),
    ("Apache 2.0", "Apache-2.0"),
    ("MPLv1.1", "MPL-1.1"),
    ("MPLv2.0", "MPL-2.0"),
    ("MPL-2", "MPL-2.0"),
    ("zlib", "Zlib"),
    ("Boost", "BSL-1.0"),
    ("Artistic", "Artistic-1.0"),
    ("Artistic-1", "Artistic-1.0"),
    ("Artistic-2", "Artistic-2.0"),
    ("Artistic 2.0", "Artistic-2.0"),
    ("PSF", "PSF-2.0"),
    ("OpenLDAP", "OLDAP-2.8"),
    ("Public Domain", "LicenseRef-public-domain"),
    ("public-domain", "LicenseRef-public-domain"),
    ("PD", "LicenseRef-public-domain"),
    ("CC0", "CC0-1.0"),
    ("ISC-style", "LicenseRef-ISC-style"),
    ("Unicode-DFS", "Unicode-DFS-2016"),
];

/// License exceptions as Debian and Fedora spell them (`GPL-3+ with Bison
/// exception`) and their SPDX exception ids.
const EXCEPTIONS: &[(&str, &str)] = &[
    ("Bison exception", "Bison-exception-2.2"),
    ("Bison", "Bison-exception-2.2"),
    ("Classpath exception", "Classpath-exception-2.0"),
    ("GCC runtime library exception", "GCC-exception-3.1"),
    ("GCC exception", "GCC-exception-3.1"),
    ("Font exception", "Font-exception-2.0"),
    ("Libtool exception", "Libtool-exception"),
    (
        "OCaml LGPL linking exception",
        "OCaml-LGPL-linking-exception",
    ),
];

/// One license name to SPDX, or `None` when it is not a known name.
fn lookup(name: &str) -> Option<String> {
    let name = name.trim();
    if let Some(at) = name.to_ascii_lowercase().find(" with ") {
        let (base, exception) = (name.get(..at)?, name.get(at + 6..)?.trim());
        let base = lookup(base)?;
        let (_, id) = EXCEPTIONS
            .iter()
            .find(|(spelled, _)| spelled.eq_ignore_ascii_case(exception))?;
        return Some(format!("{base} WITH {id}"));
    }
    if let Some(id) = SPDX_IDS.iter().find(|id| id.eq_ignore_ascii_case(name)) {
        return Some((*id).to_string());
    }
    ALIASES
        .iter()
        .find(|(alias, _)| alias.eq_ignore_ascii_case(name))
        .map(|(_, id)| (*id).to_string())
}

/// `LicenseRef-` plus the text with everything outside SPDX's idstring
/// alphabet (letters, digits, `.`, `-`) replaced by `-`.
pub(crate) fn license_ref(text: &str) -> String {
    let mut out = String::from("LicenseRef-");
    let mut last_dash = false;
    for c in text.trim().chars() {
        let mapped = if c.is_ascii_alphanumeric() || c == '.' {
            c
        } else {
            '-'
        };
        if mapped == '-' {
            if last_dash {
                continue;
            }
            last_dash = true;
        } else {
            last_dash = false;
        }
        out.push(mapped);
    }
    while out.ends_with('-') && out.len() > "LicenseRef-".len() {
        out.pop();
    }
    out
}

/// Normalises a declared license to an SPDX expression. Simple compound
/// expressions (`GPLv2+ and LGPLv2+`, `MIT OR Apache-2.0`, Debian's
/// `GPL-2+ or Artistic`) are mapped term by term when every term is known;
/// otherwise the whole text becomes one `LicenseRef-…`. Returns `None` for an
/// empty declaration.
pub fn normalise_license(declared: &str) -> Option<String> {
    let declared = declared.trim();
    if declared.is_empty() {
        return None;
    }
    if let Some(id) = lookup(declared) {
        return Some(id);
    }
    // Split on `and`/`or` (any case); each term is mapped on its own and an
    // unknown term becomes its own LicenseRef, keeping the expression valid.
    let mut terms: Vec<String> = Vec::new();
    let mut current: Vec<&str> = Vec::new();
    let flush = |current: &mut Vec<&str>, terms: &mut Vec<String>| {
        let joined = current.join(" ");
        let term = joined.trim().trim_matches(|c| c == '(' || c == ')').trim();
        if !term.is_empty() {
            terms.push(lookup(term).unwrap_or_else(|| license_ref(term)));
        }
        current.clear();
    };
    for word in declared.split_whitespace() {
        let operator = match word.to_ascii_lowercase().as_str() {
            "and" | "&" => Some("AND"),
            "or" | "|" => Some("OR"),
            _ => None,
        };
        match operator {
            Some(op) if !current.is_empty() => {
                flush(&mut current, &mut terms);
                terms.push(op.to_string());
            }
            _ => current.push(word),
        }
    }
    flush(&mut current, &mut terms);
    if terms.len() > 1 && !terms.last().is_some_and(|t| t == "AND" || t == "OR") {
        return Some(terms.join(" "));
    }
    Some(license_ref(declared))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn normalises_common_names() {
        assert_eq!(
            normalise_license("GPLv2+").as_deref(),
            Some("GPL-2.0-or-later")
        );
        assert_eq!(
            normalise_license("GPL-2+").as_deref(),
            Some("GPL-2.0-or-later")
        );
        assert_eq!(normalise_license("Expat").as_deref(), Some("MIT"));
        assert_eq!(
            normalise_license("bsd-3-clause").as_deref(),
            Some("BSD-3-Clause")
        );
        assert_eq!(normalise_license("MIT").as_deref(), Some("MIT"));
        assert_eq!(
            normalise_license("GPLv2+ and LGPLv2+").as_deref(),
            Some("GPL-2.0-or-later AND LGPL-2.0-or-later")
        );
        assert_eq!(
            normalise_license("MIT OR Apache-2.0").as_deref(),
            Some("MIT OR Apache-2.0")
        );
        assert_eq!(
            normalise_license("Some Weird License (v2)").as_deref(),
            Some("LicenseRef-Some-Weird-License-v2")
        );
        assert_eq!(normalise_license("  "), None);
        assert_eq!(
            normalise_license("GPL-3+ with Bison exception").as_deref(),
            Some("GPL-3.0-or-later WITH Bison-exception-2.2")
        );
        assert_eq!(
            normalise_license("GPL-2+ with OpenSSL exception").as_deref(),
            Some("LicenseRef-GPL-2-with-OpenSSL-exception")
        );
        assert_eq!(
            normalise_license("GFDL-NIV-1.3+").as_deref(),
            Some("GFDL-1.3-no-invariants-or-later")
        );
    }
}
