//! The core's flow engine for hosts that drive it themselves (`Onboarding` in
//! `js/driver.js` is such a host), and the pure retry and poll policies.
//!
//! Steps and results cross as plain objects tagged by `kind` / `state`; their
//! declarations are below, next to the code that builds them. The engine's `Step` stays
//! in WebAssembly memory: `result()` describes the step `poll` returned last.

use jiko_onboarding as jiko;
use js_sys::Reflect;
use serde::Serialize;
use serde_json::Value;
use tsify::Tsify;
use wasm_bindgen::prelude::*;
use wasm_bindgen::JsCast;

use super::client::{options_error, prepared, Client};
use super::options::fields_arg;
use super::responses::hide_numbers;
use super::webhook::header_pairs;
use crate::convert::{
    bytes_arg, is_absent, json_text_arg, model_arg, string_arg, to_js, today_arg,
};
use crate::errors;

#[wasm_bindgen(typescript_custom_section)]
const STEP_TYPES: &str = r#"
/** What a flow asks its host to do (`flow.poll(now, auth)`). */
export type Step =
  | {
      kind: "send";
      /** Hand the answer back with this id. */
      attempt: number;
      operation: Operation;
      /** The path with its ids as placeholders (`/api/v1/applications/{id}/`): safe to log. */
      path_template: string;
      /** Send it exactly as prepared (its headers carry the bearer token); never follow a redirect. */
      request: PreparedRequest;
      /** Give up waiting after this long and report `timed_out`. */
      timeout_ms: number;
    }
  | {
      kind: "wait";
      /** Poll again at this time (milliseconds since the Unix epoch), or sooner after `notify`. */
      until_ms: number;
      reason: FlowWaitReason;
      /** For `reason: "retry"`: what failed. */
      retry_reason: RetryReason | null;
    }
  | { kind: "need_documents"; requirements: DocumentRequirement[] }
  | { kind: "done"; state: "approved"; customer: ApprovedCustomer }
  | { kind: "done"; state: "rejected" }
  | { kind: "done"; state: "failed"; error: JikoError };

/**
 * Where a flow stands: what `flow.run()` returns (and `OnboardingFlow.result()`).
 * `customer`'s routing and account numbers are non-enumerable (see `parsePortals`).
 */
export interface FlowResult {
  state: FlowState;
  /** The last application read; `null` before Create, and after a restore until the next read. */
  application: Application | null;
  /** For `documents_needed`: one document per requirement. */
  requirements: DocumentRequirement[];
  /** For `waiting`: when the flow wants to run again, RFC 3339 (UTC, whole seconds). */
  next_check_at: string | null;
  /** The same instant in milliseconds since the Unix epoch. */
  next_check_at_ms: number | null;
  /** For `approved`: the customer and each account's deposit instructions. */
  customer: ApprovedCustomer | null;
  /** For `failed`: what ended the flow; for `waiting`: the transient failure it waits out, if any. */
  error: JikoError | null;
}
"#;

/// Options of `OnboardingFlow.start(...)`.
#[derive(Tsify)]
#[serde(rename_all = "camelCase")]
pub struct FlowStartOptions {
    /// The date the applicant's age is checked against, `YYYY-MM-DD`; today's UTC date
    /// when left out.
    #[tsify(optional)]
    pub today: Option<String>,
    /// Milliseconds since the Unix epoch; `Date.now()` when left out.
    #[tsify(optional)]
    pub now: Option<f64>,
    /// Settings that differ from the defaults (every field is optional).
    #[tsify(optional, type = "FlowConfig")]
    pub config: Option<String>,
}

const START_OPTIONS_SHAPE: &str = "{ today?: string, now?: number, config?: FlowConfig }";

/// Options of `OnboardingFlow.restore(...)`.
#[derive(Tsify)]
#[serde(rename_all = "camelCase")]
pub struct FlowRestoreOptions {
    /// The application the flow was started with: needed while its Create has not been
    /// answered (`application_required` otherwise).
    #[tsify(
        optional,
        type = "CreateApplicationRequest | string | Uint8Array | ArrayBuffer"
    )]
    pub application: Option<String>,
    /// As for `start`.
    #[tsify(optional)]
    pub today: Option<String>,
    /// Settings that differ from the defaults (the same as at the start).
    #[tsify(optional, type = "FlowConfig")]
    pub config: Option<String>,
}

