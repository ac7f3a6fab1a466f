//! Joining child resources (network rules, firewall rules, IAM members, audit
//! policies, ...) to the normalized resource they configure.
//!
//! A child names its parent by a reference (`azurerm_storage_account.sa.id`,
//! unknown until apply but carrying the parent's address in `$ref`), by a literal
//! cloud name (`network_security_group_name = "web"`), or by a literal resource id
//! whose last path segment is the name. When the parent cannot be told for sure
//! (the name comes from a variable, a reference into a `count` resource with a
//! computed index), the child is *unsure*: it may apply to any candidate, and the
//! candidates' joined attribute becomes unknown rather than a guess.

use serde_json::Value;
use std::collections::HashSet;
use yagura_model::iac::{is_unknown, unknown, unknown_reason, unknown_ref_address, RawResource};
use yagura_model::Resource;

/// A normalized resource that children may attach to.
pub(crate) struct Parent {
    /// Index into the output list.
    pub idx: usize,
    /// The address without its instance key.
    pub base: String,
    /// The instance key as written in the address (`0`, `"a"`, `*`).
    pub key: Option<String>,
    /// The cloud name when literal, `None` when unknown until apply.
    pub name: Option<String>,
    /// The Azure resource group when literal.
    pub group: Option<String>,
}

impl Parent {
    pub fn new(idx: usize, raw: &RawResource, name_attr: &str, group_attr: Option<&str>) -> Self {
        let (base, key) = split_address(&raw.address);
        let lit = |k: &str| {
            raw.attributes
                .get(k)
                .and_then(Value::as_str)
                .map(str::to_string)
        };
        Parent {
            idx,
            base: base.to_string(),
            key: key.map(str::to_string),
            name: lit(name_attr),
            group: group_attr.and_then(lit),
        }
    }
}

/// The parent resources an adapter built, each with the raw resource it came from.
pub(crate) struct Slots<'a>(Vec<(usize, &'a RawResource)>);

