#!/usr/bin/env bash
# Side-by-side benchmark: `yagura scan aws` vs Prowler on the same emulated account.
#
#   bash bench/aws/run.sh                 # both tools
#   bash bench/aws/run.sh --only prowler  # Prowler half only (no yagura binary needed)
#   bash bench/aws/run.sh --only yagura
#
# Steps: start moto_server on a free 127.0.0.1 port (stopped on exit), seed it once
# (bench/aws/seed.py), then run yagura and Prowler against that same state, each
# under `/usr/bin/time -v`, on the checks both tools have (bench/aws/checks.tsv),
# and print wall time, peak RSS, findings, API calls and the ratios.
# Nothing is written to docs/benchmarks.md; copy the numbers there by hand.
#
# Environment:
#   YAGURA_BIN      yagura binary (default /var/cache/yagura/target/release/yagura)
#   PROWLER_BIN     prowler (default /var/cache/yagura/bench-venv/prowler/bin/prowler)
#   PYTHON          Python with moto and boto3 for the seeder (default python3)
#   MOTO_SERVER     moto_server command (default moto_server)
#   REGIONS         comma-separated (default us-east-1,us-west-2,eu-west-1,ap-northeast-1)
#   SCALE           resource-count multiplier for the seeder (default 1: 5,153 resources)
#   SEED            seeder RNG seed (default yagura-bench-1)
#   RUNS            runs per tool, alternating yagura/Prowler (default 1)
#   BENCH_WORK      folder for logs and reports (default: a new /tmp/yagura-bench-aws.* folder)
set -euo pipefail

HERE="$(cd "$(dirname "$0")" && pwd)"
YAGURA_BIN="${YAGURA_BIN:-/var/cache/yagura/target/release/yagura}"
PROWLER_BIN="${PROWLER_BIN:-/var/cache/yagura/bench-venv/prowler/bin/prowler}"
PYTHON="${PYTHON:-python3}"
MOTO_SERVER="${MOTO_SERVER:-moto_server}"
REGIONS="${REGIONS:-us-east-1,us-west-2,eu-west-1,ap-northeast-1}"
SCALE="${SCALE:-1}"
SEED="${SEED:-yagura-bench-1}"
RUNS="${RUNS:-1}"
ONLY=both

while [ $# -gt 0 ]; do
  case "$1" in
    --only) ONLY="${2:-}"; shift 2 ;;
    --only=*) ONLY="${1#--only=}"; shift ;;
    -h|--help) sed -n '2,23p' "$0"; exit 0 ;;
    *) echo "unknown argument: $1 (try --help)" >&2; exit 2 ;;
  esac
done
case "$ONLY" in both|yagura|prowler) ;; *) echo "--only takes yagura, prowler or both" >&2; exit 2 ;; esac
want() { [ "$ONLY" = both ] || [ "$ONLY" = "$1" ]; }

die() { echo "error: $*" >&2; exit 2; }

# Check every prerequisite before starting anything, so a missing piece costs seconds.
[ -x /usr/bin/time ] || die "/usr/bin/time is missing; install GNU time (Debian: apt-get update && apt-get install -y time)"
command -v "$MOTO_SERVER" >/dev/null || die "$MOTO_SERVER not found; install it with: $PYTHON -m pip install 'moto[server]>=5,<6'"
"$PYTHON" -c 'import boto3, moto' 2>/dev/null || die "$PYTHON cannot import boto3 and moto (the seeder needs both)"
if want yagura; then
  [ -x "$YAGURA_BIN" ] || die "yagura binary not found at $YAGURA_BIN
  build it first:  CARGO_TARGET_DIR=/var/cache/yagura/target cargo build --release -p yagura
  or point YAGURA_BIN at one, or run only the Prowler half with --only prowler"
fi
if want prowler; then
  [ -x "$PROWLER_BIN" ] || die "prowler not found at $PROWLER_BIN
  install it in its own venv:  python3 -m venv /var/cache/yagura/bench-venv/prowler &&
    /var/cache/yagura/bench-venv/prowler/bin/pip install prowler"
fi

WORK="${BENCH_WORK:-$(mktemp -d /tmp/yagura-bench-aws.XXXXXX)}"
mkdir -p "$WORK"
echo "work folder: $WORK"

