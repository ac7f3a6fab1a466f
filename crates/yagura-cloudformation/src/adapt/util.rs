//! Reading evaluated properties into normalized attribute values.
//!
//! A property that is not written takes the CloudFormation/AWS default; an
//! unknown one keeps its marker, so checks report it instead of guessing.

use serde_json::{json, Map, Value};
use std::collections::BTreeMap;
use yagura_model::iac::{is_unknown, unknown, unknown_ref_address, RawResource};
use yagura_model::Resource;

pub(crate) type Props = Map<String, Value>;

/// A property by dotted path (`VersioningConfiguration.Status`).
pub(crate) fn at<'a>(p: &'a Props, path: &str) -> Option<&'a Value> {
    let mut parts = path.split('.');
    let mut cur = p.get(parts.next()?)?;
    for part in parts {
        if is_unknown(cur) {
            return Some(cur);
        }
        cur = cur.get(part)?;
    }
    Some(cur)
}

fn unexpected(what: &str, v: &Value) -> Value {
    unknown(format!("{what}: unexpected value {v}"))
}

pub(crate) fn bool_or(v: Option<&Value>, default: bool) -> Value {
    match v {
        None | Some(Value::Null) => Value::Bool(default),
        Some(Value::Bool(b)) => Value::Bool(*b),
        Some(Value::String(s)) if s.eq_ignore_ascii_case("true") => Value::Bool(true),
        Some(Value::String(s)) if s.eq_ignore_ascii_case("false") => Value::Bool(false),
        Some(x) if is_unknown(x) => x.clone(),
        Some(x) => unexpected("boolean", x),
    }
}

pub(crate) fn int_or(v: Option<&Value>, default: Option<i64>) -> Value {
    match v {
        None | Some(Value::Null) => default.map_or(Value::Null, Value::from),
        Some(Value::Number(n)) => n
            .as_i64()
            .or_else(|| n.as_f64().map(|f| f as i64))
            .map_or_else(
                || unexpected("integer", &Value::Number(n.clone())),
                Value::from,
            ),
        Some(Value::String(s)) => match s.trim().parse::<i64>() {
            Ok(i) => Value::from(i),
            Err(_) => unexpected("integer", &Value::String(s.clone())),
        },
        Some(x) if is_unknown(x) => x.clone(),
        Some(x) => unexpected("integer", x),
    }
}

pub(crate) fn str_or(v: Option<&Value>, default: Option<&str>) -> Value {
    match v {
        None | Some(Value::Null) => default.map_or(Value::Null, |d| Value::String(d.into())),
        Some(Value::String(s)) => Value::String(s.clone()),
        Some(Value::Number(n)) => Value::String(n.to_string()),
        Some(Value::Bool(b)) => Value::String(b.to_string()),
        Some(x) if is_unknown(x) => x.clone(),
        Some(x) => unexpected("string", x),
    }
}

pub(crate) fn known_str(v: Option<&Value>) -> Option<&str> {
    v.and_then(Value::as_str)
}

/// A list property (absent = empty), keeping unknowns as they are.
pub(crate) fn list(v: Option<&Value>) -> Vec<Value> {
    match v {
        Some(Value::Array(a)) => a.clone(),
        None | Some(Value::Null) => vec![],
        Some(x) => vec![x.clone()],
    }
}

/// An identifier that points at something (a KMS key, a log group): a value
/// derived from a resource or with literal text is certainly set, so it is
/// written as its placeholder; other unknowns stay unknown.
pub(crate) fn ref_str(v: Option<&Value>) -> Value {
    match v {
        Some(x) if is_unknown(x) => placeholder_text(x).map_or_else(|| x.clone(), Value::String),
        _ => str_or(v, None),
    }
}

/// Whether a list property is itself unknown (its length is not known).
pub(crate) fn list_unknown(v: Option<&Value>) -> Option<Value> {
    v.filter(|x| is_unknown(x)).cloned()
}

/// The name CloudFormation users and AWS give the resource, when the template
/// fixes it; otherwise its logical id.
pub(crate) fn display_name(raw: &RawResource, prop: Option<&str>) -> String {
    prop.and_then(|p| known_str(raw.attributes.get(p)))
        .unwrap_or(&raw.name)
        .to_string()
}

/// The normalized resource with its id, name, tags and location.
pub(crate) fn base(raw: &RawResource, kind: &str, name_prop: Option<&str>) -> Resource {
    let mut r = Resource::new(
        kind,
        format!("cloudformation:{}", raw.address),
        display_name(raw, name_prop),
    );
    r.source = yagura_model::SourceKind::CloudFormation;
    r.location = Some(raw.location.clone());
    r.region = raw.region.clone();
    r.account = raw.account.clone();
    r.tags = tags(raw.attributes.get("Tags"));
    r
}

/// `Tags: [{Key, Value}]` (most types) or `Tags: {k: v}` (a few), known ones only.
fn tags(v: Option<&Value>) -> BTreeMap<String, String> {
    let mut out = BTreeMap::new();
    match v {
        Some(Value::Array(a)) => {
            for t in a {
                if let (Some(k), Some(v)) = (
                    t.get("Key").and_then(Value::as_str),
                    t.get("Value").and_then(Value::as_str),
                ) {
                    out.insert(k.to_string(), v.to_string());
                }
            }
        }
        Some(Value::Object(m)) if !is_unknown(v.unwrap_or(&Value::Null)) => {
            for (k, v) in m {
                if let Some(s) = v.as_str() {
                    out.insert(k.clone(), s.to_string());
                }
            }
        }
        _ => {}
    }
    out
}

