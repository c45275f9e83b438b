//! Secrets: the shared signing secret, passwords and bearer tokens.
//!
//! A [`Secret`] zeroizes its bytes on drop, prints as `Secret(<redacted>)` and does not
//! implement `Serialize`, so it cannot leak through logs or JSON by accident.

use std::fmt;
use zeroize::{Zeroize, ZeroizeOnDrop};

/// Bytes that must not be printed, serialized or left in memory.
#[derive(Clone, Zeroize, ZeroizeOnDrop, PartialEq, Eq)]
pub struct Secret {
    bytes: Vec<u8>,
}

impl Secret {
    /// Takes ownership of the bytes; they are zeroized when the secret is dropped.
    pub fn new(bytes: Vec<u8>) -> Self {
        Secret { bytes }
    }

    /// The secret bytes. Do not log them.
    pub fn expose(&self) -> &[u8] {
        &self.bytes
    }

    /// The secret as text, when it is UTF-8. Do not log it.
    pub fn expose_str(&self) -> Option<&str> {
        std::str::from_utf8(&self.bytes).ok()
    }

    /// Whether there are no bytes.
    pub fn is_empty(&self) -> bool {
        self.bytes.is_empty()
    }
}

impl From<Vec<u8>> for Secret {
    fn from(bytes: Vec<u8>) -> Self {
        Secret::new(bytes)
    }
}

impl From<String> for Secret {
    fn from(s: String) -> Self {
        Secret::new(s.into_bytes())
    }
}

impl From<&str> for Secret {
    fn from(s: &str) -> Self {
        Secret::new(s.as_bytes().to_vec())
    }
}

impl From<&[u8]> for Secret {
    fn from(b: &[u8]) -> Self {
        Secret::new(b.to_vec())
    }
}

impl fmt::Debug for Secret {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("Secret(<redacted>)")
    }
}
