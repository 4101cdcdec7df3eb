//! Request and response shapes shared by the resource modules.

use serde::{Deserialize, Serialize};
use utblick_domain::PageRequest;
use utoipa::{IntoParams, ToSchema};

use utblick_domain::FieldError;

use crate::error::ApiError;

/// `?page=&per_page=`. Taken as text and parsed here, so a bad value gets an answer that
/// names the parameter.
#[derive(Debug, Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
pub struct PageQuery {
    /// Page number, from 1.
    #[param(value_type = Option<i64>, minimum = 1, maximum = 1000000, example = 1)]
    pub page: Option<String>,
    /// Items per page, 1–100 (default 20).
    #[param(value_type = Option<i64>, minimum = 1, maximum = 100, example = 20)]
    pub per_page: Option<String>,
    /// `sv`: a CSV export for people — Swedish column headers, names instead of codes and
    /// ids, countries by name (as `Accept-Language: sv` does); `en` or none: the stable
    /// keys, codes and ids scripts read.
    #[param(pattern = "^(sv|en)$")]
    pub lang: Option<String>,
}

impl PageQuery {
    pub fn parse(&self) -> Result<PageRequest, ApiError> {
        let mut errors = Vec::new();
        // An empty value (`?per_page=`) is a mistake, not an absent parameter.
        let mut int = |field: &str, raw: &Option<String>| match raw.as_deref().map(str::trim) {
            None => None,
            Some(s) => match s.parse::<i64>() {
                Ok(n) => Some(n),
                Err(_) => {
                    errors.push(crate::lang::whole_number(field));
                    None
                }
            },
        };
        let page = int("page", &self.page);
        let per_page = int("per_page", &self.per_page);
        if self.lang.as_deref().is_some_and(|l| l != "sv" && l != "en") {
            errors.push(utblick_domain::FieldError::rule(
                "lang",
                "not_one_of",
                "must be sv or en",
                "ska vara sv eller en",
            ));
        }
        // Range errors of the values that did parse join the format errors, so the client
        // learns everything wrong with the query at once.
        match PageRequest::parse(page, per_page) {
            Ok(req) if errors.is_empty() => Ok(req),
            Ok(_) => Err(ApiError::InvalidParameter(errors)),
            Err(v) => {
                errors.extend(v.0);
                Err(ApiError::InvalidParameter(errors))
            }
        }
    }
}

/// Where a page sits in the whole list.
#[derive(Debug, Serialize, ToSchema)]
pub struct PageInfo {
    /// This page's number, from 1.
    #[schema(example = 1, minimum = 1)]
    pub page: u32,
    /// The page size asked for (1–100); in a JSON export, the number of items (0 when
    /// nothing matched).
    #[schema(example = 20, minimum = 0)]
    pub per_page: u32,
    /// Items in the whole list.
    #[schema(example = 1, minimum = 0)]
    pub total: u64,
    /// Pages in the whole list (0 for an empty list).
    #[schema(example = 1, minimum = 0)]
    pub total_pages: u64,
}

impl PageInfo {
    /// An export: every match in one answer, as a single page of `total` items (no page
    /// at all when nothing matched).
    pub fn whole_list(total: u64) -> Self {
        let per_page = u32::try_from(total).unwrap_or(u32::MAX);
        Self { page: 1, per_page, total, total_pages: u64::from(total > 0) }
    }

    pub fn new(req: PageRequest, total: i64) -> Self {
        let total = u64::try_from(total).unwrap_or(0);
        let per = u64::from(req.per_page());
        Self { page: req.page(), per_page: req.per_page(), total, total_pages: total.div_ceil(per) }
    }
}

/// An RFC 3339 moment from a query parameter; a bad one is added to `errors`.
pub fn parse_moment(
    field: &str,
    raw: Option<&str>,
    errors: &mut Vec<FieldError>,
) -> Option<chrono::NaiveDateTime> {
    let raw = raw?;
    match chrono::DateTime::parse_from_rfc3339(raw) {
        Ok(d) => match utblick_domain::date::check_moment(field, d.naive_utc()) {
            Ok(m) => Some(m),
            Err(e) => {
                errors.push(e);
                None
            }
        },
        Err(_) => {
            errors.push(FieldError::rule(
                field,
                "invalid_type",
                "must be a time like 2026-11-26T12:00:00Z",
                "ska vara en tidpunkt som 2026-11-26T12:00:00Z",
            ));
            None
        }
    }
}

