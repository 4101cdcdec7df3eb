//! Activities, elected officials and the horizon-scanning log over HTTP: an activity counts
//! people, hours and money and names who represented the municipality; the council appoints
//! one official for international matters; a lead becomes a project idea once; the calendar
//! of open calls is iCalendar that an independent parser reads.

use reqwest::Method;
use utblick_tests::{TestApp, assert_problem, required_tool, venv_bin};

crate::on_both_backends!(
    an_activity_counts_people_hours_and_money,
    the_council_appoints_one_official_for_international_matters,
    a_lead_becomes_a_project_idea_once,
    the_calendar_shows_the_deadlines_of_open_calls_and_of_the_annual_report
);

fn activity(org: i64) -> serde_json::Value {
    serde_json::json!({
        "title": "Studiebesök i Lyngby", "kind": "study_visit", "organisation_id": org,
        "starts_on": "2026-05-12", "ends_on": "2026-05-14", "countries": ["dk", "SE"], "organiser": "region",
        "women": 4, "men": 2, "total": 7, "hours": 7_250, "own_cost": 1_850_000, "external_cost": 0,
        "outcome": "Idéer till skolornas digitala lärande.", "representatives": []
    })
}

fn fields(p: &serde_json::Value) -> Vec<&str> {
    p["errors"].as_array().unwrap().iter().map(|e| e["field"].as_str().unwrap()).collect()
}

async fn an_activity_counts_people_hours_and_money(app: TestApp) {
    let own = app.create_organisation("Barn- och utbildningsförvaltningen");
    let other = app.create_organisation("Tranås Energi AB");
    let r = app.create_user("reporter", Some(own));
    let t = app.login(&r).await;
    let official = app.create_official("Anna Ek");
    let post =
        |body: serde_json::Value| app.req(Method::POST, "/api/v1/activities", Some(&t)).json(&body).send();

    let mut a = activity(own);
    a["representatives"] = serde_json::json!([official]);
    let res = post(a).await.unwrap();
    assert_eq!(res.status(), 201);
    let created: serde_json::Value = res.json().await.unwrap();
    assert_eq!(created["countries"], serde_json::json!(["DK", "SE"]));
    assert_eq!(created["work_kind"], "horizon_scanning");
    assert_eq!(created["representatives"], serde_json::json!([official]));

    assert_problem(post(activity(other)).await.unwrap(), 403, "forbidden").await;
    let mut bad = activity(own);
    bad["ends_on"] = "2026-05-01".into();
    bad["countries"] = serde_json::json!(["DK", "dk"]);
    bad["total"] = 3.into();
    bad["kind"] = "party".into();
    let p = assert_problem(post(bad).await.unwrap(), 422, "validation-failed").await;
    assert_eq!(fields(&p), ["kind", "ends_on", "countries[1]", "total"]);
    let mut missing = activity(own);
    missing["representatives"] = serde_json::json!([999_999]);
    missing["project_id"] = 999_999.into();
    let p = assert_problem(post(missing).await.unwrap(), 409, "state-conflict").await;
    assert_eq!(fields(&p), ["project_id", "representatives[0]"]);

    let mut fair = activity(own);
    fair["title"] = "Mässa i Tallinn".into();
    fair["kind"] = "fair".into();
    fair["countries"] = serde_json::json!(["EE"]);
    fair["starts_on"] = "2025-09-01".into();
    fair["ends_on"] = serde_json::Value::Null;
    assert_eq!(post(fair).await.unwrap().status(), 201);
    let titles = |query: &'static str| {
        let (app, t) = (&app, t.clone());
        async move {
            let res =
                app.req(Method::GET, &format!("/api/v1/activities?{query}"), Some(&t)).send().await.unwrap();
            assert_eq!(res.status(), 200, "{query}");
            let page: serde_json::Value = res.json().await.unwrap();
            page["items"]
                .as_array()
                .unwrap()
                .iter()
                .map(|a| a["title"].as_str().unwrap().to_owned())
                .collect::<Vec<_>>()
        }
    };
    assert_eq!(titles("").await, ["Studiebesök i Lyngby", "Mässa i Tallinn"], "newest first");
    assert_eq!(titles("work_kind=positioning").await, ["Mässa i Tallinn"]);
    assert_eq!(titles("year=2025").await, ["Mässa i Tallinn"]);
    assert_eq!(titles("country=dk").await, ["Studiebesök i Lyngby"]);
    assert_eq!(titles("q=lyngby").await, ["Studiebesök i Lyngby"]);

    let csv = app
        .req(Method::GET, "/api/v1/activities?format=csv&sort=title", Some(&t))
        .header("Accept-Language", "sv")
        .send()
        .await
        .unwrap()
        .text()
        .await
        .unwrap();
    let row = csv.lines().find(|l| l.contains("Studiebesök i Lyngby")).unwrap();
    assert!(row.contains(";Studiebesök;Omvärldsbevakning;Barn- och utbildningsförvaltningen;"), "{row}");
    assert!(row.contains(";Danmark | Sverige;Regionen;4;2;7;72,50;18500,00;0,00;"), "{row}");
}

