//! Objects that hold secrets or may carry them: the client and signer (the shared
//! signing secret), the session (the bearer token) and prepared requests (a token in the
//! headers, a password or personal data in the body).
//!
//! Their `toString()` / `description` is the core's redacted `Debug`; none of them is a
//! record, so no generated code prints their fields.

use std::sync::Arc;

use jiko_onboarding as core;
use jiko_onboarding::{ClientConfig, CreateApplicationRequest, DocumentType, EventType};

use crate::dates::today_or_utc;
use crate::JikoError;

/// `toString()` (Kotlin) and `description` (Swift) of an object: the core's redacted
/// `Debug` form, which never shows a secret, a token or personal data.
macro_rules! redacted_text {
    ($name:ident) => {
        impl std::fmt::Debug for $name {
            fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
                std::fmt::Debug::fmt(&self.inner, f)
            }
        }

        impl std::fmt::Display for $name {
            fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
                std::fmt::Debug::fmt(&self.inner, f)
            }
        }
    };
}

/// One header of a prepared request. Its `toString()` / `description` shows the name
/// only: the value of `Authorization` is the bearer token.
#[derive(Clone, PartialEq, Eq, uniffi::Record)]
#[uniffi::export(Debug, Display)]
pub struct HttpHeader {
    /// Header name, such as `x-jiko-signature`.
    pub name: String,
    /// Header value.
    pub value: String,
}

impl std::fmt::Debug for HttpHeader {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("HttpHeader")
            .field("name", &self.name)
            .field("value", &"<redacted>")
            .finish()
    }
}

impl std::fmt::Display for HttpHeader {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        std::fmt::Debug::fmt(self, f)
    }
}

/// A request ready to send with any HTTP client: method, URL, headers in order, and
/// the exact body bytes that were signed. Resending it unchanged is a safe retry. Two
/// prepared requests are equal when every byte they send is.
#[derive(PartialEq, Eq, uniffi::Object)]
#[uniffi::export(Debug, Display, Eq)]
pub struct PreparedRequest {
    inner: core::PreparedRequest,
}

redacted_text!(PreparedRequest);

impl PreparedRequest {
    pub(crate) fn new(inner: core::PreparedRequest) -> Arc<Self> {
        Arc::new(PreparedRequest { inner })
    }
}

fn prepared(
    result: Result<core::PreparedRequest, core::Error>,
) -> Result<Arc<PreparedRequest>, JikoError> {
    Ok(Arc::new(PreparedRequest { inner: result? }))
}

#[uniffi::export]
impl PreparedRequest {
    /// `GET` or `POST`.
    pub fn method(&self) -> String {
        self.inner.method.as_str().to_owned()
    }

    /// Base URL plus path.
    pub fn url(&self) -> String {
        self.inner.url.clone()
    }

    /// The path that was signed, with the trailing slash.
    pub fn path(&self) -> String {
        self.inner.path.clone()
    }

    /// Headers in order: Authorization, x-jiko-idempotency, x-jiko-signature,
    /// Content-Type, Content-Length (each where it applies).
    pub fn headers(&self) -> Vec<HttpHeader> {
        self.inner
            .headers
            .iter()
            .map(|(name, value)| HttpHeader {
                name: name.clone(),
                value: value.clone(),
            })
            .collect()
    }

    /// The value of a header, compared case-insensitively.
    pub fn header(&self, name: String) -> Option<String> {
        self.inner.header(&name).map(str::to_owned)
    }

    /// The exact body bytes (empty for GET and Apply).
    pub fn body(&self) -> Vec<u8> {
        self.inner.body.clone()
    }

    /// The idempotency key, reused on every retry of this request (none for Login).
    pub fn idempotency_key(&self) -> Option<String> {
        self.inner.idempotency_key.clone()
    }
}

/// Builds prepared requests for every onboarding endpoint. Holds no connection, only
/// the base URL and the signing secret (zeroized when the client is freed).
#[derive(uniffi::Object)]
#[uniffi::export(Debug, Display)]
pub struct Client {
    inner: core::Client,
}

redacted_text!(Client);

#[uniffi::export]
impl Client {
    /// A client for this environment or base URL, signing with the shared secret.
    #[uniffi::constructor]
    pub fn new(config: ClientConfig, signing_secret: String) -> Result<Arc<Self>, JikoError> {
        Ok(Arc::new(Client {
            inner: core::Client::new(config, signing_secret)?,
        }))
    }

