//! Prepared requests: method, URL, path, headers and the exact body bytes for each
//! endpoint, ready for any HTTP client.
//!
//! A [`Client`] holds no connection, only the base URL and the signing secret. Each
//! builder serializes the body once and signs exactly those bytes, so the signature
//! always matches what is sent. Resending the same [`PreparedRequest`] is a safe retry;
//! a new operation is a new request with a new idempotency key.

use std::fmt;

use serde::Serialize;
use serde_json::Value;

use crate::dates::{CalendarDate, Instant};
use crate::documents::check_upload;
use crate::error::{Error, FieldError, ValidationError};
use crate::events::{CreateSubscriptionBody, EventType};
use crate::idempotency::{is_uuid, key_or_new};
use crate::models::{CreateApplicationRequest, DocumentType, LoginBody};
use crate::schema::{Field, Kind};
use crate::signing::Signer;
use crate::validation::{not_json, validate_application_value, validate_credentials};

/// Jiko's environments.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
#[cfg_attr(feature = "uniffi", derive(uniffi::Enum))]
pub enum Environment {
    /// `https://<partner>.sandbox-api.jikoservices.com`.
    Sandbox,
    /// `https://<partner>.partner-api.jikoservices.com`.
    Production,
}

impl Environment {
    /// `sandbox` or `production`.
    pub fn as_str(self) -> &'static str {
        match self {
            Environment::Sandbox => "sandbox",
            Environment::Production => "production",
        }
    }

    /// The environment for `sandbox` or `production`.
    pub fn parse(text: &str) -> Result<Self, Error> {
        match text {
            "sandbox" => Ok(Environment::Sandbox),
            "production" => Ok(Environment::Production),
            _ => Err(Error::invalid_argument(
                "invalid_environment",
                "environment must be \"sandbox\" or \"production\"",
            )),
        }
    }
}

/// Where the client sends requests.
#[derive(Clone, Debug, PartialEq, Eq)]
#[cfg_attr(feature = "uniffi", derive(uniffi::Enum))]
pub enum ClientConfig {
    /// A Jiko environment and the partner's sub-domain prefix.
    Hosted {
        /// Sandbox or production.
        environment: Environment,
        /// The partner prefix Jiko assigned (a DNS label such as `acme`).
        partner: String,
    },
    /// Any base URL: the local simulator, a test server or a proxy. `http` is accepted
    /// for loopback hosts only, so tokens never cross a network in clear text.
    BaseUrl(String),
}

/// HTTP method of a prepared request.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum Method {
    /// GET.
    Get,
    /// POST.
    Post,
}

impl Method {
    /// `GET` or `POST`.
    pub fn as_str(self) -> &'static str {
        match self {
            Method::Get => "GET",
            Method::Post => "POST",
        }
    }
}

/// A request ready to send with any HTTP client.
#[derive(Clone, PartialEq, Eq)]
pub struct PreparedRequest {
    /// GET or POST.
    pub method: Method,
    /// Base URL plus path.
    pub url: String,
    /// The path that was signed, with the guide's trailing slash.
    pub path: String,
    /// Headers in a fixed order: Authorization, x-jiko-idempotency, x-jiko-signature,
    /// Content-Type, Content-Length (each where it applies).
    pub headers: Vec<(String, String)>,
    /// The exact body bytes (empty for GET and Apply).
    pub body: Vec<u8>,
    /// The idempotency key, reused on every retry of this request (none for Login).
    pub idempotency_key: Option<String>,
}

impl PreparedRequest {
    /// The value of a header, compared case-insensitively.
    pub fn header(&self, name: &str) -> Option<&str> {
        self.headers
            .iter()
            .find(|(n, _)| n.eq_ignore_ascii_case(name))
            .map(|(_, v)| v.as_str())
    }
}

/// Headers and body may hold a token, a password or personal data: `Debug` shows the
/// method, path, header names and body length only.
impl fmt::Debug for PreparedRequest {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let names: Vec<&str> = self.headers.iter().map(|(n, _)| n.as_str()).collect();
        f.debug_struct("PreparedRequest")
            .field("method", &self.method)
            .field("url", &self.url)
            .field("header_names", &names)
            .field("body_len", &self.body.len())
            .field("idempotency_key", &self.idempotency_key)
            .finish()
    }
}

