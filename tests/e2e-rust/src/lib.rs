//! The Rust end-to-end toolkit: a blocking driver of the core's flow engine
//! ([`driver`], the Rust example of the loop every binding runs), a small HTTP client
//! for tests that send single prepared requests ([`Caller`]), made-up applicants and
//! faulty raw-socket clients.
//!
//! The core prepares every request and parses every answer, and the flow engine decides
//! every step of a journey; this crate only moves bytes with `ureq`. Nothing here prints
//! or formats a personal value.

#![forbid(unsafe_code)]

pub mod driver;
pub mod faults;
pub mod fixtures;
pub mod receiver;

use std::fmt;
use std::time::Duration;

use jiko_onboarding::{
    parse_agreements, parse_application, parse_login, parse_upload, Agreements, ApiErrorKind,
    Application, CreateApplicationRequest, DocumentRequirement, DocumentType, Error, FlowConfig,
    FlowResult, FlowState, Method, PollPolicy, PreparedRequest, RetryPolicy, Secret, Session,
    UploadedDocument,
};

pub use jiko_onboarding::Client;

/// What came back from the server.
#[derive(Clone)]
pub struct Reply {
    /// HTTP status.
    pub status: u16,
    /// Raw body bytes.
    pub body: Vec<u8>,
    /// The `Retry-After` header, if any.
    pub retry_after: Option<String>,
}

impl fmt::Debug for Reply {
    // The body may hold personal data: show its length only.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Reply")
            .field("status", &self.status)
            .field("body_len", &self.body.len())
            .finish()
    }
}

impl Reply {
    /// Runs one of the core's parsers on this reply, passing `Retry-After` along.
    pub fn parse<T>(&self, parser: fn(u16, &[u8]) -> Result<T, Error>) -> Result<T, Error> {
        parser(self.status, &self.body).map_err(|e| match &self.retry_after {
            Some(v) => e.with_retry_after(v),
            None => e,
        })
    }
}

/// Why a flow failed.
#[derive(Debug)]
pub enum FlowError {
    /// The core refused a request or the server answered with an error.
    Sdk(Error),
    /// The request could not be sent or the answer not read.
    Transport(String),
    /// The server sent something the flow cannot continue from.
    Protocol(String),
}

impl fmt::Display for FlowError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            FlowError::Sdk(e) => write!(f, "{} ({})", e, e.code()),
            FlowError::Transport(e) => write!(f, "transport failure: {e}"),
            FlowError::Protocol(e) => write!(f, "unexpected answer: {e}"),
        }
    }
}

impl std::error::Error for FlowError {}

impl From<Error> for FlowError {
    fn from(e: Error) -> Self {
        FlowError::Sdk(e)
    }
}

impl FlowError {
    /// The API error kind, when the server refused the request.
    pub fn api_kind(&self) -> Option<ApiErrorKind> {
        match self {
            FlowError::Sdk(Error::Api(e)) => Some(e.kind),
            _ => None,
        }
    }
}

/// A blocking HTTP client that sends prepared requests exactly as the core built them.
///
/// It never follows redirects (a redirect would change the signed path) and hands
/// every status, error or not, back to the core's parsers.
#[derive(Clone, Debug)]
pub struct Http {
    agent: ureq::Agent,
}

impl Default for Http {
    fn default() -> Self {
        Http::new()
    }
}

/// Largest response body read (the onboarding answers are a few kilobytes).
const RESPONSE_LIMIT: u64 = 16 << 20;

impl Http {
    /// A client with a 30-second timeout per request and no redirects.
    pub fn new() -> Self {
        let config = ureq::Agent::config_builder()
            .http_status_as_error(false)
            .max_redirects(0)
            .timeout_global(Some(Duration::from_secs(30)))
            .build();
        Http {
            agent: ureq::Agent::new_with_config(config),
        }
    }

