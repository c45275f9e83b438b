//! The core's flow engine for Python: `Authenticator`, `OnboardingFlow` and the steps
//! `poll` returns (`Transmit`, `Wait`, `NeedDocuments`, `Done`), plus `FlowResult`.
//!
//! This is the low-level, sans-I/O surface for hosts that write their own driver; the
//! drivers in `_driver.py` (`Onboarding`, `AsyncOnboarding`) are loops over it. Every
//! decision is the core's; these classes map arguments and results only. Each call holds
//! the GIL from start to end, so a flow and the `Authenticator` its partner's flows
//! share are never used by two threads at once.

use jiko_onboarding as core;
use pyo3::exceptions::{PyTypeError, PyValueError};
use pyo3::prelude::*;
use pyo3::types::PyBytes;
use serde_json::Value;

use crate::client::{secret_of, Client, PreparedRequest};
use crate::convert::{header_pairs, to_value, today_of, BytesArg};
use crate::errors::{error_object, py_err};
use crate::records::record_arg;
use crate::to_python::to_python;

/// A `FlowConfig`, or a dict of the fields that differ from the defaults (`None`: the
/// defaults). A key the config does not have is refused (a misspelt option would
/// otherwise be ignored).
pub fn flow_config(config: Option<&Bound<'_, PyAny>>) -> PyResult<core::FlowConfig> {
    let Some(config) = config.filter(|c| !c.is_none()) else {
        return Ok(core::FlowConfig::default());
    };
    let given = to_value(config, "config")?;
    let known = serde_json::to_value(core::FlowConfig::default()).unwrap_or(Value::Null);
    if let Some(path) = unknown_key(&given, &known, "config") {
        return Err(PyValueError::new_err(format!(
            "{path} is not a FlowConfig setting"
        )));
    }
    record_arg(config, "FlowConfig")
}

/// A `FlowConfig` record from what `flow_config` accepts (checked at once).
#[pyfunction]
pub fn _flow_config<'py>(
    py: Python<'py>,
    config: Option<&Bound<'py, PyAny>>,
) -> PyResult<Bound<'py, PyAny>> {
    to_python(py, &flow_config(config)?)
}

/// The first key of `given` (nested objects included) that `known` does not have.
fn unknown_key(given: &Value, known: &Value, path: &str) -> Option<String> {
    let (Value::Object(given), Value::Object(known)) = (given, known) else {
        return None;
    };
    given.iter().find_map(|(key, value)| match known.get(key) {
        None => Some(format!("{path}.{key}")),
        Some(inner) => unknown_key(value, inner, &format!("{path}.{key}")),
    })
}

/// One login shared by all of a partner's flows: pass the same object to every flow's
/// `poll` and `handle_*` calls. `repr` shows whether it holds a token, never the token
/// or the password; it cannot be pickled.
#[pyclass(module = "jiko_onboarding")]
pub struct Authenticator {
    inner: core::Authenticator,
}

#[pymethods]
impl Authenticator {
    #[new]
    fn new(py: Python<'_>, username: &str, password: &Bound<'_, PyAny>) -> PyResult<Self> {
        let password = secret_of(password)?;
        let inner = core::Authenticator::new(username, password).map_err(py_err(py))?;
        Ok(Authenticator { inner })
    }

    fn __repr__(&self) -> String {
        format!("{:?}", self.inner)
    }
}

/// Send `request` (exactly as prepared, never following a redirect, giving up after
/// `timeout_ms`), then hand the answer to `handle_response`, or how sending failed to
/// `handle_transport_error`, with `attempt`.
#[pyclass(frozen, module = "jiko_onboarding")]
pub struct Transmit {
    inner: core::Transmit,
    request: Py<PreparedRequest>,
}

#[pymethods]
impl Transmit {
    /// `"send"`.
    #[getter]
    fn kind(&self) -> &'static str {
        "send"
    }
    /// Identifies this send: the answer must carry it.
    #[getter]
    fn attempt(&self) -> u64 {
        self.inner.attempt
    }
    /// The API call (`create_application`, `get_application`, ...).
    #[getter]
    fn operation(&self) -> &'static str {
        self.inner.operation.as_str()
    }
    /// The path with its ids as placeholders: safe to log and to group metrics by.
    #[getter]
    fn path_template(&self) -> &'static str {
        self.inner.operation.path_template()
    }
    /// The request, bearer token included.
    #[getter]
    fn request(&self, py: Python<'_>) -> Py<PreparedRequest> {
        self.request.clone_ref(py)
    }
    /// Give up waiting for the answer after this many milliseconds (`timed_out`).
    #[getter]
    fn timeout_ms(&self) -> u64 {
        self.inner.timeout_ms
    }
    fn __repr__(&self) -> String {
        format!("{:?}", self.inner)
    }
}

