//! Type mapping between Python objects and the core's types. No onboarding logic here:
//! Python values become `serde_json::Value`s or core arguments, and core models become
//! Python objects through their serde wire form.

use jiko_onboarding::CalendarDate;
use pyo3::exceptions::{PyOverflowError, PyTypeError, PyValueError};
use pyo3::prelude::*;
use pyo3::pybacked::{PyBackedBytes, PyBackedStr};
use pyo3::sync::PyOnceLock;
use pyo3::types::{
    PyBool, PyByteArray, PyBytes, PyDate, PyDateAccess, PyDict, PyFloat, PyInt, PyList, PyString,
    PyTuple,
};
use serde::Serialize;
use serde_json::{Map, Number, Value};

/// Deeper than any request body; stops a self-referencing dict from recursing forever.
const MAX_DEPTH: usize = 32;

/// A dict key as it may appear in an error message: schema-like keys (a lower-case
/// letter, then lower-case letters, digits and `_`) as they are; anything else, which
/// could be data pasted into the wrong place (an SSN used as a key), hidden.
fn shown_key(key: &str) -> &str {
    let b = key.as_bytes();
    if !b.is_empty()
        && b.len() <= 64
        && b[0].is_ascii_lowercase()
        && b.iter()
            .all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || *c == b'_')
    {
        key
    } else {
        "<key>"
    }
}

fn join(path: &str, key: &str) -> String {
    if path.is_empty() {
        key.to_owned()
    } else {
        format!("{path}.{key}")
    }
}

fn type_name(obj: &Bound<'_, PyAny>) -> String {
    obj.get_type()
        .name()
        .and_then(|n| n.extract::<String>())
        .unwrap_or_else(|_| "object".to_owned())
}

fn where_(root: &str, path: &str) -> String {
    if path.is_empty() {
        root.to_owned()
    } else {
        format!("{root}.{path}")
    }
}

/// Converts a Python value (dict, list, tuple, str, int, float, bool, None, and
/// `datetime.date`/`datetime.datetime` through `isoformat()`) to JSON. `root` names the
/// argument in error messages, which name paths and Python types, never values.
pub fn to_value(obj: &Bound<'_, PyAny>, root: &str) -> PyResult<Value> {
    convert(obj, root, "", 0)
}

fn convert(obj: &Bound<'_, PyAny>, root: &str, path: &str, depth: usize) -> PyResult<Value> {
    if depth > MAX_DEPTH {
        return Err(PyValueError::new_err(format!(
            "{}: nested more than {MAX_DEPTH} levels deep",
            where_(root, path)
        )));
    }
    if obj.is_none() {
        return Ok(Value::Null);
    }
    // bool before int: bool is a subclass of int.
    if let Ok(b) = obj.cast::<PyBool>() {
        return Ok(Value::Bool(b.is_true()));
    }
    if let Ok(s) = obj.cast::<PyString>() {
        return Ok(Value::String(s.extract::<String>()?));
    }
    if obj.is_instance_of::<PyInt>() {
        if let Ok(i) = obj.extract::<i64>() {
            return Ok(Value::Number(Number::from(i)));
        }
        if let Ok(u) = obj.extract::<u64>() {
            return Ok(Value::Number(Number::from(u)));
        }
        return Err(PyOverflowError::new_err(format!(
            "{}: the integer does not fit in 64 bits",
            where_(root, path)
        )));
    }
    if let Ok(f) = obj.cast::<PyFloat>() {
        return Number::from_f64(f.value())
            .map(Value::Number)
            .ok_or_else(|| {
                PyValueError::new_err(format!(
                    "{}: NaN and infinity cannot be sent as JSON",
                    where_(root, path)
                ))
            });
    }
    if let Ok(dict) = obj.cast::<PyDict>() {
        let mut map = Map::new();
        for (key, value) in dict.iter() {
            let Ok(key) = key.cast::<PyString>() else {
                return Err(PyTypeError::new_err(format!(
                    "{}: dict keys must be str, not {}",
                    where_(root, path),
                    type_name(&key)
                )));
            };
            let key: String = key.extract()?;
            let child = join(path, shown_key(&key));
            let value = convert(&value, root, &child, depth + 1)?;
            map.insert(key, value);
        }
        return Ok(Value::Object(map));
    }
    if obj.is_instance_of::<PyList>() || obj.is_instance_of::<PyTuple>() {
        let mut items = Vec::new();
        for (i, item) in obj.try_iter()?.enumerate() {
            let child = join(path, &i.to_string());
            items.push(convert(&item?, root, &child, depth + 1)?);
        }
        return Ok(Value::Array(items));
    }
    // datetime.datetime is a subclass of datetime.date: both go through isoformat().
    if obj.is_instance_of::<PyDate>() {
        let text: String = obj.call_method0("isoformat")?.extract()?;
        return Ok(Value::String(text));
    }
    Err(PyTypeError::new_err(format!(
        "{}: a value of type {} cannot be sent as JSON; use str, int, float, bool, None, dict or list",
        where_(root, path),
        type_name(obj)
    )))
}

