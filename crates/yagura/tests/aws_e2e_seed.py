#!/usr/bin/env python3
"""Seeds a moto server for `tests/aws_e2e.rs`.

Usage: aws_e2e_seed.py ENDPOINT_URL full|fix

`full` creates, for every check whose inputs moto can serve, at least one
resource that must pass and one that must fail. Names tell which: a resource
named (or, where AWS names by id, tagged `Name=`) `e2e-s3-pass` is compliant
with every S3 check the test table lists for it, `e2e-ec2-001-fail` fails
AWS-EC2-001. Region-level settings pass in one region and fail in the other.
Account-level settings use two accounts: the main one (123456789012) and an
AWS Organizations member, reached through OrganizationAccountAccessRole as
`yagura scan aws --org` does.

`fix` creates only misconfigurations in the main account that `yagura fix`
can remediate.

Prints one JSON object: {"member": MEMBER_ACCOUNT_ID} for `full`, {} for `fix`.
"""

import io
import json
import sys
import zipfile

import boto3
from botocore.config import Config

ENDPOINT = sys.argv[1]
MODE = sys.argv[2] if len(sys.argv) > 2 else "full"
MAIN = "123456789012"
R1, R2 = "us-east-1", "eu-west-1"
S3_ALL = [{"Type": "AWS::S3::Object", "Values": ["arn:aws:s3"]}]


class Account:
    """boto3 clients for one account: the test credentials, or assumed-role ones."""

    def __init__(self, account_id, creds=None):
        self.id = account_id
        self.creds = creds or {
            "aws_access_key_id": "testing",
            "aws_secret_access_key": "testing",
        }

    def client(self, service, region=R1, **config):
        return boto3.client(
            service,
            endpoint_url=ENDPOINT,
            region_name=region,
            config=Config(**config) if config else None,
            **self.creds,
        )

    def arn(self, service, region, rest):
        return f"arn:aws:{service}:{region}:{self.id}:{rest}"


def name_tag(name, resource_type=None):
    tags = [{"Key": "Name", "Value": name}]
    if resource_type is None:
        return tags
    return [{"ResourceType": resource_type, "Tags": tags}]


def doc(*statements):
    return json.dumps({"Version": "2012-10-17", "Statement": list(statements)})


def default_vpc(ec2):
    return ec2.describe_vpcs(Filters=[{"Name": "isDefault", "Values": ["true"]}])["Vpcs"][0]["VpcId"]


def subnets_of(ec2, vpc_id):
    return ec2.describe_subnets(Filters=[{"Name": "vpc-id", "Values": [vpc_id]}])["Subnets"]


def security_group(ec2, vpc_id, name, permissions):
    gid = ec2.create_security_group(GroupName=name, Description=name, VpcId=vpc_id)["GroupId"]
    if permissions:
        ec2.authorize_security_group_ingress(GroupId=gid, IpPermissions=permissions)
    return gid


def tcp(port, v4=(), v6=()):
    return {
        "IpProtocol": "tcp",
        "FromPort": port,
        "ToPort": port,
        "IpRanges": [{"CidrIp": c} for c in v4],
        "Ipv6Ranges": [{"CidrIpv6": c} for c in v6],
    }


def bucket(s3, name, region=R1):
    if region == R1:
        s3.create_bucket(Bucket=name)
    else:
        s3.create_bucket(Bucket=name, CreateBucketConfiguration={"LocationConstraint": region})


# moto drops the WRITE half of the canned `public-read-write` ACL; explicit grants keep both.
ALL_USERS = 'uri="http://acs.amazonaws.com/groups/global/AllUsers"'

BPA_ON = {
    "BlockPublicAcls": True,
    "IgnorePublicAcls": True,
    "BlockPublicPolicy": True,
    "RestrictPublicBuckets": True,
}


def public_read_policy(name):
    return doc({"Effect": "Allow", "Principal": "*", "Action": "s3:GetObject", "Resource": f"arn:aws:s3:::{name}/*"})


def strong_password_policy(iam):
    iam.update_account_password_policy(
        MinimumPasswordLength=14,
        RequireSymbols=True,
        RequireNumbers=True,
        RequireUppercaseCharacters=True,
        RequireLowercaseCharacters=True,
        AllowUsersToChangePassword=True,
        MaxPasswordAge=90,
        PasswordReusePrevention=24,
    )


def weak_password_policy(iam):
    iam.update_account_password_policy(
        MinimumPasswordLength=8,
        RequireSymbols=False,
        RequireNumbers=True,
        RequireUppercaseCharacters=True,
        RequireLowercaseCharacters=True,
        AllowUsersToChangePassword=True,
        MaxPasswordAge=180,
    )


# ---- main account, full mode -------------------------------------------------


