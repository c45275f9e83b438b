//! The one error type of the binding: `JikoException` in Kotlin, `JikoError` in Swift.
//!
//! Every case carries the core's stable `code` and its human-readable `detail` (named so
//! because Kotlin exceptions already have a `message`). Details, field errors and the
//! `toString()` / `description` of the error come from the core, which never puts the
//! rejected value, a body or a secret in them.

use std::fmt;

use jiko_onboarding as core;

use crate::enums::{ApiErrorKind, DocumentErrorCode};

/// One problem with one field, from client-side validation or from the server's 422.
#[derive(Clone, Debug, PartialEq, Eq, uniffi::Record)]
pub struct FieldError {
    /// Dotted path of the field, such as `address.postal_code` (empty for the whole body).
    pub path: String,
    /// Stable code of the rule, such as `required` or `invalid_ssn`.
    pub code: String,
    /// What the rule is. Never contains the rejected value.
    pub message: String,
}

impl From<core::FieldError> for FieldError {
    fn from(e: core::FieldError) -> Self {
        FieldError {
            path: e.path,
            code: e.code,
            message: e.message,
        }
    }
}

fn field_errors(errors: Vec<core::FieldError>) -> Vec<FieldError> {
    errors.into_iter().map(FieldError::from).collect()
}

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
    /// An argument that is not part of a request body is malformed: a base URL, a
    /// partner, an idempotency key, an application id, a token, a date, a secret, a
    /// status, or JSON text that does not decode into a typed record (`invalid_json`).
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
            | JikoError::InvalidArgumentError { code, .. } => code,
        }
    }
}

impl fmt::Display for JikoError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            JikoError::ValidationError { detail, .. }
            | JikoError::ApiError { detail, .. }
            | JikoError::DocumentError { detail, .. }
            | JikoError::InvalidArgumentError { detail, .. } => f.write_str(detail),
        }
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
                errors: field_errors(v.errors),
            },
            core::Error::Api(a) => JikoError::ApiError {
                code,
                detail,
                status: i32::from(a.status),
                kind: a.kind.into(),
                errors: field_errors(a.errors),
                retry_after_seconds: a
                    .retry_after_seconds
                    .map(|s| i64::try_from(s).unwrap_or(i64::MAX)),
            },
            core::Error::Document(d) => JikoError::DocumentError {
                code,
                detail,
                reason: d.code.into(),
            },
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
