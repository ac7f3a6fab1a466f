#!/usr/bin/env python3
"""Generates the Terraform benchmark corpora and their ground truth.

flat/    2,000+ .tf files: 200 root modules x 10 files, AWS resources whose
         settings are drawn at random (fixed seed), so each property fails on a
         known subset.
modules/ a module tree shaped like real code: environments x regions calling
         local modules with variables, maps, for_each, count and a nested module.

truth.json: for each property, how many resources violate it in each corpus.
Usage: generate.py OUT_DIR
"""
import json
import os
import random
import sys

PROPS = [
    "s3_public_access_block", "s3_kms_encryption", "s3_versioning", "s3_logging",
    "sg_admin_ports_open", "rds_encrypted", "rds_public", "rds_multi_az",
    "rds_deletion_protection", "ebs_encrypted", "ec2_imdsv2", "kms_rotation",
    "trail_log_validation", "trail_kms", "dynamodb_pitr", "logs_retention_365",
    "logs_kms", "iam_admin_policy", "ecr_immutable_tags", "ecr_scan_on_push",
    "efs_encrypted", "eks_public_endpoint", "sns_kms", "sqs_encrypted",
]


class Truth:
    def __init__(self):
        self.fail = {p: 0 for p in PROPS}
        self.total = {p: 0 for p in PROPS}

    def note(self, prop, failing):
        self.total[prop] += 1
        if failing:
            self.fail[prop] += 1


def s3(rng, t, name, tag):
    pab, enc, ver, log = (rng.random() < 0.6 for _ in range(4))
    t.note("s3_public_access_block", not pab)
    t.note("s3_kms_encryption", not enc)
    t.note("s3_versioning", not ver)
    t.note("s3_logging", not log)
    out = [f'resource "aws_s3_bucket" "{name}" {{\n  bucket = "corp-{tag}-{name}"\n  tags = {{\n    team = "data"\n    env  = "{tag}"\n  }}\n}}\n']
    # Failing buckets switch Block Public Access off explicitly: S3 turns it on
    # for new buckets, so leaving the resource out is not a misconfiguration.
    flag = "true" if pab else "false"
    out.append(f'resource "aws_s3_bucket_public_access_block" "{name}" {{\n  bucket                  = aws_s3_bucket.{name}.id\n  block_public_acls       = {flag}\n  block_public_policy     = {flag}\n  ignore_public_acls      = {flag}\n  restrict_public_buckets = {flag}\n}}\n')
    if enc:
        out.append(f'resource "aws_s3_bucket_server_side_encryption_configuration" "{name}" {{\n  bucket = aws_s3_bucket.{name}.id\n  rule {{\n    apply_server_side_encryption_by_default {{\n      sse_algorithm     = "aws:kms"\n      kms_master_key_id = "arn:aws:kms:us-east-1:111122223333:key/0b1c2d3e-0000-4000-8000-000000000001"\n    }}\n  }}\n}}\n')
    if ver:
        out.append(f'resource "aws_s3_bucket_versioning" "{name}" {{\n  bucket = aws_s3_bucket.{name}.id\n  versioning_configuration {{\n    status = "Enabled"\n  }}\n}}\n')
    if log:
        out.append(f'resource "aws_s3_bucket_logging" "{name}" {{\n  bucket        = aws_s3_bucket.{name}.id\n  target_bucket = "corp-access-logs"\n  target_prefix = "{name}/"\n}}\n')
    return "\n".join(out)


def sg(rng, t, name):
    open_ = rng.random() < 0.3
    t.note("sg_admin_ports_open", open_)
    cidr = "0.0.0.0/0" if open_ else "10.0.0.0/8"
    port = rng.choice([22, 3389])
    return f'''resource "aws_security_group" "{name}" {{
  name        = "{name}"
  description = "{name} tier"
  vpc_id      = "vpc-0abc1234"

  ingress {{
    description = "admin"
    from_port   = {port}
    to_port     = {port}
    protocol    = "tcp"
    cidr_blocks = ["{cidr}"]
  }}

  ingress {{
    description = "https"
    from_port   = 443
    to_port     = 443
    protocol    = "tcp"
    cidr_blocks = ["0.0.0.0/0"]
  }}

  egress {{
    from_port   = 0
    to_port     = 0
    protocol    = "-1"
    cidr_blocks = ["0.0.0.0/0"]
  }}
}}
'''


