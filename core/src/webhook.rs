//! Webhook deliveries: verified before they are read.
//!
//! Jiko signs a delivery with `x-jiko-signature`: the standard base64 (padded) of
//! HMAC-SHA256 over the raw request body, keyed with the subscription's own
//! `shared_secret` (not the API signing secret). Nothing else is signed, so there is no
//! freshness check: duplicates and replays are expected, and an event is only a hint
//! that leads to a fresh signed read (see the flow engine's `notify`).

use base64::Engine as _;
use hmac::{Hmac, KeyInit, Mac};
use sha2::Sha256;

use crate::error::{Error, WebhookError, WebhookErrorCode};
use crate::events::WebhookEvent;

/// The header Jiko signs deliveries with.
pub const SIGNATURE_HEADER: &str = "x-jiko-signature";

/// The `x-jiko-signature` of a delivery body: what Jiko computes, and what a test
/// server (the simulator) sends.
pub fn webhook_signature(shared_secret: &[u8], raw_body: &[u8]) -> String {
    base64::engine::general_purpose::STANDARD.encode(mac(shared_secret, raw_body))
}

fn mac(secret: &[u8], body: &[u8]) -> [u8; 32] {
    // HMAC accepts keys of every length: `new_from_slice` cannot fail for it.
    match Hmac::<Sha256>::new_from_slice(secret) {
        Ok(mut mac) => {
            mac.update(body);
            mac.finalize().into_bytes().into()
        }
        Err(_) => [0; 32],
    }
}

/// Checks a delivery's signature against each secret (several during a rotation), in
/// constant time, over `raw_body` exactly as received, then reads the event.
///
/// `headers` are the delivery's headers (names compared case-insensitively). Errors:
/// `missing_signature`, `bad_signature`, `malformed`.
pub fn verify_webhook<S: AsRef<[u8]>>(
    headers: &[(String, String)],
    raw_body: &[u8],
    secrets: &[S],
) -> Result<WebhookEvent, Error> {
    let Some(signature) = headers
        .iter()
        .find(|(name, _)| name.trim().eq_ignore_ascii_case(SIGNATURE_HEADER))
        .map(|(_, value)| value.trim())
    else {
        return Err(webhook_error(
            WebhookErrorCode::MissingSignature,
            "the delivery has no x-jiko-signature header (is a proxy dropping it?)",
        ));
    };
    let expected = base64::engine::general_purpose::STANDARD
        .decode(signature)
        .ok();
    // An empty key (an unset variable) is one anybody can sign with: it never verifies.
    let verified = secrets
        .iter()
        .filter(|s| !s.as_ref().is_empty())
        .any(|secret| {
            let ours = mac(secret.as_ref(), raw_body);
            match &expected {
                Some(theirs) => constant_time_eq(&ours, theirs),
                None => false,
            }
        });
    if secrets.is_empty() || !verified {
        return Err(webhook_error(
            WebhookErrorCode::BadSignature,
            "no secret verifies x-jiko-signature: verify the raw body bytes exactly as \
             received (not a parsed and re-serialized copy) with the subscription's \
             shared_secret (not the API signing secret)",
        ));
    }
    serde_json::from_slice::<WebhookEvent>(raw_body).map_err(|_| {
        webhook_error(
            WebhookErrorCode::Malformed,
            "the signature verifies but the body is not an event \
             ({event_id, event_type, timestamp, payload})",
        )
    })
}

fn webhook_error(code: WebhookErrorCode, message: &str) -> Error {
    Error::Webhook(WebhookError {
        code,
        message: message.to_owned(),
    })
}

/// Byte equality whose time depends on the lengths only.
fn constant_time_eq(a: &[u8], b: &[u8]) -> bool {
    a.len() == b.len()
        && a.iter()
            .zip(b)
            .fold(0u8, |acc, (x, y)| acc | std::hint::black_box(x ^ y))
            == 0
}

#[cfg(test)]
mod tests {
    use super::*;

    const BODY: &[u8] = br#"{"event_id":"5f0c6e2a-8a8e-4a4e-9a57-0d0f6c3f1b11","timestamp":"2026-12-01T10:00:00+00:00","event_type":"application.approved","payload":{"application_id":"3f2504e0-4f89-41d3-9a0c-0305e82c3301"}}"#;

    fn headers(signature: &str) -> Vec<(String, String)> {
        vec![("X-Jiko-Signature".into(), signature.into())]
    }

    #[test]
    fn a_signed_delivery_verifies_with_any_of_the_secrets() {
        let signature = webhook_signature(b"new-secret-0123456789", BODY);
        let event = verify_webhook(
            &headers(&signature),
            BODY,
            &["old-secret-0123456789", "new-secret-0123456789"],
        )
        .unwrap();
        assert_eq!(
            event.application_id(),
            Some("3f2504e0-4f89-41d3-9a0c-0305e82c3301")
        );
    }

    #[test]
    fn refusals_have_stable_codes() {
        let signature = webhook_signature(b"secret-0123456789", BODY);
        let code = |r: Result<WebhookEvent, Error>| r.unwrap_err().code();
        assert_eq!(
            code(verify_webhook(&[], BODY, &["secret-0123456789"])),
            "missing_signature"
        );
        assert_eq!(
            code(verify_webhook(
                &headers(&signature),
                BODY,
                &["other-0123456789"]
            )),
            "bad_signature"
        );
        let mut reserialized = BODY.to_vec();
        reserialized.insert(1, b' ');
        assert_eq!(
            code(verify_webhook(
                &headers(&signature),
                &reserialized,
                &["secret-0123456789"]
            )),
            "bad_signature"
        );
        assert_eq!(
            code(verify_webhook(
                &headers("not base64!"),
                BODY,
                &["secret-0123456789"]
            )),
            "bad_signature"
        );
        let empty: [&str; 0] = [];
        assert_eq!(
            code(verify_webhook(&headers(&signature), BODY, &empty)),
            "bad_signature"
        );
        let junk = b"[1, 2]";
        let junk_signature = webhook_signature(b"secret-0123456789", junk);
        assert_eq!(
            code(verify_webhook(
                &headers(&junk_signature),
                junk,
                &["secret-0123456789"]
            )),
            "malformed"
        );
    }
}