    /// Sends the request: its method, URL, headers in order and exact body bytes.
    /// `Content-Length` is left to the HTTP library, which writes the same value.
    pub fn send(&self, request: &PreparedRequest) -> Result<Reply, FlowError> {
        let headers = request
            .headers
            .iter()
            .filter(|(name, _)| !name.eq_ignore_ascii_case("content-length"));
        let result = match request.method {
            Method::Get => {
                let mut builder = self.agent.get(&request.url);
                for (name, value) in headers {
                    builder = builder.header(name.as_str(), value.as_str());
                }
                builder.call()
            }
            Method::Post => {
                let mut builder = self.agent.post(&request.url);
                for (name, value) in headers {
                    builder = builder.header(name.as_str(), value.as_str());
                }
                builder.send(&request.body[..])
            }
        };
        let mut response = result.map_err(|e| FlowError::Transport(e.to_string()))?;
        let status = response.status().as_u16();
        let retry_after = response
            .headers()
            .get("retry-after")
            .and_then(|v| v.to_str().ok())
            .map(str::to_owned);
        let body = response
            .body_mut()
            .with_config()
            .limit(RESPONSE_LIMIT)
            .read_to_vec()
            .map_err(|e| FlowError::Transport(e.to_string()))?;
        Ok(Reply {
            status,
            body,
            retry_after,
        })
    }
}

/// The partner's credentials.
pub struct Credentials {
    /// Login username.
    pub username: String,
    /// Login password (zeroized on drop, never printed).
    pub password: Secret,
}

impl fmt::Debug for Credentials {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("Credentials { .. }")
    }
}

/// Sends single prepared requests with a shared login, for the tests of refusals and
/// answers one request at a time. Journeys go through [`driver`].
pub struct Caller {
    client: Client,
    http: Http,
    credentials: Credentials,
    session: Option<Session>,
    requests: u64,
}

impl fmt::Debug for Caller {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Caller")
            .field("client", &self.client)
            .field("requests", &self.requests)
            .finish_non_exhaustive()
    }
}

/// Seconds since the Unix epoch, for token refresh.
fn now_seconds() -> i64 {
    jiko_sandbox::clock::now_seconds()
}

impl Caller {
    /// A caller with this client and these credentials.
    pub fn new(client: Client, credentials: Credentials) -> Self {
        Caller {
            client,
            http: Http::new(),
            credentials,
            session: None,
            requests: 0,
        }
    }

    /// The core client it prepares requests with.
    pub fn client(&self) -> &Client {
        &self.client
    }

    /// The HTTP client it sends with.
    pub fn http(&self) -> &Http {
        &self.http
    }

    /// How many HTTP requests it sent.
    pub fn requests_sent(&self) -> u64 {
        self.requests
    }

    /// Sends a prepared request and counts it.
    pub fn send(&mut self, request: &PreparedRequest) -> Result<Reply, FlowError> {
        self.requests += 1;
        self.http.send(request)
    }

    /// Logs in now, replacing any session.
    pub fn login(&mut self) -> Result<(), FlowError> {
        let password = self
            .credentials
            .password
            .expose_str()
            .ok_or_else(|| FlowError::Protocol("the password is not UTF-8".to_owned()))?;
        let request = self.client.login(&self.credentials.username, password)?;
        let session = self.send(&request)?.parse(parse_login)?;
        self.session = Some(session);
        Ok(())
    }

    /// The current token, logging in first when there is none or it is about to expire.
    pub fn token(&mut self) -> Result<String, FlowError> {
        let fresh = self
            .session
            .as_ref()
            .is_some_and(|s| !s.needs_refresh(now_seconds()));
        if !fresh {
            self.login()?;
        }
        self.session
            .as_ref()
            .map(|s| s.token().to_owned())
            .ok_or_else(|| FlowError::Protocol("no session after login".to_owned()))
    }

    /// Builds a request with the current token, sends it and parses the answer. On a
    /// 401 it logs in again once and sends a new request (new key, new signature).
    fn call<T>(
        &mut self,
        build: &dyn Fn(&Client, &str) -> Result<PreparedRequest, Error>,
        parser: fn(u16, &[u8]) -> Result<T, Error>,
    ) -> Result<T, FlowError> {
        let token = self.token()?;
        let request = build(&self.client, &token)?;
        match self.send(&request)?.parse(parser) {
            Err(Error::Api(e)) if e.kind == ApiErrorKind::Unauthorized => {
                self.login()?;
                let token = self.token()?;
                let request = build(&self.client, &token)?;
                Ok(self.send(&request)?.parse(parser)?)
            }
            other => Ok(other?),
        }
    }

    /// GET `/api/v1/agreements/`.
    pub fn agreements(&mut self) -> Result<Agreements, FlowError> {
        self.call(&|c, t| c.list_agreements(t, None), parse_agreements)
    }

