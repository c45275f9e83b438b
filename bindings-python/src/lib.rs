//! The Python binding of jiko-onboarding: the extension module `jiko_onboarding._native`.
//!
//! It maps types and errors only. Every rule (validation, signing, parsing, onboarding
//! decisions, the flow engine) runs in the core; Python values become core arguments,
//! core models become the record classes of `_models.py` through their own `Serialize`
//! (`to_python.rs`: no field is listed here), and core errors become the exception
//! classes that `jiko_onboarding/__init__.py` defines. The GIL is released while the core signs,
//! validates or parses an input of 16 KiB or more (`convert::DETACH_FROM_BYTES`); the
//! smaller calls take a few microseconds and keep it.

mod client;
mod convert;
mod errors;
mod flow;
mod policy;
mod records;
mod to_python;

use jiko_onboarding as core;
use pyo3::exceptions::PyAttributeError;
use pyo3::prelude::*;
use pyo3::pybacked::PyBackedStr;
use pyo3::types::{PyBytes, PyString, PyTuple};
use serde::Serialize;

use crate::client::{Client, PreparedRequest, Session, Signer};
use crate::convert::{detach_if_large, header_pairs, to_value, today_of, BytesArg};
use crate::errors::py_err;
use crate::records::record_arg;
use crate::to_python::to_python;

/// The version of the SDK (the core's version).
#[pyfunction]
fn version() -> &'static str {
    core::version()
}

/// A fresh random idempotency key: a lower-case UUID v4.
#[pyfunction]
fn new_idempotency_key(py: Python<'_>) -> PyResult<String> {
    core::new_idempotency_key().map_err(py_err(py))
}

/// Every problem with a Create Application body, at once (an empty list when valid).
/// The body is a dict, or JSON text as `str` or `bytes` (text that
/// is not JSON gives one `invalid_json` error). `today` is a `datetime.date`, an ISO
/// string, or None for today's UTC date.
#[pyfunction]
#[pyo3(signature = (application, today=None))]
fn validate_application<'py>(
    py: Python<'py>,
    application: &Bound<'py, PyAny>,
    today: Option<&Bound<'_, PyAny>>,
) -> PyResult<Bound<'py, PyAny>> {
    let today = today_of(py, today)?;
    let errors = match BytesArg::json_text(application)? {
        Some(text) => {
            let text = text.as_bytes();
            detach_if_large(py, text.len(), || {
                core::validate_application_json(text, today)
            })
        }
        None => core::validate_application_value(&to_value(application, "application")?, today),
    };
    to_python(py, &errors)
}

/// One requirement per document the applicant still has to provide.
#[pyfunction]
fn required_documents<'py>(
    py: Python<'py>,
    application: &Bound<'py, PyAny>,
) -> PyResult<Bound<'py, PyAny>> {
    let application: core::Application = record_arg(application, "Application")?;
    to_python(py, &core::required_documents(&application))
}

/// The next step for this application.
#[pyfunction]
fn next_action<'py>(
    py: Python<'py>,
    application: &Bound<'py, PyAny>,
) -> PyResult<Bound<'py, PyAny>> {
    let application: core::Application = record_arg(application, "Application")?;
    to_python(py, &core::next_action(&application))
}

/// What Jiko's sandbox does with an application with this SSN.
#[pyfunction]
fn sandbox_scenario<'py>(
    py: Python<'py>,
    identification_number: &str,
) -> PyResult<Bound<'py, PyAny>> {
    to_python(py, &core::sandbox_scenario(identification_number))
}

/// Checks an upload as `Client.upload_document` does, without building a request:
/// raises `DocumentError` (`empty`, `too_large`, `wrong_type`).
#[pyfunction]
fn check_upload(
    py: Python<'_>,
    document_type: String,
    content_type: String,
    data: &Bound<'_, PyBytes>,
) -> PyResult<()> {
    let data = data.as_bytes();
    let document_type = core::DocumentType::parse(&document_type);
    detach_if_large(py, data.len(), || {
        core::check_upload(&document_type, &content_type, data)
    })
    .map_err(|e| errors::to_py_err(py, core::Error::Document(e)))
}

/// Runs a core parser on a response body (`bytes` or `str`), with the GIL released for
/// large bodies, and records a `Retry-After` header value on an API error.
fn parse<T: Send>(
    py: Python<'_>,
    status: u16,
    body: &Bound<'_, PyAny>,
    retry_after: Option<String>,
    parser: impl FnOnce(u16, &[u8]) -> Result<T, core::Error> + Send,
) -> PyResult<T> {
    let body = BytesArg::extract(body, "body")?;
    let body = body.as_bytes();
    detach_if_large(py, body.len(), || parser(status, body))
        .map_err(|e| match retry_after {
            Some(header) => e.with_retry_after(&header),
            None => e,
        })
        .map_err(py_err(py))
}

