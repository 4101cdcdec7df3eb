//! IT's command line, run in-process as the binary runs it (`utblick_api::cli::run`):
//! backup → restore into an empty database → every list exports identically (CSV, JSON and
//! XLSX, on both backends); an export imported a second time changes nothing; accounts and
//! tokens; exit codes a script relies on.

use std::path::Path;

use utblick_api::cli::{self, exit};
use utblick_tests::{TestApp, TestDb, test_settings};

crate::on_both_backends!(
    a_backup_restores_into_an_empty_database_and_every_list_exports_the_same,
    an_exported_file_imported_again_changes_nothing,
    accounts_and_tokens_from_the_command_line
);

/// Runs `utblick <args>` against the database at `db_url` (on a thread of its own, as the
/// command line runs its own runtime): the exit code and standard output.
async fn utblick(db_url: &str, args: &[&str], password: Option<&str>) -> (u8, Vec<u8>) {
    let settings = test_settings(db_url);
    let args: Vec<String> =
        std::iter::once("utblick").chain(args.iter().copied()).map(String::from).collect();
    let password = password.map(str::to_owned);
    tokio::task::spawn_blocking(move || {
        std::thread::spawn(move || {
            let parsed = cli::parse(&args).unwrap_or_else(|e| panic!("{args:?}: {e:?}"));
            let (mut out, mut input) = (Vec::new(), &b""[..]);
            let mut io = cli::Io { out: &mut out, input: &mut input, new_password: password };
            let code = cli::run(parsed, settings, &mut io);
            (code, out)
        })
        .join()
        .unwrap()
    })
    .await
    .unwrap()
}

fn path(p: &Path) -> &str {
    p.to_str().unwrap()
}

/// Every file of `dir`, by name.
fn files(dir: &Path) -> std::collections::BTreeMap<String, Vec<u8>> {
    std::fs::read_dir(dir)
        .unwrap()
        .map(|e| {
            let e = e.unwrap();
            (e.file_name().to_string_lossy().into_owned(), std::fs::read(e.path()).unwrap())
        })
        .collect()
}

/// Data in every list: the seed's programme and frameworks, and a project, activity,
/// contact, decision, twin town, collaboration, scorecard goal, account and token.
async fn fill(app: &TestApp) {
    let org = app.create_organisation("Tekniska förvaltningen");
    app.create_contact(org, "Anna Berg");
    app.create_project(org);
    app.create_activity(org);
    app.create_decision("council");
    app.create_twin_town("Vänorten");
    app.create_collaboration(org);
    app.create_lead(org);
    let scorecard = app.create_scorecard("SK-1");
    app.create_scorecard_goal(scorecard, "M-1");
    let admin = app.create_user("admin", None);
    app.create_api_token("read,kpi:read", admin.id);
}

async fn a_backup_restores_into_an_empty_database_and_every_list_exports_the_same(app: TestApp) {
    fill(&app).await;
    let dir = tempfile::tempdir().unwrap();
    let original = app.db.url();
    for format in ["csv", "json", "xlsx"] {
        // A backup of the running server's database (each format's own: exporting writes
        // audit events of the export).
        let backup = dir.path().join(format!("utblick-{format}.backup"));
        assert_eq!(utblick(&original, &["backup", path(&backup)], None).await.0, exit::OK);
        let empty = TestDb::empty(app.backend).unwrap();
        assert_eq!(utblick(&empty.url(), &["restore", path(&backup)], None).await.0, exit::OK);
        let (a, b) = (dir.path().join(format!("a-{format}")), dir.path().join(format!("b-{format}")));
        for (db, out) in [(&original, &a), (&empty.url(), &b)] {
            let code =
                utblick(db, &["export", "--all", "--format", format, "--output", path(out)], None).await.0;
            assert_eq!(code, exit::OK, "{format}");
        }
        let (a, b) = (files(&a), files(&b));
        assert_eq!((a.len(), b.len()), (15, 15), "every list: {:?}", a.keys());
        for (name, bytes) in &a {
            if format == "xlsx" {
                // A workbook records when it was written; its cells are what must be equal.
                assert_eq!(crate::imports::cells(bytes), crate::imports::cells(&b[name]), "{name}");
            } else {
                assert!(bytes == &b[name], "{name} differs after the restore");
            }
        }
        // Not empty lists compared: the project, the account and the goal are there.
        if format == "json" {
            for list in ["projects", "users", "goals", "activities", "twin-towns", "audit-events"] {
                let v: serde_json::Value = serde_json::from_slice(&a[&format!("{list}.json")]).unwrap();
                assert!(v["total"].as_u64().unwrap() >= 1, "{list} is empty");
            }
        }
        // The restored database is no longer empty: a second restore is refused.
        assert_eq!(utblick(&empty.url(), &["restore", path(&backup)], None).await.0, exit::CONFLICT);
    }
    // A backup never overwrites a file; a file that is no backup is refused.
    let backup = dir.path().join("utblick-csv.backup");
    assert_eq!(utblick(&original, &["backup", path(&backup)], None).await.0, exit::CONFLICT);
    let junk = dir.path().join("junk");
    std::fs::write(&junk, "hej").unwrap();
    let empty = TestDb::empty(app.backend).unwrap();
    assert_eq!(utblick(&empty.url(), &["restore", path(&junk)], None).await.0, exit::REFUSED);
}

