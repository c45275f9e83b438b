//! The wire form of a validated Create Application body, written straight from its
//! JSON value.
//!
//! Validation has already guaranteed that the value holds only the API's fields, each
//! of the right type, so the body is written in the model's field order (the order
//! `CreateApplicationRequest` serializes in), leaving out nulls, with serde_json's own
//! string escaping. This gives the same bytes as decoding into the typed model and
//! encoding it again, without a second decoder: faster natively, smaller in WebAssembly,
//! and independent of how `serde_json::Map` orders keys in a given build.

use serde_json::{Map, Value};

/// A field and, for an object, its own fields in order.
type Schema = &'static [(&'static str, Option<&'static [&'static str]>)];

const APPLICATION: Schema = &[
    ("identification_number", None),
    ("identification_type", None),
    ("name", Some(&["first_name", "middle_name", "last_name"])),
    ("email", None),
    ("phone_number", None),
    ("date_of_birth", None),
    (
        "investment_profile",
        Some(&[
            "employment_status",
            "income",
            "net_worth",
            "occupation",
            "bd_association",
            "director_policy_maker_of_company",
        ]),
    ),
    ("agreement_consent", Some(&["version", "timestamp"])),
    (
        "address",
        Some(&[
            "street_address",
            "street_address2",
            "city",
            "postal_code",
            "state",
            "country",
        ]),
    ),
    ("citizenship_country", None),
    ("originally_onboarded_at", None),
];

/// Compact JSON of a validated application, or `None` if the value does not have the
/// shape validation guarantees (a caller skipped validation).
pub(crate) fn application_body(value: &Value) -> Option<Vec<u8>> {
    let root = value.as_object()?;
    let mut out = Vec::with_capacity(512);
    out.push(b'{');
    let mut first = true;
    for (key, children) in APPLICATION {
        let Some(field) = root.get(*key).filter(|v| !v.is_null()) else {
            continue;
        };
        separator(&mut out, &mut first);
        write_key(&mut out, key)?;
        match children {
            None => write_string(&mut out, field)?,
            Some(children) => write_object(&mut out, field.as_object()?, children)?,
        }
    }
    out.push(b'}');
    Some(out)
}

fn write_object(out: &mut Vec<u8>, obj: &Map<String, Value>, fields: &[&str]) -> Option<()> {
    out.push(b'{');
    let mut first = true;
    for key in fields {
        let Some(field) = obj.get(*key).filter(|v| !v.is_null()) else {
            continue;
        };
        separator(out, &mut first);
        write_key(out, key)?;
        write_string(out, field)?;
    }
    out.push(b'}');
    Some(())
}

fn separator(out: &mut Vec<u8>, first: &mut bool) {
    if !*first {
        out.push(b',');
    }
    *first = false;
}

fn write_key(out: &mut Vec<u8>, key: &str) -> Option<()> {
    serde_json::to_writer(&mut *out, key).ok()?;
    out.push(b':');
    Some(())
}

fn write_string(out: &mut Vec<u8>, value: &Value) -> Option<()> {
    serde_json::to_writer(&mut *out, value.as_str()?).ok()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::models::CreateApplicationRequest;
    use serde_json::json;

    #[test]
    fn same_bytes_as_the_typed_model() {
        let value = json!({
            "address": {"country": "US", "state": "CA", "postal_code": "94701", "city": "Berkeley",
                        "street_address2": "Bâtiment \"2\"\n", "street_address": "2000 Allston Way"},
            "agreement_consent": {"timestamp": "2023-01-01T12:00:00+00:00", "version": "1"},
            "investment_profile": {"occupation": "Investor", "net_worth": "OVER_5M", "income": "OVER_250K",
                                   "employment_status": "EMPLOYED", "bd_association": "", "director_policy_maker_of_company": null},
            "date_of_birth": "1970-01-01", "phone_number": "+14155550100", "email": "jiko@example.com",
            "name": {"last_name": "Ñúñez", "middle_name": null, "first_name": "Zoë \u{1F680} \u{0007}"},
            "identification_type": "SSN", "identification_number": "999999999",
            "citizenship_country": null, "originally_onboarded_at": "2020-05-01T09:30:00Z",
        });
        let typed: CreateApplicationRequest = serde_json::from_value(value.clone()).unwrap();
        assert_eq!(
            application_body(&value).unwrap(),
            serde_json::to_vec(&typed).unwrap()
        );
    }

    #[test]
    fn unvalidated_shapes_are_refused_not_written() {
        assert!(application_body(&json!([1])).is_none());
        assert!(application_body(&json!({"email": 5})).is_none());
        assert!(application_body(&json!({"name": "x"})).is_none());
    }
}
