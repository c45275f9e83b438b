//! The flow against a small in-memory Jiko that follows the guide's sandbox rules, with
//! faults injected by the tests. Time is virtual: the driver jumps to each wait's end.

use std::collections::HashMap;

use serde_json::{json, Value};

use super::*;
use crate::requests::{ClientConfig, Method};
use crate::sandbox::sandbox_scenario;
use crate::ApplicationStatus;

const NOW: u64 = 1_796_119_200_000; // 2026-12-01T10:00:00Z
const SECRET: &str = "sandbox-signing-secret";

fn application(ssn: &str) -> Value {
    json!({
        "identification_number": ssn,
        "name": {"first_name": "Jiko", "last_name": "Customer"},
        "email": "jiko@example.com",
        "phone_number": "+14155550100",
        "date_of_birth": "1970-01-01",
        "investment_profile": {"employment_status": "EMPLOYED", "income": "BETWEEN_100K_AND_250K",
                               "net_worth": "BETWEEN_1M_AND_5M", "occupation": "Investor"},
        "agreement_consent": {"version": "1.0.0", "timestamp": "2026-11-30T12:00:00+00:00"},
        "address": {"street_address": "2000 Allston Way", "city": "Berkeley",
                    "postal_code": "94701", "state": "CA", "country": "US"},
    })
}

fn today() -> CalendarDate {
    CalendarDate::parse("2026-12-01").unwrap()
}

fn client() -> Client {
    Client::new(ClientConfig::BaseUrl("http://127.0.0.1:9".into()), SECRET).unwrap()
}

fn config() -> FlowConfig {
    FlowConfig {
        seed: Some(7),
        ..FlowConfig::default()
    }
}

fn start(ssn: &str) -> OnboardingFlow {
    OnboardingFlow::start(client(), config(), &application(ssn), today(), NOW).unwrap()
}

fn auth() -> Authenticator {
    Authenticator::new("sandbox-user", "sandbox-password").unwrap()
}

const PNG: &[u8] = b"\x89PNG\r\n\x1a\n0000";

