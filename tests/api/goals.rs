//! Goals pushed in from the styrkort system over HTTP, on both backends: a whole scorecard
//! and single goals by the styrkort system's ids, stored once however often they are pushed
//! (no new version, no audit event); goals left out archived, not deleted, and brought back
//! by pushing them again; a KPI's target set by one goal only per organisation and year;
//! the targets beside the KPI values; a report linking to a pushed goal; `If-Match` honoured
//! when sent; only `goals:write` tokens and coordinators push.

use reqwest::Method;
use serde_json::{Value, json};
use utblick_tests::{TestApp, assert_problem};

crate::on_both_backends!(a_scorecard_pushed_twice_is_stored_once, pushed_goals_are_checked_and_linked);

async fn put(app: &TestApp, path: &str, token: &str, body: &Value) -> reqwest::Response {
    app.req(Method::PUT, path, Some(token)).json(body).send().await.unwrap()
}

fn scorecard(org: i64) -> Value {
    json!({
        "name": "Barn- och utbildningsnämndens styrkort 2026",
        "owner": "Barn- och utbildningsnämnden",
        "organisation_id": org,
        "goals": [
            {"external_id": "BUN-M3", "title": "Fler elever deltar i internationella utbyten",
             "organisation_id": org, "kpi": "UTB0001", "targets": [{"year": 2027, "value": 12}, {"year": 2026, "value": 8}]},
            {"external_id": "BUN-M4", "title": "Skolan arbetar med Agenda 2030"}
        ]
    })
}

fn outcomes(v: &Value) -> Vec<(String, String)> {
    v["goals"]
        .as_array()
        .unwrap()
        .iter()
        .map(|g| (g["external_id"].as_str().unwrap().to_owned(), g["outcome"].as_str().unwrap().to_owned()))
        .collect()
}

fn pairs(v: &[(&str, &str)]) -> Vec<(String, String)> {
    v.iter().map(|(a, b)| ((*a).to_owned(), (*b).to_owned())).collect()
}

