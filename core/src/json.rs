//! What validation and the body writer read of a JSON document, and a borrowed tree for
//! JSON text.
//!
//! A Create Application body given as text (a request body, `JSON.stringify` of a
//! JavaScript object) is read into [`Json`]: strings without escapes borrow from the
//! text and objects are small vectors instead of ordered maps. The usual text (objects,
//! strings, literals) is read by [`quick`], and anything else by serde_json's own
//! parser, exactly as it reads a `serde_json::Value`. Reading and validating the guide's
//! application took 1.7 µs through serde_json against 3.0 µs through a `Value`
//! (natively, 2026-11-27), and reading was still the largest part of preparing a request
//! in WebAssembly: the quick reader took about 0.7 µs off the 9.3 µs of preparing one
//! from text in Node 20. A Python dict still arrives as a `serde_json::Value`; both
//! implement [`JsonTree`], so the rules and the writer exist once. Both readers accept and refuse
//! exactly the same texts: unit tests, a property test and the `validate_application`
//! fuzz target compare them.

use std::borrow::Cow;
use std::fmt;

use serde::de::{self, Deserialize, DeserializeSeed, Deserializer, MapAccess, SeqAccess, Visitor};
use serde_json::Value;

use crate::scan::same_key;

mod quick;

/// The reads validation and the canonical writer make of a JSON value.
pub(crate) trait JsonTree {
    /// The member `key` of an object (the last one when the text repeats a key, as
    /// `JSON.parse` and serde_json do); `None` for an absent key or a value that is not
    /// an object.
    fn member(&self, key: &str) -> Option<&Self>;
    /// The keys of an object that are not in `known`, sorted and without repeats (empty
    /// for other values).
    fn unknown_keys(&self, known: &[&str]) -> Vec<&str>;
    fn as_str(&self) -> Option<&str>;
    fn is_null(&self) -> bool;
    fn is_object(&self) -> bool;
    /// "a string", "an object", ... for messages.
    fn type_name(&self) -> &'static str;
    /// The string, when it is known to need no escaping in JSON (no quote, backslash or
    /// control character), so that a writer can copy it as it is.
    fn as_plain_str(&self) -> Option<&str> {
        None
    }
}

impl JsonTree for Value {
    fn member(&self, key: &str) -> Option<&Self> {
        self.as_object()?.get(key)
    }

    fn unknown_keys(&self, known: &[&str]) -> Vec<&str> {
        // serde_json's map is ordered by key and holds each key once.
        self.as_object()
            .map(|map| {
                map.keys()
                    .map(String::as_str)
                    .filter(|k| !known.contains(k))
                    .collect()
            })
            .unwrap_or_default()
    }

    fn as_str(&self) -> Option<&str> {
        Value::as_str(self)
    }

    fn is_null(&self) -> bool {
        Value::is_null(self)
    }

    fn is_object(&self) -> bool {
        Value::is_object(self)
    }

    fn type_name(&self) -> &'static str {
        match self {
            Value::Null => "null",
            Value::Bool(_) => "a boolean",
            Value::Number(_) => "a number",
            Value::String(_) => "a string",
            Value::Array(_) => "an array",
            Value::Object(_) => "an object",
        }
    }
}

/// A JSON value read from text. Only what validation looks at is kept: numbers,
/// booleans and arrays are checked by the parser and remembered as their kind.
///
/// A string is borrowed exactly when its text in the document had no escape; it then
/// holds no quote, backslash or control character (JSON text cannot), so it is written
/// back as it is ([`JsonTree::as_plain_str`]).
#[derive(Debug, PartialEq)]
pub(crate) enum Json<'a> {
    Null,
    Bool,
    Number,
    String(Cow<'a, str>),
    Array,
    /// Members in the order of the text, repeats included.
    Object(Vec<(Cow<'a, str>, Json<'a>)>),
}

impl<'a> Json<'a> {
    /// The tree of a JSON document, or `None` for anything serde_json refuses as a
    /// `serde_json::Value` (serde_json decides every text the quick reader leaves: UTF-8,
    /// escapes, numbers out of range, nesting deeper than 128, trailing characters).
    pub(crate) fn parse(text: &'a [u8]) -> Option<Json<'a>> {
        Json::parse_compact(text).map(|(tree, _)| tree)
    }

    /// [`Json::parse`], and whether the text is known to be compact (no whitespace
    /// between tokens; `false` when serde_json read it).
    pub(crate) fn parse_compact(text: &'a [u8]) -> Option<(Json<'a>, bool)> {
        quick::read_compact(text)
            .or_else(|| serde_json::from_slice(text).ok().map(|tree| (tree, false)))
    }
}

impl JsonTree for Json<'_> {
    fn member(&self, key: &str) -> Option<&Self> {
        match self {
            Json::Object(members) => members
                .iter()
                .rev()
                .find(|(k, _)| same_key(k, key))
                .map(|(_, v)| v),
            _ => None,
        }
    }

