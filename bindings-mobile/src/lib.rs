//! The uniffi binding of `jiko-onboarding` for Kotlin (package `jiko.onboarding`) and
//! Swift (module `JikoOnboarding`).
//!
//! Logic lives once, in the core, and so do the models: the core's records and enums
//! carry uniffi derives behind its `uniffi` feature (Kotlin package
//! `jiko.onboarding.core`, the same Swift module). This crate adds what cannot be a
//! derive on a core type: the functions, the objects that hold secrets (client, signer,
//! session, prepared requests, the authenticator) or state (flows), and the one error
//! type (`JikoException` / `JikoError`) with the core's stable codes.

mod client;
mod dates;
mod error;
mod flow;
mod policies;

use std::sync::Arc;

use jiko_onboarding as core;
use jiko_onboarding::{
    Accounts, Agreements, Application, CreateApplicationRequest, Customer, DocumentRequirement,
    DocumentType, Environment, Events, FieldError, NextAction, Portals, SandboxScenario,
    Subscription, UploadedDocument, WebhookEvent,
};

pub use client::{Client, HttpHeader, PreparedRequest, Session, Signer};
pub use error::JikoError;
pub use flow::{Authenticator, FlowResult, OnboardingFlow, Outcome, Step, Transmit};
pub use policies::{
    backoff_ms, default_flow_config, flow_config_from_json, poll_delay_ms, poll_policy_from_json,
    retry_after_ms, retry_decision, retry_policy_from_json,
};

uniffi::setup_scaffolding!("jiko_onboarding");

/// The version of this SDK.
#[uniffi::export]
pub fn version() -> String {
    core::version().to_owned()
}

/// A fresh random idempotency key: a lower-case UUID v4.
#[uniffi::export]
pub fn new_idempotency_key() -> Result<String, JikoError> {
    Ok(core::new_idempotency_key()?)
}

/// Every problem with a Create Application body, at once (empty when valid). `today`
/// is `YYYY-MM-DD`; the current UTC date when absent.
#[uniffi::export(default(today = None))]
pub fn validate_application(
    application: CreateApplicationRequest,
    today: Option<String>,
) -> Result<Vec<FieldError>, JikoError> {
    let today = dates::today_or_utc(today)?;
    Ok(core::validate_application(&application, today))
}

/// Like `validateApplication`, for the JSON text of the body with the API's field
/// names: also reports missing objects, wrong JSON types and unknown fields, and text
/// that is not JSON (one `invalid_json` error).
#[uniffi::export(default(today = None))]
pub fn validate_application_json(
    application_json: String,
    today: Option<String>,
) -> Result<Vec<FieldError>, JikoError> {
    let today = dates::today_or_utc(today)?;
    Ok(core::validate_application_json(
        application_json.as_bytes(),
        today,
    ))
}

/// Decodes the JSON text of a Create Application body into the typed record (for a
/// saved draft, say). Unknown fields are ignored here; `validateApplicationJson`
/// reports them.
#[uniffi::export]
pub fn create_application_request_from_json(
    json: String,
) -> Result<CreateApplicationRequest, JikoError> {
    serde_json::from_str::<CreateApplicationRequest>(&json).map_err(|_| {
        JikoError::invalid_argument(
            "invalid_json",
            "the text is not a Create Application body with the expected fields and \
                 types; validateApplicationJson lists every problem",
        )
    })
}

/// The compact JSON the client sends for this body (API field names).
#[uniffi::export]
pub fn create_application_request_to_json(
    application: CreateApplicationRequest,
) -> Result<String, JikoError> {
    to_json(&application)
}

/// Parses the answer to Login. A non-2xx status throws an API error; `retryAfter` is
/// the `Retry-After` header, when there was one.
#[uniffi::export(default(retry_after = None))]
pub fn parse_login(
    status: i32,
    body: Vec<u8>,
    retry_after: Option<String>,
) -> Result<Arc<Session>, JikoError> {
    let status = http_status(status)?;
    let session = core::parse_login(status, &body).map_err(|e| with_retry(e, retry_after))?;
    Ok(Session::new(session))
}

/// Parses the answer to List Agreements.
#[uniffi::export(default(retry_after = None))]
pub fn parse_agreements(
    status: i32,
    body: Vec<u8>,
    retry_after: Option<String>,
) -> Result<Agreements, JikoError> {
    let status = http_status(status)?;
    let agreements =
        core::parse_agreements(status, &body).map_err(|e| with_retry(e, retry_after))?;
    Ok(agreements)
}

