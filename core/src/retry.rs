//! When and how a request is tried again: a pure function of what was observed.
//!
//! Stripe's and Stainless's SDKs retry twice with jittered exponential backoff and
//! honour `Retry-After` up to a cap; so does this policy. What it adds is the
//! idempotency rule of Jiko's API: a key is a repeat for an hour, and Create
//! Application is the one call the server's state does not guard (a second Create with
//! a new key makes a second application). So a mutation keeps its key and its bytes on
//! every retry, a read takes a fresh key each time, a 409 is answered by reading the
//! application (never by resending), and a Create whose outcome may be an application
//! ends as `create_outcome_unknown` rather than risk a second one.

use serde::{Deserialize, Serialize};

use crate::error::TransportErrorKind;

/// The knobs of the retry policy.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "tsify", derive(tsify::Tsify))]
#[serde(default)]
#[cfg_attr(feature = "uniffi", derive(uniffi::Record))]
pub struct RetryPolicy {
    /// Retries of one request after its first attempt (Stripe's default: 2).
    pub max_retries: u32,
    /// Delay before the first retry.
    pub base_delay_ms: u64,
    /// Largest backoff delay.
    pub max_delay_ms: u64,
    /// `Retry-After` up to this is slept; a longer one becomes a wait of the flow.
    pub max_retry_after_ms: u64,
    /// A Create that may have acted is resent with its key only while the key is younger
    /// than this: inside Jiko's hour, with a margin for clocks and queues. (Apply and
    /// uploads keep their key whatever its age: repeating either cannot make a second
    /// application.)
    pub key_max_age_ms: u64,
    /// After the retries of a request are spent on a transient failure, the flow waits
    /// this long before it tries again, doubling up to `outage_max_delay_ms`.
    pub outage_base_delay_ms: u64,
    /// Longest wait between tries during an outage.
    pub outage_max_delay_ms: u64,
    /// Re-logins for one request: one per rejected token. A token can be revoked while a
    /// request is retried; a signature or credential problem rejects every new token too
    /// and ends the flow after this many.
    pub max_relogins: u32,
}

impl Default for RetryPolicy {
    fn default() -> Self {
        RetryPolicy {
            max_retries: 2,
            base_delay_ms: 500,
            max_delay_ms: 8_000,
            max_retry_after_ms: 60_000,
            key_max_age_ms: 50 * 60 * 1_000,
            outage_base_delay_ms: 30_000,
            outage_max_delay_ms: 5 * 60_000,
            max_relogins: 3,
        }
    }
}

/// What kind of request was sent: it decides the key rule and what a 409 means.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[cfg_attr(feature = "tsify", derive(tsify::Tsify))]
#[serde(rename_all = "snake_case")]
#[cfg_attr(feature = "uniffi", derive(uniffi::Enum))]
pub enum RequestKind {
    /// Login: no key; a 401 means the credentials are wrong.
    Login,
    /// A GET: a fresh key on every attempt (a replayed GET could return a stale status).
    Read,
    /// Create Application: one key for life; an ambiguous outcome may be an application.
    Create,
    /// Apply or an upload: the key is kept while the request is retried; the server's
    /// state guards against a double effect.
    Mutation,
}

impl RequestKind {
    /// `login`, `read`, `create` or `mutation`.
    pub fn as_str(self) -> &'static str {
        match self {
            RequestKind::Login => "login",
            RequestKind::Read => "read",
            RequestKind::Create => "create",
            RequestKind::Mutation => "mutation",
        }
    }
}

// In JSON (the shared vectors' form): `{"status": 503, "retry_after_ms": 1000}`,
// `{"unreadable": true}` or `{"transport": "reset"}`.
/// What came back for one attempt.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "uniffi", derive(uniffi::Enum))]
#[serde(try_from = "ObservedJson", into = "ObservedJson")]
pub enum Observed {
    /// An HTTP answer; `retry_after_ms` from its `Retry-After` header (see
    /// [`retry_after_ms`]).
    Status {
        /// The status code.
        status: u16,
        /// The delay the server asked for.
        retry_after_ms: Option<u64>,
    },
    /// A 2xx whose body cannot be read.
    Unreadable,
    /// No answer.
    Transport(TransportErrorKind),
}

