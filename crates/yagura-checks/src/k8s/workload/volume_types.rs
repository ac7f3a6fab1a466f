use super::pod::Pod;
use crate::{Check, Ctx, Fixtures};
use serde_json::Value;
use yagura_model::{Outcome, Resource, Severity};

/// The volume sources the restricted profile allows.
const ALLOWED: &[&str] = &[
    "configMap",
    "csi",
    "downwardAPI",
    "emptyDir",
    "ephemeral",
    "persistentVolumeClaim",
    "projected",
    "secret",
];

pub static CHECK: Check = Check {
    code: "K8S-POD-019",
    title: "Pods use only the volume types of the restricted profile",
    severity: Severity::Medium,
    kind: "k8s.workload",
    rationale: "Volume types other than ConfigMaps, Secrets, projected and downward-API data, \
        emptyDir, CSI and persistent volume claims let the pod author reach host paths or \
        storage backends directly (NFS, iSCSI, cloud disks by id), bypassing the storage \
        classes and access controls the cluster administrators set up.",
    remediation: "Replace the volume with a PersistentVolumeClaim backed by a StorageClass or \
        pre-provisioned PersistentVolume, or with one of configMap, secret, projected, \
        downwardAPI, emptyDir, ephemeral or csi.",
    frameworks: &["k8s-pss:restricted:volume-types"],
    eval,
    fixtures: Fixtures {
        pass: &[
            r#"{"podTemplate": {"metadata": {}, "spec": {"containers": [{"name": "app", "image": "r/app:1"}], "volumes": [{"name": "cfg", "configMap": {"name": "c"}}, {"name": "data", "persistentVolumeClaim": {"claimName": "d"}}, {"name": "scratch"}]}}}"#,
        ],
        fail: &[
            r#"{"podTemplate": {"metadata": {}, "spec": {"containers": [{"name": "app", "image": "r/app:1"}], "volumes": [{"name": "share", "nfs": {"server": "10.0.0.1", "path": "/x"}}]}}}"#,
        ],
    },
    notes: "",
};

fn eval(r: &Resource, _ctx: &Ctx) -> Outcome {
    let pod = match Pod::of(r) {
        Ok(p) => p,
        Err(o) => return o,
    };
    let mut bad = Vec::new();
    for v in pod.volumes() {
        let Value::Object(m) = v else { continue };
        let name = m.get("name").and_then(Value::as_str).unwrap_or("?");
        // Every key but `name` is the source; none at all is an emptyDir.
        for (k, val) in m {
            if k != "name" && !val.is_null() && !ALLOWED.contains(&k.as_str()) {
                bad.push(format!("volume \"{name}\" is of type {k}"));
            }
        }
    }
    if bad.is_empty() {
        Outcome::Pass("every volume is of a type the restricted profile allows".into())
    } else {
        Outcome::Fail(bad.join("; "))
    }
}