def seed_iam(a):
    iam = a.client("iam")
    weak_password_policy(iam)
    # AWS-IAM-013 passes here (support role), AWS-IAM-015 fails (CloudShell).
    lambda_trust = doc({"Effect": "Allow", "Principal": {"Service": "lambda.amazonaws.com"}, "Action": "sts:AssumeRole"})
    iam.create_role(RoleName="e2e-support", AssumeRolePolicyDocument=lambda_trust)
    iam.attach_role_policy(RoleName="e2e-support", PolicyArn="arn:aws:iam::aws:policy/AWSSupportAccess")
    iam.create_group(GroupName="e2e-cloudshell-users")
    iam.attach_group_policy(
        GroupName="e2e-cloudshell-users", PolicyArn="arn:aws:iam::aws:policy/AWSCloudShellFullAccess"
    )

    # Policies: AWS-IAM-012 (attached *:*) and AWS-IAM-018 (service-wide wildcards).
    admin_doc = doc({"Effect": "Allow", "Action": "*", "Resource": "*"})
    admin = iam.create_policy(PolicyName="e2e-iam-012-fail", PolicyDocument=admin_doc)["Policy"]["Arn"]
    iam.create_policy(PolicyName="e2e-iam-012-unattached", PolicyDocument=admin_doc)
    iam.create_role(RoleName="e2e-admin-role", AssumeRolePolicyDocument=lambda_trust)
    iam.attach_role_policy(RoleName="e2e-admin-role", PolicyArn=admin)
    iam.create_policy(
        PolicyName="e2e-iam-018-fail",
        PolicyDocument=doc({"Effect": "Allow", "Action": ["s3:*", "sqs:SendMessage"], "Resource": "*"}),
    )
    narrow = iam.create_policy(
        PolicyName="e2e-iam-018-pass",
        PolicyDocument=doc({"Effect": "Allow", "Action": ["s3:GetObject", "s3:ListBucket"], "Resource": "*"}),
    )["Policy"]["Arn"]

    # Users.
    iam.create_group(GroupName="e2e-readers")
    iam.attach_group_policy(GroupName="e2e-readers", PolicyArn=narrow)
    iam.create_user(UserName="e2e-iam-007-pass")
    iam.create_login_profile(UserName="e2e-iam-007-pass", Password="Correct-horse-battery-9")
    serial = iam.create_virtual_mfa_device(VirtualMFADeviceName="e2e-iam-007-pass")["VirtualMFADevice"]["SerialNumber"]
    iam.enable_mfa_device(
        UserName="e2e-iam-007-pass", SerialNumber=serial, AuthenticationCode1="123456", AuthenticationCode2="654321"
    )
    iam.create_user(UserName="e2e-iam-007-fail")
    iam.create_login_profile(UserName="e2e-iam-007-fail", Password="Correct-horse-battery-9")
    # One active and one inactive key passes; two active keys fail.
    iam.create_user(UserName="e2e-iam-009-pass")
    iam.create_access_key(UserName="e2e-iam-009-pass")
    spare = iam.create_access_key(UserName="e2e-iam-009-pass")["AccessKey"]["AccessKeyId"]
    iam.update_access_key(UserName="e2e-iam-009-pass", AccessKeyId=spare, Status="Inactive")
    iam.create_user(UserName="e2e-iam-009-fail")
    iam.create_access_key(UserName="e2e-iam-009-fail")
    iam.create_access_key(UserName="e2e-iam-009-fail")
    iam.create_user(UserName="e2e-iam-011-pass")
    iam.add_user_to_group(GroupName="e2e-readers", UserName="e2e-iam-011-pass")
    iam.create_user(UserName="e2e-iam-011-fail")
    iam.attach_user_policy(UserName="e2e-iam-011-fail", PolicyArn=narrow)
    iam.put_user_policy(
        UserName="e2e-iam-011-fail",
        PolicyName="inline",
        PolicyDocument=doc({"Effect": "Allow", "Action": "sqs:SendMessage", "Resource": "*"}),
    )
    # Credentials created just now: never idle, never stale (AWS-IAM-008/010/019 pass).
    iam.create_user(UserName="e2e-iam-fresh")
    iam.create_login_profile(UserName="e2e-iam-fresh", Password="Correct-horse-battery-9")
    iam.create_access_key(UserName="e2e-iam-fresh")

    # Role trust policies (AWS-IAM-020).
    iam.create_role(RoleName="e2e-iam-020-pass", AssumeRolePolicyDocument=lambda_trust)
    iam.create_role(
        RoleName="e2e-iam-020-org",
        AssumeRolePolicyDocument=doc(
            {
                "Effect": "Allow",
                "Principal": {"AWS": "*"},
                "Action": "sts:AssumeRole",
                "Condition": {"StringEquals": {"aws:PrincipalOrgID": "o-e2etest"}},
            }
        ),
    )
    iam.create_role(
        RoleName="e2e-iam-020-fail",
        AssumeRolePolicyDocument=doc({"Effect": "Allow", "Principal": {"AWS": "*"}, "Action": "sts:AssumeRole"}),
    )

    # moto reports every server certificate as expired (AWS-IAM-014).
    iam.upload_server_certificate(
        ServerCertificateName="e2e-iam-014-fail",
        CertificateBody="-----BEGIN CERTIFICATE-----\nMIIB\n-----END CERTIFICATE-----",
        PrivateKey="-----BEGIN RSA PRIVATE KEY-----\nMIIB\n-----END RSA PRIVATE KEY-----",
    )
    return {"lambda_trust": lambda_trust}


