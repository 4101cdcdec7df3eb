//! The workflows as use cases, without HTTP, on SQLite and on PostgreSQL (when
//! `UTBLICK_TEST_PG_URL` names a server; mandatory under `CI`): adoption of a programme, one
//! draft per document, twin-town activation with the council's decision, archiving, and that
//! a refused command leaves nothing behind — not even its audit event; signing in and a
//! reused refresh token.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

use chrono::{NaiveDate, NaiveDateTime};
use utblick_app::{AppError, AuditContext, Ctx, Done, IfMatch, execute};
use utblick_db::DbConn;
use utblick_db::audit::{AuditFilter, count_audit_events};
use utblick_db::test_support::for_each_backend;
use utblick_domain::governance::{Decision, DecisionInput, TwinTown, TwinTownStatus};
use utblick_domain::{Principal, ProgrammeStatus, Role};

fn now() -> NaiveDateTime {
    NaiveDate::from_ymd_opt(2026, 11, 28).unwrap().and_hms_opt(12, 0, 0).unwrap()
}

fn as_role(role: Role, if_match: IfMatch) -> Ctx {
    Ctx {
        principal: Principal::User { id: 1, role, organisation_id: None },
        must_change_password: false,
        audit: AuditContext::system("test"),
        now: now(),
        if_match,
    }
}

fn coordinator(version: Option<i32>) -> Ctx {
    as_role(Role::Coordinator, version.map_or(IfMatch::Missing, IfMatch::Version))
}

fn decision(body: &str, paragraph: &str) -> Decision {
    Decision::parse(&DecisionInput {
        body: body.into(),
        date: NaiveDate::from_ymd_opt(2026, 11, 26),
        paragraph: paragraph.into(),
        diarienummer: format!("KS 2026/{paragraph}"),
        subject: "Program för internationellt arbete".into(),
        link: None,
    })
    .unwrap()
}

fn run<R>(
    conn: &mut DbConn,
    ctx: &Ctx,
    command: impl FnOnce(&mut DbConn, &Ctx) -> Result<Done<R>, AppError>,
) -> Result<R, AppError> {
    execute(conn, ctx, command)
}

fn events(conn: &mut DbConn, action: &str) -> i64 {
    count_audit_events(conn, &AuditFilter { action: Some(action.into()), ..AuditFilter::default() }).unwrap()
}

/// A person's account, for commands that name who did them.
fn anna_berg(conn: &mut DbConn, role: &str) -> utblick_db::models::UserRow {
    let t = now();
    let user = utblick_db::models::NewUserRow {
        email: "anna.berg@tranas.se",
        display_name: "Anna Berg",
        role,
        organisation_id: None,
        active: true,
        password_hash: "not-checked-here",
        must_change_password: false,
        version: 1,
        created_at: t,
        updated_at: t,
    };
    utblick_db::identity::insert_user(conn, &user).unwrap()
}

fn seeded(conn: &mut DbConn) -> i64 {
    utblick_db::seed::load_if_first_start(conn, now()).unwrap();
    let versions = utblick_db::programmes::document_versions(conn, "0424").unwrap();
    versions.adopted().expect("the seed's programme is adopted")
}

#[test]
fn adoption_supersedes_and_a_document_has_one_draft_at_a_time() {
    use utblick_app::programmes as uc;
    for_each_backend(|backend, db| {
        let mut conn = db.connect();
        let conn = &mut conn;
        let adopted = seeded(conn);

        let draft = run(conn, &coordinator(None), |c, x| uc::new_version(c, x, adopted)).unwrap();
        assert_eq!(draft.programme.version, 2, "{backend:?}");
        assert_eq!(draft.programme.status, ProgrammeStatus::Draft.code());
        assert_eq!(draft.priority_areas.len(), 3, "the new version copies the priority areas");
        assert_eq!(events(conn, "programme.version_created"), 1);

        let again = run(conn, &coordinator(None), |c, x| uc::new_version(c, x, adopted));
        assert!(matches!(again, Err(AppError::Conflict(_))), "one draft per document: {again:?}");

        // The adopted version is frozen: a domain rule (422), not a lost race (412).
        let frozen =
            run(conn, &coordinator(Some(1)), |c, x| uc::edit_draft(c, x, adopted, |_| panic!("not asked")));
        match frozen {
            Err(AppError::Invalid(e)) => assert_eq!(e.0[0].field, "status"),
            other => panic!("{other:?}"),
        }

        // The council does not adopt the programme; a stale draft version is refused and
        // leaves neither the decision nor an audit event behind.
        let id = draft.programme.id;
        let wrong =
            run(conn, &coordinator(Some(1)), |c, x| uc::adopt(c, x, id, &decision("council", "1"), None));
        assert!(matches!(wrong, Err(AppError::Invalid(_))), "{wrong:?}");
        let stale = run(conn, &coordinator(Some(7)), |c, x| {
            uc::adopt(c, x, id, &decision("executive_board", "2"), None)
        });
        assert!(matches!(stale, Err(AppError::PreconditionFailed)), "{stale:?}");
        let decisions = utblick_db::decisions::count_decisions(conn, &Default::default()).unwrap();
        assert_eq!(events(conn, "programme.adopted"), 0);

        let v = draft.programme.row_version;
        let done = run(conn, &coordinator(Some(v)), |c, x| {
            uc::adopt(c, x, id, &decision("executive_board", "3"), None)
        })
        .unwrap();
        assert_eq!(done.programme.status, ProgrammeStatus::Adopted.code());
        assert_eq!(done.programme.published, NaiveDate::from_ymd_opt(2026, 11, 26));
        assert_eq!(done.programme.revise_by, NaiveDate::from_ymd_opt(2031, 12, 31));
        let old = utblick_app::programmes::load(conn, adopted).unwrap();
        assert_eq!(old.programme.status, ProgrammeStatus::Superseded.code());
        assert_eq!(utblick_db::decisions::count_decisions(conn, &Default::default()).unwrap(), decisions + 1);
        assert_eq!(events(conn, "programme.adopted"), 1);

        let reader = as_role(Role::Reader, IfMatch::Version(1));
        let refused = run(conn, &reader, |c, x| uc::new_version(c, x, id));
        assert!(matches!(refused, Err(AppError::Forbidden)), "{refused:?}");
    });
}

