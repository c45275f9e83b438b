//! The flow engine as uniffi objects, for the Kotlin and Swift drivers and for hosts that
//! write their own: an `Authenticator` (one per partner, shared by its flows) and an
//! `OnboardingFlow` (one per applicant), each behind a mutex so that flows on several
//! threads share one login.
//!
//! Every call takes the lock for the length of one engine call and never across I/O:
//! the host sends between `poll` and `handleResponse`, with no lock held. A flow locks
//! itself, then the authenticator, always in that order.
//!
//! `Step`, `Transmit`, `Outcome` and `FlowResult` are declared here rather than derived
//! on the core's types: theirs hold a `PreparedRequest` (an object here, since it
//! carries the bearer token) and the core's `Error` (the `JikoError` here).

use std::sync::{Arc, Mutex, MutexGuard};

use jiko_onboarding as core;
use jiko_onboarding::{
    Application, ApprovedCustomer, CreateApplicationRequest, DocumentRequirement, DocumentType,
    FlowConfig, FlowState, Operation, TransportErrorKind, Wait,
};

use crate::client::{Client, HttpHeader, PreparedRequest};
use crate::dates::today_or_utc;
use crate::JikoError;

/// A poisoned lock only means another thread panicked while holding it; the engine's
/// state is still consistent (its calls do not unwind half-way).
fn lock<T>(mutex: &Mutex<T>) -> MutexGuard<'_, T> {
    mutex
        .lock()
        .unwrap_or_else(|poisoned| poisoned.into_inner())
}

/// The credentials and the current login, shared by all flows of a partner: one login
/// in flight at a time, refreshed before expiry, a 401 answered by one re-login. The
/// password and token never leave it (and never enter a snapshot).
#[derive(uniffi::Object)]
#[uniffi::export(Debug, Display)]
pub struct Authenticator {
    inner: Mutex<core::Authenticator>,
}

impl std::fmt::Debug for Authenticator {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        std::fmt::Debug::fmt(&*lock(&self.inner), f)
    }
}

impl std::fmt::Display for Authenticator {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        std::fmt::Debug::fmt(self, f)
    }
}

#[uniffi::export]
impl Authenticator {
    /// An authenticator for Login's username and password (checked as Login checks them).
    #[uniffi::constructor]
    pub fn new(username: String, password: String) -> Result<Arc<Self>, JikoError> {
        Ok(Arc::new(Authenticator {
            inner: Mutex::new(core::Authenticator::new(&username, password)?),
        }))
    }
}

/// What the host does next.
#[derive(Clone, Debug, PartialEq, Eq, uniffi::Enum)]
pub enum Step {
    /// Send this request, then hand the answer (or how sending failed) back.
    Send {
        /// The request and its attempt id.
        transmit: Transmit,
    },
    /// Nothing to do before `wait.untilMs` (unless something happens: `notify`).
    Wait {
        /// Until when, and why.
        wait: Wait,
    },
    /// Jiko needs documents: give one per requirement with `provideDocument`.
    NeedDocuments {
        /// What is still missing.
        requirements: Vec<DocumentRequirement>,
    },
    /// The journey is over.
    Done {
        /// How it ended.
        outcome: Outcome,
    },
}

/// Send `request` as it is (never following a redirect), give up after `timeoutMs`, and
/// hand the answer back with `attempt`.
#[derive(Clone, Debug, PartialEq, Eq, uniffi::Record)]
pub struct Transmit {
    /// Identifies this send; an answer with another id is refused (`unknown_attempt`).
    pub attempt: u64,
    /// What the request does (for logs and metrics: never personal).
    pub operation: Operation,
    /// The request, bearer token included.
    pub request: Arc<PreparedRequest>,
    /// Report `timed_out` when no answer came within this many milliseconds.
    pub timeout_ms: u64,
}

/// How a journey ended.
#[derive(Clone, Debug, PartialEq, Eq, uniffi::Enum)]
pub enum Outcome {
    /// A customer exists, with its accounts and their portals.
    Approved {
        /// The customer and the deposit instructions.
        customer: ApprovedCustomer,
    },
    /// Final refusal.
    Rejected,
    /// The flow cannot go on.
    Failed {
        /// Why.
        error: JikoError,
    },
}

