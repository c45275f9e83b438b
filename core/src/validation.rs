//! Client-side validation of a Create Application body: every problem at once.
//!
//! Validation runs on the JSON shape of the request, so that a form with a missing
//! field, a number where a string belongs and a bad postal code reports all three at
//! once, each with a dotted path and a stable code. Messages name the rule, never the
//! value. The rules are the API reference's limits plus the guide's: a 9-digit SSN, an
//! applicant at least 18 years old on `today`, US state and ZIP codes for US addresses.
//!
//! Stable codes: `required`, `invalid_type`, `unknown_field`, `too_long`, `too_short`,
//! `invalid_enum`, `invalid_ssn`, `invalid_email`, `invalid_phone`, `invalid_date`,
//! `in_future`, `under_age`, `out_of_range`, `invalid_datetime`, `invalid_country`,
//! `invalid_state`, `invalid_postal_code`, and `invalid_json` for text that is not JSON.

use serde_json::Value;

use crate::dates::{CalendarDate, Instant};
use crate::error::FieldError;
use crate::models::{
    AnnualIncome, CreateApplicationRequest, EmploymentStatus, IdentificationType, NetWorth,
};

/// Minimum age of an applicant, in years.
pub const MINIMUM_AGE_YEARS: u16 = 18;

/// The 57 USPS codes of the API's `State` enum, including military (AA, AE, AP) and
/// territories (GU, PR, VI).
pub const US_STATE_CODES: [&str; 57] = [
    "AA", "AE", "AP", "AK", "AL", "AR", "AZ", "CA", "CO", "CT", "DC", "DE", "FL", "GA", "GU", "HI",
    "IA", "ID", "IL", "IN", "KS", "KY", "LA", "MA", "MD", "ME", "MI", "MN", "MO", "MS", "MT", "NC",
    "ND", "NE", "NH", "NJ", "NM", "NV", "NY", "OH", "OK", "OR", "PA", "PR", "RI", "SC", "SD", "TN",
    "TX", "UT", "VA", "VI", "VT", "WA", "WI", "WV", "WY",
];

const APPLICATION_FIELDS: [&str; 11] = [
    "identification_number",
    "identification_type",
    "name",
    "email",
    "phone_number",
    "date_of_birth",
    "investment_profile",
    "agreement_consent",
    "address",
    "citizenship_country",
    "originally_onboarded_at",
];
const NAME_FIELDS: [&str; 3] = ["first_name", "middle_name", "last_name"];
const PROFILE_FIELDS: [&str; 6] = [
    "employment_status",
    "income",
    "net_worth",
    "occupation",
    "bd_association",
    "director_policy_maker_of_company",
];
const CONSENT_FIELDS: [&str; 2] = ["version", "timestamp"];
const ADDRESS_FIELDS: [&str; 6] = [
    "street_address",
    "street_address2",
    "city",
    "postal_code",
    "state",
    "country",
];

const NAME_MAX: usize = 50;
const ADDRESS_LINE_MAX: usize = 250;
const POSTAL_CODE_MAX: usize = 50;
const PROFILE_TEXT_MAX: usize = 200;
const OCCUPATION_MIN: usize = 2;
const EMAIL_MAX: usize = 254;
const CREDENTIAL_MAX: usize = 128;

/// Validates a typed request. See [`validate_application_value`] for the rules.
pub fn validate_application(
    app: &CreateApplicationRequest,
    today: CalendarDate,
) -> Vec<FieldError> {
    match serde_json::to_value(app) {
        Ok(value) => validate_application_value(&value, today),
        Err(_) => vec![FieldError::new(
            "",
            "invalid_type",
            "the application could not be encoded as JSON",
        )],
    }
}

/// Validates a Create Application body given as JSON text, for hosts that hold a JSON
/// string. Text that is not JSON gives one `invalid_json` error.
pub fn validate_application_json(json: &[u8], today: CalendarDate) -> Vec<FieldError> {
    match serde_json::from_slice::<Value>(json) {
        Ok(value) => validate_application_value(&value, today),
        Err(_) => vec![not_json()],
    }
}

