//! Twin towns over HTTP (rule 6): becoming active and ending need the council's decision
//! from the register; resting does not; lists filter and export.

use reqwest::Method;
use utblick_tests::{TestApp, assert_problem};

crate::on_both_backends!(
    a_twin_town_becomes_active_only_with_the_councils_decision,
    twin_towns_are_listed_filtered_and_exported,
    a_swedish_export_names_the_organisations_it_refers_to
);

async fn change(app: &TestApp, t: &str, id: i64, body: serde_json::Value) -> reqwest::Response {
    app.req(Method::POST, &format!("/api/v1/twin-towns/{id}/status"), Some(t))
        .header("If-Match", format!("\"{}\"", app.get_twin_town_version(id)))
        .json(&body)
        .send()
        .await
        .unwrap()
}

async fn a_twin_town_becomes_active_only_with_the_councils_decision(app: TestApp) {
    let c = app.create_user("coordinator", None);
    let t = app.login(&c).await;
    let res = app
        .req(Method::POST, "/api/v1/twin-towns", Some(&t))
        .json(&serde_json::json!({"town": "Nowogard", "country": "pl", "region": "Västpommern"}))
        .send()
        .await
        .unwrap();
    assert_eq!(res.status(), 201);
    let town: serde_json::Value = res.json().await.unwrap();
    assert_eq!((town["status"].as_str(), town["country"].as_str()), (Some("proposed"), Some("PL")));
    let id = town["id"].as_i64().unwrap();

    let without = change(&app, &t, id, serde_json::json!({"status": "active"})).await;
    let p = assert_problem(without, 422, "validation-failed").await;
    assert_eq!(p["errors"][0]["field"], "decision");
    assert!(p["errors"][0]["message"].as_str().unwrap().contains("Kommunfullmäktige"));
    let board = app.create_decision("executive_board");
    let wrong = change(&app, &t, id, serde_json::json!({"status": "active", "decision_id": board})).await;
    assert_eq!(assert_problem(wrong, 422, "validation-failed").await["errors"][0]["field"], "decision.body");
    let missing = change(&app, &t, id, serde_json::json!({"status": "active", "decision_id": 999_999})).await;
    assert_eq!(assert_problem(missing, 409, "state-conflict").await["errors"][0]["field"], "decision_id");

    let council = app.create_decision("council");
    let ok = change(&app, &t, id, serde_json::json!({"status": "active", "decision_id": council})).await;
    assert_eq!(ok.status(), 200);
    let active: serde_json::Value = ok.json().await.unwrap();
    assert_eq!(active["status"], "active");
    assert_eq!(active["status_decision_id"], council);
    assert_eq!(active["since"], "2026-11-26", "twinned since the council's decision");

    let stale = app
        .req(Method::POST, &format!("/api/v1/twin-towns/{id}/status"), Some(&t))
        .header("If-Match", "\"1\"")
        .json(&serde_json::json!({"status": "dormant"}))
        .send()
        .await
        .unwrap();
    assert_problem(stale, 412, "precondition-failed").await;
    let resting = change(&app, &t, id, serde_json::json!({"status": "dormant"})).await;
    assert_eq!(resting.status(), 200, "resting needs no decision");
    let end_without = change(&app, &t, id, serde_json::json!({"status": "ended"})).await;
    assert_problem(end_without, 422, "validation-failed").await;
    assert_eq!(
        change(&app, &t, id, serde_json::json!({"status": "ended", "decision_id": council})).await.status(),
        200
    );
    let back = change(&app, &t, id, serde_json::json!({"status": "active", "decision_id": council})).await;
    assert_eq!(assert_problem(back, 409, "state-conflict").await["errors"][0]["field"], "status");
    let events: Vec<String> =
        app.audit_events().into_iter().filter(|e| e.entity_type == "twin_town").map(|e| e.action).collect();
    assert_eq!(
        events,
        [
            "twin_town.status_changed",
            "twin_town.status_changed",
            "twin_town.status_changed",
            "twin_town.created"
        ]
    );
}