/// Where a flow stands after a driver's `run`: what the host needs to continue.
#[derive(Clone, Debug, PartialEq, Eq, uniffi::Record)]
#[uniffi::export(Debug)]
pub struct FlowResult {
    /// `approved`, `rejected`, `documents_needed`, `waiting` or `failed`.
    pub state: FlowState,
    /// The last application read (none before Create, or just after a restore).
    pub application: Option<Application>,
    /// For `documents_needed`: what to provide.
    pub requirements: Vec<DocumentRequirement>,
    /// For `waiting`: when the flow wants to run again (ms since the Unix epoch).
    pub next_check_at_ms: Option<u64>,
    /// For `approved`: the customer and the deposit instructions.
    pub customer: Option<ApprovedCustomer>,
    /// For `failed`: what ended the flow; for `waiting`: the transient failure it waits
    /// out, if any.
    pub error: Option<JikoError>,
}

impl Step {
    fn from_core(step: core::Step) -> Self {
        match step {
            core::Step::Send(t) => Step::Send {
                transmit: Transmit {
                    attempt: t.attempt,
                    operation: t.operation,
                    request: PreparedRequest::new(t.request),
                    timeout_ms: t.timeout_ms,
                },
            },
            core::Step::Wait(wait) => Step::Wait { wait },
            core::Step::NeedDocuments { requirements } => Step::NeedDocuments { requirements },
            core::Step::Done(core::Outcome::Approved(customer)) => Step::Done {
                outcome: Outcome::Approved { customer },
            },
            core::Step::Done(core::Outcome::Rejected) => Step::Done {
                outcome: Outcome::Rejected,
            },
            core::Step::Done(core::Outcome::Failed(error)) => Step::Done {
                outcome: Outcome::Failed {
                    error: error.into(),
                },
            },
        }
    }
}

/// One applicant's journey, from List Agreements to the new customer's deposit
/// instructions, as the core's sans-I/O state machine: the host passes `nowMs` in,
/// asks `poll` what to do, does it, and hands the result back.
#[derive(uniffi::Object)]
#[uniffi::export(Debug, Display)]
pub struct OnboardingFlow {
    inner: Mutex<core::OnboardingFlow>,
    /// The last step `poll` returned, for `result` (the engine builds the result from
    /// the step it returned).
    last: Mutex<Option<core::Step>>,
}

impl std::fmt::Debug for OnboardingFlow {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        std::fmt::Debug::fmt(&*lock(&self.inner), f)
    }
}

impl std::fmt::Display for OnboardingFlow {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        std::fmt::Debug::fmt(self, f)
    }
}

impl OnboardingFlow {
    fn wrap(flow: Result<core::OnboardingFlow, core::Error>) -> Result<Arc<Self>, JikoError> {
        Ok(Arc::new(OnboardingFlow {
            inner: Mutex::new(flow?),
            last: Mutex::new(None),
        }))
    }
}

fn parse_json(text: &str) -> Result<serde_json::Value, JikoError> {
    serde_json::from_str(text).map_err(|_| {
        JikoError::invalid_argument("invalid_json", "the application is not JSON text")
    })
}

fn to_value(application: &CreateApplicationRequest) -> Result<serde_json::Value, JikoError> {
    serde_json::to_value(application).map_err(|_| {
        JikoError::invalid_argument("encoding_failed", "the application could not be encoded")
    })
}

fn pairs(headers: Vec<HttpHeader>) -> Vec<(String, String)> {
    headers.into_iter().map(|h| (h.name, h.value)).collect()
}

#[uniffi::export]
impl OnboardingFlow {
    /// A flow for this application, validated against `today` (`YYYY-MM-DD`; the UTC
    /// date when absent) first: a validation error, and nothing will be sent.
    #[uniffi::constructor(default(today = None))]
    pub fn start(
        client: Arc<Client>,
        config: FlowConfig,
        application: CreateApplicationRequest,
        today: Option<String>,
        now_ms: u64,
    ) -> Result<Arc<Self>, JikoError> {
        let today = today_or_utc(today)?;
        let value = to_value(&application)?;
        Self::wrap(core::OnboardingFlow::start(
            client.core().clone(),
            config,
            &value,
            today,
            now_ms,
        ))
    }

    /// Like `start`, from the JSON text of a Create Application body (API field names).
    #[uniffi::constructor(default(today = None))]
    pub fn start_json(
        client: Arc<Client>,
        config: FlowConfig,
        application_json: String,
        today: Option<String>,
        now_ms: u64,
    ) -> Result<Arc<Self>, JikoError> {
        let today = today_or_utc(today)?;
        let value = parse_json(&application_json)?;
        Self::wrap(core::OnboardingFlow::start(
            client.core().clone(),
            config,
            &value,
            today,
            now_ms,
        ))
    }

