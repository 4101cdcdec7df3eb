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


def _serves_the_programme(body):
    """A project names priority areas, or says how it contributes to smart and sustainable
    growth for all and what lasting value it gives."""
    if body.get("priority_areas") == []:
        for field, text in (("contribution", "Hållbar tillväxt"), ("lasting_value", "Ett bestående nätverk")):
            if not (isinstance(body.get(field), str) and body[field].strip()):
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
    if meta is None or not meta.generation.mode.is_positive or not isinstance(case.body, dict):
        return case
    path = case.operation.path
    for part, rule in RULES:
        if part in path:
            rule(case.body)
    return case
