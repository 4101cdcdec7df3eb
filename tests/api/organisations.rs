//! The organisation register over HTTP (rule 7): departments under their organisation,
//! external ids for the styrkort system, deactivation instead of deletion.

use reqwest::Method;
use utblick_tests::{TestApp, assert_problem};

crate::on_both_backends!(departments_external_ids_and_deactivation, a_patch_with_one_field_changes_one_field);

/// JSON Merge Patch: renaming sends the name only; `active` and everything else stay, and
/// `null` clears the external id.
async fn a_patch_with_one_field_changes_one_field(app: TestApp) {
    let t = app.login(&app.create_user("coordinator", None)).await;
    let res = app
        .req(Method::POST, "/api/v1/organisations", Some(&t))
        .json(&serde_json::json!({"name": "Kultur och fritid", "kind": "administration", "external_id": "FV-KOF"}))
        .send()
        .await
        .unwrap();
    let org: serde_json::Value = res.json().await.unwrap();
    let path = format!("/api/v1/organisations/{}", org["id"]);
    let res = app
        .req(Method::PATCH, &path, Some(&t))
        .header("If-Match", "\"1\"")
        .header("Content-Type", "application/merge-patch+json")
        .body(r#"{"name": "Kultur- och fritidsförvaltningen"}"#)
        .send()
        .await
        .unwrap();
    assert_eq!(res.status(), 200);
    let after: serde_json::Value = res.json().await.unwrap();
    assert_eq!(after["name"], "Kultur- och fritidsförvaltningen");
    assert_eq!(
        (after["active"].clone(), after["external_id"].clone(), after["kind"].clone()),
        (org["active"].clone(), org["external_id"].clone(), org["kind"].clone())
    );
    let res = app
        .req(Method::PATCH, &path, Some(&t))
        .header("If-Match", "\"2\"")
        .json(&serde_json::json!({"external_id": null}))
        .send()
        .await
        .unwrap();
    assert_eq!(res.status(), 200);
    let cleared: serde_json::Value = res.json().await.unwrap();
    assert!(cleared["external_id"].is_null());
    assert_eq!(cleared["name"], "Kultur- och fritidsförvaltningen");
}

async fn departments_external_ids_and_deactivation(app: TestApp) {
    let c = app.create_user("coordinator", None);
    let t = app.login(&c).await;
    let create =
        |body: serde_json::Value| app.req(Method::POST, "/api/v1/organisations", Some(&t)).json(&body).send();
    let res = create(serde_json::json!({"name": "Barn- och utbildningsförvaltningen", "kind": "administration", "external_id": "FV-BUF"})).await.unwrap();
    assert_eq!(res.status(), 201);
    assert_eq!(res.headers()["etag"], "\"1\"");
    let buf: serde_json::Value = res.json().await.unwrap();
    let buf_id = buf["id"].as_i64().unwrap();
    let dept =
        create(serde_json::json!({"name": "Grundskolan", "kind": "administration", "parent_id": buf_id}))
            .await
            .unwrap();
    assert_eq!(dept.status(), 201);
    let dept: serde_json::Value = dept.json().await.unwrap();
    assert_eq!(dept["parent_id"], buf_id);
    let dup = create(serde_json::json!({"name": "Annan", "kind": "company", "external_id": "FV-BUF"}))
        .await
        .unwrap();
    assert_problem(dup, 409, "conflict").await;
    let bad = create(serde_json::json!({"name": "", "kind": "company", "external_id": "ogiltigt id!", "parent_id": 999_999})).await.unwrap();
    let p = assert_problem(bad, 422, "validation-failed").await;
    let fields: Vec<&str> =
        p["errors"].as_array().unwrap().iter().map(|e| e["field"].as_str().unwrap()).collect();
    assert_eq!(fields, ["name", "external_id"]);
    let orphan = create(serde_json::json!({"name": "Föräldralös", "kind": "company", "parent_id": 999_999}))
        .await
        .unwrap();
    assert_eq!(assert_problem(orphan, 409, "state-conflict").await["errors"][0]["field"], "parent_id");

    let path = format!("/api/v1/organisations/{buf_id}");
    let cycle = app
        .req(Method::PATCH, &path, Some(&t))
        .header("If-Match", "\"1\"")
        .json(&serde_json::json!({"name": "Barn- och utbildningsförvaltningen", "kind": "administration", "parent_id": dept["id"], "active": true}))
        .send()
        .await
        .unwrap();
    assert_eq!(assert_problem(cycle, 409, "state-conflict").await["errors"][0]["field"], "parent_id");
    let off = app
        .req(Method::PATCH, &path, Some(&t))
        .header("If-Match", "\"1\"")
        .json(&serde_json::json!({"name": "Barn- och utbildningsförvaltningen", "kind": "administration", "external_id": "FV-BUF", "active": false}))
        .send()
        .await
        .unwrap();
    assert_eq!(off.status(), 200);
    assert_eq!(off.headers()["etag"], "\"2\"");
    let stale = app
        .req(Method::PATCH, &path, Some(&t))
        .header("If-Match", "\"1\"")
        .json(&serde_json::json!({"name": "X", "kind": "administration", "active": true}))
        .send()
        .await
        .unwrap();
    assert_problem(stale, 412, "precondition-failed").await;
    let got: serde_json::Value =
        app.req(Method::GET, &path, Some(&t)).send().await.unwrap().json().await.unwrap();
    assert_eq!(
        (got["active"].as_bool(), got["name"].as_str()),
        (Some(false), Some("Barn- och utbildningsförvaltningen"))
    );
    let contact = app
        .req(Method::POST, "/api/v1/contacts", Some(&t))
        .json(&serde_json::json!({"organisation_id": buf_id, "name": "Ny person"}))
        .send()
        .await
        .unwrap();
    assert_eq!(
        assert_problem(contact, 409, "state-conflict").await["errors"][0]["field"],
        "organisation_id",
        "an inactive organisation takes no new data"
    );
    let event = app.audit_events().into_iter().find(|e| e.action == "organisation.updated").unwrap();
    let changes: serde_json::Value = serde_json::from_str(&event.changes).unwrap();
    assert_eq!(changes["active"], serde_json::json!({"before": true, "after": false}), "{}", event.changes);
}
