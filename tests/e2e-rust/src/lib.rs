//! A small blocking HTTP client for the core's prepared requests, and a driver that
//! takes one applicant through onboarding by following the core's `next_action`.
//!
//! The core prepares every request (path, headers, signature, exact body bytes) and
//! parses every answer; this crate only moves bytes with `ureq`, and decides nothing
//! that the core already decides. The demo and the Rust end-to-end tests both use it.
//!
//! Nothing here prints or formats a personal value: steps carry statuses, document
//! types and next actions only.

#![forbid(unsafe_code)]

pub mod driver;
pub mod faults;
pub mod fixtures;

use std::fmt;
use std::time::Duration;

use jiko_onboarding::{
    next_action, parse_agreements, parse_application, parse_login, parse_upload, Agreements,
    ApiErrorKind, Application, ApplicationStatus, CreateApplicationRequest, DocumentType, Error,
    Method, NextAction, PreparedRequest, Secret, Session, UploadedDocument, WaitReason,
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
    /// The status did not move after the maximum number of polls.
    Stuck {
        /// The status it stayed in.
        status: String,
        /// How many times it was polled.
        polls: u32,
    },
    /// The server sent something the flow cannot continue from.
    Protocol(String),
}

impl fmt::Display for FlowError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            FlowError::Sdk(e) => write!(f, "{} ({})", e, e.code()),
            FlowError::Transport(e) => write!(f, "transport failure: {e}"),
            FlowError::Stuck { status, polls } => {
                write!(f, "still {status} after {polls} polls")
            }
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

/// One step of a flow, as the demo prints it: no personal value, ever.
#[derive(Clone, Debug)]
pub struct Step {
    /// What was done: `login`, `list agreements`, `create application`, `apply`,
    /// `get application`, `upload document`.
    pub operation: String,
    /// A short non-personal detail (a document type, a bundle version, a poll count).
    pub detail: Option<String>,
    /// The application's status after the step, when the step returned one.
    pub status: Option<ApplicationStatus>,
    /// The core's next action for the application after the step.
    pub next_action: Option<NextAction>,
}

impl Step {
    fn plain(operation: &str, detail: Option<String>) -> Self {
        Step {
            operation: operation.to_owned(),
            detail,
            status: None,
            next_action: None,
        }
    }

