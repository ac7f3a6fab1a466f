use crate::{Check, Ctx, Fixtures};
use yagura_model::{Outcome, Resource, Severity};

pub static CHECK: Check = Check {
    code: "AZURE-KEYVAULT-006",
    title: "Key Vault secret has an expiration date",
    severity: Severity::Low,
    kind: "azure.keyvault.secret",
    rationale: "Secrets without an expiry tend to live forever; an expiration date forces the \
        credential to be rotated and limits how long a leaked copy works.",
    remediation: "Set an expiration date on the secret (Terraform: `expiration_date`) and \
        rotate it before that date.",
    frameworks: &[
        "cis-azure-2.1:8.3",
        "cis-azure-2.1:8.4",
        "nist-800-53-r5:IA-5",
    ],
    eval,
    fixtures: Fixtures {
        pass: &[r#"{"expiration_date": "2027-01-01T00:00:00Z"}"#],
        fail: &[r#"{"expiration_date": null}"#],
    },
    notes: "",
};

fn eval(r: &Resource, _ctx: &Ctx) -> Outcome {
    match r.attr("expiration_date").str() {
        Ok(Some(d)) => Outcome::Pass(format!("the secret expires on {d}")),
        Ok(None) => Outcome::Fail("the secret has no expiration date".into()),
        Err(e) => e.into(),
    }
}
