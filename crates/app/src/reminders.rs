//! Reminders of the annual report by e-mail (rule 8): one round finds every reminder the date
//! calls for ([`utblick_domain::reminder::reminder_due`]), claims each (so that two servers
//! never send one twice), sends it to the organisation's current contact persons with the
//! caller's mailer, and records to whom it went, or why it did not, with an audit event.
//! The server runs a round at start, every few minutes and when a year is opened.

use chrono::{Days, NaiveDate, NaiveDateTime, TimeDelta};
use utblick_db::DbConn;
use utblick_db::reminders::{self as repo, ReminderRow};
use utblick_db::reports as reports_repo;
use utblick_domain::reminder::{ReminderKind, ReminderStatus, reminder_due, reminder_text};
use utblick_domain::report::ReportStatus;

use crate::AppError;
use crate::audit::AuditContext;

/// One e-mail to send.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Mail {
    /// (name, address) of each recipient.
    pub to: Vec<(String, String)>,
    pub subject: String,
    pub body: String,
}

/// Where the links in the e-mails point and who sends them.
#[derive(Debug, Clone)]
pub struct Sender {
    /// The address people open Utblick at (`https://utblick.kommun.se`), without a `/` last.
    pub base_url: String,
    /// The municipality's name, signed under every e-mail.
    pub municipality: String,
}

/// A failed reminder is tried again after this long.
pub const RETRY_AFTER_MINUTES: i64 = 60;
/// Reminders are sent for a year until this many days after its deadline.
const DAYS_AFTER_DEADLINE: u64 = 30;

/// A reminder of one report as the round found it.
struct Due {
    report_id: i64,
    organisation_id: i64,
    kind: ReminderKind,
    year: i32,
    deadline: NaiveDate,
}

fn due_on(conn: &mut DbConn, today: NaiveDate) -> Result<Vec<Due>, AppError> {
    let mut due = Vec::new();
    for year in reports_repo::list_reporting_years(conn)? {
        let last = year.deadline.checked_add_days(Days::new(DAYS_AFTER_DEADLINE)).unwrap_or(year.deadline);
        if today > last {
            continue;
        }
        for r in reports_repo::reports_of_year(conn, year.id)? {
            let status = ReportStatus::parse(&r.status)
                .map_err(|e| AppError::Db(utblick_db::DbError::Corrupt(e.to_string())))?;
            let Some(kind) = reminder_due(year.deadline, today, status) else { continue };
            if repo::settled_kinds(conn, r.id)?.iter().any(|k| k == kind.code()) {
                continue;
            }
            due.push(Due {
                report_id: r.id,
                organisation_id: r.organisation_id,
                kind,
                year: year.year,
                deadline: year.deadline,
            });
        }
    }
    Ok(due)
}

/// One round: every reminder due on `today`, each claimed, sent through `send` and recorded.
/// Returns the reminders this round settled, in order. A mail server that refuses one is
/// recorded as `failed` and tried again after [`RETRY_AFTER_MINUTES`].
pub fn run_round(
    conn: &mut DbConn,
    today: NaiveDate,
    now: NaiveDateTime,
    sender: &Sender,
    send: &mut dyn FnMut(&Mail) -> Result<(), String>,
) -> Result<Vec<ReminderRow>, AppError> {
    let audit = AuditContext::system("Utblick (påminnelser)");
    let organisations = utblick_db::identity::list_organisations(conn, &Default::default(), 0, u32::MAX)?;
    let retry_before = now - TimeDelta::minutes(RETRY_AFTER_MINUTES);
    let mut settled = Vec::new();
    for d in due_on(conn, today)? {
        let Some(claimed) = repo::claim(conn, d.report_id, d.kind.code(), now, retry_before)? else {
            continue;
        };
        let to = repo::recipients(conn, d.organisation_id, today)?;
        let organisation =
            organisations.iter().find(|o| o.id == d.organisation_id).map_or("", |o| o.name.as_str());
        let addresses = to.iter().map(|(_, a)| a.as_str()).collect::<Vec<_>>().join(", ");
        let (status, error) = if to.is_empty() {
            (ReminderStatus::NoRecipients, None)
        } else {
            let link =
                format!("{}/reports.html?report={}", sender.base_url.trim_end_matches('/'), d.report_id);
            let text = reminder_text(d.kind, organisation, d.year, d.deadline, &link, &sender.municipality);
            match send(&Mail { to: to.clone(), subject: text.subject, body: text.body }) {
                Ok(()) => (ReminderStatus::Sent, None),
                Err(e) => (ReminderStatus::Failed, Some(e)),
            }
        };
        let sent_at = (status == ReminderStatus::Sent).then_some(now);
        let changes = serde_json::json!({"report_id": d.report_id, "organisation": organisation,
            "year": d.year, "kind": d.kind.code(), "recipients": to.len(), "error": error});
        let row = utblick_db::write_transaction::<_, AppError, _>(conn, |conn| {
            let row = repo::finish(conn, claimed.id, status.code(), &addresses, error.as_deref(), sent_at)?;
            let action = format!("reminder.{}", status.code());
            audit.record(conn, now, &action, "reminder", Some(row.id.to_string()), changes)?;
            Ok(row)
        })?;
        settled.push(row);
    }
    Ok(settled)
}

/// Every reminder of a reporting year's reports (the coordinator's overview: who was reminded
/// when). Reading needs [`utblick_domain::Action::ReadInternal`]; the caller checks it.
pub fn of_year(conn: &mut DbConn, reporting_year_id: i64) -> Result<Vec<ReminderRow>, AppError> {
    Ok(repo::of_year(conn, reporting_year_id)?)
}
