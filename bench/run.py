#!/usr/bin/env python3
"""`make bench`: builds what the benchmarks need, runs them, prints one table of every
figure against its target, and writes the same table to BENCHMARKS.md with the
machine, the tool versions and the commands used.

Steps (each command is echoed and recorded):

1. Builds: the Python wheel (`make -C bindings-python wheel`) installed into a fresh
   venv (<build dir>/bench/venv, the build directory being CARGO_TARGET_DIR when set,
   else target/); the npm package (`make -C bindings-wasm package`), packed with
   `npm pack` and installed into a scratch project (<build dir>/bench/node); the Android
   and iOS static libraries (`make -C bindings-mobile static-libs PROFILE=release`) when
   that Makefile offers the target (else skipped, with a note).
2. Runs: `cargo bench -p jiko-onboarding --bench native` (the native floor),
   `bench/python_bench.py` with the venv's interpreter, `bench/node_bench.mjs` with
   Node from the scratch project (a copy of it, of reference_node.mjs and of
   broken_applications.json sits next to
   the installed package, so `import "jiko-onboarding"` resolves to the packed tarball;
   JIKO_PKG_DIR, JIKO_REPO_ROOT and JIKO_TOOLS are set too). Each prints one JSON object per line;
   a script that does not exist yet is reported as missing, not as a failure.
3. Measures sizes right after each build (other builds share the build directory): the
   npm package's .wasm raw and gzipped (gzip -9), the browser entry's module once it
   exists, the npm tarball, the wheel (copied to <build dir>/bench/wheels, and installed
   and benchmarked from there), and the static libraries that were built.

Nothing here asserts a time: the table says whether each target is met, and the exit
status is 1 only when a build or a benchmark script failed (not when a target is
missed). "KB" in the targets is 1,000 bytes.

Options: --quick (shorter runs), --skip-build (use the artifacts already built),
--no-mobile (skip the static libraries), --output PATH (default BENCHMARKS.md).
"""

from __future__ import annotations

import argparse
import datetime
import glob
import gzip
import json
import os
import pathlib
import platform
import re
import shlex
import shutil
import subprocess
import sys
import time
from typing import Any

ROOT = pathlib.Path(__file__).resolve().parent.parent
BENCH = ROOT / "bench"
TARGET = pathlib.Path(os.environ.get("CARGO_TARGET_DIR") or ROOT / "target").resolve()
SCRATCH = TARGET / "bench"
VENV = SCRATCH / "venv"
NODE_PROJECT = SCRATCH / "node"

ANDROID_TARGETS = ["aarch64-linux-android"]
IOS_TARGETS = ["aarch64-apple-ios", "aarch64-apple-ios-sim"]
MOBILE_LIB = "libjiko_onboarding_mobile.a"

KB = 1000

# The guards (issue 16). The table says whether each is met; the size guards also fail
# `make test` (bindings-python/scripts/test.sh, bindings-wasm/scripts/test.sh).
PYTHON_CREATE_MIN_SPEEDUP = 2.0  # Python create_application vs its pure-Python reference
NODE_CREATE_MAX_US = 50.0  # Node createApplication, microseconds per call
WHEEL_MAX_BYTES = 500 * KB
BROWSER_WASM_MAX_GZIP_BYTES = 50 * KB
# The module of the npm package's browser entry, `jiko-onboarding/browser` (issue 16
# item 3), which cannot sign: measured here once it is built.
BROWSER_WASM = ROOT / "bindings-wasm" / "pkg" / "browser" / "jiko_onboarding_bg.wasm"
# The npm package's one module today (web/ and node/ load the same code).
PACKAGE_WASM = ROOT / "bindings-wasm" / "pkg" / "web" / "jiko_onboarding_bg.wasm"

ENV = dict(os.environ)
ENV["PATH"] = f"{pathlib.Path.home() / '.cargo' / 'bin'}{os.pathsep}{ENV.get('PATH', '')}"

