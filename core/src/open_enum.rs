//! Enums that keep values the SDK does not know yet.
//!
//! Jiko adds enum values over time (document types, statuses, agreement types). A
//! response carrying a new value must still decode, and must re-encode unchanged, so
//! every wire enum has an `Unknown(String)` case instead of failing.

/// Declares a wire enum with its known values and an `Unknown(String)` catch-all,
/// with `as_str`, `parse`, `ALL`, `Display`, `Serialize` and `Deserialize`; with the
/// `uniffi` feature, also a Kotlin and Swift enum (`Unknown` keeps its one unnamed field,
/// which uniffi supports: Swift `.unknown(String)`, Kotlin `Unknown(v1)`) whose
/// `toString()` / `description` is the wire spelling, with `wireValue()` and `isKnown()`.
macro_rules! open_enum {
    (
        $(#[$meta:meta])*
        pub enum $name:ident {
            $( $(#[$vmeta:meta])* $variant:ident => $wire:literal, )+
        }
    ) => {
        $(#[$meta])*
        #[derive(Clone, Debug, PartialEq, Eq, Hash)]
        #[cfg_attr(feature = "uniffi", derive(uniffi::Enum), uniffi::export(Display))]
        pub enum $name {
            $( $(#[$vmeta])* $variant, )+
            /// A value this version of the SDK does not know, kept as sent.
            Unknown(String),
        }

        impl $name {
            /// Every known value, in the order of the API reference.
            pub const ALL: &'static [$name] = &[$($name::$variant),+];

            /// The known values' wire spellings, separated by `, ` (for messages).
            pub const KNOWN_LIST: &'static str = $crate::open_enum::comma_list!($($wire),+);

            /// The wire spelling.
            pub fn as_str(&self) -> &str {
                match self {
                    $( $name::$variant => $wire, )+
                    $name::Unknown(other) => other.as_str(),
                }
            }

            /// The value for a wire spelling; unknown spellings become `Unknown`.
            pub fn parse(value: &str) -> Self {
                match value {
                    $( $wire => $name::$variant, )+
                    other => $name::Unknown(other.to_owned()),
                }
            }

            /// Whether this is one of the known values.
            pub fn is_known(&self) -> bool {
                !matches!(self, $name::Unknown(_))
            }
        }

        #[cfg(feature = "uniffi")]
        #[uniffi::export]
        impl $name {
            /// The wire spelling.
            pub fn wire_value(&self) -> String {
                self.as_str().to_owned()
            }

            /// Whether this is one of the known values.
            #[uniffi::method(name = "is_known")]
            pub fn uniffi_is_known(&self) -> bool {
                self.is_known()
            }
        }

        impl $crate::schema::WireKind for $name {
            const KIND: $crate::schema::Kind = $crate::schema::Kind::Enum {
                values: &[$($wire),+],
                list: Self::KNOWN_LIST,
            };
        }

        // TypeScript: the known values as string literals, open to values added later.
        #[cfg(feature = "tsify")]
        const _: () = {
            #[::wasm_bindgen::prelude::wasm_bindgen(typescript_custom_section)]
            const TS_APPEND_CONTENT: &'static str = concat!(
                "export type ", stringify!($name), " = ", $( "\"", $wire, "\" | ", )+ "(string & {});"
            );
        };

        impl ::std::fmt::Display for $name {
            fn fmt(&self, f: &mut ::std::fmt::Formatter<'_>) -> ::std::fmt::Result {
                f.write_str(self.as_str())
            }
        }

        impl ::serde::Serialize for $name {
            fn serialize<S: ::serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
                s.serialize_str(self.as_str())
            }
        }

        impl $crate::decode::FromJson for $name {
            fn from_json(
                value: &::serde_json::Value,
            ) -> Result<Self, $crate::decode::Mismatch> {
                value
                    .as_str()
                    .map($name::parse)
                    .ok_or($crate::decode::Mismatch("a string"))
            }
        }

        impl<'de> ::serde::Deserialize<'de> for $name {
            fn deserialize<D: ::serde::Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
                struct Visitor;
                impl<'de> ::serde::de::Visitor<'de> for Visitor {
                    type Value = $name;
                    fn expecting(&self, f: &mut ::std::fmt::Formatter<'_>) -> ::std::fmt::Result {
                        f.write_str("a string")
                    }
                    fn visit_str<E: ::serde::de::Error>(self, v: &str) -> Result<$name, E> {
                        Ok($name::parse(v))
                    }
                }
                d.deserialize_str(Visitor)
            }
        }
    };
}

/// `"a, b, c"` from the literals `"a", "b", "c"`, at compile time.
macro_rules! comma_list {
    ($first:literal $(, $rest:literal)*) => {
        concat!($first $(, ", ", $rest)*)
    };
}

pub(crate) use comma_list;
pub(crate) use open_enum;
