//! The flow's random numbers: idempotency keys and jitter.
//!
//! By default they come from the operating system. A seed makes a flow repeatable, for
//! tests and for replaying a failing chaos run: SplitMix64, whose few lines any test
//! suite can restate.

use crate::error::Error;
use crate::idempotency::{new_idempotency_key, uuid_v4};

/// Where a flow's randomness comes from.
#[derive(Clone, Debug)]
pub(crate) enum Randomness {
    Os,
    Seeded(u64),
}

impl Randomness {
    pub(crate) fn new(seed: Option<u64>) -> Self {
        match seed {
            Some(seed) => Randomness::Seeded(seed),
            None => Randomness::Os,
        }
    }

    fn next_u64(&mut self) -> u64 {
        match self {
            Randomness::Seeded(state) => {
                *state = state.wrapping_add(0x9E37_79B9_7F4A_7C15);
                let mut z = *state;
                z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
                z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
                z ^ (z >> 31)
            }
            Randomness::Os => {
                let mut bytes = [0u8; 8];
                // Without an OS random source, jitter degrades to none; keys fail loudly.
                let _ = getrandom::fill(&mut bytes);
                u64::from_le_bytes(bytes)
            }
        }
    }

    /// A uniform number in `[0, 1)`: the top 53 bits of the next value.
    pub(crate) fn unit(&mut self) -> f64 {
        (self.next_u64() >> 11) as f64 / (1u64 << 53) as f64
    }

    /// A fresh idempotency key (UUID v4).
    pub(crate) fn key(&mut self) -> Result<String, Error> {
        match self {
            Randomness::Os => new_idempotency_key(),
            Randomness::Seeded(_) => {
                let mut bytes = [0u8; 16];
                bytes[..8].copy_from_slice(&self.next_u64().to_le_bytes());
                bytes[8..].copy_from_slice(&self.next_u64().to_le_bytes());
                Ok(uuid_v4(bytes))
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::idempotency::is_uuid;

    #[test]
    fn seeded_values_are_splitmix64() {
        // The reference sequence of SplitMix64 seeded with 0.
        let mut r = Randomness::new(Some(0));
        assert_eq!(r.next_u64(), 0xE220_A839_7B1D_CDAF);
        assert_eq!(r.next_u64(), 0x6E78_9E6A_A1B9_65F4);
        let mut r = Randomness::new(Some(7));
        let key = r.key().unwrap();
        assert!(is_uuid(&key), "{key}");
        let u = r.unit();
        assert!((0.0..1.0).contains(&u));
    }
}