#[test]
fn a_twin_town_becomes_active_only_with_the_councils_decision() {
    use utblick_app::twin_towns as uc;
    for_each_backend(|backend, db| {
        let mut conn = db.connect();
        let conn = &mut conn;
        let t = TwinTown::parse("Nowogard", "PL", None, None).unwrap();
        let town = run(conn, &coordinator(None), |c, x| uc::create(c, x, &t)).unwrap();
        assert_eq!(town.status, TwinTownStatus::Proposed.code(), "{backend:?}");

        let without = run(conn, &coordinator(Some(1)), |c, x| {
            uc::change_status(c, x, town.id, TwinTownStatus::Active, None)
        });
        assert!(matches!(without, Err(AppError::Invalid(_))), "{without:?}");

        let board = run(conn, &coordinator(None), |c, x| {
            utblick_app::decisions::create(c, x, &decision("executive_board", "4"))
        })
        .unwrap();
        let by_board = run(conn, &coordinator(Some(1)), |c, x| {
            uc::change_status(c, x, town.id, TwinTownStatus::Active, Some(board.id))
        });
        match by_board {
            Err(AppError::Invalid(e)) => assert_eq!(e.0[0].field, "decision.body"),
            other => panic!("{other:?}"),
        }

        let council = run(conn, &coordinator(None), |c, x| {
            utblick_app::decisions::create(c, x, &decision("council", "5"))
        })
        .unwrap();
        let active = run(conn, &coordinator(Some(1)), |c, x| {
            uc::change_status(c, x, town.id, TwinTownStatus::Active, Some(council.id))
        })
        .unwrap();
        assert_eq!(active.status, TwinTownStatus::Active.code());
        assert_eq!(active.since, NaiveDate::from_ymd_opt(2026, 11, 26), "holds from the decision's day");
        assert_eq!(active.status_decision_id, Some(council.id));
        assert_eq!(events(conn, "twin_town.status_changed"), 1);

        let archived = run(conn, &coordinator(Some(active.version)), |c, x| {
            utblick_app::archive::archive(c, x, &uc::ARCHIVE, town.id, false)
        })
        .unwrap();
        assert!(archived.archived_at.is_some());
        let again = run(conn, &coordinator(Some(active.version)), |c, x| {
            utblick_app::archive::archive(c, x, &uc::ARCHIVE, town.id, true)
        });
        assert!(matches!(again, Err(AppError::PreconditionFailed)), "{again:?}");
        let missing = run(conn, &coordinator(None), |c, x| {
            utblick_app::archive::archive(c, x, &uc::ARCHIVE, town.id, true)
        });
        assert!(matches!(missing, Err(AppError::PreconditionRequired)), "{missing:?}");
    });
}

/// Sign-in and refresh as use cases: the attempt is counted before the password check, the
/// session opens with its audit event, a refresh token works once, and a spent one shown
/// again later ends the session.
#[test]
fn a_session_opens_and_a_reused_refresh_token_ends_it() {
    use utblick_app::sessions::{self, Attempt, NewSecrets, Refreshed};
    for_each_backend(|backend, db| {
        let mut conn = db.connect();
        let conn = &mut conn;
        let t = now();
        let user = anna_berg(conn, "reader");
        let attempt = Attempt::new("anna.berg@tranas.se", Some("127.0.0.1"), (5, 20), 900);
        let (found, admitted) = sessions::admit(conn, &attempt, "anna.berg@tranas.se", t).unwrap();
        assert_eq!((found.map(|u| u.id), admitted), (Some(user.id), Ok(())), "{backend:?}");
        let secrets = NewSecrets { session_id: "s1".into(), refresh_hash: "h1".into() };
        sessions::open(conn, &AuditContext::system("test"), &attempt, &user, &secrets, 3600, t).unwrap();
        assert_eq!(events(conn, "login"), 1, "{backend:?}");

        let audit = AuditContext::system("test");
        let first = sessions::refresh(conn, &audit, "h1", "h2", t).unwrap();
        assert!(matches!(first, Refreshed::Ok(_)), "{backend:?}: {first:?}");
        // The spent token again, long after: a copy was stolen; the session ends.
        let later = t + chrono::Duration::minutes(5);
        let again = sessions::refresh(conn, &audit, "h1", "h3", later).unwrap();
        assert!(matches!(again, Refreshed::Refused("reused-token", _)), "{backend:?}: {again:?}");
        assert_eq!(events(conn, "session.revoked"), 1, "{backend:?}");
        let after = sessions::refresh(conn, &audit, "h2", "h4", later).unwrap();
        assert!(matches!(after, Refreshed::Refused(..)), "{backend:?}: the session has ended");
        let unknown = sessions::refresh(conn, &audit, "nope", "h5", later).unwrap();
        assert!(matches!(unknown, Refreshed::Refused("unknown-token", _)), "{backend:?}");
    });
}

/// The co-funding gate as a use case: a reporter's development project cannot leave
/// planning until its assessment is recorded; a priority area must be one of the programme
/// in force; another organisation's reporter may not touch it; a refused move stores nothing.
#[test]
fn a_development_project_leaves_planning_only_after_its_assessment() {
    use utblick_app::projects as uc;
    use utblick_domain::OrganisationKind;
    use utblick_domain::organisation::Organisation;
    use utblick_domain::project::{
        AssessmentInput, CoFundingAssessment, Project, ProjectInput, ProjectStatus,
    };
    for_each_backend(|backend, db| {
        let mut conn = db.connect();
        let conn = &mut conn;
        let programme = seeded(conn);
        let area =
            utblick_db::programmes::get_programme(conn, programme).unwrap().unwrap().priority_areas[0].id;
        let org = Organisation::parse(
            "Barn- och utbildningsförvaltningen",
            OrganisationKind::Administration,
            None,
            None,
            true,
        )
        .unwrap();
        let org =
            run(conn, &coordinator(None), |c, x| utblick_app::organisations::create(c, x, &org)).unwrap();
        let reporter = |organisation_id: i64, version: Option<i32>| Ctx {
            principal: Principal::User {
                id: 2,
                role: Role::Reporter,
                organisation_id: Some(organisation_id),
            },
            ..coordinator(version)
        };
        let input = ProjectInput {
            title: "Skolutbyte med Tartu".into(),
            summary: "Elever och lärare möts.".into(),
            kind: "development".into(),
            priority_areas: vec![area],
            ..ProjectInput::default()
        };
        let draft = |input: &ProjectInput| uc::Draft {
            owner_organisation_id: org.id,
            contact_id: None,
            external_id: None,
            project: Project::parse(input).unwrap(),
        };
        let elsewhere = run(conn, &reporter(org.id + 1000, None), |c, x| uc::create(c, x, &draft(&input)));
        assert!(matches!(elsewhere, Err(AppError::Forbidden)), "{backend:?}: {elsewhere:?}");
        let outside = ProjectInput { priority_areas: vec![area + 1000], ..input.clone() };
        match run(conn, &reporter(org.id, None), |c, x| uc::create(c, x, &draft(&outside))) {
            Err(AppError::Invalid(e)) => {
                assert_eq!((e.0[0].field.as_str(), e.0[0].conflict), ("priority_areas[0]", true))
            }
            other => panic!("{other:?}"),
        }

        let p = run(conn, &reporter(org.id, None), |c, x| uc::create(c, x, &draft(&input))).unwrap();
        assert_eq!((p.project.status.as_str(), p.project.programme_id), ("idea", Some(programme)));
        let step = |to: ProjectStatus, version: i32, conn: &mut DbConn| {
            run(conn, &reporter(org.id, Some(version)), |c, x| uc::change_status(c, x, p.project.id, to))
        };
        let planning = step(ProjectStatus::Planning, 1, conn).unwrap();
        let stopped = step(ProjectStatus::Applied, planning.project.version, conn);
        match stopped {
            Err(AppError::Invalid(e)) => assert_eq!(e.0[0].code, "co_funding_not_assessed"),
            other => panic!("{other:?}"),
        }
        assert_eq!(events(conn, "project.status_changed"), 1, "the refused move left nothing");

        let assessment = CoFundingAssessment::parse(&AssessmentInput {
            assessed_on: NaiveDate::from_ymd_opt(2026, 11, 27),
            assessed_by: "Anna Berg".into(),
            programmes: vec![1],
            outcome: "will_apply".into(),
            motivation: "Erasmus+ KA1 passar.".into(),
        })
        .unwrap();
        let assessed = run(conn, &reporter(org.id, Some(planning.project.version)), |c, x| {
            uc::assess(c, x, p.project.id, &assessment)
        })
        .unwrap();
        assert_eq!(assessed.assessments[0].programmes, [1]);
        let applied = step(ProjectStatus::Applied, assessed.project.version, conn).unwrap();
        assert_eq!(applied.project.status, "applied");
        assert_eq!(events(conn, "project.assessed"), 1);
        let stale = step(ProjectStatus::Granted, assessed.project.version, conn);
        assert!(matches!(stale, Err(AppError::PreconditionFailed)), "{stale:?}");

        // The compilation measures the gate: the project left planning this year, assessed
        // before.
        let year =
            utblick_domain::report::ReportingYear::parse(2026, NaiveDate::from_ymd_opt(2027, 2, 15).unwrap())
                .unwrap();
        let opened =
            run(conn, &coordinator(None), |c, x| utblick_app::reports::open_year(c, x, year)).unwrap();
        let gate = utblick_app::compilations::compute(conn, &opened.year, now().date()).unwrap().gate;
        assert_eq!(
            (gate.left_planning, gate.assessed_before, gate.share),
            (1, 1, Some(10_000)),
            "{backend:?}"
        );
    });
}

