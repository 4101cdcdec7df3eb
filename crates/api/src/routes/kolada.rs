//! Utblick's KPIs in the shape of Kolada's public API v3 (`/kolada/v3`), so that a scorecard
//! suite or script that already reads Kolada reads Utblick by changing only its base URL:
//! `kpi`, `kpi/{id}`, `municipality`, `municipality/{id}`, `ou`, `ou/{id}`, `data`
//! (`data/kpi/{kpi_id}/year/{year}`, `data/kpi/{kpi_id}/municipality/{municipality_id}`, and
//! the query form `data?kpi_id=…&year=…`), `oudata` (`oudata/kpi/{kpi_id}/ou/{ou_id}`,
//! `oudata/kpi/{kpi_id}/year/{year}`, `oudata?…`). Lists come in Kolada's envelope
//! `{"values", "count", "next_url", "previous_url"}`, a page at a time (`page`, `per_page` ≤
//! 5 000). The municipality appears under its code (`kolada.municipality_code`, Tranås 0687),
//! each reporting organisation as an organisational unit `{code}U{id, six digits}`. A
//! parameter may be given comma-separated or repeated. Values are those of `/api/v1/kpi-values`.

use actix_web::{HttpRequest, HttpResponse, get};
use serde::Serialize;
use utblick_domain::kpi::{Gender, KPIS, Kpi, Scope};
use utoipa::ToSchema;

use crate::error::ApiError;

/// The most values a page holds (Kolada's own limit).
pub const MAX_PER_PAGE: usize = 5_000;
/// The highest page number asked for.
pub const MAX_PAGE: usize = 1_000_000;

/// The municipality's code (`kolada.municipality_code`) and name.
#[derive(Debug, Clone)]
pub struct KoladaSite {
    pub code: String,
    pub name: String,
}

/// A query's parameters, each possibly repeated or comma-separated.
#[derive(Debug, Default)]
struct Params {
    pairs: Vec<(String, String)>,
}

impl Params {
    fn of(req: &HttpRequest) -> Result<Self, ApiError> {
        let pairs: Vec<(String, String)> = serde_urlencoded::from_str(req.query_string())
            .map_err(|_| bad("query", "is not a query string", "är ingen frågesträng"))?;
        Ok(Self { pairs })
    }

    /// Every value of `key`, comma-separated ones split.
    fn all(&self, key: &str) -> Vec<String> {
        self.pairs
            .iter()
            .filter(|(k, _)| k == key)
            .flat_map(|(_, v)| v.split(',').map(str::trim).filter(|s| !s.is_empty()).map(str::to_owned))
            .collect()
    }

    fn one(&self, key: &str) -> Option<String> {
        self.all(key).into_iter().next()
    }

    /// The first value of `key` as written (empty included).
    fn raw(&self, key: &str) -> Option<&str> {
        self.pairs.iter().find(|(k, _)| k == key).map(|(_, v)| v.as_str())
    }
}

fn bad(field: &str, en: &str, sv: &str) -> ApiError {
    ApiError::InvalidParameter(vec![utblick_domain::FieldError::rule(field, "invalid", en, sv)])
}

/// The paging of a list: `page` from 1, `per_page` up to 5 000 (default 5 000).
fn paging(p: &Params) -> Result<(usize, usize), ApiError> {
    let page = match p.raw("page") {
        None => 1,
        Some(s) => s.parse::<usize>().ok().filter(|n| (1..=MAX_PAGE).contains(n)).ok_or_else(|| {
            bad("page", "must be a whole number from 1 to 1000000", "ska vara ett heltal från 1 till 1000000")
        })?,
    };
    let per_page = match p.raw("per_page") {
        None => MAX_PER_PAGE,
        Some(s) => s.parse::<usize>().ok().filter(|n| (1..=MAX_PER_PAGE).contains(n)).ok_or_else(|| {
            bad("per_page", "must be a whole number from 1 to 5000", "ska vara ett heltal från 1 till 5000")
        })?,
    };
    Ok((page, per_page))
}

