//! Intrinsics, conditions, parameters, locations and bad input.

use super::*;
use serde_json::json;
use yagura_model::iac::{is_unknown, unknown_reason, unknown_ref_address};
use yagura_model::{Inventory, Outcome, Resource};

fn load(text: &str) -> Output {
    load_template("t.yaml", text, &Options::default())
}

fn raw<'a>(out: &'a Output, id: &str) -> &'a RawResource {
    out.resources
        .iter()
        .find(|r| r.name == id)
        .unwrap_or_else(|| panic!("{id} not loaded: {:?}", out.issues))
}

fn prop<'a>(out: &'a Output, id: &str, key: &str) -> &'a Value {
    raw(out, id)
        .attributes
        .get(key)
        .unwrap_or_else(|| panic!("{id}.{key} missing"))
}

fn run(code: &str, resources: Vec<Resource>) -> Vec<Outcome> {
    let check = yagura_checks::find(code).unwrap();
    let inv = Inventory::new(resources);
    let ctx = yagura_checks::Ctx {
        inventory: &inv,
        now: chrono_now(),
    };
    inv.of_kind(check.kind)
        .map(|r| check.evaluate(r, &ctx))
        .collect()
}

fn chrono_now() -> chrono::DateTime<chrono::Utc> {
    chrono::DateTime::parse_from_rfc3339("2026-11-28T00:00:00Z")
        .unwrap()
        .with_timezone(&chrono::Utc)
}

const T: &str = r#"
AWSTemplateFormatVersion: '2010-09-09'
Parameters:
  Env:
    Type: String
    Default: prod
  Subnets:
    Type: CommaDelimitedList
    Default: "subnet-a, subnet-b"
  NoDefault:
    Type: String
Mappings:
  Sizes:
    prod: {Instance: m5.large}
    dev: {Instance: t3.micro}
Conditions:
  IsProd: !Equals [!Ref Env, prod]
  IsDev: !Not [!Condition IsProd]
  Both: !And [!Condition IsProd, !Equals [a, a]]
  Either: !Or [!Condition IsDev, !Equals [!Ref NoDefault, x]]
  Unknowable: !Equals [!Ref NoDefault, x]
Resources:
  Named:
    Type: AWS::S3::Bucket
    Properties:
      BucketName: !Sub "${Env}-data"
  Anon:
    Type: AWS::S3::Bucket
  Thing:
    Type: AWS::SQS::Queue
    Properties:
      A: !Ref Env
      B: !Ref Named
      C: !Ref Anon
      D: !GetAtt Anon.Arn
      E: !GetAtt [Named, Arn]
      F: !Sub "arn:${AWS::Partition}:s3:::${Named}/*"
      G: !Sub ["${X}-${Env}", {X: !Select [1, !Ref Subnets]}]
      H: !Sub "arn:aws:s3:::${Anon}/*"
      I: !Join ["-", [a, !Ref Env, c]]
      J: !Join ["", ["arn:aws:s3:::", !Ref Anon]]
      K: !Select [2, !Split [",", "x,y,z"]]
      L: !FindInMap [Sizes, !Ref Env, Instance]
      M: !If [IsProd, yes-prod, no]
      N: !If [IsDev, yes-dev, !Ref AWS::NoValue]
      O: !If [Unknowable, a, b]
      P: !If [Unknowable, same, same]
      Q: !Base64 "foo"
      R: !Cidr ["10.0.0.0/16", 2, 8]
      S: !GetAZs ""
      U: !ImportValue shared-key
      V: !Ref AWS::Region
      W: !Ref AWS::AccountId
      X: !Ref NoDefault
      Y: !Sub "${!Literal}-${AWS::URLSuffix}"
      Z: [one, !Ref AWS::NoValue, two]
      BothC: !If [Both, t, f]
      EitherC: !If [Either, t, f]
      Long: {"Fn::Join": [":", [{"Ref": "Env"}, {"Fn::GetAtt": ["Anon", "DomainName"]}]]}
  OnlyDev:
    Type: AWS::SNS::Topic
    Condition: IsDev
  MaybeDev:
    Type: AWS::SNS::Topic
    Condition: Unknowable
