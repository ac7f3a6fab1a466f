#!/usr/bin/env python3
"""Seeds a moto server with compliant and misconfigured resources in two regions.

Usage: seed.py ENDPOINT_URL [org]
Prints one JSON object with the generated ids the Rust test asserts on. With
`org`, creates only an organization with one member account holding one bucket.
"""

import io
import json
import sys
import zipfile

import boto3

ENDPOINT = sys.argv[1]
ACCOUNT = "123456789012"
R1, R2 = "us-east-1", "eu-west-1"


def client(service, region=R1):
    return boto3.client(
        service,
        endpoint_url=ENDPOINT,
        region_name=region,
        aws_access_key_id="testing",
        aws_secret_access_key="testing",
    )


out = {}

if len(sys.argv) > 2 and sys.argv[2] == "org":
    org = client("organizations")
    org.create_organization(FeatureSet="ALL")
    member = org.create_account(Email="member@example.com", AccountName="member")["CreateAccountStatus"]["AccountId"]
    creds = client("sts").assume_role(
        RoleArn=f"arn:aws:iam::{member}:role/OrganizationAccountAccessRole", RoleSessionName="seed"
    )["Credentials"]
    boto3.client(
        "s3",
        endpoint_url=ENDPOINT,
        region_name=R1,
        aws_access_key_id=creds["AccessKeyId"],
        aws_secret_access_key=creds["SecretAccessKey"],
        aws_session_token=creds["SessionToken"],
    ).create_bucket(Bucket="member-bucket")
    client("s3").create_bucket(Bucket="management-bucket")
    print(json.dumps({"member": member}))
    sys.exit(0)

# ---- IAM -------------------------------------------------------------------
iam = client("iam")
iam.update_account_password_policy(
    MinimumPasswordLength=8,
    RequireSymbols=False,
    RequireNumbers=True,
    RequireUppercaseCharacters=True,
    RequireLowercaseCharacters=True,
    AllowUsersToChangePassword=True,
    MaxPasswordAge=180,
)
admin_doc = {"Version": "2012-10-17", "Statement": [{"Effect": "Allow", "Action": "*", "Resource": "*"}]}
admin = iam.create_policy(PolicyName="yagura-admin", PolicyDocument=json.dumps(admin_doc))["Policy"]
out["admin_policy_arn"] = admin["Arn"]
iam.create_group(GroupName="admins")
iam.create_user(UserName="alice")
iam.create_login_profile(UserName="alice", Password="Sup3r-secret-pw!")
key = iam.create_access_key(UserName="alice")["AccessKey"]
out["alice_key_id"] = key["AccessKeyId"]
iam.attach_user_policy(UserName="alice", PolicyArn=admin["Arn"])
iam.put_user_policy(
    UserName="alice",
    PolicyName="inline-s3",
    PolicyDocument=json.dumps({"Version": "2012-10-17", "Statement": [{"Effect": "Allow", "Action": "s3:*", "Resource": "*"}]}),
)
iam.add_user_to_group(GroupName="admins", UserName="alice")
iam.create_user(UserName="bob")
mfa = iam.create_virtual_mfa_device(VirtualMFADeviceName="bob-mfa")["VirtualMFADevice"]
iam.enable_mfa_device(
    UserName="bob", SerialNumber=mfa["SerialNumber"], AuthenticationCode1="123456", AuthenticationCode2="654321"
)
trust = {
    "Version": "2012-10-17",
    "Statement": [{"Effect": "Allow", "Principal": {"Service": "lambda.amazonaws.com"}, "Action": "sts:AssumeRole"}],
}
role = iam.create_role(RoleName="app-role", AssumeRolePolicyDocument=json.dumps(trust))["Role"]
out["role_arn"] = role["Arn"]
iam.attach_role_policy(RoleName="app-role", PolicyArn="arn:aws:iam::aws:policy/AWSSupportAccess")

