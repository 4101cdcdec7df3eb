//! KPIs for the scorecards (styrkort): their definitions and their values per organisation
//! and year and for the whole municipality — the compilation's figures of each reporting
//! year, as the council was told them once the compilation is final. JSON for the styrkort
//! system, CSV with Swedish headings for people.

use crate::xlsx::Cell;
use actix_web::{HttpResponse, get};
use serde::{Deserialize, Serialize};
use utblick_domain::Action;
use utblick_domain::kpi::{Better, Gender, KPIS, Kpi, Scope, kpi_of};
use utoipa::ToSchema;

use crate::error::ApiError;
use crate::routes::common::QueryParams;

/// A KPI: what it measures and how.
#[derive(Debug, Serialize, ToSchema)]
pub struct KpiDto {
    /// Stable (`UTB` and four digits); never reused for another meaning.
    #[schema(example = "UTB0001")]
    pub id: &'static str,
    /// Its Swedish title.
    pub title: &'static str,
    pub description: &'static str,
    /// The unit of its values (`antal`, `timmar`, `kr`, `procent`, `kr per kr`).
    pub unit: &'static str,
    /// Which way is better: `higher`, `lower` or `neither` (a figure to follow).
    #[schema(value_type = String, pattern = "^(higher|lower|neither)$")]
    pub better: Better,
    /// Whom it has values for: `organisations_and_municipality` or `municipality`.
    #[schema(value_type = String, pattern = "^(organisations_and_municipality|municipality)$")]
    pub scope: Scope,
    /// Its values come for women (`K`) and men (`M`) besides the total (`T`).
    pub by_gender: bool,
}

impl From<&Kpi> for KpiDto {
    fn from(k: &Kpi) -> Self {
        Self {
            id: k.id,
            title: k.title,
            description: k.description,
            unit: k.unit,
            better: k.better,
            scope: k.scope,
            by_gender: k.by_gender,
        }
    }
}

/// A caller who may read the KPIs: a signed-in person or a `kpi:read` token, or anyone once an
/// administrator has published the KPI feed (`domain::access::may_read_kpis`). The setting is
/// read only when the caller's own rights do not reach.
pub struct KpiReader;

impl actix_web::FromRequest for KpiReader {
    type Error = actix_web::Error;
    type Future = futures_util::future::LocalBoxFuture<'static, Result<Self, Self::Error>>;

    fn from_request(req: &actix_web::HttpRequest, payload: &mut actix_web::dev::Payload) -> Self::Future {
        let caller = crate::auth::Caller::from_request(req, payload);
        let pool = req.app_data::<actix_web::web::Data<utblick_db::DbPool>>().cloned();
        Box::pin(async move {
            let caller = caller.await?;
            let refused = match caller.require(Action::ReadKpi) {
                Ok(()) => return Ok(KpiReader),
                Err(e) => e,
            };
            let Some(pool) = pool else { return Err(refused.into()) };
            let published = crate::routes::with_app(&pool, utblick_app::settings::kpi_feed_published).await?;
            match utblick_domain::access::may_read_kpis(&caller.principal, published) {
                utblick_domain::Decision::Allow => Ok(KpiReader),
                _ => Err(refused.into()),
            }
        })
    }
}

/// Every KPI, by id.
#[utoipa::path(
    tag = "kpis",
    security(("bearer" = []), ()),
    responses((status = 200, description = "The KPIs.", body = Vec<KpiDto>), crate::responses::Auth)
)]
#[get("/kpis")]
pub async fn list_kpis(_reader: crate::routes::kpis::KpiReader) -> Result<HttpResponse, ApiError> {
    Ok(HttpResponse::Ok().json(KPIS.iter().map(KpiDto::from).collect::<Vec<_>>()))
}

/// A KPI's path.
#[derive(Debug, Deserialize, utoipa::IntoParams)]
#[into_params(parameter_in = Path)]
pub struct KpiPath {
    /// The KPI's id.
    #[param(pattern = "^UTB[0-9]{4}$")]
    pub id: String,
}

/// One KPI.
#[utoipa::path(
    tag = "kpis",
    params(KpiPath),
    security(("bearer" = []), ()),
    responses(
        (status = 200, description = "The KPI.", body = KpiDto),
        crate::responses::Auth, crate::responses::NotFound,
    )
)]
#[get("/kpis/{id}")]
pub async fn get_kpi(
    _reader: crate::routes::kpis::KpiReader,
    path: actix_web::web::Path<KpiPath>,
) -> Result<HttpResponse, ApiError> {
    let k = kpi_of(&path.id).ok_or_else(|| ApiError::NotFound(format!("KPI {}", path.id)))?;
    Ok(HttpResponse::Ok().json(KpiDto::from(k)))
}

