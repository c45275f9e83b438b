//! A logged-in session: the bearer token and when it expires.

use std::fmt;

use crate::secret::Secret;

/// Refresh this many seconds before the token expires, so a request prepared just
/// before expiry does not arrive just after it.
pub const REFRESH_MARGIN_SECONDS: i64 = 300;

/// Jiko's bearer tokens live 60 minutes.
pub const TOKEN_LIFETIME_SECONDS: i64 = 3_600;

/// The result of Login. The token is zeroized on drop and never printed.
#[derive(Clone)]
pub struct Session {
    token: Secret,
    expires: String,
    expires_at_unix_seconds: i64,
}

impl Session {
    pub(crate) fn new(token: String, expires: String, expires_at_unix_seconds: i64) -> Self {
        Session {
            token: Secret::from(token),
            expires,
            expires_at_unix_seconds,
        }
    }

    /// The bearer token, for `Authorization: Bearer ...`. Do not log it.
    pub fn token(&self) -> &str {
        self.token.expose_str().unwrap_or_default()
    }

    /// When the token expires, as the server wrote it (RFC 3339).
    pub fn expires(&self) -> &str {
        &self.expires
    }

    /// When the token expires, in seconds since the Unix epoch.
    pub fn expires_at_unix_seconds(&self) -> i64 {
        self.expires_at_unix_seconds
    }

    /// Whether to log in again before the next request: true from five minutes before
    /// expiry. `now_unix_seconds` is the host's clock; the core reads none.
    pub fn needs_refresh(&self, now_unix_seconds: i64) -> bool {
        now_unix_seconds >= self.expires_at_unix_seconds - REFRESH_MARGIN_SECONDS
    }
}

impl fmt::Debug for Session {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Session")
            .field("token", &"<redacted>")
            .field("expires", &self.expires)
            .finish()
    }
}
