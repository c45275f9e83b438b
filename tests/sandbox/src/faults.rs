//! Faults on demand (`--faults KIND=P,...`): per-request and per-delivery
//! probabilities, drawn from the seeded generator, at most one fault each.

use std::fmt;

use crate::rng::SplitMix64;

/// A fault the simulator can inject.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum FaultKind {
    /// The request takes full effect (its key and answer are recorded for a replay),
    /// then the connection closes without an answer.
    LostResponse,
    /// 500 before any effect.
    ServerError,
    /// 503 with `Retry-After: 1` before any effect.
    Unavailable,
    /// 429 with `Retry-After: 1` before any effect.
    RateLimit,
    /// The connection is reset (zero linger) before any effect.
    Reset,
    /// 401 for a token that has not expired, which is revoked from then on.
    TokenRevoked,
    /// A webhook delivery is sent twice.
    WebhookDuplicate,
    /// A webhook delivery is held 0.2 to 2 seconds.
    WebhookDelay,
    /// A webhook delivery is held until the next one to the same subscription has been
    /// sent (or 2 seconds at most).
    WebhookReorder,
}

impl FaultKind {
    /// Every kind, request kinds first.
    pub const ALL: [FaultKind; 9] = [
        FaultKind::LostResponse,
        FaultKind::ServerError,
        FaultKind::Unavailable,
        FaultKind::RateLimit,
        FaultKind::Reset,
        FaultKind::TokenRevoked,
        FaultKind::WebhookDuplicate,
        FaultKind::WebhookDelay,
        FaultKind::WebhookReorder,
    ];

    /// The kinds decided per API request.
    pub const REQUEST: [FaultKind; 6] = [
        FaultKind::LostResponse,
        FaultKind::ServerError,
        FaultKind::Unavailable,
        FaultKind::RateLimit,
        FaultKind::Reset,
        FaultKind::TokenRevoked,
    ];

    /// The kinds decided per webhook delivery.
    pub const WEBHOOK: [FaultKind; 3] = [
        FaultKind::WebhookDuplicate,
        FaultKind::WebhookDelay,
        FaultKind::WebhookReorder,
    ];

    /// The name used by `--faults` and in the stats.
    pub fn as_str(self) -> &'static str {
        match self {
            FaultKind::LostResponse => "lost_response",
            FaultKind::ServerError => "server_error",
            FaultKind::Unavailable => "unavailable",
            FaultKind::RateLimit => "rate_limit",
            FaultKind::Reset => "reset",
            FaultKind::TokenRevoked => "token_revoked",
            FaultKind::WebhookDuplicate => "webhook_duplicate",
            FaultKind::WebhookDelay => "webhook_delay",
            FaultKind::WebhookReorder => "webhook_reorder",
        }
    }

    /// The kind of this name.
    pub fn parse(name: &str) -> Option<FaultKind> {
        FaultKind::ALL.into_iter().find(|k| k.as_str() == name)
    }

    fn index(self) -> usize {
        FaultKind::ALL
            .iter()
            .position(|k| *k == self)
            .unwrap_or_default()
    }
}

impl fmt::Display for FaultKind {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

/// The probability of each fault; all zero by default (no faults).
#[derive(Clone, Debug, Default, PartialEq)]
pub struct FaultRates {
    rates: [f64; 9],
}

impl FaultRates {
    /// Parses `KIND=P,KIND=P,...` (P from 0 to 1). The request kinds may add up to 1
    /// at most, and so may the webhook kinds, as each request (or delivery) gets one
    /// fault at most. An empty text is no fault.
    pub fn parse(text: &str) -> Result<FaultRates, String> {
        let mut rates = FaultRates::default();
        let mut seen = Vec::new();
        for item in text.split(',').map(str::trim).filter(|s| !s.is_empty()) {
            let (name, value) = item
                .split_once('=')
                .ok_or_else(|| format!("{item:?}: expected KIND=PROBABILITY"))?;
            let kind = FaultKind::parse(name.trim()).ok_or_else(|| {
                let known: Vec<&str> = FaultKind::ALL.iter().map(|k| k.as_str()).collect();
                format!(
                    "unknown fault {:?} (known: {})",
                    name.trim(),
                    known.join(", ")
                )
            })?;
            if seen.contains(&kind) {
                return Err(format!("{kind} is given twice"));
            }
            seen.push(kind);
            let p: f64 = value
                .trim()
                .parse()
                .map_err(|_| format!("{kind}: {:?} is not a number", value.trim()))?;
            rates.set(kind, p)?;
        }
        Ok(rates)
    }

