//! The onboarding journey as a state machine that never does I/O.
//!
//! quinn-proto's pattern: the host passes `now` in, asks [`OnboardingFlow::poll`] what to
//! do, does it, and hands the result back ([`OnboardingFlow::handle_response`],
//! [`OnboardingFlow::handle_transport_error`]). Every output is a value ([`Step`]); every
//! send is answered, success or failure, so nothing spins on a request whose failure was
//! never reported (matrix-sdk-crypto's trap). One request is outstanding at a time.
//!
//! The journey is the guide's: list agreements (and refuse a consent to another version),
//! create, apply, read the application on the poll schedule, upload the documents Jiko
//! asks for and apply again, and on approval read the customer, its accounts and their
//! portals. What to do with an application is always [`next_action`]'s answer. Retries
//! follow [`crate::retry`], polling [`crate::poll`], the token [`Authenticator`].
//!
//! A flow can last days (a manual review, documents collected later): [`snapshot`]
//! writes everything needed to continue, and nothing personal or secret.
//!
//! [`snapshot`]: OnboardingFlow::snapshot

mod random;
mod snapshot;
mod step;

use serde_json::Value;

use crate::auth::{Authenticator, Credential};
use crate::customers::Portal;
use crate::dates::CalendarDate;
use crate::documents::{check_upload, required_documents, DocumentRequirement};
use crate::error::{Error, FlowError, FlowErrorCode, TransportErrorKind};
use crate::models::{Application, CreateApplicationRequest, DocumentType};
use crate::onboarding::{next_action, NextAction, WaitReason as ActionWait};
use crate::poll::{poll_delay_ms, PollInput, PollReason};
use crate::requests::{create_application_body, Client, PreparedRequest};
use crate::responses::{
    api_error, parse_accounts, parse_agreements, parse_application, parse_customer, parse_portals,
    parse_upload,
};
use crate::retry::{
    backoff_ms, decide, has_possible_effect, retry_after_ms, Observed, RequestKind, RetryDecision,
    RetryInput, RetryReason, MAX_POSTPONE_MS,
};

use random::Randomness;
use snapshot::{ErrorRecord, OpState, Phase, PollState, State, WaitState};
pub use step::{
    ApprovedAccount, ApprovedCustomer, FlowConfig, FlowResult, FlowState, FlowWaitReason,
    Operation, Outcome, PortalDetails, Step, Transmit, Wait,
};

/// This many 409s in a row (each answered by reading the application, with no change of
/// status in between) end the flow: the server and the flow disagree, and looping would
/// not fix it.
const MAX_CONFLICTS: u32 = 3;
/// More successful Applies than any journey needs (one, plus one per document round).
const MAX_APPLIES: u32 = 10;
/// A document the host provided, held in memory until it is uploaded (never in a
/// snapshot).
#[derive(Clone)]
struct ProvidedDocument {
    document_type: DocumentType,
    content_type: String,
    bytes: Vec<u8>,
}

/// The request in flight.
#[derive(Clone, Debug)]
struct Outstanding {
    transmit: Transmit,
    purpose: Purpose,
}

#[derive(Clone, Copy, Debug)]
enum Purpose {
    Login { ticket: u64 },
    Request { kind: RequestKind, generation: u64 },
}

/// One applicant's journey, from Create Application to the customer's deposit
/// instructions.
pub struct OnboardingFlow {
    client: Client,
    config: FlowConfig,
    random: Randomness,
    /// The Create body: personal data, in memory until the application exists.
    body: Option<Vec<u8>>,
    state: State,
    outstanding: Option<Outstanding>,
    documents: Vec<ProvidedDocument>,
    application: Option<Application>,
    accounts: Vec<ApprovedAccount>,
    failure: Option<Error>,
    transient_error: Option<Error>,
}

impl std::fmt::Debug for OnboardingFlow {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("OnboardingFlow")
            .field("phase", &self.state.phase)
            .field("application_id", &self.state.application_id)
            .field("status", &self.state.status)
            .finish_non_exhaustive()
    }
}

/// The domain of the keyed digest of a Create body kept in snapshots: no request
/// signature starts with it (those start with a UUID).
const DIGEST_DOMAIN: &str = "jiko-onboarding/snapshot/create-body";

