//! The WebAssembly binding of `jiko-onboarding`: the npm package `jiko-onboarding`.
//!
//! This crate only maps values and errors between JavaScript and the core: every rule
//! (validation, signing, parsing, onboarding decisions, the flow engine) lives in the
//! core. Models cross as plain objects with the API's wire field names; their TypeScript
//! declarations are generated from the core's Rust types (the core's `tsify` feature), so
//! they cannot drift. Errors become the `Error` subclasses of `js/errors.js`.
//!
//! Two modules are built from it (`scripts/build.sh`):
//! - the server module (feature `server`, on by default), behind the package's main entry
//!   for Node, Deno, Bun and edge runtimes: everything, including the signing client and
//!   the flow engine the `Onboarding` driver (`js/driver.js`) runs;
//! - the browser module (`--no-default-features`), behind `jiko-onboarding/browser`: the
//!   functions of this file only. The core is built without its `signing` feature, so
//!   the module holds no HMAC, SHA-256, base64 or random source: it cannot sign, by
//!   construction, and a web page never holds the partner's secret.
#![deny(unsafe_code)]

mod convert;
mod errors;
#[cfg(feature = "server")]
pub mod server;

// The allocator of the WebAssembly module: talc, a drop-in replacement for the standard
// dlmalloc that is smaller. For single-threaded wasm only, which this module is (built
// without `atomics`: the cfg below).
#[cfg(all(target_family = "wasm", not(target_feature = "atomics")))]
#[global_allocator]
static ALLOCATOR: talc::wasm::WasmDynamicTalc = talc::wasm::new_wasm_dynamic_allocator();

use jiko_onboarding as jiko;
use wasm_bindgen::prelude::*;

use convert::{
    bytes_arg, json_text, json_text_arg, optional_string_arg, status_arg, string_arg,
    text_bytes_arg, to_js, today_arg,
};

/// The `Retry-After` header value passed along with an error response.
fn with_retry_after(error: jiko::Error, retry_after: &JsValue) -> Result<jiko::Error, JsValue> {
    Ok(match optional_string_arg(retry_after, "retryAfter")? {
        Some(value) => error.with_retry_after(&value),
        None => error,
    })
}

/// Shared shape of the response parsers: status and body in, the model or the
/// `JikoApiError` (with the `Retry-After` header recorded) out.
pub(crate) fn parse_response<T>(
    parse: impl Fn(u16, &[u8]) -> Result<T, jiko::Error>,
    status: &JsValue,
    body: &JsValue,
    retry_after: &JsValue,
) -> Result<T, JsValue> {
    let status = status_arg(status)?;
    let body = bytes_arg(body, "body", true)?;
    match parse(status, &body) {
        Ok(value) => Ok(value),
        Err(error) => Err(errors::from_core(with_retry_after(error, retry_after)?)),
    }
}

/// Parses the answer to Create Application, Get Application or Apply. A non-2xx status
/// throws a `JikoApiError`; pass the `Retry-After` header
/// (`response.headers.get("retry-after")`) to have it recorded.
#[wasm_bindgen(js_name = "parseApplication", unchecked_return_type = "Application")]
pub fn parse_application(
    #[wasm_bindgen(unchecked_param_type = "number")] status: JsValue,
    #[wasm_bindgen(unchecked_param_type = "Uint8Array | ArrayBuffer | string")] body: JsValue,
    #[wasm_bindgen(
        js_name = "retryAfter",
        unchecked_optional_param_type = "string | null"
    )]
    retry_after: JsValue,
) -> Result<JsValue, JsValue> {
    to_js(&parse_response(
        jiko::parse_application,
        &status,
        &body,
        &retry_after,
    )?)
}

/// An application argument (an object as `parseApplication` returns it, or the raw
/// response object), read by the core's own response parser.
fn application_arg(value: &JsValue) -> Result<jiko::Application, JsValue> {
    let text = json_text(value, "application")?;
    jiko::parse_application(200, &text).map_err(|_| {
        errors::invalid_argument(
            "application must be an Application as parseApplication returns it",
        )
    })
}

