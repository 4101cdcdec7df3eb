//! KPIs over HTTP on both backends: the definitions, and values equal to the compilation's
//! figures for the same year — per organisation and for the municipality, by gender, as JSON
//! and as CSV for people; bad filters named; only signed-in people and `kpi:read` tokens. And
//! the Kolada-shaped API read by a real Kolada client from PyPI (koladapy), paging included.

use reqwest::Method;
use utblick_tests::{TestApp, assert_problem, repo_root, required_tool, venv_bin};

crate::on_both_backends!(
    the_kpi_feed_is_open_to_anyone_once_published,
    kpi_values_are_the_compilations_figures,
    a_kolada_client_reads_the_kpis_by_its_base_url
);

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
    assert!(
        csv.starts_with("\u{feff}Nyckeltal;Titel;Enhet;Organisation;År;Kön;Värde;Målvärde;Källa\r\n"),
        "{csv}"
    );
    assert!(csv.contains(&format!("UTB0001;Aktiviteter i internationellt arbete;antal;Tekniska förvaltningen;{y};Totalt;2,00;;Registrerade uppgifter nu")), "{csv}");
    // The same rows as a workbook, the figures as numbers.
    let res = app
        .req(Method::GET, &format!("/api/v1/kpi-values?year={y}&format=xlsx"), Some(&coordinator))
        .send()
        .await
        .unwrap();
    assert_eq!(res.status(), 200);
    let sheet = crate::imports::cells(&res.bytes().await.unwrap());
    let text = |s: &str| format!("String({s:?})");
    assert_eq!(sheet[0][..3], [text("Nyckeltal"), text("Titel"), text("Enhet")]);
    assert_eq!(sheet.len(), csv.lines().count(), "one row per CSV line");
    let row = sheet
        .iter()
        .find(|r| r[0] == text("UTB0001") && r[3] == text("Tekniska förvaltningen") && r[5] == text("Totalt"))
        .unwrap();
    assert_eq!((row[4].clone(), row[6].as_str()), (format!("Float({y}.0)"), "Float(2.0)"));
    let bad =
        app.req(Method::GET, "/api/v1/kpi-values?kpi_id=UTB9999&year=x", Some(&key)).send().await.unwrap();
    let p = assert_problem(bad, 400, "invalid-parameter").await;
    assert_eq!(p["errors"][0]["field"], "year", "{p}");
    let none = app.get_json_as("/api/v1/kpi-values?kpi_id=UTB9999", &key).await;
    assert_eq!(none, serde_json::json!([]), "an id no KPI has: no values");
}

fn open_2026(app: &TestApp) -> i64 {
    let deadline = chrono::NaiveDate::from_ymd_opt(2027, 2, 15).unwrap();
    let at = chrono::Utc::now().naive_utc();
    utblick_db::reports::insert_reporting_year(&mut app.db.connect(), 2026, deadline, at).unwrap().id
}

