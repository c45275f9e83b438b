//! `Client`, `Signer`, `Session` and `PreparedRequest`: the classes that hold a secret or
//! a token. Their `repr` never shows it, and none of them can be pickled.

use jiko_onboarding as core;
use pyo3::exceptions::PyTypeError;
use pyo3::prelude::*;
use pyo3::pybacked::PyBackedStr;
use pyo3::types::{PyBytes, PyDict, PyList, PyString, PyTuple};

use crate::convert::{detach_if_large, now_of, to_value, today_of, BytesArg};
use crate::errors::py_err;

/// A secret given as `str` or `bytes`.
pub(crate) fn secret_of(obj: &Bound<'_, PyAny>) -> PyResult<core::Secret> {
    if let Ok(s) = obj.cast::<PyString>() {
        let s: PyBackedStr = s.extract()?;
        return Ok(core::Secret::from(&*s));
    }
    if let Ok(b) = obj.cast::<PyBytes>() {
        return Ok(core::Secret::from(b.as_bytes()));
    }
    Err(PyTypeError::new_err(
        "the signing secret must be str or bytes",
    ))
}

/// A bearer token: the `str` Login returned, or the `Session` itself.
fn token_of(obj: &Bound<'_, PyAny>) -> PyResult<String> {
    if let Ok(session) = obj.cast::<Session>() {
        return Ok(session.get().inner.token().to_owned());
    }
    if let Ok(s) = obj.cast::<PyString>() {
        return s.extract();
    }
    Err(PyTypeError::new_err(
        "token must be the str Login returned, or the Session from parse_login",
    ))
}

/// Signs and verifies requests with the partner's shared secret: HMAC-SHA256 over
/// idempotency key + path + body, standard base64. The GIL is released while hashing.
#[pyclass(frozen, module = "jiko_onboarding")]
pub struct Signer {
    inner: core::Signer,
}

#[pymethods]
impl Signer {
    #[new]
    fn new(py: Python<'_>, secret: &Bound<'_, PyAny>) -> PyResult<Self> {
        let inner = core::Signer::new(secret_of(secret)?).map_err(py_err(py))?;
        Ok(Signer { inner })
    }

    /// The `x-jiko-signature` value for this message.
    fn sign(
        &self,
        py: Python<'_>,
        idempotency_key: PyBackedStr,
        path: PyBackedStr,
        body: &Bound<'_, PyAny>,
    ) -> PyResult<String> {
        let body = BytesArg::extract(body, "body")?;
        let body = body.as_bytes();
        Ok(detach_if_large(py, body.len(), || {
            self.inner.sign(&idempotency_key, &path, body)
        }))
    }

    /// Whether `signature` signs this message (constant-time comparison).
    fn verify(
        &self,
        py: Python<'_>,
        idempotency_key: PyBackedStr,
        path: PyBackedStr,
        body: &Bound<'_, PyAny>,
        signature: PyBackedStr,
    ) -> PyResult<bool> {
        let body = BytesArg::extract(body, "body")?;
        let body = body.as_bytes();
        Ok(detach_if_large(py, body.len(), || {
            self.inner.verify(&idempotency_key, &path, body, &signature)
        }))
    }

    fn __repr__(&self) -> &'static str {
        "Signer(secret=<redacted>)"
    }
}

/// The result of Login: the bearer token and when it expires. `repr` hides the token.
#[pyclass(frozen, module = "jiko_onboarding")]
pub struct Session {
    inner: core::Session,
}

impl From<core::Session> for Session {
    fn from(inner: core::Session) -> Self {
        Session { inner }
    }
}

#[pymethods]
impl Session {
    /// The bearer token. Do not log it.
    #[getter]
    fn token(&self) -> &str {
        self.inner.token()
    }

    /// When the token expires, as the server wrote it (RFC 3339).
    #[getter]
    fn expires(&self) -> &str {
        self.inner.expires()
    }

