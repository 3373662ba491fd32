//! Calendar dates without a date crate: parsing `--date`, today's date,
//! Excel serial numbers and the Japanese era (和暦) of the handout.

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

/// Days since 1970-01-01 of a civil date (Howard Hinnant's algorithm).
fn days_from_civil(y: i32, m: u32, d: u32) -> i64 {
    let y = if m <= 2 { y - 1 } else { y } as i64;
    let era = if y >= 0 { y } else { y - 399 } / 400;
    let yoe = y - era * 400;
    let m = m as i64;
    let doy = (153 * (if m > 2 { m - 3 } else { m + 9 }) + 2) / 5 + d as i64 - 1;
    let doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
    era * 146097 + doe - 719468
}

fn civil_from_days(z: i64) -> Date {
    let z = z + 719468;
    let era = if z >= 0 { z } else { z - 146096 } / 146097;
    let doe = z - era * 146097;
    let yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365;
    let doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    let mp = (5 * doy + 2) / 153;
    let day = (doy - (153 * mp + 2) / 5 + 1) as u32;
    let month = if mp < 10 { mp + 3 } else { mp - 9 } as u32;
    let year = (yoe + era * 400 + i64::from(month <= 2)) as i32;
    Date { year, month, day }
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

    /// The date in Japan at a Unix time.
    pub fn japan_date_at(unix_seconds: i64) -> Date {
        civil_from_days((unix_seconds + JST_OFFSET_SECS).div_euclid(86_400))
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
        (civil_from_days(days_from_civil(year, month, day)) == d).then_some(d)
    }

    /// The date of an Excel serial number (1900 date system), for the
    /// serials Excel shows as dates: 0 to 2,958,465 (9999-12-31).
    pub fn from_excel_serial(serial: f64) -> Option<Date> {
        (0.0..2_958_466.0)
            .contains(&serial)
            .then(|| civil_from_days(days_from_civil(1899, 12, 30) + serial.floor() as i64))
    }

    /// Seconds since the Unix epoch at midnight of this date in Japan.
    pub fn unix_seconds(&self) -> i64 {
        days_from_civil(self.year, self.month, self.day) * 86_400 - JST_OFFSET_SECS
    }

    /// Midnight of this date in Japan as UTC: the date and hour in UTC
    /// (the day before, 15 o'clock), for formats that only write UTC.
    pub fn japan_midnight_in_utc(&self) -> (Date, u8) {
        let t = self.unix_seconds();
        (
            civil_from_days(t.div_euclid(86_400)),
            (t.rem_euclid(86_400) / 3600) as u8,
        )
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
