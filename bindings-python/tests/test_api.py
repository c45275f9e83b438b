"""The Python surface beyond the shared vectors: exception types, reprs, threads and
the GIL, to_dict round trips, typing aliases against the stubs, and the README example
run against a local HTTP server."""

from __future__ import annotations

import ast
import base64
import datetime
import hashlib
import hmac
import http.server
import importlib.util
import io
import json
import math
import pathlib
import pickle
import subprocess
import sys
import threading
import time
import typing
from concurrent.futures import ThreadPoolExecutor
from contextlib import redirect_stdout
from typing import Any, Iterator

import pytest

import jiko_onboarding as jiko
from conftest import VECTORS, vector_bytes

HERE = pathlib.Path(__file__).resolve().parent
EXAMPLES = HERE.parent / "examples"
APP_ID = "0b7b1c9e-3c1a-4f0e-9a57-2f4f1d6d2a10"
SECRET = "shared-secret-do-not-print"
TOKEN = "tok-do-not-print"
SSN = "211009876"

PERSONAL = {
    "identification_number": SSN,
    "name": {"first_name": "Zelda", "middle_name": "Quentina", "last_name": "Fitzgerald"},
    "email": "zelda@example.com",
    "phone_number": "+14155550123",
    "date_of_birth": "1980-02-03",
    "investment_profile": {
        "employment_status": "EMPLOYED",
        "occupation": "Novelist",
        "income": "OVER_250K",
        "net_worth": "OVER_5M",
    },
    "agreement_consent": {"version": "7", "timestamp": "2026-01-02T03:04:05+00:00"},
    "address": {
        "street_address": "19 Sayre Street",
        "city": "Montgomery",
        "postal_code": "36104",
        "state": "AL",
        "country": "US",
    },
}
PERSONAL_STRINGS = [
    SSN,
    "Zelda",
    "Quentina",
    "Fitzgerald",
    "zelda@example.com",
    "14155550123",
    "1980-02-03",
    "Novelist",
    "Sayre",
    "Montgomery",
    "36104",
]


def application_response(**extra: Any) -> dict[str, Any]:
    body: dict[str, Any] = {
        "id": APP_ID,
        "status": "DOCUMENTS_NEEDED",
        "time_created": "2026-11-27T10:00:00+00:00",
        "updated_at": "2026-11-27T10:05:00+00:00",
        "name": PERSONAL["name"],
        "email": PERSONAL["email"],
        "phone_number": "14155550123",
        "date_of_birth": {"date_of_birth": PERSONAL["date_of_birth"]},
        "investment_profile": PERSONAL["investment_profile"],
        "agreement_consent": PERSONAL["agreement_consent"],
        "address": PERSONAL["address"],
        "citizenship_country": "US",
        "documents": [
            {"id": "d1", "type": "ID_FRONT", "status": "PENDING_REVIEW", "name": "zelda.png"},
            {"id": "d2", "type": "ID_BACK", "status": "INVALID", "exception_reason": "blurry"},
        ],
        "exception_reasons": ["Fitzgerald mismatch"],
        "id_verification_documents_needed": True,
        "identification_number_verification_document_needed": False,
        "address_verification_document_needed": True,
    }
    body.update(extra)
    return body


def client() -> jiko.Client:
    return jiko.Client(base_url="http://127.0.0.1:8080", signing_secret=SECRET)


# --- packaging -------------------------------------------------------------------


def test_runs_against_the_installed_wheel() -> None:
    package = pathlib.Path(jiko.__file__).resolve().parent
    assert "site-packages" in package.parts, package
    assert (package / "py.typed").exists()
    assert (package / "_native.pyi").exists()
    assert jiko.__version__ == jiko.version()
    assert jiko._native.__file__.endswith(".abi3.so")  # type: ignore[attr-defined]


