//! The OpenAPI 3.1 document, built from the same `configure` functions the server mounts,
//! and the route table that answers 405 with an `Allow` header from it.

use actix_web::dev::{ServiceFactory, ServiceRequest};
use actix_web::http::Method;
use utoipa::OpenApi;
use utoipa_actix_web::{AppExt, UtoipaApp, scope};

use crate::routes;

#[derive(OpenApi)]
#[openapi(
    info(
        title = "Utblick API",
        description = "Utblick runs a Swedish municipality's programme for international work \
                       (\"Internationellt arbete\"): the programme and its priority areas, the goal \
                       frameworks it links to, and — as the system grows — projects, co-funding \
                       assessments, annual reports, compilations to the council and the KPIs the \
                       scorecard (styrkort) system reads.\n\n\
                       Every error is an RFC 9457 `application/problem+json` document with a stable \
                       `code`; validation problems list the failing fields in `errors`. Lists are \
                       paginated with `page` (from 1) and `per_page` (1–100). Dates and times are \
                       between the years 1900 and 2199.",
        license(name = "EUPL-1.2", identifier = "EUPL-1.2"),
    ),
    tags(
        (name = "programmes", description = "Governing documents: the programme, its versions and priority areas."),
        (name = "frameworks", description = "Goal frameworks the programme links to (Europa 2020, the development plan, …)."),
        (name = "operations", description = "Liveness and readiness for load balancers."),
        (name = "meta", description = "The API describing itself."),
        (name = "auth", description = "Signing in and out; your own account."),
        (name = "users", description = "People's accounts (administrators)."),
        (name = "api-tokens", description = "Tokens for machines: the styrkort system, IT scripts (administrators)."),
        (name = "organisations", description = "Administrations, companies and the central function."),
        (name = "audit", description = "Who changed what, when (administrators and coordinators)."),
        (name = "decisions", description = "The decisions register: the council's and the board's decisions (rule 6)."),
        (name = "collaborations", description = "International collaborations and network memberships; active only with the council's decision (rule 6)."),
        (name = "contacts", description = "The contact network of each organisation (personal data: signed-in people only)."),
        (name = "projects", description = "Projects and the co-funding gate: a development project leaves planning only after the possibility of external co-funding is assessed; the catalogue of funding programmes."),
        (name = "activities", description = "The activity register (what the annual report counts) and the elected officials who represent the municipality."),
        (name = "leads", description = "The horizon-scanning log: calls for proposals, trends, legislation, partner requests; a calendar feed of open calls."),
        (name = "compilations", description = "The compilation for the council (rule 8): each year compiled from the activities, projects and reports; final versions frozen as public records; presented with the council's decision; published for anyone; the document as PDF (PDF/UA-1) and DOCX, tables as CSV, XLSX and JSON, charts as SVG."),
        (name = "kpis", description = "KPIs for the scorecards (styrkort): stable ids (UTB0001…), their values per organisation and year and for the whole municipality — each reporting year's compilation figures, as the council was told them once final."),
        (name = "goals", description = "Goals in from the styrkort system: whole scorecards or single goals pushed by the styrkort system's own ids (PUT, idempotent, goals:write), each goal optionally with a KPI and its targets per year; a goal removed there is archived here, never deleted. Every goal (of scorecards and frameworks) is listed with both ids; projects and reports link to them."),
        (name = "changes", description = "The change feed: every change of the registers in commit order, with its record, action and new version, read with a cursor that never passes over a change."),
        (name = "settings", description = "What administrators change while Utblick runs: whether the KPI feed is open to anyone."),
        (name = "kolada", description = "The KPIs in the shape of Kolada's public API v3 (/kolada/v3): a client of Kolada reads Utblick's KPIs, organisational units and values by changing only its base URL. Needs a signed-in person or an API token with kpi:read, unless an administrator has published the KPI feed (PUT /api/v1/settings)."),
        (name = "attachments", description = "Attached files (evidence) of reports, projects and activities: stored with the data, downloaded as attachments (never shown inside the application), handed in with a report as part of its public document."),
        (name = "reports", description = "The annual report (rule 8): reporting years, each administration's and company's report with its figures, corrections and goal contributions; a handed-in version is a public record that never changes."),
        (name = "twin-towns", description = "Twin towns (vänorter): becoming active and ending need the council's decision (rule 6)."),
    ),
    components(schemas(crate::error::Problem, crate::error::FieldProblem)),
    modifiers(&SecuritySchemes)
)]
struct ApiDoc;

/// Both credentials travel as `Authorization: Bearer …`: a person's short-lived JWT access
/// token, or a machine's API token (`utb_…`).
struct SecuritySchemes;

