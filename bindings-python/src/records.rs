//! The core's records that Python sees as classes (`_models.py`), by their serde name.
//!
//! Only the names are listed: a record's fields come from its own serde form (see
//! `to_python.rs`). For each name the core type gives `from_dict` (a wire-form dict
//! decoded, and so checked, by the core) and `repr` (the core's `Debug`, which leaves
//! personal data, routing and account numbers out).

use jiko_onboarding as core;
use pyo3::prelude::*;
use serde::de::DeserializeOwned;
use serde::Serialize;
use serde_json::Value;

use crate::convert::to_value;
use crate::errors::invalid_model;
use crate::to_python::to_python;

struct RecordType {
    name: &'static str,
    from_value: for<'py> fn(Python<'py>, Value) -> Option<PyResult<Bound<'py, PyAny>>>,
    debug: fn(Value) -> Option<String>,
}

// Decoded from JSON text, not from the `Value`: the parsers already hold the text
// decoder of every record, and a second decoder per record would double its code.
fn decode<T: DeserializeOwned>(value: &Value) -> Option<T> {
    serde_json::from_slice(&serde_json::to_vec(value).ok()?).ok()
}

fn from_value<'py, T: DeserializeOwned + Serialize>(
    py: Python<'py>,
    value: Value,
) -> Option<PyResult<Bound<'py, PyAny>>> {
    decode::<T>(&value).map(|record| to_python(py, &record))
}

fn debug<T: DeserializeOwned + std::fmt::Debug>(value: Value) -> Option<String> {
    decode::<T>(&value).map(|record| format!("{record:?}"))
}

macro_rules! record_types {
    ($($name:ident),* $(,)?) => {
        const RECORD_TYPES: &[RecordType] = &[$(
            RecordType {
                name: stringify!($name),
                from_value: from_value::<core::$name>,
                debug: debug::<core::$name>,
            },
        )*];
    };
}

record_types![
    FieldError,
    Name,
    Address,
    InvestmentProfile,
    AgreementConsent,
    DateOfBirth,
    Document,
    Application,
    AgreementDocument,
    Agreements,
    UploadedDocument,
    DocumentRequirement,
    NextAction,
    SandboxScenario,
    Customer,
    GeneralAddress,
    Amount,
    Account,
    Accounts,
    Portal,
    Portals,
    Subscription,
    EventPayload,
    WebhookEvent,
    DeliveryAttempt,
    PartnerEvent,
    Events,
    ApprovedCustomer,
    ApprovedAccount,
    PortalDetails,
    FlowConfig,
    RetryPolicy,
    PollPolicy,
];

fn record_type(name: &str) -> PyResult<&'static RecordType> {
    RECORD_TYPES
        .iter()
        .find(|r| r.name == name)
        .ok_or_else(|| pyo3::exceptions::PyKeyError::new_err(format!("no record {name}")))
}

/// A core value from a record or its wire-form dict, decoded by the core.
pub fn record_arg<T: DeserializeOwned>(obj: &Bound<'_, PyAny>, name: &str) -> PyResult<T> {
    decode(&to_value(obj, name)?).ok_or_else(|| invalid_model(obj.py(), name))
}

/// The names of the record classes the core knows (checked against `_models.py`).
#[pyfunction]
pub fn _record_names() -> Vec<&'static str> {
    RECORD_TYPES.iter().map(|r| r.name).collect()
}

/// `Record.from_dict`: the wire-form dict decoded as the core record `name`.
#[pyfunction]
pub fn _record_from_dict<'py>(name: &str, data: &Bound<'py, PyAny>) -> PyResult<Bound<'py, PyAny>> {
    let py = data.py();
    let record = record_type(name)?;
    (record.from_value)(py, to_value(data, "data")?).unwrap_or_else(|| Err(invalid_model(py, name)))
}

/// `Record.__repr__`: the core's `Debug` of the record (personal data left out).
#[pyfunction]
pub fn _record_repr(name: &str, record: &Bound<'_, PyAny>) -> PyResult<String> {
    let debug = record_type(name)?.debug;
    Ok(debug(to_value(record, name)?).unwrap_or_else(|| format!("{name} {{ .. }}")))
}
