//! Attached files (evidence) of reports, projects and activities: listed with their record,
//! uploaded as the request's body (its `Content-Type` is the file's type, `?file_name=` its
//! name), downloaded as attachments — never shown inside the application, whatever their
//! type — and removed while not handed in with a report.

use actix_web::http::{Method, header};
use actix_web::{HttpRequest, HttpResponse, delete, get, post, web};
use chrono::{DateTime, Utc};
use futures_util::StreamExt;
use serde::{Deserialize, Serialize};
use utblick_app::attachments as uc;
use utblick_db::attachments::{AttachmentRow, Owner};
use utblick_domain::Action;
use utoipa::{IntoParams, ToSchema};

use crate::auth::Caller;
use crate::dto::PathId;
use crate::error::ApiError;

/// The largest file accepted, in bytes (`server.max_attachment_bytes`).
#[derive(Debug, Clone, Copy)]
pub struct Limit(pub usize);

/// Whether a request uploads a file (it is then held to the file limit, not the body limit).
pub fn is_upload(method: &Method, path: &str) -> bool {
    method == Method::POST && path.starts_with("/api/v1/") && path.ends_with("/attachments")
}

/// An attached file's record (its content is at `href`).
#[derive(Debug, Serialize, ToSchema)]
pub struct AttachmentDto {
    pub id: i64,
    /// The report, project or activity it is attached to (one of the three).
    pub report_id: Option<i64>,
    pub project_id: Option<i64>,
    pub activity_id: Option<i64>,
    #[schema(example = "Protokoll 2026-03-10.pdf")]
    pub file_name: String,
    #[schema(example = "application/pdf")]
    pub media_type: String,
    pub size_bytes: i64,
    /// The content's SHA-256, in hex: what was stored is what is downloaded.
    pub sha256: String,
    /// The report's version it was handed in with: it is then part of a public document and
    /// is never removed.
    pub handed_in_version: Option<i32>,
    /// Who uploaded it (a user's id).
    pub uploaded_by: Option<i64>,
    pub created_at: DateTime<Utc>,
    /// Where its content is downloaded.
    #[schema(example = "/api/v1/attachments/7")]
    pub href: String,
}

impl From<AttachmentRow> for AttachmentDto {
    fn from(r: AttachmentRow) -> Self {
        Self {
            href: format!("/api/v1/attachments/{}", r.id),
            id: r.id,
            report_id: r.report_id,
            project_id: r.project_id,
            activity_id: r.activity_id,
            file_name: r.file_name,
            media_type: r.media_type,
            size_bytes: r.size_bytes,
            sha256: r.sha256,
            handed_in_version: r.handed_in_version,
            uploaded_by: r.uploaded_by,
            created_at: r.created_at.and_utc(),
        }
    }
}

/// An upload's name.
#[derive(Debug, Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
pub struct UploadQuery {
    /// The file's name as it is offered when downloaded (folders are dropped).
    #[param(format = "name", min_length = 1, max_length = 200, example = "Protokoll.pdf")]
    pub file_name: String,
}

/// The body, read up to the file limit: a larger one is refused with 413 as it arrives
/// (a body without `Content-Length` too), never held whole.
async fn read_limited(mut payload: web::Payload, limit: usize) -> Result<Vec<u8>, ApiError> {
    let mut body = Vec::new();
    while let Some(chunk) = payload.next().await {
        let chunk =
            chunk.map_err(|e| ApiError::MalformedRequest(format!("the body could not be read: {e}")))?;
        if body.len() + chunk.len() > limit {
            return Err(ApiError::PayloadTooLarge { limit });
        }
        body.extend_from_slice(&chunk);
    }
    Ok(body)
}

async fn list(
    pool: web::Data<utblick_db::DbPool>,
    caller: Caller,
    owner: Owner,
) -> Result<HttpResponse, ApiError> {
    caller.require(Action::ReadInternal)?;
    let rows = crate::routes::with_app(&pool, move |conn| uc::list(conn, owner)).await?;
    Ok(HttpResponse::Ok().json(rows.into_iter().map(AttachmentDto::from).collect::<Vec<_>>()))
}

async fn upload(
    pool: web::Data<utblick_db::DbPool>,
    caller: Caller,
    req: HttpRequest,
    payload: web::Payload,
    limit: web::Data<Limit>,
    owner: Owner,
    file_name: String,
) -> Result<HttpResponse, ApiError> {
    let content = read_limited(payload, limit.0).await?;
    let media_type = req.headers().get(header::CONTENT_TYPE).and_then(|v| v.to_str().ok()).map(str::to_owned);
    let max = limit.0 as u64;
    let row = crate::exec::run(&pool, &caller, &req, move |conn, ctx| {
        let upload =
            uc::Upload { file_name: &file_name, media_type: media_type.as_deref(), content: &content };
        uc::attach(conn, ctx, owner, &upload, max)
    })
    .await?;
    let dto = AttachmentDto::from(row);
    Ok(HttpResponse::Created().insert_header((header::LOCATION, dto.href.clone())).json(dto))
}

