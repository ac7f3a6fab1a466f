//! Intrinsic functions, parameters, mappings and conditions.
//!
//! A value that cannot be known before the stack is deployed (an attribute of a
//! resource, `AWS::AccountId`, an `Fn::ImportValue`, a parameter with no default)
//! becomes the unknown marker of `yagura_model::iac`. Anything built from an
//! unknown is unknown as a whole; its expression keeps the known parts readable
//! (`Fn::Sub arn:aws:s3:::${Logs}/*`), which the adapters use for policy documents.

use serde_json::{Map, Value};
use std::collections::{HashMap, HashSet};
use yagura_model::iac::{contains_unknown, unknown, unknown_ref, ParseIssue};

/// Deeper than any real template; a bound so recursive input cannot exhaust the stack.
const MAX_DEPTH: usize = 64;
/// `Fn::Cidr` may ask for at most 256 blocks.
const MAX_CIDRS: u64 = 256;

/// Resource types whose `Ref` is a name written in their properties, so a `Ref`
/// to them is known when that property is.
const NAME_PROPS: &[(&str, &str)] = &[
    ("AWS::S3::Bucket", "BucketName"),
    ("AWS::IAM::Role", "RoleName"),
    ("AWS::IAM::User", "UserName"),
    ("AWS::IAM::Group", "GroupName"),
    ("AWS::Logs::LogGroup", "LogGroupName"),
    ("AWS::DynamoDB::Table", "TableName"),
    ("AWS::Lambda::Function", "FunctionName"),
    ("AWS::ECR::Repository", "RepositoryName"),
    ("AWS::EKS::Cluster", "Name"),
    ("AWS::RDS::DBInstance", "DBInstanceIdentifier"),
    ("AWS::RDS::DBCluster", "DBClusterIdentifier"),
    ("AWS::CloudTrail::Trail", "TrailName"),
];

pub(crate) fn name_prop(type_name: &str) -> Option<&'static str> {
    NAME_PROPS
        .iter()
        .find(|(t, _)| *t == type_name)
        .map(|(_, p)| *p)
}

pub(crate) struct Evaluator<'a> {
    file: &'a str,
    params: HashMap<String, Value>,
    mappings: Map<String, Value>,
    conditions: Map<String, Value>,
    cond_cache: HashMap<String, Option<bool>>,
    cond_active: HashSet<String>,
    /// Logical id → (type, address).
    resources: HashMap<String, (String, String)>,
    /// Logical id → its `Ref` value, when the template fixes it.
    known_refs: HashMap<String, Value>,
    /// The resource being evaluated, for messages.
    pub current: String,
    pub issues: Vec<ParseIssue>,
}

fn obj_field(v: &Value, k: &str) -> Map<String, Value> {
    v.get(k)
        .and_then(Value::as_object)
        .cloned()
        .unwrap_or_default()
}

/// The text of a scalar, as CloudFormation compares and joins values.
fn scalar_text(v: &Value) -> Option<String> {
    match v {
        Value::String(s) => Some(s.clone()),
        Value::Number(n) => Some(n.to_string()),
        Value::Bool(b) => Some(b.to_string()),
        _ => None,
    }
}

/// How an unknown value reads inside a larger string expression.
pub(crate) fn placeholder(v: &Value) -> String {
    let expr = yagura_model::iac::unknown_reason(v).unwrap_or("?");
    if let Some(rest) = expr.strip_prefix("Ref ") {
        format!("${{{rest}}}")
    } else if let Some(rest) = expr.strip_prefix("Fn::GetAtt ") {
        format!("${{{rest}}}")
    } else if let Some(rest) = expr
        .strip_prefix("Fn::Sub ")
        .or_else(|| expr.strip_prefix("Fn::Join "))
    {
        rest.to_string()
    } else {
        "${?}".to_string()
    }
}

