//! What a snapshot holds: the flow's state, as versioned JSON.
//!
//! Ids, statuses, idempotency keys, times and counters: nothing personal, no token, no
//! document. The Create body is represented by a keyed digest (HMAC with the signing
//! secret, so it cannot be guessed from a known SSN); a restore that must resend the
//! Create rebuilds the body from the application the host passes again and checks it.

use serde::{Deserialize, Serialize};

use crate::documents::DocumentRequirement;
use crate::error::{ApiError, ApiErrorKind, Error, FlowError, FlowErrorCode};
use crate::models::DocumentType;
use crate::poll::PollReason;
use crate::retry::{RequestKind, RetryReason};

use super::step::{FlowWaitReason, Operation, Wait};

/// The version this SDK writes; restore reads it and every earlier one.
pub(crate) const SNAPSHOT_VERSION: u32 = 1;

/// Where the journey is.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(tag = "phase", rename_all = "snake_case")]
pub(crate) enum Phase {
    Agreements,
    Create,
    Read,
    Apply,
    Upload { document_type: DocumentType },
    Documents,
    Customer,
    Accounts,
    Portals { index: usize },
    Approved,
    Rejected,
    Failed,
}

impl Phase {
    /// The operation this phase sends, and its kind for the retry rules.
    pub(crate) fn operation(&self) -> (Operation, RequestKind) {
        match self {
            Phase::Agreements => (Operation::ListAgreements, RequestKind::Read),
            Phase::Create => (Operation::CreateApplication, RequestKind::Create),
            Phase::Apply => (Operation::Apply, RequestKind::Mutation),
            Phase::Upload { .. } => (Operation::UploadDocument, RequestKind::Mutation),
            Phase::Customer => (Operation::GetCustomer, RequestKind::Read),
            Phase::Accounts => (Operation::ListCustomerAccounts, RequestKind::Read),
            Phase::Portals { .. } => (Operation::ListPortals, RequestKind::Read),
            Phase::Read | Phase::Documents | Phase::Approved | Phase::Rejected | Phase::Failed => {
                (Operation::GetApplication, RequestKind::Read)
            }
        }
    }
}

/// The operation being sent: its key (mutations keep one), when it was first sent, and
/// what its attempts so far imply.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(default)]
pub(crate) struct OpState {
    #[serde(skip_serializing_if = "Option::is_none")]
    pub key: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub first_sent_ms: Option<u64>,
    pub retries: u32,
    /// Re-logins made for this operation (one per token it was refused with).
    pub relogins: u32,
    /// An attempt may have reached the server and acted.
    pub ambiguous: bool,
    /// Sent and not answered (when a snapshot is taken mid-request).
    pub in_flight: bool,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub(crate) struct WaitState {
    pub until_ms: u64,
    pub reason: FlowWaitReason,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub retry_reason: Option<RetryReason>,
}

impl WaitState {
    pub(crate) fn step(self) -> Wait {
        Wait {
            until_ms: self.until_ms,
            reason: self.reason,
            retry_reason: self.retry_reason,
        }
    }
}

#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub(crate) struct PollState {
    pub reason: PollReason,
    pub since_ms: u64,
    pub reads: u32,
}

/// A failure as a snapshot keeps it: its code, its safe message and, for an API error,
/// its status. Field errors are not kept.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub(crate) struct ErrorRecord {
    pub code: String,
    pub message: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub status: Option<u16>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub idempotency_key: Option<String>,
}

impl ErrorRecord {
    pub(crate) fn of(error: &Error) -> Self {
        ErrorRecord {
            code: error.code(),
            message: error.to_string(),
            status: match error {
                Error::Api(api) => Some(api.status),
                _ => None,
            },
            idempotency_key: match error {
                Error::Flow(flow) => flow.idempotency_key.clone(),
                _ => None,
            },
        }
    }

    pub(crate) fn to_error(&self) -> Error {
        if let Some(status) = self.status {
            let kind = ApiErrorKind::ALL
                .into_iter()
                .find(|k| format!("api_{}", k.as_str()) == self.code)
                .unwrap_or_else(|| ApiErrorKind::from_status(status));
            return Error::Api(ApiError {
                status,
                kind,
                errors: Vec::new(),
                retry_after_seconds: None,
                message: self.message.clone(),
            });
        }
        let code = FlowErrorCode::ALL
            .into_iter()
            .find(|c| c.as_str() == self.code)
            .unwrap_or(FlowErrorCode::Unexpected);
        Error::Flow(FlowError {
            code,
            message: self.message.clone(),
            idempotency_key: self.idempotency_key.clone(),
        })
    }
}

