//! Properties of the flow engine under any sequence of answers, transport failures,
//! restores and notifications: it ends within a bounded number of steps, never sends two
//! Creates with different keys, never panics, and its snapshots hold nothing personal.

#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

use std::collections::HashSet;

use jiko_onboarding::{
    Authenticator, CalendarDate, Client, ClientConfig, FlowConfig, OnboardingFlow, Operation, Step,
    TransportErrorKind,
};
use proptest::prelude::*;
use serde_json::{json, Value};

const NOW: u64 = 1_796_119_200_000;
const SSN: &str = "411223333";

fn application() -> Value {
    json!({
        "identification_number": SSN,
        "name": {"first_name": "Sentinelfirst", "last_name": "Sentinellast"},
        "email": "sentinel@example.com",
        "phone_number": "+14155550123",
        "date_of_birth": "1970-01-01",
        "investment_profile": {"employment_status": "EMPLOYED", "income": "BETWEEN_100K_AND_250K",
                               "net_worth": "BETWEEN_1M_AND_5M", "occupation": "Investor"},
        "agreement_consent": {"version": "1.0.0", "timestamp": "2026-11-30T12:00:00+00:00"},
        "address": {"street_address": "2000 Sentinel Way", "city": "Sentinelcity",
                    "postal_code": "94701", "state": "CA", "country": "US"},
    })
}

const APP_ID: &str = "3f2504e0-4f89-41d3-9a0c-0305e82c3301";

