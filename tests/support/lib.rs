//! Test support for the black-box suites: the production `Application::build` on a free
//! loopback port over a fresh database, and typed helpers around it.
#![allow(clippy::unwrap_used, clippy::expect_used)]

use std::path::{Path, PathBuf};

use actix_web::dev::ServerHandle;
use secrecy::SecretString;
use utblick_api::{Application, Settings};
pub use utblick_db::Backend;
pub use utblick_db::test_support::{TestDb, in_ci, say_loudly};

pub mod bench;
pub mod idp;

/// The repository root.
pub fn repo_root() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).parent().unwrap().to_path_buf()
}

/// A running Utblick on its own database.
pub struct TestApp {
    pub address: String,
    pub port: u16,
    pub backend: Backend,
    pub client: reqwest::Client,
    pub db: TestDb,
    handle: ServerHandle,
}

impl TestApp {
    /// Starts Utblick on a fresh database of `backend`; `None` when that backend is not
    /// available outside CI (a loud skip line has been printed).
    pub async fn spawn(backend: Backend) -> Option<TestApp> {
        let db = TestDb::migrated(backend)?;
        Some(Self::spawn_on(db).await)
    }

    /// Starts Utblick on a fresh database of `backend` with settings changed by `change`.
    pub async fn spawn_with(backend: Backend, change: impl FnOnce(&mut Settings)) -> Option<TestApp> {
        let db = TestDb::migrated(backend)?;
        let mut settings = test_settings(&db.url());
        change(&mut settings);
        Some(Self::start(db, settings).await)
    }

    /// Starts Utblick on an existing test database.
    pub async fn spawn_on(db: TestDb) -> TestApp {
        let settings = test_settings(&db.url());
        Self::start(db, settings).await
    }

    async fn start(db: TestDb, settings: Settings) -> TestApp {
        let app = Application::build(settings).await.expect("Application::build");
        let port = app.port();
        let backend = app.backend();
        let handle = app.handle();
        tokio::spawn(app.run_until_stopped());
        // Idle connections are dropped before the server's keep-alive (5 s) ends them, so a
        // request never goes out on a connection the server is just closing.
        let client = reqwest::Client::builder()
            .redirect(reqwest::redirect::Policy::none())
            .pool_idle_timeout(std::time::Duration::from_secs(2))
            .build()
            .unwrap();
        TestApp { address: format!("http://127.0.0.1:{port}"), port, backend, client, db, handle }
    }

    pub fn url(&self, path: &str) -> String {
        format!("{}{}", self.address, path)
    }

    pub async fn get(&self, path: &str) -> reqwest::Response {
        self.client.get(self.url(path)).send().await.expect("GET")
    }

    /// GET that must answer 200 with JSON.
    pub async fn get_json(&self, path: &str) -> serde_json::Value {
        let res = self.get(path).await;
        assert_eq!(res.status(), 200, "GET {path} on {}", self.backend.name());
        res.json().await.expect("JSON body")
    }

    /// GET as the holder of `token`, which must answer 200 with JSON.
    pub async fn get_json_as(&self, path: &str, token: &str) -> serde_json::Value {
        let res = self.req(reqwest::Method::GET, path, Some(token)).send().await.expect("GET");
        assert_eq!(res.status(), 200, "GET {path} on {}", self.backend.name());
        res.json().await.expect("JSON body")
    }

    pub async fn request(&self, method: reqwest::Method, path: &str) -> reqwest::Response {
        self.client.request(method, self.url(path)).send().await.expect("request")
    }

    /// Stops the server and hands back its database (to start another on it).
    pub async fn stop(self) -> TestDb {
        self.handle.stop(true).await;
        self.db
    }
}

/// The settings a test instance runs with: port 0, one worker, the given database.
pub fn test_settings(db_url: &str) -> Settings {
    let mut s = Settings::load_from(None, std::iter::empty()).unwrap();
    s.server.port = 0;
    s.server.workers = Some(1);
    s.database.url = Some(SecretString::from(db_url.to_owned()));
    s.database.pool_size = 4;
    s.database.connect_timeout_seconds = 2;
    s.web.dir = Some(repo_root().join("web"));
    s.auth.jwt_secret = Some(SecretString::from(TEST_JWT_SECRET.to_owned()));
    s.database.data_dir = std::env::temp_dir().join("utblick-test-data");
    s
}

