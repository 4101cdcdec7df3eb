//! The authorization matrix (`tests/authz-matrix.csv`): every operation of the spec × every
//! kind of caller → the expected status, run against the real server. Every allowed
//! mutating call writes exactly one audit event naming the right actor; every refused or
//! reading call writes none.

use std::collections::{BTreeMap, BTreeSet};

use reqwest::Method;
use utblick_tests::{TestApp, TestUser, repo_root, unique};

crate::on_both_backends!(every_operation_answers_every_caller_as_the_matrix_says);

pub(crate) struct Matrix {
    pub(crate) callers: Vec<String>,
    pub(crate) rows: BTreeMap<String, Vec<u16>>,
}

pub(crate) fn matrix() -> Matrix {
    let text = std::fs::read_to_string(repo_root().join("tests/authz-matrix.csv")).unwrap();
    let mut lines = text.lines().filter(|l| !l.trim().is_empty() && !l.starts_with('#'));
    let header: Vec<String> = lines.next().unwrap().split(',').map(str::to_owned).collect();
    assert_eq!(header[0], "operation_id");
    let callers = header[1..].to_vec();
    let mut rows = BTreeMap::new();
    for line in lines {
        let cells: Vec<&str> = line.split(',').collect();
        assert_eq!(cells.len(), header.len(), "row {line}");
        let statuses = cells[1..].iter().map(|c| c.trim().parse::<u16>().unwrap()).collect();
        assert!(rows.insert(cells[0].to_owned(), statuses).is_none(), "{} twice", cells[0]);
    }
    Matrix { callers, rows }
}

/// Every (operation id → method, path template) in the spec.
fn operations() -> BTreeMap<String, (Method, String)> {
    let spec = serde_json::to_value(utblick_api::openapi()).unwrap();
    let mut out = BTreeMap::new();
    for (path, item) in spec["paths"].as_object().unwrap() {
        for (method, op) in item.as_object().unwrap() {
            let m = Method::from_bytes(method.to_uppercase().as_bytes()).unwrap();
            out.insert(op["operationId"].as_str().unwrap().to_owned(), (m, path.clone()));
        }
    }
    out
}

#[test]
fn the_matrix_covers_exactly_the_operations_of_the_spec() {
    let in_spec: BTreeSet<String> = operations().into_keys().collect();
    let in_matrix: BTreeSet<String> = matrix().rows.into_keys().collect();
    let missing: Vec<_> = in_spec.difference(&in_matrix).collect();
    let extra: Vec<_> = in_matrix.difference(&in_spec).collect();
    assert!(missing.is_empty(), "operations without a row in tests/authz-matrix.csv: {missing:?}");
    assert!(extra.is_empty(), "rows for operations the spec does not have: {extra:?}");
}

enum Who {
    Anonymous,
    User(TestUser),
    Token(i64, String),
}

struct Fixture {
    callers: BTreeMap<String, Who>,
    victim: TestUser,
    victim_token: i64,
    login_target: TestUser,
    organisation: i64,
    programme: i64,
    framework: i64,
    /// A scorecard the styrkort system pushed (`AUTHZ`), and one of its goals.
    scorecard: i64,
    goal: i64,
    decision: i64,
    draft: i64,
    twin_town: i64,
    /// A council decision no cell archives, for status changes.
    council_decision: i64,
    /// A contact person of reporter_own's organisation.
    contact: i64,
    /// A collaboration owned by reporter_own's organisation.
    collaboration: i64,
    /// A project owned by reporter_own's organisation.
    project: i64,
    /// An activity and a lead of reporter_own's organisation, and an official.
    activity: i64,
    lead: i64,
    official: i64,
    /// A draft report of reporter_own's organisation, and one handed in (version 1).
    report: i64,
    /// A draft compilation, a final one (version 1) and a published one.
    compilation: i64,
    final_compilation: i64,
    published_compilation: i64,
    handed_in: i64,
    /// A file attached to the draft report.
    attachment: i64,
}

