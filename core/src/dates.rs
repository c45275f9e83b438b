//! Calendar dates and RFC 3339 instants, without a clock.
//!
//! The core never reads the time: "today" and "now" are arguments. A date of birth is a
//! calendar date, never an instant, so it cannot shift by a day across time zones.

use std::fmt;

use crate::error::Error;

/// A proleptic Gregorian calendar date, `YYYY-MM-DD`, years 0001 to 9999.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct CalendarDate {
    year: u16,
    month: u8,
    day: u8,
}

impl CalendarDate {
    /// The date, if it exists on the calendar.
    pub fn new(year: u16, month: u8, day: u8) -> Option<Self> {
        if year == 0 || year > 9999 || month == 0 || month > 12 {
            return None;
        }
        if day == 0 || day > days_in_month(year, month) {
            return None;
        }
        Some(CalendarDate { year, month, day })
    }

    /// Parses exactly `YYYY-MM-DD` and checks that the day exists.
    pub fn parse(text: &str) -> Option<Self> {
        let b = text.as_bytes();
        if b.len() != 10 || b[4] != b'-' || b[7] != b'-' {
            return None;
        }
        let year = digits(&b[0..4])?;
        let month = digits(&b[5..7])?;
        let day = digits(&b[8..10])?;
        CalendarDate::new(
            u16::try_from(year).ok()?,
            u8::try_from(month).ok()?,
            u8::try_from(day).ok()?,
        )
    }

    /// Like [`CalendarDate::parse`], as an `invalid_date` argument error.
    pub fn parse_argument(text: &str) -> Result<Self, Error> {
        CalendarDate::parse(text).ok_or_else(|| {
            Error::invalid_argument(
                "invalid_date",
                "today must be a calendar date written YYYY-MM-DD",
            )
        })
    }

    /// The `today` every binding uses when its caller gives none: the UTC calendar date
    /// of `unix_seconds`, the host's current time (the core reads no clock).
    ///
    /// UTC rather than the host's local date, so that the same application gets the same
    /// answer on every host and in every language, whatever its time zone setting
    /// (servers often run in UTC, laptops and phones rarely), and the same answer as
    /// Jiko's server, which judges ages by its own clock and is taken to use UTC. A local
    /// date ahead of UTC would accept an applicant the server still sees as 17. Around
    /// midnight the UTC date can be a day before or after the user's own date; a caller
    /// for whom that day matters passes `today` explicitly. Consent timestamps are
    /// unaffected: one counts as "not after today" until noon UTC of the next day.
    ///
    /// An `invalid_date` error when the clock reads a time outside years 0001 to 9999.
    pub fn today_utc(unix_seconds: i64) -> Result<Self, Error> {
        Instant { unix_seconds }.utc_date().ok_or_else(|| {
            Error::invalid_argument(
                "invalid_date",
                "the host clock is not set to a date between 0001 and 9999; pass today explicitly",
            )
        })
    }

    /// The year.
    pub fn year(self) -> u16 {
        self.year
    }

    /// The month, 1 to 12.
    pub fn month(self) -> u8 {
        self.month
    }

    /// The day of the month.
    pub fn day(self) -> u8 {
        self.day
    }

    /// Whether someone born on `self` is at least `years` old on `on`.
    /// A 29 February birthday counts from 1 March in common years.
    pub fn is_at_least_years_before(self, years: u16, on: CalendarDate) -> bool {
        let anniversary = (
            u32::from(self.year) + u32::from(years),
            self.month,
            self.day,
        );
        anniversary <= (u32::from(on.year), on.month, on.day)
    }

    /// Days since 1970-01-01.
    pub fn days_since_epoch(self) -> i64 {
        days_from_civil(i64::from(self.year), self.month, self.day)
    }

    /// The date `days` days after 1970-01-01 (before it when negative): the inverse of
    /// [`CalendarDate::days_since_epoch`]. `None` outside years 0001 to 9999.
    pub fn from_days_since_epoch(days: i64) -> Option<Self> {
        if !(FIRST_DAY..=LAST_DAY).contains(&days) {
            return None;
        }
        let (year, month, day) = civil_from_days(days);
        CalendarDate::new(
            u16::try_from(year).ok()?,
            u8::try_from(month).ok()?,
            u8::try_from(day).ok()?,
        )
    }
}

/// 0001-01-01 and 9999-12-31 as days since 1970-01-01.
const FIRST_DAY: i64 = -719_162;
const LAST_DAY: i64 = 2_932_896;

impl fmt::Display for CalendarDate {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{:04}-{:02}-{:02}", self.year, self.month, self.day)
    }
}

