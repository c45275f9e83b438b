//! Options objects (`{ idempotencyKey, today, ... }`), read property by property.

use js_sys::{Array, Object, Reflect};
use wasm_bindgen::prelude::*;
use wasm_bindgen::JsCast;

use crate::convert::is_absent;

/// A plain options object read property by property (`undefined` and `null` read as an
/// empty object). A key that is not in `known` is refused, so that a typo such as
/// `idempotency_key` for `idempotencyKey` does not silently fall back to a default.
pub(crate) struct Fields {
    object: Option<Object>,
    error: fn(&str) -> JsValue,
    shape: &'static str,
}

pub(crate) fn fields_arg(
    value: &JsValue,
    known: &[&'static str],
    shape: &'static str,
    error: fn(&str) -> JsValue,
) -> Result<Fields, JsValue> {
    if is_absent(value) {
        return Ok(Fields {
            object: None,
            error,
            shape,
        });
    }
    let object = match value.dyn_ref::<Object>() {
        Some(object) if !Array::is_array(value) => object.clone(),
        _ => return Err(error(shape)),
    };
    for key in Object::keys(&object).iter() {
        if !known.iter().any(|name| JsValue::from_str(name) == key) {
            return Err(error(shape));
        }
    }
    Ok(Fields {
        object: Some(object),
        error,
        shape,
    })
}

impl Fields {
    fn get(&self, key: &'static str) -> Option<JsValue> {
        let object = self.object.as_ref()?;
        let value = Reflect::get(object, &JsValue::from_str(key)).ok()?;
        (!is_absent(&value)).then_some(value)
    }

    /// A property as it is, `None` when absent.
    pub(crate) fn value(&self, key: &'static str) -> Option<JsValue> {
        self.get(key)
    }

    /// A string property, `None` when absent.
    pub(crate) fn string(&self, key: &'static str) -> Result<Option<String>, JsValue> {
        match self.get(key) {
            None => Ok(None),
            Some(value) => value
                .as_string()
                .map(Some)
                .ok_or_else(|| (self.error)(self.shape)),
        }
    }

    /// A boolean property, `None` when absent.
    pub(crate) fn boolean(&self, key: &'static str) -> Result<Option<bool>, JsValue> {
        match self.get(key) {
            None => Ok(None),
            Some(value) => value
                .as_bool()
                .map(Some)
                .ok_or_else(|| (self.error)(self.shape)),
        }
    }
}