    /// When the token expires, in seconds since the Unix epoch.
    #[getter]
    fn expires_at_unix_seconds(&self) -> i64 {
        self.inner.expires_at_unix_seconds()
    }

    /// Whether to log in again before the next request (from five minutes before
    /// expiry). `now` is seconds since the epoch; it defaults to `time.time()`.
    #[pyo3(signature = (now=None))]
    fn needs_refresh(&self, py: Python<'_>, now: Option<f64>) -> PyResult<bool> {
        Ok(self.inner.needs_refresh(now_of(py, now)?))
    }

    /// `{"token", "expires", "expires_at_unix_seconds"}`. Holds the token.
    fn to_dict<'py>(&self, py: Python<'py>) -> PyResult<Bound<'py, PyDict>> {
        let d = PyDict::new(py);
        d.set_item("token", self.inner.token())?;
        d.set_item("expires", self.inner.expires())?;
        d.set_item(
            "expires_at_unix_seconds",
            self.inner.expires_at_unix_seconds(),
        )?;
        Ok(d)
    }

    fn __repr__(&self) -> String {
        format!(
            "Session(token=<redacted>, expires='{}')",
            self.inner.expires().escape_default()
        )
    }
}

/// A request ready to send with any HTTP client: `method`, `url`, `headers` (ordered
/// `(name, value)` pairs; `headers_dict` for clients that want a dict) and the exact
/// `body` bytes. Resending the same object is a safe retry. `repr` shows no header
/// values and no body, which hold the token and personal data.
#[pyclass(frozen, module = "jiko_onboarding")]
pub struct PreparedRequest {
    /// The core request, without its body (kept once, as `bytes`, below).
    inner: core::PreparedRequest,
    body: Py<PyBytes>,
}

impl PreparedRequest {
    pub(crate) fn new(py: Python<'_>, mut inner: core::PreparedRequest) -> Self {
        let body = PyBytes::new(py, &inner.body).unbind();
        inner.body = Vec::new();
        PreparedRequest { inner, body }
    }

    /// Like [`PreparedRequest::new`], reusing `original` as the body when the request's
    /// body has the same bytes.
    fn with_body(
        py: Python<'_>,
        mut inner: core::PreparedRequest,
        original: &Bound<'_, PyBytes>,
    ) -> Self {
        if inner.body.as_slice() != original.as_bytes() {
            return PreparedRequest::new(py, inner);
        }
        inner.body = Vec::new();
        PreparedRequest {
            inner,
            body: original.clone().unbind(),
        }
    }
}

