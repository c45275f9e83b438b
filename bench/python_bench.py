#!/usr/bin/env python3
"""Python benchmarks of jiko_onboarding against the hand-written reference.

Run it with the wheel installed (the test venv of `make -C bindings-python test`):

    target/venv-test/bin/python bench/python_bench.py [--quick] [--native-sign-us 0.84]

(the venv is in CARGO_TARGET_DIR instead of target/ when that is set).

Each comparison runs the SDK and the pure-Python reference (bench/reference_python.py,
clearly labelled as a reference) in this one process: a warm-up, then rounds that
alternate the two sides, each round timing a batch of calls with the garbage collector
off (as `timeit` does). It reports the medians over the rounds and their ratio
(`ratio` = sdk_us / reference_us, as the Rust bench does: below 1 the SDK is faster).

The clock is the thread's CPU time (`time.thread_time`, user and system time, so the
getrandom and other system calls count) unless `--clock wall` is given: on a shared
machine (the 2-core build machine runs other builds at the same time) wall time also
counts the time spent waiting for a core, and its medians drift by 2x or more. On an
idle machine the two agree. Import time is measured the same way: the CPU time of
fresh interpreters (from getrusage), `import jiko_onboarding` minus a bare one.

stdout: one JSON object per line, for bench/run.py to collect:

    {"language":"python","name":"create_application","sdk_us":..,"reference_us":..,"ratio":..}
    {"language":"python","name":"import","ms":..}
    {"language":"python","name":"wheel","bytes":..}

stderr: the same figures for a person, with their targets. Nothing here is a test:
no time is asserted, and the exit status does not depend on the figures.
"""

from __future__ import annotations

import argparse
import datetime
import gc
import glob
import json
import os
import pathlib
import resource
import statistics
import subprocess
import sys
import time
from typing import Any, Callable

HERE = pathlib.Path(__file__).resolve().parent
ROOT = HERE.parent
sys.path.insert(0, str(HERE))

import reference_python as reference  # noqa: E402  (the REFERENCE, not the SDK)

import jiko_onboarding as jiko  # noqa: E402

BASE_URL = "https://acme.sandbox-api.jikoservices.com"
SECRET = "bench-shared-secret"
TOKEN = "bench-token-0123456789"
KEY = "123e4567-e89b-42d3-a456-426614174000"
PATH = "/api/v1/applications/"
TODAY = datetime.date(2026, 11, 27)

# The guide's example applicant, as a partner's form handler would hold it.
APPLICATION: dict[str, Any] = {
    "identification_number": "400000000",
    "name": {"first_name": "Jiko", "last_name": "Customer"},
    "email": "jiko@example.com",
    "phone_number": "+15551234567",
    "date_of_birth": "1970-01-01",
    "investment_profile": {
        "employment_status": "EMPLOYED",
        "occupation": "Investor",
        "income": "BETWEEN_100K_AND_250K",
        "net_worth": "BETWEEN_1M_AND_5M",
    },
    "agreement_consent": {"version": "1", "timestamp": "2026-11-27T10:00:00+00:00"},
    "address": {
        "street_address": "2000 Allston Way",
        "city": "Berkeley",
        "postal_code": "94701",
        "state": "CA",
        "country": "US",
    },
}

# A Get Application answer with documents needed: the response a poll loop parses.
APPLICATION_RESPONSE = json.dumps(
    {
        "id": "3f2504e0-4f89-41d3-9a0c-0305e82c3301",
        "status": "DOCUMENTS_NEEDED",
        "time_created": "2026-11-27T10:00:00+00:00",
        "updated_at": "2026-11-27T10:05:00+00:00",
        "name": APPLICATION["name"],
        "email": APPLICATION["email"],
        "phone_number": "15551234567",
        "date_of_birth": {"date_of_birth": APPLICATION["date_of_birth"]},
        "investment_profile": APPLICATION["investment_profile"],
        "agreement_consent": APPLICATION["agreement_consent"],
        "address": APPLICATION["address"],
        "citizenship_country": "US",
        "documents": [
            {"id": "d1", "type": "ID_FRONT", "status": "PENDING_UPLOAD"},
            {"id": "d2", "type": "ID_BACK", "status": "PENDING_UPLOAD"},
            {"id": "d3", "type": "SELFIE", "status": "PENDING_UPLOAD"},
        ],
        "exception_reasons": [],
        "id_verification_documents_needed": True,
        "identification_number_verification_document_needed": False,
        "address_verification_document_needed": False,
    }
).encode()

BODY_1KB = bytes(range(256)) * 4


CLOCK: Callable[[], float] = time.thread_time