/// Builds prepared requests for every onboarding endpoint.
#[derive(Clone)]
pub struct Client {
    base_url: String,
    signer: Signer,
}

impl fmt::Debug for Client {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Client")
            .field("base_url", &self.base_url)
            .field("signing_secret", &"<redacted>")
            .finish()
    }
}

const LOGIN_PATH: &str = "/api/v1/login/";
const AGREEMENTS_PATH: &str = "/api/v1/agreements/";
const APPLICATIONS_PATH: &str = "/api/v1/applications/";

impl Client {
    /// A client for this environment or base URL, signing with the shared secret.
    pub fn new(
        config: ClientConfig,
        signing_secret: impl Into<crate::Secret>,
    ) -> Result<Self, Error> {
        let base_url = match config {
            ClientConfig::Hosted {
                environment,
                partner,
            } => hosted_url(environment, &partner)?,
            ClientConfig::BaseUrl(url) => checked_base_url(&url)?,
        };
        Ok(Client {
            base_url,
            signer: Signer::new(signing_secret)?,
        })
    }

    /// The base URL requests go to, without a trailing slash.
    pub fn base_url(&self) -> &str {
        &self.base_url
    }

    /// The signer this client uses.
    pub fn signer(&self) -> &Signer {
        &self.signer
    }

    /// POST `/api/v1/login/`: JSON credentials, no auth headers, no idempotency key.
    pub fn login(&self, username: &str, password: &str) -> Result<PreparedRequest, Error> {
        let errors = validate_credentials(username, password);
        if !errors.is_empty() {
            return Err(ValidationError { errors }.into());
        }
        let body = to_json(&LoginBody { username, password })?;
        let mut headers = Vec::with_capacity(2);
        push_body_headers(&mut headers, "application/json", body.len());
        Ok(PreparedRequest {
            method: Method::Post,
            url: format!("{}{LOGIN_PATH}", self.base_url),
            path: LOGIN_PATH.to_owned(),
            headers,
            body,
            idempotency_key: None,
        })
    }

    /// GET `/api/v1/agreements/`, signed, empty body.
    pub fn list_agreements(
        &self,
        token: &str,
        idempotency_key: Option<&str>,
    ) -> Result<PreparedRequest, Error> {
        self.signed(
            Method::Get,
            AGREEMENTS_PATH.to_owned(),
            token,
            Vec::new(),
            idempotency_key,
        )
    }

    /// POST `/api/v1/applications/`: validates against `today`, then compact JSON, signed.
    pub fn create_application(
        &self,
        token: &str,
        application: &CreateApplicationRequest,
        today: CalendarDate,
        idempotency_key: Option<&str>,
    ) -> Result<PreparedRequest, Error> {
        let value = serde_json::to_value(application).map_err(|_| encode_error())?;
        self.create_application_value(token, &value, today, idempotency_key)
    }

    /// Like [`Client::create_application`], from the JSON form of the body (a JavaScript
    /// object, a Python dict). Unknown fields are reported, not sent.
    pub fn create_application_value(
        &self,
        token: &str,
        application: &Value,
        today: CalendarDate,
        idempotency_key: Option<&str>,
    ) -> Result<PreparedRequest, Error> {
        let body = create_application_body(application, today)?;
        self.create_application_from_body(token, body, idempotency_key)
    }

    /// POST `/api/v1/applications/` with a body [`create_application_body`] wrote: the
    /// flow engine validates once and keeps the bytes, so every resend is identical.
    pub(crate) fn create_application_from_body(
        &self,
        token: &str,
        body: Vec<u8>,
        idempotency_key: Option<&str>,
    ) -> Result<PreparedRequest, Error> {
        self.signed(
            Method::Post,
            APPLICATIONS_PATH.to_owned(),
            token,
            body,
            idempotency_key,
        )
    }

