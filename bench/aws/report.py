#!/usr/bin/env python3
"""Summarises one benchmark run (bench/aws/run.sh) as a table.

Reads, from the run's work folder:
  yagura-N.time / prowler-N.time   GNU `time -v` output of run N
  yagura-N.json                    yagura's JSON report (a ScanReport)
  prowler-N/prowler.ocsf.json      Prowler's OCSF findings (a JSON array)
  yagura-N.requests / prowler-N.requests   requests the emulator served during the run
  yagura-N.moto_cpu / prowler-N.moto_cpu   CPU seconds the emulator used during the run
  yagura-N.replay.json / prowler-N.replay.json   with --emulator replay: the replay server's
                                   statistics (requests, unmatched requests, its CPU seconds)
and prints wall time, peak RSS, findings and requests per tool, then the ratios
against the goal (yagura >= 10x faster, <= 1/5 of Prowler's peak memory).
With several runs the median wall time and the largest peak RSS are reported.

With --faithful-to RECORD_DIR (the folder of the recorded runs), every run in the work folder
is compared with its tool's recorded run: a faithful replay gives the same FAIL/PASS counts.
The exit status is 3 when a replay was not faithful or a request had no recorded answer.
"""

from __future__ import annotations

import argparse
import json
import re
import statistics
import sys
from collections import Counter
from pathlib import Path
from typing import Any


def parse_time(path: Path) -> dict[str, float]:
    """Wall seconds, peak RSS (KiB) and CPU seconds from `/usr/bin/time -v`."""
    text = path.read_text(encoding="utf-8", errors="replace")
    out: dict[str, float] = {}
    m = re.search(r"Elapsed \(wall clock\) time \(h:mm:ss or m:ss\): (\S+)", text)
    if m:
        secs = 0.0
        for part in m.group(1).split(":"):
            secs = secs * 60 + float(part)
        out["wall"] = secs
    m = re.search(r"Maximum resident set size \(kbytes\): (\d+)", text)
    if m:
        out["rss_kib"] = float(m.group(1))
    user = re.search(r"User time \(seconds\): ([\d.]+)", text)
    system = re.search(r"System time \(seconds\): ([\d.]+)", text)
    if user and system:
        out["cpu"] = float(user.group(1)) + float(system.group(1))
    m = re.search(r"Exit status: (\d+)", text)
    if m:
        out["exit"] = float(m.group(1))
    return out


def yagura_finding_set(path: Path) -> Counter[tuple[str, str, str]]:
    report = json.loads(path.read_text(encoding="utf-8"))
    return Counter(
        (f.get("check", "?"), (f.get("resource") or {}).get("id", "?"), f.get("status", "?"))
        for f in report.get("findings", [])
    )


def prowler_finding_set(folder: Path) -> Counter[tuple[str, str, str]]:
    out: Counter[tuple[str, str, str]] = Counter()
    for f in sorted(folder.glob("*.ocsf.json")):
        for finding in json.loads(f.read_text(encoding="utf-8")):
            resources = finding.get("resources") or [{}]
            uid = f"{resources[0].get('region', '')}:{resources[0].get('uid', '?')}"
            check = finding.get("metadata", {}).get("event_code", "?")
            out[(check, uid, finding.get("status_code", "?"))] += 1
    return out


def yagura_findings(path: Path) -> Counter[str]:
    report = json.loads(path.read_text(encoding="utf-8"))
    c: Counter[str] = Counter(f.get("status", "?") for f in report.get("findings", []))
    c["resources"] = report.get("resource_count", 0)
    c["checks"] = len({f.get("check") for f in report.get("findings", [])})
    c["not_assessed_targets"] = len(report.get("not_assessed", []))
    c["errors"] = len(report.get("errors", []))
    return c


def prowler_findings(folder: Path) -> Counter[str]:
    files = sorted(folder.glob("*.ocsf.json"))
    c: Counter[str] = Counter()
    checks: set[str] = set()
    for f in files:
        for finding in json.loads(f.read_text(encoding="utf-8")):
            c[finding.get("status_code", "?")] += 1
            checks.add(finding.get("metadata", {}).get("event_code", "?"))
    c["checks"] = len(checks)
    return c


