//! The signing client: `Client` and its prepared requests, `Signer`, `Session`, fresh
//! idempotency keys. Server module only.

use jiko_onboarding as jiko;
use js_sys::{Reflect, Uint8Array};
use serde::Serialize;
use tsify::Tsify;
use wasm_bindgen::prelude::*;

use super::options::{fields_arg, Fields};
use crate::convert::{
    bytes_arg, is_absent, json_text_arg, model_arg, string_arg, to_js, today_arg,
};
use crate::errors;

// The declarations of the option objects below are generated from these types; the
// objects are read property by property (convert::fields_arg), by the same names.

/// Where a client sends requests: a Jiko environment and the partner's prefix, or any
/// base URL (the local simulator, a test server; `http` only for loopback hosts).
#[derive(Tsify)]
#[serde(untagged)]
pub enum ClientConfig {
    /// `https://<partner>.sandbox-api.jikoservices.com` or
    /// `https://<partner>.partner-api.jikoservices.com`.
    Hosted {
        /// `sandbox` or `production`.
        #[tsify(type = "\"sandbox\" | \"production\"")]
        environment: String,
        /// The partner prefix Jiko assigned, such as `acme`.
        partner: String,
    },
    /// Any base URL.
    BaseUrl {
        /// Such as `http://127.0.0.1:8080`.
        base_url: String,
    },
}

const CLIENT_CONFIG_SHAPE: &str =
    "{ environment: \"sandbox\" | \"production\", partner: string } or { base_url: string }";

/// Options of `new Client(...)` and `new Signer(...)`.
#[derive(Tsify)]
#[serde(rename_all = "camelCase")]
pub struct SecretOptions {
    /// Allow the shared secret in a web page. Only for a local demo or test: anyone
    /// who can open the page can read the secret and sign requests as the partner.
    #[tsify(optional)]
    pub dangerously_allow_browser: Option<bool>,
}

const SECRET_OPTIONS_SHAPE: &str = "{ dangerouslyAllowBrowser?: boolean }";

/// Options of every request builder.
#[derive(Tsify)]
#[serde(rename_all = "camelCase")]
pub struct RequestOptions {
    /// The idempotency key (a UUID); a fresh UUID v4 when left out. Pass the same key
    /// only to rebuild the same operation.
    #[tsify(optional)]
    pub idempotency_key: Option<String>,
}

const REQUEST_OPTIONS_SHAPE: &str = "{ idempotencyKey?: string }";

/// Options of `client.createApplication(...)`.
#[derive(Tsify)]
#[serde(rename_all = "camelCase")]
pub struct CreateApplicationOptions {
    /// The idempotency key (a UUID); a fresh UUID v4 when left out.
    #[tsify(optional)]
    pub idempotency_key: Option<String>,
    /// The calendar date the applicant's age is checked against, `YYYY-MM-DD`; today's
    /// UTC date when left out (the same default in every language).
    #[tsify(optional)]
    pub today: Option<String>,
}

const CREATE_OPTIONS_SHAPE: &str = "{ idempotencyKey?: string, today?: string }";

/// Options of `client.listEvents(...)`.
#[derive(Tsify)]
#[serde(rename_all = "camelCase")]
pub struct ListEventsOptions {
    /// Only events after this instant (RFC 3339 with an offset).
    #[tsify(optional)]
    pub after: Option<String>,
    /// A page's `next_page` (or `prev_page`), to read the page it names.
    #[tsify(optional)]
    pub cursor: Option<String>,
    /// The idempotency key (a UUID); a fresh UUID v4 when left out.
    #[tsify(optional)]
    pub idempotency_key: Option<String>,
}

const LIST_EVENTS_OPTIONS_SHAPE: &str =
    "{ after?: string, cursor?: string, idempotencyKey?: string }";

