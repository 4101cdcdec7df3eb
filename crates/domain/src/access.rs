//! Who may do what: roles, API token scopes, e-mail addresses, the password policy, and the
//! one function that decides every access question ([`authorize`]).

use crate::error::{FieldError, ValidationErrors};
use crate::text::NonEmptyText;

code_enum! {
    /// A person's role. Reporters are bound to one organisation.
    Role, "role" {
        /// Everything, including users and API tokens.
        Admin = "admin", "Administratör", "Administrator";
        /// The central international function: the whole programme domain, every
        /// organisation's data, compilations; no user administration.
        Coordinator = "coordinator", "Samordnare", "Coordinator";
        /// A contact person: edits their own organisation's data only.
        Reporter = "reporter", "Rapportör", "Reporter";
        /// Politicians and managers: read everything, change nothing.
        Reader = "reader", "Läsare", "Reader";
    }
}

code_enum! {
    /// What an API token (a machine: the styrkort system, IT scripts) may do.
    Scope, "scopes" {
        /// Read what signed-in readers read (no personal data).
        Read = "read", "Läsa", "Read";
        /// Export lists.
        Export = "export", "Exportera", "Export";
        /// Read the computed KPIs.
        KpiRead = "kpi:read", "Läsa styrtal", "Read KPIs";
        /// Push goals from the scorecard system.
        GoalsWrite = "goals:write", "Skriva mål", "Write goals";
        /// Import data.
        Import = "import", "Importera", "Import";
    }
}

code_enum! {
    /// The kinds of organisation in a municipality.
    OrganisationKind, "kind" {
        /// Förvaltning.
        Administration = "administration", "Förvaltning", "Administration";
        /// Kommunalt bolag.
        Company = "company", "Bolag", "Municipal company";
        /// The central international function.
        CentralFunction = "central_function", "Central funktion", "Central function";
    }
}

code_enum! {
    /// Whether an API token works now.
    TokenState, "state" {
        /// It works.
        Active = "active", "Giltig", "Valid";
        /// Its expiry date has passed.
        Expired = "expired", "Utgången", "Expired";
        /// An administrator revoked it.
        Revoked = "revoked", "Återkallad", "Revoked";
    }
}

code_enum! {
    /// A kind of security event: a refusal anyone could cause, kept for a while in the
    /// security-event log (not the audit log).
    SecurityEventKind, "kind" {
        /// A sign-in with a wrong password, an unknown or a deactivated account.
        LoginFailed = "login.failed", "Misslyckad inloggning", "Failed sign-in";
        /// A sign-in refused unchecked: too many failures for the account or the address.
        LoginThrottled = "login.throttled", "Spärrad inloggning", "Blocked sign-in";
        /// A refresh token that was unknown, spent or of an ended session.
        RefreshRefused = "refresh.refused", "Avvisad förnyelse av inloggning", "Refused sign-in renewal";
        /// A request carrying the refresh cookie without the CSRF header, or from another site.
        CsrfRefused = "csrf.refused", "Avvisad begäran från annan webbplats", "Refused request from another site";
        /// A sign-out from the identity provider (back-channel) whose logout token is refused.
        LogoutRefused = "logout.refused", "Avvisad utloggning från identitetsleverantören", "Refused sign-out from the identity provider";
    }
}

/// The state of a token revoked (or not) and expiring (or not), seen at `now`. Tokens
/// belong to the integration they serve (the styrkort system, an IT script), not to the
/// person who created them: they keep working when that person's account is deactivated,
/// until an administrator revokes them.
pub fn token_state(
    revoked: bool,
    expires_at: Option<chrono::NaiveDateTime>,
    now: chrono::NaiveDateTime,
) -> TokenState {
    if revoked {
        TokenState::Revoked
    } else if expires_at.is_some_and(|e| e <= now) {
        TokenState::Expired
    } else {
        TokenState::Active
    }
}

impl Scope {
    /// Parses a list of scopes; at least one, no repeats.
    pub fn parse_list<'a>(raw: impl IntoIterator<Item = &'a str>) -> Result<Vec<Scope>, FieldError> {
        let mut out: Vec<Scope> = Vec::new();
        for s in raw {
            let scope = Scope::parse(s)?;
            if !out.contains(&scope) {
                out.push(scope);
            }
        }
        if out.is_empty() {
            return Err(FieldError::rule(
                "scopes",
                "required",
                "a token needs at least one scope",
                "en nyckel behöver minst en behörighet",
            ));
        }
        out.sort();
        Ok(out)
    }
}