# ---- S3 --------------------------------------------------------------------
s3 = client("s3")
s3.create_bucket(Bucket="yagura-logs")
s3.put_bucket_acl(Bucket="yagura-logs", ACL="log-delivery-write")
s3.create_bucket(Bucket="yagura-open")
s3.put_bucket_acl(Bucket="yagura-open", ACL="public-read")
public_policy = {
    "Version": "2012-10-17",
    "Statement": [
        {"Effect": "Allow", "Principal": "*", "Action": "s3:GetObject", "Resource": "arn:aws:s3:::yagura-open/*"}
    ],
}
s3.put_bucket_policy(Bucket="yagura-open", Policy=json.dumps(public_policy))
s3.create_bucket(Bucket="yagura-locked")
s3.put_public_access_block(
    Bucket="yagura-locked",
    PublicAccessBlockConfiguration={
        "BlockPublicAcls": True,
        "IgnorePublicAcls": True,
        "BlockPublicPolicy": True,
        "RestrictPublicBuckets": True,
    },
)
s3.put_bucket_encryption(
    Bucket="yagura-locked",
    ServerSideEncryptionConfiguration={"Rules": [{"ApplyServerSideEncryptionByDefault": {"SSEAlgorithm": "AES256"}}]},
)
s3.put_bucket_versioning(Bucket="yagura-locked", VersioningConfiguration={"Status": "Enabled"})
s3.put_bucket_logging(
    Bucket="yagura-locked",
    BucketLoggingStatus={"LoggingEnabled": {"TargetBucket": "yagura-logs", "TargetPrefix": "locked/"}},
)
s3.put_bucket_ownership_controls(
    Bucket="yagura-locked", OwnershipControls={"Rules": [{"ObjectOwnership": "BucketOwnerEnforced"}]}
)
s3.put_bucket_lifecycle_configuration(
    Bucket="yagura-locked",
    LifecycleConfiguration={
        "Rules": [{"ID": "expire", "Status": "Enabled", "Filter": {"Prefix": ""}, "Expiration": {"Days": 30}}]
    },
)
s3.put_bucket_tagging(Bucket="yagura-locked", Tagging={"TagSet": [{"Key": "team", "Value": "data"}]})

# ---- KMS -------------------------------------------------------------------
kms = client("kms")
rotated = kms.create_key(Description="rotated")["KeyMetadata"]
kms.enable_key_rotation(KeyId=rotated["KeyId"])
kms.create_alias(AliasName="alias/rotated", TargetKeyId=rotated["KeyId"])
unrotated = kms.create_key(Description="not rotated")["KeyMetadata"]
asym = kms.create_key(Description="signing", KeySpec="RSA_2048", KeyUsage="SIGN_VERIFY")["KeyMetadata"]
out["kms_rotated"] = rotated["Arn"]
out["kms_unrotated"] = unrotated["Arn"]
out["kms_asym"] = asym["Arn"]

s3.create_bucket(Bucket="yagura-eu", CreateBucketConfiguration={"LocationConstraint": R2})
s3.put_bucket_encryption(
    Bucket="yagura-eu",
    ServerSideEncryptionConfiguration={
        "Rules": [
            {
                "ApplyServerSideEncryptionByDefault": {"SSEAlgorithm": "aws:kms", "KMSMasterKeyID": rotated["Arn"]},
                "BucketKeyEnabled": True,
            }
        ]
    },
)

# ---- EC2 -------------------------------------------------------------------
ec2 = client("ec2")
vpc_id = ec2.describe_vpcs(Filters=[{"Name": "isDefault", "Values": ["true"]}])["Vpcs"][0]["VpcId"]
out["vpc_id"] = vpc_id
subnets = ec2.describe_subnets(Filters=[{"Name": "vpc-id", "Values": [vpc_id]}])["Subnets"]
out["subnet_ids"] = [s["SubnetId"] for s in subnets]
sg_open = ec2.create_security_group(GroupName="ssh-open", Description="open admin ports", VpcId=vpc_id)["GroupId"]
ec2.authorize_security_group_ingress(
    GroupId=sg_open,
    IpPermissions=[
        {"IpProtocol": "tcp", "FromPort": 22, "ToPort": 22, "IpRanges": [{"CidrIp": "0.0.0.0/0"}, {"CidrIp": "10.0.0.0/8"}]},
        {"IpProtocol": "tcp", "FromPort": 3389, "ToPort": 3389, "Ipv6Ranges": [{"CidrIpv6": "::/0"}]},
        {"IpProtocol": "tcp", "FromPort": 443, "ToPort": 443, "IpRanges": [{"CidrIp": "0.0.0.0/0"}]},
    ],
)
out["sg_open"] = sg_open
sg_web = ec2.create_security_group(GroupName="web", Description="https only", VpcId=vpc_id)["GroupId"]
ec2.authorize_security_group_ingress(
    GroupId=sg_web,
    IpPermissions=[{"IpProtocol": "tcp", "FromPort": 443, "ToPort": 443, "UserIdGroupPairs": [{"GroupId": sg_open}]}],
)
out["sg_web"] = sg_web
image_id = ec2.describe_images()["Images"][0]["ImageId"]
inst = ec2.run_instances(
    ImageId=image_id,
    MinCount=1,
    MaxCount=1,
    InstanceType="t3.micro",
    SubnetId=subnets[0]["SubnetId"],
    SecurityGroupIds=[sg_open],
    MetadataOptions={"HttpTokens": "optional", "HttpEndpoint": "enabled"},
    TagSpecifications=[{"ResourceType": "instance", "Tags": [{"Key": "Name", "Value": "bastion"}]}],
)["Instances"][0]
out["instance_id"] = inst["InstanceId"]
vol = ec2.create_volume(AvailabilityZone=subnets[0]["AvailabilityZone"], Size=8, Encrypted=False)
out["volume_id"] = vol["VolumeId"]
snap = ec2.create_snapshot(VolumeId=vol["VolumeId"], Description="public snapshot")
ec2.modify_snapshot_attribute(
    SnapshotId=snap["SnapshotId"], Attribute="createVolumePermission", OperationType="add", GroupNames=["all"]
)
out["snapshot_public"] = snap["SnapshotId"]
vpc2 = ec2.create_vpc(CidrBlock="10.9.0.0/16")["Vpc"]["VpcId"]
out["vpc_flow"] = vpc2
ec2.create_flow_logs(
    ResourceIds=[vpc2],
    ResourceType="VPC",
    TrafficType="ALL",
    LogDestinationType="s3",
    LogDestination="arn:aws:s3:::yagura-logs",
)

