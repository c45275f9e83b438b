#!/usr/bin/env python3
"""Writes the shared test vectors of jiko-onboarding (see README.md beside this file).

Every expectation below is stated by hand from the onboarding guide
(../shared/reference/onboarding-individuals-guide.txt) and the API reference; nothing is
computed with the SDK. Signatures are computed here with Python's own `hmac`, `hashlib`
and `base64` modules, an implementation independent of the Rust core.

Run: python3 tests/vectors/generate.py
"""
import base64
import calendar
import copy
import email.utils
import hashlib
import hmac
import json
import pathlib
import random

HERE = pathlib.Path(__file__).resolve().parent
TODAY = "2026-11-27"
SECRET = "sandbox-shared-secret"
APP_ID = "0b7b1c9e-3c1a-4f0e-9a57-2f4f1d6d2a10"
CUSTOMER_ID = "5d1a0c3e-8f7b-4e6a-9c2d-1b3a4c5d6e7f"
KEY = "123e4567-e89b-42d3-a456-426614174000"
TOKEN = "LBHy9Kp0tokenEXAMPLE="
PNG = b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR\x00\x00\x00\x01\x00\x00\x00\x01\x08\x06\x00\x00\x00\x1f\x15\xc4\x89"


def sign(secret: str, key: str, path: str, body: bytes) -> str:
    """The reference signature: base64(HMAC-SHA256(secret, key + path + body))."""
    message = key.encode("utf-8") + path.encode("utf-8") + body
    return base64.b64encode(hmac.new(secret.encode("utf-8"), message, hashlib.sha256).digest()).decode("ascii")


def as_bytes(data: bytes) -> dict:
    try:
        return {"utf8": data.decode("utf-8")}
    except UnicodeDecodeError:
        return {"base64": base64.b64encode(data).decode("ascii")}


def compact(obj) -> bytes:
    """Compact JSON as the SDK sends it: no spaces, UTF-8 left unescaped."""
    return json.dumps(obj, separators=(",", ":"), ensure_ascii=False).encode("utf-8")


def write(name: str, description: str, how: str, cases: list) -> None:
    names = [c["name"] for c in cases]
    assert len(names) == len(set(names)), f"duplicate case names in {name}"
    doc = {"description": description, "how_computed": how, "cases": cases}
    (HERE / name).write_text(json.dumps(doc, indent=1, ensure_ascii=False) + "\n", encoding="utf-8")


# ---------------------------------------------------------------------------- signing

def signing_cases() -> list:
    rng = random.Random(20261127)
    cases = []

    def add(name, secret, key, path, body):
        cases.append({
            "name": name,
            "secret": secret,
            "idempotency_key": key,
            "path": path,
            "body": as_bytes(body),
            "signature": sign(secret, key, path, body),
        })

    add("spec_example_get_agreements_empty_body", SECRET, KEY, "/api/v1/agreements/", b"")
    add("empty_body_apply", SECRET, KEY, f"/api/v1/applications/{APP_ID}/apply/", b"")
    add("ascii_json_body", SECRET, KEY, "/api/v1/applications/", b'{"identification_number":"999999999","email":"jiko@example.com"}')
    add("path_without_trailing_slash_differs", SECRET, KEY, "/api/v1/agreements", b"")
    add("unicode_body", SECRET, KEY, "/api/v1/applications/", '{"first_name":"Zoë","last_name":"Ñúñez","city":"東京","note":"🚀"}'.encode("utf-8"))
    add("unicode_secret", "sécret-ключ-秘密", KEY, "/api/v1/agreements/", b"")
    add("upper_case_idempotency_key", SECRET, KEY.upper(), "/api/v1/agreements/", b"")
    add("binary_body_all_byte_values", SECRET, KEY, "/api/v1/applications/x/documents/SELFIE/file/", bytes(range(256)))
    add("binary_png_body", SECRET, KEY, "/api/v1/applications/x/documents/ID_FRONT/file/", PNG)
    add("long_secret_over_block_size", "k" * 200, KEY, "/api/v1/login/", b"{}")
    add("one_byte_secret", "s", KEY, "/", b"x")
    add("newlines_and_spaces_in_body", SECRET, KEY, "/api/v1/applications/", b'{\n  "a": 1,\r\n  "b": " "\n}\n')
    add("body_64_kib", SECRET, KEY, "/api/v1/applications/", bytes(rng.getrandbits(8) for _ in range(65536)))
    for i in range(8):
        secret = "".join(rng.choice("abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789+/=_-") for _ in range(rng.randint(16, 64)))
        key = "-".join("".join(rng.choice("0123456789abcdef") for _ in range(n)) for n in (8, 4, 4, 4, 12))
        body = bytes(rng.getrandbits(8) for _ in range(rng.randint(0, 300)))
        add(f"random_{i}", secret, key, f"/api/v1/applications/{key}/", body)
    return cases


# ------------------------------------------------------------------------- validation

GUIDE_APPLICATION = {
    "identification_number": "999999999",
    "name": {"first_name": "Jiko", "last_name": "Customer"},
    "email": "jiko@example.com",
    "phone_number": "15551234567",
    "date_of_birth": "1970-01-01",
    "investment_profile": {
        "income": "BETWEEN_100K_AND_250K",
        "net_worth": "BETWEEN_1M_AND_5M",
        "occupation": "Investor",
        "employment_status": "EMPLOYED",
    },
    "agreement_consent": {"version": "1", "timestamp": "2023-01-01T12:00:00+00:00"},
    "address": {
        "street_address": "2000 Allston Way",
        "city": "Berkeley",
        "postal_code": "94701",
        "state": "CA",
        "country": "USA",
    },
}

_DELETE = object()


def patched(**changes):
    """The guide's application with dotted-path changes (`_DELETE` removes a key)."""
    app = copy.deepcopy(GUIDE_APPLICATION)
    for dotted, value in changes.items():
        parts = dotted.split("__")
        target = app
        for p in parts[:-1]:
            target = target[p]
        if value is _DELETE:
            target.pop(parts[-1], None)
        else:
            target[parts[-1]] = value
    return app


def validation_cases() -> list:
    cases = []

    def add(name, application, errors, today=TODAY):
        cases.append({
            "name": name,
            "today": today,
            "application": application,
            "errors": [{"path": p, "code": c} for p, c in errors],
        })

    add("valid_guide_example", GUIDE_APPLICATION, [])
    add("valid_e164_phone_and_alpha2_country", patched(phone_number="+14155550100", address__country="US"), [])
    add("valid_every_optional_field", patched(
        identification_type="SSN",
        name={"first_name": "Jiko", "middle_name": "Q", "last_name": "Customer"},
        address={"street_address": "2000 Allston Way", "street_address2": "Apt 4", "city": "Berkeley",
                 "postal_code": "94701-1234", "state": "CA", "country": "US"},
        citizenship_country="US",
        originally_onboarded_at="2020-05-01T09:30:00Z",
        investment_profile={"employment_status": "EMPLOYED", "income": "OVER_250K", "net_worth": "OVER_5M",
                            "occupation": "Engineer", "bd_association": "", "director_policy_maker_of_company": "Acme"},
    ), [])
    add("valid_retired_without_occupation", patched(investment_profile={
        "employment_status": "RETIRED", "income": "BELOW_50K", "net_worth": "BETWEEN_200K_AND_1M"}), [])
    add("valid_passport_number_is_not_an_ssn", patched(identification_type="PASSPORT", identification_number="X1234567"), [])
    add("valid_non_us_address_needs_no_state_or_zip", patched(address={
        "street_address": "24 Sussex Drive", "city": "Ottawa", "postal_code": "K1A 0B1", "country": "CA"}), [])
    add("valid_exactly_18_today", patched(date_of_birth="2008-11-27"), [])
    add("valid_leap_day_birthday_on_first_of_march", patched(date_of_birth="2008-02-29"), [], today="2026-03-01")
    add("valid_optional_fields_null", patched(
        name={"first_name": "Jiko", "middle_name": None, "last_name": "Customer"}, citizenship_country=None), [])
    add("valid_fifty_accented_characters", patched(name={"first_name": "é" * 50, "last_name": "Ñúñez"}), [])
    add("valid_consent_late_on_today_somewhere", patched(agreement_consent={"version": "1", "timestamp": "2026-11-28T11:59:59Z"}), [])

    add("empty_object_lists_every_required_field", {}, [
        ("identification_number", "required"), ("name", "required"), ("email", "required"),
        ("phone_number", "required"), ("date_of_birth", "required"), ("investment_profile", "required"),
        ("agreement_consent", "required"), ("address", "required")])
    add("not_an_object", [GUIDE_APPLICATION], [("", "invalid_type")])
    add("ssn_with_dashes", patched(identification_number="999-99-9999"), [("identification_number", "invalid_ssn")])
    add("ssn_too_short", patched(identification_number="12345678"), [("identification_number", "invalid_ssn")])
    add("ssn_with_letters_when_type_is_ssn", patched(identification_type="SSN", identification_number="99999999A"), [("identification_number", "invalid_ssn")])
    add("ssn_blank", patched(identification_number="  "), [("identification_number", "required")])
    add("ssn_as_number", patched(identification_number=999999999), [("identification_number", "invalid_type")])
    add("unknown_identification_type", patched(identification_type="NATIONAL_ID"), [("identification_type", "invalid_enum")])
    add("name_parts_too_long", patched(name={"first_name": "A" * 51, "middle_name": "B" * 51, "last_name": "C" * 50}), [
        ("name.first_name", "too_long"), ("name.middle_name", "too_long")])
    add("name_parts_missing", patched(name={}), [("name.first_name", "required"), ("name.last_name", "required")])
    add("name_blank_first_name", patched(name={"first_name": "   ", "last_name": "Customer"}), [("name.first_name", "required")])
    add("name_not_an_object", patched(name="Jiko Customer"), [("name", "invalid_type")])
    add("email_without_at", patched(email="jiko.example.com"), [("email", "invalid_email")])
    add("email_without_dotted_domain", patched(email="jiko@example"), [("email", "invalid_email")])
    add("email_null", patched(email=None), [("email", "required")])
    add("email_number", patched(email=42), [("email", "invalid_type")])
    add("phone_with_spaces", patched(phone_number="+1 415 555 0100"), [("phone_number", "invalid_phone")])
    add("phone_leading_zero", patched(phone_number="0123456789"), [("phone_number", "invalid_phone")])
    add("phone_too_long", patched(phone_number="+1234567890123456"), [("phone_number", "invalid_phone")])
    add("date_of_birth_not_on_calendar", patched(date_of_birth="1970-02-30"), [("date_of_birth", "invalid_date")])
    add("date_of_birth_us_format", patched(date_of_birth="01/01/1970"), [("date_of_birth", "invalid_date")])
    add("date_of_birth_as_instant", patched(date_of_birth="1970-01-01T00:00:00Z"), [("date_of_birth", "invalid_date")])
    add("applicant_one_day_under_18", patched(date_of_birth="2008-11-28"), [("date_of_birth", "under_age")])
    add("leap_day_birthday_not_18_on_28_february", patched(date_of_birth="2008-02-29"), [("date_of_birth", "under_age")], today="2026-02-28")
    add("date_of_birth_in_future", patched(date_of_birth="2027-01-01"), [("date_of_birth", "in_future")])
    add("date_of_birth_before_1900", patched(date_of_birth="1899-12-31"), [("date_of_birth", "out_of_range")])
    add("employed_without_occupation", patched(investment_profile__occupation=_DELETE), [("investment_profile.occupation", "required")])
    add("employed_one_letter_occupation", patched(investment_profile__occupation="X"), [("investment_profile.occupation", "too_short")])
    add("occupation_too_long", patched(investment_profile__occupation="x" * 201), [("investment_profile.occupation", "too_long")])
    add("unknown_employment_status", patched(investment_profile__employment_status="FREELANCE"), [("investment_profile.employment_status", "invalid_enum")])
    add("bad_income_and_missing_net_worth", patched(investment_profile__income="LOTS", investment_profile__net_worth=_DELETE), [
        ("investment_profile.income", "invalid_enum"), ("investment_profile.net_worth", "required")])
    add("disclosures_too_long", patched(investment_profile__bd_association="b" * 201, investment_profile__director_policy_maker_of_company="d" * 201), [
        ("investment_profile.bd_association", "too_long"), ("investment_profile.director_policy_maker_of_company", "too_long")])
    add("consent_version_empty", patched(agreement_consent={"version": "", "timestamp": "2023-01-01T12:00:00+00:00"}), [("agreement_consent.version", "required")])
    add("consent_timestamp_without_offset", patched(agreement_consent={"version": "1", "timestamp": "2023-01-01T12:00:00"}), [("agreement_consent.timestamp", "invalid_datetime")])
    add("consent_timestamp_date_only", patched(agreement_consent={"version": "1", "timestamp": "2023-01-01"}), [("agreement_consent.timestamp", "invalid_datetime")])
    add("consent_timestamp_after_today_everywhere", patched(agreement_consent={"version": "1", "timestamp": "2026-11-28T12:00:00Z"}), [("agreement_consent.timestamp", "in_future")])
    add("consent_missing_fields", patched(agreement_consent={}), [("agreement_consent.version", "required"), ("agreement_consent.timestamp", "required")])
    add("us_address_without_state", patched(address__state=_DELETE), [("address.state", "required")])
    add("us_address_unknown_state", patched(address__state="XX"), [("address.state", "invalid_state")])
    add("us_address_lower_case_state", patched(address__state="ca"), [("address.state", "invalid_state")])
    add("us_postal_code_four_digits", patched(address__postal_code="9470"), [("address.postal_code", "invalid_postal_code")])
    add("us_postal_code_bad_plus_four", patched(address__postal_code="94701-12"), [("address.postal_code", "invalid_postal_code")])
    add("lower_case_country", patched(address__country="usa"), [("address.country", "invalid_country")])
    add("address_lines_too_long_and_city_missing", patched(address__street_address="s" * 251, address__street_address2="t" * 251, address__city=_DELETE, address__postal_code="9" * 51), [
        ("address.street_address", "too_long"), ("address.street_address2", "too_long"), ("address.city", "required"), ("address.postal_code", "too_long")])
    add("citizenship_country_spelled_out", patched(citizenship_country="United States"), [("citizenship_country", "invalid_country")])
    add("originally_onboarded_at_not_a_datetime", patched(originally_onboarded_at="yesterday"), [("originally_onboarded_at", "invalid_datetime")])
    add("unknown_fields_are_reported", patched(ssn="999999999", name={"first_name": "Jiko", "last_name": "Customer", "nickname": "JC"}), [
        ("ssn", "unknown_field"), ("name.nickname", "unknown_field")])
    add("many_problems_at_once", patched(identification_number="123-45-678", email="not-an-email", phone_number="call me",
                                         date_of_birth="2015-06-01", address__postal_code="ABCDE", investment_profile__occupation=None), [
        ("identification_number", "invalid_ssn"), ("email", "invalid_email"), ("phone_number", "invalid_phone"),
        ("date_of_birth", "under_age"), ("investment_profile.occupation", "required"), ("address.postal_code", "invalid_postal_code")])
    return cases


