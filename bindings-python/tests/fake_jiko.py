"""An in-process stand-in for Jiko's API, for the driver tests: a transport that
answers `PreparedRequest`s without a network, on a virtual clock. Outcomes follow the
guide's sandbox SSN rules through the SDK's own `sandbox_scenario`. A reused
idempotency key gets its first answer again (Jiko's stated purpose of the key), so a
resent Create makes no second application; `creates` counts the applications made.

Faults are scripted per operation and occurrence: `faults[("apply", 1)] = "reset"` makes
the first Apply take effect and lose its answer; "not_sent" fails before anything
happens; an int answers that status (with `retry_after` when set) before anything
happens."""

from __future__ import annotations

import asyncio
import json
import threading
import uuid
from collections import Counter
from typing import Any, Optional, Union

import jiko_onboarding as jiko

ROUTING, ACCOUNT = "021000021", "000123456789"
FLAGS = {
    "id_verification_documents_needed": [["ID_FRONT"], ["ID_BACK"], ["SELFIE", "PASSPORT"]],
    "identification_number_verification_document_needed": [["IDENTIFICATION_NUMBER_VERIFICATION"]],
    "address_verification_document_needed": [["ADDRESS_VERIFICATION"]],
}

Fault = Union[str, int]


def applicant(ssn: str) -> dict[str, Any]:
    return {
        "identification_number": ssn,
        "name": {"first_name": "Ada", "last_name": "Lovelace"},
        "email": "ada@example.com",
        "phone_number": "+15551234567",
        "date_of_birth": "1970-01-01",
        "investment_profile": {
            "employment_status": "EMPLOYED", "occupation": "Engineer",
            "income": "BETWEEN_100K_AND_250K", "net_worth": "BETWEEN_1M_AND_5M",
        },
        "agreement_consent": {"version": "1.0.0", "timestamp": "2026-01-01T00:00:00+00:00"},
        "address": {"street_address": "2000 Allston Way", "city": "Berkeley",
                    "postal_code": "94701", "state": "CA", "country": "US"},
    }


class VirtualClock(jiko.Clock):
    """Time that moves only when a driver sleeps (at once, unless woken)."""

    def __init__(self, now: float = 1_796_119_200.0) -> None:
        self.now = now
        self.slept: list[float] = []

    def time(self) -> float:
        return self.now

    def sleep(self, seconds: float, wake: threading.Event) -> None:
        self.slept.append(seconds)
        if not wake.is_set():
            self.now += seconds

    async def sleep_async(self, seconds: float, wake: asyncio.Event) -> None:
        self.slept.append(seconds)
        if not wake.is_set():
            self.now += seconds
        await asyncio.sleep(0)


class Application:
    def __init__(self, ssn: str) -> None:
        self.id = str(uuid.uuid4())
        self.scenario = jiko.sandbox_scenario(ssn)
        self.status = "CREATED"
        self.pending: Optional[str] = None  # the outcome the next read shows
        self.flags: dict[str, bool] = dict.fromkeys(FLAGS, False)
        self.uploaded: set[str] = set()
        self.customer_id: Optional[str] = None

    def body(self) -> dict[str, Any]:
        body: dict[str, Any] = {"id": self.id, "status": self.status, **self.flags,
                                "documents": [], "exception_reasons": []}
        if self.customer_id:
            body["customer_id"] = self.customer_id
        return body


