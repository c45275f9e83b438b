//! The one error family of the SDK.
//!
//! Every error has a stable machine-readable `code` and a message that names the rule
//! that failed, never the value that failed it: messages and `Debug` output are safe to
//! log even when the input held a Social Security number.

use std::fmt;

/// One problem with one field, found by client-side validation or reported by the
/// server in a 422 response.
#[derive(Clone, Debug, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
#[cfg_attr(feature = "tsify", derive(tsify::Tsify))]
#[cfg_attr(feature = "uniffi", derive(uniffi::Record))]
pub struct FieldError {
    /// Dotted path of the field, such as `address.postal_code` (empty for the whole body).
    pub path: String,
    /// Stable code of the rule, such as `required` or `invalid_ssn`.
    pub code: String,
    /// Human-readable description of the rule. Never contains the rejected value.
    pub message: String,
}

impl FieldError {
    pub(crate) fn new(path: impl Into<String>, code: &str, message: impl Into<String>) -> Self {
        FieldError {
            path: path.into(),
            code: code.to_owned(),
            message: message.into(),
        }
    }
}

/// Client-side validation failed: every problem found, at once.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ValidationError {
    /// Every field error, in the order the fields appear in the request.
    pub errors: Vec<FieldError>,
}

/// The family of a non-2xx (or unreadable) server response.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
#[cfg_attr(feature = "uniffi", derive(uniffi::Enum))]
pub enum ApiErrorKind {
    /// 401: missing, unknown or expired token, or a signature the server refused.
    Unauthorized,
    /// 403: the partner may not do this (for example a source IP that is not allow-listed).
    Forbidden,
    /// 404.
    NotFound,
    /// 400 or 422: the server refused the body; `errors` holds its field errors.
    Validation,
    /// 409 or 412: the request conflicts with the resource's state (for example a reused
    /// idempotency key, or applying to a rejected application).
    Conflict,
    /// 429: slow down; see `retry_after_seconds`.
    RateLimited,
    /// 5xx: the server failed; the same prepared request may be retried.
    Server,
    /// Any other status.
    Unexpected,
    /// A 2xx status whose body is not the JSON document the endpoint returns.
    InvalidResponse,
}

impl ApiErrorKind {
    /// Every kind, in declaration order.
    pub const ALL: [ApiErrorKind; 9] = [
        ApiErrorKind::Unauthorized,
        ApiErrorKind::Forbidden,
        ApiErrorKind::NotFound,
        ApiErrorKind::Validation,
        ApiErrorKind::Conflict,
        ApiErrorKind::RateLimited,
        ApiErrorKind::Server,
        ApiErrorKind::Unexpected,
        ApiErrorKind::InvalidResponse,
    ];

    /// The stable lower-case name of the kind.
    pub fn as_str(self) -> &'static str {
        match self {
            ApiErrorKind::Unauthorized => "unauthorized",
            ApiErrorKind::Forbidden => "forbidden",
            ApiErrorKind::NotFound => "not_found",
            ApiErrorKind::Validation => "validation",
            ApiErrorKind::Conflict => "conflict",
            ApiErrorKind::RateLimited => "rate_limited",
            ApiErrorKind::Server => "server",
            ApiErrorKind::Unexpected => "unexpected",
            ApiErrorKind::InvalidResponse => "invalid_response",
        }
    }

    /// The kind for an HTTP status that is not a success.
    pub fn from_status(status: u16) -> Self {
        match status {
            401 => ApiErrorKind::Unauthorized,
            403 => ApiErrorKind::Forbidden,
            404 => ApiErrorKind::NotFound,
            400 | 422 => ApiErrorKind::Validation,
            409 | 412 => ApiErrorKind::Conflict,
            429 => ApiErrorKind::RateLimited,
            500..=599 => ApiErrorKind::Server,
            _ => ApiErrorKind::Unexpected,
        }
    }

    /// Whether resending the same prepared request (same idempotency key) may succeed.
    pub fn is_retryable(self) -> bool {
        matches!(self, ApiErrorKind::RateLimited | ApiErrorKind::Server)
    }
}

