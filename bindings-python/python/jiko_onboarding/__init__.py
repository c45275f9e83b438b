"""Jiko Partner API onboarding SDK for Python.

`Onboarding` (blocking) and `AsyncOnboarding` (asyncio) onboard an applicant end to end
with the HTTP client you choose: login, agreements, create, apply, documents, and the
new customer's account details, with retries, polling, snapshots and webhooks. Beneath
them, everything is available on its own, without I/O: prepared and signed requests,
validation, response parsing, webhook verification and the flow engine. Every rule runs
in the Rust core (`jiko_onboarding._native`); this file defines the exception classes
and re-exports the rest.
"""

from __future__ import annotations

# `import jiko_onboarding` does not import `typing` (with `re`, `enum`, `functools`, it
# would be most of the import time): annotations are strings (`from __future__`), and
# the typing-only names (the `Literal` aliases and the request `TypedDict`s) are loaded
# on first access by `__getattr__` below. Type checkers see them through this block
# (mypy takes any `TYPE_CHECKING` name as true).
TYPE_CHECKING = False
if TYPE_CHECKING:
    from typing import Iterable, Optional

    from jiko_onboarding._native import (
        AgreementCategory,
        AgreementType,
        AnnualIncome,
        ApiErrorKind,
        ApplicationStatus,
        DocumentFlag,
        DocumentStatus,
        DocumentType,
        EmploymentStatus,
        IdentificationType,
        NetWorth,
        NextActionKind,
        WaitReason,
    )
    from jiko_onboarding._native import (
        AccountStatus,
        CustomerAccountStatus,
        CustomerType,
        EventType,
        FlowErrorCode,
        FlowWaitReason,
        OperationName,
        PortalStatus,
        RetryReason,
        SubscriptionStatus,
        TransportErrorKind,
    )
    from jiko_onboarding._types import (
        AddressDict,
        AgreementConsentDict,
        CreateApplicationDict,
        FieldErrorDict,
        InvestmentProfileDict,
        NameDict,
        RetryDecisionDict,
    )
    from jiko_onboarding._driver import AsyncFlow, AsyncOnboarding, Clock, Flow, Onboarding
    from jiko_onboarding._transports import (
        Answer,
        AsyncTransport,
        HttpxAsyncTransport,
        HttpxTransport,
        ThreadedTransport,
        Transport,
        UrllibTransport,
    )

# The exceptions come first: the native module raises these classes, looked up here.


class JikoError(Exception):
    """Base class of every error of the SDK. `code` is stable and machine-readable;
    the message names the rule that failed, never a value (no personal data)."""

    code: str

    def __init__(self, message: str = "", *, code: str = "error") -> None:
        super().__init__(message)
        self.code = code


class InvalidArgumentError(JikoError, ValueError):
    """An argument that is not part of a request body is malformed (a base URL, a
    partner prefix, an idempotency key, an application id, a date, a secret, a token).
    `code` names it, such as `invalid_idempotency_key`."""


class ValidationError(JikoError, ValueError):
    """Client-side validation failed. `errors()` lists every problem at once as
    `{"path", "code", "message"}` dicts; code `validation_failed`."""

    def __init__(
        self,
        message: str = "",
        *,
        code: str = "validation_failed",
        errors: Iterable[FieldErrorDict] = (),
    ) -> None:
        super().__init__(message, code=code)
        self._errors = [e.copy() for e in errors]

    def errors(self) -> list[FieldErrorDict]:
        """Every field error: `[{"path": "address.postal_code", "code": ..., "message": ...}]`."""
        return [e.copy() for e in self._errors]


class ApiError(JikoError):
    """The server answered with an error status, or with a body the SDK cannot read.

    `status` is the HTTP status, `kind` its family (`unauthorized`, `forbidden`,
    `not_found`, `validation`, `conflict`, `rate_limited`, `server`, `unexpected`,
    `invalid_response`), `code` is `api_<kind>`, `errors()` the server's field errors
    of a 422, `retry_after_seconds` the `Retry-After` value that was passed to the
    parser, and `retryable` whether resending the same prepared request may succeed.
    No text of the response body is kept: error bodies may echo personal data."""

    def __init__(
        self,
        message: str = "",
        *,
        code: str = "api_unexpected",
        status: int = 0,
        kind: ApiErrorKind = "unexpected",
        errors: Iterable[FieldErrorDict] = (),
        retry_after_seconds: Optional[int] = None,
        retryable: bool = False,
    ) -> None:
        super().__init__(message, code=code)
        self.status = status
        self.kind: ApiErrorKind = kind
        self._errors = [e.copy() for e in errors]
        self.retry_after_seconds = retry_after_seconds
        self.retryable = retryable

    def errors(self) -> list[FieldErrorDict]:
        """The server's field errors (422), with dotted paths; empty otherwise."""
        return [e.copy() for e in self._errors]


class DocumentError(JikoError, ValueError):
    """An upload refused before anything was sent; `code` is `empty`, `too_large` or
    `wrong_type`."""


