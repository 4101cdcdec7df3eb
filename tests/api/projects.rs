//! Projects over HTTP (rules 4, 5 and 7): the co-funding gate on the project's path, the
//! priority areas of the programme in force, money in öre with euro converted once, the
//! filters and the Swedish export, and the catalogue of funding programmes.

use reqwest::Method;
use utblick_tests::{TestApp, assert_problem};

crate::on_both_backends!(
    a_development_project_stops_at_the_gate_until_it_is_assessed,
    a_project_is_checked_filtered_and_exported,
    the_funding_programme_catalogue_is_kept_by_coordinators
);

fn project(owner: i64, area: Option<i64>) -> serde_json::Value {
    serde_json::json!({
        "title": "Skolutbyte med Tartu", "summary": "Elever och lärare möts två gånger om året.",
        "kind": "development", "owner_organisation_id": owner,
        "priority_areas": area.map_or_else(Vec::new, |a| vec![a]),
        "contribution": if area.is_none() { Some("Hållbar tillväxt genom utbyte") } else { None },
        "lasting_value": if area.is_none() { Some("Ett bestående partnerskap") } else { None },
        "goals": [], "partners": [{"name": "Tartu linn", "country": "ee", "kind": "municipality", "role": "partner"}],
        "own_money": 12_345_600, "own_hours": 25_050,
        "funding": [{"programme_id": 1, "call": "KA1 2026", "amount": 3_000_000, "currency": "EUR",
                     "rate": 11_200_000, "status": "granted"}],
        "period_from": "2026-01-01", "period_to": "2027-06-30"
    })
}

/// The id of the first priority area of a new adopted programme (the one in force).
async fn area_in_force(app: &TestApp, token: &str) -> i64 {
    let programme = app.create_programme("adopted");
    let res =
        app.req(Method::GET, &format!("/api/v1/programmes/{programme}"), Some(token)).send().await.unwrap();
    let p: serde_json::Value = res.json().await.unwrap();
    p["priority_areas"][0]["id"].as_i64().unwrap()
}

async fn a_development_project_stops_at_the_gate_until_it_is_assessed(app: TestApp) {
    let org = app.create_organisation("Barn- och utbildningsförvaltningen");
    let r = app.create_user("reporter", Some(org));
    let t = app.login(&r).await;
    let area = area_in_force(&app, &t).await;
    let res = app
        .req(Method::POST, "/api/v1/projects", Some(&t))
        .json(&project(org, Some(area)))
        .send()
        .await
        .unwrap();
    assert_eq!(res.status(), 201);
    let created: serde_json::Value = res.json().await.unwrap();
    assert_eq!(
        (created["status"].as_str(), created["priority_areas"][0].as_i64()),
        (Some("idea"), Some(area))
    );
    assert_eq!(created["external_granted"], 33_600_000, "30 000 € at 11,20 kr, converted once");
    assert_eq!(created["funding"][0]["amount_sek"], 33_600_000);
    let id = created["id"].as_i64().unwrap();
    let step = |path: &'static str, version: i64, body: serde_json::Value| {
        app.req(Method::POST, &format!("/api/v1/projects/{id}/{path}"), Some(&t))
            .header("If-Match", format!("\"{version}\""))
            .header("Accept-Language", "sv")
            .json(&body)
            .send()
    };
    let planning: serde_json::Value =
        step("status", 1, serde_json::json!({"status": "planning"})).await.unwrap().json().await.unwrap();
    let gated: Vec<_> = planning["can"]["status"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|m| m["needs_assessment"] == true)
        .map(|m| m["to"].as_str().unwrap())
        .collect();
    assert_eq!(gated, ["applied", "ongoing"], "the web shows why the project stops");
    assert_eq!(planning["can"]["assess"], true);
    let stopped = step("status", 2, serde_json::json!({"status": "applied"})).await.unwrap();
    let p = assert_problem(stopped, 409, "state-conflict").await;
    assert_eq!(p["errors"][0]["code"], "co_funding_not_assessed");
    assert!(p["errors"][0]["message"].as_str().unwrap().contains("extern medfinansiering"), "{p}");

    let missing = step("assessments", 2, serde_json::json!({"assessed_on": "2026-11-27", "assessed_by": "Anna Berg", "programmes": [], "outcome": "will_apply", "motivation": "KA1 passar."})).await.unwrap();
    assert_eq!(assert_problem(missing, 422, "validation-failed").await["errors"][0]["field"], "programmes");
    let assessed = step("assessments", 2, serde_json::json!({"assessed_on": "2026-11-27", "assessed_by": "Anna Berg", "programmes": [1], "outcome": "will_apply", "motivation": "KA1 passar."})).await.unwrap();
    assert_eq!(assessed.status(), 200);
    let assessed: serde_json::Value = assessed.json().await.unwrap();
    assert_eq!(assessed["assessment"]["outcome"], "will_apply");
    assert!(
        assessed["can"]["status"].as_array().unwrap().iter().all(|m| m["needs_assessment"] == false),
        "the gate is open: {}",
        assessed["can"]
    );
    let fresh: serde_json::Value = app
        .req(Method::GET, &format!("/api/v1/projects/{id}"), Some(&t))
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    assert_eq!(fresh["can"], assessed["can"], "a read tells what the answer to the change told");
    let applied = step("status", 3, serde_json::json!({"status": "applied"})).await.unwrap();
    assert_eq!(applied.status(), 200);
    let stale = step("status", 3, serde_json::json!({"status": "granted"})).await.unwrap();
    assert_problem(stale, 412, "precondition-failed").await;
    let actions: Vec<String> =
        app.audit_events().into_iter().map(|e| e.action).filter(|a| a.starts_with("project.")).collect();
    // Newest first.
    assert_eq!(
        actions,
        ["project.status_changed", "project.assessed", "project.status_changed", "project.created"]
    );
}

