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
}

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
}