commands: list[str] = []  # every command run, for BENCHMARKS.md
size: dict[str, int] = {}  # artifact sizes, measured right after each build
failures: list[str] = []  # builds or scripts that failed
notes: list[str] = []  # what was skipped or missing, and why


def log(message: str) -> None:
    print(f"[bench] {message}", file=sys.stderr, flush=True)


def run(
    cmd: list[str],
    *,
    cwd: pathlib.Path = ROOT,
    capture: bool = False,
    env: dict[str, str] | None = None,
    record: bool = True,
) -> subprocess.CompletedProcess[str] | None:
    """Runs a command, echoing it; None (and a recorded failure) when it fails."""
    shown = shlex.join(cmd)
    where = "" if cwd == ROOT else f"(cd {os.path.relpath(cwd, ROOT)} && "
    text = f"{where}{shown}{')' if where else ''}".replace(f"{ROOT}{os.sep}", "")
    if record:
        commands.append(text)
    log(f"$ {text}")
    try:
        done = subprocess.run(
            cmd,
            cwd=cwd,
            env=env or ENV,
            text=True,
            stdout=subprocess.PIPE if capture else None,
            stderr=subprocess.PIPE if capture else None,
            check=False,
        )
    except OSError as e:
        failures.append(f"`{shown}`: {e}")
        return None
    if done.returncode != 0:
        tail = (done.stderr or "").strip().splitlines()[-15:] if capture else []
        for line in tail:
            log(f"  {line}")
        why = f": {tail[-1].strip()[:200]}" if tail else ""
        failures.append(f"`{shown}` exited with {done.returncode}{why}")
        return None
    return done


def json_lines(text: str, source: str) -> list[dict[str, Any]]:
    out = []
    for line in text.splitlines():
        line = line.strip()
        if not line.startswith("{"):
            continue
        try:
            value = json.loads(line)
        except json.JSONDecodeError:
            notes.append(f"{source}: a line that is not JSON was ignored: {line[:80]!r}")
            continue
        if isinstance(value, dict):
            value.setdefault("source", source)
            out.append(value)
    return out


def tool_version(cmd: list[str]) -> str:
    try:
        done = subprocess.run(cmd, env=ENV, text=True, capture_output=True, check=False)
    except OSError:
        return "not found"
    return (done.stdout or done.stderr).strip().splitlines()[0] if done.returncode == 0 else "not found"


def machine() -> dict[str, str]:
    cpu = "unknown"
    mem = "unknown"
    try:
        for line in pathlib.Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                cpu = line.split(":", 1)[1].strip()
                break
    except OSError:
        cpu = platform.processor() or "unknown"
    try:
        for line in pathlib.Path("/proc/meminfo").read_text().splitlines():
            if line.startswith("MemTotal"):
                kib = int(line.split()[1])
                mem = f"{kib / 1024 / 1024:.1f} GiB"
                break
    except (OSError, ValueError):
        pass
    try:
        load = " ".join(pathlib.Path("/proc/loadavg").read_text().split()[:3])
    except OSError:
        load = "unknown"
    return {
        "nproc": str(os.cpu_count() or "unknown"),
        "cpu": cpu,
        "memory": mem,
        "os": f"{platform.system()} {platform.release()} ({platform.machine()})",
        "load": load,
    }


# --- builds ---------------------------------------------------------------------------


def newest(pattern: str) -> pathlib.Path | None:
    found = sorted(glob.glob(pattern), key=os.path.getmtime)
    return pathlib.Path(found[-1]) if found else None


