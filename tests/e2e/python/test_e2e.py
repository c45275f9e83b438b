"""End-to-end: the installed jiko_onboarding wheel against the local Jiko sandbox
simulator (tests/sandbox, binary `jiko-sandbox`), over real HTTP with the standard
library's urllib.request only (issue 6 item 4).

Each test module run starts the simulator binary on a free port (`--port 0`) and reads
its first line, `listening on http://127.0.0.1:PORT`. The flows follow the guide's
sandbox SSN table and decide every step with the SDK's next_action and
required_documents, as a partner's code would:

    4xx  CREATED, SUBMITTED, APPROVED
    5xx  CREATED, SUBMITTED, REJECTED
    3xx  CREATED, SUBMITTED, MANUAL_REVIEW
    21x  CREATED, SUBMITTED, DOCUMENTS_NEEDED, upload ID_FRONT, ID_BACK, SELFIE,
         PENDING, apply, SUBMITTED, APPROVED
    231  ... DOCUMENTS_NEEDED, upload ADDRESS_VERIFICATION, PENDING, ... MANUAL_REVIEW
    24x  ... DOCUMENTS_NEEDED, upload the ID documents and
         IDENTIFICATION_NUMBER_VERIFICATION, PENDING, ... APPROVED

The negative cases check that each refusal surfaces as the right ApiError: a tampered
body or path (401, unauthorized), a reused idempotency key (409, conflict, against a
simulator started with `--idempotency reject`; by default the same request sent again
gets its first answer again), an expired token (401, unauthorized), a body the server
refuses (422, validation, with field errors), wrong credentials, Apply on a final
status, an unknown application.

Run by `make -C bindings-python e2e`. The simulator binary is $JIKO_SANDBOX_BIN, or
target/debug/jiko-sandbox (`cargo build -p jiko-sandbox`); the test fails, never skips,
when it is missing.
"""

from __future__ import annotations

import datetime
import json
import os
import pathlib
import struct
import subprocess
import tempfile
import threading
import urllib.error
import urllib.request
import zlib
from typing import Iterator, Optional

import pytest

import jiko_onboarding as jiko

from sandbox import PASSWORD, SECRET, USERNAME, Simulator

HTTP_TIMEOUT_SECONDS = 30
MAX_STEPS = 40  # a flow longer than this is a bug (the simulator decides on the next poll)


@pytest.fixture(scope="module")
def simulator() -> Iterator[Simulator]:
    sim = Simulator()
    yield sim
    sim.stop()


@pytest.fixture
def client(simulator: Simulator) -> jiko.Client:
    return jiko.Client(base_url=simulator.base_url, signing_secret=SECRET)


# --- HTTP with the standard library ------------------------------------------------


Reply = tuple[int, bytes, Optional[str]]


def http(method: str, url: str, headers: dict[str, str], body: bytes) -> Reply:
    """One request with urllib; returns (status, body, Retry-After) for the parsers."""
    request = urllib.request.Request(url, data=body or None, headers=headers, method=method)
    try:
        with urllib.request.urlopen(request, timeout=HTTP_TIMEOUT_SECONDS) as response:
            return response.status, response.read(), response.headers.get("Retry-After")
    except urllib.error.HTTPError as error:  # 4xx and 5xx: the parser raises ApiError
        with error:
            return error.code, error.read(), error.headers.get("Retry-After")


def send(request: jiko.PreparedRequest, *, body: Optional[bytes] = None, url: Optional[str] = None) -> Reply:
    """Sends a prepared request as it is, or with another body or URL (the tampering
    tests; the headers, signature included, stay those of the prepared request)."""
    headers = request.headers_dict
    if body is not None:
        headers = {k: (str(len(body)) if k.lower() == "content-length" else v) for k, v in headers.items()}
    return http(request.method, url or request.url, headers, request.body if body is None else body)


def login(client: jiko.Client) -> jiko.Session:
    return jiko.parse_login(*send(client.login(USERNAME, PASSWORD)))


def png() -> bytes:
    """A valid 1x1 grey PNG, made with zlib."""

    def chunk(kind: bytes, data: bytes) -> bytes:
        body = kind + data
        return struct.pack(">I", len(data)) + body + struct.pack(">I", zlib.crc32(body))

    header = struct.pack(">IIBBBBB", 1, 1, 8, 0, 0, 0, 0)  # 1x1, 8-bit greyscale
    return b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", header) + chunk(b"IDAT", zlib.compress(b"\x00\x80")) + chunk(b"IEND", b"")