def test_every_export_exists() -> None:
    for name in jiko.__all__:
        assert hasattr(jiko, name), name
    # The lazily loaded names are listed again, literally, in __all__ (type checkers
    # re-export only what a literal __all__ names): the two lists must not drift.
    lazy = set().union(*jiko._LAZY.values())  # type: ignore[attr-defined]
    assert lazy <= set(jiko.__all__), sorted(lazy - set(jiko.__all__))
    public_classes = [
        jiko.Client, jiko.Signer, jiko.Session, jiko.PreparedRequest, jiko.OnboardingFlow,
        jiko.Authenticator, jiko.FlowResult,
    ]
    for cls in public_classes:
        assert cls.__module__ == "jiko_onboarding", cls
    # Every record class is one the core knows by that name, and the other way round.
    records = {name for name in jiko.__all__ if isinstance(getattr(jiko, name), type)
               and issubclass(getattr(jiko, name), jiko.Record) and name != "Record"}
    assert records == set(jiko._native._record_names())  # type: ignore[attr-defined]


# --- exceptions ------------------------------------------------------------------


def test_exception_hierarchy() -> None:
    assert issubclass(jiko.JikoError, Exception)
    assert issubclass(jiko.ValidationError, jiko.JikoError)
    assert issubclass(jiko.ValidationError, ValueError)
    assert issubclass(jiko.ApiError, jiko.JikoError)
    assert not issubclass(jiko.ApiError, ValueError)
    assert issubclass(jiko.DocumentError, jiko.JikoError)
    assert issubclass(jiko.DocumentError, ValueError)
    assert issubclass(jiko.InvalidArgumentError, jiko.JikoError)
    assert issubclass(jiko.InvalidArgumentError, ValueError)


def test_validation_error() -> None:
    bad = dict(PERSONAL, identification_number="211-00-9876", email="zelda(at)example.com")
    with pytest.raises(jiko.ValidationError) as info:
        client().create_application(TOKEN, bad, today="2026-11-27")
    e = info.value
    assert e.code == "validation_failed"
    errors = e.errors()
    assert [(x["path"], x["code"]) for x in errors] == [
        ("identification_number", "invalid_ssn"),
        ("email", "invalid_email"),
    ]
    assert all(set(x) == {"path", "code", "message"} for x in errors)
    errors[0]["path"] = "changed"  # errors() returns copies
    assert e.errors()[0]["path"] == "identification_number"
    text = str(e) + repr(e) + json.dumps(e.errors())
    for s in ["211-00-9876", "zelda(at)example.com", *PERSONAL_STRINGS]:
        assert s not in text


def test_api_error() -> None:
    body = json.dumps(
        {"detail": [{"loc": ["body", "email"], "msg": "zelda@example.com is bad", "type": "value_error"}]}
    )
    with pytest.raises(jiko.ApiError) as info:
        jiko.parse_application(422, body)
    e = info.value
    assert (e.status, e.kind, e.code, e.retryable) == (422, "validation", "api_validation", False)
    assert e.errors() == [
        {"path": "email", "code": "value_error", "message": "rejected by the server (value_error)"}
    ]
    assert "zelda" not in str(e) + repr(e)
    with pytest.raises(jiko.ApiError) as info:
        jiko.parse_login(503, "<html>down</html>", retry_after="12")
    assert (info.value.kind, info.value.retryable, info.value.retry_after_seconds) == (
        "server",
        True,
        12,
    )


def test_document_and_argument_errors() -> None:
    with pytest.raises(jiko.DocumentError) as d:
        client().upload_document(TOKEN, APP_ID, "SELFIE", "image/png", b"")
    assert d.value.code == "empty"
    for call, code in [
        (lambda: client().get_application(TOKEN, "../login"), "invalid_application_id"),
        (lambda: client().apply(TOKEN, APP_ID, "not-a-uuid"), "invalid_idempotency_key"),
        (lambda: client().apply("bad token", APP_ID), "invalid_token"),
        (lambda: jiko.Signer(""), "invalid_secret"),
        (lambda: jiko.Client(environment="staging", partner="a", signing_secret="s"), "invalid_environment"),
        (lambda: jiko.validate_application({}, today="2026-02-30"), "invalid_date"),
        (lambda: jiko.Application.from_dict({"id": 5}), "invalid_model"),
    ]:
        with pytest.raises(jiko.InvalidArgumentError) as info:
            call()
        assert info.value.code == code
        assert TOKEN not in str(info.value)


