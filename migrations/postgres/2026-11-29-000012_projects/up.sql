-- Projects and the co-funding gate. The programme: "Inför varje nytt utvecklingsprojekt ska
-- möjligheten till extern medfinansiering alltid prövas." A project's assessments are kept
-- (the latest counts); its money is integer öre or euro cents, never floating point.

-- The funding programmes an assessment considers and funding comes from: data, kept by
-- coordinators, seeded with the 2021–2027 programmes Swedish municipalities use.
CREATE TABLE funding_programmes (
    id BIGSERIAL PRIMARY KEY,
    code TEXT NOT NULL,
    name TEXT NOT NULL,
    kind TEXT NOT NULL CHECK (kind IN ('eu', 'nordic', 'national', 'foundation', 'other')),
    active BOOLEAN NOT NULL,
    version INTEGER NOT NULL,
    created_at TIMESTAMP NOT NULL,
    updated_at TIMESTAMP NOT NULL
);
CREATE UNIQUE INDEX funding_programmes_code_key ON funding_programmes (code);

INSERT INTO funding_programmes (code, name, kind, active, version, created_at, updated_at) VALUES
    ('erasmus-plus', 'Erasmus+', 'eu', TRUE, 1, '2026-11-29 00:00:00', '2026-11-29 00:00:00'),
    ('interreg-europe', 'Interreg Europe', 'eu', TRUE, 1, '2026-11-29 00:00:00', '2026-11-29 00:00:00'),
    ('interreg-baltic-sea-region', 'Interreg Baltic Sea Region', 'eu', TRUE, 1, '2026-11-29 00:00:00', '2026-11-29 00:00:00'),
    ('interreg-central-baltic', 'Interreg Central Baltic', 'eu', TRUE, 1, '2026-11-29 00:00:00', '2026-11-29 00:00:00'),
    ('interreg-south-baltic', 'Interreg South Baltic', 'eu', TRUE, 1, '2026-11-29 00:00:00', '2026-11-29 00:00:00'),
    ('interreg-oks', 'Interreg Öresund-Kattegat-Skagerrak', 'eu', TRUE, 1, '2026-11-29 00:00:00', '2026-11-29 00:00:00'),
    ('interreg-sverige-norge', 'Interreg Sverige–Norge', 'eu', TRUE, 1, '2026-11-29 00:00:00', '2026-11-29 00:00:00'),
    ('interreg-aurora', 'Interreg Aurora', 'eu', TRUE, 1, '2026-11-29 00:00:00', '2026-11-29 00:00:00'),
    ('urbact', 'URBACT IV', 'eu', TRUE, 1, '2026-11-29 00:00:00', '2026-11-29 00:00:00'),
    ('esf-plus', 'Europeiska socialfonden+ (ESF+)', 'eu', TRUE, 1, '2026-11-29 00:00:00', '2026-11-29 00:00:00'),
    ('erdf', 'Europeiska regionala utvecklingsfonden (Regionalfonden)', 'eu', TRUE, 1, '2026-11-29 00:00:00', '2026-11-29 00:00:00'),
    ('horizon-europe', 'Horisont Europa', 'eu', TRUE, 1, '2026-11-29 00:00:00', '2026-11-29 00:00:00'),
    ('life', 'LIFE', 'eu', TRUE, 1, '2026-11-29 00:00:00', '2026-11-29 00:00:00'),
    ('cerv', 'Medborgare, jämlikhet, rättigheter och värden (CERV)', 'eu', TRUE, 1, '2026-11-29 00:00:00', '2026-11-29 00:00:00'),
    ('creative-europe', 'Kreativa Europa', 'eu', TRUE, 1, '2026-11-29 00:00:00', '2026-11-29 00:00:00'),
    ('digital-europe', 'Ett digitalt Europa', 'eu', TRUE, 1, '2026-11-29 00:00:00', '2026-11-29 00:00:00'),
    ('amif', 'Asyl-, migrations- och integrationsfonden (AMIF)', 'eu', TRUE, 1, '2026-11-29 00:00:00', '2026-11-29 00:00:00'),
    ('nordplus', 'Nordplus', 'nordic', TRUE, 1, '2026-11-29 00:00:00', '2026-11-29 00:00:00'),
    ('leader', 'Leader (lokalt ledd utveckling)', 'eu', TRUE, 1, '2026-11-29 00:00:00', '2026-11-29 00:00:00'),
    ('national-agency', 'Nationell myndighet (Tillväxtverket, Vinnova, Energimyndigheten m.fl.)', 'national', TRUE, 1, '2026-11-29 00:00:00', '2026-11-29 00:00:00'),
    ('foundation', 'Stiftelse eller fond', 'foundation', TRUE, 1, '2026-11-29 00:00:00', '2026-11-29 00:00:00');