    /// A flow continued from `snapshot()`. The application is needed again only while
    /// its Create has not been answered (`application_required`), and must give the same
    /// body (`application_mismatch`).
    #[uniffi::constructor(default(application = None, today = None))]
    pub fn restore(
        client: Arc<Client>,
        config: FlowConfig,
        snapshot: String,
        application: Option<CreateApplicationRequest>,
        today: Option<String>,
    ) -> Result<Arc<Self>, JikoError> {
        let today = today_or_utc(today)?;
        let value = application.as_ref().map(to_value).transpose()?;
        Self::wrap(core::OnboardingFlow::restore(
            client.core().clone(),
            config,
            &snapshot,
            value.as_ref(),
            today,
        ))
    }

    /// Like `restore`, with the application as JSON text.
    #[uniffi::constructor(default(application_json = None, today = None))]
    pub fn restore_json(
        client: Arc<Client>,
        config: FlowConfig,
        snapshot: String,
        application_json: Option<String>,
        today: Option<String>,
    ) -> Result<Arc<Self>, JikoError> {
        let today = today_or_utc(today)?;
        let value = application_json.as_deref().map(parse_json).transpose()?;
        Self::wrap(core::OnboardingFlow::restore(
            client.core().clone(),
            config,
            &snapshot,
            value.as_ref(),
            today,
        ))
    }

    /// What to do now. Without an answer in between, the same step again.
    pub fn poll(&self, now_ms: u64, auth: Arc<Authenticator>) -> Step {
        let mut flow = lock(&self.inner);
        let step = flow.poll(now_ms, &mut lock(&auth.inner));
        *lock(&self.last) = Some(step.clone());
        Step::from_core(step)
    }

    /// The server's answer to the outstanding request `attempt`.
    pub fn handle_response(
        &self,
        attempt: u64,
        status: i32,
        headers: Vec<HttpHeader>,
        body: Vec<u8>,
        now_ms: u64,
        auth: Arc<Authenticator>,
    ) -> Result<(), JikoError> {
        let status = crate::http_status(status)?;
        let mut flow = lock(&self.inner);
        let headers = pairs(headers);
        flow.handle_response(
            attempt,
            status,
            &headers,
            &body,
            now_ms,
            &mut lock(&auth.inner),
        )?;
        Ok(())
    }

    /// The outstanding request `attempt` got no answer: `not_sent` (certainly never
    /// reached the server), `timed_out` or `reset` (it may have).
    pub fn handle_transport_error(
        &self,
        attempt: u64,
        kind: TransportErrorKind,
        now_ms: u64,
        auth: Arc<Authenticator>,
    ) -> Result<(), JikoError> {
        let mut flow = lock(&self.inner);
        flow.handle_transport_error(attempt, kind, now_ms, &mut lock(&auth.inner))?;
        Ok(())
    }

    /// A document for Jiko's request, checked as `checkUpload` checks, uploaded when a
    /// requirement needs its type. Held in memory only (never in a snapshot).
    pub fn provide_document(
        &self,
        document_type: DocumentType,
        content_type: String,
        bytes: Vec<u8>,
    ) -> Result<(), JikoError> {
        lock(&self.inner).provide_document(document_type, &content_type, bytes)?;
        Ok(())
    }

    /// Something happened (a webhook arrived, the user came back): read the
    /// application at the next poll.
    pub fn notify(&self, now_ms: u64) {
        lock(&self.inner).notify(now_ms);
    }

    /// Everything needed to continue in another process, as versioned JSON: no personal
    /// data, no token, no document.
    pub fn snapshot(&self) -> String {
        lock(&self.inner).snapshot()
    }

    /// The application's id, once Create was answered.
    pub fn application_id(&self) -> Option<String> {
        lock(&self.inner).application_id().map(str::to_owned)
    }

    /// Whether the journey is over (approved, rejected or failed).
    pub fn is_finished(&self) -> bool {
        lock(&self.inner).is_finished()
    }

    /// Where the flow stands after the last step `poll` returned, for a driver to
    /// return to its caller (`waiting`, with no time, before the first poll).
    pub fn result(&self) -> FlowResult {
        let flow = lock(&self.inner);
        let Some(step) = lock(&self.last).clone() else {
            return FlowResult {
                state: FlowState::Waiting,
                application: flow.application().cloned(),
                requirements: Vec::new(),
                next_check_at_ms: None,
                customer: None,
                error: None,
            };
        };
        let result = flow.result(&step);
        FlowResult {
            state: result.state,
            application: result.application,
            requirements: result.requirements,
            next_check_at_ms: result.next_check_at_ms,
            customer: result.customer,
            error: result.error.map(JikoError::from),
        }
    }
}