/// The JSON form of [`Observed`].
#[derive(Clone, Copy, Serialize, Deserialize)]
#[serde(untagged)]
enum ObservedJson {
    Status {
        status: u16,
        #[serde(default, skip_serializing_if = "Option::is_none")]
        retry_after_ms: Option<u64>,
    },
    Unreadable {
        unreadable: bool,
    },
    Transport {
        transport: TransportErrorKind,
    },
}

impl TryFrom<ObservedJson> for Observed {
    type Error = &'static str;

    fn try_from(json: ObservedJson) -> Result<Self, Self::Error> {
        match json {
            ObservedJson::Status {
                status,
                retry_after_ms,
            } => Ok(Observed::Status {
                status,
                retry_after_ms,
            }),
            ObservedJson::Unreadable { unreadable: true } => Ok(Observed::Unreadable),
            ObservedJson::Unreadable { unreadable: false } => Err("unreadable is always true"),
            ObservedJson::Transport { transport } => Ok(Observed::Transport(transport)),
        }
    }
}

impl From<Observed> for ObservedJson {
    fn from(observed: Observed) -> Self {
        match observed {
            Observed::Status {
                status,
                retry_after_ms,
            } => ObservedJson::Status {
                status,
                retry_after_ms,
            },
            Observed::Unreadable => ObservedJson::Unreadable { unreadable: true },
            Observed::Transport(transport) => ObservedJson::Transport { transport },
        }
    }
}

// TypeScript: the JSON form above (tsify cannot read `try_from`).
#[cfg(feature = "tsify")]
#[wasm_bindgen::prelude::wasm_bindgen(typescript_custom_section)]
const OBSERVED_TS: &'static str = r#"
/** What came back for one attempt. */
export type Observed = { status: number; retry_after_ms?: number | null } | { unreadable: true } | { transport: TransportErrorKind };
"#;

/// Why a request is tried again: for logs and for the flow's `Wait` step.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[cfg_attr(feature = "tsify", derive(tsify::Tsify))]
#[serde(rename_all = "snake_case")]
#[cfg_attr(feature = "uniffi", derive(uniffi::Enum))]
pub enum RetryReason {
    /// The request could not be sent.
    NotSent,
    /// No answer in time.
    TimedOut,
    /// The connection broke.
    Reset,
    /// 408.
    RequestTimeout,
    /// 429.
    RateLimited,
    /// 500, 502, 503 or 504.
    ServerError,
    /// A 2xx body that could not be read.
    InvalidResponse,
}

impl RetryReason {
    /// The stable snake_case name.
    pub fn as_str(self) -> &'static str {
        match self {
            RetryReason::NotSent => "not_sent",
            RetryReason::TimedOut => "timed_out",
            RetryReason::Reset => "reset",
            RetryReason::RequestTimeout => "request_timeout",
            RetryReason::RateLimited => "rate_limited",
            RetryReason::ServerError => "server_error",
            RetryReason::InvalidResponse => "invalid_response",
        }
    }

    /// Every reason, in declaration order.
    pub const ALL: [RetryReason; 7] = [
        RetryReason::NotSent,
        RetryReason::TimedOut,
        RetryReason::Reset,
        RetryReason::RequestTimeout,
        RetryReason::RateLimited,
        RetryReason::ServerError,
        RetryReason::InvalidResponse,
    ];
}

/// Everything the decision depends on.
#[derive(Clone, Copy, Debug, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "tsify", derive(tsify::Tsify))]
#[cfg_attr(feature = "uniffi", derive(uniffi::Record))]
pub struct RetryInput {
    /// What came back.
    pub observed: Observed,
    /// The kind of request.
    pub kind: RequestKind,
    /// Retries already made of this request (0 after the first attempt).
    pub retries: u32,
    /// Milliseconds since the key was first sent.
    pub key_age_ms: u64,
    /// Whether the request has used up its re-logins (`max_relogins`).
    pub relogged_in: bool,
    /// Whether an earlier attempt with this key may have had an effect.
    pub ambiguous_before: bool,
    /// A uniform random number in `[0, 1)`, for jitter.
    pub random: f64,
}

