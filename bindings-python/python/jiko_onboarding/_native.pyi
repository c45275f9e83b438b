# Type stubs of the compiled module jiko_onboarding._native (src/*.rs).
# `python -m mypy.stubtest jiko_onboarding` checks them against the module.
#
# Enum-like values are plain `str` at runtime and compare equal to their wire strings.
# The aliases below list the values this version of the SDK knows; a newer server may
# send a value that is not listed, which is passed through unchanged as a plain string
# (`next_action` then answers kind "unknown").
import datetime
import sys
from typing import Any, Final, Literal, Optional, Union, final

from jiko_onboarding._types import CreateApplicationDict

if sys.version_info >= (3, 10):
    from typing import TypeAlias
else:
    from typing_extensions import TypeAlias

if sys.version_info >= (3, 11):
    from typing import Self
else:
    from typing_extensions import Self

__all__ = [
    "__version__",
    "version",
    "new_idempotency_key",
    "validate_application",
    "required_documents",
    "next_action",
    "sandbox_scenario",
    "check_upload",
    "parse_login",
    "parse_agreements",
    "parse_application",
    "parse_upload",
    "Client",
    "Signer",
    "Session",
    "PreparedRequest",
    "FieldError",
    "Name",
    "Address",
    "InvestmentProfile",
    "AgreementConsent",
    "Document",
    "Application",
    "AgreementDocument",
    "Agreements",
    "UploadedDocument",
    "DocumentRequirement",
    "NextAction",
    "SandboxScenario",
    "ApplicationStatus",
    "APPLICATION_STATUSES",
    "IdentificationType",
    "IDENTIFICATION_TYPES",
    "EmploymentStatus",
    "EMPLOYMENT_STATUSES",
    "AnnualIncome",
    "ANNUAL_INCOMES",
    "NetWorth",
    "NET_WORTHS",
    "DocumentType",
    "DOCUMENT_TYPES",
    "DocumentStatus",
    "DOCUMENT_STATUSES",
    "AgreementType",
    "AGREEMENT_TYPES",
    "AgreementCategory",
    "AGREEMENT_CATEGORIES",
    "DocumentFlag",
    "DOCUMENT_FLAGS",
    "NextActionKind",
    "NEXT_ACTION_KINDS",
    "WaitReason",
    "WAIT_REASONS",
    "ApiErrorKind",
    "API_ERROR_KINDS",
]

ApplicationStatus: TypeAlias = Literal[
    "CREATED",
    "PENDING",
    "SUBMITTED",
    "DOCUMENTS_NEEDED",
    "APPROVED",
    "REJECTED",
    "MANUAL_REVIEW",
]
IdentificationType: TypeAlias = Literal["SSN", "PASSPORT", "TIN", "DRIVERS_LICENSE"]
EmploymentStatus: TypeAlias = Literal["EMPLOYED", "INDEPENDENT", "RETIRED", "STUDENT", "UNEMPLOYED"]
AnnualIncome: TypeAlias = Literal[
    "BELOW_50K", "BETWEEN_50K_AND_100K", "BETWEEN_100K_AND_250K", "OVER_250K"
]
NetWorth: TypeAlias = Literal[
    "BELOW_50K", "BETWEEN_50K_AND_200K", "BETWEEN_200K_AND_1M", "BETWEEN_1M_AND_5M", "OVER_5M"
]
DocumentType: TypeAlias = Literal[
    "ID_FRONT",
    "ID_BACK",
    "SELFIE",
    "IDENTIFICATION_NUMBER_VERIFICATION",
    "ADDRESS_VERIFICATION",
    "PASSPORT",
    "EIN_CONFIRMATION",
    "OPERATING_AGREEMENT",
    "PARTNERSHIP_AGREEMENT",
    "ARTICLES_OF_INCORPORATION",
    "BYLAWS",
    "PROOF_OF_501_STATUS",
    "ARTICLES_OF_ASSOCIATION",
    "CORPORATE_CHARTER",
    "TRUST_FORMATION_RECORDS",
    "LIST_OF_TRUSTEES",
    "LEGAL_ANALYSIS_OF_BUSINESS_MODEL",
    "COINS_AND_TOKENS_LISTED_AND_OFFERED",
    "COIN_RATING_POLICY_AND_PROCEDURES",
    "TYPE_OF_BLOCKCHAIN_ANALYTICS_USED",
    "MARKET_MANIPULATION_POLICY",
    "BSA_AML_OFAC_POLICIES",
    "INDEPENDENT_AML_AUDIT_REPORT",
    "BSA_AML_OFAC_INTERNAL_RISK_ASSESSMENT",
    "ARTICLES_OF_ORGANIZATION",
    "FLOW_OF_FUNDS",
    "BANK_STATEMENTS_1",
    "BANK_STATEMENTS_2",
    "BANK_STATEMENTS_3",
    "WIRE_COUNTERPARTY_VERIFICATION",
    "OTHER",
]
DocumentStatus: TypeAlias = Literal["PENDING_UPLOAD", "PENDING_REVIEW", "APPROVED", "INVALID"]
AgreementType: TypeAlias = Literal[
    "PRIVACY_POLICY",
    "PRIVACY_NOTICE",
    "BUSINESS_CONTINUITY_PLAN",
    "FINANCIAL_STATEMENT",
    "US_TREASURIES_RISK",
    "ELECTRONIC_COMMUNICATIONS",
    "TAX_CERTIFICATION_FOR_US_PERSON",
    "BANK_ACCOUNT",
    "LIMITATIONS",
    "BROKERAGE",
    "CARD",
    "CASHBACK",
    "FORM_CRS",
    "AUTHORIZED_REPRESENTATIVE_CERTIFICATION",
    "TERMS_OF_USE",
    "ELECTRONIC_FUND_TRANSFERS",
    "TRUTH_IN_SAVINGS",
    "FEE_NOTICE",
    "FUNDS_AVAILABILITY",
    "REGULATION_E",
]
AgreementCategory: TypeAlias = Literal["BANK", "BROKERAGE", "GENERAL", "E-SIGN"]
DocumentFlag: TypeAlias = Literal[
    "id_verification_documents_needed",
    "identification_number_verification_document_needed",
    "address_verification_document_needed",
]
NextActionKind: TypeAlias = Literal[
    "apply", "upload_documents", "wait", "approved", "rejected", "unknown"
]
WaitReason: TypeAlias = Literal["kyc_in_progress", "manual_review", "documents_in_review"]
ApiErrorKind: TypeAlias = Literal[
    "unauthorized",
    "forbidden",
    "not_found",
    "validation",
    "conflict",
    "rate_limited",
    "server",
    "unexpected",
    "invalid_response",
]

