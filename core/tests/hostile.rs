//! The hostile corpus of `tests/vectors/hostile/`: every file goes to every parser and
//! to validation, and each ends in a typed error, never a panic or a hang.

#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

use std::path::PathBuf;
use std::sync::mpsc;
use std::time::Duration;

use jiko_onboarding::{
    parse_accounts, parse_agreements, parse_application, parse_customer, parse_events, parse_login,
    parse_portals, parse_subscription, parse_upload, validate_application_json, verify_webhook,
    webhook_signature, ApiErrorKind, CalendarDate, Error,
};
use serde_json::Value;

/// A hang guard, not a benchmark: generous enough for a debug build on a busy machine.
const HANG_GUARD: Duration = Duration::from_secs(60);

fn kind_of(result: Result<(), Error>) -> Option<ApiErrorKind> {
    match result {
        Err(Error::Api(api)) => Some(api.kind),
        _ => None,
    }
}

fn run_case(data: Vec<u8>) -> Vec<String> {
    let mut problems = Vec::new();
    for status in [200u16, 422] {
        let expected = if status == 200 {
            ApiErrorKind::InvalidResponse
        } else {
            ApiErrorKind::Validation
        };
        let outcomes = [
            (
                "application",
                kind_of(parse_application(status, &data).map(|_| ())),
            ),
            ("login", kind_of(parse_login(status, &data).map(|_| ()))),
            (
                "agreements",
                kind_of(parse_agreements(status, &data).map(|_| ())),
            ),
            ("upload", kind_of(parse_upload(status, &data).map(|_| ()))),
            (
                "customer",
                kind_of(parse_customer(status, &data).map(|_| ())),
            ),
            (
                "accounts",
                kind_of(parse_accounts(status, &data).map(|_| ())),
            ),
            ("portals", kind_of(parse_portals(status, &data).map(|_| ()))),
            (
                "subscription",
                kind_of(parse_subscription(status, &data).map(|_| ())),
            ),
            ("events", kind_of(parse_events(status, &data).map(|_| ()))),
        ];
        for (parser, kind) in outcomes {
            if kind != Some(expected) {
                problems.push(format!("{parser} at {status} gave {kind:?}"));
            }
        }
    }
    // Signed correctly, a hostile body is still no event.
    let secret = b"hostile-shared-secret-0123";
    let headers = vec![(
        "x-jiko-signature".to_owned(),
        webhook_signature(secret, &data),
    )];
    match verify_webhook(&headers, &data, &[secret]) {
        Err(e) if e.code() == "malformed" => {}
        other => problems.push(format!("verify_webhook gave {other:?}")),
    }
    let today = CalendarDate::parse("2026-11-27").unwrap();
    if validate_application_json(&data, today).is_empty() {
        problems.push("validation found nothing wrong".to_owned());
    }
    problems
}

#[test]
fn every_hostile_input_ends_in_a_typed_error() {
    let dir = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../tests/vectors/hostile");
    let index: Value =
        serde_json::from_str(&std::fs::read_to_string(dir.join("index.json")).unwrap()).unwrap();
    let cases = index["cases"].as_array().unwrap();
    assert!(cases.len() >= 25);
    for case in cases {
        let name = case["name"].as_str().unwrap().to_owned();
        let data = std::fs::read(dir.join(case["file"].as_str().unwrap())).unwrap();
        assert_eq!(data.len() as u64, case["size"].as_u64().unwrap(), "{name}");
        let (tx, rx) = mpsc::channel();
        std::thread::spawn(move || {
            let _ = tx.send(run_case(data));
        });
        match rx.recv_timeout(HANG_GUARD) {
            Ok(problems) => assert!(problems.is_empty(), "{name}: {problems:?}"),
            Err(mpsc::RecvTimeoutError::Timeout) => {
                panic!("{name}: no answer within {HANG_GUARD:?}")
            }
            Err(mpsc::RecvTimeoutError::Disconnected) => panic!("{name}: the parser panicked"),
        }
    }
}
