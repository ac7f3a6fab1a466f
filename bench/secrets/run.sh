#!/usr/bin/env bash
# Secret-scanning throughput: yagura (single thread) vs gitleaks on the same tree.
#
#   bench/secrets/run.sh            # generate a ~200 MB source tree and scan it
#   SIZE_MB=50 bench/secrets/run.sh
#   bench/secrets/run.sh PATH       # scan an existing tree instead
#
# gitleaks is optional: used if on PATH, else one install attempt through the
# package managers (apt, then `go install` via the Go module proxy). Neither is
# guaranteed to be reachable; the yagura numbers are printed either way.
set -euo pipefail

here="$(cd "$(dirname "$0")" && pwd)"
repo="$(cd "$here/../.." && pwd)"
size_mb="${SIZE_MB:-200}"
work="${BENCH_DIR:-${TMPDIR:-/tmp}/yagura-secrets-bench}"

cd "$repo"
cargo build --release -p yagura-secrets --example throughput
bin="${CARGO_TARGET_DIR:-$repo/target}/release/examples/throughput"

if [[ $# -ge 1 ]]; then
  corpus="$1"
else
  corpus="$work/corpus-${size_mb}mb"
  if [[ ! -f "$corpus/PLANTED.tsv" ]]; then
    rm -rf "$corpus"
    mkdir -p "$corpus"
    "$bin" --generate "$corpus" "$size_mb"
  fi
fi

echo "== yagura"
"$bin" "$corpus"

echo "== gitleaks"
find_gitleaks() {
  command -v gitleaks && return 0
  [[ -x "${GOPATH:-$HOME/go}/bin/gitleaks" ]] && { echo "${GOPATH:-$HOME/go}/bin/gitleaks"; return 0; }
  return 1
}
if ! gl="$(find_gitleaks)"; then
  if command -v apt-get >/dev/null 2>&1; then
    timeout 120 apt-get install -y -qq gitleaks >/dev/null 2>&1 || true
  fi
  if ! gl="$(find_gitleaks)" && command -v go >/dev/null 2>&1; then
    timeout 300 go install github.com/zricethezav/gitleaks/v8@latest >/dev/null 2>&1 || true
  fi
  gl="$(find_gitleaks)" || gl=""
fi
if [[ -z "$gl" ]]; then
  echo "gitleaks not available (no package in apt, Go module proxy unreachable): skipped"
  exit 0
fi
bytes=$(du -sb --exclude=PLANTED.tsv "$corpus" | cut -f1)
report="$work/gitleaks-report.json"
mkdir -p "$work"
start=$(date +%s.%N)
# --max-target-megabytes keeps parity with yagura's 10 MiB cap; GOMAXPROCS=1 for per-core numbers.
GOMAXPROCS=1 "$gl" dir "$corpus" --no-banner --exit-code 0 --report-format json \
  --report-path "$report" --max-target-megabytes 10 >/dev/null 2>&1 \
  || GOMAXPROCS=1 "$gl" detect --no-git --source "$corpus" --no-banner --exit-code 0 \
       --report-format json --report-path "$report" >/dev/null 2>&1
end=$(date +%s.%N)
awk -v b="$bytes" -v s="$start" -v e="$end" \
  'BEGIN { t = e - s; printf "gitleaks (GOMAXPROCS=1): %.1f MB, %.2f s -> %.0f MB/s\n", b/1e6, t, b/1e6/t }'
if command -v python3 >/dev/null 2>&1; then
  python3 -c 'import json,sys; print("gitleaks findings:", len(json.load(open(sys.argv[1]))))' "$report"
fi