/// Parses the answer to Create Application, Get Application or Apply.
#[uniffi::export(default(retry_after = None))]
pub fn parse_application(
    status: i32,
    body: Vec<u8>,
    retry_after: Option<String>,
) -> Result<Application, JikoError> {
    let status = http_status(status)?;
    let application =
        core::parse_application(status, &body).map_err(|e| with_retry(e, retry_after))?;
    Ok(application)
}

/// Parses the answer to Upload Document.
#[uniffi::export(default(retry_after = None))]
pub fn parse_upload(
    status: i32,
    body: Vec<u8>,
    retry_after: Option<String>,
) -> Result<UploadedDocument, JikoError> {
    let status = http_status(status)?;
    let uploaded = core::parse_upload(status, &body).map_err(|e| with_retry(e, retry_after))?;
    Ok(uploaded)
}

/// Parses the answer to Get Customer.
#[uniffi::export(default(retry_after = None))]
pub fn parse_customer(
    status: i32,
    body: Vec<u8>,
    retry_after: Option<String>,
) -> Result<Customer, JikoError> {
    let status = http_status(status)?;
    core::parse_customer(status, &body).map_err(|e| with_retry(e, retry_after))
}

/// Parses the answer to List Customer Accounts.
#[uniffi::export(default(retry_after = None))]
pub fn parse_accounts(
    status: i32,
    body: Vec<u8>,
    retry_after: Option<String>,
) -> Result<Accounts, JikoError> {
    let status = http_status(status)?;
    core::parse_accounts(status, &body).map_err(|e| with_retry(e, retry_after))
}

/// Parses the answer to List Portals. Routing and account numbers are strings (leading
/// zeros matter) and are never in `toString()` / `description`.
#[uniffi::export(default(retry_after = None))]
pub fn parse_portals(
    status: i32,
    body: Vec<u8>,
    retry_after: Option<String>,
) -> Result<Portals, JikoError> {
    let status = http_status(status)?;
    core::parse_portals(status, &body).map_err(|e| with_retry(e, retry_after))
}

/// Parses the answer to Create Subscription.
#[uniffi::export(default(retry_after = None))]
pub fn parse_subscription(
    status: i32,
    body: Vec<u8>,
    retry_after: Option<String>,
) -> Result<Subscription, JikoError> {
    let status = http_status(status)?;
    core::parse_subscription(status, &body).map_err(|e| with_retry(e, retry_after))
}

/// Parses a page of List Events.
#[uniffi::export(default(retry_after = None))]
pub fn parse_events(
    status: i32,
    body: Vec<u8>,
    retry_after: Option<String>,
) -> Result<Events, JikoError> {
    let status = http_status(status)?;
    core::parse_events(status, &body).map_err(|e| with_retry(e, retry_after))
}

/// Checks a webhook delivery's `x-jiko-signature` against each secret (several during a
/// rotation), in constant time, over the body exactly as received, then reads the event.
/// Throws a webhook error: `missing_signature`, `bad_signature` or `malformed`. The event
/// is a hint: answer it with the flow's `notify`, never by trusting its content.
#[uniffi::export]
pub fn verify_webhook(
    headers: Vec<HttpHeader>,
    raw_body: Vec<u8>,
    secrets: Vec<String>,
) -> Result<WebhookEvent, JikoError> {
    let headers: Vec<(String, String)> = headers.into_iter().map(|h| (h.name, h.value)).collect();
    Ok(core::verify_webhook(&headers, &raw_body, &secrets)?)
}

/// The `x-jiko-signature` Jiko sends with a delivery of `raw_body` (for tests and local
/// servers).
#[uniffi::export]
pub fn webhook_signature(shared_secret: String, raw_body: Vec<u8>) -> String {
    core::webhook_signature(shared_secret.as_bytes(), &raw_body)
}

/// `text` with all but its last four characters replaced by `*`: how to show a routing
/// or account number to the person it belongs to (never in logs).
#[uniffi::export]
pub fn mask_number(text: String) -> String {
    core::mask_number(&text)
}

/// The environment named `sandbox` or `production` (for configuration files); anything
/// else is an `invalid_environment` error.
#[uniffi::export]
pub fn parse_environment(name: String) -> Result<Environment, JikoError> {
    Ok(Environment::parse(&name)?)
}