const RESTORE_OPTIONS_SHAPE: &str = "{ application?: CreateApplicationRequest | string | \
Uint8Array | ArrayBuffer, today?: string, config?: FlowConfig }";

/// Milliseconds since the Unix epoch from a JavaScript number (`Date.now()` when absent).
pub(crate) fn now_arg(value: &JsValue, name: &str) -> Result<u64, JsValue> {
    let ms = if is_absent(value) {
        js_sys::Date::now()
    } else {
        value.as_f64().ok_or_else(|| {
            errors::invalid_argument(&format!(
                "{name} must be milliseconds since the Unix epoch, like Date.now()"
            ))
        })?
    };
    if !(ms.is_finite() && ms >= 0.0) {
        return Err(errors::invalid_argument(&format!(
            "{name} must be milliseconds since the Unix epoch, like Date.now()"
        )));
    }
    // Finite and non-negative: a saturating conversion of the whole milliseconds.
    Ok(ms.floor() as u64)
}

/// An attempt id, as `Step.attempt` gave it.
fn attempt_arg(value: &JsValue) -> Result<u64, JsValue> {
    value
        .as_f64()
        .filter(|n| n.fract() == 0.0 && *n >= 0.0 && *n <= 9_007_199_254_740_991.0)
        // Integral and within 2^53: exact.
        .map(|n| n as u64)
        .ok_or_else(|| errors::invalid_argument("attempt must be the attempt of the send step"))
}

/// The application as a JSON value: an object, or JSON text. Text that is not JSON is
/// the validation error `invalid_json`, as in `validateApplication`.
fn application_value(value: &JsValue, today: jiko::CalendarDate) -> Result<Value, JsValue> {
    let text = json_text_arg(value, "application")?;
    serde_json::from_slice(&text).map_err(|_| {
        let errors = jiko::validate_application_json(&text, today);
        errors::from_core(jiko::ValidationError { errors }.into())
    })
}

fn config_arg(value: Option<JsValue>) -> Result<jiko::FlowConfig, JsValue> {
    match value {
        None => Ok(jiko::FlowConfig::default()),
        Some(value) => model_arg(&value, "config", "a FlowConfig object"),
    }
}

/// A property on a fresh plain object (cannot fail).
fn set(object: &JsValue, key: &str, value: &JsValue) {
    let _ = Reflect::set(object, &JsValue::from_str(key), value);
}

/// The approved customer, its portals' numbers non-enumerable.
fn customer_to_js(customer: &jiko::ApprovedCustomer) -> Result<JsValue, JsValue> {
    let object = to_js(customer)?;
    let accounts = Reflect::get(&object, &JsValue::from_str("accounts")).unwrap_or_default();
    if let Some(accounts) = accounts.dyn_ref::<js_sys::Array>() {
        for account in accounts.iter() {
            let portals = Reflect::get(&account, &JsValue::from_str("portals")).unwrap_or_default();
            if let Some(portals) = portals.dyn_ref::<js_sys::Array>() {
                portals.iter().for_each(|p| hide_numbers(&p));
            }
        }
    }
    Ok(object)
}

