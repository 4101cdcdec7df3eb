//! Each code list (roles, scopes, kinds, statuses) is defined once, in the domain. The
//! OpenAPI document, the database's CHECK lists and the web's labels follow it: these tests
//! fail when one of them has a code the domain does not, or lacks one it has.

use std::collections::BTreeMap;

use utblick_tests::repo_root;

type Lists = BTreeMap<&'static str, Vec<(&'static str, &'static str, &'static str)>>;

fn lists() -> Lists {
    utblick_api::codes::schema::all().into_iter().collect()
}

fn codes(lists: &Lists, name: &str) -> Vec<String> {
    lists.get(name).unwrap_or_else(|| panic!("no code list {name}")).iter().map(|c| c.0.to_owned()).collect()
}

#[test]
fn every_list_is_an_enum_in_the_spec() {
    let spec = serde_json::to_value(utblick_api::openapi()).unwrap();
    let lists = lists();
    for name in lists.keys() {
        let schema = &spec["components"]["schemas"][name];
        let got: Vec<String> = schema["enum"]
            .as_array()
            .unwrap_or_else(|| panic!("{name} is not an enum in the spec: {schema}"))
            .iter()
            .map(|v| v.as_str().unwrap().to_owned())
            .collect();
        assert_eq!(got, codes(&lists, name), "{name}");
    }
    // And no field documents a code list as a plain string any more: every `status` and
    // `kind` property points at one of the lists.
    for (schema_name, schema) in spec["components"]["schemas"].as_object().unwrap() {
        // (`Health.status` is always "ok", `Readiness.status` "ready"; `Problem.status` is
        // the HTTP status code; `KoladaValue.status` is Kolada's own field, as Kolada has it.)
        if ["Health", "Readiness", "Problem", "KoladaValue"].contains(&schema_name.as_str()) {
            continue;
        }
        // A record with a flattened part is an `allOf`: its own properties are in a member.
        let parts = std::iter::once(schema).chain(schema["allOf"].as_array().into_iter().flatten());
        for (prop, v) in parts.flat_map(|p| p["properties"].as_object().into_iter().flatten()) {
            if ["status", "kind", "role", "state", "body", "decided_by", "document_type"]
                .contains(&prop.as_str())
            {
                let text = v.to_string();
                assert!(
                    text.contains("#/components/schemas/"),
                    "{schema_name}.{prop} is not a code list: {text}"
                );
            }
        }
    }
}

#[test]
fn the_spec_states_the_paragraph_rule_of_the_domain() {
    let spec = serde_json::to_value(utblick_api::openapi()).unwrap();
    let paragraph = &spec["components"]["schemas"]["DecisionBody"]["properties"]["paragraph"];
    assert_eq!(paragraph["pattern"], utblick_domain::governance::PARAGRAPH_PATTERN);
    assert_eq!(paragraph["maxLength"], utblick_domain::governance::PARAGRAPH_MAX);
}

/// `CHECK (column IN ('a', 'b'))` of `table`, in the migrations of one backend.
fn check_list(backend: &str, table: &str, column: &str) -> Vec<String> {
    let dir = repo_root().join("migrations").join(backend);
    let mut found = None;
    let mut entries: Vec<_> = std::fs::read_dir(&dir).unwrap().map(|e| e.unwrap().path()).collect();
    entries.sort();
    for migration in entries {
        let sql = std::fs::read_to_string(migration.join("up.sql")).unwrap();
        let Some(start) = sql.find(&format!("CREATE TABLE {table} (")) else { continue };
        let body = &sql[start..start + sql[start..].find("\n);").unwrap()];
        let needle = format!("CHECK ({column} IN (");
        if let Some(at) = body.find(&needle) {
            let rest = &body[at + needle.len()..];
            let list = &rest[..rest.find(')').unwrap()];
            found = Some(list.split(',').map(|c| c.trim().trim_matches('\'').to_owned()).collect());
        }
    }
    found.unwrap_or_else(|| panic!("{backend}: no CHECK list for {table}.{column}"))
}

