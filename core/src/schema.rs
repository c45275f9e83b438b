//! The wire records, each declared once.
//!
//! `wire_struct!` declares a record from one list of fields in wire order: each field's
//! Rust type, its wire name when it differs from the Rust name, whether it is required
//! and, for text, its length limit and [`Format`]. From that list it emits
//! - the struct, with the serde attributes its derived `Serialize` reads: a request body
//!   is written in this order, its absent optional fields left out;
//! - its `Deserialize` (see `decode.rs`);
//! - `FIELDS`, the same list as a table of [`Field`]s, which validation walks.
//!
//! So a field added to a record is written, decoded and validated with no other change,
//! and no second list of the Create Application fields exists anywhere.

/// One field of a wire record.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
#[non_exhaustive]
pub struct Field {
    /// The name on the wire.
    pub name: &'static str,
    /// Whether the field must be present (and, for text, not blank).
    pub required: bool,
    /// For text: at most this many characters (Unicode scalar values).
    pub max_chars: Option<usize>,
    /// For text: the rule its value follows beyond type and length.
    pub format: Format,
    /// The JSON value the field holds.
    pub kind: Kind,
}

/// The JSON value a field holds.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
#[non_exhaustive]
pub enum Kind {
    /// A string.
    Text,
    /// A string, one of `values` (`list` is the same values for messages). Responses
    /// keep values the SDK does not know; requests must use known ones.
    Enum {
        /// The known values.
        values: &'static [&'static str],
        /// The known values separated by `, `.
        list: &'static str,
    },
    /// An object with these fields.
    Object(&'static [Field]),
    /// `true` or `false`.
    Boolean,
    /// An array.
    List,
    /// A value its type decodes in more than one shape (a date of birth sent flat or
    /// nested, an error location's name or index).
    Any,
}

/// The rule a text field's value follows beyond type and length (applied by
/// `validation.rs`, which documents each).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
#[non_exhaustive]
pub enum Format {
    /// Any text.
    Plain,
    /// Nine digits when `identification_type` is SSN or absent.
    IdentificationNumber,
    /// An e-mail address.
    Email,
    /// A phone number, E.164 with the `+` optional.
    Phone,
    /// A calendar date, the applicant at least 18 years old on `today`.
    DateOfBirth,
    /// An RFC 3339 date-time with an offset, not after `today`.
    DateTime,
    /// An ISO 3166 country code.
    Country,
    /// Required in a US address, and a USPS state code there.
    UsState,
    /// A ZIP code in a US address.
    PostalCode,
    /// Required, and at least 2 characters, when `employment_status` is EMPLOYED.
    Occupation,
}

/// The [`Kind`] of a field's Rust type.
pub(crate) trait WireKind {
    const KIND: Kind;
}

impl WireKind for String {
    const KIND: Kind = Kind::Text;
}

impl WireKind for bool {
    const KIND: Kind = Kind::Boolean;
}

impl<T: WireKind> WireKind for Option<T> {
    const KIND: Kind = T::KIND;
}

impl<T> WireKind for Vec<T> {
    const KIND: Kind = Kind::List;
}

