//! What an attacker and a slow network found, kept fixed: the throttle under parallel
//! attempts, stalled downloads, malformed requests, the security-event log, and the small
//! ones (caching, content negotiation, ids, dates, text).

use std::time::{Duration, Instant};

use reqwest::Method;
use tokio::io::{AsyncReadExt, AsyncWriteExt};
use utblick_tests::{Backend, TEST_PASSWORD, TestApp, assert_problem};

crate::on_both_backends!(
    three_hundred_parallel_attempts_get_exactly_the_allowed_number_checked,
    three_hundred_parallel_attempts_from_one_client_get_its_limit_checked,
    failed_sign_ins_go_to_a_pruned_rate_limited_security_log,
    malformed_requests_get_problem_json_with_the_security_headers,
    answers_with_tokens_or_personal_data_are_never_cached,
    an_unacceptable_accept_header_gets_406,
    the_current_password_is_refused_as_the_new_one,
    a_third_export_of_one_caller_at_once_is_refused,
    dates_outside_1900_to_2199_are_refused,
    audit_events_of_accounts_are_redacted_for_those_who_may_not_read_accounts,
    tokens_outlive_their_creator_show_who_made_them_and_go_all_at_once,
    revoking_a_revoked_token_changes_nothing,
    contact_persons_are_read_by_every_signed_in_person_and_exports_are_audited,
    invisible_formatting_characters_are_refused_in_names,
    ids_have_one_spelling,
    an_empty_json_export_has_no_page_of_items,
);

/// Fires `n` sign-ins at once; the statuses, in no particular order.
async fn parallel_logins(app: &TestApp, n: usize, email: impl Fn(usize) -> String) -> Vec<u16> {
    let attempts = (0..n).map(|i| {
        let (client, url, email) = (app.client.clone(), app.url("/api/v1/auth/login"), email(i));
        tokio::spawn(async move {
            let body = serde_json::json!({"email": email, "password": "fel lösenord här"});
            client.post(url).json(&body).send().await.unwrap().status().as_u16()
        })
    });
    let mut statuses = Vec::new();
    for a in attempts.collect::<Vec<_>>() {
        statuses.push(a.await.unwrap());
    }
    statuses
}

fn count(statuses: &[u16], status: u16) -> usize {
    statuses.iter().filter(|s| **s == status).count()
}

async fn three_hundred_parallel_attempts_get_exactly_the_allowed_number_checked(app: TestApp) {
    // A burst of work: not beside the test that measures a response time.
    let _heavy = utblick_tests::heavy().await;
    let user = app.create_user("reader", None);
    let statuses = parallel_logins(&app, 300, |_| user.email.clone()).await;
    assert_eq!(count(&statuses, 401), 5, "exactly max_failures_per_account passwords checked: {statuses:?}");
    assert_eq!(count(&statuses, 429), 295, "{statuses:?}");
    // The right password after the block: refused too.
    let right = app.try_login(&user.email, TEST_PASSWORD).await;
    assert_problem(right, 429, "too-many-attempts").await;
}

async fn three_hundred_parallel_attempts_from_one_client_get_its_limit_checked(app: TestApp) {
    // A burst of work: not beside the test that measures a response time.
    let _heavy = utblick_tests::heavy().await;
    let statuses = parallel_logins(&app, 300, |i| format!("gissning{i}@tranas.se")).await;
    assert_eq!(count(&statuses, 401), 20, "exactly max_failures_per_client checked: {statuses:?}");
    assert_eq!(count(&statuses, 429), 280, "{statuses:?}");
    let user = app.create_user("reader", None);
    assert_problem(app.try_login(&user.email, TEST_PASSWORD).await, 429, "too-many-attempts").await;
}

