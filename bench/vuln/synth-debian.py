#!/usr/bin/env python3
"""Writes synthetic Debian:12 OSV records for the source packages of the
benchmark image's root file system, so the image benchmark matches OS
packages against a realistically sized distribution feed.

Why synthetic: OSV's Debian export is not reachable from this machine, and
without Debian records the OS half of an image scan does no matching work.
OSV's Debian feed holds a few tens of thousands of records, unevenly spread
(a handful of source packages — linux, openssl, glibc, curl … — have hundreds).
This script spreads `--count` records over the image's source packages with a
heavy-tailed weight: one in 25 fixed above the installed version (matches,
so the finding count is near a real bookworm image's), the rest fixed below
(no match). IDs are BENCH-DEB-*, never real advisories.

Usage: python3 synth-debian.py --status ROOTFS/var/lib/dpkg/status [--count 20000] --out FILE.zip
"""
import argparse
import json
import random
import zipfile


def sources(status_path):
    out = {}
    stanza = {}
    with open(status_path, encoding="utf-8", errors="replace") as f:
        for line in list(f) + ["\n"]:
            if line.strip() == "":
                if "Package" in stanza:
                    src = stanza.get("Source", stanza["Package"])
                    version = stanza.get("Version", "0")
                    if "(" in src:
                        src, _, v = src.partition("(")
                        version = v.strip(" )")
                    out[src.strip()] = version
                stanza = {}
            elif not line.startswith(" ") and ":" in line:
                k, _, v = line.partition(":")
                stanza[k] = v.strip()
    return out


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--status", required=True)
    ap.add_argument("--count", type=int, default=20000)
    ap.add_argument("--out", required=True)
    args = ap.parse_args()
    rng = random.Random(12)
    srcs = sorted(sources(args.status).items())
    weights = [1.0 / (i + 1) ** 0.8 for i in range(len(srcs))]
    rng.shuffle(weights)
    with zipfile.ZipFile(args.out, "w", zipfile.ZIP_DEFLATED) as z:
        for n in range(args.count):
            (name, version) = rng.choices(srcs, weights)[0]
            matches = n % 25 == 0
            # "~~" sorts before anything, "+zz" after the installed version.
            fixed = version + "+zz1" if matches else "0~~bench"
            rec = {
                "id": f"BENCH-DEB-{n:06d}",
                "modified": "2026-01-01T00:00:00Z",
                "published": "2025-01-01T00:00:00Z",
                "aliases": [f"CVE-2099-{n:05d}"],
                "summary": f"synthetic advisory {n} for {name}",
                "affected": [{
                    "package": {"ecosystem": "Debian:12", "name": name},
                    "ranges": [{"type": "ECOSYSTEM", "events": [{"introduced": "0"}, {"fixed": fixed}]}],
                    "ecosystem_specific": {"urgency": rng.choice(["low", "medium", "high", "unimportant"])},
                }],
            }
            z.writestr(f"BENCH-DEB-{n:06d}.json", json.dumps(rec))
    print(f"wrote {args.count} records over {len(srcs)} source packages to {args.out}")


if __name__ == "__main__":
    main()