    /// GET `/api/v1/applications/{id}/`.
    pub fn get(&mut self, id: &str) -> Result<Application, FlowError> {
        self.call(&|c, t| c.get_application(t, id, None), parse_application)
    }

    /// POST `/api/v1/applications/`: creates the application as given, validated
    /// against today's UTC date.
    pub fn create(
        &mut self,
        applicant: &CreateApplicationRequest,
    ) -> Result<Application, FlowError> {
        let today = jiko_sandbox::clock::today_utc()
            .ok_or_else(|| FlowError::Protocol("the system clock is out of range".to_owned()))?;
        self.call(
            &|c, t| c.create_application(t, applicant, today, None),
            parse_application,
        )
    }

    /// POST `/api/v1/applications/{id}/apply/`.
    pub fn apply(&mut self, id: &str) -> Result<Application, FlowError> {
        self.call(&|c, t| c.apply(t, id, None), parse_application)
    }

    /// POST `/api/v1/applications/{id}/documents/{TYPE}/file/`.
    pub fn upload(
        &mut self,
        id: &str,
        document_type: &DocumentType,
        content_type: &str,
        bytes: &[u8],
    ) -> Result<UploadedDocument, FlowError> {
        self.call(
            &|c, t| c.upload_document(t, id, document_type, content_type, bytes.to_vec(), None),
            parse_upload,
        )
    }
}

/// The first type of each requirement, as a small PNG: the documents the tests and the
/// demo provide.
pub fn first_type_as_png(
    requirement: &DocumentRequirement,
) -> (DocumentType, &'static str, Vec<u8>) {
    let document_type = requirement
        .one_of
        .first()
        .cloned()
        .unwrap_or(DocumentType::Other);
    (document_type, "image/png", fixtures::PNG_1X1.to_vec())
}

/// A flow configuration for the local simulator, which decides in milliseconds: reads
/// every 20 ms doubling to 200 ms while KYC runs, manual reviews every minute (so that a
/// journey stops there), retries from 20 ms, outages waited out from 200 ms.
pub fn quick_flow_config() -> FlowConfig {
    FlowConfig {
        poll: PollPolicy {
            fast_initial_ms: 20,
            fast_max_ms: 200,
            fast_phase_ms: 60_000,
            slow_interval_ms: 1_000,
            manual_review_ms: 60_000,
            manual_review_with_webhooks_ms: 60_000,
        },
        retry: RetryPolicy {
            base_delay_ms: 20,
            max_delay_ms: 200,
            outage_base_delay_ms: 200,
            outage_max_delay_ms: 1_000,
            ..RetryPolicy::default()
        },
        ..FlowConfig::default()
    }
}

/// How a journey went: the driver's events and where the flow stopped.
pub struct Journey {
    /// Where the flow stands: approved, rejected, or waiting (manual review).
    pub result: FlowResult,
    /// Every step the driver reported.
    pub events: Vec<driver::Event>,
    /// The flow, to snapshot or continue.
    pub flow: driver::Flow,
}

/// Takes one applicant through the flow engine to a settled state, providing the first
/// type of each required document as a PNG; stops at a wait longer than `max_wait`
/// (a manual review) or at the end.
pub fn journey(
    onboarding: &driver::Onboarding,
    applicant: &CreateApplicationRequest,
    max_wait: Duration,
) -> Result<Journey, Error> {
    let events = std::sync::Arc::new(std::sync::Mutex::new(Vec::new()));
    let sink = events.clone();
    let onboarding = onboarding.clone().with_observer(move |e| {
        if let Ok(mut events) = sink.lock() {
            events.push(e.clone());
        }
    });
    let mut flow = onboarding.start_typed(applicant, None)?;
    let result = finish(&mut flow, max_wait)?;
    let events = events.lock().map(|e| e.clone()).unwrap_or_default();
    Ok(Journey {
        result,
        events,
        flow,
    })
}

/// Runs a flow to a settled state, providing documents when asked.
pub fn finish(flow: &mut driver::Flow, max_wait: Duration) -> Result<FlowResult, Error> {
    // A journey asks for documents at most a few times.
    for _ in 0..8 {
        let result = flow.run(max_wait);
        if result.state != FlowState::DocumentsNeeded {
            return Ok(result);
        }
        for requirement in &result.requirements {
            let (document_type, content_type, bytes) = first_type_as_png(requirement);
            flow.provide_document(document_type, content_type, bytes)?;
        }
    }
    Ok(flow.run(max_wait))
}