def applicant(ssn: str, version: str) -> jiko.CreateApplicationDict:
    return {
        "identification_number": ssn,
        "name": {"first_name": "Ada", "last_name": "Lovelace"},
        "email": "ada@example.com",
        "phone_number": "+15551234567",
        "date_of_birth": datetime.date(1970, 1, 1),
        "investment_profile": {
            "employment_status": "EMPLOYED",
            "occupation": "Engineer",
            "income": "BETWEEN_100K_AND_250K",
            "net_worth": "BETWEEN_1M_AND_5M",
        },
        "agreement_consent": {
            "version": version,
            "timestamp": datetime.datetime.now(datetime.timezone.utc),
        },
        "address": {
            "street_address": "2000 Allston Way",
            "city": "Berkeley",
            "postal_code": "94701",
            "state": "CA",
            "country": "US",
        },
    }


# --- the flows -----------------------------------------------------------------------


def run_flow(client: jiko.Client, ssn: str) -> tuple[jiko.Application, list[str], list[str]]:
    """Onboards one applicant the way a partner would: login, agreements, create, then
    whatever next_action says until a final answer. Returns the application, the
    statuses seen (consecutive repeats collapsed) and the document types uploaded."""
    session = login(client)
    assert not session.needs_refresh()
    agreements = jiko.parse_agreements(*send(client.list_agreements(session)))
    assert agreements.version and agreements.documents
    app = jiko.parse_application(*send(client.create_application(session, applicant(ssn, agreements.version))))
    statuses = [app.status]
    uploaded: list[str] = []

    def seen(a: jiko.Application) -> jiko.Application:
        assert a.id == app.id
        if a.status != statuses[-1]:
            statuses.append(a.status)
        return a

    for _ in range(MAX_STEPS):
        action = jiko.next_action(app)
        if action.kind == "apply":
            app = seen(jiko.parse_application(*send(client.apply(session, app.id))))
        elif action.kind == "wait" and action.reason == "manual_review":
            break  # the simulator never decides a review
        elif action.kind == "wait":
            app = seen(jiko.parse_application(*send(client.get_application(session, app.id))))
        elif action.kind == "upload_documents":
            assert [r.to_dict() for r in action.requirements] == [
                r.to_dict() for r in jiko.required_documents(app)
            ]
            for requirement in action.requirements:
                document_type = requirement.one_of[0]  # SELFIE for "SELFIE or PASSPORT"
                result = jiko.parse_upload(*send(
                    client.upload_document(session, app.id, document_type, "image/png", png())
                ))
                assert result.success and result.document_id
                uploaded.append(document_type)
            app = seen(jiko.parse_application(*send(client.get_application(session, app.id))))
        elif action.kind in ("approved", "rejected"):
            break
        else:
            pytest.fail(f"unexpected next action {action!r} in status {app.status}")
    else:
        pytest.fail(f"no final answer after {MAX_STEPS} steps: {statuses}")
    return app, statuses, uploaded


CREATED, SUBMITTED, DOCS, PENDING = "CREATED", "SUBMITTED", "DOCUMENTS_NEEDED", "PENDING"
ID_DOCS = ["ID_FRONT", "ID_BACK", "SELFIE"]
FLOWS = [
    ("4 approved", "412345678", [CREATED, SUBMITTED, "APPROVED"], []),
    ("5 rejected", "512345678", [CREATED, SUBMITTED, "REJECTED"], []),
    ("3 manual review", "312345678", [CREATED, SUBMITTED, "MANUAL_REVIEW"], []),
    ("21x id documents, approved", "212345678",
     [CREATED, SUBMITTED, DOCS, PENDING, SUBMITTED, "APPROVED"], ID_DOCS),
    ("231 address document, manual review", "231234567",
     [CREATED, SUBMITTED, DOCS, PENDING, SUBMITTED, "MANUAL_REVIEW"], ["ADDRESS_VERIFICATION"]),
    ("24x id and id-number documents, approved", "242345678",
     [CREATED, SUBMITTED, DOCS, PENDING, SUBMITTED, "APPROVED"],
     [*ID_DOCS, "IDENTIFICATION_NUMBER_VERIFICATION"]),
]


@pytest.mark.parametrize("ssn,statuses,uploads", [f[1:] for f in FLOWS], ids=[f[0] for f in FLOWS])
def test_flow(client: jiko.Client, ssn: str, statuses: list[str], uploads: list[str]) -> None:
    scenario = jiko.sandbox_scenario(ssn)  # the SDK's own reading of the guide's table
    app, seen, uploaded = run_flow(client, ssn)
    assert seen == statuses
    assert uploaded == uploads
    assert app.status == statuses[-1]
    assert scenario.status_after_apply == statuses[2]
    final = jiko.next_action(app)
    if app.status == "APPROVED":
        assert app.customer_id and final.kind == "approved" and final.customer_id == app.customer_id
        assert all(d.status == "APPROVED" for d in app.documents if d.type in uploads)
    elif app.status == "REJECTED":
        assert final.kind == "rejected" and app.customer_id is None
    else:
        assert (final.kind, final.reason) == ("wait", "manual_review") and app.customer_id is None
    assert not any(
        (app.id_verification_documents_needed,
         app.identification_number_verification_document_needed,
         app.address_verification_document_needed)
    )
    assert jiko.required_documents(app) == []
    # The simulator's answer reads back the same as the SDK's wire form.
    assert jiko.Application.from_dict(app.to_dict()) == app