# The mapped checks: column 1 = yagura codes, column 2 = Prowler ids.
YAGURA_CHECKS="$(grep -v '^#' "$HERE/checks.tsv" | cut -f1 | sort -u | paste -sd, -)"
read -r -a PROWLER_CHECKS <<<"$(grep -v '^#' "$HERE/checks.tsv" | cut -f2 | tr ' ' '\n' | sort -u | paste -sd' ' -)"
read -r -a REGION_LIST <<<"${REGIONS//,/ }"
if [ -z "$YAGURA_CHECKS" ] || [ "${#PROWLER_CHECKS[@]}" -eq 0 ]; then
  die "no checks read from $HERE/checks.tsv"
fi

PORT="$("$PYTHON" -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])')"
ENDPOINT="http://127.0.0.1:$PORT"
MOTO_LOG="$WORK/moto.log"
MOTO_PID=""
cleanup() {
  if [ -n "$MOTO_PID" ] && kill -0 "$MOTO_PID" 2>/dev/null; then
    kill "$MOTO_PID" 2>/dev/null || true
    wait "$MOTO_PID" 2>/dev/null || true
  fi
}
trap cleanup EXIT INT TERM

# No default AMIs: moto would otherwise list ~1,200 foreign AMI snapshots per region
# as the account's own. AWS-managed IAM policies are loaded, as in a real account.
MOTO_EC2_LOAD_DEFAULT_AMIS=false MOTO_IAM_LOAD_MANAGED_POLICIES=true \
  "$MOTO_SERVER" -H 127.0.0.1 -p "$PORT" >"$MOTO_LOG" 2>&1 &
MOTO_PID=$!
for _ in $(seq 1 100); do
  if "$PYTHON" -c "import urllib.request, sys; urllib.request.urlopen('$ENDPOINT/moto-api/', timeout=1)" 2>/dev/null; then
    break
  fi
  kill -0 "$MOTO_PID" 2>/dev/null || { cat "$MOTO_LOG" >&2; die "moto_server exited"; }
  sleep 0.2
done
echo "moto_server on $ENDPOINT (pid $MOTO_PID)"

# Isolated, fake credentials: neither tool may read the user's AWS config or reach AWS.
export AWS_ACCESS_KEY_ID=testing AWS_SECRET_ACCESS_KEY=testing
export AWS_DEFAULT_REGION="${REGIONS%%,*}" AWS_REGION="${REGIONS%%,*}"
export AWS_ENDPOINT_URL="$ENDPOINT"
export AWS_CONFIG_FILE=/dev/null AWS_SHARED_CREDENTIALS_FILE=/dev/null AWS_EC2_METADATA_DISABLED=true
unset AWS_PROFILE AWS_SESSION_TOKEN AWS_SECURITY_TOKEN AWS_ROLE_ARN AWS_WEB_IDENTITY_TOKEN_FILE

echo "seeding (scale $SCALE, seed $SEED)…"
"$PYTHON" "$HERE/seed.py" --endpoint-url "$ENDPOINT" --regions "$REGIONS" --scale "$SCALE" \
  --seed "$SEED" --summary-json "$WORK/seed.json" | tee "$WORK/seed.txt"

# Requests moto served so far (one werkzeug access-log line each).
requests() { grep -cE '"[A-Z]+ [^"]* HTTP/[0-9.]+" [0-9]{3} ' "$MOTO_LOG" || true; }
# CPU seconds moto has used so far (utime + stime): how much of the emulator's
# single GIL-bound process each tool kept busy.
CLK_TCK="$(getconf CLK_TCK)"
moto_cpu() { awk -v t="$CLK_TCK" '{ sub(/.*\) /, ""); printf "%.2f\n", ($12 + $13) / t }' "/proc/$MOTO_PID/stat"; }
# Writes the requests and moto CPU used since the given marks to <prefix>.requests / .moto_cpu.
account_emulator() {
  local prefix=$1 req0=$2 cpu0=$3
  echo $(( $(requests) - req0 )) >"$prefix.requests"
  awk -v a="$cpu0" -v b="$(moto_cpu)" 'BEGIN { printf "%.2f\n", b - a }' >"$prefix.moto_cpu"
}

