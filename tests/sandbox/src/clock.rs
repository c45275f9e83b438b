//! The wall clock, read here and nowhere in the core: "now" for tokens and timestamps,
//! and the UTC calendar date the simulator validates ages against. The calendar
//! arithmetic is the core's (`Instant::utc_date`, `Instant::to_rfc3339`).

use std::time::{SystemTime, UNIX_EPOCH};

use jiko_onboarding::{CalendarDate, Instant};

/// Milliseconds since the Unix epoch (0 if the clock is before 1970).
pub fn now_millis() -> u64 {
    SystemTime::now()
        .duration_since(UNIX_EPOCH)
        .map(|d| u64::try_from(d.as_millis()).unwrap_or(u64::MAX))
        .unwrap_or(0)
}

/// Seconds since the Unix epoch.
pub fn now_seconds() -> i64 {
    i64::try_from(now_millis() / 1000).unwrap_or(i64::MAX)
}

/// Today's date in UTC: the `today` the simulator checks ages against.
pub fn today_utc() -> Option<CalendarDate> {
    Instant {
        unix_seconds: now_seconds(),
    }
    .utc_date()
}

/// `YYYY-MM-DDTHH:MM:SS+00:00`, the form of the API reference's examples: the core's
/// `Instant::to_rfc3339`, with its `Z` written as the `+00:00` offset it stands for.
pub fn rfc3339(unix_seconds: i64) -> String {
    let text = Instant { unix_seconds }.to_rfc3339();
    match text.strip_suffix('Z') {
        Some(utc) => format!("{utc}+00:00"),
        None => text,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn round_trips_through_the_core_parser() {
        for t in [
            0,
            951_782_400,
            1_672_574_400,
            1_709_164_800,
            4_102_444_799,
            -86_400,
        ] {
            let text = rfc3339(t);
            assert!(text.ends_with("+00:00"), "{text}");
            assert_eq!(
                Instant::parse_rfc3339(&text).unwrap().unix_seconds,
                t,
                "{text}"
            );
        }
        assert_eq!(rfc3339(1_672_574_400), "2023-01-01T12:00:00+00:00");
    }

    #[test]
    fn today_is_a_date_near_now() {
        let today = today_utc().unwrap();
        let days = today.days_since_epoch();
        assert!((days * 86_400..(days + 1) * 86_400).contains(&now_seconds()));
    }
}
