//! Importing activities from the export's own formats: export → import into an empty
//! database → export gives the same CSV byte for byte and the same XLSX cell for cell (for
//! scripts and for people); a file with bad rows stores nothing and names every bad row;
//! the same file twice changes nothing; a dry run stores nothing.

use calamine::Reader;
use reqwest::Method;
use utblick_tests::{TestApp, assert_problem};

crate::on_both_backends!(
    an_export_imports_into_an_empty_database_unchanged,
    a_file_with_bad_rows_stores_nothing_and_names_every_bad_row
);

const XLSX: &str = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet";

/// A fresh Utblick on the same backend with the same organisation (id 1) and an admin.
async fn empty_like(app: &TestApp) -> (TestApp, String) {
    let other = TestApp::spawn(app.backend).await.unwrap();
    other.create_organisation("Barn- och utbildningsförvaltningen");
    let admin = other.create_user("admin", None);
    let token = other.login(&admin).await;
    (other, token)
}

async fn export(app: &TestApp, token: &str, format: &str, lang: &str) -> Vec<u8> {
    let res = app
        .req(Method::GET, &format!("/api/v1/activities?format={format}&sort=title"), Some(token))
        .header("Accept-Language", lang)
        .send()
        .await
        .unwrap();
    assert_eq!(res.status(), 200);
    res.bytes().await.unwrap().to_vec()
}

async fn import(
    app: &TestApp,
    token: &str,
    file: Vec<u8>,
    content_type: &str,
    dry_run: bool,
) -> reqwest::Response {
    app.req(Method::POST, &format!("/api/v1/imports/activities?dry_run={dry_run}"), Some(token))
        .header("Content-Type", content_type)
        .body(file)
        .send()
        .await
        .unwrap()
}

fn cells(xlsx: &[u8]) -> Vec<Vec<String>> {
    let mut book: calamine::Xlsx<_> =
        calamine::open_workbook_from_rs(std::io::Cursor::new(xlsx.to_vec())).unwrap();
    let sheet = book.worksheet_range_at(0).unwrap().unwrap();
    sheet.rows().map(|r| r.iter().map(|c| format!("{c:?}")).collect()).collect()
}

async fn an_export_imports_into_an_empty_database_unchanged(app: TestApp) {
    let org = app.create_organisation("Barn- och utbildningsförvaltningen");
    let admin = app.create_user("admin", None);
    let t = app.login(&admin).await;
    for (ext, title, hours, outcome) in [
        ("AKT-1", "Studiebesök i Lyngby", 7_250, "=Idéer; till \"skolorna\""),
        ("AKT-2", "Mässa i Tallinn", 1_600, "Kontakter med estniska skolor"),
    ] {
        let res = app
            .req(Method::POST, "/api/v1/activities", Some(&t))
            .json(&serde_json::json!({
                "title": title, "kind": "study_visit", "organisation_id": org, "external_id": ext,
                "starts_on": "2026-05-12", "ends_on": "2026-05-14", "countries": ["DK", "SE"], "organiser": "region",
                "women": 4, "men": 2, "total": 7, "hours": hours, "own_cost": 1_850_050, "external_cost": 25,
                "outcome": outcome, "representatives": []
            }))
            .send()
            .await
            .unwrap();
        assert_eq!(res.status(), 201);
    }
    for (format, lang, content_type) in
        [("csv", "en", "text/csv"), ("csv", "sv", "text/csv"), ("xlsx", "en", XLSX), ("xlsx", "sv", XLSX)]
    {
        let file = export(&app, &t, format, lang).await;
        let (other, ot) = empty_like(&app).await;
        let dry = import(&other, &ot, file.clone(), content_type, true).await;
        assert_eq!(dry.status(), 200, "{format} {lang}: {}", dry.text().await.unwrap());
        let report: serde_json::Value = dry.json().await.unwrap();
        assert_eq!(
            (report["created"].as_u64(), report["dry_run"].as_bool()),
            (Some(2), Some(true)),
            "{format} {lang}"
        );
        let list: serde_json::Value = other
            .req(Method::GET, "/api/v1/activities", Some(&ot))
            .send()
            .await
            .unwrap()
            .json()
            .await
            .unwrap();
        assert_eq!(list["total"], 0, "a dry run stores nothing");
        let done = import(&other, &ot, file.clone(), content_type, false).await;
        assert_eq!(done.status(), 200, "{format} {lang}");
        let again = export(&other, &ot, format, lang).await;
        if format == "csv" {
            assert_eq!(
                String::from_utf8(again).unwrap(),
                String::from_utf8(file.clone()).unwrap(),
                "{lang} CSV byte for byte"
            );
        } else {
            assert_eq!(cells(&again), cells(&file), "{lang} XLSX cell for cell");
        }
        let events = other.audit_count();
        let twice: serde_json::Value =
            import(&other, &ot, file, content_type, false).await.json().await.unwrap();
        assert_eq!(
            (twice["unchanged"].as_u64(), twice["created"].as_u64(), twice["updated"].as_u64()),
            (Some(2), Some(0), Some(0))
        );
        assert_eq!(other.audit_count(), events, "the same file twice changes nothing");
    }
}

async fn a_file_with_bad_rows_stores_nothing_and_names_every_bad_row(app: TestApp) {
    let org = app.create_organisation("Barn- och utbildningsförvaltningen");
    let admin = app.create_user("admin", None);
    let t = app.login(&admin).await;
    let header = "external_id;title;kind;organisation_id;starts_on;ends_on;countries;organiser;women;men;total;hours;own_cost;external_cost";
    let good =
        format!("A-1;Konferens i Bryssel;conference;{org};2026-03-02;;BE;international;1;1;2;1600;0;0");
    let file = format!(
        "{header}\r\n{good}\r\nA-2;Studiebesök;study_visit;{org};2026-13-01;;DK;own;1;1;2;800;0;0\r\n\
         A-3;Mässa;party;{org};2026-04-01;;EE;own;3;3;2;800;0;0\r\n;Utan id;fair;{org};2026-04-01;;EE;own;0;0;0;0;0;0\r\n"
    );
    let res = import(&app, &t, file.into_bytes(), "text/csv", false).await;
    let p = assert_problem(res, 422, "validation-failed").await;
    let fields: Vec<&str> =
        p["errors"].as_array().unwrap().iter().map(|e| e["field"].as_str().unwrap()).collect();
    assert_eq!(fields, ["rows[3].starts_on", "rows[4].kind", "rows[4].total", "rows[5].external_id"]);
    let list: serde_json::Value =
        app.req(Method::GET, "/api/v1/activities", Some(&t)).send().await.unwrap().json().await.unwrap();
    assert_eq!(list["total"], 0, "nothing is stored");
    let dry = import(&app, &t, format!("{header}\r\n{good}\r\n").into_bytes(), "text/csv", true).await;
    let report: serde_json::Value = dry.json().await.unwrap();
    assert_eq!((report["created"].as_u64(), report["dry_run"].as_bool()), (Some(1), Some(true)));
    let list: serde_json::Value =
        app.req(Method::GET, "/api/v1/activities", Some(&t)).send().await.unwrap().json().await.unwrap();
    assert_eq!(list["total"], 0, "a dry run stores nothing");
    let no_columns = import(&app, &t, b"{}".to_vec(), "text/csv", true).await;
    assert_eq!(assert_problem(no_columns, 422, "validation-failed").await["errors"][0]["field"], "file");
    let junk = import(&app, &t, b"\x00\x01 inte en fil".to_vec(), XLSX, false).await;
    assert_eq!(assert_problem(junk, 422, "validation-failed").await["errors"][0]["field"], "file");
}
