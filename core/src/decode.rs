//! Hand-written `Deserialize` for the wire structs: what `#[derive(Deserialize)]` does
//! for a JSON object, with less code.
//!
//! The derive gives every struct its own field-name visitor and a second decoder for
//! the struct written as a JSON array; in WebAssembly that is a large share of the
//! module. Here one key lookup ([`FieldIndex`]) serves every struct, and structs decode
//! from JSON objects only (which is what the API sends). Otherwise the behaviour is the
//! derive's: unknown keys are skipped, a repeated key is an error (`duplicate field`), a
//! missing required field is an error (`missing field`), and the per-field defaults are
//! those of the `#[serde(default)]` attributes they replace.

/// The position of a key in a struct's wire field names (`None` for an unknown key),
/// read without allocating.
pub(crate) struct FieldIndex(pub(crate) &'static [&'static str]);

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
        Ok(self.0.iter().position(|name| *name == v))
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

/// `impl Deserialize for $ty` from a JSON object. Each field is
/// `name: Type = "wire name", mode`, where mode is
/// - `required`: a missing key is an error;
/// - `default`: a missing key gives `Default::default()` (`#[serde(default)]`);
/// - `null_default`: a missing key or `null` gives `Default::default()`.
macro_rules! decode_struct {
    (@slot required $t:ty) => { $t };
    (@slot default $t:ty) => { $t };
    (@slot null_default $t:ty) => { Option<$t> };
    (@finish required $slot:expr, $wire:literal) => {
        match $slot {
            Some(value) => value,
            None => return Err(<A::Error as ::serde::de::Error>::missing_field($wire)),
        }
    };
    (@finish default $slot:expr, $wire:literal) => { $slot.unwrap_or_default() };
    (@finish null_default $slot:expr, $wire:literal) => { $slot.flatten().unwrap_or_default() };
    (
        $ty:ident, $expecting:literal,
        { $( $field:ident : $fty:ty = $wire:literal, $mode:ident; )+ }
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
                            $( $field: Option<decode_struct!(@slot $mode $fty)>, )+
                        }
                        // The fields in the order of FIELDS: `Field::x as usize` is x's index.
                        #[allow(non_camel_case_types)]
                        enum Field { $( $field, )+ }
                        const FIELDS: &[&str] = &[$($wire),+];
                        let mut slots = Slots::default();
                        while let Some(key) =
                            map.next_key_seed($crate::decode::FieldIndex(FIELDS))?
                        {
                            match key {
                                $( Some(i) if i == Field::$field as usize => {
                                    $crate::decode::put(&mut slots.$field, &mut map, $wire)
                                } )+
                                _ => $crate::decode::skip(&mut map),
                            }?;
                        }
                        Ok($ty {
                            $( $field: decode_struct!(@finish $mode slots.$field, $wire), )+
                        })
                    }
                }
                d.deserialize_map(Visitor)
            }
        }
    };
}

pub(crate) use decode_struct;