"#;

#[test]
fn intrinsics_resolve_or_stay_unknown() {
    let out = load(T);
    assert!(out.issues.is_empty(), "{:?}", out.issues);
    let p = |k| prop(&out, "Thing", k);
    assert_eq!(p("A"), "prod");
    // A Ref to a bucket whose name the template fixes is that name.
    assert_eq!(p("B"), "prod-data");
    assert_eq!(unknown_ref_address(p("C")), Some("t.yaml#Anon"));
    assert_eq!(unknown_reason(p("C")), Some("Ref Anon"));
    assert_eq!(unknown_ref_address(p("D")), Some("t.yaml#Anon"));
    assert_eq!(unknown_reason(p("D")), Some("Fn::GetAtt Anon.Arn"));
    assert_eq!(p("E"), "arn:aws:s3:::prod-data");
    assert_eq!(p("F"), "arn:aws:s3:::prod-data/*");
    assert_eq!(p("G"), "subnet-b-prod");
    // Partly unknown strings are unknown as a whole, keeping the known text.
    assert!(is_unknown(p("H")));
    assert_eq!(
        unknown_reason(p("H")),
        Some("Fn::Sub arn:aws:s3:::${Anon}/*")
    );
    assert_eq!(p("I"), "a-prod-c");
    assert_eq!(
        unknown_reason(p("J")),
        Some("Fn::Join arn:aws:s3:::${Anon}")
    );
    assert_eq!(p("K"), "z");
    assert_eq!(p("L"), "m5.large");
    assert_eq!(p("M"), "yes-prod");
    assert!(!raw(&out, "Thing").attributes.contains_key("N"));
    assert_eq!(unknown_reason(p("O")), Some("Fn::If Unknowable"));
    assert_eq!(p("P"), "same");
    assert_eq!(p("Q"), "Zm9v");
    assert_eq!(p("R"), &json!(["10.0.0.0/24", "10.0.1.0/24"]));
    assert!(is_unknown(p("S")));
    assert_eq!(unknown_reason(p("U")), Some("Fn::ImportValue shared-key"));
    assert_eq!(unknown_reason(p("V")), Some("Ref AWS::Region"));
    assert_eq!(unknown_reason(p("W")), Some("Ref AWS::AccountId"));
    assert_eq!(unknown_reason(p("X")), Some("Ref NoDefault"));
    assert_eq!(p("Y"), "${Literal}-amazonaws.com");
    assert_eq!(p("Z"), &json!(["one", "two"]));
    assert_eq!(p("BothC"), "t");
    // IsDev is false and the other side is unknown: the Or is unknown.
    assert_eq!(unknown_reason(p("EitherC")), Some("Fn::If Either"));
    assert_eq!(
        unknown_reason(p("Long")),
        Some("Fn::Join prod:${Anon.DomainName}")
    );
}

#[test]
fn conditions_decide_which_resources_exist() {
    let out = load(T);
    let names: Vec<&str> = out.resources.iter().map(|r| r.name.as_str()).collect();
    assert!(
        !names.contains(&"OnlyDev"),
        "false condition is not emitted"
    );
    assert!(names.contains(&"MaybeDev"), "unknown condition is emitted");
}

#[test]
fn parameter_overrides_replace_defaults() {
    let opts = Options {
        parameters: vec![
            ("Env".into(), "dev".into()),
            ("NoDefault".into(), "x".into()),
        ],
    };
    let out = load_template("t.yaml", T, &opts);
    assert_eq!(prop(&out, "Thing", "A"), "dev");
    assert_eq!(prop(&out, "Thing", "L"), "t3.micro");
    assert_eq!(prop(&out, "Thing", "N"), "yes-dev");
    assert_eq!(prop(&out, "Thing", "O"), "a");
    assert_eq!(prop(&out, "Thing", "X"), "x");
    assert!(out.resources.iter().any(|r| r.name == "OnlyDev"));
}

