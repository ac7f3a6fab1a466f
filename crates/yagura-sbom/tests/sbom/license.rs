use yagura_sbom::{is_license_id, normalize_license};

#[test]
fn declared_strings_map_to_spdx() {
    let cases = [
        ("MIT", "MIT"),
        ("mit", "MIT"),
        ("MIT License", "MIT"),
        ("The MIT License", "MIT"),
        ("Expat", "MIT"),
        ("Apache 2.0", "Apache-2.0"),
        ("Apache License, Version 2.0", "Apache-2.0"),
        ("Apache License 2.0", "Apache-2.0"),
        ("ASL 2.0", "Apache-2.0"),
        ("apache-2.0", "Apache-2.0"),
        (
            "License :: OSI Approved :: Apache Software License",
            "Apache-2.0",
        ),
        ("BSD", "BSD-3-Clause"),
        ("BSD License", "BSD-3-Clause"),
        ("3-Clause BSD License", "BSD-3-Clause"),
        ("Simplified BSD", "BSD-2-Clause"),
        ("GPLv2+", "GPL-2.0-or-later"),
        ("GPL-2+", "GPL-2.0-or-later"),
        ("GPLv2", "GPL-2.0-only"),
        ("GPL-3", "GPL-3.0-only"),
        ("GPL-2.0", "GPL-2.0-only"),
        ("GPL-2.0+", "GPL-2.0-or-later"),
        ("LGPLv2.1", "LGPL-2.1-only"),
        ("LGPL-2.1+", "LGPL-2.1-or-later"),
        (
            "GNU General Public License v2 or later (GPLv2+)",
            "GPL-2.0-or-later",
        ),
        (
            "GNU Lesser General Public License v3 (LGPLv3)",
            "LGPL-3.0-only",
        ),
        ("AGPLv3", "AGPL-3.0-only"),
        ("MPL 2.0", "MPL-2.0"),
        ("Mozilla Public License 2.0 (MPL 2.0)", "MPL-2.0"),
        ("ISC", "ISC"),
        ("ISC License (ISCL)", "ISC"),
        ("Python-2.0", "Python-2.0"),
        ("PSF", "PSF-2.0"),
        ("Python Software Foundation License", "PSF-2.0"),
        ("(MIT OR Apache-2.0)", "(MIT OR Apache-2.0)"),
        ("MIT OR Apache-2.0", "MIT OR Apache-2.0"),
        ("mit or apache-2.0", "MIT OR Apache-2.0"),
        ("MIT/Apache-2.0", "MIT OR Apache-2.0"),
        ("MIT or Apache 2.0", "MIT OR Apache-2.0"),
        ("GPLv2 and BSD", "GPL-2.0-only AND BSD-3-Clause"),
        (
            "Apache-2.0 WITH LLVM-exception",
            "Apache-2.0 WITH LLVM-exception",
        ),
        (
            "gpl-2.0-only with classpath-exception-2.0",
            "GPL-2.0-only WITH Classpath-exception-2.0",
        ),
        ("0bsd", "0BSD"),
        ("Unlicense", "Unlicense"),
        ("Public Domain", "LicenseRef-Public-Domain"),
        (
            "Acme Proprietary License v1",
            "LicenseRef-Acme-Proprietary-License-v1",
        ),
        ("GPL", "LicenseRef-GPL"),
        ("LicenseRef-Foo", "LicenseRef-Foo"),
        ("  ", ""),
    ];
    for (raw, want) in cases {
        assert_eq!(normalize_license(raw), want, "{raw:?}");
    }
}

#[test]
fn normalisation_is_idempotent() {
    for raw in [
        "MIT/Apache-2.0",
        "GPLv2+",
        "Acme (custom) license!",
        "BSD",
        "(MIT OR Apache-2.0) AND ISC",
    ] {
        let once = normalize_license(raw);
        assert_eq!(normalize_license(&once), once, "{raw}");
    }
}

#[test]
fn embedded_list_knows_ids_in_any_case() {
    assert!(is_license_id("Apache-2.0"));
    assert!(is_license_id("apache-2.0"));
    assert!(is_license_id("GPL-2.0")); // deprecated ids stay valid
    assert!(!is_license_id("LLVM-exception")); // an exception, not a license
    assert!(!is_license_id("Apache 2.0"));
}

#[test]
fn broken_expressions_become_license_refs() {
    for raw in [
        "MIT OR",
        "(MIT",
        "MIT AND AND ISC",
        "MIT WITH Foo-exception",
    ] {
        let got = normalize_license(raw);
        assert!(got.starts_with("LicenseRef-"), "{raw:?} gave {got}");
    }
}