def seed_kms(a):
    kms = a.client("kms")
    good = kms.create_key(Description="e2e-kms-pass")["KeyMetadata"]
    kms.enable_key_rotation(KeyId=good["KeyId"])
    kms.create_alias(AliasName="alias/e2e-kms-pass", TargetKeyId=good["KeyId"])
    unrotated = kms.create_key(Description="e2e-kms-001-fail")["KeyMetadata"]["KeyId"]
    kms.create_alias(AliasName="alias/e2e-kms-001-fail", TargetKeyId=unrotated)
    doomed = kms.create_key(Description="e2e-kms-002-fail")["KeyMetadata"]["KeyId"]
    kms.enable_key_rotation(KeyId=doomed)
    kms.create_alias(AliasName="alias/e2e-kms-002-fail", TargetKeyId=doomed)
    kms.schedule_key_deletion(KeyId=doomed, PendingWindowInDays=7)
    kms_eu = a.client("kms", R2)
    open_policy = doc(
        {"Sid": "owner", "Effect": "Allow", "Principal": {"AWS": f"arn:aws:iam::{a.id}:root"}, "Action": "kms:*", "Resource": "*"},
        {"Sid": "everyone", "Effect": "Allow", "Principal": {"AWS": "*"}, "Action": "kms:Decrypt", "Resource": "*"},
    )
    public = kms_eu.create_key(Description="e2e-kms-003-fail", Policy=open_policy)["KeyMetadata"]["KeyId"]
    kms_eu.enable_key_rotation(KeyId=public)
    kms_eu.create_alias(AliasName="alias/e2e-kms-003-fail", TargetKeyId=public)
    return good["Arn"]


def seed_s3(a):
    s3 = a.client("s3")
    bucket(s3, "e2e-s3-logs")
    s3.put_bucket_acl(Bucket="e2e-s3-logs", ACL="log-delivery-write")

    bucket(s3, "e2e-s3-pass")
    s3.put_public_access_block(Bucket="e2e-s3-pass", PublicAccessBlockConfiguration=BPA_ON)
    s3.put_bucket_policy(
        Bucket="e2e-s3-pass",
        Policy=doc(
            {
                "Sid": "DenyPlainHttp",
                "Effect": "Deny",
                "Principal": "*",
                "Action": "s3:*",
                "Resource": ["arn:aws:s3:::e2e-s3-pass", "arn:aws:s3:::e2e-s3-pass/*"],
                "Condition": {"Bool": {"aws:SecureTransport": "false"}},
            }
        ),
    )
    s3.put_bucket_encryption(
        Bucket="e2e-s3-pass",
        ServerSideEncryptionConfiguration={
            "Rules": [
                {
                    "ApplyServerSideEncryptionByDefault": {
                        "SSEAlgorithm": "aws:kms",
                        "KMSMasterKeyID": "arn:aws:kms:us-east-1:123456789012:alias/e2e-s3",
                    }
                }
            ]
        },
    )
    s3.put_bucket_logging(
        Bucket="e2e-s3-pass",
        BucketLoggingStatus={"LoggingEnabled": {"TargetBucket": "e2e-s3-logs", "TargetPrefix": "e2e-s3-pass/"}},
    )
    s3.put_bucket_ownership_controls(
        Bucket="e2e-s3-pass", OwnershipControls={"Rules": [{"ObjectOwnership": "BucketOwnerEnforced"}]}
    )
    s3.put_bucket_lifecycle_configuration(
        Bucket="e2e-s3-pass",
        LifecycleConfiguration={
            "Rules": [{"ID": "expire", "Status": "Enabled", "Filter": {"Prefix": ""}, "Expiration": {"Days": 365}}]
        },
    )
    s3.put_bucket_versioning(Bucket="e2e-s3-pass", VersioningConfiguration={"Status": "Enabled"})

    # Everything wrong, in the second region: world-writable ACL, public policy,
    # no encryption, logging, ownership controls or lifecycle.
    s3_eu = a.client("s3", R2)
    bucket(s3_eu, "e2e-s3-fail", R2)
    s3_eu.put_bucket_acl(Bucket="e2e-s3-fail", GrantRead=ALL_USERS, GrantWrite=ALL_USERS)
    s3_eu.put_bucket_policy(Bucket="e2e-s3-fail", Policy=public_read_policy("e2e-s3-fail"))

    # Public grants that Block Public Access neutralizes (AWS-S3-003/004 pass).
    bucket(s3, "e2e-s3-blocked")
    s3.put_bucket_acl(Bucket="e2e-s3-blocked", GrantRead=ALL_USERS, GrantWrite=ALL_USERS)
    s3.put_bucket_policy(Bucket="e2e-s3-blocked", Policy=public_read_policy("e2e-s3-blocked"))
    s3.put_public_access_block(Bucket="e2e-s3-blocked", PublicAccessBlockConfiguration=BPA_ON)