fn step_to_js(step: &jiko::Step) -> Result<JsValue, JsValue> {
    #[derive(Serialize)]
    #[serde(tag = "kind", rename_all = "snake_case")]
    enum Head<'a> {
        Send {
            attempt: u64,
            operation: jiko::Operation,
            path_template: &'static str,
            timeout_ms: u64,
        },
        Wait {
            until_ms: u64,
            reason: jiko::FlowWaitReason,
            retry_reason: Option<jiko::RetryReason>,
        },
        NeedDocuments {
            requirements: &'a [jiko::DocumentRequirement],
        },
        Done {
            state: jiko::FlowState,
        },
    }
    let head = match step {
        jiko::Step::Send(t) => Head::Send {
            attempt: t.attempt,
            operation: t.operation,
            path_template: t.operation.path_template(),
            timeout_ms: t.timeout_ms,
        },
        jiko::Step::Wait(w) => Head::Wait {
            until_ms: w.until_ms,
            reason: w.reason,
            retry_reason: w.retry_reason,
        },
        jiko::Step::NeedDocuments { requirements } => Head::NeedDocuments { requirements },
        jiko::Step::Done(outcome) => Head::Done {
            state: match outcome {
                jiko::Outcome::Approved(_) => jiko::FlowState::Approved,
                jiko::Outcome::Rejected => jiko::FlowState::Rejected,
                jiko::Outcome::Failed(_) => jiko::FlowState::Failed,
            },
        },
    };
    let object = to_js(&head)?;
    match step {
        jiko::Step::Send(t) => set(&object, "request", &prepared(Ok(t.request.clone()))?),
        jiko::Step::Done(jiko::Outcome::Approved(customer)) => {
            set(&object, "customer", &customer_to_js(customer)?)
        }
        jiko::Step::Done(jiko::Outcome::Failed(error)) => {
            set(&object, "error", &errors::from_core(error.clone()))
        }
        _ => {}
    }
    Ok(object)
}

/// A `FlowResult` object (declared above).
pub(crate) fn result_to_js(result: jiko::FlowResult) -> Result<JsValue, JsValue> {
    #[derive(Serialize)]
    struct Head<'a> {
        state: jiko::FlowState,
        application: Option<&'a jiko::Application>,
        requirements: &'a [jiko::DocumentRequirement],
        next_check_at: Option<String>,
        next_check_at_ms: Option<u64>,
    }
    let next_check_at = result.next_check_at_ms.map(|ms| {
        jiko::Instant {
            unix_seconds: i64::try_from(ms / 1_000).unwrap_or(i64::MAX),
        }
        .to_rfc3339()
    });
    let object = to_js(&Head {
        state: result.state,
        application: result.application.as_ref(),
        requirements: &result.requirements,
        next_check_at,
        next_check_at_ms: result.next_check_at_ms,
    })?;
    let customer = match &result.customer {
        Some(customer) => customer_to_js(customer)?,
        None => JsValue::NULL,
    };
    set(&object, "customer", &customer);
    let error = match result.error {
        Some(error) => errors::from_core(error),
        None => JsValue::NULL,
    };
    set(&object, "error", &error);
    Ok(object)
}

/// The credentials and the login shared by a partner's flows: one login in flight at a
/// time, refreshed before expiry, a 401 answered by one re-login. Pass the same one to
/// every flow's `poll`, `handleResponse` and `handleTransportError`. The password and
/// the token stay in WebAssembly memory and are zeroed when it is freed.
#[wasm_bindgen]
pub struct Authenticator {
    inner: jiko::Authenticator,
}

#[wasm_bindgen]
impl Authenticator {
    /// An authenticator for Login's username and password (checked as Login checks them).
    #[wasm_bindgen(constructor)]
    pub fn new(
        #[wasm_bindgen(unchecked_param_type = "string")] username: JsValue,
        #[wasm_bindgen(unchecked_param_type = "string")] password: JsValue,
    ) -> Result<Authenticator, JsValue> {
        let username = string_arg(&username, "username")?;
        let password = jiko::Secret::from(string_arg(&password, "password")?);
        let inner = jiko::Authenticator::new(&username, password).map_err(errors::from_core)?;
        Ok(Authenticator { inner })
    }

    /// `Authenticator(<redacted>)`.
    #[wasm_bindgen(js_name = "toString")]
    pub fn to_string_js(&self) -> String {
        "Authenticator(<redacted>)".to_owned()
    }

    /// `"Authenticator(<redacted>)"`: never the password or the token.
    #[wasm_bindgen(js_name = "toJSON")]
    pub fn to_json(&self) -> String {
        self.to_string_js()
    }
}

