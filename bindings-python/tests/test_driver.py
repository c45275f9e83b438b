"""The drivers (`Onboarding`, `AsyncOnboarding`) through a scripted in-process Jiko
(tests/fake_jiko.py) on a virtual clock: no network, no real waiting. Each behaviour is
checked with the blocking driver and with the asyncio one."""

from __future__ import annotations

import asyncio
import json
import logging
import subprocess
import sys
import threading
import time
from typing import Any, Callable, Union

import pytest

import jiko_onboarding as jiko
from fake_jiko import ACCOUNT, ROUTING, FakeJiko, VirtualClock, applicant

CREDENTIALS = {"username": "partner", "password": "partner-password",
               "signing_secret": "partner-signing-secret"}
BASE_URL = "http://127.0.0.1:9"  # never contacted: the transport is the fake
Runner = Callable[..., jiko.FlowResult]
# Webhooks on, and the first read an hour after Apply: only notify makes it sooner.
HOUR_POLLS = {"webhooks": True, "poll": {"fast_initial_ms": 3_600_000, "fast_max_ms": 3_600_000}}


class Driver:
    """The blocking or the asyncio driver behind one interface, for the tests below."""

    def __init__(self, kind: str, fake: FakeJiko, clock: jiko.Clock, **config: Any) -> None:
        self.kind = kind
        args: dict[str, Any] = dict(CREDENTIALS, base_url=BASE_URL, clock=clock,
                                    flow_config=config.pop("flow_config", None))
        self.onboarding: Union[jiko.Onboarding, jiko.AsyncOnboarding]
        if kind == "sync":
            self.onboarding = jiko.Onboarding(transport=fake, **args)
        else:
            self.onboarding = jiko.AsyncOnboarding(transport=fake.async_transport, **args)

    def start(self, application: Any) -> Union[jiko.Flow, jiko.AsyncFlow]:
        return self.onboarding.start(application)

    def resume(self, snapshot: str) -> Union[jiko.Flow, jiko.AsyncFlow]:
        return self.onboarding.resume(snapshot)

    def run(self, flow: Union[jiko.Flow, jiko.AsyncFlow], max_wait: float = 60) -> jiko.FlowResult:
        if isinstance(flow, jiko.AsyncFlow):
            return asyncio.run(flow.run(max_wait))
        return flow.run(max_wait)


@pytest.fixture(params=["sync", "async"])
def kind(request: pytest.FixtureRequest) -> str:
    return str(request.param)


def test_approved_with_the_accounts_routing_and_account_numbers(kind: str) -> None:
    fake, clock = FakeJiko(), VirtualClock()
    driver = Driver(kind, fake, clock)
    flow = driver.start(applicant("412345678"))
    assert flow.application_id is None and fake.sent == []  # nothing sent before run
    result = driver.run(flow)
    assert result.state == "approved" and result.error is None
    assert result.application is not None and result.application.status == "APPROVED"
    assert flow.application_id == result.application.id
    assert result.customer is not None
    portal = result.customer.accounts[0].portals[0]
    assert (portal.routing_number, portal.account_number) == (ROUTING, ACCOUNT)
    assert jiko.mask_number(portal.account_number) == "********6789"
    assert ROUTING not in repr(result) + repr(result.customer) + repr(portal)
    assert fake.sent == ["login", "list_agreements", "create_application", "apply",
                         "get_application", "get_customer", "list_customer_accounts",
                         "list_portals"]
    assert fake.creates == 1
    # The one wait was KYC's first poll, about 2 s (jittered by 10%).
    assert len(clock.slept) == 1 and 1.7 <= clock.slept[0] <= 2.3


def test_rejected_and_manual_review(kind: str) -> None:
    fake = FakeJiko()
    driver = Driver(kind, fake, VirtualClock())
    assert driver.run(driver.start(applicant("512345678"))).state == "rejected"
    waiting = driver.run(driver.start(applicant("312345678")))
    assert waiting.state == "waiting" and waiting.application is not None
    assert waiting.application.status == "MANUAL_REVIEW"
    assert waiting.next_check_at is not None and waiting.next_check_at.endswith("Z")