impl OnboardingFlow {
    /// A flow for this application (the JSON form of a Create Application body). It is
    /// validated against `today` first: a `ValidationError` and nothing is sent.
    pub fn start(
        client: Client,
        config: FlowConfig,
        application: &Value,
        today: CalendarDate,
        now_ms: u64,
    ) -> Result<Self, Error> {
        let body = create_application_body(application, today)?;
        let consent_version = application
            .get("agreement_consent")
            .and_then(|c| c.get("version"))
            .and_then(Value::as_str)
            .unwrap_or_default()
            .to_owned();
        let digest = client.signer().sign(DIGEST_DOMAIN, "", &body);
        let state = State::new(consent_version, digest, now_ms);
        Ok(OnboardingFlow::with_state(
            client,
            config,
            Some(body),
            state,
        ))
    }

    /// [`OnboardingFlow::start`] from the typed request.
    pub fn start_typed(
        client: Client,
        config: FlowConfig,
        application: &CreateApplicationRequest,
        today: CalendarDate,
        now_ms: u64,
    ) -> Result<Self, Error> {
        let value = serde_json::to_value(application).map_err(|_| {
            Error::invalid_argument("encoding_failed", "the application could not be encoded")
        })?;
        OnboardingFlow::start(client, config, &value, today, now_ms)
    }

    /// A flow continued from [`OnboardingFlow::snapshot`]. The application is needed
    /// again only while the Create has not been answered (`application_required`
    /// otherwise); it must give the same body (`application_mismatch`).
    pub fn restore(
        client: Client,
        config: FlowConfig,
        snapshot: &str,
        application: Option<&Value>,
        today: CalendarDate,
    ) -> Result<Self, Error> {
        let state = State::read(snapshot)?;
        let body = if matches!(state.phase, Phase::Agreements | Phase::Create) {
            let Some(application) = application else {
                return Err(Error::flow(
                    FlowErrorCode::ApplicationRequired,
                    "the Create Application has not been answered yet: pass the \
                     application again to resume this flow",
                ));
            };
            let body = create_application_body(application, today)?;
            if client.signer().sign(DIGEST_DOMAIN, "", &body) != state.body_digest {
                return Err(Error::flow(
                    FlowErrorCode::ApplicationMismatch,
                    "the application does not give the body this flow was started with",
                ));
            }
            Some(body)
        } else {
            None
        };
        let mut flow = OnboardingFlow::with_state(client, config, body, state);
        flow.failure = flow.state.failure.as_ref().map(ErrorRecord::to_error);
        Ok(flow)
    }

    fn with_state(client: Client, config: FlowConfig, body: Option<Vec<u8>>, state: State) -> Self {
        // A seeded flow restored from a snapshot must not draw the keys it drew before.
        let seed = config
            .seed
            .map(|seed| seed ^ state.attempt.wrapping_mul(0x9E37_79B9_7F4A_7C15));
        OnboardingFlow {
            client,
            random: Randomness::new(seed),
            config,
            body,
            state,
            outstanding: None,
            documents: Vec::new(),
            application: None,
            accounts: Vec::new(),
            failure: None,
            transient_error: None,
        }
    }

    /// Everything needed to continue this flow in another process, as versioned JSON:
    /// ids, statuses, keys and times only; no personal data, no token, no document.
    pub fn snapshot(&self) -> String {
        self.state.write()
    }

    /// The application's id, once Create was answered.
    pub fn application_id(&self) -> Option<&str> {
        self.state.application_id.as_deref()
    }

    /// Whether the journey is over (approved, rejected or failed): `poll` returns `Done`.
    pub fn is_finished(&self) -> bool {
        self.done_step().is_some()
    }

    /// The last application read (not kept in snapshots: `None` after a restore until
    /// the next read).
    pub fn application(&self) -> Option<&Application> {
        self.application.as_ref()
    }

