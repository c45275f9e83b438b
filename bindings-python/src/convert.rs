//! Type mapping between Python objects and the core's types. No onboarding logic here:
//! Python values become `serde_json::Value`s or core arguments (this file), and core
//! models become Python objects through their own `Serialize` (`to_python.rs`).

use jiko_onboarding::CalendarDate;
use pyo3::exceptions::{PyOverflowError, PyTypeError, PyValueError};
use pyo3::prelude::*;
use pyo3::pybacked::{PyBackedBytes, PyBackedStr};
use pyo3::sync::PyOnceLock;
use pyo3::types::{
    PyBool, PyByteArray, PyBytes, PyDate, PyDateAccess, PyDict, PyFloat, PyInt, PyList, PyString,
    PyTuple, PyType,
};
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

fn type_name(obj: &Bound<'_, PyAny>) -> String {
    obj.get_type()
        .name()
        .and_then(|n| n.extract::<String>())
        .unwrap_or_else(|_| "object".to_owned())
}

/// Where a value sits in the argument, as a chain of borrowed segments: the text
/// (`application.name.first_name`) is only built for an error message, so converting
/// a valid dict allocates nothing for paths.
#[derive(Clone, Copy)]
enum Path<'a> {
    Root(&'a str),
    Key(&'a Path<'a>, &'a str),
    Index(&'a Path<'a>, usize),
}

impl Path<'_> {
    fn text(&self) -> String {
        match self {
            Path::Root(root) => (*root).to_owned(),
            Path::Key(parent, key) => format!("{}.{}", parent.text(), shown_key(key)),
            Path::Index(parent, i) => format!("{}.{i}", parent.text()),
        }
    }
}

/// The base class of the records (`jiko_onboarding._models.Record`), loaded once.
fn record_class(py: Python<'_>) -> PyResult<&Bound<'_, PyType>> {
    static RECORD: PyOnceLock<Py<PyType>> = PyOnceLock::new();
    RECORD.import(py, "jiko_onboarding._models", "Record")
}

/// Converts a Python value (dict, list, tuple, str, int, float, bool, None, a record,
/// and `datetime.date`/`datetime.datetime` through `isoformat()`) to JSON. `root` names the
/// argument in error messages, which name paths and Python types, never values.
pub fn to_value(obj: &Bound<'_, PyAny>, root: &str) -> PyResult<Value> {
    convert(obj, Path::Root(root), 0)
}

fn convert(obj: &Bound<'_, PyAny>, path: Path<'_>, depth: usize) -> PyResult<Value> {
    if depth > MAX_DEPTH {
        return Err(PyValueError::new_err(format!(
            "{}: nested more than {MAX_DEPTH} levels deep",
            path.text()
        )));
    }
    // The common types of a request body first: str, then dict.
    if let Ok(s) = obj.cast::<PyString>() {
        return Ok(Value::String(s.extract::<String>()?));
    }
    if let Ok(dict) = obj.cast::<PyDict>() {
        let mut map = Map::new();
        // The items are collected first, while no Python code can run: user code run
        // below (a date subclass's `isoformat`, a list subclass's `__iter__`) may change
        // the dict, which would make pyo3's dict iterator panic.
        let items: Vec<(Bound<'_, PyAny>, Bound<'_, PyAny>)> = dict.iter().collect();
        for (key, value) in items {
            let Ok(key) = key.cast::<PyString>() else {
                return Err(PyTypeError::new_err(format!(
                    "{}: dict keys must be str, not {}",
                    path.text(),
                    type_name(&key)
                )));
            };
            let key: String = key.extract()?;
            let value = convert(&value, Path::Key(&path, &key), depth + 1)?;
            map.insert(key, value);
        }
        return Ok(Value::Object(map));
    }
    if obj.is_none() {
        return Ok(Value::Null);
    }
    // bool before int: bool is a subclass of int.
    if let Ok(b) = obj.cast::<PyBool>() {
        return Ok(Value::Bool(b.is_true()));
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
            path.text()
        )));
    }
    if let Ok(f) = obj.cast::<PyFloat>() {
        return Number::from_f64(f.value())
            .map(Value::Number)
            .ok_or_else(|| {
                PyValueError::new_err(format!(
                    "{}: NaN and infinity cannot be sent as JSON",
                    path.text()
                ))
            });
    }
    if obj.is_instance_of::<PyList>() || obj.is_instance_of::<PyTuple>() {
        let mut items = Vec::new();
        for (i, item) in obj.try_iter()?.enumerate() {
            items.push(convert(&item?, Path::Index(&path, i), depth + 1)?);
        }
        return Ok(Value::Array(items));
    }
    // datetime.datetime is a subclass of datetime.date: both go through isoformat().
    if obj.is_instance_of::<PyDate>() {
        let text: String = obj.call_method0("isoformat")?.extract()?;
        return Ok(Value::String(text));
    }
    // A record (an `Application` from a parser, say) is its wire form.
    if obj.is_instance(record_class(obj.py())?)? {
        return convert(&obj.call_method0("to_dict")?, path, depth + 1);
    }
    Err(PyTypeError::new_err(format!(
        "{}: a value of type {} cannot be sent as JSON; use str, int, float, bool, None, dict or list",
        path.text(),
        type_name(obj)
    )))
}