async fn fixture(app: &TestApp) -> Fixture {
    let own = app.create_organisation(&format!("Egen förvaltning {}", unique()));
    let other = app.create_organisation(&format!("Annan förvaltning {}", unique()));
    let admin = app.create_user("admin", None);
    let mut callers = BTreeMap::new();
    callers.insert("anonymous".to_owned(), Who::Anonymous);
    callers.insert("reader".to_owned(), Who::User(app.create_user("reader", None)));
    callers.insert("reporter_own".to_owned(), Who::User(app.create_user("reporter", Some(own))));
    callers.insert("reporter_other".to_owned(), Who::User(app.create_user("reporter", Some(other))));
    callers.insert("coordinator".to_owned(), Who::User(app.create_user("coordinator", None)));
    for scope in ["read", "export", "kpi:read", "goals:write", "import"] {
        let (id, token) = app.create_api_token(scope, admin.id);
        callers.insert(format!("token_{}", scope.replace(':', "_")), Who::Token(id, token));
    }
    callers.insert("admin".to_owned(), Who::User(admin.clone()));
    let programme = app.get_json("/api/v1/programmes").await["items"][0]["id"].as_i64().unwrap();
    let framework = app.get_json("/api/v1/frameworks").await["items"][0]["id"].as_i64().unwrap();
    let scorecard = app.create_scorecard("AUTHZ");
    let report = app.create_report(own, false);
    Fixture {
        callers,
        victim: app.create_user("reader", None),
        victim_token: app.create_api_token("read", admin.id).0,
        login_target: app.create_user("reader", None),
        organisation: own,
        programme,
        framework,
        goal: app.create_scorecard_goal(scorecard, "AUTHZ-1"),
        scorecard,
        decision: app.create_decision("council"),
        draft: app.create_programme("draft"),
        twin_town: app.create_twin_town("Nowogard"),
        council_decision: app.create_decision("council"),
        contact: app.create_contact(own, "Anna Berg"),
        collaboration: app.create_collaboration(own),
        project: app.create_project(own),
        activity: app.create_activity(own),
        lead: app.create_lead(own),
        official: app.create_official("Anna Ek"),
        report,
        handed_in: app.create_report(own, true),
        attachment: app.create_attachment(report),
        compilation: app.create_compilation("draft"),
        final_compilation: app.create_compilation("final"),
        published_compilation: app.create_compilation("published"),
    }
}

