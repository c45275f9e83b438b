"""Onboard one applicant step by step with prepared requests and urllib.request (the
Onboarding driver, in quickstart.py, does all of this for you).

    JIKO_PARTNER=acme JIKO_SIGNING_SECRET=... JIKO_USERNAME=... JIKO_PASSWORD=... \
        python prepared_requests.py

(or JIKO_BASE_URL=http://127.0.0.1:8080 instead of JIKO_PARTNER, for a local simulator).
"""

from __future__ import annotations

import datetime
import os
import sys
import urllib.error
import urllib.request
from typing import Optional, Tuple

import jiko_onboarding as jiko


def send(request: jiko.PreparedRequest) -> Tuple[int, bytes, Optional[str]]:
    """Sends a prepared request; returns (status, body, Retry-After) for the parsers."""
    http_request = urllib.request.Request(
        request.url,
        data=request.body or None,
        headers=request.headers_dict,
        method=request.method,
    )
    try:
        with urllib.request.urlopen(http_request, timeout=30) as response:
            return response.status, response.read(), response.headers.get("Retry-After")
    except urllib.error.HTTPError as error:  # 4xx and 5xx: the parser raises ApiError
        return error.code, error.read(), error.headers.get("Retry-After")


def main() -> int:
    secret = os.environ["JIKO_SIGNING_SECRET"]
    if "JIKO_BASE_URL" in os.environ:
        client = jiko.Client(base_url=os.environ["JIKO_BASE_URL"], signing_secret=secret)
    else:
        client = jiko.Client(
            environment="sandbox", partner=os.environ["JIKO_PARTNER"], signing_secret=secret
        )

    session = jiko.parse_login(
        *send(client.login(os.environ["JIKO_USERNAME"], os.environ["JIKO_PASSWORD"]))
    )
    agreements = jiko.parse_agreements(*send(client.list_agreements(session)))

    application: jiko.CreateApplicationDict = {
        "identification_number": "211000000",  # sandbox: DOCUMENTS_NEEDED, then MANUAL_REVIEW
        "name": {"first_name": "Jiko", "last_name": "Customer"},
        "email": "jiko@example.com",
        "phone_number": "+15551234567",
        "date_of_birth": datetime.date(1970, 1, 1),
        "investment_profile": {
            "employment_status": "EMPLOYED",
            "occupation": "Investor",
            "income": "BETWEEN_100K_AND_250K",
            "net_worth": "BETWEEN_1M_AND_5M",
        },
        "agreement_consent": {
            "version": agreements.version,
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
    try:
        created = jiko.parse_application(*send(client.create_application(session, application)))
        applied = jiko.parse_application(*send(client.apply(session, created.id)))
    except jiko.ValidationError as error:  # checked before anything was sent
        for problem in error.errors():
            print(f"{problem['path']}: {problem['code']} ({problem['message']})")
        return 1
    except jiko.ApiError as error:  # the server said no
        print(f"{error.code} (HTTP {error.status}); retry: {error.retryable}")
        return 1

    action = jiko.next_action(applied)
    print(f"application {applied.id} is {applied.status}; next: {action.kind}")
    for requirement in action.requirements:
        print("  upload one of:", ", ".join(requirement.one_of))
    return 0


if __name__ == "__main__":
    sys.exit(main())
