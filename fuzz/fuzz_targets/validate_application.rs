//! Validation and request building on arbitrary JSON text.
#![no_main]
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let Some(today) = jiko_onboarding::CalendarDate::parse("2026-11-27") else {
        return;
    };
    let errors = jiko_onboarding::validate_application_json(data, today);
    let Ok(client) = jiko_onboarding::Client::new(
        jiko_onboarding::ClientConfig::BaseUrl("http://127.0.0.1:1".into()),
        "fuzz-secret",
    ) else {
        return;
    };
    let built = client.create_application_json("token", data, today, None);
    assert_eq!(errors.is_empty(), built.is_ok(), "validation and building must agree");
});
