//! The checks of what a command refers to — the organisation takes new work (rule 7), the
//! records it names exist, its external id is no other record's — collected with the
//! command's other errors. They depend on the records as they are now, so they answer 409.

use utblick_db::DbConn;
use utblick_domain::FieldError;
use utblick_domain::error::Collector;

use crate::AppError;

/// A reference to nothing (or to what may no longer be referred to).
pub fn not_there(field: &str, en: &str, sv: &str) -> FieldError {
    FieldError::rule(field, "not_found", en, sv).of_state()
}

/// The organisation `id`, named in `field`, exists and takes new work.
pub fn takes_work(conn: &mut DbConn, c: &mut Collector, field: &str, id: i64) -> Result<(), AppError> {
    match crate::organisations::takes_new_work(conn, field, id) {
        Err(AppError::Invalid(e)) => {
            e.0.into_iter().for_each(|f| c.push(f));
            Ok(())
        }
        other => other,
    }
}

/// Each of `ids` that `missing` holds, named as `field[i]` (`funding[2].programme_id` with
/// `after` `.programme_id`).
pub fn each_missing(
    c: &mut Collector,
    field: &str,
    after: &str,
    ids: &[i64],
    missing: &[i64],
    en: &str,
    sv: &str,
) {
    for (at, _) in ids.iter().enumerate().filter(|(_, id)| missing.contains(id)) {
        c.push(not_there(&format!("{field}[{at}]{after}"), en, sv));
    }
}

/// The external id is free: no record but `id` (the one changed, if any) has it.
pub fn external_id_free(c: &mut Collector, holder: Option<i64>, id: Option<i64>, en: &str, sv: &str) {
    if holder.is_some_and(|other| Some(other) != id) {
        c.push(FieldError::rule("external_id", "taken", en, sv).of_state());
    }
}

/// Each goal of `asked` (named as `field[i]after`) that the styrkort system has removed and
/// that `before` (what the record named until now) did not name: removed goals are not linked
/// anew (`domain::goal::newly_linked_removed`).
pub fn no_removed_goals(
    conn: &mut DbConn,
    c: &mut Collector,
    field: &str,
    after: &str,
    asked: &[i64],
    before: &[i64],
) -> Result<(), AppError> {
    let archived = utblick_db::goals::goals_archived(conn, asked)?;
    let removed = utblick_domain::goal::newly_linked_removed(asked, &archived, before);
    let (en, sv) = (
        "the styrkort system has removed this goal; it is not linked anew",
        "styrkortssystemet har tagit bort målet; det kopplas inte på nytt",
    );
    each_missing(c, field, after, asked, &removed, en, sv);
    Ok(())
}
