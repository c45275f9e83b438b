"""Sentinel tests (issue 8 items 3 and 4): an application filled with recognisable
values (SSN, names, date of birth, email, phone, street, ...), plus a recognisable
shared secret, username, password and token, is pushed through every error path of the
package. No textual form of any error, exception, model, Client, Signer, Session or
PreparedRequest may contain one of those values: not str(), repr(), format(), ascii(),
the formatted traceback, a logging record, the exception's attributes or errors().
The only places they may appear are the ones meant to carry them: a PreparedRequest's
body and header values, Session.token, and the models' attributes and to_dict().

Objects that hold a secret or a token must not be picklable, copyable or serializable.
"""

from __future__ import annotations

import copy
import io
import json
import logging
import marshal
import math
import pickle
import traceback
from typing import Any, Callable, Iterator

import pytest

import jiko_onboarding as jiko
from conftest import summary_line

# --- the sentinels -----------------------------------------------------------------

SSN = "731904582"
FIRST, MIDDLE, LAST = "Quillonfirst", "Quillonmiddle", "Quillonlast"
DOB = "1961-07-23"
EMAIL = "quillon.sentinel@example.org"
PHONE = "+15550198231"
STREET, STREET2, CITY = "4242 Quillonstreet Road", "Quillonsuite 9", "Quilloncity"
OCCUPATION = "Quillonoccupation"
SECRET = "quillon-secret-5d1f0c"
USERNAME = "quillon-username-31"
PASSWORD = "quillon-password-77aa"
TOKEN = "quillon-token-9a8b7c"

# What must never show: each value, and the recognisable parts of the compound ones.
SENTINELS = {
    "ssn": SSN,
    "first name": FIRST,
    "middle name": MIDDLE,
    "last name": LAST,
    "date of birth": DOB,
    "email": EMAIL,
    "email local part": "quillon.sentinel",
    "phone": PHONE[1:],
    "street": "Quillonstreet",
    "street 2": "Quillonsuite",
    "city": CITY,
    "occupation": OCCUPATION,
    "secret": SECRET,
    "username": USERNAME,
    "password": PASSWORD,
    "token": TOKEN,
    # Every invented word of the invalid variants below starts with this.
    "invented value": "Quillon",
}

TODAY = "2026-11-27"
APP_ID = "0b7b1c9e-3c1a-4f0e-9a57-2f4f1d6d2a10"
KEY = "123e4567-e89b-42d3-a456-426614174000"


def application(**changes: Any) -> dict[str, Any]:
    """A valid application made of sentinels, with `changes` applied (dotted keys)."""
    app: dict[str, Any] = {
        "identification_number": SSN,
        "identification_type": "SSN",
        "name": {"first_name": FIRST, "middle_name": MIDDLE, "last_name": LAST},
        "email": EMAIL,
        "phone_number": PHONE,
        "date_of_birth": DOB,
        "investment_profile": {
            "employment_status": "EMPLOYED",
            "occupation": OCCUPATION,
            "income": "OVER_250K",
            "net_worth": "OVER_5M",
        },
        "agreement_consent": {"version": "7", "timestamp": "2026-01-02T03:04:05+00:00"},
        "address": {
            "street_address": STREET,
            "street_address2": STREET2,
            "city": CITY,
            "postal_code": "94701",
            "state": "CA",
            "country": "US",
        },
    }
    for dotted, value in changes.items():
        *parents, leaf = dotted.split("__")
        target = app
        for p in parents:
            target = target[p]
        target[leaf] = value
    return app


# --- the check ----------------------------------------------------------------------

_checked = {"objects": 0, "forms": 0}


