//! A blocking driver of the core's flow engine: the Rust example of the loop every
//! binding's `Onboarding` runs. It moves bytes (ureq, no redirects, a timeout per
//! request) and time (sleeps, woken early by [`Notifier::notify`]); the engine decides
//! everything else.
//!
//! ```no_run
//! use jiko_e2e::driver::{Credentials, Onboarding};
//! use jiko_onboarding::ClientConfig;
//! # fn main() -> Result<(), jiko_onboarding::Error> {
//! # let application = serde_json::json!({});
//! let onboarding = Onboarding::new(
//!     ClientConfig::BaseUrl("http://127.0.0.1:8080".into()),
//!     Credentials::new("sandbox-user", "sandbox-password", "sandbox-signing-secret"),
//! )?;
//! let mut flow = onboarding.start(&application, None)?;
//! let result = flow.run(std::time::Duration::from_secs(60));
//! println!("{}", result.state.as_str());
//! # Ok(())
//! # }
//! ```

use std::io;
use std::sync::{Arc, Condvar, Mutex, MutexGuard};
use std::time::{Duration, SystemTime, UNIX_EPOCH};

use jiko_onboarding::{
    ApplicationStatus, Authenticator, CalendarDate, Client, ClientConfig, CreateApplicationRequest,
    DocumentType, Error, FlowConfig, FlowResult, FlowWaitReason, OnboardingFlow, Operation,
    PreparedRequest, RetryReason, Secret, Step, TransportErrorKind, Wait,
};
use serde_json::Value;

/// The partner's credentials: Login's username and password, and the signing secret.
#[derive(Clone)]
pub struct Credentials {
    username: String,
    password: Secret,
    signing_secret: Secret,
}

impl Credentials {
    /// Credentials from their three parts.
    pub fn new(username: &str, password: &str, signing_secret: &str) -> Self {
        Credentials {
            username: username.to_owned(),
            password: Secret::from(password),
            signing_secret: Secret::from(signing_secret),
        }
    }
}

/// What the driver did, for logs: operations, statuses, reasons and delays only.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Event {
    /// A request went out.
    Sent {
        /// The operation.
        operation: Operation,
        /// `GET` or `POST`.
        method: &'static str,
        /// For an upload, the document's type.
        document_type: Option<DocumentType>,
    },
    /// It was answered.
    Answered {
        /// The operation.
        operation: Operation,
        /// The HTTP status.
        status: u16,
    },
    /// It got no answer.
    TransportFailed {
        /// The operation.
        operation: Operation,
        /// How it failed.
        kind: TransportErrorKind,
    },
    /// The application's status changed (read from an answer).
    Status(ApplicationStatus),
    /// The flow asks its caller for documents.
    DocumentsNeeded {
        /// How many requirements are open.
        requirements: usize,
    },
    /// The flow waits.
    Waiting {
        /// Why.
        reason: FlowWaitReason,
        /// For a retry, what failed.
        retry_reason: Option<RetryReason>,
        /// For how long.
        delay: Duration,
    },
}

type Observer = Arc<dyn Fn(&Event) + Send + Sync>;

/// One per partner: the configuration, the credentials and one shared login.
#[derive(Clone)]
pub struct Onboarding {
    client: Client,
    auth: Arc<Mutex<Authenticator>>,
    agent: ureq::Agent,
    config: FlowConfig,
    observer: Option<Observer>,
}

impl Onboarding {
    /// An onboarding for Jiko's sandbox or production, or a base URL (the simulator).
    pub fn new(config: ClientConfig, credentials: Credentials) -> Result<Self, Error> {
        let secret = credentials.signing_secret.expose().to_vec();
        let password = credentials.password.expose().to_vec();
        Ok(Onboarding {
            client: Client::new(config, secret)?,
            auth: Arc::new(Mutex::new(Authenticator::new(
                &credentials.username,
                password,
            )?)),
            agent: ureq::Agent::new_with_config(
                ureq::Agent::config_builder()
                    .http_status_as_error(false)
                    .max_redirects(0)
                    .build(),
            ),
            config: FlowConfig::default(),
            observer: None,
        })
    }

    /// The same onboarding with other flow settings (webhooks, policies, a seed).
    pub fn with_flow_config(mut self, config: FlowConfig) -> Self {
        self.config = config;
        self
    }

    /// The same onboarding, reporting each step to `observer`.
    pub fn with_observer(mut self, observer: impl Fn(&Event) + Send + Sync + 'static) -> Self {
        self.observer = Some(Arc::new(observer));
        self
    }

    /// A flow for this application; validated at once (nothing is sent until `run`).
    /// `today` defaults to the core's policy: the UTC date of the current time.
    pub fn start(&self, application: &Value, today: Option<CalendarDate>) -> Result<Flow, Error> {
        let engine = OnboardingFlow::start(
            self.client.clone(),
            self.config.clone(),
            application,
            match today {
                Some(today) => today,
                None => today_utc()?,
            },
            now_ms(),
        )?;
        Ok(self.flow(engine))
    }

