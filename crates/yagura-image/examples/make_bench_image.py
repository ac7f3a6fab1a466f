#!/usr/bin/env python3
"""Builds a large OCI layout (and a docker-archive) from the host's own files,
for the walk_image example: a Debian-like base layer with the dpkg database,
a node_modules layer and Python site-packages layers.

Usage: make_bench_image.py OUTDIR [gzip|zstd] [large]   (not used by tests)
The default profile is about 300 MiB uncompressed (a Debian base with docs,
~850 dpkg packages, node_modules and Python site-packages); `large` adds
/usr/bin (about 530 MiB).
"""
import glob
import hashlib
import json
import os
import subprocess
import sys

out = sys.argv[1]
comp = sys.argv[2] if len(sys.argv) > 2 else "gzip"
large = len(sys.argv) > 3 and sys.argv[3] == "large"
layers = [
    ["etc", "var/lib/dpkg", "usr/lib/python3", "usr/share/doc"] + (["usr/bin"] if large else []),
    ["usr/lib/node_modules"],
    [p.lstrip("/") for p in sorted(glob.glob("/root/.pyenv/versions/3.1[023]*/lib/python3*/site-packages"))],
]
os.makedirs(os.path.join(out, "blobs", "sha256"), exist_ok=True)


def put(data):
    d = hashlib.sha256(data).hexdigest()
    with open(os.path.join(out, "blobs", "sha256", d), "wb") as f:
        f.write(data)
    return "sha256:" + d, len(data)


diff_ids, descs = [], []
for paths in layers:
    paths = [p for p in paths if os.path.exists("/" + p)]
    raw = subprocess.run(["tar", "-C", "/", "-cf", "-", *paths], check=True, stdout=subprocess.PIPE).stdout
    diff_ids.append("sha256:" + hashlib.sha256(raw).hexdigest())
    cmd = ["gzip", "-6", "-c"] if comp == "gzip" else ["zstd", "-3", "-c", "-T0"]
    data = subprocess.run(cmd, input=raw, check=True, stdout=subprocess.PIPE).stdout
    d, n = put(data)
    descs.append({"mediaType": "application/vnd.oci.image.layer.v1.tar+" + comp, "digest": d, "size": n})
    print(f"layer {len(descs) - 1}: {len(raw) >> 20} MiB raw, {n >> 20} MiB {comp}")
config = {"architecture": "amd64", "os": "linux", "rootfs": {"type": "layers", "diff_ids": diff_ids},
          "history": [{"created_by": f"layer {i}"} for i in range(len(descs))]}
cd, cn = put(json.dumps(config).encode())
manifest = {"schemaVersion": 2, "config": {"mediaType": "application/vnd.oci.image.config.v1+json", "digest": cd, "size": cn}, "layers": descs}
md, mn = put(json.dumps(manifest).encode())
with open(os.path.join(out, "index.json"), "w") as f:
    json.dump({"schemaVersion": 2, "manifests": [{"mediaType": "application/vnd.oci.image.manifest.v1+json", "digest": md, "size": mn}]}, f)
with open(os.path.join(out, "oci-layout"), "w") as f:
    f.write('{"imageLayoutVersion":"1.0.0"}')