/// One requirement per document the applicant still has to provide.
#[wasm_bindgen(
    js_name = "requiredDocuments",
    unchecked_return_type = "DocumentRequirement[]"
)]
pub fn required_documents(
    #[wasm_bindgen(unchecked_param_type = "Application")] application: JsValue,
) -> Result<JsValue, JsValue> {
    let application = application_arg(&application)?;
    to_js(&jiko::required_documents(&application))
}

/// What to do next with an application.
#[wasm_bindgen(js_name = "nextAction", unchecked_return_type = "NextAction")]
pub fn next_action(
    #[wasm_bindgen(unchecked_param_type = "Application")] application: JsValue,
) -> Result<JsValue, JsValue> {
    let application = application_arg(&application)?;
    to_js(&jiko::next_action(&application))
}

/// What Jiko's sandbox does with an application with this SSN.
#[wasm_bindgen(js_name = "sandboxScenario", unchecked_return_type = "SandboxScenario")]
pub fn sandbox_scenario(
    #[wasm_bindgen(js_name = "identificationNumber", unchecked_param_type = "string")]
    identification_number: JsValue,
) -> Result<JsValue, JsValue> {
    let ssn = string_arg(&identification_number, "identificationNumber")?;
    to_js(&jiko::sandbox_scenario(&ssn))
}

/// Every problem with a Create Application body at once (an empty array when it is
/// valid). `today` (`YYYY-MM-DD`) defaults to today's UTC date. Needs no secret.
/// The application is a value (a form's object), or JSON text as a string,
/// `Uint8Array` or `ArrayBuffer`; text that is not JSON gives one `invalid_json` error.
#[wasm_bindgen(
    js_name = "validateApplication",
    unchecked_return_type = "FieldError[]"
)]
pub fn validate_application(
    #[wasm_bindgen(unchecked_param_type = "unknown")] application: JsValue,
    #[wasm_bindgen(unchecked_optional_param_type = "string")] today: JsValue,
) -> Result<JsValue, JsValue> {
    let today = today_arg(optional_string_arg(&today, "today")?.as_deref())?;
    let application = json_text_arg(&application, "application")?;
    to_js(&jiko::validate_application_json(&application, today))
}

/// `validateApplication` for JSON text only (a request body as received: a string,
/// `Uint8Array` or `ArrayBuffer`); any other value is an argument error, never
/// stringified. Text that is not JSON gives one `invalid_json` error.
#[wasm_bindgen(
    js_name = "validateApplicationJson",
    unchecked_return_type = "FieldError[]"
)]
pub fn validate_application_json(
    #[wasm_bindgen(unchecked_param_type = "string | Uint8Array | ArrayBuffer")] json: JsValue,
    #[wasm_bindgen(unchecked_optional_param_type = "string")] today: JsValue,
) -> Result<JsValue, JsValue> {
    let today = today_arg(optional_string_arg(&today, "today")?.as_deref())?;
    let json = text_bytes_arg(&json, "json")?;
    to_js(&jiko::validate_application_json(&json, today))
}

/// Checks an upload before anything is sent, as `client.uploadDocument` does: throws a
/// `JikoDocumentError` (`empty`, `too_large`, `wrong_type`). Needs no secret.
#[wasm_bindgen(js_name = "checkUpload")]
pub fn check_upload(
    #[wasm_bindgen(js_name = "documentType", unchecked_param_type = "DocumentType")]
    document_type: JsValue,
    #[wasm_bindgen(js_name = "contentType", unchecked_param_type = "string")] content_type: JsValue,
    #[wasm_bindgen(unchecked_param_type = "Uint8Array | ArrayBuffer")] bytes: JsValue,
) -> Result<(), JsValue> {
    let document_type = jiko::DocumentType::parse(&string_arg(&document_type, "documentType")?);
    let content_type = string_arg(&content_type, "contentType")?;
    let bytes = bytes_arg(&bytes, "bytes", false)?;
    jiko::check_upload(&document_type, &content_type, &bytes)
        .map_err(|e| errors::from_core(e.into()))
}

/// The version of this SDK.
#[wasm_bindgen]
pub fn version() -> String {
    jiko::version().to_owned()
}
