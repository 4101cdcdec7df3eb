//! Projects (rules 4, 5 and 7): each owned by one organisation, on the path idea → planning
//! → applied → granted | rejected → ongoing → completed | cancelled (planning → ongoing for
//! work on own funds). A development project leaves planning only after its co-funding
//! assessment. Money is whole öre (euro cents for euro), hours are hundredths: integers,
//! never floating point. The catalogue of funding programmes is served here too.

use actix_web::{get, patch, post};
use chrono::NaiveDate;
use serde::{Deserialize, Serialize};
use utblick_app::projects::{self as uc, Draft};
use utblick_db::listing::Sort;
use utblick_db::models::{AssessmentRecord, FundingProgrammeRow, ProjectRecord};
use utblick_db::projects::{self as repo, ProjectFilter, ProjectSort};
use utblick_domain::can::{self, Can};
use utblick_domain::governance::PartnerKind;
use utblick_domain::money::Currency;
use utblick_domain::programme::WorkKind;
use utblick_domain::project::{
    AssessmentInput, CoFundingAssessment, CoFundingOutcome, FundingInput, FundingProgramme,
    FundingProgrammeKind, FundingStatus, PartnerRole, Project, ProjectInput, ProjectStatus,
};
use utblick_domain::{Action, Principal, ValidationErrors};
use utoipa::ToSchema;

use crate::codes::schema;
use crate::error::ApiError;
use crate::export::{CodeName, CsvRecord, swedish_name};
use crate::routes::common::list_query;
use crate::routes::standard::{archive_one, create_one, get_one, import_into, list_of, step_one, update_one};

fn stored<T>(r: Result<T, utblick_domain::FieldError>) -> Result<T, ApiError> {
    r.map_err(|e| ApiError::Internal(format!("stored value breaks a rule: {e}")))
}

#[derive(Debug, Serialize, ToSchema)]
pub struct ProjectPartnerDto {
    #[schema(example = "Tartu linn")]
    pub name: String,
    /// ISO 3166-1 alpha-2.
    #[schema(value_type = crate::codes::Country)]
    pub country: String,
    #[schema(value_type = schema::PartnerKind)]
    pub kind: PartnerKind,
    #[schema(value_type = schema::PartnerRole)]
    pub role: PartnerRole,
}

/// One source of external funding.
#[derive(Debug, Serialize, ToSchema)]
pub struct FundingDto {
    /// The funding programme (the catalogue's id).
    pub programme_id: i64,
    /// In minor units of `currency` (öre or euro cents).
    pub amount: i64,
    #[schema(value_type = schema::Currency)]
    pub currency: Currency,
    /// Kronor per euro in millionths (11,2345 is 11234500); euro only.
    pub rate: Option<i64>,
    /// The amount in öre, converted once at `rate`.
    pub amount_sek: i64,
    #[schema(value_type = schema::FundingStatus)]
    pub status: FundingStatus,
    /// The call for proposals (last: an export writes a funding line as
    /// `programme (amount, currency, rate, amount_sek, status, call)`).
    pub call: Option<String>,
}

/// A co-funding assessment.
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct AssessmentDto {
    pub assessed_on: NaiveDate,
    pub assessed_by: String,
    /// The funding programmes considered (the catalogue's ids).
    pub programmes: Vec<i64>,
    #[schema(value_type = schema::CoFundingOutcome)]
    pub outcome: CoFundingOutcome,
    pub motivation: String,
    pub recorded_at: chrono::DateTime<chrono::Utc>,
}

impl AssessmentDto {
    fn new(a: AssessmentRecord) -> Result<Self, ApiError> {
        Ok(Self {
            outcome: stored(CoFundingOutcome::parse(&a.assessment.outcome))?,
            assessed_on: a.assessment.assessed_on,
            assessed_by: a.assessment.assessed_by,
            programmes: a.programmes,
            motivation: a.assessment.motivation,
            recorded_at: a.assessment.recorded_at.and_utc(),
        })
    }
}

