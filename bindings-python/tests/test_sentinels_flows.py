"""Sentinel tests for the flow engine, the drivers and the after-approval models: an
applicant made of recognisable values, a customer and portals with recognisable
routing and account numbers, and recognisable credentials go through the engine, the
drivers (their logs, results and snapshots), the webhook checks and their errors. No
textual form may contain one of them (test_sentinels.py's check, extended with the
numbers); only the records' attributes and to_dict() carry them."""

from __future__ import annotations

import asyncio
import json
import logging
from typing import Any

import pytest

import jiko_onboarding as jiko
from fake_jiko import FakeJiko, VirtualClock
from test_sentinels import (
    CITY, DOB, EMAIL, FIRST, LAST, PASSWORD, PHONE, SECRET, SENTINELS, SSN, STREET, TOKEN,
    USERNAME, application, assert_clean,
)

ROUTING, ACCOUNT = "091987654", "0005550198231"
NUMBERS = {"routing number": ROUTING, "account number": ACCOUNT}
CUSTOMER = {
    "type": "INDIVIDUAL", "account_status": "OPEN",
    "name": {"first_name": FIRST, "last_name": LAST}, "email": EMAIL,
    "phone_number": PHONE[1:], "date_of_birth": DOB,
    "address": {"street_address": STREET, "city": CITY, "postal_code": "94701",
                "country": "USA"},
}
PORTALS = {"count": 1, "portals": [{
    "id": "1b2c3d4e-5f60-4a1b-9c2d-3e4f5a6b7c8d", "jiko_account_id": "9d7c3e1a-1b2c-4d5e-8f90-a1b2c3d4e5f6",
    "routing_number": ROUTING, "account_number": ACCOUNT, "status": "OPEN", "name": "Default"}]}


def assert_no_number(obj: Any, what: str) -> None:
    for form in [str(obj), repr(obj), f"{obj!r}"]:
        for label, value in NUMBERS.items():
            assert value not in form, f"{what}: the {label} appears: {form[:300]}"


class SentinelJiko(FakeJiko):
    """The fake Jiko, with the customer and portal made of sentinels."""

    def answer(self, operation: str, request: jiko.PreparedRequest) -> tuple[int, list[tuple[str, str]], bytes]:
        if operation == "get_customer":
            return 200, [], json.dumps(CUSTOMER).encode()
        if operation == "list_portals":
            return 200, [], json.dumps(PORTALS).encode()
        if operation == "login":
            return 200, [], json.dumps({"token": TOKEN, "expires": "2099-01-01T00:00:00Z"}).encode()
        return super().answer(operation, request)

    def __call__(self, request: jiko.PreparedRequest, timeout: float) -> jiko.Answer:
        if self.operation(request) != "login":
            # The fake's own token check, with the sentinel token.
            assert request.header("authorization") == f"Bearer {TOKEN}"
            request = _Retokened(request)  # type: ignore[assignment]
        return super().__call__(request, timeout)


class _Retokened:
    """A request as the fake base class expects it (its own token)."""

    def __init__(self, request: jiko.PreparedRequest) -> None:
        self._request = request

    def __getattr__(self, name: str) -> Any:
        return getattr(self._request, name)

    def header(self, name: str) -> Any:
        if name.lower() == "authorization":
            return "Bearer fake-token"
        return self._request.header(name)


def test_after_approval_models_show_no_sentinel_and_no_number() -> None:
    customer = jiko.parse_customer(200, json.dumps(CUSTOMER))
    portals = jiko.parse_portals(200, json.dumps(PORTALS))
    for obj in [customer, customer.name, customer.address, portals, *portals.portals]:
        assert_clean(obj, type(obj).__name__)
        assert_no_number(obj, type(obj).__name__)
    assert portals.portals[0].routing_number == ROUTING  # the attribute carries it
    approved = jiko.ApprovedCustomer.from_dict({"customer_id": "c", "accounts": [{
        "account_id": "a", "portals": [{"portal_id": "p", "routing_number": ROUTING,
                                        "account_number": ACCOUNT, "status": "OPEN"}]}]})
    for obj in [approved, approved.accounts[0], approved.accounts[0].portals[0]]:
        assert_no_number(obj, type(obj).__name__)