@pytest.mark.parametrize(
    "error",
    [
        jiko.JikoError("m", code="c"),
        jiko.InvalidArgumentError("m", code="invalid_token"),
        jiko.ValidationError("m", errors=[{"path": "p", "code": "c", "message": "x"}]),
        jiko.ApiError(
            "m", code="api_rate_limited", status=429, kind="rate_limited",
            retry_after_seconds=3, retryable=True,
        ),
        jiko.DocumentError("m", code="too_large"),
    ],
)
def test_exceptions_pickle(error: jiko.JikoError) -> None:
    # Celery and multiprocessing pickle exceptions.
    again = pickle.loads(pickle.dumps(error))
    assert type(again) is type(error)
    assert str(again) == str(error)
    assert vars(again) == vars(error)


def test_python_type_errors_name_paths_not_values() -> None:
    cases: list[tuple[Any, type[Exception]]] = [
        (dict(PERSONAL, email=object()), TypeError),
        (dict(PERSONAL, name={SSN: object()}), TypeError),
        (dict(PERSONAL, name={1: "Zelda"}), TypeError),
        (dict(PERSONAL, phone_number=math.nan), ValueError),
        (dict(PERSONAL, phone_number=10**30), OverflowError),
    ]
    for application, error in cases:
        with pytest.raises(error) as info:
            jiko.validate_application(application, today="2026-11-27")
        assert not isinstance(info.value, jiko.JikoError)
        for s in PERSONAL_STRINGS:
            assert s not in str(info.value)
    nested: dict[str, Any] = {}
    nested["self"] = nested
    with pytest.raises(ValueError, match="nested"):
        jiko.validate_application(nested)
    with pytest.raises(TypeError):
        jiko.validate_application(PERSONAL, today=20261127)  # type: ignore[arg-type]
    with pytest.raises(TypeError):
        jiko.Client(base_url="http://127.0.0.1:1", environment="sandbox", signing_secret="s")  # type: ignore[call-overload]
    with pytest.raises(TypeError):
        jiko.Signer("s").sign("k", "/p", bytearray(b"x"))  # type: ignore[arg-type]
    with pytest.raises(TypeError):
        client().apply(123, APP_ID)  # type: ignore[arg-type]


# --- JSON text: the core's fast path ----------------------------------------------


def test_json_text_is_validated_and_sent_like_the_dict() -> None:
    text = json.dumps(PERSONAL)
    for body in (text, text.encode(), text.encode("utf-8")):
        assert jiko.validate_application(body, today="2026-11-27") == []
        key = jiko.new_idempotency_key()
        from_text = client().create_application(TOKEN, body, "2026-11-27", key)
        from_dict = client().create_application(TOKEN, PERSONAL, "2026-11-27", key)
        assert from_text.body == from_dict.body  # the same compact wire form
        assert from_text.headers == from_dict.headers
    # The same errors as from the dict, at once.
    bad = dict(PERSONAL, identification_number="211-00-9876", email=5)
    expected = [(e.path, e.code) for e in jiko.validate_application(bad, today="2026-11-27")]
    assert expected == [("identification_number", "invalid_ssn"), ("email", "invalid_type")]
    for body in (json.dumps(bad), json.dumps(bad).encode()):
        assert [(e.path, e.code) for e in jiko.validate_application(body, "2026-11-27")] == expected
        with pytest.raises(jiko.ValidationError) as info:
            client().create_application(TOKEN, body, "2026-11-27")
        assert [(e["path"], e["code"]) for e in info.value.errors()] == expected
    # Text that is not JSON (or not UTF-8) is one invalid_json error, never an exception.
    for body in ("", "{", "[1, 2", b"\xff\xfe", json.dumps(PERSONAL)[:-1], "null"):
        errors = jiko.validate_application(body, today="2026-11-27")
        assert errors and errors[0].path == "", (body, errors)
        with pytest.raises(jiko.ValidationError):
            client().create_application(TOKEN, body, "2026-11-27")
    assert [e.code for e in jiko.validate_application("{")] == ["invalid_json"]
    # bytearray and memoryview are refused (they could change while the GIL is released).
    with pytest.raises(TypeError):
        jiko.validate_application(bytearray(text.encode()))  # type: ignore[arg-type]


