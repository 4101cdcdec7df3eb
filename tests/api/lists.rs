//! Every governance list searches by text (ignoring case, Swedish letters included), sorts
//! both ways by its keys, rejects an unknown sort naming the parameter, and exports every
//! match as CSV (BOM, `;`) and JSON; exports stream whole lists longer than a batch.

use reqwest::Method;
use utblick_tests::{TestApp, assert_problem};

crate::on_both_backends!(
    every_list_searches_sorts_and_exports,
    exports_stream_long_lists_whole,
    the_audit_log_searches_sorts_and_exports
);

/// One list under test: its path, a search that must find some but not all of its rows
/// (`found` is the text every hit contains, lower-cased), a text sort key, the CSV header
/// and the export's file name.
struct ListCase {
    path: &'static str,
    q: &'static str,
    found: &'static str,
    sort: &'static str,
    header: &'static str,
    filename: &'static str,
}

const CASES: &[ListCase] = &[
    ListCase {
        path: "/api/v1/organisations",
        q: "%C3%96STRA",
        found: "östra",
        sort: "name",
        header: "id;name;kind;active;parent_id;external_id",
        filename: "organisationer.csv",
    },
    ListCase {
        path: "/api/v1/contacts",
        q: "%C3%85SA",
        found: "åsa",
        sort: "name",
        header: "id;organisation_id;name;title;email;phone;network_role;term_from;term_to;erased_at;archived_at",
        filename: "kontaktpersoner.csv",
    },
    ListCase {
        path: "/api/v1/collaborations",
        // Found by a partner's name.
        q: "%C3%86R%C3%98",
        found: "ærø",
        sort: "name",
        header: "id;kind;name;owner_organisation_id;purpose;period_from;period_to;representative_contact_id;status;status_decision_id;partners;archived_at",
        filename: "samarbeten.csv",
    },
    ListCase {
        path: "/api/v1/twin-towns",
        q: "%C3%86R%C3%98",
        found: "ærø",
        sort: "town",
        header: "id;town;country;region;since;status;status_decision_id;archived_at",
        filename: "vanorter.csv",
    },
    ListCase {
        path: "/api/v1/programmes",
        q: "INTERNATIONELLT",
        found: "internationellt",
        sort: "title",
        header: "id;title;document_id;diarienummer;version;document_type;status;decided_by;published;revise_by;revision_due;revision_overdue",
        filename: "program.csv",
    },
    ListCase {
        path: "/api/v1/frameworks",
        q: "EUROPA",
        found: "europa",
        sort: "name",
        header: "id;code;name;owner;description;adopted_year;overall_goal;goal_count;external_id",
        filename: "malramverk.csv",
    },
    ListCase {
        path: "/api/v1/users",
        q: "READER-",
        found: "reader-",
        sort: "email",
        header: "id;email;display_name;role;organisation_id;active;must_change_password;role_source;single_sign_on;created_at",
        filename: "anvandare.csv",
    },
    ListCase {
        path: "/api/v1/api-tokens",
        q: "KPI:READ",
        found: "kpi:read",
        sort: "name",
        header: "id;name;prefix;scopes;state;created_by_name;created_at;expires_at;last_used_at;revoked_at",
        filename: "api-nycklar.csv",
    },
    ListCase {
        path: "/api/v1/goals",
        q: "KLIMAT",
        found: "klimat",
        sort: "title",
        header: "id;framework_id;scorecard;external_id;number;title;organisation_id;kpi;archived_at",
        filename: "mal.csv",
    },
    ListCase {
        path: "/api/v1/decisions",
        q: "%C3%96VERGRIPANDE",
        found: "övergripande",
        sort: "subject",
        header: "id;body;decided_on;paragraph;diarienummer;subject;link;archived_at",
        filename: "beslut.csv",
    },
];

async fn get(app: &TestApp, t: &str, url: &str) -> reqwest::Response {
    app.req(Method::GET, url, Some(t)).send().await.unwrap()
}

async fn page(app: &TestApp, t: &str, url: &str) -> serde_json::Value {
    let res = get(app, t, url).await;
    assert_eq!(res.status(), 200, "{url}");
    res.json().await.unwrap()
}

fn ids(v: &serde_json::Value) -> Vec<i64> {
    v["items"].as_array().unwrap().iter().map(|i| i["id"].as_i64().unwrap()).collect()
}

