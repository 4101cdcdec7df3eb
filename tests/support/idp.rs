//! A stand-in OpenID provider for the API tests: discovery, keys and a token endpoint whose
//! ID token each test shapes — signed with the test key, or tampered with, for another
//! audience, expired, with another nonce. (The browser suite signs in through a real,
//! certified provider.)

use std::sync::{Arc, Mutex};

use actix_web::{App, HttpResponse, HttpServer, web};
use base64::Engine;
use sha2::Digest;

/// The stand-in's client id, and the secret Utblick authenticates with.
pub const CLIENT_ID: &str = "utblick-test";
pub const CLIENT_SECRET: &str = "utblick-test-secret";

/// What the token endpoint got: the code, the PKCE verifier and the client's credentials.
#[derive(Debug, Clone, Default)]
pub struct Exchange {
    pub code: String,
    pub code_verifier: String,
    pub authorization: Option<String>,
}

/// How the next ID token is made: its claims (before `iss`, `aud`, `iat`, `exp` are set
/// unless given), and whether its signature is spoiled.
#[derive(Debug, Clone, Default)]
pub struct NextToken {
    pub claims: serde_json::Value,
    pub tamper: bool,
}

#[derive(Default)]
struct State {
    /// The provider rotated its signing key: it signs with the second and publishes both.
    rotated: bool,
    next: Option<NextToken>,
    exchanges: Vec<Exchange>,
    used_codes: Vec<String>,
}

/// A running stand-in provider.
pub struct Idp {
    pub issuer: String,
    state: Arc<Mutex<State>>,
    handle: actix_web::dev::ServerHandle,
}

fn fixture(name: &str) -> String {
    std::fs::read_to_string(crate::repo_root().join("tests/fixtures").join(name)).unwrap()
}

/// The signing key in use and its id.
fn key(rotated: bool) -> (Vec<u8>, &'static str) {
    if rotated {
        (fixture("oidc-test-key-2.pem").into_bytes(), "test-key-2")
    } else {
        (fixture("oidc-test-key.pem").into_bytes(), "test-key-1")
    }
}

/// The published keys: the first, and after a rotation the second too.
fn jwks(rotated: bool) -> serde_json::Value {
    let mut set: serde_json::Value = serde_json::from_str(&fixture("oidc-test-jwks.json")).unwrap();
    if rotated {
        let second: serde_json::Value = serde_json::from_str(&fixture("oidc-test-jwks-2.json")).unwrap();
        set["keys"].as_array_mut().unwrap().push(second["keys"][0].clone());
    }
    set
}

/// The S256 challenge of a PKCE verifier.
pub fn challenge_of(verifier: &str) -> String {
    base64::engine::general_purpose::URL_SAFE_NO_PAD.encode(sha2::Sha256::digest(verifier.as_bytes()))
}

impl Idp {
    pub async fn start() -> Idp {
        let state = Arc::new(Mutex::new(State::default()));
        let listener = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
        let issuer = format!("http://127.0.0.1:{}", listener.local_addr().unwrap().port());
        let (iss, st) = (issuer.clone(), Arc::clone(&state));
        let server = HttpServer::new(move || {
            let (iss, st) = (iss.clone(), Arc::clone(&st));
            App::new()
                .route(
                    "/.well-known/openid-configuration",
                    web::get().to({
                        let iss = iss.clone();
                        move || {
                            let iss = iss.clone();
                            async move {
                                HttpResponse::Ok().json(serde_json::json!({
                                    "issuer": iss,
                                    "authorization_endpoint": format!("{iss}/authorize"),
                                    "token_endpoint": format!("{iss}/token"),
                                    "jwks_uri": format!("{iss}/jwks"),
                                    "end_session_endpoint": format!("{iss}/logout"),
                                    "response_types_supported": ["code"],
                                    "subject_types_supported": ["public"],
                                    "id_token_signing_alg_values_supported": ["RS256"],
                                }))
                            }
                        }
                    }),
                )
                .route(
                    "/jwks",
                    web::get().to({
                        let st = Arc::clone(&st);
                        move || {
                            let rotated = st.lock().unwrap().rotated;
                            async move { HttpResponse::Ok().json(jwks(rotated)) }
                        }
                    }),
                )
                .route(
                    "/token",
                    web::post().to(
                        move |req: actix_web::HttpRequest, form: web::Form<Vec<(String, String)>>| {
                            let (iss, st) = (iss.clone(), Arc::clone(&st));
                            async move { token(&iss, &st, &req, &form) }
                        },
                    ),
                )
        })
        .workers(1)
        .listen(listener)
        .unwrap()
        .run();
        let handle = server.handle();
        tokio::spawn(server);
        Idp { issuer, state, handle }
    }

