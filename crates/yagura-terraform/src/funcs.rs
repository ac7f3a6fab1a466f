//! Terraform built-in functions. Arguments are known at the top level (the evaluator
//! handles unknown arguments); a function that needs a value that is unknown deeper
//! inside, or is not implemented, returns `Ok(None)` and the call becomes unknown.

use crate::eval::{Eval, NoRefs, Scope};
use crate::val::{as_f64, equal, num, to_bool, to_str, type_name};
use base64::Engine as _;
use serde_json::{Map, Value};
use std::cell::Cell;
use std::path::Path;
use yagura_model::iac::contains_unknown;

type R = Result<Option<Value>, String>;

/// Files read by `file()` are capped like configuration files.
const MAX_FILE: u64 = 16 * 1024 * 1024;

fn s(v: &Value) -> Result<String, String> {
    to_str(v).ok_or_else(|| format!("expected a string, got {}", type_name(v)))
}

fn n(v: &Value) -> Result<f64, String> {
    as_f64(v).ok_or_else(|| format!("expected a number, got {}", type_name(v)))
}

fn list(v: &Value) -> Result<Vec<Value>, String> {
    match v {
        Value::Array(a) => Ok(a.clone()),
        Value::Null => Err("expected a list, got null".into()),
        other => Err(format!("expected a list, got {}", type_name(other))),
    }
}

fn map(v: &Value) -> Result<Map<String, Value>, String> {
    match v {
        Value::Object(m) => Ok(m.clone()),
        other => Err(format!("expected a map, got {}", type_name(other))),
    }
}

fn arg(args: &[Value], i: usize) -> Result<&Value, String> {
    args.get(i)
        .ok_or_else(|| "missing function argument".to_string())
}

/// Sorted, deduplicated list: Terraform's set of primitives.
fn to_set(items: Vec<Value>) -> Vec<Value> {
    let mut out: Vec<Value> = Vec::with_capacity(items.len());
    for it in items {
        if !out.iter().any(|x| equal(x, &it)) {
            out.push(it);
        }
    }
    if out.iter().all(|v| v.is_string()) {
        out.sort_by(|a, b| a.as_str().cmp(&b.as_str()));
    } else if out.iter().all(|v| v.is_number()) {
        out.sort_by(|a, b| {
            as_f64(a)
                .partial_cmp(&as_f64(b))
                .unwrap_or(std::cmp::Ordering::Equal)
        });
    }
    out
}

/// Where a relative path points: Terraform resolves it from the working directory
/// (the root module); a path that only exists relative to the module directory is
/// accepted too.
fn resolve(dirs: &[&Path], p: &str) -> Option<std::path::PathBuf> {
    if Path::new(p).is_absolute() {
        return None;
    }
    let cands: Vec<std::path::PathBuf> = dirs.iter().map(|d| d.join(p)).collect();
    cands.iter().find(|c| c.exists()).or(cands.first()).cloned()
}

/// Reads a file for `file()`/`templatefile()`. Only files inside the root or the
/// module directory are read (a scanned configuration must not pull arbitrary files
/// of the scanning machine into reports); others give `None` (unknown).
fn read_file(dirs: &[&Path], p: &str) -> Result<Option<String>, String> {
    let Some(path) = resolve(dirs, p) else {
        return Ok(None);
    };
    let canon = std::fs::canonicalize(&path).map_err(|e| format!("file({p}): {e}"))?;
    let inside = dirs.iter().any(|d| {
        std::fs::canonicalize(if d.as_os_str().is_empty() {
            Path::new(".")
        } else {
            d
        })
        .is_ok_and(|base| canon.starts_with(base))
    });
    if !inside {
        return Ok(None);
    }
    let path = canon;
    let meta = std::fs::metadata(&path).map_err(|e| format!("file({p}): {e}"))?;
    if meta.len() > MAX_FILE {
        return Err(format!("file({p}): larger than 16 MiB"));
    }
    let bytes = std::fs::read(&path).map_err(|e| format!("file({p}): {e}"))?;
    String::from_utf8(bytes)
        .map(Some)
        .map_err(|_| format!("file({p}): not UTF-8"))
}

