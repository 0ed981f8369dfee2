//! A session's evidence as it stood on the session's date, so that its board and printed report read the
//! same a year on as they did in the room.
//!
//! The store keeps figures by period and area, not by the day they were imported, so "as it stood" is
//! read from the periods: a figure whose period starts after the session's date is left out. A figure
//! for a period that had begun by then (the quarter or year the session fell in) is kept, even though it
//! may have been imported after the session; the report says which date its figures are from. Stories
//! are counted by their own date in the same way: a story dated after the session is not in the
//! agenda's balance. A story erased since the session is gone from the counts, as erasure requires.

use jiff::civil::Date;

use crate::evidence::Measurement;
use crate::ids::IndicatorId;

/// The figures of `indicator` a session on `date` could have been shown: those whose period starts on
/// or before that day.
pub fn figures_standing_on(
    measurements: &[Measurement],
    indicator: &IndicatorId,
    date: Date,
) -> Vec<Measurement> {
    measurements
        .iter()
        .filter(|m| &m.indicator == indicator && m.period.first_day() <= date)
        .cloned()
        .collect()
}

/// The day a session's evidence is judged on (stale figures, trends): its date, or today while that date
/// is still to come.
pub fn judged_on(session_date: Date, today: Date) -> Date {
    session_date.min(today)
}

/// Whether a session's date has passed, so its pages say that their figures are those of that date.
pub fn is_past(session_date: Date, today: Date) -> bool {
    session_date < today
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::evidence::Period;
    use jiff::civil::date;

    fn figure(indicator: &str, period: &str) -> Measurement {
        Measurement {
            indicator: IndicatorId::parse(indicator).unwrap(),
            period: period.parse::<Period>().unwrap(),
            area: None,
            value: 1.0,
            numerator: None,
            denominator: None,
            source: None,
        }
    }

    #[test]
    fn a_figure_stands_when_its_period_began_by_the_session_date() {
        let session = date(2026, 3, 10);
        for (period, kept) in [
            ("2025", true),
            ("2025-Q4", true),
            // The period the session fell in had begun: kept (documented above).
            ("2026-Q1", true),
            ("2026", true),
            ("2026-03", true),
            ("2026-04", false),
            ("2026-Q2", false),
            ("2027", false),
        ] {
            let figures = [figure("koffie", period)];
            let standing =
                figures_standing_on(&figures, &IndicatorId::parse("koffie").unwrap(), session);
            assert_eq!(standing.len() == 1, kept, "{period}");
        }
    }

    #[test]
    fn a_period_starting_on_the_session_date_is_kept() {
        let figures = [figure("koffie", "2026-Q2")];
        let id = IndicatorId::parse("koffie").unwrap();
        assert_eq!(
            figures_standing_on(&figures, &id, date(2026, 4, 1)).len(),
            1
        );
        assert!(figures_standing_on(&figures, &id, date(2026, 3, 31)).is_empty());
    }

    #[test]
    fn only_the_indicators_own_figures_are_taken() {
        let figures = [figure("koffie", "2025"), figure("thee", "2025")];
        let standing = figures_standing_on(
            &figures,
            &IndicatorId::parse("thee").unwrap(),
            date(2026, 1, 1),
        );
        assert_eq!(standing.len(), 1);
        assert_eq!(standing[0].indicator.as_str(), "thee");
    }

    #[test]
    fn a_coming_session_is_judged_today() {
        let today = date(2026, 11, 23);
        assert_eq!(judged_on(date(2026, 12, 8), today), today);
        assert_eq!(judged_on(date(2026, 3, 10), today), date(2026, 3, 10));
        assert!(is_past(date(2026, 3, 10), today));
        assert!(!is_past(today, today));
    }
}