    /// Shapes the next ID token.
    pub fn next(&self, token: NextToken) {
        self.state.lock().unwrap().next = Some(token);
    }

    /// Rotates the signing key: from now on tokens are signed with a second key, which the
    /// key set lists beside the first.
    pub fn rotate_keys(&self) {
        self.state.lock().unwrap().rotated = true;
    }

    /// What the token endpoint was sent, in order.
    pub fn exchanges(&self) -> Vec<Exchange> {
        self.state.lock().unwrap().exchanges.clone()
    }

    /// A back-channel logout token for `claims` (over `iss`, `aud`, `iat` and the event).
    pub fn logout_token(&self, claims: serde_json::Value) -> String {
        let now = chrono::Utc::now().timestamp();
        let mut c = serde_json::json!({
            "iss": self.issuer, "aud": CLIENT_ID, "iat": now, "jti": format!("j{now}"),
            "events": {"http://schemas.openid.net/event/backchannel-logout": {}},
        });
        if let (Some(c), Some(given)) = (c.as_object_mut(), claims.as_object()) {
            c.extend(given.clone());
        }
        let (pem, kid) = key(self.state.lock().unwrap().rotated);
        let mut header = jsonwebtoken::Header::new(jsonwebtoken::Algorithm::RS256);
        header.kid = Some(kid.into());
        jsonwebtoken::encode(&header, &c, &jsonwebtoken::EncodingKey::from_rsa_pem(pem.as_slice()).unwrap())
            .unwrap()
    }

    pub async fn stop(self) {
        self.handle.stop(false).await;
    }
}

fn token(
    iss: &str,
    st: &Mutex<State>,
    req: &actix_web::HttpRequest,
    form: &[(String, String)],
) -> HttpResponse {
    let field = |k: &str| form.iter().find(|(n, _)| n == k).map(|(_, v)| v.clone()).unwrap_or_default();
    let mut s = st.lock().unwrap();
    let code = field("code");
    s.exchanges.push(Exchange {
        code: code.clone(),
        code_verifier: field("code_verifier"),
        authorization: req.headers().get("authorization").and_then(|v| v.to_str().ok()).map(str::to_owned),
    });
    // A code works once, as at a real provider.
    if s.used_codes.contains(&code) {
        return HttpResponse::BadRequest().json(serde_json::json!({"error": "invalid_grant"}));
    }
    s.used_codes.push(code);
    let Some(next) = s.next.take() else {
        return HttpResponse::BadRequest().json(serde_json::json!({"error": "invalid_grant"}));
    };
    let now = chrono::Utc::now().timestamp();
    let mut claims = serde_json::json!({"iss": iss, "aud": CLIENT_ID, "iat": now, "exp": now + 300});
    if let (Some(c), Some(given)) = (claims.as_object_mut(), next.claims.as_object()) {
        c.extend(given.clone());
    }
    let (pem, kid) = key(s.rotated);
    let mut header = jsonwebtoken::Header::new(jsonwebtoken::Algorithm::RS256);
    header.kid = Some(kid.into());
    let key = jsonwebtoken::EncodingKey::from_rsa_pem(&pem).unwrap();
    let mut id_token = jsonwebtoken::encode(&header, &claims, &key).unwrap();
    if next.tamper {
        // Another payload under the same signature.
        let mut parts: Vec<String> = id_token.split('.').map(str::to_owned).collect();
        let mut payload = claims.clone();
        payload["groups"] = serde_json::json!(["utblick-admin"]);
        parts[1] = base64::engine::general_purpose::URL_SAFE_NO_PAD.encode(payload.to_string());
        id_token = parts.join(".");
    }
    HttpResponse::Ok().json(serde_json::json!({
        "access_token": "at-1", "token_type": "Bearer", "expires_in": 300, "id_token": id_token,
    }))
}