    /// [`Onboarding::start`] from the typed request.
    pub fn start_typed(
        &self,
        application: &CreateApplicationRequest,
        today: Option<CalendarDate>,
    ) -> Result<Flow, Error> {
        let value = serde_json::to_value(application).map_err(|_| {
            Error::Flow(jiko_onboarding::FlowError {
                code: jiko_onboarding::FlowErrorCode::Unexpected,
                message: "the application could not be encoded".to_owned(),
                idempotency_key: None,
            })
        })?;
        self.start(&value, today)
    }

    /// A flow continued from [`Flow::snapshot`]; the application is needed only while
    /// the Create has not been answered.
    pub fn resume(&self, snapshot: &str, application: Option<&Value>) -> Result<Flow, Error> {
        let engine = OnboardingFlow::restore(
            self.client.clone(),
            self.config.clone(),
            snapshot,
            application,
            today_utc()?,
        )?;
        Ok(self.flow(engine))
    }

    fn flow(&self, engine: OnboardingFlow) -> Flow {
        Flow {
            onboarding: self.clone(),
            engine,
            notifier: Notifier::default(),
            last_status: None,
        }
    }
}

/// Wakes a waiting [`Flow::run`] from another thread (a webhook handler), or stops it
/// (a shutdown).
#[derive(Clone, Default)]
pub struct Notifier(Arc<(Mutex<Signals>, Condvar)>);

#[derive(Default)]
struct Signals {
    notified: bool,
    cancelled: bool,
}

impl Notifier {
    /// Something happened: the flow reads the application at once.
    pub fn notify(&self) {
        self.signal(|s| s.notified = true);
    }

    /// Stops the flow's `run` at its next step. A request being sent is left
    /// unanswered: the snapshot records it in flight, and a resume treats it as one
    /// that may have acted (a Create or an Apply is resent with its key).
    pub fn cancel(&self) {
        self.signal(|s| s.cancelled = true);
    }

    fn signal(&self, set: impl FnOnce(&mut Signals)) {
        let (signals, wake) = &*self.0;
        set(&mut lock(signals));
        wake.notify_all();
    }

    fn take_notified(&self) -> bool {
        std::mem::take(&mut lock(&self.0 .0).notified)
    }

    /// Whether [`Notifier::cancel`] was called.
    pub fn is_cancelled(&self) -> bool {
        lock(&self.0 .0).cancelled
    }

    /// Sleeps up to `duration`, or until notified or cancelled.
    fn sleep(&self, duration: Duration) {
        let (signals, wake) = &*self.0;
        let guard = lock(signals);
        let _ = wake.wait_timeout_while(guard, duration, |s| !s.notified && !s.cancelled);
    }
}

/// One applicant's journey.
pub struct Flow {
    onboarding: Onboarding,
    engine: OnboardingFlow,
    notifier: Notifier,
    last_status: Option<ApplicationStatus>,
}

impl Flow {
    /// Sends, retries, polls and sleeps until the journey ends, documents are needed,
    /// or the next step is more than `max_wait` away.
    pub fn run(&mut self, max_wait: Duration) -> FlowResult {
        loop {
            if self.notifier.is_cancelled() {
                return self.engine.result(&Step::Wait(Wait {
                    until_ms: now_ms(),
                    reason: FlowWaitReason::Retry,
                    retry_reason: None,
                }));
            }
            if self.notifier.take_notified() {
                self.engine.notify(now_ms());
            }
            let step = self.engine.poll(now_ms(), &mut lock(&self.onboarding.auth));
            match &step {
                Step::Send(transmit) => {
                    let operation = transmit.operation;
                    self.observe(Event::Sent {
                        operation,
                        method: transmit.request.method.as_str(),
                        document_type: transmit.document_type.clone(),
                    });
                    let timeout = Duration::from_millis(transmit.timeout_ms);
                    let answer = send(&self.onboarding.agent, &transmit.request, timeout);
                    let now = now_ms();
                    let handled = match answer {
                        Ok((status, headers, body)) => {
                            self.observe(Event::Answered { operation, status });
                            let mut auth = lock(&self.onboarding.auth);
                            self.engine.handle_response(
                                transmit.attempt,
                                status,
                                &headers,
                                &body,
                                now,
                                &mut auth,
                            )
                        }
                        Err(kind) => {
                            self.observe(Event::TransportFailed { operation, kind });
                            let mut auth = lock(&self.onboarding.auth);
                            self.engine.handle_transport_error(
                                transmit.attempt,
                                kind,
                                now,
                                &mut auth,
                            )
                        }
                    };
                    // Only an answer to another attempt fails, and this is the attempt.
                    debug_assert!(handled.is_ok());
                    // Cancelled while sending: the answer is the engine's first, so that
                    // nothing received (a Create's application id) is thrown away.
                    if self.notifier.is_cancelled() {
                        return self.engine.result(&step);
                    }
                    let status = self.engine.application().map(|a| a.status.clone());
                    if status.is_some() && status != self.last_status {
                        self.last_status = status.clone();
                        if let Some(status) = status {
                            self.observe(Event::Status(status));
                        }
                    }
                }
                Step::Wait(wait) => {
                    let delay = Duration::from_millis(wait.until_ms.saturating_sub(now_ms()));
                    if delay > max_wait {
                        return self.engine.result(&step);
                    }
                    self.observe(Event::Waiting {
                        reason: wait.reason,
                        retry_reason: wait.retry_reason,
                        delay,
                    });
                    self.notifier.sleep(delay);
                }
                Step::NeedDocuments { requirements } => {
                    self.observe(Event::DocumentsNeeded {
                        requirements: requirements.len(),
                    });
                    return self.engine.result(&step);
                }
                Step::Done(_) => return self.engine.result(&step),
            }
        }
    }

