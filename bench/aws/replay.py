#!/usr/bin/env python3
"""Record the AWS API traffic of one scanner run against moto, then serve it back fast.

    replay.py record --listen 127.0.0.1:PORT --upstream http://127.0.0.1:MOTO --out tool.rec.json.gz
    replay.py replay --listen 127.0.0.1:PORT --recording tool.rec.json.gz --stats tool.replay.json

`record` is an HTTP proxy: it forwards every request to the emulator unchanged and stores the
answer under a normalized request key (see `request_key`). `replay` answers the same requests
from the recording without the emulator, so a run's wall time is the scanner's own, not moto's
(moto spends ~4 ms of GIL-bound CPU per request).

Both modes stop on SIGTERM or SIGINT. `record` then writes the recording; `replay` writes its
statistics (requests served, requests with no recorded answer, its own CPU time) and prints
them. A request with no recorded answer gets HTTP 599 and is counted: a faithful replay has 0.

Replay on the same address and port as the recording. Some answers carry absolute URLs of the
endpoint (SQS queue URLs for example), and the scanner may send them back.
"""

from __future__ import annotations

import argparse
import asyncio
import base64
import email.utils
import gc
import gzip
import hashlib
import http.client
import http.server
import json
import multiprocessing
import os
import re
import resource
import signal
import socket
import sys
import tempfile
import threading
import time
from collections import Counter
from pathlib import Path
from typing import Any
from urllib.parse import parse_qsl, urlencode, urlsplit

FORMAT = "yagura-bench-aws-replay/1"

# Request fields that may differ between two runs of the same scan without changing the answer.
# Read-only scans send none of these today (both SDKs sign in headers, and tokens are only
# generated for mutating calls), but a client-generated token in the body would otherwise make
# every replayed request miss.
VOLATILE_FIELDS = frozenset({"ClientToken", "ClientRequestToken", "IdempotencyToken"})

# Headers not to forward or store: hop-by-hop ones, and those the replay server writes itself.
HOP_BY_HOP = frozenset(
    {
        "connection",
        "keep-alive",
        "proxy-authenticate",
        "proxy-authorization",
        "te",
        "trailer",
        "transfer-encoding",
        "upgrade",
    }
)
NOT_STORED = HOP_BY_HOP | {"date", "server", "content-length"}

# Services that moto (like AWS) serves from one global backend whatever the signing region.
GLOBAL_SERVICES = frozenset({"iam", "sts", "organizations", "s3", "route53", "cloudfront"})
# Answer headers that differ on every answer and are not compared when deciding whether the
# answers recorded for one key differ.
PER_ANSWER_HEADERS = frozenset({"x-amzn-requestid", "x-amz-request-id", "x-amz-id-2"})
# moto also writes a fresh request id into the body of query-protocol (XML) answers.
REQUEST_ID_ELEMENT = re.compile(r"<(RequestId|requestId)>[^<]*</\1>")

CREDENTIAL_SCOPE = re.compile(r"Credential=[^/,\s]*/\d{8}/([^/,\s]+)/([^/,\s]+)/aws4_request")
MAX_INLINE_BODY = 512


def request_key(method: str, target: str, headers: dict[str, str], body: bytes) -> str:
    """A key that is equal for the same logical request in two runs of one tool.

    Kept: the method; the Host header without its port (it names the bucket in S3
    virtual-host style; both tools use path style against an IP endpoint); the path as sent; the
    query pairs, sorted; the region and service from the SigV4 credential scope (one endpoint
    serves every region and service, so the Authorization header is the only place they are);
    X-Amz-Target (JSON protocols); and the body, canonicalized for form and JSON bodies.
    Dropped: the signature, the dates, SDK invocation ids and other headers that change on
    every request, and the body fields in VOLATILE_FIELDS.
    """
    parts = urlsplit(target)
    query = "&".join(sorted(p for p in parts.query.split("&") if p)) if parts.query else ""
    host = headers.get("host", "")
    if host.startswith("["):
        host = host.split("]", 1)[0] + "]"
    else:
        host = host.rsplit(":", 1)[0]
    m = CREDENTIAL_SCOPE.search(headers.get("authorization", ""))
    scope = f"{m.group(1)}/{m.group(2)}" if m else "-"
    amz_target = headers.get("x-amz-target", "")
    path = parts.path + ("?" + query if query else "")
    body_key = canonical_body(headers.get("content-type", ""), body)
    return "|".join((method, host, path, scope, amz_target, body_key))


