//! The programme's life over HTTP (rules 1–3): a new version from the adopted one, edits
//! to its priority areas while it is a draft, adoption with the executive board's
//! decision superseding the old version, which stays readable and unchanged; drafts are
//! not public; revision due dates.

use reqwest::Method;
use utblick_tests::{TestApp, assert_problem};

crate::on_both_backends!(
    a_new_version_is_edited_adopted_and_supersedes_the_old_one,
    adoption_needs_the_executive_board_and_a_draft,
    drafts_are_not_public,
    a_new_document_starts_as_a_draft_and_its_revision_follows_the_election_cycle,
    frameworks_are_added_as_data_and_linked_to_drafts,
);

async fn frameworks_are_added_as_data_and_linked_to_drafts(app: TestApp) {
    let c = app.create_user("coordinator", None);
    let t = app.login(&c).await;
    let goals: Vec<serde_json::Value> =
        (1..=17).map(|i| serde_json::json!({"title": format!("Mål {i}")})).collect();
    let res = app
        .req(Method::POST, "/api/v1/frameworks", Some(&t))
        .json(&serde_json::json!({"code": "agenda-2030", "name": "Agenda 2030", "owner": "Förenta nationerna", "adopted_year": 2015, "goals": goals}))
        .send()
        .await
        .unwrap();
    let (fw, _) = json(res, 201).await;
    assert_eq!(fw["goal_count"], 17);
    assert_eq!(fw["goals"][16]["number"], 17);
    let dup = app
        .req(Method::POST, "/api/v1/frameworks", Some(&t))
        .json(&serde_json::json!({"code": "agenda-2030", "name": "Igen", "owner": "FN", "goals": []}))
        .send()
        .await
        .unwrap();
    assert_problem(dup, 409, "conflict").await;
    let draft = app.create_programme("draft");
    let link = |v: String, framework: i64| {
        app.req(Method::POST, &format!("/api/v1/programmes/{draft}/frameworks"), Some(&t))
            .header("If-Match", v)
            .json(&serde_json::json!({"framework_id": framework, "relation": "Programmet bidrar till de globala målen."}))
            .send()
    };
    let res = link(format!("\"{}\"", app.get_programme_row_version(draft)), fw["id"].as_i64().unwrap())
        .await
        .unwrap();
    let (linked, _) = json(res, 200).await;
    assert_eq!(linked["frameworks"][0]["code"], "agenda-2030");
    let again = link(format!("\"{}\"", app.get_programme_row_version(draft)), fw["id"].as_i64().unwrap())
        .await
        .unwrap();
    assert_problem(again, 409, "conflict").await;
    let missing = link(format!("\"{}\"", app.get_programme_row_version(draft)), 999_999).await.unwrap();
    assert_eq!(assert_problem(missing, 409, "state-conflict").await["errors"][0]["field"], "framework_id");
    let seed = seed_id(&app).await;
    let frozen = app
        .req(Method::POST, &format!("/api/v1/programmes/{seed}/frameworks"), Some(&t))
        .header("If-Match", format!("\"{}\"", app.get_programme_row_version(seed)))
        .json(&serde_json::json!({"framework_id": fw["id"], "relation": "x"}))
        .send()
        .await
        .unwrap();
    assert_eq!(
        assert_problem(frozen, 409, "state-conflict").await["errors"][0]["field"],
        "status",
        "adopted versions never change"
    );
}

async fn seed_id(app: &TestApp) -> i64 {
    app.get_json("/api/v1/programmes").await["items"][0]["id"].as_i64().unwrap()
}

async fn json(res: reqwest::Response, status: u16) -> (serde_json::Value, String) {
    let got = res.status().as_u16();
    let etag = res.headers().get("etag").map(|v| v.to_str().unwrap().to_owned()).unwrap_or_default();
    let body: serde_json::Value = res.json().await.unwrap();
    assert_eq!(got, status, "{body}");
    (body, etag)
}

fn content(areas: &[&str]) -> serde_json::Value {
    serde_json::json!({
        "title": "Internationellt arbete", "diarienummer": "KS 2026/112",
        "responsible_administration": "Kommunledningsförvaltningen",
        "responsible_department": "Kansli- och personalavdelningen",
        "purpose": "Syfte", "background": "Bakgrund",
        "priority_areas": areas.iter().map(|t| serde_json::json!({"title": t, "description": "Beskrivning"})).collect::<Vec<_>>(),
        "work_kinds": [{"kind": "horizon_scanning", "description": "Omvärldsbevakning"}]
    })
}

