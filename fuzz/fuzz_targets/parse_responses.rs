//! Every parser, at a success and at an error status, on arbitrary bytes.
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
});