async fn twin_towns_are_listed_filtered_and_exported(app: TestApp) {
    let c = app.create_user("coordinator", None);
    let t = app.login(&c).await;
    for (town, country) in [("Nowogard", "PL"), ("Lebbeke", "BE"), ("Hollola", "FI")] {
        let res = app
            .req(Method::POST, "/api/v1/twin-towns", Some(&t))
            .json(&serde_json::json!({"town": town, "country": country}))
            .send()
            .await
            .unwrap();
        assert_eq!(res.status(), 201);
    }
    let names = |v: serde_json::Value| -> Vec<String> {
        v["items"].as_array().unwrap().iter().map(|x| x["town"].as_str().unwrap().to_owned()).collect()
    };
    let all: serde_json::Value =
        app.req(Method::GET, "/api/v1/twin-towns", Some(&t)).send().await.unwrap().json().await.unwrap();
    assert_eq!(names(all), ["Hollola", "Lebbeke", "Nowogard"]);
    let fi: serde_json::Value = app
        .req(Method::GET, "/api/v1/twin-towns?country=fi", Some(&t))
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    assert_eq!(names(fi), ["Hollola"]);
    let q: serde_json::Value = app
        .req(Method::GET, "/api/v1/twin-towns?q=now", Some(&t))
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    assert_eq!(names(q), ["Nowogard"]);
    let bad = app.req(Method::GET, "/api/v1/twin-towns?country=Polen", Some(&t)).send().await.unwrap();
    assert_eq!(assert_problem(bad, 400, "invalid-parameter").await["errors"][0]["field"], "country");
    let bad_town = app
        .req(Method::POST, "/api/v1/twin-towns", Some(&t))
        .json(&serde_json::json!({"town": "", "country": "XX"}))
        .send()
        .await
        .unwrap();
    let p = assert_problem(bad_town, 422, "validation-failed").await;
    let fields: Vec<&str> =
        p["errors"].as_array().unwrap().iter().map(|e| e["field"].as_str().unwrap()).collect();
    assert_eq!(fields, ["town", "country"]);
    let csv = app.req(Method::GET, "/api/v1/twin-towns?format=csv", Some(&t)).send().await.unwrap();
    assert_eq!(csv.headers()["content-type"], "text/csv; charset=utf-8");
    let text = csv.text().await.unwrap();
    assert!(text.starts_with('\u{feff}'));
    assert!(text.contains(";Nowogard;PL;"), "{text}");

    // For people (asked for in Swedish): Swedish headers, countries and statuses by name.
    for swedish in [
        app.req(Method::GET, "/api/v1/twin-towns?format=csv&lang=sv", Some(&t)),
        app.req(Method::GET, "/api/v1/twin-towns?format=csv", Some(&t))
            .header("Accept-Language", "sv-SE,sv;q=0.9"),
    ] {
        let text = swedish.send().await.unwrap().text().await.unwrap();
        let mut lines = text.trim_start_matches('\u{feff}').lines();
        assert_eq!(lines.next(), Some("Id;Ort;Land;Region;Sedan;Status;Beslut om status;Arkiverad"));
        assert!(text.contains(";Nowogard;Polen;"), "{text}");
        assert!(!text.contains(";PL;"), "{text}");
    }
}

async fn a_swedish_export_names_the_organisations_it_refers_to(app: TestApp) {
    {
        let owner = app.create_organisation("Kultur- och fritidsförvaltningen");
        app.create_collaboration(owner);
        let coordinator = app.create_user("coordinator", None);
        let t = app.login(&coordinator).await;
        let plain = app.req(Method::GET, "/api/v1/collaborations?format=csv", Some(&t)).send().await.unwrap();
        let plain = plain.text().await.unwrap();
        assert!(plain.contains(&format!(";{owner};Utbyte;")), "scripts get the id: {plain}");
        let res =
            app.req(Method::GET, "/api/v1/collaborations?format=csv&lang=sv", Some(&t)).send().await.unwrap();
        let text = res.text().await.unwrap();
        assert!(
            text.trim_start_matches('\u{feff}').starts_with("Id;Typ;Namn;Ägande organisation;Syfte;"),
            "{text}"
        );
        assert!(text.contains(";Kultur- och fritidsförvaltningen;Utbyte;"), "people get the name: {text}");
        let bad =
            app.req(Method::GET, "/api/v1/collaborations?format=csv&lang=fi", Some(&t)).send().await.unwrap();
        assert_eq!(assert_problem(bad, 400, "invalid-parameter").await["errors"][0]["field"], "lang");
    }
}