def test_import_does_not_load_typing() -> None:
    """`import jiko_onboarding` stays cheap: typing (and re, enum) load only when a
    typing-only name (a Literal alias, a TypedDict) is first used."""
    heavy = "('typing', 're', 'enum', 'datetime', 'json')"
    # What a bare interpreter already has loaded (a .pth file may import typing).
    bare = subprocess.run(
        [sys.executable, "-I", "-c", f"import sys; print([m for m in {heavy} if m in sys.modules])"],
        capture_output=True, text=True, timeout=60, cwd="/", check=True,
    ).stdout.strip()
    code = (
        "import sys\n"
        f"before = {bare}\n"
        "import jiko_onboarding as j\n"
        f"added = [m for m in {heavy} if m in sys.modules and m not in before]\n"
        "assert not added, added\n"
        "assert 'CreateApplicationDict' in dir(j) and 'ApplicationStatus' in dir(j)\n"
        "assert j.ApplicationStatus is j._native.ApplicationStatus\n"
        "assert j.CreateApplicationDict.__name__ == 'CreateApplicationDict'\n"
        "assert 'typing' in sys.modules\n"
        "try:\n    j.NoSuchName\nexcept AttributeError as e:\n    assert 'NoSuchName' in str(e)\n"
        "else:\n    raise AssertionError('no AttributeError')\n"
        "from jiko_onboarding import *\n"
    )
    result = subprocess.run(
        [sys.executable, "-I", "-c", code], capture_output=True, text=True, timeout=60, cwd="/"
    )
    assert result.returncode == 0, result.stderr


def test_upload_request_keeps_the_callers_bytes() -> None:
    data = b"\x89PNG\r\n\x1a\n" + bytes(1000)
    prepared = client().upload_document(TOKEN, APP_ID, "SELFIE", "image/png", data)
    assert prepared.body is data  # no second copy of a large document


# --- reprs -----------------------------------------------------------------------


def test_reprs_hide_secrets_and_personal_data() -> None:
    c = jiko.Client(environment="sandbox", partner="acme", signing_secret=SECRET)
    assert SECRET not in repr(c) and SECRET not in str(c)
    assert repr(c) == (
        "Client(base_url='https://acme.sandbox-api.jikoservices.com', signing_secret=<redacted>)"
    )
    assert SECRET not in repr(c.signer) and SECRET not in repr(jiko.Signer(SECRET.encode()))
    session = jiko.parse_login(200, json.dumps({"token": TOKEN, "expires": "2026-11-27T11:00:00Z"}))
    assert TOKEN not in repr(session) and TOKEN not in str(session)
    assert session.token == TOKEN
    prepared = c.create_application(session, PERSONAL, today="2026-11-27")
    shown = repr(prepared) + str(prepared)
    assert TOKEN not in shown and "x-jiko-signature" in shown
    for s in PERSONAL_STRINGS:
        assert s not in shown
    app = jiko.parse_application(200, json.dumps(application_response()))
    # The core's redacted Debug: ids, statuses, flags and the documents' types only.
    assert repr(app).startswith(f'Application {{ id: "{APP_ID}", status: DocumentsNeeded, ')
    assert "Document { id: " in repr(app)
    assert str(app) == repr(app)
    objects = [app, app.name, app.address, app.investment_profile, *app.documents]
    for obj in objects:
        for s in [*PERSONAL_STRINGS, "zelda.png", "blurry"]:
            assert s not in repr(obj), (obj, s)
    for obj in [jiko.next_action(app), *jiko.required_documents(app), jiko.sandbox_scenario(SSN)]:
        assert SSN not in repr(obj)
    # Objects that hold a secret or a token cannot be pickled.
    for obj in [c, c.signer, session, prepared]:
        with pytest.raises(TypeError):
            pickle.dumps(obj)


# --- threads and the GIL ---------------------------------------------------------


def reference_signature(secret: bytes, key: str, path: str, body: bytes) -> str:
    digest = hmac.new(secret, key.encode() + path.encode() + body, hashlib.sha256).digest()
    return base64.b64encode(digest).decode()


