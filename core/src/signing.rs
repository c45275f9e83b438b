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
/// The secret is zeroized on drop and never printed.
#[derive(Clone)]
pub struct Signer {
    secret: Secret,
}

impl Signer {
    /// A signer for this shared secret. An empty secret is refused (`invalid_secret`).
    pub fn new(secret: impl Into<Secret>) -> Result<Self, Error> {
        let secret = secret.into();
        if secret.is_empty() {
            return Err(Error::invalid_argument(
                "invalid_secret",
                "the signing secret must not be empty",
            ));
        }
        Ok(Signer { secret })
    }

    fn mac(&self, idempotency_key: &str, path: &str, body: &[u8]) -> HmacSha256 {
        // HMAC accepts keys of any length, so this cannot fail.
        let mut mac = match HmacSha256::new_from_slice(self.secret.expose()) {
            Ok(mac) => mac,
            Err(_) => unreachable_hmac(),
        };
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
        let Ok(raw) = base64::engine::general_purpose::STANDARD.decode(signature.trim()) else {
            return false;
        };
        self.mac(idempotency_key, path, body)
            .verify_slice(&raw)
            .is_ok()
    }
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