/// The one error of text that is not a JSON document.
pub(crate) fn not_json() -> FieldError {
    FieldError::new("", "invalid_json", "the application is not a JSON document")
}

/// Validates the JSON form of a Create Application body, as a binding receives it from
/// a JavaScript object or a Python dict. Returns every problem, in field order.
pub fn validate_application_value(root: &Value, today: CalendarDate) -> Vec<FieldError> {
    let mut c = Checker::default();
    if !root.is_object() {
        c.push("", "invalid_type", "the application must be a JSON object");
        return c.errors;
    }
    c.unknown_fields(root, "", &APPLICATION_FIELDS);

    // identification_type first: it decides the rule for identification_number.
    let id_type = c.enumeration(root, "", "identification_type", false, |s| {
        IdentificationType::parse(s).is_known()
    });
    if let Some(number) = c.string(root, "", "identification_number", true, None) {
        let is_ssn = id_type.is_none_or(|t| t == "SSN");
        if is_ssn && !(number.len() == 9 && number.bytes().all(|b| b.is_ascii_digit())) {
            c.push(
                "identification_number",
                "invalid_ssn",
                "an SSN must be 9 digits with no dashes or spaces",
            );
        }
    }

    if let Some(name) = c.object(root, "", "name", true) {
        c.unknown_fields(name, "name", &NAME_FIELDS);
        c.string(name, "name", "first_name", true, Some(NAME_MAX));
        c.string(name, "name", "middle_name", false, Some(NAME_MAX));
        c.string(name, "name", "last_name", true, Some(NAME_MAX));
    }

    if let Some(email) = c.string(root, "", "email", true, Some(EMAIL_MAX)) {
        if !is_email(email) {
            c.push(
                "email",
                "invalid_email",
                "must be an e-mail address: a local part, @ and a dotted domain",
            );
        }
    }

    if let Some(phone) = c.string(root, "", "phone_number", true, None) {
        if !is_phone(phone) {
            c.push(
                "phone_number",
                "invalid_phone",
                "must be a phone number in E.164 form: an optional +, then 2 to 15 digits not starting with 0",
            );
        }
    }

    if let Some(dob) = c.string(root, "", "date_of_birth", true, None) {
        match CalendarDate::parse(dob) {
            None => c.push(
                "date_of_birth",
                "invalid_date",
                "must be a calendar date written YYYY-MM-DD",
            ),
            Some(born) if born > today => {
                c.push("date_of_birth", "in_future", "must not be after today")
            }
            Some(born) if !born.is_at_least_years_before(MINIMUM_AGE_YEARS, today) => c.push(
                "date_of_birth",
                "under_age",
                "the applicant must be at least 18 years old",
            ),
            Some(born) if born.year() < 1900 => c.push(
                "date_of_birth",
                "out_of_range",
                "must be on or after 1900-01-01",
            ),
            Some(_) => {}
        }
    }

    if let Some(profile) = c.object(root, "", "investment_profile", true) {
        let p = "investment_profile";
        c.unknown_fields(profile, p, &PROFILE_FIELDS);
        let status = c.enumeration(profile, p, "employment_status", true, |s| {
            EmploymentStatus::parse(s).is_known()
        });
        c.enumeration(profile, p, "income", true, |s| {
            AnnualIncome::parse(s).is_known()
        });
        c.enumeration(profile, p, "net_worth", true, |s| {
            NetWorth::parse(s).is_known()
        });
        let employed = status == Some("EMPLOYED");
        if let Some(occupation) =
            c.string(profile, p, "occupation", employed, Some(PROFILE_TEXT_MAX))
        {
            if employed && occupation.trim().chars().count() < OCCUPATION_MIN {
                c.push(
                    "investment_profile.occupation",
                    "too_short",
                    "must be at least 2 characters when employed",
                );
            }
        }
        c.string(profile, p, "bd_association", false, Some(PROFILE_TEXT_MAX));
        c.string(
            profile,
            p,
            "director_policy_maker_of_company",
            false,
            Some(PROFILE_TEXT_MAX),
        );
    }

    if let Some(consent) = c.object(root, "", "agreement_consent", true) {
        let p = "agreement_consent";
        c.unknown_fields(consent, p, &CONSENT_FIELDS);
        c.string(consent, p, "version", true, None);
        c.timestamp(consent, p, "timestamp", true, today);
    }

    if let Some(address) = c.object(root, "", "address", true) {
        let p = "address";
        c.unknown_fields(address, p, &ADDRESS_FIELDS);
        c.string(address, p, "street_address", true, Some(ADDRESS_LINE_MAX));
        c.string(address, p, "street_address2", false, Some(ADDRESS_LINE_MAX));
        c.string(address, p, "city", true, Some(ADDRESS_LINE_MAX));
        let postal = c.string(address, p, "postal_code", true, Some(POSTAL_CODE_MAX));
        let country = c.string(address, p, "country", true, None);
        if let Some(country) = country {
            if !is_country_code(country) {
                c.push(
                    "address.country",
                    "invalid_country",
                    "must be an ISO 3166 country code such as US",
                );
            }
        }
        let in_us =
            country.is_some_and(|c| c.eq_ignore_ascii_case("US") || c.eq_ignore_ascii_case("USA"));
        let state = c.string(address, p, "state", in_us, None);
        if in_us {
            if let Some(state) = state {
                if !US_STATE_CODES.contains(&state) {
                    c.push(
                        "address.state",
                        "invalid_state",
                        "must be a two-letter USPS state code such as CA",
                    );
                }
            }
            if let Some(postal) = postal {
                if !is_us_postal_code(postal) {
                    c.push(
                        "address.postal_code",
                        "invalid_postal_code",
                        "must be a US ZIP code: 5 digits, or 5+4 digits written 12345-6789",
                    );
                }
            }
        }
    }

    if let Some(citizenship) = c.string(root, "", "citizenship_country", false, None) {
        if !is_country_code(citizenship) {
            c.push(
                "citizenship_country",
                "invalid_country",
                "must be an ISO 3166 country code such as US",
            );
        }
    }
    c.timestamp(root, "", "originally_onboarded_at", false, today);

    c.errors
}

