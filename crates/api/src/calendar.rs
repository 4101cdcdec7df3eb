//! The horizon-scanning log's calendar: the deadlines of open calls as iCalendar (RFC 5545),
//! written by the `icalendar` crate, for Outlook and other calendars to subscribe to.

use icalendar::{Calendar, Component, Event, EventLike};
use utblick_db::models::LeadRecord;

/// One all-day event on each call's last day: "Sista dag: <title>", the description and
/// the source, with a stable id so that a calendar updates the event instead of adding one.
pub fn open_calls(leads: &[LeadRecord]) -> String {
    let mut cal = Calendar::new();
    cal.name("Utblick – utlysningar");
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
