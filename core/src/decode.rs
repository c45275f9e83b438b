//! Decoding of the wire records: JSON text to a tree, then the tree to the record
//! ([`FromJson`]), by the record's own field list (`wire_struct!` emits each record's
//! `FromJson` and its `Deserialize`, which goes through the same tree).
//!
//! serde's derive would give every record a streaming visitor of its own, generic over
//! the deserializer, and every decoding error serde's message formatting; in
//! WebAssembly that was a large share of the npm package's browser module, which has to
//! stay small (docs/browser.md, "Size"). Here the JSON is read once, by one tree
//! builder, and each record reads its fields from the tree by name. The behaviour is the
//! derive's: unknown keys are skipped, a repeated key is an error, a missing required
//! field is an error, and each field's presence (`required`, `optional`, `default`,
//! `null_default`: see `wire_struct!`) says what a missing key or `null` decodes to.

use std::cell::Cell;

use serde::de::{DeserializeSeed, Deserializer, Error as _, MapAccess, SeqAccess, Visitor};
use serde_json::{Map, Value};

/// Why a value does not decode: what was expected.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) struct Mismatch(pub(crate) &'static str);

/// A type read from a JSON tree.
pub(crate) trait FromJson: Sized {
    fn from_json(value: &Value) -> Result<Self, Mismatch>;
}

impl FromJson for String {
    fn from_json(value: &Value) -> Result<Self, Mismatch> {
        value
            .as_str()
            .map(str::to_owned)
            .ok_or(Mismatch("a string"))
    }
}

impl FromJson for bool {
    fn from_json(value: &Value) -> Result<Self, Mismatch> {
        value.as_bool().ok_or(Mismatch("a boolean"))
    }
}

impl<T: FromJson> FromJson for Option<T> {
    fn from_json(value: &Value) -> Result<Self, Mismatch> {
        match value {
            Value::Null => Ok(None),
            other => T::from_json(other).map(Some),
        }
    }
}

impl<T: FromJson> FromJson for Vec<T> {
    fn from_json(value: &Value) -> Result<Self, Mismatch> {
        value
            .as_array()
            .ok_or(Mismatch("an array"))?
            .iter()
            .map(T::from_json)
            .collect()
    }
}

/// A record's JSON object.
pub(crate) fn object<'a>(
    value: &'a Value,
    expecting: &'static str,
) -> Result<&'a Map<String, Value>, Mismatch> {
    value.as_object().ok_or(Mismatch(expecting))
}

/// Why JSON text did not decode.
#[derive(Debug)]
pub(crate) enum DecodeError {
    /// Not a JSON document (serde_json's error says how).
    Json(serde_json::Error),
    /// A JSON document of another shape, or with a key repeated within an object.
    Shape,
}

/// A record from JSON text: the tree, then the record. A shape error never goes
/// through serde's `Error::custom`, whose message formatting is large in WebAssembly.
pub(crate) fn from_slice<T: FromJson>(json: &[u8]) -> Result<T, DecodeError> {
    let repeated = Cell::new(false);
    let mut reader = serde_json::Deserializer::from_slice(json);
    let tree = Tree {
        repeated: &repeated,
    }
    .deserialize(&mut reader)
    .and_then(|tree| reader.end().map(|()| tree))
    .map_err(DecodeError::Json)?;
    if repeated.get() {
        return Err(DecodeError::Shape);
    }
    T::from_json(&tree).map_err(|_| DecodeError::Shape)
}

/// `Deserialize` through the tree: what every record's `Deserialize` calls.
pub(crate) fn deserialize<'de, D: Deserializer<'de>, T: FromJson>(d: D) -> Result<T, D::Error> {
    let repeated = Cell::new(false);
    let tree = Tree {
        repeated: &repeated,
    }
    .deserialize(d)?;
    if repeated.get() {
        return Err(D::Error::custom("a key repeated within an object"));
    }
    T::from_json(&tree).map_err(|m| D::Error::custom(format_args!("expected {}", m.0)))
}

/// The JSON tree of any input, as serde_json's `Value` reads it, except that a key
/// repeated within an object is noted in `repeated` (the document is then refused, as
/// serde's derive refuses it), not silently replaced by its last value.
struct Tree<'a> {
    repeated: &'a Cell<bool>,
}

