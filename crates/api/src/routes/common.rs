//! Small pieces the resource modules share: the audit diff, the `archived` filter, and
//! reading a decision from the register for a change of status.

use utblick_db::decisions::Archived;
use utblick_domain::ValidationErrors;
use utblick_domain::governance::{Decision, DecisionInput};

use crate::error::{ApiError, FieldProblem};

/// `{field: {before, after}}` for every field whose value differs between two snapshots.
pub fn diff(before: &serde_json::Value, after: &serde_json::Value) -> serde_json::Value {
    let mut out = serde_json::Map::new();
    if let (Some(b), Some(a)) = (before.as_object(), after.as_object()) {
        for (k, v) in a {
            if b.get(k) != Some(v) {
                out.insert(k.clone(), serde_json::json!({"before": b.get(k), "after": v}));
            }
        }
    }
    serde_json::Value::Object(out)
}

/// `?archived=` — `false` (default), `true` or `all`; a bad value is noted in `errors`.
pub fn parse_archived(raw: Option<&str>, errors: &mut Vec<FieldProblem>) -> Archived {
    match raw {
        None | Some("false") => Archived::Hide,
        Some("true") => Archived::Only,
        Some("all") => Archived::Include,
        Some(_) => {
            errors.push(FieldProblem {
                field: "archived".into(),
                message: "must be true, false or all".into(),
            });
            Archived::Hide
        }
    }
}

/// The decision with this id from the register (not archived), as the domain's type.
pub fn registered_decision(
    conn: &mut utblick_db::DbConn,
    id: Option<i64>,
) -> Result<Option<Decision>, ApiError> {
    let Some(id) = id else { return Ok(None) };
    let d = utblick_db::decisions::get_decision(conn, id)?
        .filter(|d| d.archived_at.is_none())
        .ok_or_else(|| ValidationErrors::single("decision_id", "is not a decision in the register"))?;
    Ok(Some(Decision::parse(&DecisionInput {
        body: d.body,
        date: Some(d.decided_on),
        paragraph: d.paragraph,
        diarienummer: d.diarienummer,
        subject: d.subject,
        link: d.link,
    })?))
}