def rds(rng, t, name):
    enc, pub, maz, dp = rng.random() < 0.7, rng.random() < 0.2, rng.random() < 0.5, rng.random() < 0.5
    t.note("rds_encrypted", not enc)
    t.note("rds_public", pub)
    t.note("rds_multi_az", not maz)
    t.note("rds_deletion_protection", not dp)
    return f'''resource "aws_db_instance" "{name}" {{
  identifier              = "{name}"
  engine                  = "postgres"
  engine_version          = "16.3"
  instance_class          = "db.t4g.medium"
  allocated_storage       = 50
  username                = "app"
  manage_master_user_password = true
  storage_encrypted       = {str(enc).lower()}
  publicly_accessible     = {str(pub).lower()}
  multi_az                = {str(maz).lower()}
  deletion_protection     = {str(dp).lower()}
  backup_retention_period = 7
  skip_final_snapshot     = true
}}
'''


def compute(rng, t, name):
    enc, imds = rng.random() < 0.7, rng.random() < 0.5
    t.note("ebs_encrypted", not enc)
    t.note("ec2_imdsv2", not imds)
    md = '\n  metadata_options {\n    http_endpoint = "enabled"\n    http_tokens   = "required"\n  }\n' if imds else ""
    return f'''resource "aws_instance" "{name}" {{
  ami           = "ami-0c55b159cbfafe1f0"
  instance_type = "t3.micro"
  subnet_id     = "subnet-0abc1234"
{md}
  tags = {{
    Name = "{name}"
  }}
}}

resource "aws_ebs_volume" "{name}_data" {{
  availability_zone = "us-east-1a"
  size              = 100
  encrypted         = {str(enc).lower()}
}}
'''


def kms(rng, t, name):
    rot = rng.random() < 0.6
    t.note("kms_rotation", not rot)
    return f'''resource "aws_kms_key" "{name}" {{
  description             = "{name} key"
  deletion_window_in_days = 30
  enable_key_rotation     = {str(rot).lower()}
}}
'''


def trail(rng, t, name):
    val, k = rng.random() < 0.6, rng.random() < 0.6
    t.note("trail_log_validation", not val)
    t.note("trail_kms", not k)
    kms_line = '  kms_key_id                    = "arn:aws:kms:us-east-1:111122223333:key/0b1c2d3e-0000-4000-8000-000000000002"\n' if k else ""
    return f'''resource "aws_cloudtrail" "{name}" {{
  name                          = "{name}"
  s3_bucket_name                = "corp-trail-logs"
  include_global_service_events = true
  is_multi_region_trail         = true
  enable_log_file_validation    = {str(val).lower()}
{kms_line}}}
'''


def data(rng, t, name):
    pitr, ret, lk = rng.random() < 0.5, rng.random() < 0.5, rng.random() < 0.5
    t.note("dynamodb_pitr", not pitr)
    t.note("logs_retention_365", not ret)
    t.note("logs_kms", not lk)
    kms_line = '  kms_key_id        = "arn:aws:kms:us-east-1:111122223333:key/0b1c2d3e-0000-4000-8000-000000000003"\n' if lk else ""
    return f'''resource "aws_dynamodb_table" "{name}" {{
  name         = "{name}"
  billing_mode = "PAY_PER_REQUEST"
  hash_key     = "pk"

  attribute {{
    name = "pk"
    type = "S"
  }}

  point_in_time_recovery {{
    enabled = {str(pitr).lower()}
  }}
}}

resource "aws_cloudwatch_log_group" "{name}" {{
  name              = "/app/{name}"
  retention_in_days = {365 if ret else 30}
{kms_line}}}
'''


