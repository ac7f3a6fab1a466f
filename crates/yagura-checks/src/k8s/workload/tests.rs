//! Edge cases of the workload checks beyond their fixtures.

use super::pod::testutil::run;
use super::*;
use crate::{Check, Ctx};
use serde_json::json;
use yagura_model::{Inventory, Outcome, Resource};

fn pass(o: &Outcome) -> bool {
    matches!(o, Outcome::Pass(_))
}
fn fail(o: &Outcome) -> bool {
    matches!(o, Outcome::Fail(_))
}
fn not_assessed(o: &Outcome) -> bool {
    matches!(o, Outcome::NotAssessed(_))
}

#[test]
fn no_pod_spec_is_never_a_verdict() {
    let namespace_checks = ["K8S-POD-032", "K8S-POD-033"];
    for c in CHECKS {
        for doc in [
            r#"{}"#,
            r#"{"kind": "Deployment", "podTemplate": {"metadata": {}}}"#,
            r#"{"kind": "Job", "podTemplate": {"metadata": {}, "spec": null}}"#,
        ] {
            let o = run(c, doc);
            assert!(not_assessed(&o), "{}: {doc} gave {o:?}", c.code);
        }
        if !namespace_checks.contains(&c.code) {
            // A namespace alone is no pod spec either.
            let o = run(c, r#"{"metadata": {"namespace": "shop"}}"#);
            assert!(not_assessed(&o), "{}: gave {o:?}", c.code);
        }
    }
}

#[test]
fn namespace_left_to_apply_time_is_not_assessed() {
    let doc = r#"{"metadata": {"name": "w"}, "podTemplate": {"metadata": {}, "spec": {"containers": [{"name": "a", "image": "i:1"}]}}}"#;
    assert!(not_assessed(&run(&default_namespace::CHECK, doc)));
    assert!(not_assessed(&run(&system_namespace::CHECK, doc)));
}

fn eval_with(
    check: &Check,
    subject: serde_json::Value,
    others: Vec<(&str, serde_json::Value)>,
) -> Outcome {
    let mut r = Resource::new(check.kind, "subject", "subject");
    r.attributes = subject;
    let mut all = vec![r.clone()];
    for (i, (kind, attrs)) in others.into_iter().enumerate() {
        let mut o = Resource::new(kind, format!("other-{i}"), "other");
        o.attributes = attrs;
        all.push(o);
    }
    let inv = Inventory::new(all);
    let ctx = Ctx {
        inventory: &inv,
        now: chrono::Utc::now(),
    };
    check.evaluate(&r, &ctx)
}

#[test]
fn token_automount_looks_up_the_service_account_in_the_same_namespace() {
    let pod = json!({"metadata": {"namespace": "shop"}, "podTemplate": {"metadata": {}, "spec": {
        "serviceAccountName": "web", "containers": [{"name": "a", "image": "i:1"}]}}});
    let sa = |ns: &str| json!({"metadata": {"name": "web", "namespace": ns}, "automountServiceAccountToken": false});
    let c = &automount_token::CHECK;
    assert!(pass(&eval_with(
        c,
        pod.clone(),
        vec![("k8s.core.service_account", sa("shop"))]
    )));
    let other_ns = eval_with(
        c,
        pod.clone(),
        vec![("k8s.core.service_account", sa("other"))],
    );
    assert!(fail(&other_ns), "{other_ns:?}");
    assert!(other_ns.message().contains("not in the scanned manifests"));
    // The pod's own `true` wins over the account's `false`.
    let mut explicit = pod.clone();
    explicit["podTemplate"]["spec"]["automountServiceAccountToken"] = json!(true);
    assert!(fail(&eval_with(
        c,
        explicit,
        vec![("k8s.core.service_account", sa("shop"))]
    )));
}

#[test]
fn pull_policy_follows_the_kubernetes_default() {
    let c = &image_pull_policy::CHECK;
    let doc = |image: &str, policy: Option<&str>| {
        let mut ctr = json!({"name": "a", "image": image});
        if let Some(p) = policy {
            ctr["imagePullPolicy"] = json!(p);
        }
        json!({"podTemplate": {"metadata": {}, "spec": {"containers": [ctr]}}}).to_string()
    };
    assert!(pass(&run(c, &doc("r/app", None))));
    assert!(pass(&run(c, &doc("r/app:latest", None))));
    let o = run(c, &doc("r/app:1", None));
    assert_eq!(
        o,
        Outcome::Fail(
            "container \"a\" pulls image r/app:1 with policy IfNotPresent (default)".into()
        )
    );
    assert!(fail(&run(c, &doc("r/app:latest", Some("IfNotPresent")))));
}

#[test]
fn run_to_completion_workloads_need_no_readiness_probe() {
    let job = r#"{"kind": "Job", "podTemplate": {"metadata": {}, "spec": {"containers": [{"name": "a", "image": "i:1"}]}}}"#;
    assert!(pass(&run(&readiness_probe::CHECK, job)));
    assert!(pass(&run(&liveness_probe::CHECK, job)));
    let pod = job.replace("\"Job\"", "\"Pod\"");
    assert!(fail(&run(&readiness_probe::CHECK, &pod)));
}

#[test]
fn container_overrides_and_names() {
    let doc = r#"{"podTemplate": {"metadata": {}, "spec": {
        "securityContext": {"runAsNonRoot": true},
        "initContainers": [{"name": "init", "image": "i:1", "securityContext": {"runAsNonRoot": false}}],
        "containers": [{"name": "app", "image": "i:1"}],
        "ephemeralContainers": [{"name": "debug", "image": "busybox", "securityContext": {"capabilities": {"add": ["cap_sys_ptrace"]}}}]}}}"#;
    assert_eq!(
        run(&run_as_non_root::CHECK, doc),
        Outcome::Fail("init container \"init\" sets runAsNonRoot: false".into())
    );
    assert_eq!(
        run(&capabilities_baseline::CHECK, doc),
        Outcome::Fail("ephemeral container \"debug\" adds SYS_PTRACE".into())
    );
    let tag = run(&image_tag::CHECK, doc);
    assert_eq!(
        tag,
        Outcome::Fail("ephemeral container \"debug\" uses image busybox without a tag".into())
    );
}

