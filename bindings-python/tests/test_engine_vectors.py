"""The flow engine's shared vectors (retry.json, poll.json, webhooks.json, flows.json),
through the public Python API of the installed package. The flows harness mirrors
core/tests/vectors.rs (`Harness`): read it with tests/vectors/README.md."""

from __future__ import annotations

from typing import Any, Optional, Union

import pytest

import jiko_onboarding as jiko
from conftest import vector_bytes, vector_cases

# --- retry.json ----------------------------------------------------------------------


@pytest.mark.parametrize("case", vector_cases("retry.json"))
def test_retry(case: dict[str, Any]) -> None:
    if "header" in case:
        assert jiko.retry_after_ms(case["header"], case["now_ms"]) == case["expect_ms"]
        return
    given = case["input"]
    decision = jiko.retry_decision(
        given["observed"], given["kind"], given["retries"], given["key_age_ms"],
        given["relogged_in"], given["ambiguous_before"], given["random"],
        policy=case.get("policy"),
    )
    assert dict(decision) == case["expect"]


# --- poll.json -----------------------------------------------------------------------


@pytest.mark.parametrize("case", vector_cases("poll.json"))
def test_poll(case: dict[str, Any]) -> None:
    given = case["input"]
    delay = jiko.poll_delay_ms(
        given["reason"], given["waited_ms"], given["reads"], given["webhooks"],
        given["random"], policy=case.get("policy"),
    )
    assert delay == case["expect_delay_ms"]


# --- webhooks.json -------------------------------------------------------------------


@pytest.mark.parametrize("case", vector_cases("webhooks.json"))
def test_webhooks(case: dict[str, Any]) -> None:
    headers = [tuple(h) for h in case["headers"]]
    body = vector_bytes(case["body"])
    expect = case["expect"]
    if "error" in expect:
        with pytest.raises(jiko.WebhookError) as info:
            jiko.verify_webhook(headers, body, case["secrets"])
        assert info.value.code == expect["error"]
        assert isinstance(info.value, jiko.JikoError)
        for secret in case["secrets"]:
            assert len(secret) < 4 or secret not in str(info.value) + repr(info.value)
        return
    event = jiko.verify_webhook(headers, body, case["secrets"])
    assert {
        "event_id": event.event_id,
        "event_type": event.event_type,
        "timestamp": event.timestamp,
        "application_id": event.application_id,
    } == expect["ok"]
    # The same with the headers as a dict and as ASGI's bytes pairs.
    assert jiko.verify_webhook(dict(headers), body, case["secrets"]) == event
    raw = [(n.encode("latin-1"), v.encode("latin-1")) for n, v in headers]
    assert jiko.verify_webhook(raw, body, case["secrets"]) == event


# --- flows.json ----------------------------------------------------------------------

CLIENT = jiko.Client(base_url="http://127.0.0.1:8080", signing_secret="sandbox-signing-secret")
Step = Union[jiko.Transmit, jiko.Wait, jiko.NeedDocuments, jiko.Done]