/// Kolada's list envelope.
#[derive(Debug, Serialize, ToSchema)]
pub struct KoladaList<T> {
    pub values: Vec<T>,
    /// How many there are in all (every page).
    pub count: usize,
    /// The next page's address, or `null` on the last page.
    pub next_url: Option<String>,
    /// The previous page's address, or `null` on the first.
    pub previous_url: Option<String>,
}

/// One page of `all`, with the addresses of the pages beside it.
fn page_of_all<T: Serialize>(
    req: &HttpRequest,
    all: Vec<T>,
    (page, per_page): (usize, usize),
) -> HttpResponse {
    let count = all.len();
    let start = (page - 1).saturating_mul(per_page).min(count);
    let values: Vec<T> = all.into_iter().skip(start).take(per_page).collect();
    page_of(req, values, count, (page, per_page))
}

/// Kolada's envelope around one page (`values`) of `count` in all.
fn page_of<T: Serialize>(
    req: &HttpRequest,
    values: Vec<T>,
    count: usize,
    (page, per_page): (usize, usize),
) -> HttpResponse {
    let start = (page - 1).saturating_mul(per_page).min(count);
    let info = req.connection_info();
    let base = format!("{}://{}{}", info.scheme(), info.host(), req.path());
    let url_of = |n: usize| {
        let mut pairs: Vec<(String, String)> =
            serde_urlencoded::from_str(req.query_string()).unwrap_or_default();
        pairs.retain(|(k, _)| k != "page" && k != "per_page");
        pairs.push(("page".into(), n.to_string()));
        pairs.push(("per_page".into(), per_page.to_string()));
        format!("{base}?{}", serde_urlencoded::to_string(&pairs).unwrap_or_default())
    };
    let next_url = (start + per_page < count).then(|| url_of(page + 1));
    let previous_url = (page > 1).then(|| url_of(page - 1));
    HttpResponse::Ok().json(KoladaList { values, count, next_url, previous_url })
}

/// A KPI as Kolada describes one.
#[derive(Debug, Serialize, ToSchema)]
pub struct KoladaKpi {
    #[schema(example = "UTB0001")]
    pub id: &'static str,
    pub title: &'static str,
    pub description: &'static str,
    /// Values for women and men besides the total.
    pub is_divided_by_gender: bool,
    /// `K`: municipalities.
    pub municipality_type: &'static str,
    /// Values per organisational unit too.
    pub has_ou_data: bool,
    pub operating_area: &'static str,
    pub perspective: &'static str,
    /// Who is behind the KPI.
    pub auspice: &'static str,
    pub publ_period: Option<String>,
    pub publication_date: Option<String>,
    pub ou_publication_date: Option<String>,
    pub prel_publication_date: Option<String>,
}

fn kolada_kpi(k: &Kpi) -> KoladaKpi {
    KoladaKpi {
        id: k.id,
        title: k.title,
        description: k.description,
        is_divided_by_gender: k.by_gender,
        municipality_type: "K",
        has_ou_data: k.scope == Scope::OrganisationsAndMunicipality,
        operating_area: "Internationellt arbete",
        perspective: "Resurser och resultat",
        auspice: "Utblick",
        publ_period: None,
        publication_date: None,
        ou_publication_date: None,
        prel_publication_date: None,
    }
}

/// A municipality as Kolada describes one.
#[derive(Debug, Serialize, ToSchema)]
pub struct KoladaMunicipality {
    #[schema(example = "0687")]
    pub id: String,
    pub title: String,
    /// `K`: a municipality.
    #[serde(rename = "type")]
    pub kind: &'static str,
}

/// An organisational unit as Kolada describes one.
#[derive(Debug, Serialize, ToSchema)]
pub struct KoladaOu {
    #[schema(example = "0687U000011")]
    pub id: String,
    pub municipality: String,
    pub title: String,
}

/// One value of a KPI for one gender.
#[derive(Debug, Serialize, ToSchema)]
pub struct KoladaValue {
    /// `T`, `K` or `M`.
    #[schema(value_type = String, pattern = "^(T|K|M)$")]
    pub gender: Gender,
    pub value: Option<f64>,
    /// Empty, or `Saknas` where the figure does not exist.
    pub status: String,
    /// How many values it is made of (always 1 here).
    pub count: u32,
    pub isdeleted: bool,
}

