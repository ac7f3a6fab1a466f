use super::pod::Pod;
use crate::{Check, Ctx, Fixtures};
use serde_json::Value;
use yagura_model::{Outcome, Resource, Severity};

/// Host paths whose mount hands over the node: the root, container runtime
/// sockets and state, and the directories that contain them.
const DANGEROUS: &[&str] = &[
    "/",
    "/var/run",
    "/run",
    "/var/run/docker.sock",
    "/run/docker.sock",
    "/var/run/docker",
    "/var/lib/docker",
    "/var/run/containerd",
    "/run/containerd",
    "/var/run/containerd/containerd.sock",
    "/run/containerd/containerd.sock",
    "/var/lib/containerd",
    "/var/run/crio",
    "/run/crio",
    "/var/run/crio/crio.sock",
    "/run/crio/crio.sock",
    "/var/run/cri-dockerd.sock",
    "/var/lib/kubelet",
    "/etc",
    "/etc/kubernetes",
    "/proc",
    "/sys",
    "/dev",
    "/root",
];

pub static CHECK: Check = Check {
    code: "K8S-POD-038",
    title: "Pods do not mount the container runtime socket or critical host paths",
    severity: Severity::Critical,
    kind: "k8s.workload",
    rationale: "Mounting the Docker, containerd or CRI-O socket lets the container start new \
        privileged containers on the node; mounting the host root, /etc, /proc, /dev or the \
        kubelet's directory gives direct access to node credentials and configuration. Either \
        is a full node takeover for whoever controls the container.",
    remediation: "Remove the hostPath volume. Build images with a rootless builder (Kaniko, \
        BuildKit rootless) instead of the node's runtime, and read node data through the \
        Kubernetes API or a vetted, documented agent.",
    frameworks: &[
        "k8s-pss:baseline:hostpath-volumes",
        "cis-kubernetes-1.9:5.2.12",
        "nsa-cisa-k8s-1.2:pod-host-access",
    ],
    eval,
    fixtures: Fixtures {
        pass: &[
            r#"{"podTemplate": {"metadata": {}, "spec": {"containers": [{"name": "app", "image": "r/app:1"}], "volumes": [{"name": "logs", "hostPath": {"path": "/var/log/app"}}]}}}"#,
        ],
        fail: &[
            r#"{"podTemplate": {"metadata": {}, "spec": {"containers": [{"name": "app", "image": "r/app:1"}], "volumes": [{"name": "docker", "hostPath": {"path": "/var/run/docker.sock", "type": "Socket"}}]}}}"#,
            r#"{"podTemplate": {"metadata": {}, "spec": {"containers": [{"name": "app", "image": "r/app:1"}], "volumes": [{"name": "host", "hostPath": {"path": "/etc/"}}]}}}"#,
        ],
    },
    notes: "K8S-POD-005 reports every hostPath volume; this check singles out the ones that \
        amount to a node takeover.",
};

fn normalize(path: &str) -> String {
    let trimmed = path.trim().trim_end_matches('/');
    if trimmed.is_empty() {
        "/".to_string()
    } else {
        trimmed.to_string()
    }
}

fn eval(r: &Resource, _ctx: &Ctx) -> Outcome {
    let pod = match Pod::of(r) {
        Ok(p) => p,
        Err(o) => return o,
    };
    let bad: Vec<String> = pod
        .volumes()
        .iter()
        .filter_map(|v| {
            let path = v.get("hostPath")?.get("path")?.as_str()?;
            let p = normalize(path);
            let name = v.get("name").and_then(Value::as_str).unwrap_or("?");
            DANGEROUS
                .contains(&p.as_str())
                .then(|| format!("volume \"{name}\" mounts host path {p}"))
        })
        .collect();
    if bad.is_empty() {
        Outcome::Pass("no volume mounts a runtime socket or critical host path".into())
    } else {
        Outcome::Fail(bad.join("; "))
    }
}
