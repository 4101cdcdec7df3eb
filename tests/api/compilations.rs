//! The compilation over HTTP: a coordinator begins 2026's; the draft sums the year's
//! activities per organisation; made final, it is frozen — an activity edited afterwards
//! changes the draft of nothing; it is presented only with the council's decision, published,
//! and read without signing in; its tables come as XLSX (read back with calamine), CSV with
//! Swedish headings and JSON, its charts as SVG; reopened with a note, it is frozen again as
//! version 2 while version 1 and the public version stay as they were.

use calamine::{Reader, Xlsx};
use reqwest::Method;
use utblick_tests::{TestApp, assert_problem};

crate::on_both_backends!(a_compilation_is_frozen_presented_published_and_exported);

async fn a_compilation_is_frozen_presented_published_and_exported(app: TestApp) {
    let own = app.create_organisation("Barn- och utbildningsförvaltningen");
    app.create_organisation("Tranås Energi AB");
    let reporter = app.login(&app.create_user("reporter", Some(own))).await;
    let coordinator = app.login(&app.create_user("coordinator", None)).await;
    let activity = |title: &str| {
        serde_json::json!({
            "title": title, "kind": "study_visit", "organisation_id": own,
            "starts_on": "2026-05-12", "countries": ["DK"], "organiser": "region", "women": 2, "men": 1,
            "total": 3, "hours": 2_400, "own_cost": 1_500_000, "external_cost": 0, "representatives": []
        })
    };
    let res = app
        .req(Method::POST, "/api/v1/activities", Some(&reporter))
        .json(&activity("Studiebesök i Lyngby"))
        .send()
        .await
        .unwrap();
    assert_eq!(res.status(), 201);
    let first: serde_json::Value = res.json().await.unwrap();
    let year = app
        .req(Method::POST, "/api/v1/reporting-years", Some(&coordinator))
        .json(&serde_json::json!({"year": 2026, "deadline": "2027-02-15"}))
        .send()
        .await
        .unwrap();
    let year: serde_json::Value = year.json().await.unwrap();

    let begin = |token: &str| {
        app.req(Method::POST, "/api/v1/compilations", Some(token))
            .json(&serde_json::json!({"reporting_year_id": year["id"]}))
            .send()
    };
    assert_problem(begin(&reporter).await.unwrap(), 403, "forbidden").await;
    let res = begin(&coordinator).await.unwrap();
    assert_eq!(res.status(), 201);
    let draft: serde_json::Value = res.json().await.unwrap();
    assert_problem(begin(&coordinator).await.unwrap(), 409, "state-conflict").await;
    let id = draft["id"].as_i64().unwrap();
    let path = format!("/api/v1/compilations/{id}");
    assert_eq!((draft["status"].as_str(), draft["shown_version"].as_i64()), (Some("draft"), None));
    assert_eq!(draft["compilation"]["total"]["activities"], 1);
    let organisations: Vec<&str> = draft["compilation"]["by_organisation"]
        .as_array()
        .unwrap()
        .iter()
        .map(|p| p["label"].as_str().unwrap())
        .collect();
    assert_eq!(organisations, ["Barn- och utbildningsförvaltningen", "Tranås Energi AB"]);
    assert_eq!(draft["can"]["status"][0]["to"], "final");
    assert_eq!(app.get_json_as(&path, &reporter).await["can"]["status"], serde_json::json!([]));

    let step = |version: i64, body: serde_json::Value| {
        app.req(Method::POST, &format!("{path}/status"), Some(&coordinator))
            .header("If-Match", format!("\"{version}\""))
            .header("Accept-Language", "sv")
            .json(&body)
            .send()
    };
    let res = step(1, serde_json::json!({"status": "final"})).await.unwrap();
    assert_eq!(res.status(), 200);
    let fin: serde_json::Value = res.json().await.unwrap();
    assert_eq!(fin["shown_version"], 1);
    let council = app.create_decision("council");
    let stale = step(1, serde_json::json!({"status": "presented", "decision_id": council})).await.unwrap();
    assert_problem(stale, 412, "precondition-failed").await;

    // The data changes; the final compilation does not.
    let res = app
        .req(Method::POST, "/api/v1/activities", Some(&reporter))
        .json(&activity("Nätverksmöte i Bryssel"))
        .send()
        .await
        .unwrap();
    assert_eq!(res.status(), 201);
    let res = app
        .req(Method::PATCH, &format!("/api/v1/activities/{}", first["id"]), Some(&reporter))
        .header("If-Match", format!("\"{}\"", first["version"]))
        .json(&serde_json::json!({"hours": 9_900}))
        .send()
        .await
        .unwrap();
    assert_eq!(res.status(), 200);
    let read = app.get_json_as(&path, &coordinator).await;
    assert_eq!(read["compilation"], fin["compilation"], "a final compilation never changes");

    let v = fin["version"].as_i64().unwrap();
    let p = assert_problem(
        step(v, serde_json::json!({"status": "presented"})).await.unwrap(),
        422,
        "validation-failed",
    )
    .await;
    assert_eq!(p["errors"][0]["field"], "decision");
    assert!(p["errors"][0]["message"].as_str().unwrap().contains("kommunfullmäktige"), "{p}");
    let board = app.create_decision("executive_board");
    let p = step(v, serde_json::json!({"status": "presented", "decision_id": board})).await.unwrap();
    assert_eq!(assert_problem(p, 422, "validation-failed").await["errors"][0]["code"], "council_decision");
    let res = step(v, serde_json::json!({"status": "presented", "decision_id": council})).await.unwrap();
    assert_eq!(res.status(), 200);
    let presented: serde_json::Value = res.json().await.unwrap();
    assert_eq!(presented["decision"]["id"], council);
    assert_eq!(presented["can"]["publish"], true);

    let public = format!("/api/v1/published-compilations/{id}");
    assert_eq!(app.req(Method::GET, &public, None).send().await.unwrap().status(), 404, "not yet published");
    let res = app
        .req(Method::POST, &format!("{path}/publication"), Some(&coordinator))
        .header("If-Match", format!("\"{}\"", presented["version"]))
        .json(&serde_json::json!({"published": true}))
        .send()
        .await
        .unwrap();
    assert_eq!(res.status(), 200);
    let published: serde_json::Value = res.json().await.unwrap();
    let anyone = app.get_json(&public).await;
    assert_eq!(anyone["compilation"], fin["compilation"]);
    assert_eq!(anyone["versions"][0]["frozen_by"], serde_json::Value::Null, "who froze it is internal");
    let listed = app.get_json("/api/v1/published-compilations").await;
    assert_eq!(listed[0]["id"], id);

    // Exports: the workbook of every table, one table as CSV, the figures as JSON.
    let get = |url: String, token: Option<String>| {
        let app = &app;
        async move { app.req(Method::GET, &url, token.as_deref()).send().await.unwrap() }
    };
    let res = get(format!("{path}/export?format=xlsx"), Some(coordinator.clone())).await;
    assert_eq!(res.status(), 200);
    let disposition = res.headers()["content-disposition"].to_str().unwrap().to_owned();
    assert_eq!(
        disposition,
        "attachment; filename=\"sammanstallning-2026.xlsx\"; filename*=UTF-8''sammanst%C3%A4llning-2026.xlsx"
    );
    let bytes = res.bytes().await.unwrap();
    let mut book: Xlsx<_> = Xlsx::new(std::io::Cursor::new(bytes.to_vec())).unwrap();
    let sheets = book.sheet_names();
    assert_eq!(sheets[0], "Översikt");
    assert!(sheets.contains(&"Per organisation".to_owned()), "{sheets:?}");
    let range = book.worksheet_range("Per organisation").unwrap();
    assert_eq!(range.get_value((0, 0)).unwrap().to_string(), "Organisation");
    assert_eq!(range.get_value((1, 0)).unwrap().to_string(), "Barn- och utbildningsförvaltningen");
    assert_eq!(range.get_value((1, 2)).unwrap().to_string(), "24", "hours as a number, frozen");

    let res = get(format!("{public}/export?format=csv&table=by_work_kind"), None).await;
    assert_eq!(res.status(), 200);
    assert!(res.headers()["content-type"].to_str().unwrap().starts_with("text/csv"));
    let name = res.headers()["content-disposition"].to_str().unwrap().to_owned();
    assert!(name.contains("filename=\"sammanstallning-2026-per-typ-av-arbete.csv\""), "{name}");
    let csv = res.text().await.unwrap();
    assert!(csv.starts_with("\u{feff}Typ av arbete;Aktiviteter;Arbetstid (timmar)"), "{csv}");
    assert!(csv.contains("\r\nTotalt;1;24,00;15000,00;"), "{csv}");
    let bad = get(format!("{path}/export?format=csv&table=nope"), Some(coordinator.clone())).await;
    let p = assert_problem(bad, 400, "invalid-parameter").await;
    assert_eq!(p["errors"][0]["field"], "table");
    let json = get(format!("{path}/export?format=json&version=1"), Some(coordinator.clone())).await;
    assert_eq!(json.json::<serde_json::Value>().await.unwrap(), fin["compilation"]);

    // The document for the council: a tagged PDF (PDF/UA-1, PDF/A-2a) and a DOCX, for anyone
    // once published.
    let res = get(format!("{public}/export?format=pdf"), None).await;
    assert_eq!(res.status(), 200);
    assert_eq!(res.headers()["content-type"], "application/pdf");
    let name = res.headers()["content-disposition"].to_str().unwrap().to_owned();
    assert!(name.starts_with("attachment; filename=\"sammanstallning-2026.pdf\""), "{name}");
    let pdf = res.bytes().await.unwrap();
    let raw = String::from_utf8_lossy(&pdf);
    assert!(pdf.starts_with(b"%PDF-"));
    for claim in
        ["/Lang(sv-SE)", "/StructTreeRoot", "<pdfuaid:part>1</pdfuaid:part>", "<pdfaid:part>2</pdfaid:part>"]
    {
        assert!(raw.contains(claim), "the PDF says {claim}");
    }
    assert!(raw.contains("Internationellt arbete 2026"), "its title");
    let res = get(format!("{path}/export?format=docx"), Some(coordinator.clone())).await;
    assert_eq!(res.status(), 200);
    assert_eq!(
        res.headers()["content-type"],
        "application/vnd.openxmlformats-officedocument.wordprocessingml.document"
    );
    let mut docx = zip::ZipArchive::new(std::io::Cursor::new(res.bytes().await.unwrap().to_vec())).unwrap();
    let part = |docx: &mut zip::ZipArchive<_>, name: &str| {
        let mut text = String::new();
        std::io::Read::read_to_string(&mut docx.by_name(name).unwrap(), &mut text).unwrap();
        text
    };
    let core = part(&mut docx, "docProps/core.xml");
    assert!(core.contains("<dc:title>Internationellt arbete 2026</dc:title>"), "{core}");
    assert!(core.contains("<dc:language>sv-SE</dc:language>"), "{core}");
    let body = part(&mut docx, "word/document.xml");
    assert!(body.contains("Barn- och utbildningsförvaltningen"), "the tables' rows");
    assert!(body.contains("<w:tblHeader />"), "each table's header row is marked");
    assert!(part(&mut docx, "word/styles.xml").contains("<w:lang w:val=\"sv-SE\""), "its language");
    let bad = get(format!("{path}/export?format=odt"), Some(coordinator.clone())).await;
    assert_eq!(assert_problem(bad, 400, "invalid-parameter").await["errors"][0]["field"], "format");

    // Charts: SVG with the values written out, under the policy that runs no inline script.
    let res = get(format!("{public}/charts/work_kind"), None).await;
    assert_eq!(res.status(), 200);
    assert!(res.headers()["content-type"].to_str().unwrap().starts_with("image/svg+xml"));
    let policy = res.headers()["content-security-policy"].to_str().unwrap().to_owned();
    assert!(policy.contains("script-src 'self'") && !policy.contains("unsafe-inline"), "{policy}");
    let svg = res.text().await.unwrap();
    assert!(svg.contains("<title id=\"title\">Aktiviteter per typ av arbete 2026</title>"), "{svg}");
    let bad = get(format!("{path}/charts/pie"), Some(coordinator.clone())).await;
    assert_eq!(assert_problem(bad, 400, "invalid-parameter").await["errors"][0]["field"], "chart");

    // Reopened with a note, frozen again: version 2 counts the new data; version 1 and the
    // public version stay.
    let v = published["version"].as_i64().unwrap();
    let p = step(v, serde_json::json!({"status": "draft"})).await.unwrap();
    assert_eq!(assert_problem(p, 422, "validation-failed").await["errors"][0]["field"], "comment");
    let res =
        step(v, serde_json::json!({"status": "draft", "comment": "Nätverksmötet saknades."})).await.unwrap();
    let reopened: serde_json::Value = res.json().await.unwrap();
    assert_eq!(reopened["compilation"]["total"]["activities"], 2);
    let res =
        step(reopened["version"].as_i64().unwrap(), serde_json::json!({"status": "final"})).await.unwrap();
    let second: serde_json::Value = res.json().await.unwrap();
    assert_eq!(
        (second["shown_version"].as_i64(), second["versions"].as_array().unwrap().len()),
        (Some(2), 2)
    );
    let v1 = app.get_json_as(&format!("{path}/versions/1"), &coordinator).await;
    assert_eq!(v1["compilation"], fin["compilation"]);
    assert_eq!(v1["tables"], fin["tables"], "the tables of version 1, as they were");
    assert_eq!(app.get_json(&public).await["compilation"], fin["compilation"]);
    assert_eq!(
        app.req(Method::GET, &format!("{path}/versions/3"), Some(&coordinator))
            .send()
            .await
            .unwrap()
            .status(),
        404
    );
    assert_eq!(app.req(Method::GET, &path, None).send().await.unwrap().status(), 401);
}
