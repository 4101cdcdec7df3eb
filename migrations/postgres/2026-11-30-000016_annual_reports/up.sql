-- The annual report (rule 8): a reporting year the coordinator opens with a deadline, one
-- report per reporting organisation and year, the figures its reporter corrected by hand
-- (both values and the reason), its contributions to goals of the goal frameworks, and every
-- submitted version frozen as a public record (allmän handling) that never changes.

CREATE TABLE reporting_years (
    id BIGSERIAL PRIMARY KEY,
    year INTEGER NOT NULL UNIQUE CHECK (year BETWEEN 2000 AND 2199),
    deadline DATE NOT NULL,
    version INTEGER NOT NULL,
    created_at TIMESTAMP NOT NULL,
    updated_at TIMESTAMP NOT NULL
);

CREATE TABLE reports (
    id BIGSERIAL PRIMARY KEY,
    reporting_year_id BIGINT NOT NULL REFERENCES reporting_years (id),
    organisation_id BIGINT NOT NULL REFERENCES organisations (id),
    status TEXT NOT NULL CHECK (status IN ('draft', 'submitted', 'returned', 'approved')),
    -- What was done, and the resources other than hours and money, in the reporter's words.
    narrative TEXT NOT NULL,
    other_resources TEXT NOT NULL,
    -- The coordinator's comment when the report was last returned.
    comment TEXT,
    -- When the report was first handed in (days late are counted from it).
    first_submitted_at TIMESTAMP,
    version INTEGER NOT NULL,
    created_at TIMESTAMP NOT NULL,
    updated_at TIMESTAMP NOT NULL,
    UNIQUE (reporting_year_id, organisation_id)
);
CREATE INDEX reports_organisation_idx ON reports (organisation_id);

CREATE TABLE report_corrections (
    report_id BIGINT NOT NULL REFERENCES reports (id),
    figure TEXT NOT NULL CHECK (figure IN ('activities', 'hours', 'own_money', 'external_money', 'participants', 'projects')),
    computed BIGINT NOT NULL,
    corrected BIGINT NOT NULL CHECK (corrected >= 0),
    reason TEXT NOT NULL,
    PRIMARY KEY (report_id, figure)
);

CREATE TABLE report_goal_contributions (
    report_id BIGINT NOT NULL REFERENCES reports (id),
    goal_id BIGINT NOT NULL REFERENCES framework_goals (id),
    contribution TEXT NOT NULL,
    PRIMARY KEY (report_id, goal_id)
);

-- Each handing-in of a report, frozen: its number, when and by whom, and everything it said
-- (text, figures as computed and as corrected, goal contributions) as JSON.
CREATE TABLE report_versions (
    id BIGSERIAL PRIMARY KEY,
    report_id BIGINT NOT NULL REFERENCES reports (id),
    number INTEGER NOT NULL CHECK (number >= 1),
    submitted_at TIMESTAMP NOT NULL,
    submitted_by BIGINT REFERENCES users (id),
    content TEXT NOT NULL,
    UNIQUE (report_id, number)
);

-- A submitted version never changes and is never deleted, whatever writes to the database.
CREATE FUNCTION refuse_changing_a_public_record() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    RAISE EXCEPTION 'a submitted report version is a public record and never changes (%)', TG_TABLE_NAME
        USING ERRCODE = 'restrict_violation';
END
$$;
CREATE TRIGGER report_versions_never_change BEFORE UPDATE OR DELETE ON report_versions
    FOR EACH ROW EXECUTE FUNCTION refuse_changing_a_public_record();
