//! The logic shared by the CIS 4.1–4.15 monitoring checks.
//!
//! A control is met when this chain exists in the account:
//! multi-region trail that is logging and records all management events →
//! its CloudWatch Logs log group → a metric filter whose pattern detects the
//! control's events → an alarm on that filter's metric (same region) → an SNS
//! topic with at least one confirmed subscription.
//!
//! Whether a filter "detects the control's events" is decided by running its
//! pattern over sample CloudTrail events: it must match every event the control
//! is about and none of the benign look-alikes (read-only calls of the same
//! service, or the exclusions the CIS pattern spells out).

use super::pattern::{Pattern, PatternError};
use crate::aws::cloudtrail::trails;
use crate::util::{name_of, require_observed};
use crate::Ctx;
use serde_json::{json, Value};
use yagura_model::{Outcome, Resource};

/// An event described by how it differs from a successful write API call made
/// by an IAM user (see [`base_event`]); a `null` in `event` removes the key.
pub struct Sample {
    pub what: &'static str,
    pub event: &'static str,
}

/// What one control's metric filter must detect.
pub struct Spec {
    /// Short name for messages, e.g. "IAM policy changes".
    pub topic: &'static str,
    /// The `eventSource` of `changes` and `reads`.
    pub source: &'static str,
    /// API calls (event names) that must each be matched.
    pub changes: &'static [&'static str],
    /// Read-only calls of the same service that must not be matched.
    pub reads: &'static [&'static str],
    /// Further events that must be matched.
    pub matched: &'static [Sample],
    /// Further events that must not be matched.
    pub unmatched: &'static [Sample],
}

/// The services whose complete inventory these checks reason over.
const SERVICES: [&str; 4] = ["cloudtrail", "logs", "cloudwatch", "sns"];

pub fn base_event() -> Value {
    json!({
        "eventVersion": "1.09",
        "eventTime": "2026-05-31T12:00:00Z",
        "eventSource": "ec2.amazonaws.com",
        "eventName": "RunInstances",
        "eventType": "AwsApiCall",
        "awsRegion": "us-east-1",
        "readOnly": false,
        "managementEvent": true,
        "sourceIPAddress": "203.0.113.10",
        "userAgent": "aws-cli/2.15.0",
        "userIdentity": {
            "type": "IAMUser",
            "principalId": "AIDAEXAMPLEEXAMPLE",
            "arn": "arn:aws:iam::123456789012:user/alice",
            "accountId": "123456789012",
            "userName": "alice"
        },
        "recipientAccountId": "123456789012"
    })
}

fn merge(base: &mut Value, over: &Value) {
    match (base, over) {
        (Value::Object(b), Value::Object(o)) => {
            for (k, v) in o {
                if v.is_null() {
                    b.remove(k);
                } else if let Some(existing) =
                    b.get_mut(k).filter(|e| e.is_object() && v.is_object())
                {
                    merge(existing, v);
                } else {
                    b.insert(k.clone(), v.clone());
                }
            }
        }
        (b, o) => *b = o.clone(),
    }
}

fn call(source: &str, name: &str, read_only: bool) -> Value {
    let mut e = base_event();
    merge(
        &mut e,
        &json!({"eventSource": source, "eventName": name, "readOnly": read_only}),
    );
    e
}

/// Sample events, each with a description for messages.
pub type Labelled = Vec<(String, Value)>;

/// The events a filter must match and must not match.
pub fn samples(spec: &Spec) -> (Labelled, Labelled) {
    let custom = |s: &Sample| {
        let mut e = base_event();
        // The sample texts are part of the build and a test parses them all; an
        // unparsable one degrades to an event that matches no sensible filter.
        let over = serde_json::from_str::<Value>(s.event).unwrap_or(Value::Null);
        merge(&mut e, &over);
        (s.what.to_string(), e)
    };
    let mut yes: Labelled = spec
        .changes
        .iter()
        .map(|n| (format!("{n} calls"), call(spec.source, n, false)))
        .collect();
    yes.extend(spec.matched.iter().map(custom));
    let mut no: Labelled = spec
        .reads
        .iter()
        .map(|n| (format!("read-only {n} calls"), call(spec.source, n, true)))
        .collect();
    no.extend(spec.unmatched.iter().map(custom));
    (yes, no)
}