def build_python(skip_build: bool) -> pathlib.Path | None:
    """The wheel, copied at once to target/bench/wheels (target/wheels is shared with
    other builds, which delete and rebuild it), measured there and installed from there
    into a fresh venv; returns the venv's python."""
    if not skip_build and run(["make", "-C", "bindings-python", "wheel"]) is None:
        return None
    built = newest(str(TARGET / "wheels" / "jiko_onboarding-*.whl"))
    copies = SCRATCH / "wheels"
    if built is not None:
        shutil.rmtree(copies, ignore_errors=True)
        copies.mkdir(parents=True)
        shutil.copy2(built, copies / built.name)
    wheel = newest(str(copies / "jiko_onboarding-*.whl"))
    if wheel is None:
        failures.append("no wheel in target/wheels")
        return None
    size["wheel"] = wheel.stat().st_size
    python = VENV / "bin" / "python"
    if skip_build and python.exists():
        return python
    shutil.rmtree(VENV, ignore_errors=True)
    if run(["python3", "-m", "venv", str(VENV)]) is None:
        return None
    versions = dict(
        line.split("=", 1)
        for line in (ROOT / "scripts" / "versions.env").read_text().splitlines()
        if "=" in line and not line.startswith("#")
    )
    # httpx: AsyncOnboarding's transport, and the bulk reference's client.
    if run([str(VENV / "bin" / "pip"), "install", "-q", str(wheel), f"httpx=={versions['HTTPX_VERSION']}"]) is None:
        return None
    return python


def build_node(skip_build: bool) -> pathlib.Path | None:
    """The npm package, packed and installed into a scratch project; returns the
    tarball."""
    if not skip_build and run(["make", "-C", "bindings-wasm", "package"]) is None:
        return None
    pkg = ROOT / "bindings-wasm" / "pkg"
    if not (pkg / "package.json").exists():
        failures.append("bindings-wasm/pkg/package.json is missing")
        return None
    for name, wasm in (("wasm", PACKAGE_WASM), ("browser_wasm", BROWSER_WASM)):
        if wasm.exists():
            data = wasm.read_bytes()
            size[f"{name}_raw"] = len(data)
            size[f"{name}_gzip"] = len(gzip.compress(data, compresslevel=9, mtime=0))
    shutil.rmtree(NODE_PROJECT, ignore_errors=True)
    NODE_PROJECT.mkdir(parents=True)
    packed = run(
        ["npm", "pack", "--silent", "--pack-destination", str(SCRATCH)], cwd=pkg, capture=True
    )
    if packed is None or not packed.stdout.strip():
        return None
    tarball = SCRATCH / packed.stdout.strip().splitlines()[-1]
    size["npm_tarball"] = tarball.stat().st_size
    (NODE_PROJECT / "package.json").write_text(
        '{ "private": true, "name": "jiko-onboarding-bench", "type": "module" }\n'
    )
    if (
        run(
            ["npm", "install", "--silent", "--no-audit", "--no-fund", "--prefer-offline", str(tarball)],
            cwd=NODE_PROJECT,
        )
        is None
    ):
        return None
    return tarball


def mobile_profile_dir(profile: str) -> str:
    return "debug" if profile == "dev" else profile


def build_mobile(skip_build: bool, profile: str) -> bool:
    makefile = ROOT / "bindings-mobile" / "Makefile"
    if not makefile.exists() or not re.search(r"^static-libs:", makefile.read_text(), re.M):
        notes.append(
            "mobile static libraries: bindings-mobile/Makefile has no `static-libs` target; skipped"
        )
        return False
    if not skip_build and run(["make", "-C", "bindings-mobile", "static-libs", f"PROFILE={profile}"]) is None:
        return False
    for t in ANDROID_TARGETS + IOS_TARGETS:
        lib = static_library(t, profile)
        if lib is None:
            notes.append(f"no {MOBILE_LIB} for {t} was found after the build")
        else:
            size[f"staticlib:{t}"] = lib.stat().st_size
    return True


# --- benchmarks -----------------------------------------------------------------------


def bench_native() -> list[dict[str, Any]]:
    done = run(["cargo", "bench", "-p", "jiko-onboarding", "--bench", "native"], capture=True)
    return json_lines(done.stdout, "cargo bench") if done else []


def bench_python(python: pathlib.Path | None, quick: bool, native_sign_us: float | None) -> list[dict[str, Any]]:
    script = BENCH / "python_bench.py"
    if not script.exists():
        notes.append("bench/python_bench.py does not exist yet: the Python figures are missing")
        return []
    if python is None:
        notes.append("the Python benchmarks did not run: the wheel or its venv could not be built")
        return []
    cmd = [str(python), str(script)]
    if quick:
        cmd.append("--quick")
    if native_sign_us:
        cmd += ["--native-sign-us", str(native_sign_us)]
    done = run(cmd, capture=True)
    if done and done.stderr:
        sys.stderr.write(done.stderr)
    return json_lines(done.stdout, "python_bench.py") if done else []