impl utoipa::Modify for SecuritySchemes {
    fn modify(&self, openapi: &mut utoipa::openapi::OpenApi) {
        use utoipa::openapi::security::{Http, HttpAuthScheme, SecurityScheme};
        let components = openapi.components.get_or_insert_with(Default::default);
        components.add_security_scheme(
            "bearer",
            SecurityScheme::Http(
                Http::builder()
                    .scheme(HttpAuthScheme::Bearer)
                    .bearer_format("JWT or utb_ API token")
                    .description(Some(
                        "A person's access token from /api/v1/auth/login (15 minutes), or an API token                          (`utb_…`) created by an administrator.",
                    ))
                    .build(),
            ),
        );
    }
}

/// Mounts every documented route: `/health`, `/ready` and the `/api/v1` scope.
pub fn mount<T>(app: UtoipaApp<T>) -> UtoipaApp<T>
where
    T: ServiceFactory<ServiceRequest, Config = (), Error = actix_web::Error, InitError = ()>,
{
    app.configure(routes::health::configure)
        .service(
            scope("/api/v1")
                .configure(routes::meta::configure)
                .configure(routes::programmes::configure)
                .configure(routes::frameworks::configure)
                .configure(routes::auth::configure)
                .configure(routes::oidc::configure)
                .configure(routes::users::configure)
                .configure(routes::api_tokens::configure)
                .configure(routes::organisations::configure)
                .configure(routes::audit::configure)
                .configure(routes::security_events::configure)
                .configure(routes::decisions::configure)
                .configure(routes::twin_towns::configure)
                .configure(routes::contacts::configure)
                .configure(routes::collaborations::configure)
                .configure(routes::projects::configure)
                .configure(routes::activities::configure)
                .configure(routes::leads::configure)
                .configure(routes::reports::configure)
                .configure(routes::compilations::configure)
                .configure(routes::kpis::configure)
                .configure(routes::goals::configure)
                .configure(routes::settings::configure)
                .configure(routes::changes::configure)
                .configure(routes::attachments::configure),
        )
        .service(scope("/kolada/v3").configure(routes::kolada::configure))
}

/// The API's OpenAPI document.
pub fn openapi() -> utoipa::openapi::OpenApi {
    let (_, api) =
        mount(actix_web::App::new().into_utoipa_app().openapi(ApiDoc::openapi())).split_for_parts();
    with_patterns(api)
}

/// A date's year must be 1900–2199 (`utblick_domain::date`); every date and date-time in
/// the document says so with a pattern. A field of a kind of text the domain names
/// (`#[schema(format = "name")]`, `"diarienummer"`, … : `utblick_domain::patterns`) gets that
/// rule's pattern instead of the format.
pub const DATE_PATTERN: &str = "^(19|20|21)[0-9]{2}-[0-9]{2}-[0-9]{2}$";
pub const DATE_TIME_PATTERN: &str = "^(19|20|21)[0-9]{2}-[0-9]{2}-[0-9]{2}T";

fn with_patterns(api: utoipa::openapi::OpenApi) -> utoipa::openapi::OpenApi {
    fn walk(v: &mut serde_json::Value) {
        match v {
            serde_json::Value::Object(m) => {
                let is_string = match m.get("type") {
                    Some(serde_json::Value::String(t)) => t == "string",
                    Some(serde_json::Value::Array(ts)) => ts.iter().any(|t| t == "string"),
                    _ => false,
                };
                let format = m.get("format").and_then(|f| f.as_str()).unwrap_or_default().to_owned();
                let pattern = match format.as_str() {
                    "date" => Some(DATE_PATTERN.to_owned()),
                    "date-time" => Some(DATE_TIME_PATTERN.to_owned()),
                    // A kind of text the domain names (`name`, `diarienummer`, …): its rule
                    // as a pattern, in place of the format no other tool knows.
                    kind => utblick_domain::patterns::by_format(kind).inspect(|_| {
                        m.remove("format");
                    }),
                };
                if let Some(p) = pattern.filter(|_| is_string && !m.contains_key("pattern")) {
                    m.insert("pattern".into(), p.into());
                }
                m.values_mut().for_each(walk);
            }
            serde_json::Value::Array(a) => a.iter_mut().for_each(walk),
            _ => {}
        }
    }
    let Ok(mut doc) = serde_json::to_value(&api) else { return api };
    walk(&mut doc);
    with_links(&mut doc);
    serde_json::from_value(doc).unwrap_or(api)
}