APPLICATION_STATUSES: Final[tuple[ApplicationStatus, ...]]
IDENTIFICATION_TYPES: Final[tuple[IdentificationType, ...]]
EMPLOYMENT_STATUSES: Final[tuple[EmploymentStatus, ...]]
ANNUAL_INCOMES: Final[tuple[AnnualIncome, ...]]
NET_WORTHS: Final[tuple[NetWorth, ...]]
DOCUMENT_TYPES: Final[tuple[DocumentType, ...]]
DOCUMENT_STATUSES: Final[tuple[DocumentStatus, ...]]
AGREEMENT_TYPES: Final[tuple[AgreementType, ...]]
AGREEMENT_CATEGORIES: Final[tuple[AgreementCategory, ...]]
DOCUMENT_FLAGS: Final[tuple[DocumentFlag, ...]]
NEXT_ACTION_KINDS: Final[tuple[NextActionKind, ...]]
WAIT_REASONS: Final[tuple[WaitReason, ...]]
API_ERROR_KINDS: Final[tuple[ApiErrorKind, ...]]

__version__: Final[str]

# Arguments that accept bytes or text (text is sent as UTF-8).
_Body: TypeAlias = Union[bytes, str]
# `today`: a date, an ISO `YYYY-MM-DD` string, or None for today's UTC date.
_Today: TypeAlias = Union[datetime.date, str, None]
# A Create Application body: a dict, or JSON text (`str` or UTF-8 `bytes`) that the core
# parses itself (for a body that is already JSON).
_ApplicationBody: TypeAlias = Union[CreateApplicationDict, str, bytes]

def version() -> str:
    """The version of the SDK."""

def new_idempotency_key() -> str:
    """A fresh random idempotency key: a lower-case UUID v4."""

def validate_application(
    application: _ApplicationBody, today: _Today = None
) -> list[FieldError]:
    """Every problem with a Create Application body (a dict or JSON text), at once ([] when
    valid). Text that is not JSON gives one error with code invalid_json."""

def required_documents(application: Application) -> list[DocumentRequirement]:
    """One requirement per document the applicant still has to provide."""

def next_action(application: Application) -> NextAction:
    """The next step for this application."""

def sandbox_scenario(identification_number: str) -> SandboxScenario:
    """What Jiko's sandbox does with an application with this SSN."""

