//! How often a waiting flow reads its application again: a pure, jittered schedule.
//!
//! Jiko publishes no polling guidance. Automatic KYC usually answers within minutes, so
//! SUBMITTED is read a few seconds after Apply, then less and less often; a person's
//! review takes hours or days, so MANUAL_REVIEW is read rarely, and more rarely still
//! when a webhook will say when it ends. A webhook (or the host) can always ask for an
//! immediate read with the flow's `notify`.

use serde::{Deserialize, Serialize};

use crate::retry::{jitter, unit};

/// What the flow waits for.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[cfg_attr(feature = "tsify", derive(tsify::Tsify))]
#[serde(rename_all = "snake_case")]
#[cfg_attr(feature = "uniffi", derive(uniffi::Enum))]
pub enum PollReason {
    /// SUBMITTED: automatic KYC is running.
    KycInProgress,
    /// Every required document is uploaded and in review.
    DocumentsInReview,
    /// MANUAL_REVIEW, or a status this SDK does not know.
    ManualReview,
    /// APPROVED, but the customer's account or portal is not there yet.
    AccountOpening,
}

impl PollReason {
    /// The stable snake_case name.
    pub fn as_str(self) -> &'static str {
        match self {
            PollReason::KycInProgress => "kyc_in_progress",
            PollReason::DocumentsInReview => "documents_in_review",
            PollReason::ManualReview => "manual_review",
            PollReason::AccountOpening => "account_opening",
        }
    }

    /// Every reason, in declaration order.
    pub const ALL: [PollReason; 4] = [
        PollReason::KycInProgress,
        PollReason::DocumentsInReview,
        PollReason::ManualReview,
        PollReason::AccountOpening,
    ];
}

/// The knobs of the poll schedule, in milliseconds.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "tsify", derive(tsify::Tsify))]
#[serde(default)]
#[cfg_attr(feature = "uniffi", derive(uniffi::Record))]
pub struct PollPolicy {
    /// First read after SUBMITTED (or an account still opening); doubles each read.
    pub fast_initial_ms: u64,
    /// The doubling stops here.
    pub fast_max_ms: u64,
    /// For this long after the status was first seen, reads follow the doubling.
    pub fast_phase_ms: u64,
    /// After the fast phase, and for documents in review.
    pub slow_interval_ms: u64,
    /// MANUAL_REVIEW without webhooks.
    pub manual_review_ms: u64,
    /// MANUAL_REVIEW when a webhook subscription will announce the outcome.
    pub manual_review_with_webhooks_ms: u64,
}

impl Default for PollPolicy {
    fn default() -> Self {
        PollPolicy {
            fast_initial_ms: 2_000,
            fast_max_ms: 60_000,
            fast_phase_ms: 10 * 60_000,
            slow_interval_ms: 15 * 60_000,
            manual_review_ms: 15 * 60_000,
            manual_review_with_webhooks_ms: 60 * 60_000,
        }
    }
}

/// Everything the next delay depends on.
#[derive(Clone, Copy, Debug, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "tsify", derive(tsify::Tsify))]
#[cfg_attr(feature = "uniffi", derive(uniffi::Record))]
pub struct PollInput {
    /// What the flow waits for.
    pub reason: PollReason,
    /// Milliseconds since the flow first saw this wait (or since `notify` restarted it).
    pub waited_ms: u64,
    /// Reads already made during this wait.
    pub reads: u32,
    /// Whether a webhook subscription will announce changes.
    pub webhooks: bool,
    /// A uniform random number in `[0, 1)`, for jitter.
    pub random: f64,
}

/// The delay before the next read: the nominal delay of the schedule, then ±10% at
/// random so that many flows started together do not read together.
pub fn poll_delay_ms(policy: &PollPolicy, input: &PollInput) -> u64 {
    let fast = || {
        if input.waited_ms >= policy.fast_phase_ms {
            policy.slow_interval_ms
        } else {
            let exponent = input.reads.min(32);
            policy
                .fast_initial_ms
                .saturating_mul(1u64 << exponent)
                .min(policy.fast_max_ms)
        }
    };
    let nominal = match input.reason {
        PollReason::KycInProgress | PollReason::AccountOpening => fast(),
        PollReason::DocumentsInReview => policy.slow_interval_ms,
        PollReason::ManualReview if input.webhooks => policy.manual_review_with_webhooks_ms,
        PollReason::ManualReview => policy.manual_review_ms,
    };
    jitter(nominal, 0.9 + 0.2 * unit(input.random))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn delay(reason: PollReason, waited_ms: u64, reads: u32, webhooks: bool) -> u64 {
        let input = PollInput {
            reason,
            waited_ms,
            reads,
            webhooks,
            random: 0.5,
        };
        poll_delay_ms(&PollPolicy::default(), &input)
    }

    #[test]
    fn submitted_doubles_then_slows_after_the_fast_phase() {
        assert_eq!(delay(PollReason::KycInProgress, 0, 0, false), 2_000);
        assert_eq!(delay(PollReason::KycInProgress, 2_000, 1, false), 4_000);
        assert_eq!(delay(PollReason::KycInProgress, 100_000, 6, false), 60_000);
        assert_eq!(
            delay(PollReason::KycInProgress, 600_000, 12, false),
            900_000
        );
    }

    #[test]
    fn manual_review_is_read_rarely_and_more_rarely_with_webhooks() {
        assert_eq!(delay(PollReason::ManualReview, 0, 0, false), 900_000);
        assert_eq!(delay(PollReason::ManualReview, 0, 0, true), 3_600_000);
        assert_eq!(delay(PollReason::DocumentsInReview, 0, 0, true), 900_000);
    }

    #[test]
    fn jitter_is_ten_percent_either_way() {
        let at = |random| {
            poll_delay_ms(
                &PollPolicy::default(),
                &PollInput {
                    reason: PollReason::ManualReview,
                    waited_ms: 0,
                    reads: 0,
                    webhooks: false,
                    random,
                },
            )
        };
        assert_eq!(at(0.0), 810_000);
        assert_eq!(at(0.25), 855_000);
        assert!(at(1.0) <= 990_000);
    }
}
