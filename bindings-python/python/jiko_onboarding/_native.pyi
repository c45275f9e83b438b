# Type stubs of the compiled module jiko_onboarding._native (src/*.rs).
# `python -m mypy.stubtest jiko_onboarding` checks them against the module.
#
# Enum-like values are plain `str` at runtime and compare equal to their wire strings.
# The aliases below list the values this version of the SDK knows; a newer server may
# send a value that is not listed, which is passed through unchanged as a plain string
# (`next_action` then answers kind "unknown").
import datetime
import sys
from typing import Any, Final, Iterable, Literal, Mapping, Optional, Protocol, Sequence, Union, final

from jiko_onboarding._models import (
    Accounts,
    Agreements,
    Application,
    ApprovedCustomer,
    Customer,
    DocumentRequirement,
    Events,
    FieldError,
    FlowConfig,
    NextAction,
    Portals,
    SandboxScenario,
    Subscription,
    UploadedDocument,
    WebhookEvent,
)
from jiko_onboarding import JikoError
from jiko_onboarding._types import CreateApplicationDict, RetryDecisionDict

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
    "parse_customer",
    "parse_accounts",
    "parse_portals",
    "parse_subscription",
    "parse_events",
    "verify_webhook",
    "webhook_signature",
    "mask_number",
    "retry_decision",
    "retry_after_ms",
    "backoff_ms",
    "poll_delay_ms",
    "Client",
    "Signer",
    "Session",
    "PreparedRequest",
    "Authenticator",
    "OnboardingFlow",
    "Transmit",
    "Wait",
    "NeedDocuments",
    "Done",
    "FlowResult",
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
    "CustomerType",
    "CUSTOMER_TYPES",
    "CustomerAccountStatus",
    "CUSTOMER_ACCOUNT_STATUSES",
    "AccountStatus",
    "ACCOUNT_STATUSES",
    "PortalStatus",
    "PORTAL_STATUSES",
    "EventType",
    "EVENT_TYPES",
    "SubscriptionStatus",
    "SUBSCRIPTION_STATUSES",
    "OperationName",
    "OPERATIONS",
    "FlowWaitReason",
    "FLOW_WAIT_REASONS",
    "RetryReason",
    "RETRY_REASONS",
    "TransportErrorKind",
    "TRANSPORT_ERROR_KINDS",
    "FlowErrorCode",
    "FLOW_ERROR_CODES",
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
CustomerType: TypeAlias = Literal["INDIVIDUAL", "BUSINESS"]
CustomerAccountStatus: TypeAlias = Literal["OPEN", "CLOSED", "FROZEN", "PENDING"]
AccountStatus: TypeAlias = Literal["OPEN", "CLOSED", "FROZEN"]
PortalStatus: TypeAlias = Literal["OPEN", "CLOSED"]
EventType: TypeAlias = Literal[
    "application.approved",
    "application.documents_needed",
    "application.manual_review",
    "application.rejected",
    "card.status.closed",
    "card.status.frozen",
    "card.status.locked",
    "card.status.open",
    "card.transaction.approved",
    "card.transaction.rejected",
    "transfers.ach.out.success",
    "transfers.ach.out.rejected",
    "transfers.ach.in.success",
    "transfers.ach.in.rejected",
    "transfers.wire.out.processing",
    "transfers.wire.out.success",
    "transfers.wire.out.rejected",
    "transfers.on-us.processing",
    "transfers.on-us.success",
    "transfers.on-us.rejected",
]
SubscriptionStatus: TypeAlias = Literal["enabled", "disabled"]
OperationName: TypeAlias = Literal[
    "login",
    "list_agreements",
    "create_application",
    "get_application",
    "apply",
    "upload_document",
    "get_customer",
    "list_customer_accounts",
    "list_portals",
]
FlowWaitReason: TypeAlias = Literal[
    "kyc_in_progress",
    "documents_in_review",
    "manual_review",
    "account_opening",
    "retry",
    "login",
]
RetryReason: TypeAlias = Literal[
    "not_sent",
    "timed_out",
    "reset",
    "request_timeout",
    "rate_limited",
    "server_error",
    "invalid_response",
]
TransportErrorKind: TypeAlias = Literal["not_sent", "timed_out", "reset"]
FlowErrorCode: TypeAlias = Literal[
    "consent_version_outdated",
    "create_outcome_unknown",
    "stalled",
    "application_required",
    "application_mismatch",
    "snapshot_invalid",
    "unknown_attempt",
    "document_not_accepted",
    "unexpected_answer",
]
_FlowState: TypeAlias = Literal["approved", "rejected", "documents_needed", "waiting", "failed"]

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
CUSTOMER_TYPES: Final[tuple[CustomerType, ...]]
CUSTOMER_ACCOUNT_STATUSES: Final[tuple[CustomerAccountStatus, ...]]
ACCOUNT_STATUSES: Final[tuple[AccountStatus, ...]]
PORTAL_STATUSES: Final[tuple[PortalStatus, ...]]
EVENT_TYPES: Final[tuple[EventType, ...]]
SUBSCRIPTION_STATUSES: Final[tuple[SubscriptionStatus, ...]]
OPERATIONS: Final[tuple[OperationName, ...]]
FLOW_WAIT_REASONS: Final[tuple[FlowWaitReason, ...]]
RETRY_REASONS: Final[tuple[RetryReason, ...]]
TRANSPORT_ERROR_KINDS: Final[tuple[TransportErrorKind, ...]]
FLOW_ERROR_CODES: Final[tuple[FlowErrorCode, ...]]