/// A KPI's values for the municipality (`municipality`) or a unit (`ou`) in a year.
#[derive(Debug, Serialize, ToSchema)]
pub struct KoladaData {
    pub kpi: &'static str,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub municipality: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub ou: Option<String>,
    pub period: i32,
    pub values: Vec<KoladaValue>,
}

fn site(req: &HttpRequest) -> Result<KoladaSite, ApiError> {
    req.app_data::<actix_web::web::Data<KoladaSite>>()
        .map(|s| s.get_ref().clone())
        .ok_or_else(|| ApiError::Internal("the Kolada site (kolada.municipality_code) is not set up".into()))
}

fn ou_id(code: &str, organisation_id: i64) -> String {
    format!("{code}U{organisation_id:06}")
}

/// The organisation a unit id of this municipality names, if it names one.
fn organisation_of(code: &str, unit: &str) -> Option<i64> {
    let digits = unit.strip_prefix(code)?.strip_prefix('U')?;
    let id = digits.parse::<i64>().ok()?;
    (ou_id(code, id) == unit).then_some(id)
}

/// Every KPI (`title`: those whose title holds the words; `id`: these ids).
#[utoipa::path(
    tag = "kolada",
    params(
        ("title" = Option<String>, Query, description = "Words the title holds."),
        ("id" = Option<String>, Query, description = "KPI ids, comma-separated."),
        ("page" = Option<u32>, Query, minimum = 1, maximum = 1000000), ("per_page" = Option<u32>, Query, minimum = 1, maximum = 5000),
    ),
    security(("bearer" = []), ()),
    responses((status = 200, description = "The KPIs.", body = KoladaList<KoladaKpi>), crate::responses::BadRequest, crate::responses::Auth)
)]
#[get("/kpi")]
pub async fn kolada_kpis(
    req: HttpRequest,
    _reader: crate::routes::kpis::KpiReader,
) -> Result<HttpResponse, ApiError> {
    let p = Params::of(&req)?;
    kpis(&req, &p, &p.all("id"))
}

fn kpis(req: &HttpRequest, p: &Params, ids: &[String]) -> Result<HttpResponse, ApiError> {
    let title = p.one("title").map(|t| t.to_lowercase());
    let all: Vec<KoladaKpi> = KPIS
        .iter()
        .filter(|k| ids.is_empty() || ids.iter().any(|i| i == k.id))
        .filter(|k| title.as_deref().is_none_or(|t| k.title.to_lowercase().contains(t)))
        .map(kolada_kpi)
        .collect();
    Ok(page_of_all(req, all, paging(p)?))
}

/// Kolada's id path parameter: one id or several, comma-separated.
#[derive(Debug, serde::Deserialize, utoipa::IntoParams)]
#[into_params(parameter_in = Path)]
pub struct KoladaIds {
    /// One id, or several comma-separated.
    pub id: String,
}

/// The KPIs with these ids.
#[utoipa::path(
    tag = "kolada",
    params(KoladaIds),
    security(("bearer" = []), ()),
    responses((status = 200, description = "The KPIs (none for unknown ids).", body = KoladaList<KoladaKpi>), crate::responses::BadRequest, crate::responses::Auth)
)]
#[get("/kpi/{id}")]
pub async fn kolada_kpi_by_id(
    req: HttpRequest,
    _reader: crate::routes::kpis::KpiReader,
    path: actix_web::web::Path<KoladaIds>,
) -> Result<HttpResponse, ApiError> {
    let ids: Vec<String> =
        path.id.split(',').map(|s| s.trim().to_owned()).filter(|s| !s.is_empty()).collect();
    kpis(&req, &Params::of(&req)?, &ids)
}

fn municipalities(req: &HttpRequest, ids: &[String]) -> Result<HttpResponse, ApiError> {
    let p = Params::of(req)?;
    let s = site(req)?;
    let title = p.one("title").map(|t| t.to_lowercase());
    let mut all = Vec::new();
    if (ids.is_empty() || ids.contains(&s.code))
        && title.as_deref().is_none_or(|t| s.name.to_lowercase().contains(t))
    {
        all.push(KoladaMunicipality { id: s.code.clone(), title: s.name.clone(), kind: "K" });
    }
    Ok(page_of_all(req, all, paging(&p)?))
}

