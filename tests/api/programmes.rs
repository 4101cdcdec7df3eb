//! The seed programme and frameworks as the API serves them; health, readiness, paging.

use utblick_tests::TestApp;

crate::on_both_backends!(
    health_answers,
    ready_names_the_backend,
    the_seed_programme_is_listed,
    the_seed_programme_has_its_facts_areas_kinds_and_frameworks,
    frameworks_are_served_with_their_goals,
    pages_respect_their_bounds,
    the_seed_is_not_loaded_twice,
    the_start_page_and_its_scripts_are_served,
    swagger_ui_is_served_from_the_binary,
);

async fn health_answers(app: TestApp) {
    let v = app.get_json("/health").await;
    assert_eq!(v["status"], "ok");
    assert_eq!(v["version"], env!("CARGO_PKG_VERSION"));
}

async fn ready_names_the_backend(app: TestApp) {
    let v = app.get_json("/ready").await;
    assert_eq!(v["status"], "ready");
    assert_eq!(v["database"], app.backend.name());
}

async fn the_seed_programme_is_listed(app: TestApp) {
    let v = app.get_json("/api/v1/programmes").await;
    assert_eq!(v["total"], 1);
    assert_eq!(v["page"], 1);
    assert_eq!(v["per_page"], 20);
    assert_eq!(v["total_pages"], 1);
    let p = &v["items"][0];
    assert_eq!(p["title"], "Internationellt arbete");
    assert_eq!(p["document_id"], "0424");
    assert_eq!(p["diarienummer"], "20/16", "as registered, as the programme itself writes it");
    assert_eq!(p["diarienummer_normal"], "2016/20");
    assert_eq!(p["version"], 1);
    assert_eq!(p["document_type"], "programme");
    assert_eq!(p["status"], "adopted");
    assert_eq!(p["decided_by"], "executive_board");
    assert_eq!(p["published"], "2016-04-23");
    assert_eq!(p["revise_by"], "2020-04-22");
    assert_eq!(p["revision_overdue"], true, "revise-by 2020-04-22 has passed");
}

async fn the_seed_programme_has_its_facts_areas_kinds_and_frameworks(app: TestApp) {
    let id = app.get_json("/api/v1/programmes").await["items"][0]["id"].as_i64().unwrap();
    let p = app.get_json(&format!("/api/v1/programmes/{id}")).await;
    assert_eq!(p["responsible_administration"], "Kommunledningsförvaltningen");
    assert_eq!(p["responsible_department"], "Kansli- och personalavdelningen");
    assert!(p["purpose"].as_str().unwrap().starts_with("Syftet med Internationellt arbete"));
    assert!(p["background"].as_str().unwrap().contains("Europa 2020"));
    let areas: Vec<(i64, &str)> = p["priority_areas"]
        .as_array()
        .unwrap()
        .iter()
        .map(|a| (a["number"].as_i64().unwrap(), a["title"].as_str().unwrap()))
        .collect();
    assert_eq!(
        areas,
        [
            (1, "Livslångt lärande för individen och för samhället"),
            (2, "Goda och kreativa livsmiljöer"),
            (3, "Hållbar samhällsplanering")
        ]
    );
    let kinds: Vec<(&str, &str)> = p["work_kinds"]
        .as_array()
        .unwrap()
        .iter()
        .map(|k| (k["kind"].as_str().unwrap(), k["name"].as_str().unwrap()))
        .collect();
    assert_eq!(
        kinds,
        [
            ("horizon_scanning", "Omvärldsbevakning"),
            ("positioning", "Positionering"),
            ("development", "Verksamhetsutveckling")
        ]
    );
    let fws: Vec<&str> =
        p["frameworks"].as_array().unwrap().iter().map(|f| f["code"].as_str().unwrap()).collect();
    assert_eq!(fws, ["europe-2020", "tranas-utvecklingsplan-2010"]);
    assert!(p["frameworks"][0]["relation"].as_str().unwrap().contains("Europa 2020"));
}

