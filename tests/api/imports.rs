//! Importing activities and projects from the export's own formats: export → import into an empty
//! database → export gives the same CSV byte for byte and the same XLSX cell for cell (for
//! scripts and for people); a file with bad rows stores nothing and names every bad row;
//! the same file twice changes nothing; a dry run stores nothing.

use calamine::Reader;
use reqwest::Method;
use utblick_tests::{TestApp, assert_problem};

crate::on_both_backends!(
    an_export_imports_into_an_empty_database_unchanged,
    a_project_export_imports_into_an_empty_database_unchanged,
    a_file_with_bad_rows_stores_nothing_and_names_every_bad_row,
    an_imported_project_still_stops_at_the_gate
);

const XLSX: &str = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet";

/// A fresh Utblick on the same backend with the same organisation (id 1), contact person
/// (id 1) and an admin.
pub(crate) async fn empty_like(app: &TestApp) -> (TestApp, String) {
    let other = TestApp::spawn(app.backend).await.unwrap();
    let org = other.create_organisation("Barn- och utbildningsförvaltningen");
    other.create_contact(org, "Anna Berg");
    let admin = other.create_user("admin", None);
    let token = other.login(&admin).await;
    (other, token)
}

async fn export(app: &TestApp, token: &str, what: &str, format: &str, lang: &str) -> Vec<u8> {
    let res = app
        .req(Method::GET, &format!("/api/v1/{what}?format={format}&sort=title"), Some(token))
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
    what: &str,
    file: Vec<u8>,
    content_type: &str,
    dry_run: bool,
) -> reqwest::Response {
    app.req(Method::POST, &format!("/api/v1/imports/{what}?dry_run={dry_run}"), Some(token))
        .header("Content-Type", content_type)
        .body(file)
        .send()
        .await
        .unwrap()
}

pub(crate) fn cells(xlsx: &[u8]) -> Vec<Vec<String>> {
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
    round_trip(&app, &t, "activities", 2).await;
}

/// Export `what` (`n` records) as CSV and XLSX, for scripts and for people; each file
/// imported into an empty Utblick (a dry run first) exports again the same, and imported
/// twice changes nothing.
async fn round_trip(app: &TestApp, t: &str, what: &str, n: u64) {
    for (format, lang, content_type) in
        [("csv", "en", "text/csv"), ("csv", "sv", "text/csv"), ("xlsx", "en", XLSX), ("xlsx", "sv", XLSX)]
    {
        let file = export(app, t, what, format, lang).await;
        let (other, ot) = empty_like(app).await;
        let dry = import(&other, &ot, what, file.clone(), content_type, true).await;
        assert_eq!(dry.status(), 200, "{what} {format} {lang}: {}", dry.text().await.unwrap());
        let report: serde_json::Value = dry.json().await.unwrap();
        assert_eq!(
            (report["created"].as_u64(), report["dry_run"].as_bool()),
            (Some(n), Some(true)),
            "{what} {format} {lang}"
        );
        let list = other.get_json_as(&format!("/api/v1/{what}"), &ot).await;
        assert_eq!(list["total"], 0, "a dry run stores nothing");
        let done = import(&other, &ot, what, file.clone(), content_type, false).await;
        assert_eq!(done.status(), 200, "{what} {format} {lang}");
        let again = export(&other, &ot, what, format, lang).await;
        if format == "csv" {
            assert_eq!(
                String::from_utf8(again).unwrap(),
                String::from_utf8(file.clone()).unwrap(),
                "{what} {lang} CSV byte for byte"
            );
        } else {
            assert_eq!(cells(&again), cells(&file), "{what} {lang} XLSX cell for cell");
        }
        let events = other.audit_count();
        let twice: serde_json::Value =
            import(&other, &ot, what, file, content_type, false).await.json().await.unwrap();
        assert_eq!(
            (twice["unchanged"].as_u64(), twice["created"].as_u64(), twice["updated"].as_u64()),
            (Some(n), Some(0), Some(0)),
            "{what} {format} {lang}"
        );
        assert_eq!(other.audit_count(), events, "the same file twice changes nothing");
    }
}