    /// Sets one probability (0 to 1), keeping each group's sum at 1 at most.
    pub fn set(&mut self, kind: FaultKind, probability: f64) -> Result<(), String> {
        if !(0.0..=1.0).contains(&probability) {
            return Err(format!("{kind}: the probability must be from 0 to 1"));
        }
        let old = self.get(kind);
        self.rates[kind.index()] = probability;
        for (group, name) in [
            (&FaultKind::REQUEST[..], "request"),
            (&FaultKind::WEBHOOK[..], "webhook"),
        ] {
            let sum: f64 = group.iter().map(|k| self.get(*k)).sum();
            if sum > 1.0 + 1e-9 {
                self.rates[kind.index()] = old;
                return Err(format!(
                    "the {name} fault probabilities add up to {sum}, more than 1 (one fault at most per {name})"
                ));
            }
        }
        Ok(())
    }

    /// The probability of one kind.
    pub fn get(&self, kind: FaultKind) -> f64 {
        self.rates[kind.index()]
    }

    /// Whether no fault has a probability above 0.
    pub fn is_empty(&self) -> bool {
        self.rates.iter().all(|p| *p <= 0.0)
    }

    /// One draw for one request (or delivery): the fault of `group` it gets, if any.
    pub(crate) fn draw(&self, group: &[FaultKind], rng: &mut SplitMix64) -> Option<FaultKind> {
        let u = rng.unit();
        let mut cumulative = 0.0;
        for kind in group {
            let p = self.get(*kind);
            cumulative += p;
            if p > 0.0 && u < cumulative {
                return Some(*kind);
            }
        }
        None
    }
}

impl fmt::Display for FaultRates {
    /// `KIND=P,...` for the kinds above 0, or `none`.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let parts: Vec<String> = FaultKind::ALL
            .iter()
            .filter(|k| self.get(**k) > 0.0)
            .map(|k| format!("{k}={}", self.get(*k)))
            .collect();
        if parts.is_empty() {
            f.write_str("none")
        } else {
            f.write_str(&parts.join(","))
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::rng::{stream, SplitMix64};

    #[test]
    fn parses_and_prints() {
        let r = FaultRates::parse("lost_response=0.1, rate_limit=0.25,webhook_delay=1").unwrap();
        assert_eq!(r.get(FaultKind::LostResponse), 0.1);
        assert_eq!(r.get(FaultKind::RateLimit), 0.25);
        assert_eq!(r.get(FaultKind::WebhookDelay), 1.0);
        assert_eq!(r.get(FaultKind::Reset), 0.0);
        assert_eq!(
            r.to_string(),
            "lost_response=0.1,rate_limit=0.25,webhook_delay=1"
        );
        assert!(FaultRates::parse("").unwrap().is_empty());
        assert_eq!(FaultRates::default().to_string(), "none");
    }

    #[test]
    fn refuses_what_cannot_be_honoured() {
        for bad in [
            "nope=0.1",
            "reset",
            "reset=x",
            "reset=1.5",
            "reset=-0.1",
            "reset=NaN",
            "reset=0.1,reset=0.2",
            "reset=0.6,server_error=0.6",
            "webhook_delay=0.5,webhook_reorder=0.6",
        ] {
            assert!(FaultRates::parse(bad).is_err(), "{bad}");
        }
        // The groups are separate: each may add up to 1.
        assert!(FaultRates::parse("reset=1,webhook_duplicate=1").is_ok());
    }

    #[test]
    fn draws_follow_the_rates_and_the_seed() {
        let rates = FaultRates::parse("server_error=0.2,reset=0.3").unwrap();
        let mut rng = SplitMix64::new(9, stream::REQUEST_FAULTS);
        let mut counts = std::collections::HashMap::new();
        for _ in 0..100_000 {
            *counts
                .entry(rates.draw(&FaultKind::REQUEST, &mut rng))
                .or_insert(0u32) += 1;
        }
        let share = |k: Option<FaultKind>| f64::from(counts[&k]) / 100_000.0;
        assert!((share(Some(FaultKind::ServerError)) - 0.2).abs() < 0.01);
        assert!((share(Some(FaultKind::Reset)) - 0.3).abs() < 0.01);
        assert!((share(None) - 0.5).abs() < 0.01);
        assert!(!counts.contains_key(&Some(FaultKind::LostResponse)));
        // The webhook group never draws a request kind.
        let mut rng = SplitMix64::new(9, stream::WEBHOOK_FAULTS);
        assert!((0..1000).all(|_| rates.draw(&FaultKind::WEBHOOK, &mut rng).is_none()));
    }
}