/// Why a pattern does not serve the control, or `Ok` when it does.
#[derive(Debug)]
pub enum Fit {
    Fits,
    /// Matches none of the control's events: an unrelated filter.
    Unrelated,
    /// Matches some of them but misses others or catches benign events.
    Partial(String),
    CannotEvaluate(PatternError),
}

pub fn fit(pattern: &str, spec: &Spec) -> Fit {
    let p = match Pattern::parse(pattern) {
        Ok(p) => p,
        Err(e) => return Fit::CannotEvaluate(e),
    };
    let (yes, no) = samples(spec);
    let missed: Vec<&str> = yes
        .iter()
        .filter(|(_, e)| !p.matches(e))
        .map(|(w, _)| w.as_str())
        .collect();
    let extra: Vec<&str> = no
        .iter()
        .filter(|(_, e)| p.matches(e))
        .map(|(w, _)| w.as_str())
        .collect();
    if missed.is_empty() && extra.is_empty() {
        return Fit::Fits;
    }
    if missed.len() == yes.len() {
        return Fit::Unrelated;
    }
    let mut why = Vec::new();
    if !missed.is_empty() {
        why.push(format!("does not match {}", missed.join(", ")));
    }
    if !extra.is_empty() {
        why.push(format!("also matches {}", extra.join(", ")));
    }
    Fit::Partial(why.join(" and "))
}

/// An ARN's region, account and the resource part after the given prefix
/// (`log-group:` for log groups, empty for SNS topics).
fn arn_parts<'a>(arn: &'a str, service: &str) -> Option<(&'a str, &'a str, &'a str)> {
    let mut it = arn.splitn(6, ':');
    let (_arn, _partition, svc, region, account, rest) = (
        it.next()?,
        it.next()?,
        it.next()?,
        it.next()?,
        it.next()?,
        it.next()?,
    );
    (svc == service).then_some((region, account, rest))
}

fn same_place(r: &Resource, region: &str, account: &str) -> bool {
    r.region.as_deref().is_none_or(|x| x == region)
        && r.account.as_deref().is_none_or(|x| x == account)
}

fn find_log_group<'a>(ctx: &Ctx<'a>, arn: &str) -> Option<&'a Resource> {
    let id = arn.strip_suffix(":*").unwrap_or(arn);
    let (region, account, rest) = arn_parts(id, "logs")?;
    let name = rest.strip_prefix("log-group:")?;
    ctx.inventory.of_kind("aws.logs.log_group").find(|g| {
        g.id == id
            || (g.attr("log_group_name").str().ok().flatten() == Some(name)
                && same_place(g, region, account))
    })
}

fn find_topic<'a>(ctx: &Ctx<'a>, arn: &str) -> Option<&'a Resource> {
    let (region, account, name) = arn_parts(arn, "sns")?;
    ctx.inventory.of_kind("aws.sns.topic").find(|t| {
        t.id == arn
            || (t.attr("topic_name").str().ok().flatten() == Some(name)
                && same_place(t, region, account))
    })
}

fn s<'a>(v: &'a Value, key: &str) -> Option<&'a str> {
    v.get(key).and_then(Value::as_str)
}

/// What was learned while following the chain; the first complete chain wins.
#[derive(Default)]
struct Trace {
    fails: Vec<String>,
    unknown: Vec<String>,
}

