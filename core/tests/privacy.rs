//! Sentinel tests: personal data and secrets never appear in `Debug`, `Display` or
//! error messages, only in the request body meant to carry them.

#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

use jiko_onboarding::{
    parse_application, parse_login, validate_application, validate_application_value, Address,
    AgreementConsent, AnnualIncome, CalendarDate, Client, ClientConfig, CreateApplicationRequest,
    DocumentType, EmploymentStatus, InvestmentProfile, Name, NetWorth, Signer,
};
use serde_json::json;

const SSN: &str = "987650123";
const FIRST: &str = "Sentinelfirst";
const MIDDLE: &str = "Sentinelmiddle";
const LAST: &str = "Sentinellast";
const EMAIL: &str = "sentinel.person@sentinel-mail.com";
const PHONE: &str = "+19998887777";
const DOB: &str = "1981-02-03";
const STREET: &str = "17 Sentinel Street";
const STREET2: &str = "Sentinel Suite 9";
const CITY: &str = "Sentinelville";
const POSTAL: &str = "90210-4321";
const SECRET: &str = "sentinel-shared-secret-XYZ";
const PASSWORD: &str = "sentinel-password-ABC";
const TOKEN: &str = "sentinel-token-QRS";

const SENTINELS: [&str; 14] = [
    SSN, FIRST, MIDDLE, LAST, EMAIL, PHONE, DOB, STREET, STREET2, CITY, POSTAL, SECRET, PASSWORD,
    TOKEN,
];

fn today() -> CalendarDate {
    CalendarDate::parse("2026-11-27").unwrap()
}

fn application() -> CreateApplicationRequest {
    CreateApplicationRequest {
        identification_number: SSN.into(),
        identification_type: None,
        name: Name {
            first_name: FIRST.into(),
            middle_name: Some(MIDDLE.into()),
            last_name: LAST.into(),
        },
        email: EMAIL.into(),
        phone_number: PHONE.into(),
        date_of_birth: DOB.into(),
        investment_profile: InvestmentProfile {
            employment_status: EmploymentStatus::Employed,
            income: AnnualIncome::Over250k,
            net_worth: NetWorth::Over5m,
            occupation: Some("Sentinel occupation".into()),
            bd_association: None,
            director_policy_maker_of_company: None,
        },
        agreement_consent: AgreementConsent {
            version: "1".into(),
            timestamp: "2026-01-01T00:00:00Z".into(),
        },
        address: Address {
            street_address: STREET.into(),
            street_address2: Some(STREET2.into()),
            city: CITY.into(),
            postal_code: POSTAL.into(),
            state: Some("CA".into()),
            country: "US".into(),
        },
        citizenship_country: None,
        originally_onboarded_at: None,
    }
}

fn assert_clean(what: &str, text: &str) {
    for s in SENTINELS {
        assert!(!text.contains(s), "{what} leaks a sentinel value: {text}");
    }
}

fn client() -> Client {
    Client::new(ClientConfig::BaseUrl("http://127.0.0.1:9".into()), SECRET).unwrap()
}

#[test]
fn the_valid_sentinel_application_passes_and_only_the_body_carries_it() {
    let app = application();
    assert!(validate_application(&app, today()).is_empty());
    let request = client()
        .create_application(TOKEN, &app, today(), None)
        .unwrap();
    let body = String::from_utf8(request.body.clone()).unwrap();
    for s in [SSN, FIRST, LAST, EMAIL, PHONE, DOB, STREET, CITY] {
        assert!(body.contains(s), "the body carries {s}");
    }
    assert_clean("PreparedRequest Debug", &format!("{request:?}"));
    assert_clean("CreateApplicationRequest Debug", &format!("{app:?}"));
    assert_clean("Name Debug", &format!("{:?}", app.name));
    assert_clean("Address Debug", &format!("{:?}", app.address));
    assert_clean(
        "InvestmentProfile Debug",
        &format!("{:?}", app.investment_profile),
    );
    assert_clean("Client Debug", &format!("{:?}", client()));
    assert_clean(
        "Signer Debug",
        &format!("{:?}", Signer::new(SECRET).unwrap()),
    );
    let login = client().login("user", PASSWORD).unwrap();
    assert_clean("login PreparedRequest Debug", &format!("{login:?}"));
}

#[test]
fn every_validation_error_path_is_clean() {
    // Each field broken in a way that keeps the sentinel inside the rejected value.
    let bad = json!({
        "identification_number": format!("{SSN}-0"),
        "identification_type": format!("{FIRST}_TYPE"),
        "name": {"first_name": FIRST.repeat(5), "middle_name": MIDDLE.repeat(5), "last_name": LAST.repeat(5), FIRST: 1},
        "email": format!("{FIRST} {EMAIL}"),
        "phone_number": format!("{PHONE} ext {LAST}"),
        "date_of_birth": format!("{DOB}T00:00:00Z"),
        "investment_profile": {"employment_status": FIRST, "income": LAST, "net_worth": CITY, "occupation": STREET.repeat(20)},
        "agreement_consent": {"version": 7, "timestamp": DOB},
        "address": {"street_address": STREET.repeat(20), "street_address2": STREET2.repeat(20), "city": CITY.repeat(30),
                    "postal_code": POSTAL.repeat(6), "state": CITY, "country": CITY},
        "citizenship_country": LAST,
        "originally_onboarded_at": EMAIL,
        EMAIL: SSN,
    });
    let errors = validate_application_value(&bad, today());
    assert!(
        errors.len() >= 18,
        "expected many errors, got {}",
        errors.len()
    );
    for e in &errors {
        assert_clean(
            "FieldError",
            &format!("{e:?} {} {} {}", e.path, e.code, e.message),
        );
    }
    let err = client()
        .create_application_value(TOKEN, &bad, today(), None)
        .unwrap_err();
    assert_clean("Error Display", &err.to_string());
    assert_clean("Error Debug", &format!("{err:?}"));
    // A minor with otherwise valid data: the under-age message must not echo the DOB.
    let mut minor = application();
    minor.date_of_birth = "2010-02-03".into();
    let err = client()
        .create_application(TOKEN, &minor, today(), None)
        .unwrap_err();
    assert_eq!(err.field_errors()[0].code, "under_age");
    assert_clean("under-age Display", &err.to_string());
}