/// Which values.
#[derive(Debug, Deserialize, utoipa::IntoParams)]
#[into_params(parameter_in = Query)]
#[serde(deny_unknown_fields)]
pub struct KpiValuesQuery {
    /// Only this KPI.
    #[param(pattern = "^UTB[0-9]{4}$")]
    pub kpi_id: Option<String>,
    /// Only this year.
    #[param(value_type = Option<i32>, minimum = 1900, maximum = 2199)]
    pub year: Option<String>,
    /// Only this organisation's values (the municipality's are left out).
    #[param(value_type = Option<i64>, minimum = 1)]
    pub organisation_id: Option<String>,
    /// `json` (default), or for people `csv` or `xlsx` (Swedish headings and names).
    #[param(pattern = "^(json|csv|xlsx)$")]
    pub format: Option<String>,
}

/// One value of a KPI.
#[derive(Debug, Serialize, ToSchema)]
pub struct KpiValueDto {
    #[schema(example = "UTB0001")]
    pub kpi_id: &'static str,
    /// The organisation; `null` for the whole municipality.
    pub organisation_id: Option<i64>,
    /// The organisation's name, or the municipality's.
    pub organisation: String,
    pub year: i32,
    /// `T` (total), `K` (women) or `M` (men).
    #[schema(value_type = String, pattern = "^(T|K|M)$")]
    pub gender: Gender,
    /// `null` where the figure does not exist (a leverage without own money).
    pub value: Option<f64>,
    /// From the year's compilation as the council was told it (`true`), or computed from the
    /// data as it is now.
    pub frozen: bool,
    /// The target a goal of the styrkort system sets for this KPI, organisation (or the
    /// municipality) and year; totals only.
    pub target: Option<f64>,
}