/// The signing secret of test instances, so tests can forge tokens to see them refused.
pub const TEST_JWT_SECRET: &str = "test-secret-of-at-least-thirty-two-bytes-0123456789";

/// The password every test user gets.
pub const TEST_PASSWORD: &str = "gröna äpplen i november";

/// A person made by a test.
#[derive(Debug, Clone)]
pub struct TestUser {
    pub id: i64,
    pub email: String,
    pub password: String,
}

static SEQ: std::sync::atomic::AtomicU32 = std::sync::atomic::AtomicU32::new(0);

static LOAD: tokio::sync::RwLock<()> = tokio::sync::RwLock::const_new(());

/// Held (shared) by the tests that load the machine for minutes: the external suites. They
/// may run beside each other, but not beside a test that measures a response time.
pub async fn heavy() -> tokio::sync::RwLockReadGuard<'static, ()> {
    LOAD.read().await
}

/// Held by a test that measures a response time, so that it measures the server and not a
/// busy neighbour: no heavy test runs meanwhile.
pub async fn alone() -> tokio::sync::RwLockWriteGuard<'static, ()> {
    LOAD.write().await
}

/// A number unique within this test process, for names and e-mails.
pub fn unique() -> String {
    format!("{}-{}", std::process::id(), SEQ.fetch_add(1, std::sync::atomic::Ordering::Relaxed))
}

/// A number unique within this test process.
pub fn unique_number() -> u32 {
    SEQ.fetch_add(1, std::sync::atomic::Ordering::Relaxed) + 1
}

impl TestApp {
    /// A decision, straight into the database.
    pub fn create_decision(&self, body: &str) -> i64 {
        let fields = utblick_db::models::DecisionFields {
            body: body.to_owned(),
            decided_on: chrono::NaiveDate::from_ymd_opt(2026, 11, 26).unwrap(),
            paragraph: unique_number().to_string(),
            diarienummer: "KS 2026/1".into(),
            subject: "Test".into(),
            link: None,
            diarienummer_as_registered: "KS 2026/1".into(),
        };
        utblick_db::decisions::insert_decision(&mut self.conn(), &fields, chrono_now()).unwrap().id
    }

    /// A goal framework with two goals, straight into the database.
    pub fn create_framework(&self, code: &str) -> i64 {
        let f = utblick_domain::GoalFramework::parse(&utblick_domain::framework::FrameworkInput {
            code: code.to_owned(),
            name: format!("Ramverk {code}"),
            owner: "Tranås kommun".into(),
            goals: vec![(1, "Mål ett".into(), None), (2, "Mål två".into(), None)],
            ..Default::default()
        })
        .unwrap();
        utblick_db::frameworks::insert_framework(&mut self.conn(), &f, chrono_now()).unwrap()
    }

    /// Opens the KPI feed to anyone (or closes it), straight into the database; the settings'
    /// version, for `If-Match`.
    pub fn publish_kpi_feed(&self, published: bool) -> i32 {
        let conn = &mut self.conn();
        let key = utblick_db::settings::KPI_FEED_PUBLISHED;
        utblick_db::settings::put(conn, key, if published { "true" } else { "false" }).unwrap();
        utblick_db::settings::version(conn).unwrap()
    }

    /// A scorecard as the styrkort system pushes it, with no goals, straight into the database.
    pub fn create_scorecard(&self, external_id: &str) -> i64 {
        let f = utblick_db::models::ScorecardFields {
            name: format!("Styrkort {external_id}"),
            owner: "Kommunstyrelsen".into(),
            description: None,
            organisation_id: None,
        };
        let code = utblick_domain::goal::scorecard_code(external_id);
        utblick_db::goals::insert_scorecard(&mut self.conn(), external_id, &code, &f, chrono_now()).unwrap()
    }

    /// A goal of a scorecard (its framework id), straight into the database.
    pub fn create_scorecard_goal(&self, framework_id: i64, external_id: &str) -> i64 {
        let f = utblick_db::models::GoalFields {
            title: format!("Mål {external_id}"),
            description: None,
            organisation_id: None,
            kpi: None,
        };
        utblick_db::goals::insert_goal(&mut self.conn(), framework_id, external_id, &f, &[], chrono_now())
            .unwrap()
    }

