//! Authentication and sessions: what is refused, and that refusals take effect at once.

use jsonwebtoken::{Algorithm, EncodingKey, Header, encode};
use reqwest::Method;
use utblick_api::auth::jwt::Claims;
use utblick_tests::{TEST_JWT_SECRET, TestApp, assert_problem};

crate::on_both_backends!(
    login_gives_tokens_and_me_names_the_user,
    wrong_password_and_unknown_email_get_the_same_answer,
    forged_tampered_and_expired_tokens_are_refused,
    refresh_rotates_and_a_reused_refresh_token_ends_the_session,
    the_refresh_cookie_is_refused_without_the_csrf_header_or_from_another_site,
    logout_ends_the_session_at_once,
    deactivation_and_role_changes_apply_on_the_next_request,
    api_tokens_work_by_scope_and_stop_when_revoked,
    repeated_failures_are_throttled_with_retry_after,
    a_reset_password_must_be_changed_first,
    updates_need_if_match_and_stale_ones_get_412,
    twenty_concurrent_edits_give_exactly_one_success,
    the_first_start_creates_one_administrator_who_must_change_the_password,
    many_failures_from_one_client_are_throttled_across_accounts,
);

async fn many_failures_from_one_client_are_throttled_across_accounts(app: TestApp) {
    // Twenty different (unknown) accounts from one address: the address is blocked.
    for i in 0..20 {
        let res = app.try_login(&format!("gissning{i}@tranas.se"), "fel lösenord här").await;
        assert_eq!(res.status(), 401, "attempt {i}");
    }
    let user = app.create_user("reader", None);
    let res = app.try_login(&user.email, &user.password).await;
    assert!(res.headers().contains_key("retry-after"));
    assert_problem(res, 429, "too-many-attempts").await;
}

async fn the_first_start_creates_one_administrator_who_must_change_the_password(app: TestApp) {
    let mut conn = app.db.connect();
    let admin = utblick_db::identity::find_user_by_email(&mut conn, utblick_api::startup::FIRST_ADMIN_EMAIL)
        .unwrap()
        .unwrap();
    assert_eq!(admin.role, "admin");
    assert!(admin.must_change_password);
    assert!(admin.password_hash.starts_with("$argon2id$"));
    assert_eq!(utblick_db::identity::count_users(&mut conn).unwrap(), 1);
    let event = app.audit_events().into_iter().find(|e| e.action == "user.created").unwrap();
    assert_eq!(event.actor_kind, "system");
    // A restart creates no second one.
    let db = app.stop().await;
    let again = TestApp::spawn_on(db).await;
    assert_eq!(utblick_db::identity::count_users(&mut again.db.connect()).unwrap(), 1);
}

async fn login_gives_tokens_and_me_names_the_user(app: TestApp) {
    let user = app.create_user("coordinator", None);
    let login = app.try_login(&user.email, &user.password).await;
    assert_eq!(login.status(), 200);
    // The refresh token is for the browser's cookie jar only, never for scripts.
    let cookie = login
        .headers()
        .get_all("set-cookie")
        .iter()
        .map(|v| v.to_str().unwrap().to_owned())
        .find(|v| v.starts_with("utblick_refresh="))
        .expect("a refresh cookie");
    for part in ["HttpOnly", "Secure", "SameSite=Strict", "Path=/api/v1/auth/refresh", "Max-Age=28800"] {
        assert!(cookie.contains(part), "{cookie} lacks {part}");
    }
    assert!(utblick_tests::refresh_cookie(&login).unwrap().len() >= 32);
    assert_eq!(login.headers()["cache-control"], "no-store");
    let res: serde_json::Value = login.json().await.unwrap();
    assert_eq!(res["token_type"], "Bearer");
    assert!(res["expires_in"].as_i64().unwrap() <= 900, "access tokens live at most 15 minutes");
    assert!(res.get("refresh_token").is_none(), "no refresh token in a body scripts can read");
    let me = app.req(Method::GET, "/api/v1/me", res["access_token"].as_str()).send().await.unwrap();
    assert_eq!(me.status(), 200);
    let me: serde_json::Value = me.json().await.unwrap();
    assert_eq!(me["email"], user.email);
    assert_eq!(me["role"], "coordinator");
    assert!(me.get("password_hash").is_none());
    let anonymous = app.req(Method::GET, "/api/v1/me", None).send().await.unwrap();
    assert_eq!(anonymous.headers()["www-authenticate"], "Bearer realm=\"utblick\"");
    assert_problem(anonymous, 401, "unauthenticated").await;
}

