#!/usr/bin/env bash
# Vulnerability-scanning benchmark: yagura against cargo-audit, pip-audit and
# npm audit on the same lockfiles and the same advisories, plus an image scan
# and a bulk import. See bench/vuln/README.md.
#
# Usage: bash bench/vuln/run.sh            (from anywhere)
# Env:   RUNS=10            timed runs per command (median reported)
#        SKIP_BUILD=1       use an existing $YAGURA binary
#        YAGURA=path        yagura binary (default: the release build)
#        SKIP_IMAGE=1 SKIP_IMPORT=1 SKIP_PEERS=1   leave parts out
#        OUT=dir            results folder (default: $DATA/results-<time>)
set -euo pipefail

here="$(cd "$(dirname "$0")" && pwd)"
repo="$(cd "$here/../.." && pwd)"
shared="${SHARED:-$repo/../shared}"
data="${DATA:-/var/cache/yagura/bench-data}"
tools="${TOOLS:-/var/cache/yagura/bench-tools}"
runs="${RUNS:-10}"
out="${OUT:-$data/results-$(date -u +%Y%m%dT%H%M%S)}"
export CARGO_TARGET_DIR="${CARGO_TARGET_DIR:-/var/cache/yagura/target}"
yagura="${YAGURA:-$CARGO_TARGET_DIR/release/yagura}"
pip_audit_venv="${PIP_AUDIT_VENV:-/var/cache/yagura/bench-venv/pip-audit}"
cargo_audit="${CARGO_AUDIT:-$tools/bin/cargo-audit}"
osv_port="${OSV_PORT:-18765}"
npm_port="${NPM_PORT:-18766}"
mkdir -p "$out"
results="$out/results.jsonl"
: >"$results"
log() { printf '\n== %s\n' "$*" >&2; }

for need in "$shared/advisories/pypa-osv.zip" "$shared/advisories/rustsec-advisory-db"; do
  [ -e "$need" ] || { echo "run.sh: $need missing (needs ../shared beside the repo)" >&2; exit 2; }
done

# --- build -------------------------------------------------------------------
if [ -z "${SKIP_BUILD:-}" ]; then
  log "cargo build --release -p yagura"
  (cd "$repo" && cargo build --release -p yagura)
fi
[ -x "$yagura" ] || { echo "run.sh: no yagura binary at $yagura" >&2; exit 2; }