/// The server answered with an error, or with a body the SDK cannot read.
///
/// It never holds the raw body: error bodies may echo personal data.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ApiError {
    /// The HTTP status.
    pub status: u16,
    /// The family of the failure.
    pub kind: ApiErrorKind,
    /// Field errors of a 422 body, with dotted paths (the leading `body` removed).
    pub errors: Vec<FieldError>,
    /// Seconds from the `Retry-After` header, when the host passed it.
    pub retry_after_seconds: Option<u64>,
    /// What went wrong, from the status and the body's structure only.
    pub message: String,
}

/// Why an upload was refused before anything was sent.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
#[cfg_attr(feature = "uniffi", derive(uniffi::Enum))]
pub enum DocumentErrorCode {
    /// No bytes.
    Empty,
    /// Over the size limit of the document type.
    TooLarge,
    /// The content type is malformed, or the bytes are not what it announces.
    WrongType,
}

impl DocumentErrorCode {
    /// The stable lower-case name of the code.
    pub fn as_str(self) -> &'static str {
        match self {
            DocumentErrorCode::Empty => "empty",
            DocumentErrorCode::TooLarge => "too_large",
            DocumentErrorCode::WrongType => "wrong_type",
        }
    }
}

/// An upload refused before anything was sent.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct DocumentError {
    /// Why it was refused.
    pub code: DocumentErrorCode,
    /// What went wrong, with the limits that apply.
    pub message: String,
}

/// Why a webhook delivery was refused.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
#[cfg_attr(feature = "uniffi", derive(uniffi::Enum))]
pub enum WebhookErrorCode {
    /// No `x-jiko-signature` header.
    MissingSignature,
    /// No secret verifies the signature.
    BadSignature,
    /// The signature verifies but the body is not an event.
    Malformed,
}

impl WebhookErrorCode {
    /// The stable lower-case name of the code.
    pub fn as_str(self) -> &'static str {
        match self {
            WebhookErrorCode::MissingSignature => "missing_signature",
            WebhookErrorCode::BadSignature => "bad_signature",
            WebhookErrorCode::Malformed => "malformed",
        }
    }
}

/// A webhook delivery that must not be trusted.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct WebhookError {
    /// Why it was refused.
    pub code: WebhookErrorCode,
    /// What went wrong and the usual mistakes behind it.
    pub message: String,
}

/// How a request failed to get an answer, as the host's HTTP client reports it.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, serde::Serialize, serde::Deserialize)]
#[cfg_attr(feature = "tsify", derive(tsify::Tsify))]
#[cfg_attr(feature = "uniffi", derive(uniffi::Enum))]
#[serde(rename_all = "snake_case")]
pub enum TransportErrorKind {
    /// The request certainly did not reach the server (DNS, connection refused, TLS
    /// handshake): resending cannot repeat anything.
    NotSent,
    /// No answer within the timeout: the server may have acted on the request.
    TimedOut,
    /// The connection broke after the request was (perhaps) sent: the server may have
    /// acted on it.
    Reset,
}

impl TransportErrorKind {
    /// Every kind, in declaration order.
    pub const ALL: [TransportErrorKind; 3] = [
        TransportErrorKind::NotSent,
        TransportErrorKind::TimedOut,
        TransportErrorKind::Reset,
    ];

    /// `not_sent`, `timed_out` or `reset`.
    pub fn as_str(self) -> &'static str {
        match self {
            TransportErrorKind::NotSent => "not_sent",
            TransportErrorKind::TimedOut => "timed_out",
            TransportErrorKind::Reset => "reset",
        }
    }

    /// The kind for its name.
    pub fn parse(text: &str) -> Option<Self> {
        Self::ALL.into_iter().find(|k| k.as_str() == text)
    }

    /// Whether the server may have acted on the request.
    pub fn is_ambiguous(self) -> bool {
        !matches!(self, TransportErrorKind::NotSent)
    }
}

