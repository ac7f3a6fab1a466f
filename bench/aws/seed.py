#!/usr/bin/env python3
"""Seed a running moto server with a deterministic AWS estate for the scan benchmark.

The estate has several thousand resources across 14 services and 4 regions, a mix
of compliant and misconfigured ones. Every choice (encrypted or not, public or not,
which port is open …) comes from an RNG keyed by (seed, kind, region, index), so the
same seed gives the same configuration whatever the thread scheduling. Only the IDs
moto generates (vpc-…, i-…) differ between runs.

    python3 bench/aws/seed.py --endpoint-url http://127.0.0.1:5000

Concurrency: moto server answers requests on threads but its backends are plain
dicts without locks, and concurrent writes to one backend (or a read that iterates
a dict another request grows) end in "dictionary changed size during iteration"
500s. So work runs in lanes, one thread each: IAM, S3 (both global backends) and
one lane per region; a lane never shares a moto backend with another lane that
writes at the same time.

Start moto with MOTO_EC2_LOAD_DEFAULT_AMIS=false: otherwise every region carries
~1,200 AMI snapshots owned by other accounts that moto returns even for
OwnerIds=[self], and both scanners would report them as the account's own.
"""

from __future__ import annotations

import argparse
import io
import json
import random
import sys
import threading
import time
import zipfile
from collections import Counter, defaultdict
from collections.abc import Callable, Sequence
from concurrent.futures import ThreadPoolExecutor
from typing import Any

import boto3
from botocore.config import Config

DEFAULT_REGIONS = ["us-east-1", "us-west-2", "eu-west-1", "ap-northeast-1"]

# Per region (IAM: per account), at --scale 1.
PER_REGION = {
    "vpc": 10,
    "security_group": 250,
    "network_acl": 20,
    "instance": 40,
    "volume": 150,
    "snapshot": 25,
    "kms_key": 30,
    "sns_topic": 80,
    "sqs_queue": 80,
    "dynamodb_table": 40,
    "secret": 40,
    "log_group": 120,
    "rds_instance": 15,
    "rds_snapshot": 5,
    "ecr_repository": 30,
    "load_balancer": 10,
    "lambda_function": 20,
    "efs_file_system": 5,
    "eks_cluster": 2,
    "s3_bucket": 75,
}
# 93 roles + 7 service roles = 100: moto's ListEntitiesForPolicy only looks at the
# first 100 roles (sorted by random role ID) and never pages, so with more roles
# whether the AWSSupportAccess role is found would change from run to run.
PER_ACCOUNT = {"iam_user": 500, "iam_group": 20, "iam_policy": 200, "iam_role": 93}
SUBNETS_PER_VPC = 3

# The service each kind is counted under in the summary.
SERVICE = {
    "vpc": "ec2",
    "subnet": "ec2",
    "security_group": "ec2",
    "network_acl": "ec2",
    "instance": "ec2",
    "volume": "ec2",
    "snapshot": "ec2",
    "ami": "ec2",
    "kms_key": "kms",
    "sns_topic": "sns",
    "sqs_queue": "sqs",
    "dynamodb_table": "dynamodb",
    "secret": "secretsmanager",
    "log_group": "logs",
    "metric_alarm": "cloudwatch",
    "rds_instance": "rds",
    "rds_snapshot": "rds",
    "ecr_repository": "ecr",
    "load_balancer": "elbv2",
    "lambda_function": "lambda",
    "efs_file_system": "efs",
    "eks_cluster": "eks",
    "s3_bucket": "s3",
    "trail": "cloudtrail",
    "iam_user": "iam",
    "iam_group": "iam",
    "iam_policy": "iam",
    "iam_role": "iam",
    "acm_certificate": "acm",
}

# A third-party account used for cross-account trust and policies.
OTHER_ACCOUNT = "210987654321"