async fn wrong_password_and_unknown_email_get_the_same_answer(app: TestApp) {
    let user = app.create_user("reader", None);
    let wrong =
        assert_problem(app.try_login(&user.email, "fel lösenord här").await, 401, "invalid-credentials")
            .await;
    let unknown = assert_problem(
        app.try_login("ingen.alls@tranas.se", "fel lösenord här").await,
        401,
        "invalid-credentials",
    )
    .await;
    assert_eq!(wrong, unknown, "the answers must not tell which accounts exist");
    // Failed sign-ins are security events, not changes: the audit log stays as it was.
    assert!(app.audit_events().iter().all(|e| !e.action.starts_with("login")));
    let events = app.security_events();
    assert_eq!(events.len(), 2);
    assert!(events.iter().all(|e| e.kind == "login.failed" && e.client_ip.as_deref() == Some("127.0.0.1")));
    assert_eq!(events[0].account.as_deref(), Some("ingen.alls@tranas.se"));
    assert_eq!(events[0].user_id, None);
    assert!(events[0].detail.contains("unknown-account"));
    assert_eq!(events[1].user_id, Some(user.id));
    assert!(events[1].detail.contains("wrong-password"));
    let malformed = app.try_login("inte en adress", "x").await;
    assert_problem(malformed, 422, "validation-failed").await;
}

fn claims(user_id: i64, sid: &str) -> Claims {
    let now = chrono::Utc::now().timestamp();
    Claims {
        sub: user_id.to_string(),
        sid: sid.to_owned(),
        iss: "utblick".into(),
        aud: "utblick-api".into(),
        iat: now,
        nbf: now,
        exp: now + 600,
        jti: "test".into(),
    }
}

fn sign(claims: &Claims, alg: Algorithm, secret: &str) -> String {
    encode(&Header::new(alg), claims, &EncodingKey::from_secret(secret.as_bytes())).unwrap()
}

fn b64url(bytes: &[u8]) -> String {
    const A: &[u8; 64] = b"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_";
    let mut out = String::new();
    for chunk in bytes.chunks(3) {
        let n = chunk.iter().enumerate().fold(0u32, |acc, (i, b)| acc | (u32::from(*b) << (16 - 8 * i)));
        for i in 0..=chunk.len() {
            out.push(A[((n >> (18 - 6 * i)) & 63) as usize] as char);
        }
    }
    out
}

/// The `sid` inside a real token, to forge others for the same session.
fn session_of(token: &str) -> String {
    let payload = token.split('.').nth(1).unwrap();
    let mut bits = Vec::new();
    for c in payload.bytes() {
        let v = match c {
            b'A'..=b'Z' => c - b'A',
            b'a'..=b'z' => c - b'a' + 26,
            b'0'..=b'9' => c - b'0' + 52,
            b'-' => 62,
            _ => 63,
        };
        bits.push(v);
    }
    let mut bytes = Vec::new();
    for chunk in bits.chunks(4) {
        let n = chunk.iter().enumerate().fold(0u32, |acc, (i, v)| acc | (u32::from(*v) << (18 - 6 * i)));
        for i in 0..chunk.len().saturating_sub(1) {
            bytes.push((n >> (16 - 8 * i)) as u8);
        }
    }
    let v: serde_json::Value = serde_json::from_slice(&bytes).unwrap();
    v["sid"].as_str().unwrap().to_owned()
}

