//! Local staging's clock: the system clock plus an offset tests can move, so that expiry
//! and clock-skew rules can be exercised without waiting.

use std::sync::atomic::{AtomicI64, Ordering};
use std::time::{Duration, SystemTime};

#[derive(Debug, Default)]
pub struct SimClock {
    offset_seconds: AtomicI64,
}

impl SimClock {
    pub fn now(&self) -> SystemTime {
        let offset = self.offset_seconds.load(Ordering::Relaxed);
        let now = SystemTime::now();
        if offset >= 0 {
            now + Duration::from_secs(offset.unsigned_abs())
        } else {
            now - Duration::from_secs(offset.unsigned_abs())
        }
    }

    /// Moves local staging's time forward (positive) or back (negative) by whole seconds.
    pub fn shift(&self, seconds: i64) {
        self.offset_seconds.fetch_add(seconds, Ordering::Relaxed);
    }
}

/// Seconds since the Unix epoch (negative times clamp to zero).
pub fn epoch_seconds(time: SystemTime) -> i64 {
    time.duration_since(SystemTime::UNIX_EPOCH)
        .map(|d| i64::try_from(d.as_secs()).unwrap_or(i64::MAX))
        .unwrap_or(0)
}

/// ISO 8601 in UTC without fractions (`2026-11-22T00:20:31Z`), as AWS writes timestamps.
pub fn iso8601(time: SystemTime) -> String {
    let format =
        time::macros::format_description!("[year]-[month]-[day]T[hour]:[minute]:[second]Z");
    time::OffsetDateTime::from_unix_timestamp(epoch_seconds(time))
        .ok()
        .and_then(|t| t.format(&format).ok())
        .unwrap_or_else(|| "1970-01-01T00:00:00Z".to_string())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn shifting_moves_now_and_formats_as_utc() {
        let clock = SimClock::default();
        let before = epoch_seconds(clock.now());
        clock.shift(3600);
        assert!(epoch_seconds(clock.now()) >= before + 3600);
        assert_eq!(
            iso8601(SystemTime::UNIX_EPOCH + Duration::from_secs(1_440_938_160)),
            "2015-08-30T12:36:00Z"
        );
    }
}