/// The municipality (`title`, `id` filter it).
#[utoipa::path(
    tag = "kolada",
    params(
        ("title" = Option<String>, Query, description = "Words the name holds."),
        ("id" = Option<String>, Query, description = "Municipality codes, comma-separated."),
        ("page" = Option<u32>, Query, minimum = 1, maximum = 1000000), ("per_page" = Option<u32>, Query, minimum = 1, maximum = 5000),
    ),
    security(("bearer" = []), ()),
    responses((status = 200, description = "The municipality.", body = KoladaList<KoladaMunicipality>), crate::responses::BadRequest, crate::responses::Auth)
)]
#[get("/municipality")]
pub async fn kolada_municipalities(
    req: HttpRequest,
    _reader: crate::routes::kpis::KpiReader,
) -> Result<HttpResponse, ApiError> {
    let ids = Params::of(&req)?.all("id");
    municipalities(&req, &ids)
}

/// The municipality with this code.
#[utoipa::path(
    tag = "kolada",
    params(KoladaIds),
    security(("bearer" = []), ()),
    responses((status = 200, description = "The municipality, or none.", body = KoladaList<KoladaMunicipality>), crate::responses::BadRequest, crate::responses::Auth)
)]
#[get("/municipality/{id}")]
pub async fn kolada_municipality(
    req: HttpRequest,
    _reader: crate::routes::kpis::KpiReader,
    path: actix_web::web::Path<KoladaIds>,
) -> Result<HttpResponse, ApiError> {
    let ids: Vec<String> = path.id.split(',').map(|s| s.trim().to_owned()).collect();
    municipalities(&req, &ids)
}

async fn units(
    req: &HttpRequest,
    pool: &actix_web::web::Data<utblick_db::DbPool>,
    ids: Vec<String>,
) -> Result<HttpResponse, ApiError> {
    let p = Params::of(req)?;
    let s = site(req)?;
    let municipality = p.all("municipality");
    let title = p.one("title").map(|t| t.to_lowercase());
    let reporting = crate::routes::with_app(pool, utblick_app::reports::reporting_organisations).await?;
    let mut all: Vec<KoladaOu> = reporting
        .into_iter()
        .map(|(id, name)| KoladaOu { id: ou_id(&s.code, id), municipality: s.code.clone(), title: name })
        .filter(|o| ids.is_empty() || ids.contains(&o.id))
        .filter(|o| municipality.is_empty() || municipality.contains(&o.municipality))
        .filter(|o| title.as_deref().is_none_or(|t| o.title.to_lowercase().contains(t)))
        .collect();
    all.sort_by(|a, b| a.id.cmp(&b.id));
    Ok(page_of_all(req, all, paging(&p)?))
}

/// The organisational units: the administrations and companies that report (`municipality`,
/// `title`, `id` filter them).
#[utoipa::path(
    tag = "kolada",
    params(
        ("municipality" = Option<String>, Query, description = "Municipality codes, comma-separated."),
        ("title" = Option<String>, Query, description = "Words the name holds."),
        ("id" = Option<String>, Query, description = "Unit ids, comma-separated."),
        ("page" = Option<u32>, Query, minimum = 1, maximum = 1000000), ("per_page" = Option<u32>, Query, minimum = 1, maximum = 5000),
    ),
    security(("bearer" = []), ()),
    responses((status = 200, description = "The units.", body = KoladaList<KoladaOu>), crate::responses::BadRequest, crate::responses::Auth)
)]
#[get("/ou")]
pub async fn kolada_ous(
    req: HttpRequest,
    _reader: crate::routes::kpis::KpiReader,
    pool: actix_web::web::Data<utblick_db::DbPool>,
) -> Result<HttpResponse, ApiError> {
    let ids = Params::of(&req)?.all("id");
    units(&req, &pool, ids).await
}

