"""Jiko Partner API onboarding SDK for Python.

Builds, signs and parses the requests of Jiko's onboarding endpoints, validates
applications and decides the next step, without doing any I/O: send the prepared
requests with `urllib.request`, `requests` or `httpx`. Every rule runs in the Rust core
(`jiko_onboarding._native`); this file only defines the exception classes and
re-exports the rest.
"""

from __future__ import annotations

from typing import Iterable, Optional

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


from jiko_onboarding._native import (  # noqa: E402
    AGREEMENT_CATEGORIES,
    AGREEMENT_TYPES,
    ANNUAL_INCOMES,
    API_ERROR_KINDS,
    APPLICATION_STATUSES,
    DOCUMENT_FLAGS,
    DOCUMENT_STATUSES,
    DOCUMENT_TYPES,
    EMPLOYMENT_STATUSES,
    IDENTIFICATION_TYPES,
    NET_WORTHS,
    NEXT_ACTION_KINDS,
    WAIT_REASONS,
    Address,
    AgreementCategory,
    AgreementConsent,
    AgreementDocument,
    Agreements,
    AgreementType,
    AnnualIncome,
    ApiErrorKind,
    Application,
    ApplicationStatus,
    Client,
    Document,
    DocumentFlag,
    DocumentRequirement,
    DocumentStatus,
    DocumentType,
    EmploymentStatus,
    FieldError,
    IdentificationType,
    InvestmentProfile,
    Name,
    NetWorth,
    NextAction,
    NextActionKind,
    PreparedRequest,
    SandboxScenario,
    Session,
    Signer,
    UploadedDocument,
    WaitReason,
    __version__,
    check_upload,
    new_idempotency_key,
    next_action,
    parse_agreements,
    parse_application,
    parse_login,
    parse_upload,
    required_documents,
    sandbox_scenario,
    validate_application,
    version,
)
from jiko_onboarding._types import (  # noqa: E402
    AddressDict,
    AgreementConsentDict,
    CreateApplicationDict,
    FieldErrorDict,
    InvestmentProfileDict,
    NameDict,
)

__all__ = [
    # exceptions
    "JikoError",
    "InvalidArgumentError",
    "ValidationError",
    "ApiError",
    "DocumentError",
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
    # onboarding logic
    "required_documents",
    "next_action",
    "sandbox_scenario",
    "version",
    "__version__",
    # models
    "Address",
    "AgreementConsent",
    "AgreementDocument",
    "Agreements",
    "Application",
    "Document",
    "DocumentRequirement",
    "FieldError",
    "InvestmentProfile",
    "Name",
    "NextAction",
    "SandboxScenario",
    "UploadedDocument",
    # request dicts
    "CreateApplicationDict",
    "NameDict",
    "AddressDict",
    "InvestmentProfileDict",
    "AgreementConsentDict",
    "FieldErrorDict",
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
]

