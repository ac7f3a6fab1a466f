//! CloudTrail trails, listed once in their home region, with logging status and
//! event selectors (basic and advanced).

use super::per_item;
use crate::ctx::{Part, Rc};
use crate::util::{opt_str, opt_time};
use aws_sdk_cloudtrail::types::{AdvancedEventSelector, EventSelector, ReadWriteType, Trail};
use serde_json::json;

/// Which event types a trail logs: `(read, write)` for management events and for
/// data events on all S3 buckets.
#[derive(Debug, Default, Clone, Copy, PartialEq, Eq)]
pub(crate) struct Coverage {
    pub mgmt_read: bool,
    pub mgmt_write: bool,
    pub s3_read: bool,
    pub s3_write: bool,
}

fn rw(t: Option<&ReadWriteType>) -> (bool, bool) {
    match t {
        Some(ReadWriteType::ReadOnly) => (true, false),
        Some(ReadWriteType::WriteOnly) => (false, true),
        // `All` is the default when the field is omitted.
        _ => (true, true),
    }
}

/// Whether a data-resource value selects every bucket (`arn:aws:s3` or `arn:aws:s3:::`).
fn all_buckets(value: &str, partition: &str) -> bool {
    let base = format!("arn:{partition}:s3");
    value == base || value == format!("{base}:::")
}

pub(crate) fn coverage(
    basic: &[EventSelector],
    advanced: &[AdvancedEventSelector],
    partition: &str,
) -> Coverage {
    let mut c = Coverage::default();
    for s in basic {
        let (r, w) = rw(s.read_write_type());
        if s.include_management_events().unwrap_or(true) {
            c.mgmt_read |= r;
            c.mgmt_write |= w;
        }
        let s3_all = s.data_resources().iter().any(|d| {
            d.r#type() == Some("AWS::S3::Object")
                && d.values().iter().any(|v| all_buckets(v, partition))
        });
        if s3_all {
            c.s3_read |= r;
            c.s3_write |= w;
        }
    }
    for s in advanced {
        let mut category = None;
        let mut read_only: Option<bool> = None;
        let mut s3_object = false;
        let mut narrowed = false;
        for f in s.field_selectors() {
            let eq = f.equals();
            match f.field() {
                "eventCategory" => category = eq.first().map(String::as_str),
                "readOnly" => read_only = eq.first().map(|v| v == "true"),
                "resources.type" => s3_object = eq.iter().any(|t| t == "AWS::S3::Object"),
                "resources.ARN" => {
                    // Only a prefix that matches every bucket keeps "all buckets".
                    let all = f.equals().is_empty()
                        && f.not_equals().is_empty()
                        && f.ends_with().is_empty()
                        && f.not_starts_with().is_empty()
                        && f.not_ends_with().is_empty()
                        && !f.starts_with().is_empty()
                        && f.starts_with().iter().all(|v| all_buckets(v, partition));
                    narrowed |= !all;
                }
                // Management events: excluding high-volume event sources still logs
                // management events; for data events any other filter narrows them.
                "eventSource" => {}
                _ => narrowed = true,
            }
        }
        let (r, w) = match read_only {
            Some(true) => (true, false),
            Some(false) => (false, true),
            None => (true, true),
        };
        match category {
            Some("Management") => {
                c.mgmt_read |= r;
                c.mgmt_write |= w;
            }
            Some("Data") if s3_object && !narrowed => {
                let source_ok = s
                    .field_selectors()
                    .iter()
                    .filter(|f| f.field() == "eventSource")
                    .all(|f| {
                        f.equals().iter().all(|v| v == "s3.amazonaws.com")
                            && f.not_equals().is_empty()
                    });
                if source_ok {
                    c.s3_read |= r;
                    c.s3_write |= w;
                }
            }
            _ => {}
        }
    }
    c
}

pub(crate) async fn collect(rc: &Rc<'_>) -> Part {
    let ct = rc.cloudtrail();
    let trails = rc
        .call(
            "cloudtrail",
            "DescribeTrails",
            ct.describe_trails().include_shadow_trails(false).send(),
        )
        .await
        .map(|o| {
            // A trail is reported once, in its home region.
            o.trail_list
                .unwrap_or_default()
                .into_iter()
                .filter(|t| t.home_region().is_none_or(|h| h == rc.region))
        });
    per_item(rc, "cloudtrail", trails, |t| trail(rc, &ct, t)).await
}

