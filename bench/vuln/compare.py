#!/usr/bin/env python3
"""Compares yagura's vulnerability findings with a peer tool's on one lockfile.

Why: a finding count alone hides disagreements. Both reports are reduced to
{(package name, version): [set of advisory IDs incl. aliases]}, and two
findings on the same package version are the same when their ID sets
intersect (RUSTSEC-2021-0078 == CVE-2021-32715 == GHSA-f3pg-qwvg-p99c).
What is left on either side is printed with its IDs.

Peers understood:
  cargo-audit  `cargo audit --json`: vulnerabilities.list[] and warnings{kind: []}
  pip-audit    `pip-audit -f json`: dependencies[].vulns[] (id + aliases)
  npm-audit    `npm audit --json` (v7+): vulnerabilities{name}.via[] objects; the
               GHSA id is taken from the via url, package versions from the
               lockfile paths in `nodes` (so --lock is required), CVE aliases
               from the OSV records in --npm-advisories.

Usage:
  compare.py pair --peer-kind KIND --yagura Y.json --peer P.json [--lock L]
                  [--npm-advisories DIR] [--label NAME] [--yagura-time S]
                  [--peer-time S] [--append results.jsonl]
  compare.py table results.jsonl
"""
import argparse
import json
import pathlib
import re
import sys

GHSA_RE = re.compile(r"GHSA(-[23456789cfghjmpqrvwx]{4}){3}")


def norm_name(name, ecosystem):
    name = name.strip()
    if ecosystem.lower() in ("pypi", "python", "pip"):
        return re.sub(r"[-_.]+", "-", name).lower()
    return name.lower() if ecosystem.lower() != "npm" else name


def norm_version(version):
    return str(version).strip()


def add(index, name, version, ids):
    ids = {i for i in ids if i}
    if ids:
        index.setdefault((name, norm_version(version)), []).append(ids)


def vuln_state(vuln):
    """VulnMatch.state is serialised as {"state": "affected", ...}; absent means affected."""
    state = vuln.get("state")
    if isinstance(state, dict):
        return state.get("state", "affected")
    return state or "affected"


def load_yagura(path, not_assessed=None):
    """Affected findings only; the others (not_assessed, VEX not_affected/fixed) are counted aside."""
    data = json.loads(pathlib.Path(path).read_text())
    findings = data.get("findings", []) if isinstance(data, dict) else data
    index = {}
    for finding in findings:
        vuln = finding.get("vulnerability") or {}
        package = vuln.get("package") or {}
        if not package.get("name"):
            continue
        state = vuln_state(vuln)
        if state != "affected":
            if not_assessed is not None:
                not_assessed.append(f"{package['name']}@{package.get('version', '')}:{finding.get('check')}:{state}")
            continue
        ecosystem = package.get("ecosystem") or ""
        ids = {finding.get("check")} | set(vuln.get("aliases") or [])
        if vuln.get("id"):
            ids.add(vuln["id"])
        add(index, norm_name(package["name"], ecosystem), package.get("version", ""), ids)
    return index


def load_cargo_audit(path, include_warnings=True):
    data = json.loads(pathlib.Path(path).read_text())
    index = {}
    entries = list((data.get("vulnerabilities") or {}).get("list") or [])
    if include_warnings:
        for kind_entries in (data.get("warnings") or {}).values():
            entries.extend(kind_entries or [])
    for entry in entries:
        advisory = entry.get("advisory")
        package = entry.get("package") or {}
        if not advisory or not package.get("name"):
            continue  # e.g. a yanked-crate warning carries no advisory
        ids = {advisory.get("id")} | set(advisory.get("aliases") or [])
        add(index, norm_name(package["name"], "crates.io"), package.get("version", ""), ids)
    return index