/// Nothing to do before `until_ms` (milliseconds since the Unix epoch), unless
/// something happens (`notify`).
#[pyclass(frozen, module = "jiko_onboarding")]
pub struct Wait {
    inner: core::Wait,
}

#[pymethods]
impl Wait {
    /// `"wait"`.
    #[getter]
    fn kind(&self) -> &'static str {
        "wait"
    }
    /// When to poll again.
    #[getter]
    fn until_ms(&self) -> u64 {
        self.inner.until_ms
    }
    /// Why: `kyc_in_progress`, `documents_in_review`, `manual_review`,
    /// `account_opening`, `retry` or `login`.
    #[getter]
    fn reason(&self) -> &'static str {
        self.inner.reason.as_str()
    }
    /// For `retry`: what failed (`not_sent`, `timed_out`, `reset`, `request_timeout`,
    /// `rate_limited`, `server_error`, `invalid_response`).
    #[getter]
    fn retry_reason(&self) -> Option<&'static str> {
        self.inner.retry_reason.map(core::RetryReason::as_str)
    }
    fn __repr__(&self) -> String {
        format!("{:?}", self.inner)
    }
}

/// Jiko needs documents: give one per requirement with `provide_document`.
#[pyclass(frozen, module = "jiko_onboarding")]
pub struct NeedDocuments {
    requirements: Vec<core::DocumentRequirement>,
}

#[pymethods]
impl NeedDocuments {
    /// `"need_documents"`.
    #[getter]
    fn kind(&self) -> &'static str {
        "need_documents"
    }
    /// What is still missing.
    #[getter]
    fn requirements<'py>(&self, py: Python<'py>) -> PyResult<Bound<'py, PyAny>> {
        to_python(py, &self.requirements)
    }
    fn __repr__(&self) -> String {
        format!("NeedDocuments {{ requirements: {:?} }}", self.requirements)
    }
}

/// The journey is over: `state` is `approved` (with `customer`), `rejected` or `failed`
/// (with `error`).
#[pyclass(frozen, module = "jiko_onboarding")]
pub struct Done {
    outcome: core::Outcome,
}

#[pymethods]
impl Done {
    /// `"done"`.
    #[getter]
    fn kind(&self) -> &'static str {
        "done"
    }
    /// `approved`, `rejected` or `failed`.
    #[getter]
    fn state(&self) -> &'static str {
        match &self.outcome {
            core::Outcome::Approved(_) => "approved",
            core::Outcome::Rejected => "rejected",
            core::Outcome::Failed(_) => "failed",
        }
    }
    /// For `approved`: the customer, its accounts and their portals.
    #[getter]
    fn customer<'py>(&self, py: Python<'py>) -> PyResult<Option<Bound<'py, PyAny>>> {
        match &self.outcome {
            core::Outcome::Approved(customer) => to_python(py, customer).map(Some),
            _ => Ok(None),
        }
    }
    /// For `failed`: the error that ended the flow (a `JikoError`, not raised).
    #[getter]
    fn error<'py>(&self, py: Python<'py>) -> PyResult<Option<Bound<'py, PyAny>>> {
        match &self.outcome {
            core::Outcome::Failed(error) => error_object(py, error.clone()).map(Some),
            _ => Ok(None),
        }
    }
    fn __repr__(&self) -> String {
        format!("Done({:?})", self.outcome)
    }
}

/// Where a flow stands, what `run` returns: `state` (`approved`, `rejected`,
/// `documents_needed`, `waiting`, `failed`), the last `application` read, the
/// `requirements` (documents_needed), `next_check_at` (waiting; RFC 3339, and
/// `next_check_at_ms`), the `customer` (approved) and the `error` (failed; for waiting,
/// the transient failure being waited out, if any). `repr` shows no routing or account
/// number.
#[pyclass(frozen, module = "jiko_onboarding")]
pub struct FlowResult {
    #[pyo3(get)]
    state: &'static str,
    #[pyo3(get)]
    application: Option<Py<PyAny>>,
    #[pyo3(get)]
    requirements: Py<PyAny>,
    #[pyo3(get)]
    next_check_at: Option<String>,
    #[pyo3(get)]
    next_check_at_ms: Option<u64>,
    #[pyo3(get)]
    customer: Option<Py<PyAny>>,
    #[pyo3(get)]
    error: Option<Py<PyAny>>,
    summary: String,
}