async fn the_council_appoints_one_official_for_international_matters(app: TestApp) {
    let c = app.create_user("coordinator", None);
    let t = app.login(&c).await;
    let res = app
        .req(Method::POST, "/api/v1/officials", Some(&t))
        .json(&serde_json::json!({"name": "Anna Ek", "office": "Kommunfullmäktiges ordförande", "body": "council",
            "term_from": "2023-01-01", "term_to": "2026-12-31"}))
        .send()
        .await
        .unwrap();
    assert_eq!(res.status(), 201);
    let anna = res.json::<serde_json::Value>().await.unwrap()["id"].as_i64().unwrap();
    let bo = app.create_official("Bo Ek");
    let appoint = |id: i64, decision: i64| {
        let v = app.version_of("official", id);
        app.req(Method::POST, &format!("/api/v1/officials/{id}/international"), Some(&t))
            .header("If-Match", format!("\"{v}\""))
            .json(&serde_json::json!({"decision_id": decision}))
            .send()
    };
    let board = app.create_decision("executive_board");
    let p = assert_problem(appoint(anna, board).await.unwrap(), 409, "state-conflict").await;
    assert_eq!(
        (p["errors"][0]["field"].as_str(), p["errors"][0]["code"].as_str()),
        (Some("decision_id"), Some("council_decision"))
    );
    let council = app.create_decision("council");
    assert_eq!(appoint(anna, council).await.unwrap().status(), 200);
    assert_eq!(appoint(bo, council).await.unwrap().status(), 200);
    let list: serde_json::Value =
        app.req(Method::GET, "/api/v1/officials", Some(&t)).send().await.unwrap().json().await.unwrap();
    let held: Vec<(&str, bool)> = list
        .as_array()
        .unwrap()
        .iter()
        .map(|o| (o["name"].as_str().unwrap(), o["international"].as_bool().unwrap()))
        .collect();
    assert_eq!(held, [("Anna Ek", false), ("Bo Ek", true)], "one at a time, in Swedish order");
    let actions: Vec<String> = app.audit_events().into_iter().map(|e| e.action).collect();
    assert!(actions.contains(&"elected_official.relieved_international".to_owned()), "{actions:?}");
}

async fn a_lead_becomes_a_project_idea_once(app: TestApp) {
    let own = app.create_organisation("Barn- och utbildningsförvaltningen");
    let r = app.create_user("reporter", Some(own));
    let t = app.login(&r).await;
    let call = serde_json::json!({
        "title": "Erasmus+ KA1 2027", "kind": "call", "description": "Mobilitet för skolpersonal.",
        "source_link": "https://www.utbyten.se/erasmus", "deadline": null, "funding_programme_id": 1,
        "organisation_id": own, "concerns": []
    });
    let res = app.req(Method::POST, "/api/v1/leads", Some(&t)).json(&call).send().await.unwrap();
    assert_eq!(assert_problem(res, 422, "validation-failed").await["errors"][0]["field"], "deadline");
    let mut call = call;
    call["deadline"] = "2030-02-19".into();
    let res = app.req(Method::POST, "/api/v1/leads", Some(&t)).json(&call).send().await.unwrap();
    assert_eq!(res.status(), 201);
    let lead: serde_json::Value = res.json().await.unwrap();
    assert_eq!(lead["can"]["add_work"], true);
    let id = lead["id"].as_i64().unwrap();
    let convert = |version: i32| {
        app.req(Method::POST, &format!("/api/v1/leads/{id}/project"), Some(&t))
            .header("If-Match", format!("\"{version}\""))
            .json(&serde_json::json!({"kind": "development", "priority_areas": [],
                "contribution": "Kompetens för hållbar tillväxt", "lasting_value": "Varaktiga skolkontakter"}))
            .send()
    };
    let res = convert(1).await.unwrap();
    assert_eq!(res.status(), 200, "the step answers with the new project");
    let project: serde_json::Value = res.json().await.unwrap();
    assert_eq!(
        (project["title"].as_str(), project["status"].as_str()),
        (Some("Erasmus+ KA1 2027"), Some("idea"))
    );
    assert_eq!(project["owner_organisation_id"], own);
    let lead: serde_json::Value = app
        .req(Method::GET, &format!("/api/v1/leads/{id}"), Some(&t))
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    assert_eq!(lead["project_id"], project["id"]);
    assert_eq!(lead["can"]["add_work"], false);
    let again = convert(2).await.unwrap();
    assert_eq!(assert_problem(again, 409, "state-conflict").await["errors"][0]["code"], "already_a_project");
}