CREATE TABLE projects (
    id BIGSERIAL PRIMARY KEY,
    external_id TEXT,
    title TEXT NOT NULL,
    summary TEXT NOT NULL,
    kind TEXT NOT NULL CHECK (kind IN ('horizon_scanning', 'positioning', 'development')),
    owner_organisation_id BIGINT NOT NULL REFERENCES organisations (id),
    contact_id BIGINT REFERENCES contacts (id),
    period_from DATE,
    period_to DATE,
    -- The programme version in force when the project was approved (left planning).
    programme_id BIGINT REFERENCES programmes (id),
    contribution TEXT,
    lasting_value TEXT,
    own_money BIGINT NOT NULL CHECK (own_money >= 0),
    own_hours BIGINT NOT NULL CHECK (own_hours >= 0),
    results TEXT,
    value_given TEXT,
    outputs TEXT,
    status TEXT NOT NULL CHECK (status IN ('idea', 'planning', 'applied', 'granted', 'rejected', 'ongoing', 'completed', 'cancelled')),
    archived_at TIMESTAMP,
    version INTEGER NOT NULL,
    created_at TIMESTAMP NOT NULL,
    updated_at TIMESTAMP NOT NULL
);
CREATE UNIQUE INDEX projects_external_id_key ON projects (external_id);
CREATE INDEX projects_owner_idx ON projects (owner_organisation_id);

CREATE TABLE project_partners (
    id BIGSERIAL PRIMARY KEY,
    project_id BIGINT NOT NULL REFERENCES projects (id),
    position INTEGER NOT NULL,
    name TEXT NOT NULL,
    country TEXT NOT NULL,
    kind TEXT NOT NULL CHECK (kind IN ('municipality', 'region', 'university', 'company', 'association', 'network', 'authority', 'other')),
    role TEXT NOT NULL CHECK (role IN ('lead', 'partner', 'associate'))
);
CREATE INDEX project_partners_project_idx ON project_partners (project_id);

CREATE TABLE project_priority_areas (
    project_id BIGINT NOT NULL REFERENCES projects (id),
    priority_area_id BIGINT NOT NULL REFERENCES priority_areas (id),
    PRIMARY KEY (project_id, priority_area_id)
);

CREATE TABLE project_goals (
    project_id BIGINT NOT NULL REFERENCES projects (id),
    goal_id BIGINT NOT NULL REFERENCES framework_goals (id),
    PRIMARY KEY (project_id, goal_id)
);

CREATE TABLE project_funding (
    id BIGSERIAL PRIMARY KEY,
    project_id BIGINT NOT NULL REFERENCES projects (id),
    position INTEGER NOT NULL,
    funding_programme_id BIGINT NOT NULL REFERENCES funding_programmes (id),
    funding_call TEXT,
    amount BIGINT NOT NULL CHECK (amount >= 0),
    currency TEXT NOT NULL CHECK (currency IN ('SEK', 'EUR')),
    rate BIGINT,
    status TEXT NOT NULL CHECK (status IN ('applied', 'granted', 'rejected', 'paid'))
);
CREATE INDEX project_funding_project_idx ON project_funding (project_id);

CREATE TABLE co_funding_assessments (
    id BIGSERIAL PRIMARY KEY,
    project_id BIGINT NOT NULL REFERENCES projects (id),
    assessed_on DATE NOT NULL,
    assessed_by TEXT NOT NULL,
    outcome TEXT NOT NULL CHECK (outcome IN ('will_apply', 'not_eligible', 'not_worthwhile', 'no_suitable_call')),
    motivation TEXT NOT NULL,
    recorded_at TIMESTAMP NOT NULL
);
CREATE INDEX co_funding_assessments_project_idx ON co_funding_assessments (project_id);

CREATE TABLE assessment_programmes (
    assessment_id BIGINT NOT NULL REFERENCES co_funding_assessments (id),
    funding_programme_id BIGINT NOT NULL REFERENCES funding_programmes (id),
    PRIMARY KEY (assessment_id, funding_programme_id)
);
