use super::*;
use serde_json::json;

fn lines(r: &Resource) -> (String, u32, u32) {
    let l = r.location.as_ref().unwrap();
    (l.file.clone(), l.start_line.unwrap(), l.end_line.unwrap())
}

#[test]
fn multi_document_yaml_with_line_ranges() {
    let t = "\
apiVersion: v1
kind: Namespace
metadata:
  name: shop
---
# a comment about the account
apiVersion: v1
kind: ServiceAccount
metadata:
  name: web
  namespace: shop
  labels: {app: web, tier: 1}
---
just: a values file
---
apiVersion: v1
kind: Service
metadata: {name: web, namespace: shop}
spec: {type: ClusterIP}
";
    let o = load("k/app.yaml", t);
    assert!(o.issues.is_empty(), "{:?}", o.issues);
    assert_eq!(o.resources.len(), 3);
    let ns = &o.resources[0];
    assert_eq!(ns.kind, "k8s.core.namespace");
    assert_eq!(ns.id, "k8s:k/app.yaml#0:Namespace/_cluster/shop");
    assert_eq!(lines(ns), ("k/app.yaml".into(), 1, 4));
    assert_eq!(ns.source, SourceKind::Kubernetes);
    let sa = &o.resources[1];
    assert_eq!(sa.kind, "k8s.core.service_account");
    assert_eq!(sa.id, "k8s:k/app.yaml#1:ServiceAccount/shop/web");
    assert_eq!(sa.name, "web");
    assert_eq!(lines(sa), ("k/app.yaml".into(), 6, 12));
    assert_eq!(sa.tags.get("app").map(String::as_str), Some("web"));
    assert_eq!(sa.tags.get("tier").map(String::as_str), Some("1"));
    assert!(sa.region.is_none() && sa.account.is_none());
    let svc = &o.resources[2];
    assert_eq!(svc.kind, "k8s.core.service");
    assert_eq!(svc.id, "k8s:k/app.yaml#3:Service/shop/web");
    assert_eq!(lines(svc), ("k/app.yaml".into(), 16, 19));
    // The object is kept verbatim.
    assert_eq!(svc.attributes["spec"], json!({"type": "ClusterIP"}));
    assert_eq!(svc.attributes["apiVersion"], json!("v1"));
}

#[test]
fn list_items_get_their_own_lines_and_ids() {
    let t = "\
apiVersion: v1
kind: List
items:
- apiVersion: rbac.authorization.k8s.io/v1
  kind: ClusterRole
  metadata:
    name: reader
  rules: []
- apiVersion: v1
  kind: ConfigMapList
  items:
  - apiVersion: v1
    kind: ConfigMap
    metadata: {name: c, namespace: x}
- apiVersion: networking.k8s.io/v1
  kind: NetworkPolicy
  metadata: {name: deny, namespace: x}
  spec: {podSelector: {}}
";
    let o = load("list.yaml", t);
    assert!(o.issues.is_empty(), "{:?}", o.issues);
    let ids: Vec<&str> = o.resources.iter().map(|r| r.id.as_str()).collect();
    assert_eq!(
        ids,
        [
            "k8s:list.yaml#0.0:ClusterRole/_cluster/reader",
            "k8s:list.yaml#0.1.0:ConfigMap/x/c",
            "k8s:list.yaml#0.2:NetworkPolicy/x/deny",
        ]
    );
    assert_eq!(o.resources[0].kind, "k8s.rbac.role");
    assert_eq!(lines(&o.resources[0]).1, 4);
    assert_eq!(lines(&o.resources[0]).2, 8);
    // The nested list's items keep the outer item's range.
    assert_eq!(lines(&o.resources[1]).1, 9);
    assert_eq!(lines(&o.resources[1]).2, 14);
    assert_eq!(o.resources[1].kind, "k8s.core.object");
    assert_eq!(o.resources[2].kind, "k8s.network.policy");
    assert_eq!(lines(&o.resources[2]).1, 15);
}

#[test]
fn flow_style_list_falls_back_to_the_document_range() {
    let t = "---\nkind: List\napiVersion: v1\nitems: [{apiVersion: v1, kind: Secret, metadata: {name: s}}]\n";
    let o = load("f.yaml", t);
    assert_eq!(o.resources.len(), 1);
    assert_eq!(lines(&o.resources[0]), ("f.yaml".into(), 2, 4));
    assert_eq!(o.resources[0].id, "k8s:f.yaml#0.0:Secret/_unset/s");
}