/// The `{id}` of a path, read strictly: digits only, no sign, no leading zero, at least 1.
/// (`+1` and `01` are not ids: two spellings of one id would be two cache keys and two
/// audit trails.)
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct PathId(i64);

impl PathId {
    pub fn parse(raw: &str) -> Result<Self, ApiError> {
        let ok = !raw.is_empty() && raw.bytes().all(|b| b.is_ascii_digit()) && !raw.starts_with('0');
        match raw.parse::<i64>() {
            Ok(n) if ok => Ok(Self(n)),
            _ => Err(ApiError::bad_parameter(FieldError::rule(
                "id",
                "not_an_id",
                "must be a whole number from 1, written with digits only (no sign, no leading zeros)",
                "ska vara ett heltal från 1, skrivet med bara siffror (utan tecken och inledande nollor)",
            ))),
        }
    }

    pub fn into_inner(self) -> i64 {
        self.0
    }
}

impl std::ops::Deref for PathId {
    type Target = i64;
    fn deref(&self) -> &i64 {
        &self.0
    }
}

impl actix_web::FromRequest for PathId {
    type Error = ApiError;
    type Future = std::future::Ready<Result<Self, ApiError>>;

    fn from_request(req: &actix_web::HttpRequest, _: &mut actix_web::dev::Payload) -> Self::Future {
        std::future::ready(PathId::parse(req.match_info().get("id").unwrap_or("")))
    }
}

/// The OpenAPI shape of `can` (the domain's `can::Can`, serialised as is): what the caller may
/// do with a record now. A test holds the two together.
#[derive(ToSchema)]
#[schema(as = Can)]
#[allow(dead_code)]
pub struct CanSchema {
    /// Change the record.
    edit: bool,
    /// Archive it, or take it out of the archive.
    archive: bool,
    /// Erase the person on request (contacts).
    erase: bool,
    /// Adopt the draft (programmes).
    adopt: bool,
    /// Start a new version from it (programmes).
    new_version: bool,
    /// Add new work to it: contacts, collaborations, departments (organisations); a project
    /// idea (leads).
    add_work: bool,
    /// Record a co-funding assessment (projects).
    assess: bool,
    /// Publish it for anyone to read, or withdraw the publication (compilations).
    publish: bool,
    /// The changes of status the caller may make now.
    status: Vec<StatusMoveSchema>,
}

/// A change of status the caller may make now.
#[derive(ToSchema)]
#[schema(as = StatusMove)]
#[allow(dead_code)]
pub struct StatusMoveSchema {
    /// The status it goes to.
    to: String,
    /// Whether it needs a decision of the council from the decisions register.
    needs_decision: bool,
    /// Whether it waits for a co-funding assessment (projects: the gate); refused until one
    /// is recorded.
    needs_assessment: bool,
}

/// The OpenAPI shape of `may` (the domain's `can::May`): what the signed-in person may start
/// or open.
#[derive(ToSchema)]
#[schema(as = May)]
#[allow(dead_code)]
pub struct MaySchema {
    /// Register programmes, decisions, twin towns, frameworks and organisations.
    edit_register: bool,
    /// Read and keep contact persons (personal data).
    read_personal_data: bool,
    manage_users: bool,
    manage_tokens: bool,
    read_audit: bool,
    read_security_log: bool,
    /// Open reporting years, return and approve reports.
    coordinate_reporting: bool,
}

/// A JSON request body of type `T`. Like actix-web's `Json` (content type, size limit,
/// syntax), but a body of the wrong shape is named field by field in words — the field's path
/// (`decision.decided_on`, `partners[1].country`) with a code and a message in the caller's
/// language — never with the parser's own text.
#[derive(Debug)]
pub struct Json<T>(pub T);

impl<T> Json<T> {
    pub fn into_inner(self) -> T {
        self.0
    }
}

impl<T> std::ops::Deref for Json<T> {
    type Target = T;
    fn deref(&self) -> &T {
        &self.0
    }
}

impl<T: serde::de::DeserializeOwned + 'static> actix_web::FromRequest for Json<T> {
    type Error = actix_web::Error;
    type Future = futures_util::future::LocalBoxFuture<'static, Result<Self, actix_web::Error>>;

    fn from_request(req: &actix_web::HttpRequest, payload: &mut actix_web::dev::Payload) -> Self::Future {
        let json = actix_web::web::Json::<serde_json::Value>::from_request(req, payload);
        Box::pin(async move {
            let mut value = json.await?.into_inner();
            integral(&mut value);
            serde_path_to_error::deserialize(value).map(Json).map_err(|e| {
                crate::lang::json_problem(Some(e.path().to_string()), &e.inner().to_string()).into()
            })
        })
    }
}

