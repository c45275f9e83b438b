#!/usr/bin/env python3
"""Bulk onboarding in Python: N applicants with up to C in flight against the simulator,
through the SDK's AsyncOnboarding (`--mode sdk`) or through a hand-written flow
(`--mode reference`).

REFERENCE, NOT THE SDK: the reference flow is what a Python team would write by hand the
way the guide's examples do it, with the same HTTP client (one httpx.AsyncClient with its
default limits, as the SDK's default transport) and the SDK's own primitives (Client's
prepared requests, the parsers, next_action and required_documents), sending the same
requests on the same poll schedule, without retries, snapshots or webhooks. `--mode sdk-4`
spreads the SDK's flows over 4 AsyncOnboarding (4 clients, 4 pools). Prints one JSON line:
applicants per second, peak memory above the baseline, snapshot sizes (SDK).

    bulk_python.py --base-url URL --mode sdk|sdk-4|reference [--flows 2000] [--in-flight 200]
"""
import argparse
import asyncio
import json
import pathlib
import resource
import time

import httpx

import jiko_onboarding as jiko

ROOT = pathlib.Path(__file__).resolve().parent.parent
APPLICANT = json.loads((ROOT / "tests" / "e2e-rust" / "examples" / "applicant.json").read_text())
PNG = b"\x89PNG\r\n\x1a\n" + bytes(64)
USER, PASSWORD, SECRET = "sandbox-user", "sandbox-password", "sandbox-signing-secret"
MIX = ["412", "512", "312", "212", "231", "242", "222", "211", "712"]
# The simulator decides in milliseconds: both sides read every 20 ms doubling to 200 ms.
FAST_MS, MAX_MS = 20, 200
FLOW_CONFIG = {"poll": {"fast_initial_ms": FAST_MS, "fast_max_ms": MAX_MS, "fast_phase_ms": 600_000,
                        "manual_review_ms": 600_000, "manual_review_with_webhooks_ms": 600_000}}


def rss_kb():
    for line in pathlib.Path("/proc/self/status").read_text().splitlines():
        if line.startswith("VmRSS:"):
            return int(line.split()[1])
    return 0


def applicant(i):
    return {**APPLICANT, "identification_number": f"{MIX[i % len(MIX)]}{i:06d}", "email": f"bulk{i}@example.com"}


async def sdk(args, snapshots, clients):
    onboardings = [jiko.AsyncOnboarding(base_url=args.base_url, username=USER, password=PASSWORD,
                                        signing_secret=SECRET, flow_config=FLOW_CONFIG) for _ in range(clients)]
    try:
        gate = asyncio.Semaphore(args.in_flight)

        async def one(i):
            async with gate:
                flow = onboardings[i % clients].start(applicant(i))
                result = await flow.run(max_wait=30)
                while result.state == "documents_needed":
                    snapshots.append(len(flow.snapshot()))
                    for requirement in result.requirements:
                        flow.provide_document(requirement.one_of[0], "image/png", PNG)
                    result = await flow.run(max_wait=30)
                snapshots.append(len(flow.snapshot()))
                if result.state not in ("approved", "rejected", "waiting"):
                    raise SystemExit(f"flow {i} ended {result.state}")

        await asyncio.gather(*(one(i) for i in range(args.flows)))
    finally:
        for onboarding in onboardings:
            await onboarding.aclose()


async def reference(args):
    client = jiko.Client(base_url=args.base_url, signing_secret=SECRET)
    async with httpx.AsyncClient() as http:

        async def send(request):
            answer = await http.request(request.method, request.url, headers=request.headers,
                                        content=request.body or None)
            return answer.status_code, answer.content

        token = jiko.parse_login(*await send(client.login(USER, PASSWORD))).token
        gate = asyncio.Semaphore(args.in_flight)

        async def one(i):
            async with gate:
                jiko.parse_agreements(*await send(client.list_agreements(token)))
                app = jiko.parse_application(*await send(client.create_application(token, applicant(i))))
                delay = FAST_MS
                while True:
                    action = jiko.next_action(app)
                    if action.kind == "apply":
                        app = jiko.parse_application(*await send(client.apply(token, app.id)))
                        delay = FAST_MS
                    elif action.kind == "upload_documents":
                        for requirement in jiko.required_documents(app):
                            jiko.parse_upload(*await send(client.upload_document(
                                token, app.id, requirement.one_of[0], "image/png", PNG)))
                        app = jiko.parse_application(*await send(client.get_application(token, app.id)))
                    elif action.kind == "wait" and app.status != "MANUAL_REVIEW":
                        await asyncio.sleep(delay / 1000)
                        delay = min(delay * 2, MAX_MS)
                        app = jiko.parse_application(*await send(client.get_application(token, app.id)))
                    elif action.kind == "approved":
                        customer = app.customer_id
                        jiko.parse_customer(*await send(client.get_customer(token, customer)))
                        accounts = jiko.parse_accounts(*await send(client.list_customer_accounts(token, customer)))
                        for account in accounts.items:
                            jiko.parse_portals(*await send(client.list_portals(token, account.id)))
                        return
                    else:
                        return  # rejected, or in manual review

        await asyncio.gather(*(one(i) for i in range(args.flows)))


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--base-url", required=True)
    parser.add_argument("--mode", choices=["sdk", "sdk-4", "reference"], required=True)
    parser.add_argument("--flows", type=int, default=2000)
    parser.add_argument("--in-flight", type=int, default=200)
    args = parser.parse_args()
    snapshots = []
    baseline = rss_kb()
    started = time.perf_counter()
    asyncio.run(reference(args) if args.mode == "reference" else sdk(args, snapshots, 4 if args.mode == "sdk-4" else 1))
    wall = time.perf_counter() - started
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    print(json.dumps({
        "language": "python", "name": "bulk_onboarding", "mode": args.mode, "flows": args.flows,
        "in_flight": args.in_flight, "wall_s": round(wall, 2), "applicants_per_s": round(args.flows / wall, 1),
        "baseline_rss_kb": baseline, "peak_rss_kb": peak,
        "kb_per_in_flight_flow": round((peak - baseline) / args.in_flight, 1),
        "snapshot_bytes_max": max(snapshots) if snapshots else None,
        "snapshot_bytes_mean": round(sum(snapshots) / len(snapshots)) if snapshots else None,
    }))


if __name__ == "__main__":
    main()
