//! The uniffi binding of `jiko-onboarding` for Kotlin (package `jiko.onboarding`) and
//! Swift (module `JikoOnboarding`).
//!
//! Logic lives once, in the core: this crate only maps types and errors. Records and
//! enums mirror the core's models (with `From` conversions both ways); the client,
//! signer, session and prepared requests are objects so secrets never sit in a record;
//! every fallible call throws the one error type (`JikoException` / `JikoError`) with
//! the core's stable code and field errors. JSON in and out goes through the core's
//! serde models.

mod client;
mod dates;
mod enums;
mod error;
mod models;

use std::sync::Arc;

use jiko_onboarding as core;

pub use client::{Client, ClientConfig, HttpHeader, PreparedRequest, Session, Signer};
pub use enums::{
    AgreementCategory, AgreementType, AnnualIncome, ApiErrorKind, ApplicationStatus,
    DocumentErrorCode, DocumentFlag, DocumentStatus, DocumentType, EmploymentStatus, Environment,
    IdentificationType, NetWorth, WaitReason,
};
pub use error::{FieldError, JikoError};
pub use models::{
    Address, AgreementConsent, AgreementDocument, Agreements, Application,
    CreateApplicationRequest, Document, DocumentRequirement, InvestmentProfile, Name,
    SandboxScenario, UploadedDocument,
};

uniffi::setup_scaffolding!("jiko_onboarding");

/// The next step for an application.
#[derive(Clone, Debug, PartialEq, Eq, uniffi::Enum)]
#[uniffi::export(Debug)]
pub enum NextAction {
    /// CREATED or PENDING: call Apply.
    Apply,
    /// DOCUMENTS_NEEDED: upload one document per requirement, then apply again once
    /// the status is PENDING.
    UploadDocuments {
        /// What is still missing.
        requirements: Vec<DocumentRequirement>,
    },
    /// KYC or a review is in progress: poll Get Application or wait for a webhook.
    Wait {
        /// Why.
        reason: WaitReason,
    },
    /// APPROVED: the customer exists.
    Approved {
        /// The customer's id, when the server sent it.
        customer_id: Option<String>,
    },
    /// REJECTED: final.
    Rejected,
    /// A status this SDK does not know.
    Unknown {
        /// The status as the server sent it.
        status: String,
    },
}

impl From<core::NextAction> for NextAction {
    fn from(a: core::NextAction) -> Self {
        match a {
            core::NextAction::Apply => NextAction::Apply,
            core::NextAction::UploadDocuments { requirements } => NextAction::UploadDocuments {
                requirements: requirements.into_iter().map(Into::into).collect(),
            },
            core::NextAction::Wait { reason } => NextAction::Wait {
                reason: reason.into(),
            },
            core::NextAction::Approved { customer_id } => NextAction::Approved { customer_id },
            core::NextAction::Rejected => NextAction::Rejected,
            core::NextAction::Unknown { status } => NextAction::Unknown { status },
        }
    }
}

impl From<NextAction> for core::NextAction {
    fn from(a: NextAction) -> Self {
        match a {
            NextAction::Apply => core::NextAction::Apply,
            NextAction::UploadDocuments { requirements } => core::NextAction::UploadDocuments {
                requirements: requirements
                    .into_iter()
                    .map(|r| core::DocumentRequirement {
                        flag: r.flag.into(),
                        one_of: r.one_of.into_iter().map(Into::into).collect(),
                    })
                    .collect(),
            },
            NextAction::Wait { reason } => core::NextAction::Wait {
                reason: reason.into(),
            },
            NextAction::Approved { customer_id } => core::NextAction::Approved { customer_id },
            NextAction::Rejected => core::NextAction::Rejected,
            NextAction::Unknown { status } => core::NextAction::Unknown { status },
        }
    }
}

#[uniffi::export]
impl NextAction {
    /// The stable name: `apply`, `upload_documents`, `wait`, `approved`, `rejected` or
    /// `unknown`.
    pub fn kind(&self) -> String {
        core::NextAction::from(self.clone()).kind().to_owned()
    }
}

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
    let application = core::CreateApplicationRequest::from(application);
    Ok(field_errors(core::validate_application(
        &application,
        today,
    )))
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
    Ok(field_errors(core::validate_application_json(
        application_json.as_bytes(),
        today,
    )))
}

