//! Persistence on both backends: migrations up, down and up again; the seed round trip;
//! a fresh database per test. Each test exists once per backend (`sqlite::…`, `postgres::…`).
#![allow(clippy::unwrap_used, clippy::expect_used)]

use chrono::NaiveDate;
use diesel::prelude::*;
use utblick_db::schema::{priority_areas, programmes};
use utblick_db::seed::{self, SeedOutcome};
use utblick_db::test_support::TestDb;
use utblick_db::{Backend, DbError, migrations, programmes as repo};

fn now() -> chrono::NaiveDateTime {
    NaiveDate::from_ymd_opt(2026, 11, 26).unwrap().and_hms_opt(12, 0, 0).unwrap()
}

macro_rules! on_both_backends {
    ($($name:ident),* $(,)?) => {
        mod sqlite {
            $(#[test] fn $name() { if let Some(db) = super::TestDb::migrated(super::Backend::Sqlite) { super::$name(db) } })*
        }
        mod postgres {
            $(#[test] fn $name() { if let Some(db) = super::TestDb::migrated(super::Backend::Postgres) { super::$name(db) } })*
        }
    };
}

on_both_backends!(
    migrations_run_revert_and_run_again,
    the_seed_round_trips,
    the_seed_loads_once_and_never_again,
    the_seed_stays_out_of_a_database_with_data,
    unique_violations_name_their_constraint,
    foreign_keys_are_enforced,
    pages_are_ordered_and_bounded,
    names_sort_in_swedish_order,
    the_kept_activity_total_follows_every_change,
    the_kept_decision_and_project_totals_follow_every_change,
    an_annual_report_is_written_handed_in_and_frozen,
    attached_files_are_kept_byte_for_byte_and_handed_in_ones_never_change,
);

/// Å, Ä, Ö come after Z and in that order, case and accents aside, on both backends alike.
fn names_sort_in_swedish_order(db: TestDb) {
    use utblick_db::identity::{self, OrganisationFilter, OrganisationSort};
    use utblick_db::listing::Sort;
    let mut conn = db.connect();
    let names = [
        "Örebro kommun",
        "Åre kommun",
        "ängelholms kommun",
        "Zagreb",
        "Aalborg",
        "Ærøskøbing",
        "Écija",
        "anna",
        "Anna",
    ];
    for n in names {
        identity::insert_organisation(&mut conn, n, "company", now()).unwrap();
    }
    let order = |descending| {
        let f = OrganisationFilter {
            sort: Sort { key: OrganisationSort::Name, descending },
            ..Default::default()
        };
        identity::list_organisations(&mut db.connect(), &f, 0, 100)
            .unwrap()
            .into_iter()
            .map(|o| o.name)
            .collect::<Vec<_>>()
    };
    let expected = [
        "Aalborg",
        "anna",
        "Anna",
        "Écija",
        "Zagreb",
        "Åre kommun",
        "ängelholms kommun",
        "Ærøskøbing",
        "Örebro kommun",
    ];
    assert_eq!(order(false), expected);
    let mut reversed = expected;
    reversed.reverse();
    assert_eq!(order(true), reversed);
}

fn migrations_run_revert_and_run_again(db: TestDb) {
    let mut conn = db.connect();
    assert_eq!(migrations::pending(&mut conn).unwrap(), 0, "the test database arrives migrated");
    let reverted = migrations::revert_all(&mut conn).unwrap();
    assert!(!reverted.is_empty());
    assert!(
        diesel::sql_query("SELECT id FROM programmes").execute(&mut conn).is_err(),
        "down.sql removes the tables"
    );
    let applied = migrations::run_pending(&mut conn).unwrap();
    assert_eq!(applied.len(), reverted.len());
    assert_eq!(seed::load_if_first_start(&mut conn, now()).unwrap(), SeedOutcome::Loaded);
}

fn the_seed_round_trips(db: TestDb) {
    let mut conn = db.connect();
    assert_eq!(seed::load_if_first_start(&mut conn, now()).unwrap(), SeedOutcome::Loaded);
    let rows = repo::list_programmes(&mut conn, &Default::default(), 0, 10).unwrap();
    assert_eq!(rows.len(), 1);
    let rec = repo::get_programme(&mut conn, rows[0].id).unwrap().unwrap();
    let expected = seed::parse_seed(seed::SEED_JSON).unwrap().programme;
    let p = &rec.programme;
    assert_eq!(p.title, expected.title());
    assert_eq!(p.document_id, "0424");
    assert_eq!(p.diarienummer, "2016/20");
    assert_eq!(p.version, 1);
    assert_eq!(p.decided_by, "executive_board");
    assert_eq!(p.status, "adopted");
    assert_eq!(p.published, NaiveDate::from_ymd_opt(2016, 4, 23));
    assert_eq!(p.revise_by, NaiveDate::from_ymd_opt(2020, 4, 22));
    assert_eq!(p.purpose, expected.purpose());
    assert_eq!(p.background, expected.background(), "long Swedish text survives byte for byte");
    assert_eq!(p.created_at, now());
    let areas: Vec<_> = rec.priority_areas.iter().map(|a| (a.number, a.title.as_str())).collect();
    assert_eq!(
        areas,
        [
            (1, "Livslångt lärande för individen och för samhället"),
            (2, "Goda och kreativa livsmiljöer"),
            (3, "Hållbar samhällsplanering")
        ]
    );
    let kinds: Vec<_> = rec.work_kinds.iter().map(|w| w.kind.as_str()).collect();
    assert_eq!(kinds, ["horizon_scanning", "positioning", "development"]);
    let fws: Vec<_> = rec.frameworks.iter().map(|f| f.framework.code.as_str()).collect();
    assert_eq!(fws, ["europe-2020", "tranas-utvecklingsplan-2010"]);
    let plan =
        utblick_db::frameworks::get_framework(&mut conn, rec.frameworks[1].framework.id).unwrap().unwrap();
    assert_eq!(plan.goals.len(), 6);
    assert_eq!(plan.framework.overall_goal.as_deref(), Some("20 000 invånare år 2020"));
    assert_eq!(repo::get_programme(&mut conn, rows[0].id + 1000).unwrap(), None);
}

fn the_seed_loads_once_and_never_again(db: TestDb) {
    let mut conn = db.connect();
    assert_eq!(seed::load_if_first_start(&mut conn, now()).unwrap(), SeedOutcome::Loaded);
    assert_eq!(seed::load_if_first_start(&mut conn, now()).unwrap(), SeedOutcome::AlreadyLoaded);
    // A user removes everything the seed brought (archival comes later; here, by hand).
    diesel::delete(utblick_db::schema::programme_frameworks::table).execute(&mut conn).unwrap();
    diesel::delete(priority_areas::table).execute(&mut conn).unwrap();
    diesel::delete(utblick_db::schema::programme_work_kinds::table).execute(&mut conn).unwrap();
    diesel::delete(programmes::table).execute(&mut conn).unwrap();
    assert_eq!(seed::load_if_first_start(&mut conn, now()).unwrap(), SeedOutcome::AlreadyLoaded);
    assert_eq!(
        repo::count_programmes(&mut conn, &Default::default()).unwrap(),
        0,
        "the seed never comes back"
    );
}

fn the_seed_stays_out_of_a_database_with_data(db: TestDb) {
    let mut conn = db.connect();
    let p = seed::parse_seed(seed::SEED_JSON).unwrap().programme;
    // Someone imported their own programme before the first start.
    let id = repo::insert_programme(&mut conn, &p, now()).unwrap();
    assert_eq!(seed::load_if_first_start(&mut conn, now()).unwrap(), SeedOutcome::SkippedExistingData);
    assert_eq!(repo::count_programmes(&mut conn, &Default::default()).unwrap(), 1);
    assert_eq!(repo::get_programme(&mut conn, id).unwrap().unwrap().frameworks.len(), 0);
}

fn unique_violations_name_their_constraint(db: TestDb) {
    let mut conn = db.connect();
    let p = seed::parse_seed(seed::SEED_JSON).unwrap().programme;
    repo::insert_programme(&mut conn, &p, now()).unwrap();
    match repo::insert_programme(&mut conn, &p, now()) {
        Err(DbError::UniqueViolation { constraint }) => {
            assert!(constraint.contains("document") || constraint.contains("programmes"), "{constraint}")
        }
        other => panic!("expected a unique violation, got {other:?}"),
    }
    assert_eq!(
        repo::count_programmes(&mut conn, &Default::default()).unwrap(),
        1,
        "the failed insert rolled back whole"
    );
    assert_eq!(priority_areas::table.count().get_result::<i64>(&mut conn).unwrap(), 3);
}

fn foreign_keys_are_enforced(db: TestDb) {
    let mut conn = db.connect();
    let r = diesel::insert_into(priority_areas::table)
        .values((
            priority_areas::programme_id.eq(424_242_i64),
            priority_areas::number.eq(1),
            priority_areas::title.eq("t"),
            priority_areas::description.eq("d"),
        ))
        .execute(&mut conn);
    assert!(r.is_err(), "a priority area needs its programme");
}

fn pages_are_ordered_and_bounded(db: TestDb) {
    let mut conn = db.connect();
    let mut input = utblick_domain::programme::ProgrammeInput {
        title: "Program".into(),
        document_id: String::new(),
        diarienummer: "KS 2020/1".into(),
        version: 1,
        document_type: "programme".into(),
        responsible_administration: "Kommunledningsförvaltningen".into(),
        responsible_department: "Kansli".into(),
        decided_by: "executive_board".into(),
        purpose: "Syfte".into(),
        background: "Bakgrund".into(),
        status: "draft".into(),
        ..Default::default()
    };
    for i in 0..25 {
        input.document_id = format!("{:04}", 100 + i);
        let p = utblick_domain::Programme::parse(&input).unwrap();
        repo::insert_programme(&mut conn, &p, now()).unwrap();
    }
    assert_eq!(repo::count_programmes(&mut conn, &Default::default()).unwrap(), 25);
    let first = repo::list_programmes(&mut conn, &Default::default(), 0, 10).unwrap();
    let third = repo::list_programmes(&mut conn, &Default::default(), 20, 10).unwrap();
    assert_eq!(first.len(), 10);
    assert_eq!(third.len(), 5);
    assert_eq!(first[0].document_id, "0100");
    assert_eq!(third[4].document_id, "0124");
    assert!(repo::list_programmes(&mut conn, &Default::default(), 1000, 10).unwrap().is_empty());
}

/// The decisions' and the projects' totals (kept by triggers since migration 24) equal a
/// count after inserts, an archiving, a restore and a delete, written in SQL.
fn the_kept_decision_and_project_totals_follow_every_change(db: TestDb) {
    use utblick_db::SimpleConnection;
    use utblick_db::decisions::{DecisionFilter, count_decisions};
    use utblick_db::listing::Archived;
    use utblick_db::projects::{ProjectFilter, count_projects};

    let mut conn = db.connect();
    let check = |conn: &mut utblick_db::DbConn, step: &str, decisions: (i64, i64), projects: (i64, i64)| {
        for (archived, d, p) in [
            (Archived::Hide, decisions.0, projects.0),
            (Archived::Only, decisions.1, projects.1),
            (Archived::Include, decisions.0 + decisions.1, projects.0 + projects.1),
        ] {
            let f = DecisionFilter { archived, ..Default::default() };
            assert_eq!(count_decisions(conn, &f).unwrap(), d, "{step}: decisions {archived:?}");
            let f = ProjectFilter { archived, ..Default::default() };
            assert_eq!(count_projects(conn, &f).unwrap(), p, "{step}: projects {archived:?}");
        }
    };
    check(&mut conn, "empty", (0, 0), (0, 0));
    conn.batch_execute(
        "INSERT INTO organisations (name, kind, active, created_at, updated_at) \
         VALUES ('Förvaltning A', 'administration', TRUE, CURRENT_TIMESTAMP, CURRENT_TIMESTAMP);
         INSERT INTO decisions (body, decided_on, paragraph, diarienummer, diarienummer_as_registered, subject, version, created_at, updated_at) \
         VALUES ('council', '2025-06-01', '§ 1', 'KF 2025/1', 'KF 2025/1', 'Ett', 1, CURRENT_TIMESTAMP, CURRENT_TIMESTAMP), \
                ('council', '2025-06-02', '§ 2', 'KF 2025/2', 'KF 2025/2', 'Två', 1, CURRENT_TIMESTAMP, CURRENT_TIMESTAMP), \
                ('council', '2025-06-03', '§ 3', 'KF 2025/3', 'KF 2025/3', 'Tre', 1, CURRENT_TIMESTAMP, CURRENT_TIMESTAMP);
         INSERT INTO projects (title, summary, kind, owner_organisation_id, own_money, own_hours, contribution, \
         lasting_value, status, version, created_at, updated_at) \
         SELECT 'Projekt ' || name, 'Utbyte', 'positioning', id, 0, 0, 'Tillväxt', 'Nätverk', 'idea', 1, \
         CURRENT_TIMESTAMP, CURRENT_TIMESTAMP FROM organisations;",
    )
    .unwrap();
    check(&mut conn, "inserted", (3, 0), (1, 0));
    conn.batch_execute(
        "UPDATE decisions SET archived_at = CURRENT_TIMESTAMP WHERE subject IN ('Ett', 'Två'); \
         UPDATE projects SET archived_at = CURRENT_TIMESTAMP;",
    )
    .unwrap();
    check(&mut conn, "archived", (1, 2), (0, 1));
    conn.batch_execute(
        "UPDATE decisions SET archived_at = NULL WHERE subject = 'Ett'; UPDATE decisions SET subject = 'Fyra' WHERE subject = 'Tre'; \
         DELETE FROM decisions WHERE subject = 'Två';",
    )
    .unwrap();
    check(&mut conn, "restored, renamed, deleted", (2, 0), (0, 1));
    // A filtered list still counts its rows.
    let f = DecisionFilter { q: Some("fyra".into()), ..Default::default() };
    assert_eq!(count_decisions(&mut conn, &f).unwrap(), 1);
}

/// The activity register's total, kept by triggers, equals a count of the rows after
/// inserts, archiving, restoring, a change that is not an archiving, a delete and a rolled
/// back insert — written in SQL, as a script or an import might, not through the repository.
fn the_kept_activity_total_follows_every_change(db: TestDb) {
    use utblick_db::activities::{ActivityFilter, count_activities};
    use utblick_db::listing::Archived;
    use utblick_db::schema::activities as a;
    use utblick_db::{Connection, SimpleConnection};

    let mut conn = db.connect();
    let check = |conn: &mut utblick_db::DbConn, step: &str| {
        let current: i64 = a::table.filter(a::archived_at.is_null()).count().get_result(conn).unwrap();
        let all: i64 = a::table.count().get_result(conn).unwrap();
        for (archived, counted) in
            [(Archived::Hide, current), (Archived::Only, all - current), (Archived::Include, all)]
        {
            let f = ActivityFilter { archived, ..Default::default() };
            assert_eq!(count_activities(conn, &f).unwrap(), counted, "{step}: {archived:?}");
        }
        current
    };
    assert_eq!(check(&mut conn, "empty"), 0);
    let insert = "INSERT INTO activities (title, kind, organisation_id, starts_on, ends_on, organiser, women, men, \
                  total, hours, own_cost, external_cost, version, created_at, updated_at) \
                  SELECT 'Aktivitet', 'conference', id, '2026-05-01', '2026-05-01', 'own', 0, 0, 1, 0, 0, 0, 1, \
                  CURRENT_TIMESTAMP, CURRENT_TIMESTAMP FROM organisations";
    conn.batch_execute(
        "INSERT INTO organisations (name, kind, active, created_at, updated_at) \
         VALUES ('Förvaltning A', 'administration', TRUE, CURRENT_TIMESTAMP, CURRENT_TIMESTAMP), \
                ('Förvaltning B', 'administration', TRUE, CURRENT_TIMESTAMP, CURRENT_TIMESTAMP)",
    )
    .unwrap();
    for _ in 0..3 {
        conn.batch_execute(insert).unwrap();
    }
    assert_eq!(check(&mut conn, "six inserted"), 6);
    let ids: Vec<i64> = a::table.select(a::id).order(a::id).load(&mut conn).unwrap();
    let stamp = |conn: &mut utblick_db::DbConn, id: i64, archived: bool| {
        let at = archived.then(now);
        diesel::update(a::table.find(id)).set(a::archived_at.eq(at)).execute(conn).unwrap();
    };
    stamp(&mut conn, ids[0], true);
    stamp(&mut conn, ids[1], true);
    assert_eq!(check(&mut conn, "two archived"), 4);
    stamp(&mut conn, ids[1], true);
    diesel::update(a::table.find(ids[2])).set(a::title.eq("Ny titel")).execute(&mut conn).unwrap();
    assert_eq!(check(&mut conn, "archived again, a title changed"), 4);
    stamp(&mut conn, ids[0], false);
    assert_eq!(check(&mut conn, "one restored"), 5);
    diesel::delete(a::table.filter(a::id.eq_any([ids[1], ids[3]]))).execute(&mut conn).unwrap();
    assert_eq!(check(&mut conn, "an archived and a current deleted"), 4);
    let rolled_back = conn.transaction::<(), diesel::result::Error, _>(|conn| {
        conn.batch_execute(insert)?;
        Err(diesel::result::Error::RollbackTransaction)
    });
    assert!(rolled_back.is_err());
    assert_eq!(check(&mut conn, "an insert rolled back"), 4);
    // A filtered list still counts its rows.
    let f = ActivityFilter { organisation_id: Some(1), ..Default::default() };
    let of_one: i64 = a::table
        .filter(a::archived_at.is_null())
        .filter(a::organisation_id.eq(1))
        .count()
        .get_result(&mut conn)
        .unwrap();
    assert_eq!(count_activities(&mut conn, &f).unwrap(), of_one);
}

/// A reporting year once per year; a report once per organisation and year; a stale edit
/// changes nothing; corrections and goal contributions are replaced with the text; each
/// handing-in is frozen as a numbered version that the database refuses to change or delete.
fn an_annual_report_is_written_handed_in_and_frozen(db: TestDb) {
    use utblick_db::SimpleConnection;
    use utblick_db::models::ReportText;
    use utblick_db::reports as r;
    use utblick_db::schema::report_versions as v;

    let mut conn = db.connect();
    conn.batch_execute(
        "INSERT INTO organisations (name, kind, active, created_at, updated_at) \
         VALUES ('Förvaltning A', 'administration', TRUE, CURRENT_TIMESTAMP, CURRENT_TIMESTAMP), \
                ('Bolaget B', 'company', TRUE, CURRENT_TIMESTAMP, CURRENT_TIMESTAMP); \
         INSERT INTO frameworks (code, name, owner, created_at) VALUES ('agenda-2030', 'Agenda 2030', 'FN', CURRENT_TIMESTAMP); \
         INSERT INTO framework_goals (framework_id, number, title) SELECT id, 4, 'God utbildning' FROM frameworks; \
         INSERT INTO framework_goals (framework_id, number, title) SELECT id, 11, 'Hållbara städer' FROM frameworks;",
    )
    .unwrap();
    let deadline = NaiveDate::from_ymd_opt(2027, 2, 15).unwrap();
    let year = r::insert_reporting_year(&mut conn, 2026, deadline, now()).unwrap();
    assert!(matches!(
        r::insert_reporting_year(&mut conn, 2026, deadline, now()),
        Err(DbError::UniqueViolation { .. })
    ));
    r::insert_reporting_year(&mut conn, 2025, NaiveDate::from_ymd_opt(2026, 2, 15).unwrap(), now()).unwrap();
    assert_eq!(
        r::list_reporting_years(&mut conn).unwrap().iter().map(|y| y.year).collect::<Vec<_>>(),
        [2026, 2025]
    );
    assert_eq!(r::reporting_year_of(&mut conn, 2026).unwrap().unwrap().id, year.id);

    let a = r::insert_report(&mut conn, year.id, 1, "draft", now()).unwrap();
    r::insert_report(&mut conn, year.id, 2, "draft", now()).unwrap();
    assert!(matches!(
        r::insert_report(&mut conn, year.id, 1, "draft", now()),
        Err(DbError::UniqueViolation { .. })
    ));
    assert!(r::insert_report(&mut conn, year.id, 1, "finished", now()).is_err(), "a status outside the list");
    assert_eq!(r::reports_of_year(&mut conn, year.id).unwrap().len(), 2);

    let goals: Vec<i64> = utblick_db::schema::framework_goals::table
        .select(utblick_db::schema::framework_goals::id)
        .order(utblick_db::schema::framework_goals::id)
        .load(&mut conn)
        .unwrap();
    let text = ReportText {
        narrative: "Två studiebesök i Tartu.".into(),
        other_resources: "Lokaler".into(),
        corrections: vec![("hours".into(), 1_000, 1_250, "Resdagarna saknades.".into())],
        contributions: vec![(goals[0], "Lärarutbyte.".into()), (goals[1], "Stadsplanering.".into())],
    };
    let written = r::update_report_text(&mut conn, a.id, a.version, &text, now()).unwrap().unwrap();
    assert_eq!(written.report.version, 2);
    assert_eq!(written.corrections.len(), 1);
    assert_eq!((written.corrections[0].computed, written.corrections[0].corrected), (1_000, 1_250));
    assert_eq!(written.contributions.len(), 2);
    assert_eq!(
        r::update_report_text(&mut conn, a.id, a.version, &text, now()).unwrap(),
        None,
        "a stale edit"
    );
    let shorter =
        ReportText { corrections: vec![], contributions: vec![(goals[1], "Bara en.".into())], ..text };
    let written = r::update_report_text(&mut conn, a.id, 2, &shorter, now()).unwrap().unwrap();
    assert_eq!((written.corrections.len(), written.contributions.len()), (0, 1));

    let first = now();
    let later = first + chrono::Duration::days(3);
    assert!(r::set_report_status(&mut conn, a.id, 3, "submitted", None, Some(first), now()).unwrap());
    assert!(
        !r::set_report_status(&mut conn, a.id, 3, "approved", None, None, now()).unwrap(),
        "a stale move"
    );
    assert!(r::set_report_status(&mut conn, a.id, 4, "returned", Some("Timmarna?"), None, now()).unwrap());
    assert!(r::set_report_status(&mut conn, a.id, 5, "submitted", None, Some(later), now()).unwrap());
    let again = r::get_report(&mut conn, a.id).unwrap().unwrap().report;
    assert_eq!(
        (again.status.as_str(), again.comment, again.first_submitted_at),
        ("submitted", None, Some(first))
    );
    assert_eq!(r::report_of(&mut conn, 1, 2026).unwrap().unwrap().report.id, a.id);
    assert_eq!(r::report_of(&mut conn, 1, 2024).unwrap(), None);

    let v1 = r::insert_report_version(&mut conn, a.id, first, None, "{\"n\":1}").unwrap();
    let v2 = r::insert_report_version(&mut conn, a.id, later, None, "{\"n\":2}").unwrap();
    assert_eq!((v1.number, v2.number), (1, 2));
    assert!(diesel::update(v::table.find(v1.id)).set(v::content.eq("{}")).execute(&mut conn).is_err());
    assert!(diesel::delete(v::table.find(v1.id)).execute(&mut conn).is_err());
    let kept = r::report_versions(&mut conn, a.id).unwrap();
    assert_eq!(kept.iter().map(|k| k.content.as_str()).collect::<Vec<_>>(), ["{\"n\":1}", "{\"n\":2}"]);
}

/// A file comes back byte for byte; one not handed in may be removed; handing in a report
/// freezes its files with the version, and the database then refuses to change, remove or
/// delete them; a file belongs to exactly one report, project or activity.
fn attached_files_are_kept_byte_for_byte_and_handed_in_ones_never_change(db: TestDb) {
    use utblick_db::SimpleConnection;
    use utblick_db::attachments::{self as f, NewAttachment, Owner};
    use utblick_db::reports as r;
    use utblick_db::schema::attachments as t;

    let mut conn = db.connect();
    conn.batch_execute(
        "INSERT INTO organisations (name, kind, active, created_at, updated_at) \
         VALUES ('Förvaltning A', 'administration', TRUE, CURRENT_TIMESTAMP, CURRENT_TIMESTAMP);",
    )
    .unwrap();
    let year =
        r::insert_reporting_year(&mut conn, 2026, NaiveDate::from_ymd_opt(2027, 2, 15).unwrap(), now())
            .unwrap();
    let report = r::insert_report(&mut conn, year.id, 1, "draft", now()).unwrap();
    // Every byte value, and a NUL in the middle.
    let bytes: Vec<u8> = (0..=255u8).chain([0, 1, 0]).collect();
    let new = |owner, name: &'static str, content: &'static [u8]| NewAttachment {
        owner,
        file_name: name,
        media_type: "application/pdf",
        sha256: "0000000000000000000000000000000000000000000000000000000000000000",
        content,
        uploaded_by: None,
        now: now(),
    };
    let kept: &'static [u8] = Box::leak(bytes.clone().into_boxed_slice());
    let minutes = f::insert(&mut conn, &new(Owner::Report(report.id), "Protokoll.pdf", kept)).unwrap();
    assert_eq!(f::content(&mut conn, minutes.id).unwrap().unwrap(), bytes);
    assert_eq!((minutes.size_bytes, minutes.owner()), (259, Some(Owner::Report(report.id))));
    let draft = f::insert(&mut conn, &new(Owner::Report(report.id), "Utkast.pdf", b"utkast")).unwrap();
    assert!(f::remove(&mut conn, draft.id, now()).unwrap());
    assert!(!f::remove(&mut conn, draft.id, now()).unwrap(), "removed once");
    assert_eq!(f::list(&mut conn, Owner::Report(report.id)).unwrap(), vec![minutes.clone()]);

    assert_eq!(f::hand_in(&mut conn, report.id, 1).unwrap(), 1);
    assert!(!f::remove(&mut conn, minutes.id, now()).unwrap(), "handed in: stays");
    assert!(diesel::delete(t::table.find(minutes.id)).execute(&mut conn).is_err());
    assert!(
        diesel::update(t::table.find(minutes.id))
            .set(t::removed_at.eq(Some(now())))
            .execute(&mut conn)
            .is_err()
    );
    assert!(
        diesel::update(t::table.find(minutes.id))
            .set(t::file_name.eq("Annat.pdf"))
            .execute(&mut conn)
            .is_err()
    );
    let later = f::insert(&mut conn, &new(Owner::Report(report.id), "Bilaga.pdf", b"bilaga")).unwrap();
    assert!(
        diesel::update(t::table.find(later.id))
            .set(t::content.eq(b"annat".to_vec()))
            .execute(&mut conn)
            .is_err(),
        "no file's content ever changes"
    );
    assert_eq!(f::hand_in(&mut conn, report.id, 2).unwrap(), 1);
    let with = |n| {
        f::handed_in_with(&mut db.connect(), report.id, n)
            .unwrap()
            .iter()
            .map(|a| a.file_name.clone())
            .collect::<Vec<_>>()
    };
    assert_eq!(with(1), ["Protokoll.pdf"]);
    assert_eq!(with(2), ["Protokoll.pdf", "Bilaga.pdf"]);
    assert!(
        conn.batch_execute(
            "INSERT INTO attachments (file_name, media_type, size_bytes, sha256, content, created_at) \
             VALUES ('x', 'a/b', 1, '0000000000000000000000000000000000000000000000000000000000000000', 'x', CURRENT_TIMESTAMP)"
        )
        .is_err(),
        "a file belongs to something"
    );
}
