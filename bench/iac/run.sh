#!/usr/bin/env bash
# yagura vs Checkov on generated Terraform corpora: wall time, peak memory and
# detection against the generator's ground truth.
# Usage: bash bench/iac/run.sh [OUT_DIR]   (installs Checkov into a venv if missing)
set -euo pipefail
cd "$(dirname "$0")/../.."
OUT=${1:-/var/cache/yagura/bench-iac}
export CARGO_TARGET_DIR=${CARGO_TARGET_DIR:-/var/cache/yagura/target}
VENV=/var/cache/yagura/bench-venv/checkov
mkdir -p "$OUT"
if [ ! -x "$VENV/bin/checkov" ]; then
  python3 -m venv "$VENV"
  "$VENV/bin/pip" install -q checkov
fi
if ! command -v /usr/bin/time >/dev/null; then apt-get install -y -q time >/dev/null; fi
rm -rf "$OUT/corpus"
python3 bench/iac/generate.py "$OUT/corpus"
cargo build --release -q -p yagura
YAGURA="$CARGO_TARGET_DIR/release/yagura"

measure() { # name, command...
  local name=$1; shift
  /usr/bin/time -f "%e %M" -o "$OUT/$name.time" "$@" >"$OUT/$name.stdout" 2>"$OUT/$name.stderr" || true
  # GNU time prefixes a line when the command exits non-zero (Checkov does on findings).
  tail -n 1 "$OUT/$name.time" >"$OUT/$name.t" && mv "$OUT/$name.t" "$OUT/$name.time"
  read -r secs kib <"$OUT/$name.time"
  printf '%-22s %8.2f s %8.0f MiB\n' "$name" "$secs" "$((kib / 1024))"
}

echo "Checkov $("$VENV/bin/checkov" --version), yagura $("$YAGURA" --version | awk '{print $2}'), $(nproc) cores"
for corpus in flat modules; do
  dir="$OUT/corpus/$corpus"
  measure "yagura-$corpus" "$YAGURA" scan iac "$dir" --no-secrets --no-store -f json -o "$OUT/yagura-$corpus.json"
  measure "checkov-$corpus" "$VENV/bin/checkov" -d "$dir" --framework terraform --skip-download -o json --quiet --compact --output-file-path "$OUT/checkov-$corpus-out"
  cp "$OUT/checkov-$corpus-out/results_json.json" "$OUT/checkov-$corpus.json"
done
for corpus in flat modules; do
  read -r ys _ <"$OUT/yagura-$corpus.time"
  read -r cs _ <"$OUT/checkov-$corpus.time"
  read -r _ ym <"$OUT/yagura-$corpus.time"
  read -r _ cm <"$OUT/checkov-$corpus.time"
  python3 -c "print(f'$corpus: yagura is {float($cs)/max(float($ys),0.001):.0f}x faster, uses {float($ym)/float($cm):.2f}x the memory')"
done
python3 bench/iac/compare.py "$OUT"