def iam(rng, t, name):
    admin = rng.random() < 0.25
    t.note("iam_admin_policy", admin)
    action = '"*"' if admin else '["s3:GetObject", "s3:ListBucket"]'
    resource = '"*"' if admin else f'["arn:aws:s3:::corp-{name}", "arn:aws:s3:::corp-{name}/*"]'
    return f'''resource "aws_iam_policy" "{name}" {{
  name = "{name}"
  policy = jsonencode({{
    Version = "2012-10-17"
    Statement = [{{
      Effect   = "Allow"
      Action   = {action}
      Resource = {resource}
    }}]
  }})
}}
'''


def containers(rng, t, name):
    imm, scan, pub = rng.random() < 0.5, rng.random() < 0.5, rng.random() < 0.3
    t.note("ecr_immutable_tags", not imm)
    t.note("ecr_scan_on_push", not scan)
    t.note("eks_public_endpoint", pub)
    return f'''resource "aws_ecr_repository" "{name}" {{
  name                 = "{name}"
  image_tag_mutability = "{'IMMUTABLE' if imm else 'MUTABLE'}"

  image_scanning_configuration {{
    scan_on_push = {str(scan).lower()}
  }}
}}

resource "aws_eks_cluster" "{name}" {{
  name     = "{name}"
  role_arn = "arn:aws:iam::111122223333:role/eks"
  version  = "1.31"

  vpc_config {{
    subnet_ids              = ["subnet-0abc1234", "subnet-0abc5678"]
    endpoint_public_access  = {str(pub).lower()}
    endpoint_private_access = true
    {'public_access_cidrs     = ["0.0.0.0/0"]' if pub else ''}
  }}
}}
'''


def messaging(rng, t, name):
    sns, sqs, efs = rng.random() < 0.5, rng.random() < 0.5, rng.random() < 0.6
    t.note("sns_kms", not sns)
    t.note("sqs_encrypted", not sqs)
    t.note("efs_encrypted", not efs)
    sns_line = '  kms_master_key_id = "alias/aws/sns"\n' if sns else ""
    sqs_line = '  kms_master_key_id = "alias/aws/sqs"\n' if sqs else '  sqs_managed_sse_enabled = false\n'
    return f'''resource "aws_sns_topic" "{name}" {{
  name = "{name}"
{sns_line}}}

resource "aws_sqs_queue" "{name}" {{
  name = "{name}"
{sqs_line}}}

resource "aws_efs_file_system" "{name}" {{
  creation_token = "{name}"
  encrypted      = {str(efs).lower()}
}}
'''


def flat(out, t, dirs=200):
    rng = random.Random(20261128)
    files = 0
    for d in range(dirs):
        tag = f"svc{d:03d}"
        base = os.path.join(out, "flat", f"stack-{d:03d}")
        os.makedirs(base, exist_ok=True)
        parts = {
            "provider.tf": 'terraform {\n  required_providers {\n    aws = {\n      source  = "hashicorp/aws"\n      version = "~> 5.0"\n    }\n  }\n}\n\nprovider "aws" {\n  region = "us-east-1"\n}\n',
            "s3.tf": s3(rng, t, "assets", tag) + "\n" + s3(rng, t, "uploads", tag),
            "network.tf": sg(rng, t, "web") + "\n" + sg(rng, t, "bastion"),
            "database.tf": rds(rng, t, f"{tag}-db"),
            "compute.tf": compute(rng, t, "app"),
            "kms.tf": kms(rng, t, "main"),
            "audit.tf": trail(rng, t, f"{tag}-trail"),
            "data.tf": data(rng, t, f"{tag}-events"),
            "iam.tf": iam(rng, t, f"{tag}-reader"),
            "platform.tf": containers(rng, t, f"{tag}-svc") + "\n" + messaging(rng, t, f"{tag}-jobs"),
        }
        for fname, text in parts.items():
            with open(os.path.join(base, fname), "w") as f:
                f.write(text)
            files += 1
    return files


