"""Rules of Utblick's that relate one field to another, told to schemathesis's generator.

A JSON schema states each field on its own; it cannot say that a period ends after it begins
or that a list names each kind once. So that `positive_data_acceptance` holds the API to
accepting every request that is valid, the data schemathesis generates as valid is made to
keep these rules too, here and nowhere else (the API enforces them in its domain crate and
answers 422 when they are broken, which its own tests check). Data generated to be invalid is
left as it is. tests/api/external.rs loads this file through SCHEMATHESIS_HOOKS and passes the
ids of known records in UTBLICK_SCHEMATHESIS_DECISIONS and UTBLICK_SCHEMATHESIS_ORGANISATIONS.
"""

import os

import schemathesis


def _ids(name):
    return [int(i) for i in os.environ.get(name, "").split(",") if i.strip()]


DECISIONS = _ids("UTBLICK_SCHEMATHESIS_DECISIONS")
ORGANISATIONS = _ids("UTBLICK_SCHEMATHESIS_ORGANISATIONS")


def _in_order(body, first, last):
    """A period ends on or after the day it begins (contacts' terms, collaborations). A merge
    patch that moves one end gets the other end on the same day, so that the stored other
    end cannot cross it."""
    a, b = body.get(first), body.get(last)
    if isinstance(a, str) and isinstance(b, str) and b < a:
        body[first], body[last] = b, a
    elif isinstance(a, str) and last not in body:
        body[last] = a
    elif isinstance(b, str) and first not in body:
        body[first] = b


def _each_kind_once(body):
    """A programme describes each kind of work once."""
    kinds = body.get("work_kinds")
    if isinstance(kinds, list):
        seen, kept = set(), []
        for item in kinds:
            kind = item.get("kind") if isinstance(item, dict) else None
            if kind not in seen:
                seen.add(kind)
                kept.append(item)
        body["work_kinds"] = kept


def _with_council_decision(body, statuses):
    """Becoming active (and, for twin towns, ending) refers to a council decision."""
    if body.get("status") in statuses and body.get("decision_id") is None and DECISIONS:
        body["decision_id"] = DECISIONS[0]


def _revised_after_decision(body):
    """An adopted programme is revised after the day of the decision that adopts it."""
    decision = body.get("decision")
    if isinstance(decision, dict) and isinstance(body.get("revise_by"), str):
        if isinstance(decision.get("decided_on"), str) and body["revise_by"] <= decision["decided_on"]:
            body["revise_by"] = None


def _reporter_has_organisation(body):
    """A reporter belongs to one organisation."""
    if body.get("role") == "reporter" and body.get("organisation_id") is None and ORGANISATIONS:
        body["organisation_id"] = ORGANISATIONS[0]


RULES = [
    ("/contacts", lambda b: _in_order(b, "term_from", "term_to")),
    ("/collaborations", lambda b: _in_order(b, "period_from", "period_to")),
    ("/programmes", _each_kind_once),
    ("/adopt", _revised_after_decision),
    ("/twin-towns/{id}/status", lambda b: _with_council_decision(b, ("active", "ended"))),
    ("/collaborations/{id}/status", lambda b: _with_council_decision(b, ("active",))),
    ("/users", _reporter_has_organisation),
]


@schemathesis.hook
def map_case(context, case):
    meta = case.meta
    if meta is None or not meta.generation.mode.is_positive or not isinstance(case.body, dict):
        return case
    path = case.operation.path
    for part, rule in RULES:
        if part in path:
            rule(case.body)
    return case
