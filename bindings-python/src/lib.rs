//! The Python binding of jiko-onboarding: the extension module `jiko_onboarding._native`.
//!
//! It maps types and errors only. Every rule (validation, signing, parsing, onboarding
//! decisions) runs in the core; Python values become core arguments, core models become
//! frozen classes with `to_dict()`, and core errors become the exception classes that
//! `jiko_onboarding/__init__.py` defines. The GIL is released while the core signs,
//! validates or parses an input of 16 KiB or more (`convert::DETACH_FROM_BYTES`); the
//! smaller calls take a few microseconds and keep it.

mod client;
mod convert;
mod errors;
mod models;

use jiko_onboarding as core;
use pyo3::exceptions::PyAttributeError;
use pyo3::prelude::*;
use pyo3::pybacked::PyBackedStr;
use pyo3::types::{PyBytes, PyString, PyTuple};

use crate::client::{Client, PreparedRequest, Session, Signer};
use crate::convert::{detach_if_large, to_value, today_of, BytesArg};
use crate::errors::py_err;
use crate::models::{
    Address, AgreementConsent, AgreementDocument, Agreements, Application, Document,
    DocumentRequirement, FieldError, InvestmentProfile, Name, NextAction, SandboxScenario,
    UploadedDocument,
};

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
fn validate_application(
    py: Python<'_>,
    application: &Bound<'_, PyAny>,
    today: Option<&Bound<'_, PyAny>>,
) -> PyResult<Vec<FieldError>> {
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
    Ok(errors.into_iter().map(FieldError::from).collect())
}

/// One requirement per document the applicant still has to provide.
#[pyfunction]
fn required_documents(application: &Application) -> Vec<DocumentRequirement> {
    core::required_documents(&application.inner)
        .into_iter()
        .map(DocumentRequirement::from)
        .collect()
}

/// The next step for this application.
#[pyfunction]
fn next_action(application: &Application) -> NextAction {
    NextAction::from(core::next_action(&application.inner))
}