/// Validates Login credentials: both required, at most 128 characters.
pub fn validate_credentials(username: &str, password: &str) -> Vec<FieldError> {
    let mut c = Checker::default();
    for (field, value) in [("username", username), ("password", password)] {
        if value.is_empty() {
            c.push(field, "required", "is required");
        } else if value.chars().count() > CREDENTIAL_MAX {
            c.push(field, "too_long", "must be at most 128 characters");
        }
    }
    c.errors
}

#[derive(Default)]
struct Checker {
    errors: Vec<FieldError>,
}

/// The member `key` of an object; `None` for an absent key or a value that is not an
/// object.
fn member<'a>(obj: &'a Value, key: &str) -> Option<&'a Value> {
    obj.as_object()?.get(key)
}

/// The keys of an object that are not in `known`, sorted.
fn unknown_keys<'a>(obj: &'a Value, known: &[&str]) -> Vec<&'a str> {
    let mut keys: Vec<&str> = obj
        .as_object()
        .map(|map| {
            map.keys()
                .map(String::as_str)
                .filter(|k| !known.contains(k))
                .collect()
        })
        .unwrap_or_default();
    keys.sort_unstable();
    keys
}

/// "a string", "an object", ... for messages.
fn type_name(value: &Value) -> &'static str {
    match value {
        Value::Null => "null",
        Value::Bool(_) => "a boolean",
        Value::Number(_) => "a number",
        Value::String(_) => "a string",
        Value::Array(_) => "an array",
        Value::Object(_) => "an object",
    }
}

fn join(parent: &str, key: &str) -> String {
    if parent.is_empty() {
        key.to_owned()
    } else {
        format!("{parent}.{key}")
    }
}

impl Checker {
    fn push(&mut self, path: &str, code: &str, message: &str) {
        self.errors.push(FieldError::new(path, code, message));
    }

