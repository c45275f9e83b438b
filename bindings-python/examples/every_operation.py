"""Every operation of the package, offline: builds each request, parses canned answers
and walks the onboarding logic. `make -C bindings-python test` type-checks this file
with `mypy --strict` against the installed package and also runs it.
"""

from __future__ import annotations

import datetime
import json
import pickle
from typing import List

import jiko_onboarding as jiko
from jiko_onboarding import (
    ApiError,
    ApplicationStatus,
    CreateApplicationDict,
    DocumentError,
    DocumentType,
    FieldErrorDict,
    InvalidArgumentError,
    JikoError,
    NextActionKind,
    ValidationError,
)

APP_ID = "0b7b1c9e-3c1a-4f0e-9a57-2f4f1d6d2a10"
PNG = b"\x89PNG\r\n\x1a\n" + bytes(100)


def application_body() -> CreateApplicationDict:
    return {
        "identification_number": "999999999",
        "identification_type": "SSN",
        "name": {"first_name": "Jiko", "middle_name": "Q", "last_name": "Customer"},
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
        "citizenship_country": "US",
    }


def main() -> None:
    print("jiko-onboarding", jiko.version(), jiko.__version__)

    # Clients and prepared requests.
    client = jiko.Client(environment="sandbox", partner="acme", signing_secret="shared-secret")
    local = jiko.Client(base_url="http://127.0.0.1:8080", signing_secret=b"shared-secret")
    assert client.base_url.startswith("https://acme.")
    login = local.login("partner-user", "password")
    session = jiko.parse_login(200, b'{"token": "tok", "expires": "2026-11-27T11:00:00Z"}')
    expires: int = session.expires_at_unix_seconds
    if session.needs_refresh() or session.needs_refresh(now=float(expires)):
        print("log in again before", session.expires)
    key = jiko.new_idempotency_key()
    requests: List[jiko.PreparedRequest] = [
        login,
        client.list_agreements(session, key),
        client.create_application(session.token, application_body(), datetime.date(2026, 11, 27)),
        client.create_application(session, application_body(), today="2026-11-27"),
        # A body that is already JSON text (str or bytes) goes to the core as it is.
        client.create_application(session, json.dumps(application_body()), "2026-11-27"),
        client.get_application(session, APP_ID),
        client.apply(session, APP_ID, idempotency_key=jiko.new_idempotency_key()),
        client.upload_document(session, APP_ID, "SELFIE", "image/png", PNG),
    ]
    for r in requests:
        headers: dict[str, str] = r.headers_dict
        pairs: list[tuple[str, str]] = r.headers
        body: bytes = r.body
        assert r.header("Content-Length") in (None, str(len(body)))
        print(r.method, r.path, len(pairs), len(headers), r.idempotency_key, r.url)
        assert r.to_dict()["body"] == body

    # Signing.
    signer = jiko.Signer("shared-secret")
    signature = signer.sign(key, "/api/v1/agreements/", b"")
    assert signer.verify(key, "/api/v1/agreements/", "", signature)
    assert client.signer.sign(key, "/api/v1/agreements/", b"") == signature

    # Validation.
    problems = jiko.validate_application(application_body(), today=datetime.date.today())
    assert problems == []
    assert jiko.validate_application(json.dumps(application_body()).encode()) == []
    assert [p.code for p in jiko.validate_application("{not json")] == ["invalid_json"]
    bad = application_body()
    bad["email"] = "not-an-email"
    for problem in jiko.validate_application(bad):
        print(problem.path, problem.code, problem.message, problem.to_dict())
    try:
        client.create_application(session, bad)
    except ValidationError as error:
        found: list[FieldErrorDict] = error.errors()
        assert error.code == "validation_failed" and found[0]["path"] == "email"
    try:
        jiko.Client(base_url="http://example.com", signing_secret="x")
    except InvalidArgumentError as error:
        print("refused:", error.code)
    try:
        jiko.check_upload("ID_FRONT", "image/png", b"GIF89a")
    except DocumentError as error:
        print("refused:", error.code)

    # Responses.
    agreements = jiko.parse_agreements(
        200,
        json.dumps(
            {
                "version": "1",
                "release_date": "2026-01-15",
                "documents": [
                    {
                        "title": "Terms",
                        "pdf_download_url": "https://example.com/t.pdf",
                        "type": "TERMS_OF_USE",
                        "category": "GENERAL",
                    }
                ],
            }
        ),
    )
    for document in agreements.documents:
        print(document.title, document.type, document.category, document.pdf_download_url)
    print(agreements.version, agreements.release_date)
    uploaded = jiko.parse_upload(200, b'{"success": true, "document_id": "d1"}')
    assert uploaded.success and uploaded.document_id == "d1"
    try:
        jiko.parse_application(429, b"", retry_after="30")
    except ApiError as error:
        assert error.kind == "rate_limited" and error.retry_after_seconds == 30
        assert error.retryable and error.status == 429 and error.errors() == []
    except JikoError:
        raise

    # Onboarding logic.
    app = jiko.parse_application(
        200,
        json.dumps(
            {
                "id": APP_ID,
                "status": "DOCUMENTS_NEEDED",
                "name": {"first_name": "Jiko", "last_name": "Customer"},
                "date_of_birth": {"date_of_birth": "1970-01-01"},
                "address": {
                    "street_address": "2000 Allston Way",
                    "city": "Berkeley",
                    "postal_code": "94701",
                    "state": "CA",
                    "country": "US",
                },
                "investment_profile": {
                    "employment_status": "RETIRED",
                    "income": "BELOW_50K",
                    "net_worth": "OVER_5M",
                },
                "agreement_consent": {"version": "1", "timestamp": "2023-01-01T12:00:00+00:00"},
                "documents": [{"id": "d1", "type": "ID_FRONT", "status": "PENDING_REVIEW"}],
                "id_verification_documents_needed": True,
                "identification_number_verification_document_needed": False,
                "address_verification_document_needed": False,
            }
        ),
    )
    status: ApplicationStatus = app.status
    print(repr(app), status, app.customer_id, app.time_created, app.updated_at)
    if app.name is not None:
        print(app.name.first_name, app.name.middle_name, app.name.last_name)
    if app.address is not None:
        a = app.address
        print(a.street_address, a.street_address2, a.city, a.postal_code, a.state, a.country)
    if app.investment_profile is not None:
        p = app.investment_profile
        print(p.employment_status, p.income, p.net_worth, p.occupation)
        print(p.bd_association, p.director_policy_maker_of_company)
    if app.agreement_consent is not None:
        print(app.agreement_consent.version, app.agreement_consent.timestamp)
    print(app.email, app.phone_number, app.date_of_birth, app.citizenship_country)
    print(app.exception_reasons, app.id_verification_documents_needed)
    print(app.identification_number_verification_document_needed)
    print(app.address_verification_document_needed)
    for doc in app.documents:
        print(doc.id, doc.type, doc.status, doc.exception_reason, doc.name)
    for requirement in jiko.required_documents(app):
        choices: list[DocumentType] = requirement.one_of
        print(requirement.flag, choices)
    action = jiko.next_action(app)
    kind: NextActionKind = action.kind
    if kind == "upload_documents":
        first: DocumentType = action.requirements[0].one_of[0]
        print("upload", first)
    elif kind == "wait":
        print("wait:", action.reason)
    elif kind == "approved":
        print("customer", action.customer_id)
    elif kind == "unknown":
        print("unknown status", action.status)

    scenario = jiko.sandbox_scenario("211000000")
    print(scenario.status_after_apply, scenario.status_after_documents)
    print(scenario.id_verification_documents_needed, scenario.identification_number_document_needed)
    print(scenario.address_verification_document_needed)

    # Round trips of the wire form, and pickling (for task queues).
    assert jiko.Application.from_dict(app.to_dict()) == app
    assert pickle.loads(pickle.dumps(app)) == app
    assert jiko.NextAction.from_dict(action.to_dict()) == action
    assert jiko.SandboxScenario.from_dict(scenario.to_dict()) == scenario
    assert jiko.Agreements.from_dict(agreements.to_dict()) == agreements
    assert jiko.UploadedDocument.from_dict(uploaded.to_dict()) == uploaded
    print(session.to_dict()["expires"], sorted(jiko.APPLICATION_STATUSES))


if __name__ == "__main__":
    main()