/// What Jiko's sandbox does with an application with this SSN.
#[pyfunction]
fn sandbox_scenario(identification_number: String) -> SandboxScenario {
    SandboxScenario::from(core::sandbox_scenario(&identification_number))
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

/// Parses the answer to List Agreements. A non-2xx status raises `ApiError`.
#[pyfunction]
#[pyo3(signature = (status, body, retry_after=None))]
fn parse_agreements(
    py: Python<'_>,
    status: u16,
    body: &Bound<'_, PyAny>,
    retry_after: Option<String>,
) -> PyResult<Agreements> {
    parse(py, status, body, retry_after, core::parse_agreements).map(Agreements::from)
}

/// Parses the answer to Create Application, Get Application or Apply. A non-2xx status
/// raises `ApiError`.
#[pyfunction]
#[pyo3(signature = (status, body, retry_after=None))]
fn parse_application(
    py: Python<'_>,
    status: u16,
    body: &Bound<'_, PyAny>,
    retry_after: Option<String>,
) -> PyResult<Application> {
    parse(py, status, body, retry_after, core::parse_application).map(Application::from)
}

/// Parses the answer to Upload Document. A non-2xx status raises `ApiError`.
#[pyfunction]
#[pyo3(signature = (status, body, retry_after=None))]
fn parse_upload(
    py: Python<'_>,
    status: u16,
    body: &Bound<'_, PyAny>,
    retry_after: Option<String>,
) -> PyResult<UploadedDocument> {
    parse(py, status, body, retry_after, core::parse_upload).map(UploadedDocument::from)
}

/// The typing aliases of the wire values and the tuple each is built from. The tuples
/// are module constants; the aliases are built on first access by [`__getattr__`], so
/// that `import jiko_onboarding` does not import `typing` (and `re`, `enum`, ...).
const ALIASES: [(&str, &str); 13] = [
    ("ApplicationStatus", "APPLICATION_STATUSES"),
    ("IdentificationType", "IDENTIFICATION_TYPES"),
    ("EmploymentStatus", "EMPLOYMENT_STATUSES"),
    ("AnnualIncome", "ANNUAL_INCOMES"),
    ("NetWorth", "NET_WORTHS"),
    ("DocumentType", "DOCUMENT_TYPES"),
    ("DocumentStatus", "DOCUMENT_STATUSES"),
    ("AgreementType", "AGREEMENT_TYPES"),
    ("AgreementCategory", "AGREEMENT_CATEGORIES"),
    ("DocumentFlag", "DOCUMENT_FLAGS"),
    ("NextActionKind", "NEXT_ACTION_KINDS"),
    ("WaitReason", "WAIT_REASONS"),
    ("ApiErrorKind", "API_ERROR_KINDS"),
];

/// Adds `NAME = (values...)`; its alias in [`ALIASES`] is built on first access.
fn add_values(m: &Bound<'_, PyModule>, constant: &str, values: &[&str]) -> PyResult<()> {
    m.add(constant, PyTuple::new(m.py(), values)?)
}

/// The module's `__getattr__` (PEP 562), called for names not set yet: builds the alias
/// `Alias = Literal[v1] | Literal[v2] ...` (a `typing.Union` of one-value `Literal`s,
/// which is what type checkers and `mypy.stubtest` take a `Literal[v1, v2, ...]` alias
/// to be) from its tuple, and caches it on the module.
#[pyfunction]
fn __getattr__(py: Python<'_>, name: &Bound<'_, PyString>) -> PyResult<Py<PyAny>> {
    let name: PyBackedStr = name.extract()?;
    let Some((alias, constant)) = ALIASES.iter().find(|(alias, _)| *alias == &*name) else {
        return Err(PyAttributeError::new_err(format!(
            "module 'jiko_onboarding._native' has no attribute '{}'",
            name.escape_default()
        )));
    };
    let module = py.import("jiko_onboarding._native")?;
    let values = module.getattr(*constant)?;
    let typing = py.import("typing")?;
    let literal = typing.getattr("Literal")?;
    let members = values
        .try_iter()?
        .map(|v| literal.get_item(v?))
        .collect::<PyResult<Vec<_>>>()?;
    let union = typing
        .getattr("Union")?
        .get_item(PyTuple::new(py, members)?)?;
    module.setattr(*alias, &union)?;
    Ok(union.unbind())
}

fn names<T>(all: &[T], f: impl Fn(&T) -> &str) -> Vec<&str> {
    all.iter().map(f).collect()
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

    m.add_class::<Client>()?;
    m.add_class::<Signer>()?;
    m.add_class::<Session>()?;
    m.add_class::<PreparedRequest>()?;
    m.add_class::<FieldError>()?;
    m.add_class::<Name>()?;
    m.add_class::<Address>()?;
    m.add_class::<InvestmentProfile>()?;
    m.add_class::<AgreementConsent>()?;
    m.add_class::<Document>()?;
    m.add_class::<Application>()?;
    m.add_class::<AgreementDocument>()?;
    m.add_class::<Agreements>()?;
    m.add_class::<UploadedDocument>()?;
    m.add_class::<DocumentRequirement>()?;
    m.add_class::<NextAction>()?;
    m.add_class::<SandboxScenario>()?;

    // The wire values the core knows, straight from its enums.
    add_values(
        m,
        "APPLICATION_STATUSES",
        &names(core::ApplicationStatus::ALL, |v| v.as_str()),
    )?;
    add_values(
        m,
        "IDENTIFICATION_TYPES",
        &names(core::IdentificationType::ALL, |v| v.as_str()),
    )?;
    add_values(
        m,
        "EMPLOYMENT_STATUSES",
        &names(core::EmploymentStatus::ALL, |v| v.as_str()),
    )?;
    add_values(
        m,
        "ANNUAL_INCOMES",
        &names(core::AnnualIncome::ALL, |v| v.as_str()),
    )?;
    add_values(m, "NET_WORTHS", &names(core::NetWorth::ALL, |v| v.as_str()))?;
    add_values(
        m,
        "DOCUMENT_TYPES",
        &names(core::DocumentType::ALL, |v| v.as_str()),
    )?;
    add_values(
        m,
        "DOCUMENT_STATUSES",
        &names(core::DocumentStatus::ALL, |v| v.as_str()),
    )?;
    add_values(
        m,
        "AGREEMENT_TYPES",
        &names(core::AgreementType::ALL, |v| v.as_str()),
    )?;
    add_values(
        m,
        "AGREEMENT_CATEGORIES",
        &names(core::AgreementCategory::ALL, |v| v.as_str()),
    )?;
    add_values(
        m,
        "DOCUMENT_FLAGS",
        &core::DocumentFlag::ALL.map(core::DocumentFlag::as_str),
    )?;
    add_values(m, "NEXT_ACTION_KINDS", &core::NextAction::KINDS)?;
    add_values(
        m,
        "WAIT_REASONS",
        &core::WaitReason::ALL.map(core::WaitReason::as_str),
    )?;
    add_values(
        m,
        "API_ERROR_KINDS",
        &core::ApiErrorKind::ALL.map(core::ApiErrorKind::as_str),
    )?;
    // The aliases are exported too, although they are built on first access.
    let all = m.index()?;
    for (alias, _) in ALIASES {
        all.append(alias)?;
    }
    Ok(())
}