/// A work e-mail address, trimmed and lower-cased (so one person has one account).
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct Email(String);

impl Email {
    pub fn parse(raw: &str) -> Result<Self, FieldError> {
        let s = raw.trim().to_lowercase();
        let bad = || {
            FieldError::rule(
                "email",
                "email",
                "must be an e-mail address like namn.efternamn@kommun.se",
                "ska vara en e-postadress som namn.efternamn@kommun.se",
            )
        };
        if s.is_empty()
            || s.len() > 254
            || s.chars().any(|c| c.is_whitespace() || c.is_control() || crate::text::is_invisible(c))
        {
            return Err(bad());
        }
        // The address's syntax is validator's (the HTML standard's e-mail rule, the domain a
        // host name or an address literal); a work address also has a dotted domain.
        let (_, domain) = s.split_once('@').ok_or_else(bad)?;
        if !validator::ValidateEmail::validate_email(&s) || !domain.contains('.') || domain.ends_with('.') {
            return Err(bad());
        }
        Ok(Self(s))
    }

    pub fn as_str(&self) -> &str {
        &self.0
    }
}

/// The password policy (OWASP ASVS 5.0 level 2): at least 12 characters, at most 128,
/// not one of the commonly used passwords, not a single repeated character. No rules on
/// character classes: length is what makes a password strong.
pub fn check_password(raw: &str) -> Result<(), FieldError> {
    let n = raw.chars().count();
    if n < 12 {
        return Err(FieldError::rule(
            "password",
            "too_short",
            "must be at least 12 characters",
            "ska vara minst 12 tecken",
        ));
    }
    if n > 128 {
        return Err(FieldError::rule(
            "password",
            "too_long",
            "must be at most 128 characters",
            "får vara högst 128 tecken",
        ));
    }
    let lower = raw.to_lowercase();
    let mut chars = lower.chars();
    let first = chars.next();
    if chars.all(|c| Some(c) == first) {
        return Err(FieldError::rule(
            "password",
            "weak_password",
            "must not be one character repeated",
            "får inte vara ett och samma tecken upprepat",
        ));
    }
    if COMMON_PASSWORDS.iter().any(|p| *p == lower) || is_sequence(&lower) {
        return Err(FieldError::rule(
            "password",
            "weak_password",
            "is too common; choose a longer phrase of your own",
            "är för vanligt; välj en längre egen fras",
        ));
    }
    Ok(())
}

/// A new password for someone who knows their current one: it follows the policy
/// ([`check_password`]) and is not the current password.
pub fn check_new_password(current: &str, new: &str) -> Result<(), FieldError> {
    check_password(new).map_err(|e| e.named("new_password"))?;
    if new == current {
        return Err(FieldError::rule(
            "new_password",
            "same_password",
            "must differ from your current password",
            "ska skilja sig från ditt nuvarande lösenord",
        ));
    }
    Ok(())
}

/// The current password given with a change must be the account's.
pub fn check_current_password(matches: bool) -> Result<(), FieldError> {
    if matches {
        return Ok(());
    }
    Err(FieldError::rule(
        "current_password",
        "wrong_password",
        "is not your current password",
        "är inte ditt nuvarande lösenord",
    ))
}

fn is_sequence(s: &str) -> bool {
    const RUNS: [&str; 3] =
        ["0123456789012345678901234567890", "abcdefghijklmnopqrstuvwxyzåäö", "qwertyuiopåasdfghjklöäzxcvbnm"];
    RUNS.iter().any(|run| run.contains(s))
}

/// Passwords of 12 or more characters seen most often in leaked lists, and the obvious
/// local ones. (Shorter ones are refused by length already.)
const COMMON_PASSWORDS: &[&str] = &[
    "123456789012",
    "1234567890123",
    "12345678910",
    "password1234",
    "password12345",
    "password123456",
    "passwordpassword",
    "qwertyuiop123",
    "qwerty123456",
    "iloveyou1234",
    "welcome12345",
    "administrator",
    "administrator1",
    "changeme1234",
    "letmein12345",
    "sommar2024!!",
    "sommaren2024",
    "sommaren2025",
    "sommaren2026",
    "vinter2026!!",
    "lösenord1234",
    "losenord1234",
    "lösenordet123",
    "tranåskommun",
    "tranaskommun",
    "tranås kommun",
    "kommunen1234",
    "utblick12345",
    "utblickutblick",
    "internationellt",
];