def test_signing_from_many_threads() -> None:
    signer = jiko.Signer(SECRET)
    c = client()

    def work(i: int) -> None:
        body = bytes([i % 256]) * (1000 + i * 997)
        key = jiko.new_idempotency_key()
        for _ in range(50):
            sig = signer.sign(key, f"/p/{i}", body)
            assert sig == reference_signature(SECRET.encode(), key, f"/p/{i}", body)
            assert signer.verify(key, f"/p/{i}", body, sig)
            prepared = c.create_application(TOKEN, PERSONAL, today="2026-11-27")
            assert signer.verify(
                prepared.idempotency_key or "", prepared.path, prepared.body,
                prepared.header("x-jiko-signature") or "",
            )
            assert jiko.validate_application(PERSONAL, today="2026-11-27") == []

    with ThreadPoolExecutor(max_workers=8) as pool:
        for f in [pool.submit(work, i) for i in range(16)]:
            f.result()


def longest_pause_of_another_thread(work: Any) -> tuple[float, float]:
    """Runs `work()` while a second thread records timestamps in a loop; returns the
    longest gap between two timestamps around the call, and the call's duration. A call
    that holds the GIL stops the other thread for (nearly) its whole duration."""
    stamps: list[float] = []
    done = threading.Event()

    def count() -> None:
        while not done.is_set():
            stamps.append(time.perf_counter())

    counter = threading.Thread(target=count)
    counter.start()
    time.sleep(0.02)
    start = time.perf_counter()
    work()
    end = time.perf_counter()
    done.set()
    counter.join()
    around = [t for t in stamps if t <= start][-1:] + [t for t in stamps if start < t < end]
    around += [t for t in stamps if t >= end][:1]
    gap = max((b - a for a, b in zip(around, around[1:])), default=end - start)
    return gap, end - start


def test_gil_is_released_while_signing() -> None:
    signer = jiko.Signer(SECRET)
    body = bytes(48 * 1024 * 1024)
    old = sys.getswitchinterval()
    sys.setswitchinterval(0.001)
    try:
        results = []
        for _ in range(3):
            gap, duration = longest_pause_of_another_thread(lambda: signer.sign("k", "/p", body))
            results.append((round(gap * 1000, 1), round(duration * 1000, 1)))
            if duration > 0.02 and gap < duration / 2:
                break
        else:
            pytest.fail(f"another thread was stopped while signing: (gap ms, sign ms) {results}")
        # The probe itself tells a GIL-holding call apart: bytes.count keeps the GIL. On a
        # loaded machine a try can see the other thread descheduled anyway: three tries.
        controls = []
        for _ in range(3):
            gap, duration = longest_pause_of_another_thread(lambda: body.count(b"\1"))
            controls.append((round(gap * 1000, 1), round(duration * 1000, 1)))
            if gap > duration / 2:
                break
        else:
            pytest.fail(f"the probe did not see bytes.count hold the GIL: {controls}")
    finally:
        sys.setswitchinterval(old)


# --- round trips -----------------------------------------------------------------


def wire_models() -> Iterator[Any]:
    """One object of every model class, from the vectors and a full application."""
    app = jiko.parse_application(200, json.dumps(application_response()))
    yield app
    assert app.name and app.address and app.investment_profile and app.agreement_consent
    yield app.name
    yield app.address
    yield app.investment_profile
    yield app.agreement_consent
    assert app.date_of_birth
    yield app.date_of_birth
    yield from app.documents
    yield from jiko.required_documents(app)
    yield jiko.next_action(app)
    yield jiko.sandbox_scenario(SSN)
    yield from jiko.validate_application({"email": 5}, today="2026-11-27")
    for name in ["responses.json", "onboarding.json"]:
        for case in json.loads((VECTORS / name).read_text())["cases"]:
            if name == "onboarding.json":
                a = jiko.parse_application(200, json.dumps(case["application"]))
                yield a
                yield jiko.next_action(a)
            elif "ok" in case["expect"] and case["parser"] != "login":
                parser = {
                    "application": jiko.parse_application,
                    "agreements": jiko.parse_agreements,
                    "upload": jiko.parse_upload,
                }[case["parser"]]
                model = parser(case["status"], vector_bytes(case["body"]))
                yield model
                if isinstance(model, jiko.Agreements):
                    yield from model.documents