    /// The base URL requests go to, without a trailing slash.
    pub fn base_url(&self) -> String {
        self.inner.base_url().to_owned()
    }

    /// POST `/api/v1/login/`: JSON credentials, no auth headers, no idempotency key.
    pub fn login(
        &self,
        username: String,
        password: String,
    ) -> Result<Arc<PreparedRequest>, JikoError> {
        prepared(self.inner.login(&username, &password))
    }

    /// GET `/api/v1/agreements/`, signed. Without a key, a fresh UUID v4 is drawn.
    #[uniffi::method(default(idempotency_key = None))]
    pub fn list_agreements(
        &self,
        token: String,
        idempotency_key: Option<String>,
    ) -> Result<Arc<PreparedRequest>, JikoError> {
        prepared(
            self.inner
                .list_agreements(&token, idempotency_key.as_deref()),
        )
    }

    /// POST `/api/v1/applications/`: validates against `today` (`YYYY-MM-DD`; the
    /// current UTC date when absent) and throws a validation error listing every
    /// problem, or signs the compact JSON body.
    #[uniffi::method(default(today = None, idempotency_key = None))]
    pub fn create_application(
        &self,
        token: String,
        application: CreateApplicationRequest,
        today: Option<String>,
        idempotency_key: Option<String>,
    ) -> Result<Arc<PreparedRequest>, JikoError> {
        let today = today_or_utc(today)?;
        prepared(self.inner.create_application(
            &token,
            &application,
            today,
            idempotency_key.as_deref(),
        ))
    }

    /// Like `createApplication`, from the JSON text of the body (API field names).
    /// Unknown fields are reported as `unknown_field`, not sent; text that is not JSON is
    /// a validation error with one `invalid_json` field error.
    #[uniffi::method(default(today = None, idempotency_key = None))]
    pub fn create_application_json(
        &self,
        token: String,
        application_json: String,
        today: Option<String>,
        idempotency_key: Option<String>,
    ) -> Result<Arc<PreparedRequest>, JikoError> {
        let today = today_or_utc(today)?;
        prepared(self.inner.create_application_json(
            &token,
            application_json.as_bytes(),
            today,
            idempotency_key.as_deref(),
        ))
    }

    /// GET `/api/v1/applications/{id}/`, signed.
    #[uniffi::method(default(idempotency_key = None))]
    pub fn get_application(
        &self,
        token: String,
        application_id: String,
        idempotency_key: Option<String>,
    ) -> Result<Arc<PreparedRequest>, JikoError> {
        prepared(
            self.inner
                .get_application(&token, &application_id, idempotency_key.as_deref()),
        )
    }

    /// POST `/api/v1/applications/{id}/apply/`, signed, empty body.
    #[uniffi::method(default(idempotency_key = None))]
    pub fn apply(
        &self,
        token: String,
        application_id: String,
        idempotency_key: Option<String>,
    ) -> Result<Arc<PreparedRequest>, JikoError> {
        prepared(
            self.inner
                .apply(&token, &application_id, idempotency_key.as_deref()),
        )
    }

    /// POST `/api/v1/applications/{id}/documents/{TYPE}/file/`: the raw bytes, not
    /// signed. Size and type are checked first (`empty`, `too_large`, `wrong_type`).
    #[uniffi::method(default(idempotency_key = None))]
    pub fn upload_document(
        &self,
        token: String,
        application_id: String,
        document_type: DocumentType,
        content_type: String,
        bytes: Vec<u8>,
        idempotency_key: Option<String>,
    ) -> Result<Arc<PreparedRequest>, JikoError> {
        prepared(self.inner.upload_document(
            &token,
            &application_id,
            &document_type,
            &content_type,
            bytes,
            idempotency_key.as_deref(),
        ))
    }

    /// GET `/api/v1/customers/{id}/`, signed: the customer an approval created.
    #[uniffi::method(default(idempotency_key = None))]
    pub fn get_customer(
        &self,
        token: String,
        customer_id: String,
        idempotency_key: Option<String>,
    ) -> Result<Arc<PreparedRequest>, JikoError> {
        prepared(
            self.inner
                .get_customer(&token, &customer_id, idempotency_key.as_deref()),
        )
    }

