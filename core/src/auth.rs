//! One login shared by all of a partner's flows.
//!
//! The [`Authenticator`] holds the credentials and the current session, and decides who
//! logs in: one login is in flight at a time, the token is refreshed before it expires
//! (with the session's margin), and a 401 drops the token it was sent with (only that
//! one: a late 401 for an older token does not throw away a fresh one). It sends
//! nothing itself: the flow that is told to log in sends the login and hands the answer
//! back. The token is not part of a request's signature, so a request prepared with
//! one token can be resent with the next without signing again.

use std::fmt;

use crate::error::{Error, TransportErrorKind};
use crate::requests::{Client, PreparedRequest};
use crate::responses::parse_login;
use crate::retry::{backoff_ms, RetryPolicy};
use crate::secret::Secret;
use crate::session::Session;
use crate::validation::validate_credentials;

/// How long a login may stay in flight before another flow may start one (the flow
/// that started it may have been dropped).
pub const LOGIN_LEASE_MS: u64 = 45_000;

/// What a flow should do for a token.
#[derive(Clone, PartialEq, Eq)]
pub enum Credential {
    /// Use this token.
    Token {
        /// The bearer token.
        token: Secret,
        /// Which login it came from: pass it back with a 401.
        generation: u64,
    },
    /// Log in: send [`Authenticator::login_request`] and hand the answer to
    /// [`Authenticator::handle_login`] with this ticket.
    Login {
        /// Identifies this login.
        ticket: u64,
    },
    /// Another flow is logging in, or logins are backing off: look again at `until_ms`.
    Wait {
        /// When.
        until_ms: u64,
    },
    /// The credentials were refused: nothing can be sent.
    Refused(Error),
}

impl fmt::Debug for Credential {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Credential::Token { generation, .. } => f
                .debug_struct("Token")
                .field("token", &"<redacted>")
                .field("generation", generation)
                .finish(),
            Credential::Login { ticket } => {
                f.debug_struct("Login").field("ticket", ticket).finish()
            }
            Credential::Wait { until_ms } => {
                f.debug_struct("Wait").field("until_ms", until_ms).finish()
            }
            Credential::Refused(e) => f.debug_tuple("Refused").field(e).finish(),
        }
    }
}

#[derive(Clone, Debug)]
enum LoginState {
    Idle,
    InFlight { ticket: u64, lease_until_ms: u64 },
    BackingOff { until_ms: u64 },
}

/// The credentials, the session and the login in flight, shared by a partner's flows.
#[derive(Clone)]
pub struct Authenticator {
    username: String,
    password: Secret,
    session: Option<Session>,
    generation: u64,
    login: LoginState,
    next_ticket: u64,
    failures: u32,
    refused: Option<Error>,
    last_error: Option<Error>,
    retry: RetryPolicy,
    received_ms: u64,
    /// The current token got an answer other than 401 at least once.
    proven: bool,
}

impl fmt::Debug for Authenticator {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Authenticator")
            .field("logged_in", &self.session.is_some())
            .field("generation", &self.generation)
            .field("login", &self.login)
            .finish_non_exhaustive()
    }
}

impl Authenticator {
    /// An authenticator for these credentials (checked as Login checks them).
    pub fn new(username: &str, password: impl Into<Secret>) -> Result<Self, Error> {
        let password: Secret = password.into();
        let errors = validate_credentials(username, password.expose_str().unwrap_or_default());
        if !errors.is_empty() {
            return Err(crate::error::ValidationError { errors }.into());
        }
        Ok(Authenticator {
            username: username.to_owned(),
            password,
            session: None,
            generation: 0,
            login: LoginState::Idle,
            next_ticket: 1,
            failures: 0,
            refused: None,
            last_error: None,
            retry: RetryPolicy::default(),
            received_ms: 0,
            proven: false,
        })
    }

    /// What a flow should do for a token at `now_ms`.
    pub fn credential(&mut self, now_ms: u64) -> Credential {
        if let Some(refused) = &self.refused {
            return Credential::Refused(refused.clone());
        }
        let now_s = i64::try_from(now_ms / 1_000).unwrap_or(i64::MAX);
        // A token just received is used for a while whatever our clock says of its
        // `expires`: with a skewed clock (or a short-lived token) every request would
        // otherwise start a login. A 401 still ends its use.
        let just_received = now_ms < self.received_ms.saturating_add(MIN_TOKEN_USE_MS);
        let usable = self
            .session
            .as_ref()
            .filter(|s| just_received || now_s < s.expires_at_unix_seconds())
            .map(|s| {
                (
                    !just_received && s.needs_refresh(now_s),
                    s.token().to_owned(),
                )
            });
        let in_flight = match self.login {
            LoginState::InFlight { lease_until_ms, .. } => now_ms < lease_until_ms,
            LoginState::BackingOff { until_ms } => now_ms < until_ms,
            LoginState::Idle => false,
        };
        match usable {
            // Fresh, or due for a refresh that someone else is already making.
            Some((refresh, token)) if !refresh || in_flight => Credential::Token {
                token: Secret::from(token),
                generation: self.generation,
            },
            _ if in_flight => Credential::Wait {
                until_ms: match self.login {
                    LoginState::InFlight { lease_until_ms, .. } => {
                        lease_until_ms.min(now_ms.saturating_add(LOGIN_POLL_MS))
                    }
                    LoginState::BackingOff { until_ms } => until_ms,
                    LoginState::Idle => now_ms,
                },
            },
            _ => {
                let ticket = self.next_ticket;
                self.next_ticket += 1;
                self.login = LoginState::InFlight {
                    ticket,
                    lease_until_ms: now_ms.saturating_add(LOGIN_LEASE_MS),
                };
                Credential::Login { ticket }
            }
        }
    }