/// Decodes the JSON text of a Create Application body into the typed record (for a
/// saved draft, say). Unknown fields are ignored here; `validateApplicationJson`
/// reports them.
#[uniffi::export]
pub fn create_application_request_from_json(
    json: String,
) -> Result<CreateApplicationRequest, JikoError> {
    serde_json::from_str::<core::CreateApplicationRequest>(&json)
        .map(Into::into)
        .map_err(|_| {
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
    models::to_json(&core::CreateApplicationRequest::from(application))
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
    Ok(agreements.into())
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
    Ok(application.into())
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
    Ok(uploaded.into())
}

/// The application encoded as the server's JSON (nested date of birth, API names).
#[uniffi::export]
pub fn application_to_json(application: Application) -> Result<String, JikoError> {
    models::to_json(&core::Application::from(application))
}

/// The agreement bundle encoded as the server's JSON.
#[uniffi::export]
pub fn agreements_to_json(agreements: Agreements) -> Result<String, JikoError> {
    models::to_json(&core::Agreements::from(agreements))
}

/// The upload answer encoded as the server's JSON.
#[uniffi::export]
pub fn uploaded_document_to_json(uploaded: UploadedDocument) -> Result<String, JikoError> {
    models::to_json(&core::UploadedDocument::from(uploaded))
}

/// The next action encoded as tagged JSON: `{"kind": "wait", "reason": "manual_review"}`.
#[uniffi::export]
pub fn next_action_to_json(action: NextAction) -> Result<String, JikoError> {
    models::to_json(&core::NextAction::from(action))
}

/// One requirement per document the user still has to provide.
#[uniffi::export]
pub fn required_documents(application: Application) -> Vec<DocumentRequirement> {
    core::required_documents(&core::Application::from(application))
        .into_iter()
        .map(Into::into)
        .collect()
}

/// What to do next with this application.
#[uniffi::export]
pub fn next_action(application: Application) -> NextAction {
    core::next_action(&core::Application::from(application)).into()
}

/// What the sandbox does with this identification number, per the onboarding guide.
#[uniffi::export]
pub fn sandbox_scenario(identification_number: String) -> SandboxScenario {
    core::sandbox_scenario(&identification_number).into()
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
    core::check_upload(&document_type.into(), &content_type, &bytes)?;
    Ok(())
}

fn field_errors(errors: Vec<core::FieldError>) -> Vec<FieldError> {
    errors.into_iter().map(Into::into).collect()
}

/// Kotlin and Swift hand statuses over as `Int`.
fn http_status(status: i32) -> Result<u16, JikoError> {
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
    use crate::enums::application_status_from_wire;

    const APP: &str = r#"{"id": "0b7b1c9e-3c1a-4f0e-9a57-2f4f1d6d2a10", "status": "DOCUMENTS_NEEDED",
        "name": {"first_name": "Jiko", "last_name": "Customer"}, "email": "jiko@example.com",
        "date_of_birth": {"date_of_birth": "1970-01-01"},
        "documents": [{"id": "d1", "type": "ID_FRONT", "status": "PENDING_REVIEW"},
                      {"id": "d2", "type": "NEW_KIND", "status": "LOST"}],
        "id_verification_documents_needed": true,
        "identification_number_verification_document_needed": false,
        "address_verification_document_needed": true}"#;

    #[test]
    fn application_round_trips_through_the_record() {
        let parsed = parse_application(200, APP.as_bytes().to_vec(), None).unwrap();
        assert_eq!(parsed.date_of_birth.as_deref(), Some("1970-01-01"));
        assert_eq!(
            parsed.documents[1].document_type,
            DocumentType::Unknown {
                value: "NEW_KIND".into()
            }
        );
        let json = application_to_json(parsed.clone()).unwrap();
        let direct = core::parse_application(200, APP.as_bytes()).unwrap();
        assert_eq!(json, serde_json::to_string(&direct).unwrap());
        assert_eq!(
            next_action(parsed.clone()),
            core::next_action(&direct).into()
        );
        assert_eq!(next_action(parsed).kind(), "upload_documents");
    }

    #[test]
    fn personal_data_stays_out_of_debug_and_display() {
        let parsed = parse_application(200, APP.as_bytes().to_vec(), None).unwrap();
        for text in [format!("{parsed:?}"), parsed.to_string()] {
            assert!(!text.contains("Jiko"), "{text}");
            assert!(!text.contains("1970"), "{text}");
            assert!(!text.contains("example.com"), "{text}");
        }
        let header = HttpHeader {
            name: "Authorization".into(),
            value: "Bearer secret-token".into(),
        };
        assert!(!header.to_string().contains("secret-token"));
    }

    #[test]
    fn unknown_spelling_of_a_known_value_is_normalized_by_the_core() {
        let status = ApplicationStatus::Unknown {
            value: "APPROVED".into(),
        };
        assert_eq!(
            core::ApplicationStatus::from(status),
            core::ApplicationStatus::Approved
        );
        assert_eq!(
            application_status_from_wire("ON_HOLD".into()),
            ApplicationStatus::Unknown {
                value: "ON_HOLD".into()
            }
        );
        assert_eq!(DocumentType::IdFront.wire_value(), "ID_FRONT");
        assert!(!DocumentType::Unknown { value: "X".into() }.is_known());
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
}