/// The annual report as use cases: opening a year creates a report for each reporting
/// organisation; the figures sum the year's activities of the organisation and its
/// departments; a correction keeps both values; handing in freezes a version nothing edits;
/// only a coordinator returns (with a comment) or approves; a returned report is handed in
/// again as version 2, and version 1 stays as it was.
#[test]
fn an_annual_report_is_opened_written_handed_in_returned_and_approved() {
    use utblick_app::reports as uc;
    use utblick_db::SimpleConnection;
    use utblick_domain::report::{ReportFigure, ReportInput, ReportStatus, ReportWriting, ReportingYear};
    for_each_backend(|backend, db| {
        let mut conn = db.connect();
        let conn = &mut conn;
        let user = anna_berg(conn, "reporter");
        // An administration with a department, a company, an inactive administration, and
        // the central function; activities of the department in 2026 and one in 2025.
        conn.batch_execute(
            "INSERT INTO organisations (name, kind, active, created_at, updated_at) VALUES \
               ('Barn- och utbildningsförvaltningen', 'administration', TRUE, CURRENT_TIMESTAMP, CURRENT_TIMESTAMP), \
               ('Tranås Energi AB', 'company', TRUE, CURRENT_TIMESTAMP, CURRENT_TIMESTAMP), \
               ('Gamla förvaltningen', 'administration', FALSE, CURRENT_TIMESTAMP, CURRENT_TIMESTAMP), \
               ('Internationella enheten', 'central_function', TRUE, CURRENT_TIMESTAMP, CURRENT_TIMESTAMP); \
             INSERT INTO organisations (name, kind, active, parent_id, created_at, updated_at) \
               SELECT 'Grundskolan', 'administration', TRUE, id, CURRENT_TIMESTAMP, CURRENT_TIMESTAMP \
               FROM organisations WHERE name = 'Barn- och utbildningsförvaltningen';",
        )
        .unwrap();
        let org_id = |conn: &mut DbConn, name: &str| {
            utblick_db::identity::list_organisations(conn, &Default::default(), 0, 100)
                .unwrap()
                .into_iter()
                .find(|o| o.name == name)
                .unwrap()
                .id
        };
        let (buf, energi, school) = (
            org_id(conn, "Barn- och utbildningsförvaltningen"),
            org_id(conn, "Tranås Energi AB"),
            org_id(conn, "Grundskolan"),
        );
        conn.batch_execute(&format!(
            "INSERT INTO activities (title, kind, organisation_id, starts_on, ends_on, organiser, women, men, total, \
               hours, own_cost, external_cost, version, created_at, updated_at) VALUES \
             ('Studiebesök i Tartu', 'study_visit', {school}, '2026-05-04', '2026-05-06', 'own', 3, 1, 4, 4800, 2500000, 0, 1, CURRENT_TIMESTAMP, CURRENT_TIMESTAMP), \
             ('Erasmus-mässa', 'fair', {buf}, '2026-09-10', '2026-09-10', 'national', 1, 0, 1, 800, 300000, 100000, 1, CURRENT_TIMESTAMP, CURRENT_TIMESTAMP), \
             ('Förra årets resa', 'exchange', {buf}, '2025-03-01', '2025-03-02', 'own', 1, 1, 2, 1600, 100000, 0, 1, CURRENT_TIMESTAMP, CURRENT_TIMESTAMP);"
        ))
        .unwrap();

        let reporter = |organisation_id: i64, version: Option<i32>| Ctx {
            principal: Principal::User {
                id: user.id,
                role: Role::Reporter,
                organisation_id: Some(organisation_id),
            },
            ..coordinator(version)
        };
        let year = ReportingYear::parse(2026, NaiveDate::from_ymd_opt(2027, 2, 15).unwrap()).unwrap();
        let refused = run(conn, &reporter(buf, None), |c, x| uc::open_year(c, x, year));
        assert!(matches!(refused, Err(AppError::Forbidden)), "{backend:?}: {refused:?}");
        let opened = run(conn, &coordinator(None), |c, x| uc::open_year(c, x, year)).unwrap();
        let reporting: Vec<&str> = opened.reports.iter().map(|(_, name)| name.as_str()).collect();
        assert_eq!(
            reporting,
            ["Barn- och utbildningsförvaltningen", "Tranås Energi AB"],
            "{backend:?}: administrations and companies, not departments, in Swedish order"
        );
        let again = run(conn, &coordinator(None), |c, x| uc::open_year(c, x, year));
        assert!(matches!(&again, Err(AppError::Invalid(e)) if e.0[0].code == "already_open"), "{again:?}");

        let report = opened.reports.iter().find(|(r, _)| r.organisation_id == buf).unwrap().0.id;
        let view = uc::read(conn, report).unwrap();
        assert_eq!(view.figures.total.activities, 2, "{backend:?}: the department's and its own, 2026 only");
        assert_eq!(view.figures.total.hours, 5600);
        assert_eq!(view.figures.total.own_cost, 2_800_000);
        assert_eq!(view.figures.value(ReportFigure::Participants), 5);

        let writing = |corrected: i64| {
            ReportWriting::parse(&ReportInput {
                narrative: "Ett studiebesök i Tartu och en mässa.".into(),
                other_resources: "Lokaler för mässan.".into(),
                corrections: vec![("hours".into(), corrected, "Två resdagar saknades.".into())],
                contributions: vec![],
            })
            .unwrap()
        };
        let elsewhere =
            run(conn, &reporter(energi, Some(1)), |c, x| uc::write(c, x, report, |_| Ok(writing(6000))));
        assert!(matches!(elsewhere, Err(AppError::Forbidden)), "{elsewhere:?}");
        let unchanged =
            run(conn, &reporter(buf, Some(1)), |c, x| uc::write(c, x, report, |_| Ok(writing(5600))));
        assert!(
            matches!(&unchanged, Err(AppError::Invalid(e)) if e.0[0].code == "unchanged"),
            "{unchanged:?}"
        );
        let written =
            run(conn, &reporter(buf, Some(1)), |c, x| uc::write(c, x, report, |_| Ok(writing(6000))))
                .unwrap();
        let c = &written.record.corrections[0];
        assert_eq!((c.figure.as_str(), c.computed, c.corrected), ("hours", 5600, 6000));
        let stale = run(conn, &reporter(buf, Some(1)), |c, x| uc::write(c, x, report, |_| Ok(writing(6100))));
        assert!(matches!(stale, Err(AppError::PreconditionFailed)), "{stale:?}");

        let step = |conn: &mut DbConn, ctx: &Ctx, to: ReportStatus, comment: Option<&str>| {
            run(conn, ctx, |c, x| uc::change_status(c, x, report, to, comment))
        };
        let v = written.record.report.version;
        let submitted = step(conn, &reporter(buf, Some(v)), ReportStatus::Submitted, None).unwrap();
        assert_eq!((submitted.status, submitted.versions.len()), (ReportStatus::Submitted, 1));
        let v = submitted.record.report.version;
        let frozen =
            run(conn, &reporter(buf, Some(v)), |c, x| uc::write(c, x, report, |_| Ok(writing(6100))));
        assert!(matches!(&frozen, Err(AppError::Invalid(e)) if e.0[0].code == "report_frozen"), "{frozen:?}");
        let own_approval = step(conn, &reporter(buf, Some(v)), ReportStatus::Approved, None);
        assert!(matches!(own_approval, Err(AppError::Forbidden)), "{own_approval:?}");
        let silent = step(conn, &coordinator(Some(v)), ReportStatus::Returned, None);
        assert!(matches!(&silent, Err(AppError::Invalid(e)) if e.0[0].field == "comment"), "{silent:?}");
        let returned =
            step(conn, &coordinator(Some(v)), ReportStatus::Returned, Some("Lägg till mässans resultat."))
                .unwrap();
        assert_eq!(returned.record.report.comment.as_deref(), Some("Lägg till mässans resultat."));
        let v = returned.record.report.version;
        let rewritten =
            run(conn, &reporter(buf, Some(v)), |c, x| uc::write(c, x, report, |_| Ok(writing(6100))))
                .unwrap();
        let v = rewritten.record.report.version;
        step(conn, &reporter(buf, Some(v)), ReportStatus::Submitted, None).unwrap();
        let v = v + 1;
        let approved = step(conn, &coordinator(Some(v)), ReportStatus::Approved, None).unwrap();
        assert_eq!(approved.status, ReportStatus::Approved);
        assert_eq!(approved.versions.iter().map(|v| v.number).collect::<Vec<_>>(), [1, 2]);
        let first: serde_json::Value = serde_json::from_str(&approved.versions[0].content).unwrap();
        let second: serde_json::Value = serde_json::from_str(&approved.versions[1].content).unwrap();
        assert_eq!(first["figures"]["hours"], serde_json::json!({"computed": 5600, "reported": 6000}));
        assert_eq!(second["figures"]["hours"], serde_json::json!({"computed": 5600, "reported": 6100}));
        assert_eq!(approved.versions[0].submitted_by, Some(user.id));
        assert_eq!(
            approved.record.report.first_submitted_at.map(|t| t.date()),
            Some(now().date()),
            "late days count from the first handing-in"
        );
        assert_eq!(events(conn, "report.status_changed"), 4, "{backend:?}");
        assert_eq!(events(conn, "reporting_year.opened"), 1, "{backend:?}");
    });
}