def bench_node(tarball: pathlib.Path | None, quick: bool) -> list[dict[str, Any]]:
    script = BENCH / "node_bench.mjs"
    if not script.exists():
        notes.append("bench/node_bench.mjs does not exist yet: the Node figures are missing")
        return []
    if tarball is None:
        notes.append("the Node benchmarks did not run: the npm package could not be built")
        return []
    for f in ("node_bench.mjs", "reference_node.mjs", "broken_applications.json"):
        if (BENCH / f).exists():
            shutil.copy2(BENCH / f, NODE_PROJECT / f)
    env = dict(ENV)
    env["JIKO_PKG_DIR"] = str(NODE_PROJECT / "node_modules" / "jiko-onboarding")
    env["JIKO_REPO_ROOT"] = str(ROOT)
    env["JIKO_TOOLS"] = str(TARGET / "tools" / "node")
    cmd = ["node", "node_bench.mjs"] + (["--quick"] if quick else [])
    done = run(cmd, cwd=NODE_PROJECT, capture=True, env=env)
    if done and done.stderr:
        sys.stderr.write(done.stderr)
    return json_lines(done.stdout, "node_bench.mjs") if done else []


BULK_FLOWS, BULK_IN_FLIGHT = 2000, 200
BULK_RATIO_MIN = 0.9  # the SDK's applicants per second over the hand-written flow's
SNAPSHOT_MAX_BYTES = 1 * KB


BULK_READING = [
    "## Reading the bulk figures",
    "",
    "- Both sides of a bulk comparison send the same requests (the simulator's "
    "`/_simulator/stats` counts them) with the same HTTP client and the same per-request "
    "timeout; the references are labelled as such at the top of bench/bulk_python.py and "
    "bench/bulk_node.mjs. The simulator (a release build, a fresh one per run) shares the two "
    "cores with the client, so a run measures the client's CPU per applicant more than any network.",
    "- Python: both sides are bound by httpx's connection pool, not by the SDK. With 200 "
    "requests in flight, httpcore assigns queued requests to connections by scanning all of "
    "them on every change, which takes most of the process's CPU (`python -m cProfile -s "
    "tottime bench/bulk_python.py --base-url URL --mode sdk --flows 600`: "
    "`connection_pool.py:_assign_requests_to_connections` first; the flow engine's "
    "`handle_response` well under 1%). A team onboarding at volume in Python should cap the "
    "requests in flight per client (fewer flows per `AsyncOnboarding`, or several of them) "
    "or cap its pool (docs/python.md, \"Volume\"); the row \"spread over 4\" measures the first.",
    "- Node: fetch has no timeout of its own, so the reference sets the SDK's (an abort "
    "signal per request); the row \"without a per-request timeout\" shows what that costs.",
    "",
]