async fn a_project_is_checked_filtered_and_exported(app: TestApp) {
    let own = app.create_organisation("Barn- och utbildningsförvaltningen");
    let other = app.create_organisation("Tranås Energi AB");
    let r = app.create_user("reporter", Some(own));
    let t = app.login(&r).await;
    let post =
        |body: serde_json::Value| app.req(Method::POST, "/api/v1/projects", Some(&t)).json(&body).send();
    assert_problem(post(project(other, None)).await.unwrap(), 403, "forbidden").await;

    let mut bad = project(own, None);
    bad["partners"][0]["role"] = "sponsor".into();
    bad["funding"][0]["rate"] = serde_json::Value::Null;
    bad["lasting_value"] = serde_json::Value::Null;
    bad["own_money"] = (-1).into();
    let p = assert_problem(post(bad).await.unwrap(), 422, "validation-failed").await;
    let fields: Vec<&str> =
        p["errors"].as_array().unwrap().iter().map(|e| e["field"].as_str().unwrap()).collect();
    assert_eq!(fields, ["partners[0].role", "lasting_value", "own_money", "funding[0].rate"]);
    let mut unknown = project(own, Some(999_999));
    unknown["funding"][0]["programme_id"] = 999_999.into();
    let p = assert_problem(post(unknown).await.unwrap(), 409, "state-conflict").await;
    let fields: Vec<&str> =
        p["errors"].as_array().unwrap().iter().map(|e| e["field"].as_str().unwrap()).collect();
    assert_eq!(fields, ["priority_areas[0]", "funding[0].programme_id"]);

    assert_eq!(post(project(own, None)).await.unwrap().status(), 201);
    let mut kronor = project(own, None);
    kronor["title"] = "Ängsbacken – Åbo".into();
    kronor["kind"] = "positioning".into();
    kronor["partners"] =
        serde_json::json!([{"name": "Åbo stad", "country": "FI", "kind": "municipality", "role": "lead"}]);
    kronor["funding"] = serde_json::json!([{"programme_id": 18, "amount": 5_000_000, "currency": "SEK", "status": "applied"}]);
    kronor["period_from"] = "2024-01-01".into();
    kronor["period_to"] = "2024-12-31".into();
    assert_eq!(post(kronor).await.unwrap().status(), 201);

    let titles = |query: &'static str| {
        let app = &app;
        let t = t.clone();
        async move {
            let res =
                app.req(Method::GET, &format!("/api/v1/projects?{query}"), Some(&t)).send().await.unwrap();
            assert_eq!(res.status(), 200, "{query}");
            let page: serde_json::Value = res.json().await.unwrap();
            page["items"]
                .as_array()
                .unwrap()
                .iter()
                .map(|p| p["title"].as_str().unwrap().to_owned())
                .collect::<Vec<_>>()
        }
    };
    assert_eq!(titles("sort=title").await, ["Skolutbyte med Tartu", "Ängsbacken – Åbo"], "Swedish order");
    assert_eq!(titles("country=fi").await, ["Ängsbacken – Åbo"]);
    assert_eq!(titles("year=2027").await, ["Skolutbyte med Tartu"]);
    assert_eq!(titles("funding_programme_id=18").await, ["Ängsbacken – Åbo"]);
    assert_eq!(titles("kind=development&status=idea").await, ["Skolutbyte med Tartu"]);
    assert_eq!(titles("q=%C3%A5bo").await, ["Ängsbacken – Åbo"], "a partner's name is searched");
    let bad = app.req(Method::GET, "/api/v1/projects?year=26", Some(&t)).send().await.unwrap();
    assert_eq!(assert_problem(bad, 400, "invalid-parameter").await["errors"][0]["field"], "year");

    let csv = app
        .req(Method::GET, "/api/v1/projects?format=csv&sort=title", Some(&t))
        .header("Accept-Language", "sv")
        .send()
        .await
        .unwrap()
        .text()
        .await
        .unwrap();
    let mut lines = csv.trim_start_matches('\u{feff}').lines();
    let header = lines.next().unwrap();
    assert!(header.contains("Egna medel (kr);Egen arbetstid (timmar)"), "{header}");
    let first = lines.next().unwrap();
    assert!(
        first.contains("Utveckling;Barn- och utbildningsförvaltningen")
            || first.contains("Barn- och utbildningsförvaltningen"),
        "{first}"
    );
    assert!(
        first.contains(";Tartu linn (Estland, Kommun, Partner);123456,00;250,50;"),
        "partners; money and hours with two decimals: {first}"
    );
    assert!(first.contains(";336000,00;73,13;"), "granted kronor and the co-funding rate: {first}");
}

