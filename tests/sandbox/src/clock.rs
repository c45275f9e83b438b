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

/// `YYYY-MM-DDTHH:MM:SS.mmm+00:00`: event and delivery times, to the millisecond so
/// that List Events' `after` can tell apart events of the same second.
pub fn rfc3339_millis(unix_millis: u64) -> String {
    let seconds = i64::try_from(unix_millis / 1000).unwrap_or(i64::MAX);
    let text = rfc3339(seconds);
    match text.strip_suffix("+00:00") {
        Some(base) => format!("{base}.{:03}+00:00", unix_millis % 1000),
        None => text,
    }
}

/// Milliseconds since the epoch of an RFC 3339 time (its fraction kept to the
/// millisecond), or `None` when the text is not one.
pub fn parse_rfc3339_millis(text: &str) -> Option<i128> {
    let seconds = Instant::parse_rfc3339(text)?.unix_seconds;
    let fraction: String = text
        .get(19..)
        .and_then(|rest| rest.strip_prefix('.'))
        .map(|rest| {
            rest.chars()
                .take_while(char::is_ascii_digit)
                .take(3)
                .collect()
        })
        .unwrap_or_default();
    let millis: i128 = format!("{fraction:0<3}").parse().unwrap_or(0);
    Some(i128::from(seconds) * 1000 + millis)
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
    fn milliseconds_round_trip() {
        let text = rfc3339_millis(1_672_574_400_123);
        assert_eq!(text, "2023-01-01T12:00:00.123+00:00");
        assert_eq!(parse_rfc3339_millis(&text), Some(1_672_574_400_123));
        assert_eq!(
            parse_rfc3339_millis("2023-01-01T12:00:00.5Z"),
            Some(1_672_574_400_500)
        );
        assert_eq!(
            parse_rfc3339_millis("2023-01-01T13:00:00+01:00"),
            Some(1_672_574_400_000)
        );
        assert_eq!(parse_rfc3339_millis("2023-01-01"), None);
    }

    #[test]
    fn today_is_a_date_near_now() {
        let today = today_utc().unwrap();
        let days = today.days_since_epoch();
        assert!((days * 86_400..(days + 1) * 86_400).contains(&now_seconds()));
    }
}