impl<'a> Slots<'a> {
    /// Appends to `out` what `build` makes of each of `raws` (`None` for the types
    /// it does not adapt), remembering where each landed.
    pub fn adapt(
        raws: &[&'a RawResource],
        out: &mut Vec<Resource>,
        build: impl Fn(&RawResource) -> Option<Resource>,
    ) -> Self {
        let mut slots = Vec::new();
        for raw in raws {
            if let Some(r) = build(raw) {
                slots.push((out.len(), *raw));
                out.push(r);
            }
        }
        Slots(slots)
    }

    /// The parents of the Terraform `types`, named by their `name` argument and, with
    /// `group_attr`, grouped by that argument.
    pub fn parents(&self, types: &[&str], group_attr: Option<&str>) -> Vec<Parent> {
        self.0
            .iter()
            .filter(|(_, r)| types.contains(&r.type_name.as_str()))
            .map(|(i, r)| Parent::new(*i, r, "name", group_attr))
            .collect()
    }
}

/// Where a child belongs.
#[derive(Debug, PartialEq, Eq)]
pub(crate) enum Link {
    /// Definitely these parents (one, in practice).
    To(Vec<usize>),
    /// A resource outside this configuration (a data source, an existing resource).
    Outside,
    /// One of these parents, which one is unknown until apply.
    Unsure(Vec<usize>),
}

/// Splits `module.m.type.name["k"]` into (`module.m.type.name`, `"k"`).
pub(crate) fn split_address(addr: &str) -> (&str, Option<&str>) {
    if !addr.ends_with(']') {
        return (addr, None);
    }
    let mut in_str = false;
    let mut escaped = false;
    let mut last_open = None;
    for (i, c) in addr.char_indices() {
        if in_str {
            match c {
                _ if escaped => escaped = false,
                '\\' => escaped = true,
                '"' => in_str = false,
                _ => {}
            }
            continue;
        }
        match c {
            '"' => in_str = true,
            '[' => last_open = Some(i),
            _ => {}
        }
    }
    match last_open {
        Some(i) => (&addr[..i], Some(&addr[i + 1..addr.len() - 1])),
        None => (addr, None),
    }
}

/// Whether an address is a data source (`data.x.y`, `module.m.data.x.y`).
pub(crate) fn is_data_source(addr: &str) -> bool {
    local_part(addr).starts_with("data.")
}

/// The address without its `module.NAME[KEY].` prefixes.
fn local_part(addr: &str) -> &str {
    let mut s = addr;
    while let Some(rest) = s.strip_prefix("module.") {
        // Skip the module name and an optional key, then the dot.
        let mut in_str = false;
        let mut depth = 0;
        let mut end = None;
        for (i, c) in rest.char_indices() {
            if in_str {
                if c == '"' {
                    in_str = false;
                }
                continue;
            }
            match c {
                '"' => in_str = true,
                '[' => depth += 1,
                ']' => depth -= 1,
                '.' if depth == 0 => {
                    end = Some(i);
                    break;
                }
                _ => {}
            }
        }
        match end {
            Some(i) => s = &rest[i + 1..],
            None => return s,
        }
    }
    s
}

/// The instance key a reference expression selects on `base`: `Some(key)` for
/// `x.y[0]`, `x.y["a"]`, `x.y[count.index]` / `x.y[each.key]` (the child's own
/// key); `None` when the index is computed some other way or absent.
fn ref_key(expr: &str, base: &str, child_key: Option<&str>) -> Option<String> {
    let local = local_part(base);
    let at = expr.find(&format!("{local}["))? + local.len() + 1;
    let rest = &expr[at..];
    let close = rest.find(']')?;
    let inner = rest[..close].trim();
    match inner {
        "count.index" | "each.key" => child_key.filter(|k| *k != "*").map(str::to_string),
        _ if inner.parse::<i64>().is_ok() => Some(inner.to_string()),
        _ if inner.starts_with('"') && inner.ends_with('"') && inner.len() >= 2 => {
            Some(inner.to_string())
        }
        _ => None,
    }
}

/// The resource group named in an Azure resource id.
fn group_of_id(id: &str) -> Option<&str> {
    let mut parts = id.split('/');
    while let Some(p) = parts.next() {
        if p.eq_ignore_ascii_case("resourceGroups") {
            return parts.next();
        }
    }
    None
}

/// Finds the parent of `child`: the first written of `attrs` names it (by
/// reference, literal name or literal id); `group_attr` narrows literal names to a
/// resource group when both sides know it.
pub(crate) fn link(
    child: &RawResource,
    attrs: &[&str],
    group_attr: Option<&str>,
    parents: &[Parent],
) -> Link {
    let Some(v) = attrs
        .iter()
        .find_map(|k| child.attributes.get(*k).filter(|v| !v.is_null()))
    else {
        return Link::Outside;
    };
    let all = || parents.iter().map(|p| p.idx).collect::<Vec<_>>();
    if is_unknown(v) {
        let Some(target) = unknown_ref_address(v) else {
            return Link::Unsure(all());
        };
        // The loader names the instance when the index is known (`x.y[1]`).
        let (base, target_key) = split_address(target);
        let cands: Vec<&Parent> = parents.iter().filter(|p| p.base == base).collect();
        if let Some(k) = target_key {
            let hit: Vec<usize> = cands
                .iter()
                .filter(|p| p.key.as_deref() == Some(k))
                .map(|p| p.idx)
                .collect();
            if !hit.is_empty() {
                return Link::To(hit);
            }
            // Instances whose keys are unknown until apply (`x.y[*]`) may be it.
            let star: Vec<usize> = cands
                .iter()
                .filter(|p| p.key.as_deref() == Some("*"))
                .map(|p| p.idx)
                .collect();
            return if star.is_empty() {
                Link::Outside
            } else {
                Link::Unsure(star)
            };
        }
        return match cands.len() {
            0 => Link::Outside,
            1 => Link::To(vec![cands[0].idx]),
            _ => {
                let (_, child_key) = split_address(&child.address);
                let want = ref_key(unknown_reason(v).unwrap_or(""), base, child_key);
                let hit: Vec<usize> = cands
                    .iter()
                    .filter(|p| want.is_some() && p.key == want)
                    .map(|p| p.idx)
                    .collect();
                if hit.len() == 1 {
                    Link::To(hit)
                } else {
                    Link::Unsure(cands.iter().map(|p| p.idx).collect())
                }
            }
        };
    }
    let Some(s) = v.as_str() else {
        return Link::Unsure(all());
    };
    let name = s.rsplit('/').next().unwrap_or(s);
    let group = group_of_id(s).map(str::to_string).or_else(|| {
        group_attr
            .and_then(|g| child.attributes.get(g))
            .and_then(Value::as_str)
            .map(str::to_string)
    });
    let group_ok = |p: &Parent| match (&p.group, &group) {
        (Some(a), Some(b)) => a.eq_ignore_ascii_case(b),
        _ => true,
    };
    let exact: Vec<usize> = parents
        .iter()
        .filter(|p| p.name.as_deref() == Some(name) && group_ok(p))
        .map(|p| p.idx)
        .collect();
    match exact.len() {
        1 => Link::To(exact),
        0 => {
            let maybe: Vec<usize> = parents
                .iter()
                .filter(|p| p.name.is_none())
                .map(|p| p.idx)
                .collect();
            if maybe.is_empty() {
                Link::Outside
            } else {
                Link::Unsure(maybe)
            }
        }
        _ => Link::Unsure(exact),
    }
}

/// Collects what children contribute to single-valued attributes, so parents an
/// unsure child may configure get an unknown marker unless a definite child set it.
#[derive(Default)]
pub(crate) struct Singles {
    definite: HashSet<(usize, &'static str)>,
    unsure: Vec<(usize, &'static str, String)>,
}

impl Singles {
    /// Sets `key` on the linked parents (definite) or records the doubt (unsure).
    pub fn apply(
        &mut self,
        out: &mut [Resource],
        link: &Link,
        key: &'static str,
        child: &RawResource,
        value: impl Fn(&Resource) -> Value,
    ) {
        match link {
            Link::To(ids) => {
                for &i in ids {
                    let v = value(&out[i]);
                    out[i].set(key, v);
                    self.definite.insert((i, key));
                }
            }
            Link::Unsure(ids) => {
                for &i in ids {
                    self.unsure.push((i, key, child.address.clone()));
                }
            }
            Link::Outside => {}
        }
    }

    pub fn finish(self, out: &mut [Resource]) {
        for (i, key, addr) in self.unsure {
            if !self.definite.contains(&(i, key)) {
                out[i].set(key, unsure_marker(&addr));
            }
        }
    }
}

fn unsure_marker(addr: &str) -> Value {
    unknown(format!(
        "{addr}: the resource it applies to is unknown until apply"
    ))
}

/// Appends a child's items to the list attribute `key` of the linked parents; an
/// unsure child appends an unknown marker to every candidate instead.
pub(crate) fn push_items(
    out: &mut [Resource],
    link: &Link,
    key: &str,
    child: &RawResource,
    items: Vec<Value>,
) {
    let (ids, items) = match link {
        Link::To(ids) => (ids, items),
        Link::Unsure(ids) => (ids, vec![unsure_marker(&child.address)]),
        Link::Outside => return,
    };
    for &i in ids {
        if let Value::Object(m) = &mut out[i].attributes {
            let entry = m
                .entry(key.to_string())
                .or_insert_with(|| Value::Array(vec![]));
            // A list that is itself unknown stays unknown.
            if let Value::Array(a) = entry {
                a.extend(items.iter().cloned());
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;
    use yagura_model::iac::unknown_ref;
    use yagura_model::{Location, SourceKind};

    fn raw(ty: &str, addr: &str, attrs: Value) -> RawResource {
        RawResource {
            source: SourceKind::Terraform,
            type_name: ty.into(),
            name: "n".into(),
            address: addr.into(),
            attributes: attrs.as_object().cloned().unwrap_or_default(),
            location: Location::lines("main.tf", 1, 2),
            region: None,
            account: None,
        }
    }

    #[test]
    fn addresses() {
        assert_eq!(split_address("a.b"), ("a.b", None));
        assert_eq!(split_address("a.b[0]"), ("a.b", Some("0")));
        assert_eq!(
            split_address(r#"module.m["x"].a.b["k]["]"#),
            (r#"module.m["x"].a.b"#, Some(r#""k][""#))
        );
        assert!(is_data_source("data.google_iam_policy.p"));
        assert!(is_data_source(r#"module.m["a.b"].data.x.y"#));
        assert!(!is_data_source("module.data.x.y"));
    }

    #[test]
    fn links_by_reference_name_and_index() {
        let p0 = raw(
            "azurerm_storage_account",
            "azurerm_storage_account.sa[0]",
            json!({"name": "one"}),
        );
        let p1 = raw(
            "azurerm_storage_account",
            "azurerm_storage_account.sa[1]",
            json!({"name": "two"}),
        );
        let parents = vec![
            Parent::new(0, &p0, "name", None),
            Parent::new(1, &p1, "name", None),
        ];
        let by_index = raw(
            "azurerm_storage_account_network_rules",
            "azurerm_storage_account_network_rules.r[1]",
            json!({"storage_account_id": unknown_ref("azurerm_storage_account.sa[count.index].id", "azurerm_storage_account.sa")}),
        );
        assert_eq!(
            link(&by_index, &["storage_account_id"], None, &parents),
            Link::To(vec![1])
        );
        let computed = raw(
            "x",
            "x.r[0]",
            json!({"storage_account_id": unknown_ref("azurerm_storage_account.sa[local.i].id", "azurerm_storage_account.sa")}),
        );
        assert_eq!(
            link(&computed, &["storage_account_id"], None, &parents),
            Link::Unsure(vec![0, 1])
        );
        let by_name = raw("x", "x.c", json!({"storage_account_name": "two"}));
        assert_eq!(
            link(
                &by_name,
                &["storage_account_id", "storage_account_name"],
                None,
                &parents
            ),
            Link::To(vec![1])
        );
        let by_id = raw(
            "x",
            "x.c",
            json!({"storage_account_id": "/subscriptions/s/resourceGroups/rg/providers/Microsoft.Storage/storageAccounts/one"}),
        );
        assert_eq!(
            link(&by_id, &["storage_account_id"], None, &parents),
            Link::To(vec![0])
        );
        let other = raw("x", "x.c", json!({"storage_account_name": "elsewhere"}));
        assert_eq!(
            link(&other, &["storage_account_name"], None, &parents),
            Link::Outside
        );
        let var = raw(
            "x",
            "x.c",
            json!({"storage_account_name": unknown("var.sa")}),
        );
        assert_eq!(
            link(&var, &["storage_account_name"], None, &parents),
            Link::Unsure(vec![0, 1])
        );
        let data = raw(
            "x",
            "x.c",
            json!({"storage_account_id": unknown_ref("data.azurerm_storage_account.e.id", "data.azurerm_storage_account.e")}),
        );
        assert_eq!(
            link(&data, &["storage_account_id"], None, &parents),
            Link::Outside
        );
    }
}