    /// What to do now.
    pub fn poll(&mut self, now_ms: u64, auth: &mut Authenticator) -> Step {
        if let Some(outstanding) = &self.outstanding {
            return Step::Send(outstanding.transmit.clone());
        }
        if let Some(done) = self.done_step() {
            return done;
        }
        if let Some(wait) = self.state.wait {
            if now_ms.saturating_sub(self.state.last_progress_ms) >= self.config.stall_after_ms {
                return self.fail(Error::flow(
                    FlowErrorCode::Stalled,
                    "the application has not moved for longer than the flow's stall limit",
                ));
            }
            if now_ms < wait.until_ms {
                return Step::Wait(wait.step());
            }
            self.state.wait = None;
        }
        if self.state.phase == Phase::Documents {
            // Waiting for the host's documents is not the application standing still.
            self.state.last_progress_ms = now_ms;
            if let Some(step) = self.choose_document() {
                return step;
            }
        }
        if self.state.requests >= self.config.max_requests {
            return self.fail(Error::flow(
                FlowErrorCode::Unexpected,
                "the flow sent more requests than any journey needs",
            ));
        }
        match auth.credential(now_ms) {
            Credential::Refused(error) => self.fail(error),
            Credential::Wait { until_ms } => {
                if now_ms.saturating_sub(self.state.last_progress_ms) >= self.config.stall_after_ms
                {
                    return self.fail(Error::flow(
                        FlowErrorCode::Stalled,
                        "no login succeeded for longer than the flow's stall limit",
                    ));
                }
                Step::Wait(Wait {
                    until_ms,
                    reason: FlowWaitReason::Login,
                    retry_reason: None,
                })
            }
            Credential::Login { ticket } => match auth.login_request(&self.client) {
                Ok(request) => self.emit(Operation::Login, request, Purpose::Login { ticket }),
                Err(error) => self.fail(error),
            },
            Credential::Token { token, generation } => {
                let token = token.expose_str().unwrap_or_default().to_owned();
                match self.build(&token, now_ms) {
                    Ok((operation, kind, request)) => {
                        self.emit(operation, request, Purpose::Request { kind, generation })
                    }
                    Err(error) => self.fail(error),
                }
            }
        }
    }

    fn emit(&mut self, operation: Operation, request: PreparedRequest, purpose: Purpose) -> Step {
        self.state.attempt = self.state.attempt.saturating_add(1);
        self.state.requests = self.state.requests.saturating_add(1);
        let timeout_ms = if operation == Operation::UploadDocument {
            self.config.upload_timeout_ms
        } else {
            self.config.request_timeout_ms
        };
        let document_type = match &self.state.phase {
            Phase::Upload { document_type } if operation == Operation::UploadDocument => {
                Some(document_type.clone())
            }
            _ => None,
        };
        let transmit = Transmit {
            attempt: self.state.attempt,
            operation,
            request,
            timeout_ms,
            document_type,
        };
        if let (Purpose::Request { .. }, Some(op)) = (purpose, self.state.op.as_mut()) {
            op.in_flight = true;
        }
        self.outstanding = Some(Outstanding {
            transmit: transmit.clone(),
            purpose,
        });
        Step::Send(transmit)
    }

    /// The request of the current phase, with a key by the kind's rule.
    fn build(
        &mut self,
        token: &str,
        now_ms: u64,
    ) -> Result<(Operation, RequestKind, PreparedRequest), Error> {
        let (operation, kind) = self.state.phase.operation();
        let op = self.state.op.get_or_insert_with(OpState::default);
        let first_sent = *op.first_sent_ms.get_or_insert(now_ms);
        if kind == RequestKind::Create
            && op.ambiguous
            && now_ms.saturating_sub(first_sent) >= self.config.retry.key_max_age_ms
        {
            return Err(self.outcome_unknown());
        }
        let key = match kind {
            RequestKind::Create | RequestKind::Mutation => match &op.key {
                Some(key) => key.clone(),
                None => {
                    let key = self.random.key()?;
                    if let Some(op) = self.state.op.as_mut() {
                        op.key = Some(key.clone());
                    }
                    key
                }
            },
            RequestKind::Read | RequestKind::Login => self.random.key()?,
        };
        let key = Some(key.as_str());
        let id = self.state.application_id.clone().unwrap_or_default();
        let customer = self.state.customer_id.clone().unwrap_or_default();
        let request = match &self.state.phase {
            Phase::Agreements => self.client.list_agreements(token, key),
            Phase::Create => match &self.body {
                Some(body) => self
                    .client
                    .create_application_from_body(token, body.clone(), key),
                None => Err(Error::flow(
                    FlowErrorCode::ApplicationRequired,
                    "the Create Application body is not available",
                )),
            },
            Phase::Read => self.client.get_application(token, &id, key),
            Phase::Apply => self.client.apply(token, &id, key),
            Phase::Upload { document_type } => {
                match self
                    .documents
                    .iter()
                    .find(|d| &d.document_type == document_type)
                {
                    Some(doc) => self.client.upload_document(
                        token,
                        &id,
                        &doc.document_type,
                        &doc.content_type,
                        doc.bytes.clone(),
                        key,
                    ),
                    None => Err(Error::flow(
                        FlowErrorCode::Unexpected,
                        "the document to upload is no longer held",
                    )),
                }
            }
            Phase::Customer => self.client.get_customer(token, &customer, key),
            Phase::Accounts => self.client.list_customer_accounts(token, &customer, key),
            Phase::Portals { index } => match self.state.account_ids.get(*index) {
                Some(account) => self.client.list_portals(token, account, key),
                None => Err(Error::flow(FlowErrorCode::Unexpected, "no such account")),
            },
            Phase::Documents | Phase::Approved | Phase::Rejected | Phase::Failed => Err(
                Error::flow(FlowErrorCode::Unexpected, "nothing to send in this phase"),
            ),
        }?;
        Ok((operation, kind, request))
    }

