//! The engine's pure policies and its configuration, for hosts that drive flows
//! themselves and for the shared vectors (retry.json, poll.json). The numbers and the
//! defaults are the core's; this module only exports them.

use jiko_onboarding as core;
use jiko_onboarding::{FlowConfig, PollInput, PollPolicy, RetryDecision, RetryInput, RetryPolicy};

use crate::JikoError;

/// What to do after one observed result of a request (the design's retry table).
#[uniffi::export]
pub fn retry_decision(policy: RetryPolicy, input: RetryInput) -> RetryDecision {
    core::retry_decision(&policy, &input)
}

/// The delay a `Retry-After` value asks for (delta-seconds or an HTTP date, 0 for a date
/// in the past); none when it is neither.
#[uniffi::export]
pub fn retry_after_ms(header: String, now_ms: u64) -> Option<u64> {
    core::retry_after_ms(&header, now_ms)
}

/// The jittered backoff before retry number `retry` (0 for the first), with `random` in
/// `[0, 1)`.
#[uniffi::export]
pub fn backoff_ms(policy: RetryPolicy, retry: u32, random: f64) -> u64 {
    core::backoff_ms(&policy, retry, random)
}

/// The jittered delay before the next read of a waiting flow.
#[uniffi::export]
pub fn poll_delay_ms(policy: PollPolicy, input: PollInput) -> u64 {
    core::poll_delay_ms(&policy, &input)
}

/// The flow settings the core decides by default (Kotlin: `FlowConfig.default()`).
#[uniffi::export]
pub fn default_flow_config() -> FlowConfig {
    FlowConfig::default()
}

/// Flow settings from their JSON form (a configuration file): the fields given replace
/// the defaults (`{"webhooks": true, "retry": {"max_retries": 3}}`).
#[uniffi::export]
pub fn flow_config_from_json(json: String) -> Result<FlowConfig, JikoError> {
    from_json(&json, "a FlowConfig")
}

/// A retry policy from its JSON form; the fields given replace the defaults.
#[uniffi::export]
pub fn retry_policy_from_json(json: String) -> Result<RetryPolicy, JikoError> {
    from_json(&json, "a RetryPolicy")
}

/// A poll policy from its JSON form; the fields given replace the defaults.
#[uniffi::export]
pub fn poll_policy_from_json(json: String) -> Result<PollPolicy, JikoError> {
    from_json(&json, "a PollPolicy")
}

fn from_json<T: serde::de::DeserializeOwned>(json: &str, what: &str) -> Result<T, JikoError> {
    serde_json::from_str(json).map_err(|_| {
        JikoError::invalid_argument(
            "invalid_json",
            &format!("the text is not {what} in its JSON form (known fields, right types)"),
        )
    })
}