#[derive(Debug, Serialize, ToSchema)]
pub struct ProjectDto {
    pub id: i64,
    /// The id it was imported under, if any.
    pub external_id: Option<String>,
    #[schema(example = "Skolutbyte med Tartu")]
    pub title: String,
    pub summary: String,
    #[schema(value_type = schema::WorkKind)]
    pub kind: WorkKind,
    pub owner_organisation_id: i64,
    /// The contact person responsible.
    pub contact_id: Option<i64>,
    pub period_from: Option<NaiveDate>,
    pub period_to: Option<NaiveDate>,
    #[schema(value_type = schema::ProjectStatus)]
    pub status: ProjectStatus,
    /// The programme version it points at: the one in force while it is planned, the one in
    /// force when it was approved after that.
    pub programme_id: Option<i64>,
    /// The programme's priority areas it names (ids of that version's areas).
    pub priority_areas: Vec<i64>,
    /// Without priority areas: how it contributes to smart and sustainable growth for all.
    pub contribution: Option<String>,
    /// Without priority areas: the lasting value it will give.
    pub lasting_value: Option<String>,
    /// Goals of the goal frameworks it works towards (ids).
    pub goals: Vec<i64>,
    pub partners: Vec<ProjectPartnerDto>,
    /// Own money in öre.
    pub own_money: i64,
    /// Own working time in hundredths of an hour.
    pub own_hours: i64,
    pub funding: Vec<FundingDto>,
    /// External money applied for and not yet decided, in öre.
    pub external_applied: i64,
    /// External money granted (paid or not), in öre: what the rate and leverage count.
    pub external_granted: i64,
    /// Of the granted money, what has been paid, in öre.
    pub external_paid: i64,
    /// Granted money as a share of all money, in hundredths of a per cent (7419 is 74,19 %).
    pub co_funding_rate: Option<u32>,
    /// Granted kronor per own krona, in hundredths (288 is 2,88).
    pub leverage: Option<i64>,
    /// The newest co-funding assessment, if any (the gate looks for one).
    pub assessment: Option<AssessmentDto>,
    /// Every assessment, newest first.
    pub assessments: Vec<AssessmentDto>,
    /// On completion: what it achieved, the lasting value it gave, what it produced.
    pub results: Option<String>,
    pub value_given: Option<String>,
    pub outputs: Option<String>,

    #[serde(flatten)]
    pub stored: crate::dto::Stored,
    /// What you may do with it now (the server's rules, for you): a move the co-funding
    /// gate holds is listed with `needs_assessment`.
    #[schema(value_type = crate::dto::CanSchema)]
    pub can: Can,
}

fn dto(r: ProjectRecord, who: &Principal) -> Result<ProjectDto, ApiError> {
    let project = uc::parse_stored(&r)?;
    let budget = stored(project.budget())?;
    let status = stored(ProjectStatus::parse(&r.project.status))?;
    let assessed = !r.assessments.is_empty();
    let p = r.project;
    let funding = (project.funding.iter())
        .map(|f| {
            Ok(FundingDto {
                programme_id: f.source.programme_id,
                call: f.call.clone(),
                amount: f.source.amount.minor,
                currency: f.source.amount.currency,
                rate: f.source.rate.map(|r| r.millionths()),
                amount_sek: stored(f.source.in_sek("amount"))?.ore(),
                status: f.source.status,
            })
        })
        .collect::<Result<_, ApiError>>()?;
    let assessments = r.assessments.into_iter().map(AssessmentDto::new).collect::<Result<Vec<_>, _>>()?;
    Ok(ProjectDto {
        can: can::project(
            who,
            p.owner_organisation_id,
            status,
            project.kind,
            assessed,
            p.archived_at.is_some(),
        ),
        id: p.id,
        external_id: p.external_id,
        title: p.title,
        summary: p.summary,
        kind: project.kind,
        owner_organisation_id: p.owner_organisation_id,
        contact_id: p.contact_id,
        period_from: p.period_from,
        period_to: p.period_to,
        status,
        programme_id: p.programme_id,
        priority_areas: r.parts.priority_areas,
        contribution: p.contribution,
        lasting_value: p.lasting_value,
        goals: r.parts.goals,
        partners: (project.partners.into_iter())
            .map(|x| ProjectPartnerDto {
                name: x.partner.name.as_str().to_owned(),
                country: x.partner.country.as_str().to_owned(),
                kind: x.partner.kind,
                role: x.role,
            })
            .collect(),
        own_money: p.own_money,
        own_hours: p.own_hours,
        funding,
        external_applied: budget.applied.ore(),
        external_granted: budget.granted.ore(),
        external_paid: budget.paid.ore(),
        co_funding_rate: budget.co_funding_rate,
        leverage: budget.leverage,
        assessment: assessments.first().cloned(),
        assessments,
        results: p.results,
        value_given: p.value_given,
        outputs: p.outputs,
        stored: crate::dto::Stored::of(p.archived_at, p.version, p.created_at, p.updated_at),
    })
}

