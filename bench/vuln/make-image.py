#!/usr/bin/env python3
"""Builds the vulnerability-scan benchmark image without docker and counts its
ground truth.

Output (under /var/cache/yagura/bench-data/ unless --data is given):
  bench-image.tar         docker-archive (docker save layout: manifest.json,
                          <config sha>.json, <diff id>/layer.tar, repositories)
  bench-image.truth.json  what a complete inventory must find (counts + lists)

Layers, bottom to top:
  1. Debian bookworm rootfs from debootstrap (minbase + a package list) plus
     more packages installed with apt-get in the chroot: >= 300 dpkg packages.
  2. Python packages installed by pip (wheels only) into
     usr/local/lib/python3.11/site-packages.
  3. A Node.js app (app/) with node_modules from `npm install` of a few
     big tool chains: >= 400 packages.
  4. A whiteout layer that deletes one installed Python package's dist-info
     directory (WHITEOUT_TARGET) so a scanner that ignores whiteouts
     over-reports it.
Every stage is cached in the data folder; delete a stage folder to redo it.
Needs root (debootstrap, chroot) and the Debian, PyPI and npm registries.

With --oci (needs `apt-get install skopeo`) the same image is also written as
an OCI layout, bench-image-oci/ (gzip layers), through skopeo, which verifies
the docker-archive's digests as it reads it.

Usage: python3 bench/vuln/make-image.py [--data DIR] [--force-tar] [--oci]
"""
import argparse
import hashlib
import io
import json
import os
import pathlib
import re
import shutil
import subprocess
import sys
import tarfile
import time

SUITE = "bookworm"
MIRROR = "http://deb.debian.org/debian"
DEBOOTSTRAP_INCLUDE = (
    "python3,python3-pip,python3-venv,curl,ca-certificates,git,openssh-client,less,vim-tiny,"
    "procps,openssl,sqlite3,gnupg,wget,unzip,xz-utils,zip,build-essential,libjpeg62-turbo,"
    "libpng16-16,libxml2,libxslt1.1,libpq5,libffi8,iproute2,iputils-ping,netbase,tzdata,"
    "locales,perl,file,bzip2,nano,sudo,cron,logrotate,rsyslog,libcurl4,imagemagick-6-common,"
    "libmagickcore-6.q16-6"
)
APT_EXTRAS = [
    "python3-yaml", "python3-requests", "python3-urllib3", "python3-jinja2",
    "python3-cryptography", "python3-lxml", "python3-pil", "python3-numpy",
    "postgresql-client", "redis-tools", "nginx-light", "libnginx-mod-http-geoip",
    "python3-flask", "python3-django", "python3-paramiko",
]
PIP_PACKAGES = [
    "jupyterlab", "boto3", "django==3.2.0", "requests==2.25.1", "urllib3==1.26.4",
    "sqlparse==0.4.1", "pillow==9.3.0", "cryptography==3.3.2", "paramiko==2.10.0",
    "celery", "sqlalchemy", "fastapi", "httpx",
]
NPM_PACKAGES = [
    "jest", "webpack", "webpack-cli", "eslint", "express@4.17.1", "lodash@4.17.15",
    "axios@0.21.0", "moment@2.29.1", "minimist@1.2.0", "node-fetch@2.6.0",
]
SITE_PACKAGES = "usr/local/lib/python3.11/site-packages"
WHITEOUT_DIR = SITE_PACKAGES
WHITEOUT_NAME = "sqlparse-0.4.1.dist-info"
CREATED = "2026-01-01T00:00:00Z"


def run(cmd, **kwargs):
    print("+", " ".join(cmd) if isinstance(cmd, list) else cmd, flush=True)
    subprocess.run(cmd, check=True, **kwargs)


