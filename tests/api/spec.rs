//! The committed spec is the generated spec, and the server serves exactly it.

use utblick_tests::{TestApp, repo_root};

/// Fails when `openapi/openapi.json` differs from what the code generates.
/// `UPDATE_OPENAPI=1 cargo test -p utblick-tests --test api spec::` rewrites it.
#[test]
fn the_committed_spec_matches_the_code() {
    let generated = serde_json::to_string_pretty(&utblick_api::openapi()).unwrap() + "\n";
    let path = repo_root().join("openapi/openapi.json");
    if std::env::var_os("UPDATE_OPENAPI").is_some() {
        std::fs::create_dir_all(path.parent().unwrap()).unwrap();
        std::fs::write(&path, &generated).unwrap();
        return;
    }
    let committed = std::fs::read_to_string(&path).unwrap_or_default();
    assert!(
        committed == generated,
        "openapi/openapi.json is out of date with the code; run `UPDATE_OPENAPI=1 cargo test -p utblick-tests --test api spec::` and commit the result"
    );
}

#[test]
fn the_spec_is_openapi_3_1_with_every_operation_named() {
    let v = serde_json::to_value(utblick_api::openapi()).unwrap();
    assert_eq!(v["openapi"], "3.1.0");
    let mut ids = Vec::new();
    for (_, item) in v["paths"].as_object().unwrap() {
        for (_, op) in item.as_object().unwrap() {
            ids.push(op["operationId"].as_str().unwrap().to_owned());
        }
    }
    ids.sort();
    let expected = [
        "adopt_programme",
        "appoint_official",
        "archive_activity",
        "archive_collaboration",
        "archive_decision",
        "archive_lead",
        "archive_official",
        "archive_project",
        "archive_twin_town",
        "assess_project",
        "attach_to_activity",
        "attach_to_project",
        "attach_to_report",
        "begin_compilation",
        "begin_oidc_sign_in",
        "change_collaboration_status",
        "change_compilation_status",
        "change_my_password",
        "change_project_status",
        "change_report_status",
        "change_twin_town_status",
        "create_activity",
        "create_api_token",
        "create_collaboration",
        "create_contact",
        "create_decision",
        "create_framework",
        "create_funding_programme",
        "create_lead",
        "create_official",
        "create_organisation",
        "create_programme",
        "create_project",
        "create_twin_town",
        "create_user",
        "erase_contact",
        "export_compilation",
        "export_published_compilation",
        "finish_oidc_sign_in",
        "get_activity",
        "get_attachment",
        "get_collaboration",
        "get_compilation",
        "get_compilation_chart",
        "get_compilation_version",
        "get_contact",
        "get_decision",
        "get_framework",
        "get_goal",
        "get_health",
        "get_kpi",
        "get_lead",
        "get_me",
        "get_openapi",
        "get_organisation",
        "get_programme",
        "get_project",
        "get_published_compilation",
        "get_published_compilation_chart",
        "get_ready",
        "get_report",
        "get_report_version",
        "get_reporting_year",
        "get_settings",
        "get_site",
        "get_twin_town",
        "get_user",
        "import_activities",
        "import_projects",
        "kolada_data",
        "kolada_data_kpi_municipality",
        "kolada_data_kpi_year",
        "kolada_data_slash",
        "kolada_kpi_by_id",
        "kolada_kpis",
        "kolada_municipalities",
        "kolada_municipality",
        "kolada_ou",
        "kolada_oudata",
        "kolada_oudata_kpi_ou",
        "kolada_oudata_kpi_year",
        "kolada_oudata_slash",
        "kolada_ous",
        "lead_to_project",
        "leads_calendar",
        "link_programme_framework",
        "list_activities",
        "list_activity_attachments",
        "list_api_tokens",
        "list_audit_events",
        "list_changes",
        "list_collaborations",
        "list_compilations",
        "list_contacts",
        "list_decisions",
        "list_frameworks",
        "list_funding_programmes",
        "list_goals",
        "list_kpi_values",
        "list_kpis",
        "list_leads",
        "list_officials",
        "list_organisations",
        "list_programmes",
        "list_project_attachments",
        "list_projects",
        "list_published_compilations",
        "list_report_attachments",
        "list_reporting_years",
        "list_security_events",
        "list_twin_towns",
        "list_users",
        "login",
        "logout",
        "new_programme_version",
        "oidc_backchannel_logout",
        "open_reporting_year",
        "publish_compilation",
        "push_goal",
        "push_scorecard",
        "refresh",
        "remove_attachment",
        "remove_goal",
        "reset_user_password",
        "revoke_api_token",
        "revoke_user_api_tokens",
        "update_activity",
        "update_collaboration",
        "update_contact",
        "update_decision",
        "update_funding_programme",
        "update_lead",
        "update_official",
        "update_organisation",
        "update_programme",
        "update_project",
        "update_report",
        "update_settings",
        "update_twin_town",
        "update_user",
    ];
    assert_eq!(ids, expected);
}

/// Every wire type has a name of its own: utoipa keys the document's schemas by name, and a
/// second type of the same name silently replaces the first (a request body would then be
/// documented with another's fields).
#[test]
fn every_schema_name_is_used_once() {
    let mut names: std::collections::BTreeMap<String, Vec<String>> = std::collections::BTreeMap::new();
    let mut files = vec![repo_root().join("crates/api/src")];
    while let Some(path) = files.pop() {
        if path.is_dir() {
            files.extend(std::fs::read_dir(&path).unwrap().map(|e| e.unwrap().path()));
            continue;
        }
        if path.extension().is_none_or(|e| e != "rs") {
            continue;
        }
        let text = std::fs::read_to_string(&path).unwrap();
        let lines: Vec<&str> = text.lines().map(str::trim).collect();
        for (at, line) in lines.iter().enumerate() {
            if !(line.starts_with("#[derive(") && line.contains("ToSchema")) {
                continue;
            }
            let mut renamed = None;
            for next in &lines[at + 1..] {
                if let Some(rest) = next.strip_prefix("#[schema(as = ") {
                    renamed = rest.split(')').next().map(str::to_owned);
                }
                let item = next.strip_prefix("pub struct ").or_else(|| next.strip_prefix("pub enum "));
                if let Some(item) = item {
                    let name =
                        item.split(|c: char| !c.is_alphanumeric() && c != '_').next().unwrap_or_default();
                    let name = renamed.take().unwrap_or_else(|| name.to_owned());
                    names.entry(name).or_default().push(path.display().to_string());
                    break;
                }
            }
        }
    }
    assert!(names.len() > 100, "the wire types are found ({})", names.len());
    let twice: Vec<_> = names.iter().filter(|(_, at)| at.len() > 1).collect();
    assert!(twice.is_empty(), "schema names used twice: {twice:?}");
}

crate::on_both_backends!(the_server_serves_the_generated_spec);

async fn the_server_serves_the_generated_spec(app: TestApp) {
    let served = app.get_json("/api/v1/openapi.json").await;
    assert_eq!(served, serde_json::to_value(utblick_api::openapi()).unwrap());
}

/// Every page's header names the municipality from the configuration (`web.municipality`).
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_site_names_the_configured_municipality() {
    let Some(app) = TestApp::spawn_with(utblick_tests::Backend::Sqlite, |s| {
        s.web.municipality = "Ydre kommun".into();
    })
    .await
    else {
        return;
    };
    let site = app.get_json("/api/v1/site").await;
    assert_eq!(
        site,
        serde_json::json!({"municipality": "Ydre kommun", "product": "Utblick", "single_sign_on": false})
    );
}