# --- timing helpers ------------------------------------------------------------
# median_seconds NAME CMD: runs CMD (a shell string) $runs times, prints the median.
# Uses hyperfine when installed (apt-get install hyperfine), else a Python loop.
median_seconds() {
  local name="$1" cmd="$2"
  if command -v hyperfine >/dev/null; then
    hyperfine --style none --warmup 1 --runs "$runs" -i --export-json "$out/time-$name.json" "$cmd" >/dev/null 2>&1
    python3 -c 'import json,sys; print("%.4f" % json.load(open(sys.argv[1]))["results"][0]["median"])' "$out/time-$name.json"
  else
    python3 - "$runs" "$cmd" <<'PY'
import statistics, subprocess, sys, time
runs, cmd = int(sys.argv[1]), sys.argv[2]
subprocess.run(cmd, shell=True, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)  # warm-up
samples = []
for _ in range(runs):
    start = time.perf_counter()
    subprocess.run(cmd, shell=True, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    samples.append(time.perf_counter() - start)
print("%.4f" % statistics.median(samples))
PY
  fi
}

# --- advisory DB ---------------------------------------------------------------
vuln_db="$out/vuln.db"
log "import advisories into $vuln_db"
/usr/bin/time -f '%e s wall, %M KiB max RSS' -o "$out/import-real.time" \
  "$yagura" --vuln-db "$vuln_db" db import \
  "$shared/advisories/pypa-osv.zip" "$shared/advisories/rustsec-advisory-db" "$here/npm-advisories" \
  | tee "$out/import-real.log"
cat "$out/import-real.time"

yscan() { "$yagura" --vuln-db "$vuln_db" scan vuln "$1" --format json --no-store; }
# Scans exit non-zero when they find something; only a missing/invalid report is an error.
yagura_case() { # name target -> $out/yagura-NAME.json, prints median time
  local name="$1" target="$2"
  yscan "$target" >"$out/yagura-$name.json" || true
  python3 -c 'import json,sys; json.load(open(sys.argv[1]))' "$out/yagura-$name.json" \
    || { echo "run.sh: yagura produced no JSON for $target" >&2; return 1; }
  median_seconds "yagura-$name" "'$yagura' --vuln-db '$vuln_db' scan vuln '$target' --format json --no-store"
}

# --- peers -----------------------------------------------------------------------
server_pids=()
cleanup() { for pid in "${server_pids[@]}"; do kill "$pid" 2>/dev/null || true; done; }
trap cleanup EXIT

if [ -z "${SKIP_PEERS:-}" ]; then
  # cargo-audit 0.22 reads the advisory-db folder as it is (no git checkout needed with --no-fetch).
  rustsec_db="$shared/advisories/rustsec-advisory-db"

  python="$pip_audit_venv/bin/python"
  "$python" "$here/osv_api_server.py" --zip "$shared/advisories/pypa-osv.zip" --port "$osv_port" \
    >"$out/osv_api_server.log" 2>&1 &
  server_pids+=($!)
  python3 "$here/npm_audit_server.py" --advisories "$here/npm-advisories" --port "$npm_port" \
    >"$out/npm_audit_server.log" 2>&1 &
  server_pids+=($!)
  for _ in $(seq 1 50); do
    curl -sf "http://127.0.0.1:$osv_port/health" >/dev/null && grep -q advisories "$out/npm_audit_server.log" && break
    sleep 0.2
  done

  # Cargo.lock vs cargo-audit
  log "Cargo.lock: yagura vs cargo-audit"
  cargo_lock="$here/lockfiles/cargo/Cargo.lock"
  ytime=$(yagura_case cargo "$cargo_lock")
  cargo_cmd="'$cargo_audit' audit --db '$rustsec_db' --no-fetch --stale --file '$cargo_lock' --json"
  bash -c "$cargo_cmd" >"$out/cargo-audit.json" || true
  ptime=$(median_seconds cargo-audit "$cargo_cmd")
  python3 "$here/compare.py" pair --peer-kind cargo-audit --label Cargo.lock \
    --yagura "$out/yagura-cargo.json" --peer "$out/cargo-audit.json" \
    --yagura-time "$ytime" --peer-time "$ptime" --append "$results"

  # requirements.txt vs pip-audit (OSV service = the loopback server)
  log "requirements.txt: yagura vs pip-audit"
  requirements="$here/lockfiles/python/requirements.txt"
  ytime=$(yagura_case python "$requirements")
  pip_cmd="'$pip_audit_venv/bin/pip-audit' -r '$requirements' --no-deps --disable-pip -s osv \
--osv-url http://127.0.0.1:$osv_port/v1/query -f json --progress-spinner off --cache-dir '$out/pip-audit-cache'"
  bash -c "$pip_cmd" >"$out/pip-audit.json" 2>"$out/pip-audit.stderr" || true
  ptime=$(median_seconds pip-audit "$pip_cmd")
  python3 "$here/compare.py" pair --peer-kind pip-audit --label requirements.txt \
    --yagura "$out/yagura-python.json" --peer "$out/pip-audit.json" \
    --yagura-time "$ytime" --peer-time "$ptime" --append "$results"

  # uv.lock: pip-audit does not read it, so it audits uv's own export of the lock
  # (`uv export --frozen`: exactly the locked pins), which yagura reads as uv.lock.
  uv="${UV:-$(command -v uv || echo "$tools/uv-venv/bin/uv")}"
  if [ -f "$here/lockfiles/python-uv/uv.lock" ] && [ -x "$uv" ]; then
    log "uv.lock: yagura vs pip-audit on uv export"
    (cd "$here/lockfiles/python-uv" && "$uv" export --frozen --no-hashes --no-emit-project \
      --format requirements-txt -o "$out/uv-requirements.txt" >/dev/null 2>&1)
    ytime=$(yagura_case uv "$here/lockfiles/python-uv/uv.lock")
    uv_cmd="'$pip_audit_venv/bin/pip-audit' -r '$out/uv-requirements.txt' --no-deps --disable-pip -s osv \
--osv-url http://127.0.0.1:$osv_port/v1/query -f json --progress-spinner off --cache-dir '$out/pip-audit-cache'"
    bash -c "$uv_cmd" >"$out/pip-audit-uv.json" 2>"$out/pip-audit-uv.stderr" || true
    ptime=$(median_seconds pip-audit-uv "$uv_cmd")
    python3 "$here/compare.py" pair --peer-kind pip-audit --label uv.lock \
      --yagura "$out/yagura-uv.json" --peer "$out/pip-audit-uv.json" \
      --yagura-time "$ytime" --peer-time "$ptime" --append "$results"
  fi

  # package-lock.json vs npm audit (bulk endpoint = the loopback server)
  log "package-lock.json: yagura vs npm audit"
  npm_dir="$here/lockfiles/npm"
  ytime=$(yagura_case npm "$npm_dir/package-lock.json")
  npm_cmd="cd '$npm_dir' && npm audit --json --package-lock-only --registry http://127.0.0.1:$npm_port/"
  bash -c "$npm_cmd" >"$out/npm-audit.json" 2>"$out/npm-audit.stderr" || true
  ptime=$(median_seconds npm-audit "$npm_cmd")
  python3 "$here/compare.py" pair --peer-kind npm-audit --label package-lock.json \
    --yagura "$out/yagura-npm.json" --peer "$out/npm-audit.json" \
    --lock "$npm_dir/package-lock.json" --npm-advisories "$here/npm-advisories" \
    --yagura-time "$ytime" --peer-time "$ptime" --append "$results"

  log "summary (times are medians of $runs runs)"
  python3 "$here/compare.py" table "$results" | tee "$out/summary.txt"
fi

# --- image -------------------------------------------------------------------------
image_case() { # name target: one warm-up scan, then one under /usr/bin/time -v
  local name="$1" target="$2"
  log "image scan: $target (warm DB: one unmeasured run first)"
  "$yagura" --vuln-db "$image_db" scan vuln "$target" --format json --no-store >/dev/null 2>&1 || true
  median_seconds "yagura-$name" "'$yagura' --vuln-db '$image_db' scan vuln '$target' --format json --no-store" \
    | sed "s/^/$name median wall seconds over $runs runs: /" | tee -a "$out/summary.txt"
  /usr/bin/time -v -o "$out/$name.time" "$yagura" --vuln-db "$image_db" scan vuln "$target" \
    --format json --no-store >"$out/yagura-$name.json" 2>"$out/yagura-$name.stderr" || true
  python3 - "$out/$name.time" "$out/yagura-$name.json" "$data/bench-image.truth.json" "$name" <<'PY' | tee -a "$out/summary.txt"
import json, re, sys
timing = open(sys.argv[1]).read()
wall = re.search(r"Elapsed \(wall clock\) time.*: (.+)", timing).group(1)
rss = int(re.search(r"Maximum resident set size \(kbytes\): (\d+)", timing).group(1))
report = json.load(open(sys.argv[2]))
findings = report.get("findings", []) if isinstance(report, dict) else report
truth = json.load(open(sys.argv[3]))
packages = {(f.get("vulnerability", {}).get("package", {}).get("ecosystem"),
             f.get("vulnerability", {}).get("package", {}).get("name"),
             f.get("vulnerability", {}).get("package", {}).get("version")) for f in findings}
# The whited-out dist is the only sqlparse 0.4.1 in the image (Debian's python3-sqlparse is 0.4.2).
def leaked(f):
    p = f.get("vulnerability", {}).get("package", {})
    return "sqlparse-0.4.1.dist-info" in (p.get("path") or "") or (
        (p.get("name") or "").lower() == "sqlparse" and p.get("version") == "0.4.1")
whiteout_leak = [f for f in findings if leaked(f)]
print(f"{sys.argv[4]} scan: wall {wall}, max RSS {rss / 1024:.0f} MiB, {len(findings)} findings on {len(packages)} package versions")
print(f"image truth: {truth['os_packages']['count']} dpkg, {truth['python_site_packages']['count']} site-packages "
      f"+ {truth['python_vendored']['count']} vendored + {truth['python_debian_dist_packages']['count']} Debian python dists, "
      f"{truth['node_modules']['count']} node packages (compare with the inventory line in yagura-{sys.argv[4]}.stderr)")
print(f"whiteout honoured (no finding from the deleted sqlparse dist-info): {not whiteout_leak}")
PY
}
image="$data/bench-image.tar"
if [ -z "${SKIP_IMAGE:-}" ]; then
  [ -f "$image" ] || python3 "$here/make-image.py" --data "$data"
  # The real advisories plus a synthetic Debian:12 feed for the image's source
  # packages (OSV's Debian export is not reachable here), so the OS half of
  # the scan matches against a distribution-sized feed too.
  image_db="$out/image.db"
  cp "$vuln_db" "$image_db"
  debian_zip="$data/synthetic-debian-20k.zip"
  [ -f "$debian_zip" ] || python3 "$here/synth-debian.py" --status "$data/rootfs/var/lib/dpkg/status" --out "$debian_zip"
  "$yagura" --vuln-db "$image_db" db import "$debian_zip" >/dev/null
  image_case image "$image"
  # The OCI layout of the same image, when make-image.py --oci made it.
  if [ -d "$data/bench-image-oci" ]; then image_case image-oci "$data/bench-image-oci"; fi
fi

# --- bulk import ---------------------------------------------------------------------
if [ -z "${SKIP_IMPORT:-}" ]; then
  synth="$data/synthetic-osv-100k.zip"
  [ -f "$synth" ] || python3 "$here/synth-osv.py" --out "$synth"
  log "import of 100,000 synthetic OSV records"
  rm -f "$out/synth.db"
  /usr/bin/time -v -o "$out/import-synth.time" "$yagura" --vuln-db "$out/synth.db" db import "$synth" \
    >"$out/import-synth.log" 2>&1
  python3 - "$out/import-synth.time" <<'PY' | tee -a "$out/summary.txt"
import re, sys
t = open(sys.argv[1]).read()
wall = re.search(r"Elapsed \(wall clock\) time.*: (.+)", t).group(1)
rss = int(re.search(r"Maximum resident set size \(kbytes\): (\d+)", t).group(1))
print(f"import 100k synthetic OSV records: wall {wall}, max RSS {rss / 1024:.0f} MiB")
PY
  ls -la "$out/synth.db" 2>&1 | tee -a "$out/summary.txt" || true
fi

echo "results in $out" >&2
