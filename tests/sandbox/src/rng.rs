//! The seeded random numbers: which requests and deliveries get a fault, and the ids
//! the simulator hands out. One `--seed` gives the same faults and the same ids to the
//! same sequence of requests, so a failing run can be replayed.
//!
//! SplitMix64 (Steele, Lea and Flood): tiny, fast and good enough for test decisions;
//! nothing here is a secret (tokens come from the OS random source, not from this).

/// A SplitMix64 generator.
#[derive(Clone, Debug)]
pub(crate) struct SplitMix64(u64);

/// The golden-ratio increment of SplitMix64.
const GAMMA: u64 = 0x9e37_79b9_7f4a_7c15;

impl SplitMix64 {
    /// The `stream`-th independent generator of `seed`.
    pub(crate) fn new(seed: u64, stream: u64) -> Self {
        let mut base = SplitMix64(seed ^ stream.wrapping_mul(0xd1b5_4a32_d192_ed03));
        SplitMix64(base.next_u64())
    }

    pub(crate) fn next_u64(&mut self) -> u64 {
        self.0 = self.0.wrapping_add(GAMMA);
        let mut z = self.0;
        z = (z ^ (z >> 30)).wrapping_mul(0xbf58_476d_1ce4_e5b9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94d0_49bb_1331_11eb);
        z ^ (z >> 31)
    }

    /// A number in [0, 1).
    pub(crate) fn unit(&mut self) -> f64 {
        (self.next_u64() >> 11) as f64 / (1u64 << 53) as f64
    }

    /// A number in `low..=high`.
    pub(crate) fn between(&mut self, low: u64, high: u64) -> u64 {
        let span = high.saturating_sub(low).saturating_add(1);
        low.saturating_add(self.next_u64() % span.max(1))
    }

    /// A decimal digit.
    pub(crate) fn digit(&mut self) -> u8 {
        u8::try_from(self.next_u64() % 10).unwrap_or(0)
    }

    /// A version-4 UUID in lower-case hex.
    pub(crate) fn uuid(&mut self) -> String {
        let mut bytes = [0u8; 16];
        bytes[..8].copy_from_slice(&self.next_u64().to_be_bytes());
        bytes[8..].copy_from_slice(&self.next_u64().to_be_bytes());
        bytes[6] = (bytes[6] & 0x0f) | 0x40;
        bytes[8] = (bytes[8] & 0x3f) | 0x80;
        let hex: String = bytes.iter().map(|b| format!("{b:02x}")).collect();
        format!(
            "{}-{}-{}-{}-{}",
            &hex[0..8],
            &hex[8..12],
            &hex[12..16],
            &hex[16..20],
            &hex[20..32]
        )
    }
}

/// The independent streams of one seed, so that (say) subscribing a webhook receiver
/// does not change which API requests get a fault.
pub(crate) mod stream {
    pub(crate) const REQUEST_FAULTS: u64 = 1;
    pub(crate) const WEBHOOK_FAULTS: u64 = 2;
    pub(crate) const IDS: u64 = 3;
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_seed_gives_the_same_numbers_and_streams_differ() {
        let mut a = SplitMix64::new(42, stream::IDS);
        let mut b = SplitMix64::new(42, stream::IDS);
        let mut c = SplitMix64::new(42, stream::REQUEST_FAULTS);
        let (x, y, z) = (a.next_u64(), b.next_u64(), c.next_u64());
        assert_eq!(x, y);
        assert_ne!(x, z);
        assert_eq!(a.uuid(), b.uuid());
    }

    #[test]
    fn uuids_are_version_4() {
        let mut r = SplitMix64::new(7, stream::IDS);
        for _ in 0..100 {
            let id = r.uuid();
            assert!(jiko_onboarding::is_uuid(&id), "{id}");
            assert_eq!(&id[14..15], "4");
            assert!(matches!(&id[19..20], "8" | "9" | "a" | "b"));
        }
    }

    #[test]
    fn units_and_ranges_stay_in_bounds() {
        let mut r = SplitMix64::new(1, 1);
        for _ in 0..10_000 {
            let u = r.unit();
            assert!((0.0..1.0).contains(&u));
            assert!((200..=2000).contains(&r.between(200, 2000)));
            assert!(r.digit() < 10);
        }
    }
}