    /// The server's answer to the outstanding request `attempt`.
    pub fn handle_response(
        &mut self,
        attempt: u64,
        status: u16,
        headers: &[(String, String)],
        body: &[u8],
        now_ms: u64,
        auth: &mut Authenticator,
    ) -> Result<(), Error> {
        let outstanding = self.take_outstanding(attempt)?;
        let (kind, generation) = match outstanding.purpose {
            Purpose::Login { ticket } => {
                let random = self.random.unit();
                auth.handle_login(ticket, Ok((status, body)), now_ms, random);
                if let Some(asked) = retry_after(headers, now_ms) {
                    auth.defer_login(now_ms.saturating_add(asked.min(MAX_POSTPONE_MS)));
                }
                self.transient_error = auth.last_error().cloned();
                return Ok(());
            }
            Purpose::Request { kind, generation } => (kind, generation),
        };
        if status != 401 {
            auth.accepted(generation);
        }
        if (200..300).contains(&status) {
            if self.accept(outstanding.transmit.operation, status, body, now_ms) {
                return Ok(());
            }
            self.after_failure(
                Observed::Unreadable,
                kind,
                generation,
                Some((status, body)),
                now_ms,
                auth,
            );
            return Ok(());
        }
        let observed = Observed::Status {
            status,
            retry_after_ms: retry_after(headers, now_ms),
        };
        self.after_failure(
            observed,
            kind,
            generation,
            Some((status, body)),
            now_ms,
            auth,
        );
        Ok(())
    }

    /// The outstanding request `attempt` got no answer.
    pub fn handle_transport_error(
        &mut self,
        attempt: u64,
        kind: TransportErrorKind,
        now_ms: u64,
        auth: &mut Authenticator,
    ) -> Result<(), Error> {
        let outstanding = self.take_outstanding(attempt)?;
        match outstanding.purpose {
            Purpose::Login { ticket } => {
                let random = self.random.unit();
                auth.handle_login(ticket, Err(kind), now_ms, random);
                self.transient_error = auth.last_error().cloned();
            }
            Purpose::Request {
                kind: request_kind,
                generation,
            } => {
                self.after_failure(
                    Observed::Transport(kind),
                    request_kind,
                    generation,
                    None,
                    now_ms,
                    auth,
                );
            }
        }
        Ok(())
    }

    fn take_outstanding(&mut self, attempt: u64) -> Result<Outstanding, Error> {
        match &self.outstanding {
            Some(o) if o.transmit.attempt == attempt => {}
            _ => {
                return Err(Error::flow(
                    FlowErrorCode::UnknownAttempt,
                    "this answer is for an attempt that is not the one outstanding",
                ))
            }
        }
        if let Some(op) = self.state.op.as_mut() {
            op.in_flight = false;
        }
        self.outstanding
            .take()
            .ok_or_else(|| Error::flow(FlowErrorCode::UnknownAttempt, "no request is outstanding"))
    }

    /// Something happened (a webhook arrived, the user came back): read the
    /// application at the next poll instead of waiting out the schedule.
    pub fn notify(&mut self, now_ms: u64) {
        match (&self.state.phase, self.state.wait) {
            (Phase::Approved | Phase::Rejected | Phase::Failed, _) => {}
            (Phase::Documents, _) => {
                if self.state.application_id.is_some() {
                    self.state.phase = Phase::Read;
                    self.state.op = None;
                }
            }
            (_, Some(wait)) if wait.reason.is_poll() => {
                self.state.wait = None;
                self.state.poll = Some(PollState {
                    reason: self
                        .state
                        .poll
                        .map_or(PollReason::KycInProgress, |p| p.reason),
                    since_ms: now_ms,
                    reads: 0,
                });
            }
            _ => self.state.notified = true,
        }
    }

