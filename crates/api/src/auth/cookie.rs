//! The refresh token's cookie and the CSRF guard of the one operation that accepts it.
//!
//! A browser keeps the refresh token in an `HttpOnly; Secure; SameSite=Strict` cookie that
//! is sent to `POST /api/v1/auth/refresh` only; scripts never see it. The access token
//! lives in the page's memory. Every tab of a signed-in browser gets its own access token
//! from the cookie, so a sign-in spans tabs. Machines use API tokens.

use actix_web::HttpRequest;
use actix_web::cookie::{Cookie, SameSite, time::Duration as CookieDuration};

use crate::error::ApiError;

/// The cookie's name.
pub const REFRESH_COOKIE: &str = "utblick_refresh";

/// The one path the cookie is sent to.
pub const REFRESH_PATH: &str = "/api/v1/auth/refresh";

/// The header a request carrying the cookie must have. A page on another site cannot set
/// it without a CORS preflight, which Utblick never grants.
pub const CSRF_HEADER: &str = "x-utblick-csrf";

/// The cookie holding `token`, living `seconds` (the rest of the session).
pub fn refresh_cookie(token: &str, seconds: i64) -> Cookie<'static> {
    Cookie::build(REFRESH_COOKIE, token.to_owned())
        .path(REFRESH_PATH)
        .http_only(true)
        .secure(true)
        .same_site(SameSite::Strict)
        .max_age(CookieDuration::seconds(seconds.max(0)))
        .finish()
}

/// The answer that removes the cookie from the browser.
pub fn cleared_cookie() -> Cookie<'static> {
    refresh_cookie("", 0)
}

/// The refresh token of a request: from the cookie, only with the CSRF header and not from
/// another site.
pub fn refresh_token(req: &HttpRequest) -> Result<String, CsrfOrMissing> {
    let cross_site = req
        .headers()
        .get("sec-fetch-site")
        .and_then(|v| v.to_str().ok())
        .is_some_and(|v| !matches!(v, "same-origin" | "none"));
    if cross_site || !req.headers().contains_key(CSRF_HEADER) {
        return Err(CsrfOrMissing::Csrf);
    }
    req.cookie(REFRESH_COOKIE)
        .map(|c| c.value().to_owned())
        .filter(|v| !v.is_empty())
        .ok_or(CsrfOrMissing::Missing)
}

/// Why a refresh request carries no usable token.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum CsrfOrMissing {
    /// The CSRF header is missing, or the request came from another site.
    Csrf,
    /// No refresh cookie: not signed in in this browser.
    Missing,
}

impl CsrfOrMissing {
    pub fn error(self) -> ApiError {
        match self {
            CsrfOrMissing::Csrf => ApiError::CsrfRefused,
            CsrfOrMissing::Missing => ApiError::Unauthenticated("not signed in in this browser".into()),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use actix_web::test::TestRequest;

    #[test]
    fn the_cookie_is_httponly_secure_strict_and_scoped_to_refresh() {
        let c = refresh_cookie("abc", 600).to_string();
        for part in [
            "utblick_refresh=abc",
            "HttpOnly",
            "Secure",
            "SameSite=Strict",
            "Path=/api/v1/auth/refresh",
            "Max-Age=600",
        ] {
            assert!(c.contains(part), "{c} lacks {part}");
        }
        assert!(cleared_cookie().to_string().contains("Max-Age=0"));
    }

    #[test]
    fn the_cookie_counts_only_with_the_header_and_from_this_site() {
        let with = |headers: &[(&str, &str)]| {
            let mut r = TestRequest::post().cookie(Cookie::new(REFRESH_COOKIE, "tok"));
            for h in headers {
                r = r.insert_header(*h);
            }
            refresh_token(&r.to_http_request())
        };
        assert_eq!(with(&[(CSRF_HEADER, "1")]), Ok("tok".into()));
        assert_eq!(with(&[(CSRF_HEADER, "1"), ("sec-fetch-site", "same-origin")]), Ok("tok".into()));
        assert_eq!(with(&[]), Err(CsrfOrMissing::Csrf));
        assert_eq!(with(&[(CSRF_HEADER, "1"), ("sec-fetch-site", "cross-site")]), Err(CsrfOrMissing::Csrf));
        assert_eq!(with(&[(CSRF_HEADER, "1"), ("sec-fetch-site", "same-site")]), Err(CsrfOrMissing::Csrf));
        let none = TestRequest::post().insert_header((CSRF_HEADER, "1")).to_http_request();
        assert_eq!(refresh_token(&none), Err(CsrfOrMissing::Missing));
    }
}