def test_retries_after_server_errors_and_lost_answers(kind: str) -> None:
    fake, clock = FakeJiko(), VirtualClock()
    fake.faults = {
        ("login", 1): 503,
        ("create_application", 1): "reset",      # created, the answer lost
        ("apply", 1): "timed_out",                # applied, no answer in time
        ("get_application", 1): "not_sent",
        ("list_portals", 1): 500,
    }
    driver = Driver(kind, fake, clock)
    result = driver.run(driver.start(applicant("412345678")))
    assert result.state == "approved"
    assert fake.creates == 1  # the lost Create was resent with its key, not made twice
    assert fake.seen["create_application"] == 2 and fake.seen["apply"] == 2
    assert all(s <= 8 for s in clock.slept)  # backoffs, within the cap


def test_a_long_retry_after_returns_waiting(kind: str) -> None:
    fake, clock = FakeJiko(), VirtualClock()
    fake.faults = {("list_agreements", 1): 429}
    fake.retry_after = "3600"
    driver = Driver(kind, fake, clock)
    flow = driver.start(applicant("412345678"))
    result = driver.run(flow, max_wait=60)
    assert result.state == "waiting" and clock.slept == []
    assert result.next_check_at_ms == int(clock.now * 1000) + 3_600_000
    snapshot = flow.snapshot()
    # An hour later (a new process, say) the flow goes on from its snapshot. Its Create
    # has not been sent yet, so the application is needed again.
    clock.now += 3600
    with pytest.raises(jiko.FlowError) as info:
        driver.resume(snapshot)
    assert info.value.code == "application_required"
    resumed = driver.onboarding.resume(snapshot, applicant("412345678"))
    assert driver.run(resumed).state == "approved"


def test_documents_needed_then_approved(kind: str) -> None:
    fake = FakeJiko()
    driver = Driver(kind, fake, VirtualClock())
    flow = driver.start(applicant("242345678"))
    result = driver.run(flow)
    assert result.state == "documents_needed"
    wanted = [list(r.one_of) for r in result.requirements]
    assert wanted == [["ID_FRONT"], ["ID_BACK"], ["SELFIE", "PASSPORT"],
                      ["IDENTIFICATION_NUMBER_VERIFICATION"]]
    with pytest.raises(jiko.DocumentError):
        flow.provide_document("ID_FRONT", "image/png", b"not a png")
    png = b"\x89PNG\r\n\x1a\n" + bytes(32)
    for one_of in wanted:
        flow.provide_document(one_of[0], "image/png", png)  # type: ignore[arg-type]
    result = driver.run(flow)
    assert result.state == "approved", result
    assert fake.seen["upload_document"] == 4 and fake.seen["apply"] == 2


def test_notify_reads_at_once(kind: str) -> None:
    fake = FakeJiko(hold="review")
    config = {"webhooks": True}
    driver = Driver(kind, fake, VirtualClock(), flow_config=config)
    flow = driver.start(applicant("312345678"))
    result = driver.run(flow, max_wait=0)
    assert result.state == "waiting"
    reads = fake.seen["get_application"]
    fake.release("APPROVED")
    # Without a webhook, the next read is far away: run returns at once, reading nothing.
    assert driver.run(flow, max_wait=0).state == "waiting"
    assert fake.seen["get_application"] == reads
    flow.notify()  # the webhook arrived
    assert driver.run(flow, max_wait=0).state == "approved"
    assert fake.seen["get_application"] == reads + 1