pub(crate) async fn project(app: &TestApp, t: &str, body: serde_json::Value, moves: &[&str]) -> i64 {
    let res = app.req(Method::POST, "/api/v1/projects", Some(t)).json(&body).send().await.unwrap();
    assert_eq!(res.status(), 201, "{}", res.text().await.unwrap());
    let mut p: serde_json::Value = res.json().await.unwrap();
    let id = p["id"].as_i64().unwrap();
    for to in moves {
        let res = app
            .req(Method::POST, &format!("/api/v1/projects/{id}/status"), Some(t))
            .header("If-Match", format!("\"{}\"", p["version"]))
            .json(&serde_json::json!({"status": to}))
            .send()
            .await
            .unwrap();
        assert_eq!(res.status(), 200, "{to}: {}", res.text().await.unwrap());
        p = res.json().await.unwrap();
    }
    id
}

async fn a_project_export_imports_into_an_empty_database_unchanged(app: TestApp) {
    let org = app.create_organisation("Barn- och utbildningsförvaltningen");
    let contact = app.create_contact(org, "Anna Berg");
    let admin = app.create_user("admin", None);
    let t = app.login(&admin).await;
    let fit =
        serde_json::json!({"contribution": "Kompetens; för \"alla\"", "lasting_value": "=Ett partnerskap"});
    // Names with parentheses, commas and a country whose Swedish name has both; a funding
    // programme whose name has them too; a call with them.
    project(&app, &t, serde_json::json!({
        "title": "Skolutbyte med Tartu", "summary": "Elever möts, två gånger om året (vår och höst).",
        "kind": "development", "owner_organisation_id": org, "contact_id": contact, "external_id": "PRJ-1",
        "period_from": "2026-01-01", "period_to": "2027-06-30", "priority_areas": [], "goals": [],
        "contribution": fit["contribution"], "lasting_value": fit["lasting_value"],
        "partners": [
            {"name": "Tartu linn (Tartu stad)", "country": "EE", "kind": "municipality", "role": "lead"},
            {"name": "Skolan, Stanley", "country": "FK", "kind": "company", "role": "associate"}
        ],
        "own_money": 12_000_050, "own_hours": 25_075,
        "funding": [
            {"programme_id": 19, "call": "Utlysning 2026, skolor (steg 1)", "amount": 3_000_001, "currency": "EUR", "rate": 11_234_500, "status": "applied"},
            {"programme_id": 10, "amount": 500_000, "currency": "SEK", "status": "granted"}
        ]
    }), &["planning"]).await;
    project(&app, &t, serde_json::json!({
        "title": "Mässa i Tallinn", "summary": "Vi visar kommunen.", "kind": "positioning",
        "owner_organisation_id": org, "external_id": "PRJ-2", "priority_areas": [], "goals": [],
        "contribution": "Synlighet", "lasting_value": "Kontakter", "partners": [],
        "own_money": 0, "own_hours": 800, "funding": [],
        "results": "Tre nya kontakter.", "value_given": "Ett nätverk i Estland.", "outputs": "https://example.se/rapport"
    }), &["planning", "ongoing", "completed"]).await;
    project(
        &app,
        &t,
        serde_json::json!({
            "title": "Nätverksmöten i Bryssel", "summary": "Omvärldsbevakning.", "kind": "horizon_scanning",
            "owner_organisation_id": org, "priority_areas": [], "goals": [],
            "contribution": "Kunskap", "lasting_value": "Beredskap", "partners": [],
            "own_money": 0, "own_hours": 0, "funding": []
        }),
        &["cancelled"],
    )
    .await;
    round_trip(&app, &t, "projects", 3).await;
}