/// One applicant's journey as the core's sans-I/O state machine: ask `poll(now, auth)`
/// what to do, do it, hand the answer back. For hosts that write their own driver;
/// `Onboarding` runs this loop with `fetch`.
#[wasm_bindgen]
pub struct OnboardingFlow {
    inner: jiko::OnboardingFlow,
    last: Option<jiko::Step>,
}

impl OnboardingFlow {
    fn wrap(inner: jiko::OnboardingFlow) -> OnboardingFlow {
        OnboardingFlow { inner, last: None }
    }
}

#[wasm_bindgen]
impl OnboardingFlow {
    /// A flow for this application (validated first: a `JikoValidationError` and
    /// nothing to send). `client` gives the base URL and the signing secret.
    pub fn start(
        client: &Client,
        #[wasm_bindgen(
            unchecked_param_type = "CreateApplicationRequest | string | Uint8Array | ArrayBuffer"
        )]
        application: JsValue,
        #[wasm_bindgen(unchecked_optional_param_type = "FlowStartOptions")] options: JsValue,
    ) -> Result<OnboardingFlow, JsValue> {
        let options = fields_arg(
            &options,
            &["today", "now", "config"],
            START_OPTIONS_SHAPE,
            options_error,
        )?;
        let today = today_arg(options.string("today")?.as_deref())?;
        let now = now_arg(&options.value("now").unwrap_or_default(), "now")?;
        let config = config_arg(options.value("config"))?;
        let application = application_value(&application, today)?;
        jiko::OnboardingFlow::start(client.inner.clone(), config, &application, today, now)
            .map(OnboardingFlow::wrap)
            .map_err(errors::from_core)
    }

    /// A flow continued from `snapshot()`, with the same client and configuration.
    pub fn restore(
        client: &Client,
        #[wasm_bindgen(unchecked_param_type = "string")] snapshot: JsValue,
        #[wasm_bindgen(unchecked_optional_param_type = "FlowRestoreOptions")] options: JsValue,
    ) -> Result<OnboardingFlow, JsValue> {
        let snapshot = string_arg(&snapshot, "snapshot")?;
        let options = fields_arg(
            &options,
            &["application", "today", "config"],
            RESTORE_OPTIONS_SHAPE,
            options_error,
        )?;
        let today = today_arg(options.string("today")?.as_deref())?;
        let config = config_arg(options.value("config"))?;
        let application = match options.value("application") {
            Some(value) => Some(application_value(&value, today)?),
            None => None,
        };
        jiko::OnboardingFlow::restore(
            client.inner.clone(),
            config,
            &snapshot,
            application.as_ref(),
            today,
        )
        .map(OnboardingFlow::wrap)
        .map_err(errors::from_core)
    }

    /// What to do now (`now`: milliseconds since the Unix epoch). Polling again without
    /// an answer gives the same step.
    #[wasm_bindgen(unchecked_return_type = "Step")]
    pub fn poll(
        &mut self,
        #[wasm_bindgen(unchecked_param_type = "number")] now: JsValue,
        auth: &mut Authenticator,
    ) -> Result<JsValue, JsValue> {
        let now = now_arg(&now, "now")?;
        let step = self.inner.poll(now, &mut auth.inner);
        let object = step_to_js(&step)?;
        self.last = Some(step);
        Ok(object)
    }

    /// The server's answer to the send step `attempt`. Throws a `JikoFlowError`
    /// (`unknown_attempt`) for an attempt that is not the outstanding one.
    #[wasm_bindgen(js_name = "handleResponse")]
    #[allow(clippy::too_many_arguments)]
    pub fn handle_response(
        &mut self,
        #[wasm_bindgen(unchecked_param_type = "number")] attempt: JsValue,
        #[wasm_bindgen(unchecked_param_type = "number")] status: JsValue,
        #[wasm_bindgen(
            unchecked_param_type = "Headers | Iterable<[string, string]> | Record<string, string | string[] | undefined>"
        )]
        headers: JsValue,
        #[wasm_bindgen(unchecked_param_type = "Uint8Array | ArrayBuffer | string")] body: JsValue,
        #[wasm_bindgen(unchecked_param_type = "number")] now: JsValue,
        auth: &mut Authenticator,
    ) -> Result<(), JsValue> {
        let attempt = attempt_arg(&attempt)?;
        let status = crate::convert::status_arg(&status)?;
        let headers = if is_absent(&headers) {
            Vec::new()
        } else {
            header_pairs(&headers)?
        };
        let body = bytes_arg(&body, "body", true)?;
        let now = now_arg(&now, "now")?;
        self.inner
            .handle_response(attempt, status, &headers, &body, now, &mut auth.inner)
            .map_err(errors::from_core)
    }

    /// The send step `attempt` got no answer: `not_sent` (nothing reached the server:
    /// a connection refused, a name not found), `timed_out` or `reset`.
    #[wasm_bindgen(js_name = "handleTransportError")]
    pub fn handle_transport_error(
        &mut self,
        #[wasm_bindgen(unchecked_param_type = "number")] attempt: JsValue,
        #[wasm_bindgen(unchecked_param_type = "TransportErrorKind")] kind: JsValue,
        #[wasm_bindgen(unchecked_param_type = "number")] now: JsValue,
        auth: &mut Authenticator,
    ) -> Result<(), JsValue> {
        let attempt = attempt_arg(&attempt)?;
        let kind = kind
            .as_string()
            .and_then(|k| jiko::TransportErrorKind::parse(&k))
            .ok_or_else(|| {
                errors::invalid_argument("kind must be \"not_sent\", \"timed_out\" or \"reset\"")
            })?;
        let now = now_arg(&now, "now")?;
        self.inner
            .handle_transport_error(attempt, kind, now, &mut auth.inner)
            .map_err(errors::from_core)
    }

    /// A document for Jiko's request, checked as `checkUpload` checks it (a
    /// `JikoDocumentError`), uploaded when a requirement needs its type. Held in memory
    /// only: after a restore, provide it again.
    #[wasm_bindgen(js_name = "provideDocument")]
    pub fn provide_document(
        &mut self,
        #[wasm_bindgen(js_name = "documentType", unchecked_param_type = "DocumentType")]
        document_type: JsValue,
        #[wasm_bindgen(js_name = "contentType", unchecked_param_type = "string")]
        content_type: JsValue,
        #[wasm_bindgen(unchecked_param_type = "Uint8Array | ArrayBuffer")] data: JsValue,
    ) -> Result<(), JsValue> {
        let document_type = jiko::DocumentType::parse(&string_arg(&document_type, "documentType")?);
        let content_type = string_arg(&content_type, "contentType")?;
        let data = bytes_arg(&data, "data", false)?;
        self.inner
            .provide_document(document_type, &content_type, data)
            .map_err(errors::from_core)
    }

    /// Something happened (a webhook): the next poll reads the application at once.
    pub fn notify(
        &mut self,
        #[wasm_bindgen(unchecked_optional_param_type = "number")] now: JsValue,
    ) -> Result<(), JsValue> {
        let now = now_arg(&now, "now")?;
        self.inner.notify(now);
        Ok(())
    }

    /// Everything needed to continue, as JSON text: ids, statuses, keys and times; no
    /// personal data, no token, no document.
    pub fn snapshot(&self) -> String {
        self.inner.snapshot()
    }

    /// Where the flow stands after the step `poll` returned last.
    #[wasm_bindgen(unchecked_return_type = "FlowResult")]
    pub fn result(&self) -> Result<JsValue, JsValue> {
        let Some(step) = &self.last else {
            return Err(errors::invalid_argument(
                "result() describes the last step: call poll(now, auth) first",
            ));
        };
        result_to_js(self.inner.result(step))
    }

    /// The application's id, once Create was answered.
    #[wasm_bindgen(
        getter,
        js_name = "applicationId",
        unchecked_return_type = "string | null"
    )]
    pub fn application_id(&self) -> JsValue {
        self.inner
            .application_id()
            .map_or(JsValue::NULL, JsValue::from_str)
    }

    /// The last application read (`null` before Create, and after a restore until the
    /// next read).
    #[wasm_bindgen(getter, unchecked_return_type = "Application | null")]
    pub fn application(&self) -> Result<JsValue, JsValue> {
        match self.inner.application() {
            Some(application) => to_js(application),
            None => Ok(JsValue::NULL),
        }
    }

    /// Whether the journey is over: `poll` returns a `done` step.
    #[wasm_bindgen(js_name = "isFinished")]
    pub fn is_finished(&self) -> bool {
        self.inner.is_finished()
    }

    /// `OnboardingFlow { phase, application_id, status, .. }`: never personal data.
    #[wasm_bindgen(js_name = "toString")]
    pub fn to_string_js(&self) -> String {
        format!("{:?}", self.inner)
    }

    /// The same text as `toString`.
    #[wasm_bindgen(js_name = "toJSON")]
    pub fn to_json(&self) -> String {
        self.to_string_js()
    }
}