    /// Like [`Client::create_application`], from a JSON text, for hosts that hold one.
    /// Text that is not JSON is a validation error (`invalid_json`).
    pub fn create_application_json(
        &self,
        token: &str,
        json: &[u8],
        today: CalendarDate,
        idempotency_key: Option<&str>,
    ) -> Result<PreparedRequest, Error> {
        match serde_json::from_slice::<Value>(json) {
            Ok(value) => self.create_application_value(token, &value, today, idempotency_key),
            Err(_) => Err(ValidationError {
                errors: vec![not_json()],
            }
            .into()),
        }
    }

    /// GET `/api/v1/applications/{id}/`, signed, empty body.
    pub fn get_application(
        &self,
        token: &str,
        application_id: &str,
        idempotency_key: Option<&str>,
    ) -> Result<PreparedRequest, Error> {
        let path = format!("{APPLICATIONS_PATH}{}/", checked_id(application_id)?);
        self.signed(Method::Get, path, token, Vec::new(), idempotency_key)
    }

    /// POST `/api/v1/applications/{id}/apply/`, signed, empty body.
    pub fn apply(
        &self,
        token: &str,
        application_id: &str,
        idempotency_key: Option<&str>,
    ) -> Result<PreparedRequest, Error> {
        let path = format!("{APPLICATIONS_PATH}{}/apply/", checked_id(application_id)?);
        self.signed(Method::Post, path, token, Vec::new(), idempotency_key)
    }

    /// POST `/api/v1/applications/{id}/documents/{TYPE}/file/`: the raw bytes, not
    /// signed (the guide and the API reference agree). The upload is checked first.
    pub fn upload_document(
        &self,
        token: &str,
        application_id: &str,
        document_type: &DocumentType,
        content_type: &str,
        bytes: Vec<u8>,
        idempotency_key: Option<&str>,
    ) -> Result<PreparedRequest, Error> {
        let id = checked_id(application_id)?;
        if !document_type.is_known() {
            return Err(Error::invalid_argument(
                "invalid_document_type",
                "the document type is not one the API defines",
            ));
        }
        check_upload(document_type, content_type, &bytes)?;
        let key = key_or_new(idempotency_key)?;
        let path = format!(
            "{APPLICATIONS_PATH}{id}/documents/{}/file/",
            document_type.as_str()
        );
        let mut headers = Vec::with_capacity(4);
        headers.push(("Authorization".to_owned(), bearer(token)?));
        headers.push(("x-jiko-idempotency".to_owned(), key.clone()));
        push_body_headers(&mut headers, content_type.trim(), bytes.len());
        Ok(PreparedRequest {
            method: Method::Post,
            url: format!("{}{path}", self.base_url),
            path,
            headers,
            body: bytes,
            idempotency_key: Some(key),
        })
    }

    /// GET `/api/v1/customers/{id}/`, signed, empty body.
    pub fn get_customer(
        &self,
        token: &str,
        customer_id: &str,
        idempotency_key: Option<&str>,
    ) -> Result<PreparedRequest, Error> {
        let path = format!(
            "/api/v1/customers/{}/",
            checked_uuid(customer_id, "customer")?
        );
        self.signed(Method::Get, path, token, Vec::new(), idempotency_key)
    }

    /// GET `/api/v1/customers/{id}/jiko-accounts/`, signed, empty body: the customer's
    /// accounts (the first 100; Jiko pages by offset).
    pub fn list_customer_accounts(
        &self,
        token: &str,
        customer_id: &str,
        idempotency_key: Option<&str>,
    ) -> Result<PreparedRequest, Error> {
        let path = format!(
            "/api/v1/customers/{}/jiko-accounts/",
            checked_uuid(customer_id, "customer")?
        );
        self.signed(Method::Get, path, token, Vec::new(), idempotency_key)
    }

    /// GET `/api/v1/jiko-accounts/{id}/portals/`, signed, empty body.
    pub fn list_portals(
        &self,
        token: &str,
        account_id: &str,
        idempotency_key: Option<&str>,
    ) -> Result<PreparedRequest, Error> {
        let path = format!(
            "/api/v1/jiko-accounts/{}/portals/",
            checked_uuid(account_id, "account")?
        );
        self.signed(Method::Get, path, token, Vec::new(), idempotency_key)
    }

