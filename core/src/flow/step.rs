//! What a flow asks its host to do, and what it ends with.

use std::fmt;

use serde::{Deserialize, Serialize};

use crate::customers::PortalStatus;
use crate::documents::DocumentRequirement;
use crate::error::Error;
use crate::models::{Application, DocumentType};
use crate::poll::{PollPolicy, PollReason};
use crate::requests::PreparedRequest;
use crate::retry::{RetryPolicy, RetryReason};

/// The API call a [`Transmit`] makes: for logs and metrics, never personal.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[cfg_attr(feature = "tsify", derive(tsify::Tsify))]
#[serde(rename_all = "snake_case")]
#[cfg_attr(feature = "uniffi", derive(uniffi::Enum))]
pub enum Operation {
    /// POST /api/v1/login/.
    Login,
    /// GET /api/v1/agreements/.
    ListAgreements,
    /// POST /api/v1/applications/.
    CreateApplication,
    /// GET /api/v1/applications/{id}/.
    GetApplication,
    /// POST /api/v1/applications/{id}/apply/.
    Apply,
    /// POST /api/v1/applications/{id}/documents/{type}/file/.
    UploadDocument,
    /// GET /api/v1/customers/{id}/.
    GetCustomer,
    /// GET /api/v1/customers/{id}/jiko-accounts/.
    ListCustomerAccounts,
    /// GET /api/v1/jiko-accounts/{id}/portals/.
    ListPortals,
}

impl Operation {
    /// Every operation, in journey order.
    pub const ALL: [Operation; 9] = [
        Operation::Login,
        Operation::ListAgreements,
        Operation::CreateApplication,
        Operation::GetApplication,
        Operation::Apply,
        Operation::UploadDocument,
        Operation::GetCustomer,
        Operation::ListCustomerAccounts,
        Operation::ListPortals,
    ];

    /// The stable snake_case name.
    pub fn as_str(self) -> &'static str {
        match self {
            Operation::Login => "login",
            Operation::ListAgreements => "list_agreements",
            Operation::CreateApplication => "create_application",
            Operation::GetApplication => "get_application",
            Operation::Apply => "apply",
            Operation::UploadDocument => "upload_document",
            Operation::GetCustomer => "get_customer",
            Operation::ListCustomerAccounts => "list_customer_accounts",
            Operation::ListPortals => "list_portals",
        }
    }

    /// The path with its ids as placeholders: safe to log and to group metrics by.
    pub fn path_template(self) -> &'static str {
        match self {
            Operation::Login => "/api/v1/login/",
            Operation::ListAgreements => "/api/v1/agreements/",
            Operation::CreateApplication => "/api/v1/applications/",
            Operation::GetApplication => "/api/v1/applications/{id}/",
            Operation::Apply => "/api/v1/applications/{id}/apply/",
            Operation::UploadDocument => "/api/v1/applications/{id}/documents/{type}/file/",
            Operation::GetCustomer => "/api/v1/customers/{id}/",
            Operation::ListCustomerAccounts => "/api/v1/customers/{id}/jiko-accounts/",
            Operation::ListPortals => "/api/v1/jiko-accounts/{id}/portals/",
        }
    }
}

/// Send this request, then hand the answer (or how sending failed) back with `attempt`.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Transmit {
    /// Identifies this send; an answer with another id is refused.
    pub attempt: u64,
    /// What the request does.
    pub operation: Operation,
    /// The request, bearer token included: send it as it is, never follow a redirect.
    pub request: PreparedRequest,
    /// Give up waiting for the answer after this long and report `timed_out`.
    pub timeout_ms: u64,
    /// For an upload, the type of the document (for logs).
    pub document_type: Option<DocumentType>,
}