/// A request ready to send with `fetch` or any HTTP client:
/// `fetch(request.url, { method: request.method, headers: request.headers, body: request.body })`
/// (leave `body` out of a GET). Resending the same object is a safe retry. It holds the
/// bearer token and the body: do not log it.
// This struct is the TypeScript declaration; `prepared` builds the object with exactly
// these properties.
#[derive(Tsify)]
#[tsify(missing_as_null)]
pub struct PreparedRequest {
    /// `GET` or `POST`.
    #[tsify(type = "\"GET\" | \"POST\"")]
    pub method: String,
    /// Base URL plus path.
    pub url: String,
    /// The path that was signed.
    pub path: String,
    /// Header name and value pairs, in order; `fetch` takes them as they are.
    pub headers: Vec<(String, String)>,
    /// The exact bytes to send (empty for GET and Apply).
    #[tsify(type = "Uint8Array<ArrayBuffer>")]
    pub body: Vec<u8>,
    /// The idempotency key this request carries; `null` for Login.
    pub idempotency_key: Option<String>,
}

/// A core request as the object `PreparedRequest` declares: every field but the body
/// through JSON, and the body copied into a `Uint8Array` of its own.
pub(crate) fn prepared(
    result: Result<jiko::PreparedRequest, jiko::Error>,
) -> Result<JsValue, JsValue> {
    #[derive(Serialize)]
    struct Head<'a> {
        method: &'a str,
        url: &'a str,
        path: &'a str,
        headers: &'a [(String, String)],
        idempotency_key: Option<&'a str>,
    }
    let request = result.map_err(errors::from_core)?;
    let object = to_js(&Head {
        method: request.method.as_str(),
        url: &request.url,
        path: &request.path,
        headers: &request.headers,
        idempotency_key: request.idempotency_key.as_deref(),
    })?;
    let body = Uint8Array::from(request.body.as_slice());
    Reflect::set(&object, &JsValue::from_str("body"), &body).map_err(|_| {
        errors::binding(
            "encoding_failed",
            "the result could not be converted to a JavaScript value",
        )
    })?;
    Ok(object)
}

/// A fresh idempotency key: a UUID v4, lower case, from `crypto.getRandomValues`.
#[wasm_bindgen(js_name = "newIdempotencyKey")]
pub fn new_idempotency_key() -> Result<String, JsValue> {
    key_or_fresh(None)
}

/// The caller's idempotency key (the core checks that it is a UUID), or a fresh one.
pub(crate) fn key_or_fresh(supplied: Option<String>) -> Result<String, JsValue> {
    match supplied {
        Some(key) => Ok(key),
        None => jiko::new_idempotency_key().map_err(errors::from_core),
    }
}

const BROWSER_SECRET_MESSAGE: &str = "the shared signing secret belongs on the partner's server: \
in a web page anyone can read it and sign requests as the partner. Prepare and sign requests on \
the server; validation, required documents, next action and response parsing need no secret and \
work in the browser. Pass { dangerouslyAllowBrowser: true } only for a local demo or test";

/// Whether this runs in a web page: `window` and `document` both exist.
fn in_web_page() -> bool {
    let global = js_sys::global();
    let defined = |name: &str| {
        Reflect::get(&global, &JsValue::from_str(name))
            .map(|v| !is_absent(&v))
            .unwrap_or(false)
    };
    defined("window") && defined("document")
}

/// Refuses a secret in a web page unless the caller opted in.
pub(crate) fn guard_secret(options: &JsValue) -> Result<(), JsValue> {
    let options = fields_arg(
        options,
        &["dangerouslyAllowBrowser"],
        SECRET_OPTIONS_SHAPE,
        options_error,
    )?;
    if options.boolean("dangerouslyAllowBrowser")? != Some(true) && in_web_page() {
        return Err(errors::binding("browser_secret", BROWSER_SECRET_MESSAGE));
    }
    Ok(())
}

pub(crate) fn options_error(shape: &str) -> JsValue {
    errors::invalid_argument(&format!("options must be {shape}"))
}

pub(crate) fn config_error(shape: &str) -> JsValue {
    errors::binding("invalid_config", &format!("config must be {shape}"))
}

