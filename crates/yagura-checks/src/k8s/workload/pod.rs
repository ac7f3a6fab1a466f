//! Reading the normalized pod template of a `k8s.workload`: its containers of
//! every sort, and security settings with the pod-level defaults applied.
//!
//! In a manifest an absent field is the Kubernetes default, so these helpers
//! read absence as "unset". Only a missing `podTemplate.spec` is not observed.

use serde_json::{Map, Value};
use yagura_model::{Outcome, Resource};

/// Fields of a container's `securityContext` that fall back to the pod's.
const INHERITED: &[&str] = &[
    "runAsUser",
    "runAsGroup",
    "runAsNonRoot",
    "seLinuxOptions",
    "seccompProfile",
    "appArmorProfile",
    "windowsOptions",
];

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Role {
    Init,
    App,
    Ephemeral,
}

pub(crate) struct Container<'a> {
    pub role: Role,
    pub name: &'a str,
    pub body: &'a Map<String, Value>,
}

impl<'a> Container<'a> {
    /// How the container is named in messages: `container "web"`.
    pub fn label(&self) -> String {
        let sort = match self.role {
            Role::Init => "init container",
            Role::App => "container",
            Role::Ephemeral => "ephemeral container",
        };
        format!("{sort} \"{}\"", self.name)
    }

    /// A field of the container by dotted path.
    pub fn get(&self, path: &str) -> Option<&'a Value> {
        dig(self.body, path)
    }

    /// A field of the container's own `securityContext`.
    pub fn sc(&self, key: &str) -> Option<&'a Value> {
        self.get("securityContext")
            .and_then(Value::as_object)
            .and_then(|m| m.get(key))
            .filter(|v| !v.is_null())
    }

    pub fn image(&self) -> Option<&'a str> {
        self.get("image").and_then(Value::as_str)
    }
}

pub(crate) struct Pod<'a> {
    /// The pod spec.
    pub spec: &'a Map<String, Value>,
    /// The pod template's metadata (the pod's own for a Pod).
    pub meta: Option<&'a Map<String, Value>>,
}

fn dig<'a>(root: &'a Map<String, Value>, path: &str) -> Option<&'a Value> {
    let mut parts = path.split('.');
    let mut cur = root.get(parts.next()?)?;
    for p in parts {
        cur = cur.as_object()?.get(p)?;
    }
    Some(cur)
}

/// Kubernetes reads manifests as YAML 1.1, where an unquoted `yes`/`on` is a
/// boolean; the loader keeps them as the YAML 1.2 strings they parse to.
fn yaml11_bool(s: &str) -> Option<bool> {
    match s {
        "true" | "True" | "TRUE" | "yes" | "Yes" | "YES" | "y" | "Y" | "on" | "On" | "ON" => {
            Some(true)
        }
        "false" | "False" | "FALSE" | "no" | "No" | "NO" | "n" | "N" | "off" | "Off" | "OFF" => {
            Some(false)
        }
        _ => None,
    }
}

/// `true` for a JSON `true` or a YAML 1.1 spelling of it.
pub(crate) fn is_true(v: Option<&Value>) -> bool {
    match v {
        Some(Value::Bool(b)) => *b,
        Some(Value::String(s)) => yaml11_bool(s) == Some(true),
        _ => false,
    }
}

pub(crate) fn is_false(v: Option<&Value>) -> bool {
    match v {
        Some(Value::Bool(b)) => !*b,
        Some(Value::String(s)) => yaml11_bool(s) == Some(false),
        _ => false,
    }
}

/// An integer field (numbers or numeric strings).
pub(crate) fn int(v: Option<&Value>) -> Option<i64> {
    match v? {
        Value::Number(n) => n.as_i64(),
        Value::String(s) => s.trim().parse().ok(),
        _ => None,
    }
}

/// The items of a list field; anything else is no items.
pub(crate) fn list(v: Option<&Value>) -> &[Value] {
    match v {
        Some(Value::Array(a)) => a.as_slice(),
        _ => &[],
    }
}

