#!/usr/bin/env python3
"""Writes bench/vuln/npm-advisories/*.json: real, published npm advisories
(GitHub Security Advisories) transcribed by hand into OSV JSON.

Why by hand: this machine reaches no advisory service for npm, and the
benchmark needs the same advisories in yagura's DB and in `npm audit` (through
npm_audit_server.py) so that the two tools' matching can be compared.
Ranges follow the GHSA records as published (introduced/fixed, SEMVER).
Only advisories whose ranges we could state with confidence are listed.

Usage: python3 bench/vuln/make-npm-advisories.py
"""
import json
import pathlib

# (ghsa, cves, package, ranges [(introduced, fixed)], explicit versions, severity, cwes, summary)
ADVISORIES = [
    ("GHSA-jf85-cpcp-j695", ["CVE-2019-10744"], "lodash", [("0", "4.17.12")], [], "CRITICAL",
     ["CWE-20", "CWE-1321"], "Prototype Pollution in lodash (defaultsDeep)"),
    ("GHSA-p6mc-m468-83gw", ["CVE-2020-8203"], "lodash", [("3.7.0", "4.17.19")], [], "HIGH",
     ["CWE-770", "CWE-1321"], "Prototype Pollution in lodash (zipObjectDeep)"),
    ("GHSA-35jh-r3h4-6jhm", ["CVE-2021-23337"], "lodash", [("0", "4.17.21")], [], "HIGH",
     ["CWE-77", "CWE-94"], "Command Injection in lodash (template)"),
    ("GHSA-29mw-wpgm-hmr9", ["CVE-2020-28500"], "lodash", [("4.0.0", "4.17.21")], [], "MODERATE",
     ["CWE-400", "CWE-1333"], "Regular Expression Denial of Service (ReDoS) in lodash"),
    ("GHSA-vh95-rmgr-6w4m", ["CVE-2020-7598"], "minimist", [("0", "0.2.1"), ("1.0.0", "1.2.3")], [],
     "MODERATE", ["CWE-1321"], "Prototype Pollution in minimist"),
    ("GHSA-xvch-5gv4-984h", ["CVE-2021-44906"], "minimist", [("0", "0.2.4"), ("1.0.0", "1.2.6")], [],
     "CRITICAL", ["CWE-1321"], "Prototype Pollution in minimist"),
    ("GHSA-4w2v-q235-vp99", ["CVE-2020-28168"], "axios", [("0", "0.21.1")], [], "MODERATE",
     ["CWE-918"], "Server-Side Request Forgery in Axios"),
    ("GHSA-cph5-m8f7-6c5x", ["CVE-2021-3749"], "axios", [("0", "0.21.2")], [], "HIGH",
     ["CWE-400", "CWE-1333"], "axios Inefficient Regular Expression Complexity vulnerability"),
    ("GHSA-wf5p-g6vw-rhxx", ["CVE-2023-45857"], "axios", [("0.8.1", "0.28.0"), ("1.0.0", "1.6.0")], [],
     "MODERATE", ["CWE-352"], "Axios Cross-Site Request Forgery Vulnerability"),
    ("GHSA-w7rc-rwvf-8q5r", ["CVE-2020-15168"], "node-fetch",
     [("0", "2.6.1"), ("3.0.0-beta.1", "3.0.0-beta.9")], [], "LOW", ["CWE-20", "CWE-400"],
     "The `size` option isn't honored after following a redirect in node-fetch"),
    ("GHSA-r683-j2x4-v87g", ["CVE-2022-0235"], "node-fetch", [("0", "2.6.7"), ("3.0.0", "3.1.1")], [],
     "HIGH", ["CWE-173", "CWE-200", "CWE-601"],
     "node-fetch forwards secure headers to untrusted sites"),
    ("GHSA-8hfj-j24r-96c4", ["CVE-2022-24785"], "moment", [("1.0.1", "2.29.2")], [], "HIGH",
     ["CWE-22", "CWE-27"], "Path Traversal: 'dir/../../filename' in moment.locale"),
    ("GHSA-wc69-rhjr-hc9g", ["CVE-2022-31129"], "moment", [("2.18.0", "2.29.4")], [], "HIGH",
     ["CWE-400", "CWE-1333"], "Moment.js vulnerable to Inefficient Regular Expression Complexity"),
    ("GHSA-hrpp-h998-j3pp", ["CVE-2022-24999"], "qs",
     [("0", "6.2.4"), ("6.3.0", "6.3.3"), ("6.4.0", "6.4.1"), ("6.5.0", "6.5.3"), ("6.6.0", "6.6.1"),
      ("6.7.0", "6.7.3"), ("6.8.0", "6.8.3"), ("6.9.0", "6.9.7"), ("6.10.0", "6.10.3")], [],
     "HIGH", ["CWE-1321"], "qs vulnerable to Prototype Pollution"),
    ("GHSA-rv95-896h-c2vc", ["CVE-2024-29041"], "express",
     [("0", "4.19.2"), ("5.0.0-alpha.1", "5.0.0-beta.3")], [], "MODERATE", ["CWE-601", "CWE-1286"],
     "Express.js Open Redirect in malformed URLs"),
    ("GHSA-qw6h-vgh9-j6wx", ["CVE-2024-43796"], "express", [("0", "4.20.0"), ("5.0.0-alpha.1", "5.0.0")],
     [], "LOW", ["CWE-79"], "express vulnerable to XSS via response.redirect()"),
    ("GHSA-qwcr-r2fm-qrc7", ["CVE-2024-45590"], "body-parser", [("0", "1.20.3")], [], "HIGH",
     ["CWE-405"], "body-parser vulnerable to denial of service when url encoding is enabled"),
    ("GHSA-pxg6-pf52-xh8x", ["CVE-2024-47764"], "cookie", [("0", "0.7.0")], [], "LOW", ["CWE-74"],
     "cookie accepts cookie name, path, and domain with out of bounds characters"),
    ("GHSA-m6fv-jmcg-4jfg", ["CVE-2024-43799"], "send", [("0", "0.19.0")], [], "LOW", ["CWE-79"],
     "send vulnerable to template injection that can lead to XSS"),
    ("GHSA-cm22-4g7w-348p", ["CVE-2024-43800"], "serve-static", [("0", "1.16.0")], [], "LOW",
     ["CWE-79"], "serve-static vulnerable to template injection that can lead to XSS"),
    ("GHSA-c2qf-rxjj-qqgw", ["CVE-2022-25883"], "semver",
     [("0", "5.7.2"), ("6.0.0", "6.3.1"), ("7.0.0", "7.5.2")], [], "HIGH", ["CWE-1333"],
     "semver vulnerable to Regular Expression Denial of Service"),
    ("GHSA-6fc8-4gx4-v693", ["CVE-2021-32640"], "ws", [("5.0.0", "5.2.3"), ("6.0.0", "6.2.2"), ("7.0.0", "7.4.6")],
     [], "MODERATE", ["CWE-345", "CWE-400"], "ReDoS in Sec-Websocket-Protocol header"),
    ("GHSA-3h5v-q93c-6h6q", ["CVE-2024-37890"], "ws",
     [("2.1.0", "5.2.4"), ("6.0.0", "6.2.3"), ("7.0.0", "7.5.10"), ("8.0.0", "8.17.1")], [], "HIGH",
     ["CWE-476"], "ws affected by a DoS when handling a request with many HTTP headers"),
    ("GHSA-9c47-m6qq-7p4h", ["CVE-2022-46175"], "json5", [("0", "1.0.2"), ("2.0.0", "2.2.2")], [], "HIGH",
     ["CWE-1321"], "Prototype Pollution in JSON5 via Parse Method"),
    ("GHSA-72xf-g2v4-qvf3", ["CVE-2023-26136"], "tough-cookie", [("0", "4.1.3")], [], "MODERATE",
     ["CWE-1321"], "tough-cookie Prototype Pollution vulnerability"),
    ("GHSA-ww39-953v-wcq6", ["CVE-2020-28469"], "glob-parent", [("0", "5.1.2")], [], "HIGH",
     ["CWE-400"], "glob-parent vulnerable to Regular Expression Denial of Service in enclosure regex"),
    ("GHSA-8cf7-32gw-wr33", ["CVE-2022-23539"], "jsonwebtoken", [("0", "9.0.0")], [], "HIGH",
     ["CWE-327"], "jsonwebtoken unrestricted key type could lead to legacy keys usage"),
    ("GHSA-qwph-4952-7xr6", ["CVE-2022-23540"], "jsonwebtoken", [("0", "9.0.0")], [], "MODERATE",
     ["CWE-287", "CWE-327", "CWE-347"],
     "jsonwebtoken's insecure implementation of key retrieval function could lead to Forgeable Public/Private Tokens"),
    ("GHSA-hjrf-2m68-5959", ["CVE-2022-23541"], "jsonwebtoken", [("0", "9.0.0")], [], "MODERATE",
     ["CWE-1259", "CWE-287"], "jsonwebtoken vulnerable to signature validation bypass due to insecure default algorithm in jwt.verify()"),
    # Negative controls for the bench lockfile (ua-parser-js 0.7.28 is NOT affected by either):
    ("GHSA-78cj-fxph-m83p", ["CVE-2021-27292"], "ua-parser-js", [("0.7.14", "0.7.24")], [], "HIGH",
     ["CWE-400"], "Regular Expression Denial of Service in ua-parser-js"),
    ("GHSA-fhg7-m89q-25r3", ["CVE-2022-25927"], "ua-parser-js", [("0.7.30", "0.7.33"), ("0.8.1", "1.0.33")],
     [], "HIGH", ["CWE-1333"], "ua-parser-js Regular Expression Denial of Service vulnerability"),
    # Enumerated versions only (the hijacked releases), no range:
    ("GHSA-pjwm-rvh2-c87w", [], "ua-parser-js", [], ["0.7.29", "0.8.0", "1.0.0"], "CRITICAL",
     ["CWE-829", "CWE-912"], "Embedded malware in ua-parser-js"),
]