/// An RFC 3339 instant, kept as seconds since the Unix epoch.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct Instant {
    /// Seconds since 1970-01-01T00:00:00Z (fractions dropped).
    pub unix_seconds: i64,
}

impl Instant {
    /// Parses `YYYY-MM-DDTHH:MM:SS[.fraction](Z|±HH:MM)`; the offset is required.
    pub fn parse_rfc3339(text: &str) -> Option<Self> {
        let b = text.as_bytes();
        if b.len() < 20 || !matches!(b[10], b'T' | b't' | b' ') {
            return None;
        }
        let date = CalendarDate::parse(text.get(0..10)?)?;
        if b[13] != b':' || b[16] != b':' {
            return None;
        }
        let hour = digits(&b[11..13])?;
        let minute = digits(&b[14..16])?;
        let second = digits(&b[17..19])?;
        // 60 is a leap second.
        if hour > 23 || minute > 59 || second > 60 {
            return None;
        }
        let mut rest = &b[19..];
        if rest.first() == Some(&b'.') {
            let fraction = rest[1..].iter().take_while(|c| c.is_ascii_digit()).count();
            if fraction == 0 {
                return None;
            }
            rest = &rest[1 + fraction..];
        }
        let offset_seconds: i64 = match rest {
            [b'Z' | b'z'] => 0,
            [sign @ (b'+' | b'-'), h1, h2, b':', m1, m2] => {
                let oh = digits(&[*h1, *h2])?;
                let om = digits(&[*m1, *m2])?;
                if oh > 23 || om > 59 {
                    return None;
                }
                let magnitude = i64::from(oh * 3600 + om * 60);
                if *sign == b'-' {
                    -magnitude
                } else {
                    magnitude
                }
            }
            _ => return None,
        };
        let local = date.days_since_epoch() * 86_400
            + i64::from(hour * 3600 + minute * 60 + second.min(59));
        Some(Instant {
            unix_seconds: local - offset_seconds,
        })
    }

    /// The calendar date of the instant in UTC; `None` outside years 0001 to 9999.
    pub fn utc_date(&self) -> Option<CalendarDate> {
        CalendarDate::from_days_since_epoch(self.unix_seconds.div_euclid(86_400))
    }

    /// `YYYY-MM-DDTHH:MM:SSZ`, in UTC, which [`Instant::parse_rfc3339`] reads back.
    /// RFC 3339 writes years 0001 to 9999 only: an instant before or after them is
    /// written as 0001-01-01T00:00:00Z or 9999-12-31T23:59:59Z.
    pub fn to_rfc3339(&self) -> String {
        let seconds = self
            .unix_seconds
            .clamp(FIRST_DAY * 86_400, LAST_DAY * 86_400 + 86_399);
        let (year, month, day) = civil_from_days(seconds.div_euclid(86_400));
        let s = seconds.rem_euclid(86_400);
        format!(
            "{year:04}-{month:02}-{day:02}T{:02}:{:02}:{:02}Z",
            s / 3600,
            s % 3600 / 60,
            s % 60
        )
    }
}

/// Seconds since the Unix epoch of an HTTP date in the IMF-fixdate form every server
/// sends today (`Sun, 06 Nov 1994 08:49:37 GMT`, RFC 9110); `None` for anything else.
pub fn parse_http_date(text: &str) -> Option<i64> {
    const MONTHS: [&str; 12] = [
        "Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec",
    ];
    let b = text.trim().as_bytes();
    // "Sun, 06 Nov 1994 08:49:37 GMT" is 29 bytes.
    if b.len() != 29 || &b[3..5] != b", " || &b[25..] != b" GMT" {
        return None;
    }
    if b[7] != b' ' || b[11] != b' ' || b[16] != b' ' || b[19] != b':' || b[22] != b':' {
        return None;
    }
    let day = u8::try_from(digits(&b[5..7])?).ok()?;
    let month_name = std::str::from_utf8(&b[8..11]).ok()?;
    let month = MONTHS.iter().position(|m| *m == month_name)? + 1;
    let year = u16::try_from(digits(&b[12..16])?).ok()?;
    let date = CalendarDate::new(year, u8::try_from(month).ok()?, day)?;
    let (hour, minute, second) = (
        digits(&b[17..19])?,
        digits(&b[20..22])?,
        digits(&b[23..25])?,
    );
    if hour > 23 || minute > 59 || second > 60 {
        return None;
    }
    Some(date.days_since_epoch() * 86_400 + i64::from(hour * 3600 + minute * 60 + second.min(59)))
}

fn digits(b: &[u8]) -> Option<u32> {
    let mut value: u32 = 0;
    for &c in b {
        if !c.is_ascii_digit() {
            return None;
        }
        value = value * 10 + u32::from(c - b'0');
    }
    Some(value)
}