async fn failed_sign_ins_go_to_a_pruned_rate_limited_security_log(app: TestApp) {
    // A burst of work: not beside the test that measures a response time.
    let _heavy = utblick_tests::heavy().await;
    // Events past the retention period (90 days) are removed when the log is next written.
    let now = chrono::Utc::now().naive_utc();
    let old = |days: i64, kind: &str| utblick_db::models::NewSecurityEvent {
        occurred_at: now - chrono::Duration::days(days),
        kind: kind.into(),
        client_ip: Some("192.0.2.1".into()),
        account: None,
        user_id: None,
        request_id: None,
        detail: "{}".into(),
        suppressed: 0,
    };
    let mut conn = app.db.connect();
    utblick_db::security::insert_security_event(&mut conn, &old(91, "login.failed")).unwrap();
    utblick_db::security::insert_security_event(&mut conn, &old(89, "login.throttled")).unwrap();
    let audit_before = app.audit_count();
    let minute = || chrono::Utc::now().timestamp().div_euclid(60);
    let first_minute = minute();
    let statuses = parallel_logins(&app, 200, |i| format!("gissning{i}@tranas.se")).await;
    let minutes = usize::try_from(minute() - first_minute + 1).unwrap();
    assert_eq!(count(&statuses, 401) + count(&statuses, 429), 200);
    assert_eq!(app.audit_count(), audit_before, "failed and throttled sign-ins are not changes");
    let events = app.security_events();
    assert!(
        events.iter().all(|e| e.occurred_at > now - chrono::Duration::days(90)),
        "the 91-day-old one is gone"
    );
    assert!(
        events.iter().any(|e| e.kind == "login.throttled" && e.client_ip.as_deref() == Some("192.0.2.1"))
    );
    let fresh: Vec<_> = events.iter().filter(|e| e.client_ip.as_deref() == Some("127.0.0.1")).collect();
    // Ten a minute from one client (the default), counted by the clock's minutes: a burst
    // that spans a minute's turn (or two, on a loaded machine) writes ten more in each,
    // carrying the count of those left unwritten.
    assert!(
        (10..=10 * minutes).contains(&fresh.len()),
        "{} rows written in {minutes} minute(s)",
        fresh.len()
    );
    let told: i64 = fresh.iter().map(|e| 1 + i64::from(e.suppressed)).sum();
    assert!(told <= 200, "never more than happened");

    // Only administrators read it. (This client is blocked by now; lift that first.)
    utblick_db::identity::clear_throttle(&mut conn, "client:127.0.0.1").unwrap();
    let admin = app.create_user("admin", None);
    let coordinator = app.create_user("coordinator", None);
    let admin_token = app.login(&admin).await;
    let page =
        app.req(Method::GET, "/api/v1/security-events?per_page=5", Some(&admin_token)).send().await.unwrap();
    assert_eq!(page.status(), 200);
    assert_eq!(page.headers()["cache-control"], "no-store");
    let page: serde_json::Value = page.json().await.unwrap();
    assert_eq!(page["items"].as_array().unwrap().len(), 5);
    assert_eq!(page["total"], events.len(), "{page}");
    let kind = page["items"][0]["kind"].as_str().unwrap().to_owned();
    let only = app
        .req(
            Method::GET,
            &format!("/api/v1/security-events?kind={kind}&client_ip=127.0.0.1"),
            Some(&admin_token),
        )
        .send()
        .await
        .unwrap();
    let only: serde_json::Value = only.json().await.unwrap();
    let items = only["items"].as_array().unwrap();
    assert!(
        !items.is_empty()
            && items.iter().all(|e| e["kind"] == kind.as_str() && e["client_ip"] == "127.0.0.1")
    );
    let refused = app
        .req(Method::GET, "/api/v1/security-events", Some(&app.login(&coordinator).await))
        .send()
        .await
        .unwrap();
    assert_problem(refused, 403, "forbidden").await;
}

/// Sends raw bytes on a fresh connection; everything the server answers before it closes.
async fn raw(app: &TestApp, request: &[u8]) -> String {
    let mut s = tokio::net::TcpStream::connect(("127.0.0.1", app.port)).await.unwrap();
    s.write_all(request).await.unwrap();
    let mut out = Vec::new();
    let _ = tokio::time::timeout(Duration::from_secs(10), s.read_to_end(&mut out)).await;
    String::from_utf8_lossy(&out).into_owned()
}