class Seeder:
    def __init__(self, endpoint: str, regions: list[str], scale: float, seed: str):
        self.endpoint = endpoint
        self.regions = regions
        self.seed = seed
        self.n = {k: max(1, round(v * scale)) for k, v in PER_REGION.items()}
        self.n.update({k: max(1, round(v * scale)) for k, v in PER_ACCOUNT.items()})
        self.counts: Counter[tuple[str, str]] = Counter()
        self.settings: list[str] = []
        self._lock = threading.Lock()
        self._clients: dict[tuple[str, str], Any] = {}
        # boto3 sessions are not thread-safe; clients are. Build clients under a lock.
        self._session = boto3.session.Session(
            aws_access_key_id="testing", aws_secret_access_key="testing"
        )
        self._config = Config(
            max_pool_connections=4,
            retries={"max_attempts": 8, "mode": "standard"},
            connect_timeout=10,
            read_timeout=120,
        )
        self.account = self.client("sts", regions[0]).get_caller_identity()["Account"]
        # Filled by the phases; each list is written by one lane only.
        self.net: dict[str, dict[str, Any]] = {}
        self.keys: dict[str, list[str]] = {r: [] for r in regions}
        self.policies: list[str] = []
        self.groups: list[str] = []
        self.role_arns: dict[str, str] = {}
        self.volumes: dict[str, list[dict[str, Any]]] = {r: [] for r in regions}
        self.rds: dict[str, list[str]] = {r: [] for r in regions}
        self.lambda_zip = _lambda_zip()

    # -- plumbing -----------------------------------------------------------

    def client(self, service: str, region: str) -> Any:
        key = (service, region)
        with self._lock:
            c = self._clients.get(key)
            if c is None:
                c = self._session.client(
                    service, region_name=region, endpoint_url=self.endpoint, config=self._config
                )
                self._clients[key] = c
            return c

    def rng(self, kind: str, region: str, i: int) -> random.Random:
        # str seeds are hashed with SHA-512 by `random`, so this is stable across runs.
        return random.Random(f"{self.seed}/{kind}/{region}/{i}")

    def count(self, kind: str, region: str, n: int = 1) -> None:
        with self._lock:
            self.counts[(kind, region)] += n

    def setting(self, text: str) -> None:
        with self._lock:
            self.settings.append(text)

    def run_lanes(self, name: str, lanes: dict[str, list[Callable[[], Any]]]) -> None:
        """Runs each lane's steps in order, lanes in parallel; raises the first error."""
        t0 = time.monotonic()

        def go(steps: list[Callable[[], Any]]) -> None:
            for step in steps:
                step()

        with ThreadPoolExecutor(max_workers=len(lanes)) as pool:
            futures = {lane: pool.submit(go, steps) for lane, steps in lanes.items()}
            for lane, f in futures.items():
                try:
                    f.result()
                except Exception as e:
                    raise RuntimeError(f"{name}, lane {lane}: {e}") from e
        steps = sum(len(v) for v in lanes.values())
        print(
            f"  {name}: {steps} steps in {len(lanes)} lanes, {time.monotonic() - t0:.1f}s",
            file=sys.stderr,
        )

    def warm_up(self) -> None:
        """Touches every (service, region) backend once, serially: moto creates
        backends lazily and that creation is not guarded against concurrency."""
        calls = {
            "ec2": "describe_vpcs",
            "kms": "list_keys",
            "sns": "list_topics",
            "sqs": "list_queues",
            "dynamodb": "list_tables",
            "secretsmanager": "list_secrets",
            "logs": "describe_log_groups",
            "rds": "describe_db_instances",
            "ecr": "describe_repositories",
            "elbv2": "describe_load_balancers",
            "lambda": "list_functions",
            "efs": "describe_file_systems",
            "eks": "list_clusters",
            "acm": "list_certificates",
            "cloudtrail": "describe_trails",
            "cloudwatch": "describe_alarms",
            "config": "describe_configuration_recorders",
        }
        for region in self.regions:
            for svc, op in calls.items():
                getattr(self.client(svc, region), op)()
        self.client("iam", self.regions[0]).list_users()
        self.client("s3", self.regions[0]).list_buckets()

    def arn(self, service: str, region: str, resource: str) -> str:
        return f"arn:aws:{service}:{region}:{self.account}:{resource}"

    # -- phase 1: things others refer to -----------------------------------

    def network(self, region: str) -> None:
        ec2 = self.client("ec2", region)
        azs = sorted(z["ZoneName"] for z in ec2.describe_availability_zones()["AvailabilityZones"])
        image = ec2.register_image(
            Name="yb-base-image",
            RootDeviceName="/dev/xvda",
            Architecture="x86_64",
            VirtualizationType="hvm",
        )["ImageId"]
        self.count("ami", region)
        logs = self.client("logs", region)
        logs.create_log_group(logGroupName="/yb/vpc-flow-logs")
        self.count("log_group", region)
        vpcs: list[str] = []
        subnets: dict[str, list[str]] = {}
        for v in range(self.n["vpc"]):
            r = self.rng("vpc", region, v)
            vpc = ec2.create_vpc(
                CidrBlock=f"10.{v}.0.0/16",
                TagSpecifications=[_tags("vpc", {"Name": f"yb-vpc-{v:02d}"})],
            )["Vpc"]["VpcId"]
            self.count("vpc", region)
            vpcs.append(vpc)
            subnets[vpc] = []
            for k in range(SUBNETS_PER_VPC):
                sn = ec2.create_subnet(
                    VpcId=vpc,
                    CidrBlock=f"10.{v}.{k}.0/24",
                    AvailabilityZone=azs[k % len(azs)],
                )["Subnet"]["SubnetId"]
                self.count("subnet", region)
                if r.random() < 0.3:
                    ec2.modify_subnet_attribute(SubnetId=sn, MapPublicIpOnLaunch={"Value": True})
                subnets[vpc].append(sn)
            if r.random() < 0.5:
                ec2.create_flow_logs(
                    ResourceIds=[vpc],
                    ResourceType="VPC",
                    TrafficType="ALL",
                    LogGroupName="/yb/vpc-flow-logs",
                    DeliverLogsPermissionArn=f"arn:aws:iam::{self.account}:role/yb-flow-logs",
                )
            # Half the default security groups are emptied (CIS 5.4 compliant).
            if v % 2 == 0:
                sg = ec2.describe_security_groups(
                    Filters=[
                        {"Name": "vpc-id", "Values": [vpc]},
                        {"Name": "group-name", "Values": ["default"]},
                    ]
                )["SecurityGroups"][0]
                if sg["IpPermissions"]:
                    ec2.revoke_security_group_ingress(
                        GroupId=sg["GroupId"], IpPermissions=sg["IpPermissions"]
                    )
                if sg["IpPermissionsEgress"]:
                    ec2.revoke_security_group_egress(
                        GroupId=sg["GroupId"], IpPermissions=sg["IpPermissionsEgress"]
                    )
        cert = self.client("acm", region).request_certificate(
            DomainName=f"app.{region}.example.com"
        )["CertificateArn"]
        self.count("acm_certificate", region)
        self.net[region] = {
            "azs": azs,
            "image": image,
            "vpcs": vpcs,
            "subnets": subnets,
            "cert": cert,
        }

    def kms_key(self, region: str, i: int) -> None:
        """Usable symmetric keys go into self.keys for other resources to use."""
        r = self.rng("kms", region, i)
        kms = self.client("kms", region)
        asymmetric = r.random() < 0.15
        args: dict[str, Any] = {
            "Description": f"yb key {i}",
            "Tags": [{"TagKey": "bench", "TagValue": "yagura"}],
        }
        if asymmetric:
            args.update(KeySpec="RSA_2048", KeyUsage="SIGN_VERIFY")
        meta = kms.create_key(**args)["KeyMetadata"]
        self.count("kms_key", region)
        key_id, key_arn = meta["KeyId"], meta["Arn"]
        if not asymmetric and r.random() < 0.6:
            kms.enable_key_rotation(KeyId=key_id)
        if r.random() < 0.05:
            policy = _key_policy(self.account, public=True)
            kms.put_key_policy(KeyId=key_id, PolicyName="default", Policy=json.dumps(policy))
        if r.random() < 0.05:
            kms.schedule_key_deletion(KeyId=key_id, PendingWindowInDays=30)
        elif not asymmetric:
            self.keys[region].append(key_arn)

    def iam_group(self, i: int) -> None:
        iam = self.client("iam", self.regions[0])
        name = f"yb-group-{i:02d}"
        iam.create_group(GroupName=name)
        self.count("iam_group", "global")
        if i % 4 == 0:
            iam.attach_group_policy(
                GroupName=name, PolicyArn="arn:aws:iam::aws:policy/ReadOnlyAccess"
            )
        if i == 1:
            # On a group, not a user or role: see PER_ACCOUNT about moto's paging.
            iam.attach_group_policy(
                GroupName=name, PolicyArn="arn:aws:iam::aws:policy/AWSCloudShellFullAccess"
            )
        self.groups.append(name)

    def iam_policy(self, i: int) -> None:
        r = self.rng("iam_policy", "global", i)
        iam = self.client("iam", self.regions[0])
        x = r.random()
        if x < 0.05:
            stmt = {"Effect": "Allow", "Action": "*", "Resource": "*"}
        elif x < 0.2:
            svc = r.choice(["s3", "ec2", "dynamodb", "sqs", "kms"])
            stmt = {"Effect": "Allow", "Action": f"{svc}:*", "Resource": "*"}
        else:
            stmt = {
                "Effect": "Allow",
                "Action": ["s3:GetObject", "s3:ListBucket"],
                "Resource": [f"arn:aws:s3:::yb-data-{i}", f"arn:aws:s3:::yb-data-{i}/*"],
            }
        doc = {"Version": "2012-10-17", "Statement": [stmt]}
        arn = iam.create_policy(PolicyName=f"yb-policy-{i:03d}", PolicyDocument=json.dumps(doc))[
            "Policy"
        ]["Arn"]
        self.count("iam_policy", "global")
        self.policies.append(arn)

    def service_roles(self) -> None:
        """Roles the other resources need (Lambda execution, EKS, support …)."""
        iam = self.client("iam", self.regions[0])
        for name, principal in [
            ("yb-lambda-exec", {"Service": "lambda.amazonaws.com"}),
            ("yb-eks-cluster", {"Service": "eks.amazonaws.com"}),
            ("yb-flow-logs", {"Service": "vpc-flow-logs.amazonaws.com"}),
            ("yb-rds-monitoring", {"Service": "monitoring.rds.amazonaws.com"}),
            ("yb-config", {"Service": "config.amazonaws.com"}),
            ("yb-cloudtrail-logs", {"Service": "cloudtrail.amazonaws.com"}),
            ("yb-support", {"AWS": f"arn:aws:iam::{self.account}:root"}),
        ]:
            self.role_arns[name] = iam.create_role(
                RoleName=name, AssumeRolePolicyDocument=json.dumps(_trust(principal))
            )["Role"]["Arn"]
            self.count("iam_role", "global")
        iam.attach_role_policy(
            RoleName="yb-support", PolicyArn="arn:aws:iam::aws:policy/AWSSupportAccess"
        )
        # The password policy is deliberately weak: several CIS 1.x checks fail.
        iam.update_account_password_policy(
            MinimumPasswordLength=10,
            RequireSymbols=False,
            RequireNumbers=True,
            RequireUppercaseCharacters=True,
            RequireLowercaseCharacters=True,
            AllowUsersToChangePassword=True,
            MaxPasswordAge=180,
            PasswordReusePrevention=5,
        )
        self.setting("iam: account password policy (length 10, no symbols, reuse 5, age 180)")

    def bucket(self, region: str, i: int) -> None:
        r = self.rng("s3", region, i)
        s3 = self.client("s3", region)
        name = f"yb-{region}-{i:04d}"
        _create_bucket(s3, name, region)
        self.count("s3_bucket", region)
        s3.put_bucket_tagging(
            Bucket=name, Tagging={"TagSet": [{"Key": "team", "Value": r.choice(["a", "b", "c"])}]}
        )
        block = r.random()
        statements = []
        if r.random() < 0.4:
            statements.append(
                {
                    "Sid": "DenyInsecureTransport",
                    "Effect": "Deny",
                    "Principal": "*",
                    "Action": "s3:*",
                    "Resource": [f"arn:aws:s3:::{name}", f"arn:aws:s3:::{name}/*"],
                    "Condition": {"Bool": {"aws:SecureTransport": "false"}},
                }
            )
        if block >= 0.75 and r.random() < 0.3:
            statements.append(
                {
                    "Sid": "PublicRead",
                    "Effect": "Allow",
                    "Principal": "*",
                    "Action": "s3:GetObject",
                    "Resource": f"arn:aws:s3:::{name}/*",
                }
            )
        if statements:
            s3.put_bucket_policy(
                Bucket=name, Policy=json.dumps({"Version": "2012-10-17", "Statement": statements})
            )
        x = r.random()
        if x < 0.5:
            s3.put_bucket_ownership_controls(
                Bucket=name,
                OwnershipControls={"Rules": [{"ObjectOwnership": "BucketOwnerEnforced"}]},
            )
        elif x < 0.7:
            s3.put_bucket_ownership_controls(
                Bucket=name, OwnershipControls={"Rules": [{"ObjectOwnership": "ObjectWriter"}]}
            )
            if block >= 0.75:
                acl = "public-read-write" if r.random() < 0.2 else "public-read"
                s3.put_bucket_acl(Bucket=name, ACL=acl)
        if block < 0.6:
            _public_access_block(s3, name, True, True, True, True)
        elif block < 0.75:
            _public_access_block(s3, name, True, r.random() < 0.5, True, False)
        x = r.random()
        if x < 0.5:
            _encryption(s3, name, {"SSEAlgorithm": "AES256"})
        elif x < 0.8:
            _encryption(s3, name, {"SSEAlgorithm": "aws:kms"})
        if r.random() < 0.4:
            s3.put_bucket_versioning(Bucket=name, VersioningConfiguration={"Status": "Enabled"})
        if r.random() < 0.3:
            s3.put_bucket_logging(
                Bucket=name,
                BucketLoggingStatus={
                    "LoggingEnabled": {
                        "TargetBucket": _log_bucket(region),
                        "TargetPrefix": f"{name}/",
                    }
                },
            )
        if r.random() < 0.3:
            s3.put_bucket_lifecycle_configuration(
                Bucket=name,
                LifecycleConfiguration={
                    "Rules": [
                        {
                            "ID": "expire-old",
                            "Status": "Enabled",
                            "Filter": {"Prefix": ""},
                            "Expiration": {"Days": 365},
                        }
                    ]
                },
            )

    def log_bucket(self, region: str) -> None:
        """The target of server access logging, one per region."""
        s3 = self.client("s3", region)
        name = _log_bucket(region)
        _create_bucket(s3, name, region)
        self.count("s3_bucket", region)
        # moto (like S3 before bucket-policy delivery) wants the log-delivery grant.
        s3.put_bucket_acl(Bucket=name, ACL="log-delivery-write")
        _public_access_block(s3, name, True, True, True, True)
        _encryption(s3, name, {"SSEAlgorithm": "AES256"})

    # -- phase 2: everything that refers to phase 1 -------------------------

    def security_group(self, region: str, i: int) -> None:
        r = self.rng("sg", region, i)
        ec2 = self.client("ec2", region)
        vpc = self.net[region]["vpcs"][i % len(self.net[region]["vpcs"])]
        gid = ec2.create_security_group(
            GroupName=f"yb-sg-{i:04d}", Description=f"yb sg {i}", VpcId=vpc
        )["GroupId"]
        self.count("security_group", region)
        x = r.random()
        if x < 0.55:
            perms = [_perm("tcp", 443, 443, v4=["10.0.0.0/8"])]
        elif x < 0.67:
            perms = [_perm("tcp", 22, 22, v4=["0.0.0.0/0"])]
        elif x < 0.73:
            perms = [_perm("tcp", 3389, 3389, v6=["::/0"])]
        elif x < 0.78:
            perms = [_perm("-1", None, None, v4=["0.0.0.0/0"])]
        elif x < 0.85:
            port = r.choice([3306, 5432, 6379, 27017, 9200, 445, 8080])
            perms = [_perm("tcp", port, port, v4=["0.0.0.0/0"])]
        else:
            perms = [_perm("tcp", 443, 443, v4=["0.0.0.0/0"], v6=["::/0"])]
        ec2.authorize_security_group_ingress(GroupId=gid, IpPermissions=perms)

    def network_acl(self, region: str, i: int) -> None:
        r = self.rng("nacl", region, i)
        ec2 = self.client("ec2", region)
        vpc = self.net[region]["vpcs"][i % len(self.net[region]["vpcs"])]
        acl = ec2.create_network_acl(VpcId=vpc)["NetworkAcl"]["NetworkAclId"]
        self.count("network_acl", region)
        x = r.random()
        port = 22 if x < 0.4 else 3389 if x < 0.6 else 443
        ec2.create_network_acl_entry(
            NetworkAclId=acl,
            RuleNumber=100,
            Protocol="6",
            RuleAction="allow",
            Egress=False,
            CidrBlock="0.0.0.0/0",
            PortRange={"From": port, "To": port},
        )
        ec2.create_network_acl_entry(
            NetworkAclId=acl,
            RuleNumber=200,
            Protocol="-1",
            RuleAction="deny",
            Egress=False,
            CidrBlock="0.0.0.0/0",
        )

    def instance(self, region: str, i: int) -> None:
        r = self.rng("instance", region, i)
        ec2 = self.client("ec2", region)
        vpc = self.net[region]["vpcs"][i % len(self.net[region]["vpcs"])]
        subnet = r.choice(self.net[region]["subnets"][vpc])
        ec2.run_instances(
            ImageId=self.net[region]["image"],
            InstanceType=r.choice(["t3.micro", "t3.small", "m5.large"]),
            MinCount=1,
            MaxCount=1,
            SubnetId=subnet,
            MetadataOptions={
                "HttpTokens": "required" if r.random() < 0.6 else "optional",
                "HttpEndpoint": "enabled",
            },
            TagSpecifications=[_tags("instance", {"Name": f"yb-i-{i:03d}"})],
        )
        self.count("instance", region)

    def volume(self, region: str, i: int) -> None:
        r = self.rng("volume", region, i)
        ec2 = self.client("ec2", region)
        encrypted = r.random() < 0.6
        vol = ec2.create_volume(
            AvailabilityZone=self.net[region]["azs"][i % len(self.net[region]["azs"])],
            Size=8 + i % 50,
            VolumeType="gp3",
            Encrypted=encrypted,
        )["VolumeId"]
        self.count("volume", region)
        self.volumes[region].append({"id": vol, "encrypted": encrypted})

    def sns_topic(self, region: str, i: int) -> None:
        r = self.rng("sns", region, i)
        sns = self.client("sns", region)
        name = f"yb-topic-{i:04d}"
        attrs = {}
        if r.random() < 0.5 and self.keys[region]:
            attrs["KmsMasterKeyId"] = r.choice(self.keys[region])
        arn = sns.create_topic(Name=name, Attributes=attrs)["TopicArn"]
        self.count("sns_topic", region)
        if r.random() < 0.08:
            policy = {
                "Version": "2012-10-17",
                "Statement": [
                    {
                        "Sid": "AnyonePublish",
                        "Effect": "Allow",
                        "Principal": {"AWS": "*"},
                        "Action": "SNS:Publish",
                        "Resource": arn,
                    }
                ],
            }
            sns.set_topic_attributes(
                TopicArn=arn, AttributeName="Policy", AttributeValue=json.dumps(policy)
            )
        if r.random() < 0.3:
            # Loopback discard port: nothing outside this machine is ever contacted.
            proto = "http" if r.random() < 0.35 else "https"
            sns.subscribe(TopicArn=arn, Protocol=proto, Endpoint=f"{proto}://127.0.0.1:9/hook/{i}")

    def sqs_queue(self, region: str, i: int) -> None:
        r = self.rng("sqs", region, i)
        sqs = self.client("sqs", region)
        name = f"yb-queue-{i:04d}"
        attrs: dict[str, str] = {}
        x = r.random()
        if x < 0.4 and self.keys[region]:
            attrs["KmsMasterKeyId"] = r.choice(self.keys[region])
        elif x < 0.7:
            attrs["SqsManagedSseEnabled"] = "true"
        else:
            attrs["SqsManagedSseEnabled"] = "false"
        if r.random() < 0.08:
            attrs["Policy"] = json.dumps(
                {
                    "Version": "2012-10-17",
                    "Statement": [
                        {
                            "Effect": "Allow",
                            "Principal": "*",
                            "Action": "sqs:SendMessage",
                            "Resource": self.arn("sqs", region, name),
                        }
                    ],
                }
            )
        sqs.create_queue(QueueName=name, Attributes=attrs)
        self.count("sqs_queue", region)

    def dynamodb_table(self, region: str, i: int) -> None:
        r = self.rng("dynamodb", region, i)
        ddb = self.client("dynamodb", region)
        name = f"yb-table-{i:03d}"
        args: dict[str, Any] = {
            "TableName": name,
            "BillingMode": "PAY_PER_REQUEST",
            "AttributeDefinitions": [{"AttributeName": "pk", "AttributeType": "S"}],
            "KeySchema": [{"AttributeName": "pk", "KeyType": "HASH"}],
            "DeletionProtectionEnabled": r.random() < 0.4,
        }
        if r.random() < 0.4 and self.keys[region]:
            args["SSESpecification"] = {
                "Enabled": True,
                "SSEType": "KMS",
                "KMSMasterKeyId": r.choice(self.keys[region]),
            }
        ddb.create_table(**args)
        self.count("dynamodb_table", region)
        if r.random() < 0.5:
            ddb.update_continuous_backups(
                TableName=name,
                PointInTimeRecoverySpecification={"PointInTimeRecoveryEnabled": True},
            )

    def secret(self, region: str, i: int) -> None:
        r = self.rng("secret", region, i)
        sm = self.client("secretsmanager", region)
        name = f"yb/app/secret-{i:03d}"
        args: dict[str, Any] = {"Name": name, "SecretString": f"value-{i}"}
        if r.random() < 0.3 and self.keys[region]:
            args["KmsKeyId"] = r.choice(self.keys[region])
        sm.create_secret(**args)
        self.count("secret", region)
        if r.random() < 0.4:
            # Without a rotation Lambda moto just records the schedule (a Lambda
            # would be invoked, which needs Docker).
            sm.rotate_secret(
                SecretId=name, RotationRules={"AutomaticallyAfterDays": r.choice([30, 90, 180])}
            )

    def log_group(self, region: str, i: int) -> None:
        r = self.rng("logs", region, i)
        logs = self.client("logs", region)
        name = f"/yb/app/{i:04d}"
        args: dict[str, Any] = {"logGroupName": name}
        if r.random() < 0.3 and self.keys[region]:
            args["kmsKeyId"] = r.choice(self.keys[region])
        logs.create_log_group(**args)
        self.count("log_group", region)
        days = r.choice([7, 30, 90, 365, 400, 731, None])
        if days is not None:
            logs.put_retention_policy(logGroupName=name, retentionInDays=days)

    def rds_instance(self, region: str, i: int) -> None:
        r = self.rng("rds", region, i)
        rds = self.client("rds", region)
        ident = f"yb-db-{i:03d}"
        engine = r.choice(["postgres", "mysql"])
        args: dict[str, Any] = {
            "DBInstanceIdentifier": ident,
            "DBInstanceClass": "db.t3.micro",
            "Engine": engine,
            "MasterUsername": "dbadmin",
            "MasterUserPassword": "not-a-real-password-1",
            "AllocatedStorage": 20,
            "StorageEncrypted": r.random() < 0.6,
            "PubliclyAccessible": r.random() < 0.2,
            "MultiAZ": r.random() < 0.4,
            "DeletionProtection": r.random() < 0.4,
            "BackupRetentionPeriod": r.choice([0, 1, 7, 14]),
            "EnableIAMDatabaseAuthentication": r.random() < 0.3,
            "AutoMinorVersionUpgrade": r.random() < 0.7,
        }
        if r.random() < 0.3:
            args["MonitoringInterval"] = 60
            args["MonitoringRoleArn"] = self.role_arns["yb-rds-monitoring"]
        rds.create_db_instance(**args)
        self.count("rds_instance", region)
        self.rds[region].append(ident)

    def ecr_repository(self, region: str, i: int) -> None:
        r = self.rng("ecr", region, i)
        ecr = self.client("ecr", region)
        name = f"yb/service-{i:03d}"
        ecr.create_repository(
            repositoryName=name,
            imageScanningConfiguration={"scanOnPush": r.random() < 0.5},
            imageTagMutability="IMMUTABLE" if r.random() < 0.4 else "MUTABLE",
        )
        self.count("ecr_repository", region)
        if r.random() < 0.4:
            rule = {
                "rulePriority": 1,
                "selection": {
                    "tagStatus": "untagged",
                    "countType": "sinceImagePushed",
                    "countUnit": "days",
                    "countNumber": 14,
                },
                "action": {"type": "expire"},
            }
            ecr.put_lifecycle_policy(
                repositoryName=name, lifecyclePolicyText=json.dumps({"rules": [rule]})
            )
        if r.random() < 0.08:
            policy = {
                "Version": "2012-10-17",
                "Statement": [
                    {
                        "Sid": "AnyonePull",
                        "Effect": "Allow",
                        "Principal": "*",
                        "Action": ["ecr:BatchGetImage", "ecr:GetDownloadUrlForLayer"],
                    }
                ],
            }
            ecr.set_repository_policy(repositoryName=name, policyText=json.dumps(policy))

    def load_balancer(self, region: str, i: int) -> None:
        r = self.rng("elbv2", region, i)
        elb = self.client("elbv2", region)
        net = self.net[region]
        vpc = net["vpcs"][i % len(net["vpcs"])]
        lb = elb.create_load_balancer(
            Name=f"yb-alb-{i:02d}",
            Subnets=net["subnets"][vpc][:2],
            Scheme="internet-facing" if r.random() < 0.6 else "internal",
            Type="application",
        )["LoadBalancers"][0]["LoadBalancerArn"]
        self.count("load_balancer", region)
        tg = elb.create_target_group(Name=f"yb-tg-{i:02d}", Protocol="HTTP", Port=80, VpcId=vpc)[
            "TargetGroups"
        ][0]["TargetGroupArn"]
        forward = [{"Type": "forward", "TargetGroupArn": tg}]
        x = r.random()
        if x < 0.7:
            elb.create_listener(
                LoadBalancerArn=lb,
                Protocol="HTTPS",
                Port=443,
                SslPolicy=r.choice(
                    ["ELBSecurityPolicy-TLS13-1-2-2021-06", "ELBSecurityPolicy-2016-08"]
                ),
                Certificates=[{"CertificateArn": net["cert"]}],
                DefaultActions=forward,
            )
        if x < 0.4:
            redirect = {"Protocol": "HTTPS", "Port": "443", "StatusCode": "HTTP_301"}
            elb.create_listener(
                LoadBalancerArn=lb,
                Protocol="HTTP",
                Port=80,
                DefaultActions=[{"Type": "redirect", "RedirectConfig": redirect}],
            )
        elif x >= 0.7:
            elb.create_listener(
                LoadBalancerArn=lb, Protocol="HTTP", Port=80, DefaultActions=forward
            )
        attrs = [
            {
                "Key": "routing.http.drop_invalid_header_fields.enabled",
                "Value": _b(r.random() < 0.4),
            },
            {"Key": "deletion_protection.enabled", "Value": _b(r.random() < 0.3)},
            {
                "Key": "routing.http.desync_mitigation_mode",
                "Value": r.choice(["defensive", "strictest", "monitor"]),
            },
        ]
        if r.random() < 0.3:
            attrs += [
                {"Key": "access_logs.s3.enabled", "Value": "true"},
                {"Key": "access_logs.s3.bucket", "Value": _log_bucket(region)},
            ]
        elb.modify_load_balancer_attributes(LoadBalancerArn=lb, Attributes=attrs)

    def lambda_function(self, region: str, i: int) -> None:
        r = self.rng("lambda", region, i)
        lam = self.client("lambda", region)
        name = f"yb-fn-{i:03d}"
        runtime = r.choices(
            ["python3.12", "nodejs20.x", "python3.7", "nodejs14.x"], weights=[50, 20, 15, 15]
        )[0]
        lam.create_function(
            FunctionName=name,
            Runtime=runtime,
            Role=self.role_arns["yb-lambda-exec"],
            Handler="index.handler",
            Code={"ZipFile": self.lambda_zip},
        )
        self.count("lambda_function", region)
        if r.random() < 0.1:
            lam.add_permission(
                FunctionName=name,
                StatementId="AnyoneInvoke",
                Action="lambda:InvokeFunction",
                Principal="*",
            )
        if r.random() < 0.15:
            lam.create_function_url_config(
                FunctionName=name, AuthType="NONE" if r.random() < 0.5 else "AWS_IAM"
            )

    def efs_file_system(self, region: str, i: int) -> None:
        r = self.rng("efs", region, i)
        efs = self.client("efs", region)
        efs.create_file_system(
            CreationToken=f"yb-efs-{region}-{i}",
            Encrypted=r.random() < 0.6,
            Backup=r.random() < 0.5,
            Tags=[{"Key": "Name", "Value": f"yb-efs-{i}"}],
        )
        self.count("efs_file_system", region)

    def eks_cluster(self, region: str, i: int) -> None:
        r = self.rng("eks", region, i)
        eks = self.client("eks", region)
        net = self.net[region]
        vpc = net["vpcs"][i % len(net["vpcs"])]
        public = r.random() < 0.5
        args: dict[str, Any] = {
            "name": f"yb-eks-{i}",
            "roleArn": self.role_arns["yb-eks-cluster"],
            "version": r.choice(["1.24", "1.31"]),
            "resourcesVpcConfig": {
                "subnetIds": net["subnets"][vpc][:2],
                "endpointPublicAccess": public,
                "endpointPrivateAccess": True,
                **({"publicAccessCidrs": ["0.0.0.0/0"]} if public else {}),
            },
        }
        if r.random() < 0.5 and self.keys[region]:
            args["encryptionConfig"] = [
                {"resources": ["secrets"], "provider": {"keyArn": r.choice(self.keys[region])}}
            ]
        if r.random() < 0.5:
            args["logging"] = {
                "clusterLogging": [
                    {
                        "types": [
                            "api",
                            "audit",
                            "authenticator",
                            "controllerManager",
                            "scheduler",
                        ],
                        "enabled": True,
                    }
                ]
            }
        eks.create_cluster(**args)
        self.count("eks_cluster", region)

    def iam_user(self, i: int) -> None:
        r = self.rng("iam_user", "global", i)
        iam = self.client("iam", self.regions[0])
        name = f"yb-user-{i:04d}"
        iam.create_user(UserName=name, Tags=[{"Key": "team", "Value": r.choice(["a", "b", "c"])}])
        self.count("iam_user", "global")
        if r.random() < 0.7:
            iam.add_user_to_group(GroupName=self.groups[i % len(self.groups)], UserName=name)
        if r.random() < 0.1:
            iam.attach_user_policy(UserName=name, PolicyArn=self.policies[i % len(self.policies)])
        if r.random() < 0.05:
            doc = {
                "Version": "2012-10-17",
                "Statement": [{"Effect": "Allow", "Action": "sqs:SendMessage", "Resource": "*"}],
            }
            iam.put_user_policy(UserName=name, PolicyName="inline", PolicyDocument=json.dumps(doc))
        if r.random() < 0.4:
            iam.create_login_profile(UserName=name, Password=f"Bench-{i}-Password!")
            if r.random() < 0.5:
                serial = iam.create_virtual_mfa_device(VirtualMFADeviceName=name)[
                    "VirtualMFADevice"
                ]["SerialNumber"]
                iam.enable_mfa_device(
                    UserName=name,
                    SerialNumber=serial,
                    AuthenticationCode1="123456",
                    AuthenticationCode2="654321",
                )
        x = r.random()
        keys = 2 if x < 0.1 else 1 if x < 0.6 else 0
        for k in range(keys):
            key = iam.create_access_key(UserName=name)["AccessKey"]["AccessKeyId"]
            if k == 1 and r.random() < 0.5:
                iam.update_access_key(UserName=name, AccessKeyId=key, Status="Inactive")

    def iam_role(self, i: int) -> None:
        r = self.rng("iam_role", "global", i)
        iam = self.client("iam", self.regions[0])
        name = f"yb-role-{i:03d}"
        x = r.random()
        if x < 0.8:
            principal: dict[str, Any] = {
                "Service": r.choice(
                    ["ec2.amazonaws.com", "lambda.amazonaws.com", "ecs-tasks.amazonaws.com"]
                )
            }
        elif x < 0.95:
            principal = {"AWS": f"arn:aws:iam::{OTHER_ACCOUNT}:root"}
        else:
            principal = {"AWS": "*"}
        iam.create_role(RoleName=name, AssumeRolePolicyDocument=json.dumps(_trust(principal)))
        self.count("iam_role", "global")
        if r.random() < 0.5:
            iam.attach_role_policy(RoleName=name, PolicyArn=self.policies[i % len(self.policies)])

    def trail_buckets(self) -> None:
        home, other = self.regions[0], self.regions[2 % len(self.regions)]
        s3 = self.client("s3", home)
        _create_bucket(s3, self.trail_bucket(home), home)
        self.count("s3_bucket", home)
        _public_access_block(s3, self.trail_bucket(home), True, True, True, True)
        _create_bucket(s3, self.trail_bucket(other), other)
        self.count("s3_bucket", other)

    def trail_bucket(self, region: str) -> str:
        return f"yb-cloudtrail-{region}-{self.account}"

    def main_trail(self) -> None:
        """A multi-region trail, mostly compliant, with alarms for a few CIS 4.x events."""
        home = self.regions[0]
        bucket = self.trail_bucket(home)
        logs = self.client("logs", home)
        logs.create_log_group(logGroupName="/yb/cloudtrail")
        logs.put_retention_policy(logGroupName="/yb/cloudtrail", retentionInDays=400)
        self.count("log_group", home)
        group_arn = self.arn("logs", home, "log-group:/yb/cloudtrail:*")
        ct = self.client("cloudtrail", home)
        args: dict[str, Any] = {
            "Name": "yb-main-trail",
            "S3BucketName": bucket,
            "IsMultiRegionTrail": True,
            "EnableLogFileValidation": True,
            "CloudWatchLogsLogGroupArn": group_arn,
            "CloudWatchLogsRoleArn": self.role_arns["yb-cloudtrail-logs"],
        }
        if self.keys[home]:
            args["KmsKeyId"] = self.keys[home][0]
        ct.create_trail(**args)
        ct.start_logging(Name="yb-main-trail")
        ct.put_event_selectors(
            TrailName="yb-main-trail",
            EventSelectors=[
                {
                    "ReadWriteType": "WriteOnly",
                    "IncludeManagementEvents": True,
                    "DataResources": [{"Type": "AWS::S3::Object", "Values": ["arn:aws:s3"]}],
                }
            ],
        )
        self.count("trail", home)
        # Metric filters and alarms for a few of the CIS 4.x events only.
        topic = self.client("sns", home).create_topic(Name="yb-security-alarms")["TopicArn"]
        self.count("sns_topic", home)
        cw = self.client("cloudwatch", home)
        for name, pattern in [
            (
                "unauthorized-api",
                '{ ($.errorCode = "*UnauthorizedOperation") || ($.errorCode = "AccessDenied*") }',
            ),
            (
                "root-usage",
                (
                    '{ $.userIdentity.type = "Root" && $.userIdentity.invokedBy NOT EXISTS '
                    '&& $.eventType != "AwsServiceEvent" }'
                ),
            ),
            (
                "console-no-mfa",
                '{ ($.eventName = "ConsoleLogin") && ($.additionalEventData.MFAUsed != "Yes") }',
            ),
        ]:
            logs.put_metric_filter(
                logGroupName="/yb/cloudtrail",
                filterName=name,
                filterPattern=pattern,
                metricTransformations=[
                    {"metricName": name, "metricNamespace": "YbCis", "metricValue": "1"}
                ],
            )
            cw.put_metric_alarm(
                AlarmName=f"yb-{name}",
                MetricName=name,
                Namespace="YbCis",
                Statistic="Sum",
                Period=300,
                EvaluationPeriods=1,
                Threshold=1,
                ComparisonOperator="GreaterThanOrEqualToThreshold",
                AlarmActions=[topic],
            )
            self.count("metric_alarm", home)

    def regional_trail(self) -> None:
        """A single-region trail without validation, encryption or logging."""
        other = self.regions[2 % len(self.regions)]
        self.client("cloudtrail", other).create_trail(
            Name="yb-regional-trail",
            S3BucketName=self.trail_bucket(other),
            IsMultiRegionTrail=False,
        )
        self.count("trail", other)

    def account_settings(self, region: str, idx: int) -> None:
        ec2 = self.client("ec2", region)
        if idx % 2 == 0:
            ec2.enable_ebs_encryption_by_default()
            self.setting(f"ec2: EBS encryption by default on in {region}")
        if idx in (0, 2):
            self.client("securityhub", region).enable_security_hub()
            self.setting(f"securityhub: enabled in {region}")
        if idx == 0:
            cfg = self.client("config", region)
            cfg.put_configuration_recorder(
                ConfigurationRecorder={
                    "name": "default",
                    "roleARN": self.role_arns["yb-config"],
                    "recordingGroup": {"allSupported": True, "includeGlobalResourceTypes": True},
                }
            )
            cfg.put_delivery_channel(
                DeliveryChannel={"name": "default", "s3BucketName": _log_bucket(region)}
            )
            cfg.start_configuration_recorder(ConfigurationRecorderName="default")
            self.setting(f"config: recorder (all types, global) on in {region}")

    def ebs_snapshot(self, region: str, i: int) -> None:
        r = self.rng("snapshot", region, i)
        ec2 = self.client("ec2", region)
        vol = self.volumes[region][i % len(self.volumes[region])]
        snap = ec2.create_snapshot(VolumeId=vol["id"], Description=f"yb snapshot {i}")["SnapshotId"]
        self.count("snapshot", region)
        if not vol["encrypted"] and r.random() < 0.25:
            ec2.modify_snapshot_attribute(
                SnapshotId=snap,
                Attribute="createVolumePermission",
                OperationType="add",
                GroupNames=["all"],
            )

    def rds_snapshot(self, region: str, i: int) -> None:
        r = self.rng("rds_snapshot", region, i)
        rds = self.client("rds", region)
        ident = f"yb-dbsnap-{i:03d}"
        rds.create_db_snapshot(
            DBInstanceIdentifier=self.rds[region][i % len(self.rds[region])],
            DBSnapshotIdentifier=ident,
        )
        self.count("rds_snapshot", region)
        if r.random() < 0.3:
            rds.modify_db_snapshot_attribute(
                DBSnapshotIdentifier=ident, AttributeName="restore", ValuesToAdd=["all"]
            )

    # -- driver -------------------------------------------------------------

    def seed_all(self) -> None:
        n, regions = self.n, self.regions
        self.warm_up()
        print("phase 1: IAM, S3, networks and KMS keys", file=sys.stderr)
        iam: list[Callable[[], Any]] = [self.service_roles]
        iam += [lambda i=i: self.iam_group(i) for i in range(n["iam_group"])]
        iam += [lambda i=i: self.iam_policy(i) for i in range(n["iam_policy"])]
        # Users and roles come after groups and policies in the same lane.
        iam += [lambda i=i: self.iam_role(i) for i in range(n["iam_role"])]
        iam += [lambda i=i: self.iam_user(i) for i in range(n["iam_user"])]
        s3: list[Callable[[], Any]] = [lambda rg=rg: self.log_bucket(rg) for rg in regions]
        s3 += [self.trail_buckets]
        s3 += [
            lambda rg=rg, i=i: self.bucket(rg, i) for rg in regions for i in range(n["s3_bucket"])
        ]
        lanes = {"iam": iam, "s3": s3}
        for rg in regions:
            lanes[rg] = [lambda rg=rg: self.network(rg)]
            lanes[rg] += [lambda rg=rg, i=i: self.kms_key(rg, i) for i in range(n["kms_key"])]
        self.run_lanes("phase 1", lanes)

        print("phase 2: regional resources", file=sys.stderr)
        per_region: list[tuple[str, Callable[[str, int], Any]]] = [
            ("security_group", self.security_group),
            ("network_acl", self.network_acl),
            ("instance", self.instance),
            ("volume", self.volume),
            ("snapshot", self.ebs_snapshot),  # after the volumes, same lane
            ("sns_topic", self.sns_topic),
            ("sqs_queue", self.sqs_queue),
            ("dynamodb_table", self.dynamodb_table),
            ("secret", self.secret),
            ("log_group", self.log_group),
            ("rds_instance", self.rds_instance),
            ("rds_snapshot", self.rds_snapshot),  # after the instances, same lane
            ("ecr_repository", self.ecr_repository),
            ("load_balancer", self.load_balancer),
            ("lambda_function", self.lambda_function),
            ("efs_file_system", self.efs_file_system),
            ("eks_cluster", self.eks_cluster),
        ]
        lanes = {}
        for x, rg in enumerate(regions):
            steps: list[Callable[[], Any]] = [lambda rg=rg, x=x: self.account_settings(rg, x)]
            for kind, fn in per_region:
                steps += [lambda fn=fn, rg=rg, i=i: fn(rg, i) for i in range(n[kind])]
            if x == 0:
                steps.append(self.main_trail)
            if x == 2 % len(regions):
                steps.append(self.regional_trail)
            lanes[rg] = steps
        self.run_lanes("phase 2", lanes)

    def summary(self) -> dict[str, Any]:
        cols = ["global"] + self.regions
        by_service: dict[str, Counter[str]] = defaultdict(Counter)
        for (kind, region), c in self.counts.items():
            by_service[SERVICE[kind]][region] += c
        return {
            "account": self.account,
            "regions": self.regions,
            "by_service": {
                s: {c: by_service[s][c] for c in cols if by_service[s][c]}
                for s in sorted(by_service)
            },
            "by_kind": {f"{k}@{r}": c for (k, r), c in sorted(self.counts.items())},
            "total": sum(self.counts.values()),
            "services": len(by_service),
            "account_settings": sorted(self.settings),
        }


