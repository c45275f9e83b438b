//! End-to-end flows over real HTTP: the core prepares and parses, ureq sends, the
//! simulator answers. Expectations are written by hand from the onboarding guide's
//! sandbox table, not computed with the core.

// Test code: a failed unwrap is a failed test (clippy.toml allows it in #[test] only).
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

mod common;

use common::*;
use jiko_e2e::fixtures;
use jiko_onboarding::{
    is_uuid, next_action, parse_application, ApplicationStatus, DocumentStatus, DocumentType,
    FlowState, NextAction, Operation,
};
use jiko_sandbox::Config;
use serde_json::Value;

const CREATED: &str = "CREATED";
const SUBMITTED: &str = "SUBMITTED";
const DOCS: &str = "DOCUMENTS_NEEDED";
const PENDING: &str = "PENDING";

/// Runs the flow and checks the end status, the statuses on the way and the uploads.
fn check(ssn: &str, path: &[&str], uploaded: &[&str]) {
    let sandbox = sandbox();
    let (app, journey) = run_flow(&sandbox, ssn, "flow");
    assert_eq!(
        statuses(&journey.events),
        path,
        "statuses for SSN rule {}",
        &ssn[..3]
    );
    assert_eq!(uploads(&journey.events), uploaded);
    let last = path.last().copied().unwrap_or_default();
    assert_eq!(app.status.as_str(), last);
    // APPROVED carries a customer id, and only APPROVED does; the flow ends with the
    // customer's account and its portal's deposit instructions.
    if app.status == ApplicationStatus::Approved {
        assert!(is_uuid(app.customer_id.as_deref().unwrap_or("")));
        assert_eq!(journey.result.state, FlowState::Approved);
        let customer = journey.result.customer.as_ref().expect("the customer");
        assert_eq!(Some(&customer.customer_id), app.customer_id.as_ref());
        assert_eq!(customer.accounts.len(), 1);
        let portal = &customer.accounts[0].portals[0];
        assert!(aba_check_digit_ok(&portal.routing_number), "routing number");
        assert!(portal.account_number.bytes().all(|b| b.is_ascii_digit()));
        assert!(matches!(
            next_action(&app),
            NextAction::Approved {
                customer_id: Some(_)
            }
        ));
    } else {
        assert_eq!(app.customer_id, None);
        assert_eq!(journey.result.customer, None);
    }
    // Settled: no flag left, and every uploaded document is in review or approved.
    assert!(!app.id_verification_documents_needed);
    assert!(!app.identification_number_verification_document_needed);
    assert!(!app.address_verification_document_needed);
    for t in uploaded {
        let doc = app
            .documents
            .iter()
            .find(|d| d.document_type.as_str() == *t)
            .unwrap_or_else(|| panic!("{t} missing from documents"));
        let want = if app.status == ApplicationStatus::Approved {
            DocumentStatus::Approved
        } else {
            DocumentStatus::PendingReview
        };
        assert_eq!(doc.status, want, "{t}");
    }
    assert_eq!(sandbox.application_count(), 1);
}

/// The ABA check: 3(d1 + d4 + d7) + 7(d2 + d5 + d8) + (d3 + d6 + d9) is a multiple of 10.
fn aba_check_digit_ok(routing: &str) -> bool {
    let d: Vec<u32> = routing.chars().filter_map(|c| c.to_digit(10)).collect();
    d.len() == 9
        && routing.len() == 9
        && (3 * (d[0] + d[3] + d[6]) + 7 * (d[1] + d[4] + d[7]) + d[2] + d[5] + d[8]) % 10 == 0
}

#[test]
fn ssn_4_is_approved() {
    check("412345678", &[CREATED, SUBMITTED, "APPROVED"], &[]);
}

#[test]
fn ssn_5_is_rejected() {
    check("512345678", &[CREATED, SUBMITTED, "REJECTED"], &[]);
}

#[test]
fn ssn_3_goes_to_manual_review() {
    check("312345678", &[CREATED, SUBMITTED, "MANUAL_REVIEW"], &[]);
}

#[test]
fn other_first_digits_go_to_manual_review() {
    check("999999999", &[CREATED, SUBMITTED, "MANUAL_REVIEW"], &[]);
    check("612345678", &[CREATED, SUBMITTED, "MANUAL_REVIEW"], &[]);
}

#[test]
fn ssn_21x_needs_id_documents_then_is_approved() {
    check(
        "212345678",
        &[CREATED, SUBMITTED, DOCS, PENDING, SUBMITTED, "APPROVED"],
        &["ID_FRONT", "ID_BACK", "SELFIE"],
    );
}