async fn malformed_requests_get_problem_json_with_the_security_headers(app: TestApp) {
    let long_url = format!("GET /api/v1/programmes?q={} HTTP/1.1\r\nHost: x\r\n\r\n", "a".repeat(9000));
    let many: String = (0..200).map(|i| format!("X-Header-{i}: {i}\r\n")).collect();
    let cases: Vec<(Vec<u8>, u16, &str)> = vec![
        (b"GET\x01 /health HTTP/1.1\r\nHost: x\r\n\r\n".to_vec(), 400, "malformed-request"),
        (b"HELLO\r\n\r\n".to_vec(), 400, "malformed-request"),
        (b"GET /health HTTP/1.1\r\nHost: x\r\nX-Nul: a\x00b\r\n\r\n".to_vec(), 400, "malformed-request"),
        (long_url.into_bytes(), 414, "uri-too-long"),
        (
            format!("GET /health HTTP/1.1\r\nHost: x\r\n{many}\r\n").into_bytes(),
            431,
            "request-header-fields-too-large",
        ),
    ];
    for (request, status, code) in cases {
        let answer = raw(&app, &request).await;
        let (head, body) = answer.split_once("\r\n\r\n").unwrap_or_else(|| panic!("no answer: {answer:?}"));
        let head = head.to_ascii_lowercase();
        assert!(head.starts_with(&format!("http/1.1 {status} ")), "{head}");
        for h in [
            "content-type: application/problem+json",
            "x-content-type-options: nosniff",
            "x-frame-options: deny",
            "referrer-policy: no-referrer",
            "content-security-policy: default-src 'self'",
        ] {
            assert!(head.contains(h), "{code}: no `{h}` in\n{head}");
        }
        let problem: serde_json::Value = serde_json::from_str(body).unwrap();
        assert_eq!(problem["code"], code);
        assert_eq!(problem["status"], status);
    }
    // A good request on the same connection before a bad one is answered first.
    let answer = raw(&app, b"GET /health HTTP/1.1\r\nHost: x\r\n\r\n").await;
    assert!(answer.starts_with("HTTP/1.1 200 OK"), "{answer}");
}

async fn answers_with_tokens_or_personal_data_are_never_cached(app: TestApp) {
    let admin = app.create_user("admin", None);
    let login = app.try_login(&admin.email, TEST_PASSWORD).await;
    assert_eq!(login.headers()["cache-control"], "no-store");
    let cookie = utblick_tests::refresh_cookie(&login).unwrap();
    let refreshed = app.refresh_with(&cookie).await;
    assert_eq!(refreshed.headers()["cache-control"], "no-store");
    let token = app.login(&admin).await;
    let created = app
        .req(Method::POST, "/api/v1/api-tokens", Some(&token))
        .json(&serde_json::json!({"name": "Styrkort", "scopes": ["read"]}))
        .send()
        .await
        .unwrap();
    assert_eq!(created.status(), 201);
    assert_eq!(created.headers()["cache-control"], "no-store", "the one-time secret");
    let org = app.create_organisation("Tekniska förvaltningen");
    let contact = app.create_contact(org, "Anna Berg");
    for path in [
        "/api/v1/me".to_owned(),
        "/api/v1/users".to_owned(),
        format!("/api/v1/users/{}", admin.id),
        "/api/v1/contacts".to_owned(),
        format!("/api/v1/contacts/{contact}"),
        "/api/v1/contacts?format=csv".to_owned(),
        "/api/v1/audit-events".to_owned(),
        "/api/v1/api-tokens".to_owned(),
    ] {
        let res = app.req(Method::GET, &path, Some(&token)).send().await.unwrap();
        assert_eq!(res.status(), 200, "{path}");
        assert_eq!(res.headers()["cache-control"], "no-store", "{path}");
    }
}

async fn an_unacceptable_accept_header_gets_406(app: TestApp) {
    for accept in ["application/xml", "text/html", "application/json;q=0"] {
        let res =
            app.client.get(app.url("/api/v1/programmes")).header("Accept", accept).send().await.unwrap();
        let body = assert_problem(res, 406, "not-acceptable").await;
        assert!(body["detail"].as_str().unwrap().contains("application/json"));
    }
    for accept in ["application/json", "*/*", "application/*", "text/csv", "text/html, */*;q=0.8"] {
        let res =
            app.client.get(app.url("/api/v1/programmes")).header("Accept", accept).send().await.unwrap();
        assert_eq!(res.status(), 200, "{accept}");
    }
    // The web pages are not the API: a browser's Accept is fine there.
    let page = app.client.get(app.url("/")).header("Accept", "text/html").send().await.unwrap();
    assert_eq!(page.status(), 200);
}

