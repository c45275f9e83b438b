//! The wire form of a validated Create Application body, written straight from its
//! JSON tree (a `serde_json::Value` or the borrowed [`Json`](crate::json::Json)).
//!
//! Validation has already guaranteed that the value holds only the API's fields, each
//! of the right type, so the body is written in the model's field order (the order
//! `CreateApplicationRequest` serializes in), leaving out nulls, with serde_json's own
//! string escaping. This gives the same bytes as decoding into the typed model and
//! encoding it again, without a second decoder: faster natively, smaller in WebAssembly,
//! and independent of how `serde_json::Map` orders keys in a given build.

use std::borrow::Cow;

use crate::json::{Json, JsonTree};
use crate::scan::same_key;

/// The fields of a Create Application body, in the order `CreateApplicationRequest`
/// serializes them: what validation accepts (anything else is `unknown_field`) and the
/// order the body is written in.
pub(crate) const APPLICATION_FIELDS: [&str; 11] = [
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
/// The fields of `name`, in order.
pub(crate) const NAME_FIELDS: [&str; 3] = ["first_name", "middle_name", "last_name"];
/// The fields of `investment_profile`, in order.
pub(crate) const PROFILE_FIELDS: [&str; 6] = [
    "employment_status",
    "income",
    "net_worth",
    "occupation",
    "bd_association",
    "director_policy_maker_of_company",
];
/// The fields of `agreement_consent`, in order.
pub(crate) const CONSENT_FIELDS: [&str; 2] = ["version", "timestamp"];
/// The fields of `address`, in order.
pub(crate) const ADDRESS_FIELDS: [&str; 6] = [
    "street_address",
    "street_address2",
    "city",
    "postal_code",
    "state",
    "country",
];

/// The fields of a field that is an object; `None` for a string field.
fn object_fields(field: &str) -> Option<&'static [&'static str]> {
    match field {
        "name" => Some(&NAME_FIELDS),
        "investment_profile" => Some(&PROFILE_FIELDS),
        "agreement_consent" => Some(&CONSENT_FIELDS),
        "address" => Some(&ADDRESS_FIELDS),
        _ => None,
    }
}

/// Compact JSON of a validated application, or `None` if the value does not have the
/// shape validation guarantees (a caller skipped validation).
pub(crate) fn application_body<T: JsonTree>(root: &T) -> Option<Vec<u8>> {
    if !root.is_object() {
        return None;
    }
    let mut out = Vec::with_capacity(512);
    out.push(b'{');
    let mut first = true;
    for key in APPLICATION_FIELDS {
        let Some(field) = root.member(key).filter(|v| !v.is_null()) else {
            continue;
        };
        separator(&mut out, &mut first);
        write_key(&mut out, key);
        match object_fields(key) {
            None => write_string(&mut out, field)?,
            Some(children) => write_object(&mut out, field, children)?,
        }
    }
    out.push(b'}');
    Some(out)
}

/// Whether a compact text (no whitespace between tokens) read into `root` already is
/// the body [`application_body`] writes for it, so that the body can be the text itself.
/// It is when every object's members come in the model's field order (so none repeats
/// and none is unknown), none is null, every string field is a string written without
/// escapes and every object field an object: the writer would copy each of them as it
/// is. `JSON.stringify` of an application built in the order of the API reference's
/// fields gives such a text; anything else is written by [`application_body`].
pub(crate) fn is_canonical(root: &Json<'_>) -> bool {
    members_in_order(root, &APPLICATION_FIELDS, true)
}

fn members_in_order(obj: &Json<'_>, names: &[&str], root: bool) -> bool {
    let Json::Object(members) = obj else {
        return false;
    };
    let mut next = 0;
    for (key, value) in members {
        // A key with an escape is not written as it is.
        let Cow::Borrowed(key) = key else {
            return false;
        };
        // The member must be a later field than the one before it.
        let later = names.get(next..).unwrap_or_default();
        let Some(offset) = later.iter().position(|name| same_key(key, name)) else {
            return false;
        };
        next += offset + 1;
        let fields = if root { object_fields(key) } else { None };
        let as_written = match (value, fields) {
            (Json::String(Cow::Borrowed(_)), None) => true,
            (Json::Object(_), Some(names)) => members_in_order(value, names, false),
            _ => false,
        };
        if !as_written {
            return false;
        }
    }
    true
}

