//! Validation and request building on arbitrary JSON text: no panic, and both agree.
#![no_main]
use jiko_onboarding::{validate_application_json, CalendarDate, Client, ClientConfig, Error};
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let Some(today) = CalendarDate::parse("2026-11-27") else {
        return;
    };
    let errors = validate_application_json(data, today);
    let Ok(client) = Client::new(
        ClientConfig::BaseUrl("http://127.0.0.1:1".into()),
        "fuzz-secret",
    ) else {
        return;
    };
    let key = Some("3f2504e0-4f89-41d3-9a0c-0305e82c3301");
    match client.create_application_json("token", data, today, key) {
        Ok(_) => assert!(errors.is_empty(), "built an application validation refuses"),
        Err(Error::Validation(e)) => assert_eq!(e.errors, errors),
        Err(other) => panic!("neither built nor refused by validation: {}", other.code()),
    }
    if serde_json::from_slice::<serde_json::Value>(data).is_err() {
        let codes: Vec<&str> = errors.iter().map(|e| e.code.as_str()).collect();
        assert_eq!(codes, ["invalid_json"]);
    }
});