// In JSON: `{"decision": "retry", "delay_ms": .., "reason": .., "same_key": ..}`,
// `{"decision": "success"}`, ...
/// What to do next.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "tsify", derive(tsify::Tsify))]
#[cfg_attr(feature = "uniffi", derive(uniffi::Enum))]
#[serde(tag = "decision", rename_all = "snake_case")]
pub enum RetryDecision {
    /// A 2xx: read the answer.
    Success,
    /// Send again after `delay_ms`, with the same key (mutations) or a fresh one (reads).
    Retry {
        /// How long to wait first.
        delay_ms: u64,
        /// Why.
        reason: RetryReason,
        /// Whether the resend reuses the key and bytes.
        same_key: bool,
    },
    /// The server asked for more than the sleep cap: the flow waits `delay_ms`, then
    /// sends again (not counted as a retry).
    Postpone {
        /// How long.
        delay_ms: u64,
        /// Why.
        reason: RetryReason,
    },
    /// 401: log in again, then resend once (mutations keep their key: the token is not
    /// signed, so the same bytes stay valid, and a new key could repeat a Create).
    Relogin,
    /// 409 on Apply or an upload: read the application and decide from its state.
    ReadState,
    /// The retries are spent on a transient failure: nothing ends, the flow tries again
    /// later.
    GiveUp {
        /// The last failure.
        reason: RetryReason,
    },
    /// A Create that may have made an application can no longer be resent.
    OutcomeUnknown,
    /// A failure no retry can fix: the typed API error ends the flow.
    Fail,
}

/// A final answer ends the request, except that a Create sent again after an attempt that
/// may have made the application cannot tell whether one exists: a plain error there would
/// invite the host to create it again.
fn fail(input: &RetryInput) -> RetryDecision {
    if input.kind == RequestKind::Create && input.ambiguous_before {
        RetryDecision::OutcomeUnknown
    } else {
        RetryDecision::Fail
    }
}

/// The retry decision for one observed result.
pub fn decide(policy: &RetryPolicy, input: &RetryInput) -> RetryDecision {
    let reason = match input.observed {
        Observed::Status { status, .. } if (200..300).contains(&status) => {
            return RetryDecision::Success
        }
        Observed::Status { status: 401, .. } => {
            return if input.relogged_in || input.kind == RequestKind::Login {
                fail(input)
            } else {
                RetryDecision::Relogin
            };
        }
        Observed::Status { status: 409, .. } => {
            return match input.kind {
                RequestKind::Create => RetryDecision::OutcomeUnknown,
                RequestKind::Mutation => RetryDecision::ReadState,
                RequestKind::Read | RequestKind::Login => RetryDecision::Fail,
            };
        }
        Observed::Status { status: 408, .. } => RetryReason::RequestTimeout,
        Observed::Status { status: 429, .. } => RetryReason::RateLimited,
        Observed::Status {
            status: 500 | 502 | 503 | 504,
            ..
        } => RetryReason::ServerError,
        Observed::Status { .. } => return fail(input),
        Observed::Unreadable => match input.kind {
            // A 2xx to Create made an application whose id cannot be read.
            RequestKind::Create => return RetryDecision::OutcomeUnknown,
            RequestKind::Mutation => return RetryDecision::ReadState,
            RequestKind::Read | RequestKind::Login => RetryReason::InvalidResponse,
        },
        Observed::Transport(TransportErrorKind::NotSent) => RetryReason::NotSent,
        Observed::Transport(TransportErrorKind::TimedOut) => RetryReason::TimedOut,
        Observed::Transport(TransportErrorKind::Reset) => RetryReason::Reset,
    };
    let ambiguous = input.ambiguous_before || has_possible_effect(input.observed);
    let same_key = matches!(input.kind, RequestKind::Create | RequestKind::Mutation);
    if input.kind == RequestKind::Create && ambiguous && input.key_age_ms >= policy.key_max_age_ms {
        return RetryDecision::OutcomeUnknown;
    }
    let asked = match input.observed {
        Observed::Status { retry_after_ms, .. } => retry_after_ms,
        _ => None,
    };
    if let Some(asked) = asked {
        if asked > policy.max_retry_after_ms {
            return RetryDecision::Postpone {
                delay_ms: asked.min(MAX_POSTPONE_MS),
                reason,
            };
        }
    }
    if input.retries >= policy.max_retries {
        return RetryDecision::GiveUp { reason };
    }
    let delay_ms = match asked {
        Some(asked) => asked,
        None => backoff_ms(policy, input.retries + 1, input.random),
    };
    RetryDecision::Retry {
        delay_ms,
        reason,
        same_key,
    }
}

