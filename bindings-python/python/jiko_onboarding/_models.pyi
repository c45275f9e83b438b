# Type stubs of the records (_models.py). At run time a record's attributes come from
# the core model's own serde form; these stubs type them, and tests/test_records.py
# checks every record the core sends against them (each field the core writes is
# declared here, with its optionality, and nothing else).
#
# Enum-like values are plain `str` at run time; the aliases list the values this
# version knows, and a newer server's value is passed through unchanged.
import sys
from typing import Any, ClassVar, Final, Mapping, Optional, final

from jiko_onboarding._native import (
    AccountStatus,
    AgreementCategory,
    AgreementType,
    AnnualIncome,
    ApplicationStatus,
    CustomerAccountStatus,
    CustomerType,
    DocumentFlag,
    DocumentStatus,
    DocumentType,
    EmploymentStatus,
    EventType,
    NetWorth,
    NextActionKind,
    PortalStatus,
    SubscriptionStatus,
    WaitReason,
)

if sys.version_info >= (3, 11):
    from typing import Self
else:
    from typing_extensions import Self

RECORDS: Final[dict[str, type[Record]]]

class Record:
    """A core model, read-only; compares by value; repr is the core's redacted Debug."""

    __hash__: ClassVar[None]  # type: ignore[assignment]
    def __init__(self, *args: object, **kwargs: object) -> None:
        """Not constructible: records come from the SDK's parsers, or from_dict."""
    @classmethod
    def from_dict(cls, data: Mapping[str, Any]) -> Self:
        """The record for a wire-form dict, decoded by the core (InvalidArgumentError
        with code invalid_model if it is not one)."""
    def to_dict(self) -> dict[str, Any]:
        """The wire form, with the API's field names (absent optional fields left out)."""
    def __eq__(self, other: object) -> bool: ...

# --- Onboarding ----------------------------------------------------------------------

@final
class FieldError(Record):
    path: Final[str]
    code: Final[str]
    message: Final[str]

@final
class Name(Record):
    first_name: Final[str]
    middle_name: Final[Optional[str]]
    last_name: Final[str]

@final
class Address(Record):
    street_address: Final[str]
    street_address2: Final[Optional[str]]
    city: Final[str]
    postal_code: Final[str]
    state: Final[Optional[str]]
    country: Final[str]

@final
class InvestmentProfile(Record):
    employment_status: Final[EmploymentStatus]
    income: Final[AnnualIncome]
    net_worth: Final[NetWorth]
    occupation: Final[Optional[str]]
    bd_association: Final[Optional[str]]
    director_policy_maker_of_company: Final[Optional[str]]

@final
class AgreementConsent(Record):
    version: Final[str]
    timestamp: Final[str]

@final
class DateOfBirth(Record):
    date_of_birth: Final[str]

@final
class Document(Record):
    id: Final[str]
    type: Final[DocumentType]
    status: Final[DocumentStatus]
    exception_reason: Final[Optional[str]]
    name: Final[Optional[str]]

@final
class Application(Record):
    id: Final[str]
    status: Final[ApplicationStatus]
    time_created: Final[Optional[str]]
    updated_at: Final[Optional[str]]
    name: Final[Optional[Name]]
    email: Final[Optional[str]]
    phone_number: Final[Optional[str]]
    date_of_birth: Final[Optional[DateOfBirth]]
    investment_profile: Final[Optional[InvestmentProfile]]
    agreement_consent: Final[Optional[AgreementConsent]]
    address: Final[Optional[Address]]
    citizenship_country: Final[Optional[str]]
    customer_id: Final[Optional[str]]
    documents: Final[list[Document]]
    exception_reasons: Final[list[str]]
    id_verification_documents_needed: Final[bool]
    identification_number_verification_document_needed: Final[bool]
    address_verification_document_needed: Final[bool]

@final
class AgreementDocument(Record):
    title: Final[str]
    pdf_download_url: Final[str]
    type: Final[AgreementType]
    category: Final[AgreementCategory]

@final
class Agreements(Record):
    version: Final[str]
    release_date: Final[str]
    documents: Final[list[AgreementDocument]]

@final
class UploadedDocument(Record):
    success: Final[bool]
    document_id: Final[str]

@final
class DocumentRequirement(Record):
    flag: Final[DocumentFlag]
    one_of: Final[list[DocumentType]]