    /// Adds `n` council decisions in one statement (for tests that need a long list).
    pub fn fill_decisions(&self, n: u64) {
        use utblick_db::SimpleConnection;
        let sql = match self.backend {
            Backend::Sqlite => format!(
                "WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n WHERE i < {n}) \
                 INSERT INTO decisions (body, decided_on, paragraph, diarienummer, diarienummer_as_registered, subject, link, archived_at, version, created_at, updated_at) \
                 SELECT 'council', '2025-06-01', 'L' || i, 'KF 2025/' || i, 'KF 2025/' || i, 'Beslut om internationellt samarbete nummer ' || i, NULL, NULL, 1, CURRENT_TIMESTAMP, CURRENT_TIMESTAMP FROM n"
            ),
            Backend::Postgres => format!(
                "INSERT INTO decisions (body, decided_on, paragraph, diarienummer, diarienummer_as_registered, subject, link, archived_at, version, created_at, updated_at) \
                 SELECT 'council', '2025-06-01', 'L' || i, 'KF 2025/' || i, 'KF 2025/' || i, 'Beslut om internationellt samarbete nummer ' || i, NULL, NULL, 1, now(), now() \
                 FROM generate_series(1, {n}) AS i"
            ),
        };
        self.conn().batch_execute(&sql).unwrap();
    }

    /// An organisation's current version (for If-Match).
    pub fn get_organisation_version(&self, id: i64) -> i32 {
        utblick_db::identity::get_organisation(&mut self.conn(), id).unwrap().unwrap().version
    }

    /// A programme version with its own new document id, straight into the database.
    pub fn create_programme(&self, status: &str) -> i64 {
        self.create_programme_titled(status, "Testprogram")
    }

    /// A programme version with this title, straight into the database.
    pub fn create_programme_titled(&self, status: &str, title: &str) -> i64 {
        let adopted = status != "draft";
        let p = utblick_domain::Programme::parse(&utblick_domain::programme::ProgrammeInput {
            title: title.into(),
            document_id: format!("T{}", unique_number()),
            diarienummer: "KS 2026/5".into(),
            version: 1,
            document_type: "programme".into(),
            responsible_administration: "Kommunledningsförvaltningen".into(),
            responsible_department: "Kansliet".into(),
            decided_by: "executive_board".into(),
            published: adopted.then(|| chrono::NaiveDate::from_ymd_opt(2024, 1, 1).unwrap()),
            revise_by: adopted.then(|| chrono::NaiveDate::from_ymd_opt(2027, 12, 31).unwrap()),
            purpose: "Syfte".into(),
            background: "Bakgrund".into(),
            status: status.into(),
            priority_areas: vec![(1, "Område".into(), "Beskrivning".into())],
            work_kinds: vec![],
        })
        .unwrap();
        utblick_db::programmes::insert_programme(&mut self.conn(), &p, chrono_now()).unwrap()
    }

    /// A programme version's record version (for If-Match).
    pub fn get_programme_row_version(&self, id: i64) -> i32 {
        utblick_db::programmes::get_programme(&mut self.conn(), id).unwrap().unwrap().programme.row_version
    }

    /// A proposed collaboration owned by an organisation, straight into the database.
    pub fn create_collaboration(&self, owner: i64) -> i64 {
        let f = utblick_db::models::CollaborationFields {
            kind: "collaboration".into(),
            name: format!("Samarbete {}", unique_number()),
            owner_organisation_id: owner,
            purpose: "Utbyte".into(),
            period_from: None,
            period_to: None,
            representative_contact_id: None,
        };
        utblick_db::collaborations::insert_collaboration(&mut self.conn(), &f, &[], chrono_now()).unwrap()
    }

    /// A collaboration's current version (for If-Match).
    pub fn get_collaboration_version(&self, id: i64) -> i32 {
        utblick_db::collaborations::get_collaboration(&mut self.conn(), id).unwrap().unwrap().0.version
    }

    /// A project idea owned by an organisation (no priority areas: it answers the
    /// programme's two questions), straight into the database.
    pub fn create_project(&self, owner: i64) -> i64 {
        let f = utblick_db::models::ProjectFields {
            external_id: None,
            title: format!("Projekt {}", unique_number()),
            summary: "Utbyte".into(),
            kind: "development".into(),
            owner_organisation_id: owner,
            contact_id: None,
            period_from: None,
            period_to: None,
            programme_id: None,
            contribution: Some("Hållbar tillväxt".into()),
            lasting_value: Some("Ett nätverk".into()),
            own_money: 0,
            own_hours: 0,
            results: None,
            value_given: None,
            outputs: None,
        };
        let parts = utblick_db::models::ProjectParts::default();
        utblick_db::projects::insert_project(&mut self.conn(), None, &f, &parts, "idea", chrono_now())
            .unwrap()
    }