/// Why a flow waits.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[cfg_attr(feature = "tsify", derive(tsify::Tsify))]
#[serde(rename_all = "snake_case")]
#[cfg_attr(feature = "uniffi", derive(uniffi::Enum))]
pub enum FlowWaitReason {
    /// SUBMITTED: automatic KYC is running.
    KycInProgress,
    /// The documents are in review.
    DocumentsInReview,
    /// MANUAL_REVIEW (or a status this SDK does not know).
    ManualReview,
    /// Approved; the account or its portal is not there yet.
    AccountOpening,
    /// A request failed and is tried again (see `retry_reason`).
    Retry,
    /// Another flow is logging in, or logins are failing and backing off.
    Login,
}

impl FlowWaitReason {
    /// Every reason, in declaration order.
    pub const ALL: [FlowWaitReason; 6] = [
        FlowWaitReason::KycInProgress,
        FlowWaitReason::DocumentsInReview,
        FlowWaitReason::ManualReview,
        FlowWaitReason::AccountOpening,
        FlowWaitReason::Retry,
        FlowWaitReason::Login,
    ];

    /// The stable snake_case name.
    pub fn as_str(self) -> &'static str {
        match self {
            FlowWaitReason::KycInProgress => "kyc_in_progress",
            FlowWaitReason::DocumentsInReview => "documents_in_review",
            FlowWaitReason::ManualReview => "manual_review",
            FlowWaitReason::AccountOpening => "account_opening",
            FlowWaitReason::Retry => "retry",
            FlowWaitReason::Login => "login",
        }
    }

    /// Whether the flow waits for the poll schedule (rather than a retry or a login).
    pub fn is_poll(self) -> bool {
        !matches!(self, FlowWaitReason::Retry | FlowWaitReason::Login)
    }

    pub(crate) fn of_poll(reason: PollReason) -> Self {
        match reason {
            PollReason::KycInProgress => FlowWaitReason::KycInProgress,
            PollReason::DocumentsInReview => FlowWaitReason::DocumentsInReview,
            PollReason::ManualReview => FlowWaitReason::ManualReview,
            PollReason::AccountOpening => FlowWaitReason::AccountOpening,
        }
    }
}

/// Wait until `until_ms` (or until something happens: `notify`), then poll again.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
#[cfg_attr(feature = "uniffi", derive(uniffi::Record))]
pub struct Wait {
    /// When to poll again, in milliseconds since the Unix epoch.
    pub until_ms: u64,
    /// Why.
    pub reason: FlowWaitReason,
    /// For [`FlowWaitReason::Retry`]: what failed.
    pub retry_reason: Option<RetryReason>,
}

/// One thing for the host to do.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Step {
    /// Send a request.
    Send(Transmit),
    /// Nothing to do before a time.
    Wait(Wait),
    /// Jiko needs documents: give one per requirement with `provide_document`.
    NeedDocuments {
        /// What is still missing.
        requirements: Vec<DocumentRequirement>,
    },
    /// The journey is over.
    Done(Outcome),
}

impl Step {
    /// `send`, `wait`, `need_documents` or `done`.
    pub fn kind(&self) -> &'static str {
        match self {
            Step::Send(_) => "send",
            Step::Wait(_) => "wait",
            Step::NeedDocuments { .. } => "need_documents",
            Step::Done(_) => "done",
        }
    }
}

/// How a journey ended.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Outcome {
    /// A customer exists, with its accounts and their portals.
    Approved(ApprovedCustomer),
    /// Final refusal.
    Rejected,
    /// The flow cannot go on; the error says why.
    Failed(Error),
}

/// The approved customer: what the end user needs to receive ACH deposits.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "tsify", derive(tsify::Tsify))]
#[cfg_attr(feature = "uniffi", derive(uniffi::Record), uniffi::export(Debug))]
pub struct ApprovedCustomer {
    /// The customer's id.
    pub customer_id: String,
    /// Each of the customer's accounts, with its portals.
    pub accounts: Vec<ApprovedAccount>,
}

/// An account of the approved customer.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "tsify", derive(tsify::Tsify))]
#[cfg_attr(feature = "uniffi", derive(uniffi::Record), uniffi::export(Debug))]
pub struct ApprovedAccount {
    /// The account's id.
    pub account_id: String,
    /// Where transfers into it are sent.
    pub portals: Vec<PortalDetails>,
}

