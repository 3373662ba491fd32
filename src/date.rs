//! Calendar dates: parsing `--date`, today's date in Japan, Excel serial
//! numbers (calendar arithmetic by the `time` crate) and the Japanese era
//! (和暦) of the handout, which no crate does.

use std::fmt;

/// A calendar date (proleptic Gregorian).
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub struct Date {
    /// Year, e.g. 2026.
    pub year: i32,
    /// Month 1–12.
    pub month: u32,
    /// Day 1–31.
    pub day: u32,
}

impl fmt::Display for Date {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{:04}-{:02}-{:02}", self.year, self.month, self.day)
    }
}

/// The date as the calendar crate sees it (`None` for a date that does not
/// exist, which [`Date::parse`] never makes).
fn calendar(d: Date) -> Option<time::Date> {
    let month = time::Month::try_from(u8::try_from(d.month).ok()?).ok()?;
    time::Date::from_calendar_date(d.year, month, u8::try_from(d.day).ok()?).ok()
}

fn from_calendar(d: time::Date) -> Date {
    Date {
        year: d.year(),
        month: u32::from(u8::from(d.month())),
        day: u32::from(d.day()),
    }
}

/// Japan's offset from UTC.
fn jst() -> time::UtcOffset {
    time::UtcOffset::from_whole_seconds(JST_OFFSET_SECS as i32).unwrap_or(time::UtcOffset::UTC)
}

/// Japan Standard Time: UTC+09:00 all year (SPEC §7.5).
pub const JST_OFFSET_SECS: i64 = 9 * 3600;

impl Date {
    /// Today's date in Japan, whatever the machine's time zone.
    pub fn today() -> Date {
        let secs = std::time::SystemTime::now()
            .duration_since(std::time::UNIX_EPOCH)
            .map(|d| d.as_secs() as i64)
            .unwrap_or(0);
        Date::japan_date_at(secs)
    }

    /// The date in Japan at a Unix time (1970-01-01 for a time outside
    /// the years 1–9999).
    pub fn japan_date_at(unix_seconds: i64) -> Date {
        let utc = time::OffsetDateTime::from_unix_timestamp(unix_seconds)
            .unwrap_or(time::OffsetDateTime::UNIX_EPOCH);
        from_calendar(utc.to_offset(jst()).date())
    }

    /// Parses `YYYY-MM-DD`, checking that the day exists.
    pub fn parse(s: &str) -> Option<Date> {
        let mut parts = s.trim().split('-');
        let year: i32 = parts.next()?.parse().ok()?;
        let month: u32 = parts.next()?.parse().ok()?;
        let day: u32 = parts.next()?.parse().ok()?;
        if parts.next().is_some()
            || !(1..=9999).contains(&year)
            || !(1..=12).contains(&month)
            || day == 0
        {
            return None;
        }
        let d = Date { year, month, day };
        calendar(d).map(|_| d)
    }

    /// The date of an Excel serial number (1900 date system), for the
    /// serials Excel shows as dates: 0 to 2,958,465 (9999-12-31).
    pub fn from_excel_serial(serial: f64) -> Option<Date> {
        if !(0.0..2_958_466.0).contains(&serial) {
            return None;
        }
        let epoch = time::Date::from_calendar_date(1899, time::Month::December, 30).ok()?;
        epoch
            .checked_add(time::Duration::days(serial.floor() as i64))
            .map(from_calendar)
    }

    /// Seconds since the Unix epoch at midnight of this date in Japan.
    pub fn unix_seconds(&self) -> i64 {
        calendar(*self).map_or(0, |d| d.midnight().assume_offset(jst()).unix_timestamp())
    }

    /// Midnight of this date in Japan as UTC: the date and hour in UTC
    /// (the day before, 15 o'clock), for formats that only write UTC.
    pub fn japan_midnight_in_utc(&self) -> (Date, u8) {
        let utc = time::OffsetDateTime::from_unix_timestamp(self.unix_seconds())
            .unwrap_or(time::OffsetDateTime::UNIX_EPOCH);
        (from_calendar(utc.date()), utc.hour())
    }

    /// The era name and year: (令和, 8). Year 1 is printed as 元年 by
    /// [`Date::wareki_month`].
    pub fn era(&self) -> (&'static str, i32) {
        const ERAS: [(&str, (i32, u32, u32)); 5] = [
            ("令和", (2019, 5, 1)),
            ("平成", (1989, 1, 8)),
            ("昭和", (1926, 12, 25)),
            ("大正", (1912, 7, 30)),
            ("明治", (1868, 1, 25)),
        ];
        let key = (self.year, self.month, self.day);
        for (name, start) in ERAS {
            if key >= start {
                return (name, self.year - start.0 + 1);
            }
        }
        ("明治", self.year - 1868 + 1)
    }

    /// `令和8年11月` (year 1 as 元年).
    pub fn wareki_month(&self) -> String {
        let (era, y) = self.era();
        let y = if y == 1 {
            "元".to_string()
        } else {
            y.to_string()
        };
        format!("{era}{y}年{}月", self.month)
    }

    /// `令和8年11月24日`.
    pub fn wareki_day(&self) -> String {
        format!("{}{}日", self.wareki_month(), self.day)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn parse_and_reject() {
        assert_eq!(
            Date::parse("2026-11-24"),
            Some(Date {
                year: 2026,
                month: 11,
                day: 24
            })
        );
        assert_eq!(Date::parse("2026-02-29"), None);
        assert_eq!(Date::parse("2024-02-29").map(|d| d.day), Some(29));
        assert_eq!(Date::parse("2026/11/24"), None);
        assert_eq!(Date::parse("2026-13-01"), None);
    }

    #[test]
    fn era_boundaries() {
        let w = |s| Date::parse(s).unwrap().wareki_month();
        assert_eq!(w("2019-04-30"), "平成31年4月");
        assert_eq!(w("2019-05-01"), "令和元年5月");
        assert_eq!(w("2026-11-24"), "令和8年11月");
        assert_eq!(w("1989-01-07"), "昭和64年1月");
        assert_eq!(w("1989-01-08"), "平成元年1月");
    }

    #[test]
    fn excel_serial() {
        assert_eq!(
            Date::from_excel_serial(45093.0).unwrap().to_string(),
            "2023-06-16"
        );
        assert_eq!(
            Date::from_excel_serial(2_958_465.0).unwrap().to_string(),
            "9999-12-31"
        );
        assert_eq!(Date::from_excel_serial(1e300), None);
        assert_eq!(Date::from_excel_serial(f64::INFINITY), None);
        assert_eq!(Date::from_excel_serial(-1.0), None);
        assert_eq!(
            Date::parse("1970-01-02").unwrap().unix_seconds(),
            86_400 - 9 * 3600
        );
    }

    #[test]
    fn japan_time_whatever_the_machine_zone() {
        // 2026-10-31 23:30 UTC is already 1 November in Japan.
        let t = Date::parse("2026-10-31").unwrap().unix_seconds() + 9 * 3600 + 23 * 3600 + 1800;
        assert_eq!(Date::japan_date_at(t).to_string(), "2026-11-01");
        // 2026-11-01 14:59 UTC is still 1 November in Japan, 15:00 is the 2nd.
        let nov1 = Date::parse("2026-11-01").unwrap();
        assert_eq!(Date::japan_date_at(nov1.unix_seconds() + 86_399), nov1);
        let (utc_day, hour) = nov1.japan_midnight_in_utc();
        assert_eq!((utc_day.to_string(), hour), ("2026-10-31".to_string(), 15));
    }
}