async fn a_kolada_client_reads_the_kpis_by_its_base_url(app: TestApp) {
    let Some(python) = required_tool(
        &venv_bin("python"),
        "the Kolada client test",
        "run ./scripts/test, which installs koladapy into target/venv",
    ) else {
        return;
    };
    // Three reporting organisations (two pages of two), activities in 2026.
    let orgs: Vec<i64> = ["Tekniska förvaltningen", "Tranås Energi AB", "Barn- och utbildningsförvaltningen"]
        .iter()
        .map(|n| app.create_organisation(n))
        .collect();
    for (i, org) in orgs.iter().enumerate() {
        for _ in 0..=i {
            app.create_activity(*org);
        }
    }
    open_2026(&app);
    let (_, key) = app.create_api_token("kpi:read", app.create_user("admin", None).id);

    // The envelope, paging and refusals, by hand.
    let page = app.get_json_as("/kolada/v3/data/kpi/UTB0001/year/2026", &key).await;
    assert_eq!(page["count"], 1, "{page}");
    assert_eq!(page["values"][0]["municipality"], "0687");
    assert_eq!(
        page["values"][0]["values"][0],
        serde_json::json!({"gender": "T", "value": 6.0, "status": "", "count": 1, "isdeleted": false})
    );
    assert_eq!(page["next_url"], serde_json::Value::Null);
    let first = app.get_json_as("/kolada/v3/oudata/kpi/UTB0001/year/2026?per_page=2", &key).await;
    assert_eq!((first["count"].as_u64(), first["values"].as_array().unwrap().len()), (Some(3), 2));
    let next = first["next_url"].as_str().unwrap();
    assert!(next.contains("/kolada/v3/oudata/kpi/UTB0001/year/2026?") && next.contains("page=2"), "{next}");
    assert_eq!(app.request(Method::GET, "/kolada/v3/kpi").await.status(), 401);
    let bad = app.req(Method::GET, "/kolada/v3/data?year=nineteen", Some(&key)).send().await.unwrap();
    assert_eq!(assert_problem(bad, 400, "invalid-parameter").await["errors"][0]["field"], "year");
    let all = app.get_json_as("/kolada/v3/data", &key).await;
    assert_eq!(all["count"], 13, "no filter: every KPI of every year, a page at a time");

    // A Kolada client from PyPI, pointed at Utblick's base path.
    let out = tokio::process::Command::new(python)
        .arg(repo_root().join("tests/kolada_client.py"))
        .arg(app.url("/kolada/v3/"))
        .arg(&key)
        .arg("2026")
        .output()
        .await
        .unwrap();
    assert!(out.status.success(), "the Kolada client failed: {}", String::from_utf8_lossy(&out.stderr));
    let read: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    let ids: Vec<String> = (1..=13).map(|n| format!("UTB{n:04}")).collect();
    assert_eq!(read["kpis"], serde_json::json!(ids), "every KPI, over seven pages of two");
    assert_eq!(read["one"]["id"], "UTB0005");
    assert_eq!(read["one"]["is_divided_by_gender"], true);
    assert_eq!(
        read["municipalities"],
        serde_json::json!([{"id": "0687", "title": "Tranås kommun", "type": "K"}])
    );
    let units = read["units"].as_array().unwrap();
    assert_eq!(units.len(), 3, "{units:?}");
    assert!(
        units.iter().all(|u| u["municipality"] == "0687" && u["id"].as_str().unwrap().starts_with("0687U"))
    );
    // The values: the municipality's and each unit's, as /api/v1/kpi-values has them.
    let ours = app.get_json_as("/api/v1/kpi-values?year=2026", &key).await;
    let ours_of = |kpi: &str, org: Option<i64>, gender: &str| {
        ours.as_array()
            .unwrap()
            .iter()
            .find(|v| v["kpi_id"] == kpi && v["organisation_id"].as_i64() == org && v["gender"] == gender)
            .unwrap()["value"]
            .clone()
    };
    let whole = read["whole"].as_array().unwrap();
    assert_eq!(whole.len(), 2, "{whole:?}");
    for d in whole {
        assert_eq!((d["municipality"].as_str(), d["period"].as_i64()), (Some("0687"), Some(2026)));
        for v in d["values"].as_array().unwrap() {
            let kpi = d["kpi"].as_str().unwrap();
            assert_eq!(v["value"], ours_of(kpi, None, v["gender"].as_str().unwrap()), "{kpi}");
        }
    }
    assert_eq!(whole[1]["values"].as_array().unwrap().len(), 3, "UTB0005 by gender");
    let by_unit = read["by_unit"].as_array().unwrap();
    assert_eq!(by_unit.len(), 3, "{by_unit:?}");
    for (i, org) in orgs.iter().enumerate() {
        let unit = format!("0687U{org:06}");
        let d = by_unit.iter().find(|d| d["ou"] == unit.as_str()).unwrap();
        assert_eq!(d["values"][0]["value"], ours_of("UTB0001", Some(*org), "T"));
        assert_eq!(d["values"][0]["value"].as_f64(), Some((i + 1) as f64));
    }
}

async fn the_kpi_feed_is_open_to_anyone_once_published(app: TestApp) {
    let admin = app.create_user("admin", None);
    let (_, read) = app.create_api_token("read", admin.id);
    let admin = app.login(&admin).await;
    let coordinator = app.login(&app.create_user("coordinator", None)).await;
    let closed = || async {
        assert_eq!(app.request(Method::GET, "/kolada/v3/kpi").await.status(), 401);
        assert_eq!(app.request(Method::GET, "/api/v1/kpi-values").await.status(), 401);
        assert_eq!(app.req(Method::GET, "/kolada/v3/kpi", Some(&read)).send().await.unwrap().status(), 403);
    };
    closed().await;
    let settings = app.get_json("/api/v1/settings").await;
    assert_eq!(settings["kpi_feed_published"], false);
    let version = settings["version"].as_i64().unwrap();

    let put = |token: &str, if_match: Option<i64>, published: bool| {
        let r = app.req(Method::PUT, "/api/v1/settings", Some(token));
        let r = match if_match {
            Some(v) => r.header("If-Match", format!("\"{v}\"")),
            None => r,
        };
        r.json(&serde_json::json!({"kpi_feed_published": published})).send()
    };
    assert_problem(put(&admin, None, true).await.unwrap(), 428, "precondition-required").await;
    assert_eq!(put(&coordinator, Some(version), true).await.unwrap().status(), 403, "administrators only");
    let res = put(&admin, Some(version), true).await.unwrap();
    assert_eq!(res.status(), 200);
    let opened: serde_json::Value = res.json().await.unwrap();
    assert_eq!(
        (opened["kpi_feed_published"].as_bool(), opened["version"].as_i64()),
        (Some(true), Some(version + 1))
    );
    assert_problem(put(&admin, Some(version), false).await.unwrap(), 412, "precondition-failed").await;
    assert!(app.audit_events().iter().any(|e| e.action == "settings.updated"));

    // Open: anyone reads the KPIs, the Kolada-shaped feed and the values, and a `read` token too.
    for path in ["/kolada/v3/kpi", "/kolada/v3/municipality", "/api/v1/kpis", "/api/v1/kpi-values"] {
        assert_eq!(app.request(Method::GET, path).await.status(), 200, "{path}");
    }
    assert_eq!(app.req(Method::GET, "/kolada/v3/kpi", Some(&read)).send().await.unwrap().status(), 200);
    // What else needs signing in still does.
    assert_eq!(app.request(Method::GET, "/api/v1/decisions").await.status(), 401);

    // Closed again.
    assert_eq!(put(&admin, Some(version + 1), false).await.unwrap().status(), 200);
    closed().await;
}