/// `{ idempotencyKey }`.
fn request_options(options: &JsValue) -> Result<String, JsValue> {
    key_or_fresh(
        fields_arg(
            options,
            &["idempotencyKey"],
            REQUEST_OPTIONS_SHAPE,
            options_error,
        )?
        .string("idempotencyKey")?,
    )
}

/// A shared secret: a string (its UTF-8 bytes) or bytes.
pub(crate) fn secret_arg(value: &JsValue) -> Result<jiko::Secret, JsValue> {
    bytes_arg(value, "the signing secret", true).map(jiko::Secret::new)
}

/// `{ environment, partner }` or `{ base_url }` as the core's configuration.
pub(crate) fn client_config(config: &JsValue) -> Result<jiko::ClientConfig, JsValue> {
    let fields: Fields = fields_arg(
        config,
        &["environment", "partner", "base_url"],
        CLIENT_CONFIG_SHAPE,
        config_error,
    )?;
    match (
        fields.string("environment")?,
        fields.string("partner")?,
        fields.string("base_url")?,
    ) {
        (Some(environment), Some(partner), None) => Ok(jiko::ClientConfig::Hosted {
            environment: jiko::Environment::parse(&environment).map_err(errors::from_core)?,
            partner,
        }),
        (None, None, Some(base_url)) => Ok(jiko::ClientConfig::BaseUrl(base_url)),
        _ => Err(config_error(CLIENT_CONFIG_SHAPE)),
    }
}

/// Builds the prepared requests of every onboarding endpoint. It holds no connection,
/// only the base URL and the signing secret, which never leaves WebAssembly memory and
/// is zeroed when the client is freed. Server-side only (see `dangerouslyAllowBrowser`).
#[wasm_bindgen]
pub struct Client {
    pub(crate) inner: jiko::Client,
}