class WebhookError(JikoError, ValueError):
    """A webhook delivery that must not be trusted; `code` is `missing_signature`,
    `bad_signature` or `malformed`. Answer it with a 4xx and read nothing from it."""


class FlowError(JikoError):
    """An onboarding flow stopped, or refused a call. `code` is one of
    `consent_version_outdated`, `create_outcome_unknown` (its `idempotency_key` is the
    Create's: give it to Jiko's support to learn what became of it), `stalled`,
    `application_required`, `application_mismatch`, `snapshot_invalid`,
    `unknown_attempt`, `document_not_accepted`, `unexpected_answer`."""

    def __init__(
        self,
        message: str = "",
        *,
        code: str = "unexpected_answer",
        idempotency_key: Optional[str] = None,
    ) -> None:
        super().__init__(message, code=code)
        self.idempotency_key = idempotency_key


class TransportError(JikoError):
    """A request got no answer. `kind` is `not_sent` (it certainly did not reach the
    server), `timed_out` or `reset` (it may have); `code` is `transport_<kind>`.
    Transports raise it; a waiting flow's `FlowResult.error` may hold one."""

    def __init__(
        self, message: str = "", *, kind: TransportErrorKind, code: Optional[str] = None
    ) -> None:
        if kind not in ("not_sent", "timed_out", "reset"):
            raise ValueError("kind must be 'not_sent', 'timed_out' or 'reset'")
        super().__init__(message, code=code or f"transport_{kind}")
        self.kind: TransportErrorKind = kind


from jiko_onboarding._native import (  # noqa: E402
    ACCOUNT_STATUSES,
    AGREEMENT_CATEGORIES,
    AGREEMENT_TYPES,
    ANNUAL_INCOMES,
    API_ERROR_KINDS,
    APPLICATION_STATUSES,
    CUSTOMER_ACCOUNT_STATUSES,
    CUSTOMER_TYPES,
    DOCUMENT_FLAGS,
    DOCUMENT_STATUSES,
    DOCUMENT_TYPES,
    EMPLOYMENT_STATUSES,
    EVENT_TYPES,
    FLOW_ERROR_CODES,
    FLOW_WAIT_REASONS,
    IDENTIFICATION_TYPES,
    NET_WORTHS,
    NEXT_ACTION_KINDS,
    OPERATIONS,
    PORTAL_STATUSES,
    RETRY_REASONS,
    SUBSCRIPTION_STATUSES,
    TRANSPORT_ERROR_KINDS,
    WAIT_REASONS,
    Authenticator,
    Client,
    Done,
    FlowResult,
    NeedDocuments,
    OnboardingFlow,
    PreparedRequest,
    Session,
    Signer,
    Transmit,
    Wait,
    __version__,
    backoff_ms,
    check_upload,
    mask_number,
    new_idempotency_key,
    next_action,
    parse_accounts,
    parse_agreements,
    parse_application,
    parse_customer,
    parse_events,
    parse_login,
    parse_portals,
    parse_subscription,
    parse_upload,
    poll_delay_ms,
    required_documents,
    retry_after_ms,
    retry_decision,
    sandbox_scenario,
    validate_application,
    verify_webhook,
    version,
    webhook_signature,
)
from jiko_onboarding._models import (  # noqa: E402
    Account,
    Accounts,
    Address,
    AgreementConsent,
    AgreementDocument,
    Agreements,
    Amount,
    Application,
    ApprovedAccount,
    ApprovedCustomer,
    Customer,
    DateOfBirth,
    DeliveryAttempt,
    Document,
    DocumentRequirement,
    EventPayload,
    Events,
    FieldError,
    FlowConfig,
    GeneralAddress,
    InvestmentProfile,
    Name,
    NextAction,
    PartnerEvent,
    PollPolicy,
    Portal,
    PortalDetails,
    Portals,
    Record,
    RetryPolicy,
    SandboxScenario,
    Subscription,
    UploadedDocument,
    WebhookEvent,
)

# Loaded on first access (see the top of this file): the typing aliases of the wire
# values, the request dicts, and the drivers and transports (which import logging,
# threading, asyncio and urllib).
_LAZY = {
    "jiko_onboarding._native": frozenset(
        [
            "ApplicationStatus",
            "IdentificationType",
            "EmploymentStatus",
            "AnnualIncome",
            "NetWorth",
            "DocumentType",
            "DocumentStatus",
            "AgreementType",
            "AgreementCategory",
            "DocumentFlag",
            "NextActionKind",
            "WaitReason",
            "ApiErrorKind",
            "CustomerType",
            "CustomerAccountStatus",
            "AccountStatus",
            "PortalStatus",
            "EventType",
            "SubscriptionStatus",
            "OperationName",
            "FlowWaitReason",
            "RetryReason",
            "TransportErrorKind",
            "FlowErrorCode",
        ]
    ),
    "jiko_onboarding._types": frozenset(
        [
            "CreateApplicationDict",
            "NameDict",
            "AddressDict",
            "InvestmentProfileDict",
            "AgreementConsentDict",
            "FieldErrorDict",
            "RetryDecisionDict",
        ]
    ),
    "jiko_onboarding._driver": frozenset(
        ["Onboarding", "AsyncOnboarding", "Flow", "AsyncFlow", "Clock"]
    ),
    "jiko_onboarding._transports": frozenset(
        [
            "UrllibTransport",
            "HttpxTransport",
            "HttpxAsyncTransport",
            "ThreadedTransport",
            "Transport",
            "AsyncTransport",
            "Answer",
        ]
    ),
}