/// Follows filter → alarm → topic for one matching filter.
fn alarm_chain(
    ctx: &Ctx,
    group: &Resource,
    filter: &Value,
    fname: &str,
    t: &mut Trace,
) -> Option<String> {
    let (Some(metric), Some(ns)) = (s(filter, "metric_name"), s(filter, "metric_namespace")) else {
        t.fails.push(format!("filter {fname} publishes no metric"));
        return None;
    };
    let alarms: Vec<&Resource> = ctx
        .inventory
        .related("aws.cloudwatch.alarm", group)
        .filter(|a| a.region == group.region)
        .filter(|a| a.attr("metric_name").str().ok().flatten() == Some(metric))
        .filter(|a| a.attr("namespace").str().ok().flatten() == Some(ns))
        .collect();
    if alarms.is_empty() {
        t.fails.push(format!(
            "no alarm watches metric {ns}/{metric} of filter {fname}"
        ));
        return None;
    }
    for a in alarms {
        let aname = name_of(a, "alarm_name");
        if a.attr("actions_enabled").bool() == Ok(false) {
            t.fails
                .push(format!("alarm {aname} has its actions disabled"));
            continue;
        }
        let actions = match a.attr("alarm_actions").array() {
            Ok(x) => x,
            Err(e) => {
                t.unknown.push(format!("alarm {aname}: {e}"));
                continue;
            }
        };
        let sns: Vec<&str> = actions
            .iter()
            .filter_map(Value::as_str)
            .filter(|x| x.contains(":sns:"))
            .collect();
        if sns.is_empty() {
            t.fails.push(format!("alarm {aname} notifies no SNS topic"));
            continue;
        }
        for arn in sns {
            let Some(topic) = find_topic(ctx, arn) else {
                t.unknown.push(format!(
                    "topic {arn} of alarm {aname} is not in the inventory"
                ));
                continue;
            };
            match topic.attr("subscriptions").array() {
                Ok(subs) if !subs.is_empty() => {
                    return Some(format!(
                        "filter {fname} → alarm {aname} → topic {arn} with {} subscription(s)",
                        subs.len()
                    ))
                }
                Ok(_) => t.fails.push(format!(
                    "topic {arn} of alarm {aname} has no confirmed subscription"
                )),
                Err(e) => t.unknown.push(format!("topic {arn}: {e}")),
            }
        }
    }
    None
}

fn follow_group(
    ctx: &Ctx,
    trail: &str,
    group: &Resource,
    spec: &Spec,
    t: &mut Trace,
) -> Option<String> {
    let gname = group
        .attr("log_group_name")
        .str()
        .ok()
        .flatten()
        .unwrap_or(&group.name);
    let filters = match group.attr("metric_filters").array() {
        Ok(f) => f,
        Err(e) => {
            t.unknown.push(format!("log group {gname}: {e}"));
            return None;
        }
    };
    let mut related = false;
    for f in filters {
        let fname = s(f, "filter_name").unwrap_or("(unnamed)");
        let Some(pattern) = s(f, "pattern") else {
            t.unknown
                .push(format!("the pattern of filter {fname} was not observed"));
            continue;
        };
        match fit(pattern, spec) {
            Fit::Fits => {
                related = true;
                if let Some(chain) = alarm_chain(ctx, group, f, fname, t) {
                    return Some(format!("trail {trail} → log group {gname} → {chain}"));
                }
            }
            Fit::Partial(why) => {
                related = true;
                t.fails.push(format!("filter {fname} on {gname} {why}"));
            }
            Fit::Unrelated => {}
            Fit::CannotEvaluate(e) => t.unknown.push(format!("filter {fname} on {gname} {e}")),
        }
    }
    if !related {
        t.fails.push(format!(
            "log group {gname} has no metric filter for {}",
            spec.topic
        ));
    }
    None
}

pub fn evaluate(r: &Resource, ctx: &Ctx, spec: &Spec) -> Outcome {
    for svc in SERVICES {
        if let Err(o) = require_observed(r, svc) {
            return o;
        }
    }
    let mut t = Trace::default();
    let mut any_trail = false;
    for trail in ctx.inventory.related("aws.cloudtrail.trail", r) {
        any_trail = true;
        let tname = trails::name(trail);
        match trails::coverage_gaps(trail) {
            Ok(g) if g.is_empty() => {}
            Ok(g) => {
                t.fails.push(format!("trail {tname} {}", g.join(", ")));
                continue;
            }
            Err(e) => {
                t.unknown.push(format!("trail {tname}: {e}"));
                continue;
            }
        }
        let arn = match trail.attr("cloudwatch_log_group_arn").str() {
            Ok(Some(a)) if !a.is_empty() => a,
            Ok(_) => {
                t.fails.push(format!(
                    "trail {tname} does not send events to CloudWatch Logs"
                ));
                continue;
            }
            Err(e) => {
                t.unknown.push(format!("trail {tname}: {e}"));
                continue;
            }
        };
        let Some(group) = find_log_group(ctx, arn) else {
            t.unknown.push(format!(
                "log group {arn} of trail {tname} is not in the inventory"
            ));
            continue;
        };
        if let Some(chain) = follow_group(ctx, tname, group, spec, &mut t) {
            return Outcome::Pass(format!("an alarm covers {}: {chain}", spec.topic));
        }
    }
    if !any_trail {
        return Outcome::Fail(format!(
            "no CloudTrail trail exists, so nothing can alarm on {}",
            spec.topic
        ));
    }
    if !t.unknown.is_empty() {
        let mut all = t.unknown;
        all.extend(t.fails);
        return Outcome::NotAssessed(format!(
            "could not confirm an alarm on {}: {}",
            spec.topic,
            all.join("; ")
        ));
    }
    Outcome::Fail(format!(
        "no working alarm covers {}: {}",
        spec.topic,
        t.fails.join("; ")
    ))
}