crate::exec::reply!(ProjectRecord => ProjectDto, |r| r.project.version, dto);

#[derive(Debug, Deserialize, Serialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct ProjectPartnerBody {
    #[schema(format = "name", example = "Tartu linn", min_length = 1, max_length = 200)]
    pub name: String,
    #[schema(value_type = crate::codes::Country)]
    pub country: String,
    #[schema(value_type = schema::PartnerKind)]
    pub kind: String,
    #[schema(value_type = schema::PartnerRole)]
    pub role: String,
}

#[derive(Debug, Deserialize, Serialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct FundingBody {
    /// A funding programme of the catalogue (active).
    #[schema(minimum = 1)]
    pub programme_id: i64,
    #[schema(format = "optional-name", max_length = 200)]
    pub call: Option<String>,
    /// In minor units of `currency` (öre or euro cents).
    #[schema(minimum = 0, maximum = 100_000_000_000_000_i64)]
    pub amount: i64,
    #[schema(value_type = schema::Currency)]
    pub currency: String,
    /// Kronor per euro in millionths (11,2345 is 11234500); required for euro, none for
    /// kronor.
    #[schema(minimum = 1, maximum = 1_000_000_000_i64)]
    pub rate: Option<i64>,
    #[schema(value_type = schema::FundingStatus)]
    pub status: String,
}

/// A project as written: its description, programme fit, partners, goals and money.
#[derive(Debug, Deserialize, Serialize, ToSchema)]
#[serde(deny_unknown_fields)]
#[schema(example = json!({
    "title": "Skolutbyte med Tartu", "summary": "Elever och lärare möts två gånger om året.",
    "kind": "development", "owner_organisation_id": 1, "priority_areas": [],
    "contribution": "Kompetens för hållbar tillväxt", "lasting_value": "Ett bestående partnerskap",
    "goals": [], "partners": [{"name": "Tartu linn", "country": "EE", "kind": "municipality", "role": "partner"}],
    "own_money": 12_000_000, "own_hours": 25_000,
    "funding": [{"programme_id": 1, "amount": 3_000_000, "currency": "EUR", "rate": 11_200_000, "status": "applied"}]
}))]
pub struct ProjectBody {
    #[schema(format = "name", example = "Skolutbyte med Tartu", min_length = 1, max_length = 200)]
    pub title: String,
    #[schema(format = "text", min_length = 1, max_length = 20000)]
    pub summary: String,
    #[schema(value_type = schema::WorkKind)]
    pub kind: String,
    /// The organisation that owns the work (rule 7).
    pub owner_organisation_id: i64,
    pub contact_id: Option<i64>,
    /// An id of your own (for imports): 1–64 letters, digits, dots, hyphens, underscores.
    #[schema(format = "external-id", max_length = 64)]
    pub external_id: Option<String>,
    pub period_from: Option<NaiveDate>,
    pub period_to: Option<NaiveDate>,
    /// Priority areas of the programme in force (ids); none, and `contribution` and
    /// `lasting_value` are required.
    #[schema(max_items = 20)]
    pub priority_areas: Vec<i64>,
    #[schema(format = "optional-text", max_length = 20000, example = "Kompetens för hållbar tillväxt")]
    pub contribution: Option<String>,
    #[schema(format = "optional-text", max_length = 20000, example = "Ett bestående partnerskap")]
    pub lasting_value: Option<String>,
    #[schema(max_items = 200)]
    pub goals: Vec<i64>,
    #[schema(max_items = 50)]
    pub partners: Vec<ProjectPartnerBody>,
    /// Own money in öre.
    #[schema(minimum = 0, maximum = 100_000_000_000_000_i64)]
    pub own_money: i64,
    /// Own working time in hundredths of an hour.
    #[schema(minimum = 0, maximum = 10_000_000)]
    pub own_hours: i64,
    #[schema(max_items = 50)]
    pub funding: Vec<FundingBody>,
    #[schema(format = "optional-text", max_length = 20000)]
    pub results: Option<String>,
    #[schema(format = "optional-text", max_length = 20000)]
    pub value_given: Option<String>,
    #[schema(format = "optional-text", max_length = 20000)]
    pub outputs: Option<String>,
}