def check_upload(document_type: DocumentType, content_type: str, data: bytes) -> None:
    """Raises DocumentError (empty, too_large, wrong_type) for an upload that would be refused."""

def parse_login(status: int, body: _Body, retry_after: Optional[str] = None) -> Session:
    """Parses the answer to Login; a non-2xx status raises ApiError."""

def parse_agreements(status: int, body: _Body, retry_after: Optional[str] = None) -> Agreements:
    """Parses the answer to List Agreements; a non-2xx status raises ApiError."""

def parse_application(status: int, body: _Body, retry_after: Optional[str] = None) -> Application:
    """Parses the answer to Create Application, Get Application or Apply."""

def parse_upload(status: int, body: _Body, retry_after: Optional[str] = None) -> UploadedDocument:
    """Parses the answer to Upload Document; a non-2xx status raises ApiError."""

@final
class Signer:
    """Signs and verifies requests with the shared secret. repr hides the secret."""

    def __new__(cls, secret: Union[str, bytes]) -> Self: ...
    def sign(self, idempotency_key: str, path: str, body: _Body) -> str:
        """The x-jiko-signature value: base64 HMAC-SHA256 of key + path + body."""
    def verify(self, idempotency_key: str, path: str, body: _Body, signature: str) -> bool:
        """Whether signature signs this message (constant time)."""

@final
class Session:
    """The result of Login. repr hides the token."""

    @property
    def token(self) -> str: ...
    @property
    def expires(self) -> str: ...
    @property
    def expires_at_unix_seconds(self) -> int: ...
    def needs_refresh(self, now: Optional[float] = None) -> bool:
        """True from five minutes before expiry; now defaults to time.time()."""
    def to_dict(self) -> dict[str, Any]: ...

@final
class PreparedRequest:
    """A request ready to send with any HTTP client. repr shows no header values or body."""

    @property
    def method(self) -> Literal["GET", "POST"]: ...
    @property
    def url(self) -> str: ...
    @property
    def path(self) -> str: ...
    @property
    def headers(self) -> list[tuple[str, str]]: ...
    @property
    def headers_dict(self) -> dict[str, str]: ...
    @property
    def body(self) -> bytes: ...
    @property
    def idempotency_key(self) -> Optional[str]: ...
    def header(self, name: str) -> Optional[str]: ...
    def to_dict(self) -> dict[str, Any]: ...

@final
class Client:
    """Builds prepared requests for every onboarding endpoint. repr hides the secret."""

    def __new__(
        cls,
        *,
        signing_secret: Union[str, bytes],
        environment: Optional[Literal["sandbox", "production"]] = None,
        partner: Optional[str] = None,
        base_url: Optional[str] = None,
    ) -> Self: ...
    @property
    def base_url(self) -> str: ...
    @property
    def signer(self) -> Signer: ...
    def login(self, username: str, password: str) -> PreparedRequest: ...
    def list_agreements(
        self, token: Union[str, Session], idempotency_key: Optional[str] = None
    ) -> PreparedRequest: ...
    def create_application(
        self,
        token: Union[str, Session],
        application: _ApplicationBody,
        today: _Today = None,
        idempotency_key: Optional[str] = None,
    ) -> PreparedRequest: ...
    def get_application(
        self,
        token: Union[str, Session],
        application_id: str,
        idempotency_key: Optional[str] = None,
    ) -> PreparedRequest: ...
    def apply(
        self,
        token: Union[str, Session],
        application_id: str,
        idempotency_key: Optional[str] = None,
    ) -> PreparedRequest: ...
    def upload_document(
        self,
        token: Union[str, Session],
        application_id: str,
        document_type: DocumentType,
        content_type: str,
        data: bytes,
        idempotency_key: Optional[str] = None,
    ) -> PreparedRequest: ...

@final
class FieldError:
    """One problem with one field; message never contains the rejected value."""

    @property
    def path(self) -> str: ...
    @property
    def code(self) -> str: ...
    @property
    def message(self) -> str: ...
    def to_dict(self) -> dict[str, Any]: ...
    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> Self: ...

@final
class Name:
    @property
    def first_name(self) -> str: ...
    @property
    def middle_name(self) -> Optional[str]: ...
    @property
    def last_name(self) -> str: ...
    def to_dict(self) -> dict[str, Any]: ...
    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> Self: ...

@final
class Address:
    @property
    def street_address(self) -> str: ...
    @property
    def street_address2(self) -> Optional[str]: ...
    @property
    def city(self) -> str: ...
    @property
    def postal_code(self) -> str: ...
    @property
    def state(self) -> Optional[str]: ...
    @property
    def country(self) -> str: ...
    def to_dict(self) -> dict[str, Any]: ...
    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> Self: ...