/// A fixture for a monitoring check: an account whose multi-region trail sends
/// to log group `cloudtrail-logs` with one metric filter (`pattern:` is the JSON
/// text of a string, quotes included), and, for `alarm: yes`, an alarm on the
/// filter's metric that notifies a subscribed SNS topic.
macro_rules! monitoring_fixture {
    (pattern: $p:literal, alarm: yes) => {
        $crate::aws::cloudwatch::monitoring::monitoring_fixture!(@with $p,
            r#"{"kind": "aws.cloudwatch.alarm", "attributes": {"alarm_name": "cis-alarm", "metric_name": "CisEvents", "namespace": "CISBenchmark", "actions_enabled": true, "alarm_actions": ["arn:aws:sns:us-east-1:123456789012:security-alerts"]}},"#
        )
    };
    // The alarm watches an unrelated metric, so nothing alarms on the filter.
    (pattern: $p:literal, alarm: no) => {
        $crate::aws::cloudwatch::monitoring::monitoring_fixture!(@with $p,
            r#"{"kind": "aws.cloudwatch.alarm", "attributes": {"alarm_name": "other-alarm", "metric_name": "CPUUtilization", "namespace": "AWS/EC2", "actions_enabled": true, "alarm_actions": ["arn:aws:sns:us-east-1:123456789012:security-alerts"]}},"#
        )
    };
    (@with $p:literal, $alarm:literal) => {
        concat!(
            r#"{"observed": ["iam", "cloudtrail", "logs", "cloudwatch", "sns"], "$related": ["#,
            r#"{"kind": "aws.cloudtrail.trail", "attributes": {"trail_name": "main", "is_multi_region": true, "is_logging": true, "management_events": {"read": true, "write": true}, "cloudwatch_log_group_arn": "arn:aws:logs:us-east-1:123456789012:log-group:cloudtrail-logs:*"}},"#,
            r#"{"kind": "aws.logs.log_group", "attributes": {"log_group_name": "cloudtrail-logs", "metric_filters": [{"filter_name": "cis-filter", "pattern": "#,
            $p,
            r#", "metric_name": "CisEvents", "metric_namespace": "CISBenchmark"}]}},"#,
            $alarm,
            r#"{"kind": "aws.sns.topic", "attributes": {"topic_name": "security-alerts", "subscriptions": [{"protocol": "email", "endpoint": "soc@example.com", "subscription_arn": "arn:aws:sns:us-east-1:123456789012:security-alerts:0b6c"}]}}"#,
            r#"]}"#
        )
    };
}
pub(crate) use monitoring_fixture;

#[cfg(test)]
mod tests {
    use super::*;
    use crate::tests::fixture_inventory;