    /// Keys that are not part of the schema: most often a typo that would silently
    /// drop data, so they are reported rather than ignored. The key is shown only when
    /// it has the shape of a field name (lower-case snake case); a key that could be a
    /// value (a name, an e-mail, digits) is replaced by `<unknown>`.
    fn unknown_fields(&mut self, obj: &Value, parent: &str, known: &[&str]) {
        for key in unknown_keys(obj, known) {
            let shown: String = if key.len() <= 64
                && key.starts_with(|c: char| c.is_ascii_lowercase())
                && key
                    .bytes()
                    .all(|b| b.is_ascii_lowercase() || b.is_ascii_digit() || b == b'_')
            {
                key.to_owned()
            } else {
                "<unknown>".to_owned()
            };
            self.push(
                &join(parent, &shown),
                "unknown_field",
                "is not a field of this request",
            );
        }
    }

    fn object<'a>(
        &mut self,
        obj: &'a Value,
        parent: &str,
        key: &str,
        required: bool,
    ) -> Option<&'a Value> {
        match member(obj, key).filter(|v| !v.is_null()) {
            None => {
                if required {
                    self.push(&join(parent, key), "required", "is required");
                }
                None
            }
            Some(value) if value.is_object() => Some(value),
            Some(other) => {
                let message = format!("must be an object, not {}", type_name(other));
                self.push(&join(parent, key), "invalid_type", &message);
                None
            }
        }
    }

    /// A string field: `required` when missing, null or blank; `too_long` over `max`
    /// characters (Unicode scalar values). Returns the string when it is usable.
    fn string<'a>(
        &mut self,
        obj: &'a Value,
        parent: &str,
        key: &str,
        required: bool,
        max: Option<usize>,
    ) -> Option<&'a str> {
        let path = || join(parent, key);
        let value = member(obj, key).filter(|v| !v.is_null());
        match value.map(|v| (v, v.as_str())) {
            None => {
                if required {
                    self.push(&path(), "required", "is required");
                }
                None
            }
            Some((_, Some(s))) => {
                if s.trim().is_empty() {
                    if required {
                        self.push(&path(), "required", "is required");
                    }
                    return None;
                }
                if let Some(max) = max {
                    if s.chars().count() > max {
                        let message = format!("must be at most {max} characters");
                        self.push(&path(), "too_long", &message);
                        return None;
                    }
                }
                Some(s)
            }
            Some((other, None)) => {
                let message = format!("must be a string, not {}", type_name(other));
                self.push(&path(), "invalid_type", &message);
                None
            }
        }
    }

    fn enumeration<'a>(
        &mut self,
        obj: &'a Value,
        parent: &str,
        key: &str,
        required: bool,
        known: impl Fn(&str) -> bool,
    ) -> Option<&'a str> {
        let value = self.string(obj, parent, key, required, None)?;
        if known(value) {
            Some(value)
        } else {
            let allowed = allowed_values(key);
            let message = format!("must be one of {allowed}");
            self.push(&join(parent, key), "invalid_enum", &message);
            None
        }
    }

    fn timestamp(
        &mut self,
        obj: &Value,
        parent: &str,
        key: &str,
        required: bool,
        today: CalendarDate,
    ) {
        let Some(text) = self.string(obj, parent, key, required, None) else {
            return;
        };
        match Instant::parse_rfc3339(text) {
            None => self.push(
                &join(parent, key),
                "invalid_datetime",
                "must be an RFC 3339 date-time with an offset, written YYYY-MM-DDTHH:MM:SS+HH:MM or ending in Z",
            ),
            // `today` is a date without a zone: an instant is "not after today" while
            // today still holds somewhere on Earth, that is before the next day's noon UTC
            // (the end of today at UTC-12).
            Some(instant)
                if instant.unix_seconds >= (today.days_since_epoch() + 1) * 86_400 + 12 * 3_600 =>
            {
                self.push(&join(parent, key), "in_future", "must not be after today")
            }
            Some(_) => {}
        }
    }
}

/// The allowed values of an enumerated field, joined at compile time (building the list
/// at run time cost more WebAssembly than the text itself).
fn allowed_values(key: &str) -> &'static str {
    match key {
        "identification_type" => IdentificationType::KNOWN_LIST,
        "employment_status" => EmploymentStatus::KNOWN_LIST,
        "income" => AnnualIncome::KNOWN_LIST,
        "net_worth" => NetWorth::KNOWN_LIST,
        _ => "",
    }
}

