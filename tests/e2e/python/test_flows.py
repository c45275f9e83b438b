"""End to end: the drivers (`Onboarding`, `AsyncOnboarding`) of the installed wheel
against the local Jiko sandbox simulator, over real HTTP with each shipped transport:
urllib (blocking), httpx's AsyncClient, and urllib in a worker thread (asyncio).

Every sandbox scenario of the guide to its final state (documents included; approval
with the account's routing and account numbers), a snapshot resumed midway in a new
Onboarding, a webhook delivered by the simulator to the example receiver waking a
waiting flow, both readings of a reused idempotency key (replay and reject), a run with
the simulator's faults on, and the quickstart example."""

from __future__ import annotations

import asyncio
import importlib.util
import json
import os
import pathlib
import subprocess
import sys
import tempfile
import threading
import time
from collections import Counter
from types import ModuleType
from typing import Any, Iterator, Union

import pytest

import jiko_onboarding as jiko
from sandbox import PASSWORD, ROOT, SECRET, USERNAME, Simulator

EXAMPLES = ROOT / "bindings-python" / "examples"
PNG = b"\x89PNG\r\n\x1a\n" + bytes(64)
# Fast polls: the simulator decides on the first read after Apply.
FAST = {"poll": {"fast_initial_ms": 50, "fast_max_ms": 200}}
ApplicantDict = dict[str, Any]


def applicant(ssn: str) -> ApplicantDict:
    data: ApplicantDict = json.loads((EXAMPLES / "applicant.json").read_text())
    data["identification_number"] = ssn
    return data


@pytest.fixture(scope="module")
def simulator() -> Iterator[Simulator]:
    sim = Simulator()
    yield sim
    sim.stop()


def onboarding_for(kind: str, sim: Simulator, **config: Any) -> Any:
    args: dict[str, Any] = dict(base_url=sim.base_url, username=USERNAME, password=PASSWORD,
                                signing_secret=SECRET, flow_config=dict(FAST, **config))
    if kind == "urllib":
        return jiko.Onboarding(**args)
    if kind == "httpx-async":
        return jiko.AsyncOnboarding(transport=jiko.HttpxAsyncTransport(), **args)
    return jiko.AsyncOnboarding(transport=jiko.ThreadedTransport(), **args)


def run(flow: Union[jiko.Flow, jiko.AsyncFlow], max_wait: float = 30) -> jiko.FlowResult:
    if isinstance(flow, jiko.AsyncFlow):
        return asyncio.run(flow.run(max_wait))
    return flow.run(max_wait)


def provide_all(flow: Union[jiko.Flow, jiko.AsyncFlow], result: jiko.FlowResult) -> list[str]:
    chosen = [r.one_of[0] for r in result.requirements]  # SELFIE for "SELFIE or PASSPORT"
    for document_type in chosen:
        flow.provide_document(document_type, "image/png", PNG)
    return list(chosen)


def check_approved(result: jiko.FlowResult) -> None:
    assert result.state == "approved", result
    assert result.application is not None and result.application.status == "APPROVED"
    assert result.customer is not None
    assert result.customer.customer_id == result.application.customer_id
    portals = [p for a in result.customer.accounts for p in a.portals]
    assert portals and all(p.status == "OPEN" for p in portals)
    for portal in portals:
        routing, account = portal.routing_number, portal.account_number
        assert len(routing) == 9 and routing.isdigit() and 1 <= int(routing[:2]) <= 12
        d = [int(c) for c in routing]
        assert (3 * (d[0] + d[3] + d[6]) + 7 * (d[1] + d[4] + d[7]) + d[2] + d[5] + d[8]) % 10 == 0
        assert 10 <= len(account) <= 12 and account.isdigit()
        shown = repr(result) + repr(result.customer) + repr(portal)
        assert routing not in shown and account not in shown


TRANSPORTS = ["urllib", "httpx-async", "urllib-thread"]
ID_DOCS = ["ID_FRONT", "ID_BACK", "SELFIE"]
SCENARIOS = [
    # (name, SSN, final state, documents uploaded, final status)
    ("4 approved", "412345678", "approved", [], "APPROVED"),
    ("5 rejected", "512345678", "rejected", [], "REJECTED"),
    ("3 manual review", "312345678", "waiting", [], "MANUAL_REVIEW"),
    ("21x id documents, approved", "212345678", "approved", ID_DOCS, "APPROVED"),
    ("231 address document, manual review", "231234567", "waiting",
     ["ADDRESS_VERIFICATION"], "MANUAL_REVIEW"),
    ("24x id and id-number documents, approved", "242345678", "approved",
     [*ID_DOCS, "IDENTIFICATION_NUMBER_VERIFICATION"], "APPROVED"),
]


