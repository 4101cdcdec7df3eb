//! The decisions register (rule 6): decisions of the council, the executive board,
//! committees and company boards, which adopt programmes and approve twin towns and
//! collaborations. Edited with If-Match; archived, never deleted; exported as CSV or JSON.

use actix_web::{get, patch, post};
use chrono::NaiveDate;
use serde::{Deserialize, Serialize};
use utblick_app::decisions as uc;
use utblick_app::{AppError, stored};
use utblick_db::decisions::{self as repo, DecisionFilter, DecisionSort};
use utblick_db::listing::Sort;
use utblick_db::models::DecisionRow;
use utblick_domain::can::{self, Can};
use utblick_domain::governance::{Decision, DecisionInput};
use utblick_domain::{Action, Body, Principal, ValidationErrors};
use utoipa::ToSchema;

use crate::codes::schema;
use crate::error::ApiError;
use crate::export::{CodeName, CsvRecord, swedish_name};
use crate::routes::common::list_query;
use crate::routes::standard::{archive_one, create_one, get_one, list_of, update_one};

#[derive(Debug, Serialize, ToSchema)]
pub struct DecisionDto {
    pub id: i64,
    #[schema(value_type = schema::Body)]
    pub body: Body,
    /// The day of the meeting.
    #[schema(example = "2016-04-23")]
    pub decided_on: NaiveDate,
    /// The paragraph (§) of the minutes.
    #[schema(example = "45")]
    pub paragraph: String,
    /// The registry number exactly as registered (an official identifier).
    #[schema(example = "KS 20/16")]
    pub diarienummer: String,
    /// The registry number's normal form (`[SERIES ]YYYY/N`), for matching: two numbers
    /// are the same when these are.
    #[schema(example = "KS 2016/20")]
    pub diarienummer_normal: String,
    #[schema(example = "Antagande av program för internationellt arbete")]
    pub subject: String,
    /// A link to the decision in the registry or the minutes.
    pub link: Option<String>,
    #[serde(flatten)]
    pub stored: crate::dto::Stored,
    /// What you may do with it now (the server's rules, for you).
    #[schema(value_type = crate::dto::CanSchema)]
    pub can: Can,
}

impl DecisionDto {
    fn new(d: DecisionRow, who: &Principal) -> Result<Self, ApiError> {
        let body = Body::parse(&d.body).map_err(|e| ApiError::Internal(e.to_string()))?;
        Ok(Self {
            id: d.id,
            body,
            decided_on: d.decided_on,
            paragraph: d.paragraph,
            diarienummer: d.diarienummer_as_registered,
            diarienummer_normal: d.diarienummer,
            subject: d.subject,
            link: d.link,
            stored: crate::dto::Stored::of(d.archived_at, d.version, d.created_at, d.updated_at),
            can: can::decision(who, d.archived_at.is_some()),
        })
    }
}

/// A decision as entered. The registry number may be written as the registry writes it
/// (`KS 2016/20`, `KS 2016.20`, `20/16`); it is kept in one normal form.
#[derive(Debug, Deserialize, Serialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct DecisionBody {
    #[schema(value_type = schema::Body)]
    pub body: Body,
    #[schema(example = "2016-04-23")]
    pub decided_on: NaiveDate,
    #[schema(example = "§ 45", min_length = 1, max_length = 14, pattern = "^ *(§ *)?[0-9][0-9A-Za-z :.]*$")]
    pub paragraph: String,
    #[schema(format = "diarienummer", example = "KS 2016/20", min_length = 1, max_length = 40)]
    pub diarienummer: String,
    #[schema(
        format = "name",
        example = "Antagande av program för internationellt arbete",
        min_length = 1,
        max_length = 200
    )]
    pub subject: String,
    #[schema(format = "link", example = "https://diarium.tranas.se/arende/2016-20", max_length = 2000)]
    pub link: Option<String>,
}

crate::patch_schema!(DecisionPatch = DecisionBody);

