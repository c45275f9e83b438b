#!/usr/bin/env python3
"""The Python AsyncOnboarding's share of `make chaos` (tests/chaos/run.py starts the faulty
simulator and reads its stats). N applicants across every sandbox scenario of the guide, up
to C flows in flight on one event loop, half woken by webhooks (a receiver verifying each
delivery with verify_webhook) and half polling; a share of the flows is cancelled at a random
moment and resumed from its snapshot in a new AsyncOnboarding. Prints one JSON report (the
same shape as jiko-chaos, the Rust client's); never personal data.

    python_chaos.py --base-url URL [--flows 2000] [--concurrency 200] [--seed N]
                    [--kill-share 0.1] [--webhook-secret S]
"""
import argparse
import asyncio
import json
import logging
import pathlib
import random
import threading
import time
import urllib.request
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import jiko_onboarding as jiko

HERE = pathlib.Path(__file__).resolve().parent
APPLICANT = json.loads((HERE.parent / "e2e-rust" / "examples" / "applicant.json").read_text())
PNG = b"\x89PNG\r\n\x1a\n" + bytes(64)
CREDENTIALS = {"username": "sandbox-user", "password": "sandbox-password",
               "signing_secret": "sandbox-signing-secret"}
# The guide's sandbox table, by hand: the first digits of an SSN and where it ends.
MIX = [("412", "approved"), ("512", "rejected"), ("312", "manual_review"), ("212", "approved"),
       ("231", "manual_review"), ("242", "approved"), ("222", "approved"), ("211", "manual_review"),
       ("712", "manual_review")]
# The simulator decides in milliseconds: read every 20 ms doubling to 200 ms while KYC runs,
# manual reviews every minute (a journey stops there), retries from 20 ms.
POLLING = {
    "poll": {"fast_initial_ms": 20, "fast_max_ms": 200, "fast_phase_ms": 60_000, "slow_interval_ms": 1_000,
             "manual_review_ms": 60_000, "manual_review_with_webhooks_ms": 60_000},
    "retry": {"max_retries": 2, "base_delay_ms": 20, "max_delay_ms": 200, "max_retry_after_ms": 60_000,
              "key_max_age_ms": 3_000_000, "outage_base_delay_ms": 200, "outage_max_delay_ms": 1_000,
              "max_relogins": 3},
}
# The webhook half reads SUBMITTED every 5 s: the webhook is what wakes it first.
WEBHOOKS = {**POLLING, "webhooks": True, "poll": {**POLLING["poll"], "fast_initial_ms": 5_000, "fast_max_ms": 5_000}}


class Retries(logging.Handler):
    """Counts the driver's retries by reason, from its structured DEBUG records."""

    def __init__(self):
        super().__init__(logging.DEBUG)
        self.counts = {}

    def emit(self, record):
        event = getattr(record, "jiko", None) or {}
        reason = event.get("retry_reason") if event.get("event") == "waiting" else None
        if reason:
            self.counts[reason] = self.counts.get(reason, 0) + 1


class Receiver:
    """The webhook receiver: raw body, verify, wake the flow of that application."""

    def __init__(self, secret, loop):
        self.flows, self.seen = {}, set()
        self.stats = {"verified": 0, "refused": 0, "duplicates": 0, "woke": 0}
        receiver = self

        class Handler(BaseHTTPRequestHandler):
            def do_POST(self):
                body = self.rfile.read(int(self.headers.get("Content-Length", "0")))
                try:
                    event = jiko.verify_webhook(list(self.headers.items()), body, [secret])
                except jiko.WebhookError:
                    receiver.stats["refused"] += 1
                    self.send_response(401)
                else:
                    receiver.stats["verified"] += 1
                    if event.event_id in receiver.seen:
                        receiver.stats["duplicates"] += 1
                    receiver.seen.add(event.event_id)
                    flow = receiver.flows.get(event.application_id)
                    if flow is not None:
                        flow.notify()
                        receiver.stats["woke"] += 1
                    self.send_response(202)
                self.send_header("Content-Length", "0")
                self.end_headers()

            def log_message(self, *args):
                pass

        self.server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.url = f"http://127.0.0.1:{self.server.server_address[1]}/jiko/webhooks"
        threading.Thread(target=self.server.serve_forever, daemon=True).start()


def send(request):
    """One prepared request over urllib: (status, body), or None when it got no answer."""
    http = urllib.request.Request(request.url, data=request.body or None, method=request.method,
                                  headers=dict(request.headers))
    try:
        with urllib.request.urlopen(http, timeout=10) as answer:
            return answer.status, answer.read()
    except urllib.error.HTTPError as answer:
        return answer.code, answer.read()
    except OSError:
        return None


def subscribe(base_url, url, secret):
    """The subscription, through the faults: the same prepared request resent (one key); a
    409 (the reject reading) means the first one took effect."""
    client = jiko.Client(base_url=base_url, signing_secret=CREDENTIALS["signing_secret"])
    token = None
    for _ in range(50):
        answer = send(client.login(CREDENTIALS["username"], CREDENTIALS["password"]))
        if answer and answer[0] == 200:
            token = jiko.parse_login(*answer).token
            break
        time.sleep(0.1)
    request = client.create_subscription(token, url, list(jiko.APPLICATION_EVENT_TYPES), secret)
    for _ in range(50):
        answer = send(request)
        if answer and answer[0] in (201, 409):
            return
        time.sleep(0.1)
    raise SystemExit("could not subscribe")