def test_every_model_round_trips_through_to_dict() -> None:
    seen = set()
    for model in wire_models():
        cls = type(model)
        seen.add(cls)
        wire = model.to_dict()
        assert json.loads(json.dumps(wire)) == wire  # JSON-ready
        again = cls.from_dict(wire)
        assert again == model and again.to_dict() == wire
        assert pickle.loads(pickle.dumps(model)) == model
        with pytest.raises(AttributeError):
            model.to_dict = None  # frozen
    assert seen == {
        jiko.Application, jiko.Name, jiko.Address, jiko.InvestmentProfile,
        jiko.AgreementConsent, jiko.DateOfBirth, jiko.Document, jiko.DocumentRequirement,
        jiko.NextAction, jiko.SandboxScenario, jiko.FieldError, jiko.Agreements,
        jiko.AgreementDocument, jiko.UploadedDocument,
    }
    # Parsing the wire form again gives the same application.
    app = jiko.parse_application(200, json.dumps(application_response()))
    assert jiko.parse_application(200, json.dumps(app.to_dict())) == app


def test_session_and_prepared_request_to_dict() -> None:
    session = jiko.parse_login(200, b'{"token": "t0k", "expires": "2026-11-27T11:00:00+01:00"}')
    wire = session.to_dict()
    assert wire == {
        "token": "t0k", "expires": "2026-11-27T11:00:00+01:00",
        "expires_at_unix_seconds": session.expires_at_unix_seconds,
    }
    assert jiko.parse_login(200, json.dumps(wire)).to_dict() == wire
    prepared = client().upload_document(session, APP_ID, "SELFIE", "image/png", b"\x89PNG\r\n\x1a\n!")
    d = prepared.to_dict()
    assert d == {
        "method": prepared.method, "url": prepared.url, "path": prepared.path,
        "headers": [list(h) for h in prepared.headers], "body": prepared.body,
        "idempotency_key": prepared.idempotency_key,
    }
    assert prepared.header("AUTHORIZATION") == "Bearer t0k"
    assert prepared.headers_dict["Content-Type"] == "image/png"


# --- values, dates, clocks -------------------------------------------------------


def stub_literals() -> dict[str, list[str]]:
    """The Literal aliases written in _native.pyi."""
    stub = pathlib.Path(jiko.__file__).parent / "_native.pyi"
    out = {}
    for node in ast.parse(stub.read_text()).body:
        if isinstance(node, ast.AnnAssign) and isinstance(node.target, ast.Name):
            value = node.value
            if isinstance(value, ast.Subscript) and getattr(value.value, "id", "") == "Literal":
                elts = value.slice.elts if isinstance(value.slice, ast.Tuple) else [value.slice]
                out[node.target.id] = [e.value for e in elts]  # type: ignore[attr-defined]
    return out


def test_enums_are_strings_and_stubs_match_the_core() -> None:
    app = jiko.parse_application(200, json.dumps(application_response(status="APPROVED")))
    assert app.status == "APPROVED" and type(app.status) is str
    assert jiko.next_action(app).kind == "approved"
    literals = stub_literals()
    constants = {
        "ApplicationStatus": jiko.APPLICATION_STATUSES,
        "IdentificationType": jiko.IDENTIFICATION_TYPES,
        "EmploymentStatus": jiko.EMPLOYMENT_STATUSES,
        "AnnualIncome": jiko.ANNUAL_INCOMES,
        "NetWorth": jiko.NET_WORTHS,
        "DocumentType": jiko.DOCUMENT_TYPES,
        "DocumentStatus": jiko.DOCUMENT_STATUSES,
        "AgreementType": jiko.AGREEMENT_TYPES,
        "AgreementCategory": jiko.AGREEMENT_CATEGORIES,
        "DocumentFlag": jiko.DOCUMENT_FLAGS,
        "NextActionKind": jiko.NEXT_ACTION_KINDS,
        "WaitReason": jiko.WAIT_REASONS,
        "ApiErrorKind": jiko.API_ERROR_KINDS,
        "CustomerType": jiko.CUSTOMER_TYPES,
        "CustomerAccountStatus": jiko.CUSTOMER_ACCOUNT_STATUSES,
        "AccountStatus": jiko.ACCOUNT_STATUSES,
        "PortalStatus": jiko.PORTAL_STATUSES,
        "EventType": jiko.EVENT_TYPES,
        "SubscriptionStatus": jiko.SUBSCRIPTION_STATUSES,
        "OperationName": jiko.OPERATIONS,
        "FlowWaitReason": jiko.FLOW_WAIT_REASONS,
        "RetryReason": jiko.RETRY_REASONS,
        "TransportErrorKind": jiko.TRANSPORT_ERROR_KINDS,
        "FlowErrorCode": jiko.FLOW_ERROR_CODES,
    }
    for alias, values in constants.items():
        assert literals[alias] == list(values), alias
        runtime = getattr(jiko, alias)
        assert [typing.get_args(a)[0] for a in typing.get_args(runtime)] == list(values)
    # An unknown value from a newer server is passed through as the plain string.
    odd = jiko.parse_application(200, json.dumps(application_response(status="ON_HOLD")))
    assert odd.status == "ON_HOLD" and jiko.next_action(odd).status == "ON_HOLD"