crate::patch_schema!(ProjectPatch = ProjectBody);

impl ProjectBody {
    fn draft(&self) -> Result<Draft, ValidationErrors> {
        let project = Project::parse(&ProjectInput {
            title: self.title.clone(),
            summary: self.summary.clone(),
            kind: self.kind.clone(),
            period_from: self.period_from,
            period_to: self.period_to,
            partners: (self.partners.iter())
                .map(|p| (p.name.clone(), p.country.clone(), p.kind.clone(), p.role.clone()))
                .collect(),
            priority_areas: self.priority_areas.clone(),
            contribution: self.contribution.clone(),
            lasting_value: self.lasting_value.clone(),
            goals: self.goals.clone(),
            own_money: self.own_money,
            own_hours: self.own_hours,
            funding: (self.funding.iter())
                .map(|f| FundingInput {
                    programme_id: f.programme_id,
                    call: f.call.clone(),
                    amount: f.amount,
                    currency: f.currency.clone(),
                    rate: f.rate,
                    status: f.status.clone(),
                })
                .collect(),
            results: self.results.clone(),
            value_given: self.value_given.clone(),
            outputs: self.outputs.clone(),
        })?;
        let external_id = utblick_domain::organisation::parse_external_id(self.external_id.as_deref())
            .map_err(ValidationErrors::from)?;
        Ok(Draft {
            owner_organisation_id: self.owner_organisation_id,
            contact_id: self.contact_id,
            external_id,
            project,
        })
    }

    fn of(r: &ProjectRecord) -> Self {
        let i = uc::input_of(r);
        Self {
            title: i.title,
            summary: i.summary,
            kind: i.kind,
            owner_organisation_id: r.project.owner_organisation_id,
            contact_id: r.project.contact_id,
            external_id: r.project.external_id.clone(),
            period_from: i.period_from,
            period_to: i.period_to,
            priority_areas: i.priority_areas,
            contribution: i.contribution,
            lasting_value: i.lasting_value,
            goals: i.goals,
            partners: (i.partners.into_iter())
                .map(|(name, country, kind, role)| ProjectPartnerBody { name, country, kind, role })
                .collect(),
            own_money: i.own_money,
            own_hours: i.own_hours,
            funding: (i.funding.into_iter())
                .map(|f| FundingBody {
                    programme_id: f.programme_id,
                    call: f.call,
                    amount: f.amount,
                    currency: f.currency,
                    rate: f.rate,
                    status: f.status,
                })
                .collect(),
            results: i.results,
            value_given: i.value_given,
            outputs: i.outputs,
        }
    }
}