def print_table(summary: dict[str, Any]) -> None:
    cols = ["global"] + summary["regions"]
    width = max(len(c) for c in cols) + 1
    print(f"{'service':<16}" + "".join(f"{c:>{width}}" for c in cols) + f"{'total':>8}")
    col_totals: Counter[str] = Counter()
    for svc, per in summary["by_service"].items():
        col_totals.update(per)
        print(
            f"{svc:<16}"
            + "".join(f"{per.get(c, 0):>{width}}" for c in cols)
            + f"{sum(per.values()):>8}"
        )
    print(
        f"{'total':<16}"
        + "".join(f"{col_totals[c]:>{width}}" for c in cols)
        + f"{summary['total']:>8}"
    )
    n_regions = len(summary["regions"])
    print(f"{summary['total']} resources, {summary['services']} services, {n_regions} regions")
    for s in summary["account_settings"]:
        print(f"  setting: {s}")


def _lambda_zip() -> bytes:
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w") as z:
        z.writestr("index.py", "def handler(event, context):\n    return {'ok': True}\n")
    return buf.getvalue()


def _tags(resource: str, tags: dict[str, str]) -> dict[str, Any]:
    return {
        "ResourceType": resource,
        "Tags": [{"Key": k, "Value": v} for k, v in {**tags, "bench": "yagura"}.items()],
    }