/// The compilation as use cases: begun once per reporting year by a coordinator; a draft is
/// computed from the data now; making it final freezes a version that editing the data never
/// changes; it is presented only with the council's decision; published, anyone reads the
/// presented version; reopened with a note, the next finalising is version 2 and version 1
/// stays as it was, in a table that refuses to change it.
#[test]
fn a_compilation_is_frozen_presented_published_and_corrected_as_a_new_version() {
    use utblick_app::compilations as uc;
    use utblick_db::SimpleConnection;
    use utblick_domain::compilation::CompilationStatus;
    use utblick_domain::compilation::{ActivityGroup, CompiledActivity, group_activities};
    use utblick_domain::report::ReportingYear;
    for_each_backend(|backend, db| {
        let mut conn = db.connect();
        let conn = &mut conn;
        let user = anna_berg(conn, "coordinator");
        assert_eq!(user.id, 1, "the coordinator of `coordinator()`");
        conn.batch_execute(
            "INSERT INTO organisations (name, kind, active, created_at, updated_at) VALUES \
               ('Tranås Energi AB', 'company', TRUE, CURRENT_TIMESTAMP, CURRENT_TIMESTAMP), \
               ('Barn- och utbildningsförvaltningen', 'administration', TRUE, CURRENT_TIMESTAMP, CURRENT_TIMESTAMP);",
        )
        .unwrap();
        let buf = utblick_db::identity::list_organisations(conn, &Default::default(), 0, 100)
            .unwrap()
            .into_iter()
            .find(|o| o.name == "Barn- och utbildningsförvaltningen")
            .unwrap()
            .id;
        let mut register = |body: &str, paragraph: &str| {
            let d = decision(body, paragraph);
            run(conn, &coordinator(None), |c, x| utblick_app::decisions::create(c, x, &d)).unwrap().id
        };
        let (board, council) = (register("executive_board", "12"), register("council", "41"));
        let activity = |title: &str| {
            format!(
                "INSERT INTO activities (title, kind, organisation_id, starts_on, ends_on, organiser, women, men, total, \
                   hours, own_cost, external_cost, version, created_at, updated_at) VALUES \
                 ('{title}', 'study_visit', {buf}, '2026-05-04', '2026-05-06', 'own', 3, 1, 4, 4800, 2500000, 0, 1, CURRENT_TIMESTAMP, CURRENT_TIMESTAMP);"
            )
        };
        conn.batch_execute(&activity("Studiebesök i Tartu")).unwrap();
        let year = ReportingYear::parse(2026, NaiveDate::from_ymd_opt(2027, 2, 15).unwrap()).unwrap();
        let opened =
            run(conn, &coordinator(None), |c, x| utblick_app::reports::open_year(c, x, year)).unwrap();
        let reader = as_role(Role::Reader, IfMatch::Missing);
        let refused = run(conn, &reader, |c, x| uc::begin(c, x, opened.year.id));
        assert!(matches!(refused, Err(AppError::Forbidden)), "{backend:?}: {refused:?}");
        let draft = run(conn, &coordinator(None), |c, x| uc::begin(c, x, opened.year.id)).unwrap();
        let again = run(conn, &coordinator(None), |c, x| uc::begin(c, x, opened.year.id));
        assert!(matches!(&again, Err(AppError::Invalid(e)) if e.0[0].code == "already_begun"), "{again:?}");
        let id = draft.row.id;
        assert_eq!((draft.status, draft.shown_version), (CompilationStatus::Draft, None));
        assert_eq!(draft.compilation.total.activities, 1);
        let names: Vec<&str> = draft.compilation.by_organisation.iter().map(|p| p.label.as_str()).collect();
        assert_eq!(names, ["Barn- och utbildningsförvaltningen", "Tranås Energi AB"], "{backend:?}");
        assert_eq!(draft.compilation.reports.len(), 2);

        let step = |conn: &mut DbConn, version: i32, to, decision: Option<i64>, comment: Option<&str>| {
            run(conn, &coordinator(Some(version)), |c, x| uc::change_status(c, x, id, to, decision, comment))
        };
        let fin = step(conn, 1, CompilationStatus::Final, None, None).unwrap();
        assert_eq!((fin.status, fin.shown_version), (CompilationStatus::Final, Some(1)));
        let early = run(conn, &coordinator(Some(fin.row.version)), |c, x| uc::publish(c, x, id, true));
        assert!(matches!(&early, Err(AppError::Invalid(e)) if e.0[0].code == "not_presented"), "{early:?}");

        // The data changes; the final compilation does not.
        conn.batch_execute(&activity("Nätverksmöte i Bryssel")).unwrap();
        assert_eq!(uc::read(conn, id, now().date()).unwrap().compilation, fin.compilation, "{backend:?}");
        let now_2026 = uc::compute(conn, &opened.year, now().date()).unwrap();
        assert_eq!(now_2026.total.activities, 2);
        // The database's sums (the comparison's earlier years) count as the domain does.
        let day = |m, d| NaiveDate::from_ymd_opt(2026, m, d).unwrap();
        let sums = utblick_db::compilations::activity_sums(conn, day(1, 1), day(12, 31)).unwrap();
        assert_eq!(uc::totals_of(&sums).unwrap(), now_2026.total, "{backend:?}");
        assert_eq!(now_2026.years.iter().map(|y| y.totals.activities).collect::<Vec<_>>(), [0, 0, 0, 0, 2]);
        // The KPIs of 2026 are the frozen compilation's figures, not the data's now.
        let kpis = utblick_app::kpis::values_of_years(conn, Some(&[2026]), now().date(), None).unwrap();
        assert_eq!(
            kpis.iter().map(|y| (y.year, y.frozen)).collect::<Vec<_>>(),
            [(2026, true)],
            "{backend:?}"
        );
        assert_eq!(*kpis[0].values, utblick_domain::kpi::values(&fin.compilation), "{backend:?}");

        let v = fin.row.version;
        let none = step(conn, v, CompilationStatus::Presented, None, None);
        assert!(matches!(&none, Err(AppError::Invalid(e)) if e.0[0].field == "decision"), "{none:?}");
        let board_only = step(conn, v, CompilationStatus::Presented, Some(board), None);
        assert!(
            matches!(&board_only, Err(AppError::Invalid(e)) if e.0[0].code == "council_decision"),
            "{board_only:?}"
        );
        let presented = step(conn, v, CompilationStatus::Presented, Some(council), None).unwrap();
        assert_eq!((presented.row.presented_version, presented.row.decision_id), (Some(1), Some(council)));
        assert!(matches!(uc::published(conn, id), Err(AppError::NotFound(_))), "unpublished is not shown");
        let public =
            run(conn, &coordinator(Some(presented.row.version)), |c, x| uc::publish(c, x, id, true)).unwrap();
        assert!(public.row.published_at.is_some());
        assert_eq!(uc::published(conn, id).unwrap().compilation.total.activities, 1);

        let silent = step(conn, public.row.version, CompilationStatus::Draft, None, None);
        assert!(matches!(&silent, Err(AppError::Invalid(e)) if e.0[0].field == "comment"), "{silent:?}");
        let reopened =
            step(conn, public.row.version, CompilationStatus::Draft, None, Some("Nätverksmötet saknades."))
                .unwrap();
        assert_eq!(reopened.compilation.total.activities, 2, "a draft is the data now");
        let second = step(conn, reopened.row.version, CompilationStatus::Final, None, None).unwrap();
        assert_eq!((second.shown_version, second.compilation.total.activities), (Some(2), 2));
        assert_eq!(uc::version(conn, id, 1).unwrap().1, fin.compilation, "version 1 stays as it was");
        assert_eq!(
            uc::published(conn, id).unwrap().compilation.total.activities,
            1,
            "the public reads what the council was presented until it is presented again"
        );
        assert!(
            conn.batch_execute("UPDATE compilation_versions SET content = '{}'").is_err(),
            "{backend:?}: a frozen version is refused by the database itself"
        );
        assert!(conn.batch_execute("DELETE FROM compilation_versions").is_err());
        // 2027 compares with 2026 as the council was told it (the presented version 1), not
        // as the data says now.
        let next = ReportingYear::parse(2027, NaiveDate::from_ymd_opt(2028, 2, 15).unwrap()).unwrap();
        let next = run(conn, &coordinator(None), |c, x| utblick_app::reports::open_year(c, x, next)).unwrap();
        let c2027 = uc::compute(conn, &next.year, now().date()).unwrap();
        assert_eq!((c2027.years[3].year, c2027.years[3].frozen), (2026, true));
        assert_eq!(c2027.years[3].totals, fin.compilation.total, "{backend:?}");
        // The KPIs: 2026 as the council was told it (the presented version 1, though version 2
        // is final), 2027 from the data now.
        let kpis = utblick_app::kpis::values_of_years(conn, None, now().date(), None).unwrap();
        let years: Vec<(i32, bool)> = kpis.iter().map(|y| (y.year, y.frozen)).collect();
        assert_eq!(years, [(2026, true), (2027, false)], "{backend:?}");
        assert_eq!(*kpis[0].values, utblick_domain::kpi::values(&fin.compilation), "{backend:?}");
        assert_eq!(*kpis[1].values, utblick_domain::kpi::values(&c2027), "{backend:?}");
        // Kept once read: the frozen year from the kept values, the open one computed again.
        let kept = utblick_app::kpis::FrozenValues::default();
        for _ in 0..2 {
            let again = utblick_app::kpis::values_of_years(conn, None, now().date(), Some(&kept)).unwrap();
            assert_eq!(again, kpis, "{backend:?}");
        }
        assert_eq!(events(conn, "compilation.status_changed"), 4, "{backend:?}");
        assert_eq!(events(conn, "compilation.published"), 1);
        assert_eq!(events(conn, "compilation.created"), 1);

        // The database groups a year's activities as the domain's rule does: countries in
        // their order, archived activities and other years left out.
        let more = [
            ("Mässa i Tallinn", "fair", "2026-06-01", &["EE", "LV"][..], false),
            ("Mässa i Riga", "fair", "2026-07-01", &["EE", "LV"][..], false),
            ("Mässa i Vilnius", "fair", "2026-08-01", &["LV", "EE"][..], false),
            ("Konferens i Oslo", "conference", "2026-09-01", &["NO"][..], false),
            ("Inställd konferens", "conference", "2026-09-02", &["NO"][..], true),
            ("Konferens 2025", "conference", "2025-09-01", &["NO"][..], false),
        ];
        for (title, kind, on, countries, archived) in more {
            let archived = if archived { "CURRENT_TIMESTAMP" } else { "NULL" };
            let mut sql = format!(
                "INSERT INTO activities (title, kind, organisation_id, starts_on, ends_on, organiser, women, men, total, \
                   hours, own_cost, external_cost, version, created_at, updated_at, archived_at) VALUES \
                 ('{title}', '{kind}', {buf}, '{on}', '{on}', 'own', 2, 2, 5, 150, 10000, 2500, 1, CURRENT_TIMESTAMP, CURRENT_TIMESTAMP, {archived});"
            );
            for (i, c) in countries.iter().enumerate() {
                sql.push_str(&format!(
                    "INSERT INTO activity_countries (activity_id, position, country) SELECT id, {i}, '{c}' FROM activities WHERE title = '{title}';"
                ));
            }
            conn.batch_execute(&sql).unwrap();
        }
        let key = |g: &ActivityGroup| {
            (
                g.unit,
                g.project_id,
                g.kind.code(),
                g.countries.iter().map(|c| c.as_str().to_owned()).collect::<Vec<_>>(),
            )
        };
        let mut by_sql: Vec<ActivityGroup> =
            utblick_db::compilations::activity_groups(conn, day(1, 1), day(12, 31))
                .unwrap()
                .into_iter()
                .map(|g| {
                    let unit = g.organisation_id;
                    uc::group_of(g, unit, 2026).unwrap()
                })
                .collect();
        let singles: Vec<CompiledActivity> =
            utblick_db::reports::activity_facts(conn, None, day(1, 1), day(12, 31))
                .unwrap()
                .into_iter()
                .map(|(a, countries)| CompiledActivity {
                    unit: a.organisation_id,
                    project_id: a.project_id,
                    facts: utblick_app::reports::facts_of(&a, &countries).unwrap(),
                })
                .collect();
        let mut by_rule = group_activities(&singles).unwrap();
        by_sql.sort_by_key(key);
        by_rule.sort_by_key(key);
        assert_eq!(by_sql.len(), 4, "{backend:?}: study visits, fairs in EE+LV, in LV+EE, a conference");
        assert_eq!(by_sql, by_rule, "{backend:?}");

        // Two activities of the largest cost allowed: their sum passes what one amount may be,
        // and the year still compiles.
        let max = utblick_domain::money::MAX_MINOR;
        conn.batch_execute(&format!(
            "INSERT INTO activities (title, kind, organisation_id, starts_on, ends_on, organiser, women, men, total, \
               hours, own_cost, external_cost, version, created_at, updated_at) VALUES \
             ('Dyr resa 1', 'exchange', {buf}, '2026-10-01', '2026-10-01', 'own', 0, 0, 0, 0, {max}, {max}, 1, CURRENT_TIMESTAMP, CURRENT_TIMESTAMP), \
             ('Dyr resa 2', 'exchange', {buf}, '2026-10-02', '2026-10-02', 'own', 0, 0, 0, 0, {max}, {max}, 1, CURRENT_TIMESTAMP, CURRENT_TIMESTAMP);"
        ))
        .unwrap();
        let costly = uc::compute(conn, &opened.year, now().date()).unwrap();
        assert!(costly.total.own_cost >= 2 * max, "{backend:?}");
    });
}