def regionless_key(key: str) -> str | None:
    """The key with the region left out: the same question asked of any region."""
    fields = key.split("|", 5)
    if len(fields) < 6:
        return None
    _, _, service = fields[3].partition("/")
    fields[3] = "*/" + service
    return "|".join(fields)


def key_service(key: str) -> str:
    fields = key.split("|", 5)
    return fields[3].partition("/")[2] if len(fields) == 6 else ""


def canonical_body(content_type: str, body: bytes) -> str:
    if not body:
        return ""
    ctype = content_type.split(";", 1)[0].strip().lower()
    text: str | None = None
    if ctype == "application/x-www-form-urlencoded":
        try:
            pairs = parse_qsl(body.decode("utf-8"), keep_blank_values=True, strict_parsing=False)
        except (UnicodeDecodeError, ValueError):
            pairs = None
        if pairs is not None:
            text = urlencode(sorted(p for p in pairs if p[0] not in VOLATILE_FIELDS))
    elif "json" in ctype:
        try:
            doc = json.loads(body)
        except (UnicodeDecodeError, ValueError):
            doc = None
        if isinstance(doc, dict):
            doc = {k: v for k, v in doc.items() if k not in VOLATILE_FIELDS}
        if doc is not None:
            text = json.dumps(doc, sort_keys=True, separators=(",", ":"))
    if text is None:
        # XML, CBOR or anything else: the bytes as sent.
        text = "raw:" + body.hex() if len(body) <= MAX_INLINE_BODY // 2 else ""
        if not text:
            return "sha256:" + hashlib.sha256(body).hexdigest()
    if len(text) > MAX_INLINE_BODY:
        return "sha256:" + hashlib.sha256(text.encode("utf-8")).hexdigest()
    return text


def answer_identity(entry: dict[str, Any]) -> str:
    """What two recorded answers must share to count as the same answer."""
    headers = sorted((k.lower(), v) for k, v in entry["headers"] if k.lower() not in PER_ANSWER_HEADERS)
    body = REQUEST_ID_ELEMENT.sub("", entry["text"]) if "text" in entry else entry.get("b64", "")
    return json.dumps([entry["status"], headers, body])


def encode_body(body: bytes) -> dict[str, str]:
    try:
        return {"text": body.decode("utf-8")}
    except UnicodeDecodeError:
        return {"b64": base64.b64encode(body).decode("ascii")}


def decode_body(entry: dict[str, Any]) -> bytes:
    if "b64" in entry:
        return base64.b64decode(entry["b64"])
    return str(entry.get("text", "")).encode("utf-8")


def parse_listen(value: str) -> tuple[str, int]:
    host, _, port = value.rpartition(":")
    host = host.strip("[]")
    if not host or not port.isdigit():
        raise argparse.ArgumentTypeError(f"expected HOST:PORT, got {value!r}")
    return host, int(port)


def write_ready(path: str | None) -> None:
    if path:
        tmp = path + ".tmp"
        Path(tmp).write_text(f"{os.getpid()}\n", encoding="utf-8")
        os.replace(tmp, path)


def cpu_seconds() -> tuple[float, float]:
    """User and system CPU of this process, to the microsecond (os.times() counts clock ticks)."""
    r = resource.getrusage(resource.RUSAGE_SELF)
    return r.ru_utime, r.ru_stime


# --------------------------------------------------------------------------------------------
# record


