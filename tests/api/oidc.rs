//! Signing in with the municipality's identity provider, against a stand-in provider whose
//! ID tokens each test shapes (`utblick_tests::idp`): the code flow with PKCE, `state` and
//! `nonce`; the groups make the role; a tampered ID token, a wrong nonce, a wrong audience,
//! an expired token and a replayed answer are refused, each in the security log and with no
//! session.

use secrecy::SecretString;
use utblick_tests::idp::{CLIENT_ID, CLIENT_SECRET, Idp, NextToken, challenge_of};
use utblick_tests::{Backend, TestApp};

mod flows {
    use super::*;

    macro_rules! both {
        ($($name:ident),*) => {
            mod sqlite {
                $(#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
                async fn $name() { super::$name(utblick_tests::Backend::Sqlite).await })*
            }
            mod postgres {
                $(#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
                async fn $name() { super::$name(utblick_tests::Backend::Postgres).await })*
            }
        };
    }
    both!(
        the_groups_make_the_role_and_a_session_opens,
        what_is_not_the_providers_own_answer_is_refused,
        signing_out_at_the_provider_ends_the_session_and_the_other_way_round,
        passwords_can_be_left_to_administrators,
        a_rotated_signing_key_is_read_at_once
    );

    /// Utblick with the stand-in provider and rules for two groups.
    async fn with_provider(backend: Backend) -> Option<(TestApp, Idp)> {
        with_provider_and(backend, |_| {}).await
    }

    async fn with_provider_and(
        backend: Backend,
        change: impl FnOnce(&mut utblick_api::Settings) + Send + 'static,
    ) -> Option<(TestApp, Idp)> {
        let idp = Idp::start().await;
        let issuer = idp.issuer.clone();
        let app = TestApp::spawn_with(backend, move |s| {
            change(s);
            s.oidc.issuer = Some(issuer);
            s.oidc.client_id = CLIENT_ID.into();
            s.oidc.client_secret = Some(SecretString::from(CLIENT_SECRET.to_owned()));
            s.oidc.group_rules = "utblick-admin=admin; utblick-reporter-tekniska=reporter:TEK".into();
        })
        .await?;
        let org = app.create_organisation("Tekniska förvaltningen");
        utblick_db::identity::set_organisation_links(&mut app.db.connect(), org, None, Some("TEK")).unwrap();
        Some((app, idp))
    }

    /// A sign-in begun: the provider's URL's `state`, `nonce` and PKCE challenge.
    async fn begin(app: &TestApp) -> (String, String, String) {
        let res = app.get("/api/v1/auth/oidc/login").await;
        assert_eq!(res.status(), 303);
        let to = url::Url::parse(res.headers()["location"].to_str().unwrap()).unwrap();
        let q = |k: &str| to.query_pairs().find(|(n, _)| n == k).map(|(_, v)| v.into_owned()).unwrap();
        assert_eq!(to.path(), "/authorize");
        assert_eq!((q("response_type").as_str(), q("client_id").as_str()), ("code", CLIENT_ID));
        assert_eq!(q("code_challenge_method"), "S256");
        assert!(q("scope").split(' ').any(|s| s == "openid"));
        (q("state"), q("nonce"), q("code_challenge"))
    }

    /// The provider's answer arriving: where it sends the browser, and the refresh cookie.
    async fn callback(app: &TestApp, query: &str) -> (String, Option<String>) {
        let res = app.get(&format!("/api/v1/auth/oidc/callback?{query}")).await;
        assert_eq!(res.status(), 303, "{query}");
        let location = res.headers()["location"].to_str().unwrap().to_owned();
        (location, utblick_tests::refresh_cookie(&res))
    }

    fn person(sub: &str, nonce: &str, groups: &[&str]) -> serde_json::Value {
        serde_json::json!({
            "sub": sub, "nonce": nonce, "email": format!("{sub}@tranas.se"), "name": "Eva Ek",
            "groups": groups, "sid": format!("sid-{sub}"),
        })
    }

