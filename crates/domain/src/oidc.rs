//! Sign-in with the municipality's identity provider (OpenID Connect): what a person's groups
//! in the provider make them in Utblick.
//!
//! The administrator configures rules `group → role (and organisation)`, for example
//! `utblick-reporter-tekniska → reporter of the organisation with external id TEK`. At every
//! sign-in the person's groups are matched against them:
//!
//! - the highest role any matching rule gives wins (administrator, coordinator, reporter,
//!   reader); among rules giving that role, the first in the configuration (a reporter
//!   reports for one organisation);
//! - a rule naming an organisation that does not exist (or is not active) gives nothing;
//! - a reporter's rule must name an organisation (checked when the rules are read).
//!
//! What no rule matches depends on where the account's access came from: a new person lands
//! as a pending account an administrator approves; an account whose role came from the
//! provider loses access (removed from every group); an account an administrator approved
//! or manages keeps the role the administrator gave it.

use crate::access::Role;
use crate::error::FieldError;

/// One configured rule: members of `group` get `role`, reporters for the organisation whose
/// external id is `organisation`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct GroupRule {
    pub group: String,
    pub role: Role,
    pub organisation: Option<String>,
}

impl GroupRule {
    /// A rule as configured: the group, a role code, an organisation's external id.
    pub fn parse(group: &str, role: &str, organisation: Option<&str>) -> Result<Self, FieldError> {
        let group = group.trim();
        if group.is_empty() {
            return Err(FieldError::rule("group", "required", "names no group", "anger ingen grupp"));
        }
        let role = Role::parse(role)?;
        let organisation = organisation.map(str::trim).filter(|o| !o.is_empty()).map(str::to_owned);
        if role == Role::Reporter && organisation.is_none() {
            return Err(FieldError::rule(
                "organisation",
                "required_for_reporters",
                "a reporter's rule must name the organisation (its external id)",
                "en regel för rapportörer måste ange organisationen (dess externa id)",
            ));
        }
        Ok(Self { group: group.to_owned(), role, organisation })
    }
}

code_enum! {
    /// Where an account's role comes from.
    RoleSource, "role_source" {
        /// A local account (password): an administrator manages it.
        Local = "local", "Lokalt konto", "Local account";
        /// The identity provider's groups, at the last sign-in.
        Provider = "provider", "Kommunens grupper", "The municipality's groups";
        /// An administrator approved or changed an account of the identity provider by hand.
        Administrator = "administrator", "Satt av administratör", "Set by an administrator";
        /// An account of the identity provider no rule matched at its first sign-in, waiting
        /// for an administrator.
        Pending = "pending", "Väntar på godkännande", "Awaiting approval";
    }
}

/// What the groups give.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Granted {
    pub role: Role,
    pub organisation_id: Option<i64>,
}

/// The role (and organisation) the groups give, if any rule matches: see the module's rules.
/// `organisation_of` finds an active organisation's id by its external id.
pub fn granted_by_groups(
    groups: &[String],
    rules: &[GroupRule],
    organisation_of: impl Fn(&str) -> Option<i64>,
) -> Option<Granted> {
    let rank = |r: Role| Role::ALL.iter().position(|x| *x == r).unwrap_or(usize::MAX);
    rules
        .iter()
        .filter(|rule| groups.contains(&rule.group))
        .filter_map(|rule| match &rule.organisation {
            None => Some(Granted { role: rule.role, organisation_id: None }),
            Some(external) => {
                organisation_of(external).map(|id| Granted { role: rule.role, organisation_id: Some(id) })
            }
        })
        // The first of the highest role: `min_by_key` keeps the first of equals.
        .min_by_key(|g| rank(g.role))
}

/// What a sign-in through the provider does with the account.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum SignIn {
    /// Signed in with this role and organisation (the account takes them, from the provider).
    As(Granted),
    /// Signed in with the role the account has (an administrator's choice).
    Keep,
    /// A new account waiting for an administrator's approval; not signed in.
    Pending,
    /// No access: the provider no longer puts the person in any group Utblick knows (the
    /// account is deactivated), the account still waits for approval, or an administrator
    /// deactivated it.
    Refused,
}

/// What a sign-in does, given what the groups give and the account as it is: `None` for a
/// person signing in for the first time, else where its role comes from and whether it is
/// active.
pub fn sign_in(granted: Option<Granted>, account: Option<(RoleSource, bool)>) -> SignIn {
    match (granted, account) {
        // A deactivated account stays out, whatever the groups: an administrator's decision.
        (_, Some((RoleSource::Local | RoleSource::Administrator, false))) => SignIn::Refused,
        (Some(g), _) => SignIn::As(g),
        (None, None) => SignIn::Pending,
        (None, Some((RoleSource::Local | RoleSource::Administrator, true))) => SignIn::Keep,
        (None, Some((RoleSource::Provider | RoleSource::Pending, _))) => SignIn::Refused,
    }
}

/// Whether an account may sign in with its password: always without an identity provider,
/// and with one, everyone or — once the administrator switches passwords off for the others —
/// administrators only (the first administrator, and IT's way in when the provider is down).
pub fn password_sign_in_allowed(role: Role, provider: bool, administrators_only: bool) -> bool {
    !provider || !administrators_only || role == Role::Admin
}