class Recorder:
    def __init__(self, upstream: str):
        u = urlsplit(upstream)
        if u.scheme != "http" or not u.hostname:
            raise SystemExit(f"--upstream must be an http:// URL, got {upstream!r}")
        self.upstream = (u.hostname, u.port or 80)
        self.lock = threading.Lock()
        self.entries: dict[str, list[dict[str, Any]]] = {}
        self.requests = 0
        self.errors = 0

    def add(self, key: str, status: int, headers: list[tuple[str, str]], body: bytes) -> None:
        entry = {"status": status, "headers": headers, **encode_body(body)}
        with self.lock:
            self.requests += 1
            self.entries.setdefault(key, []).append(entry)

    def save(self, path: Path) -> dict[str, Any]:
        with self.lock:
            entries = dict(self.entries)
            summary = {
                "requests": self.requests,
                "keys": len(entries),
                "keys_with_varying_answers": sum(
                    1 for v in entries.values() if len({answer_identity(e) for e in v}) > 1
                ),
                "proxy_errors": self.errors,
            }
        doc = {"format": FORMAT, "summary": summary, "entries": entries}
        tmp = path.with_name(path.name + ".tmp")
        with gzip.open(tmp, "wt", encoding="utf-8", compresslevel=5) as f:
            json.dump(doc, f, separators=(",", ":"))
        os.replace(tmp, path)
        return summary