async def drive(flow, receiver, max_wait):
    """To a settled state (approved, rejected, failed, or in manual review), providing
    documents and registering the flow with the receiver once it has an application id."""
    registered = receiver is None
    while True:
        result = await flow.run(max_wait=max_wait if registered else 0)
        if not registered and flow.application_id:
            receiver.flows[flow.application_id] = flow
            registered = True
        if result.state == "documents_needed":
            for requirement in result.requirements:
                flow.provide_document(requirement.one_of[0], "image/png", PNG)
        elif result.state == "waiting":
            if result.application is None and registered:
                flow.notify()  # restored: read the application to know where it stands
            elif result.application is not None and result.application.status == "MANUAL_REVIEW" and registered:
                return result
            elif registered and result.next_check_at_ms:
                await asyncio.sleep(max(0.0, result.next_check_at_ms / 1000 - time.time()))
        else:
            return result


def actual_state(result):
    if result.state == "failed":
        return f"failed:{result.error.code}"
    if result.state == "waiting" and result.application is not None and result.application.status == "MANUAL_REVIEW":
        return "manual_review"
    return result.state


async def main(args):
    started = time.monotonic()
    retries = Retries()
    logger = logging.getLogger("jiko_onboarding")
    logger.addHandler(retries)
    logger.setLevel(logging.DEBUG)
    base = {"base_url": args.base_url, **CREDENTIALS}
    receiver = Receiver(args.webhook_secret, asyncio.get_running_loop()) if args.webhook_secret else None
    if receiver:
        subscribe(args.base_url, receiver.url, args.webhook_secret)
    polling = jiko.AsyncOnboarding(**base, flow_config=POLLING)
    webhooks = jiko.AsyncOnboarding(**base, flow_config=WEBHOOKS)
    report = {"by_scenario": {}, "mismatches": [], "outcome_unknown": [], "with_application": 0,
              "killed": 0, "approved_with_numbers": 0, "flow_ms": []}
    gate = asyncio.Semaphore(args.concurrency)

    async def one(i):
        rng = random.Random(args.seed * 1_000_003 + i)
        prefix, expected = MIX[i % len(MIX)]
        use_webhooks = receiver is not None and i % 2 == 0
        onboarding = webhooks if use_webhooks else polling
        application = {**APPLICANT, "identification_number": f"{prefix}{i % 1_000_000:06d}",
                       "email": f"chaos{i}@example.com"}
        async with gate:
            flow_started = time.monotonic()
            flow = onboarding.start(application)
            flow_receiver = receiver if use_webhooks else None
            if rng.random() < args.kill_share:
                task = asyncio.ensure_future(drive(flow, flow_receiver, 20))
                done, _ = await asyncio.wait([task], timeout=rng.random() * 0.4)
                if not done:
                    task.cancel()
                    try:
                        await task
                    except asyncio.CancelledError:
                        pass
                    # The process died: only the snapshot survives, in a new Onboarding.
                    report["killed"] += 1
                    snapshot = flow.snapshot()
                    fresh = jiko.AsyncOnboarding(**base, flow_config=WEBHOOKS if use_webhooks else POLLING)
                    flow = fresh.resume(snapshot, application)
                    result = await drive(flow, flow_receiver, 20)
                    await fresh.aclose()
                else:
                    result = task.result()
            else:
                result = await drive(flow, flow_receiver, 20)
            report["flow_ms"].append(int((time.monotonic() - flow_started) * 1000))
        actual = actual_state(result)
        scenario = f"{prefix}x ({expected})"
        finals = report["by_scenario"].setdefault(scenario, {})
        finals[actual] = finals.get(actual, 0) + 1
        report["with_application"] += flow.application_id is not None
        if result.customer is not None and any(p.routing_number and p.account_number
                                               for a in result.customer.accounts for p in a.portals):
            report["approved_with_numbers"] += 1
        if actual == "failed:create_outcome_unknown":
            report["outcome_unknown"].append(result.error.idempotency_key)
        elif actual != expected:
            report["mismatches"].append({"ssn_rule": prefix, "expected": expected, "actual": actual})

    await asyncio.gather(*(one(i) for i in range(args.flows)))
    await polling.aclose()
    await webhooks.aclose()
    durations = sorted(report["flow_ms"]) or [0]
    pick = lambda p: durations[min(len(durations) - 1, len(durations) * p // 100)]
    print(json.dumps({
        "driver": "python", "flows": args.flows, "seed": args.seed,
        "by_scenario": report["by_scenario"], "mismatches": report["mismatches"],
        "create_outcome_unknown": report["outcome_unknown"], "with_application": report["with_application"],
        "approved_with_numbers": report["approved_with_numbers"], "killed_and_resumed": report["killed"],
        "retries_by_reason": retries.counts, "webhooks": receiver.stats if receiver else None,
        "flow_ms": {"p50": pick(50), "p90": pick(90), "p99": pick(99), "max": durations[-1]},
        "wall_ms": int((time.monotonic() - started) * 1000),
    }))


if __name__ == "__main__":
    parser = argparse.ArgumentParser()
    parser.add_argument("--base-url", required=True)
    parser.add_argument("--flows", type=int, default=2000)
    parser.add_argument("--concurrency", type=int, default=200)
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--kill-share", type=float, default=0.1)
    parser.add_argument("--webhook-secret")
    asyncio.run(main(parser.parse_args()))