async fn every_list_searches_sorts_and_exports(app: TestApp) {
    let admin = app.create_user("admin", None);
    let t = app.login(&admin).await;
    app.create_user("reader", None);
    app.create_api_token("read", admin.id);
    app.create_api_token("kpi:read", admin.id);
    let east = app.create_organisation("Östra förvaltningen");
    let other = app.create_organisation("Bolaget i väst");
    app.create_contact(east, "Åsa Öberg");
    app.create_contact(other, "Bertil Berg");
    app.create_twin_town("Ærøskøbing");
    app.create_twin_town("Zakopane");
    app.create_programme_titled("adopted", "Internationellt arbete");
    app.create_programme("draft");
    app.create_collaboration(other);
    let partnered = serde_json::json!({
        "kind": "collaboration", "name": "Skolutbyte", "owner_organisation_id": east,
        "purpose": "Elevutbyte", "partners": [{"name": "Ærø kommune", "country": "DK", "kind": "municipality"}]
    });
    let res =
        app.req(Method::POST, "/api/v1/collaborations", Some(&t)).json(&partnered).send().await.unwrap();
    assert_eq!(res.status(), 201);
    for (p, subject) in [("1", "ÖVERGRIPANDE program"), ("2", "Vänort i Polen")] {
        let d = serde_json::json!({"body": "council", "decided_on": "2024-05-0".to_owned() + p, "paragraph": p,
            "diarienummer": format!("KF 2024/{p}"), "subject": subject});
        let res = app.req(Method::POST, "/api/v1/decisions", Some(&t)).json(&d).send().await.unwrap();
        assert_eq!(res.status(), 201);
    }
    for (code, name, owner) in
        [("agenda-2030", "Agenda 2030", "Förenta nationerna"), ("europa-2020", "Europa 2020", "EU")]
    {
        let fw = serde_json::json!({"code": code, "name": name, "owner": owner,
            "goals": [{"title": "Mål 1"}]});
        let res = app.req(Method::POST, "/api/v1/frameworks", Some(&t)).json(&fw).send().await.unwrap();
        assert_eq!(res.status(), 201, "{}", res.text().await.unwrap());
    }

    for case in CASES {
        let path = case.path;
        let all = page(&app, &t, &format!("{path}?per_page=100")).await;
        let total = all["total"].as_u64().unwrap();
        assert!(total >= 2, "{path}: the set-up gives at least two rows");

        // Search: some rows, not all, each containing the text.
        let hits = page(&app, &t, &format!("{path}?q={}&per_page=100", case.q)).await;
        let found = hits["items"].as_array().unwrap();
        assert!(!found.is_empty(), "{path}?q={} finds {}", case.q, case.found);
        assert!((found.len() as u64) < total, "{path}?q={} leaves rows out", case.q);
        for item in found {
            assert!(item.to_string().to_lowercase().contains(case.found), "{path}: {item}");
        }

        // Sort: ascending is ordered by the key; descending is its exact reverse.
        let up = page(&app, &t, &format!("{path}?sort={}&per_page=100", case.sort)).await;
        let keys: Vec<String> = up["items"]
            .as_array()
            .unwrap()
            .iter()
            .map(|i| i[case.sort].as_str().unwrap().to_owned())
            .collect();
        let mut sorted = keys.clone();
        sorted.sort();
        assert_eq!(keys, sorted, "{path}?sort={}", case.sort);
        let down = page(&app, &t, &format!("{path}?sort=-{}&per_page=100", case.sort)).await;
        let mut reversed = ids(&up);
        reversed.reverse();
        assert_eq!(ids(&down), reversed, "{path}?sort=-{}", case.sort);
        let bad = get(&app, &t, &format!("{path}?sort=nonsense")).await;
        assert_eq!(
            assert_problem(bad, 400, "invalid-parameter").await["errors"][0]["field"],
            "sort",
            "{path}"
        );

        // CSV export: BOM, the header, one line per row, the file name.
        let res = get(&app, &t, &format!("{path}?format=csv&per_page=1")).await;
        assert_eq!(res.status(), 200, "{path}");
        assert_eq!(res.headers()["content-type"], "text/csv; charset=utf-8", "{path}");
        let disposition = res.headers()["content-disposition"].to_str().unwrap().to_owned();
        assert!(disposition.contains(case.filename), "{path}: {disposition}");
        let bytes = res.bytes().await.unwrap();
        assert_eq!(&bytes[..3], b"\xef\xbb\xbf", "{path}: a UTF-8 BOM");
        let text = String::from_utf8(bytes[3..].to_vec()).unwrap();
        let lines: Vec<&str> = text.split("\r\n").filter(|l| !l.is_empty()).collect();
        assert_eq!(lines[0], case.header, "{path}");
        assert_eq!(lines.len() as u64, total + 1, "{path}: every row, not a page");

        // The export follows the search and the order too.
        let csv_hits = get(&app, &t, &format!("{path}?format=csv&q={}", case.q)).await.text().await.unwrap();
        assert_eq!(csv_hits.trim_end().split("\r\n").count(), found.len() + 1, "{path}");

        // JSON export: every match, in the page's shape.
        let json = page(&app, &t, &format!("{path}?format=json&per_page=1&sort=-{}", case.sort)).await;
        assert_eq!(json["total"].as_u64(), Some(total), "{path}");
        assert_eq!(ids(&json), ids(&down), "{path}: every row, in the asked order");
    }
}