if not TYPE_CHECKING:  # at run time only: type checkers see the imports above

    def __getattr__(name):
        for module_name, names in _LAZY.items():
            if name in names:
                import importlib

                value = getattr(importlib.import_module(module_name), name)
                globals()[name] = value
                return value
        raise AttributeError(f"module 'jiko_onboarding' has no attribute {name!r}")

    def __dir__():
        return sorted(set(globals()).union(*_LAZY.values()))


# A literal list, lazily loaded names included: type checkers re-export only what a
# literal `__all__` names (tests/test_api.py checks it covers the lazy sets).
__all__ = [
    # drivers
    "Onboarding",
    "AsyncOnboarding",
    "Flow",
    "AsyncFlow",
    "Clock",
    "Transport",
    "AsyncTransport",
    "Answer",
    "UrllibTransport",
    "HttpxTransport",
    "HttpxAsyncTransport",
    "ThreadedTransport",
    # exceptions
    "JikoError",
    "InvalidArgumentError",
    "ValidationError",
    "ApiError",
    "DocumentError",
    "WebhookError",
    "FlowError",
    "TransportError",
    # requests
    "Client",
    "PreparedRequest",
    "Signer",
    "Session",
    "new_idempotency_key",
    "validate_application",
    "check_upload",
    # responses
    "parse_login",
    "parse_agreements",
    "parse_application",
    "parse_upload",
    "parse_customer",
    "parse_accounts",
    "parse_portals",
    "parse_subscription",
    "parse_events",
    # webhooks
    "verify_webhook",
    "webhook_signature",
    # onboarding logic
    "required_documents",
    "next_action",
    "sandbox_scenario",
    "mask_number",
    "version",
    "__version__",
    # the flow engine
    "OnboardingFlow",
    "Authenticator",
    "Transmit",
    "Wait",
    "NeedDocuments",
    "Done",
    "FlowResult",
    "retry_decision",
    "retry_after_ms",
    "backoff_ms",
    "poll_delay_ms",
    # records
    "Record",
    "Account",
    "Accounts",
    "Address",
    "AgreementConsent",
    "AgreementDocument",
    "Agreements",
    "Amount",
    "Application",
    "ApprovedAccount",
    "ApprovedCustomer",
    "Customer",
    "DateOfBirth",
    "DeliveryAttempt",
    "Document",
    "DocumentRequirement",
    "EventPayload",
    "Events",
    "FieldError",
    "FlowConfig",
    "GeneralAddress",
    "InvestmentProfile",
    "Name",
    "NextAction",
    "PartnerEvent",
    "PollPolicy",
    "Portal",
    "PortalDetails",
    "Portals",
    "RetryPolicy",
    "SandboxScenario",
    "Subscription",
    "UploadedDocument",
    "WebhookEvent",
    # request dicts
    "CreateApplicationDict",
    "NameDict",
    "AddressDict",
    "InvestmentProfileDict",
    "AgreementConsentDict",
    "FieldErrorDict",
    "RetryDecisionDict",
    # wire values
    "ApplicationStatus",
    "IdentificationType",
    "EmploymentStatus",
    "AnnualIncome",
    "NetWorth",
    "DocumentType",
    "DocumentStatus",
    "AgreementType",
    "AgreementCategory",
    "DocumentFlag",
    "NextActionKind",
    "WaitReason",
    "ApiErrorKind",
    "CustomerType",
    "CustomerAccountStatus",
    "AccountStatus",
    "PortalStatus",
    "EventType",
    "SubscriptionStatus",
    "OperationName",
    "FlowWaitReason",
    "RetryReason",
    "TransportErrorKind",
    "FlowErrorCode",
    "APPLICATION_STATUSES",
    "IDENTIFICATION_TYPES",
    "EMPLOYMENT_STATUSES",
    "ANNUAL_INCOMES",
    "NET_WORTHS",
    "DOCUMENT_TYPES",
    "DOCUMENT_STATUSES",
    "AGREEMENT_TYPES",
    "AGREEMENT_CATEGORIES",
    "DOCUMENT_FLAGS",
    "NEXT_ACTION_KINDS",
    "WAIT_REASONS",
    "API_ERROR_KINDS",
    "CUSTOMER_TYPES",
    "CUSTOMER_ACCOUNT_STATUSES",
    "ACCOUNT_STATUSES",
    "PORTAL_STATUSES",
    "EVENT_TYPES",
    "SUBSCRIPTION_STATUSES",
    "OPERATIONS",
    "FLOW_WAIT_REASONS",
    "RETRY_REASONS",
    "TRANSPORT_ERROR_KINDS",
    "FLOW_ERROR_CODES",
]
