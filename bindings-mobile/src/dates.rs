//! The `today` argument: the caller's `YYYY-MM-DD`, or the current UTC date when absent.
//!
//! The core reads no clock; API.md lets a binding default `today`. A native library has
//! no portable way to learn the device's time zone, so the default is the UTC date (the
//! core's `Instant::utc_date`), and the README tells apps to pass their local date
//! (`LocalDate.now()`, `jikoCalendarDate()`) when a day's difference matters (an
//! applicant turning 18 today).

use std::time::{SystemTime, UNIX_EPOCH};

use jiko_onboarding as core;

use crate::JikoError;

/// The caller's date, checked by the core (`invalid_date`), or today's UTC date.
pub(crate) fn today_or_utc(today: Option<String>) -> Result<core::CalendarDate, JikoError> {
    match today {
        Some(text) => Ok(core::CalendarDate::parse_argument(&text)?),
        None => utc_today(),
    }
}

fn utc_today() -> Result<core::CalendarDate, JikoError> {
    SystemTime::now()
        .duration_since(UNIX_EPOCH)
        .ok()
        .and_then(|elapsed| i64::try_from(elapsed.as_secs()).ok())
        .and_then(|unix_seconds| core::Instant { unix_seconds }.utc_date())
        .ok_or_else(|| {
            JikoError::invalid_argument(
                "invalid_date",
                "the device clock is not set to a date between 0001 and 9999; pass today explicitly",
            )
        })
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