/// A calendar date from a `datetime.date`, an ISO `YYYY-MM-DD` string, or `None` for the
/// core's default for the host's current time (`CalendarDate::today_utc`: the UTC date).
pub fn today_of(py: Python<'_>, today: Option<&Bound<'_, PyAny>>) -> PyResult<CalendarDate> {
    let Some(value) = today.filter(|v| !v.is_none()) else {
        return CalendarDate::today_utc(unix_seconds_now())
            .map_err(|e| crate::errors::to_py_err(py, e));
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

/// The host's current time in seconds since the Unix epoch (negative before it).
fn unix_seconds_now() -> i64 {
    let now = std::time::SystemTime::now();
    match now.duration_since(std::time::UNIX_EPOCH) {
        Ok(after) => i64::try_from(after.as_secs()).unwrap_or(i64::MAX),
        Err(before) => i64::try_from(before.duration().as_secs()).map_or(i64::MIN, |s| -s),
    }
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

    /// `Some` for `bytes` or `str` (JSON text, which the core reads), `None` for
    /// anything else (a dict or another value for [`to_value`]).
    pub fn json_text(obj: &Bound<'_, PyAny>) -> PyResult<Option<Self>> {
        if let Ok(b) = obj.cast::<PyBytes>() {
            return Ok(Some(BytesArg::Bytes(b.extract()?)));
        }
        if let Ok(s) = obj.cast::<PyString>() {
            return Ok(Some(BytesArg::Str(s.extract()?)));
        }
        Ok(None)
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

/// Inputs from this many bytes up are hashed with the GIL released. Below it the work
/// takes a few microseconds, less than letting another thread take the GIL and waiting
/// to get it back (up to `sys.getswitchinterval()`, 5 ms, when other threads are busy).
pub const DETACH_FROM_BYTES: usize = 16 * 1024;

/// Runs `f` with the GIL released when `len` is at least [`DETACH_FROM_BYTES`].
pub fn detach_if_large<T, F>(py: Python<'_>, len: usize, f: F) -> T
where
    F: pyo3::marker::Ungil + FnOnce() -> T,
    T: pyo3::marker::Ungil,
{
    if len >= DETACH_FROM_BYTES {
        py.detach(f)
    } else {
        f()
    }
}

/// Headers as `(name, value)` pairs, from a mapping (`dict`, `http.client.HTTPMessage`,
/// `httpx.Headers`: anything with `items()`) or an iterable of pairs. Names and values
/// are `str`, or `bytes` read as Latin-1 (ASGI's headers).
pub fn header_pairs(obj: &Bound<'_, PyAny>) -> PyResult<Vec<(String, String)>> {
    let items = if obj.hasattr("items")? {
        obj.call_method0("items")?
    } else {
        obj.clone()
    };
    let mut pairs = Vec::new();
    for item in items.try_iter()? {
        let item = item?;
        if item.is_instance_of::<PyString>() || item.len()? != 2 {
            return Err(PyTypeError::new_err(
                "headers must be a mapping or (name, value) pairs",
            ));
        }
        pairs.push((
            header_text(&item.get_item(0)?)?,
            header_text(&item.get_item(1)?)?,
        ));
    }
    Ok(pairs)
}

fn header_text(obj: &Bound<'_, PyAny>) -> PyResult<String> {
    if let Ok(s) = obj.cast::<PyString>() {
        return s.extract();
    }
    if let Ok(b) = obj.cast::<PyBytes>() {
        return Ok(b.as_bytes().iter().map(|&c| char::from(c)).collect());
    }
    Err(PyTypeError::new_err(format!(
        "a header name or value must be str or bytes, not {}",
        type_name(obj)
    )))
}