#[test]
fn the_database_accepts_exactly_the_domains_codes() {
    let lists = lists();
    let columns = [
        ("users", "role", "Role"),
        ("organisations", "kind", "OrganisationKind"),
        ("decisions", "body", "Body"),
        ("programmes", "status", "ProgrammeStatus"),
        ("programme_work_kinds", "kind", "WorkKind"),
        ("twin_towns", "status", "TwinTownStatus"),
        ("collaborations", "kind", "CollaborationKind"),
        ("collaborations", "status", "CollaborationStatus"),
        ("collaboration_partners", "kind", "PartnerKind"),
        ("projects", "kind", "WorkKind"),
        ("projects", "status", "ProjectStatus"),
        ("project_partners", "kind", "PartnerKind"),
        ("project_partners", "role", "PartnerRole"),
        ("project_funding", "currency", "Currency"),
        ("project_funding", "status", "FundingStatus"),
        ("co_funding_assessments", "outcome", "CoFundingOutcome"),
        ("funding_programmes", "kind", "FundingProgrammeKind"),
        ("activities", "kind", "ActivityKind"),
        ("activities", "organiser", "Organiser"),
        ("elected_officials", "body", "Body"),
        ("leads", "kind", "LeadKind"),
        ("reports", "status", "ReportStatus"),
        ("report_corrections", "figure", "ReportFigure"),
        ("compilations", "status", "CompilationStatus"),
    ];
    for backend in ["sqlite", "postgres"] {
        for (table, column, list) in columns {
            let mut db = check_list(backend, table, column);
            let mut domain = codes(&lists, list);
            db.sort();
            domain.sort();
            assert_eq!(db, domain, "{backend}: {table}.{column} and the domain's {list}");
        }
    }
}

/// `'key': 'text'` pairs of one language's block in web/js/i18n.js.
fn web_labels(lang: &str) -> BTreeMap<String, String> {
    let source = std::fs::read_to_string(repo_root().join("web/js/i18n.js")).unwrap();
    let start = source.find(&format!("\n  {lang}: {{")).unwrap_or_else(|| panic!("no {lang} texts"));
    let block = &source[start..];
    let end = block[1..].find("\n  },").map_or(block.len(), |e| e + 1);
    let mut out = BTreeMap::new();
    for line in block[..end].lines() {
        let line = line.trim();
        let Some(rest) = line.strip_prefix('\'') else { continue };
        let Some((key, value)) = rest.split_once("': ") else { continue };
        let value = value.trim_end_matches(',').trim_matches(|c| c == '\'' || c == '`');
        out.insert(key.to_owned(), value.replace("\\'", "'"));
    }
    out
}

#[test]
fn the_web_names_exactly_the_domains_codes_and_in_swedish_as_the_domain_does() {
    let lists = lists();
    // The prefix of each list's labels in web/js/i18n.js.
    let prefixes = [
        ("Role", "role"),
        ("RoleSource", "rolesource"),
        ("Scope", "scope"),
        ("OrganisationKind", "orgkind"),
        ("TokenState", "tokens.state"),
        ("SecurityEventKind", "security.kind"),
        ("DocumentType", "type"),
        ("Body", "body"),
        ("ProgrammeStatus", "status"),
        ("WorkKind", "kind"),
        ("TwinTownStatus", "twin"),
        ("CollaborationStatus", "collabstatus"),
        ("CollaborationKind", "collab"),
        ("PartnerKind", "partner"),
        ("ProjectStatus", "projstatus"),
        ("PartnerRole", "partnerrole"),
        ("FundingStatus", "fundstatus"),
        ("Currency", "currency"),
        ("CoFundingOutcome", "outcome"),
        ("FundingProgrammeKind", "fundkind"),
        ("ActivityKind", "activity"),
        ("Organiser", "organiser"),
        ("LeadKind", "leadkind"),
        ("ReportStatus", "reportstatus"),
        ("ReportFigure", "figure"),
        ("CompilationStatus", "compstatus"),
        ("ReminderKind", "reminderkind"),
        ("ReminderStatus", "reminderstatus"),
    ];
    assert_eq!(prefixes.len(), lists.len(), "every list has its labels");
    for lang in ["sv", "en"] {
        let labels = web_labels(lang);
        for (list, prefix) in prefixes {
            let keyed: BTreeMap<&str, &str> = labels
                .iter()
                .filter_map(|(k, v)| {
                    let code = k.strip_prefix(prefix)?.strip_prefix('.')?;
                    // `tokens.state.active`, not `tokens.stateX`; no deeper keys.
                    (!code.contains('.') || ["Scope", "SecurityEventKind"].contains(&list))
                        .then_some((code, v.as_str()))
                })
                .collect();
            let mut web: Vec<&str> = keyed.keys().copied().collect();
            let mut domain: Vec<String> = codes(&lists, list);
            web.sort_unstable();
            domain.sort();
            assert_eq!(web, domain, "{lang}: the web's {prefix}.* labels and the domain's {list}");
            if lang == "sv" {
                for (code, sv, _) in &lists[list] {
                    assert_eq!(keyed[code], *sv, "the web's Swedish name of {list} {code}");
                }
            }
        }
    }
}
