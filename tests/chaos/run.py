#!/usr/bin/env python3
"""make chaos: thousands of onboardings through every driver against a faulty simulator.

For each driver (Rust, Python AsyncOnboarding, Node) and each reading of a repeated
idempotency key (replay, reject), a fresh simulator is started with every request fault
kind at a few percent and webhook faults on; the driver's chaos client onboards N
applicants across every sandbox scenario of the guide (half woken by webhooks, half
polling; a share killed at a random moment and resumed from its snapshot in a new
Onboarding) and prints a JSON report; the simulator's /_simulator/stats is read after.

Checked, for every run: each applicant ended as the guide says for its SSN (or, under
`reject` only, with create_outcome_unknown naming its key); no identification number has
more than one application; no flow was lost (every application the simulator holds
belongs to a flow that knows it, but for Creates of unknown outcome); every approved flow
got its routing and account numbers. Seeds are printed; `--seed` reproduces a run's
faults and choices (thread timing aside).

    python3 tests/chaos/run.py [--flows 2000] [--concurrency 200] [--seed N]
                               [--drivers rust,python,node] [--modes replay,reject]
                               [--profile release|debug]
"""
import argparse
import json
import os
import pathlib
import subprocess
import sys
import time
import urllib.request

ROOT = pathlib.Path(__file__).resolve().parents[2]
TARGET = pathlib.Path(os.environ.get("CARGO_TARGET_DIR", ROOT / "target"))
FAULTS = ",".join(
    [f"{kind}=0.02" for kind in ("lost_response", "server_error", "unavailable", "rate_limit", "reset", "token_revoked")]
    + [f"{kind}=0.05" for kind in ("webhook_duplicate", "webhook_delay", "webhook_reorder")]
)
WEBHOOK_SECRET = "chaos-webhook-shared-secret-0123456789"


def clients(args):
    """How to run each driver's chaos client, given the simulator's base URL."""
    common = ["--flows", str(args.flows), "--concurrency", str(args.concurrency), "--seed", str(args.seed),
              "--kill-share", str(args.kill_share), "--webhook-secret", WEBHOOK_SECRET]
    python = os.environ.get("JIKO_CHAOS_PYTHON") or python_env() if "python" in args.drivers else ""
    return {
        "rust": lambda url: [str(TARGET / args.profile / "jiko-chaos"), "--base-url", url, *common],
        "python": lambda url: [python, str(ROOT / "tests" / "chaos" / "python_chaos.py"), "--base-url", url, *common],
        "node": lambda url: ["node", str(ROOT / "tests" / "chaos" / "node_chaos.mjs"), "--base-url", url, *common],
    }


def python_env():
    """A venv with the newest built wheel and httpx (AsyncOnboarding's transport), made
    again when the wheel changed."""
    wheels = sorted((TARGET / "wheels").glob("jiko_onboarding-*.whl"), key=lambda p: p.stat().st_mtime)
    if not wheels:
        raise SystemExit("no wheel in target/wheels: run make -C bindings-python wheel")
    venv, marker = TARGET / "venv-chaos", TARGET / "venv-chaos" / "wheel.txt"
    stamp = f"{wheels[-1].name} {wheels[-1].stat().st_mtime_ns}"
    if not marker.exists() or marker.read_text() != stamp:
        versions = dict(line.split("=", 1) for line in (ROOT / "scripts" / "versions.env").read_text().splitlines()
                        if "=" in line and not line.startswith("#"))
        subprocess.run([sys.executable, "-m", "venv", "--clear", str(venv)], check=True)
        subprocess.run([str(venv / "bin" / "pip"), "install", "-q", str(wheels[-1]), f"httpx=={versions['HTTPX_VERSION']}"],
                       check=True)
        marker.write_text(stamp)
    return str(venv / "bin" / "python")


def start_simulator(mode, seed, profile):
    process = subprocess.Popen(
        [str(TARGET / profile / "jiko-sandbox"), "--port", "0", "--idempotency", mode, "--seed", str(seed),
         "--faults", FAULTS, "--decide-after-ms", "300", "--max-connections", "1024"],
        stdout=subprocess.PIPE, stderr=subprocess.DEVNULL, text=True)
    line = process.stdout.readline().strip()
    if not line.startswith("listening on "):
        process.kill()
        raise SystemExit(f"the simulator did not start: {line!r}")
    return process, line.removeprefix("listening on ")