impl FlowResult {
    fn new(py: Python<'_>, result: core::FlowResult) -> PyResult<Self> {
        let summary = format!(
            "FlowResult(state='{}', application_id={}, next_check_at={}, error={})",
            result.state.as_str(),
            quoted(result.application.as_ref().map(|a| a.id.as_str())),
            quoted(result.next_check_at_ms.map(rfc3339).as_deref()),
            quoted(result.error.as_ref().map(core::Error::code).as_deref()),
        );
        Ok(FlowResult {
            state: result.state.as_str(),
            application: result
                .application
                .map(|a| to_python(py, &a).map(Bound::unbind))
                .transpose()?,
            requirements: to_python(py, &result.requirements)?.unbind(),
            next_check_at: result.next_check_at_ms.map(rfc3339),
            next_check_at_ms: result.next_check_at_ms,
            customer: result
                .customer
                .map(|c| to_python(py, &c).map(Bound::unbind))
                .transpose()?,
            error: result
                .error
                .map(|e| error_object(py, e).map(Bound::unbind))
                .transpose()?,
            summary,
        })
    }
}

#[pymethods]
impl FlowResult {
    fn __repr__(&self) -> &str {
        &self.summary
    }
}

fn quoted(text: Option<&str>) -> String {
    text.map_or_else(
        || "None".to_owned(),
        |t| format!("'{}'", t.escape_default()),
    )
}

/// Milliseconds since the Unix epoch as RFC 3339 (UTC, whole seconds).
fn rfc3339(ms: u64) -> String {
    core::Instant {
        unix_seconds: i64::try_from(ms / 1_000).unwrap_or(i64::MAX),
    }
    .to_rfc3339()
}

/// One applicant's journey as the core's state machine: ask `poll(now_ms, auth)` what
/// to do, do it, hand the answer back. It never reads a clock or sends anything.
#[pyclass(module = "jiko_onboarding")]
pub struct OnboardingFlow {
    inner: core::OnboardingFlow,
}

/// A Create Application body given as a dict or a record, or as JSON text.
fn application_value(
    py: Python<'_>,
    application: &Bound<'_, PyAny>,
    today: core::CalendarDate,
) -> PyResult<Value> {
    match BytesArg::json_text(application)? {
        Some(text) => serde_json::from_slice(text.as_bytes()).map_err(|_| {
            let errors = core::validate_application_json(text.as_bytes(), today);
            py_err(py)(core::ValidationError { errors }.into())
        }),
        None => to_value(application, "application"),
    }
}

#[pymethods]
impl OnboardingFlow {
    /// A flow for this application (a dict, or JSON text), validated against `today`
    /// first (a `ValidationError`, and nothing to send). `now_ms` is milliseconds since
    /// the Unix epoch; `config` a `FlowConfig` or a dict of the settings that differ
    /// from the defaults.
    #[staticmethod]
    #[pyo3(signature = (client, application, now_ms, today=None, config=None))]
    fn start(
        py: Python<'_>,
        client: &Client,
        application: &Bound<'_, PyAny>,
        now_ms: u64,
        today: Option<&Bound<'_, PyAny>>,
        config: Option<&Bound<'_, PyAny>>,
    ) -> PyResult<Self> {
        let today = today_of(py, today)?;
        let application = application_value(py, application, today)?;
        let config = flow_config(config)?;
        let inner =
            core::OnboardingFlow::start(client.inner.clone(), config, &application, today, now_ms)
                .map_err(py_err(py))?;
        Ok(OnboardingFlow { inner })
    }

    /// A flow continued from `snapshot()`. The application is needed again only while
    /// its Create has not been answered (`FlowError` `application_required`), and must
    /// give the same body (`application_mismatch`).
    #[staticmethod]
    #[pyo3(signature = (client, snapshot, application=None, today=None, config=None))]
    fn restore(
        py: Python<'_>,
        client: &Client,
        snapshot: &str,
        application: Option<&Bound<'_, PyAny>>,
        today: Option<&Bound<'_, PyAny>>,
        config: Option<&Bound<'_, PyAny>>,
    ) -> PyResult<Self> {
        let today = today_of(py, today)?;
        let application = application
            .filter(|a| !a.is_none())
            .map(|a| application_value(py, a, today))
            .transpose()?;
        let config = flow_config(config)?;
        let inner = core::OnboardingFlow::restore(
            client.inner.clone(),
            config,
            snapshot,
            application.as_ref(),
            today,
        )
        .map_err(py_err(py))?;
        Ok(OnboardingFlow { inner })
    }

    /// What to do now: a `Transmit`, `Wait`, `NeedDocuments` or `Done`. Asking again
    /// without an answer gives the same step.
    fn poll(
        &mut self,
        py: Python<'_>,
        now_ms: u64,
        mut auth: PyRefMut<'_, Authenticator>,
    ) -> PyResult<Py<PyAny>> {
        let step = self.inner.poll(now_ms, &mut auth.inner);
        step_object(py, step)
    }

