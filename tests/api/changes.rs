//! The change feed over HTTP on both backends: read with its cursor while 20 writers create
//! and correct records at once, it yields every change exactly once, in order, each with the
//! version it left; people's accounts and tokens stay out of it, contact persons reach only
//! people; the cursor and the limit are checked.

use std::collections::BTreeSet;
use std::sync::Arc;
use std::sync::atomic::{AtomicBool, Ordering};

use reqwest::Method;
use serde_json::{Value, json};
use utblick_tests::{TestApp, assert_problem};

crate::on_both_backends!(
    the_change_feed_yields_every_change_once_under_concurrent_writers,
    a_change_is_seen_only_after_every_change_numbered_before_it,
    the_change_feed_is_checked_and_kept_to_registers
);

const WRITERS: usize = 20;
const EACH: usize = 3;

/// A change as the feed tells it: cursor, entity, id, action, version.
type Change = (i64, String, String, String, Option<i64>);

async fn read(app: &TestApp, token: &str, after: i64, limit: u32) -> (Vec<Change>, i64) {
    let page = app.get_json_as(&format!("/api/v1/changes?after={after}&limit={limit}"), token).await;
    let changes = page["changes"]
        .as_array()
        .unwrap_or_else(|| panic!("{page}"))
        .iter()
        .map(|c| {
            (
                c["cursor"].as_i64().unwrap(),
                c["entity"].as_str().unwrap().to_owned(),
                c["id"].as_str().unwrap_or_default().to_owned(),
                c["action"].as_str().unwrap().to_owned(),
                c["version"].as_i64(),
            )
        })
        .collect();
    (changes, page["next"].as_i64().unwrap())
}

async fn the_change_feed_yields_every_change_once_under_concurrent_writers(app: TestApp) {
    let app = Arc::new(app);
    let coordinator = app.login(&app.create_user("coordinator", None)).await;
    let (_, reader) = app.create_api_token("read", app.create_user("admin", None).id);
    // Where the feed stands before the writers begin.
    let (mut seen, mut cursor) = (Vec::<Change>::new(), 0);
    loop {
        let (more, next) = read(&app, &reader, cursor, 1000).await;
        cursor = next;
        if more.is_empty() {
            break;
        }
    }
    let start = cursor;

    // 20 writers, each creating decisions and correcting each once, all at the same time,
    // while the feed is read in small pages.
    let done = Arc::new(AtomicBool::new(false));
    let mut writers = Vec::new();
    for w in 0..WRITERS {
        let (app, token) = (app.clone(), coordinator.clone());
        writers.push(tokio::spawn(async move {
            for n in 0..EACH {
                let body = json!({"body": "council", "decided_on": "2026-11-26", "paragraph": format!("§ {}", w * 100 + n),
                    "diarienummer": format!("KS 2026/{}", w * 100 + n + 1), "subject": format!("Beslut {w}-{n}")});
                let res = app.req(Method::POST, "/api/v1/decisions", Some(&token)).json(&body).send().await.unwrap();
                assert_eq!(res.status(), 201, "{}", res.text().await.unwrap());
                let id = res.json::<Value>().await.unwrap()["id"].as_i64().unwrap();
                let res = app
                    .req(Method::PATCH, &format!("/api/v1/decisions/{id}"), Some(&token))
                    .header("If-Match", "\"1\"")
                    .json(&json!({"subject": format!("Beslut {w}-{n}, rättat")}))
                    .send()
                    .await
                    .unwrap();
                assert_eq!(res.status(), 200);
            }
        }));
    }
    let reading = {
        let (app, reader, done) = (app.clone(), reader.clone(), done.clone());
        tokio::spawn(async move {
            let (mut got, mut cursor) = (Vec::<Change>::new(), start);
            loop {
                let finished = done.load(Ordering::SeqCst);
                let (page, next) = read(&app, &reader, cursor, 7).await;
                let empty = page.is_empty();
                got.extend(page);
                cursor = next;
                if finished && empty {
                    return got;
                }
                if empty {
                    tokio::time::sleep(std::time::Duration::from_millis(3)).await;
                }
            }
        })
    };
    for w in writers {
        w.await.unwrap();
    }
    done.store(true, Ordering::SeqCst);
    seen.extend(reading.await.unwrap());

    // Every change exactly once, in order: the same as the audit log holds, read at rest.
    let cursors: Vec<i64> = seen.iter().map(|c| c.0).collect();
    assert!(cursors.windows(2).all(|w| w[0] < w[1]), "in order, none twice");
    let decisions: Vec<&Change> = seen.iter().filter(|c| c.1 == "decision").collect();
    assert_eq!(decisions.len(), WRITERS * EACH * 2, "every create and correction");
    let created = decisions.iter().filter(|c| c.3 == "decision.created" && c.4 == Some(1)).count();
    let updated = decisions.iter().filter(|c| c.3 == "decision.updated" && c.4 == Some(2)).count();
    assert_eq!((created, updated), (WRITERS * EACH, WRITERS * EACH), "each with the version it left");
    let filter =
        utblick_db::audit::AuditFilter { entity_type: Some("decision".into()), ..Default::default() };
    let logged: BTreeSet<i64> =
        utblick_db::audit::list_audit_events(&mut app.db.connect(), &filter, 0, 10_000)
            .unwrap()
            .into_iter()
            .filter(|e| e.id > start)
            .map(|e| e.id)
            .collect();
    let fed: BTreeSet<i64> = decisions.iter().map(|c| c.0).collect();
    assert_eq!(fed, logged, "no change passed over");
}