    /// POST `/api/v1/subscriptions/`: deliveries of `events` to `url`, signed by Jiko with
    /// `shared_secret` (at least 16 characters; not the API signing secret).
    pub fn create_subscription(
        &self,
        token: &str,
        url: &str,
        events: &[EventType],
        shared_secret: &str,
        idempotency_key: Option<&str>,
    ) -> Result<PreparedRequest, Error> {
        let mut errors = Vec::new();
        let url_ok = (url.starts_with("https://") || url.starts_with("http://"))
            && url.len() <= 2_083
            && url.bytes().all(|b| b.is_ascii_graphic());
        if !url_ok {
            errors.push(FieldError::new(
                "url",
                "invalid_url",
                "the URL must be an http(s) URL of at most 2083 characters without spaces",
            ));
        }
        if events.is_empty() {
            errors.push(FieldError::new(
                "events",
                "required",
                "at least one event type is required",
            ));
        }
        if shared_secret.chars().count() < 16 {
            errors.push(FieldError::new(
                "shared_secret",
                "too_short",
                "the shared secret must have at least 16 characters",
            ));
        }
        if !errors.is_empty() {
            return Err(ValidationError { errors }.into());
        }
        let body = to_json(&CreateSubscriptionBody {
            url,
            events,
            shared_secret,
            description: "",
        })?;
        self.signed(
            Method::Post,
            "/api/v1/subscriptions/".to_owned(),
            token,
            body,
            idempotency_key,
        )
    }

    /// GET `/api/v1/events/`, signed, empty body: events after an instant (RFC 3339) or
    /// from a cursor (a previous page's `next_page`). The query is not signed: Jiko signs
    /// the path only.
    pub fn list_events(
        &self,
        token: &str,
        after: Option<&str>,
        cursor: Option<&str>,
        idempotency_key: Option<&str>,
    ) -> Result<PreparedRequest, Error> {
        if let Some(after) = after {
            if Instant::parse_rfc3339(after).is_none() {
                return Err(Error::invalid_argument(
                    "invalid_datetime",
                    "after must be an RFC 3339 date-time with an offset",
                ));
            }
        }
        let mut query = String::new();
        for (name, value) in [("after", after), ("cursor", cursor)] {
            if let Some(value) = value.filter(|v| !v.is_empty()) {
                query.push(if query.is_empty() { '?' } else { '&' });
                query.push_str(name);
                query.push('=');
                query.push_str(&percent_encode(value));
            }
        }
        let mut request = self.signed(
            Method::Get,
            "/api/v1/events/".to_owned(),
            token,
            Vec::new(),
            idempotency_key,
        )?;
        request.url.push_str(&query);
        Ok(request)
    }

    fn signed(
        &self,
        method: Method,
        path: String,
        token: &str,
        body: Vec<u8>,
        idempotency_key: Option<&str>,
    ) -> Result<PreparedRequest, Error> {
        let key = key_or_new(idempotency_key)?;
        let signature = self.signer.sign(&key, &path, &body);
        let mut headers = Vec::with_capacity(5);
        headers.push(("Authorization".to_owned(), bearer(token)?));
        headers.push(("x-jiko-idempotency".to_owned(), key.clone()));
        headers.push(("x-jiko-signature".to_owned(), signature));
        if !body.is_empty() {
            push_body_headers(&mut headers, "application/json", body.len());
        }
        Ok(PreparedRequest {
            method,
            url: format!("{}{path}", self.base_url),
            path,
            headers,
            body,
            idempotency_key: Some(key),
        })
    }
}

/// The exact Create Application body for this application, after validation against
/// `today` (a `ValidationError` with every problem otherwise).
pub(crate) fn create_application_body(
    application: &Value,
    today: CalendarDate,
) -> Result<Vec<u8>, Error> {
    let errors = validate_application_value(application, today);
    if !errors.is_empty() {
        return Err(ValidationError { errors }.into());
    }
    application_body(application).ok_or_else(encode_error)
}