macro_rules! attachments_of {
    ($list:ident, $upload:ident, $path:literal, $owner:ident, $what:literal) => {
        #[doc = concat!("The files attached to ", $what, ", oldest first (removed ones are not offered).")]
        #[utoipa::path(
            tag = "attachments",
            params(("id" = i64, Path, description = concat!("The id of ", $what, "."), minimum = 1)),
            security(("bearer" = [])),
            responses(
                (status = 200, description = "The files.", body = Vec<AttachmentDto>),
                crate::responses::BadRequest, crate::responses::Auth, crate::responses::NotFound,
            )
        )]
        #[get($path)]
        pub async fn $list(
            pool: web::Data<utblick_db::DbPool>,
            caller: Caller,
            id: PathId,
        ) -> Result<HttpResponse, ApiError> {
            list(pool, caller, Owner::$owner(*id)).await
        }

        #[doc = concat!("Attach a file to ", $what, ": the body is the file, its `Content-Type` the file's type, `file_name` its name. By whoever may edit it (a report only while a draft or returned); at most `server.max_attachment_bytes` (413 beyond).")]
        #[utoipa::path(
            tag = "attachments",
            params(("id" = i64, Path, description = concat!("The id of ", $what, "."), minimum = 1), UploadQuery),
            request_body(content = Vec<u8>, content_type = "application/octet-stream",
                description = "The file, sent with its own media type (any type)."),
            security(("bearer" = [])),
            responses(
                (status = 201, description = "Attached; `Location` is its content.", body = AttachmentDto),
                crate::responses::BadRequest, crate::responses::Auth, crate::responses::NotFound,
                crate::responses::Conflict, crate::responses::TooLarge, crate::responses::Body,
            )
        )]
        #[post($path)]
        pub async fn $upload(
            pool: web::Data<utblick_db::DbPool>,
            caller: Caller,
            req: HttpRequest,
            payload: web::Payload,
            limit: web::Data<Limit>,
            id: PathId,
            q: web::Query<UploadQuery>,
        ) -> Result<HttpResponse, ApiError> {
            upload(pool, caller, req, payload, limit, Owner::$owner(*id), q.into_inner().file_name).await
        }
    };
}

attachments_of!(list_report_attachments, attach_to_report, "/reports/{id}/attachments", Report, "a report");
attachments_of!(
    list_project_attachments,
    attach_to_project,
    "/projects/{id}/attachments",
    Project,
    "a project"
);
attachments_of!(
    list_activity_attachments,
    attach_to_activity,
    "/activities/{id}/attachments",
    Activity,
    "an activity"
);

/// Download an attached file: its content with its type, always as an attachment (saved,
/// never shown inside the application — an HTML or SVG file cannot run as Utblick).
#[utoipa::path(
    tag = "attachments",
    params(("id" = i64, Path, description = "The file's id.", minimum = 1)),
    security(("bearer" = [])),
    responses(
        (status = 200, description = "The file, as an attachment, with the media type it was uploaded with (any type).",
            content((Vec<u8> = "*/*"))),
        crate::responses::BadRequest, crate::responses::Auth, crate::responses::NotFound,
    )
)]
#[get("/attachments/{id}")]
pub async fn get_attachment(
    pool: web::Data<utblick_db::DbPool>,
    caller: Caller,
    id: PathId,
) -> Result<HttpResponse, ApiError> {
    caller.require(Action::ReadInternal)?;
    let id = *id;
    let (row, content) = crate::routes::with_app(&pool, move |conn| uc::read(conn, id)).await?;
    Ok(HttpResponse::Ok()
        .content_type(row.media_type.as_str())
        .insert_header(crate::disposition::attachment(&row.file_name))
        // Should a browser open it anyway, it runs nothing and loads nothing.
        .insert_header((header::CONTENT_SECURITY_POLICY, "sandbox; default-src 'none'"))
        .insert_header((header::CACHE_CONTROL, "private, no-store"))
        .body(content))
}

/// Remove an attached file that was not handed in with a report, by whoever may edit what it
/// is attached to. A handed-in file is part of a public document: 409 `handed_in`.
#[utoipa::path(
    tag = "attachments",
    params(("id" = i64, Path, description = "The file's id.", minimum = 1)),
    security(("bearer" = [])),
    responses(
        (status = 204, description = "Removed: no longer offered (the audit log keeps that it was)."),
        crate::responses::BadRequest, crate::responses::Auth, crate::responses::NotFound,
        crate::responses::Conflict,
    )
)]
#[delete("/attachments/{id}")]
pub async fn remove_attachment(
    pool: web::Data<utblick_db::DbPool>,
    caller: Caller,
    req: HttpRequest,
    id: PathId,
) -> Result<HttpResponse, ApiError> {
    let id = *id;
    crate::exec::run(&pool, &caller, &req, move |conn, ctx| uc::remove(conn, ctx, id)).await?;
    Ok(HttpResponse::NoContent().finish())
}

pub fn configure(cfg: &mut utoipa_actix_web::service_config::ServiceConfig) {
    cfg.service(list_report_attachments)
        .service(attach_to_report)
        .service(list_project_attachments)
        .service(attach_to_project)
        .service(list_activity_attachments)
        .service(attach_to_activity)
        .service(get_attachment)
        .service(remove_attachment);
}