/// A portal's deposit instructions. The numbers are sensitive: `Debug` leaves them out.
#[derive(Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "tsify", derive(tsify::Tsify))]
#[cfg_attr(feature = "uniffi", derive(uniffi::Record), uniffi::export(Debug))]
pub struct PortalDetails {
    /// The portal's id.
    pub portal_id: String,
    /// ABA routing number.
    pub routing_number: String,
    /// Account number.
    pub account_number: String,
    /// Whether it receives transfers.
    pub status: PortalStatus,
}

impl fmt::Debug for PortalDetails {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("PortalDetails")
            .field("portal_id", &self.portal_id)
            .field("status", &self.status)
            .finish_non_exhaustive()
    }
}

/// Where a flow stands, for a driver's `run` to return.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[cfg_attr(feature = "tsify", derive(tsify::Tsify))]
#[serde(rename_all = "snake_case")]
#[cfg_attr(feature = "uniffi", derive(uniffi::Enum))]
pub enum FlowState {
    /// Done: approved, with the customer's accounts.
    Approved,
    /// Done: rejected.
    Rejected,
    /// Waiting for documents from the host.
    DocumentsNeeded,
    /// Waiting for Jiko (or for a retry): look again at `next_check_at`.
    Waiting,
    /// Done: failed; see `error`.
    Failed,
}

impl FlowState {
    /// The stable snake_case name.
    pub fn as_str(self) -> &'static str {
        match self {
            FlowState::Approved => "approved",
            FlowState::Rejected => "rejected",
            FlowState::DocumentsNeeded => "documents_needed",
            FlowState::Waiting => "waiting",
            FlowState::Failed => "failed",
        }
    }
}

/// What a driver's `run` returns: where the flow stands and what the host needs.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct FlowResult {
    /// Where the flow stands.
    pub state: FlowState,
    /// The last application read (none before Create).
    pub application: Option<Application>,
    /// For `documents_needed`: what to provide.
    pub requirements: Vec<DocumentRequirement>,
    /// For `waiting`: when the flow wants to run again (ms since the Unix epoch).
    pub next_check_at_ms: Option<u64>,
    /// For `approved`: the customer and the deposit instructions.
    pub customer: Option<ApprovedCustomer>,
    /// For `failed`: what ended the flow. For `waiting`: the transient failure the flow
    /// is waiting out, if any.
    pub error: Option<Error>,
}

/// How a flow behaves. The defaults are the design's; every one can be changed.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "tsify", derive(tsify::Tsify))]
#[serde(default)]
#[cfg_attr(feature = "uniffi", derive(uniffi::Record))]
pub struct FlowConfig {
    /// Refuse, before anything is created, an application whose consent names another
    /// agreement version than the current bundle's (`consent_version_outdated`).
    pub check_consent_version: bool,
    /// The host has a webhook subscription and calls `notify`: poll less often.
    pub webhooks: bool,
    /// Retries of each request.
    pub retry: RetryPolicy,
    /// How often a waiting flow reads the application.
    pub poll: PollPolicy,
    /// A flow whose application has not moved for this long fails as `stalled`.
    pub stall_after_ms: u64,
    /// Timeout of each request but uploads.
    pub request_timeout_ms: u64,
    /// Timeout of an upload (up to 50 MB).
    pub upload_timeout_ms: u64,
    /// Most requests one flow may send, a bound no legitimate journey reaches.
    pub max_requests: u64,
    /// Makes keys and jitter repeatable (tests, replays); none in production.
    pub seed: Option<u64>,
}

impl Default for FlowConfig {
    fn default() -> Self {
        FlowConfig {
            check_consent_version: true,
            webhooks: false,
            retry: RetryPolicy::default(),
            poll: PollPolicy::default(),
            stall_after_ms: 30 * 24 * 60 * 60 * 1_000,
            request_timeout_ms: 30_000,
            upload_timeout_ms: 120_000,
            max_requests: 10_000,
            seed: None,
        }
    }
}
