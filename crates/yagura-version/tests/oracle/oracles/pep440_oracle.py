"""Reads "a<TAB>b" lines on stdin and prints packaging.version's ordering
(-1/0/1), or ERR when packaging rejects either string. With --valid it
reads one version per line and prints OK or ERR instead."""
import sys

from packaging.version import InvalidVersion, Version


def parse(s):
    try:
        return Version(s)
    except InvalidVersion:
        return None


def main():
    out = []
    valid_mode = "--valid" in sys.argv
    for line in sys.stdin.read().split("\n"):
        if line == "":
            continue
        if valid_mode:
            out.append("OK" if parse(line) is not None else "ERR")
            continue
        a, b = line.split("\t")
        va, vb = parse(a), parse(b)
        if va is None or vb is None:
            out.append("ERR")
        else:
            out.append(str((va > vb) - (va < vb)))
    sys.stdout.write("\n".join(out) + "\n")


main()