impl<'a> Evaluator<'a> {
    pub fn new(
        file: &'a str,
        root: &Value,
        overrides: &[(String, String)],
        resources: HashMap<String, (String, String)>,
    ) -> Self {
        let mut params = HashMap::new();
        for (name, def) in obj_field(root, "Parameters") {
            let ptype = def.get("Type").and_then(Value::as_str).unwrap_or("");
            let is_list = ptype.starts_with("List<") || ptype == "CommaDelimitedList";
            // The value of an SSM-typed parameter is read from Parameter Store at
            // deploy time; its default is the parameter's path, not its value.
            if ptype.starts_with("AWS::SSM::Parameter::Value<") {
                params.insert(name.clone(), unknown(format!("Ref {name}")));
                continue;
            }
            let given = overrides
                .iter()
                .rev()
                .find(|(k, _)| *k == name)
                .map(|(_, v)| Value::String(v.clone()))
                .or_else(|| def.get("Default").cloned());
            let value = match given {
                Some(Value::Array(a)) => Value::Array(a),
                Some(v) => match scalar_text(&v) {
                    Some(s) if is_list => Value::Array(
                        s.split(',')
                            .map(|x| Value::String(x.trim().to_string()))
                            .collect(),
                    ),
                    Some(s) => Value::String(s),
                    None => unknown(format!("Ref {name}")),
                },
                None => unknown(format!("Ref {name}")),
            };
            params.insert(name, value);
        }
        let mut ev = Evaluator {
            file,
            params,
            mappings: obj_field(root, "Mappings"),
            conditions: obj_field(root, "Conditions"),
            cond_cache: HashMap::new(),
            cond_active: HashSet::new(),
            resources,
            known_refs: HashMap::new(),
            current: String::new(),
            issues: Vec::new(),
        };
        ev.known_refs = ev.collect_known_refs(root);
        ev
    }

    /// `Ref` values fixed by a literal (or parameter-built) name property. They are
    /// evaluated before any resource `Ref` can be resolved, so they never recurse.
    fn collect_known_refs(&mut self, root: &Value) -> HashMap<String, Value> {
        let mut out = HashMap::new();
        let res = obj_field(root, "Resources");
        for (id, def) in &res {
            let Some(prop) = def.get("Type").and_then(Value::as_str).and_then(name_prop) else {
                continue;
            };
            let Some(raw) = def.get("Properties").and_then(|p| p.get(prop)) else {
                continue;
            };
            self.current = id.clone();
            let before = self.issues.len();
            if let Some(v) = self.eval(raw, 0) {
                if v.is_string() {
                    out.insert(id.clone(), v);
                }
            }
            // The resource is evaluated again later; report its problems once.
            self.issues.truncate(before);
        }
        out
    }

    fn issue(&mut self, message: String) {
        let message = if self.current.is_empty() {
            message
        } else {
            format!("resource {}: {message}", self.current)
        };
        self.issues.push(ParseIssue {
            file: self.file.to_string(),
            line: None,
            message,
        });
    }

    /// Evaluates a value. `None` is `AWS::NoValue`: the property is removed.
    pub fn eval(&mut self, v: &Value, depth: usize) -> Option<Value> {
        if depth > MAX_DEPTH {
            self.issue(format!("expression nests deeper than {MAX_DEPTH} levels"));
            return Some(unknown("too deeply nested"));
        }
        match v {
            Value::Array(a) => Some(Value::Array(
                a.iter().filter_map(|x| self.eval(x, depth + 1)).collect(),
            )),
            Value::Object(m) if m.len() == 1 => {
                let (k, arg) = m.iter().next()?;
                if k == "Ref" || k.starts_with("Fn::") {
                    return self.intrinsic(k, arg, depth + 1);
                }
                self.eval_object(m, depth)
            }
            Value::Object(m) => self.eval_object(m, depth),
            // Dynamic references are resolved from SSM or Secrets Manager at deploy.
            Value::String(s) if s.contains("{{resolve:") => {
                Some(unknown(format!("dynamic reference {s}")))
            }
            other => Some(other.clone()),
        }
    }

    fn eval_object(&mut self, m: &Map<String, Value>, depth: usize) -> Option<Value> {
        let mut out = Map::new();
        for (k, x) in m {
            if let Some(r) = self.eval(x, depth + 1) {
                out.insert(k.clone(), r);
            }
        }
        Some(Value::Object(out))
    }