async fn trail(rc: &Rc<'_>, ct: &aws_sdk_cloudtrail::Client, t: Trail) -> Part {
    let mut part = Part::default();
    let (Some(arn), Some(name)) = (t.trail_arn(), t.name()) else {
        return part;
    };
    let mut r = rc.resource("aws.cloudtrail.trail", arn, name);
    r.set("trail_name", json!(name));
    r.set("home_region", json!(t.home_region().unwrap_or(&rc.region)));
    r.set(
        "is_multi_region",
        json!(t.is_multi_region_trail().unwrap_or(false)),
    );
    r.set(
        "is_organization_trail",
        json!(t.is_organization_trail().unwrap_or(false)),
    );
    r.set(
        "log_file_validation",
        json!(t.log_file_validation_enabled().unwrap_or(false)),
    );
    r.set("kms_key_id", opt_str(t.kms_key_id()));
    r.set("s3_bucket", opt_str(t.s3_bucket_name()));
    r.set(
        "cloudwatch_log_group_arn",
        opt_str(t.cloud_watch_logs_log_group_arn()),
    );
    let (status, selectors) = tokio::join!(
        rc.call(
            "cloudtrail",
            "GetTrailStatus",
            ct.get_trail_status().name(arn).send()
        ),
        rc.call(
            "cloudtrail",
            "GetEventSelectors",
            ct.get_event_selectors().trail_name(arn).send()
        ),
    );
    match status {
        Ok(s) => {
            r.set("is_logging", json!(s.is_logging().unwrap_or(false)));
            r.set(
                "latest_cloudwatch_delivery",
                opt_time(s.latest_cloud_watch_logs_delivery_time()),
            );
        }
        Err(e) => part.attr_failed(arn, "is_logging, latest_cloudwatch_delivery", &e),
    }
    match selectors {
        Ok(s) => {
            let c = coverage(
                s.event_selectors(),
                s.advanced_event_selectors(),
                &rc.scope.partition,
            );
            r.set(
                "management_events",
                json!({"read": c.mgmt_read, "write": c.mgmt_write}),
            );
            r.set(
                "s3_data_events",
                json!({"read": c.s3_read, "write": c.s3_write}),
            );
        }
        Err(e) => part.attr_failed(arn, "management_events, s3_data_events", &e),
    }
    part.resources.push(r);
    part
}

#[cfg(test)]
mod tests {
    use super::*;
    use aws_sdk_cloudtrail::types::{AdvancedFieldSelector, DataResource};

    fn field(name: &str, equals: &[&str], starts: &[&str]) -> AdvancedFieldSelector {
        let mut b = AdvancedFieldSelector::builder().field(name);
        for e in equals {
            b = b.equals(*e);
        }
        for s in starts {
            b = b.starts_with(*s);
        }
        b.build().unwrap()
    }

    fn adv(fields: Vec<AdvancedFieldSelector>) -> AdvancedEventSelector {
        AdvancedEventSelector::builder()
            .set_field_selectors(Some(fields))
            .build()
            .unwrap()
    }

    #[test]
    fn basic_selectors() {
        let s = EventSelector::builder()
            .read_write_type(ReadWriteType::All)
            .include_management_events(true)
            .data_resources(
                DataResource::builder()
                    .r#type("AWS::S3::Object")
                    .values("arn:aws:s3")
                    .build(),
            )
            .build();
        let c = coverage(&[s], &[], "aws");
        assert_eq!(
            c,
            Coverage {
                mgmt_read: true,
                mgmt_write: true,
                s3_read: true,
                s3_write: true
            }
        );

        let w = EventSelector::builder()
            .read_write_type(ReadWriteType::WriteOnly)
            .include_management_events(true)
            .data_resources(
                DataResource::builder()
                    .r#type("AWS::S3::Object")
                    .values("arn:aws:s3:::one-bucket/")
                    .build(),
            )
            .build();
        let c = coverage(&[w], &[], "aws");
        assert_eq!(
            c,
            Coverage {
                mgmt_read: false,
                mgmt_write: true,
                s3_read: false,
                s3_write: false
            }
        );
    }

    #[test]
    fn advanced_selectors() {
        let mgmt = adv(vec![field("eventCategory", &["Management"], &[])]);
        let s3_read = adv(vec![
            field("eventCategory", &["Data"], &[]),
            field("resources.type", &["AWS::S3::Object"], &[]),
            field("readOnly", &["true"], &[]),
        ]);
        let c = coverage(&[], &[mgmt, s3_read], "aws");
        assert_eq!(
            c,
            Coverage {
                mgmt_read: true,
                mgmt_write: true,
                s3_read: true,
                s3_write: false
            }
        );

        let one_bucket = adv(vec![
            field("eventCategory", &["Data"], &[]),
            field("resources.type", &["AWS::S3::Object"], &[]),
            field("resources.ARN", &[], &["arn:aws:s3:::bucket-a/"]),
        ]);
        let all_prefix = adv(vec![
            field("eventCategory", &["Data"], &[]),
            field("resources.type", &["AWS::S3::Object"], &[]),
            field("resources.ARN", &[], &["arn:aws:s3:::"]),
            field("readOnly", &["false"], &[]),
        ]);
        let c = coverage(&[], &[one_bucket], "aws");
        assert!(!c.s3_read && !c.s3_write && !c.mgmt_read);
        let c = coverage(&[], &[all_prefix], "aws");
        assert!(!c.s3_read && c.s3_write);
    }
}