#[cfg(test)]
mod tests {
    use super::*;

    fn rule(group: &str, role: &str, org: Option<&str>) -> GroupRule {
        GroupRule::parse(group, role, org).unwrap()
    }

    fn orgs(external: &str) -> Option<i64> {
        match external {
            "TEK" => Some(3),
            "BUF" => Some(4),
            _ => None,
        }
    }

    fn groups(g: &[&str]) -> Vec<String> {
        g.iter().map(|s| (*s).to_owned()).collect()
    }

    #[test]
    fn a_reporters_rule_names_its_organisation() {
        assert_eq!(GroupRule::parse("g", "reporter", None).unwrap_err().field, "organisation");
        assert_eq!(GroupRule::parse(" ", "reader", None).unwrap_err().field, "group");
        assert_eq!(GroupRule::parse("g", "boss", None).unwrap_err().field, "role");
        assert_eq!(rule("g", "reporter", Some(" TEK ")).organisation.as_deref(), Some("TEK"));
    }

    #[test]
    fn the_highest_role_wins_and_the_first_of_equals() {
        let rules = [
            rule("utblick-reporter-tekniska", "reporter", Some("TEK")),
            rule("utblick-reporter-buf", "reporter", Some("BUF")),
            rule("utblick-lasare", "reader", None),
            rule("utblick-samordnare", "coordinator", None),
        ];
        let g = granted_by_groups(&groups(&["utblick-lasare", "utblick-reporter-tekniska"]), &rules, orgs);
        assert_eq!(g, Some(Granted { role: Role::Reporter, organisation_id: Some(3) }));
        let g =
            granted_by_groups(&groups(&["utblick-reporter-buf", "utblick-reporter-tekniska"]), &rules, orgs);
        assert_eq!(g.unwrap().organisation_id, Some(3), "the first rule of the configuration");
        let g = granted_by_groups(&groups(&["utblick-reporter-buf", "utblick-samordnare"]), &rules, orgs);
        assert_eq!(g, Some(Granted { role: Role::Coordinator, organisation_id: None }));
        assert_eq!(granted_by_groups(&groups(&["alla-anstallda"]), &rules, orgs), None);
        assert_eq!(granted_by_groups(&[], &rules, orgs), None);
    }

    #[test]
    fn a_rule_for_an_unknown_organisation_gives_nothing() {
        let rules = [rule("g", "reporter", Some("NOPE")), rule("h", "reader", None)];
        assert_eq!(granted_by_groups(&groups(&["g"]), &rules, orgs), None);
        let g = granted_by_groups(&groups(&["g", "h"]), &rules, orgs);
        assert_eq!(g, Some(Granted { role: Role::Reader, organisation_id: None }));
    }

    #[test]
    fn what_a_sign_in_does_with_the_account() {
        let granted = Granted { role: Role::Reader, organisation_id: None };
        let reader = Some(granted);
        use RoleSource::*;
        // First sign-in: from the groups, or pending.
        assert_eq!(sign_in(reader, None), SignIn::As(granted));
        assert_eq!(sign_in(None, None), SignIn::Pending);
        // Groups always win for an active account or one the provider deactivated.
        for source in ALL_SOURCES {
            assert_eq!(sign_in(reader, Some((source, true))), SignIn::As(granted), "{source:?}");
        }
        assert_eq!(sign_in(reader, Some((Provider, false))), SignIn::As(granted), "back in a group");
        assert_eq!(sign_in(reader, Some((Pending, false))), SignIn::As(granted), "put in a group");
        // An administrator's deactivation holds.
        for source in [Local, Administrator] {
            assert_eq!(sign_in(reader, Some((source, false))), SignIn::Refused, "{source:?}");
        }
        // No group: the provider's role is gone, an administrator's stays.
        assert_eq!(sign_in(None, Some((Provider, true))), SignIn::Refused);
        assert_eq!(sign_in(None, Some((Pending, false))), SignIn::Refused);
        assert_eq!(sign_in(None, Some((Administrator, true))), SignIn::Keep);
        assert_eq!(sign_in(None, Some((Local, true))), SignIn::Keep);
    }

    const ALL_SOURCES: [RoleSource; 4] =
        [RoleSource::Local, RoleSource::Provider, RoleSource::Administrator, RoleSource::Pending];

    #[test]
    fn passwords_can_be_switched_off_for_all_but_administrators() {
        for role in Role::ALL {
            assert!(password_sign_in_allowed(*role, false, true), "no provider: {role:?}");
            assert!(password_sign_in_allowed(*role, true, false), "everyone: {role:?}");
            assert_eq!(password_sign_in_allowed(*role, true, true), *role == Role::Admin, "{role:?}");
        }
    }

    #[test]
    fn role_sources_are_codes() {
        assert_eq!(RoleSource::ALL, ALL_SOURCES);
        for s in RoleSource::ALL {
            assert_eq!(RoleSource::parse(s.code()), Ok(*s));
        }
        assert!(RoleSource::parse("x").is_err());
    }
}