/// The organisational units with these ids.
#[utoipa::path(
    tag = "kolada",
    params(KoladaIds),
    security(("bearer" = []), ()),
    responses((status = 200, description = "The units (none for unknown ids).", body = KoladaList<KoladaOu>), crate::responses::BadRequest, crate::responses::Auth)
)]
#[get("/ou/{id}")]
pub async fn kolada_ou(
    req: HttpRequest,
    _reader: crate::routes::kpis::KpiReader,
    pool: actix_web::web::Data<utblick_db::DbPool>,
    path: actix_web::web::Path<KoladaIds>,
) -> Result<HttpResponse, ApiError> {
    let ids: Vec<String> = path.id.split(',').map(|s| s.trim().to_owned()).collect();
    units(&req, &pool, ids).await
}

/// What a data query asks for: KPIs, years, municipalities or units (empty: any).
#[derive(Debug, Default)]
struct Wanted {
    kpis: Vec<String>,
    years: Vec<i32>,
    municipalities: Vec<String>,
    ous: Vec<String>,
}

impl Wanted {
    fn of(p: &Params) -> Result<Self, ApiError> {
        // Each `year` given is a list of years as written, comma-separated.
        let mut years = Vec::new();
        for (_, raw) in p.pairs.iter().filter(|(k, _)| k == "year") {
            years.extend(years_of(raw)?);
        }
        // `from_date` is read and not used: every value is as current as its compilation.
        Ok(Self {
            kpis: p.all("kpi_id"),
            years,
            municipalities: p.all("municipality_id"),
            ous: p.all("ou_id"),
        })
    }
}

