//! Refusals over real HTTP, each surfacing through the core's parsers as the right
//! `Error::Api` kind. Requests the core would refuse to build are built by hand here
//! (the JSON written out, then signed with the core's `Signer`).

// Test code: a failed unwrap is a failed test (clippy.toml allows it in #[test] only).
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

mod common;

use common::*;
use jiko_e2e::fixtures;
use jiko_onboarding::{
    new_idempotency_key, parse_agreements, parse_application, parse_login, parse_upload,
    ApiErrorKind, Error, Method, PreparedRequest, Signer,
};
use jiko_sandbox::Config;
use serde_json::{json, Value};

/// The API error of a parsed reply, or a panic naming what came back instead.
fn api_error<T: std::fmt::Debug>(result: Result<T, Error>) -> jiko_onboarding::ApiError {
    match result {
        Err(Error::Api(e)) => e,
        other => panic!("expected an API error, got {other:?}"),
    }
}

/// A signed request built by hand, as the core signs: key + path + body.
fn hand_signed(
    base_url: &str,
    token: &str,
    secret: &str,
    method: Method,
    path: &str,
    body: Vec<u8>,
) -> PreparedRequest {
    let key = new_idempotency_key().unwrap();
    let signature = Signer::new(secret).unwrap().sign(&key, path, &body);
    let mut headers = vec![
        ("Authorization".to_owned(), format!("Bearer {token}")),
        ("x-jiko-idempotency".to_owned(), key.clone()),
        ("x-jiko-signature".to_owned(), signature),
    ];
    if !body.is_empty() {
        headers.push(("Content-Type".to_owned(), "application/json".to_owned()));
    }
    PreparedRequest {
        method,
        url: format!("{base_url}{path}"),
        path: path.to_owned(),
        headers,
        body,
        idempotency_key: Some(key),
    }
}

fn applicant_json(ssn: &str, dob: &str) -> Value {
    let mut v = serde_json::to_value(fixtures::applicant(ssn, "neg")).unwrap();
    v["date_of_birth"] = json!(dob);
    v
}

#[test]
fn a_tampered_body_is_unauthorized() {
    let sandbox = sandbox();
    let (mut o, token) = logged_in(&sandbox);
    let today = jiko_sandbox::clock::today_utc().unwrap();
    let mut request = o
        .client()
        .clone()
        .create_application(
            &token,
            &fixtures::applicant("412345678", "tamper"),
            today,
            None,
        )
        .unwrap();
    // Same length, still valid JSON and a valid application: only the signature fails.
    let text = String::from_utf8(request.body.clone()).unwrap();
    request.body = text.replace("412345678", "512345678").into_bytes();
    let e = api_error(o.send(&request).unwrap().parse(parse_application));
    assert_eq!((e.status, e.kind), (401, ApiErrorKind::Unauthorized));
    assert_eq!(sandbox.application_count(), 0);

    // A signature over another path is refused the same way.
    let mut request = o.client().clone().list_agreements(&token, None).unwrap();
    request.url.push_str("x/");
    let e = api_error(o.send(&request).unwrap().parse(parse_agreements));
    assert_eq!(e.status, 404, "unknown path");
    let mut request = o
        .client()
        .clone()
        .get_application(&token, "3f2504e0-4f89-41d3-9a0c-0305e82c3301", None)
        .unwrap();
    request.url = format!(
        "{}/api/v1/applications/3f2504e0-4f89-41d3-9a0c-0305e82c3302/",
        sandbox.base_url()
    );
    let e = api_error(o.send(&request).unwrap().parse(parse_application));
    assert_eq!(e.kind, ApiErrorKind::Unauthorized);
}

#[test]
fn a_wrong_secret_or_a_missing_signature_is_unauthorized() {
    let sandbox = sandbox();
    let (mut o, token) = logged_in(&sandbox);
    let request = hand_signed(
        &sandbox.base_url(),
        &token,
        "not-the-secret",
        Method::Get,
        "/api/v1/agreements/",
        Vec::new(),
    );
    let e = api_error(o.send(&request).unwrap().parse(parse_agreements));
    assert_eq!((e.status, e.kind), (401, ApiErrorKind::Unauthorized));

    let mut request = o.client().clone().list_agreements(&token, None).unwrap();
    request.headers.retain(|(n, _)| n != "x-jiko-signature");
    let e = api_error(o.send(&request).unwrap().parse(parse_agreements));
    assert_eq!((e.status, e.kind), (401, ApiErrorKind::Unauthorized));
}

