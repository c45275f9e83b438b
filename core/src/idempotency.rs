//! Idempotency keys: a UUID per operation, reused on every retry of that operation.
//!
//! Jiko treats a key seen within the past hour as a repeat, so a retry must resend the
//! same prepared request (same key, same signature) and a new operation needs a new key.

use crate::error::Error;

/// A fresh random UUID v4, lower case, from the operating system's random source
/// (`crypto.getRandomValues` on the web).
pub fn new_idempotency_key() -> Result<String, Error> {
    let mut bytes = [0u8; 16];
    getrandom::fill(&mut bytes).map_err(|_| {
        Error::invalid_argument(
            "random_unavailable",
            "the operating system's random source is unavailable",
        )
    })?;
    Ok(uuid_v4(bytes))
}

/// A UUID v4 from 16 random bytes: the version and variant bits are set, 122 stay random.
pub(crate) fn uuid_v4(mut bytes: [u8; 16]) -> String {
    bytes[6] = (bytes[6] & 0x0f) | 0x40; // version 4
    bytes[8] = (bytes[8] & 0x3f) | 0x80; // RFC 4122 variant
    format_uuid(&bytes)
}

fn format_uuid(bytes: &[u8; 16]) -> String {
    const HEX: &[u8; 16] = b"0123456789abcdef";
    let mut text = [b'-'; 36];
    let mut at = 0;
    for (i, b) in bytes.iter().enumerate() {
        if matches!(i, 4 | 6 | 8 | 10) {
            at += 1; // the hyphen already there
        }
        if let Some(pair) = text.get_mut(at..at + 2) {
            pair[0] = HEX[usize::from(b >> 4)];
            pair[1] = HEX[usize::from(b & 0x0f)];
        }
        at += 2;
    }
    // Hexadecimal digits and hyphens only: always UTF-8.
    std::str::from_utf8(&text).unwrap_or_default().to_owned()
}

/// Whether `text` is a UUID in the canonical hyphenated form (any version, either case).
pub fn is_uuid(text: &str) -> bool {
    let b = text.as_bytes();
    b.len() == 36
        && b.iter().enumerate().all(|(i, c)| match i {
            8 | 13 | 18 | 23 => *c == b'-',
            _ => c.is_ascii_hexdigit(),
        })
}

/// A caller-supplied key, checked to be a UUID, or a fresh one.
pub(crate) fn key_or_new(supplied: Option<&str>) -> Result<String, Error> {
    match supplied {
        Some(key) if is_uuid(key) => Ok(key.to_owned()),
        Some(_) => Err(Error::invalid_argument(
            "invalid_idempotency_key",
            "an idempotency key must be a UUID (8-4-4-4-12 hexadecimal digits)",
        )),
        None => new_idempotency_key(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn keys_are_the_bytes_in_hexadecimal_with_version_and_variant() {
        let bytes: [u8; 16] = std::array::from_fn(|i| (i as u8) * 17);
        assert_eq!(uuid_v4(bytes), "00112233-4455-4677-8899-aabbccddeeff");
        assert_eq!(uuid_v4([0xff; 16]), "ffffffff-ffff-4fff-bfff-ffffffffffff");
        assert_eq!(uuid_v4([0; 16]), "00000000-0000-4000-8000-000000000000");
    }

    #[test]
    fn fresh_keys_are_distinct_lower_case_v4_uuids() {
        let a = new_idempotency_key().unwrap();
        let b = new_idempotency_key().unwrap();
        assert_ne!(a, b);
        for k in [&a, &b] {
            assert!(is_uuid(k));
            assert_eq!(k.to_lowercase(), *k);
            assert_eq!(&k[14..15], "4");
            assert!(matches!(&k[19..20], "8" | "9" | "a" | "b"));
        }
    }

    #[test]
    fn supplied_keys_must_be_uuids() {
        assert!(key_or_new(Some("123e4567-e89b-12d3-a456-426614174000")).is_ok());
        assert!(key_or_new(Some("123E4567-E89B-12D3-A456-426614174000")).is_ok());
        for bad in [
            "",
            "not-a-uuid",
            "123e4567e89b12d3a456426614174000",
            "123e4567-e89b-12d3-a456-42661417400g",
        ] {
            assert_eq!(
                key_or_new(Some(bad)).unwrap_err().code(),
                "invalid_idempotency_key"
            );
        }
    }
}
