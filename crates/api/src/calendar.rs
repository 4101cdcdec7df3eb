//! Utblick's calendar: the deadlines of open calls in the horizon-scanning log and of the
//! annual report, as iCalendar (RFC 5545), written by the `icalendar` crate, for Outlook and
//! other calendars to subscribe to.

use icalendar::{Calendar, Component, Event, EventLike};
use utblick_db::models::{LeadRecord, ReportingYearRow};

/// One all-day event on each call's last day: "Sista dag: <title>", the description and
/// the source; and one on each reporting year's deadline. Each with a stable id, so that a
/// calendar updates the event instead of adding one.
pub fn deadlines(leads: &[LeadRecord], years: &[ReportingYearRow]) -> String {
    let mut cal = Calendar::new();
    cal.name("Utblick – utlysningar och årsrapporter");
    for y in years {
        cal.push(
            Event::new()
                .uid(&format!("utblick-reporting-year-{}@utblick", y.id))
                .summary(&format!("Sista dag för årsrapporten {}", y.year))
                .description(&format!(
                    "Varje förvaltning och bolag lämnar i dag senast sin årsrapport om det internationella arbetet under {}.",
                    y.year
                ))
                .all_day(y.deadline)
                .done(),
        );
    }
    for r in leads {
        let Some(deadline) = r.lead.deadline else { continue };
        let mut event = Event::new();
        event
            .uid(&format!("utblick-lead-{}@utblick", r.lead.id))
            .summary(&format!("Sista dag: {}", r.lead.title))
            .description(&r.lead.description)
            .all_day(deadline);
        if let Some(link) = &r.lead.source_link {
            event.url(link);
        }
        cal.push(event.done());
    }
    cal.done().to_string()
}