/// `fileset(path, pattern)`: files under `path` (inside the configuration) whose path
/// relative to it matches the glob, sorted.
fn fileset(dirs: &[&Path], base: &str, pattern: &str) -> R {
    const MAX_FILES: usize = 10_000;
    let Some(path) = resolve(dirs, base) else {
        return Ok(None);
    };
    let Ok(canon) = std::fs::canonicalize(&path) else {
        return Ok(Some(Value::Array(Vec::new())));
    };
    let inside = dirs.iter().any(|d| {
        std::fs::canonicalize(if d.as_os_str().is_empty() {
            Path::new(".")
        } else {
            d
        })
        .is_ok_and(|b| canon.starts_with(b))
    });
    if !inside {
        return Ok(None);
    }
    let glob = globset::GlobBuilder::new(pattern)
        .literal_separator(true)
        .build()
        .map_err(|e| format!("fileset: {e}"))?
        .compile_matcher();
    let mut out = Vec::new();
    let mut stack = vec![(canon.clone(), 0usize)];
    while let Some((dir, depth)) = stack.pop() {
        let Ok(rd) = std::fs::read_dir(&dir) else {
            continue;
        };
        for e in rd.flatten() {
            let p = e.path();
            let Ok(ft) = e.file_type() else { continue };
            if ft.is_dir() && depth < 16 {
                stack.push((p, depth + 1));
            } else if ft.is_file() {
                if let Ok(rel) = p.strip_prefix(&canon) {
                    let rel = rel.to_string_lossy().replace('\\', "/");
                    if glob.is_match(&rel) {
                        out.push(rel);
                        if out.len() > MAX_FILES {
                            return Err("fileset: too many files".into());
                        }
                    }
                }
            }
        }
    }
    out.sort();
    Ok(Some(Value::Array(
        out.into_iter().map(Value::String).collect(),
    )))
}

fn templatefile(dirs: &[&Path], p: &str, vars: &Value) -> R {
    let Some(text) = read_file(dirs, p)? else {
        return Ok(None);
    };
    let tpl = hcl_edit::parser::parse_template(&text)
        .map_err(|e| format!("templatefile({p}): {}", e.message()))?;
    let expr = hcl_edit::expr::Expression::HeredocTemplate(Box::new(
        hcl_edit::template::HeredocTemplate::new(hcl_edit::Ident::new("EOT"), tpl),
    ));
    let vars = map(vars)?;
    let nr = NoRefs {
        depth: Cell::new(0),
    };
    let ev = Eval::new(&nr);
    // Bind each template variable in a chain of scopes.
    let entries: Vec<(String, Value)> = vars.into_iter().collect();
    fn go(
        ev: &Eval,
        e: &hcl_edit::expr::Expression,
        rest: &[(String, Value)],
        sc: Option<&Scope>,
    ) -> R {
        match rest.split_first() {
            None => {
                let v = ev.eval(e, sc)?;
                Ok(if contains_unknown(&v) { None } else { Some(v) })
            }
            Some(((k, v), tail)) => {
                let s = Scope {
                    name: k,
                    value: v.clone(),
                    parent: sc,
                };
                go(ev, e, tail, Some(&s))
            }
        }
    }
    if entries.len() > 256 {
        return Ok(None);
    }
    go(&ev, &expr, &entries, None)
}

fn flatten_into(v: &Value, out: &mut Vec<Value>, depth: usize) -> Result<(), String> {
    if depth > 64 {
        return Err("flatten: too deep".into());
    }
    match v {
        Value::Array(a) => {
            for x in a {
                flatten_into(x, out, depth + 1)?;
            }
        }
        other => out.push(other.clone()),
    }
    Ok(())
}

/// Go-style `%s %d %v %q %%` formatting used by `format` and `formatlist`.
fn format_str(fmt: &str, args: &[Value]) -> Result<String, String> {
    let mut out = String::new();
    let mut it = fmt.chars().peekable();
    let mut ai = 0;
    while let Some(c) = it.next() {
        if c != '%' {
            out.push(c);
            continue;
        }
        // Skip flags/width/precision; honour only the verb.
        let mut spec = String::new();
        while let Some(&d) = it.peek() {
            if d.is_ascii_digit() || matches!(d, '.' | '-' | '+' | '#' | ' ') {
                spec.push(d);
                it.next();
            } else {
                break;
            }
        }
        let Some(verb) = it.next() else {
            return Err("format: trailing %".into());
        };
        if verb == '%' {
            out.push('%');
            continue;
        }
        let a = args.get(ai).ok_or("format: not enough arguments")?;
        ai += 1;
        match verb {
            's' | 'v' => {
                let x = match to_str(a) {
                    Some(x) => x,
                    None => serde_json::to_string(a).map_err(|e| e.to_string())?,
                };
                out.push_str(&pad(&spec, x));
            }
            'q' => out.push_str(&Value::String(s(a)?).to_string()),
            'd' => out.push_str(&pad(&spec, format!("{}", n(a)?.trunc() as i64))),
            'f' | 'e' | 'g' => {
                let prec = spec
                    .split('.')
                    .nth(1)
                    .and_then(|p| p.parse::<usize>().ok())
                    .unwrap_or(6);
                out.push_str(&format!("{:.*}", prec, n(a)?));
            }
            't' => out.push_str(&to_bool(a).ok_or("format %t needs a bool")?.to_string()),
            'x' => out.push_str(&format!("{:x}", n(a)? as i64)),
            other => return Err(format!("format: unsupported verb %{other}")),
        }
    }
    Ok(out)
}