#[test]
fn a_reports_files_are_attached_by_its_organisation_and_handed_in_with_it() {
    use utblick_app::attachments::{self as uc, Upload};
    use utblick_app::reports;
    use utblick_db::SimpleConnection;
    use utblick_db::attachments::Owner;
    use utblick_domain::report::{ReportStatus, ReportingYear};
    for_each_backend(|backend, db| {
        let mut conn = db.connect();
        let conn = &mut conn;
        let user = anna_berg(conn, "reporter");
        conn.batch_execute(
            "INSERT INTO organisations (name, kind, active, created_at, updated_at) VALUES \
               ('Barn- och utbildningsförvaltningen', 'administration', TRUE, CURRENT_TIMESTAMP, CURRENT_TIMESTAMP), \
               ('Tranås Energi AB', 'company', TRUE, CURRENT_TIMESTAMP, CURRENT_TIMESTAMP);",
        )
        .unwrap();
        let year = ReportingYear::parse(2026, NaiveDate::from_ymd_opt(2027, 2, 15).unwrap()).unwrap();
        let opened = run(conn, &coordinator(None), |c, x| reports::open_year(c, x, year)).unwrap();
        let (report, org) = opened.reports.iter().map(|(r, _)| (r.id, r.organisation_id)).min().unwrap();
        let other = opened.reports.iter().map(|(r, _)| r.organisation_id).find(|o| *o != org).unwrap();
        let reporter = |organisation_id: i64, version: Option<i32>| Ctx {
            principal: Principal::User {
                id: user.id,
                role: Role::Reporter,
                organisation_id: Some(organisation_id),
            },
            ..coordinator(version)
        };
        let pdf: Vec<u8> = b"%PDF-1.7\n".iter().copied().chain(0..=255u8).collect();
        let up = |name: &'static str, content: &'static [u8]| Upload {
            file_name: name,
            media_type: Some("application/pdf"),
            content,
        };
        let pdf_static: &'static [u8] = Box::leak(pdf.clone().into_boxed_slice());
        let attach = |conn: &mut DbConn, ctx: &Ctx, u: Upload<'_>, max: u64| {
            run(conn, ctx, |c, x| uc::attach(c, x, Owner::Report(report), &u, max))
        };

        let theirs = attach(conn, &reporter(other, None), up("Protokoll.pdf", pdf_static), 1_000);
        assert!(matches!(theirs, Err(AppError::Forbidden)), "{backend:?}: another organisation's report");
        let big = attach(conn, &reporter(org, None), up("Protokoll.pdf", pdf_static), 100);
        assert!(matches!(&big, Err(AppError::Invalid(e)) if e.0[0].code == "too_large"), "{big:?}");
        let kept = attach(conn, &reporter(org, None), up("Protokoll.pdf", pdf_static), 1_000).unwrap();
        assert_eq!((kept.file_name.as_str(), kept.size_bytes), ("Protokoll.pdf", pdf.len() as i64));
        let (row, bytes) = uc::read(conn, kept.id).unwrap();
        assert_eq!((row.media_type.as_str(), bytes), ("application/pdf", pdf.clone()), "{backend:?}");
        let draft = attach(conn, &reporter(org, None), up("Utkast.txt", b"utkast"), 1_000).unwrap();
        run(conn, &reporter(org, None), |c, x| uc::remove(c, x, draft.id)).unwrap();
        assert!(matches!(uc::read(conn, draft.id), Err(AppError::NotFound(_))), "removed: no longer offered");
        assert_eq!(uc::list(conn, Owner::Report(report)).unwrap(), vec![kept.clone()]);

        // Handed in: the file belongs to the public document.
        let handed = run(conn, &reporter(org, Some(1)), |c, x| {
            reports::change_status(c, x, report, ReportStatus::Submitted, None)
        })
        .unwrap();
        let gone = run(conn, &reporter(org, None), |c, x| uc::remove(c, x, kept.id));
        assert!(matches!(&gone, Err(AppError::Invalid(e)) if e.0[0].code == "handed_in"), "{gone:?}");
        let late = attach(conn, &reporter(org, None), up("Sent.pdf", b"sent"), 1_000);
        assert!(matches!(&late, Err(AppError::Invalid(e)) if e.0[0].code == "not_editable"), "{late:?}");
        let returned = run(conn, &coordinator(Some(handed.record.report.version)), |c, x| {
            reports::change_status(c, x, report, ReportStatus::Returned, Some("Bifoga avtalet."))
        })
        .unwrap();
        attach(conn, &reporter(org, None), up("Avtal.pdf", b"avtal"), 1_000).unwrap();
        run(conn, &reporter(org, Some(returned.record.report.version)), |c, x| {
            reports::change_status(c, x, report, ReportStatus::Submitted, None)
        })
        .unwrap();
        let names = |conn: &mut DbConn, n| {
            utblick_db::attachments::handed_in_with(conn, report, n)
                .unwrap()
                .into_iter()
                .map(|a| a.file_name)
                .collect::<Vec<_>>()
        };
        assert_eq!(names(conn, 1), ["Protokoll.pdf"], "{backend:?}");
        assert_eq!(names(conn, 2), ["Protokoll.pdf", "Avtal.pdf"], "{backend:?}");
        assert_eq!(events(conn, "attachment.created"), 3);
        assert_eq!(events(conn, "attachment.removed"), 1);
    });
}