impl DecisionBody {
    /// The decision, checked by the domain.
    pub fn decision(&self) -> Result<Decision, ValidationErrors> {
        Decision::parse(&DecisionInput {
            body: self.body.code().to_owned(),
            date: Some(self.decided_on),
            paragraph: self.paragraph.clone(),
            diarienummer: self.diarienummer.clone(),
            subject: self.subject.clone(),
            link: self.link.clone(),
        })
    }

    fn of(d: &DecisionRow) -> Result<Self, AppError> {
        Ok(Self {
            body: stored(Body::parse(&d.body))?,
            decided_on: d.decided_on,
            paragraph: d.paragraph.clone(),
            diarienummer: d.diarienummer_as_registered.clone(),
            subject: d.subject.clone(),
            link: d.link.clone(),
        })
    }
}

crate::exec::reply!(DecisionRow => DecisionDto, |r| r.version, DecisionDto::new);

list_query! {
    /// Filters, search and order of the decisions register.
    pub struct DecisionQuery => DecisionFilter {
        /// Only this body's decisions.
        body [value_type = Option<schema::Body>] = code::<Body>;
        /// Words in the subject, the registry number or the §.
        q [max_length = 200] = text;
        /// `false` (default): current decisions; `true`: archived ones; `all`: both.
        archived [pattern = "^(true|false|all)$"] = archived;
        /// Decided on or after this day.
        from [value_type = Option<NaiveDate>] = date;
        /// Decided on or before this day.
        to [value_type = Option<NaiveDate>] = date;
    }
    sort "^-?(decided_on|subject|diarienummer)$",
    "`decided_on`, `subject` or `diarienummer`; a leading `-` for descending. Default `-decided_on` (newest first).",
    ["decided_on" => DecisionSort::DecidedOn, "subject" => DecisionSort::Subject,
     "diarienummer" => DecisionSort::Diarienummer],
    default Sort::desc(DecisionSort::DecidedOn)
}

impl CsvRecord for DecisionDto {
    const HEADERS: &'static [&'static str] =
        &["id", "body", "decided_on", "paragraph", "diarienummer", "subject", "link", "archived_at"];
    const CODES: &'static [(&'static str, CodeName)] =
        &[("body", swedish_name::<utblick_domain::programme::Body>)];
}

list_of! {
    /// List decisions: filter by body, dates and text; newest first; a page, or all of them as
    /// CSV or JSON.
    fn list_decisions, tag "decisions", path "/decisions", query DecisionQuery,
    ok "A page of decisions, or with `format` an export of all matching ones.",
    page DecisionPage of DecisionDto, action Action::ReadInternal, filter DecisionFilter,
    count repo::count_decisions, ids repo::decision_ids, list repo::list_decisions,
    each DecisionDto::new, file "beslut"
}

create_one! {
    /// Register a decision.
    fn create_decision, tag "decisions", path "/decisions", body DecisionBody,
    ok "Registered; the ETag is its version.", dto DecisionDto,
    |body| d = body.decision()?, |conn, ctx| uc::create(conn, ctx, &d)
}

get_one! {
    /// One decision.
    fn get_decision, tag "decisions", path "/decisions/{id}", id "The decision's id.",
    ok "The decision; the ETag is its version.", body DecisionDto, action Action::ReadInternal,
    load repo::get_decision, what "decision"
}

update_one! {
    /// Correct a decision's registration: a merge patch of the fields to change. Needs
    /// `If-Match`.
    fn update_decision, tag "decisions", path "/decisions/{id}", id "The decision's id.",
    patch DecisionPatch, dto DecisionDto,
    |patch| uc::correct, move |d: &DecisionRow| Ok(patch.apply(&DecisionBody::of(d)?)?.decision()?)
}

archive_one! {
    /// Archive a decision (hidden from lists unless asked for) or, with `restore`, bring it
    /// back. Public records are never deleted. Needs `If-Match`.
    fn archive_decision, tag "decisions", path "/decisions/{id}/archive", id "The decision's id.",
    body DecisionDto, kind uc::ARCHIVE
}

pub fn configure(cfg: &mut utoipa_actix_web::service_config::ServiceConfig) {
    cfg.service(list_decisions)
        .service(create_decision)
        .service(get_decision)
        .service(update_decision)
        .service(archive_decision);
}