def test_today_accepts_dates_and_strings_and_defaults_to_the_utc_date() -> None:
    # The core's default (CalendarDate::today_utc), the same in every language; the
    # test's own clock read is a moment apart, so it skips the minute before midnight UTC.
    now = datetime.datetime.now(datetime.timezone.utc)
    if (now.hour, now.minute) == (23, 59):
        return
    today = now.date()
    try:
        eighteen = today.replace(year=today.year - 18)
    except ValueError:  # 29 February
        eighteen = today.replace(year=today.year - 18, day=28)
    adult = dict(PERSONAL, date_of_birth=eighteen.isoformat())
    minor = dict(PERSONAL, date_of_birth=(eighteen + datetime.timedelta(days=1)).isoformat())
    assert jiko.validate_application(adult) == []
    assert [e.code for e in jiko.validate_application(minor)] == ["under_age"]
    for value in [today, today.isoformat(), datetime.datetime.now()]:
        assert jiko.validate_application(adult, today=value) == []
    yesterday = today - datetime.timedelta(days=1)
    assert [e.code for e in jiko.validate_application(adult, today=yesterday)] == ["under_age"]
    # Dates inside the application are written with isoformat().
    dated = dict(PERSONAL, date_of_birth=datetime.date(1980, 2, 3))
    dated["agreement_consent"] = {
        "version": "7",
        "timestamp": datetime.datetime(2026, 1, 2, 3, 4, 5, tzinfo=datetime.timezone.utc),
    }
    body = json.loads(client().create_application(TOKEN, dated, today="2026-11-27").body)
    assert body["date_of_birth"] == "1980-02-03"
    assert body["agreement_consent"]["timestamp"] == "2026-01-02T03:04:05+00:00"


def test_needs_refresh_defaults_to_time_time() -> None:
    def session_expiring_in(seconds: int) -> jiko.Session:
        when = datetime.datetime.now(datetime.timezone.utc) + datetime.timedelta(seconds=seconds)
        return jiko.parse_login(200, json.dumps({"token": "t", "expires": when.isoformat()}))

    assert not session_expiring_in(3600).needs_refresh()
    assert session_expiring_in(60).needs_refresh()
    s = session_expiring_in(3600)
    assert s.needs_refresh(now=s.expires_at_unix_seconds - 300)
    assert not s.needs_refresh(s.expires_at_unix_seconds - 301)
    with pytest.raises(ValueError):
        s.needs_refresh(math.inf)


def test_tokens_bodies_and_keys() -> None:
    session = jiko.parse_login(200, b'{"token": "t0k", "expires": "2026-11-27T11:00:00Z"}')
    key = jiko.new_idempotency_key()
    assert len(key) == 36 and key == key.lower() and key[14] == "4"
    a = client().apply(session, APP_ID, key)
    b = client().apply("t0k", APP_ID, key)
    assert a.headers == b.headers and a.body == b"" and a.idempotency_key == key
    signer = jiko.Signer(SECRET)
    assert signer.sign(key, "/p", "é") == signer.sign(key, "/p", "é".encode())
    assert client().login("u", "p").idempotency_key is None


