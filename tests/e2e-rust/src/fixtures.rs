//! Made-up applicants for the simulator and Jiko's sandbox. The values are fake but
//! are treated as personal all the same: nothing prints them.

use jiko_onboarding::{
    Address, AgreementConsent, AnnualIncome, CreateApplicationRequest, EmploymentStatus,
    InvestmentProfile, Name, NetWorth,
};

/// A valid 1x1 grey PNG (67 bytes).
pub const PNG_1X1: &[u8] = &[
    0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a, 0x00, 0x00, 0x00, 0x0d, 0x49, 0x48, 0x44, 0x52,
    0x00, 0x00, 0x00, 0x01, 0x00, 0x00, 0x00, 0x01, 0x08, 0x00, 0x00, 0x00, 0x00, 0x3a, 0x7e, 0x9b,
    0x55, 0x00, 0x00, 0x00, 0x0a, 0x49, 0x44, 0x41, 0x54, 0x78, 0x9c, 0x63, 0xf8, 0x0f, 0x00, 0x01,
    0x01, 0x01, 0x00, 0xb1, 0x38, 0xf6, 0x14, 0x00, 0x00, 0x00, 0x00, 0x49, 0x45, 0x4e, 0x44, 0xae,
    0x42, 0x60, 0x82,
];

/// SSNs and the end status the onboarding guide gives them, written out by hand (not
/// computed with the core), for the load test and the soak.
pub const OUTCOME_MIX: &[(&str, &str)] = &[
    ("412345678", "APPROVED"),
    ("512345678", "REJECTED"),
    ("312345678", "MANUAL_REVIEW"),
    ("212345678", "APPROVED"),
    ("231234567", "MANUAL_REVIEW"),
    ("242345678", "APPROVED"),
    ("222345678", "APPROVED"),
    ("211345678", "MANUAL_REVIEW"),
    ("712345678", "MANUAL_REVIEW"),
];

/// An SSN of the same sandbox scenario as `ssn` (its first three digits) made unique by
/// `n`: the simulator counts applications per person, so each applicant of a run needs
/// its own.
pub fn unique_ssn(ssn: &str, n: usize) -> String {
    let prefix = ssn.get(..3).unwrap_or(ssn);
    format!("{prefix}{:06}", n % 1_000_000)
}

/// Fake personal values of [`applicant`], for tests that check none of them leaks.
pub const FIRST_NAME: &str = "Jamie";
/// See [`FIRST_NAME`].
pub const LAST_NAME: &str = "Sampleton";
/// See [`FIRST_NAME`].
pub const PHONE: &str = "+14155550123";
/// See [`FIRST_NAME`].
pub const DATE_OF_BIRTH: &str = "1985-06-15";
/// See [`FIRST_NAME`].
pub const STREET: &str = "1 Testing Lane";
/// See [`FIRST_NAME`].
pub const CITY: &str = "Springfield";
/// See [`FIRST_NAME`].
pub const POSTAL_CODE: &str = "62704";
/// See [`FIRST_NAME`].
pub const OCCUPATION: &str = "Software engineer";

/// The e-mail address of the applicant tagged `tag`.
pub fn email(tag: &str) -> String {
    format!("applicant.{tag}@example.com")
}

/// Every fake personal value of the applicant with this SSN and tag.
pub fn personal_values(ssn: &str, tag: &str) -> Vec<String> {
    vec![
        ssn.to_owned(),
        FIRST_NAME.to_owned(),
        LAST_NAME.to_owned(),
        PHONE.to_owned(),
        DATE_OF_BIRTH.to_owned(),
        STREET.to_owned(),
        CITY.to_owned(),
        POSTAL_CODE.to_owned(),
        OCCUPATION.to_owned(),
        email(tag),
    ]
}

/// A valid adult applicant with this SSN; `tag` makes the e-mail unique, so an
/// application can be told apart from another. The consent is filled in by the flow
/// from the listed bundle.
pub fn applicant(ssn: &str, tag: &str) -> CreateApplicationRequest {
    CreateApplicationRequest {
        identification_number: ssn.to_owned(),
        identification_type: None,
        name: Name {
            first_name: FIRST_NAME.to_owned(),
            middle_name: None,
            last_name: LAST_NAME.to_owned(),
        },
        email: email(tag),
        phone_number: PHONE.to_owned(),
        date_of_birth: DATE_OF_BIRTH.to_owned(),
        investment_profile: InvestmentProfile {
            employment_status: EmploymentStatus::Employed,
            income: AnnualIncome::Between100kAnd250k,
            net_worth: NetWorth::Between200kAnd1m,
            occupation: Some(OCCUPATION.to_owned()),
            bd_association: None,
            director_policy_maker_of_company: None,
        },
        agreement_consent: AgreementConsent {
            version: "1.0.0".to_owned(),
            timestamp: "2024-01-01T12:00:00+00:00".to_owned(),
        },
        address: Address {
            street_address: STREET.to_owned(),
            street_address2: None,
            city: CITY.to_owned(),
            postal_code: POSTAL_CODE.to_owned(),
            state: Some("IL".to_owned()),
            country: "US".to_owned(),
        },
        citizenship_country: Some("US".to_owned()),
        originally_onboarded_at: None,
    }
}
