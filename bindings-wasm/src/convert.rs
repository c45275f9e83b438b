//! JavaScript values to core arguments, and core values to plain JavaScript objects.
//!
//! Models cross as plain objects with the API's wire field names, exactly their JSON
//! form: a field the wire leaves out is an absent property, a value that is always
//! present but may be empty is `null` (see the README's "undefined or null").
//!
//! Objects cross through JSON text (`JSON.stringify` / `JSON.parse` on the JavaScript
//! side, serde_json on the Rust side), the same serde_json code the core already uses to
//! read and write the wire: this keeps the module small (one serializer per type instead
//! of two) and gives JSON's semantics for free (`undefined` properties are left out).

use jiko_onboarding::CalendarDate;
use js_sys::{ArrayBuffer, JsString, Uint8Array, JSON};
#[cfg(feature = "server")]
use serde::de::DeserializeOwned;
use serde::Serialize;
use wasm_bindgen::prelude::*;
use wasm_bindgen::JsCast;

use crate::errors;

/// A core value as a plain JavaScript object (through its JSON text).
pub(crate) fn to_js<T: Serialize + ?Sized>(value: &T) -> Result<JsValue, JsValue> {
    let encoding_failed = || {
        errors::binding(
            "encoding_failed",
            "the result could not be converted to a JavaScript value",
        )
    };
    let text = serde_json::to_string(value).map_err(|_| encoding_failed())?;
    JSON::parse(&text).map_err(|_| encoding_failed())
}

/// Whether the argument was left out (`undefined`) or passed as `null`.
pub(crate) fn is_absent(value: &JsValue) -> bool {
    value.is_undefined() || value.is_null()
}

/// The JSON text of a JavaScript value, as `JSON.stringify` writes it, in UTF-8.
pub(crate) fn json_text(value: &JsValue, what: &str) -> Result<Vec<u8>, JsValue> {
    JSON::stringify(value)
        .ok()
        .filter(|text| text.is_string())
        .map(|text| utf8(&text))
        .ok_or_else(|| {
            errors::invalid_argument(&format!(
                "{what} must be a plain object of JSON values (strings, numbers, booleans, arrays, objects)"
            ))
        })
}

/// The UTF-8 bytes of a JavaScript string (a lone surrogate becomes U+FFFD, as in every
/// conversion).
fn utf8(text: &JsString) -> Vec<u8> {
    String::from(text).into_bytes()
}

/// The JSON text of an application argument: a string, a `Uint8Array` or an
/// `ArrayBuffer` is JSON text already (for a server that holds the JSON
/// of a request body); any other value is a JavaScript value, written by
/// `JSON.stringify`. The core reads the text (`validate_application_json`,
/// `Client::create_application_json`); text that is not JSON is a validation error
/// (`invalid_json`), not a thrown argument error.
pub(crate) fn json_text_arg(value: &JsValue, what: &str) -> Result<Vec<u8>, JsValue> {
    if let Some(text) = value.dyn_ref::<JsString>() {
        return Ok(utf8(text));
    }
    if value.is_instance_of::<Uint8Array>() || value.is_instance_of::<ArrayBuffer>() {
        return bytes_arg(value, what, false);
    }
    json_text(value, what)
}

/// JSON text as bytes: a string (its UTF-8 encoding), a `Uint8Array` or an
/// `ArrayBuffer`. Any other value is refused rather than stringified.
pub(crate) fn text_bytes_arg(value: &JsValue, what: &str) -> Result<Vec<u8>, JsValue> {
    if let Some(text) = value.dyn_ref::<JsString>() {
        return Ok(utf8(text));
    }
    if value.is_instance_of::<Uint8Array>() || value.is_instance_of::<ArrayBuffer>() {
        return bytes_arg(value, what, false);
    }
    Err(errors::invalid_argument(&format!(
        "{what} must be JSON text: a string, a Uint8Array or an ArrayBuffer"
    )))
}

/// A JavaScript value decoded into a core type through its JSON form (options and
/// policies of the server module).
#[cfg(feature = "server")]
pub(crate) fn model_arg<T: DeserializeOwned>(
    value: &JsValue,
    what: &str,
    expected: &str,
) -> Result<T, JsValue> {
    let text = json_text(value, what)?;
    // from_slice: the same decoder the core's response parsers use.
    serde_json::from_slice(&text)
        .map_err(|_| errors::invalid_argument(&format!("{what} must be {expected}")))
}

pub(crate) fn string_arg(value: &JsValue, name: &str) -> Result<String, JsValue> {
    value
        .as_string()
        .ok_or_else(|| errors::invalid_argument(&format!("{name} must be a string")))
}

pub(crate) fn optional_string_arg(value: &JsValue, name: &str) -> Result<Option<String>, JsValue> {
    if is_absent(value) {
        Ok(None)
    } else {
        string_arg(value, name).map(Some)
    }
}

/// Bytes from a `Uint8Array` (a Node `Buffer` is one), an `ArrayBuffer`, or a string
/// (its UTF-8 encoding).
pub(crate) fn bytes_arg(
    value: &JsValue,
    name: &str,
    allow_string: bool,
) -> Result<Vec<u8>, JsValue> {
    if let Some(array) = value.dyn_ref::<Uint8Array>() {
        return Ok(array.to_vec());
    }
    if let Some(buffer) = value.dyn_ref::<ArrayBuffer>() {
        return Ok(Uint8Array::new(buffer).to_vec());
    }
    if allow_string {
        if let Some(text) = value.as_string() {
            return Ok(text.into_bytes());
        }
        return Err(errors::invalid_argument(&format!(
            "{name} must be a Uint8Array, an ArrayBuffer or a string"
        )));
    }
    Err(errors::invalid_argument(&format!(
        "{name} must be a Uint8Array or an ArrayBuffer"
    )))
}

/// An HTTP status: an integer from 0 to 65535.
pub(crate) fn status_arg(value: &JsValue) -> Result<u16, JsValue> {
    let status = value
        .as_f64()
        .filter(|s| s.fract() == 0.0 && (0.0..=65535.0).contains(s));
    match status {
        // In range and integral: the conversion is exact.
        Some(s) => Ok(s as u16),
        None => Err(errors::invalid_argument(
            "status must be the HTTP status code, an integer such as 200",
        )),
    }
}

/// `today` as given (`YYYY-MM-DD`), or the core's default for the host's current time
/// (`CalendarDate::today_utc`: the UTC date).
pub(crate) fn today_arg(value: Option<&str>) -> Result<CalendarDate, JsValue> {
    let today = match value {
        Some(text) => CalendarDate::parse_argument(text),
        // Milliseconds since the epoch, within ±8.64e15: exact after dividing.
        None => CalendarDate::today_utc((js_sys::Date::now() / 1000.0).floor() as i64),
    };
    today.map_err(errors::from_core)
}
