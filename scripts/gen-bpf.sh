#!/usr/bin/env bash
# Regenerates crates/yagura-sensor/bpf/sensor.bpf.o from sensor.bpf.c.
#
# Needs clang 14 (Debian: clang-14), llvm-strip and libbpf's headers
# (libbpf-dev). `cargo build` does not run this: the object is committed, and
# crates/yagura-sensor/tests/bpf_object.rs checks it matches its source.
#
# Usage: scripts/gen-bpf.sh [OUTPUT]   (default: the committed object)
set -euo pipefail
here="$(cd "$(dirname "$0")/.." && pwd)"
src="$here/crates/yagura-sensor/bpf"
out="${1:-$src/sensor.bpf.o}"
clang="${CLANG:-$(command -v clang-14 || command -v clang)}"
strip="${LLVM_STRIP:-$(command -v llvm-strip-14 || command -v llvm-strip)}"
tmp="$(mktemp)"
trap 'rm -f "$tmp"' EXIT
# Relative source path and fixed flags keep the output byte-for-byte stable.
(cd "$src" && "$clang" -g -O2 -target bpf -D__TARGET_ARCH_x86 -I. \
    -fdebug-prefix-map="$src"=. -c sensor.bpf.c -o "$tmp")
# Drop DWARF, keep .BTF/.BTF.ext (CO-RE relocations need them).
"$strip" -g "$tmp"
cp "$tmp" "$out"