/// Everything a snapshot holds.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub(crate) struct State {
    pub version: u32,
    #[serde(flatten)]
    pub phase: Phase,
    /// The last attempt id issued: ids stay unique across restores.
    pub attempt: u64,
    pub requests: u64,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub application_id: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub status: Option<String>,
    pub consent_version: String,
    pub body_digest: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub op: Option<OpState>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub wait: Option<WaitState>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub poll: Option<PollState>,
    pub last_progress_ms: u64,
    #[serde(default)]
    pub outages: u32,
    #[serde(default)]
    pub conflicts: u32,
    #[serde(default)]
    pub applies: u32,
    #[serde(default)]
    pub notified: bool,
    /// What the last application read still needs (document types only).
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub missing: Vec<DocumentRequirement>,
    /// Uploaded since that read.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub uploaded: Vec<DocumentType>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub customer_id: Option<String>,
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub account_ids: Vec<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub failure: Option<ErrorRecord>,
}

impl State {
    pub(crate) fn new(consent_version: String, body_digest: String, now_ms: u64) -> Self {
        State {
            version: SNAPSHOT_VERSION,
            phase: Phase::Agreements,
            attempt: 0,
            requests: 0,
            application_id: None,
            status: None,
            consent_version,
            body_digest,
            op: None,
            wait: None,
            poll: None,
            last_progress_ms: now_ms,
            outages: 0,
            conflicts: 0,
            applies: 0,
            notified: false,
            missing: Vec::new(),
            uploaded: Vec::new(),
            customer_id: None,
            account_ids: Vec::new(),
            failure: None,
        }
    }

    pub(crate) fn write(&self) -> String {
        serde_json::to_string(self).unwrap_or_default()
    }

    /// Reads a snapshot and prepares it to continue: a request that was in flight may
    /// have acted (a Create or an Apply keeps its key and counts as ambiguous); the
    /// documents not yet uploaded are asked for again (they are not kept); the portals
    /// are listed again (their numbers are not kept). A retry wait is kept in every
    /// phase: a restore does not cut short a backoff or a `Retry-After`.
    pub(crate) fn read(text: &str) -> Result<Self, Error> {
        let invalid = |why: &str| {
            Error::flow(
                FlowErrorCode::SnapshotInvalid,
                format!("the snapshot {why}"),
            )
        };
        let version = serde_json::from_str::<serde_json::Value>(text)
            .ok()
            .and_then(|v| v.get("version").and_then(serde_json::Value::as_u64))
            .ok_or_else(|| invalid("is not a flow snapshot"))?;
        if version == 0 || version > u64::from(SNAPSHOT_VERSION) {
            return Err(invalid("was written by a newer version of this SDK"));
        }
        let mut state: State =
            serde_json::from_str(text).map_err(|_| invalid("is not a flow snapshot"))?;
        if let Some(op) = state.op.as_mut() {
            if op.in_flight {
                op.in_flight = false;
                op.ambiguous = true;
            }
        }
        match state.phase {
            // The documents themselves are not in the snapshot: they are asked for again.
            Phase::Upload { .. } => {
                state.phase = Phase::Documents;
                state.op = None;
            }
            // The numbers are not in the snapshot: the portals are listed again.
            Phase::Portals { .. } | Phase::Approved => {
                state.phase = if state.account_ids.is_empty() {
                    Phase::Accounts
                } else {
                    Phase::Portals { index: 0 }
                };
                state.op = None;
            }
            Phase::Agreements
            | Phase::Create
            | Phase::Read
            | Phase::Apply
            | Phase::Documents
            | Phase::Customer
            | Phase::Accounts
            | Phase::Rejected
            | Phase::Failed => {}
        }
        if state.phase == Phase::Read && state.application_id.is_none() {
            return Err(invalid("has no application id to read"));
        }
        Ok(state)
    }
}