    async fn the_groups_make_the_role_and_a_session_opens(backend: Backend) {
        let Some((app, idp)) = with_provider(backend).await else { return };
        let site = app.get_json("/api/v1/site").await;
        assert_eq!(site["single_sign_on"], true, "the sign-in page offers it");
        let (state, nonce, challenge) = begin(&app).await;
        idp.next(NextToken {
            claims: person("eva", &nonce, &["utblick-reporter-tekniska", "alla"]),
            tamper: false,
        });
        let (to, cookie) = callback(&app, &format!("code=c1&state={state}")).await;
        assert_eq!(to, "/login.html?sso=signed-in");
        // The code went to the token endpoint with the PKCE verifier of the challenge, and
        // the client authenticated itself.
        let exchange = &idp.exchanges()[0];
        assert_eq!((exchange.code.as_str(), challenge_of(&exchange.code_verifier)), ("c1", challenge));
        assert!(exchange.authorization.as_deref().is_some_and(|a| a.starts_with("Basic ")));
        // The session is a session like any: the page gets its access token by refreshing.
        let res = app.refresh_with(&cookie.unwrap()).await;
        assert_eq!(res.status(), 200);
        let me: serde_json::Value = res.json().await.unwrap();
        assert_eq!(
            (me["user"]["email"].as_str(), me["user"]["role"].as_str()),
            (Some("eva@tranas.se"), Some("reporter"))
        );
        assert!(me["user"]["organisation_id"].as_i64().is_some());
        let login = app.audit_events().into_iter().find(|e| e.action == "login").unwrap();
        assert!(login.changes.contains("\"method\":\"oidc\""), "the audit log says which: {}", login.changes);
        // No group Utblick knows: the account waits for an administrator.
        let (state, nonce, _) = begin(&app).await;
        idp.next(NextToken { claims: person("olle", &nonce, &["alla"]), tamper: false });
        assert_eq!(
            callback(&app, &format!("code=c2&state={state}")).await,
            ("/login.html?sso=pending".into(), None)
        );
        idp.stop().await;
    }

    /// How a case shapes its ID token from the sign-in's nonce.
    type Shape = Box<dyn Fn(&str) -> NextToken>;

    async fn what_is_not_the_providers_own_answer_is_refused(backend: Backend) {
        let Some((app, idp)) = with_provider(backend).await else { return };
        let issuer = idp.issuer.clone();
        let now = chrono::Utc::now().timestamp();
        let cases: Vec<(&str, Shape)> = vec![
            ("tampered", Box::new(|n| NextToken { claims: person("eva", n, &[]), tamper: true })),
            (
                "wrong nonce",
                Box::new(|_| NextToken {
                    claims: person("eva", "another", &["utblick-admin"]),
                    tamper: false,
                }),
            ),
            (
                "wrong audience",
                Box::new(|n| {
                    let mut c = person("eva", n, &["utblick-admin"]);
                    c["aud"] = "another-client".into();
                    NextToken { claims: c, tamper: false }
                }),
            ),
            (
                "expired",
                Box::new(move |n| {
                    let mut c = person("eva", n, &["utblick-admin"]);
                    c["iat"] = (now - 3600).into();
                    c["exp"] = (now - 1800).into();
                    NextToken { claims: c, tamper: false }
                }),
            ),
            (
                "another issuer",
                Box::new(move |n| {
                    let mut c = person("eva", n, &["utblick-admin"]);
                    c["iss"] = format!("{issuer}/other").into();
                    NextToken { claims: c, tamper: false }
                }),
            ),
        ];
        for (i, (what, token)) in cases.iter().enumerate() {
            let (state, nonce, _) = begin(&app).await;
            idp.next(token(&nonce));
            let (to, cookie) = callback(&app, &format!("code=bad{i}&state={state}")).await;
            assert_eq!((to.as_str(), cookie), ("/login.html?sso=failed", None), "{what}");
        }
        let refused =
            app.security_events().into_iter().filter(|e| e.detail.contains("token-refused")).count();
        assert_eq!(refused, cases.len(), "each in the security log");
        // The provider's answer replayed: the sign-in it belonged to is spent.
        let (state, nonce, _) = begin(&app).await;
        idp.next(NextToken { claims: person("eva", &nonce, &["utblick-admin"]), tamper: false });
        let query = format!("code=good&state={state}");
        assert_eq!(callback(&app, &query).await.0, "/login.html?sso=signed-in");
        idp.next(NextToken { claims: person("eva", &nonce, &["utblick-admin"]), tamper: false });
        assert_eq!(callback(&app, &query).await, ("/login.html?sso=failed".into(), None), "replayed");
        // A state never begun, no code, the provider's own refusal.
        assert_eq!(callback(&app, "code=x&state=forged").await.0, "/login.html?sso=failed");
        assert_eq!(callback(&app, "state=x").await.0, "/login.html?sso=failed");
        assert_eq!(callback(&app, "error=access_denied&state=x").await.0, "/login.html?sso=refused");
        // Nobody signed in as the administrator but through the one good answer.
        let sessions = app.audit_events().iter().filter(|e| e.action == "login").count();
        assert_eq!(sessions, 1);
        idp.stop().await;
    }

    /// Signs `sub` in through the provider: the refresh cookie.
    async fn signed_in(app: &TestApp, idp: &Idp, sub: &str, code: &str) -> String {
        let (state, nonce, _) = begin(app).await;
        idp.next(NextToken { claims: person(sub, &nonce, &["utblick-admin"]), tamper: false });
        let (to, cookie) = callback(app, &format!("code={code}&state={state}")).await;
        assert_eq!(to, "/login.html?sso=signed-in");
        cookie.unwrap()
    }

    async fn backchannel(app: &TestApp, token: &str) -> reqwest::Response {
        reqwest::Client::new()
            .post(app.url("/api/v1/auth/oidc/backchannel-logout"))
            .form(&[("logout_token", token)])
            .send()
            .await
            .unwrap()
    }