    /// A project's current version (for If-Match).
    pub fn get_project_version(&self, id: i64) -> i32 {
        utblick_db::projects::get_project(&mut self.conn(), id).unwrap().unwrap().project.version
    }

    /// A funding programme's current version (for If-Match).
    pub fn get_funding_programme_version(&self, id: i64) -> i32 {
        utblick_db::projects::get_funding_programme(&mut self.conn(), id).unwrap().unwrap().version
    }

    /// An activity of an organisation, straight into the database.
    pub fn create_activity(&self, organisation_id: i64) -> i64 {
        let day = chrono::NaiveDate::from_ymd_opt(2026, 5, 12).unwrap();
        let f = utblick_db::models::ActivityFields {
            external_id: None,
            title: format!("Studiebesök {}", unique_number()),
            kind: "study_visit".into(),
            organisation_id,
            project_id: None,
            starts_on: day,
            ends_on: day,
            organiser: "own".into(),
            women: 1,
            men: 1,
            total: 2,
            hours: 800,
            own_cost: 100_000,
            external_cost: 0,
            other_resources: None,
            outcome: None,
        };
        utblick_db::activities::insert_activity(&mut self.conn(), None, &f, &["DK".into()], &[], chrono_now())
            .unwrap()
    }

    /// An elected official, straight into the database.
    pub fn create_official(&self, name: &str) -> i64 {
        let f = utblick_db::models::OfficialFields {
            name: name.into(),
            office: "Kommunstyrelsens ordförande".into(),
            body: "executive_board".into(),
            term_from: None,
            term_to: None,
        };
        utblick_db::activities::insert_official(&mut self.conn(), &f, chrono_now()).unwrap().id
    }

    /// A lead (a trend) of an organisation, straight into the database.
    pub fn create_lead(&self, organisation_id: i64) -> i64 {
        let f = utblick_db::models::LeadFields {
            title: format!("Trend {}", unique_number()),
            kind: "trend".into(),
            description: "Digitalisering i skolan".into(),
            source_link: None,
            deadline: None,
            funding_programme_id: None,
            organisation_id,
        };
        utblick_db::leads::insert_lead(&mut self.conn(), &f, &[], chrono_now()).unwrap()
    }

    /// Runs a benchmark's bulk load (SQL ending in `ANALYZE`), then on PostgreSQL `VACUUM
    /// ANALYZE`, as autovacuum does after one. The throwaway test cluster commits
    /// asynchronously (`synchronous_commit = off`), and VACUUM leaves a page out of the
    /// visibility map while its rows' commit may not yet be on disk; a production server
    /// commits synchronously, as this load does, so that index-only scans work as they would
    /// there.
    pub fn load_in_bulk(&self, sql: &str) {
        use utblick_db::SimpleConnection;
        let mut conn = self.db.connect();
        if self.backend == Backend::Postgres {
            conn.batch_execute("SET synchronous_commit = on").unwrap();
        }
        conn.batch_execute(sql).unwrap();
        if self.backend == Backend::Postgres {
            conn.batch_execute("VACUUM ANALYZE").unwrap();
        }
    }

    /// A year no reporting year has been opened for yet (from 2000 on).
    pub fn free_reporting_year(&self) -> i32 {
        let conn = &mut self.conn();
        (2000..2200).find(|y| utblick_db::reports::reporting_year_of(conn, *y).unwrap().is_none()).unwrap()
    }

    /// A draft report of an organisation in a reporting year of its own, straight into the
    /// database; with `handed_in`, handed in with one frozen version.
    pub fn create_report(&self, organisation_id: i64, handed_in: bool) -> i64 {
        let year = self.free_reporting_year();
        let conn = &mut self.conn();
        let deadline = chrono::NaiveDate::from_ymd_opt(year + 1, 2, 15).unwrap();
        let y = utblick_db::reports::insert_reporting_year(conn, year, deadline, chrono_now()).unwrap();
        let status = if handed_in { "submitted" } else { "draft" };
        let r =
            utblick_db::reports::insert_report(conn, y.id, organisation_id, status, chrono_now()).unwrap();
        if handed_in {
            let content = r#"{"narrative": "Inlämnad", "figures": {}}"#;
            utblick_db::reports::insert_report_version(conn, r.id, chrono_now(), None, content).unwrap();
        }
        r.id
    }

