//! What the partner should do next with an application.

use serde::{Deserialize, Serialize};

use crate::documents::{required_documents, DocumentRequirement};
use crate::models::{Application, ApplicationStatus};

/// Why the partner has to wait.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[cfg_attr(feature = "tsify", derive(tsify::Tsify))]
#[serde(rename_all = "snake_case")]
#[cfg_attr(feature = "uniffi", derive(uniffi::Enum))]
pub enum WaitReason {
    /// SUBMITTED: automatic KYC is running.
    KycInProgress,
    /// MANUAL_REVIEW: a person is reviewing the application.
    ManualReview,
    /// DOCUMENTS_NEEDED, but every required document has been uploaded and is being
    /// reviewed; the status becomes PENDING once the flags are cleared.
    DocumentsInReview,
}

impl WaitReason {
    /// Every reason, in declaration order.
    pub const ALL: [WaitReason; 3] = [
        WaitReason::KycInProgress,
        WaitReason::ManualReview,
        WaitReason::DocumentsInReview,
    ];

    /// The wire name: `kyc_in_progress`, `manual_review` or `documents_in_review`.
    pub fn as_str(self) -> &'static str {
        match self {
            WaitReason::KycInProgress => "kyc_in_progress",
            WaitReason::ManualReview => "manual_review",
            WaitReason::DocumentsInReview => "documents_in_review",
        }
    }
}

/// The next step for an application.
///
/// Encoded as `{"kind": "apply"}`, `{"kind": "upload_documents", "requirements": [...]}`,
/// `{"kind": "wait", "reason": "kyc_in_progress"}`, `{"kind": "approved", "customer_id": ...}`,
/// `{"kind": "rejected"}` or `{"kind": "unknown", "status": "..."}`.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "tsify", derive(tsify::Tsify))]
#[serde(tag = "kind", rename_all = "snake_case")]
#[cfg_attr(feature = "uniffi", derive(uniffi::Enum))]
pub enum NextAction {
    /// CREATED or PENDING: call Apply.
    Apply,
    /// DOCUMENTS_NEEDED: upload one document for each requirement, then wait for the
    /// status to become PENDING and apply again.
    UploadDocuments {
        /// What is still missing.
        requirements: Vec<DocumentRequirement>,
    },
    /// Poll Get Application or wait for a webhook.
    Wait {
        /// Why.
        reason: WaitReason,
    },
    /// APPROVED: the customer exists.
    Approved {
        /// The customer's id, when the server sent it.
        #[serde(default, skip_serializing_if = "Option::is_none")]
        customer_id: Option<String>,
    },
    /// REJECTED: final; the application cannot be revived.
    Rejected,
    /// A status this SDK does not know.
    Unknown {
        /// The status as the server sent it.
        status: String,
    },
}

impl NextAction {
    /// Every value [`NextAction::kind`] can return.
    pub const KINDS: [&'static str; 6] = [
        "apply",
        "upload_documents",
        "wait",
        "approved",
        "rejected",
        "unknown",
    ];

    /// The stable name of the action: `apply`, `upload_documents`, `wait`, `approved`,
    /// `rejected` or `unknown`.
    pub fn kind(&self) -> &'static str {
        match self {
            NextAction::Apply => "apply",
            NextAction::UploadDocuments { .. } => "upload_documents",
            NextAction::Wait { .. } => "wait",
            NextAction::Approved { .. } => "approved",
            NextAction::Rejected => "rejected",
            NextAction::Unknown { .. } => "unknown",
        }
    }
}

/// The next step for this application, from its status, flags and documents.
pub fn next_action(app: &Application) -> NextAction {
    match &app.status {
        ApplicationStatus::Created | ApplicationStatus::Pending => NextAction::Apply,
        ApplicationStatus::Submitted => NextAction::Wait {
            reason: WaitReason::KycInProgress,
        },
        ApplicationStatus::ManualReview => NextAction::Wait {
            reason: WaitReason::ManualReview,
        },
        ApplicationStatus::DocumentsNeeded => {
            let requirements = required_documents(app);
            if requirements.is_empty() {
                NextAction::Wait {
                    reason: WaitReason::DocumentsInReview,
                }
            } else {
                NextAction::UploadDocuments { requirements }
            }
        }
        ApplicationStatus::Approved => NextAction::Approved {
            customer_id: app.customer_id.clone(),
        },
        ApplicationStatus::Rejected => NextAction::Rejected,
        ApplicationStatus::Unknown(status) => NextAction::Unknown {
            status: status.clone(),
        },
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn wait_reason_names_are_the_serde_names() {
        for reason in WaitReason::ALL {
            assert_eq!(
                serde_json::to_value(reason).unwrap(),
                serde_json::Value::from(reason.as_str())
            );
        }
    }

    #[test]
    fn kinds_lists_every_kind_once() {
        let actions = [
            NextAction::Apply,
            NextAction::UploadDocuments {
                requirements: vec![],
            },
            NextAction::Wait {
                reason: WaitReason::ManualReview,
            },
            NextAction::Approved { customer_id: None },
            NextAction::Rejected,
            NextAction::Unknown {
                status: String::new(),
            },
        ];
        assert_eq!(actions.map(|a| a.kind()), NextAction::KINDS);
    }
}