def _trust(principal: dict[str, Any]) -> dict[str, Any]:
    return {
        "Version": "2012-10-17",
        "Statement": [{"Effect": "Allow", "Principal": principal, "Action": "sts:AssumeRole"}],
    }


def _key_policy(account: str, public: bool) -> dict[str, Any]:
    stmts: list[dict[str, Any]] = [
        {
            "Sid": "Root",
            "Effect": "Allow",
            "Principal": {"AWS": f"arn:aws:iam::{account}:root"},
            "Action": "kms:*",
            "Resource": "*",
        }
    ]
    if public:
        stmts.append(
            {
                "Sid": "Anyone",
                "Effect": "Allow",
                "Principal": {"AWS": "*"},
                "Action": "kms:Decrypt",
                "Resource": "*",
            }
        )
    return {"Version": "2012-10-17", "Statement": stmts}


def _perm(
    proto: str, lo: int | None, hi: int | None, v4: Sequence[str] = (), v6: Sequence[str] = ()
) -> dict[str, Any]:
    p: dict[str, Any] = {"IpProtocol": proto}
    if lo is not None:
        p.update(FromPort=lo, ToPort=hi)
    if v4:
        p["IpRanges"] = [{"CidrIp": c} for c in v4]
    if v6:
        p["Ipv6Ranges"] = [{"CidrIpv6": c} for c in v6]
    return p


