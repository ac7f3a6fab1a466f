#!/usr/bin/env bash
# Side-by-side benchmark: `yagura scan aws` vs Prowler on the same emulated account.
#
#   bash bench/aws/run.sh                 # both tools
#   bash bench/aws/run.sh --only prowler  # Prowler half only (no yagura binary needed)
#   bash bench/aws/run.sh --only yagura
#   bash bench/aws/run.sh --replay        # also time both tools against a recording
#
# Steps: start moto_server on a free 127.0.0.1 port (stopped on exit), seed it once
# (bench/aws/seed.py), then run yagura and Prowler against that same state, each
# under `/usr/bin/time -v`, on the checks both tools have (bench/aws/checks.tsv),
# and print wall time, peak RSS, findings, API calls and the ratios.
# With --replay, each tool then runs once more through a recording proxy
# (bench/aws/replay.py), and RUNS more times against a server that answers from
# its recording, without moto; a second table shows those runs.
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
#   LIVE_RUNS       with --replay: runs per tool against moto itself (default RUNS; 0 skips them)
#   REPLAY_WORKERS  replay server processes (default: number of CPUs)
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
REPLAY=0

while [ $# -gt 0 ]; do
  case "$1" in
    --only) ONLY="${2:-}"; shift 2 ;;
    --only=*) ONLY="${1#--only=}"; shift ;;
    --replay) REPLAY=1; shift ;;
    -h|--help) sed -n '2,31p' "$0"; exit 0 ;;
    *) echo "unknown argument: $1 (try --help)" >&2; exit 2 ;;
  esac
done
case "$ONLY" in both|yagura|prowler) ;; *) echo "--only takes yagura, prowler or both" >&2; exit 2 ;; esac
want() { [ "$ONLY" = both ] || [ "$ONLY" = "$1" ]; }
LIVE_RUNS="${LIVE_RUNS:-$RUNS}"
[ "$REPLAY" = 1 ] || LIVE_RUNS="$RUNS"
REPLAY_WORKERS="${REPLAY_WORKERS:-$(nproc)}"

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
PROXY_PID=""
cleanup() {
  local pid
  for pid in "$PROXY_PID" "$MOTO_PID"; do
    if [ -n "$pid" ] && kill -0 "$pid" 2>/dev/null; then
      kill "$pid" 2>/dev/null || true
      wait "$pid" 2>/dev/null || true
    fi
  done
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
    if [ "$REPLAY" = 1 ]; then
      echo "regions: $REGIONS  scale: $SCALE  seed: $SEED  live runs: $LIVE_RUNS  replay runs: $RUNS (workers: $REPLAY_WORKERS)"
    else
      echo "regions: $REGIONS  scale: $SCALE  seed: $SEED  runs: $RUNS"
    fi
    echo "yagura checks: $(tr ',' '\n' <<<"$YAGURA_CHECKS" | wc -l)  prowler checks: ${#PROWLER_CHECKS[@]}"
  } | tee "$WORK/machine.txt"
}
machine

# run_<tool> DIR N ENDPOINT ACCOUNTING: one run of a tool, its files in DIR/<tool>-N.*.
# ACCOUNTING is "moto" (requests and CPU moto spent during the run) or "none" (the
# replay server writes its own statistics to DIR/<tool>-N.replay.json).
run_yagura() {
  local dir=$1 n=$2 endpoint=$3 accounting=$4 req0=0 cpu0=0
  if [ "$accounting" = moto ]; then req0=$(requests) cpu0=$(moto_cpu); fi
  local how=live
  [ "$dir" = "$WORK" ] || how="$(basename "$dir")"
  echo "yagura run $n, $how (load average: $(cut -d' ' -f1-3 /proc/loadavg))…"
  local rc=0
  # From the work folder, so no ./yagura.yaml of the caller's folder applies.
  (cd "$WORK" && /usr/bin/time -v -o "$dir/yagura-$n.time" \
    "$YAGURA_BIN" scan aws --endpoint-url "$endpoint" --region "$REGIONS" \
    --checks "$YAGURA_CHECKS" --no-store --format json --output "$dir/yagura-$n.json" \
    >"$dir/yagura-$n.stdout" 2>"$dir/yagura-$n.stderr") || rc=$?
  if [ "$accounting" = moto ]; then account_emulator "$dir/yagura-$n" "$req0" "$cpu0"; fi
  if [ "$rc" -ne 0 ]; then
    tail -20 "$dir/yagura-$n.stderr" >&2
    die "yagura exited with status $rc (full log: $dir/yagura-$n.stderr)"
  fi
}

run_prowler() {
  local dir=$1 n=$2 endpoint=$3 accounting=$4 req0=0 cpu0=0
  if [ "$accounting" = moto ]; then req0=$(requests) cpu0=$(moto_cpu); fi
  local how=live
  [ "$dir" = "$WORK" ] || how="$(basename "$dir")"
  echo "prowler run $n, $how (load average: $(cut -d' ' -f1-3 /proc/loadavg))…"
  mkdir -p "$dir/prowler-$n"
  local rc=0
  # -z: exit 0 even with failed findings. --scan-unused-services: also assess
  # resources Prowler considers unused (default security groups, empty VPCs …),
  # as yagura does. json-ocsf only, the closest to yagura's single JSON report.
  (cd "$WORK" && AWS_ENDPOINT_URL="$endpoint" /usr/bin/time -v -o "$dir/prowler-$n.time" \
    "$PROWLER_BIN" aws --region "${REGION_LIST[@]}" --checks "${PROWLER_CHECKS[@]}" \
    --scan-unused-services --no-banner --no-color -z \
    --output-formats json-ocsf --output-directory "$dir/prowler-$n" --output-filename prowler \
    --log-level ERROR --log-file "$dir/prowler-$n.log" \
    >"$dir/prowler-$n.stdout" 2>&1) || rc=$?
  if [ "$accounting" = moto ]; then account_emulator "$dir/prowler-$n" "$req0" "$cpu0"; fi
  if [ "$rc" -ne 0 ]; then
    tail -20 "$dir/prowler-$n.stdout" >&2
    die "prowler exited with status $rc (full output: $dir/prowler-$n.stdout)"
  fi
}

