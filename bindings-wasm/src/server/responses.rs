//! The parsers of the answers only a server reads (Login, agreements, uploads, and what
//! follows an approval), and `maskNumber`.

use jiko_onboarding as jiko;
use js_sys::{Array, Object, Reflect};
use wasm_bindgen::prelude::*;
use wasm_bindgen::JsCast;

use super::client::Session;
use crate::convert::{string_arg, to_js};
use crate::parse_response;

/// Parses the answer to Login. A non-2xx status throws a `JikoApiError`; pass the
/// `Retry-After` header (`response.headers.get("retry-after")`) to have it recorded.
#[wasm_bindgen(js_name = "parseLogin")]
pub fn parse_login(
    #[wasm_bindgen(unchecked_param_type = "number")] status: JsValue,
    #[wasm_bindgen(unchecked_param_type = "Uint8Array | ArrayBuffer | string")] body: JsValue,
    #[wasm_bindgen(
        js_name = "retryAfter",
        unchecked_optional_param_type = "string | null"
    )]
    retry_after: JsValue,
) -> Result<Session, JsValue> {
    let inner = parse_response(jiko::parse_login, &status, &body, &retry_after)?;
    Ok(Session::from_core(inner))
}

/// Declares one parser: `status`, `body` and the optional `Retry-After` value in, the
/// model out (as a plain object), or a `JikoApiError`.
macro_rules! parser {
    ($(#[$doc:meta])* $name:ident, $js:literal, $ty:literal, $core:path) => {
        $(#[$doc])*
        #[wasm_bindgen(js_name = $js, unchecked_return_type = $ty)]
        pub fn $name(
            #[wasm_bindgen(unchecked_param_type = "number")] status: JsValue,
            #[wasm_bindgen(unchecked_param_type = "Uint8Array | ArrayBuffer | string")]
            body: JsValue,
            #[wasm_bindgen(
                js_name = "retryAfter",
                unchecked_optional_param_type = "string | null"
            )]
            retry_after: JsValue,
        ) -> Result<JsValue, JsValue> {
            to_js(&parse_response($core, &status, &body, &retry_after)?)
        }
    };
}

parser!(
    /// Parses the answer to List Agreements.
    parse_agreements, "parseAgreements", "Agreements", jiko::parse_agreements
);
parser!(
    /// Parses the answer to Upload Document.
    parse_upload, "parseUpload", "UploadedDocument", jiko::parse_upload
);
parser!(
    /// Parses the answer to Get Customer.
    parse_customer, "parseCustomer", "Customer", jiko::parse_customer
);
parser!(
    /// Parses the answer to List Customer Accounts.
    parse_accounts, "parseAccounts", "Accounts", jiko::parse_accounts
);
parser!(
    /// Parses the answer to Create Subscription (or Get Subscription).
    parse_subscription, "parseSubscription", "Subscription", jiko::parse_subscription
);
parser!(
    /// Parses the answer to List Events.
    parse_events, "parseEvents", "Events", jiko::parse_events
);

/// Parses the answer to List Portals. Each portal's `routing_number` and
/// `account_number` are non-enumerable properties: read them by name; `JSON.stringify`,
/// `console.log` and object spreading leave them out, so that no log line carries them.
#[wasm_bindgen(js_name = "parsePortals", unchecked_return_type = "Portals")]
pub fn parse_portals(
    #[wasm_bindgen(unchecked_param_type = "number")] status: JsValue,
    #[wasm_bindgen(unchecked_param_type = "Uint8Array | ArrayBuffer | string")] body: JsValue,
    #[wasm_bindgen(
        js_name = "retryAfter",
        unchecked_optional_param_type = "string | null"
    )]
    retry_after: JsValue,
) -> Result<JsValue, JsValue> {
    let portals = to_js(&parse_response(
        jiko::parse_portals,
        &status,
        &body,
        &retry_after,
    )?)?;
    hide_numbers_in(&portals, "portals");
    Ok(portals)
}

/// `text` with all but its last four characters replaced by `*`: for showing a routing
/// or account number to the person it belongs to (never for logs).
#[wasm_bindgen(js_name = "maskNumber")]
pub fn mask_number(
    #[wasm_bindgen(unchecked_param_type = "string")] text: JsValue,
) -> Result<String, JsValue> {
    Ok(jiko::mask_number(&string_arg(&text, "text")?))
}

/// Makes `routing_number` and `account_number` of each object of `object[list]`
/// non-enumerable (see `parsePortals`).
pub(crate) fn hide_numbers_in(object: &JsValue, list: &str) {
    let Ok(items) = Reflect::get(object, &JsValue::from_str(list)) else {
        return;
    };
    let Some(items) = items.dyn_ref::<Array>() else {
        return;
    };
    for item in items.iter() {
        hide_numbers(&item);
    }
}

/// Makes `routing_number` and `account_number` of `portal` non-enumerable.
pub(crate) fn hide_numbers(portal: &JsValue) {
    let Some(portal) = portal.dyn_ref::<Object>() else {
        return;
    };
    for name in ["routing_number", "account_number"] {
        let key = JsValue::from_str(name);
        let Ok(value) = Reflect::get(portal, &key) else {
            continue;
        };
        let descriptor = Object::new();
        // Setting properties on a fresh plain object cannot fail.
        let _ = Reflect::set(&descriptor, &JsValue::from_str("value"), &value);
        let _ = Reflect::set(&descriptor, &JsValue::from_str("writable"), &JsValue::TRUE);
        let _ = Reflect::set(
            &descriptor,
            &JsValue::from_str("configurable"),
            &JsValue::TRUE,
        );
        let _ = Reflect::set(
            &descriptor,
            &JsValue::from_str("enumerable"),
            &JsValue::FALSE,
        );
        Object::define_property(portal, &key, &descriptor);
    }
}