#[test]
fn ssn_211_needs_id_documents_then_manual_review() {
    check(
        "211345678",
        &[
            CREATED,
            SUBMITTED,
            DOCS,
            PENDING,
            SUBMITTED,
            "MANUAL_REVIEW",
        ],
        &["ID_FRONT", "ID_BACK", "SELFIE"],
    );
}

#[test]
fn ssn_22x_needs_the_identification_number_document() {
    check(
        "222345678",
        &[CREATED, SUBMITTED, DOCS, PENDING, SUBMITTED, "APPROVED"],
        &["IDENTIFICATION_NUMBER_VERIFICATION"],
    );
}

#[test]
fn ssn_231_needs_an_address_document_then_manual_review() {
    check(
        "231234567",
        &[
            CREATED,
            SUBMITTED,
            DOCS,
            PENDING,
            SUBMITTED,
            "MANUAL_REVIEW",
        ],
        &["ADDRESS_VERIFICATION"],
    );
}

#[test]
fn ssn_24x_needs_id_and_identification_number_documents_then_is_approved() {
    check(
        "242345678",
        &[CREATED, SUBMITTED, DOCS, PENDING, SUBMITTED, "APPROVED"],
        &[
            "ID_FRONT",
            "ID_BACK",
            "SELFIE",
            "IDENTIFICATION_NUMBER_VERIFICATION",
        ],
    );
}

/// The wire shape of an application: what a binding's parser will meet.
#[test]
fn responses_have_the_api_shape() {
    let sandbox = sandbox();
    let (mut o, token) = logged_in(&sandbox);
    let client = o.client().clone();
    let today = jiko_sandbox::clock::today_utc().unwrap();
    let request = client
        .create_application(
            &token,
            &fixtures::applicant("212345678", "shape"),
            today,
            None,
        )
        .unwrap();
    let reply = o.send(&request).unwrap();
    assert_eq!(reply.status, 201);
    let created: Value = serde_json::from_slice(&reply.body).unwrap();
    let id = created["id"].as_str().unwrap().to_owned();
    assert!(is_uuid(&id));
    assert_eq!(created["status"], "CREATED");
    assert_eq!(created["object_type"], "InternationalApplication");
    // Compared without assert_eq!, which would print the value on failure.
    assert!(
        created["date_of_birth"] == serde_json::json!({ "date_of_birth": fixtures::DATE_OF_BIRTH }),
        "date_of_birth is not the nested object"
    );
    for flag in [
        "id_verification_documents_needed",
        "identification_number_verification_document_needed",
        "address_verification_document_needed",
    ] {
        assert_eq!(created[flag], false, "{flag}");
    }
    assert_eq!(created["documents"], serde_json::json!([]));
    assert!(created.get("customer_id").is_none());
    assert!(
        created.get("identification_number").is_none(),
        "the SSN is never echoed"
    );
    assert!(!String::from_utf8_lossy(&reply.body).contains("212345678"));
    assert_eq!(created["citizenship_country"], "US");
    assert!(created["time_created"].is_string() && created["updated_at"].is_string());

    // Apply answers SUBMITTED; the next poll shows the outcome with its documents.
    let applied = o.send(&client.apply(&token, &id, None).unwrap()).unwrap();
    assert_eq!(applied.status, 200);
    assert_eq!(
        applied.parse(parse_application).unwrap().status,
        ApplicationStatus::Submitted
    );
    let polled = o
        .send(&client.get_application(&token, &id, None).unwrap())
        .unwrap();
    assert_eq!(polled.status, 200);
    let body: Value = serde_json::from_slice(&polled.body).unwrap();
    assert_eq!(body["status"], "DOCUMENTS_NEEDED");
    assert_eq!(body["id_verification_documents_needed"], true);
    let docs: Vec<(String, String)> = body["documents"]
        .as_array()
        .unwrap()
        .iter()
        .map(|d| {
            assert!(is_uuid(d["id"].as_str().unwrap()));
            (
                d["type"].as_str().unwrap().to_owned(),
                d["status"].as_str().unwrap().to_owned(),
            )
        })
        .collect();
    let expected: Vec<(String, String)> = ["ID_FRONT", "ID_BACK", "SELFIE", "PASSPORT"]
        .iter()
        .map(|t| (t.to_string(), "PENDING_UPLOAD".to_owned()))
        .collect();
    assert_eq!(docs, expected);

    // An upload answers {success, document_id}: the id of the requested document.
    let app = polled.parse(parse_application).unwrap();
    let passport_id = app
        .documents
        .iter()
        .find(|d| d.document_type == DocumentType::Passport)
        .unwrap()
        .id
        .clone();
    let up = o
        .send(
            &client
                .upload_document(
                    &token,
                    &id,
                    &DocumentType::Passport,
                    "image/png",
                    fixtures::PNG_1X1.to_vec(),
                    None,
                )
                .unwrap(),
        )
        .unwrap();
    assert_eq!(up.status, 200);
    let up: Value = serde_json::from_slice(&up.body).unwrap();
    assert_eq!(
        up,
        serde_json::json!({ "success": true, "document_id": passport_id })
    );
}