/// The default: the same prepared request sent again (its first answer lost, say)
/// gets the first answer again, byte for byte, and creates nothing more; the key on
/// any other request is a conflict.
#[test]
fn a_replayed_request_gets_its_first_answer_again() {
    let sandbox = sandbox();
    let (mut o, token) = logged_in(&sandbox);
    let client = o.client().clone();
    let today = jiko_sandbox::clock::today_utc().unwrap();
    let create = client
        .create_application(
            &token,
            &fixtures::applicant("412345678", "replay"),
            today,
            None,
        )
        .unwrap();
    let first = o.send(&create).unwrap();
    let again = o.send(&create).unwrap();
    assert_eq!((first.status, again.status), (201, 201));
    assert_eq!(first.body, again.body);
    assert_eq!(sandbox.application_count(), 1);
    let stats = sandbox.stats();
    assert_eq!(stats["applications"]["total"], 1);
    assert_eq!(stats["replays_served"], 1);
    assert_eq!(stats["requests"]["POST /api/v1/applications/"]["201"], 2);
    let app = first.parse(parse_application).unwrap();

    // The same key on another request, correctly signed: 409, whatever its case.
    let key = create.idempotency_key.clone().unwrap();
    for key in [key.clone(), key.to_uppercase()] {
        let get = client.get_application(&token, &app.id, Some(&key)).unwrap();
        let e = api_error(o.send(&get).unwrap().parse(parse_application));
        assert_eq!((e.status, e.kind), (409, ApiErrorKind::Conflict));
    }
    // A different body under the used key, signed for it: 409 too.
    let other = client
        .create_application(
            &token,
            &fixtures::applicant("412345678", "replay-other"),
            today,
            Some(&key),
        )
        .unwrap();
    let e = api_error(o.send(&other).unwrap().parse(parse_application));
    assert_eq!((e.status, e.kind), (409, ApiErrorKind::Conflict));
    assert_eq!(sandbox.application_count(), 1);

    // Uploads are not signed but their keys are remembered all the same.
    let up = client
        .upload_document(
            &token,
            &app.id,
            &jiko_onboarding::DocumentType::Other,
            "image/png",
            fixtures::PNG_1X1.to_vec(),
            None,
        )
        .unwrap();
    let first = o.send(&up).unwrap();
    let again = o.send(&up).unwrap();
    assert_eq!((first.status, &first.body), (again.status, &again.body));
    assert!(again.parse(parse_upload).unwrap().success);
    let app = o.get(&app.id).unwrap();
    assert_eq!(
        app.documents.len(),
        1,
        "the replayed upload was recorded twice"
    );
}

/// `--idempotency reject`: any reuse of a key within the hour is a conflict, even of
/// the identical request, and nothing is created twice.
#[test]
fn reject_mode_refuses_any_reused_key() {
    let sandbox = sandbox_with(Config {
        idempotency: jiko_sandbox::IdempotencyMode::Reject,
        ..Config::default()
    });
    let (mut o, token) = logged_in(&sandbox);
    let client = o.client().clone();
    let today = jiko_sandbox::clock::today_utc().unwrap();
    let create = client
        .create_application(
            &token,
            &fixtures::applicant("412345678", "reject"),
            today,
            None,
        )
        .unwrap();
    let first = o.send(&create).unwrap().parse(parse_application).unwrap();
    let e = api_error(o.send(&create).unwrap().parse(parse_application));
    assert_eq!((e.status, e.kind), (409, ApiErrorKind::Conflict));
    assert_eq!(sandbox.application_count(), 1);
    assert_eq!(sandbox.stats()["replays_served"], 0);

    let key = create.idempotency_key.clone().unwrap();
    let get = client
        .get_application(&token, &first.id, Some(&key.to_uppercase()))
        .unwrap();
    assert_eq!(
        api_error(o.send(&get).unwrap().parse(parse_application)).kind,
        ApiErrorKind::Conflict
    );
    let up = client
        .upload_document(
            &token,
            &first.id,
            &jiko_onboarding::DocumentType::Other,
            "image/png",
            fixtures::PNG_1X1.to_vec(),
            None,
        )
        .unwrap();
    assert!(o.send(&up).unwrap().parse(parse_upload).unwrap().success);
    assert_eq!(
        api_error(o.send(&up).unwrap().parse(parse_upload)).kind,
        ApiErrorKind::Conflict
    );
}