fn push_body_headers(headers: &mut Vec<(String, String)>, content_type: &str, len: usize) {
    headers.push(("Content-Type".to_owned(), content_type.to_owned()));
    headers.push(("Content-Length".to_owned(), len.to_string()));
}

/// The body of a valid application: compact JSON, each object's fields in the schema's
/// order (`CreateApplicationRequest::FIELDS`), nulls left out, strings escaped by
/// serde_json. The same bytes as serde_json writes for the typed model. `None` for a
/// value without the shape validation guarantees.
fn application_body(application: &Value) -> Option<Vec<u8>> {
    let mut body = Vec::with_capacity(512);
    write_object(&mut body, application, CreateApplicationRequest::FIELDS)?;
    Some(body)
}

fn write_object(out: &mut Vec<u8>, object: &Value, fields: &[Field]) -> Option<()> {
    let members = object.as_object()?;
    out.push(b'{');
    let present = fields
        .iter()
        .filter_map(|f| Some((f, members.get(f.name).filter(|v| !v.is_null())?)));
    for (i, (field, value)) in present.enumerate() {
        if i > 0 {
            out.push(b',');
        }
        serde_json::to_writer(&mut *out, field.name).ok()?;
        out.push(b':');
        match field.kind {
            Kind::Object(nested) => write_object(out, value, nested)?,
            _ => serde_json::to_writer(&mut *out, value.as_str()?).ok()?,
        }
    }
    out.push(b'}');
    Some(())
}

fn to_json<T: Serialize>(value: &T) -> Result<Vec<u8>, Error> {
    serde_json::to_vec(value).map_err(|_| encode_error())
}

fn encode_error() -> Error {
    Error::invalid_argument(
        "encoding_failed",
        "the request body could not be encoded as JSON",
    )
}

/// A bearer token is a header value: printable ASCII without spaces, or the request
/// could carry a second header.
fn bearer(token: &str) -> Result<String, Error> {
    if token.is_empty() || !token.bytes().all(|b| b.is_ascii_graphic()) {
        return Err(Error::invalid_argument(
            "invalid_token",
            "the token must be the non-empty printable token Login returned",
        ));
    }
    Ok(format!("Bearer {token}"))
}

/// Ids in paths are UUIDs: anything else could change the signed path.
fn checked_uuid<'a>(id: &'a str, what: &str) -> Result<&'a str, Error> {
    if is_uuid(id) {
        Ok(id)
    } else {
        Err(Error::invalid_argument(
            "invalid_id",
            format!("a {what} id must be a UUID"),
        ))
    }
}

/// Every byte but the unreserved characters of RFC 3986, percent-encoded.
fn percent_encode(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for b in text.bytes() {
        if b.is_ascii_alphanumeric() || b"-._~".contains(&b) {
            out.push(char::from(b));
        } else {
            out.push_str(&format!("%{b:02X}"));
        }
    }
    out
}

/// Application ids are UUIDs: anything else could change the signed path.
fn checked_id(application_id: &str) -> Result<&str, Error> {
    if is_uuid(application_id) {
        Ok(application_id)
    } else {
        Err(Error::invalid_argument(
            "invalid_application_id",
            "an application id must be a UUID",
        ))
    }
}

fn hosted_url(environment: Environment, partner: &str) -> Result<String, Error> {
    let b = partner.as_bytes();
    let label_ok = !b.is_empty()
        && b.len() <= 63
        && b.iter()
            .all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || *c == b'-')
        && b[0] != b'-'
        && b[b.len() - 1] != b'-';
    if !label_ok {
        return Err(Error::invalid_argument(
            "invalid_partner",
            "the partner prefix must be a lower-case DNS label such as acme",
        ));
    }
    let host = match environment {
        Environment::Sandbox => "sandbox-api",
        Environment::Production => "partner-api",
    };
    Ok(format!("https://{partner}.{host}.jikoservices.com"))
}