@final
class NextAction(Record):
    kind: Final[NextActionKind]
    @property
    def requirements(self) -> list[DocumentRequirement]: ...
    @property
    def reason(self) -> Optional[WaitReason]: ...
    @property
    def customer_id(self) -> Optional[str]: ...
    @property
    def status(self) -> Optional[str]: ...

@final
class SandboxScenario(Record):
    status_after_apply: Final[ApplicationStatus]
    id_verification_documents_needed: Final[bool]
    identification_number_document_needed: Final[bool]
    address_verification_document_needed: Final[bool]
    status_after_documents: Final[Optional[ApplicationStatus]]

# --- After approval ------------------------------------------------------------------

@final
class Customer(Record):
    type: Final[CustomerType]
    account_status: Final[CustomerAccountStatus]
    name: Final[Optional[Name]]
    email: Final[Optional[str]]
    phone_number: Final[Optional[str]]
    date_of_birth: Final[Optional[str]]
    address: Final[Optional[GeneralAddress]]

@final
class GeneralAddress(Record):
    street_address: Final[str]
    street_address2: Final[Optional[str]]
    city: Final[str]
    postal_code: Final[str]
    state: Final[Optional[str]]
    country: Final[str]

@final
class Amount(Record):
    value: Final[int]
    currency: Final[str]
    formatted: Final[str]

@final
class Account(Record):
    id: Final[str]
    name: Final[str]
    total_value: Final[Optional[Amount]]
    status: Final[AccountStatus]

@final
class Accounts(Record):
    offset: Final[int]
    count: Final[int]
    items: Final[list[Account]]

@final
class Portal(Record):
    id: Final[str]
    jiko_account_id: Final[str]
    routing_number: Final[str]
    account_number: Final[str]
    status: Final[PortalStatus]
    name: Final[str]

@final
class Portals(Record):
    count: Final[int]
    portals: Final[list[Portal]]

# --- Subscriptions and events --------------------------------------------------------

@final
class Subscription(Record):
    id: Final[str]
    url: Final[str]
    events: Final[list[EventType]]
    description: Final[str]
    status: Final[SubscriptionStatus]
    time_created: Final[Optional[str]]
    updated_at: Final[Optional[str]]

@final
class EventPayload(Record):
    application_id: Final[Optional[str]]
    jiko_account_id: Final[Optional[str]]

@final
class WebhookEvent(Record):
    event_id: Final[str]
    event_type: Final[EventType]
    timestamp: Final[str]
    payload: Final[EventPayload]
    @property
    def application_id(self) -> Optional[str]: ...

@final
class DeliveryAttempt(Record):
    delivery_attempt_id: Final[str]
    subscription_id: Final[str]
    success: Final[bool]
    response_code: Final[int]
    response_message: Final[Optional[str]]
    called_at: Final[str]

@final
class PartnerEvent(Record):
    event: Final[WebhookEvent]
    delivery_attempts: Final[list[DeliveryAttempt]]

@final
class Events(Record):
    items: Final[list[PartnerEvent]]
    next_page: Final[Optional[str]]
    prev_page: Final[Optional[str]]

# --- Flows ---------------------------------------------------------------------------

@final
class ApprovedCustomer(Record):
    customer_id: Final[str]
    accounts: Final[list[ApprovedAccount]]

@final
class ApprovedAccount(Record):
    account_id: Final[str]
    portals: Final[list[PortalDetails]]

@final
class PortalDetails(Record):
    portal_id: Final[str]
    routing_number: Final[str]
    account_number: Final[str]
    status: Final[PortalStatus]

@final
class FlowConfig(Record):
    check_consent_version: Final[bool]
    webhooks: Final[bool]
    retry: Final[RetryPolicy]
    poll: Final[PollPolicy]
    stall_after_ms: Final[int]
    request_timeout_ms: Final[int]
    upload_timeout_ms: Final[int]
    max_requests: Final[int]
    seed: Final[Optional[int]]

@final
class RetryPolicy(Record):
    max_retries: Final[int]
    base_delay_ms: Final[int]
    max_delay_ms: Final[int]
    max_retry_after_ms: Final[int]
    key_max_age_ms: Final[int]
    outage_base_delay_ms: Final[int]
    outage_max_delay_ms: Final[int]
    max_relogins: Final[int]

@final
class PollPolicy(Record):
    fast_initial_ms: Final[int]
    fast_max_ms: Final[int]
    fast_phase_ms: Final[int]
    slow_interval_ms: Final[int]
    manual_review_ms: Final[int]
    manual_review_with_webhooks_ms: Final[int]