#[test]
fn locations_are_the_logical_id_entries() {
    let out = load(T);
    let loc = &raw(&out, "Named").location;
    assert_eq!(loc.file, "t.yaml");
    let lines: Vec<&str> = T.lines().collect();
    let (s, e) = (loc.start_line.unwrap(), loc.end_line.unwrap());
    assert_eq!(lines[s as usize - 1], "  Named:");
    assert_eq!(
        lines[e as usize - 1].trim(),
        "BucketName: !Sub \"${Env}-data\""
    );
    let anon = &raw(&out, "Anon").location;
    assert_eq!(anon.start_line, Some(s + 4));
    assert_eq!(anon.end_line, Some(s + 5));
}

#[test]
fn json_templates_use_long_forms_and_get_lines() {
    let text = r#"{
  "AWSTemplateFormatVersion": "2010-09-09",
  "Parameters": {"Enc": {"Type": "String", "Default": "true"}},
  "Resources": {
    "Vol": {
      "Type": "AWS::EC2::Volume",
      "Properties": {
        "Size": 10,
        "AvailabilityZone": {"Fn::Select": [0, {"Fn::GetAZs": {"Ref": "AWS::Region"}}]},
        "Encrypted": {"Ref": "Enc"}
      }
    }
  }
}"#;
    assert!(is_template(text));
    let out = load_template("t.json", text, &Options::default());
    assert!(out.issues.is_empty(), "{:?}", out.issues);
    let v = raw(&out, "Vol");
    assert_eq!(v.location.start_line, Some(5));
    assert_eq!(v.location.end_line, Some(12));
    assert!(is_unknown(&v.attributes["AvailabilityZone"]));
    let res = adapt(&out.resources);
    assert_eq!(res[0].attributes["encrypted"], json!(true));
    assert!(matches!(run("AWS-EC2-007", res)[0], Outcome::Pass(_)));
}

#[test]
fn import_value_encryption_is_not_assessed() {
    let text = r#"
AWSTemplateFormatVersion: '2010-09-09'
Resources:
  Db:
    Type: AWS::RDS::DBInstance
    Properties:
      Engine: postgres
      StorageEncrypted: !ImportValue shared-StorageEncrypted
  Vol:
    Type: AWS::EC2::Volume
    Properties:
      Encrypted: {"Fn::ImportValue": "shared-Encrypted"}
  Queue:
    Type: AWS::SQS::Queue
    Properties:
      KmsMasterKeyId: !ImportValue shared-key
      SqsManagedSseEnabled: false
"#;
    let out = load(text);
    assert!(out.issues.is_empty(), "{:?}", out.issues);
    let res = adapt(&out.resources);
    for code in ["AWS-RDS-001", "AWS-EC2-007", "AWS-SQS-001"] {
        let o = run(code, res.clone());
        assert_eq!(o.len(), 1);
        match &o[0] {
            Outcome::NotAssessed(why) => assert!(why.contains("ImportValue"), "{code}: {why}"),
            other => panic!("{code}: expected NOT_ASSESSED, got {other:?}"),
        }
    }
}

#[test]
fn parameters_without_value_keep_rules_unknown() {
    let text = r#"
Parameters:
  Cidr: {Type: String}
Resources:
  Sg:
    Type: AWS::EC2::SecurityGroup
    Properties:
      GroupDescription: x
      SecurityGroupIngress:
        - {IpProtocol: tcp, FromPort: 22, ToPort: 22, CidrIp: !Ref Cidr}
"#;
    let out = load(text);
    let res = adapt(&out.resources);
    assert!(matches!(
        run("AWS-EC2-001", res.clone())[0],
        Outcome::NotAssessed(_)
    ));
    let out = load_template(
        "t.yaml",
        text,
        &Options {
            parameters: vec![("Cidr".into(), "0.0.0.0/0".into())],
        },
    );
    assert!(matches!(
        run("AWS-EC2-001", adapt(&out.resources))[0],
        Outcome::Fail(_)
    ));
}