impl<'a> Pod<'a> {
    /// The pod template of `r`, or NOT_ASSESSED when the resource carries no pod spec.
    pub fn of(r: &'a Resource) -> Result<Pod<'a>, Outcome> {
        let spec = match r.attr("podTemplate.spec").value() {
            Ok(Value::Object(m)) => m,
            Ok(_) => {
                return Err(Outcome::NotAssessed(
                    "the workload's pod template has no spec".into(),
                ))
            }
            Err(e) => return Err(e.into()),
        };
        let meta = r
            .attributes
            .get("podTemplate")
            .and_then(|t| t.get("metadata"))
            .and_then(Value::as_object);
        Ok(Pod { spec, meta })
    }

    pub fn get(&self, path: &str) -> Option<&'a Value> {
        dig(self.spec, path)
    }

    /// A field of the pod-level `securityContext`.
    pub fn sc(&self, key: &str) -> Option<&'a Value> {
        self.get("securityContext")
            .and_then(Value::as_object)
            .and_then(|m| m.get(key))
            .filter(|v| !v.is_null())
    }

    /// A container's effective security setting: its own, else the pod's for the
    /// fields Kubernetes inherits.
    pub fn effective(&self, c: &Container<'a>, key: &str) -> Option<&'a Value> {
        c.sc(key).or_else(|| {
            if INHERITED.contains(&key) {
                self.sc(key)
            } else {
                None
            }
        })
    }

    /// Init, regular and ephemeral containers, in that order.
    pub fn containers(&self) -> Vec<Container<'a>> {
        let mut out = Vec::new();
        for (field, role) in [
            ("initContainers", Role::Init),
            ("containers", Role::App),
            ("ephemeralContainers", Role::Ephemeral),
        ] {
            for c in list(self.spec.get(field)) {
                if let Value::Object(body) = c {
                    let name = body.get("name").and_then(Value::as_str).unwrap_or("?");
                    out.push(Container { role, name, body });
                }
            }
        }
        out
    }

    pub fn annotations(&self) -> impl Iterator<Item = (&'a String, &'a Value)> {
        self.meta
            .and_then(|m| m.get("annotations"))
            .and_then(Value::as_object)
            .into_iter()
            .flat_map(|m| m.iter())
    }

    /// Pods declared to run on Windows, which the restricted profile exempts
    /// from its Linux-only controls.
    pub fn is_windows(&self) -> bool {
        self.get("os.name").and_then(Value::as_str) == Some("windows")
    }

    pub fn volumes(&self) -> &'a [Value] {
        list(self.spec.get("volumes"))
    }
}

/// The verdict of a per-container rule: `problem` says what is wrong with one
/// container (or `None`). FAIL names every offending container; a pod without
/// containers is NOT_ASSESSED rather than a vacuous PASS.
pub(crate) fn each_container(
    r: &Resource,
    roles: &[Role],
    pass: &str,
    problem: impl Fn(&Pod, &Container) -> Option<String>,
) -> Outcome {
    let pod = match Pod::of(r) {
        Ok(p) => p,
        Err(o) => return o,
    };
    let containers: Vec<Container> = pod
        .containers()
        .into_iter()
        .filter(|c| roles.contains(&c.role))
        .collect();
    if containers.is_empty() {
        return Outcome::NotAssessed("the pod spec lists no containers to check".into());
    }
    let problems: Vec<String> = containers
        .iter()
        .filter_map(|c| problem(&pod, c).map(|p| format!("{} {p}", c.label())))
        .collect();
    if problems.is_empty() {
        Outcome::Pass(pass.to_string())
    } else {
        Outcome::Fail(problems.join("; "))
    }
}

/// Every sort of container.
pub(crate) const ALL: &[Role] = &[Role::Init, Role::App, Role::Ephemeral];
/// Containers that run with the pod's lifetime and resources (no ephemeral ones).
pub(crate) const RUNNING: &[Role] = &[Role::Init, Role::App];