/// The request each operation gets: a path with real ids, a valid body, needed headers.
async fn request(
    app: &TestApp,
    fx: &Fixture,
    op: &str,
    method: Method,
    template: &str,
    bearer: Option<&str>,
) -> reqwest::RequestBuilder {
    let id = match op {
        "get_programme" => fx.programme,
        "get_framework" => fx.framework,
        "get_goal" => fx.goal,
        // Each call removes a goal of its own (named `G<n>` by the styrkort system).
        "remove_goal" => {
            let n = i64::from(utblick_tests::unique_number());
            app.create_scorecard_goal(fx.scorecard, &format!("G{n}"));
            n
        }
        "get_organisation" | "update_organisation" => fx.organisation,
        "revoke_api_token" => fx.victim_token,
        // Each call revokes the one token of a person of its own.
        "revoke_user_api_tokens" => {
            let person = app.create_user("admin", None);
            app.create_api_token("read", person.id);
            person.id
        }
        "get_decision" | "update_decision" | "archive_decision" => fx.decision,
        "update_programme" => fx.draft,
        "get_contact" | "update_contact" => fx.contact,
        "get_collaboration" | "update_collaboration" | "archive_collaboration" => fx.collaboration,
        "change_collaboration_status" => app.create_collaboration(fx.organisation),
        "get_project" | "update_project" => fx.project,
        // Each call moves, assesses or archives a project idea of its own.
        "change_project_status" | "assess_project" | "archive_project" => app.create_project(fx.organisation),
        "update_funding_programme" => 1,
        "get_activity" | "update_activity" => fx.activity,
        "archive_activity" => app.create_activity(fx.organisation),
        "get_lead" | "update_lead" => fx.lead,
        // Each call makes a lead of its own a project, or archives one.
        "lead_to_project" | "archive_lead" => app.create_lead(fx.organisation),
        "update_official" | "appoint_official" => fx.official,
        "get_report" | "update_report" | "list_report_attachments" | "attach_to_report" => fx.report,
        "list_project_attachments" | "attach_to_project" => fx.project,
        "list_activity_attachments" | "attach_to_activity" => fx.activity,
        "get_attachment" => fx.attachment,
        // Each call removes a file of its own.
        "remove_attachment" => app.create_attachment(fx.report),
        "get_report_version" => fx.handed_in,
        "get_reporting_year" => app.reporting_year_of_report(fx.report),
        // Each call hands in a draft of its own.
        "change_report_status" => app.create_report(fx.organisation, false),
        "get_compilation" | "export_compilation" | "get_compilation_chart" => fx.compilation,
        "get_compilation_version" => fx.final_compilation,
        "get_published_compilation" | "export_published_compilation" | "get_published_compilation_chart" => {
            fx.published_compilation
        }
        // Each call makes a draft of its own final, or publishes a presented one of its own.
        "change_compilation_status" => app.create_compilation("draft"),
        "publish_compilation" => app.create_compilation("presented"),
        "archive_official" => app.create_official("Bo Ek"),
        // A link is made once: each call links a draft of its own.
        "link_programme_framework" => app.create_programme("draft"),
        // Erasing is for good: each call erases a person of its own.
        "erase_contact" => app.create_contact(fx.organisation, "Erik Ek"),
        "get_twin_town" | "update_twin_town" | "archive_twin_town" => fx.twin_town,
        // Each call moves a fresh proposal to active with the council's decision.
        "change_twin_town_status" => app.create_twin_town("Ny vänort"),
        // Each call consumes its programme: a new version needs a document without a
        // draft, an adoption needs a draft of its own.
        "new_programme_version" => app.create_programme("adopted"),
        "adopt_programme" => app.create_programme("draft"),
        _ => fx.victim.id,
    };
    // A KPI's id is its code.
    // A KPI's, a municipality's and a unit's ids are codes.
    let shown = match op {
        "get_kpi" | "kolada_kpi_by_id" => "UTB0001".to_owned(),
        "kolada_municipality" => "0687".to_owned(),
        "kolada_ou" => "0687U000001".to_owned(),
        _ => id.to_string(),
    };
    // Scorecards and their goals go by the styrkort system's ids: each push makes one of its
    // own; a removal names the goal made for it above.
    let goal_external_id = match op {
        "remove_goal" => format!("G{id}"),
        _ => format!("G{}", utblick_tests::unique_number()),
    };
    let scorecard = match op {
        "push_scorecard" => format!("S{}", utblick_tests::unique_number()),
        _ => "AUTHZ".to_owned(),
    };
    let path = template
        .replace("{id}", &shown)
        .replace("{number}", "1")
        .replace("{chart}", "work_kind")
        .replace("{kpi_id}", "UTB0001")
        .replace("{year}", "2026")
        .replace("{municipality_id}", "0687")
        .replace("{ou_id}", "0687U000001")
        .replace("{scorecard}", &scorecard)
        .replace("{external_id}", &goal_external_id);
    let r = app.req(method, &path, bearer);
    let pw = utblick_tests::TEST_PASSWORD;
    match op {
        "login" => r.json(&serde_json::json!({"email": fx.login_target.email, "password": pw})),
        // Without an identity provider (this app has none) single sign-on is not found.
        "oidc_backchannel_logout" => r.form(&[("logout_token", "x")]),
        "refresh" => {
            let (_, fresh) = app.login_session(&fx.login_target).await;
            r.header("Cookie", format!("utblick_refresh={fresh}")).header("X-Utblick-Csrf", "1")
        }
        // The test gives the password back after each call (see below).
        "change_my_password" => {
            r.json(&serde_json::json!({"current_password": pw, "new_password": "ett annat långt lösenord"}))
        }
        "create_user" => r.json(&serde_json::json!({
            "email": format!("ny-{}@tranas.se", unique()), "display_name": "Ny Person", "role": "reader", "password": pw
        })),
        "update_user" => {
            let version = app.get_user_version(fx.victim.id);
            r.header("If-Match", format!("\"{version}\"")).json(&serde_json::json!({"display_name": format!("Namn {}", unique())}))
        }
        "reset_user_password" => r.json(&serde_json::json!({"new_password": "ett nytt tillfälligt lösen"})),
        "create_api_token" => r.json(&serde_json::json!({"name": format!("Token {}", unique()), "scopes": ["read"]})),
        "create_organisation" => {
            r.json(&serde_json::json!({"name": format!("Bolag {}", unique()), "kind": "company"}))
        }
        "create_decision" | "update_decision" => {
            let r = if op == "update_decision" {
                r.header("If-Match", format!("\"{}\"", app.get_decision_version(fx.decision)))
            } else {
                r
            };
            r.json(&serde_json::json!({
                "body": "council", "decided_on": "2026-11-26", "paragraph": format!("§ {}", utblick_tests::unique_number()),
                "diarienummer": "KF 2026/7", "subject": "Vänort i Polen"
            }))
        }
        "create_programme" => r.json(&programme_content(Some(&format!("N{}", utblick_tests::unique_number())))),
        "update_programme" => r
            .header("If-Match", format!("\"{}\"", app.get_programme_row_version(fx.draft)))
            .json(&programme_content(None)),
        "adopt_programme" => r.header("If-Match", format!("\"{}\"", app.get_programme_row_version(id))).json(&serde_json::json!({
            "decision": {
                "body": "executive_board", "decided_on": "2026-11-26",
                "paragraph": format!("§ {}", utblick_tests::unique_number()),
                "diarienummer": "KS 2026/112", "subject": "Antagande"
            }
        })),
        "create_twin_town" | "update_twin_town" => {
            let r = if op == "update_twin_town" {
                r.header("If-Match", format!("\"{}\"", app.get_twin_town_version(fx.twin_town)))
            } else {
                r
            };
            r.json(&serde_json::json!({"town": "Nowogard", "country": "PL", "region": "Västpommern"}))
        }
        "change_twin_town_status" => r
            .header("If-Match", format!("\"{}\"", app.get_twin_town_version(id)))
            .json(&serde_json::json!({"status": "active", "decision_id": fx.council_decision})),
        "archive_twin_town" => r.header("If-Match", format!("\"{}\"", app.get_twin_town_version(fx.twin_town))),
        "create_contact" | "update_contact" => {
            let r = if op == "update_contact" {
                r.header("If-Match", format!("\"{}\"", app.get_contact_version(fx.contact)))
            } else {
                r
            };
            r.json(&serde_json::json!({"organisation_id": fx.organisation, "name": "Anna Berg", "email": "anna.berg@tranas.se"}))
        }
        "create_collaboration" | "update_collaboration" => {
            let r = if op == "update_collaboration" {
                r.header("If-Match", format!("\"{}\"", app.get_collaboration_version(fx.collaboration)))
            } else {
                r
            };
            r.json(&serde_json::json!({
                "kind": "collaboration", "name": "Nordiskt skolsamarbete", "owner_organisation_id": fx.organisation,
                "purpose": "Lärarutbyte", "partners": [{"name": "Hollola kommun", "country": "FI", "kind": "municipality"}]
            }))
        }
        "change_collaboration_status" => r
            .header("If-Match", format!("\"{}\"", app.get_collaboration_version(id)))
            .json(&serde_json::json!({"status": "active", "decision_id": fx.council_decision})),
        "archive_collaboration" => r.header("If-Match", format!("\"{}\"", app.get_collaboration_version(fx.collaboration))),
        "create_project" | "update_project" => {
            let r = if op == "update_project" {
                r.header("If-Match", format!("\"{}\"", app.get_project_version(fx.project)))
            } else {
                r
            };
            r.json(&serde_json::json!({
                "title": "Skolutbyte", "summary": "Utbyte", "kind": "development", "owner_organisation_id": fx.organisation,
                "priority_areas": [], "contribution": "Hållbar tillväxt", "lasting_value": "Ett nätverk", "goals": [],
                "partners": [], "own_money": 100, "own_hours": 0, "funding": []
            }))
        }
        "change_project_status" => r
            .header("If-Match", format!("\"{}\"", app.get_project_version(id)))
            .json(&serde_json::json!({"status": "planning"})),
        "assess_project" => r.header("If-Match", format!("\"{}\"", app.get_project_version(id))).json(&serde_json::json!({
            "assessed_on": "2026-11-27", "assessed_by": "Anna Berg", "programmes": [1], "outcome": "will_apply", "motivation": "KA1"
        })),
        "archive_project" => r.header("If-Match", format!("\"{}\"", app.get_project_version(id))),
        "create_funding_programme" => r.json(&serde_json::json!({
            "code": format!("program-{}", utblick_tests::unique_number()), "name": "Kulturrådet", "kind": "national", "active": true
        })),
        "update_funding_programme" => r
            .header("If-Match", format!("\"{}\"", app.get_funding_programme_version(1)))
            .json(&serde_json::json!({"name": "Erasmus+"})),
        "create_activity" | "update_activity" => {
            let r = if op == "update_activity" {
                r.header("If-Match", format!("\"{}\"", app.version_of("activity", fx.activity)))
            } else {
                r
            };
            r.json(&serde_json::json!({
                "title": "Studiebesök i Lyngby", "kind": "study_visit", "organisation_id": fx.organisation,
                "starts_on": "2026-05-12", "countries": ["DK"], "organiser": "region", "women": 1, "men": 1,
                "total": 2, "hours": 800, "own_cost": 0, "external_cost": 0, "representatives": []
            }))
        }
        // Each call imports a row of its own (a new external id).
        "import_activities" => r.header("Content-Type", "text/csv").body(format!(
            "external_id;title;kind;organisation_id;starts_on;countries;organiser;women;men;total;hours;own_cost;external_cost\r\n\
             IMP-{};Konferens;conference;{};2026-03-02;BE;international;1;1;2;1600;0;0\r\n",
            utblick_tests::unique_number(),
            fx.organisation
        )),
        "import_projects" => r.header("Content-Type", "text/csv").body(format!(
            "external_id;title;summary;kind;owner_organisation_id;contribution;lasting_value;own_money;own_hours\r\n\
             IMP-{};Skolutbyte;Utbyte.;development;{};Kompetens;Partnerskap;0;0\r\n",
            utblick_tests::unique_number(),
            fx.organisation
        )),
        "archive_activity" => r.header("If-Match", format!("\"{}\"", app.version_of("activity", id))),
        "create_lead" | "update_lead" => {
            let r = if op == "update_lead" {
                r.header("If-Match", format!("\"{}\"", app.version_of("lead", fx.lead)))
            } else {
                r
            };
            r.json(&serde_json::json!({
                "title": "Erasmus+ KA1", "kind": "call", "description": "Mobilitet", "deadline": "2030-02-19",
                "organisation_id": fx.organisation, "concerns": []
            }))
        }
        "lead_to_project" => r.header("If-Match", format!("\"{}\"", app.version_of("lead", id))).json(&serde_json::json!({
            "kind": "development", "priority_areas": [], "contribution": "Hållbar tillväxt", "lasting_value": "Ett nätverk"
        })),
        "archive_lead" => r.header("If-Match", format!("\"{}\"", app.version_of("lead", id))),
        "create_official" | "update_official" => {
            let r = if op == "update_official" {
                r.header("If-Match", format!("\"{}\"", app.version_of("official", fx.official)))
            } else {
                r
            };
            r.json(&serde_json::json!({"name": "Anna Ek", "office": "Kommunstyrelsens ordförande", "body": "executive_board"}))
        }
        "appoint_official" => r
            .header("If-Match", format!("\"{}\"", app.version_of("official", fx.official)))
            .json(&serde_json::json!({"decision_id": fx.council_decision})),
        "archive_official" => r.header("If-Match", format!("\"{}\"", app.version_of("official", id))),
        "create_framework" => r.json(&serde_json::json!({
            "code": format!("ramverk-{}", utblick_tests::unique_number()), "name": "Agenda 2030", "owner": "Förenta nationerna",
            "adopted_year": 2015, "goals": [{"title": "Ingen fattigdom"}, {"title": "Ingen hunger"}]
        })),
        "link_programme_framework" => r
            .header("If-Match", format!("\"{}\"", app.get_programme_row_version(id)))
            .json(&serde_json::json!({"framework_id": fx.framework, "relation": "Programmet bidrar till målen."})),
        "update_organisation" => r
            .header("If-Match", format!("\"{}\"", app.get_organisation_version(fx.organisation)))
            .json(&serde_json::json!({"name": format!("Egen förvaltning {}", utblick_tests::unique()), "kind": "administration", "active": true})),
        "erase_contact" => r.header("If-Match", format!("\"{}\"", app.get_contact_version(id))),
        "open_reporting_year" => {
            let year = app.free_reporting_year();
            r.json(&serde_json::json!({"year": year, "deadline": format!("{}-02-15", year + 1)}))
        }
        "update_report" => r
            .header("If-Match", format!("\"{}\"", app.version_of("report", fx.report)))
            .json(&serde_json::json!({"narrative": format!("Två studiebesök {}", utblick_tests::unique())})),
        "change_report_status" => r
            .header("If-Match", format!("\"{}\"", app.version_of("report", id)))
            .json(&serde_json::json!({"status": "submitted"})),
        "begin_compilation" => r.json(&serde_json::json!({"reporting_year_id": app.create_reporting_year()})),
        "change_compilation_status" => r
            .header("If-Match", format!("\"{}\"", app.version_of("compilation", id)))
            .json(&serde_json::json!({"status": "final"})),
        "attach_to_report" | "attach_to_project" | "attach_to_activity" => r
            .query(&[("file_name", "Protokoll.pdf")])
            .header("Content-Type", "application/pdf")
            .body(b"%PDF-1.7\n%%EOF\n".to_vec()),
        "publish_compilation" => r
            .header("If-Match", format!("\"{}\"", app.version_of("compilation", id)))
            .json(&serde_json::json!({"published": true})),
        "export_compilation" | "export_published_compilation" => r.query(&[("format", "xlsx")]),
        "push_scorecard" => r.json(&serde_json::json!({"name": "Styrkort", "owner": "Kommunstyrelsen",
            "goals": [{"external_id": "M1", "title": "Mål ett"}]})),
        "push_goal" => r.json(&serde_json::json!({"title": "Ett mål"})),
        // Each call closes a feed opened for it (and so leaves it closed for the KPI cells).
        "update_settings" => {
            let version = app.publish_kpi_feed(true);
            r.header("If-Match", format!("\"{version}\"")).json(&serde_json::json!({"kpi_feed_published": false}))
        }
        "archive_decision" => r.header("If-Match", format!("\"{}\"", app.get_decision_version(fx.decision))),
        _ => r,
    }
}