#[pymethods]
impl PreparedRequest {
    /// `GET` or `POST`.
    #[getter]
    fn method(&self) -> &'static str {
        self.inner.method.as_str()
    }

    /// Base URL plus path.
    #[getter]
    fn url(&self) -> &str {
        &self.inner.url
    }

    /// The path that was signed.
    #[getter]
    fn path(&self) -> &str {
        &self.inner.path
    }

    /// Headers in order, as `(name, value)` tuples.
    #[getter]
    fn headers<'py>(&self, py: Python<'py>) -> PyResult<Bound<'py, PyList>> {
        let list = PyList::empty(py);
        for (name, value) in &self.inner.headers {
            list.append(PyTuple::new(py, [name.as_str(), value.as_str()])?)?;
        }
        Ok(list)
    }

    /// Headers as a dict (names are unique), for `urllib.request.Request` and
    /// `requests`.
    #[getter]
    fn headers_dict<'py>(&self, py: Python<'py>) -> PyResult<Bound<'py, PyDict>> {
        let d = PyDict::new(py);
        for (name, value) in &self.inner.headers {
            d.set_item(name, value)?;
        }
        Ok(d)
    }

    /// The exact body bytes (empty for GET and Apply).
    #[getter]
    fn body<'py>(&self, py: Python<'py>) -> Bound<'py, PyBytes> {
        self.body.bind(py).clone()
    }

    /// The idempotency key, reused on every retry (None for Login).
    #[getter]
    fn idempotency_key(&self) -> Option<&str> {
        self.inner.idempotency_key.as_deref()
    }

    /// The value of a header, by case-insensitive name.
    fn header(&self, name: String) -> Option<&str> {
        self.inner.header(&name)
    }

    /// `{"method", "url", "path", "headers": [[name, value], ...], "body": bytes,
    /// "idempotency_key"}`. Holds the token and the body.
    fn to_dict<'py>(&self, py: Python<'py>) -> PyResult<Bound<'py, PyDict>> {
        let d = PyDict::new(py);
        d.set_item("method", self.method())?;
        d.set_item("url", self.url())?;
        d.set_item("path", self.path())?;
        let headers = PyList::empty(py);
        for (name, value) in &self.inner.headers {
            headers.append(PyList::new(py, [name.as_str(), value.as_str()])?)?;
        }
        d.set_item("headers", headers)?;
        d.set_item("body", self.body.bind(py))?;
        d.set_item("idempotency_key", self.idempotency_key())?;
        Ok(d)
    }

    fn __repr__(&self, py: Python<'_>) -> String {
        let names: Vec<String> = self
            .inner
            .headers
            .iter()
            .map(|(n, _)| format!("'{}'", n.escape_default()))
            .collect();
        format!(
            "PreparedRequest(method='{}', url='{}', header_names=[{}], body_len={})",
            self.inner.method.as_str(),
            self.inner.url.escape_default(),
            names.join(", "),
            self.body.bind(py).as_bytes().len()
        )
    }
}

/// Builds prepared requests for every onboarding endpoint. It holds no connection, only
/// the base URL and the signing secret; `repr` hides the secret.
///
/// `Client(environment="sandbox", partner="acme", signing_secret=...)` for Jiko's hosts,
/// or `Client(base_url="http://127.0.0.1:8080", signing_secret=...)`.
#[pyclass(frozen, module = "jiko_onboarding")]
pub struct Client {
    pub(crate) inner: core::Client,
}

#[pymethods]
impl Client {
    #[new]
    #[pyo3(signature = (*, signing_secret, environment=None, partner=None, base_url=None))]
    fn new(
        py: Python<'_>,
        signing_secret: &Bound<'_, PyAny>,
        environment: Option<String>,
        partner: Option<String>,
        base_url: Option<String>,
    ) -> PyResult<Self> {
        let config = match (environment, partner, base_url) {
            (None, None, Some(url)) => core::ClientConfig::BaseUrl(url),
            (Some(environment), Some(partner), None) => core::ClientConfig::Hosted {
                environment: core::Environment::parse(&environment).map_err(py_err(py))?,
                partner,
            },
            _ => {
                return Err(PyTypeError::new_err(
                    "pass either environment= and partner=, or base_url=",
                ))
            }
        };
        let inner = core::Client::new(config, secret_of(signing_secret)?).map_err(py_err(py))?;
        Ok(Client { inner })
    }

    /// The base URL requests go to, without a trailing slash.
    #[getter]
    fn base_url(&self) -> &str {
        self.inner.base_url()
    }

    /// The signer this client uses (for verifying webhooks or tests).
    #[getter]
    fn signer(&self) -> Signer {
        Signer {
            inner: self.inner.signer().clone(),
        }
    }

    /// POST /api/v1/login/ with JSON credentials; no auth headers, no idempotency key.
    fn login(
        &self,
        py: Python<'_>,
        username: String,
        password: String,
    ) -> PyResult<PreparedRequest> {
        let request = self.inner.login(&username, &password).map_err(py_err(py))?;
        Ok(PreparedRequest::new(py, request))
    }

    /// GET /api/v1/agreements/, signed.
    #[pyo3(signature = (token, idempotency_key=None))]
    fn list_agreements(
        &self,
        py: Python<'_>,
        token: &Bound<'_, PyAny>,
        idempotency_key: Option<String>,
    ) -> PyResult<PreparedRequest> {
        let token = token_of(token)?;
        // A few microseconds of work: done with the GIL held (see DETACH_FROM_BYTES).
        let request = self
            .inner
            .list_agreements(&token, idempotency_key.as_deref())
            .map_err(py_err(py))?;
        Ok(PreparedRequest::new(py, request))
    }