    /// Something happened (a webhook): the next `run` reads the application at once.
    pub fn notify(&mut self) {
        self.engine.notify(now_ms());
    }

    /// A handle that wakes (or stops) this flow's `run` from another thread.
    pub fn notifier(&self) -> Notifier {
        self.notifier.clone()
    }

    /// A document for Jiko's request, checked now, uploaded by the next `run`.
    pub fn provide_document(
        &mut self,
        document_type: DocumentType,
        content_type: &str,
        data: Vec<u8>,
    ) -> Result<(), Error> {
        self.engine
            .provide_document(document_type, content_type, data)
    }

    /// Everything needed to continue: no personal data, no secrets.
    pub fn snapshot(&self) -> String {
        self.engine.snapshot()
    }

    /// The application's id, once created.
    pub fn application_id(&self) -> Option<&str> {
        self.engine.application_id()
    }

    fn observe(&self, event: Event) {
        if let Some(observer) = &self.onboarding.observer {
            observer(&event);
        }
    }
}

/// A poisoned lock only means another thread panicked while holding it; the state it
/// guards is still consistent (every mutation is a single assignment).
fn lock<T>(mutex: &Mutex<T>) -> MutexGuard<'_, T> {
    mutex
        .lock()
        .unwrap_or_else(|poisoned| poisoned.into_inner())
}

/// Milliseconds since the Unix epoch, from the system clock.
pub fn now_ms() -> u64 {
    SystemTime::now()
        .duration_since(UNIX_EPOCH)
        .map(|d| u64::try_from(d.as_millis()).unwrap_or(u64::MAX))
        .unwrap_or(0)
}

/// The core's default `today`: the UTC date of the system clock.
fn today_utc() -> Result<CalendarDate, Error> {
    CalendarDate::today_utc(i64::try_from(now_ms() / 1_000).unwrap_or(i64::MAX))
}

type Answer = (u16, Vec<(String, String)>, Vec<u8>);

/// Largest answer read: the onboarding answers are a few kilobytes.
const ANSWER_LIMIT: u64 = 16 << 20;

/// Sends the request exactly as prepared; a failure becomes the engine's transport kind.
fn send(
    agent: &ureq::Agent,
    request: &PreparedRequest,
    timeout: Duration,
) -> Result<Answer, TransportErrorKind> {
    let mut builder = ureq::http::Request::builder()
        .method(request.method.as_str())
        .uri(&request.url);
    for (name, value) in &request.headers {
        // ureq writes Content-Length itself, from the same body.
        if !name.eq_ignore_ascii_case("content-length") {
            builder = builder.header(name.as_str(), value.as_str());
        }
    }
    let http_request = builder
        .body(request.body.clone())
        .map_err(|_| TransportErrorKind::NotSent)?;
    let config = agent
        .configure_request(http_request)
        .timeout_global(Some(timeout))
        .build();
    let mut response = agent.run(config).map_err(transport_kind)?;
    let status = response.status().as_u16();
    let headers = response
        .headers()
        .iter()
        .filter_map(|(n, v)| Some((n.as_str().to_owned(), v.to_str().ok()?.to_owned())))
        .collect();
    let body = response
        .body_mut()
        .with_config()
        .limit(ANSWER_LIMIT)
        .read_to_vec()
        .map_err(transport_kind)?;
    Ok((status, headers, body))
}

/// Whether the request may have reached the server decides the kind: connecting
/// failures are `not_sent`; anything after is `timed_out` or `reset`.
fn transport_kind(error: ureq::Error) -> TransportErrorKind {
    use ureq::Timeout;
    match error {
        ureq::Error::HostNotFound | ureq::Error::ConnectionFailed | ureq::Error::BadUri(_) => {
            TransportErrorKind::NotSent
        }
        ureq::Error::Timeout(Timeout::Resolve | Timeout::Connect) => TransportErrorKind::NotSent,
        ureq::Error::Timeout(_) => TransportErrorKind::TimedOut,
        ureq::Error::Io(e) if e.kind() == io::ErrorKind::ConnectionRefused => {
            TransportErrorKind::NotSent
        }
        ureq::Error::Io(e) if e.kind() == io::ErrorKind::TimedOut => TransportErrorKind::TimedOut,
        _ => TransportErrorKind::Reset,
    }
}
