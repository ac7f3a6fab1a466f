use crate::{Check, Ctx, Fixtures};
use serde_json::Value;
use yagura_model::{Outcome, Resource, Severity};

pub static CHECK: Check = Check {
    code: "AWS-EC2-006",
    title: "VPC has flow logging enabled",
    severity: Severity::Medium,
    kind: "aws.ec2.vpc",
    rationale: "VPC flow logs record the network connections accepted and rejected in the VPC. \
        They are the evidence for spotting scanning, data exfiltration and lateral movement, and \
        for reconstructing what happened after an incident; they cannot be produced afterwards.",
    remediation: "Create a flow log for the VPC capturing at least REJECT (preferably ALL) \
        traffic to CloudWatch Logs or S3: `aws ec2 create-flow-logs --resource-type VPC \
        --resource-ids VPC_ID --traffic-type ALL --log-destination-type s3 --log-destination ARN`.",
    frameworks: &[
        "cis-aws-3.0:3.7",
        "nist-800-53-r5:AU-2",
        "nist-800-53-r5:AU-12",
        "nist-800-53-r5:SI-4",
        "pci-dss-4.0:10.2.1",
    ],
    eval,
    fixtures: Fixtures {
        pass: &[
            r#"{"flow_logs": [{"flow_log_id": "fl-1", "status": "ACTIVE", "traffic_type": "ALL"}]}"#,
            r#"{"flow_logs": [{"flow_log_id": "fl-1", "status": "ACTIVE", "traffic_type": "ACCEPT"}, {"flow_log_id": "fl-2", "status": "ACTIVE", "traffic_type": "REJECT"}]}"#,
        ],
        fail: &[
            r#"{"flow_logs": []}"#,
            r#"{"flow_logs": null}"#,
            r#"{"flow_logs": [{"flow_log_id": "fl-1", "status": "INACTIVE", "traffic_type": "ALL"}]}"#,
            r#"{"flow_logs": [{"flow_log_id": "fl-1", "status": "ACTIVE", "traffic_type": "ACCEPT"}]}"#,
        ],
    },
    notes: "An ACTIVE flow log that captures only ACCEPT traffic fails: CIS asks for rejected \
        traffic to be logged at least.",
};

fn text<'a>(v: &'a Value, key: &str) -> Option<&'a str> {
    v.get(key).and_then(Value::as_str)
}

fn eval(r: &Resource, _ctx: &Ctx) -> Outcome {
    let logs = match r.attr("flow_logs").array() {
        Ok(a) => a,
        Err(e) => return e.into(),
    };
    if logs.is_empty() {
        return Outcome::Fail("the VPC has no flow logs".into());
    }
    let active: Vec<&Value> = logs
        .iter()
        .filter(|l| text(l, "status") == Some("ACTIVE"))
        .collect();
    if active.is_empty() {
        let states: Vec<String> = logs
            .iter()
            .map(|l| {
                format!(
                    "{} is {}",
                    text(l, "flow_log_id").unwrap_or("?"),
                    text(l, "status").unwrap_or("unknown")
                )
            })
            .collect();
        return Outcome::Fail(format!("no flow log is ACTIVE: {}", states.join(", ")));
    }
    let covering = active
        .iter()
        .find(|l| matches!(text(l, "traffic_type"), Some("ALL") | Some("REJECT")));
    if let Some(l) = covering {
        return Outcome::Pass(format!(
            "flow log {} is ACTIVE and captures {} traffic",
            text(l, "flow_log_id").unwrap_or("?"),
            text(l, "traffic_type").unwrap_or("?")
        ));
    }
    if let Some(l) = active.iter().find(|l| text(l, "traffic_type").is_none()) {
        return Outcome::NotAssessed(format!(
            "the traffic type of ACTIVE flow log {} was not observed",
            text(l, "flow_log_id").unwrap_or("?")
        ));
    }
    Outcome::Fail(format!(
        "{} ACTIVE flow log(s) capture only ACCEPT traffic; rejected connections are not logged",
        active.len()
    ))
}