def check(report, stats, mode, flows):
    """The problems of one run (an empty list when it passed)."""
    problems = []
    ids = stats["identification_numbers"]
    if ids["with_more_than_one_application"] != 0 or set(ids["applications_per_identification_number"]) - {"1"}:
        problems.append(f"duplicated applications: {ids}")
    if report["mismatches"]:
        problems.append(f"{len(report['mismatches'])} flows did not end as the guide says: {report['mismatches'][:5]}")
    unknown = report["create_outcome_unknown"]
    if mode == "replay" and unknown:
        problems.append(f"{len(unknown)} create_outcome_unknown under replay")
    if any(not key for key in unknown):
        problems.append("a create_outcome_unknown without its idempotency key")
    settled = sum(sum(v.values()) for v in report["by_scenario"].values())
    lost = flows - settled
    if lost:
        problems.append(f"{lost} flows lost (no final state)")
    extra = stats["applications"]["total"] - report["with_application"]
    if not 0 <= extra <= len(unknown):
        problems.append(f"{extra} applications no flow knows (creates of unknown outcome: {len(unknown)})")
    approved = sum(v.get("approved", 0) for v in report["by_scenario"].values())
    if report["approved_with_numbers"] != approved:
        problems.append(f"{approved - report['approved_with_numbers']} approved flows without deposit instructions")
    return problems, lost


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--flows", type=int, default=2000)
    parser.add_argument("--concurrency", type=int, default=200)
    parser.add_argument("--seed", type=int, default=int(time.time()) % 1_000_000)
    parser.add_argument("--kill-share", type=float, default=0.1)
    parser.add_argument("--drivers", default="rust,python,node")
    parser.add_argument("--modes", default="replay,reject")
    parser.add_argument("--profile", default="release", choices=["release", "debug"],
                        help="the cargo profile of the simulator and the Rust client")
    args = parser.parse_args()
    print(f"chaos: {args.flows} applicants per run, up to {args.concurrency} in flight, seed {args.seed}, "
          f"faults {FAULTS}, kill share {args.kill_share}", flush=True)
    runs, failed = [], False
    for driver in args.drivers.split(","):
        for mode in args.modes.split(","):
            simulator, url = start_simulator(mode, args.seed, args.profile)
            try:
                started = time.monotonic()
                out = subprocess.run(clients(args)[driver](url), capture_output=True, text=True, timeout=3600)
                wall = time.monotonic() - started
                with urllib.request.urlopen(url + "/_simulator/stats", timeout=30) as answer:
                    stats = json.load(answer)
            finally:
                simulator.kill()
                simulator.wait()
            if out.returncode != 0:
                print(f"[{driver}/{mode}] the client failed ({out.returncode}): {out.stderr[-2000:]}")
                failed = True
                continue
            report = json.loads(out.stdout.strip().splitlines()[-1])
            problems, lost = check(report, stats, mode, args.flows)
            failed |= bool(problems)
            runs.append((driver, mode, report, stats, lost, wall, problems))
            print_run(driver, mode, report, stats, lost, wall, problems)
    if failed:
        print(f"chaos: FAILED; reproduce with: python3 tests/chaos/run.py --seed {args.seed} "
              f"--flows {args.flows} --concurrency {args.concurrency} --drivers {args.drivers} --modes {args.modes}")
        return 1
    print(f"chaos: every run passed ({len(runs)} runs, seed {args.seed})")
    return 0


def print_run(driver, mode, report, stats, lost, wall, problems):
    print(f"\n== {driver} driver, --idempotency {mode}: {report['flows']} applicants in {wall:.1f} s "
          f"({report['flows'] / wall:.0f}/s)")
    for scenario, finals in sorted(report["by_scenario"].items()):
        print(f"   SSN {scenario:<28} {dict(sorted(finals.items()))}")
    ids = stats["identification_numbers"]
    print(f"   applications per identification number: {ids['applications_per_identification_number']} "
          f"(simulator: {stats['applications']['total']} applications, {ids['distinct']} people)")
    print(f"   flows lost: {lost}; killed and resumed from a snapshot: {report['killed_and_resumed']}; "
          f"flow duration ms {report.get('flow_ms')}")
    print(f"   create_outcome_unknown: {len(report['create_outcome_unknown'])} "
          f"(keys named: {sum(1 for k in report['create_outcome_unknown'] if k)})")
    print(f"   retries by reason: {report['retries_by_reason']}")
    print(f"   replays served: {stats['replays_served']}; faults injected: "
          f"{ {k: v for k, v in stats['faults_injected'].items() if v} }")
    print(f"   webhooks: simulator {stats['webhooks']}, receiver {report.get('webhooks')}")
    for problem in problems:
        print(f"   PROBLEM: {problem}")
    print(f"   => {'FAILED' if problems else 'passed'}", flush=True)


if __name__ == "__main__":
    sys.exit(main())
