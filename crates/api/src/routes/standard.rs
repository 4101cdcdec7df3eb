//! The operations every register has in the same shape — read one record, archive or restore
//! one — written once. Each resource names its path, documentation texts, wire type, the
//! permission to read and the repository or use-case pieces; the macro writes the handler and
//! its `#[utoipa::path]`. (Texts are literals: the OpenAPI derive reads them unexpanded; the
//! module using a macro imports actix-web's `get`/`post`, which utoipa recognises by name.)

/// `GET <path>`: one record with its `ETag`, or 404.
macro_rules! get_one {
    (
        $(#[doc = $doc:literal])*
        public fn $name:ident, tag $tag:literal, path $path:literal, id $id_doc:literal,
        ok $ok:literal, body $dto:ty, |$conn:ident, $who:ident, $id:ident| $read:expr,
        |$rec:ident, $caller:ident| $respond:expr
    ) => {
        $(#[doc = $doc])*
        #[utoipa::path(
            tag = $tag,
            params(("id" = i64, Path, description = $id_doc, minimum = 1)),
            responses(
                (status = 200, description = $ok, body = $dto),
                $crate::responses::Unavailable, $crate::responses::BadRequest, $crate::responses::NotFound,
                $crate::responses::Auth,
            )
        )]
        #[get($path)]
        pub async fn $name(
            pool: actix_web::web::Data<utblick_db::DbPool>,
            $caller: $crate::auth::Caller,
            id: $crate::dto::PathId,
        ) -> Result<actix_web::HttpResponse, $crate::error::ApiError> {
            $caller.require(utblick_domain::Action::ReadPublished)?;
            let ($who, $id) = ($caller.principal.clone(), id.into_inner());
            let $rec = $crate::routes::with_app(&pool, move |$conn| $read).await?;
            $respond
        }
    };
    (
        $(#[doc = $doc:literal])*
        fn $name:ident, tag $tag:literal, path $path:literal, id $id_doc:literal,
        ok $ok:literal, body $dto:ty, action $action:expr, read $read:path
    ) => {
        $(#[doc = $doc])*
        #[utoipa::path(
            tag = $tag,
            params(("id" = i64, Path, description = $id_doc, minimum = 1)),
            security(("bearer" = [])),
            responses(
                (status = 200, description = $ok, body = $dto),
                $crate::responses::BadRequest, $crate::responses::Auth, $crate::responses::NotFound,
            )
        )]
        #[get($path)]
        pub async fn $name(
            pool: actix_web::web::Data<utblick_db::DbPool>,
            caller: $crate::auth::Caller,
            id: $crate::dto::PathId,
        ) -> Result<actix_web::HttpResponse, $crate::error::ApiError> {
            use $crate::exec::Reply;
            caller.require($action)?;
            let id = id.into_inner();
            let record = $crate::routes::with_app(&pool, move |conn| $read(conn, id)).await?;
            record.reply(actix_web::http::StatusCode::OK, &caller.principal)
        }
    };
    (
        $(#[doc = $doc:literal])*
        fn $name:ident, tag $tag:literal, path $path:literal, id $id_doc:literal,
        ok $ok:literal, body $dto:ty, action $action:expr, load $load:path, what $what:literal
    ) => {
        $(#[doc = $doc])*
        #[utoipa::path(
            tag = $tag,
            params(("id" = i64, Path, description = $id_doc, minimum = 1)),
            security(("bearer" = [])),
            responses(
                (status = 200, description = $ok, body = $dto),
                $crate::responses::BadRequest, $crate::responses::Auth, $crate::responses::NotFound,
            )
        )]
        #[get($path)]
        pub async fn $name(
            pool: actix_web::web::Data<utblick_db::DbPool>,
            caller: $crate::auth::Caller,
            id: $crate::dto::PathId,
        ) -> Result<actix_web::HttpResponse, $crate::error::ApiError> {
            use $crate::exec::Reply;
            caller.require($action)?;
            let id = id.into_inner();
            let row = $crate::routes::with_conn(&pool, move |conn| $load(conn, id))
                .await?
                .ok_or_else(|| $crate::error::ApiError::NotFound(format!("{} {id}", $what)))?;
            row.reply(actix_web::http::StatusCode::OK, &caller.principal)
        }
    };
}

