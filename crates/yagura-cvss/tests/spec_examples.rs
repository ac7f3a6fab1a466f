//! Hand-picked vectors from the FIRST specification documents and user guides, plus
//! validation behaviour.

use yagura_cvss::{score, Error, Nomenclature, Rating, Version};

fn base(vector: &str) -> f64 {
    score(vector)
        .unwrap_or_else(|e| panic!("{vector}: {e}"))
        .base_score
}

#[test]
fn v3_examples() {
    let cases = [
        ("CVSS:3.1/AV:N/AC:L/PR:N/UI:N/S:U/C:H/I:H/A:H", 9.8),
        ("CVSS:3.0/AV:N/AC:L/PR:N/UI:N/S:U/C:H/I:H/A:H", 9.8),
        // Heartbleed (CVE-2014-0160), v3.x examples document.
        ("CVSS:3.1/AV:N/AC:L/PR:N/UI:N/S:U/C:H/I:N/A:N", 7.5),
        // phpMyAdmin reflected XSS (CVE-2013-1937).
        ("CVSS:3.1/AV:N/AC:L/PR:N/UI:R/S:C/C:L/I:L/A:N", 6.1),
        ("CVSS:3.0/AV:N/AC:L/PR:N/UI:N/S:C/C:H/I:H/A:H", 10.0),
        ("CVSS:3.1/AV:N/AC:L/PR:N/UI:N/S:U/C:N/I:N/A:N", 0.0),
    ];
    for (vector, expected) in cases {
        assert_eq!(base(vector), expected, "{vector}");
    }
}

#[test]
fn v3_temporal_and_environmental() {
    let s = score("CVSS:3.1/AV:L/AC:L/PR:L/UI:N/S:U/C:H/I:H/A:H/E:P/RL:O/RC:C").unwrap();
    assert_eq!((s.base_score, s.temporal_score), (7.8, Some(7.0)));
    assert_eq!(s.environmental_score, None);

    let s = score("CVSS:3.1/AV:N/AC:H/PR:N/UI:N/S:U/C:L/I:N/A:N/CR:H/MAV:L/MS:C/MC:H").unwrap();
    assert_eq!(s.base_score, 3.7);
    assert_eq!(s.temporal_score, None);
    assert_eq!(s.environmental_score, Some(8.0));
    assert_eq!(s.severity, Rating::Low);

    // All-X temporal/environmental metrics are "not defined".
    let s = score("CVSS:3.1/AV:N/AC:L/PR:N/UI:N/S:U/C:H/I:H/A:H/E:X/RL:X/RC:X/MAV:X").unwrap();
    assert_eq!((s.temporal_score, s.environmental_score), (None, None));
}

