//! The I/O-free core of the Jiko onboarding SDK.
//!
//! It builds, signs and parses the requests of Jiko's Partner API for onboarding
//! individuals, and decides what to do next with an application, but never opens a
//! socket, reads a clock or starts a thread: the host sends the prepared bytes with its
//! own HTTP client and passes "today" and "now" in. The same core runs natively, in
//! WebAssembly, in Python and on mobile.
//!
//! ```
//! use jiko_onboarding::{next_action, parse_application, CalendarDate, Client, ClientConfig, NextAction};
//!
//! # fn main() -> Result<(), jiko_onboarding::Error> {
//! let client = Client::new(ClientConfig::BaseUrl("http://127.0.0.1:8080".into()), "shared-secret")?;
//! let id = "3f2504e0-4f89-41d3-9a0c-0305e82c3301";
//! let request = client.get_application("token-from-login", id, None)?;
//! assert_eq!(request.path, "/api/v1/applications/3f2504e0-4f89-41d3-9a0c-0305e82c3301/");
//!
//! // Send request.method, request.url, request.headers and request.body with any
//! // HTTP client, then parse what came back:
//! let body = br#"{"id": "3f2504e0-4f89-41d3-9a0c-0305e82c3301", "status": "DOCUMENTS_NEEDED",
//!   "id_verification_documents_needed": false,
//!   "identification_number_verification_document_needed": false,
//!   "address_verification_document_needed": true}"#;
//! let application = parse_application(200, body)?;
//! match next_action(&application) {
//!     NextAction::UploadDocuments { requirements } => assert_eq!(requirements.len(), 1),
//!     other => panic!("unexpected {other:?}"),
//! }
//! # let _ = CalendarDate::parse("2026-11-27");
//! # Ok(())
//! # }
//! ```
// uniffi's derives implement its (unsafe) FFI traits; without that feature the crate has
// no unsafe code at all.
#![cfg_attr(not(feature = "uniffi"), forbid(unsafe_code))]
#![warn(missing_docs)]

mod decode;
mod open_enum;
#[cfg(feature = "uniffi")]
mod uniffi_support;

// The Kotlin and Swift types of the core (feature `uniffi`, for bindings-mobile): a
// namespace of its own, since uniffi gives every crate one.
#[cfg(feature = "uniffi")]
uniffi::setup_scaffolding!("jiko_onboarding_core");

#[cfg(feature = "signing")]
pub mod auth;
pub mod customers;
pub mod dates;
pub mod documents;
pub mod error;
pub mod events;
#[cfg(feature = "signing")]
pub mod flow;
#[cfg(feature = "signing")]
pub mod idempotency;
pub mod models;
pub mod onboarding;
pub mod poll;
#[cfg(feature = "signing")]
pub mod requests;
pub mod responses;
pub mod retry;
pub mod sandbox;
pub mod schema;
#[cfg(feature = "signing")]
pub mod secret;
#[cfg(feature = "signing")]
pub mod session;
#[cfg(feature = "signing")]
pub mod signing;
pub mod validation;
#[cfg(feature = "signing")]
pub mod webhook;

#[cfg(feature = "signing")]
pub use auth::{Authenticator, Credential};
pub use customers::{
    mask_number, Account, AccountStatus, Accounts, Amount, Customer, CustomerAccountStatus,
    CustomerType, GeneralAddress, Portal, PortalStatus, Portals,
};
pub use dates::{CalendarDate, Instant};
pub use documents::{check_upload, required_documents, DocumentFlag, DocumentRequirement};
pub use error::{
    ApiError, ApiErrorKind, DocumentError, DocumentErrorCode, Error, FieldError, FlowError,
    FlowErrorCode, TransportErrorKind, ValidationError, WebhookError, WebhookErrorCode,
};
pub use events::{
    DeliveryAttempt, EventPayload, EventType, Events, PartnerEvent, Subscription,
    SubscriptionStatus, WebhookEvent,
};
#[cfg(feature = "signing")]
pub use flow::{
    ApprovedAccount, ApprovedCustomer, FlowConfig, FlowResult, FlowState, FlowWaitReason,
    OnboardingFlow, Operation, Outcome, PortalDetails, Step, Transmit, Wait,
};
#[cfg(feature = "signing")]
pub use idempotency::{is_uuid, new_idempotency_key};
pub use models::{
    Address, AgreementCategory, AgreementConsent, AgreementDocument, AgreementType, Agreements,
    AnnualIncome, Application, ApplicationStatus, CreateApplicationRequest, DateOfBirth, Document,
    DocumentStatus, DocumentType, EmploymentStatus, IdentificationType, InvestmentProfile, Name,
    NetWorth, UploadedDocument,
};
pub use onboarding::{next_action, NextAction, WaitReason};
pub use poll::{poll_delay_ms, PollInput, PollPolicy, PollReason};
#[cfg(feature = "signing")]
pub use requests::{Client, ClientConfig, Environment, Method, PreparedRequest};
#[cfg(feature = "signing")]
pub use responses::parse_login;
pub use responses::{
    api_error, parse_accounts, parse_agreements, parse_application, parse_customer, parse_events,
    parse_portals, parse_subscription, parse_upload,
};
pub use retry::{
    backoff_ms, decide as retry_decision, retry_after_ms, Observed, RequestKind, RetryDecision,
    RetryInput, RetryPolicy, RetryReason,
};
pub use sandbox::{sandbox_scenario, SandboxScenario};
#[cfg(feature = "signing")]
pub use secret::Secret;
#[cfg(feature = "signing")]
pub use session::Session;
#[cfg(feature = "signing")]
pub use signing::Signer;
pub use validation::{validate_application, validate_application_json, validate_application_value};
#[cfg(feature = "signing")]
pub use webhook::{verify_webhook, webhook_signature};

/// The version of this SDK.
pub fn version() -> &'static str {
    env!("CARGO_PKG_VERSION")
}