async fn the_current_password_is_refused_as_the_new_one(app: TestApp) {
    let user = app.create_user("reader", None);
    let token = app.login(&user).await;
    let same = app
        .req(Method::POST, "/api/v1/me/password", Some(&token))
        .json(&serde_json::json!({"current_password": TEST_PASSWORD, "new_password": TEST_PASSWORD}))
        .send()
        .await
        .unwrap();
    let body = assert_problem(same, 422, "validation-failed").await;
    assert_eq!(body["errors"][0]["field"], "new_password");
    assert!(body["errors"][0]["message"].as_str().unwrap().contains("differ"));
}

/// Asks for the decisions as CSV on a connection with a tiny receive buffer, and reads
/// nothing of the answer yet.
async fn slow_export(app: &TestApp, token: &str) -> tokio::net::TcpStream {
    let socket = tokio::net::TcpSocket::new_v4().unwrap();
    socket.set_recv_buffer_size(4096).unwrap();
    let mut stream = socket.connect(format!("127.0.0.1:{}", app.port).parse().unwrap()).await.unwrap();
    let request = format!(
        "GET /api/v1/decisions?format=csv HTTP/1.1\r\nHost: 127.0.0.1\r\nAuthorization: Bearer {token}\r\n\r\n"
    );
    stream.write_all(request.as_bytes()).await.unwrap();
    stream
}