/// A display name: present, at most 200 characters.
pub fn parse_display_name(raw: &str) -> Result<NonEmptyText, FieldError> {
    NonEmptyText::title("display_name", raw)
}

/// Who is acting.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Principal {
    /// No credentials: the public.
    Anonymous,
    /// A signed-in person.
    User { id: i64, role: Role, organisation_id: Option<i64> },
    /// A machine with an API token.
    Token { id: i64, scopes: Vec<Scope> },
    /// IT at the server's own command line (`utblick export`, `utblick user …`): whoever
    /// runs it already holds the database's credentials, so it may do what an administrator
    /// may — but it is no person, so it has no account of its own to act on.
    CommandLine,
}

/// What is attempted.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Action {
    /// Read what the municipality has published (the adopted programme, frameworks).
    ReadPublished,
    /// Read what signed-in users read: drafts, the organisation register (no personal data).
    ReadInternal,
    /// Read personal data (the contact network): signed-in people only, never machines.
    ReadPersonalData,
    /// Change the programme domain: programmes, frameworks, organisations, decisions.
    EditProgrammeDomain,
    /// Change one organisation's own data (its contacts, projects, report).
    EditOrganisationData { organisation_id: i64 },
    /// Manage people's accounts.
    ManageUsers,
    /// Manage API tokens.
    ManageTokens,
    /// Read the audit log.
    ReadAudit,
    /// Read the security-event log (failed sign-ins and other refusals).
    ReadSecurityLog,
    /// Act on one's own account (profile, password, logout).
    OwnAccount,
    /// Export lists.
    Export,
    /// Read KPIs.
    ReadKpi,
    /// Push scorecard goals.
    WriteGoals,
    /// Import data.
    Import,
    /// Run the annual reporting: open a reporting year, return or approve reports, compile.
    CoordinateReporting,
}

/// The answer to an access question.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Decision {
    Allow,
    /// Credentials are needed (HTTP 401).
    Unauthenticated,
    /// These credentials may not (HTTP 403).
    Forbidden,
}

/// Decides every access question, in one place.
pub fn authorize(who: &Principal, what: Action) -> Decision {
    use Action as A;
    use Decision::{Allow, Forbidden, Unauthenticated};
    let yes = |b: bool| if b { Allow } else { Forbidden };
    match who {
        Principal::Anonymous => match what {
            A::ReadPublished => Allow,
            _ => Unauthenticated,
        },
        Principal::User { role, organisation_id, .. } => match what {
            A::ReadPublished
            | A::ReadInternal
            | A::ReadPersonalData
            | A::OwnAccount
            | A::ReadKpi
            | A::Export => Allow,
            A::EditProgrammeDomain | A::ReadAudit | A::WriteGoals | A::CoordinateReporting => {
                yes(matches!(role, Role::Admin | Role::Coordinator))
            }
            A::EditOrganisationData { organisation_id: target } => yes(match role {
                Role::Admin | Role::Coordinator => true,
                Role::Reporter => *organisation_id == Some(target),
                Role::Reader => false,
            }),
            A::ManageUsers | A::ManageTokens | A::Import | A::ReadSecurityLog => yes(*role == Role::Admin),
        },
        Principal::Token { scopes, .. } => {
            let has = |s: Scope| scopes.contains(&s);
            match what {
                A::ReadPublished => Allow,
                A::ReadInternal => yes(has(Scope::Read)),
                A::Export => yes(has(Scope::Export)),
                A::ReadKpi => yes(has(Scope::KpiRead)),
                A::WriteGoals => yes(has(Scope::GoalsWrite)),
                A::Import => yes(has(Scope::Import)),
                // People's work is done by people, and personal data stays with people.
                A::ReadPersonalData
                | A::EditProgrammeDomain
                | A::EditOrganisationData { .. }
                | A::CoordinateReporting
                | A::ManageUsers
                | A::ManageTokens
                | A::ReadAudit
                | A::ReadSecurityLog
                | A::OwnAccount => Forbidden,
            }
        }
        Principal::CommandLine => match what {
            A::OwnAccount => Forbidden,
            _ => Allow,
        },
    }
}