// ------------------------------------------------------------------------- policies

/// A policy from its options (the fields that differ from the defaults).
fn policy_arg<P: serde::de::DeserializeOwned + Default>(
    value: &JsValue,
    expected: &str,
) -> Result<P, JsValue> {
    if is_absent(value) {
        Ok(P::default())
    } else {
        model_arg(value, "policy", expected)
    }
}

/// The retry policy's decision for one observed result (a pure function; the flow
/// engine uses it for every request).
#[wasm_bindgen(js_name = "retryDecision", unchecked_return_type = "RetryDecision")]
pub fn retry_decision(
    #[wasm_bindgen(unchecked_param_type = "RetryInput")] input: JsValue,
    #[wasm_bindgen(unchecked_optional_param_type = "RetryPolicy")] policy: JsValue,
) -> Result<JsValue, JsValue> {
    let input: jiko::RetryInput = model_arg(&input, "input", "a RetryInput object")?;
    let policy: jiko::RetryPolicy = policy_arg(&policy, "a RetryPolicy object")?;
    to_js(&jiko::retry_decision(&policy, &input))
}

/// The delay a `Retry-After` header value asks for (delta-seconds or an HTTP date, 0 for
/// a date in the past), or `null` when it is neither.
#[wasm_bindgen(js_name = "retryAfterMs", unchecked_return_type = "number | null")]
pub fn retry_after_ms(
    #[wasm_bindgen(unchecked_param_type = "string")] value: JsValue,
    #[wasm_bindgen(js_name = "nowMs", unchecked_optional_param_type = "number")] now_ms: JsValue,
) -> Result<JsValue, JsValue> {
    let value = string_arg(&value, "value")?;
    let now = now_arg(&now_ms, "nowMs")?;
    // Delays stay far below 2^53 ms.
    Ok(jiko::retry_after_ms(&value, now).map_or(JsValue::NULL, |ms| JsValue::from_f64(ms as f64)))
}

/// The backoff before retry number `retry` (1 for the first), jittered by `random` in
/// `[0, 1)`.
#[wasm_bindgen(js_name = "backoffMs")]
pub fn backoff_ms(
    retry: u32,
    random: f64,
    #[wasm_bindgen(unchecked_optional_param_type = "RetryPolicy")] policy: JsValue,
) -> Result<f64, JsValue> {
    let policy: jiko::RetryPolicy = policy_arg(&policy, "a RetryPolicy object")?;
    Ok(jiko::backoff_ms(&policy, retry, random) as f64)
}

/// The delay before the next read of a waiting flow (a pure function).
#[wasm_bindgen(js_name = "pollDelayMs")]
pub fn poll_delay_ms(
    #[wasm_bindgen(unchecked_param_type = "PollInput")] input: JsValue,
    #[wasm_bindgen(unchecked_optional_param_type = "PollPolicy")] policy: JsValue,
) -> Result<f64, JsValue> {
    let input: jiko::PollInput = model_arg(&input, "input", "a PollInput object")?;
    let policy: jiko::PollPolicy = policy_arg(&policy, "a PollPolicy object")?;
    Ok(jiko::poll_delay_ms(&policy, &input) as f64)
}
