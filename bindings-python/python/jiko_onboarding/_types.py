"""Typed dicts of the request bodies, with the API's wire keys.

Declarations only: they describe the dicts `Client.create_application` and
`validate_application` take. Every rule is checked by the core, which reports unknown
keys, missing fields and wrong types itself.
"""

import datetime

# `total=False` subclasses mark the optional keys (NotRequired needs Python 3.11).
from typing import TypedDict, Union

from jiko_onboarding._native import (
    AnnualIncome,
    EmploymentStatus,
    IdentificationType,
    NetWorth,
)


class FieldErrorDict(TypedDict):
    """One problem with one field, as `ValidationError.errors()` and `ApiError.errors()`
    return it."""

    path: str
    code: str
    message: str


class _NameRequired(TypedDict):
    first_name: str
    last_name: str


class NameDict(_NameRequired, total=False):
    """`name`: each part at most 50 characters."""

    middle_name: str


class _AddressRequired(TypedDict):
    street_address: str
    city: str
    postal_code: str
    country: str


class AddressDict(_AddressRequired, total=False):
    """`address`: `state` is required in the US (USPS code), `country` is ISO 3166."""

    street_address2: str
    state: str


class _InvestmentProfileRequired(TypedDict):
    employment_status: EmploymentStatus
    income: AnnualIncome
    net_worth: NetWorth


class InvestmentProfileDict(_InvestmentProfileRequired, total=False):
    """`investment_profile`: `occupation` is required when EMPLOYED."""

    occupation: str
    bd_association: str
    director_policy_maker_of_company: str


class AgreementConsentDict(TypedDict):
    """`agreement_consent`: the agreement bundle's version and when the user consented
    (RFC 3339 with an offset; an aware `datetime` is written with `isoformat()`)."""

    version: str
    timestamp: Union[str, datetime.datetime]


class _CreateApplicationRequired(TypedDict):
    identification_number: str
    name: NameDict
    email: str
    phone_number: str
    date_of_birth: Union[str, datetime.date]
    investment_profile: InvestmentProfileDict
    agreement_consent: AgreementConsentDict
    address: AddressDict


class CreateApplicationDict(_CreateApplicationRequired, total=False):
    """The body of Create Application, with the API's wire keys. `date_of_birth` is
    `YYYY-MM-DD` or a `datetime.date`."""

    identification_type: IdentificationType
    citizenship_country: str
    originally_onboarded_at: Union[str, datetime.datetime]


class _RetryDecisionRequired(TypedDict):
    decision: str


class RetryDecisionDict(_RetryDecisionRequired, total=False):
    """What `retry_decision` returns: `decision` is `success`, `retry`, `postpone`,
    `relogin`, `read_state`, `give_up`, `outcome_unknown` or `fail`; `delay_ms` and
    `reason` come with `retry` and `postpone` (`reason` with `give_up` too), `same_key`
    with `retry`."""

    delay_ms: int
    reason: str
    same_key: bool