async fn an_imported_project_still_stops_at_the_gate(app: TestApp) {
    let org = app.create_organisation("Barn- och utbildningsförvaltningen");
    let admin = app.create_user("admin", None);
    let t = app.login(&admin).await;
    let header = "external_id;title;summary;kind;owner_organisation_id;status;contribution;lasting_value;own_money;own_hours";
    let row = |ext: &str, kind: &str, status: &str| {
        format!("{ext};Projekt {ext};Sammanfattning;{kind};{org};{status};Bidrag;Värde;0;0")
    };
    let file =
        [header.to_owned(), row("G-1", "development", "ongoing"), row("G-2", "positioning", "ongoing")]
            .join("\r\n");
    let res = import(&app, &t, "projects", file.into_bytes(), "text/csv", false).await;
    let p = assert_problem(res, 409, "state-conflict").await;
    assert_eq!(p["errors"][0]["field"], "rows[2].status");
    assert_eq!(p["errors"][0]["code"], "co_funding_not_assessed");
    assert_eq!(p["errors"].as_array().unwrap().len(), 1, "{p}");
    // In planning it is taken; once assessed in Utblick, the same row moves it on.
    let planned = [header.to_owned(), row("G-1", "development", "planning")].join("\r\n");
    let res = import(&app, &t, "projects", planned.into_bytes(), "text/csv", false).await;
    assert_eq!(res.status(), 200);
    let list = app.get_json_as("/api/v1/projects?status=planning", &t).await;
    assert_eq!(list["total"], 1);
    let id = list["items"][0]["id"].as_i64().unwrap();
    let res = app
        .req(Method::POST, &format!("/api/v1/projects/{id}/assessments"), Some(&t))
        .header("If-Match", format!("\"{}\"", list["items"][0]["version"]))
        .json(&serde_json::json!({"assessed_on": "2026-11-29", "assessed_by": "Anna Berg", "programmes": [1],
            "outcome": "not_worthwhile", "motivation": "Egna medel räcker."}))
        .send()
        .await
        .unwrap();
    assert_eq!(res.status(), 200);
    let ongoing = [header.to_owned(), row("G-1", "development", "ongoing")].join("\r\n");
    let res = import(&app, &t, "projects", ongoing.into_bytes(), "text/csv", false).await;
    let report: serde_json::Value = res.json().await.unwrap();
    assert_eq!(report["updated"], 1, "{report}");
    let p = app.get_json_as(&format!("/api/v1/projects/{id}"), &t).await;
    assert_eq!(p["status"], "ongoing");
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
    let res = import(&app, &t, "activities", file.into_bytes(), "text/csv", false).await;
    let p = assert_problem(res, 422, "validation-failed").await;
    let fields: Vec<&str> =
        p["errors"].as_array().unwrap().iter().map(|e| e["field"].as_str().unwrap()).collect();
    assert_eq!(fields, ["rows[3].starts_on", "rows[4].kind", "rows[4].total", "rows[5].external_id"]);
    let list = app.get_json_as("/api/v1/activities", &t).await;
    assert_eq!(list["total"], 0, "nothing is stored");
    let dry =
        import(&app, &t, "activities", format!("{header}\r\n{good}\r\n").into_bytes(), "text/csv", true)
            .await;
    let report: serde_json::Value = dry.json().await.unwrap();
    assert_eq!((report["created"].as_u64(), report["dry_run"].as_bool()), (Some(1), Some(true)));
    let list = app.get_json_as("/api/v1/activities", &t).await;
    assert_eq!(list["total"], 0, "a dry run stores nothing");
    let no_columns = import(&app, &t, "activities", b"{}".to_vec(), "text/csv", true).await;
    assert_eq!(assert_problem(no_columns, 422, "validation-failed").await["errors"][0]["field"], "file");
    let junk = import(&app, &t, "activities", b"\x00\x01 inte en fil".to_vec(), XLSX, false).await;
    assert_eq!(assert_problem(junk, 422, "validation-failed").await["errors"][0]["field"], "file");
}
