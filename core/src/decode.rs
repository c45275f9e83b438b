//! Hand-written `Deserialize` for the wire records: what `#[derive(Deserialize)]` does
//! for a JSON object, with less code. `wire_struct!` (schema.rs) emits one per record,
//! from the record's own field list.
//!
//! The derive gives every struct its own field-name visitor and a second decoder for
//! the struct written as a JSON array; in WebAssembly that is a large share of the
//! module. Here one key lookup ([`FieldIndex`]) serves every struct, and structs decode
//! from JSON objects only (which is what the API sends). Otherwise the behaviour is the
//! derive's: unknown keys are skipped, a repeated key is an error (`duplicate field`), a
//! missing required field is an error (`missing field`), and each field's presence
//! (`required`, `optional`, `default`, `null_default`: see `wire_struct!`) says what a
//! missing key or `null` decodes to.

/// The position of a key in a record's fields (`None` for an unknown key), read without
/// allocating.
pub(crate) struct FieldIndex(pub(crate) &'static [crate::schema::Field]);

impl<'de> serde::de::DeserializeSeed<'de> for FieldIndex {
    type Value = Option<usize>;

    fn deserialize<D: serde::Deserializer<'de>>(self, d: D) -> Result<Option<usize>, D::Error> {
        d.deserialize_str(self)
    }
}

impl serde::de::Visitor<'_> for FieldIndex {
    type Value = Option<usize>;

    fn expecting(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("a field name")
    }

    fn visit_str<E: serde::de::Error>(self, v: &str) -> Result<Option<usize>, E> {
        Ok(self.0.iter().position(|field| field.name == v))
    }
}

/// Reads the value of a field into its slot; a second value for the same field is an
/// error, as with the derive.
pub(crate) fn put<'de, A, T>(
    slot: &mut Option<T>,
    map: &mut A,
    name: &'static str,
) -> Result<(), A::Error>
where
    A: serde::de::MapAccess<'de>,
    T: serde::Deserialize<'de>,
{
    if slot.is_some() {
        return Err(<A::Error as serde::de::Error>::duplicate_field(name));
    }
    *slot = Some(map.next_value()?);
    Ok(())
}

/// Skips the value of an unknown key.
pub(crate) fn skip<'de, A: serde::de::MapAccess<'de>>(map: &mut A) -> Result<(), A::Error> {
    map.next_value::<serde::de::IgnoredAny>().map(|_| ())
}

/// `impl Deserialize for $ty` from a JSON object, for a record declared with
/// `wire_struct!` (which passes its fields: name, type, presence, wire name).
macro_rules! decode_struct {
    (@slot required $t:ty) => { Option<$t> };
    (@slot optional $t:ty) => { Option<Option<$t>> };
    (@slot default $t:ty) => { Option<$t> };
    (@slot null_default $t:ty) => { Option<Option<$t>> };
    (@finish required $slot:expr, $wire:expr) => {
        match $slot {
            Some(value) => value,
            None => return Err(<A::Error as ::serde::de::Error>::missing_field($wire)),
        }
    };
    (@finish optional $slot:expr, $wire:expr) => { $slot.unwrap_or_default() };
    (@finish default $slot:expr, $wire:expr) => { $slot.unwrap_or_default() };
    (@finish null_default $slot:expr, $wire:expr) => { $slot.flatten().unwrap_or_default() };
    (
        $ty:ident, $expecting:literal,
        [$([$field:ident, $fty:ty, $presence:ident, [$($wire:literal)?]])+]
    ) => {
        impl<'de> ::serde::Deserialize<'de> for $ty {
            fn deserialize<D: ::serde::Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
                struct Visitor;
                impl<'de> ::serde::de::Visitor<'de> for Visitor {
                    type Value = $ty;
                    fn expecting(&self, f: &mut ::std::fmt::Formatter<'_>) -> ::std::fmt::Result {
                        f.write_str($expecting)
                    }
                    fn visit_map<A: ::serde::de::MapAccess<'de>>(
                        self,
                        mut map: A,
                    ) -> Result<$ty, A::Error> {
                        // One aggregate, so that every early return drops it in one call.
                        #[derive(Default)]
                        struct Slots {
                            $( $field: $crate::decode::decode_struct!(@slot $presence $fty), )+
                        }
                        // The fields in the order of FIELDS: `Field::x as usize` is x's index.
                        #[allow(non_camel_case_types)]
                        enum Field { $( $field, )+ }
                        let mut slots = Slots::default();
                        while let Some(key) =
                            map.next_key_seed($crate::decode::FieldIndex($ty::FIELDS))?
                        {
                            match key {
                                $( Some(i) if i == Field::$field as usize => {
                                    $crate::decode::put(
                                        &mut slots.$field,
                                        &mut map,
                                        $crate::schema::wire_struct!(@name $field $($wire)?),
                                    )
                                } )+
                                _ => $crate::decode::skip(&mut map),
                            }?;
                        }
                        Ok($ty {
                            $( $field: $crate::decode::decode_struct!(@finish $presence
                                slots.$field,
                                $crate::schema::wire_struct!(@name $field $($wire)?)), )+
                        })
                    }
                }
                d.deserialize_map(Visitor)
            }
        }
    };
}

pub(crate) use decode_struct;