/// Why an onboarding flow stopped, or refused a call.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
#[cfg_attr(feature = "uniffi", derive(uniffi::Enum))]
pub enum FlowErrorCode {
    /// The application consents to an agreement version that is not the current one.
    ConsentVersionOutdated,
    /// A Create Application may have created an application whose id cannot be learnt:
    /// its idempotency key is too old to resend, or the server refused the resend.
    CreateOutcomeUnknown,
    /// The application has not moved for longer than the flow's stall limit.
    Stalled,
    /// Restoring needs the application again: a Create must be (re)sent.
    ApplicationRequired,
    /// The application given on restore does not give the body the snapshot was made with.
    ApplicationMismatch,
    /// The snapshot is not one this SDK wrote, or is of a newer version.
    SnapshotInvalid,
    /// An answer for an attempt that is not the outstanding one.
    UnknownAttempt,
    /// The document was not accepted by the flow (unknown type).
    DocumentNotAccepted,
    /// The server answered in a way the flow cannot continue from (repeated conflicts,
    /// a redirect, an approved application without a customer id).
    Unexpected,
}

impl FlowErrorCode {
    /// Every code, in declaration order.
    pub const ALL: [FlowErrorCode; 9] = [
        FlowErrorCode::ConsentVersionOutdated,
        FlowErrorCode::CreateOutcomeUnknown,
        FlowErrorCode::Stalled,
        FlowErrorCode::ApplicationRequired,
        FlowErrorCode::ApplicationMismatch,
        FlowErrorCode::SnapshotInvalid,
        FlowErrorCode::UnknownAttempt,
        FlowErrorCode::DocumentNotAccepted,
        FlowErrorCode::Unexpected,
    ];

    /// The stable lower-case name of the code.
    pub fn as_str(self) -> &'static str {
        match self {
            FlowErrorCode::ConsentVersionOutdated => "consent_version_outdated",
            FlowErrorCode::CreateOutcomeUnknown => "create_outcome_unknown",
            FlowErrorCode::Stalled => "stalled",
            FlowErrorCode::ApplicationRequired => "application_required",
            FlowErrorCode::ApplicationMismatch => "application_mismatch",
            FlowErrorCode::SnapshotInvalid => "snapshot_invalid",
            FlowErrorCode::UnknownAttempt => "unknown_attempt",
            FlowErrorCode::DocumentNotAccepted => "document_not_accepted",
            FlowErrorCode::Unexpected => "unexpected_answer",
        }
    }
}

/// An onboarding flow stopped, or refused a call.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct FlowError {
    /// Why.
    pub code: FlowErrorCode,
    /// What happened, without personal data.
    pub message: String,
    /// For `create_outcome_unknown`: the key of the Create whose outcome is unknown, to
    /// give Jiko's support when asking what became of it.
    pub idempotency_key: Option<String>,
}

/// Every error of the SDK.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Error {
    /// The request failed client-side validation.
    Validation(ValidationError),
    /// The server refused the request or sent something unreadable.
    Api(ApiError),
    /// An upload was refused before sending.
    Document(DocumentError),
    /// A webhook delivery failed verification.
    Webhook(WebhookError),
    /// An onboarding flow stopped or refused a call.
    Flow(FlowError),
    /// The request got no answer (the flow retries these; a host sees one when the
    /// flow is waiting after several).
    Transport {
        /// How it failed.
        kind: TransportErrorKind,
    },
    /// An argument that is not part of a request body is malformed: a base URL, a
    /// partner prefix, an idempotency key, an application id, a date, a secret.
    InvalidArgument {
        /// Stable code, such as `invalid_idempotency_key`.
        code: &'static str,
        /// What is wrong, without the value.
        message: String,
    },
}