    /// A small PDF attached to a report, straight into the database.
    pub fn create_attachment(&self, report_id: i64) -> i64 {
        let a = utblick_db::attachments::NewAttachment {
            owner: utblick_db::attachments::Owner::Report(report_id),
            file_name: "Protokoll.pdf",
            media_type: "application/pdf",
            sha256: "1f8ac10f23c5b5bc1167bda84b833e5c057a77d2b2d1e1a2e7e4c6a0bd1e4b5c",
            content: b"%PDF-1.7\n%%EOF\n",
            uploaded_by: None,
            now: chrono_now(),
        };
        utblick_db::attachments::insert(&mut self.conn(), &a).unwrap().id
    }

    /// A reporting year of its own (a free year), straight into the database.
    pub fn create_reporting_year(&self) -> i64 {
        let year = self.free_reporting_year();
        let deadline = chrono::NaiveDate::from_ymd_opt(year + 1, 2, 15).unwrap();
        utblick_db::reports::insert_reporting_year(&mut self.conn(), year, deadline, chrono_now()).unwrap().id
    }

    /// A compilation of a reporting year of its own, straight into the database: `draft`,
    /// `final` (version 1 frozen from the data now), `presented` (with a council decision) or
    /// `published` (presented and published).
    pub fn create_compilation(&self, state: &str) -> i64 {
        let decision = self.create_decision("council");
        let year_id = self.create_reporting_year();
        let conn = &mut self.conn();
        let now = chrono_now();
        let year = utblick_db::reports::reporting_year(conn, year_id).unwrap().unwrap();
        let status = match state {
            "draft" => "draft",
            "final" => "final",
            _ => "presented",
        };
        let c = utblick_db::compilations::insert_compilation(conn, year_id, status, now).unwrap();
        if state != "draft" {
            let compiled = utblick_app::compilations::compute(conn, &year, now.date()).unwrap();
            let content = serde_json::to_string(&compiled).unwrap();
            utblick_db::compilations::insert_compilation_version(conn, c.id, now, None, &content).unwrap();
        }
        if matches!(state, "presented" | "published") {
            let set = utblick_db::compilations::set_compilation_status;
            assert!(set(conn, c.id, 1, "presented", Some(decision), None, Some(1), now).unwrap());
        }
        if state == "published" {
            assert!(
                utblick_db::compilations::set_compilation_published(conn, c.id, 2, Some(now), now).unwrap()
            );
        }
        c.id
    }

    /// The reporting year a report belongs to.
    pub fn reporting_year_of_report(&self, report: i64) -> i64 {
        utblick_db::reports::get_report(&mut self.conn(), report).unwrap().unwrap().report.reporting_year_id
    }

    /// The current version of a record of these kinds (for If-Match).
    pub fn version_of(&self, kind: &str, id: i64) -> i32 {
        let conn = &mut self.conn();
        match kind {
            "report" => utblick_db::reports::get_report(conn, id).unwrap().unwrap().report.version,
            "compilation" => utblick_db::compilations::compilation(conn, id).unwrap().unwrap().version,
            "activity" => utblick_db::activities::get_activity(conn, id).unwrap().unwrap().activity.version,
            "official" => utblick_db::activities::get_official(conn, id).unwrap().unwrap().version,
            "lead" => utblick_db::leads::get_lead(conn, id).unwrap().unwrap().lead.version,
            other => panic!("no version_of {other}"),
        }
    }

    /// A contact person of an organisation, straight into the database.
    pub fn create_contact(&self, organisation_id: i64, name: &str) -> i64 {
        let f = utblick_db::models::ContactFields {
            organisation_id,
            name: name.into(),
            title: None,
            email: Some(format!("kontakt{}@tranas.se", unique_number())),
            phone: None,
            network_role: Some("Kontaktperson".into()),
            term_from: None,
            term_to: None,
        };
        utblick_db::contacts::insert_contact(&mut self.conn(), &f, chrono_now()).unwrap().id
    }

    /// A contact's current version (for If-Match).
    pub fn get_contact_version(&self, id: i64) -> i32 {
        utblick_db::contacts::get_contact(&mut self.conn(), id).unwrap().unwrap().version
    }