async fn the_calendar_shows_the_deadlines_of_open_calls_and_of_the_annual_report(app: TestApp) {
    let Some(python) = required_tool(
        &venv_bin("python"),
        "the iCalendar check",
        "run ./scripts/test, which installs icalendar into target/venv",
    ) else {
        return;
    };
    let own = app.create_organisation("Barn- och utbildningsförvaltningen");
    let admin = app.create_user("admin", None);
    let t = app.login(&admin).await;
    let lead = |title: &str, kind: &str, deadline: Option<&str>| {
        serde_json::json!({
            "title": title, "kind": kind, "description": "Beskrivning, med komma; och semikolon", "deadline": deadline,
            "source_link": "https://ec.europa.eu/info/funding-tenders", "organisation_id": own, "concerns": []
        })
    };
    for body in [
        lead("Interreg Aurora – tredje utlysningen", "call", Some("2099-03-31")),
        lead("Stängd utlysning", "call", Some("2001-01-31")),
        lead("Trend utan datum", "trend", None),
    ] {
        let res = app.req(Method::POST, "/api/v1/leads", Some(&t)).json(&body).send().await.unwrap();
        assert_eq!(res.status(), 201);
    }
    // A reporting year ahead, and one whose deadline has passed (left out, as closed calls are).
    let at = chrono::Utc::now().naive_utc();
    let ahead = chrono::NaiveDate::from_ymd_opt(2099, 2, 15).unwrap();
    let deadline =
        utblick_db::reports::insert_reporting_year(&mut app.db.connect(), 2098, ahead, at).unwrap();
    let past = chrono::NaiveDate::from_ymd_opt(2001, 2, 15).unwrap();
    utblick_db::reports::insert_reporting_year(&mut app.db.connect(), 2000, past, at).unwrap();
    let (_, key) = app.create_api_token("read", admin.id);
    // A calendar program sends no header: the API token comes as `?key=`.
    let res = app.request(Method::GET, &format!("/api/v1/calendars/open-calls.ics?key={key}")).await;
    assert_eq!(res.status(), 200);
    assert!(res.headers()["content-type"].to_str().unwrap().starts_with("text/calendar"));
    let ics = res.text().await.unwrap();
    assert_eq!(app.request(Method::GET, "/api/v1/calendars/open-calls.ics").await.status(), 401);
    let file = std::env::temp_dir().join(format!("utblick-{}.ics", utblick_tests::unique()));
    std::fs::write(&file, &ics).unwrap();
    let script = "import icalendar, json, sys\n\
        cal = icalendar.Calendar.from_ical(open(sys.argv[1], 'rb').read())\n\
        print(json.dumps([[str(e.get('summary')), e.decoded('dtstart').isoformat(), str(e.get('description'))] for e in cal.walk('VEVENT')]))";
    let out = std::process::Command::new(python).args(["-c", script]).arg(&file).output().unwrap();
    let _ = std::fs::remove_file(&file);
    assert!(
        out.status.success(),
        "the parser refused the feed: {}\n{ics}",
        String::from_utf8_lossy(&out.stderr)
    );
    let events: Vec<(String, String, String)> = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(
        events,
        [
            (
                format!("Sista dag för årsrapporten {}", deadline.year),
                deadline.deadline.to_string(),
                format!(
                    "Varje förvaltning och bolag lämnar i dag senast sin årsrapport om det internationella arbetet under {}.",
                    deadline.year
                )
            ),
            (
                "Sista dag: Interreg Aurora – tredje utlysningen".to_owned(),
                "2099-03-31".to_owned(),
                "Beskrivning, med komma; och semikolon".to_owned()
            )
        ]
    );
}