    fn args<'v>(&mut self, f: &str, arg: &'v Value, n: usize) -> Option<&'v [Value]> {
        match arg.as_array() {
            Some(a) if a.len() >= n => Some(a.as_slice()),
            _ => {
                self.issue(format!("{f} needs a list of {n} arguments"));
                None
            }
        }
    }

    fn intrinsic(&mut self, f: &str, arg: &Value, depth: usize) -> Option<Value> {
        match f {
            "Ref" => self.reference(arg),
            "Fn::GetAtt" => Some(self.get_att(arg, depth)),
            "Fn::Sub" => Some(self.sub(arg, depth)),
            "Fn::Join" => Some(self.join(arg, depth)),
            "Fn::Select" => self.select(arg, depth),
            "Fn::Split" => Some(self.split(arg, depth)),
            "Fn::FindInMap" => Some(self.find_in_map(arg, depth)),
            "Fn::If" => self.fn_if(arg, depth),
            "Fn::Equals" | "Fn::And" | "Fn::Or" | "Fn::Not" => {
                let mut m = Map::new();
                m.insert(f.to_string(), arg.clone());
                Some(match self.cond_expr(&Value::Object(m), depth) {
                    Some(b) => Value::Bool(b),
                    None => unknown(f),
                })
            }
            "Fn::Base64" => Some(match self.eval(arg, depth) {
                Some(Value::String(s)) => Value::String(base64(s.as_bytes())),
                Some(v) if contains_unknown(&v) => unknown("Fn::Base64"),
                _ => {
                    self.issue("Fn::Base64 needs a string".into());
                    unknown("Fn::Base64")
                }
            }),
            "Fn::Cidr" => Some(self.cidr(arg, depth)),
            "Fn::GetAZs" => Some(unknown("Fn::GetAZs")),
            "Fn::ImportValue" => {
                let name = self
                    .eval(arg, depth)
                    .map(|v| scalar_text(&v).unwrap_or_else(|| placeholder(&v)))
                    .unwrap_or_default();
                Some(unknown(format!("Fn::ImportValue {name}")))
            }
            "Fn::Length" => Some(match self.eval(arg, depth) {
                Some(Value::Array(a)) => Value::from(a.len()),
                _ => unknown("Fn::Length"),
            }),
            "Fn::ToJsonString" => Some(match self.eval(arg, depth) {
                Some(v) if !contains_unknown(&v) => {
                    Value::String(serde_json::to_string(&v).unwrap_or_default())
                }
                _ => unknown("Fn::ToJsonString"),
            }),
            // Macros run in the service; their output is not in the template.
            "Fn::Transform" => Some(unknown("Fn::Transform")),
            other => {
                self.issue(format!("unsupported intrinsic function {other}"));
                Some(unknown(other))
            }
        }
    }

    fn reference(&mut self, arg: &Value) -> Option<Value> {
        let Some(name) = arg.as_str() else {
            self.issue("Ref needs a name".into());
            return Some(unknown("Ref"));
        };
        if let Some(v) = self.params.get(name) {
            return Some(v.clone());
        }
        match name {
            "AWS::NoValue" => return None,
            "AWS::Partition" => return Some(Value::String("aws".into())),
            "AWS::URLSuffix" => return Some(Value::String("amazonaws.com".into())),
            "AWS::Region"
            | "AWS::AccountId"
            | "AWS::StackName"
            | "AWS::StackId"
            | "AWS::NotificationARNs" => return Some(unknown(format!("Ref {name}"))),
            _ => {}
        }
        if let Some(v) = self.known_refs.get(name) {
            return Some(v.clone());
        }
        if let Some((_, address)) = self.resources.get(name) {
            return Some(unknown_ref(format!("Ref {name}"), address.clone()));
        }
        self.issue(format!("Ref to undefined name {name}"));
        Some(unknown(format!("Ref {name}")))
    }

    fn get_att(&mut self, arg: &Value, depth: usize) -> Value {
        let (id, attr) = match arg {
            Value::Array(a) if a.len() == 2 => {
                let attr = self
                    .eval(&a[1], depth)
                    .and_then(|v| scalar_text(&v))
                    .unwrap_or_else(|| "?".into());
                (a[0].as_str().unwrap_or("").to_string(), attr)
            }
            Value::String(s) => match s.split_once('.') {
                Some((a, b)) => (a.to_string(), b.to_string()),
                None => (s.clone(), String::new()),
            },
            _ => (String::new(), String::new()),
        };
        let expr = format!("Fn::GetAtt {id}.{attr}");
        match self.resources.get(&id) {
            Some((type_name, address)) => {
                // A bucket's ARN follows from its name alone.
                if type_name == "AWS::S3::Bucket" && attr == "Arn" {
                    if let Some(Value::String(n)) = self.known_refs.get(&id) {
                        return Value::String(format!("arn:aws:s3:::{n}"));
                    }
                }
                unknown_ref(expr, address.clone())
            }
            None => {
                self.issue(format!("Fn::GetAtt of undefined resource `{id}`"));
                unknown(expr)
            }
        }
    }

    /// One `${...}` variable of `Fn::Sub`.
    fn sub_var(&mut self, var: &str, vars: &Map<String, Value>, depth: usize) -> Value {
        if let Some(v) = vars.get(var) {
            return self.eval(v, depth).unwrap_or(Value::String(String::new()));
        }
        if let Some((id, attr)) = var.split_once('.') {
            if self.resources.contains_key(id) {
                let arg = Value::Array(vec![id.into(), attr.into()]);
                return self.get_att(&arg, depth);
            }
        }
        self.reference(&Value::String(var.to_string()))
            .unwrap_or(Value::String(String::new()))
    }

    fn sub(&mut self, arg: &Value, depth: usize) -> Value {
        let (template, vars) = match arg {
            Value::String(s) => (s.clone(), Map::new()),
            Value::Array(a) if a.first().is_some_and(Value::is_string) => (
                a[0].as_str().unwrap_or("").to_string(),
                a.get(1)
                    .and_then(Value::as_object)
                    .cloned()
                    .unwrap_or_default(),
            ),
            _ => {
                self.issue("Fn::Sub needs a string or [string, variables]".into());
                return unknown("Fn::Sub");
            }
        };
        let mut out = String::new();
        let mut rendered = String::new();
        let mut unknown_part = false;
        let mut refs: Vec<String> = Vec::new();
        let mut rest = template.as_str();
        while let Some(pos) = rest.find("${") {
            out.push_str(&rest[..pos]);
            rendered.push_str(&rest[..pos]);
            let after = &rest[pos + 2..];
            let Some(end) = after.find('}') else {
                out.push_str(&rest[pos..]);
                rendered.push_str(&rest[pos..]);
                rest = "";
                break;
            };
            let var = &after[..end];
            if let Some(lit) = var.strip_prefix('!') {
                // `${!Name}` is the literal text `${Name}`.
                out.push_str(&format!("${{{lit}}}"));
                rendered.push_str(&format!("${{{lit}}}"));
            } else {
                let v = self.sub_var(var.trim(), &vars, depth + 1);
                match scalar_text(&v) {
                    Some(s) => {
                        out.push_str(&s);
                        rendered.push_str(&s);
                    }
                    None => {
                        unknown_part = true;
                        if let Some(a) = yagura_model::iac::unknown_ref_address(&v) {
                            refs.push(a.to_string());
                        }
                        rendered.push_str(&format!("${{{}}}", var.trim()));
                    }
                }
            }
            rest = &after[end + 1..];
        }
        out.push_str(rest);
        rendered.push_str(rest);
        if !unknown_part {
            return Value::String(out);
        }
        let expr = format!("Fn::Sub {rendered}");
        // Only a string that is exactly one resource's value keeps the link for joins.
        let whole = template.trim().starts_with("${") && template.trim().ends_with('}');
        match refs.as_slice() {
            [one] if whole && template.matches("${").count() == 1 => unknown_ref(expr, one.clone()),
            _ => unknown(expr),
        }
    }

    fn join(&mut self, arg: &Value, depth: usize) -> Value {
        let Some(a) = self.args("Fn::Join", arg, 2) else {
            return unknown("Fn::Join");
        };
        let delim = self
            .eval(&a[0], depth)
            .and_then(|v| scalar_text(&v))
            .unwrap_or_default();
        let list = match self.eval(&a[1], depth) {
            Some(Value::Array(l)) => l,
            Some(v) if contains_unknown(&v) => {
                return unknown(format!("Fn::Join {}", placeholder(&v)))
            }
            _ => {
                self.issue("Fn::Join needs a list to join".into());
                return unknown("Fn::Join");
            }
        };
        let mut parts = Vec::new();
        let mut rendered = Vec::new();
        let mut unknown_part = false;
        for item in &list {
            match scalar_text(item) {
                Some(s) => {
                    rendered.push(s.clone());
                    parts.push(s);
                }
                None => {
                    unknown_part = true;
                    rendered.push(placeholder(item));
                }
            }
        }
        if unknown_part {
            unknown(format!("Fn::Join {}", rendered.join(&delim)))
        } else {
            Value::String(parts.join(&delim))
        }
    }

    fn select(&mut self, arg: &Value, depth: usize) -> Option<Value> {
        let Some(a) = self.args("Fn::Select", arg, 2) else {
            return Some(unknown("Fn::Select"));
        };
        let index = self.eval(&a[0], depth);
        let list = self.eval(&a[1], depth);
        let idx = match index.as_ref().and_then(scalar_text) {
            Some(s) => match s.trim().parse::<usize>() {
                Ok(i) => i,
                Err(_) => {
                    self.issue(format!("Fn::Select index `{s}` is not a number"));
                    return Some(unknown("Fn::Select"));
                }
            },
            None => return Some(unknown("Fn::Select")),
        };
        match list {
            Some(Value::Array(l)) => match l.get(idx) {
                Some(v) => Some(v.clone()),
                None => {
                    self.issue(format!(
                        "Fn::Select index {idx} is out of range for a list of {}",
                        l.len()
                    ));
                    Some(unknown("Fn::Select"))
                }
            },
            Some(v) if contains_unknown(&v) => {
                Some(unknown(format!("Fn::Select {idx} of {}", placeholder(&v))))
            }
            _ => {
                self.issue("Fn::Select needs a list".into());
                Some(unknown("Fn::Select"))
            }
        }
    }

    fn split(&mut self, arg: &Value, depth: usize) -> Value {
        let Some(a) = self.args("Fn::Split", arg, 2) else {
            return unknown("Fn::Split");
        };
        let delim = self.eval(&a[0], depth).and_then(|v| scalar_text(&v));
        let src = self.eval(&a[1], depth);
        match (delim, src.as_ref().and_then(scalar_text)) {
            (Some(d), Some(s)) if !d.is_empty() => {
                Value::Array(s.split(d.as_str()).map(Value::from).collect())
            }
            _ => unknown("Fn::Split"),
        }
    }

    fn find_in_map(&mut self, arg: &Value, depth: usize) -> Value {
        let Some(a) = self.args("Fn::FindInMap", arg, 3) else {
            return unknown("Fn::FindInMap");
        };
        let keys: Vec<Option<String>> = a[..3]
            .iter()
            .map(|k| self.eval(k, depth).and_then(|v| scalar_text(&v)))
            .collect();
        let expr = format!(
            "Fn::FindInMap {}",
            keys.iter()
                .map(|k| k.clone().unwrap_or_else(|| "?".into()))
                .collect::<Vec<_>>()
                .join(".")
        );
        let (Some(m), Some(k1), Some(k2)) = (&keys[0], &keys[1], &keys[2]) else {
            return unknown(expr);
        };
        let found = self
            .mappings
            .get(m)
            .and_then(|x| x.get(k1))
            .and_then(|x| x.get(k2))
            .cloned();
        match found {
            Some(v) => self.eval(&v, depth).unwrap_or(Value::Null),
            None => {
                // The language extension's fourth argument: {DefaultValue: x}.
                if let Some(d) = a.get(3).and_then(|o| o.get("DefaultValue")) {
                    return self.eval(d, depth).unwrap_or(Value::Null);
                }
                self.issue(format!("{expr}: no such mapping entry"));
                unknown(expr)
            }
        }
    }

    fn fn_if(&mut self, arg: &Value, depth: usize) -> Option<Value> {
        let Some(a) = self.args("Fn::If", arg, 3) else {
            return Some(unknown("Fn::If"));
        };
        let name = a[0].as_str().unwrap_or("").to_string();
        match self.condition(&name, depth) {
            Some(true) => self.eval(&a[1], depth),
            Some(false) => self.eval(&a[2], depth),
            None => {
                // Both branches equal: the condition does not matter.
                let t = self.eval(&a[1], depth);
                let f = self.eval(&a[2], depth);
                if t == f && !t.as_ref().is_some_and(contains_unknown) {
                    t
                } else {
                    Some(unknown(format!("Fn::If {name}")))
                }
            }
        }
    }

    /// A named condition: `Some(bool)` when it can be decided from the template.
    pub fn condition(&mut self, name: &str, depth: usize) -> Option<bool> {
        if let Some(c) = self.cond_cache.get(name) {
            return *c;
        }
        let Some(def) = self.conditions.get(name).cloned() else {
            self.issue(format!("condition `{name}` is not defined"));
            return None;
        };
        if !self.cond_active.insert(name.to_string()) {
            self.issue(format!("condition `{name}` refers to itself"));
            return None;
        }
        let r = self.cond_expr(&def, depth + 1);
        self.cond_active.remove(name);
        self.cond_cache.insert(name.to_string(), r);
        r
    }

    fn cond_list(&mut self, f: &str, arg: &Value, depth: usize) -> Vec<Option<bool>> {
        match arg.as_array() {
            Some(a) => a.iter().map(|x| self.cond_expr(x, depth + 1)).collect(),
            None => {
                self.issue(format!("{f} needs a list of conditions"));
                vec![None]
            }
        }
    }

    fn cond_expr(&mut self, v: &Value, depth: usize) -> Option<bool> {
        if depth > MAX_DEPTH {
            self.issue(format!("condition nests deeper than {MAX_DEPTH} levels"));
            return None;
        }
        if let Value::Object(m) = v {
            if m.len() == 1 {
                let (k, arg) = m.iter().next()?;
                match k.as_str() {
                    "Condition" => {
                        let name = arg.as_str().unwrap_or("").to_string();
                        return self.condition(&name, depth);
                    }
                    "Fn::Equals" => {
                        let a = self.args("Fn::Equals", arg, 2)?;
                        let x = self.eval(&a[0], depth + 1);
                        let y = self.eval(&a[1], depth + 1);
                        return match (x, y) {
                            (Some(x), Some(y))
                                if !contains_unknown(&x) && !contains_unknown(&y) =>
                            {
                                Some(match (scalar_text(&x), scalar_text(&y)) {
                                    (Some(a), Some(b)) => a == b,
                                    _ => x == y,
                                })
                            }
                            _ => None,
                        };
                    }
                    "Fn::And" => {
                        let r = self.cond_list(k, arg, depth);
                        return if r.contains(&Some(false)) {
                            Some(false)
                        } else if r.iter().all(|x| *x == Some(true)) {
                            Some(true)
                        } else {
                            None
                        };
                    }
                    "Fn::Or" => {
                        let r = self.cond_list(k, arg, depth);
                        return if r.contains(&Some(true)) {
                            Some(true)
                        } else if r.iter().all(|x| *x == Some(false)) {
                            Some(false)
                        } else {
                            None
                        };
                    }
                    "Fn::Not" => {
                        let r = self.cond_list(k, arg, depth);
                        return r.first().copied().flatten().map(|b| !b);
                    }
                    _ => {}
                }
            }
        }
        match self.eval(v, depth + 1) {
            Some(Value::Bool(b)) => Some(b),
            Some(Value::String(s)) if s.eq_ignore_ascii_case("true") => Some(true),
            Some(Value::String(s)) if s.eq_ignore_ascii_case("false") => Some(false),
            Some(x) if contains_unknown(&x) => None,
            _ => {
                self.issue("a condition is not a condition function or boolean".into());
                None
            }
        }
    }

    fn cidr(&mut self, arg: &Value, depth: usize) -> Value {
        let Some(a) = self.args("Fn::Cidr", arg, 3) else {
            return unknown("Fn::Cidr");
        };
        let vals: Vec<Option<String>> = a[..3]
            .iter()
            .map(|x| self.eval(x, depth).and_then(|v| scalar_text(&v)))
            .collect();
        let (Some(block), Some(count), Some(bits)) = (&vals[0], &vals[1], &vals[2]) else {
            return unknown("Fn::Cidr");
        };
        match cidr_blocks(block, count, bits) {
            Some(v) => Value::Array(v.into_iter().map(Value::String).collect()),
            None => {
                self.issue(format!(
                    "Fn::Cidr cannot split {block} into {count} /{bits}-host-bit blocks"
                ));
                unknown("Fn::Cidr")
            }
        }
    }
}