    async fn signing_out_at_the_provider_ends_the_session_and_the_other_way_round(backend: Backend) {
        let Some((app, idp)) = with_provider(backend).await else { return };
        // The provider says, server to server, that eva signed out there: her session ends.
        let cookie = signed_in(&app, &idp, "eva", "b1").await;
        let forged = idp.logout_token(serde_json::json!({"sid": "sid-eva", "aud": "another-client"}));
        assert_eq!(backchannel(&app, &forged).await.status(), 400, "for another client");
        let with_nonce = idp.logout_token(serde_json::json!({"sid": "sid-eva", "nonce": "n"}));
        assert_eq!(backchannel(&app, &with_nonce).await.status(), 400, "a logout token has no nonce");
        let mut tampered = idp.logout_token(serde_json::json!({"sid": "sid-olle"}));
        tampered.push('x');
        assert_eq!(backchannel(&app, &tampered).await.status(), 400);
        assert_eq!(app.security_events().iter().filter(|e| e.kind == "logout.refused").count(), 3);
        let res = app.refresh_with(&cookie).await;
        assert_eq!(res.status(), 200, "refused sign-outs end nothing");
        let cookie = utblick_tests::refresh_cookie(&res).unwrap();
        let token = idp.logout_token(serde_json::json!({"sid": "sid-eva"}));
        assert_eq!(backchannel(&app, &token).await.status(), 200);
        assert_eq!(app.refresh_with(&cookie).await.status(), 401, "ended at once");
        // Signing out of Utblick sends the browser on to the provider's sign-out.
        let cookie = signed_in(&app, &idp, "eva", "b2").await;
        let res = app.refresh_with(&cookie).await;
        let access: serde_json::Value = res.json().await.unwrap();
        let res = app
            .req(reqwest::Method::POST, "/api/v1/auth/logout", access["access_token"].as_str())
            .send()
            .await
            .unwrap();
        assert_eq!(res.status(), 200);
        let out: serde_json::Value = res.json().await.unwrap();
        let url = url::Url::parse(out["end_session_url"].as_str().unwrap()).unwrap();
        assert_eq!(url.path(), "/logout");
        let q: std::collections::HashMap<_, _> = url.query_pairs().into_owned().collect();
        assert_eq!(q["client_id"], CLIENT_ID);
        assert!(q["id_token_hint"].split('.').count() == 3, "the ID token as the hint");
        assert!(q["post_logout_redirect_uri"].ends_with("/login.html?sso=signed-out"));
        idp.stop().await;
    }

    async fn a_rotated_signing_key_is_read_at_once(backend: Backend) {
        let Some((app, idp)) = with_provider(backend).await else { return };
        // The provider's keys are read (and kept) at the first sign-in.
        signed_in(&app, &idp, "eva", "r1").await;
        // It rotates: the next token is signed with a key Utblick has not seen yet.
        idp.rotate_keys();
        signed_in(&app, &idp, "eva", "r2").await;
        let token = idp.logout_token(serde_json::json!({"sid": "sid-eva"}));
        assert_eq!(backchannel(&app, &token).await.status(), 200, "and the logout token too");
        idp.stop().await;
    }

    async fn passwords_can_be_left_to_administrators(backend: Backend) {
        let Some((app, idp)) =
            with_provider_and(backend, |s| s.oidc.passwords = "administrators".into()).await
        else {
            return;
        };
        let reporter = app.create_user("reader", None);
        let res = app.try_login(&reporter.email, &reporter.password).await;
        utblick_tests::assert_problem(res, 401, "invalid-credentials").await;
        let why = app.security_events().into_iter().find(|e| e.detail.contains("passwords-off"));
        assert!(why.is_some(), "the security log says why");
        let admin = app.create_user("admin", None);
        assert_eq!(app.try_login(&admin.email, &admin.password).await.status(), 200);
        // An account of the provider has no password at all.
        signed_in(&app, &idp, "eva", "p1").await;
        let res = app.try_login("eva@tranas.se", "").await;
        assert_eq!(res.status(), 401);
        idp.stop().await;
    }
}

/// Without a provider, its operations say so.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn without_a_provider_single_sign_on_is_not_found() {
    let app = TestApp::spawn(Backend::Sqlite).await.unwrap();
    assert_eq!(app.get_json("/api/v1/site").await["single_sign_on"], false);
    for path in ["/api/v1/auth/oidc/login", "/api/v1/auth/oidc/callback?code=x&state=y"] {
        utblick_tests::assert_problem(app.get(path).await, 404, "not-found").await;
    }
    let res = reqwest::Client::new()
        .post(app.url("/api/v1/auth/oidc/backchannel-logout"))
        .form(&[("logout_token", "x")])
        .send()
        .await
        .unwrap();
    utblick_tests::assert_problem(res, 404, "not-found").await;
}