/// Whether `who` may read the KPIs (the API's and the Kolada-shaped feed): anyone when the
/// administrator has published the feed, else as [`authorize`] says of [`Action::ReadKpi`]
/// (signed-in people and `kpi:read` tokens). The KPIs are aggregates of public records; a
/// municipality may well publish them, as Kolada does.
pub fn may_read_kpis(who: &Principal, published: bool) -> Decision {
    if published { Decision::Allow } else { authorize(who, Action::ReadKpi) }
}

/// The records whose changes the change feed carries: the registers an integration syncs.
/// Sign-ins, sessions, reminders, exports and people's accounts and API tokens are the audit
/// log's alone.
pub const CHANGE_FEED_ENTITIES: &[&str] = &[
    "programme",
    "framework",
    "scorecard",
    "goal",
    "organisation",
    "decision",
    "twin_town",
    "collaboration",
    "contact",
    "funding_programme",
    "project",
    "elected_official",
    "activity",
    "lead",
    "reporting_year",
    "report",
    "compilation",
    "attachment",
    "settings",
];

/// The kinds of record whose changes `who` reads in the change feed (which needs
/// [`Action::ReadInternal`]): [`CHANGE_FEED_ENTITIES`], contact persons only for those who
/// read personal data.
pub fn change_feed_entities(who: &Principal) -> Vec<&'static str> {
    let personal = authorize(who, Action::ReadPersonalData) == Decision::Allow;
    CHANGE_FEED_ENTITIES.iter().copied().filter(|e| *e != "contact" || personal).collect()
}

/// Whether `who`, who reads the audit log, may see what an event of `entity_type` changed:
/// events about people's accounts and sessions only for those who manage users, about API
/// tokens only for those who manage tokens, about contact persons only for those who read
/// personal data. Everyone who reads the log sees that the event happened, and who did it.
pub fn may_read_audit_details(who: &Principal, entity_type: &str) -> bool {
    let needs = match entity_type {
        "user" | "session" => Action::ManageUsers,
        "api_token" => Action::ManageTokens,
        "contact" => Action::ReadPersonalData,
        _ => Action::ReadAudit,
    };
    authorize(who, needs) == Decision::Allow
}

/// Reporters belong to one organisation; other roles to none or any.
/// A new API token as an administrator asks for it, checked: a name, at least one scope
/// (each once, in order), and an expiry in the future if any.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct NewToken {
    pub name: NonEmptyText,
    pub scopes: Vec<Scope>,
    pub expires_at: Option<chrono::NaiveDateTime>,
}

impl NewToken {
    pub fn parse(
        name: &str,
        scopes: &[Scope],
        expires_at: Option<chrono::NaiveDateTime>,
        now: chrono::NaiveDateTime,
    ) -> Result<Self, ValidationErrors> {
        let mut c = crate::error::Collector::new();
        let name = c.take(NonEmptyText::title("name", name));
        let mut scopes = scopes.to_vec();
        scopes.sort();
        scopes.dedup();
        if scopes.is_empty() {
            c.push(FieldError::rule(
                "scopes",
                "required",
                "a token needs at least one scope",
                "en nyckel behöver minst en behörighet",
            ));
        }
        if let Some(e) = expires_at {
            if e <= now {
                c.push(FieldError::rule(
                    "expires_at",
                    "in_the_past",
                    "must be in the future",
                    "ska ligga i framtiden",
                ));
            }
            c.take(crate::date::check_moment("expires_at", e));
        }
        c.finish()?;
        let name = name.ok_or_else(|| ValidationErrors::single("name", "is invalid"))?;
        Ok(Self { name, scopes, expires_at })
    }
}

/// An administrator cannot lock themselves out: deactivating or demoting one's own account
/// is left to another administrator. `acting` is the signed-in person's id.
pub fn check_own_account_change(
    acting: Option<i64>,
    target: i64,
    role: Role,
    active: bool,
) -> Result<(), FieldError> {
    if acting != Some(target) || (active && role == Role::Admin) {
        return Ok(());
    }
    Err(FieldError::rule(
        if active { "role" } else { "active" },
        "own_account",
        "you cannot deactivate or demote yourself; ask another administrator",
        "du kan inte inaktivera eller degradera dig själv; be en annan administratör",
    )
    .of_state())
}