/// The values asked for: the municipality's (`ou` false) or the units' (`ou` true), grouped
/// by KPI, place and year with the genders together.
async fn data(
    req: &HttpRequest,
    pool: &actix_web::web::Data<utblick_db::DbPool>,
    w: Wanted,
    ou: bool,
) -> Result<HttpResponse, ApiError> {
    let p = Params::of(req)?;
    let paged = paging(&p)?;
    let s = site(req)?;
    let today = chrono::Utc::now().date_naive();
    let years = if w.years.is_empty() { None } else { Some(w.years.clone()) };
    let frozen = req.app_data::<actix_web::web::Data<utblick_app::kpis::FrozenValues>>().cloned();
    let values = crate::routes::with_app(pool, move |conn| {
        utblick_app::kpis::values_of_years(
            conn,
            years.as_deref(),
            today,
            frozen.as_ref().map(|f| f.get_ref()),
        )
    })
    .await?;
    // The units asked for, as organisation ids (a unit id is the municipality's code, `U`
    // and the organisation's id); one of another municipality names none of ours.
    let units: Vec<Option<i64>> = w.ous.iter().map(|u| organisation_of(&s.code, u)).collect();
    let here = w.municipalities.is_empty() || w.municipalities.contains(&s.code);
    // The groups asked for — a KPI's values (its genders together, `domain::kpi::values`) for a
    // place in a year — found first, ordered, and only the page's made into Kolada's shape.
    let mut groups: Vec<(&'static str, i64, i32, &[utblick_domain::kpi::KpiValue])> = Vec::new();
    for y in &values {
        for group in y.values.chunk_by(|a, b| a.kpi == b.kpi && a.organisation_id == b.organisation_id) {
            let first = &group[0];
            let wanted = here
                && (w.kpis.is_empty() || w.kpis.iter().any(|k| k == first.kpi))
                && match (ou, first.organisation_id) {
                    (false, None) => true,
                    (true, Some(id)) => w.ous.is_empty() || units.contains(&Some(id)),
                    _ => false,
                };
            if wanted {
                // The municipality sorts first among places (Kolada's order: by KPI, place, year).
                groups.push((first.kpi, first.organisation_id.unwrap_or(-1), first.year, group));
            }
        }
    }
    groups.sort_by_key(|g| (g.0, g.1, g.2));
    let count = groups.len();
    let start = (paged.0 - 1).saturating_mul(paged.1).min(count);
    let page = groups[start..(start + paged.1).min(count)].iter().map(|(kpi, id, year, group)| {
        let place = if ou { ou_id(&s.code, *id) } else { s.code.clone() };
        KoladaData {
            kpi,
            municipality: (!ou).then(|| place.clone()),
            ou: ou.then_some(place),
            period: *year,
            values: group
                .iter()
                .map(|v| KoladaValue {
                    gender: v.gender,
                    status: if v.value.is_some() { String::new() } else { "Saknas".into() },
                    value: v.value,
                    count: 1,
                    isdeleted: false,
                })
                .collect(),
        }
    });
    Ok(page_of(req, page.collect(), count, paged))
}

/// The parameters of `data`'s query form.
#[derive(Debug, utoipa::IntoParams)]
#[into_params(parameter_in = Query)]
#[allow(dead_code)] // read from the raw query: a parameter may be repeated
pub struct DataQuery {
    /// KPI ids, comma-separated or repeated.
    pub kpi_id: Option<String>,
    /// Municipality codes, comma-separated or repeated.
    pub municipality_id: Option<String>,
    /// Years, comma-separated or repeated.
    #[param(pattern = "^[0-9]{1,4}(,[0-9]{1,4})*$")]
    pub year: Option<String>,
    /// Values updated since (YYYY-MM-DD): accepted, and every value counts as current.
    pub from_date: Option<String>,
    /// The page, from 1.
    #[param(minimum = 1, maximum = 1000000)]
    pub page: Option<u32>,
    /// Values a page (default and at most 5 000).
    #[param(minimum = 1, maximum = 5000)]
    pub per_page: Option<u32>,
}

/// The parameters of `oudata`'s query form.
#[derive(Debug, utoipa::IntoParams)]
#[into_params(parameter_in = Query)]
#[allow(dead_code)] // read from the raw query: a parameter may be repeated
pub struct OuDataQuery {
    /// KPI ids, comma-separated or repeated.
    pub kpi_id: Option<String>,
    /// Unit ids, comma-separated or repeated.
    pub ou_id: Option<String>,
    /// Years, comma-separated or repeated.
    #[param(pattern = "^[0-9]{1,4}(,[0-9]{1,4})*$")]
    pub year: Option<String>,
    /// Values updated since (YYYY-MM-DD): accepted, and every value counts as current.
    pub from_date: Option<String>,
    /// The page, from 1.
    #[param(minimum = 1, maximum = 1000000)]
    pub page: Option<u32>,
    /// Values a page (default and at most 5 000).
    #[param(minimum = 1, maximum = 5000)]
    pub per_page: Option<u32>,
}

/// The query forms: `data` (the municipality's values) and `oudata` (the units'), each also
/// at the address with a trailing slash, which some Kolada clients write.
macro_rules! query_form {
    ($($name:ident, $path:tt, $params:ident, $ou:tt, $doc:tt;)*) => {$(
        #[doc = $doc]
        #[utoipa::path(
            tag = "kolada",
            params($params),
            security(("bearer" = []), ()),
            responses((status = 200, description = "The values.", body = KoladaList<KoladaData>), crate::responses::BadRequest, crate::responses::Auth)
        )]
        #[get($path)]
        pub async fn $name(
            req: HttpRequest,
            _reader: crate::routes::kpis::KpiReader,
            pool: actix_web::web::Data<utblick_db::DbPool>,
        ) -> Result<HttpResponse, ApiError> {
            let w = Wanted::of(&Params::of(&req)?)?;
            data(&req, &pool, w, $ou).await
        }
    )*};
}

query_form! {
    kolada_data, "/data", DataQuery, false, "The municipality's values, filtered by `kpi_id`, `municipality_id`, `year`.";
    kolada_data_slash, "/data/", DataQuery, false, "As `data`, at the address with a trailing slash.";
    kolada_oudata, "/oudata", OuDataQuery, true, "The units' values, filtered by `kpi_id`, `ou_id`, `year`.";
    kolada_oudata_slash, "/oudata/", OuDataQuery, true, "As `oudata`, at the address with a trailing slash.";
}

/// A year: up to four digits (a year without values simply has none).
fn year_of(y: &str) -> Result<i32, ApiError> {
    Some(y)
        .filter(|y| (1..=4).contains(&y.len()) && y.bytes().all(|b| b.is_ascii_digit()))
        .and_then(|y| y.parse().ok())
        .ok_or_else(|| {
            bad("year", "must be a year (up to four digits)", "ska vara ett år (högst fyra siffror)")
        })
}

