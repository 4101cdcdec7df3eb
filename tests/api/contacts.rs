//! The contact network over HTTP (rule 7): personal data for signed-in people only,
//! reporters edit their own organisation's contacts and are refused another's, erasure
//! anonymises and keeps the history.

use reqwest::Method;
use utblick_tests::{TestApp, assert_problem};

crate::on_both_backends!(
    reporters_edit_their_own_organisations_contacts_only,
    contacts_are_personal_data_for_signed_in_people_only,
    erasure_anonymises_and_keeps_the_history,
);

fn body(org: i64, name: &str) -> serde_json::Value {
    serde_json::json!({"organisation_id": org, "name": name, "email": "Anna.Berg@Tranas.se", "phone": "0140-681 00", "network_role": "Kontaktperson"})
}

async fn reporters_edit_their_own_organisations_contacts_only(app: TestApp) {
    let own = app.create_organisation("Kultur- och fritidsförvaltningen");
    let other = app.create_organisation("Tranås Energi AB");
    let r = app.create_user("reporter", Some(own));
    let t = app.login(&r).await;
    let res = app
        .req(Method::POST, "/api/v1/contacts", Some(&t))
        .json(&body(own, "Anna Berg"))
        .send()
        .await
        .unwrap();
    assert_eq!(res.status(), 201);
    let c: serde_json::Value = res.json().await.unwrap();
    assert_eq!(c["email"], "anna.berg@tranas.se");
    let id = c["id"].as_i64().unwrap();
    let edit = app
        .req(Method::PATCH, &format!("/api/v1/contacts/{id}"), Some(&t))
        .header("If-Match", "\"1\"")
        .json(&body(own, "Anna Berg-Lind"))
        .send()
        .await
        .unwrap();
    assert_eq!(edit.status(), 200);
    let theirs = app.create_contact(other, "Bo Ek");
    let refused = app
        .req(Method::PATCH, &format!("/api/v1/contacts/{theirs}"), Some(&t))
        .header("If-Match", "\"1\"")
        .json(&body(own, "Bo Ek"))
        .send()
        .await
        .unwrap();
    assert_problem(refused, 403, "forbidden").await;
    let moved = app
        .req(Method::PATCH, &format!("/api/v1/contacts/{id}"), Some(&t))
        .header("If-Match", "\"2\"")
        .json(&body(other, "Anna Berg-Lind"))
        .send()
        .await
        .unwrap();
    assert_problem(moved, 403, "forbidden").await;
    let into_other =
        app.req(Method::POST, "/api/v1/contacts", Some(&t)).json(&body(other, "X")).send().await.unwrap();
    assert_problem(into_other, 403, "forbidden").await;
    let bad = app
        .req(Method::POST, "/api/v1/contacts", Some(&t))
        .json(&serde_json::json!({"organisation_id": own, "name": "", "email": "nej", "phone": "ring"}))
        .send()
        .await
        .unwrap();
    let p = assert_problem(bad, 422, "validation-failed").await;
    let fields: Vec<&str> =
        p["errors"].as_array().unwrap().iter().map(|e| e["field"].as_str().unwrap()).collect();
    assert_eq!(fields, ["name", "email", "phone"]);
    let event = app.audit_events().into_iter().find(|e| e.action == "contact.updated").unwrap();
    assert!(!event.changes.contains("Anna"), "the audit log names changed fields, not the personal data");
    assert!(event.changes.contains("name"));
}

async fn contacts_are_personal_data_for_signed_in_people_only(app: TestApp) {
    let org = app.create_organisation("Miljö- och byggförvaltningen");
    let id = app.create_contact(org, "Cecilia Ström");
    assert_problem(app.get("/api/v1/contacts").await, 401, "unauthenticated").await;
    assert_problem(app.get(&format!("/api/v1/contacts/{id}")).await, 401, "unauthenticated").await;
    let admin = app.create_user("admin", None);
    let (_, token) = app.create_api_token("read,export", admin.id);
    assert_problem(
        app.req(Method::GET, "/api/v1/contacts", Some(&token)).send().await.unwrap(),
        403,
        "forbidden",
    )
    .await;
    let reader = app.create_user("reader", None);
    let t = app.login(&reader).await;
    let list: serde_json::Value = app
        .req(Method::GET, &format!("/api/v1/contacts?organisation_id={org}"), Some(&t))
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    assert_eq!(list["items"][0]["name"], "Cecilia Ström");
}

async fn erasure_anonymises_and_keeps_the_history(app: TestApp) {
    let org = app.create_organisation("Socialförvaltningen");
    let id = app.create_contact(org, "David Nord");
    let c = app.create_user("coordinator", None);
    let t = app.login(&c).await;
    let res = app
        .req(Method::POST, &format!("/api/v1/contacts/{id}/erase"), Some(&t))
        .header("If-Match", "\"1\"")
        .send()
        .await
        .unwrap();
    assert_eq!(res.status(), 200);
    let erased: serde_json::Value = res.json().await.unwrap();
    assert_eq!(erased["name"], format!("Borttagen person {id}"));
    assert!(erased["email"].is_null() && erased["phone"].is_null());
    assert!(erased["erased_at"].is_string());
    assert_eq!(erased["organisation_id"], org, "the row and its links stay");
    let audit: serde_json::Value = app
        .req(Method::GET, &format!("/api/v1/audit-events?entity_type=contact&entity_id={id}"), Some(&t))
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    assert_eq!(audit["items"][0]["action"], "contact.erased");
    let edit = app
        .req(Method::PATCH, &format!("/api/v1/contacts/{id}"), Some(&t))
        .header("If-Match", "\"2\"")
        .json(&body(org, "David Nord"))
        .send()
        .await
        .unwrap();
    assert_problem(edit, 409, "state-conflict").await;
}