#[derive(Clone, Debug)]
enum Answer {
    /// The right kind of 2xx body for the operation, with this status for an application.
    Fitting(&'static str, bool, bool),
    Status(u16),
    RetryAfter(u16, &'static str),
    Garbage(u16),
    Transport(TransportErrorKind),
    Restore,
    Notify,
}

fn answer() -> impl Strategy<Value = Answer> {
    let statuses = prop::sample::select(vec![
        "CREATED",
        "PENDING",
        "SUBMITTED",
        "DOCUMENTS_NEEDED",
        "APPROVED",
        "REJECTED",
        "MANUAL_REVIEW",
        "SOMETHING_NEW",
    ]);
    prop_oneof![
        6 => (statuses, any::<bool>(), any::<bool>()).prop_map(|(s, a, b)| Answer::Fitting(s, a, b)),
        2 => prop::sample::select(vec![301u16, 400, 401, 403, 404, 408, 409, 412, 422, 429, 500, 502, 503, 504, 418]).prop_map(Answer::Status),
        1 => (prop::sample::select(vec![429u16, 503]), prop::sample::select(vec!["0", "2", "120", "999999999", "Sun, 06 Nov 1994 08:49:37 GMT", "soon"])).prop_map(|(s, v)| Answer::RetryAfter(s, v)),
        1 => prop::sample::select(vec![200u16, 201]).prop_map(Answer::Garbage),
        2 => prop::sample::select(TransportErrorKind::ALL.to_vec()).prop_map(Answer::Transport),
        1 => Just(Answer::Restore),
        1 => Just(Answer::Notify),
    ]
}

fn fitting_body(operation: Operation, status: &str, flag: bool, customer: bool) -> Vec<u8> {
    let value = match operation {
        Operation::Login => {
            json!({"token": "tok-sentinel", "expires": "2027-01-01T00:00:00+00:00"})
        }
        Operation::ListAgreements => {
            json!({"version": "1.0.0", "release_date": "2026-01-01", "documents": []})
        }
        Operation::UploadDocument => json!({"success": true, "document_id": "d"}),
        Operation::GetCustomer => json!({"type": "INDIVIDUAL", "account_status": "OPEN"}),
        Operation::ListCustomerAccounts => {
            json!({"offset": 0, "count": 1, "items": if flag { json!([]) } else { json!([{"id": "22222222-2222-4222-8222-222222222222", "status": "OPEN"}]) }})
        }
        Operation::ListPortals => {
            json!({"count": 1, "portals": if flag { json!([]) } else { json!([{"id": "p", "jiko_account_id": "a", "routing_number": "021000021", "account_number": "000123456789", "status": "OPEN"}]) }})
        }
        _ => json!({
            "id": APP_ID, "status": status,
            "id_verification_documents_needed": flag,
            "identification_number_verification_document_needed": false,
            "address_verification_document_needed": !flag && status == "DOCUMENTS_NEEDED",
            "documents": [],
            "customer_id": if customer { Value::from("11111111-1111-4111-8111-111111111111") } else { Value::Null },
            "name": {"first_name": "Sentinelfirst", "last_name": "Sentinellast"},
        }),
    };
    value.to_string().into_bytes()
}

fn client() -> Client {
    Client::new(
        ClientConfig::BaseUrl("http://127.0.0.1:9".into()),
        "sentinel-secret",
    )
    .unwrap()
}

fn today() -> CalendarDate {
    CalendarDate::parse("2026-12-01").unwrap()
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 400, ..ProptestConfig::default() })]

    #[test]
    fn any_answers_end_a_flow_in_bounded_steps_with_one_create_key(
        script in prop::collection::vec(answer(), 0..300),
        seed in any::<u64>(),
    ) {
        let config = FlowConfig {
            seed: Some(seed),
            stall_after_ms: 6 * 60 * 60 * 1_000,
            max_requests: 200,
            ..FlowConfig::default()
        };
        let app = application();
        let mut flow = OnboardingFlow::start(client(), config.clone(), &app, today(), NOW).unwrap();
        let mut auth = Authenticator::new("user", "password").unwrap();
        let mut now = NOW;
        let mut answers = script.into_iter();
        let mut create_keys = HashSet::new();
        let mut finished = false;
        for _ in 0..2_000 {
            let step = flow.poll(now, &mut auth);
            let printed = match &step {
                Step::Done(jiko_onboarding::Outcome::Failed(e)) => format!("{step:?} {e} {:?} {flow:?}", flow.result(&step)),
                _ => format!("{step:?} {:?} {flow:?}", flow.result(&step)),
            };
            for personal in [SSN, "Sentinel", "sentinel@", "4155550123", "1970-01-01", "tok-sentinel", "021000021", "000123456789", "sentinel-secret"] {
                prop_assert!(!printed.contains(personal), "{} in {}", personal, printed);
            }
            match step {
                Step::Send(t) => {
                    if t.operation == Operation::CreateApplication {
                        create_keys.insert(t.request.idempotency_key.clone());
                    }
                    now += 1;
                    // Past the script, the server answers well: every journey can end.
                    let next = answers.next().unwrap_or(Answer::Fitting("APPROVED", false, true));
                    match next {
                        Answer::Fitting(status, flag, customer) => {
                            let body = fitting_body(t.operation, status, flag, customer);
                            flow.handle_response(t.attempt, 200, &[], &body, now, &mut auth).unwrap();
                        }
                        Answer::Status(s) => flow.handle_response(t.attempt, s, &[], b"{}", now, &mut auth).unwrap(),
                        Answer::RetryAfter(s, v) => flow.handle_response(t.attempt, s, &[("Retry-After".into(), v.into())], b"", now, &mut auth).unwrap(),
                        Answer::Garbage(s) => flow.handle_response(t.attempt, s, &[], b"<html>", now, &mut auth).unwrap(),
                        Answer::Transport(kind) => flow.handle_transport_error(t.attempt, kind, now, &mut auth).unwrap(),
                        Answer::Restore => {
                            // The process died with the request in flight.
                            let snapshot = flow.snapshot();
                            for personal in [SSN, "Sentinel", "sentinel@", "4155550123", "1970-01-01", "tok-sentinel", "021000021", "000123456789", "password"] {
                                prop_assert!(!snapshot.contains(personal), "{} in {}", personal, snapshot);
                            }
                            flow = OnboardingFlow::restore(client(), config.clone(), &snapshot, Some(&app), today()).unwrap();
                            auth = Authenticator::new("user", "password").unwrap();
                        }
                        Answer::Notify => {
                            flow.notify(now);
                            flow.handle_transport_error(t.attempt, TransportErrorKind::Reset, now, &mut auth).unwrap();
                        }
                    }
                }
                Step::Wait(w) => now = w.until_ms.max(now + 1),
                Step::NeedDocuments { requirements } => {
                    for r in requirements {
                        flow.provide_document(r.one_of[0].clone(), "image/png", b"\x89PNG\r\n\x1a\n00".to_vec()).unwrap();
                    }
                    now += 1;
                }
                Step::Done(_) => {
                    finished = true;
                    break;
                }
            }
        }
        prop_assert!(finished, "not finished: {:?}", flow);
        prop_assert!(create_keys.len() <= 1, "{} Create keys", create_keys.len());
    }

    #[test]
    fn restoring_any_text_never_panics(text in ".{0,400}") {
        let _ = OnboardingFlow::restore(client(), FlowConfig::default(), &text, Some(&application()), today());
    }
}