fn split(s: &str) -> Vec<String> {
    s.split(',').map(|x| x.trim().to_owned()).filter(|x| !x.is_empty()).collect()
}

/// Years written comma-separated, each of up to four digits, nothing else.
fn years_of(s: &str) -> Result<Vec<i32>, ApiError> {
    s.split(',').map(year_of).collect()
}

/// The path forms: KPIs and years, or KPIs and places (municipalities or units), each the
/// municipality's values (`data`) or the units' (`oudata`); written once here.
macro_rules! path_form {
    ($(
        $(#[doc = $doc:literal])*
        fn $name:ident, path $path:literal, units $ou:literal,
        second ($second:literal, $described:literal $(, pattern $pattern:literal)?),
        |$kpi:ident, $other:ident| $wanted:expr;
    )*) => {$(
        $(#[doc = $doc])*
        #[utoipa::path(
            tag = "kolada",
            params(("kpi_id" = String, Path, description = "KPI ids, comma-separated."), ($second = String, Path, description = $described $(, pattern = $pattern)?),
                ("page" = Option<u32>, Query, minimum = 1, maximum = 1000000), ("per_page" = Option<u32>, Query, minimum = 1, maximum = 5000)),
            security(("bearer" = []), ()),
            responses((status = 200, description = "The values.", body = KoladaList<KoladaData>), crate::responses::BadRequest, crate::responses::Auth)
        )]
        #[get($path)]
        pub async fn $name(
            req: HttpRequest,
            _reader: crate::routes::kpis::KpiReader,
            pool: actix_web::web::Data<utblick_db::DbPool>,
            path: actix_web::web::Path<(String, String)>,
        ) -> Result<HttpResponse, ApiError> {
            let ($kpi, $other) = path.into_inner();
            let w: Wanted = $wanted;
            data(&req, &pool, w, $ou).await
        }
    )*};
}

path_form! {
    /// The municipality's values of KPIs in years.
    fn kolada_data_kpi_year, path "/data/kpi/{kpi_id}/year/{year}", units false,
    second ("year", "Years, comma-separated.", pattern "^[0-9]{1,4}(,[0-9]{1,4})*$"),
    |kpi, year| Wanted { kpis: split(&kpi), years: years_of(&year)?, ..Wanted::default() };

    /// The municipality's values of KPIs, every year.
    fn kolada_data_kpi_municipality, path "/data/kpi/{kpi_id}/municipality/{municipality_id}", units false,
    second ("municipality_id", "Municipality codes, comma-separated."),
    |kpi, municipality| Wanted { kpis: split(&kpi), municipalities: split(&municipality), ..Wanted::default() };

    /// A unit's values of KPIs, every year.
    fn kolada_oudata_kpi_ou, path "/oudata/kpi/{kpi_id}/ou/{ou_id}", units true,
    second ("ou_id", "Unit ids, comma-separated."),
    |kpi, ou| Wanted { kpis: split(&kpi), ous: split(&ou), ..Wanted::default() };

    /// The units' values of KPIs in years.
    fn kolada_oudata_kpi_year, path "/oudata/kpi/{kpi_id}/year/{year}", units true,
    second ("year", "Years, comma-separated.", pattern "^[0-9]{1,4}(,[0-9]{1,4})*$"),
    |kpi, year| Wanted { kpis: split(&kpi), years: years_of(&year)?, ..Wanted::default() };
}

pub fn configure(cfg: &mut utoipa_actix_web::service_config::ServiceConfig) {
    cfg.service(kolada_kpis)
        .service(kolada_kpi_by_id)
        .service(kolada_municipalities)
        .service(kolada_municipality)
        .service(kolada_ous)
        .service(kolada_ou)
        .service(kolada_data)
        .service(kolada_data_slash)
        .service(kolada_oudata)
        .service(kolada_oudata_slash)
        .service(kolada_data_kpi_year)
        .service(kolada_data_kpi_municipality)
        .service(kolada_oudata_kpi_ou)
        .service(kolada_oudata_kpi_year);
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_unit_id_names_the_municipality_and_the_organisation() {
        assert_eq!(ou_id("0687", 11), "0687U000011");
        assert_eq!(ou_id("0180", 123_456), "0180U123456");
    }
}
