//! Wall-clock time in the bundle's duty-hours time zone (for `on_duty` conditions).
//!
//! The core knows no time zones: it takes a [`LocalTime`] (weekday, hour, minute) already in
//! the bundle's zone. The CLI converts instants with `chrono-tz`.

use chrono::{DateTime, Datelike, FixedOffset, TimeZone, Timelike, Utc};
use chrono_tz::Tz;
use preflight_core::{LocalTime, Weekday};

/// A point in time given on the command line or in a JSONL line.
#[derive(Debug, Clone, Copy, PartialEq)]
pub enum At {
    /// The system clock.
    Now,
    /// An instant (RFC 3339), converted into the bundle's zone.
    Instant(DateTime<FixedOffset>),
    /// A wall-clock time already in the bundle's zone (`mon 09:30`).
    Local(LocalTime),
}

/// Parse `now`, an RFC 3339 instant (`2026-11-26T14:30:00Z`, `2026-11-26T09:30:00-05:00`), or
/// a weekday and time in the bundle's zone (`mon 09:30`).
pub fn parse_at(s: &str) -> Result<At, String> {
    let s = s.trim();
    if s.eq_ignore_ascii_case("now") {
        return Ok(At::Now);
    }
    if let Ok(t) = DateTime::parse_from_rfc3339(s) {
        return Ok(At::Instant(t));
    }
    if let Some((day, time)) = s.split_once(' ') {
        let weekday = match day.trim().to_ascii_lowercase().get(..3) {
            Some("mon") => Some(Weekday::Mon),
            Some("tue") => Some(Weekday::Tue),
            Some("wed") => Some(Weekday::Wed),
            Some("thu") => Some(Weekday::Thu),
            Some("fri") => Some(Weekday::Fri),
            Some("sat") => Some(Weekday::Sat),
            Some("sun") => Some(Weekday::Sun),
            _ => None,
        };
        let minutes = preflight_core::validate::parse_hhmm(time.trim()).filter(|&m| m < 24 * 60);
        if let (Some(weekday), Some(m)) = (weekday, minutes) {
            return Ok(At::Local(LocalTime {
                weekday,
                hour: (m / 60) as u8,
                minute: (m % 60) as u8,
            }));
        }
    }
    Err(format!(
        "invalid time `{s}`: expected `now`, an RFC 3339 time like `2026-11-26T09:30:00-05:00`, \
         or a weekday and time in the bundle's time zone like `mon 09:30`"
    ))
}

/// An IANA time zone.
pub fn parse_tz(name: &str) -> Result<Tz, String> {
    name.parse::<Tz>()
        .map_err(|_| format!("unknown time zone `{name}`"))
}

/// The wall-clock time of `at` in time zone `tz`.
pub fn local_time(at: At, tz: Tz) -> LocalTime {
    match at {
        At::Local(t) => t,
        At::Now => to_local(Utc::now().with_timezone(&tz)),
        At::Instant(t) => to_local(tz.from_utc_datetime(&t.naive_utc())),
    }
}

fn to_local<T: Datelike + Timelike>(t: T) -> LocalTime {
    let weekday = match t.weekday() {
        chrono::Weekday::Mon => Weekday::Mon,
        chrono::Weekday::Tue => Weekday::Tue,
        chrono::Weekday::Wed => Weekday::Wed,
        chrono::Weekday::Thu => Weekday::Thu,
        chrono::Weekday::Fri => Weekday::Fri,
        chrono::Weekday::Sat => Weekday::Sat,
        chrono::Weekday::Sun => Weekday::Sun,
    };
    LocalTime {
        weekday,
        hour: t.hour() as u8,
        minute: t.minute() as u8,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn instants_convert_into_the_bundle_zone() {
        let ny = parse_tz("America/New_York").unwrap();
        // 14:30 UTC on Thursday 2026-11-26 is 09:30 in New York (EST, UTC-5).
        let at = parse_at("2026-11-26T14:30:00Z").unwrap();
        assert_eq!(
            local_time(at, ny),
            LocalTime {
                weekday: Weekday::Thu,
                hour: 9,
                minute: 30
            }
        );
        // 02:00 UTC on a Saturday is Friday evening in New York.
        let at = parse_at("2026-11-28T02:00:00+00:00").unwrap();
        assert_eq!(
            local_time(at, ny),
            LocalTime {
                weekday: Weekday::Fri,
                hour: 21,
                minute: 0
            }
        );
    }

    #[test]
    fn weekday_and_time_are_taken_as_local() {
        let at = parse_at("Tuesday 17:05").unwrap();
        assert_eq!(
            at,
            At::Local(LocalTime {
                weekday: Weekday::Tue,
                hour: 17,
                minute: 5
            })
        );
        assert_eq!(parse_at("NOW").unwrap(), At::Now);
        for bad in [
            "tomorrow",
            "mon 25:00",
            "xyz 10:00",
            "mon 24:00",
            "2026-11-26 14:30",
        ] {
            assert!(parse_at(bad).is_err(), "{bad}");
        }
    }

    #[test]
    fn unknown_zone_is_an_error() {
        assert!(parse_tz("Mars/Olympus_Mons").is_err());
        assert!(parse_tz("UTC").is_ok());
    }
}