/// The longest a `Retry-After` postpones a flow: a day. A larger value is more likely a
/// misconfigured server than a plan.
pub const MAX_POSTPONE_MS: u64 = 24 * 60 * 60 * 1_000;

/// Whether the server may have acted on a request that got this result: a transport
/// failure after sending, or a server error (the server may fail after committing).
/// 408, 429 and 401 are refusals before any effect.
pub fn has_possible_effect(observed: Observed) -> bool {
    match observed {
        Observed::Transport(kind) => kind.is_ambiguous(),
        Observed::Status { status, .. } => (500..600).contains(&status),
        Observed::Unreadable => true,
    }
}

/// The backoff before retry number `retry` (1 for the first): `min(max, base *
/// 2^(retry - 1))`, less up to a quarter at random (Stainless's jitter), so that clients
/// failed together do not retry together.
pub fn backoff_ms(policy: &RetryPolicy, retry: u32, random: f64) -> u64 {
    let exponent = retry.saturating_sub(1).min(32);
    let nominal = policy
        .base_delay_ms
        .saturating_mul(1u64 << exponent)
        .min(policy.max_delay_ms);
    jitter(nominal, 1.0 - 0.25 * unit(random))
}

/// `nominal * factor`, rounded down, saturating.
pub(crate) fn jitter(nominal: u64, factor: f64) -> u64 {
    let scaled = nominal as f64 * factor;
    if scaled <= 0.0 {
        0
    } else if scaled >= u64::MAX as f64 {
        u64::MAX
    } else {
        scaled as u64
    }
}

/// `random` clamped into `[0, 1)`; NaN counts as 0.
pub(crate) fn unit(random: f64) -> f64 {
    if random.is_nan() {
        0.0
    } else {
        random.clamp(0.0, 1.0 - f64::EPSILON)
    }
}