#[test]
fn reminders_go_once_to_the_current_contact_persons_as_the_date_calls_for() {
    use utblick_app::reminders::{self as uc, Mail, Sender};
    use utblick_app::reports;
    use utblick_db::SimpleConnection;
    use utblick_domain::report::ReportingYear;
    for_each_backend(|backend, db| {
        let mut conn = db.connect();
        let conn = &mut conn;
        // Two organisations: one with two current contact persons with e-mail (and one whose
        // term has ended, one whose term has not begun, one archived, one without an
        // address), one with none.
        conn.batch_execute(
            "INSERT INTO organisations (name, kind, active, created_at, updated_at) VALUES \
               ('Barn- och utbildningsförvaltningen', 'administration', TRUE, CURRENT_TIMESTAMP, CURRENT_TIMESTAMP), \
               ('Tranås Energi AB', 'company', TRUE, CURRENT_TIMESTAMP, CURRENT_TIMESTAMP);",
        )
        .unwrap();
        let year = ReportingYear::parse(2026, NaiveDate::from_ymd_opt(2027, 2, 15).unwrap()).unwrap();
        let opened = run(conn, &coordinator(None), |c, x| reports::open_year(c, x, year)).unwrap();
        let (buf_report, buf) = opened
            .reports
            .iter()
            .find(|(_, n)| n.starts_with("Barn"))
            .map(|(r, _)| (r.id, r.organisation_id))
            .unwrap();
        conn.batch_execute(&format!(
            "INSERT INTO contacts (organisation_id, name, email, term_to, archived_at, version, created_at, updated_at) VALUES \
               ({buf}, 'Karin Ek', 'karin.ek@tranas.se', NULL, NULL, 1, CURRENT_TIMESTAMP, CURRENT_TIMESTAMP), \
               ({buf}, 'Anders Lind', 'anders.lind@tranas.se', '2027-12-31', NULL, 1, CURRENT_TIMESTAMP, CURRENT_TIMESTAMP), \
               ({buf}, 'Gammal Kontakt', 'gammal@tranas.se', '2026-01-31', NULL, 1, CURRENT_TIMESTAMP, CURRENT_TIMESTAMP), \
               ({buf}, 'Ny Kontakt', 'ny@tranas.se', NULL, NULL, 1, CURRENT_TIMESTAMP, CURRENT_TIMESTAMP), \
               ({buf}, 'Arkiverad Kontakt', 'arkiv@tranas.se', NULL, CURRENT_TIMESTAMP, 1, CURRENT_TIMESTAMP, CURRENT_TIMESTAMP), \
               ({buf}, 'Utan Adress', NULL, NULL, NULL, 1, CURRENT_TIMESTAMP, CURRENT_TIMESTAMP);"
        ))
        .unwrap();
        // One whose term begins only next year.
        conn.batch_execute("UPDATE contacts SET term_from = '2099-01-01' WHERE name = 'Ny Kontakt'").unwrap();
        let sender =
            Sender { base_url: "https://utblick.tranas.se/".into(), municipality: "Tranås kommun".into() };
        let mut outbox: Vec<Mail> = Vec::new();
        let round = |conn: &mut DbConn, today: NaiveDate, fail: bool, outbox: &mut Vec<Mail>| {
            let at = today.and_hms_opt(8, 0, 0).unwrap();
            uc::run_round(conn, today, at, &sender, &mut |m: &Mail| {
                if fail {
                    return Err("421 try again later".into());
                }
                outbox.push(m.clone());
                Ok(())
            })
            .unwrap()
        };
        let day = |m: u32, d: u32| NaiveDate::from_ymd_opt(2027, m, d).unwrap();

        // The year opened: one e-mail to the two current contact persons; the company has none.
        let first = round(conn, day(1, 5), false, &mut outbox);
        assert_eq!(first.len(), 2, "{backend:?}");
        assert_eq!(outbox.len(), 1, "{backend:?}");
        let to: Vec<&str> = outbox[0].to.iter().map(|(_, a)| a.as_str()).collect();
        assert_eq!(to, ["anders.lind@tranas.se", "karin.ek@tranas.se"], "{backend:?}: by name");
        assert!(outbox[0].subject.contains("2026"), "{backend:?}");
        assert!(
            outbox[0].body.contains(&format!("https://utblick.tranas.se/reports.html?report={buf_report}")),
            "{backend:?}: {}",
            outbox[0].body
        );
        let statuses: Vec<(String, String)> =
            first.iter().map(|r| (r.kind.clone(), r.status.clone())).collect();
        assert!(statuses.contains(&("opened".into(), "sent".into())), "{backend:?}: {statuses:?}");
        assert!(statuses.contains(&("opened".into(), "no_recipients".into())), "{backend:?}: {statuses:?}");
        // Once only.
        assert!(round(conn, day(1, 6), false, &mut outbox).is_empty(), "{backend:?}");
        assert_eq!(outbox.len(), 1, "{backend:?}");

        // A week before: the server refuses, and the reminder is tried again after an hour.
        let failed = round(conn, day(2, 9), true, &mut outbox);
        assert!(
            failed.iter().any(|r| r.status == "failed" && r.error.as_deref() == Some("421 try again later"))
        );
        let at = day(2, 9).and_hms_opt(8, 30, 0).unwrap();
        let too_soon = uc::run_round(conn, day(2, 9), at, &sender, &mut |_m: &Mail| Ok(())).unwrap();
        assert!(too_soon.iter().all(|r| r.report_id != buf_report), "{backend:?}: not within the hour");
        let again = round(conn, day(2, 10), false, &mut outbox);
        assert!(
            again.iter().any(|r| r.report_id == buf_report && r.kind == "week_before" && r.status == "sent")
        );
        assert_eq!(outbox.len(), 2, "{backend:?}");
        assert!(outbox[1].subject.contains("2027-02-15"), "{backend:?}: {}", outbox[1].subject);

        // After the deadline, only the organisation that has not handed in is reminded.
        conn.batch_execute(&format!("UPDATE reports SET status = 'submitted' WHERE id = {buf_report}"))
            .unwrap();
        let late = round(conn, day(2, 16), false, &mut outbox);
        assert!(
            late.iter().all(|r| r.report_id != buf_report && r.kind == "overdue"),
            "{backend:?}: {late:?}"
        );
        assert_eq!(outbox.len(), 2, "{backend:?}: the company has no one to write to");

        // Who was reminded when, and the audit log says so.
        let all = uc::of_year(conn, opened.year.id).unwrap();
        assert_eq!(all.len(), 5, "{backend:?}: {all:?}");
        assert_eq!(events(conn, "reminder.sent"), 2, "{backend:?}");
        assert_eq!(events(conn, "reminder.failed"), 1, "{backend:?}");
        assert_eq!(events(conn, "reminder.no_recipients"), 3, "{backend:?}");
    });
}