/// `POST <path>/{id}/archive[?restore=true]`: archive a public record or take it back, with
/// `If-Match`; never a delete.
macro_rules! archive_one {
    (
        $(#[doc = $doc:literal])*
        fn $name:ident, tag $tag:literal, path $path:literal, id $id_doc:literal,
        body $dto:ty, kind $kind:path
    ) => {
        $(#[doc = $doc])*
        #[utoipa::path(
            tag = $tag,
            params(
                ("id" = i64, Path, description = $id_doc, minimum = 1),
                ("If-Match" = String, Header, description = "The ETag of the version you archive or restore."),
                $crate::routes::common::RestoreQuery,
            ),
            security(("bearer" = [])),
            responses(
                (status = 200, description = "Archived (or restored); the ETag is the new version.", body = $dto),
                $crate::responses::BadRequest, $crate::responses::Auth, $crate::responses::NotFound,
                $crate::responses::Stale,
            )
        )]
        #[post($path)]
        pub async fn $name(
            pool: actix_web::web::Data<utblick_db::DbPool>,
            caller: $crate::auth::Caller,
            req: actix_web::HttpRequest,
            id: $crate::dto::PathId,
            q: actix_web::web::Query<$crate::routes::common::RestoreQuery>,
        ) -> Result<actix_web::HttpResponse, $crate::error::ApiError> {
            let restore = q.restore.unwrap_or(false);
            let archive = move |conn: &mut utblick_db::DbConn, ctx: &utblick_app::Ctx| {
                utblick_app::archive::archive(conn, ctx, &$kind, *id, restore)
            };
            let status = actix_web::http::StatusCode::OK;
            $crate::exec::answer(&pool, &caller, &req, status, archive).await
        }
    };
}