/// `<type>FromWire(value)`: the value of an open enum for a wire spelling; spellings
/// this SDK does not know become `Unknown`. (Kotlin's `Unknown("ID_FRONT")` stays
/// unknown: build known values from their names or with these.)
macro_rules! from_wire {
    ($($ty:ident => $name:ident),+ $(,)?) => {$(
        /// The value for a wire spelling; unknown spellings become `Unknown`.
        #[uniffi::export]
        pub fn $name(value: String) -> core::$ty {
            core::$ty::parse(&value)
        }
    )+};
}

from_wire!(
    ApplicationStatus => application_status_from_wire,
    IdentificationType => identification_type_from_wire,
    EmploymentStatus => employment_status_from_wire,
    AnnualIncome => annual_income_from_wire,
    NetWorth => net_worth_from_wire,
    DocumentType => document_type_from_wire,
    DocumentStatus => document_status_from_wire,
    AgreementType => agreement_type_from_wire,
    AgreementCategory => agreement_category_from_wire,
    CustomerAccountStatus => customer_account_status_from_wire,
    CustomerType => customer_type_from_wire,
    AccountStatus => account_status_from_wire,
    PortalStatus => portal_status_from_wire,
    EventType => event_type_from_wire,
    SubscriptionStatus => subscription_status_from_wire,
);

/// The application encoded as the server's JSON (nested date of birth, API names).
#[uniffi::export]
pub fn application_to_json(application: Application) -> Result<String, JikoError> {
    to_json(&application)
}

/// The agreement bundle encoded as the server's JSON.
#[uniffi::export]
pub fn agreements_to_json(agreements: Agreements) -> Result<String, JikoError> {
    to_json(&agreements)
}

/// The upload answer encoded as the server's JSON.
#[uniffi::export]
pub fn uploaded_document_to_json(uploaded: UploadedDocument) -> Result<String, JikoError> {
    to_json(&uploaded)
}

/// The next action encoded as tagged JSON: `{"kind": "wait", "reason": "manual_review"}`.
#[uniffi::export]
pub fn next_action_to_json(action: NextAction) -> Result<String, JikoError> {
    to_json(&action)
}

/// One requirement per document the user still has to provide.
#[uniffi::export]
pub fn required_documents(application: Application) -> Vec<DocumentRequirement> {
    core::required_documents(&application)
}

/// What to do next with this application.
#[uniffi::export]
pub fn next_action(application: Application) -> NextAction {
    core::next_action(&application)
}

/// What the sandbox does with this identification number, per the onboarding guide.
#[uniffi::export]
pub fn sandbox_scenario(identification_number: String) -> SandboxScenario {
    core::sandbox_scenario(&identification_number)
}

/// Checks an upload before anything is built: not empty, within the size limit of its
/// type, a well-formed content type, and bytes matching it (PNG, JPEG, PDF). Throws a
/// document error (`empty`, `too_large`, `wrong_type`).
#[uniffi::export]
pub fn check_upload(
    document_type: DocumentType,
    content_type: String,
    bytes: Vec<u8>,
) -> Result<(), JikoError> {
    core::check_upload(&document_type, &content_type, &bytes)?;
    Ok(())
}

/// Encodes a core model as compact JSON.
fn to_json<T: serde::Serialize>(value: &T) -> Result<String, JikoError> {
    serde_json::to_string(value).map_err(|_| {
        JikoError::invalid_argument("encoding_failed", "the value could not be encoded as JSON")
    })
}

/// Kotlin and Swift hand statuses over as `Int`.
pub(crate) fn http_status(status: i32) -> Result<u16, JikoError> {
    u16::try_from(status).map_err(|_| {
        JikoError::invalid_argument("invalid_status", "an HTTP status is between 0 and 65535")
    })
}