BUCKET_MODULE = {
    "variables.tf": '''variable "name" {
  type = string
}

variable "versioning" {
  type    = bool
  default = true
}

variable "log_bucket" {
  type    = string
  default = null
}

variable "tags" {
  type    = map(string)
  default = {}
}
''',
    "main.tf": '''locals {
  full_name = lower(var.name)
}

resource "aws_s3_bucket" "this" {
  bucket = local.full_name
  tags   = merge(var.tags, { managed = "terraform" })
}

resource "aws_s3_bucket_public_access_block" "this" {
  bucket                  = aws_s3_bucket.this.id
  block_public_acls       = true
  block_public_policy     = true
  ignore_public_acls      = true
  restrict_public_buckets = true
}

resource "aws_s3_bucket_versioning" "this" {
  bucket = aws_s3_bucket.this.id
  versioning_configuration {
    status = var.versioning ? "Enabled" : "Suspended"
  }
}

resource "aws_s3_bucket_logging" "this" {
  count         = var.log_bucket == null ? 0 : 1
  bucket        = aws_s3_bucket.this.id
  target_bucket = var.log_bucket
  target_prefix = "${local.full_name}/"
}
''',
    "outputs.tf": 'output "id" {\n  value = aws_s3_bucket.this.id\n}\n\noutput "arn" {\n  value = aws_s3_bucket.this.arn\n}\n',
}

DB_MODULE = {
    "variables.tf": 'variable "name" {\n  type = string\n}\n\nvariable "encrypted" {\n  type    = bool\n  default = true\n}\n\nvariable "ha" {\n  type    = bool\n  default = false\n}\n',
    "main.tf": '''resource "aws_db_instance" "this" {
  identifier              = var.name
  engine                  = "postgres"
  instance_class          = "db.t4g.medium"
  allocated_storage       = 20
  username                = "app"
  manage_master_user_password = true
  storage_encrypted       = var.encrypted
  multi_az                = var.ha
  deletion_protection     = var.ha
  publicly_accessible     = false
  backup_retention_period = 7
  skip_final_snapshot     = true
}
''',
}

SG_MODULE = {
    "variables.tf": 'variable "name" {\n  type = string\n}\n\nvariable "admin_cidrs" {\n  type = list(string)\n}\n\nvariable "ports" {\n  type    = list(number)\n  default = [22]\n}\n',
    "main.tf": '''resource "aws_security_group" "this" {
  name   = var.name
  vpc_id = "vpc-0abc1234"

  dynamic "ingress" {
    for_each = var.ports
    content {
      from_port   = ingress.value
      to_port     = ingress.value
      protocol    = "tcp"
      cidr_blocks = var.admin_cidrs
    }
  }
}
''',
}

SERVICE_MODULE = {
    "variables.tf": 'variable "name" {\n  type = string\n}\n\nvariable "env" {\n  type = string\n}\n\nvariable "imdsv2" {\n  type    = bool\n  default = true\n}\n',
    "main.tf": '''module "artifacts" {
  source     = "../bucket"
  name       = "${var.env}-${var.name}-artifacts"
  versioning = var.env == "prod"
  log_bucket = "corp-${var.env}-access-logs"
}

resource "aws_instance" "this" {
  ami           = "ami-0c55b159cbfafe1f0"
  instance_type = var.env == "prod" ? "m6i.large" : "t3.micro"

  metadata_options {
    http_tokens = var.imdsv2 ? "required" : "optional"
  }

  tags = {
    Name = "${var.env}-${var.name}"
  }
}
''',
}


