-- Activities (what the annual report counts), the elected officials who represent the
-- municipality at visits (the council appoints one with special responsibility for
-- international matters), and the horizon-scanning log of leads.

CREATE TABLE elected_officials (
    id BIGSERIAL PRIMARY KEY,
    name TEXT NOT NULL,
    office TEXT NOT NULL,
    body TEXT NOT NULL CHECK (body IN ('council', 'executive_board', 'committee', 'company_board')),
    term_from DATE,
    term_to DATE,
    -- The council's decision appointing this official for international matters (one at a time).
    international_decision_id BIGINT REFERENCES decisions (id),
    archived_at TIMESTAMP,
    version INTEGER NOT NULL,
    created_at TIMESTAMP NOT NULL,
    updated_at TIMESTAMP NOT NULL
);

CREATE TABLE activities (
    id BIGSERIAL PRIMARY KEY,
    external_id TEXT,
    title TEXT NOT NULL,
    kind TEXT NOT NULL CHECK (kind IN ('conference', 'study_visit', 'network_meeting', 'delegation_received', 'delegation_made', 'fair', 'representation', 'exchange', 'project_meeting', 'staff_mobility')),
    organisation_id BIGINT NOT NULL REFERENCES organisations (id),
    project_id BIGINT REFERENCES projects (id),
    starts_on DATE NOT NULL,
    ends_on DATE NOT NULL,
    organiser TEXT NOT NULL CHECK (organiser IN ('own', 'region', 'national', 'international')),
    women INTEGER NOT NULL CHECK (women >= 0),
    men INTEGER NOT NULL CHECK (men >= 0),
    total INTEGER NOT NULL CHECK (total >= 0),
    hours BIGINT NOT NULL CHECK (hours >= 0),
    own_cost BIGINT NOT NULL CHECK (own_cost >= 0),
    external_cost BIGINT NOT NULL CHECK (external_cost >= 0),
    other_resources TEXT,
    outcome TEXT,
    archived_at TIMESTAMP,
    version INTEGER NOT NULL,
    created_at TIMESTAMP NOT NULL,
    updated_at TIMESTAMP NOT NULL
);
CREATE UNIQUE INDEX activities_external_id_key ON activities (external_id);
CREATE INDEX activities_organisation_idx ON activities (organisation_id);
CREATE INDEX activities_project_idx ON activities (project_id);
CREATE INDEX activities_starts_on_idx ON activities (starts_on);

CREATE TABLE activity_countries (
    activity_id BIGINT NOT NULL REFERENCES activities (id),
    position INTEGER NOT NULL,
    country TEXT NOT NULL,
    PRIMARY KEY (activity_id, country)
);

CREATE TABLE activity_representatives (
    activity_id BIGINT NOT NULL REFERENCES activities (id),
    official_id BIGINT NOT NULL REFERENCES elected_officials (id),
    PRIMARY KEY (activity_id, official_id)
);

CREATE TABLE leads (
    id BIGSERIAL PRIMARY KEY,
    title TEXT NOT NULL,
    kind TEXT NOT NULL CHECK (kind IN ('call', 'trend', 'legislation', 'partner_request')),
    description TEXT NOT NULL,
    source_link TEXT,
    deadline DATE,
    funding_programme_id BIGINT REFERENCES funding_programmes (id),
    organisation_id BIGINT NOT NULL REFERENCES organisations (id),
    -- The project idea the lead became, if any.
    project_id BIGINT REFERENCES projects (id),
    archived_at TIMESTAMP,
    version INTEGER NOT NULL,
    created_at TIMESTAMP NOT NULL,
    updated_at TIMESTAMP NOT NULL
);
CREATE INDEX leads_organisation_idx ON leads (organisation_id);
CREATE INDEX leads_deadline_idx ON leads (deadline);

CREATE TABLE lead_organisations (
    lead_id BIGINT NOT NULL REFERENCES leads (id),
    organisation_id BIGINT NOT NULL REFERENCES organisations (id),
    PRIMARY KEY (lead_id, organisation_id)
);