/// A pod-level boolean that must not be `true` (absent is the default `false`).
pub(crate) fn pod_flag_off(r: &Resource, field: &str, what: &str) -> Outcome {
    let pod = match Pod::of(r) {
        Ok(p) => p,
        Err(o) => return o,
    };
    if is_true(pod.get(field)) {
        Outcome::Fail(format!("the pod sets {field}: true and {what}"))
    } else {
        Outcome::Pass(format!("{field} is not enabled"))
    }
}

/// Every regular container must declare the probe `field`; `what` names it in
/// messages ("liveness probe"). Run-to-completion workloads (Job, CronJob) pass:
/// they serve no traffic and are not restarted on a hang.
pub(crate) fn app_probe_declared(r: &Resource, field: &str, what: &str) -> Outcome {
    let kind = r.attributes.get("kind").and_then(Value::as_str);
    if matches!(kind, Some("Job" | "CronJob")) && Pod::of(r).is_ok() {
        return Outcome::Pass(format!(
            "a {} runs to completion; no {what} is needed",
            kind.unwrap_or("Job")
        ));
    }
    each_container(
        r,
        &[Role::App],
        &format!("every container declares a {what}"),
        |_, c| {
            let set = c.get(field).is_some_and(|v| !v.is_null());
            (!set).then(|| format!("has no {what}"))
        },
    )
}

/// Every running container must set `resources.limits.<resource>` to a non-empty
/// value; `what` names the limit in messages ("CPU limit").
pub(crate) fn limit_set(r: &Resource, resource: &str, what: &str) -> Outcome {
    let path = format!("resources.limits.{resource}");
    each_container(
        r,
        RUNNING,
        &format!("every container has a {what}"),
        |_, c| {
            let set = c
                .get(&path)
                .is_some_and(|v| !v.is_null() && v.as_str() != Some(""));
            (!set).then(|| format!("has no {what}"))
        },
    )
}

/// Whether a `seccompProfile` / `appArmorProfile` object has type Unconfined.
fn unconfined(profile: Option<&Value>) -> bool {
    profile
        .and_then(|p| p.get("type"))
        .and_then(Value::as_str)
        .is_some_and(|t| t.eq_ignore_ascii_case("Unconfined"))
}

/// FAIL when the pod or a container sets `securityContext.<key>` of type
/// Unconfined, or when `annotation` objects to one of the pod's annotations (the
/// legacy way of choosing a profile); PASS with `pass` otherwise.
pub(crate) fn profile_not_unconfined(
    r: &Resource,
    key: &str,
    annotation: impl Fn(&str, &Value) -> Option<String>,
    pass: &str,
) -> Outcome {
    let pod = match Pod::of(r) {
        Ok(p) => p,
        Err(o) => return o,
    };
    let mut bad = Vec::new();
    if unconfined(pod.sc(key)) {
        bad.push(format!("the pod sets {key} Unconfined"));
    }
    for c in pod.containers() {
        if unconfined(c.sc(key)) {
            bad.push(format!("{} sets {key} Unconfined", c.label()));
        }
    }
    bad.extend(pod.annotations().filter_map(|(k, v)| annotation(k, v)));
    if bad.is_empty() {
        Outcome::Pass(pass.to_string())
    } else {
        Outcome::Fail(bad.join("; "))
    }
}

/// Capability names as written (`NET_RAW`, `CAP_NET_RAW`, `net_raw`), normalized.
pub(crate) fn capability_names(v: Option<&Value>) -> Vec<String> {
    list(v)
        .iter()
        .filter_map(Value::as_str)
        .map(|s| {
            let u = s.trim().to_ascii_uppercase();
            u.strip_prefix("CAP_").map(str::to_string).unwrap_or(u)
        })
        .collect()
}

/// The namespace written in the object's own metadata, or NOT_ASSESSED when the
/// manifest leaves it to apply time.
pub(crate) fn namespace(r: &Resource) -> Result<&str, Outcome> {
    match r.attr("metadata.namespace").str() {
        Ok(Some(ns)) if !ns.is_empty() => Ok(ns),
        _ => Err(Outcome::NotAssessed(
            "the manifest sets no namespace; it is chosen when the manifest is applied".into(),
        )),
    }
}