    /// A twin town, proposed, straight into the database.
    pub fn create_twin_town(&self, town: &str) -> i64 {
        let f = utblick_db::models::TwinTownFields {
            town: town.into(),
            country: "PL".into(),
            region: None,
            since: None,
        };
        utblick_db::twin_towns::insert_twin_town(&mut self.conn(), &f, chrono_now()).unwrap().id
    }

    /// A twin town's current version (for If-Match).
    pub fn get_twin_town_version(&self, id: i64) -> i32 {
        utblick_db::twin_towns::get_twin_town(&mut self.conn(), id).unwrap().unwrap().version
    }

    /// A decision's current version (for If-Match).
    pub fn get_decision_version(&self, id: i64) -> i32 {
        utblick_db::decisions::get_decision(&mut self.conn(), id).unwrap().unwrap().version
    }

    fn conn(&self) -> utblick_db::DbConn {
        self.db.connect()
    }

    /// An organisation, straight into the database.
    pub fn create_organisation(&self, name: &str) -> i64 {
        let now = chrono_now();
        utblick_db::identity::insert_organisation(&mut self.conn(), name, "administration", now).unwrap().id
    }

    /// A user with [`TEST_PASSWORD`], straight into the database (no audit event: this is
    /// the test's set-up, not an operation under test).
    pub fn create_user(&self, role: &str, organisation_id: Option<i64>) -> TestUser {
        let email = format!("{role}-{}@tranas.se", unique());
        let hash = test_password_hash();
        let now = chrono_now();
        let row = utblick_db::identity::insert_user(
            &mut self.conn(),
            &utblick_db::models::NewUserRow {
                email: &email,
                display_name: &format!("Test {role}"),
                role,
                organisation_id,
                active: true,
                password_hash: &hash,
                must_change_password: false,
                version: 1,
                created_at: now,
                updated_at: now,
            },
        )
        .unwrap();
        TestUser { id: row.id, email, password: TEST_PASSWORD.to_owned() }
    }

    /// An API token with the given scopes, straight into the database; returns the token.
    pub fn create_api_token(&self, scopes: &str, created_by: i64) -> (i64, String) {
        let (token, prefix) = utblick_api::auth::secrets::new_api_token();
        let now = chrono_now();
        let row = utblick_db::identity::insert_api_token(
            &mut self.conn(),
            &utblick_db::models::NewApiTokenRow {
                name: &format!("test {scopes}"),
                prefix: &prefix,
                token_hash: &utblick_api::auth::secrets::sha256_hex(&token),
                scopes,
                created_by,
                created_at: now,
                expires_at: None,
            },
        )
        .unwrap();
        (row.id, token)
    }

    /// A sign-in attempt, whatever it answers.
    pub async fn try_login(&self, email: &str, password: &str) -> reqwest::Response {
        self.client
            .post(self.url("/api/v1/auth/login"))
            .json(&serde_json::json!({"email": email, "password": password}))
            .send()
            .await
            .unwrap()
    }

    /// Signs in through the API; returns the whole token response.
    pub async fn login_response(&self, user: &TestUser) -> serde_json::Value {
        let res = self.try_login(&user.email, &user.password).await;
        assert_eq!(res.status(), 200, "login of {}", user.email);
        res.json().await.unwrap()
    }

    /// Signs in through the API; returns the access token.
    pub async fn login(&self, user: &TestUser) -> String {
        self.login_response(user).await["access_token"].as_str().unwrap().to_owned()
    }

    /// Signs in through the API; returns the access token and the refresh token from its
    /// cookie.
    pub async fn login_session(&self, user: &TestUser) -> (String, String) {
        let res = self.try_login(&user.email, &user.password).await;
        assert_eq!(res.status(), 200, "login of {}", user.email);
        let cookie = refresh_cookie(&res).expect("sign-in sets the refresh cookie");
        let body: serde_json::Value = res.json().await.unwrap();
        (body["access_token"].as_str().unwrap().to_owned(), cookie)
    }

    /// `POST /auth/refresh` as a browser page sends it: the cookie and the CSRF header.
    pub async fn refresh_with(&self, refresh_token: &str) -> reqwest::Response {
        self.client
            .post(self.url("/api/v1/auth/refresh"))
            .header("Cookie", format!("utblick_refresh={refresh_token}"))
            .header("X-Utblick-Csrf", "1")
            .send()
            .await
            .unwrap()
    }