def seed_cloudtrail(a, kms_arn):
    s3 = a.client("s3")
    logs = a.client("logs")
    logs.create_log_group(logGroupName="e2e-ct-events")
    logs.put_retention_policy(logGroupName="e2e-ct-events", retentionInDays=400)
    bucket(s3, "e2e-ct-pass-logs")
    s3.put_public_access_block(Bucket="e2e-ct-pass-logs", PublicAccessBlockConfiguration=BPA_ON)
    s3.put_bucket_logging(
        Bucket="e2e-ct-pass-logs",
        BucketLoggingStatus={"LoggingEnabled": {"TargetBucket": "e2e-s3-logs", "TargetPrefix": "trail/"}},
    )
    ct = a.client("cloudtrail")
    ct.create_trail(
        Name="e2e-ct-pass",
        S3BucketName="e2e-ct-pass-logs",
        IsMultiRegionTrail=True,
        EnableLogFileValidation=True,
        KmsKeyId=kms_arn,
        CloudWatchLogsLogGroupArn=a.arn("logs", R1, "log-group:e2e-ct-events:*"),
        CloudWatchLogsRoleArn=f"arn:aws:iam::{a.id}:role/e2e-support",
    )
    ct.start_logging(Name="e2e-ct-pass")
    # All management events; S3 object-level writes but not reads (AWS-CLOUDTRAIL-005
    # passes, -006 fails in this account).
    ct.put_event_selectors(
        TrailName="e2e-ct-pass",
        EventSelectors=[
            {"ReadWriteType": "All", "IncludeManagementEvents": True},
            {"ReadWriteType": "WriteOnly", "IncludeManagementEvents": False, "DataResources": S3_ALL},
        ],
    )
    # A single-region trail in the second region that is stopped and writes to a
    # public bucket without access logging.
    s3_eu = a.client("s3", R2)
    bucket(s3_eu, "e2e-ct-fail-logs", R2)
    s3_eu.put_bucket_policy(Bucket="e2e-ct-fail-logs", Policy=public_read_policy("e2e-ct-fail-logs"))
    ct_eu = a.client("cloudtrail", R2)
    ct_eu.create_trail(Name="e2e-ct-fail", S3BucketName="e2e-ct-fail-logs", IsMultiRegionTrail=False)


def seed_region_settings(a, role_arn):
    # EBS encryption by default and Security Hub: on in the second region only.
    a.client("ec2", R2).enable_ebs_encryption_by_default()
    a.client("securityhub", R2).enable_security_hub()
    # AWS Config: a full recorder (with global types) in the first region, a
    # partial, stopped one in the second.
    cfg = a.client("config")
    cfg.put_configuration_recorder(
        ConfigurationRecorder={
            "name": "default",
            "roleARN": role_arn,
            "recordingGroup": {"allSupported": True, "includeGlobalResourceTypes": True},
        }
    )
    cfg.put_delivery_channel(DeliveryChannel={"name": "default", "s3BucketName": "e2e-s3-logs"})
    cfg.start_configuration_recorder(ConfigurationRecorderName="default")
    a.client("config", R2).put_configuration_recorder(
        ConfigurationRecorder={
            "name": "e2e-partial",
            "roleARN": role_arn,
            "recordingGroup": {
                "allSupported": False,
                "includeGlobalResourceTypes": False,
                "resourceTypes": ["AWS::EC2::Instance"],
            },
        }
    )