#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct ProjectStatusChange {
    /// Where the project goes next (one of `can.status`).
    #[schema(value_type = schema::ProjectStatus)]
    pub status: String,
}

/// A co-funding assessment as recorded.
#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct AssessmentBody {
    pub assessed_on: NaiveDate,
    /// Who assessed (a name).
    #[schema(format = "name", min_length = 1, max_length = 200)]
    pub assessed_by: String,
    /// The funding programmes considered (the catalogue's ids); at least one to apply.
    #[schema(max_items = 50)]
    pub programmes: Vec<i64>,
    #[schema(value_type = schema::CoFundingOutcome)]
    pub outcome: String,
    #[schema(format = "text", min_length = 1, max_length = 20000)]
    pub motivation: String,
}

impl AssessmentBody {
    fn parse(self) -> Result<CoFundingAssessment, ValidationErrors> {
        CoFundingAssessment::parse(&AssessmentInput {
            assessed_on: Some(self.assessed_on),
            assessed_by: self.assessed_by,
            programmes: self.programmes,
            outcome: self.outcome,
            motivation: self.motivation,
        })
    }
}

list_query! {
    /// Filters, search and order of the projects.
    pub struct ProjectQuery => ProjectFilter {
        owner_organisation_id [value_type = Option<i64>, minimum = 1] = id;
        status [value_type = Option<schema::ProjectStatus>] = code::<ProjectStatus>;
        kind [value_type = Option<schema::WorkKind>] = code::<WorkKind>;
        /// Projects that name this priority area.
        priority_area_id [value_type = Option<i64>, minimum = 1] = id;
        /// Projects with a partner in this country.
        country [value_type = Option<crate::codes::Country>] = country;
        /// Projects whose period touches this year.
        year [value_type = Option<i32>, minimum = 1900, maximum = 2199] = year;
        /// Projects with funding from this programme of the catalogue.
        funding_programme_id [value_type = Option<i64>, minimum = 1] = id;
        /// Words in the title, the summary, the external id or a partner's name.
        q [max_length = 200] = text;
        /// `false` (default), `true` or `all`.
        archived [pattern = "^(true|false|all)$"] = archived;
    }
    sort "^-?(title|status|period_from|period_to|updated)$",
    "`title` (default), `status`, `period_from`, `period_to` or `updated`; a leading `-` for descending.",
    ["title" => ProjectSort::Title, "status" => ProjectSort::Status, "period_from" => ProjectSort::PeriodFrom,
     "period_to" => ProjectSort::PeriodTo, "updated" => ProjectSort::Updated],
    default Sort::asc(ProjectSort::Title)
}

impl CsvRecord for ProjectDto {
    const HEADERS: &'static [&'static str] = &[
        "id",
        "external_id",
        "title",
        "summary",
        "kind",
        "owner_organisation_id",
        "contact_id",
        "status",
        "period_from",
        "period_to",
        "priority_areas",
        "contribution",
        "lasting_value",
        "goals",
        "partners",
        "own_money",
        "own_hours",
        "funding",
        "external_applied",
        "external_granted",
        "co_funding_rate",
        "results",
        "value_given",
        "outputs",
        "archived_at",
    ];
    const CODES: &'static [(&'static str, CodeName)] = &[
        ("kind", swedish_name::<WorkKind>),
        ("status", swedish_name::<ProjectStatus>),
        ("partners.kind", swedish_name::<PartnerKind>),
        ("partners.role", swedish_name::<PartnerRole>),
        ("funding.currency", swedish_name::<Currency>),
        ("funding.status", swedish_name::<FundingStatus>),
    ];
    const HUNDREDTHS: &'static [&'static str] = &[
        "own_money",
        "own_hours",
        "external_applied",
        "external_granted",
        "co_funding_rate",
        "funding.amount",
        "funding.amount_sek",
    ];
}