#[test]
fn policy_documents_keep_resource_references_but_not_unknown_principals() {
    let text = r#"
Parameters:
  Who: {Type: String}
Resources:
  B:
    Type: AWS::S3::Bucket
  P:
    Type: AWS::S3::BucketPolicy
    Properties:
      Bucket: !Ref B
      PolicyDocument:
        Statement:
          - Effect: Allow
            Principal: {AWS: !Ref Who}
            Action: s3:GetObject
            Resource: !Sub "${B.Arn}/*"
  B2:
    Type: AWS::S3::Bucket
  P2:
    Type: AWS::S3::BucketPolicy
    Properties:
      Bucket: !Ref B2
      PolicyDocument:
        Statement:
          - Effect: Deny
            Principal: "*"
            Action: "s3:*"
            Resource: [!GetAtt B2.Arn, !Sub "${B2.Arn}/*"]
            Condition: {Bool: {"aws:SecureTransport": false}}
"#;
    let out = load(text);
    let res = adapt(&out.resources);
    let b = res.iter().find(|r| r.name == "B").unwrap();
    assert!(is_unknown(&b.attributes["policy"]), "{}", b.attributes);
    let b2 = res.iter().find(|r| r.name == "B2").unwrap();
    assert_eq!(
        b2.attributes["policy"]["Statement"][0]["Resource"],
        json!(["${B2.Arn}", "${B2.Arn}/*"])
    );
    let o = run("AWS-S3-003", res.clone());
    assert!(o.iter().any(|x| matches!(x, Outcome::NotAssessed(_))));
    let o = run("AWS-S3-002", res);
    assert!(o.iter().any(|x| matches!(x, Outcome::Pass(_))));
}

#[test]
fn adapted_resources_carry_source_id_and_location() {
    let out = load(T);
    let res = adapt(&out.resources);
    let named = res.iter().find(|r| r.name == "prod-data").unwrap();
    assert_eq!(named.id, "arn:aws:s3:::prod-data");
    assert_eq!(named.source, yagura_model::SourceKind::CloudFormation);
    let anon = res.iter().find(|r| r.name == "Anon").unwrap();
    assert_eq!(anon.id, "cloudformation:t.yaml#Anon");
    assert_eq!(anon.location, Some(raw(&out, "Anon").location.clone()));
    // Defaults of properties not written are observed values.
    assert_eq!(
        anon.attributes["public_access_block"],
        json!({"block_public_acls": true, "ignore_public_acls": true, "block_public_policy": true, "restrict_public_buckets": true})
    );
    assert_eq!(anon.attributes["ownership"], "BucketOwnerEnforced");
    assert_eq!(anon.attributes["versioning"]["status"], Value::Null);
}

#[test]
fn malformed_yaml_reports_its_line() {
    let text = "AWSTemplateFormatVersion: '2010-09-09'\nResources:\n  A:\n    Type: AWS::S3::Bucket\n    Properties: [unclosed\n  B:\n";
    assert!(is_template(text));
    let out = load(text);
    assert!(out.resources.is_empty());
    assert_eq!(out.issues.len(), 1);
    let i = &out.issues[0];
    assert_eq!(i.file, "t.yaml");
    assert!(matches!(i.line, Some(5..=7)), "{i}");
    assert!(!i.message.is_empty());
}

#[test]
fn malformed_json_reports_its_line() {
    let text = "{\n  \"AWSTemplateFormatVersion\": \"2010-09-09\",\n  \"Resources\": {\n    \"A\": {\"Type\": \"AWS::S3::Bucket\",}\n  }\n}\n";
    let out = load_template("t.json", text, &Options::default());
    assert_eq!(out.issues.len(), 1);
    assert_eq!(out.issues[0].line, Some(4));
    assert!(out.issues[0].to_string().starts_with("t.json:4: "));
}