/// The image reference split into (name, tag, digest).
pub(crate) fn image_parts(image: &str) -> (&str, Option<&str>, Option<&str>) {
    let (rest, digest) = match image.split_once('@') {
        Some((r, d)) => (r, Some(d)),
        None => (image, None),
    };
    // A ':' after the last '/' separates the tag; one before it is a registry port.
    let slash = rest.rfind('/').map(|p| p + 1).unwrap_or(0);
    match rest[slash..].rfind(':') {
        Some(p) => (&rest[..slash + p], Some(&rest[slash + p + 1..]), digest),
        None => (rest, None, digest),
    }
}

#[cfg(test)]
pub(crate) mod testutil {
    use crate::{Check, Ctx};
    use yagura_model::{Inventory, Outcome, Resource};

    /// Evaluates `check` on a workload whose attributes are `json`.
    pub fn run(check: &Check, json: &str) -> Outcome {
        let mut r = Resource::new(check.kind, "w", "w");
        r.attributes = serde_json::from_str(json).unwrap();
        let inv = Inventory::new(vec![r.clone()]);
        let ctx = Ctx {
            inventory: &inv,
            now: chrono::Utc::now(),
        };
        check.evaluate(&r, &ctx)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn image_references() {
        assert_eq!(image_parts("nginx"), ("nginx", None, None));
        assert_eq!(image_parts("nginx:1.25"), ("nginx", Some("1.25"), None));
        assert_eq!(
            image_parts("reg:5000/team/app"),
            ("reg:5000/team/app", None, None)
        );
        assert_eq!(
            image_parts("reg:5000/app:v1@sha256:ab"),
            ("reg:5000/app", Some("v1"), Some("sha256:ab"))
        );
    }

    #[test]
    fn containers_inherit_pod_security_settings() {
        let mut r = Resource::new("k8s.workload", "w", "w");
        r.attributes = json!({"podTemplate": {"spec": {
            "securityContext": {"runAsNonRoot": true, "runAsUser": 1000},
            "initContainers": [{"name": "i", "securityContext": {"runAsNonRoot": false}}],
            "containers": [{"name": "a", "securityContext": {"readOnlyRootFilesystem": true}}],
            "ephemeralContainers": [{"name": "e"}]
        }}});
        let pod = Pod::of(&r).unwrap();
        let cs = pod.containers();
        let names: Vec<String> = cs.iter().map(Container::label).collect();
        assert_eq!(
            names,
            [
                "init container \"i\"",
                "container \"a\"",
                "ephemeral container \"e\""
            ]
        );
        assert!(is_false(pod.effective(&cs[0], "runAsNonRoot")));
        assert!(is_true(pod.effective(&cs[1], "runAsNonRoot")));
        assert_eq!(int(pod.effective(&cs[2], "runAsUser")), Some(1000));
        // Not inherited: the pod has no such field anyway, and the name is not in INHERITED.
        assert!(pod.effective(&cs[2], "readOnlyRootFilesystem").is_none());
    }

    #[test]
    fn yaml_1_1_booleans() {
        assert!(is_true(Some(&json!("on"))) && is_true(Some(&json!(true))));
        assert!(is_false(Some(&json!("No"))) && !is_false(None));
        assert!(!is_true(Some(&json!("maybe"))));
    }

    #[test]
    fn no_spec_is_not_assessed() {
        let r = Resource::new("k8s.workload", "w", "w");
        assert!(matches!(Pod::of(&r), Err(Outcome::NotAssessed(_))));
        let mut r = Resource::new("k8s.workload", "w", "w");
        r.attributes = json!({"podTemplate": {"metadata": {}, "spec": {}}});
        assert!(matches!(
            each_container(&r, ALL, "ok", |_, _| None),
            Outcome::NotAssessed(_)
        ));
    }
}