list_of! {
    /// List projects: filter by organisation, status, kind, priority area, partner country,
    /// year and funding programme; search; sort; a page, or all of them as CSV or JSON.
    fn list_projects, tag "projects", path "/projects", query ProjectQuery,
    ok "A page of projects, or with `format` an export of all matching ones.",
    page ProjectPage of ProjectDto, action Action::ReadInternal, filter ProjectFilter,
    count repo::count_projects, ids repo::project_ids, list repo::list_projects,
    each dto, file "projekt"
}

create_one! {
    /// Record a project idea. The owning organisation's reporters, coordinators and
    /// administrators may; it starts as an idea and points at the programme in force.
    fn create_project, tag "projects", path "/projects", body ProjectBody,
    ok "Recorded as an idea; the ETag is its version.", dto ProjectDto,
    |body| d = body.draft()?, |conn, ctx| uc::create(conn, ctx, &d)
}

get_one! {
    /// One project with its partners, funding, budget and assessments.
    fn get_project, tag "projects", path "/projects/{id}", id "The project's id.",
    ok "The project; the ETag is its version.", body ProjectDto, action Action::ReadInternal,
    load repo::get_project, what "project"
}

update_one! {
    /// Change a project: a merge patch of the fields to change (lists are replaced as a
    /// whole). Needs `If-Match`.
    fn update_project, tag "projects", path "/projects/{id}", id "The project's id.",
    patch ProjectPatch, dto ProjectDto,
    |patch| uc::correct, move |r: &ProjectRecord| Ok(patch.apply(&ProjectBody::of(r))?.draft()?)
}

step_one! {
    /// Move a project along its path. A development project leaves planning only after its
    /// co-funding assessment (409 `co_funding_not_assessed` until then); completing it needs
    /// its results and the lasting value it gave. Needs `If-Match`.
    fn change_project_status, tag "projects", path "/projects/{id}/status",
    id "The project's id.", etag "The ETag of the version you change.", body ProjectStatusChange,
    ok "Moved; the ETag is the new version.", dto ProjectDto,
    |body| to = ProjectStatus::parse(&body.status).map_err(ValidationErrors::from)?,
    |conn, ctx, id| uc::change_status(conn, ctx, id, to)
}

step_one! {
    /// Record a co-funding assessment: the funding programmes considered, the outcome and
    /// why. Earlier assessments stay on record. Needs `If-Match`.
    fn assess_project, tag "projects", path "/projects/{id}/assessments",
    id "The project's id.", etag "The ETag of the version you assess.", body AssessmentBody,
    ok "Recorded; the ETag is the new version.", dto ProjectDto,
    |body| a = body.parse()?,
    |conn, ctx, id| uc::assess(conn, ctx, id, &a)
}

archive_one! {
    /// Archive (or, with `restore`, bring back) a project. Needs `If-Match`.
    fn archive_project, tag "projects", path "/projects/{id}/archive",
    id "The project's id.", body ProjectDto, kind uc::ARCHIVE
}

// --- Import ------------------------------------------------------------------------------