    /// A document for Jiko's request (checked as `check_upload` checks), uploaded by the
    /// flow when a requirement needs its type. A second document of a type replaces
    /// the first. Held in memory only.
    pub fn provide_document(
        &mut self,
        document_type: DocumentType,
        content_type: &str,
        bytes: Vec<u8>,
    ) -> Result<(), Error> {
        if !document_type.is_known() {
            return Err(Error::flow(
                FlowErrorCode::DocumentNotAccepted,
                "the document type is not one the API defines",
            ));
        }
        check_upload(&document_type, content_type, &bytes)?;
        self.documents.retain(|d| d.document_type != document_type);
        self.documents.push(ProvidedDocument {
            document_type,
            content_type: content_type.trim().to_owned(),
            bytes,
        });
        Ok(())
    }

    /// Where the flow stands after `step` (the last step `poll` returned), for a driver
    /// to return to its caller.
    pub fn result(&self, step: &Step) -> FlowResult {
        let (state, requirements, next_check_at_ms, customer, error) = match step {
            Step::Done(Outcome::Approved(customer)) => (
                FlowState::Approved,
                Vec::new(),
                None,
                Some(customer.clone()),
                None,
            ),
            Step::Done(Outcome::Rejected) => (FlowState::Rejected, Vec::new(), None, None, None),
            Step::Done(Outcome::Failed(error)) => (
                FlowState::Failed,
                Vec::new(),
                None,
                None,
                Some(error.clone()),
            ),
            Step::NeedDocuments { requirements } => (
                FlowState::DocumentsNeeded,
                requirements.clone(),
                None,
                None,
                None,
            ),
            Step::Wait(wait) => (
                FlowState::Waiting,
                Vec::new(),
                Some(wait.until_ms),
                None,
                self.transient_error.clone(),
            ),
            Step::Send(_) => (FlowState::Waiting, Vec::new(), None, None, None),
        };
        FlowResult {
            state,
            application: self.application.clone(),
            requirements,
            next_check_at_ms,
            customer,
            error,
        }
    }

    // --- Answers ---