def load_pip_audit(path):
    data = json.loads(pathlib.Path(path).read_text())
    index = {}
    for dependency in data.get("dependencies", []):
        for vuln in dependency.get("vulns") or []:
            ids = {vuln.get("id")} | set(vuln.get("aliases") or [])
            add(index, norm_name(dependency["name"], "pypi"), dependency.get("version", ""), ids)
    return index


def load_npm_aliases(advisory_dir):
    aliases = {}
    if advisory_dir:
        for path in pathlib.Path(advisory_dir).glob("*.json"):
            record = json.loads(path.read_text())
            aliases[record["id"]] = set(record.get("aliases") or [])
    return aliases


def semver_key(version):
    """(major, minor, patch, prerelease) ordered like semver; a release sorts after its prereleases."""
    core, _, pre = version.split("+")[0].partition("-")
    numbers = [int(x) if x.isdigit() else 0 for x in (core.split(".") + ["0", "0"])[:3]]
    pre_key = tuple((0, int(p), "") if p.isdigit() else (1, 0, p) for p in pre.split(".")) if pre else None
    return (*numbers, (1,) if pre_key is None else (0, pre_key))


def in_simple_range(version, npm_range):
    """Evaluates the `a || b` ranges of '>=x <y', '<=x', '<y', 'x', '*' that npm_audit_server.py emits."""
    if not version:
        return True
    key = semver_key(version)
    for alternative in npm_range.split("||"):
        ok = True
        for comparator in alternative.split():
            for op in (">=", "<=", ">", "<", "="):
                if comparator.startswith(op):
                    bound = semver_key(comparator[len(op):])
                    break
            else:
                op, bound = ("*", None) if comparator == "*" else ("=", semver_key(comparator))
            ok = ok and (
                op == "*"
                or (op == ">=" and key >= bound)
                or (op == "<=" and key <= bound)
                or (op == ">" and key > bound)
                or (op == "<" and key < bound)
                or (op == "=" and key == bound)
            )
        if ok:
            return True
    return False


def load_npm_audit(path, lock_path, advisory_dir):
    data = json.loads(pathlib.Path(path).read_text())
    lock = json.loads(pathlib.Path(lock_path).read_text())
    lock_packages = lock.get("packages") or {}
    aliases = load_npm_aliases(advisory_dir)
    index = {}
    for name, entry in (data.get("vulnerabilities") or {}).items():
        direct = [v for v in entry.get("via") or [] if isinstance(v, dict)]
        if not direct:
            continue  # only vulnerable through a dependency: not a finding on this package
        for node in entry.get("nodes") or []:
            version = (lock_packages.get(node) or {}).get("version", "")
            for via in direct:
                match = GHSA_RE.search(via.get("url") or "")
                if not match:
                    continue
                # npm lists, per package name, every advisory and every vulnerable node; when
                # several versions of one name are installed, keep an advisory only on the
                # nodes its range covers (ranges from npm_audit_server.py are simple forms).
                if not in_simple_range(version, via.get("range") or "*"):
                    continue
                ghsa = match.group(0)
                add(index, norm_name(name, "npm"), version, {ghsa} | aliases.get(ghsa, set()))
    return index


def compare(yagura, peer):
    """-> (matched, only_yagura, only_peer) as lists of (name, version, ids)."""
    matched, only_yagura, only_peer = [], [], []
    for key in sorted(set(yagura) | set(peer)):
        ours = list(yagura.get(key, []))
        theirs = list(peer.get(key, []))
        for ids in ours:
            hit = next((t for t in theirs if t & ids), None)
            if hit is not None:
                theirs.remove(hit)
                matched.append((*key, sorted(ids | hit)))
            else:
                only_yagura.append((*key, sorted(ids)))
        for ids in theirs:
            only_peer.append((*key, sorted(ids)))
    return matched, only_yagura, only_peer


def primary(ids):
    """Short label for an ID set: CVE first, else the first advisory id."""
    cves = [i for i in ids if i.startswith("CVE-")]
    return cves[0] if cves else ids[0]


