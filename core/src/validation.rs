//! Client-side validation of a Create Application body: every problem at once.
//!
//! Validation runs on the JSON shape of the request, so that a form with a missing
//! field, a number where a string belongs and a bad postal code reports all three at
//! once, each with a dotted path and a stable code. Messages name the rule, never the
//! value. It walks the request's schema (`CreateApplicationRequest::FIELDS`, see
//! [`crate::schema`]) in field order: presence, type, length and known enum values come
//! from the table, and each [`Format`] adds its rule: the guide's 9-digit SSN, an applicant
//! at least 18 years old on `today`, US state and ZIP codes for US addresses.
//!
//! Stable codes: `required`, `invalid_type`, `unknown_field`, `too_long`, `too_short`,
//! `invalid_enum`, `invalid_ssn`, `invalid_email`, `invalid_phone`, `invalid_date`,
//! `in_future`, `under_age`, `out_of_range`, `invalid_datetime`, `invalid_country`,
//! `invalid_state`, `invalid_postal_code`, and `invalid_json` for text that is not JSON.

use std::fmt;

use serde_json::Value;

use crate::dates::{CalendarDate, Instant};
use crate::error::FieldError;
use crate::models::{CreateApplicationRequest, IdentificationType};
use crate::schema::{Field, Format, Kind};

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

const OCCUPATION_MIN: usize = 2;
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
    let mut c = Checker {
        errors: Vec::new(),
        today,
    };
    if root.is_object() {
        c.object(root, "", CreateApplicationRequest::FIELDS);
    } else {
        let root = Path {
            parent: "",
            name: "",
        };
        c.push(
            root,
            "invalid_type",
            "the application must be a JSON object",
        );
    }
    c.errors
}

/// Validates Login credentials: both required, at most 128 characters.
pub fn validate_credentials(username: &str, password: &str) -> Vec<FieldError> {
    let mut errors = Vec::new();
    for (field, value) in [("username", username), ("password", password)] {
        if value.is_empty() {
            errors.push(FieldError::new(field, "required", "is required"));
        } else if value.chars().count() > CREDENTIAL_MAX {
            errors.push(FieldError::new(
                field,
                "too_long",
                "must be at most 128 characters",
            ));
        }
    }
    errors
}

struct Checker {
    errors: Vec<FieldError>,
    today: CalendarDate,
}

impl Checker {
    fn push(&mut self, path: Path<'_>, code: &str, message: &str) {
        self.errors
            .push(FieldError::new(path.to_string(), code, message));
    }

    /// An object's fields, in the schema's order, after its unknown keys.
    fn object(&mut self, obj: &Value, parent: &str, fields: &[Field]) {
        self.unknown_fields(obj, parent, fields);
        for field in fields {
            let path = Path {
                parent,
                name: field.name,
            };
            let value = member(obj, field.name).filter(|v| !v.is_null());
            self.field(obj, path, field, value);
        }
    }

    /// Keys that are not part of the schema: most often a typo that would silently
    /// drop data, so they are reported rather than ignored. The key is shown only when
    /// it has the shape of a field name (lower-case snake case); a key that could be a
    /// value (a name, an e-mail, digits) is replaced by `<unknown>`.
    fn unknown_fields(&mut self, obj: &Value, parent: &str, fields: &[Field]) {
        let Some(map) = obj.as_object() else {
            return;
        };
        let mut unknown: Vec<&str> = map
            .keys()
            .map(String::as_str)
            .filter(|key| !fields.iter().any(|f| f.name == *key))
            .collect();
        unknown.sort_unstable();
        for key in unknown {
            let looks_like_a_name = key.len() <= 64
                && key.starts_with(|c: char| c.is_ascii_lowercase())
                && key
                    .bytes()
                    .all(|b| b.is_ascii_lowercase() || b.is_ascii_digit() || b == b'_');
            let shown = if looks_like_a_name { key } else { "<unknown>" };
            self.push(
                Path {
                    parent,
                    name: shown,
                },
                "unknown_field",
                "is not a field of this request",
            );
        }
    }

    /// One field of `obj`: `value` is its member, `None` when missing or null.
    fn field(&mut self, obj: &Value, path: Path<'_>, field: &Field, value: Option<&Value>) {
        let Some(value) = value else {
            return self.absent(obj, path, field);
        };
        match field.kind {
            Kind::Object(fields) => match value {
                Value::Object(_) => self.object(value, &path.to_string(), fields),
                other => self.wrong_type(path, "an object", other),
            },
            Kind::Text | Kind::Enum { .. } => match value {
                // Blank text counts as absent.
                Value::String(text) if text.trim().is_empty() => self.absent(obj, path, field),
                Value::String(text) => self.text(obj, path, field, text),
                other => self.wrong_type(path, "a string", other),
            },
            Kind::Boolean if !value.is_boolean() => self.wrong_type(path, "a boolean", value),
            Kind::List if !value.is_array() => self.wrong_type(path, "an array", value),
            Kind::Boolean | Kind::List | Kind::Any => {}
        }
    }

    /// A field that is missing, null or blank: an error when the schema requires it, or
    /// when its format does here.
    fn absent(&mut self, obj: &Value, path: Path<'_>, field: &Field) {
        let required_here = match field.format {
            Format::UsState => in_us(obj),
            Format::Occupation => employed(obj),
            _ => false,
        };
        if field.required || required_here {
            self.push(path, "required", "is required");
        }
    }

