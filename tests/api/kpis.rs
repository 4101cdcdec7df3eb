//! KPIs over HTTP on both backends: the definitions, and values equal to the compilation's
//! figures for the same year — per organisation and for the municipality, by gender, as JSON
//! and as CSV for people; bad filters named; only signed-in people and `kpi:read` tokens.

use reqwest::Method;
use utblick_tests::{TestApp, assert_problem};

crate::on_both_backends!(kpi_values_are_the_compilations_figures);

async fn kpi_values_are_the_compilations_figures(app: TestApp) {
    let org = app.create_organisation("Tekniska förvaltningen");
    app.create_activity(org);
    app.create_activity(org);
    // 2026: the year the activities are in.
    let y = 2026;
    let deadline = chrono::NaiveDate::from_ymd_opt(2027, 2, 15).unwrap();
    let at = chrono::Utc::now().naive_utc();
    let year = utblick_db::reports::insert_reporting_year(&mut app.db.connect(), y, deadline, at).unwrap().id;
    let coordinator = app.login(&app.create_user("coordinator", None)).await;
    let (_, key) = app.create_api_token("kpi:read", app.create_user("admin", None).id);

    let kpis = app.get_json_as("/api/v1/kpis", &coordinator).await;
    assert_eq!(kpis.as_array().unwrap().len(), 13);
    assert_eq!(kpis[0]["id"], "UTB0001");
    let one = app.get_json_as("/api/v1/kpis/UTB0005", &key).await;
    assert_eq!((one["unit"].as_str(), one["by_gender"].as_bool()), (Some("antal"), Some(true)));
    let missing = app.req(Method::GET, "/api/v1/kpis/UTB9999", Some(&key)).send().await.unwrap();
    assert_problem(missing, 404, "not-found").await;
    assert_eq!(app.request(Method::GET, "/api/v1/kpi-values").await.status(), 401);

    // The year's compilation, begun now (a draft: the data now), and the KPI values of the year.
    let res = app
        .req(Method::POST, "/api/v1/compilations", Some(&coordinator))
        .json(&serde_json::json!({"reporting_year_id": year}))
        .send()
        .await
        .unwrap();
    assert_eq!(res.status(), 201);
    let c = res.json::<serde_json::Value>().await.unwrap()["compilation"].clone();
    let values = app.get_json_as(&format!("/api/v1/kpi-values?year={y}"), &key).await;
    let value = |kpi: &str, org: serde_json::Value, gender: &str| {
        values
            .as_array()
            .unwrap()
            .iter()
            .find(|v| v["kpi_id"] == kpi && v["organisation_id"] == org && v["gender"] == gender)
            .unwrap_or_else(|| panic!("no {kpi} {org} {gender}: {values}"))["value"]
            .as_f64()
            .unwrap()
    };
    let whole = serde_json::Value::Null;
    let total = &c["total"];
    assert_eq!(value("UTB0001", whole.clone(), "T"), total["activities"].as_f64().unwrap());
    assert_eq!(value("UTB0002", whole.clone(), "T"), total["hours"].as_f64().unwrap() / 100.0);
    assert_eq!(value("UTB0003", whole.clone(), "T"), total["own_cost"].as_f64().unwrap() / 100.0);
    assert_eq!(value("UTB0005", whole.clone(), "K"), total["women"].as_f64().unwrap());
    assert_eq!(value("UTB0006", whole.clone(), "T"), c["funding"]["projects"].as_f64().unwrap());
    let part = c["by_organisation"]
        .as_array()
        .unwrap()
        .iter()
        .find(|p| p["key"].as_str() == Some(org.to_string().as_str()))
        .unwrap();
    assert_eq!(value("UTB0001", org.into(), "T"), part["totals"]["activities"].as_f64().unwrap());
    assert_eq!(value("UTB0001", org.into(), "T"), 2.0);
    assert!(values.as_array().unwrap().iter().all(|v| v["frozen"] == false), "a draft: the data now");
    assert_eq!(values[0]["organisation"], "Tranås kommun", "the municipality first");

    // Filters, and CSV with Swedish headings.
    let mine = app
        .get_json_as(&format!("/api/v1/kpi-values?kpi_id=UTB0005&organisation_id={org}&year={y}"), &key)
        .await;
    let genders: Vec<&str> = mine.as_array().unwrap().iter().map(|v| v["gender"].as_str().unwrap()).collect();
    assert_eq!(genders, ["T", "K", "M"]);
    let res = app
        .req(Method::GET, &format!("/api/v1/kpi-values?year={y}&format=csv"), Some(&coordinator))
        .send()
        .await
        .unwrap();
    assert_eq!(res.status(), 200);
    let csv = res.text().await.unwrap();
    assert!(csv.starts_with("\u{feff}Nyckeltal;Titel;Enhet;Organisation;År;Kön;Värde;Källa\r\n"), "{csv}");
    assert!(csv.contains(&format!("UTB0001;Aktiviteter i internationellt arbete;antal;Tekniska förvaltningen;{y};Totalt;2,00;Registrerade uppgifter nu")), "{csv}");
    let bad =
        app.req(Method::GET, "/api/v1/kpi-values?kpi_id=UTB9999&year=x", Some(&key)).send().await.unwrap();
    let p = assert_problem(bad, 400, "invalid-parameter").await;
    assert_eq!(p["errors"][0]["field"], "year", "{p}");
    let bad = app.req(Method::GET, "/api/v1/kpi-values?kpi_id=UTB9999", Some(&key)).send().await.unwrap();
    assert_eq!(assert_problem(bad, 400, "invalid-parameter").await["errors"][0]["field"], "kpi_id");
}