/// Signing in through the identity provider: the groups make the role at every sign-in; a
/// person in no group lands waiting; removed from every group, out (sessions ended); an
/// administrator's deactivation holds; the provider's sign-out ends its sessions.
#[test]
fn the_providers_groups_decide_the_role_at_every_sign_in() {
    use utblick_app::oidc::{Outcome, ProviderIdentity, end_provider_sessions, sign_in};
    use utblick_app::sessions::NewSecrets;
    use utblick_domain::oidc::GroupRule;
    for_each_backend(|backend, db| {
        let mut conn = db.connect();
        let conn = &mut conn;
        let t = now();
        let tek =
            utblick_db::identity::insert_organisation(conn, "Tekniska förvaltningen", "administration", t)
                .unwrap();
        utblick_db::identity::set_organisation_links(conn, tek.id, None, Some("TEK")).unwrap();
        let rules = [
            GroupRule::parse("utblick-reporter-tekniska", "reporter", Some("TEK")).unwrap(),
            GroupRule::parse("utblick-samordnare", "coordinator", None).unwrap(),
        ];
        let audit = AuditContext::system("test");
        let person = |sub: &str, groups: &[&str]| ProviderIdentity {
            issuer: "https://idp.tranas.se".into(),
            subject: sub.into(),
            email: Some(format!("{sub}@tranas.se")),
            name: Some("Eva Ek".into()),
            groups: groups.iter().map(|g| (*g).to_owned()).collect(),
            sid: Some(format!("sid-{sub}")),
            id_token: "header.payload.signature".into(),
        };
        let mut n = 0;
        let mut secrets = || {
            n += 1;
            NewSecrets { session_id: format!("s{n}"), refresh_hash: format!("h{n}") }
        };
        // First sign-in in the reporter group: a reporter of Tekniska, signed in.
        let eva = person("eva", &["utblick-reporter-tekniska", "alla"]);
        let Outcome::SignedIn(u) = sign_in(conn, &audit, &eva, &rules, &secrets(), 3600, t).unwrap() else {
            panic!("{backend:?}: signed in")
        };
        assert_eq!(
            (u.role.as_str(), u.organisation_id, u.role_source.as_str()),
            ("reporter", Some(tek.id), "provider")
        );
        assert_eq!(u.password_hash, utblick_app::oidc::NO_PASSWORD, "no password signs in");
        let version = u.version;
        // Again, unchanged: the same account, nothing written but the sign-in.
        let updates = events(conn, "user.updated");
        let Outcome::SignedIn(again) = sign_in(conn, &audit, &eva, &rules, &secrets(), 3600, t).unwrap()
        else {
            panic!("{backend:?}")
        };
        assert_eq!((again.id, again.version, events(conn, "user.updated")), (u.id, version, updates));
        // Moved to the coordinators' group: a coordinator at the next sign-in.
        let moved = person("eva", &["utblick-samordnare"]);
        let Outcome::SignedIn(c) = sign_in(conn, &audit, &moved, &rules, &secrets(), 3600, t).unwrap() else {
            panic!("{backend:?}")
        };
        assert_eq!((c.role.as_str(), c.organisation_id), ("coordinator", None));
        // Removed from every group: out, deactivated, every session ended.
        let gone = person("eva", &["alla"]);
        let out = sign_in(conn, &audit, &gone, &rules, &secrets(), 3600, t).unwrap();
        assert!(matches!(out, Outcome::Refused("no-group")), "{backend:?}: {out:?}");
        let eva_now = utblick_db::identity::get_user(conn, u.id).unwrap().unwrap();
        assert!(!eva_now.active);
        assert!(utblick_db::identity::get_session(conn, "s3").unwrap().unwrap().revoked_at.is_some());
        // Back in a group: back in.
        assert!(matches!(
            sign_in(conn, &audit, &moved, &rules, &secrets(), 3600, t).unwrap(),
            Outcome::SignedIn(_)
        ));
        // A person in no group Utblick knows: waiting for approval, not signed in, twice.
        let olle = person("olle", &["alla"]);
        assert!(matches!(
            sign_in(conn, &audit, &olle, &rules, &secrets(), 3600, t).unwrap(),
            Outcome::Pending
        ));
        let waiting =
            utblick_db::oidc::find_user_by_subject(conn, "https://idp.tranas.se", "olle").unwrap().unwrap();
        assert_eq!((waiting.active, waiting.role_source.as_str()), (false, "pending"));
        let out = sign_in(conn, &audit, &olle, &rules, &secrets(), 3600, t).unwrap();
        assert!(matches!(out, Outcome::Refused("pending")), "{backend:?}: {out:?}");
        // An account from before single sign-on is linked by its e-mail address and keeps
        // its role while no group matches (an administrator manages it).
        let anna = anna_berg(conn, "reader");
        let mut local = person("anna", &[]);
        local.email = Some(anna.email.clone());
        let Outcome::SignedIn(a) = sign_in(conn, &audit, &local, &rules, &secrets(), 3600, t).unwrap() else {
            panic!("{backend:?}: linked")
        };
        assert_eq!((a.id, a.role.as_str(), a.oidc_subject.as_deref()), (anna.id, "reader", Some("anna")));
        assert_eq!(events(conn, "user.linked"), 1);
        // The provider's sign-out ends the sessions of its session id.
        let ended =
            end_provider_sessions(conn, &audit, "https://idp.tranas.se", None, Some("sid-anna"), t).unwrap();
        assert_eq!(ended, 1, "{backend:?}");
        let login = utblick_db::audit::list_audit_events(
            conn,
            &AuditFilter { action: Some("login".into()), ..AuditFilter::default() },
            0,
            1,
        )
        .unwrap();
        let changes: serde_json::Value = serde_json::from_str(&login[0].changes).unwrap();
        assert_eq!(changes["method"], "oidc", "the audit log says which sign-in");
    });
}
