use crate::{Check, Ctx, Fixtures};
use chrono::NaiveDate;
use yagura_model::{Outcome, Resource, Severity};

pub static CHECK: Check = Check {
    code: "AWS-EKS-004",
    title: "EKS cluster runs a Kubernetes version in standard support",
    severity: Severity::Medium,
    kind: "aws.eks.cluster",
    rationale: "EKS gives each Kubernetes minor version 14 months of standard support, then 12 \
        months of paid extended support, after which clusters are upgraded automatically. A \
        version past standard support is nearing the end of security fixes and an unplanned \
        upgrade. yagura carries the EKS release calendar as a table of end-of-support dates, \
        refreshed with each release, and compares it with the scan date; versions newer than the \
        table are known to be within standard support.",
    remediation: "Upgrade the control plane one minor version at a time (`aws eks \
        update-cluster-version --name NAME --kubernetes-version X.Y`) after checking the \
        upgrade insights for removed APIs, then upgrade node groups and add-ons.",
    frameworks: &[
        "nist-800-53-r5:SA-22",
        "nist-800-53-r5:SI-2",
        "pci-dss-4.0:6.3.3",
    ],
    eval,
    fixtures: Fixtures {
        pass: &[
            r#"{"cluster_name": "c", "version": "1.33"}"#,
            r#"{"cluster_name": "c", "version": "1.40"}"#,
        ],
        fail: &[
            r#"{"cluster_name": "c", "version": "1.31"}"#,
            r#"{"cluster_name": "c", "version": "1.29"}"#,
            r#"{"cluster_name": "c", "version": "1.21"}"#,
        ],
    },
    notes: "",
};

/// A calendar date as (year, month, day).
type Ymd = (i32, u32, u32);

/// EKS minor versions: (minor, end of standard support, end of extended support).
const VERSIONS: &[(u32, Ymd, Ymd)] = &[
    (23, (2023, 10, 11), (2024, 10, 11)),
    (24, (2024, 1, 31), (2025, 1, 31)),
    (25, (2024, 5, 1), (2025, 5, 1)),
    (26, (2024, 6, 11), (2025, 6, 11)),
    (27, (2024, 7, 24), (2025, 7, 24)),
    (28, (2024, 11, 26), (2025, 11, 26)),
    (29, (2025, 3, 23), (2026, 3, 23)),
    (30, (2025, 7, 23), (2026, 7, 23)),
    (31, (2025, 11, 26), (2026, 11, 26)),
    (32, (2026, 3, 23), (2027, 3, 23)),
    (33, (2026, 7, 29), (2027, 7, 29)),
    (34, (2026, 12, 2), (2027, 12, 2)),
    (35, (2027, 3, 27), (2028, 3, 27)),
];

fn date((y, m, d): Ymd) -> Option<NaiveDate> {
    NaiveDate::from_ymd_opt(y, m, d)
}

/// The minor number of a `1.NN` version string.
fn minor(version: &str) -> Option<u32> {
    let mut parts = version.trim().trim_start_matches('v').split('.');
    match (parts.next(), parts.next()) {
        (Some("1"), Some(m)) => m.parse().ok(),
        _ => None,
    }
}

fn eval(r: &Resource, ctx: &Ctx) -> Outcome {
    let version = match r.attr("version").str() {
        Ok(Some(v)) => v,
        Ok(None) => {
            return Outcome::NotAssessed("the cluster's Kubernetes version is not known".into())
        }
        Err(e) => return e.into(),
    };
    let Some(m) = minor(version) else {
        return Outcome::NotAssessed(format!("cannot parse Kubernetes version {version}"));
    };
    let (Some(&(oldest, ..)), Some(&(newest, ..))) = (VERSIONS.first(), VERSIONS.last()) else {
        return Outcome::NotAssessed("the Kubernetes version table is empty".into());
    };
    if m < oldest {
        return Outcome::Fail(format!(
            "Kubernetes {version} is no longer supported by EKS at all"
        ));
    }
    if m > newest {
        return Outcome::Pass(format!(
            "Kubernetes {version} is newer than every version in yagura's EKS calendar, so it is in standard support"
        ));
    }
    let Some(&(_, std_end, ext_end)) = VERSIONS.iter().find(|(v, ..)| *v == m) else {
        return Outcome::NotAssessed(format!(
            "Kubernetes {version} is not in yagura's EKS calendar"
        ));
    };
    let (Some(std_end), Some(ext_end)) = (date(std_end), date(ext_end)) else {
        return Outcome::NotAssessed("invalid date in the EKS version table".into());
    };
    let today = ctx.now.date_naive();
    if today >= ext_end {
        Outcome::Fail(format!(
            "Kubernetes {version} left extended support on {ext_end}; EKS upgrades such clusters automatically"
        ))
    } else if today >= std_end {
        Outcome::Fail(format!(
            "Kubernetes {version} left standard support on {std_end} and is in paid extended support until {ext_end}"
        ))
    } else {
        Outcome::Pass(format!(
            "Kubernetes {version} is in standard support until {std_end}"
        ))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn table_is_ordered_and_valid() {
        for w in VERSIONS.windows(2) {
            assert_eq!(w[0].0 + 1, w[1].0, "versions must be consecutive");
        }
        for (v, s, e) in VERSIONS {
            let (s, e) = (date(*s).unwrap(), date(*e).unwrap());
            assert!(s < e, "1.{v}: extended support ends after standard support");
        }
    }

    #[test]
    fn parses_versions() {
        assert_eq!(minor("1.29"), Some(29));
        assert_eq!(minor("v1.30.2"), Some(30));
        assert_eq!(minor("2.0"), None);
    }
}
