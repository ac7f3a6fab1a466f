#!/usr/bin/env python3
"""Writes N synthetic OSV records (default 100,000) into one zip, shaped like
osv.dev's per-ecosystem exports, for timing `yagura db import`.

Why synthetic: the real databases here hold ~3,500 records, far fewer than a
full OSV mirror; the import's cost per record is what is measured. Records are
deterministic (seeded) and mix PyPI, npm, crates.io and Go packages, ECOSYSTEM
and SEMVER ranges, enumerated versions, aliases, severities and references so
every import code path is exercised. IDs are BENCH-*, so they never collide
with real advisories.

Usage: python3 synth-osv.py [--count 100000] [--out /var/cache/yagura/bench-data/synthetic-osv-100k.zip]
"""
import argparse
import json
import random
import zipfile

ECOSYSTEMS = [("PyPI", "ECOSYSTEM"), ("npm", "SEMVER"), ("crates.io", "SEMVER"), ("Go", "SEMVER")]


def name_for(ecosystem, n):
    base = f"bench-pkg-{n % 20000}"
    if ecosystem == "Go":
        return f"example.com/bench/{base}"
    if ecosystem == "npm" and n % 7 == 0:
        return f"@bench/{base}"
    return base


def record(n, rng):
    ecosystem, range_type = ECOSYSTEMS[n % len(ECOSYSTEMS)]
    major = rng.randint(0, 5)
    intro = f"{major}.{rng.randint(0, 9)}.0"
    fixed = f"{major}.{rng.randint(10, 20)}.{rng.randint(0, 9)}"
    events = [{"introduced": "0" if n % 3 == 0 else intro}, {"fixed": fixed}]
    if n % 5 == 0:
        events += [{"introduced": f"{major + 1}.0.0"}, {"last_affected": f"{major + 1}.2.{rng.randint(0, 9)}"}]
    affected = {
        "package": {"ecosystem": ecosystem, "name": name_for(ecosystem, n)},
        "ranges": [{"type": range_type, "events": events}],
    }
    if ecosystem == "PyPI":
        affected["versions"] = [f"{major}.{minor}.0" for minor in range(0, 10)]
    cve = f"CVE-2099-{n:06d}"
    return {
        "schema_version": "1.6.0",
        "id": f"BENCH-{n:07d}",
        "modified": "2026-01-01T00:00:00Z",
        "published": "2025-06-01T00:00:00Z",
        "aliases": [cve] if n % 4 else [],
        "summary": f"Synthetic advisory {n} for import benchmarking",
        "details": "Synthetic record. " * rng.randint(1, 20),
        "severity": [{"type": "CVSS_V3", "score": "CVSS:3.1/AV:N/AC:L/PR:N/UI:N/S:U/C:H/I:H/A:H"}] if n % 2 else [],
        "affected": [affected],
        "references": [{"type": "WEB", "url": f"https://example.com/advisories/{n}"}],
        "database_specific": {"severity": rng.choice(["LOW", "MODERATE", "HIGH", "CRITICAL"])},
    }


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--count", type=int, default=100_000)
    parser.add_argument("--out", default="/var/cache/yagura/bench-data/synthetic-osv-100k.zip")
    parser.add_argument("--seed", type=int, default=20260101)
    args = parser.parse_args()
    rng = random.Random(args.seed)
    with zipfile.ZipFile(args.out, "w", zipfile.ZIP_DEFLATED) as archive:
        for n in range(args.count):
            rec = record(n, rng)
            archive.writestr(f"{rec['id']}.json", json.dumps(rec))
    print(f"wrote {args.count} records to {args.out}")


if __name__ == "__main__":
    main()