    /// The server's answer to the outstanding request `attempt`: its status, headers
    /// (a mapping or `(name, value)` pairs) and body bytes.
    #[allow(clippy::too_many_arguments)]
    fn handle_response(
        &mut self,
        py: Python<'_>,
        attempt: u64,
        status: u16,
        headers: &Bound<'_, PyAny>,
        body: &Bound<'_, PyAny>,
        now_ms: u64,
        mut auth: PyRefMut<'_, Authenticator>,
    ) -> PyResult<()> {
        let headers = header_pairs(headers)?;
        let body = BytesArg::extract(body, "body")?;
        self.inner
            .handle_response(
                attempt,
                status,
                &headers,
                body.as_bytes(),
                now_ms,
                &mut auth.inner,
            )
            .map_err(py_err(py))
    }

    /// The outstanding request `attempt` got no answer: `kind` is `not_sent` (it
    /// certainly did not reach the server), `timed_out` or `reset`.
    fn handle_transport_error(
        &mut self,
        py: Python<'_>,
        attempt: u64,
        kind: &str,
        now_ms: u64,
        mut auth: PyRefMut<'_, Authenticator>,
    ) -> PyResult<()> {
        let kind = core::TransportErrorKind::parse(kind).ok_or_else(|| {
            PyValueError::new_err("kind must be 'not_sent', 'timed_out' or 'reset'")
        })?;
        self.inner
            .handle_transport_error(attempt, kind, now_ms, &mut auth.inner)
            .map_err(py_err(py))
    }

    /// A document for Jiko's request, checked as `check_upload` checks it and uploaded
    /// when a requirement needs its type. Held in memory only (never in a snapshot).
    fn provide_document(
        &mut self,
        py: Python<'_>,
        document_type: &str,
        content_type: &str,
        data: &Bound<'_, PyBytes>,
    ) -> PyResult<()> {
        self.inner
            .provide_document(
                core::DocumentType::parse(document_type),
                content_type,
                data.as_bytes().to_vec(),
            )
            .map_err(py_err(py))
    }

    /// Something happened (a webhook): read the application at the next poll.
    fn notify(&mut self, now_ms: u64) {
        self.inner.notify(now_ms);
    }

    /// Everything needed to continue, as versioned JSON text: no personal data, no
    /// secret, no document.
    fn snapshot(&self) -> String {
        self.inner.snapshot()
    }

    /// Where the flow stands after `step`, the last step `poll` returned.
    fn result(&self, py: Python<'_>, step: &Bound<'_, PyAny>) -> PyResult<FlowResult> {
        let step = if let Ok(t) = step.cast::<Transmit>() {
            core::Step::Send(t.get().inner.clone())
        } else if let Ok(w) = step.cast::<Wait>() {
            core::Step::Wait(w.get().inner)
        } else if let Ok(n) = step.cast::<NeedDocuments>() {
            core::Step::NeedDocuments {
                requirements: n.get().requirements.clone(),
            }
        } else if let Ok(d) = step.cast::<Done>() {
            core::Step::Done(d.get().outcome.clone())
        } else {
            return Err(PyTypeError::new_err("step must be what poll returned"));
        };
        FlowResult::new(py, self.inner.result(&step))
    }

    /// The application's id, once Create was answered.
    #[getter]
    fn application_id(&self) -> Option<&str> {
        self.inner.application_id()
    }

    /// Whether the journey is over: `poll` returns `Done`.
    #[getter]
    fn is_finished(&self) -> bool {
        self.inner.is_finished()
    }

    /// The last application read (`None` after a restore until the next read).
    #[getter]
    fn application<'py>(&self, py: Python<'py>) -> PyResult<Option<Bound<'py, PyAny>>> {
        self.inner
            .application()
            .map(|a| to_python(py, a))
            .transpose()
    }

    fn __repr__(&self) -> String {
        format!("{:?}", self.inner)
    }
}

fn step_object(py: Python<'_>, step: core::Step) -> PyResult<Py<PyAny>> {
    Ok(match step {
        core::Step::Send(mut transmit) => {
            // The body is kept once, by the Python request (an upload can be 50 MB).
            let request = core::PreparedRequest {
                body: std::mem::take(&mut transmit.request.body),
                ..transmit.request.clone()
            };
            let request = Py::new(py, PreparedRequest::new(py, request))?;
            Py::new(
                py,
                Transmit {
                    inner: transmit,
                    request,
                },
            )?
            .into_any()
        }
        core::Step::Wait(wait) => Py::new(py, Wait { inner: wait })?.into_any(),
        core::Step::NeedDocuments { requirements } => {
            Py::new(py, NeedDocuments { requirements })?.into_any()
        }
        core::Step::Done(outcome) => Py::new(py, Done { outcome })?.into_any(),
    })
}