class ProxyHandler(http.server.BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"
    # Buffered writes: the status line, headers and body leave in one send (the handler
    # flushes after each request). Separate small sends would meet the client's delayed
    # ACK under Nagle's algorithm and cost ~40 ms per request.
    wbufsize = -1
    disable_nagle_algorithm = True
    recorder: Recorder  # set on the subclass
    upstream_conn: http.client.HTTPConnection | None = None

    def log_message(self, format: str, *args: Any) -> None:  # noqa: A002 - stdlib signature
        pass

    def read_body(self) -> bytes:
        if "chunked" in self.headers.get("Transfer-Encoding", "").lower():
            chunks = []
            while True:
                size = int(self.rfile.readline().split(b";", 1)[0].strip() or b"0", 16)
                if size == 0:
                    while self.rfile.readline() not in (b"\r\n", b"\n", b""):
                        pass
                    return b"".join(chunks)
                chunks.append(self.rfile.read(size))
                self.rfile.readline()
        length = int(self.headers.get("Content-Length") or 0)
        return self.rfile.read(length) if length else b""

    def forward(self, body: bytes, headers: dict[str, str]) -> http.client.HTTPResponse:
        # One upstream connection per client connection, so moto sees the same number of
        # keep-alive connections as without the proxy. A stale one is reopened once.
        for attempt in (1, 2):
            if self.upstream_conn is None:
                self.upstream_conn = http.client.HTTPConnection(*self.recorder.upstream, timeout=300)
            try:
                self.upstream_conn.request(self.command, self.path, body=body, headers=headers)
                return self.upstream_conn.getresponse()
            except (http.client.RemoteDisconnected, ConnectionResetError, BrokenPipeError):
                self.upstream_conn.close()
                self.upstream_conn = None
                if attempt == 2:
                    raise
        raise RuntimeError("unreachable")

    def handle_any(self) -> None:
        try:
            body = self.read_body()
        except ValueError:
            self.send_error(400, "bad Content-Length or chunk size")
            return
        # The handler already answered any "Expect: 100-continue" itself.
        fwd = {k: v for k, v in self.headers.items() if k.lower() not in HOP_BY_HOP | {"expect"}}
        fwd["Content-Length"] = str(len(body))
        try:
            resp = self.forward(body, fwd)
            data = resp.read()
        except OSError as e:
            with self.recorder.lock:
                self.recorder.errors += 1
            self.send_error(502, f"upstream: {e}")
            return
        stored = [(k, v) for k, v in resp.getheaders() if k.lower() not in NOT_STORED]
        if self.command == "HEAD" and resp.getheader("Content-Length") is not None:
            stored.append(("Content-Length", resp.getheader("Content-Length", "0")))
        lower = {k.lower(): v for k, v in self.headers.items()}
        self.recorder.add(request_key(self.command, self.path, lower, body), resp.status, stored, data)
        self.send_response_only(resp.status, resp.reason)
        for k, v in stored:
            self.send_header(k, v)
        if self.command != "HEAD":
            self.send_header("Content-Length", str(len(data)))
        self.end_headers()
        if self.command != "HEAD":
            self.wfile.write(data)
        if resp.getheader("Connection", "").lower() == "close":
            # moto closed its side; reopen on the next request rather than fail it.
            if self.upstream_conn is not None:
                self.upstream_conn.close()
                self.upstream_conn = None

    do_GET = do_POST = do_PUT = do_DELETE = do_HEAD = do_PATCH = do_OPTIONS = handle_any

    def finish(self) -> None:
        super().finish()
        if self.upstream_conn is not None:
            self.upstream_conn.close()


class ProxyServer(http.server.ThreadingHTTPServer):
    daemon_threads = True
    request_queue_size = 128  # the tools open dozens of connections at once


def run_record(args: argparse.Namespace) -> int:
    recorder = Recorder(args.upstream)
    handler = type("Handler", (ProxyHandler,), {"recorder": recorder})
    server = ProxyServer(args.listen, handler)

    def stop(signum: int, frame: Any) -> None:
        threading.Thread(target=server.shutdown, daemon=True).start()

    signal.signal(signal.SIGTERM, stop)
    signal.signal(signal.SIGINT, stop)
    write_ready(args.ready_file)
    server.serve_forever(poll_interval=0.2)
    server.server_close()
    summary = recorder.save(args.out)
    line = (
        f"recorded {summary['requests']} requests, {summary['keys']} distinct keys "
        f"({summary['keys_with_varying_answers']} with answers that vary), "
        f"proxy errors: {summary['proxy_errors']} -> {args.out}"
    )
    print(line, file=sys.stderr)
    if args.stats:
        args.stats.write_text(json.dumps(summary, indent=2) + "\n", encoding="utf-8")
    return 0


# --------------------------------------------------------------------------------------------
# replay

REASONS = {status.value: status.phrase for status in http.HTTPStatus}


class Recording:
    """The recording, with every answer serialized ahead of time.

    A key whose recorded answers are all the same is served from `fixed`. A key whose answers
    vary (a report that is STARTED then COMPLETE, a 500 then its retry) is served in recorded
    order, then the last one again; its cursor lives in shared memory so that every worker
    process advances the same one.
    """

    def __init__(self, path: Path):
        with gzip.open(path, "rt", encoding="utf-8") as f:
            doc = json.load(f)
        if doc.get("format") != FORMAT:
            raise SystemExit(f"{path}: not a recording of format {FORMAT}")
        self.fixed: dict[str, tuple[bytes, bytes]] = {}
        self.sequenced: dict[str, tuple[int, list[tuple[bytes, bytes]]]] = {}
        self.regionless: dict[str, str] = {}
        for key, entries in doc["entries"].items():
            if len({answer_identity(e) for e in entries}) == 1:
                self.fixed[key] = self.serialize(entries[0])
            else:
                answers = [self.serialize(e) for e in entries]
                self.sequenced[key] = (len(self.sequenced), answers)
            other = regionless_key(key)
            if other is not None:
                self.regionless.setdefault(other, key)
        self.recorded_requests = int(doc.get("summary", {}).get("requests", 0))
        self.cursors = multiprocessing.RawArray("i", max(1, len(self.sequenced)))
        self.cursor_lock = multiprocessing.Lock()

    @staticmethod
    def serialize(entry: dict[str, Any]) -> tuple[bytes, bytes]:
        """(status line and headers before Date, the rest up to and including the body)."""
        status = int(entry["status"])
        body = decode_body(entry)
        head = [f"HTTP/1.1 {status} {REASONS.get(status, 'Unknown')}\r\n"]
        has_length = False
        for k, v in entry["headers"]:
            # Content-Length is stored only for answers to HEAD, which have no body.
            has_length |= k.lower() == "content-length"
            head.append(f"{k}: {v}\r\n")
        tail = b"" if has_length else f"Content-Length: {len(body)}\r\n".encode("latin-1")
        return "".join(head).encode("latin-1"), tail + b"\r\n" + body

    def lookup(self, key: str) -> tuple[tuple[bytes, bytes] | None, bool]:
        """The answer, or None; and whether the same request was recorded for another region.

        Prowler signs its STS call for a region it takes from a Python set, so the region
        can change from one run to the next. moto serves the services in GLOBAL_SERVICES from
        one global backend, so for them the answer recorded for another region is the same
        answer. For the other services the request is only reported as such.
        """
        answer = self.fixed.get(key)
        if answer is not None:
            return answer, False
        if key in self.sequenced:
            return self.next_answer(key), False
        other = regionless_key(key)
        recorded = self.regionless.get(other) if other is not None else None
        if recorded is None:
            return None, False
        if key_service(key) not in GLOBAL_SERVICES:
            return None, True
        return self.lookup(recorded)[0], True

    def next_answer(self, key: str) -> tuple[bytes, bytes]:
        index, answers = self.sequenced[key]
        with self.cursor_lock:
            n = self.cursors[index]
            self.cursors[index] = n + 1
        return answers[min(n, len(answers) - 1)]


class Stats:
    def __init__(self) -> None:
        self.requests = 0
        self.connections = 0
        self.unmatched = 0
        self.unmatched_keys: Counter[str] = Counter()
        self.region_fallbacks: Counter[str] = Counter()
        self.unmatched_other_region: Counter[str] = Counter()


class DateHeader:
    """The Date header, formatted at most once a second."""

    def __init__(self) -> None:
        self.second = -1
        self.value = b""

    def get(self) -> bytes:
        now = int(time.time())
        if now != self.second:
            self.second = now
            self.value = f"Date: {email.utils.formatdate(now, usegmt=True)}\r\n".encode("latin-1")
        return self.value


class ReplayProtocol(asyncio.Protocol):
    """A minimal HTTP/1.1 server: keep-alive, Content-Length and chunked request bodies."""

    def __init__(self, recording: Recording, stats: Stats, date: DateHeader):
        self.recording = recording
        self.stats = stats
        self.date = date
        self.buf = b""
        self.continued = False  # "100 Continue" already sent for the request being read
        self.transport: asyncio.Transport | None = None

    def connection_made(self, transport: asyncio.BaseTransport) -> None:
        assert isinstance(transport, asyncio.Transport)
        self.transport = transport
        self.stats.connections += 1

    def data_received(self, data: bytes) -> None:
        self.buf += data
        while self.transport is not None:
            end = self.buf.find(b"\r\n\r\n")
            if end < 0:
                return
            head = self.buf[:end].decode("latin-1")
            lines = head.split("\r\n")
            try:
                method, target, version = lines[0].split(" ", 2)
            except ValueError:
                self.fail(400)
                return
            headers: dict[str, str] = {}
            for line in lines[1:]:
                name, _, value = line.partition(":")
                headers[name.strip().lower()] = value.strip()
            start = end + 4
            if "chunked" in headers.get("transfer-encoding", "").lower():
                parsed = self.dechunk(start)
                if parsed is None:
                    return
                body, consumed = parsed
            else:
                try:
                    length = int(headers.get("content-length") or 0)
                except ValueError:
                    self.fail(400)
                    return
                if len(self.buf) < start + length:
                    if headers.get("expect", "").lower() == "100-continue" and not self.continued:
                        self.transport.write(b"HTTP/1.1 100 Continue\r\n\r\n")
                        self.continued = True
                    return
                body, consumed = self.buf[start : start + length], start + length
            self.buf = self.buf[consumed:]
            self.continued = False
            self.respond(method, target, version, headers, body)

    def dechunk(self, pos: int) -> tuple[bytes, int] | None:
        chunks = []
        while True:
            eol = self.buf.find(b"\r\n", pos)
            if eol < 0:
                return None
            try:
                size = int(self.buf[pos:eol].split(b";", 1)[0].strip() or b"0", 16)
            except ValueError:
                self.fail(400)
                return None
            pos = eol + 2
            if size == 0:
                # Trailers, then an empty line.
                while True:
                    eol = self.buf.find(b"\r\n", pos)
                    if eol < 0:
                        return None
                    if eol == pos:
                        return b"".join(chunks), eol + 2
                    pos = eol + 2
            if len(self.buf) < pos + size + 2:
                return None
            chunks.append(self.buf[pos : pos + size])
            pos += size + 2

    def respond(self, method: str, target: str, version: str, headers: dict[str, str], body: bytes) -> None:
        assert self.transport is not None
        self.stats.requests += 1
        key = request_key(method, target, headers, body)
        answer, other_region = self.recording.lookup(key)
        if answer is None:
            self.stats.unmatched += 1
            self.stats.unmatched_keys[key] += 1
            if other_region:
                self.stats.unmatched_other_region[key] += 1
            msg = b"replay: no recorded answer for this request\n"
            head = b"HTTP/1.1 599 No Recorded Answer\r\nContent-Type: text/plain\r\n"
            answer = (head, b"Content-Length: %d\r\n\r\n" % len(msg) + msg)
        elif other_region:
            self.stats.region_fallbacks[key] += 1
        connection = headers.get("connection", "").lower()
        close = connection == "close" or (version == "HTTP/1.0" and connection != "keep-alive")
        extra = b"Connection: close\r\n" if close else b""
        self.transport.write(answer[0] + self.date.get() + extra + answer[1])
        if close:
            self.transport.close()
            self.transport = None

    def fail(self, status: int) -> None:
        if self.transport is not None:
            self.transport.write(
                b"HTTP/1.1 %d Bad Request\r\nContent-Length: 0\r\nConnection: close\r\n\r\n" % status
            )
            self.transport.close()
            self.transport = None

    def connection_lost(self, exc: Exception | None) -> None:
        self.transport = None


def replay_worker(sock: socket.socket, recording: Recording, stats_path: Path) -> None:
    """One worker process: serve until SIGTERM, then write its own statistics."""
    stats = Stats()
    date = DateHeader()
    loop = asyncio.new_event_loop()
    stop = asyncio.Event()
    loop.add_signal_handler(signal.SIGTERM, stop.set)
    signal.signal(signal.SIGINT, signal.SIG_IGN)  # the parent handles Ctrl-C

    async def main() -> None:
        server = await loop.create_server(lambda: ReplayProtocol(recording, stats, date), sock=sock)
        async with server:
            await stop.wait()

    cpu0 = cpu_seconds()
    try:
        loop.run_until_complete(main())
    finally:
        user, system = (b - a for a, b in zip(cpu0, cpu_seconds()))
        doc = {
            "pid": os.getpid(),
            "requests": stats.requests,
            "connections": stats.connections,
            "unmatched": stats.unmatched,
            "unmatched_keys": dict(stats.unmatched_keys.most_common(50)),
            "region_fallbacks": dict(stats.region_fallbacks),
            "unmatched_other_region": dict(stats.unmatched_other_region.most_common(50)),
            "cpu_seconds": user + system,
            "user_seconds": user,
            "system_seconds": system,
        }
        stats_path.write_text(json.dumps(doc), encoding="utf-8")


def run_replay(args: argparse.Namespace) -> int:
    t0 = time.monotonic()
    recording = Recording(args.recording)
    load_seconds = time.monotonic() - t0
    sock = socket.socket(socket.AF_INET6 if ":" in args.listen[0] else socket.AF_INET, socket.SOCK_STREAM)
    sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    sock.bind(args.listen)
    sock.listen(512)
    sock.setblocking(False)
    # The recording is read-only after loading: freezing it keeps the workers' garbage
    # collector from touching (and so copying) its pages.
    gc.collect()
    gc.freeze()
    tmpdir = Path(tempfile.mkdtemp(prefix="replay-stats."))
    workers: list[tuple[multiprocessing.Process, Path]] = []
    ctx = multiprocessing.get_context("fork")
    for i in range(args.workers):
        path = tmpdir / f"worker-{i}.json"
        p = ctx.Process(target=replay_worker, args=(sock, recording, path), daemon=False)
        p.start()
        workers.append((p, path))
    sock.close()

    stopping = threading.Event()

    def stop(signum: int, frame: Any) -> None:
        stopping.set()

    signal.signal(signal.SIGTERM, stop)
    signal.signal(signal.SIGINT, stop)
    write_ready(args.ready_file)
    while not stopping.wait(0.2):
        if not all(p.is_alive() for p, _ in workers):
            print("replay: a worker process died", file=sys.stderr)
            break
    for p, _ in workers:
        if p.is_alive() and p.pid is not None:
            os.kill(p.pid, signal.SIGTERM)
    for p, _ in workers:
        p.join(timeout=30)

    per_worker = []
    for _, path in workers:
        try:
            per_worker.append(json.loads(path.read_text(encoding="utf-8")))
            path.unlink()
        except (OSError, ValueError):
            per_worker.append(
                {"requests": 0, "connections": 0, "unmatched": 0, "cpu_seconds": 0.0, "lost": True}
            )
    try:
        tmpdir.rmdir()
    except OSError:
        pass
    requests = sum(w["requests"] for w in per_worker)
    unmatched = sum(w["unmatched"] for w in per_worker)
    connections = sum(w["connections"] for w in per_worker)
    cpu = sum(w["cpu_seconds"] for w in per_worker)
    user = sum(w.get("user_seconds", 0.0) for w in per_worker)
    keys: Counter[str] = Counter()
    fallbacks: Counter[str] = Counter()
    other_region: Counter[str] = Counter()
    for w in per_worker:
        keys.update(w.get("unmatched_keys", {}))
        fallbacks.update(w.get("region_fallbacks", {}))
        other_region.update(w.get("unmatched_other_region", {}))
    summary = {
        "recording": str(args.recording),
        "recorded_requests": recording.recorded_requests,
        "recorded_keys": len(recording.fixed) + len(recording.sequenced),
        "load_seconds": round(load_seconds, 3),
        "workers": args.workers,
        "requests": requests,
        "connections": connections,
        "unmatched": unmatched,
        "unmatched_keys": dict(keys.most_common(50)),
        # Unmatched requests that were recorded, but signed for another region.
        "unmatched_other_region_keys": dict(other_region.most_common(50)),
        "region_fallbacks": sum(fallbacks.values()),
        "region_fallback_keys": dict(fallbacks.most_common(50)),
        "cpu_seconds": round(cpu, 3),
        "user_seconds": round(user, 3),
        "system_seconds": round(cpu - user, 3),
        "cpu_ms_per_request": round(1000 * cpu / requests, 4) if requests else None,
        "workers_lost": sum(1 for w in per_worker if w.get("lost")),
    }
    if args.stats:
        args.stats.write_text(json.dumps(summary, indent=2) + "\n", encoding="utf-8")
    per_req = f"{summary['cpu_ms_per_request']:.3f} ms" if requests else "-"
    print(
        f"replay served {requests} requests on {connections} connections "
        f"({unmatched} with no recorded answer, {sum(fallbacks.values())} answered from "
        f"another region of a global service), "
        f"CPU {cpu:.2f} s ({user:.2f} user) = {per_req} per request, {args.workers} workers",
        file=sys.stderr,
    )
    for key, n in list(keys.items())[:20]:
        where = " (recorded for another region)" if key in other_region else ""
        print(f"  unmatched x{n}{where}: {key[:300]}", file=sys.stderr)
    return 1 if summary["workers_lost"] else 0


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    sub = ap.add_subparsers(dest="mode", required=True)
    rec = sub.add_parser("record", help="proxy to the emulator and record every answer")
    rec.add_argument("--listen", type=parse_listen, required=True, help="HOST:PORT to listen on")
    rec.add_argument("--upstream", required=True, help="the emulator, e.g. http://127.0.0.1:5000")
    rec.add_argument("--out", type=Path, required=True, help="recording to write (.json.gz)")
    rep = sub.add_parser("replay", help="answer from a recording")
    rep.add_argument("--listen", type=parse_listen, required=True, help="HOST:PORT to listen on")
    rep.add_argument("--recording", type=Path, required=True)
    rep.add_argument(
        "--workers", type=int, default=os.cpu_count() or 1, help="worker processes (default: CPUs)"
    )
    for p in (rec, rep):
        p.add_argument("--ready-file", help="written (with the pid) once the port accepts connections")
        p.add_argument("--stats", type=Path, help="write a JSON summary here on exit")
    args = ap.parse_args()
    if args.mode == "record":
        return run_record(args)
    if args.workers < 1:
        ap.error("--workers must be at least 1")
    return run_replay(args)


if __name__ == "__main__":
    sys.exit(main())