async fn exports_stream_long_lists_whole(app: TestApp) {
    let admin = app.create_user("admin", None);
    let t = app.login(&admin).await;
    // More than two of the export's batches (500 rows).
    for n in 0..1234 {
        app.create_twin_town(&format!("Stad {n:04}"));
    }
    let text = get(&app, &t, "/api/v1/twin-towns?format=csv").await.text().await.unwrap();
    let lines: Vec<&str> = text.trim_start_matches('\u{feff}').trim_end().split("\r\n").collect();
    assert_eq!(lines.len(), 1235, "header and 1234 rows");
    assert!(lines[1].contains(";Stad 0000;"), "{}", lines[1]);
    assert!(lines[1234].contains(";Stad 1233;"), "{}", lines[1234]);

    let json = page(&app, &t, "/api/v1/twin-towns?format=json").await;
    let mut got = ids(&json);
    assert_eq!(got.len(), 1234);
    assert_eq!(json["total"], 1234);
    got.sort_unstable();
    got.dedup();
    assert_eq!(got.len(), 1234, "no row twice across batches");
}

/// The audit log grows as it is read (an export is audited), so its search, order and export
/// are checked on one kind of record.
async fn the_audit_log_searches_sorts_and_exports(app: TestApp) {
    let admin = app.login(&app.create_user("admin", None)).await;
    for p in ["1", "2", "3"] {
        let d = serde_json::json!({"body": "council", "decided_on": "2024-05-01", "paragraph": p,
            "diarienummer": format!("KF 2024/{p}"), "subject": "Vänort"});
        let res = app.req(Method::POST, "/api/v1/decisions", Some(&admin)).json(&d).send().await.unwrap();
        assert_eq!(res.status(), 201);
    }
    let base = "/api/v1/audit-events?entity_type=decision";
    let all = page(&app, &admin, &format!("{base}&per_page=100")).await;
    assert_eq!(all["total"], 3);
    let newest_first = ids(&all);
    assert!(newest_first.windows(2).all(|w| w[0] > w[1]), "newest first by default");
    let up = page(&app, &admin, &format!("{base}&sort=occurred")).await;
    assert_eq!(ids(&up), newest_first.iter().rev().copied().collect::<Vec<_>>());
    let hits = page(&app, &admin, "/api/v1/audit-events?q=DECISION.CREATED&per_page=100").await;
    assert_eq!(hits["total"], 3, "search is case-blind");
    let by_actor = page(&app, &admin, &format!("{base}&sort=-actor")).await;
    assert_eq!(by_actor["total"], 3);
    let res = get(&app, &admin, &format!("{base}&format=csv")).await;
    assert_eq!(res.status(), 200);
    assert!(res.headers()["content-disposition"].to_str().unwrap().contains("granskningslogg.csv"));
    let text = res.text().await.unwrap();
    let lines: Vec<&str> = text.trim_start_matches('\u{feff}').trim_end().split("\r\n").collect();
    assert_eq!(lines.len(), 4, "header and three events");
    assert_eq!(
        lines[0],
        "id;occurred_at;actor_kind;actor_label;action;entity_type;entity_id;entity_version;changes;request_id;client_ip"
    );
    // Personal data left the system: the export is in the log itself.
    let exported = page(&app, &admin, "/api/v1/audit-events?action=audit_event.exported").await;
    assert_eq!(exported["total"], 1);
}