#[wasm_bindgen]
impl Client {
    /// A client for this environment or base URL, signing with the shared secret.
    #[wasm_bindgen(constructor)]
    pub fn new(
        #[wasm_bindgen(unchecked_param_type = "ClientConfig")] config: JsValue,
        #[wasm_bindgen(
            js_name = "signingSecret",
            unchecked_param_type = "string | Uint8Array"
        )]
        signing_secret: JsValue,
        #[wasm_bindgen(unchecked_optional_param_type = "SecretOptions")] options: JsValue,
    ) -> Result<Client, JsValue> {
        guard_secret(&options)?;
        let config = client_config(&config)?;
        let inner =
            jiko::Client::new(config, secret_arg(&signing_secret)?).map_err(errors::from_core)?;
        Ok(Client { inner })
    }

    /// The base URL requests go to, without a trailing slash.
    #[wasm_bindgen(getter, js_name = "baseUrl")]
    pub fn base_url(&self) -> String {
        self.inner.base_url().to_owned()
    }

    /// POST `/api/v1/login/`: JSON credentials, no auth headers, no idempotency key.
    #[wasm_bindgen(unchecked_return_type = "PreparedRequest")]
    pub fn login(
        &self,
        #[wasm_bindgen(unchecked_param_type = "string")] username: JsValue,
        #[wasm_bindgen(unchecked_param_type = "string")] password: JsValue,
    ) -> Result<JsValue, JsValue> {
        let username = string_arg(&username, "username")?;
        // Zeroed when dropped, like every secret the core holds.
        let password = jiko::Secret::from(string_arg(&password, "password")?);
        prepared(
            self.inner
                .login(&username, password.expose_str().unwrap_or_default()),
        )
    }

    /// GET `/api/v1/agreements/`, signed.
    #[wasm_bindgen(js_name = "listAgreements", unchecked_return_type = "PreparedRequest")]
    pub fn list_agreements(
        &self,
        #[wasm_bindgen(unchecked_param_type = "string")] token: JsValue,
        #[wasm_bindgen(unchecked_optional_param_type = "RequestOptions")] options: JsValue,
    ) -> Result<JsValue, JsValue> {
        let token = string_arg(&token, "token")?;
        let key = request_options(&options)?;
        prepared(self.inner.list_agreements(&token, Some(&key)))
    }

    /// POST `/api/v1/applications/`: validates the application against `today` (every
    /// problem at once, as a `JikoValidationError`), then compact JSON, signed. The
    /// application is an object, or its JSON text (a string, `Uint8Array` or
    /// `ArrayBuffer`).
    #[wasm_bindgen(
        js_name = "createApplication",
        unchecked_return_type = "PreparedRequest"
    )]
    pub fn create_application(
        &self,
        #[wasm_bindgen(unchecked_param_type = "string")] token: JsValue,
        #[wasm_bindgen(
            unchecked_param_type = "CreateApplicationRequest | string | Uint8Array | ArrayBuffer"
        )]
        application: JsValue,
        #[wasm_bindgen(unchecked_optional_param_type = "CreateApplicationOptions")]
        options: JsValue,
    ) -> Result<JsValue, JsValue> {
        let token = string_arg(&token, "token")?;
        let options = fields_arg(
            &options,
            &["idempotencyKey", "today"],
            CREATE_OPTIONS_SHAPE,
            options_error,
        )?;
        let key = key_or_fresh(options.string("idempotencyKey")?)?;
        let today = today_arg(options.string("today")?.as_deref())?;
        let application = json_text_arg(&application, "application")?;
        prepared(
            self.inner
                .create_application_json(&token, &application, today, Some(&key)),
        )
    }

    /// GET `/api/v1/applications/{id}/`, signed.
    #[wasm_bindgen(js_name = "getApplication", unchecked_return_type = "PreparedRequest")]
    pub fn get_application(
        &self,
        #[wasm_bindgen(unchecked_param_type = "string")] token: JsValue,
        #[wasm_bindgen(js_name = "applicationId", unchecked_param_type = "string")]
        application_id: JsValue,
        #[wasm_bindgen(unchecked_optional_param_type = "RequestOptions")] options: JsValue,
    ) -> Result<JsValue, JsValue> {
        let token = string_arg(&token, "token")?;
        let id = string_arg(&application_id, "applicationId")?;
        let key = request_options(&options)?;
        prepared(self.inner.get_application(&token, &id, Some(&key)))
    }

    /// POST `/api/v1/applications/{id}/apply/`, signed, empty body.
    #[wasm_bindgen(unchecked_return_type = "PreparedRequest")]
    pub fn apply(
        &self,
        #[wasm_bindgen(unchecked_param_type = "string")] token: JsValue,
        #[wasm_bindgen(js_name = "applicationId", unchecked_param_type = "string")]
        application_id: JsValue,
        #[wasm_bindgen(unchecked_optional_param_type = "RequestOptions")] options: JsValue,
    ) -> Result<JsValue, JsValue> {
        let token = string_arg(&token, "token")?;
        let id = string_arg(&application_id, "applicationId")?;
        let key = request_options(&options)?;
        prepared(self.inner.apply(&token, &id, Some(&key)))
    }

    /// POST `/api/v1/applications/{id}/documents/{TYPE}/file/`: the raw bytes, not
    /// signed. Empty, oversized or mistyped uploads throw a `JikoDocumentError` first.
    #[wasm_bindgen(js_name = "uploadDocument", unchecked_return_type = "PreparedRequest")]
    pub fn upload_document(
        &self,
        #[wasm_bindgen(unchecked_param_type = "string")] token: JsValue,
        #[wasm_bindgen(js_name = "applicationId", unchecked_param_type = "string")]
        application_id: JsValue,
        #[wasm_bindgen(js_name = "documentType", unchecked_param_type = "DocumentType")]
        document_type: JsValue,
        #[wasm_bindgen(js_name = "contentType", unchecked_param_type = "string")]
        content_type: JsValue,
        #[wasm_bindgen(unchecked_param_type = "Uint8Array | ArrayBuffer")] bytes: JsValue,
        #[wasm_bindgen(unchecked_optional_param_type = "RequestOptions")] options: JsValue,
    ) -> Result<JsValue, JsValue> {
        let token = string_arg(&token, "token")?;
        let id = string_arg(&application_id, "applicationId")?;
        let document_type = jiko::DocumentType::parse(&string_arg(&document_type, "documentType")?);
        let content_type = string_arg(&content_type, "contentType")?;
        let bytes = bytes_arg(&bytes, "bytes", false)?;
        let key = request_options(&options)?;
        prepared(self.inner.upload_document(
            &token,
            &id,
            &document_type,
            &content_type,
            bytes,
            Some(&key),
        ))
    }

    /// GET `/api/v1/customers/{id}/`, signed: the customer an approval created.
    #[wasm_bindgen(js_name = "getCustomer", unchecked_return_type = "PreparedRequest")]
    pub fn get_customer(
        &self,
        #[wasm_bindgen(unchecked_param_type = "string")] token: JsValue,
        #[wasm_bindgen(js_name = "customerId", unchecked_param_type = "string")]
        customer_id: JsValue,
        #[wasm_bindgen(unchecked_optional_param_type = "RequestOptions")] options: JsValue,
    ) -> Result<JsValue, JsValue> {
        let token = string_arg(&token, "token")?;
        let id = string_arg(&customer_id, "customerId")?;
        let key = request_options(&options)?;
        prepared(self.inner.get_customer(&token, &id, Some(&key)))
    }

    /// GET `/api/v1/customers/{id}/jiko-accounts/`, signed: the customer's accounts.
    #[wasm_bindgen(
        js_name = "listCustomerAccounts",
        unchecked_return_type = "PreparedRequest"
    )]
    pub fn list_customer_accounts(
        &self,
        #[wasm_bindgen(unchecked_param_type = "string")] token: JsValue,
        #[wasm_bindgen(js_name = "customerId", unchecked_param_type = "string")]
        customer_id: JsValue,
        #[wasm_bindgen(unchecked_optional_param_type = "RequestOptions")] options: JsValue,
    ) -> Result<JsValue, JsValue> {
        let token = string_arg(&token, "token")?;
        let id = string_arg(&customer_id, "customerId")?;
        let key = request_options(&options)?;
        prepared(self.inner.list_customer_accounts(&token, &id, Some(&key)))
    }

    /// GET `/api/v1/jiko-accounts/{id}/portals/`, signed: an account's deposit
    /// instructions (routing and account numbers).
    #[wasm_bindgen(js_name = "listPortals", unchecked_return_type = "PreparedRequest")]
    pub fn list_portals(
        &self,
        #[wasm_bindgen(unchecked_param_type = "string")] token: JsValue,
        #[wasm_bindgen(js_name = "accountId", unchecked_param_type = "string")] account_id: JsValue,
        #[wasm_bindgen(unchecked_optional_param_type = "RequestOptions")] options: JsValue,
    ) -> Result<JsValue, JsValue> {
        let token = string_arg(&token, "token")?;
        let id = string_arg(&account_id, "accountId")?;
        let key = request_options(&options)?;
        prepared(self.inner.list_portals(&token, &id, Some(&key)))
    }

    /// POST `/api/v1/subscriptions/`, signed: webhook deliveries of `events` to `url`,
    /// signed by Jiko with `sharedSecret` (at least 16 characters; not the API signing
    /// secret). Checked first: a `JikoValidationError` lists every problem.
    #[wasm_bindgen(
        js_name = "createSubscription",
        unchecked_return_type = "PreparedRequest"
    )]
    pub fn create_subscription(
        &self,
        #[wasm_bindgen(unchecked_param_type = "string")] token: JsValue,
        #[wasm_bindgen(unchecked_param_type = "string")] url: JsValue,
        #[wasm_bindgen(unchecked_param_type = "EventType[]")] events: JsValue,
        #[wasm_bindgen(js_name = "sharedSecret", unchecked_param_type = "string")]
        shared_secret: JsValue,
        #[wasm_bindgen(unchecked_optional_param_type = "RequestOptions")] options: JsValue,
    ) -> Result<JsValue, JsValue> {
        let token = string_arg(&token, "token")?;
        let url = string_arg(&url, "url")?;
        let events: Vec<String> = model_arg(&events, "events", "an array of event type strings")?;
        let events: Vec<jiko::EventType> =
            events.iter().map(|e| jiko::EventType::parse(e)).collect();
        // Zeroed when dropped, like every secret the core holds.
        let shared_secret = jiko::Secret::from(string_arg(&shared_secret, "sharedSecret")?);
        let key = request_options(&options)?;
        prepared(self.inner.create_subscription(
            &token,
            &url,
            &events,
            shared_secret.expose_str().unwrap_or_default(),
            Some(&key),
        ))
    }

    /// GET `/api/v1/events/`, signed: the events after an instant (`after`, RFC 3339)
    /// or from a cursor (a page's `next_page`). The query is not signed.
    #[wasm_bindgen(js_name = "listEvents", unchecked_return_type = "PreparedRequest")]
    pub fn list_events(
        &self,
        #[wasm_bindgen(unchecked_param_type = "string")] token: JsValue,
        #[wasm_bindgen(unchecked_optional_param_type = "ListEventsOptions")] options: JsValue,
    ) -> Result<JsValue, JsValue> {
        let token = string_arg(&token, "token")?;
        let options = fields_arg(
            &options,
            &["after", "cursor", "idempotencyKey"],
            LIST_EVENTS_OPTIONS_SHAPE,
            options_error,
        )?;
        let after = options.string("after")?;
        let cursor = options.string("cursor")?;
        let key = key_or_fresh(options.string("idempotencyKey")?)?;
        prepared(
            self.inner
                .list_events(&token, after.as_deref(), cursor.as_deref(), Some(&key)),
        )
    }

    /// `Client(<base URL>)`: never the secret.
    #[wasm_bindgen(js_name = "toString")]
    pub fn to_string_js(&self) -> String {
        format!("Client({})", self.inner.base_url())
    }

    /// `{ base_url }`: never the secret.
    #[wasm_bindgen(js_name = "toJSON", unchecked_return_type = "{ base_url: string }")]
    pub fn to_json(&self) -> Result<JsValue, JsValue> {
        #[derive(Serialize)]
        struct Shown<'a> {
            base_url: &'a str,
        }
        to_js(&Shown {
            base_url: self.inner.base_url(),
        })
    }
}

