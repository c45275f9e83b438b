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
    write("hostile/index.json",
          "Hostile inputs. Every file goes to every parser with status 200 (expect an api_invalid_response error) "
          "and with status 422 (expect an api_validation error), and to validate_application as JSON text "
          "(expect at least one field error). Each must end in the language's typed error within a bounded time: "
          "never a crash, a hang, a panic or a trap.",
          "Files written by generate.py.", hostile_corpus())


if __name__ == "__main__":
    main()
