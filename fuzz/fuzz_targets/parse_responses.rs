//! Every parser, at a success and at an error status, and webhook verification, on
//! arbitrary bytes.
#![no_main]
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let (status, body) = match data.split_first() {
        Some((s, rest)) => (if s % 2 == 0 { 200 } else { 400 + u16::from(*s) }, rest),
        None => (200, data),
    };
    if let Ok(app) = jiko_onboarding::parse_application(status, body) {
        let _ = jiko_onboarding::next_action(&app);
        let _ = jiko_onboarding::required_documents(&app);
        let encoded = serde_json::to_vec(&app).unwrap_or_default();
        let again = jiko_onboarding::parse_application(200, &encoded);
        assert_eq!(again.ok(), Some(app), "an application must survive a round trip");
    }
    let _ = jiko_onboarding::parse_login(status, body);
    let _ = jiko_onboarding::parse_agreements(status, body);
    let _ = jiko_onboarding::parse_upload(status, body);
    let _ = jiko_onboarding::parse_customer(status, body);
    let _ = jiko_onboarding::parse_accounts(status, body);
    let _ = jiko_onboarding::parse_portals(status, body);
    let _ = jiko_onboarding::parse_subscription(status, body);
    let _ = jiko_onboarding::parse_events(status, body);
    // A delivery signed with a known secret: only the body's shape can fail it.
    let secret = b"fuzz-shared-secret-0123456789";
    let headers = vec![(
        "x-jiko-signature".to_owned(),
        jiko_onboarding::webhook_signature(secret, body),
    )];
    match jiko_onboarding::verify_webhook(&headers, body, &[secret]) {
        Ok(event) => {
            let encoded = serde_json::to_vec(&event).unwrap_or_default();
            let again: Result<jiko_onboarding::WebhookEvent, _> = serde_json::from_slice(&encoded);
            assert_eq!(again.ok(), Some(event), "an event must survive a round trip");
        }
        Err(e) => assert_eq!(e.code(), "malformed"),
    }
});