for n in $(seq 1 "$LIVE_RUNS"); do
  if want yagura; then run_yagura "$WORK" "$n" "$ENDPOINT" moto; fi
  if want prowler; then run_prowler "$WORK" "$n" "$ENDPOINT" moto; fi
done

if [ "$REPLAY" = 1 ]; then
  # The recording proxy and the replay server use the same port, because some answers
  # carry the endpoint's URL (SQS queue URLs) and a tool may send it back. The port is
  # picked below the kernel's ephemeral range, so that no client connection of an
  # earlier step can hold it when the next server binds it.
  PROXY_PORT="$("$PYTHON" - <<'PY'
import random, socket
low = 20000
try:
    low = min(low, int(open("/proc/sys/net/ipv4/ip_local_port_range").read().split()[0]) - 2000)
except (OSError, ValueError, IndexError):
    pass
for port in random.sample(range(max(1024, low - 10000), low), 200):
    s = socket.socket()
    try:
        s.bind(("127.0.0.1", port))
    except OSError:
        continue
    finally:
        s.close()
    print(port)
    break
PY
)"
  [ -n "$PROXY_PORT" ] || die "no free port for the replay server"
  PROXY="http://127.0.0.1:$PROXY_PORT"
  mkdir -p "$WORK/record" "$WORK/replay"

  # start_server PREFIX ARGS…: starts replay.py ARGS in the background, logging to
  # PREFIX.log, and waits until it listens.
  start_server() {
    local prefix=$1; shift
    rm -f "$prefix.ready"
    "$PYTHON" "$HERE/replay.py" "$@" --listen "127.0.0.1:$PROXY_PORT" \
      --ready-file "$prefix.ready" 2>"$prefix.log" &
    PROXY_PID=$!
    for _ in $(seq 1 600); do
      [ -f "$prefix.ready" ] && return 0
      kill -0 "$PROXY_PID" 2>/dev/null || { cat "$prefix.log" >&2; die "replay.py $1 exited"; }
      sleep 0.1
    done
    die "replay.py $1 did not start (log: $prefix.log)"
  }
  stop_server() {
    local rc=0
    kill -TERM "$PROXY_PID" 2>/dev/null || true
    wait "$PROXY_PID" || rc=$?
    PROXY_PID=""
    return "$rc"
  }

  # Prowler takes some regions (for STS, for the home of a multi-region trail) from
  # Python sets, whose order follows the interpreter's hash seed; one fixed seed for the
  # recorded and the replayed runs makes them ask the same questions.
  export PYTHONHASHSEED="${PYTHONHASHSEED:-0}"

  for tool in yagura prowler; do
    want "$tool" || continue
    start_server "$WORK/record/$tool.proxy" record --upstream "$ENDPOINT" \
      --out "$WORK/record/$tool.rec.json.gz" --stats "$WORK/record/$tool.rec.json"
    "run_$tool" "$WORK/record" 1 "$PROXY" moto
    stop_server || die "recording proxy failed (log: $WORK/record/$tool.proxy.log)"
    cat "$WORK/record/$tool.proxy.log"
  done
  for n in $(seq 1 "$RUNS"); do
    for tool in yagura prowler; do
      want "$tool" || continue
      start_server "$WORK/replay/$tool-$n.server" replay \
        --recording "$WORK/record/$tool.rec.json.gz" --workers "$REPLAY_WORKERS" \
        --stats "$WORK/replay/$tool-$n.replay.json"
      "run_$tool" "$WORK/replay" "$n" "$PROXY" none
      stop_server || die "replay server failed (log: $WORK/replay/$tool-$n.server.log)"
      cat "$WORK/replay/$tool-$n.server.log"
    done
  done
fi

echo
if [ "$LIVE_RUNS" -gt 0 ]; then
  "$PYTHON" "$HERE/report.py" "$WORK" --json "$WORK/summary.json" \
    --title "against moto (live emulator):" | tee "$WORK/summary.txt"
fi
status=0
if [ "$REPLAY" = 1 ]; then
  echo
  "$PYTHON" "$HERE/report.py" "$WORK/replay" --emulator replay --faithful-to "$WORK/record" \
    --json "$WORK/replay/summary.json" \
    --title "against the replay server (recorded answers, no emulator):" \
    | tee "$WORK/replay/summary.txt" || status=$?
fi
echo
echo "seeded: $(awk '/ resources, / {print; exit}' "$WORK/seed.txt")"
echo "details: $WORK"
if [ "$status" -ne 0 ]; then
  echo "error: the replay was not faithful or missed requests (see the warnings above)" >&2
  exit 3
fi