# --- the examples ----------------------------------------------------------------


def test_every_operation_example_runs() -> None:
    result = subprocess.run(
        [sys.executable, str(EXAMPLES / "every_operation.py")],
        capture_output=True, text=True, timeout=120,
    )
    assert result.returncode == 0, result.stderr
    assert "upload ID_BACK" in result.stdout


class FakeJiko(http.server.BaseHTTPRequestHandler):
    """A tiny stand-in for the sandbox: checks signatures with the SDK's Signer and
    answers the README example's requests."""

    secret = "readme-secret"
    seen: list[str] = []

    def log_message(self, *args: Any) -> None:
        pass

    def answer(self, status: int, body: dict[str, Any]) -> None:
        data = json.dumps(body).encode()
        self.send_response(status)
        self.send_header("Content-Type", "application/json")
        self.send_header("Content-Length", str(len(data)))
        self.end_headers()
        self.wfile.write(data)

    def handle_any(self) -> None:
        length = int(self.headers.get("Content-Length") or 0)
        body = self.rfile.read(length)
        self.seen.append(f"{self.command} {self.path}")
        if self.path == "/api/v1/login/":
            creds = json.loads(body)
            if creds != {"username": "partner", "password": "pw"}:
                return self.answer(401, {"detail": "bad credentials"})
            return self.answer(200, {"token": "tok123", "expires": "2099-01-01T00:00:00Z"})
        signer = jiko.Signer(self.secret)
        if self.headers.get("Authorization") != "Bearer tok123" or not signer.verify(
            self.headers.get("x-jiko-idempotency", ""), self.path, body,
            self.headers.get("x-jiko-signature", ""),
        ):
            return self.answer(401, {"detail": "bad signature"})
        if self.path == "/api/v1/agreements/":
            return self.answer(200, {"version": "3", "release_date": "2026-01-01", "documents": []})
        if self.path == "/api/v1/applications/":
            sent = json.loads(body)
            assert sent["agreement_consent"]["version"] == "3"
            return self.answer(201, {"id": APP_ID, "status": "CREATED"})
        if self.path == f"/api/v1/applications/{APP_ID}/apply/":
            scenario = jiko.sandbox_scenario("211000000")
            return self.answer(200, {
                "id": APP_ID,
                "status": scenario.status_after_apply,
                "id_verification_documents_needed": scenario.id_verification_documents_needed,
                "identification_number_verification_document_needed": False,
                "address_verification_document_needed": False,
            })
        return self.answer(404, {"detail": "Not found"})

    do_GET = do_POST = handle_any


def test_prepared_requests_example_against_a_local_server(monkeypatch: pytest.MonkeyPatch) -> None:
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), FakeJiko)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        monkeypatch.setenv("JIKO_BASE_URL", f"http://127.0.0.1:{server.server_address[1]}")
        monkeypatch.setenv("JIKO_SIGNING_SECRET", FakeJiko.secret)
        monkeypatch.setenv("JIKO_USERNAME", "partner")
        monkeypatch.setenv("JIKO_PASSWORD", "pw")
        spec = importlib.util.spec_from_file_location(
            "prepared_requests", EXAMPLES / "prepared_requests.py"
        )
        assert spec and spec.loader
        module = importlib.util.module_from_spec(spec)
        spec.loader.exec_module(module)
        out = io.StringIO()
        with redirect_stdout(out):
            assert module.main() == 0
        printed = out.getvalue()
        assert f"application {APP_ID} is DOCUMENTS_NEEDED; next: upload_documents" in printed
        assert "upload one of: SELFIE, PASSPORT" in printed
        assert FakeJiko.seen == [
            "POST /api/v1/login/", "GET /api/v1/agreements/", "POST /api/v1/applications/",
            f"POST /api/v1/applications/{APP_ID}/apply/",
        ]
        # A wrong password comes back as ApiError through the same path.
        monkeypatch.setenv("JIKO_PASSWORD", "wrong")
        with pytest.raises(jiko.ApiError) as info:
            module.main()
        assert info.value.kind == "unauthorized" and "wrong" not in str(info.value)
    finally:
        server.shutdown()
        server.server_close()