    /// The Login request to send for a [`Credential::Login`].
    pub fn login_request(&self, client: &Client) -> Result<PreparedRequest, Error> {
        client.login(
            &self.username,
            self.password.expose_str().unwrap_or_default(),
        )
    }

    /// The answer to a login: a status and body, or how the transport failed.
    /// A success from any ticket is kept (a valid token is a valid token); a failure
    /// from a ticket that is no longer in flight is ignored.
    pub fn handle_login(
        &mut self,
        ticket: u64,
        answer: Result<(u16, &[u8]), TransportErrorKind>,
        now_ms: u64,
        random: f64,
    ) {
        let current = matches!(self.login, LoginState::InFlight { ticket: t, .. } if t == ticket);
        let error = match answer.map(|(status, body)| (status, parse_login(status, body))) {
            Ok((_, Ok(session))) => {
                self.session = Some(session);
                self.received_ms = now_ms;
                self.proven = false;
                self.generation += 1;
                self.failures = 0;
                self.last_error = None;
                if current {
                    self.login = LoginState::Idle;
                }
                return;
            }
            Ok((status, Err(error))) => {
                // Wrong credentials, a refused body, a redirect (it would change the
                // signed path) or a status no retry helps: refused. A 2xx whose body
                // cannot be read, 408, 429 and the passing 5xx are retried.
                let retried = matches!(status, 200..=299 | 408 | 429 | 500 | 502 | 503 | 504);
                if current && !retried {
                    self.refused = Some(error.clone());
                }
                error
            }
            Err(kind) => Error::Transport { kind },
        };
        if !current {
            return;
        }
        self.failures = self.failures.saturating_add(1);
        self.last_error = Some(error);
        self.login = LoginState::BackingOff {
            until_ms: now_ms.saturating_add(backoff_ms(&self.retry, self.failures, random)),
        };
    }

    /// The server asked for a pause (Retry-After) after a failed login: the next login
    /// waits at least until `until_ms`.
    pub fn defer_login(&mut self, until_ms: u64) {
        if let LoginState::BackingOff { until_ms: current } = &mut self.login {
            *current = (*current).max(until_ms);
        }
    }

    /// A request sent with the token of `generation` got 401: drop that token, unless a
    /// newer login already replaced it.
    pub fn reject(&mut self, generation: u64) {
        if generation == self.generation {
            self.session = None;
        }
    }

    /// A request sent with the token of `generation` got an answer other than 401: the
    /// token worked.
    pub fn accepted(&mut self, generation: u64) {
        if generation == self.generation {
            self.proven = true;
        }
    }

    /// Whether a 401 for a request sent with the token of `generation` says something
    /// about that request: only when the token is the current one and never worked. A
    /// token that worked and then got 401 was revoked (another request's re-login
    /// replaces it), and an older token was already replaced. A token that never worked
    /// may be refused because of the request itself (a wrong signing secret refuses
    /// every token): such 401s are counted, and end the request after a few re-logins.
    pub fn refusal_counts(&self, generation: u64) -> bool {
        generation == self.generation && !self.proven
    }

    /// The last login failure, while logins are failing (for a waiting flow's report).
    pub fn last_error(&self) -> Option<&Error> {
        self.refused.as_ref().or(self.last_error.as_ref())
    }

    /// The current session, if any.
    pub fn session(&self) -> Option<&Session> {
        self.session.as_ref()
    }
}

/// A token is used at least this long after it was received, whatever its `expires`.
pub const MIN_TOKEN_USE_MS: u64 = 60_000;

/// How often a flow waiting for another flow's login looks again.
const LOGIN_POLL_MS: u64 = 50;

#[cfg(test)]
mod tests {
    use super::*;

    const LOGIN_OK: &[u8] = br#"{"token": "t-1", "expires": "2026-12-01T11:00:00+00:00"}"#;
    // 2026-12-01T10:00:00Z
    const NOW: u64 = 1_796_119_200_000;

    #[test]
    fn one_login_in_flight_then_everyone_shares_the_token() {
        let mut auth = Authenticator::new("user", "password").unwrap();
        let Credential::Login { ticket } = auth.credential(NOW) else {
            panic!()
        };
        assert!(matches!(auth.credential(NOW), Credential::Wait { .. }));
        auth.handle_login(ticket, Ok((200, LOGIN_OK)), NOW + 10, 0.0);
        let Credential::Token { generation, .. } = auth.credential(NOW + 20) else {
            panic!()
        };
        assert_eq!(generation, 1);
    }