# EBS encryption by default only in the second region.
ec2_eu = client("ec2", R2)
ec2_eu.enable_ebs_encryption_by_default()
vpc_eu = ec2_eu.describe_vpcs(Filters=[{"Name": "isDefault", "Values": ["true"]}])["Vpcs"][0]["VpcId"]
sg_eu = ec2_eu.create_security_group(GroupName="eu-rdp", Description="rdp", VpcId=vpc_eu)["GroupId"]
ec2_eu.authorize_security_group_ingress(
    GroupId=sg_eu,
    IpPermissions=[{"IpProtocol": "-1", "IpRanges": [{"CidrIp": "0.0.0.0/0"}]}],
)
out["sg_eu"] = sg_eu
kms_eu = client("kms", R2)
out["kms_eu"] = kms_eu.create_key(Description="eu key")["KeyMetadata"]["Arn"]

# ---- CloudTrail, Logs, CloudWatch, SNS, SQS --------------------------------
logs = client("logs")
logs.create_log_group(logGroupName="trail-logs")
logs.put_retention_policy(logGroupName="trail-logs", retentionInDays=365)
logs.put_metric_filter(
    logGroupName="trail-logs",
    filterName="root-usage",
    filterPattern='{ $.userIdentity.type = "Root" }',
    metricTransformations=[{"metricName": "RootUsage", "metricNamespace": "CIS", "metricValue": "1"}],
)
logs.create_log_group(logGroupName="app-logs")
ct = client("cloudtrail")
trail = ct.create_trail(
    Name="main-trail", S3BucketName="yagura-logs", IsMultiRegionTrail=True, EnableLogFileValidation=False
)
out["trail_arn"] = trail["TrailARN"]
ct.start_logging(Name="main-trail")
ct.put_event_selectors(
    TrailName="main-trail",
    EventSelectors=[
        {
            "ReadWriteType": "All",
            "IncludeManagementEvents": True,
            "DataResources": [{"Type": "AWS::S3::Object", "Values": ["arn:aws:s3"]}],
        }
    ],
)
sns = client("sns")
topic = sns.create_topic(Name="alerts")["TopicArn"]
out["topic_arn"] = topic
sqs = client("sqs")
queue_url = sqs.create_queue(QueueName="jobs")["QueueUrl"]
queue_arn = sqs.get_queue_attributes(QueueUrl=queue_url, AttributeNames=["QueueArn"])["Attributes"]["QueueArn"]
out["queue_arn"] = queue_arn
sqs.set_queue_attributes(
    QueueUrl=queue_url,
    Attributes={
        "Policy": json.dumps(
            {
                "Version": "2012-10-17",
                "Statement": [{"Effect": "Allow", "Principal": "*", "Action": "sqs:SendMessage", "Resource": queue_arn}],
            }
        )
    },
)
out["subscription_arn"] = sns.subscribe(TopicArn=topic, Protocol="sqs", Endpoint=queue_arn)["SubscriptionArn"]
cw = client("cloudwatch")
cw.put_metric_alarm(
    AlarmName="root-usage",
    MetricName="RootUsage",
    Namespace="CIS",
    Statistic="Sum",
    Period=300,
    EvaluationPeriods=1,
    Threshold=1,
    ComparisonOperator="GreaterThanOrEqualToThreshold",
    AlarmActions=[topic],
)