# ------------------------------------------------------------------------- responses

def server_application(status="CREATED", **overrides):
    app = {
        "id": APP_ID,
        "time_created": "2026-11-27T10:00:00+00:00",
        "updated_at": "2026-11-27T10:05:00+00:00",
        "phone_number": "15551234567",
        "agreement_consent": {"version": "1", "timestamp": "2023-01-01T12:00:00+00:00"},
        "exception_reasons": [],
        "email": "jiko@example.com",
        "status": status,
        "name": {"first_name": "Jiko", "last_name": "Customer"},
        "date_of_birth": {"date_of_birth": "1970-01-01"},
        "investment_profile": {"employment_status": "EMPLOYED", "income": "BETWEEN_100K_AND_250K",
                               "net_worth": "BETWEEN_1M_AND_5M", "occupation": "Investor"},
        "documents": [],
        "id_verification_documents_needed": False,
        "identification_number_verification_document_needed": False,
        "address_verification_document_needed": False,
        "address": {"street_address": "2000 Allston Way", "city": "Berkeley", "postal_code": "94701",
                    "state": "CA", "country": "US"},
        "citizenship_country": "US",
        "object_type": "InternationalApplication",
    }
    app.update(overrides)
    return app


APPLICATION_ORDER = ["id", "status", "time_created", "updated_at", "name", "email", "phone_number", "date_of_birth",
                     "investment_profile", "agreement_consent", "address", "citizenship_country", "customer_id",
                     "documents", "exception_reasons", "id_verification_documents_needed",
                     "identification_number_verification_document_needed", "address_verification_document_needed"]


def canonical_application(app):
    """What the SDK's Application model encodes back to: known fields only, absent
    optionals left out, the spec's flag spelling, the nested date of birth."""
    out = {}
    for k in APPLICATION_ORDER:
        if k in app and app[k] is not None:
            out[k] = app[k]
    if "identification_number_document_needed" in app:
        out["identification_number_verification_document_needed"] = bool(
            app.get("identification_number_verification_document_needed")) or bool(app["identification_number_document_needed"])
    for k in ("documents", "exception_reasons"):
        out.setdefault(k, [])
    for k in ("id_verification_documents_needed", "identification_number_verification_document_needed", "address_verification_document_needed"):
        out.setdefault(k, False)
    if isinstance(out.get("date_of_birth"), str):
        out["date_of_birth"] = {"date_of_birth": out["date_of_birth"]}
    return {k: out[k] for k in APPLICATION_ORDER if k in out}


def doc(t, s, i=0):
    return {"id": f"d0c00000-0000-4000-8000-00000000000{i}", "type": t, "status": s}


AGREEMENTS = {
    "version": "1.0.0",
    "release_date": "2026-01-15",
    "documents": [
        {"title": "Privacy Policy", "pdf_download_url": "https://example.com/privacy.pdf", "type": "PRIVACY_POLICY", "category": "GENERAL"},
        {"title": "E-Sign Consent", "pdf_download_url": "https://example.com/esign.pdf", "type": "ELECTRONIC_COMMUNICATIONS", "category": "E-SIGN"},
        {"title": "Crypto Terms", "pdf_download_url": "https://example.com/new.pdf", "type": "SOMETHING_NEW", "category": "NEW_CATEGORY"},
    ],
}


def response_cases() -> list:
    cases = []

    def ok(name, parser, status, body, expected):
        raw = body if isinstance(body, bytes) else json.dumps(body).encode("utf-8")
        cases.append({"name": name, "parser": parser, "status": status, "body": as_bytes(raw), "expect": {"ok": expected}})

    def err(name, parser, status, body, kind, errors=(), retry_after=None, retry_after_seconds=None, must_not_leak=()):
        raw = body if isinstance(body, bytes) else json.dumps(body).encode("utf-8")
        case = {"name": name, "parser": parser, "status": status, "body": as_bytes(raw)}
        if retry_after is not None:
            case["retry_after"] = retry_after
        case["expect"] = {"error": {"code": f"api_{kind}", "kind": kind, "status": status,
                                    "errors": [{"path": p, "code": c} for p, c in errors],
                                    "retry_after_seconds": retry_after_seconds}}
        if must_not_leak:
            case["must_not_leak"] = list(must_not_leak)
        cases.append(case)

    full = server_application("DOCUMENTS_NEEDED", id_verification_documents_needed=True, customer_id=None,
                              documents=[doc("ID_FRONT", "PENDING_UPLOAD", 1), {**doc("SELFIE", "INVALID", 2), "exception_reason": "IMAGE_QUALITY_ERROR_CUTOFF", "name": "selfie.png"}])
    ok("application_documents_needed", "application", 200, full, canonical_application(full))
    created = server_application("CREATED")
    ok("application_created_201", "application", 201, created, canonical_application(created))
    guide_flag = server_application("DOCUMENTS_NEEDED")
    guide_flag.pop("identification_number_verification_document_needed")
    guide_flag["identification_number_document_needed"] = True
    ok("application_guide_flag_spelling", "application", 200, guide_flag, canonical_application(guide_flag))
    approved = server_application("APPROVED", customer_id=CUSTOMER_ID)
    ok("application_approved_with_customer", "application", 200, approved, canonical_application(approved))
    unknown = server_application("ON_HOLD", documents=[doc("DRIVING_PERMIT", "EXPIRED", 3)],
                                 investment_profile={"employment_status": "SABBATICAL", "income": "OVER_1M", "net_worth": "OVER_5M"})
    ok("application_unknown_enum_values_are_kept", "application", 200, unknown, canonical_application(unknown))
    flat = server_application("SUBMITTED", date_of_birth="1970-01-01")
    ok("application_flat_date_of_birth", "application", 200, flat, canonical_application(flat))
    minimal = {"id": APP_ID, "status": "SUBMITTED"}
    ok("application_minimal", "application", 200, minimal, canonical_application(minimal))
    nulls = {"id": APP_ID, "status": "SUBMITTED", "documents": None, "exception_reasons": None, "id_verification_documents_needed": None, "customer_id": None}
    ok("application_nulls_for_optional_fields", "application", 200, nulls, canonical_application({"id": APP_ID, "status": "SUBMITTED"}))

    err("application_missing_id", "application", 200, {"status": "CREATED"}, "invalid_response")
    err("application_wrong_type_status", "application", 200, {"id": APP_ID, "status": 5}, "invalid_response")
    err("application_flag_not_boolean", "application", 200, {"id": APP_ID, "status": "CREATED", "id_verification_documents_needed": "yes"}, "invalid_response")
    err("application_html_with_200", "application", 200, b"<html><body>Jiko Customer 999-99-9999</body></html>", "invalid_response", must_not_leak=["Jiko Customer", "999-99-9999"])
    err("application_truncated", "application", 200, json.dumps(full).encode()[:100], "invalid_response", must_not_leak=["jiko@example.com"])
    err("application_empty_body", "application", 200, b"", "invalid_response")
    err("application_json_array", "application", 200, [full], "invalid_response")
    err("application_401_empty", "application", 401, b"", "unauthorized")
    err("application_403", "application", 403, {"detail": "Forbidden"}, "forbidden")
    err("application_404_detail_string", "application", 404, {"detail": "Not found"}, "not_found")
    err("application_409", "application", 409, {"detail": "Idempotency key already used"}, "conflict")
    err("application_412", "application", 412, {"detail": "Already approved"}, "conflict")
    err("application_422_field_errors", "application", 422, {"detail": [
        {"loc": ["body", "address", "postal_code"], "msg": "invalid postal code 94701", "type": "value_error"},
        {"loc": ["body", "name", "first_name"], "msg": "ensure this value has at most 50 characters", "type": "value_error.any_str.max_length"},
        {"loc": ["body", "documents", 0, "type"], "msg": "bad", "type": "type_error.enum"},
        {"loc": ["query", "limit"], "msg": "bad", "type": "value_error"},
    ]}, "validation", errors=[("address.postal_code", "value_error"), ("name.first_name", "value_error.any_str.max_length"),
                              ("documents.0.type", "type_error.enum"), ("query.limit", "value_error")], must_not_leak=["94701"])
    err("application_422_message_echoes_ssn", "application", 422, {"detail": [
        {"loc": ["body", "identification_number"], "msg": "value '123-45-6789' is not a valid SSN for Jiko Customer", "type": "value_error"}]},
        "validation", errors=[("identification_number", "value_error")], must_not_leak=["123-45-6789", "Jiko Customer"])
    err("application_422_odd_location_is_redacted", "application", 422, {"detail": [
        {"loc": ["body", "jiko@example.com"], "msg": "extra", "type": "extra forbidden: jiko@example.com"}]},
        "validation", errors=[("<redacted>", "<redacted>")], must_not_leak=["jiko@example.com"])
    err("application_422_detail_string", "application", 422, {"detail": "Applicant must be 18"}, "validation")
    err("application_422_html", "application", 422, b"<html>Unprocessable</html>", "validation")
    err("application_429_retry_after_seconds", "application", 429, b"", "rate_limited", retry_after="30", retry_after_seconds=30)
    err("application_429_retry_after_http_date", "application", 429, b"", "rate_limited", retry_after="Wed, 21 Oct 2026 07:28:00 GMT")
    err("application_500_html", "application", 500, b"<html><h1>Internal Server Error</h1></html>", "server")
    err("application_503", "application", 503, b"upstream unavailable", "server")
    err("application_302_redirect", "application", 302, b"", "unexpected")

    ok("login_ok", "login", 200, {"token": TOKEN, "expires": "2023-01-01T14:00:00+00:00"},
       {"token": TOKEN, "expires": "2023-01-01T14:00:00+00:00", "expires_at_unix_seconds": calendar.timegm((2023, 1, 1, 14, 0, 0))})
    ok("login_ok_zulu_with_fraction", "login", 200, {"token": TOKEN, "expires": "2026-11-27T11:00:00.250Z", "extra": 1},
       {"token": TOKEN, "expires": "2026-11-27T11:00:00.250Z", "expires_at_unix_seconds": calendar.timegm((2026, 11, 27, 11, 0, 0))})
    err("login_401", "login", 401, b"", "unauthorized")
    err("login_expires_not_a_datetime", "login", 200, {"token": TOKEN, "expires": "in an hour"}, "invalid_response", must_not_leak=[TOKEN])
    err("login_missing_token", "login", 200, {"expires": "2023-01-01T14:00:00+00:00"}, "invalid_response")

    ok("agreements_ok_with_unknown_values", "agreements", 200, AGREEMENTS, AGREEMENTS)
    err("agreements_missing_documents", "agreements", 200, {"version": "1.0.0", "release_date": "2026-01-15"}, "invalid_response")
    err("agreements_422", "agreements", 422, {"detail": []}, "validation")

    ok("upload_ok", "upload", 200, {"success": True, "document_id": "9f1c2d3e-4b5a-4c6d-8e7f-0a1b2c3d4e5f"},
       {"success": True, "document_id": "9f1c2d3e-4b5a-4c6d-8e7f-0a1b2c3d4e5f"})
    err("upload_404", "upload", 404, {"detail": "Not found"}, "not_found")
    err("upload_422", "upload", 422, {"detail": [{"loc": ["header", "content-type"], "msg": "bad", "type": "value_error"}]},
        "validation", errors=[("header.content-type", "value_error")])
    return cases


# ------------------------------------------------------------------------ onboarding

ID_REQS = [
    {"flag": "id_verification_documents_needed", "one_of": ["ID_FRONT"]},
    {"flag": "id_verification_documents_needed", "one_of": ["ID_BACK"]},
    {"flag": "id_verification_documents_needed", "one_of": ["SELFIE", "PASSPORT"]},
]
NUMBER_REQ = {"flag": "identification_number_verification_document_needed", "one_of": ["IDENTIFICATION_NUMBER_VERIFICATION"]}
ADDRESS_REQ = {"flag": "address_verification_document_needed", "one_of": ["ADDRESS_VERIFICATION"]}


def onboarding_cases() -> list:
    cases = []

    def add(name, app, reqs, action):
        cases.append({"name": name, "application": app, "required_documents": reqs, "next_action": action})

    def upload(reqs):
        return {"kind": "upload_documents", "requirements": reqs}

    add("created_apply", server_application("CREATED"), [], {"kind": "apply"})
    add("pending_apply_again", server_application("PENDING"), [], {"kind": "apply"})
    add("submitted_wait_for_kyc", server_application("SUBMITTED"), [], {"kind": "wait", "reason": "kyc_in_progress"})
    add("manual_review_wait", server_application("MANUAL_REVIEW"), [], {"kind": "wait", "reason": "manual_review"})
    add("approved_with_customer", server_application("APPROVED", customer_id=CUSTOMER_ID), [], {"kind": "approved", "customer_id": CUSTOMER_ID})
    add("approved_customer_id_null", server_application("APPROVED", customer_id=None), [], {"kind": "approved"})
    add("rejected_final", server_application("REJECTED"), [], {"kind": "rejected"})
    add("unknown_status_kept", server_application("ON_HOLD"), [], {"kind": "unknown", "status": "ON_HOLD"})
    add("id_flag_no_documents", server_application("DOCUMENTS_NEEDED", id_verification_documents_needed=True), ID_REQS, upload(ID_REQS))
    spec_example = server_application("DOCUMENTS_NEEDED", id_verification_documents_needed=True, customer_id=CUSTOMER_ID, documents=[
        doc("ID_FRONT", "PENDING_UPLOAD", 1), doc("ID_BACK", "PENDING_UPLOAD", 2), doc("PASSPORT", "PENDING_UPLOAD", 3), doc("SELFIE", "PENDING_UPLOAD", 4)])
    add("id_flag_spec_example_pending_uploads", spec_example, ID_REQS, upload(ID_REQS))
    partial = server_application("DOCUMENTS_NEEDED", id_verification_documents_needed=True, documents=[
        doc("ID_FRONT", "PENDING_REVIEW", 1), doc("PASSPORT", "APPROVED", 2), doc("ID_BACK", "PENDING_UPLOAD", 3)])
    add("id_flag_front_uploaded_passport_approved", partial, [ID_REQS[1]], upload([ID_REQS[1]]))
    invalid = server_application("DOCUMENTS_NEEDED", id_verification_documents_needed=True, documents=[doc("ID_FRONT", "INVALID", 1), doc("SELFIE", "PENDING_REVIEW", 2)])
    add("invalid_document_must_be_uploaded_again", invalid, ID_REQS[:2], upload(ID_REQS[:2]))
    add("identification_number_flag_spec_spelling", server_application("DOCUMENTS_NEEDED", identification_number_verification_document_needed=True), [NUMBER_REQ], upload([NUMBER_REQ]))
    guide_spelling = server_application("DOCUMENTS_NEEDED")
    guide_spelling.pop("identification_number_verification_document_needed")
    guide_spelling["identification_number_document_needed"] = True
    add("identification_number_flag_guide_spelling", guide_spelling, [NUMBER_REQ], upload([NUMBER_REQ]))
    add("address_flag", server_application("DOCUMENTS_NEEDED", address_verification_document_needed=True), [ADDRESS_REQ], upload([ADDRESS_REQ]))
    add("id_and_number_flags", server_application("DOCUMENTS_NEEDED", id_verification_documents_needed=True, identification_number_verification_document_needed=True),
        ID_REQS + [NUMBER_REQ], upload(ID_REQS + [NUMBER_REQ]))
    add("all_three_flags", server_application("DOCUMENTS_NEEDED", id_verification_documents_needed=True, identification_number_verification_document_needed=True, address_verification_document_needed=True),
        ID_REQS + [NUMBER_REQ, ADDRESS_REQ], upload(ID_REQS + [NUMBER_REQ, ADDRESS_REQ]))
    all_up = server_application("DOCUMENTS_NEEDED", id_verification_documents_needed=True, address_verification_document_needed=True, documents=[
        doc("ID_FRONT", "PENDING_REVIEW", 1), doc("ID_BACK", "PENDING_REVIEW", 2), doc("SELFIE", "PENDING_REVIEW", 3), doc("ADDRESS_VERIFICATION", "APPROVED", 4)])
    add("every_document_uploaded_wait_for_review", all_up, [], {"kind": "wait", "reason": "documents_in_review"})
    add("documents_needed_without_flags", server_application("DOCUMENTS_NEEDED"), [], {"kind": "wait", "reason": "documents_in_review"})
    odd_docs = server_application("DOCUMENTS_NEEDED", address_verification_document_needed=True, documents=[
        doc("DRIVING_PERMIT", "PENDING_REVIEW", 1), doc("ADDRESS_VERIFICATION", "SHREDDED", 2)])
    add("unknown_document_values_do_not_satisfy", odd_docs, [ADDRESS_REQ], upload([ADDRESS_REQ]))
    return cases


