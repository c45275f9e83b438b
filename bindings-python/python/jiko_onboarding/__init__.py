"""Jiko Partner API onboarding SDK for Python.

Builds, signs and parses the requests of Jiko's onboarding endpoints, validates
applications and decides the next step, without doing any I/O: send the prepared
requests with `urllib.request`, `requests` or `httpx`. Every rule runs in the Rust core
(`jiko_onboarding._native`); this file only defines the exception classes and
re-exports the rest.
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
    from jiko_onboarding._types import (
        AddressDict,
        AgreementConsentDict,
        CreateApplicationDict,
        FieldErrorDict,
        InvestmentProfileDict,
        NameDict,
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
    AgreementConsent,
    AgreementDocument,
    Agreements,
    Application,
    Client,
    Document,
    DocumentRequirement,
    FieldError,
    InvestmentProfile,
    Name,
    NextAction,
    PreparedRequest,
    SandboxScenario,
    Session,
    Signer,
    UploadedDocument,
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

# Loaded on first access (see the top of this file).
_LAZY_FROM_NATIVE = frozenset(
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
    ]
)
_LAZY_FROM_TYPES = frozenset(
    [
        "CreateApplicationDict",
        "NameDict",
        "AddressDict",
        "InvestmentProfileDict",
        "AgreementConsentDict",
        "FieldErrorDict",
    ]
)

if not TYPE_CHECKING:  # at run time only: type checkers see the imports above

    def __getattr__(name):
        if name in _LAZY_FROM_NATIVE:
            from jiko_onboarding import _native as module
        elif name in _LAZY_FROM_TYPES:
            from jiko_onboarding import _types as module
        else:
            raise AttributeError(f"module 'jiko_onboarding' has no attribute {name!r}")
        value = getattr(module, name)
        globals()[name] = value
        return value

    def __dir__():
        return sorted(set(globals()) | _LAZY_FROM_NATIVE | _LAZY_FROM_TYPES)


# A literal list, lazily loaded names included: type checkers re-export only what a
# literal `__all__` names (tests/test_api.py checks it covers the lazy sets).
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