fn adoption(body: &str, paragraph: &str) -> serde_json::Value {
    serde_json::json!({"decision": {
        "body": body, "decided_on": "2026-11-26", "paragraph": paragraph,
        "diarienummer": "KS 2026/112", "subject": "Antagande av program för internationellt arbete"
    }})
}

async fn a_new_version_is_edited_adopted_and_supersedes_the_old_one(app: TestApp) {
    let c = app.create_user("coordinator", None);
    let t = app.login(&c).await;
    let old = seed_id(&app).await;
    let before: serde_json::Value = app.get_json(&format!("/api/v1/programmes/{old}")).await;

    let res =
        app.req(Method::POST, &format!("/api/v1/programmes/{old}/versions"), Some(&t)).send().await.unwrap();
    let (draft, etag) = json(res, 201).await;
    assert_eq!(draft["version"], 2);
    assert_eq!(draft["status"], "draft");
    assert_eq!(draft["priority_areas"].as_array().unwrap().len(), 3, "copied");
    assert_eq!(draft["frameworks"].as_array().unwrap().len(), 2, "framework links copied");
    let id = draft["id"].as_i64().unwrap();
    let again =
        app.req(Method::POST, &format!("/api/v1/programmes/{old}/versions"), Some(&t)).send().await.unwrap();
    assert_problem(again, 409, "conflict").await;

    let path = format!("/api/v1/programmes/{id}");
    let edit =
        content(&["Livslångt lärande", "Goda livsmiljöer", "Hållbar samhällsplanering", "Grön omställning"]);
    let res =
        app.req(Method::PATCH, &path, Some(&t)).header("If-Match", &etag).json(&edit).send().await.unwrap();
    let (edited, etag2) = json(res, 200).await;
    let areas: Vec<(i64, &str)> = edited["priority_areas"]
        .as_array()
        .unwrap()
        .iter()
        .map(|a| (a["number"].as_i64().unwrap(), a["title"].as_str().unwrap()))
        .collect();
    assert_eq!(areas[3], (4, "Grön omställning"), "numbered in order");
    let stale =
        app.req(Method::PATCH, &path, Some(&t)).header("If-Match", &etag).json(&edit).send().await.unwrap();
    assert_problem(stale, 412, "precondition-failed").await;

    let res = app
        .req(Method::POST, &format!("{path}/adopt"), Some(&t))
        .header("If-Match", &etag2)
        .json(&adoption("executive_board", "§ 201"))
        .send()
        .await
        .unwrap();
    let (adopted, _) = json(res, 200).await;
    assert_eq!(adopted["status"], "adopted");
    assert_eq!(adopted["published"], "2026-11-26");
    // Adopted after the 2026 election (13 September): the next election is 2030, so the
    // revision is due by the end of 2031.
    assert_eq!(adopted["revise_by"], "2031-12-31");
    assert_eq!(adopted["revision_overdue"], false);
    assert!(adopted["adopted_by_decision_id"].is_i64());

    let old_now = app.get_json(&format!("/api/v1/programmes/{old}")).await;
    assert_eq!(old_now["status"], "superseded");
    for field in
        ["title", "purpose", "background", "priority_areas", "published", "revise_by", "diarienummer"]
    {
        assert_eq!(old_now[field], before[field], "{field} of the superseded version is unchanged");
    }
    let list = app.get_json("/api/v1/programmes").await;
    let statuses: Vec<&str> =
        list["items"].as_array().unwrap().iter().map(|p| p["status"].as_str().unwrap()).collect();
    assert_eq!(statuses, ["adopted", "superseded"], "one adopted version at a time, newest first");

    let frozen = app
        .req(Method::PATCH, &path, Some(&t))
        .header("If-Match", format!("\"{}\"", app.get_programme_row_version(id)))
        .json(&edit)
        .send()
        .await
        .unwrap();
    assert_eq!(assert_problem(frozen, 409, "state-conflict").await["errors"][0]["field"], "status");
    let decisions: serde_json::Value = app
        .req(Method::GET, "/api/v1/decisions?q=Antagande", Some(&t))
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    assert_eq!(decisions["total"], 1, "the decision is in the register");
}