def bench_bulk(python: pathlib.Path | None, tarball: pathlib.Path | None, quick: bool) -> list[dict[str, Any]]:
    """Bulk onboarding (issue 20): the Python AsyncOnboarding and the Node Onboarding, each
    beside its hand-written reference flow (bench/bulk_python.py, bench/bulk_node.mjs),
    against a fresh release build of the simulator per run; reference and SDK alternate,
    twice (once with --quick), and the better of each is kept."""
    if run(["cargo", "build", "--release", "-p", "jiko-sandbox"]) is None:
        return []
    flows = 400 if quick else BULK_FLOWS
    clients: list[tuple[str, list[str], pathlib.Path, dict[str, str]]] = []
    if python is not None:
        clients.append(("python", [str(python), str(BENCH / "bulk_python.py")], ROOT, dict(ENV)))
    if tarball is not None:
        shutil.copy2(BENCH / "bulk_node.mjs", NODE_PROJECT / "bulk_node.mjs")
        env = dict(ENV)
        env["JIKO_PKG_DIR"] = str(NODE_PROJECT / "node_modules" / "jiko-onboarding")
        env["JIKO_REPO_ROOT"] = str(ROOT)
        clients.append(("node", ["node", "bulk_node.mjs"], NODE_PROJECT, env))
    best: dict[tuple[str, str], dict[str, Any]] = {}
    for _ in range(1 if quick else 2):
        for language, cmd, cwd, env in clients:
            modes = ("reference", "reference-no-timeout", "sdk") if language == "node" else ("reference", "sdk", "sdk-4")
            for mode in modes:
                simulator = subprocess.Popen(
                    [str(TARGET / "release" / "jiko-sandbox"), "--port", "0", "--max-connections", "1024"],
                    stdout=subprocess.PIPE, stderr=subprocess.DEVNULL, text=True,
                )
                try:
                    url = (simulator.stdout.readline() if simulator.stdout else "").strip().removeprefix("listening on ")
                    args = ["--base-url", url, "--mode", mode, "--flows", str(flows), "--in-flight", str(BULK_IN_FLIGHT)]
                    done = run(cmd + args, cwd=cwd, capture=True, env=env)
                finally:
                    simulator.kill()
                    simulator.wait()
                for line in json_lines(done.stdout, f"bulk {language} {mode}") if done else []:
                    previous = best.get((language, mode))
                    if previous is None or line["applicants_per_s"] > previous["applicants_per_s"]:
                        best[(language, mode)] = line
    return list(best.values())


def static_library(rust_target: str, profile: str) -> pathlib.Path | None:
    """The newest static library for the target: <build dir>/<t>/<profile>/, or a
    separate target folder such as <build dir>/build-std/<t>/<profile>/ (bindings-mobile builds the
    iOS simulator's std from source there when rustup has none)."""
    sub = f"{rust_target}/{mobile_profile_dir(profile)}/{MOBILE_LIB}"
    found = [p for p in [TARGET / sub, *TARGET.glob(f"*/{sub}")] if p.is_file()]
    return max(found, key=lambda p: p.stat().st_mtime) if found else None


# --- the table ------------------------------------------------------------------------


def key(name: str) -> str:
    """`createApplication`, `create_application` -> `createapplication`."""
    return re.sub(r"[^a-z0-9]", "", str(name).lower())


def find(results: list[dict[str, Any]], language: str, *names: str) -> dict[str, Any] | None:
    wanted = {key(n) for n in names}
    for r in results:
        if str(r.get("language", "")).lower() == language and key(r.get("name", "")) in wanted:
            return r
    return None


def us(value: Any) -> str:
    return f"{float(value):.2f} µs"


def size_text(n: int) -> str:
    if n >= 1_000_000:
        return f"{n:,} B ({n / 1_000_000:.2f} MB)"
    return f"{n:,} B ({n / KB:.1f} KB)"


Row = tuple[str, str, str, str]  # figure, value, target, met