def seed_ec2(a):
    ec2 = a.client("ec2")
    vpc = default_vpc(ec2)
    default_subnets = subnets_of(ec2, vpc)

    # VPCs: flow logs for all traffic, none, or accepted traffic only (AWS-EC2-006).
    good_vpc = ec2.create_vpc(CidrBlock="10.20.0.0/16", TagSpecifications=name_tag("e2e-vpc-pass", "vpc"))["Vpc"]["VpcId"]
    ec2.create_flow_logs(
        ResourceIds=[good_vpc],
        ResourceType="VPC",
        TrafficType="ALL",
        LogDestinationType="s3",
        LogDestination="arn:aws:s3:::e2e-s3-logs",
    )
    ec2.create_vpc(CidrBlock="10.30.0.0/16", TagSpecifications=name_tag("e2e-vpc-fail", "vpc"))
    accept_vpc = ec2.create_vpc(CidrBlock="10.31.0.0/16", TagSpecifications=name_tag("e2e-vpc-accept-only", "vpc"))[
        "Vpc"
    ]["VpcId"]
    ec2.create_flow_logs(
        ResourceIds=[accept_vpc],
        ResourceType="VPC",
        TrafficType="ACCEPT",
        LogDestinationType="s3",
        LogDestination="arn:aws:s3:::e2e-s3-logs",
    )

    # Default security groups (AWS-EC2-004): the new VPC's, emptied, and the
    # default VPC's, with AWS's default rules.
    def default_sg(vpc_id):
        return ec2.describe_security_groups(
            Filters=[{"Name": "vpc-id", "Values": [vpc_id]}, {"Name": "group-name", "Values": ["default"]}]
        )["SecurityGroups"][0]

    closed = default_sg(good_vpc)
    if closed["IpPermissions"]:
        ec2.revoke_security_group_ingress(GroupId=closed["GroupId"], IpPermissions=closed["IpPermissions"])
    if closed["IpPermissionsEgress"]:
        ec2.revoke_security_group_egress(GroupId=closed["GroupId"], IpPermissions=closed["IpPermissionsEgress"])
    ec2.create_tags(Resources=[closed["GroupId"]], Tags=name_tag("e2e-ec2-004-pass"))
    ec2.create_tags(Resources=[default_sg(vpc)["GroupId"]], Tags=name_tag("e2e-ec2-004-fail"))

    # Subnets (AWS-EC2-010).
    private = ec2.create_subnet(
        VpcId=good_vpc, CidrBlock="10.20.1.0/24", TagSpecifications=name_tag("e2e-subnet-pass", "subnet")
    )["Subnet"]["SubnetId"]
    public = ec2.create_subnet(
        VpcId=good_vpc, CidrBlock="10.20.2.0/24", TagSpecifications=name_tag("e2e-subnet-fail", "subnet")
    )["Subnet"]["SubnetId"]
    ec2.modify_subnet_attribute(SubnetId=public, MapPublicIpOnLaunch={"Value": True})

    # Network ACLs (AWS-EC2-002).
    for name, port in [("e2e-nacl-pass", 443), ("e2e-nacl-fail", 22)]:
        acl = ec2.create_network_acl(VpcId=good_vpc, TagSpecifications=name_tag(name, "network-acl"))["NetworkAcl"][
            "NetworkAclId"
        ]
        ec2.create_network_acl_entry(
            NetworkAclId=acl,
            RuleNumber=100,
            Protocol="6",
            RuleAction="allow",
            Egress=False,
            CidrBlock="0.0.0.0/0",
            PortRange={"From": port, "To": port},
        )

    # Security groups (AWS-EC2-001, -003, -011, -012).
    sg_pass = security_group(
        ec2,
        vpc,
        "e2e-sg-pass",
        [tcp(443, v4=["0.0.0.0/0"], v6=["::/0"]), tcp(22, v4=["10.0.0.0/8"]), tcp(3389, v6=["2001:db8::/32"])],
    )
    security_group(ec2, vpc, "e2e-ec2-001-fail", [tcp(22, v4=["0.0.0.0/0"])])
    security_group(ec2, vpc, "e2e-ec2-003-fail", [tcp(3389, v6=["::/0"])])
    security_group(ec2, vpc, "e2e-ec2-011-fail", [tcp(3306, v4=["0.0.0.0/0"])])
    ec2_eu = a.client("ec2", R2)
    security_group(
        ec2_eu,
        default_vpc(ec2_eu),
        "e2e-ec2-012-fail",
        [{"IpProtocol": "-1", "IpRanges": [{"CidrIp": "0.0.0.0/0"}]}],
    )

    # Instances (AWS-EC2-005, -009).
    image = ec2.describe_images()["Images"][0]["ImageId"]
    ec2.run_instances(
        ImageId=image,
        MinCount=1,
        MaxCount=1,
        InstanceType="t3.micro",
        SubnetId=private,
        SecurityGroupIds=[sg_pass],
        MetadataOptions={"HttpTokens": "required", "HttpEndpoint": "enabled"},
        TagSpecifications=name_tag("e2e-ec2-pass", "instance"),
    )
    ec2.run_instances(
        ImageId=image,
        MinCount=1,
        MaxCount=1,
        InstanceType="t3.micro",
        NetworkInterfaces=[
            {"DeviceIndex": 0, "SubnetId": default_subnets[0]["SubnetId"], "AssociatePublicIpAddress": True}
        ],
        MetadataOptions={"HttpTokens": "optional", "HttpEndpoint": "enabled"},
        TagSpecifications=name_tag("e2e-ec2-fail", "instance"),
    )

    # Volumes and snapshots (AWS-EC2-007, -008, -013).
    zone = default_subnets[0]["AvailabilityZone"]
    enc = ec2.create_volume(
        AvailabilityZone=zone, Size=8, Encrypted=True, TagSpecifications=name_tag("e2e-vol-pass", "volume")
    )["VolumeId"]
    plain = ec2.create_volume(
        AvailabilityZone=zone, Size=8, Encrypted=False, TagSpecifications=name_tag("e2e-vol-fail", "volume")
    )["VolumeId"]
    ec2.create_snapshot(VolumeId=enc, TagSpecifications=name_tag("e2e-snap-pass", "snapshot"))
    shared = ec2.create_snapshot(VolumeId=plain, TagSpecifications=name_tag("e2e-snap-fail", "snapshot"))["SnapshotId"]
    ec2.modify_snapshot_attribute(
        SnapshotId=shared, Attribute="createVolumePermission", OperationType="add", GroupNames=["all"]
    )
    return [s["SubnetId"] for s in default_subnets]