impl<'de> DeserializeSeed<'de> for Tree<'_> {
    type Value = Value;

    fn deserialize<D: Deserializer<'de>>(self, d: D) -> Result<Value, D::Error> {
        d.deserialize_any(self)
    }
}

impl<'de> Visitor<'de> for Tree<'_> {
    type Value = Value;

    fn expecting(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("a JSON value")
    }

    fn visit_bool<E>(self, v: bool) -> Result<Value, E> {
        Ok(Value::Bool(v))
    }

    fn visit_i64<E>(self, v: i64) -> Result<Value, E> {
        Ok(Value::Number(v.into()))
    }

    fn visit_u64<E>(self, v: u64) -> Result<Value, E> {
        Ok(Value::Number(v.into()))
    }

    fn visit_f64<E>(self, v: f64) -> Result<Value, E> {
        Ok(serde_json::Number::from_f64(v).map_or(Value::Null, Value::Number))
    }

    fn visit_str<E>(self, v: &str) -> Result<Value, E> {
        Ok(Value::String(v.to_owned()))
    }

    fn visit_string<E>(self, v: String) -> Result<Value, E> {
        Ok(Value::String(v))
    }

    fn visit_none<E>(self) -> Result<Value, E> {
        Ok(Value::Null)
    }

    fn visit_unit<E>(self) -> Result<Value, E> {
        Ok(Value::Null)
    }

    fn visit_some<D: Deserializer<'de>>(self, d: D) -> Result<Value, D::Error> {
        d.deserialize_any(self)
    }

    fn visit_seq<A: SeqAccess<'de>>(self, mut seq: A) -> Result<Value, A::Error> {
        let repeated = self.repeated;
        let mut items = Vec::new();
        while let Some(item) = seq.next_element_seed(Tree { repeated })? {
            items.push(item);
        }
        Ok(Value::Array(items))
    }

    fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<Value, A::Error> {
        let repeated = self.repeated;
        let mut object = Map::new();
        while let Some(key) = map.next_key::<String>()? {
            let value = map.next_value_seed(Tree { repeated })?;
            if object.insert(key, value).is_some() {
                repeated.set(true);
            }
        }
        Ok(Value::Object(object))
    }
}

/// `impl FromJson` and `impl Deserialize` for a record declared with `wire_struct!`
/// (which passes its fields: name, type, presence, wire name).
macro_rules! decode_struct {
    (@field required $ty:ty, $value:expr) => {
        match $value {
            Some(value) => <$ty as $crate::decode::FromJson>::from_json(value)?,
            None => return Err($crate::decode::Mismatch("a required field")),
        }
    };
    (@field optional $ty:ty, $value:expr) => {
        match $value {
            Some(value) => <Option<$ty> as $crate::decode::FromJson>::from_json(value)?,
            None => None,
        }
    };
    (@field default $ty:ty, $value:expr) => {
        match $value {
            Some(value) => <$ty as $crate::decode::FromJson>::from_json(value)?,
            None => Default::default(),
        }
    };
    (@field null_default $ty:ty, $value:expr) => {
        match $value {
            Some(value) => <Option<$ty> as $crate::decode::FromJson>::from_json(value)?
                .unwrap_or_default(),
            None => Default::default(),
        }
    };
    (
        $ty:ident, $expecting:literal,
        [$([$field:ident, $fty:ty, $presence:ident, [$($wire:literal)?]])+]
    ) => {
        impl $crate::decode::FromJson for $ty {
            fn from_json(value: &::serde_json::Value) -> Result<Self, $crate::decode::Mismatch> {
                let object = $crate::decode::object(value, $expecting)?;
                Ok($ty {
                    $( $field: $crate::decode::decode_struct!(@field $presence $fty,
                        object.get($crate::schema::wire_struct!(@name $field $($wire)?))), )+
                })
            }
        }

        impl<'de> ::serde::Deserialize<'de> for $ty {
            fn deserialize<D: ::serde::Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
                $crate::decode::deserialize(d)
            }
        }
    };
}

pub(crate) use decode_struct;
