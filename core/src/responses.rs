//! Response parsing: a 2xx body becomes a typed model; anything else an [`ApiError`].
//!
//! Error bodies are read for their structure only (the 422 `detail` list's locations
//! and types); no text of the body is copied into the error, because error bodies may
//! echo the personal data that was sent.

use serde::de::DeserializeOwned;

use crate::customers::{Accounts, Customer, Portals};
#[cfg(feature = "signing")]
use crate::dates::Instant;
use crate::decode::{self, DecodeError, FromJson};
use crate::error::{ApiError, ApiErrorKind, Error, FieldError};
use crate::events::{Events, Subscription};
#[cfg(feature = "signing")]
use crate::models::LoginResponse;
use crate::models::{Agreements, Application, HttpValidationError, LocItem, UploadedDocument};
#[cfg(feature = "signing")]
use crate::session::Session;

/// Parses the answer to Login into a [`Session`].
#[cfg(feature = "signing")]
pub fn parse_login(status: u16, body: &[u8]) -> Result<Session, Error> {
    let login: LoginResponse = parse_record(status, body, "a login response")?;
    let Some(expires_at) = Instant::parse_rfc3339(&login.expires) else {
        return Err(invalid_response(
            status,
            "the login response's expires is not an RFC 3339 date-time",
        ));
    };
    Ok(Session::new(
        login.token,
        login.expires,
        expires_at.unix_seconds,
    ))
}

/// Parses the answer to List Agreements.
pub fn parse_agreements(status: u16, body: &[u8]) -> Result<Agreements, Error> {
    parse_record(status, body, "an agreement bundle")
}

/// Parses the answer to Create Application, Get Application or Apply.
pub fn parse_application(status: u16, body: &[u8]) -> Result<Application, Error> {
    parse_record(status, body, "an application")
}

/// Parses the answer to Upload Document.
pub fn parse_upload(status: u16, body: &[u8]) -> Result<UploadedDocument, Error> {
    parse_record(status, body, "an upload result")
}

/// Parses the answer to Get Customer.
pub fn parse_customer(status: u16, body: &[u8]) -> Result<Customer, Error> {
    parse_success(status, body, "a customer")
}

/// Parses the answer to List Customer Accounts.
pub fn parse_accounts(status: u16, body: &[u8]) -> Result<Accounts, Error> {
    parse_success(status, body, "a list of accounts")
}

/// Parses the answer to List Portals.
pub fn parse_portals(status: u16, body: &[u8]) -> Result<Portals, Error> {
    parse_success(status, body, "a list of portals")
}

/// Parses the answer to Create (or Get) Subscription.
pub fn parse_subscription(status: u16, body: &[u8]) -> Result<Subscription, Error> {
    parse_success(status, body, "a subscription")
}

/// Parses the answer to List Events.
pub fn parse_events(status: u16, body: &[u8]) -> Result<Events, Error> {
    parse_success(status, body, "a page of events")
}

/// A 2xx answer as one of the wire records (`wire_struct!`, decoded by `decode.rs`).
fn parse_record<T: FromJson>(status: u16, body: &[u8], what: &str) -> Result<T, Error> {
    if !(200..300).contains(&status) {
        return Err(Error::Api(api_error(status, body)));
    }
    decode::from_slice(body).map_err(|e| {
        let category = match e {
            DecodeError::Json(e) => e.classify(),
            DecodeError::Shape => serde_json::error::Category::Data,
        };
        unreadable(status, category, what)
    })
}

/// A 2xx answer as one of the models decoded by serde's derive.
fn parse_success<T: DeserializeOwned>(status: u16, body: &[u8], what: &str) -> Result<T, Error> {
    if !(200..300).contains(&status) {
        return Err(Error::Api(api_error(status, body)));
    }
    serde_json::from_slice(body).map_err(|e| unreadable(status, e.classify(), what))
}

/// The error of a 2xx body that is not `what`.
fn unreadable(status: u16, category: serde_json::error::Category, what: &str) -> Error {
    let problem = match category {
        serde_json::error::Category::Eof => "is truncated",
        serde_json::error::Category::Syntax => "is not valid JSON",
        serde_json::error::Category::Io => "could not be read",
        serde_json::error::Category::Data => "does not have the expected fields and types",
    };
    invalid_response(status, &format!("the body {problem}: expected {what}"))
}

fn invalid_response(status: u16, message: &str) -> Error {
    Error::Api(ApiError {
        status,
        kind: ApiErrorKind::InvalidResponse,
        errors: Vec::new(),
        retry_after_seconds: None,
        message: format!("the server answered {status} but {message}"),
    })
}

/// The error for a non-2xx response. Reads the 422 `detail` list when there is one.
pub fn api_error(status: u16, body: &[u8]) -> ApiError {
    let kind = ApiErrorKind::from_status(status);
    let errors = if kind == ApiErrorKind::Validation {
        decode::from_slice::<HttpValidationError>(body)
            .map(|b| b.detail.iter().map(server_field_error).collect())
            .unwrap_or_default()
    } else {
        Vec::new()
    };
    let summary = match kind {
        ApiErrorKind::Unauthorized => {
            "the token is missing, unknown or expired, or the signature was refused"
        }
        ApiErrorKind::Forbidden => {
            "the partner may not do this (is the source address allow-listed?)"
        }
        ApiErrorKind::NotFound => "no such resource",
        ApiErrorKind::Validation => "the server refused the request body",
        ApiErrorKind::Conflict => {
            "the request conflicts with the resource's state or reuses an idempotency key"
        }
        ApiErrorKind::RateLimited => {
            "too many requests; retry later with the same prepared request"
        }
        ApiErrorKind::Server => "the server failed; the same prepared request may be retried",
        ApiErrorKind::Unexpected | ApiErrorKind::InvalidResponse => "unexpected status",
    };
    let mut message = format!("Jiko API error {status} ({}): {summary}", kind.as_str());
    for e in &errors {
        message.push_str(&format!("; {}: {}", e.path, e.code));
    }
    ApiError {
        status,
        kind,
        errors,
        retry_after_seconds: None,
        message,
    }
}

/// A 422 entry as a field error: the path from `loc` without the leading `body`, the
/// code from `type`. Only schema-like tokens are kept; `msg` is dropped.
fn server_field_error(e: &crate::models::ServerFieldError) -> FieldError {
    let mut segments: Vec<String> = e
        .loc
        .iter()
        .map(|item| match item {
            LocItem::Field(name) => safe_token(name),
            LocItem::Index(i) => i.to_string(),
        })
        .collect();
    if segments.first().map(String::as_str) == Some("body") {
        segments.remove(0);
    }
    let code = safe_token(&e.error_type);
    FieldError {
        path: segments.join("."),
        message: format!("rejected by the server ({code})"),
        code,
    }
}

/// Field names and error types are schema vocabulary (`postal_code`, `value_error.missing`,
/// `content-type`): lower-case identifiers. Anything else (digits that could be an SSN, a
/// capitalised name, an e-mail, free text) is replaced rather than copied.
fn safe_token(text: &str) -> String {
    let starts_like_a_name = text.starts_with(|c: char| c.is_ascii_lowercase() || c == '_');
    if starts_like_a_name
        && text.len() <= 64
        && text
            .bytes()
            .all(|b| b.is_ascii_lowercase() || b.is_ascii_digit() || b"_.-".contains(&b))
    {
        text.to_owned()
    } else {
        "<redacted>".to_owned()
    }
}