def test_notify_wakes_a_sleeping_run_from_another_thread() -> None:
    """The real clock: a run sleeping on a one-hour poll is woken by notify."""
    fake = FakeJiko()
    onboarding = jiko.Onboarding(
        transport=fake, base_url=BASE_URL, flow_config=HOUR_POLLS, **CREDENTIALS
    )
    flow = onboarding.start(applicant("412345678"))
    results: list[jiko.FlowResult] = []
    thread = threading.Thread(target=lambda: results.append(flow.run(max_wait=7200)))
    started = time.monotonic()
    thread.start()
    while fake.seen["apply"] == 0:
        time.sleep(0.01)
        assert time.monotonic() - started < 20
    time.sleep(0.1)  # asleep until the first read, an hour away
    assert fake.seen["get_application"] == 0 and flow.running
    flow.notify()
    thread.join(20)
    assert results and results[0].state == "approved"
    assert time.monotonic() - started < 20


def test_notify_wakes_a_sleeping_async_run() -> None:
    fake = FakeJiko()

    async def main() -> jiko.FlowResult:
        async with jiko.AsyncOnboarding(
            transport=fake.async_transport, base_url=BASE_URL, flow_config=HOUR_POLLS,
            **CREDENTIALS,
        ) as onboarding:
            flow = onboarding.start(applicant("412345678"))
            task = asyncio.create_task(flow.run(max_wait=7200))
            while fake.seen["apply"] == 0:
                await asyncio.sleep(0.01)
            await asyncio.sleep(0.1)  # asleep until the first read, an hour away
            assert fake.seen["get_application"] == 0
            # From another thread, as a webhook receiver would.
            threading.Thread(target=flow.notify).start()
            return await asyncio.wait_for(task, 20)

    assert asyncio.run(main()).state == "approved"


def test_an_async_transport_that_never_answers_is_timed_out(monkeypatch: Any) -> None:
    from jiko_onboarding import _driver

    monkeypatch.setattr(_driver, "_DEADLINE_GRACE_S", 0.05)
    fake = FakeJiko()
    hung: list[str] = []

    async def transport(request: jiko.PreparedRequest, timeout: float) -> jiko.Answer:
        if fake.operation(request) == "list_agreements" and not hung:
            hung.append("once")
            await asyncio.sleep(3600)  # a transport whose timeout bounds nothing
        return fake(request, timeout)

    async def main() -> jiko.FlowResult:
        onboarding = jiko.AsyncOnboarding(
            transport=transport, base_url=BASE_URL, clock=VirtualClock(),
            flow_config={"request_timeout_ms": 100}, **CREDENTIALS,
        )
        events: list[str] = []
        handler = _Collect(events)
        logging.getLogger("jiko_onboarding").addHandler(handler)
        logging.getLogger("jiko_onboarding").setLevel(logging.DEBUG)
        try:
            result = await asyncio.wait_for(onboarding.start(applicant("412345678")).run(), 20)
        finally:
            logging.getLogger("jiko_onboarding").removeHandler(handler)
        assert any("timed_out" in e for e in events), events
        return result

    assert asyncio.run(main()).state == "approved"


class _Collect(logging.Handler):
    def __init__(self, into: list[str]) -> None:
        super().__init__()
        self.into = into

    def emit(self, record: logging.LogRecord) -> None:
        self.into.append(record.getMessage())


def test_cancelling_an_async_run_leaves_a_valid_snapshot() -> None:
    fake = FakeJiko()

    async def main() -> None:
        stuck = asyncio.Event()

        async def transport(request: jiko.PreparedRequest, timeout: float) -> jiko.Answer:
            if fake.operation(request) == "apply":
                fake(request, timeout)  # Apply acts on the server ...
                stuck.set()
                await asyncio.sleep(3600)  # ... and its answer never comes
            return fake(request, timeout)

        onboarding = jiko.AsyncOnboarding(
            transport=transport, base_url=BASE_URL, clock=VirtualClock(), **CREDENTIALS
        )
        flow = onboarding.start(applicant("412345678"))
        task = asyncio.create_task(flow.run())
        await stuck.wait()
        task.cancel()
        with pytest.raises(asyncio.CancelledError):
            await task
        assert not flow.running
        snapshot = json.loads(flow.snapshot())
        assert snapshot["version"] == 1
        # A new process resumes it; the Apply is resent with its key (the server's
        # first answer comes back), and the flow ends approved with one application.
        again = jiko.AsyncOnboarding(
            transport=fake.async_transport, base_url=BASE_URL, clock=VirtualClock(),
            **CREDENTIALS,
        ).resume(flow.snapshot())
        result = await again.run()
        assert result.state == "approved" and fake.creates == 1

    asyncio.run(main())


