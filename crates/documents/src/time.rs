//! Europe/Paris local time for documents and exports, without a time-zone database: UTC+1 in
//! winter, UTC+2 from the last Sunday of March to the last Sunday of October at 01:00 UTC
//! (EU rule, Directive 2000/84/EC).

#[derive(Clone, Copy, Debug)]
pub struct ParisTz;

impl ParisTz {
    fn offset_for_utc(utc: &chrono::NaiveDateTime) -> chrono::FixedOffset {
        use chrono::{Datelike, NaiveDate, Weekday};
        let y = utc.year();
        let last_sunday = |m: u32| {
            let mut d = NaiveDate::from_ymd_opt(y, m, 31).expect("valid");
            while d.weekday() != Weekday::Sun {
                d = d.pred_opt().expect("valid");
            }
            d.and_hms_opt(1, 0, 0).expect("valid")
        };
        let summer = *utc >= last_sunday(3) && *utc < last_sunday(10);
        chrono::FixedOffset::east_opt(if summer { 7200 } else { 3600 }).expect("valid")
    }
}

impl chrono::TimeZone for ParisTz {
    type Offset = chrono::FixedOffset;
    fn from_offset(_: &chrono::FixedOffset) -> Self {
        ParisTz
    }
    fn offset_from_local_date(
        &self,
        _: &chrono::NaiveDate,
    ) -> chrono::LocalResult<chrono::FixedOffset> {
        chrono::LocalResult::None
    }
    fn offset_from_local_datetime(
        &self,
        local: &chrono::NaiveDateTime,
    ) -> chrono::LocalResult<chrono::FixedOffset> {
        chrono::LocalResult::Single(Self::offset_for_utc(local))
    }
    fn offset_from_utc_date(&self, _: &chrono::NaiveDate) -> chrono::FixedOffset {
        chrono::FixedOffset::east_opt(3600).expect("valid")
    }
    fn offset_from_utc_datetime(&self, utc: &chrono::NaiveDateTime) -> chrono::FixedOffset {
        Self::offset_for_utc(utc)
    }
}

/// `27/11/2026 15:05` in Paris time.
pub fn fr_datetime(d: chrono::DateTime<chrono::Utc>) -> String {
    d.with_timezone(&ParisTz)
        .format("%d/%m/%Y %H:%M")
        .to_string()
}

#[cfg(test)]
mod tests {
    use super::*;
    use chrono::TimeZone;

    #[test]
    fn paris_time_follows_the_eu_summer_rule() {
        let winter = chrono::Utc
            .with_ymd_and_hms(2026, 11, 27, 14, 5, 0)
            .unwrap();
        assert_eq!(fr_datetime(winter), "27/11/2026 15:05");
        let summer = chrono::Utc.with_ymd_and_hms(2026, 7, 14, 10, 0, 0).unwrap();
        assert_eq!(
            summer.with_timezone(&ParisTz).format("%H:%M").to_string(),
            "12:00"
        );
        // 2026-03-29 is the last Sunday of March: 01:00 UTC switches to summer time.
        let before = chrono::Utc.with_ymd_and_hms(2026, 3, 29, 0, 59, 0).unwrap();
        let after = chrono::Utc.with_ymd_and_hms(2026, 3, 29, 1, 0, 0).unwrap();
        assert_eq!(
            before.with_timezone(&ParisTz).format("%H:%M").to_string(),
            "01:59"
        );
        assert_eq!(
            after.with_timezone(&ParisTz).format("%H:%M").to_string(),
            "03:00"
        );
    }
}
