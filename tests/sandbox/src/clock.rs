//! The wall clock, read here and nowhere in the core: "now" for tokens and timestamps,
//! and the UTC calendar date the simulator validates ages against.

use std::time::{SystemTime, UNIX_EPOCH};

use jiko_onboarding::CalendarDate;

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

/// The year, month and day of a count of days since 1970-01-01 (Howard Hinnant's
/// civil-from-days, the inverse of the core's days-from-civil).
pub fn civil_from_days(days: i64) -> (i64, u8, u8) {
    let z = days + 719_468;
    let era = if z >= 0 { z } else { z - 146_096 } / 146_097;
    let doe = z - era * 146_097;
    let yoe = (doe - doe / 1460 + doe / 36_524 - doe / 146_096) / 365;
    let doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    let mp = (5 * doy + 2) / 153;
    let day = doy - (153 * mp + 2) / 5 + 1;
    let month = if mp < 10 { mp + 3 } else { mp - 9 };
    let year = yoe + era * 400 + i64::from(month <= 2);
    // day is 1..=31 and month 1..=12 by construction.
    (
        year,
        u8::try_from(month).unwrap_or(1),
        u8::try_from(day).unwrap_or(1),
    )
}

/// The calendar date of a Unix time, in UTC.
pub fn date_of(unix_seconds: i64) -> Option<CalendarDate> {
    let (y, m, d) = civil_from_days(unix_seconds.div_euclid(86_400));
    CalendarDate::new(u16::try_from(y).ok()?, m, d)
}

/// Today's date in UTC: the `today` the simulator checks ages against.
pub fn today_utc() -> Option<CalendarDate> {
    date_of(now_seconds())
}

/// `YYYY-MM-DDTHH:MM:SS+00:00`, the form of the API reference's examples.
pub fn rfc3339(unix_seconds: i64) -> String {
    let (y, m, d) = civil_from_days(unix_seconds.div_euclid(86_400));
    let s = unix_seconds.rem_euclid(86_400);
    format!(
        "{y:04}-{m:02}-{d:02}T{:02}:{:02}:{:02}+00:00",
        s / 3600,
        s % 3600 / 60,
        s % 60
    )
}

#[cfg(test)]
mod tests {
    use super::*;
    use jiko_onboarding::Instant;

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
            assert_eq!(
                Instant::parse_rfc3339(&text).unwrap().unix_seconds,
                t,
                "{text}"
            );
        }
        assert_eq!(rfc3339(1_672_574_400), "2023-01-01T12:00:00+00:00");
    }

    #[test]
    fn dates_match_the_core_calendar() {
        for days in [-1, 0, 59, 11_016, 19_782, 20_000, 2_932_896] {
            let date = date_of(days * 86_400).unwrap();
            assert_eq!(date.days_since_epoch(), days, "{date}");
        }
        assert_eq!(date_of(951_782_400).unwrap().to_string(), "2000-02-29");
    }
}
