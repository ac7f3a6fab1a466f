//! AWS Security Finding Format: the JSON array `BatchImportFindings` accepts.
//! Only findings about an AWS account can be imported, so others are skipped.

use crate::text::{is_muted, partition, rfc3339, split_requirement, truncate};
use crate::ReportError;
use serde_json::{json, Map, Value};
use std::io::Write;
use yagura_model::{Finding, ScanReport, Severity, Status};

pub const SCHEMA_VERSION: &str = "2018-10-08";
/// Global resources (IAM, the account itself) have no region; Security Hub still
/// needs one for the product ARN, and IAM's home region is the natural choice.
const DEFAULT_REGION: &str = "us-east-1";

// Field limits from the ASFF reference; longer values make the whole batch fail.
const MAX_TITLE: usize = 256;
const MAX_DESCRIPTION: usize = 1024;
const MAX_RECOMMENDATION: usize = 512;
const MAX_REQUIREMENTS: usize = 32;
const MAX_TAGS: usize = 50;
const MAX_TAG_VALUE: usize = 256;

/// A 12-digit AWS account id.
fn is_account_id(s: &str) -> bool {
    s.len() == 12 && s.bytes().all(|b| b.is_ascii_digit())
}

/// The account of a finding if it can go to Security Hub.
pub fn aws_account(f: &Finding) -> Option<&str> {
    let provider = f.resource.provider();
    if provider != "aws" {
        return None;
    }
    f.resource.account.as_deref().filter(|a| is_account_id(a))
}

/// The ASFF resource `Type` for a yagura kind; `Other` when ASFF has none.
pub fn resource_type(kind: &str) -> &'static str {
    match kind {
        "aws.account" => "AwsAccount",
        "aws.s3.bucket" => "AwsS3Bucket",
        "aws.iam.user" => "AwsIamUser",
        "aws.iam.role" => "AwsIamRole",
        "aws.iam.policy" => "AwsIamPolicy",
        "aws.ec2.security_group" => "AwsEc2SecurityGroup",
        "aws.ec2.network_acl" => "AwsEc2NetworkAcl",
        "aws.ec2.instance" => "AwsEc2Instance",
        "aws.ec2.vpc" => "AwsEc2Vpc",
        "aws.ec2.subnet" => "AwsEc2Subnet",
        "aws.ec2.volume" => "AwsEc2Volume",
        "aws.kms.key" => "AwsKmsKey",
        "aws.cloudtrail.trail" => "AwsCloudTrailTrail",
        "aws.rds.db_instance" => "AwsRdsDbInstance",
        "aws.rds.db_snapshot" => "AwsRdsDbSnapshot",
        "aws.cloudwatch.alarm" => "AwsCloudWatchAlarm",
        "aws.sns.topic" => "AwsSnsTopic",
        "aws.sqs.queue" => "AwsSqsQueue",
        "aws.lambda.function" => "AwsLambdaFunction",
        "aws.elbv2.load_balancer" => "AwsElbv2LoadBalancer",
        "aws.ecr.repository" => "AwsEcrRepository",
        "aws.eks.cluster" => "AwsEksCluster",
        "aws.dynamodb.table" => "AwsDynamoDbTable",
        "aws.secretsmanager.secret" => "AwsSecretsManagerSecret",
        _ => "Other",
    }
}

fn severity_label(f: &Finding) -> &'static str {
    // A passing control check is informational whatever the check's weight,
    // as Security Hub's own controls report it; `Original` keeps the weight.
    if f.status == Status::Pass {
        return "INFORMATIONAL";
    }
    match f.severity {
        Severity::Info => "INFORMATIONAL",
        Severity::Low => "LOW",
        Severity::Medium => "MEDIUM",
        Severity::High => "HIGH",
        Severity::Critical => "CRITICAL",
    }
}

pub fn compliance_status(status: Status) -> &'static str {
    match status {
        Status::Pass => "PASSED",
        Status::Fail => "FAILED",
        Status::NotAssessed => "NOT_AVAILABLE",
    }
}

/// Finding types under "Industry and Regulatory Standards" for the frameworks a
/// finding maps to; a generic best-practice type when it maps to none.
fn types(f: &Finding) -> Vec<String> {
    const PREFIX: &str = "Software and Configuration Checks/Industry and Regulatory Standards/";
    let mut out: Vec<String> = Vec::new();
    for r in &f.frameworks {
        let Some((fw, _)) = split_requirement(r) else {
            continue;
        };
        let classifier = if fw.starts_with("cis-aws") {
            "CIS AWS Foundations Benchmark"
        } else if fw.starts_with("nist-800-53") {
            "NIST 800-53 Controls (USA)"
        } else if fw.starts_with("pci-dss") {
            "PCI-DSS Controls"
        } else {
            continue;
        };
        let t = format!("{PREFIX}{classifier}");
        if !out.contains(&t) {
            out.push(t);
        }
    }
    if out.is_empty() {
        out.push("Software and Configuration Checks/AWS Security Best Practices".to_string());
    }
    out
}