    fn spec() -> &'static Spec {
        static S: Spec = Spec {
            topic: "test changes",
            source: "ec2.amazonaws.com",
            changes: &["CreateVpc", "DeleteVpc"],
            reads: &["DescribeVpcs"],
            matched: &[],
            unmatched: &[Sample {
                what: "calls by the EC2 service",
                event: r#"{"userIdentity": {"type": "AWSService"}}"#,
            }],
        };
        &S
    }

    #[test]
    fn fit_classifies_patterns() {
        let good = r#"{ (($.eventName = CreateVpc) || ($.eventName = "DeleteVpc")) && $.userIdentity.type != AWSService }"#;
        assert!(matches!(fit(good, spec()), Fit::Fits));
        let partial = "{ $.eventName = CreateVpc }";
        assert!(
            matches!(fit(partial, spec()), Fit::Partial(ref w) if w.contains("DeleteVpc calls"))
        );
        let wrong_logic = "{ ($.eventName = CreateVpc) && ($.eventName = DeleteVpc) }";
        assert!(matches!(fit(wrong_logic, spec()), Fit::Unrelated));
        let broad = "{ $.eventName = * }";
        assert!(
            matches!(fit(broad, spec()), Fit::Partial(ref w) if w.contains("read-only DescribeVpcs"))
        );
        assert!(matches!(
            fit("\"CreateVpc\"", spec()),
            Fit::CannotEvaluate(_)
        ));
    }

    #[test]
    fn merge_removes_nulls_and_merges_objects() {
        let mut e = base_event();
        merge(
            &mut e,
            &json!({"userIdentity": {"type": "Root", "userName": null}, "errorCode": "X"}),
        );
        assert_eq!(e["userIdentity"]["type"], "Root");
        assert!(e["userIdentity"].get("userName").is_none());
        assert_eq!(e["userIdentity"]["accountId"], "123456789012");
        assert_eq!(e["errorCode"], "X");
    }

    fn run(doc: &str) -> Outcome {
        use crate::{Check, Fixtures};
        static C: Check = Check {
            code: "AWS-CLOUDWATCH-999",
            title: "t",
            severity: yagura_model::Severity::Low,
            kind: "aws.account",
            rationale: "",
            remediation: "",
            frameworks: &[],
            eval: |r, c| evaluate(r, c, spec()),
            fixtures: Fixtures {
                pass: &[],
                fail: &[],
            },
            notes: "",
        };
        let (inv, id) = fixture_inventory(&C, doc);
        let ctx = Ctx {
            inventory: &inv,
            now: crate::tests::fixture_now(),
        };
        let r = inv.get(&id).unwrap();
        C.evaluate(r, &ctx)
    }

    const GOOD: &str = r#""{ ($.eventName = CreateVpc) || ($.eventName = DeleteVpc) }""#;

    #[test]
    fn chain_outcomes() {
        let pass = monitoring_fixture!(pattern: r#""{ ($.eventName = CreateVpc) || ($.eventName = DeleteVpc) }""#, alarm: yes);
        assert!(matches!(run(pass), Outcome::Pass(_)), "{:?}", run(pass));
        let no_alarm = monitoring_fixture!(pattern: r#""{ ($.eventName = CreateVpc) || ($.eventName = DeleteVpc) }""#, alarm: no);
        assert!(matches!(run(no_alarm), Outcome::Fail(ref m) if m.contains("no alarm watches")));
        // Unsubscribed topic.
        let unsubscribed = pass.replace(r#""subscriptions": [{"protocol": "email", "endpoint": "soc@example.com", "subscription_arn": "arn:aws:sns:us-east-1:123456789012:security-alerts:0b6c"}]"#, r#""subscriptions": []"#);
        assert!(
            matches!(run(&unsubscribed), Outcome::Fail(ref m) if m.contains("no confirmed subscription"))
        );
        // The alarm lives in another region than the metric.
        let elsewhere = pass.replace(
            r#"{"kind": "aws.cloudwatch.alarm", "attributes""#,
            r#"{"kind": "aws.cloudwatch.alarm", "region": "eu-west-1", "attributes""#,
        );
        assert!(matches!(run(&elsewhere), Outcome::Fail(_)));
        // A single-region trail does not count.
        let single = pass.replace(r#""is_multi_region": true"#, r#""is_multi_region": false"#);
        assert!(matches!(run(&single), Outcome::Fail(ref m) if m.contains("single-region")));
        // SNS not collected: no verdict.
        let unobserved = pass.replace(r#", "sns"]"#, "]");
        assert!(matches!(run(&unobserved), Outcome::NotAssessed(_)));
        // An unevaluable pattern leaves the question open.
        let text = pass.replace(GOOD, r#""\"CreateVpc\"""#);
        assert_ne!(text, pass);
        assert!(matches!(run(&text), Outcome::NotAssessed(_)));
        // Topic missing from the inventory (e.g. another account).
        let foreign = pass.replace(
            "arn:aws:sns:us-east-1:123456789012:security-alerts\"]",
            "arn:aws:sns:us-east-1:999999999999:security-alerts\"]",
        );
        assert_ne!(foreign, pass);
        assert!(matches!(run(&foreign), Outcome::NotAssessed(_)));
    }

    #[test]
    fn arn_parsing() {
        assert_eq!(
            arn_parts("arn:aws:logs:eu-west-1:1:log-group:a/b:c", "logs"),
            Some(("eu-west-1", "1", "log-group:a/b:c"))
        );
        assert_eq!(arn_parts("arn:aws:sns:eu-west-1:1:t", "logs"), None);
        assert_eq!(arn_parts("nonsense", "sns"), None);
    }
}