#[test]
fn windows_pods_are_exempt_from_linux_only_controls() {
    let doc = r#"{"podTemplate": {"metadata": {}, "spec": {"os": {"name": "windows"}, "containers": [{"name": "a", "image": "i:1"}]}}}"#;
    for c in [
        &capabilities_restricted::CHECK,
        &privilege_escalation::CHECK,
        &seccomp_restricted::CHECK,
    ] {
        assert!(pass(&run(c, doc)), "{}", c.code);
    }
    // Baseline controls still apply.
    assert!(fail(&run(&net_raw::CHECK, doc)));
}

#[test]
fn privileged_containers_hold_net_raw() {
    let doc = r#"{"podTemplate": {"metadata": {}, "spec": {"containers": [{"name": "a", "image": "i:1", "securityContext": {"privileged": true, "capabilities": {"drop": ["ALL"]}}}]}}}"#;
    assert!(fail(&run(&net_raw::CHECK, doc)));
}

#[test]
fn runtime_socket_paths_are_normalized() {
    let doc = |p: &str| {
        json!({"podTemplate": {"metadata": {}, "spec": {"containers": [{"name": "a", "image": "i:1"}],
            "volumes": [{"name": "v", "hostPath": {"path": p}}]}}})
        .to_string()
    };
    assert!(fail(&run(
        &runtime_socket::CHECK,
        &doc("/run/containerd/containerd.sock")
    )));
    assert!(fail(&run(&runtime_socket::CHECK, &doc("//"))));
    assert!(pass(&run(&runtime_socket::CHECK, &doc("/var/log/pods"))));
    // Every hostPath is still reported by the general check.
    assert!(fail(&run(&host_path::CHECK, &doc("/var/log/pods"))));
}
