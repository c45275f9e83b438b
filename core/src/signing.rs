//! Request signatures: `x-jiko-signature` is the standard base64 (with padding) of
//! HMAC-SHA256 over `idempotency key + path + body`, keyed with the shared secret.
//!
//! The message is the plain concatenation of the three parts, with no separator; the
//! body is the exact bytes sent (empty for GET and Apply).

use base64::Engine as _;
use hmac::{Hmac, KeyInit, Mac};
use sha2::Sha256;
use std::fmt;

use crate::error::Error;
use crate::secret::Secret;

type HmacSha256 = Hmac<Sha256>;

/// Signs and verifies requests with the partner's shared secret.
///
/// It keeps HMAC's keyed state rather than the secret: the two hash states HMAC derives
/// from the key, computed once instead of on every signature (2 of the 10 or so SHA-256
/// blocks of a typical request). They are as sensitive as the secret, so they are
/// zeroized on drop (the `zeroize` features of `hmac` and `sha2`) and never printed.
#[derive(Clone)]
pub struct Signer {
    keyed: HmacSha256,
}

impl Signer {
    /// A signer for this shared secret. An empty secret is refused (`invalid_secret`).
    pub fn new(secret: impl Into<Secret>) -> Result<Self, Error> {
        let secret: Secret = secret.into();
        if secret.is_empty() {
            return Err(Error::invalid_argument(
                "invalid_secret",
                "the signing secret must not be empty",
            ));
        }
        // HMAC accepts keys of any length, so this cannot fail.
        let keyed = match HmacSha256::new_from_slice(secret.expose()) {
            Ok(mac) => mac,
            Err(_) => unreachable_hmac(),
        };
        Ok(Signer { keyed })
    }

    fn mac(&self, idempotency_key: &str, path: &str, body: &[u8]) -> HmacSha256 {
        let mut mac = self.keyed.clone();
        mac.update(idempotency_key.as_bytes());
        mac.update(path.as_bytes());
        mac.update(body);
        mac
    }

    /// The raw 32-byte HMAC-SHA256 of the message.
    pub fn sign_raw(&self, idempotency_key: &str, path: &str, body: &[u8]) -> [u8; 32] {
        self.mac(idempotency_key, path, body)
            .finalize()
            .into_bytes()
            .into()
    }

    /// The `x-jiko-signature` value: standard base64 with padding.
    pub fn sign(&self, idempotency_key: &str, path: &str, body: &[u8]) -> String {
        base64::engine::general_purpose::STANDARD.encode(self.sign_raw(idempotency_key, path, body))
    }

    /// Whether `signature` is the signature of the message, compared in constant time.
    /// A signature that is not valid base64 is simply not valid.
    pub fn verify(&self, idempotency_key: &str, path: &str, body: &[u8], signature: &str) -> bool {
        // Standard base64 decodes only canonical text (padding and trailing bits
        // included), so a signature decodes to this MAC exactly when its text is this
        // MAC's encoding: comparing the texts needs no decoder.
        let expected = self.sign(idempotency_key, path, body);
        constant_time_eq(expected.as_bytes(), signature.trim().as_bytes())
    }
}

/// Byte equality whose time depends on the lengths only, not on where the bytes differ.
fn constant_time_eq(a: &[u8], b: &[u8]) -> bool {
    if a.len() != b.len() {
        return false;
    }
    let difference = a
        .iter()
        .zip(b)
        .fold(0u8, |acc, (x, y)| acc | std::hint::black_box(x ^ y));
    difference == 0
}

#[cold]
fn unreachable_hmac() -> HmacSha256 {
    // HMAC-SHA256 takes keys of every length; `new_from_slice` only fails for MACs with
    // fixed key sizes. Fall back to the empty key rather than panic.
    <HmacSha256 as KeyInit>::new(&Default::default())
}

impl fmt::Debug for Signer {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("Signer { secret: <redacted> }")
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use base64::engine::general_purpose::STANDARD;

    /// What `verify` did before it compared texts: decode the standard base64, then
    /// compare the MAC. Both must accept exactly the same signatures.
    fn decodes_to_mac(signer: &Signer, body: &[u8], signature: &str) -> bool {
        STANDARD
            .decode(signature.trim())
            .is_ok_and(|raw| raw == signer.sign_raw("key", "/p/", body))
    }

    #[test]
    fn verify_accepts_exactly_what_decoding_accepted() {
        let signer = Signer::new("secret").unwrap();
        let alphabet = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/=- ";
        for body in [&b""[..], b"{}", b"\xff\x00binary \xc3\xa9"] {
            let good = signer.sign("key", "/p/", body);
            assert_eq!(good.len(), 44);
            let mut candidates = vec![
                good.clone(),
                format!(" {good}\n"),
                format!("\t{good}\r\n"),
                good.trim_end_matches('=').to_owned(),
                format!("{good}="),
                format!("{good}A"),
                good.to_lowercase(),
                good.replace('=', ""),
                String::new(),
                "=".repeat(44),
            ];
            // Every character at every position: the 43rd carries two padding bits, so
            // the non-canonical spellings of the same MAC are among these.
            for at in 0..good.len() {
                for c in alphabet.chars() {
                    let mut s: Vec<char> = good.chars().collect();
                    s[at] = c;
                    candidates.push(s.into_iter().collect());
                }
            }
            for candidate in &candidates {
                assert_eq!(
                    signer.verify("key", "/p/", body, candidate),
                    decodes_to_mac(&signer, body, candidate),
                    "{candidate:?}"
                );
            }
            assert!(signer.verify("key", "/p/", body, &good));
        }
    }

    #[test]
    fn the_keyed_state_is_zeroized_on_drop() {
        fn zeroized_on_drop<T: zeroize::ZeroizeOnDrop>() {}
        // The SHA-256 state type of the two HMAC keeps (inner and outer).
        zeroized_on_drop::<sha2::block_api::Sha256VarCore>();
        zeroized_on_drop::<sha2::Sha256>();
        // Signatures do not depend on when the state was keyed.
        let signer = Signer::new("secret").unwrap();
        let again = signer.clone();
        assert_eq!(
            signer.sign("k", "/p/", b"body"),
            again.sign("k", "/p/", b"body")
        );
        assert_eq!(
            signer.sign("k", "/p/", b"body"),
            Signer::new("secret").unwrap().sign("k", "/p/", b"body")
        );
    }

    #[test]
    fn constant_time_eq_is_equality() {
        assert!(constant_time_eq(b"", b""));
        assert!(constant_time_eq(b"abc", b"abc"));
        assert!(!constant_time_eq(b"abc", b"abd"));
        assert!(!constant_time_eq(b"abc", b"ab"));
    }
}
