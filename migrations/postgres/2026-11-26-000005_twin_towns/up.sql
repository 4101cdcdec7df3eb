-- Twin towns (rule 6): becoming active and ending need a decision of the council, which
-- the last change of status refers to. Archived, never deleted.
CREATE TABLE twin_towns (
    id BIGSERIAL PRIMARY KEY,
    town TEXT NOT NULL,
    country TEXT NOT NULL,
    region TEXT,
    since DATE,
    status TEXT NOT NULL CHECK (status IN ('proposed', 'active', 'dormant', 'ended')),
    status_decision_id BIGINT REFERENCES decisions (id),
    archived_at TIMESTAMP,
    version INTEGER NOT NULL,
    created_at TIMESTAMP NOT NULL,
    updated_at TIMESTAMP NOT NULL
);

CREATE INDEX twin_towns_status_idx ON twin_towns (status);
