#!/usr/bin/env python3
"""Compares yagura and Checkov findings on the generated corpora with the ground
truth from generate.py. Usage: compare.py OUT_DIR (as left by run.sh)."""
import json
import os
import sys

# property -> (yagura check, Checkov checks that test the same thing)
PAIRS = {
    "s3_public_access_block": ("AWS-S3-001", ["CKV2_AWS_6"]),
    "s3_kms_encryption": ("AWS-S3-011", ["CKV_AWS_145"]),
    "s3_versioning": ("AWS-S3-009", ["CKV_AWS_21"]),
    "s3_logging": ("AWS-S3-006", ["CKV_AWS_18"]),
    "sg_admin_ports_open": ("AWS-EC2-001", ["CKV_AWS_24", "CKV_AWS_25"]),
    "rds_encrypted": ("AWS-RDS-001", ["CKV_AWS_16"]),
    "rds_public": ("AWS-RDS-003", ["CKV_AWS_17"]),
    "rds_multi_az": ("AWS-RDS-004", ["CKV_AWS_157"]),
    "rds_deletion_protection": ("AWS-RDS-005", ["CKV_AWS_293"]),
    "ebs_encrypted": ("AWS-EC2-007", ["CKV_AWS_3"]),
    "ec2_imdsv2": ("AWS-EC2-005", ["CKV_AWS_79"]),
    "kms_rotation": ("AWS-KMS-001", ["CKV_AWS_7"]),
    "trail_log_validation": ("AWS-CLOUDTRAIL-002", ["CKV_AWS_36"]),
    "trail_kms": ("AWS-CLOUDTRAIL-004", ["CKV_AWS_35"]),
    "dynamodb_pitr": ("AWS-DYNAMODB-001", ["CKV_AWS_28"]),
    "logs_retention_365": ("AWS-LOGS-001", ["CKV_AWS_338"]),
    "logs_kms": ("AWS-LOGS-002", ["CKV_AWS_158"]),
    "iam_admin_policy": ("AWS-IAM-021", ["CKV_AWS_62", "CKV_AWS_1"]),
    "ecr_immutable_tags": ("AWS-ECR-002", ["CKV_AWS_51"]),
    "ecr_scan_on_push": ("AWS-ECR-001", ["CKV_AWS_163"]),
    "efs_encrypted": ("AWS-EFS-001", ["CKV_AWS_42"]),
    "eks_public_endpoint": ("AWS-EKS-001", ["CKV_AWS_38"]),
    "sns_kms": ("AWS-SNS-001", ["CKV_AWS_26"]),
    "sqs_encrypted": ("AWS-SQS-001", ["CKV_AWS_27"]),
}


def yagura_fails(path):
    with open(path) as f:
        report = json.load(f)
    fails = {}
    assessed = {}
    for fd in report["findings"]:
        code = fd["check"]
        rid = fd["resource"]["id"]
        if fd["status"] == "FAIL":
            fails.setdefault(code, set()).add(rid)
        if fd["status"] in ("FAIL", "PASS"):
            assessed.setdefault(code, set()).add(rid)
    return fails, assessed


def checkov_fails(path):
    with open(path) as f:
        data = json.load(f)
    runs = data if isinstance(data, list) else [data]
    fails = {}
    for run in runs:
        for fc in run.get("results", {}).get("failed_checks", []):
            key = (fc.get("file_abs_path") or fc.get("file_path"), fc.get("resource"))
            fails.setdefault(fc["check_id"], set()).add(key)
    return fails


def main():
    out = sys.argv[1]
    with open(os.path.join(out, "corpus", "truth.json")) as f:
        truth = json.load(f)
    rows = []
    for corpus in ("flat", "modules"):
        yf, ya = yagura_fails(os.path.join(out, f"yagura-{corpus}.json"))
        cf = checkov_fails(os.path.join(out, f"checkov-{corpus}.json"))
        t = truth[corpus]
        exact_y = exact_c = 0
        print(f"\n### {corpus} corpus ({t['files']} files)\n")
        print("| property | yagura check | Checkov check(s) | resources | truth: failing | yagura FAIL | Checkov FAIL |")
        print("|---|---|---|---:|---:|---:|---:|")
        for prop, (ycode, ccodes) in PAIRS.items():
            total = t["total"].get(prop, 0)
            if total == 0:
                continue
            want = t["fail"][prop]
            got_y = len(yf.get(ycode, ()))
            keys = set()
            for c in ccodes:
                keys |= cf.get(c, set())
            got_c = len(keys)
            exact_y += got_y == want
            exact_c += got_c == want
            print(f"| {prop} | {ycode} | {', '.join(ccodes)} | {total} | {want} | {got_y} | {got_c} |")
        n = sum(1 for p in PAIRS if t["total"].get(p, 0))
        print(f"\nExact match with the ground truth: yagura {exact_y}/{n}, Checkov {exact_c}/{n}.")
        rows.append((corpus, exact_y, exact_c, n))
    return rows


if __name__ == "__main__":
    main()