def read_int(path: Path) -> int | None:
    try:
        return int(path.read_text().strip())
    except (OSError, ValueError):
        return None


def read_float(path: Path) -> float | None:
    try:
        return float(path.read_text().strip())
    except (OSError, ValueError):
        return None


def run_numbers(work: Path, tool: str) -> list[str]:
    runs = [p.stem.split("-")[-1] for p in work.glob(f"{tool}-*.time")]
    return sorted((n for n in runs if n.isdigit()), key=int)


def status_counts(work: Path, tool: str, n: str) -> Counter[str] | None:
    if tool == "yagura":
        path = work / f"yagura-{n}.json"
        return yagura_findings(path) if path.exists() else None
    folder = work / f"prowler-{n}"
    return prowler_findings(folder) if folder.is_dir() else None


def finding_set(work: Path, tool: str, n: str) -> Counter[tuple[str, str, str]]:
    if tool == "yagura":
        path = work / f"yagura-{n}.json"
        return yagura_finding_set(path) if path.exists() else Counter()
    return prowler_finding_set(work / f"prowler-{n}")


# Prowler files each multi-region trail under the region whose DescribeTrails answer its
# threads handle first, then asks that region for the trail's status, selectors and tags.
# Which thread wins depends on timing, which differs between a run against moto and one
# against the much faster replay server, and the CloudTrail questions that follow differ
# with it. A difference confined to the checks that read the trail list, with no missed
# request outside CloudTrail, is reported as this race rather than as an unfaithful
# replay (README, "Prowler's trail-region race").
TRAIL_RACE_CHECKS = ("cloudtrail_", "cloudwatch_log_metric_filter", "cloudwatch_changes_to_")


def key_service(key: str) -> str:
    """The service in a replay key (method|host|path|region/service|target|body)."""
    fields = key.split("|", 5)
    return fields[3].partition("/")[2] if len(fields) == 6 else ""


def unexplained_unmatched(tool: str, stats: dict[str, Any]) -> int:
    """Unmatched requests of one replayed run that the trail-region race does not explain."""
    unmatched = int(stats.get("unmatched", 0))
    keys = stats.get("unmatched_keys") or {}
    if tool != "prowler" or sum(keys.values()) != unmatched:
        return unmatched
    return sum(n for key, n in keys.items() if key_service(key) != "cloudtrail")


def read_replay(work: Path, tool: str, runs: list[str]) -> dict[str, Any]:
    """The replay server's statistics over all runs of a tool."""
    stats = []
    for n in runs:
        try:
            stats.append(json.loads((work / f"{tool}-{n}.replay.json").read_text(encoding="utf-8")))
        except (OSError, ValueError):
            stats.append(None)
    found = [s for s in stats if s]
    requests = sum(s.get("requests", 0) for s in found)
    cpu = sum(s.get("cpu_seconds", 0.0) for s in found)
    return {
        # A run without statistics, or with a worker that died, may have missed requests.
        "missing_stats": len(stats) - len(found) + sum(1 for s in found if s.get("workers_lost")),
        "requests_last": found[-1].get("requests") if found else None,
        "cpu_last": found[-1].get("cpu_seconds") if found else None,
        "requests_all": requests,
        "cpu_all": cpu,
        "cpu_ms_per_request": 1000 * cpu / requests if requests else None,
        "unmatched": sum(s.get("unmatched", 0) for s in found),
        "unmatched_unexplained": sum(unexplained_unmatched(tool, s) for s in found),
        "region_fallbacks": sum(s.get("region_fallbacks", 0) for s in found),
        "recorded_requests": found[-1].get("recorded_requests") if found else None,
        "workers": found[-1].get("workers") if found else None,
    }


