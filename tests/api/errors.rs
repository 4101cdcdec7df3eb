//! Every error path answers application/problem+json with the right status and a stable
//! code; none is a 500, none leaks internals.

use reqwest::Method;
use utblick_tests::{TestApp, assert_problem};

crate::on_both_backends!(
    unknown_ids_are_not_found,
    bad_path_values_name_the_parameter,
    unknown_routes_are_not_found,
    wrong_methods_get_405_with_allow,
    bodies_over_the_limit_get_413,
    responses_carry_security_headers_and_a_request_id,
    errors_speak_the_callers_language_with_stable_codes,
);

/// Every field error carries a stable code and its parameters; messages, titles and details
/// follow `Accept-Language` (English without one); the parser's own words never reach anyone.
async fn errors_speak_the_callers_language_with_stable_codes(app: TestApp) {
    let t = app.login(&app.create_user("coordinator", None)).await;
    let three_bad = serde_json::json!({"body": "council", "decided_on": "2026-11-26", "paragraph": "tolv",
        "diarienummer": "tjugo", "subject": "Vänort", "link": "ftp://diarium"});
    let post = |lang: Option<&str>, body: serde_json::Value| {
        let r = app.req(Method::POST, "/api/v1/decisions", Some(&t)).json(&body);
        match lang {
            Some(l) => r.header("Accept-Language", l),
            None => r,
        }
    };
    let sv = assert_problem(
        post(Some("sv-SE,sv;q=0.9,en;q=0.5"), three_bad.clone()).send().await.unwrap(),
        422,
        "validation-failed",
    )
    .await;
    let fields: Vec<(&str, &str)> = sv["errors"]
        .as_array()
        .unwrap()
        .iter()
        .map(|e| (e["field"].as_str().unwrap(), e["code"].as_str().unwrap()))
        .collect();
    assert_eq!(fields, [("paragraph", "paragraph"), ("diarienummer", "diarienummer"), ("link", "url")]);
    assert_eq!(sv["title"], "Uppgifterna är inte giltiga");
    assert!(sv["errors"][2]["message"].as_str().unwrap().starts_with("ska vara en webbadress"), "{sv}");
    let en = assert_problem(post(None, three_bad).send().await.unwrap(), 422, "validation-failed").await;
    assert!(en["errors"][2]["message"].as_str().unwrap().starts_with("must be a web address"), "{en}");
    assert_eq!(en["errors"][2]["code"], "url", "codes do not change with the language");

    // A value of the wrong type is named as that field's error, in words.
    let mut wrong = serde_json::json!({"body": "council", "decided_on": null, "paragraph": "§ 1",
        "diarienummer": "KS 2026/1", "subject": "Vänort"});
    let p = assert_problem(post(Some("sv"), wrong.clone()).send().await.unwrap(), 400, "invalid-json").await;
    assert_eq!(p["errors"][0]["field"], "decided_on");
    assert_eq!(p["errors"][0]["code"], "invalid_type");
    assert_eq!(p["errors"][0]["message"], "ska vara ett datum som 2026-11-28");
    assert!(!p.to_string().contains("line 1"), "no parser text: {p}");
    wrong["decided_on"] = serde_json::json!("2026-11-26");
    wrong["colour"] = serde_json::json!("blå");
    let p = assert_problem(post(Some("sv"), wrong).send().await.unwrap(), 400, "invalid-json").await;
    assert_eq!(
        (p["errors"][0]["field"].as_str(), p["errors"][0]["code"].as_str()),
        (Some("colour"), Some("unknown_field"))
    );

    // Limits carry their parameters; problems without fields are translated too.
    let p = assert_problem(
        app.req(Method::GET, "/api/v1/decisions?per_page=500", Some(&t))
            .header("Accept-Language", "sv")
            .send()
            .await
            .unwrap(),
        400,
        "invalid-parameter",
    )
    .await;
    assert_eq!(p["errors"][0]["code"], "out_of_range");
    assert_eq!(p["errors"][0]["params"]["max"], "100");
    assert_eq!(p["errors"][0]["message"], "ska vara mellan 1 och 100");
    let p = assert_problem(
        app.req(Method::GET, "/api/v1/decisions/999999", Some(&t))
            .header("Accept-Language", "sv")
            .send()
            .await
            .unwrap(),
        404,
        "not-found",
    )
    .await;
    assert_eq!(p["title"], "Finns inte");
}

async fn unknown_ids_are_not_found(app: TestApp) {
    for path in
        ["/api/v1/programmes/999999", "/api/v1/frameworks/999999", "/api/v1/programmes/9223372036854775807"]
    {
        let body = assert_problem(app.get(path).await, 404, "not-found").await;
        assert!(body["detail"].as_str().unwrap().contains("not found"), "{path}");
    }
}

