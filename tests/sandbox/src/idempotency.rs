//! Idempotency keys (`x-jiko-idempotency`): remembered for an hour, compared
//! case-insensitively. In replay mode a repeat of the same request gets the first
//! answer again; in reject mode any repeat is refused.

use std::collections::{HashMap, VecDeque};

use sha2::{Digest, Sha256};

/// Idempotency keys are remembered for one hour, as Jiko does.
pub const IDEMPOTENCY_WINDOW_MILLIS: u64 = 3_600_000;

/// At most this many keys (with their answers) are remembered; past it the oldest are
/// forgotten first, so a long soak's memory stays bounded.
pub const IDEMPOTENCY_KEY_CAPACITY: usize = 100_000;

/// What a repeated key gets.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub enum IdempotencyMode {
    /// The same method, target and body within the hour: the first answer again (no
    /// second effect); a different request under the key: 409.
    #[default]
    Replay,
    /// Any reuse within the hour: 409.
    Reject,
}

impl IdempotencyMode {
    /// `replay` or `reject`.
    pub fn as_str(self) -> &'static str {
        match self {
            IdempotencyMode::Replay => "replay",
            IdempotencyMode::Reject => "reject",
        }
    }

    /// The mode of this name.
    pub fn parse(text: &str) -> Option<Self> {
        match text {
            "replay" => Some(IdempotencyMode::Replay),
            "reject" => Some(IdempotencyMode::Reject),
            _ => None,
        }
    }
}

/// An answer kept for a replay.
#[derive(Clone, Debug, PartialEq, Eq)]
pub(crate) struct StoredAnswer {
    pub status: u16,
    pub body: bytes::Bytes,
    pub retry_after: bool,
}

struct Entry {
    at: u64,
    /// SHA-256 of method, target and body: the request, without keeping its bytes
    /// (a body may hold personal data).
    fingerprint: [u8; 32],
    answer: Option<StoredAnswer>,
}

/// What a key is allowed to do.
#[derive(Debug, PartialEq, Eq)]
pub(crate) enum Verdict {
    /// A new key: go on, then [`Store::record`] the answer.
    Fresh,
    /// The same request again: this answer.
    Replay(StoredAnswer),
    /// Replay mode, another request under a used key.
    Mismatch,
    /// Reject mode, any reuse.
    Reused,
}

/// The keys of the last hour.
#[derive(Default)]
pub(crate) struct Store {
    entries: HashMap<String, Entry>,
    order: VecDeque<(u64, String)>,
}

/// The request a key was used for.
pub(crate) fn fingerprint(method: &str, target: &str, body: &[u8]) -> [u8; 32] {
    let mut h = Sha256::new();
    h.update(method.as_bytes());
    h.update([0]);
    h.update(target.as_bytes());
    h.update([0]);
    h.update(body);
    h.finalize().into()
}

impl Store {
    fn forget_old(&mut self, now: u64) {
        let cutoff = now.saturating_sub(IDEMPOTENCY_WINDOW_MILLIS);
        while let Some((at, _)) = self.order.front() {
            if *at > cutoff && self.order.len() <= IDEMPOTENCY_KEY_CAPACITY {
                break;
            }
            if let Some((at, old)) = self.order.pop_front() {
                if self.entries.get(&old).is_some_and(|e| e.at == at) {
                    self.entries.remove(&old);
                }
            }
        }
    }

