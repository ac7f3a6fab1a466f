#!/usr/bin/env python3
"""A loopback stand-in for the osv.dev query API, serving PyPI advisories from
an OSV export zip (e.g. ../shared/advisories/pypa-osv.zip).

Why: pip-audit's `-s osv` service is an independent implementation of advisory
matching, but api.osv.dev is unreachable here. This server answers
POST /v1/query and POST /v1/querybatch the way osv.dev does for PyPI:
a record matches when the queried version is in the record's enumerated
`affected[].versions` list (osv.dev matches PyPI on those lists), the package
name is compared after PEP 503 normalisation, and withdrawn records are left
out. Ranges are deliberately NOT evaluated, so a comparison with yagura (which
evaluates ranges) checks two different matching methods against each other.

Usage: python3 osv_api_server.py --zip pypa-osv.zip [--port 8765] [--host 127.0.0.1]
Stdlib only; uses `packaging` for PEP 440 version equality when importable.
"""
import argparse
import json
import re
import sys
import zipfile
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

try:
    from packaging.version import InvalidVersion, Version
except ImportError:  # plain string equality is then used
    Version = None
    InvalidVersion = Exception


def normalize_name(name):
    return re.sub(r"[-_.]+", "-", name).lower()


def version_key(version):
    """Key under which two spellings of one PEP 440 version compare equal (3.2 == 3.2.0)."""
    if Version is not None:
        try:
            v = Version(version)
            release = list(v.release)
            while len(release) > 1 and release[-1] == 0:
                release.pop()
            return (v.epoch, tuple(release), v.pre, v.post, v.dev, v.local)
        except InvalidVersion:
            pass
    return version.strip().lower()


class Index:
    def __init__(self, zip_path, ecosystem="PyPI"):
        self.records = {}
        # (normalized name, version key) -> set of record ids
        self.by_version = {}
        self.without_versions = 0
        self.withdrawn = 0
        with zipfile.ZipFile(zip_path) as archive:
            for member in archive.namelist():
                if not member.endswith(".json"):
                    continue
                record = json.loads(archive.read(member))
                if record.get("withdrawn"):
                    self.withdrawn += 1
                    continue
                self.records[record["id"]] = record
                for affected in record.get("affected", []):
                    package = affected.get("package", {})
                    if package.get("ecosystem") != ecosystem:
                        continue
                    versions = affected.get("versions") or []
                    if not versions:
                        self.without_versions += 1
                    name = normalize_name(package.get("name", ""))
                    for version in versions:
                        self.by_version.setdefault((name, version_key(version)), set()).add(
                            record["id"]
                        )

    def query(self, name, version):
        ids = self.by_version.get((normalize_name(name), version_key(version)), set())
        return [self.records[i] for i in sorted(ids)]


class Handler(BaseHTTPRequestHandler):
    index = None
    protocol_version = "HTTP/1.1"

    def log_message(self, fmt, *args):
        if self.server.verbose:
            sys.stderr.write("osv_api_server: " + fmt % args + "\n")

    def send_json(self, status, body):
        data = json.dumps(body).encode()
        self.send_response(status)
        self.send_header("Content-Type", "application/json")
        self.send_header("Content-Length", str(len(data)))
        self.end_headers()
        self.wfile.write(data)

    def do_GET(self):
        if self.path == "/health":
            self.send_json(200, {"records": len(self.index.records)})
        else:
            self.send_json(404, {"code": 5, "message": "Not Found"})

    def one_query(self, query):
        package = query.get("package") or {}
        ecosystem = package.get("ecosystem", "PyPI")
        name = package.get("name")
        version = query.get("version")
        if ecosystem != "PyPI" or not name or not version:
            return []
        return self.index.query(name, version)

    def do_POST(self):
        length = int(self.headers.get("Content-Length") or 0)
        try:
            body = json.loads(self.rfile.read(length) or b"{}")
        except json.JSONDecodeError:
            self.send_json(400, {"code": 3, "message": "Invalid JSON"})
            return
        if self.path.rstrip("/") == "/v1/query":
            vulns = self.one_query(body)
            # osv.dev answers {} when nothing matches
            self.send_json(200, {"vulns": vulns} if vulns else {})
        elif self.path.rstrip("/") == "/v1/querybatch":
            results = []
            for query in body.get("queries", []):
                vulns = self.one_query(query)
                results.append(
                    {"vulns": [{"id": v["id"], "modified": v.get("modified")} for v in vulns]}
                    if vulns
                    else {}
                )
            self.send_json(200, {"results": results})
        else:
            self.send_json(404, {"code": 5, "message": "Not Found"})


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--zip", required=True, help="OSV export zip (one ID.json per record)")
    parser.add_argument("--host", default="127.0.0.1")
    parser.add_argument("--port", type=int, default=8765)
    parser.add_argument("--verbose", action="store_true")
    args = parser.parse_args()
    Handler.index = Index(args.zip)
    server = ThreadingHTTPServer((args.host, args.port), Handler)
    server.verbose = args.verbose
    print(
        f"osv_api_server: {len(Handler.index.records)} records "
        f"({Handler.index.withdrawn} withdrawn skipped, "
        f"{Handler.index.without_versions} affected entries without a versions list) "
        f"on http://{args.host}:{server.server_port}/v1/query",
        flush=True,
    )
    try:
        server.serve_forever()
    except KeyboardInterrupt:
        pass


if __name__ == "__main__":
    main()