class FakeJiko:
    def __init__(self, *, hold: Optional[str] = None) -> None:
        self.applications: dict[str, Application] = {}
        self.replies: dict[str, tuple[int, list[tuple[str, str]], bytes]] = {}
        self.faults: dict[tuple[str, int], Fault] = {}
        self.retry_after: Optional[str] = None
        self.seen: Counter[str] = Counter()
        self.sent: list[str] = []
        self.creates = 0
        # An outcome the reads do not show until `release()` (a review in progress).
        self.hold = hold

    # --- transports ----------------------------------------------------------------

    def __call__(self, request: jiko.PreparedRequest, timeout: float) -> jiko.Answer:
        operation = self.operation(request)
        self.seen[operation] += 1
        self.sent.append(operation)
        fault = self.faults.get((operation, self.seen[operation]))
        if fault == "not_sent":
            raise jiko.TransportError("refused", kind="not_sent")
        if isinstance(fault, int):
            headers = [("Retry-After", self.retry_after)] if self.retry_after else []
            return fault, headers, b'{"detail": "injected"}'
        key = request.idempotency_key
        if key is not None and key in self.replies:
            answer = self.replies[key]
        else:
            answer = self.answer(operation, request)
            if key is not None:
                self.replies[key] = answer
        if fault in ("reset", "timed_out"):
            raise jiko.TransportError("lost", kind=fault)  # type: ignore[arg-type]
        return answer

    async def async_transport(self, request: jiko.PreparedRequest, timeout: float) -> jiko.Answer:
        await asyncio.sleep(0)
        return self(request, timeout)

    def release(self, status: str) -> None:
        """The held outcome (a review) is decided."""
        self.hold = None
        for app in self.applications.values():
            if app.status in ("SUBMITTED", "MANUAL_REVIEW"):
                app.status = status
                if status == "APPROVED":
                    app.customer_id = str(uuid.uuid4())

    # --- the API ---------------------------------------------------------------------

    @staticmethod
    def operation(request: jiko.PreparedRequest) -> str:
        path, method = request.path, request.method
        if path == "/api/v1/login/":
            return "login"
        if path == "/api/v1/agreements/":
            return "list_agreements"
        if path == "/api/v1/applications/":
            return "create_application"
        if path.endswith("/apply/"):
            return "apply"
        if "/documents/" in path:
            return "upload_document"
        if path.startswith("/api/v1/applications/"):
            return "get_application"
        if path.endswith("/jiko-accounts/"):
            return "list_customer_accounts"
        if path.endswith("/portals/"):
            return "list_portals"
        if path.startswith("/api/v1/customers/") and method == "GET":
            return "get_customer"
        raise AssertionError(f"unexpected {method} {path}")

    def answer(self, operation: str, request: jiko.PreparedRequest) -> tuple[int, list[tuple[str, str]], bytes]:
        def ok(body: Any, status: int = 200) -> tuple[int, list[tuple[str, str]], bytes]:
            return status, [("Content-Type", "application/json")], json.dumps(body).encode()

        if operation == "login":
            return ok({"token": "fake-token", "expires": "2099-01-01T00:00:00+00:00"})
        assert request.header("authorization") == "Bearer fake-token"
        if operation == "list_agreements":
            return ok({"version": "1.0.0", "release_date": "2026-01-15", "documents": []})
        if operation == "create_application":
            self.creates += 1
            app = Application(json.loads(request.body)["identification_number"])
            self.applications[app.id] = app
            return ok(app.body(), 201)
        app_id = request.path.split("/")[4]
        if operation in ("get_customer", "list_customer_accounts"):
            return ok({"type": "INDIVIDUAL", "account_status": "OPEN"}
                      if operation == "get_customer" else
                      {"offset": 0, "count": 1,
                       "items": [{"id": "9d7c3e1a-1b2c-4d5e-8f90-a1b2c3d4e5f6", "name": "J1",
                                  "status": "OPEN"}]})
        if operation == "list_portals":
            return ok({"count": 1, "portals": [{
                "id": "1b2c3d4e-5f60-4a1b-9c2d-3e4f5a6b7c8d", "jiko_account_id": app_id,
                "routing_number": ROUTING, "account_number": ACCOUNT, "status": "OPEN",
                "name": "Default"}]})
        app = self.applications[app_id]
        if operation == "apply":
            if app.status not in ("CREATED", "PENDING"):
                return 409, [], b'{"detail": "conflict"}'
            app.pending = (app.scenario.status_after_apply if app.status == "CREATED"
                           else app.scenario.status_after_documents)
            app.status = "SUBMITTED"
            return ok(app.body())
        if operation == "upload_document":
            app.uploaded.add(request.path.split("/")[6])
            for flag, requirements in FLAGS.items():
                if app.flags[flag] and all(set(r) & app.uploaded for r in requirements):
                    app.flags[flag] = False
            if app.status == "DOCUMENTS_NEEDED" and not any(app.flags.values()):
                app.status = "PENDING"
            return ok({"success": True, "document_id": str(uuid.uuid4())})
        # get_application
        if app.status == "SUBMITTED" and app.pending and self.hold is None:
            app.status, app.pending = app.pending, None
            if app.status == "DOCUMENTS_NEEDED":
                app.flags["id_verification_documents_needed"] = app.scenario.id_verification_documents_needed
                app.flags["identification_number_verification_document_needed"] = (
                    app.scenario.identification_number_document_needed)
                app.flags["address_verification_document_needed"] = (
                    app.scenario.address_verification_document_needed)
            if app.status == "APPROVED":
                app.customer_id = str(uuid.uuid4())
        return ok(app.body())