async fn frameworks_are_served_with_their_goals(app: TestApp) {
    let list = app.get_json("/api/v1/frameworks").await;
    assert_eq!(list["total"], 2);
    let items = list["items"].as_array().unwrap();
    assert_eq!(items[0]["code"], "europe-2020");
    assert_eq!(items[0]["goal_count"], 5);
    assert_eq!(items[1]["goal_count"], 6);
    let eu = app.get_json(&format!("/api/v1/frameworks/{}", items[0]["id"])).await;
    let goals: Vec<&str> =
        eu["goals"].as_array().unwrap().iter().map(|g| g["title"].as_str().unwrap()).collect();
    assert_eq!(
        goals,
        [
            "Sysselsättning",
            "Forskning och innovation",
            "Klimat och energi",
            "Utbildning",
            "Fattigdomsbekämpning"
        ]
    );
    let plan = app.get_json(&format!("/api/v1/frameworks/{}", items[1]["id"])).await;
    assert_eq!(plan["name"], "Utvecklingsplan för Tranås kommun");
    assert_eq!(plan["overall_goal"], "20 000 invånare år 2020");
    assert_eq!(plan["adopted_year"], 2010);
    assert_eq!(plan["goals"][5]["title"], "Ett hållbart nyttjande av miljö och naturresurser");
    assert_eq!(plan["goals"][5]["number"], 6);
}

async fn pages_respect_their_bounds(app: TestApp) {
    let v = app.get_json("/api/v1/frameworks?per_page=1&page=2").await;
    assert_eq!(v["items"].as_array().unwrap().len(), 1);
    assert_eq!(v["items"][0]["code"], "tranas-utvecklingsplan-2010");
    assert_eq!(
        (v["page"].as_i64(), v["per_page"].as_i64(), v["total_pages"].as_i64()),
        (Some(2), Some(1), Some(2))
    );
    let past = app.get_json("/api/v1/frameworks?per_page=1&page=3").await;
    assert_eq!(past["items"].as_array().unwrap().len(), 0, "past the last page is empty, not an error");
    assert_eq!(past["total"], 2);
    let max = app.get_json("/api/v1/programmes?per_page=100&page=1000000").await;
    assert_eq!(max["items"].as_array().unwrap().len(), 0);
    for (query, field) in [
        ("per_page=0", "per_page"),
        ("per_page=101", "per_page"),
        ("per_page=-5", "per_page"),
        ("page=0", "page"),
        ("page=1000001", "page"),
        ("page=abc", "page"),
        ("per_page=1.5", "per_page"),
        ("page=99999999999999999999999", "page"),
    ] {
        for list in ["programmes", "frameworks"] {
            let res = app.get(&format!("/api/v1/{list}?{query}")).await;
            let body = utblick_tests::assert_problem(res, 400, "invalid-parameter").await;
            assert_eq!(body["errors"][0]["field"], field, "{list}?{query}");
        }
    }
    let both = utblick_tests::assert_problem(
        app.get("/api/v1/programmes?page=x&per_page=500").await,
        400,
        "invalid-parameter",
    )
    .await;
    let fields: Vec<&str> =
        both["errors"].as_array().unwrap().iter().map(|e| e["field"].as_str().unwrap()).collect();
    assert_eq!(fields, ["page", "per_page"], "every bad parameter is named at once");
}

async fn the_seed_is_not_loaded_twice(app: TestApp) {
    let db = app.stop().await;
    let again = TestApp::spawn_on(db).await;
    assert_eq!(again.get_json("/api/v1/programmes").await["total"], 1);
    assert_eq!(again.get_json("/api/v1/frameworks").await["total"], 2);
}

async fn the_start_page_and_its_scripts_are_served(app: TestApp) {
    let res = app.get("/").await;
    assert_eq!(res.status(), 200);
    assert!(res.headers()["content-type"].to_str().unwrap().starts_with("text/html"));
    let html = res.text().await.unwrap();
    assert!(html.contains("<html lang=\"sv\">"));
    assert!(html.contains("js/main.js"));
    for asset in ["/js/main.js", "/js/api.js", "/js/i18n.js", "/css/app.css", "/favicon.svg"] {
        let res = app.get(asset).await;
        assert_eq!(res.status(), 200, "{asset}");
    }
    let js = app.get("/js/api.js").await;
    assert!(js.headers()["content-type"].to_str().unwrap().contains("javascript"));
}

async fn swagger_ui_is_served_from_the_binary(app: TestApp) {
    let redirect = app.get("/api/docs").await;
    assert_eq!(redirect.status(), 308);
    assert_eq!(redirect.headers()["location"], "/api/docs/");
    let res = app.get("/api/docs/").await;
    assert_eq!(res.status(), 200);
    let html = res.text().await.unwrap();
    assert!(html.to_lowercase().contains("swagger"), "the viewer's page");
    let init = app.get("/api/docs/swagger-initializer.js").await;
    assert_eq!(init.status(), 200);
    assert!(init.text().await.unwrap().contains("/api/v1/openapi.json"), "the viewer loads our spec");
    let bundle = app.get("/api/docs/swagger-ui-bundle.js").await;
    assert_eq!(bundle.status(), 200, "the viewer's code is embedded, no internet needed");
}