/// OpenAPI links from each create (`POST /x` answering 201) to every operation on the record
/// it made (`/x/{id}…`): the id from the answer's body, `If-Match` from its `ETag`. Clients
/// and stateful testers follow them from a new record to reading, changing and archiving it.
fn with_links(doc: &mut serde_json::Value) {
    use serde_json::{Value, json};
    let Some(paths) = doc.get("paths").and_then(Value::as_object) else { return };
    let mut links: Vec<(String, String, Value)> = Vec::new();
    for (path, item) in paths {
        if item.pointer("/post/responses/201").is_none() {
            continue;
        }
        let prefix = format!("{path}/{{id}}");
        for (other, ops) in
            paths.iter().filter(|(p, _)| **p == prefix || p.starts_with(&format!("{prefix}/")))
        {
            for op in ops.as_object().into_iter().flat_map(|o| o.values()) {
                let Some(id) = op.get("operationId").and_then(Value::as_str) else { continue };
                let needs_etag = op["parameters"]
                    .as_array()
                    .is_some_and(|ps| ps.iter().any(|p| p["name"] == "If-Match" && p["in"] == "header"));
                let mut parameters = json!({ "path.id": "$response.body#/id" });
                if needs_etag {
                    parameters["header.If-Match"] = json!("$response.header.ETag");
                }
                let about = format!("The new record, through `{other}`.");
                let link = json!({ "operationId": id, "parameters": parameters, "description": about });
                links.push((path.clone(), id.to_owned(), link));
            }
        }
    }
    for (path, id, link) in links {
        if let Some(created) = doc
            .pointer_mut(&format!("/paths/{}/post/responses/201", path.replace('~', "~0").replace('/', "~1")))
        {
            if created.get("links").is_none() {
                created["links"] = json!({});
            }
            created["links"][id.as_str()] = link;
        }
    }
}

/// The documented paths and their methods, to tell "no such resource" (404) from "not
/// with this method" (405 + `Allow`).
#[derive(Debug, Clone, Default)]
pub struct RouteTable {
    routes: Vec<(Vec<Segment>, Vec<Method>)>,
}

#[derive(Debug, Clone, PartialEq, Eq)]
enum Segment {
    Literal(String),
    Param,
}

impl RouteTable {
    pub fn from_openapi(api: &utoipa::openapi::OpenApi) -> Self {
        use utoipa::openapi::HttpMethod;
        let routes = api
            .paths
            .paths
            .iter()
            .map(|(path, item)| {
                let segments = path
                    .trim_matches('/')
                    .split('/')
                    .map(|s| if s.starts_with('{') { Segment::Param } else { Segment::Literal(s.to_owned()) })
                    .collect();
                let ops = [
                    (HttpMethod::Get, &item.get, Method::GET),
                    (HttpMethod::Post, &item.post, Method::POST),
                    (HttpMethod::Put, &item.put, Method::PUT),
                    (HttpMethod::Patch, &item.patch, Method::PATCH),
                    (HttpMethod::Delete, &item.delete, Method::DELETE),
                ];
                let methods = ops.into_iter().filter(|(_, op, _)| op.is_some()).map(|(_, _, m)| m).collect();
                (segments, methods)
            })
            .collect();
        Self { routes }
    }

    /// The methods a documented path allows, or `None` when no documented path matches.
    pub fn allowed(&self, path: &str) -> Option<Vec<Method>> {
        let parts: Vec<&str> = path.trim_matches('/').split('/').collect();
        let mut found: Option<Vec<Method>> = None;
        for (segments, methods) in &self.routes {
            let matches = segments.len() == parts.len()
                && segments.iter().zip(&parts).all(|(s, p)| match s {
                    Segment::Param => !p.is_empty(),
                    Segment::Literal(l) => l == p,
                });
            if matches {
                found.get_or_insert_with(Vec::new).extend(methods.iter().cloned());
            }
        }
        found
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_operation_has_a_tag_an_id_and_described_responses() {
        let api = openapi();
        let json = serde_json::to_value(&api).unwrap();
        let paths = json["paths"].as_object().unwrap();
        assert!(paths.contains_key("/api/v1/programmes/{id}"));
        assert!(paths.contains_key("/health"));
        for (path, item) in paths {
            for (method, op) in item.as_object().unwrap() {
                let id = op["operationId"].as_str().unwrap_or_default();
                assert!(!id.is_empty(), "{method} {path} has no operationId");
                assert!(op["tags"].as_array().is_some_and(|t| !t.is_empty()), "{id} has no tag");
                for (status, resp) in op["responses"].as_object().unwrap() {
                    assert!(
                        resp["description"].as_str().is_some_and(|d| !d.is_empty()),
                        "{id} {status} has no description"
                    );
                }
            }
        }
    }

    #[test]
    fn the_route_table_knows_paths_and_methods() {
        let t = RouteTable::from_openapi(&openapi());
        assert_eq!(t.allowed("/api/v1/programmes"), Some(vec![Method::GET, Method::POST]));
        assert_eq!(t.allowed("/api/v1/frameworks/17"), Some(vec![Method::GET]));
        assert_eq!(t.allowed("/api/v1/nothing"), None);
        assert_eq!(t.allowed("/api/v1/programmes/17/extra"), None);
    }
}