#[test]
fn other_error_paths_are_clean() {
    let c = client();
    let errors = [
        c.get_application(TOKEN, &format!("{SSN}/../"), None)
            .unwrap_err(),
        c.apply(
            &format!("{TOKEN}\n"),
            "3f2504e0-4f89-41d3-9a0c-0305e82c3301",
            None,
        )
        .unwrap_err(),
        c.list_agreements(TOKEN, Some(SSN)).unwrap_err(),
        c.upload_document(
            TOKEN,
            "3f2504e0-4f89-41d3-9a0c-0305e82c3301",
            &DocumentType::Selfie,
            "image/png",
            SSN.as_bytes().to_vec(),
            None,
        )
        .unwrap_err(),
        c.upload_document(
            TOKEN,
            "3f2504e0-4f89-41d3-9a0c-0305e82c3301",
            &DocumentType::Selfie,
            CITY,
            b"\x89PNG\r\n\x1a\n".to_vec(),
            None,
        )
        .unwrap_err(),
        c.login(&FIRST.repeat(20), PASSWORD).unwrap_err(),
        c.login("user", &PASSWORD.repeat(10)).unwrap_err(),
        Client::new(ClientConfig::BaseUrl(format!("http://{CITY}.com")), SECRET).unwrap_err(),
        Client::new(
            ClientConfig::Hosted {
                environment: jiko_onboarding::Environment::Sandbox,
                partner: format!("{LAST}!"),
            },
            SECRET,
        )
        .unwrap_err(),
    ];
    for err in errors {
        assert_clean("Error Display", &err.to_string());
        assert_clean("Error Debug", &format!("{err:?}"));
    }
}

#[test]
fn parsed_models_and_server_errors_are_clean() {
    let body = json!({
        "id": "3f2504e0-4f89-41d3-9a0c-0305e82c3301", "status": "DOCUMENTS_NEEDED",
        "name": {"first_name": FIRST, "middle_name": MIDDLE, "last_name": LAST}, "email": EMAIL, "phone_number": PHONE,
        "date_of_birth": {"date_of_birth": DOB},
        "address": {"street_address": STREET, "street_address2": STREET2, "city": CITY, "postal_code": POSTAL, "country": "US"},
        "id_verification_documents_needed": true,
        "identification_number_verification_document_needed": false,
        "address_verification_document_needed": false,
    });
    let app = parse_application(200, &serde_json::to_vec(&body).unwrap()).unwrap();
    assert_clean("Application Debug", &format!("{app:?}"));
    let session = parse_login(
        200,
        format!(r#"{{"token":"{TOKEN}","expires":"2026-11-27T11:00:00Z"}}"#).as_bytes(),
    )
    .unwrap();
    assert_eq!(session.token(), TOKEN);
    assert_clean("Session Debug", &format!("{session:?}"));
    for status in [200u16, 401, 404, 409, 422, 429, 500] {
        let body = format!(
            r#"{{"detail":[{{"loc":["body","{EMAIL}"],"msg":"{SSN} {FIRST}","type":"{LAST} x"}}], "token":"{TOKEN}"}}"#
        );
        let err = parse_application(status, body.as_bytes()).unwrap_err();
        assert_clean("server Error Display", &err.to_string());
        assert_clean("server Error Debug", &format!("{err:?}"));
        let err = parse_login(status, format!("<html>{PASSWORD} {SSN}").as_bytes()).unwrap_err();
        assert_clean("login Error", &format!("{err} {err:?}"));
    }
}

/// Picks `true` when `T: Serialize` (the inherent method applies), `false` otherwise
/// (the trait method is the only candidate left).
struct SerializeProbe<T>(std::marker::PhantomData<T>);

impl<T: serde::Serialize> SerializeProbe<T> {
    fn serializable(&self) -> bool {
        true
    }
}

trait NotSerializable {
    fn serializable(&self) -> bool {
        false
    }
}

impl<T> NotSerializable for SerializeProbe<T> {}

#[test]
fn secrets_zeroize_on_drop_and_cannot_be_serialized() {
    fn zeroizes_on_drop<T: zeroize::ZeroizeOnDrop>() {}
    zeroizes_on_drop::<jiko_onboarding::Secret>();
    // The probe works: a model is serializable.
    assert!(SerializeProbe::<Name>(std::marker::PhantomData).serializable());
    assert!(!SerializeProbe::<jiko_onboarding::Secret>(std::marker::PhantomData).serializable());
    assert!(!SerializeProbe::<Signer>(std::marker::PhantomData).serializable());
    assert!(!SerializeProbe::<Client>(std::marker::PhantomData).serializable());
    assert!(!SerializeProbe::<jiko_onboarding::Session>(std::marker::PhantomData).serializable());
    // And a secret's textual form is redacted.
    let secret = jiko_onboarding::Secret::from(SECRET);
    assert_eq!(format!("{secret:?}"), "Secret(<redacted>)");
}
