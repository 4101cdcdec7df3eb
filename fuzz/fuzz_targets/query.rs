//! A list's query string, whatever it says: read into each register's parameters as the API
//! reads them (serde_urlencoded, as actix-web's `Query`), then into its filter and page. It
//! never panics; what is wrong is an answer naming the parameter.
#![no_main]

use libfuzzer_sys::fuzz_target;
use utblick_api::dto::PageQuery;
use utblick_api::routes::*;

/// Reads `query` as each of the list parameter types.
macro_rules! each {
    ($query:expr, $($t:ty),+ $(,)?) => {
        $(
            if let Ok(q) = serde_urlencoded::from_str::<$t>($query) {
                let _ = q.filter();
            }
        )+
    };
}

fuzz_target!(|query: &str| {
    if let Ok(page) = serde_urlencoded::from_str::<PageQuery>(query) {
        let _ = page.parse();
    }
    each!(
        query,
        activities::ActivityQuery,
        api_tokens::TokenQuery,
        audit::AuditQuery,
        collaborations::CollaborationQuery,
        contacts::ContactQuery,
        decisions::DecisionQuery,
        frameworks::FrameworkQuery,
        goals::GoalQuery,
        leads::LeadQuery,
        organisations::OrganisationQuery,
        programmes::ProgrammeQuery,
        projects::ProjectQuery,
        twin_towns::TwinTownQuery,
        users::UserQuery,
    );
});