fn programme_content(document_id: Option<&str>) -> serde_json::Value {
    let mut v = serde_json::json!({
        "title": "Internationellt arbete", "diarienummer": "KS 2026/112",
        "responsible_administration": "Kommunledningsförvaltningen", "responsible_department": "Kansliet",
        "purpose": "Syfte", "background": "Bakgrund",
        "priority_areas": [{"title": "Lärande", "description": "Beskrivning"}],
        "work_kinds": [{"kind": "development", "description": "Projekt"}]
    });
    if let Some(d) = document_id {
        v["document_id"] = serde_json::json!(d);
        v["document_type"] = serde_json::json!("programme");
    }
    v
}

async fn every_operation_answers_every_caller_as_the_matrix_says(app: TestApp) {
    let m = matrix();
    let ops = operations();
    let fx = fixture(&app).await;
    let mut failures = Vec::new();
    for (op, expected) in &m.rows {
        let (method, template) = ops.get(op).unwrap_or_else(|| panic!("{op} is not in the spec")).clone();
        for (caller, want) in m.callers.iter().zip(expected) {
            let who = fx.callers.get(caller).unwrap_or_else(|| panic!("unknown caller column {caller}"));
            // A fresh sign-in per call, so that logging out or changing a password in one
            // cell cannot spoil the next.
            let bearer = match who {
                Who::Anonymous => None,
                Who::User(u) => Some(app.login(u).await),
                Who::Token(_, t) => Some(t.clone()),
            };
            let req = request(&app, &fx, op, method.clone(), &template, bearer.as_deref()).await;
            let before = app.audit_count();
            let res = req.send().await.unwrap();
            let got = res.status().as_u16();
            let after = app.audit_count();
            if got != *want {
                let body = res.text().await.unwrap_or_default();
                failures.push(format!("{op} as {caller}: expected {want}, got {got}: {body}"));
                continue;
            }
            if op == "change_my_password"
                && let Who::User(u) = who
            {
                app.restore_test_password(u.id);
            }
            // A refresh rotates the session's token: bookkeeping, not a change of a record.
            let mutating = method != Method::GET && op != "refresh";
            let allowed = (200..300).contains(&got);
            if mutating && allowed {
                // A lead that becomes a project records both: the new project, and the lead's link.
                // An import records each row's event and one for the import; a new scorecard
                // its own and its one goal's.
                let events = match op.as_str() {
                    "lead_to_project" | "import_activities" | "import_projects" | "push_scorecard" => 2,
                    _ => 1,
                };
                if after != before + events {
                    failures.push(format!(
                        "{op} as {caller}: wrote {} audit events, not {events}",
                        after - before
                    ));
                    continue;
                }
                let event = app.audit_events().into_iter().next().unwrap();
                let (kind, id) = match (op.as_str(), who) {
                    ("login" | "refresh", _) => ("user", Some(fx.login_target.id)),
                    (_, Who::User(u)) => ("user", Some(u.id)),
                    (_, Who::Token(id, _)) => ("token", Some(*id)),
                    (_, Who::Anonymous) => ("anonymous", None),
                };
                if event.actor_kind != kind || event.actor_id != id {
                    failures.push(format!(
                        "{op} as {caller}: audit actor {}:{:?}, expected {kind}:{id:?}",
                        event.actor_kind, event.actor_id
                    ));
                }
                if event.request_id.is_none() {
                    failures.push(format!("{op} as {caller}: the audit event has no request id"));
                }
            } else if after != before {
                failures
                    .push(format!("{op} as {caller} ({got}): wrote {} audit events, not 0", after - before));
            }
        }
    }
    assert!(failures.is_empty(), "{} cells differ:\n{}", failures.len(), failures.join("\n"));
}