/// `count` consecutive blocks with `host_bits` host bits each, inside `block`.
fn cidr_blocks(block: &str, count: &str, host_bits: &str) -> Option<Vec<String>> {
    let (addr, prefix) = block.split_once('/')?;
    let prefix: u32 = prefix.trim().parse().ok()?;
    let count: u64 = count.trim().parse().ok()?;
    let host_bits: u32 = host_bits.trim().parse().ok()?;
    if count == 0 || count > MAX_CIDRS {
        return None;
    }
    if let Ok(v4) = addr.trim().parse::<std::net::Ipv4Addr>() {
        let new_prefix = 32u32.checked_sub(host_bits)?;
        if new_prefix < prefix || prefix > 32 {
            return None;
        }
        let available = 1u64 << (new_prefix - prefix);
        if count > available {
            return None;
        }
        let base = u32::from(v4) as u64 & !((1u64 << (32 - prefix)) - 1) & 0xffff_ffff;
        return Some(
            (0..count)
                .map(|i| {
                    let a = base + (i << host_bits);
                    format!("{}/{new_prefix}", std::net::Ipv4Addr::from(a as u32))
                })
                .collect(),
        );
    }
    let v6: std::net::Ipv6Addr = addr.trim().parse().ok()?;
    let new_prefix = 128u32.checked_sub(host_bits)?;
    if new_prefix < prefix || prefix > 128 {
        return None;
    }
    if new_prefix - prefix < 64 && count > (1u64 << (new_prefix - prefix)) {
        return None;
    }
    let mask = if prefix == 0 {
        0
    } else {
        u128::MAX << (128 - prefix)
    };
    let base = u128::from(v6) & mask;
    Some(
        (0..count as u128)
            .map(|i| {
                let a = base + (i << host_bits.min(127));
                format!("{}/{new_prefix}", std::net::Ipv6Addr::from(a))
            })
            .collect(),
    )
}