#[derive(Clone, Copy, Debug, PartialEq)]
enum Fault {
    /// Acts, then the answer is lost (the host sees `reset`).
    Lost,
    /// The transport fails before anything is sent.
    NotSent,
    Status(u16),
    RetryAfter(u16, &'static str),
    /// This status and body, before any effect.
    Body(u16, &'static str),
}

/// A status, headers and body.
type Answer = (u16, Vec<(String, String)>, Vec<u8>);

/// Jiko as the guide's sandbox behaves, in memory.
struct Fake {
    signer: crate::Signer,
    token: String,
    agreements_version: String,
    apps: HashMap<String, App>,
    keys: HashMap<String, (u16, Vec<u8>, Vec<u8>)>,
    replay: bool,
    faults: HashMap<usize, Fault>,
    requests: usize,
    creates: usize,
    log: Vec<(Operation, String)>,
}

struct App {
    status: ApplicationStatus,
    flags: [bool; 3],
    outcome: ApplicationStatus,
    after_documents: Option<ApplicationStatus>,
    documents: Vec<(String, &'static str)>,
    customer_id: Option<String>,
}

impl Fake {
    fn new() -> Self {
        Fake {
            signer: crate::Signer::new(SECRET).unwrap(),
            token: "token-1".into(),
            agreements_version: "1.0.0".into(),
            apps: HashMap::new(),
            keys: HashMap::new(),
            replay: true,
            faults: HashMap::new(),
            requests: 0,
            creates: 0,
            log: Vec::new(),
        }
    }

    fn app_json(&self, id: &str) -> Vec<u8> {
        let app = &self.apps[id];
        json!({
            "id": id, "status": app.status.as_str(),
            "id_verification_documents_needed": app.flags[0],
            "identification_number_verification_document_needed": app.flags[1],
            "address_verification_document_needed": app.flags[2],
            "documents": app.documents.iter().map(|(t, s)| json!({"id": "d", "type": t, "status": s})).collect::<Vec<_>>(),
            "customer_id": app.customer_id,
        })
        .to_string()
        .into_bytes()
    }

    /// The answer to one transmit, or the transport failure the host reports.
    fn answer(&mut self, t: &Transmit) -> Result<Answer, TransportErrorKind> {
        self.requests += 1;
        self.log.push((
            t.operation,
            t.request
                .header("x-jiko-idempotency")
                .unwrap_or("")
                .to_owned(),
        ));
        let fault = self.faults.remove(&self.requests);
        match fault {
            Some(Fault::NotSent) => return Err(TransportErrorKind::NotSent),
            Some(Fault::Status(s)) => return Ok((s, vec![], b"{}".to_vec())),
            Some(Fault::Body(s, b)) => return Ok((s, vec![], b.as_bytes().to_vec())),
            Some(Fault::RetryAfter(s, v)) => {
                return Ok((s, vec![("Retry-After".into(), v.into())], b"{}".to_vec()))
            }
            _ => {}
        }
        let answer = self.serve(&t.request);
        if fault == Some(Fault::Lost) {
            return Err(TransportErrorKind::Reset);
        }
        Ok((answer.0, vec![], answer.1))
    }

    fn serve(&mut self, r: &PreparedRequest) -> (u16, Vec<u8>) {
        if r.path == "/api/v1/login/" {
            return (
                200,
                json!({"token": self.token, "expires": "2027-01-01T00:00:00+00:00"})
                    .to_string()
                    .into_bytes(),
            );
        }
        if r.header("authorization") != Some(&format!("Bearer {}", self.token)) {
            return (401, b"{}".to_vec());
        }
        let key = r.header("x-jiko-idempotency").unwrap().to_ascii_lowercase();
        if !r.path.contains("/documents/") {
            let sig = r.header("x-jiko-signature").unwrap();
            assert!(
                self.signer.verify(&key, &r.path, &r.body, sig),
                "bad signature"
            );
        }
        let fingerprint = [r.method.as_str().as_bytes(), r.path.as_bytes(), &r.body].concat();
        if let Some((status, body, seen)) = self.keys.get(&key) {
            return if self.replay && *seen == fingerprint {
                (*status, body.clone())
            } else {
                (409, b"{\"detail\": \"key reused\"}".to_vec())
            };
        }
        let answer = self.act(r);
        self.keys
            .insert(key, (answer.0, answer.1.clone(), fingerprint));
        answer
    }

    fn act(&mut self, r: &PreparedRequest) -> (u16, Vec<u8>) {
        let parts: Vec<&str> = r.path.trim_matches('/').split('/').collect();
        match (r.method, parts.as_slice()) {
            (Method::Get, ["api", "v1", "agreements"]) => (200, json!({"version": self.agreements_version, "release_date": "2026-01-01", "documents": []}).to_string().into_bytes()),
            (Method::Post, ["api", "v1", "applications"]) => {
                self.creates += 1;
                let body: Value = serde_json::from_slice(&r.body).unwrap();
                let scenario = sandbox_scenario(body["identification_number"].as_str().unwrap());
                let id = format!("00000000-0000-4000-8000-{:012}", self.creates);
                self.apps.insert(id.clone(), App {
                    status: ApplicationStatus::Created,
                    flags: [false; 3],
                    outcome: scenario.status_after_apply.clone(),
                    after_documents: scenario.status_after_documents.clone(),
                    documents: vec![],
                    customer_id: None,
                });
                let a = self.apps.get_mut(&id).unwrap();
                if scenario.status_after_apply == ApplicationStatus::DocumentsNeeded {
                    a.flags = [scenario.id_verification_documents_needed, scenario.identification_number_document_needed, scenario.address_verification_document_needed];
                }
                (201, self.app_json(&id))
            }
            (Method::Get, ["api", "v1", "applications", id]) => {
                let Some(app) = self.apps.get_mut(*id) else { return (404, b"{}".to_vec()) };
                if app.status == ApplicationStatus::Submitted {
                    app.status = app.outcome.clone();
                    if app.status == ApplicationStatus::Approved {
                        app.customer_id = Some("11111111-1111-4111-8111-111111111111".into());
                    }
                }
                (200, self.app_json(id))
            }
            (Method::Post, ["api", "v1", "applications", id, "apply"]) => {
                let Some(app) = self.apps.get_mut(*id) else { return (404, b"{}".to_vec()) };
                match app.status {
                    ApplicationStatus::Created => {}
                    ApplicationStatus::Pending => app.outcome = app.after_documents.clone().unwrap(),
                    _ => return (409, b"{}".to_vec()),
                }
                app.status = ApplicationStatus::Submitted;
                (200, self.app_json(id))
            }
            (Method::Post, ["api", "v1", "applications", id, "documents", kind, "file"]) => {
                let Some(app) = self.apps.get_mut(*id) else { return (404, b"{}".to_vec()) };
                let kind: &'static str = Box::leak(kind.to_string().into_boxed_str());
                app.documents.push((kind.to_owned(), "PENDING_REVIEW"));
                let has = |t: &str| app.documents.iter().any(|(k, _)| k == t);
                if app.flags[0] && has("ID_FRONT") && has("ID_BACK") && (has("SELFIE") || has("PASSPORT")) { app.flags[0] = false; }
                if app.flags[1] && has("IDENTIFICATION_NUMBER_VERIFICATION") { app.flags[1] = false; }
                if app.flags[2] && has("ADDRESS_VERIFICATION") { app.flags[2] = false; }
                if app.status == ApplicationStatus::DocumentsNeeded && app.flags == [false; 3] {
                    app.status = ApplicationStatus::Pending;
                }
                (200, json!({"success": true, "document_id": "d"}).to_string().into_bytes())
            }
            (Method::Get, ["api", "v1", "customers", _]) => (200, json!({"type": "INDIVIDUAL", "account_status": "OPEN"}).to_string().into_bytes()),
            (Method::Get, ["api", "v1", "customers", _, "jiko-accounts"]) => (200, json!({"offset": 0, "count": 1, "items": [{"id": "22222222-2222-4222-8222-222222222222", "name": "J1", "status": "OPEN"}]}).to_string().into_bytes()),
            (Method::Get, ["api", "v1", "jiko-accounts", account, "portals"]) => (200, json!({"count": 1, "portals": [{"id": "33333333-3333-4333-8333-333333333333", "jiko_account_id": account, "routing_number": "021000021", "account_number": "000123456789", "status": "OPEN", "name": "Default"}]}).to_string().into_bytes()),
            _ => (404, b"{}".to_vec()),
        }
    }
}

/// Drives the flow to a step that needs the host (documents, done) with virtual time.
/// `snapshot_every_step` restores the flow from its snapshot before every poll.
fn drive(
    flow: &mut OnboardingFlow,
    auth: &mut Authenticator,
    fake: &mut Fake,
    now: &mut u64,
    restore_each_step: Option<&Value>,
) -> Step {
    drive_until(flow, auth, fake, now, restore_each_step, false)
}

/// [`drive`], stopping at a manual review when `stop_at_review`.
fn drive_until(
    flow: &mut OnboardingFlow,
    auth: &mut Authenticator,
    fake: &mut Fake,
    now: &mut u64,
    restore_each_step: Option<&Value>,
    stop_at_review: bool,
) -> Step {
    for _ in 0..2_000 {
        // A host stops at `Done`; restoring an approved flow lists its portals again.
        if let Some(app) = restore_each_step.filter(|_| !flow.is_finished()) {
            let snapshot = flow.snapshot();
            *flow =
                OnboardingFlow::restore(client(), config(), &snapshot, Some(app), today()).unwrap();
        }
        let step = flow.poll(*now, auth);
        // Polling again without an answer gives the same step.
        assert_eq!(flow.poll(*now, auth), step);
        match &step {
            Step::Send(t) => {
                *now += 5;
                match fake.answer(t) {
                    Ok((status, headers, body)) => flow
                        .handle_response(t.attempt, status, &headers, &body, *now, auth)
                        .unwrap(),
                    Err(kind) => flow
                        .handle_transport_error(t.attempt, kind, *now, auth)
                        .unwrap(),
                }
            }
            Step::Wait(w) if stop_at_review && w.reason == FlowWaitReason::ManualReview => {
                return step
            }
            Step::Wait(w) => *now = (*now).max(w.until_ms),
            Step::NeedDocuments { .. } | Step::Done(_) => return step,
        }
    }
    panic!(
        "the flow did not end: {:?} {:?}",
        &fake.log[..fake.log.len().min(30)],
        flow
    );
}

fn run(ssn: &str, fake: &mut Fake) -> (OnboardingFlow, Step) {
    let mut flow = start(ssn);
    let mut auth = auth();
    let mut now = NOW;
    let step = drive(&mut flow, &mut auth, fake, &mut now, None);
    (flow, step)
}

/// The documents a 24x applicant is asked for (two identity sides, a selfie, the
/// identification number's proof), each a small PNG.
fn provide_the_four_documents(flow: &mut OnboardingFlow) {
    for t in [
        DocumentType::IdFront,
        DocumentType::IdBack,
        DocumentType::Selfie,
        DocumentType::IdentificationNumberVerification,
    ] {
        flow.provide_document(t, "image/png", PNG.to_vec()).unwrap();
    }
}

fn approved_numbers(step: &Step) -> (String, String) {
    match step {
        Step::Done(Outcome::Approved(c)) => {
            assert_eq!(c.customer_id, "11111111-1111-4111-8111-111111111111");
            let p = &c.accounts[0].portals[0];
            (p.routing_number.clone(), p.account_number.clone())
        }
        other => panic!("{other:?}"),
    }
}

#[test]
fn approved_directly_ends_with_the_deposit_instructions() {
    let mut fake = Fake::new();
    let (flow, step) = run("411111111", &mut fake);
    assert_eq!(
        approved_numbers(&step),
        ("021000021".into(), "000123456789".into())
    );
    let ops: Vec<Operation> = fake.log.iter().map(|(o, _)| *o).collect();
    assert_eq!(
        ops,
        [
            Operation::Login,
            Operation::ListAgreements,
            Operation::CreateApplication,
            Operation::Apply,
            Operation::GetApplication,
            Operation::GetCustomer,
            Operation::ListCustomerAccounts,
            Operation::ListPortals
        ]
    );
    let result = flow.result(&step);
    assert_eq!(result.state, FlowState::Approved);
    assert_eq!(
        result.application.unwrap().status,
        ApplicationStatus::Approved
    );
}

#[test]
fn rejected_and_manual_review() {
    let mut fake = Fake::new();
    assert_eq!(run("511111111", &mut fake).1, Step::Done(Outcome::Rejected));
    let mut fake = Fake::new();
    let mut flow = start("311111111");
    let (mut auth, mut now) = (auth(), NOW);
    let mut step = flow.poll(now, &mut auth);
    for _ in 0..100 {
        match &step {
            Step::Send(t) => {
                let (s, h, b) = fake.answer(t).unwrap();
                flow.handle_response(t.attempt, s, &h, &b, now, &mut auth)
                    .unwrap();
            }
            Step::Wait(w) if w.reason == FlowWaitReason::ManualReview => break,
            Step::Wait(w) => now = w.until_ms,
            other => panic!("{other:?}"),
        }
        step = flow.poll(now, &mut auth);
    }
    let Step::Wait(wait) = step else { panic!() };
    // Fifteen minutes without webhooks, jittered by 10%.
    assert!(
        (810_000..=990_000).contains(&(wait.until_ms - now)),
        "{}",
        wait.until_ms - now
    );
    assert_eq!(flow.result(&step).state, FlowState::Waiting);
    // A webhook: the next poll reads at once.
    flow.notify(now);
    assert!(matches!(
        flow.poll(now, &mut auth),
        Step::Send(Transmit {
            operation: Operation::GetApplication,
            ..
        })
    ));
}

#[test]
fn documents_are_asked_for_uploaded_and_the_application_applied_again() {
    let mut fake = Fake::new();
    let (mut flow, step) = run("242111111", &mut fake);
    let Step::NeedDocuments { requirements } = &step else {
        panic!("{step:?}")
    };
    assert_eq!(requirements.len(), 4);
    assert_eq!(flow.result(&step).state, FlowState::DocumentsNeeded);
    provide_the_four_documents(&mut flow);
    assert_eq!(
        flow.provide_document(DocumentType::IdFront, "image/png", vec![])
            .unwrap_err()
            .code(),
        "empty"
    );
    let (mut auth, mut now) = (auth(), NOW + 60_000);
    let step = drive(&mut flow, &mut auth, &mut fake, &mut now, None);
    approved_numbers(&step);
    let uploads = fake
        .log
        .iter()
        .filter(|(o, _)| *o == Operation::UploadDocument)
        .count();
    assert_eq!(uploads, 4);
    assert_eq!(
        fake.log
            .iter()
            .filter(|(o, _)| *o == Operation::Apply)
            .count(),
        2
    );
}

#[test]
fn a_consent_to_another_version_is_refused_before_anything_is_created() {
    let mut fake = Fake::new();
    fake.agreements_version = "2.0.0".into();
    let (_, step) = run("411111111", &mut fake);
    match step {
        Step::Done(Outcome::Failed(e)) => assert_eq!(e.code(), "consent_version_outdated"),
        other => panic!("{other:?}"),
    }
    assert_eq!(fake.creates, 0);
    // ... unless the check is off.
    let mut fake = Fake::new();
    fake.agreements_version = "2.0.0".into();
    let cfg = FlowConfig {
        check_consent_version: false,
        ..config()
    };
    let mut flow =
        OnboardingFlow::start(client(), cfg, &application("411111111"), today(), NOW).unwrap();
    let step = drive(&mut flow, &mut auth(), &mut fake, &mut NOW.clone(), None);
    approved_numbers(&step);
}

#[test]
fn an_invalid_application_is_refused_before_anything_is_sent() {
    let mut app = application("12345");
    app["email"] = json!("not an email");
    let error = OnboardingFlow::start(client(), config(), &app, today(), NOW).unwrap_err();
    assert_eq!(error.code(), "validation_failed");
    assert_eq!(error.field_errors().len(), 2);
}

#[test]
fn a_lost_create_answer_is_replayed_with_the_same_key() {
    let mut fake = Fake::new();
    fake.faults.insert(3, Fault::Lost);
    let (_, step) = run("411111111", &mut fake);
    approved_numbers(&step);
    assert_eq!(fake.creates, 1);
    let keys: Vec<&String> = fake
        .log
        .iter()
        .filter(|(o, _)| *o == Operation::CreateApplication)
        .map(|(_, k)| k)
        .collect();
    assert_eq!(keys.len(), 2);
    assert_eq!(keys[0], keys[1]);
}

#[test]
fn a_final_error_to_a_resent_create_is_an_unknown_outcome_naming_the_key() {
    // The first Create may have made the application; a 422 or 403 to the resend says
    // nothing about it, so the flow must not end with an error that invites a new Create.
    for status in [400, 403, 422] {
        let mut fake = Fake::new();
        fake.faults.insert(3, Fault::Lost);
        fake.faults.insert(4, Fault::Status(status));
        let (_, step) = run("411111111", &mut fake);
        let Step::Done(Outcome::Failed(Error::Flow(error))) = &step else {
            panic!("{status}: {step:?}")
        };
        assert_eq!(error.code, FlowErrorCode::CreateOutcomeUnknown, "{status}");
        assert!(error
            .message
            .contains(error.idempotency_key.as_deref().unwrap()));
    }
    // A first Create refused outright made nothing: the typed API error.
    let mut fake = Fake::new();
    fake.faults.insert(3, Fault::Status(422));
    let (_, step) = run("411111111", &mut fake);
    let Step::Done(Outcome::Failed(error)) = &step else {
        panic!("{step:?}")
    };
    assert_eq!(error.code(), "api_validation");
}

#[test]
fn a_login_answered_with_retry_after_waits_that_long() {
    let mut flow = start("411111111");
    let mut auth = auth();
    let Step::Send(login) = flow.poll(NOW, &mut auth) else {
        panic!()
    };
    assert_eq!(login.operation, Operation::Login);
    let headers = vec![("Retry-After".to_owned(), "30".to_owned())];
    flow.handle_response(login.attempt, 429, &headers, b"{}", NOW, &mut auth)
        .unwrap();
    match flow.poll(NOW + 1, &mut auth) {
        Step::Wait(w) => {
            assert_eq!(w.reason, FlowWaitReason::Login);
            assert_eq!(w.until_ms, NOW + 30_000);
        }
        other => panic!("{other:?}"),
    }
}

#[test]
fn an_upload_answered_success_false_is_sent_again() {
    let mut fake = Fake::new();
    let mut flow = start("242111111");
    let mut auth = auth();
    let mut now = NOW;
    let step = drive(&mut flow, &mut auth, &mut fake, &mut now, None);
    assert!(matches!(step, Step::NeedDocuments { .. }), "{step:?}");
    provide_the_four_documents(&mut flow);
    fake.faults.insert(
        fake.requests + 1,
        Fault::Body(200, r#"{"success": false, "document_id": "d"}"#),
    );
    let step = drive(&mut flow, &mut auth, &mut fake, &mut now, None);
    approved_numbers(&step);
    let uploads = fake
        .log
        .iter()
        .filter(|(o, _)| *o == Operation::UploadDocument)
        .count();
    assert_eq!(uploads, 5);
}

#[test]
fn documents_given_after_the_stall_limit_do_not_stall_the_flow() {
    let mut fake = Fake::new();
    let mut flow = start("242111111");
    let mut auth = auth();
    let mut now = NOW;
    let step = drive(&mut flow, &mut auth, &mut fake, &mut now, None);
    assert!(matches!(step, Step::NeedDocuments { .. }), "{step:?}");
    // The host comes back 40 days later; the first upload meets a 503 and waits.
    now += 40 * 24 * 60 * 60 * 1_000;
    provide_the_four_documents(&mut flow);
    fake.faults.insert(fake.requests + 1, Fault::Status(503));
    let step = drive(&mut flow, &mut auth, &mut fake, &mut now, None);
    approved_numbers(&step);
}

#[test]
fn a_lost_create_answer_refused_as_a_reused_key_is_an_unknown_outcome_naming_the_key() {
    let mut fake = Fake::new();
    fake.replay = false;
    fake.faults.insert(3, Fault::Lost);
    let (flow, step) = run("411111111", &mut fake);
    let Step::Done(Outcome::Failed(Error::Flow(error))) = &step else {
        panic!("{step:?}")
    };
    assert_eq!(error.code, FlowErrorCode::CreateOutcomeUnknown);
    let key = error.idempotency_key.clone().unwrap();
    assert!(error.message.contains(&key));
    assert_eq!(fake.creates, 1);
    // It stays failed, across a restore too.
    let restored = OnboardingFlow::restore(client(), config(), &flow.snapshot(), None, today());
    let mut restored = restored.unwrap();
    assert_eq!(restored.poll(NOW, &mut auth()), step);
}

#[test]
fn three_conflicts_in_a_row_end_the_flow() {
    // The design: three conflicts in a row end the flow (the engine used to allow a fourth).
    let mut fake = Fake::new();
    for apply in [4, 6, 8] {
        fake.faults.insert(apply, Fault::Status(409));
    }
    let (_, step) = run("411111111", &mut fake);
    match step {
        Step::Done(Outcome::Failed(e)) => assert_eq!(e.code(), "unexpected_answer"),
        other => panic!("{other:?}"),
    }
    // Login, agreements, create, then apply and read twice, and the third Apply.
    assert_eq!(fake.requests, 8);
}

/// Polls and answers until the flow waits to retry a request, providing a PNG or PDF for
/// any document asked for.
fn until_retry_wait(
    flow: &mut OnboardingFlow,
    auth: &mut Authenticator,
    fake: &mut Fake,
    now: &mut u64,
) -> Wait {
    for _ in 0..100 {
        match flow.poll(*now, auth) {
            Step::Send(t) => match fake.answer(&t) {
                Ok((s, h, b)) => flow
                    .handle_response(t.attempt, s, &h, &b, *now, auth)
                    .unwrap(),
                Err(k) => flow
                    .handle_transport_error(t.attempt, k, *now, auth)
                    .unwrap(),
            },
            Step::Wait(w) if w.reason == FlowWaitReason::Retry => return w,
            Step::Wait(w) => *now = w.until_ms,
            Step::NeedDocuments { requirements } => {
                for r in requirements {
                    flow.provide_document(
                        r.one_of[0].clone(),
                        "application/pdf",
                        b"%PDF-1.7".to_vec(),
                    )
                    .unwrap();
                }
            }
            Step::Done(outcome) => panic!("{outcome:?}"),
        }
    }
    panic!("no retry wait");
}

#[test]
fn a_restore_keeps_the_retry_wait_of_an_upload_and_of_a_portal_listing() {
    // 23x asks for ADDRESS_VERIFICATION; the upload is request 6. 4xx: List Portals is request 8.
    for (ssn, failing, operation) in [
        ("232111111", 6, Operation::UploadDocument),
        ("411111111", 8, Operation::ListPortals),
    ] {
        let mut fake = Fake::new();
        fake.faults.insert(failing, Fault::RetryAfter(503, "30"));
        let (mut flow, mut auth, mut now) = (start(ssn), auth(), NOW);
        let wait = until_retry_wait(&mut flow, &mut auth, &mut fake, &mut now);
        assert_eq!(wait.until_ms, now + 30_000);
        let mut restored =
            OnboardingFlow::restore(client(), config(), &flow.snapshot(), None, today()).unwrap();
        assert_eq!(
            restored.poll(now, &mut auth),
            Step::Wait(wait),
            "{operation:?}"
        );
        if operation == Operation::UploadDocument {
            // The document is not in the snapshot: once the wait is over, it is asked for again.
            assert!(matches!(
                restored.poll(wait.until_ms, &mut auth),
                Step::NeedDocuments { .. }
            ));
        } else {
            let Step::Send(t) = restored.poll(wait.until_ms, &mut auth) else {
                panic!()
            };
            assert_eq!(t.operation, operation);
        }
    }
}

#[test]
fn a_lost_apply_answer_under_either_reading_continues() {
    for replay in [true, false] {
        let mut fake = Fake::new();
        fake.replay = replay;
        fake.faults.insert(4, Fault::Lost);
        let (_, step) = run("411111111", &mut fake);
        approved_numbers(&step);
    }
}

#[test]
fn server_errors_and_rate_limits_are_retried_with_backoff_and_retry_after() {
    let mut fake = Fake::new();
    fake.faults.insert(2, Fault::Status(503));
    fake.faults.insert(3, Fault::RetryAfter(429, "3"));
    fake.faults.insert(4, Fault::NotSent);
    let mut flow = start("411111111");
    let (mut auth, mut now) = (auth(), NOW);
    let mut waits = Vec::new();
    loop {
        match flow.poll(now, &mut auth) {
            Step::Send(t) => match fake.answer(&t) {
                Ok((s, h, b)) => flow
                    .handle_response(t.attempt, s, &h, &b, now, &mut auth)
                    .unwrap(),
                Err(k) => flow
                    .handle_transport_error(t.attempt, k, now, &mut auth)
                    .unwrap(),
            },
            Step::Wait(w) => {
                waits.push((w.reason, w.retry_reason, w.until_ms - now));
                now = w.until_ms;
            }
            Step::Done(outcome) => {
                assert!(matches!(outcome, Outcome::Approved(_)));
                break;
            }
            other => panic!("{other:?}"),
        }
    }
    // 503 on List Agreements: backoff 0.5 s less up to a quarter.
    assert_eq!(waits[0].1, Some(RetryReason::ServerError));
    assert!((375..=500).contains(&waits[0].2));
    // 429 on the retry: Retry-After, 3 s.
    assert_eq!(
        waits[1],
        (FlowWaitReason::Retry, Some(RetryReason::RateLimited), 3_000)
    );
    // Not sent: the retries are spent; the flow waits out an outage (30 s less a quarter).
    assert_eq!(waits[2].1, Some(RetryReason::NotSent));
    assert!((22_500..=30_000).contains(&waits[2].2), "{:?}", waits[2]);
}

#[test]
fn a_revoked_token_is_answered_by_one_login_and_one_resend_with_the_same_create_key() {
    let mut fake = Fake::new();
    // One re-login allowed for a request (three by default).
    let mut cfg = config();
    cfg.retry.max_relogins = 1;
    let mut flow =
        OnboardingFlow::start(client(), cfg, &application("411111111"), today(), NOW).unwrap();
    let (mut auth, mut now) = (auth(), NOW);
    // Log in and list agreements.
    for _ in 0..2 {
        let Step::Send(t) = flow.poll(now, &mut auth) else {
            panic!()
        };
        let (s, h, b) = fake.answer(&t).unwrap();
        flow.handle_response(t.attempt, s, &h, &b, now, &mut auth)
            .unwrap();
    }
    fake.token = "token-2".into();
    let Step::Send(create) = flow.poll(now, &mut auth) else {
        panic!()
    };
    let (s, h, b) = fake.answer(&create).unwrap();
    assert_eq!(s, 401);
    flow.handle_response(create.attempt, s, &h, &b, now, &mut auth)
        .unwrap();
    let Step::Send(login) = flow.poll(now, &mut auth) else {
        panic!()
    };
    assert_eq!(login.operation, Operation::Login);
    let (s, h, b) = fake.answer(&login).unwrap();
    flow.handle_response(login.attempt, s, &h, &b, now, &mut auth)
        .unwrap();
    let Step::Send(again) = flow.poll(now, &mut auth) else {
        panic!()
    };
    assert_eq!(again.operation, Operation::CreateApplication);
    assert_eq!(
        again.request.idempotency_key,
        create.request.idempotency_key
    );
    assert_eq!(
        again.request.header("x-jiko-signature"),
        create.request.header("x-jiko-signature")
    );
    assert_eq!(
        again.request.header("authorization"),
        Some("Bearer token-2")
    );
    // token-1 had worked (List Agreements): its 401 was a revocation, not counted. Now a
    // token that never worked is refused too: that one counts, the request's one re-login
    // is spent, and one more refusal of a token that never worked ends the flow.
    for (token, refused_token) in [("token-3", "token-2"), ("token-4", "token-3")] {
        fake.token = token.into();
        let Step::Send(send) = flow.poll(now, &mut auth) else {
            panic!()
        };
        assert_eq!(send.operation, Operation::CreateApplication);
        assert_eq!(
            send.request.header("authorization"),
            Some(format!("Bearer {refused_token}").as_str())
        );
        let (s, h, b) = fake.answer(&send).unwrap();
        assert_eq!(s, 401);
        flow.handle_response(send.attempt, s, &h, &b, now, &mut auth)
            .unwrap();
        now += 1;
        if token == "token-4" {
            break;
        }
        let Step::Send(login) = flow.poll(now, &mut auth) else {
            panic!()
        };
        assert_eq!(login.operation, Operation::Login);
        let (s, h, b) = fake.answer(&login).unwrap();
        flow.handle_response(login.attempt, s, &h, &b, now, &mut auth)
            .unwrap();
    }
    match flow.poll(now, &mut auth) {
        Step::Done(Outcome::Failed(e)) => assert_eq!(e.code(), "api_unauthorized"),
        other => panic!("{other:?}"),
    }
}

#[test]
fn answers_to_other_attempts_are_refused_and_change_nothing() {
    let mut flow = start("411111111");
    let mut auth = auth();
    let Step::Send(t) = flow.poll(NOW, &mut auth) else {
        panic!()
    };
    let error = flow
        .handle_response(t.attempt + 1, 200, &[], b"{}", NOW, &mut auth)
        .unwrap_err();
    assert_eq!(error.code(), "unknown_attempt");
    assert_eq!(flow.poll(NOW, &mut auth), Step::Send(t.clone()));
    flow.handle_transport_error(t.attempt, TransportErrorKind::TimedOut, NOW, &mut auth)
        .unwrap();
    assert_eq!(
        flow.handle_transport_error(t.attempt, TransportErrorKind::TimedOut, NOW, &mut auth)
            .unwrap_err()
            .code(),
        "unknown_attempt"
    );
}

#[test]
fn every_journey_survives_a_snapshot_and_restore_before_every_step() {
    for ssn in [
        "411111111",
        "511111111",
        "241111111",
        "231111111",
        "211111111",
    ] {
        let mut fake = Fake::new();
        let app = application(ssn);
        let mut flow = start(ssn);
        let (mut auth, mut now) = (auth(), NOW);
        let mut step = drive_until(&mut flow, &mut auth, &mut fake, &mut now, Some(&app), true);
        if let Step::NeedDocuments { requirements } = &step {
            for r in requirements {
                flow.provide_document(r.one_of[0].clone(), "image/png", PNG.to_vec())
                    .unwrap();
            }
            // Documents are not in snapshots: restore only after they are uploaded.
            step = drive_until(&mut flow, &mut auth, &mut fake, &mut now, None, true);
        }
        let expected = sandbox_scenario(ssn);
        match (
            &step,
            expected
                .status_after_documents
                .as_ref()
                .unwrap_or(&expected.status_after_apply),
        ) {
            (Step::Done(Outcome::Approved(_)), ApplicationStatus::Approved) => {}
            (Step::Done(Outcome::Rejected), ApplicationStatus::Rejected) => {}
            (Step::Wait(w), ApplicationStatus::ManualReview)
                if w.reason == FlowWaitReason::ManualReview => {}
            other => panic!("{ssn}: {other:?}"),
        }
        assert_eq!(fake.creates, 1, "{ssn}");
    }
}

#[test]
fn snapshots_hold_nothing_personal_and_restore_checks_the_application() {
    let mut fake = Fake::new();
    let mut flow = start("411111111");
    let (mut auth, now) = (auth(), NOW);
    // Log in, list agreements, then lose the Create's answer.
    for _ in 0..2 {
        let Step::Send(t) = flow.poll(now, &mut auth) else {
            panic!()
        };
        let (s, h, b) = fake.answer(&t).unwrap();
        flow.handle_response(t.attempt, s, &h, &b, now, &mut auth)
            .unwrap();
    }
    let Step::Send(create) = flow.poll(now, &mut auth) else {
        panic!()
    };
    let snapshot = flow.snapshot();
    for personal in [
        "411111111",
        "Jiko",
        "Customer",
        "jiko@example.com",
        "4155550100",
        "1970-01-01",
        "Allston",
        "Berkeley",
        "94701",
        "token-1",
        SECRET,
        "sandbox-password",
    ] {
        assert!(!snapshot.contains(personal), "{personal} in {snapshot}");
    }
    assert!(snapshot.len() < 1_024, "{}", snapshot.len());
    let restore =
        |app: Option<&Value>| OnboardingFlow::restore(client(), config(), &snapshot, app, today());
    assert_eq!(restore(None).unwrap_err().code(), "application_required");
    let mut other = application("411111111");
    other["email"] = json!("other@example.com");
    assert_eq!(
        restore(Some(&other)).unwrap_err().code(),
        "application_mismatch"
    );
    let mut resumed = restore(Some(&application("411111111"))).unwrap();
    let Step::Send(again) = resumed.poll(now, &mut auth) else {
        panic!()
    };
    assert_eq!(
        again.request.idempotency_key,
        create.request.idempotency_key
    );
    assert_eq!(again.request.body, create.request.body);
    assert!(again.attempt > create.attempt);
    // The restored Create counts as ambiguous: past the key's age it is not resent.
    let old = now + config().retry.key_max_age_ms;
    let mut resumed = restore(Some(&application("411111111"))).unwrap();
    match resumed.poll(old, &mut auth) {
        Step::Done(Outcome::Failed(e)) => assert_eq!(e.code(), "create_outcome_unknown"),
        other => panic!("{other:?}"),
    }
    for bad in ["", "{}", "[]", "{\"version\": 99}", "{\"version\": 1}"] {
        assert_eq!(
            OnboardingFlow::restore(client(), config(), bad, None, today())
                .unwrap_err()
                .code(),
            "snapshot_invalid",
            "{bad}"
        );
    }
}

#[test]
fn a_flow_that_does_not_move_fails_as_stalled() {
    let mut fake = Fake::new();
    let cfg = FlowConfig {
        stall_after_ms: 3 * 60 * 60 * 1_000,
        ..config()
    };
    let mut flow =
        OnboardingFlow::start(client(), cfg, &application("311111111"), today(), NOW).unwrap();
    let step = drive(&mut flow, &mut auth(), &mut fake, &mut NOW.clone(), None);
    match step {
        Step::Done(Outcome::Failed(e)) => assert_eq!(e.code(), "stalled"),
        other => panic!("{other:?}"),
    }
}

#[test]
fn debug_output_holds_no_personal_data() {
    let mut fake = Fake::new();
    let (flow, step) = run("411111111", &mut fake);
    let text = format!("{flow:?} {step:?} {:?}", flow.result(&step));
    for personal in ["411111111", "Jiko", "021000021", "000123456789", "token-1"] {
        assert!(!text.contains(personal), "{personal} in {text}");
    }
}

#[test]
fn lost_upload_answers_refused_as_reused_keys_do_not_count_as_a_loop() {
    // Under the reject reading, each lost upload answer is followed by a 409 and a read
    // that shows the document accepted: progress, not three conflicts in a row.
    let mut fake = Fake::new();
    fake.replay = false;
    let (mut flow, step) = run("242111111", &mut fake);
    assert!(matches!(step, Step::NeedDocuments { .. }));
    provide_the_four_documents(&mut flow);
    // The next request is a login (a new authenticator), then the first upload.
    let first_upload = fake.requests + 2;
    for n in [first_upload, first_upload + 3, first_upload + 6] {
        fake.faults.insert(n, Fault::Lost);
    }
    let (mut auth, mut now) = (auth(), NOW + 60_000);
    let step = drive(&mut flow, &mut auth, &mut fake, &mut now, None);
    approved_numbers(&step);
    assert_eq!(fake.creates, 1);
}

#[test]
fn a_401_for_a_token_already_replaced_does_not_use_up_the_re_logins() {
    // Flows share a login. While this flow's Create is in flight, the token is revoked
    // and another flow logs in again; the Create, sent with the old token, gets 401. It is
    // resent with the new token without counting a re-login, however often that happens.
    let mut fake = Fake::new();
    let mut cfg = config();
    cfg.retry.max_relogins = 1;
    let mut flow =
        OnboardingFlow::start(client(), cfg, &application("411111111"), today(), NOW).unwrap();
    let (mut auth, mut now) = (auth(), NOW);
    for _ in 0..2 {
        let Step::Send(t) = flow.poll(now, &mut auth) else {
            panic!()
        };
        let (s, h, b) = fake.answer(&t).unwrap();
        flow.handle_response(t.attempt, s, &h, &b, now, &mut auth)
            .unwrap();
    }
    for generation in 1..5u64 {
        let Step::Send(create) = flow.poll(now, &mut auth) else {
            panic!()
        };
        assert_eq!(create.operation, Operation::CreateApplication);
        // Another flow: its request is refused, it logs in again.
        fake.token = format!("token-{}", generation + 1);
        auth.reject(generation);
        let Credential::Login { ticket } = auth.credential(now) else {
            panic!()
        };
        let login = json!({"token": fake.token, "expires": "2027-01-01T00:00:00+00:00"});
        auth.handle_login(ticket, Ok((200, login.to_string().as_bytes())), now, 0.0);
        // This flow's Create, with the old token.
        let (s, h, b) = fake.answer(&create).unwrap();
        assert_eq!(s, 401);
        flow.handle_response(create.attempt, s, &h, &b, now, &mut auth)
            .unwrap();
    }
    let step = drive(&mut flow, &mut auth, &mut fake, &mut now, None);
    approved_numbers(&step);
    assert_eq!(fake.creates, 1);
}