@pytest.mark.parametrize("kind", TRANSPORTS)
@pytest.mark.parametrize("ssn,state,documents,status", [s[1:] for s in SCENARIOS],
                         ids=[s[0] for s in SCENARIOS])
def test_every_sandbox_scenario(
    simulator: Simulator, kind: str, ssn: str, state: str, documents: list[str], status: str
) -> None:
    onboarding = onboarding_for(kind, simulator)
    flow = onboarding.start(applicant(ssn))
    result = run(flow, max_wait=5)
    uploaded: list[str] = []
    while result.state == "documents_needed":
        uploaded += provide_all(flow, result)
        result = run(flow, max_wait=5)
    assert uploaded == documents
    assert result.state == state, result
    assert result.application is not None and result.application.status == status
    if state == "approved":
        check_approved(result)
    if state == "waiting":
        assert result.next_check_at is not None  # manual review: read again later


@pytest.mark.parametrize("kind", TRANSPORTS)
def test_a_snapshot_resumed_midway_in_a_new_onboarding(simulator: Simulator, kind: str) -> None:
    first = onboarding_for(kind, simulator)
    flow = first.start(applicant("212345678"))
    result = run(flow)
    assert result.state == "documents_needed"
    snapshot = flow.snapshot()
    assert "Lovelace" not in snapshot and "212345678" not in snapshot
    # Another process, later: a new Onboarding (its own login) continues the flow.
    second = onboarding_for(kind, simulator)
    resumed = second.resume(snapshot)
    assert resumed.application_id == flow.application_id
    provide_all(resumed, result)
    check_approved(run(resumed))


def test_a_webhook_wakes_a_waiting_flow_through_the_example_receiver() -> None:
    # The outcome shows only by itself, 1 s after Apply, with its webhook; the flow's
    # first read is an hour away.
    sim = Simulator("--decide-after-ms", "1000", "--outcome-after-polls", "1000")
    receiver_example = load_example("webhook_receiver")
    try:
        onboarding = jiko.Onboarding(
            base_url=sim.base_url, username=USERNAME, password=PASSWORD, signing_secret=SECRET,
            flow_config={"webhooks": True, "poll": {"fast_initial_ms": 3_600_000,
                                                    "fast_max_ms": 3_600_000}},
        )
        shared_secret = "e2e-webhook-shared-secret-0123456789"
        registry = receiver_example.FlowRegistry()
        server = receiver_example.serve([shared_secret], registry)
        url = f"http://127.0.0.1:{server.server_address[1]}/jiko"
        os.environ.update(JIKO_USERNAME=USERNAME, JIKO_PASSWORD=PASSWORD)
        subscription = receiver_example.subscribe(onboarding, url, shared_secret)
        assert subscription.status == "enabled"
        flow = onboarding.start(applicant("412345678"))
        results: list[jiko.FlowResult] = []
        started = time.monotonic()
        # Run until Apply: then the flow sleeps on its hour-long poll.
        thread = threading.Thread(target=lambda: results.append(flow.run(max_wait=7200)))
        thread.start()
        while flow.application_id is None:
            time.sleep(0.01)
            assert time.monotonic() - started < 30
        registry.add(flow)
        thread.join(60)
        assert results, "the webhook did not wake the flow"
        check_approved(results[0])
        assert time.monotonic() - started < 60
        stats = sim.stats()
        assert stats["webhooks"]["deliveries"] >= 1
        assert stats["requests"]["GET /api/v1/applications/{id}/"] == {"200": 1}
        server.shutdown()
    finally:
        sim.stop()


def load_example(name: str) -> ModuleType:
    spec = importlib.util.spec_from_file_location(name, EXAMPLES / f"{name}.py")
    assert spec and spec.loader
    module = importlib.util.module_from_spec(spec)
    sys.modules[name] = module
    spec.loader.exec_module(module)
    return module


# Where each sandbox rule ends (by the SSN's first digits).
EXPECTED = {"4": "approved", "5": "rejected", "212": "approved", "242": "approved",
            "231": "waiting"}


def people(count: int) -> list[str]:
    """`count` different SSNs, each sandbox rule in turn (one application per person)."""
    rules = list(EXPECTED)
    return [f"{rules[i % len(rules)]}{i:06d}".ljust(9, "0")[:9] for i in range(count)]


def expected(ssn: str) -> str:
    return next(state for rule, state in EXPECTED.items() if ssn.startswith(rule))


async def onboard_all(onboarding: jiko.AsyncOnboarding, ssns: list[str]) -> list[jiko.FlowResult]:
    async def one(ssn: str) -> jiko.FlowResult:
        flow = onboarding.start(applicant(ssn))
        result = await flow.run(max_wait=20)
        while result.state == "documents_needed":
            provide_all(flow, result)
            result = await flow.run(max_wait=20)
        return result

    async with onboarding:
        return await asyncio.gather(*(one(ssn) for ssn in ssns))