pub(crate) fn base64(data: &[u8]) -> String {
    const T: &[u8; 64] = b"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
    let mut out = String::with_capacity(data.len().div_ceil(3) * 4);
    for chunk in data.chunks(3) {
        let b = [
            chunk[0],
            chunk.get(1).copied().unwrap_or(0),
            chunk.get(2).copied().unwrap_or(0),
        ];
        let n = (u32::from(b[0]) << 16) | (u32::from(b[1]) << 8) | u32::from(b[2]);
        for (i, shift) in [18u32, 12, 6, 0].iter().enumerate() {
            if i <= chunk.len() {
                out.push(T[((n >> shift) & 63) as usize] as char);
            } else {
                out.push('=');
            }
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn base64_matches_rfc4648_vectors() {
        assert_eq!(base64(b""), "");
        assert_eq!(base64(b"f"), "Zg==");
        assert_eq!(base64(b"fo"), "Zm8=");
        assert_eq!(base64(b"foo"), "Zm9v");
        assert_eq!(base64(b"foobar"), "Zm9vYmFy");
    }

    #[test]
    fn cidr_splits_v4_and_v6() {
        assert_eq!(
            cidr_blocks("10.0.0.0/16", "3", "8").unwrap(),
            vec!["10.0.0.0/24", "10.0.1.0/24", "10.0.2.0/24"]
        );
        assert_eq!(
            cidr_blocks("2001:db8::/56", "2", "64").unwrap(),
            vec!["2001:db8::/64", "2001:db8:0:1::/64"]
        );
        assert!(cidr_blocks("10.0.0.0/24", "3", "8").is_none());
        assert!(cidr_blocks("nonsense", "1", "8").is_none());
    }
}