def batch_us(fn: Callable[[], Any], n: int) -> float:
    """Microseconds per call of fn, over one batch of n calls, with the GC off."""
    gc_was_on = gc.isenabled()
    gc.disable()
    try:
        start = CLOCK()
        for _ in range(n):
            fn()
        return (CLOCK() - start) / n * 1e6
    finally:
        if gc_was_on:
            gc.enable()


def batch_size(fn: Callable[[], Any], seconds: float) -> int:
    """A batch that takes about `seconds`."""
    n = 1
    while True:
        took = batch_us(fn, n) * n / 1e6
        if took >= seconds / 4 or n >= 1 << 22:
            return max(1, int(n * seconds / max(took, 1e-9)))
        n *= 4


def compare(
    name: str, sdk: Callable[[], Any], ref: Callable[[], Any], rounds: int, seconds: float
) -> dict[str, Any]:
    """Warm-up, then `rounds` alternating batches of each side; medians and their ratio."""
    n = max(batch_size(sdk, seconds), batch_size(ref, seconds))
    for _ in range(2):  # warm-up: caches, allocator, branch predictors
        batch_us(sdk, n)
        batch_us(ref, n)
    sdk_runs, ref_runs = [], []
    for i in range(rounds):
        # Alternate which side goes first, so drift in the machine's load hits both.
        if i % 2 == 0:
            sdk_runs.append(batch_us(sdk, n))
            ref_runs.append(batch_us(ref, n))
        else:
            ref_runs.append(batch_us(ref, n))
            sdk_runs.append(batch_us(sdk, n))
    sdk_us = statistics.median(sdk_runs)
    ref_us = statistics.median(ref_runs)
    return {
        "language": "python",
        "name": name,
        "sdk_us": round(sdk_us, 3),
        "reference_us": round(ref_us, 3),
        "ratio": round(sdk_us / ref_us, 3),
        "clock": "wall" if CLOCK is time.perf_counter else "cpu",
    }


def import_ms(rounds: int) -> dict[str, Any]:
    """`import jiko_onboarding` in fresh interpreters, minus a bare interpreter: the
    median wall time of each, alternating, and their difference."""
    env = dict(os.environ, PYTHONDONTWRITEBYTECODE="1")
    env.pop("PYTHONPATH", None)
    bare = [sys.executable, "-I", "-c", "pass"]
    with_sdk = [sys.executable, "-I", "-c", "import jiko_onboarding"]

    def run(cmd: list[str]) -> float:
        if CLOCK is time.perf_counter:
            start = time.perf_counter()
            subprocess.run(cmd, check=True, env=env, cwd="/")
            return (time.perf_counter() - start) * 1000
        before = resource.getrusage(resource.RUSAGE_CHILDREN)
        subprocess.run(cmd, check=True, env=env, cwd="/")
        after = resource.getrusage(resource.RUSAGE_CHILDREN)
        return (after.ru_utime - before.ru_utime + after.ru_stime - before.ru_stime) * 1000

    for _ in range(3):  # warm the page cache and the .pyc files
        run(bare)
        run(with_sdk)
    bare_runs, sdk_runs = [], []
    for i in range(rounds):
        pair = [(bare, bare_runs), (with_sdk, sdk_runs)]
        for cmd, out in pair if i % 2 == 0 else reversed(pair):
            out.append(run(cmd))
    bare_ms = statistics.median(bare_runs)
    sdk_ms = statistics.median(sdk_runs)
    return {
        "language": "python",
        "name": "import",
        "ms": round(sdk_ms - bare_ms, 2),
        "interpreter_ms": round(bare_ms, 2),
        "clock": "wall" if CLOCK is time.perf_counter else "cpu",
    }