def build_rootfs(rootfs):
    if rootfs.exists():
        return
    tmp = rootfs.with_name(rootfs.name + ".tmp")
    shutil.rmtree(tmp, ignore_errors=True)
    run(["debootstrap", "--variant=minbase", f"--include={DEBOOTSTRAP_INCLUDE}", SUITE, str(tmp), MIRROR])
    shutil.copy("/etc/resolv.conf", tmp / "etc/resolv.conf")
    run(["mount", "-t", "proc", "proc", str(tmp / "proc")])
    try:
        env = dict(os.environ, DEBIAN_FRONTEND="noninteractive")
        run(["chroot", str(tmp), "apt-get", "update", "-q"], env=env)
        run(["chroot", str(tmp), "apt-get", "install", "-y", "-q", "--no-install-recommends", *APT_EXTRAS], env=env)
        run(["chroot", str(tmp), "apt-get", "clean"], env=env)
    finally:
        run(["umount", str(tmp / "proc")])
    tmp.rename(rootfs)


def build_pip_layer(stage):
    if stage.exists():
        return
    tmp = stage.with_name(stage.name + ".tmp")
    shutil.rmtree(tmp, ignore_errors=True)
    run([sys.executable, "-m", "pip", "install", "-q", "--no-warn-conflicts", "--only-binary", ":all:",
         "--python-version", "3.11", "--platform", "manylinux2014_x86_64", "--implementation", "cp",
         "--target", str(tmp / SITE_PACKAGES), *PIP_PACKAGES])
    tmp.rename(stage)


def build_npm_layer(stage):
    if stage.exists():
        return
    tmp = stage.with_name(stage.name + ".tmp")
    shutil.rmtree(tmp, ignore_errors=True)
    (tmp / "app").mkdir(parents=True)
    (tmp / "app/package.json").write_text(
        json.dumps({"name": "bench-app", "version": "1.0.0", "private": True}) + "\n"
    )
    run(["npm", "install", "--ignore-scripts", "--no-audit", "--no-fund", *NPM_PACKAGES], cwd=tmp / "app")
    tmp.rename(stage)


def write_layer(source_dir, layer_path, whiteouts=()):
    """Tars source_dir (or only whiteout markers) and returns the diff id (sha256 of the tar)."""
    with tarfile.open(layer_path, "w", format=tarfile.PAX_FORMAT) as tar:
        if source_dir is not None:
            for entry in sorted(os.listdir(source_dir)):
                tar.add(os.path.join(source_dir, entry), arcname=entry)
        for directory, name in whiteouts:
            info = tarfile.TarInfo(f"{directory}/.wh.{name}")
            info.mtime = int(time.time())
            tar.addfile(info)
    digest = hashlib.sha256()
    with open(layer_path, "rb") as layer:
        for block in iter(lambda: layer.read(1 << 20), b""):
            digest.update(block)
    return digest.hexdigest()


def write_archive(data, layers):
    """layers: [(source dir or None, whiteouts, created_by)] -> bench-image.tar (docker save layout)."""
    work = data / "image-build"
    shutil.rmtree(work, ignore_errors=True)
    work.mkdir()
    diff_ids, layer_paths, history = [], [], []
    for number, (source, whiteouts, created_by) in enumerate(layers):
        path = work / f"layer{number}.tar"
        print(f"layer {number}: {created_by[:80]}", flush=True)
        diff_id = write_layer(source, path, whiteouts)
        diff_ids.append(diff_id)
        layer_paths.append(path)
        history.append({"created": CREATED, "created_by": created_by})
    history.append({"created": CREATED, "created_by": '/bin/sh -c #(nop)  CMD ["bash"]', "empty_layer": True})
    config = {
        "architecture": "amd64",
        "os": "linux",
        "created": CREATED,
        "config": {
            "Env": ["PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin"],
            "Cmd": ["bash"],
            "WorkingDir": "/app",
        },
        "rootfs": {"type": "layers", "diff_ids": [f"sha256:{d}" for d in diff_ids]},
        "history": history,
    }
    config_bytes = json.dumps(config, indent=2).encode()
    config_name = hashlib.sha256(config_bytes).hexdigest() + ".json"
    manifest = [
        {
            "Config": config_name,
            "RepoTags": ["yagura-bench:latest"],
            "Layers": [f"{d}/layer.tar" for d in diff_ids],
        }
    ]
    out = data / "bench-image.tar"
    tmp_out = data / "bench-image.tar.tmp"

    def add_bytes(tar, name, payload):
        info = tarfile.TarInfo(name)
        info.size = len(payload)
        info.mtime = int(time.time())
        tar.addfile(info, io.BytesIO(payload))

    with tarfile.open(tmp_out, "w") as tar:
        for diff_id, path in zip(diff_ids, layer_paths):
            tar.add(path, arcname=f"{diff_id}/layer.tar")
            add_bytes(tar, f"{diff_id}/VERSION", b"1.0")
            path.unlink()
        add_bytes(tar, config_name, config_bytes)
        add_bytes(tar, "manifest.json", json.dumps(manifest).encode())
        add_bytes(tar, "repositories", json.dumps({"yagura-bench": {"latest": diff_ids[-1]}}).encode())
    tmp_out.rename(out)
    shutil.rmtree(work, ignore_errors=True)
    return out, config_name, diff_ids