#[test]
fn json_documents_and_json_lists() {
    let t = r#"{
  "apiVersion": "v1",
  "kind": "List",
  "items": [
    {
      "apiVersion": "rbac.authorization.k8s.io/v1",
      "kind": "RoleBinding",
      "metadata": {"name": "b", "namespace": "n"}
    },
    {"apiVersion": "networking.k8s.io/v1", "kind": "Ingress", "metadata": {"name": "i"}}
  ]
}"#;
    let o = load("l.json", t);
    assert!(o.issues.is_empty(), "{:?}", o.issues);
    assert_eq!(o.resources.len(), 2);
    assert_eq!(o.resources[0].kind, "k8s.rbac.binding");
    assert_eq!(lines(&o.resources[0]), ("l.json".into(), 5, 9));
    assert_eq!(o.resources[1].kind, "k8s.network.ingress");
    assert_eq!(lines(&o.resources[1]), ("l.json".into(), 10, 10));

    let single = "{\"apiVersion\": \"v1\", \"kind\": \"Pod\", \"metadata\": {\"name\": \"p\"},\n \"spec\": {\"containers\": [{\"name\": \"a\", \"image\": \"x\"}]}}\n";
    let o = load("p.json", single);
    assert_eq!(o.resources.len(), 1);
    assert_eq!(o.resources[0].kind, "k8s.workload");
    assert_eq!(lines(&o.resources[0]), ("p.json".into(), 1, 2));
    assert_eq!(
        o.resources[0].attributes["podTemplate"]["spec"]["containers"][0]["name"],
        json!("a")
    );

    let flow = "{apiVersion: v1, kind: Namespace, metadata: {name: a}}\n";
    let o = load("flow.yaml", flow);
    assert!(o.issues.is_empty(), "{:?}", o.issues);
    assert_eq!(o.resources[0].kind, "k8s.core.namespace");

    let bad = "{\n  \"apiVersion\": \"v1\",\n  \"kind\": \n}";
    let o = load("bad.json", bad);
    assert!(o.resources.is_empty());
    assert_eq!(o.issues.len(), 1);
    assert_eq!(o.issues[0].line, Some(4));
    assert_eq!(o.issues[0].file, "bad.json");
}

#[test]
fn helm_rendered_stream_names_each_template() {
    let t = "\
---
# Source: shop/templates/serviceaccount.yaml
apiVersion: v1
kind: ServiceAccount
metadata:
  name: shop
---
# Source: shop/templates/deployment.yaml
apiVersion: apps/v1
kind: Deployment
metadata:
  name: shop
spec:
  template:
    spec:
      containers:
      - name: app
        image: shop:1.0
";
    let o = load("-", t);
    assert!(o.issues.is_empty(), "{:?}", o.issues);
    assert_eq!(o.resources.len(), 2);
    assert_eq!(
        lines(&o.resources[0]),
        ("-:shop/templates/serviceaccount.yaml".into(), 2, 6)
    );
    assert_eq!(
        lines(&o.resources[1]),
        ("-:shop/templates/deployment.yaml".into(), 8, 18)
    );
    assert_eq!(o.resources[1].id, "k8s:-#1:Deployment/_unset/shop");
}

