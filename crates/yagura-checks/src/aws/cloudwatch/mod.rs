mod cloudtrail_changes;
mod config_changes;
mod console_auth_failures;
mod console_signin_without_mfa;
mod iam_policy_changes;
mod kms_key_disable_deletion;
mod monitoring;
mod nacl_changes;
mod network_gateway_changes;
mod organizations_changes;
mod pattern;
mod root_usage;
mod route_table_changes;
mod s3_bucket_policy_changes;
mod security_group_changes;
mod unauthorized_api_calls;
mod vpc_changes;

pub(crate) static CHECKS: &[&crate::Check] = &[
    &unauthorized_api_calls::CHECK,
    &console_signin_without_mfa::CHECK,
    &root_usage::CHECK,
    &iam_policy_changes::CHECK,
    &cloudtrail_changes::CHECK,
    &console_auth_failures::CHECK,
    &kms_key_disable_deletion::CHECK,
    &s3_bucket_policy_changes::CHECK,
    &config_changes::CHECK,
    &security_group_changes::CHECK,
    &nacl_changes::CHECK,
    &network_gateway_changes::CHECK,
    &route_table_changes::CHECK,
    &vpc_changes::CHECK,
    &organizations_changes::CHECK,
];

#[cfg(test)]
mod tests {
    use super::monitoring::{samples, Spec};

    fn specs() -> Vec<&'static Spec> {
        vec![
            &super::unauthorized_api_calls::SPEC,
            &super::console_signin_without_mfa::SPEC,
            &super::root_usage::SPEC,
            &super::iam_policy_changes::SPEC,
            &super::cloudtrail_changes::SPEC,
            &super::console_auth_failures::SPEC,
            &super::kms_key_disable_deletion::SPEC,
            &super::s3_bucket_policy_changes::SPEC,
            &super::config_changes::SPEC,
            &super::security_group_changes::SPEC,
            &super::nacl_changes::SPEC,
            &super::network_gateway_changes::SPEC,
            &super::route_table_changes::SPEC,
            &super::vpc_changes::SPEC,
            &super::organizations_changes::SPEC,
        ]
    }

    #[test]
    fn every_sample_event_is_valid_json_and_specs_have_both_sides() {
        for spec in specs() {
            let (yes, no) = samples(spec);
            assert!(!yes.is_empty(), "{}: nothing to match", spec.topic);
            assert!(
                !no.is_empty(),
                "{}: nothing that must stay unmatched",
                spec.topic
            );
            for s in spec.matched.iter().chain(spec.unmatched) {
                let v: serde_json::Value = serde_json::from_str(s.event).unwrap();
                assert!(
                    v.is_object(),
                    "{}: sample {} is not an object",
                    spec.topic,
                    s.what
                );
            }
        }
    }
}