class Harness:
    """One transcript being run: the flow, its authenticator and clock, and what the
    host remembers: every key sent, the last request of each operation, and the
    documents provided and not yet uploaded."""

    def __init__(self, case: dict[str, Any]) -> None:
        self.name = case["name"]
        self.config = case["config"]
        self.application = case["application"]
        self.today = case["today"]
        self.restore_every_step = case["restore_every_step"]
        self.now: int = case["start_ms"]
        self.flow = jiko.OnboardingFlow.start(
            CLIENT, self.application, self.now, today=self.today, config=self.config
        )
        self.auth = jiko.Authenticator("sandbox-user", "sandbox-password")
        self.keys: set[str] = set()
        self.last_sent: dict[str, jiko.PreparedRequest] = {}
        self.documents: list[tuple[str, str, bytes]] = []

    def run(self, script: list[dict[str, Any]]) -> None:
        for i, entry in enumerate(script):
            at = f"{self.name} entry {i}"
            if "expect" in entry:
                expected = entry["expect"]
                if self.restore_every_step and not self.flow.is_finished:
                    self.restore()
                step = self.flow.poll(self.now, self.auth)
                again = self.flow.poll(self.now, self.auth)  # the same step, unanswered
                assert repr(again) == repr(step), at
                assert step.kind in expected, (at, expected, step)
                if isinstance(step, jiko.Transmit):
                    self.check_send(step, expected["send"], at)
                    self.answer(step, entry.get("then"), at)
                elif isinstance(step, jiko.Wait):
                    self.check_wait(step, expected["wait"], at)
                    if not entry.get("stay"):
                        self.now = step.until_ms
                elif isinstance(step, jiko.NeedDocuments):
                    got = [r.to_dict() for r in step.requirements]
                    assert got == expected["need_documents"]["requirements"], at
                else:
                    self.check_done(step, expected["done"], at)
            elif "notify" in entry:
                self.flow.notify(self.now)
            elif "provide" in entry:
                self.provide(entry["provide"], entry.get("error"), at)
            elif "restore" in entry:
                self.restore()
            elif "advance_ms" in entry:
                self.now += entry["advance_ms"]
            else:
                raise AssertionError(f"{at}: unknown entry {entry}")

    def restore(self) -> None:
        snapshot = self.flow.snapshot()
        self.flow = jiko.OnboardingFlow.restore(
            CLIENT, snapshot, self.application, today=self.today, config=self.config
        )
        for document_type, content_type, data in self.documents:
            self.flow.provide_document(document_type, content_type, data)  # type: ignore[arg-type]

    def check_send(self, transmit: jiko.Transmit, expected: dict[str, Any], at: str) -> None:
        operation, request = transmit.operation, transmit.request
        assert operation == expected["operation"], at
        assert request.method == expected["method"], at
        assert request.path == expected["path"], at
        key = request.idempotency_key
        if expected["key"] is None:
            assert key is None, at
        elif expected["key"] == "new":
            assert key is not None and key not in self.keys, f"{at}: a key sent before"
            self.keys.add(key)
        else:
            previous = self.last_sent[operation]
            assert key == previous.idempotency_key, f"{at}: another key"
            assert request.body == previous.body, f"{at}: other bytes"
            assert request.header("x-jiko-signature") == previous.header("x-jiko-signature"), at
        if "token" in expected:
            assert request.header("authorization") == f"Bearer {expected['token']}", at
        self.last_sent[operation] = request

    def answer(self, transmit: jiko.Transmit, then: Optional[dict[str, Any]], at: str) -> None:
        if then is None:
            return  # stays outstanding (a restore follows)
        if "transport" in then:
            self.flow.handle_transport_error(transmit.attempt, then["transport"], self.now, self.auth)
            return
        status = then["status"]
        headers = [tuple(h) for h in then.get("headers", [])]
        self.flow.handle_response(
            transmit.attempt, status, headers, vector_bytes(then["body"]), self.now, self.auth
        )
        # An uploaded document is no longer the host's to give again.
        if transmit.operation == "upload_document" and 200 <= status < 300:
            path = transmit.request.path
            self.documents = [d for d in self.documents if not path.endswith(f"/{d[0]}/file/")]

    def check_wait(self, wait: jiko.Wait, expected: dict[str, Any], at: str) -> None:
        assert wait.reason == expected["reason"], (at, wait)
        assert wait.retry_reason == expected.get("retry_reason"), at
        delay = wait.until_ms - self.now
        assert expected["min_ms"] <= delay <= expected["max_ms"], (at, delay)

    def provide(self, document: dict[str, Any], error: Optional[str], at: str) -> None:
        document_type, content_type = document["document_type"], document["content_type"]
        data = vector_bytes(document["bytes"])
        if error is not None:
            with pytest.raises(jiko.JikoError) as info:
                self.flow.provide_document(document_type, content_type, data)
            assert info.value.code == error, at
            return
        self.flow.provide_document(document_type, content_type, data)
        self.documents.append((document_type, content_type, data))

    def check_done(self, done: jiko.Done, expected: dict[str, Any], at: str) -> None:
        assert done.state == expected["state"], (at, done)
        if done.state == "approved":
            assert done.customer is not None
            assert done.customer.to_dict() == expected["customer"], at
        elif done.state == "failed":
            error = done.error
            assert isinstance(error, jiko.JikoError), at
            assert error.code == expected["code"], (at, error)
            if "status" in expected:
                assert isinstance(error, jiko.ApiError) and error.status == expected["status"], at
            key = getattr(error, "idempotency_key", None)
            if "idempotency_key" in expected:
                create_key = self.last_sent["create_application"].idempotency_key
                assert key == create_key and key is not None, at
                assert key in str(error), at
            else:
                assert key is None, at
        # The driver's view of the same step.
        result = self.flow.result(done)
        assert result.state == done.state, at


@pytest.mark.parametrize("case", vector_cases("flows.json"))
def test_flows(case: dict[str, Any]) -> None:
    Harness(case).run(case["script"])