__version__: Final[str]

# Arguments that accept bytes or text (text is sent as UTF-8).
_Body: TypeAlias = Union[bytes, str]
# `today`: a date, an ISO `YYYY-MM-DD` string, or None for today's UTC date.
_Today: TypeAlias = Union[datetime.date, str, None]
# A Create Application body: a dict, or JSON text (`str` or UTF-8 `bytes`) that the core
# parses itself (for a body that is already JSON).
_ApplicationBody: TypeAlias = Union[CreateApplicationDict, str, bytes]
class _ItemsHeaders(Protocol):
    """Anything with `items()`: http.server's and email's messages, httpx.Headers."""

    def items(self) -> Iterable[tuple[str, Any]]: ...

# Headers: a mapping, or (name, value) pairs of str (or bytes, read as Latin-1).
_Headers: TypeAlias = Union[
    Mapping[str, str],
    _ItemsHeaders,
    Iterable[tuple[str, str]],
    Iterable[tuple[bytes, bytes]],
]
# A record's wire form, or the record.
_Application: TypeAlias = Union[Application, Mapping[str, Any]]
_FlowConfig: TypeAlias = Union[FlowConfig, Mapping[str, Any], None]
_Policy: TypeAlias = Optional[Mapping[str, Any]]

def version() -> str:
    """The version of the SDK."""

def new_idempotency_key() -> str:
    """A fresh random idempotency key: a lower-case UUID v4."""

def validate_application(
    application: _ApplicationBody, today: _Today = None
) -> list[FieldError]:
    """Every problem with a Create Application body (a dict or JSON text), at once ([] when
    valid). Text that is not JSON gives one error with code invalid_json."""

def required_documents(application: _Application) -> list[DocumentRequirement]:
    """One requirement per document the applicant still has to provide."""

def next_action(application: _Application) -> NextAction:
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

def parse_customer(status: int, body: _Body, retry_after: Optional[str] = None) -> Customer:
    """Parses the answer to Get Customer."""

def parse_accounts(status: int, body: _Body, retry_after: Optional[str] = None) -> Accounts:
    """Parses the answer to List Customer Accounts."""

def parse_portals(status: int, body: _Body, retry_after: Optional[str] = None) -> Portals:
    """Parses the answer to List Portals: each portal's routing and account numbers."""

def parse_subscription(
    status: int, body: _Body, retry_after: Optional[str] = None
) -> Subscription:
    """Parses the answer to Create (or Get) Subscription."""

def parse_events(status: int, body: _Body, retry_after: Optional[str] = None) -> Events:
    """Parses a page of List Events."""

def verify_webhook(
    headers: _Headers,
    raw_body: _Body,
    secrets: Union[str, bytes, Iterable[Union[str, bytes]]],
) -> WebhookEvent:
    """Checks x-jiko-signature over the raw body with each secret (constant time), then
    reads the event; raises WebhookError (missing_signature, bad_signature, malformed)."""

def webhook_signature(shared_secret: Union[str, bytes], raw_body: _Body) -> str:
    """The x-jiko-signature of a delivery body, as Jiko computes it."""

def mask_number(text: str) -> str:
    """All but the last four characters replaced by `*` (for the number's owner, not logs)."""

def retry_decision(
    observed: Mapping[str, Any],
    kind: Literal["login", "read", "create", "mutation"],
    retries: int,
    key_age_ms: int,
    relogged_in: bool,
    ambiguous_before: bool,
    random: float,
    policy: _Policy = None,
) -> RetryDecisionDict:
    """The core's retry decision for one observed result (the shared vectors' form)."""

def retry_after_ms(header: str, now_ms: int) -> Optional[int]:
    """Milliseconds a Retry-After value asks for at now_ms; None when unreadable."""

def backoff_ms(retry: int, random: float, policy: _Policy = None) -> int:
    """The jittered backoff before retry number `retry` (1 for the first)."""