# ---- RDS -------------------------------------------------------------------
rds = client("rds")
db = rds.create_db_instance(
    DBInstanceIdentifier="db1",
    DBInstanceClass="db.t3.micro",
    Engine="postgres",
    MasterUsername="admin",
    MasterUserPassword="password123",
    AllocatedStorage=20,
    PubliclyAccessible=True,
    StorageEncrypted=False,
    BackupRetentionPeriod=0,
)["DBInstance"]
out["db_arn"] = db["DBInstanceArn"]
snap = rds.create_db_snapshot(DBInstanceIdentifier="db1", DBSnapshotIdentifier="db1-manual")["DBSnapshot"]
rds.modify_db_snapshot_attribute(DBSnapshotIdentifier="db1-manual", AttributeName="restore", ValuesToAdd=["all"])
out["db_snapshot_arn"] = snap["DBSnapshotArn"]

# ---- Lambda, ECR, EKS, DynamoDB, Secrets Manager, EFS, ELBv2, Config --------
buf = io.BytesIO()
with zipfile.ZipFile(buf, "w") as z:
    z.writestr("handler.py", "def handler(event, context):\n    return 1\n")
lam = client("lambda")
fn = lam.create_function(
    FunctionName="hello",
    Runtime="python3.12",
    Role=role["Arn"],
    Handler="handler.handler",
    Code={"ZipFile": buf.getvalue()},
    Environment={"Variables": {"DB_PASSWORD": "x", "API_URL": "y"}},
)
out["function_arn"] = fn["FunctionArn"]
lam.add_permission(
    FunctionName="hello", StatementId="public", Action="lambda:InvokeFunction", Principal="*"
)
lam.create_function_url_config(FunctionName="hello", AuthType="NONE")
ecr = client("ecr")
repo = ecr.create_repository(
    repositoryName="app", imageScanningConfiguration={"scanOnPush": True}, imageTagMutability="IMMUTABLE"
)["repository"]
out["repo_arn"] = repo["repositoryArn"]
eks = client("eks")
cluster = eks.create_cluster(
    name="prod",
    version="1.29",
    roleArn=role["Arn"],
    resourcesVpcConfig={"subnetIds": out["subnet_ids"][:2], "endpointPublicAccess": True, "publicAccessCidrs": ["0.0.0.0/0"]},
)["cluster"]
out["cluster_arn"] = cluster["arn"]
ddb = client("dynamodb")
table = ddb.create_table(
    TableName="orders",
    KeySchema=[{"AttributeName": "id", "KeyType": "HASH"}],
    AttributeDefinitions=[{"AttributeName": "id", "AttributeType": "S"}],
    BillingMode="PAY_PER_REQUEST",
)["TableDescription"]
ddb.update_continuous_backups(
    TableName="orders", PointInTimeRecoverySpecification={"PointInTimeRecoveryEnabled": True}
)
out["table_arn"] = table["TableArn"]
sm = client("secretsmanager")
out["secret_arn"] = sm.create_secret(Name="db-password", SecretString="hunter2")["ARN"]
efs = client("efs")
fs = efs.create_file_system(CreationToken="fs1", Encrypted=True, Tags=[{"Key": "Name", "Value": "shared"}])
out["efs_id"] = fs["FileSystemId"]
out["efs_arn"] = fs.get("FileSystemArn")
elb = client("elbv2")
lb = elb.create_load_balancer(Name="web-lb", Subnets=out["subnet_ids"][:2], Scheme="internet-facing", Type="application")[
    "LoadBalancers"
][0]
out["lb_arn"] = lb["LoadBalancerArn"]
elb.modify_load_balancer_attributes(
    LoadBalancerArn=lb["LoadBalancerArn"],
    Attributes=[{"Key": "routing.http.drop_invalid_header_fields.enabled", "Value": "true"}],
)
elb.create_listener(
    LoadBalancerArn=lb["LoadBalancerArn"],
    Protocol="HTTP",
    Port=80,
    DefaultActions=[{"Type": "redirect", "RedirectConfig": {"Protocol": "HTTPS", "Port": "443", "StatusCode": "HTTP_301"}}],
)
cfg = client("config")
cfg.put_configuration_recorder(
    ConfigurationRecorder={
        "name": "default",
        "roleARN": role["Arn"],
        "recordingGroup": {"allSupported": True, "includeGlobalResourceTypes": True},
    }
)
cfg.put_delivery_channel(DeliveryChannel={"name": "default", "s3BucketName": "yagura-logs"})
cfg.start_configuration_recorder(ConfigurationRecorderName="default")

print(json.dumps(out))