    fn with_application(operation: &str, detail: Option<String>, app: &Application) -> Self {
        Step {
            operation: operation.to_owned(),
            detail,
            status: Some(app.status.clone()),
            next_action: Some(next_action(app)),
        }
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

/// Which document of a requirement to upload, and its bytes.
pub type DocumentSource = dyn Fn(&[DocumentType]) -> (DocumentType, &'static str, Vec<u8>);

/// Drives applicants through onboarding: logs in when needed, then follows the core's
/// `next_action` until the application is approved, rejected or in manual review.
pub struct Onboarder {
    client: Client,
    http: Http,
    credentials: Credentials,
    session: Option<Session>,
    requests: u64,
    /// Pause between polls of a SUBMITTED application (zero for the simulator).
    pub poll_interval: Duration,
    /// Polls allowed while SUBMITTED before the flow gives up.
    pub max_polls: u32,
}

impl fmt::Debug for Onboarder {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Onboarder")
            .field("client", &self.client)
            .field("requests", &self.requests)
            .finish_non_exhaustive()
    }
}

/// Seconds since the Unix epoch, for token refresh.
fn now_seconds() -> i64 {
    jiko_sandbox::clock::now_seconds()
}

impl Onboarder {
    /// A driver for this client and these credentials.
    pub fn new(client: Client, credentials: Credentials) -> Self {
        Onboarder {
            client,
            http: Http::new(),
            credentials,
            session: None,
            requests: 0,
            poll_interval: Duration::ZERO,
            max_polls: 20,
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
    pub fn login(&mut self, on_step: &mut dyn FnMut(&Step)) -> Result<(), FlowError> {
        let password = self
            .credentials
            .password
            .expose_str()
            .ok_or_else(|| FlowError::Protocol("the password is not UTF-8".to_owned()))?;
        let request = self.client.login(&self.credentials.username, password)?;
        let session = self.send(&request)?.parse(parse_login)?;
        on_step(&Step::plain(
            "login",
            Some(format!("token valid until {}", session.expires())),
        ));
        self.session = Some(session);
        Ok(())
    }

    /// The current token, logging in first when there is none or it is about to expire.
    pub fn token(&mut self, on_step: &mut dyn FnMut(&Step)) -> Result<String, FlowError> {
        let fresh = self
            .session
            .as_ref()
            .is_some_and(|s| !s.needs_refresh(now_seconds()));
        if !fresh {
            self.login(on_step)?;
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
        on_step: &mut dyn FnMut(&Step),
    ) -> Result<T, FlowError> {
        let token = self.token(on_step)?;
        let request = build(&self.client, &token)?;
        match self.send(&request)?.parse(parser) {
            Err(Error::Api(e)) if e.kind == ApiErrorKind::Unauthorized => {
                self.login(on_step)?;
                let token = self.token(on_step)?;
                let request = build(&self.client, &token)?;
                Ok(self.send(&request)?.parse(parser)?)
            }
            other => Ok(other?),
        }
    }

    /// GET `/api/v1/agreements/`.
    pub fn agreements(&mut self, on_step: &mut dyn FnMut(&Step)) -> Result<Agreements, FlowError> {
        self.call(
            &|c, t| c.list_agreements(t, None),
            parse_agreements,
            on_step,
        )
    }

    /// GET `/api/v1/applications/{id}/`.
    pub fn get(
        &mut self,
        id: &str,
        on_step: &mut dyn FnMut(&Step),
    ) -> Result<Application, FlowError> {
        self.call(
            &|c, t| c.get_application(t, id, None),
            parse_application,
            on_step,
        )
    }

    /// POST `/api/v1/applications/`: creates the application as given, validated
    /// against today's UTC date.
    pub fn create(
        &mut self,
        applicant: &CreateApplicationRequest,
        on_step: &mut dyn FnMut(&Step),
    ) -> Result<Application, FlowError> {
        let today = jiko_sandbox::clock::today_utc()
            .ok_or_else(|| FlowError::Protocol("the system clock is out of range".to_owned()))?;
        self.call(
            &|c, t| c.create_application(t, applicant, today, None),
            parse_application,
            on_step,
        )
    }

    /// POST `/api/v1/applications/{id}/apply/`.
    pub fn apply(
        &mut self,
        id: &str,
        on_step: &mut dyn FnMut(&Step),
    ) -> Result<Application, FlowError> {
        self.call(&|c, t| c.apply(t, id, None), parse_application, on_step)
    }

    /// POST `/api/v1/applications/{id}/documents/{TYPE}/file/`.
    pub fn upload(
        &mut self,
        id: &str,
        document_type: &DocumentType,
        content_type: &str,
        bytes: &[u8],
        on_step: &mut dyn FnMut(&Step),
    ) -> Result<UploadedDocument, FlowError> {
        self.call(
            &|c, t| c.upload_document(t, id, document_type, content_type, bytes.to_vec(), None),
            parse_upload,
            on_step,
        )
    }

    /// Takes one applicant from Create Application to a settled status (APPROVED,
    /// REJECTED or MANUAL_REVIEW), uploading one document per requirement when
    /// documents are needed. The consent is recorded against the bundle version the
    /// server lists, time-stamped now. Reports every step to `on_step`.
    pub fn onboard(
        &mut self,
        applicant: &CreateApplicationRequest,
        documents: &DocumentSource,
        on_step: &mut dyn FnMut(&Step),
    ) -> Result<Application, FlowError> {
        let bundle = self.agreements(on_step)?;
        on_step(&Step::plain(
            "list agreements",
            Some(format!(
                "bundle version {}, {} documents to show the applicant",
                bundle.version,
                bundle.documents.len()
            )),
        ));
        let mut applicant = applicant.clone();
        applicant.agreement_consent.version = bundle.version;
        applicant.agreement_consent.timestamp = jiko_sandbox::clock::rfc3339(now_seconds());
        let mut app = self.create(&applicant, on_step)?;
        on_step(&Step::with_application("create application", None, &app));
        let mut polls = 0u32;
        // Every transition moves the application forward; this bounds a server that
        // loops between statuses.
        for _ in 0..64 {
            match next_action(&app) {
                NextAction::Apply => {
                    polls = 0;
                    app = self.apply(&app.id, on_step)?;
                    on_step(&Step::with_application("apply", None, &app));
                }
                NextAction::Wait {
                    reason: WaitReason::KycInProgress | WaitReason::DocumentsInReview,
                } => {
                    if polls >= self.max_polls {
                        return Err(FlowError::Stuck {
                            status: app.status.to_string(),
                            polls,
                        });
                    }
                    polls += 1;
                    if !self.poll_interval.is_zero() {
                        std::thread::sleep(self.poll_interval);
                    }
                    app = self.get(&app.id, on_step)?;
                    on_step(&Step::with_application(
                        "get application",
                        Some(format!("poll {polls}")),
                        &app,
                    ));
                }
                NextAction::UploadDocuments { requirements } => {
                    for requirement in requirements {
                        let (document_type, content_type, bytes) = documents(&requirement.one_of);
                        let uploaded =
                            self.upload(&app.id, &document_type, content_type, &bytes, on_step)?;
                        if !uploaded.success {
                            return Err(FlowError::Protocol(format!(
                                "the upload of {document_type} was not stored"
                            )));
                        }
                        on_step(&Step::plain(
                            "upload document",
                            Some(format!(
                                "{document_type} ({content_type}, {} bytes) for {}",
                                bytes.len(),
                                requirement.flag.as_str()
                            )),
                        ));
                    }
                    polls = 0;
                    app = self.get(&app.id, on_step)?;
                    on_step(&Step::with_application("get application", None, &app));
                }
                NextAction::Wait {
                    reason: WaitReason::ManualReview,
                }
                | NextAction::Approved { .. }
                | NextAction::Rejected => return Ok(app),
                NextAction::Unknown { status } => {
                    return Err(FlowError::Protocol(format!("unknown status {status}")))
                }
            }
        }
        Err(FlowError::Protocol(
            "the application did not settle after 64 steps".to_owned(),
        ))
    }
}

/// Uploads the first type of each requirement as a small PNG.
pub fn first_type_as_png(one_of: &[DocumentType]) -> (DocumentType, &'static str, Vec<u8>) {
    let document_type = one_of.first().cloned().unwrap_or(DocumentType::Other);
    (document_type, "image/png", fixtures::PNG_1X1.to_vec())
}