def module_tree(out, t):
    base = os.path.join(out, "modules")
    for mod, files in {"bucket": BUCKET_MODULE, "database": DB_MODULE, "security-group": SG_MODULE, "service": SERVICE_MODULE}.items():
        d = os.path.join(base, "modules", mod)
        os.makedirs(d, exist_ok=True)
        for n, text in files.items():
            with open(os.path.join(d, n), "w") as f:
                f.write(text)
    rng = random.Random(7)
    nfiles = 9
    for env in ["dev", "stage", "prod"]:
        for region in ["us-east-1", "eu-west-1", "ap-northeast-1"]:
            d = os.path.join(base, "envs", env, region)
            os.makedirs(d, exist_ok=True)
            buckets = {f"{env}-{region}-b{i:02d}": rng.random() < 0.5 for i in range(20)}
            services = [f"svc{i}" for i in range(8)]
            imds = {s: rng.random() < 0.6 for s in services}
            open_sg = rng.random() < 0.4
            # Ground truth for what these roots instantiate.
            for b, ver in buckets.items():
                t.note("s3_public_access_block", False)
                t.note("s3_versioning", not ver)
                t.note("s3_logging", True)
            for s in services:
                t.note("s3_public_access_block", False)
                t.note("s3_versioning", env != "prod")
                t.note("s3_logging", False)
                t.note("ec2_imdsv2", not imds[s])
            t.note("rds_encrypted", env == "dev")
            t.note("rds_multi_az", env != "prod")
            t.note("rds_deletion_protection", env != "prod")
            t.note("rds_public", False)
            t.note("sg_admin_ports_open", open_sg)
            bucket_map = ",\n".join(f'    "{b}" = {{ versioning = {str(v).lower()} }}' for b, v in buckets.items())
            imds_map = ",\n".join(f'    "{s}" = {str(v).lower()}' for s, v in imds.items())
            files = {
                "providers.tf": f'provider "aws" {{\n  region = var.region\n}}\n',
                "variables.tf": f'variable "region" {{\n  type    = string\n  default = "{region}"\n}}\n\nvariable "env" {{\n  type = string\n}}\n\nvariable "admin_cidrs" {{\n  type = list(string)\n}}\n',
                "terraform.tfvars": f'env         = "{env}"\nadmin_cidrs = ["{"0.0.0.0/0" if open_sg else "10.20.0.0/16"}"]\n',
                "main.tf": f'''locals {{
  buckets = {{
{bucket_map}
  }}
  imdsv2 = {{
{imds_map}
  }}
}}

module "bucket" {{
  source     = "../../../modules/bucket"
  for_each   = local.buckets
  name       = each.key
  versioning = each.value.versioning
  tags       = {{ env = var.env, region = var.region }}
}}

module "database" {{
  source    = "../../../modules/database"
  name      = "${{var.env}}-orders"
  encrypted = var.env != "dev"
  ha        = var.env == "prod"
}}

module "admin_sg" {{
  source      = "../../../modules/security-group"
  name        = "${{var.env}}-admin"
  admin_cidrs = var.admin_cidrs
  ports       = [22, 3389]
}}

module "service" {{
  source   = "../../../modules/service"
  for_each = local.imdsv2
  name     = each.key
  env      = var.env
  imdsv2   = each.value
}}
''',
            }
            for n, text in files.items():
                with open(os.path.join(d, n), "w") as f:
                    f.write(text)
            nfiles += 3
    return nfiles


def main():
    if len(sys.argv) != 2:
        sys.exit(__doc__)
    out = sys.argv[1]
    os.makedirs(out, exist_ok=True)
    tf, tm = Truth(), Truth()
    n_flat = flat(out, tf)
    n_mod = module_tree(out, tm)
    truth = {
        "flat": {"files": n_flat, "fail": tf.fail, "total": tf.total},
        "modules": {"files": n_mod, "fail": tm.fail, "total": tm.total},
    }
    with open(os.path.join(out, "truth.json"), "w") as f:
        json.dump(truth, f, indent=2)
    print(f"flat: {n_flat} .tf files; modules: {n_mod} files; truth in {out}/truth.json")


if __name__ == "__main__":
    main()