/// Eight clients that ask for a large export and never read hold no database connection:
/// a ninth signs in and reads at once. A stalled download is ended by the send timeout,
/// which gives its place back.
async fn stalled_exports_never_starve_the_others(backend: Backend) {
    // It measures a response time: nothing heavy beside it.
    let _alone = utblick_tests::alone().await;
    let Some(app) = TestApp::spawn_with(backend, |s| {
        s.server.max_exports = 8;
        s.server.max_exports_per_caller = 2;
        s.server.send_timeout_seconds = 2;
        s.database.pool_size = 8;
        s.server.workers = Some(2);
    })
    .await
    else {
        return;
    };
    // About 9 MB of CSV: more than the kernel's buffers can take for a client that reads
    // nothing.
    app.fill_decisions(120_000);
    let mut tokens = Vec::new();
    for _ in 0..8 {
        tokens.push(app.login(&app.create_user("reader", None)).await);
    }
    let mut stalled = Vec::new();
    for token in &tokens {
        let mut stream = slow_export(&app, token).await;
        let mut head = [0u8; 64];
        let n = tokio::time::timeout(Duration::from_secs(30), stream.read(&mut head)).await.unwrap().unwrap();
        let head = String::from_utf8_lossy(&head[..n]).into_owned();
        assert!(head.starts_with("HTTP/1.1 200"), "an export that runs: {head}");
        stalled.push(stream);
    }
    // Let them fill every buffer there is.
    tokio::time::sleep(Duration::from_millis(500)).await;
    let user = app.create_user("coordinator", None);
    let started = Instant::now();
    let token = app.login(&user).await;
    for path in ["/api/v1/me", "/api/v1/programmes", "/api/v1/organisations", "/ready"] {
        let res = app.req(Method::GET, path, Some(&token)).send().await.unwrap();
        assert_eq!(res.status(), 200, "{path}");
    }
    let took = started.elapsed();
    assert!(took < Duration::from_secs(1), "a ninth client waited {took:?} behind eight stalled exports");
    // The send timeout (2 s here) ends every stalled download: never a whole file. The wait
    // leaves the eight time to fill their buffers first, at a debug build's speed with the
    // rest of the suite running beside them, and then to stall for the timeout.
    tokio::time::sleep(Duration::from_secs(12)).await;
    for mut stream in stalled {
        let mut rest = Vec::new();
        let read =
            tokio::time::timeout(Duration::from_secs(30), stream.read_to_end(&mut rest)).await.unwrap();
        let whole = read.is_ok() && rest.ends_with(b"\r\n0\r\n\r\n");
        assert!(!whole, "a stalled download was ended, not completed");
    }
    // Their places are free again: an export runs to its end.
    let csv = app.req(Method::GET, "/api/v1/decisions?format=csv", Some(&tokens[0])).send().await.unwrap();
    assert_eq!(csv.status(), 200);
    let text = csv.text().await.unwrap();
    assert_eq!(text.lines().count(), 120_001);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn sqlite_stalled_exports_never_starve_the_others() {
    stalled_exports_never_starve_the_others(Backend::Sqlite).await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn postgres_stalled_exports_never_starve_the_others() {
    stalled_exports_never_starve_the_others(Backend::Postgres).await;
}

async fn dates_outside_1900_to_2199_are_refused(app: TestApp) {
    let coordinator = app.create_user("coordinator", None);
    let token = app.login(&coordinator).await;
    let before = app.audit_count();
    for bad in ["-0001-01-01", "+10000-01-01", "1899-12-31", "2200-01-01"] {
        let res = app
            .req(Method::POST, "/api/v1/decisions", Some(&token))
            .json(&serde_json::json!({
                "body": "council", "decided_on": bad, "paragraph": "12",
                "diarienummer": "KF 2026/7", "subject": "Vänort i Polen"
            }))
            .send()
            .await
            .unwrap();
        let status = res.status().as_u16();
        let body: serde_json::Value = res.json().await.unwrap();
        assert!(status == 422 || status == 400, "{bad}: {status} {body}");
        assert!(body["errors"].to_string().contains("decided_on"), "{bad}: {body}");
    }
    assert_eq!(app.audit_count(), before, "nothing stored");
    let filter =
        app.req(Method::GET, "/api/v1/decisions?from=1800-01-01", Some(&token)).send().await.unwrap();
    let body = assert_problem(filter, 400, "invalid-parameter").await;
    assert_eq!(body["errors"][0]["field"], "from");
    let audit = app
        .req(Method::GET, "/api/v1/audit-events?from=2300-01-01T00:00:00Z", Some(&token))
        .send()
        .await
        .unwrap();
    assert_problem(audit, 400, "invalid-parameter").await;
    let org = app.create_organisation("Kultur- och fritidsförvaltningen");
    let contact = app
        .req(Method::POST, "/api/v1/contacts", Some(&token))
        .json(&serde_json::json!({"organisation_id": org, "name": "Anna Berg", "term_from": "1066-10-14"}))
        .send()
        .await
        .unwrap();
    assert_eq!(assert_problem(contact, 422, "validation-failed").await["errors"][0]["field"], "term_from");
    let admin = app.login(&app.create_user("admin", None)).await;
    let far = app
        .req(Method::POST, "/api/v1/api-tokens", Some(&admin))
        .json(&serde_json::json!({"name": "Styrkort", "scopes": ["read"], "expires_at": "2300-01-01T00:00:00Z"}))
        .send()
        .await
        .unwrap();
    assert_eq!(assert_problem(far, 422, "validation-failed").await["errors"][0]["field"], "expires_at");
    // The spec says so.
    let spec = app.get_json("/api/v1/openapi.json").await;
    let decided_on = &spec["components"]["schemas"]["DecisionBody"]["properties"]["decided_on"];
    assert_eq!(decided_on["pattern"], "^(19|20|21)[0-9]{2}-[0-9]{2}-[0-9]{2}$", "{decided_on}");
}

async fn audit_events_of_accounts_are_redacted_for_those_who_may_not_read_accounts(app: TestApp) {
    let admin = app.create_user("admin", None);
    let admin_token = app.login(&admin).await;
    let created = app
        .req(Method::POST, "/api/v1/users", Some(&admin_token))
        .json(&serde_json::json!({
            "email": "ny.person@tranas.se", "display_name": "Ny Person", "role": "reader", "password": TEST_PASSWORD
        }))
        .send()
        .await
        .unwrap();
    assert_eq!(created.status(), 201);
    let coordinator = app.login(&app.create_user("coordinator", None)).await;
    let read = |token: String| {
        let app = &app;
        async move {
            let res = app
                .req(Method::GET, "/api/v1/audit-events?action=user.created", Some(&token))
                .send()
                .await
                .unwrap();
            assert_eq!(res.status(), 200);
            res.json::<serde_json::Value>().await.unwrap()
        }
    };
    let theirs = read(coordinator).await;
    let event = &theirs["items"][0];
    assert_eq!(event["action"], "user.created");
    assert_eq!(event["redacted"], true);
    assert!(event["changes"].is_null());
    assert!(!theirs.to_string().contains("ny.person@tranas.se"), "{theirs}");
    let full = read(admin_token).await;
    assert_eq!(full["items"][0]["redacted"], false);
    assert!(full.to_string().contains("ny.person@tranas.se"));
}

async fn tokens_outlive_their_creator_show_who_made_them_and_go_all_at_once(app: TestApp) {
    let leaving = app.create_user("admin", None);
    let (_, token) = app.create_api_token("read", leaving.id);
    let (_, second) = app.create_api_token("export", leaving.id);
    let admin = app.login(&app.create_user("admin", None)).await;
    let version = app.get_user_version(leaving.id);
    let deactivated = app
        .req(Method::PATCH, &format!("/api/v1/users/{}", leaving.id), Some(&admin))
        .header("If-Match", format!("\"{version}\""))
        .json(&serde_json::json!({"active": false}))
        .send()
        .await
        .unwrap();
    assert_eq!(deactivated.status(), 200);
    // The integration keeps working: tokens belong to it, not to the person.
    assert_eq!(app.req(Method::GET, "/api/v1/decisions", Some(&token)).send().await.unwrap().status(), 200);
    let list: serde_json::Value =
        app.req(Method::GET, "/api/v1/api-tokens", Some(&admin)).send().await.unwrap().json().await.unwrap();
    let mine: Vec<_> =
        list["items"].as_array().unwrap().iter().filter(|t| t["created_by"] == leaving.id).collect();
    assert_eq!(mine.len(), 2);
    for t in &mine {
        assert_eq!(t["state"], "active");
        assert_eq!(t["created_by_active"], false);
        assert_eq!(t["created_by_email"], leaving.email.as_str());
        assert_eq!(t["created_by_name"], "Test admin");
    }
    let before = app.audit_count();
    let revoked = app
        .req(Method::POST, &format!("/api/v1/users/{}/revoke-api-tokens", leaving.id), Some(&admin))
        .send()
        .await
        .unwrap();
    assert_eq!(revoked.status(), 200);
    let revoked: serde_json::Value = revoked.json().await.unwrap();
    assert_eq!(revoked["revoked"].as_array().unwrap().len(), 2);
    assert_eq!(app.audit_count(), before + 2, "one event per token");
    for t in [&token, &second] {
        assert_problem(
            app.req(Method::GET, "/api/v1/decisions", Some(t)).send().await.unwrap(),
            401,
            "unauthenticated",
        )
        .await;
    }
    let list: serde_json::Value =
        app.req(Method::GET, "/api/v1/api-tokens", Some(&admin)).send().await.unwrap().json().await.unwrap();
    assert!(
        list["items"]
            .as_array()
            .unwrap()
            .iter()
            .filter(|t| t["created_by"] == leaving.id)
            .all(|t| t["state"] == "revoked")
    );
    let again = app
        .req(Method::POST, &format!("/api/v1/users/{}/revoke-api-tokens", leaving.id), Some(&admin))
        .send()
        .await
        .unwrap();
    assert_eq!(again.json::<serde_json::Value>().await.unwrap()["revoked"], serde_json::json!([]));
    assert_eq!(app.audit_count(), before + 2, "nothing left to revoke, nothing recorded");
    let missing =
        app.req(Method::POST, "/api/v1/users/999999/revoke-api-tokens", Some(&admin)).send().await.unwrap();
    assert_problem(missing, 404, "not-found").await;
}

async fn revoking_a_revoked_token_changes_nothing(app: TestApp) {
    let admin = app.create_user("admin", None);
    let (id, _) = app.create_api_token("read", admin.id);
    let token = app.login(&admin).await;
    let revoke = || app.req(Method::POST, &format!("/api/v1/api-tokens/{id}/revoke"), Some(&token)).send();
    let before = app.audit_count();
    let first = revoke().await.unwrap();
    assert_eq!(first.status(), 200);
    assert_eq!(first.json::<serde_json::Value>().await.unwrap()["state"], "revoked");
    assert_eq!(app.audit_count(), before + 1);
    assert_eq!(revoke().await.unwrap().status(), 200);
    assert_eq!(app.audit_count(), before + 1, "no second event for the same revocation");
}

async fn contact_persons_are_read_by_every_signed_in_person_and_exports_are_audited(app: TestApp) {
    let own = app.create_organisation("Tekniska förvaltningen");
    let other = app.create_organisation("Socialförvaltningen");
    app.create_contact(other, "Bo Ek");
    // The contact network exists to be found: a reader, and a reporter of another
    // organisation, read and export it; machines and the public do not.
    let reader = app.login(&app.create_user("reader", None)).await;
    let reporter = app.login(&app.create_user("reporter", Some(own))).await;
    for token in [&reader, &reporter] {
        let page: serde_json::Value =
            app.req(Method::GET, "/api/v1/contacts", Some(token)).send().await.unwrap().json().await.unwrap();
        assert!(
            page["items"].as_array().unwrap().iter().any(|c| c["name"] == "Bo Ek" && c["email"].is_string())
        );
    }
    let (_, machine) = app.create_api_token("read", app.create_user("admin", None).id);
    assert_problem(
        app.req(Method::GET, "/api/v1/contacts", Some(&machine)).send().await.unwrap(),
        403,
        "forbidden",
    )
    .await;
    assert_problem(
        app.req(Method::GET, "/api/v1/contacts", None).send().await.unwrap(),
        401,
        "unauthenticated",
    )
    .await;
    let before = app.audit_count();
    let csv = app
        .req(
            Method::GET,
            &format!("/api/v1/contacts?format=csv&organisation_id={other}&q=ek"),
            Some(&reporter),
        )
        .send()
        .await
        .unwrap();
    assert_eq!(csv.status(), 200);
    assert!(csv.text().await.unwrap().contains("Bo Ek"));
    assert_eq!(app.audit_count(), before + 1, "an export of personal data is recorded");
    let event = app.audit_events().into_iter().next().unwrap();
    assert_eq!(event.action, "contact.exported");
    assert_eq!(event.actor_kind, "user");
    let changes: serde_json::Value = serde_json::from_str(&event.changes).unwrap();
    assert_eq!(changes["format"], "csv");
    assert_eq!(changes["rows"], 1);
    assert_eq!(changes["filter"]["q"], "ek");
    assert_eq!(changes["filter"]["organisation_id"], other.to_string());
    // Reading a page is not recorded.
    app.req(Method::GET, "/api/v1/contacts", Some(&reader)).send().await.unwrap();
    assert_eq!(app.audit_count(), before + 1);
}

async fn invisible_formatting_characters_are_refused_in_names(app: TestApp) {
    let coordinator = app.login(&app.create_user("coordinator", None)).await;
    let before = app.audit_count();
    for name in ["Anna\u{202E}greB", "Anna\u{200B}Berg", "\u{2066}Anna Berg\u{2069}"] {
        let res = app
            .req(Method::POST, "/api/v1/twin-towns", Some(&coordinator))
            .json(&serde_json::json!({"town": name, "country": "PL"}))
            .send()
            .await
            .unwrap();
        let body = assert_problem(res, 422, "validation-failed").await;
        assert_eq!(body["errors"][0]["field"], "town");
        assert!(body["errors"][0]["message"].as_str().unwrap().contains("invisible"));
    }
    assert_eq!(app.audit_count(), before);
}

async fn ids_have_one_spelling(app: TestApp) {
    let reader = app.login(&app.create_user("reader", None)).await;
    let id = app.create_decision("council");
    assert_eq!(
        app.req(Method::GET, &format!("/api/v1/decisions/{id}"), Some(&reader))
            .send()
            .await
            .unwrap()
            .status(),
        200
    );
    for path in [
        format!("/api/v1/decisions/+{id}"),
        format!("/api/v1/decisions/0{id}"),
        "/api/v1/decisions?per_page=5&organisation_id=01".into(),
    ] {
        let res = app.req(Method::GET, &path, Some(&reader)).send().await.unwrap();
        if path.contains("organisation_id") {
            // (decisions take no organisation filter; the contacts list does)
            continue;
        }
        assert_problem(res, 400, "invalid-parameter").await;
    }
    let res =
        app.req(Method::GET, "/api/v1/contacts?organisation_id=%2B1", Some(&reader)).send().await.unwrap();
    assert_eq!(assert_problem(res, 400, "invalid-parameter").await["errors"][0]["field"], "organisation_id");
    let res =
        app.req(Method::GET, "/api/v1/contacts?organisation_id=007", Some(&reader)).send().await.unwrap();
    assert_problem(res, 400, "invalid-parameter").await;
}

async fn an_empty_json_export_has_no_page_of_items(app: TestApp) {
    let reader = app.login(&app.create_user("reader", None)).await;
    let res = app
        .req(Method::GET, "/api/v1/decisions?format=json&q=finnsinte", Some(&reader))
        .send()
        .await
        .unwrap();
    assert_eq!(res.status(), 200);
    let v: serde_json::Value = res.json().await.unwrap();
    assert_eq!(v["items"], serde_json::json!([]));
    assert_eq!(
        (v["total"].as_u64(), v["per_page"].as_u64(), v["total_pages"].as_u64()),
        (Some(0), Some(0), Some(0))
    );
}

#[tokio::test]
async fn the_sqlite_file_is_readable_by_its_owner_only() {
    use std::os::unix::fs::PermissionsExt;
    let Some(app) = TestApp::spawn(Backend::Sqlite).await else { return };
    let path = app.db.url();
    let path = path.strip_prefix("sqlite://").unwrap_or(&path).to_owned();
    for file in [path.clone(), format!("{path}-wal")] {
        let mode = std::fs::metadata(&file).unwrap().permissions().mode() & 0o777;
        assert_eq!(mode, 0o600, "{file}");
    }
}

#[tokio::test]
async fn the_file_server_follows_no_link_out_of_the_web_root() {
    let tmp = tempfile::tempdir().unwrap();
    let web = tmp.path().join("web");
    std::fs::create_dir_all(&web).unwrap();
    std::fs::write(web.join("index.html"), "<!doctype html><title>t</title>").unwrap();
    std::fs::write(tmp.path().join("jwt-secret"), "the signing secret").unwrap();
    std::os::unix::fs::symlink("/etc/passwd", web.join("passwd")).unwrap();
    std::os::unix::fs::symlink(tmp.path().join("jwt-secret"), web.join("secret.txt")).unwrap();
    std::os::unix::fs::symlink(tmp.path(), web.join("up")).unwrap();
    let dir = web.clone();
    let Some(app) = TestApp::spawn_with(Backend::Sqlite, move |s| s.web.dir = Some(dir)).await else {
        return;
    };
    assert_eq!(app.get("/").await.status(), 200);
    // A link that leads back inside is harmless.
    assert_eq!(app.get("/up/web/index.html").await.status(), 200);
    for path in ["/passwd", "/secret.txt", "/up/jwt-secret"] {
        assert_problem(app.get(path).await, 404, "route-not-found").await;
    }
}

async fn a_third_export_of_one_caller_at_once_is_refused(app: TestApp) {
    // A burst of work: not beside the test that measures a response time.
    let _heavy = utblick_tests::heavy().await;
    app.fill_decisions(120_000);
    let token = app.login(&app.create_user("reader", None)).await;
    let mut running = Vec::new();
    for _ in 0..2 {
        let mut stream = slow_export(&app, &token).await;
        let mut head = [0u8; 64];
        let n = tokio::time::timeout(Duration::from_secs(30), stream.read(&mut head)).await.unwrap().unwrap();
        assert!(head[..n].starts_with(b"HTTP/1.1 200"), "{}", String::from_utf8_lossy(&head[..n]));
        running.push(stream);
    }
    let third = app.req(Method::GET, "/api/v1/decisions?format=csv", Some(&token)).send().await.unwrap();
    assert_eq!(third.headers()["retry-after"], "5");
    let body = assert_problem(third, 429, "too-many-exports").await;
    assert!(body["detail"].as_str().unwrap().contains("for you"));
    // Someone else is not held back by it.
    let other = app.login(&app.create_user("reader", None)).await;
    let json = app
        .req(Method::GET, "/api/v1/decisions?format=json&q=nummer%2012345", Some(&other))
        .send()
        .await
        .unwrap();
    assert_eq!(json.status(), 200);
    drop(running);
}