machine() {
  {
    echo "date: $(date -u +%Y-%m-%dT%H:%M:%SZ)"
    echo "cpus: $(nproc)  memory: $(awk '/MemTotal/ {printf "%.1f GiB", $2/1048576}' /proc/meminfo)"
    echo "cpu model: $(awk -F': ' '/model name/ {print $2; exit}' /proc/cpuinfo)"
    echo "kernel: $(uname -sr)"
    echo "moto: $("$PYTHON" -c 'import moto; print(moto.__version__)')  boto3 (seeder): $("$PYTHON" -c 'import boto3; print(boto3.__version__)')"
    if want yagura; then echo "yagura: $("$YAGURA_BIN" --version 2>&1 | head -1)"; fi
    if want prowler; then echo "prowler: $("$PROWLER_BIN" --version 2>&1 | tail -1)"; fi
    echo "regions: $REGIONS  scale: $SCALE  seed: $SEED  runs: $RUNS"
    echo "yagura checks: $(tr ',' '\n' <<<"$YAGURA_CHECKS" | wc -l)  prowler checks: ${#PROWLER_CHECKS[@]}"
  } | tee "$WORK/machine.txt"
}
machine

run_yagura() {
  local n=$1 req0 cpu0
  req0=$(requests) cpu0=$(moto_cpu)
  echo "yagura run $n (load average: $(cut -d' ' -f1-3 /proc/loadavg))…"
  local rc=0
  # From the work folder, so no ./yagura.yaml of the caller's folder applies.
  (cd "$WORK" && /usr/bin/time -v -o "$WORK/yagura-$n.time" \
    "$YAGURA_BIN" scan aws --endpoint-url "$ENDPOINT" --region "$REGIONS" \
    --checks "$YAGURA_CHECKS" --no-store --format json --output "$WORK/yagura-$n.json" \
    >"$WORK/yagura-$n.stdout" 2>"$WORK/yagura-$n.stderr") || rc=$?
  account_emulator "$WORK/yagura-$n" "$req0" "$cpu0"
  if [ "$rc" -ne 0 ]; then
    tail -20 "$WORK/yagura-$n.stderr" >&2
    die "yagura exited with status $rc (full log: $WORK/yagura-$n.stderr)"
  fi
}

run_prowler() {
  local n=$1 req0 cpu0
  req0=$(requests) cpu0=$(moto_cpu)
  echo "prowler run $n (load average: $(cut -d' ' -f1-3 /proc/loadavg))…"
  mkdir -p "$WORK/prowler-$n"
  local rc=0
  # -z: exit 0 even with failed findings. --scan-unused-services: also assess
  # resources Prowler considers unused (default security groups, empty VPCs …),
  # as yagura does. json-ocsf only, the closest to yagura's single JSON report.
  (cd "$WORK" && /usr/bin/time -v -o "$WORK/prowler-$n.time" \
    "$PROWLER_BIN" aws --region "${REGION_LIST[@]}" --checks "${PROWLER_CHECKS[@]}" \
    --scan-unused-services --no-banner --no-color -z \
    --output-formats json-ocsf --output-directory "$WORK/prowler-$n" --output-filename prowler \
    --log-level ERROR --log-file "$WORK/prowler-$n.log" \
    >"$WORK/prowler-$n.stdout" 2>&1) || rc=$?
  account_emulator "$WORK/prowler-$n" "$req0" "$cpu0"
  if [ "$rc" -ne 0 ]; then
    tail -20 "$WORK/prowler-$n.stdout" >&2
    die "prowler exited with status $rc (full output: $WORK/prowler-$n.stdout)"
  fi
}

for n in $(seq 1 "$RUNS"); do
  if want yagura; then run_yagura "$n"; fi
  if want prowler; then run_prowler "$n"; fi
done

echo
"$PYTHON" "$HERE/report.py" "$WORK" --json "$WORK/summary.json" | tee "$WORK/summary.txt"
echo
echo "seeded: $(awk '/ resources, / {print; exit}' "$WORK/seed.txt")"
echo "details: $WORK"
