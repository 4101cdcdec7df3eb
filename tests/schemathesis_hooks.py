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
import re

import requests
import schemathesis
from requests.structures import CaseInsensitiveDict


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


def _serves_the_programme(body):
    """A project names priority areas, or says how it contributes to smart and sustainable
    growth for all and what lasting value it gives. A merge patch that clears one of the two
    answers without naming priority areas may meet a stored project that has none, so it
    keeps the answer."""
    areas = body.get("priority_areas")
    if isinstance(areas, list) and areas:
        return
    for field, text in (("contribution", "Hållbar tillväxt"), ("lasting_value", "Ett bestående nätverk")):
        given = isinstance(body.get(field), str) and body[field].strip()
        if not given and (areas == [] or field in body):
            body[field] = text


def _once(body, field):
    """A list of ids (goals, areas, officials, organisations) names each one once."""
    items = body.get(field)
    if isinstance(items, list):
        body[field] = list(dict.fromkeys(items))


def _funding_in_kronor_or_with_rate(body):
    """Kronor take no exchange rate; euro needs the rate used."""
    for source in body.get("funding") or []:
        if isinstance(source, dict):
            if source.get("currency") == "SEK":
                source["rate"] = None
            elif source.get("currency") == "EUR" and source.get("rate") is None:
                source["rate"] = 11_200_000


def _project(body):
    _serves_the_programme(body)
    _in_order(body, "period_from", "period_to")
    _funding_in_kronor_or_with_rate(body)
    for field in ("priority_areas", "goals"):
        _once(body, field)


def _assessment(body):
    """To apply, at least one funding programme was considered (the catalogue's first is
    seeded)."""
    _once(body, "programmes")
    if body.get("outcome") == "will_apply" and not body.get("programmes"):
        body["programmes"] = [1]


def _activity(body):
    """An activity ends on or after it starts, names each country once, and its total counts
    at least the women and men."""
    _in_order(body, "starts_on", "ends_on")
    _once(body, "representatives")
    countries = body.get("countries")
    if isinstance(countries, list):
        seen, kept = set(), []
        for c in countries:
            key = c.strip().upper() if isinstance(c, str) else c
            if key not in seen:
                seen.add(key)
                kept.append(c)
        body["countries"] = kept
    # A merge patch that changes one count gets the other two as well (the stored ones are
    # unknown here), so that the three still add up.
    counts = ("women", "men", "total")
    if any(k in body for k in counts):
        # (A whole number may come as 857.0: JSON Schema counts it an integer.)
        number = lambda v: int(v) if isinstance(v, (int, float)) and not isinstance(v, bool) else 0
        women, men, total = (number(body.get(k)) for k in counts)
        if women + men > total:
            women, men = min(women, total), max(0, total - min(women, total))
        body["women"], body["men"], body["total"] = women, men, total


def _call_has_deadline(body):
    """A call for proposals has a deadline (a merge patch that clears the deadline may meet a
    stored call)."""
    _once(body, "concerns")
    clears = "deadline" in body and body["deadline"] is None and body.get("kind") in (None, "call")
    if (body.get("kind") == "call" and body.get("deadline") is None) or clears:
        body["deadline"] = "2030-01-31"


def _once_by(body, field, key):
    """A list of objects names each `key` once (a report corrects a figure once and names a
    goal once)."""
    items = body.get(field)
    if isinstance(items, list):
        seen, kept = set(), []
        for item in items:
            k = item.get(key) if isinstance(item, dict) else None
            if k not in seen:
                seen.add(k)
                kept.append(item)
        body[field] = kept


def _deadline_in_year(body):
    """A reporting year's deadline falls in the year or the year after it."""
    year = body.get("year")
    # A whole number may come as 2000.0, which JSON allows.
    if isinstance(year, (int, float)) and not isinstance(year, bool) and float(year).is_integer():
        if 2000 <= year <= 2199:
            body["deadline"] = f"{int(year)}-12-31"


def _returned_with_comment(body):
    """A report is returned with a comment that says what to correct."""
    comment = body.get("comment")
    if body.get("status") == "returned" and not (isinstance(comment, str) and comment.strip()):
        body["comment"] = "Rätta timmarna."


def _compilation_move(body):
    """A compilation is presented with the council's decision and reopened with a note."""
    _with_council_decision(body, ("presented",))
    comment = body.get("comment")
    if body.get("status") == "draft" and not (isinstance(comment, str) and comment.strip()):
        body["comment"] = "Rättar timmarna."


# In the run as a reporter (below), a change to a record of the own organisation is sent with
# the record's current ETag, as a client that read it first would: a generated If-Match is
# never the current one, and the change would be refused before the access rule is reached.
OWN_REPORTER = os.environ.get("UTBLICK_SCHEMATHESIS_OWN_REPORTER")
URL = os.environ.get("UTBLICK_SCHEMATHESIS_URL", "")


def _record(case, caller):
    """The record `case` acts on, as `caller` reads it now (None for a path of no record)."""
    record = RECORD.match(case.formatted_path)
    if record is None:
        return None
    return requests.get(URL + record.group(1), headers={"Authorization": caller}, timeout=10)


