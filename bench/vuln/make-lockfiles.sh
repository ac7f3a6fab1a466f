#!/usr/bin/env bash
# Regenerates bench/vuln/lockfiles/ with the real package managers, so the
# benchmark and the peer comparison read lockfiles exactly as users have them.
#
# Each project pins old releases that have published advisories (RustSec, PyPA,
# GitHub/npm) so both yagura and the peer tools have something to find.
# Needs network access to crates.io, PyPI and the npm registry; no other host.
#
# Usage: bash bench/vuln/make-lockfiles.sh
set -euo pipefail

here="$(cd "$(dirname "$0")" && pwd)"
out="$here/lockfiles"
work="$(mktemp -d)"
trap 'rm -rf "$work"' EXIT
mkdir -p "$out/cargo" "$out/python" "$out/python-uv" "$out/npm"

# --- Cargo -----------------------------------------------------------------
# Pins: advisories with CVEs (time, chrono, smallvec, hyper, regex, tokio, h2,
# idna, lru, tar) plus informational ones (atty unsound/unmaintained, ansi_term,
# yaml-rust, serde_cbor unmaintained, hyper RUSTSEC-2022-0022 unsound).
mkdir -p "$work/cargo/src"
echo 'fn main() {}' >"$work/cargo/src/main.rs"
cat >"$work/cargo/Cargo.toml" <<'TOML'
[package]
name = "yagura-bench-vulnerable"
version = "0.1.0"
edition = "2021"
publish = false

[dependencies]
chrono = "=0.4.19"
smallvec = "=1.6.0"
hyper = { version = "=0.14.9", features = ["http1", "http2", "server", "client", "tcp"] }
regex = "=1.5.4"
tokio = { version = "=1.8.0", features = ["rt", "net"] }
h2 = "=0.3.15"
idna = "=0.5.0"
lru = "=0.6.6"
tar = "=0.4.35"
atty = "=0.2.14"
ansi_term = "=0.12.1"
yaml-rust = "=0.4.5"
serde_cbor = "=0.11.2"
time = "=0.2.22"
TOML
(cd "$work/cargo" && cargo generate-lockfile)
cp "$work/cargo/Cargo.toml" "$work/cargo/Cargo.lock" "$out/cargo/"

# --- Python: pip freeze ------------------------------------------------------
# Versions chosen to install from wheels on CPython 3.11 (no compiler needed).
python_pins=(
  django==3.2.0 requests==2.25.1 urllib3==1.26.4 jinja2==2.11.2
  pillow==9.3.0 flask==1.1.2 werkzeug==1.0.1 cryptography==3.3.2
  sqlparse==0.4.1 paramiko==2.10.0 pyjwt==1.7.1 aiohttp==3.8.3
  lxml==4.9.2 twisted==22.4.0 babel==2.9.0 pyyaml==6.0.1
)
python3 -m venv "$work/venv"
"$work/venv/bin/pip" install --only-binary :all: -q "${python_pins[@]}"
"$work/venv/bin/pip" freeze >"$out/python/requirements.txt"

# --- Python: uv.lock ---------------------------------------------------------
uv="${UV:-$(command -v uv || echo /var/cache/yagura/bench-tools/uv-venv/bin/uv)}"
if [ -x "$uv" ]; then
  mkdir -p "$work/uv"
  {
    echo '[project]'
    echo 'name = "yagura-bench-vulnerable"'
    echo 'version = "0.1.0"'
    echo 'requires-python = ">=3.11,<3.12"'
    echo 'dependencies = ['
    for p in "${python_pins[@]}"; do echo "  \"$p\","; done
    echo ']'
  } >"$work/uv/pyproject.toml"
  (cd "$work/uv" && "$uv" lock)
  cp "$work/uv/pyproject.toml" "$work/uv/uv.lock" "$out/python-uv/"
else
  echo "uv not found (pip install uv); skipping uv.lock" >&2
fi

# --- npm -----------------------------------------------------------------------
mkdir -p "$work/npm"
cat >"$work/npm/package.json" <<'JSON'
{
  "name": "yagura-bench-vulnerable",
  "version": "0.1.0",
  "private": true,
  "dependencies": {
    "lodash": "4.17.15",
    "minimist": "1.2.0",
    "axios": "0.21.0",
    "node-fetch": "2.6.0",
    "express": "4.17.1",
    "moment": "2.29.1",
    "jsonwebtoken": "8.5.1",
    "semver": "7.3.7",
    "qs": "6.7.0",
    "ws": "7.4.5",
    "json5": "2.2.1",
    "tough-cookie": "4.0.0",
    "ua-parser-js": "0.7.28",
    "glob-parent": "5.1.1"
  }
}
JSON
(cd "$work/npm" && npm install --package-lock-only --ignore-scripts --no-audit --no-fund --lockfile-version 3)
cp "$work/npm/package.json" "$work/npm/package-lock.json" "$out/npm/"

echo "lockfiles written to $out"