# --------------------------------------------------------------------------- sandbox

def sandbox_cases() -> list:
    cases = []

    def add(name, ssn, after_apply, flags=(False, False, False), after_docs=None):
        cases.append({"name": name, "ssn": ssn, "scenario": {
            "status_after_apply": after_apply,
            "id_verification_documents_needed": flags[0],
            "identification_number_document_needed": flags[1],
            "address_verification_document_needed": flags[2],
            "status_after_documents": after_docs}})

    dn = "DOCUMENTS_NEEDED"
    add("starts_with_4_approved", "411111111", "APPROVED")
    add("starts_with_5_rejected", "511111111", "REJECTED")
    add("starts_with_3_manual_review", "311111111", "MANUAL_REVIEW")
    add("guide_example_999_manual_review", "999999999", "MANUAL_REVIEW")
    for d in "01678":
        add(f"starts_with_{d}_manual_review", d + "11111111", "MANUAL_REVIEW")
    add("21_id_flag_then_approved", "212345678", dn, (True, False, False), "APPROVED")
    add("211_id_flag_then_manual_review", "211345678", dn, (True, False, False), "MANUAL_REVIEW")
    add("22_number_flag_then_approved", "222345678", dn, (False, True, False), "APPROVED")
    add("221_number_flag_then_manual_review", "221345678", dn, (False, True, False), "MANUAL_REVIEW")
    add("23_address_flag_then_approved", "232345678", dn, (False, False, True), "APPROVED")
    add("231_address_flag_then_manual_review", "231345678", dn, (False, False, True), "MANUAL_REVIEW")
    add("24_id_and_number_flags_then_approved", "242345678", dn, (True, True, False), "APPROVED")
    add("241_id_and_number_flags_then_manual_review", "241345678", dn, (True, True, False), "MANUAL_REVIEW")
    # The guide is silent on 20 and 25-29: the SDK raises the ID-verification flag.
    add("20_choice_id_flag", "202345678", dn, (True, False, False), "APPROVED")
    add("25_choice_id_flag", "252345678", dn, (True, False, False), "APPROVED")
    add("291_choice_id_flag_then_manual_review", "291345678", dn, (True, False, False), "MANUAL_REVIEW")
    add("lone_2_choice_id_flag", "2", dn, (True, False, False), "APPROVED")
    add("empty_manual_review", "", "MANUAL_REVIEW")
    add("letters_manual_review", "abc", "MANUAL_REVIEW")
    return cases


# -------------------------------------------------------------------------- requests

def request_cases() -> list:
    cases = []
    local = {"base_url": "http://127.0.0.1:8080"}
    base = "http://127.0.0.1:8080"

    def signed(method, path, body=b"", key=KEY, token=TOKEN, secret=SECRET, url_base=base):
        headers = [["Authorization", f"Bearer {token}"], ["x-jiko-idempotency", key],
                   ["x-jiko-signature", sign(secret, key, path, body)]]
        if body:
            headers += [["Content-Type", "application/json"], ["Content-Length", str(len(body))]]
        return {"method": method, "url": url_base + path, "path": path, "headers": headers,
                "body": as_bytes(body), "idempotency_key": key}

    def add(name, operation, args, expect, client=local, key=KEY, today=None, secret=SECRET):
        case = {"name": name, "client": client, "secret": secret, "operation": operation, "args": args,
                "idempotency_key": key}
        if today:
            case["today"] = today
        case["expect"] = expect
        cases.append(case)

    def error(code, errors=None):
        e = {"code": code}
        if errors is not None:
            e["errors"] = [{"path": p, "code": c} for p, c in errors]
        return {"error": e}

    login_body = compact({"username": "partner-user", "password": "correct horse battery"})
    add("login", "login", {"username": "partner-user", "password": "correct horse battery"}, {
        "method": "POST", "url": base + "/api/v1/login/", "path": "/api/v1/login/",
        "headers": [["Content-Type", "application/json"], ["Content-Length", str(len(login_body))]],
        "body": as_bytes(login_body), "idempotency_key": None}, key=None)
    add("login_blank_username", "login", {"username": "", "password": "pw"}, error("validation_failed", [("username", "required")]), key=None)
    add("login_password_too_long", "login", {"username": "u", "password": "p" * 129}, error("validation_failed", [("password", "too_long")]), key=None)
    add("list_agreements", "list_agreements", {"token": TOKEN}, signed("GET", "/api/v1/agreements/"))
    add("list_agreements_sandbox_host", "list_agreements", {"token": TOKEN},
        signed("GET", "/api/v1/agreements/", url_base="https://acme.sandbox-api.jikoservices.com"),
        client={"environment": "sandbox", "partner": "acme"})
    add("list_agreements_production_host", "list_agreements", {"token": TOKEN},
        signed("GET", "/api/v1/agreements/", url_base="https://acme.partner-api.jikoservices.com"),
        client={"environment": "production", "partner": "acme"})
    add("base_url_trailing_slash_dropped", "list_agreements", {"token": TOKEN}, signed("GET", "/api/v1/agreements/"),
        client={"base_url": "http://127.0.0.1:8080/"})

    # The body the SDK sends: the API's fields in the model's order, compact.
    guide_body = compact({
        "identification_number": "999999999",
        "name": {"first_name": "Jiko", "last_name": "Customer"},
        "email": "jiko@example.com",
        "phone_number": "15551234567",
        "date_of_birth": "1970-01-01",
        "investment_profile": {"employment_status": "EMPLOYED", "income": "BETWEEN_100K_AND_250K",
                               "net_worth": "BETWEEN_1M_AND_5M", "occupation": "Investor"},
        "agreement_consent": {"version": "1", "timestamp": "2023-01-01T12:00:00+00:00"},
        "address": {"street_address": "2000 Allston Way", "city": "Berkeley", "postal_code": "94701",
                    "state": "CA", "country": "USA"},
    })
    add("create_application_guide_example", "create_application", {"token": TOKEN, "application": GUIDE_APPLICATION},
        signed("POST", "/api/v1/applications/", guide_body), today=TODAY)
    unicode_app = patched(name={"first_name": "Zoë", "middle_name": "李", "last_name": "Ñúñez"},
                          address__street_address2="Bâtiment 2", identification_type="SSN", citizenship_country="US")
    unicode_body = compact({
        "identification_number": "999999999",
        "identification_type": "SSN",
        "name": {"first_name": "Zoë", "middle_name": "李", "last_name": "Ñúñez"},
        "email": "jiko@example.com",
        "phone_number": "15551234567",
        "date_of_birth": "1970-01-01",
        "investment_profile": {"employment_status": "EMPLOYED", "income": "BETWEEN_100K_AND_250K",
                               "net_worth": "BETWEEN_1M_AND_5M", "occupation": "Investor"},
        "agreement_consent": {"version": "1", "timestamp": "2023-01-01T12:00:00+00:00"},
        "address": {"street_address": "2000 Allston Way", "street_address2": "Bâtiment 2", "city": "Berkeley",
                    "postal_code": "94701", "state": "CA", "country": "USA"},
        "citizenship_country": "US",
    })
    add("create_application_unicode_is_utf8", "create_application", {"token": TOKEN, "application": unicode_app},
        signed("POST", "/api/v1/applications/", unicode_body), today=TODAY)
    add("create_application_invalid_lists_every_error", "create_application",
        {"token": TOKEN, "application": patched(identification_number="12-34", date_of_birth="2010-01-01", email="x")},
        error("validation_failed", [("identification_number", "invalid_ssn"), ("email", "invalid_email"), ("date_of_birth", "under_age")]), today=TODAY)
    add("create_application_minor_depends_on_today", "create_application",
        {"token": TOKEN, "application": patched(date_of_birth="2008-11-28")},
        error("validation_failed", [("date_of_birth", "under_age")]), today=TODAY)
    add("create_application_unknown_field", "create_application",
        {"token": TOKEN, "application": patched(tax_id="1")}, error("validation_failed", [("tax_id", "unknown_field")]), today=TODAY)
    add("create_application_bad_key", "create_application", {"token": TOKEN, "application": GUIDE_APPLICATION},
        error("invalid_idempotency_key"), key="not-a-uuid", today=TODAY)
    add("get_application", "get_application", {"token": TOKEN, "application_id": APP_ID}, signed("GET", f"/api/v1/applications/{APP_ID}/"))
    add("get_application_path_injection_refused", "get_application", {"token": TOKEN, "application_id": "../../login"}, error("invalid_application_id"))
    add("apply", "apply", {"token": TOKEN, "application_id": APP_ID}, signed("POST", f"/api/v1/applications/{APP_ID}/apply/"))
    add("apply_token_with_newline_refused", "apply", {"token": "abc\r\nx-evil: 1", "application_id": APP_ID}, error("invalid_token"))
    add("apply_empty_token_refused", "apply", {"token": "", "application_id": APP_ID}, error("invalid_token"))
    upload_path = f"/api/v1/applications/{APP_ID}/documents/SELFIE/file/"
    add("upload_document_raw_bytes_unsigned", "upload_document",
        {"token": TOKEN, "application_id": APP_ID, "document_type": "SELFIE", "content_type": "image/png", "body": as_bytes(PNG)},
        {"method": "POST", "url": base + upload_path, "path": upload_path,
         "headers": [["Authorization", f"Bearer {TOKEN}"], ["x-jiko-idempotency", KEY],
                     ["Content-Type", "image/png"], ["Content-Length", str(len(PNG))]],
         "body": as_bytes(PNG), "idempotency_key": KEY})
    add("upload_document_not_png", "upload_document",
        {"token": TOKEN, "application_id": APP_ID, "document_type": "ID_FRONT", "content_type": "image/png", "body": {"utf8": "GIF89a..."}},
        error("wrong_type"))
    add("upload_document_empty", "upload_document",
        {"token": TOKEN, "application_id": APP_ID, "document_type": "ID_BACK", "content_type": "image/png", "body": {"utf8": ""}},
        error("empty"))
    add("upload_document_unknown_type_refused", "upload_document",
        {"token": TOKEN, "application_id": APP_ID, "document_type": "DRIVING_PERMIT", "content_type": "image/png", "body": as_bytes(PNG)},
        error("invalid_document_type"))
    add("client_http_to_remote_host_refused", "client", {}, error("invalid_base_url"), client={"base_url": "http://api.example.com"}, key=None)
    add("client_base_url_with_query_refused", "client", {}, error("invalid_base_url"), client={"base_url": "https://api.example.com/?x=1"}, key=None)
    add("client_bad_partner_refused", "client", {}, error("invalid_partner"), client={"environment": "sandbox", "partner": "acme.evil.com/"}, key=None)
    add("client_unknown_environment_refused", "client", {}, error("invalid_environment"), client={"environment": "staging", "partner": "acme"}, key=None)
    add("client_empty_secret_refused", "client", {}, error("invalid_secret"), secret="", key=None)
    return cases


# --------------------------------------------------------------------------- uploads

def upload_cases() -> list:
    cases = []
    png = base64.b64encode(PNG).decode()
    jpeg = base64.b64encode(b"\xff\xd8\xff\xe0\x00\x10JFIF\x00").decode()
    pdf = base64.b64encode(b"%PDF-1.7\n%\xe2\xe3\xcf\xd3\n").decode()

    def add(name, document_type, content_type, prefix, size, expect):
        cases.append({"name": name, "document_type": document_type, "content_type": content_type,
                      "bytes": {"prefix_base64": prefix, "size": size}, "expect": expect})

    add("small_png_selfie", "SELFIE", "image/png", png, 1024, "ok")
    add("empty", "SELFIE", "image/png", "", 0, "empty")
    add("selfie_at_5_mb_limit", "SELFIE", "image/png", png, 5_000_000, "ok")
    add("selfie_one_byte_over", "SELFIE", "image/png", png, 5_000_001, "too_large")
    add("id_front_one_byte_over", "ID_FRONT", "image/png", png, 5_000_001, "too_large")
    add("id_back_one_byte_over", "ID_BACK", "image/png", png, 5_000_001, "too_large")
    add("passport_one_byte_over", "PASSPORT", "image/png", png, 5_000_001, "too_large")
    add("address_proof_6_mb_ok", "ADDRESS_VERIFICATION", "image/png", png, 6_000_000, "ok")
    add("address_proof_just_under_50_mib", "ADDRESS_VERIFICATION", "image/png", png, 52_428_799, "ok")
    add("address_proof_at_50_mib_refused", "ADDRESS_VERIFICATION", "image/png", png, 52_428_800, "too_large")
    add("png_label_on_jpeg_bytes", "SELFIE", "image/png", jpeg, 100, "wrong_type")
    add("png_label_on_text", "ID_FRONT", "image/png", base64.b64encode(b"hello").decode(), 5, "wrong_type")
    add("jpeg_ok", "ID_FRONT", "image/jpeg", jpeg, 100, "ok")
    add("pdf_ok", "IDENTIFICATION_NUMBER_VERIFICATION", "application/pdf", pdf, 2048, "ok")
    add("pdf_label_on_png", "IDENTIFICATION_NUMBER_VERIFICATION", "application/pdf", png, 2048, "wrong_type")
    add("content_type_with_parameters", "SELFIE", "image/png; charset=binary", png, 100, "ok")
    add("content_type_header_injection", "SELFIE", "image/png\r\nx-evil: 1", png, 100, "wrong_type")
    add("content_type_empty", "SELFIE", "", png, 100, "wrong_type")
    add("unrecognised_format_is_passed_through", "OTHER", "image/heic", "", 10, "ok")
    add("size_checked_before_type", "SELFIE", "image/png", jpeg, 6_000_000, "too_large")
    add("selfie_must_be_png_or_jpeg", "SELFIE", "image/gif", base64.b64encode(b"GIF89a").decode(), 100, "wrong_type")
    add("passport_as_pdf_refused", "PASSPORT", "application/pdf", pdf, 100, "wrong_type")
    add("address_proof_as_pdf_ok", "ADDRESS_VERIFICATION", "application/pdf", pdf, 100, "ok")
    return cases