def textual_forms(obj: Any) -> Iterator[tuple[str, str]]:
    """Every way the object may end up as text in a log or an error report."""
    yield "str", str(obj)
    yield "repr", repr(obj)
    yield "format", f"{obj}"
    yield "%s", "%s" % (obj,)
    yield "%r", "%r" % (obj,)
    yield "ascii", ascii(obj)
    if isinstance(obj, BaseException):
        yield "args", repr(obj.args)
        yield "traceback", "".join(traceback.format_exception(type(obj), obj, obj.__traceback__))
        stream = io.StringIO()
        handler = logging.StreamHandler(stream)
        logger = logging.Logger("jiko-sentinel-test")  # outside the hierarchy: no root
        logger.addHandler(handler)
        logger.error("request failed: %s", obj, exc_info=obj)
        yield "logging", stream.getvalue()
        yield "attributes", json.dumps(vars(obj), default=repr)
        if isinstance(obj, (jiko.ValidationError, jiko.ApiError)):
            yield "errors()", json.dumps(obj.errors())
    if isinstance(obj, jiko.FieldError):
        yield "to_dict", json.dumps(obj.to_dict())


def assert_clean(obj: Any, what: str) -> None:
    _checked["objects"] += 1
    for form, text in textual_forms(obj):
        _checked["forms"] += 1
        for label, value in SENTINELS.items():
            assert value not in text, f"{what}: the {label} appears in {form}: {text[:300]}"


def raised(call: Callable[[], Any]) -> BaseException:
    """The exception call() raises (it must raise, and not a pyo3 PanicException)."""
    try:
        call()
    except Exception as e:
        return e
    raise AssertionError("expected an exception")


# --- validation errors ----------------------------------------------------------

# Invalid variants that still carry the sentinels: (label, application, today, codes).
INVALID: list[tuple[str, dict[str, Any], str, set[str]]] = [
    ("ssn with dashes", application(identification_number="731-90-4582"), TODAY, {"invalid_ssn"}),
    ("ssn too long", application(identification_number=SSN + "0"), TODAY, {"invalid_ssn"}),
    ("ssn as int", application(identification_number=int(SSN)), TODAY, {"invalid_type"}),
    ("first name too long", application(name__first_name=FIRST * 5), TODAY, {"too_long"}),
    ("middle name too long", application(name__middle_name=MIDDLE * 5), TODAY, {"too_long"}),
    ("last name as list", application(name__last_name=[LAST]), TODAY, {"invalid_type"}),
    ("name as string", application(name=f"{FIRST} {LAST}"), TODAY, {"invalid_type"}),
    ("email malformed", application(email="quillon.sentinel(at)example.org"), TODAY, {"invalid_email"}),
    ("email too long", application(email=EMAIL * 20), TODAY, {"too_long"}),
    ("phone malformed", application(phone_number=f"Quillon {PHONE}"), TODAY, {"invalid_phone"}),
    ("phone as int", application(phone_number=int(PHONE[1:])), TODAY, {"invalid_type"}),
    ("dob malformed", application(date_of_birth=DOB + "T00:00:00Z"), TODAY, {"invalid_date"}),
    ("dob under age", application(), "1979-07-22", {"under_age"}),
    ("dob in future", application(), "1960-01-01", {"in_future"}),
    ("street too long", application(address__street_address=STREET * 20), TODAY, {"too_long"}),
    ("street 2 too long", application(address__street_address2=STREET2 * 30), TODAY, {"too_long"}),
    ("city too long", application(address__city=CITY * 30), TODAY, {"too_long"}),
    ("postal code", application(address__postal_code="Quillonpostal"), TODAY, {"invalid_postal_code"}),
    ("state", application(address__state="Quillonstate"), TODAY, {"invalid_state"}),
    ("country", application(address__country="Quilloncountry"), TODAY, {"invalid_country"}),
    ("occupation too long", application(investment_profile__occupation=OCCUPATION * 20), TODAY, {"too_long"}),
    ("employment status", application(investment_profile__employment_status="Quillonstatus"), TODAY, {"invalid_enum"}),
    ("income", application(investment_profile__income=OCCUPATION), TODAY, {"invalid_enum"}),
    ("consent timestamp", application(agreement_consent__timestamp="Quillontime"), TODAY, {"invalid_datetime"}),
    ("identification type", application(identification_type="Quillontype"), TODAY, {"invalid_enum"}),
    ("unknown key holding the ssn", application(**{SSN: FIRST}), TODAY, {"unknown_field"}),
    ("unknown nested key", application(name__Quillonkey=LAST), TODAY, {"unknown_field"}),
    ("address as list", application(address=[STREET, CITY]), TODAY, {"invalid_type"}),
    ("everything missing but data", {"Quillonjunk": [SSN, EMAIL, PHONE, DOB]}, TODAY, {"unknown_field", "required"}),
]