async fn the_change_feed_is_checked_and_kept_to_registers(app: TestApp) {
    let org = app.create_organisation("Kultur- och fritidsförvaltningen");
    let admin = app.create_user("admin", None);
    let (_, reader) = app.create_api_token("read", admin.id);
    let person = app.login(&app.create_user("reader", None)).await;
    let admin_token = app.login(&admin).await;
    app.create_contact(org, "Eva Lund");
    let res = app
        .req(Method::POST, "/api/v1/users", Some(&admin_token))
        .json(&json!({"email": "ny@tranas.se", "display_name": "Ny Person", "role": "reader",
            "password": utblick_tests::TEST_PASSWORD}))
        .send()
        .await
        .unwrap();
    assert_eq!(res.status(), 201);
    let res = app
        .req(Method::POST, "/api/v1/contacts", Some(&admin_token))
        .json(&json!({"organisation_id": org, "name": "Per Holm", "email": "per.holm@tranas.se"}))
        .send()
        .await
        .unwrap();
    assert_eq!(res.status(), 201, "{}", res.text().await.unwrap());

    let (by_token, _) = read(&app, &reader, 0, 1000).await;
    let (by_person, _) = read(&app, &person, 0, 1000).await;
    let kinds = |cs: &[Change]| cs.iter().map(|c| c.1.clone()).collect::<BTreeSet<_>>();
    assert!(kinds(&by_person).contains("contact"), "people read the contact network's changes");
    assert!(!kinds(&by_token).contains("contact"), "machines never read personal data");
    for forbidden in ["user", "session", "api_token"] {
        assert!(!kinds(&by_person).contains(forbidden), "{forbidden} stays in the audit log");
    }
    // Paging: `next` goes on where a full page ended.
    let (first, next) = read(&app, &person, 0, 1).await;
    assert_eq!(first.len(), 1);
    assert_eq!(next, first[0].0);
    let page = app.get_json_as("/api/v1/changes?after=0&limit=1", &person).await;
    assert_eq!(page["more"], true);

    for bad in ["after=-1", "after=x", "limit=0", "limit=1001", "cursor=1"] {
        let res =
            app.req(Method::GET, &format!("/api/v1/changes?{bad}"), Some(&person)).send().await.unwrap();
        assert_problem(res, 400, "invalid-parameter").await;
    }
    assert_eq!(app.request(Method::GET, "/api/v1/changes").await.status(), 401);
}

/// The property the cursor rests on, tested where it could break: a change numbered after one
/// still uncommitted does not become visible first. Writer A records a change and holds its
/// transaction open; writer B records one after it; a reader looking meanwhile sees neither
/// (B waits for A), so a cursor moved to B's change could never pass over A's.
async fn a_change_is_seen_only_after_every_change_numbered_before_it(app: TestApp) {
    use std::sync::mpsc::channel;
    use utblick_db::Connection;
    let event = |what: &str| {
        utblick_app::AuditContext::system("test").event(
            chrono::Utc::now().naive_utc(),
            "decision.updated",
            "decision",
            Some(what.to_owned()),
            json!({}),
        )
    };
    let visible = |conn: &mut utblick_db::DbConn, after: i64| -> Vec<(i64, Option<String>)> {
        utblick_db::audit::changes_after(conn, after, &["decision"], 100)
            .unwrap()
            .into_iter()
            .map(|e| (e.id, e.entity_id))
            .collect()
    };
    let mut reader = app.db.connect();
    let start = utblick_db::audit::changes_after(&mut reader, 0, &["decision"], 100_000)
        .unwrap()
        .last()
        .map_or(0, |e| e.id);

    let (inserted, wait_inserted) = channel::<()>();
    let (commit, wait_commit) = channel::<()>();
    let mut a = app.db.connect();
    let ea = event("A");
    let writer_a = std::thread::spawn(move || {
        a.transaction::<_, utblick_db::DbError, _>(|c| {
            utblick_db::audit::insert_audit_event(c, &ea)?;
            inserted.send(()).unwrap();
            wait_commit.recv().unwrap();
            Ok(())
        })
        .unwrap();
    });
    wait_inserted.recv().unwrap();
    let mut b = app.db.connect();
    let eb = event("B");
    let writer_b = std::thread::spawn(move || {
        b.transaction::<_, utblick_db::DbError, _>(|c| utblick_db::audit::insert_audit_event(c, &eb))
            .unwrap();
    });
    // B has had every chance to commit; were it allowed to before A, the reader would see it.
    tokio::time::sleep(std::time::Duration::from_millis(400)).await;
    assert_eq!(visible(&mut reader, start), vec![], "nothing before A commits");
    commit.send(()).unwrap();
    writer_a.join().unwrap();
    writer_b.join().unwrap();
    let seen = visible(&mut reader, start);
    let names: Vec<Option<&str>> = seen.iter().map(|(_, id)| id.as_deref()).collect();
    assert_eq!(names, [Some("A"), Some("B")], "both, A first");
}