#[test]
fn unknown_intrinsics_are_reported_and_the_rest_loads() {
    let text = "Resources:\n  Ok:\n    Type: AWS::SQS::Queue\n  Odd:\n    Type: AWS::SQS::Queue\n    Properties:\n      QueueName: !Frobnicate x\n      Other: !Ref Missing\n";
    let out = load(text);
    assert_eq!(out.resources.len(), 2);
    assert!(is_unknown(prop(&out, "Odd", "QueueName")));
    let msgs: Vec<String> = out.issues.iter().map(|i| i.to_string()).collect();
    assert!(
        msgs.iter()
            .any(|m| m.contains("resource Odd") && m.contains("Fn::Frobnicate")),
        "{msgs:?}"
    );
    assert!(msgs.iter().any(|m| m.contains("Missing")), "{msgs:?}");
    assert!(out.issues.iter().all(|i| i.line == Some(4)));
}

#[test]
fn deep_and_recursive_input_is_bounded() {
    let deep = format!(
        "Resources:\n  A:\n    Type: AWS::SQS::Queue\n    Properties:\n      X: {}1{}\n",
        "[".repeat(5000),
        "]".repeat(5000)
    );
    let out = load(&deep);
    assert!(!out.issues.is_empty());
    let nested = format!(
        "Resources:\n  A:\n    Type: AWS::SQS::Queue\n    Properties:\n      X: {}x{}\n",
        "{\"Fn::Base64\": ".repeat(100),
        "}".repeat(100)
    );
    let out = load(&nested);
    assert!(
        out.issues.iter().any(|i| i.message.contains("deeper")),
        "{:?}",
        out.issues
    );
    let cyclic = "Conditions:\n  A: !Condition B\n  B: !Not [!Condition A]\nResources:\n  Q:\n    Type: AWS::SQS::Queue\n    Condition: A\n";
    let out = load(cyclic);
    assert_eq!(
        out.resources.len(),
        1,
        "an undecidable condition keeps the resource"
    );
    assert!(out
        .issues
        .iter()
        .any(|i| i.message.contains("refers to itself")));
    let bomb = "a: &a [x, x, x, x, x, x, x, x, x]\nb: &b [*a, *a, *a, *a, *a, *a, *a, *a, *a]\nc: &c [*b, *b, *b, *b, *b, *b, *b, *b, *b]\nd: &d [*c, *c, *c, *c, *c, *c, *c, *c, *c]\ne: &e [*d, *d, *d, *d, *d, *d, *d, *d, *d]\nf: &f [*e, *e, *e, *e, *e, *e, *e, *e, *e]\ng: &g [*f, *f, *f, *f, *f, *f, *f, *f, *f]\nh: &h [*g, *g, *g, *g, *g, *g, *g, *g, *g]\nResources: {}\n";
    let _ = load(bomb);
}

#[test]
fn template_detection() {
    assert!(is_template(
        "AWSTemplateFormatVersion: '2010-09-09'\nResources: {}\n"
    ));
    assert!(is_template("Resources:\n  Q:\n    Type: AWS::SQS::Queue\n"));
    assert!(!is_template(
        "apiVersion: v1\nkind: Pod\nmetadata: {name: p}\n"
    ));
    assert!(!is_template("Resources:\n  Q:\n    Type: Custom::Thing\n"));
    assert!(!is_template("{\"foo\": \"AWS::S3::Bucket\"}"));
}

#[test]
fn nested_stacks_are_loaded_but_not_followed() {
    let text = "Resources:\n  Child:\n    Type: AWS::CloudFormation::Stack\n    Properties:\n      TemplateURL: https://example.com/child.yaml\n";
    let out = load(text);
    assert_eq!(out.resources.len(), 1);
    assert!(adapt(&out.resources).is_empty());
}