/// Names by which other resources can point at `raw` besides `Ref`/`GetAtt`.
pub(crate) fn names_of(raw: &RawResource) -> Vec<String> {
    let props: &[&str] = match raw.type_name.as_str() {
        "AWS::S3::Bucket" => &["BucketName"],
        "AWS::SNS::Topic" => &["TopicName"],
        "AWS::SQS::Queue" => &["QueueName"],
        "AWS::EC2::SecurityGroup" => &["GroupName"],
        "AWS::SecretsManager::Secret" => &["Name"],
        "AWS::Lambda::Function" => &["FunctionName"],
        "AWS::Logs::LogGroup" => &["LogGroupName"],
        "AWS::IAM::User" => &["UserName"],
        "AWS::IAM::Role" => &["RoleName"],
        "AWS::IAM::Group" => &["GroupName"],
        "AWS::RDS::DBCluster" => &["DBClusterIdentifier"],
        "AWS::EC2::LaunchTemplate" => &["LaunchTemplateName"],
        "AWS::ElasticLoadBalancingV2::LoadBalancer" => &["Name"],
        _ => &[],
    };
    props
        .iter()
        .filter_map(|p| known_str(raw.attributes.get(*p)))
        .map(str::to_string)
        .collect()
}

/// Whether the value `v` (a `Ref`, `GetAtt`, name, ARN or URL) points at `target`.
pub(crate) fn refers_to(v: &Value, target: &RawResource) -> bool {
    match v {
        Value::String(s) => names_of(target)
            .iter()
            .any(|n| s == n || s.ends_with(&format!(":{n}")) || s.ends_with(&format!("/{n}"))),
        x if is_unknown(x) => unknown_ref_address(x) == Some(target.address.as_str()),
        _ => false,
    }
}

/// Whether `v`, or any item of it when it is a list, points at `target`.
pub(crate) fn any_refers_to(v: Option<&Value>, target: &RawResource) -> bool {
    match v {
        Some(Value::Array(a)) => a.iter().any(|x| refers_to(x, target)),
        Some(x) => refers_to(x, target),
        None => false,
    }
}

/// The resources of `type_name` whose `field` points at `target`.
pub(crate) fn linked<'a>(
    raws: &'a [RawResource],
    type_name: &'a str,
    field: &'a str,
    target: &'a RawResource,
) -> impl Iterator<Item = &'a RawResource> + 'a {
    raws.iter().filter(move |r| {
        r.type_name == type_name && any_refers_to(at(&r.attributes, field), target)
    })
}

/// How an unknown value can be written inside a policy document without
/// changing what a check concludes: a resource's id or attribute, a
/// pseudo-parameter, or a string with literal text around the unknown parts can
/// never be `*` or `false`, and keeps its literal prefix and suffix.
fn placeholder_text(v: &Value) -> Option<String> {
    let expr = yagura_model::iac::unknown_reason(v)?;
    let from_resource = unknown_ref_address(v).is_some();
    if let Some(name) = expr.strip_prefix("Ref ") {
        return (from_resource || name.starts_with("AWS::")).then(|| format!("${{{name}}}"));
    }
    if let Some(a) = expr.strip_prefix("Fn::GetAtt ") {
        return from_resource.then(|| format!("${{{a}}}"));
    }
    let rendered = expr
        .strip_prefix("Fn::Sub ")
        .or_else(|| expr.strip_prefix("Fn::Join "))?;
    let mut literal = String::new();
    let mut rest = rendered;
    while let Some(p) = rest.find("${") {
        literal.push_str(&rest[..p]);
        match rest[p..].find('}') {
            Some(e) => rest = &rest[p + e + 1..],
            None => {
                rest = "";
            }
        }
    }
    literal.push_str(rest);
    (!literal.trim().is_empty()).then(|| rendered.to_string())
}

fn sanitize(v: &Value) -> Result<Value, Value> {
    match v {
        x if is_unknown(x) => match placeholder_text(x) {
            Some(s) => Ok(Value::String(s)),
            None => Err(unknown(format!(
                "policy document: {}",
                yagura_model::iac::unknown_reason(x).unwrap_or("?")
            ))),
        },
        Value::Array(a) => a
            .iter()
            .map(sanitize)
            .collect::<Result<_, _>>()
            .map(Value::Array),
        Value::Object(m) => {
            let mut out = Map::new();
            for (k, x) in m {
                out.insert(k.clone(), sanitize(x)?);
            }
            Ok(Value::Object(out))
        }
        other => Ok(other.clone()),
    }
}

/// A policy document: parsed JSON object, `null` when absent, or unknown when a
/// part of it that could decide a check is unknown.
pub(crate) fn policy_doc(v: Option<&Value>) -> Value {
    match v {
        None | Some(Value::Null) => Value::Null,
        Some(Value::String(s)) => match serde_json::from_str::<Value>(s) {
            Ok(d) => sanitize(&d).unwrap_or_else(|u| u),
            Err(_) => Value::String(s.clone()),
        },
        Some(x) => sanitize(x).unwrap_or_else(|u| u),
    }
}

/// Merges several policy documents' statements into one document (resource
/// policies written as several resources apply together).
pub(crate) fn merge_policies(docs: Vec<Value>) -> Value {
    if docs.is_empty() {
        return Value::Null;
    }
    if let Some(u) = docs.iter().find(|d| is_unknown(d)) {
        return u.clone();
    }
    if docs.len() == 1 {
        return docs.into_iter().next().unwrap_or(Value::Null);
    }
    let mut stmts = Vec::new();
    for d in &docs {
        match d.get("Statement") {
            Some(Value::Array(a)) => stmts.extend(a.iter().cloned()),
            Some(s) => stmts.push(s.clone()),
            None => {}
        }
    }
    json!({"Version": "2012-10-17", "Statement": stmts})
}
