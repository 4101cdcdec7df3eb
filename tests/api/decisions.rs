//! The decisions register over HTTP: registration in the municipality's forms of registry
//! numbers, validation naming fields, If-Match, archive instead of delete, filters, search,
//! order, and the CSV and JSON exports.

use reqwest::Method;
use utblick_tests::{TestApp, assert_problem};

crate::on_both_backends!(
    decisions_are_registered_in_normal_form_and_bad_ones_are_named,
    decisions_are_edited_with_if_match_and_archived_not_deleted,
    lists_filter_search_and_sort,
    exports_are_csv_for_excel_and_json,
    twenty_concurrent_edits_of_a_decision_give_exactly_one_success,
    a_merge_patch_changes_what_it_names_and_null_clears,
);

/// `PATCH` is JSON Merge Patch (RFC 7396): one field sent, one field changed; `null` clears
/// an optional field; a required field cannot be cleared; both media types are accepted.
async fn a_merge_patch_changes_what_it_names_and_null_clears(app: TestApp) {
    let t = coordinator(&app).await;
    let mut body = decision("12", "KS 2024/12", "Vänortsavtal", "2024-02-02", "executive_board");
    body["link"] = serde_json::json!("https://diarium.tranas.se/12");
    let d: serde_json::Value = create(&app, &t, body).await.json().await.unwrap();
    let path = format!("/api/v1/decisions/{}", d["id"]);
    let patch = |etag: &str, ct: &str, b: &str| {
        app.req(Method::PATCH, &path, Some(&t))
            .header("If-Match", etag)
            .header("Content-Type", ct)
            .body(b.to_owned())
    };
    let res = patch("\"1\"", "application/merge-patch+json", r#"{"subject": "Vänortsavtal med Nowogard"}"#)
        .send()
        .await
        .unwrap();
    assert_eq!(res.status(), 200);
    let after: serde_json::Value = res.json().await.unwrap();
    assert_eq!(after["subject"], "Vänortsavtal med Nowogard");
    for unchanged in ["body", "decided_on", "paragraph", "diarienummer", "link"] {
        assert_eq!(after[unchanged], d[unchanged], "{unchanged} stays as it was");
    }
    let res = patch("\"2\"", "application/json", r#"{"link": null}"#).send().await.unwrap();
    assert_eq!(res.status(), 200);
    let cleared: serde_json::Value = res.json().await.unwrap();
    assert!(cleared["link"].is_null());
    assert_eq!(cleared["subject"], "Vänortsavtal med Nowogard");
    let p = assert_problem(
        patch("\"3\"", "application/json", r#"{"subject": null}"#).send().await.unwrap(),
        422,
        "validation-failed",
    )
    .await;
    assert_eq!(p["errors"][0]["field"], "subject");
    let p = assert_problem(
        patch("\"3\"", "application/json", r#"{"colour": "blue"}"#).send().await.unwrap(),
        422,
        "validation-failed",
    )
    .await;
    assert_eq!(p["errors"][0]["field"], "colour");
    assert_problem(patch("\"3\"", "application/json", "[1]").send().await.unwrap(), 422, "validation-failed")
        .await;
    let audit: serde_json::Value = app
        .req(
            Method::GET,
            &format!("/api/v1/audit-events?entity_type=decision&entity_id={}", d["id"]),
            Some(&app.login(&app.create_user("admin", None)).await),
        )
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    let first_edit =
        audit["items"].as_array().unwrap().iter().find(|e| e["action"] == "decision.updated").unwrap();
    let changed: Vec<&String> = first_edit["changes"].as_object().unwrap().keys().collect();
    assert!(changed.len() == 1, "one field changed, one field in the audit log: {changed:?}");
}

async fn twenty_concurrent_edits_of_a_decision_give_exactly_one_success(app: TestApp) {
    let t = coordinator(&app).await;
    let d: serde_json::Value =
        create(&app, &t, decision("9", "KF 2025/9", "Vänort", "2025-03-03", "council"))
            .await
            .json()
            .await
            .unwrap();
    let path = format!("/api/v1/decisions/{}", d["id"]);
    let mut handles = Vec::new();
    for i in 0..20 {
        let req = app.req(Method::PATCH, &path, Some(&t)).header("If-Match", "\"1\"").json(&decision(
            "9",
            "KF 2025/9",
            &format!("Vänort, version {i}"),
            "2025-03-03",
            "council",
        ));
        handles.push(tokio::spawn(async move { req.send().await.unwrap().status().as_u16() }));
    }
    let mut statuses = Vec::new();
    for h in handles {
        statuses.push(h.await.unwrap());
    }
    assert_eq!(statuses.iter().filter(|s| **s == 200).count(), 1, "{statuses:?}");
    assert_eq!(statuses.iter().filter(|s| **s == 412).count(), 19, "{statuses:?}");
    let got: serde_json::Value =
        app.req(Method::GET, &path, Some(&t)).send().await.unwrap().json().await.unwrap();
    assert_eq!(got["version"], 2, "exactly one edit landed");
}

async fn coordinator(app: &TestApp) -> String {
    let c = app.create_user("coordinator", None);
    app.login(&c).await
}

async fn create(app: &TestApp, t: &str, body: serde_json::Value) -> reqwest::Response {
    app.req(Method::POST, "/api/v1/decisions", Some(t)).json(&body).send().await.unwrap()
}

fn decision(paragraph: &str, dnr: &str, subject: &str, date: &str, body: &str) -> serde_json::Value {
    serde_json::json!({"body": body, "decided_on": date, "paragraph": paragraph, "diarienummer": dnr, "subject": subject})
}

async fn decisions_are_registered_in_normal_form_and_bad_ones_are_named(app: TestApp) {
    let t = coordinator(&app).await;
    let res = create(
        &app,
        &t,
        decision("§ 45", "ks 2016.20", "Antagande av program", "2016-04-23", "executive_board"),
    )
    .await;
    assert_eq!(res.status(), 201);
    assert_eq!(res.headers()["etag"], "\"1\"");
    let d: serde_json::Value = res.json().await.unwrap();
    assert_eq!(d["diarienummer"], "ks 2016.20", "shown exactly as registered");
    assert_eq!(d["diarienummer_normal"], "KS 2016/20", "matched in its normal form");
    assert_eq!(d["paragraph"], "45");
    let dup =
        create(&app, &t, decision("45", "KS 2016/20", "Samma paragraf", "2016-04-23", "executive_board"))
            .await;
    assert_problem(dup, 409, "conflict").await;
    let bad = create(
        &app,
        &t,
        serde_json::json!({"body": "council", "decided_on": "2016-04-23", "paragraph": "fyrtiofem", "diarienummer": "tjugo", "subject": "", "link": "ftp://x"}),
    )
    .await;
    let p = assert_problem(bad, 422, "validation-failed").await;
    let fields: Vec<&str> =
        p["errors"].as_array().unwrap().iter().map(|e| e["field"].as_str().unwrap()).collect();
    assert_eq!(fields, ["paragraph", "diarienummer", "subject", "link"]);
    let wrong_type = create(&app, &t, serde_json::json!({"body": "mayor", "decided_on": "2016-04-23"})).await;
    assert_problem(wrong_type, 400, "invalid-json").await;
}

async fn decisions_are_edited_with_if_match_and_archived_not_deleted(app: TestApp) {
    let t = coordinator(&app).await;
    let d: serde_json::Value =
        create(&app, &t, decision("12", "KF 2025/3", "Vänort", "2025-02-10", "council"))
            .await
            .json()
            .await
            .unwrap();
    let path = format!("/api/v1/decisions/{}", d["id"]);
    let edit = decision("12", "KF 2025/3", "Vänort i Polen", "2025-02-10", "council");
    let none = app.req(Method::PATCH, &path, Some(&t)).json(&edit).send().await.unwrap();
    assert_problem(none, 428, "precondition-required").await;
    let ok =
        app.req(Method::PATCH, &path, Some(&t)).header("If-Match", "\"1\"").json(&edit).send().await.unwrap();
    assert_eq!(ok.status(), 200);
    assert_eq!(ok.headers()["etag"], "\"2\"");
    let stale =
        app.req(Method::PATCH, &path, Some(&t)).header("If-Match", "\"1\"").json(&edit).send().await.unwrap();
    assert_problem(stale, 412, "precondition-failed").await;
    let got: serde_json::Value =
        app.req(Method::GET, &path, Some(&t)).send().await.unwrap().json().await.unwrap();
    assert_eq!(got["subject"], "Vänort i Polen", "the stale edit lost nothing");
    let archived = app
        .req(Method::POST, &format!("{path}/archive"), Some(&t))
        .header("If-Match", "\"2\"")
        .send()
        .await
        .unwrap();
    assert_eq!(archived.status(), 200);
    let list: serde_json::Value =
        app.req(Method::GET, "/api/v1/decisions", Some(&t)).send().await.unwrap().json().await.unwrap();
    assert_eq!(list["total"], 0, "archived decisions are hidden by default");
    let list: serde_json::Value = app
        .req(Method::GET, "/api/v1/decisions?archived=true", Some(&t))
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    assert_eq!(list["total"], 1, "and listed on request");
    assert_eq!(app.req(Method::GET, &path, Some(&t)).send().await.unwrap().status(), 200, "still readable");
    let restored = app
        .req(Method::POST, &format!("{path}/archive?restore=true"), Some(&t))
        .header("If-Match", "\"3\"")
        .send()
        .await
        .unwrap();
    assert_eq!(restored.status(), 200);
    let actions: Vec<String> = app.audit_events().into_iter().map(|e| e.action).take(4).collect();
    assert_eq!(actions, ["decision.restored", "decision.archived", "decision.updated", "decision.created"]);
    assert!(
        app.audit_events()[2].changes.contains("Vänort i Polen"),
        "the audit event holds before and after"
    );
}

async fn lists_filter_search_and_sort(app: TestApp) {
    let t = coordinator(&app).await;
    for (p, dnr, subject, date, body) in [
        ("1", "KF 2020/1", "Vänort i Polen", "2020-01-15", "council"),
        (
            "2",
            "KS 2021/2",
            "ÖVERGRIPANDE program för internationellt arbete",
            "2021-03-01",
            "executive_board",
        ),
        ("3", "KF 2022/3", "Samarbete med Eurocities", "2022-06-30", "council"),
        ("4", "KF 2023/4", "100%_rabatt", "2023-01-01", "council"),
    ] {
        assert_eq!(create(&app, &t, decision(p, dnr, subject, date, body)).await.status(), 201);
    }
    let get = |q: &'static str| {
        let t = t.clone();
        let app = &app;
        async move {
            let res = app.req(Method::GET, &format!("/api/v1/decisions?{q}"), Some(&t)).send().await.unwrap();
            assert_eq!(res.status(), 200, "{q}");
            let v: serde_json::Value = res.json().await.unwrap();
            v["items"]
                .as_array()
                .unwrap()
                .iter()
                .map(|d| d["paragraph"].as_str().unwrap().to_owned())
                .collect::<Vec<_>>()
        }
    };
    assert_eq!(get("").await, ["4", "3", "2", "1"], "newest first");
    assert_eq!(get("sort=decided_on").await, ["1", "2", "3", "4"]);
    assert_eq!(get("body=council").await, ["4", "3", "1"]);
    assert_eq!(get("q=V%C3%84NORT").await, ["1"], "case-insensitive, Swedish letters");
    assert_eq!(get("q=%C3%B6vergripande").await, ["2"], "upper-case Å, Ä, Ö in the data are found too");
    assert_eq!(get("sort=subject").await, ["4", "3", "1", "2"], "by subject, code-point order");
    assert_eq!(get("sort=-diarienummer").await, ["2", "4", "3", "1"]);
    assert_eq!(get("q=2021").await, ["2"], "the registry number is searched too");
    assert_eq!(get("q=%25").await, ["4"], "% is a character, not a wildcard");
    assert_eq!(get("from=2021-01-01&to=2022-12-31").await, ["3", "2"]);
    assert_eq!(get("per_page=2&page=2").await, ["2", "1"]);
    for (q, field) in [
        ("body=mayor", "body"),
        ("archived=maybe", "archived"),
        ("from=2021-13-01", "from"),
        ("sort=town", "sort"),
        ("format=xml", "format"),
    ] {
        let res = app.req(Method::GET, &format!("/api/v1/decisions?{q}"), Some(&t)).send().await.unwrap();
        assert_eq!(assert_problem(res, 400, "invalid-parameter").await["errors"][0]["field"], field, "{q}");
    }
}

async fn exports_are_csv_for_excel_and_json(app: TestApp) {
    let t = coordinator(&app).await;
    create(
        &app,
        &t,
        decision("7", "KF 2024/7", "=HYPERLINK(\"http://x\";\"klicka\")", "2024-05-05", "council"),
    )
    .await;
    create(&app, &t, decision("8", "KF 2024/8", "Tranås; vänort", "2024-05-06", "council")).await;
    let res = app.req(Method::GET, "/api/v1/decisions?format=csv", Some(&t)).send().await.unwrap();
    assert_eq!(res.status(), 200);
    assert_eq!(res.headers()["content-type"], "text/csv; charset=utf-8");
    assert!(res.headers()["content-disposition"].to_str().unwrap().contains("beslut.csv"));
    let bytes = res.bytes().await.unwrap();
    assert_eq!(&bytes[..3], b"\xef\xbb\xbf", "a UTF-8 BOM, so Excel reads å, ä, ö");
    let text = String::from_utf8(bytes[3..].to_vec()).unwrap();
    let lines: Vec<&str> = text.split("\r\n").collect();
    assert_eq!(lines[0], "id;body;decided_on;paragraph;diarienummer;subject;link;archived_at");
    assert!(lines[1].contains(";\"Tranås; vänort\";"), "{}", lines[1]);
    assert!(
        lines[2].contains(";\"'=HYPERLINK(\"\"http://x\"\";\"\"klicka\"\")\";"),
        "formula neutralised: {}",
        lines[2]
    );
    let by_accept = app
        .req(Method::GET, "/api/v1/decisions", Some(&t))
        .header("Accept", "text/csv")
        .send()
        .await
        .unwrap();
    assert_eq!(by_accept.headers()["content-type"], "text/csv; charset=utf-8");
    let json: serde_json::Value = app
        .req(Method::GET, "/api/v1/decisions?format=json&per_page=1", Some(&t))
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    assert_eq!(json["items"].as_array().unwrap().len(), 2, "an export holds every match, not a page");
    assert_eq!(json["total"], 2);
}
