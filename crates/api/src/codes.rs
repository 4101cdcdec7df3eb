//! The domain's code lists on the wire. Each domain enum serialises as its code (the
//! domain's own serde), so DTOs hold the domain enum itself; for the OpenAPI document each
//! list has a marker type here (`schema::Role`), named like the list, whose schema — a
//! string `enum` with the codes and their Swedish names — is built by one generic function
//! from the domain's one definition. A field says `#[schema(value_type = schema::Role)]`.
//! No list of codes is copied into the API.

use utblick_domain::codes::Code;
use utoipa::openapi::schema::{ObjectBuilder, Schema, Type};

/// The schema of a code list: a string, one of the codes, described with each code's
/// Swedish name.
pub fn schema_of<T: Code>() -> Schema {
    let names =
        T::all().iter().map(|c| format!("`{}` ({})", c.code(), c.swedish())).collect::<Vec<_>>().join(", ");
    let about = T::ABOUT.lines().map(str::trim).collect::<Vec<_>>().join(" ");
    ObjectBuilder::new()
        .schema_type(Type::String)
        .enum_values(Some(T::codes()))
        .description(Some(format!("{} One of: {names}.", about.trim())))
        .into()
}

macro_rules! code_schemas {
    ($($name:ident = $domain:path;)+) => {
        /// The OpenAPI schemas of the domain's code lists, one per list.
        pub mod schema {
            $(
                #[doc = concat!("The code list `", stringify!($name), "` in the OpenAPI document.")]
                pub struct $name;

                impl utoipa::PartialSchema for $name {
                    fn schema() -> utoipa::openapi::RefOr<utoipa::openapi::schema::Schema> {
                        utoipa::openapi::RefOr::T(super::schema_of::<$domain>())
                    }
                }

                impl utoipa::ToSchema for $name {
                    fn name() -> std::borrow::Cow<'static, str> {
                        std::borrow::Cow::Borrowed(stringify!($name))
                    }
                }
            )+

            /// Every list: its name, and each code with its Swedish and English name (for
            /// the tests that hold the spec, the database and the web to the domain's
            /// lists).
            pub fn all() -> Vec<(&'static str, Vec<(&'static str, &'static str, &'static str)>)> {
                use utblick_domain::codes::Code;
                vec![$((
                    stringify!($name),
                    <$domain>::all().iter().map(|c| (c.code(), c.swedish(), c.english())).collect(),
                ),)+]
            }
        }
    };
}

code_schemas! {
    Role = utblick_domain::access::Role;
    RoleSource = utblick_domain::oidc::RoleSource;
    Scope = utblick_domain::access::Scope;
    OrganisationKind = utblick_domain::access::OrganisationKind;
    TokenState = utblick_domain::access::TokenState;
    SecurityEventKind = utblick_domain::access::SecurityEventKind;
    DocumentType = utblick_domain::programme::DocumentType;
    Body = utblick_domain::programme::Body;
    ProgrammeStatus = utblick_domain::programme::ProgrammeStatus;
    WorkKind = utblick_domain::programme::WorkKind;
    TwinTownStatus = utblick_domain::governance::TwinTownStatus;
    CollaborationStatus = utblick_domain::governance::CollaborationStatus;
    CollaborationKind = utblick_domain::governance::CollaborationKind;
    PartnerKind = utblick_domain::governance::PartnerKind;
    ProjectStatus = utblick_domain::project::ProjectStatus;
    PartnerRole = utblick_domain::project::PartnerRole;
    FundingStatus = utblick_domain::project::FundingStatus;
    Currency = utblick_domain::money::Currency;
    CoFundingOutcome = utblick_domain::project::CoFundingOutcome;
    FundingProgrammeKind = utblick_domain::project::FundingProgrammeKind;
    ActivityKind = utblick_domain::activity::ActivityKind;
    Organiser = utblick_domain::activity::Organiser;
    LeadKind = utblick_domain::lead::LeadKind;
    ReportStatus = utblick_domain::report::ReportStatus;
    ReportFigure = utblick_domain::report::ReportFigure;
    CompilationStatus = utblick_domain::compilation::CompilationStatus;
    ReminderKind = utblick_domain::reminder::ReminderKind;
    ReminderStatus = utblick_domain::reminder::ReminderStatus;
}

/// A country in the OpenAPI document: one of the ISO 3166-1 alpha-2 codes the domain knows.
pub struct Country;

impl utoipa::PartialSchema for Country {
    fn schema() -> utoipa::openapi::RefOr<Schema> {
        let codes: Vec<&str> = utblick_domain::country_names::COUNTRIES.iter().map(|(c, _, _)| *c).collect();
        utoipa::openapi::RefOr::T(
            ObjectBuilder::new()
                .schema_type(Type::String)
                .enum_values(Some(codes))
                .description(Some("A country: its ISO 3166-1 alpha-2 code (`SE`, `PL`, `DE`)."))
                .examples([serde_json::json!("PL")])
                .into(),
        )
    }
}

impl utoipa::ToSchema for Country {
    fn name() -> std::borrow::Cow<'static, str> {
        std::borrow::Cow::Borrowed("Country")
    }
}
