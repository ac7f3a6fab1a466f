#!/usr/bin/env bash
# Evaluates the whole check catalogue over N (default 125,000 Config items, which
# normalize to ~100k resources) synthetic snapshot resources, pinned to one core.
# No peer runs here: Prowler and Checkov have no offline "evaluate a snapshot" mode.
set -euo pipefail
cd "$(dirname "$0")/../.."
N="${1:-125000}"
export CARGO_TARGET_DIR="${CARGO_TARGET_DIR:-/var/cache/yagura/target}"
cargo build --release -q -p yagura-engine --example eval_bench
taskset -c 0 "$CARGO_TARGET_DIR/release/examples/eval_bench" "$N"