/// `GET <path>`: a page of a filtered, searched, sorted list, or with `format` all of it as
/// CSV or JSON; also writes the page's wire type. A `public` list is read without signing in
/// (when the installation publishes it); `narrow |filter, who| …` adjusts the filter to the
/// reader (the public sees no drafts).
macro_rules! list_of {
    ($(#[doc = $doc:literal])* public fn $($rest:tt)*) => {
        list_of! { @[security(()), errors [Unavailable]] $(#[doc = $doc])* fn $($rest)* }
    };
    ($(#[doc = $doc:literal])* fn $($rest:tt)*) => {
        list_of! { @[security(("bearer" = [])), errors [Auth]] $(#[doc = $doc])* fn $($rest)* }
    };
    (
        @[security($($sec:tt)*), errors [$($err:ident),*]]
        $(#[doc = $doc:literal])*
        fn $name:ident, tag $tag:literal, path $path:literal, query $query:ty, ok $ok:literal,
        page $page:ident of $dto:ty, action $action:expr, filter $filter:ty,
        count $count:path, ids $ids:path, list $list:path, each $each:expr, file $file:literal
        $(, narrow |$nf:ident, $nwho:ident| $narrow:expr)?
        $(, audited $entity:literal [$($audit_field:ident),*])?
    ) => {
        $crate::dto::page_type!($page of $dto);

        $(#[doc = $doc])*
        #[utoipa::path(
            tag = $tag,
            params($crate::dto::PageQuery, $query),
            security($($sec)*),
            responses(
                (status = 200, description = $ok, content(($page = "application/json"), (String = "text/csv"), (Vec<u8> = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"))),
                $crate::responses::BadRequest, $($crate::responses::$err,)* $crate::responses::Busy,
            )
        )]
        #[get($path)]
        pub async fn $name(
            pool: actix_web::web::Data<utblick_db::DbPool>,
            caller: $crate::auth::Caller,
            req: actix_web::HttpRequest,
            page: actix_web::web::Query<$crate::dto::PageQuery>,
            q: actix_web::web::Query<$query>,
        ) -> Result<actix_web::HttpResponse, $crate::error::ApiError> {
            caller.require($action)?;
            let who = caller.principal.clone();
            #[allow(unused_mut)]
            let mut filter: $filter = q.filter()?;
            $(let ($nf, $nwho) = (&mut filter, &who); $narrow;)?
            let list = $crate::export::List {
                filter,
                count: $count,
                ids: $ids,
                fetch: move |conn: &mut utblick_db::DbConn, f: &$filter, offset, limit| {
                    $list(conn, f, offset, limit)?.into_iter().map(|r| ($each)(r, &who)).collect()
                },
                filename: $file,
                page: |items, page| $page { items, page },
            };
            #[allow(unused_mut, unused_assignments)]
            let mut audited = None;
            // Personal data leaving the system: the export is audited, with its filter.
            $(
                audited = Some($crate::export::ExportAudit {
                    audit: caller.audit.clone(),
                    entity: $entity,
                    filter: serde_json::json!({ $(stringify!($audit_field): q.$audit_field,)* }),
                });
            )?
            list.respond(&pool, &req, &caller, q.format.as_deref(), page.parse()?, audited).await
        }
    };
}

/// `GET <path>`: a page of a log or register read by administrators (newest first), with
/// optional filters (`query`); no export.
macro_rules! page_of {
    (@load $pool:expr, $page:expr, [$query:ty, $q:ident], $count:path, $list:path) => {
        $crate::routes::load_filtered_page($pool, $page, <$query>::filter(&$q)?, $count, $list).await?
    };
    (@load $pool:expr, $page:expr, [], $count:path, $list:path) => {
        $crate::routes::load_page($pool, $page, $count, $list).await?
    };
    (
        $(#[doc = $doc:literal])*
        fn $name:ident, tag $tag:literal, path $path:literal, $(query $query:ty,)? ok $ok:literal,
        page $page:ident of $dto:ty, action $action:expr, count $count:path, list $list:path, each $each:expr
    ) => {
        $crate::dto::page_type!($page of $dto);

        $(#[doc = $doc])*
        #[utoipa::path(
            tag = $tag,
            params($crate::dto::PageQuery, $($query)?),
            security(("bearer" = [])),
            responses(
                (status = 200, description = $ok, body = $page),
                $crate::responses::BadRequest, $crate::responses::Auth,
            )
        )]
        #[get($path)]
        pub async fn $name(
            pool: actix_web::web::Data<utblick_db::DbPool>,
            caller: $crate::auth::Caller,
            page: actix_web::web::Query<$crate::dto::PageQuery>,
            $(q: actix_web::web::Query<$query>,)?
        ) -> Result<actix_web::HttpResponse, $crate::error::ApiError> {
            caller.require($action)?;
            let (rows, page) = page_of!(@load &pool, &page, [$($query, q)?], $count, $list);
            let items = rows.into_iter().map(|r| ($each)(r, &caller.principal)).collect::<Result<_, _>>()?;
            Ok(actix_web::HttpResponse::Ok().json($page { items, page }))
        }
    };
}

pub(crate) use {archive_one, get_one, list_of, page_of};

/// `POST <path>`: record a new one from the body; 201 with the record and its `ETag`. The
/// body is read (`|body| input = parse`) before the command runs in its transaction.
macro_rules! create_one {
    (
        $(#[doc = $doc:literal])*
        fn $name:ident, tag $tag:literal, path $path:literal, body $body:ty, ok $ok:literal,
        dto $dto:ty,
        |$b:ident| $input:pat = $prep:expr, |$conn:ident, $ctx:ident| $call:expr
    ) => {
        $(#[doc = $doc])*
        #[utoipa::path(
            tag = $tag,
            request_body = $body,
            security(("bearer" = [])),
            responses(
                (status = 201, description = $ok, body = $dto),
                $crate::responses::BadRequest, $crate::responses::Auth, $crate::responses::Body,
                $crate::responses::Conflict,
            )
        )]
        #[post($path)]
        pub async fn $name(
            pool: actix_web::web::Data<utblick_db::DbPool>,
            caller: $crate::auth::Caller,
            req: actix_web::HttpRequest,
            body: $crate::dto::Json<$body>,
        ) -> Result<actix_web::HttpResponse, $crate::error::ApiError> {
            caller.signed_in()?;
            let $b = body.into_inner();
            let $input = $prep;
            let command = move |$conn: &mut utblick_db::DbConn, $ctx: &utblick_app::Ctx| $call;
            let status = actix_web::http::StatusCode::CREATED;
            $crate::exec::answer(&pool, &caller, &req, status, command).await
        }
    };
}

/// `PATCH <path>`: a JSON Merge Patch (RFC 7396) of the record, with `If-Match`: `edit`
/// applies the patch to the stored record's body and parses the result.
macro_rules! update_one {
    (
        $(#[doc = $doc:literal])*
        fn $name:ident, tag $tag:literal, path $path:literal, id $id_doc:literal, patch $patch_ty:ty,
        dto $dto:ty, |$patch:ident| $correct:path, $edit:expr
    ) => {
        $(#[doc = $doc])*
        #[utoipa::path(
            tag = $tag,
            params(
                ("id" = i64, Path, description = $id_doc, minimum = 1),
                ("If-Match" = String, Header, description = "The ETag of the version you edit."),
            ),
            request_body(content(($patch_ty = "application/merge-patch+json"), ($patch_ty = "application/json"))),
            security(("bearer" = [])),
            responses(
                (status = 200, description = "Changed; the ETag is the new version.", body = $dto),
                $crate::responses::BadRequest, $crate::responses::Auth, $crate::responses::NotFound,
                $crate::responses::Body, $crate::responses::Conflict, $crate::responses::Stale,
            )
        )]
        #[patch($path)]
        pub async fn $name(
            pool: actix_web::web::Data<utblick_db::DbPool>,
            caller: $crate::auth::Caller,
            req: actix_web::HttpRequest,
            id: $crate::dto::PathId,
            patch: $crate::dto::MergePatch,
        ) -> Result<actix_web::HttpResponse, $crate::error::ApiError> {
            let $patch = patch.0;
            let command =
                move |conn: &mut utblick_db::DbConn, ctx: &utblick_app::Ctx| $correct(conn, ctx, *id, $edit);
            let status = actix_web::http::StatusCode::OK;
            $crate::exec::answer(&pool, &caller, &req, status, command).await
        }
    };
}

pub(crate) use {create_one, update_one};

/// `POST <path>/{id}/<step>`: one step of a record's life (a status change, an adoption, a
/// link) from a body, with `If-Match`; 200 with the record and its new `ETag`.
macro_rules! step_one {
    (
        $(#[doc = $doc:literal])*
        fn $name:ident, tag $tag:literal, path $path:literal, id $id_doc:literal, etag $etag_doc:literal,
        body $body:ty, ok $ok:literal, dto $dto:ty,
        |$b:ident| $input:pat = $prep:expr, |$conn:ident, $ctx:ident, $id:ident| $call:expr
    ) => {
        $(#[doc = $doc])*
        #[utoipa::path(
            tag = $tag,
            params(
                ("id" = i64, Path, description = $id_doc, minimum = 1),
                ("If-Match" = String, Header, description = $etag_doc),
            ),
            request_body = $body,
            security(("bearer" = [])),
            responses(
                (status = 200, description = $ok, body = $dto),
                $crate::responses::BadRequest, $crate::responses::Auth, $crate::responses::NotFound,
                $crate::responses::Body, $crate::responses::Conflict, $crate::responses::Stale,
            )
        )]
        #[post($path)]
        pub async fn $name(
            pool: actix_web::web::Data<utblick_db::DbPool>,
            caller: $crate::auth::Caller,
            req: actix_web::HttpRequest,
            id: $crate::dto::PathId,
            body: $crate::dto::Json<$body>,
        ) -> Result<actix_web::HttpResponse, $crate::error::ApiError> {
            caller.signed_in()?;
            let ($b, $id) = (body.into_inner(), id.into_inner());
            let $input = $prep;
            let command = move |$conn: &mut utblick_db::DbConn, $ctx: &utblick_app::Ctx| $call;
            let status = actix_web::http::StatusCode::OK;
            $crate::exec::answer(&pool, &caller, &req, status, command).await
        }
    };
}

pub(crate) use step_one;

/// `POST <path>`: an import of a register from the export's own CSV or XLSX file, run by
/// `importer` ([`crate::import::Importer`]).
macro_rules! import_into {
    (
        $(#[doc = $doc:literal])*
        fn $name:ident, tag $tag:literal, path $path:literal, importer $importer:expr
    ) => {
        $(#[doc = $doc])*
        #[utoipa::path(
            tag = $tag,
            params($crate::import::ImportQuery),
            request_body(
                description = "The file: `text/csv` (`;`-separated, as exported), an XLSX workbook (its first sheet) or a JSON export (`{\"items\": [...]}`).",
                content(
                    (String = "text/csv"),
                    (Object = "application/json"),
                    (Vec<u8> = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"),
                )
            ),
            security(("bearer" = [])),
            responses(
                (status = 200, description = "Imported (or, in a dry run, checked).", body = $crate::import::ImportReport),
                $crate::responses::BadRequest, $crate::responses::Auth, $crate::responses::Body,
                $crate::responses::Conflict,
            )
        )]
        #[post($path)]
        pub async fn $name(
            pool: actix_web::web::Data<utblick_db::DbPool>,
            caller: $crate::auth::Caller,
            req: actix_web::HttpRequest,
            query: actix_web::web::Query<$crate::import::ImportQuery>,
            body: actix_web::web::Bytes,
        ) -> Result<actix_web::HttpResponse, $crate::error::ApiError> {
            $importer.run(&pool, &caller, &req, &query, &body).await
        }
    };
}

pub(crate) use import_into;
