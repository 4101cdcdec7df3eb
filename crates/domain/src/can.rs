//! What a caller may do with a record now, computed from the access rules ([`authorize`]) and
//! the records' own rules (only drafts change, archived records stand still, an erased person
//! stays erased, the allowed moves of a status). Every record the API returns carries this, so
//! that no client copies a rule: the web shows exactly the buttons that will work.

use serde::Serialize;

use crate::access::{Action, Decision as Access, Principal, authorize};
use crate::codes::Code;
use crate::governance::{CollaborationStatus, Move, TwinTownStatus};
use crate::programme::ProgrammeStatus;

/// A change of status the caller may make now.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct StatusMove {
    /// The status it goes to (a code).
    pub to: &'static str,
    /// Whether the change needs a decision of the council from the decisions register.
    pub needs_decision: bool,
    /// Whether the change waits for a co-funding assessment (projects: the gate); it is
    /// refused until one is recorded.
    pub needs_assessment: bool,
}

/// What the caller may do with a record now. Fields that do not apply to a kind of record
/// are `false` (and `status` empty).
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize)]
pub struct Can {
    /// Change the record.
    pub edit: bool,
    /// Archive it, or take it out of the archive.
    pub archive: bool,
    /// Erase the person on request (contacts).
    pub erase: bool,
    /// Adopt the draft (programmes).
    pub adopt: bool,
    /// Start a new version from it (programmes).
    pub new_version: bool,
    /// Add new work to it: contacts, collaborations, departments (organisations); a
    /// project idea (leads).
    pub add_work: bool,
    /// Record a co-funding assessment (projects).
    pub assess: bool,
    /// Publish it for anyone to read, or withdraw the publication (compilations).
    pub publish: bool,
    /// The changes of status the caller may make, each with whether it needs a decision.
    pub status: Vec<StatusMove>,
}

fn allowed(who: &Principal, what: Action) -> bool {
    authorize(who, what) == Access::Allow
}

fn moves<S: Code + Copy>(m: Vec<Move<S>>) -> Vec<StatusMove> {
    m.into_iter()
        .map(|m| StatusMove { to: m.to.code(), needs_decision: m.needs_decision, needs_assessment: false })
        .collect()
}

/// An annual report: written by its organisation (or a coordinator) while a draft or
/// returned; handed in by them; returned and approved by coordinators only.
pub fn report(who: &Principal, organisation: i64, status: crate::report::ReportStatus) -> Can {
    Can {
        edit: status.editable()
            && allowed(who, Action::EditOrganisationData { organisation_id: organisation }),
        status: moves(
            status
                .moves()
                .into_iter()
                .filter(|m| allowed(who, crate::report::ReportStatus::action_for(m.to, organisation)))
                .collect(),
        ),
        ..Can::default()
    }
}

/// A compilation for the council: moved on its path, published and withdrawn by
/// coordinators; published only once presented.
pub fn compilation(who: &Principal, status: crate::compilation::CompilationStatus, published: bool) -> Can {
    let coordinate = allowed(who, Action::CoordinateReporting);
    Can {
        status: if coordinate { moves(status.moves()) } else { Vec::new() },
        publish: coordinate && (published || status == crate::compilation::CompilationStatus::Presented),
        ..Can::default()
    }
}

/// A decision in the register (or an elected official): corrected and archived by
/// coordinators.
pub fn decision(who: &Principal, archived: bool) -> Can {
    let register = allowed(who, Action::EditProgrammeDomain);
    Can { edit: register && !archived, archive: register, ..Can::default() }
}

/// A programme version: only a draft is edited and adopted; a new version starts from one
/// that is not a draft.
pub fn programme(who: &Principal, status: ProgrammeStatus) -> Can {
    let register = allowed(who, Action::EditProgrammeDomain);
    let draft = status == ProgrammeStatus::Draft;
    Can {
        edit: register && draft,
        adopt: register && draft,
        new_version: register && !draft,
        ..Can::default()
    }
}

/// A twin town: described and moved by coordinators while not archived.
pub fn twin_town(who: &Principal, status: TwinTownStatus, archived: bool) -> Can {
    let register = allowed(who, Action::EditProgrammeDomain);
    let live = register && !archived;
    let status = if live { moves(status.moves()) } else { Vec::new() };
    Can { edit: live, archive: register, status, ..Can::default() }
}

/// A project: its owner's people describe, assess, move and archive it; an archived one
/// stands still. A move the gate holds is listed with `needs_assessment`.
pub fn project(
    who: &Principal,
    owner: i64,
    status: crate::project::ProjectStatus,
    kind: crate::programme::WorkKind,
    assessed: bool,
    archived: bool,
) -> Can {
    let owners = allowed(who, Action::EditOrganisationData { organisation_id: owner });
    let live = owners && !archived;
    let moves = if live { status.moves() } else { Vec::new() };
    let status = (moves.into_iter())
        .map(|m| StatusMove {
            to: m.to.code(),
            needs_decision: false,
            needs_assessment: status.change_to(m.to, kind, assessed).is_err(),
        })
        .collect();
    Can { edit: live, archive: owners, assess: live, status, ..Can::default() }
}

/// A collaboration: described by its owner's people, moved and archived by coordinators.
pub fn collaboration(who: &Principal, owner: i64, status: CollaborationStatus, archived: bool) -> Can {
    let register = allowed(who, Action::EditProgrammeDomain);
    let owners = allowed(who, Action::EditOrganisationData { organisation_id: owner });
    let status = if register && !archived { moves(status.moves()) } else { Vec::new() };
    Can { edit: owners && !archived, archive: register, status, ..Can::default() }
}