def wheel_size() -> dict[str, Any] | None:
    """The newest wheel in the build directory's wheels/, when this runs from a clone."""
    target = os.environ.get("CARGO_TARGET_DIR") or str(ROOT / "target")
    wheels = sorted(
        glob.glob(os.path.join(target, "wheels", "jiko_onboarding-*.whl")),
        key=os.path.getmtime,
    )
    if not wheels:
        return None
    return {
        "language": "python",
        "name": "wheel",
        "bytes": os.path.getsize(wheels[-1]),
        "file": os.path.basename(wheels[-1]),
    }


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--quick", action="store_true", help="fewer, shorter rounds")
    parser.add_argument(
        "--native-sign-us",
        type=float,
        help="the Rust sign_1kb figure (cargo bench -p jiko-onboarding --bench native), "
        "to check the 1.5x target",
    )
    parser.add_argument(
        "--clock",
        choices=["cpu", "wall"],
        default="cpu",
        help="what to time: the thread's CPU time (default) or wall time",
    )
    args = parser.parse_args()
    rounds, seconds = (7, 0.02) if args.quick else (21, 0.05)
    global CLOCK
    CLOCK = time.thread_time if args.clock == "cpu" else time.perf_counter

    client = jiko.Client(base_url=BASE_URL, signing_secret=SECRET)
    signer = jiko.Signer(SECRET)
    secret = SECRET.encode()
    application_json = json.dumps(APPLICATION, separators=(",", ":")).encode()

    # Both sides do the same work and give the same answer; check before timing.
    prepared = client.create_application(TOKEN, APPLICATION, today=TODAY, idempotency_key=KEY)
    assert json.loads(prepared.body) == APPLICATION
    assert reference.validate(APPLICATION, TODAY) == []
    # The reference applies the SDK's rules: the same (path, code) pairs on broken copies
    # (bench/broken_applications.json, shared with node_bench.mjs).
    overrides = json.loads((HERE / "broken_applications.json").read_text())["overrides"]
    broken = [{**APPLICATION, **fields} for fields in overrides]
    for app in broken:
        expected = sorted((e.path, e.code) for e in jiko.validate_application(app, today=TODAY))
        got = sorted((e["path"], e["code"]) for e in reference.validate(app, TODAY))
        assert expected and got == expected, f"the reference validates differently: {expected} vs {got}"
    assert signer.sign(KEY, PATH, BODY_1KB) == reference.sign(secret, KEY, PATH, BODY_1KB)
    parsed = jiko.parse_application(200, APPLICATION_RESPONSE)
    hand = reference.parse_application(200, APPLICATION_RESPONSE)
    assert (parsed.id, parsed.status, len(parsed.documents)) == (
        hand.id,
        hand.status,
        len(hand.documents),
    )

    results = [
        compare(
            "create_application",
            lambda: client.create_application(TOKEN, APPLICATION, today=TODAY),
            lambda: reference.create_application(BASE_URL, secret, TOKEN, APPLICATION, TODAY),
            rounds,
            seconds,
        ),
        compare(
            "create_application_json",
            lambda: client.create_application(TOKEN, application_json, today=TODAY),
            lambda: reference.create_application(BASE_URL, secret, TOKEN, APPLICATION, TODAY),
            rounds,
            seconds,
        ),
        compare(
            "sign_1kb",
            lambda: signer.sign(KEY, PATH, BODY_1KB),
            lambda: reference.sign(secret, KEY, PATH, BODY_1KB),
            rounds,
            seconds,
        ),
        compare(
            "parse_application",
            lambda: jiko.parse_application(200, APPLICATION_RESPONSE),
            lambda: reference.parse_application(200, APPLICATION_RESPONSE),
            rounds,
            seconds,
        ),
        import_ms(11 if args.quick else 31),
    ]
    wheel = wheel_size()
    if wheel:
        results.append(wheel)
    for r in results:
        print(json.dumps(r, separators=(",", ":")), flush=True)

    # For a person: each figure against its target.
    by_name = {r["name"]: r for r in results}
    out = sys.stderr
    create = by_name["create_application"]
    speedup = create["reference_us"] / create["sdk_us"]
    out.write(
        f"create_application: {create['sdk_us']} us vs reference {create['reference_us']} us: "
        f"{speedup:.2f}x faster (target >= 2x: {'met' if speedup >= 2 else 'NOT met'})\n"
    )
    sign = by_name["sign_1kb"]
    if args.native_sign_us:
        factor = sign["sdk_us"] / args.native_sign_us
        out.write(
            f"sign_1kb: {sign['sdk_us']} us vs native Rust {args.native_sign_us} us: {factor:.2f}x "
            f"(target <= 1.5x: {'met' if factor <= 1.5 else 'NOT met'})\n"
        )
    else:
        out.write(
            f"sign_1kb: {sign['sdk_us']} us (vs hmac+base64 {sign['reference_us']} us); pass "
            "--native-sign-us to check the 1.5x-of-native target\n"
        )
    imp = by_name["import"]
    out.write(
        f"import jiko_onboarding: {imp['ms']} ms over a bare interpreter "
        f"(target < 20 ms: {'met' if imp['ms'] < 20 else 'NOT met'})\n"
    )
    if wheel:
        out.write(
            f"wheel: {wheel['bytes']} bytes (target <= 500 KB, read as 500000 bytes: "
            f"{'met' if wheel['bytes'] <= 500_000 else 'NOT met'})\n"
        )
    return 0


if __name__ == "__main__":
    sys.exit(main())