#[test]
fn joined_resources_fold_into_their_target() {
    let text = r#"
Resources:
  Sg:
    Type: AWS::EC2::SecurityGroup
    Properties:
      GroupDescription: x
  In:
    Type: AWS::EC2::SecurityGroupIngress
    Properties: {GroupId: !GetAtt Sg.GroupId, IpProtocol: tcp, FromPort: 80, ToPort: 80, CidrIp: 0.0.0.0/0}
  Secret:
    Type: AWS::SecretsManager::Secret
  Rot:
    Type: AWS::SecretsManager::RotationSchedule
    Properties:
      SecretId: !Ref Secret
      RotationRules: {ScheduleExpression: "rate(10 days)"}
  Lb:
    Type: AWS::ElasticLoadBalancingV2::LoadBalancer
  L:
    Type: AWS::ElasticLoadBalancingV2::Listener
    Properties: {LoadBalancerArn: !Ref Lb, Port: 443, Protocol: HTTPS}
"#;
    let res = adapt(&load(text).resources);
    let get = |k: &str| res.iter().find(|r| r.kind == k).unwrap();
    let sg = get("aws.ec2.security_group");
    assert_eq!(sg.attributes["ingress"][0]["from_port"], 80);
    assert_eq!(sg.attributes["egress"][0]["protocol"], "-1");
    let s = get("aws.secretsmanager.secret");
    assert_eq!(s.attributes["rotation_enabled"], true);
    assert_eq!(s.attributes["rotation_days"], 10);
    let lb = get("aws.elbv2.load_balancer");
    assert_eq!(lb.attributes["listeners"][0]["port"], 443);
    // No SslPolicy written: the policy the service picks is not assumed.
    assert!(is_unknown(&lb.attributes["listeners"][0]["ssl_policy"]));
}

#[test]
fn aurora_members_read_their_cluster() {
    let text = r#"
Transform: AWS::Serverless-2016-10-31
Resources:
  Cluster:
    Type: AWS::RDS::DBCluster
    Properties: {Engine: aurora-postgresql, StorageEncrypted: true, DeletionProtection: true}
  Member:
    Type: AWS::RDS::DBInstance
    Properties: {Engine: aurora-postgresql, DBClusterIdentifier: !Ref Cluster, DBInstanceClass: db.r6g.large}
  Orphan:
    Type: AWS::RDS::DBInstance
    Properties: {Engine: aurora-postgresql, DBClusterIdentifier: shared-cluster, DBInstanceClass: db.r6g.large}
"#;
    let out = load(text);
    assert!(out.issues.iter().any(|i| i.message.contains("Transform")));
    let res = adapt(&out.resources);
    let get = |n: &str| res.iter().find(|r| r.name == n).unwrap();
    assert_eq!(get("Member").attributes["storage_encrypted"], true);
    assert_eq!(get("Member").attributes["deletion_protection"], true);
    assert!(is_unknown(&get("Orphan").attributes["storage_encrypted"]));
    let o = run("AWS-RDS-001", res.clone());
    assert!(matches!(o[0], Outcome::Pass(_)), "{o:?}");
    assert!(matches!(o[1], Outcome::NotAssessed(_)), "{o:?}");
}

#[test]
fn deploy_time_values_stay_unknown() {
    let text = r#"
Parameters:
  Ami:
    Type: AWS::SSM::Parameter::Value<AWS::EC2::Image::Id>
    Default: /aws/service/ami-amazon-linux-latest/al2023-ami-kernel-default-x86_64
Resources:
  Q:
    Type: AWS::SQS::Queue
    Properties:
      A: !Ref Ami
      B: "{{resolve:ssm:/platform/kms-key}}"
      C: !Sub [5, {}]
"#;
    let out = load(text);
    assert_eq!(unknown_reason(prop(&out, "Q", "A")), Some("Ref Ami"));
    assert!(is_unknown(prop(&out, "Q", "B")));
    assert!(is_unknown(prop(&out, "Q", "C")));
    assert!(out.issues.iter().any(|i| i.message.contains("Fn::Sub")));
}

#[test]
fn language_extension_functions() {
    let text = "Resources:\n  Q:\n    Type: AWS::SQS::Queue\n    Properties:\n      N: {\"Fn::Length\": [a, b, c]}\n      J: {\"Fn::ToJsonString\": {k: [1, true]}}\n      M: {\"Fn::FindInMap\": [Nope, a, b, {DefaultValue: fallback}]}\n";
    let out = load(text);
    assert!(out.issues.is_empty(), "{:?}", out.issues);
    assert_eq!(prop(&out, "Q", "N"), 3);
    assert_eq!(prop(&out, "Q", "J"), "{\"k\":[1,true]}");
    assert_eq!(prop(&out, "Q", "M"), "fallback");
}