    /// Checks a key; a fresh key is recorded at once (with no answer yet), so that
    /// the request's outcome, whatever it is, is what a repeat gets.
    pub(crate) fn check(
        &mut self,
        mode: IdempotencyMode,
        key: &str,
        fingerprint: [u8; 32],
        now: u64,
    ) -> Verdict {
        self.forget_old(now);
        let key = key.to_ascii_lowercase();
        if let Some(entry) = self.entries.get(&key) {
            return match mode {
                IdempotencyMode::Reject => Verdict::Reused,
                IdempotencyMode::Replay if entry.fingerprint != fingerprint => Verdict::Mismatch,
                IdempotencyMode::Replay => match &entry.answer {
                    Some(answer) => Verdict::Replay(answer.clone()),
                    // Answers are recorded under the same lock as the check, so this
                    // is not reached; refusing is the safe answer if it were.
                    None => Verdict::Mismatch,
                },
            };
        }
        self.entries.insert(
            key.clone(),
            Entry {
                at: now,
                fingerprint,
                answer: None,
            },
        );
        self.order.push_back((now, key));
        Verdict::Fresh
    }

    /// The answer a fresh key's request got, for its replays.
    pub(crate) fn record(&mut self, key: &str, answer: StoredAnswer) {
        if let Some(entry) = self.entries.get_mut(&key.to_ascii_lowercase()) {
            entry.answer = Some(answer);
        }
    }

    /// How many keys are remembered.
    #[cfg(test)]
    pub(crate) fn len(&self) -> usize {
        self.entries.len()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const K: &str = "123e4567-e89b-12d3-a456-426614174000";

    fn answer(status: u16) -> StoredAnswer {
        StoredAnswer {
            status,
            body: bytes::Bytes::from_static(b"{}"),
            retry_after: false,
        }
    }

    #[test]
    fn replay_mode_replays_the_same_request_and_refuses_another() {
        let mut s = Store::default();
        let f = fingerprint("POST", "/api/v1/applications/", b"{}");
        assert_eq!(
            s.check(IdempotencyMode::Replay, K, f, 1_000),
            Verdict::Fresh
        );
        s.record(K, answer(201));
        assert_eq!(
            s.check(IdempotencyMode::Replay, &K.to_uppercase(), f, 2_000),
            Verdict::Replay(answer(201))
        );
        let other = fingerprint("POST", "/api/v1/applications/", b"{ }");
        assert_eq!(
            s.check(IdempotencyMode::Replay, K, other, 2_000),
            Verdict::Mismatch
        );
        let get = fingerprint("GET", "/api/v1/applications/", b"{}");
        assert_eq!(
            s.check(IdempotencyMode::Replay, K, get, 2_000),
            Verdict::Mismatch
        );
    }

    #[test]
    fn reject_mode_refuses_any_reuse_within_the_hour_and_forgets_after() {
        let mut s = Store::default();
        let f = fingerprint("GET", "/", b"");
        assert_eq!(
            s.check(IdempotencyMode::Reject, K, f, 1_000),
            Verdict::Fresh
        );
        s.record(K, answer(200));
        assert_eq!(
            s.check(IdempotencyMode::Reject, K, f, 2_000),
            Verdict::Reused
        );
        let last = 1_000 + IDEMPOTENCY_WINDOW_MILLIS - 1;
        assert_eq!(
            s.check(IdempotencyMode::Reject, K, f, last),
            Verdict::Reused
        );
        let after = 1_000 + IDEMPOTENCY_WINDOW_MILLIS;
        assert_eq!(
            s.check(IdempotencyMode::Reject, K, f, after),
            Verdict::Fresh
        );
        assert_eq!(s.len(), 1);
    }

    #[test]
    fn the_oldest_keys_go_past_the_capacity() {
        let mut s = Store::default();
        let f = fingerprint("GET", "/", b"");
        for i in 0..IDEMPOTENCY_KEY_CAPACITY + 10 {
            let key = format!("{i:08x}-0000-4000-8000-000000000000");
            assert_eq!(s.check(IdempotencyMode::Reject, &key, f, 5), Verdict::Fresh);
        }
        s.forget_old(5);
        assert!(s.len() <= IDEMPOTENCY_KEY_CAPACITY);
        let first = format!("{:08x}-0000-4000-8000-000000000000", 0);
        assert_eq!(
            s.check(IdempotencyMode::Reject, &first, f, 5),
            Verdict::Fresh
        );
    }
}