async fn the_funding_programme_catalogue_is_kept_by_coordinators(app: TestApp) {
    let org = app.create_organisation("Kommunledningsförvaltningen");
    let (r, c) = (app.create_user("reporter", Some(org)), app.create_user("coordinator", None));
    let (rt, ct) = (app.login(&r).await, app.login(&c).await);
    let list: serde_json::Value = app
        .req(Method::GET, "/api/v1/funding-programmes", Some(&rt))
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    let names: Vec<&str> = list.as_array().unwrap().iter().map(|p| p["name"].as_str().unwrap()).collect();
    for expected in ["Erasmus+", "Interreg Aurora", "URBACT IV", "Nordplus", "LIFE"] {
        assert!(names.contains(&expected), "{expected} in {names:?}");
    }
    let body =
        serde_json::json!({"code": "kulturradet", "name": "Kulturrådet", "kind": "national", "active": true});
    let refused =
        app.req(Method::POST, "/api/v1/funding-programmes", Some(&rt)).json(&body).send().await.unwrap();
    assert_problem(refused, 403, "forbidden").await;
    let added =
        app.req(Method::POST, "/api/v1/funding-programmes", Some(&ct)).json(&body).send().await.unwrap();
    assert_eq!(added.status(), 201);
    let id = added.json::<serde_json::Value>().await.unwrap()["id"].as_i64().unwrap();
    let retired = app
        .req(Method::PATCH, &format!("/api/v1/funding-programmes/{id}"), Some(&ct))
        .header("If-Match", "\"1\"")
        .json(&serde_json::json!({"active": false}))
        .send()
        .await
        .unwrap();
    assert_eq!(retired.status(), 200);
    let active: serde_json::Value = app
        .req(Method::GET, "/api/v1/funding-programmes", Some(&rt))
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    assert!(!active.as_array().unwrap().iter().any(|p| p["id"] == id), "a retired programme is not offered");
    let all: serde_json::Value = app
        .req(Method::GET, "/api/v1/funding-programmes?all=true", Some(&rt))
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    assert!(all.as_array().unwrap().iter().any(|p| p["id"] == id && p["active"] == false));
}