async fn a_scorecard_pushed_twice_is_stored_once(app: TestApp) {
    let org = app.create_organisation("Barn- och utbildningsförvaltningen");
    let admin = app.create_user("admin", None);
    let (_, key) = app.create_api_token("goals:write", admin.id);
    let path = "/api/v1/scorecards/BUN-2026";

    let res = put(&app, path, &key, &scorecard(org)).await;
    assert_eq!(res.status(), 201);
    let etag = res.headers()["etag"].to_str().unwrap().to_owned();
    let first: Value = res.json().await.unwrap();
    assert_eq!(outcomes(&first), pairs(&[("BUN-M3", "created"), ("BUN-M4", "created")]));
    let framework = first["framework_id"].as_i64().unwrap();
    let audited = app.audit_count();

    // The same again: stored once, no new version, nothing in the audit log.
    let res = put(&app, path, &key, &scorecard(org)).await;
    assert_eq!(res.status(), 200);
    assert_eq!(res.headers()["etag"].to_str().unwrap(), etag);
    let again: Value = res.json().await.unwrap();
    assert_eq!(outcomes(&again), pairs(&[("BUN-M3", "unchanged"), ("BUN-M4", "unchanged")]));
    assert_eq!(again["goals"][0]["id"], first["goals"][0]["id"], "the same goal, by Utblick's id");
    assert_eq!(app.audit_count(), audited);
    let listed = app.get_json(&format!("/api/v1/goals?framework_id={framework}&archived=all")).await;
    assert_eq!(listed["total"], 2, "{listed}");
    let m3 = &listed["items"][0];
    assert_eq!((m3["scorecard"].as_str(), m3["external_id"].as_str()), (Some("BUN-2026"), Some("BUN-M3")));
    assert_eq!(
        m3["targets"],
        json!([{"year": 2026, "value": 8.0}, {"year": 2027, "value": 12.0}]),
        "by year"
    );
    assert_eq!(m3["version"], 1);
    let framework_doc = app.get_json(&format!("/api/v1/frameworks/{framework}")).await;
    assert_eq!(framework_doc["code"], "styrkort-bun-2026");
    assert_eq!(framework_doc["external_id"], "BUN-2026");

    // One goal by itself: created once, then unchanged.
    let one = json!({"title": "Fler medarbetare i EU-projekt", "kpi": "UTB0006", "targets": [{"year": 2026, "value": 3}]});
    let goal_path = format!("{path}/goals/BUN-M5");
    let res = put(&app, &goal_path, &key, &one).await;
    assert_eq!(res.status(), 201);
    let m5: Value = res.json().await.unwrap();
    let res = put(&app, &goal_path, &key, &one).await;
    assert_eq!(res.status(), 200);
    assert_eq!(res.json::<Value>().await.unwrap()["version"], m5["version"]);
    assert_eq!(m5["number"], 3, "numbered after the scorecard's last");

    // The styrkort system drops BUN-M4 (and M5) from the scorecard: archived, not deleted.
    let mut fewer = scorecard(org);
    fewer["goals"].as_array_mut().unwrap().truncate(1);
    let res: Value = put(&app, path, &key, &fewer).await.json().await.unwrap();
    assert_eq!(
        outcomes(&res),
        pairs(&[("BUN-M3", "unchanged"), ("BUN-M4", "archived"), ("BUN-M5", "archived")])
    );
    let archived = app.get_json("/api/v1/goals?scorecard=BUN-2026&archived=true&sort=external_id").await;
    let ids: Vec<&str> =
        archived["items"].as_array().unwrap().iter().map(|g| g["external_id"].as_str().unwrap()).collect();
    assert_eq!(ids, ["BUN-M4", "BUN-M5"]);
    // Removing one that is archived changes nothing; pushing it again brings it back.
    let res = app.req(Method::DELETE, &goal_path, Some(&key)).send().await.unwrap();
    assert_eq!(res.status(), 200);
    assert!(res.json::<Value>().await.unwrap()["archived_at"].is_string());
    let res = put(&app, &goal_path, &key, &one).await;
    assert_eq!(res.status(), 200);
    assert!(res.json::<Value>().await.unwrap()["archived_at"].is_null(), "back");
    let actions: Vec<String> = app.audit_events().into_iter().map(|e| e.action).collect();
    for a in ["scorecard.created", "goal.created", "goal.archived", "goal.restored"] {
        assert!(actions.iter().any(|x| x == a), "{a} in {actions:?}");
    }

    // The targets stand beside the KPI values (the organisation's, for its year).
    let (_, kpi) = app.create_api_token("kpi:read", admin.id);
    utblick_db::reports::insert_reporting_year(
        &mut app.db.connect(),
        2026,
        chrono::NaiveDate::from_ymd_opt(2027, 2, 15).unwrap(),
        chrono::Utc::now().naive_utc(),
    )
    .unwrap();
    app.create_activity(org);
    let values = app
        .get_json_as(&format!("/api/v1/kpi-values?kpi_id=UTB0001&year=2026&organisation_id={org}"), &kpi)
        .await;
    assert_eq!(values[0]["target"], 8.0, "{values}");
    let whole = app.get_json_as("/api/v1/kpi-values?kpi_id=UTB0006&year=2026", &kpi).await;
    assert_eq!(whole[0]["target"], 3.0, "{whole}");
}

