//! Property tests on stable Rust: no input panics, and round trips hold.

#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

use jiko_onboarding::{
    check_upload, next_action, parse_agreements, parse_application, parse_login, parse_upload,
    required_documents, sandbox_scenario, validate_application_json, validate_application_value,
    Application, ApplicationStatus, CalendarDate, Client, ClientConfig, Document, DocumentStatus,
    DocumentType, Error, Signer,
};
use proptest::prelude::*;
use serde_json::Value;

fn arb_json() -> impl Strategy<Value = Value> {
    let leaf = prop_oneof![
        Just(Value::Null),
        any::<bool>().prop_map(Value::Bool),
        any::<i64>().prop_map(Value::from),
        any::<f64>()
            .prop_map(|f| serde_json::Number::from_f64(f).map_or(Value::Null, Value::Number)),
        ".{0,24}".prop_map(Value::String),
        prop_oneof![
            Just("999999999"),
            Just("EMPLOYED"),
            Just("US"),
            Just("CA"),
            Just("1970-01-01"),
            Just("2023-01-01T12:00:00+00:00"),
            Just("DOCUMENTS_NEEDED"),
            Just("SELFIE"),
            Just("PENDING_REVIEW"),
        ]
        .prop_map(|s| Value::String(s.to_owned())),
    ];
    let keys = prop_oneof![
        Just("id"),
        Just("status"),
        Just("name"),
        Just("first_name"),
        Just("last_name"),
        Just("email"),
        Just("phone_number"),
        Just("date_of_birth"),
        Just("investment_profile"),
        Just("employment_status"),
        Just("income"),
        Just("net_worth"),
        Just("occupation"),
        Just("agreement_consent"),
        Just("version"),
        Just("timestamp"),
        Just("address"),
        Just("street_address"),
        Just("city"),
        Just("postal_code"),
        Just("state"),
        Just("country"),
        Just("identification_number"),
        Just("documents"),
        Just("type"),
        Just("token"),
        Just("expires"),
        Just("success"),
        Just("document_id"),
        Just("detail"),
        Just("loc"),
        Just("msg"),
        Just("release_date"),
        Just("title"),
        Just("category"),
        Just("pdf_download_url"),
        Just("id_verification_documents_needed"),
        Just("customer_id"),
        Just("other"),
    ];
    leaf.prop_recursive(4, 64, 8, move |inner| {
        prop_oneof![
            prop::collection::vec(inner.clone(), 0..6).prop_map(Value::Array),
            prop::collection::btree_map(keys.clone().prop_map(str::to_owned), inner, 0..10)
                .prop_map(|m| Value::Object(m.into_iter().collect())),
        ]
    })
}

fn arb_status() -> impl Strategy<Value = ApplicationStatus> {
    prop_oneof![
        prop::sample::select(ApplicationStatus::ALL.to_vec()),
        "[A-Z_]{1,12}".prop_map(|s| ApplicationStatus::parse(&s)),
    ]
}

fn arb_document() -> impl Strategy<Value = Document> {
    (
        "[a-f0-9-]{1,36}",
        prop::sample::select(DocumentType::ALL.to_vec()),
        prop::sample::select(DocumentStatus::ALL.to_vec()),
        prop::option::of(".{0,10}"),
    )
        .prop_map(|(id, document_type, status, exception_reason)| Document {
            id,
            document_type,
            status,
            exception_reason,
            name: None,
        })
}

fn arb_application() -> impl Strategy<Value = Application> {
    (
        "[a-f0-9-]{36}",
        arb_status(),
        prop::collection::vec(arb_document(), 0..6),
        any::<(bool, bool, bool)>(),
        prop::option::of("[a-f0-9-]{36}"),
        prop::collection::vec(".{0,8}", 0..3),
    )
        .prop_map(
            |(id, status, documents, flags, customer_id, exception_reasons)| Application {
                id,
                status,
                time_created: None,
                updated_at: None,
                name: None,
                email: None,
                phone_number: None,
                date_of_birth: None,
                investment_profile: None,
                agreement_consent: None,
                address: None,
                citizenship_country: None,
                customer_id,
                documents,
                exception_reasons,
                id_verification_documents_needed: flags.0,
                identification_number_verification_document_needed: flags.1,
                address_verification_document_needed: flags.2,
            },
        )
}

const GUIDE_APPLICATION: &str = r#"{"identification_number": "999999999", "name": {"first_name": "Jiko", "middle_name": "Zo\u00eb", "last_name": "Customer"}, "email": "jiko@example.com", "phone_number": "15551234567", "date_of_birth": "1970-01-01", "investment_profile": {"employment_status": "EMPLOYED", "income": "BETWEEN_100K_AND_250K", "net_worth": "BETWEEN_1M_AND_5M", "occupation": "Investor"}, "agreement_consent": {"version": "1", "timestamp": "2023-01-01T12:00:00+00:00"}, "address": {"street_address": "2000 Allston Way", "city": "Berkeley", "postal_code": "94701", "state": "CA", "country": "USA"}}"#;