def seed_logs_sns_sqs(a, kms_arn):
    logs = a.client("logs")
    logs.create_log_group(logGroupName="e2e-logs-pass", kmsKeyId=kms_arn)
    logs.put_retention_policy(logGroupName="e2e-logs-pass", retentionInDays=731)
    logs_eu = a.client("logs", R2)
    logs_eu.create_log_group(logGroupName="e2e-logs-fail")
    logs_eu.put_retention_policy(logGroupName="e2e-logs-fail", retentionInDays=30)

    sns = a.client("sns")
    good = sns.create_topic(Name="e2e-sns-pass", Attributes={"KmsMasterKeyId": "alias/aws/sns"})["TopicArn"]
    sns.subscribe(TopicArn=good, Protocol="https", Endpoint="https://hooks.example.com/e2e")
    sns_eu = a.client("sns", R2)
    bad = sns_eu.create_topic(Name="e2e-sns-fail")["TopicArn"]
    sns_eu.set_topic_attributes(
        TopicArn=bad,
        AttributeName="Policy",
        AttributeValue=doc({"Effect": "Allow", "Principal": "*", "Action": "SNS:Publish", "Resource": bad}),
    )
    sns_eu.subscribe(TopicArn=bad, Protocol="http", Endpoint="http://hooks.example.com/e2e")

    sqs = a.client("sqs")
    sqs.create_queue(QueueName="e2e-sqs-pass", Attributes={"SqsManagedSseEnabled": "true"})
    sqs_eu = a.client("sqs", R2)
    url = sqs_eu.create_queue(QueueName="e2e-sqs-fail", Attributes={"SqsManagedSseEnabled": "false"})["QueueUrl"]
    arn = sqs_eu.get_queue_attributes(QueueUrl=url, AttributeNames=["QueueArn"])["Attributes"]["QueueArn"]
    sqs_eu.set_queue_attributes(
        QueueUrl=url,
        Attributes={"Policy": doc({"Effect": "Allow", "Principal": "*", "Action": "sqs:SendMessage", "Resource": arn})},
    )


def seed_rds(a, kms_arn):
    rds = a.client("rds")
    common = {
        "DBInstanceClass": "db.t3.micro",
        "Engine": "postgres",
        "MasterUsername": "e2eadmin",
        "MasterUserPassword": "Correct-horse-9",
        "AllocatedStorage": 20,
    }
    rds.create_db_instance(
        DBInstanceIdentifier="e2e-rds-pass",
        StorageEncrypted=True,
        KmsKeyId=kms_arn,
        AutoMinorVersionUpgrade=True,
        PubliclyAccessible=False,
        MultiAZ=True,
        DeletionProtection=True,
        BackupRetentionPeriod=7,
        EnableIAMDatabaseAuthentication=True,
        MonitoringInterval=60,
        MonitoringRoleArn=f"arn:aws:iam::{a.id}:role/e2e-support",
        **common,
    )
    rds.create_db_instance(
        DBInstanceIdentifier="e2e-rds-fail",
        StorageEncrypted=False,
        AutoMinorVersionUpgrade=False,
        PubliclyAccessible=True,
        MultiAZ=False,
        DeletionProtection=False,
        BackupRetentionPeriod=0,
        EnableIAMDatabaseAuthentication=False,
        MonitoringInterval=0,
        **common,
    )
    rds.create_db_snapshot(DBInstanceIdentifier="e2e-rds-pass", DBSnapshotIdentifier="e2e-rds-snap-pass")
    rds.create_db_snapshot(DBInstanceIdentifier="e2e-rds-fail", DBSnapshotIdentifier="e2e-rds-snap-fail")
    rds.modify_db_snapshot_attribute(
        DBSnapshotIdentifier="e2e-rds-snap-fail", AttributeName="restore", ValuesToAdd=["all"]
    )


def seed_lambda(a, lambda_trust):
    role = a.client("iam").create_role(RoleName="e2e-lambda-role", AssumeRolePolicyDocument=lambda_trust)["Role"][
        "Arn"
    ]
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w") as z:
        z.writestr("handler.py", "def handler(event, context):\n    return 1\n")
    lam = a.client("lambda")
    for name, runtime in [("e2e-lambda-pass", "python3.12"), ("e2e-lambda-fail", "python3.8")]:
        lam.create_function(
            FunctionName=name,
            Runtime=runtime,
            Role=role,
            Handler="handler.handler",
            Code={"ZipFile": buf.getvalue()},
        )
    # A resource policy that names one account passes; one for everyone fails.
    lam.add_permission(
        FunctionName="e2e-lambda-pass",
        StatementId="partner",
        Action="lambda:InvokeFunction",
        Principal="210987654321",
    )
    lam.create_function_url_config(FunctionName="e2e-lambda-pass", AuthType="AWS_IAM")
    lam.add_permission(
        FunctionName="e2e-lambda-fail", StatementId="everyone", Action="lambda:InvokeFunction", Principal="*"
    )
    lam.create_function_url_config(FunctionName="e2e-lambda-fail", AuthType="NONE")