    fn wrong_type(&mut self, path: Path<'_>, expected: &str, value: &Value) {
        let message = format!("must be {expected}, not {}", type_name(value));
        self.push(path, "invalid_type", &message);
    }

    /// A text field that is present and not blank: its length, its known values, then
    /// its format.
    fn text(&mut self, obj: &Value, path: Path<'_>, field: &Field, text: &str) {
        if let Some(max) = field.max_chars {
            if text.chars().count() > max {
                let message = format!("must be at most {max} characters");
                return self.push(path, "too_long", &message);
            }
        }
        if let Kind::Enum { values, list } = field.kind {
            if !values.contains(&text) {
                let message = format!("must be one of {list}");
                return self.push(path, "invalid_enum", &message);
            }
        }
        self.format(obj, path, field.format, text);
    }

    /// The rule of each [`Format`].
    fn format(&mut self, obj: &Value, path: Path<'_>, format: Format, text: &str) {
        match format {
            Format::Plain => {}
            Format::IdentificationNumber => {
                // An SSN unless identification_type names another known kind.
                let other_kind = member(obj, "identification_type")
                    .and_then(Value::as_str)
                    .is_some_and(|t| t != "SSN" && IdentificationType::parse(t).is_known());
                let nine_digits = text.len() == 9 && text.bytes().all(|b| b.is_ascii_digit());
                if !other_kind && !nine_digits {
                    self.push(
                        path,
                        "invalid_ssn",
                        "an SSN must be 9 digits with no dashes or spaces",
                    );
                }
            }
            Format::Email if !is_email(text) => self.push(
                path,
                "invalid_email",
                "must be an e-mail address: a local part, @ and a dotted domain",
            ),
            Format::Phone if !is_phone(text) => self.push(
                path,
                "invalid_phone",
                "must be a phone number in E.164 form: an optional +, then 2 to 15 digits not starting with 0",
            ),
            Format::DateOfBirth => self.date_of_birth(path, text),
            Format::DateTime => self.date_time(path, text),
            Format::Country if !is_country_code(text) => self.push(
                path,
                "invalid_country",
                "must be an ISO 3166 country code such as US",
            ),
            Format::UsState if in_us(obj) && !US_STATE_CODES.contains(&text) => self.push(
                path,
                "invalid_state",
                "must be a two-letter USPS state code such as CA",
            ),
            Format::PostalCode if in_us(obj) && !is_us_postal_code(text) => self.push(
                path,
                "invalid_postal_code",
                "must be a US ZIP code: 5 digits, or 5+4 digits written 12345-6789",
            ),
            Format::Occupation if employed(obj) && text.trim().chars().count() < OCCUPATION_MIN => {
                self.push(path, "too_short", "must be at least 2 characters when employed")
            }
            _ => {}
        }
    }

    fn date_of_birth(&mut self, path: Path<'_>, text: &str) {
        match CalendarDate::parse(text) {
            None => self.push(
                path,
                "invalid_date",
                "must be a calendar date written YYYY-MM-DD",
            ),
            Some(born) if born > self.today => {
                self.push(path, "in_future", "must not be after today")
            }
            Some(born) if !born.is_at_least_years_before(MINIMUM_AGE_YEARS, self.today) => self
                .push(
                    path,
                    "under_age",
                    "the applicant must be at least 18 years old",
                ),
            Some(born) if born.year() < 1900 => {
                self.push(path, "out_of_range", "must be on or after 1900-01-01")
            }
            Some(_) => {}
        }
    }

    fn date_time(&mut self, path: Path<'_>, text: &str) {
        match Instant::parse_rfc3339(text) {
            None => self.push(
                path,
                "invalid_datetime",
                "must be an RFC 3339 date-time with an offset, written YYYY-MM-DDTHH:MM:SS+HH:MM or ending in Z",
            ),
            // `today` is a date without a zone: an instant is "not after today" while
            // today still holds somewhere on Earth, that is before the next day's noon UTC
            // (the end of today at UTC-12).
            Some(instant)
                if instant.unix_seconds
                    >= (self.today.days_since_epoch() + 1) * 86_400 + 12 * 3_600 =>
            {
                self.push(path, "in_future", "must not be after today")
            }
            Some(_) => {}
        }
    }
}

/// Whether the address `obj` is in the US (`country` US or USA, any case).
fn in_us(obj: &Value) -> bool {
    member(obj, "country")
        .and_then(Value::as_str)
        .is_some_and(|c| c.eq_ignore_ascii_case("US") || c.eq_ignore_ascii_case("USA"))
}

/// Whether the investment profile `obj` says EMPLOYED.
fn employed(obj: &Value) -> bool {
    member(obj, "employment_status").and_then(Value::as_str) == Some("EMPLOYED")
}

/// The member `key` of an object; `None` for an absent key or a value that is not an
/// object.
fn member<'a>(obj: &'a Value, key: &str) -> Option<&'a Value> {
    obj.as_object()?.get(key)
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

/// A field's dotted path (`address.postal_code`), written out only for an error.
#[derive(Clone, Copy)]
struct Path<'a> {
    parent: &'a str,
    name: &'a str,
}

impl fmt::Display for Path<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        if self.parent.is_empty() {
            f.write_str(self.name)
        } else {
            write!(f, "{}.{}", self.parent, self.name)
        }
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