    fn unknown_keys(&self, known: &[&str]) -> Vec<&str> {
        let mut keys: Vec<&str> = match self {
            Json::Object(members) => members
                .iter()
                .map(|(k, _)| k.as_ref())
                .filter(|k| !known.iter().any(|name| same_key(k, name)))
                .collect(),
            _ => Vec::new(),
        };
        // In the order (and with the repeats) of a serde_json map.
        keys.sort_unstable();
        keys.dedup();
        keys
    }

    fn as_str(&self) -> Option<&str> {
        match self {
            Json::String(s) => Some(s),
            _ => None,
        }
    }

    fn is_null(&self) -> bool {
        matches!(self, Json::Null)
    }

    fn is_object(&self) -> bool {
        matches!(self, Json::Object(_))
    }

    fn type_name(&self) -> &'static str {
        match self {
            Json::Null => "null",
            Json::Bool => "a boolean",
            Json::Number => "a number",
            Json::String(_) => "a string",
            Json::Array => "an array",
            Json::Object(_) => "an object",
        }
    }

    fn as_plain_str(&self) -> Option<&str> {
        match self {
            Json::String(Cow::Borrowed(s)) => Some(s),
            _ => None,
        }
    }
}

impl<'de> Deserialize<'de> for Json<'de> {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        deserializer.deserialize_any(JsonVisitor)
    }
}

struct JsonVisitor;

impl<'de> Visitor<'de> for JsonVisitor {
    type Value = Json<'de>;

    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("a JSON value")
    }

    fn visit_unit<E>(self) -> Result<Json<'de>, E> {
        Ok(Json::Null)
    }

    fn visit_bool<E>(self, _: bool) -> Result<Json<'de>, E> {
        Ok(Json::Bool)
    }

    fn visit_i64<E>(self, _: i64) -> Result<Json<'de>, E> {
        Ok(Json::Number)
    }

    fn visit_u64<E>(self, _: u64) -> Result<Json<'de>, E> {
        Ok(Json::Number)
    }

    fn visit_f64<E>(self, _: f64) -> Result<Json<'de>, E> {
        Ok(Json::Number)
    }

    fn visit_borrowed_str<E>(self, s: &'de str) -> Result<Json<'de>, E> {
        // serde_json borrows only unescaped text, which cannot hold what JSON escapes;
        // checked anyway (this is the slow path), as borrowing promises it.
        if crate::canonical::needs_escaping(s) {
            Ok(Json::String(Cow::Owned(s.to_owned())))
        } else {
            Ok(Json::String(Cow::Borrowed(s)))
        }
    }

    fn visit_str<E>(self, s: &str) -> Result<Json<'de>, E> {
        Ok(Json::String(Cow::Owned(s.to_owned())))
    }

    fn visit_string<E>(self, s: String) -> Result<Json<'de>, E> {
        Ok(Json::String(Cow::Owned(s)))
    }

    fn visit_seq<A: SeqAccess<'de>>(self, mut seq: A) -> Result<Json<'de>, A::Error> {
        // Elements are read as values (not skipped), so that they meet the same checks
        // as in a `serde_json::Value`, then dropped: validation never looks inside.
        while seq.next_element::<Json<'de>>()?.is_some() {}
        Ok(Json::Array)
    }

    fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<Json<'de>, A::Error> {
        let mut members = Vec::with_capacity(map.size_hint().unwrap_or(0).min(16));
        while let Some(key) = map.next_key_seed(KeySeed)? {
            members.push((key, map.next_value::<Json<'de>>()?));
        }
        Ok(Json::Object(members))
    }
}

/// An object key, borrowed from the text when it has no escapes.
struct KeySeed;

impl<'de> DeserializeSeed<'de> for KeySeed {
    type Value = Cow<'de, str>;

    fn deserialize<D: Deserializer<'de>>(self, deserializer: D) -> Result<Self::Value, D::Error> {
        deserializer.deserialize_str(KeyVisitor)
    }
}

struct KeyVisitor;