def seed_containers(a, subnets, kms_arn):
    ecr = a.client("ecr")
    ecr.create_repository(
        repositoryName="e2e-ecr-pass",
        imageScanningConfiguration={"scanOnPush": True},
        imageTagMutability="IMMUTABLE",
    )
    ecr.put_lifecycle_policy(
        repositoryName="e2e-ecr-pass",
        lifecyclePolicyText=json.dumps(
            {
                "rules": [
                    {
                        "rulePriority": 1,
                        "selection": {"tagStatus": "untagged", "countType": "sinceImagePushed", "countUnit": "days", "countNumber": 14},
                        "action": {"type": "expire"},
                    }
                ]
            }
        ),
    )
    ecr.set_repository_policy(
        repositoryName="e2e-ecr-pass",
        policyText=doc(
            {"Sid": "partner", "Effect": "Allow", "Principal": {"AWS": "arn:aws:iam::210987654321:root"}, "Action": "ecr:BatchGetImage"}
        ),
    )
    ecr_eu = a.client("ecr", R2)
    ecr_eu.create_repository(
        repositoryName="e2e-ecr-fail",
        imageScanningConfiguration={"scanOnPush": False},
        imageTagMutability="MUTABLE",
    )
    ecr_eu.set_repository_policy(
        repositoryName="e2e-ecr-fail",
        policyText=doc({"Sid": "everyone", "Effect": "Allow", "Principal": "*", "Action": "ecr:BatchGetImage"}),
    )

    efs = a.client("efs")
    efs.create_file_system(CreationToken="e2e-efs-pass", Encrypted=True, Backup=True, Tags=name_tag("e2e-efs-pass"))
    efs.create_file_system(CreationToken="e2e-efs-fail", Encrypted=False, Tags=name_tag("e2e-efs-fail"))

    eks = a.client("eks")
    role = f"arn:aws:iam::{a.id}:role/e2e-support"
    # 1.40 is newer than every version in yagura's EKS calendar (standard
    # support); 1.24 left extended support in 2025.
    eks.create_cluster(
        name="e2e-eks-pass",
        version="1.40",
        roleArn=role,
        resourcesVpcConfig={"subnetIds": subnets[:2], "endpointPublicAccess": False, "endpointPrivateAccess": True},
        encryptionConfig=[{"resources": ["secrets"], "provider": {"keyArn": kms_arn}}],
        logging={"clusterLogging": [{"types": ["api", "audit"], "enabled": True}]},
    )
    eks.create_cluster(
        name="e2e-eks-fail",
        version="1.24",
        roleArn=role,
        resourcesVpcConfig={"subnetIds": subnets[:2], "endpointPublicAccess": True, "publicAccessCidrs": ["0.0.0.0/0"]},
    )

    ddb = a.client("dynamodb")
    key = {
        "KeySchema": [{"AttributeName": "id", "KeyType": "HASH"}],
        "AttributeDefinitions": [{"AttributeName": "id", "AttributeType": "S"}],
        "BillingMode": "PAY_PER_REQUEST",
    }
    ddb.create_table(
        TableName="e2e-ddb-pass",
        SSESpecification={"Enabled": True, "SSEType": "KMS", "KMSMasterKeyId": kms_arn},
        DeletionProtectionEnabled=True,
        **key,
    )
    ddb.update_continuous_backups(
        TableName="e2e-ddb-pass", PointInTimeRecoverySpecification={"PointInTimeRecoveryEnabled": True}
    )
    a.client("dynamodb", R2).create_table(TableName="e2e-ddb-fail", **key)

    sm = a.client("secretsmanager")
    sm.create_secret(Name="e2e-sm-pass", SecretString="e2e")
    # Read before rotating: without a rotation function moto moves the AWSCURRENT label away.
    sm.get_secret_value(SecretId="e2e-sm-pass")
    sm.rotate_secret(SecretId="e2e-sm-pass", RotationRules={"AutomaticallyAfterDays": 30})
    a.client("secretsmanager", R2).create_secret(Name="e2e-sm-fail", SecretString="e2e")


def seed_elb(a, subnets):
    cert = a.client("acm").request_certificate(DomainName="e2e.example.com")["CertificateArn"]
    elb = a.client("elbv2")
    s3 = a.client("s3")
    bucket(s3, "e2e-alb-logs")
    fixed = [{"Type": "fixed-response", "FixedResponseConfig": {"StatusCode": "200", "ContentType": "text/plain"}}]
    redirect = [{"Type": "redirect", "RedirectConfig": {"Protocol": "HTTPS", "Port": "443", "StatusCode": "HTTP_301"}}]
    for name, good in [("e2e-alb-pass", True), ("e2e-alb-fail", False)]:
        lb = elb.create_load_balancer(Name=name, Subnets=subnets[:2], Scheme="internet-facing", Type="application")[
            "LoadBalancers"
        ][0]["LoadBalancerArn"]
        on = "true" if good else "false"
        attrs = [
            {"Key": "routing.http.drop_invalid_header_fields.enabled", "Value": on},
            {"Key": "deletion_protection.enabled", "Value": on},
            {"Key": "access_logs.s3.enabled", "Value": on},
            {"Key": "routing.http.desync_mitigation_mode", "Value": "defensive" if good else "monitor"},
        ]
        if good:
            attrs.append({"Key": "access_logs.s3.bucket", "Value": "e2e-alb-logs"})
        elb.modify_load_balancer_attributes(LoadBalancerArn=lb, Attributes=attrs)
        elb.create_listener(LoadBalancerArn=lb, Protocol="HTTP", Port=80, DefaultActions=redirect if good else fixed)
        elb.create_listener(
            LoadBalancerArn=lb,
            Protocol="HTTPS",
            Port=443,
            SslPolicy="ELBSecurityPolicy-TLS13-1-2-2021-06" if good else "ELBSecurityPolicy-2016-08",
            Certificates=[{"CertificateArn": cert}],
            DefaultActions=fixed,
        )