async fn bad_path_values_name_the_parameter(app: TestApp) {
    for path in [
        "/api/v1/programmes/abc",
        "/api/v1/frameworks/1.5",
        "/api/v1/programmes/99999999999999999999",
        "/api/v1/programmes/%F0%9F%98%80",
        // One id, one spelling: no sign, no leading zeros, nothing below 1.
        "/api/v1/programmes/+1",
        "/api/v1/programmes/%2B1",
        "/api/v1/programmes/01",
        "/api/v1/frameworks/0",
        "/api/v1/programmes/-1",
    ] {
        let body = assert_problem(app.get(path).await, 400, "invalid-parameter").await;
        assert_eq!(body["errors"][0]["field"], "id", "{path}");
    }
}

async fn unknown_routes_are_not_found(app: TestApp) {
    for path in [
        "/api/v1/nothing",
        "/api",
        "/api/v2/programmes",
        "/no-such-page.html",
        "/api/v1/programmes/1/nothing",
    ] {
        let body = assert_problem(app.get(path).await, 404, "route-not-found").await;
        assert!(body["detail"].as_str().unwrap().contains("no such resource"), "{path}");
    }
}

async fn wrong_methods_get_405_with_allow(app: TestApp) {
    for (method, path, allow) in [
        (Method::DELETE, "/api/v1/programmes", "GET, POST"),
        (Method::DELETE, "/api/v1/programmes/1", "GET, PATCH"),
        (Method::PUT, "/api/v1/frameworks/1", "GET"),
        (Method::PATCH, "/api/v1/frameworks", "GET, POST"),
        (Method::POST, "/health", "GET"),
        (Method::DELETE, "/ready", "GET"),
        (Method::POST, "/api/v1/openapi.json", "GET"),
    ] {
        let res = app.request(method.clone(), path).await;
        let got = res.headers().get("allow").map(|v| v.to_str().unwrap().to_owned());
        assert_eq!(got.as_deref(), Some(allow), "{method} {path}");
        assert_problem(res, 405, "method-not-allowed").await;
    }
    // The static frontend too.
    let res = app.request(Method::POST, "/index.html").await;
    assert!(res.headers().get("allow").is_some());
    assert_problem(res, 405, "method-not-allowed").await;
}

async fn bodies_over_the_limit_get_413(app: TestApp) {
    let big = vec![b'x'; 2 * 1024 * 1024];
    for path in ["/api/v1/programmes", "/api/v1/nothing", "/"] {
        let res = app
            .client
            .post(app.url(path))
            .header("content-type", "application/json")
            .body(big.clone())
            .send()
            .await;
        match res {
            Ok(res) => {
                assert_problem(res, 413, "payload-too-large").await;
            }
            // The server may close the connection while the client still sends; that
            // is also a refusal, and the server must still be healthy afterwards.
            Err(e) => assert!(e.is_request() || e.is_body(), "{e}"),
        }
    }
    assert_eq!(app.get_json("/health").await["status"], "ok");
}

async fn responses_carry_security_headers_and_a_request_id(app: TestApp) {
    for path in ["/api/v1/programmes", "/", "/api/v1/nothing"] {
        let res = app.get(path).await;
        let h = res.headers();
        assert_eq!(h["x-content-type-options"], "nosniff", "{path}");
        assert_eq!(h["referrer-policy"], "no-referrer", "{path}");
        assert_eq!(h["x-frame-options"], "DENY", "{path}");
        assert_eq!(h["x-request-id"].to_str().unwrap().len(), 36, "{path}: a UUID");
    }
}

/// An outage (PostgreSQL: the database is dropped under the running app) makes /ready and
/// the data operations answer 503 problems, never 500; /health still answers.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn postgres_outage_is_503_not_500() {
    let Some(app) = TestApp::spawn(utblick_tests::Backend::Postgres).await else { return };
    assert_eq!(app.get_json("/ready").await["status"], "ready");
    assert!(app.db.take_away());
    for path in ["/ready", "/api/v1/programmes", "/api/v1/frameworks/1"] {
        // The first request may meet a connection the server just closed; every answer is
        // a 503 problem, whichever way the pool learns of the outage.
        for _ in 0..2 {
            let res = app.get(path).await;
            assert_eq!(res.headers()["retry-after"], "2", "{path}");
            assert_problem(res, 503, "service-unavailable").await;
        }
    }
    assert_eq!(app.get_json("/health").await["status"], "ok");
}