impl Error {
    /// The stable code: `validation_failed`, `api_<kind>`, the document code
    /// (`empty`, `too_large`, `wrong_type`) or the invalid-argument code.
    pub fn code(&self) -> String {
        match self {
            Error::Validation(_) => "validation_failed".to_owned(),
            Error::Api(e) => format!("api_{}", e.kind.as_str()),
            Error::Document(e) => e.code.as_str().to_owned(),
            Error::Webhook(e) => e.code.as_str().to_owned(),
            Error::Flow(e) => e.code.as_str().to_owned(),
            Error::Transport { kind } => format!("transport_{}", kind.as_str()),
            Error::InvalidArgument { code, .. } => (*code).to_owned(),
        }
    }

    /// Records the value of a `Retry-After` header (delta-seconds form) on an API error.
    /// Other errors, and HTTP-date values, are returned unchanged.
    #[must_use]
    pub fn with_retry_after(mut self, header_value: &str) -> Self {
        if let Error::Api(api) = &mut self {
            if let Ok(seconds) = header_value.trim().parse::<u64>() {
                api.retry_after_seconds = Some(seconds);
            }
        }
        self
    }

    /// The field errors carried by a validation or 422 error, otherwise empty.
    pub fn field_errors(&self) -> &[FieldError] {
        match self {
            Error::Validation(v) => &v.errors,
            Error::Api(a) => &a.errors,
            _ => &[],
        }
    }

    pub(crate) fn invalid_argument(code: &'static str, message: impl Into<String>) -> Self {
        Error::InvalidArgument {
            code,
            message: message.into(),
        }
    }
}

impl fmt::Display for Error {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Error::Validation(v) => {
                write!(f, "the request is invalid ({} problem", v.errors.len())?;
                if v.errors.len() != 1 {
                    f.write_str("s")?;
                }
                f.write_str(")")?;
                for e in &v.errors {
                    write!(f, "; {}: {}", e.path, e.message)?;
                }
                Ok(())
            }
            Error::Api(a) => f.write_str(&a.message),
            Error::Document(d) => f.write_str(&d.message),
            Error::Webhook(w) => f.write_str(&w.message),
            Error::Flow(e) => f.write_str(&e.message),
            Error::Transport { kind } => match kind {
                TransportErrorKind::NotSent => f.write_str("the request could not be sent"),
                TransportErrorKind::TimedOut => f.write_str("no answer within the timeout"),
                TransportErrorKind::Reset => f.write_str("the connection broke before the answer"),
            },
            Error::InvalidArgument { message, .. } => f.write_str(message),
        }
    }
}

impl std::error::Error for Error {}

impl From<ValidationError> for Error {
    fn from(e: ValidationError) -> Self {
        Error::Validation(e)
    }
}

impl From<ApiError> for Error {
    fn from(e: ApiError) -> Self {
        Error::Api(e)
    }
}

impl From<WebhookError> for Error {
    fn from(e: WebhookError) -> Self {
        Error::Webhook(e)
    }
}

impl From<FlowError> for Error {
    fn from(e: FlowError) -> Self {
        Error::Flow(e)
    }
}

impl Error {
    #[cfg(feature = "signing")]
    pub(crate) fn flow(code: FlowErrorCode, message: impl Into<String>) -> Self {
        Error::Flow(FlowError {
            code,
            message: message.into(),
            idempotency_key: None,
        })
    }
}

impl From<DocumentError> for Error {
    fn from(e: DocumentError) -> Self {
        Error::Document(e)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_api_error_kind_is_in_all_once() {
        use ApiErrorKind::*;
        for kind in ApiErrorKind::ALL {
            // Exhaustive: a new kind does not compile until this match, and ALL, list it.
            match kind {
                Unauthorized | Forbidden | NotFound | Validation | Conflict | RateLimited
                | Server | Unexpected | InvalidResponse => {}
            }
        }
        let names: std::collections::HashSet<&str> =
            ApiErrorKind::ALL.iter().map(|k| k.as_str()).collect();
        assert_eq!(names.len(), 9);
    }
}