/// Parses the answer to Login. A non-2xx status raises `ApiError`.
#[pyfunction]
#[pyo3(signature = (status, body, retry_after=None))]
fn parse_login(
    py: Python<'_>,
    status: u16,
    body: &Bound<'_, PyAny>,
    retry_after: Option<String>,
) -> PyResult<Session> {
    parse(py, status, body, retry_after, core::parse_login).map(Session::from)
}

/// A parser returning a record: `parse(...)`, then the record as Python objects.
fn parse_record<'py, T: Serialize + Send>(
    py: Python<'py>,
    status: u16,
    body: &Bound<'py, PyAny>,
    retry_after: Option<String>,
    parser: impl FnOnce(u16, &[u8]) -> Result<T, core::Error> + Send,
) -> PyResult<Bound<'py, PyAny>> {
    to_python(py, &parse(py, status, body, retry_after, parser)?)
}

macro_rules! record_parsers {
    ($($(#[$doc:meta])* $name:ident;)*) => {$(
        $(#[$doc])*
        #[pyfunction]
        #[pyo3(signature = (status, body, retry_after=None))]
        fn $name<'py>(
            py: Python<'py>,
            status: u16,
            body: &Bound<'py, PyAny>,
            retry_after: Option<String>,
        ) -> PyResult<Bound<'py, PyAny>> {
            parse_record(py, status, body, retry_after, core::$name)
        }
    )*};
}

record_parsers! {
    /// Parses the answer to List Agreements. A non-2xx status raises `ApiError`.
    parse_agreements;
    /// Parses the answer to Create Application, Get Application or Apply.
    parse_application;
    /// Parses the answer to Upload Document.
    parse_upload;
    /// Parses the answer to Get Customer.
    parse_customer;
    /// Parses the answer to List Customer Accounts.
    parse_accounts;
    /// Parses the answer to List Portals: each portal's routing and account numbers.
    parse_portals;
    /// Parses the answer to Create (or Get) Subscription.
    parse_subscription;
    /// Parses a page of List Events.
    parse_events;
}

/// Checks a webhook delivery's `x-jiko-signature` against each secret (the
/// subscription's shared secrets; several during a rotation), in constant time, over
/// the raw body exactly as received, then reads the event. Raises `WebhookError`
/// (`missing_signature`, `bad_signature`, `malformed`). `headers` is a mapping or
/// `(name, value)` pairs (`str` or `bytes`); `secrets` one secret or a list.
#[pyfunction]
fn verify_webhook<'py>(
    py: Python<'py>,
    headers: &Bound<'py, PyAny>,
    raw_body: &Bound<'py, PyAny>,
    secrets: &Bound<'py, PyAny>,
) -> PyResult<Bound<'py, PyAny>> {
    let headers = header_pairs(headers)?;
    let body = BytesArg::extract(raw_body, "raw_body")?;
    let secrets: Vec<Vec<u8>> =
        if secrets.is_instance_of::<PyString>() || secrets.is_instance_of::<PyBytes>() {
            vec![BytesArg::extract(secrets, "secrets")?.as_bytes().to_vec()]
        } else {
            secrets
                .try_iter()?
                .map(|s| Ok(BytesArg::extract(&s?, "each secret")?.as_bytes().to_vec()))
                .collect::<PyResult<_>>()?
        };
    let event = core::verify_webhook(&headers, body.as_bytes(), &secrets).map_err(py_err(py))?;
    to_python(py, &event)
}

/// The `x-jiko-signature` of a delivery body, as Jiko computes it (for tests and
/// local servers that send deliveries).
#[pyfunction]
fn webhook_signature(
    shared_secret: &Bound<'_, PyAny>,
    raw_body: &Bound<'_, PyAny>,
) -> PyResult<String> {
    let secret = BytesArg::extract(shared_secret, "shared_secret")?;
    let body = BytesArg::extract(raw_body, "raw_body")?;
    Ok(core::webhook_signature(secret.as_bytes(), body.as_bytes()))
}

/// `text` with all but its last four characters replaced by `*`: a routing or account
/// number as an app shows it to its owner (never for logs).
#[pyfunction]
fn mask_number(text: &str) -> String {
    core::mask_number(text)
}

