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

/// Every error of the SDK.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Error {
    /// The request failed client-side validation.
    Validation(ValidationError),
    /// The server refused the request or sent something unreadable.
    Api(ApiError),
    /// An upload was refused before sending.
    Document(DocumentError),
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