def poll_delay_ms(
    reason: Literal["kyc_in_progress", "documents_in_review", "manual_review", "account_opening"],
    waited_ms: int,
    reads: int,
    webhooks: bool,
    random: float,
    policy: _Policy = None,
) -> int:
    """The jittered delay before a waiting flow reads its application again."""

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
    def get_customer(
        self, token: Union[str, Session], customer_id: str, idempotency_key: Optional[str] = None
    ) -> PreparedRequest: ...
    def list_customer_accounts(
        self, token: Union[str, Session], customer_id: str, idempotency_key: Optional[str] = None
    ) -> PreparedRequest: ...
    def list_portals(
        self, token: Union[str, Session], account_id: str, idempotency_key: Optional[str] = None
    ) -> PreparedRequest: ...
    def create_subscription(
        self,
        token: Union[str, Session],
        url: str,
        events: Sequence[str],
        shared_secret: str,
        idempotency_key: Optional[str] = None,
    ) -> PreparedRequest: ...
    def list_events(
        self,
        token: Union[str, Session],
        after: Optional[str] = None,
        cursor: Optional[str] = None,
        idempotency_key: Optional[str] = None,
    ) -> PreparedRequest: ...

@final
class Authenticator:
    """One login shared by a partner's flows. repr hides the token and the password."""

    def __new__(cls, username: str, password: Union[str, bytes]) -> Self: ...

@final
class Transmit:
    """Send `request` (no redirects, `timeout_ms`), then answer with `attempt`."""

    @property
    def kind(self) -> Literal["send"]: ...
    @property
    def attempt(self) -> int: ...
    @property
    def operation(self) -> OperationName: ...
    @property
    def path_template(self) -> str: ...
    @property
    def request(self) -> PreparedRequest: ...
    @property
    def timeout_ms(self) -> int: ...

@final
class Wait:
    """Nothing to do before `until_ms` (milliseconds since the epoch), unless notified."""

    @property
    def kind(self) -> Literal["wait"]: ...
    @property
    def until_ms(self) -> int: ...
    @property
    def reason(self) -> FlowWaitReason: ...
    @property
    def retry_reason(self) -> Optional[RetryReason]: ...

@final
class NeedDocuments:
    """Jiko needs documents: one per requirement, with provide_document."""

    @property
    def kind(self) -> Literal["need_documents"]: ...
    @property
    def requirements(self) -> list[DocumentRequirement]: ...

@final
class Done:
    """The journey is over."""

    @property
    def kind(self) -> Literal["done"]: ...
    @property
    def state(self) -> Literal["approved", "rejected", "failed"]: ...
    @property
    def customer(self) -> Optional[ApprovedCustomer]: ...
    @property
    def error(self) -> Optional[JikoError]: ...

@final
class FlowResult:
    """Where a flow stands (what run returns). repr shows no routing or account number."""

    @property
    def state(self) -> _FlowState: ...
    @property
    def application(self) -> Optional[Application]: ...
    @property
    def requirements(self) -> list[DocumentRequirement]: ...
    @property
    def next_check_at(self) -> Optional[str]: ...
    @property
    def next_check_at_ms(self) -> Optional[int]: ...
    @property
    def customer(self) -> Optional[ApprovedCustomer]: ...
    @property
    def error(self) -> Optional[JikoError]: ...

@final
class OnboardingFlow:
    """One applicant's journey as the core's sans-I/O state machine."""

    @staticmethod
    def start(
        client: Client,
        application: _ApplicationBody,
        now_ms: int,
        today: _Today = None,
        config: _FlowConfig = None,
    ) -> OnboardingFlow: ...
    @staticmethod
    def restore(
        client: Client,
        snapshot: str,
        application: Optional[_ApplicationBody] = None,
        today: _Today = None,
        config: _FlowConfig = None,
    ) -> OnboardingFlow: ...
    def poll(
        self, now_ms: int, auth: Authenticator
    ) -> Union[Transmit, Wait, NeedDocuments, Done]: ...
    def handle_response(
        self,
        attempt: int,
        status: int,
        headers: _Headers,
        body: _Body,
        now_ms: int,
        auth: Authenticator,
    ) -> None: ...
    def handle_transport_error(
        self, attempt: int, kind: TransportErrorKind, now_ms: int, auth: Authenticator
    ) -> None: ...
    def provide_document(self, document_type: DocumentType, content_type: str, data: bytes) -> None: ...
    def notify(self, now_ms: int) -> None: ...
    def snapshot(self) -> str: ...
    def result(self, step: Union[Transmit, Wait, NeedDocuments, Done]) -> FlowResult: ...
    @property
    def application_id(self) -> Optional[str]: ...
    @property
    def is_finished(self) -> bool: ...
    @property
    def application(self) -> Optional[Application]: ...

def _record_names() -> list[str]: ...
def _record_from_dict(name: str, data: Any) -> Any: ...
def _record_repr(name: str, record: Any) -> str: ...
def _flow_config(config: _FlowConfig) -> FlowConfig: ...