def test_interrupting_a_blocking_run_leaves_a_valid_snapshot() -> None:
    fake = FakeJiko()

    def transport(request: jiko.PreparedRequest, timeout: float) -> jiko.Answer:
        if fake.operation(request) == "create_application" and fake.creates == 0:
            fake(request, timeout)  # created, then the process is interrupted
            raise KeyboardInterrupt
        return fake(request, timeout)

    onboarding = jiko.Onboarding(
        transport=transport, base_url=BASE_URL, clock=VirtualClock(), **CREDENTIALS
    )
    flow = onboarding.start(applicant("412345678"))
    with pytest.raises(KeyboardInterrupt):
        flow.run()
    snapshot = flow.snapshot()
    resumed = jiko.Onboarding(
        transport=fake, base_url=BASE_URL, clock=VirtualClock(), **CREDENTIALS
    ).resume(snapshot, applicant("412345678"))
    assert resumed.run().state == "approved"
    assert fake.creates == 1  # the Create was resent with its key


def test_a_transport_bug_is_raised_after_the_flow_counts_a_reset() -> None:
    fake = FakeJiko()
    calls: list[str] = []

    def transport(request: jiko.PreparedRequest, timeout: float) -> jiko.Answer:
        calls.append(fake.operation(request))
        if len(calls) == 2:
            raise ZeroDivisionError("a bug in the transport")
        return fake(request, timeout)

    flow = jiko.Onboarding(
        transport=transport, base_url=BASE_URL, clock=VirtualClock(), **CREDENTIALS
    ).start(applicant("412345678"))
    with pytest.raises(ZeroDivisionError):
        flow.run()
    assert flow.run().state == "approved"  # the same flow goes on
    assert calls[1] == calls[2] == "list_agreements"


@pytest.mark.parametrize("bad", ["headers", "status"])
def test_a_malformed_answer_is_raised_after_the_flow_counts_a_reset(bad: str) -> None:
    fake = FakeJiko()
    calls: list[str] = []

    def transport(request: jiko.PreparedRequest, timeout: float) -> Any:
        calls.append(fake.operation(request))
        status, headers, body = fake(request, timeout)
        if len(calls) == 2:
            return (status, None, body) if bad == "headers" else (-1, headers, body)
        return status, headers, body

    flow = jiko.Onboarding(
        transport=transport, base_url=BASE_URL, clock=VirtualClock(), **CREDENTIALS
    ).start(applicant("412345678"))
    with pytest.raises((TypeError, ValueError)):
        flow.run()
    assert flow.run().state == "approved"  # reported: the flow goes on with a retry
    assert calls[1] == calls[2] == "list_agreements"


def test_headers_may_be_a_mapping() -> None:
    fake = FakeJiko()

    def transport(request: jiko.PreparedRequest, timeout: float) -> jiko.Answer:
        status, headers, body = fake(request, timeout)
        return status, dict(headers), body

    flow = jiko.Onboarding(
        transport=transport, base_url=BASE_URL, clock=VirtualClock(), **CREDENTIALS
    ).start(applicant("412345678"))
    assert flow.run().state == "approved"