fn with_retry(error: core::Error, retry_after: Option<String>) -> JikoError {
    match retry_after {
        Some(value) => error.with_retry_after(&value).into(),
        None => error.into(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use jiko_onboarding::{ApiErrorKind, ApplicationStatus, TransportErrorKind};

    const APP: &str = r#"{"id": "0b7b1c9e-3c1a-4f0e-9a57-2f4f1d6d2a10", "status": "DOCUMENTS_NEEDED",
        "name": {"first_name": "Jiko", "last_name": "Customer"}, "email": "jiko@example.com",
        "date_of_birth": {"date_of_birth": "1970-01-01"},
        "documents": [{"id": "d1", "type": "ID_FRONT", "status": "PENDING_REVIEW"},
                      {"id": "d2", "type": "NEW_KIND", "status": "LOST"}],
        "id_verification_documents_needed": true,
        "identification_number_verification_document_needed": false,
        "address_verification_document_needed": true}"#;

    #[test]
    fn application_round_trips_through_the_core_model() {
        let parsed = parse_application(200, APP.as_bytes().to_vec(), None).unwrap();
        assert_eq!(
            parsed.documents[1].document_type,
            DocumentType::Unknown("NEW_KIND".into())
        );
        let json = application_to_json(parsed.clone()).unwrap();
        assert!(json.contains(r#""date_of_birth":{"date_of_birth":"1970-01-01"}"#));
        assert_eq!(next_action(parsed).kind(), "upload_documents");
    }

    #[test]
    fn personal_data_stays_out_of_debug() {
        let parsed = parse_application(200, APP.as_bytes().to_vec(), None).unwrap();
        let text = format!("{parsed:?}");
        assert!(!text.contains("Jiko"), "{text}");
        assert!(!text.contains("1970"), "{text}");
        assert!(!text.contains("example.com"), "{text}");
        let header = HttpHeader {
            name: "Authorization".into(),
            value: "Bearer secret-token".into(),
        };
        assert!(!header.to_string().contains("secret-token"));
    }

    #[test]
    fn wire_spellings_come_from_the_core() {
        assert_eq!(
            application_status_from_wire("APPROVED".into()),
            ApplicationStatus::Approved
        );
        assert_eq!(
            application_status_from_wire("ON_HOLD".into()),
            ApplicationStatus::Unknown("ON_HOLD".into())
        );
        assert_eq!(DocumentType::IdFront.wire_value(), "ID_FRONT");
    }

    #[test]
    fn errors_keep_code_status_kind_and_retry_after() {
        let err = parse_upload(429, Vec::new(), Some("30".into())).unwrap_err();
        match err {
            JikoError::ApiError {
                code,
                status,
                kind,
                retry_after_seconds,
                ..
            } => {
                assert_eq!(code, "api_rate_limited");
                assert_eq!(status, 429);
                assert_eq!(kind, ApiErrorKind::RateLimited);
                assert_eq!(retry_after_seconds, Some(30));
            }
            other => panic!("unexpected {other:?}"),
        }
        assert_eq!(
            parse_upload(-1, Vec::new(), None).unwrap_err().code(),
            "invalid_status"
        );
        let not_json = validate_application_json("{".into(), None).unwrap();
        assert_eq!(not_json.len(), 1);
        assert_eq!(not_json[0].code, "invalid_json");
    }

    #[test]
    fn a_flow_refuses_an_answer_for_another_attempt() {
        let client = Client::new(
            jiko_onboarding::ClientConfig::BaseUrl("http://127.0.0.1:8080".into()),
            "sandbox-signing-secret".into(),
        )
        .unwrap();
        let auth = Authenticator::new("sandbox-user".into(), "sandbox-password".into()).unwrap();
        let body = r#"{"identification_number": "412345678", "name": {"first_name": "A", "last_name": "B"},
            "email": "a@example.com", "phone_number": "+14155550100", "date_of_birth": "1980-01-01",
            "investment_profile": {"employment_status": "RETIRED", "income": "BELOW_50K", "net_worth": "BELOW_50K"},
            "agreement_consent": {"version": "1.0.0", "timestamp": "2026-01-01T00:00:00+00:00"},
            "address": {"street_address": "1 Main", "city": "X", "postal_code": "94701", "state": "CA", "country": "US"}}"#;
        let flow = OnboardingFlow::start_json(
            client,
            default_flow_config(),
            body.into(),
            Some("2026-12-01".into()),
            1_000,
        )
        .unwrap();
        assert_eq!(flow.result().state, jiko_onboarding::FlowState::Waiting);
        let Step::Send { transmit } = flow.poll(1_000, auth.clone()) else {
            panic!("the first step is the login")
        };
        assert_eq!(transmit.operation, jiko_onboarding::Operation::Login);
        let again = flow.poll(1_000, auth.clone());
        assert_eq!(
            again,
            Step::Send {
                transmit: transmit.clone()
            }
        );
        let err = flow
            .handle_transport_error(transmit.attempt + 1, TransportErrorKind::Reset, 1_000, auth)
            .unwrap_err();
        assert_eq!(err.code(), "unknown_attempt");
    }
}
