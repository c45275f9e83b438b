//! The `today` argument: the caller's `YYYY-MM-DD`, or the core's default for the
//! device's current time (`CalendarDate::today_utc`: the UTC date, the same default in
//! every language). Apps pass the device's local date (`LocalDate.now()`,
//! `jikoCalendarDate()`) when that day's difference matters to them.

use std::time::{SystemTime, UNIX_EPOCH};

use jiko_onboarding as core;

use crate::JikoError;

/// The caller's date, checked by the core (`invalid_date`), or today's UTC date.
pub(crate) fn today_or_utc(today: Option<String>) -> Result<core::CalendarDate, JikoError> {
    Ok(match today {
        Some(text) => core::CalendarDate::parse_argument(&text)?,
        None => core::CalendarDate::today_utc(unix_seconds_now())?,
    })
}

/// The device's current time in seconds since the Unix epoch (negative before it).
fn unix_seconds_now() -> i64 {
    match SystemTime::now().duration_since(UNIX_EPOCH) {
        Ok(after) => i64::try_from(after.as_secs()).unwrap_or(i64::MAX),
        Err(before) => i64::try_from(before.duration().as_secs()).map_or(i64::MIN, |s| -s),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn explicit_today_is_checked_by_the_core() {
        assert!(today_or_utc(Some("2026-11-27".into())).is_ok());
        let err = today_or_utc(Some("27/11/2026".into())).unwrap_err();
        assert_eq!(err.code(), "invalid_date");
    }

    #[test]
    fn the_default_is_the_utc_date() {
        let today = today_or_utc(None).unwrap();
        let seconds = SystemTime::now()
            .duration_since(UNIX_EPOCH)
            .unwrap()
            .as_secs() as i64;
        // Around midnight UTC the two readings may straddle the day boundary.
        let days = today.days_since_epoch();
        assert!((seconds / 86_400 - days).abs() <= 1, "{today}");
    }
}