def test_create_application_from_json_text(client: jiko.Client) -> None:
    """The fast path for a body that is already JSON: the server accepts it the same."""
    session = login(client)
    body = dict(applicant("412345678", "1.0.0"))
    body["date_of_birth"] = "1970-01-01"
    body["agreement_consent"] = {"version": "1.0.0", "timestamp": "2026-11-27T10:00:00+00:00"}
    for text in [json.dumps(body), json.dumps(body).encode()]:
        app = jiko.parse_application(*send(client.create_application(session, text)))
        assert app.status == "CREATED"


# --- refusals --------------------------------------------------------------------


def api_error(status: int, body: bytes, retry_after: Optional[str]) -> jiko.ApiError:
    with pytest.raises(jiko.ApiError) as info:
        jiko.parse_application(status, body, retry_after)
    return info.value


def created(client: jiko.Client, session: jiko.Session, ssn: str = "412345678") -> jiko.Application:
    return jiko.parse_application(*send(client.create_application(session, applicant(ssn, "1.0.0"))))


def test_a_tampered_body_is_unauthorized(client: jiko.Client) -> None:
    session = login(client)
    prepared = client.create_application(session, applicant("412345678", "1.0.0"))
    tampered = prepared.body.replace(b'"Ada"', b'"Eve"')
    assert tampered != prepared.body
    error = api_error(*send(prepared, body=tampered))
    assert (error.status, error.kind, error.code, error.retryable) == (401, "unauthorized", "api_unauthorized", False)
    # The untouched request is still accepted (the refused one did not use up its key).
    assert jiko.parse_application(*send(prepared)).status == "CREATED"


def test_a_tampered_path_is_unauthorized(client: jiko.Client) -> None:
    session = login(client)
    a, b = created(client, session), created(client, session)
    prepared = client.get_application(session, a.id)
    error = api_error(*send(prepared, url=prepared.url.replace(a.id, b.id)))
    assert (error.status, error.kind) == (401, "unauthorized")


def test_a_wrong_secret_is_unauthorized(simulator: Simulator) -> None:
    other = jiko.Client(base_url=simulator.base_url, signing_secret="not-the-shared-secret")
    session = login(other)  # login is not signed
    error = api_error(*send(other.list_agreements(session)))
    assert (error.status, error.kind) == (401, "unauthorized")


def test_a_resent_request_gets_its_first_answer_again(client: jiko.Client) -> None:
    """The simulator's default (`--idempotency replay`): the same prepared request sent
    twice (the first answer lost, say) gets the same answer, and creates one application."""
    session = login(client)
    prepared = client.create_application(session, applicant("412345678", "1.0.0"))
    first, again = send(prepared), send(prepared)
    assert first[0] == again[0] == 201
    assert first[1] == again[1]
    assert jiko.parse_application(*again).status == "CREATED"


def test_a_reused_idempotency_key_is_a_conflict() -> None:
    rejecting = Simulator("--idempotency", "reject")
    try:
        client = jiko.Client(base_url=rejecting.base_url, signing_secret=SECRET)
        session = login(client)
        prepared = client.create_application(session, applicant("412345678", "1.0.0"))
        assert jiko.parse_application(*send(prepared)).status == "CREATED"
        error = api_error(*send(prepared))  # the same request, the same key
        assert (error.status, error.kind, error.code) == (409, "conflict", "api_conflict")
        # The same key on another operation is refused too.
        app = created(client, session)
        key = jiko.new_idempotency_key()
        jiko.parse_application(*send(client.get_application(session, app.id, key)))
        error = api_error(*send(client.apply(session, app.id, key)))
        assert (error.status, error.kind) == (409, "conflict")
    finally:
        rejecting.stop()


def test_an_expired_token_is_unauthorized() -> None:
    expired = Simulator("--token-lifetime-seconds", "0")
    try:
        client = jiko.Client(base_url=expired.base_url, signing_secret=SECRET)
        session = login(client)
        assert session.needs_refresh()  # the SDK says so before anything is sent
        for prepared in [
            client.list_agreements(session),
            client.create_application(session, applicant("412345678", "1.0.0")),
            client.get_application(session, "0b7b1c9e-3c1a-4f0e-9a57-2f4f1d6d2a10"),
        ]:
            error = api_error(*send(prepared))
            assert (error.status, error.kind, error.code) == (401, "unauthorized", "api_unauthorized")
    finally:
        expired.stop()