/// Signs and verifies requests with the partner's shared secret (HMAC-SHA256, standard
/// base64). Server-side only (see `dangerouslyAllowBrowser`).
#[wasm_bindgen]
pub struct Signer {
    inner: jiko::Signer,
}

#[wasm_bindgen]
impl Signer {
    /// A signer for this shared secret.
    #[wasm_bindgen(constructor)]
    pub fn new(
        #[wasm_bindgen(unchecked_param_type = "string | Uint8Array")] secret: JsValue,
        #[wasm_bindgen(unchecked_optional_param_type = "SecretOptions")] options: JsValue,
    ) -> Result<Signer, JsValue> {
        guard_secret(&options)?;
        let inner = jiko::Signer::new(secret_arg(&secret)?).map_err(errors::from_core)?;
        Ok(Signer { inner })
    }

    /// The `x-jiko-signature` value of `idempotency key + path + body`.
    pub fn sign(
        &self,
        #[wasm_bindgen(js_name = "idempotencyKey", unchecked_param_type = "string")]
        idempotency_key: JsValue,
        #[wasm_bindgen(unchecked_param_type = "string")] path: JsValue,
        #[wasm_bindgen(unchecked_param_type = "Uint8Array | ArrayBuffer | string")] body: JsValue,
    ) -> Result<String, JsValue> {
        let key = string_arg(&idempotency_key, "idempotencyKey")?;
        let path = string_arg(&path, "path")?;
        let body = bytes_arg(&body, "body", true)?;
        Ok(self.inner.sign(&key, &path, &body))
    }