    /// POST /api/v1/applications/: validates against `today` (a `datetime.date`, an ISO
    /// string, or None for today's UTC date), then signs the compact JSON body. Raises
    /// `ValidationError` with every problem at once. `application` is a dict, or JSON
    /// text as `str` or `bytes`.
    #[pyo3(signature = (token, application, today=None, idempotency_key=None))]
    fn create_application(
        &self,
        py: Python<'_>,
        token: &Bound<'_, PyAny>,
        application: &Bound<'_, PyAny>,
        today: Option<&Bound<'_, PyAny>>,
        idempotency_key: Option<String>,
    ) -> PyResult<PreparedRequest> {
        let token = token_of(token)?;
        let today = today_of(py, today)?;
        let key = idempotency_key.as_deref();
        let request = match BytesArg::json_text(application)? {
            Some(text) => {
                let text = text.as_bytes();
                detach_if_large(py, text.len(), || {
                    self.inner.create_application_json(&token, text, today, key)
                })
            }
            // Converting the dict holds the GIL anyway; the core's work on it is a few
            // microseconds for any body that can be valid.
            None => self.inner.create_application_value(
                &token,
                &to_value(application, "application")?,
                today,
                key,
            ),
        }
        .map_err(py_err(py))?;
        Ok(PreparedRequest::new(py, request))
    }

    /// GET /api/v1/applications/{id}/, signed.
    #[pyo3(signature = (token, application_id, idempotency_key=None))]
    fn get_application(
        &self,
        py: Python<'_>,
        token: &Bound<'_, PyAny>,
        application_id: String,
        idempotency_key: Option<String>,
    ) -> PyResult<PreparedRequest> {
        let token = token_of(token)?;
        // A few microseconds of work: done with the GIL held (see DETACH_FROM_BYTES).
        let request = self
            .inner
            .get_application(&token, &application_id, idempotency_key.as_deref())
            .map_err(py_err(py))?;
        Ok(PreparedRequest::new(py, request))
    }

    /// POST /api/v1/applications/{id}/apply/, signed.
    #[pyo3(signature = (token, application_id, idempotency_key=None))]
    fn apply(
        &self,
        py: Python<'_>,
        token: &Bound<'_, PyAny>,
        application_id: String,
        idempotency_key: Option<String>,
    ) -> PyResult<PreparedRequest> {
        let token = token_of(token)?;
        // A few microseconds of work: done with the GIL held (see DETACH_FROM_BYTES).
        let request = self
            .inner
            .apply(&token, &application_id, idempotency_key.as_deref())
            .map_err(py_err(py))?;
        Ok(PreparedRequest::new(py, request))
    }

    /// POST /api/v1/applications/{id}/documents/{TYPE}/file/ with the raw bytes. The
    /// upload is checked first (size, content type, magic bytes): `DocumentError`.
    #[pyo3(signature = (token, application_id, document_type, content_type, data, idempotency_key=None))]
    #[allow(clippy::too_many_arguments)]
    fn upload_document(
        &self,
        py: Python<'_>,
        token: &Bound<'_, PyAny>,
        application_id: String,
        document_type: String,
        content_type: String,
        data: &Bound<'_, PyBytes>,
        idempotency_key: Option<String>,
    ) -> PyResult<PreparedRequest> {
        let token = token_of(token)?;
        let bytes = data.as_bytes();
        let document_type = core::DocumentType::parse(&document_type);
        let request = detach_if_large(py, bytes.len(), || {
            self.inner.upload_document(
                &token,
                &application_id,
                &document_type,
                &content_type,
                bytes.to_vec(),
                idempotency_key.as_deref(),
            )
        })
        .map_err(py_err(py))?;
        // The body is the caller's bytes, unchanged: keep that object rather than a
        // second copy of a document of up to 50 MB.
        Ok(PreparedRequest::with_body(py, request, data))
    }