/// The largest magnitude up to which a JSON number read as a float holds every integer
/// exactly: 2^53 (RFC 8259, section 6).
const EXACT_INTEGERS: f64 = 9_007_199_254_740_992.0;

/// JSON has one kind of number, and JSON Schema calls `1943.0` an integer as it does `1943`:
/// every number without a fraction is read as the integer it is (no field of the API is a
/// float; money is integer öre), up to ±2^53, the range in which a float holds every
/// integer. Numbers are parsed exactly (serde_json's `float_roundtrip`), so
/// `-2251799813685247.0` stays whole; one written with a fraction beyond that range is
/// refused as not a whole number.
fn integral(v: &mut serde_json::Value) {
    match v {
        serde_json::Value::Number(n) => {
            if let Some(f) =
                n.as_f64().filter(|f| n.is_f64() && f.fract() == 0.0 && f.abs() <= EXACT_INTEGERS)
            {
                *v = serde_json::Value::from(f as i64);
            }
        }
        serde_json::Value::Array(a) => a.iter_mut().for_each(integral),
        serde_json::Value::Object(m) => m.values_mut().for_each(integral),
        _ => {}
    }
}

/// A `PATCH` body: a JSON Merge Patch (RFC 7396), sent as `application/merge-patch+json` or
/// `application/json`. Fields left out stay as they are; `null` clears an optional field.
#[derive(Debug)]
pub struct MergePatch(pub utblick_app::Patch);

impl actix_web::FromRequest for MergePatch {
    type Error = actix_web::Error;
    type Future = futures_util::future::LocalBoxFuture<'static, Result<Self, actix_web::Error>>;

    fn from_request(req: &actix_web::HttpRequest, payload: &mut actix_web::dev::Payload) -> Self::Future {
        let json = Json::<serde_json::Value>::from_request(req, payload);
        Box::pin(async move {
            utblick_app::Patch::new(json.await?.into_inner())
                .map(MergePatch)
                .map_err(|e| ApiError::from(e).into())
        })
    }
}

/// The OpenAPI schema of a merge patch of a body type: the body's schema with no field
/// required. `patch_schema!(DecisionPatch = DecisionBody);` makes `DecisionPatch`.
#[macro_export]
macro_rules! patch_schema {
    ($name:ident = $body:ty) => {
        #[doc = concat!("A merge patch of `", stringify!($body), "`: only the fields to change; `null` clears an optional one.")]
        pub struct $name;

        impl utoipa::PartialSchema for $name {
            fn schema() -> utoipa::openapi::RefOr<utoipa::openapi::schema::Schema> {
                let mut s = <$body as utoipa::PartialSchema>::schema();
                if let utoipa::openapi::RefOr::T(utoipa::openapi::schema::Schema::Object(o)) = &mut s {
                    o.required.clear();
                }
                s
            }
        }

        impl utoipa::ToSchema for $name {
            fn name() -> std::borrow::Cow<'static, str> {
                std::borrow::Cow::Borrowed(stringify!($name))
            }
            fn schemas(
                out: &mut Vec<(String, utoipa::openapi::RefOr<utoipa::openapi::schema::Schema>)>,
            ) {
                <$body as utoipa::ToSchema>::schemas(out);
            }
        }
    };
}

#[cfg(test)]
mod tests {
    #[test]
    fn whole_numbers_written_with_a_fraction_are_integers() {
        let mut big: serde_json::Value = serde_json::from_str("{\"goals\": [-2251799813685247.0]}").unwrap();
        super::integral(&mut big);
        assert_eq!(big, serde_json::json!({"goals": [-2_251_799_813_685_247_i64]}));
        let mut v = serde_json::json!({"adopted_year": 1943.0, "ids": [-1211969.0, 2.5], "n": 7});
        super::integral(&mut v);
        assert_eq!(v, serde_json::json!({"adopted_year": 1943, "ids": [-1211969, 2.5], "n": 7}));
        // ±2^53 is the edge (schemathesis sent -9007199254740992.0 as an id); beyond it a
        // float no longer holds every integer, and stays a float, which no field accepts.
        let mut edge: serde_json::Value =
            serde_json::from_str("[-9007199254740992.0, 9007199254740992.0, 18014398509481984.0]").unwrap();
        super::integral(&mut edge);
        assert_eq!(edge[0], serde_json::json!(-9_007_199_254_740_992_i64));
        assert_eq!(edge[1], serde_json::json!(9_007_199_254_740_992_i64));
        assert!(edge[2].is_f64());
    }