fn is_leap(year: u16) -> bool {
    (year % 4 == 0 && year % 100 != 0) || year % 400 == 0
}

fn days_in_month(year: u16, month: u8) -> u8 {
    match month {
        1 | 3 | 5 | 7 | 8 | 10 | 12 => 31,
        4 | 6 | 9 | 11 => 30,
        2 if is_leap(year) => 29,
        2 => 28,
        _ => 0,
    }
}

/// Howard Hinnant's days-from-civil algorithm.
fn days_from_civil(year: i64, month: u8, day: u8) -> i64 {
    let y = if month <= 2 { year - 1 } else { year };
    let era = if y >= 0 { y } else { y - 399 } / 400;
    let yoe = y - era * 400;
    let m = i64::from(month);
    let doy = (153 * (if m > 2 { m - 3 } else { m + 9 }) + 2) / 5 + i64::from(day) - 1;
    let doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
    era * 146_097 + doe - 719_468
}

/// Howard Hinnant's civil-from-days algorithm: (year, month 1-12, day 1-31) of a count
/// of days since 1970-01-01. Callers keep `days` within years 0001 to 9999.
fn civil_from_days(days: i64) -> (i64, i64, i64) {
    let z = days + 719_468;
    let era = if z >= 0 { z } else { z - 146_096 } / 146_097;
    let doe = z - era * 146_097;
    let yoe = (doe - doe / 1460 + doe / 36_524 - doe / 146_096) / 365;
    let doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    let mp = (5 * doy + 2) / 153;
    let day = doy - (153 * mp + 2) / 5 + 1;
    let month = if mp < 10 { mp + 3 } else { mp - 9 };
    (yoe + era * 400 + i64::from(month <= 2), month, day)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn calendar_dates_must_exist() {
        assert!(CalendarDate::parse("2024-02-29").is_some());
        assert!(CalendarDate::parse("2023-02-29").is_none());
        assert!(CalendarDate::parse("1900-02-29").is_none());
        assert!(CalendarDate::parse("2000-02-29").is_some());
        assert!(CalendarDate::parse("2023-04-31").is_none());
        assert!(CalendarDate::parse("2023-13-01").is_none());
        assert!(CalendarDate::parse("0000-01-01").is_none());
        assert!(CalendarDate::parse("2023-1-01").is_none());
        assert!(CalendarDate::parse("2023-01-01T00:00:00Z").is_none());
        assert!(CalendarDate::parse("２０２３-01-01").is_none());
    }

    #[test]
    fn leap_day_birthdays_count_from_first_of_march() {
        let born = CalendarDate::parse("2008-02-29").unwrap();
        assert!(!born.is_at_least_years_before(18, CalendarDate::parse("2026-02-28").unwrap()));
        assert!(born.is_at_least_years_before(18, CalendarDate::parse("2026-03-01").unwrap()));
    }

    #[test]
    fn instants_need_an_offset() {
        assert_eq!(
            Instant::parse_rfc3339("1970-01-01T00:00:00Z")
                .unwrap()
                .unix_seconds,
            0
        );
        assert_eq!(
            Instant::parse_rfc3339("1970-01-01T01:00:00+01:00")
                .unwrap()
                .unix_seconds,
            0
        );
        assert_eq!(
            Instant::parse_rfc3339("2023-01-01T12:00:00.123456+00:00")
                .unwrap()
                .unix_seconds,
            1_672_574_400
        );
        assert!(Instant::parse_rfc3339("2023-01-01T12:00:00").is_none());
        assert!(Instant::parse_rfc3339("2023-01-01T25:00:00Z").is_none());
        assert!(Instant::parse_rfc3339("2023-01-01T12:00:00.Z").is_none());
        assert!(Instant::parse_rfc3339("2023-01-01T12:00:00+0100").is_none());
    }

    #[test]
    fn the_calendar_bounds_are_the_supported_years() {
        let first = CalendarDate::new(1, 1, 1).unwrap();
        let last = CalendarDate::new(9999, 12, 31).unwrap();
        assert_eq!(first.days_since_epoch(), FIRST_DAY);
        assert_eq!(last.days_since_epoch(), LAST_DAY);
        assert_eq!(CalendarDate::from_days_since_epoch(FIRST_DAY), Some(first));
        assert_eq!(CalendarDate::from_days_since_epoch(LAST_DAY), Some(last));
        assert_eq!(CalendarDate::from_days_since_epoch(FIRST_DAY - 1), None);
        assert_eq!(CalendarDate::from_days_since_epoch(LAST_DAY + 1), None);
        assert_eq!(CalendarDate::from_days_since_epoch(i64::MIN), None);
        assert_eq!(CalendarDate::from_days_since_epoch(i64::MAX), None);
    }

    #[test]
    fn days_since_epoch_round_trips_over_every_supported_day() {
        // Every day of years 0001 to 9999 (about 3.65 million), consecutive and
        // matching days_since_epoch.
        let mut previous: Option<CalendarDate> = None;
        for days in FIRST_DAY..=LAST_DAY {
            let date = CalendarDate::from_days_since_epoch(days).unwrap();
            assert_eq!(date.days_since_epoch(), days);
            if let Some(p) = previous {
                assert!(p < date);
            }
            previous = Some(date);
        }
        for (days, text) in [
            (-1, "1969-12-31"),
            (0, "1970-01-01"),
            (59, "1970-03-01"),
            (11_016, "2000-02-29"),
            (19_782, "2024-02-29"),
            (-25_509, "1900-02-28"),
            (-25_508, "1900-03-01"),
        ] {
            assert_eq!(
                CalendarDate::from_days_since_epoch(days)
                    .unwrap()
                    .to_string(),
                text
            );
        }
    }

    #[test]
    fn instants_are_written_in_utc_and_read_back() {
        for (seconds, text) in [
            (0, "1970-01-01T00:00:00Z"),
            (-1, "1969-12-31T23:59:59Z"),
            (951_782_400, "2000-02-29T00:00:00Z"),
            (1_672_574_400, "2023-01-01T12:00:00Z"),
            (1_709_164_799, "2024-02-28T23:59:59Z"),
            (4_102_444_799, "2099-12-31T23:59:59Z"),
            (-62_135_596_800, "0001-01-01T00:00:00Z"),
            (253_402_300_799, "9999-12-31T23:59:59Z"),
        ] {
            let instant = Instant {
                unix_seconds: seconds,
            };
            assert_eq!(instant.to_rfc3339(), text);
            assert_eq!(Instant::parse_rfc3339(text), Some(instant), "{text}");
        }
        // Outside the years RFC 3339 can write: clamped.
        for (seconds, text) in [
            (i64::MIN, "0001-01-01T00:00:00Z"),
            (-62_135_596_801, "0001-01-01T00:00:00Z"),
            (253_402_300_800, "9999-12-31T23:59:59Z"),
            (i64::MAX, "9999-12-31T23:59:59Z"),
        ] {
            let instant = Instant {
                unix_seconds: seconds,
            };
            assert_eq!(instant.to_rfc3339(), text);
        }
        // A pseudo-random sweep (fixed seed) through the whole range round-trips.
        let mut x: u64 = 0x9e37_79b9_7f4a_7c15;
        let span = (LAST_DAY - FIRST_DAY + 1) * 86_400;
        for _ in 0..100_000 {
            x ^= x << 13;
            x ^= x >> 7;
            x ^= x << 17;
            let seconds = FIRST_DAY * 86_400 + (x % span as u64) as i64;
            let instant = Instant {
                unix_seconds: seconds,
            };
            let text = instant.to_rfc3339();
            assert_eq!(Instant::parse_rfc3339(&text), Some(instant), "{text}");
            let date = instant.utc_date().unwrap();
            assert_eq!(text.get(..10), Some(date.to_string().as_str()));
        }
    }

    #[test]
    fn the_default_today_is_the_utc_date() {
        let today = |s| CalendarDate::today_utc(s).map(|d| d.to_string());
        // 2026-11-27T23:59:59Z is still the 27th in UTC, though already the 28th east of
        // it; 2026-11-28T00:00:00Z is the 28th, though still the 27th west of it.
        assert_eq!(today(1_795_823_999).unwrap(), "2026-11-27");
        assert_eq!(today(1_795_824_000).unwrap(), "2026-11-28");
        assert_eq!(today(0).unwrap(), "1970-01-01");
        assert_eq!(today(-1).unwrap(), "1969-12-31");
        assert_eq!(today(i64::MAX).unwrap_err().code(), "invalid_date");
        assert_eq!(today(i64::MIN).unwrap_err().code(), "invalid_date");
    }

    #[test]
    fn utc_dates_of_instants() {
        let at = |unix_seconds| Instant { unix_seconds }.utc_date().map(|d| d.to_string());
        assert_eq!(at(0).as_deref(), Some("1970-01-01"));
        assert_eq!(at(-1).as_deref(), Some("1969-12-31"));
        assert_eq!(at(951_868_799).as_deref(), Some("2000-02-29"));
        assert_eq!(at(951_868_800).as_deref(), Some("2000-03-01"));
        assert_eq!(at(-62_135_596_801), None);
        assert_eq!(at(253_402_300_800), None);
        assert_eq!(at(i64::MIN), None);
        assert_eq!(at(i64::MAX), None);
    }
}