/// The body the SDK sends for the guide's application: compact JSON, fields in the
/// schema's order.
const GUIDE_BODY: &str = r#"{"identification_number":"999999999","name":{"first_name":"Jiko","middle_name":"Zoë","last_name":"Customer"},"email":"jiko@example.com","phone_number":"15551234567","date_of_birth":"1970-01-01","investment_profile":{"employment_status":"EMPLOYED","income":"BETWEEN_100K_AND_250K","net_worth":"BETWEEN_1M_AND_5M","occupation":"Investor"},"agreement_consent":{"version":"1","timestamp":"2023-01-01T12:00:00+00:00"},"address":{"street_address":"2000 Allston Way","city":"Berkeley","postal_code":"94701","state":"CA","country":"USA"}}"#;

/// The root members of [`GUIDE_BODY`], each as its text, for reordering.
fn guide_members() -> Vec<String> {
    let value: serde_json::Map<String, Value> = serde_json::from_str(GUIDE_BODY).unwrap();
    value
        .iter()
        .map(|(k, v)| format!("{}:{}", serde_json::to_string(k).unwrap(), v))
        .collect()
}

/// Validation and building agree on a text: the same errors, or a request whose body is
/// the same document written in the schema's order.
fn validation_and_building_agree(text: &[u8]) {
    let today = CalendarDate::new(2026, 11, 27).unwrap();
    let client = Client::new(ClientConfig::BaseUrl("http://127.0.0.1:1".into()), "secret").unwrap();
    let key = Some("3f2504e0-4f89-41d3-9a0c-0305e82c3301");
    let errors = validate_application_json(text, today);
    match client.create_application_json("token", text, today, key) {
        Ok(request) => {
            assert!(errors.is_empty(), "{errors:?}");
            let sent: Value = serde_json::from_slice(&request.body).unwrap();
            let mut given: Value = serde_json::from_slice(text).unwrap();
            drop_nulls(&mut given);
            assert_eq!(sent, given);
        }
        Err(Error::Validation(e)) => assert_eq!(e.errors, errors),
        Err(other) => panic!("{other:?}"),
    }
}

/// A document without its null members (the body leaves absent fields out).
fn drop_nulls(value: &mut Value) {
    if let Value::Object(map) = value {
        map.retain(|_, v| !v.is_null());
        map.values_mut().for_each(drop_nulls);
    }
}