    /// GET /api/v1/customers/{id}/, signed.
    #[pyo3(signature = (token, customer_id, idempotency_key=None))]
    fn get_customer(
        &self,
        py: Python<'_>,
        token: &Bound<'_, PyAny>,
        customer_id: String,
        idempotency_key: Option<String>,
    ) -> PyResult<PreparedRequest> {
        let token = token_of(token)?;
        let request = self
            .inner
            .get_customer(&token, &customer_id, idempotency_key.as_deref())
            .map_err(py_err(py))?;
        Ok(PreparedRequest::new(py, request))
    }

    /// GET /api/v1/customers/{id}/jiko-accounts/, signed: the customer's accounts.
    #[pyo3(signature = (token, customer_id, idempotency_key=None))]
    fn list_customer_accounts(
        &self,
        py: Python<'_>,
        token: &Bound<'_, PyAny>,
        customer_id: String,
        idempotency_key: Option<String>,
    ) -> PyResult<PreparedRequest> {
        let token = token_of(token)?;
        let request = self
            .inner
            .list_customer_accounts(&token, &customer_id, idempotency_key.as_deref())
            .map_err(py_err(py))?;
        Ok(PreparedRequest::new(py, request))
    }

    /// GET /api/v1/jiko-accounts/{id}/portals/, signed: the account's deposit
    /// instructions.
    #[pyo3(signature = (token, account_id, idempotency_key=None))]
    fn list_portals(
        &self,
        py: Python<'_>,
        token: &Bound<'_, PyAny>,
        account_id: String,
        idempotency_key: Option<String>,
    ) -> PyResult<PreparedRequest> {
        let token = token_of(token)?;
        let request = self
            .inner
            .list_portals(&token, &account_id, idempotency_key.as_deref())
            .map_err(py_err(py))?;
        Ok(PreparedRequest::new(py, request))
    }

    /// POST /api/v1/subscriptions/, signed: deliveries of `events` to `url`, signed by
    /// Jiko with `shared_secret` (at least 16 characters; not the API signing secret).
    #[pyo3(signature = (token, url, events, shared_secret, idempotency_key=None))]
    fn create_subscription(
        &self,
        py: Python<'_>,
        token: &Bound<'_, PyAny>,
        url: String,
        events: Vec<String>,
        shared_secret: PyBackedStr,
        idempotency_key: Option<String>,
    ) -> PyResult<PreparedRequest> {
        let token = token_of(token)?;
        let events: Vec<core::EventType> =
            events.iter().map(|e| core::EventType::parse(e)).collect();
        let request = self
            .inner
            .create_subscription(
                &token,
                &url,
                &events,
                &shared_secret,
                idempotency_key.as_deref(),
            )
            .map_err(py_err(py))?;
        Ok(PreparedRequest::new(py, request))
    }

    /// GET /api/v1/events/, signed: events recorded after `after` (RFC 3339), or the page
    /// a previous answer's `next_page` names (`cursor`).
    #[pyo3(signature = (token, after=None, cursor=None, idempotency_key=None))]
    fn list_events(
        &self,
        py: Python<'_>,
        token: &Bound<'_, PyAny>,
        after: Option<String>,
        cursor: Option<String>,
        idempotency_key: Option<String>,
    ) -> PyResult<PreparedRequest> {
        let token = token_of(token)?;
        let request = self
            .inner
            .list_events(
                &token,
                after.as_deref(),
                cursor.as_deref(),
                idempotency_key.as_deref(),
            )
            .map_err(py_err(py))?;
        Ok(PreparedRequest::new(py, request))
    }

    fn __repr__(&self) -> String {
        format!(
            "Client(base_url='{}', signing_secret=<redacted>)",
            self.inner.base_url().escape_default()
        )
    }
}