/// The wire values the core knows, straight from its enums: `(constant, alias,
/// values)`. Each constant is a tuple of strings; its typing alias (a `Literal` union)
/// is built on first access by [`__getattr__`], so that `import jiko_onboarding` does
/// not import `typing` (and `re`, `enum`, ...).
fn wire_values() -> Vec<(&'static str, &'static str, Vec<&'static str>)> {
    fn all<T: 'static>(
        values: &'static [T],
        f: fn(&'static T) -> &'static str,
    ) -> Vec<&'static str> {
        values.iter().map(f).collect()
    }
    vec![
        (
            "APPLICATION_STATUSES",
            "ApplicationStatus",
            all(core::ApplicationStatus::ALL, |v| v.as_str()),
        ),
        (
            "IDENTIFICATION_TYPES",
            "IdentificationType",
            all(core::IdentificationType::ALL, |v| v.as_str()),
        ),
        (
            "EMPLOYMENT_STATUSES",
            "EmploymentStatus",
            all(core::EmploymentStatus::ALL, |v| v.as_str()),
        ),
        (
            "ANNUAL_INCOMES",
            "AnnualIncome",
            all(core::AnnualIncome::ALL, |v| v.as_str()),
        ),
        (
            "NET_WORTHS",
            "NetWorth",
            all(core::NetWorth::ALL, |v| v.as_str()),
        ),
        (
            "DOCUMENT_TYPES",
            "DocumentType",
            all(core::DocumentType::ALL, |v| v.as_str()),
        ),
        (
            "DOCUMENT_STATUSES",
            "DocumentStatus",
            all(core::DocumentStatus::ALL, |v| v.as_str()),
        ),
        (
            "AGREEMENT_TYPES",
            "AgreementType",
            all(core::AgreementType::ALL, |v| v.as_str()),
        ),
        (
            "AGREEMENT_CATEGORIES",
            "AgreementCategory",
            all(core::AgreementCategory::ALL, |v| v.as_str()),
        ),
        (
            "DOCUMENT_FLAGS",
            "DocumentFlag",
            all(&core::DocumentFlag::ALL, |v| v.as_str()),
        ),
        (
            "NEXT_ACTION_KINDS",
            "NextActionKind",
            core::NextAction::KINDS.to_vec(),
        ),
        (
            "WAIT_REASONS",
            "WaitReason",
            all(&core::WaitReason::ALL, |v| v.as_str()),
        ),
        (
            "API_ERROR_KINDS",
            "ApiErrorKind",
            all(&core::ApiErrorKind::ALL, |v| v.as_str()),
        ),
        (
            "CUSTOMER_TYPES",
            "CustomerType",
            all(core::CustomerType::ALL, |v| v.as_str()),
        ),
        (
            "CUSTOMER_ACCOUNT_STATUSES",
            "CustomerAccountStatus",
            all(core::CustomerAccountStatus::ALL, |v| v.as_str()),
        ),
        (
            "ACCOUNT_STATUSES",
            "AccountStatus",
            all(core::AccountStatus::ALL, |v| v.as_str()),
        ),
        (
            "PORTAL_STATUSES",
            "PortalStatus",
            all(core::PortalStatus::ALL, |v| v.as_str()),
        ),
        (
            "EVENT_TYPES",
            "EventType",
            all(core::EventType::ALL, |v| v.as_str()),
        ),
        (
            "SUBSCRIPTION_STATUSES",
            "SubscriptionStatus",
            all(core::SubscriptionStatus::ALL, |v| v.as_str()),
        ),
        (
            "OPERATIONS",
            "OperationName",
            all(&core::Operation::ALL, |v| v.as_str()),
        ),
        (
            "FLOW_WAIT_REASONS",
            "FlowWaitReason",
            all(&core::FlowWaitReason::ALL, |v| v.as_str()),
        ),
        (
            "RETRY_REASONS",
            "RetryReason",
            all(&core::RetryReason::ALL, |v| v.as_str()),
        ),
        (
            "TRANSPORT_ERROR_KINDS",
            "TransportErrorKind",
            all(&core::TransportErrorKind::ALL, |v| v.as_str()),
        ),
        (
            "FLOW_ERROR_CODES",
            "FlowErrorCode",
            all(&core::FlowErrorCode::ALL, |v| v.as_str()),
        ),
    ]
}