# Quicker retries and outages than the default (0.5 s doubling, outages from 30 s): the
# simulator decides in milliseconds.
QUICK_RETRIES = {"base_delay_ms": 20, "max_delay_ms": 200, "outage_base_delay_ms": 200, "outage_max_delay_ms": 1000}
FAULTS = "lost_response=0.05,server_error=0.05,unavailable=0.05,rate_limit=0.05,reset=0.05,token_revoked=0.05"


@pytest.mark.parametrize("kind", ["httpx-async", "urllib-thread"])
def test_flows_with_the_simulators_faults_on(kind: str) -> None:
    sim = Simulator("--faults", FAULTS, "--seed", "20261207")
    try:
        ssns = people(15)
        onboarding = onboarding_for(kind, sim, retry=QUICK_RETRIES)
        results = asyncio.run(onboard_all(onboarding, ssns))
        # Every flow ends as the guide says: lost answers are replayed, errors retried,
        # revoked tokens replaced (a 401 for a token that had worked is not counted).
        for ssn, result in zip(ssns, results):
            assert result.state == expected(ssn), (ssn, result.state, result.error)
        stats = sim.stats()
        assert stats["identification_numbers"]["with_more_than_one_application"] == 0
        assert stats["applications"]["total"] == len(ssns)
        assert sum(stats["faults_injected"].values()) > 0
    finally:
        sim.stop()


def test_both_readings_of_a_reused_key() -> None:
    """Lost answers resent with their keys: replayed (the default) every flow ends as
    the guide says; refused with 409 (`--idempotency reject`) a flow may end with
    create_outcome_unknown naming its key, never with a second application."""
    for mode in ["replay", "reject"]:
        sim = Simulator("--idempotency", mode, "--faults", "lost_response=0.2", "--seed", "7")
        try:
            ssns = people(10)
            onboarding = onboarding_for("httpx-async", sim, retry=QUICK_RETRIES)
            results = asyncio.run(onboard_all(onboarding, ssns))
            outcomes: Counter[str] = Counter()
            for ssn, result in zip(ssns, results):
                if mode == "reject" and result.state == "failed":
                    error = result.error
                    assert isinstance(error, jiko.FlowError), error
                    assert error.code == "create_outcome_unknown" and error.idempotency_key
                    assert error.idempotency_key in str(error)
                    outcomes["outcome unknown"] += 1
                else:
                    assert result.state == expected(ssn), (mode, ssn, result, result.error)
                    outcomes[result.state] += 1
            stats = sim.stats()
            assert stats["identification_numbers"]["with_more_than_one_application"] == 0
            assert stats["faults_injected"]["lost_response"] > 0
            if mode == "replay":
                assert stats["replays_served"] > 0 and "outcome unknown" not in outcomes
        finally:
            sim.stop()


def test_the_quickstart_onboards_one_applicant(simulator: Simulator) -> None:
    env = dict(os.environ, JIKO_BASE_URL=simulator.base_url, JIKO_USERNAME=USERNAME,
               JIKO_PASSWORD=PASSWORD, JIKO_SIGNING_SECRET=SECRET)
    done = subprocess.run(
        [sys.executable, str(EXAMPLES / "quickstart.py"), str(EXAMPLES / "applicant.json")],
        env=env, capture_output=True, text=True, timeout=120,
    )
    assert done.returncode == 0, done.stderr
    lines = done.stdout.splitlines()
    assert lines[0] == "approved", done.stdout
    assert lines[1].startswith("routing *****") and " account ******" in lines[1]
    # The guide shows the same code (all of it but the docstring).
    code = (EXAMPLES / "quickstart.py").read_text().split('"""\n', 2)[-1]
    assert code in (ROOT / "docs" / "python.md").read_text()
    assert len([line for line in code.splitlines() if line.strip()]) <= 15


def test_the_webhook_receiver_example_runs() -> None:
    sim = Simulator("--decide-after-ms", "1500", "--outcome-after-polls", "1000")
    try:
        with tempfile.TemporaryDirectory() as folder:
            path = pathlib.Path(folder) / "applicant.json"
            path.write_text(json.dumps(applicant("412345678")))
            env = dict(os.environ, JIKO_BASE_URL=sim.base_url, JIKO_USERNAME=USERNAME,
                       JIKO_PASSWORD=PASSWORD, JIKO_SIGNING_SECRET=SECRET)
            done = subprocess.run(
                [sys.executable, str(EXAMPLES / "webhook_receiver.py"), str(path)],
                env=env, capture_output=True, text=True, timeout=180,
            )
        assert done.returncode == 0, done.stderr
        assert done.stdout.splitlines() == ["waiting; waiting for webhooks", "approved"]
    finally:
        sim.stop()
