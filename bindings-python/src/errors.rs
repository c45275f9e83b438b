//! The core's `Error` as the Python exception classes defined in `jiko_onboarding`
//! (`JikoError`, `ValidationError`, `ApiError`, `DocumentError`, `WebhookError`,
//! `FlowError`, `TransportError`, `InvalidArgumentError`).
//!
//! Messages are the core's, which name rules and never values.

use jiko_onboarding::{Error, FieldError};
use pyo3::prelude::*;
use pyo3::sync::PyOnceLock;
use pyo3::types::{PyDict, PyList, PyType};

static VALIDATION_ERROR: PyOnceLock<Py<PyType>> = PyOnceLock::new();
static API_ERROR: PyOnceLock<Py<PyType>> = PyOnceLock::new();
static DOCUMENT_ERROR: PyOnceLock<Py<PyType>> = PyOnceLock::new();
static INVALID_ARGUMENT_ERROR: PyOnceLock<Py<PyType>> = PyOnceLock::new();
static WEBHOOK_ERROR: PyOnceLock<Py<PyType>> = PyOnceLock::new();
static FLOW_ERROR: PyOnceLock<Py<PyType>> = PyOnceLock::new();
static TRANSPORT_ERROR: PyOnceLock<Py<PyType>> = PyOnceLock::new();

const PACKAGE: &str = "jiko_onboarding";

/// `[{path, code, message}, ...]` as a list of dicts.
pub fn field_error_dicts<'py>(
    py: Python<'py>,
    errors: &[FieldError],
) -> PyResult<Bound<'py, PyList>> {
    let list = PyList::empty(py);
    for e in errors {
        let d = PyDict::new(py);
        d.set_item("path", &e.path)?;
        d.set_item("code", &e.code)?;
        d.set_item("message", &e.message)?;
        list.append(d)?;
    }
    Ok(list)
}

fn build<'py>(py: Python<'py>, err: Error) -> PyResult<Bound<'py, PyAny>> {
    let message = err.to_string();
    let code = err.code();
    let kwargs = PyDict::new(py);
    kwargs.set_item("code", code)?;
    let class = match &err {
        Error::Validation(v) => {
            kwargs.set_item("errors", field_error_dicts(py, &v.errors)?)?;
            VALIDATION_ERROR.import(py, PACKAGE, "ValidationError")?
        }
        Error::Api(a) => {
            kwargs.set_item("errors", field_error_dicts(py, &a.errors)?)?;
            kwargs.set_item("status", a.status)?;
            kwargs.set_item("kind", a.kind.as_str())?;
            kwargs.set_item("retry_after_seconds", a.retry_after_seconds)?;
            kwargs.set_item("retryable", a.kind.is_retryable())?;
            API_ERROR.import(py, PACKAGE, "ApiError")?
        }
        Error::Document(_) => DOCUMENT_ERROR.import(py, PACKAGE, "DocumentError")?,
        Error::Webhook(_) => WEBHOOK_ERROR.import(py, PACKAGE, "WebhookError")?,
        Error::Flow(f) => {
            kwargs.set_item("idempotency_key", f.idempotency_key.as_deref())?;
            FLOW_ERROR.import(py, PACKAGE, "FlowError")?
        }
        Error::Transport { kind } => {
            kwargs.set_item("kind", kind.as_str())?;
            TRANSPORT_ERROR.import(py, PACKAGE, "TransportError")?
        }
        Error::InvalidArgument { .. } => {
            INVALID_ARGUMENT_ERROR.import(py, PACKAGE, "InvalidArgumentError")?
        }
    };
    class.call((message,), Some(&kwargs))
}

/// The Python exception for a core error. If the exception classes cannot be loaded
/// (the package is half-imported), that failure is raised instead.
pub fn to_py_err(py: Python<'_>, err: Error) -> PyErr {
    match build(py, err) {
        Ok(instance) => PyErr::from_value(instance),
        Err(e) => e,
    }
}

/// The exception object for a core error, not raised (`FlowResult.error`).
pub fn error_object<'py>(py: Python<'py>, err: Error) -> PyResult<Bound<'py, PyAny>> {
    build(py, err)
}

/// `map_err` helper: `result.map_err(py_err(py))`.
pub fn py_err(py: Python<'_>) -> impl Fn(Error) -> PyErr + '_ {
    move |e| to_py_err(py, e)
}

/// For a dict that does not decode as a model in `from_dict`: an
/// `InvalidArgumentError` with code `invalid_model`, naming the model only.
pub fn invalid_model(py: Python<'_>, model: &str) -> PyErr {
    let build = || -> PyResult<PyErr> {
        let kwargs = PyDict::new(py);
        kwargs.set_item("code", "invalid_model")?;
        let class = INVALID_ARGUMENT_ERROR.import(py, PACKAGE, "InvalidArgumentError")?;
        let message = format!("the value does not have the fields and types of {model}");
        Ok(PyErr::from_value(class.call((message,), Some(&kwargs))?))
    };
    match build() {
        Ok(e) | Err(e) => e,
    }
}