#[test]
fn v4_examples() {
    let cases = [
        (
            "CVSS:4.0/AV:N/AC:L/AT:N/PR:N/UI:N/VC:H/VI:H/VA:H/SC:N/SI:N/SA:N",
            9.3,
            Rating::Critical,
            Nomenclature::CvssB,
        ),
        (
            "CVSS:4.0/AV:N/AC:L/AT:N/PR:N/UI:N/VC:H/VI:H/VA:H/SC:N/SI:N/SA:N/E:U",
            8.1,
            Rating::High,
            Nomenclature::CvssBT,
        ),
        (
            "CVSS:4.0/AV:L/AC:L/AT:N/PR:L/UI:N/VC:H/VI:H/VA:H/SC:N/SI:N/SA:N",
            8.5,
            Rating::High,
            Nomenclature::CvssB,
        ),
        (
            "CVSS:4.0/AV:N/AC:L/AT:N/PR:N/UI:N/VC:N/VI:N/VA:N/SC:N/SI:N/SA:N",
            0.0,
            Rating::None,
            Nomenclature::CvssB,
        ),
        (
            "CVSS:4.0/AV:N/AC:L/AT:N/PR:N/UI:N/VC:H/VI:H/VA:H/SC:N/SI:N/SA:N/MSI:S/S:P/U:Red",
            10.0,
            Rating::Critical,
            Nomenclature::CvssBE,
        ),
        (
            "CVSS:4.0/AV:P/AC:H/AT:P/PR:H/UI:A/VC:L/VI:N/VA:N/SC:N/SI:N/SA:N",
            1.0,
            Rating::Low,
            Nomenclature::CvssB,
        ),
    ];
    for (vector, expected, rating, nomenclature) in cases {
        let s = score(vector).unwrap();
        assert_eq!(s.version, Version::V4_0);
        assert_eq!(s.base_score, expected, "{vector}");
        assert_eq!(s.severity, rating, "{vector}");
        assert_eq!(s.v4_nomenclature, Some(nomenclature), "{vector}");
        assert_eq!((s.temporal_score, s.environmental_score), (None, None));
    }
    let bte =
        score("CVSS:4.0/AV:N/AC:L/AT:N/PR:N/UI:N/VC:H/VI:H/VA:H/SC:N/SI:N/SA:N/E:P/CR:L/IR:L/AR:L")
            .unwrap();
    assert_eq!(bte.v4_nomenclature, Some(Nomenclature::CvssBTE));
    assert_eq!(bte.base_score, 7.9);
    assert_eq!(bte.severity, Rating::High);
    // Explicit E:X, CR:X... equal the defaults (E:A, requirements H).
    assert_eq!(
        base("CVSS:4.0/AV:N/AC:L/AT:N/PR:N/UI:N/VC:H/VI:H/VA:H/SC:N/SI:N/SA:N/E:X/CR:X/IR:X/AR:X"),
        9.3
    );
    assert_eq!(
        base("CVSS:4.0/AV:N/AC:L/AT:N/PR:N/UI:N/VC:H/VI:H/VA:H/SC:N/SI:N/SA:N/E:A/CR:H/IR:H/AR:H"),
        9.3
    );
}

#[test]
fn v2_examples_from_the_v2_guide() {
    // CVE-2002-0392
    let s = score("AV:N/AC:L/Au:N/C:N/I:N/A:C/E:F/RL:OF/RC:C/CDP:H/TD:H/CR:M/IR:M/AR:H").unwrap();
    assert_eq!(s.version, Version::V2);
    assert_eq!(
        (s.base_score, s.temporal_score, s.environmental_score),
        (7.8, Some(6.4), Some(9.2))
    );
    assert_eq!(s.severity, Rating::High);
    // CVE-2003-0818
    let s = score("AV:N/AC:L/Au:N/C:C/I:C/A:C/E:F/RL:OF/RC:C").unwrap();
    assert_eq!((s.base_score, s.temporal_score), (10.0, Some(8.3)));
    // CVE-2003-0062
    let s = score("AV:L/AC:H/Au:N/C:C/I:C/A:C/E:POC/RL:OF/RC:C/CDP:H/TD:H/CR:M/IR:M/AR:M").unwrap();
    assert_eq!(
        (s.base_score, s.temporal_score, s.environmental_score),
        (6.2, Some(4.9), Some(7.5))
    );
    assert_eq!(s.severity, Rating::Medium);

    // NVD style, parenthesised, and the occasional CVSS:2.0/ prefix.
    assert_eq!(base("AV:N/AC:L/Au:N/C:P/I:P/A:P"), 7.5);
    assert_eq!(base("(AV:N/AC:L/Au:N/C:P/I:P/A:P)"), 7.5);
    assert_eq!(base("CVSS:2.0/AV:N/AC:L/Au:N/C:P/I:P/A:P"), 7.5);
    assert_eq!(
        score("AV:N/AC:L/Au:N/C:N/I:N/A:N").unwrap().severity,
        Rating::Low
    );
}

#[test]
fn metrics_may_come_in_any_order_and_whitespace_is_trimmed() {
    assert_eq!(
        base("  CVSS:3.1/A:H/I:H/C:H/S:U/UI:N/PR:N/AC:L/AV:N\n"),
        9.8
    );
    assert_eq!(
        base("CVSS:4.0/SA:N/SI:N/SC:N/VA:H/VI:H/VC:H/UI:N/PR:N/AT:N/AC:L/AV:N"),
        9.3
    );
}