async fn pushed_goals_are_checked_and_linked(app: TestApp) {
    let org = app.create_organisation("Kultur- och fritidsförvaltningen");
    let admin = app.create_user("admin", None);
    let (_, key) = app.create_api_token("goals:write", admin.id);
    let (_, reader) = app.create_api_token("read", admin.id);
    let path = "/api/v1/scorecards/KFN";

    // Who may push: goals:write tokens and coordinators, not other tokens.
    assert_eq!(put(&app, path, &reader, &scorecard(org)).await.status(), 403);
    let coordinator = app.login(&app.create_user("coordinator", None)).await;
    assert_eq!(put(&app, path, &coordinator, &scorecard(org)).await.status(), 201);

    // Every bad field named, in the caller's language.
    let bad = json!({"name": "", "owner": "KFN", "goals": [
        {"external_id": "A", "title": "Mål", "kpi": "UTB9999", "targets": [{"year": 1999, "value": 1}]},
        {"title": "Utan id"},
        {"external_id": "A", "title": "Mål", "kpi": "UTB0009", "organisation_id": org}
    ]});
    let res = app
        .req(Method::PUT, path, Some(&key))
        .header("Accept-Language", "sv")
        .json(&bad)
        .send()
        .await
        .unwrap();
    // A goal of a batch without its id is not a scorecard's goal: the body is refused whole.
    assert_problem(res, 400, "invalid-json").await;
    let mut bad = bad;
    bad["goals"].as_array_mut().unwrap().remove(1);
    let res = app
        .req(Method::PUT, path, Some(&key))
        .header("Accept-Language", "sv")
        .json(&bad)
        .send()
        .await
        .unwrap();
    let p = assert_problem(res, 422, "validation-failed").await;
    let fields: Vec<&str> =
        p["errors"].as_array().unwrap().iter().map(|e| e["field"].as_str().unwrap()).collect();
    assert_eq!(
        fields,
        [
            "name",
            "goals[0].kpi",
            "goals[0].targets[0].year",
            "goals[1].organisation_id",
            "goals[1].external_id"
        ],
        "{p}"
    );
    assert!(p["errors"][1]["message"].as_str().unwrap().contains("nyckeltal"), "{p}");
    let res = put(&app, "/api/v1/scorecards/KFN/goals/X", &key, &json!({"title": "Mål"})).await;
    assert_eq!(res.status(), 201, "a goal of a scorecard that exists");
    let res = put(&app, "/api/v1/scorecards/nope/goals/X", &key, &json!({"title": "Mål"})).await;
    assert_problem(res, 404, "not-found").await;
    let res =
        put(&app, "/api/v1/scorecards/KFN/goals/X", &key, &json!({"external_id": "Y", "title": "Mål"})).await;
    assert_problem(res, 400, "invalid-json").await;
    let res = put(&app, "/api/v1/scorecards/K%20FN", &key, &scorecard(org)).await;
    assert_problem(res, 400, "invalid-parameter").await;

    // One target per KPI, organisation and year: a second goal setting BUN-M3's is refused.
    let clash = json!({"title": "Samma mål igen", "organisation_id": org, "kpi": "UTB0001", "targets": [{"year": 2026, "value": 1}]});
    let res = put(&app, "/api/v1/scorecards/KFN/goals/CLASH", &key, &clash).await;
    let p = assert_problem(res, 409, "state-conflict").await;
    assert_eq!(p["errors"][0]["code"], "target_taken", "{p}");
    let gone = app.get_json("/api/v1/goals?q=Samma%20m%C3%A5l").await;
    assert_eq!(gone["total"], 0, "nothing of the refused push is stored");

    // If-Match, when sent, must be the goal's version.
    let res = app
        .req(Method::PUT, "/api/v1/scorecards/KFN/goals/X", Some(&key))
        .header("If-Match", "\"7\"")
        .json(&json!({"title": "Ett annat mål"}))
        .send()
        .await
        .unwrap();
    assert_problem(res, 412, "precondition-failed").await;

    // A report links to a pushed goal by Utblick's id.
    let goals = app.get_json("/api/v1/goals?scorecard=KFN&sort=external_id").await;
    let goal_id = goals["items"][0]["id"].as_i64().unwrap();
    assert_eq!(goals["items"][0]["external_id"], "BUN-M3");
    let report = app.create_report(org, false);
    let version = app.version_of("report", report);
    let res = app
        .req(Method::PATCH, &format!("/api/v1/reports/{report}"), Some(&coordinator))
        .header("If-Match", format!("\"{version}\""))
        .json(&json!({"contributions": [{"goal_id": goal_id, "contribution": "Två utbyten med Tartu."}]}))
        .send()
        .await
        .unwrap();
    assert_eq!(res.status(), 200, "{}", res.text().await.unwrap());
    let r = app.get_json_as(&format!("/api/v1/reports/{report}"), &coordinator).await;
    assert_eq!(r["contributions"][0]["goal_id"], goal_id, "{r}");

    // Goals the styrkort system removes: not linked anew; where already named, kept.
    for removed in ["X", "BUN-M3"] {
        let res = app
            .req(Method::DELETE, &format!("/api/v1/scorecards/KFN/goals/{removed}"), Some(&key))
            .send()
            .await;
        assert_eq!(res.unwrap().status(), 200);
    }
    let x = app.get_json("/api/v1/goals?scorecard=KFN&archived=true&q=X").await["items"][0]["id"]
        .as_i64()
        .unwrap();
    let write = |version: i32, contributions: Value| {
        app.req(Method::PATCH, &format!("/api/v1/reports/{report}"), Some(&coordinator))
            .header("If-Match", format!("\"{version}\""))
            .json(&json!({"narrative": "Året.", "contributions": contributions}))
            .send()
    };
    let version = app.version_of("report", report);
    let kept = json!({"goal_id": goal_id, "contribution": "Två utbyten med Tartu."});
    let res = write(version, json!([kept, {"goal_id": x, "contribution": "Nytt"}])).await.unwrap();
    let p = assert_problem(res, 409, "state-conflict").await;
    assert_eq!(p["errors"][0]["field"], "contributions[1].goal_id", "{p}");
    let res = write(version, json!([kept])).await.unwrap();
    assert_eq!(res.status(), 200, "a goal removed after it was named stays named");
}
