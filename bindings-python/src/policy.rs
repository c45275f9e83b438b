//! The core's retry and poll policies, the pure functions the flow engine applies, for
//! hosts that want to see or test a decision (the shared vectors retry.json and
//! poll.json run through these). Inputs and the decision use the vectors' JSON forms.

use jiko_onboarding as core;
use pyo3::exceptions::PyValueError;
use pyo3::prelude::*;
use pyo3::types::PyDict;
use serde::de::DeserializeOwned;

use crate::records::record_arg;

/// A policy from a dict of the fields that differ from the defaults (`None`: defaults).
fn policy<P: DeserializeOwned + Default>(policy: Option<&Bound<'_, PyAny>>) -> PyResult<P> {
    match policy.filter(|p| !p.is_none()) {
        None => Ok(P::default()),
        Some(p) => record_arg(p, "policy"),
    }
}

fn enum_arg<T: DeserializeOwned>(text: &str, what: &str) -> PyResult<T> {
    serde_json::from_str(&format!("\"{}\"", text.escape_default()))
        .map_err(|_| PyValueError::new_err(format!("{what} is not one the core knows")))
}

/// `{"status": N, "retry_after_ms": M?}`, `{"unreadable": True}` or
/// `{"transport": "not_sent" | "timed_out" | "reset"}`.
fn observed(observed: &Bound<'_, PyDict>) -> PyResult<core::Observed> {
    if let Some(kind) = observed.get_item("transport")? {
        let kind: String = kind.extract()?;
        return core::TransportErrorKind::parse(&kind)
            .map(core::Observed::Transport)
            .ok_or_else(|| {
                PyValueError::new_err("transport must be not_sent, timed_out or reset")
            });
    }
    if observed.get_item("unreadable")?.is_some() {
        return Ok(core::Observed::Unreadable);
    }
    let status = observed
        .get_item("status")?
        .ok_or_else(|| PyValueError::new_err("observed needs status, unreadable or transport"))?;
    Ok(core::Observed::Status {
        status: status.extract()?,
        retry_after_ms: observed
            .get_item("retry_after_ms")?
            .map(|v| v.extract())
            .transpose()?,
    })
}

/// The retry decision for one observed result of a request of `kind` (`login`, `read`,
/// `create`, `mutation`), as `{"decision": "success" | "retry" | "postpone" | "relogin"
/// | "read_state" | "give_up" | "outcome_unknown" | "fail", "delay_ms"?, "reason"?,
/// "same_key"?}`. `random` is uniform in [0, 1) (the jitter).
#[pyfunction]
#[pyo3(signature = (observed, kind, retries, key_age_ms, relogged_in, ambiguous_before, random, policy=None))]
#[allow(clippy::too_many_arguments)]
pub fn retry_decision<'py>(
    py: Python<'py>,
    observed: &Bound<'py, PyDict>,
    kind: &str,
    retries: u32,
    key_age_ms: u64,
    relogged_in: bool,
    ambiguous_before: bool,
    random: f64,
    policy: Option<&Bound<'py, PyAny>>,
) -> PyResult<Bound<'py, PyDict>> {
    let input = core::RetryInput {
        observed: self::observed(observed)?,
        kind: enum_arg(kind, "kind")?,
        retries,
        key_age_ms,
        relogged_in,
        ambiguous_before,
        random,
    };
    let decision = core::retry_decision(&self::policy(policy)?, &input);
    let out = PyDict::new(py);
    let name = match decision {
        core::RetryDecision::Success => "success",
        core::RetryDecision::Retry {
            delay_ms,
            reason,
            same_key,
        } => {
            out.set_item("delay_ms", delay_ms)?;
            out.set_item("reason", reason.as_str())?;
            out.set_item("same_key", same_key)?;
            "retry"
        }
        core::RetryDecision::Postpone { delay_ms, reason } => {
            out.set_item("delay_ms", delay_ms)?;
            out.set_item("reason", reason.as_str())?;
            "postpone"
        }
        core::RetryDecision::Relogin => "relogin",
        core::RetryDecision::ReadState => "read_state",
        core::RetryDecision::GiveUp { reason } => {
            out.set_item("reason", reason.as_str())?;
            "give_up"
        }
        core::RetryDecision::OutcomeUnknown => "outcome_unknown",
        core::RetryDecision::Fail => "fail",
    };
    out.set_item("decision", name)?;
    Ok(out)
}

/// Milliseconds a `Retry-After` value (delta-seconds or an HTTP date) asks for at
/// `now_ms`; `None` when it is neither.
#[pyfunction]
pub fn retry_after_ms(header: &str, now_ms: u64) -> Option<u64> {
    core::retry_after_ms(header, now_ms)
}

/// The backoff before retry number `retry` (1 for the first), jittered by `random`.
#[pyfunction]
#[pyo3(signature = (retry, random, policy=None))]
pub fn backoff_ms(retry: u32, random: f64, policy: Option<&Bound<'_, PyAny>>) -> PyResult<u64> {
    Ok(core::backoff_ms(&self::policy(policy)?, retry, random))
}

/// The delay before the next read of a waiting flow: `reason` is `kyc_in_progress`,
/// `documents_in_review`, `manual_review` or `account_opening`.
#[pyfunction]
#[pyo3(signature = (reason, waited_ms, reads, webhooks, random, policy=None))]
pub fn poll_delay_ms(
    reason: &str,
    waited_ms: u64,
    reads: u32,
    webhooks: bool,
    random: f64,
    policy: Option<&Bound<'_, PyAny>>,
) -> PyResult<u64> {
    let input = core::PollInput {
        reason: enum_arg(reason, "reason")?,
        waited_ms,
        reads,
        webhooks,
        random,
    };
    Ok(core::poll_delay_ms(&self::policy(policy)?, &input))
}
