#!/usr/bin/env bash
# Runtime sensor benchmarks (root, Linux with BTF). Results go to docs/benchmarks.md.
#
#   bench/runtime/run.sh            all three
#   bench/runtime/run.sh engine     rule engine alone on a recording of real events
#   bench/runtime/run.sh overhead   open/close and fork/exec loops with and without the agent
#   bench/runtime/run.sh rate       syscalls/s the sensor takes without dropping
#   bench/runtime/run.sh breakdown  where the open/close loop's overhead goes
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
    $pin "$Y" agent runtime --no-store -o "$work/alerts.jsonl" "$@" 2>"$work/agent.err" &
    agent=$!
    for _ in $(seq 1 600); do
        grep -q "runtime sensor attached" "$work/agent.err" 2>/dev/null && return 0
        sleep 0.05
    done
    cat "$work/agent.err" >&2
    return 1
}
# The agent on CPU 1, leaving CPU 0 to the workload.
agent_start_pinned() { pin="taskset -c 1" agent_start "$@"; }
pin=""
agent_stop() {
    kill -TERM "$agent"
    wait "$agent" || true
    stop_line="$(grep "runtime sensor stopped" "$work/agent.err" || tail -1 "$work/agent.err")"
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
    echo "$stop_line"
    wc -l <"$work/events.rec" | awk '{print "recorded events:", $1 - 1}'
    for _ in 1 2 3; do
        taskset -c 1 "$Y" runtime replay "$work/events.rec" --bench 200
    done
fi

if [[ $what == all || $what == overhead ]]; then
    echo "== overhead: same loops with and without the agent (default ruleset)"
    # The loop runs on CPU 0 and the agent on CPU 1, so the numbers show what
    # the kernel side costs the workload; rounds alternate to spread noise.
    rounds="${ROUNDS:-7}"
    for loop in "open-close-loop 3000000" "fork-exec-loop 3000"; do
        : >"$work/without"; : >"$work/with"
        for i in $(seq 1 "$rounds"); do
            taskset -c 0 "$EG" run $loop | python3 -c 'import json,sys; print(json.load(sys.stdin)["ops_per_s"])' >>"$work/without"
            agent_start_pinned
            taskset -c 0 "$EG" run $loop | python3 -c 'import json,sys; print(json.load(sys.stdin)["ops_per_s"])' >>"$work/with"
            agent_stop
        done
        # The floor: the kernel's syscall-tracing slow path alone, switched on
        # by one ftrace syscall event that never fires for this loop.
        : >"$work/floor"
        ev=/sys/kernel/tracing/events/syscalls
        for i in $(seq 1 "$rounds"); do
            echo 1 >"$ev/sys_enter_ptrace/enable"; echo 1 >"$ev/sys_exit_ptrace/enable"
            taskset -c 0 "$EG" run $loop | python3 -c 'import json,sys; print(json.load(sys.stdin)["ops_per_s"])' >>"$work/floor"
            echo 0 >"$ev/sys_enter_ptrace/enable"; echo 0 >"$ev/sys_exit_ptrace/enable"
        done
        python3 - "$work/without" "$work/with" "$work/floor" "$loop" <<'PY'
import statistics, sys
wo, wi, fl = ([float(x) for x in open(f)] for f in sys.argv[1:4])
mwo, mwi, mfl = statistics.median(wo), statistics.median(wi), statistics.median(fl)
print(f"{sys.argv[4]}: median without {mwo:,.0f}/s, with {mwi:,.0f}/s, overhead {100*(mwo-mwi)/mwo:.1f}%"
      f" ({len(wo)} rounds each); syscall-tracing floor alone {100*(mwo-mfl)/mwo:.1f}%")
PY
    done
fi

if [[ $what == all || $what == rate ]]; then
    echo "== rate: paced open+close; every open reaches the rule engine"
    # An extra rule watches the workload's folder (and never matches), so the
    # kernel filter passes every open: each is a record in the ring buffer and
    # an event evaluated against the full default ruleset in user space.
    mkdir -p /tmp/yagura-rate
    cat >"$work/rate-rules.yaml" <<'YAML'
- rule: Rate benchmark watch
  desc: makes every open below /tmp/yagura-rate/ an event; never matches
  condition: evt.type in (open, openat) and fd.name startswith /tmp/yagura-rate/ and proc.name = no-such-program
  output: never (%proc.name)
  priority: DEBUG
YAML
    for rate in 200000 400000 800000 1200000; do
        agent_start_pinned --rules "$work/rate-rules.yaml"
        taskset -c 0 "$EG" run syscall-rate "$rate" 10 --workdir /tmp/yagura-rate/w >"$work/rate.json" || true
        sleep 1
        agent_stop
        stop="$stop_line"
        python3 - "$work/rate.json" "$rate" "$stop" <<'PY'
import json, sys
r = json.load(open(sys.argv[1]))
print(f"target {int(sys.argv[2]):,} syscalls/s: achieved {r.get('achieved_rate', 0):,.0f}/s ({r.get('opens', 0):,} opens); {sys.argv[3].removeprefix('yagura: ')}")
PY
    done
    rm -rf /tmp/yagura-rate
fi

if [[ $what == breakdown ]]; then
    echo "== breakdown: open/close loop with no agent, syscall programs doing nothing, default rules"
    # "connect only" attaches the same syscall programs, but open and close
    # return at the first array lookup: the cost of the program runs alone.
    cat >"$work/connect-only.yaml" <<'YAML'
- rule: Breakdown connect only
  desc: enables the connect syscall only; never matches
  condition: evt.type = connect and proc.name = no-such-program
  output: never (%proc.name)
  priority: DEBUG
YAML
    rounds="${ROUNDS:-10}"
    loop() { taskset -c 0 "$EG" run open-close-loop 3000000 | python3 -c 'import json,sys; print(json.load(sys.stdin)["ops_per_s"])'; }
    : >"$work/none"; : >"$work/connect"; : >"$work/default"
    for i in $(seq 1 "$rounds"); do
        loop >>"$work/none"
        agent_start_pinned --no-default-rules --rules "$work/connect-only.yaml"; loop >>"$work/connect"; agent_stop
        agent_start_pinned; loop >>"$work/default"; agent_stop
    done
    python3 - "$work" <<'PY'
import statistics, sys
m = {k: statistics.median(float(x) for x in open(f"{sys.argv[1]}/{k}")) for k in ("none", "connect", "default")}
for k in ("connect", "default"):
    print(f"{k}: median {m[k]:,.0f}/s vs {m['none']:,.0f}/s without, overhead {100*(m['none']-m[k])/m['none']:.1f}%")
PY
    # Per-program cost; bpf_stats adds two clock reads to every run.
    old="$(sysctl -n kernel.bpf_stats_enabled)"
    sysctl -qw kernel.bpf_stats_enabled=1
    for cfg in connect default; do
        if [[ $cfg == connect ]]; then agent_start_pinned --no-default-rules --rules "$work/connect-only.yaml"; else agent_start_pinned; fi
        taskset -c 0 "$EG" run open-close-loop 2000000 >/dev/null
        for f in /proc/"$agent"/fdinfo/*; do
            grep -q prog_tag "$f" 2>/dev/null || continue
            awk -v cfg="$cfg" '/prog_tag/{t=$2} /run_time_ns/{ns=$2} /run_cnt/{n=$2} END{if (n > 100000) printf "%s: program %s: %d runs, %.1f ns per run\n", cfg, t, n, ns/n}' "$f"
        done
        agent_stop
    done
    sysctl -qw kernel.bpf_stats_enabled="$old"
fi
