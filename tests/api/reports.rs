//! The annual report over HTTP: a coordinator opens a year; the organisation's report shows
//! the figures summed from its activities; a reporter corrects one (both values kept) and
//! hands it in; a handed-in report refuses every edit in the caller's language; the
//! coordinator returns it with a comment and approves the second version; both versions stay
//! readable as frozen.

use reqwest::Method;
use utblick_tests::{TestApp, assert_problem};

crate::on_both_backends!(an_annual_report_goes_from_draft_to_approved_and_its_versions_stay);

async fn an_annual_report_goes_from_draft_to_approved_and_its_versions_stay(app: TestApp) {
    let own = app.create_organisation("Barn- och utbildningsförvaltningen");
    let other = app.create_organisation("Tranås Energi AB");
    let reporter = app.login(&app.create_user("reporter", Some(own))).await;
    let stranger = app.login(&app.create_user("reporter", Some(other))).await;
    let coordinator = app.login(&app.create_user("coordinator", None)).await;
    let activity = serde_json::json!({
        "title": "Studiebesök i Lyngby", "kind": "study_visit", "organisation_id": own,
        "starts_on": "2026-05-12", "countries": ["DK"], "organiser": "region", "women": 2, "men": 1,
        "total": 3, "hours": 2_400, "own_cost": 1_500_000, "external_cost": 0, "representatives": []
    });
    let res =
        app.req(Method::POST, "/api/v1/activities", Some(&reporter)).json(&activity).send().await.unwrap();
    assert_eq!(res.status(), 201);

    let open = |token: &str, body: serde_json::Value| {
        app.req(Method::POST, "/api/v1/reporting-years", Some(token)).json(&body).send()
    };
    let year = serde_json::json!({"year": 2026, "deadline": "2027-02-15"});
    assert_problem(open(&reporter, year.clone()).await.unwrap(), 403, "forbidden").await;
    let wrong =
        open(&coordinator, serde_json::json!({"year": 2026, "deadline": "2029-01-01"})).await.unwrap();
    let p = assert_problem(wrong, 422, "validation-failed").await;
    assert_eq!(p["errors"][0]["field"], "deadline");
    let res = open(&coordinator, year.clone()).await.unwrap();
    assert_eq!(res.status(), 201);
    let opened: serde_json::Value = res.json().await.unwrap();
    let names: Vec<&str> =
        opened["reports"].as_array().unwrap().iter().map(|r| r["organisation"].as_str().unwrap()).collect();
    assert_eq!(names, ["Barn- och utbildningsförvaltningen", "Tranås Energi AB"]);
    assert_problem(open(&coordinator, year).await.unwrap(), 409, "state-conflict").await;
    let years = app.get_json_as("/api/v1/reporting-years", &reporter).await;
    assert_eq!(years[0]["year"], 2026);

    let id = opened["reports"][0]["id"].as_i64().unwrap();
    let path = format!("/api/v1/reports/{id}");
    let report = app.get_json_as(&path, &reporter).await;
    assert_eq!(report["status"], "draft");
    assert_eq!(report["can"]["edit"], true);
    assert_eq!(report["figures"]["total"]["activities"], 1);
    assert_eq!(report["figures"]["total"]["hours"], 2_400);
    let hours = |r: &serde_json::Value| {
        r["figures"]["figures"].as_array().unwrap().iter().find(|f| f["figure"] == "hours").unwrap().clone()
    };
    assert_eq!(hours(&report), serde_json::json!({"figure": "hours", "computed": 2_400, "reported": 2_400}));

    let patch = |token: &str, version: i64, body: serde_json::Value| {
        app.req(Method::PATCH, &path, Some(token))
            .header("If-Match", format!("\"{version}\""))
            .header("Accept-Language", "sv")
            .json(&body)
            .send()
    };
    let text = serde_json::json!({
        "narrative": "Ett studiebesök i Lyngby om digitalt lärande.",
        "corrections": [{"figure": "hours", "corrected": 3_200, "reason": "Resdagarna saknades."}]
    });
    assert_problem(patch(&stranger, 1, text.clone()).await.unwrap(), 403, "forbidden").await;
    let res = patch(&reporter, 1, text.clone()).await.unwrap();
    assert_eq!(res.status(), 200);
    let written: serde_json::Value = res.json().await.unwrap();
    assert_eq!(written["corrections"][0]["computed"], 2_400);
    assert_eq!(hours(&written)["reported"], 3_200);
    assert_problem(patch(&reporter, 1, text.clone()).await.unwrap(), 412, "precondition-failed").await;

    let step = |token: &str, version: i64, body: serde_json::Value| {
        app.req(Method::POST, &format!("{path}/status"), Some(token))
            .header("If-Match", format!("\"{version}\""))
            .header("Accept-Language", "sv")
            .json(&body)
            .send()
    };
    let v = written["version"].as_i64().unwrap();
    let res = step(&reporter, v, serde_json::json!({"status": "submitted"})).await.unwrap();
    assert_eq!(res.status(), 200);
    let submitted: serde_json::Value = res.json().await.unwrap();
    assert_eq!(
        (submitted["status"].as_str(), submitted["can"]["edit"].as_bool()),
        (Some("submitted"), Some(false))
    );
    assert_eq!(submitted["versions"].as_array().unwrap().len(), 1);
    let v = submitted["version"].as_i64().unwrap();
    let p = assert_problem(patch(&reporter, v, text.clone()).await.unwrap(), 409, "state-conflict").await;
    assert_eq!(p["errors"][0]["code"], "report_frozen");
    assert!(p["errors"][0]["message"].as_str().unwrap().contains("allmän handling"), "{p}");
    assert_problem(
        step(&reporter, v, serde_json::json!({"status": "approved"})).await.unwrap(),
        403,
        "forbidden",
    )
    .await;
    let p = assert_problem(
        step(&coordinator, v, serde_json::json!({"status": "returned"})).await.unwrap(),
        422,
        "validation-failed",
    )
    .await;
    assert_eq!(p["errors"][0]["field"], "comment");
    let res =
        step(&coordinator, v, serde_json::json!({"status": "returned", "comment": "Lägg till resultatet."}))
            .await
            .unwrap();
    assert_eq!(res.status(), 200);
    let returned: serde_json::Value = res.json().await.unwrap();
    assert_eq!(returned["comment"], "Lägg till resultatet.");

    let mut again = text;
    again["narrative"] = "Ett studiebesök i Lyngby; två skolor börjar ett utbyte.".into();
    let res = patch(&reporter, returned["version"].as_i64().unwrap(), again).await.unwrap();
    assert_eq!(res.status(), 200);
    let rewritten: serde_json::Value = res.json().await.unwrap();
    let res =
        step(&reporter, rewritten["version"].as_i64().unwrap(), serde_json::json!({"status": "submitted"}))
            .await
            .unwrap();
    let resubmitted: serde_json::Value = res.json().await.unwrap();
    let res = step(
        &coordinator,
        resubmitted["version"].as_i64().unwrap(),
        serde_json::json!({"status": "approved"}),
    )
    .await
    .unwrap();
    assert_eq!(res.status(), 200);
    let approved: serde_json::Value = res.json().await.unwrap();
    assert_eq!(approved["status"], "approved");
    assert_eq!(approved["versions"].as_array().unwrap().len(), 2);

    let first = app.get_json_as(&format!("{path}/versions/1"), &stranger).await;
    let second = app.get_json_as(&format!("{path}/versions/2"), &stranger).await;
    assert_eq!(first["narrative"], "Ett studiebesök i Lyngby om digitalt lärande.");
    assert_eq!(second["narrative"], "Ett studiebesök i Lyngby; två skolor börjar ett utbyte.");
    assert_eq!(first["figures"]["hours"], serde_json::json!({"computed": 2_400, "reported": 3_200}));
    assert_eq!(first["number"], 1);
    let missing = app.req(Method::GET, &format!("{path}/versions/3"), Some(&stranger)).send().await.unwrap();
    assert_problem(missing, 404, "not-found").await;
    let overview = app.get_json_as(&format!("/api/v1/reporting-years/{}", opened["id"]), &coordinator).await;
    assert_eq!(overview["reports"][0]["status"], "approved");
    assert_eq!(overview["reports"][1]["status"], "draft");
}