/// `https://host[:port][/prefix]`, or `http://` to a loopback host. No query, fragment,
/// user info or whitespace; a trailing slash is dropped.
fn checked_base_url(url: &str) -> Result<String, Error> {
    let invalid =
        |why: &str| Error::invalid_argument("invalid_base_url", format!("the base URL {why}"));
    let (scheme, rest) = url
        .split_once("://")
        .ok_or_else(|| invalid("must start with https:// (or http:// for a loopback host)"))?;
    if !url.bytes().all(|b| b.is_ascii_graphic()) || rest.contains(['?', '#', '@', '\\']) {
        return Err(invalid(
            "must not contain spaces, a query, a fragment or user info",
        ));
    }
    let authority = rest.split('/').next().unwrap_or_default();
    if authority.is_empty() {
        return Err(invalid("must name a host"));
    }
    let host = if let Some(v6) = authority.strip_prefix('[') {
        v6.split(']').next().unwrap_or_default()
    } else {
        authority.rsplit_once(':').map_or(authority, |(h, _)| h)
    };
    let loopback = host == "localhost" || host == "::1" || host.starts_with("127.");
    match scheme {
        "https" => {}
        "http" if loopback => {}
        "http" => return Err(invalid("must use https unless the host is loopback")),
        _ => {
            return Err(invalid(
                "must start with https:// (or http:// for a loopback host)",
            ))
        }
    }
    Ok(url.trim_end_matches('/').to_owned())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn base_urls() {
        let ok = |u: &str| checked_base_url(u).unwrap();
        assert_eq!(ok("http://127.0.0.1:8080/"), "http://127.0.0.1:8080");
        assert_eq!(ok("http://localhost:1"), "http://localhost:1");
        assert_eq!(ok("http://[::1]:9"), "http://[::1]:9");
        assert_eq!(
            ok("https://proxy.example.com/jiko"),
            "https://proxy.example.com/jiko"
        );
        for bad in [
            "http://example.com",
            "ftp://x",
            "127.0.0.1:8080",
            "https://",
            "https://a.com/?q",
            "https://user@a.com",
            "https://a .com",
        ] {
            assert_eq!(
                checked_base_url(bad).unwrap_err().code(),
                "invalid_base_url",
                "{bad}"
            );
        }
    }

    #[test]
    fn the_body_is_what_serde_json_writes_for_the_typed_model() {
        let value = serde_json::json!({
            "address": {"country": "US", "state": "CA", "postal_code": "94701", "city": "Berkeley",
                        "street_address2": "Bâtiment \"2\"\n\\", "street_address": "2000 Allston Way"},
            "agreement_consent": {"timestamp": "2023-01-01T12:00:00+00:00", "version": "1"},
            "investment_profile": {"occupation": "Investor", "net_worth": "OVER_5M", "income": "OVER_250K",
                                   "employment_status": "EMPLOYED", "bd_association": "", "director_policy_maker_of_company": null},
            "date_of_birth": "1970-01-01", "phone_number": "+14155550100", "email": "jiko@example.com",
            "name": {"last_name": "Ñúñez", "middle_name": null, "first_name": "Zoë \u{1F680} \u{0007}\u{2028}"},
            "identification_type": "SSN", "identification_number": "999999999",
            "citizenship_country": null, "originally_onboarded_at": "2020-05-01T09:30:00Z",
        });
        let typed: CreateApplicationRequest = serde_json::from_value(value.clone()).unwrap();
        assert_eq!(
            application_body(&value).unwrap(),
            serde_json::to_vec(&typed).unwrap()
        );
        // A value without the validated shape is refused, not written.
        for bad in [
            serde_json::json!([1]),
            serde_json::json!({"email": 5}),
            serde_json::json!({"name": "x"}),
        ] {
            assert_eq!(application_body(&bad), None);
        }
    }

    #[test]
    fn partners_are_dns_labels() {
        assert_eq!(
            hosted_url(Environment::Sandbox, "acme").unwrap(),
            "https://acme.sandbox-api.jikoservices.com"
        );
        assert_eq!(
            hosted_url(Environment::Production, "acme-2").unwrap(),
            "https://acme-2.partner-api.jikoservices.com"
        );
        for bad in ["", "Acme", "-acme", "acme.evil.com/x", "a b"] {
            assert!(hosted_url(Environment::Sandbox, bad).is_err(), "{bad}");
        }
    }
}