# --------------------------------------------------------------------------- hostile

def hostile_corpus() -> list:
    """Inputs no parser may crash or hang on. Each file is fed to every parser (as a 200
    and as a 422) and to validate_application as JSON text."""
    app_json = json.dumps(GUIDE_APPLICATION).encode("utf-8")
    files = {
        "deep_arrays.json": b"[" * 100_000 + b"]" * 100_000,
        "deep_objects.json": b'{"a":' * 20_000 + b"1" + b"}" * 20_000,
        "deep_inside_a_field.json": b'{"id":"x","status":"CREATED","documents":' + b"[" * 50_000 + b"]" * 50_000 + b"}",
        "huge_string_wrong_type.json": b'{"id":"' + b"A" * 4_000_000 + b'","status":7}',
        "huge_unterminated_string.json": b'{"id":"' + b"B" * 3_000_000,
        "huge_number.json": b'{"id":"x","status":"CREATED","id_verification_documents_needed":' + b"9" * 1_000_000 + b"}",
        "number_out_of_range.json": b'{"id":"x","status":"CREATED","id_verification_documents_needed":1e999}',
        "big_integer_where_string_belongs.json": b'{"success":true,"document_id":123456789012345678901234567890,"token":18446744073709551616}',
        "nan_and_infinity.json": b'{"id":NaN,"status":Infinity}',
        "invalid_utf8.bin": b'{"id":"\xff\xfe\xfd","status":"CREATED"}',
        "overlong_utf8.bin": b'{"id":"\xc0\xaf","status":"CREATED"}',
        "lone_surrogate_escape.json": b'{"id":"\\ud800","status":"CREATED"}',
        "raw_control_characters.bin": b'{"id":"a\x00b\x1f","status":"CREATED"}',
        "utf16_encoded.json": json.dumps(GUIDE_APPLICATION).encode("utf-16"),
        "byte_order_mark.json": b"\xef\xbb\xbf" + app_json,
        "duplicate_keys.json": b'{"id":"a","id":"b","status":"CREATED","status":"REJECTED","token":"t","token":"u","expires":"x","version":"1","version":"2"}',
        "truncated_application.json": app_json[: len(app_json) // 2],
        "truncated_after_key.json": b'{"id":',
        "trailing_garbage.json": b'{"id":"x","status":"CREATED"}garbage',
        "two_documents.json": b'{"id":"x","status":"CREATED"}{"id":"y","status":"CREATED"}',
        "empty.bin": b"",
        "whitespace_only.json": b" \n\t\r ",
        "null.json": b"null",
        "bare_string.json": b'"APPROVED"',
        "html_error_page.html": b"<!DOCTYPE html><html><head><title>502 Bad Gateway</title></head><body><h1>502 Bad Gateway</h1><p>nginx</p></body></html>",
        "xml_body.xml": b'<?xml version="1.0"?><error><code>500</code></error>',
        "wrong_types_everywhere.json": json.dumps({
            "id": 1, "status": [], "time_created": 5, "name": 5, "email": [], "phone_number": {}, "date_of_birth": 19700101,
            "documents": "none", "exception_reasons": {}, "customer_id": {}, "id_verification_documents_needed": "true",
            "identification_number_verification_document_needed": 1, "address_verification_document_needed": None,
            "token": 1, "expires": [], "version": {}, "release_date": 1, "success": "yes", "document_id": False,
        }).encode(),
        "wrong_types_in_application_request.json": json.dumps({
            "identification_number": 999999999, "identification_type": 1, "name": ["Jiko"], "email": True,
            "phone_number": 15551234567, "date_of_birth": {"y": 1970}, "investment_profile": "EMPLOYED",
            "agreement_consent": [1], "address": "2000 Allston Way", "citizenship_country": 840,
            "originally_onboarded_at": False,
        }).encode(),
        "huge_array_of_empty_objects.json": b'{"id":"x","status":"CREATED","documents":[' + b",".join([b"{}"] * 200_000) + b"]}",
        "very_long_key.json": b'{"' + b"k" * 1_000_000 + b'":1}',
    }
    hostile_dir = HERE / "hostile"
    hostile_dir.mkdir(exist_ok=True)
    for old in hostile_dir.iterdir():
        if old.name != "index.json" and old.name not in files:
            old.unlink()
    cases = []
    for name, data in files.items():
        (hostile_dir / name).write_bytes(data)
        cases.append({"name": name.rsplit(".", 1)[0], "file": name, "size": len(data)})
    return cases


# ----------------------------------------------------------------------------- retry

# The default RetryPolicy of the design (docs/flow-engine.md, "Idempotency and retries").
MAX_RETRIES = 2
BASE_DELAY_MS = 500
MAX_DELAY_MS = 8_000
MAX_RETRY_AFTER_MS = 60_000
KEY_MAX_AGE_MS = 50 * 60_000
MAX_POSTPONE_MS = 24 * 60 * 60_000


def backoff_ms(retry: int, random_value: float, base=BASE_DELAY_MS, cap=MAX_DELAY_MS) -> int:
    """Retry number `retry` (1 for the first): min(cap, base * 2^(retry-1)), less up to a
    quarter at random: floor(nominal * (1 - 0.25 * random)) in IEEE doubles."""
    nominal = min(cap, base * 2 ** (retry - 1))
    return int(nominal * (1.0 - 0.25 * random_value))


def retry_cases() -> list:
    cases = []

    def add(name, observed, kind, expect, retries=0, key_age_ms=0, relogged_in=False,
            ambiguous_before=False, random_value=0.5, policy=None):
        case = {"name": name, "input": {
            "observed": observed, "kind": kind, "retries": retries, "key_age_ms": key_age_ms,
            "relogged_in": relogged_in, "ambiguous_before": ambiguous_before, "random": random_value}}
        if policy is not None:
            case["policy"] = policy
        case["expect"] = expect
        cases.append(case)

    def status(code, retry_after_ms=None):
        return {"status": code} if retry_after_ms is None else {"status": code, "retry_after_ms": retry_after_ms}

    def transport(kind):
        return {"transport": kind}

    unreadable = {"unreadable": True}

    def retry(delay_ms, reason, same_key):
        return {"decision": "retry", "delay_ms": delay_ms, "reason": reason, "same_key": same_key}

    def postpone(delay_ms, reason):
        return {"decision": "postpone", "delay_ms": delay_ms, "reason": reason}

    def give_up(reason):
        return {"decision": "give_up", "reason": reason}

    def decision(name):
        return {"decision": name}

    # The design's table, column by column: what each observed result leads to for each kind of
    # request, on the first attempt of a young key (random 0.5: the first backoff is 437 ms).
    kinds = ["login", "read", "create", "mutation"]
    same_key = {"login": False, "read": False, "create": True, "mutation": True}
    first = backoff_ms(1, 0.5)

    def transient(reason):
        return {k: retry(first, reason, same_key[k]) for k in kinds}

    def every(d):
        return {k: d for k in kinds}

    table = [
        ("200", status(200), every(decision("success"))),
        ("201", status(201), every(decision("success"))),
        ("204", status(204), every(decision("success"))),
        ("unreadable_2xx", unreadable, {"login": retry(first, "invalid_response", False),
                                         "read": retry(first, "invalid_response", False),
                                         "create": decision("outcome_unknown"),
                                         "mutation": decision("read_state")}),
        ("401", status(401), {"login": decision("fail"), "read": decision("relogin"),
                              "create": decision("relogin"), "mutation": decision("relogin")}),
        ("409", status(409), {"login": decision("fail"), "read": decision("fail"),
                              "create": decision("outcome_unknown"), "mutation": decision("read_state")}),
        ("408", status(408), transient("request_timeout")),
        ("429", status(429), transient("rate_limited")),
        ("500", status(500), transient("server_error")),
        ("502", status(502), transient("server_error")),
        ("503", status(503), transient("server_error")),
        ("504", status(504), transient("server_error")),
        ("not_sent", transport("not_sent"), transient("not_sent")),
        ("timed_out", transport("timed_out"), transient("timed_out")),
        ("reset", transport("reset"), transient("reset")),
    ]
    # 3xx (a redirect would change the signed path), the other 4xx and the other 5xx: the typed error.
    for code in (100, 301, 302, 303, 304, 307, 308, 400, 402, 403, 404, 405, 410, 412, 413, 415, 418, 422, 451, 501, 505, 511, 599):
        table.append((str(code), status(code), every(decision("fail"))))
    for label, observed, by_kind in table:
        for kind in kinds:
            add(f"{kind}_{label}", observed, kind, by_kind[kind])

    # Backoff: doubling per retry, jittered down by at most a quarter.
    for r in (0.0, 0.25, 0.5, 0.75, 0.96875):
        add(f"read_timed_out_first_retry_random_{r}", transport("timed_out"), "read",
            retry(backoff_ms(1, r), "timed_out", False), random_value=r)
        add(f"mutation_503_second_retry_random_{r}", status(503), "mutation",
            retry(backoff_ms(2, r), "server_error", True), retries=1, random_value=r)
    add("random_below_zero_counts_as_zero", status(503), "read", retry(backoff_ms(1, 0.0), "server_error", False), random_value=-3.0)
    # Beyond two retries the 8 s cap shows: a policy with more retries.
    more = {"max_retries": 8}
    for retries, nominal in ((2, 2_000), (3, 4_000), (4, 8_000), (5, 8_000), (7, 8_000)):
        add(f"backoff_retry_{retries + 1}_of_8_capped_at_8_s", status(500), "read",
            retry(int(nominal * (1.0 - 0.25 * 0.5)), "server_error", False), retries=retries, policy=more)
    add("eight_retries_spent", status(500), "read", give_up("server_error"), retries=8, policy=more)

    # Retries exhausted: the flow does not fail, it waits out the outage (give_up names the reason).
    for label, observed, reason in (("408", status(408), "request_timeout"), ("429", status(429), "rate_limited"),
                                    ("503", status(503), "server_error"), ("not_sent", transport("not_sent"), "not_sent"),
                                    ("timed_out", transport("timed_out"), "timed_out"), ("reset", transport("reset"), "reset")):
        for kind in kinds:
            add(f"{kind}_{label}_retries_spent", observed, kind, give_up(reason), retries=MAX_RETRIES)
    add("read_unreadable_retries_spent", unreadable, "read", give_up("invalid_response"), retries=MAX_RETRIES)
    add("read_503_one_retry_left", status(503), "read", retry(backoff_ms(2, 0.5), "server_error", False), retries=1)
    add("create_401_after_retries_spent_still_relogs_in", status(401), "create", decision("relogin"), retries=MAX_RETRIES)

    # Key age: an ambiguous Create is resent only while its key is younger than 50 minutes.
    young, old = KEY_MAX_AGE_MS - 1, KEY_MAX_AGE_MS
    add("create_timed_out_key_just_young_enough", transport("timed_out"), "create", retry(first, "timed_out", True), key_age_ms=young)
    add("create_timed_out_key_50_minutes_old", transport("timed_out"), "create", decision("outcome_unknown"), key_age_ms=old)
    add("create_reset_key_too_old", transport("reset"), "create", decision("outcome_unknown"), key_age_ms=2 * old)
    add("create_503_key_too_old", status(503), "create", decision("outcome_unknown"), key_age_ms=old)
    add("create_500_key_too_old_retries_spent", status(500), "create", decision("outcome_unknown"), key_age_ms=old, retries=MAX_RETRIES)
    add("create_not_sent_old_key_never_ambiguous_is_resent", transport("not_sent"), "create", retry(first, "not_sent", True), key_age_ms=3 * old)
    add("create_not_sent_old_key_ambiguous_before", transport("not_sent"), "create", decision("outcome_unknown"), key_age_ms=old, ambiguous_before=True)
    add("create_429_old_key_never_ambiguous_is_resent", status(429), "create", retry(first, "rate_limited", True), key_age_ms=old)
    add("create_429_old_key_ambiguous_before", status(429), "create", decision("outcome_unknown"), key_age_ms=old, ambiguous_before=True)
    add("create_408_old_key_ambiguous_before", status(408), "create", decision("outcome_unknown"), key_age_ms=old, ambiguous_before=True)
    add("create_429_young_key_ambiguous_before", status(429), "create", retry(first, "rate_limited", True), key_age_ms=young, ambiguous_before=True)
    add("create_401_old_ambiguous_key_relogs_in", status(401), "create", decision("relogin"), key_age_ms=old, ambiguous_before=True)
    add("create_201_old_key_is_a_success", status(201), "create", decision("success"), key_age_ms=old, ambiguous_before=True)
    # A final error to a Create resent after an ambiguous attempt says nothing about the first
    # attempt: whether an application exists is unknown (the key is named), never a plain error.
    for code in (301, 400, 403, 404, 422, 501):
        add(f"create_{code}_young_key_ambiguous_before", status(code), "create", decision("outcome_unknown"), key_age_ms=young, ambiguous_before=True)
        add(f"mutation_{code}_ambiguous_before_fails", status(code), "mutation", decision("fail"), ambiguous_before=True)
    add("create_401_after_relogins_ambiguous_before", status(401), "create", decision("outcome_unknown"), relogged_in=True, ambiguous_before=True)
    add("mutation_timed_out_old_key_is_resent", transport("timed_out"), "mutation", retry(first, "timed_out", True), key_age_ms=3 * old)
    add("read_timed_out_old_key_takes_a_new_one", transport("timed_out"), "read", retry(first, "timed_out", False), key_age_ms=3 * old)

    # Re-login: `relogged_in` says the request used up its re-logins (max_relogins, 3 by
    # default, counted by the flow); then a 401 is final.
    for kind in ("read", "create", "mutation"):
        add(f"{kind}_401_after_relogin_fails", status(401), kind, decision("fail"), relogged_in=True)
    add("read_503_after_relogin_still_retried", status(503), "read", retry(first, "server_error", False), relogged_in=True)

    # Retry-After (already read into milliseconds): honoured up to 60 s without jitter; beyond,
    # the flow postpones (capped at a day, not counted as a retry).
    add("read_429_retry_after_3_s", status(429, 3_000), "read", retry(3_000, "rate_limited", False))
    add("read_429_retry_after_0", status(429, 0), "read", retry(0, "rate_limited", False))
    add("read_503_retry_after_2_s", status(503, 2_000), "read", retry(2_000, "server_error", False))
    add("read_408_retry_after_5_s", status(408, 5_000), "read", retry(5_000, "request_timeout", False))
    add("create_429_retry_after_3_s_same_key", status(429, 3_000), "create", retry(3_000, "rate_limited", True))
    add("read_429_retry_after_at_the_60_s_cap", status(429, MAX_RETRY_AFTER_MS), "read", retry(MAX_RETRY_AFTER_MS, "rate_limited", False))
    add("read_429_retry_after_just_over_the_cap", status(429, MAX_RETRY_AFTER_MS + 1), "read", postpone(MAX_RETRY_AFTER_MS + 1, "rate_limited"))
    add("read_429_retry_after_2_minutes", status(429, 120_000), "read", postpone(120_000, "rate_limited"))
    add("mutation_503_retry_after_an_hour", status(503, 3_600_000), "mutation", postpone(3_600_000, "server_error"))
    add("login_429_retry_after_2_minutes", status(429, 120_000), "login", postpone(120_000, "rate_limited"))
    add("read_429_retry_after_two_days_capped_at_one", status(429, 2 * MAX_POSTPONE_MS), "read", postpone(MAX_POSTPONE_MS, "rate_limited"))
    add("read_429_retry_after_over_cap_retries_spent_still_postpones", status(429, 120_000), "read", postpone(120_000, "rate_limited"), retries=MAX_RETRIES)
    add("read_429_retry_after_under_cap_retries_spent", status(429, 3_000), "read", give_up("rate_limited"), retries=MAX_RETRIES)
    add("create_503_retry_after_over_cap_old_key", status(503, 120_000), "create", decision("outcome_unknown"), key_age_ms=old)
    add("read_400_retry_after_ignored", status(400, 3_000), "read", decision("fail"))
    add("read_401_retry_after_ignored", status(401, 3_000), "read", decision("relogin"))
    add("mutation_409_retry_after_ignored", status(409, 3_000), "mutation", decision("read_state"))
    return cases


RETRY_AFTER_NOW_MS = calendar.timegm((2026, 12, 1, 10, 0, 0)) * 1000


def http_date(unix_seconds: int) -> str:
    """IMF-fixdate, written by Python's email.utils (RFC 9110's preferred form)."""
    return email.utils.formatdate(unix_seconds, usegmt=True)


def retry_after_cases() -> list:
    cases = []
    now_s = RETRY_AFTER_NOW_MS // 1000

    def add(name, header, expect_ms, now_ms=RETRY_AFTER_NOW_MS):
        cases.append({"name": f"retry_after_{name}", "header": header, "now_ms": now_ms, "expect_ms": expect_ms})

    add("seconds", "120", 120_000)
    add("zero_seconds", "0", 0)
    add("seconds_with_spaces", " 7 ", 7_000)
    add("one_day_in_seconds", "86400", 86_400_000)
    add("leading_zeros", "007", 7_000)
    add("http_date_30_s_ahead", http_date(now_s + 30), 30_000)
    add("http_date_2_minutes_ahead", http_date(now_s + 120), 120_000)
    add("http_date_now", http_date(now_s), 0)
    add("http_date_in_the_past", http_date(now_s - 3_600), 0)
    add("http_date_from_a_clock_between_seconds", http_date(now_s + 30), 29_500, now_ms=RETRY_AFTER_NOW_MS + 500)
    add("http_date_next_year", http_date(now_s + 40 * 86_400), 40 * 86_400_000)
    add("http_date_rfc_example", "Sun, 06 Nov 1994 08:49:37 GMT", 7_000, now_ms=784_111_770_000)
    add("negative_seconds", "-1", None)
    add("fractional_seconds", "1.5", None)
    add("plus_sign", "+5", None)
    add("empty", "", None)
    add("words", "soon", None)
    add("seconds_with_unit", "30 seconds", None)
    add("rfc_850_date", "Tuesday, 01-Dec-26 10:00:30 GMT", None)
    add("asctime_date", "Tue Dec  1 10:00:30 2026", None)
    add("iso_8601_instant", "2026-12-01T10:00:30Z", None)
    add("http_date_lower_case", http_date(now_s + 30).lower(), None)
    add("http_date_numeric_offset", http_date(now_s + 30).replace("GMT", "+0000"), None)
    add("http_date_not_on_the_calendar", "Tue, 31 Feb 2026 10:00:30 GMT", None)
    add("http_date_hour_25", "Tue, 01 Dec 2026 25:00:30 GMT", None)
    return cases


# ------------------------------------------------------------------------------ poll

# The default PollPolicy of the design (docs/flow-engine.md, "Polling").
FAST_INITIAL_MS = 2_000
FAST_MAX_MS = 60_000
FAST_PHASE_MS = 10 * 60_000
SLOW_INTERVAL_MS = 15 * 60_000
MANUAL_REVIEW_MS = 15 * 60_000
MANUAL_REVIEW_WITH_WEBHOOKS_MS = 60 * 60_000


def poll_jitter(nominal: int, random_value: float) -> int:
    """±10%: floor(nominal * (0.9 + 0.2 * random)) in IEEE doubles."""
    return int(nominal * (0.9 + 0.2 * random_value))


def poll_cases() -> list:
    cases = []

    def add(name, reason, nominal, waited_ms=0, reads=0, webhooks=False, random_value=0.5, policy=None):
        case = {"name": name, "input": {"reason": reason, "waited_ms": waited_ms, "reads": reads,
                                        "webhooks": webhooks, "random": random_value}}
        if policy is not None:
            case["policy"] = policy
        case["expect_delay_ms"] = poll_jitter(nominal, random_value)
        cases.append(case)

    # SUBMITTED and an account still opening: 2 s doubling to 60 s for ten minutes, then 15 minutes.
    for reason in ("kyc_in_progress", "account_opening"):
        waited = 0
        for reads in range(8):
            nominal = min(FAST_MAX_MS, FAST_INITIAL_MS * 2 ** reads)
            add(f"{reason}_read_{reads}", reason, nominal, waited_ms=waited, reads=reads)
            waited += nominal
        add(f"{reason}_many_reads_stay_at_60_s", reason, FAST_MAX_MS, waited_ms=300_000, reads=40)
        add(f"{reason}_last_moment_of_the_fast_phase", reason, FAST_MAX_MS, waited_ms=FAST_PHASE_MS - 1, reads=9)
        add(f"{reason}_after_the_fast_phase", reason, SLOW_INTERVAL_MS, waited_ms=FAST_PHASE_MS, reads=9)
        add(f"{reason}_after_the_fast_phase_first_read", reason, SLOW_INTERVAL_MS, waited_ms=FAST_PHASE_MS, reads=0)
        add(f"{reason}_hours_later", reason, SLOW_INTERVAL_MS, waited_ms=6 * 3_600_000, reads=30)
        add(f"{reason}_webhooks_change_nothing", reason, FAST_INITIAL_MS * 4, waited_ms=6_000, reads=2, webhooks=True)
    # Documents in review: every 15 minutes, webhooks or not, fast phase or not.
    add("documents_in_review", "documents_in_review", SLOW_INTERVAL_MS)
    add("documents_in_review_later_reads", "documents_in_review", SLOW_INTERVAL_MS, waited_ms=2 * 3_600_000, reads=8)
    add("documents_in_review_with_webhooks", "documents_in_review", SLOW_INTERVAL_MS, webhooks=True)
    # MANUAL_REVIEW (and unknown statuses): 15 minutes, hourly with webhooks.
    add("manual_review", "manual_review", MANUAL_REVIEW_MS)
    add("manual_review_later_reads", "manual_review", MANUAL_REVIEW_MS, waited_ms=86_400_000, reads=96)
    add("manual_review_with_webhooks", "manual_review", MANUAL_REVIEW_WITH_WEBHOOKS_MS, webhooks=True)
    add("manual_review_with_webhooks_later_reads", "manual_review", MANUAL_REVIEW_WITH_WEBHOOKS_MS, waited_ms=86_400_000, reads=24, webhooks=True)
    # Jitter: ±10% at several random values.
    for r in (0.0, 0.125, 0.25, 0.75, 0.96875):
        add(f"kyc_in_progress_first_read_random_{r}", "kyc_in_progress", FAST_INITIAL_MS, random_value=r)
        add(f"manual_review_random_{r}", "manual_review", MANUAL_REVIEW_MS, random_value=r)
        add(f"manual_review_with_webhooks_random_{r}", "manual_review", MANUAL_REVIEW_WITH_WEBHOOKS_MS, webhooks=True, random_value=r)
    # The schedule is configurable.
    custom = {"fast_initial_ms": 1_000, "fast_max_ms": 10_000, "fast_phase_ms": 60_000,
              "slow_interval_ms": 300_000, "manual_review_ms": 600_000, "manual_review_with_webhooks_ms": 7_200_000}
    add("custom_fast_first_read", "kyc_in_progress", 1_000, policy=custom)
    add("custom_fast_capped", "kyc_in_progress", 10_000, waited_ms=30_000, reads=5, policy=custom)
    add("custom_after_fast_phase", "account_opening", 300_000, waited_ms=60_000, reads=7, policy=custom)
    add("custom_documents_in_review", "documents_in_review", 300_000, policy=custom)
    add("custom_manual_review", "manual_review", 600_000, policy=custom)
    add("custom_manual_review_with_webhooks", "manual_review", 7_200_000, webhooks=True, policy=custom)
    return cases


# -------------------------------------------------------------------------- webhooks

SUBSCRIPTION_SECRET = "whsec-subscription-0123456789"
ROTATED_SECRET = "whsec-rotated-secret-9876543210"
API_SIGNING_SECRET = "sandbox-signing-secret"


def webhook_signature(secret: str, body: bytes) -> str:
    """Jiko's webhook signature: standard base64 (padded) of HMAC-SHA256 over the raw body,
    keyed with the subscription's shared secret (UTF-8)."""
    return base64.b64encode(hmac.new(secret.encode("utf-8"), body, hashlib.sha256).digest()).decode("ascii")


def event_body(event_type: str, payload: dict, event_id="5f0c6e2a-8a8e-4a4e-9a57-0d0f6c3f1b11",
               timestamp="2026-12-01T10:00:00+00:00") -> bytes:
    """A delivery as Jiko's example server writes it: json.dumps with its default spacing."""
    return json.dumps({"event_id": event_id, "timestamp": timestamp, "event_type": event_type, "payload": payload}).encode("utf-8")


def webhook_cases() -> list:
    cases = []
    approved = event_body("application.approved", {"application_id": APP_ID})
    signed = webhook_signature(SUBSCRIPTION_SECRET, approved)

    def add(name, body, secrets, expect, signature=None, header="x-jiko-signature", extra_headers=()):
        headers = [["content-type", "application/json"], *[list(h) for h in extra_headers]]
        if signature is not None:
            headers.append([header, signature])
        cases.append({"name": name, "headers": headers, "body": as_bytes(body), "secrets": secrets, "expect": expect})

    def ok(event_id, event_type, application_id, timestamp="2026-12-01T10:00:00+00:00"):
        return {"ok": {"event_id": event_id, "event_type": event_type, "timestamp": timestamp, "application_id": application_id}}

    def error(code):
        return {"error": code}

    approved_ok = ok("5f0c6e2a-8a8e-4a4e-9a57-0d0f6c3f1b11", "application.approved", APP_ID)
    add("valid_one_secret", approved, [SUBSCRIPTION_SECRET], approved_ok, signed)
    for i, event_type in enumerate(["application.documents_needed", "application.manual_review", "application.rejected"]):
        event_id = f"6a1d7f3b-9b9f-4b5f-8b68-1e1f7d4f2c2{i}"
        body = event_body(event_type, {"application_id": APP_ID}, event_id=event_id, timestamp="2026-12-01T11:30:00.123456+00:00")
        add(f"valid_{event_type.split('.')[1]}", body, [SUBSCRIPTION_SECRET],
            ok(event_id, event_type, APP_ID, timestamp="2026-12-01T11:30:00.123456+00:00"),
            webhook_signature(SUBSCRIPTION_SECRET, body))
    add("rotation_signed_with_the_new_secret", approved, [SUBSCRIPTION_SECRET, ROTATED_SECRET], approved_ok,
        webhook_signature(ROTATED_SECRET, approved))
    add("rotation_signed_with_the_old_secret", approved, [SUBSCRIPTION_SECRET, ROTATED_SECRET], approved_ok, signed)
    add("rotation_old_secret_dropped", approved, [ROTATED_SECRET], error("bad_signature"), signed)
    add("missing_header", approved, [SUBSCRIPTION_SECRET], error("missing_signature"))
    add("missing_header_other_signature_headers_do_not_count", approved, [SUBSCRIPTION_SECRET], error("missing_signature"),
        extra_headers=[("x-jiko-signature-256", signed), ("x-signature", signed)])
    add("header_name_upper_case", approved, [SUBSCRIPTION_SECRET], approved_ok, signed, header="X-JIKO-SIGNATURE")
    add("header_name_title_case", approved, [SUBSCRIPTION_SECRET], approved_ok, signed, header="X-Jiko-Signature")
    add("header_value_with_surrounding_spaces", approved, [SUBSCRIPTION_SECRET], approved_ok, f" {signed} ")
    add("wrong_secret", approved, ["whsec-someone-else-0123456789"], error("bad_signature"), signed)
    add("api_signing_secret_used_by_mistake", approved, [API_SIGNING_SECRET], error("bad_signature"), signed)
    add("signed_with_the_api_signing_secret", approved, [SUBSCRIPTION_SECRET], error("bad_signature"),
        webhook_signature(API_SIGNING_SECRET, approved))
    add("no_secrets", approved, [], error("bad_signature"), signed)
    # An empty secret (an unset environment variable) is a key anybody can sign with.
    forged = webhook_signature("", approved)
    add("empty_secret_never_verifies", approved, [""], error("bad_signature"), forged)
    add("empty_secret_beside_the_real_one_forged", approved, ["", SUBSCRIPTION_SECRET], error("bad_signature"), forged)
    add("empty_secret_beside_the_real_one_genuine", approved, ["", SUBSCRIPTION_SECRET], approved_ok, signed)
    reserialized = json.dumps(json.loads(approved), separators=(",", ":")).encode("utf-8")
    assert reserialized != approved
    add("re_serialized_body", reserialized, [SUBSCRIPTION_SECRET], error("bad_signature"), signed)
    add("body_with_a_trailing_newline_added", approved + b"\n", [SUBSCRIPTION_SECRET], error("bad_signature"), signed)
    add("signature_of_another_delivery", approved, [SUBSCRIPTION_SECRET], error("bad_signature"),
        webhook_signature(SUBSCRIPTION_SECRET, event_body("application.rejected", {"application_id": APP_ID})))
    add("non_base64_signature", approved, [SUBSCRIPTION_SECRET], error("bad_signature"), "not base64!")
    add("empty_signature", approved, [SUBSCRIPTION_SECRET], error("bad_signature"), "")
    add("hex_signature", approved, [SUBSCRIPTION_SECRET], error("bad_signature"),
        hmac.new(SUBSCRIPTION_SECRET.encode(), approved, hashlib.sha256).hexdigest())
    add("signature_without_padding", approved, [SUBSCRIPTION_SECRET], error("bad_signature"), signed.rstrip("="))
    add("truncated_signature", approved, [SUBSCRIPTION_SECRET], error("bad_signature"), signed[:20])
    # A body whose signature holds '+' or '/': the URL-safe alphabet is not Jiko's.
    n = 0
    while True:
        body = event_body("application.approved", {"application_id": APP_ID}, event_id=f"7c2e8a4c-0c0a-4c6a-9c79-2f2a8e5a3d{n:02d}")
        good = webhook_signature(SUBSCRIPTION_SECRET, body)
        if "+" in good and "/" in good:
            break
        n += 1
    add("url_safe_base64_signature", body, [SUBSCRIPTION_SECRET], error("bad_signature"),
        good.replace("+", "-").replace("/", "_"))
    add("standard_base64_with_plus_and_slash", body, [SUBSCRIPTION_SECRET],
        ok(f"7c2e8a4c-0c0a-4c6a-9c79-2f2a8e5a3d{n:02d}", "application.approved", APP_ID), good)
    unicode_secret = "sécret-ключ-秘密-0123456789"
    add("unicode_secret_is_utf8", approved, [unicode_secret], approved_ok, webhook_signature(unicode_secret, approved))

    def signed_case(name, body, expect):
        add(name, body, [SUBSCRIPTION_SECRET], expect, webhook_signature(SUBSCRIPTION_SECRET, body))

    transfer_id = "8d3f9b5d-1d1b-4d7b-8d8a-3a3b9f6b4e22"
    signed_case("another_event_type_without_application_id",
                event_body("transfers.ach.in.success", {"jiko_account_id": "2c5e7a9b-4d6f-4a8c-9e1b-3d5f7a9c1e2b"}, event_id=transfer_id),
                ok(transfer_id, "transfers.ach.in.success", None))
    signed_case("unknown_event_type_is_kept",
                event_body("application.archived", {"application_id": APP_ID}, event_id=transfer_id),
                ok(transfer_id, "application.archived", APP_ID))
    signed_case("card_event_with_other_payload_fields",
                event_body("card.status.frozen", {"card_id": "9e4a0c6e-2e2c-4e8c-9e9b-4b4c0a7c5f33", "status": "FROZEN"}, event_id=transfer_id),
                ok(transfer_id, "card.status.frozen", None))
    signed_case("unknown_envelope_fields_are_ignored",
                json.dumps({"event_id": transfer_id, "timestamp": "2026-12-01T10:00:00Z", "event_type": "application.approved",
                            "payload": {"application_id": APP_ID, "extra": [1]}, "customer_id": "x", "object_type": "Event"}).encode(),
                ok(transfer_id, "application.approved", APP_ID, timestamp="2026-12-01T10:00:00Z"))
    signed_case("malformed_not_json", b"event=application.approved", error("malformed"))
    signed_case("malformed_empty_body", b"", error("malformed"))
    signed_case("malformed_json_array", b"[1, 2]", error("malformed"))
    signed_case("malformed_missing_event_type", json.dumps({"event_id": transfer_id, "timestamp": "2026-12-01T10:00:00Z", "payload": {}}).encode(), error("malformed"))
    signed_case("malformed_missing_payload", json.dumps({"event_id": transfer_id, "timestamp": "2026-12-01T10:00:00Z", "event_type": "application.approved"}).encode(), error("malformed"))
    signed_case("malformed_event_id_not_a_string", json.dumps({"event_id": 7, "timestamp": "2026-12-01T10:00:00Z", "event_type": "application.approved", "payload": {}}).encode(), error("malformed"))
    signed_case("malformed_truncated", approved[:40], error("malformed"))
    # Verified before read: a malformed body with a bad signature is a bad signature.
    add("malformed_body_with_a_bad_signature", b"not json", [SUBSCRIPTION_SECRET], error("bad_signature"), signed)
    add("malformed_body_without_signature", b"not json", [SUBSCRIPTION_SECRET], error("missing_signature"))
    return cases


# ----------------------------------------------------------------------------- flows

FLOW_TODAY = "2026-12-01"
FLOW_START_MS = calendar.timegm((2026, 12, 1, 10, 0, 0)) * 1000
FLOW_TOKEN_EXPIRES = "2030-01-01T00:00:00+00:00"  # far away: no refresh inside a transcript
ACCOUNT_ID = "2c5e7a9b-4d6f-4a8c-9e1b-3d5f7a9c1e2b"
SECOND_ACCOUNT_ID = "3d6f8b0c-5e7a-4b9d-8f2c-4e6a8b0d2f3c"
PORTAL_ID = "4e7a9c1d-6f8b-4cae-9a3d-5f7b9c1e3a4d"
SECOND_PORTAL_ID = "5f8b0d2e-7a9c-4dbf-8b4e-6a8c0d2f4b5e"
ROUTING_NUMBER = "021000021"
ACCOUNT_NUMBER = "000123456789"
SECOND_ACCOUNT_NUMBER = "000987654321"
PDF = b"%PDF-1.7\n%\xe2\xe3\xcf\xd3\n1 0 obj\n"
DAY_MS = 86_400_000

APPLICATION_PATH = f"/api/v1/applications/{APP_ID}/"
APPLY_PATH = f"/api/v1/applications/{APP_ID}/apply/"


def flow_application(ssn: str) -> dict:
    """The guide's applicant, consenting to the bundle version the sandbox serves (1.0.0)."""
    return patched(identification_number=ssn, agreement_consent={"version": "1.0.0", "timestamp": "2026-11-30T12:00:00+00:00"})


def jiko_application(status, flags=(False, False, False), documents=(), customer_id=None) -> dict:
    """An application as the sandbox answers it (the fields the flow reads)."""
    body = {"id": APP_ID, "status": status, "id_verification_documents_needed": flags[0],
            "identification_number_verification_document_needed": flags[1],
            "address_verification_document_needed": flags[2],
            "documents": [doc(t, s, i) for i, (t, s) in enumerate(documents)], "exception_reasons": []}
    if customer_id:
        body["customer_id"] = customer_id
    return body


def answer(status: int, body, headers=()) -> dict:
    raw = body if isinstance(body, bytes) else compact(body)
    out = {"status": status}
    if headers:
        out["headers"] = [list(h) for h in headers]
    out["body"] = as_bytes(raw)
    return out


def lost(kind: str) -> dict:
    return {"transport": kind}


def login_answer(token="token-1"):
    return answer(200, {"token": token, "expires": FLOW_TOKEN_EXPIRES})


def agreements_answer(version="1.0.0"):
    return answer(200, {"version": version, "release_date": "2026-01-15", "documents": AGREEMENTS["documents"][:1]})


def portal(portal_id, account_id, account_number):
    return {"id": portal_id, "jiko_account_id": account_id, "routing_number": ROUTING_NUMBER,
            "account_number": account_number, "status": "OPEN", "name": "Default"}


def portal_details(portal_id, account_number):
    return {"portal_id": portal_id, "routing_number": ROUTING_NUMBER, "account_number": account_number, "status": "OPEN"}


ID_DOCS = [("ID_FRONT", "image/png", PNG), ("ID_BACK", "image/png", PNG), ("SELFIE", "image/png", PNG)]
NUMBER_DOC = ("IDENTIFICATION_NUMBER_VERIFICATION", "application/pdf", PDF)
ADDRESS_DOC = ("ADDRESS_VERIFICATION", "application/pdf", PDF)


class Transcript:
    """One flow transcript: expected steps and the answers the harness feeds back.

    Every expectation below is written by hand from the design; the helpers only spell the
    JSON. `every_step` is true for the copy run with a snapshot and restore before every step.
    """

    def __init__(self, every_step: bool):
        self.every_step = every_step
        self.script = []

    def send(self, operation, method, path, key, then=None, token=None):
        send = {"operation": operation, "method": method, "path": path, "key": key}
        if token:
            send["token"] = token
        entry = {"expect": {"send": send}}
        if then is not None:
            entry["then"] = then
        self.script.append(entry)

    def wait(self, reason, min_ms, max_ms, retry_reason=None, stay=False):
        wait = {"reason": reason}
        if retry_reason:
            wait["retry_reason"] = retry_reason
        wait["min_ms"], wait["max_ms"] = min_ms, max_ms
        entry = {"expect": {"wait": wait}}
        if stay:
            entry["stay"] = True
        self.script.append(entry)

    def poll_wait(self, reason, nominal, stay=False):
        """A wait of the poll schedule: the nominal delay ±10%."""
        self.wait(reason, nominal * 9 // 10, nominal * 11 // 10, stay=stay)

    def retry_wait(self, retry_reason, nominal, stay=False):
        """A backoff wait: the nominal delay less up to a quarter."""
        self.wait("retry", nominal * 3 // 4, nominal, retry_reason, stay=stay)

    def exact_wait(self, retry_reason, delay_ms, stay=False):
        """A wait the server asked for (Retry-After): no jitter."""
        self.wait("retry", delay_ms, delay_ms, retry_reason, stay=stay)

    def need_documents(self, requirements):
        self.script.append({"expect": {"need_documents": {"requirements": requirements}}})

    def provide(self, document_type, content_type, data, error=None, size=None):
        data_spec = as_bytes(data) if size is None else {"prefix_base64": base64.b64encode(data).decode(), "size": size}
        entry = {"provide": {"document_type": document_type, "content_type": content_type, "bytes": data_spec}}
        if error:
            entry["error"] = error
        self.script.append(entry)

    def done(self, outcome):
        self.script.append({"expect": {"done": outcome}})

    def failed(self, code, status=None, create_key=False):
        outcome = {"state": "failed", "code": code}
        if status is not None:
            outcome["status"] = status
        if create_key:
            outcome["idempotency_key"] = "create"
        self.done(outcome)

    def notify(self):
        self.script.append({"notify": True})

    def restore(self):
        self.script.append({"restore": True})

    def advance(self, ms):
        self.script.append({"advance_ms": ms})

    # --- The journey's requests, answered as the sandbox would unless told otherwise ---

    def login(self, then=None):
        self.send("login", "POST", "/api/v1/login/", None, then or login_answer())

    def agreements(self, then=None, key="new"):
        self.send("list_agreements", "GET", "/api/v1/agreements/", key, then or agreements_answer())

    def create(self, then=None, key="new", token=None):
        self.send("create_application", "POST", "/api/v1/applications/", key,
                  then or answer(201, jiko_application("CREATED")), token=token)

    def apply(self, then=None, key="new"):
        self.send("apply", "POST", APPLY_PATH, key, then or answer(200, jiko_application("SUBMITTED")))

    def read(self, then, key="new", token=None):
        self.send("get_application", "GET", APPLICATION_PATH, key, then, token=token)

    def read_status(self, status, **fields):
        self.read(answer(200, jiko_application(status, **fields)))

    def upload(self, document_type, then=None, key="new"):
        self.send("upload_document", "POST", f"/api/v1/applications/{APP_ID}/documents/{document_type}/file/", key,
                  then or answer(200, {"success": True, "document_id": "9f1c2d3e-4b5a-4c6d-8e7f-0a1b2c3d4e5f"}))

    def customer(self, then=None):
        self.send("get_customer", "GET", f"/api/v1/customers/{CUSTOMER_ID}/", "new", then or answer(200, {
            "type": "INDIVIDUAL", "account_status": "OPEN", "name": {"first_name": "Jiko", "last_name": "Customer"},
            "email": "jiko@example.com", "phone_number": "15551234567", "date_of_birth": "1970-01-01",
            "address": {"street_address": "2000 Allston Way", "city": "Berkeley", "postal_code": "94701",
                        "state": "CA", "country": "USA"}}))

    def accounts(self, account_ids=(ACCOUNT_ID,), then=None):
        items = [{"id": a, "name": "J1 (4-week)", "total_value": {"value": 0, "currency": "USD", "formatted": "$0.00"},
                  "status": "OPEN"} for a in account_ids]
        self.send("list_customer_accounts", "GET", f"/api/v1/customers/{CUSTOMER_ID}/jiko-accounts/", "new",
                  then or answer(200, {"offset": 0, "count": len(items), "items": items}))

    def portals(self, account_id=ACCOUNT_ID, portals=None, then=None):
        if portals is None:
            portals = [portal(PORTAL_ID, account_id, ACCOUNT_NUMBER)]
        self.send("list_portals", "GET", f"/api/v1/jiko-accounts/{account_id}/portals/", "new",
                  then or answer(200, {"count": len(portals), "portals": portals}))

    # --- Common stretches ---

    def to_create(self):
        """Login and agreements, as every journey starts."""
        self.login()
        self.agreements()

    def to_submitted(self):
        """Up to the first wait for KYC."""
        self.to_create()
        self.create()
        self.apply()
        self.poll_wait("kyc_in_progress", 2_000)

    def approved_customer(self):
        """After APPROVED: the customer, its account and the account's portal, then done."""
        self.customer()
        self.accounts()
        self.portals()
        self.done_approved()

    def done_approved(self, accounts=None):
        if accounts is None:
            accounts = [{"account_id": ACCOUNT_ID, "portals": [portal_details(PORTAL_ID, ACCOUNT_NUMBER)]}]
        self.done({"state": "approved", "customer": {"customer_id": CUSTOMER_ID, "accounts": accounts}})

    def approve(self):
        self.read_status("APPROVED", customer_id=CUSTOMER_ID)
        self.approved_customer()


def requirement(flag, *types):
    return {"flag": flag, "one_of": list(types)}


ID_FLAG = "id_verification_documents_needed"
NUMBER_FLAG = "identification_number_verification_document_needed"
ADDRESS_FLAG = "address_verification_document_needed"
ID_REQUIREMENTS = [requirement(ID_FLAG, "ID_FRONT"), requirement(ID_FLAG, "ID_BACK"), requirement(ID_FLAG, "SELFIE", "PASSPORT")]
NUMBER_REQUIREMENT = requirement(NUMBER_FLAG, "IDENTIFICATION_NUMBER_VERIFICATION")
ADDRESS_REQUIREMENT = requirement(ADDRESS_FLAG, "ADDRESS_VERIFICATION")


def sandbox_flags(ssn: str):
    """The guide's SSN table (tests/vectors/sandbox.json)."""
    return {"1": (True, False, False), "2": (False, True, False), "3": (False, False, True),
            "4": (True, True, False)}.get(ssn[1], (True, False, False))


def documents_journey(t: Transcript, ssn: str, docs, after_documents: str, in_review_first=False):
    """DOCUMENTS_NEEDED: the flow asks for one document per requirement, uploads each, reads
    the application (PENDING), applies again and waits for KYC's second answer."""
    flags = sandbox_flags(ssn)
    requirements = (ID_REQUIREMENTS if flags[0] else []) + ([NUMBER_REQUIREMENT] if flags[1] else []) + \
        ([ADDRESS_REQUIREMENT] if flags[2] else [])
    t.to_submitted()
    t.read_status("DOCUMENTS_NEEDED", flags=flags)
    t.need_documents(requirements)
    for document_type, content_type, data in docs:
        t.provide(document_type, content_type, data)
    for document_type, _, _ in docs:
        t.upload(document_type)
    uploaded = [(d[0], "PENDING_REVIEW") for d in docs]
    if in_review_first:
        # Every document uploaded, flags not cleared yet: documents in review, every 15 minutes.
        t.read_status("DOCUMENTS_NEEDED", flags=flags, documents=uploaded)
        t.poll_wait("documents_in_review", SLOW_INTERVAL_MS)
    t.read_status("PENDING", documents=uploaded)
    t.apply()
    t.poll_wait("kyc_in_progress", 2_000)
    if after_documents == "APPROVED":
        t.approve()
    else:
        t.read_status("MANUAL_REVIEW", documents=uploaded)
        t.poll_wait("manual_review", MANUAL_REVIEW_MS, stay=True)


# Each scenario: (name, ssn, config beyond the seed, builder, also run with restore_every_step).
# Every scenario is written once; flow_cases() emits it as is, then again with a snapshot and
# restore before every step.
FLOW_SCENARIOS = []


def scenario(name, ssn="411111111", config=None, every_step=True):
    def register(build):
        FLOW_SCENARIOS.append((name, ssn, config or {}, build, every_step))
        return build
    return register


# --- The guide's sandbox scenarios ---

@scenario("sandbox_4_approved_with_customer_accounts_and_portals")
def _(t):
    t.to_submitted()
    t.approve()
    t.notify()  # a late webhook changes nothing once done
    t.done_approved()


@scenario("sandbox_5_rejected", ssn="511111111")
def _(t):
    t.to_submitted()
    t.read_status("REJECTED")
    t.done({"state": "rejected"})


@scenario("sandbox_3_manual_review_waits", ssn="311111111")
def _(t):
    t.to_submitted()
    t.read_status("MANUAL_REVIEW")
    t.poll_wait("manual_review", MANUAL_REVIEW_MS)
    t.read_status("MANUAL_REVIEW")
    t.poll_wait("manual_review", MANUAL_REVIEW_MS, stay=True)


@scenario("sandbox_3_manual_review_hourly_with_webhooks", ssn="311111111", config={"webhooks": True})
def _(t):
    t.to_submitted()  # webhooks do not slow the reads while KYC runs
    t.read_status("MANUAL_REVIEW")
    t.poll_wait("manual_review", MANUAL_REVIEW_WITH_WEBHOOKS_MS, stay=True)


@scenario("sandbox_21_id_documents_then_approved", ssn="212345678")
def _(t):
    documents_journey(t, "212345678", ID_DOCS, "APPROVED")


@scenario("sandbox_22_number_document_then_approved", ssn="222345678")
def _(t):
    documents_journey(t, "222345678", [NUMBER_DOC], "APPROVED")


@scenario("sandbox_23_address_document_in_review_then_approved", ssn="232345678")
def _(t):
    documents_journey(t, "232345678", [ADDRESS_DOC], "APPROVED", in_review_first=True)


@scenario("sandbox_24_id_and_number_documents_passport_then_approved", ssn="242345678")
def _(t):
    documents_journey(t, "242345678", [ID_DOCS[0], ID_DOCS[1], ("PASSPORT", "image/jpeg", b"\xff\xd8\xff\xe0\x00\x10JFIF\x00"), NUMBER_DOC], "APPROVED")


@scenario("sandbox_211_id_documents_then_manual_review", ssn="211345678")
def _(t):
    documents_journey(t, "211345678", ID_DOCS, "MANUAL_REVIEW")


@scenario("sandbox_231_address_document_then_manual_review", ssn="231345678")
def _(t):
    documents_journey(t, "231345678", [ADDRESS_DOC], "MANUAL_REVIEW")


# --- Transport failures ---

@scenario("read_timed_out_retried_with_a_new_key")
def _(t):
    t.to_submitted()
    t.read(lost("timed_out"))
    t.retry_wait("timed_out", 500)
    t.approve()


@scenario("read_reset_retried_with_a_new_key")
def _(t):
    t.to_submitted()
    t.read(lost("reset"))
    t.retry_wait("reset", 500)
    t.approve()


@scenario("agreements_not_sent_retried")
def _(t):
    t.login()
    t.agreements(lost("not_sent"))
    t.retry_wait("not_sent", 500)
    t.agreements()
    t.create()
    t.apply()
    t.poll_wait("kyc_in_progress", 2_000)
    t.approve()


@scenario("create_timed_out_resent_with_the_same_key")
def _(t):
    t.to_create()
    t.create(lost("timed_out"))
    t.retry_wait("timed_out", 500)
    t.create(key="repeat")
    t.apply()
    t.poll_wait("kyc_in_progress", 2_000)
    t.approve()


@scenario("create_not_sent_resent_with_the_same_key")
def _(t):
    t.to_create()
    t.create(lost("not_sent"))
    t.retry_wait("not_sent", 500)
    t.create(key="repeat")
    t.apply()
    t.poll_wait("kyc_in_progress", 2_000)
    t.approve()


@scenario("create_never_sent_is_resent_with_its_key_whatever_its_age")
def _(t):
    t.to_create()
    t.create(lost("not_sent"))
    t.retry_wait("not_sent", 500, stay=True)
    t.advance(2 * KEY_MAX_AGE_MS)
    t.create(key="repeat")
    t.apply()
    t.poll_wait("kyc_in_progress", 2_000)
    t.approve()


@scenario("create_timed_out_past_the_key_age_is_an_unknown_outcome")
def _(t):
    t.to_create()
    t.create(lost("timed_out"))
    t.retry_wait("timed_out", 500, stay=True)
    t.advance(KEY_MAX_AGE_MS)
    t.failed("create_outcome_unknown", create_key=True)


@scenario("apply_timed_out_resent_with_the_same_key")
def _(t):
    t.to_create()
    t.create()
    t.apply(lost("timed_out"))
    t.retry_wait("timed_out", 500)
    t.apply(key="repeat")
    t.poll_wait("kyc_in_progress", 2_000)
    t.approve()


# --- Both readings of a repeated key ---

@scenario("idempotency_replay_lost_create_answer_recovered")
def _(t):
    t.to_create()
    t.create(lost("reset"))
    t.retry_wait("reset", 500)
    t.create(key="repeat")  # Jiko answers the repeat with the first response: 201
    t.apply()
    t.poll_wait("kyc_in_progress", 2_000)
    t.approve()


@scenario("idempotency_reject_lost_create_answer_is_an_unknown_outcome")
def _(t):
    t.to_create()
    t.create(lost("reset"))
    t.retry_wait("reset", 500)
    t.create(answer(409, {"detail": "Idempotency key already used"}), key="repeat")
    t.failed("create_outcome_unknown", create_key=True)
    t.restore()  # it stays failed, with its key, across a restore
    t.failed("create_outcome_unknown", create_key=True)


@scenario("idempotency_replay_lost_apply_answer_recovered")
def _(t):
    t.to_create()
    t.create()
    t.apply(lost("reset"))
    t.retry_wait("reset", 500)
    t.apply(key="repeat")  # the first answer again: SUBMITTED
    t.poll_wait("kyc_in_progress", 2_000)
    t.approve()


@scenario("idempotency_reject_lost_apply_answer_reads_the_application")
def _(t):
    t.to_create()
    t.create()
    t.apply(lost("reset"))
    t.retry_wait("reset", 500)
    t.apply(answer(409, {"detail": "Idempotency key already used"}), key="repeat")
    t.read_status("SUBMITTED")  # the first Apply did act
    t.poll_wait("kyc_in_progress", 2_000)
    t.approve()


# --- Statuses that are retried ---

@scenario("read_408_retried")
def _(t):
    t.to_submitted()
    t.read(answer(408, b""))
    t.retry_wait("request_timeout", 500)
    t.approve()


@scenario("agreements_429_retry_after_seconds")
def _(t):
    t.login()
    t.agreements(answer(429, b"", headers=[("Retry-After", "3")]))
    t.exact_wait("rate_limited", 3_000)
    t.agreements()
    t.create()
    t.apply()
    t.poll_wait("kyc_in_progress", 2_000)
    t.approve()


@scenario("agreements_429_retry_after_http_date")
def _(t):
    t.login()  # answered at start_ms: the date is 20 s later
    t.agreements(answer(429, b"", headers=[("retry-after", http_date(FLOW_START_MS // 1000 + 20))]))
    t.exact_wait("rate_limited", 20_000)
    t.agreements()
    t.create()
    t.apply()
    t.poll_wait("kyc_in_progress", 2_000)
    t.approve()


@scenario("retry_after_seconds_over_the_cap_postpones_the_flow")
def _(t):
    t.login()
    t.agreements(answer(429, b"", headers=[("Retry-After", "120")]))
    t.exact_wait("rate_limited", 120_000)
    t.agreements(answer(429, b"", headers=[("Retry-After", "120")]))  # a postponement is not a retry
    t.exact_wait("rate_limited", 120_000)
    t.agreements(answer(503, b""))
    t.retry_wait("server_error", 500)
    t.agreements()
    t.create()
    t.apply()
    t.poll_wait("kyc_in_progress", 2_000)
    t.approve()


@scenario("retry_after_http_date_over_the_cap_postpones_the_flow")
def _(t):
    t.login()
    t.agreements(answer(503, b"", headers=[("Retry-After", http_date(FLOW_START_MS // 1000 + 300))]))
    t.exact_wait("server_error", 300_000)
    t.agreements()
    t.create()
    t.apply()
    t.poll_wait("kyc_in_progress", 2_000)
    t.approve()


@scenario("server_errors_500_502_503_504_retried_with_backoff")
def _(t):
    t.login()
    t.agreements(answer(500, b"<html>Internal Server Error</html>"))
    t.retry_wait("server_error", 500)
    t.agreements(answer(502, b"<html>Bad Gateway</html>"))
    t.retry_wait("server_error", 1_000)
    t.agreements()
    t.create(answer(503, b"upstream unavailable"))
    t.retry_wait("server_error", 500)
    t.create(answer(504, b""), key="repeat")
    t.retry_wait("server_error", 1_000)
    t.create(key="repeat")
    t.apply()
    t.poll_wait("kyc_in_progress", 2_000)
    t.approve()


@scenario("read_retries_spent_waits_out_the_outage")
def _(t):
    t.to_submitted()
    for outage_nominal in (30_000, 60_000):  # the outage wait doubles
        t.read(answer(503, b""))
        t.retry_wait("server_error", 500)
        t.read(answer(503, b""))
        t.retry_wait("server_error", 1_000)
        t.read(answer(503, b""))
        t.retry_wait("server_error", outage_nominal)
    t.approve()


@scenario("create_retries_spent_waits_out_the_outage_with_the_same_key")
def _(t):
    t.to_create()
    t.create(lost("timed_out"))
    t.retry_wait("timed_out", 500)
    t.create(lost("timed_out"), key="repeat")
    t.retry_wait("timed_out", 1_000)
    t.create(lost("timed_out"), key="repeat")
    t.retry_wait("timed_out", 30_000)
    t.create(key="repeat")
    t.apply()
    t.poll_wait("kyc_in_progress", 2_000)
    t.approve()


@scenario("apply_retries_spent_reads_the_application_after_the_outage")
def _(t):
    t.to_create()
    t.create()
    t.apply(answer(502, b""))
    t.retry_wait("server_error", 500)
    t.apply(answer(502, b""), key="repeat")
    t.retry_wait("server_error", 1_000)
    t.apply(answer(502, b""), key="repeat")
    t.retry_wait("server_error", 30_000)
    t.read_status("CREATED")  # no Apply acted: apply again, with a new key
    t.apply()
    t.poll_wait("kyc_in_progress", 2_000)
    t.approve()


# --- Authentication ---

@scenario("create_401_one_login_then_the_same_key")
def _(t):
    t.to_create()
    t.create(answer(401, b""))
    t.login(login_answer("token-2"))
    t.create(key="repeat", token="token-2")
    t.apply()
    t.poll_wait("kyc_in_progress", 2_000)
    t.approve()


@scenario("create_401s_of_tokens_that_never_worked_end_the_flow")
def _(t):
    # token-1 worked (List Agreements): its 401 is a revocation and is not counted. The
    # tokens after it never work: each of their 401s counts, and with max_relogins (3)
    # spent, the next one is final.
    t.to_create()
    t.create(answer(401, b""))
    for n in range(2, 5):
        t.login(login_answer(f"token-{n}"))
        t.create(answer(401, b""), key="repeat", token=f"token-{n}")
    t.login(login_answer("token-5"))
    t.create(answer(401, b""), key="repeat", token="token-5")
    t.failed("api_unauthorized", status=401)


@scenario("read_401_one_login_then_a_new_key")
def _(t):
    t.to_submitted()
    t.read(answer(401, b"{}"))
    t.login(login_answer("token-2"))
    t.read(answer(200, jiko_application("APPROVED", customer_id=CUSTOMER_ID)), token="token-2")
    t.approved_customer()


@scenario("login_refused_fails")
def _(t):
    t.login(answer(401, {"detail": "Invalid credentials"}))
    t.failed("api_unauthorized", status=401)


@scenario("login_server_error_backs_off")
def _(t):
    t.login(answer(503, b""))
    t.wait("login", 375, 500)
    t.login()
    t.agreements()
    t.create()
    t.apply()
    t.poll_wait("kyc_in_progress", 2_000)
    t.approve()


# --- Conflicts ---

@scenario("create_409_is_an_unknown_outcome")
def _(t):
    t.to_create()
    t.create(answer(409, {"detail": "conflict"}))
    t.failed("create_outcome_unknown", create_key=True)


@scenario("apply_409_reads_the_application")
def _(t):
    t.to_create()
    t.create()
    t.apply(answer(409, {"detail": "Application already submitted"}))
    t.read_status("SUBMITTED")
    t.poll_wait("kyc_in_progress", 2_000)
    t.approve()


@scenario("three_conflicts_in_a_row_end_the_flow")
def _(t):
    t.to_create()
    t.create()
    for _ in range(2):
        t.apply(answer(409, {"detail": "conflict"}))
        t.read_status("CREATED")
    t.apply(answer(409, {"detail": "conflict"}))
    t.failed("unexpected_answer")


# --- Failures no retry fixes ---

@scenario("redirect_302_fails")
def _(t):
    t.to_submitted()
    t.read(answer(302, b"", headers=[("Location", "https://example.com/elsewhere/")]))
    t.failed("api_unexpected", status=302)


@scenario("redirect_307_on_apply_fails")
def _(t):
    t.to_create()
    t.create()
    t.apply(answer(307, b"", headers=[("Location", APPLY_PATH)]))
    t.failed("api_unexpected", status=307)


@scenario("create_400_fails")
def _(t):
    t.to_create()
    t.create(answer(400, {"detail": "Bad request"}))
    t.failed("api_validation", status=400)


@scenario("agreements_403_fails")
def _(t):
    t.login()
    t.agreements(answer(403, {"detail": "IP not allowed"}))
    t.failed("api_forbidden", status=403)


@scenario("customer_404_fails")
def _(t):
    t.to_submitted()
    t.read_status("APPROVED", customer_id=CUSTOMER_ID)
    t.customer(answer(404, {"detail": "Not found"}))
    t.failed("api_not_found", status=404)


@scenario("create_422_fails")
def _(t):
    t.to_create()
    t.create(answer(422, {"detail": [{"loc": ["body", "address", "postal_code"], "msg": "invalid", "type": "value_error"}]}))
    t.failed("api_validation", status=422)


@scenario("create_unreadable_2xx_is_an_unknown_outcome")
def _(t):
    t.to_create()
    t.create(answer(201, b"<html>Created</html>"))
    t.failed("create_outcome_unknown", create_key=True)


@scenario("read_unreadable_2xx_retried")
def _(t):
    t.to_submitted()
    t.read(answer(200, b'{"id": "' + APP_ID.encode() + b'", "status": '))
    t.retry_wait("invalid_response", 500)
    t.approve()


@scenario("apply_unreadable_2xx_reads_the_application")
def _(t):
    t.to_create()
    t.create()
    t.apply(answer(200, b"OK"))
    t.read_status("SUBMITTED")
    t.poll_wait("kyc_in_progress", 2_000)
    t.approve()


# --- Consent version ---

@scenario("consent_version_outdated_refused_before_create")
def _(t):
    t.login()
    t.agreements(agreements_answer("2.0.0"))
    t.failed("consent_version_outdated")


@scenario("consent_version_check_switched_off", config={"check_consent_version": False})
def _(t):
    t.login()
    t.agreements(agreements_answer("2.0.0"))
    t.create()
    t.apply()
    t.poll_wait("kyc_in_progress", 2_000)
    t.approve()


# --- Polling, notify, stalls ---

@scenario("kyc_reads_double_their_wait")
def _(t):
    t.to_submitted()
    for reads in (1, 2, 3):
        t.read_status("SUBMITTED")
        t.poll_wait("kyc_in_progress", 2_000 * 2 ** reads)
    t.approve()


@scenario("notify_during_manual_review_reads_at_once", ssn="311111111")
def _(t):
    t.to_submitted()
    t.read_status("MANUAL_REVIEW")
    t.poll_wait("manual_review", MANUAL_REVIEW_MS, stay=True)
    t.notify()
    t.approve()


@scenario("notify_during_kyc_restarts_the_schedule")
def _(t):
    t.to_submitted()
    t.read_status("SUBMITTED")
    t.poll_wait("kyc_in_progress", 4_000)
    t.read_status("SUBMITTED")
    t.poll_wait("kyc_in_progress", 8_000, stay=True)
    t.notify()
    t.read_status("SUBMITTED")  # at once; the doubling starts again
    t.poll_wait("kyc_in_progress", 4_000)
    t.approve()


@scenario("notify_during_a_retry_wait_reads_at_once_after_it")
def _(t):
    t.to_submitted()
    t.read(answer(503, b""))
    t.retry_wait("server_error", 500, stay=True)
    t.notify()  # the retry wait stands
    t.retry_wait("server_error", 500)
    t.read_status("SUBMITTED")
    t.read_status("SUBMITTED")  # the next scheduled read happens at once
    t.poll_wait("kyc_in_progress", 4_000)
    t.approve()


@scenario("notify_while_documents_are_needed_reads_again", ssn="212345678")
def _(t):
    t.to_submitted()
    t.read_status("DOCUMENTS_NEEDED", flags=(True, False, False))
    t.need_documents(ID_REQUIREMENTS)
    t.notify()  # the user uploaded elsewhere, or a webhook came
    t.read_status("PENDING", documents=[("ID_FRONT", "PENDING_REVIEW"), ("ID_BACK", "PENDING_REVIEW"), ("SELFIE", "PENDING_REVIEW")])
    t.apply()
    t.poll_wait("kyc_in_progress", 2_000)
    t.approve()


@scenario("unknown_status_waits_like_manual_review")
def _(t):
    t.to_submitted()
    t.read_status("ON_HOLD")
    t.poll_wait("manual_review", MANUAL_REVIEW_MS)
    t.approve()


@scenario("stalled_after_30_days_without_change", ssn="311111111")
def _(t):
    t.to_submitted()
    t.read_status("MANUAL_REVIEW")
    t.poll_wait("manual_review", MANUAL_REVIEW_MS, stay=True)
    t.advance(30 * DAY_MS)
    t.failed("stalled")


@scenario("stall_limit_is_configurable", ssn="311111111", config={"stall_after_ms": 3_600_000})
def _(t):
    t.to_submitted()
    t.read_status("MANUAL_REVIEW")
    t.poll_wait("manual_review", MANUAL_REVIEW_MS)
    t.read_status("MANUAL_REVIEW")
    t.poll_wait("manual_review", MANUAL_REVIEW_MS, stay=True)
    t.advance(3_600_000)
    t.failed("stalled")


@scenario("waiting_for_documents_does_not_stall", ssn="212345678")
def _(t):
    t.to_submitted()
    t.read_status("DOCUMENTS_NEEDED", flags=(True, False, False))
    t.need_documents(ID_REQUIREMENTS)
    t.advance(40 * DAY_MS)
    t.need_documents(ID_REQUIREMENTS)
    for document_type, content_type, data in ID_DOCS:
        t.provide(document_type, content_type, data)
    for document_type, _, _ in ID_DOCS:
        t.upload(document_type)
    t.read_status("PENDING", documents=[(d[0], "PENDING_REVIEW") for d in ID_DOCS])
    t.apply()
    t.poll_wait("kyc_in_progress", 2_000)
    t.approve()


# --- Documents ---

@scenario("provide_document_errors", ssn="212345678")
def _(t):
    t.to_submitted()
    t.read_status("DOCUMENTS_NEEDED", flags=(True, False, False))
    t.need_documents(ID_REQUIREMENTS)
    t.provide("ID_FRONT", "image/png", b"", error="empty")
    t.provide("ID_FRONT", "image/jpeg", PNG, error="wrong_type")
    t.provide("ID_BACK", "application/pdf", PDF, error="wrong_type")
    t.provide("SELFIE", "image/png", PNG, error="too_large", size=5_000_001)
    t.provide("DRIVING_PERMIT", "image/png", PNG, error="document_not_accepted")
    t.need_documents(ID_REQUIREMENTS)  # nothing was accepted
    t.provide("ADDRESS_VERIFICATION", "application/pdf", PDF)  # accepted, never needed, never sent
    t.provide("ID_FRONT", "image/png", PNG)
    t.upload("ID_FRONT")
    t.need_documents(ID_REQUIREMENTS[1:])
    t.provide("ID_BACK", "image/png", PNG)
    t.provide("PASSPORT", "image/png", PNG)
    t.upload("ID_BACK")
    t.upload("PASSPORT")
    t.read_status("PENDING", documents=[("ID_FRONT", "PENDING_REVIEW"), ("ID_BACK", "PENDING_REVIEW"), ("PASSPORT", "PENDING_REVIEW")])
    t.apply()
    t.poll_wait("kyc_in_progress", 2_000)
    t.approve()


@scenario("upload_timed_out_resent", ssn="232345678")
def _(t):
    t.to_submitted()
    t.read_status("DOCUMENTS_NEEDED", flags=(False, False, True))
    t.need_documents([ADDRESS_REQUIREMENT])
    t.provide(*ADDRESS_DOC)
    t.upload("ADDRESS_VERIFICATION", lost("timed_out"))
    t.retry_wait("timed_out", 500)
    # Documents are not in snapshots: a restored flow uploads the host's document again as a new request.
    t.upload("ADDRESS_VERIFICATION", key="new" if t.every_step else "repeat")
    t.read_status("PENDING", documents=[("ADDRESS_VERIFICATION", "PENDING_REVIEW")])
    t.apply()
    t.poll_wait("kyc_in_progress", 2_000)
    t.approve()


@scenario("upload_409_reads_the_application", ssn="212345678")
def _(t):
    t.to_submitted()
    t.read_status("DOCUMENTS_NEEDED", flags=(True, False, False))
    t.need_documents(ID_REQUIREMENTS)
    for d in ID_DOCS:
        t.provide(*d)
    t.upload("ID_FRONT", answer(409, {"detail": "conflict"}))
    t.read_status("DOCUMENTS_NEEDED", flags=(True, False, False), documents=[("ID_FRONT", "PENDING_REVIEW")])
    t.upload("ID_BACK")
    t.upload("SELFIE")
    t.read_status("PENDING", documents=[(d[0], "PENDING_REVIEW") for d in ID_DOCS])
    t.apply()
    t.poll_wait("kyc_in_progress", 2_000)
    t.approve()


# --- After approval ---

@scenario("approved_without_customer_id_read_again")
def _(t):
    t.to_submitted()
    t.read_status("APPROVED")
    t.poll_wait("account_opening", 2_000)
    t.approve()


@scenario("account_and_portal_still_opening")
def _(t):
    t.to_submitted()
    t.read_status("APPROVED", customer_id=CUSTOMER_ID)
    t.customer()
    t.accounts(account_ids=())
    t.poll_wait("account_opening", 2_000)
    t.accounts()
    t.portals(portals=[])
    t.poll_wait("account_opening", 4_000)
    t.accounts()
    t.portals()
    t.done_approved()


@scenario("portals_503_retried")
def _(t):
    t.to_submitted()
    t.read_status("APPROVED", customer_id=CUSTOMER_ID)
    t.customer()
    t.accounts()
    t.portals(then=answer(503, b""))
    t.retry_wait("server_error", 500)
    t.portals()
    t.done_approved()


# A flow restored between two accounts' portal listings starts the listing again (the numbers
# are not in snapshots), so this one is not run with a restore at every step.
@scenario("two_accounts_each_with_its_portal", every_step=False)
def _(t):
    t.to_submitted()
    t.read_status("APPROVED", customer_id=CUSTOMER_ID)
    t.customer()
    t.accounts(account_ids=(ACCOUNT_ID, SECOND_ACCOUNT_ID))
    t.portals()
    t.portals(SECOND_ACCOUNT_ID, [portal(SECOND_PORTAL_ID, SECOND_ACCOUNT_ID, SECOND_ACCOUNT_NUMBER)])
    t.done_approved([{"account_id": ACCOUNT_ID, "portals": [portal_details(PORTAL_ID, ACCOUNT_NUMBER)]},
                     {"account_id": SECOND_ACCOUNT_ID, "portals": [portal_details(SECOND_PORTAL_ID, SECOND_ACCOUNT_NUMBER)]}])


# --- Snapshots ---

@scenario("create_in_flight_restored_resent_with_its_key")
def _(t):
    t.to_create()
    t.send("create_application", "POST", "/api/v1/applications/", "new")  # no answer yet
    t.restore()  # a snapshot taken while the Create was in flight
    t.create(key="repeat")
    t.apply()
    t.poll_wait("kyc_in_progress", 2_000)
    t.approve()


@scenario("create_in_flight_restored_past_the_key_age_is_an_unknown_outcome")
def _(t):
    t.to_create()
    t.send("create_application", "POST", "/api/v1/applications/", "new")
    t.restore()
    t.advance(KEY_MAX_AGE_MS)
    t.failed("create_outcome_unknown", create_key=True)


@scenario("apply_in_flight_restored_resent_with_its_key")
def _(t):
    t.to_create()
    t.create()
    t.send("apply", "POST", APPLY_PATH, "new")
    t.restore()
    t.apply(key="repeat")
    t.poll_wait("kyc_in_progress", 2_000)
    t.approve()


@scenario("restored_during_manual_review_keeps_its_wait", ssn="311111111")
def _(t):
    t.to_submitted()
    t.read_status("MANUAL_REVIEW")
    t.poll_wait("manual_review", MANUAL_REVIEW_MS, stay=True)
    t.restore()
    t.poll_wait("manual_review", MANUAL_REVIEW_MS)
    t.approve()


def flow_cases() -> list:
    cases = []
    for every_step in (False, True):
        for seed, (name, ssn, config, build, also_every_step) in enumerate(FLOW_SCENARIOS, start=1):
            if every_step and not also_every_step:
                continue
            t = Transcript(every_step)
            build(t)
            cases.append({
                "name": name + ("_restored_every_step" if every_step else ""),
                "application": flow_application(ssn),
                "today": FLOW_TODAY,
                "start_ms": FLOW_START_MS,
                "config": {"seed": seed, **config},
                "restore_every_step": every_step,
                "script": t.script,
            })
    return cases


def main() -> None:
    how_sig = "Signatures computed by generate.py with Python's hmac, hashlib and base64 modules, independently of the Rust core."
    how_hand = "Expectations stated by hand in generate.py from the onboarding guide and the API reference."
    write("signing.json", "x-jiko-signature over idempotency key + path + body", how_sig, signing_cases())
    write("validation.json", "Create Application bodies to the field errors of client-side validation", how_hand, validation_cases())
    write("responses.json", "Server responses to parsed models or typed API errors", how_hand, response_cases())
    write("onboarding.json", "Applications to required documents and next action", how_hand, onboarding_cases())
    write("sandbox.json", "SSNs to the sandbox's documented outcomes", how_hand, sandbox_cases())
    write("requests.json", "Prepared requests for every operation", how_hand + " " + how_sig, request_cases())
    write("uploads.json", "Upload checks before sending", how_hand, upload_cases())
    how_design = ("Expectations stated by hand in generate.py from the flow engine's design (docs/flow-engine.md, "
                  "../shared/design/flow-engine.md) and its formulas, never by running the core.")
    write("retry.json", "Observed results to the retry policy's decisions (retry_decision), and Retry-After "
          "header values to milliseconds (retry_after_ms)", how_design, retry_cases() + retry_after_cases())
    write("poll.json", "The poll schedule's next delay (poll_delay_ms)", how_design, poll_cases())
    write("webhooks.json", "Webhook deliveries to verified events or typed refusals (verify_webhook)",
          how_design + " Signatures computed with Python's hmac, hashlib and base64 modules.", webhook_cases())
    write("flows.json", "Transcripts of OnboardingFlow: the steps it gives for a script of answers, transport "
          "failures, documents, notifications, restores and time", how_design, flow_cases())
    write("hostile/index.json",
          "Hostile inputs. Every file goes to every parser with status 200 (expect an api_invalid_response error) "
          "and with status 422 (expect an api_validation error), and to validate_application as JSON text "
          "(expect at least one field error). Each must end in the language's typed error within a bounded time: "
          "never a crash, a hang, a panic or a trap.",
          "Files written by generate.py.", hostile_corpus())


if __name__ == "__main__":
    main()