#[test]
fn an_expired_token_is_unauthorized() {
    let sandbox = sandbox();
    let (mut o, token) = logged_in(&sandbox);
    let client = o.client().clone();
    assert!(o
        .send(&client.list_agreements(&token, None).unwrap())
        .unwrap()
        .parse(parse_agreements)
        .is_ok());
    sandbox.expire_tokens();
    let e = api_error(
        o.send(&client.list_agreements(&token, None).unwrap())
            .unwrap()
            .parse(parse_agreements),
    );
    assert_eq!((e.status, e.kind), (401, ApiErrorKind::Unauthorized));
    let e = api_error(
        o.send(
            &client
                .upload_document(
                    &token,
                    "3f2504e0-4f89-41d3-9a0c-0305e82c3301",
                    &jiko_onboarding::DocumentType::Selfie,
                    "image/png",
                    fixtures::PNG_1X1.to_vec(),
                    None,
                )
                .unwrap(),
        )
        .unwrap()
        .parse(parse_upload),
    );
    assert_eq!(e.kind, ApiErrorKind::Unauthorized);

    // --token-lifetime-seconds 0 issues tokens that are expired at once.
    let sandbox = sandbox_with(Config {
        token_lifetime_seconds: 0,
        ..Config::default()
    });
    let mut o = caller(&sandbox);
    let client = o.client().clone();
    let login = client
        .login(&sandbox.config().username, &sandbox.config().password)
        .unwrap();
    let session = o.send(&login).unwrap().parse(parse_login).unwrap();
    assert!(session.needs_refresh(jiko_sandbox::clock::now_seconds()));
    let e = api_error(
        o.send(&client.list_agreements(session.token(), None).unwrap())
            .unwrap()
            .parse(parse_agreements),
    );
    assert_eq!(e.kind, ApiErrorKind::Unauthorized);
}

#[test]
fn a_missing_or_unknown_token_is_unauthorized() {
    let sandbox = sandbox();
    let (mut o, _) = logged_in(&sandbox);
    let client = o.client().clone();
    let e = api_error(
        o.send(&client.list_agreements("made-up-token", None).unwrap())
            .unwrap()
            .parse(parse_agreements),
    );
    assert_eq!(e.kind, ApiErrorKind::Unauthorized);
    let mut request = client.list_agreements("x", None).unwrap();
    request.headers.retain(|(n, _)| n != "Authorization");
    let e = api_error(o.send(&request).unwrap().parse(parse_agreements));
    assert_eq!(e.kind, ApiErrorKind::Unauthorized);
}

#[test]
fn wrong_credentials_are_unauthorized() {
    let sandbox = sandbox();
    let mut o = caller(&sandbox);
    let request = o
        .client()
        .clone()
        .login(&sandbox.config().username, "wrong-password")
        .unwrap();
    let e = api_error(o.send(&request).unwrap().parse(parse_login));
    assert_eq!((e.status, e.kind), (401, ApiErrorKind::Unauthorized));
}