def count(index):
    return sum(len(v) for v in index.values())


def pair(args):
    other_states = []
    yagura = load_yagura(args.yagura, other_states)
    if args.peer_kind == "cargo-audit":
        peer = load_cargo_audit(args.peer, not args.no_warnings)
    elif args.peer_kind == "pip-audit":
        peer = load_pip_audit(args.peer)
    elif args.peer_kind == "npm-audit":
        if not args.lock:
            sys.exit("compare.py: --lock is required for npm-audit")
        peer = load_npm_audit(args.peer, args.lock, args.npm_advisories)
    else:
        sys.exit(f"compare.py: unknown peer kind {args.peer_kind}")
    matched, only_yagura, only_peer = compare(yagura, peer)
    row = {
        "label": args.label or args.peer_kind,
        "peer": args.peer_kind,
        "yagura_time": args.yagura_time,
        "peer_time": args.peer_time,
        "yagura_findings": count(yagura),
        "peer_findings": count(peer),
        "matched": len(matched),
        "yagura_not_affected_state": other_states,
        "only_yagura": [f"{n}@{v}:{primary(ids)}" for n, v, ids in only_yagura],
        "only_peer": [f"{n}@{v}:{primary(ids)}" for n, v, ids in only_peer],
        "only_yagura_ids": [[n, v, ids] for n, v, ids in only_yagura],
        "only_peer_ids": [[n, v, ids] for n, v, ids in only_peer],
    }
    if args.append:
        with open(args.append, "a") as out:
            out.write(json.dumps(row) + "\n")
    print_table([row])


def fmt_time(seconds):
    return "-" if seconds is None else f"{float(seconds):.3f}s"


def print_table(rows):
    header = ("case", "yagura time", "peer", "peer time", "yagura", "peer", "matched", "only-yagura", "only-peer")
    lines = [header]
    for r in rows:
        lines.append(
            (
                r["label"], fmt_time(r["yagura_time"]), r["peer"], fmt_time(r["peer_time"]),
                str(r["yagura_findings"]), str(r["peer_findings"]), str(r["matched"]),
                str(len(r["only_yagura"])), str(len(r["only_peer"])),
            )
        )
    widths = [max(len(line[i]) for line in lines) for i in range(len(header))]
    for n, line in enumerate(lines):
        print("  ".join(cell.ljust(w) for cell, w in zip(line, widths)))
        if n == 0:
            print("  ".join("-" * w for w in widths))
    for r in rows:
        if r.get("yagura_not_affected_state"):
            print(f"\n{r['label']}: yagura findings not in state 'affected' (left out above):")
            for item in r["yagura_not_affected_state"]:
                print(f"  {item}")
        for side in ("only_yagura", "only_peer"):
            if r[side]:
                print(f"\n{r['label']}: {side.replace('_', '-')} ({len(r[side])}):")
                for n, v, ids in r[side + "_ids"]:
                    print(f"  {n} {v}: {', '.join(ids)}")


def table(args):
    rows = [json.loads(line) for line in open(args.results) if line.strip()]
    print_table(rows)


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    sub = parser.add_subparsers(dest="command", required=True)
    p = sub.add_parser("pair")
    p.add_argument("--peer-kind", required=True, choices=["cargo-audit", "pip-audit", "npm-audit"])
    p.add_argument("--yagura", required=True)
    p.add_argument("--peer", required=True)
    p.add_argument("--lock")
    p.add_argument("--npm-advisories")
    p.add_argument("--label")
    p.add_argument("--yagura-time", type=float)
    p.add_argument("--peer-time", type=float)
    p.add_argument("--append")
    p.add_argument("--no-warnings", action="store_true", help="ignore cargo-audit informational warnings")
    p.set_defaults(func=pair)
    t = sub.add_parser("table")
    t.add_argument("results")
    t.set_defaults(func=table)
    args = parser.parse_args()
    args.func(args)


if __name__ == "__main__":
    main()
