#!/usr/bin/env python3
"""Prints the number of shared vector cases (every `cases` entry of every *.json here).

Each language's suite compares the number of cases it ran with this total, so a suite
that silently skips a file or a case fails. `--by-file` prints one line per file.
"""
import json
import pathlib
import sys

here = pathlib.Path(__file__).resolve().parent
counts = {p.name: len(json.loads(p.read_text(encoding="utf-8"))["cases"]) for p in sorted(here.glob("*.json"))}
if "--by-file" in sys.argv:
    for name, n in counts.items():
        print(f"{name} {n}")
print(sum(counts.values()))