/// `^\+?[1-9]\d{1,14}$`: the API's pattern, with the `+` optional as the guide's example
/// (`15551234567`) leaves it out.
pub fn is_phone(text: &str) -> bool {
    let digits = text.strip_prefix('+').unwrap_or(text).as_bytes();
    (2..=15).contains(&digits.len())
        && digits[0] != b'0'
        && digits.iter().all(|b| b.is_ascii_digit())
}

/// A practical e-mail check: one local part and a dotted domain, no spaces or controls.
pub fn is_email(text: &str) -> bool {
    let Some((local, domain)) = text.rsplit_once('@') else {
        return false;
    };
    if local.is_empty() || local.len() > 64 || domain.len() > 253 {
        return false;
    }
    let forbidden = |c: char| c.is_whitespace() || c.is_control() || "\"(),:;<>@[\\]".contains(c);
    if local.chars().any(forbidden)
        || local.starts_with('.')
        || local.ends_with('.')
        || local.contains("..")
    {
        return false;
    }
    let labels: Vec<&str> = domain.split('.').collect();
    let label_ok = |l: &&str| {
        !l.is_empty()
            && l.len() <= 63
            && !l.starts_with('-')
            && !l.ends_with('-')
            && l.chars().all(|c| c.is_alphanumeric() || c == '-')
    };
    // The last label, the top-level domain, is at least two letters or digits.
    let tld_ok = labels
        .last()
        .is_some_and(|t| t.chars().count() >= 2 && t.chars().all(char::is_alphanumeric));
    labels.len() >= 2 && labels.iter().all(label_ok) && tld_ok
}

/// Two or three upper-case letters (`US`; the guide's example sends `USA`).
fn is_country_code(text: &str) -> bool {
    (2..=3).contains(&text.len()) && text.bytes().all(|b| b.is_ascii_uppercase())
}

/// `12345` or `12345-6789`.
pub fn is_us_postal_code(text: &str) -> bool {
    let b = text.as_bytes();
    let five = |s: &[u8]| s.iter().all(u8::is_ascii_digit);
    match b.len() {
        5 => five(b),
        10 => five(&b[..5]) && b[5] == b'-' && five(&b[6..]),
        _ => false,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn phone_pattern() {
        for ok in ["+14155550100", "15551234567", "+12", "123456789012345"] {
            assert!(is_phone(ok), "{ok}");
        }
        for bad in [
            "",
            "+",
            "1",
            "+0123",
            "0123",
            "+1 415 555",
            "1234567890123456",
            "+1-415",
        ] {
            assert!(!is_phone(bad), "{bad}");
        }
    }

    #[test]
    fn email_syntax() {
        for ok in ["jiko@example.com", "a.b+c@sub.example.co", "x@exämple.de"] {
            assert!(is_email(ok), "{ok}");
        }
        for bad in [
            "",
            "jiko",
            "jiko@",
            "@example.com",
            "a b@example.com",
            "a@example",
            "a@-x.com",
            "a..b@example.com",
            "a@example.c",
            "a@b.-",
            "a@b..com",
            "a@b.com.",
        ] {
            assert!(!is_email(bad), "{bad}");
        }
        // Length limits: 64 for the local part, 63 per label, 253 for the domain.
        assert!(is_email(&format!("{}@example.com", "a".repeat(64))));
        assert!(!is_email(&format!("{}@example.com", "a".repeat(65))));
        assert!(is_email(&format!("a@{}.com", "b".repeat(63))));
        assert!(!is_email(&format!("a@{}.com", "b".repeat(64))));
        assert!(is_email(&format!("a@{}", ["bcd"; 63].join("."))));
        assert!(!is_email(&format!("a@{}", ["bcd"; 64].join("."))));
        assert!(is_email("a@b.c1"));
    }

    #[test]
    fn us_postal_codes() {
        assert!(is_us_postal_code("94701"));
        assert!(is_us_postal_code("94701-1234"));
        for bad in ["9470", "947011", "94701-123", "94701 1234", "ABCDE"] {
            assert!(!is_us_postal_code(bad), "{bad}");
        }
    }
}