/// Applies a `%-5s` / `%03d` width from a format spec.
fn pad(spec: &str, x: String) -> String {
    let left = spec.contains('-');
    let digits: String = spec
        .trim_start_matches(['-', '+', '#', ' '])
        .split('.')
        .next()
        .unwrap_or("")
        .to_string();
    let zero = digits.starts_with('0');
    let width: usize = digits.parse().unwrap_or(0);
    let len = x.chars().count();
    if len >= width {
        return x;
    }
    let fill = width - len;
    if left {
        x + &" ".repeat(fill)
    } else if zero {
        match x.strip_prefix('-') {
            Some(rest) => format!("-{}{rest}", "0".repeat(fill)),
            None => "0".repeat(fill) + &x,
        }
    } else {
        " ".repeat(fill) + &x
    }
}

/// Go's regexp syntax is close enough to the `regex` crate's for common patterns.
fn regex_of(p: &str) -> Result<regex::Regex, String> {
    regex::RegexBuilder::new(p)
        .size_limit(1 << 20)
        .build()
        .map_err(|e| format!("invalid regex: {e}"))
}

fn regex_match(re: &regex::Regex, caps: regex::Captures) -> Value {
    let names: Vec<Option<&str>> = re.capture_names().collect();
    if names.len() == 1 {
        return Value::String(caps.get(0).map(|m| m.as_str()).unwrap_or("").to_string());
    }
    if names.iter().skip(1).any(Option::is_some) {
        let mut m = Map::new();
        for name in names.iter().flatten() {
            let v = caps.name(name).map(|x| x.as_str()).unwrap_or("");
            m.insert(name.to_string(), Value::String(v.to_string()));
        }
        return Value::Object(m);
    }
    Value::Array(
        (1..names.len())
            .map(|i| Value::String(caps.get(i).map(|x| x.as_str()).unwrap_or("").to_string()))
            .collect(),
    )
}

fn cidrsubnet(prefix: &str, newbits: f64, netnum: f64) -> Result<String, String> {
    let (ip, len) = prefix.split_once('/').ok_or("cidrsubnet: invalid CIDR")?;
    let len: u32 = len
        .parse()
        .map_err(|_| "cidrsubnet: invalid prefix length")?;
    let addr: std::net::IpAddr = ip.parse().map_err(|_| "cidrsubnet: invalid address")?;
    let nb = newbits as u32;
    let nn = netnum as u128;
    match addr {
        std::net::IpAddr::V4(a) => {
            let total = len + nb;
            if total > 32 || (nb < 128 && nn >= (1u128 << nb)) {
                return Err("cidrsubnet: not enough address space".into());
            }
            let base = u32::from(a) as u128 & (!0u128 << (32 - len)) & 0xffff_ffff;
            let sub = base | (nn << (32 - total));
            Ok(format!(
                "{}/{}",
                std::net::Ipv4Addr::from(sub as u32),
                total
            ))
        }
        std::net::IpAddr::V6(a) => {
            let total = len + nb;
            if total > 128 || (nb < 128 && nn >= (1u128 << nb)) {
                return Err("cidrsubnet: not enough address space".into());
            }
            let mask = if len == 0 { 0 } else { !0u128 << (128 - len) };
            let base = u128::from(a) & mask;
            let sub = base
                | if total == 128 {
                    nn
                } else {
                    nn << (128 - total)
                };
            Ok(format!("{}/{}", std::net::Ipv6Addr::from(sub), total))
        }
    }
}

