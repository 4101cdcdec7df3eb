//! The static web frontend (`web/`) and the API docs viewer.

use std::path::Path;

use actix_files::Files;
use actix_web::dev::{ServiceRequest, ServiceResponse, fn_service};
use actix_web::{HttpResponse, ResponseError};

use crate::error::ApiError;

/// `web/` at `/`, with `index.html` for directories; anything missing — or anything whose
/// resolved location (following symbolic links) is outside the directory — is a 404
/// problem.
pub fn files(dir: &Path) -> Files {
    let root = dir.canonicalize().unwrap_or_else(|_| dir.to_path_buf());
    let inside = root.clone();
    Files::new("/", dir)
        .path_filter(move |rel, _| stays_inside(&inside, rel))
        .index_file("index.html")
        .prefer_utf8(true)
        .use_etag(true)
        .use_last_modified(true)
        .default_handler(fn_service(|req: ServiceRequest| async {
            let (req, _) = req.into_parts();
            let res = ApiError::RouteNotFound(req.path().to_owned()).error_response();
            Ok(ServiceResponse::new(req, res))
        }))
}

/// Whether `rel` (a request path below `root`) resolves to a place inside `root`, and so
/// does the index file of a directory. What does not exist is left to the file server (a
/// 404 either way).
pub fn stays_inside(root: &Path, rel: &Path) -> bool {
    let target = root.join(rel);
    let Ok(resolved) = target.canonicalize() else { return !target.is_symlink() };
    if !resolved.starts_with(root) {
        return false;
    }
    if resolved.is_dir() {
        let index = resolved.join("index.html");
        return match index.canonicalize() {
            Ok(i) => i.starts_with(root),
            Err(_) => !index.is_symlink(),
        };
    }
    true
}

/// `/api/docs` → `/api/docs/` (Swagger UI lives under the slash).
pub async fn docs_redirect() -> HttpResponse {
    HttpResponse::PermanentRedirect().insert_header(("Location", "/api/docs/")).finish()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn symbolic_links_out_of_the_root_are_refused() {
        let tmp = std::env::temp_dir().join(format!("utblick-web-{}", std::process::id()));
        let outside = tmp.join("outside");
        let root = tmp.join("web");
        std::fs::create_dir_all(&outside).unwrap();
        std::fs::create_dir_all(root.join("js")).unwrap();
        std::fs::write(outside.join("secret"), "jwt").unwrap();
        std::fs::write(root.join("index.html"), "<p>").unwrap();
        std::fs::write(root.join("js/app.js"), "1").unwrap();
        std::os::unix::fs::symlink(outside.join("secret"), root.join("passwd")).unwrap();
        std::os::unix::fs::symlink(&outside, root.join("up")).unwrap();
        std::os::unix::fs::symlink(root.join("index.html"), root.join("alias.html")).unwrap();
        let dir = tmp.join("web/sub");
        std::fs::create_dir_all(&dir).unwrap();
        std::os::unix::fs::symlink(outside.join("secret"), dir.join("index.html")).unwrap();
        let root = root.canonicalize().unwrap();
        for ok in ["index.html", "js/app.js", "alias.html", "", "js", "missing.html"] {
            assert!(stays_inside(&root, Path::new(ok)), "{ok}");
        }
        for bad in ["passwd", "up/secret", "up", "sub"] {
            assert!(!stays_inside(&root, Path::new(bad)), "{bad}");
        }
        std::fs::remove_dir_all(&tmp).unwrap();
    }
}