#[test]
fn validation_errors_name_the_metric() {
    let v = Version::V3_1;
    assert_eq!(score(""), Err(Error::Empty));
    assert_eq!(score("   "), Err(Error::Empty));
    assert_eq!(
        score("CVSS:3.2/AV:N/AC:L/PR:N/UI:N/S:U/C:H/I:H/A:H"),
        Err(Error::UnsupportedVersion("3.2".into()))
    );
    assert_eq!(
        score("CVSS:3.1/AV:N/AC:L/PR:N/UI:N/S:U/C:H/I:H"),
        Err(Error::MissingMetric {
            version: v,
            metric: "A"
        })
    );
    assert_eq!(
        score("CVSS:3.1/AV:N/AC:L/PR:N/UI:N/S:U/C:H/I:H/A:H/A:L"),
        Err(Error::DuplicateMetric {
            version: v,
            metric: "A".into()
        })
    );
    assert_eq!(
        score("CVSS:3.1/AV:N/AC:L/PR:N/UI:N/S:U/C:H/I:H/A:H/ZZ:H"),
        Err(Error::UnknownMetric {
            version: v,
            metric: "ZZ".into()
        })
    );
    assert_eq!(
        score("CVSS:3.1/AV:Q/AC:L/PR:N/UI:N/S:U/C:H/I:H/A:H"),
        Err(Error::InvalidValue {
            version: v,
            metric: "AV".into(),
            value: "Q".into()
        })
    );
    // Base metrics cannot be "not defined".
    assert_eq!(
        score("CVSS:3.1/AV:X/AC:L/PR:N/UI:N/S:U/C:H/I:H/A:H"),
        Err(Error::InvalidValue {
            version: v,
            metric: "AV".into(),
            value: "X".into()
        })
    );
    assert!(matches!(
        score("CVSS:3.1/AV:N/AC:L/PR:N/UI:N/S:U/C:H/I:H/A:H/"),
        Err(Error::MalformedField { .. })
    ));
    assert!(matches!(
        score("CVSS:3.1/AV:N/AC:L/PR:N/UI:N/S:U/C:H/I:H/A:H:H"),
        Err(Error::MalformedField { .. })
    ));
    // A v3 metric is unknown to v4, and the v2 "Au" is unknown to v3.
    assert_eq!(
        score("CVSS:4.0/AV:N/AC:L/AT:N/PR:N/UI:N/VC:H/VI:H/VA:H/SC:N/SI:N/SA:N/RL:O"),
        Err(Error::UnknownMetric {
            version: Version::V4_0,
            metric: "RL".into()
        })
    );
    assert_eq!(
        score("CVSS:4.0/AV:N/AC:L/AT:N/PR:N/UI:N/VC:H/VI:H/VA:H/SC:N/SI:N"),
        Err(Error::MissingMetric {
            version: Version::V4_0,
            metric: "SA"
        })
    );
    assert_eq!(
        score("CVSS:4.0/AV:N/AC:L/AT:N/PR:N/UI:N/VC:H/VI:H/VA:H/SC:S/SI:N/SA:N"),
        Err(Error::InvalidValue {
            version: Version::V4_0,
            metric: "SC".into(),
            value: "S".into()
        })
    );
    assert_eq!(
        score("AV:N/AC:L/Au:N/C:P/I:P"),
        Err(Error::MissingMetric {
            version: Version::V2,
            metric: "A"
        })
    );
    // Metric names are case-sensitive, as the specifications define them.
    assert_eq!(
        score("AV:N/AC:L/AU:N/C:P/I:P/A:P"),
        Err(Error::UnknownMetric {
            version: Version::V2,
            metric: "AU".into()
        })
    );
    let message = score("CVSS:3.1/AV:N/AC:L/PR:N/UI:N/S:U/C:H/I:H/A:H/A:L")
        .unwrap_err()
        .to_string();
    assert!(message.contains("\"A\""), "{message}");
}
