//! Reminders of the annual report (rule 8): the contact persons of every organisation that
//! reports are told by e-mail when the reporting year opens, a week before its deadline and
//! when the deadline has passed — the last two only while the organisation has not handed
//! its report in. Each kind goes once to each report; the date decides which kind is due.
//!
//! Here: which reminder the date calls for, and its Swedish text with the link to the report.

use chrono::{Days, NaiveDate};

use crate::report::ReportStatus;

code_enum! {
    /// Why a reminder is sent.
    ReminderKind, "kind" {
        /// The reporting year has opened.
        Opened = "opened", "Rapporteringen har öppnat", "Reporting opened";
        /// A week or less is left to the deadline.
        WeekBefore = "week_before", "En vecka kvar", "A week left";
        /// The deadline has passed.
        Overdue = "overdue", "Sista dagen har passerat", "Deadline passed";
    }
}

code_enum! {
    /// What became of a reminder.
    ReminderStatus, "status" {
        /// Being sent now (claimed by one server, so that two never send it twice).
        Sending = "sending", "Skickas", "Sending";
        /// Accepted by the mail server.
        Sent = "sent", "Skickad", "Sent";
        /// The mail server refused it or could not be reached; tried again later.
        Failed = "failed", "Misslyckades", "Failed";
        /// The organisation has no current contact person with an e-mail address.
        NoRecipients = "no_recipients", "Ingen kontaktperson med e-post", "No contact person with e-mail";
    }
}

/// Days before the deadline from which the "a week left" reminder is due.
pub const WEEK: u64 = 7;

/// The reminder the date calls for on `today`, for a report in `status` of a year whose last
/// day is `deadline`: after the deadline, that it has passed; in its last week, that a week
/// is left; before that, that the year has opened. A report handed in (submitted or
/// approved) needs no reminder but the first. `None`: nothing is due.
pub fn reminder_due(deadline: NaiveDate, today: NaiveDate, status: ReportStatus) -> Option<ReminderKind> {
    let handed_in = matches!(status, ReportStatus::Submitted | ReportStatus::Approved);
    let week_before = deadline.checked_sub_days(Days::new(WEEK)).unwrap_or(deadline);
    if today > deadline {
        (!handed_in).then_some(ReminderKind::Overdue)
    } else if today >= week_before {
        (!handed_in).then_some(ReminderKind::WeekBefore)
    } else {
        Some(ReminderKind::Opened)
    }
}

/// A reminder's e-mail: subject and plain text.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ReminderText {
    pub subject: String,
    pub body: String,
}

/// The Swedish e-mail of a reminder to `organisation` about its report of `year`, due on
/// `deadline`, with the link to the report (`link`) and who sends it (`municipality`).
pub fn reminder_text(
    kind: ReminderKind,
    organisation: &str,
    year: i32,
    deadline: NaiveDate,
    link: &str,
    municipality: &str,
) -> ReminderText {
    let (subject, lead) = match kind {
        ReminderKind::Opened => (
            format!("Årsrapporten {year} om internationellt arbete kan nu skrivas"),
            format!(
                "Rapporteringen av det internationella arbetet under {year} har öppnat. \
                 {organisation} lämnar sin årsrapport senast {deadline}."
            ),
        ),
        ReminderKind::WeekBefore => (
            format!("Påminnelse: årsrapporten {year} ska lämnas senast {deadline}"),
            format!(
                "Det är en vecka eller mindre kvar: {organisation} lämnar sin årsrapport om \
                 det internationella arbetet under {year} senast {deadline}."
            ),
        ),
        ReminderKind::Overdue => (
            format!("Årsrapporten {year} är försenad"),
            format!(
                "Sista dagen för årsrapporten om det internationella arbetet under {year} var \
                 {deadline}, och {organisation} har ännu inte lämnat in sin."
            ),
        ),
    };
    let body = format!(
        "Hej!\n\n{lead}\n\nRapporten är förifylld med årets aktiviteter och projekt. Skriv \
         vad som har gjorts och hur arbetet har bidragit till målen, och lämna in den här:\n\
         {link}\n\nDu får det här meddelandet som kontaktperson för internationellt arbete i \
         {organisation}. Det skickades automatiskt av Utblick, {municipality}.\n"
    );
    ReminderText { subject, body }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn day(m: u32, d: u32) -> NaiveDate {
        NaiveDate::from_ymd_opt(2027, m, d).unwrap_or_default()
    }

    #[test]
    fn the_date_decides_which_reminder_is_due_and_a_handed_in_report_needs_none_but_the_first() {
        let deadline = day(2, 15);
        let draft = ReportStatus::Draft;
        assert_eq!(reminder_due(deadline, day(1, 10), draft), Some(ReminderKind::Opened));
        assert_eq!(reminder_due(deadline, day(2, 7), draft), Some(ReminderKind::Opened), "8 days left");
        assert_eq!(reminder_due(deadline, day(2, 8), draft), Some(ReminderKind::WeekBefore), "7 days left");
        assert_eq!(reminder_due(deadline, day(2, 15), draft), Some(ReminderKind::WeekBefore), "the last day");
        assert_eq!(reminder_due(deadline, day(2, 16), draft), Some(ReminderKind::Overdue));
        assert_eq!(reminder_due(deadline, day(2, 16), ReportStatus::Returned), Some(ReminderKind::Overdue));
        for handed_in in [ReportStatus::Submitted, ReportStatus::Approved] {
            assert_eq!(reminder_due(deadline, day(1, 10), handed_in), Some(ReminderKind::Opened));
            assert_eq!(reminder_due(deadline, day(2, 10), handed_in), None);
            assert_eq!(reminder_due(deadline, day(3, 1), handed_in), None);
        }
    }

    #[test]
    fn a_reminder_is_swedish_names_the_organisation_and_the_deadline_and_links_to_the_report() {
        let link = "https://utblick.tranas.se/reports.html?report=7";
        for kind in [ReminderKind::Opened, ReminderKind::WeekBefore, ReminderKind::Overdue] {
            let t = reminder_text(kind, "Tekniska förvaltningen", 2026, day(2, 15), link, "Tranås kommun");
            assert!(t.subject.contains("2026"), "{t:?}");
            assert!(t.body.starts_with("Hej!"), "{t:?}");
            assert!(t.body.contains("Tekniska förvaltningen") && t.body.contains("2027-02-15"), "{t:?}");
            assert!(t.body.contains(link) && t.body.contains("Tranås kommun"), "{t:?}");
        }
        let late = reminder_text(ReminderKind::Overdue, "X", 2026, day(2, 15), link, "K");
        assert_eq!(late.subject, "Årsrapporten 2026 är försenad");
    }
}