# ---- member account ------------------------------------------------------------


def member_account(main):
    org = main.client("organizations")
    org.create_organization(FeatureSet="ALL")
    member_id = org.create_account(Email="e2e-member@example.com", AccountName="e2e-member")["CreateAccountStatus"][
        "AccountId"
    ]
    creds = main.client("sts").assume_role(
        RoleArn=f"arn:aws:iam::{member_id}:role/OrganizationAccountAccessRole", RoleSessionName="e2e-seed"
    )["Credentials"]
    return Account(
        member_id,
        {
            "aws_access_key_id": creds["AccessKeyId"],
            "aws_secret_access_key": creds["SecretAccessKey"],
            "aws_session_token": creds["SessionToken"],
        },
    )


def seed_member(m):
    """The account-level cases whose other side the main account has."""
    strong_password_policy(m.client("iam"))
    # Account-wide Block Public Access: the bucket needs none of its own.
    s3control = m.client("s3control")

    # S3 Control puts the account id in the host name, which does not resolve
    # for a local endpoint; moto reads it from the request anyway.
    def local_host(request, **_):
        request.url = request.url.replace(f"//{m.id}.", "//", 1)

    s3control.meta.events.register("before-sign.s3-control.*", local_host)
    s3control.put_public_access_block(AccountId=m.id, PublicAccessBlockConfiguration=BPA_ON)
    s3 = m.client("s3")
    bucket(s3, "e2e-s3-member")
    bucket(s3, "e2e-ct-member-logs")
    ct = m.client("cloudtrail")
    ct.create_trail(Name="e2e-ct-member", S3BucketName="e2e-ct-member-logs", IsMultiRegionTrail=True)
    ct.start_logging(Name="e2e-ct-member")
    # Read events only: management writes and S3 object writes go unrecorded.
    ct.put_event_selectors(
        TrailName="e2e-ct-member",
        EventSelectors=[{"ReadWriteType": "ReadOnly", "IncludeManagementEvents": True, "DataResources": S3_ALL}],
    )


# ---- fix mode --------------------------------------------------------------------


def seed_fix(a):
    weak_password_policy(a.client("iam"))
    s3 = a.client("s3")
    bucket(s3, "e2e-fix-bucket")
    bucket(s3, "e2e-fix-trail-logs")
    s3.put_public_access_block(Bucket="e2e-fix-trail-logs", PublicAccessBlockConfiguration=BPA_ON)
    s3.put_bucket_encryption(
        Bucket="e2e-fix-trail-logs",
        ServerSideEncryptionConfiguration={"Rules": [{"ApplyServerSideEncryptionByDefault": {"SSEAlgorithm": "AES256"}}]},
    )
    ct = a.client("cloudtrail")
    ct.create_trail(Name="e2e-fix-trail", S3BucketName="e2e-fix-trail-logs", IsMultiRegionTrail=True)
    ct.start_logging(Name="e2e-fix-trail")
    ec2 = a.client("ec2")
    vpc = default_vpc(ec2)
    sg = security_group(
        ec2,
        vpc,
        "e2e-fix-sg",
        [tcp(22, v4=["0.0.0.0/0", "10.0.0.0/8"]), tcp(3389, v6=["::/0"]), tcp(443, v4=["0.0.0.0/0"])],
    )
    ec2.run_instances(
        ImageId=ec2.describe_images()["Images"][0]["ImageId"],
        MinCount=1,
        MaxCount=1,
        InstanceType="t3.micro",
        SubnetId=subnets_of(ec2, vpc)[0]["SubnetId"],
        SecurityGroupIds=[sg],
        MetadataOptions={"HttpTokens": "optional", "HttpEndpoint": "enabled"},
        TagSpecifications=name_tag("e2e-fix-instance", "instance"),
    )


def main():
    main_account = Account(MAIN)
    if MODE == "fix":
        seed_fix(main_account)
        print(json.dumps({}))
        return
    if MODE != "full":
        sys.exit(f"unknown mode {MODE!r} (full or fix)")
    iam = seed_iam(main_account)
    kms_arn = seed_kms(main_account)
    seed_s3(main_account)
    seed_cloudtrail(main_account, kms_arn)
    seed_region_settings(main_account, f"arn:aws:iam::{MAIN}:role/e2e-support")
    subnets = seed_ec2(main_account)
    seed_logs_sns_sqs(main_account, kms_arn)
    seed_rds(main_account, kms_arn)
    seed_lambda(main_account, iam["lambda_trust"])
    seed_containers(main_account, subnets, kms_arn)
    seed_elb(main_account, subnets)
    member = member_account(main_account)
    seed_member(member)
    print(json.dumps({"member": member.id}))


if __name__ == "__main__":
    main()