#[test]
fn a_malformed_document_is_reported_and_the_others_load() {
    let t = "\
apiVersion: v1
kind: ConfigMap
metadata: {name: a}
---
apiVersion: v1
kind: ConfigMap
metadata:
  name: b
   bad: indentation
---
# Source: c/templates/x.yaml
apiVersion: v1
kind: ConfigMap
metadata: {name: c
---
apiVersion: v1
kind: ConfigMap
metadata: {name: d}
";
    let o = load("m.yaml", t);
    let names: Vec<&str> = o.resources.iter().map(|r| r.name.as_str()).collect();
    assert_eq!(names, ["a", "d"]);
    assert_eq!(o.issues.len(), 2, "{:?}", o.issues);
    assert_eq!(o.issues[0].file, "m.yaml");
    assert_eq!(o.issues[0].line, Some(9));
    assert!(o.issues[0].message.starts_with("invalid YAML"));
    assert!(!o.issues[0].message.contains(" at line "));
    assert_eq!(o.issues[1].file, "m.yaml:c/templates/x.yaml");
    let l = o.issues[1].line.unwrap();
    assert!((14..=15).contains(&l), "{l}");
}

fn template_of(yaml: &str) -> Value {
    let o = load("w.yaml", yaml);
    assert!(o.issues.is_empty(), "{:?}", o.issues);
    assert_eq!(o.resources.len(), 1);
    assert_eq!(o.resources[0].kind, "k8s.workload");
    o.resources[0].attributes["podTemplate"].clone()
}

#[test]
fn every_workload_kind_gives_a_pod_template() {
    let spec = "containers: [{name: c, image: i}]";
    let cases = [
        ("v1", "Pod", format!("metadata: {{name: p, annotations: {{a: b}}}}\nspec: {{{spec}}}")),
        ("v1", "ReplicationController", format!("metadata: {{name: p}}\nspec:\n  template:\n    metadata: {{annotations: {{a: b}}}}\n    spec: {{{spec}}}")),
        ("apps/v1", "Deployment", format!("metadata: {{name: p}}\nspec:\n  template:\n    metadata: {{annotations: {{a: b}}}}\n    spec: {{{spec}}}")),
        ("apps/v1", "StatefulSet", format!("metadata: {{name: p}}\nspec:\n  template:\n    metadata: {{annotations: {{a: b}}}}\n    spec: {{{spec}}}")),
        ("apps/v1", "DaemonSet", format!("metadata: {{name: p}}\nspec:\n  template:\n    metadata: {{annotations: {{a: b}}}}\n    spec: {{{spec}}}")),
        ("apps/v1", "ReplicaSet", format!("metadata: {{name: p}}\nspec:\n  template:\n    metadata: {{annotations: {{a: b}}}}\n    spec: {{{spec}}}")),
        ("extensions/v1beta1", "Deployment", format!("metadata: {{name: p}}\nspec:\n  template:\n    metadata: {{annotations: {{a: b}}}}\n    spec: {{{spec}}}")),
        ("batch/v1", "Job", format!("metadata: {{name: p}}\nspec:\n  template:\n    metadata: {{annotations: {{a: b}}}}\n    spec: {{{spec}}}")),
        ("batch/v1", "CronJob", format!("metadata: {{name: p}}\nspec:\n  schedule: '* * * * *'\n  jobTemplate:\n    spec:\n      template:\n        metadata: {{annotations: {{a: b}}}}\n        spec: {{{spec}}}")),
    ];
    for (api, kind, body) in cases {
        let t = template_of(&format!("apiVersion: {api}\nkind: {kind}\n{body}\n"));
        assert_eq!(
            t["spec"]["containers"][0]["name"],
            json!("c"),
            "{kind}: {t}"
        );
        assert_eq!(t["metadata"]["annotations"]["a"], json!("b"), "{kind}: {t}");
    }
}

#[test]
fn a_workload_without_a_pod_spec_has_no_template_spec() {
    let t = template_of(
        "apiVersion: apps/v1\nkind: Deployment\nmetadata: {name: d}\nspec:\n  template: {}\n",
    );
    assert_eq!(t, json!({"metadata": {}}));
    let o = load(
        "w.yaml",
        "apiVersion: apps/v1\nkind: Deployment\nmetadata: {name: d}\n",
    );
    assert!(o.resources[0].attributes.get("podTemplate").is_none());
    let o = load("w.yaml", "apiVersion: v1\nkind: Pod\nmetadata: {name: d}\n");
    assert_eq!(
        o.resources[0].attributes["podTemplate"],
        json!({"metadata": {"name": "d"}})
    );
}

#[test]
fn custom_resources_with_familiar_names_stay_objects() {
    assert_eq!(
        normalized_kind("serving.knative.dev/v1", "Service"),
        "k8s.core.object"
    );
    assert_eq!(
        normalized_kind("batch.volcano.sh/v1alpha1", "Job"),
        "k8s.core.object"
    );
    assert_eq!(normalized_kind("v1", "Secret"), "k8s.core.object");
    assert_eq!(normalized_kind("batch/v1beta1", "CronJob"), "k8s.workload");
    assert_eq!(
        normalized_kind("extensions/v1beta1", "Ingress"),
        "k8s.network.ingress"
    );
}

#[test]
fn annotations_are_kept_for_suppressions() {
    let o = load(
        "a.yaml",
        "apiVersion: v1\nkind: Pod\nmetadata:\n  name: p\n  annotations:\n    yagura.io/ignore: \"K8S-POD-001=reviewed\"\nspec: {containers: []}\n",
    );
    assert_eq!(
        o.resources[0].attributes["metadata"]["annotations"]["yagura.io/ignore"],
        json!("K8S-POD-001=reviewed")
    );
}

#[test]
fn detection() {
    assert!(looks_like_kubernetes("apiVersion: v1\nkind: Pod\n"));
    assert!(looks_like_kubernetes(
        "# Source: x\n---\nkind: Pod\napiVersion: v1\n"
    ));
    assert!(looks_like_kubernetes(
        "{\"apiVersion\": \"v1\", \"kind\": \"List\"}"
    ));
    assert!(!looks_like_kubernetes(
        "AWSTemplateFormatVersion: '2010-09-09'\nResources: {}\n"
    ));
    assert!(!looks_like_kubernetes(
        "apiVersion: v1\nkind: Pod\nmetadata:\n  name: {{ .Release.Name }}\n"
    ));
    assert!(!looks_like_kubernetes(
        "{{- if .Values.x }}\napiVersion: v1\nkind: Pod\n{{- end }}\n"
    ));
    // Rendered output may carry Go templates in data (alerting templates).
    assert!(looks_like_kubernetes(
        "apiVersion: v1\nkind: ConfigMap\ndata:\n  t: |\n    {{ define \"x\" }}{{ .Labels }}{{ end }}\n"
    ));
}

#[test]
fn hostile_input_never_panics() {
    let deep = format!(
        "apiVersion: v1\nkind: ConfigMap\ndata: {}{}\n",
        "[".repeat(5000),
        "]".repeat(5000)
    );
    let o = load("deep.yaml", &deep);
    assert!(o.resources.is_empty());
    assert_eq!(o.issues.len(), 1);
    let deep_json = format!(
        "{{\"apiVersion\": \"v1\", \"kind\": \"X\", \"d\": {}{}}}",
        "[".repeat(5000),
        "]".repeat(5000)
    );
    let o = load("deep.json", &deep_json);
    assert_eq!(o.issues.len(), 1);
    let bomb = "a: &a [x, x, x, x, x, x, x, x, x]\nb: &b [*a, *a, *a, *a, *a, *a, *a, *a, *a]\nc: &c [*b, *b, *b, *b, *b, *b, *b, *b, *b]\nd: &d [*c, *c, *c, *c, *c, *c, *c, *c, *c]\ne: &e [*d, *d, *d, *d, *d, *d, *d, *d, *d]\nf: &f [*e, *e, *e, *e, *e, *e, *e, *e, *e]\ng: &g [*f, *f, *f, *f, *f, *f, *f, *f, *f]\nh: &h [*g, *g, *g, *g, *g, *g, *g, *g, *g]\ni: &i [*h, *h, *h, *h, *h, *h, *h, *h, *h]\napiVersion: v1\nkind: X\n";
    let o = load("bomb.yaml", bomb);
    assert!(o.resources.len() + o.issues.len() == 1);
    for s in [
        "---",
        "--- |\n  x",
        "...",
        "%YAML 1.2\n---\n",
        "\u{feff}",
        "kind: List\napiVersion: v1\nitems: 3\n",
        "- a\n- b\n",
        "{",
        "[1,2",
    ] {
        let _ = load("x", s);
    }
    // A list with non-object items and a list nested too deep.
    let mut nested = String::from("apiVersion: v1\nkind: List\nitems:\n");
    let mut v = json!({"apiVersion": "v1", "kind": "ConfigMap", "metadata": {"name": "leaf"}});
    for _ in 0..10 {
        v = json!({"apiVersion": "v1", "kind": "List", "items": [v, 1, "x"]});
    }
    nested.push_str(&format!("- {}\n", v));
    let o = load("n.yaml", &nested);
    assert!(o.resources.is_empty());
    assert!(o.issues.is_empty());
}

#[test]
fn merge_keys_are_applied() {
    let t = "\
apiVersion: v1
kind: Pod
metadata: {name: p}
spec:
  containers:
  - name: a
    image: i:1
    securityContext: &hardened
      allowPrivilegeEscalation: false
      readOnlyRootFilesystem: true
  - name: b
    image: i:1
    securityContext:
      <<: *hardened
      readOnlyRootFilesystem: false
";
    let o = load("m.yaml", t);
    assert!(o.issues.is_empty(), "{:?}", o.issues);
    let b = &o.resources[0].attributes["podTemplate"]["spec"]["containers"][1]["securityContext"];
    assert_eq!(
        b,
        &json!({"readOnlyRootFilesystem": false, "allowPrivilegeEscalation": false})
    );
    let bad = load("m.yaml", "apiVersion: v1\nkind: Pod\nmetadata:\n  <<: 3\n");
    assert_eq!(bad.issues.len(), 1);
    assert_eq!(bad.issues[0].line, Some(1));
}
