//! Validation and request building on arbitrary JSON text, and the text reader (a
//! borrowed tree) against serde_json::Value on the same bytes.
#![no_main]
use jiko_onboarding::{
    validate_application_json, validate_application_value, CalendarDate, Client, ClientConfig,
    Error,
};
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
    let built = client.create_application_json("token", data, today, key);
    assert_eq!(errors.is_empty(), built.is_ok(), "validation and building must agree");

    // The same document read as a serde_json::Value gives the same answers.
    match serde_json::from_slice::<serde_json::Value>(data) {
        Ok(value) => {
            assert_eq!(errors, validate_application_value(&value, today));
            match (built, client.create_application_value("token", &value, today, key)) {
                (Ok(a), Ok(b)) => assert_eq!(a, b),
                (Err(Error::Validation(a)), Err(Error::Validation(b))) => {
                    assert_eq!(a.errors, b.errors)
                }
                (Err(a), Err(b)) => assert_eq!(a.code(), b.code()),
                _ => panic!("the text and the value were built differently"),
            }
        }
        Err(_) => assert_eq!(
            errors.iter().map(|e| e.code.as_str()).collect::<Vec<_>>(),
            ["invalid_json"]
        ),
    }
});