async fn an_exported_file_imported_again_changes_nothing(app: TestApp) {
    // The same organisation (and contact person) in both, with the same ids.
    let org = app.create_organisation("Barn- och utbildningsförvaltningen");
    app.create_contact(org, "Anna Berg");
    let (other, token) = crate::imports::empty_like(&app).await;
    let admin = app.create_user("admin", None);
    let t = app.login(&admin).await;
    let body = serde_json::json!({
        "title": "Skolutbyte med Tartu", "summary": "Elever möts.", "kind": "development",
        "owner_organisation_id": org, "external_id": "PRJ-1", "priority_areas": [], "goals": [],
        "contribution": "Kompetens", "lasting_value": "Ett partnerskap", "partners": [],
        "own_money": 12_000_050, "own_hours": 25_075, "funding": []
    });
    crate::imports::project(&app, &t, body, &["planning"]).await;
    app.create_activity(org);
    app.create_activity(org);
    let dir = tempfile::tempdir().unwrap();
    let (source, target) = (app.db.url(), other.db.url());
    // Projects as JSON for scripts, activities as CSV for people (Swedish headers, names).
    let projects = dir.path().join("projekt.json");
    let activities = dir.path().join("aktiviteter.csv");
    let run = utblick(&source, &["export", "projects", "-f", "json", "-o", path(&projects)], None).await;
    assert_eq!(run.0, exit::OK);
    let run =
        utblick(&source, &["--lang", "sv", "export", "activities", "-o", path(&activities)], None).await;
    assert_eq!(run.0, exit::OK);
    let report = |out: &[u8]| serde_json::from_slice::<serde_json::Value>(out).unwrap();
    for (list, file, n) in [("projects", &projects, 1), ("activities", &activities, 2)] {
        // A dry run says what would happen and stores nothing.
        let (code, out) = utblick(&target, &["import", list, path(file), "--dry-run"], None).await;
        assert_eq!(code, exit::OK);
        assert_eq!(report(&out)["created"], n, "{list}");
        let (code, out) = utblick(&target, &["import", list, path(file)], None).await;
        assert_eq!((code, &report(&out)["created"]), (exit::OK, &serde_json::json!(n)), "{list}");
        let audit = other.audit_count();
        let (code, out) = utblick(&target, &["import", list, path(file)], None).await;
        assert_eq!(code, exit::OK);
        let r = report(&out);
        assert_eq!(
            (&r["created"], &r["updated"], &r["unchanged"]),
            (&0.into(), &0.into(), &n.into()),
            "{list}"
        );
        assert_eq!(other.audit_count(), audit, "the second import of {list} wrote nothing");
    }
    // What was imported exports as it was exported.
    let again = dir.path().join("igen.json");
    utblick(&target, &["export", "projects", "-f", "json", "-o", path(&again)], None).await;
    let (a, b) = (report(&std::fs::read(&projects).unwrap()), report(&std::fs::read(&again).unwrap()));
    assert_eq!(a["items"][0]["title"], b["items"][0]["title"]);
    assert_eq!(a["items"][0]["own_money"], b["items"][0]["own_money"]);
    // A bad file stores nothing and says which row (exit 4).
    let bad = dir.path().join("bad.csv");
    std::fs::write(&bad, "title;kind\n;study_visit\n").unwrap();
    let audit = other.audit_count();
    assert_eq!(utblick(&target, &["import", "activities", path(&bad)], None).await.0, exit::REFUSED);
    assert_eq!(other.audit_count(), audit);
    drop(token);
}