@pytest.mark.parametrize("kind", ["sync", "async"])
def test_a_flow_logs_results_and_snapshots_show_no_sentinel(
    kind: str, caplog: pytest.LogCaptureFixture
) -> None:
    caplog.set_level(logging.DEBUG, logger="jiko_onboarding")
    fake = SentinelJiko()
    fake.faults = {("apply", 1): 503, ("get_application", 1): "reset"}
    args: dict[str, Any] = dict(base_url="http://127.0.0.1:9", username=USERNAME,
                                password=PASSWORD, signing_secret=SECRET, clock=VirtualClock())
    app = application(identification_number="4" + SSN[1:], agreement_consent__version="1.0.0")
    texts: list[str] = []
    if kind == "sync":
        onboarding = jiko.Onboarding(transport=fake, **args)
        flow = onboarding.start(app)
        texts.append(flow.snapshot())
        result = flow.run()
    else:
        async_onboarding = jiko.AsyncOnboarding(transport=fake.async_transport, **args)
        async_flow = async_onboarding.start(app)
        texts.append(async_flow.snapshot())
        result = asyncio.run(async_flow.run())
        flow = async_flow  # type: ignore[assignment]
        onboarding = async_onboarding  # type: ignore[assignment]
    assert result.state == "approved"
    assert result.customer is not None
    assert result.customer.accounts[0].portals[0].account_number == ACCOUNT
    texts.append(flow.snapshot())
    for record in caplog.records:
        texts.append(record.getMessage())
        texts.append(json.dumps(getattr(record, "jiko", None)))
    for obj in [result, result.application, result.customer, onboarding, flow]:
        assert_clean(obj, type(obj).__name__)
        assert_no_number(obj, type(obj).__name__)
    text = "\n".join(texts)
    for label, value in {**SENTINELS, **NUMBERS}.items():
        assert value not in text, f"the {label} appears in a log or a snapshot"


def test_engine_objects_and_flow_errors_show_no_sentinel() -> None:
    client = jiko.Client(base_url="http://127.0.0.1:9", signing_secret=SECRET)
    auth = jiko.Authenticator(USERNAME, PASSWORD)
    assert_clean(auth, "Authenticator")
    flow = jiko.OnboardingFlow.start(client, application(), 1_796_119_200_000, today="2026-11-27")
    step = flow.poll(1_796_119_200_000, auth)
    assert isinstance(step, jiko.Transmit) and step.operation == "login"
    for obj in [flow, step, step.request, flow.result(step)]:
        assert_clean(obj, type(obj).__name__)
    # Restoring with another applicant: a typed error that names nothing of either.
    snapshot = flow.snapshot()
    other = application(name__first_name="Quillonother")
    error = pytest.raises(jiko.FlowError, jiko.OnboardingFlow.restore, client, snapshot, other,
                          today="2026-11-27").value
    assert error.code == "application_mismatch"
    assert_clean(error, "application_mismatch")
    error = pytest.raises(jiko.FlowError, jiko.OnboardingFlow.restore, client, SSN + SECRET).value
    assert error.code == "snapshot_invalid"
    assert_clean(error, "snapshot_invalid")
    with pytest.raises(jiko.ValidationError) as invalid:
        jiko.OnboardingFlow.start(client, json.dumps(application())[:-3], 0)
    assert_clean(invalid.value, "invalid JSON application")
    with pytest.raises(jiko.ValidationError) as refused:
        jiko.Authenticator(USERNAME, "")
    assert_clean(refused.value, "empty password")


def test_webhook_errors_show_no_sentinel() -> None:
    body = json.dumps({"event_id": SSN, "event_type": EMAIL, "timestamp": DOB,
                       "payload": {"application_id": FIRST}}).encode()
    good = jiko.webhook_signature(SECRET, body)
    for headers, secrets, code in [
        ([], [SECRET], "missing_signature"),
        ([("x-jiko-signature", good)], [PASSWORD], "bad_signature"),
        ([("x-jiko-signature", jiko.webhook_signature(SECRET, b"{}"))], [SECRET], "bad_signature"),
        ([("x-jiko-signature", jiko.webhook_signature(SECRET, TOKEN.encode()))], [SECRET], "bad_signature"),
    ]:
        error = pytest.raises(jiko.WebhookError, jiko.verify_webhook, headers, body, secrets).value
        assert error.code == code
        assert_clean(error, code)
    malformed = jiko.webhook_signature(SECRET, TOKEN.encode())
    error = pytest.raises(jiko.WebhookError, jiko.verify_webhook,
                          [("x-jiko-signature", malformed)], TOKEN.encode(), SECRET).value
    assert error.code == "malformed"
    assert_clean(error, "malformed")
