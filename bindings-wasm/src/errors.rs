//! Core errors as JavaScript `Error` subclasses.
//!
//! The classes (`JikoError`, `JikoValidationError`, `JikoApiError`, `JikoDocumentError`,
//! `JikoWebhookError`, `JikoFlowError`, `JikoTransportError`) are defined in
//! `js/errors.js`, so that they are real `Error` subclasses the package
//! exports and `instanceof` works. The package's entry module hands them to the module
//! once, right after loading it, through [`register_error_classes`]; every error the
//! binding throws is then built with `new Class(message, code, details)`.
//!
//! Messages come from the core, which never puts a rejected value, a secret or personal
//! data in them; the binding's own messages name the argument, never its value.

use std::cell::RefCell;

use jiko_onboarding::{Error, FieldError};
use js_sys::{Array, Function, Reflect};
use serde::Serialize;
use wasm_bindgen::prelude::*;

use crate::convert::to_js;

struct Classes {
    base: Function,
    validation: Function,
    api: Function,
    document: Function,
    webhook: Function,
    flow: Function,
    transport: Function,
}

thread_local! {
    static CLASSES: RefCell<Option<Classes>> = const { RefCell::new(None) };
}

/// Called once by the package's entry module with the error classes, in this order.
#[wasm_bindgen(js_name = "__registerErrorClasses", skip_typescript)]
pub fn register_error_classes(classes: Vec<Function>) -> Result<(), JsValue> {
    let [base, validation, api, document, webhook, flow, transport]: [Function; 7] = classes
        .try_into()
        .map_err(|_| JsValue::from_str("__registerErrorClasses takes the 7 error classes"))?;
    CLASSES.with(|c| {
        *c.borrow_mut() = Some(Classes {
            base,
            validation,
            api,
            document,
            webhook,
            flow,
            transport,
        });
    });
    Ok(())
}

#[derive(Clone, Copy)]
enum Family {
    Base,
    Validation,
    Api,
    Document,
    Webhook,
    Flow,
    Transport,
}

/// `new Class(message, code, details)`, or a plain `Error` with a `code` property when
/// the classes were not registered (only when the raw module is loaded directly).
fn build(family: Family, message: &str, code: &str, details: JsValue) -> JsValue {
    let class = CLASSES.with(|c| {
        c.borrow().as_ref().map(|classes| match family {
            Family::Base => classes.base.clone(),
            Family::Validation => classes.validation.clone(),
            Family::Api => classes.api.clone(),
            Family::Document => classes.document.clone(),
            Family::Webhook => classes.webhook.clone(),
            Family::Flow => classes.flow.clone(),
            Family::Transport => classes.transport.clone(),
        })
    });
    let args = Array::of3(
        &JsValue::from_str(message),
        &JsValue::from_str(code),
        &details,
    );
    if let Some(class) = class {
        if let Ok(error) = Reflect::construct(&class, &args) {
            return error;
        }
    }
    let error = js_sys::Error::new(message);
    // Setting a property on a fresh Error cannot fail; ignore the impossible error.
    let _ = Reflect::set(&error, &JsValue::from_str("code"), &JsValue::from_str(code));
    error.into()
}

#[derive(Serialize)]
struct ValidationDetails<'a> {
    errors: &'a [FieldError],
}

#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
struct ApiDetails<'a> {
    status: u16,
    kind: &'a str,
    errors: &'a [FieldError],
    retry_after_seconds: Option<u64>,
    retryable: bool,
}

#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
struct FlowDetails<'a> {
    idempotency_key: Option<&'a str>,
}

#[derive(Serialize)]
struct TransportDetails<'a> {
    kind: &'a str,
}

/// The JavaScript error for a core error.
pub(crate) fn from_core(error: Error) -> JsValue {
    let message = error.to_string();
    let code = error.code();
    match &error {
        Error::Validation(v) => {
            let details = to_js(&ValidationDetails { errors: &v.errors }).unwrap_or(JsValue::NULL);
            build(Family::Validation, &message, &code, details)
        }
        Error::Api(a) => {
            let details = to_js(&ApiDetails {
                status: a.status,
                kind: a.kind.as_str(),
                errors: &a.errors,
                retry_after_seconds: a.retry_after_seconds,
                retryable: a.kind.is_retryable(),
            })
            .unwrap_or(JsValue::NULL);
            build(Family::Api, &message, &code, details)
        }
        Error::Document(_) => build(Family::Document, &message, &code, JsValue::UNDEFINED),
        Error::Webhook(_) => build(Family::Webhook, &message, &code, JsValue::UNDEFINED),
        Error::Flow(f) => {
            let details = to_js(&FlowDetails {
                idempotency_key: f.idempotency_key.as_deref(),
            })
            .unwrap_or(JsValue::NULL);
            build(Family::Flow, &message, &code, details)
        }
        Error::Transport { kind } => {
            let details = to_js(&TransportDetails {
                kind: kind.as_str(),
            })
            .unwrap_or(JsValue::NULL);
            build(Family::Transport, &message, &code, details)
        }
        Error::InvalidArgument { .. } => build(Family::Base, &message, &code, JsValue::UNDEFINED),
    }
}