impl<'de> Visitor<'de> for KeyVisitor {
    type Value = Cow<'de, str>;

    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("an object key")
    }

    fn visit_borrowed_str<E: de::Error>(self, s: &'de str) -> Result<Self::Value, E> {
        Ok(Cow::Borrowed(s))
    }

    fn visit_str<E: de::Error>(self, s: &str) -> Result<Self::Value, E> {
        Ok(Cow::Owned(s.to_owned()))
    }

    fn visit_string<E: de::Error>(self, s: String) -> Result<Self::Value, E> {
        Ok(Cow::Owned(s))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The tree of a Value, for comparing the two readers.
    fn shape(value: &Value) -> Json<'static> {
        match value {
            Value::Null => Json::Null,
            Value::Bool(_) => Json::Bool,
            Value::Number(_) => Json::Number,
            Value::String(s) => Json::String(Cow::Owned(s.clone())),
            Value::Array(_) => Json::Array,
            Value::Object(map) => Json::Object(
                map.iter()
                    .map(|(k, v)| (Cow::Owned(k.clone()), shape(v)))
                    .collect(),
            ),
        }
    }

    /// Keeps the last member of each key, sorted: what a `Value` keeps.
    fn last_wins(json: &Json<'_>) -> Json<'static> {
        match json {
            Json::Object(_) => Json::Object(
                json.unknown_keys(&[])
                    .into_iter()
                    .filter_map(|k| Some((Cow::Owned(k.to_owned()), last_wins(json.member(k)?))))
                    .collect(),
            ),
            Json::String(s) => Json::String(Cow::Owned(s.to_string())),
            Json::Null => Json::Null,
            Json::Bool => Json::Bool,
            Json::Number => Json::Number,
            Json::Array => Json::Array,
        }
    }

    pub(crate) fn agrees_with_serde_json(text: &[u8]) {
        // Whatever the quick reader decides, serde_json reads into the same tree.
        if let Some(quick) = quick::read(text) {
            assert_eq!(
                Some(quick),
                serde_json::from_slice::<Json<'_>>(text).ok(),
                "{:?}",
                String::from_utf8_lossy(text)
            );
        }
        let ours = Json::parse(text);
        let theirs = serde_json::from_slice::<Value>(text).ok();
        match (&ours, &theirs) {
            (Some(ours), Some(theirs)) => assert_eq!(last_wins(ours), shape(theirs)),
            (None, None) => {}
            _ => panic!(
                "serde_json::Value {} but Json {}: {:?}",
                if theirs.is_some() {
                    "accepts"
                } else {
                    "refuses"
                },
                if ours.is_some() { "accepts" } else { "refuses" },
                String::from_utf8_lossy(text)
            ),
        }
    }

    #[test]
    fn accepts_and_refuses_what_serde_json_does() {
        let deep = |n: usize, open: &str, close: &str| open.repeat(n) + &close.repeat(n);
        let cases: Vec<String> = vec![
            "{}".into(),
            "[]".into(),
            "null".into(),
            r#"{"a": "x", "a": "y", "b": {"c": [1, {"d": 1e400}]}}"#.into(),
            r#"{"a": [1e400]}"#.into(),
            r#"{"a": [1e-400, -0, 12345678901234567890123]}"#.into(),
            r#"{"a\u0041": "\ud83d\ude80", "\"": "\\"}"#.into(),
            r#"{"a": "\ud800"}"#.into(),
            "{\"a\": \"\u{1}\"}".into(),
            r#"{"a": 01}"#.into(),
            r#"{"a": 1.}"#.into(),
            r#"{"a": NaN}"#.into(),
            r#"{"a": 1} x"#.into(),
            r#"{"a": 1}  "#.into(),
            r#"{"a": 1,}"#.into(),
            r#"{"a" 1}"#.into(),
            "\u{feff}{}".into(),
            deep(127, "[", "]"),
            deep(128, "[", "]"),
            deep(129, "[", "]"),
            format!("{{\"a\":{}}}", deep(127, "[", "]")),
            format!("{{\"a\":{}}}", deep(128, "[", "]")),
            deep(127, "{\"a\":", "}").replace(":}", ":1}"),
            "{\"a\":".repeat(128) + "1" + &"}".repeat(128),
            "{\"a\":".repeat(129) + "1" + &"}".repeat(129),
        ];
        for case in &cases {
            agrees_with_serde_json(case.as_bytes());
        }
        for bytes in [
            &b"{\"a\": \"\xff\"}"[..],
            b"{\"\xc0\xaf\": 1}",
            b"\"\xed\xa0\x80\"",
        ] {
            agrees_with_serde_json(bytes);
        }
    }

    #[test]
    fn strings_without_escapes_borrow_from_the_text() {
        let text = br#"{"name": "Zo\u00eb", "city": "Berkeley"}"#;
        let json = Json::parse(text).unwrap();
        assert!(matches!(
            json.member("city"),
            Some(Json::String(Cow::Borrowed("Berkeley")))
        ));
        assert!(matches!(json.member("name"), Some(Json::String(Cow::Owned(s))) if s == "Zoë"));
        assert_eq!(json.unknown_keys(&[]), ["city", "name"]);
        assert_eq!(json.unknown_keys(&["name"]), ["city"]);
    }
}