async fn forged_tampered_and_expired_tokens_are_refused(app: TestApp) {
    let user = app.create_user("admin", None);
    let good = app.login(&user).await;
    let sid = session_of(&good);
    let ok = sign(&claims(user.id, &sid), Algorithm::HS256, TEST_JWT_SECRET);
    assert_eq!(
        app.req(Method::GET, "/api/v1/me", Some(&ok)).send().await.unwrap().status(),
        200,
        "the forge works"
    );

    let mut refused: Vec<(&str, String)> = Vec::new();
    let mut parts: Vec<String> = good.split('.').map(str::to_owned).collect();
    let sig = parts[2].clone();
    parts[2] = format!("{}{}", &sig[..sig.len() - 2], if sig.ends_with("AA") { "BB" } else { "AA" });
    refused.push(("tampered signature", parts.join(".")));
    let mut c = claims(user.id + 1000, &sid);
    refused.push(("another user, same session", sign(&c, Algorithm::HS256, TEST_JWT_SECRET)));
    c = claims(user.id, &sid);
    refused
        .push(("wrong secret", sign(&c, Algorithm::HS256, "another-secret-of-thirty-two-bytes-or-more!!")));
    refused.push(("HS512", sign(&c, Algorithm::HS512, TEST_JWT_SECRET)));
    refused.push(("HS384", sign(&c, Algorithm::HS384, TEST_JWT_SECRET)));
    let none_header = b64url(br#"{"alg":"none","typ":"JWT"}"#);
    let payload = b64url(serde_json::to_string(&c).unwrap().as_bytes());
    refused.push(("alg none", format!("{none_header}.{payload}.")));
    refused.push(("alg none without dot", format!("{none_header}.{payload}")));
    let mut expired = claims(user.id, &sid);
    expired.exp = chrono::Utc::now().timestamp() - 120;
    expired.iat = expired.exp - 900;
    expired.nbf = expired.iat;
    refused.push(("expired", sign(&expired, Algorithm::HS256, TEST_JWT_SECRET)));
    let mut future = claims(user.id, &sid);
    future.nbf = chrono::Utc::now().timestamp() + 600;
    refused.push(("not yet valid", sign(&future, Algorithm::HS256, TEST_JWT_SECRET)));
    let mut aud = claims(user.id, &sid);
    aud.aud = "another-api".into();
    refused.push(("wrong aud", sign(&aud, Algorithm::HS256, TEST_JWT_SECRET)));
    let mut iss = claims(user.id, &sid);
    iss.iss = "someone-else".into();
    refused.push(("wrong iss", sign(&iss, Algorithm::HS256, TEST_JWT_SECRET)));
    let mut no_nbf = serde_json::to_value(claims(user.id, &sid)).unwrap();
    no_nbf.as_object_mut().unwrap().remove("nbf");
    refused.push((
        "missing nbf",
        encode(
            &Header::new(Algorithm::HS256),
            &no_nbf,
            &EncodingKey::from_secret(TEST_JWT_SECRET.as_bytes()),
        )
        .unwrap(),
    ));
    refused.push(("unknown session", sign(&claims(user.id, "0000"), Algorithm::HS256, TEST_JWT_SECRET)));
    refused.push(("garbage", "not.a.token".into()));
    refused.push(("API token shape, unknown", format!("utb_{}_{}", "a".repeat(8), "b".repeat(40))));
    for (what, token) in refused {
        let res = app.req(Method::GET, "/api/v1/me", Some(&token)).send().await.unwrap();
        assert_eq!(res.status(), 401, "{what} must be refused");
        assert_problem(res, 401, "unauthenticated").await;
    }
    for header in ["Basic YWRtaW46YWRtaW4=", "Bearer", "Bearer    ", "Token abc"] {
        let res = app.client.get(app.url("/api/v1/me")).header("Authorization", header).send().await.unwrap();
        assert_problem(res, 401, "unauthenticated").await;
    }
}

async fn refresh_rotates_and_a_reused_refresh_token_ends_the_session(app: TestApp) {
    let user = app.create_user("reader", None);
    let (_, first) = app.login_session(&user).await;
    let second = app.refresh_with(&first).await;
    assert_eq!(second.status(), 200);
    let second_token = utblick_tests::refresh_cookie(&second).unwrap();
    assert_ne!(second_token, first, "rotated");
    let second: serde_json::Value = second.json().await.unwrap();
    let access = second["access_token"].as_str().unwrap();
    assert_eq!(app.req(Method::GET, "/api/v1/me", Some(access)).send().await.unwrap().status(), 200);

    // The browser lost that answer (it navigated away) and sends the first token again at
    // once: a retry. It gets a new token; the one it never received is spent.
    let retry = app.refresh_with(&first).await;
    assert_eq!(retry.status(), 200, "a quick retry with an unused successor");
    let third = utblick_tests::refresh_cookie(&retry).unwrap();
    assert_problem(app.refresh_with(&second_token).await, 401, "unauthenticated").await;
    let fourth = app.refresh_with(&third).await;
    assert_eq!(fourth.status(), 200);

    // Now the first token again, after its successors were used: a stolen copy. The whole
    // session ends, and the browser is told to forget the cookie.
    let reused = app.refresh_with(&first).await;
    assert_eq!(utblick_tests::refresh_cookie(&reused).as_deref(), Some(""));
    assert_problem(reused, 401, "unauthenticated").await;
    assert_problem(
        app.req(Method::GET, "/api/v1/me", Some(access)).send().await.unwrap(),
        401,
        "unauthenticated",
    )
    .await;
    let fourth_token = utblick_tests::refresh_cookie(&fourth).unwrap();
    assert_problem(app.refresh_with(&fourth_token).await, 401, "unauthenticated").await;
    assert_eq!(
        app.audit_events()
            .iter()
            .find(|e| e.action == "session.revoked")
            .map(|e| e.changes.contains("reused")),
        Some(true)
    );
    assert_problem(app.refresh_with("nonsense").await, 401, "unauthenticated").await;
    assert!(app.security_events().iter().any(|e| e.kind == "refresh.refused"));
    // No cookie at all: not signed in in this browser.
    let none =
        app.client.post(app.url("/api/v1/auth/refresh")).header("X-Utblick-Csrf", "1").send().await.unwrap();
    assert_problem(none, 401, "unauthenticated").await;
}

async fn the_refresh_cookie_is_refused_without_the_csrf_header_or_from_another_site(app: TestApp) {
    let user = app.create_user("reader", None);
    let (_, token) = app.login_session(&user).await;
    let cookie = format!("utblick_refresh={token}");
    let forged =
        app.client.post(app.url("/api/v1/auth/refresh")).header("Cookie", &cookie).send().await.unwrap();
    assert_problem(forged, 403, "csrf-refused").await;
    let cross_site = app
        .client
        .post(app.url("/api/v1/auth/refresh"))
        .header("Cookie", &cookie)
        .header("X-Utblick-Csrf", "1")
        .header("Sec-Fetch-Site", "cross-site")
        .send()
        .await
        .unwrap();
    assert_problem(cross_site, 403, "csrf-refused").await;
    assert_eq!(app.security_events().iter().filter(|e| e.kind == "csrf.refused").count(), 2);
    // The refused requests spent nothing: the token still works from the page.
    assert_eq!(app.refresh_with(&token).await.status(), 200);
}

async fn logout_ends_the_session_at_once(app: TestApp) {
    let user = app.create_user("reporter", Some(app.create_organisation("Kultur")));
    let (access, refresh) = app.login_session(&user).await;
    let access = access.as_str();
    let other = app.login(&user).await;
    let out = app.req(Method::POST, "/api/v1/auth/logout", Some(access)).send().await.unwrap();
    assert_eq!(out.status(), 204);
    assert_eq!(utblick_tests::refresh_cookie(&out).as_deref(), Some(""), "the browser forgets the cookie");
    assert_problem(
        app.req(Method::GET, "/api/v1/me", Some(access)).send().await.unwrap(),
        401,
        "unauthenticated",
    )
    .await;
    assert_problem(app.refresh_with(&refresh).await, 401, "unauthenticated").await;
    assert_eq!(
        app.req(Method::GET, "/api/v1/me", Some(&other)).send().await.unwrap().status(),
        200,
        "other sessions go on"
    );
}

async fn create_org(app: &TestApp, token: &str) -> u16 {
    app.req(Method::POST, "/api/v1/organisations", Some(token))
        .json(&serde_json::json!({"name": format!("Org {}", utblick_tests::unique()), "kind": "company"}))
        .send()
        .await
        .unwrap()
        .status()
        .as_u16()
}

async fn deactivation_and_role_changes_apply_on_the_next_request(app: TestApp) {
    let admin = app.create_user("admin", None);
    let admin_token = app.login(&admin).await;
    let user = app.create_user("coordinator", None);
    let token = app.login(&user).await;
    assert_eq!(create_org(&app, &token).await, 201);
    let patch = |body: serde_json::Value, version: i64| {
        app.req(Method::PATCH, &format!("/api/v1/users/{}", user.id), Some(&admin_token))
            .header("If-Match", format!("\"{version}\""))
            .json(&body)
            .send()
    };
    let res = patch(serde_json::json!({"role": "reader"}), 1).await.unwrap();
    assert_eq!(res.status(), 200);
    assert_eq!(res.headers()["etag"], "\"2\"");
    assert_eq!(create_org(&app, &token).await, 403, "the role change applies at once, same token");
    assert_eq!(patch(serde_json::json!({"active": false}), 2).await.unwrap().status(), 200);
    assert_problem(
        app.req(Method::GET, "/api/v1/me", Some(&token)).send().await.unwrap(),
        401,
        "unauthenticated",
    )
    .await;
    let again = app.try_login(&user.email, &user.password).await;
    assert_problem(again, 401, "invalid-credentials").await;
    let events: Vec<String> = app.audit_events().iter().map(|e| e.action.clone()).collect();
    assert!(events.contains(&"user.updated".to_owned()));
    let update = app.audit_events().into_iter().find(|e| e.action == "user.updated").unwrap();
    assert_eq!(update.actor_id, Some(admin.id));
    assert!(
        update.changes.contains("\"before\":true") && update.changes.contains("\"after\":false"),
        "{}",
        update.changes
    );
}

async fn api_tokens_work_by_scope_and_stop_when_revoked(app: TestApp) {
    let admin = app.create_user("admin", None);
    let admin_token = app.login(&admin).await;
    let created = app
        .req(Method::POST, "/api/v1/api-tokens", Some(&admin_token))
        .json(&serde_json::json!({"name": "Styrkort", "scopes": ["read", "kpi:read"]}))
        .send()
        .await
        .unwrap();
    assert_eq!(created.status(), 201);
    let created: serde_json::Value = created.json().await.unwrap();
    let token = created["token"].as_str().unwrap().to_owned();
    assert!(token.starts_with(&format!("utb_{}_", created["prefix"].as_str().unwrap())));
    assert_eq!(
        app.req(Method::GET, "/api/v1/organisations", Some(&token)).send().await.unwrap().status(),
        200
    );
    assert_problem(
        app.req(Method::GET, "/api/v1/users", Some(&token)).send().await.unwrap(),
        403,
        "forbidden",
    )
    .await;
    let listed: serde_json::Value = app
        .req(Method::GET, "/api/v1/api-tokens", Some(&admin_token))
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    let row = &listed["items"][0];
    assert!(row.get("token").is_none(), "the secret is never shown again");
    assert!(row["last_used_at"].is_string(), "last use is recorded");
    let (_, kpi_only) = app.create_api_token("kpi:read", admin.id);
    assert_problem(
        app.req(Method::GET, "/api/v1/organisations", Some(&kpi_only)).send().await.unwrap(),
        403,
        "forbidden",
    )
    .await;
    let id = created["id"].as_i64().unwrap();
    let revoked = app
        .req(Method::POST, &format!("/api/v1/api-tokens/{id}/revoke"), Some(&admin_token))
        .send()
        .await
        .unwrap();
    assert_eq!(revoked.status(), 200);
    assert_problem(
        app.req(Method::GET, "/api/v1/organisations", Some(&token)).send().await.unwrap(),
        401,
        "unauthenticated",
    )
    .await;
    let expired = app
        .req(Method::POST, "/api/v1/api-tokens", Some(&admin_token))
        .json(&serde_json::json!({"name": "x", "scopes": ["read"], "expires_at": "2020-01-01T00:00:00Z"}))
        .send()
        .await
        .unwrap();
    let body = assert_problem(expired, 422, "validation-failed").await;
    assert_eq!(body["errors"][0]["field"], "expires_at");
}

async fn repeated_failures_are_throttled_with_retry_after(app: TestApp) {
    let user = app.create_user("reader", None);
    for _ in 0..5 {
        assert_eq!(app.try_login(&user.email, "fel lösenord här").await.status(), 401);
    }
    let res = app.try_login(&user.email, "fel lösenord här").await;
    let retry: i64 = res.headers()["retry-after"].to_str().unwrap().parse().unwrap();
    assert!(retry > 0 && retry <= 900, "{retry}");
    assert_problem(res, 429, "too-many-attempts").await;
    let right = app.try_login(&user.email, utblick_tests::TEST_PASSWORD).await;
    assert_problem(right, 429, "too-many-attempts").await;
}

async fn a_reset_password_must_be_changed_first(app: TestApp) {
    let admin = app.create_user("admin", None);
    let admin_token = app.login(&admin).await;
    let mut user = app.create_user("coordinator", None);
    let before = app.login(&user).await;
    let reset = app
        .req(Method::POST, &format!("/api/v1/users/{}/password", user.id), Some(&admin_token))
        .json(&serde_json::json!({"new_password": "ett nytt tillfälligt lösen"}))
        .send()
        .await
        .unwrap();
    assert_eq!(reset.status(), 204);
    assert_problem(
        app.req(Method::GET, "/api/v1/me", Some(&before)).send().await.unwrap(),
        401,
        "unauthenticated",
    )
    .await;
    user.password = "ett nytt tillfälligt lösen".into();
    let token = app.login(&user).await;
    assert_problem(
        app.req(Method::GET, "/api/v1/organisations", Some(&token)).send().await.unwrap(),
        403,
        "password-change-required",
    )
    .await;
    let weak = app
        .req(Method::POST, "/api/v1/me/password", Some(&token))
        .json(&serde_json::json!({"current_password": user.password, "new_password": "password1234"}))
        .send()
        .await
        .unwrap();
    assert_eq!(assert_problem(weak, 422, "validation-failed").await["errors"][0]["field"], "new_password");
    let changed = app
        .req(Method::POST, "/api/v1/me/password", Some(&token))
        .json(&serde_json::json!({"current_password": user.password, "new_password": "mitt eget långa lösenord"}))
        .send()
        .await
        .unwrap();
    assert_eq!(changed.status(), 204);
    assert_eq!(
        app.req(Method::GET, "/api/v1/organisations", Some(&token)).send().await.unwrap().status(),
        200
    );
    let own = app
        .req(Method::POST, &format!("/api/v1/users/{}/password", admin.id), Some(&admin_token))
        .json(&serde_json::json!({"new_password": "ett nytt tillfälligt lösen"}))
        .send()
        .await
        .unwrap();
    assert_problem(own, 409, "state-conflict").await;
}

async fn updates_need_if_match_and_stale_ones_get_412(app: TestApp) {
    let admin = app.create_user("admin", None);
    let t = app.login(&admin).await;
    let user = app.create_user("reader", None);
    let path = format!("/api/v1/users/{}", user.id);
    let got = app.req(Method::GET, &path, Some(&t)).send().await.unwrap();
    assert_eq!(got.headers()["etag"], "\"1\"");
    let body = serde_json::json!({"display_name": "Ny Namn"});
    let none = app.req(Method::PATCH, &path, Some(&t)).json(&body).send().await.unwrap();
    assert_problem(none, 428, "precondition-required").await;
    let ok =
        app.req(Method::PATCH, &path, Some(&t)).header("If-Match", "\"1\"").json(&body).send().await.unwrap();
    assert_eq!(ok.status(), 200);
    let stale =
        app.req(Method::PATCH, &path, Some(&t)).header("If-Match", "\"1\"").json(&body).send().await.unwrap();
    assert_problem(stale, 412, "precondition-failed").await;
    let me = app
        .req(Method::PATCH, &format!("/api/v1/users/{}", admin.id), Some(&t))
        .header("If-Match", "\"1\"")
        .json(&serde_json::json!({"active": false}))
        .send()
        .await
        .unwrap();
    assert_eq!(assert_problem(me, 409, "state-conflict").await["errors"][0]["field"], "active");
    let reporter = app
        .req(Method::POST, "/api/v1/users", Some(&t))
        .json(&serde_json::json!({"email": "r@tranas.se", "display_name": "R", "role": "reporter", "password": "ett långt lösenord här"}))
        .send()
        .await
        .unwrap();
    assert_eq!(
        assert_problem(reporter, 422, "validation-failed").await["errors"][0]["field"],
        "organisation_id"
    );
    let dup = app
        .req(Method::POST, "/api/v1/users", Some(&t))
        .json(&serde_json::json!({"email": user.email.to_uppercase(), "display_name": "R", "role": "reader", "password": "ett långt lösenord här"}))
        .send()
        .await
        .unwrap();
    assert_problem(dup, 409, "conflict").await;
}

async fn twenty_concurrent_edits_give_exactly_one_success(app: TestApp) {
    let admin = app.create_user("admin", None);
    let t = app.login(&admin).await;
    let user = app.create_user("reader", None);
    let path = format!("/api/v1/users/{}", user.id);
    let mut handles = Vec::new();
    for i in 0..20 {
        let req = app
            .req(Method::PATCH, &path, Some(&t))
            .header("If-Match", "\"1\"")
            .json(&serde_json::json!({"display_name": format!("Namn {i}")}));
        handles.push(tokio::spawn(async move { req.send().await.unwrap().status().as_u16() }));
    }
    let mut statuses = Vec::new();
    for h in handles {
        statuses.push(h.await.unwrap());
    }
    assert_eq!(statuses.iter().filter(|s| **s == 200).count(), 1, "{statuses:?}");
    assert_eq!(statuses.iter().filter(|s| **s == 412).count(), 19, "{statuses:?}");
}

/// Behind a reverse proxy (`server.trusted_proxies`): each client is throttled and audited
/// by the address the proxy saw; a forged `X-Forwarded-For` from anyone else changes
/// nothing.
mod behind_a_proxy {
    use utblick_tests::{Backend, TestApp, assert_problem};

    async fn login_from(
        app: &TestApp,
        forwarded_for: &str,
        email: &str,
        password: &str,
    ) -> reqwest::Response {
        app.client
            .post(app.url("/api/v1/auth/login"))
            .header("X-Forwarded-For", forwarded_for)
            .json(&serde_json::json!({"email": email, "password": password}))
            .send()
            .await
            .unwrap()
    }

    async fn clients_are_told_apart_by_the_trusted_proxy(backend: Backend) {
        let Some(app) = TestApp::spawn_with(backend, |s| s.server.trusted_proxies = "127.0.0.1".into()).await
        else {
            return;
        };
        for i in 0..20 {
            let res =
                login_from(&app, "198.51.100.1", &format!("gissning{i}@tranas.se"), "fel lösenord här").await;
            assert_eq!(res.status(), 401, "attempt {i}");
        }
        let user = app.create_user("reader", None);
        let blocked = login_from(&app, "6.6.6.6, 198.51.100.1", &user.email, &user.password).await;
        assert_problem(blocked, 429, "too-many-attempts").await;
        let other = login_from(&app, "198.51.100.2", &user.email, &user.password).await;
        assert_eq!(other.status(), 200, "another client behind the same proxy still signs in");
        let events = app.security_events();
        let failed = events.iter().find(|e| e.kind == "login.failed").unwrap();
        assert_eq!(failed.client_ip.as_deref(), Some("198.51.100.1"), "the security log names the client");
    }

    async fn a_forged_header_is_ignored_without_a_trusted_proxy(backend: Backend) {
        let Some(app) = TestApp::spawn(backend).await else { return };
        for i in 0..20 {
            // A different forged address each time does not escape the throttle.
            let res = login_from(
                &app,
                &format!("203.0.113.{i}"),
                &format!("gissning{i}@tranas.se"),
                "fel lösenord här",
            )
            .await;
            assert_eq!(res.status(), 401, "attempt {i}");
        }
        let user = app.create_user("reader", None);
        assert_problem(
            login_from(&app, "203.0.113.99", &user.email, &user.password).await,
            429,
            "too-many-attempts",
        )
        .await;
        let failed: Vec<_> = app.security_events().into_iter().filter(|e| e.kind == "login.failed").collect();
        assert!(!failed.is_empty());
        assert!(
            failed.iter().all(|e| e.client_ip.as_deref() == Some("127.0.0.1")),
            "the TCP peer, not the header"
        );
    }

    #[tokio::test(flavor = "multi_thread", worker_threads = 2)]
    async fn sqlite_trusted() {
        clients_are_told_apart_by_the_trusted_proxy(Backend::Sqlite).await;
    }

    #[tokio::test(flavor = "multi_thread", worker_threads = 2)]
    async fn postgres_trusted() {
        clients_are_told_apart_by_the_trusted_proxy(Backend::Postgres).await;
    }

    #[tokio::test(flavor = "multi_thread", worker_threads = 2)]
    async fn sqlite_untrusted() {
        a_forged_header_is_ignored_without_a_trusted_proxy(Backend::Sqlite).await;
    }

    #[tokio::test(flavor = "multi_thread", worker_threads = 2)]
    async fn postgres_untrusted() {
        a_forged_header_is_ignored_without_a_trusted_proxy(Backend::Postgres).await;
    }
}