def _current_version(case):
    if OWN_REPORTER is None or "If-Match" not in (case.headers or {}):
        return
    current = _record(case, OWN_REPORTER)
    if current is None:
        return
    if current.headers.get("ETag"):
        case.headers["If-Match"] = current.headers["ETag"]
    # A change of status goes where the record's present status allows (its `can.status`):
    # most generated statuses are not a move from the present one, and a run would then
    # seldom change a status at all.
    if case.formatted_path.endswith("/status") and isinstance(case.body, dict) and current.ok:
        moves = [m.get("to") for m in (current.json().get("can") or {}).get("status") or []]
        if moves and case.body.get("status") not in moves:
            case.body["status"] = moves[len(repr(case.body)) % len(moves)]


KPIS = {f"UTB{n:04}" for n in range(1, 14)}
MUNICIPALITY_ONLY = {f"UTB{n:04}" for n in range(6, 14)}


def _goal(body):
    """A pushed goal names each year's target once; a goal with targets names its KPI, one of
    Utblick's; a KPI counted for the whole municipality only has no organisation's goal."""
    _once_by(body, "targets", "year")
    kpi = body.get("kpi")
    if (body.get("targets") and kpi is None) or (isinstance(kpi, str) and kpi not in KPIS):
        body["kpi"] = "UTB0001"
    if body.get("kpi") in MUNICIPALITY_ONLY:
        body.pop("organisation_id", None)


def _scorecard(body):
    """A scorecard names each goal once, and each goal keeps the rules of a goal."""
    _once_by(body, "goals", "external_id")
    for goal in body.get("goals") or []:
        if isinstance(goal, dict):
            _goal(goal)


RULES = [
    ("/scorecards/{scorecard}/goals/{external_id}", _goal),
    ("/scorecards/{scorecard}", _scorecard),
    ("/contacts", lambda b: _in_order(b, "term_from", "term_to")),
    ("/collaborations", lambda b: _in_order(b, "period_from", "period_to")),
    ("/programmes", _each_kind_once),
    ("/adopt", _revised_after_decision),
    ("/twin-towns/{id}/status", lambda b: _with_council_decision(b, ("active", "ended"))),
    ("/collaborations/{id}/status", lambda b: _with_council_decision(b, ("active",))),
    ("/users", _reporter_has_organisation),
    ("/assessments", _assessment),
    ("/projects", _project),
    ("/leads/{id}/project", lambda b: (_serves_the_programme(b), _once(b, "priority_areas"))),
    ("/activities", _activity),
    ("/officials", lambda b: _in_order(b, "term_from", "term_to")),
    ("/leads", _call_has_deadline),
    ("/reporting-years", _deadline_in_year),
    ("/reports/{id}", lambda b: (_once_by(b, "corrections", "figure"), _once_by(b, "contributions", "goal_id"))),
    ("/reports/{id}/status", _returned_with_comment),
    ("/compilations/{id}/status", _compilation_move),
]


@schemathesis.hook
def map_case(context, case):
    meta = case.meta
    if meta is None or not meta.generation.mode.is_positive:
        return case
    _current_version(case)
    if not isinstance(case.body, dict):
        return case
    path = case.operation.path
    for part, rule in RULES:
        if part in path:
            rule(case.body)
    return case


# The operations tests/authz-matrix.csv keeps to the caller's own organisation (allowed to a
# reporter on their own organisation's records, 403 on another's), as tests/api/external.rs
# reads them from it.
KEPT_TO_OWN = set(os.environ.get("UTBLICK_SCHEMATHESIS_KEPT_TO_OWN", "").split(","))
# The other organisation's reporter (set for the run as a reporter; the administrator's run
# has no other identity, and the check below does nothing there).
OTHER_REPORTER = os.environ.get("UTBLICK_SCHEMATHESIS_OTHER_REPORTER")
# The record an operation's path acts on: /api/v1/projects/7/status acts on /api/v1/projects/7.
RECORD = re.compile(r"^(/api/v1/[a-z-]+/[^/]+)")


@schemathesis.check
def other_organisation_is_refused(ctx, response, case):
    """A change one organisation's reporter made is refused to another organisation's: the
    same request (with the record's current ETag, so that only the access rule can refuse
    it) gets 403, and so changes nothing."""
    operation_id = case.operation.definition.raw.get("operationId")
    if OTHER_REPORTER is None or operation_id not in KEPT_TO_OWN or not 200 <= response.status_code < 300:
        return None
    headers = CaseInsensitiveDict(case.headers or {})
    headers["Authorization"] = OTHER_REPORTER
    current = _record(case, OTHER_REPORTER) if "If-Match" in headers else None
    if current is not None and current.headers.get("ETag"):
        headers["If-Match"] = current.headers["ETag"]
    replay = case.derive(headers=headers)
    answer = replay.call()
    # A removal the owner made leaves nothing to remove: 404 is then the honest answer, and
    # the matrix (tests/api/authz.rs) shows the other organisation refused while it exists.
    refused = (403, 404) if case.method == "DELETE" else (403,)
    # The run's own record of what was replayed, which the test reads to know the search
    # reached the operations it is meant to (tests/api/external.rs).
    with open("replayed.txt", "a", encoding="utf-8") as f:
        f.write(f"{operation_id} {answer.status_code}\n")
    assert answer.status_code in refused, (
        f"{operation_id}: another organisation's reporter got {answer.status_code}, not 403, "
        f"for {case.method} {case.formatted_path} that the own organisation's reporter made "
        f"({response.status_code}): {answer.text[:300]}"
    )
    return None