    #[test]
    fn a_token_due_for_refresh_is_refreshed_by_one_flow_while_others_use_it() {
        let mut auth = Authenticator::new("user", "password").unwrap();
        let Credential::Login { ticket } = auth.credential(NOW) else {
            panic!()
        };
        auth.handle_login(ticket, Ok((200, LOGIN_OK)), NOW, 0.0);
        let late = NOW + 59 * 60 * 1_000 + 50_000;
        assert!(matches!(auth.credential(late), Credential::Login { .. }));
        assert!(matches!(auth.credential(late), Credential::Token { .. }));
        // Expired: now everyone waits for the login in flight.
        let expired = NOW + 60 * 60 * 1_000 + 10_000;
        assert!(matches!(auth.credential(expired), Credential::Wait { .. }));
    }

    #[test]
    fn a_token_that_looks_expired_on_arrival_is_used_for_a_minute_not_refreshed_per_request() {
        let mut auth = Authenticator::new("user", "password").unwrap();
        let later = NOW + 2 * 60 * 60 * 1_000; // our clock is two hours ahead of the server's
        let Credential::Login { ticket } = auth.credential(later) else {
            panic!()
        };
        auth.handle_login(ticket, Ok((200, LOGIN_OK)), later, 0.0);
        assert!(matches!(
            auth.credential(later + 59_000),
            Credential::Token { .. }
        ));
        assert!(matches!(
            auth.credential(later + 60_000),
            Credential::Login { .. }
        ));
    }

    #[test]
    fn a_401_drops_only_the_token_it_was_sent_with() {
        let mut auth = Authenticator::new("user", "password").unwrap();
        let Credential::Login { ticket } = auth.credential(NOW) else {
            panic!()
        };
        auth.handle_login(ticket, Ok((200, LOGIN_OK)), NOW, 0.0);
        auth.reject(0);
        assert!(matches!(auth.credential(NOW), Credential::Token { .. }));
        auth.reject(1);
        assert!(matches!(auth.credential(NOW), Credential::Login { .. }));
    }

    #[test]
    fn refused_credentials_refuse_every_flow_and_transient_failures_back_off() {
        let mut auth = Authenticator::new("user", "password").unwrap();
        let Credential::Login { ticket } = auth.credential(NOW) else {
            panic!()
        };
        auth.handle_login(ticket, Ok((503, b"")), NOW, 0.0);
        assert_eq!(
            auth.credential(NOW + 100),
            Credential::Wait {
                until_ms: NOW + 500
            }
        );
        let Credential::Login { ticket } = auth.credential(NOW + 500) else {
            panic!()
        };
        auth.handle_login(ticket, Ok((401, b"{}")), NOW + 600, 0.0);
        assert!(matches!(auth.credential(NOW + 700), Credential::Refused(_)));
    }

    #[test]
    fn a_redirected_or_unknown_login_status_is_refused_not_retried() {
        for status in [301, 302, 501, 505] {
            let mut auth = Authenticator::new("user", "password").unwrap();
            let Credential::Login { ticket } = auth.credential(NOW) else {
                panic!()
            };
            auth.handle_login(ticket, Ok((status, b"")), NOW, 0.0);
            assert!(
                matches!(auth.credential(NOW + 1), Credential::Refused(_)),
                "{status}"
            );
        }
    }

    #[test]
    fn a_login_asked_to_wait_waits_at_least_that_long() {
        let mut auth = Authenticator::new("user", "password").unwrap();
        let Credential::Login { ticket } = auth.credential(NOW) else {
            panic!()
        };
        auth.handle_login(ticket, Ok((429, b"")), NOW, 0.0);
        auth.defer_login(NOW + 30_000);
        assert_eq!(
            auth.credential(NOW + 600),
            Credential::Wait {
                until_ms: NOW + 30_000
            }
        );
        // A shorter request never shortens the backoff.
        auth.defer_login(NOW + 1);
        assert_eq!(
            auth.credential(NOW + 600),
            Credential::Wait {
                until_ms: NOW + 30_000
            }
        );
    }

    #[test]
    fn a_dropped_login_is_taken_over_after_its_lease() {
        let mut auth = Authenticator::new("user", "password").unwrap();
        assert!(matches!(
            auth.credential(NOW),
            Credential::Login { ticket: 1 }
        ));
        assert!(matches!(
            auth.credential(NOW + LOGIN_LEASE_MS),
            Credential::Login { ticket: 2 }
        ));
        // The first login's late failure changes nothing.
        auth.handle_login(1, Err(TransportErrorKind::Reset), NOW + LOGIN_LEASE_MS, 0.0);
        assert!(matches!(
            auth.credential(NOW + LOGIN_LEASE_MS),
            Credential::Wait { .. }
        ));
    }
}