def test_unknown_and_missing_tokens_are_unauthorized(client: jiko.Client) -> None:
    prepared = client.list_agreements("0" * 64)
    assert api_error(*send(prepared)).kind == "unauthorized"
    headers = {k: v for k, v in prepared.headers_dict.items() if k.lower() != "authorization"}
    assert api_error(*http("GET", prepared.url, headers, b"")).kind == "unauthorized"


def test_wrong_credentials_are_unauthorized(client: jiko.Client) -> None:
    with pytest.raises(jiko.ApiError) as info:
        jiko.parse_login(*send(client.login(USERNAME, "not-the-password")))
    assert (info.value.status, info.value.kind) == (401, "unauthorized")
    assert "not-the-password" not in str(info.value) + repr(info.value)


def send_signed_by_hand(client: jiko.Client, session: jiko.Session, body: bytes) -> Reply:
    """Sends a Create Application body that skipped the SDK's validation, with the
    headers the SDK would send and the signature over this body (Signer, not Client)."""
    template = client.create_application(session, applicant("412345678", "1.0.0"))
    key = jiko.new_idempotency_key()
    replace = {
        "x-jiko-idempotency": key,
        "x-jiko-signature": client.signer.sign(key, template.path, body),
        "content-length": str(len(body)),
    }
    headers = {k: replace.get(k.lower(), v) for k, v in template.headers_dict.items()}
    return http("POST", template.url, headers, body)


def test_a_refused_body_is_a_validation_error_with_field_errors(client: jiko.Client) -> None:
    session = login(client)
    today = datetime.date.today()
    minor = dict(applicant("412345678", "1.0.0"))
    minor["date_of_birth"] = today.replace(year=today.year - 10).isoformat()
    minor["agreement_consent"] = {"version": "1.0.0", "timestamp": "2026-11-27T10:00:00+00:00"}
    # The SDK refuses it before sending ...
    with pytest.raises(jiko.ValidationError) as refused:
        client.create_application(session, minor)
    assert [(e["path"], e["code"]) for e in refused.value.errors()] == [("date_of_birth", "under_age")]
    # ... and so does the server, when it is sent anyway.
    error = api_error(*send_signed_by_hand(client, session, json.dumps(minor).encode()))
    assert (error.status, error.kind, error.code, error.retryable) == (422, "validation", "api_validation", False)
    assert [(e["path"], e["code"]) for e in error.errors()] == [("date_of_birth", "under_age")]
    assert minor["date_of_birth"] not in str(error) + json.dumps(error.errors())
    # Several problems at once, each with its dotted path.
    broken = dict(minor, email="not-an-email", identification_number="12-34")
    broken["address"] = dict(minor["address"], postal_code="ABCDE")
    error = api_error(*send_signed_by_hand(client, session, json.dumps(broken).encode()))
    assert error.kind == "validation"
    assert {(e["path"], e["code"]) for e in error.errors()} >= {
        ("identification_number", "invalid_ssn"),
        ("email", "invalid_email"),
        ("date_of_birth", "under_age"),
        ("address.postal_code", "invalid_postal_code"),
    }


def test_apply_on_a_final_status_is_a_conflict_and_unknown_ids_are_not_found(client: jiko.Client) -> None:
    app, statuses, _ = run_flow(client, "512345678")
    assert statuses[-1] == "REJECTED"
    session = login(client)
    error = api_error(*send(client.apply(session, app.id)))
    assert (error.status, error.kind) == (409, "conflict")
    unknown = "0b7b1c9e-3c1a-4f0e-9a57-2f4f1d6d2a10"
    for prepared in [client.get_application(session, unknown), client.apply(session, unknown)]:
        error = api_error(*send(prepared))
        assert (error.status, error.kind, error.code) == (404, "not_found", "api_not_found")


def test_an_upload_the_server_refuses(client: jiko.Client) -> None:
    """A JPEG that is really a PNG passes no SDK check when built by hand; the server
    runs the same check and answers 422."""
    session = login(client)
    app = created(client, session, "212345678")
    prepared = client.upload_document(session, app.id, "ID_FRONT", "image/png", png())
    headers = {k: ("image/jpeg" if k.lower() == "content-type" else v) for k, v in prepared.headers_dict.items()}
    with pytest.raises(jiko.ApiError) as refused:
        jiko.parse_upload(*http("POST", prepared.url, headers, prepared.body))
    assert (refused.value.status, refused.value.kind) == (422, "validation")
    assert [e["code"] for e in refused.value.errors()] == ["wrong_type"]