def _b(v: bool) -> str:
    return "true" if v else "false"


def _log_bucket(region: str) -> str:
    return f"yb-access-logs-{region}"


def _create_bucket(s3: Any, name: str, region: str) -> None:
    if region == "us-east-1":
        s3.create_bucket(Bucket=name)
    else:
        s3.create_bucket(Bucket=name, CreateBucketConfiguration={"LocationConstraint": region})


def _public_access_block(
    s3: Any, name: str, acls: bool, ignore: bool, policy: bool, restrict: bool
) -> None:
    s3.put_public_access_block(
        Bucket=name,
        PublicAccessBlockConfiguration={
            "BlockPublicAcls": acls,
            "IgnorePublicAcls": ignore,
            "BlockPublicPolicy": policy,
            "RestrictPublicBuckets": restrict,
        },
    )


def _encryption(s3: Any, name: str, rule: dict[str, str]) -> None:
    s3.put_bucket_encryption(
        Bucket=name,
        ServerSideEncryptionConfiguration={"Rules": [{"ApplyServerSideEncryptionByDefault": rule}]},
    )


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--endpoint-url", required=True, help="moto server, e.g. http://127.0.0.1:5000")
    ap.add_argument("--regions", default=",".join(DEFAULT_REGIONS), help="comma-separated")
    ap.add_argument(
        "--scale", type=float, default=1.0, help="multiplies every resource count (default 1)"
    )
    ap.add_argument("--seed", default="yagura-bench-1", help="RNG seed (default yagura-bench-1)")
    ap.add_argument("--summary-json", help="also write the counts here as JSON")
    args = ap.parse_args()
    regions = [r.strip() for r in args.regions.split(",") if r.strip()]
    if not regions:
        ap.error("--regions is empty")
    t0 = time.monotonic()
    seeder = Seeder(args.endpoint_url, regions, args.scale, args.seed)
    seeder.seed_all()
    summary = seeder.summary()
    summary["seed"] = args.seed
    summary["scale"] = args.scale
    summary["seconds"] = round(time.monotonic() - t0, 1)
    print_table(summary)
    print(f"seeded in {summary['seconds']}s")
    if args.summary_json:
        with open(args.summary_json, "w", encoding="utf-8") as f:
            json.dump(summary, f, indent=2)
            f.write("\n")
    return 0


if __name__ == "__main__":
    sys.exit(main())