def collect(work: Path, tool: str, emulator: str) -> dict[str, Any] | None:
    numbers = run_numbers(work, tool)
    runs = [work / f"{tool}-{n}.time" for n in numbers]
    if not runs:
        return None
    times = [parse_time(p) for p in runs]
    walls = [t["wall"] for t in times if "wall" in t]
    rss = [t["rss_kib"] for t in times if "rss_kib" in t]
    cpus = [t["cpu"] for t in times if "cpu" in t]
    last = numbers[-1]
    findings = status_counts(work, tool, last) or Counter()
    replay = read_replay(work, tool, numbers) if emulator == "replay" else None
    return {
        "runs": len(runs),
        "wall": statistics.median(walls) if walls else None,
        "walls": walls,
        "rss_mib": max(rss) / 1024 if rss else None,
        "cpu": statistics.median(cpus) if cpus else None,
        "exit": [int(t.get("exit", -1)) for t in times],
        "findings": findings,
        "requests": replay["requests_last"] if replay else read_int(work / f"{tool}-{last}.requests"),
        "moto_cpu": replay["cpu_last"] if replay else read_float(work / f"{tool}-{last}.moto_cpu"),
        "replay": replay,
        "numbers": numbers,
    }


def fidelity(work: Path, record: Path, tool: str, numbers: list[str]) -> tuple[bool, list[str]]:
    """Compares every replayed run of a tool with its recorded run.

    Faithful: the same FAIL and PASS counts. For Prowler, a difference confined to the
    checks of TRAIL_RACE_CHECKS is reported as its trail-region race and does not fail.
    """
    rec_numbers = run_numbers(record, tool)
    if not rec_numbers:
        return False, [f"no recorded run of {tool} in {record}"]
    rec_n = rec_numbers[-1]
    rec = status_counts(record, tool, rec_n)
    if rec is None:
        return False, [f"the recorded run of {tool} left no report"]
    rec_set = finding_set(record, tool, rec_n)
    ok = True
    lines = []
    for n in numbers:
        got = status_counts(work, tool, n)
        if got is None:
            ok = False
            lines.append(f"run {n}: no report")
            continue
        same = got["FAIL"] == rec["FAIL"] and got["PASS"] == rec["PASS"]
        run_set = finding_set(work, tool, n)
        diff_rec = rec_set - run_set
        diff_rep = run_set - rec_set
        differing = Counter(item[0] for item in (diff_rec + diff_rep).elements())
        race = (
            not same
            and tool == "prowler"
            and all(check.startswith(TRAIL_RACE_CHECKS) for check in differing)
        )
        ok &= same or race
        if same:
            verdict = "same as recorded"
        elif race:
            verdict = "differs only in Prowler's trail-region race (see README)"
        else:
            verdict = "NOT FAITHFUL"
        lines.append(
            f"run {n}: FAIL {got['FAIL']} / PASS {got['PASS']} vs recorded FAIL {rec['FAIL']} / "
            f"PASS {rec['PASS']}: {verdict}"
        )
        if diff_rec or diff_rep:
            checks = ", ".join(f"{c} ({k})" for c, k in differing.most_common(5))
            lines.append(
                f"       {sum(diff_rec.values())} recorded findings not replayed, "
                f"{sum(diff_rep.values())} replayed findings not recorded, in: {checks}; "
                "for example:"
            )
            for sign, diff in (("-", diff_rec), ("+", diff_rep)):
                for item in sorted(diff)[:2]:
                    lines.append(f"         {sign} {' '.join(item)}")
    return ok, lines