/// A contact person: kept by the organisation's people; an erased person stays erased.
pub fn contact(who: &Principal, organisation: i64, erased: bool) -> Can {
    let keepers = allowed(who, Action::EditOrganisationData { organisation_id: organisation });
    Can { edit: keepers && !erased, erase: keepers && !erased, ..Can::default() }
}

/// A record an organisation keeps (an activity, a lead): its people edit it while it is not
/// archived, and archive or restore it; `add_work` for a lead that may still become a project.
pub fn kept_by(who: &Principal, organisation: i64, archived: bool, may_become_project: bool) -> Can {
    let keepers = allowed(who, Action::EditOrganisationData { organisation_id: organisation });
    let live = keepers && !archived;
    Can { edit: live, archive: keepers, add_work: live && may_become_project, ..Can::default() }
}

/// An organisation: registered by coordinators; takes new work from its people while active.
pub fn organisation(who: &Principal, id: i64, active: bool) -> Can {
    let add_work = active && allowed(who, Action::EditOrganisationData { organisation_id: id });
    Can { edit: allowed(who, Action::EditProgrammeDomain), add_work, ..Can::default() }
}

/// An account: administrators change others' accounts (their own under "my account").
pub fn user(who: &Principal, id: i64) -> Can {
    let own = matches!(who, Principal::User { id: me, .. } if *me == id);
    Can { edit: allowed(who, Action::ManageUsers) && !own, ..Can::default() }
}

/// What the caller may start or open, for the menus and the "new" forms.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize)]
pub struct May {
    /// Register programmes, decisions, twin towns, frameworks and organisations.
    pub edit_register: bool,
    /// Read and keep contact persons (personal data).
    pub read_personal_data: bool,
    pub manage_users: bool,
    pub manage_tokens: bool,
    pub read_audit: bool,
    pub read_security_log: bool,
    /// Open reporting years, return and approve reports.
    pub coordinate_reporting: bool,
}

pub fn may(who: &Principal) -> May {
    May {
        edit_register: allowed(who, Action::EditProgrammeDomain),
        read_personal_data: allowed(who, Action::ReadPersonalData),
        manage_users: allowed(who, Action::ManageUsers),
        manage_tokens: allowed(who, Action::ManageTokens),
        read_audit: allowed(who, Action::ReadAudit),
        read_security_log: allowed(who, Action::ReadSecurityLog),
        coordinate_reporting: allowed(who, Action::CoordinateReporting),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::access::{Role, Scope};

    fn user_of(role: Role, org: Option<i64>) -> Principal {
        Principal::User { id: 9, role, organisation_id: org }
    }

    #[test]
    fn a_reporter_keeps_their_own_organisations_records_only() {
        let r = user_of(Role::Reporter, Some(3));
        assert!(contact(&r, 3, false).edit);
        assert!(!contact(&r, 4, false).edit);
        assert!(!contact(&r, 3, true).edit, "an erased person stays erased");
        let c = collaboration(&r, 3, CollaborationStatus::Proposed, false);
        assert!(c.edit && !c.archive && c.status.is_empty());
        assert!(organisation(&r, 3, true).add_work);
        assert!(!organisation(&r, 3, false).add_work, "an inactive organisation takes no new work");
        assert!(!decision(&r, false).edit);
    }

    #[test]
    fn a_project_lists_the_moves_the_gate_holds() {
        use crate::programme::WorkKind;
        use crate::project::ProjectStatus;
        let r = user_of(Role::Reporter, Some(3));
        let held = |kind, assessed| -> Vec<&str> {
            let can = project(&r, 3, ProjectStatus::Planning, kind, assessed, false);
            can.status.iter().filter(|m| m.needs_assessment).map(|m| m.to).collect()
        };
        assert_eq!(held(WorkKind::Development, false), ["applied", "ongoing"]);
        assert!(held(WorkKind::Development, true).is_empty());
        assert!(held(WorkKind::Positioning, false).is_empty());
        let theirs = project(&r, 4, ProjectStatus::Planning, WorkKind::Development, false, false);
        assert!(!theirs.edit && !theirs.assess && theirs.status.is_empty());
        let archived = project(&r, 3, ProjectStatus::Planning, WorkKind::Development, true, true);
        assert!(!archived.edit && archived.archive && archived.status.is_empty());
    }

    #[test]
    fn coordinators_see_the_moves_the_rules_allow() {
        let c = user_of(Role::Coordinator, None);
        let t = twin_town(&c, TwinTownStatus::Active, false);
        assert_eq!(
            t.status,
            [
                StatusMove { to: "dormant", needs_decision: false, needs_assessment: false },
                StatusMove { to: "ended", needs_decision: true, needs_assessment: false }
            ]
        );
        assert!(
            twin_town(&c, TwinTownStatus::Active, true).status.is_empty(),
            "archived records stand still"
        );
        let p = programme(&c, ProgrammeStatus::Draft);
        assert!(p.edit && p.adopt && !p.new_version);
        let p = programme(&c, ProgrammeStatus::Adopted);
        assert!(!p.edit && !p.adopt && p.new_version);
        assert!(!decision(&c, true).edit && decision(&c, true).archive);
    }

    #[test]
    fn readers_tokens_and_the_public_may_change_nothing() {
        for who in [
            user_of(Role::Reader, None),
            Principal::Token { id: 1, scopes: vec![Scope::Read] },
            Principal::Anonymous,
        ] {
            assert_eq!(programme(&who, ProgrammeStatus::Draft), Can::default());
            assert_eq!(twin_town(&who, TwinTownStatus::Proposed, false), Can::default());
            assert!(!may(&who).edit_register);
        }
        let admin = user_of(Role::Admin, None);
        assert!(user(&admin, 1).edit);
        assert!(!user(&admin, 9).edit, "one's own account is changed under my account");
        assert!(may(&admin).manage_users);
    }
}