/// The delay a `Retry-After` header asks for, in milliseconds: delta-seconds, or an
/// HTTP date (IMF-fixdate, `Sun, 06 Nov 1994 08:49:37 GMT`) measured from `now_ms`.
/// `None` when the value is neither.
pub fn retry_after_ms(value: &str, now_ms: u64) -> Option<u64> {
    let value = value.trim();
    if !value.is_empty() && value.bytes().all(|b| b.is_ascii_digit()) {
        return Some(
            value
                .parse::<u64>()
                .unwrap_or(u64::MAX)
                .saturating_mul(1_000),
        );
    }
    let at_seconds = crate::dates::parse_http_date(value)?;
    let at_ms = u64::try_from(at_seconds).ok()?.saturating_mul(1_000);
    Some(at_ms.saturating_sub(now_ms))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn json_forms_are_the_shared_vectors_forms() {
        use serde_json::{from_value, json, to_value};
        let forms = [
            (
                json!({"status": 503, "retry_after_ms": 1000}),
                Observed::Status {
                    status: 503,
                    retry_after_ms: Some(1000),
                },
            ),
            (json!({"status": 200}), status(200)),
            (json!({"unreadable": true}), Observed::Unreadable),
            (
                json!({"transport": "not_sent"}),
                Observed::Transport(TransportErrorKind::NotSent),
            ),
        ];
        for (json, observed) in forms {
            assert_eq!(from_value::<Observed>(json.clone()).unwrap(), observed);
            assert_eq!(to_value(observed).unwrap(), json);
        }
        assert!(from_value::<Observed>(json!({"unreadable": false})).is_err());
        assert!(from_value::<Observed>(json!({"transport": "lost"})).is_err());
        let retry = RetryDecision::Retry {
            delay_ms: 500,
            reason: RetryReason::ServerError,
            same_key: true,
        };
        assert_eq!(
            to_value(&retry).unwrap(),
            json!({"decision": "retry", "delay_ms": 500, "reason": "server_error", "same_key": true})
        );
        assert_eq!(
            to_value(RetryDecision::ReadState).unwrap(),
            json!({"decision": "read_state"})
        );
    }

    fn input(observed: Observed, kind: RequestKind) -> RetryInput {
        RetryInput {
            observed,
            kind,
            retries: 0,
            key_age_ms: 0,
            relogged_in: false,
            ambiguous_before: false,
            random: 0.0,
        }
    }

    fn status(status: u16) -> Observed {
        Observed::Status {
            status,
            retry_after_ms: None,
        }
    }

    #[test]
    fn backoff_doubles_to_the_cap_and_jitters_down_by_a_quarter_at_most() {
        let policy = RetryPolicy::default();
        assert_eq!(backoff_ms(&policy, 1, 0.0), 500);
        assert_eq!(backoff_ms(&policy, 2, 0.0), 1_000);
        assert_eq!(backoff_ms(&policy, 5, 0.0), 8_000);
        assert_eq!(backoff_ms(&policy, 40, 0.0), 8_000);
        assert_eq!(backoff_ms(&policy, 1, 0.5), 437);
        assert_eq!(backoff_ms(&policy, 1, 1.0), 375);
        assert_eq!(backoff_ms(&policy, 1, f64::NAN), 500);
    }

    #[test]
    fn the_key_rule_follows_the_kind() {
        let policy = RetryPolicy::default();
        for (kind, same) in [
            (RequestKind::Read, false),
            (RequestKind::Create, true),
            (RequestKind::Mutation, true),
        ] {
            match decide(&policy, &input(status(503), kind)) {
                RetryDecision::Retry { same_key, .. } => assert_eq!(same_key, same),
                other => panic!("{other:?}"),
            }
        }
    }

    #[test]
    fn an_old_ambiguous_create_is_an_unknown_outcome() {
        let policy = RetryPolicy::default();
        let mut create = input(
            Observed::Transport(TransportErrorKind::TimedOut),
            RequestKind::Create,
        );
        create.key_age_ms = policy.key_max_age_ms;
        assert_eq!(decide(&policy, &create), RetryDecision::OutcomeUnknown);
        // Never sent: resending even an old key cannot repeat anything.
        create.observed = Observed::Transport(TransportErrorKind::NotSent);
        assert!(matches!(
            decide(&policy, &create),
            RetryDecision::Retry { .. }
        ));
        create.ambiguous_before = true;
        assert_eq!(decide(&policy, &create), RetryDecision::OutcomeUnknown);
    }

    #[test]
    fn retry_after_is_honoured_up_to_the_cap_then_postpones() {
        let policy = RetryPolicy::default();
        let asked = |ms| Observed::Status {
            status: 429,
            retry_after_ms: Some(ms),
        };
        assert_eq!(
            decide(&policy, &input(asked(3_000), RequestKind::Read)),
            RetryDecision::Retry {
                delay_ms: 3_000,
                reason: RetryReason::RateLimited,
                same_key: false
            }
        );
        assert_eq!(
            decide(&policy, &input(asked(120_000), RequestKind::Read)),
            RetryDecision::Postpone {
                delay_ms: 120_000,
                reason: RetryReason::RateLimited
            }
        );
    }

    #[test]
    fn retry_after_reads_seconds_and_http_dates() {
        assert_eq!(retry_after_ms(" 7 ", 0), Some(7_000));
        assert_eq!(
            retry_after_ms("Sun, 06 Nov 1994 08:49:37 GMT", 784_111_770_000),
            Some(7_000)
        );
        assert_eq!(
            retry_after_ms("Sun, 06 Nov 1994 08:49:37 GMT", 784_111_790_000),
            Some(0)
        );
        assert_eq!(retry_after_ms("soon", 0), None);
        assert_eq!(retry_after_ms("-1", 0), None);
    }
}
