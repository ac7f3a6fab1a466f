use super::pod::Pod;
use crate::{Check, Ctx, Fixtures};
use serde_json::Value;
use yagura_model::{Outcome, Resource, Severity};

pub static CHECK: Check = Check {
    code: "K8S-POD-005",
    title: "Pods do not mount hostPath volumes",
    severity: Severity::High,
    kind: "k8s.workload",
    rationale: "A hostPath volume exposes part of the node's file system to the pod. Writable \
        mounts let a container plant files the node will execute or read; even read-only \
        mounts can leak credentials, kubelet keys and other pods' data. It is a common first \
        step from a container to the node.",
    remediation: "Replace the hostPath volume with an emptyDir, a ConfigMap/Secret, a \
        PersistentVolumeClaim or a CSI volume. Node agents that must read host files should \
        mount the narrowest path read-only and be granted a documented exception.",
    frameworks: &[
        "cis-kubernetes-1.9:5.2.12",
        "k8s-pss:baseline:hostpath-volumes",
        "nsa-cisa-k8s-1.2:pod-host-access",
    ],
    eval,
    fixtures: Fixtures {
        pass: &[
            r#"{"podTemplate": {"metadata": {}, "spec": {"containers": [{"name": "app", "image": "r/app:1"}]}}}"#,
            r#"{"podTemplate": {"metadata": {}, "spec": {"containers": [{"name": "app", "image": "r/app:1"}], "volumes": [{"name": "tmp", "emptyDir": {}}]}}}"#,
        ],
        fail: &[
            r#"{"podTemplate": {"metadata": {}, "spec": {"containers": [{"name": "app", "image": "r/app:1"}], "volumes": [{"name": "logs", "hostPath": {"path": "/var/log"}}]}}}"#,
        ],
    },
    notes: "",
};

fn eval(r: &Resource, _ctx: &Ctx) -> Outcome {
    let pod = match Pod::of(r) {
        Ok(p) => p,
        Err(o) => return o,
    };
    let mounts: Vec<String> = pod
        .volumes()
        .iter()
        .filter_map(|v| {
            let hp = v.get("hostPath")?;
            if hp.is_null() {
                return None;
            }
            let name = v.get("name").and_then(Value::as_str).unwrap_or("?");
            let path = hp.get("path").and_then(Value::as_str).unwrap_or("?");
            Some(format!("volume \"{name}\" mounts host path {path}"))
        })
        .collect();
    if mounts.is_empty() {
        Outcome::Pass("the pod has no hostPath volumes".into())
    } else {
        Outcome::Fail(mounts.join("; "))
    }
}