    /// GET `/api/v1/customers/{id}/jiko-accounts/`, signed: the customer's accounts.
    #[uniffi::method(default(idempotency_key = None))]
    pub fn list_customer_accounts(
        &self,
        token: String,
        customer_id: String,
        idempotency_key: Option<String>,
    ) -> Result<Arc<PreparedRequest>, JikoError> {
        prepared(self.inner.list_customer_accounts(
            &token,
            &customer_id,
            idempotency_key.as_deref(),
        ))
    }

    /// GET `/api/v1/jiko-accounts/{id}/portals/`, signed: the account's portals, with
    /// the routing and account numbers that receive ACH deposits.
    #[uniffi::method(default(idempotency_key = None))]
    pub fn list_portals(
        &self,
        token: String,
        account_id: String,
        idempotency_key: Option<String>,
    ) -> Result<Arc<PreparedRequest>, JikoError> {
        prepared(
            self.inner
                .list_portals(&token, &account_id, idempotency_key.as_deref()),
        )
    }

    /// POST `/api/v1/subscriptions/`, signed: deliveries of `events` to `url`, signed
    /// by Jiko with `shared_secret` (at least 16 characters; not the API signing secret).
    #[uniffi::method(default(idempotency_key = None))]
    pub fn create_subscription(
        &self,
        token: String,
        url: String,
        events: Vec<EventType>,
        shared_secret: String,
        idempotency_key: Option<String>,
    ) -> Result<Arc<PreparedRequest>, JikoError> {
        prepared(self.inner.create_subscription(
            &token,
            &url,
            &events,
            &shared_secret,
            idempotency_key.as_deref(),
        ))
    }

    /// GET `/api/v1/events/`, signed: events after an instant (RFC 3339) or from a
    /// cursor (a previous page's `nextPage`).
    #[uniffi::method(default(after = None, cursor = None, idempotency_key = None))]
    pub fn list_events(
        &self,
        token: String,
        after: Option<String>,
        cursor: Option<String>,
        idempotency_key: Option<String>,
    ) -> Result<Arc<PreparedRequest>, JikoError> {
        prepared(self.inner.list_events(
            &token,
            after.as_deref(),
            cursor.as_deref(),
            idempotency_key.as_deref(),
        ))
    }
}

impl Client {
    pub(crate) fn core(&self) -> &core::Client {
        &self.inner
    }
}

/// Signs and verifies requests with the partner's shared secret (zeroized when freed).
#[derive(uniffi::Object)]
#[uniffi::export(Debug, Display)]
pub struct Signer {
    inner: core::Signer,
}

redacted_text!(Signer);

#[uniffi::export]
impl Signer {
    /// A signer for this shared secret; an empty secret is `invalid_secret`.
    #[uniffi::constructor]
    pub fn new(secret: String) -> Result<Arc<Self>, JikoError> {
        Ok(Arc::new(Signer {
            inner: core::Signer::new(secret)?,
        }))
    }

    /// The `x-jiko-signature` value: base64 (with padding) of HMAC-SHA256 over
    /// idempotency key + path + body.
    pub fn sign(&self, idempotency_key: String, path: String, body: Vec<u8>) -> String {
        self.inner.sign(&idempotency_key, &path, &body)
    }

    /// Whether `signature` signs this message, compared in constant time.
    pub fn verify(
        &self,
        idempotency_key: String,
        path: String,
        body: Vec<u8>,
        signature: String,
    ) -> bool {
        self.inner
            .verify(&idempotency_key, &path, &body, &signature)
    }
}

/// The result of Login: the bearer token (zeroized when freed) and its expiry.
#[derive(uniffi::Object)]
#[uniffi::export(Debug, Display)]
pub struct Session {
    inner: core::Session,
}

impl Session {
    pub(crate) fn new(inner: core::Session) -> Arc<Self> {
        Arc::new(Session { inner })
    }
}

redacted_text!(Session);

#[uniffi::export]
impl Session {
    /// The bearer token for the request builders. Do not log it.
    pub fn token(&self) -> String {
        self.inner.token().to_owned()
    }

    /// When the token expires, as the server wrote it (RFC 3339).
    pub fn expires(&self) -> String {
        self.inner.expires().to_owned()
    }

    /// When the token expires, in seconds since the Unix epoch.
    pub fn expires_at_unix_seconds(&self) -> i64 {
        self.inner.expires_at_unix_seconds()
    }

    /// Whether to log in again before the next request (from five minutes before
    /// expiry). `now_unix_seconds` is the host's clock.
    pub fn needs_refresh(&self, now_unix_seconds: i64) -> bool {
        self.inner.needs_refresh(now_unix_seconds)
    }
}