    /// Reads a 2xx answer and moves on; `false` if the body cannot be read.
    fn accept(&mut self, operation: Operation, status: u16, body: &[u8], now_ms: u64) -> bool {
        self.state.outages = 0;
        self.transient_error = None;
        match operation {
            Operation::Login => false,
            Operation::ListAgreements => match parse_agreements(status, body) {
                Ok(agreements) => {
                    self.state.op = None;
                    if self.config.check_consent_version
                        && agreements.version != self.state.consent_version
                    {
                        self.fail(Error::flow(
                            FlowErrorCode::ConsentVersionOutdated,
                            "the application consents to another agreement version than the \
                             current bundle's: show the current agreements and record the \
                             applicant's consent to their version",
                        ));
                    } else {
                        self.state.phase = Phase::Create;
                    }
                    true
                }
                Err(_) => false,
            },
            Operation::CreateApplication => match parse_application(status, body) {
                Ok(application) => {
                    self.state.op = None;
                    // The body holds the applicant's data: not kept once it is sent for good.
                    self.body = None;
                    self.state.application_id = Some(application.id.clone());
                    self.state.last_progress_ms = now_ms;
                    self.on_application(application, now_ms);
                    true
                }
                Err(_) => false,
            },
            Operation::GetApplication | Operation::Apply => match parse_application(status, body) {
                Ok(application) => {
                    self.state.op = None;
                    if operation == Operation::Apply {
                        self.state.applies = self.state.applies.saturating_add(1);
                        self.state.last_progress_ms = now_ms;
                        if self.state.applies > MAX_APPLIES {
                            self.fail(Error::flow(
                                FlowErrorCode::Unexpected,
                                "the application was applied more often than any journey needs",
                            ));
                            return true;
                        }
                    }
                    self.on_application(application, now_ms);
                    true
                }
                Err(_) => false,
            },
            // `success: false` is not an upload: the application will say what happened.
            Operation::UploadDocument => match parse_upload(status, body) {
                Ok(upload) if upload.success => {
                    self.state.op = None;
                    if let Phase::Upload { document_type } = &self.state.phase {
                        let uploaded = document_type.clone();
                        self.documents.retain(|d| d.document_type != uploaded);
                        self.state.uploaded.push(uploaded);
                    }
                    self.state.last_progress_ms = now_ms;
                    self.state.phase = Phase::Documents;
                    true
                }
                Ok(_) | Err(_) => false,
            },
            Operation::GetCustomer => match parse_customer(status, body) {
                Ok(_) => {
                    self.state.op = None;
                    self.state.phase = Phase::Accounts;
                    true
                }
                Err(_) => false,
            },
            Operation::ListCustomerAccounts => match parse_accounts(status, body) {
                Ok(accounts) => {
                    self.state.op = None;
                    self.state.account_ids = accounts.items.into_iter().map(|a| a.id).collect();
                    self.accounts.clear();
                    if self.state.account_ids.is_empty() {
                        self.schedule_poll(PollReason::AccountOpening, now_ms);
                    } else {
                        self.state.phase = Phase::Portals { index: 0 };
                    }
                    true
                }
                Err(_) => false,
            },
            Operation::ListPortals => match parse_portals(status, body) {
                Ok(portals) => {
                    self.state.op = None;
                    let index = match self.state.phase {
                        Phase::Portals { index } => index,
                        _ => 0,
                    };
                    let account_id = self
                        .state
                        .account_ids
                        .get(index)
                        .cloned()
                        .unwrap_or_default();
                    self.accounts.push(ApprovedAccount {
                        account_id,
                        portals: portals.portals.into_iter().map(portal_details).collect(),
                    });
                    if index + 1 < self.state.account_ids.len() {
                        self.state.phase = Phase::Portals { index: index + 1 };
                    } else if self.accounts.iter().all(|a| a.portals.is_empty()) {
                        self.state.phase = Phase::Accounts;
                        self.schedule_poll(PollReason::AccountOpening, now_ms);
                    } else {
                        self.state.phase = Phase::Approved;
                        self.state.wait = None;
                    }
                    true
                }
                Err(_) => false,
            },
        }
    }

    /// Moves on from a fresh application: [`next_action`] decides.
    fn on_application(&mut self, application: Application, now_ms: u64) {
        if let Some(id) = &self.state.application_id {
            if *id != application.id {
                self.fail(Error::flow(
                    FlowErrorCode::Unexpected,
                    "the server answered with another application than this flow's",
                ));
                return;
            }
        }
        let status = application.status.as_str().to_owned();
        let missing = required_documents(&application);
        // Moved: another status, or documents accepted. A conflict that was followed by
        // a move was a lost answer to a request that did act, not a loop.
        if self.state.status.as_deref() != Some(status.as_str()) || missing != self.state.missing {
            self.state.last_progress_ms = now_ms;
            self.state.conflicts = 0;
        }
        if self.state.status.as_deref() != Some(status.as_str()) {
            self.state.poll = None;
        }
        self.state.status = Some(status);
        self.state.uploaded.clear();
        self.state.missing = missing;
        let action = next_action(&application);
        self.application = Some(application);
        match action {
            NextAction::Apply => {
                self.state.phase = Phase::Apply;
                self.state.wait = None;
            }
            NextAction::Wait { reason } => {
                self.state.phase = Phase::Read;
                let reason = match reason {
                    ActionWait::KycInProgress => PollReason::KycInProgress,
                    ActionWait::ManualReview => PollReason::ManualReview,
                    ActionWait::DocumentsInReview => PollReason::DocumentsInReview,
                };
                self.schedule_poll(reason, now_ms);
            }
            NextAction::UploadDocuments { .. } => {
                self.state.phase = Phase::Documents;
                self.state.wait = None;
            }
            NextAction::Approved {
                customer_id: Some(customer_id),
            } => {
                self.state.customer_id = Some(customer_id);
                self.state.phase = Phase::Customer;
                self.state.wait = None;
            }
            NextAction::Approved { customer_id: None } => {
                self.state.phase = Phase::Read;
                self.schedule_poll(PollReason::AccountOpening, now_ms);
            }
            NextAction::Rejected => {
                self.state.phase = Phase::Rejected;
                self.state.wait = None;
            }
            NextAction::Unknown { .. } => {
                self.state.phase = Phase::Read;
                self.schedule_poll(PollReason::ManualReview, now_ms);
            }
        }
    }