    /// Whether `signature` signs `idempotency key + path + body` (constant time).
    pub fn verify(
        &self,
        #[wasm_bindgen(js_name = "idempotencyKey", unchecked_param_type = "string")]
        idempotency_key: JsValue,
        #[wasm_bindgen(unchecked_param_type = "string")] path: JsValue,
        #[wasm_bindgen(unchecked_param_type = "Uint8Array | ArrayBuffer | string")] body: JsValue,
        #[wasm_bindgen(unchecked_param_type = "string")] signature: JsValue,
    ) -> Result<bool, JsValue> {
        let key = string_arg(&idempotency_key, "idempotencyKey")?;
        let path = string_arg(&path, "path")?;
        let body = bytes_arg(&body, "body", true)?;
        let signature = string_arg(&signature, "signature")?;
        Ok(self.inner.verify(&key, &path, &body, &signature))
    }

    /// `Signer(<redacted>)`.
    #[wasm_bindgen(js_name = "toString")]
    pub fn to_string_js(&self) -> String {
        "Signer(<redacted>)".to_owned()
    }

    /// `"Signer(<redacted>)"`: never the secret.
    #[wasm_bindgen(js_name = "toJSON")]
    pub fn to_json(&self) -> String {
        self.to_string_js()
    }
}

/// A logged-in session, from `parseLogin`. The token is kept in WebAssembly memory and
/// zeroed when the session is freed; `toString` and `toJSON` never show it.
#[wasm_bindgen]
pub struct Session {
    inner: jiko::Session,
}