/// The module's `__getattr__` (PEP 562), called for names not set yet: builds the alias
/// `Alias = Literal[v1] | Literal[v2] ...` (a `typing.Union` of one-value `Literal`s,
/// which is what type checkers and `mypy.stubtest` take a `Literal[v1, v2, ...]` alias
/// to be) from its tuple, and caches it on the module.
#[pyfunction]
fn __getattr__(py: Python<'_>, name: &Bound<'_, PyString>) -> PyResult<Py<PyAny>> {
    let name: PyBackedStr = name.extract()?;
    let Some((constant, alias, _)) = wire_values()
        .into_iter()
        .find(|(_, alias, _)| *alias == &*name)
    else {
        return Err(PyAttributeError::new_err(format!(
            "module 'jiko_onboarding._native' has no attribute '{}'",
            name.escape_default()
        )));
    };
    let module = py.import("jiko_onboarding._native")?;
    let values = module.getattr(constant)?;
    let typing = py.import("typing")?;
    let literal = typing.getattr("Literal")?;
    let members = values
        .try_iter()?
        .map(|v| literal.get_item(v?))
        .collect::<PyResult<Vec<_>>>()?;
    let union = typing
        .getattr("Union")?
        .get_item(PyTuple::new(py, members)?)?;
    module.setattr(alias, &union)?;
    Ok(union.unbind())
}

#[pymodule]
#[pyo3(name = "_native")]
fn native(m: &Bound<'_, PyModule>) -> PyResult<()> {
    m.add("__version__", core::version())?;
    // Set, not added: `add_function` would list `__getattr__` in `__all__`.
    m.setattr("__getattr__", wrap_pyfunction!(__getattr__, m)?)?;
    m.add_function(wrap_pyfunction!(version, m)?)?;
    m.add_function(wrap_pyfunction!(new_idempotency_key, m)?)?;
    m.add_function(wrap_pyfunction!(validate_application, m)?)?;
    m.add_function(wrap_pyfunction!(required_documents, m)?)?;
    m.add_function(wrap_pyfunction!(next_action, m)?)?;
    m.add_function(wrap_pyfunction!(sandbox_scenario, m)?)?;
    m.add_function(wrap_pyfunction!(check_upload, m)?)?;
    m.add_function(wrap_pyfunction!(parse_login, m)?)?;
    m.add_function(wrap_pyfunction!(parse_agreements, m)?)?;
    m.add_function(wrap_pyfunction!(parse_application, m)?)?;
    m.add_function(wrap_pyfunction!(parse_upload, m)?)?;
    m.add_function(wrap_pyfunction!(parse_customer, m)?)?;
    m.add_function(wrap_pyfunction!(parse_accounts, m)?)?;
    m.add_function(wrap_pyfunction!(parse_portals, m)?)?;
    m.add_function(wrap_pyfunction!(parse_subscription, m)?)?;
    m.add_function(wrap_pyfunction!(parse_events, m)?)?;
    m.add_function(wrap_pyfunction!(verify_webhook, m)?)?;
    m.add_function(wrap_pyfunction!(webhook_signature, m)?)?;
    m.add_function(wrap_pyfunction!(mask_number, m)?)?;
    m.add_function(wrap_pyfunction!(policy::retry_decision, m)?)?;
    m.add_function(wrap_pyfunction!(policy::retry_after_ms, m)?)?;
    m.add_function(wrap_pyfunction!(policy::backoff_ms, m)?)?;
    m.add_function(wrap_pyfunction!(policy::poll_delay_ms, m)?)?;
    // Private helpers (set, not added: not in `__all__`).
    m.setattr(
        "_record_names",
        wrap_pyfunction!(records::_record_names, m)?,
    )?;
    m.setattr(
        "_record_from_dict",
        wrap_pyfunction!(records::_record_from_dict, m)?,
    )?;
    m.setattr("_record_repr", wrap_pyfunction!(records::_record_repr, m)?)?;
    m.setattr("_flow_config", wrap_pyfunction!(flow::_flow_config, m)?)?;

    m.add_class::<Client>()?;
    m.add_class::<Signer>()?;
    m.add_class::<Session>()?;
    m.add_class::<PreparedRequest>()?;
    m.add_class::<flow::Authenticator>()?;
    m.add_class::<flow::OnboardingFlow>()?;
    m.add_class::<flow::Transmit>()?;
    m.add_class::<flow::Wait>()?;
    m.add_class::<flow::NeedDocuments>()?;
    m.add_class::<flow::Done>()?;
    m.add_class::<flow::FlowResult>()?;

    let all = m.index()?;
    for (constant, alias, values) in wire_values() {
        m.add(constant, PyTuple::new(m.py(), values)?)?;
        // The alias is exported too, although it is built on first access.
        all.append(alias)?;
    }
    Ok(())
}