/// Converts a core value to Python through its JSON wire form. `json.loads` keeps the
/// model's field order, which makes `to_dict()` read like the API reference.
pub fn to_python<'py, T: Serialize>(py: Python<'py>, model: &T) -> PyResult<Bound<'py, PyAny>> {
    static LOADS: PyOnceLock<Py<PyAny>> = PyOnceLock::new();
    let bytes = serde_json::to_vec(model).map_err(|_| {
        PyValueError::new_err("the value could not be encoded as JSON (this is a bug)")
    })?;
    let loads = LOADS.get_or_try_init(py, || -> PyResult<Py<PyAny>> {
        Ok(py.import("json")?.getattr("loads")?.unbind())
    })?;
    loads.bind(py).call1((PyBytes::new(py, &bytes),))
}

/// A calendar date from a `datetime.date`, an ISO `YYYY-MM-DD` string, or `None` for the
/// host's local date (`datetime.date.today()`).
pub fn today_of(py: Python<'_>, today: Option<&Bound<'_, PyAny>>) -> PyResult<CalendarDate> {
    let owned;
    let value = match today {
        Some(v) if !v.is_none() => v,
        _ => {
            owned = py
                .import("datetime")?
                .getattr("date")?
                .call_method0("today")?;
            &owned
        }
    };
    if let Ok(text) = value.cast::<PyString>() {
        let text: String = text.extract()?;
        return CalendarDate::parse_argument(&text).map_err(|e| crate::errors::to_py_err(py, e));
    }
    if let Ok(date) = value.cast::<PyDate>() {
        let date = CalendarDate::new(
            u16::try_from(date.get_year()).unwrap_or(0),
            date.get_month(),
            date.get_day(),
        );
        // Every datetime.date is a real date; years 1 to 9999 match the core's range.
        return date.ok_or_else(|| PyValueError::new_err("today is out of range"));
    }
    Err(PyTypeError::new_err(format!(
        "today must be a datetime.date, a str written YYYY-MM-DD, or None, not {}",
        type_name(value)
    )))
}

/// Bytes the core reads: `bytes` (borrowed, no copy) or `str` (its UTF-8 bytes).
/// `bytearray` and `memoryview` are refused, as they could change while the GIL is
/// released.
pub enum BytesArg {
    /// From `bytes`.
    Bytes(PyBackedBytes),
    /// From `str`.
    Str(PyBackedStr),
}

impl BytesArg {
    pub fn extract(obj: &Bound<'_, PyAny>, what: &str) -> PyResult<Self> {
        if let Ok(b) = obj.cast::<PyBytes>() {
            return Ok(BytesArg::Bytes(b.extract()?));
        }
        if let Ok(s) = obj.cast::<PyString>() {
            return Ok(BytesArg::Str(s.extract()?));
        }
        let hint = if obj.is_instance_of::<PyByteArray>() {
            "; pass bytes(...)"
        } else {
            ""
        };
        Err(PyTypeError::new_err(format!(
            "{what} must be bytes or str, not {}{hint}",
            type_name(obj)
        )))
    }

    pub fn as_bytes(&self) -> &[u8] {
        match self {
            BytesArg::Bytes(b) => b,
            BytesArg::Str(s) => s.as_bytes(),
        }
    }
}

/// Python's `time.time()`, in whole seconds.
pub fn now_of(py: Python<'_>, now: Option<f64>) -> PyResult<i64> {
    let now = match now {
        Some(n) => n,
        None => py.import("time")?.getattr("time")?.call0()?.extract()?,
    };
    if !now.is_finite() {
        return Err(PyValueError::new_err(
            "now must be a finite number of seconds",
        ));
    }
    // Saturating float-to-int conversion; seconds since the epoch fit easily.
    #[allow(clippy::cast_possible_truncation)]
    Ok(now.floor() as i64)
}
