#!/usr/bin/env bash
# Runtime sensor benchmarks (root, Linux with BTF). Results go to docs/benchmarks.md.
#
#   bench/runtime/run.sh            all three
#   bench/runtime/run.sh engine     rule engine alone on a recording of real events
#   bench/runtime/run.sh overhead   open/close and fork/exec loops with and without the agent
#   bench/runtime/run.sh rate       syscalls/s the sensor takes without dropping
#
# Needs release builds: cargo build --release -p yagura -p yagura-eventgen
set -euo pipefail
here="$(cd "$(dirname "$0")" && pwd)"
target="${CARGO_TARGET_DIR:-$here/../../target}/release"
Y="$target/yagura"
EG="$target/yagura-eventgen"
work="$(mktemp -d)"
trap 'kill $(jobs -p) 2>/dev/null || true; rm -rf "$work"' EXIT
what="${1:-all}"

agent_start() { # extra args...
    "$Y" agent runtime -o "$work/alerts.jsonl" "$@" 2>"$work/agent.err" &
    agent=$!
    for _ in $(seq 1 600); do
        grep -q "runtime sensor attached" "$work/agent.err" 2>/dev/null && return 0
        sleep 0.05
    done
    cat "$work/agent.err" >&2
    return 1
}
agent_stop() {
    kill -TERM "$agent"
    wait "$agent" || true
    tail -1 "$work/agent.err"
}

if [[ $what == all || $what == engine ]]; then
    echo "== engine: default ruleset over a recording of real events, one thread"
    agent_start --record "$work/events.rec"
    # A realistic mix: builds, file reads, execs, connections, plus each attack.
    (cd "$here/../.." && git ls-files | head -2000 | xargs cat >/dev/null 2>&1) || true
    for a in read-shadow write-below-etc ptrace-attach memfd-exec log-clearing disable-history; do
        "$EG" run "$a" >/dev/null
    done
    "$EG" run fork-exec-loop 300 >/dev/null
    for _ in $(seq 1 20); do ls -la /usr/bin >/dev/null; cat /etc/passwd >/dev/null; done
    agent_stop
    wc -l <"$work/events.rec" | awk '{print "recorded events:", $1 - 1}'
    for _ in 1 2 3; do
        taskset -c 1 "$Y" runtime replay "$work/events.rec" --bench 200
    done
fi

if [[ $what == all || $what == overhead ]]; then
    echo "== overhead: same loops with and without the agent (default ruleset)"
    for loop in "open-close-loop 2000000" "fork-exec-loop 3000"; do
        for i in 1 2 3; do
            base=$("$EG" run $loop | python3 -c 'import json,sys; print(json.load(sys.stdin)["ops_per_s"])')
            agent_start
            with=$("$EG" run $loop | python3 -c 'import json,sys; print(json.load(sys.stdin)["ops_per_s"])')
            stop=$(agent_stop)
            python3 -c "b=$base; w=$with; print(f'$loop run $i: without {b:,.0f}/s with {w:,.0f}/s overhead {100*(b-w)/b:.1f}%')"
            echo "   agent: $stop"
        done
    done
fi

if [[ $what == all || $what == rate ]]; then
    echo "== rate: paced open+close in a watched folder, every open reaches user space"
    # /etc/ is a watched prefix in the default ruleset, so the kernel filter
    # passes these opens and each becomes an event for the engine.
    for rate in 200000 400000 600000; do
        agent_start
        "$EG" run syscall-rate "$rate" 10 --workdir /etc/yagura-bench >"$work/rate.json" || true
        stop=$(agent_stop)
        python3 - "$work/rate.json" "$rate" "$stop" <<'PY'
import json, sys
r = json.load(open(sys.argv[1]))
print(f"target {int(sys.argv[2]):,} syscalls/s: achieved {r.get('achieved_rate', 0):,.0f}/s; agent: {sys.argv[3]}")
PY
    done
    rm -rf /etc/yagura-bench
fi