/// `CIS AWS Foundations Benchmark 3.0.0/1.4`; unknown frameworks keep their id.
fn related_requirements(f: &Finding) -> Vec<String> {
    let mut out: Vec<String> = Vec::new();
    for r in &f.frameworks {
        let Some((fw, control)) = split_requirement(r) else {
            continue;
        };
        let s = truncate(
            &format!("{}/{control}", crate::text::standard_name(fw)),
            256,
        );
        if !out.contains(&s) {
            out.push(s);
        }
    }
    out.truncate(MAX_REQUIREMENTS);
    out
}

pub fn finding(report: &ScanReport, f: &Finding) -> Option<Value> {
    let account = aws_account(f)?;
    let region = f
        .resource
        .region
        .as_deref()
        .filter(|r| !r.is_empty())
        .unwrap_or(DEFAULT_REGION);
    let part = partition(&f.resource.id);
    let created = f.first_seen.unwrap_or(report.started);
    let last = f.last_seen.unwrap_or(report.finished);
    let description = if f.message.trim().is_empty() {
        &f.title
    } else {
        &f.message
    };

    let mut resource = Map::new();
    resource.insert("Type".into(), json!(resource_type(&f.resource.kind)));
    resource.insert("Id".into(), json!(f.resource.id));
    resource.insert("Partition".into(), json!(part));
    resource.insert("Region".into(), json!(region));
    if !f.resource.tags.is_empty() {
        let tags: Map<String, Value> = f
            .resource
            .tags
            .iter()
            .take(MAX_TAGS)
            .map(|(k, v)| (truncate(k, 128), json!(truncate(v, MAX_TAG_VALUE))))
            .collect();
        resource.insert("Tags".into(), Value::Object(tags));
    }

    let mut compliance = Map::new();
    compliance.insert("Status".into(), json!(compliance_status(f.status)));
    let reqs = related_requirements(f);
    if !reqs.is_empty() {
        compliance.insert("RelatedRequirements".into(), json!(reqs));
    }

    let mut v = json!({
        "SchemaVersion": SCHEMA_VERSION,
        "Id": f.id,
        "ProductArn": format!("arn:{part}:securityhub:{region}:{account}:product/{account}/default"),
        "ProductName": "yagura",
        "CompanyName": "yagura",
        "GeneratorId": format!("yagura/{}", f.check),
        "AwsAccountId": account,
        "Region": region,
        "Types": types(f),
        "CreatedAt": rfc3339(created),
        "UpdatedAt": rfc3339(report.finished),
        "FirstObservedAt": rfc3339(created),
        "LastObservedAt": rfc3339(last),
        "Severity": {
            "Label": severity_label(f),
            "Original": f.severity.as_str().to_ascii_uppercase(),
        },
        "Title": truncate(&f.title, MAX_TITLE),
        "Description": truncate(description, MAX_DESCRIPTION),
        "ProductFields": {
            "yagura/CheckCode": f.check,
            "yagura/ScanId": report.id,
            "yagura/Scope": report.scope,
            "yagura/Status": f.display_status(),
        },
        "Resources": [Value::Object(resource)],
        "Compliance": Value::Object(compliance),
        "Workflow": { "Status": if is_muted(f) { "SUPPRESSED" } else { "NEW" } },
        "RecordState": "ACTIVE",
    });
    if !f.remediation.trim().is_empty() {
        v["Remediation"] =
            json!({"Recommendation": {"Text": truncate(&f.remediation, MAX_RECOMMENDATION)}});
    }
    if let Some(m) = f.muted.as_ref().filter(|_| is_muted(f)) {
        let mut text = format!("Muted by yagura rule {}: {}", m.rule, m.reason);
        if let Some(exp) = m.expires {
            text.push_str(&format!(" (until {exp})"));
        }
        v["Note"] = json!({
            "Text": truncate(&text, 512),
            "UpdatedBy": "yagura",
            "UpdatedAt": rfc3339(report.finished),
        });
    }
    Some(v)
}

pub fn render(report: &ScanReport, out: &mut dyn Write) -> Result<(), ReportError> {
    let all: Vec<Value> = report
        .findings
        .iter()
        .filter_map(|f| finding(report, f))
        .collect();
    serde_json::to_writer_pretty(&mut *out, &all)?;
    out.write_all(b"\n")?;
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn account_ids_must_be_twelve_digits() {
        assert!(is_account_id("123456789012"));
        assert!(!is_account_id("12345678901"));
        assert!(!is_account_id("12345678901a"));
    }

    #[test]
    fn kinds_map_to_asff_types() {
        assert_eq!(resource_type("aws.s3.bucket"), "AwsS3Bucket");
        assert_eq!(resource_type("aws.logs.log_group"), "Other");
    }
}