@final
class InvestmentProfile:
    @property
    def employment_status(self) -> EmploymentStatus: ...
    @property
    def income(self) -> AnnualIncome: ...
    @property
    def net_worth(self) -> NetWorth: ...
    @property
    def occupation(self) -> Optional[str]: ...
    @property
    def bd_association(self) -> Optional[str]: ...
    @property
    def director_policy_maker_of_company(self) -> Optional[str]: ...
    def to_dict(self) -> dict[str, Any]: ...
    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> Self: ...

@final
class AgreementConsent:
    @property
    def version(self) -> str: ...
    @property
    def timestamp(self) -> str: ...
    def to_dict(self) -> dict[str, Any]: ...
    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> Self: ...

@final
class Document:
    @property
    def id(self) -> str: ...
    @property
    def document_type(self) -> DocumentType: ...
    @property
    def status(self) -> DocumentStatus: ...
    @property
    def exception_reason(self) -> Optional[str]: ...
    @property
    def name(self) -> Optional[str]: ...
    def to_dict(self) -> dict[str, Any]: ...
    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> Self: ...

@final
class Application:
    """An application as the server returns it. repr shows id and status only."""

    @property
    def id(self) -> str: ...
    @property
    def status(self) -> ApplicationStatus: ...
    @property
    def time_created(self) -> Optional[str]: ...
    @property
    def updated_at(self) -> Optional[str]: ...
    @property
    def name(self) -> Optional[Name]: ...
    @property
    def email(self) -> Optional[str]: ...
    @property
    def phone_number(self) -> Optional[str]: ...
    @property
    def date_of_birth(self) -> Optional[str]: ...
    @property
    def investment_profile(self) -> Optional[InvestmentProfile]: ...
    @property
    def agreement_consent(self) -> Optional[AgreementConsent]: ...
    @property
    def address(self) -> Optional[Address]: ...
    @property
    def citizenship_country(self) -> Optional[str]: ...
    @property
    def customer_id(self) -> Optional[str]: ...
    @property
    def documents(self) -> list[Document]: ...
    @property
    def exception_reasons(self) -> list[str]: ...
    @property
    def id_verification_documents_needed(self) -> bool: ...
    @property
    def identification_number_verification_document_needed(self) -> bool: ...
    @property
    def address_verification_document_needed(self) -> bool: ...
    def to_dict(self) -> dict[str, Any]: ...
    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> Self: ...

@final
class AgreementDocument:
    @property
    def title(self) -> str: ...
    @property
    def pdf_download_url(self) -> str: ...
    @property
    def agreement_type(self) -> AgreementType: ...
    @property
    def category(self) -> AgreementCategory: ...
    def to_dict(self) -> dict[str, Any]: ...
    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> Self: ...

@final
class Agreements:
    @property
    def version(self) -> str: ...
    @property
    def release_date(self) -> str: ...
    @property
    def documents(self) -> list[AgreementDocument]: ...
    def to_dict(self) -> dict[str, Any]: ...
    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> Self: ...

@final
class UploadedDocument:
    @property
    def success(self) -> bool: ...
    @property
    def document_id(self) -> str: ...
    def to_dict(self) -> dict[str, Any]: ...
    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> Self: ...

@final
class DocumentRequirement:
    """One document still needed: any one of `one_of` satisfies it."""

    @property
    def flag(self) -> DocumentFlag: ...
    @property
    def one_of(self) -> list[DocumentType]: ...
    def to_dict(self) -> dict[str, Any]: ...
    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> Self: ...

@final
class NextAction:
    """The next step. Attributes of other kinds are [] or None."""

    @property
    def kind(self) -> NextActionKind: ...
    @property
    def requirements(self) -> list[DocumentRequirement]: ...
    @property
    def reason(self) -> Optional[WaitReason]: ...
    @property
    def customer_id(self) -> Optional[str]: ...
    @property
    def status(self) -> Optional[str]: ...
    def to_dict(self) -> dict[str, Any]: ...
    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> Self: ...

@final
class SandboxScenario:
    @property
    def status_after_apply(self) -> ApplicationStatus: ...
    @property
    def id_verification_documents_needed(self) -> bool: ...
    @property
    def identification_number_document_needed(self) -> bool: ...
    @property
    def address_verification_document_needed(self) -> bool: ...
    @property
    def status_after_documents(self) -> Optional[ApplicationStatus]: ...
    def to_dict(self) -> dict[str, Any]: ...
    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> Self: ...