def test_a_flow_runs_once_at_a_time() -> None:
    fake = FakeJiko()
    inner: list[BaseException] = []
    flow_box: list[jiko.Flow] = []

    def transport(request: jiko.PreparedRequest, timeout: float) -> jiko.Answer:
        try:
            flow_box[0].run()
        except RuntimeError as e:
            inner.append(e)
        return fake(request, timeout)

    flow_box.append(jiko.Onboarding(transport=transport, base_url=BASE_URL, **CREDENTIALS)
                    .start(applicant("412345678")))
    assert flow_box[0].run(max_wait=0).state == "waiting"
    assert inner and all("already running" in str(e) for e in inner)


def test_each_flow_of_a_seeded_onboarding_draws_its_own_keys(kind: str) -> None:
    fake = FakeJiko()
    driver = Driver(kind, fake, VirtualClock(), flow_config={"seed": 7})
    for ssn in ["412345678", "412345679"]:
        assert driver.run(driver.start(applicant(ssn))).state == "approved"
    assert fake.creates == 2  # a second flow with the same keys would get a replay


def test_flow_config_is_checked_at_once() -> None:
    with pytest.raises(ValueError) as info:
        jiko.Onboarding(base_url=BASE_URL, flow_config={"webhook": True}, **CREDENTIALS)
    assert "config.webhook" in str(info.value)
    with pytest.raises(ValueError):
        jiko.Onboarding(base_url=BASE_URL, flow_config={"retry": {"retries": 1}}, **CREDENTIALS)
    with pytest.raises(jiko.ValidationError):
        jiko.Onboarding(base_url=BASE_URL, **CREDENTIALS).start({"email": "x"})


def test_steps_are_logged_without_personal_data(
    kind: str, caplog: pytest.LogCaptureFixture
) -> None:
    fake = FakeJiko()
    fake.faults = {("apply", 1): 503}
    caplog.set_level(logging.DEBUG, logger="jiko_onboarding")
    driver = Driver(kind, fake, VirtualClock())
    result = driver.run(driver.start(applicant("412345678")))
    assert result.state == "approved"
    records = [r for r in caplog.records if r.name == "jiko_onboarding"]
    events = [r.jiko["event"] for r in records]  # type: ignore[attr-defined]
    assert events[0] == "sent" and events[-1] == "returned"
    assert {"sent", "answered", "waiting"} <= set(events)
    text = "\n".join(r.getMessage() + json.dumps(r.jiko) for r in records)  # type: ignore[attr-defined]
    assert "apply POST /api/v1/applications/{id}/apply/" in text
    assert "apply answered 503" in text and "(server_error)" in text
    for private in ["412345678", "Ada", "Lovelace", "ada@example.com", "5551234567",
                    "Allston", ROUTING, ACCOUNT, "fake-token", "partner-password",
                    "partner-signing-secret"]:
        assert private not in text, private


def test_default_transports() -> None:
    assert isinstance(jiko.Onboarding(base_url=BASE_URL, **CREDENTIALS)._transport,  # type: ignore[attr-defined]
                      jiko.UrllibTransport)
    code = (
        "import sys, jiko_onboarding as j\n"
        "print(type(j.AsyncOnboarding(base_url='http://127.0.0.1:9', username='u',"
        " password='p', signing_secret='s')._transport).__name__)\n"
    )
    with_httpx = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True,
                                timeout=60, check=True).stdout.strip()
    without = subprocess.run(
        [sys.executable, "-c", "import sys; sys.modules['httpx'] = None\n" + code],
        capture_output=True, text=True, timeout=60, check=True,
    ).stdout.strip()
    assert (with_httpx, without) == ("HttpxAsyncTransport", "ThreadedTransport")


def test_reprs_hide_credentials() -> None:
    onboarding = jiko.Onboarding(base_url=BASE_URL, **CREDENTIALS)
    shown = repr(onboarding) + repr(onboarding._partner.auth)  # type: ignore[attr-defined]
    for secret in CREDENTIALS.values():
        assert secret not in shown
