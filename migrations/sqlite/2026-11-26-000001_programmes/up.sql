-- Governing documents (rule 1), their priority areas (rule 3), what they say about the
-- three kinds of international work (rule 4), and the goal frameworks they link to.

CREATE TABLE app_meta (
    key TEXT PRIMARY KEY NOT NULL,
    value TEXT NOT NULL
);

CREATE TABLE programmes (
    id INTEGER PRIMARY KEY AUTOINCREMENT NOT NULL,
    title TEXT NOT NULL,
    document_id TEXT NOT NULL,
    diarienummer TEXT NOT NULL,
    version INTEGER NOT NULL CHECK (version >= 1),
    document_type TEXT NOT NULL,
    responsible_administration TEXT NOT NULL,
    responsible_department TEXT NOT NULL,
    decided_by TEXT NOT NULL,
    published DATE,
    revise_by DATE,
    purpose TEXT NOT NULL,
    background TEXT NOT NULL,
    status TEXT NOT NULL CHECK (status IN ('draft', 'adopted', 'superseded')),
    created_at TIMESTAMP NOT NULL,
    updated_at TIMESTAMP NOT NULL,
    CONSTRAINT programmes_document_version_key UNIQUE (document_id, version)
);

CREATE TABLE priority_areas (
    id INTEGER PRIMARY KEY AUTOINCREMENT NOT NULL,
    programme_id BIGINT NOT NULL REFERENCES programmes (id),
    number INTEGER NOT NULL CHECK (number >= 1),
    title TEXT NOT NULL,
    description TEXT NOT NULL,
    CONSTRAINT priority_areas_programme_number_key UNIQUE (programme_id, number)
);

CREATE TABLE programme_work_kinds (
    programme_id BIGINT NOT NULL REFERENCES programmes (id),
    kind TEXT NOT NULL CHECK (kind IN ('horizon_scanning', 'positioning', 'development')),
    description TEXT NOT NULL,
    PRIMARY KEY (programme_id, kind)
);

CREATE TABLE frameworks (
    id INTEGER PRIMARY KEY AUTOINCREMENT NOT NULL,
    code TEXT NOT NULL,
    name TEXT NOT NULL,
    owner TEXT NOT NULL,
    description TEXT,
    adopted_year INTEGER,
    overall_goal TEXT,
    created_at TIMESTAMP NOT NULL,
    CONSTRAINT frameworks_code_key UNIQUE (code)
);

CREATE TABLE framework_goals (
    id INTEGER PRIMARY KEY AUTOINCREMENT NOT NULL,
    framework_id BIGINT NOT NULL REFERENCES frameworks (id),
    number INTEGER NOT NULL CHECK (number >= 1),
    title TEXT NOT NULL,
    description TEXT,
    CONSTRAINT framework_goals_framework_number_key UNIQUE (framework_id, number)
);

CREATE TABLE programme_frameworks (
    programme_id BIGINT NOT NULL REFERENCES programmes (id),
    framework_id BIGINT NOT NULL REFERENCES frameworks (id),
    relation TEXT NOT NULL,
    PRIMARY KEY (programme_id, framework_id)
);

CREATE INDEX priority_areas_programme_idx ON priority_areas (programme_id);
CREATE INDEX framework_goals_framework_idx ON framework_goals (framework_id);
CREATE INDEX programme_frameworks_framework_idx ON programme_frameworks (framework_id);