async fn accounts_and_tokens_from_the_command_line(app: TestApp) {
    let db = app.db.url();
    let json = |out: &[u8]| serde_json::from_slice::<serde_json::Value>(out).unwrap();
    let password = Some("ett långt lösenord för IT");
    let (code, out) =
        utblick(&db, &["user", "create", "--email", "it@tranas.se", "--role", "admin"], password).await;
    assert_eq!(code, exit::OK);
    let admin = json(&out)["id"].as_i64().unwrap();
    let events = app.audit_events();
    let created = events.iter().find(|e| e.action == "user.created").unwrap();
    assert!(created.actor_label.starts_with("kommandoraden"), "{}", created.actor_label);
    // Refused: a wrong role (4), the same e-mail again (5), no password (4).
    let args = ["user", "create", "--email", "x@tranas.se", "--role", "boss"];
    assert_eq!(utblick(&db, &args, password).await.0, exit::REFUSED);
    let args = ["user", "create", "--email", "it@tranas.se", "--role", "admin"];
    assert_eq!(utblick(&db, &args, password).await.0, exit::CONFLICT);
    let args = ["user", "create", "--email", "y@tranas.se", "--role", "reader"];
    assert_eq!(utblick(&db, &args, None).await.0, exit::REFUSED);
    let (code, out) =
        utblick(&db, &["user", "create", "--email", "r@tranas.se", "--role", "reader"], password).await;
    assert_eq!(code, exit::OK);
    let reader = json(&out)["id"].as_i64().unwrap().to_string();
    let (code, out) =
        utblick(&db, &["user", "update", &reader, "--active", "false", "--name", "R"], None).await;
    assert_eq!(code, exit::OK);
    assert_eq!((&json(&out)["active"], &json(&out)["display_name"]), (&false.into(), &"R".into()));
    assert_eq!(utblick(&db, &["user", "show", "9999"], None).await.0, exit::REFUSED);
    let (code, out) = utblick(&db, &["user", "list", "--filter", "q=r@tranas"], None).await;
    assert_eq!((code, json(&out)["total"].as_u64()), (exit::OK, Some(1)));
    assert_eq!(utblick(&db, &["user", "reset-password", &reader], password).await.0, exit::OK);
    // Tokens: created by a named administrator (who has not changed the first password yet),
    // shown once, listed without the secret, revoked.
    let args = ["token", "create", "--name", "Styrkort", "--scope", "read,kpi:read", "--by", "it@tranas.se"];
    let (code, out) = utblick(&db, &args, None).await;
    assert_eq!(code, exit::OK);
    let token = json(&out);
    assert!(token["token"].as_str().unwrap().starts_with("utb_"));
    let res =
        app.req(reqwest::Method::GET, "/api/v1/projects", token["token"].as_str()).send().await.unwrap();
    assert_eq!(res.status(), 200, "the token works");
    let args = ["token", "create", "--name", "X", "--scope", "read", "--by", "r@tranas.se"];
    assert_eq!(utblick(&db, &args, None).await.0, exit::REFUSED, "made by an administrator only");
    let (code, out) = utblick(&db, &["token", "list"], None).await;
    assert_eq!(code, exit::OK);
    assert!(!String::from_utf8_lossy(&out).contains(token["token"].as_str().unwrap()));
    assert_eq!(json(&out)["items"][0]["created_by"], admin);
    let id = token["id"].as_i64().unwrap().to_string();
    let (code, out) = utblick(&db, &["token", "revoke", &id], None).await;
    assert_eq!((code, json(&out)["state"].as_str()), (exit::OK, Some("revoked")));
    let res =
        app.req(reqwest::Method::GET, "/api/v1/projects", token["token"].as_str()).send().await.unwrap();
    assert_eq!(res.status(), 401);
    let (code, out) = utblick(&db, &["token", "revoke-all-of", &admin.to_string()], None).await;
    assert_eq!((code, json(&out)["revoked"].as_array().map(Vec::len)), (exit::OK, Some(0)));
    // A database that cannot be reached is exit 3.
    let nowhere = "postgres://utblick@127.0.0.1:1/none";
    assert_eq!(utblick(nowhere, &["user", "list"], None).await.0, exit::UNAVAILABLE);
}