/// One's own password is changed under one's own account (with the current password), not
/// reset by oneself as an administrator.
pub fn check_reset_of_other(acting: Option<i64>, target: i64) -> Result<(), FieldError> {
    if acting == Some(target) {
        Err(FieldError::rule(
            "id",
            "own_account",
            "change your own password under your account instead",
            "byt ditt eget lösenord under ditt konto i stället",
        )
        .of_state())
    } else {
        Ok(())
    }
}

pub fn check_role_binding(role: Role, organisation_id: Option<i64>) -> Result<(), FieldError> {
    match (role, organisation_id) {
        (Role::Reporter, None) => Err(FieldError::rule(
            "organisation_id",
            "required",
            "a reporter belongs to one organisation; choose it",
            "en rapportör hör till en organisation; välj den",
        )),
        _ => Ok(()),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_new_token_has_a_name_a_scope_and_a_future_expiry() {
        let now = chrono::NaiveDate::from_ymd_opt(2026, 11, 28).unwrap().and_hms_opt(12, 0, 0).unwrap();
        let t = NewToken::parse("Styrkort", &[Scope::Read, Scope::KpiRead, Scope::Read], None, now).unwrap();
        assert_eq!(t.scopes, [Scope::Read, Scope::KpiRead]);
        let e = NewToken::parse(" ", &[], Some(now), now).unwrap_err();
        let fields: Vec<_> = e.0.iter().map(|f| f.field.as_str()).collect();
        assert_eq!(fields, ["name", "scopes", "expires_at"]);
    }

    #[test]
    fn administrators_cannot_lock_themselves_out() {
        assert!(check_own_account_change(Some(1), 1, Role::Admin, true).is_ok());
        assert_eq!(check_own_account_change(Some(1), 1, Role::Reader, true).unwrap_err().field, "role");
        assert_eq!(check_own_account_change(Some(1), 1, Role::Admin, false).unwrap_err().field, "active");
        assert!(check_own_account_change(Some(1), 2, Role::Reader, false).is_ok());
        assert!(check_own_account_change(None, 2, Role::Reader, false).is_ok());
        assert!(check_reset_of_other(Some(1), 1).is_err());
        assert!(check_reset_of_other(Some(1), 2).is_ok());
    }
    use proptest::prelude::*;

    fn user(role: Role, org: Option<i64>) -> Principal {
        Principal::User { id: 1, role, organisation_id: org }
    }

    #[test]
    fn anonymous_reads_only_what_is_published() {
        assert_eq!(authorize(&Principal::Anonymous, Action::ReadPublished), Decision::Allow);
        for a in [Action::ReadInternal, Action::EditProgrammeDomain, Action::ManageUsers, Action::OwnAccount]
        {
            assert_eq!(authorize(&Principal::Anonymous, a), Decision::Unauthenticated, "{a:?}");
        }
    }

    #[test]
    fn a_reporter_edits_only_their_own_organisation() {
        let r = user(Role::Reporter, Some(7));
        assert_eq!(authorize(&r, Action::EditOrganisationData { organisation_id: 7 }), Decision::Allow);
        assert_eq!(authorize(&r, Action::EditOrganisationData { organisation_id: 8 }), Decision::Forbidden);
        assert_eq!(authorize(&r, Action::EditProgrammeDomain), Decision::Forbidden);
        assert_eq!(authorize(&r, Action::ReadInternal), Decision::Allow);
    }

    #[test]
    fn coordinators_edit_the_domain_but_not_users() {
        let c = user(Role::Coordinator, None);
        assert_eq!(authorize(&c, Action::EditProgrammeDomain), Decision::Allow);
        assert_eq!(authorize(&c, Action::EditOrganisationData { organisation_id: 3 }), Decision::Allow);
        assert_eq!(authorize(&c, Action::ReadAudit), Decision::Allow);
        assert_eq!(authorize(&c, Action::ManageUsers), Decision::Forbidden);
        assert_eq!(authorize(&c, Action::ManageTokens), Decision::Forbidden);
    }

    #[test]
    fn the_command_line_may_what_an_administrator_may_but_has_no_account() {
        let admin = user(Role::Admin, None);
        for a in [
            Action::ReadPublished,
            Action::ReadInternal,
            Action::ReadPersonalData,
            Action::EditProgrammeDomain,
            Action::EditOrganisationData { organisation_id: 4 },
            Action::ManageUsers,
            Action::ManageTokens,
            Action::ReadAudit,
            Action::ReadSecurityLog,
            Action::Export,
            Action::ReadKpi,
            Action::WriteGoals,
            Action::Import,
            Action::CoordinateReporting,
        ] {
            assert_eq!(authorize(&admin, a), Decision::Allow, "{a:?}");
            assert_eq!(authorize(&Principal::CommandLine, a), Decision::Allow, "{a:?}");
        }
        assert_eq!(authorize(&Principal::CommandLine, Action::OwnAccount), Decision::Forbidden);
    }

    #[test]
    fn readers_change_nothing() {
        let r = user(Role::Reader, None);
        for a in [
            Action::EditProgrammeDomain,
            Action::EditOrganisationData { organisation_id: 1 },
            Action::ManageUsers,
            Action::ReadAudit,
        ] {
            assert_eq!(authorize(&r, a), Decision::Forbidden, "{a:?}");
        }
        assert_eq!(authorize(&r, Action::OwnAccount), Decision::Allow);
    }

    #[test]
    fn tokens_do_exactly_what_their_scopes_say() {
        let reader = Principal::Token { id: 3, scopes: vec![Scope::Read] };
        assert_eq!(
            authorize(&reader, Action::ReadPersonalData),
            Decision::Forbidden,
            "no personal data to machines"
        );
        let t = Principal::Token { id: 1, scopes: vec![Scope::KpiRead] };
        assert_eq!(authorize(&t, Action::ReadKpi), Decision::Allow);
        assert_eq!(authorize(&t, Action::ReadInternal), Decision::Forbidden);
        assert_eq!(authorize(&t, Action::ReadPublished), Decision::Allow);
        let all = Principal::Token { id: 2, scopes: Scope::ALL.to_vec() };
        for a in [
            Action::EditProgrammeDomain,
            Action::ManageUsers,
            Action::ManageTokens,
            Action::ReadAudit,
            Action::OwnAccount,
        ] {
            assert_eq!(authorize(&all, a), Decision::Forbidden, "{a:?}: people's work is done by people");
        }
    }

    #[test]
    fn only_admins_manage_users_and_tokens() {
        for role in Role::ALL {
            let expected = if *role == Role::Admin { Decision::Allow } else { Decision::Forbidden };
            assert_eq!(authorize(&user(*role, Some(1)), Action::ManageUsers), expected);
            assert_eq!(authorize(&user(*role, Some(1)), Action::ManageTokens), expected);
        }
    }

    #[test]
    fn audit_details_of_accounts_and_tokens_are_for_those_who_manage_them() {
        let coordinator = user(Role::Coordinator, None);
        let admin = user(Role::Admin, None);
        for entity in ["user", "session", "api_token"] {
            assert!(!may_read_audit_details(&coordinator, entity), "{entity}");
            assert!(may_read_audit_details(&admin, entity), "{entity}");
        }
        for entity in ["decision", "programme", "contact", "twin_town"] {
            assert!(may_read_audit_details(&coordinator, entity), "{entity}");
        }
    }

    #[test]
    fn a_token_is_revoked_expired_or_active() {
        let now = chrono::NaiveDate::from_ymd_opt(2026, 11, 28).unwrap().and_hms_opt(12, 0, 0).unwrap();
        let past = now - chrono::Duration::days(1);
        assert_eq!(token_state(true, None, now), TokenState::Revoked);
        assert_eq!(token_state(true, Some(past), now), TokenState::Revoked);
        assert_eq!(token_state(false, Some(past), now), TokenState::Expired);
        assert_eq!(token_state(false, Some(now), now), TokenState::Expired);
        assert_eq!(token_state(false, Some(now + chrono::Duration::days(1)), now), TokenState::Active);
        assert_eq!(token_state(false, None, now), TokenState::Active);
    }

    #[test]
    fn reporters_need_an_organisation() {
        assert!(check_role_binding(Role::Reporter, None).is_err());
        assert!(check_role_binding(Role::Reporter, Some(1)).is_ok());
        assert!(check_role_binding(Role::Coordinator, None).is_ok());
    }

    #[test]
    fn emails_are_normalised_and_checked() {
        assert_eq!(Email::parse("  Anna.Berg@Tranas.SE ").unwrap().as_str(), "anna.berg@tranas.se");
        for bad in [
            "",
            "anna",
            "anna@",
            "@tranas.se",
            "anna@tranas",
            "an na@tranas.se",
            "a@b@c.se",
            "a@.se",
            "a@b..se",
            "anna\u{202E}@tranas.se",
            "anna\u{200B}@tranas.se",
            "anna(berg)@tranas.se",
            "anna@-tranas.se",
            "anna@tranas.se.",
        ] {
            assert!(Email::parse(bad).is_err(), "{bad}");
        }
        for good in ["anna.berg+utblick@tranas.se", "a@ydre.kommun.se", "o'brien@tranas.se"] {
            assert!(Email::parse(good).is_ok(), "{good}");
        }
    }

    #[test]
    fn the_password_policy() {
        assert!(check_password("korta ord").is_err());
        assert!(check_password("aaaaaaaaaaaaaaa").is_err());
        assert!(check_password("Password1234").is_err(), "common, whatever the case");
        assert!(check_password("123456789012").is_err());
        assert!(check_password("abcdefghijklmn").is_err());
        assert!(check_password(&"x".repeat(129)).is_err());
        assert!(check_password("gröna äpplen i november").is_ok());
        assert_eq!(check_password("kort").unwrap_err().field, "password");
    }

    #[test]
    fn a_new_password_is_not_the_current_one() {
        let same = check_new_password("gröna äpplen i november", "gröna äpplen i november").unwrap_err();
        assert_eq!(
            (same.field.as_str(), same.message.as_str()),
            ("new_password", "must differ from your current password")
        );
        assert_eq!(check_new_password("gröna äpplen i november", "kort").unwrap_err().field, "new_password");
        assert!(check_new_password("gröna äpplen i november", "röda päron i december").is_ok());
    }

    #[test]
    fn the_kpi_feed_is_read_by_anyone_once_published() {
        let reader = Principal::Token { id: 3, scopes: vec![Scope::Read] };
        let kpi = Principal::Token { id: 4, scopes: vec![Scope::KpiRead] };
        assert_eq!(may_read_kpis(&Principal::Anonymous, false), Decision::Unauthenticated);
        assert_eq!(may_read_kpis(&reader, false), Decision::Forbidden);
        assert_eq!(may_read_kpis(&kpi, false), Decision::Allow);
        for who in [Principal::Anonymous, reader, kpi] {
            assert_eq!(may_read_kpis(&who, true), Decision::Allow);
        }
    }

    #[test]
    fn the_change_feed_carries_registers_and_people_only_to_people() {
        let token = Principal::Token { id: 3, scopes: vec![Scope::Read] };
        let person = Principal::User { id: 1, role: Role::Reader, organisation_id: None };
        assert!(change_feed_entities(&person).contains(&"contact"));
        assert!(!change_feed_entities(&token).contains(&"contact"));
        for who in [&token, &person] {
            let e = change_feed_entities(who);
            assert!(e.contains(&"project") && e.contains(&"goal"));
            assert!(!e.contains(&"user") && !e.contains(&"api_token") && !e.contains(&"session"));
        }
    }

    #[test]
    fn scope_lists() {
        assert_eq!(
            Scope::parse_list(["kpi:read", "read", "read"]).unwrap(),
            vec![Scope::Read, Scope::KpiRead]
        );
        assert!(Scope::parse_list([]).is_err());
        assert!(Scope::parse_list(["admin"]).is_err());
    }

    proptest! {
        #[test]
        fn email_parse_never_panics_and_accepts_only_lowercase(s in "\\PC{0,60}") {
            if let Ok(e) = Email::parse(&s) {
                prop_assert_eq!(e.as_str(), e.as_str().to_lowercase());
                prop_assert!(e.as_str().contains('@'));
            }
        }

        #[test]
        fn long_random_passwords_pass(s in "[a-zåäö ]{20,40}") {
            let distinct = s.chars().collect::<std::collections::HashSet<_>>().len();
            prop_assume!(distinct > 1);
            prop_assert!(check_password(&s).is_ok());
        }

        #[test]
        fn anonymous_is_never_allowed_more_than_published(i in 0usize..12, org in 1i64..5) {
            let actions = [Action::ReadPublished, Action::ReadInternal, Action::EditProgrammeDomain,
                Action::EditOrganisationData { organisation_id: org }, Action::ManageUsers, Action::ManageTokens,
                Action::ReadAudit, Action::OwnAccount, Action::Export, Action::ReadKpi, Action::WriteGoals, Action::Import];
            let a = actions[i];
            let d = authorize(&Principal::Anonymous, a);
            prop_assert_eq!(d == Decision::Allow, a == Action::ReadPublished);
        }
    }
}