#[test]
fn the_body_is_compact_json_in_the_schema_order() {
    let today = CalendarDate::new(2026, 11, 27).unwrap();
    let client = Client::new(ClientConfig::BaseUrl("http://127.0.0.1:1".into()), "secret").unwrap();
    let key = Some("3f2504e0-4f89-41d3-9a0c-0305e82c3301");
    for text in [GUIDE_APPLICATION, GUIDE_BODY] {
        let request = client
            .create_application_json("token", text.as_bytes(), today, key)
            .unwrap();
        assert_eq!(request.body, GUIDE_BODY.as_bytes());
    }
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(512))]

    #[test]
    fn parsers_never_panic_on_bytes(status in 100u16..600, body in prop::collection::vec(any::<u8>(), 0..256)) {
        let _ = parse_application(status, &body);
        let _ = parse_login(status, &body);
        let _ = parse_agreements(status, &body);
        let _ = parse_upload(status, &body);
    }

    #[test]
    fn parsers_never_panic_on_json(status in prop::sample::select(vec![200u16, 201, 401, 404, 422, 429, 500]), value in arb_json()) {
        let body = serde_json::to_vec(&value).unwrap();
        let _ = parse_login(status, &body);
        let _ = parse_agreements(status, &body);
        let _ = parse_upload(status, &body);
        if let Ok(app) = parse_application(status, &body) {
            // Whatever decodes re-encodes and decodes to the same model.
            let again = parse_application(200, &serde_json::to_vec(&app).unwrap()).unwrap();
            prop_assert_eq!(again, app.clone());
            let _ = next_action(&app);
            let _ = required_documents(&app);
        }
    }

    #[test]
    fn validation_and_building_agree_on_any_text(value in arb_json(), cut in any::<prop::sample::Index>(), byte in any::<u8>()) {
        // Any document, whole or with one byte changed.
        let text = serde_json::to_vec(&value).unwrap();
        let mut changed = text.clone();
        if !changed.is_empty() {
            changed[cut.index(text.len())] = byte;
        }
        for text in [text, changed] {
            validation_and_building_agree(&text);
        }
    }

    #[test]
    fn changed_guide_applications_are_validated_and_built_alike(cut in any::<prop::sample::Index>(), byte in any::<u8>(), twice in any::<bool>()) {
        let mut text = GUIDE_APPLICATION.as_bytes().to_vec();
        if twice {
            // Repeated keys: the last one counts.
            let at = text.len() - 1;
            text.splice(at..at, br#", "email": "second@example.com", "name": {"first_name": "A", "last_name": "B"}"#.iter().copied());
        }
        let at = cut.index(text.len());
        text[at] = byte;
        validation_and_building_agree(&text);
    }

    #[test]
    fn reordered_applications_give_the_body_in_the_schema_order(members in Just(guide_members()).prop_shuffle(), extra in prop::option::of(prop::sample::select(vec![r#""email":"second@example.com""#, r#""identification_type":"SSN""#, r#""citizenship_country":null"#, r#""originally_onboarded_at":"2020-05-01T09:30:00Z""#]))) {
        let mut members = members;
        let reordered_only = extra.is_none() || extra == Some(r#""citizenship_country":null"#);
        if let Some(extra) = extra {
            members.push(extra.to_owned());
        }
        let text = format!("{{{}}}", members.join(","));
        validation_and_building_agree(text.as_bytes());
        if reordered_only {
            let today = CalendarDate::new(2026, 11, 27).unwrap();
            let client = Client::new(ClientConfig::BaseUrl("http://127.0.0.1:1".into()), "secret").unwrap();
            let request = client.create_application_json("token", text.as_bytes(), today, None).unwrap();
            prop_assert_eq!(request.body, GUIDE_BODY.as_bytes());
        }
    }

    #[test]
    fn validation_never_panics(value in arb_json(), y in 1u16..9999, m in 1u8..13, d in 1u8..29) {
        let today = CalendarDate::new(y, m, d).unwrap();
        let errors = validate_application_value(&value, today);
        for e in errors {
            prop_assert!(!e.code.is_empty() && !e.message.is_empty());
        }
    }

    #[test]
    fn applications_round_trip_and_next_action_is_consistent(app in arb_application()) {
        let body = serde_json::to_vec(&app).unwrap();
        let parsed = parse_application(200, &body).unwrap();
        prop_assert_eq!(&parsed, &app);
        let requirements = required_documents(&app);
        for r in &requirements {
            prop_assert!(!r.one_of.is_empty());
        }
        let flags = [app.id_verification_documents_needed, app.identification_number_verification_document_needed, app.address_verification_document_needed];
        if !flags.iter().any(|f| *f) {
            prop_assert!(requirements.is_empty());
        }
        let action = next_action(&app);
        if app.status == ApplicationStatus::DocumentsNeeded {
            prop_assert_eq!(action.kind(), if requirements.is_empty() { "wait" } else { "upload_documents" });
        }
    }

    #[test]
    fn upload_checks_never_panic(bytes in prop::collection::vec(any::<u8>(), 0..64), content_type in ".{0,40}", t in prop::sample::select(DocumentType::ALL.to_vec())) {
        let result = check_upload(&t, &content_type, &bytes);
        if bytes.is_empty() {
            prop_assert_eq!(result.unwrap_err().code.as_str(), "empty");
        }
    }

    #[test]
    fn sandbox_scenarios_follow_the_first_digit(ssn in ".{0,12}") {
        let s = sandbox_scenario(&ssn);
        let needs_documents = s.status_after_apply == ApplicationStatus::DocumentsNeeded;
        prop_assert_eq!(needs_documents, ssn.starts_with('2'));
        prop_assert_eq!(needs_documents, s.status_after_documents.is_some());
        if needs_documents {
            prop_assert!(s.id_verification_documents_needed || s.identification_number_document_needed || s.address_verification_document_needed);
        }
    }

    #[test]
    fn signatures_verify_and_detect_tampering(secret in prop::collection::vec(any::<u8>(), 1..80), key in ".{0,40}", path in ".{0,40}", body in prop::collection::vec(any::<u8>(), 0..200), flip in any::<prop::sample::Index>()) {
        let signer = Signer::new(secret).unwrap();
        let sig = signer.sign(&key, &path, &body);
        prop_assert!(signer.verify(&key, &path, &body, &sig));
        let mut tampered = body.clone();
        if tampered.is_empty() {
            tampered.push(0);
        } else {
            let i = flip.index(tampered.len());
            tampered[i] ^= 1;
        }
        prop_assert!(!signer.verify(&key, &path, &tampered, &sig));
    }
}