def fmt(v: float | None, spec: str) -> str:
    return "-" if v is None else format(v, spec)


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("work", type=Path, help="the run's work folder")
    ap.add_argument("--json", type=Path, help="also write the summary here")
    ap.add_argument(
        "--emulator",
        choices=("moto", "replay"),
        default="moto",
        help="what answered the API calls: moto (live) or the replay server",
    )
    ap.add_argument("--title", help="a line to print above the table")
    ap.add_argument(
        "--faithful-to", type=Path, metavar="RECORD_DIR", help="compare with the recorded runs"
    )
    args = ap.parse_args()
    tools = {t: collect(args.work, t, args.emulator) for t in ("yagura", "prowler")}
    if not any(tools.values()):
        print(f"no runs found in {args.work}", file=sys.stderr)
        return 1

    if args.title:
        print(args.title)
    emu_cpu = "moto CPU s" if args.emulator == "moto" else "replay CPU s"
    header = (
        f"{'tool':<8} {'runs':>4} {'wall s':>8} {'CPU s':>8} {'peak RSS MiB':>13} {'findings':>9} "
        f"{'FAIL':>6} {'PASS':>6} {'other':>6} {'checks':>6} {'API calls':>9} {emu_cpu:>12}"
    )
    print(header)
    print("-" * len(header))
    for name, t in tools.items():
        if not t:
            print(f"{name:<8} {'not run':>4}")
            continue
        f = t["findings"]
        total = (
            f["PASS"]
            + f["FAIL"]
            + sum(v for k, v in f.items() if k.isupper() and k not in ("PASS", "FAIL"))
        )
        other = total - f["PASS"] - f["FAIL"]
        print(
            f"{name:<8} {t['runs']:>4} {fmt(t['wall'], '.1f'):>8} {fmt(t['cpu'], '.1f'):>8} "
            f"{fmt(t['rss_mib'], '.0f'):>13} {total:>9} {f['FAIL']:>6} {f['PASS']:>6} {other:>6} "
            f"{f['checks']:>6} {t['requests'] if t['requests'] is not None else '-':>9} "
            f"{fmt(t['moto_cpu'], '.2f' if t['replay'] else '.1f'):>12}"
        )
        if name == "yagura" and f["resources"]:
            print(
                f"         resources: {f['resources']}, not-assessed targets: "
                f"{f['not_assessed_targets']}, errors: {f['errors']}"
            )
        if any(code != 0 for code in t["exit"]):
            print(f"         exit status per run: {t['exit']}")
        if t["runs"] > 1:
            print(f"         wall per run: {', '.join(f'{w:.1f}' for w in t['walls'])}")
        r = t["replay"]
        if r:
            per_req = fmt(r["cpu_ms_per_request"], ".3f")
            print(
                f"         replay server ({r['workers']} workers): {per_req} ms CPU per request; "
                f"requests with no recorded answer: {r['unmatched']} (all runs"
                + (
                    f"; {r['unmatched'] - r['unmatched_unexplained']} from the trail-region race"
                    if r["unmatched"] != r["unmatched_unexplained"]
                    else ""
                )
                + "); "
                f"answered from another region: {r['region_fallbacks']}"
            )
            if r["missing_stats"]:
                print(f"         replay statistics incomplete for {r['missing_stats']} run(s)")
    y, p = tools["yagura"], tools["prowler"]
    summary: dict[str, Any] = {"yagura": y, "prowler": p}
    problems = []
    if args.emulator == "replay":
        for name, t in tools.items():
            r = t["replay"] if t else None
            if r and r["unmatched_unexplained"]:
                problems.append(
                    f"{name}: {r['unmatched_unexplained']} requests had no recorded answer"
                )
            if r and r["missing_stats"]:
                problems.append(f"{name}: replay statistics incomplete for {r['missing_stats']} run(s)")
    if args.faithful_to:
        print()
        print(f"findings of each replayed run vs the recorded run ({args.faithful_to}):")
        for name, t in tools.items():
            if not t:
                continue
            ok, lines = fidelity(args.work, args.faithful_to, name, t["numbers"])
            t["faithful"] = ok
            for i, line in enumerate(lines):
                print(f"{name if i == 0 else '':<8} {line}")
            if not ok:
                problems.append(f"{name}: the replay is not faithful (findings differ from the recorded run)")
    if y and p and y["wall"] and p["wall"] and y["rss_mib"] and p["rss_mib"]:
        speed = p["wall"] / y["wall"]
        mem = y["rss_mib"] / p["rss_mib"]
        print()
        speed_ok = "met" if speed >= 10 else "NOT met"
        mem_ok = "met" if mem <= 0.2 else "NOT met"
        print(f"speed-up (Prowler wall / yagura wall): {speed:.1f}x   goal >= 10x: {speed_ok}")
        print(f"memory (yagura peak / Prowler peak):   {mem:.3f}    goal <= 0.200: {mem_ok}")
        summary.update(speedup=speed, memory_ratio=mem)
    if problems:
        print()
        for line in problems:
            print(f"WARNING: {line}")
        summary["problems"] = problems
    if args.json:
        args.json.write_text(json.dumps(summary, indent=2, default=dict) + "\n", encoding="utf-8")
    return 3 if problems else 0


if __name__ == "__main__":
    sys.exit(main())
