//! The one error type of the binding: `JikoException` in Kotlin, `JikoError` in Swift.
//!
//! The core's `Error` holds types that cannot cross the FFI (a `&'static str` code, the
//! parts of each family in their own structs), so this is the one type the binding
//! declares for it: every case carries the core's stable `code` and its `detail` (named
//! so because Kotlin exceptions already have a `message`), plus the fields of its family.
//! Details, field errors and `toString()` / `description` come from the core, which never
//! puts a rejected value, a body or a secret in them.

use std::fmt;

use jiko_onboarding as core;
use jiko_onboarding::{
    ApiErrorKind, DocumentErrorCode, FieldError, FlowErrorCode, TransportErrorKind,
    WebhookErrorCode,
};

/// Every error of the SDK. Each case has the stable `code` of the core.
#[derive(Clone, Debug, PartialEq, Eq, uniffi::Error)]
#[uniffi::export(Display)]
pub enum JikoError {
    /// Client-side validation failed (`validation_failed`): every problem at once.
    ValidationError {
        /// Always `validation_failed`.
        code: String,
        /// A summary naming each field and rule, never a value.
        detail: String,
        /// Every field error, in the order the fields appear in the request.
        errors: Vec<FieldError>,
    },
    /// The server refused the request or sent something unreadable (`api_<kind>`).
    ApiError {
        /// `api_unauthorized`, `api_validation`, `api_invalid_response`, ...
        code: String,
        /// What went wrong, from the status and the body's structure only.
        detail: String,
        /// The HTTP status.
        status: i32,
        /// The family of the failure.
        kind: ApiErrorKind,
        /// The server's field errors of a 422, with dotted paths.
        errors: Vec<FieldError>,
        /// Seconds from the `Retry-After` header, when it was passed to the parser.
        retry_after_seconds: Option<i64>,
    },
    /// An upload refused before sending: `empty`, `too_large` or `wrong_type`.
    DocumentError {
        /// `empty`, `too_large` or `wrong_type`.
        code: String,
        /// What went wrong, with the limits that apply.
        detail: String,
        /// The same code, typed.
        reason: DocumentErrorCode,
    },
    /// A webhook delivery that must not be trusted: `missing_signature`,
    /// `bad_signature` or `malformed`.
    WebhookError {
        /// `missing_signature`, `bad_signature` or `malformed`.
        code: String,
        /// What went wrong and the usual mistakes behind it.
        detail: String,
        /// The same code, typed.
        reason: WebhookErrorCode,
    },
    /// An onboarding flow stopped or refused a call: `consent_version_outdated`,
    /// `create_outcome_unknown`, `stalled`, `application_required`,
    /// `application_mismatch`, `snapshot_invalid`, `unknown_attempt`,
    /// `document_not_accepted` or `unexpected_answer`.
    FlowError {
        /// The code, as above.
        code: String,
        /// What happened, without personal data.
        detail: String,
        /// The same code, typed.
        reason: FlowErrorCode,
        /// For `create_outcome_unknown`: the idempotency key of the Create whose
        /// outcome is unknown (give it to Jiko's support).
        idempotency_key: Option<String>,
    },
    /// A request got no answer (`transport_not_sent`, `transport_timed_out`,
    /// `transport_reset`); a flow waits these out, and reports the last one while it waits.
    TransportError {
        /// `transport_<kind>`.
        code: String,
        /// What happened.
        detail: String,
        /// How it failed.
        kind: TransportErrorKind,
    },
    /// An argument that is not part of a request body is malformed: a base URL, a
    /// partner, an idempotency key, an id, a token, a date, a secret, a status, or JSON
    /// text that does not decode into a typed record (`invalid_json`).
    InvalidArgumentError {
        /// Such as `invalid_idempotency_key`, `invalid_base_url` or `invalid_json`.
        code: String,
        /// What is wrong, without the value.
        detail: String,
    },
}

impl JikoError {
    /// An argument error raised by the binding itself (codes the core does not have:
    /// `invalid_json`, `invalid_status`).
    pub(crate) fn invalid_argument(code: &str, detail: &str) -> Self {
        JikoError::InvalidArgumentError {
            code: code.to_owned(),
            detail: detail.to_owned(),
        }
    }

    /// The stable code of any case.
    pub fn code(&self) -> &str {
        match self {
            JikoError::ValidationError { code, .. }
            | JikoError::ApiError { code, .. }
            | JikoError::DocumentError { code, .. }
            | JikoError::WebhookError { code, .. }
            | JikoError::FlowError { code, .. }
            | JikoError::TransportError { code, .. }
            | JikoError::InvalidArgumentError { code, .. } => code,
        }
    }

    fn detail(&self) -> &str {
        match self {
            JikoError::ValidationError { detail, .. }
            | JikoError::ApiError { detail, .. }
            | JikoError::DocumentError { detail, .. }
            | JikoError::WebhookError { detail, .. }
            | JikoError::FlowError { detail, .. }
            | JikoError::TransportError { detail, .. }
            | JikoError::InvalidArgumentError { detail, .. } => detail,
        }
    }
}

impl fmt::Display for JikoError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.detail())
    }
}

impl std::error::Error for JikoError {}

impl From<core::Error> for JikoError {
    fn from(e: core::Error) -> Self {
        let code = e.code();
        let detail = e.to_string();
        match e {
            core::Error::Validation(v) => JikoError::ValidationError {
                code,
                detail,
                errors: v.errors,
            },
            core::Error::Api(a) => JikoError::ApiError {
                code,
                detail,
                status: i32::from(a.status),
                kind: a.kind,
                errors: a.errors,
                retry_after_seconds: a
                    .retry_after_seconds
                    .map(|s| i64::try_from(s).unwrap_or(i64::MAX)),
            },
            core::Error::Document(d) => JikoError::DocumentError {
                code,
                detail,
                reason: d.code,
            },
            core::Error::Webhook(w) => JikoError::WebhookError {
                code,
                detail,
                reason: w.code,
            },
            core::Error::Flow(f) => JikoError::FlowError {
                code,
                detail,
                reason: f.code,
                idempotency_key: f.idempotency_key,
            },
            core::Error::Transport { kind } => JikoError::TransportError { code, detail, kind },
            core::Error::InvalidArgument { message, .. } => JikoError::InvalidArgumentError {
                code,
                detail: message,
            },
        }
    }
}

impl From<core::DocumentError> for JikoError {
    fn from(e: core::DocumentError) -> Self {
        core::Error::from(e).into()
    }
}
