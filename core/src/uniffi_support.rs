//! What the Kotlin and Swift bindings need from the core's own types (feature `uniffi`):
//! the stable names of the closed enums as methods, and the date of birth of a response
//! as plain text. The derives themselves sit on each type, beside its definition.

use crate::documents::DocumentFlag;
use crate::error::{
    ApiErrorKind, DocumentErrorCode, FlowErrorCode, TransportErrorKind, WebhookErrorCode,
};
use crate::flow::{FlowState, FlowWaitReason, Operation};
use crate::models::DateOfBirth;
use crate::onboarding::{NextAction, WaitReason};
use crate::poll::PollReason;
use crate::requests::Environment;
use crate::retry::{RequestKind, RetryReason};

// `Application.date_of_birth` is nested on the wire but a calendar date to the user:
// Kotlin and Swift see `String?` (`YYYY-MM-DD`).
uniffi::custom_type!(DateOfBirth, String, {
    lower: |date| date.date_of_birth,
    try_lift: |text| Ok(DateOfBirth { date_of_birth: text }),
});

/// `wireValue()`: the stable snake_case name of each closed enum (its JSON spelling).
macro_rules! wire_value {
    ($($ty:ty),+ $(,)?) => {$(
        #[uniffi::export]
        impl $ty {
            /// The stable snake_case name, as JSON and logs spell it.
            pub fn wire_value(&self) -> String {
                self.as_str().to_owned()
            }
        }
    )+};
}

wire_value!(
    ApiErrorKind,
    DocumentErrorCode,
    DocumentFlag,
    WaitReason,
    Environment,
    Operation,
    FlowWaitReason,
    FlowState,
    RetryReason,
    RequestKind,
    PollReason,
    TransportErrorKind,
    WebhookErrorCode,
    FlowErrorCode,
);

#[uniffi::export]
impl ApiErrorKind {
    /// Whether resending the same prepared request (same idempotency key) may succeed.
    #[uniffi::method(name = "is_retryable")]
    pub fn uniffi_is_retryable(&self) -> bool {
        self.is_retryable()
    }
}

#[uniffi::export]
impl Operation {
    /// The path with its ids as placeholders: safe to log and to group metrics by.
    #[uniffi::method(name = "path_template")]
    pub fn uniffi_path_template(&self) -> String {
        (*self).path_template().to_owned()
    }
}

#[uniffi::export]
impl NextAction {
    /// `apply`, `upload_documents`, `wait`, `approved`, `rejected` or `unknown`.
    #[uniffi::method(name = "kind")]
    pub fn uniffi_kind(&self) -> String {
        self.kind().to_owned()
    }
}
