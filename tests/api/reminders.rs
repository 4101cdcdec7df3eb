//! The reminder e-mails arrive at a real SMTP server (aiosmtpd, `tests/smtp_sink.py`, from
//! the test venv) with the right recipients, in Swedish, with a link to the report; each goes
//! once; and the coordinator's overview says who was reminded when. On both backends.

use std::path::{Path, PathBuf};
use std::time::{Duration, Instant};

use reqwest::Method;
use tokio::io::AsyncBufReadExt;
use utblick_tests::{Backend, TestApp, repo_root, required_tool, venv_bin};

/// A running SMTP sink; stops when dropped (its standard input closes, the process is killed).
struct Sink {
    _process: tokio::process::Child,
    dir: PathBuf,
    port: u16,
}

async fn sink(python: &Path) -> Sink {
    let port = std::net::TcpListener::bind("127.0.0.1:0").unwrap().local_addr().unwrap().port();
    let dir = std::env::temp_dir().join(format!("utblick-mail-{}", utblick_tests::unique()));
    let mut process = tokio::process::Command::new(python)
        .arg(repo_root().join("tests/smtp_sink.py"))
        .arg(port.to_string())
        .arg(&dir)
        .stdin(std::process::Stdio::piped())
        .stdout(std::process::Stdio::piped())
        .kill_on_drop(true)
        .spawn()
        .unwrap();
    let mut lines = tokio::io::BufReader::new(process.stdout.take().unwrap()).lines();
    let ready = tokio::time::timeout(Duration::from_secs(20), lines.next_line()).await;
    assert_eq!(ready.unwrap().unwrap().as_deref(), Some("ready"), "the SMTP sink did not start");
    Sink { _process: process, dir, port }
}

impl Sink {
    fn received(&self) -> Vec<serde_json::Value> {
        let mut files: Vec<PathBuf> = std::fs::read_dir(&self.dir)
            .map(|d| d.filter_map(Result::ok).map(|e| e.path()).collect())
            .unwrap_or_default();
        files.retain(|p| p.extension().is_some_and(|e| e == "json"));
        files.sort();
        files.iter().map(|p| serde_json::from_str(&std::fs::read_to_string(p).unwrap()).unwrap()).collect()
    }

    async fn wait_for(&self, n: usize) -> Vec<serde_json::Value> {
        let start = Instant::now();
        loop {
            let got = self.received();
            if got.len() >= n || start.elapsed() > Duration::from_secs(30) {
                return got;
            }
            tokio::time::sleep(Duration::from_millis(100)).await;
        }
    }
}

impl Drop for Sink {
    fn drop(&mut self) {
        let _ = std::fs::remove_dir_all(&self.dir);
    }
}