async fn adoption_needs_the_executive_board_and_a_draft(app: TestApp) {
    let c = app.create_user("coordinator", None);
    let t = app.login(&c).await;
    let draft = app.create_programme("draft");
    let path = format!("/api/v1/programmes/{draft}/adopt");
    let v = format!("\"{}\"", app.get_programme_row_version(draft));
    let council = app
        .req(Method::POST, &path, Some(&t))
        .header("If-Match", &v)
        .json(&adoption("council", "§ 1"))
        .send()
        .await
        .unwrap();
    let p = assert_problem(council, 422, "validation-failed").await;
    assert_eq!(p["errors"][0]["field"], "decision.body");
    assert!(
        p["errors"][0]["message"].as_str().unwrap().contains("Kommunstyrelsen"),
        "the rule in words: {p}"
    );
    let none = app
        .req(Method::POST, &path, Some(&t))
        .json(&adoption("executive_board", "§ 2"))
        .send()
        .await
        .unwrap();
    assert_problem(none, 428, "precondition-required").await;
    let adopted = app.create_programme("adopted");
    let again = app
        .req(Method::POST, &format!("/api/v1/programmes/{adopted}/adopt"), Some(&t))
        .header("If-Match", format!("\"{}\"", app.get_programme_row_version(adopted)))
        .json(&adoption("executive_board", "§ 3"))
        .send()
        .await
        .unwrap();
    assert_eq!(assert_problem(again, 409, "state-conflict").await["errors"][0]["field"], "status");
    assert_eq!(
        app.audit_events().iter().filter(|e| e.action == "programme.adopted").count(),
        0,
        "refusals change nothing"
    );
}

async fn drafts_are_not_public(app: TestApp) {
    let draft = app.create_programme("draft");
    let public = app.get_json("/api/v1/programmes").await;
    assert_eq!(public["total"], 1, "anonymous sees the adopted programme only");
    assert_problem(app.get(&format!("/api/v1/programmes/{draft}")).await, 404, "not-found").await;
    let reader = app.create_user("reader", None);
    let t = app.login(&reader).await;
    let internal: serde_json::Value =
        app.req(Method::GET, "/api/v1/programmes", Some(&t)).send().await.unwrap().json().await.unwrap();
    assert_eq!(internal["total"], 2, "signed-in users see drafts");
    let (_, kpi) = app.create_api_token("kpi:read", reader.id);
    let machine: serde_json::Value =
        app.req(Method::GET, "/api/v1/programmes", Some(&kpi)).send().await.unwrap().json().await.unwrap();
    assert_eq!(machine["total"], 1, "a token without `read` sees what the public sees");
}

async fn a_new_document_starts_as_a_draft_and_its_revision_follows_the_election_cycle(app: TestApp) {
    let c = app.create_user("admin", None);
    let t = app.login(&c).await;
    let mut body = content(&["Ett"]);
    body["document_id"] = serde_json::json!("0512");
    body["document_type"] = serde_json::json!("policy");
    let (created, etag) =
        json(app.req(Method::POST, "/api/v1/programmes", Some(&t)).json(&body).send().await.unwrap(), 201)
            .await;
    assert_eq!((created["version"].as_i64(), created["status"].as_str()), (Some(1), Some("draft")));
    assert_eq!(created["diarienummer"], "KS 2026/112");
    let dup = app.req(Method::POST, "/api/v1/programmes", Some(&t)).json(&body).send().await.unwrap();
    assert_problem(dup, 409, "conflict").await;
    body["title"] = serde_json::json!("");
    body["document_id"] = serde_json::json!("0513");
    body["priority_areas"] = serde_json::json!([{"title": "x", "description": ""}]);
    let bad = app.req(Method::POST, "/api/v1/programmes", Some(&t)).json(&body).send().await.unwrap();
    let p = assert_problem(bad, 422, "validation-failed").await;
    let fields: Vec<&str> =
        p["errors"].as_array().unwrap().iter().map(|e| e["field"].as_str().unwrap()).collect();
    assert_eq!(fields, ["title", "priority_areas[0].description"]);
    let id = created["id"].as_i64().unwrap();
    let mut with_date = adoption("executive_board", "§ 77");
    with_date["revise_by"] = serde_json::json!("2026-01-01");
    let early = app
        .req(Method::POST, &format!("/api/v1/programmes/{id}/adopt"), Some(&t))
        .header("If-Match", &etag)
        .json(&with_date)
        .send()
        .await
        .unwrap();
    assert_eq!(assert_problem(early, 422, "validation-failed").await["errors"][0]["field"], "revise_by");
    // The seed programme's revision (revise-by 2020-04-22) is overdue today.
    let seed = app.get_json("/api/v1/programmes").await["items"][0].clone();
    assert_eq!(seed["revision_due"], "2020-04-22");
    assert_eq!(seed["revision_overdue"], true);
}