    /// Gives a test user [`TEST_PASSWORD`] back (after a test changed it).
    pub fn restore_test_password(&self, user_id: i64) {
        let now = chrono_now();
        utblick_db::identity::set_password(&mut self.conn(), user_id, &test_password_hash(), false, now)
            .unwrap();
    }

    /// Security events so far, newest first, read straight from the database.
    pub fn security_events(&self) -> Vec<utblick_db::models::SecurityEventRow> {
        utblick_db::security::list_security_events(&mut self.conn(), &Default::default(), 0, 1000).unwrap()
    }

    /// A request with an optional bearer token.
    pub fn req(&self, method: reqwest::Method, path: &str, bearer: Option<&str>) -> reqwest::RequestBuilder {
        let r = self.client.request(method, self.url(path));
        match bearer {
            Some(t) => r.bearer_auth(t),
            None => r,
        }
    }

    /// Audit events so far, newest first, read straight from the database.
    pub fn audit_events(&self) -> Vec<utblick_db::models::AuditEventRow> {
        utblick_db::audit::list_audit_events(&mut self.conn(), &Default::default(), 0, 100).unwrap()
    }

    /// A user's current version (for If-Match).
    pub fn get_user_version(&self, id: i64) -> i32 {
        utblick_db::identity::get_user(&mut self.conn(), id).unwrap().unwrap().version
    }

    pub fn audit_count(&self) -> i64 {
        utblick_db::audit::count_audit_events(&mut self.conn(), &Default::default()).unwrap()
    }
}

/// The refresh token a response sets in its `utblick_refresh` cookie (`Some("")` when it
/// clears the cookie).
pub fn refresh_cookie(res: &reqwest::Response) -> Option<String> {
    res.headers().get_all("set-cookie").iter().filter_map(|v| v.to_str().ok()).find_map(|v| {
        let (pair, _) = v.split_once(';').unwrap_or((v, ""));
        pair.strip_prefix("utblick_refresh=").map(str::to_owned)
    })
}

fn chrono_now() -> chrono::NaiveDateTime {
    chrono::Utc::now().naive_utc()
}

/// One hash of [`TEST_PASSWORD`] per process: argon2 is slow on purpose.
fn test_password_hash() -> String {
    static HASH: std::sync::OnceLock<String> = std::sync::OnceLock::new();
    HASH.get_or_init(|| utblick_api::auth::password::hash_blocking(TEST_PASSWORD).unwrap()).clone()
}

/// Asserts a problem+json answer with the given status and code; returns the document.
pub async fn assert_problem(res: reqwest::Response, status: u16, code: &str) -> serde_json::Value {
    let got = res.status().as_u16();
    let ct = res.headers().get("content-type").map(|v| v.to_str().unwrap().to_owned()).unwrap_or_default();
    let url = res.url().to_string();
    let body: serde_json::Value = res.json().await.unwrap_or(serde_json::Value::Null);
    assert_eq!(got, status, "{url}: {body}");
    assert_eq!(ct, "application/problem+json", "{url}");
    assert_eq!(body["code"], code, "{url}: {body}");
    assert_eq!(body["status"], status, "{url}");
    assert_eq!(body["type"], format!("urn:utblick:problem:{code}"), "{url}");
    assert!(body["title"].as_str().is_some_and(|t| !t.is_empty()), "{url}");
    assert!(body["detail"].as_str().is_some_and(|t| !t.is_empty()), "{url}");
    body
}

/// The tool at `path`, or: a loud skip (`None`) outside CI, a failure in CI.
pub fn required_tool(path: &Path, what: &str, how: &str) -> Option<PathBuf> {
    if path.exists() {
        return Some(path.to_path_buf());
    }
    let msg = format!("{what} needs {} which is missing; {how}", path.display());
    if in_ci() {
        panic!("CI is set and {msg}");
    }
    say_loudly(&format!("SKIPPING {msg}"));
    None
}

/// The Python virtualenv with schemathesis and openapi-spec-validator.
pub fn venv_bin(tool: &str) -> PathBuf {
    let venv =
        std::env::var_os("UTBLICK_VENV").map_or_else(|| repo_root().join("target/venv"), PathBuf::from);
    venv.join("bin").join(tool)
}
