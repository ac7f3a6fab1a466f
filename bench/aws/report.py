#!/usr/bin/env python3
"""Summarises one benchmark run (bench/aws/run.sh) as a table.

Reads, from the run's work folder:
  yagura-N.time / prowler-N.time   GNU `time -v` output of run N
  yagura-N.json                    yagura's JSON report (a ScanReport)
  prowler-N/prowler.ocsf.json      Prowler's OCSF findings (a JSON array)
  yagura-N.requests / prowler-N.requests   requests the emulator served during the run
  yagura-N.moto_cpu / prowler-N.moto_cpu   CPU seconds the emulator used during the run
and prints wall time, peak RSS, findings and requests per tool, then the ratios
against the goal (yagura >= 10x faster, <= 1/5 of Prowler's peak memory).
With several runs the median wall time and the largest peak RSS are reported.
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


def collect(work: Path, tool: str) -> dict[str, Any] | None:
    runs = sorted(work.glob(f"{tool}-*.time"), key=lambda p: int(p.stem.split("-")[-1]))
    if not runs:
        return None
    times = [parse_time(p) for p in runs]
    walls = [t["wall"] for t in times if "wall" in t]
    rss = [t["rss_kib"] for t in times if "rss_kib" in t]
    cpus = [t["cpu"] for t in times if "cpu" in t]
    last = runs[-1].stem.split("-")[-1]
    if tool == "yagura":
        out = work / f"yagura-{last}.json"
        findings = yagura_findings(out) if out.exists() else Counter()
    else:
        findings = prowler_findings(work / f"prowler-{last}")
    return {
        "runs": len(runs),
        "wall": statistics.median(walls) if walls else None,
        "walls": walls,
        "rss_mib": max(rss) / 1024 if rss else None,
        "cpu": statistics.median(cpus) if cpus else None,
        "exit": [int(t.get("exit", -1)) for t in times],
        "findings": findings,
        "requests": read_int(work / f"{tool}-{last}.requests"),
        "moto_cpu": read_float(work / f"{tool}-{last}.moto_cpu"),
    }


def fmt(v: float | None, spec: str) -> str:
    return "-" if v is None else format(v, spec)


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("work", type=Path, help="the run's work folder")
    ap.add_argument("--json", type=Path, help="also write the summary here")
    args = ap.parse_args()
    tools = {t: collect(args.work, t) for t in ("yagura", "prowler")}
    if not any(tools.values()):
        print(f"no runs found in {args.work}", file=sys.stderr)
        return 1

    header = (
        f"{'tool':<8} {'runs':>4} {'wall s':>8} {'CPU s':>8} {'peak RSS MiB':>13} {'findings':>9} "
        f"{'FAIL':>6} {'PASS':>6} {'other':>6} {'checks':>6} {'API calls':>9} {'moto CPU s':>10}"
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
            f"{fmt(t['moto_cpu'], '.1f'):>10}"
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
    y, p = tools["yagura"], tools["prowler"]
    summary: dict[str, Any] = {"yagura": y, "prowler": p}
    if y and p and y["wall"] and p["wall"] and y["rss_mib"] and p["rss_mib"]:
        speed = p["wall"] / y["wall"]
        mem = y["rss_mib"] / p["rss_mib"]
        print()
        speed_ok = "met" if speed >= 10 else "NOT met"
        mem_ok = "met" if mem <= 0.2 else "NOT met"
        print(f"speed-up (Prowler wall / yagura wall): {speed:.1f}x   goal >= 10x: {speed_ok}")
        print(f"memory (yagura peak / Prowler peak):   {mem:.3f}    goal <= 0.200: {mem_ok}")
        summary.update(speedup=speed, memory_ratio=mem)
    if args.json:
        args.json.write_text(json.dumps(summary, indent=2, default=dict) + "\n", encoding="utf-8")
    return 0


if __name__ == "__main__":
    sys.exit(main())