@pytest.mark.parametrize("label,app,today,codes", INVALID, ids=[i[0] for i in INVALID])
def test_validation_errors_carry_no_sentinel(
    label: str, app: dict[str, Any], today: str, codes: set[str]
) -> None:
    client = jiko.Client(base_url="http://127.0.0.1:8080", signing_secret=SECRET)
    as_text = json.dumps(app)
    errors = jiko.validate_application(app, today=today)
    assert codes <= {e.code for e in errors}, (label, [(e.path, e.code) for e in errors])
    for e in errors:
        assert_clean(e, f"{label}: FieldError {e.path}")
    assert_clean(errors, f"{label}: the error list")
    # The same body as a dict, as JSON str and as JSON bytes, through create_application.
    for body in (app, as_text, as_text.encode()):
        error = raised(lambda: client.create_application(TOKEN, body, today=today, idempotency_key=KEY))
        assert isinstance(error, jiko.ValidationError), (label, error)
        assert {e["code"] for e in error.errors()} == {e.code for e in errors}
        assert_clean(error, f"{label}: ValidationError from {type(body).__name__}")
    for body in (as_text, as_text.encode()):
        for e in jiko.validate_application(body, today=today):
            assert_clean(e, f"{label}: FieldError from JSON text")


def test_invalid_json_text_carries_no_sentinel() -> None:
    client = jiko.Client(base_url="http://127.0.0.1:8080", signing_secret=SECRET)
    text = json.dumps(application())
    for body in [text[: len(text) // 2], text + SSN, "Quillon " + text, text.encode("utf-16")]:
        errors = jiko.validate_application(body, today=TODAY)
        assert [e.code for e in errors] == ["invalid_json"]
        assert_clean(errors[0], "invalid_json FieldError")
        error = raised(lambda: client.create_application(TOKEN, body, today=TODAY))
        assert isinstance(error, jiko.ValidationError)
        assert_clean(error, "invalid_json ValidationError")


def test_python_conversion_errors_carry_no_sentinel() -> None:
    class Sensitive:
        def __repr__(self) -> str:
            return SSN + EMAIL

        __str__ = __repr__

    cases: list[tuple[dict[str, Any], type[Exception]]] = [
        (application(email=Sensitive()), TypeError),
        (application(name={SSN: Sensitive()}), TypeError),
        (application(address={EMAIL: {PHONE: Sensitive()}}), TypeError),
        (application(name={1: FIRST}), TypeError),
        (application(phone_number=math.nan), ValueError),
        (application(phone_number=int(PHONE[1:]) * 10**20), OverflowError),
        (application(date_of_birth=b"1961-07-23"), TypeError),
    ]
    deep: Any = {LAST: SSN}
    for _ in range(40):
        deep = {FIRST: deep}
    cases.append((deep, ValueError))
    for app, kind in cases:
        for call in [
            lambda: jiko.validate_application(app, today=TODAY),
            lambda: jiko.Client(base_url="http://127.0.0.1:1", signing_secret=SECRET).create_application(
                TOKEN, app, today=TODAY
            ),
            lambda: jiko.Name.from_dict(app),
        ]:
            error = raised(call)
            assert isinstance(error, kind), (error, kind)
            assert_clean(error, f"{kind.__name__} from a Python value")


# --- argument and document errors ---------------------------------------------------


def test_argument_errors_carry_no_sentinel() -> None:
    client = jiko.Client(base_url="http://127.0.0.1:8080", signing_secret=SECRET)
    calls: list[tuple[str, Callable[[], Any]]] = [
        ("login, password too long", lambda: client.login(USERNAME, PASSWORD * 20)),
        ("login, username too long", lambda: client.login(USERNAME * 20, PASSWORD)),
        ("login, empty username", lambda: client.login("", PASSWORD)),
        ("login, empty password", lambda: client.login(USERNAME, "")),
        ("token with a space", lambda: client.apply(f"{TOKEN} {SSN}", APP_ID)),
        ("token with a newline", lambda: client.list_agreements(f"{TOKEN}\n")),
        ("token as Bearer", lambda: client.get_application(f"Bearer {TOKEN}\t", APP_ID)),
        ("token empty", lambda: client.apply("", APP_ID)),
        ("token wrong type", lambda: client.apply(SSN.encode(), APP_ID)),  # type: ignore[arg-type]
        ("application id with the ssn", lambda: client.get_application(TOKEN, f"../{SSN}")),
        ("application id with an email", lambda: client.apply(TOKEN, EMAIL)),
        ("idempotency key with the ssn", lambda: client.apply(TOKEN, APP_ID, SSN)),
        ("idempotency key wrong type", lambda: client.apply(TOKEN, APP_ID, int(SSN))),  # type: ignore[arg-type]
        ("base url with user info", lambda: jiko.Client(base_url=f"https://{USERNAME}:{PASSWORD}@example.com", signing_secret=SECRET)),
        ("base url with the secret in the query", lambda: jiko.Client(base_url=f"https://example.com/?s={SECRET}", signing_secret=SECRET)),
        ("base url not https", lambda: jiko.Client(base_url=f"http://{SECRET}.example.com", signing_secret=SECRET)),
        ("partner holding the secret", lambda: jiko.Client(environment="sandbox", partner=SECRET + "!", signing_secret=SECRET)),
        ("environment holding the secret", lambda: jiko.Client(environment=SECRET, partner="acme", signing_secret=SECRET)),  # type: ignore[arg-type]
        ("both configurations", lambda: jiko.Client(base_url="https://x.example", environment="sandbox", signing_secret=SECRET)),  # type: ignore[call-overload]
        ("secret wrong type", lambda: jiko.Signer(int(SSN))),  # type: ignore[arg-type]
        ("secret empty", lambda: jiko.Signer(b"")),
        ("today holding the dob", lambda: jiko.validate_application(application(), today=DOB + "x")),
        ("today impossible", lambda: jiko.validate_application(application(), today="1961-02-30")),
        ("status out of range", lambda: jiko.parse_application(int(SSN), json.dumps(application()))),
        ("body wrong type", lambda: jiko.parse_login(200, bytearray(TOKEN.encode()))),  # type: ignore[arg-type]
        ("sign, body wrong type", lambda: jiko.Signer(SECRET).sign(KEY, "/p", bytearray(SSN.encode()))),  # type: ignore[arg-type]
        ("needs_refresh(nan)", lambda: jiko.parse_login(200, json.dumps({"token": TOKEN, "expires": "2099-01-01T00:00:00Z"})).needs_refresh(math.nan)),
        ("from_dict, wrong types", lambda: jiko.Application.from_dict({"id": int(SSN), "status": "APPROVED", "name": {"first_name": FIRST, "last_name": 5}})),
        ("from_dict, missing fields", lambda: jiko.Name.from_dict({"first_name": FIRST})),
        ("from_dict, address", lambda: jiko.Address.from_dict({"street_address": STREET, "city": [CITY]})),
        ("from_dict, not a dict", lambda: jiko.FieldError.from_dict([SSN, EMAIL])),  # type: ignore[arg-type]
    ]
    for what, call in calls:
        assert_clean(raised(call), what)


def test_document_errors_carry_no_sentinel() -> None:
    client = jiko.Client(base_url="http://127.0.0.1:8080", signing_secret=SECRET)
    personal = (SSN + FIRST + LAST + EMAIL + DOB).encode()
    png = b"\x89PNG\r\n\x1a\n" + personal
    cases = [
        ("SELFIE", "image/png", b""),
        ("SELFIE", "image/png", personal),  # not a PNG
        ("ID_FRONT", "image/jpeg", png),  # a PNG called a JPEG
        ("ID_BACK", "image/jpeg", personal),
        ("ADDRESS_VERIFICATION", "application/pdf", personal * 10),
        ("SELFIE", "image/png", png + bytes(30 * 1024 * 1024)),  # too large
    ]
    for document_type, content_type, data in cases:
        for call in [
            lambda: jiko.check_upload(document_type, content_type, data),
            lambda: client.upload_document(TOKEN, APP_ID, document_type, content_type, data),
        ]:
            error = raised(call)
            assert isinstance(error, jiko.DocumentError), error
            assert_clean(error, f"DocumentError {document_type} {content_type[:20]}")


# --- API errors: the server echoes everything ------------------------------------

ECHO = {
    "detail": f"{FIRST} {LAST} ({SSN}, {EMAIL}, {PHONE}, {DOB}) at {STREET}, {CITY}: "
    f"token {TOKEN}, password {PASSWORD}, secret {SECRET}",
    "input": application(),
    "ssn": SSN,
}
FASTAPI_422 = {
    "detail": [
        {
            "loc": ["body", "name", "first_name"],
            "msg": f"{FIRST} is not allowed",
            "type": "value_error",
            "input": FIRST,
            "ctx": {"error": f"{SSN} {EMAIL}"},
        },
        {
            "loc": ["body", "identification_number"],
            "msg": f"SSN {SSN} already exists",
            "type": "value_error.duplicate",
            "input": SSN,
        },
        {"loc": ["body", "address", "street_address"], "msg": STREET, "type": f"{STREET} bad"},
        {"loc": ["body", "date_of_birth"], "msg": DOB, "type": "value_error", "input": DOB},
        {"loc": ["body", "email"], "msg": "bad", "type": EMAIL},
        {"loc": ["body", f"{FIRST} {LAST}"], "msg": "extra", "type": "extra_forbidden"},
        {"loc": ["body", "phone_number", PHONE], "msg": "x", "type": "value_error"},
    ]
}
ERROR_BODIES: list[bytes] = [
    json.dumps(ECHO).encode(),
    json.dumps(FASTAPI_422).encode(),
    f"<html><body><h1>Error</h1><p>{SSN} {EMAIL} {TOKEN}</p></body></html>".encode(),
    f"{FIRST} {LAST} {SSN} {PASSWORD}".encode(),
    json.dumps([SSN, EMAIL, {"detail": TOKEN}]).encode(),
    json.dumps({"detail": {"msg": SSN, "loc": [EMAIL]}}).encode(),
    b"",
]
PARSERS = [jiko.parse_login, jiko.parse_agreements, jiko.parse_application, jiko.parse_upload]


def test_api_errors_carry_no_sentinel() -> None:
    for status in [400, 401, 403, 404, 409, 418, 422, 429, 500, 502, 503, 302, 100]:
        for body in ERROR_BODIES:
            for parse in PARSERS:
                for retry_after in [None, "120", f"{FIRST} {SSN}", "Wed, 21 Oct 2099 07:28:00 GMT"]:
                    error = raised(lambda: parse(status, body, retry_after))
                    assert isinstance(error, jiko.ApiError), error
                    assert_clean(error, f"ApiError {status} from {parse.__name__}")


def test_invalid_success_bodies_carry_no_sentinel() -> None:
    bodies = [
        {"token": TOKEN, "expires": f"{DOB} {FIRST}"},  # login: expires unreadable
        {"token": TOKEN},
        {"token": [TOKEN], "expires": "2099-01-01T00:00:00Z"},
        {"id": SSN, "status": 5, "name": {"first_name": FIRST, "last_name": LAST}},
        {"id": SSN, "status": "APPROVED", "email": [EMAIL], "date_of_birth": DOB},
        {"id": SSN, "status": "APPROVED", "address": {"street_address": STREET}},
        {"version": SSN, "release_date": DOB, "documents": [{"title": FIRST}]},
        {"success": SSN, "document_id": EMAIL},
    ]
    for body in bodies:
        text = json.dumps(body)
        for data in [text.encode(), text[:-3].encode(), (text + TOKEN).encode()]:
            for parse in PARSERS:
                try:
                    parse(200, data)
                except jiko.ApiError as error:
                    assert error.kind == "invalid_response"
                    assert_clean(error, f"invalid 200 body for {parse.__name__}")


def test_a_422_loc_naming_a_data_key_is_not_copied() -> None:
    """A server that reports an unknown key which is itself personal data (an SSN used as
    a key) must not get that key into ApiError's message or errors(): the core keeps only
    lower-case identifiers from 422 locations and types (core/src/responses.rs)."""
    body = json.dumps({"detail": [{"loc": ["body", SSN], "msg": "x", "type": "extra_forbidden"}]})
    error = raised(lambda: jiko.parse_application(422, body))
    assert SSN not in str(error) and SSN not in repr(error)
    assert SSN not in json.dumps(error.errors())  # type: ignore[attr-defined]


# --- models, clients, sessions, requests -----------------------------------------


def application_response(status: str = "DOCUMENTS_NEEDED") -> dict[str, Any]:
    body = application()
    body.pop("identification_type")
    body["date_of_birth"] = {"date_of_birth": DOB}
    body.update(
        {
            "id": APP_ID,
            "status": status,
            "time_created": "2026-11-27T10:00:00+00:00",
            "documents": [
                {"id": "d1", "type": "ID_FRONT", "status": "INVALID", "name": f"{FIRST}-{SSN}.png",
                 "exception_reason": f"{LAST} does not match {SSN}"},
                {"id": "d2", "type": "SELFIE", "status": "PENDING_REVIEW", "name": EMAIL},
            ],
            "exception_reasons": [f"{FIRST} {LAST} {DOB} mismatch", SSN],
            "id_verification_documents_needed": True,
            "identification_number_verification_document_needed": True,
            "address_verification_document_needed": True,
            "customer_id": "c-42",
        }
    )
    return body


def test_models_show_no_sentinel() -> None:
    for status in ["CREATED", "SUBMITTED", "DOCUMENTS_NEEDED", "PENDING", "MANUAL_REVIEW",
                   "APPROVED", "REJECTED", "Quillonstatus"]:
        body = application_response(status)
        app = jiko.parse_application(200, json.dumps(body))
        assert app.name is not None and app.name.first_name == FIRST  # the data is there
        assert app.to_dict()["email"] == EMAIL
        objects: list[Any] = [
            app, app.name, app.address, app.investment_profile, app.agreement_consent,
            *app.documents, jiko.next_action(app), *jiko.required_documents(app),
            *jiko.next_action(app).requirements,
        ]
        if status != "Quillonstatus":  # an unknown status is shown as sent, by design
            for obj in objects:
                assert_clean(obj, f"{type(obj).__name__} of a {status} application")
        # The same objects after a to_dict/from_dict round trip and a pickle round trip.
        again = type(app).from_dict(app.to_dict())
        assert again == app and pickle.loads(pickle.dumps(app)) == app
    assert_clean(jiko.sandbox_scenario(SSN), "SandboxScenario")
    uploaded = jiko.parse_upload(200, json.dumps({"success": True, "document_id": "doc-1"}))
    assert_clean(uploaded, "UploadedDocument")
    agreements = jiko.parse_agreements(200, json.dumps({
        "version": "3", "release_date": "2026-01-01",
        "documents": [{"title": "Privacy", "pdf_download_url": "https://x.example/p.pdf",
                       "type": "PRIVACY_POLICY", "category": "GENERAL"}],
    }))
    assert_clean(agreements, "Agreements")
    for d in agreements.documents:
        assert_clean(d, "AgreementDocument")


def test_clients_sessions_and_requests_show_no_sentinel() -> None:
    clients = [
        jiko.Client(base_url="http://127.0.0.1:8080", signing_secret=SECRET),
        jiko.Client(environment="sandbox", partner="acme", signing_secret=SECRET.encode()),
    ]
    session = jiko.parse_login(200, json.dumps({"token": TOKEN, "expires": "2099-01-01T00:00:00Z"}))
    assert session.token == TOKEN
    assert_clean(session, "Session")
    png = b"\x89PNG\r\n\x1a\n" + (SSN + FIRST + EMAIL).encode()
    for client in clients:
        assert_clean(client, "Client")
        assert_clean(client.signer, "Client.signer")
        assert_clean(jiko.Signer(SECRET), "Signer")
        requests = [
            client.login(USERNAME, PASSWORD),
            client.list_agreements(session),
            client.create_application(session, application(), today=TODAY),
            client.create_application(TOKEN, json.dumps(application()), today=TODAY),
            client.get_application(TOKEN, APP_ID),
            client.apply(session, APP_ID, KEY),
            client.upload_document(TOKEN, APP_ID, "SELFIE", "image/png", png),
        ]
        for prepared in requests:
            what = f"PreparedRequest {prepared.method} {prepared.path}"
            # Only the repr is checked: the body and header values carry the data.
            for form in [repr(prepared), str(prepared), f"{prepared!r}"]:
                for label, value in SENTINELS.items():
                    assert value not in form, f"{what}: the {label} appears in {form}"
        # The body does carry the data it is meant to carry.
        assert SSN.encode() in requests[2].body and PASSWORD.encode() in requests[0].body
        assert requests[1].header("authorization") == f"Bearer {TOKEN}"
        _checked["objects"] += len(requests)


SECRET_HOLDERS: list[Callable[[], Any]] = [
    lambda: jiko.Client(base_url="http://127.0.0.1:8080", signing_secret=SECRET),
    lambda: jiko.Client(base_url="http://127.0.0.1:8080", signing_secret=SECRET).signer,
    lambda: jiko.Signer(SECRET.encode()),
    lambda: jiko.parse_login(200, json.dumps({"token": TOKEN, "expires": "2099-01-01T00:00:00Z"})),
    lambda: jiko.Client(base_url="http://127.0.0.1:8080", signing_secret=SECRET).login(USERNAME, PASSWORD),
    lambda: jiko.Client(base_url="http://127.0.0.1:8080", signing_secret=SECRET).apply(TOKEN, APP_ID),
]


@pytest.mark.parametrize("make", SECRET_HOLDERS, ids=["client", "client.signer", "signer", "session", "login request", "signed request"])
def test_secret_holders_cannot_be_pickled_copied_or_serialized(make: Callable[[], Any]) -> None:
    obj = make()
    for protocol in range(pickle.HIGHEST_PROTOCOL + 1):
        with pytest.raises(TypeError):
            pickle.dumps(obj, protocol=protocol)
    for attempt in [copy.copy, copy.deepcopy, json.dumps, marshal.dumps, vars]:
        with pytest.raises((TypeError, ValueError)):
            attempt(obj)
    with pytest.raises(AttributeError):
        obj.__dict__  # noqa: B018 - no instance dict to leak through
    for name in ["__getstate__", "__reduce__", "__reduce_ex__"]:
        method = getattr(obj, name, None)
        if method is None:
            continue
        try:
            state = method(2) if name == "__reduce_ex__" else method()
        except TypeError:
            continue
        for value in [SECRET, TOKEN, PASSWORD]:
            assert value not in repr(state), name


def test_the_check_can_fail() -> None:
    """assert_clean does find the sentinels where they legitimately are."""
    session = jiko.parse_login(200, json.dumps({"token": TOKEN, "expires": "2099-01-01T00:00:00Z"}))
    app = jiko.parse_application(200, json.dumps(application_response()))
    prepared = jiko.Client(base_url="http://127.0.0.1:8080", signing_secret=SECRET).login(
        USERNAME, PASSWORD
    )
    for holder in [session.to_dict(), app.to_dict(), app.name.first_name if app.name else None,
                   prepared.body, prepared.to_dict(), ValueError(SSN)]:
        with pytest.raises(AssertionError):
            assert_clean(holder, "a value that holds data")


def test_sentinel_coverage_summary() -> None:
    """Runs last in this module: reports how much was checked (for the issue note)."""
    assert _checked["objects"] > 300, _checked
    summary_line(
        f"sentinels: {len(SENTINELS)} values checked in {_checked['forms']} textual forms "
        f"of {_checked['objects']} objects, errors and exceptions"
    )