/// The values of the KPIs: per organisation and year, and for the whole municipality; each
/// reporting year's from its compilation as the council was told it once final, else from the
/// data now.
#[utoipa::path(
    tag = "kpis",
    params(KpiValuesQuery),
    security(("bearer" = []), ()),
    responses(
        (status = 200, description = "The values, by year, KPI, organisation (the municipality first) and gender.",
            content(
                (Vec<KpiValueDto> = "application/json"),
                (String = "text/csv"),
                (Vec<u8> = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"),
            )),
        crate::responses::BadRequest, crate::responses::Auth,
    )
)]
#[get("/kpi-values")]
pub async fn list_kpi_values(
    pool: actix_web::web::Data<utblick_db::DbPool>,
    site: Option<actix_web::web::Data<crate::routes::meta::Site>>,
    frozen: Option<actix_web::web::Data<utblick_app::kpis::FrozenValues>>,
    _reader: crate::routes::kpis::KpiReader,
    q: actix_web::web::Query<KpiValuesQuery>,
) -> Result<HttpResponse, ApiError> {
    let mut p = QueryParams::new();
    let year = p.year("year", q.year.as_deref());
    let organisation_id = p.id("organisation_id", q.organisation_id.as_deref());
    let kpi_id = p.kpi("kpi_id", q.kpi_id.as_deref());
    let format = match q.format.as_deref() {
        None | Some("json") => "json",
        Some(f @ ("csv" | "xlsx")) => f,
        Some(_) => {
            p.problem(utblick_domain::FieldError::rule(
                "format",
                "not_one_of",
                "must be one of: json, csv, xlsx",
                "ska vara något av: json, csv, xlsx",
            ));
            "json"
        }
    };
    p.finish()?;
    let municipality = site.map_or_else(|| "Kommunen".to_owned(), |s| s.municipality.clone());
    let today = chrono::Utc::now().date_naive();
    let (years, organisations, targets) = crate::routes::with_app(&pool, move |conn| {
        let years = year.as_ref().map(std::slice::from_ref);
        let years =
            utblick_app::kpis::values_of_years(conn, years, today, frozen.as_ref().map(|f| f.get_ref()))?;
        let organisations = utblick_db::identity::list_organisations(conn, &Default::default(), 0, u32::MAX)?;
        Ok((years, organisations, utblick_db::goals::active_targets(conn)?))
    })
    .await?;
    let name_of = |id: Option<i64>| match id {
        None => municipality.clone(),
        Some(id) => organisations.iter().find(|o| o.id == id).map(|o| o.name.clone()).unwrap_or_default(),
    };
    let mut values: Vec<KpiValueDto> = years
        .into_iter()
        .flat_map(|y| {
            let frozen = y.frozen;
            y.values.iter().cloned().map(move |v| (v, frozen)).collect::<Vec<_>>()
        })
        .filter(|(v, _)| kpi_id.as_deref().is_none_or(|k| v.kpi == k))
        .filter(|(v, _)| organisation_id.is_none_or(|o| v.organisation_id == Some(o)))
        .map(|(v, frozen)| KpiValueDto {
            kpi_id: v.kpi,
            organisation: name_of(v.organisation_id),
            organisation_id: v.organisation_id,
            year: v.year,
            gender: v.gender,
            value: v.value,
            frozen,
            target: (v.gender == Gender::Total)
                .then(|| utblick_domain::goal::target_of(&targets, v.kpi, v.organisation_id, v.year))
                .flatten(),
        })
        .collect();
    values.sort_by(|a, b| {
        (a.year, a.kpi_id, a.organisation_id.is_some())
            .cmp(&(b.year, b.kpi_id, b.organisation_id.is_some()))
            .then_with(|| utblick_domain::text::swedish_cmp(&a.organisation, &b.organisation))
            .then(a.gender.cmp(&b.gender))
    });
    if format == "json" {
        return Ok(HttpResponse::Ok().json(values));
    }
    let rows: Vec<Vec<Cell>> = values.iter().map(row_for_people).collect();
    if format == "xlsx" {
        let bytes = actix_web::web::block(move || {
            let sheet = crate::xlsx::Sheet { name: "Nyckeltal", headers: &HEADERS_FOR_PEOPLE, rows: &rows };
            crate::xlsx::workbook_of(&[sheet])
        })
        .await??;
        return Ok(HttpResponse::Ok()
            .content_type(crate::import::XLSX)
            .insert_header(crate::disposition::attachment("nyckeltal.xlsx"))
            .body(bytes));
    }
    let mut out = String::from("\u{feff}");
    out.push_str(&crate::export::csv_line(HEADERS_FOR_PEOPLE.into_iter()));
    for row in &rows {
        let cells: Vec<String> = row.iter().enumerate().map(|(i, c)| cell_text(c, i == YEAR)).collect();
        out.push_str(&crate::export::csv_line(cells.iter().map(String::as_str)));
    }
    Ok(HttpResponse::Ok()
        .content_type("text/csv; charset=utf-8")
        .insert_header(crate::disposition::attachment("nyckeltal.csv"))
        .body(out))
}

/// The columns of the KPI values' files for people.
const HEADERS_FOR_PEOPLE: [&str; 9] =
    ["Nyckeltal", "Titel", "Enhet", "Organisation", "År", "Kön", "Värde", "Målvärde", "Källa"];

/// One KPI value as the cells of a row for people (CSV and XLSX alike).
fn row_for_people(v: &KpiValueDto) -> Vec<Cell> {
    let k = kpi_of(v.kpi_id);
    let gender = match v.gender {
        Gender::Total => "Totalt",
        Gender::Women => "Kvinnor",
        Gender::Men => "Män",
    };
    let number = |x: Option<f64>| x.map_or(Cell::Empty, Cell::Number);
    let source = if v.frozen { "Fastställd sammanställning" } else { "Registrerade uppgifter nu" };
    let text = |s: &str| Cell::Text(s.to_owned());
    vec![
        text(v.kpi_id),
        text(k.map_or("", |k| k.title)),
        text(k.map_or("", |k| k.unit)),
        text(&v.organisation),
        Cell::Number(f64::from(v.year)),
        text(gender),
        number(v.value),
        number(v.target),
        text(source),
    ]
}

/// The column of the year.
const YEAR: usize = 4;

/// A cell as the CSV for people writes it: numbers with two decimals and a decimal comma,
/// the year as it is.
fn cell_text(c: &Cell, year: bool) -> String {
    match c {
        Cell::Text(s) => s.clone(),
        Cell::Number(x) if year => format!("{x:.0}"),
        Cell::Number(x) => format!("{x:.2}").replace('.', ","),
        _ => String::new(),
    }
}

pub fn configure(cfg: &mut utoipa_actix_web::service_config::ServiceConfig) {
    cfg.service(list_kpis).service(get_kpi).service(list_kpi_values);
}
