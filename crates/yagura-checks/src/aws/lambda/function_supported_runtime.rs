use crate::{Check, Ctx, Fixtures};
use chrono::NaiveDate;
use yagura_model::{Outcome, Resource, Severity};

pub static CHECK: Check = Check {
    code: "AWS-LAMBDA-002",
    title: "Lambda function uses a supported runtime",
    severity: Severity::Medium,
    kind: "aws.lambda.function",
    rationale: "Once Lambda deprecates a runtime it stops patching the language and operating \
        system under it, and soon blocks updates to functions using it. Functions left on such a \
        runtime accumulate known vulnerabilities and cannot receive emergency fixes without a \
        migration. yagura keeps a table of each managed runtime's published deprecation date \
        (AWS Lambda runtimes page), updated with every release, and compares it with the scan \
        date, so a runtime fails from its deprecation day even with an older yagura.",
    remediation: "Move the function to a current runtime of the same language (for example \
        python3.13, nodejs22.x, java21, dotnet8), test it, and update it with `aws lambda \
        update-function-configuration --function-name NAME --runtime RUNTIME`.",
    frameworks: &[
        "nist-800-53-r5:SA-22",
        "nist-800-53-r5:SI-2",
        "pci-dss-4.0:6.3.3",
    ],
    eval,
    fixtures: Fixtures {
        pass: &[
            r#"{"function_name": "f", "runtime": "python3.13", "package_type": "Zip"}"#,
            r#"{"function_name": "f", "runtime": null, "package_type": "Image"}"#,
        ],
        fail: &[
            r#"{"function_name": "f", "runtime": "python3.8", "package_type": "Zip"}"#,
            r#"{"function_name": "f", "runtime": "nodejs20.x", "package_type": "Zip"}"#,
            r#"{"function_name": "f", "runtime": "java8", "package_type": "Zip"}"#,
        ],
    },
    notes: "Runtimes missing from the table (new ones, or custom identifiers) are NOT_ASSESSED \
        rather than guessed.",
};

/// Managed runtimes and the date Lambda deprecates them (end of support, phase 1).
const RUNTIMES: &[(&str, (i32, u32, u32))] = &[
    ("nodejs", (2016, 10, 31)),
    ("nodejs4.3", (2020, 3, 5)),
    ("nodejs4.3-edge", (2019, 4, 30)),
    ("nodejs6.10", (2019, 8, 12)),
    ("nodejs8.10", (2020, 3, 6)),
    ("nodejs10.x", (2021, 7, 30)),
    ("nodejs12.x", (2023, 3, 31)),
    ("nodejs14.x", (2023, 12, 4)),
    ("nodejs16.x", (2024, 6, 12)),
    ("nodejs18.x", (2025, 9, 1)),
    ("nodejs20.x", (2026, 4, 30)),
    ("nodejs22.x", (2027, 4, 30)),
    ("nodejs24.x", (2028, 4, 30)),
    ("python2.7", (2021, 7, 15)),
    ("python3.6", (2022, 7, 18)),
    ("python3.7", (2023, 12, 4)),
    ("python3.8", (2024, 10, 14)),
    ("python3.9", (2025, 12, 15)),
    ("python3.10", (2026, 6, 30)),
    ("python3.11", (2026, 6, 30)),
    ("python3.12", (2028, 10, 31)),
    ("python3.13", (2029, 6, 30)),
    ("python3.14", (2029, 6, 30)),
    // java8 is the Amazon Linux 1 flavour; java8.al2 runs on Amazon Linux 2.
    ("java8", (2024, 1, 8)),
    ("java8.al2", (2026, 6, 30)),
    ("java11", (2026, 6, 30)),
    ("java17", (2026, 6, 30)),
    ("java21", (2029, 6, 30)),
    ("java25", (2029, 6, 30)),
    ("dotnetcore1.0", (2019, 7, 27)),
    ("dotnetcore2.0", (2019, 5, 30)),
    ("dotnetcore2.1", (2022, 1, 5)),
    ("dotnetcore3.1", (2023, 4, 3)),
    ("dotnet5.0", (2022, 5, 10)),
    ("dotnet6", (2024, 12, 20)),
    ("dotnet7", (2024, 5, 14)),
    ("dotnet8", (2026, 11, 10)),
    ("dotnet10", (2028, 11, 14)),
    ("ruby2.5", (2021, 7, 30)),
    ("ruby2.7", (2023, 12, 7)),
    ("ruby3.2", (2026, 3, 31)),
    ("ruby3.3", (2027, 3, 31)),
    ("ruby3.4", (2028, 3, 31)),
    ("go1.x", (2024, 1, 8)),
    ("provided", (2024, 1, 8)),
    ("provided.al2", (2026, 6, 30)),
    ("provided.al2023", (2029, 6, 30)),
];

/// Within this many days of deprecation a passing message says so.
const WARN_DAYS: i64 = 90;

fn deprecation(runtime: &str) -> Option<NaiveDate> {
    RUNTIMES
        .iter()
        .find(|(name, _)| name.eq_ignore_ascii_case(runtime))
        .and_then(|&(_, (y, m, d))| NaiveDate::from_ymd_opt(y, m, d))
}

fn eval(r: &Resource, ctx: &Ctx) -> Outcome {
    let runtime = match r.attr("runtime").str() {
        Ok(Some(rt)) => rt,
        // Container-image functions bring their own runtime inside the image.
        Ok(None) => {
            return Outcome::Pass(
                "not applicable: the function is a container image, whose runtime is not managed by Lambda".into(),
            )
        }
        Err(e) => return e.into(),
    };
    let Some(date) = deprecation(runtime) else {
        return Outcome::NotAssessed(format!(
            "runtime {runtime} is not in yagura's runtime support table"
        ));
    };
    let today = ctx.now.date_naive();
    if today >= date {
        return Outcome::Fail(format!(
            "runtime {runtime} reached end of support on {date}"
        ));
    }
    let left = (date - today).num_days();
    if left <= WARN_DAYS {
        Outcome::Pass(format!(
            "runtime {runtime} is supported until {date}, only {left} more day(s): plan the upgrade"
        ))
    } else {
        Outcome::Pass(format!("runtime {runtime} is supported until {date}"))
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::aws::s3::testutil::run;

    #[test]
    fn unknown_runtimes_are_not_guessed() {
        let o = run(&CHECK, r#"{"runtime": "cobol9.x"}"#);
        assert!(matches!(o, Outcome::NotAssessed(_)), "{o:?}");
    }

    #[test]
    fn a_runtime_close_to_deprecation_passes_with_a_warning() {
        // The fixture clock is 2026-06-01; python3.10 deprecates on 2026-06-30.
        let o = run(&CHECK, r#"{"runtime": "python3.10"}"#);
        assert_eq!(
            o,
            Outcome::Pass("runtime python3.10 is supported until 2026-06-30, only 29 more day(s): plan the upgrade".into())
        );
    }

    #[test]
    fn table_dates_are_valid_and_unique() {
        let mut seen = std::collections::HashSet::new();
        for (name, (y, m, d)) in RUNTIMES {
            assert!(
                NaiveDate::from_ymd_opt(*y, *m, *d).is_some(),
                "{name}: bad date"
            );
            assert!(seen.insert(*name), "{name}: listed twice");
        }
    }
}