    use super::*;

    /// The documented shapes of `can` and `may` are the domain's, field for field.
    #[test]
    fn can_and_may_are_documented_as_serialised() {
        fn keys_of_schema<T: utoipa::PartialSchema>() -> Vec<String> {
            let s = serde_json::to_value(T::schema()).unwrap();
            let mut k: Vec<String> = s["properties"].as_object().unwrap().keys().cloned().collect();
            k.sort();
            k
        }
        fn keys_of_value(v: serde_json::Value) -> Vec<String> {
            let mut k: Vec<String> = v.as_object().unwrap().keys().cloned().collect();
            k.sort();
            k
        }
        let can = utblick_domain::can::twin_town(
            &utblick_domain::Principal::User {
                id: 1,
                role: utblick_domain::Role::Admin,
                organisation_id: None,
            },
            utblick_domain::governance::TwinTownStatus::Active,
            false,
        );
        let value = serde_json::to_value(&can).unwrap();
        assert_eq!(keys_of_schema::<CanSchema>(), keys_of_value(value.clone()));
        assert_eq!(keys_of_schema::<StatusMoveSchema>(), keys_of_value(value["status"][0].clone()));
        let may =
            serde_json::to_value(utblick_domain::can::may(&utblick_domain::Principal::Anonymous)).unwrap();
        assert_eq!(keys_of_schema::<MaySchema>(), keys_of_value(may));
    }

    #[test]
    fn ids_are_written_one_way_only() {
        assert_eq!(PathId::parse("1").unwrap().into_inner(), 1);
        assert_eq!(*PathId::parse("9007199254740993").unwrap(), 9_007_199_254_740_993);
        for bad in ["", "0", "01", "+1", "-1", " 1", "1 ", "1e3", "abc", "99999999999999999999"] {
            assert!(PathId::parse(bad).is_err(), "{bad:?}");
        }
    }
}

/// What every archivable register's record says of its storage: archived or not, its
/// version (the ETag) and when it was made and last changed. Flattened into the record.
#[derive(Debug, Serialize, ToSchema)]
pub struct Stored {
    /// Set when the record is archived (hidden from lists by default); never deleted.
    pub archived_at: Option<chrono::DateTime<chrono::Utc>>,
    /// The version this shows; also the ETag.
    pub version: i32,
    pub created_at: chrono::DateTime<chrono::Utc>,
    pub updated_at: chrono::DateTime<chrono::Utc>,
}

impl Stored {
    pub fn of(
        archived_at: Option<chrono::NaiveDateTime>,
        version: i32,
        created_at: chrono::NaiveDateTime,
        updated_at: chrono::NaiveDateTime,
    ) -> Self {
        Self {
            archived_at: archived_at.map(|t| t.and_utc()),
            version,
            created_at: created_at.and_utc(),
            updated_at: updated_at.and_utc(),
        }
    }
}

/// Request bodies that share fields (a create body and the edit body of the same record):
/// each struct has its own fields first, then the shared ones, written once.
macro_rules! sharing_fields {
    (@one { $($shared:tt)* } $(#[$m:meta])* pub struct $name:ident { $($own:tt)* }) => {
        $(#[$m])* pub struct $name { $($own)* $($shared)* }
    };
    ($shared:tt $( $(#[$m:meta])* pub struct $name:ident { $($own:tt)* } )+) => {
        $( $crate::dto::sharing_fields!(@one $shared $(#[$m])* pub struct $name { $($own)* }); )+
    };
}
pub(crate) use sharing_fields;

/// The wire type of a page of a list: its items and [`PageInfo`].
macro_rules! page_type {
    ($page:ident of $dto:ty) => {
        /// A page of the list.
        #[derive(Debug, serde::Serialize, utoipa::ToSchema)]
        pub struct $page {
            pub items: Vec<$dto>,
            #[serde(flatten)]
            pub page: $crate::dto::PageInfo,
        }
    };
}
pub(crate) use page_type;