def table(results: list[dict[str, Any]], size: dict[str, int]) -> list[Row]:
    rows: list[Row] = []
    used: set[int] = set()

    def mark(r: dict[str, Any] | None) -> dict[str, Any] | None:
        if r is not None:
            used.add(id(r))
        return r

    def verdict(ok: bool) -> str:
        return "yes" if ok else "**no**"

    # Targets first, in the order.
    py_create = mark(find(results, "python", "create_application"))
    target = f">= {PYTHON_CREATE_MIN_SPEEDUP:g}x faster"
    if py_create:
        speedup = float(py_create["reference_us"]) / float(py_create["sdk_us"])
        rows.append((
            "Python `create_application` (dict) vs pure-Python reference",
            f"{us(py_create['sdk_us'])} vs {us(py_create['reference_us'])}: {speedup:.2f}x faster",
            target,
            verdict(speedup >= PYTHON_CREATE_MIN_SPEEDUP),
        ))
    else:
        rows.append(("Python `create_application` vs pure-Python reference", "missing", target, "n/a"))

    py_sign = mark(find(results, "python", "sign_1kb"))
    # Not marked: the native floor also gets its own row below.
    rust_sign = find(results, "rust", "sign_1kb")
    if py_sign and rust_sign:
        factor = float(py_sign["sdk_us"]) / float(rust_sign["sdk_us"])
        rows.append((
            "Python `Signer.sign` 1 KB vs native Rust `sign_1kb`",
            f"{us(py_sign['sdk_us'])} vs {us(rust_sign['sdk_us'])}: {factor:.2f}x",
            "<= 1.5x native",
            verdict(factor <= 1.5),
        ))
    else:
        rows.append(("Python `Signer.sign` 1 KB vs native Rust", "missing", "<= 1.5x native", "n/a"))

    node_create = mark(find(results, "node", "createApplication", "create_application"))
    target = f"<= {NODE_CREATE_MAX_US:g} µs per call"
    if node_create:
        rows.append((
            "Node `createApplication` (object), per call",
            f"{us(node_create['sdk_us'])} (hand-written JavaScript: {us(node_create['reference_us'])})",
            target,
            verdict(float(node_create["sdk_us"]) <= NODE_CREATE_MAX_US),
        ))
    else:
        rows.append(("Node `createApplication`", "missing", target, "n/a"))

    target = f"<= {BROWSER_WASM_MAX_GZIP_BYTES:,} B"
    if "browser_wasm_gzip" in size:
        rows.append((
            "`jiko-onboarding/browser` `.wasm` gzipped (gzip -9)",
            size_text(size["browser_wasm_gzip"]),
            target,
            verdict(size["browser_wasm_gzip"] <= BROWSER_WASM_MAX_GZIP_BYTES),
        ))
    else:
        rows.append((
            "`jiko-onboarding/browser` `.wasm` gzipped (gzip -9)",
            f"missing: no {os.path.relpath(BROWSER_WASM, ROOT)} yet (issue 16 item 3)",
            target,
            "n/a",
        ))

    target = f"<= {WHEEL_MAX_BYTES:,} B"
    if "wheel" in size:
        rows.append(("wheel", size_text(size["wheel"]), target, verdict(size["wheel"] <= WHEEL_MAX_BYTES)))
    else:
        rows.append(("wheel", "missing", target, "n/a"))
    mark(find(results, "python", "wheel"))  # the same file, measured here

    imp = mark(find(results, "python", "import"))
    if imp and "ms" in imp:
        rows.append((
            "`import jiko_onboarding` (over a bare interpreter)",
            f"{float(imp['ms']):.2f} ms",
            "< 20 ms",
            verdict(float(imp["ms"]) < 20),
        ))
    else:
        rows.append(("`import jiko_onboarding`", "missing", "< 20 ms", "n/a"))

    inst = mark(find(results, "node", "wasm_instantiate", "instantiate", "wasm_instantiation"))
    if inst and "ms" in inst:
        rows.append((
            "wasm load + instantiate in Node (`require` of the Node loader; Node's module loader already warm)",
            f"{float(inst['ms']):.2f} ms",
            "< 10 ms",
            verdict(float(inst["ms"]) < 10),
        ))
    else:
        rows.append(("wasm instantiation in Node", "missing", "< 10 ms", "n/a"))

    # Then every other figure, without a target.
    for r in results:
        if id(r) in used or r.get("name") == "bulk_onboarding":
            continue
        label = f"{r.get('language', '?')} `{r.get('name', '?')}`"
        if "sdk_us" in r and "reference_us" in r:
            ratio = r.get("ratio", float(r["sdk_us"]) / float(r["reference_us"]))
            value = f"{us(r['sdk_us'])} vs reference {us(r['reference_us'])} (ratio {float(ratio):.2f})"
        elif "ms" in r:
            value = f"{float(r['ms']):.2f} ms"
        elif "bytes" in r:
            value = size_text(int(r["bytes"]))
        else:
            value = json.dumps({k: v for k, v in r.items() if k not in ("language", "name", "source")})
        rows.append((label, value, "", ""))
    if "wasm_gzip" in size:
        rows.append((
            "the server entry's `.wasm` (Node, Deno, Bun, edge runtimes)",
            f"{size_text(size['wasm_raw'])} raw, {size_text(size['wasm_gzip'])} gzipped",
            "",
            "",
        ))
    for language, what, client in (
        ("python", "Python `AsyncOnboarding`", "httpx"),
        ("node", "Node `Onboarding`", "fetch"),
    ):
        sdk = mark(next((r for r in results if r.get("name") == "bulk_onboarding"
                         and r.get("language") == language and r.get("mode") == "sdk"), None))
        ref = mark(next((r for r in results if r.get("name") == "bulk_onboarding"
                         and r.get("language") == language and r.get("mode") == "reference"), None))
        label = f"{what}: bulk onboarding ({BULK_FLOWS:,} applicants, {BULK_IN_FLIGHT} in flight) vs a hand-written {client} flow"
        if sdk and ref:
            ratio = float(sdk["applicants_per_s"]) / float(ref["applicants_per_s"])
            rows.append((label, f"{sdk['applicants_per_s']} vs {ref['applicants_per_s']} applicants/s: ratio {ratio:.2f}"
                         f" ({sdk['flows']} applicants)", f">= {BULK_RATIO_MIN:g}", verdict(ratio >= BULK_RATIO_MIN)))
            bare = next((r for r in results if r.get("name") == "bulk_onboarding"
                         and r.get("language") == language and r.get("mode") == "reference-no-timeout"), None)
            if bare:
                rows.append((f"{what}: the same, against the {client} flow without a per-request timeout",
                             f"{sdk['applicants_per_s']} vs {bare['applicants_per_s']} applicants/s: ratio "
                             f"{float(sdk['applicants_per_s']) / float(bare['applicants_per_s']):.2f}", "", ""))
            spread = next((r for r in results if r.get("name") == "bulk_onboarding"
                           and r.get("language") == language and r.get("mode") == "sdk-4"), None)
            if spread:
                rows.append((f"{what}: the same flows spread over 4 `AsyncOnboarding` (50 in flight on each client)",
                             f"{spread['applicants_per_s']} applicants/s", "", ""))
            rows.append((f"{what}: peak memory per in-flight flow (reference beside it)",
                         f"{sdk['kb_per_in_flight_flow']} KB vs {ref['kb_per_in_flight_flow']} KB", "", ""))
            snapshot = sdk.get("snapshot_bytes_max")
            rows.append((f"{what}: snapshot size (mean, max)",
                         f"{sdk.get('snapshot_bytes_mean')} B, {snapshot} B", f"<= {size_text(SNAPSHOT_MAX_BYTES)}",
                         verdict(snapshot is not None and snapshot <= SNAPSHOT_MAX_BYTES)))
        else:
            rows.append((label, "missing", f">= {BULK_RATIO_MIN:g}", "n/a"))
    if "npm_tarball" in size:
        rows.append(("npm tarball", size_text(size["npm_tarball"]), "", ""))
    for k, v in sorted(size.items()):
        if k.startswith("staticlib:"):
            t = k.split(":", 1)[1]
            kind = "Android" if "android" in t else "iOS"
            rows.append((f"{kind} static library ({t})", size_text(v), "", ""))
    return rows