def record(ghsa, cves, package, ranges, versions, severity, cwes, summary):
    affected = {"package": {"ecosystem": "npm", "name": package, "purl": f"pkg:npm/{package}"}}
    if ranges:
        events = []
        for introduced, fixed in ranges:
            events.append({"introduced": introduced})
            events.append({"fixed": fixed})
        affected["ranges"] = [{"type": "SEMVER", "events": events}]
    if versions:
        affected["versions"] = versions
    return {
        "schema_version": "1.6.0",
        "id": ghsa,
        "modified": "2026-01-01T00:00:00Z",
        "published": "2026-01-01T00:00:00Z",
        "aliases": cves,
        "summary": summary,
        "details": summary + " (transcribed for the yagura benchmark from the published GitHub advisory).",
        "affected": [affected],
        "references": [
            {"type": "ADVISORY", "url": f"https://github.com/advisories/{ghsa}"},
        ]
        + [{"type": "ADVISORY", "url": f"https://nvd.nist.gov/vuln/detail/{c}"} for c in cves],
        "database_specific": {"severity": severity, "cwe_ids": cwes, "github_reviewed": True},
    }


def main():
    out = pathlib.Path(__file__).resolve().parent / "npm-advisories"
    out.mkdir(exist_ok=True)
    for old in out.glob("*.json"):
        old.unlink()
    for adv in ADVISORIES:
        rec = record(*adv)
        (out / f"{rec['id']}.json").write_text(json.dumps(rec, indent=2) + "\n")
    print(f"wrote {len(ADVISORIES)} advisories to {out}")


if __name__ == "__main__":
    main()