pub fn call(name: &str, a: &[Value], dirs: &[&Path]) -> R {
    // Functions that need fully known arguments.
    let deep_known = !matches!(
        name,
        "length"
            | "merge"
            | "concat"
            | "lookup"
            | "element"
            | "keys"
            | "values"
            | "coalesce"
            | "tolist"
            | "tomap"
            | "one"
            | "slice"
            | "reverse"
            | "flatten"
            | "zipmap"
            | "try"
            | "compact"
            | "jsonencode"
    );
    if deep_known && a.iter().any(contains_unknown) {
        return Ok(None);
    }
    let v = match name {
        "lookup" => {
            let m = map(arg(a, 0)?)?;
            let k = s(arg(a, 1)?)?;
            match m.get(&k) {
                Some(v) => v.clone(),
                None => match a.get(2) {
                    Some(d) => d.clone(),
                    None => return Err(format!("lookup: key \"{k}\" not found")),
                },
            }
        }
        "merge" => {
            let mut out = Map::new();
            for x in a {
                match x {
                    Value::Null => {}
                    Value::Object(m) => out.extend(m.clone()),
                    other => return Err(format!("merge: argument is a {}", type_name(other))),
                }
            }
            Value::Object(out)
        }
        "concat" => {
            let mut out = Vec::new();
            for x in a {
                out.extend(list(x)?);
            }
            Value::Array(out)
        }
        "format" => Value::String(format_str(&s(arg(a, 0)?)?, &a[1..])?),
        "formatlist" => {
            let f = s(arg(a, 0)?)?;
            let rest = &a[1..];
            let len = rest
                .iter()
                .filter_map(|x| x.as_array().map(Vec::len))
                .max()
                .unwrap_or(1);
            let mut out = Vec::new();
            for i in 0..len {
                let row: Vec<Value> = rest
                    .iter()
                    .map(|x| match x {
                        Value::Array(l) => l.get(i).cloned().unwrap_or(Value::Null),
                        other => other.clone(),
                    })
                    .collect();
                out.push(Value::String(format_str(&f, &row)?));
            }
            Value::Array(out)
        }
        "join" => {
            let sep = s(arg(a, 0)?)?;
            let mut parts = Vec::new();
            for l in &a[1..] {
                for x in list(l)? {
                    parts.push(s(&x)?);
                }
            }
            Value::String(parts.join(&sep))
        }
        "split" => {
            let sep = s(arg(a, 0)?)?;
            let t = s(arg(a, 1)?)?;
            if sep.is_empty() {
                Value::Array(t.chars().map(|c| Value::String(c.to_string())).collect())
            } else {
                Value::Array(t.split(&sep).map(|x| Value::String(x.into())).collect())
            }
        }
        "lower" => Value::String(s(arg(a, 0)?)?.to_lowercase()),
        "upper" => Value::String(s(arg(a, 0)?)?.to_uppercase()),
        "title" => Value::String(
            s(arg(a, 0)?)?
                .split(' ')
                .map(|w| {
                    let mut c = w.chars();
                    match c.next() {
                        Some(f) => f.to_uppercase().collect::<String>() + c.as_str(),
                        None => String::new(),
                    }
                })
                .collect::<Vec<_>>()
                .join(" "),
        ),
        "length" => match arg(a, 0)? {
            Value::Array(l) => Value::from(l.len() as u64),
            Value::Object(m) => Value::from(m.len() as u64),
            Value::String(t) => Value::from(t.chars().count() as u64),
            other => return Err(format!("length of a {}", type_name(other))),
        },
        "element" => {
            let l = list(arg(a, 0)?)?;
            if l.is_empty() {
                return Err("element: empty list".into());
            }
            let i = n(arg(a, 1)?)?;
            if i < 0.0 {
                return Err("element: negative index".into());
            }
            l[(i as usize) % l.len()].clone()
        }
        "contains" => {
            let l = list(arg(a, 0)?)?;
            let x = arg(a, 1)?;
            Value::Bool(l.iter().any(|y| equal(x, y)))
        }
        "keys" => {
            let m = map(arg(a, 0)?)?;
            let mut k: Vec<String> = m.keys().cloned().collect();
            k.sort();
            Value::Array(k.into_iter().map(Value::String).collect())
        }
        "values" => {
            let m = map(arg(a, 0)?)?;
            let mut k: Vec<(&String, &Value)> = m.iter().collect();
            k.sort_by(|x, y| x.0.cmp(y.0));
            Value::Array(k.into_iter().map(|(_, v)| v.clone()).collect())
        }
        "flatten" => {
            let mut out = Vec::new();
            flatten_into(arg(a, 0)?, &mut out, 0)?;
            Value::Array(out)
        }
        "distinct" => {
            let mut out: Vec<Value> = Vec::new();
            for x in list(arg(a, 0)?)? {
                if !out.iter().any(|y| equal(&x, y)) {
                    out.push(x);
                }
            }
            Value::Array(out)
        }
        "compact" => {
            let l = list(arg(a, 0)?)?;
            if l.iter().any(yagura_model::iac::is_unknown) {
                return Ok(None);
            }
            Value::Array(
                l.into_iter()
                    .filter(|x| !(x.is_null() || x.as_str() == Some("")))
                    .collect(),
            )
        }
        "coalesce" => {
            for x in a {
                if yagura_model::iac::is_unknown(x) {
                    return Ok(None);
                }
                if !(x.is_null() || x.as_str() == Some("")) {
                    return Ok(Some(x.clone()));
                }
            }
            return Err("coalesce: no non-null argument".into());
        }
        "coalescelist" => {
            for x in a {
                if let Value::Array(l) = x {
                    if !l.is_empty() {
                        return Ok(Some(x.clone()));
                    }
                }
            }
            return Err("coalescelist: no non-empty list".into());
        }
        "tolist" => match arg(a, 0)? {
            Value::Array(l) => Value::Array(l.clone()),
            Value::Null => Value::Null,
            other => return Err(format!("tolist of a {}", type_name(other))),
        },
        "toset" => match arg(a, 0)? {
            Value::Array(l) => Value::Array(to_set(l.clone())),
            Value::Null => Value::Null,
            other => return Err(format!("toset of a {}", type_name(other))),
        },
        "tomap" => match arg(a, 0)? {
            Value::Object(m) => Value::Object(m.clone()),
            Value::Null => Value::Null,
            other => return Err(format!("tomap of a {}", type_name(other))),
        },
        "tostring" => match arg(a, 0)? {
            Value::Null => Value::Null,
            x => Value::String(s(x)?),
        },
        "tonumber" => match arg(a, 0)? {
            Value::Null => Value::Null,
            x => num(n(x)?),
        },
        "tobool" => match arg(a, 0)? {
            Value::Null => Value::Null,
            x => Value::Bool(to_bool(x).ok_or("tobool: not a bool")?),
        },
        "jsonencode" => {
            let doc = arg(a, 0)?;
            if contains_unknown(doc) {
                // A policy with one computed ARN is still judgeable on its known
                // parts (principal, actions): hand adapters the structure, with the
                // unknown markers inside, instead of one opaque unknown string.
                doc.clone()
            } else {
                Value::String(serde_json::to_string(doc).map_err(|e| e.to_string())?)
            }
        }
        "jsondecode" => {
            serde_json::from_str(&s(arg(a, 0)?)?).map_err(|e| format!("jsondecode: {e}"))?
        }
        "yamlencode" => {
            Value::String(serde_yaml::to_string(arg(a, 0)?).map_err(|e| e.to_string())?)
        }
        "yamldecode" => {
            serde_yaml::from_str(&s(arg(a, 0)?)?).map_err(|e| format!("yamldecode: {e}"))?
        }
        "replace" => {
            let t = s(arg(a, 0)?)?;
            let from = s(arg(a, 1)?)?;
            let to = s(arg(a, 2)?)?;
            if from.len() > 1 && from.starts_with('/') && from.ends_with('/') {
                let re = regex_of(&from[1..from.len() - 1])?;
                // Terraform uses `$1`-style references like the regex crate.
                Value::String(re.replace_all(&t, to.as_str()).into_owned())
            } else if from.is_empty() {
                Value::String(t)
            } else {
                Value::String(t.replace(&from, &to))
            }
        }
        "substr" => {
            let t: Vec<char> = s(arg(a, 0)?)?.chars().collect();
            let off = n(arg(a, 1)?)? as i64;
            let len = n(arg(a, 2)?)? as i64;
            let start = if off < 0 { t.len() as i64 + off } else { off }.max(0) as usize;
            if start > t.len() {
                return Err("substr: offset out of range".into());
            }
            let end = if len < 0 {
                t.len()
            } else {
                (start + len as usize).min(t.len())
            };
            Value::String(t[start..end].iter().collect())
        }
        "trimspace" => Value::String(s(arg(a, 0)?)?.trim().to_string()),
        "trim" => {
            let t = s(arg(a, 0)?)?;
            let cs: Vec<char> = s(arg(a, 1)?)?.chars().collect();
            Value::String(t.trim_matches(|c| cs.contains(&c)).to_string())
        }
        "trimprefix" => {
            let t = s(arg(a, 0)?)?;
            let p = s(arg(a, 1)?)?;
            Value::String(t.strip_prefix(p.as_str()).unwrap_or(&t).to_string())
        }
        "trimsuffix" => {
            let t = s(arg(a, 0)?)?;
            let p = s(arg(a, 1)?)?;
            Value::String(t.strip_suffix(p.as_str()).unwrap_or(&t).to_string())
        }
        "chomp" => Value::String(s(arg(a, 0)?)?.trim_end_matches(['\n', '\r']).to_string()),
        "startswith" => Value::Bool(s(arg(a, 0)?)?.starts_with(&s(arg(a, 1)?)?)),
        "endswith" => Value::Bool(s(arg(a, 0)?)?.ends_with(&s(arg(a, 1)?)?)),
        "strcontains" => Value::Bool(s(arg(a, 0)?)?.contains(&s(arg(a, 1)?)?)),
        "strrev" => Value::String(s(arg(a, 0)?)?.chars().rev().collect()),
        "min" | "max" => {
            let mut xs = Vec::new();
            for x in a {
                xs.push(n(x)?);
            }
            let f = if name == "min" {
                xs.into_iter().reduce(f64::min)
            } else {
                xs.into_iter().reduce(f64::max)
            };
            num(f.ok_or("min/max: no arguments")?)
        }
        "abs" => num(n(arg(a, 0)?)?.abs()),
        "ceil" => num(n(arg(a, 0)?)?.ceil()),
        "floor" => num(n(arg(a, 0)?)?.floor()),
        "pow" => num(n(arg(a, 0)?)?.powf(n(arg(a, 1)?)?)),
        "signum" => num(n(arg(a, 0)?)?.signum()),
        "parseint" => {
            let t = s(arg(a, 0)?)?;
            let base = n(arg(a, 1)?)? as u32;
            if !(2..=36).contains(&base) {
                return Err("parseint: bad base".into());
            }
            num(i64::from_str_radix(&t, base).map_err(|e| format!("parseint: {e}"))? as f64)
        }
        "range" => {
            let nums: Result<Vec<f64>, String> = a.iter().map(n).collect();
            let nums = nums?;
            let (start, end, step) = match nums.as_slice() {
                [e] => (0.0, *e, 1.0),
                [s0, e] => (*s0, *e, if e >= s0 { 1.0 } else { -1.0 }),
                [s0, e, st] => (*s0, *e, *st),
                _ => return Err("range: 1 to 3 arguments".into()),
            };
            if step == 0.0 {
                return Err("range: step 0".into());
            }
            let mut out = Vec::new();
            let mut x = start;
            while (step > 0.0 && x < end) || (step < 0.0 && x > end) {
                if out.len() >= 1024 {
                    return Err("range: more than 1024 elements".into());
                }
                out.push(num(x));
                x += step;
            }
            Value::Array(out)
        }
        "zipmap" => {
            let k = list(arg(a, 0)?)?;
            let v = list(arg(a, 1)?)?;
            if k.len() != v.len() {
                return Err("zipmap: lists of different length".into());
            }
            let mut m = Map::new();
            for (kk, vv) in k.iter().zip(v) {
                if yagura_model::iac::is_unknown(kk) {
                    return Ok(None);
                }
                m.insert(s(kk)?, vv);
            }
            Value::Object(m)
        }
        "setunion" => {
            let mut all = Vec::new();
            for x in a {
                all.extend(list(x)?);
            }
            Value::Array(to_set(all))
        }
        "setintersection" => {
            let mut it = a.iter();
            let first = list(it.next().ok_or("setintersection: no arguments")?)?;
            let rest: Result<Vec<Vec<Value>>, String> = it.map(list).collect();
            let rest = rest?;
            Value::Array(to_set(
                first
                    .into_iter()
                    .filter(|x| rest.iter().all(|l| l.iter().any(|y| equal(x, y))))
                    .collect(),
            ))
        }
        "setsubtract" => {
            let l = list(arg(a, 0)?)?;
            let r = list(arg(a, 1)?)?;
            Value::Array(to_set(
                l.into_iter()
                    .filter(|x| !r.iter().any(|y| equal(x, y)))
                    .collect(),
            ))
        }
        "setproduct" => {
            let mut acc: Vec<Vec<Value>> = vec![Vec::new()];
            for x in a {
                let l = list(x)?;
                let mut next = Vec::new();
                for p in &acc {
                    for y in &l {
                        let mut q = p.clone();
                        q.push(y.clone());
                        next.push(q);
                    }
                }
                if next.len() > 10_000 {
                    return Err("setproduct: too large".into());
                }
                acc = next;
            }
            Value::Array(acc.into_iter().map(Value::Array).collect())
        }
        "cidrsubnet" => Value::String(cidrsubnet(&s(arg(a, 0)?)?, n(arg(a, 1)?)?, n(arg(a, 2)?)?)?),
        "cidrsubnets" => {
            // Consecutive allocation, like Terraform: each subnet follows the previous one.
            let p = s(arg(a, 0)?)?;
            let (ip, len) = p.split_once('/').ok_or("cidrsubnets: invalid CIDR")?;
            let base_len: u32 = len.parse().map_err(|_| "cidrsubnets: invalid prefix")?;
            let addr: std::net::Ipv4Addr = ip.parse().map_err(|_| "cidrsubnets: IPv4 only")?;
            let mut cur = u32::from(addr) as u64;
            let mut out = Vec::new();
            for nb in &a[1..] {
                let total = base_len + n(nb)? as u32;
                if total > 32 {
                    return Err("cidrsubnets: not enough space".into());
                }
                let size = 1u64 << (32 - total);
                cur = cur.div_ceil(size) * size;
                out.push(Value::String(format!(
                    "{}/{}",
                    std::net::Ipv4Addr::from(cur as u32),
                    total
                )));
                cur += size;
            }
            Value::Array(out)
        }
        "cidrhost" => {
            let p = s(arg(a, 0)?)?;
            let (ip, len) = p.split_once('/').ok_or("cidrhost: invalid CIDR")?;
            let len: u32 = len.parse().map_err(|_| "cidrhost: invalid prefix")?;
            let addr: std::net::Ipv4Addr = ip.parse().map_err(|_| "cidrhost: IPv4 only")?;
            let mask = if len == 0 { 0 } else { u32::MAX << (32 - len) };
            let h = n(arg(a, 1)?)? as u32;
            Value::String(std::net::Ipv4Addr::from((u32::from(addr) & mask) | h).to_string())
        }
        "base64encode" => {
            Value::String(base64::engine::general_purpose::STANDARD.encode(s(arg(a, 0)?)?))
        }
        "base64decode" => {
            let b = base64::engine::general_purpose::STANDARD
                .decode(s(arg(a, 0)?)?.trim())
                .map_err(|e| format!("base64decode: {e}"))?;
            Value::String(String::from_utf8(b).map_err(|_| "base64decode: not UTF-8")?)
        }
        "file" => match read_file(dirs, &s(arg(a, 0)?)?)? {
            Some(x) => Value::String(x),
            None => return Ok(None),
        },
        "filebase64" => match read_file(dirs, &s(arg(a, 0)?)?)? {
            Some(x) => Value::String(base64::engine::general_purpose::STANDARD.encode(x)),
            None => return Ok(None),
        },
        "fileexists" => match resolve(dirs, &s(arg(a, 0)?)?) {
            Some(p) => Value::Bool(p.is_file()),
            None => return Ok(None),
        },
        "templatefile" => return templatefile(dirs, &s(arg(a, 0)?)?, arg(a, 1)?),
        "one" => match arg(a, 0)? {
            Value::Array(l) if l.is_empty() => Value::Null,
            Value::Array(l) if l.len() == 1 => l[0].clone(),
            Value::Null => Value::Null,
            _ => return Err("one: more than one element".into()),
        },
        "sort" => {
            let l = list(arg(a, 0)?)?;
            let mut ss: Vec<String> = l.iter().map(s).collect::<Result<_, _>>()?;
            ss.sort();
            Value::Array(ss.into_iter().map(Value::String).collect())
        }
        "reverse" => {
            let mut l = list(arg(a, 0)?)?;
            l.reverse();
            Value::Array(l)
        }
        "slice" => {
            let l = list(arg(a, 0)?)?;
            let from = n(arg(a, 1)?)?;
            let to = n(arg(a, 2)?)?;
            if from < 0.0 || to < from || to as usize > l.len() {
                return Err("slice: index out of range".into());
            }
            Value::Array(l[from as usize..to as usize].to_vec())
        }
        "index" => {
            let l = list(arg(a, 0)?)?;
            let x = arg(a, 1)?;
            match l.iter().position(|y| equal(x, y)) {
                Some(i) => Value::from(i as u64),
                None => return Err("index: item not found".into()),
            }
        }
        "chunklist" => {
            let l = list(arg(a, 0)?)?;
            let size = n(arg(a, 1)?)? as usize;
            if size == 0 {
                Value::Array(vec![Value::Array(l)])
            } else {
                Value::Array(l.chunks(size).map(|c| Value::Array(c.to_vec())).collect())
            }
        }
        "transpose" => {
            let m = map(arg(a, 0)?)?;
            let mut out: Map<String, Value> = Map::new();
            for (k, v) in m {
                for x in list(&v)? {
                    let e = out
                        .entry(s(&x)?)
                        .or_insert_with(|| Value::Array(Vec::new()));
                    if let Value::Array(arr) = e {
                        arr.push(Value::String(k.clone()));
                    }
                }
            }
            Value::Object(out)
        }
        "regex" => {
            let re = regex_of(&s(arg(a, 0)?)?)?;
            let t = s(arg(a, 1)?)?;
            match re.captures(&t) {
                Some(c) => regex_match(&re, c),
                None => return Err("regex: no match".into()),
            }
        }
        "regexall" => {
            let re = regex_of(&s(arg(a, 0)?)?)?;
            let t = s(arg(a, 1)?)?;
            Value::Array(re.captures_iter(&t).map(|c| regex_match(&re, c)).collect())
        }
        "urlencode" => {
            let t = s(arg(a, 0)?)?;
            let mut out = String::new();
            for b in t.bytes() {
                if b.is_ascii_alphanumeric() || matches!(b, b'-' | b'_' | b'.' | b'~') {
                    out.push(b as char);
                } else {
                    out.push_str(&format!("%{b:02X}"));
                }
            }
            Value::String(out)
        }
        "sensitive" | "nonsensitive" => arg(a, 0)?.clone(),
        "type" => return Ok(None),
        "sum" => {
            let l = list(arg(a, 0)?)?;
            let mut t = 0.0;
            for x in &l {
                t += n(x)?;
            }
            num(t)
        }
        "alltrue" => Value::Bool(list(arg(a, 0)?)?.iter().all(|x| to_bool(x) == Some(true))),
        "anytrue" => Value::Bool(list(arg(a, 0)?)?.iter().any(|x| to_bool(x) == Some(true))),
        "basename" => Value::String(
            s(arg(a, 0)?)?
                .rsplit('/')
                .next()
                .unwrap_or_default()
                .to_string(),
        ),
        "dirname" => {
            let t = s(arg(a, 0)?)?;
            Value::String(match t.rfind('/') {
                Some(0) => "/".into(),
                Some(i) => t[..i].to_string(),
                None => ".".into(),
            })
        }
        "abspath" | "pathexpand" => Value::String(s(arg(a, 0)?)?),
        "fileset" => match fileset(dirs, &s(arg(a, 0)?)?, &s(arg(a, 1)?)?)? {
            Some(v) => v,
            None => return Ok(None),
        },
        "md5" | "sha1" | "sha256" | "sha512" | "uuid" | "timestamp" | "bcrypt" | "uuidv5"
        | "filemd5" | "filesha256" | "formatdate" | "timeadd" | "base64sha256" => {
            // Hashes and clocks rarely matter to checks; the value stays unknown.
            return Ok(None);
        }
        _ => return Ok(None),
    };
    Ok(Some(v))
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn cidr_functions() {
        assert_eq!(cidrsubnet("10.0.0.0/16", 8.0, 2.0).unwrap(), "10.0.2.0/24");
        assert_eq!(
            cidrsubnet("10.1.2.0/24", 4.0, 15.0).unwrap(),
            "10.1.2.240/28"
        );
        assert!(cidrsubnet("10.0.0.0/30", 8.0, 1.0).is_err());
        let v = call(
            "cidrsubnets",
            &[json!("10.0.0.0/16"), json!(8), json!(8)],
            &[],
        )
        .unwrap()
        .unwrap();
        assert_eq!(v, json!(["10.0.0.0/24", "10.0.1.0/24"]));
    }

    #[test]
    fn format_and_regex() {
        let v = call(
            "format",
            &[json!("%s-%03d %q %%"), json!("a"), json!(7), json!("x")],
            &[],
        )
        .unwrap()
        .unwrap();
        assert_eq!(v, json!("a-007 \"x\" %"));
        let v = call("regex", &[json!("^(\\w+)-(\\d+)$"), json!("web-12")], &[])
            .unwrap()
            .unwrap();
        assert_eq!(v, json!(["web", "12"]));
        let v = call("replace", &[json!("a-b-c"), json!("/-/"), json!("_")], &[])
            .unwrap()
            .unwrap();
        assert_eq!(v, json!("a_b_c"));
    }

    #[test]
    fn unknown_inside_makes_string_functions_unknown() {
        let u = yagura_model::iac::unknown("var.x");
        assert_eq!(
            call("join", &[json!(","), json!(["a", u.clone()])], &[]).unwrap(),
            None
        );
        assert_eq!(
            call("length", &[json!(["a", u])], &[]).unwrap(),
            Some(json!(2))
        );
    }
}