/// A `JikoError` raised by the binding itself (an argument of the wrong JavaScript type,
/// a secret in a browser). `message` must not contain the argument's value.
pub(crate) fn binding(code: &str, message: &str) -> JsValue {
    build(Family::Base, message, code, JsValue::UNDEFINED)
}

/// An argument of the wrong JavaScript type or shape.
pub(crate) fn invalid_argument(message: &str) -> JsValue {
    binding("invalid_argument", message)
}

#[cfg(test)]
mod tests {
    use jiko_onboarding::{
        ApiErrorKind, DocumentErrorCode, FlowErrorCode, TransportErrorKind, WebhookErrorCode,
    };

    /// The hand-written declarations of the error classes (js/errors.d.ts).
    const ERRORS_DTS: &str = include_str!("../js/errors.d.ts");

    /// The string-literal union `type Name = | "a" | "b";` of the declarations.
    fn union(name: &str) -> Vec<String> {
        let start = ERRORS_DTS
            .find(&format!("export type {name} ="))
            .unwrap_or_else(|| panic!("no type {name}"));
        let rest = &ERRORS_DTS[start..];
        let end = rest.find(';').unwrap_or(rest.len());
        rest[..end]
            .split('"')
            .skip(1)
            .step_by(2)
            .map(str::to_owned)
            .collect()
    }

    #[test]
    fn api_error_kinds_match_the_typescript_union() {
        // The core's ALL lists every kind (checked in the core).
        let mut expected: Vec<String> = ApiErrorKind::ALL
            .iter()
            .map(|k| k.as_str().to_owned())
            .collect();
        let mut declared = union("ApiErrorKind");
        expected.sort();
        declared.sort();
        assert_eq!(declared, expected);
    }

    #[test]
    fn document_error_codes_match_the_typescript_union() {
        use DocumentErrorCode::*;
        let codes = [Empty, TooLarge, WrongType];
        for code in codes {
            match code {
                Empty | TooLarge | WrongType => {}
            }
        }
        let mut expected: Vec<String> = codes.iter().map(|c| c.as_str().to_owned()).collect();
        let mut declared = union("DocumentErrorCode");
        expected.sort();
        declared.sort();
        assert_eq!(declared, expected);
    }

    #[test]
    fn webhook_error_codes_match_the_typescript_union() {
        use WebhookErrorCode::*;
        let codes = [MissingSignature, BadSignature, Malformed];
        for code in codes {
            // Exhaustive: a new code does not compile until this match, and the list, name it.
            match code {
                MissingSignature | BadSignature | Malformed => {}
            }
        }
        let mut expected: Vec<String> = codes.iter().map(|c| c.as_str().to_owned()).collect();
        let mut declared = union("WebhookErrorCode");
        expected.sort();
        declared.sort();
        assert_eq!(declared, expected);
    }

    #[test]
    fn flow_error_codes_match_the_typescript_union() {
        // The core's ALL lists every code (checked in the core).
        let mut expected: Vec<String> = FlowErrorCode::ALL
            .iter()
            .map(|c| c.as_str().to_owned())
            .collect();
        let mut declared = union("FlowErrorCode");
        expected.sort();
        declared.sort();
        assert_eq!(declared, expected);
    }

    #[test]
    fn transport_kinds_match_the_error_class() {
        let declared = ERRORS_DTS
            .find("kind: \"not_sent\"")
            .map(|start| &ERRORS_DTS[start..])
            .map(|rest| &rest[..rest.find(';').unwrap_or(rest.len())])
            .unwrap_or_else(|| panic!("no kind union in JikoTransportError"));
        for kind in TransportErrorKind::ALL {
            assert!(
                declared.contains(&format!("\"{}\"", kind.as_str())),
                "{kind:?}"
            );
        }
    }
}