impl Session {
    pub(crate) fn from_core(inner: jiko::Session) -> Session {
        Session { inner }
    }
}

#[wasm_bindgen]
impl Session {
    /// The bearer token, for the request builders. Do not log it.
    #[wasm_bindgen(getter)]
    pub fn token(&self) -> String {
        self.inner.token().to_owned()
    }

    /// When the token expires, as the server wrote it (RFC 3339).
    #[wasm_bindgen(getter)]
    pub fn expires(&self) -> String {
        self.inner.expires().to_owned()
    }

    /// When the token expires, in seconds since the Unix epoch.
    #[wasm_bindgen(getter, js_name = "expiresAtUnixSeconds")]
    pub fn expires_at_unix_seconds(&self) -> f64 {
        // Seconds since 1970 stay far below 2^53: exact as a JavaScript number.
        self.inner.expires_at_unix_seconds() as f64
    }

    /// Whether to log in again before the next request: true from five minutes before
    /// expiry. `now` is milliseconds since the Unix epoch, `Date.now()` when left out.
    #[wasm_bindgen(js_name = "needsRefresh")]
    pub fn needs_refresh(
        &self,
        #[wasm_bindgen(unchecked_optional_param_type = "number")] now: JsValue,
    ) -> Result<bool, JsValue> {
        let now_ms = if is_absent(&now) {
            js_sys::Date::now()
        } else {
            now.as_f64().filter(|n| n.is_finite()).ok_or_else(|| {
                errors::invalid_argument(
                    "now must be milliseconds since the Unix epoch, like Date.now()",
                )
            })?
        };
        // Saturating float-to-int conversion; any finite instant fits after dividing.
        let now_seconds = (now_ms / 1000.0).floor() as i64;
        Ok(self.inner.needs_refresh(now_seconds))
    }

    /// `Session(expires <expires>)`: never the token.
    #[wasm_bindgen(js_name = "toString")]
    pub fn to_string_js(&self) -> String {
        format!("Session(expires {})", self.inner.expires())
    }

    /// `{ expires, expires_at_unix_seconds }`: never the token.
    #[wasm_bindgen(
        js_name = "toJSON",
        unchecked_return_type = "{ expires: string; expires_at_unix_seconds: number }"
    )]
    pub fn to_json(&self) -> Result<JsValue, JsValue> {
        #[derive(Serialize)]
        struct Shown<'a> {
            expires: &'a str,
            expires_at_unix_seconds: i64,
        }
        to_js(&Shown {
            expires: self.inner.expires(),
            expires_at_unix_seconds: self.inner.expires_at_unix_seconds(),
        })
    }
}