#[test]
fn an_applicant_under_18_is_refused_with_422() {
    let sandbox = sandbox();
    let (mut o, token) = logged_in(&sandbox);
    let today = jiko_sandbox::clock::today_utc().unwrap();
    // Born 17 years ago today (on 29 February, a day later, which is still under 18).
    let dob = format!(
        "{:04}-{:02}-{:02}",
        today.year() - 17,
        today.month(),
        today.day().min(28)
    );
    let value = applicant_json("412345678", &dob);

    // The core refuses to build it ...
    let refused = o
        .client()
        .clone()
        .create_application_value(&token, &value, today, None);
    assert!(matches!(refused, Err(Error::Validation(_))));

    // ... so the JSON is sent by hand, signed with the core's Signer.
    let body = serde_json::to_vec(&value).unwrap();
    let request = hand_signed(
        &sandbox.base_url(),
        &token,
        &sandbox.config().signing_secret,
        Method::Post,
        "/api/v1/applications/",
        body,
    );
    let reply = o.send(&request).unwrap();
    assert_eq!(reply.status, 422);
    let raw = String::from_utf8(reply.body.clone()).unwrap();
    for value in fixtures::personal_values("412345678", "neg")
        .iter()
        .chain([&dob])
    {
        assert!(!raw.contains(value.as_str()), "the 422 body echoes a value");
    }
    let detail: Value = serde_json::from_str(&raw).unwrap();
    assert_eq!(detail["detail"][0]["loc"], json!(["body", "date_of_birth"]));
    assert_eq!(detail["detail"][0]["type"], "under_age");
    assert!(detail["detail"][0]["msg"].is_string());

    let e = api_error(reply.parse(parse_application));
    assert_eq!((e.status, e.kind), (422, ApiErrorKind::Validation));
    let errors: Vec<(&str, &str)> = e
        .errors
        .iter()
        .map(|f| (f.path.as_str(), f.code.as_str()))
        .collect();
    assert_eq!(errors, [("date_of_birth", "under_age")]);
    assert_eq!(sandbox.application_count(), 0);
}

#[test]
fn every_problem_of_a_body_is_reported_at_once() {
    let sandbox = sandbox();
    let (mut o, token) = logged_in(&sandbox);
    let mut value = applicant_json("12-34", "1980-02-30");
    value["address"]["postal_code"] = json!("ABCDE");
    value["email"] = json!(17);
    value.as_object_mut().unwrap().remove("phone_number");
    let body = serde_json::to_vec(&value).unwrap();
    let request = hand_signed(
        &sandbox.base_url(),
        &token,
        &sandbox.config().signing_secret,
        Method::Post,
        "/api/v1/applications/",
        body,
    );
    let e = api_error(o.send(&request).unwrap().parse(parse_application));
    let mut errors: Vec<(String, String)> = e
        .errors
        .iter()
        .map(|f| (f.path.clone(), f.code.clone()))
        .collect();
    errors.sort();
    assert_eq!(
        errors,
        [
            (
                "address.postal_code".to_owned(),
                "invalid_postal_code".to_owned()
            ),
            ("date_of_birth".to_owned(), "invalid_date".to_owned()),
            ("email".to_owned(), "invalid_type".to_owned()),
            ("identification_number".to_owned(), "invalid_ssn".to_owned()),
            ("phone_number".to_owned(), "required".to_owned()),
        ]
    );

    // Not JSON at all.
    let request = hand_signed(
        &sandbox.base_url(),
        &token,
        &sandbox.config().signing_secret,
        Method::Post,
        "/api/v1/applications/",
        b"{not json".to_vec(),
    );
    let e = api_error(o.send(&request).unwrap().parse(parse_application));
    assert_eq!((e.status, e.kind), (422, ApiErrorKind::Validation));
}

#[test]
fn rejected_is_final_and_apply_is_refused_outside_created_and_pending() {
    let sandbox = sandbox();
    let (rejected, _) = run_flow(&sandbox, "512345678", "final");
    let (mut o, _) = logged_in(&sandbox);
    let e = o.apply(&rejected.id).unwrap_err();
    assert_eq!(e.api_kind(), Some(ApiErrorKind::Conflict));
    // Still REJECTED.
    assert_eq!(o.get(&rejected.id).unwrap().status.as_str(), "REJECTED");

    for ssn in ["412345678", "312345678"] {
        let (settled, _) = run_flow(&sandbox, ssn, "settled");
        assert_eq!(
            o.apply(&settled.id).unwrap_err().api_kind(),
            Some(ApiErrorKind::Conflict)
        );
    }

    // SUBMITTED (outcome not yet polled) and DOCUMENTS_NEEDED refuse Apply too.
    let (mut o, _) = logged_in(&sandbox);
    let app = o
        .create(&fixtures::applicant("212345678", "twice"))
        .unwrap();
    o.apply(&app.id).unwrap();
    assert_eq!(
        o.apply(&app.id).unwrap_err().api_kind(),
        Some(ApiErrorKind::Conflict)
    );
    assert_eq!(o.get(&app.id).unwrap().status.as_str(), "DOCUMENTS_NEEDED");
    assert_eq!(
        o.apply(&app.id).unwrap_err().api_kind(),
        Some(ApiErrorKind::Conflict)
    );
}

