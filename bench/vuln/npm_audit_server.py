#!/usr/bin/env python3
"""A loopback stand-in for the npm registry's bulk advisory endpoint, serving
the OSV records in bench/vuln/npm-advisories/.

Why: `npm audit` is the reference matcher for npm lockfiles, but the registry's
advisory endpoint is unreachable here. Pointing `npm audit --registry
http://127.0.0.1:PORT/` at this server makes npm evaluate the SAME advisories
yagura imported, with npm's own semver logic and lockfile walk.

Implements POST /-/npm/v1/security/advisories/bulk (body: {name: [versions]},
possibly gzip/deflate-encoded). The response is
{name: [{id, url, title, severity, vulnerable_versions, cwe, cvss}]} with
vulnerable_versions derived from the OSV SEMVER events (and enumerated
versions). All advisories of each requested package are returned: npm itself
decides which installed versions they hit. Other paths (the quick-audit
endpoint) answer 404 so npm falls back to the bulk endpoint.

Usage: python3 npm_audit_server.py [--advisories DIR] [--port 8766]
"""
import argparse
import gzip
import json
import pathlib
import sys
import zlib
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

SEVERITIES = {"LOW": "low", "MODERATE": "moderate", "MEDIUM": "moderate", "HIGH": "high", "CRITICAL": "critical"}


def npm_range(affected):
    """OSV affected entry -> npm semver range string ("a || b")."""
    parts = []
    for version_range in affected.get("ranges", []):
        if version_range.get("type") not in ("SEMVER", "ECOSYSTEM"):
            continue
        introduced = None
        for event in version_range.get("events", []):
            if "introduced" in event:
                introduced = event["introduced"]
            elif "fixed" in event or "last_affected" in event:
                upper = f"<{event['fixed']}" if "fixed" in event else f"<={event['last_affected']}"
                lower = "" if introduced in (None, "0") else f">={introduced} "
                parts.append(lower + upper)
                introduced = None
        if introduced is not None:
            parts.append("*" if introduced == "0" else f">={introduced}")
    parts.extend(affected.get("versions", []))
    return " || ".join(parts) if parts else "<0.0.0-0"


def load(advisory_dir):
    """-> {package name: [bulk advisory objects]}"""
    by_package = {}
    files = sorted(pathlib.Path(advisory_dir).glob("*.json"))
    for number, path in enumerate(files, start=1000001):
        record = json.loads(path.read_text())
        if record.get("withdrawn"):
            continue
        specific = record.get("database_specific", {})
        for affected in record.get("affected", []):
            package = affected.get("package", {})
            if package.get("ecosystem") != "npm":
                continue
            by_package.setdefault(package["name"], []).append(
                {
                    "id": number,
                    "url": f"https://github.com/advisories/{record['id']}",
                    "title": record.get("summary", record["id"]),
                    "severity": SEVERITIES.get(str(specific.get("severity", "")).upper(), "moderate"),
                    "vulnerable_versions": npm_range(affected),
                    "cwe": specific.get("cwe_ids", []),
                    "cvss": {"score": 0, "vectorString": None},
                }
            )
    return by_package


class Handler(BaseHTTPRequestHandler):
    advisories = {}
    protocol_version = "HTTP/1.1"

    def log_message(self, fmt, *args):
        if self.server.verbose:
            sys.stderr.write("npm_audit_server: " + fmt % args + "\n")

    def send_json(self, status, body):
        data = json.dumps(body).encode()
        self.send_response(status)
        self.send_header("Content-Type", "application/json")
        self.send_header("Content-Length", str(len(data)))
        self.end_headers()
        self.wfile.write(data)

    def read_body(self):
        length = int(self.headers.get("Content-Length") or 0)
        data = self.rfile.read(length)
        encoding = (self.headers.get("Content-Encoding") or "").lower()
        if encoding == "gzip" or data[:2] == b"\x1f\x8b":
            data = gzip.decompress(data)
        elif encoding == "deflate":
            data = zlib.decompress(data)
        return json.loads(data or b"{}")

    def do_GET(self):
        self.send_json(404, {"error": "Not found"})

    def do_POST(self):
        if self.path.split("?")[0].rstrip("/") != "/-/npm/v1/security/advisories/bulk":
            self.send_json(404, {"error": "Not found"})
            return
        try:
            request = self.read_body()
        except (OSError, ValueError, zlib.error) as error:
            self.send_json(400, {"error": f"bad request body: {error}"})
            return
        self.server.requests += 1
        answer = {name: self.advisories[name] for name in request if name in self.advisories}
        if self.server.verbose:
            sys.stderr.write(f"npm_audit_server: bulk query for {len(request)} packages -> {len(answer)}\n")
        self.send_json(200, answer)


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument(
        "--advisories", default=str(pathlib.Path(__file__).resolve().parent / "npm-advisories")
    )
    parser.add_argument("--host", default="127.0.0.1")
    parser.add_argument("--port", type=int, default=8766)
    parser.add_argument("--verbose", action="store_true")
    args = parser.parse_args()
    Handler.advisories = load(args.advisories)
    server = ThreadingHTTPServer((args.host, args.port), Handler)
    server.verbose = args.verbose
    server.requests = 0
    count = sum(len(v) for v in Handler.advisories.values())
    print(
        f"npm_audit_server: {count} advisories for {len(Handler.advisories)} packages "
        f"on http://{args.host}:{server.server_port}/",
        flush=True,
    )
    try:
        server.serve_forever()
    except KeyboardInterrupt:
        pass


if __name__ == "__main__":
    main()