impl ProjectBody {
    /// A row of an import file as the body the API takes (by column key). Partners and
    /// funding lines are read as the export writes them: `name (country, kind, role)` and
    /// `programme (amount, currency, rate, amount in kronor, status, call)`, `|` between
    /// items; the derived columns (the kronor amount, sums, rate) are not read.
    fn of_row(r: &mut crate::import::Row) -> Self {
        let is_country = |inside: &str| {
            inside.rsplitn(3, ", ").nth(2).is_some_and(|c| crate::import::Row::country(c).is_some())
        };
        let partners = (r.items("partners", &|_, inside| is_country(inside)).into_iter())
            .map(|(name, inside)| {
                let mut f = inside.rsplitn(3, ", ");
                let (role, kind) = (f.next().unwrap_or(""), f.next().unwrap_or(""));
                let country = f.next().unwrap_or("");
                ProjectPartnerBody {
                    name,
                    country: crate::import::Row::country(country).unwrap_or_else(|| country.to_owned()),
                    kind: r.code_in::<PartnerKind>(kind),
                    role: r.code_in::<PartnerRole>(role),
                }
            })
            .collect();
        let names = r.names();
        let is_programme = |head: &str| {
            head.parse::<i64>().is_ok() || names.funding_programmes.contains_key(&head.to_lowercase())
        };
        let lines = r.items("funding", &|head, _| is_programme(head));
        let funding = (lines.into_iter())
            .map(|(programme, inside)| {
                let f: Vec<&str> = inside.splitn(6, ", ").collect();
                let field = |n: usize| f.get(n).copied().unwrap_or("");
                FundingBody {
                    programme_id: r
                        .reference_in("funding", &programme, |n| &n.funding_programmes)
                        .unwrap_or(0),
                    amount: r.item_hundredths("funding", field(0)),
                    currency: r.code_in::<Currency>(field(1)),
                    rate: Some(field(2)).filter(|t| !t.is_empty()).map(|t| r.integer_in("funding", t)),
                    status: r.code_in::<FundingStatus>(field(4)),
                    call: Some(field(5).to_owned()).filter(|t| !t.is_empty()),
                }
            })
            .collect();
        Self {
            title: r.text("title"),
            summary: r.text("summary"),
            kind: r.code::<WorkKind>("kind"),
            owner_organisation_id: r.reference("owner_organisation_id", |n| &n.organisations).unwrap_or(0),
            contact_id: r.reference("contact_id", |n| &n.contacts),
            external_id: r.optional("external_id"),
            period_from: r.date("period_from"),
            period_to: r.date("period_to"),
            priority_areas: r.ids("priority_areas"),
            contribution: r.optional("contribution"),
            lasting_value: r.optional("lasting_value"),
            goals: r.ids("goals"),
            partners,
            own_money: r.hundredths("own_money"),
            own_hours: r.hundredths("own_hours"),
            funding,
            results: r.optional("results"),
            value_given: r.optional("value_given"),
            outputs: r.optional("outputs"),
        }
    }
}

/// The import of this register (`fuzz/` reads files with it too).
pub const IMPORT: crate::import::Importer<uc::Projects, ProjectBody> = crate::import::Importer {
    columns: ProjectDto::HEADERS,
    of_row: ProjectBody::of_row,
    draft: |body, row| {
        let status = Some(row.code::<ProjectStatus>("status")).filter(|s| !s.is_empty());
        let status = status.map(|s| ProjectStatus::parse(&s)).transpose();
        let draft = body.draft();
        match (draft, status) {
            (Ok(draft), Ok(status)) => Ok(uc::Imported { draft, status }),
            (Err(mut e), Err(s)) => {
                e.0.push(s);
                Err(e)
            }
            (Err(e), _) => Err(e),
            (_, Err(s)) => Err(ValidationErrors::from(s)),
        }
    },
};

import_into! {
    /// Import projects from the CSV or XLSX format of the export (for scripts or for people),
    /// with their partners, priority areas, goals and funding: by external id each row is
    /// created, corrected or left as it is; a row's status is reached move by move through the
    /// same rules as one by one — a development project without a co-funding assessment stays
    /// in planning (the row is refused). All or nothing: a file with bad rows stores nothing,
    /// and the answer names every bad row and field (`rows[N].field`); `?dry_run=true` stores
    /// nothing either way and says what the import would do.
    fn import_projects, tag "projects", path "/imports/projects", importer IMPORT
}

// --- The funding-programme catalogue ---------------------------------------------------

#[derive(Debug, Serialize, ToSchema)]
pub struct FundingProgrammeDto {
    pub id: i64,
    #[schema(example = "erasmus-plus")]
    pub code: String,
    #[schema(example = "Erasmus+")]
    pub name: String,
    #[schema(value_type = schema::FundingProgrammeKind)]
    pub kind: FundingProgrammeKind,
    /// False: kept for old projects, not offered for new funding or assessments.
    pub active: bool,
    #[serde(flatten)]
    pub stored: crate::dto::Stored,
}

