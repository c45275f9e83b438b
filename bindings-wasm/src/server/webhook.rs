//! `verifyWebhook`: a delivery's signature checked over the raw body, then its event.

use jiko_onboarding as jiko;
use js_sys::{Array, JsString, Object};
use serde::Serialize;
use wasm_bindgen::prelude::*;
use wasm_bindgen::JsCast;

use crate::convert::{bytes_arg, is_absent, to_js};
use crate::errors;

const HEADERS_SHAPE: &str = "headers must be a Headers object, a Map, an array of [name, value] \
pairs, or an object of header values (Node's request.headers)";

/// Header pairs from a `Headers`, a `Map` or an array of pairs (anything iterable that
/// yields `[name, value]`), or from a plain object (Node's `IncomingMessage.headers`,
/// whose values may be arrays).
pub(crate) fn header_pairs(headers: &JsValue) -> Result<Vec<(String, String)>, JsValue> {
    let bad = || errors::invalid_argument(HEADERS_SHAPE);
    let entries: Vec<JsValue> = if let Ok(Some(iter)) = js_sys::try_iter(headers) {
        iter.collect::<Result<_, _>>().map_err(|_| bad())?
    } else if let Some(object) = headers.dyn_ref::<Object>() {
        Object::entries(object).iter().collect()
    } else {
        return Err(bad());
    };
    let mut pairs = Vec::new();
    for entry in entries {
        let entry: Array = entry.dyn_into().map_err(|_| bad())?;
        let name = entry.get(0).as_string().ok_or_else(bad)?;
        let value = entry.get(1);
        if is_absent(&value) {
            continue;
        }
        if let Some(values) = value.dyn_ref::<Array>() {
            for value in values.iter() {
                pairs.push((name.clone(), value.as_string().ok_or_else(bad)?));
            }
        } else {
            pairs.push((name, value.as_string().ok_or_else(bad)?));
        }
    }
    Ok(pairs)
}

/// One secret or several (a rotation): strings (their UTF-8 bytes) or bytes.
fn secrets_arg(secrets: &JsValue) -> Result<Vec<jiko::Secret>, JsValue> {
    let one = |value: &JsValue| bytes_arg(value, "each secret", true).map(jiko::Secret::new);
    if let Some(list) = secrets.dyn_ref::<Array>() {
        return list.iter().map(|s| one(&s)).collect();
    }
    if secrets.is_instance_of::<JsString>() || secrets.is_string() {
        return Ok(vec![one(secrets)?]);
    }
    one(secrets).map(|s| vec![s])
}

/// The verified event as `WebhookEvent` declares it, plus its application id.
#[derive(Serialize)]
struct Verified<'a> {
    #[serde(flatten)]
    event: &'a jiko::WebhookEvent,
    application_id: Option<&'a str>,
}

/// Verifies a webhook delivery, then reads its event. `rawBody` must be the request's
/// bytes exactly as received (read the body yourself; a parsed and re-serialized copy
/// does not verify). `secrets` is the subscription's `shared_secret` (not the API
/// signing secret), or several during a rotation. Throws a `JikoWebhookError`
/// (`missing_signature`, `bad_signature`, `malformed`). The event is only a hint: call
/// `flow.notify()` and let the flow read the application.
#[wasm_bindgen(
    js_name = "verifyWebhook",
    unchecked_return_type = "WebhookEvent & { application_id: string | null }"
)]
pub fn verify_webhook(
    #[wasm_bindgen(
        unchecked_param_type = "Headers | Map<string, string> | Iterable<[string, string]> | Record<string, string | string[] | undefined>"
    )]
    headers: JsValue,
    #[wasm_bindgen(
        js_name = "rawBody",
        unchecked_param_type = "Uint8Array | ArrayBuffer | string"
    )]
    raw_body: JsValue,
    #[wasm_bindgen(unchecked_param_type = "string | Uint8Array | Array<string | Uint8Array>")]
    secrets: JsValue,
) -> Result<JsValue, JsValue> {
    let headers = header_pairs(&headers)?;
    let body = bytes_arg(&raw_body, "rawBody", true)?;
    let secrets = secrets_arg(&secrets)?;
    let secrets: Vec<&[u8]> = secrets.iter().map(jiko::Secret::expose).collect();
    let event = jiko::verify_webhook(&headers, &body, &secrets).map_err(errors::from_core)?;
    to_js(&Verified {
        event: &event,
        application_id: event.application_id(),
    })
}
