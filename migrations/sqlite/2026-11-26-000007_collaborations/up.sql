-- International collaborations and network memberships (rule 6): owned by one
-- organisation (rule 7); a collaboration becomes active only with the council's decision;
-- a network membership records who represents the municipality.
CREATE TABLE collaborations (
    id INTEGER PRIMARY KEY AUTOINCREMENT NOT NULL,
    kind TEXT NOT NULL CHECK (kind IN ('collaboration', 'network_membership')),
    name TEXT NOT NULL,
    owner_organisation_id BIGINT NOT NULL REFERENCES organisations (id),
    purpose TEXT NOT NULL,
    period_from DATE,
    period_to DATE,
    representative_contact_id BIGINT REFERENCES contacts (id),
    status TEXT NOT NULL CHECK (status IN ('proposed', 'active', 'ended')),
    status_decision_id BIGINT REFERENCES decisions (id),
    archived_at TIMESTAMP,
    version INTEGER NOT NULL,
    created_at TIMESTAMP NOT NULL,
    updated_at TIMESTAMP NOT NULL
);

CREATE TABLE collaboration_partners (
    id INTEGER PRIMARY KEY AUTOINCREMENT NOT NULL,
    collaboration_id BIGINT NOT NULL REFERENCES collaborations (id),
    position INTEGER NOT NULL,
    name TEXT NOT NULL,
    country TEXT NOT NULL,
    kind TEXT NOT NULL CHECK (kind IN ('municipality', 'region', 'university', 'company', 'association', 'network', 'authority', 'other'))
);

CREATE INDEX collaborations_owner_idx ON collaborations (owner_organisation_id);
CREATE INDEX collaboration_partners_collaboration_idx ON collaboration_partners (collaboration_id);
