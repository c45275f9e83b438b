#!/usr/bin/env python3
"""Dependency hygiene, run by `make check`: licenses and duplicate versions.

An equivalent of `cargo deny check licenses bans` that needs nothing but cargo: it
reads `cargo metadata` for the whole workspace (every target platform), and fails when
a crate's license is not on the allow-list or when two versions of one crate are linked
into the same build without a stated reason. Security advisories are not checked here:
the advisory database cannot be fetched on these machines.
"""
import json
import re
import subprocess
import sys
from collections import defaultdict

# SPDX identifiers we accept, each a permissive licence compatible with MIT/Apache-2.0.
ALLOWED_LICENSES = {
    "MIT", "Apache-2.0", "Apache-2.0 WITH LLVM-exception", "BSD-2-Clause", "BSD-3-Clause",
    "ISC", "Zlib", "Unicode-3.0", "Unicode-DFS-2016", "CC0-1.0", "MPL-2.0", "BSL-1.0",
    "Unlicense", "0BSD", "CDLA-Permissive-2.0",
}

# Crates allowed in two versions, and why. Keep this short.
ALLOWED_DUPLICATES = {
    # name: "why two versions are acceptable"
    "getrandom": "the core uses 0.4; ring 0.17 (rustls, only in the demo's optional HTTPS to Jiko's real sandbox) uses 0.2",
    "windows-sys": "ring 0.17 uses 0.52, other tooling 0.61; Windows targets only, never built here",
    "syn": "proc-macro only (compile time): serde and pyo3 moved to syn 3, tsify's and other macros still use syn 2",
}

LICENSE_SPLIT = re.compile(r"\s+(?:OR|AND)\s+|[()/]")


def licenses_ok(expr: str) -> bool:
    """Accepts `A OR B` when either side is allowed, and `A AND B` when both are."""
    expr = expr.strip()
    if " OR " in expr or "/" in expr:
        return any(licenses_ok(part) for part in re.split(r"\s+OR\s+|/", expr.strip("()")))
    if " AND " in expr:
        return all(licenses_ok(part) for part in re.split(r"\s+AND\s+", expr.strip("()")))
    return expr.strip("()") in ALLOWED_LICENSES


def main() -> int:
    meta = json.loads(subprocess.check_output(["cargo", "metadata", "--format-version", "1"]))
    workspace = set(meta["workspace_members"])
    problems = []
    versions = defaultdict(set)
    for pkg in meta["packages"]:
        if pkg["id"] in workspace:
            continue
        versions[pkg["name"]].add(pkg["version"])
        lic = pkg.get("license")
        if not lic:
            problems.append(f"{pkg['name']} {pkg['version']}: no SPDX license")
        elif not licenses_ok(lic):
            problems.append(f"{pkg['name']} {pkg['version']}: license {lic!r} is not on the allow-list")
    for name, vs in sorted(versions.items()):
        if len(vs) > 1 and name not in ALLOWED_DUPLICATES:
            problems.append(f"{name}: {len(vs)} versions ({', '.join(sorted(vs))}) and no stated reason")
    unused = sorted(n for n in ALLOWED_DUPLICATES if len(versions.get(n, ())) < 2)
    if unused:
        print(f"deps-check: allow-listed duplicates not present (prune them): {', '.join(unused)}")
    for p in problems:
        print(f"deps-check: {p}", file=sys.stderr)
    print(f"deps-check: {len(meta['packages']) - len(workspace)} crates, {len(problems)} problems")
    return 1 if problems else 0


if __name__ == "__main__":
    sys.exit(main())