def render(rows: list[Row]) -> str:
    header = ("figure", "value", "target", "met")
    lines = ["| " + " | ".join(header) + " |", "| --- | --- | --- | --- |"]
    for row in rows:
        lines.append("| " + " | ".join(c.replace("|", "\\|") for c in row) + " |")
    return "\n".join(lines)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--quick", action="store_true", help="shorter benchmark runs")
    parser.add_argument("--skip-build", action="store_true", help="use the artifacts already built")
    parser.add_argument("--no-mobile", action="store_true", help="skip the mobile static libraries")
    parser.add_argument(
        "--mobile-profile",
        default=os.environ.get("BENCH_MOBILE_PROFILE", "release"),
        choices=["dev", "release"],
        help="cargo profile of the static libraries (default release, what an app ships)",
    )
    parser.add_argument("--output", default=str(ROOT / "BENCHMARKS.md"))
    args = parser.parse_args()

    started = time.time()
    host = machine()
    SCRATCH.mkdir(parents=True, exist_ok=True)

    log("building the Python wheel and a venv with it")
    python = build_python(args.skip_build)
    log("building and packing the npm package")
    tarball = build_node(args.skip_build)
    if args.no_mobile or os.environ.get("BENCH_MOBILE") == "0":
        notes.append("mobile static libraries: skipped (--no-mobile)")
    else:
        log(f"building the mobile static libraries ({args.mobile_profile})")
        build_mobile(args.skip_build, args.mobile_profile)

    results: list[dict[str, Any]] = []
    log("the native floor: cargo bench")
    results += bench_native()
    rust_sign = find(results, "rust", "sign_1kb")
    log("Python benchmarks")
    results += bench_python(python, args.quick, float(rust_sign["sdk_us"]) if rust_sign else None)
    log("Node benchmarks")
    results += bench_node(tarball, args.quick)
    log("bulk onboarding: the Python and Node drivers beside hand-written flows")
    results += bench_bulk(python, tarball, args.quick)

    rows = table(results, size)
    text = render(rows)
    print()
    print(text)
    print()
    for n in notes:
        print(f"note: {n}")
    for f in failures:
        print(f"FAILED: {f}")

    versions = {
        "rustc": tool_version(["rustc", "--version"]),
        "cargo": tool_version(["cargo", "--version"]),
        "python (venv)": tool_version([str(python) if python else "python3", "--version"]),
        "node": tool_version(["node", "--version"]),
        "npm": tool_version(["npm", "--version"]),
    }
    commit = tool_version(["git", "-C", str(ROOT), "rev-parse", "--short", "HEAD"])
    # The file being rewritten does not count as a change.
    dirty = subprocess.run(
        ["git", "-C", str(ROOT), "status", "--porcelain", "--", ".", f":(exclude){os.path.relpath(args.output, ROOT)}"],
        text=True, capture_output=True, check=False,
    ).stdout.strip()
    end_load = machine()["load"]
    minutes = (time.time() - started) / 60
    when = datetime.datetime.now(datetime.timezone.utc).strftime("%Y-%m-%d %H:%M UTC")

    md = [
        "# Benchmarks",
        "",
        f"Written by `make bench` (bench/run.py) on {when}, from commit {commit}"
        f"{' with uncommitted changes' if dirty else ''}; the run took {minutes:.1f} minutes.",
        "Each comparison runs the SDK and a hand-written reference (bench/reference_*.py, "
        "bench/reference_node.mjs, and the reference in core/benches/native.rs) in the same "
        "process, alternating, after a warm-up, and reports medians; ratio = SDK / reference. "
        "Nothing here is a test: no time is asserted. KB = 1,000 bytes.",
        "",
        text,
        "",
    ]
    if notes or failures:
        md += ["Notes:", ""]
        md += [f"- {n}" for n in notes]
        md += [f"- FAILED: {f}" for f in failures]
        md += [""]
    md += BULK_READING + [
        "## Machine",
        "",
        f"- CPUs (nproc): {host['nproc']}",
        f"- CPU model: {host['cpu']}",
        f"- memory: {host['memory']}",
        f"- OS: {host['os']}",
        f"- load average (1, 5, 15 min) at the start: {host['load']}; at the end: {end_load}. "
        "The machine is shared with other builds, so times carry that noise.",
        "",
        "## Tools",
        "",
    ]
    md += [f"- {k}: {v}" for k, v in versions.items()]
    md += ["", "## Commands", "", "```sh", "make bench    # python3 bench/run.py"]
    md += commands
    md += ["```", ""]
    pathlib.Path(args.output).write_text("\n".join(md))
    log(f"wrote {os.path.relpath(args.output, ROOT)}")
    return 1 if failures else 0


if __name__ == "__main__":
    sys.exit(main())