impl FundingProgrammeDto {
    fn new(r: FundingProgrammeRow, _: &Principal) -> Result<Self, ApiError> {
        Ok(Self {
            kind: stored(FundingProgrammeKind::parse(&r.kind))?,
            id: r.id,
            code: r.code,
            name: r.name,
            active: r.active,
            stored: crate::dto::Stored::of(None, r.version, r.created_at, r.updated_at),
        })
    }
}

crate::exec::reply!(FundingProgrammeRow => FundingProgrammeDto, |r| r.version, FundingProgrammeDto::new);

/// A funding programme as written.
#[derive(Debug, Deserialize, Serialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct FundingProgrammeBody {
    #[schema(format = "framework-code", example = "erasmus-plus", min_length = 2, max_length = 40)]
    pub code: String,
    #[schema(format = "name", example = "Erasmus+", min_length = 1, max_length = 200)]
    pub name: String,
    #[schema(value_type = schema::FundingProgrammeKind)]
    pub kind: String,
    pub active: bool,
}

crate::patch_schema!(FundingProgrammePatch = FundingProgrammeBody);

impl FundingProgrammeBody {
    fn parse(&self) -> Result<FundingProgramme, ValidationErrors> {
        FundingProgramme::parse(&self.code, &self.name, &self.kind, self.active)
    }

    fn of(r: &FundingProgrammeRow) -> Self {
        Self { code: r.code.clone(), name: r.name.clone(), kind: r.kind.clone(), active: r.active }
    }
}

/// The funding programmes of the catalogue, in Swedish order of name (a few dozen: no
/// paging); `?all=true` includes the inactive ones.
#[utoipa::path(
    tag = "projects",
    params(("all" = Option<bool>, Query, description = "Include programmes no longer in use.")),
    security(("bearer" = [])),
    responses(
        (status = 200, description = "The catalogue.", body = Vec<FundingProgrammeDto>),
        crate::responses::BadRequest, crate::responses::Auth,
    )
)]
#[get("/funding-programmes")]
pub async fn list_funding_programmes(
    pool: actix_web::web::Data<utblick_db::DbPool>,
    caller: crate::auth::Caller,
    query: actix_web::web::Query<crate::routes::common::AllQuery>,
) -> Result<actix_web::HttpResponse, ApiError> {
    caller.require(Action::ReadInternal)?;
    let all = query.all()?;
    let rows = crate::routes::with_conn(&pool, move |conn| repo::list_funding_programmes(conn, all)).await?;
    let list = rows
        .into_iter()
        .map(|r| FundingProgrammeDto::new(r, &caller.principal))
        .collect::<Result<Vec<_>, _>>()?;
    Ok(actix_web::HttpResponse::Ok().json(list))
}

create_one! {
    /// Add a funding programme to the catalogue (coordinators and administrators).
    fn create_funding_programme, tag "projects", path "/funding-programmes", body FundingProgrammeBody,
    ok "Added; the ETag is its version.", dto FundingProgrammeDto,
    |body| p = body.parse()?, |conn, ctx| uc::add_programme(conn, ctx, &p)
}

update_one! {
    /// Correct a funding programme, or take it out of use (`active: false`). Needs `If-Match`.
    fn update_funding_programme, tag "projects", path "/funding-programmes/{id}", id "The funding programme's id.",
    patch FundingProgrammePatch, dto FundingProgrammeDto,
    |patch| uc::correct_programme, move |r: &FundingProgrammeRow| Ok(patch.apply(&FundingProgrammeBody::of(r))?.parse()?)
}

pub fn configure(cfg: &mut utoipa_actix_web::service_config::ServiceConfig) {
    cfg.service(list_projects)
        .service(import_projects)
        .service(create_project)
        .service(get_project)
        .service(update_project)
        .service(change_project_status)
        .service(assess_project)
        .service(archive_project)
        .service(list_funding_programmes)
        .service(create_funding_programme)
        .service(update_funding_programme);
}