def dpkg_packages(rootfs):
    out = subprocess.run(
        ["dpkg-query", f"--admindir={rootfs}/var/lib/dpkg", "-W", "-f", "${Package}\t${Version}\t${Architecture}\n"],
        check=True, capture_output=True, text=True,
    ).stdout
    return [dict(zip(("name", "version", "arch"), line.split("\t"))) for line in out.splitlines() if line]


def dist_infos(root, directory, deleted=()):
    directory = root / directory
    found = []
    if not directory.is_dir():
        return found
    for entry in sorted(directory.iterdir()):
        if entry.name in deleted or not entry.name.endswith((".dist-info", ".egg-info")):
            continue
        metadata = entry / "METADATA" if entry.is_dir() else entry
        if entry.is_dir() and not metadata.exists():
            metadata = entry / "PKG-INFO"
        name = version = None
        try:
            for line in metadata.read_text(errors="replace").splitlines():
                if line.startswith("Name:") and name is None:
                    name = line.split(":", 1)[1].strip()
                elif line.startswith("Version:") and version is None:
                    version = line.split(":", 1)[1].strip()
                elif not line.strip():
                    break
        except OSError:
            pass
        found.append({"name": name, "version": version, "path": "/" + entry.relative_to(root).as_posix()})
    return found


def node_packages(app):
    """Package roots: node_modules/<name>/package.json and node_modules/@scope/<name>/package.json, nested too."""
    found = []
    pattern = re.compile(r"(^|/)node_modules/(@[^/]+/)?[^/@][^/]*/package\.json$")
    for path in sorted(app.rglob("package.json")):
        relative = path.relative_to(app.parent).as_posix()
        if not pattern.search(relative):
            continue
        try:
            manifest = json.loads(path.read_text())
        except (OSError, ValueError):
            continue
        if isinstance(manifest, dict) and manifest.get("name") and manifest.get("version"):
            found.append({"name": manifest["name"], "version": manifest["version"], "path": relative})
    return found


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--data", default="/var/cache/yagura/bench-data")
    parser.add_argument("--force-tar", action="store_true", help="rewrite bench-image.tar even if present")
    parser.add_argument("--oci", action="store_true",
                        help="also write an OCI layout (bench-image-oci/, tag bench) with skopeo; "
                             "skopeo checks every layer digest on the way")
    args = parser.parse_args()
    data = pathlib.Path(args.data)
    data.mkdir(parents=True, exist_ok=True)
    rootfs = data / "rootfs"
    pip_stage = data / "layers/pip-stage"
    npm_stage = data / "layers/npm-stage"
    pip_stage.parent.mkdir(parents=True, exist_ok=True)
    build_rootfs(rootfs)
    build_pip_layer(pip_stage)
    build_npm_layer(npm_stage)
    if not (pip_stage / WHITEOUT_DIR / WHITEOUT_NAME).exists():
        sys.exit(f"make-image: {WHITEOUT_NAME} missing from the pip layer; adjust WHITEOUT_NAME")

    image = data / "bench-image.tar"
    if args.force_tar or not image.exists():
        image, config_name, diff_ids = write_archive(
            data,
            [
                (rootfs, (), f"debootstrap --variant=minbase --include={DEBOOTSTRAP_INCLUDE} {SUITE} / "
                 f"&& apt-get install -y --no-install-recommends {' '.join(APT_EXTRAS)}"),
                (pip_stage, (), f"pip install --only-binary :all: --target /{SITE_PACKAGES} {' '.join(PIP_PACKAGES)}"),
                (npm_stage, (), f"cd /app && npm install --ignore-scripts {' '.join(NPM_PACKAGES)}"),
                (None, [(WHITEOUT_DIR, WHITEOUT_NAME)], f"rm -rf /{WHITEOUT_DIR}/{WHITEOUT_NAME}"),
            ],
        )
    if args.oci:
        oci = data / "bench-image-oci"
        shutil.rmtree(oci, ignore_errors=True)
        run(["skopeo", "copy", "-q", f"docker-archive:{image}", f"oci:{oci}:bench"])
    os_packages = dpkg_packages(rootfs)
    site = dist_infos(pip_stage, SITE_PACKAGES, deleted={WHITEOUT_NAME})
    debian_python = dist_infos(rootfs, "usr/lib/python3/dist-packages")
    # dist-info dirs vendored inside other packages (e.g. bleach/_vendor/html5lib-1.1.dist-info):
    # real installed metadata that a thorough inventory reports too.
    vendored = []
    for nested in sorted((pip_stage / SITE_PACKAGES).glob("*/**/*.dist-info")):
        if any(part.endswith(".dist-info") for part in nested.relative_to(pip_stage).parts[:-1]):
            continue  # a licence copy kept inside another dist-info, not installed metadata
        vendored += [d for d in dist_infos(pip_stage, nested.parent.relative_to(pip_stage).as_posix())
                     if d["path"] == "/" + nested.relative_to(pip_stage).as_posix()]
    node = node_packages(npm_stage / "app")
    # Lockfiles shipped in the image: not installed packages, but scanners read them
    # (jupyterlab's staging/yarn.lock lists ~900 npm packages).
    lock_names = {"package-lock.json", ".package-lock.json", "yarn.lock", "pnpm-lock.yaml",
                  "Cargo.lock", "poetry.lock", "uv.lock", "Pipfile.lock", "go.sum", "composer.lock", "Gemfile.lock"}
    lockfiles = sorted(
        "/" + path.relative_to(stage).as_posix()
        for stage in (rootfs, pip_stage, npm_stage)
        for path in stage.rglob("*")
        if path.name in lock_names and path.is_file()
    )
    truth = {
        "image": str(image),
        "image_bytes": image.stat().st_size,
        "layers": 4,
        "os_packages": {"count": len(os_packages), "source": "dpkg-query --admindir=rootfs/var/lib/dpkg -W", "packages": os_packages},
        "python_site_packages": {
            "count": len(site),
            "path": f"/{SITE_PACKAGES}",
            "source": "dist-info dirs (METADATA Name/Version), minus the whited-out one",
            "packages": site,
        },
        "python_vendored": {
            "count": len(vendored),
            "source": "dist-info dirs nested inside site-packages packages (vendored copies)",
            "packages": vendored,
        },
        "python_debian_dist_packages": {
            "count": len(debian_python),
            "path": "/usr/lib/python3/dist-packages",
            "note": "installed by dpkg (python3-*); also dpkg packages",
            "packages": debian_python,
        },
        "node_modules": {
            "count": len(node),
            "path": "/app/node_modules",
            "source": "node_modules/(@scope/)name/package.json with name and version, nested included",
            "packages": node,
        },
        "lockfiles_in_image": {"count": len(lockfiles), "paths": lockfiles},
        "language_packages_total": len(site) + len(node),
        "language_packages_total_incl_vendored_and_debian_python": len(site) + len(vendored) + len(node) + len(debian_python),
        "deleted_by_whiteout": {"path": f"/{WHITEOUT_DIR}/{WHITEOUT_NAME}", "layer": 4,
                                "expect": "sqlparse 0.4.1 must NOT be reported from site-packages"},
    }
    truth_path = data / "bench-image.truth.json"
    truth_path.write_text(json.dumps(truth, indent=1) + "\n")
    print(
        f"image {image} ({truth['image_bytes'] / 1e6:.0f} MB): {len(os_packages)} dpkg packages, "
        f"{len(site)} site-packages dists (+{len(vendored)} vendored), {len(node)} node packages, "
        f"{len(debian_python)} Debian python dists; truth in {truth_path}"
    )


if __name__ == "__main__":
    main()