#[test]
fn the_outcome_waits_for_the_configured_number_of_polls() {
    let sandbox = sandbox_with(Config {
        outcome_after_polls: 3,
        ..Config::default()
    });
    let (app, journey) = run_flow(&sandbox, "412345678", "slow");
    assert_eq!(app.status, ApplicationStatus::Approved);
    assert_eq!(sent(&journey.events, Operation::GetApplication), 3);
}

#[test]
fn zero_polls_puts_the_outcome_in_the_apply_answer() {
    let sandbox = sandbox_with(Config {
        outcome_after_polls: 0,
        ..Config::default()
    });
    let (app, journey) = run_flow(&sandbox, "242345678", "fast");
    assert_eq!(app.status, ApplicationStatus::Approved);
    assert_eq!(
        statuses(&journey.events),
        [CREATED, DOCS, PENDING, "APPROVED"]
    );
    assert_eq!(sent(&journey.events, Operation::Apply), 2);
}

#[test]
fn the_outcome_can_wait_for_time_too() {
    let sandbox = sandbox_with(Config {
        outcome_after_millis: 300,
        ..Config::default()
    });
    let started = std::time::Instant::now();
    let (app, journey) = run_flow(&sandbox, "412345678", "timed");
    assert_eq!(app.status, ApplicationStatus::Approved);
    // Apply is sent after the flow started, so the outcome cannot come back sooner than
    // 300 ms after the start, however slow the machine.
    assert!(started.elapsed() >= std::time::Duration::from_millis(300));
    let polls = sent(&journey.events, Operation::GetApplication);
    assert!(polls >= 2, "{polls} polls");
}

/// Documents may be uploaded before Apply; they count when the outcome arrives.
#[test]
fn documents_uploaded_before_apply_count() {
    let sandbox = sandbox();
    let (mut o, token) = logged_in(&sandbox);
    let client = o.client().clone();
    let created = o
        .create(&fixtures::applicant("212345678", "early"))
        .unwrap();
    let up = client
        .upload_document(
            &token,
            &created.id,
            &DocumentType::Selfie,
            "image/png",
            fixtures::PNG_1X1.to_vec(),
            None,
        )
        .unwrap();
    assert_eq!(o.send(&up).unwrap().status, 200);
    o.send(&client.apply(&token, &created.id, None).unwrap())
        .unwrap();
    let app = o
        .send(&client.get_application(&token, &created.id, None).unwrap())
        .unwrap()
        .parse(parse_application)
        .unwrap();
    assert_eq!(app.status, ApplicationStatus::DocumentsNeeded);
    let NextAction::UploadDocuments { requirements } = next_action(&app) else {
        panic!("expected uploads");
    };
    let wanted: Vec<Vec<String>> = requirements.iter().map(|r| doc_types(&r.one_of)).collect();
    assert_eq!(
        wanted,
        [vec!["ID_FRONT".to_owned()], vec!["ID_BACK".to_owned()]]
    );
    // No PASSPORT request: the SELFIE already met "SELFIE or PASSPORT".
    let types: Vec<&str> = app
        .documents
        .iter()
        .map(|d| d.document_type.as_str())
        .collect();
    assert_eq!(types, ["SELFIE", "ID_FRONT", "ID_BACK"]);
}

/// The caller logs in again when the token has expired, as the guide advises.
#[test]
fn an_expired_session_is_renewed() {
    let sandbox = sandbox();
    let (mut o, _) = logged_in(&sandbox);
    sandbox.expire_tokens();
    let before = o.requests_sent();
    let bundle = o.agreements().unwrap();
    assert_eq!(bundle.version, jiko_sandbox::AGREEMENTS_VERSION);
    // The refused request, the login, the request again.
    assert_eq!(o.requests_sent() - before, 3);
}

#[test]
fn applications_are_independent() {
    let sandbox = sandbox();
    let (a, _) = run_flow(&sandbox, "412345678", "one");
    let (b, _) = run_flow(&sandbox, "512345678", "two");
    assert_ne!(a.id, b.id);
    assert!(
        a.email == Some(fixtures::email("one")),
        "applicant mixed up"
    );
    assert!(
        b.email == Some(fixtures::email("two")),
        "applicant mixed up"
    );
    assert_eq!(sandbox.application_count(), 2);
}
