use crate::{Check, Ctx, Fixtures};
use yagura_model::{Outcome, Resource, Severity};

pub static CHECK: Check = Check {
    code: "GCP-COMPUTE-011",
    title: "VM instance runs as a Shielded VM",
    severity: Severity::Medium,
    kind: "gcp.compute.instance",
    rationale: "Secure Boot, the virtual TPM and integrity monitoring together stop and detect \
        boot-level malware such as rootkits that survive reboots and hide from the OS.",
    remediation: "Enable all three Shielded VM options on a supported image (Terraform: \
        `shielded_instance_config { enable_secure_boot = true enable_vtpm = true \
        enable_integrity_monitoring = true }`).",
    frameworks: &["cis-gcp-3.0:4.8", "nist-800-53-r5:SI-7"],
    eval,
    fixtures: Fixtures {
        pass: &[
            r#"{"shielded_vm": {"secure_boot": true, "vtpm": true, "integrity_monitoring": true}}"#,
        ],
        fail: &[
            r#"{"shielded_vm": {"secure_boot": false, "vtpm": true, "integrity_monitoring": true}}"#,
            r#"{"shielded_vm": null}"#,
        ],
    },
    notes: "",
};

fn eval(r: &Resource, _ctx: &Ctx) -> Outcome {
    match r.attr("shielded_vm").value() {
        Ok(v) if v.is_null() => return Outcome::Fail("the instance is not a Shielded VM".into()),
        Ok(_) => {}
        Err(e) => return e.into(),
    }
    let mut off = Vec::new();
    for (attr, what) in [
        ("shielded_vm.secure_boot", "Secure Boot"),
        ("shielded_vm.vtpm", "vTPM"),
        ("shielded_vm.integrity_monitoring", "integrity monitoring"),
    ] {
        match r.attr(attr).bool() {
            Ok(true) => {}
            Ok(false) => off.push(what),
            Err(e) => return e.into(),
        }
    }
    if off.is_empty() {
        Outcome::Pass("Secure Boot, vTPM and integrity monitoring are enabled".into())
    } else {
        Outcome::Fail(format!("Shielded VM option(s) off: {}", off.join(", ")))
    }
}