    fn schedule_poll(&mut self, reason: PollReason, now_ms: u64) {
        let poll = match self.state.poll {
            Some(mut poll) if poll.reason == reason && !self.state.notified => {
                poll.reads = poll.reads.saturating_add(1);
                poll
            }
            _ => PollState {
                reason,
                since_ms: now_ms,
                reads: 0,
            },
        };
        self.state.poll = Some(poll);
        if std::mem::take(&mut self.state.notified) {
            self.state.wait = None;
            return;
        }
        let input = PollInput {
            reason,
            waited_ms: now_ms.saturating_sub(poll.since_ms),
            reads: poll.reads,
            webhooks: self.config.webhooks,
            random: self.random.unit(),
        };
        let delay = poll_delay_ms(&self.config.poll, &input);
        self.state.wait = Some(WaitState {
            until_ms: now_ms.saturating_add(delay),
            reason: FlowWaitReason::of_poll(reason),
            retry_reason: None,
        });
    }

    /// A failed attempt: [`decide`] says what follows.
    fn after_failure(
        &mut self,
        observed: Observed,
        kind: RequestKind,
        generation: u64,
        answer: Option<(u16, &[u8])>,
        now_ms: u64,
        auth: &mut Authenticator,
    ) {
        let op = self.state.op.clone().unwrap_or_default();
        // A 401 for a token that was revoked or replaced says nothing about this request:
        // it is resent with the current token, and no re-login is counted.
        let counted = !matches!(observed, Observed::Status { status: 401, .. })
            || auth.refusal_counts(generation);
        let input = RetryInput {
            observed,
            kind,
            retries: op.retries,
            key_age_ms: now_ms.saturating_sub(op.first_sent_ms.unwrap_or(now_ms)),
            relogged_in: counted && op.relogins >= self.config.retry.max_relogins,
            ambiguous_before: op.ambiguous,
            random: self.random.unit(),
        };
        let decision = decide(&self.config.retry, &input);
        if let Some(op) = self.state.op.as_mut() {
            op.ambiguous |= has_possible_effect(observed) && kind != RequestKind::Read;
        }
        let error = match (answer, observed) {
            (Some((status, body)), Observed::Status { retry_after_ms, .. }) => {
                let mut error = api_error(status, body);
                error.retry_after_seconds = retry_after_ms.map(|ms| ms / 1_000);
                Error::Api(error)
            }
            (Some((status, body)), Observed::Unreadable) => match parse_application(status, body) {
                Err(error) => error,
                Ok(_) => Error::flow(FlowErrorCode::Unexpected, "the answer could not be read"),
            },
            (_, Observed::Transport(kind)) => Error::Transport { kind },
            _ => Error::flow(FlowErrorCode::Unexpected, "the answer could not be read"),
        };
        match decision {
            RetryDecision::Success => {}
            RetryDecision::Retry {
                delay_ms, reason, ..
            } => {
                if let Some(op) = self.state.op.as_mut() {
                    op.retries = op.retries.saturating_add(1);
                }
                self.transient_error = Some(error);
                self.wait_retry(now_ms.saturating_add(delay_ms), reason);
            }
            RetryDecision::Postpone { delay_ms, reason } => {
                self.transient_error = Some(error);
                self.wait_retry(now_ms.saturating_add(delay_ms), reason);
            }
            RetryDecision::Relogin => {
                auth.reject(generation);
                if let (true, Some(op)) = (counted, self.state.op.as_mut()) {
                    op.relogins = op.relogins.saturating_add(1);
                }
            }
            RetryDecision::ReadState => {
                self.state.conflicts = self.state.conflicts.saturating_add(1);
                if self.state.conflicts >= MAX_CONFLICTS {
                    self.fail(Error::flow(
                        FlowErrorCode::Unexpected,
                        "the server kept refusing the application's next step (409)",
                    ));
                    return;
                }
                self.state.op = None;
                self.state.phase = Phase::Read;
            }
            RetryDecision::GiveUp { reason } => {
                self.state.outages = self.state.outages.saturating_add(1);
                let delay =
                    outage_delay_ms(&self.config.retry, self.state.outages, self.random.unit());
                self.transient_error = Some(error);
                if kind == RequestKind::Mutation {
                    // Did the Apply or upload happen? The application will say.
                    self.state.op = None;
                    self.state.phase = Phase::Read;
                } else if let Some(op) = self.state.op.as_mut() {
                    op.retries = 0;
                    op.relogins = 0;
                }
                self.wait_retry(now_ms.saturating_add(delay), reason);
            }
            RetryDecision::OutcomeUnknown => {
                let error = self.outcome_unknown();
                self.fail(error);
            }
            RetryDecision::Fail => {
                self.fail(error);
            }
        }
    }