async fn reminders_arrive_in_swedish_with_a_link_once_each(backend: Backend, python: &Path) {
    let sink = sink(python).await;
    let port = sink.port;
    let Some(app) = TestApp::spawn_with(backend, |s| {
        s.mail.smtp_url = Some(format!("smtp://127.0.0.1:{port}").into());
        s.mail.from = "Utblick <utblick@tranas.se>".into();
        s.mail.public_url = "https://utblick.tranas.se/".into();
        s.mail.interval_seconds = 1;
    })
    .await
    else {
        return;
    };
    let tekniska = app.create_organisation("Tekniska förvaltningen");
    let energi = app.create_organisation("Tranås Energi AB");
    let contact = app.create_contact(tekniska, "Karin Ek");
    let address =
        utblick_db::contacts::get_contact(&mut app.db.connect(), contact).unwrap().unwrap().email.unwrap();
    let coordinator = app.login(&app.create_user("coordinator", None)).await;

    // Three years open (a year's deadline falls in it or the year after): one due in 400
    // days (opened), one in three days (a week left), one due yesterday (overdue).
    use chrono::Datelike;
    let today = chrono::Utc::now().date_naive();
    let due = |days: i64| today + chrono::Duration::days(days);
    let mut years = Vec::new();
    for (year, deadline) in
        [(due(400).year(), due(400)), (due(3).year(), due(3)), (due(-1).year() - 1, due(-1))]
    {
        let res = app
            .req(Method::POST, "/api/v1/reporting-years", Some(&coordinator))
            .json(&serde_json::json!({"year": year, "deadline": deadline}))
            .send()
            .await
            .unwrap();
        assert_eq!(res.status(), 201, "{backend:?}: {}", res.text().await.unwrap());
        years.push((year, deadline, res.json::<serde_json::Value>().await.unwrap()));
    }
    let mail = sink.wait_for(3).await;
    assert_eq!(mail.len(), 3, "{backend:?}: {mail:?}");
    let mut subjects: Vec<&str> = mail.iter().map(|m| m["subject"].as_str().unwrap()).collect();
    subjects.sort_unstable();
    let ((opened, _, _), (soon, soon_deadline, _), (late, late_deadline, _)) =
        (&years[0], &years[1], &years[2]);
    let mut want = [
        format!("Påminnelse: årsrapporten {soon} ska lämnas senast {soon_deadline}"),
        format!("Årsrapporten {late} är försenad"),
        format!("Årsrapporten {opened} om internationellt arbete kan nu skrivas"),
    ];
    want.sort_unstable();
    assert_eq!(subjects, want, "{backend:?}");
    for m in &mail {
        assert_eq!(m["rcpt_tos"], serde_json::json!([address]), "{backend:?}: only the contact person");
        assert_eq!(m["to"], format!("Karin Ek <{address}>"), "{backend:?}");
        assert_eq!(m["from"], "Utblick <utblick@tranas.se>", "{backend:?}");
        let body = m["body"].as_str().unwrap();
        assert!(body.starts_with("Hej!") && body.contains("Tekniska förvaltningen"), "{backend:?}: {body}");
        assert!(body.contains("Utblick, Tranås kommun"), "{backend:?}: {body}");
    }
    let overdue = mail.iter().find(|m| m["subject"] == want[1].as_str()).unwrap();
    let late_report =
        years[2].2["reports"].as_array().unwrap().iter().find(|r| r["organisation_id"] == tekniska).unwrap()
            ["id"]
            .as_i64()
            .unwrap();
    let body = overdue["body"].as_str().unwrap();
    assert!(body.contains(&format!("https://utblick.tranas.se/reports.html?report={late_report}")), "{body}");
    assert!(body.contains(&late_deadline.to_string()), "{body}");

    // Who was reminded when: the coordinator's overview, once the round has recorded it (a
    // message reaches the sink before the server hears the sink's answer and records it).
    let start = Instant::now();
    let y = loop {
        let y = app.get_json_as(&format!("/api/v1/reporting-years/{}", years[2].2["id"]), &coordinator).await;
        let recorded = y["reports"].as_array().unwrap().iter().all(|r| {
            r["reminders"]
                .as_array()
                .is_some_and(|m| !m.is_empty() && m.iter().all(|m| m["status"] != "sending"))
        });
        if recorded || start.elapsed() > Duration::from_secs(30) {
            break y;
        }
        tokio::time::sleep(Duration::from_millis(100)).await;
    };
    let reports = y["reports"].as_array().unwrap();
    let of = |org: i64| reports.iter().find(|r| r["organisation_id"] == org).unwrap()["reminders"].clone();
    let sent = of(tekniska);
    assert_eq!(sent[0]["kind"], "overdue", "{backend:?}: {y}");
    assert_eq!(sent[0]["status"], "sent", "{backend:?}: {y}");
    assert_eq!(sent[0]["recipients"], serde_json::json!([address]), "{backend:?}");
    assert!(sent[0]["at"].as_str().unwrap().starts_with(&today.to_string()), "{backend:?}: {y}");
    assert_eq!(of(energi)[0]["status"], "no_recipients", "{backend:?}: {y}");

    // Once each: a few rounds later nothing more has arrived.
    tokio::time::sleep(Duration::from_millis(2_500)).await;
    assert_eq!(sink.received().len(), 3, "{backend:?}");
    app.stop().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn reminder_emails_arrive_at_a_real_smtp_server() {
    let Some(python) = required_tool(
        &venv_bin("python"),
        "the reminder e-mail test",
        "run ./scripts/test, which installs aiosmtpd into target/venv",
    ) else {
        return;
    };
    for backend in [Backend::Sqlite, Backend::Postgres] {
        reminders_arrive_in_swedish_with_a_link_once_each(backend, &python).await;
    }
}