#[test]
fn an_unknown_application_is_not_found() {
    let sandbox = sandbox();
    let (mut o, _) = logged_in(&sandbox);
    let id = "3f2504e0-4f89-41d3-9a0c-0305e82c3301";
    assert_eq!(
        o.get(id).unwrap_err().api_kind(),
        Some(ApiErrorKind::NotFound)
    );
    assert_eq!(
        o.apply(id).unwrap_err().api_kind(),
        Some(ApiErrorKind::NotFound)
    );
    let e = o
        .upload(
            id,
            &jiko_onboarding::DocumentType::Selfie,
            "image/png",
            fixtures::PNG_1X1,
        )
        .unwrap_err();
    assert_eq!(e.api_kind(), Some(ApiErrorKind::NotFound));
}

/// The core checks uploads before sending; the simulator checks them again with the
/// same function. These are built by hand to get past the client.
#[test]
fn bad_uploads_are_refused_with_422() {
    let sandbox = sandbox();
    let (app, _) = run_flow(&sandbox, "212345678", "uploads");
    let (mut o, token) = logged_in(&sandbox);
    let upload = |document_type: &str, content_type: Option<&str>, body: Vec<u8>| {
        let key = new_idempotency_key().unwrap();
        let path = format!(
            "/api/v1/applications/{}/documents/{document_type}/file/",
            app.id
        );
        let mut headers = vec![
            ("Authorization".to_owned(), format!("Bearer {token}")),
            ("x-jiko-idempotency".to_owned(), key.clone()),
        ];
        if let Some(ct) = content_type {
            headers.push(("Content-Type".to_owned(), ct.to_owned()));
        }
        PreparedRequest {
            method: Method::Post,
            url: format!("{}{path}", sandbox.base_url()),
            path,
            headers,
            body,
            idempotency_key: Some(key),
        }
    };
    let mut big = fixtures::PNG_1X1.to_vec();
    big.resize(5_000_001, 0);
    let cases: Vec<(PreparedRequest, &str, &str)> = vec![
        (
            upload("SELFIE", Some("image/png"), b"GIF89a not a png".to_vec()),
            "header.content-type",
            "wrong_type",
        ),
        (
            upload("SELFIE", Some("image/png"), Vec::new()),
            "header.content-length",
            "empty",
        ),
        (
            upload("SELFIE", Some("image/png"), big),
            "header.content-length",
            "too_large",
        ),
        (
            upload("SELFIE", Some("image/png\r"), fixtures::PNG_1X1.to_vec()),
            "header.content-type",
            "wrong_type",
        ),
        (
            upload("SELFIE", None, fixtures::PNG_1X1.to_vec()),
            "header.content-type",
            "value_error.missing",
        ),
        (
            upload("NOT_A_TYPE", Some("image/png"), fixtures::PNG_1X1.to_vec()),
            "path.document_type",
            "type_error.enum",
        ),
    ];
    for (i, (request, path, code)) in cases.into_iter().enumerate() {
        let reply = match o.send(&request) {
            Ok(r) => r,
            // A header value with a CR cannot even be sent: that is a refusal too.
            Err(jiko_e2e::FlowError::Transport(_)) if i == 3 => continue,
            Err(e) => panic!("{e}"),
        };
        let e = api_error(reply.parse(parse_upload));
        assert_eq!(
            (e.status, e.kind),
            (422, ApiErrorKind::Validation),
            "{path} {code}"
        );
        let got: Vec<(&str, &str)> = e
            .errors
            .iter()
            .map(|f| (f.path.as_str(), f.code.as_str()))
            .collect();
        assert_eq!(got, [(path, code)]);
    }
    // A missing idempotency key.
    let mut request = upload("SELFIE", Some("image/png"), fixtures::PNG_1X1.to_vec());
    request.headers.retain(|(n, _)| n != "x-jiko-idempotency");
    let e = api_error(o.send(&request).unwrap().parse(parse_upload));
    assert_eq!(e.errors[0].path, "header.x-jiko-idempotency");
}