    fn wait_retry(&mut self, until_ms: u64, reason: RetryReason) {
        self.state.wait = Some(WaitState {
            until_ms,
            reason: FlowWaitReason::Retry,
            retry_reason: Some(reason),
        });
    }

    fn outcome_unknown(&self) -> Error {
        let key = self.state.op.as_ref().and_then(|op| op.key.clone());
        Error::Flow(FlowError {
            code: FlowErrorCode::CreateOutcomeUnknown,
            message: format!(
                "Create Application may have created an application whose id this flow \
                 cannot learn, and its idempotency key can no longer be resent; do not \
                 create it again: ask Jiko about the request with idempotency key {}",
                key.as_deref().unwrap_or("(none)")
            ),
            idempotency_key: key,
        })
    }

    // --- Documents ---

    /// In the documents phase: upload a provided document that a requirement needs, read
    /// the application once nothing is missing, or ask the host.
    fn choose_document(&mut self) -> Option<Step> {
        let remaining: Vec<DocumentRequirement> = self
            .state
            .missing
            .iter()
            .filter(|r| !r.one_of.iter().any(|t| self.state.uploaded.contains(t)))
            .cloned()
            .collect();
        if remaining.is_empty() {
            self.state.phase = Phase::Read;
            return None;
        }
        let provided = remaining.iter().find_map(|r| {
            r.one_of
                .iter()
                .find(|t| self.documents.iter().any(|d| &d.document_type == *t))
        });
        match provided {
            Some(document_type) => {
                self.state.phase = Phase::Upload {
                    document_type: document_type.clone(),
                };
                self.state.op = None;
                None
            }
            None => Some(Step::NeedDocuments {
                requirements: remaining,
            }),
        }
    }

    // --- The end ---

    fn fail(&mut self, error: Error) -> Step {
        self.state.failure = Some(ErrorRecord::of(&error));
        self.failure = Some(error);
        self.state.phase = Phase::Failed;
        self.state.op = None;
        self.state.wait = None;
        self.body = None;
        self.done_step().unwrap_or(Step::Done(Outcome::Rejected))
    }

    fn done_step(&self) -> Option<Step> {
        let outcome = match self.state.phase {
            Phase::Approved => Outcome::Approved(ApprovedCustomer {
                customer_id: self.state.customer_id.clone().unwrap_or_default(),
                accounts: self.accounts.clone(),
            }),
            Phase::Rejected => Outcome::Rejected,
            Phase::Failed => Outcome::Failed(
                self.failure
                    .clone()
                    .unwrap_or_else(|| Error::flow(FlowErrorCode::Unexpected, "the flow failed")),
            ),
            _ => return None,
        };
        Some(Step::Done(outcome))
    }
}

fn portal_details(portal: Portal) -> PortalDetails {
    PortalDetails {
        portal_id: portal.id,
        routing_number: portal.routing_number,
        account_number: portal.account_number,
        status: portal.status,
    }
}

/// The wait after the retries of a request are spent: the policy's outage delay,
/// doubling to its cap, jittered like a retry.
fn outage_delay_ms(policy: &crate::retry::RetryPolicy, outages: u32, random: f64) -> u64 {
    let outage = crate::retry::RetryPolicy {
        base_delay_ms: policy.outage_base_delay_ms,
        max_delay_ms: policy.outage_max_delay_ms,
        ..policy.clone()
    };
    backoff_ms(&outage, outages, random)
}

/// The Retry-After an answer carries, in milliseconds from `now_ms`.
fn retry_after(headers: &[(String, String)], now_ms: u64) -> Option<u64> {
    headers
        .iter()
        .find(|(name, _)| name.eq_ignore_ascii_case("retry-after"))
        .and_then(|(_, value)| retry_after_ms(value, now_ms))
}

#[cfg(test)]
mod tests;
