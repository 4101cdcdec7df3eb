//! Collaborations over HTTP (rules 6 and 7): owned by one organisation, active only with
//! the council's decision, partners checked (ISO country, kind).

use reqwest::Method;
use utblick_tests::{TestApp, assert_problem};

crate::on_both_backends!(
    a_collaboration_becomes_active_only_with_the_council,
    partners_and_ownership_are_checked
);

fn body(owner: i64) -> serde_json::Value {
    serde_json::json!({
        "kind": "network_membership", "name": "Eurocities", "owner_organisation_id": owner,
        "purpose": "Omvärldsbevakning i europeiska städers nätverk",
        "partners": [{"name": "Eurocities", "country": "be", "kind": "network"}]
    })
}

async fn a_collaboration_becomes_active_only_with_the_council(app: TestApp) {
    let org = app.create_organisation("Kommunledningsförvaltningen");
    let c = app.create_user("coordinator", None);
    let t = app.login(&c).await;
    let res =
        app.req(Method::POST, "/api/v1/collaborations", Some(&t)).json(&body(org)).send().await.unwrap();
    assert_eq!(res.status(), 201);
    let created: serde_json::Value = res.json().await.unwrap();
    assert_eq!(created["status"], "proposed");
    assert_eq!(created["partners"][0]["country"], "BE");
    let id = created["id"].as_i64().unwrap();
    let status = |body: serde_json::Value| {
        let v = app.get_collaboration_version(id);
        app.req(Method::POST, &format!("/api/v1/collaborations/{id}/status"), Some(&t))
            .header("If-Match", format!("\"{v}\""))
            .json(&body)
            .send()
    };
    let without = status(serde_json::json!({"status": "active"})).await.unwrap();
    assert_eq!(assert_problem(without, 422, "validation-failed").await["errors"][0]["field"], "decision");
    let committee = app.create_decision("committee");
    let wrong = status(serde_json::json!({"status": "active", "decision_id": committee})).await.unwrap();
    assert_eq!(assert_problem(wrong, 422, "validation-failed").await["errors"][0]["field"], "decision.body");
    let council = app.create_decision("council");
    let ok = status(serde_json::json!({"status": "active", "decision_id": council})).await.unwrap();
    assert_eq!(ok.status(), 200);
    let active: serde_json::Value = ok.json().await.unwrap();
    assert_eq!(
        (active["status"].as_str(), active["status_decision_id"].as_i64()),
        (Some("active"), Some(council))
    );
    assert_eq!(
        status(serde_json::json!({"status": "ended"})).await.unwrap().status(),
        200,
        "ending needs no decision"
    );
}

async fn partners_and_ownership_are_checked(app: TestApp) {
    let own = app.create_organisation("Barn- och utbildningsförvaltningen");
    let other = app.create_organisation("Tranås Energi AB");
    let r = app.create_user("reporter", Some(own));
    let t = app.login(&r).await;
    assert_eq!(
        app.req(Method::POST, "/api/v1/collaborations", Some(&t))
            .json(&body(own))
            .send()
            .await
            .unwrap()
            .status(),
        201
    );
    let theirs =
        app.req(Method::POST, "/api/v1/collaborations", Some(&t)).json(&body(other)).send().await.unwrap();
    assert_problem(theirs, 403, "forbidden").await;
    let mut bad = body(own);
    bad["partners"] = serde_json::json!([{"name": "", "country": "Belgien", "kind": "klubb"}]);
    bad["representative_contact_id"] = serde_json::json!(999_999);
    let res = app.req(Method::POST, "/api/v1/collaborations", Some(&t)).json(&bad).send().await.unwrap();
    let p = assert_problem(res, 422, "validation-failed").await;
    let fields: Vec<&str> =
        p["errors"].as_array().unwrap().iter().map(|e| e["field"].as_str().unwrap()).collect();
    assert_eq!(fields, ["partners[0].name", "partners[0].country", "partners[0].kind"]);
    let mut rep = body(own);
    rep["representative_contact_id"] = serde_json::json!(999_999);
    let res = app.req(Method::POST, "/api/v1/collaborations", Some(&t)).json(&rep).send().await.unwrap();
    assert_eq!(
        assert_problem(res, 409, "state-conflict").await["errors"][0]["field"],
        "representative_contact_id"
    );
    let activate = app
        .req(Method::POST, "/api/v1/collaborations/1/status", Some(&t))
        .header("If-Match", "\"1\"")
        .json(&serde_json::json!({"status": "active", "decision_id": app.create_decision("council")}))
        .send()
        .await
        .unwrap();
    assert_problem(activate, 403, "forbidden").await;
    let list: serde_json::Value = app
        .req(
            Method::GET,
            &format!("/api/v1/collaborations?owner_organisation_id={own}&kind=network_membership"),
            Some(&t),
        )
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    assert_eq!(list["total"], 1);
}