fn write_object<T: JsonTree>(out: &mut Vec<u8>, obj: &T, fields: &[&str]) -> Option<()> {
    if !obj.is_object() {
        return None;
    }
    out.push(b'{');
    let mut first = true;
    for key in fields {
        let Some(field) = obj.member(key).filter(|v| !v.is_null()) else {
            continue;
        };
        separator(out, &mut first);
        write_key(out, key);
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

/// A field name of the schema: snake case ASCII, which JSON writes as is (the
/// byte-for-byte test against the typed model checks it).
fn write_key(out: &mut Vec<u8>, key: &str) {
    out.push(b'"');
    out.extend_from_slice(key.as_bytes());
    out.extend_from_slice(b"\":");
}

fn write_string<T: JsonTree>(out: &mut Vec<u8>, value: &T) -> Option<()> {
    match value.as_plain_str() {
        // Most strings of a text body: copied without looking at each byte.
        Some(plain) => {
            out.reserve(plain.len() + 2);
            out.push(b'"');
            out.extend_from_slice(plain.as_bytes());
            out.push(b'"');
        }
        None => write_json_string(out, value.as_str()?),
    }
    Some(())
}

/// Whether JSON writes `text` with at least one escape.
pub(crate) fn needs_escaping(text: &str) -> bool {
    text.bytes().any(|b| ESCAPE[usize::from(b)] != 0)
}

/// `text` as a JSON string, escaped exactly as serde_json escapes it (`\"`, `\\`, the
/// short escapes `\b \f \n \r \t`, other control characters as lower-case `\u00XX`,
/// everything else as is). Runs of plain bytes are copied at once: this is the hot loop
/// of writing a body, and serde_json's writer, built for size in WebAssembly, copies
/// them several times more slowly.
pub(crate) fn write_json_string(out: &mut Vec<u8>, text: &str) {
    let bytes = text.as_bytes();
    out.reserve(bytes.len() + 2);
    out.push(b'"');
    let mut plain = 0;
    for (i, &b) in bytes.iter().enumerate() {
        // One table load per byte: 0 for the (common) bytes written as they are.
        let escape = ESCAPE[usize::from(b)];
        if escape == 0 {
            continue;
        }
        out.extend_from_slice(bytes.get(plain..i).unwrap_or_default());
        plain = i + 1;
        if escape == b'u' {
            let hex = |n: u8| HEX[usize::from(n & 0x0f)];
            out.extend_from_slice(&[b'\\', b'u', b'0', b'0', hex(b >> 4), hex(b)]);
        } else {
            out.extend_from_slice(&[b'\\', escape]);
        }
    }
    out.extend_from_slice(bytes.get(plain..).unwrap_or_default());
    out.push(b'"');
}

const HEX: &[u8; 16] = b"0123456789abcdef";

/// For each byte: 0 if it is written as is, the letter of its short escape, or `u` for
/// `\u00XX`.
const ESCAPE: [u8; 256] = {
    let mut table = [0u8; 256];
    let mut b = 0;
    while b < 0x20 {
        table[b] = b'u';
        b += 1;
    }
    table[0x08] = b'b';
    table[0x0c] = b'f';
    table[b'\n' as usize] = b'n';
    table[b'\r' as usize] = b'r';
    table[b'\t' as usize] = b't';
    table[b'"' as usize] = b'"';
    table[b'\\' as usize] = b'\\';
    table
};

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
    fn strings_are_escaped_as_serde_json_escapes_them() {
        let mut every_ascii: String = (0u8..=0x7f).map(char::from).collect();
        every_ascii.push_str("é \u{2028} \u{1F680} \\\" end");
        for text in [
            "",
            "plain",
            "\"",
            "\\",
            "a\u{0}b",
            "\u{7f}",
            every_ascii.as_str(),
        ] {
            let mut ours = Vec::new();
            write_json_string(&mut ours, text);
            assert_eq!(ours, serde_json::to_vec(text).unwrap(), "{text:?}");
        }
    }

    #[test]
    fn field_names_need_no_escaping() {
        let lists: [&[&str]; 5] = [
            &APPLICATION_FIELDS,
            &NAME_FIELDS,
            &PROFILE_FIELDS,
            &CONSENT_FIELDS,
            &ADDRESS_FIELDS,
        ];
        for key in lists.into_iter().flatten() {
            let mut ours = Vec::new();
            write_key(&mut ours, key);
            assert_eq!(
                ours,
                format!("{}:", serde_json::to_string(key).unwrap()).into_bytes()
            );
        }
    }

    #[test]
    fn canonical_texts_are_what_the_writer_writes() {
        let canonical = r#"{"identification_number":"999999999","name":{"first_name":"Zoë","last_name":"O'Brien"},"email":"jiko@example.com","address":{"street_address":"1 Main St","country":"USA"}}"#;
        let cases = [
            (canonical.to_owned(), true),
            // Whitespace, a repeated or unknown key, another order, a null, an escape
            // in a value or a key, a number, an object where a string belongs.
            (canonical.replace(",\"email\"", ", \"email\""), false),
            (canonical.replace("}}", "},\"email\":\"a@b.co\"}"), false),
            (canonical.replace("}}", "},\"nickname\":\"x\"}"), false),
            (canonical.replace(r#""name":{"first_name":"Zoë","last_name":"O'Brien"},"email":"jiko@example.com""#, r#""email":"jiko@example.com","name":{"first_name":"Zoë","last_name":"O'Brien"}"#), false),
            (canonical.replace(r#""first_name":"Zoë","last_name":"O'Brien""#, r#""last_name":"O'Brien","first_name":"Zoë""#), false),
            (canonical.replace(r#""email""#, r#""middle":null,"email""#), false),
            (canonical.replace(r#","last_name""#, r#","middle_name":null,"last_name""#), false),
            (canonical.replace("Zoë", "Zo\\u00eb"), false),
            (canonical.replace("Zoë", "Zo\\\"e"), false),
            (canonical.replace("\"email\"", "\"em\\u0061il\""), false),
            (canonical.replace("\"999999999\"", "999999999"), false),
            (canonical.replace("\"jiko@example.com\"", "{}"), false),
            (canonical.replace(r#"{"first_name":"Zoë","last_name":"O'Brien"}"#, "\"Zoë\""), false),
        ];
        for (text, expected) in cases {
            let (tree, compact) = Json::parse_compact(text.as_bytes()).unwrap();
            assert_eq!(compact && is_canonical(&tree), expected, "{text}");
            if expected {
                // What the writer writes from the tree, and from serde_json's value.
                assert_eq!(application_body(&tree).unwrap(), text.as_bytes());
                let value: serde_json::Value = serde_json::from_str(&text).unwrap();
                assert_eq!(application_body(&value).unwrap(), text.as_bytes());
            }
        }
    }

    #[test]
    fn unvalidated_shapes_are_refused_not_written() {
        assert!(application_body(&json!([1])).is_none());
        assert!(application_body(&json!({"email": 5})).is_none());
        assert!(application_body(&json!({"name": "x"})).is_none());
    }
}