/// Declares a wire record. Each field is
/// `name: Type [= "wire name"], presence [, max N] [, format Format];`
/// where presence is
/// - `required`: present on the wire; a missing key is a decoding error;
/// - `optional`: the field is an `Option<Type>`, left out of the JSON when `None`;
/// - `default`: a missing key decodes as `Type::default()` (`#[serde(default)]`);
/// - `null_default`: a missing key or `null` decodes as `Type::default()`.
///
/// Attributes before the struct (derives, docs) and before each field (docs) are kept.
macro_rules! wire_struct {
    // Helpers, in expression and type position.
    (@name $field:ident) => { stringify!($field) };
    (@name $field:ident $wire:literal) => { $wire };
    (@required required) => { true };
    (@required $presence:ident) => { false };
    (@max) => { None };
    (@max $max:literal) => { Some($max) };
    (@format) => { $crate::schema::Format::Plain };
    (@format $format:ident) => { $crate::schema::Format::$format };

    // The struct's fields, one at a time: the serde attributes depend on the presence.
    (@render required $head:tt [$($fields:tt)*] $specs:tt [$($attr:tt)*] $field:ident $ty:ty;
        $($rest:tt)*) => {
        $crate::schema::wire_struct!(@munch $head [$($fields)* $($attr)* pub $field: $ty,]
            $specs $($rest)*);
    };
    (@render optional $head:tt [$($fields:tt)*] $specs:tt [$($attr:tt)*] $field:ident $ty:ty;
        $($rest:tt)*) => {
        $crate::schema::wire_struct!(@munch $head [$($fields)* $($attr)*
            #[serde(default, skip_serializing_if = "Option::is_none")]
            #[cfg_attr(feature = "uniffi", uniffi(default))]
            pub $field: Option<$ty>,] $specs $($rest)*);
    };
    (@render default $head:tt [$($fields:tt)*] $specs:tt [$($attr:tt)*] $field:ident $ty:ty;
        $($rest:tt)*) => {
        $crate::schema::wire_struct!(@munch $head [$($fields)* $($attr)*
            #[serde(default)] pub $field: $ty,] $specs $($rest)*);
    };
    (@render null_default $head:tt [$($fields:tt)*] $specs:tt [$($attr:tt)*] $field:ident $ty:ty;
        $($rest:tt)*) => {
        $crate::schema::wire_struct!(@munch $head [$($fields)* $($attr)* pub $field: $ty,]
            $specs $($rest)*);
    };
    (@munch $head:tt $fields:tt [$($specs:tt)*]
        $(#[$fmeta:meta])* $field:ident : $ty:ty $(= $wire:literal)?, $presence:ident
            $(, max $max:literal)? $(, format $format:ident)?;
        $($rest:tt)*
    ) => {
        $crate::schema::wire_struct!(@render $presence $head $fields
            [$($specs)* [$field, $ty, $presence, [$($wire)?], [$($max)?], [$($format)?]]]
            [$(#[$fmeta])* $(#[serde(rename = $wire)])?] $field $ty; $($rest)*);
    };

    // Every field rendered: the struct, its table and its decoder.
    (@munch [$(#[$meta:meta])* $vis:vis struct $name:ident, $expecting:literal]
        [$($fields:tt)*]
        [$([$field:ident, $ty:ty, $presence:ident, [$($wire:literal)?], [$($max:literal)?],
            [$($format:ident)?]])*]
    ) => {
        $(#[$meta])*
        $vis struct $name {
            $($fields)*
        }

        impl $name {
            /// The fields, in wire order.
            pub const FIELDS: &'static [$crate::schema::Field] = &[$(
                $crate::schema::Field {
                    name: $crate::schema::wire_struct!(@name $field $($wire)?),
                    required: $crate::schema::wire_struct!(@required $presence),
                    max_chars: $crate::schema::wire_struct!(@max $($max)?),
                    format: $crate::schema::wire_struct!(@format $($format)?),
                    kind: <$ty as $crate::schema::WireKind>::KIND,
                },
            )*];
        }

        impl $crate::schema::WireKind for $name {
            const KIND: $crate::schema::Kind = $crate::schema::Kind::Object(Self::FIELDS);
        }

        $crate::decode::decode_struct!($name, $expecting,
            [$([$field, $ty, $presence, [$($wire)?]])*]);
    };

    // Entry.
    (
        $(#[$meta:meta])*
        $vis:vis struct $name:ident, $expecting:literal { $($body:tt)+ }
    ) => {
        $crate::schema::wire_struct!(@munch [$(#[$meta])* $vis struct $name, $expecting] [] []
            $($body)+);
    };
}

pub(crate) use wire_struct;

#[cfg(test)]
mod tests {
    use super::*;
    use crate::models::{
        AgreementDocument, Agreements, CreateApplicationRequest, Document, HttpValidationError,
        UploadedDocument,
    };

    /// Every record reachable from these, nested records included.
    fn records() -> Vec<&'static [Field]> {
        let mut out = Vec::new();
        let mut todo = vec![
            CreateApplicationRequest::FIELDS,
            Document::FIELDS,
            AgreementDocument::FIELDS,
            Agreements::FIELDS,
            UploadedDocument::FIELDS,
            HttpValidationError::FIELDS,
        ];
        while let Some(fields) = todo.pop() {
            for field in fields {
                if let Kind::Object(nested) = field.kind {
                    todo.push(nested);
                }
            }
            out.push(fields);
        }
        out
    }

    #[test]
    fn wire_names_are_unique_snake_case() {
        for fields in records() {
            for (i, field) in fields.iter().enumerate() {
                assert!(
                    field
                        .name
                        .bytes()
                        .all(|b| b.is_ascii_lowercase() || b.is_ascii_digit() || b == b'_'),
                    "{}",
                    field.name
                );
                assert!(!fields[..i].iter().any(|f| f.name == field.name));
            }
        }
    }

    #[test]
    fn limits_and_formats_are_for_text() {
        for fields in records() {
            for field in fields {
                if field.max_chars.is_some() || field.format != Format::Plain {
                    assert_eq!(field.kind, Kind::Text, "{}", field.name);
                }
            }
        }
    }

    #[test]
    fn the_body_is_written_in_the_order_of_the_fields() {
        let value = serde_json::json!({
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
        let typed: CreateApplicationRequest = serde_json::from_value(value).unwrap();
        let body = serde_json::to_string(&typed).unwrap();
        // Each object's keys, in the order the body writes them.
        let mut expected = Vec::new();
        for field in CreateApplicationRequest::FIELDS {
            if body.contains(&format!("\"{}\":", field.name)) {
                expected.push(field.name);
            }
            if let Kind::Object(nested) = field.kind {
                expected.extend(
                    nested
                        .iter()
                        .map(|f| f.name)
                        .filter(|n| body.contains(&format!("\"{n}\":"))),
                );
            }
        }
        let written: Vec<&str> = body
            .match_indices("\":")
            .map(|(end, _)| {
                let start = body[..end].rfind('"').unwrap() + 1;
                &body[start..end]
            })
            .collect();
        assert_eq!(written, expected);
        assert!(!body.contains("null"));
    }
}
